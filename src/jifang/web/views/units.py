"""A unit's page (its registry records and latest assessment, which an officer may run again)
and its self-check (the engine on today's records, nothing stored, with what to fix).

Every legal value shown (days, fines, measures, the words of the law) is read from the
engine's answer or the regime data; the code below only puts it into plain Chinese.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from jifang import law
from jifang.law import vocabulary as v
from jifang.law.regime import Regime, SystemCheck
from jifang.law.text import zh_number
from jifang.platform.auditlog.refusals import note_refusal
from jifang.platform.compliance.facts import build_case, units_for_cases
from jifang.platform.compliance.models import ActRecord, Assessment, RectificationOrder
from jifang.platform.compliance.services import assess_unit
from jifang.platform.systems.models import Device, System
from jifang.platform.units.models import Place, ResponsiblePerson, Unit
from jifang.web.access import get_scoped_or_404, scoped
from jifang.web.evidence import chinese_half, duties_of, evidence_zh, fact_label, fact_value
from jifang.web.roles import role_of

DEVICES_PER_PAGE = 50
REASSESS_ROLES = ("officer", "superuser")

STATUS_LABELS = {
    "met": "已履行",
    "violated": "违反",
    "insufficient_facts": "事实不足",
    "not_applicable": "不适用",
}

# The engine's obligation codes (those a regime's system checks name are labelled by the
# system fact they check, see _obligation_label).
OBLIGATION_LABELS = {
    "INSTALL": "应当安装技防系统",
    "TAKE_MEASURES": "根据需要采取技防措施",
    "NO_PRIVATE_PUBLIC_AREA_INSTALL": "不得擅自在社会公共区域安装",
    "NO_PRIVACY_CAPTURE": "不得在涉及隐私的场所和部位采集视（音）频",
    "RETENTION_MIN_DAYS": "采获信息留存时间",
    "USER_DUTY": "使用单位管理义务",
    "PRACTITIONER_FILING": "从业单位备案",
    "PRACTITIONER_OUT_OF_PROVINCE_FILING": "省外从业单位备案",
    "PRACTITIONER_QUALIFICATION": "从业单位资格证",
    "PRACTITIONER_DUTY": "从业单位义务",
    "NO_PROHIBITED_ACT": "不得实施危害技防系统或违法使用采获信息的行为",
}


# --- the unit page -------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def unit_page(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_scoped_or_404(request, Unit, pk, queryset=Unit.objects.select_related("division"))
    if request.method == "POST":
        return _reassess(request, unit)
    devices = _devices_page(request, unit)
    if request.headers.get("HX-Request") and "devices" in request.GET:
        return render(request, "web/unit_devices.html", {"unit": unit, "devices": devices})
    places = list(scoped(request, Place).filter(unit=unit).order_by("pk"))
    systems = list(
        scoped(request, System)
        .filter(unit=unit)
        .select_related("practitioner")
        .prefetch_related("places")
        .order_by("pk")
    )
    context = {
        "unit": unit,
        "duties": [
            {"label": label, "done": unit.duties.get(code)} for code, label in v.UNIT_DUTIES.items()
        ],
        "persons": scoped(request, ResponsiblePerson).filter(unit=unit).order_by("pk"),
        "places": [
            {
                "place": p,
                "categories": [v.PLACE_CATEGORIES.get(c, c) for c in p.categories],
                "flags": [
                    label for name, label in v.PLACE_FLAGS.items() if getattr(p, name, False)
                ],
            }
            for p in places
        ],
        "systems": [
            {
                "system": s,
                "subsystems": [v.SUBSYSTEMS.get(c, c) for c in s.subsystems],
                "places": [p.name for p in s.places.all()],
            }
            for s in systems
        ],
        "devices": devices,
        "orders": [
            _order_view(o)
            for o in scoped(request, RectificationOrder).filter(unit=unit).order_by("-served")
        ],
        "acts": scoped(request, ActRecord).filter(unit=unit).order_by("-occurred"),
        **_assessment_context(request, unit),
    }
    return render(request, "web/unit.html", context)


def _devices_page(request: HttpRequest, unit: Unit):
    devices = (
        scoped(request, Device)
        .filter(system__unit=unit)
        .select_related("system", "product")
        .order_by("system_id", "code", "pk")
    )
    return Paginator(devices, DEVICES_PER_PAGE).get_page(request.GET.get("devices"))


def can_reassess(request: HttpRequest) -> bool:
    """Officers (in scope: the unit was fetched through their scope) and superusers."""
    return role_of(request.user) in REASSESS_ROLES


def _reassess(request: HttpRequest, unit: Unit) -> HttpResponse:
    if not can_reassess(request):
        note_refusal(request, "assess", "units.unit", unit.pk, "forbidden")
        return HttpResponseForbidden("重新评估：仅限公安机关技防民警 / re-assess: officers only")
    error = None
    try:
        assess_unit(unit)
    except law.LawError as exc:
        error = exc
    if not request.headers.get("HX-Request"):
        if error is None:
            messages.success(request, "已按今日登记数据重新评估。")
        else:
            messages.error(request, "无法评估：" + "；".join(p.zh for p in error.problems))
        return redirect("web:unit", pk=unit.pk)
    context = {"unit": unit, **_assessment_context(request, unit), "reassessed": error is None}
    if error is not None:
        context["assess_error"] = [p.zh for p in error.problems]
    return render(request, "web/unit_assessment.html", context)


def _assessment_context(request: HttpRequest, unit: Unit) -> dict[str, Any]:
    """The latest assessment of `unit` as the page shows it."""
    assessment = scoped(request, Assessment).filter(unit=unit).order_by("-as_of", "-id").first()
    context: dict[str, Any] = {"can_reassess": can_reassess(request), "assessment": None}
    if assessment is None:
        return context
    result = assessment.result
    regime = law.load(assessment.regime_id)
    subjects = {o["subject"] for o in result["obligations"]}
    subjects |= {f["subject"] for f in result["findings"]}
    names = subject_names(request, unit, subjects)
    obligations = [
        {
            **o,
            "label": obligation_label(o, regime),
            "subject_name": names.get(o["subject"], o["subject"]),
            "status_label": STATUS_LABELS.get(o["status"], o["status"]),
        }
        for o in result["obligations"]
    ]
    counts: dict[str, int] = {}
    for o in obligations:
        counts[o["status_label"]] = counts.get(o["status_label"], 0) + 1
    context.update(
        assessment=assessment,
        regime_id=assessment.regime_id,
        regime_title=result["regime"]["title"],
        obligations=obligations,
        status_counts=sorted(counts.items()),
        findings=[finding_view(f, names) for f in result["findings"]],
        notes=[chinese_half(n) for n in result.get("notes", [])],
    )
    return context


def _order_view(order: RectificationOrder) -> dict[str, Any]:
    today = timezone.localdate()
    return {
        "order": order,
        "label": v.FINDINGS.get(order.finding, order.finding),
        "overdue": not order.corrected and order.deadline < today,
    }


# --- the self-check ------------------------------------------------------------------------


@login_required
def self_check(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_scoped_or_404(request, Unit, pk, queryset=Unit.objects.select_related("division"))
    today = timezone.localdate()
    context: dict[str, Any] = {"unit": unit, "today": today}
    case_unit = units_for_cases(Unit.objects.filter(pk=unit.pk)).get()
    try:
        result = law.assess(build_case(case_unit, today), explain=True)
    except law.LawError as exc:
        context["error"] = [p.zh for p in exc.problems]
        return render(request, "web/unit_self_check.html", context)
    regime = law.load(result["regime"]["id"])
    subjects = {o["subject"] for o in result["obligations"]}
    names = subject_names(request, unit, subjects | {f["subject"] for f in result["findings"]})
    orders = list(scoped(request, RectificationOrder).filter(unit=unit))
    list_lost = any(
        o["code"] == "INSTALL" and o.get("text_incomplete") for o in result["obligations"]
    )
    items = [
        _fix_item(o, facts, finding, regime, names, orders, unit, list_lost)
        for o, facts, finding in pair_obligations(result)
        if o["status"] in ("violated", "insufficient_facts")
    ]
    items.sort(key=lambda i: i["status"] != "violated")  # violations first, order kept
    articles = sorted(
        {o["basis"]["article"] for o in result["obligations"]}
        | {f["penalty"]["basis"]["article"] for f in result["findings"] if f["penalty"]}
    )
    context.update(
        result=result,
        regime_id=regime.id,
        violations=sum(1 for i in items if i["status"] == "violated"),
        unknowns=sum(1 for i in items if i["status"] == "insufficient_facts"),
        met=sum(1 for o in result["obligations"] if o["status"] == "met"),
        items=items,
        articles=[article_view(regime, n) for n in articles],
        notes=[chinese_half(n) for n in result["notes"]],
    )
    return render(request, "web/unit_self_check.html", context)


def pair_obligations(
    result: dict[str, Any],
) -> list[tuple[dict[str, Any], dict[str, Any], dict[str, Any] | None]]:
    """Each obligation with the facts the engine weighed and the finding it gave rise to.

    The explained trace has one step per obligation, each finding's step right after the
    obligation it breaches; without a trace, findings are matched by subject and citation.
    """
    obligations, findings = result["obligations"], result["findings"]
    steps = result.get("trace") or []
    pairs: list[list[Any]] = []
    found = 0
    for step in steps:
        if step["rule"].startswith("finding:"):
            if pairs and found < len(findings):
                pairs[-1][2] = findings[found]
            found += 1
        elif len(pairs) < len(obligations):
            pairs.append([obligations[len(pairs)], step["facts"], None])
    if len(pairs) == len(obligations) and found == len(findings):
        return [tuple(p) for p in pairs]
    out = []
    for o in obligations:
        match = next(
            (
                f
                for f in findings
                if o["status"] == "violated"
                and f["subject"] == o["subject"]
                and f["basis"] == o["basis"]
                and f.get("duty") == o.get("duty")
            ),
            None,
        )
        out.append((o, {}, match))
    return out


def _fix_item(
    o: dict[str, Any],
    facts: dict[str, Any],
    finding: dict[str, Any] | None,
    regime: Regime,
    names: dict[str, str],
    orders: list[RectificationOrder],
    unit: Unit,
    list_lost: bool = False,
) -> dict[str, Any]:
    subject = names.get(o["subject"], o["subject"])
    # Orders on the unit itself may name it "unit" or by its name (as the engine reads them).
    aliases = {o["subject"], "unit", unit.name} if o["subject"] == "unit" else {o["subject"]}
    item: dict[str, Any] = {
        "status": o["status"],
        "status_label": STATUS_LABELS[o["status"]],
        "code": o["code"],
        "title": obligation_label(o, regime),
        "subject": o["subject"],
        "subject_name": subject,
        "basis": o["basis"],
        "text": o["text"],
        "facts": facts_view(facts, names, duties_of(o["code"])),
        "todo": todo(o, facts, regime, subject, list_lost),
        "finding": finding_view(finding, names) if finding else None,
        "orders": [],
    }
    if finding:
        item["orders"] = [
            _order_view(order)
            for order in orders
            if order.finding == finding["code"] and order.subject in aliases
        ]
    return item


# --- labels --------------------------------------------------------------------------------


@cache
def _system_checks(regime_id: str) -> tuple[SystemCheck, ...]:
    return tuple(law.load(regime_id).provisions.systems)


def _check_for(o: dict[str, Any], regime: Regime) -> SystemCheck | None:
    for check in _system_checks(regime.id):
        if check.obligation == o["code"] and check.basis.as_dict() == o["basis"]:
            return check
    return next((c for c in _system_checks(regime.id) if c.obligation == o["code"]), None)


def obligation_label(o: dict[str, Any], regime: Regime) -> str:
    code = o["code"]
    if code in OBLIGATION_LABELS:
        label = OBLIGATION_LABELS[code]
    else:
        check = _check_for(o, regime)
        label = f"技防系统：{fact_label(check.fact)}" if check else code
    if o.get("duty"):
        duties = v.UNIT_DUTIES if code == "USER_DUTY" else v.PRACTITIONER_DUTIES
        label += f"：{duties.get(o['duty'], o['duty'])}"
    if o.get("act"):
        label += f"：{v.ACTS.get(o['act'], o['act'])}"
    return label


def subject_names(request: HttpRequest, unit: Unit, subjects: set[str]) -> dict[str, str]:
    """Readable names of the engine's subjects (p12, s3, d40, pr7, a5, unit), read from the
    unit's records the user may see."""
    ids: dict[str, set[int]] = {"p": set(), "s": set(), "d": set(), "pr": set(), "a": set()}
    for subject in subjects:
        m = re.fullmatch(r"(pr|p|s|d|a)(\d+)", subject)
        if m:
            ids[m[1]].add(int(m[2]))
    names = {"unit": f"本单位（{unit.name}）"}
    if ids["p"]:
        for pk, name in (
            scoped(request, Place).filter(unit=unit, pk__in=ids["p"]).values_list("pk", "name")
        ):
            names[f"p{pk}"] = f"场所“{name}”"
    if ids["s"]:
        for pk, name in (
            scoped(request, System).filter(unit=unit, pk__in=ids["s"]).values_list("pk", "name")
        ):
            names[f"s{pk}"] = f"系统“{name}”"
    if ids["d"]:
        rows = scoped(request, Device).filter(system__unit=unit, pk__in=ids["d"])
        for pk, code, system in rows.values_list("pk", "code", "system__name"):
            names[f"d{pk}"] = f"设备 {code}（系统“{system}”）"
    if ids["pr"]:
        # The company is named on the unit's own system records.
        rows = scoped(request, System).filter(unit=unit, practitioner_id__in=ids["pr"])
        for pk, name in rows.values_list("practitioner_id", "practitioner__name").distinct():
            names[f"pr{pk}"] = f"承建单位“{name}”"
    if ids["a"]:
        rows = scoped(request, ActRecord).filter(unit=unit, pk__in=ids["a"])
        for pk, code, day in rows.values_list("pk", "code", "occurred"):
            names[f"a{pk}"] = f"违法行为记录（{v.ACTS.get(code, code)}，{day:%Y-%m-%d}）"
    return names


