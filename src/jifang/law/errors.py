"""Errors the engine raises, each naming the field, in Chinese first and English beside."""

from __future__ import annotations

from dataclasses import dataclass

FIELD_MARK = "\u00a7"  # must match case.FIELD_MARK


@dataclass(frozen=True)
class Problem:
    field: str
    zh: str
    en: str

    def __str__(self) -> str:
        return f"{self.field}：{self.zh} / {self.field}: {self.en}"

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "message_zh": self.zh, "message_en": self.en}


class LawError(Exception):
    """Base of every error the law engine reports to a user."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))

    def as_dict(self) -> dict[str, object]:
        return {"error": self.kind, "problems": [p.as_dict() for p in self.problems]}

    kind = "invalid_input"


class CaseError(LawError):
    """The case file does not fit the contract."""


class NoRegimeError(LawError):
    """No encoded regime governs that place on that date: never fall back to another text."""

    kind = "no_encoded_regime"


_TYPE_ZH = {
    "missing": "缺少必填字段",
    "extra_forbidden": "未知字段（契约中没有此字段）",
    "literal_error": "不是允许的代码",
    "enum": "不是允许的代码",
    "bool_type": "应为布尔值 true/false",
    "bool_parsing": "应为布尔值 true/false",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "float_type": "应为数字",
    "float_parsing": "应为数字",
    "string_type": "应为字符串",
    "string_too_short": "不能为空",
    "string_pattern_mismatch": "格式不正确",
    "list_type": "应为列表",
    "dict_type": "应为对象（映射）",
    "model_type": "应为对象（映射）",
    "date_type": "应为日期 YYYY-MM-DD",
    "date_parsing": "应为日期 YYYY-MM-DD",
    "date_from_datetime_parsing": "应为日期 YYYY-MM-DD",
    "date_from_datetime_inexact": "应为日期 YYYY-MM-DD（不含时间）",
    "greater_than_equal": "数值过小",
    "less_than_equal": "数值过大",
    "too_short": "至少需要一项",
    "value_error": "取值不合规则",
}


def from_validation_error(exc: object) -> CaseError:
    """Turn a pydantic ValidationError into a CaseError that names each field."""
    problems = []
    for err in exc.errors():  # type: ignore[attr-defined]
        loc = [
            str(x) for x in err["loc"] if not str(x).startswith("function-") and str(x) != "[key]"
        ]
        field = _dotted(loc) or "(root)"
        zh = _TYPE_ZH.get(err["type"], "取值无效")
        en = err["msg"]
        if err["type"] == "literal_error":
            expected = err.get("ctx", {}).get("expected", "")
            en = f"not an allowed code (got {err.get('input')!r}; expected {expected})"
            zh = f"{zh}（收到 {err.get('input')!r}）"
        elif err["type"] == "value_error":
            en = en.removeprefix("Value error, ")
            if en.startswith(FIELD_MARK):  # a cross-reference error that names its own field
                inner, zh, en = en[1:].split(FIELD_MARK, 2)
                field = f"{field}.{inner}" if field != "(root)" else inner
            else:
                zh = f"{zh}：{en}"
        problems.append(Problem(field, zh, en))
    return CaseError(problems)


def _dotted(loc: list[str]) -> str:
    out = ""
    for part in loc:
        if part.isdigit():
            out += f"[{part}]"
        else:
            out += ("." if out else "") + part
    return out
