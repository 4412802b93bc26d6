"""The regime's view of a synthetic unit: profiles, breaches, and unit templates the engine
has checked.

A *profile* is a kind of unit (a demo archetype) with one choice of its places' optional flags
(anti-terror target, police key place, new construction, central urban area). A *breach* is one
way to break one provision of the regime, read from the regime data: leave a required place
uncovered, film a privacy location, fail one system check, keep footage too short, neglect a
duty, hire an unqualified company, commit a prohibited act. A *template* is a profile with at
most one breach and an optional second system under construction or retired: the places,
systems and facts every unit made from it gets (names, sizes and dates vary per unit).

Every template is assessed by the engine itself on a representative case file before any unit
is made from it: a compliant template must give no finding, and a breach is kept for a profile
only if the engine finds exactly the finding it was meant to produce (as many times as it
says). So the findings the generator plans are the engine's own, and a breach whose provision
does not reach a profile (out of scope, or unknown to the regime) is never planned for it.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import cache

from jifang import law
from jifang.law import vocabulary as v
from jifang.platform.demo import data as D
from jifang.platform.demo.planner import install_status, place_flags, required_retention

from . import catalog as C

PRACTITIONER_BREACHES = ("unfiled", "expired", "low", "cross_unfiled", "warning")
SECONDARIES = ("", *(kind for kind, _ in C.SECONDARY))
# Bad values of system facts that are not booleans (a choice among them per unit).
BAD_VALUES = {"design_review": ("none", "rejected"), "acceptance": ("none", "failed")}
PUBLIC_PLACE = D.PlaceTemplate(
    "门前{street}人行道（社会公共区域）", ("road_bridge_tunnel",), ("street",), public_area=True
)
SYSTEM_NAMES = {
    "public": "{county}社会面视频监控系统（{word}片区）",
    "breach": "门前道路监控（自行安装）",
    "construction": "二期扩建视频监控系统（施工中）",
    "retired": "原模拟视频监控系统（已停用）",
}
PUBLIC_SUBSYSTEMS = ("video", "road_checkpoint", "video_analytics")


@dataclass(frozen=True)
class PlaceSpec:
    name: str  # a name template ({street}, {word}, {scenic})
    categories: tuple[str, ...]
    locations: tuple[str, ...]
    public_area: bool = False
    anti_terror_target: bool = False
    police_key_place: bool = False
    central_urban: bool | None = None
    new_construction: bool = False
    status: str = (
        "none"  # what the regime says of it: required | advisory | none | unknown | public_area
    )

    @property
    def key(self) -> bool:
        return self.status in {"required", "public_area"}


@dataclass(frozen=True)
class SystemSpec:
    slot: str  # main | public (built by the government) | breach | construction | retired
    name: str
    places: tuple[int, ...]  # positions in the unit's places
    subsystems: tuple[str, ...]
    facts: tuple[tuple[str, object], ...]  # the System model's fact fields
    retention: int = 0  # the minimum the regime sets for its places (0: none)
    short_retention: bool = False
    practitioner: str = "ok"  # ok, or a PRACTITIONER_BREACHES kind
    privacy: str | None = None  # a camera at this privacy location
    uncertified: bool = False  # some cameras of uncertified products

    def fact(self, name: str) -> object:
        return dict(self.facts)[name]

    def with_facts(self, **changes: object) -> SystemSpec:
        return replace(self, facts=tuple({**dict(self.facts), **changes}.items()))


@dataclass(frozen=True)
class Breach:
    index: int
    kind: str  # install | public_area | privacy | check | retention | duties | practitioner | act
    finding: str
    place: int = -1  # install: the place left uncovered
    check: int = -1  # check: index in provisions.systems
    target: str = "main"  # check: the system slot it concerns
    duties: int = 0  # duties: how many are neglected
    practitioner: str = ""  # practitioner: the kind of company hired
    act: str = ""  # act: the act code

    @property
    def label(self) -> str:
        detail = {
            "install": f"p{self.place}",
            "check": f"{self.check}/{self.target}",
            "duties": str(self.duties),
            "practitioner": self.practitioner,
            "act": self.act,
        }.get(self.kind, "")
        return f"{self.kind}:{detail}" if detail else self.kind


@dataclass(frozen=True)
class Profile:
    index: int
    archetype: int
    mask: int  # which optional flags are set (bit k: the archetype's k-th optional flag)
    central: bool | None  # its own places lie in the central urban area (None: not asked)
    places: tuple[PlaceSpec, ...]
    share: float  # expected share of the province's units


@dataclass(frozen=True)
class Template:
    index: int
    profile: int
    breach: int  # -1: compliant
    secondary: str
    places: tuple[PlaceSpec, ...]
    systems: tuple[SystemSpec, ...]
    false_duties: int = 0
    act: str = ""
    findings: tuple[tuple[str, int], ...] = ()  # what the engine finds: (code, count)
    subject: tuple[str, int] = ("", -1)  # what an order on the breach names: (kind, position)


@dataclass
class Book:
    """Every profile, breach and checked template of one regime."""

    regime: str
    as_of: dt.date
    division: str  # the county the representative cases are set in
    levels: int
    retention_days: tuple[int, ...]  # retention periods units configure
    profiles: list[Profile] = field(default_factory=list)
    breaches: list[Breach] = field(default_factory=list)
    templates: list[Template] = field(default_factory=list)
    index: dict[tuple[int, int, str], int] = field(default_factory=dict)

    def template(self, profile: int, breach: int, secondary: str = "") -> Template | None:
        i = self.index.get((profile, breach, secondary))
        return None if i is None else self.templates[i]

    def findings(self) -> list[str]:
        """The findings this regime can produce here, in vocabulary order."""
        made = {b.finding for b in self.breaches if self._used(b.index)}
        return [code for code in v.FINDINGS if code in made]

    def _used(self, breach: int) -> bool:
        return any(t.breach == breach for t in self.templates)


# --- regime facts --------------------------------------------------------------------------


def levels() -> int:
    """The number of certificate grades: the most any regime sets."""
    return max(
        (
            r.provisions.practitioners.qualification.levels
            for r in law.all_regimes()
            if r.provisions.practitioners.qualification
        ),
        default=1,
    )


def retention_periods() -> tuple[int, ...]:
    """Retention periods a unit might configure: every minimum some regime sets."""
    days = set()
    for r in law.all_regimes():
        rule = r.provisions.retention
        if rule is not None:
            days.add(rule.days)
            days.update(x.days for x in rule.raises)
    return tuple(sorted(days))


def uses_central_urban(regime) -> bool:
    inst = regime.provisions.installation
    return bool(inst.central_urban_divisions) or any(
        "central_urban" in rule.when for rule in inst.rules
    )


def short_days(need: int) -> tuple[int, ...]:
    """Retention periods below the minimum (empty when the minimum is one day)."""
    return tuple(
        sorted(
            {d for d in (max(1, need // 4), max(1, need // 2), need - need // 3) if 0 < d < need}
        )
    )


# --- profiles ------------------------------------------------------------------------------


def profiles(regime, division: str) -> list[Profile]:
    shares = C.shares()
    central = uses_central_urban(regime)
    out: list[Profile] = []
    for a, arch in enumerate(C.archetypes()):
        slots = [(i, flag) for i, tpl in enumerate(arch.places) for flag in tpl.maybe_flags]
        own = any(not tpl.public_area for tpl in arch.places)
        centrals = (True, False) if central and own else (None,)
        for mask, ctr in itertools.product(range(2 ** len(slots)), centrals):
            chosen = {slots[k] for k in range(len(slots)) if mask >> k & 1}
            flags = [dict.fromkeys(tpl.flags, True) for tpl in arch.places]
            for i, flag in chosen:
                flags[i][flag] = True
            share = shares[a] * C.FLAG_CHANCE ** len(chosen)
            share *= (1 - C.FLAG_CHANCE) ** (len(slots) - len(chosen))
            if ctr is not None:
                share *= C.CENTRAL_CHANCE if ctr else 1 - C.CENTRAL_CHANCE
            places = []
            for i, tpl in enumerate(arch.places):
                spec = PlaceSpec(
                    tpl.name,
                    tuple(tpl.categories),
                    tuple(tpl.locations),
                    public_area=tpl.public_area,
                    central_urban=None if tpl.public_area else ctr,
                    **flags[i],
                )
                places.append(replace(spec, status=_status(regime, division, spec)))
            out.append(Profile(len(out), a, mask, ctr, tuple(places), share))
    return out


def _status(regime, division: str, place: PlaceSpec) -> str:
    if place.public_area:
        return "public_area"
    return install_status(regime.id, division, place.categories, place_flags(place))


# --- breaches ------------------------------------------------------------------------------


def breaches(regime) -> list[Breach]:
    p = regime.provisions
    out: list[Breach] = []

    def add(**kw: object) -> None:
        out.append(Breach(len(out), **kw))  # type: ignore[arg-type]

    most_places = max(len(a.places) for a in C.archetypes())
    for k in range(most_places):
        add(kind="install", finding="INSTALL_REQUIRED_MISSING", place=k)
    if p.public_area is not None:
        add(kind="public_area", finding="PUBLIC_AREA_PRIVATE_INSTALL")
    if p.privacy is not None:
        add(kind="privacy", finding="PRIVACY_AREA_CAPTURE")
    for i, check in enumerate(p.systems):
        for target in ("main", "public"):
            add(kind="check", finding=check.finding, check=i, target=target)
    if p.retention is not None:
        add(kind="retention", finding="RETENTION_SHORT")
    if p.unit_duties is not None:
        for n in range(1, min(2, len(p.unit_duties.duties)) + 1):
            add(kind="duties", finding="USER_DUTIES_UNMET", duties=n)
    for kind in PRACTITIONER_BREACHES:
        finding = "PRACTITIONER_DUTIES_UNMET" if kind == "warning" else "PRACTITIONER_UNQUALIFIED"
        add(kind="practitioner", finding=finding, practitioner=kind)
    for rule in p.acts:
        add(kind="act", finding=rule.finding, act=rule.code)
    return out


def warning_duties(regime) -> tuple[str, ...]:
    """The duties a company on the warning list neglects: two the regime lists, or two of the
    vocabulary's where it lists none."""
    rule = regime.provisions.practitioners.duties
    listed = list(rule.duties) if rule is not None else []
    return tuple((listed or ["staff_registration", "archive"])[:2])


