"""Database triggers that make the audit tables append-only.

PostgreSQL: a plpgsql function raises on every UPDATE or DELETE row and on TRUNCATE.
SQLite: ``BEFORE UPDATE`` / ``BEFORE DELETE`` triggers ``SELECT RAISE(ABORT, …)``.
Both raise SQLSTATE 23000 / SQLITE_CONSTRAINT, which Django reports as ``IntegrityError``.

The triggers stop the application and casual SQL from rewriting history; someone who owns the
database can drop them. That is what the Merkle tree and the signed checkpoints are for:
``jifang audit verify`` detects whatever such a person changes.
"""

from __future__ import annotations

TABLES = ("auditlog_logentry", "auditlog_merklenode", "auditlog_checkpoint")
MESSAGE = "审计日志只能追加 / the audit log is append-only"
PG_FUNCTION = "jifang_audit_append_only"


def _pg_install() -> list[str]:
    sql = [
        f"""
        CREATE OR REPLACE FUNCTION {PG_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION '{MESSAGE}: % on % refused', TG_OP, TG_TABLE_NAME
                USING ERRCODE = 'integrity_constraint_violation';
        END
        $$
        """
    ]
    for table in TABLES:
        sql += [
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {PG_FUNCTION}()",
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {PG_FUNCTION}()",
        ]
    return sql


def _pg_uninstall() -> list[str]:
    sql = []
    for table in TABLES:
        sql += [
            f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}",
            f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}",
        ]
    return [*sql, f"DROP FUNCTION IF EXISTS {PG_FUNCTION}()"]


def _sqlite_install() -> list[str]:
    sql = []
    for table in TABLES:
        for op in ("UPDATE", "DELETE"):
            sql.append(
                f"CREATE TRIGGER {table}_no_{op.lower()} BEFORE {op} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}: {op} on {table} refused'); END"
            )
    return sql


def _sqlite_uninstall() -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS {table}_no_{op}" for table in TABLES for op in ("update", "delete")
    ]


def statements(vendor: str, *, install: bool) -> list[str]:
    if vendor == "postgresql":
        return _pg_install() if install else _pg_uninstall()
    if vendor == "sqlite":
        return _sqlite_install() if install else _sqlite_uninstall()
    raise NotImplementedError(f"no append-only triggers for database vendor {vendor!r}")


def install(connection) -> None:
    """Create the triggers (idempotent: drops them first)."""
    with connection.cursor() as cursor:
        for sql in statements(connection.vendor, install=False):
            cursor.execute(sql)
        for sql in statements(connection.vendor, install=True):
            cursor.execute(sql)


def uninstall(connection) -> None:
    with connection.cursor() as cursor:
        for sql in statements(connection.vendor, install=False):
            cursor.execute(sql)


def installed(connection) -> bool:
    """Whether every audit table has its triggers (for the verify report)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT count(*) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE NOT t.tgisinternal AND t.tgenabled <> 'D' AND c.relname = ANY(%s) "
                "AND t.tgname LIKE %s",
                [list(TABLES), "auditlog_%"],
            )
            return cursor.fetchone()[0] == 2 * len(TABLES)
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN "
                f"({', '.join(['%s'] * len(TABLES))})",
                list(TABLES),
            )
            return cursor.fetchone()[0] == 2 * len(TABLES)
    return False


def migrate_install(apps, schema_editor) -> None:
    install(schema_editor.connection)


def migrate_uninstall(apps, schema_editor) -> None:
    uninstall(schema_editor.connection)
