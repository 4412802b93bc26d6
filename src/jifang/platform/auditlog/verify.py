"""Re-derive the audit log from its stored entries and check every signed checkpoint.

One pass over the entries in ``seq`` order and, in step, one pass over the stored Merkle
nodes, which are keyed in the order the pass produces them. Reads are bounded primary-key
ranges of 20,000 rows (no ORM objects, no long transaction, so writers are never blocked). On
PostgreSQL, outside a transaction, two threads on their own connections read ahead, and the
server assembles each entry's leaf bytes from its columns and hashes them while Python rebuilds
the tree from the previous chunk (docs/scaling.md has the timings). Checked:

1. ``seq`` runs 0, 1, 2, … with no gap (a gap: the first missing entry was deleted or the
   entries were renumbered);
2. each entry's leaf hash is recomputed from its columns and compared with the stored one
   (a difference: that entry was altered);
3. the tree is rebuilt from the stored leaf hashes; every stored interior node is compared
   with the rebuilt one (the nodes are what proofs are made of);
4. at every checkpoint size the rebuilt root is compared with the signed root; every
   checkpoint's Ed25519 signature is checked first. A root that differs means some leaf
   between the previous good checkpoint and this one was altered, inserted, deleted or moved;
   with one checkpoint per transaction (the default) that is exactly one entry;
5. the log head (its recorded size and cached right edge), checkpoints that need more
   entries than exist, entries after the last checkpoint (unsigned: a warning while younger
   than the grace period, a failure after) and entries still waiting in the queue are
   checked at the end, after catching up with entries appended meanwhile.

``verify()`` returns a :class:`VerifyResult`; ``first_bad`` is the first entry that is (or,
with sparse checkpoints, may be) bad.
"""

from __future__ import annotations

import hashlib
import queue
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from hmac import compare_digest

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

from jifang.audit import checkpoint as cp
from jifang.audit import merkle

from . import services, triggers
from .canonical import entry_bytes, ts_from_db
from .store import ENTRY_TABLE, NODE_TABLE, DbNodeStore, node_key

CHUNK = 20_000
MAX_PROBLEMS = 50
DEFAULT_GRACE = 120.0
CLOCK_SKEW = timedelta(minutes=5)

_sha256 = hashlib.sha256
_NODE = merkle.NODE_PREFIX
_LEAF = merkle.LEAF_PREFIX


ENTRY_KINDS = frozenset(
    {"missing", "altered", "root_mismatch", "truncated", "beyond_head", "unsigned"}
)


@dataclass
class Problem:
    kind: str
    """missing | altered | root_mismatch | node | beyond_head | truncated | unsigned |
    signature | no_key | fork | unsequenced | head"""
    zh: str
    en: str
    first: int | None = None
    """First entry that is (or may be) bad."""
    last: int | None = None
    """Last entry that may be bad (equal to ``first`` when the fault is pinned down)."""
    checkpoint: int | None = None
    node: tuple[int, int] | None = None
    """``(level, index)`` of a damaged tree node."""

    @property
    def exact(self) -> bool:
        return self.first is not None and self.first == self.last

    def where(self) -> str:
        if self.first is None:
            if self.node is not None:
                return f"node{self.node}"
            if self.checkpoint is not None:
                return f"checkpoint {self.checkpoint}"
            return ""
        if self.exact or self.last is None:
            return f"#{self.first}"
        return f"#{self.first}–#{self.last}"

    def to_dict(self) -> dict:
        return {
            "kind": self.kind,
            "first": self.first,
            "last": self.last,
            "checkpoint": self.checkpoint,
            "node": self.node,
            "zh": self.zh,
            "en": self.en,
        }


