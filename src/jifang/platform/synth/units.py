"""The units of one county and everything under them, made in columns.

Every draw comes from the county's own random stream (seed, county code), in a fixed order
and a fixed number per unit, so a county's rows do not depend on how the province is cut into
chunks. Ids are given here, continuing from the counters the caller passes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import polars as pl

from jifang.platform.demo import data as D

from . import catalog as C
from . import text as T
from .compiled import KINDS, LOCATIONS, PRACTITIONER_KINDS, SLOTS, SMALL_PUBLIC, SUBJECTS, Compiled
from .province import County, Practitioners, Products, Province, rng

STREAM_UNITS = 3
PAIRS = len(D.SURNAMES) * len(D.GIVEN_NAMES)
PERSONS = np.array([s + g for s in D.SURNAMES for g in D.GIVEN_NAMES], dtype=object)
BRAND_HEADS = np.array([b[0] for b in D.BRANDS], dtype=object)
BRAND_TAILS = np.array([b[1] for b in D.BRANDS], dtype=object)
WORDS = np.array(D.PLACE_WORDS, dtype=object)
NUMERALS = np.array(D.NUMERALS, dtype=object)
TRADES = np.array(C.TRADES, dtype=object)
SMALL_SYSTEMS = {
    "public": SMALL_PUBLIC,
    "breach": (3, 6),
    "construction": (3, 7),
    "retired": (3, 6),
}


@dataclass
class Counters:
    """The next id of each table."""

    next: dict[str, int]

    def take(self, table: str, n: int) -> np.ndarray:
        first = self.next[table]
        self.next[table] = first + n
        return np.arange(first, first + n, dtype=np.int64)


@dataclass
class Context:
    """What every county of a load shares."""

    compiled: Compiled
    province: Province
    practitioners: Practitioners
    products: Products
    seed: int
    rate: float
    as_of: dt.date
    salt: tuple[int, int]


def _explode(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For owners with these row counts: each row's owner, its position, each owner's start."""
    starts = np.concatenate(([0], np.cumsum(counts)[:-1])) if len(counts) else counts
    owner = np.repeat(np.arange(len(counts)), counts)
    return owner, np.arange(owner.size) - starts[owner], starts


def _pick(r: np.random.Generator, values: np.ndarray, n: int) -> np.ndarray:
    return values[r.integers(0, len(values), n)]


