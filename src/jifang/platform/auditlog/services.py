"""Append to the audit log, sequence it, sign checkpoints, build proofs.

Appending is two steps, so that many writers never wait for each other's commits:

1. :func:`append` writes the entry to ``PendingEntry`` inside the caller's transaction (it
   refuses to run outside one): the entry commits or rolls back with the change it records.
2. When that transaction commits, :func:`sequence` (an on-commit hook) takes the log lock,
   gives every pending entry the next ``seq``, computes its leaf and the Merkle nodes it
   completes, moves it to ``LogEntry`` and signs one checkpoint for the new size, all in one
   transaction. The lock is only tried: whoever holds it drains the queue, everybody's
   entries included, and looks again before it stops, so the others return at once. With no
   contention (and always on SQLite) the writer's own entry is in the log and signed when its
   request returns; under load, a few milliseconds later.

Why not give the entry its ``seq`` inside the writer's transaction? Then the log lock would
be held across every commit's disk flush, and writers would commit one at a time: measured at
430 appends/s with 8 writers on PostgreSQL, against 2,000–5,000/s this way on the same two
cores (docs/audit.md).

A crash between the two steps leaves entries pending; the next commit (or
``jifang audit checkpoint``) sequences them, and ``verify`` reports them meanwhile.

:func:`log_event` records events that are not registry writes (assessments, logins,
refusals); outside a transaction on PostgreSQL its entry is one statement that commits on its
own (see ``_PG_EVENT``). :func:`checkpoint` signs the head on demand; :func:`prove` and
:func:`consistency` build proofs a third party can check (docs/audit.md).
"""

from __future__ import annotations

import base64
import contextlib
import logging
import re
import threading
import time
from pathlib import Path
from typing import Any, NamedTuple

from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone

from jifang.audit import checkpoint as cp
from jifang.audit import merkle

from .canonical import canonical_json, entry_bytes, entry_content, ts_from_db
from .context import current_actor
from .store import ENTRY_TABLE, NODE_TABLE, DbNodeStore, perfect_keys

log = logging.getLogger(__name__)

HEAD_TABLE = "auditlog_loghead"
CHECKPOINT_TABLE = "auditlog_checkpoint"
REPR_MAX = 200

ACTIONS = {
    "create": "新增",
    "update": "修改",
    "delete": "删除",
    "assess": "评估",
    "login": "登录",
    "login_failed": "登录失败",
    "logout": "退出",
    "permission_denied": "拒绝访问",
    "export": "导出",
    "import": "导入",
}
"""Known actions and their Chinese labels. Other lowercase identifiers are accepted too."""
_ACTION = re.compile(r"[a-z][a-z0-9_]{0,31}")


class AuditError(RuntimeError):
    """A write the audit log cannot record (and that is therefore refused)."""


# --------------------------------------------------------------------------- keys

_keys: dict[Path, Ed25519PrivateKey] = {}
_keys_lock = threading.Lock()


def key_path() -> Path:
    return Path(settings.JIFANG_AUDIT_KEY)


def signing_key() -> Ed25519PrivateKey:
    """The log's Ed25519 key, generated (mode 0600) in the data directory on first use."""
    path = key_path()
    with _keys_lock:
        if path not in _keys:
            path.parent.mkdir(parents=True, exist_ok=True)
            _keys[path] = cp.load_or_create_key(path)
        return _keys[path]


def public_key() -> Ed25519PublicKey:
    """The public half, from the key file. Raises FileNotFoundError if none was made yet."""
    path = key_path()
    if path not in _keys and not path.exists():
        raise FileNotFoundError(f"no audit signing key at {path}")
    return signing_key().public_key()


def public_key_pem() -> str:
    return cp.public_key_pem(public_key()).decode("ascii")


def origin() -> str:
    return settings.JIFANG_AUDIT_ORIGIN


# --------------------------------------------------------------------------- append

PENDING_TABLE = "auditlog_pendingentry"
PENDING_COLUMNS = "ts, actor, action, model, object_pk, object_repr, before, after"
PENDING_INSERT = (
    f"INSERT INTO {PENDING_TABLE} ({PENDING_COLUMNS}) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)"
)
SEQUENCE_LOCK = 0x6A6966616E67  # "jifang": the PostgreSQL advisory lock of the sequencer
BATCH = 2000


