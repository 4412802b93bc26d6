"""The officer's dashboard: the registries and compliance of the officer's area, with charts
drawn from the same figures served as JSON.

When a finished sweep covers the area, the figures are those the sweep wrote per division
(`SweepRun.areas`), summed over the divisions of the area: a province of a million units costs a
few hundred rows. Otherwise they are counted live by the database (every figure one aggregate
query over the latest assessment of each unit)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from jifang.law import vocabulary as v
from jifang.platform.accounts.scope import paths_for
from jifang.platform.compliance import selectors
from jifang.platform.compliance.models import AssessmentFinding, SweepRun
from jifang.platform.core.choices import FINDING_CHOICES
from jifang.platform.geo.models import Division
from jifang.platform.practitioners.models import Practitioner
from jifang.platform.systems.models import Device, System
from jifang.platform.units.models import Place, Unit
from jifang.web.access import get_scoped_or_404, scoped
from jifang.web.roles import role_of

ROLES = ("officer", "superuser")
# "label（CODE）" from the registry's choices: the label alone, the code is shown beside it.
FINDING_LABELS = {code: label.removesuffix(f"（{code}）") for code, label in FINDING_CHOICES}


@dataclass(frozen=True)
class Area:
    """What the dashboard counts: the user's scope, narrowed to one division if chosen."""

    prefix: str  # division code prefix ("" for a superuser's whole country)
    division: Division | None  # the chosen division, None for the whole scope

    def rows(self, request: HttpRequest, model: type[Model]) -> QuerySet:
        """The rows of `model` the user may see that lie in the area."""
        rows = scoped(request, model)
        if not self.prefix:
            return rows
        return rows.filter(**{f"{paths_for(model).division}__startswith": self.prefix})

    def query(self, **params: str) -> str:
        """A registry list's query string for this area, plus `params`."""
        if self.prefix:
            params = {"division": self.prefix, **params}
        return "?" + urlencode(params) if params else ""


def _area(request: HttpRequest) -> Area:
    """The area from ?division=CODE (a division inside the user's scope, else 404)."""
    code = request.GET.get("division", "").strip()
    if code:
        found = Division.objects.filter(code=code).values_list("pk", flat=True).first()
        division = get_scoped_or_404(request, Division, found)
        return Area(division.prefix, division)
    account = getattr(request.user, "account", None)
    prefix = account.division_prefix if account is not None else ""
    return Area(prefix or "", None)


def _registry(slug: str, area: Area, **params: str) -> str:
    return reverse("web:registry-list", args=[slug]) + area.query(**params)


def _live(request: HttpRequest, area: Area) -> dict:
    """The figures counted from the latest assessment of each unit, now."""
    units = area.rows(request, Unit)
    findings = selectors.open_findings(area.rows(request, AssessmentFinding), units)
    return {
        "counts": selectors.compliance_counts(units),
        "by_category": selectors.units_by_category(units, list(v.PLACE_CATEGORIES)),
        "kinds": list(selectors.count_findings_by(findings, "code")),
        "by_division": list(selectors.count_findings_by(findings, "division_code")),
        "registries": None,
        "sweep": None,
    }


def _swept(run: SweepRun, area: Area) -> dict:
    """The same figures as the sweep that covers the area wrote them (a few hundred rows
    summed, however many units: a province's dashboard stays fast)."""
    got = selectors.swept_figures(run, area.prefix)

    def ranked(pairs: dict[str, list[int]], field: str) -> list[dict]:
        rows = [{field: k, "findings": n, "units": u} for k, (n, u) in pairs.items()]
        return sorted(rows, key=lambda r: (-r["findings"], r[field]))

    return {
        "counts": {k: got[k] for k in ("units", "assessed", "compliant", "key_units")},
        "by_category": got["by_category"],
        "kinds": ranked(got["by_code"], "code"),
        "by_division": ranked(got["by_division"], "division_code"),
        "registries": {k: got[k] for k in ("places", "systems", "devices")},
        "sweep": run,
    }


def _figures(request: HttpRequest, area: Area) -> dict:
    """From the newest finished sweep covering the area, else counted live."""
    run = selectors.covering_sweep(area.prefix)
    if run is not None:
        return _swept(run, area)
    return _live(request, area)