def county(ctx: Context, county_index: int, ids: Counters) -> dict[str, pl.DataFrame]:
    """The frames of one county's units: one per registry table, plus ``planned`` (each unit's
    template) for the summary and the tests."""
    cp, prov = ctx.compiled, ctx.province
    place = prov.counties[county_index]
    city = prov.cities[place.city]
    n = place.units
    r = rng(ctx.seed, STREAM_UNITS, int(place.code))

    # --- what each unit is: kind, flags, breach, second system ---------------------------
    arch = np.searchsorted(cp.cum_shares, r.random(n), side="right").clip(0, len(cp.shares) - 1)
    flags = (r.random((n, max(1, cp.flag_slots.max()))) < C.FLAG_CHANCE) & (
        np.arange(max(1, cp.flag_slots.max())) < cp.flag_slots[arch][:, None]
    )
    mask = (flags * (1 << np.arange(flags.shape[1]))).sum(axis=1)
    central_draw = r.random(n)
    central = np.zeros(n, dtype=np.int64)
    if cp.central:
        inside = place.central | (central_draw < C.CENTRAL_CHANCE)
        central = np.where(cp.has_own[arch], np.where(inside, 1, 2), 0)
    profile = cp.profile_of[arch, mask, central]
    bad = r.random(n) < ctx.rate * cp.bad_boost[profile]
    finding = (
        (cp.finding_cum[profile] < r.random(n)[:, None]).sum(axis=1).clip(0, len(cp.findings) - 1)
    )
    options = cp.breach_count[profile, finding]
    which = (r.random(n) * np.maximum(options, 1)).astype(np.int64)
    breach = np.where(bad & (options > 0), cp.breach_options[profile, finding, which], -1)
    second = r.random(n)
    sec = np.where(
        second < C.SECONDARY[0][1],
        1,
        np.where(second < C.SECONDARY[0][1] + C.SECONDARY[1][1], 2, 0),
    )
    tpl = cp.template_of[profile, breach + 1, sec]
    tpl = np.where(tpl >= 0, tpl, cp.template_of[profile, breach + 1, 0])
    assert (tpl >= 0).all()

    unit_id = ids.take("units.unit", n)
    frames: dict[str, pl.DataFrame] = {}
    words = _words(r, ctx, place, city, arch, n)
    frames["units.unit"], persons = _units(r, ctx, place, city, arch, tpl, unit_id, words)
    frames["units.responsibleperson"] = _persons(r, cp, arch, unit_id, persons, ids)

    # --- places ------------------------------------------------------------------------------
    p_owner, p_pos, p_start = _explode(cp.t_nplaces[tpl])
    p_spec = cp.t_place0[tpl][p_owner] + p_pos
    place_id = ids.take("units.place", p_owner.size)
    place_first = place_id[p_start] if n else place_id
    frames["units.place"] = _places(cp, words, p_owner, p_spec, place_id, unit_id)

    # --- systems ------------------------------------------------------------------------------
    s_owner, s_pos, s_start = _explode(cp.t_nsys[tpl])
    s_spec = cp.t_sys0[tpl][s_owner] + s_pos
    system_id = ids.take("systems.system", s_owner.size)
    frames["systems.system"] = _systems(r, ctx, words, s_owner, s_spec, system_id, unit_id)

    l_owner, l_pos, _ = _explode(cp.ss_nlink[s_spec])
    link_place = cp.links[cp.ss_link0[s_spec][l_owner] + l_pos]
    frames["systems.system_places"] = pl.DataFrame(
        {
            "id": ids.take("systems.system_places", l_owner.size),
            "system_id": system_id[l_owner],
            "place_id": place_first[s_owner[l_owner]] + link_place,
        }
    )
    frames["systems.device"], device_last = _devices(r, ctx, s_spec, system_id, ids)

    # --- acts, orders ---------------------------------------------------------------------------
    frames["compliance.actrecord"], act_of = _acts(r, ctx, tpl, unit_id, ids)
    subjects = _subjects(cp, tpl, place_first, system_id, s_start, device_last, act_of, n)
    frames["compliance.rectificationorder"] = _orders(
        r, ctx, place, tpl, unit_id, subjects, system_id, s_start, ids
    )
    frames["planned"] = pl.DataFrame({"unit": unit_id, "template": tpl, "county": [place.code] * n})
    return frames


# --- units and their people -------------------------------------------------------------------


def _words(r, ctx: Context, place: County, city, arch: np.ndarray, n: int) -> pl.DataFrame:
    """The words names are made of, one row per unit."""
    streets = np.array(city.streets, dtype=object)
    scenic = np.array(city.scenic, dtype=object)
    hubs = np.array([h.format(c=city.short) for h in city.hubs], dtype=object)
    pair = r.integers(0, PAIRS, n)
    return pl.DataFrame(
        {
            "brand": pl.Series(
                _pick(r, BRAND_HEADS, n) + _pick(r, BRAND_TAILS, n), dtype=pl.String
            ),
            "word": pl.Series(_pick(r, WORDS, n), dtype=pl.String),
            "street": pl.Series(_pick(r, streets, n), dtype=pl.String),
            "num": pl.Series(_pick(r, NUMERALS, n), dtype=pl.String),
            "scenic": pl.Series(_pick(r, scenic, n), dtype=pl.String),
            "hub": pl.Series(_pick(r, hubs, n), dtype=pl.String),
            "trade": pl.Series(_pick(r, TRADES, n), dtype=pl.String),
            "person": pl.Series(PERSONS[pair], dtype=pl.String),
            "pair": pair,
            "no": pl.Series(r.integers(1, 889, n)).cast(pl.String),
            "county": pl.Series([place.name] * n, dtype=pl.String),
            "cs": pl.Series([place.short] * n, dtype=pl.String),
            "city": pl.Series([city.name] * n, dtype=pl.String),
            "c": pl.Series([city.short] * n, dtype=pl.String),
        }
    )


def _gather(words: pl.DataFrame, rows: np.ndarray) -> dict[str, pl.Expr]:
    picked = words[rows] if len(rows) else words.clear()
    return {name: pl.lit(picked[name]) for name in picked.columns if name != "pair"}


