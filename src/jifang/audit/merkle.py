"""RFC 9162 (Certificate Transparency v2) Merkle trees over SHA-256.

Hashing rules (RFC 9162 §2.1.1)::

    MTH({})      = SHA-256("")
    leaf hash    = SHA-256(0x00 || entry bytes)
    node hash    = SHA-256(0x01 || left || right)
    MTH(D[0:n])  = node(MTH(D[0:k]), MTH(D[k:n])), k = largest power of two < n

The 0x00/0x01 prefixes keep a leaf from ever being passed off as an interior node
(second-preimage resistance).

Storage model: every *perfect* subtree that has been completed is stored once, keyed by
``(level, index)``; it covers leaves ``[index * 2**level, (index + 1) * 2**level)`` and level 0
holds the leaf hashes themselves. Stored nodes never change after they are written, so an
append-only database table can hold them. Any tree head, inclusion proof or consistency proof
for any size up to the current one is then a handful (O(log n)) of lookups: each range the RFC
algorithms need is split into at most log2(n) perfect subtrees.

The tree size is never kept in the store: callers pass it explicitly, because the platform
reads it from the same row lock / transaction that orders the log entries.

The ``verify_*`` functions do not touch a store; a third party can run them with nothing but
the proof, the sizes and the signed roots.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from hmac import compare_digest
from typing import Protocol, runtime_checkable

__all__ = [
    "EMPTY_ROOT",
    "HASH_SIZE",
    "LogCheck",
    "MemoryNodeStore",
    "MissingNodeError",
    "Node",
    "NodeStore",
    "append",
    "consistency_keys",
    "consistency_proof",
    "inclusion_keys",
    "inclusion_proof",
    "leaf_hash",
    "node_hash",
    "root",
    "root_from_leaves",
    "subtree_hash",
    "verify_consistency",
    "verify_inclusion",
    "verify_log",
]

HASH_SIZE = 32
LEAF_PREFIX = b"\x00"
NODE_PREFIX = b"\x01"
EMPTY_ROOT = hashlib.sha256(b"").digest()
"""MTH of the empty tree: SHA-256 of the empty string, with no prefix."""

Node = tuple[int, int, bytes]
"""``(level, index, hash)`` of one stored perfect subtree."""

_sha256 = hashlib.sha256


def leaf_hash(data: bytes) -> bytes:
    """Hash an entry's canonical bytes into a leaf (RFC 9162 §2.1.1)."""
    return _sha256(LEAF_PREFIX + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """Hash two child hashes into their parent (RFC 9162 §2.1.1)."""
    return _sha256(NODE_PREFIX + left + right).digest()


# --------------------------------------------------------------------------- storage


@runtime_checkable
class NodeStore(Protocol):
    """Where perfect-subtree hashes live; the platform implements it on a database table.

    Deliberately minimal: a keyed read and a batched insert. Rows are immutable once written.
    """

    def get(self, level: int, index: int) -> bytes | None:
        """The hash of perfect subtree ``(level, index)``, or ``None`` if it was never stored."""
        ...

    def put_many(self, items: list[Node]) -> None:
        """Store ``(level, index, hash)`` rows; called once per appended leaf."""
        ...


class MissingNodeError(LookupError):
    """A node the tree size implies should exist is not in the store (size too large, or loss)."""


class MemoryNodeStore:
    """Dict-backed :class:`NodeStore` for tests, tools and re-derivation."""

    def __init__(self) -> None:
        self.nodes: dict[tuple[int, int], bytes] = {}

    def get(self, level: int, index: int) -> bytes | None:
        return self.nodes.get((level, index))

    def put_many(self, items: list[Node]) -> None:
        # Refusing to overwrite mirrors the unique constraint a database table should have:
        # a changed node would silently rewrite history.
        for level, index, digest in items:
            old = self.nodes.get((level, index))
            if old is not None and old != digest:
                raise ValueError(f"node ({level}, {index}) already stored with another hash")
        for level, index, digest in items:
            self.nodes[(level, index)] = digest

    def __len__(self) -> int:
        return len(self.nodes)


def _fetch(store: NodeStore, level: int, index: int) -> bytes:
    digest = store.get(level, index)
    if digest is None:
        raise MissingNodeError(f"node (level={level}, index={index}) is not stored")
    return digest


def append(store: NodeStore, size: int, leaf: bytes) -> list[Node]:
    """Append leaf number ``size`` (0-based) and store the perfect subtrees it completes.

    Returns the rows written (the leaf itself first, then one per completed ancestor) and writes
    them with a single ``store.put_many`` call, so call this inside the same database
    transaction that inserts the entry. Reads one stored left sibling per completed level:
    amortised O(1) (two lookups on average over a run of appends).
    """
    _require_size(size, "size")
    _require_hash(leaf, "leaf")
    nodes: list[Node] = [(0, size, leaf)]
    level, index, digest = 0, size, leaf
    while index & 1:  # a right child completes its parent
        digest = node_hash(_fetch(store, level, index - 1), digest)
        level, index = level + 1, index >> 1
        nodes.append((level, index, digest))
    store.put_many(nodes)
    return nodes


# --------------------------------------------------------------------------- tree heads


def _split(width: int) -> int:
    """RFC 9162's k: the largest power of two strictly smaller than ``width`` (>= 2)."""
    return 1 << ((width - 1).bit_length() - 1)


def _perfect_keys(start: int, end: int) -> list[tuple[int, int]]:
    """Decompose ``[start, end)`` into stored perfect subtrees, largest (leftmost) first.

    This equals RFC 9162's recursive split only when ``start`` is a multiple of the largest
    power of two <= ``end - start``; every range an RFC proof uses has that property (it is a
    node of the tree), and other ranges are refused rather than hashed wrongly.
    """
    width = end - start
    if width and start % (1 << (width.bit_length() - 1)):
        raise ValueError(f"[{start}, {end}) is not a subtree of an RFC 9162 tree")
    keys = []
    while width:
        level = width.bit_length() - 1
        keys.append((level, start >> level))
        start += 1 << level
        width -= 1 << level
    return keys


def _fold(hashes: Sequence[bytes]) -> bytes:
    """Combine perfect-subtree hashes (left to right, decreasing size) into one MTH."""
    digest = hashes[-1]
    for left in reversed(hashes[:-1]):
        digest = node_hash(left, digest)
    return digest


def subtree_hash(store: NodeStore, start: int, end: int) -> bytes:
    """MTH(D[start:end]) for a node of the tree, in at most log2(end - start) + 1 lookups."""
    _require_size(start, "start")
    _require_size(end, "end")
    if start > end:
        raise ValueError(f"start {start} > end {end}")
    if start == end:
        return EMPTY_ROOT
    return _fold([_fetch(store, level, index) for level, index in _perfect_keys(start, end)])


def root(store: NodeStore, size: int) -> bytes:
    """The tree head MTH(D[0:size]) for any size up to the number of appended leaves."""
    return subtree_hash(store, 0, size)


# --------------------------------------------------------------------------- proofs


def _inclusion_ranges(index: int, size: int) -> list[tuple[int, int]]:
    """The sibling ranges of PATH(index, D[0:size]), from the leaf up."""
    _require_size(index, "index")
    _require_size(size, "size")
    if index >= size:
        raise ValueError(f"index {index} is not below tree size {size}")
    siblings = []
    start, end = 0, size
    while end - start > 1:
        k = _split(end - start)
        if index < start + k:
            siblings.append((start + k, end))
            end = start + k
        else:
            siblings.append((start, start + k))
            start += k
    return siblings[::-1]


def inclusion_proof(store: NodeStore, index: int, size: int) -> list[bytes]:
    """RFC 9162 §2.1.3.1 PATH(index, D[0:size]): sibling hashes from the leaf up to the root.

    At most one sibling is not a perfect subtree (the right-hand edge of the tree), so the
    whole proof costs O(log n) lookups.
    """
    return [subtree_hash(store, s, e) for s, e in _inclusion_ranges(index, size)]


def inclusion_keys(index: int, size: int) -> list[tuple[int, int]]:
    """The stored nodes :func:`inclusion_proof` reads, so that a store can fetch them at once."""
    return [key for s, e in _inclusion_ranges(index, size) for key in _perfect_keys(s, e)]


def _consistency_ranges(old_size: int, new_size: int) -> list[tuple[int, int]]:
    """The subtrees of PROOF(old_size, D[0:new_size]), in proof order."""
    _require_size(old_size, "old_size")
    _require_size(new_size, "new_size")
    if old_size > new_size:
        raise ValueError(f"old_size {old_size} > new_size {new_size}")
    if old_size in (0, new_size):
        return []
    ranges = []
    m, start, end, is_old_root = old_size, 0, new_size, True
    while m != end - start:
        k = _split(end - start)
        if m <= k:
            ranges.append((start + k, end))
            end = start + k
        else:
            ranges.append((start, start + k))
            start, m, is_old_root = start + k, m - k, False
    if not is_old_root:  # SUBPROOF(m, D[m], false) = {MTH(D[m])}; with true it is {}
        ranges.append((start, end))
    return ranges[::-1]


def consistency_proof(store: NodeStore, old_size: int, new_size: int) -> list[bytes]:
    """RFC 9162 §2.1.4.1 PROOF(old_size, D[0:new_size]) = SUBPROOF(m, D[0:n], true).

    Empty when the sizes are equal or the old tree is empty (nothing to prove).
    """
    return [subtree_hash(store, s, e) for s, e in _consistency_ranges(old_size, new_size)]


def consistency_keys(old_size: int, new_size: int) -> list[tuple[int, int]]:
    """The stored nodes :func:`consistency_proof` reads."""
    return [key for s, e in _consistency_ranges(old_size, new_size) for key in _perfect_keys(s, e)]


# --------------------------------------------------------------------------- verification


def _is_hash(value: object) -> bool:
    return isinstance(value, bytes) and len(value) == HASH_SIZE


def _is_size(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _well_formed(proof: object) -> bool:
    return isinstance(proof, Sequence) and all(_is_hash(p) for p in proof)


def verify_inclusion(
    leaf: bytes, index: int, size: int, proof: Sequence[bytes], root_hash: bytes
) -> bool:
    """RFC 9162 §2.1.3.2: does ``proof`` show leaf ``index`` hashes into ``root_hash``?

    Never raises on malformed input; anything unexpected is simply ``False``. ``size`` and
    ``root_hash`` must come from the same signed checkpoint: the size is not bound by the
    proof alone.
    """
    if not (_is_hash(leaf) and _is_hash(root_hash) and _well_formed(proof)):
        return False
    if not (_is_size(index) and _is_size(size) and index < size):
        return False
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while fn and not fn & 1:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and compare_digest(r, root_hash)


def verify_consistency(
    old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> bool:
    """RFC 9162 §2.1.4.2: is the tree of ``old_size`` a prefix of the tree of ``new_size``?

    Equal sizes need an empty proof and equal roots; the empty tree is a prefix of every tree
    (empty proof, ``old_root`` must be the empty-tree hash). Never raises on malformed input.
    """
    if not (_is_hash(old_root) and _is_hash(new_root) and _well_formed(proof)):
        return False
    if not (_is_size(old_size) and _is_size(new_size) and old_size <= new_size):
        return False
    if old_size == new_size:
        return len(proof) == 0 and compare_digest(old_root, new_root)
    if old_size == 0:
        return len(proof) == 0 and compare_digest(old_root, EMPTY_ROOT)
    if len(proof) == 0:
        return False
    path = list(proof)
    if old_size & (old_size - 1) == 0:  # the old tree is itself a perfect subtree
        path.insert(0, old_root)
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            while fn and not fn & 1:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and compare_digest(fr, old_root) and compare_digest(sr, new_root)


# --------------------------------------------------------------------------- streaming


class _Frontier:
    """The right edge of a growing tree: one perfect-subtree hash per set bit of ``size``."""

    __slots__ = ("size", "stack")

    def __init__(self) -> None:
        self.size = 0
        self.stack: list[bytes] = []

    def push(self, leaf: bytes) -> None:
        if len(leaf) != HASH_SIZE:
            raise ValueError(f"leaf {self.size} is not a {HASH_SIZE}-byte hash")
        self.size += 1
        digest, n, stack = leaf, self.size, self.stack
        while not n & 1:  # one merge per trailing zero bit of the new size
            digest = _sha256(NODE_PREFIX + stack.pop() + digest).digest()
            n >>= 1
        stack.append(digest)

    def root(self) -> bytes:
        return _fold(self.stack) if self.stack else EMPTY_ROOT


def root_from_leaves(leaves: Iterable[bytes]) -> bytes:
    """Re-derive the tree head from leaf hashes in one pass: O(n) time, O(log n) memory.

    For audits that distrust the node store and rebuild from the entries themselves.
    """
    frontier = _Frontier()
    for leaf in leaves:
        frontier.push(leaf)
    return frontier.root()


@dataclass(frozen=True)
class LogCheck:
    """Outcome of :func:`verify_log`.

    ``good_size`` leaves are proven by a matching checkpoint; when ``ok`` is false the fault
    lies in ``[first_bad_index, bad_size)`` — a single index when checkpoints are dense
    (e.g. one per entry).
    """

    ok: bool
    size: int
    """Leaves read (the walk stops at the first failing checkpoint)."""
    root: bytes
    """MTH of the ``size`` leaves read."""
    checkpoints_matched: int
    good_size: int
    """Largest checkpoint size whose root matched (0 if none)."""
    bad_size: int | None = None
    """Size of the first checkpoint that failed."""
    first_bad_index: int | None = None
    """Earliest leaf that may have been altered, deleted, inserted or moved."""
    reason: str = ""


CheckpointLike = Iterable[tuple[int, bytes]] | Mapping[int, bytes]


def _checkpoint_pairs(checkpoints: CheckpointLike) -> list[tuple[int, bytes]]:
    if isinstance(checkpoints, Mapping):
        items: Iterable[object] = checkpoints.items()
    else:
        items = checkpoints
    pairs = []
    for item in items:
        if hasattr(item, "size") and hasattr(item, "root"):
            pairs.append((item.size, item.root))
        else:
            size, digest = item
            pairs.append((size, digest))
    return sorted(pairs, key=lambda pair: pair[0])


def verify_log(leaves: Iterable[bytes], checkpoints: CheckpointLike) -> LogCheck:
    """Walk the stored leaf hashes once and check each checkpoint's root at its size.

    ``checkpoints`` are ``(size, root)`` pairs, a ``{size: root}`` mapping, or objects with
    ``size`` and ``root`` attributes (such as verified :class:`~jifang.audit.checkpoint.Checkpoint`
    objects: check their signatures first, this only compares hashes). Stops at the first
    checkpoint that fails, reporting where the damage can start.
    """
    pending = _checkpoint_pairs(checkpoints)
    frontier, i, good = _Frontier(), 0, 0

    def failed(size: int, reason: str) -> LogCheck:
        return LogCheck(False, frontier.size, frontier.root(), i, good, size, good, reason)

    leaf_iter = iter(leaves)
    while True:
        while i < len(pending) and pending[i][0] == frontier.size:
            size, expected = pending[i]
            if not (_is_hash(expected) and compare_digest(frontier.root(), expected)):
                return failed(size, "root mismatch")
            good, i = size, i + 1
        leaf = next(leaf_iter, None)
        if leaf is None:
            break
        frontier.push(leaf)
    if i < len(pending):
        return failed(pending[i][0], f"log has {frontier.size} leaves, checkpoint needs more")
    return LogCheck(True, frontier.size, frontier.root(), i, good)


# --------------------------------------------------------------------------- argument checks


def _require_size(value: object, name: str) -> None:
    if not _is_size(value):
        raise ValueError(f"{name} must be a non-negative int, got {value!r}")


def _require_hash(value: object, name: str) -> None:
    if not _is_hash(value):
        raise ValueError(f"{name} must be {HASH_SIZE} bytes")
