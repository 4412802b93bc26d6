"""Derived facts over columns, the counterpart of engine/facts.py: which places must install,
and which scopes reach each system and each unit.

Tri-state values are Int8 columns, False=0, unknown=1, True=2, so that the engine's three-valued
AND (all_of: False beats unknown beats True) is a minimum and its OR (any_of) a maximum.

Speed: every table is put in key order once (`prepare`), and polars is told so; its joins and
groupings on sorted keys merge instead of hashing, several times faster on a province. A
(unit, position) pair is packed into one Int64 key (unit * PACK + position).
"""

from __future__ import annotations

from concurrent.futures import Executor
from dataclasses import dataclass
from functools import cached_property

import polars as pl

from ..regime import InstallRule, Regime, Scope
from .frames import Frames

FALSE, UNKNOWN, TRUE = 0, 1, 2
TRI = pl.Int8

# Requirement of a place (Facts._requirement), as an Int8 column.
REQ_NONE, REQ_UNKNOWN, REQ_ADVISORY, REQ_REQUIRED, REQ_PUBLIC_AREA = 0, 1, 2, 3, 4

PACK = 1 << 20  # positions stay below this; unit keys within ±2**43

# The in-memory engine: it merges joins on sorted keys, which the streaming engine (polars 2's
# default) does not, and measures faster here (docs/scaling.md).
ENGINE = "in-memory"


def tri(expr: pl.Expr) -> pl.Expr:
    """A nullable Boolean as a tri-state Int8."""
    return pl.when(expr.is_null()).then(UNKNOWN).when(expr).then(TRUE).otherwise(FALSE).cast(TRI)


def tri_of_bool(expr: pl.Expr) -> pl.Expr:
    """A two-valued Boolean as a tri-state Int8."""
    return pl.when(expr).then(TRUE).otherwise(FALSE).cast(TRI)


def all_of(exprs: list[pl.Expr]) -> pl.Expr:
    return pl.min_horizontal(exprs) if len(exprs) > 1 else exprs[0]


def packed(unit: str | pl.Expr, position: str | pl.Expr) -> pl.Expr:
    unit = pl.col(unit) if isinstance(unit, str) else unit
    position = pl.col(position) if isinstance(position, str) else position
    return unit * PACK + position.cast(pl.Int64)


def _in_key_order(df: pl.DataFrame, key: str, by: list[str], build: pl.Expr) -> pl.DataFrame:
    """df with column `key` (built from `by`), sorted by `by`, and flagged sorted on it."""
    df = df.with_columns(build.alias(key))
    if not df[key].is_sorted():
        df = df.sort(by)
    # Sorted by the packed key, so by unit too: say both.
    return df.with_columns(pl.col(key).set_sorted(), pl.col("unit").set_sorted())


def prepare(frames: Frames) -> Frames:
    """The frames in key order (sorted only if they are not already), with the packed keys
    pkey (places) and skey (systems, devices)."""
    units = frames.units
    if not units["unit"].is_sorted():
        units = units.sort("unit")
    return Frames(
        units=units.with_columns(pl.col("unit").set_sorted()),
        places=_in_key_order(frames.places, "pkey", ["unit", "place"], packed("unit", "place")),
        systems=_in_key_order(frames.systems, "skey", ["unit", "system"], packed("unit", "system")),
        devices=frames.devices,  # read in passes (see RegimeFacts), in any order
        practitioners=frames.practitioners,
        acts=frames.acts,
        orders=frames.orders,
    )


def lookup(table: pl.DataFrame, key: str, keys: pl.Series, columns: dict[str, str]) -> pl.DataFrame:
    """Columns of `table` (renamed as `columns` says) at the rows whose sorted, unique `key`
    equals each of `keys` (all present): a binary search, no hash join."""
    if table.height == 0:
        return table.select(pl.col(c).alias(a) for c, a in columns.items()).head(0)
    at = table[key].search_sorted(keys, side="left").clip(0, table.height - 1)
    return table.select(pl.col(c).gather(at).alias(a) for c, a in columns.items())


