"""One table across the regimes, per topic: what each text says, cited, side by side."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .regime import Basis, Fine, Regime
from .registry import all_regimes
from .text import cite_zh
from .vocabulary import (
    ACCESS_ACTIONS,
    FINDINGS,
    FINE_CONDITIONS,
    FINE_TARGETS,
    PLACE_CATEGORIES,
    PRIVACY_LOCATIONS,
    REQUESTERS,
)

NONE = "—"


def _cite(b: Basis | None) -> str:
    return cite_zh(b.as_dict()) if b else NONE


def _installation(regimes: list[Regime]) -> list[dict[str, Any]]:
    rows = []
    for code, label in PLACE_CATEGORIES.items():
        cells = {}
        for r in regimes:
            inst = r.provisions.installation
            parts = []
            for rule in inst.rules:
                if code in rule.categories:
                    text = _cite(rule.basis)
                    if rule.when:
                        text += (
                            "（"
                            + "，".join(f"{k}={str(v).lower()}" for k, v in rule.when.items())
                            + "）"
                        )
                    if rule.strength == "advisory":
                        text += "［视需要］"
                    if rule.text_incomplete:
                        text += "［残缺］"
                    parts.append(text)
            cells[r.id] = "；".join(parts) or ("？［列举丢失］" if inst.list_incomplete else NONE)
        rows.append({"key": code, "label": label, "cells": cells})
    return rows


def _retention(regimes: list[Regime]) -> list[dict[str, Any]]:
    def base(r: Regime) -> str:
        ret = r.provisions.retention
        return f"{ret.days}日 {_cite(ret.basis)}" if ret else NONE

    def raises(r: Regime) -> str:
        ret = r.provisions.retention
        if not ret or not ret.raises:
            return NONE
        return "；".join(f"{x.flag} {x.days}日 {_cite(x.basis)}" for x in ret.raises)

    def penalty(r: Regime) -> str:
        ret = r.provisions.retention
        return _cite(ret.penalty) if ret and ret.penalty else NONE

    return [
        {"key": "min_days", "label": "最短留存", "cells": {r.id: base(r) for r in regimes}},
        {"key": "raised", "label": "提高的留存", "cells": {r.id: raises(r) for r in regimes}},
        {"key": "penalty", "label": "罚则", "cells": {r.id: penalty(r) for r in regimes}},
    ]


def _privacy(regimes: list[Regime]) -> list[dict[str, Any]]:
    rows = []
    for code, label in PRIVACY_LOCATIONS.items():
        cells = {}
        for r in regimes:
            pr = r.provisions.privacy
            cells[r.id] = _cite(pr.basis) if pr and code in pr.locations else NONE
        rows.append({"key": code, "label": label, "cells": cells})
    return rows


def _access(regimes: list[Regime]) -> list[dict[str, Any]]:
    rows = []
    for req, req_label in REQUESTERS.items():
        for act, act_label in ACCESS_ACTIONS.items():
            cells = {}
            for r in regimes:
                parts = []
                for rule in r.access.rules:
                    if req in rule.requesters and act in rule.actions:
                        word = "准" if rule.effect == "permit" else "禁"
                        extra = "（紧急）" if rule.emergency else ""
                        if rule.scopes:
                            extra += "（" + "/".join(rule.scopes) + "）"
                        conds = ",".join(c.code for c in rule.conditions if c.kind != "undertaking")
                        parts.append(
                            f"{word}{_cite(rule.basis)}{extra}" + (f"[{conds}]" if conds else "")
                        )
                cells[r.id] = "；".join(parts) or "无依据"
            rows.append(
                {"key": f"{req}.{act}", "label": f"{req_label}·{act_label}", "cells": cells}
            )
    return rows


def _fine_text(f: Fine) -> str:
    who = FINE_TARGETS[f.target].split("/")[0]
    if f.multiple_of_illegal_income:
        amount = f"违法所得{f.multiple_of_illegal_income}倍"
    elif f.min == f.max:
        amount = f"{f.min}元"
    else:
        amount = f"{f.min}–{f.max}元"
    cond = FINE_CONDITIONS[f.condition]
    return f"{who}{amount}（{cond}{'，可并处' if f.discretionary else ''}）"


def _fines(regimes: list[Regime]) -> list[dict[str, Any]]:
    rows = []
    for code, label in FINDINGS.items():
        cells = {}
        for r in regimes:
            refs = sorted(
                {(b.article, b.item) for b in _penalty_refs(r, code)},
                key=lambda x: (x[0], x[1] or 0),
            )
            parts = []
            for article, item in refs:
                pen = r.penalty(article)
                cite = cite_zh({"article": article, **({"item": item} if item else {})})
                fines = "，".join(_fine_text(f) for f in pen.fines) or "无罚款"
                parts.append(f"{cite}：{fines}")
            cells[r.id] = "；".join(parts) or NONE
        rows.append({"key": code, "label": label, "cells": cells})
    return rows


def _penalty_refs(r: Regime, finding: str) -> list[Basis]:
    p = r.provisions
    refs: list[tuple[str, Basis | None]] = []
    refs += [("INSTALL_REQUIRED_MISSING", x.penalty) for x in p.installation.rules]
    if p.public_area:
        refs.append(("PUBLIC_AREA_PRIVATE_INSTALL", p.public_area.penalty))
    if p.privacy:
        refs.append(("PRIVACY_AREA_CAPTURE", p.privacy.penalty))
    refs += [(c.finding, c.penalty) for c in p.systems]
    if p.retention:
        refs.append(("RETENTION_SHORT", p.retention.penalty))
    if p.unit_duties:
        refs.append(("USER_DUTIES_UNMET", p.unit_duties.penalty))
    pr = p.practitioners
    for rule in (pr.local_filing, pr.out_of_province, pr.qualification):
        if rule:
            refs.append(("PRACTITIONER_UNQUALIFIED", rule.penalty))
    if pr.duties:
        refs.append(("PRACTITIONER_DUTIES_UNMET", pr.duties.penalty))
    refs += [(a.finding, a.penalty) for a in p.acts]
    return [b for code, b in refs if code == finding and b is not None]


TOPICS: dict[str, tuple[str, Callable[[list[Regime]], list[dict[str, Any]]]]] = {
    "installation": ("应当安装技防系统的场所类别", _installation),
    "retention": ("采获信息留存时间", _retention),
    "privacy": ("禁止视（音）频采集的隐私场所", _privacy),
    "access": ("采获信息的查看、复制、调取、使用", _access),
    "fines": ("各类违法行为的罚则", _fines),
}


def compare(topic: str) -> dict[str, Any]:
    title, build = TOPICS[topic]
    regimes = all_regimes()
    return {
        "topic": topic,
        "title": title,
        "columns": [{"id": r.id, "title": r.title} for r in regimes],
        "rows": build(regimes),
    }
