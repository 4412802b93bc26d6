"""What the pages need to know of the user: a role name and the menu it sees."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse

from jifang.platform.accounts.scope import PATHS
from jifang.platform.core.catalog import SLUGS, model_for

ROLE_NAMES = {
    "superuser": "系统管理员",
    "officer": "公安机关技防民警",
    "unit_admin": "单位技防管理员",
    "unit_operator": "单位值班操作员",
    "practitioner_staff": "从业单位人员",
    "public": "公众",
}


def role_of(user) -> str:
    """superuser, officer, unit_admin, unit_operator, practitioner_staff or public."""
    if user is None or not user.is_authenticated:
        return "public"
    if user.is_superuser:
        return "superuser"
    account = getattr(user, "account", None)
    return account.role if account is not None else "public"


def registries_for(role: str) -> list[str]:
    """The registries whose list a role may open (URL names, in catalogue order)."""
    if role == "superuser":
        return list(SLUGS.values())
    path_of = {
        "officer": "division",
        "unit_admin": "unit",
        "unit_operator": "unit",
        "practitioner_staff": "practitioner",
    }.get(role)
    if path_of is None:
        return []
    return [
        slug
        for label, slug in SLUGS.items()
        if PATHS[label].catalogue or getattr(PATHS[label], path_of) is not None
    ]


@dataclass(frozen=True)
class MenuItem:
    title: str
    url: str
    key: str


def menu(request: HttpRequest) -> list[tuple[str, list[MenuItem]]]:
    """The side menu, in groups, for the user's role."""
    role = role_of(request.user)
    account = getattr(request.user, "account", None)
    groups: list[tuple[str, list[MenuItem]]] = []
    work: list[MenuItem] = []
    if role in ("officer", "superuser"):
        work.append(MenuItem("工作台", reverse("web:dashboard"), "dashboard"))
    if role in ("unit_admin", "unit_operator"):
        work.append(MenuItem("本单位", reverse("web:unit", args=[account.unit_id]), "unit"))
        work.append(
            MenuItem(
                "合规自查", reverse("web:unit-self-check", args=[account.unit_id]), "self-check"
            )
        )
    if role == "practitioner_staff":
        work.append(
            MenuItem(
                "本公司",
                reverse("web:registry-detail", args=["practitioners", account.practitioner_id]),
                "company",
            )
        )
    if request.user.is_authenticated and request.user.is_staff:
        work.append(MenuItem("管理后台", "/admin/", "admin"))
    if work:
        groups.append(("工作", work))
    registers = [
        MenuItem(
            str(model_for(slug)._meta.verbose_name_plural),
            reverse("web:registry-list", args=[slug]),
            f"registry:{slug}",
        )
        for slug in registries_for(role)
    ]
    if registers:
        groups.append(("登记簿", registers))
    groups.append(
        (
            "法规",
            [
                MenuItem("法规条文", reverse("web:law"), "law"),
                MenuItem("法规对比", reverse("web:law-compare"), "law-compare"),
            ],
        )
    )
    groups.append(
        (
            "公开信息",
            [
                MenuItem(
                    "备案从业单位", reverse("web:public-practitioners"), "public-practitioners"
                ),
                MenuItem("警示名单", reverse("web:public-warning-list"), "public-warning-list"),
                MenuItem("投诉举报", reverse("web:public-complaint"), "public-complaint"),
            ],
        )
    )
    return groups


def navigation(request: HttpRequest) -> dict:
    """Context processor: the menu and the role's name on every page."""
    role = role_of(request.user)
    return {"menu": menu(request), "role": role, "role_name": ROLE_NAMES[role]}
