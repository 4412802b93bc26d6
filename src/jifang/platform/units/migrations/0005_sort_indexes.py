"""B-tree indexes for the registry lists' sort headers on PostgreSQL.

A list sorted by a column orders by that column and then by pk, the same way
(`listing.ordering`), so an index on (column, id) hands a province's list its first fifty
rows from either end instead of a sort of every row (0.3–2 s at a million units). A column
naming a unit or a system sorts by its name: the index on units' names here, and the one on
systems' names, with the referring table's index on the reference, give it by a nested loop.

Left out: the devices' own columns (ten million rows: each index would cost the bulk load
seconds and a few hundred megabytes), the assessments and findings, which a sweep writes by
the million (each index more is that many more entries per sweep), and the references that
may be empty (a system's practitioner, an order's organ), which sort by a join no index
serves; see docs/scaling.md.
SQLite is left as it is (a RunPython that checks the vendor, so that SQLite still migrates).
"""

from django.db import migrations

INDEXES = {
    "units_unit": ("name", "uscc", "address", "phone"),
    "units_responsibleperson": ("name", "role", "phone"),
    "units_place": ("name", "public_area", "anti_terror_target", "police_key_place"),
    "systems_system": ("name", "status", "acceptance", "retention_days"),
    "compliance_rectificationorder": ("finding", "subject", "served", "deadline", "corrected"),
    "compliance_actrecord": ("code", "by", "occurred", "serious", "illegal_income"),
}


def _name(table: str, column: str) -> str:
    return f"{table}_{column}_sort"


def create(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, columns in INDEXES.items():
        for column in columns:
            schema_editor.execute(
                f'CREATE INDEX IF NOT EXISTS {_name(table, column)} ON {table} ("{column}", id)'
            )


def drop(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, columns in INDEXES.items():
        for column in columns:
            schema_editor.execute(f"DROP INDEX IF EXISTS {_name(table, column)}")


class Migration(migrations.Migration):
    dependencies = [
        ("units", "0004_kind_index"),
        ("systems", "0002_natural_keys"),
        ("compliance", "0002_sweeps_in_bulk"),
    ]

    operations = [migrations.RunPython(create, drop)]
