"""The audit log: what registry writes and events append, transactions, triggers, checkpoints."""

from __future__ import annotations

import json
import stat
import threading
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.db import DatabaseError, IntegrityError, connection, transaction
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from jifang.audit import merkle
from jifang.platform.auditlog import services, triggers
from jifang.platform.auditlog.canonical import (
    canonical_json,
    entry_bytes,
    entry_content,
    ts_from_db,
    ts_text,
)
from jifang.platform.auditlog.context import acting_as
from jifang.platform.auditlog.managers import AuditedQuerySet
from jifang.platform.auditlog.models import Checkpoint, LogEntry, MerkleNode
from jifang.platform.auditlog.services import AuditError
from jifang.platform.auditlog.store import node_key, node_pos
from jifang.platform.auditlog.verify import verify
from jifang.platform.compliance.models import ActRecord
from jifang.platform.geo.models import Division
from jifang.platform.systems.models import System
from jifang.platform.units.models import Place, Unit

REPO = Path(__file__).resolve().parents[2]


def entries() -> list[LogEntry]:
    return list(LogEntry.objects.order_by("seq"))


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``with committed(): …`` runs the block's on-commit hooks (the checkpoint) at its end."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def province(db, committed):
    with committed(), transaction.atomic():
        return Division.objects.create(code="350000", name="福建省", level="province")


# --------------------------------------------------------------------------- the entry format


TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12)
JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**60), 2**60) | TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=8,
)


@hsettings(max_examples=60, deadline=None)
@given(
    seq=st.integers(0, 2**40),
    actor=TEXT,
    action=st.sampled_from(sorted(services.ACTIONS)),
    model=TEXT,
    pk=TEXT,
    text=TEXT,
    before=JSONISH,
    after=JSONISH,
    micro=st.integers(0, 999_999),
)
def test_leaf_bytes_are_the_canonical_json_of_the_entry(
    seq, actor, action, model, pk, text, before, after, micro
) -> None:
    ts = ts_text(datetime(2025, 1, 2, 3, 4, 5, micro, tzinfo=UTC))
    data = entry_bytes(
        seq, ts, actor, action, model, pk, text, canonical_json(before), canonical_json(after)
    )
    content = entry_content(
        seq, ts, actor, action, model, pk, text, canonical_json(before), canonical_json(after)
    )
    assert data == json.dumps(
        content, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    ).encode("utf-8")
    assert json.loads(data) == {**content, "before": before, "after": after}


def test_timestamps_have_one_spelling() -> None:
    moment = datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert ts_text(moment) == "2025-01-02T03:04:05.000000Z"
    assert ts_from_db("2025-01-02 03:04:05") == "2025-01-02T03:04:05.000000Z"
    assert ts_from_db("2025-01-02 03:04:05.000120") == "2025-01-02T03:04:05.000120Z"
    assert ts_from_db(moment) == ts_from_db("2025-01-02T11:04:05+08:00") == ts_text(moment)
    with pytest.raises(ValueError):
        ts_text(datetime(2025, 1, 2))  # naive


def test_canonical_json_of_registry_values() -> None:
    value = {"b": Decimal("12.50"), "a": datetime(2025, 1, 2).date(), "c": "技防"}
    assert canonical_json(value) == '{"a":"2025-01-02","b":"12.50","c":"技防"}'
    with pytest.raises(ValueError):
        canonical_json(float("nan"))


def test_node_positions_follow_append_order() -> None:
    written = []

    class Recorder(merkle.MemoryNodeStore):
        def put_many(self, items):
            written.extend((level, index) for level, index, _ in items)
            super().put_many(items)

    store = Recorder()
    for i in range(300):
        merkle.append(store, i, merkle.leaf_hash(str(i).encode()))
    assert [node_pos(level, index) for level, index in written] == list(range(len(written)))
    assert [node_key(node_pos(level, index)) for level, index in written] == written
    with pytest.raises(ValueError):
        node_key(-1)


# --------------------------------------------------------------------------- registry writes


