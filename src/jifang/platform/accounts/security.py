"""Login lockout, and logins, failures and logouts in the audit log."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth import signals
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver
from django.utils import timezone

from jifang.platform.auditlog.services import log_event

from .models import LoginFailure


def _window_start() -> dt.datetime:
    return timezone.now() - dt.timedelta(minutes=settings.JIFANG_LOCKOUT_MINUTES)


def is_locked(username: str) -> bool:
    recent = LoginFailure.objects.filter(username=username, at__gte=_window_start())
    return recent.count() >= settings.JIFANG_LOCKOUT_FAILURES


def _ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") if request is not None else None


class LockoutModelBackend(ModelBackend):
    """Django's backend, refusing a user name locked by repeated failures (even with the
    right password, so that guessing cannot go on)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        name = username or kwargs.get("username")
        if name and is_locked(name):
            raise PermissionDenied("账户已因多次登录失败被临时锁定 / account temporarily locked")
        return super().authenticate(request, username=username, password=password, **kwargs)


@receiver(signals.user_login_failed)
def _failed(sender, credentials, request=None, **kwargs) -> None:
    name = str(credentials.get("username", ""))[:150]
    LoginFailure.objects.create(username=name, ip=_ip(request))
    log_event(
        "login_failed",
        model="auth.user",
        object_repr=name,
        actor=f"anonymous:{name}",
        after={"ip": _ip(request), "locked": is_locked(name)},
    )


@receiver(signals.user_logged_in)
def _logged_in(sender, request, user, **kwargs) -> None:
    LoginFailure.objects.filter(username=user.get_username()).delete()
    log_event(
        "login",
        model="auth.user",
        object_pk=user.pk,
        object_repr=user.get_username(),
        actor=f"user:{user.get_username()}",
        after={"ip": _ip(request)},
    )


@receiver(signals.user_logged_out)
def _logged_out(sender, request, user, **kwargs) -> None:
    if user is not None:
        log_event(
            "logout",
            model="auth.user",
            object_pk=user.pk,
            object_repr=user.get_username(),
            actor=f"user:{user.get_username()}",
        )