def _entry(
    connection,
    action: str,
    model: str,
    object_pk: Any,
    object_repr: Any,
    before: Any,
    after: Any,
    actor: str | None,
) -> list:
    """The queue row's values, checked; raises :class:`AuditError` on a bad action."""
    if not isinstance(action, str) or not _ACTION.fullmatch(action):
        raise AuditError(f"bad audit action {action!r}: a lowercase identifier")
    return [
        connection.ops.adapt_datetimefield_value(timezone.now()),
        str(actor if actor is not None else current_actor())[:150],
        action,
        str(model or "")[:100],
        "" if object_pk is None else str(object_pk)[:64],
        "" if object_repr is None else str(object_repr)[:REPR_MAX],
        canonical_json(before),
        canonical_json(after),
    ]


def _pg_queue(connection, params: list) -> None:
    """INSERT one entry into the queue through psycopg (a writer does it on every commit)."""
    with connection.wrap_database_errors, _pg_cursor(connection) as cursor:
        cursor.execute(PENDING_INSERT, params, prepare=_prepare(connection))


def append(
    action: str,
    model: str,
    object_pk: Any,
    object_repr: Any,
    before: Any,
    after: Any,
    actor: str | None = None,
    *,
    using: str = DEFAULT_DB_ALIAS,
) -> None:
    """Record one entry in the current transaction; it joins the log when that commits.

    ``model`` is a label such as ``"units.unit"`` (or ``""`` for events about no record);
    ``before``/``after`` are JSON-ready values (dicts of fields), ``None`` when absent. The
    actor defaults to :func:`~jifang.platform.auditlog.context.current_actor`. Raises
    :class:`AuditError` outside a transaction: the entry must commit or roll back with the
    change it records.
    """
    connection = connections[using]
    if not connection.in_atomic_block:
        raise AuditError(
            "审计日志只能在事务中追加（用 transaction.atomic()）/ "
            "audit entries must be appended inside a transaction (use transaction.atomic())"
        )
    params = _entry(connection, action, model, object_pk, object_repr, before, after, actor)
    if connection.vendor == "postgresql":
        _pg_queue(connection, params)
    else:
        with connection.cursor() as cursor:
            cursor.execute(PENDING_INSERT, params)
    _sequence_on_commit(connection, using)


def log_event(
    action: str,
    *,
    model: str = "",
    object_pk: Any = "",
    object_repr: Any = "",
    before: Any = None,
    after: Any = None,
    actor: str | None = None,
    using: str = DEFAULT_DB_ALIAS,
) -> None:
    """Record an event that is not a registry write (a login, a refusal, an assessment…).

    Joins the current transaction if there is one (so the event rolls back with it) and
    otherwise commits on its own.
    """
    connection = connections[using]
    if (
        connection.vendor == "postgresql"
        and not connection.in_atomic_block
        and connection.get_autocommit()
    ):
        # The entry is the whole transaction: one statement in autocommit commits it (durably,
        # as COMMIT would) without BEGIN and COMMIT round trips, and tells whether a sequencer
        # holds the lock; if one does, it will see the entry (see _PG_EVENT).
        params = _entry(connection, action, model, object_pk, object_repr, before, after, actor)
        with connection.wrap_database_errors, _pg_cursor(connection) as cursor:
            cursor.execute(_PG_EVENT, params, prepare=_prepare(connection))
            unsequenced = cursor.fetchone()[0]
        if unsequenced:
            _sequence_committed(using)
        return
    with transaction.atomic(using=using):
        append(action, model, object_pk, object_repr, before, after, actor, using=using)


def _sequence_committed(using: str) -> None:
    """Sequence after a commit. Robust: the change has committed, and failing to sequence must
    not turn it into an error (the entry stays pending, verify reports it, and the next commit
    sequences it)."""
    try:
        sequence(using=using)
    except Exception:
        log.exception("cannot sequence the audit log now; the next commit will")


