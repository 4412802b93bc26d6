"""Finding and loading regimes: by id, or by division code (GB/T 2260) and date.

Nothing falls back silently: a division outside every encoded jurisdiction, or a date before
the regime came into force, is an error that says so.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from importlib import resources
from pathlib import Path

import yaml

from . import regime_cache
from .errors import NoRegimeError, Problem
from .regime import Regime

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _regime_dir() -> Path:
    return Path(str(resources.files("jifang.law") / "regimes"))


@cache
def regime_ids() -> tuple[str, ...]:
    return tuple(sorted(p.stem for p in _regime_dir().glob("*.yaml")))


@cache
def load(regime_id: str) -> Regime:
    # Only the ids of the files shipped: a case file's `regime` never becomes a path of its
    # own (``../`` would reach any YAML file on the machine).
    path = _regime_dir() / f"{regime_id}.yaml"
    if regime_id not in regime_ids() or not path.is_file():
        raise NoRegimeError(
            [
                Problem(
                    "regime",
                    f"没有已编码的法规 {regime_id!r}（可用：{', '.join(regime_ids())}）",
                    f"no encoded regime {regime_id!r} (known: {', '.join(regime_ids())})",
                )
            ]
        )
    return regime_cache.load(path, _validate)


def _validate(data: bytes) -> Regime:
    return Regime.model_validate(yaml.load(data.decode("utf-8"), Loader=_Loader))


def all_regimes() -> list[Regime]:
    return [load(i) for i in regime_ids()]


def _covers(regime: Regime, division: str) -> int:
    """Length of the longest jurisdiction prefix of regime that division falls under (0: none)."""
    return max(
        (len(p) for p in regime.jurisdiction.division_prefixes if division.startswith(p)), default=0
    )


def resolve(regime_id: str | None, division: str | None, as_of: dt.date) -> Regime:
    """The regime governing `division` (or named `regime_id`) on `as_of`."""
    if regime_id is not None:
        regime = load(regime_id)
        if division is not None and not _covers(regime, division):
            raise NoRegimeError(
                [
                    Problem(
                        "division",
                        f"行政区划代码 {division} 不在 {regime.title} 的适用范围内",
                        f"division {division} is outside the jurisdiction of {regime.id}",
                    )
                ]
            )
        candidates = [regime]
    else:
        assert division is not None
        scored = [(_covers(r, division), r) for r in all_regimes()]
        candidates = [r for s, r in scored if s]
        if not candidates:
            raise NoRegimeError(
                [
                    Problem(
                        "division",
                        f"行政区划代码 {division} 所在地没有已编码的技防法规",
                        f"no encoded regime governs division {division}",
                    )
                ]
            )
    in_force = [r for r in candidates if r.in_force_from <= as_of]
    if not in_force:
        first = min(candidates, key=lambda r: r.in_force_from)
        raise NoRegimeError(
            [
                Problem(
                    "as_of",
                    f"{as_of.isoformat()} 早于 {first.title} 的施行日期 {first.in_force_from.isoformat()}，"
                    "该日期没有已编码的法规",
                    f"{as_of.isoformat()} is before {first.id} came into force "
                    f"({first.in_force_from.isoformat()}); no regime is encoded for that date",
                )
            ]
        )
    # The most specific jurisdiction wins; among its texts, the latest in force on as_of.
    if division is None:
        return max(in_force, key=lambda r: r.in_force_from)
    return max(in_force, key=lambda r: (_covers(r, division), r.in_force_from))
