"""Bulk import and export of the registries, as CSV or XLSX.

    from jifang.platform.core.importexport import get_registry, import_file, export_file
    report = import_file(get_registry("units"), "units.xlsx", dry_run=True)
    for problem in report.problems:          # every bad row and field, by line
        print(problem)
    export_file(get_registry("units"), "units.csv")

Each registry is one declaration (registries.py): its Chinese headers, the field each maps to,
the cell formats (cells.py), how references are written (natural keys, never database ids)
and its natural key. Import validates every row and writes all of them in one transaction, or
none when any row is bad; records are matched by natural key and updated, or created. Needs
Django set up (the CLI calls setup_django() first); cells.py and tables.py do not.
See docs/import-export.md.
"""

from __future__ import annotations

from .registries import all_registries, code_tables, column_rows, get_registry, markdown
from .run import (
    ImportFileError,
    ImportReport,
    Problem,
    export_file,
    export_rows,
    import_file,
    import_table,
)
from .spec import Column, ManyRef, Ref, Registry
from .tables import FORMATS, Table, TableError, read_table

__all__ = [
    "FORMATS",
    "Column",
    "ImportFileError",
    "ImportReport",
    "ManyRef",
    "Problem",
    "Ref",
    "Registry",
    "Table",
    "TableError",
    "all_registries",
    "code_tables",
    "column_rows",
    "export_file",
    "export_rows",
    "get_registry",
    "import_file",
    "import_table",
    "markdown",
    "read_table",
]
