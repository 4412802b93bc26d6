"""A synthetic province: deterministic from a seed, any size, loaded by bulk paths.

    from jifang.platform.synth import Params, load
    summary = load(Params(units=100_000, seed=7, regime="guangdong-2017"), reset=True)

`jifang synth` is the command (docs/scaling.md). The parts:

    catalog.py   proportions of the kinds of unit, sizes; the demo's names and products
    profiles.py  profiles, breaches and unit templates, each checked by the law engine
    compiled.py  the templates as flat arrays
    province.py  divisions, police organs, products, practitioners (small tables)
    units.py     one county's units and everything under them, in columns
    text.py      credit codes, telephone numbers, names from templates, in columns
    generate.py  Params, Synth (the frames, chunk by chunk), Summary
    database.py  the bulk load: COPY on PostgreSQL, executemany on SQLite, one audit entry
    parquet.py   the batch engine's columnar input, with no database

Names are loaded on first use, so building the `jifang` parser imports neither numpy nor
Django.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_LAZY = {
    "Params": "generate",
    "Summary": "generate",
    "Synth": "generate",
    "generate": "generate",
    "load": "database",
    "Loader": "database",
    "write_parquet": "parquet",
}

__all__ = list(_LAZY)


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        module = import_module(f"{__name__}.{_LAZY[name]}")
        return getattr(module, "write" if name == "write_parquet" else name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
