"""Derived facts about a case that several rules share: which places must install, which
systems belong to key units. Each answer is tri-state: True, False or None (unknown)."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..case import AssessCase, Place, System
from ..regime import InstallRule, Regime, Scope

Tri = bool | None


def all_of(values: list[Tri]) -> Tri:
    """Three-valued AND: False beats unknown, unknown beats True."""
    if any(v is False for v in values):
        return False
    if any(v is None for v in values):
        return None
    return True


def any_of(values: list[Tri]) -> Tri:
    """Three-valued OR: True beats unknown, unknown beats False."""
    if any(v is True for v in values):
        return True
    if any(v is None for v in values):
        return None
    return False


@dataclass(frozen=True)
class Requirement:
    """What the installation provisions say of one place."""

    status: str  # required | advisory | none | unknown (the list was lost) | public_area
    rule: InstallRule | None = None
    lost_list: bool = False
    derived_flags: tuple[str, ...] = ()  # flags the engine derived (e.g. central_urban)


@dataclass
class Facts:
    regime: Regime
    case: AssessCase
    places: dict[str, Place] = field(default_factory=dict)
    requirements: dict[str, Requirement] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.places = {p.id: p for p in self.case.unit.places}
        self.requirements = {p.id: self._requirement(p) for p in self.case.unit.places}

    # --- places ---------------------------------------------------------------------------

    def flag(self, place: Place, name: str) -> tuple[bool, bool]:
        """A place flag (absent means false, as the vocabulary says), and whether the engine
        derived it: a division the text names wholly as central urban makes central_urban true,
        whatever the input says, since the text decides it."""
        value = getattr(place, name)
        if name == "central_urban" and not value:
            inst = self.regime.provisions.installation
            if self.case.division and self.case.division in inst.central_urban_divisions:
                return True, True
        return bool(value), False

    def _requirement(self, place: Place) -> Requirement:
        if place.public_area:
            return Requirement("public_area")
        inst = self.regime.provisions.installation
        best: Requirement | None = None
        rank = {"required": 2, "advisory": 1}
        for rule in inst.rules:
            if not set(rule.categories) & set(place.categories):
                continue
            derived, matched = [], True
            for name, want in rule.when.items():
                value, was_derived = self.flag(place, name)
                if was_derived:
                    derived.append(name)
                matched = matched and value == want
            if not matched:
                continue
            cand = Requirement(rule.strength, rule, derived_flags=tuple(derived))
            if best is None or rank[cand.status] > rank[best.status]:
                best = cand
        if best is not None:
            return best
        if inst.list_incomplete:
            return Requirement("unknown", lost_list=True)
        return Requirement("none")

    def place_is_key(self, place_id: str) -> Tri:
        """A place that must install, or a public area: the scope of '重点单位和公共区域'."""
        status = self.requirements[place_id].status
        if status in {"required", "public_area"}:
            return True
        return None if status == "unknown" else False

    def _must_install(self, place_id: str) -> Tri:
        status = self.requirements[place_id].status
        return True if status == "required" else (None if status == "unknown" else False)

    @property
    def unit_is_key(self) -> Tri:
        """Unknown when the case lists no places: nothing says what the unit is."""
        if not self.places:
            return None
        return any_of([self.place_is_key(p) for p in self.places])

    # --- systems --------------------------------------------------------------------------

    def system_places(self, system: System) -> list[Place]:
        return [self.places[p] for p in system.places]

    def system_has_video(self, system: System) -> Tri:
        if "video" in system.subsystems or any(d.video for d in system.devices):
            return True
        if not system.subsystems and any(d.video is None for d in system.devices):
            return None
        return False

    def in_scope(self, scopes: list[Scope], system: System | None = None) -> Tri:
        """Whether a provision scoped to `scopes` reaches this system (or the unit)."""
        return all_of([self._scope(s, system) for s in scopes])

    def _scope(self, scope: Scope, system: System | None) -> Tri:
        if scope == "all":
            return True
        if scope == "system_user":
            return True if system is not None else bool(self.case.unit.systems)
        places = self.system_places(system) if system is not None and system.places else None
        if scope == "key_unit":
            if places is None:
                return self.unit_is_key
            return any_of([self.place_is_key(p.id) for p in places])
        if scope == "must_install":
            pool = places if places is not None else list(self.places.values())
            return any_of([self._must_install(p.id) for p in pool])
        if scope == "public_place":
            pool = places if places is not None else list(self.places.values())
            public = set(self.regime.provisions.public_place_categories)
            return any(p.public_area or public & set(p.categories) for p in pool)
        if scope == "public_area":
            pool = places if places is not None else list(self.places.values())
            return any(p.public_area for p in pool)
        if scope == "new_construction":
            pool = places if places is not None else list(self.places.values())
            return any(p.new_construction for p in pool)
        if scope == "video":
            return (
                self.system_has_video(system)
                if system is not None
                else any_of([self.system_has_video(s) for s in self.case.unit.systems])
            )
        raise ValueError(scope)