def _sequence_on_commit(connection, using: str) -> None:
    """Register one sequencer hook per transaction, however many entries it appends."""
    for item in connection.run_on_commit:
        func = item[1]
        if getattr(func, "jifang_audit_sequence", False) and not func.done:
            return

    def sequence_audit_log() -> None:
        sequence_audit_log.done = True
        sequence(using=using)

    sequence_audit_log.jifang_audit_sequence = True
    sequence_audit_log.done = False
    # robust: see _sequence_committed
    connection.on_commit(sequence_audit_log, robust=True)


class _Head(NamedTuple):
    size: int
    frontier: list[bytes]
    signed_size: int
    signed_at: int


def _lock_head(cursor, vendor: str, *, wait: bool = True) -> _Head | None:
    """Take the log lock and read the head; None if ``wait`` is false and the lock is busy."""
    if vendor == "postgresql":
        # An advisory lock writes nothing, so a holder that finds nothing to do commits
        # without a WAL flush. SQLite's IMMEDIATE transaction already holds the database lock.
        cursor.execute(f"SELECT pg_{'' if wait else 'try_'}advisory_xact_lock(%s)", [SEQUENCE_LOCK])
        if not wait and not cursor.fetchone()[0]:
            return None
    cursor.execute(f"SELECT size, frontier, signed_size, signed_at FROM {HEAD_TABLE} WHERE id = 1")
    row = cursor.fetchone()
    if row is None:
        cursor.execute(
            f"INSERT INTO {HEAD_TABLE} (id, size, frontier, signed_size, signed_at) "
            "VALUES (1, 0, %s, 0, 0)",
            [b""],
        )
        return _Head(0, [], 0, 0)
    return _head(*row)


def _head(size: int, frontier, signed_size: int, signed_at: int) -> _Head:
    frontier = bytes(frontier or b"")
    return _Head(
        size, [frontier[i : i + 32] for i in range(0, len(frontier), 32)], signed_size, signed_at
    )


def _store_at(head: _Head, using: str) -> DbNodeStore:
    """A buffered node store primed with the head's right edge (read from the nodes if the
    cached copy does not fit the size)."""
    store = DbNodeStore(using, buffered=True)
    keys = perfect_keys(head.size)
    if len(head.frontier) == len(keys):
        store.cache.update(zip(keys, head.frontier, strict=True))
    else:
        store.preload(keys)
    return store


def _run(cursor, vendor: str, statements: list[tuple[str, list]]) -> None:
    """Execute independent writes; on PostgreSQL as one statement (data-modifying CTEs, each
    run exactly once), saving a round trip per write while the log lock is held."""
    if vendor == "postgresql" and len(statements) > 1:
        *ctes, (last, last_params) = statements
        sql = "WITH " + ", ".join(f"w{i} AS ({q})" for i, (q, _) in enumerate(ctes))
        params = [p for _, ps in ctes for p in ps]
        cursor.execute(f"{sql} {last}", [*params, *last_params])
        return
    for sql, params in statements:
        cursor.execute(sql, params)


def _due(head: _Head, size: int, force: bool) -> bool:
    """Whether to sign a checkpoint of ``size`` now."""
    if size <= head.signed_size and (size or head.signed_at):
        return False  # already covered (the empty log only once, and only when forced)
    if size == 0 and not force:
        return False
    interval = _interval()
    return force or not interval or time.time() - head.signed_at >= interval


def _sign(store: DbNodeStore, size: int) -> cp.Checkpoint:
    return cp.sign(signing_key(), origin(), size, store.root(size))


def _checkpoint_insert(signed: cp.Checkpoint) -> tuple[str, list]:
    return (
        f"INSERT INTO {CHECKPOINT_TABLE} (size, origin, root, timestamp, key_id, signature) "
        "VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (size) DO NOTHING",
        [
            signed.size,
            signed.origin,
            signed.root,
            signed.timestamp,
            signed.key_id,
            signed.signature,
        ],
    )