@dataclass
class VerifyResult:
    size: int = 0
    """Entries read."""
    head: int | None = None
    """The size the log head records."""
    root: bytes = merkle.EMPTY_ROOT
    checkpoints: int = 0
    """Checkpoints whose signature and root were both checked."""
    signed_size: int = 0
    """Size of the largest checkpoint that matched: entries below it are proven."""
    nodes: int = 0
    """Stored interior nodes checked."""
    pending: int = 0
    """Committed entries still waiting for the sequencer."""
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def first_problem(self) -> Problem | None:
        """The problem naming the earliest bad entry. Findings about the entries come first; a
        damaged tree node only points at the entries under it."""
        for kinds in (ENTRY_KINDS, None):
            located = [
                p
                for p in self.problems
                if p.first is not None and (kinds is None or p.kind in kinds)
            ]
            if located:
                return min(located, key=lambda p: (p.first, p.last))
        return self.problems[0] if self.problems else None

    @property
    def first_bad(self) -> int | None:
        problem = self.first_problem
        return problem.first if problem else None

    def to_dict(self) -> dict:
        import base64

        return {
            "ok": self.ok,
            "size": self.size,
            "head": self.head,
            "root": base64.b64encode(self.root).decode(),
            "checkpoints": self.checkpoints,
            "signed_size": self.signed_size,
            "nodes": self.nodes,
            "pending": self.pending,
            "first_bad": self.first_bad,
            "problems": [p.to_dict() for p in self.problems],
            "warnings": self.warnings,
            "seconds": round(self.seconds, 3),
        }

    def report(self) -> str:
        """A human summary, Chinese first and English beside."""
        import base64

        root = base64.b64encode(self.root).decode()
        stats = (
            f"{self.size} 条记录 entries, {self.checkpoints} 个检查点 checkpoints, "
            f"{self.nodes} 个节点 nodes, {self.seconds:.2f} s"
        )
        if self.ok:
            lines = [
                f"审计日志完好 / audit log intact: {stats}",
                f"  根哈希 / root ({self.size}): {root}",
            ]
        else:
            first = self.first_problem
            lines = [f"审计日志已被篡改 / audit log TAMPERED: {stats}"]
            if first is not None and first.first is not None:
                lines.append(f"  第一个有问题的记录 / first bad entry: {first.where()}")
            lines += [f"  {p.where() or '-'}  {p.zh} / {p.en}" for p in self.problems]
        lines += [f"  注意 / warning: {w}" for w in self.warnings]
        return "\n".join(lines)


class _Stop(Exception):
    """Ends the walk at a fault that makes the rest meaningless."""


# --------------------------------------------------------------------------- reading


# On PostgreSQL the server assembles each entry's canonical bytes from its columns (to_json
# escapes strings exactly as Python's json module does with ensure_ascii=False; a test checks
# it on awkward strings) and verify has it hash them too (leaf_hash_rows): no string building
# or hashing per entry in Python. Names are schema-qualified so that a function planted
# earlier in the search path cannot stand in. On SQLite, Python builds the bytes.
_PG_LEAF = (
    "pg_catalog.convert_to('{\"action\":' || pg_catalog.to_json(action)::text"
    " || ',\"actor\":' || pg_catalog.to_json(actor)::text"
    " || ',\"after\":' || after || ',\"before\":' || before"
    " || ',\"model\":' || pg_catalog.to_json(model)::text"
    " || ',\"object_pk\":' || pg_catalog.to_json(object_pk)::text"
    " || ',\"object_repr\":' || pg_catalog.to_json(object_repr)::text"
    " || ',\"seq\":' || seq::text"
    " || ',\"ts\":\"' || pg_catalog.to_char(ts AT TIME ZONE 'UTC',"
    " 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') || '\"}', 'UTF8')"
)


def _cursor(connection):
    """A cursor; on PostgreSQL one using psycopg's binary protocol, so bytea arrives as bytes
    rather than hex text to decode."""
    if connection.vendor == "postgresql":
        import psycopg

        connection.ensure_connection()
        return psycopg.Cursor(connection.connection), {"binary": True}
    return connection.cursor(), {}


def _fetch(connection, sql: str, params: list) -> list[tuple]:
    cursor, options = _cursor(connection)
    with cursor:
        cursor.execute(sql, params, **options)
        return cursor.fetchall()


