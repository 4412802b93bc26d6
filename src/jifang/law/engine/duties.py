"""Management duties of using units (使用单位的义务)."""

from __future__ import annotations

from collections.abc import Mapping

from ..regime import PractitionerDutyRule, UnitDutyRule
from .facts import Facts, Tri
from .outcome import STATUS_OF, Outcome


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
    check_duty_list(
        out,
        rule,
        given,
        "unit",
        "USER_DUTY",
        "USER_DUTIES_UNMET",
        scope=scope,
        actor=facts.case.unit.kind,
    )
    unlisted = [d for d, v in given.items() if v is False and d not in rule.duties]
    if unlisted and rule.text_incomplete:
        out.note(
            f"未能核对的义务（条文列举项缺失）：{', '.join(unlisted)} / duties that cannot "
            f"be checked because the list was lost: {', '.join(unlisted)}"
        )


def check_duty_list(
    out: Outcome,
    rule: UnitDutyRule | PractitionerDutyRule,
    given: Mapping[str, bool | None],
    subject: str,
    obligation: str,
    finding: str,
    *,
    scope: Tri = True,
    actor: str = "organisation",
) -> None:
    """One obligation per listed duty, cited at its item; a finding for each duty not done.
    Serves the duties of using units and of practitioners alike."""
    for duty, item in rule.duties.items():
        basis = rule.basis.model_copy(update={"item": item}) if item else rule.basis
        value = given.get(duty)
        status = "insufficient_facts" if scope is None else STATUS_OF[value]
        record = {"duty": duty, "done": value}
        if isinstance(rule, UnitDutyRule):
            record["in_scope"] = scope
        out.obligation(obligation, subject, status, basis, record, duty=duty)
        if value is False and scope:
            out.finding(
                finding,
                subject,
                basis,
                f"duties.{duty} false",
                rule.penalty,
                actor=actor,
                duty=duty,
            )
