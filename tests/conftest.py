"""Suite-wide: skip the database tests, saying why, when the PostgreSQL run has no server;
keep the regime cache of this run (and of the commands it starts) out of the user's own."""

from __future__ import annotations

import os
import tempfile

import pytest

os.environ["JIFANG_CACHE_DIR"] = tempfile.mkdtemp(prefix="jifang-test-cache-")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    from django.conf import settings

    reason = getattr(settings, "PG_UNAVAILABLE", None)
    if not reason:
        return
    skip = pytest.mark.skip(reason=reason)
    for item in items:
        if item.get_closest_marker("django_db") or "db" in getattr(item, "fixturenames", ()):
            item.add_marker(skip)


def pytest_report_header(config: pytest.Config) -> str:
    from django.conf import settings

    db = settings.DATABASES["default"]
    reason = getattr(settings, "PG_UNAVAILABLE", None)
    return f"database: {db['ENGINE'].rsplit('.', 1)[-1]} {db['NAME']}" + (
        f" (SKIPPING database tests: {reason})" if reason else ""
    )