# --- templates -----------------------------------------------------------------------------


def lawful(
    regime, slot: str, name: str, places: list[PlaceSpec], where: list[int], subsystems
) -> SystemSpec:
    """A system with every fact the engine asks about set and lawful."""
    covered = [places[i] for i in where]
    key = any(p.key for p in covered)
    status = {"construction": "construction", "retired": "retired"}.get(slot, "in_use")
    facts = {
        "status": status,
        "built_by_government": slot == "public",
        "design_review": "approved",
        "built_per_design": True,
        "built_with_project": True if any(p.new_construction for p in covered) else None,
        "acceptance": None if status == "construction" else "passed",
        "standards_compliant": True,
        "products_certified": True,
        "network_interface": True,
        "connected_to_police_platform": key,
        "police_requested_connection": key,
        "signage": True,
    }
    subs = list(subsystems)
    if "cashier" in {loc for p in covered for loc in p.locations} and "audio" not in subs:
        subs.append("audio")  # cashier cameras record sound
    return SystemSpec(
        slot,
        name,
        tuple(where),
        tuple(subs),
        tuple(facts.items()),
        retention=required_retention(regime, covered),
    )


def build(
    regime, book: Book, profile: Profile, breach: Breach | None, secondary: str
) -> Template | None:
    """The template of a profile with a breach (None: compliant), or None if the breach cannot
    be made on it."""
    arch = C.archetypes()[profile.archetype]
    places = list(profile.places)
    own = [i for i, p in enumerate(places) if not p.public_area]
    public = [i for i, p in enumerate(places) if p.public_area]
    systems: list[SystemSpec] = []
    if own:
        systems.append(lawful(regime, "main", arch.system_name, places, own, arch.subsystems))
    if public:
        systems.append(
            lawful(regime, "public", SYSTEM_NAMES["public"], places, public, PUBLIC_SUBSYSTEMS)
        )
    false_duties, act, subject = 0, "", ("", -1)
    kind = breach.kind if breach else ""
    main = next((i for i, s in enumerate(systems) if s.slot == "main"), None)
    if kind == "install":
        k = breach.place
        if k >= len(places) or places[k].status != "required" or main is None or secondary:
            return None
        left = tuple(i for i in systems[main].places if i != k)
        if left:
            systems[main] = lawful(
                regime, "main", arch.system_name, places, list(left), arch.subsystems
            )
        else:
            del systems[main]
            main = None
        subject = ("place", k)
    elif kind == "public_area":
        if public:
            return None
        places.append(replace(PUBLIC_PLACE_SPEC, status="public_area"))
        systems.append(
            lawful(regime, "breach", SYSTEM_NAMES["breach"], places, [len(places) - 1], ("video",))
        )
        systems[-1] = systems[-1].with_facts(built_by_government=False)
        subject = ("system", len(systems) - 1)
    elif kind == "privacy":
        rule = regime.provisions.privacy
        if (
            main is None
            or arch.privacy not in rule.locations
            or "video" not in systems[main].subsystems
        ):
            return None
        systems[main] = replace(systems[main], privacy=arch.privacy)
        subject = ("device", main)
    elif kind == "check":
        target = (
            main
            if breach.target == "main"
            else next((i for i, s in enumerate(systems) if s.slot == "public"), None)
        )
        if target is None:
            return None
        check = regime.provisions.systems[breach.check]
        changes: dict[str, object] = {}
        for name, want in check.when.items():
            changes[_fact_field(name)] = _fact_value(name, want)
        bad = _bad_value(check)
        if bad is None:
            return None
        changes[_fact_field(check.fact)] = _fact_value(check.fact, bad)
        systems[target] = systems[target].with_facts(**changes)
        if check.fact == "products_certified":
            systems[target] = replace(systems[target], uncertified=True)
        subject = ("system", target)
    elif kind == "retention":
        if main is None or not short_days(systems[main].retention):
            return None
        systems[main] = replace(systems[main], short_retention=True)
        subject = ("system", main)
    elif kind == "duties":
        false_duties = breach.duties
        subject = ("unit", -1)
    elif kind == "practitioner":
        if main is None:
            return None
        systems[main] = replace(systems[main], practitioner=breach.practitioner)
    elif kind == "act":
        act = breach.act
        subject = ("act", 0)
    if secondary:
        if main is None:
            return None
        first = systems[main].places[:1]
        systems.append(
            lawful(regime, secondary, SYSTEM_NAMES[secondary], places, list(first), ("video",))
        )
    return Template(
        len(book.templates),
        profile.index,
        breach.index if breach else -1,
        secondary,
        tuple(places),
        tuple(systems),
        false_duties,
        act,
        (),
        subject,
    )


