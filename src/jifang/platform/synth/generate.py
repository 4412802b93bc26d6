"""A synthetic province from its parameters: the small tables first, then the units in chunks of
whole counties, each a dict of polars frames keyed by registry table (``app.model``, the through
table of systems and places as ``systems.system_places``). No database here: the writers take
the frames."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from functools import cache

import numpy as np
import polars as pl

from jifang import law
from jifang.law.errors import CaseError, Problem
from jifang.law.vocabulary import FINDINGS
from jifang.platform.demo.data import BASE_DATE

from . import catalog as C
from . import province as P
from .compiled import Compiled
from .profiles import book
from .units import Context, Counters, county

DEFAULT_REGIME = "guangdong-2017"
DEFAULT_SEED = 2024
DEFAULT_RATE = 0.3
DEFAULT_CHUNK = 100_000

# Registry tables in the order they are written (each after those it points to).
TABLES = (
    "geo.division",
    "geo.policeorgan",
    "systems.product",
    "practitioners.practitioner",
    "practitioners.qualificationcertificate",
    "practitioners.personnel",
    "units.unit",
    "units.responsibleperson",
    "units.place",
    "systems.system",
    "systems.system_places",
    "systems.device",
    "compliance.actrecord",
    "compliance.rectificationorder",
)


@dataclass(frozen=True)
class Params:
    units: int
    seed: int = DEFAULT_SEED
    regime: str = DEFAULT_REGIME
    violation_rate: float = DEFAULT_RATE
    as_of: dt.date = BASE_DATE
    chunk: int = DEFAULT_CHUNK  # how many units a chunk holds at least (rows do not depend on it)

    def check(self) -> None:
        """Refuse bad parameters, naming each field (Chinese first)."""
        problems = []
        if self.units < 1:
            problems.append(
                Problem("units", "单位数至少为 1", "the number of units must be at least 1")
            )
        if not 0.0 <= self.violation_rate <= 1.0:
            problems.append(
                Problem(
                    "violation_rate",
                    "违法比例应在 0 与 1 之间",
                    "the violation rate must lie between 0 and 1",
                )
            )
        if self.chunk < 1:
            problems.append(
                Problem("chunk", "分块大小至少为 1", "the chunk size must be at least 1")
            )
        if self.regime not in law.regime_ids():
            known = ", ".join(law.regime_ids())
            problems.append(
                Problem(
                    "regime",
                    f"没有已编码的法规 {self.regime!r}（可用：{known}）",
                    f"no encoded regime {self.regime!r} (known: {known})",
                )
            )
        elif law.load(self.regime).in_force_from > self.as_of:
            regime = law.load(self.regime)
            problems.append(
                Problem(
                    "as_of",
                    f"{self.as_of.isoformat()} 早于 {regime.title} 的施行日期",
                    f"{self.as_of.isoformat()} is before {regime.id} came into force",
                )
            )
        if problems:
            raise CaseError(problems)

    def identity(self) -> dict:
        """What the rows depend on (the chunk size does not change them)."""
        data = asdict(self)
        data.pop("chunk")
        data["as_of"] = self.as_of.isoformat()
        return data

    def digest(self) -> str:
        text = json.dumps(self.identity(), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()


@dataclass
class Summary:
    params: Params
    rows: Counter[str] = field(default_factory=Counter)  # rows written per table
    findings: Counter[str] = field(default_factory=Counter)  # planned findings by code
    breaches: Counter[str] = field(default_factory=Counter)  # units per planned breach finding
    kinds: Counter[str] = field(default_factory=Counter)  # units per kind (archetype)
    violating: int = 0
    devices_max: int = 0
    seconds: float = 0.0
    phases: dict[str, float] = field(default_factory=dict)  # seconds per phase of a load
    reset: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "params": self.params.identity(),
            "params_sha256": self.params.digest(),
            "rows": dict(sorted(self.rows.items())),
            "planned_findings": dict(sorted(self.findings.items())),
            "planned_breaches": dict(sorted(self.breaches.items())),
            "violating_units": self.violating,
            "kinds": dict(sorted(self.kinds.items())),
            "seconds": round(self.seconds, 3),
            "phases": self.phases,
            "reset": dict(sorted(self.reset.items())),
        }

    def record(self) -> dict:
        """What the audit log keeps of a load: everything but the timings."""
        return {k: v for k, v in self.as_dict().items() if k not in {"seconds", "phases"}}

    def render(self) -> str:
        p = self.params
        units = self.rows.get("units.unit", 0)
        lines = [
            f"合成辖区已生成：{p.regime}，单位 {units} 个，种子 {p.seed}，计划违法比例 {p.violation_rate:.0%}"
            f"（实际 {self.violating} 个，{self.violating / max(units, 1):.1%}），基准日 {p.as_of.isoformat()}，"
            f"用时 {self.seconds:.1f} 秒",
            "",
            "写入行数 / rows:",
        ]
        lines += [f"  {t:<40} {n:>12,}" for t, n in self.rows.items()]
        devices = self.rows.get("systems.device", 0)
        lines.append(
            f"  平均每单位设备 / devices per unit: {devices / max(units, 1):.2f}（最多 {self.devices_max}）"
        )
        lines += ["", "计划中的违法认定 / planned findings:"]
        lines += [
            f"  {FINDINGS[c]}（{c}）：{self.findings[c]}，涉及单位 {self.breaches.get(c, 0)}"
            for c in FINDINGS
            if c in self.findings
        ]
        return "\n".join(lines)


@cache
def compiled(regime: str, as_of: dt.date, division: str) -> Compiled:
    return Compiled(book(regime, as_of, division))


class Synth:
    """The province of `params`: `head()` gives the small tables, `chunks()` the units."""

    def __init__(
        self,
        params: Params,
        first_ids: dict[str, int] | None = None,
        existing: dict[str, dict] | None = None,
    ) -> None:
        params.check()
        self.params = params
        self.province = P.build(params.regime, params.units, params.seed)
        self.compiled = compiled(params.regime, params.as_of, self.province.representative)
        self.ids = Counters({t: 1 for t in TABLES} | dict(first_ids or {}))
        self.existing = existing or {}
        self.summary = Summary(params)
        self._context: Context | None = None

    def head(self) -> dict[str, pl.DataFrame]:
        p = self.params
        frames = P.geography(self.province, p.as_of, p.seed, self.ids.next, self.existing)
        frames["systems.product"], catalogue = P.products(self.ids.next, self.existing)
        made, hired = P.practitioners(
            self.province, self.compiled.book, p.units, p.seed, self.ids.next
        )
        frames.update(made)
        for name, frame in frames.items():
            if frame.height and "id" in frame.columns:
                self.ids.next[name] = int(frame["id"].max()) + 1
        salt = P.rng(p.seed, 9).integers(1, 10**6, 2)
        self._context = Context(
            self.compiled,
            self.province,
            hired,
            catalogue,
            p.seed,
            p.violation_rate,
            p.as_of,
            (int(salt[0]), int(salt[1])),
        )
        self._count(frames)
        return frames

    def chunks(self) -> Iterator[dict[str, pl.DataFrame]]:
        """Whole counties at a time, at least `params.chunk` units each (the last may be less)."""
        if self._context is None:
            raise RuntimeError("head() first")
        batch: list[dict[str, pl.DataFrame]] = []
        size = 0
        for i, c in enumerate(self.province.counties):
            if not c.units:
                continue
            batch.append(county(self._context, i, self.ids))
            size += c.units
            if size >= self.params.chunk:
                yield self._merge(batch)
                batch, size = [], 0
        if batch:
            yield self._merge(batch)

    def _merge(self, batch: list[dict[str, pl.DataFrame]]) -> dict[str, pl.DataFrame]:
        frames = {name: pl.concat([b[name] for b in batch], how="vertical") for name in batch[0]}
        self._count(frames)
        return frames

    def _count(self, frames: dict[str, pl.DataFrame]) -> None:
        s = self.summary
        for name, frame in frames.items():
            if name in TABLES:
                s.rows[name] += frame.height
        planned = frames.get("planned")
        if planned is not None and planned.height:
            cp = self.compiled
            tpl = planned["template"].to_numpy()
            counts = cp.t_counts[tpl].sum(axis=0)
            s.findings.update(
                {code: int(n) for code, n in zip(cp.findings, counts, strict=True) if n}
            )
            breach = cp.t_finding[tpl]
            s.violating += int((breach >= 0).sum())
            for f, n in zip(*np.unique(breach[breach >= 0], return_counts=True), strict=True):
                s.breaches[cp.findings[f]] += int(n)
            archs = np.array([cp.book.profiles[p].archetype for p in range(len(cp.book.profiles))])[
                cp.t_profile[tpl]
            ]
            for a, n in zip(*np.unique(archs, return_counts=True), strict=True):
                s.kinds[C.archetypes()[a].key] += int(n)
            devices = frames["systems.device"]
            if devices.height:
                per_unit = (
                    devices.join(
                        frames["systems.system"].select(pl.col("id").alias("system_id"), "unit_id"),
                        on="system_id",
                    )
                    .group_by("unit_id")
                    .len()
                )
                s.devices_max = max(s.devices_max, int(per_unit["len"].max()))

    def expected(self, template: int) -> Counter[str]:
        """The findings the engine gives a unit made from this template."""
        return Counter(dict(self.compiled.book.templates[template].findings))


def generate(params: Params) -> Iterator[dict[str, pl.DataFrame]]:
    """Every frame of a province, the small tables first (no database)."""
    synth = Synth(params)
    yield synth.head()
    yield from synth.chunks()