def test_create_update_delete_append_entries_with_before_and_after(province, committed) -> None:
    with committed(), transaction.atomic(), acting_as("user:alice"):
        city = Division.objects.create(code="350100", name="福州市", level="city", parent=province)
    city_pk = city.pk
    stale = Division.objects.get(pk=city_pk)
    with committed(), transaction.atomic(), acting_as("user:bob"):
        city.name = "福州"
        city.save()
    with committed(), transaction.atomic():
        stale.regime_id = "fujian-2015"  # saved from a stale copy: before is the stored row
        stale.save()
    with committed(), transaction.atomic():
        city.delete()

    log = entries()
    assert [(e.seq, e.action, e.model) for e in log] == [
        (0, "create", "geo.division"),
        (1, "create", "geo.division"),
        (2, "update", "geo.division"),
        (3, "update", "geo.division"),
        (4, "delete", "geo.division"),
    ]
    create, rename, regime, delete = log[1:]
    assert (create.actor, rename.actor, regime.actor) == ("user:alice", "user:bob", "system")
    assert create.before_data is None
    assert create.after_data == {
        "code": "350100",
        "id": city_pk,
        "level": "city",
        "name": "福州市",
        "parent": province.pk,
        "regime_id": "",
    }
    assert (rename.before_data["name"], rename.after_data["name"]) == ("福州市", "福州")
    assert (regime.before_data["name"], regime.before_data["regime_id"]) == ("福州", "")
    assert regime.after_data["regime_id"] == "fujian-2015"
    assert delete.before_data == regime.after_data  # the stored row, not the stale instance
    assert delete.after_data is None and delete.object_pk == str(city_pk)
    assert create.object_repr == "福州市（350100）"
    assert [c.size for c in Checkpoint.objects.all()] == [1, 2, 3, 4, 5]  # one per transaction
    assert verify().ok


def test_cascades_and_many_to_many_are_logged(province, committed) -> None:
    with committed(), transaction.atomic():
        unit = Unit.objects.create(name="某幼儿园", kind="individual", division=province)
        hall = Place.objects.create(unit=unit, name="大厅", categories=["kindergarten"])
        gate = Place.objects.create(unit=unit, name="大门", categories=["kindergarten"])
        system = System.objects.create(unit=unit, name="视频监控")
    start = LogEntry.objects.count()
    with committed(), transaction.atomic():
        system.places.add(hall, gate)
        system.places.add(hall)  # already there: no change, no entry
        hall.systems.remove(system)  # from the other side
    with committed(), transaction.atomic():
        system.places.clear()
    changes = [
        (e.action, e.model, e.before_data["places"], e.after_data["places"])
        for e in entries()[start:]
    ]
    assert changes == [
        ("update", "systems.system", [], sorted([hall.pk, gate.pk])),
        ("update", "systems.system", sorted([hall.pk, gate.pk]), [gate.pk]),
        ("update", "systems.system", [gate.pk], []),
    ]
    start = LogEntry.objects.count()
    expected = sorted(
        [
            ("units.unit", str(unit.pk)),
            ("units.place", str(hall.pk)),
            ("units.place", str(gate.pk)),
            ("systems.system", str(system.pk)),
        ]
    )
    with committed(), transaction.atomic():
        unit.delete()  # cascades to places and the system
    deleted = sorted((e.model, e.object_pk) for e in entries()[start:])
    assert all(e.action == "delete" for e in entries()[start:])
    assert deleted == expected
    assert verify().ok


def test_decimal_and_date_values_are_logged_as_stored(province, committed) -> None:
    with committed(), transaction.atomic():
        unit = Unit.objects.create(name="某公司", kind="individual", division=province)
        act = ActRecord.objects.create(
            unit=unit, code="destroy_system", occurred="2024-05-01", illegal_income=12.5
        )
    with committed(), transaction.atomic():
        act.serious = True
        act.save()
    created, updated = entries()[-2:]
    assert created.after_data["illegal_income"] == "12.50"
    assert created.after_data["occurred"] == "2024-05-01"
    assert updated.before_data == created.after_data  # the stored row, read back
    assert updated.after_data == {**created.after_data, "serious": True}


def test_a_write_that_rolls_back_leaves_no_entry(province, committed) -> None:
    before = LogEntry.objects.count()
    with committed(), pytest.raises(RuntimeError), transaction.atomic():
        Division.objects.create(code="350200", name="厦门市", level="city", parent=province)
        raise RuntimeError("boom")
    assert LogEntry.objects.count() == before and services.pending_count() == 0
    with committed(), transaction.atomic():
        Division.objects.create(code="350200", name="厦门市", level="city", parent=province)
    assert [e.seq for e in entries()] == list(range(before + 1))  # still gapless


