"""The engine's words in plain Chinese: the facts it weighed (by the registry's labels and
values) and the evidence of its findings, which the engine states in English in a fixed set
of shapes (see jifang.law.engine). tests/web/test_evidence.py runs every law test case and
fails on any evidence no pattern here puts into Chinese.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.core.exceptions import FieldDoesNotExist

from jifang.law import vocabulary as v
from jifang.law.text import zh_number
from jifang.platform.systems.models import System

# --- facts ---------------------------------------------------------------------------------

# The scopes a provision applies to (the regime data's codes).
SCOPE_LABELS = {
    "all": "全部技防系统",
    "key_unit": "技防重点单位",
    "must_install": "应当安装的场所",
    "public_area": "社会公共区域",
    "public_place": "公共场所",
    "new_construction": "新建、改建、扩建工程",
    "video": "视频监控系统",
    "system_user": "技防系统使用单位",
}

# Facts the engine records in its trace that are not fields of a system.
FACT_LABELS = {
    "categories": "场所类别",
    "covered_by_system": "有技防系统覆盖",
    "condition": "法规所附条件",
    "public_area_places": "覆盖的社会公共区域",
    "location": "安装位置",
    "video": "采集视频",
    "audio": "采集音频",
    "scope": "适用范围",
    "in_scope": "属于适用范围",
    "required_days": "应当留存天数",
    "retention_days": "登记的留存天数",
    "duty": "义务",
    "done": "已履行",
    "home_province": "注册地省份代码",
    "filed": "已向公安机关备案",
    "out_of_province_filed": "省外单位已备案",
    "qualification_level": "资格证等级",
    "qualification_valid_until": "资格证有效期至",
    "required_level": "工程所需资格等级",
    "code": "行为",
    "by": "行为人",
    "serious": "情节严重",
    "illegal_income": "违法所得（元）",
    "duties": "义务履行情况",
    "in_use": "投入使用",
}
ACTORS = {"unit": "单位", "individual": "个人", "organisation": "单位"}


def _system_field(name: str):
    try:
        return System._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def fact_label(name: str) -> str:
    """A fact by its label: the engine's own facts above, else the system field's."""
    field = _system_field(name)
    if name in FACT_LABELS:
        return FACT_LABELS[name]
    return str(field.verbose_name) if field is not None else name


def duties_of(code: str) -> dict[str, str]:
    """The duty labels of an obligation or finding code: the unit's or the practitioner's."""
    return v.PRACTITIONER_DUTIES if code.startswith("PRACTITIONER") else v.UNIT_DUTIES


def chinese_half(text: str | None) -> str:
    """The Chinese half of a bilingual text ("中文 / English")."""
    return re.split(r"\s*/\s+(?=[A-Za-z])", text or "", maxsplit=1)[0].strip()


def _yes_no(value: Any) -> str:
    return {True: "是", False: "否"}.get(value, str(value))


def fact_value(
    name: str, value: Any, names: dict[str, str], duties: dict[str, str] = v.UNIT_DUTIES
) -> str:
    """A fact as the registry would say it."""
    if value is None:
        return "无法确定" if name == "in_scope" else "未登记"
    if isinstance(value, bool):
        return _yes_no(value)
    if name == "categories":
        return "、".join(v.PLACE_CATEGORIES.get(c, c) for c in value)
    if name == "scope":
        return "、".join(SCOPE_LABELS.get(s, s) for s in value)
    if name == "public_area_places":
        return "、".join(names.get(p, p) for p in value)
    if name == "location":
        return v.DEVICE_LOCATIONS.get(value, value)
    if name == "duty":
        return duties.get(value, value)
    if name == "code":
        return v.ACTS.get(value, value)
    if name == "by":
        return ACTORS.get(value, value)
    if name == "condition":
        return chinese_half(value)
    if name == "duties" and isinstance(value, dict):
        return (
            "；".join(
                f"{v.PRACTITIONER_DUTIES.get(k, k)}：{fact_value('done', x, names)}"
                for k, x in value.items()
            )
            or "未登记"
        )
    if name in ("retention_days", "required_days"):
        return f"{value} 日"
    if name in ("qualification_level", "required_level"):
        return f"{zh_number(int(value))}级"
    field = _system_field(name)
    if field is not None and field.choices:
        return str(dict(field.choices).get(value, value))
    return str(value)


# --- evidence ------------------------------------------------------------------------------


def _names_of(codes: str, names: dict[str, str]) -> str:
    return "、".join(names.get(c.strip(), c.strip()) for c in codes.split(","))


def _system_fact(m: re.Match, names: dict[str, str], finding: dict) -> str:
    fact, have, want = m[1], m[2], m[3]

    def value(raw: str) -> str:
        # The engine writes booleans in lower case; other values are choice codes ("none").
        return fact_value(fact, {"true": True, "false": False}.get(raw, raw), names)

    wanted = "或".join(f"“{value(w)}”" for w in want.split(" or "))
    return f"“{fact_label(fact)}”登记为“{value(have)}”，应为{wanted}"


# The engine states its evidence in a fixed set of shapes (see jifang.law.engine); each is put
# into Chinese here. Anything else is shown as the engine wrote it, and fails the test.
_EVIDENCE: list[tuple[re.Pattern, Callable[[re.Match, dict[str, str], dict], str]]] = [
    (
        re.compile(r"no system covers place (\S+) \((.*)\)"),
        lambda m, n, f: (
            f"没有技防系统覆盖{n.get(m[1], m[1])}（"
            + "、".join(v.PLACE_CATEGORIES.get(c.strip(), c) for c in m[2].split(","))
            + "）"
        ),
    ),
    (
        re.compile(r"built_by_government false in public area (.*)"),
        lambda m, n, f: f"该系统不是政府统一建设，却覆盖社会公共区域：{_names_of(m[1], n)}",
    ),
    (
        re.compile(r"(\S+) capture at (\S+)"),
        lambda m, n, f: (
            f"在{v.DEVICE_LOCATIONS.get(m[2], m[2])}采集"
            + "、".join({"video": "视频", "audio": "音频"}.get(k, k) for k in m[1].split("/"))
        ),
    ),
    (
        re.compile(r"retention_days (\d+) < (\d+)"),
        lambda m, n, f: f"采获信息留存 {m[1]} 日，少于应当留存的 {m[2]} 日",
    ),
    (
        re.compile(r"duties\.(\w+) false"),
        lambda m, n, f: f"未履行“{duties_of(f['code']).get(m[1], m[1])}”义务",
    ),
    (
        re.compile(r"(filed|out_of_province_filed) false"),
        lambda m, n, f: f"“{fact_label(m[1])}”登记为“否”",
    ),
    (re.compile(r"no qualification certificate.*"), lambda m, n, f: "没有资格证"),
    (
        re.compile(r"qualification_level (\d+) does not exist \(levels 1\.\.(\d+)\)"),
        lambda m, n, f: (
            f"资格证等级登记为{zh_number(int(m[1]))}级，"
            f"而本法规的资格证只分{zh_number(int(m[2]))}级"
        ),
    ),
    (
        re.compile(r"qualification_level (\d+) below required_level (\d+).*"),
        lambda m, n, f: (
            f"资格证为{zh_number(int(m[1]))}级，低于工程所需的{zh_number(int(m[2]))}级（一级最高）"
        ),
    ),
    (
        re.compile(r"qualification expired (\S+)"),
        lambda m, n, f: f"资格证已于 {m[1]} 到期",
    ),
    (
        re.compile(r"act (\w+) by (\w+)"),
        lambda m, n, f: f"{v.ACTS.get(m[1], m[1])}（行为人：{ACTORS.get(m[2], m[2])}）",
    ),
    (re.compile(r"(\w+) (\S+), required (.+)"), _system_fact),
]


def evidence_zh(finding: dict[str, Any], names: dict[str, str]) -> str:
    """A finding's evidence in Chinese, the engine's subjects (p12, s3…) by `names`."""
    evidence = finding["evidence"]
    for pattern, say in _EVIDENCE:
        m = pattern.fullmatch(evidence)
        if m:
            return say(m, names, finding)
    return evidence
