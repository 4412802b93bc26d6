"""The `jifang` command. Engine commands import only the law engine, never the platform."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

EXIT_INVALID = 2
# Commands that need only their own subparsers: building the others imports the modules that
# define them (the platform's among them), which `jifang assess FILE` should not wait for.
ENGINE_COMMANDS = ("assess", "access-check")


def _dump(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2)


def _read_case(path: str) -> Any:
    import yaml

    from jifang.law.errors import CaseError, Problem

    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise CaseError(
            [
                Problem(
                    "FILE", f"无法读取文件：{exc.strerror}", f"cannot read the file: {exc.strerror}"
                )
            ]
        ) from None
    try:
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        raise CaseError(
            [Problem("FILE", f"不是有效的 JSON 或 YAML：{exc}", f"not valid JSON or YAML: {exc}")]
        ) from None
    if not isinstance(data, dict):
        raise CaseError(
            [Problem("(root)", "案卷应为对象（映射）", "the case file must be a mapping")]
        )
    return data


def _engine_command(args: argparse.Namespace) -> int:
    from jifang import law

    run = law.assess if args.command == "assess" else law.access_check
    result = run(_read_case(args.file), explain=args.explain)
    if args.format == "text":
        from .report import render_access, render_assessment

        render = render_assessment if args.command == "assess" else render_access
        print(render(result))
    else:
        print(_dump(result))
    return 0


def _regimes(args: argparse.Namespace) -> int:
    from jifang import law

    rows = [
        {
            **r.header(),
            "kind": r.kind,
            "jurisdiction": r.jurisdiction.name,
            "division_prefixes": r.jurisdiction.division_prefixes,
            "articles": len(r.articles),
            "text_incomplete_articles": [a.number for a in r.articles if a.text_incomplete],
        }
        for r in law.all_regimes()
    ]
    if args.format == "json":
        print(_dump(rows))
        return 0
    for r in rows:
        gaps = (
            f"  条文缺失：{r['text_incomplete_articles']}" if r["text_incomplete_articles"] else ""
        )
        print(
            f"{r['id']:<18} {r['in_force_from']}  {r['jurisdiction']}"
            f"（{','.join(r['division_prefixes'])}）  {r['title']}  {r['articles']}条{gaps}"
        )
    return 0


def _article(args: argparse.Namespace) -> int:
    from jifang import law
    from jifang.law.errors import CaseError, Problem
    from jifang.law.text import zh_number

    regime = law.load(args.regime)
    try:
        art = regime.article(args.number)
    except KeyError:
        raise CaseError(
            [
                Problem(
                    "N",
                    f"{regime.title}没有第{args.number}条（共{len(regime.articles)}条）",
                    f"{regime.id} has no article {args.number} (it has {len(regime.articles)})",
                )
            ]
        ) from None
    if args.format == "json":
        print(_dump({"regime": regime.header(), **art.model_dump()}))
        return 0
    head = f"{regime.title} 第{zh_number(art.number)}条"
    if art.heading:
        head += f"【{art.heading}】"
    lines = [head + (f"（{art.chapter}）" if art.chapter else "")]
    for i, para in enumerate(art.paragraphs, 1):
        lines.append(
            f"  〔第{zh_number(i)}款〕{para.text}" if len(art.paragraphs) > 1 else f"  {para.text}"
        )
        lines += [f"      {item}" for item in para.items]
    if art.text_incomplete:
        lines.append(f"  ※ 条文缺失：{art.gap_note}")
    print("\n".join(lines))
    return 0


def _compare(args: argparse.Namespace) -> int:
    from jifang.law.compare import compare

    table = compare(args.topic)
    if args.format == "json":
        print(_dump(table))
    else:
        from .report import render_table

        print(render_table(table))
    return 0


def _schema(args: argparse.Namespace) -> int:
    from jifang.law.schemas import SCHEMA_NAMES, load_schema

    if args.name is None:
        print(_dump({name: load_schema(name) for name in SCHEMA_NAMES}))
    else:
        print(_dump(load_schema(args.name)))
    return 0


def _demo_engine(args: argparse.Namespace) -> int:
    """Show the engine on the worked examples shipped in examples/."""
    from jifang import law

    from .report import render_access, render_assessment

    root = Path(args.examples)
    for path in sorted(root.glob("*.yaml")):
        data = _read_case(str(path))
        print(f"\n===== {path.name} =====")
        if "request" in data:
            print(render_access(law.access_check(data)))
        else:
            print(render_assessment(law.assess(data)))
    return 0


def build_parser(engine_only: bool = False) -> argparse.ArgumentParser:
    """The whole command; with `engine_only`, just assess and access-check."""
    from jifang import __version__

    parser = argparse.ArgumentParser(
        prog="jifang",
        description="技防：公共安全技术防范法规引擎 / technical prevention law engine",
    )
    parser.add_argument("--version", action="version", version=f"jifang {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    for name, help_ in (
        ("assess", "评估单位的义务、违法行为与罚则 / assess a case file"),
        ("access-check", "判断采获信息调阅申请 / decide a footage-access request"),
    ):
        p = sub.add_parser(name, help=help_)
        p.add_argument(
            "file", help="案卷文件（JSON 或 YAML，- 为标准输入）/ case file, - for stdin"
        )
        p.add_argument("--explain", action="store_true", help="附推理过程 / include the trace")
        p.add_argument("--format", choices=["json", "text"], default="json")
        p.set_defaults(func=_engine_command)
    if engine_only:
        return parser

    p = sub.add_parser("regimes", help="已编码的法规 / the encoded regimes")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.set_defaults(func=_regimes)

    p = sub.add_parser("article", help="条文原文 / an article's text")
    p.add_argument("regime")
    p.add_argument("number", type=int)
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.set_defaults(func=_article)

    from jifang.law.compare import TOPICS

    p = sub.add_parser("compare", help="跨法规对照表 / one table across the regimes")
    p.add_argument("topic", choices=sorted(TOPICS))
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.set_defaults(func=_compare)

    from jifang.law.schemas import SCHEMA_NAMES

    p = sub.add_parser("schema", help="输入输出的 JSON Schema / JSON Schemas of inputs and outputs")
    p.add_argument("name", nargs="?", choices=SCHEMA_NAMES)
    p.set_defaults(func=_schema)

    # Platform commands: each module adds its own; they start Django only when run.
    from . import audit, compliance, demo, manage, registry_io, serve, synth

    for module in (manage, serve, demo, compliance, audit, registry_io, synth):
        module.register(sub)

    p = sub.add_parser("demo-engine", help="在示例案卷上演示引擎 / run the worked examples")
    p.add_argument("--examples", default="examples")
    p.set_defaults(func=_demo_engine)
    return parser


def main(argv: list[str] | None = None) -> int:
    from jifang.law.errors import LawError

    if argv is None:
        argv = sys.argv[1:]
    # The command is the first word: the only options before it (-h, --version) print and exit.
    engine_only = bool(argv) and argv[0] in ENGINE_COMMANDS
    args = build_parser(engine_only).parse_args(argv)
    try:
        return args.func(args)
    except LawError as exc:
        print(f"错误 / error ({exc.kind}):", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return EXIT_INVALID
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
