from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from jifang.platform.core.models import RegistryModel
from jifang.platform.geo.models import PoliceOrgan
from jifang.platform.practitioners.models import Practitioner
from jifang.platform.units.models import Unit


class Account(RegistryModel):
    """What a user is in the domain: an officer of a police organ, a key unit's administrator
    or operator, or a practitioner's staff. The organ, unit or company bounds what they see."""

    class Role(models.TextChoices):
        OFFICER = "officer", "公安机关技防民警"
        UNIT_ADMIN = "unit_admin", "单位技防管理员"
        UNIT_OPERATOR = "unit_operator", "单位值班操作员"
        PRACTITIONER_STAFF = "practitioner_staff", "从业单位人员"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="用户",
        on_delete=models.CASCADE,
        related_name="account",
    )
    role = models.CharField("角色", max_length=20, choices=Role.choices)
    organ = models.ForeignKey(
        PoliceOrgan,
        verbose_name="所属公安机关",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="accounts",
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name="所属单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="accounts",
    )
    practitioner = models.ForeignKey(
        Practitioner,
        verbose_name="所属从业单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="accounts",
    )

    class Meta:
        verbose_name = "账户"
        verbose_name_plural = "账户"

    def __str__(self) -> str:
        return f"{self.user}（{self.get_role_display()}）"

    def clean(self) -> None:
        need = {
            self.Role.OFFICER: "organ",
            self.Role.UNIT_ADMIN: "unit",
            self.Role.UNIT_OPERATOR: "unit",
            self.Role.PRACTITIONER_STAFF: "practitioner",
        }
        field = need.get(self.role)
        for name in ("organ", "unit", "practitioner"):
            present = getattr(self, f"{name}_id") is not None
            if name == field and not present:
                raise ValidationError({name: "该角色必须指定 / this role needs it"})
            if name != field and present:
                raise ValidationError({name: "该角色不应指定 / this role must not have it"})

    @property
    def division_prefix(self) -> str | None:
        """The code prefix of the organ's jurisdiction (officers only)."""
        return self.organ.division.prefix if self.organ_id else None


class LoginFailure(models.Model):
    """A failed login, counted for the lockout (the audit log records it as well)."""

    username = models.CharField("用户名", max_length=150)
    ip = models.GenericIPAddressField("来源地址", null=True, blank=True)
    at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "登录失败"
        verbose_name_plural = "登录失败"
        indexes = [models.Index(fields=["username", "at"])]
