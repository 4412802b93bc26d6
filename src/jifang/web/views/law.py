"""The law pages (public): each regulation word for word with what the engine does with each
article, and the tables that set the regulations side by side. Everything shown is read from
the regime data; nothing here states a legal value of its own."""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import groupby

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from jifang import law
from jifang.law import vocabulary as v
from jifang.law.compare import TOPICS
from jifang.law.compare import compare as compare_topic
from jifang.law.regime import AccessCondition, Basis, Fine, Penalty, Regime
from jifang.law.text import zh_number
from jifang.web.evidence import SCOPE_LABELS, chinese_half, fact_label
from jifang.web.templatetags.jifang import cite


def regimes(request: HttpRequest) -> HttpResponse:
    rows = [
        {
            "regime": r,
            "articles": len(r.articles),
            "gaps": [a.number for a in r.articles if a.text_incomplete],
        }
        for r in law.all_regimes()
    ]
    return render(request, "web/law.html", {"rows": rows, "topics": _topics()})


def regime(request: HttpRequest, regime_id: str) -> HttpResponse:
    if regime_id not in law.regime_ids():
        raise Http404
    r = law.load(regime_id)
    uses = _uses(r)
    by_article: dict[int, list[Use]] = {}
    sanctions: dict[int, list[Use]] = {}
    in_text_order = sorted(
        uses,
        key=lambda u: (u.basis["article"], u.basis.get("paragraph") or 0, u.basis.get("item") or 0),
    )
    for use in in_text_order:
        by_article.setdefault(use.basis["article"], []).append(use)
        if use.penalty:
            sanctions.setdefault(use.penalty["article"], []).append(use)
    penalties = {p.article: p for p in r.penalties}
    articles = [
        _article(a, by_article.get(a.number, []), penalties.get(a.number), sanctions)
        for a in r.articles
    ]
    chapters = [
        {"title": title, "articles": list(group)}
        for title, group in groupby(articles, key=lambda a: a["chapter"])
    ]
    absent = [(_ABSENT.get(k, k), chinese_half(text)) for k, text in r.provisions.absent.items()]
    return render(
        request,
        "web/law_regime.html",
        {
            "regime": r,
            "chapters": chapters,
            "absent": absent,
            "notes": [chinese_half(n) for n in r.notes],
            "gaps": [a.number for a in r.articles if a.text_incomplete],
        },
    )


def compare(request: HttpRequest) -> HttpResponse:
    topic = request.GET.get("topic") or next(iter(TOPICS))
    if topic not in TOPICS:
        raise Http404
    table = compare_topic(topic)
    rows = [
        {
            "label": row["label"],
            "cells": [_linked(col["id"], row["cells"][col["id"]]) for col in table["columns"]],
        }
        for row in table["rows"]
    ]
    context = {"table": table, "rows": rows, "topic": topic, "topics": _topics()}
    if request.headers.get("HX-Request"):
        return render(request, "web/law_compare_table.html", context)
    return render(request, "web/law_compare.html", context)


def _topics() -> list[tuple[str, str]]:
    return [(key, title) for key, (title, _) in TOPICS.items()]


# --- one article ---------------------------------------------------------------------------


def _article(a, uses: list[Use], penalty: Penalty | None, sanctions: dict[int, list[Use]]):
    many = len(a.paragraphs) > 1
    return {
        "number": a.number,
        "label": f"第{zh_number(a.number)}条",
        "heading": a.heading,
        "chapter": a.chapter,
        "paragraphs": [
            {
                "label": f"第{zh_number(i)}款" if many else "",
                "anchor": f"art-{a.number}-{i}",
                "text": p.text,
                "items": p.items,
            }
            for i, p in enumerate(a.paragraphs, 1)
        ],
        "incomplete": a.text_incomplete,
        "gap_note": a.gap_note,
        "uses": uses,
        "penalty": _penalty(penalty) if penalty else None,
        "sanctions": sanctions.get(a.number, []),
    }


def _penalty(p: Penalty) -> dict:
    return {
        "measures": [v.MEASURES[m] for m in p.measures],
        "serious_measures": [v.MEASURES[m] for m in p.serious_measures],
        "serious_basis": p.serious_basis.as_dict() if p.serious_basis else None,
        "fines": [_fine(f) for f in p.fines],
        "incomplete": p.text_incomplete,
        "note": chinese_half(p.note),
    }


