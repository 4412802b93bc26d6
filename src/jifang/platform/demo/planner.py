"""Plan the demo jurisdiction from a seed: plain data, no database (writer.py stores it).

`plan(seed, units_per_city)` draws everything from one `random.Random` per city (seeded with a
string, which Python hashes with SHA-512, so it is stable across runs and machines), in list
order, and dates everything from `BASE_DATE`: the same seed gives the same plan everywhere.

A share of units (`VIOLATING_SHARE`) are planned to break the law, each in one or two ways chosen
from the provisions its regime actually has and whose scope reaches it (a camera in a hotel room
only where the regime lists hotel rooms, retention only where a minimum is set, and so on); the
rest are planned compliant: every fact the engine asks about is set and lawful. Which places must
install is asked of the engine itself (`law.assess` on the place alone), never guessed.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache

from jifang import law
from jifang.platform.core.validators import USCC_ALPHABET, uscc_check_char

from . import data as D
from .data import BASE_DATE, DEFAULT_SEED, DEFAULT_UNITS_PER_CITY

VIOLATING_SHARE = 0.35

UNIT_DUTIES = (
    "duty_monitoring",
    "self_inspection",
    "maintenance",
    "info_access_register",
    "confidentiality",
    "staff_training",
    "emergency_plan",
    "records_ledger",
)
PRACTITIONER_DUTIES = (
    "follow_design",
    "signage",
    "staff_training",
    "client_confidentiality",
    "staff_registration",
    "quality",
    "archive",
)

# The ways a unit can break the law, in the order each city's rotation starts from (shuffled).
VIOLATION_KINDS = (
    "install",
    "privacy",
    "retention",
    "signage",
    "acceptance",
    "system_other",
    "duties",
    "practitioner",
    "public_area",
    "act",
    "install",
    "retention",
    "system_other",
    "privacy",
)


# --- the plan ----------------------------------------------------------------------------------


@dataclass
class PlaceSpec:
    key: str
    name: str
    categories: list[str]
    locations: tuple[str, ...]
    public_area: bool = False
    anti_terror_target: bool = False
    police_key_place: bool = False
    central_urban: bool | None = None
    new_construction: bool = False

    def model_fields(self) -> dict:
        return {
            "name": self.name,
            "categories": list(self.categories),
            "public_area": self.public_area,
            "anti_terror_target": self.anti_terror_target,
            "police_key_place": self.police_key_place,
            "central_urban": self.central_urban,
            "new_construction": self.new_construction,
        }


def place_flags(place) -> tuple[tuple[str, bool], ...]:
    """The flags of a place (demo or synthetic) that decide whether it must install."""
    return (
        ("anti_terror_target", place.anti_terror_target),
        ("police_key_place", place.police_key_place),
        ("central_urban", bool(place.central_urban)),
        ("new_construction", place.new_construction),
    )


@dataclass
class DeviceSpec:
    code: str
    kind: str
    location: str
    video: bool
    audio: bool
    product: tuple[str, str] | None  # (manufacturer, model_number)
    certificate_number: str = ""
    place: str | None = None  # the place it watches (plan only, not stored)


@dataclass
class SystemSpec:
    key: str
    name: str
    places: list[str]
    subsystems: list[str]
    facts: dict
    practitioner: str | None = None  # the practitioner's USCC
    devices: list[DeviceSpec] = field(default_factory=list)

    @property
    def in_use(self) -> bool:
        return self.facts["status"] == "in_use"


@dataclass
class OrderSpec:
    finding: str
    subject: tuple[
        str, str | None
    ]  # (kind, key): ("system", "s1"), ("device", "s1/C03"), ("unit", None)
    served: dt.date
    deadline: dt.date
    corrected: bool = False
    harm: bool = False
    serious: bool = False


@dataclass
class ActSpec:
    code: str
    by: str
    occurred: dt.date
    serious: bool = False
    illegal_income: Decimal = Decimal("0.00")


@dataclass
class UnitSpec:
    city: str  # the city's code
    regime: str
    archetype: str
    name: str
    kind: str
    uscc: str | None
    division: str
    address: str
    phone: str
    duties: dict[str, bool]
    persons: list[tuple[str, str, str]]  # (name, role, phone)
    places: list[PlaceSpec]
    systems: list[SystemSpec]
    orders: list[OrderSpec] = field(default_factory=list)
    acts: list[ActSpec] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)  # the kinds of breach planned
    expected_findings: list[str] = field(default_factory=list)  # finding codes planned

    @property
    def compliant(self) -> bool:
        return not self.expected_findings

    def place(self, key: str) -> PlaceSpec:
        return next(p for p in self.places if p.key == key)


@dataclass
class CertificateSpec:
    level: int
    number: str
    issuer: str  # the police organ's name
    valid_from: dt.date
    valid_until: dt.date


@dataclass
class PractitionerSpec:
    role: str  # good | unfiled | expired | cross | cross_unfiled | warning
    name: str
    uscc: str
    division: str
    address: str
    filed: bool
    filing_number: str
    out_of_province_filed: bool | None
    duties: dict[str, bool]
    on_warning_list: bool = False
    warning_reason: str = ""
    certificates: list[CertificateSpec] = field(default_factory=list)
    personnel: list[tuple[str, str, bool]] = field(default_factory=list)  # (name, role, trained)

    def level_on(self, day: dt.date) -> int | None:
        levels = [c.level for c in self.certificates if c.valid_from <= day <= c.valid_until]
        return min(levels) if levels else None


@dataclass
class Plan:
    seed: int
    units_per_city: int
    divisions: list[tuple[str, str, str, str | None]]  # (code, name, level, parent code)
    police: list[tuple[str, str, str, str]]  # (name, division code, office, phone)
    products: list[
        tuple[str, str, str, str, str]
    ]  # (kind, name, model, manufacturer, certification)
    practitioners: list[PractitionerSpec]
    units: list[UnitSpec]


# --- the engine's view of a place ----------------------------------------------------------------


@cache
def install_status(
    regime_id: str, division: str, categories: tuple[str, ...], flags: tuple[tuple[str, bool], ...]
) -> str:
    """What the regime says of a place with no system: required, advisory, none or unknown."""
    place = {"id": "p", "categories": list(categories), **{k: v for k, v in flags if v}}
    result = law.assess(
        {
            "regime": regime_id,
            "division": division,
            "as_of": BASE_DATE.isoformat(),
            "unit": {"places": [place]},
        }
    )
    for ob in result["obligations"]:
        if ob["subject"] != "p":
            continue
        if ob["code"] == "TAKE_MEASURES":
            return "advisory"
        if ob["code"] == "INSTALL":
            return {"violated": "required", "insufficient_facts": "unknown"}.get(
                ob["status"], "none"
            )
    return "none"


def _status(unit: UnitSpec, place: PlaceSpec) -> str:
    if place.public_area:
        return "public_area"
    return install_status(unit.regime, unit.division, tuple(place.categories), place_flags(place))


def _scope_ok(regime, scopes, unit: UnitSpec, system: SystemSpec | None) -> bool:
    """Whether a provision scoped to `scopes` certainly reaches the system (or the unit)."""
    pool = [unit.place(k) for k in system.places] if system and system.places else unit.places
    public = set(regime.provisions.public_place_categories)
    for scope in scopes:
        if scope == "all":
            ok = True
        elif scope == "system_user":
            ok = bool(unit.systems)
        elif scope == "key_unit":
            ok = any(_status(unit, p) in {"required", "public_area"} for p in pool)
        elif scope == "must_install":
            ok = any(_status(unit, p) == "required" for p in pool)
        elif scope == "public_place":
            ok = any(p.public_area or public & set(p.categories) for p in pool)
        elif scope == "public_area":
            ok = any(p.public_area for p in pool)
        elif scope == "new_construction":
            ok = any(p.new_construction for p in pool)
        elif scope == "video":
            systems = [system] if system else unit.systems
            ok = any("video" in s.subsystems for s in systems)
        else:
            ok = False
        if not ok:
            return False
    return True


def required_retention(regime, places: Iterable) -> int:
    """The days the regime asks of a system covering `places` (anything with the place flags
    as attributes: the demo's places and the synthetic province's)."""
    rule = regime.provisions.retention
    if rule is None:
        return 0
    days = rule.days
    for raise_ in rule.raises:
        if any(getattr(p, raise_.flag) for p in places):
            days = max(days, raise_.days)
    return days


# --- the planner ---------------------------------------------------------------------------------


def _org_code_check(body: str) -> str:
    """GB 11714's check character of an eight-character organisation code."""
    weights = (3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(
        (int(c) if c.isdigit() else ord(c) - 55) * w for c, w in zip(body, weights, strict=True)
    )
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


class Planner:
    def __init__(self, seed: int, units_per_city: int) -> None:
        self.seed = seed
        self.units_per_city = units_per_city
        self.usccs: set[str] = set()
        self.names: set[str] = set()
        self.cert_seq = 0
        self.practitioners: list[PractitionerSpec] = []
        self.pools: dict[str, dict[str, list[PractitionerSpec]]] = {}
        self.products = list(D.PRODUCTS)

    def rng(self, *parts: object) -> random.Random:
        # A string seed is hashed with SHA-512: stable across runs and machines.
        return random.Random("/".join(str(p) for p in (self.seed, *parts)))

    # identifiers

    def uscc(self, rng: random.Random, org: str, division: str) -> str:
        while True:
            if org.startswith("9"):
                body = "MA" + "".join(rng.choice(USCC_ALPHABET) for _ in range(6))
            else:
                body = "".join(rng.choice("0123456789") for _ in range(8))
            first17 = org + division + body + _org_code_check(body)
            code = first17 + uscc_check_char(first17)
            if code not in self.usccs:
                self.usccs.add(code)
                return code

    @staticmethod
    def person(rng: random.Random) -> str:
        return rng.choice(D.SURNAMES) + rng.choice(D.GIVEN_NAMES)

    @staticmethod
    def mobile(rng: random.Random) -> str:
        return f"1{rng.choice('3589')}{rng.randint(0, 9)}{rng.randint(0, 99999999):08d}"

    @staticmethod
    def landline(rng: random.Random, city: D.City) -> str:
        first = rng.randint(2, 8)
        rest = rng.randint(0, 10 ** (city.phone_digits - 1) - 1)
        return f"{city.area_code}-{first}{rest:0{city.phone_digits - 1}d}"

    # geography

    def geography(self) -> tuple[list, list]:
        divisions, police = [], []
        for city in D.CITIES:
            rng = self.rng("police", city.code)
            divisions.append((city.province_code, city.province, "province", None))
            divisions.append((city.code, city.name, "city", city.province_code))
            police.append(
                (
                    f"{city.name}公安局",
                    city.code,
                    "治安管理支队技术防范管理办公室（技防办）",
                    self.landline(rng, city),
                )
            )
            for county in city.counties:
                divisions.append((county.code, county.name, "county", city.code))
                organ = (
                    f"{county.name}公安局"
                    if county.name.endswith("县")
                    else f"{city.name}公安局{county.name}分局"
                )
                police.append((organ, county.code, "治安管理大队技防科", self.landline(rng, city)))
        return divisions, police

    # practitioners

    def _certificate(self, city: D.City, level: int, start: dt.date, years: int) -> CertificateSpec:
        self.cert_seq += 1
        until = dt.date(start.year + years, start.month, 1) - dt.timedelta(days=1)
        return CertificateSpec(
            level,
            f"{city.abbr}技防资{level}字第{start.year}{self.cert_seq:04d}号",
            f"{city.name}公安局",
            start,
            until,
        )

    def _practitioner(
        self, rng: random.Random, city: D.City, role: str, level: int | None, seq: int
    ) -> PractitionerSpec:
        county = rng.choice(city.counties)
        while True:
            name = rng.choice(D.PRACTITIONER_NAMES).format(c=city.short, brand=rng.choice(D.BRANDS))
            if name not in self.names:
                self.names.add(name)
                break
        filed = role != "unfiled"
        pr = PractitionerSpec(
            role=role,
            name=name,
            uscc=self.uscc(rng, "91", county.code),
            division=county.code,
            address=f"{city.province}{city.name}{county.name}{rng.choice(city.streets)}"
            f"{rng.randint(1, 888)}号",
            filed=filed,
            filing_number=f"{city.abbr}公技防备字〔{2017 + seq % 6}〕{seq:03d}号" if filed else "",
            out_of_province_filed=True
            if role == "cross"
            else (False if role == "cross_unfiled" else None),
            duties=dict.fromkeys(PRACTITIONER_DUTIES, True),
        )
        if level is not None:
            # Valid certificates run eight years, so they still hold for years after BASE_DATE.
            start = dt.date(2021 + rng.randint(0, 2), rng.randint(1, 12), 1)
            if role == "expired":
                # The last certificate ran out half a year before the demo's date.
                pr.certificates.append(self._certificate(city, level, dt.date(2018, 12, 1), 5))
            else:
                if rng.random() < 0.4:  # an earlier certificate, long expired
                    pr.certificates.append(
                        self._certificate(city, min(4, level + 1), dt.date(start.year - 6, 3, 1), 5)
                    )
                pr.certificates.append(self._certificate(city, level, start, 8))
        for _ in range(rng.randint(2, 5)):
            pr.personnel.append(
                (self.person(rng), rng.choice(D.PERSONNEL_ROLES), rng.random() < 0.9)
            )
        if role == "warning":
            pr.on_warning_list = True
            pr.warning_reason = (
                "2023年承建项目未按设计方案施工、未建立施工人员登记档案，"
                "经责令改正逾期未改，列入警示公告名录"
            )
            pr.duties.update(staff_registration=False, archive=False)
        return pr

    def practitioners_plan(self) -> None:
        for city in D.CITIES:
            rng = self.rng("practitioners", city.code)
            roles = [
                ("good", 1),
                ("good", 2),
                ("good", 3),
                ("good", 4),
                ("unfiled", None),
                ("expired", 3),
                ("cross", 2),
            ]
            if city.regime == "hangzhou-2018":
                roles.append(("cross_unfiled", 2))
            if city.regime == "guangdong-2017":
                roles.append(("warning", 3))
            pool: dict[str, list[PractitionerSpec]] = {}
            for seq, (role, level) in enumerate(roles, 1):
                pr = self._practitioner(rng, city, role, level, seq)
                self.practitioners.append(pr)
                pool.setdefault(role, []).append(pr)
            self.pools[city.code] = pool

    def _good_practitioner(self, rng: random.Random, city: D.City) -> PractitionerSpec:
        if rng.random() < 0.15:
            others = [c for c in D.CITIES if c.code != city.code]
            return self.pools[rng.choice(others).code]["cross"][0]
        return rng.choice(self.pools[city.code]["good"])

    # units

    def _name(self, rng: random.Random, arch: D.Archetype, ctx: dict) -> str:
        for attempt in range(30):
            pick = dict(ctx)
            if attempt:
                pick.update(
                    brand=rng.choice(D.BRANDS),
                    word=rng.choice(D.PLACE_WORDS),
                    street=rng.choice(ctx["streets"]),
                    num=rng.choice(D.NUMERALS),
                    scenic=rng.choice(ctx["scenics"]),
                    hub=rng.choice(ctx["hubs"]),
                    person=ctx["new_person"](),
                )
            name = rng.choice(arch.names).format(**pick)
            if name not in self.names:
                self.names.add(name)
                return name
        n = 2
        while f"{name}（{D.NUMERALS[n - 1]}部）" in self.names:
            n += 1
        name = f"{name}（{D.NUMERALS[n - 1]}部）"
        self.names.add(name)
        return name

    def _devices(
        self,
        rng: random.Random,
        places: list[PlaceSpec],
        subsystems: list[str],
        low: int = 3,
        high: int = 15,
    ) -> list[DeviceSpec]:
        total = rng.randint(low, high)
        locations = [loc for p in places for loc in p.locations]
        extras: list[tuple[str, str]] = []
        for sub, kind, where in D.EXTRA_DEVICES:
            if sub not in subsystems:
                continue
            loc = next((w for w in where if w in locations), where[-1])
            extras += [(kind, loc)] * (rng.randint(1, 2) if kind == "alarm" else 1)
        cameras = [p for p in places if p.locations]
        n_cam = max(len(cameras), total - len(extras)) if "video" in subsystems else 0
        cam_models = rng.sample(
            [p for p in self.products if p[0] == "camera" and p[4] == "certified"], 2
        )
        counters: Counter[str] = Counter()
        devices: list[DeviceSpec] = []

        def add(kind: str, loc: str, place: PlaceSpec | None, video: bool, audio: bool) -> None:
            counters[kind] += 1
            if kind == "camera":
                prod = rng.choice(cam_models)
            else:
                prod = rng.choice(
                    [p for p in self.products if p[0] == kind and p[4] == "certified"]
                )
            devices.append(
                DeviceSpec(
                    f"{D.DEVICE_PREFIX[kind]}{counters[kind]:02d}",
                    kind,
                    loc,
                    video,
                    audio,
                    (prod[3], prod[2]),
                    certificate_number(prod),
                    place.key if place else None,
                )
            )

        for i in range(n_cam):
            place = cameras[i] if i < len(cameras) else rng.choice(cameras)
            loc = rng.choice(place.locations)
            add("camera", loc, place, True, loc == "cashier" and rng.random() < 0.5)
        for kind, loc in extras:
            place = next((p for p in places if loc in p.locations), None)
            add(kind, loc, place, False, False)
        return devices

    def _system(
        self,
        rng: random.Random,
        unit: UnitSpec,
        city: D.City,
        key: str,
        name: str,
        places: list[PlaceSpec],
        subsystems: list[str],
        *,
        government: bool = False,
        status: str = "in_use",
        low: int = 3,
        high: int = 15,
    ) -> SystemSpec:
        regime = law.load(unit.regime)
        key_unit = any(_status(unit, p) in {"required", "public_area"} for p in places)
        need = required_retention(regime, places)
        pr = self._good_practitioner(rng, city)
        level = pr.level_on(BASE_DATE)
        devices = self._devices(rng, places, subsystems, low, high)
        subs = list(subsystems)
        if any(d.audio for d in devices) and "audio" not in subs:
            subs.append("audio")
        facts = {
            "status": status,
            "built_by_government": government,
            "design_review": "approved",
            "built_per_design": True,
            "built_with_project": True if any(p.new_construction for p in places) else None,
            "acceptance": "passed" if status in {"in_use", "accepted", "retired"} else None,
            "standards_compliant": True,
            "products_certified": True,
            "network_interface": True,
            "connected_to_police_platform": key_unit,
            "police_requested_connection": key_unit,
            "retention_days": max(need, rng.choice((30, 30, 30, 45, 60, 90))),
            "signage": True,
            "required_level": rng.randint(level, 4) if level else None,
        }
        return SystemSpec(key, name, [p.key for p in places], subs, facts, pr.uscc, devices)

    def _unit(self, rng: random.Random, city: D.City, arch: D.Archetype) -> UnitSpec:
        county = rng.choice(city.counties)
        ctx = {
            "brand": rng.choice(D.BRANDS),
            "word": rng.choice(D.PLACE_WORDS),
            "street": rng.choice(city.streets),
            "num": rng.choice(D.NUMERALS),
            "scenic": rng.choice(city.scenic),
            "hub": rng.choice(city.hubs).format(c=city.short),
            "person": self.person(rng),
            "county": county.name,
            "cs": _short(county.name),
            "city": city.name,
            "c": city.short,
            "streets": city.streets,
            "scenics": city.scenic,
            "hubs": [h.format(c=city.short) for h in city.hubs],
            "new_person": lambda: self.person(rng),
        }
        name = self._name(rng, arch, ctx)
        individual = arch.kind == "individual"
        unit = UnitSpec(
            city=city.code,
            regime=city.regime,
            archetype=arch.key,
            name=name,
            kind=arch.kind,
            uscc=None if individual else self.uscc(rng, arch.org, county.code),
            division=county.code,
            address=f"{city.province}{city.name}{county.name}{ctx['street']}{rng.randint(1, 888)}号",
            phone=self.mobile(rng) if individual else self.landline(rng, city),
            duties=dict.fromkeys(UNIT_DUTIES, True),
            persons=[],
            places=[],
            systems=[],
        )
        owner = ctx["person"] if individual else self.person(rng)
        unit.persons.append((owner, arch.roles[0], self.mobile(rng)))
        unit.persons.append((self.person(rng), arch.roles[1], self.mobile(rng)))
        for i, tpl in enumerate(arch.places, 1):
            place = PlaceSpec(
                f"p{i}",
                tpl.name.format(**ctx),
                list(tpl.categories),
                tpl.locations,
                public_area=tpl.public_area,
            )
            for flag in tpl.flags:
                setattr(place, flag, True)
            for flag in tpl.maybe_flags:
                if rng.random() < 0.3:
                    setattr(place, flag, True)
            if county.central_urban is not None and not place.public_area:
                place.central_urban = county.central_urban or rng.random() < 0.4
            unit.places.append(place)
        own = [p for p in unit.places if not p.public_area]
        unit.systems.append(
            self._system(
                rng,
                unit,
                city,
                "s1",
                arch.system_name,
                own,
                list(arch.subsystems),
                low=arch.devices[0],
                high=arch.devices[1],
            )
        )
        public = [p for p in unit.places if p.public_area]
        if public:
            unit.systems.append(
                self._system(
                    rng,
                    unit,
                    city,
                    "s2",
                    f"{county.name}社会面视频监控系统（{ctx['word']}片区）",
                    public,
                    ["video", "road_checkpoint", "video_analytics"],
                    government=True,
                    low=5,
                )
            )
        r = rng.random()
        if r < 0.10:
            unit.systems.append(
                self._system(
                    rng,
                    unit,
                    city,
                    f"s{len(unit.systems) + 1}",
                    "二期扩建视频监控系统（施工中）",
                    own[:1],
                    ["video"],
                    status="construction",
                    high=6,
                )
            )
        elif r < 0.16:
            unit.systems.append(
                self._system(
                    rng,
                    unit,
                    city,
                    f"s{len(unit.systems) + 1}",
                    "原模拟视频监控系统（已停用）",
                    own[:1],
                    ["video"],
                    status="retired",
                    high=5,
                )
            )
        return unit

    def _archetypes(self, rng: random.Random) -> list[D.Archetype]:
        first = [a for a in D.ARCHETYPES if a.weight == 0]
        core = [a for a in D.ARCHETYPES if a.core and a.weight]
        rng.shuffle(core)
        chosen = first + core
        weighted = [a for a in D.ARCHETYPES for _ in range(a.weight)]
        while len(chosen) < self.units_per_city:
            chosen.append(rng.choice(weighted))
        return chosen[: self.units_per_city]

    def units_plan(self, city: D.City) -> list[UnitSpec]:
        rng = self.rng("units", city.code)
        units = [self._unit(rng, city, arch) for arch in self._archetypes(rng)]
        vrng = self.rng("violations", city.code)
        n_bad = round(len(units) * VIOLATING_SHARE)
        bad = set(vrng.sample(range(len(units)), n_bad))
        kinds = list(VIOLATION_KINDS)
        vrng.shuffle(kinds)
        turn = 0
        for i, unit in enumerate(units):
            if i in bad:
                wanted = 2 if vrng.random() < 0.25 else 1
                # A camera in a room is the demo's signature breach: favour it where it applies.
                if vrng.random() < 0.5 and Violations(self, vrng, city, unit).apply("privacy"):
                    unit.violations.append("privacy")
                for _ in range(len(kinds)):
                    if len(unit.violations) == wanted:
                        break
                    kind = kinds[turn % len(kinds)]
                    turn += 1
                    if kind in unit.violations:
                        continue
                    if Violations(self, vrng, city, unit).apply(kind):
                        unit.violations.append(kind)
                if not unit.violations and Violations(self, vrng, city, unit).apply("standards"):
                    unit.violations.append("standards")  # standards bind every system
                self._orders_for_breach(vrng, unit)
            else:
                self._corrected_order(vrng, unit)
        return units

    def _orders_for_breach(self, rng: random.Random, unit: UnitSpec) -> None:
        # Orders on the first breach: overdue and uncorrected, or still within the deadline.
        orders = [o for o in unit.orders if not o.corrected]
        if not orders:
            return
        order = orders[0]
        r = rng.random()
        if r < 0.45:
            order.served = BASE_DATE - dt.timedelta(days=rng.randint(60, 150))
            order.deadline = order.served + dt.timedelta(days=30)
            order.harm = unit.regime == "hangzhou-2018" and rng.random() < 0.5
        elif r < 0.7:
            order.served = BASE_DATE - dt.timedelta(days=rng.randint(5, 20))
            order.deadline = order.served + dt.timedelta(days=30)
        else:
            unit.orders.remove(order)
        for extra in orders[1:]:
            unit.orders.remove(extra)

    def _corrected_order(self, rng: random.Random, unit: UnitSpec) -> None:
        if rng.random() >= 0.25 or not unit.systems:
            return
        served = BASE_DATE - dt.timedelta(days=rng.randint(200, 420))
        finding, subject = rng.choice(
            (
                ("SIGNAGE_MISSING", ("system", unit.systems[0].key)),
                ("USER_DUTIES_UNMET", ("unit", None)),
                ("RETENTION_SHORT", ("system", unit.systems[0].key)),
            )
        )
        unit.orders.append(
            OrderSpec(finding, subject, served, served + dt.timedelta(days=30), corrected=True)
        )

    def plan(self) -> Plan:
        divisions, police = self.geography()
        self.practitioners_plan()
        units = [u for city in D.CITIES for u in self.units_plan(city)]
        return Plan(
            self.seed,
            self.units_per_city,
            divisions,
            police,
            list(self.products),
            self.practitioners,
            units,
        )


def _short(county: str) -> str:
    return county[:-1] if len(county) > 2 and county[-1] in "区县市" else county


def certificate_number(product: tuple[str, str, str, str, str]) -> str:
    if product[4] != "certified":
        return ""
    digits = sum(ord(c) for c in product[2]) * 7919 % 10**10
    return f"CCC{2020 + len(product[2]) % 4}{digits:010d}"


class Violations:
    """The ways one unit is made to break its regime's provisions."""

    def __init__(self, planner: Planner, rng: random.Random, city: D.City, unit: UnitSpec) -> None:
        self.planner = planner
        self.rng = rng
        self.city = city
        self.unit = unit
        self.regime = law.load(unit.regime)

    def apply(self, kind: str) -> bool:
        return getattr(self, f"_{kind}")()

    def _record(self, finding: str, subject: tuple[str, str | None]) -> None:
        self.unit.expected_findings.append(finding)
        self.unit.orders.append(OrderSpec(finding, subject, BASE_DATE, BASE_DATE))

    def _in_use(self) -> list[SystemSpec]:
        return [s for s in self.unit.systems if s.in_use and not s.facts["built_by_government"]]

    def _install(self) -> bool:
        # Only as the first breach: removing a system would undo breaches planted on it.
        required = [p for p in self.unit.places if _status(self.unit, p) == "required"]
        if not required or self.unit.violations:
            return False
        place = self.rng.choice(required)
        for system in list(self.unit.systems):
            if place.key in system.places:
                system.places.remove(place.key)
                system.devices = [d for d in system.devices if d.place != place.key]
                if not system.places or not system.devices:
                    self.unit.systems.remove(system)
        self._record("INSTALL_REQUIRED_MISSING", ("place", place.key))
        return True

    def _privacy(self) -> bool:
        arch = next(a for a in D.ARCHETYPES if a.key == self.unit.archetype)
        rule = self.regime.provisions.privacy
        systems = [s for s in self._in_use() if "video" in s.subsystems]
        if rule is None or arch.privacy not in rule.locations or not systems:
            return False
        system = systems[0]
        n = sum(d.kind == "camera" for d in system.devices) + 1
        prod = next(p for p in self.planner.products if p[0] == "camera")
        device = DeviceSpec(
            f"C{n:02d}",
            "camera",
            arch.privacy,
            True,
            False,
            (prod[3], prod[2]),
            certificate_number(prod),
            system.places[0],
        )
        system.devices.append(device)
        self._record("PRIVACY_AREA_CAPTURE", ("device", f"{system.key}/{device.code}"))
        return True

    def _retention(self) -> bool:
        rule = self.regime.provisions.retention
        if rule is None:
            return False
        for system in self._in_use():
            if not _scope_ok(self.regime, rule.scope, self.unit, system):
                continue
            need = required_retention(self.regime, [self.unit.place(k) for k in system.places])
            system.facts["retention_days"] = self.rng.choice(
                (max(1, need // 4), need // 2, need - need // 3)
            )
            self._record("RETENTION_SHORT", ("system", system.key))
            return True
        return False

    def _check(self, facts: tuple[str, ...] | None, exclude: tuple[str, ...] = ()) -> bool:
        candidates = [
            (check, system)
            for check in self.regime.provisions.systems
            if (facts is None or check.fact in facts) and check.fact not in exclude
            for system in self._in_use()
            if _scope_ok(self.regime, check.scope, self.unit, system)
        ]
        if not candidates:
            return False
        check, system = self.rng.choice(candidates)
        for name, want in check.when.items():
            if name == "in_use":
                system.facts["status"] = "in_use" if want else "retired"
            else:
                system.facts[name] = want
        bad: object = False
        if check.fact == "design_review":
            bad = self.rng.choice(("none", "rejected"))
        elif check.fact == "acceptance":
            bad = self.rng.choice(("none", "none", "failed"))
        system.facts[check.fact] = bad
        if check.fact == "network_interface":
            system.facts["connected_to_police_platform"] = False
        if check.fact == "products_certified":
            cheap = [p for p in self.planner.products if p[0] == "camera" and p[4] != "certified"]
            cameras = [d for d in system.devices if d.kind == "camera"]
            for device in cameras[: self.rng.randint(1, max(1, len(cameras) // 2))]:
                prod = self.rng.choice(cheap)
                device.product = (prod[3], prod[2])
                device.certificate_number = ""
        self._record(check.finding, ("system", system.key))
        return True

    def _signage(self) -> bool:
        return self._check(("signage",))

    def _acceptance(self) -> bool:
        return self._check(("acceptance",))

    def _system_other(self) -> bool:
        return self._check(None, exclude=("signage", "acceptance", "standards_compliant"))

    def _standards(self) -> bool:
        return self._check(("standards_compliant",))

    def _duties(self) -> bool:
        rule = self.regime.provisions.unit_duties
        if rule is None or not _scope_ok(self.regime, rule.scope, self.unit, None):
            return False
        duties = list(rule.duties)
        for duty in self.rng.sample(duties, min(len(duties), self.rng.choice((1, 1, 2)))):
            self.unit.duties[duty] = False
        self._record("USER_DUTIES_UNMET", ("unit", None))
        return True

    def _practitioner(self) -> bool:
        rules = self.regime.provisions.practitioners
        pool = self.planner.pools[self.city.code]
        options: list[tuple[PractitionerSpec, int | None, str]] = []
        if rules.local_filing:
            options.append((pool["unfiled"][0], None, "PRACTITIONER_UNQUALIFIED"))
        if rules.out_of_province:
            for other in D.CITIES:
                for pr in self.planner.pools[other.code].get("cross_unfiled", []):
                    if other.province_code != self.city.province_code:
                        options.append((pr, None, "PRACTITIONER_UNQUALIFIED"))
        if rules.qualification:
            options.append((pool["expired"][0], 3, "PRACTITIONER_UNQUALIFIED"))
            low = next(p for p in pool["good"] if p.level_on(BASE_DATE) == 3)
            options.append((low, 1, "PRACTITIONER_UNQUALIFIED"))
            options.append((pool["unfiled"][0], 2, "PRACTITIONER_UNQUALIFIED"))
        if rules.duties:
            for pr in pool.get("warning", []):
                options.append((pr, 4, "PRACTITIONER_DUTIES_UNMET"))
        systems = self._in_use()
        if not options or not systems:
            return False
        pr, required, finding = self.rng.choice(options)
        system = systems[0]
        system.practitioner = pr.uscc
        system.facts["required_level"] = required
        self.unit.expected_findings.append(finding)  # served on the practitioner, not the unit
        return True

    def _public_area(self) -> bool:
        if self.regime.provisions.public_area is None or any(
            p.public_area for p in self.unit.places
        ):
            return False
        street = self.rng.choice(self.city.streets)
        place = PlaceSpec(
            f"p{len(self.unit.places) + 1}",
            f"门前{street}人行道（社会公共区域）",
            ["road_bridge_tunnel"],
            ("street",),
            public_area=True,
        )
        self.unit.places.append(place)
        system = self.planner._system(
            self.rng,
            self.unit,
            self.city,
            f"s{len(self.unit.systems) + 1}",
            "门前道路监控（自行安装）",
            [place],
            ["video"],
            low=3,
            high=5,
        )
        self.unit.systems.append(system)
        self._record("PUBLIC_AREA_PRIVATE_INSTALL", ("system", system.key))
        return True

    def _act(self) -> bool:
        rules = [
            r
            for r in self.regime.provisions.acts
            if _scope_ok(self.regime, r.scope, self.unit, None)
        ]
        if not rules:
            return False
        rule = self.rng.choice(rules)
        income = Decimal("0.00")
        if rule.code == "trade_or_spread_info":
            income = Decimal(self.rng.choice((1500, 3000, 8000))).quantize(Decimal("0.01"))
        act = ActSpec(
            rule.code,
            self.rng.choice(("unit", "individual")),
            BASE_DATE - dt.timedelta(days=self.rng.randint(15, 200)),
            serious=self.rng.random() < 0.15,
            illegal_income=income,
        )
        self.unit.acts.append(act)
        self._record(rule.finding, ("act", str(len(self.unit.acts) - 1)))
        return True


def plan(seed: int = DEFAULT_SEED, units_per_city: int = DEFAULT_UNITS_PER_CITY) -> Plan:
    """The demo as plain data (no database): the same seed always gives the same plan."""
    if units_per_city < 1:
        raise ValueError("units_per_city must be at least 1")
    return Planner(seed, units_per_city).plan()
