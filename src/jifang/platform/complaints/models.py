"""A complaint from the public: what and where it concerns, and how the office answered.

The complainant gets a random tracking code (查询码) and looks the status up with it; the
code is the only way to the row without an account, and it shows only the status and reply.
"""

from __future__ import annotations

import secrets

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, RegexValidator
from django.db import models
from django.utils import timezone

from jifang.platform.core.models import RegistryModel
from jifang.platform.geo.models import Division
from jifang.platform.practitioners.models import Practitioner

CONTENT_MAX = 2000
# No 0/O, 1/I/L: a code read out over the phone or copied by hand stays unambiguous.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 12  # 31**12 ≈ 2**59: not guessable by trying

# Field messages in the project's form: Chinese, then English.
MESSAGES = {
    "blank": "必填 / required",
    "null": "必填 / required",
    "required": "必填 / required",
    "invalid_choice": "不是可选的值 / not one of the choices",
    "max_length": "最多%(limit_value)d个字（现有%(show_value)d个） / "
    "at most %(limit_value)d characters (it has %(show_value)d)",
}

validate_phone = RegexValidator(
    r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(-\d{1,6})?)$",
    "应为11位手机号码或带区号的固定电话（如 020-12345678） / "
    "a mobile number of 11 digits or a landline with its area code (e.g. 020-12345678)",
    code="phone",
)


def new_tracking_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(code: str) -> str:
    """What a complainant types back: spaces and dashes dropped, any case."""
    return "".join(c for c in code.upper() if c.isalnum())


class Complaint(RegistryModel):
    class About(models.TextChoices):
        PRACTITIONER = "practitioner", "技防从业单位"
        UNIT = "unit", "使用技防系统的单位"
        SYSTEM = "system", "技防系统（如摄像头）"
        OTHER = "other", "其他"

    class Status(models.TextChoices):
        RECEIVED = "received", "已受理"
        HANDLING = "handling", "处理中"
        CLOSED = "closed", "已办结"

    tracking_code = models.CharField(
        "查询码", max_length=CODE_LENGTH, unique=True, default=new_tracking_code, editable=False
    )
    division = models.ForeignKey(
        Division,
        verbose_name="所涉区划",
        on_delete=models.PROTECT,
        related_name="complaints",
        limit_choices_to={"level": Division.Level.COUNTY},
        error_messages=MESSAGES,
    )
    about = models.CharField(
        "投诉对象类别", max_length=20, choices=About.choices, error_messages=MESSAGES
    )
    subject_name = models.CharField("被投诉单位名称", max_length=200, blank=True)
    practitioner = models.ForeignKey(
        Practitioner,
        verbose_name="被投诉从业单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,  # a complaint is a record: it keeps what it was about
        related_name="complaints",
    )
    # A TextField's max_length binds forms only; the validator binds full_clean too.
    content = models.TextField(
        "投诉内容",
        max_length=CONTENT_MAX,
        validators=[MaxLengthValidator(CONTENT_MAX, MESSAGES["max_length"])],
        error_messages=MESSAGES,
    )
    contact_name = models.CharField("联系人", max_length=50, blank=True)
    contact_phone = models.CharField(
        "联系电话", max_length=24, blank=True, validators=[validate_phone]
    )
    submitted_at = models.DateTimeField("提交时间", default=timezone.now)
    source_ip = models.GenericIPAddressField("来源地址", null=True, blank=True, editable=False)
    status = models.CharField(
        "处理状态",
        max_length=10,
        choices=Status.choices,
        default=Status.RECEIVED,
        error_messages=MESSAGES,
    )
    reply = models.TextField("答复", blank=True)

    class Meta:
        verbose_name = "投诉举报"
        verbose_name_plural = "投诉举报"
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["source_ip", "submitted_at"])]

    def __str__(self) -> str:
        return f"投诉举报 {self.tracking_code}"

    # What the complainant said stays as said: the police handle it (status, reply) only.
    AS_SUBMITTED = (
        "tracking_code",
        "division",
        "about",
        "subject_name",
        "practitioner",
        "content",
        "contact_name",
        "contact_phone",
        "submitted_at",
    )

    def clean(self) -> None:
        if self.pk is not None:
            stored = (
                type(self)
                .objects.filter(pk=self.pk)
                .values(*[self._meta.get_field(n).attname for n in self.AS_SUBMITTED])
                .first()
            )
            changed = {
                name: "提交后不能修改 / cannot change after submission"
                for name in self.AS_SUBMITTED
                if stored is not None
                and stored[self._meta.get_field(name).attname]
                != getattr(self, self._meta.get_field(name).attname)
            }
            if changed:
                raise ValidationError(changed)
        if self.practitioner_id is not None:
            if self.about != self.About.PRACTITIONER:
                raise ValidationError(
                    {
                        "about": "选择了被投诉从业单位时，投诉对象类别应为技防从业单位 / "
                        "a chosen practitioner needs about = practitioner"
                    }
                )
            if not self.subject_name:
                self.subject_name = self.practitioner.name
        if not self.subject_name and self.about != self.About.OTHER:
            raise ValidationError(
                {"subject_name": "请填写被投诉单位名称 / name the company or unit complained of"}
            )
        if self.status == self.Status.CLOSED and not self.reply.strip():
            raise ValidationError({"reply": "办结时应填写答复 / a closed complaint needs a reply"})
