"""Writes of complaints: a submission from the public (rate-limited by source address, counted
in the database so every worker process sees the same count) and the office's answer."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from jifang.platform.core.services import save_record

from .models import Complaint, normalize_code

DEFAULT_PER_HOUR = 5


class TooManyComplaints(Exception):
    """The source address has submitted its quota for the last hour."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        super().__init__(
            f"提交过于频繁：每小时最多{limit}件，请稍后再试 / "
            f"too many submissions: at most {limit} an hour, please try later"
        )


def per_hour() -> int:
    return int(getattr(settings, "JIFANG_COMPLAINTS_PER_HOUR", DEFAULT_PER_HOUR))


def recent_from(ip: str | None, now: dt.datetime | None = None) -> int:
    """Complaints submitted from `ip` in the hour before `now`."""
    if not ip:
        return 0
    since = (now or timezone.now()) - dt.timedelta(hours=1)
    return Complaint.objects.filter(source_ip=ip, submitted_at__gte=since).count()


def submit(complaint: Complaint, ip: str | None) -> Complaint:
    """Validate and store a new complaint from `ip`, unless that address is over its quota."""
    limit = per_hour()
    with transaction.atomic():
        if recent_from(ip) >= limit:
            raise TooManyComplaints(limit)
        complaint.source_ip = ip or None
        complaint.submitted_at = timezone.now()
        complaint.status = Complaint.Status.RECEIVED
        complaint.reply = ""
        return save_record(complaint)


def answer(complaint: Complaint, *, status: str, reply: str) -> Complaint:
    """The office moves a complaint on (handling, closed) and records its reply."""
    return save_record(complaint, status=status, reply=reply)


def find_by_code(code: str) -> Complaint | None:
    """The complaint a tracking code names (the complainant's own look-up), or None."""
    code = normalize_code(code)
    if not code:
        return None
    return Complaint.objects.select_related("division").filter(tracking_code=code).first()