def sequence(*, using: str = DEFAULT_DB_ALIAS, budget: float = 1.0) -> int:
    """Move committed pending entries into the log; return how many this call moved.

    Each batch is one transaction under the log lock: entries get ``seq`` in queue order,
    their leaves and the Merkle nodes they complete are written, and one checkpoint is signed
    for the new size (subject to ``JIFANG_AUDIT_CHECKPOINT_INTERVAL``).

    If another process holds the lock, this returns at once: the holder looks at the queue
    again after each batch (after releasing the lock), so it also takes entries committed
    while it worked. A holder stops after ``budget`` seconds of batches (a request must not
    sequence forever under load); the next commit, or ``jifang audit checkpoint``, continues.
    """
    connection = connections[using]
    if (
        connection.vendor == "postgresql"
        and not connection.in_atomic_block
        and connection.get_autocommit()
    ):
        return _sequence_pg(connection, using, budget)
    moved, began = 0, time.monotonic()
    while time.monotonic() - began < budget:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT 1 FROM {PENDING_TABLE} LIMIT 1")
            if cursor.fetchone() is None:
                return moved
        count = _batch(connection, using)
        if count is None:
            return moved
        moved += count  # (0: drained meanwhile; look once more)
    return moved


# On PostgreSQL outside a transaction (every on-commit hook), the sequencer talks to the server
# through psycopg directly, with server-side parameters and prepared statements (see
# _prepare). One statement claims the lock; one reads the queue and the head; then, while the
# queue is not empty, one statement per batch writes everything (entries, queue deletions,
# nodes, checkpoint, head) and reads the next batch of the queue in the same snapshot. A single
# statement is its own transaction, so there are no BEGIN and COMMIT round trips. The writes
# have a fixed shape (arrays, not one row of placeholders per entry), sent in binary (%b: the
# elements of the text arrays are not escaped one by one). The lock is a session lock, so it
# spans those statements. When a batch finds the queue empty, one round trip releases the lock,
# waits for lone events (below) and looks again in a statement of its own, whose snapshot is
# taken after the release: a writer that committed and then found the lock taken is always
# seen. The queue is vacuumed as it goes (VACUUM_EVERY).
_PG_CLAIM = (  # (min: by the primary key, however many empty pages the queue's table has)
    f"SELECT CASE WHEN (SELECT min(id) FROM {PENDING_TABLE}) IS NOT NULL "
    f"THEN pg_catalog.pg_try_advisory_lock({SEQUENCE_LOCK}) END"
)
_PG_RELEASE = f"SELECT pg_catalog.pg_advisory_unlock({SEQUENCE_LOCK})"
# A lone event (log_event outside a transaction) is one statement that commits on its own. It
# holds QUEUE_LOCK shared until its commit is done, and looks whether the sequencer's lock is
# free only before it commits: true if free (the writer then sequences after the commit, as
# every writer does), false if a sequencer holds it. That sequencer, when it stops, releases
# its lock and then waits for QUEUE_LOCK (_PG_BARRIER) before it looks at the queue again: the
# event that saw it busy has committed by then, and is seen. One round trip, not two.
QUEUE_LOCK = SEQUENCE_LOCK + 1
_PG_EVENT = (
    f"WITH queued AS MATERIALIZED (SELECT pg_catalog.pg_advisory_xact_lock_shared({QUEUE_LOCK})) "
    f"INSERT INTO {PENDING_TABLE} ({PENDING_COLUMNS}) "
    "SELECT %s, %s, %s, %s, %s, %s, %s, %s FROM queued "
    f"RETURNING CASE WHEN pg_catalog.pg_try_advisory_lock({SEQUENCE_LOCK}) "
    f"THEN pg_catalog.pg_advisory_unlock({SEQUENCE_LOCK}) ELSE false END"
)
_PG_BARRIER = f"SELECT pg_catalog.pg_advisory_xact_lock({QUEUE_LOCK})"
_PG_QUEUE = f"SELECT p.id, {', '.join('p.' + c for c in PENDING_COLUMNS.split(', '))}"
_PG_READ = (
    f"{_PG_QUEUE}, h.size, h.frontier, h.signed_size, h.signed_at FROM {PENDING_TABLE} p "
    f"LEFT JOIN {HEAD_TABLE} h ON h.id = 1 ORDER BY p.id LIMIT {BATCH}"
)
# The entries' columns are not sent back: the statement moves them from the queue rows, with
# the seq and leaf hash computed from exactly those rows (read under the same lock; only the
# lock's holder deletes from the queue, and nothing updates it).
_PG_WRITE = (
    "WITH batch AS (SELECT * FROM unnest(%b::bigint[], %b::bytea[]) WITH ORDINALITY "
    "AS b (id, leaf_hash, n)), "
    f"queue AS (DELETE FROM {PENDING_TABLE} p USING batch b WHERE p.id = b.id "
    f"RETURNING b.n, {', '.join('p.' + c for c in PENDING_COLUMNS.split(', '))}, b.leaf_hash), "
    f"entries AS (INSERT INTO {ENTRY_TABLE} (seq, {PENDING_COLUMNS}, leaf_hash) "
    f"SELECT %b::bigint + n - 1, {PENDING_COLUMNS}, leaf_hash FROM queue), "
    f"nodes AS (INSERT INTO {NODE_TABLE} (pos, hash) "
    "SELECT * FROM unnest(%b::bigint[], %b::bytea[])), "
    f"signed AS (INSERT INTO {CHECKPOINT_TABLE} (size, origin, root, timestamp, key_id, signature) "
    "SELECT %b::bigint, %b::text, %b::bytea, %b::text, %b::bytea, %b::bytea WHERE %b::boolean "
    "ON CONFLICT (size) DO NOTHING), "
    # every row of the batch must still be queued, or the statement fails (a cast error with
    # this text) and writes nothing: a gap in seq is never written
    f"head AS (UPDATE {HEAD_TABLE} SET size = CASE WHEN (SELECT count(*) FROM queue) = "
    "(SELECT count(*) FROM batch) THEN %b::bigint "
    "ELSE (SELECT '审计队列在入账时被改动 / the audit queue changed under the sequencer')::bigint "
    "END, frontier = %b, signed_size = %b, signed_at = %b WHERE id = 1) "
    # the next batch: the statement's snapshot still shows this batch's rows
    f"{_PG_QUEUE} FROM {PENDING_TABLE} p WHERE p.id <> ALL (ARRAY(SELECT id FROM batch)) "
    f"ORDER BY p.id LIMIT {BATCH}"
)
VACUUM_EVERY = 1024
"""The sequencer vacuums the queue whenever the log's size passes a multiple of this. Every
entry leaves a dead row in the queue, and autovacuum (at most once a minute) lets a busy
queue grow to thousands of pages that each look at the queue would scan."""
_PG_VACUUM = f"VACUUM (SKIP_LOCKED, TRUNCATE FALSE) {PENDING_TABLE}"
_NEVER = 1 << 62