def facts_view(
    facts: dict[str, Any], names: dict[str, str], duties: dict[str, str] = v.UNIT_DUTIES
) -> list[dict[str, Any]]:
    return [
        {
            "name": name,
            "label": fact_label(name),
            "value": fact_value(name, value, names, duties),
            "unknown": value is None,
        }
        for name, value in facts.items()
        if name not in ("evidence", "note")
    ]


# --- findings and penalties ----------------------------------------------------------------


def _fine_text(fine: dict[str, Any]) -> str:
    who = v.FINE_TARGETS.get(fine["target"], fine["target"])
    if fine.get("multiple_of_illegal_income") is not None:
        amount = f"违法所得{fine['multiple_of_illegal_income']}倍的罚款"
        if fine.get("amount") is not None:
            amount += f"（{fine['amount']:,.0f} 元）"
    elif fine["min"] == fine["max"]:
        amount = f"罚款 {fine['min']:,} 元"
    else:
        amount = f"罚款 {fine['min']:,} 元至 {fine['max']:,} 元"
    return f"对{who}处{amount}"


def penalty_view(pen: dict[str, Any] | None) -> dict[str, Any] | None:
    if pen is None:
        return None
    return {
        "basis": pen["basis"],
        "measures": [v.MEASURES.get(m, m) for m in pen["measures"]],
        "fines": [
            {
                "text": _fine_text(f),
                "condition": v.FINE_CONDITIONS.get(f["condition"], f["condition"]),
                "discretionary": f.get("discretionary", False),
                "due_now": f.get("due_now", False),
                "superseded": f.get("superseded", False),
            }
            for f in pen["fines"]
        ],
        "due_now": pen["due_now"],
    }


