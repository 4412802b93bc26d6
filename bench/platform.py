"""The platform at province scale on PostgreSQL: the sweep from the registries to stored
results, the registry lists, the per-unit assessment read and the dashboard.

A worker process runs against a scratch database made on the server at JIFANG_BENCH_PG_URL
(default postgres://postgres@127.0.0.1:5432/postgres) and dropped afterwards: migrate, load a
synthetic province (`jifang synth`, 1,000,000 units; 2,000 in the small mode), ANALYZE, then

- the sweep (`compliance.services.sweep` of the province), wall time; its baseline is the
  single-unit path (build_case and the engine, unit by unit) timed on a sample and scaled;
- a fixed set of registry list, search, filter and sorted pages and API lists (PAGES) as a
  provincial officer sees them, through Django's test client: the 95th percentile of the time
  spent in the database per request (the target), and of the whole response; the slowest five
  pages go to standard error;
- the latest assessment of a unit (`selectors.latest_assessment`), 95th percentile;
- the dashboard page and its charts.json, 95th percentile of the whole response.

JIFANG_BENCH_PLATFORM_URL names a database already loaded (e.g. by `jifang synth`) to reuse
instead: it is migrated, swept and queried, and kept. With it, JIFANG_BENCH_PLATFORM_SWEEP=0
skips the sweep (and its baseline) and queries the results of the sweeps already stored, so
that the lists can be measured again without adding a million assessments each time. Without
a server the rows are left out and a line on standard error says why.

    python -m bench.platform            # 1,000,000 units
    python -m bench.platform --small    # 2,000 units, in well under a minute
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .engine import row
from .pg import ADMIN_URL, admin, unavailable

ROOT = Path(__file__).resolve().parents[1]
REUSE_URL = os.environ.get("JIFANG_BENCH_PLATFORM_URL", "")
SWEEP = not REUSE_URL or os.environ.get("JIFANG_BENCH_PLATFORM_SWEEP", "1") != "0"
SEED = 2024
SWEEP_S_PER_MILLION, QUERY_MS, DASHBOARD_MS = 60.0, 50.0, 200.0

# What an officer of the province opens: lists, searches, filters, pages further on.
PAGES = (
    "/registry/units/",
    "/registry/units/?page={far}",
    "/registry/units/?division={city}",
    "/registry/units/?q={name}",
    "/registry/units/?q={uscc}",
    "/registry/units/?category=hotel",
    "/registry/units/?kind=individual",
    "/registry/places/",
    "/registry/places/?division={city}",
    "/registry/systems/",
    "/registry/devices/",
    "/registry/findings/",
    "/registry/findings/?code=RETENTION_SHORT",
    "/registry/assessments/",
    "/api/units/",
    "/api/units/?page={far}",
    "/api/places/",
    "/api/systems/",
    "/api/devices/",
    "/api/findings/",
    # sorted by a column, either way (an index on (column, id), or the named row's by a join)
    "/registry/units/?sort=name",
    "/registry/units/?sort=-kind",
    "/registry/systems/?sort=unit",
    "/registry/places/?sort=-anti_terror_target",
    # the open findings, newest first, as the dashboard links to them
    "/registry/findings/?latest=true",
    "/registry/findings/?latest=true&code=RETENTION_SHORT&division={city}",
    "/api/findings/?latest=true",
    # the middle of the units, reached by the next-page link (its cursor)
    "/registry/units/?page={deep}&after={deep_after}",
    "/api/units/?page={deep}&after={deep_after}",
    # a swept assessment's whole answer is left to its own URL
    "/api/assessments/",
)


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


# --- the worker (in the scratch database) ----------------------------------------------------


def _officer():
    from django.contrib.auth.models import User
    from django.db import transaction

    from jifang.platform.accounts.models import Account
    from jifang.platform.geo.models import PoliceOrgan

    with transaction.atomic():
        user, made = User.objects.get_or_create(username="bench-officer")
        if made:
            organ = PoliceOrgan.objects.filter(division__level="province").order_by("pk").first()
            Account.objects.create(user=user, role="officer", organ=organ)
    return user


def _baseline(units: int, as_of) -> float:
    """The single-unit path (case file, engine) for a sample, scaled to the province."""
    from jifang import law
    from jifang.platform.compliance.facts import build_case, units_for_cases
    from jifang.platform.units.models import Unit

    sample = list(units_for_cases(Unit.objects.order_by("pk"))[:200])
    began = time.perf_counter()
    for unit in sample:
        law.assess(build_case(unit, as_of))
    return (time.perf_counter() - began) / max(len(sample), 1) * units


def _timed(client, url: str, repeat: int) -> tuple[list[float], list[float]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm: the session, the plans, the caches
    sql, whole = [], []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as seen:
            began = time.perf_counter()
            response = client.get(url)
            whole.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        sql.append(sum(float(q["time"]) for q in seen.captured_queries) * 1000)
    return sql, whole


def _worker(units: int, reuse: bool) -> None:
    from jifang.cli.django_setup import setup_django

    setup_django()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from jifang.platform.auditlog.context import acting_as
    from jifang.platform.compliance import selectors
    from jifang.platform.compliance.services import sweep
    from jifang.platform.geo.models import Division
    from jifang.platform.synth.database import Loader
    from jifang.platform.synth.generate import Params
    from jifang.platform.units.models import Unit

    # the test client needs no collected static files and may use any host name
    settings.ALLOWED_HOSTS = ["*"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    call_command("migrate", interactive=False, verbosity=0)
    out: dict = {}
    params = Params(units=units, seed=SEED)
    if not reuse:
        with acting_as("bench:platform"):
            out["load_s"] = Loader().load(params, reset=True).seconds
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    province = Division.objects.filter(level="province").order_by("pk").first()
    out["units"] = Unit.objects.count()
    if SWEEP:
        with acting_as("bench:platform"):
            began = time.perf_counter()
            run = sweep(province, params.as_of)
            out["sweep_s"] = time.perf_counter() - began
        out["assessed"], out["findings"] = run.units, run.findings
        out["baseline_s"] = _baseline(out["units"], params.as_of)

    client = Client()
    client.force_login(_officer())
    unit = Unit.objects.filter(name__contains="酒店").order_by("pk").first() or Unit.objects.first()
    city = Division.objects.filter(level="city").order_by("code").first()
    deep = max(2, out["units"] // 100)  # a page in the middle of the units
    fill = {
        "city": city.code[:4],
        "name": unit.name[:4],
        "uscc": unit.uscc or unit.name,
        "far": max(2, min(200, out["units"] // 150)),  # a page well inside the list
        "deep": deep,
        "deep_after": Unit.objects.order_by("pk").values_list("pk", flat=True)[(deep - 1) * 50 - 1],
    }
    repeat = 5
    sql, whole, slowest, responses = [], [], {}, {}
    for page in PAGES:
        url = page.format(**fill)
        s, w = _timed(client, url, repeat)
        sql += s
        whole += w
        slowest[url], responses[url] = round(max(s), 1), round(max(w), 1)
    out["lists_sql_p95_ms"], out["lists_p95_ms"] = _p95(sql), _p95(whole)
    # each page's slowest of the repeats, slowest first (database time; whole response)
    out["lists_sql_ms"] = dict(sorted(slowest.items(), key=lambda kv: -kv[1]))
    out["lists_ms"] = dict(sorted(responses.items(), key=lambda kv: -kv[1]))

    reads = []
    for pk in Unit.objects.order_by("?").values_list("pk", flat=True)[:40]:
        began = time.perf_counter()
        assessment = selectors.latest_assessment(Unit(pk=pk))
        reads.append((time.perf_counter() - began) * 1000)
        assert assessment is not None
    out["assessment_read_p95_ms"] = _p95(reads)
    _, page = _timed(client, "/dashboard/", repeat)
    _, charts = _timed(client, "/dashboard/charts.json", repeat)
    out["dashboard_p95_ms"] = _p95(page + charts)
    print(json.dumps(out))


# --- the runner ----------------------------------------------------------------------------


def measure(units: int) -> dict:
    """The worker in a fresh process, on a scratch database (or the one to reuse)."""
    name = f"jifang_bench_platform_{os.getpid()}"
    url = REUSE_URL
    if not url:
        admin(f"DROP DATABASE IF EXISTS {name}")
        admin(f"CREATE DATABASE {name}")
        url = f"{ADMIN_URL.rsplit('/', 1)[0]}/{name}"
    try:
        with tempfile.TemporaryDirectory(prefix="jifang-bench-") as data:
            env = {**os.environ, "DATABASE_URL": url, "JIFANG_DATA_DIR": data}
            argv = [sys.executable, "-m", "bench.platform", "--worker", str(units)]
            if REUSE_URL:
                argv.append("--reuse")
            done = subprocess.run(
                argv, cwd=ROOT, env=env, capture_output=True, text=True, check=False
            )
        if done.returncode:
            raise RuntimeError(f"bench.platform worker failed:\n{done.stderr[-3000:]}")
        return json.loads(done.stdout.strip().splitlines()[-1])
    finally:
        if not REUSE_URL:
            admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def run(small: bool = False) -> list[dict]:
    reason = unavailable()
    if reason:
        print(f"bench.platform: no PostgreSQL at {ADMIN_URL}: {reason}", file=sys.stderr)
        return []
    m = measure(2_000 if small else 1_000_000)
    n = m["units"]
    label = f"{n:,} units"
    rows = []
    if "sweep_s" in m:
        rows.append(
            row(
                f"platform sweep, PostgreSQL to stored results ({label})",
                m["sweep_s"],
                "s",
                # fixed costs (reading the practitioners, the audit entry) make a small sweep's
                # time no measure of a province's: the target applies from 100,000 units
                SWEEP_S_PER_MILLION * n / 1_000_000 if n >= 100_000 else None,
                round(m["baseline_s"], 1),
            )
        )
    rows += [
        row(f"registry lists, database time p95 ({label})", m["lists_sql_p95_ms"], "ms", QUERY_MS),
        row(f"registry lists, whole response p95 ({label})", m["lists_p95_ms"], "ms", None),
        row(f"latest assessment of a unit p95 ({label})", m["assessment_read_p95_ms"], "ms", 50.0),
        row(f"dashboard p95, from the sweep ({label})", m["dashboard_p95_ms"], "ms", DASHBOARD_MS),
    ]
    print(
        f"bench.platform: slowest lists (database ms): {dict(list(m['lists_sql_ms'].items())[:5])}",
        file=sys.stderr,
    )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.platform")
    parser.add_argument("--small", action="store_true")
    parser.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--reuse", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        _worker(args.worker, args.reuse)
        return 0
    from . import _table

    print(_table(run(small=args.small)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
