"""The demo jurisdiction: five cities, one under each encoded regime, generated from a seed.

    from jifang.platform.demo import generate
    summary = generate(seed=2024, units_per_city=40, reset=True)

`plan()` gives the same content as plain data without touching the database. See docs/demo.md.
The names below are loaded on first use, so building the `jifang` parser does not import Django.

    data.py     the cities, kinds of unit, names and products the demo draws from
    planner.py  the plan: units, places, systems, devices, practitioners, breaches (pure Python)
    writer.py   generate() and delete_all(): the plan into the registries, in one transaction
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from .data import BASE_DATE, DEFAULT_SEED, DEFAULT_UNITS_PER_CITY

_LAZY = {
    "Plan": "planner",
    "plan": "planner",
    "DemoDataExists": "writer",
    "Summary": "writer",
    "delete_all": "writer",
    "generate": "writer",
}

__all__ = ["BASE_DATE", "DEFAULT_SEED", "DEFAULT_UNITS_PER_CITY", *_LAZY]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(f"{__name__}.{_LAZY[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