def _units(r, ctx: Context, place: County, city, arch, tpl, unit_id, words: pl.DataFrame):
    cp, prov = ctx.compiled, ctx.province
    n = len(unit_id)
    choice = cp.a_name0[arch] + (r.random(n) * cp.a_nnames[arch]).astype(np.int64)
    base = words.select(
        name=T.fill(
            pl.lit(cp.name_series.gather(choice)),
            {c: pl.col(c) for c in words.columns},
            T.placeholders(cp.names),
        )
    )["name"]
    names = pl.DataFrame({"name": base}).select(
        pl.col("name") + T.ordinal_suffix(pl.col("name").cum_count().over("name"))
    )["name"]
    individual = cp.a_kind[arch] == "individual"
    org = cp.a_org[arch].astype("U2")
    codes = (
        T.uscc(org, np.full(n, place.code), unit_id, ctx.salt) if n else np.array([], dtype="U18")
    )
    uscc = (
        pl.Series(codes).set(pl.Series(individual), None) if n else pl.Series([], dtype=pl.String)
    )
    landline = T.landlines(
        r, np.full(n, city.area_code, dtype=object), np.full(n, city.phone_digits)
    )
    mobile = T.mobiles(r, n)
    false = cp.t_false[tpl]
    duties = np.full(n, cp.duties_ok, dtype=object)
    for m, table in cp.duties_bad.items():
        hit = false == m
        duties[hit] = _pick(r, table, int(hit.sum()))
    address = words.select(
        pl.format(
            "{}{}{}{}{}号",
            pl.lit(prov.name),
            pl.col("city"),
            pl.col("county"),
            pl.col("street"),
            pl.col("no"),
        )
    ).to_series()
    frame = pl.DataFrame(
        {
            "id": unit_id,
            "name": names,
            "kind": pl.Series(cp.a_kind[arch].tolist(), dtype=pl.String),
            "uscc": uscc,
            "division_id": np.full(n, prov.division_ids[place.code], dtype=np.int64),
            "address": address,
            "phone": landline.zip_with(pl.Series(~individual), mobile),
            "duties": pl.Series(duties.tolist(), dtype=pl.String),
        }
    )
    return frame, words["pair"].to_numpy()


def _persons(r, cp: Compiled, arch, unit_id, pair, ids: Counters) -> pl.DataFrame:
    n = len(unit_id)
    other = (pair + 7 * r.integers(1, 200, n)) % PAIRS  # 7 is prime to PAIRS: never the same
    roles = cp.a_roles[arch]
    first_role = np.array([x[0] for x in roles] or [], dtype=object)
    second_role = np.array([x[1] for x in roles] or [], dtype=object)
    phones = T.mobiles(r, 2 * n)
    return pl.DataFrame(
        {
            "id": ids.take("units.responsibleperson", 2 * n),
            "unit_id": np.column_stack([unit_id, unit_id]).ravel(),
            "name": pl.Series(
                np.column_stack([PERSONS[pair], PERSONS[other]]).ravel(), dtype=pl.String
            ),
            "role": pl.Series(np.column_stack([first_role, second_role]).ravel(), dtype=pl.String),
            "phone": phones,
        }
    )


def _places(cp: Compiled, words, owner, spec, place_id, unit_id) -> pl.DataFrame:
    series = cp.ps_series
    return pl.DataFrame(
        {
            "id": place_id,
            "unit_id": unit_id[owner],
            "name": pl.select(
                T.fill(
                    pl.lit(series["name"].gather(spec)),
                    _gather(words, owner),
                    {"street", "word", "scenic"},
                )
            ).to_series(),
            "categories": series["categories"].gather(spec),
            "public_area": cp.ps_public_area[spec],
            "anti_terror_target": cp.ps_anti_terror_target[spec],
            "police_key_place": cp.ps_police_key_place[spec],
            "central_urban": series["central_urban"].gather(spec),
            "new_construction": cp.ps_new_construction[spec],
        }
    )


# --- systems and devices ------------------------------------------------------------------------


