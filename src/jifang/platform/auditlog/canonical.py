"""The canonical bytes of an audit entry: what is hashed into its Merkle leaf.

An entry's leaf is the UTF-8 of one JSON object with exactly these keys, sorted, no spaces,
non-ASCII characters written as themselves (``ensure_ascii=False``)::

    {"action":"update","actor":"user:alice","after":{...},"before":{...},
     "model":"units.unit","object_pk":"42","object_repr":"某某公司",
     "seq":17,"ts":"2025-01-02T03:04:05.123456Z"}

- ``seq``: the entry's position in the log (0, 1, 2, …), so an entry cannot be moved.
- ``ts``: UTC, always six fractional digits, ``Z``.
- ``before`` / ``after``: the record's fields as canonical JSON themselves (``null`` when there
  is none), so the leaf is exactly ``json.dumps(content, sort_keys=True,
  separators=(",", ":"), ensure_ascii=False)``.

The database keeps ``before`` and ``after`` as this canonical JSON *text*, so the leaf can be
rebuilt from the columns by concatenation (no JSON parsing) when the whole log is verified.
This module is pure Python (no Django).
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
import uuid
from json.encoder import encode_basestring  # the C encoder json.dumps(ensure_ascii=False) uses
from typing import Any

__all__ = ["canonical_json", "entry_bytes", "entry_content", "ts_from_db", "ts_text"]

_UTC = dt.UTC


def _default(value: Any) -> Any:
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, dt.datetime):
        return ts_text(value) if value.tzinfo is not None else value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, set | frozenset):
        return sorted(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).hex()
    if hasattr(value, "__html__") or type(value).__name__ == "__proxy__":  # lazy translations
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable for the audit log")


def canonical_json(value: Any) -> str:
    """Canonical JSON text: sorted keys, no spaces, UTF-8 characters as themselves."""
    return json.dumps(
        value,
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        allow_nan=False,
        default=_default,
    )


def ts_text(moment: dt.datetime) -> str:
    """The canonical entry time: UTC, microseconds, ``Z`` (one spelling per instant)."""
    if moment.tzinfo is None:
        raise ValueError("audit timestamps must be timezone-aware")
    if moment.utcoffset():
        moment = moment.astimezone(_UTC)
    return (
        f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}T"
        f"{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}.{moment.microsecond:06d}Z"
    )


def ts_from_db(value: Any) -> str:
    """:func:`ts_text` of a timestamp as the database driver returns it.

    PostgreSQL (psycopg) returns an aware datetime; Django's SQLite backend stores naive UTC
    text, ``YYYY-MM-DD HH:MM:SS[.ffffff]``.
    """
    if isinstance(value, str):
        if len(value) == 26 and value[10] == " ":
            return f"{value[:10]}T{value[11:]}Z"
        if len(value) == 19 and value[10] == " ":
            return f"{value[:10]}T{value[11:]}.000000Z"
        value = dt.datetime.fromisoformat(value)
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=_UTC)
        return ts_text(value)
    raise TypeError(f"unexpected timestamp {value!r}")


def entry_bytes(
    seq: int,
    ts: str,
    actor: str,
    action: str,
    model: str,
    object_pk: str,
    object_repr: str,
    before: str,
    after: str,
) -> bytes:
    """The leaf bytes of one entry, built from its stored columns.

    ``ts`` is :func:`ts_text` output and ``before``/``after`` are :func:`canonical_json` text,
    as stored. Equal to ``canonical_json(entry_content(...)).encode()`` (a test checks it),
    but about three times faster, which matters when ten million entries are re-derived.
    """
    return (
        '{"action":'
        + encode_basestring(action)
        + ',"actor":'
        + encode_basestring(actor)
        + ',"after":'
        + after
        + ',"before":'
        + before
        + ',"model":'
        + encode_basestring(model)
        + ',"object_pk":'
        + encode_basestring(object_pk)
        + ',"object_repr":'
        + encode_basestring(object_repr)
        + ',"seq":'
        + str(seq)
        + ',"ts":'
        + encode_basestring(ts)
        + "}"
    ).encode()


def entry_content(
    seq: int,
    ts: str,
    actor: str,
    action: str,
    model: str,
    object_pk: str,
    object_repr: str,
    before: str,
    after: str,
) -> dict[str, Any]:
    """The entry as a dict (``before``/``after`` decoded): what the leaf bytes encode."""
    return {
        "action": action,
        "actor": actor,
        "after": json.loads(after),
        "before": json.loads(before),
        "model": model,
        "object_pk": object_pk,
        "object_repr": object_repr,
        "seq": seq,
        "ts": ts,
    }
