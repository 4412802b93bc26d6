"""The single-unit engine: in-process assess and access-check, and the CLI as a process."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

import yaml

from jifang import law

ROOT = Path(__file__).resolve().parents[1]


def row(
    name: str,
    value: float,
    unit: str,
    target: float | None,
    baseline: float | None = None,
    lower_is_better: bool = True,
) -> dict:
    ratio = None
    if target is not None and value:
        ratio = target / value if lower_is_better else value / target
    met = None if target is None else (value <= target if lower_is_better else value >= target)
    return {
        "name": name,
        "value": round(value, 4),
        "unit": unit,
        "target": target,
        "baseline": baseline,
        "ratio": None if ratio is None else round(ratio, 2),
        "met": met,
    }


def typical_unit() -> dict:
    """A bank branch with three places, two systems and twelve devices, under Guangdong."""
    case = yaml.safe_load((ROOT / "examples" / "guangdong-bank-compliant.yaml").read_text("utf-8"))
    unit = case["unit"]
    unit["places"] += [
        {"id": "p2", "name": "金库", "categories": ["vault"]},
        {"id": "p3", "name": "员工更衣室", "categories": ["finance_room"]},
    ]
    unit["systems"][0]["devices"] = [
        {"id": f"c{i}", "location": loc, "video": True}
        for i, loc in enumerate(
            [
                "cashier",
                "lobby",
                "entrance",
                "corridor",
                "vault_room",
                "perimeter",
                "parking",
                "lobby",
                "entrance",
                "changing_room",
            ]
        )
    ]
    unit["systems"].append(
        {
            **unit["systems"][0],
            "id": "s2",
            "places": ["p2"],
            "devices": [
                {"id": "a1", "location": "vault_room", "video": False},
                {"id": "a2", "location": "vault_room"},
            ],
        }
    )
    case["acts"] = [{"code": "alter_records", "by": "individual"}]
    case["orders"] = [
        {
            "finding": "PRIVACY_AREA_CAPTURE",
            "subject": "c9",
            "served": "2024-01-01",
            "deadline": "2024-02-01",
        }
    ]
    return case


def _median_us(fn, repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        t0 = time.perf_counter_ns()
        fn()
        samples.append((time.perf_counter_ns() - t0) / 1000)
    return statistics.median(samples)


def run(small: bool = False) -> list[dict]:
    repeat = 300 if small else 3000
    case = typical_unit()
    law.assess(case)  # load the regime once, as a long-running service would
    parsed = law.parse_assess(case)
    access = yaml.safe_load(
        (ROOT / "examples" / "guangdong-state-security-copy.access.yaml").read_text("utf-8")
    )
    law.access_check(access)
    rows = [
        row(
            "assess one unit, in process (median)",
            _median_us(lambda: law.assess(case), repeat) / 1000,
            "ms",
            0.5,
        ),
        row(
            "assess one unit, validated input (median)",
            _median_us(lambda: law.assess(parsed), repeat) / 1000,
            "ms",
            0.5,
        ),
        row(
            "access-check one request (median)",
            _median_us(lambda: law.access_check(access), repeat) / 1000,
            "ms",
            0.5,
        ),
    ]
    example = str(ROOT / "examples" / "fujian-kindergarten-overdue.yaml")
    runs = 3 if small else 10
    # One run first, untimed: after the regime files change, it refills the regime cache.
    cli = [sys.executable, "-m", "jifang.cli", "assess", example]
    subprocess.run(cli, capture_output=True, check=True)
    rows.append(
        row(
            "jifang assess FILE, whole process (median)",
            _median_process_s(cli, runs),
            "s",
            0.3,
            baseline=round(_median_process_s([sys.executable, "-c", "pass"], runs), 4),
        )
    )
    return rows


def _median_process_s(command: list[str], runs: int) -> float:
    walls = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(command, capture_output=True, check=True)
        walls.append(time.perf_counter() - t0)
    return statistics.median(walls)