@pytest.mark.django_db(transaction=True)
def test_no_registry_write_and_no_entry_outside_a_transaction() -> None:
    with pytest.raises(AuditError):
        Division.objects.create(code="350000", name="福建省", level="province")
    assert not Division.objects.exists() and not LogEntry.objects.exists()
    with pytest.raises(AuditError):
        services.append("login", "", "", "", None, None)
    # log_event opens its own transaction, and its checkpoint is signed on commit
    services.log_event("login_failed", actor="user:mallory", after={"reason": "password"})
    with transaction.atomic():
        division = Division.objects.create(code="350000", name="福建省", level="province")
    division.delete()  # Django's deletion is atomic by itself: logged
    assert [(e.seq, e.action) for e in entries()] == [
        (0, "login_failed"),
        (1, "create"),
        (2, "delete"),
    ]
    assert [c.size for c in Checkpoint.objects.all()] == [1, 2, 3]
    assert verify().ok


def test_assessments_and_events_through_the_service(db, committed) -> None:
    with committed(), transaction.atomic():
        services.append(
            "assess",
            "compliance.assessment",
            7,
            "某银行 @ 2024-06-01",
            None,
            {"findings": 2, "regime": "guangdong-2017"},
        )
        services.log_event("permission_denied", actor="user:eve", object_repr="/admin/")
    assess, refused = entries()
    assert (assess.action, assess.model, assess.object_pk) == (
        "assess",
        "compliance.assessment",
        "7",
    )
    assert assess.after_data == {"findings": 2, "regime": "guangdong-2017"}
    assert (refused.actor, refused.action) == ("user:eve", "permission_denied")
    assert [c.size for c in Checkpoint.objects.all()] == [2]
    with pytest.raises(AuditError), transaction.atomic():
        services.append("Drop Table", "", "", "", None, None)


def test_a_transaction_of_many_entries_signs_one_checkpoint(db, committed) -> None:
    with committed() as callbacks, transaction.atomic():
        for i in range(300):
            services.append("import", "units.unit", i, f"单位{i}", None, {"i": i})
    assert len(callbacks) == 1
    assert [c.size for c in Checkpoint.objects.all()] == [300]
    assert MerkleNode.objects.count() == 300 - (300).bit_count()  # 2n - popcount(n) - n leaves
    result = verify()
    assert result.ok and result.nodes == MerkleNode.objects.count()


def test_entries_wait_in_the_queue_until_their_transaction_commits(db, committed) -> None:
    with transaction.atomic():
        services.append("login", "", "", "", None, None)
        services.append("logout", "", "", "", None, None)
    # in a test the outer transaction never commits, so the sequencer has not run
    assert services.pending_count() == 2 and not LogEntry.objects.exists()
    pending = verify()
    assert pending.ok and pending.pending == 2 and "2 entries await sequencing" in pending.report()
    assert not verify(grace=-1).ok
    assert verify(grace=-1).first_problem.kind == "unsequenced"
    assert services.sequence() == 2
    assert services.pending_count() == 0 and [e.action for e in entries()] == ["login", "logout"]
    assert [c.size for c in Checkpoint.objects.all()] == [2]
    assert verify(grace=0).ok


def test_checkpoint_interval_and_the_unsigned_tail(db, committed, settings) -> None:
    settings.JIFANG_AUDIT_CHECKPOINT_INTERVAL = 3600
    with committed(), transaction.atomic():
        services.append("login", "", "", "", None, None)
    with committed(), transaction.atomic():
        services.append("logout", "", "", "", None, None)
    assert [c.size for c in Checkpoint.objects.all()] == [1]  # the second waits
    pending = verify()
    assert pending.ok and "#1–#0" not in pending.report()
    assert any("#1" in w for w in pending.warnings)
    assert not verify(grace=0).ok
    services.checkpoint(force=True)
    assert [c.size for c in Checkpoint.objects.all()] == [1, 2]
    assert services.checkpoint(force=True) is None  # already covered
    assert verify(grace=0).ok


def test_audited_queryset_logs_bulk_writes(province, committed) -> None:
    units = AuditedQuerySet(Unit)
    with committed(), transaction.atomic():
        made = units.bulk_create(
            [Unit(name=f"单位{i}", kind="individual", division=province) for i in range(3)]
        )
    with committed(), transaction.atomic():
        assert units.filter(name__in=["单位0", "单位1"]).update(phone="110") == 2
    made[2].address = "某路1号"
    with committed(), transaction.atomic():
        units.bulk_update([made[2]], ["address"])
    log = [(e.action, e.object_pk) for e in entries()[1:]]
    pks = [str(u.pk) for u in made]
    assert log == [
        ("create", pks[0]),
        ("create", pks[1]),
        ("create", pks[2]),
        ("update", pks[0]),
        ("update", pks[1]),
        ("update", pks[2]),
    ]
    phone = entries()[4]
    assert (phone.before_data["phone"], phone.after_data["phone"]) == ("", "110")
    assert entries()[-1].after_data["address"] == "某路1号"
    with pytest.raises(AuditError), transaction.atomic():
        units.bulk_create(
            [Unit(name="x", kind="individual", division=province)], ignore_conflicts=True
        )
    assert verify().ok


