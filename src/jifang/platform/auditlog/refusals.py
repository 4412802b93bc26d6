"""Permission refusals in the tamper-evident log.

A refused request rolls back (ATOMIC_REQUESTS), and an entry queued inside it would roll back
with it. So a refusal is only noted on the request while the view runs; `RefusalMiddleware`,
which sits outside the view's transaction, writes the notes after the response is made.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest

from .services import log_event

_NOTES = "_jifang_refusals"


def note_refusal(
    request: HttpRequest, action: str, model: str = "", object_pk: Any = "", reason: str = ""
) -> None:
    """Remember that `request` was refused `action` (on a row of `model`, if any)."""
    request = getattr(request, "_request", request)  # DRF's Request wraps Django's
    notes = getattr(request, _NOTES, None)
    if notes is None:
        notes = []
        setattr(request, _NOTES, notes)
    notes.append(
        {
            "action": action,
            "model": model,
            "object_pk": "" if object_pk is None else str(object_pk),
            "reason": reason,
        }
    )


def _actor(request: HttpRequest) -> str:
    user = getattr(request, "user", None)
    return (
        f"user:{user.get_username()}" if user is not None and user.is_authenticated else "anonymous"
    )


class RefusalMiddleware:
    """Writes the refusals a request noted, in a transaction of their own."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        response = self.get_response(request)
        notes = getattr(request, _NOTES, None)
        if notes:
            with transaction.atomic():
                for note in notes:
                    log_event(
                        "permission_refused",
                        model=note["model"],
                        object_pk=note["object_pk"],
                        object_repr=f"{request.method} {request.path}",
                        actor=_actor(request),
                        after={
                            "action": note["action"],
                            "reason": note["reason"],
                            "status": response.status_code,
                            "ip": request.META.get("REMOTE_ADDR"),
                        },
                    )
        return response