def leaf_rows(connection, lo: int, hi: int) -> list[tuple[int, bytes, bytes]]:
    """``(seq, leaf bytes, stored leaf hash)`` of the entries with ``lo <= seq < hi``.

    A bounded range, so the primary key index serves the query whatever the planner's
    statistics say.
    """
    where = f"FROM {ENTRY_TABLE} WHERE seq >= %s AND seq < %s ORDER BY seq"
    if connection.vendor == "postgresql":
        return _fetch(connection, f"SELECT seq, {_PG_LEAF}, leaf_hash {where}", [lo, hi])
    rows = _fetch(
        connection,
        "SELECT seq, ts, actor, action, model, object_pk, object_repr, "
        f"before, after, leaf_hash {where}",
        [lo, hi],
    )
    return [
        (row[0], entry_bytes(row[0], ts_from_db(row[1]), *row[2:9]), bytes(row[9])) for row in rows
    ]


def leaf_hash_rows(connection, lo: int, hi: int) -> list[tuple[int, bytes, bytes]]:
    """``(seq, leaf hash recomputed from the columns, stored leaf hash)`` for ``lo <= seq < hi``.

    What verify reads. On PostgreSQL the server hashes the bytes it assembles
    (``pg_catalog.sha256``, as trusted as the ``pg_catalog`` functions that assemble them): 64
    bytes per entry cross the connection instead of the whole entry, and Python does not hash
    them again. Elsewhere Python builds and hashes them.
    """
    if connection.vendor == "postgresql":
        return _fetch(
            connection,
            "SELECT seq, pg_catalog.sha256(pg_catalog.decode('00', 'hex') || "
            f"{_PG_LEAF}), leaf_hash "
            f"FROM {ENTRY_TABLE} WHERE seq >= %s AND seq < %s ORDER BY seq",
            [lo, hi],
        )
    return [
        (seq, _sha256(_LEAF + data).digest(), stored)
        for seq, data, stored in leaf_rows(connection, lo, hi)
    ]


def node_rows(connection, lo: int, hi: int) -> list[tuple[int, bytes]]:
    rows = _fetch(
        connection,
        f"SELECT pos, hash FROM {NODE_TABLE} WHERE pos >= %s AND pos < %s ORDER BY pos",
        [lo, hi],
    )
    return [(pos, bytes(digest)) for pos, digest in rows]


def _next_key(connection, table: str, key: str, start: int) -> int | None:
    return _fetch(connection, f"SELECT min({key}) FROM {table} WHERE {key} >= %s", [start])[0][0]


def _open_ended(
    fetch, connection, table: str, key: str, start: int, chunk: int
) -> Iterator[list[tuple]]:
    """Every row from ``start`` on, however far, skipping empty stretches."""
    while start is not None:
        rows = fetch(connection, start, start + chunk)
        if rows:
            yield rows
            start += chunk
        else:
            start = _next_key(connection, table, key, start)


def _parallel(
    fetch, using: str, start: int, end: int, chunk: int, readers: int
) -> Iterator[list[tuple]]:
    """The rows of ``[start, end)`` in order, read by ``readers`` threads, each on its own
    connection and a couple of ranges ahead, so the database works while Python hashes.
    Only outside a transaction (a thread's connection cannot see uncommitted rows)."""
    ranges = list(range(start, end, chunk))
    queues = [queue.Queue(maxsize=2) for _ in range(readers)]
    stop = threading.Event()

    def run(k: int) -> None:
        connection = connections[using]
        try:
            for lo in ranges[k::readers]:
                item = fetch(connection, lo, min(lo + chunk, end))
                while not stop.is_set():
                    try:
                        queues[k].put(item, timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
        except BaseException as exc:  # handed to the consumer
            queues[k].put(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(k,), daemon=True, name=f"audit-verify-{k}")
        for k in range(readers)
    ]
    for thread in threads:
        thread.start()
    try:
        for i in range(len(ranges)):
            item = queues[i % readers].get()
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        for thread in threads:
            thread.join()


