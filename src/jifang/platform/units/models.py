from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models

from jifang.law import vocabulary as v
from jifang.platform.core.choices import PLACE_CATEGORY_CHOICES
from jifang.platform.core.models import RegistryModel
from jifang.platform.core.validators import validate_uscc
from jifang.platform.geo.models import Division


class Unit(RegistryModel):
    """A unit (单位) or an individual the rules concern."""

    class Kind(models.TextChoices):
        ORGANISATION = "organisation", "单位"
        INDIVIDUAL = "individual", "个人"

    name = models.CharField("名称", max_length=200)
    kind = models.CharField("类型", max_length=20, choices=Kind.choices, default=Kind.ORGANISATION)
    uscc = models.CharField(
        "统一社会信用代码",
        max_length=18,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_uscc],
    )
    division = models.ForeignKey(
        Division, verbose_name="所在区划", on_delete=models.PROTECT, related_name="units"
    )
    address = models.CharField("地址", max_length=300, blank=True)
    phone = models.CharField("联系电话", max_length=40, blank=True)
    duties = models.JSONField(
        "管理义务履行情况", default=dict, blank=True, help_text="义务代码 → true/false；缺省为未知"
    )

    class Meta:
        verbose_name = "单位"
        verbose_name_plural = "单位"
        ordering = ["division__code", "name"]
        indexes = [
            models.Index(fields=["division", "name"]),
            # a province's list filtered by kind, in registration order (see listing.ordered)
            models.Index(fields=["kind", "id"], name="units_unit_kind_id"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.kind == self.Kind.ORGANISATION and not self.uscc:
            raise ValidationError(
                {
                    "uscc": "单位应当登记统一社会信用代码 / an organisation needs its unified social credit code"
                }
            )
        bad = [k for k in self.duties if k not in v.UNIT_DUTIES]
        if bad:
            raise ValidationError(
                {
                    "duties": f"未知的义务代码：{', '.join(bad)} / unknown duty codes: {', '.join(bad)}"
                }
            )
        if any(not isinstance(x, bool | None) for x in self.duties.values()):
            raise ValidationError(
                {"duties": "义务取值应为 true、false 或 null / a duty is true, false or null"}
            )


class ResponsiblePerson(RegistryModel):
    """单位负责人、直接负责的主管人员或技防联系人."""

    unit = models.ForeignKey(
        Unit, verbose_name="单位", on_delete=models.CASCADE, related_name="responsible_persons"
    )
    name = models.CharField("姓名", max_length=50)
    role = models.CharField("职务", max_length=50, blank=True)
    phone = models.CharField("电话", max_length=40, blank=True)

    class Meta:
        verbose_name = "负责人"
        verbose_name_plural = "负责人"
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="responsible_person_unique_name")
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.role}）" if self.role else self.name


class Place(RegistryModel):
    """A place or part (场所/部位) of a unit, with its categories and flags."""

    unit = models.ForeignKey(
        Unit, verbose_name="单位", on_delete=models.CASCADE, related_name="places"
    )
    name = models.CharField("名称", max_length=200)
    categories = models.JSONField(
        "场所类别", default=list, help_text="共享词表中的场所类别代码列表"
    )
    public_area = models.BooleanField("社会公共区域", default=False)
    anti_terror_target = models.BooleanField("防范恐怖袭击重点目标", default=False)
    police_key_place = models.BooleanField("公安机关确定的重点场所", default=False)
    central_urban = models.BooleanField("中心城区", null=True, blank=True)
    new_construction = models.BooleanField("新建、改建、扩建工程", default=False)

    class Meta:
        verbose_name = "场所/部位"
        verbose_name_plural = "场所/部位"
        ordering = ["unit_id", "id"]
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="place_unique_name")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        known = dict(PLACE_CATEGORY_CHOICES)
        if not self.categories:
            raise ValidationError(
                {"categories": "至少需要一个场所类别 / at least one place category is needed"}
            )
        bad = [c for c in self.categories if c not in known]
        if bad:
            raise ValidationError(
                {
                    "categories": f"未知的场所类别代码：{', '.join(bad)} / unknown place category codes: {', '.join(bad)}"
                }
            )
