"""A book of templates laid out as arrays, so units can be made from it in columns.

Each template's places and systems are rows of flat tables (``ps_*``, ``ss_*``) with a start
and a count per template; a system's covered places, fixed devices and camera locations are
runs in further flat tables. Choosing a profile, a breach and a second system for a unit is
then an index lookup.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass

import numpy as np
import polars as pl

from jifang import law
from jifang.law import vocabulary as v
from jifang.platform.demo import data as D

from . import catalog as C
from .profiles import PRACTITIONER_BREACHES, SECONDARIES, Book, camera_pool, layout, short_days

LOCATIONS = tuple(v.DEVICE_LOCATIONS)
KINDS = ("camera", "alarm", "reader", "recorder", "other")
SLOTS = ("main", "public", "breach", "construction", "retired")
SUBJECTS = ("", "place", "system", "device", "unit", "act")
PRACTITIONER_KINDS = ("ok", *PRACTITIONER_BREACHES)
FACTS = (
    "status",
    "built_by_government",
    "design_review",
    "built_per_design",
    "built_with_project",
    "acceptance",
    "standards_compliant",
    "products_certified",
    "network_interface",
    "connected_to_police_platform",
    "police_requested_connection",
    "signage",
)
ALTERNATIVES = {"design_review": ("none", "rejected"), "acceptance": ("none", "failed")}
BOOST = 3.0  # how much more often the only carriers of a rare finding break the law
SMALL_PUBLIC = (5, 16)  # devices of a government system in a public area: at least, below
MAX_FLAGS = max(sum(len(t.maybe_flags) for t in a.places) for a in D.ARCHETYPES)


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


@dataclass
class Compiled:
    book: Book
    regime: object
    findings: list[str]

    def __init__(self, book: Book) -> None:
        self.book = book
        self.regime = law.load(book.regime)
        self.findings = book.findings()
        archs = C.archetypes()
        self.shares = np.array(C.shares())
        self.cum_shares = np.cumsum(self.shares)
        self.cum_shares[-1] = 1.0
        self.flag_slots = np.array([sum(len(t.maybe_flags) for t in a.places) for a in archs])
        self.has_own = np.array([any(not t.public_area for t in a.places) for a in archs])
        self.central = any(p.central is not None for p in book.profiles)
        self._profiles()
        self._templates()
        self._choices()
        self._archetypes()

    # profiles: (archetype, flag mask, central code) -> profile
    def _profiles(self) -> None:
        table = np.full((len(C.archetypes()), 2**MAX_FLAGS, 3), -1, dtype=np.int64)
        for p in self.book.profiles:
            code = 0 if p.central is None else (1 if p.central else 2)
            table[p.archetype, p.mask, code] = p.index
        self.profile_of = table

    def _templates(self) -> None:
        book = self.book
        F = len(self.findings)
        T = len(book.templates)
        self.t_profile = np.array([t.profile for t in book.templates], dtype=np.int64)
        self.t_breach = np.array([t.breach for t in book.templates], dtype=np.int64)
        self.t_false = np.array([t.false_duties for t in book.templates], dtype=np.int64)
        self.t_act = np.array([t.act for t in book.templates], dtype=object)
        self.t_subject = np.array([SUBJECTS.index(t.subject[0]) for t in book.templates])
        self.t_subject_pos = np.array([t.subject[1] for t in book.templates], dtype=np.int64)
        self.t_finding = np.array(
            [
                self.findings.index(book.breaches[t.breach].finding) if t.breach >= 0 else -1
                for t in book.templates
            ]
        )
        self.t_counts = np.zeros((T, F), dtype=np.int64)
        for t in book.templates:
            for code, n in t.findings:
                self.t_counts[t.index, self.findings.index(code)] = n
        ps: list = []
        ss: list = []
        self.t_nplaces = np.zeros(T, np.int64)
        self.t_place0 = np.zeros(T, np.int64)
        self.t_nsys = np.zeros(T, np.int64)
        self.t_sys0 = np.zeros(T, np.int64)
        links, extras, pools = [], [], []
        ss_rows = []
        for t in book.templates:
            self.t_place0[t.index], self.t_nplaces[t.index] = len(ps), len(t.places)
            ps += t.places
            self.t_sys0[t.index], self.t_nsys[t.index] = len(ss), len(t.systems)
            for s in t.systems:
                fixed = layout(s, t.places)
                pool = camera_pool(s, t.places) if "video" in s.subsystems else []
                counters: dict[str, int] = {}
                codes = []
                for kind, _ in fixed:
                    counters[kind] = counters.get(kind, 0) + 1
                    codes.append(f"{D.DEVICE_PREFIX[kind]}{counters[kind]:02d}")
                ss_rows.append(
                    (
                        s,
                        len(links),
                        len(s.places),
                        len(extras),
                        len(fixed),
                        len(pools),
                        len(pool),
                        t,
                    )
                )
                links += s.places
                extras += [(k, loc, code) for (k, loc), code in zip(fixed, codes, strict=True)]
                pools += pool
                ss.append(s)
        self.ps_categories = np.array([_dumps(list(p.categories)) for p in ps], dtype=object)
        for flag in ("public_area", "anti_terror_target", "police_key_place", "new_construction"):
            setattr(self, f"ps_{flag}", np.array([getattr(p, flag) for p in ps], dtype=bool))
        self.ps_central = np.array(
            [-1 if p.central_urban is None else int(p.central_urban) for p in ps], dtype=np.int8
        )
        self.links = np.array(links, dtype=np.int64)
        self.pool = np.array([LOCATIONS.index(x) for x in pools or ["other"]], dtype=np.int64)
        self.ex_kind_code = np.array([KINDS.index(e[0]) for e in extras] or [0], dtype=np.int64)
        self.ex_loc_code = np.array([LOCATIONS.index(e[1]) for e in extras] or [0], dtype=np.int64)
        self.ex_codes = pl.Series(sorted({e[2] for e in extras}) or [""], dtype=pl.String)
        self.ex_code_index = np.array(
            [self.ex_codes.to_list().index(e[2]) for e in extras] or [0], dtype=np.int64
        )
        n = len(ss)
        self.ss_slot = np.array([SLOTS.index(s.slot) for s in ss], dtype=np.int64)
        self.ss_name = np.array([s.name for s in ss], dtype=object)
        self.ss_subsystems = np.array([_dumps(list(s.subsystems)) for s in ss], dtype=object)
        self.ss_video = np.array(["video" in s.subsystems for s in ss], dtype=bool)
        self.ss_audio = np.array(["audio" in s.subsystems for s in ss], dtype=bool)
        self.ss_facts = {f: np.array([s.fact(f) for s in ss], dtype=object) for f in FACTS}
        self.ss_alt = {
            f: np.array([_other(s.fact(f), alts) for s in ss], dtype=object)
            for f, alts in ALTERNATIVES.items()
        }
        self.ss_need = np.array([s.retention for s in ss], dtype=np.int64)
        self.ss_short = np.array([s.short_retention for s in ss], dtype=bool)
        shorts = [short_days(s.retention) or (1,) for s in ss]
        self.ss_shorts = np.array(
            [[x[i % len(x)] for i in range(3)] for x in shorts], dtype=np.int64
        ).reshape(n, 3)
        self.ss_pr = np.array(
            [PRACTITIONER_KINDS.index(s.practitioner) for s in ss], dtype=np.int64
        )
        self.ss_privacy = np.array(
            [LOCATIONS.index(s.privacy) if s.privacy else -1 for s in ss], dtype=np.int64
        )
        self.ss_uncertified = np.array([s.uncertified for s in ss], dtype=bool)
        self.ss_link0 = np.array([r[1] for r in ss_rows], dtype=np.int64)
        self.ss_nlink = np.array([r[2] for r in ss_rows], dtype=np.int64)
        self.ss_ex0 = np.array([r[3] for r in ss_rows], dtype=np.int64)
        self.ss_nex = np.array([r[4] for r in ss_rows], dtype=np.int64)
        self.ss_pool0 = np.array([r[5] for r in ss_rows], dtype=np.int64)
        self.ss_npool = np.array([r[6] for r in ss_rows], dtype=np.int64)
        # Per-spec columns, gathered by spec index when units are made.
        self.ps_series = {
            "name": pl.Series([p.name for p in ps], dtype=pl.String),
            "categories": pl.Series(self.ps_categories.tolist(), dtype=pl.String),
            "central_urban": pl.Series([p.central_urban for p in ps], dtype=pl.Boolean),
        }
        self.ss_series = {
            "name": pl.Series(self.ss_name.tolist(), dtype=pl.String),
            "subsystems": pl.Series(self.ss_subsystems.tolist(), dtype=pl.String),
        }
        for f in FACTS:
            dtype = pl.String if f in {"status", "design_review", "acceptance"} else pl.Boolean
            self.ss_series[f] = pl.Series(self.ss_facts[f].tolist(), dtype=dtype)
        for f in ALTERNATIVES:
            self.ss_series[f + "_alt"] = pl.Series(self.ss_alt[f].tolist(), dtype=pl.String)
        self.ss_median = np.array(
            [
                C.median_devices(C.archetypes()[book.profiles[r[7].profile].archetype])
                for r in ss_rows
            ]
        )
        self._scale()

    def _scale(self) -> None:
        """Scale main systems so a unit has MEAN_DEVICES devices on average, the floor each
        system has (its fixed devices and a camera) included: solved by bisection over a fixed
        sample of the log-normal."""
        archs = C.archetypes()
        others = sum(
            share * (lo + hi - 1) / 2
            for (_, share), (lo, hi) in zip(C.SECONDARY, ((3, 7), (3, 6)), strict=True)
        )
        medians = np.array([C.median_devices(a) for a in archs])
        floors = np.zeros(len(archs))
        for t in self.book.templates:
            if t.breach < 0 and not t.secondary:
                a = self.book.profiles[t.profile].archetype
                for s in t.systems:
                    if s.slot == "main":
                        floors[a] = len(layout(s, t.places)) + 1
        low, high = SMALL_PUBLIC
        others += sum(
            self.shares[a] * (low + high - 1) / 2
            for a, arch in enumerate(archs)
            if any(p.public_area for p in arch.places)
        )
        z = np.exp(C.DEVICE_SIGMA * np.random.default_rng(0).standard_normal(4096))

        def mean(scale: float) -> float:
            sizes = np.clip(
                np.rint(medians[:, None] * scale * z[None, :]), floors[:, None], C.MAX_DEVICES
            )
            return float((sizes.mean(axis=1) * self.shares).sum()) + others

        low, high = 0.01, 10.0
        for _ in range(50):
            mid = (low + high) / 2
            low, high = (mid, high) if mean(mid) < C.MEAN_DEVICES else (low, mid)
        self.device_scale = (low + high) / 2

    def _choices(self) -> None:
        """For each profile: which findings a breach can produce on it, and the breaches that do."""
        book = self.book
        P, F, B = len(book.profiles), len(self.findings), len(book.breaches)
        self.template_of = np.full((P, B + 1, len(SECONDARIES)), -1, dtype=np.int64)
        for (p, b, sec), i in book.index.items():
            self.template_of[p, b + 1, SECONDARIES.index(sec)] = i
        options: dict[tuple[int, int], list[int]] = {}
        for t in book.templates:
            if t.breach >= 0 and not t.secondary:
                f = self.findings.index(book.breaches[t.breach].finding)
                options.setdefault((t.profile, f), []).append(t.breach)
        width = max((len(x) for x in options.values()), default=1)
        self.breach_options = np.full((P, F, width), -1, dtype=np.int64)
        self.breach_count = np.zeros((P, F), dtype=np.int64)
        for (p, f), bs in options.items():
            self.breach_options[p, f, : len(bs)] = bs
            self.breach_count[p, f] = len(bs)
        able = self.breach_count > 0
        share = np.array([p.share for p in book.profiles])
        reach = (share[:, None] * able).sum(axis=0) / share.sum()  # share of units each can reach
        weights = np.where(able, 1.0 / np.maximum(reach, 1e-9)[None, :], 0.0)
        total = weights.sum(axis=1, keepdims=True)
        self.can_breach = total[:, 0] > 0
        self.finding_cum = np.cumsum(weights / np.where(total > 0, total, 1.0), axis=1)
        self.finding_cum[self.can_breach, -1] = 1.0
        # A finding few kinds of unit can have would rarely be planned at all if every unit
        # broke the law with the same chance: units that are its only carriers break it more
        # often (up to BOOST times the rate), the others a little less, the rate overall kept.
        fair = 1.0 / max(F, 1)
        need = np.where(able, fair / np.maximum(reach, 1e-9)[None, :], 0.0).max(axis=1)
        boost = np.where(self.can_breach, np.clip(need, 1.0, BOOST), 0.0)
        rest = self.can_breach & (boost <= 1.0)
        spare = 1.0 - (share * boost)[~rest].sum() / share.sum()
        if rest.any() and spare > 0:
            boost[rest] = spare * share.sum() / share[rest].sum()
        self.bad_boost = boost

    def _archetypes(self) -> None:
        archs = C.archetypes()
        self.a_kind = np.array([a.kind for a in archs], dtype=object)
        self.a_org = np.array([a.org or "91" for a in archs], dtype=object)
        self.a_roles = np.array([a.roles for a in archs], dtype=object)
        names = [list(a.names) + list(C.EXTRA_NAMES.get(a.key, ())) for a in archs]
        self.a_name0 = np.cumsum([0] + [len(x) for x in names])[:-1]
        self.a_nnames = np.array([len(x) for x in names])
        self.names = [n for x in names for n in x]
        self.name_series = pl.Series(self.names, dtype=pl.String)
        # Unit duty records: every duty done, or one or two of the regime's list neglected.
        rule = self.regime.provisions.unit_duties
        listed = list(rule.duties) if rule is not None else []
        done = dict.fromkeys(v.UNIT_DUTIES, True)
        self.duties_ok = _dumps(done)
        self.duties_bad = {
            m: np.array(
                [
                    _dumps({**done, **dict.fromkeys(c, False)})
                    for c in itertools.combinations(listed, m)
                ],
                dtype=object,
            )
            for m in (1, 2)
            if len(listed) >= m
        }
        # What a compliant unit's old, corrected order was about.
        corrected = [
            f
            for f in ("SIGNAGE_MISSING", "RETENTION_SHORT", "USER_DUTIES_UNMET")
            if f in self.findings
        ]
        self.corrected = np.array(corrected or ["USER_DUTIES_UNMET"], dtype=object)


def _other(value: object, alternatives: tuple[str, ...]) -> object:
    """Another bad value of the same fact (a breach picks between them), or the value itself."""
    if value in alternatives:
        rest = [a for a in alternatives if a != value]
        return rest[0] if rest else value
    return value
