"""Management duties of using units (使用单位的义务)."""

from __future__ import annotations

from .facts import Facts
from .outcome import Outcome

_STATUS = {True: "met", False: "violated", None: "insufficient_facts"}


def check_unit_duties(facts: Facts, out: Outcome) -> None:
    rule = facts.regime.provisions.unit_duties
    given = facts.case.unit.duties
    if rule is None:
        if any(v is False for v in given.values()):
            out.note(facts.regime.provisions.absent.get("unit_duties"))
        return
    if not facts.case.unit.places and not facts.case.unit.systems:
        return  # the case says nothing of the unit itself (e.g. it concerns a practitioner)
    scope = facts.in_scope(rule.scope)
    if scope is False:
        return
    if rule.text_incomplete:
        out.note(rule.note)
    for duty, item in rule.duties.items():
        basis = rule.basis.model_copy(update={"item": item}) if item else rule.basis
        value = given.get(duty)
        status = "insufficient_facts" if scope is None else _STATUS[value]
        out.obligation(
            "USER_DUTY",
            "unit",
            status,
            basis,
            {"duty": duty, "done": value, "in_scope": scope},
            duty=duty,
        )
        if value is False and scope:
            out.finding(
                "USER_DUTIES_UNMET",
                "unit",
                basis,
                f"duties.{duty} false",
                rule.penalty,
                actor=facts.case.unit.kind,
                duty=duty,
            )
    unlisted = [d for d, v in given.items() if v is False and d not in rule.duties]
    if unlisted and rule.text_incomplete:
        out.note(
            f"未能核对的义务（条文列举项缺失）：{', '.join(unlisted)} / duties that cannot "
            f"be checked because the list was lost: {', '.join(unlisted)}"
        )
