"""`manage.py sweep DIVISION [--as-of DATE]`: the same sweep as `jifang sweep`."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from jifang.platform.auditlog.context import acting_as
from jifang.platform.compliance.services import sweep
from jifang.platform.geo.models import Division


class Command(BaseCommand):
    help = "批量评估辖区内全部单位 / assess every unit of a division"

    def add_arguments(self, parser) -> None:
        parser.add_argument("division")
        parser.add_argument("--as-of", type=dt.date.fromisoformat, default=None)

    def handle(self, *args, **options) -> None:
        division = Division.objects.filter(code=options["division"]).first()
        if division is None:
            raise CommandError(f"没有行政区划 {options['division']} / no such division")
        with acting_as("manage:sweep"):
            run = sweep(division, options["as_of"])
        self.stdout.write(f"{division}：{run.units} 个单位，{run.findings} 项违法认定")
        for code, n in run.by_finding.items():
            self.stdout.write(f"  {code} {n}")
