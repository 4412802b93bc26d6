"""Ed25519-signed checkpoints (检查点) of the audit log's Merkle tree head.

A checkpoint commits the log operator to one tree: (origin, size, root hash, time). Its
canonical body follows the C2SP ``tlog-checkpoint`` layout, with the time as an extension
line, every line ending in ``\\n``::

    jifang.example/audit          origin: names the log and the signing key
    1234                          tree size, decimal, no leading zeros
    3q2+7w...=                    root hash, standard base64 (RFC 4648 §4) with padding
    2025-01-02T03:04:05Z          timestamp, ISO-8601 UTC, whole seconds

The Ed25519 signature covers exactly these bytes (UTF-8, including the final newline). The
key ID is the C2SP signed-note one: the first four bytes of
SHA-256(origin || 0x0A || 0x01 || 32-byte public key). :meth:`Checkpoint.to_note` renders the
checkpoint as a C2SP signed note (body, blank line, ``— origin base64(key ID || signature)``).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import re
import stat
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

__all__ = [
    "Checkpoint",
    "InsecureKeyFileError",
    "checkpoint_body",
    "format_timestamp",
    "key_id",
    "load_or_create_key",
    "load_public_key",
    "public_key_pem",
    "sign",
    "verify",
]

HASH_SIZE = 32
KEY_ID_SIZE = 4
SIGNATURE_SIZE = 64
ED25519_SIGNATURE_TYPE = b"\x01"  # C2SP signed-note signature type for Ed25519
SIGNATURE_LINE_PREFIX = "\u2014 "  # em dash + space
_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")
_SIZE = re.compile(r"0|[1-9][0-9]*")


class InsecureKeyFileError(PermissionError):
    """The private key file can be read or written by someone other than its owner."""


# --------------------------------------------------------------------------- format


def format_timestamp(moment: datetime) -> str:
    """Canonical checkpoint time: UTC, whole seconds, ``Z`` suffix (one spelling per instant)."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("timestamp must be timezone-aware (naive times are ambiguous)")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


_GOOD_ORIGINS: set[str] = set()  # a log has one origin: checked once, not at every signature


def _check_origin(origin: object) -> str:
    # C2SP: a key name is non-empty UTF-8 with no Unicode spaces and no '+'; no control chars.
    if not isinstance(origin, str) or not origin:
        raise ValueError("origin must be a non-empty string")
    if origin in _GOOD_ORIGINS:
        return origin
    if any(c.isspace() or c == "+" or ord(c) < 0x20 or ord(c) == 0x7F for c in origin):
        raise ValueError(f"origin {origin!r} must not contain spaces, '+' or control characters")
    if len(_GOOD_ORIGINS) < 64:
        _GOOD_ORIGINS.add(origin)
    return origin


def _check_timestamp(timestamp: object) -> str:
    if not isinstance(timestamp, str) or not _TIMESTAMP.fullmatch(timestamp):
        raise ValueError(f"timestamp {timestamp!r} is not YYYY-MM-DDTHH:MM:SSZ")
    # rejects month 13 and the like (as strptime would, at a twentieth of its cost: verify
    # checks every checkpoint's body)
    datetime.fromisoformat(timestamp[:-1])
    return timestamp


def checkpoint_body(origin: str, size: int, root: bytes, timestamp: str) -> bytes:
    """The exact bytes that are signed. Raises ``ValueError`` on any non-canonical field."""
    _check_origin(origin)
    if not isinstance(size, int) or isinstance(size, bool) or size < 0:
        raise ValueError(f"size must be a non-negative int, got {size!r}")
    if not isinstance(root, bytes) or len(root) != HASH_SIZE:
        raise ValueError(f"root must be {HASH_SIZE} bytes")
    _check_timestamp(timestamp)
    root_b64 = base64.b64encode(root).decode("ascii")
    return f"{origin}\n{size}\n{root_b64}\n{timestamp}\n".encode()


