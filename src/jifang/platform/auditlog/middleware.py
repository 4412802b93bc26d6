from __future__ import annotations

from .context import acting_as


class ActorMiddleware:
    """Records the signed-in user as the actor of every change the request makes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        actor = f"user:{user.get_username()}" if user and user.is_authenticated else "anonymous"
        with acting_as(actor):
            return self.get_response(request)
