"""Signed checkpoints: canonical body, Ed25519 sign/verify, key file handling."""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import os
import shutil
import stat
import subprocess
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from jifang.audit import merkle
from jifang.audit.checkpoint import (
    Checkpoint,
    InsecureKeyFileError,
    checkpoint_body,
    format_timestamp,
    key_id,
    load_or_create_key,
    load_public_key,
    public_key_pem,
    sign,
    verify,
)

ORIGIN = "jifang.example/audit"
ROOT = bytes.fromhex("deadbeef" + "00" * 28)
WHEN = datetime(2025, 1, 2, 3, 4, 5, 678, tzinfo=UTC)


@pytest.fixture(scope="module")
def key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


@pytest.fixture(scope="module")
def signed(key: Ed25519PrivateKey) -> Checkpoint:
    return sign(key, ORIGIN, 1234, ROOT, WHEN)


def test_canonical_body(signed: Checkpoint) -> None:
    assert signed.body() == (
        b"jifang.example/audit\n1234\n3q2+7wAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n"
        b"2025-01-02T03:04:05Z\n"
    )
    assert signed.timestamp == "2025-01-02T03:04:05Z"
    assert len(signed.signature) == 64


def test_key_id_is_the_c2sp_one(key: Ed25519PrivateKey, signed: Checkpoint) -> None:
    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    expected = hashlib.sha256(ORIGIN.encode() + b"\n\x01" + raw).digest()[:4]
    assert signed.key_id == key_id(key.public_key(), ORIGIN) == expected


def test_sign_and_verify(key: Ed25519PrivateKey, signed: Checkpoint) -> None:
    assert verify(key.public_key(), signed)
    assert verify(load_public_key(public_key_pem(key)), signed)


@pytest.mark.parametrize(
    "change",
    [
        {"origin": "jifang.example/other"},
        {"size": 1235},
        {"size": 0},
        {"root": bytes(32)},
        {"root": ROOT[:-1] + b"\x01"},
        {"timestamp": "2025-01-02T03:04:06Z"},
        {"signature": b"\x00" * 64},
        {"key_id": b"\x00\x00\x00\x00"},
        {"root": ROOT[:31]},
        {"timestamp": "2025-01-02 03:04:05Z"},
        {"origin": "has space"},
        {"signature": b""},
        {"size": -1},
    ],
)
def test_tampered_checkpoint_fails(
    key: Ed25519PrivateKey, signed: Checkpoint, change: dict
) -> None:
    assert not verify(key.public_key(), dataclasses.replace(signed, **change))


def test_flipped_signature_bits_fail(key: Ed25519PrivateKey, signed: Checkpoint) -> None:
    for position in (0, 31, 63):
        sig = bytearray(signed.signature)
        sig[position] ^= 0x01
        assert not verify(key.public_key(), dataclasses.replace(signed, signature=bytes(sig)))


def test_wrong_key_fails(signed: Checkpoint) -> None:
    assert not verify(Ed25519PrivateKey.generate().public_key(), signed)


