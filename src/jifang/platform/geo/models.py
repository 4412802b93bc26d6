from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models

from jifang.platform.core.models import RegistryModel
from jifang.platform.core.validators import validate_division_code


class Division(RegistryModel):
    """An administrative division (行政区划) with its GB/T 2260 code and governing regime."""

    class Level(models.TextChoices):
        PROVINCE = "province", "省级"
        CITY = "city", "地级"
        COUNTY = "county", "县级"

    code = models.CharField(
        "区划代码", max_length=6, unique=True, validators=[validate_division_code]
    )
    name = models.CharField("名称", max_length=100)
    level = models.CharField("级别", max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级区划",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    regime_id = models.CharField(
        "适用法规",
        max_length=40,
        blank=True,
        help_text="由区划代码按已编码法规确定；为空表示无已编码法规",
    )

    class Meta:
        verbose_name = "行政区划"
        verbose_name_plural = "行政区划"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"

    @property
    def prefix(self) -> str:
        """The code prefix all divisions below this one share (44, 4401, 440106)."""
        return {"province": self.code[:2], "city": self.code[:4]}.get(self.level, self.code)

    def clean(self) -> None:
        from jifang.law import regime_ids

        if self.regime_id and self.regime_id not in regime_ids():
            raise ValidationError(
                {
                    "regime_id": f"没有已编码的法规 {self.regime_id} / no encoded regime {self.regime_id}"
                }
            )
        if self.parent and not self.code.startswith(self.parent.prefix):
            raise ValidationError(
                {
                    "parent": "下级区划代码应以上级区划代码开头 / a division's code must start with its parent's"
                }
            )


class PoliceOrgan(RegistryModel):
    """A public security organ (公安机关) and its technical prevention office."""

    name = models.CharField("名称", max_length=100)
    division = models.ForeignKey(
        Division, verbose_name="辖区", on_delete=models.PROTECT, related_name="police_organs"
    )
    office = models.CharField("技防部门", max_length=100, blank=True)
    phone = models.CharField("电话", max_length=40, blank=True)

    class Meta:
        verbose_name = "公安机关"
        verbose_name_plural = "公安机关"
        ordering = ["division__code", "name"]
        constraints = [models.UniqueConstraint(fields=["name"], name="police_organ_unique_name")]

    def __str__(self) -> str:
        return self.name