def _reader(fetch, using: str, table: str, key: str, bound: int, chunk: int, readers: int):
    """All rows of ``table`` in ``key`` order, in chunks. Below ``bound`` (what the log head
    says exists) in parallel threads on PostgreSQL outside a transaction; the rest, and
    everything elsewhere, on this connection."""
    connection = connections[using]
    if connection.vendor != "postgresql" or connection.in_atomic_block or readers < 1:
        return _open_ended(fetch, connection, table, key, 0, chunk)

    def chunks():
        yield from _parallel(fetch, using, 0, bound, chunk, readers)
        yield from _open_ended(fetch, connection, table, key, bound, chunk)

    return chunks()


class _Nodes:
    """The stored interior nodes in position order."""

    def __init__(self, chunks: Iterator[list[tuple[int, bytes]]], chunk: int) -> None:
        self.chunks = chunks
        self.chunk = chunk
        self.rows: list[tuple[int, bytes]] = []
        self.i = 0
        self.next_pos = 0

    def peek(self) -> tuple[int, bytes] | None:
        if self.i >= len(self.rows):
            self.rows, self.i = next(self.chunks, []), 0
            if not self.rows:
                return None
            self.next_pos = self.rows[-1][0] + 1
        return self.rows[self.i]

    def advance(self) -> None:
        self.i += 1

    def refresh(self, connection) -> None:
        """Read on from where the stored nodes ended (before catching up with appends)."""
        if self.i >= len(self.rows):
            self.close()
            self.chunks = _open_ended(
                node_rows, connection, NODE_TABLE, "pos", self.next_pos, self.chunk
            )

    def close(self) -> None:
        close = getattr(self.chunks, "close", None)
        if close is not None:
            close()


def _load_checkpoints(
    connection, key: Ed25519PublicKey | None, result: VerifyResult, above: int = -1
) -> dict[int, bytes]:
    """``{size: root}`` of the stored checkpoints above ``above`` whose signatures hold."""
    good: dict[int, bytes] = {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT size, origin, root, timestamp, key_id, signature FROM auditlog_checkpoint "
            "WHERE size > %s ORDER BY size",
            [above],
        )
        rows = cursor.fetchall()
    if rows and key is None:
        if any(p.kind == "no_key" for p in result.problems):
            return good
        result.problems.append(
            Problem(
                "no_key",
                "没有签名公钥，无法核验检查点",
                "no public key to check the checkpoints with",
            )
        )
        return good
    origin = services.origin()
    for size, cp_origin, root, timestamp, key_id, signature in rows:
        checkpoint = cp.Checkpoint(
            origin=cp_origin,
            size=size,
            root=bytes(root),
            timestamp=timestamp,
            key_id=bytes(key_id),
            signature=bytes(signature),
        )
        if not cp.verify(key, checkpoint):
            known = bytes(key_id) == cp.key_id(key, cp_origin)
            result.problems.append(
                Problem(
                    "signature",
                    f"大小为 {size} 的检查点签名无效" + ("" if known else "（未知密钥）"),
                    f"the checkpoint of size {size} has an invalid signature"
                    + ("" if known else " (unknown key)"),
                    checkpoint=size,
                )
            )
            continue
        if cp_origin != origin:
            result.warnings.append(
                f"检查点 {size} 的日志名称为 {cp_origin!r} / checkpoint "
                f"{size} names the log {cp_origin!r}, not {origin!r}"
            )
        good[size] = bytes(root)
    return good