def _fine(f: Fine) -> str:
    who = v.FINE_TARGETS[f.target]
    if f.multiple_of_illegal_income:
        amount = f"违法所得{f.multiple_of_illegal_income}倍"
    elif f.min == f.max:
        amount = f"{f.min:,}元"
    else:
        amount = f"{f.min:,}元至{f.max:,}元"
    extra = "，可以并处" if f.discretionary else ""
    return f"对{who}罚款{amount}（{v.FINE_CONDITIONS[f.condition]}{extra}）"


# --- what the engine does with each article ------------------------------------------------


@dataclass(frozen=True)
class Use:
    """One provision of the regime data that cites an article: its kind, what it says, the
    exact citation, and the penalty article that sanctions a breach (if any)."""

    basis: dict
    kind: str
    text: str
    penalty: dict | None = None
    note: str = ""
    incomplete: bool = False


def _use(basis: Basis, kind: str, text: str, provision=None, penalty: Basis | None = None):
    penalty = penalty or getattr(provision, "penalty", None)
    return Use(
        basis=basis.as_dict(),
        kind=kind,
        text=text,
        penalty=penalty.as_dict() if penalty else None,
        note=chinese_half(getattr(provision, "note", None)),
        incomplete=bool(getattr(provision, "text_incomplete", False)),
    )


def _labels(codes, table: dict[str, str], joiner: str = "、") -> str:
    return joiner.join(table.get(c, c) for c in codes)


def _uses(r: Regime) -> list[Use]:
    """Every citation the regime's provisions, access rules and penalties make, described."""
    p = r.provisions
    out: list[Use] = []
    inst = p.installation
    for rule in inst.rules:
        kind = "应当安装" if rule.strength == "required" else "视需要安装"
        text = _labels(rule.categories, v.PLACE_CATEGORIES)
        if rule.when:
            text += "（" + "，".join(_flag(k, val) for k, val in rule.when.items()) + "）"
        if rule.condition:
            text += f"；条件：{chinese_half(rule.condition)}"
        out.append(_use(rule.basis, kind, text, rule))
    if inst.public_area:
        out.append(_use(inst.public_area, "社会公共区域", "由政府统一规划建设"))
    if inst.central_urban_basis:
        out.append(_use(inst.central_urban_basis, "中心城区", "中心城区的范围"))
    if p.public_area:
        out.append(
            _use(p.public_area.basis, "禁止行为", "单位擅自在社会公共区域安装", p.public_area)
        )
    if p.privacy:
        what = "、".join({"video": "视频", "audio": "音频"}[c] for c in p.privacy.capture)
        text = f"禁止在{_labels(p.privacy.locations, v.PRIVACY_LOCATIONS)}采集{what}"
        out.append(_use(p.privacy.basis, "隐私保护", text, p.privacy))
    for check in p.systems:
        text = f"核查“{fact_label(check.fact)}”；不符合即{v.FINDINGS[check.finding]}"
        scope = [SCOPE_LABELS.get(s, s) for s in check.scope if s != "all"]
        if scope:
            text += f"（适用：{'、'.join(scope)}）"
        out.append(_use(check.basis, "技防系统要求", text, check))
    if p.retention:
        ret = p.retention
        out.append(_use(ret.basis, "留存时间", f"采获信息至少留存{ret.days}日", ret))
        for x in ret.raises:
            text = f"{v.PLACE_FLAGS.get(x.flag, x.flag)}：至少留存{x.days}日"
            out.append(_use(x.basis, "留存时间", text, penalty=ret.penalty))
    if p.unit_duties:
        out += _duties(p.unit_duties, "使用单位义务", v.UNIT_DUTIES)
    pr = p.practitioners
    if pr.local_filing:
        out.append(_use(pr.local_filing.basis, "从业单位备案", "本地从业单位备案", pr.local_filing))
    if pr.out_of_province:
        rule = pr.out_of_province
        out.append(_use(rule.basis, "从业单位备案", "省外从业单位备案", rule))
    if pr.qualification:
        q = pr.qualification
        out.append(_use(q.basis, "从业资格", f"资格证分{q.levels}级，持证从业", q))
        out.append(_use(q.validity_basis, "从业资格", "资格证有效期", penalty=q.penalty))
        out.append(_use(q.level_basis, "从业资格", "不得越级承接工程", penalty=q.penalty))
    if pr.duties:
        out += _duties(pr.duties, "从业单位义务", v.PRACTITIONER_DUTIES)
    for act in p.acts:
        text = f"{v.ACTS[act.code]}（{v.FINDINGS[act.finding]}）"
        out.append(_use(act.basis, "禁止行为", text, act))
    out += _access(r)
    for pen in r.penalties:
        if pen.serious_basis:
            text = f"第{zh_number(pen.article)}条的严重情节：{_labels(pen.serious_measures, v.MEASURES)}"
            out.append(_use(pen.serious_basis, "罚则", text))
    return out


