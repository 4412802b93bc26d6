"""access-check: may this requester view, copy, retrieve or use captured information?

Every rule of the regime whose requester, action, system scope and emergency fit is weighed.
An explicit prohibition (deny) wins; otherwise the best permission decides: allow when all its
conditions are met, allow_if when only suppliable conditions are missing, deny when a blocking
condition fails (e.g. the information involves a state secret). No fitting rule: no_basis.
"""

from __future__ import annotations

from typing import Any

from ..case import AccessCase, AccessRequest
from ..regime import AccessCondition, AccessRule, Regime

_RANK = {"allow": 3, "allow_if": 2, "deny": 1}


def _fits(rule: AccessRule, req: AccessRequest) -> bool:
    return (
        req.requester in rule.requesters
        and req.action in rule.actions
        and (rule.scopes is None or req.system_scope in rule.scopes)
        and (rule.emergency is None or rule.emergency == req.emergency)
    )


def _condition(cond: AccessCondition, req: AccessRequest) -> tuple[bool | None, bool]:
    """(met, blocking): met None means the requester must still show it."""
    kind, value = cond.kind, cond.value
    if kind == "staff_min":
        return (None if req.staff_count is None or req.staff_count < value else True), False
    if kind == "credentials_all":
        return (True if all(c in req.credentials for c in value) else None), False
    if kind == "credentials_any":
        return (True if any(c in req.credentials for c in value) else None), False
    if kind == "approval_by_any":
        return (True if req.approval_by in value else None), False
    if kind == "registered":
        return (True if req.registered else None), False
    if kind == "consent":
        if req.user_unit_consent is False:
            return False, True
        return (True if req.user_unit_consent else None), False
    if kind == "involves_none":
        return (False, True) if set(req.involves) & set(value) else (True, False)
    return True, False  # undertaking: binds the requester, shown for the record


def _evaluate(rule: AccessRule, req: AccessRequest) -> tuple[str, list[dict], list[str]]:
    conditions, missing, blocked = [], [], False
    for cond in rule.conditions:
        met, blocking = _condition(cond, req)
        entry = {"code": cond.code, "met": bool(met), "basis": cond.basis.as_dict()}
        if cond.kind == "undertaking":
            entry["undertaking"] = True
        conditions.append(entry)
        if blocking:
            blocked = True
        elif met is None:
            missing.append(cond.code)
    if rule.effect == "deny" or blocked:
        return "deny", conditions, []
    return ("allow_if" if missing else "allow"), conditions, missing


def check_access(regime: Regime, case: AccessCase, explain: bool = False) -> dict[str, Any]:
    req = case.request
    rules = regime.access.rules
    fitting = [r for r in rules if _fits(r, req)]
    trace: list[dict[str, Any]] = []
    notes: list[str] = []
    best: tuple[str, AccessRule, list[dict], list[str]] | None = None
    for rule in fitting:
        decision, conditions, missing = _evaluate(rule, req)
        trace.append(
            {
                "rule": rule.id,
                "basis": rule.basis.as_dict(),
                "effect": rule.effect,
                "result": decision,
                "missing": missing,
            }
        )
        if rule.effect == "deny":
            best = ("deny", rule, conditions, [])
            break
        if best is None or (_RANK[decision], -len(missing)) > (_RANK[best[0]], -len(best[3])):
            best = (decision, rule, conditions, missing)
    result: dict[str, Any] = {"regime": regime.header(), "as_of": case.as_of.isoformat()}
    if best is None:
        result.update(decision="no_basis", basis=[], conditions=[], missing=[], register_fields=[])
        notes.append(
            f"{regime.title}未赋予{req.requester}对{req.system_scope}系统"
            f"「{req.action}」采获信息的权利，使用单位应当拒绝 / {regime.id} grants "
            f"{req.requester} no right to {req.action} information from "
            f"{req.system_scope} systems: the using unit should refuse"
        )
    else:
        decision, rule, conditions, missing = best
        bases = [rule.basis.as_dict()]
        for c in rule.conditions:
            b = c.basis.as_dict()
            if b["article"] != rule.basis.article and {"article": b["article"]} not in bases:
                bases.append({"article": b["article"]})
        register = regime.access.registration
        result.update(
            decision=decision,
            rule=rule.id,
            basis=bases,
            conditions=conditions,
            missing=missing,
            register_fields=list(register.fields) if decision != "deny" else [],
        )
        if rule.note:
            notes.append(rule.note)
        if rule.text_incomplete:
            notes.append(
                f"{rule.basis.label()}条文有缺失，以上条件可能不全 / the text of "
                f"art. {rule.basis.article} is incomplete: conditions may be missing"
            )
        if decision != "deny" and register.fields and not register.fields_from_text:
            notes.append(
                "条文要求登记但未列明登记事项，登记字段为平台默认 / the text requires "
                "registration without naming its fields; these are the platform's"
            )
    result["notes"] = notes
    if explain:
        result["trace"] = trace
    return result
