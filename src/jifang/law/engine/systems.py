"""Requirements on each system: design review, acceptance, standards, products, networking,
signage, simultaneous construction, and the minimum retention of captured information."""

from __future__ import annotations

from ..case import System
from ..regime import SystemCheck
from .facts import Facts
from .outcome import STATUS_OF, Outcome

# System facts whose topic a regime may leave unregulated (see Provisions.absent).
_TOPIC_OF_FACT = {
    "network_interface": "network",
    "connected_to_police_platform": "network",
    "products_certified": "products",
    "signage": "signage",
}


def check_systems(facts: Facts, out: Outcome) -> None:
    checked = {c.fact for c in facts.regime.provisions.systems}
    absent = facts.regime.provisions.absent
    for system in facts.case.unit.systems:
        for check in facts.regime.provisions.systems:
            _check(facts, out, system, check)
        check_retention(facts, out, system)
        for fact, topic in _TOPIC_OF_FACT.items():
            if getattr(system, fact) is False and fact not in checked:
                out.note(absent.get(topic))


def _check(facts: Facts, out: Outcome, system: System, check: SystemCheck) -> None:
    value = getattr(system, check.fact)
    record = {check.fact: value}
    scope = facts.in_scope(check.scope, system)
    if scope is False:
        out.obligation(
            check.obligation, system.id, "not_applicable", check.basis, {"scope": check.scope}
        )
        return
    for name, want in check.when.items():
        have = getattr(system, name)
        record[name] = have
        if have is not None and have != want:
            out.obligation(check.obligation, system.id, "not_applicable", check.basis, record)
            return
    unknown = scope is None or value is None or any(getattr(system, n) is None for n in check.when)
    if unknown:
        out.obligation(
            check.obligation,
            system.id,
            "insufficient_facts",
            check.basis,
            {**record, "scope": check.scope, "in_scope": scope},
        )
        return
    out.note(check.note)
    ok = value in check.expect
    out.obligation(check.obligation, system.id, STATUS_OF[ok], check.basis, record)
    if not ok:
        expected = " or ".join(str(v).lower() for v in check.expect)
        out.finding(
            check.finding,
            system.id,
            check.basis,
            f"{check.fact} {str(value).lower()}, required {expected}",
            check.penalty,
            actor=facts.case.unit.kind,
        )


def check_retention(facts: Facts, out: Outcome, system: System) -> None:
    rule = facts.regime.provisions.retention
    if rule is None:
        if system.retention_days is not None:
            out.note(facts.regime.provisions.absent.get("retention"))
        return
    scope = facts.in_scope(rule.scope, system)
    days, basis = rule.days, rule.basis
    for raise_ in rule.raises:
        if any(getattr(p, raise_.flag) for p in facts.system_places(system)) and raise_.days > days:
            days, basis = raise_.days, raise_.basis
    have = system.retention_days
    record = {"retention_days": have, "required_days": days}
    if scope is False:
        out.obligation("RETENTION_MIN_DAYS", system.id, "not_applicable", basis, record, value=days)
        return
    if have is None or scope is None:
        out.obligation(
            "RETENTION_MIN_DAYS",
            system.id,
            "insufficient_facts",
            basis,
            {**record, "in_scope": scope},
            value=days,
        )
        return
    out.note(rule.note)
    ok = have >= days
    out.obligation("RETENTION_MIN_DAYS", system.id, STATUS_OF[ok], basis, record, value=days)
    if not ok:
        out.finding(
            "RETENTION_SHORT",
            system.id,
            basis,
            f"retention_days {have} < {days}",
            rule.penalty,
            actor=facts.case.unit.kind,
        )