def _duties(rule, kind: str, table: dict[str, str]) -> list[Use]:
    """One use per duty: the item it comes from where the text keeps it."""
    out = []
    for code, item in rule.duties.items():
        basis = rule.basis
        if item is not None:
            basis = Basis(article=basis.article, paragraph=basis.paragraph, item=item)
        text = table.get(code, code) + ("" if item is not None else "（项次缺失）")
        out.append(_use(basis, kind, text, rule))
    return out


def _access(r: Regime) -> list[Use]:
    out = []
    reg = r.access.registration
    if reg.basis:
        out.append(_use(reg.basis, "调阅登记", "使用单位对查阅、复制、调取进行登记"))
    for rule in r.access.rules:
        word = "准予" if rule.effect == "permit" else "禁止"
        text = (
            f"{word}{_labels(rule.requesters, v.REQUESTERS)}"
            f"{_labels(rule.actions, v.ACCESS_ACTIONS)}采获信息"
        )
        if rule.scopes:
            text += f"（{_labels(rule.scopes, v.SYSTEM_SCOPES)}）"
        if rule.emergency:
            text += "（紧急情况）"
        out.append(_use(rule.basis, "采获信息调阅", text, rule))
        for cond in rule.conditions:
            out.append(_use(cond.basis, "调阅条件", _condition(cond)))
    # One condition is often shared by several rules: show it once per citation.
    seen, unique = set(), []
    for use in out:
        key = (tuple(sorted(use.basis.items())), use.kind, use.text)
        if key not in seen:
            seen.add(key)
            unique.append(use)
    return unique


def _condition(c: AccessCondition) -> str:
    value = c.value
    match c.kind:
        case "staff_min":
            return f"调阅人员不少于{value}人"
        case "credentials_all":
            return "出示" + _labels(value, v.CREDENTIALS)
        case "credentials_any":
            return "出示" + _labels(value, v.CREDENTIALS, "或") + "之一"
        case "approval_by_any":
            return "经" + _labels(value, v.APPROVERS, "或") + "批准"
        case "registered":
            return "办理登记"
        case "consent":
            return "经使用单位同意"
        case "involves_none":
            return "不涉及" + _labels(value, v.INVOLVES)
        case _:
            return "承诺" + _UNDERTAKINGS.get(c.code, c.code)


def _flag(code: str, value) -> str:
    label = v.PLACE_FLAGS.get(code, code)
    return label if value is True else f"非{label}" if value is False else f"{label}={value}"


_UNDERTAKINGS = {
    "CONFIDENTIALITY": "保守秘密",
    "PURPOSE_LIMITED": "仅用于所述用途",
    "VIEW_ONLY": "仅限查看",
    "LEGITIMATE_INTEREST": "为维护合法权益",
}
_ABSENT = {
    "privacy": "隐私场所",
    "retention": "留存时间",
    "signage": "提示标识",
    "practitioner_filing": "从业单位备案",
    "practitioner_qualification": "从业资格",
    "practitioner_duties": "从业单位义务",
    "unit_duties": "使用单位义务",
    "public_area": "社会公共区域",
    "acts": "禁止行为",
    "products": "技防产品",
    "network": "联网",
    "penalties": "罚则",
}


# --- citations in the comparison tables ----------------------------------------------------

_NUM = "[零一二三四五六七八九十]+"
_CITATION = re.compile(rf"第({_NUM})条(?:第({_NUM})款)?(?:第（({_NUM})）项)?")
_DIGITS = "零一二三四五六七八九"


def _zh_int(text: str) -> int:
    """The inverse of zh_number (1..99): 九 → 9, 十二 → 12, 二十三 → 23."""
    tens, ten, ones = text.partition("十")
    if not ten:
        return _DIGITS.index(text)
    return (_DIGITS.index(tens) if tens else 1) * 10 + (_DIGITS.index(ones) if ones else 0)


def _linked(regime_id: str, text: str) -> SafeString:
    """A comparison cell with each citation turned into a link to the article it names."""
    out, last = [], 0
    for m in _CITATION.finditer(text):
        basis = {"article": _zh_int(m.group(1))}
        if m.group(2):
            basis["paragraph"] = _zh_int(m.group(2))
        if m.group(3):
            basis["item"] = _zh_int(m.group(3))
        out += [escape(text[last : m.start()]), cite(regime_id, basis)]
        last = m.end()
    out.append(escape(text[last:]))
    return mark_safe("".join(str(x) for x in out))  # every piece is escaped above