def _pg_cursor(connection):
    """A psycopg cursor with server-side parameters on the connection Django holds."""
    import psycopg

    connection.ensure_connection()
    return psycopg.Cursor(connection.connection)


def _prepare(connection) -> bool:
    """``prepare`` for the log's own statements on this (connected) psycopg connection.

    They are prepared (parsed and planned once per connection) unless
    ``JIFANG_AUDIT_PREPARED_STATEMENTS`` is false, e.g. behind a pooler in transaction mode
    that cannot keep prepared statements. Django disables psycopg's automatic preparation
    (``prepare_threshold`` None); a threshold too high to be reached lets psycopg prepare what
    is asked for and nothing else (Django's own cursors bind on the client and never prepare).
    """
    if not getattr(settings, "JIFANG_AUDIT_PREPARED_STATEMENTS", True):
        return False
    raw = connection.connection
    if raw.prepare_threshold is None:
        raw.prepare_threshold = _NEVER
    return True


def _sequence_pg(connection, using: str, budget: float) -> int:
    moved, began = 0, time.monotonic()
    with connection.wrap_database_errors, _pg_cursor(connection) as cursor:
        prepare = _prepare(connection)
        cursor.execute(_PG_CLAIM, prepare=prepare)
        locked = cursor.fetchone()[0]  # None: nothing pending; False: the holder takes ours
        while locked:
            try:
                head, rows = _read_pg(cursor, prepare)
                while rows:  # (else drained meanwhile)
                    size = head.size
                    head, next_rows = _move(cursor, "postgresql", head, rows, using)
                    moved += len(rows)
                    if head.size // VACUUM_EVERY != size // VACUUM_EVERY:
                        _vacuum(cursor)
                    rows = next_rows if time.monotonic() - began < budget else []
            except BaseException:
                with contextlib.suppress(Exception):  # (a lost connection has released it)
                    cursor.execute(_PG_RELEASE, prepare=prepare)
                raise
            if time.monotonic() - began >= budget:
                cursor.execute(_PG_RELEASE, prepare=prepare)
                break
            # release, wait for lone events that saw the lock taken, then look again in a
            # statement of its own (one round trip for the three)
            cursor.execute(f"{_PG_RELEASE}; {_PG_BARRIER}; {_PG_CLAIM}", prepare=False)
            cursor.nextset()
            cursor.nextset()
            locked = cursor.fetchone()[0]
    return moved


