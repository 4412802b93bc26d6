"""Collects what the rules conclude: obligations, findings with penalties, notes, the trace."""

from __future__ import annotations

from typing import Any

from ..case import AssessCase, Order
from ..regime import Basis, Fine, Regime

# The status of an obligation whose fact is true, false or unknown.
STATUS_OF = {True: "met", False: "violated", None: "insufficient_facts"}


class Outcome:
    def __init__(self, regime: Regime, case: AssessCase, explain: bool = False):
        self.regime = regime
        self.case = case
        self.obligations: list[dict[str, Any]] = []
        self.findings: list[dict[str, Any]] = []
        self.notes: list[str] = []
        self.trace: list[dict[str, Any]] | None = [] if explain else None
        self._texts: dict[tuple, str] = {}

    # --- recording ------------------------------------------------------------------------

    def note(self, text: str | None) -> None:
        if text and text not in self.notes:
            self.notes.append(text)

    def step(
        self, rule: str, subject: str, basis: Basis | None, facts: dict[str, Any], result: str
    ) -> None:
        if self.trace is None:
            return
        self.trace.append(
            {
                "rule": rule,
                "subject": subject,
                "basis": basis.as_dict() if basis else None,
                "facts": facts,
                "result": result,
            }
        )

    def obligation(
        self,
        code: str,
        subject: str,
        status: str,
        basis: Basis,
        facts: dict[str, Any] | None = None,
        **extra: Any,
    ) -> None:
        entry = {
            "code": code,
            "subject": subject,
            "status": status,
            "basis": basis.as_dict(),
            "text": self.text(basis),
        }
        entry.update({k: v for k, v in extra.items() if v is not None})
        self.obligations.append(entry)
        self.step(code, subject, basis, facts or {}, status)

    def finding(
        self,
        code: str,
        subject: str,
        basis: Basis,
        evidence: str,
        penalty: Basis | None,
        *,
        actor: str = "organisation",
        serious: bool = False,
        illegal_income: float = 0,
        **extra: Any,
    ) -> None:
        entry: dict[str, Any] = {
            "code": code,
            "subject": subject,
            "basis": basis.as_dict(),
            "evidence": evidence,
            "text": self.text(basis),
        }
        entry.update({k: v for k, v in extra.items() if v is not None})
        if penalty is None:
            entry["penalty"] = None
            lost = self.regime.provisions.absent.get("penalties")
            self.note(
                lost
                or f"{self.regime.title}没有对{basis.label()}（{code}）规定罚则 / "
                f"{self.regime.id} has no penalty article for {code} "
                f"(art. {basis.article})"
            )
        else:
            entry["penalty"] = self.penalty(penalty, code, subject, actor, serious, illegal_income)
        self.findings.append(entry)
        self.step(f"finding:{code}", subject, basis, {"evidence": evidence}, "finding")

    # --- texts ----------------------------------------------------------------------------

    def text(self, basis: Basis) -> str:
        key = (basis.article, basis.paragraph, basis.item)
        if key not in self._texts:
            art = self.regime.article(basis.article)
            if basis.paragraph is None and basis.item is None:
                parts = [t for p in art.paragraphs for t in (p.text, *p.items)]
            else:
                para = art.paragraphs[(basis.paragraph or 1) - 1]
                parts = [para.items[basis.item - 1]] if basis.item else [para.text, *para.items]
            self._texts[key] = "".join(parts)
        return self._texts[key]

    # --- penalties ------------------------------------------------------------------------

    def _overdue_order(self, code: str, subject: str) -> Order | None:
        # Orders on the unit itself may name it "unit" or by its name.
        names = {subject, self.case.unit.name} if subject == "unit" else {subject}
        for order in self.case.orders:
            if (
                order.finding == code
                and order.subject in names
                and order.deadline < self.case.as_of
                and not order.corrected
            ):
                return order
        return None

    def _serious_order(self, code: str, subject: str) -> bool:
        """An order recording serious consequences: 造成严重后果 need not wait for a deadline."""
        names = {subject, self.case.unit.name} if subject == "unit" else {subject}
        return any(o.finding == code and o.subject in names and o.serious for o in self.case.orders)

    def penalty(
        self, ref: Basis, code: str, subject: str, actor: str, serious: bool, illegal_income: float
    ) -> dict[str, Any]:
        pen = self.regime.penalty(ref.article)
        order = self._overdue_order(code, subject)
        serious = serious or self._serious_order(code, subject)
        fines = _fines_for(pen.fines, actor)
        if actor == "individual" and pen.fines and not fines:
            self.note(
                f"{ref.label()}只对单位及其责任人员设定罚款，对个人无罚款 / "
                f"art. {ref.article} fines units and their responsible persons only"
            )
        out_fines = []
        replaced = _superseded(fines, serious, illegal_income)
        for fine in fines:
            due = _fine_due(fine, order, serious, illegal_income) and fine not in replaced
            entry: dict[str, Any] = {
                "target": fine.target,
                "condition": fine.condition,
                "discretionary": fine.discretionary,
                "due_now": due,
            }
            if fine in replaced:
                entry["superseded"] = True
            if fine.multiple_of_illegal_income is not None:
                entry["multiple_of_illegal_income"] = fine.multiple_of_illegal_income
                if illegal_income:
                    entry["amount"] = fine.multiple_of_illegal_income * illegal_income
            else:
                entry["min"], entry["max"] = fine.min, fine.max
            out_fines.append(entry)
        measures = list(pen.measures)
        if serious:
            measures += [m for m in pen.serious_measures if m not in measures]
            if pen.serious_measures and pen.serious_basis:
                self.note(
                    f"情节严重：{pen.serious_basis.label()} / serious consequences: "
                    f"art. {pen.serious_basis.article} applies"
                )
        if pen.text_incomplete or pen.note:
            self.note(pen.note)
        return {
            "basis": ref.as_dict(),
            "measures": measures,
            "fines": out_fines,
            "due_now": any(f["due_now"] for f in out_fines),
        }


def _fines_for(fines: list[Fine], actor: str) -> list[Fine]:
    """An individual answers for individual fines (and a builder's, whoever builds); an
    organisation for the rest."""
    if actor == "individual":
        return [f for f in fines if f.target in {"individual", "builder"}]
    return [f for f in fines if f.target != "individual"]


def _superseded(fines: list[Fine], serious: bool, illegal_income: float) -> list[Fine]:
    """Fines the text replaces for a target: the ordinary range once the consequences are
    serious (情节严重的，处…), a fixed amount once there is illegal income to multiply."""
    out = []
    for fine in fines:
        rivals = [f for f in fines if f.target == fine.target and f is not fine]
        by_seriousness = (
            serious
            and fine.condition != "serious"
            and any(f.condition == "serious" for f in rivals)
        )
        by_income = (
            bool(illegal_income)
            and fine.multiple_of_illegal_income is None
            and any(f.multiple_of_illegal_income for f in rivals)
        )
        if by_seriousness or by_income:
            out.append(fine)
    return out


def _fine_due(fine: Fine, order: Order | None, serious: bool, illegal_income: float) -> bool:
    if fine.multiple_of_illegal_income is not None and not illegal_income:
        return False
    if fine.condition == "immediate":
        return True
    if fine.condition == "overdue":
        return order is not None
    if fine.condition == "overdue_with_harm":
        return order is not None and order.harm
    return serious  # "serious"
