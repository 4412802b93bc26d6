"""The database-backed ``NodeStore`` of :mod:`jifang.audit.merkle`.

Level 0 (the leaves) is ``LogEntry.leaf_hash``: it is not stored twice. Levels 1 and up are
``MerkleNode`` rows keyed by :func:`node_pos`, the node's position in the order
:func:`jifang.audit.merkle.append` completes nodes, so one scan by primary key meets the
nodes in exactly the order a one-pass re-derivation of the tree produces them.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import DEFAULT_DB_ALIAS, connections

from jifang.audit import merkle

ENTRY_TABLE = "auditlog_logentry"
NODE_TABLE = "auditlog_merklenode"


def node_pos(level: int, index: int) -> int:
    """Position of perfect subtree ``(level, index)`` in append order.

    Appending leaf ``i`` writes the leaf, then one ancestor per trailing 1 bit of ``i``; the
    tree of ``n`` leaves has ``2n - popcount(n)`` such nodes. So the node completed by leaf
    ``last = (index + 1) * 2**level - 1`` comes at ``2*last - popcount(last) + level``.
    Leaves are at ``node_pos(0, i) = 2i - popcount(i)``.
    """
    last = ((index + 1) << level) - 1
    return 2 * last - last.bit_count() + level


def node_key(pos: int) -> tuple[int, int]:
    """Inverse of :func:`node_pos`: ``(level, index)`` of the node at ``pos``."""
    if pos < 0:
        raise ValueError("pos must be >= 0")
    lo, hi = 0, pos  # find the leaf whose group [leaf pos, leaf pos + trailing ones] holds pos
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if node_pos(0, mid) <= pos:
            lo = mid
        else:
            hi = mid - 1
    level = pos - node_pos(0, lo)
    if level and (lo + 1) % (1 << level):
        raise ValueError(f"no node at position {pos}")
    return level, lo >> level


def perfect_keys(size: int) -> list[tuple[int, int]]:
    """The perfect subtrees whose hashes fold into the root of a tree of ``size`` leaves."""
    keys, start = [], 0
    for level in range(size.bit_length() - 1, -1, -1):
        if size >> level & 1:
            keys.append((level, start >> level))
            start += 1 << level
    return keys


class DbNodeStore:
    """``merkle.NodeStore`` on the audit tables, reading through one connection.

    Reads are cached for the life of the object (stored nodes never change); create one per
    operation. ``put_many`` skips level 0: the caller has just inserted the entry that holds
    that leaf hash.
    """

    def __init__(self, using: str = DEFAULT_DB_ALIAS, *, buffered: bool = False) -> None:
        self.connection = connections[using]
        self.cache: dict[tuple[int, int], bytes] = {}
        self.buffer: list[tuple[int, bytes]] | None = [] if buffered else None

    def get(self, level: int, index: int) -> bytes | None:
        key = (level, index)
        if key not in self.cache:
            self.preload([key])
        return self.cache.get(key)

    def preload(self, keys: Iterable[tuple[int, int]]) -> None:
        """Fetch many nodes in (at most) two queries."""
        leaves = [index for level, index in keys if level == 0 and (0, index) not in self.cache]
        nodes = {
            node_pos(level, index): (level, index)
            for level, index in keys
            if level and (level, index) not in self.cache
        }
        if not leaves and not nodes:
            return
        with self.connection.cursor() as cursor:
            if leaves:
                marks = ", ".join(["%s"] * len(leaves))
                cursor.execute(
                    f"SELECT seq, leaf_hash FROM {ENTRY_TABLE} WHERE seq IN ({marks})", leaves
                )
                for seq, digest in cursor.fetchall():
                    self.cache[(0, seq)] = bytes(digest)
            if nodes:
                marks = ", ".join(["%s"] * len(nodes))
                cursor.execute(
                    f"SELECT pos, hash FROM {NODE_TABLE} WHERE pos IN ({marks})", list(nodes)
                )
                for pos, digest in cursor.fetchall():
                    self.cache[nodes[pos]] = bytes(digest)

    def put_many(self, items: list[merkle.Node]) -> None:
        rows = [(node_pos(level, index), digest) for level, index, digest in items if level]
        for level, index, digest in items:
            self.cache[(level, index)] = digest
        if self.buffer is not None:
            self.buffer.extend(rows)
        elif rows:
            self._insert(rows)

    def flush(self) -> None:
        """Write the buffered nodes (a buffered store writes nothing until then)."""
        rows, self.buffer = self.buffer or [], []
        for start in range(0, len(rows), 1000):
            self._insert(rows[start : start + 1000])

    def _insert(self, rows: list[tuple[int, bytes]]) -> None:
        marks = ", ".join(["(%s, %s)"] * len(rows))
        params = [value for row in rows for value in row]
        with self.connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {NODE_TABLE} (pos, hash) VALUES {marks}", params)

    def root(self, size: int) -> bytes:
        """The tree head for ``size`` leaves, in one or two queries."""
        self.preload(perfect_keys(size))
        return merkle.root(self, size)
