"""The province around the units: divisions, police organs, products and practitioners.

Small tables (hundreds of divisions, thousands of companies), drawn from their own random
streams, so they do not change when the number of units per county does. The demo's real city
of the regime (e.g. 广州市 and its seven districts for guangdong-2017) is the first city; the
others get generated codes under the regime's jurisdiction prefix and generated names.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

import numpy as np
import polars as pl

from jifang import law
from jifang.law import vocabulary as v
from jifang.law.errors import NoRegimeError
from jifang.platform.demo import data as D
from jifang.platform.demo.planner import certificate_number

from . import catalog as C
from . import text as T
from .profiles import Book, warning_duties

STREAM_GEOGRAPHY, STREAM_PRACTITIONERS = 1, 2


@dataclass
class City:
    code: str
    name: str
    area_code: str
    phone_digits: int
    streets: tuple[str, ...]
    scenic: tuple[str, ...]
    hubs: tuple[str, ...]

    @property
    def short(self) -> str:
        return self.name.removesuffix("市")


@dataclass
class County:
    code: str
    name: str
    city: int  # index in Province.cities
    central: bool  # wholly inside the central urban area (regime data)
    units: int = 0

    @property
    def short(self) -> str:
        return self.name[:-1] if len(self.name) > 2 and self.name[-1] in "区县市" else self.name


@dataclass
class Province:
    regime: str
    code: str
    name: str
    abbr: str
    cities: list[City]
    counties: list[County]
    home: str  # the two-digit province code practitioners call home
    division_ids: dict[str, int] = field(default_factory=dict)
    organ_ids: dict[str, int] = field(default_factory=dict)  # division code -> its organ's id

    @property
    def representative(self) -> str:
        """A county the regime does not treat as wholly central urban."""
        return next((c.code for c in self.counties if not c.central), self.counties[0].code)


def rng(seed: int, *stream: int) -> np.random.Generator:
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, *stream])))


def _words(r: np.random.Generator, k: int, exclude: set[str] = frozenset()) -> list[str]:
    pool = [w for w in C.NAME_WORDS if w not in exclude]
    return [pool[i] for i in r.permutation(len(pool))[:k]]


def _streets(r: np.random.Generator) -> tuple[str, ...]:
    words = _words(r, 10)
    return tuple(
        w + C.STREET_SUFFIXES[i]
        for w, i in zip(words, r.integers(0, len(C.STREET_SUFFIXES), 10), strict=True)
    )


def _counties(
    r: np.random.Generator, city: str, count: int, taken: set[str], names: set[str]
) -> list[tuple[str, str]]:
    """(code, name) of generated counties: districts 02–19, counties 21–35, cities 81–84.
    Names are two characters from the demo's words, never repeated in the province (police
    organs are named after them)."""
    slots = [(f"{n:02d}", "区") for n in range(2, 20)] + [(f"{n:02d}", "县") for n in range(21, 36)]
    slots += [(f"{n:02d}", "市") for n in range(81, 85)]
    slots = [s for s in slots if city[:4] + s[0] not in taken]
    picks = sorted(r.choice(len(slots), size=min(count, len(slots)), replace=False).tolist())
    out = []
    for p in picks:
        while True:
            a, b = r.integers(0, len(C.NAME_WORDS), 2)
            name = C.NAME_WORDS[a][0] + C.NAME_WORDS[b][1]
            if name not in names:
                names.add(name)
                break
        out.append((city[:4] + slots[p][0], name + slots[p][1]))
    return out


def build(regime_id: str, units: int, seed: int) -> Province:
    """The divisions of a province of `units` units under the regime, and how many units each
    county holds."""
    regime = law.load(regime_id)
    prefix = regime.jurisdiction.division_prefixes[0]
    demo = next((c for c in D.CITIES if c.regime == regime_id), None)
    r = rng(seed, STREAM_GEOGRAPHY)
    code = prefix[:2] + "0000"
    name = demo.province if demo else regime.jurisdiction.name
    abbr = demo.abbr if demo else ""
    central = set(regime.provisions.installation.central_urban_divisions)
    cities: list[City] = []
    counties: list[County] = []
    if demo is not None:
        cities.append(
            City(
                demo.code,
                demo.name,
                demo.area_code,
                demo.phone_digits,
                demo.streets,
                demo.scenic,
                demo.hubs,
            )
        )
        counties += [County(c.code, c.name, 0, c.code in central) for c in demo.counties]
    if len(prefix) == 2:
        wanted = min(21, max(2, math.ceil(units / 10_000)))
        numbers = [n for n in range(1, 54) if f"{prefix}{n:02d}00" not in {c.code for c in cities}]
        taken_names = {c.short for c in cities} | {c.short for c in counties}
        for n in (
            sorted(r.choice(numbers, size=wanted - len(cities), replace=False).tolist())
            if wanted > len(cities)
            else []
        ):
            short = _words(r, 1, taken_names)[0]
            taken_names.add(short)
            city = City(
                f"{prefix}{n:02d}00",
                short + "市",
                f"0{r.integers(660, 999)}",
                int(r.choice([7, 8])),
                _streets(r),
                tuple(_words(r, 6)),
                C.HUBS,
            )
            cities.append(city)
            for ccode, cname in _counties(r, city.code, int(r.integers(4, 12)), set(), taken_names):
                counties.append(County(ccode, cname, len(cities) - 1, ccode in central))
    elif not cities:  # a city-level regime with no demo city: the city alone
        short = _words(r, 1)[0]
        cities.append(
            City(
                prefix[:4] + "00",
                regime.jurisdiction.name,
                "0571",
                8,
                _streets(r),
                tuple(_words(r, 6)),
                C.HUBS,
            )
        )
    if len(prefix) >= 4:
        extra = min(8, max(0, math.ceil(units / 50_000) - len(counties)))
        if extra or not counties:
            taken = {c.code for c in counties}
            names = {c.short for c in cities} | {c.short for c in counties}
            for ccode, cname in _counties(r, cities[0].code, max(extra, 1), taken, names):
                counties.append(County(ccode, cname, 0, ccode in central))
    counties.sort(key=lambda c: c.code)
    # Urban districts are bigger than rural counties: log-normal weights, exact total.
    weights = np.exp(r.normal(0.0, 0.6, len(counties)))
    share = weights / weights.sum() * units
    counts = np.floor(share).astype(np.int64)
    counts[np.argsort(-(share - counts), kind="stable")[: units - counts.sum()]] += 1
    for county, n in zip(counties, counts, strict=True):
        county.units = int(n)
    home = prefix[:2]
    return Province(regime_id, code, name, abbr, cities, counties, home)


def regime_of(code: str, as_of: dt.date) -> str:
    try:
        return law.resolve(None, code, as_of).id
    except NoRegimeError:
        return ""


# --- the small tables ------------------------------------------------------------------------


def geography(
    p: Province, as_of: dt.date, seed: int, ids: dict[str, int], existing: dict[str, dict]
) -> dict[str, pl.DataFrame]:
    """Divisions and one police organ per division; rows already in the database (same code,
    same organ name) are reused, not written again."""
    rows = [(p.code, p.name, "province", None)]
    rows += [(c.code, c.name, "city", p.code) for c in p.cities]
    rows += [(c.code, c.name, "county", p.cities[c.city].code) for c in p.counties]
    known = existing.get("division", {})
    division, next_id = [], ids["geo.division"]
    for code, name, level, parent in rows:
        if code in known:
            p.division_ids[code] = known[code]
            continue
        p.division_ids[code] = next_id
        division.append(
            (
                next_id,
                code,
                name,
                level,
                p.division_ids.get(parent) if parent else None,
                regime_of(code, as_of),
            )
        )
        next_id += 1
    r = rng(seed, STREAM_GEOGRAPHY, 1)
    organs = [
        (
            p.code,
            f"{p.name.removesuffix('省')}省公安厅" if p.name.endswith("省") else f"{p.name}公安厅",
            C.PROVINCE_OFFICE,
            "",
        )
    ]
    for c in p.cities:
        organs.append((c.code, f"{c.name}公安局", C.CITY_OFFICE, c.area_code))
    for c in p.counties:
        city = p.cities[c.city]
        name = f"{c.name}公安局" if c.name[-1] in "县市" else f"{city.name}公安局{c.name}分局"
        organs.append((c.code, name, C.COUNTY_OFFICE, city.area_code))
    known_organs = existing.get("organ", {})
    organ, next_id = [], ids["geo.policeorgan"]
    for code, name, office, area in organs:
        if name in known_organs:
            p.organ_ids[code] = known_organs[name]
            continue
        p.organ_ids[code] = next_id
        phone = f"{area}-{r.integers(2, 9)}{r.integers(0, 10**6):06d}0" if area else ""
        organ.append((next_id, name, p.division_ids[code], office, phone))
        next_id += 1
    return {
        "geo.division": pl.DataFrame(division, schema=DIVISION, orient="row"),
        "geo.policeorgan": pl.DataFrame(organ, schema=ORGAN, orient="row"),
    }


DIVISION = {
    "id": pl.Int64,
    "code": pl.String,
    "name": pl.String,
    "level": pl.String,
    "parent_id": pl.Int64,
    "regime_id": pl.String,
}
ORGAN = {
    "id": pl.Int64,
    "name": pl.String,
    "division_id": pl.Int64,
    "office": pl.String,
    "phone": pl.String,
}
PRODUCT = {
    "id": pl.Int64,
    "name": pl.String,
    "model_number": pl.String,
    "manufacturer": pl.String,
    "certification": pl.String,
    "certificate_number": pl.String,
}


@dataclass
class Products:
    ids: np.ndarray  # id of each catalogue product, in D.PRODUCTS order
    kind: np.ndarray
    certified: np.ndarray  # bool
    certificate: np.ndarray  # the certificate number devices carry


def products(ids: dict[str, int], existing: dict[str, dict]) -> tuple[pl.DataFrame, Products]:
    known = existing.get("product", {})
    rows, out_ids, next_id = [], [], ids["systems.product"]
    for prod in D.PRODUCTS:
        _kind, name, model, maker, cert = prod
        if (maker, model) in known:
            out_ids.append(known[(maker, model)])
            continue
        rows.append((next_id, name, model, maker, cert, certificate_number(prod)))
        out_ids.append(next_id)
        next_id += 1
    catalogue = Products(
        np.array(out_ids, dtype=np.int64),
        np.array([p[0] for p in D.PRODUCTS]),
        np.array([p[4] == "certified" for p in D.PRODUCTS]),
        np.array([certificate_number(p) for p in D.PRODUCTS]),
    )
    return pl.DataFrame(rows, schema=PRODUCT, orient="row"), catalogue


@dataclass
class Practitioners:
    """The companies units hire, by kind: ids and certificate grade of each."""

    ids: dict[str, np.ndarray]
    levels: dict[str, np.ndarray]


def practitioners(
    p: Province, book: Book, units: int, seed: int, ids: dict[str, int]
) -> tuple[dict[str, pl.DataFrame], Practitioners]:
    """Practitioners with their certificates and staff. Lawful companies (local or filed from
    another province) build most systems; each kind of unlawful one exists for the breaches."""
    regime = law.load(p.regime)
    r = rng(seed, STREAM_PRACTITIONERS)
    total = max(4 * len(C.PRACTITIONER_KINDS), math.ceil(units / C.UNITS_PER_PRACTITIONER))
    kinds: list[str] = []
    for kind, share in C.PRACTITIONER_KINDS[1:]:
        kinds += [kind] * max(2, round(total * share))
    kinds = ["good"] * max(4, total - len(kinds)) + kinds
    order = r.permutation(len(kinds))
    kinds = [kinds[i] for i in order]
    first_id = ids["practitioners.practitioner"]
    others = [x for x in C.OTHER_PROVINCES if x != p.home]
    grades = np.arange(1, book.levels + 1)
    grade_weights = grades / grades.sum()  # lower grades (larger numbers) are commoner
    neglected = warning_duties(regime)
    reason = (
        "承建项目未履行"
        + "、".join(v.PRACTITIONER_DUTIES[d] for d in neglected)
        + "义务，经责令改正逾期未改，列入警示公告名录"
    )
    org = np.array(["91"] * len(kinds))
    county_of = r.integers(0, len(p.counties), len(kinds))
    divisions = np.array([p.counties[i].code for i in county_of])
    serials = np.arange(first_id, first_id + len(kinds)) + 10**7  # apart from units' serials
    salt = (int(r.integers(1, 10**6)), int(r.integers(0, 10**9)))
    codes = T.uscc(org, divisions, serials, salt)
    rows, certs, staff = [], [], []
    cert_id, staff_id = (
        ids["practitioners.qualificationcertificate"],
        ids["practitioners.personnel"],
    )
    names: set[str] = set()
    by_kind: dict[str, list[int]] = {}
    level_of: dict[str, list[int]] = {}
    pairs = len(D.SURNAMES) * len(D.GIVEN_NAMES)
    strongest = kinds.index("good")
    for n, kind in enumerate(kinds):
        pid = first_id + n
        county = p.counties[county_of[n]]
        city = p.cities[county.city]
        local = kind not in {"cross", "cross_unfiled"}
        for _ in range(50):
            brand = D.BRANDS[r.integers(len(D.BRANDS))][0] + D.BRANDS[r.integers(len(D.BRANDS))][1]
            name = D.PRACTITIONER_NAMES[r.integers(len(D.PRACTITIONER_NAMES))].format(
                c=city.short, brand=brand
            )
            if name not in names:
                break
        else:
            name = f"{name}（{n}）"
        names.add(name)
        level = int(r.choice(grades, p=grade_weights))
        if n == strongest:  # at least one company a job can ask too much of
            level = book.levels
        if kind == "expired":
            level = min(3, book.levels)
        duties = dict.fromkeys(v.PRACTITIONER_DUTIES, True)
        if kind == "warning":
            duties.update(dict.fromkeys(neglected, False))
        filed = kind != "unfiled"
        year = int(r.integers(2015, book.as_of.year))
        rows.append(
            (
                pid,
                name,
                str(codes[n]),
                p.home if local else others[int(r.integers(len(others)))],
                p.division_ids[county.code] if local else None,
                f"{p.name}{city.name}{county.name}{city.streets[r.integers(len(city.streets))]}{r.integers(1, 889)}号"
                if local
                else "",
                filed,
                f"{p.abbr}公技防备字〔{year}〕{pid:05d}号" if filed else "",
                {"cross": True, "cross_unfiled": False}.get(kind),
                _json(duties),
                kind == "warning",
                reason if kind == "warning" else "",
            )
        )
        issuer = p.organ_ids.get(city.code) if local else None
        if kind != "unfiled":
            if kind == "expired":
                until = book.as_of - dt.timedelta(days=int(r.integers(60, 400)))
                start = until - dt.timedelta(days=5 * 365)
            else:
                start = (book.as_of - dt.timedelta(days=int(r.integers(180, 3 * 365)))).replace(
                    day=1
                )
                until = start.replace(year=start.year + 8) - dt.timedelta(days=1)
                if r.random() < 0.4:  # an earlier certificate of a lower grade, long expired
                    old = start.replace(year=start.year - 6)
                    old_level = min(book.levels, level + 1)
                    certs.append(
                        (
                            cert_id,
                            pid,
                            old_level,
                            _cert_no(p, old_level, old, cert_id),
                            issuer,
                            old,
                            old.replace(year=old.year + 5) - dt.timedelta(days=1),
                        )
                    )
                    cert_id += 1
            certs.append(
                (cert_id, pid, level, _cert_no(p, level, start, cert_id), issuer, start, until)
            )
            cert_id += 1
        first = int(r.integers(pairs))
        for k in range(int(r.integers(2, 6))):
            pair = (first + 7 * k) % pairs  # 7 is prime to the number of pairs: no repeats
            person = (
                D.SURNAMES[pair // len(D.GIVEN_NAMES)] + D.GIVEN_NAMES[pair % len(D.GIVEN_NAMES)]
            )
            staff.append(
                (
                    staff_id,
                    pid,
                    person,
                    D.PERSONNEL_ROLES[r.integers(len(D.PERSONNEL_ROLES))],
                    bool(r.random() < 0.9),
                )
            )
            staff_id += 1
        by_kind.setdefault(kind, []).append(pid)
        level_of.setdefault(kind, []).append(level)
    frames = {
        "practitioners.practitioner": pl.DataFrame(rows, schema=PRACTITIONER, orient="row"),
        "practitioners.qualificationcertificate": pl.DataFrame(
            certs, schema=CERTIFICATE, orient="row"
        ),
        "practitioners.personnel": pl.DataFrame(staff, schema=PERSONNEL, orient="row"),
    }
    return frames, Practitioners(
        {k: np.array(x, dtype=np.int64) for k, x in by_kind.items()},
        {k: np.array(x, dtype=np.int64) for k, x in level_of.items()},
    )


def _cert_no(p: Province, level: int, start: dt.date, seq: int) -> str:
    return f"{p.abbr}技防资{level}字第{start.year}{seq:06d}号"


def _json(value: dict) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)


PRACTITIONER = {
    "id": pl.Int64,
    "name": pl.String,
    "uscc": pl.String,
    "home_province": pl.String,
    "division_id": pl.Int64,
    "address": pl.String,
    "filed": pl.Boolean,
    "filing_number": pl.String,
    "out_of_province_filed": pl.Boolean,
    "duties": pl.String,
    "on_warning_list": pl.Boolean,
    "warning_reason": pl.String,
}
CERTIFICATE = {
    "id": pl.Int64,
    "practitioner_id": pl.Int64,
    "level": pl.Int64,
    "number": pl.String,
    "issuing_organ_id": pl.Int64,
    "valid_from": pl.Date,
    "valid_until": pl.Date,
}
PERSONNEL = {
    "id": pl.Int64,
    "practitioner_id": pl.Int64,
    "name": pl.String,
    "role": pl.String,
    "trained": pl.Boolean,
}
