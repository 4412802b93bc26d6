"""assess: what must a unit do on a date, what does it violate, and what may the police do."""

from __future__ import annotations

from typing import Any

from ..case import AssessCase
from ..regime import Regime
from .acts import check_acts
from .duties import check_unit_duties
from .facts import Facts
from .outcome import Outcome
from .places import check_installation, check_privacy, check_public_area
from .practitioners import check_practitioners
from .systems import check_systems

# One clause, one rule: each check reads its own provisions from the regime data.
CHECKS = (
    check_installation,
    check_public_area,
    check_privacy,
    check_systems,
    check_unit_duties,
    check_practitioners,
    check_acts,
)


def assess_case(regime: Regime, case: AssessCase, explain: bool = False) -> dict[str, Any]:
    facts = Facts(regime, case)
    out = Outcome(regime, case, explain)
    for check in CHECKS:
        check(facts, out)
    for order in case.orders:
        subjects = {order.subject} | ({"unit"} if order.subject == case.unit.name else set())
        if not any(f["code"] == order.finding and f["subject"] in subjects for f in out.findings):
            out.note(
                f"整改指令 {order.finding}/{order.subject} 没有对应的违法认定 / "
                f"order {order.finding} on {order.subject} matches no finding"
            )
    result: dict[str, Any] = {
        "regime": regime.header(),
        "as_of": case.as_of.isoformat(),
        "obligations": out.obligations,
        "findings": out.findings,
        "notes": out.notes + list(regime.notes),
    }
    if out.trace is not None:
        result["trace"] = out.trace
    return result
