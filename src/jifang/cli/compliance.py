"""`jifang assess-unit` and `jifang sweep`: live compliance over the registries."""

from __future__ import annotations

import argparse
import datetime as dt
import json

from .django_setup import setup_django


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"应为日期 YYYY-MM-DD / expected a date: {text}") from None


def _assess_unit(args: argparse.Namespace) -> int:
    setup_django()
    from jifang.law.errors import CaseError, Problem
    from jifang.platform.auditlog.context import acting_as
    from jifang.platform.compliance.services import assess_unit
    from jifang.platform.units.models import Unit

    unit = Unit.objects.filter(uscc=args.unit).first() or (
        Unit.objects.filter(pk=int(args.unit)).first() if args.unit.isdigit() else None
    )
    if unit is None:
        raise CaseError([Problem("UNIT", f"没有单位 {args.unit}", f"no unit {args.unit}")])
    with acting_as("cli:assess-unit"):
        assessment = assess_unit(unit, args.as_of, explain=args.explain)
    if args.format == "text":
        from .report import render_assessment

        print(render_assessment(assessment.result))
    else:
        print(json.dumps(assessment.result, ensure_ascii=False, sort_keys=True, indent=2))
    return 0


def _sweep(args: argparse.Namespace) -> int:
    setup_django()
    from jifang.law.errors import CaseError, Problem
    from jifang.platform.auditlog.context import acting_as
    from jifang.platform.compliance.services import sweep
    from jifang.platform.geo.models import Division

    division = Division.objects.filter(code=args.division).first()
    if division is None:
        raise CaseError(
            [Problem("DIVISION", f"没有行政区划 {args.division}", f"no division {args.division}")]
        )
    with acting_as("cli:sweep"):
        run = sweep(division, args.as_of)
    print(
        f"{division}：{run.as_of} 评估单位 {run.units} 个，违法认定 {run.findings} 项"
        f"（无法评估 {len(run.errors)} 个）"
    )
    print("按违法认定 / by finding:")
    for code, n in run.by_finding.items():
        print(f"  {code:<28} {n}")
    print("按区划 / by division:")
    for code, counts in run.by_division.items():
        print(f"  {code}  {sum(counts.values())}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("assess-unit", help="评估登记在册的单位 / assess a registered unit")
    p.add_argument("unit", help="统一社会信用代码或编号 / USCC or id")
    p.add_argument("--as-of", type=_date, default=None)
    p.add_argument("--explain", action="store_true")
    p.add_argument("--format", choices=["json", "text"], default="json")
    p.set_defaults(func=_assess_unit)
    p = sub.add_parser("sweep", help="批量评估辖区内全部单位 / assess every unit of a division")
    p.add_argument("division", help="行政区划代码 / division code")
    p.add_argument("--as-of", type=_date, default=None)
    p.set_defaults(func=_sweep)
