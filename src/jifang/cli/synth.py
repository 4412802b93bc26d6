"""`jifang synth`: a synthetic province, written straight into the database by bulk paths, or
into Parquet for the batch engine alone (see docs/scaling.md).

    jifang synth --units 100000 --seed 7 --reset
    jifang synth --units 1000000 --regime fujian-2015 --violation-rate 0.2 --reset
    jifang synth --units 50000 --parquet build/province --no-database

Bad parameters exit with code 2, naming the field (Chinese first). Django starts only when the
database is written.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys

from .django_setup import setup_django


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"应为日期 YYYY-MM-DD / expected a date: {text}") from None


def _synth(args: argparse.Namespace) -> int:
    from jifang.law.errors import CaseError, Problem
    from jifang.platform.synth.generate import Params

    params = Params(
        units=args.units,
        seed=args.seed,
        regime=args.regime,
        violation_rate=args.violation_rate,
        as_of=args.as_of,
        chunk=args.chunk,
    )
    params.check()
    if args.no_database and not args.parquet:
        raise CaseError(
            [
                Problem(
                    "parquet",
                    "不写数据库时须给出 --parquet 目录",
                    "--no-database needs a --parquet directory",
                )
            ]
        )
    if args.no_database:
        from jifang.platform.synth.parquet import write

        summary = write(params, args.parquet)
    else:
        setup_django()
        from django.db import DatabaseError

        from jifang.platform.auditlog.context import acting_as
        from jifang.platform.synth.database import load

        try:
            with acting_as("cli:synth"):
                summary = load(params, reset=args.reset, parquet=args.parquet)
        except DatabaseError as exc:
            print(
                f"数据库错误，未写入任何记录（是否已运行 jifang migrate？）：{exc} / database "
                f"error, nothing written (has `jifang migrate` been run?): {exc}",
                file=sys.stderr,
            )
            return 1
    if args.json:
        print(json.dumps(summary.as_dict(), ensure_ascii=False, sort_keys=True, indent=2))
    else:
        print(summary.render())
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add `jifang synth` to the parser (imports neither Django nor numpy)."""
    from jifang.platform.demo.data import BASE_DATE

    p = sub.add_parser(
        "synth",
        help="生成合成辖区（批量写入数据库或 Parquet）/ generate a synthetic province",
        description="按种子生成可重现的合成辖区：行政区划、公安机关、各类单位、场所、系统、设备、"
        "从业单位及其资格证、整改指令，并按比例安排各类违法情形；以批量方式写入数据库"
        "（PostgreSQL 用 COPY）或写成批量引擎的 Parquet。 / A reproducible synthetic province, "
        "bulk-loaded into the database (COPY on PostgreSQL) or written as the batch engine's "
        "Parquet.",
    )
    p.add_argument("--units", type=int, required=True, help="单位数 / number of units")
    p.add_argument("--seed", type=int, default=2024, help="随机种子（默认 2024）/ random seed")
    p.add_argument(
        "--regime",
        default="guangdong-2017",
        help="辖区适用的法规（默认 guangdong-2017）/ the province's regime",
    )
    p.add_argument(
        "--violation-rate",
        type=float,
        default=0.3,
        help="违法单位比例，分布于该法规可能作出的各类违法认定（默认 0.3）/ share of units "
        "that break the law, spread over every finding the regime can make",
    )
    p.add_argument(
        "--as-of",
        type=_date,
        default=BASE_DATE,
        help=f"事实所处的日期（默认 {BASE_DATE}）/ the date the facts hold on",
    )
    p.add_argument(
        "--reset", action="store_true", help="先清空全部登记数据 / empty the registries first"
    )
    p.add_argument(
        "--parquet", metavar="DIR", help="同时写出批量引擎的 Parquet / also write Parquet"
    )
    p.add_argument(
        "--no-database", action="store_true", help="只写 Parquet，不写数据库 / Parquet only"
    )
    p.add_argument(
        "--chunk",
        type=int,
        default=100_000,
        help="每块至少的单位数（默认 100000）/ units per chunk",
    )
    p.add_argument(
        "--json", action="store_true", help="以 JSON 输出摘要 / print the summary as JSON"
    )
    p.set_defaults(func=_synth)