def key_id(public_key: Ed25519PublicKey, name: str) -> bytes:
    """C2SP signed-note key ID: SHA-256(name || 0x0A || 0x01 || raw public key)[:4]."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    material = name.encode() + b"\n" + ED25519_SIGNATURE_TYPE + raw
    return hashlib.sha256(material).digest()[:KEY_ID_SIZE]


@dataclass(frozen=True)
class Checkpoint:
    """A signed tree head. Construct with :func:`sign` or :meth:`from_note`, check with
    :func:`verify`; the fields alone prove nothing."""

    origin: str
    size: int
    root: bytes
    timestamp: str
    key_id: bytes
    signature: bytes

    def body(self) -> bytes:
        """Canonical signed text (see the module docstring)."""
        return checkpoint_body(self.origin, self.size, self.root, self.timestamp)

    def to_note(self) -> str:
        """Render as a C2SP signed note: body, blank line, one signature line."""
        blob = base64.b64encode(self.key_id + self.signature).decode("ascii")
        return f"{self.body().decode()}\n{SIGNATURE_LINE_PREFIX}{self.origin} {blob}\n"

    @classmethod
    def from_note(cls, text: str) -> Checkpoint:
        """Parse a note written by :meth:`to_note`. Raises ``ValueError`` if malformed.

        Parsing is not verification: call :func:`verify` with the published public key.
        """
        body, sep, signatures = text.rpartition("\n\n")
        if not sep or not text.endswith("\n"):
            raise ValueError("not a signed note: missing blank line or final newline")
        lines = (body + "\n").split("\n")[:-1]
        if len(lines) != 4:
            raise ValueError(f"checkpoint body must have 4 lines, found {len(lines)}")
        origin, size_text, root_text, timestamp = lines
        if not _SIZE.fullmatch(size_text):
            raise ValueError(f"size {size_text!r} is not a canonical decimal")
        root = _b64decode(root_text, "root")
        blob = _signature_for(origin, signatures)
        checkpoint = cls(
            origin=origin,
            size=int(size_text),
            root=root,
            timestamp=timestamp,
            key_id=blob[:KEY_ID_SIZE],
            signature=blob[KEY_ID_SIZE:],
        )
        if checkpoint.body() != (body + "\n").encode():
            raise ValueError("checkpoint body is not in canonical form")
        return checkpoint


def _b64decode(text: str, what: str) -> bytes:
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValueError(f"{what} is not valid base64") from exc
    if base64.b64encode(raw).decode("ascii") != text:
        raise ValueError(f"{what} is not canonical base64")
    return raw


def _signature_for(origin: str, signatures: str) -> bytes:
    """The ``key ID || signature`` blob of the first signature line by ``origin``."""
    for line in signatures.splitlines():
        if not line.startswith(SIGNATURE_LINE_PREFIX):
            raise ValueError(f"malformed signature line {line!r}")
        name, _, blob_text = line[len(SIGNATURE_LINE_PREFIX) :].partition(" ")
        if name == origin:
            blob = _b64decode(blob_text, "signature")
            if len(blob) != KEY_ID_SIZE + SIGNATURE_SIZE:
                raise ValueError("signature must be a 4-byte key ID plus 64 bytes")
            return blob
    raise ValueError(f"no signature line by {origin!r}")


# --------------------------------------------------------------------------- sign / verify


def sign(
    private_key: Ed25519PrivateKey,
    origin: str,
    size: int,
    root: bytes,
    timestamp: datetime | None = None,
) -> Checkpoint:
    """Sign the tree head ``(origin, size, root)`` at ``timestamp`` (default: now, UTC)."""
    stamp = format_timestamp(timestamp if timestamp is not None else datetime.now(UTC))
    body = checkpoint_body(origin, size, root, stamp)
    return Checkpoint(
        origin=origin,
        size=size,
        root=root,
        timestamp=stamp,
        key_id=key_id(private_key.public_key(), origin),
        signature=private_key.sign(body),
    )


def verify(public_key: Ed25519PublicKey, checkpoint: Checkpoint) -> bool:
    """True iff ``checkpoint`` was signed by ``public_key``'s owner for exactly these fields.

    Never raises on a malformed checkpoint; it is simply not valid.
    """
    try:
        body = checkpoint.body()
        if checkpoint.key_id != key_id(public_key, checkpoint.origin):
            return False
        public_key.verify(checkpoint.signature, body)
    except (InvalidSignature, ValueError, TypeError, AttributeError):
        return False
    return True


# --------------------------------------------------------------------------- keys


def public_key_pem(key: Ed25519PrivateKey | Ed25519PublicKey) -> bytes:
    """The public key to publish, as PEM SubjectPublicKeyInfo (``openssl pkey -pubin`` reads it)."""
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    return public.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def load_public_key(pem: bytes) -> Ed25519PublicKey:
    """Read a published PEM public key, insisting it is Ed25519."""
    key = serialization.load_pem_public_key(pem)
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("not an Ed25519 public key")
    return key


def load_or_create_key(path: str | os.PathLike[str]) -> Ed25519PrivateKey:
    """Load the signing key from ``path``, generating it there (mode 0600) on first use.

    The file is PEM PKCS#8 without a password, so file permissions are its only protection:
    a key file with any group or other permission bit is refused, like OpenSSH does. The
    parent directory must exist. Creation is atomic and never overwrites an existing file, so
    two processes starting at once end up with the same key.
    """
    path = Path(path)
    try:
        return _read_private_key(path)
    except FileNotFoundError:
        pass
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    try:
        _create_private_file(path, pem)
    except FileExistsError:  # lost a race with another process: use its key
        return _read_private_key(path)
    return key


def _read_private_key(path: Path) -> Ed25519PrivateKey:
    fd = os.open(path, os.O_RDONLY)
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())  # the file actually opened, not a racing replacement
        if not stat.S_ISREG(info.st_mode):
            raise InsecureKeyFileError(f"{path} is not a regular file")
        if info.st_mode & 0o077:
            mode = stat.S_IMODE(info.st_mode)
            raise InsecureKeyFileError(
                f"{path} has mode {mode:04o}; a private key must be 0600 (chmod 600 {path})"
            )
        pem = handle.read()
    key = serialization.load_pem_private_key(pem, password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{path} does not hold an Ed25519 private key")
    return key


def _create_private_file(path: Path, data: bytes) -> None:
    """Write ``data`` to a new 0600 file at ``path`` atomically, never replacing one."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), 0o600)  # mkstemp already does; the umask cannot widen it
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.link(tmp, path)  # atomic, and fails with FileExistsError instead of clobbering
    finally:
        os.unlink(tmp)
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