PUBLIC_PLACE_SPEC = PlaceSpec(
    PUBLIC_PLACE.name,
    tuple(PUBLIC_PLACE.categories),
    tuple(PUBLIC_PLACE.locations),
    public_area=True,
)


def _fact_field(fact: str) -> str:
    return "status" if fact == "in_use" else fact


def _fact_value(fact: str, value: object) -> object:
    if fact == "in_use":
        return "in_use" if value else "retired"
    return value


def _bad_value(check) -> object:
    if check.fact in BAD_VALUES:
        bad = [x for x in BAD_VALUES[check.fact] if x not in check.expect]
        return bad[0] if bad else None
    if check.fact == "in_use":
        return not check.expect[0] if len(check.expect) == 1 else None
    return False if True in check.expect else (True if False not in check.expect else None)


# --- the representative case ---------------------------------------------------------------


def layout(system: SystemSpec, places: tuple[PlaceSpec, ...]) -> list[tuple[str, str]]:
    """The devices a system always has, as (kind, location): a recorder, a reader, detectors;
    cameras come after them."""
    pool = [loc for i in system.places for loc in places[i].locations]
    out: list[tuple[str, str]] = []
    for sub, kind, where in D.EXTRA_DEVICES:
        if sub in system.subsystems:
            loc = next((w for w in where if w in pool), where[-1])
            out += [(kind, loc)] * (2 if kind == "alarm" else 1)
    return out


