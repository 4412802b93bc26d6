"""Platform test fixtures."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session", autouse=True)
def _flush_past_audit_triggers():
    """Let Django's flush empty the append-only audit tables.

    ``transactional_db`` tests end with a flush (DELETE on SQLite, TRUNCATE on PostgreSQL),
    which the audit log's triggers refuse. During the flush only, drop them and put them back.
    """
    from django.db import transaction
    from django.db.backends.base.operations import BaseDatabaseOperations

    from jifang.platform.auditlog import triggers

    original = BaseDatabaseOperations.execute_sql_flush

    def execute_sql_flush(self, sql_list):
        with transaction.atomic(using=self.connection.alias):
            triggers.uninstall(self.connection)
            original(self, sql_list)
            triggers.install(self.connection)

    patch = pytest.MonkeyPatch()
    patch.setattr(BaseDatabaseOperations, "execute_sql_flush", execute_sql_flush)
    yield
    patch.undo()
