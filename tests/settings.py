"""Settings for the test suite: the platform's settings on a throwaway data directory.

SQLite by default. With JIFANG_TEST_DB=postgres the suite runs on PostgreSQL at
JIFANG_TEST_PG_URL (default postgres://postgres@127.0.0.1:5432/test); if that server does not
answer, the platform tests are skipped and say why (see tests/conftest.py).
"""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("JIFANG_DATA_DIR", tempfile.mkdtemp(prefix="jifang-test-"))

PG_URL = os.environ.get("JIFANG_TEST_PG_URL", "postgres://postgres@127.0.0.1:5432/test")
PG_UNAVAILABLE: str | None = None
if os.environ.get("JIFANG_TEST_DB") == "postgres":
    import psycopg

    try:
        psycopg.connect(PG_URL.replace("postgres://", "postgresql://"), connect_timeout=3).close()
        os.environ["DATABASE_URL"] = PG_URL
    except psycopg.Error as exc:
        PG_UNAVAILABLE = f"PostgreSQL at {PG_URL} does not answer: {exc}".strip()
else:
    os.environ.pop("DATABASE_URL", None)

from jifang.platform.settings import *  # noqa: E402,F403

# Fast hashing: tests are not about password strength (test_security checks Argon2 itself).
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Pages render without a collected static manifest (`jifang serve` collects for real).
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

if DATABASES["default"]["ENGINE"].endswith("postgresql"):  # noqa: F405
    # One test database per run, so two runs on one server never share (and drop) it.
    DATABASES["default"]["TEST"] = {"NAME": f"test_jifang_{os.getpid()}"}  # noqa: F405

STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405  (WhiteNoise looks for it)
