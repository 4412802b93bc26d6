"""The sort indexes of the registry lists (units.0005_sort_indexes): each serves a column the
list sorts by, and on PostgreSQL each exists after migrating."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.db import connection

from jifang.platform.core.catalog import slug_for
from jifang.web.registries.columns import columns_for

sort_indexes = importlib.import_module("jifang.platform.units.migrations.0005_sort_indexes")


def _model(table: str):
    return next(m for m in apps.get_models() if m._meta.db_table == table)


def test_every_index_serves_a_sortable_listed_column() -> None:
    for table, columns in sort_indexes.INDEXES.items():
        model = _model(table)
        sorts = {c.sort for c in columns_for(model, slug_for(model)) if c.sort}
        for column in columns:
            field = next(f for f in model._meta.concrete_fields if f.column == column)
            assert field.name in sorts, (table, column)


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL-only indexes")
def test_the_indexes_exist_on_postgresql() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE indexname LIKE '%_sort'")
        found = dict(cursor.fetchall())
    for table, columns in sort_indexes.INDEXES.items():
        for column in columns:
            definition = found[f"{table}_{column}_sort"]
            assert f"ON public.{table} USING btree ({column}, id)" in definition.replace('"', "")
