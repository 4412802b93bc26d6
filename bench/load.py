"""Loading a synthetic province (`jifang synth`) into PostgreSQL by COPY.

Each measurement runs in its own process against a scratch database made for it on the server
at JIFANG_BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/postgres) and dropped
afterwards: migrate, then one load with reset, timed from the start of the load to its commit
(planning, generation, COPY, rebuilding indexes, the audit entry). Without a server the rows
are left out and a line on standard error says why.

    python -m bench.load                  # 100,000 units, and 10,000 with indexes kept
    python -m bench.load --units 1000000  # one size
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from .engine import row
from .pg import ADMIN_URL, admin, unavailable

ROOT = Path(__file__).resolve().parents[1]
SEED = 2024


def measure(units: int, indexes: str = "auto") -> dict:
    """One load in a fresh process and a fresh database; the load's summary."""
    name = f"jifang_bench_load_{os.getpid()}"
    admin(f"DROP DATABASE IF EXISTS {name}")
    admin(f"CREATE DATABASE {name}")
    try:
        base = ADMIN_URL.rsplit("/", 1)[0]
        with tempfile.TemporaryDirectory(prefix="jifang-bench-") as data:
            env = {**os.environ, "DATABASE_URL": f"{base}/{name}", "JIFANG_DATA_DIR": data}
            out = subprocess.run(
                [sys.executable, "-m", "bench.load", "--worker", str(units), "--indexes", indexes],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                check=True,
            )
        return json.loads(out.stdout)
    finally:
        admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _worker(units: int, indexes: str) -> None:
    from jifang.cli.django_setup import setup_django

    setup_django()
    from django.core.management import call_command

    from jifang.platform.auditlog.context import acting_as
    from jifang.platform.synth.database import Loader
    from jifang.platform.synth.generate import Params

    call_command("migrate", interactive=False, verbosity=0)
    with acting_as("bench:load"):
        summary = Loader(indexes=indexes).load(Params(units=units, seed=SEED), reset=True)
    print(json.dumps(summary.as_dict()))


def _rows(units: int, summary: dict, label: str, target_s: float | None) -> list[dict]:
    rows = sum(summary["rows"].values())
    seconds = summary["seconds"]
    return [
        row(f"load {units:,} units into PostgreSQL{label}", seconds, "s", target_s),
        row(
            f"load {units:,} units into PostgreSQL{label}, rows/s ({rows:,} rows)",
            rows / seconds,
            "rows/s",
            100_000 if target_s else None,
            lower_is_better=False,
        ),
    ]


def _target(units: int) -> float | None:
    """Seconds for `units`, from 100,000 units up: below that the fixed costs (dropping and
    rebuilding the indexes, ANALYZE, the commit) make a load's time no measure of a
    province's, as for the platform's sweep."""
    return 30.0 * units / 100_000 if units >= 100_000 else None


def run(small: bool = False, units: int | None = None) -> list[dict]:
    """Rows for the bench table. Targets: 1,000,000 units in minutes on two cores means
    at least 100,000 rows a second, a load of 100,000 units within 30 s."""
    reason = unavailable()
    if reason:
        print(f"bench.load: no PostgreSQL at {ADMIN_URL}: {reason}", file=sys.stderr)
        return []
    if units is not None:
        return _rows(units, measure(units), "", _target(units))
    size = 10_000 if small else 100_000
    rows = _rows(size, measure(size), "", _target(size))
    kept = measure(size // 10, "keep")
    rebuilt = measure(size // 10, "rebuild")
    rows += _rows(size // 10, kept, ", indexes kept", None)
    rows += _rows(size // 10, rebuilt, ", indexes rebuilt", None)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load")
    parser.add_argument("--units", type=int)
    parser.add_argument("--small", action="store_true")
    parser.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--indexes", default="auto", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        _worker(args.worker, args.indexes)
        return 0
    from . import _table

    print(_table(run(small=args.small, units=args.units)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