def _add_external(
    notes: Iterable[str],
    key: Ed25519PublicKey | None,
    checkpoints: dict[int, bytes],
    result: VerifyResult,
) -> None:
    """Checkpoints saved outside the database: they catch a rewritten or truncated tail."""
    for text in notes:
        try:
            checkpoint = cp.Checkpoint.from_note(text)
        except ValueError as exc:
            result.problems.append(
                Problem(
                    "signature",
                    f"外部检查点无法解析：{exc}",
                    f"an external checkpoint cannot be parsed: {exc}",
                )
            )
            continue
        if key is None or not cp.verify(key, checkpoint):
            result.problems.append(
                Problem(
                    "signature",
                    f"外部检查点（大小 {checkpoint.size}）签名无效",
                    f"the external checkpoint of size {checkpoint.size} has an invalid signature",
                    checkpoint=checkpoint.size,
                )
            )
            continue
        known = checkpoints.get(checkpoint.size)
        if known is not None and known != checkpoint.root:
            result.problems.append(
                Problem(
                    "fork",
                    f"大小为 {checkpoint.size} 的两个检查点根哈希不同，均有有效签名",
                    f"two validly signed checkpoints of size {checkpoint.size} have different roots",
                    checkpoint=checkpoint.size,
                )
            )
            continue
        checkpoints[checkpoint.size] = checkpoint.root


# --------------------------------------------------------------------------- the walk


