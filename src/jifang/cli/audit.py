"""`jifang audit …`: verify the audit log, prove entries, sign and publish checkpoints.

jifang audit verify                 exit 0 when intact, 1 naming the first bad entry
jifang audit prove SEQ              inclusion proof of entry SEQ (JSON)
jifang audit consistency OLD NEW    consistency proof between two checkpoints (JSON)
jifang audit checkpoint             sign the current tree head now, print the note
jifang audit pubkey                 the public key (PEM) to publish
jifang audit check-proof FILE       check a proof offline (no database)
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .django_setup import setup_django

EXIT_OK, EXIT_BAD, EXIT_ERROR = 0, 1, 2


def _dump(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True)


def _database_error(exc: Exception) -> int:
    print(
        f"错误 / error: 无法读取审计日志（是否已运行 jifang migrate？）/ cannot read the audit "
        f"log (did you run jifang migrate?): {exc}",
        file=sys.stderr,
    )
    return EXIT_ERROR


def _verify(args: argparse.Namespace) -> int:
    setup_django()
    from cryptography.exceptions import UnsupportedAlgorithm
    from django.db import DatabaseError

    from jifang.audit.checkpoint import load_public_key
    from jifang.platform.auditlog.verify import verify

    try:
        key = load_public_key(Path(args.pubkey).read_bytes()) if args.pubkey else None
        notes = [Path(path).read_text(encoding="utf-8") for path in args.checkpoint]
    except (OSError, ValueError, UnsupportedAlgorithm) as exc:
        print(f"错误 / error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    try:
        result = verify(
            public_key=key,
            external=notes,
            grace=args.grace,
            check_nodes=not args.no_nodes,
            readers=args.readers,
        )
    except DatabaseError as exc:
        return _database_error(exc)
    print(_dump(result.to_dict()) if args.json else result.report())
    return EXIT_OK if result.ok else EXIT_BAD


def _build(make, *params) -> dict | int:
    """A proof printed as JSON, or the exit code of why it could not be built."""
    from django.db import DatabaseError

    from jifang.platform.auditlog import services

    try:
        proof = make(*params)
    except services.ProofError as exc:
        print(f"错误 / error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except DatabaseError as exc:
        return _database_error(exc)
    print(_dump(proof))
    return proof


def _prove(args: argparse.Namespace) -> int:
    setup_django()

    from jifang.platform.auditlog import proofcheck, services

    proof = _build(services.prove, args.seq, args.size)
    if isinstance(proof, int):
        return proof
    problems = proofcheck.check_inclusion(proof)
    if proof["leaf_hash"] != proof["stored_leaf_hash"]:
        problems.insert(
            0, "记录内容与存储的叶哈希不符 / the entry does not match its stored leaf hash"
        )
    for problem in problems:
        print(f"证明不成立 / proof fails: {problem}", file=sys.stderr)
    if args.verify and not problems:
        print("证明成立 / proof verified", file=sys.stderr)
    return EXIT_BAD if problems else EXIT_OK


def _consistency(args: argparse.Namespace) -> int:
    setup_django()

    from jifang.platform.auditlog import proofcheck, services

    proof = _build(services.consistency, args.old, args.new)
    if isinstance(proof, int):
        return proof
    problems = proofcheck.check_consistency(proof)
    for problem in problems:
        print(f"证明不成立 / proof fails: {problem}", file=sys.stderr)
    return EXIT_BAD if problems else EXIT_OK


def _checkpoint(args: argparse.Namespace) -> int:
    setup_django()
    from django.db import DatabaseError

    from jifang.platform.auditlog import services

    try:
        row = services.checkpoint(force=True) or services.latest_checkpoint()
    except DatabaseError as exc:
        return _database_error(exc)
    if row is None:
        print("审计日志为空 / the audit log is empty", file=sys.stderr)
        return EXIT_ERROR
    sys.stdout.write(row.note())
    return EXIT_OK


def _pubkey(args: argparse.Namespace) -> int:
    setup_django()
    from jifang.platform.auditlog import services

    services.signing_key()  # on a first run, generate the key so there is one to publish
    sys.stdout.write(services.public_key_pem())
    return EXIT_OK


def _check_proof(args: argparse.Namespace) -> int:
    from jifang.platform.auditlog import proofcheck

    try:
        text = sys.stdin.read() if args.file == "-" else Path(args.file).read_text("utf-8")
        proof = json.loads(text)
        key = Path(args.pubkey).read_bytes() if args.pubkey else None
    except (OSError, ValueError) as exc:
        print(f"错误 / error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    problems = proofcheck.check(proof, key)
    for problem in problems:
        print(f"证明不成立 / proof fails: {problem}")
    if not problems:
        what = (
            "一致性证明成立 / consistency proof verified"
            if "old_size" in proof
            else f"包含性证明成立 / inclusion proof verified: entry #{proof.get('index')} is in the "
            f"log of {proof.get('tree_size')} entries"
        )
        print(
            what
            + (
                ""
                if key
                else "（用证明自带的公钥 / with the key in the proof: pass "
                "--pubkey with the published key）"
            )
        )
    return EXIT_BAD if problems else EXIT_OK


def register(sub: argparse._SubParsersAction) -> None:
    """Add `jifang audit …` to the `jifang` parser."""
    p = sub.add_parser("audit", help="审计日志：核验、证明、检查点 / the audit log")
    asub = p.add_subparsers(dest="audit_command", required=True)

    q = asub.add_parser("verify", help="重算并核验整个日志 / re-derive and check the whole log")
    q.add_argument("--pubkey", help="已公布的公钥 PEM（默认用数据目录中的密钥）/ published key")
    q.add_argument(
        "--checkpoint",
        action="append",
        default=[],
        metavar="NOTE",
        help="另行保存的已签名检查点文件，可重复 / a saved signed checkpoint",
    )
    q.add_argument(
        "--grace",
        type=float,
        default=None,
        help="末尾未签名记录的宽限秒数（默认 120）/ seconds an entry may await its checkpoint",
    )
    q.add_argument(
        "--no-nodes",
        action="store_true",
        help="不核对存储的树节点 / skip checking the stored tree nodes",
    )
    q.add_argument(
        "--readers",
        type=int,
        default=2,
        help="PostgreSQL 上并行读取的线程数（默认 2）/ reader threads on PostgreSQL",
    )
    q.add_argument("--json", action="store_true", help="JSON 输出 / JSON output")
    q.set_defaults(func=_verify)

    q = asub.add_parser("prove", help="某条记录的包含性证明 / inclusion proof of one entry")
    q.add_argument("seq", type=int, metavar="ENTRY", help="记录序号 / the entry's seq")
    q.add_argument("--size", type=int, help="用此大小的检查点（默认最新）/ checkpoint size")
    q.add_argument("--verify", action="store_true", help="同时核验并报告 / also report the check")
    q.set_defaults(func=_prove)

    q = asub.add_parser("consistency", help="两个检查点之间的一致性证明 / consistency proof")
    q.add_argument("old", type=int)
    q.add_argument("new", type=int)
    q.set_defaults(func=_consistency)

    q = asub.add_parser("checkpoint", help="立即签署检查点 / sign a checkpoint now")
    q.set_defaults(func=_checkpoint)

    q = asub.add_parser("pubkey", help="公布用的公钥 / the public key to publish")
    q.set_defaults(func=_pubkey)

    q = asub.add_parser("check-proof", help="离线核验证明 / check a proof offline")
    q.add_argument("file", help="证明 JSON 文件，- 为标准输入 / proof JSON, - for stdin")
    q.add_argument("--pubkey", help="已公布的公钥 PEM / the published public key")
    q.set_defaults(func=_check_proof)
