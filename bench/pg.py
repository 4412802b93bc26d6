"""The PostgreSQL server the benchmarks make their scratch databases on."""

from __future__ import annotations

import os

ADMIN_URL = os.environ.get("JIFANG_BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")


def libpq(url: str) -> str:
    """A postgres:// URL as psycopg takes it."""
    return url.replace("postgres://", "postgresql://", 1)


def admin(sql: str) -> None:
    """Run one statement on the server's admin database (CREATE/DROP DATABASE)."""
    import psycopg

    with psycopg.connect(libpq(ADMIN_URL), autocommit=True) as conn:
        conn.execute(sql)


def unavailable() -> str | None:
    """Why no server answers at ADMIN_URL, or None when one does."""
    import psycopg

    try:
        psycopg.connect(libpq(ADMIN_URL), connect_timeout=3).close()
    except psycopg.Error as exc:
        message = str(exc).strip()
        return message.splitlines()[0] if message else type(exc).__name__
    return None
