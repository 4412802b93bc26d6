"""Validators for identifiers the registries hold."""

from __future__ import annotations

from django.core.exceptions import ValidationError

# GB 32100-2015: the unified social credit code (统一社会信用代码), 18 characters.
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def uscc_check_char(first17: str) -> str:
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def validate_uscc(value: str) -> None:
    """Refuse a unified social credit code whose form or check character is wrong."""
    code = value.upper()
    if len(code) != 18 or any(c not in USCC_ALPHABET for c in code):
        raise ValidationError(
            "统一社会信用代码应为18位数字或大写字母（不含I、O、Z、S、V） / "
            "a unified social credit code has 18 characters of 0-9A-Y "
            "without I, O, Z, S, V",
            code="uscc_form",
        )
    if not code[2:8].isdigit():
        raise ValidationError(
            "统一社会信用代码第3至8位应为行政区划码 / characters 3-8 must be a division code",
            code="uscc_division",
        )
    if uscc_check_char(code[:17]) != code[17]:
        raise ValidationError(
            "统一社会信用代码校验位错误 / the check character is wrong", code="uscc_checksum"
        )


def validate_division_code(value: str) -> None:
    if len(value) != 6 or not value.isdigit():
        raise ValidationError(
            "行政区划代码应为6位数字 / a division code has six digits", code="division_form"
        )
