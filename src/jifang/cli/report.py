"""Readable Chinese reports of engine results, and tables for `jifang compare`."""

from __future__ import annotations

import unicodedata
from typing import Any

from jifang.law.text import cite_zh
from jifang.law.vocabulary import (
    DECISIONS,
    FINDINGS,
    FINE_CONDITIONS,
    FINE_TARGETS,
    MEASURES,
)

_STATUS_ZH = {
    "met": "已履行",
    "violated": "违反",
    "insufficient_facts": "事实不足",
    "not_applicable": "不适用",
}


def _header(result: dict[str, Any]) -> str:
    reg = result["regime"]
    return (
        f"{reg['title']}（{reg['id']}，{reg['in_force_from']} 起施行）\n"
        f"评估日期 / as of：{result['as_of']}"
    )


def _fine(f: dict[str, Any]) -> str:
    who = FINE_TARGETS[f["target"]].split("/")[0]
    if "multiple_of_illegal_income" in f:
        amount = f"违法所得 {f['multiple_of_illegal_income']} 倍"
        if "amount" in f:
            amount += f"（{f['amount']:g} 元）"
    elif f["min"] == f["max"]:
        amount = f"{f['min']} 元"
    else:
        amount = f"{f['min']}–{f['max']} 元"
    flags = [FINE_CONDITIONS[f["condition"]]]
    if f.get("discretionary"):
        flags.append("可以并处")
    flags.append("现可处罚" if f.get("due_now") else "现不可处罚")
    return f"{who} {amount}（{'，'.join(flags)}）"


def render_assessment(result: dict[str, Any]) -> str:
    lines = ["技防合规评估 / assessment", _header(result), ""]
    counts: dict[str, int] = {}
    for o in result["obligations"]:
        counts[o["status"]] = counts.get(o["status"], 0) + 1
    summary = "，".join(f"{_STATUS_ZH[k]} {v}" for k, v in sorted(counts.items()))
    lines.append(f"义务 {len(result['obligations'])} 项：{summary}")
    for o in result["obligations"]:
        if o["status"] in {"violated", "insufficient_facts"}:
            extra = f" {o['duty']}" if "duty" in o else ""
            lines.append(
                f"  [{_STATUS_ZH[o['status']]}] {o['code']}{extra} — {o['subject']}"
                f"（{cite_zh(o['basis'])}）"
            )
    lines += ["", f"违法认定 {len(result['findings'])} 项："]
    if not result["findings"]:
        lines.append("  无 / none")
    for i, f in enumerate(result["findings"], 1):
        lines.append(f"  {i}. {FINDINGS[f['code']]}（{f['code']}）— {f['subject']}")
        lines.append(f"     依据：{cite_zh(f['basis'])}：{f['text']}")
        lines.append(f"     事实：{f['evidence']}")
        pen = f["penalty"]
        if pen is None:
            lines.append("     罚则：本法规未设定 / no penalty article")
            continue
        measures = "、".join(MEASURES[m] for m in pen["measures"]) or "—"
        lines.append(f"     罚则：{cite_zh(pen['basis'])}：{measures}")
        lines += [f"       · {_fine(x)}" for x in pen["fines"]]
        lines.append(f"     现可罚款 / due now：{'是' if pen['due_now'] else '否'}")
    if result["notes"]:
        lines += ["", "说明 / notes："] + [f"  - {n}" for n in result["notes"]]
    return "\n".join(lines)


def render_access(result: dict[str, Any]) -> str:
    lines = [
        "采获信息调阅审查 / access check",
        _header(result),
        "",
        f"结论：{DECISIONS[result['decision']]}（{result['decision']}）",
    ]
    if result.get("basis"):
        lines.append("依据：" + "、".join(cite_zh(b) for b in result["basis"]))
    for c in result["conditions"]:
        mark = "✓" if c["met"] else "✗"
        kind = "（承诺事项）" if c.get("undertaking") else ""
        lines.append(f"  {mark} {c['code']}{kind}（{cite_zh(c['basis'])}）")
    if result["missing"]:
        lines.append("尚需补齐：" + "、".join(result["missing"]))
    if result["register_fields"]:
        lines.append("登记事项：" + "、".join(result["register_fields"]))
    if result["notes"]:
        lines += ["说明 / notes："] + [f"  - {n}" for n in result["notes"]]
    return "\n".join(lines)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def render_table(table: dict[str, Any]) -> str:
    """A plain-text table; long cells wrap onto their own lines, one regime per line."""
    lines = [f"{table['title']}（{table['topic']}）", ""]
    ids = [c["id"] for c in table["columns"]]
    id_w = max(len(i) for i in ids)
    for row in table["rows"]:
        lines.append(f"{row['key']} — {row['label']}")
        for rid in ids:
            lines.append(f"    {_pad(rid, id_w)}  {row['cells'][rid]}")
    return "\n".join(lines)
