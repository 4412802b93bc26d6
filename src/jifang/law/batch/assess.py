"""The batch assess: every provision of a regime over all of its units at once."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import polars as pl

from ..registry import load
from .acts import acts
from .duties import unit_duties
from .facts import ENGINE, RegimeFacts, prepare
from .frames import Frames, collect
from .outcome import (
    FINDINGS,
    OBLIGATIONS,
    Part,
    findings_of,
    no_findings,
    no_obligations,
    obligations_of,
    with_penalties,
)
from .places import installation, privacy, public_area
from .practitioners import practitioners
from .systems import retention, system_checks


@dataclass(frozen=True)
class BatchResult:
    """Findings (with their penalty situation and due_now) and, if asked for, obligations:
    one row per finding/obligation of the scalar answers, in no particular order (the columns
    unit, check, pos, pos2 give the scalar engine's order)."""

    findings: pl.DataFrame
    obligations: pl.DataFrame | None = None


# The provisions by name, for `assess_frames(obligations=...)`, in the scalar engine's order.
PROVISIONS = (
    "installation",
    "public_area",
    "unit_duties",
    "practitioners",
    "acts",
    "system_checks",
    "retention",
    "privacy",
)


def assess_frames(frames: Frames, *, obligations: bool | frozenset[str] = True) -> BatchResult:
    """Assess every unit of the frames. Units of one regime are evaluated together.
    Tables may be lazy (`scan_parquet`): for findings alone the devices are only streamed.
    `obligations`: all of them, none, or those of the provisions named (see PROVISIONS), e.g.
    ``frozenset({"installation"})`` for what decides a key unit, far fewer rows than every
    device's privacy obligation."""
    if obligations is True:
        obligations = frozenset(PROVISIONS)
    unknown = set(obligations or ()) - set(PROVISIONS)
    if unknown:
        raise ValueError(f"unknown provisions {sorted(unknown)}")
    keep = frozenset() if "privacy" in (obligations or ()) else frozenset({"devices"})
    frames = collect(frames, keep_lazy=keep)
    by_regime = split_by_regime(frames)
    results = [_assess_regime(rid, part, obligations) for rid, part in sorted(by_regime.items())]
    if not results:
        return BatchResult(
            pl.DataFrame(schema=FINDINGS),
            pl.DataFrame(schema=OBLIGATIONS) if obligations else None,
        )
    if len(results) == 1:
        return results[0]
    return BatchResult(
        pl.concat([r.findings for r in results]),
        pl.concat([r.obligations for r in results]) if obligations else None,  # type: ignore[misc]
    )


def split_by_regime(frames: Frames) -> dict[str, Frames]:
    """The frames of each regime's units (the frames themselves when there is one regime)."""
    regimes = frames.units["regime"].unique().sort().to_list()
    if len(regimes) <= 1:
        return {r: frames for r in regimes}
    index = frames.units.select("unit", "regime")
    split: dict[str, dict[str, pl.DataFrame | pl.LazyFrame]] = {r: {} for r in regimes}
    for name, table in frames.tables().items():
        if isinstance(table, pl.LazyFrame):
            for r in regimes:
                units = index.filter(pl.col("regime") == r).select("unit")
                split[r][name] = table.join(units.lazy(), on="unit", how="semi")
            continue
        keyed = table if name == "units" else table.join(index, on="unit", how="inner")
        parts = keyed.partition_by("regime", as_dict=True, include_key=name == "units")
        for r in regimes:
            part = parts.get((r,))
            split[r][name] = part if part is not None else table.clear()
    return {r: Frames(**tables) for r, tables in split.items()}  # type: ignore[arg-type]


def _assess_regime(
    regime_id: str, frames: Frames, with_obligations: frozenset[str] | bool
) -> BatchResult:
    regime = load(regime_id)
    frames = prepare(frames)
    rf = RegimeFacts(regime, frames)
    # The two passes over the devices run beside the place and system facts.
    with ThreadPoolExecutor(max_workers=2) as pool:
        if regime.provisions.privacy is not None:
            rf.start_privacy_pass(pool)
        named: dict[str, list[Part]] = {
            "installation": installation(rf),
            "public_area": public_area(rf),
        }
        rf.start_video_pass(pool)
        named |= {
            "unit_duties": unit_duties(rf),
            "practitioners": practitioners(regime, frames.units, frames.practitioners),
            "acts": acts(rf, frames.acts),
            "system_checks": system_checks(rf),
            "retention": retention(rf),
            "privacy": privacy(rf),
        }
    parts = [p for name in PROVISIONS for p in named[name]]
    individuals = frames.units.filter(pl.col("kind") == "individual")["unit"]
    found = [findings_of(p, individuals) for p in parts if p.can_violate]
    queries = [pl.concat(found or [no_findings()])]
    if with_obligations:
        chosen = [obligations_of(p) for n in PROVISIONS if n in with_obligations for p in named[n]]
        queries.append(pl.concat(chosen or [no_obligations()]))
    collected = pl.collect_all(queries, engine=ENGINE)
    findings = with_penalties(collected[0], regime, frames.units, frames.orders)
    return BatchResult(findings, collected[1] if with_obligations else None)
