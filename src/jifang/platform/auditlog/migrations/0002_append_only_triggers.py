"""Append-only triggers on the audit tables (PostgreSQL and SQLite; see auditlog/triggers.py)."""

from django.db import migrations

from jifang.platform.auditlog.triggers import migrate_install, migrate_uninstall


class Migration(migrations.Migration):

    dependencies = [
        ("auditlog", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(migrate_install, migrate_uninstall),
    ]
