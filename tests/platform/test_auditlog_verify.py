"""Tampering with the stored log is caught and located; proofs check out, also by pymerkle.

Each attack works directly on the database, as someone with database access would: the
append-only triggers are dropped first, then rows are altered, deleted, inserted or reordered,
with or without recomputing the hashes. The log has a checkpoint after every transaction (the
default), so ``verify`` names the exact first bad entry.
"""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import pytest
from cryptography.exceptions import InvalidSignature
from django.db import connection, transaction

from jifang.audit import merkle
from jifang.cli import main
from jifang.platform.auditlog import proofcheck, services, triggers
from jifang.platform.auditlog.canonical import entry_bytes, ts_text
from jifang.platform.auditlog.context import acting_as
from jifang.platform.auditlog.models import Checkpoint, LogEntry
from jifang.platform.auditlog.store import DbNodeStore, node_pos, perfect_keys
from jifang.platform.auditlog.verify import leaf_rows, verify
from jifang.platform.geo.models import Division
from jifang.platform.systems.models import System
from jifang.platform.units.models import Place, Unit

DOC = Path(__file__).resolve().parents[2] / "docs" / "audit.md"
N = 12


@pytest.fixture
def log(db, django_capture_on_commit_callbacks) -> list[bytes]:
    """Twelve entries from registry writes and events, one signed checkpoint per transaction.

    Returns the leaf bytes of every entry.
    """

    def tx():
        return django_capture_on_commit_callbacks(execute=True)

    with tx(), transaction.atomic(), acting_as("user:alice"):
        fj = Division.objects.create(code="350000", name="福建省", level="province")  # 0
    with tx(), transaction.atomic():
        fz = Division.objects.create(code="350100", name="福州市", level="city", parent=fj)  # 1
    with tx(), transaction.atomic():
        fz.regime_id = "fujian-2015"  # 2
        fz.save()
    with tx(), transaction.atomic():
        unit = Unit.objects.create(name="某幼儿园", kind="individual", division=fz)  # 3
    with tx(), transaction.atomic():
        place = Place.objects.create(unit=unit, name="大门", categories=["kindergarten"])  # 4
    with tx(), transaction.atomic():
        system = System.objects.create(unit=unit, name="视频监控")  # 5
    with tx(), transaction.atomic():
        system.places.add(place)  # 6
    with tx():
        services.log_event("login", actor="user:bob")  # 7
    with tx(), transaction.atomic():
        services.append(
            "assess",
            "compliance.assessment",
            1,
            "某幼儿园 @ 2024-06-01",
            None,
            {"findings": 3, "regime": "fujian-2015"},
        )  # 8
    with tx(), transaction.atomic():
        unit.phone = "0591-12345678"  # 9
        unit.save()
    with tx():
        services.log_event("permission_denied", actor="user:eve", object_repr="/admin/")  # 10
    with tx(), transaction.atomic():
        place.name = "北门"  # 11
        place.save()
    assert [c.size for c in Checkpoint.objects.all()] == list(range(1, N + 1))
    return [e.leaf_bytes() for e in LogEntry.objects.order_by("seq")]


# --------------------------------------------------------------------------- attacker's tools