def camera_pool(system: SystemSpec, places: tuple[PlaceSpec, ...]) -> list[str]:
    return [loc for i in system.places for loc in places[i].locations]


def practitioner_facts(kind: str, regime, book: Book) -> tuple[dict, int]:
    """A company of a kind as the case file sees it, and the grade its jobs ask for."""
    home = regime.jurisdiction.division_prefixes[0][:2]
    other = next(p for p in C.OTHER_PROVINCES if p != home)
    valid = book.as_of + dt.timedelta(days=3 * 365)
    expired = book.as_of - dt.timedelta(days=180)
    level = min(3, book.levels)
    facts = {
        "id": f"pr-{kind}",
        "name": kind,
        "home_province": home,
        "filed": True,
        "qualification_level": level,
        "qualification_valid_until": valid,
        "duties": dict.fromkeys(v.PRACTITIONER_DUTIES, True),
    }
    required = level
    if kind in {"ok", "cross", "cross_unfiled"}:
        if kind != "ok":
            facts["home_province"] = other
            facts["out_of_province_filed"] = kind == "cross"
    elif kind == "unfiled":
        facts["filed"] = False
        del facts["qualification_level"], facts["qualification_valid_until"]
    elif kind == "expired":
        facts["qualification_valid_until"] = expired
    elif kind == "low":
        required = level - 1
    elif kind == "warning":
        facts["duties"].update(dict.fromkeys(warning_duties(regime), False))
    return facts, required


