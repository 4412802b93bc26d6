"""Check a proof printed by ``jifang audit prove`` / ``consistency`` without any database.

Pure Python on :mod:`jifang.audit` (no Django), so ``jifang audit check-proof FILE`` runs
anywhere. docs/audit.md gives the same check in twenty lines of standard Python.
"""

from __future__ import annotations

import base64
import binascii
import json

from jifang.audit import checkpoint as cp
from jifang.audit import merkle


def _b64(text: str) -> bytes:
    return base64.b64decode(text, validate=True)


def _checkpoint(note: str, key_pem: bytes, problems: list[str], what: str):
    try:
        checkpoint = cp.Checkpoint.from_note(note)
        key = cp.load_public_key(key_pem)
    except ValueError as exc:
        problems.append(f"{what}无法解析 / {what} cannot be parsed: {exc}")
        return None
    if not cp.verify(key, checkpoint):
        problems.append(f"{what}签名无效 / the {what} signature is not valid")
        return None
    return checkpoint


def check_inclusion(proof: dict, public_key_pem: bytes | None = None) -> list[str]:
    """Problems with an inclusion proof (empty when it holds).

    ``public_key_pem`` should be the key the operator published; without it the key inside
    the proof is used, which only shows the proof is self-consistent.
    """
    problems: list[str] = []
    key_pem = public_key_pem or proof.get("public_key", "").encode()
    checkpoint = _checkpoint(proof.get("checkpoint", ""), key_pem, problems, "检查点 checkpoint")
    if checkpoint is None:
        return problems
    try:
        entry = _b64(proof["entry"])
        path = [_b64(h) for h in proof["inclusion_path"]]
        index = int(proof["index"])
        content = json.loads(entry)
    except (KeyError, TypeError, ValueError, binascii.Error) as exc:
        return [f"证明格式错误 / malformed proof: {exc!r}"]
    if not isinstance(content, dict) or content.get("seq") != index:
        problems.append("记录的 seq 与索引不符 / the entry's seq is not its index")
    if proof.get("tree_size") not in (None, checkpoint.size):
        problems.append("tree_size 与检查点不符 / tree_size differs from the checkpoint")
    leaf = merkle.leaf_hash(entry)
    if not merkle.verify_inclusion(leaf, index, checkpoint.size, path, checkpoint.root):
        problems.append(
            "包含性证明不成立：记录、路径或检查点被改动 / the inclusion proof fails: the entry, "
            "the path or the checkpoint was altered"
        )
    return problems


def check_consistency(proof: dict, public_key_pem: bytes | None = None) -> list[str]:
    """Problems with a consistency proof between two checkpoints (empty when it holds)."""
    problems: list[str] = []
    key_pem = public_key_pem or proof.get("public_key", "").encode()
    old = _checkpoint(proof.get("old_checkpoint", ""), key_pem, problems, "旧检查点 old checkpoint")
    new = _checkpoint(proof.get("new_checkpoint", ""), key_pem, problems, "新检查点 new checkpoint")
    if old is None or new is None:
        return problems
    try:
        path = [_b64(h) for h in proof["proof"]]
    except (KeyError, TypeError, ValueError, binascii.Error) as exc:
        return [f"证明格式错误 / malformed proof: {exc!r}"]
    if not merkle.verify_consistency(old.size, new.size, old.root, new.root, path):
        problems.append(
            "一致性证明不成立：新检查点没有原样包含旧日志 / the consistency proof fails: the new "
            "checkpoint does not extend the old one unchanged"
        )
    return problems


def check(proof: dict, public_key_pem: bytes | None = None) -> list[str]:
    """Check either kind of proof, by its ``format`` field."""
    if str(proof.get("format", "")).startswith("jifang-audit-consistency-proof"):
        return check_consistency(proof, public_key_pem)
    return check_inclusion(proof, public_key_pem)
