"""`jifang import` and `jifang export`: the registries from and to CSV or XLSX.

    jifang import --list [REGISTRY]                 the registries and their columns
    jifang import REGISTRY FILE [--dry-run] [--format csv|xlsx] [--json]
    jifang export REGISTRY FILE [--format csv|xlsx]
    jifang export all DIR [--format csv|xlsx]       every registry, one file each

Exit 0 on success, 2 on bad input (every problem printed, Chinese first, English beside, and
nothing written), 1 when the database cannot be used. Django starts only when a command runs.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from .django_setup import setup_django

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_INVALID = 2


def _err(*lines: str) -> None:
    for line in lines:
        print(line, file=sys.stderr)


def _names() -> str:
    from jifang.platform.core.importexport import all_registries

    return ", ".join(r.name for r in all_registries())


def _registry(name: str | None):
    from jifang.platform.core.importexport import get_registry

    reg = get_registry(name) if name else None
    if reg is None:
        _err(
            f"错误 / error: 未知的登记簿 {name!r}，可选：{_names()} / "
            f"unknown registry {name!r}; one of: {_names()}"
        )
    return reg


def _listing(name: str | None) -> int:
    from jifang.platform.core.importexport import all_registries, column_rows

    if name:
        reg = _registry(name)
        if reg is None:
            return EXIT_INVALID
        regs = [reg]
    else:
        regs = all_registries()
    for reg in regs:
        keys = " + ".join(reg.column[c].header for c in reg.key_columns())
        if reg.name == "units":
            keys = "统一社会信用代码（个人无代码时：名称 + 所在区划代码）"
        print(f"{reg.name}  {reg.label}（{reg.label_en}）  键 / key：{keys}")
        for header, field, fmt, note in column_rows(reg):
            print(f"    {header}（{field}）：{fmt}" + (f"；{note}" if note else ""))
        if name:
            tables = {}
            for c in reg.columns:
                if c.cell.code_table:
                    tables[c.cell.code_table] = c.cell.codes.table
            for title, table in tables.items():
                print(f"  代码表 / codes：{title}")
                for code, label in table.items():
                    print(f"    {code}  {label}")
        print()
    return EXIT_OK


def _guard(run):
    """Run a command; database and other failures become a message, never a traceback."""
    from django.db import DatabaseError

    try:
        return run()
    except DatabaseError as exc:
        _err(
            f"数据库错误（是否已运行 jifang migrate？）：{exc} / "
            f"database error (has `jifang migrate` been run?): {exc}"
        )
        return EXIT_ERROR
    except OSError as exc:
        _err(
            f"文件错误：{exc.strerror}：{exc.filename} / file error: {exc.strerror}: {exc.filename}"
        )
        return EXIT_ERROR
    except Exception as exc:
        if os.environ.get("JIFANG_DEBUG") == "1":
            raise
        _err(
            f"内部错误：{type(exc).__name__}: {exc}（设 JIFANG_DEBUG=1 可查看详情）/ "
            f"internal error: {type(exc).__name__}: {exc} (set JIFANG_DEBUG=1 for details)"
        )
        return EXIT_ERROR


def _import(args: argparse.Namespace) -> int:
    setup_django()
    if args.list:
        return _listing(args.registry)
    if not args.registry or not args.file:
        _err(
            "用法 / usage: jifang import REGISTRY FILE [--dry-run] [--format csv|xlsx]；"
            "jifang import --list"
        )
        return EXIT_INVALID
    reg = _registry(args.registry)
    if reg is None:
        return EXIT_INVALID

    def run() -> int:
        from jifang.platform.auditlog.context import acting_as
        from jifang.platform.core.importexport import ImportFileError, import_file

        try:
            with acting_as("cli:import"):
                report = import_file(reg, args.file, fmt=args.format, dry_run=args.dry_run)
        except ImportFileError as exc:
            if args.json:
                print(
                    json.dumps(
                        {
                            "registry": reg.name,
                            "ok": False,
                            "problems": [p.as_dict() for p in exc.problems],
                        },
                        ensure_ascii=False,
                        indent=2,
                    )
                )
            _err(f"错误 / error: {args.file}", *(f"  {p}" for p in exc.problems))
            return EXIT_INVALID
        if args.json:
            print(json.dumps(report.as_dict(), ensure_ascii=False, indent=2, sort_keys=True))
        counts_zh = (
            f"共 {report.rows} 行：新建 {report.created}，更新 {report.updated}，"
            f"未变 {report.unchanged}"
        )
        counts_en = (
            f"{report.rows} rows: {report.created} created, {report.updated} updated, "
            f"{report.unchanged} unchanged"
        )
        if not report.ok:
            bad_lines = len({p.line for p in report.problems})
            _err(
                f"{reg.name}（{reg.label}）：{len(report.problems)} 个问题，涉及 {bad_lines} 行；"
                "未写入任何记录 / "
                f"{len(report.problems)} problems on {bad_lines} lines; nothing written",
                *(f"  {p}" for p in report.problems),
            )
            return EXIT_INVALID
        if not args.json:
            if report.dry_run:
                print(
                    f"{reg.name}（{reg.label}）：全部通过校验（试运行，未写入）；{counts_zh} / "
                    f"every row is valid (dry run, nothing written); {counts_en}"
                )
            elif report.created or report.updated:
                print(f"{reg.name}（{reg.label}）：已写入；{counts_zh} / written; {counts_en}")
            else:
                print(
                    f"{reg.name}（{reg.label}）：无需更改；{counts_zh} / nothing to change; "
                    f"{counts_en}"
                )
        return EXIT_OK

    return _guard(run)


def _export(args: argparse.Namespace) -> int:
    setup_django()
    from jifang.platform.core.importexport import ImportFileError, all_registries, export_file

    if args.registry == "all":
        regs = all_registries()
        folder = Path(args.file)
        fmt = args.format or "csv"
        targets = [(reg, folder / f"{reg.name}.{fmt}") for reg in regs]
    else:
        reg = _registry(args.registry)
        if reg is None:
            return EXIT_INVALID
        fmt = args.format
        targets = [(reg, Path(args.file))]

    def run() -> int:
        if args.registry == "all":
            folder.mkdir(parents=True, exist_ok=True)
        for reg, path in targets:
            try:
                count = export_file(reg, path, fmt=fmt)
            except ImportFileError as exc:
                _err(f"错误 / error: {path}", *(f"  {p}" for p in exc.problems))
                return EXIT_INVALID
            print(f"{reg.name}（{reg.label}）：{count} 行 → {path} / {count} rows → {path}")
        return EXIT_OK

    return _guard(run)


def register(sub: argparse._SubParsersAction) -> None:
    """Add `import` and `export` to the `jifang` parser."""
    p = sub.add_parser(
        "import",
        help="从 CSV/XLSX 批量导入登记簿 / bulk import a registry from CSV or XLSX",
        description="校验每一行；有任何问题则不写入任何记录。/ Every row is validated; if any "
        "is bad nothing is written. Records are matched by natural key: existing "
        "ones are updated, new ones created.",
    )
    p.add_argument("registry", nargs="?", help=f"登记簿 / registry ({'、'.join(_REGISTRY_NAMES)})")
    p.add_argument("file", nargs="?", help="CSV 或 XLSX 文件 / a CSV or XLSX file")
    p.add_argument(
        "--dry-run",
        action="store_true",
        help="只校验并报告，不写入 / validate and report, write nothing",
    )
    p.add_argument(
        "--format",
        choices=["csv", "xlsx"],
        help="文件格式（默认按扩展名）/ file format (default: from the extension)",
    )
    p.add_argument(
        "--list",
        action="store_true",
        help="列出登记簿及其列 / list the registries and their columns",
    )
    p.add_argument("--json", action="store_true", help="以 JSON 输出报告 / report as JSON")
    p.set_defaults(func=_import)

    p = sub.add_parser("export", help="导出登记簿为 CSV/XLSX / export a registry to CSV or XLSX")
    p.add_argument("registry", help="登记簿，或 all（导出全部到目录）/ registry, or all (to DIR)")
    p.add_argument("file", help="输出文件（all 时为目录）/ output file (a directory for all)")
    p.add_argument(
        "--format",
        choices=["csv", "xlsx"],
        help="文件格式（默认按扩展名；all 默认 csv）/ format (default: extension; csv for all)",
    )
    p.set_defaults(func=_export)


# Named here (not read from the declarations) so building the parser never imports Django.
_REGISTRY_NAMES = (
    "divisions",
    "police-organs",
    "units",
    "responsible-persons",
    "places",
    "practitioners",
    "certificates",
    "personnel",
    "products",
    "systems",
    "devices",
    "orders",
    "acts",
)