def sql(statement: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


@pytest.fixture
def attacker(log):
    """Drop the append-only triggers, as someone who owns the database can."""
    triggers.uninstall(connection)
    yield
    triggers.install(connection)


def rehash(seq: int) -> None:
    """Recompute an entry's leaf hash from its (altered) columns."""
    entry = LogEntry.objects.get(seq=seq)
    sql(
        "UPDATE auditlog_logentry SET leaf_hash = %s WHERE seq = %s",
        [merkle.leaf_hash(entry.leaf_bytes()), seq],
    )


def rebuild_nodes() -> None:
    """Recompute every interior node from the stored leaf hashes."""
    store = merkle.MemoryNodeStore()
    for i, leaf in enumerate(LogEntry.objects.order_by("seq").values_list("leaf_hash", flat=True)):
        merkle.append(store, i, bytes(leaf))
    sql("DELETE FROM auditlog_merklenode")
    for (level, index), digest in store.nodes.items():
        if level:
            sql(
                "INSERT INTO auditlog_merklenode (pos, hash) VALUES (%s, %s)",
                [node_pos(level, index), digest],
            )


def forge(seq: int, repr_: str = "伪造的记录") -> None:
    """Insert a well-formed entry at ``seq`` with a correct leaf hash."""
    moment = LogEntry.objects.order_by("-seq").first().ts
    data = entry_bytes(
        seq, ts_text(moment), "user:mallory", "delete", "units.unit", "1", repr_, "null", "null"
    )
    sql(
        "INSERT INTO auditlog_logentry (seq, ts, actor, action, model, object_pk, object_repr, "
        "before, after, leaf_hash) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
        [
            seq,
            connection.ops.adapt_datetimefield_value(moment),
            "user:mallory",
            "delete",
            "units.unit",
            "1",
            repr_,
            "null",
            "null",
            merkle.leaf_hash(data),
        ],
    )


def set_head(size: int) -> None:
    """Make the log head agree with the stored entries, as a careful attacker would."""
    store = merkle.MemoryNodeStore()
    leaves = LogEntry.objects.order_by("seq").values_list("leaf_hash", flat=True)[:size]
    for i, leaf in enumerate(leaves):
        merkle.append(store, i, bytes(leaf))
    frontier = b"".join(store.nodes[key] for key in perfect_keys(size))
    sql("UPDATE auditlog_loghead SET size = %s, frontier = %s WHERE id = 1", [size, frontier])


def verify_cli(capsys, *args: str) -> tuple[int, str]:
    code = main(["audit", "verify", *args])
    return code, capsys.readouterr().out


def assert_first_bad(
    seq: int, kind: str, *, grace: float | None = None, exact: bool = True
) -> None:
    result = verify(grace=grace)
    assert not result.ok
    assert result.first_bad == seq, result.report()
    assert result.first_problem.kind == kind, result.report()
    assert result.first_problem.exact == exact, result.report()
    assert f"first bad entry: #{seq}" in result.report()


# --------------------------------------------------------------------------- intact


def test_an_intact_log_verifies(log, capsys) -> None:
    result = verify()
    assert result.ok and result.first_bad is None and not result.warnings
    assert (result.size, result.head, result.checkpoints, result.signed_size) == (N, N, N, N)
    assert result.nodes == N - N.bit_count()
    assert result.root == bytes(Checkpoint.objects.get(size=N).root)
    assert result.root == merkle.root_from_leaves(merkle.leaf_hash(d) for d in log)
    code, out = verify_cli(capsys)
    assert code == 0 and "审计日志完好 / audit log intact" in out and f"{N} 条记录" in out
    code, out = verify_cli(capsys, "--json")
    assert code == 0 and json.loads(out)["ok"] is True


AWKWARD = [
    '"',
    "\\",
    "\n\r\t\b\f",
    "\x01\x1f\x7f",
    "\u2028\u2029",
    "😀𠀀",
    "技防「」",
    "</script>",
    "e\u0301",
    "\ud7ff\ufeff",
    "a/b",
    "",
]


def test_the_database_builds_the_same_leaf_bytes_as_python(db, django_capture_on_commit_callbacks):
    """On PostgreSQL verify lets the server assemble the leaf bytes; they must be Python's."""
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        for i, text in enumerate(AWKWARD):
            services.append(
                "update",
                f"m{text}",
                text,
                f"r{text}",
                {text: [text, i, None]},
                {"k": text, "n": -i, "f": 1.5},
                actor=f"a{text}",
            )
    built = leaf_rows(connection, 0, len(AWKWARD))
    assert [data for _, data, _ in built] == [e.leaf_bytes() for e in LogEntry.objects.all()]
    assert [json.loads(data)["object_repr"] for _, data, _ in built] == [f"r{t}" for t in AWKWARD]
    assert verify().ok


def test_entry_bytes_are_what_was_hashed(log) -> None:
    entry = json.loads(log[2])
    assert (entry["seq"], entry["action"], entry["model"]) == (2, "update", "geo.division")
    assert entry["before"]["regime_id"] == "" and entry["after"]["regime_id"] == "fujian-2015"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z", entry["ts"])
    assert json.loads(log[0])["actor"] == "user:alice"


# --------------------------------------------------------------------------- tampering


def test_altered_entry(attacker, capsys) -> None:
    sql("UPDATE auditlog_logentry SET actor = 'user:nobody' WHERE seq = 5")
    assert_first_bad(5, "altered")
    code, out = verify_cli(capsys)
    assert code == 1 and "audit log TAMPERED" in out and "first bad entry: #5" in out


def test_altered_before_and_after(attacker) -> None:
    sql("UPDATE auditlog_logentry SET after = %s WHERE seq = 9", ['{"phone":"110"}'])
    sql("UPDATE auditlog_logentry SET before = %s WHERE seq = 11", ["null"])
    assert_first_bad(9, "altered")
    assert [p.first for p in verify().problems] == [9, 11]


def test_altered_entry_with_its_leaf_hash_recomputed(attacker) -> None:
    sql("UPDATE auditlog_logentry SET object_repr = '别的单位' WHERE seq = 3")
    rehash(3)
    assert_first_bad(3, "root_mismatch")
    kinds = {p.kind for p in verify().problems}
    assert kinds == {"root_mismatch", "node"}  # the stored node above it no longer fits


def test_altered_entry_with_every_hash_and_node_recomputed(attacker) -> None:
    sql("UPDATE auditlog_logentry SET object_repr = '别的单位' WHERE seq = 3")
    rehash(3)
    rebuild_nodes()
    assert_first_bad(3, "root_mismatch")  # only the signed checkpoints can tell now
    assert [p.kind for p in verify().problems] == ["root_mismatch"]


def test_deleted_entry(attacker, capsys) -> None:
    sql("DELETE FROM auditlog_logentry WHERE seq = 6")
    assert_first_bad(6, "missing")
    code, out = verify_cli(capsys)
    assert code == 1 and "#6" in out and "missing" in out


def test_deleted_entry_with_the_rest_renumbered_and_rehashed(attacker) -> None:
    sql("DELETE FROM auditlog_logentry WHERE seq = 6")
    for seq in range(7, N):
        sql("UPDATE auditlog_logentry SET seq = %s WHERE seq = %s", [seq - 1, seq])
        rehash(seq - 1)
    rebuild_nodes()
    set_head(N - 1)
    assert_first_bad(6, "root_mismatch")


def test_deleted_last_entry(attacker) -> None:
    sql("DELETE FROM auditlog_logentry WHERE seq = %s", [N - 1])
    assert_first_bad(N - 1, "truncated")


def test_entry_inserted_at_the_end(attacker) -> None:
    forge(N)
    assert_first_bad(N, "beyond_head")  # the log head still says N
    rebuild_nodes()
    set_head(N + 1)
    # head updated too: it now looks like an entry awaiting its checkpoint
    assert_first_bad(N, "unsigned", grace=0)
    pending = verify()  # within the grace period it is only a warning (see docs/audit.md)
    assert pending.ok and pending.warnings
    sql(
        "UPDATE auditlog_logentry SET ts = %s WHERE seq = %s",
        [
            connection.ops.adapt_datetimefield_value(
                LogEntry.objects.get(seq=0).ts.replace(year=2000)
            ),
            N,
        ],
    )
    rehash(N)
    rebuild_nodes()
    assert_first_bad(N, "unsigned")  # back-dated: caught even within the grace period


def test_entry_inserted_in_the_middle_by_renumbering(attacker, capsys) -> None:
    for seq in range(N - 1, 4, -1):
        sql("UPDATE auditlog_logentry SET seq = %s WHERE seq = %s", [seq + 1, seq])
    forge(5)
    assert_first_bad(5, "root_mismatch")  # the moved entries' hashes still hold their old seq
    assert {p.first for p in verify().problems if p.kind == "altered"} == set()
    for seq in range(6, N + 1):
        rehash(seq)
    rebuild_nodes()
    set_head(N + 1)
    assert_first_bad(5, "root_mismatch")
    code, out = verify_cli(capsys)
    assert code == 1 and "first bad entry: #5" in out


def _swap(a: int, b: int) -> None:
    sql("UPDATE auditlog_logentry SET seq = -1 WHERE seq = %s", [a])
    sql("UPDATE auditlog_logentry SET seq = %s WHERE seq = %s", [a, b])
    sql("UPDATE auditlog_logentry SET seq = %s WHERE seq = -1", [b])


def test_reordered_entries(attacker) -> None:
    _swap(4, 8)
    assert_first_bad(4, "altered")  # each leaf hash covers its seq
    assert [(p.kind, p.first) for p in verify().problems][:2] == [
        ("altered", 4),
        ("root_mismatch", 4),
    ]


def test_reordered_entries_with_hashes_recomputed(attacker) -> None:
    _swap(4, 8)
    rehash(4)
    rehash(8)
    rebuild_nodes()
    assert_first_bad(4, "root_mismatch")


def test_swapped_leaf_hashes_and_content(attacker) -> None:
    """Move entry 8's content and hash to position 4 and back-fill: the signed roots differ."""
    rows = {e.seq: e for e in LogEntry.objects.filter(seq__in=[4, 8])}
    for seq, other in ((4, rows[8]), (8, rows[4])):
        sql(
            "UPDATE auditlog_logentry SET actor = %s, action = %s, model = %s, object_pk = %s, "
            "object_repr = %s, before = %s, after = %s WHERE seq = %s",
            [
                other.actor,
                other.action,
                other.model,
                other.object_pk,
                other.object_repr,
                other.before,
                other.after,
                seq,
            ],
        )
        rehash(seq)
    rebuild_nodes()
    assert_first_bad(4, "root_mismatch")


def test_altered_node_is_reported_even_when_entries_are_intact(attacker) -> None:
    sql("UPDATE auditlog_merklenode SET hash = %s WHERE pos = %s", [b"\0" * 32, node_pos(1, 2)])
    result = verify()
    assert not result.ok and [p.kind for p in result.problems] == ["node"]
    assert result.first_bad is None and result.first_problem.node == (1, 2)
    assert "node was altered" in result.report() and "node(1, 2)" in result.report()
    assert proofcheck.check_inclusion(services.prove(4)) == []  # its path avoids that node
    assert proofcheck.check_inclusion(services.prove(6))  # this one's path uses it


def test_altered_log_head(attacker) -> None:
    sql("UPDATE auditlog_loghead SET frontier = %s WHERE id = 1", [b"\0" * 64])
    result = verify()
    assert not result.ok and [p.kind for p in result.problems] == ["head"]


def test_altered_checkpoint(attacker, capsys) -> None:
    sql("UPDATE auditlog_checkpoint SET root = %s WHERE size = 7", [b"\1" * 32])
    result = verify()
    assert not result.ok and result.first_problem.kind == "signature"
    assert result.first_problem.checkpoint == 7
    code, out = verify_cli(capsys)
    assert code == 1 and "size 7" in out


def test_truncated_tail_with_its_checkpoints_needs_a_saved_checkpoint(
    attacker, tmp_path, capsys
) -> None:
    saved = tmp_path / "checkpoint.note"
    saved.write_text(Checkpoint.objects.get(size=N).note(), encoding="utf-8")
    sql("DELETE FROM auditlog_logentry WHERE seq >= 9")
    sql("DELETE FROM auditlog_checkpoint WHERE size > 9")
    rebuild_nodes()
    set_head(9)
    assert verify().ok  # consistent with itself: a cut tail leaves no trace in the database
    code, out = verify_cli(capsys, "--checkpoint", str(saved))
    assert code == 1 and "first bad entry: #9" in out
    result = verify(external=[saved.read_text(encoding="utf-8")])
    assert result.first_bad == 9 and result.first_problem.kind == "truncated"


def test_verify_with_the_wrong_public_key_fails(log, tmp_path, capsys) -> None:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from jifang.audit.checkpoint import public_key_pem

    other = tmp_path / "other.pem"
    other.write_bytes(public_key_pem(Ed25519PrivateKey.generate()))
    code, out = verify_cli(capsys, "--pubkey", str(other))
    assert code == 1 and "unknown key" in out
    published = tmp_path / "audit-public.pem"
    assert main(["audit", "pubkey"]) == 0
    published.write_text(capsys.readouterr().out)
    assert verify_cli(capsys, "--pubkey", str(published))[0] == 0


# --------------------------------------------------------------------------- proofs


def test_inclusion_proofs_for_every_entry_and_checkpoint(log) -> None:
    for size in range(1, N + 1):
        for seq in range(size):
            proof = services.prove(seq, size)
            assert base64.b64decode(proof["entry"]) == log[seq]
            assert proofcheck.check_inclusion(proof) == []
            assert proof["tree_size"] == size


def test_pymerkle_agrees_with_the_stored_tree(log) -> None:
    pymerkle = pytest.importorskip("pymerkle")
    tree = pymerkle.InmemoryTree(algorithm="sha256")  # RFC 9162 leaf/node prefixes
    for data in log:
        tree.append_entry(data)
    store = DbNodeStore()
    for size in range(1, N + 1):
        signed = bytes(Checkpoint.objects.get(size=size).root)
        assert tree.get_root(size) == signed == store.root(size)
        for seq in range(size):
            theirs = tree.prove_inclusion(seq + 1, size)  # pymerkle counts from 1
            ours = [base64.b64decode(h) for h in services.prove(seq, size)["inclusion_path"]]
            assert theirs.path == [merkle.leaf_hash(log[seq]), *ours]  # it prepends the leaf
            pymerkle.verify_inclusion(
                merkle.leaf_hash(log[seq]), signed, theirs, index=seq + 1, size=size
            )
        for old in range(1, size + 1):
            theirs = tree.prove_consistency(old, size)
            pymerkle.verify_consistency(
                store.root(old), signed, theirs, prior_size=old, later_size=size
            )


def test_consistency_proofs_between_checkpoints(log, capsys) -> None:
    for old in range(1, N + 1):
        for new in range(old, N + 1):
            assert proofcheck.check_consistency(services.consistency(old, new)) == []
    assert main(["audit", "consistency", "3", "11"]) == 0
    proof = json.loads(capsys.readouterr().out)
    assert (proof["old_size"], proof["new_size"]) == (3, 11)
    assert merkle.verify_consistency(
        3,
        11,
        bytes(Checkpoint.objects.get(size=3).root),
        bytes(Checkpoint.objects.get(size=11).root),
        [base64.b64decode(h) for h in proof["proof"]],
    )
    with pytest.raises(services.ProofError):
        services.consistency(3, 99)


def _doc_checker():
    text = DOC.read_text(encoding="utf-8")
    code = re.search(r"```python\n(# check_proof\.py.*?)```", text, re.S).group(1)
    assert len(code.strip().splitlines()) <= 30
    namespace: dict = {"__name__": "doc"}
    exec(compile(code, str(DOC), "exec"), namespace)
    return namespace["check_proof"]


def test_prove_prints_a_proof_a_third_party_can_check(log, capsys, tmp_path) -> None:
    assert main(["audit", "prove", "6", "--verify"]) == 0
    captured = capsys.readouterr()
    proof = json.loads(captured.out)
    assert "proof verified" in captured.err
    assert proof["index"] == 6 and proof["tree_size"] == N
    assert proof["entry_json"] == json.loads(log[6])
    pem = proof["public_key"].encode()
    assert pem == services.public_key_pem().encode()

    check_proof = _doc_checker()  # the procedure printed in docs/audit.md, run as written
    assert check_proof(proof, pem) is True
    altered = json.loads(log[6])
    altered["actor"] = "user:nobody"
    bad = {
        **proof,
        "entry": base64.b64encode(
            json.dumps(altered, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
        ).decode(),
    }
    assert check_proof(bad, pem) is False
    assert proofcheck.check_inclusion(bad)
    moved = {**proof, "index": 5}
    assert check_proof(moved, pem) is False
    forged = {**proof, "checkpoint": proof["checkpoint"].replace(f"\n{N}\n", f"\n{N + 1}\n")}
    with pytest.raises(InvalidSignature):
        check_proof(forged, pem)

    path = tmp_path / "proof.json"
    path.write_text(json.dumps(proof), encoding="utf-8")
    assert main(["audit", "check-proof", str(path)]) == 0
    path.write_text(json.dumps(bad), encoding="utf-8")
    assert main(["audit", "check-proof", str(path)]) == 1
    capsys.readouterr()


def test_prove_errors(log, capsys, settings, django_capture_on_commit_callbacks) -> None:
    assert main(["audit", "prove", "99"]) == 2
    assert "no audit entry 99" in capsys.readouterr().err
    settings.JIFANG_AUDIT_CHECKPOINT_INTERVAL = 3600
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        services.append("login", "", "", "", None, None)
    assert main(["audit", "prove", str(N)]) == 2  # not covered by a checkpoint yet
    assert "jifang audit checkpoint" in capsys.readouterr().err
    assert main(["audit", "checkpoint"]) == 0
    note = capsys.readouterr().out
    assert note.splitlines()[1] == str(N + 1)
    assert main(["audit", "prove", str(N)]) == 0
    capsys.readouterr()


def test_a_large_log_verifies_quickly(db, django_capture_on_commit_callbacks) -> None:
    import time

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        for i in range(2000):
            services.append("import", "units.unit", i, f"单位{i}", None, {"name": f"单位{i}"})
    began = time.perf_counter()
    result = verify(chunk=500)  # several chunks of entries and of nodes
    assert result.ok and result.size == 2000 and result.nodes == 2000 - (2000).bit_count()
    assert time.perf_counter() - began < 5
