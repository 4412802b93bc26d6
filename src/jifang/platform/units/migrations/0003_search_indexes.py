"""Trigram indexes for the registry lists' searches on PostgreSQL (pg_trgm).

A list's `q` and the place-category filter are `icontains` lookups, which Django writes as
``UPPER(col::text) LIKE UPPER('%…%')``; a GIN trigram index on that very expression lets a
province's search read the matching rows instead of every row. SQLite has no such index and
is left as it is (a RunPython that checks the vendor, so that SQLite still migrates).
"""

from django.db import migrations

INDEXES = (
    ("units_unit_name_trgm", "units_unit", "UPPER((name)::text)"),
    ("units_unit_address_trgm", "units_unit", "UPPER((address)::text)"),
    ("units_place_name_trgm", "units_place", "UPPER((name)::text)"),
    ("units_place_categories_trgm", "units_place", "UPPER((categories)::text)"),
    ("systems_system_name_trgm", "systems_system", "UPPER((name)::text)"),
)


def create(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, expression in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({expression} gin_trgm_ops)"
        )
    # `uscc__iexact` (the unit search's exact credit code) compares UPPER(uscc)
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS units_unit_uscc_upper ON units_unit (UPPER((uscc)::text))"
    )


def drop(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _, _ in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    schema_editor.execute("DROP INDEX IF EXISTS units_unit_uscc_upper")


class Migration(migrations.Migration):
    dependencies = [
        ("units", "0002_natural_keys"),
        ("systems", "0002_natural_keys"),
    ]

    operations = [migrations.RunPython(create, drop)]