def _charts(request: HttpRequest, area: Area, got: dict | None = None) -> dict:
    """The figures the charts draw (and the tables beside them show)."""
    got = got or _figures(request, area)
    counts = got["counts"]
    categories = [
        {
            "code": code,
            "label": v.PLACE_CATEGORIES[code],
            "units": n,
            "url": _registry("units", area, category=code),
        }
        for code, n in sorted(got["by_category"].items(), key=lambda kv: (-kv[1], kv[0]))
        if n and code in v.PLACE_CATEGORIES
    ]
    kinds = [
        {
            "code": row["code"],
            "label": FINDING_LABELS.get(row["code"], row["code"]),
            "findings": row["findings"],
            "units": row["units"],
            "url": _registry("findings", area, code=row["code"], latest="true"),
        }
        for row in got["kinds"]
    ]
    by_division = got["by_division"]
    names = dict(
        scoped(request, Division)
        .filter(code__in=[row["division_code"] for row in by_division])
        .values_list("code", "name")
    )
    divisions = [
        {
            "code": row["division_code"],
            "name": names.get(row["division_code"], row["division_code"]),
            "findings": row["findings"],
            "units": row["units"],
            "url": reverse("web:registry-list", args=["findings"])
            + "?"
            + urlencode({"division": row["division_code"], "latest": "true"}),
        }
        for row in by_division
    ]
    run = got["sweep"]
    assessed, compliant = counts["assessed"], counts["compliant"]
    return {
        "division": {"code": area.division.code, "name": area.division.name}
        if area.division
        else None,
        "compliance": {
            "units": counts["units"],
            "key_units": counts["key_units"],
            "assessed": assessed,
            "compliant": compliant,
            "non_compliant": assessed - compliant,
            "not_assessed": counts["units"] - assessed,
            "rate": round(100 * compliant / assessed, 1) if assessed else None,
        },
        "units_by_category": categories,
        "findings_by_kind": kinds,
        "findings_by_division": divisions,
        "open_findings": sum(k["findings"] for k in kinds),
        # where the figures come from: a sweep's precomputed figures, or live counts
        "source": {
            "sweep": run.pk,
            "division": run.division.code,
            "as_of": run.as_of.isoformat(),
            "finished_at": run.finished_at.isoformat(),
            "finished": timezone.localtime(run.finished_at).strftime("%Y-%m-%d %H:%M"),
        }
        if run is not None
        else None,
    }


def _totals(
    request: HttpRequest, area: Area, compliance: dict, swept: dict | None = None
) -> list[dict]:
    def stat(title: str, n: int, slug: str | None) -> dict:
        return {"title": title, "n": n, "url": _registry(slug, area) if slug else None}

    def count(model: type[Model], name: str) -> int:
        return swept[name] if swept is not None else area.rows(request, model).count()

    return [
        stat("单位", compliance["units"], "units"),
        # Key units are what the latest assessments say: no registry list shows exactly those.
        stat("技防重点单位", compliance["key_units"], None),
        stat("场所/部位", count(Place, "places"), "places"),
        stat("技防系统", count(System, "systems"), "systems"),
        stat("设备", count(Device, "devices"), "devices"),
        stat("从业单位", area.rows(request, Practitioner).count(), "practitioners"),
    ]


_DEPTH = {"province": 0, "city": 1, "county": 2}


def _division_options(request: HttpRequest) -> list[dict]:
    """The divisions of the filter, indented under their parents (full-width spaces)."""
    rows = list(scoped(request, Division).order_by("code").values("code", "name", "level"))
    top = min((_DEPTH[r["level"]] for r in rows), default=0)
    return [{**r, "indent": "\u3000" * (_DEPTH[r["level"]] - top)} for r in rows]


def _forbidden(request: HttpRequest) -> bool:
    return role_of(request.user) not in ROLES


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    if _forbidden(request):
        return redirect("web:home")
    area = _area(request)
    got = _figures(request, area)
    figures = _charts(request, area, got)
    context = {
        "area": area,
        "figures": figures,
        "totals": _totals(request, area, figures["compliance"], got["registries"]),
        "divisions": _division_options(request),
        "sweep": scoped(request, SweepRun)
        .select_related("division")
        .order_by("-started_at", "-pk")
        .first(),
        # The same ?division= as this page (a division's code, not the registry's prefix).
        "charts_url": reverse("web:dashboard-charts")
        + (f"?{urlencode({'division': area.division.code})}" if area.division else ""),
        "units_url": _registry("units", area),
    }
    if request.headers.get("HX-Request"):
        return render(request, "web/dashboard_body.html", context)
    return render(request, "web/dashboard.html", context)


@login_required
def charts(request: HttpRequest) -> HttpResponse:
    if _forbidden(request):
        return JsonResponse(
            {"error": "仅限公安机关技防民警 / officers only", "status": 403}, status=403
        )
    data = _charts(request, _area(request))
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})