def _systems(r, ctx: Context, words, owner, spec, system_id, unit_id) -> pl.DataFrame:
    cp, book = ctx.compiled, ctx.compiled.book
    m = len(spec)
    pr, level = _practitioners(r, ctx, cp.ss_pr[spec])
    kind = cp.ss_pr[spec]
    top = book.levels
    span = r.random(m)
    required = level + (span * (top - level + 1)).astype(np.int64)  # a grade the company holds
    required = np.where(
        kind == PRACTITIONER_KINDS.index("unfiled"), 1 + (span * top).astype(np.int64), required
    )
    required = np.where(kind == PRACTITIONER_KINDS.index("low"), level - 1, required)
    need = cp.ss_need[spec]
    periods = np.array(book.retention_days, dtype=np.int64)
    lawful = np.maximum(need, _pick(r, periods, m))
    short = cp.ss_shorts[spec, r.integers(0, 3, m)]
    retention = np.where(cp.ss_short[spec], short, lawful)
    alternative = r.random(m) < 0.5
    columns: dict[str, object] = {"id": system_id, "unit_id": unit_id[owner]}
    series = cp.ss_series
    columns["name"] = pl.select(
        T.fill(pl.lit(series["name"].gather(spec)), _gather(words, owner), {"county", "word"})
    ).to_series()
    columns["subsystems"] = series["subsystems"].gather(spec)
    for fact in cp.ss_facts:
        picked = series[fact].gather(spec)
        if fact in cp.ss_alt:
            picked = pl.select(
                pl.when(pl.lit(pl.Series(alternative)))
                .then(pl.lit(series[fact + "_alt"].gather(spec)))
                .otherwise(pl.lit(picked))
            ).to_series()
        columns[fact] = picked.alias(fact)
    columns["retention_days"] = retention
    columns["practitioner_id"] = pr
    columns["required_level"] = required
    return pl.DataFrame(columns)