def case(regime, book: Book, t: Template) -> dict:
    """A case file of a unit made from the template, as compliance.facts.build_case gives it."""
    from jifang.platform.compliance.casefile import place_facts

    places = [place_facts(f"p{i}", p) for i, p in enumerate(t.places)]
    systems, jobs = [], {}
    for j, s in enumerate(t.systems):
        devices = [
            {"id": f"d{j}-{n}", "location": loc, "video": False, "audio": False}
            for n, (_, loc) in enumerate(layout(s, t.places))
        ]
        if "video" in s.subsystems:
            devices += [
                {"id": f"d{j}-c{n}", "location": loc, "video": True, "audio": loc == "cashier"}
                for n, loc in enumerate(camera_pool(s, t.places))
            ]
        if s.privacy:
            devices.append({"id": f"d{j}-x", "location": s.privacy, "video": True, "audio": False})
        facts = dict(s.facts)
        status = facts.pop("status")
        pr, required = practitioner_facts(s.practitioner, regime, book)
        retention = (
            max(s.retention, book.retention_days[0])
            if not s.short_retention
            else short_days(s.retention)[0]
        )
        system = {
            "id": f"s{j}",
            "places": [f"p{i}" for i in s.places],
            "subsystems": list(s.subsystems),
            "in_use": status == "in_use",
            "devices": devices,
            **{k: val for k, val in facts.items() if val is not None},
            "retention_days": retention,
            "practitioner": pr["id"],
        }
        systems.append(system)
        jobs.setdefault(pr["id"], (pr, []))[1].append(required)
    practitioners = [{**pr, "required_level": min(req)} for pr, req in jobs.values()]
    duties = dict.fromkeys(v.UNIT_DUTIES, True)
    if t.false_duties:
        duties.update(
            dict.fromkeys(list(regime.provisions.unit_duties.duties)[: t.false_duties], False)
        )
    acts = (
        [{"id": "a0", "code": t.act, "by": "unit", "serious": False, "illegal_income": 0.0}]
        if t.act
        else []
    )
    return {
        "regime": regime.id,
        "division": book.division,
        "as_of": book.as_of,
        "unit": {
            "name": "u",
            "kind": "organisation",
            "places": places,
            "systems": systems,
            "duties": duties,
        },
        "practitioners": practitioners,
        "acts": acts,
    }


def verify(regime, book: Book, t: Template) -> Counter[str]:
    return Counter(f["code"] for f in law.assess(case(regime, book, t))["findings"])


# --- the book ------------------------------------------------------------------------------


@cache
def book(regime_id: str, as_of: dt.date, division: str) -> Book:
    """Every template of a regime, each checked by the engine (cached per process)."""
    regime = law.load(regime_id)
    b = Book(regime_id, as_of, division, levels(), retention_periods())
    b.profiles = profiles(regime, division)
    b.breaches = breaches(regime)
    for profile in b.profiles:
        for breach in [None, *b.breaches]:
            for secondary in SECONDARIES:
                t = build(regime, b, profile, breach, secondary)
                if t is None:
                    continue
                found = verify(regime, b, t)
                if breach is None and found:
                    raise RuntimeError(
                        f"合规模板被认定违法 / a compliant template has findings: "
                        f"{C.archetypes()[profile.archetype].key} {dict(found)}"
                    )
                if breach is not None and set(found) != {breach.finding}:
                    continue
                t = replace(t, index=len(b.templates), findings=tuple(sorted(found.items())))
                b.index[(profile.index, t.breach, secondary)] = t.index
                b.templates.append(t)
    return b