def _vacuum(cursor) -> None:
    """Vacuum the queue (a few pages: about a millisecond); a failure only delays it."""
    try:
        cursor.execute(_PG_VACUUM, prepare=False)
    except Exception:
        log.warning("cannot vacuum the audit queue", exc_info=True)


def _read_pg(cursor, prepare: bool) -> tuple[_Head, list[tuple]]:
    """The head and the first batch of the queue, under the session lock."""
    cursor.execute(_PG_READ, binary=True, prepare=prepare)
    rows = cursor.fetchall()
    if not rows:
        return _Head(0, [], 0, 0), []
    if rows[0][-4] is None:  # the first batch ever: make the head row
        cursor.execute(
            f"INSERT INTO {HEAD_TABLE} (id, size, frontier, signed_size, signed_at) "
            "VALUES (1, 0, %s, 0, 0) ON CONFLICT (id) DO NOTHING",
            [b""],
        )
        return _Head(0, [], 0, 0), [row[:-4] for row in rows]
    return _head(*rows[0][-4:]), [row[:-4] for row in rows]


def _batch(connection, using: str) -> int | None:
    """One sequencing transaction inside the caller's transaction or on SQLite; None if the
    lock is busy."""
    vendor = connection.vendor
    with transaction.atomic(using=using), connection.cursor() as cursor:
        if vendor == "postgresql":
            cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [SEQUENCE_LOCK])
            if not cursor.fetchone()[0]:
                return None
        cursor.execute(
            f"SELECT p.id, {', '.join('p.' + c for c in PENDING_COLUMNS.split(', '))}, "
            f"h.size, h.frontier, h.signed_size, h.signed_at FROM {PENDING_TABLE} p "
            f"LEFT JOIN {HEAD_TABLE} h ON h.id = 1 ORDER BY p.id LIMIT {BATCH}"
        )
        rows = cursor.fetchall()
        if not rows:
            return 0
        # (no head row yet: create it)
        head = _lock_head(cursor, vendor) if rows[0][-4] is None else _head(*rows[0][-4:])
        if vendor == "postgresql":
            with connection.wrap_database_errors, _pg_cursor(connection) as raw:
                _move(raw, vendor, head, [row[:-4] for row in rows], using)
        else:
            _move(cursor, vendor, head, [row[:-4] for row in rows], using)
    return len(rows)