def _practitioners(r, ctx: Context, kind: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The company that built each system, and the grade of its certificate."""
    pool = ctx.practitioners
    m = len(kind)
    ids = np.zeros(m, dtype=np.int64)
    levels = np.ones(m, dtype=np.int64)
    draw = r.random(m)
    cross = r.random(m) < C.CROSS_SHARE
    good = pool.levels["good"]
    strong = np.flatnonzero(good >= 2)
    sources = {
        "ok": None,
        "unfiled": "unfiled",
        "expired": "expired",
        "cross_unfiled": "cross_unfiled",
        "warning": "warning",
    }
    for k, name in enumerate(PRACTITIONER_KINDS):
        hit = kind == k
        if not hit.any():
            continue
        if name == "ok":
            for source, where in (("cross", hit & cross), ("good", hit & ~cross)):
                i = (draw[where] * len(pool.ids[source])).astype(np.int64)
                ids[where], levels[where] = pool.ids[source][i], pool.levels[source][i]
        elif name == "low":
            i = strong[(draw[hit] * len(strong)).astype(np.int64)]
            ids[hit], levels[hit] = pool.ids["good"][i], good[i]
        else:
            source = sources[name]
            i = (draw[hit] * len(pool.ids[source])).astype(np.int64)
            ids[hit], levels[hit] = pool.ids[source][i], pool.levels[source][i]
    return ids, levels


def _devices(r, ctx: Context, spec, system_id, ids: Counters) -> tuple[pl.DataFrame, np.ndarray]:
    """Devices of each system: its fixed ones (recorder, reader, detectors) first, then
    cameras; a main system's size is log-normal (a heavy tail of large sites)."""
    cp, prods = ctx.compiled, ctx.products
    m = len(spec)
    slot = cp.ss_slot[spec]
    nex = cp.ss_nex[spec]
    video = cp.ss_video[spec]
    z = r.standard_normal(m)
    size = np.rint(cp.ss_median[spec] * cp.device_scale * np.exp(C.DEVICE_SIGMA * z)).astype(
        np.int64
    )
    small = r.random(m)
    for name, (low, high) in SMALL_SYSTEMS.items():
        hit = slot == SLOTS.index(name)
        size[hit] = low + (small[hit] * (high - low)).astype(np.int64)
    size = np.clip(size, nex + video.astype(np.int64), C.MAX_DEVICES)
    size = np.where(video, size, np.maximum(nex, 1))
    privacy = cp.ss_privacy[spec] >= 0
    count = size + privacy
    owner, pos, start = _explode(count)
    device_id = ids.take("systems.device", owner.size)
    last = device_id[start + count - 1] if m else device_id
    sp = spec[owner]
    fixed = pos < nex[owner]
    is_privacy = privacy[owner] & (pos == count[owner] - 1)
    camera = ~fixed & video[owner]
    ex = np.where(fixed, cp.ss_ex0[sp] + pos, 0)
    u = r.random(owner.size)
    pool_at = cp.ss_pool0[sp] + (u * np.maximum(cp.ss_npool[sp], 1)).astype(np.int64)
    location = np.where(fixed, cp.ex_loc_code[ex], cp.pool[pool_at.clip(0, len(cp.pool) - 1)])
    location = np.where(is_privacy, cp.ss_privacy[sp], location)
    location = np.where(~fixed & ~video[owner], LOCATIONS.index("other"), location)
    kind = np.where(
        fixed, cp.ex_kind_code[ex], np.where(camera, KINDS.index("camera"), KINDS.index("other"))
    )
    number = pos - nex[owner] + 1
    audio = (
        camera
        & (location == LOCATIONS.index("cashier"))
        & cp.ss_audio[sp]
        & (r.random(owner.size) < 0.5)
    )
    product = _products(r, prods, kind, owner, number, cp.ss_uncertified[sp], m, size - nex)
    frame = pl.DataFrame(
        {
            "id": device_id,
            "system_id": system_id[owner],
            "fixed": fixed,
            "ex": cp.ex_code_index[ex],
            "number": number,
            "kind": kind,
            "location": location,
            "video": camera,
            "audio": audio,
            "product_id": prods.ids[product],
            "certificate": product,
        }
    ).select(
        "id",
        "system_id",
        pl.when("fixed")
        .then(pl.col("ex").map_batches(lambda x: cp.ex_codes.gather(x), return_dtype=pl.String))
        .otherwise(
            pl.when(pl.col("kind") == KINDS.index("camera"))
            .then(pl.lit("C"))
            .otherwise(pl.lit("X"))
            + pl.col("number").cast(pl.String).str.zfill(2)
        )
        .alias("code"),
        _gather_codes("kind", KIND_SERIES),
        _gather_codes("location", LOCATION_SERIES),
        "video",
        "audio",
        "product_id",
        _gather_codes("certificate", pl.Series(prods.certificate.tolist(), dtype=pl.String)).alias(
            "certificate_number"
        ),
    )
    return frame, last


KIND_SERIES = pl.Series(KINDS, dtype=pl.String)
LOCATION_SERIES = pl.Series(LOCATIONS, dtype=pl.String)


def _gather_codes(column: str, table: pl.Series) -> pl.Expr:
    """A column of indexes as the strings they index."""
    return pl.col(column).map_batches(lambda x: table.gather(x), return_dtype=pl.String)


def _products(r, prods: Products, kind, owner, camera_no, uncertified, m, cameras) -> np.ndarray:
    """Each device's product: a system's cameras are of its two certified models; a breach of
    product certification puts uncertified cameras in up to half of its places."""
    certified_cams = np.flatnonzero((prods.kind == "camera") & prods.certified)
    cheap = np.flatnonzero((prods.kind == "camera") & ~prods.certified)
    models = certified_cams[r.integers(0, len(certified_cams), (m, 2))]
    product = models[owner, r.integers(0, 2, len(owner))]
    bad_count = 1 + (r.random(m) * np.maximum(cameras // 2, 1)).astype(np.int64)
    bad = uncertified & (kind == KINDS.index("camera")) & (camera_no <= bad_count[owner])
    product = np.where(bad, cheap[r.integers(0, len(cheap), len(owner))], product)
    draw = r.random(len(owner))
    for k in ("recorder", "reader", "alarm"):
        choices = np.flatnonzero((prods.kind == k) & prods.certified)
        hit = kind == KINDS.index(k)
        product[hit] = choices[(draw[hit] * len(choices)).astype(np.int64)]
    other = kind == KINDS.index("other")
    product[other] = certified_cams[0]
    return product


# --- acts and orders ----------------------------------------------------------------------------


def _acts(r, ctx: Context, tpl, unit_id, ids: Counters) -> tuple[pl.DataFrame, np.ndarray]:
    cp = ctx.compiled
    codes = cp.t_act[tpl]
    has = codes != ""
    k = int(has.sum())
    act_id = ids.take("compliance.actrecord", k)
    act_of = np.full(len(tpl), -1, dtype=np.int64)
    act_of[has] = act_id
    days = r.integers(15, 201, k)
    income = np.where(
        codes[has] == "trade_or_spread_info", _pick(r, np.array([1500, 3000, 8000]), k), 0
    )
    frame = pl.DataFrame(
        {
            "id": act_id,
            "unit_id": unit_id[has],
            "code": pl.Series(codes[has], dtype=pl.String),
            "by": pl.Series(
                np.where(r.random(k) < 0.5, "unit", "individual").astype(object), dtype=pl.String
            ),
            "occurred": pl.Series([ctx.as_of] * k, dtype=pl.Date)
            - pl.Series(days * 86_400_000, dtype=pl.Duration("ms")),
            "serious": r.random(k) < 0.15,
            "illegal_income": pl.Series(income, dtype=pl.Float64).cast(pl.Decimal(12, 2)),
        }
    )
    return frame, act_of


def _subjects(
    cp: Compiled, tpl, place_first, system_id, s_start, device_last, act_of, n
) -> np.ndarray:
    """What an order on each unit's breach names: p12, s3, d40, a5 or unit ('' for none)."""
    kind = cp.t_subject[tpl]
    pos = cp.t_subject_pos[tpl]
    out = np.full(n, "", dtype=object)
    for name, prefix, ref in (
        ("place", "p", lambda i: place_first[i] + pos[i]),
        ("system", "s", lambda i: system_id[s_start[i] + pos[i]]),
        ("device", "d", lambda i: device_last[s_start[i] + pos[i]]),
        ("act", "a", lambda i: act_of[i]),
    ):
        hit = np.flatnonzero(kind == SUBJECTS.index(name))
        if hit.size:
            out[hit] = np.char.add(prefix, ref(hit).astype(str)).astype(object)
    out[kind == SUBJECTS.index("unit")] = "unit"
    return out


def _orders(
    r, ctx: Context, place: County, tpl, unit_id, subjects, system_id, s_start, ids: Counters
) -> pl.DataFrame:
    """Orders on breaches (overdue, or still within the deadline, or none yet), and old,
    corrected orders on some compliant units."""
    cp = ctx.compiled
    n = len(tpl)
    draw, when, which = r.random(n), r.random(n), r.random(n)
    breach = cp.t_breach[tpl] >= 0
    overdue = breach & (subjects != "") & (draw < 0.45)
    pending = breach & (subjects != "") & (draw >= 0.45) & (draw < 0.70)
    corrected = ~breach & (cp.t_nsys[tpl] > 0) & (draw < 0.25)
    ago = np.where(
        overdue, 60 + when * 90, np.where(pending, 5 + when * 15, 200 + when * 220)
    ).astype(np.int64)
    old = cp.corrected[(which * len(cp.corrected)).astype(np.int64)]
    first_system = (
        np.char.add("s", system_id[np.minimum(s_start, max(len(system_id) - 1, 0))].astype(str))
        if len(system_id)
        else np.full(n, "")
    )
    old_subject = np.where(old == "USER_DUTIES_UNMET", "unit", first_system.astype(object))
    finding = np.where(
        breach, np.array(["", *cp.findings], dtype=object)[cp.t_finding[tpl] + 1], old
    )
    subject = np.where(breach, subjects, old_subject)
    keep = overdue | pending | corrected
    k = int(keep.sum())
    served = pl.Series([ctx.as_of] * k, dtype=pl.Date) - pl.Series(
        ago[keep] * 86_400_000, dtype=pl.Duration("ms")
    )
    return pl.DataFrame(
        {
            "id": ids.take("compliance.rectificationorder", k),
            "unit_id": unit_id[keep],
            "finding": pl.Series(finding[keep], dtype=pl.String),
            "subject": pl.Series(subject[keep], dtype=pl.String),
            "served": served,
            "deadline": served + pl.Series([dt.timedelta(days=30)] * k, dtype=pl.Duration("ms")),
            "corrected": corrected[keep],
            "harm": np.zeros(k, dtype=bool),
            "serious": np.zeros(k, dtype=bool),
            "issued_by_id": np.full(k, ctx.province.organ_ids[place.code], dtype=np.int64),
        }
    )
