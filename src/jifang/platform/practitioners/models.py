from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models

from jifang.law import vocabulary as v
from jifang.platform.core.models import RegistryModel
from jifang.platform.core.validators import validate_uscc
from jifang.platform.geo.models import Division, PoliceOrgan


class Practitioner(RegistryModel):
    """A company that designs, installs, maintains systems or runs alarm services."""

    name = models.CharField("名称", max_length=200)
    uscc = models.CharField(
        "统一社会信用代码", max_length=18, unique=True, validators=[validate_uscc]
    )
    home_province = models.CharField(
        "注册地省份代码", max_length=2, validators=[RegexValidator(r"^\d{2}$")]
    )
    division = models.ForeignKey(
        Division,
        verbose_name="经营场所区划",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="practitioners",
    )
    address = models.CharField("地址", max_length=300, blank=True)
    filed = models.BooleanField("已向公安机关备案", null=True, blank=True)
    filing_number = models.CharField("备案编号", max_length=60, blank=True)
    out_of_province_filed = models.BooleanField("省外单位已备案", null=True, blank=True)
    duties = models.JSONField("从业义务履行情况", default=dict, blank=True)
    on_warning_list = models.BooleanField("列入警示公告名录", default=False)
    warning_reason = models.CharField("警示事由", max_length=300, blank=True)

    class Meta:
        verbose_name = "从业单位"
        verbose_name_plural = "从业单位"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        bad = [k for k in self.duties if k not in v.PRACTITIONER_DUTIES]
        if bad:
            raise ValidationError(
                {
                    "duties": f"未知的义务代码：{', '.join(bad)} / unknown duty codes: {', '.join(bad)}"
                }
            )

    def certificate_on(self, day):
        """The qualification certificate in force on `day`, if any (the highest level)."""
        certs = [c for c in self.certificates.all() if c.valid_from <= day <= c.valid_until]
        return min(certs, key=lambda c: c.level) if certs else None


class QualificationCertificate(RegistryModel):
    """资格证: a graded certificate (level 1 is highest) with its validity."""

    practitioner = models.ForeignKey(
        Practitioner, verbose_name="从业单位", on_delete=models.CASCADE, related_name="certificates"
    )
    level = models.PositiveSmallIntegerField(
        "等级", validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    number = models.CharField("证书编号", max_length=60, unique=True)
    issuing_organ = models.ForeignKey(
        PoliceOrgan, verbose_name="发证机关", null=True, blank=True, on_delete=models.PROTECT
    )
    valid_from = models.DateField("有效期起")
    valid_until = models.DateField("有效期至")

    class Meta:
        verbose_name = "资格证"
        verbose_name_plural = "资格证"
        ordering = ["practitioner_id", "-valid_until"]

    def __str__(self) -> str:
        return f"{self.number}（{self.level}级）"

    def clean(self) -> None:
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            raise ValidationError(
                {"valid_until": "有效期至不能早于有效期起 / valid until is before valid from"}
            )


class Personnel(RegistryModel):
    """从业人员: staff registered and archived as the texts require."""

    practitioner = models.ForeignKey(
        Practitioner, verbose_name="从业单位", on_delete=models.CASCADE, related_name="personnel"
    )
    name = models.CharField("姓名", max_length=50)
    role = models.CharField("岗位", max_length=50, blank=True)
    trained = models.BooleanField("已接受业务和保密培训", default=False)

    class Meta:
        verbose_name = "从业人员"
        verbose_name_plural = "从业人员"
        constraints = [
            models.UniqueConstraint(fields=["practitioner", "name"], name="personnel_unique_name")
        ]

    def __str__(self) -> str:
        return self.name
