"""Prohibited acts against systems and against captured information."""

from __future__ import annotations

from .facts import Facts
from .outcome import Outcome


def check_acts(facts: Facts, out: Outcome) -> None:
    rules = {r.code: r for r in facts.regime.provisions.acts}
    for i, act in enumerate(facts.case.acts):
        subject = act.id or f"acts[{i}]"
        rule = rules.get(act.code)
        if rule is None:
            out.note(
                f"{facts.regime.title}没有明文禁止行为 {act.code} 并设定罚则 / "
                f"{facts.regime.id} has no provision on act {act.code}" + _absent(facts)
            )
            continue
        scope = facts.in_scope(rule.scope)
        record = {
            "code": act.code,
            "by": act.by,
            "serious": act.serious,
            "illegal_income": act.illegal_income,
            "in_scope": scope,
        }
        if scope is False:
            out.obligation(
                "NO_PROHIBITED_ACT", subject, "not_applicable", rule.basis, record, act=act.code
            )
            out.note(
                f"{subject}：{rule.basis.label()}只约束社会公共区域和技防重点单位的技防系统 / "
                f"{subject}: art. {rule.basis.article} protects only public-area and "
                "key-unit systems"
            )
            continue
        if scope is None:
            out.obligation(
                "NO_PROHIBITED_ACT", subject, "insufficient_facts", rule.basis, record, act=act.code
            )
            out.note(
                f"{subject}：{rule.basis.label()}只约束社会公共区域和技防重点单位的技防系统，"
                f"而本案无法确定受侵害的系统是否属于此类 / {subject}: art. "
                f"{rule.basis.article} protects public-area and key-unit systems only, and "
                "whether this system is one cannot be determined"
            )
            continue
        if rule.text_incomplete:
            out.note(rule.note)
        out.obligation("NO_PROHIBITED_ACT", subject, "violated", rule.basis, record, act=act.code)
        out.finding(
            rule.finding,
            subject,
            rule.basis,
            f"act {act.code} by {act.by}",
            rule.penalty,
            actor="individual" if act.by == "individual" else "organisation",
            serious=act.serious,
            illegal_income=act.illegal_income,
            act=act.code,
        )


def _absent(facts: Facts) -> str:
    text = facts.regime.provisions.absent.get("acts")
    return f"；{text}" if text else ""