def _move(
    cursor, vendor: str, head: _Head, rows: list[tuple], using: str
) -> tuple[_Head, list[tuple]]:
    """Sequence ``rows`` (pending rows: id and columns) after ``head``; return the new head and,
    on PostgreSQL, the next batch of the queue (read by the same statement). On PostgreSQL
    ``cursor`` is a psycopg cursor (:func:`_pg_cursor`), elsewhere Django's."""
    store = _store_at(head, using)
    entries = []
    for seq, (_, ts, actor, action, model, object_pk, object_repr, before, after) in enumerate(
        rows, start=head.size
    ):
        leaf = merkle.leaf_hash(
            entry_bytes(
                seq, ts_from_db(ts), actor, action, model, object_pk, object_repr, before, after
            )
        )
        merkle.append(store, seq, leaf)  # reads only the primed right edge
        entries.append((seq, ts, actor, action, model, object_pk, object_repr, before, after, leaf))
    size = head.size + len(rows)
    nodes, store.buffer = store.buffer, []
    signed_size, signed_at, checkpoint = head.signed_size, head.signed_at, None
    if _due(head, size, force=False):
        try:
            checkpoint = _sign(store, size)
        except Exception:  # e.g. an unreadable key: log the entries all the same, unsigned
            log.exception("cannot sign an audit checkpoint of size %s", size)
        else:
            signed_size, signed_at = size, int(time.time())
    edge = [store.cache[key] for key in perfect_keys(size)]
    frontier = b"".join(edge)
    new_head = _Head(size, edge, signed_size, signed_at)
    if vendor == "postgresql":
        signature = (
            [*_checkpoint_insert(checkpoint)[1], True]
            if checkpoint is not None
            else [None, None, None, None, None, None, False]
        )
        cursor.execute(
            _PG_WRITE,
            [
                [row[0] for row in rows],
                [entry[-1] for entry in entries],
                head.size,
                [pos for pos, _ in nodes],
                [digest for _, digest in nodes],
                *signature,
                size,
                frontier,
                signed_size,
                signed_at,
            ],
            binary=True,
            prepare=_prepare(connections[using]),
        )
        return new_head, cursor.fetchall()
    writes: list[tuple[str, list]] = []
    for start in range(0, len(entries), 500):
        chunk = entries[start : start + 500]
        writes.append(
            (
                f"INSERT INTO {ENTRY_TABLE} (seq, {PENDING_COLUMNS}, leaf_hash) VALUES "
                + ", ".join(["(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"] * len(chunk)),
                [value for entry in chunk for value in entry],
            )
        )
        ids = [row[0] for row in rows[start : start + 500]]
        writes.append(
            (f"DELETE FROM {PENDING_TABLE} WHERE id IN ({', '.join(['%s'] * len(ids))})", ids)
        )
    for start in range(0, len(nodes), 1000):
        chunk = nodes[start : start + 1000]
        writes.append(
            (
                f"INSERT INTO {NODE_TABLE} (pos, hash) VALUES "
                + ", ".join(["(%s, %s)"] * len(chunk)),
                [value for node in chunk for value in node],
            )
        )
    if checkpoint is not None:
        writes.append(_checkpoint_insert(checkpoint))
    writes.append(
        (
            f"UPDATE {HEAD_TABLE} SET size = %s, frontier = %s, signed_size = %s, "
            "signed_at = %s WHERE id = 1",
            [size, frontier, signed_size, signed_at],
        )
    )
    for sql, params in writes:
        cursor.execute(sql, params)
    return new_head, []


def pending_count(using: str = DEFAULT_DB_ALIAS) -> int:
    with connections[using].cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {PENDING_TABLE}")
        return cursor.fetchone()[0]


# --------------------------------------------------------------------------- checkpoints


def head_size(using: str = DEFAULT_DB_ALIAS) -> int:
    with connections[using].cursor() as cursor:
        cursor.execute(f"SELECT size FROM {HEAD_TABLE} WHERE id = 1")
        row = cursor.fetchone()
    return row[0] if row else 0


def _interval() -> float:
    return float(getattr(settings, "JIFANG_AUDIT_CHECKPOINT_INTERVAL", 0) or 0)


def latest_checkpoint(using: str = DEFAULT_DB_ALIAS, *, covering: int | None = None):
    """The newest stored checkpoint (or the newest of size > ``covering``), as a model."""
    from .models import Checkpoint

    rows = Checkpoint.objects.using(using).order_by("-size")
    if covering is not None:
        rows = rows.filter(size__gt=covering)
    return rows.first()


def checkpoint(*, force: bool = False, using: str = DEFAULT_DB_ALIAS):
    """Sequence what is pending, then sign the current tree head; return the new row or None.

    Nothing is signed when a checkpoint already covers the head. Unless ``force``, nothing is
    signed either while the newest checkpoint is younger than
    ``settings.JIFANG_AUDIT_CHECKPOINT_INTERVAL`` seconds (default 0: every sequencing batch
    is signed). ``force`` also signs the empty log.
    """
    from .models import Checkpoint

    sequence(using=using, budget=3600)
    connection = connections[using]
    with transaction.atomic(using=using), connection.cursor() as cursor:
        head = _lock_head(cursor, connection.vendor)
        if not _due(head, head.size, force):
            return None
        signed = _sign(_store_at(head, using), head.size)
        writes = [
            _checkpoint_insert(signed),
            (
                f"UPDATE {HEAD_TABLE} SET signed_size = %s, signed_at = %s WHERE id = 1",
                [head.size, int(time.time())],
            ),
        ]
        _run(cursor, connection.vendor, writes)
    return Checkpoint.objects.using(using).get(size=head.size)


