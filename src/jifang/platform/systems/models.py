from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from jifang.law import vocabulary as v
from jifang.platform.core.choices import DEVICE_LOCATION_CHOICES
from jifang.platform.core.models import RegistryModel
from jifang.platform.practitioners.models import Practitioner
from jifang.platform.units.models import Place, Unit


class Product(RegistryModel):
    """技防产品, with its certification (检验、认证) status."""

    class Certification(models.TextChoices):
        CERTIFIED = "certified", "已检验/认证"
        UNCERTIFIED = "uncertified", "未检验/认证"
        UNKNOWN = "unknown", "未知"

    name = models.CharField("名称", max_length=200)
    model_number = models.CharField("型号", max_length=100)
    manufacturer = models.CharField("生产企业", max_length=200)
    certification = models.CharField(
        "认证状态", max_length=20, choices=Certification.choices, default=Certification.UNKNOWN
    )
    certificate_number = models.CharField("证书编号", max_length=80, blank=True)

    class Meta:
        verbose_name = "技防产品"
        verbose_name_plural = "技防产品"
        ordering = ["manufacturer", "model_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["manufacturer", "model_number"], name="product_unique_model"
            )
        ]

    def __str__(self) -> str:
        return f"{self.manufacturer} {self.model_number}"


class System(RegistryModel):
    """A technical prevention system of a unit, with its lifecycle and compliance facts."""

    class Status(models.TextChoices):
        PLANNED = "planned", "规划"
        DESIGN_REVIEW = "design_review", "方案论证/审核"
        CONSTRUCTION = "construction", "施工"
        ACCEPTED = "accepted", "已验收"
        IN_USE = "in_use", "使用中"
        RETIRED = "retired", "已停用"

    class Review(models.TextChoices):
        NONE = "none", "未论证/审核"
        PENDING = "pending", "审核中"
        APPROVED = "approved", "已通过"
        REJECTED = "rejected", "未通过"

    class Acceptance(models.TextChoices):
        NONE = "none", "未验收"
        FAILED = "failed", "验收不合格"
        PASSED = "passed", "验收合格"

    unit = models.ForeignKey(
        Unit, verbose_name="单位", on_delete=models.CASCADE, related_name="systems"
    )
    name = models.CharField("名称", max_length=200)
    places = models.ManyToManyField(
        Place, verbose_name="覆盖场所", related_name="systems", blank=True
    )
    subsystems = models.JSONField("子系统", default=list, blank=True)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.IN_USE)
    built_by_government = models.BooleanField("政府统一建设", null=True, blank=True)
    design_review = models.CharField(
        "设计方案论证/审核", max_length=10, choices=Review.choices, null=True, blank=True
    )
    built_per_design = models.BooleanField("按方案施工", null=True, blank=True)
    built_with_project = models.BooleanField("与建设工程同步", null=True, blank=True)
    acceptance = models.CharField(
        "验收", max_length=10, choices=Acceptance.choices, null=True, blank=True
    )
    standards_compliant = models.BooleanField("符合标准", null=True, blank=True)
    products_certified = models.BooleanField(
        "产品经检验/认证", null=True, blank=True, help_text="为空时按设备所用产品推定"
    )
    network_interface = models.BooleanField("预留联网接口", null=True, blank=True)
    connected_to_police_platform = models.BooleanField("接入公安机关平台", null=True, blank=True)
    police_requested_connection = models.BooleanField("公安机关要求联网", null=True, blank=True)
    retention_days = models.PositiveIntegerField("采获信息留存天数", null=True, blank=True)
    signage = models.BooleanField("设置提示标识", null=True, blank=True)
    practitioner = models.ForeignKey(
        Practitioner,
        verbose_name="承建从业单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="systems",
    )
    required_level = models.PositiveSmallIntegerField(
        "工程所需资格等级",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(4)],
    )

    class Meta:
        verbose_name = "技防系统"
        verbose_name_plural = "技防系统"
        ordering = ["unit_id", "id"]
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="system_unique_name")]

    def __str__(self) -> str:
        return self.name

    @property
    def in_use(self) -> bool:
        return self.status == self.Status.IN_USE

    def clean(self) -> None:
        bad = [s for s in self.subsystems if s not in v.SUBSYSTEMS]
        if bad:
            raise ValidationError(
                {
                    "subsystems": f"未知的子系统代码：{', '.join(bad)} / unknown subsystem codes: {', '.join(bad)}"
                }
            )


class Device(RegistryModel):
    """A camera, detector, reader or other device of a system."""

    class Kind(models.TextChoices):
        CAMERA = "camera", "摄像机"
        ALARM = "alarm", "入侵探测器"
        READER = "reader", "出入口读卡/识别设备"
        RECORDER = "recorder", "录像存储设备"
        OTHER = "other", "其他"

    system = models.ForeignKey(
        System, verbose_name="技防系统", on_delete=models.CASCADE, related_name="devices"
    )
    code = models.CharField("设备编号", max_length=60)
    kind = models.CharField("类型", max_length=20, choices=Kind.choices, default=Kind.CAMERA)
    location = models.CharField("安装位置", max_length=30, choices=DEVICE_LOCATION_CHOICES)
    video = models.BooleanField("视频采集", null=True, blank=True)
    audio = models.BooleanField("音频采集", null=True, blank=True)
    product = models.ForeignKey(
        Product,
        verbose_name="产品",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="devices",
    )
    certificate_number = models.CharField("产品证书编号", max_length=80, blank=True)

    class Meta:
        verbose_name = "设备"
        verbose_name_plural = "设备"
        ordering = ["system_id", "code"]
        constraints = [
            models.UniqueConstraint(fields=["system", "code"], name="device_unique_code")
        ]

    def __str__(self) -> str:
        return self.code