def recorded(capture: list[str]) -> pl.Expr:
    """A device records a kind the privacy rule names, or may: not every such kind is known
    false (engine: check_privacy skips a device that captures nothing forbidden)."""
    kinds = [pl.col(k).is_null() | pl.col(k) for k in capture]
    return pl.any_horizontal(kinds) if kinds else pl.lit(False)


def any_category(max_len: int, bits: dict[str, int]) -> pl.Expr:
    """A bit mask of `bits` over a place's category list (read by position: faster than
    exploding the list)."""
    mask = pl.lit(0, pl.Int64)
    for i in range(max_len):
        mask = mask | (
            pl.col("categories")
            .list.get(i, null_on_oob=True)
            .replace_strict(bits, default=0, return_dtype=pl.Int64)
            .fill_null(0)
        )
    return mask


@dataclass
class RegimeFacts:
    """The derived facts of one regime's units; `frames` are prepared (see `prepare`) and hold
    only that regime's units."""

    regime: Regime
    frames: Frames

    @property
    def units(self) -> pl.DataFrame:
        return self.frames.units

    @property
    def systems(self) -> pl.DataFrame:
        return self.frames.systems

    @property
    def devices(self) -> pl.DataFrame | pl.LazyFrame:
        return self.frames.devices

    # --- places ---------------------------------------------------------------------------

    @cached_property
    def install_rules(self) -> list[InstallRule]:
        return list(self.regime.provisions.installation.rules)

    @cached_property
    def _raise_flags(self) -> list[str]:
        rule = self.regime.provisions.retention
        return sorted({r.flag for r in rule.raises}) if rule else []

    @cached_property
    def place_facts(self) -> pl.DataFrame:
        """Per place: its requirement, the install rule that decides it, whether a system
        covers it, and the flags the scopes read."""
        inst = self.regime.provisions.installation
        rules = self.install_rules
        if len(rules) > 62:
            raise NotImplementedError("more than 62 install rules: widen the category mask")
        public_bit = len(rules)
        bits: dict[str, int] = {}
        for r, rule in enumerate(rules):
            for c in rule.categories:
                bits[c] = bits.get(c, 0) | (1 << r)
        for c in self.regime.provisions.public_place_categories:
            bits[c] = bits.get(c, 0) | (1 << public_bit)
        places = self.frames.places
        derived_central: pl.Expr = pl.lit(False)
        if inst.central_urban_divisions and any("central_urban" in r.when for r in rules):
            places = places.join(
                self.units.select("unit", "division"), on="unit", how="left", maintain_order="left"
            )
            derived_central = pl.col("division").is_in(inst.central_urban_divisions)
        flags = {
            "public_area": pl.col("public_area").fill_null(False),
            "anti_terror_target": pl.col("anti_terror_target").fill_null(False),
            "police_key_place": pl.col("police_key_place").fill_null(False),
            "central_urban": pl.col("central_urban").fill_null(False)
            | derived_central.fill_null(False),
            "new_construction": pl.col("new_construction").fill_null(False),
        }
        # The rules a place matches, as bits: its categories' bits, less those of the rules
        # whose place-flag conditions (`when`) it fails.
        matched = pl.col("_mask")
        for r, rule in enumerate(rules):
            if rule.when:
                holds = pl.all_horizontal([flags[n] == want for n, want in rule.when.items()])
                matched = pl.when(holds).then(matched).otherwise(matched & ~(1 << r))
        required = sum(1 << r for r, x in enumerate(rules) if x.strength == "required")
        advisory = sum(1 << r for r, x in enumerate(rules) if x.strength == "advisory")
        # The first required rule that matches, else the first advisory one (rank, then
        # order): the lowest bit set.
        first_required = (pl.col("_matched") & required).bitwise_trailing_zeros()
        first_advisory = (pl.col("_matched") & advisory).bitwise_trailing_zeros()
        pa = flags["public_area"]
        rule = (
            pl.when(pa)
            .then(None)
            .when((pl.col("_matched") & required) != 0)
            .then(first_required)
            .when((pl.col("_matched") & advisory) != 0)
            .then(first_advisory)
            .cast(pl.Int16)
        )
        req = (
            pl.when(pa)
            .then(REQ_PUBLIC_AREA)
            .when((pl.col("_matched") & required) != 0)
            .then(REQ_REQUIRED)
            .when((pl.col("_matched") & advisory) != 0)
            .then(REQ_ADVISORY)
            .otherwise(REQ_UNKNOWN if inst.list_incomplete else REQ_NONE)
            .cast(pl.Int8)
        )
        max_len = int(places["categories"].list.len().max() or 0)
        # A place is covered when a system names it: mark the rows the references found.
        refs = self.place_refs.filter("found")
        covered = pl.Series("covered", [False]).gather(
            pl.zeros(places.height, pl.UInt32, eager=True)
        )
        covered = covered.scatter(refs["at"], True) if refs.height else covered
        return (
            places.lazy()
            .with_columns(_mask=any_category(max_len, bits))
            .with_columns(_matched=matched)
            .with_columns(rule=rule, req=req)
            .with_columns(
                key=pl.when(pl.col("req") >= REQ_REQUIRED)
                .then(TRUE)
                .when(pl.col("req") == REQ_UNKNOWN)
                .then(UNKNOWN)
                .otherwise(FALSE)
                .cast(TRI),
                must=pl.when(pl.col("req") == REQ_REQUIRED)
                .then(TRUE)
                .when(pl.col("req") == REQ_UNKNOWN)
                .then(UNKNOWN)
                .otherwise(FALSE)
                .cast(TRI),
                pa=pa,
                pp=pa | ((pl.col("_mask") & (1 << public_bit)) != 0),
                nc=flags["new_construction"],
                covered=pl.lit(covered),
                **{f"raw_{f}": pl.col(f).fill_null(False) for f in self._raise_flags},
            )
            .drop("_mask", "_matched")
            .collect(engine=ENGINE)
        )

    @cached_property
    def place_refs(self) -> pl.DataFrame:
        """One row per place a system names, in systems order (k orders a system's list):
        skey, the place's pkey, and `at`, its row among the places (found by binary search
        in the sorted place keys: no hash join)."""
        refs = (
            self.systems.lazy()
            .select("skey", "unit", place="places")
            .explode("place")
            .drop_nulls("place")
            .with_row_index("k")
            .select("skey", "k", pkey=packed("unit", "place"))
            .collect(engine=ENGINE)
        )
        keys = self.frames.places["pkey"]
        if keys.len() == 0:
            return refs.with_columns(at=pl.lit(0, pl.UInt32), found=pl.lit(False))
        at = keys.search_sorted(refs["pkey"], side="left").clip(0, keys.len() - 1)
        return refs.with_columns(at=at, found=keys.gather(at) == refs["pkey"])

    @cached_property
    def own_places(self) -> pl.DataFrame:
        """place_refs (those that name a place) with the facts of each place."""
        pf = self.place_facts
        refs = self.place_refs.filter("found")
        cols = ["key", "must", "pp", "pa", "nc", *(f"raw_{f}" for f in self._raise_flags)]
        facts = (
            pf.select(pl.col(cols).gather(refs["at"])) if refs.height else pf.select(cols).head(0)
        )
        return pl.concat([refs, facts], how="horizontal")

    # --- scopes ---------------------------------------------------------------------------

    @cached_property
    def _scopes_used(self) -> tuple[set[str], set[str]]:
        """(system-level, unit-level) scopes the regime's provisions name."""
        prov = self.regime.provisions
        system: set[str] = set()
        unit: set[str] = set()
        for check in prov.systems:
            system.update(check.scope)
        if prov.retention:
            system.update(prov.retention.scope)
        if prov.unit_duties:
            unit.update(prov.unit_duties.scope)
        for act in prov.acts:
            unit.update(act.scope)
        return system, unit

    @cached_property
    def _own_aggregates(self) -> pl.DataFrame:
        """Per system that names places (skey order): the scopes over its own places."""
        place_cols = {_SCOPE_COLUMN[s] for s in self._scopes_used[0] if s in _PLACE_SCOPES}
        return self.own_places.group_by("skey", maintain_order=True).agg(
            _own=pl.lit(True),
            **_aggregates(place_cols),
            **{f"raise_{f}": pl.col(f"raw_{f}").any() for f in self._raise_flags},
        )

    @cached_property
    def unit_scope(self) -> pl.DataFrame:
        """Per unit (in units order): the scopes that provisions on the unit, and systems
        without places, read; has_places and has_systems."""
        needed = set(self._scopes_used[1])
        if self._own_aggregates.height < self.systems.height:  # a system without places
            needed |= self._scopes_used[0]
        place_cols = {_SCOPE_COLUMN[s] for s in needed if s in _PLACE_SCOPES}
        agg = self.place_facts.group_by("unit", maintain_order=True).agg(
            has_places=pl.lit(True), **_aggregates(place_cols)
        )
        fill = {
            # unit_is_key: unknown when the case lists no places.
            "key": pl.col("key").fill_null(UNKNOWN).cast(TRI),
            "must": pl.col("must").fill_null(FALSE).cast(TRI),
            **{c: tri_of_bool(pl.col(c).fill_null(False)) for c in ("pp", "pa", "nc")},
        }
        out = (
            self.units.lazy()
            .select("unit")
            .join(agg.lazy(), on="unit", how="left", maintain_order="left")
            .with_columns(
                has_places=pl.col("has_places").fill_null(False),
                has_systems=pl.col("unit").is_in(self.systems["unit"].implode()),
                **{c: fill[c] for c in place_cols},
            )
        )
        if "video" in self._scopes_used[1]:
            video = self.system_video.group_by("unit", maintain_order=True).agg(
                video=pl.col("video").max()
            )
            out = out.join(video.lazy(), on="unit", how="left", maintain_order="left").with_columns(
                video=pl.col("video").fill_null(FALSE).cast(TRI)
            )
        return out.collect(engine=ENGINE)

    @cached_property
    def system_scope(self) -> pl.DataFrame:
        """Per system (in systems order): the scopes (but video) that provisions on systems
        read, over its own places or, for a system without places, the unit's; and the
        retention raise flags over its own places."""
        place_cols = sorted({_SCOPE_COLUMN[s] for s in self._scopes_used[0] if s in _PLACE_SCOPES})
        own = self._own_aggregates
        scopes = (
            self.systems.lazy()
            .select("unit", "skey")
            .join(own.lazy(), on="skey", how="left", maintain_order="left")
            .with_columns(_own=pl.col("_own").fill_null(False))
        )
        if own.height < self.systems.height:
            us = self.unit_scope.select("unit", *(pl.col(c).alias(f"u_{c}") for c in place_cols))
            scopes = scopes.join(us.lazy(), on="unit", how="left", maintain_order="left")
        else:  # every system names its places: the unit's scopes are not needed
            scopes = scopes.with_columns([pl.lit(None, TRI).alias(f"u_{c}") for c in place_cols])
        own_first = {
            c: pl.when("_own")
            .then(pl.col(c) if c in _TRI_COLUMNS else tri_of_bool(pl.col(c)))
            .otherwise(f"u_{c}")
            .cast(TRI)
            for c in place_cols
        }
        raises = {f"raise_{f}": pl.col(f"raise_{f}").fill_null(False) for f in self._raise_flags}
        return scopes.select("skey", **own_first, **raises).collect(engine=ENGINE)

    @cached_property
    def _video_needed(self) -> pl.Series | None:
        """The systems whose video decides something (None: all): video is one scope among
        others in an all-of, and where another is false it cannot matter."""
        prov = self.regime.provisions
        if "video" in self._scopes_used[1]:
            return None
        scope_lists = [c.scope for c in prov.systems]
        if prov.retention:
            scope_lists.append(prov.retention.scope)
        others = [[s for s in sl if s != "video"] for sl in scope_lists if "video" in sl]
        if not others:
            return pl.Series("skey", [], dtype=pl.Int64)
        if any(not o for o in others):
            return None
        need = pl.any_horizontal([scope_of(o, "system") != FALSE for o in others])
        return self.system_scope.filter(need)["skey"]

    def start_privacy_pass(self, pool: Executor) -> None:
        """Read the devices for the privacy rule in the background: that pass needs nothing
        else, so it overlaps the place and system facts."""
        self._privacy_pass = pool.submit(self._private_devices)

    def _private_devices(self) -> pl.DataFrame:
        """The devices at a location the privacy rule forbids that record (or may record) what
        it forbids: one pass over the devices, streamed from Parquet when they are a scan."""
        rule = self.regime.provisions.privacy
        assert rule is not None
        at_private = pl.col("location").is_in(rule.locations).fill_null(False)
        return (
            self.devices.lazy()
            .filter(recorded(rule.capture) & at_private)
            .with_columns(skey=packed("unit", "system"))
            .collect(engine="streaming")
        )

    @cached_property
    def private_devices(self) -> pl.DataFrame:
        future = getattr(self, "_privacy_pass", None)
        return future.result() if future is not None else self._private_devices()

    def start_video_pass(self, pool: Executor) -> None:
        """Read the devices for the systems' video in the background (it needs the system
        scopes, not the provisions built meanwhile)."""
        if "video" in self._scopes_used[0] | self._scopes_used[1]:
            self._video_pass = pool.submit(self._device_films)

    @cached_property
    def _films(self) -> pl.DataFrame:
        future = getattr(self, "_video_pass", None)
        return future.result() if future is not None else self._device_films()

    def _device_films(self) -> pl.DataFrame:
        """Per system that needs it (see _video_needed): the maximum tri-state of its devices'
        `video`, in one pass over the devices (streamed when they are a scan)."""
        devices = self.devices.lazy().with_columns(skey=packed("unit", "system"))
        needed = self._video_needed
        if needed is not None:
            devices = devices.filter(pl.col("skey").is_in(needed.implode()))
        return (
            devices.group_by("skey")
            .agg(films=tri(pl.col("video")).max())
            .collect(engine="streaming")
        )

    @cached_property
    def system_video(self) -> pl.DataFrame:
        """Facts.system_has_video per system (in systems order; false where it cannot matter,
        see _video_needed): a video subsystem or a device that films; unknown when the system
        names no subsystems and a device's video is unknown."""
        films = pl.col("films")
        return (
            self.systems.lazy()
            .select(
                "unit",
                "skey",
                sub=pl.col("subsystems").list.contains("video"),
                none=pl.col("subsystems").list.len() == 0,
            )
            .join(self._films.lazy(), on="skey", how="left", maintain_order="left")
            .select(
                "unit",
                "skey",
                video=pl.when(pl.col("sub") | (films == TRUE))
                .then(TRUE)
                .when(pl.col("none") & (films == UNKNOWN))
                .then(UNKNOWN)
                .otherwise(FALSE)
                .cast(TRI),
            )
            .collect(engine=ENGINE)
        )

    @cached_property
    def systems_in_scope(self) -> pl.DataFrame:
        """The systems with their scopes (system_scope, and video where a provision needs
        it) set beside them."""
        scopes = self.system_scope.drop("skey")
        if "video" in self._scopes_used[0]:
            scopes = scopes.with_columns(self.system_video["video"])
        return self.systems.hstack(scopes.get_columns())


def _aggregates(columns: set[str]) -> dict[str, pl.Expr]:
    """Any-of over places: a maximum for the tri-states, any for the flags."""
    return {c: pl.col(c).max() if c in _TRI_COLUMNS else pl.col(c).any() for c in columns}


_TRI_COLUMNS = {"key", "must"}
_PLACE_SCOPES = {"key_unit", "must_install", "public_place", "public_area", "new_construction"}
_SCOPE_COLUMN: dict[str, str] = {
    "key_unit": "key",
    "must_install": "must",
    "public_place": "pp",
    "public_area": "pa",
    "new_construction": "nc",
    "video": "video",
}


def scope_of(scopes: list[Scope], level: str) -> pl.Expr:
    """Facts.in_scope over columns of unit_scope (level "unit") or systems_in_scope
    ("system")."""
    parts: list[pl.Expr] = []
    for s in scopes:
        if s == "all" or (s == "system_user" and level == "system"):
            parts.append(pl.lit(TRUE, TRI))
        elif s == "system_user":
            parts.append(tri_of_bool(pl.col("has_systems")))
        else:
            parts.append(pl.col(_SCOPE_COLUMN[s]))
    return all_of(parts)
