"""Who is acting: set by the web middleware for a request, by the CLI for a command."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar

_actor: ContextVar[str] = ContextVar("jifang_audit_actor", default="system")


def current_actor() -> str:
    return _actor.get()


@contextlib.contextmanager
def acting_as(actor: str) -> Iterator[None]:
    token = _actor.set(actor)
    try:
        yield
    finally:
        _actor.reset(token)