# --------------------------------------------------------------------------- reading and proofs


def entry_row(seq: int, using: str = DEFAULT_DB_ALIAS) -> tuple | None:
    """The stored columns of one entry, as verify reads them."""
    with connections[using].cursor() as cursor:
        cursor.execute(
            f"SELECT seq, ts, actor, action, model, object_pk, object_repr, before, after, "
            f"leaf_hash FROM {ENTRY_TABLE} WHERE seq = %s",
            [seq],
        )
        return cursor.fetchone()


def leaf_bytes_of(row: tuple) -> bytes:
    seq, ts, actor, action, model, object_pk, object_repr, before, after, _ = row
    return entry_bytes(
        seq, ts_from_db(ts), actor, action, model, object_pk, object_repr, before, after
    )


class ProofError(LookupError):
    """No proof can be given (no such entry, or no checkpoint covers it yet)."""


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def prove(seq: int, size: int | None = None, *, using: str = DEFAULT_DB_ALIAS) -> dict:
    """An inclusion proof of entry ``seq`` in a signed checkpoint, as a JSON-ready dict.

    Uses the checkpoint of ``size`` if given, else the newest one. Everything a third party
    needs is in the dict: the exact leaf bytes, the path, the signed note and the public key
    (which they should compare with the one the operator published). See docs/audit.md.
    """
    from .models import Checkpoint

    row = entry_row(seq, using)
    if row is None:
        raise ProofError(f"没有第 {seq} 条审计记录 / there is no audit entry {seq}")
    if size is None:
        chosen = latest_checkpoint(using)
    else:
        chosen = Checkpoint.objects.using(using).filter(size=size).first()
        if chosen is None:
            raise ProofError(f"没有大小为 {size} 的检查点 / no checkpoint of size {size}")
    if chosen is None or chosen.size <= seq:
        raise ProofError(
            f"第 {seq} 条记录尚无检查点覆盖（先运行 jifang audit checkpoint）/ "
            f"no checkpoint covers entry {seq} yet (run jifang audit checkpoint)"
        )
    data = leaf_bytes_of(row)
    store = DbNodeStore(using)
    store.preload(merkle.inclusion_keys(seq, chosen.size))  # all of them in two queries
    path = merkle.inclusion_proof(store, seq, chosen.size)
    return {
        "format": "jifang-audit-inclusion-proof/1",
        "index": seq,
        "tree_size": chosen.size,
        "entry": _b64(data),
        "entry_json": entry_content(row[0], ts_from_db(row[1]), *row[2:9]),
        "leaf_hash": _b64(merkle.leaf_hash(data)),
        "stored_leaf_hash": _b64(bytes(row[9])),
        "inclusion_path": [_b64(h) for h in path],
        "root": _b64(bytes(chosen.root)),
        "checkpoint": chosen.note(),
        "public_key": public_key_pem(),
    }


def consistency(old_size: int, new_size: int, *, using: str = DEFAULT_DB_ALIAS) -> dict:
    """A consistency proof between two stored checkpoints (RFC 9162 §2.1.4)."""
    from .models import Checkpoint

    found = {
        c.size: c for c in Checkpoint.objects.using(using).filter(size__in=[old_size, new_size])
    }
    missing = [s for s in (old_size, new_size) if s not in found]
    if missing:
        raise ProofError(f"没有大小为 {missing[0]} 的检查点 / no checkpoint of size {missing[0]}")
    if old_size > new_size:
        raise ProofError("旧检查点应不大于新检查点 / the old size must not exceed the new size")
    store = DbNodeStore(using)
    store.preload(merkle.consistency_keys(old_size, new_size))
    proof = merkle.consistency_proof(store, old_size, new_size)
    return {
        "format": "jifang-audit-consistency-proof/1",
        "old_size": old_size,
        "new_size": new_size,
        "old_checkpoint": found[old_size].note(),
        "new_checkpoint": found[new_size].note(),
        "proof": [_b64(h) for h in proof],
        "public_key": public_key_pem(),
    }
