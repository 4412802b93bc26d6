"""The public pages (no login): filed practitioners, the warning list, and complaints.

Everyone, signed in or not, sees the same public lists here: the practitioners page asks
`restrict` for what an anonymous visitor may view, so an officer does not see unfiled
companies on it. Only public fields are shown (no personnel, no identity or phone numbers).
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.models import AnonymousUser
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from jifang.law.text import zh_number
from jifang.platform.accounts.scope import restrict
from jifang.platform.complaints import services as complaints
from jifang.platform.complaints.models import MESSAGES, Complaint
from jifang.platform.geo.models import Division
from jifang.platform.practitioners.models import Practitioner
from jifang.platform.practitioners.selectors import warning_list as warning_listed

PAGE_SIZE = 50


def public_practitioners() -> QuerySet[Practitioner]:
    """The rows the public may view: filed and not on the warning list (asked of `restrict`)."""
    return restrict(Practitioner.objects.all(), AnonymousUser(), "view")


def practitioners(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()
    rows = _search(public_practitioners(), q).prefetch_related("certificates")
    page = _page(request, rows)
    today = timezone.localdate()
    items = []
    for pr in page:
        cert = pr.certificate_on(today)
        items.append(
            {
                "practitioner": pr,
                "place": _place(pr),
                "level": f"{zh_number(cert.level)}级" if cert else "",
                "valid_until": cert.valid_until if cert else None,
            }
        )
    context = {"items": items, "page": page, "q": q}
    if request.headers.get("HX-Request"):
        return render(request, "web/public_practitioners_results.html", context)
    return render(request, "web/public_practitioners.html", context)


def warning_list(request: HttpRequest) -> HttpResponse:
    # The warning list (警示公告名录) is published as such: read by its own selector, since
    # the public rows `restrict` gives are the companies *not* on it.
    q = request.GET.get("q", "").strip()
    rows = _search(warning_listed(), q, Q(warning_reason__icontains=q) if q else None)
    page = _page(request, rows)
    items = [{"practitioner": pr, "place": _place(pr)} for pr in page]
    context = {"items": items, "page": page, "q": q}
    if request.headers.get("HX-Request"):
        return render(request, "web/public_warning_list_results.html", context)
    return render(request, "web/public_warning_list.html", context)


def _search(rows: QuerySet[Practitioner], q: str, extra: Q | None = None) -> QuerySet:
    """Name, unified social credit code, or the city or county of the business premises."""
    rows = rows.select_related("division", "division__parent")
    if q:
        match = (
            Q(name__icontains=q)
            | Q(uscc__icontains=q)
            | Q(division__name__icontains=q)
            | Q(division__parent__name__icontains=q)
        )
        rows = rows.filter(match | extra if extra is not None else match)
    return rows.order_by("name", "pk")


def _page(request: HttpRequest, rows: QuerySet):
    return Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))


def _place(pr: Practitioner) -> str:
    d = pr.division
    if d is None:
        return ""
    return f"{d.parent.name}{d.name}" if d.parent and d.level == "county" else d.name


# --- complaints ----------------------------------------------------------------------------


class _DivisionChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Division) -> str:
        parent = f"{obj.parent.name} " if obj.parent else ""
        return f"{parent}{obj.name}（{obj.code}）"


class ComplaintForm(forms.ModelForm):
    division = _DivisionChoice(
        label="所涉区划",
        queryset=Division.objects.filter(level=Division.Level.COUNTY)
        .select_related("parent")
        .order_by("code"),
        empty_label="请选择县（市、区）",
        error_messages=MESSAGES,
    )
    practitioner = forms.ModelChoiceField(
        label="被投诉从业单位",
        queryset=Practitioner.objects.none(),
        required=False,
        empty_label="（不在名录中或不涉及从业单位）",
        help_text="投诉已备案的技防从业单位时，可从名录中选择",
        error_messages=MESSAGES,
    )

    class Meta:
        model = Complaint
        fields = [
            "division",
            "about",
            "subject_name",
            "practitioner",
            "content",
            "contact_name",
            "contact_phone",
        ]
        widgets = {"content": forms.Textarea(attrs={"rows": 8})}
        error_messages = {name: MESSAGES for name in fields}
        help_texts = {
            "subject_name": "被投诉的公司、单位或场所名称",
            "contact_phone": "选填；留下电话便于民警核实情况",
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["practitioner"].queryset = public_practitioners().order_by("name")
        self.fields["about"].choices = [("", "请选择"), *Complaint.About.choices]

    def clean_contact_phone(self) -> str:
        return "".join(self.cleaned_data.get("contact_phone", "").split())

    def problems(self) -> list[str]:
        """Each error as "字段：说明 / field: message", in the order of the form."""
        out = []
        for name, errors in self.errors.items():
            label = self.fields[name].label if name in self.fields else "表单"
            for message in errors:
                zh, _, en = message.partition(" / ")
                out.append(f"{label}：{zh} / {name if name in self.fields else 'form'}: {en or zh}")
        return out


def complaint(request: HttpRequest) -> HttpResponse:
    """The complaint form; with ?code=… the complainant's own look-up of its status."""
    if "code" in request.GET:
        return _status(request, request.GET["code"])
    form = ComplaintForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            saved = complaints.submit(form.instance, request.META.get("REMOTE_ADDR"))
        except complaints.TooManyComplaints as exc:
            form.add_error(None, str(exc))
            status = 429
        else:
            return render(request, "web/public_complaint_done.html", {"complaint": saved})
    return render(
        request,
        "web/public_complaint.html",
        {"form": form, "problems": form.problems() if form.is_bound else []},
        status=status,
    )


def _status(request: HttpRequest, code: str) -> HttpResponse:
    found = complaints.find_by_code(code)
    if found is None:
        return render(
            request,
            "web/public_complaint.html",
            {
                "form": ComplaintForm(),
                "problems": [],
                "code": code,
                "lookup_problem": "查询码：未找到对应的投诉举报，请核对 / "
                "code: no complaint has this tracking code",
            },
            status=404,
        )
    return render(request, "web/public_complaint_status.html", {"complaint": found})
