from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models.functions import Now
from django.db.models.query_utils import DeferredAttribute

from jifang.platform.core.choices import ACT_CHOICES, FINDING_CHOICES
from jifang.platform.core.models import RegistryModel
from jifang.platform.geo.models import Division, PoliceOrgan
from jifang.platform.units.models import Unit


class RectificationOrder(RegistryModel):
    """责令限期改正: an order served on a unit for a finding on one of its subjects."""

    unit = models.ForeignKey(
        Unit, verbose_name="单位", on_delete=models.CASCADE, related_name="orders"
    )
    finding = models.CharField("违法认定", max_length=40, choices=FINDING_CHOICES)
    subject = models.CharField(
        "对象", max_length=40, help_text="评估结果中的对象编号，如 p12、s3、unit"
    )
    served = models.DateField("送达日期")
    deadline = models.DateField("整改期限")
    corrected = models.BooleanField("已改正", default=False)
    harm = models.BooleanField("造成损害或严重威胁", default=False)
    serious = models.BooleanField("造成严重后果", default=False)
    issued_by = models.ForeignKey(
        PoliceOrgan, verbose_name="作出机关", null=True, blank=True, on_delete=models.PROTECT
    )

    class Meta:
        verbose_name = "责令改正"
        verbose_name_plural = "责令改正"
        ordering = ["-served"]

    def __str__(self) -> str:
        return f"{self.unit} {self.finding} {self.subject}"


class ActRecord(RegistryModel):
    """A prohibited act on record (危害技防系统或违法使用采获信息的行为)."""

    unit = models.ForeignKey(
        Unit, verbose_name="涉及单位", on_delete=models.CASCADE, related_name="acts"
    )
    code = models.CharField("行为", max_length=40, choices=ACT_CHOICES)
    by = models.CharField(
        "行为人", max_length=20, choices=[("unit", "单位"), ("individual", "个人")], default="unit"
    )
    occurred = models.DateField("发生日期")
    serious = models.BooleanField("情节严重", default=False)
    illegal_income = models.DecimalField(
        "违法所得（元）", max_digits=12, decimal_places=2, default=0
    )

    class Meta:
        verbose_name = "违法行为记录"
        verbose_name_plural = "违法行为记录"
        ordering = ["-occurred"]

    def __str__(self) -> str:
        return f"{self.unit} {self.code}"


class _AnswerAttribute(DeferredAttribute):
    """`assessment.result`: the stored answer, or for a swept row (stored without it) the
    single-unit engine's answer for the unit's records on the assessment's date, computed on
    first read and kept on the instance (never saved)."""

    def __get__(self, instance, cls=None):
        value = super().__get__(instance, cls)
        if instance is None or value is not None or instance.pk is None:
            return value
        if "_answer" not in instance.__dict__:
            instance.__dict__["_answer"] = instance.recompute()
        return instance.__dict__["_answer"]

    def __set__(self, instance, value) -> None:
        # A data descriptor, so that reads come through __get__ even once the value is set.
        instance.__dict__[self.field.attname] = value
        instance.__dict__.pop("_answer", None)


class AnswerField(models.JSONField):
    """The engine's whole answer; NULL for a swept unit (see _AnswerAttribute)."""

    descriptor_class = _AnswerAttribute


class Assessment(models.Model):
    """The engine's answer for a unit on a date, with the regime and data it used."""

    # Indexed by (unit, -as_of) and (sweep, unit) below: a sweep writes a million rows, and
    # each index more is a million more entries.
    unit = models.ForeignKey(
        Unit,
        verbose_name="单位",
        on_delete=models.CASCADE,
        related_name="assessments",
        db_index=False,
    )
    as_of = models.DateField("评估日期")
    regime_id = models.CharField("适用法规", max_length=40)
    regime_version = models.CharField("法规数据版本", max_length=64)
    data_version = models.CharField("案卷数据版本", max_length=64, help_text="案卷事实的 SHA-256")
    key_unit = models.BooleanField("技防重点单位", null=True)
    findings_count = models.PositiveIntegerField("违法认定数", default=0)
    # Swept units store their findings as rows and the counts above; the whole answer (every
    # obligation with its cited words) is recomputed when a page asks for it.
    result = AnswerField("评估结果", null=True, blank=True)
    sweep = models.ForeignKey(
        "SweepRun",
        verbose_name="所属批量评估",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assessments",
        db_index=False,
    )
    # The database's default serves a sweep's COPY (the server parsing a timestamp per row
    # would cost more than the rest of the row).
    created_at = models.DateTimeField("生成时间", auto_now_add=True, db_default=Now())

    class Meta:
        verbose_name = "评估结果"
        verbose_name_plural = "评估结果"
        ordering = ["-as_of", "-id"]
        indexes = [models.Index(fields=["unit", "-as_of"]), models.Index(fields=["sweep", "unit"])]

    def __str__(self) -> str:
        return f"{self.unit} @ {self.as_of}"

    @property
    def stored(self) -> bool:
        """Whether the whole answer is stored (single-unit assessments) or recomputed."""
        return self.__dict__.get("result") is not None

    def recompute(self) -> dict[str, Any]:
        """The single-unit engine's answer for the unit's records on `as_of`."""
        from jifang import law

        from .facts import build_case, units_for_cases

        unit = units_for_cases(Unit.objects.filter(pk=self.unit_id)).get()
        return law.assess(build_case(unit, self.as_of))


class AssessmentFinding(models.Model):
    """One finding of an assessment, kept as a row so counts by finding and division are
    plain aggregates."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="finding_rows"
    )
    division_code = models.CharField("区划代码", max_length=6, db_index=True)
    code = models.CharField("违法认定", max_length=40, choices=FINDING_CHOICES)
    subject = models.CharField("对象", max_length=40)
    article = models.PositiveSmallIntegerField("依据条")
    due_now = models.BooleanField("现可处罚", default=False)

    class Meta:
        verbose_name = "违法认定"
        verbose_name_plural = "违法认定"
        indexes = [models.Index(fields=["code", "division_code"])]


class SweepRun(models.Model):
    """A sweep: every unit of a division assessed on one date."""

    division = models.ForeignKey(Division, verbose_name="辖区", on_delete=models.PROTECT)
    as_of = models.DateField("评估日期")
    started_at = models.DateTimeField("开始", auto_now_add=True)
    finished_at = models.DateTimeField("结束", null=True)
    units = models.PositiveIntegerField("单位数", default=0)
    findings = models.PositiveIntegerField("违法认定数", default=0)
    by_finding = models.JSONField("按违法认定统计", default=dict)
    by_division = models.JSONField("按区划统计", default=dict)
    errors = models.JSONField("无法评估的单位", default=list)
    # The dashboard's figures per division of the units (normally a county), written at the
    # end of the sweep, so that a province's dashboard sums a few hundred entries:
    # {division code: {units, assessed, compliant, key_units, findings, places, systems,
    #  devices, by_finding: {code: [findings, units]}, by_category: {category: units}}}
    areas = models.JSONField("按区划汇总", default=dict)

    class Meta:
        verbose_name = "批量评估"
        verbose_name_plural = "批量评估"
        ordering = ["-started_at"]