def test_timestamps() -> None:
    beijing = datetime(2025, 1, 2, 11, 4, 5, tzinfo=timezone(timedelta(hours=8)))
    assert format_timestamp(beijing) == "2025-01-02T03:04:05Z"
    with pytest.raises(ValueError, match="timezone-aware"):
        format_timestamp(datetime(2025, 1, 2))
    key = Ed25519PrivateKey.generate()
    now = sign(key, ORIGIN, 1, ROOT)
    stamped = datetime.strptime(now.timestamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    assert abs(datetime.now(UTC) - stamped) < timedelta(minutes=1)
    with pytest.raises(ValueError):
        checkpoint_body(ORIGIN, 1, ROOT, "2025-13-02T03:04:05Z")


@pytest.mark.parametrize("origin", ["", "a b", "a\nb", "a+b", "tab\there"])
def test_bad_origins_are_refused(origin: str) -> None:
    with pytest.raises(ValueError):
        sign(Ed25519PrivateKey.generate(), origin, 1, ROOT, WHEN)


def test_note_round_trip(key: Ed25519PrivateKey, signed: Checkpoint) -> None:
    note = signed.to_note()
    assert note.startswith(signed.body().decode() + "\n\u2014 jifang.example/audit ")
    assert Checkpoint.from_note(note) == signed
    assert verify(key.public_key(), Checkpoint.from_note(note))
    # A note with the size edited still parses but no longer verifies.
    forged = Checkpoint.from_note(note.replace("\n1234\n", "\n1233\n"))
    assert not verify(key.public_key(), forged)
    # Extra signature lines from other keys are skipped.
    cosigned = note + "\u2014 witness.example " + base64.b64encode(bytes(68)).decode() + "\n"
    assert Checkpoint.from_note(cosigned) == signed


@pytest.mark.parametrize(
    "mangle",
    [
        lambda n: n.replace("\n\n", "\n"),
        lambda n: n[:-1],
        lambda n: n.replace("\n1234\n", "\n01234\n"),
        lambda n: n.replace("\n1234\n", "\n1234\nextra\n"),
        lambda n: n.replace("AAAA=\n", "AAAA\n"),
        lambda n: n.replace("\u2014 ", "-- "),
        lambda n: n.replace("jifang.example/audit ", "someone.else "),
        lambda n: n.rsplit(" ", 1)[0] + " " + base64.b64encode(bytes(60)).decode() + "\n",
    ],
)
def test_malformed_notes_are_refused(signed: Checkpoint, mangle) -> None:
    with pytest.raises(ValueError):
        Checkpoint.from_note(mangle(signed.to_note()))


def test_verify_log_takes_checkpoints(key: Ed25519PrivateKey) -> None:
    store = merkle.MemoryNodeStore()
    leaves = [merkle.leaf_hash(f"entry {i}".encode()) for i in range(10)]
    heads = []
    for i, leaf in enumerate(leaves):
        merkle.append(store, i, leaf)
        heads.append(sign(key, ORIGIN, i + 1, merkle.root(store, i + 1), WHEN))
    assert all(verify(key.public_key(), head) for head in heads)
    assert merkle.verify_log(leaves, heads).ok
    result = merkle.verify_log([*leaves[:6], leaves[7], leaves[6], *leaves[8:]], heads)
    assert result.first_bad_index == 6


# --------------------------------------------------------------------------- key files


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_key_file_created_0600_even_with_open_umask(tmp_path: Path) -> None:
    path = tmp_path / "audit-signing.pem"
    old_umask = os.umask(0)
    try:
        key = load_or_create_key(path)
    finally:
        os.umask(old_umask)
    assert mode(path) == 0o600
    text = path.read_bytes()
    assert text.startswith(b"-----BEGIN PRIVATE KEY-----\n")  # PKCS#8, unencrypted
    assert [p.name for p in tmp_path.iterdir()] == ["audit-signing.pem"]  # no temp file left
    again = load_or_create_key(path)
    assert public_key_pem(again) == public_key_pem(key)
    assert path.read_bytes() == text


@pytest.mark.parametrize("bad_mode", [0o644, 0o640, 0o604, 0o660, 0o606])
def test_group_or_world_accessible_key_refused(tmp_path: Path, bad_mode: int) -> None:
    path = tmp_path / "key.pem"
    load_or_create_key(path)
    path.chmod(bad_mode)
    with pytest.raises(InsecureKeyFileError, match="chmod 600"):
        load_or_create_key(path)
    assert issubclass(InsecureKeyFileError, PermissionError)


def test_non_ed25519_or_garbage_key_refused(tmp_path: Path) -> None:
    path = tmp_path / "key.pem"
    path.write_bytes(b"not a key")
    path.chmod(0o600)
    with pytest.raises(ValueError):
        load_or_create_key(path)
    with pytest.raises(FileNotFoundError):
        load_or_create_key(tmp_path / "missing-dir" / "key.pem")


def test_public_key_pem(key: Ed25519PrivateKey) -> None:
    pem = public_key_pem(key)
    assert pem.startswith(b"-----BEGIN PUBLIC KEY-----\n")
    assert public_key_pem(key.public_key()) == pem
    assert load_public_key(pem).public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    ) == key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


# --------------------------------------------------------------------------- the documented recipe


def _openssl_has_ed25519() -> bool:
    if shutil.which("openssl") is None:
        return False
    out = subprocess.run(["openssl", "version"], capture_output=True, text=True, check=False)
    return out.stdout.startswith("OpenSSL 3")


@pytest.mark.skipif(not _openssl_has_ed25519(), reason="needs OpenSSL 3 (pkeyutl -rawin)")
def test_openssl_recipe_in_docs(tmp_path: Path, key: Ed25519PrivateKey, signed: Checkpoint) -> None:
    (tmp_path / "audit-public.pem").write_bytes(public_key_pem(key))
    recipe = (
        "head -n 4 checkpoint.note > body.txt\n"
        "tail -n 1 checkpoint.note | awk '{print $3}' | base64 -d | tail -c 64 > sig.bin\n"
        "openssl pkeyutl -verify -pubin -inkey audit-public.pem -rawin -in body.txt "
        "-sigfile sig.bin\n"
    )
    doc = (Path(__file__).resolve().parents[2] / "docs" / "audit-proofs.md").read_text("utf-8")
    for line in recipe.splitlines():
        assert line.split(" > ")[0] in doc

    def run(note: str) -> subprocess.CompletedProcess:
        (tmp_path / "checkpoint.note").write_text(note, encoding="utf-8")
        return subprocess.run(
            ["bash", "-c", recipe], cwd=tmp_path, capture_output=True, text=True, check=False
        )

    good = run(signed.to_note())
    assert good.returncode == 0, good.stderr
    assert "Signature Verified Successfully" in good.stdout
    assert run(signed.to_note().replace("\n1234\n", "\n1235\n")).returncode != 0
