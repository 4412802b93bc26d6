"""Print the column and code tables of docs/import-export.md (generated from the declarations).

python -m jifang.platform.core.importexport > /tmp/tables.md
"""

from __future__ import annotations

import sys

from jifang.cli.django_setup import setup_django

setup_django()

from jifang.platform.core.importexport import markdown  # noqa: E402

sys.stdout.write(markdown())
