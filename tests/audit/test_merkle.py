"""RFC 9162 Merkle tree: vectors, exhaustive small trees, pymerkle cross-check, properties."""

from __future__ import annotations

import base64
import hashlib
import re
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jifang.audit import merkle
from jifang.audit.merkle import (
    EMPTY_ROOT,
    MemoryNodeStore,
    MissingNodeError,
    append,
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    node_hash,
    root,
    root_from_leaves,
    subtree_hash,
    verify_consistency,
    verify_inclusion,
    verify_log,
)

DOC = Path(__file__).resolve().parents[2] / "docs" / "audit-proofs.md"
MAX_N = 70

# --------------------------------------------------------------------------- reference model
# A literal transcription of the RFC 9162 §2.1 recursive definitions, over one fixed list of
# leaf hashes, written without looking at the implementation under test.


def _sha(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


LEAVES = [_sha(b"\x00" + f"entry {i}".encode()) for i in range(400)]


def _k(n: int) -> int:
    k = 1
    while k * 2 < n:
        k *= 2
    return k


@cache
def ref_mth(start: int, end: int) -> bytes:
    n = end - start
    if n == 0:
        return _sha(b"")
    if n == 1:
        return LEAVES[start]
    k = _k(n)
    return _sha(b"\x01" + ref_mth(start, start + k) + ref_mth(start + k, end))


def ref_path(m: int, start: int, end: int) -> list[bytes]:
    n = end - start
    if n == 1:
        return []
    k = _k(n)
    if m < k:
        return [*ref_path(m, start, start + k), ref_mth(start + k, end)]
    return [*ref_path(m - k, start + k, end), ref_mth(start, start + k)]


def ref_subproof(m: int, start: int, end: int, b: bool) -> list[bytes]:
    n = end - start
    if m == n:
        return [] if b else [ref_mth(start, end)]
    k = _k(n)
    if m <= k:
        return [*ref_subproof(m, start, start + k, b), ref_mth(start + k, end)]
    return [*ref_subproof(m - k, start + k, end, False), ref_mth(start, start + k)]


def build(n: int, leaves: list[bytes] = LEAVES) -> MemoryNodeStore:
    store = MemoryNodeStore()
    for i in range(n):
        append(store, i, leaves[i])
    return store


@pytest.fixture(scope="module")
def big_store() -> MemoryNodeStore:
    return build(MAX_N)


def flip(digest: bytes, bit: int = 0) -> bytes:
    return bytes([digest[0] ^ (1 << bit)]) + digest[1:]


# --------------------------------------------------------------------------- hashing and vectors


def test_empty_tree() -> None:
    assert EMPTY_ROOT.hex() == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    assert root(MemoryNodeStore(), 0) == EMPTY_ROOT
    assert root_from_leaves([]) == EMPTY_ROOT


def test_one_leaf_and_domain_separation() -> None:
    data = b"hello"
    assert leaf_hash(data) == _sha(b"\x00hello")
    assert node_hash(b"a" * 32, b"b" * 32) == _sha(b"\x01" + b"a" * 32 + b"b" * 32)
    store = build(1, [leaf_hash(data)])
    assert root(store, 1) == leaf_hash(data) != _sha(data)
    assert inclusion_proof(store, 0, 1) == []
    assert verify_inclusion(leaf_hash(data), 0, 1, [], leaf_hash(data))


# The certificate-transparency reference test vectors (RFC 6962 / RFC 9162 hashing).
CT_INPUTS = [
    bytes.fromhex(h)
    for h in (
        "",
        "00",
        "10",
        "2021",
        "3031",
        "40414243",
        "5051525354555657",
        "606162636465666768696a6b6c6d6e6f",
    )
]
CT_ROOTS = [
    bytes.fromhex(h)
    for h in (
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    )
]
CT_INCLUSION = {  # (index, size) -> path
    (0, 8): [
        "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ],
    (5, 8): [
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ],
}
CT_CONSISTENCY = {  # (old, new) -> proof
    (1, 1): [],
    (1, 8): [
        "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ],
    (6, 8): [
        "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ],
    (2, 5): [
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
    ],
}


def test_certificate_transparency_vectors() -> None:
    leaves = [leaf_hash(data) for data in CT_INPUTS]
    store = build(8, leaves)
    for size in range(1, 9):
        assert root(store, size) == CT_ROOTS[size - 1]
        assert root_from_leaves(leaves[:size]) == CT_ROOTS[size - 1]
    for (index, size), path in CT_INCLUSION.items():
        expected = [bytes.fromhex(h) for h in path]
        assert inclusion_proof(store, index, size) == expected
        assert verify_inclusion(leaves[index], index, size, expected, CT_ROOTS[size - 1])
    for (old, new), path in CT_CONSISTENCY.items():
        expected = [bytes.fromhex(h) for h in path]
        assert consistency_proof(store, old, new) == expected
        assert verify_consistency(old, new, CT_ROOTS[old - 1], CT_ROOTS[new - 1], expected)


# --------------------------------------------------------------------------- store and append


def test_append_stores_exactly_the_completed_perfect_subtrees() -> None:
    store = MemoryNodeStore()
    for size in range(MAX_N):
        written = append(store, size, LEAVES[size])
        trailing_ones = len(bin(size)) - len(bin(size).rstrip("1"))
        assert written[0] == (0, size, LEAVES[size])
        assert len(written) == 1 + trailing_ones
        for level, index, digest in written:
            assert digest == ref_mth(index << level, (index + 1) << level)
    expected = {
        (level, index) for level in range(MAX_N.bit_length()) for index in range(MAX_N >> level)
    }
    assert set(store.nodes) == expected


def test_store_refuses_rewrites_and_reports_missing_nodes() -> None:
    store = build(4)
    with pytest.raises(ValueError, match="already stored"):
        store.put_many([(0, 2, LEAVES[99])])
    store.put_many([(0, 2, LEAVES[2])])  # idempotent rewrite of the same value is harmless
    with pytest.raises(MissingNodeError):
        root(store, 5)
    with pytest.raises(MissingNodeError):
        append(MemoryNodeStore(), 1, LEAVES[1])  # leaf 0 was never appended
    assert isinstance(store, merkle.NodeStore)


def test_bad_arguments_raise() -> None:
    store = build(8)
    for call in (
        lambda: inclusion_proof(store, 8, 8),
        lambda: inclusion_proof(store, -1, 8),
        lambda: consistency_proof(store, 5, 4),
        lambda: subtree_hash(store, 1, 3),  # not a node of any RFC 9162 tree
        lambda: subtree_hash(store, 3, 2),
        lambda: append(store, 8, b"short"),
        lambda: root(store, True),
    ):
        with pytest.raises(ValueError):
            call()


class CountingStore(MemoryNodeStore):
    def __init__(self) -> None:
        super().__init__()
        self.gets = 0

    def get(self, level: int, index: int) -> bytes | None:
        self.gets += 1
        return super().get(level, index)


def test_lookups_are_logarithmic() -> None:
    n = 1000
    store = CountingStore()
    for i in range(n):
        append(store, i, LEAVES[i % len(LEAVES)])
    assert store.gets < n  # amortised: at most one left-sibling read per append on average
    bound = 2 * n.bit_length() + 1
    for size in range(1, n + 1, 37):
        for index in range(0, size, 7):
            store.gets = 0
            inclusion_proof(store, index, size)
            assert store.gets <= bound
        for old in range(0, size + 1, 5):
            store.gets = 0
            consistency_proof(store, old, size)
            assert store.gets <= bound
        store.gets = 0
        root(store, size)
        assert store.gets <= n.bit_length()


# --------------------------------------------------------------------------- exhaustive 1..70


def test_roots_and_subtrees_match_reference(big_store: MemoryNodeStore) -> None:
    for size in range(MAX_N + 1):
        assert root(big_store, size) == ref_mth(0, size)
        assert root_from_leaves(LEAVES[:size]) == ref_mth(0, size)
    for level in range(7):
        width = 1 << level
        for start in range(0, MAX_N, width):
            for end in range(start + 1, min(start + width, MAX_N) + 1):
                assert subtree_hash(big_store, start, end) == ref_mth(start, end)


def test_root_from_leaves_large() -> None:
    n = 5000
    leaves = [_sha(i.to_bytes(4, "big")) for i in range(n)]
    store = build(n, leaves)
    assert root_from_leaves(iter(leaves)) == root(store, n)
    with pytest.raises(ValueError):
        root_from_leaves([b"not a hash"])


def inclusion_forgeries(index: int, size: int, proof: list[bytes], top: bytes):
    """Everything an attacker could change; each must be rejected."""
    leaf = LEAVES[index]
    for i in range(len(proof)):
        yield leaf, index, size, [*proof[:i], flip(proof[i]), *proof[i + 1 :]], top
    if proof:
        yield leaf, index, size, proof[:-1], top
        yield leaf, index, size, proof[::-1] if len(proof) > 1 else [flip(proof[0])], top
    yield leaf, index, size, [*proof, proof[-1] if proof else leaf], top
    yield flip(leaf), index, size, proof, top
    yield LEAVES[(index + 1) % size] if size > 1 else flip(leaf, 3), index, size, proof, top
    yield leaf, index, size, proof, flip(top)
    for other in (index - 1, index + 1):
        if 0 <= other < size:
            yield leaf, other, size, proof, top
    # A different size always comes with that size's genuine root (it is signed together).
    for other in (size - 1, size + 1, size * 2):
        if other > index:
            yield leaf, index, other, proof, ref_mth(0, other)


def test_every_inclusion_proof_up_to_70(big_store: MemoryNodeStore) -> None:
    for size in range(1, MAX_N + 1):
        top = ref_mth(0, size)
        for index in range(size):
            proof = inclusion_proof(big_store, index, size)
            assert proof == ref_path(index, 0, size)
            assert verify_inclusion(LEAVES[index], index, size, proof, top)
            for forged in inclusion_forgeries(index, size, proof, top):
                assert not verify_inclusion(*forged), (index, size, forged)


def ref_consistency(old: int, new: int) -> list[bytes]:
    return ref_subproof(old, 0, new, True) if 0 < old < new else []


def consistency_forgeries(old: int, new: int, proof: list[bytes]):
    old_root, new_root = ref_mth(0, old), ref_mth(0, new)
    for i in range(len(proof)):
        yield old, new, old_root, new_root, [*proof[:i], flip(proof[i]), *proof[i + 1 :]]
    if proof:
        yield old, new, old_root, new_root, proof[:-1]
        if len(proof) > 1 and proof[0] != proof[-1]:
            yield old, new, old_root, new_root, proof[::-1]
    yield old, new, old_root, new_root, [*proof, new_root]
    yield old, new, flip(old_root), new_root, proof
    if old:  # every tree extends the empty tree: nothing binds new_root when old == 0
        yield old, new, old_root, flip(new_root), proof
    if old != new:
        yield new, old, new_root, old_root, proof
    # Other sizes come with their genuine roots; skip the claims that are true for this proof
    # (e.g. the empty tree is a prefix of every tree, with an empty proof).
    for other in (old - 1, old + 1):
        if 0 <= other <= new and proof != ref_consistency(other, new):
            yield other, new, ref_mth(0, other), new_root, proof
    for other in (new - 1, new + 1):
        if other >= old and proof != ref_consistency(old, other):
            yield old, other, old_root, ref_mth(0, other), proof


def test_every_consistency_proof_up_to_70(big_store: MemoryNodeStore) -> None:
    for new in range(MAX_N + 1):
        new_root = ref_mth(0, new)
        for old in range(new + 1):
            proof = consistency_proof(big_store, old, new)
            assert proof == ref_consistency(old, new)
            assert verify_consistency(old, new, ref_mth(0, old), new_root, proof)
            for forged in consistency_forgeries(old, new, proof):
                assert not verify_consistency(*forged), (old, new, forged)


def test_verifiers_reject_malformed_input_without_raising() -> None:
    store = build(8)
    proof = inclusion_proof(store, 3, 8)
    top = root(store, 8)
    assert verify_inclusion(LEAVES[3], 3, 8, proof, top)
    assert not verify_inclusion(LEAVES[3], 3, 8, [*proof[:-1], proof[-1][:31]], top)
    assert not verify_inclusion(LEAVES[3], 3, 8, [*proof[:-1], "x" * 32], top)
    assert not verify_inclusion(LEAVES[3], 3, 8, proof, top.hex())
    assert not verify_inclusion(LEAVES[3], -1, 8, proof, top)
    assert not verify_inclusion(LEAVES[3], 3, 0, proof, top)
    assert not verify_inclusion(LEAVES[3], 3.0, 8, proof, top)
    assert not verify_inclusion(LEAVES[3], 8, 8, proof, top)
    assert not verify_inclusion(LEAVES[3], 3, 8, None, top)
    cproof = consistency_proof(store, 3, 8)
    assert verify_consistency(3, 8, root(store, 3), top, cproof)
    assert not verify_consistency(3, 8, root(store, 3), top, [])
    assert not verify_consistency(3, True, root(store, 3), top, cproof)
    assert not verify_consistency(-3, 8, root(store, 3), top, cproof)
    assert not verify_consistency(0, 8, flip(EMPTY_ROOT), top, [])
    assert verify_consistency(0, 8, EMPTY_ROOT, top, [])
    assert not verify_consistency(0, 8, EMPTY_ROOT, top, cproof)
    assert not verify_consistency(8, 8, top, top, [top])


def test_size_is_bound_by_the_signed_checkpoint_not_by_the_proof(big_store) -> None:
    """RFC 9162 proofs do not commit to the tree size: the same path can check out under
    another size with the same root. Sizes must come from the signed checkpoint with the root."""
    top3 = root(big_store, 3)
    proof = inclusion_proof(big_store, 0, 3)
    assert verify_inclusion(LEAVES[0], 0, 4, proof, top3)  # size 4 claimed with size 3's root
    assert not verify_inclusion(LEAVES[0], 0, 4, proof, root(big_store, 4))
    cproof = consistency_proof(big_store, 30, 32)
    old, new = root(big_store, 30), root(big_store, 32)
    assert verify_consistency(30, 31, old, new, cproof)
    assert not verify_consistency(30, 31, old, root(big_store, 31), cproof)


# --------------------------------------------------------------------------- verify_log


def dense(leaves: list[bytes]) -> dict[int, bytes]:
    """A checkpoint after every entry, as the platform may record."""
    return {size: root_from_leaves(leaves[:size]) for size in range(len(leaves) + 1)}


GOOD = LEAVES[:40]


@pytest.mark.parametrize(
    ("tamper", "first_bad"),
    [
        (lambda xs: [*xs[:17], flip(xs[17]), *xs[18:]], 17),  # altered
        (lambda xs: xs[:17] + xs[18:], 17),  # deleted
        (lambda xs: [*xs[:17], LEAVES[300], *xs[17:]], 17),  # inserted
        (lambda xs: [*xs[:17], xs[29], *xs[18:29], xs[17], *xs[30:]], 17),  # swapped
        (lambda xs: xs[:33], 33),  # truncated
        (lambda xs: [flip(xs[0]), *xs[1:]], 0),
        (lambda xs: [*xs[:39], flip(xs[39])], 39),
    ],
    ids=["altered", "deleted", "inserted", "swapped", "truncated", "first", "last"],
)
def test_verify_log_names_first_bad_index(tamper, first_bad: int) -> None:
    result = verify_log(tamper(list(GOOD)), dense(GOOD))
    assert not result.ok
    assert result.first_bad_index == first_bad
    assert result.good_size == first_bad
    assert result.bad_size == first_bad + 1


def test_verify_log_with_sparse_checkpoints_bounds_the_damage() -> None:
    checkpoints = [(size, ref_mth(0, size)) for size in (10, 20, 30, 40)]
    tampered = [*GOOD[:23], flip(GOOD[23]), *GOOD[24:]]
    result = verify_log(tampered, checkpoints)
    assert (result.ok, result.first_bad_index, result.bad_size) == (False, 20, 30)
    assert result.checkpoints_matched == 2
    assert result.reason == "root mismatch"


def test_verify_log_accepts_good_logs_and_checkpoint_objects() -> None:
    result = verify_log(iter(GOOD + LEAVES[40:45]), dense(GOOD))
    assert result.ok and result.size == 45 and result.good_size == 40
    assert result.root == ref_mth(0, 45)
    assert result.checkpoints_matched == 41
    assert result.first_bad_index is None and result.bad_size is None

    class Head:
        def __init__(self, size: int) -> None:
            self.size, self.root = size, ref_mth(0, size)

    assert verify_log(GOOD, [Head(40), Head(3)]).ok
    assert verify_log([], {0: EMPTY_ROOT}).ok
    assert not verify_log([], {0: flip(EMPTY_ROOT)}).ok
    truncated = verify_log(GOOD[:25], [(20, ref_mth(0, 20)), (40, ref_mth(0, 40))])
    assert (truncated.ok, truncated.first_bad_index, truncated.bad_size) == (False, 20, 40)
    assert "25 leaves" in truncated.reason


# --------------------------------------------------------------------------- pymerkle cross-check


@pytest.fixture(scope="module")
def pymerkle_tree():
    pymerkle = pytest.importorskip("pymerkle")
    tree = pymerkle.InmemoryTree(algorithm="sha256")  # RFC 9162 prefixes are its default
    for i in range(MAX_N):
        tree.append_entry(f"entry {i}".encode())  # hashed as SHA-256(0x00 || data)
    return tree


def test_pymerkle_roots_and_inclusion_paths_equal_ours(pymerkle_tree, big_store) -> None:
    from pymerkle import verify_inclusion as pm_verify_inclusion

    for size in range(1, MAX_N + 1):
        top = root(big_store, size)
        assert pymerkle_tree.get_root(size) == top
        for index in range(size):
            ours = inclusion_proof(big_store, index, size)
            theirs = pymerkle_tree.prove_inclusion(index + 1, size)  # pymerkle counts from 1
            assert theirs.path == [LEAVES[index], *ours]  # it prepends the leaf itself
            assert verify_inclusion(LEAVES[index], index, size, theirs.path[1:], top)
            pm_verify_inclusion(LEAVES[index], top, theirs, index=index + 1, size=size)


def test_pymerkle_consistency_proofs_are_not_rfc9162(pymerkle_tree, big_store) -> None:
    """pymerkle 7 proves consistency with the inclusion path of the first new leaf (plus the
    old roots it folds), not with RFC 9162 SUBPROOF; the roots still have to agree."""
    from pymerkle import verify_consistency as pm_verify_consistency

    for new in range(1, MAX_N + 1):
        new_root = root(big_store, new)
        for old in range(1, new + 1):
            theirs = pymerkle_tree.prove_consistency(old, new)
            old_root = root(big_store, old)
            pm_verify_consistency(old_root, new_root, theirs, prior_size=old, later_size=new)
            if old == new:
                assert theirs.path == [new_root]
            else:
                assert theirs.path == [LEAVES[old], *inclusion_proof(big_store, old, new)]
    assert len(pymerkle_tree.prove_consistency(4, 8).path) == 4
    assert len(consistency_proof(big_store, 4, 8)) == 1


# --------------------------------------------------------------------------- properties


@st.composite
def trees(draw, max_size: int = 300):
    size = draw(st.integers(min_value=1, max_value=max_size))
    seed = draw(st.binary(min_size=1, max_size=8))
    leaves = [_sha(seed + i.to_bytes(4, "big")) for i in range(size)]
    return leaves


FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(leaves=trees(), data=st.data())
def test_random_proofs_verify_and_tampering_fails(leaves: list[bytes], data) -> None:
    n = len(leaves)
    store = build(n, leaves)
    size = data.draw(st.integers(1, n), label="size")
    index = data.draw(st.integers(0, size - 1), label="index")
    old = data.draw(st.integers(0, size), label="old")
    top, old_root = root(store, size), root(store, old)
    assert root_from_leaves(leaves[:size]) == top

    proof = inclusion_proof(store, index, size)
    assert verify_inclusion(leaves[index], index, size, proof, top)
    cproof = consistency_proof(store, old, size)
    assert verify_consistency(old, size, old_root, top, cproof)

    if proof:
        at = data.draw(st.integers(0, len(proof) - 1), label="at")
        bit = data.draw(st.integers(0, 7), label="bit")
        bad = [*proof[:at], flip(proof[at], bit), *proof[at + 1 :]]
        assert not verify_inclusion(leaves[index], index, size, bad, top)
    if cproof:
        at = data.draw(st.integers(0, len(cproof) - 1), label="cat")
        bad = [*cproof[:at], flip(cproof[at]), *cproof[at + 1 :]]
        assert not verify_consistency(old, size, old_root, top, bad)
    assert not verify_inclusion(flip(leaves[index]), index, size, proof, top)


@settings(max_examples=15, deadline=None)
@given(leaves=trees(max_size=260), data=st.data())
def test_random_trees_agree_with_pymerkle(leaves: list[bytes], data) -> None:
    pymerkle = pytest.importorskip("pymerkle")
    tree = pymerkle.InmemoryTree(algorithm="sha256")
    # Feed pymerkle the entries whose leaf hashes are ours: any distinct bytes will do.
    entries = [leaf[:16] for leaf in leaves]
    for entry in entries:
        tree.append_entry(entry)
    hashed = [leaf_hash(entry) for entry in entries]
    store = build(len(hashed), hashed)
    size = data.draw(st.integers(1, len(hashed)), label="size")
    index = data.draw(st.integers(0, size - 1), label="index")
    assert tree.get_root(size) == root(store, size)
    assert tree.prove_inclusion(index + 1, size).path[1:] == inclusion_proof(store, index, size)


# --------------------------------------------------------------------------- the documented recipe


def test_hand_verification_snippet_in_docs() -> None:
    """The standalone snippet in docs/audit-proofs.md must accept real proofs."""
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    namespace: dict = {}
    exec(compile(blocks[0], str(DOC), "exec"), namespace)
    check = namespace["verify_inclusion"]
    b64 = lambda raw: base64.b64encode(raw).decode()  # noqa: E731
    store = build(MAX_N)
    for size in (1, 2, 7, 8, 13, MAX_N):
        top = b64(root(store, size))
        for index in range(size):
            path = [b64(p) for p in inclusion_proof(store, index, size)]
            assert check(b64(LEAVES[index]), index, size, path, top)
            assert not check(b64(flip(LEAVES[index])), index, size, path, top)
    entry = b"entry 5"
    assert namespace["leaf_hash"](entry) == b64(leaf_hash(entry))
