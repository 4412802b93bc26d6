"""Every provision of every regime has a case that violates it and one that does not; every
penalty article a case that checks its fines; every access rule its grant and its refusal."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pytest

from jifang import law

from .casefiles import load_cases


def _expected(case: dict, *keys: str) -> list[dict]:
    out: list[dict] = []
    for key in keys:
        out += [e for e in case["expect"].get(key, []) if isinstance(e, dict)]
    return out


def _index() -> dict[str, dict[str, set]]:
    """What the cases assert, per regime: findings, obligations, penalties, access rules."""
    seen: dict[str, dict[str, set]] = defaultdict(lambda: defaultdict(set))
    for _, case in load_cases():
        regime = case["input"].get("regime")
        if regime is None or "error" in case["expect"]:
            continue
        s = seen[regime]
        for f in _expected(case, "findings", "findings_include"):
            key = (f.get("code"), _b(f.get("basis")), f.get("duty") or f.get("act"))
            s["violated"].add(key)
            pen = f.get("penalty")
            if isinstance(pen, dict) and ("fines" in pen or "measures" in pen):
                s["penalty"].add(_b(pen.get("basis"))[0] if pen.get("basis") else None)
        for o in _expected(case, "obligations", "obligations_include"):
            if o.get("status") == "met":
                s["met"].add((o.get("code"), _b(o.get("basis")), o.get("duty")))
            if o.get("status") == "not_applicable":
                s["not_applicable"].add((o.get("code"), _b(o.get("basis"))))
        if case.get("kind") == "access":
            decision = case["expect"].get("decision")
            rule = case["expect"].get("rule")
            s["access"].add((rule, "grant" if decision == "allow" else "refuse"))
    return seen


def _b(basis: Any) -> tuple:
    if not isinstance(basis, dict):
        return (None,)
    return (basis.get("article"), basis.get("paragraph"), basis.get("item"))


def _provisions(regime: Any) -> list[tuple[str, tuple, tuple | None]]:
    """(label, violation key, compliance key or None) for each provision of the regime."""
    p = regime.provisions
    out = []
    for r in p.installation.rules:
        if r.strength == "required":
            out.append(
                (
                    f"install {r.basis.as_dict()}",
                    ("INSTALL_REQUIRED_MISSING", _b(r.basis.as_dict()), None),
                    ("INSTALL", _b(r.basis.as_dict()), None),
                )
            )
    if p.public_area:
        b = _b(p.public_area.basis.as_dict())
        out.append(
            (
                "public area",
                ("PUBLIC_AREA_PRIVATE_INSTALL", b, None),
                ("NO_PRIVATE_PUBLIC_AREA_INSTALL", b, None),
            )
        )
    if p.privacy:
        b = _b(p.privacy.basis.as_dict())
        out.append(("privacy", ("PRIVACY_AREA_CAPTURE", b, None), ("NO_PRIVACY_CAPTURE", b, None)))
    for c in p.systems:
        b = _b(c.basis.as_dict())
        out.append((f"system {c.obligation}", (c.finding, b, None), (c.obligation, b, None)))
    if p.retention:
        b = _b(p.retention.basis.as_dict())
        out.append(("retention", ("RETENTION_SHORT", b, None), ("RETENTION_MIN_DAYS", b, None)))
    for rule, code, ob in (
        (p.unit_duties, "USER_DUTIES_UNMET", "USER_DUTY"),
        (p.practitioners.duties, "PRACTITIONER_DUTIES_UNMET", "PRACTITIONER_DUTY"),
    ):
        if rule is None:
            continue
        for duty, item in rule.duties.items():
            b = _b(
                rule.basis.model_copy(update={"item": item}).as_dict()
                if item
                else rule.basis.as_dict()
            )
            out.append((f"{ob} {duty}", (code, b, duty), (ob, b, duty)))
    pr = p.practitioners
    for rule, ob in (
        (pr.local_filing, "PRACTITIONER_FILING"),
        (pr.out_of_province, "PRACTITIONER_OUT_OF_PROVINCE_FILING"),
    ):
        if rule:
            b = _b(rule.basis.as_dict())
            out.append((ob, ("PRACTITIONER_UNQUALIFIED", b, None), (ob, b, None)))
    if pr.qualification:
        q = pr.qualification
        out.append(
            (
                "qualification",
                ("PRACTITIONER_UNQUALIFIED", _b(q.basis.as_dict()), None),
                ("PRACTITIONER_QUALIFICATION", _b(q.basis.as_dict()), None),
            )
        )
        out.append(
            (
                "qualification validity",
                ("PRACTITIONER_UNQUALIFIED", _b(q.validity_basis.as_dict()), None),
                None,
            )
        )
    for a in p.acts:
        out.append((f"act {a.code}", (a.finding, _b(a.basis.as_dict()), a.code), None))
    return out


@pytest.mark.parametrize("regime_id", law.regime_ids())
def test_every_provision_has_a_violating_and_a_compliant_case(regime_id: str) -> None:
    regime = law.load(regime_id)
    seen = _index()[regime_id]
    violated = {(c, b) for c, b, _ in seen["violated"]} | set(seen["violated"])
    missing = []
    for label, bad, good in _provisions(regime):
        if bad not in violated and (bad[0], bad[1]) not in violated:
            missing.append(f"{label}: no violating case {bad}")
        if good and good not in seen["met"] and (good[0], good[1], None) not in seen["met"]:
            missing.append(f"{label}: no compliant case {good}")
    assert not missing, "\n".join(missing)


@pytest.mark.parametrize("regime_id", law.regime_ids())
def test_every_penalty_article_has_a_case_checking_its_fines(regime_id: str) -> None:
    regime = law.load(regime_id)
    seen = _index()[regime_id]["penalty"]
    missing = [p.article for p in regime.penalties if p.article not in seen]
    assert not missing, f"penalty articles without a case checking them: {missing}"


@pytest.mark.parametrize("regime_id", law.regime_ids())
def test_every_access_rule_has_its_grant_and_its_refusal(regime_id: str) -> None:
    regime = law.load(regime_id)
    seen = _index()[regime_id]["access"]
    missing = []
    for rule in regime.access.rules:
        if rule.effect == "permit" and (rule.id, "grant") not in seen:
            missing.append(f"{rule.id}: no case where it grants")
        if (rule.id, "refuse") not in seen:
            missing.append(f"{rule.id}: no case where it refuses")
    assert not missing, "\n".join(missing)