class _Walker:
    """The one-pass re-derivation. Holds the frontier (right edge) of the rebuilt tree."""

    def __init__(
        self,
        connection,
        checkpoints: dict[int, bytes],
        result: VerifyResult,
        nodes: _Nodes | None,
        chunk: int,
        record_from: int,
    ) -> None:
        self.connection = connection
        self.checkpoints = checkpoints
        self.result = result
        self.nodes = nodes
        self.chunk = chunk
        self.stack: list[bytes] = []
        self.n = 0  # leaves pushed
        self.pos = 0  # node positions consumed (leaves and interior nodes)
        self.good = 0  # largest matched checkpoint size
        self.matched: list[int] = []
        self.altered: list[int] = []
        self.suspect_nodes: list[Problem] = []  # node faults whose entries are not yet proven
        self.record_from = record_from
        self.late_roots: dict[int, bytes] = {}  # roots at sizes appended while verifying

    def root(self) -> bytes:
        stack = self.stack
        if not stack:
            return merkle.EMPTY_ROOT
        digest = stack[-1]
        for left in reversed(stack[:-1]):
            digest = _sha256(_NODE + left + digest).digest()
        return digest

    def _problem(self, problem: Problem) -> None:
        problems = self.result.problems
        if len(problems) < MAX_PROBLEMS:
            problems.append(problem)

    def _check_root(self, size: int, root: bytes | None = None) -> None:
        """Compare the signed root of ``size`` with the rebuilt one (default: the current)."""
        if compare_digest(self.root() if root is None else root, self.checkpoints[size]):
            self.good = max(self.good, size)
            self.matched.append(size)
            self.result.checkpoints += 1
            self._clear_suspects(size)
            return
        first, last = max((m for m in self.matched if m < size), default=0), size - 1
        self._problem(
            Problem(
                "root_mismatch",
                f"大小为 {size} 的已签名检查点与重算的根哈希不符：记录 #{first}–#{last} 中有记录被改动、"
                "插入、删除或调换"
                if first != last
                else f"大小为 {size} 的已签名检查点与重算的根哈希不符：记录 #{first} 被改动、插入、删除或调换",
                f"the signed checkpoint of size {size} does not match the re-derived root: an entry "
                f"in #{first}–#{last} was altered, inserted, deleted or moved"
                if first != last
                else f"the signed checkpoint of size {size} does not match the re-derived root: entry "
                f"#{first} was altered, inserted, deleted or moved",
                first=first,
                last=last,
                checkpoint=size,
            )
        )
        raise _Stop

    def _node_fault(self, zh: str, en: str, level: int, index: int) -> None:
        """A stored node differs: some entry under it changed, or the node itself did. Entries
        a matched checkpoint already proves are not suspects."""
        start = index << level
        problem = Problem(
            "node",
            zh,
            en,
            first=max(start, self.good),
            last=min(start + (1 << level), self.n + 1) - 1,
            node=(level, index),
        )
        if problem.first > problem.last:  # every entry under it is proven: the node was altered
            self._node_only(problem)
        else:
            self.suspect_nodes.append(problem)
        self._problem(problem)

    def _clear_suspects(self, size: int) -> None:
        """A matched checkpoint proves the entries below ``size``: nodes over them that differ
        were altered themselves."""
        keep = []
        for problem in self.suspect_nodes:
            if problem.last < size:
                self._node_only(problem)
            else:
                keep.append(problem)
        self.suspect_nodes = keep

    @staticmethod
    def _node_only(problem: Problem) -> None:
        problem.first = problem.last = None
        problem.zh += "（其下记录已由检查点证明无误：节点本身被改动）"
        problem.en += " (the entries under it are proven by a checkpoint: the node was altered)"

    def walk(self, chunks: Iterator[list[tuple[int, bytes, bytes]]]) -> None:
        """Push every ``(seq, recomputed leaf hash, stored leaf hash)``; raises _Stop at a
        fatal fault.

        The hot loop of verify (once per entry): state is kept in locals and written back
        before anything else looks at it, and a stored node that is where it belongs and
        equal to the rebuilt one is passed over inline; anything else goes to ``_check_node``.
        """
        checkpoints, stack, nodes = self.checkpoints, self.stack, self.nodes
        record_from, late_roots = self.record_from, self.late_roots
        sha256, node_prefix = _sha256, _NODE
        pop, push = stack.pop, stack.append
        n, pos, checked = self.n, self.pos, 0
        node_rows, ni = (nodes.rows, nodes.i) if nodes is not None else ([], 0)
        try:
            for rows in chunks:
                for seq, leaf, stored in rows:
                    if seq != n:
                        self._problem(
                            Problem(
                                "missing",
                                f"缺少记录 #{n}（被删除，或其后的记录被重新编号）",
                                f"entry #{n} is missing (deleted, or the entries after it "
                                "renumbered)",
                                first=n,
                                last=n,
                            )
                        )
                        raise _Stop
                    if leaf != stored:
                        self._altered(n)
                    # push the stored leaf hash; the interior nodes it completes are checked
                    pos += 1
                    if n & 1:
                        digest, index, level = stored, n, 0
                        while index & 1:
                            digest = sha256(node_prefix + pop() + digest).digest()
                            index >>= 1
                            level += 1
                            if nodes is not None:
                                if (
                                    ni < len(node_rows)
                                    and node_rows[ni][0] == pos
                                    and node_rows[ni][1] == digest
                                ):
                                    ni += 1
                                    checked += 1
                                else:
                                    self.n, nodes.i = n, ni
                                    self._check_node(pos, level, index, digest)
                                    node_rows, ni = nodes.rows, nodes.i
                            pos += 1
                        push(digest)
                    else:
                        push(stored)
                    n += 1
                    if n in checkpoints:
                        self.n = n
                        self._check_root(n)
                    if n > record_from:
                        late_roots[n] = self.root()
        finally:
            self.n, self.pos = n, pos
            self.result.nodes += checked
            if nodes is not None:
                nodes.i = ni
        self.result.size = n

    def _altered(self, n: int) -> None:
        self.altered.append(n)
        if len(self.altered) <= MAX_PROBLEMS:
            self._problem(
                Problem(
                    "altered",
                    f"记录 #{n} 的内容与其叶哈希不符（记录被改动）",
                    f"entry #{n}'s content does not match its leaf hash (it was altered)",
                    first=n,
                    last=n,
                )
            )

    def _check_node(self, pos: int, level: int, index: int, digest: bytes) -> None:
        nodes = self.nodes
        row = nodes.peek()
        while row is not None and row[0] < pos:  # a row where no node belongs
            extra_level, extra_index = _safe_key(row[0])
            self._node_fault(
                f"多余的节点（位置 {row[0]}）",
                f"a stray node at position {row[0]}",
                extra_level,
                extra_index,
            )
            nodes.advance()
            row = nodes.peek()
        self.result.nodes += 1
        if row is None or row[0] != pos:
            self._node_fault(
                f"缺少节点（层 {level}，序号 {index}）",
                f"node (level {level}, index {index}) is missing",
                level,
                index,
            )
            return
        nodes.advance()
        if bytes(row[1]) != digest:
            self._node_fault(
                f"节点（层 {level}，序号 {index}）与重算结果不符",
                f"node (level {level}, index {index}) differs from the re-derived one",
                level,
                index,
            )