def finding_view(f: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    return {
        **f,
        "label": v.FINDINGS.get(f["code"], f["code"]),
        "subject_name": names.get(f["subject"], f["subject"]),
        "evidence_zh": evidence_zh(f, names),
        "penalty": penalty_view(f["penalty"]),
    }


# --- what to do ----------------------------------------------------------------------------


def todo(
    o: dict[str, Any],
    facts: dict[str, Any],
    regime: Regime,
    subject: str,
    list_lost: bool = False,
) -> str:
    """What the unit should do about one obligation, in plain Chinese: derived from the
    obligation, the facts the engine weighed and the regime's provision, never from numbers
    of its own. `list_lost`: the regime's list of places that must install is lost, so
    whether a place is a key one cannot be told from any registry data."""
    code, violated = o["code"], o["status"] == "violated"
    missing = [fact_label(k) for k, x in facts.items() if x is None and k != "in_scope"]
    fill = ("请在登记中补填：" + "、".join(f"“{m}”" for m in missing) + "。") if missing else ""
    scope_text = ""
    if "in_scope" in facts and facts["in_scope"] is None:
        scopes = facts.get("scope") or _provision_scope(code, regime)
        within = fact_value("scope", scopes, {}) if scopes else "本条的适用范围"
        why = (
            "本法规列举应当安装场所的条文缺失（见下方说明），须待公安机关认定。"
            if list_lost
            else "请补全场所登记（场所类别及各项标志）。"
        )
        scope_text = f"本条只适用于{within}；按现有登记数据无法判断{subject}是否属于此类：{why}"
    if code == "INSTALL":
        if violated:
            return f"为{subject}安装技防系统并投入使用，并在技防系统登记中把该场所列为覆盖场所。"
        if facts.get("condition"):
            return (
                f"法规以“{chinese_half(facts['condition'])}”为应当安装的条件，登记中没有这一事实："
                f"请核实{subject}是否具备该条件；已安装技防系统的，请在系统登记中把该场所列为覆盖场所。"
            )
        return (
            "该法规的相关列举条文缺失，无法判断此场所是否应当安装；"
            "已安装技防系统的，请在系统登记中把该场所列为覆盖场所。"
        )
    if code == "TAKE_MEASURES":
        return "法规要求此类场所根据需要采取技防措施；已安装技防系统的，请在系统登记中把该场所列为覆盖场所。"
    if code == "NO_PRIVATE_PUBLIC_AREA_INSTALL":
        if violated:
            return (
                f"社会公共区域的技防系统由政府统一规划建设：请拆除{subject}中单位自行安装、"
                "覆盖社会公共区域的部分，或按公安机关要求办理，并更新登记。"
            )
        return f"请在{subject}的登记中填写“政府统一建设”。"
    if code == "NO_PRIVACY_CAPTURE":
        if violated:
            where = fact_value("location", facts.get("location"), {})
            return f"立即拆除{subject}，或关闭其在{where}的视（音）频采集功能，并更新设备登记。"
        return f"请登记{subject}的安装位置，以及是否采集视频、音频。"
    if code == "RETENTION_MIN_DAYS":
        days = o.get("value") or facts.get("required_days")
        if violated:
            have = facts.get("retention_days")
            now = f"（现为 {have} 日）" if have is not None else ""
            return f"将{subject}的采获信息留存时间延长至不少于 {days} 日{now}，并更新系统登记。"
        return scope_text or f"请登记{subject}的采获信息留存天数（本法规要求不少于 {days} 日）。"
    if code == "PRACTITIONER_DUTY" and not o.get("duty"):
        return (
            f"本法规列举从业单位义务的条文缺失，无法逐项核对{subject}的义务履行情况；无需单位处理。"
        )
    if code in ("USER_DUTY", "PRACTITIONER_DUTY"):
        duty = duties_of(code).get(o.get("duty") or "", o.get("duty"))
        if code == "USER_DUTY":
            if violated:
                return f"建立并落实“{duty}”，完成后在单位登记中将该义务记为已履行。"
            return scope_text or f"请在单位登记中填写“{duty}”义务的履行情况。"
        if violated:
            return f"督促{subject}履行“{duty}”义务，或委托履行该义务的从业单位。"
        return f"请登记{subject}“{duty}”义务的履行情况。"
    if code in ("PRACTITIONER_FILING", "PRACTITIONER_OUT_OF_PROVINCE_FILING"):
        if violated:
            return f"{subject}未按规定向公安机关备案：请督促其办理备案，或改由已备案的从业单位承建、维护。"
        return fill or f"请登记{subject}的注册地和备案情况。"
    if code == "PRACTITIONER_QUALIFICATION":
        if violated:
            return (
                f"{subject}的资格证不符合要求（见登记数据）：请改由持有有效且等级相符资格证的"
                "从业单位承建、维护，或由其更新资格证后更新登记。"
            )
        return fill or f"请登记{subject}的资格证等级、有效期和工程所需等级。"
    if code == "NO_PROHIBITED_ACT":
        if violated:
            return "立即停止该行为，消除影响，并按公安机关的要求整改。"
        return scope_text or "请补全受影响系统所在场所的登记。"
    check = _check_for(o, regime)
    if check is not None:
        label = fact_label(check.fact)
        if violated:
            when = "".join(
                f"（本项适用于“{fact_label(k)}”为“{fact_value(k, x, {})}”的系统）"
                for k, x in check.when.items()
            )
            if list(check.expect) == [True]:
                return f"使{subject}做到“{label}”{when}，整改后更新系统登记。"
            wanted = "或".join(f"“{fact_value(check.fact, x, {})}”" for x in check.expect)
            return f"将{subject}的“{label}”改为{wanted}{when}，整改后更新系统登记。"
        return scope_text or fill or f"请在{subject}的登记中填写“{label}”。"
    return scope_text or fill or "请核实并补全相关登记。"


def _provision_scope(code: str, regime: Regime) -> list[str]:
    """The scope the regime gives the provision behind an obligation (where it has one)."""
    p = regime.provisions
    rule = {"RETENTION_MIN_DAYS": p.retention, "USER_DUTY": p.unit_duties}.get(code)
    return list(getattr(rule, "scope", None) or [])


# --- article texts -------------------------------------------------------------------------


def article_view(regime: Regime, number: int) -> dict[str, Any]:
    article = regime.article(number)
    many = len(article.paragraphs) > 1
    return {
        "number": number,
        "label": f"第{zh_number(number)}条",
        "heading": article.heading,
        "paragraphs": [
            {"label": f"第{zh_number(i)}款" if many else "", "text": p.text, "items": p.items}
            for i, p in enumerate(article.paragraphs, 1)
        ],
        "incomplete": article.text_incomplete,
        "gap_note": article.gap_note,
    }