# --------------------------------------------------------------------------- append-only


def _refused(sql: str, params=()) -> None:
    with pytest.raises(DatabaseError) as caught, transaction.atomic(), connection.cursor() as c:
        c.execute(sql, params)
    assert "append-only" in str(caught.value)


def test_the_tables_refuse_update_and_delete(db, committed) -> None:
    with committed(), transaction.atomic():
        for i in range(4):
            services.append("login", "", "", "", None, {"i": i})
    assert triggers.installed(connection)
    for table, column in zip(triggers.TABLES, ("seq", "pos", "size"), strict=True):
        _refused(f"UPDATE {table} SET {column} = {column} + 100")
        _refused(f"DELETE FROM {table}")
    if connection.vendor == "postgresql":
        _refused("TRUNCATE auditlog_logentry")
    entry = LogEntry.objects.get(seq=1)
    entry.actor = "mallory"
    for attempt in (
        entry.save,
        entry.delete,
        LogEntry.objects.all().delete,
        lambda: LogEntry.objects.filter(seq=1).update(actor="mallory"),
        MerkleNode.objects.all().delete,
        Checkpoint.objects.all().delete,
        lambda: Checkpoint.objects.update(origin="x"),
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            attempt()
    assert LogEntry.objects.get(seq=1).actor == "system" and LogEntry.objects.count() == 4
    assert verify().ok


def test_entries_join_the_log_even_when_signing_fails(
    db, committed, settings, tmp_path, caplog
) -> None:
    bad_key = tmp_path / "key.pem"
    bad_key.write_text("not a key")
    bad_key.chmod(0o600)
    settings.JIFANG_AUDIT_KEY = bad_key
    with committed(), transaction.atomic():
        services.append("login", "", "", "", None, None)
    assert "cannot sign an audit checkpoint" in caplog.text
    assert LogEntry.objects.count() == 1 and not Checkpoint.objects.exists()
    assert verify(grace=0).first_problem.kind == "unsigned"


def test_the_signing_key_is_made_private_in_the_data_directory(db, committed) -> None:
    with committed(), transaction.atomic():
        services.append("login", "", "", "", None, None)
    path = Path(settings.JIFANG_AUDIT_KEY)
    assert path.exists() and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.parent == Path(settings.DATA_DIR) and REPO not in path.parents
    assert services.public_key_pem().startswith("-----BEGIN PUBLIC KEY-----")


# --------------------------------------------------------------------------- concurrency


def _eight_writers(write) -> None:
    """Run write(k) for k in 0..7 in threads, each on its own connection; none may fail."""
    errors: list[BaseException] = []

    def run(k: int) -> None:
        from django.db import connection as own

        try:
            write(k)
        except BaseException as exc:
            errors.append(exc)
        finally:
            own.close()

    threads = [threading.Thread(target=run, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_get_a_gapless_log() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's in-memory test database cannot be shared by threads")

    def writer(k: int) -> None:
        for i in range(25):
            with transaction.atomic():
                services.log_event("login", actor=f"user:{k}", after={"i": i})
                if i % 5 == 0:
                    services.log_event("logout", actor=f"user:{k}")

    _eight_writers(writer)
    assert list(LogEntry.objects.values_list("seq", flat=True)) == list(range(8 * 30))
    assert services.head_size() == 240 and services.pending_count() == 0
    assert Checkpoint.objects.order_by("-size").first().size == 240
    result = verify(grace=0, chunk=50, readers=2)  # reader threads on their own connections
    assert result.ok and result.size == 240 and result.nodes == 240 - 4, result.report()
    triggers.uninstall(connection)
    try:
        with connection.cursor() as cursor:
            cursor.execute("UPDATE auditlog_logentry SET actor = 'x' WHERE seq = 123")
        assert verify(chunk=50, readers=2).first_bad == 123
    finally:
        triggers.install(connection)


def _postgres_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the sequencer's advisory locks and prepared statements are PostgreSQL's")


@pytest.mark.django_db(transaction=True)
def test_lone_events_from_many_writers_leave_nothing_pending() -> None:
    # log_event outside a transaction: one statement each, no sequencing call of our own
    _postgres_only()

    def writer(k: int) -> None:
        for i in range(30):
            services.log_event("login", actor=f"user:{k}", after={"i": i})

    _eight_writers(writer)
    assert services.pending_count() == 0 and services.head_size() == 240
    assert sorted(e.after_data["i"] for e in entries() if e.actor == "user:3") == list(range(30))
    result = verify(grace=0)
    assert result.ok and result.size == 240, result.report()


@pytest.mark.django_db(transaction=True)
def test_a_stopping_sequencer_waits_for_the_lone_event_that_saw_it(monkeypatch) -> None:
    """A lone event that finds the lock taken relies on the holder: the holder, when it stops,
    waits for that event's commit before its last look at the queue."""
    _postgres_only()
    inside, go = threading.Event(), threading.Event()
    real_move = services._move

    def held_move(*args, **kwargs):
        if not inside.is_set():
            inside.set()
            go.wait(10)
        return real_move(*args, **kwargs)

    monkeypatch.setattr(services, "_move", held_move)
    errors: list[BaseException] = []

    def event(name: str) -> None:
        from django.db import connection as own

        try:
            services.log_event("login", actor=name)
        except BaseException as exc:
            errors.append(exc)
        finally:
            own.close()

    holder = threading.Thread(target=event, args=("user:holder",))
    holder.start()
    assert inside.wait(10)  # the holder has the lock and is moving its own entry
    with connection.cursor() as cursor:  # the next insert commits a while after its look
        cursor.execute(
            "CREATE FUNCTION jifang_test_slow() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN PERFORM pg_sleep(1); RETURN NULL; END $$"
        )
        cursor.execute(
            "CREATE TRIGGER jifang_test_slow AFTER INSERT ON auditlog_pendingentry "
            "FOR EACH ROW EXECUTE FUNCTION jifang_test_slow()"
        )
    try:
        late = threading.Thread(target=event, args=("user:late",))
        late.start()
        threading.Event().wait(0.3)  # its statement has looked at the lock and is sleeping
        go.set()  # the holder finds the queue empty (the late entry is not committed) and stops
        holder.join()
        late.join()
    finally:
        go.set()
        with connection.cursor() as cursor:
            cursor.execute("DROP TRIGGER IF EXISTS jifang_test_slow ON auditlog_pendingentry")
            cursor.execute("DROP FUNCTION IF EXISTS jifang_test_slow()")
    assert not errors
    assert services.pending_count() == 0
    assert sorted(e.actor for e in entries()) == ["user:holder", "user:late"]
    assert verify(grace=0).ok


@pytest.mark.django_db(transaction=True)
def test_the_sequencer_vacuums_the_queue(monkeypatch, caplog) -> None:
    _postgres_only()
    monkeypatch.setattr(services, "VACUUM_EVERY", 4)
    vacuums: list[int] = []
    real_vacuum = services._vacuum
    monkeypatch.setattr(
        services, "_vacuum", lambda cursor: vacuums.append(1) or real_vacuum(cursor)
    )
    for i in range(10):
        services.log_event("export", after={"i": i})
    assert len(vacuums) == 2  # at sizes 4 and 8
    assert "cannot vacuum" not in caplog.text
    assert services.pending_count() == 0 and verify(grace=0).ok


@pytest.mark.django_db(transaction=True)
def test_the_log_prepares_its_statements_unless_told_not_to(settings) -> None:
    _postgres_only()

    def prepared() -> list[str]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT statement FROM pg_prepared_statements")
            return [row[0] for row in cursor.fetchall()]

    services.log_event("export", after={"i": 1})
    assert any("auditlog_pendingentry" in sql for sql in prepared())
    settings.JIFANG_AUDIT_PREPARED_STATEMENTS = False
    connection.close()
    services.log_event("export", after={"i": 2})
    assert prepared() == []
    assert services.pending_count() == 0 and verify(grace=0).ok


def test_a_batch_whose_queue_rows_vanished_writes_nothing(db) -> None:
    _postgres_only()
    with transaction.atomic():
        services.append("login", "", "", "", None, None)
        services.append("logout", "", "", "", None, None)
    with services._pg_cursor(connection) as cursor:
        head, rows = services._read_pg(cursor, True)
        assert len(rows) == 2
        cursor.execute("DELETE FROM auditlog_pendingentry WHERE id = %s", [rows[0][0]])
        with (
            pytest.raises(DatabaseError, match="audit queue changed"),
            transaction.atomic(),
            connection.wrap_database_errors,
        ):
            services._move(cursor, "postgresql", head, rows, "default")
    assert not LogEntry.objects.exists() and services.head_size() == 0
    assert services.sequence() == 1  # what is still queued, without a gap
    assert [(e.seq, e.action) for e in entries()] == [(0, "logout")]
    assert verify(grace=0).ok
