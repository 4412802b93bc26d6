"""Practitioners (从业单位): filing, out-of-province filing, graded qualification, duties."""

from __future__ import annotations

from ..case import Practitioner
from ..regime import Basis, Regime
from .duties import check_duty_list
from .facts import Facts
from .outcome import STATUS_OF, Outcome


def home_province(regime: Regime) -> str:
    return regime.jurisdiction.division_prefixes[0][:2]


def check_practitioners(facts: Facts, out: Outcome) -> None:
    rules = facts.regime.provisions.practitioners
    absent = facts.regime.provisions.absent
    for pr in facts.case.practitioners:
        local = (
            None if pr.home_province is None else pr.home_province == home_province(facts.regime)
        )
        if (
            rules.local_filing is None
            and rules.out_of_province is None
            and (pr.filed is False or pr.out_of_province_filed is False)
        ):
            out.note(absent.get("practitioner_filing"))
        if local is None:
            for rule, code in (
                (rules.local_filing, "PRACTITIONER_FILING"),
                (rules.out_of_province, "PRACTITIONER_OUT_OF_PROVINCE_FILING"),
            ):
                if rule is not None:
                    out.obligation(
                        code, pr.id, "insufficient_facts", rule.basis, {"home_province": None}
                    )
        elif local and rules.local_filing:
            _filing(
                out,
                pr,
                "PRACTITIONER_FILING",
                "filed",
                pr.filed,
                rules.local_filing.basis,
                rules.local_filing.penalty,
            )
        elif local is False and rules.out_of_province:
            _filing(
                out,
                pr,
                "PRACTITIONER_OUT_OF_PROVINCE_FILING",
                "out_of_province_filed",
                pr.out_of_province_filed,
                rules.out_of_province.basis,
                rules.out_of_province.penalty,
            )
        if rules.qualification and local:
            _qualification(facts, out, pr)
        elif rules.qualification and local is None:
            out.obligation(
                "PRACTITIONER_QUALIFICATION",
                pr.id,
                "insufficient_facts",
                rules.qualification.basis,
                {"home_province": None},
            )
        elif rules.qualification is None and pr.qualification_level is not None:
            out.note(absent.get("practitioner_qualification"))
        _duties(facts, out, pr)


def _filing(
    out: Outcome,
    pr: Practitioner,
    code: str,
    fact: str,
    value: bool | None,
    basis: Basis,
    penalty: Basis | None,
) -> None:
    out.obligation(code, pr.id, STATUS_OF[value], basis, {fact: value})
    if value is False:
        out.finding("PRACTITIONER_UNQUALIFIED", pr.id, basis, f"{fact} false", penalty)


def _qualification(facts: Facts, out: Outcome, pr: Practitioner) -> None:
    rule = facts.regime.provisions.practitioners.qualification
    assert rule is not None
    record = {
        "qualification_level": pr.qualification_level,
        "filed": pr.filed,
        "qualification_valid_until": pr.qualification_valid_until,
        "required_level": pr.required_level,
    }
    record = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in record.items()}
    problem: tuple[Basis, str] | None = None
    unknown = False
    if pr.qualification_level is None:
        # No certificate is known: "not filed" (no registration at all) means none is held.
        if pr.filed is False:
            problem = (rule.basis, "no qualification certificate (资格证)")
        else:
            unknown = True
    elif pr.qualification_level > rule.levels:
        problem = (
            rule.level_basis,
            f"qualification_level {pr.qualification_level} "
            f"does not exist (levels 1..{rule.levels})",
        )
    else:
        if pr.required_level is None:
            unknown = True
        elif pr.qualification_level > pr.required_level:
            problem = (
                rule.level_basis,
                f"qualification_level {pr.qualification_level} "
                f"below required_level {pr.required_level} (1 is highest)",
            )
        if problem is None:
            until = pr.qualification_valid_until
            if until is None:
                unknown = True
            elif until < facts.case.as_of:
                problem = (rule.validity_basis, f"qualification expired {until.isoformat()}")
    if problem:
        basis, evidence = problem
        out.obligation("PRACTITIONER_QUALIFICATION", pr.id, "violated", basis, record)
        out.finding("PRACTITIONER_UNQUALIFIED", pr.id, basis, evidence, rule.penalty)
    else:
        out.obligation(
            "PRACTITIONER_QUALIFICATION",
            pr.id,
            "insufficient_facts" if unknown else "met",
            rule.basis,
            record,
        )


def _duties(facts: Facts, out: Outcome, pr: Practitioner) -> None:
    rule = facts.regime.provisions.practitioners.duties
    if rule is None:
        if any(v is False for v in pr.duties.values()):
            out.note(facts.regime.provisions.absent.get("practitioner_duties"))
        return
    if rule.text_incomplete:
        out.note(rule.note)
    check_duty_list(out, rule, pr.duties, pr.id, "PRACTITIONER_DUTY", "PRACTITIONER_DUTIES_UNMET")
    if rule.text_incomplete and not rule.duties:
        out.obligation(
            "PRACTITIONER_DUTY",
            pr.id,
            "insufficient_facts",
            rule.basis,
            {"duties": dict(pr.duties)},
            text_incomplete=True,
        )