def _safe_key(pos: int) -> tuple[int, int]:
    try:
        return node_key(pos)
    except ValueError:
        return 0, 0


# --------------------------------------------------------------------------- verify


def _public_key(result: VerifyResult) -> Ed25519PublicKey | None:
    try:
        return services.public_key()
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:  # unreadable, insecure or not an Ed25519 key
        result.warnings.append(f"无法读取签名密钥 / cannot read the signing key: {exc}")
        return None


def verify(
    *,
    public_key: Ed25519PublicKey | None = None,
    external: Iterable[str] = (),
    grace: float | None = None,
    check_nodes: bool = True,
    chunk: int = CHUNK,
    readers: int = 2,
    using: str = DEFAULT_DB_ALIAS,
) -> VerifyResult:
    """Check the whole log. See the module docstring for what is checked.

    ``public_key``: the published key to check checkpoints with (default: the key file's).
    ``external``: signed notes saved elsewhere (``jifang audit checkpoint`` output); they must
    match too, which catches a tail cut off together with its stored checkpoints.
    ``grace``: seconds an entry may wait for its checkpoint before being reported as unsigned
    (default ``settings.JIFANG_AUDIT_UNSIGNED_GRACE`` or 120).
    ``readers``: threads reading entries on PostgreSQL (each with its own connection; the
    server builds the leaf bytes, so more readers use more server cores).
    """
    began = time.perf_counter()
    connection = connections[using]
    result = VerifyResult()
    key = public_key if public_key is not None else _public_key(result)
    if grace is None:
        grace = float(getattr(settings, "JIFANG_AUDIT_UNSIGNED_GRACE", DEFAULT_GRACE))

    head_at_start = services.head_size(using)
    checkpoints = _load_checkpoints(connection, key, result)
    _add_external(external, key, checkpoints, result)
    leaves = _reader(leaf_hash_rows, using, ENTRY_TABLE, "seq", head_at_start, chunk, readers)
    node_bound = 2 * head_at_start - head_at_start.bit_count()  # node_pos of leaf #head
    nodes = (
        _Nodes(_reader(node_rows, using, NODE_TABLE, "pos", node_bound, chunk, 1), chunk)
        if check_nodes
        else None
    )
    walker = _Walker(connection, checkpoints, result, nodes, chunk, head_at_start)
    try:
        if 0 in checkpoints:
            walker._check_root(0)
        walker.walk(leaves)
        _finish(walker, connection, key, result, grace, using)
    except _Stop:
        result.size = walker.n
    finally:
        leaves.close()
        if nodes is not None:
            nodes.close()
    result.root = walker.root()
    result.signed_size = walker.good
    _pending(connection, grace, result)
    if not triggers.installed(connection):
        result.warnings.append("审计表缺少只追加触发器 / the append-only triggers are missing")
    result.seconds = time.perf_counter() - began
    return result


