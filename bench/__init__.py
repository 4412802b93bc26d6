"""Benchmarks (`make bench`, `make bench-small`): never timed assertions inside tests.

Each benchmark yields rows {"name", "value", "unit", "target", "baseline", "ratio", "met"};
the runner prints them as one table and writes build/bench/results.json.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from . import audit, engine, load, platform, sweep

# Each module's run(small) yields its rows; the table lists them in this order.
MODULES = (engine, sweep, load, platform, audit)

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "build" / "bench" / "results.json"


def _table(rows: list[dict]) -> str:
    head = ("name", "value", "unit", "target", "baseline", "ratio", "met")
    cells = [head] + [
        tuple(
            "" if r[k] is None else (f"{r[k]:.4g}" if isinstance(r[k], float) else str(r[k]))
            for k in head
        )
        for r in rows
    ]
    widths = [max(len(c[i]) for c in cells) for i in range(len(head))]
    return "\n".join("  ".join(c[i].ljust(widths[i]) for i in range(len(head))) for c in cells)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--small", action="store_true", help="the quick CI mode")
    args = parser.parse_args(argv)
    rows = [row for module in MODULES for row in module.run(small=args.small)]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(rows, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(_table(rows))
    print(f"\nwritten to {OUT.relative_to(ROOT)}")
    return 0