def _finish(
    walker: _Walker, connection, key, result: VerifyResult, grace: float, using: str
) -> None:
    """After the first pass: entries appended meanwhile, the head, the tail."""
    checkpoints = walker.checkpoints
    known_max = max(checkpoints, default=-1)
    for _ in range(5):  # catch up with appends made while verifying
        head = services.head_size(using)
        late = _load_checkpoints(connection, key, result, above=known_max)
        for size, root in sorted(late.items()):
            known_max = max(known_max, size)
            if size <= walker.n:  # signed after the walk passed this size
                expected = walker.late_roots.get(size)
                if expected is None:  # from the stored nodes, which the walk has checked
                    expected = DbNodeStore(using).root(size)
                checkpoints[size] = root
                walker._check_root(size, expected)
            else:
                checkpoints[size] = root
        if head <= walker.n and known_max <= walker.n:
            break
        before = walker.n
        if walker.nodes is not None:
            walker.nodes.refresh(connection)
        walker.walk(
            _open_ended(leaf_hash_rows, connection, ENTRY_TABLE, "seq", walker.n, walker.chunk)
        )
        if walker.n == before:
            break
    result.head = head
    n = walker.n
    if head < n:
        walker._problem(
            Problem(
                "beyond_head",
                f"记录 #{head} 起超出日志头记录的大小 {head}（在末尾插入）",
                f"entries from #{head} lie beyond the size the log head records ({head}): "
                "inserted at the end",
                first=head,
                last=n - 1,
            )
        )
    pending = sorted(size for size in checkpoints if size > n)
    if pending:
        walker._problem(
            Problem(
                "truncated",
                f"已签名检查点（大小 {pending[-1]}）需要 {pending[-1]} 条记录，日志只有 {n} 条：记录 #{n} "
                "起被删除",
                f"a signed checkpoint of size {pending[-1]} needs {pending[-1]} entries but the log "
                f"has {n}: entries from #{n} were deleted",
                first=n,
                last=pending[-1] - 1,
                checkpoint=pending[-1],
            )
        )
    elif head > n:
        walker._problem(
            Problem(
                "truncated",
                f"日志头记录 {head} 条，实际只有 {n} 条：记录 #{n} 起被删除",
                f"the log head records {head} entries but there are {n}: entries from #{n} were "
                "deleted",
                first=n,
                last=head - 1,
            )
        )
    with connection.cursor() as cursor:
        cursor.execute("SELECT size, frontier FROM auditlog_loghead WHERE id = 1")
        row = cursor.fetchone()
    if row is not None and row[0] == n and bytes(row[1] or b"") != b"".join(walker.stack):
        walker._problem(
            Problem(
                "head",
                "日志头缓存的树右边界与重算结果不符（之后追加的节点和检查点将出错）",
                "the log head's cached right edge of the tree differs from the re-derived one "
                "(later appends would write wrong nodes and checkpoints)",
            )
        )
    signed = max((size for size in checkpoints if size <= n), default=0)
    if signed < n:
        _unsigned_tail(walker, connection, signed, n, grace, result)


def _pending(connection, grace: float, result: VerifyResult) -> None:
    """Entries committed but not yet sequenced: normally none, or for milliseconds."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*), min(ts) FROM {services.PENDING_TABLE}")
        count, oldest = cursor.fetchone()
    if not count:
        return
    result.pending = count
    since = ts_from_db(oldest)
    moment = datetime.strptime(since, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
    if datetime.now(UTC) - moment > timedelta(seconds=grace):
        result.problems.append(
            Problem(
                "unsequenced",
                f"{count} 条已提交的记录自 {since} 起未进入日志（运行 jifang audit checkpoint）",
                f"{count} committed entries have waited since {since} to enter the log (run "
                "jifang audit checkpoint)",
            )
        )
    else:
        result.warnings.append(f"{count} 条记录待入账 / {count} entries await sequencing")


def _unsigned_tail(
    walker: _Walker, connection, signed: int, n: int, grace: float, result: VerifyResult
) -> None:
    now = datetime.now(UTC)
    oldest, newest = now - timedelta(seconds=grace), now + CLOCK_SKEW
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT seq, ts FROM {ENTRY_TABLE} WHERE seq >= %s AND seq < %s ORDER BY seq",
            [signed, n],
        )
        for seq, ts in cursor.fetchall():
            moment = datetime.strptime(ts_from_db(ts), "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
            if not oldest <= moment <= newest:
                walker._problem(
                    Problem(
                        "unsigned",
                        f"记录 #{seq} 起没有检查点签名（超过 {grace:g} 秒）：可能是在末尾插入的",
                        f"entries from #{seq} are covered by no signed checkpoint (for more than "
                        f"{grace:g} s): they may have been inserted at the end",
                        first=seq,
                        last=n - 1,
                    )
                )
                return
    result.warnings.append(
        f"记录 #{signed}–#{n - 1} 尚待检查点签名 / entries #{signed}–#{n - 1} await a signed "
        "checkpoint"
    )
