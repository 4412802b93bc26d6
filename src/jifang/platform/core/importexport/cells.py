"""Cell formats: how one spreadsheet cell is read into a value and written back.

Pure Python (no Django), so the formats can be tested and documented on their own. A cell
arrives as a string (CSV) or as what openpyxl gives (str, int, float, bool, datetime, None).
`parse` is only called on a non-blank cell; a blank cell means "no value" and the column
decides what that stores (see spec.Column.blank_value). Every parse error carries a Chinese
message with the English beside it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

# Separators of a list cell. Codes never contain them; the enumeration comma 、 is one too,
# but names (of places) often contain it, so name lists do not split on it.
CODE_SEPARATORS = re.compile(r"[,，;；\n\r]+")
NAME_SEPARATORS = CODE_SEPARATORS
ENUM_COMMA = "、"

# A text cell starting with one of these could run as a formula when a CSV is opened in a
# spreadsheet; the CSV export puts an apostrophe before it and import takes it off again.
FORMULA_START = ("=", "+", "-", "@")


class CellError(ValueError):
    """A cell that does not fit its column's format."""

    def __init__(self, zh: str, en: str):
        self.zh = zh
        self.en = en
        super().__init__(f"{zh} / {en}")


def is_blank(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def _norm(text: str) -> str:
    """Compare labels leniently: no spaces, half-width brackets, lower case."""
    text = text.replace("（", "(").replace("）", ")").replace("：", ":")
    return re.sub(r"\s+", "", text).lower()


def as_text(raw: Any) -> str:
    """A cell as text: spreadsheet numbers lose their `.0`, formula guards come off."""
    if isinstance(raw, bool):
        return "true" if raw else "false"
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, dt.datetime):
        return raw.date().isoformat() if raw.time() == dt.time() else raw.isoformat(" ")
    if isinstance(raw, dt.date):
        return raw.isoformat()
    text = str(raw).strip()
    if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_START:
        text = text[1:]
    return text


class Cell:
    """A cell format. Subclasses set the descriptions shown by `--list` and in the docs."""

    zh = "文本"
    en = "text"
    code_table: str | None = None  # the name of its code table in the docs, if it has one
    # True when parse returns a whole natural key (a tuple) rather than one part of it.
    whole_key = False

    def parse(self, raw: Any) -> Any:
        return as_text(raw)

    def format(self, value: Any) -> Any:
        """The value as a cell: str, int, Decimal or date; None for blank."""
        if value is None or value == "":
            return None
        return str(value)


class Text(Cell):
    def __init__(self, upper: bool = False):
        self.upper = upper
        if upper:
            self.zh, self.en = "文本（自动转为大写）", "text (upper-cased)"

    def parse(self, raw: Any) -> str:
        if isinstance(raw, float) and abs(raw) >= 1e15:
            raise CellError(
                "数字过长，Excel 已丢失其末尾几位：请将该列设为文本格式后重新填写",
                "a number this long lost its last digits in Excel: format the column as "
                "text and enter it again",
            )
        text = as_text(raw)
        return text.upper() if self.upper else text


class Integer(Cell):
    zh, en = "整数", "whole number"

    def parse(self, raw: Any) -> int:
        if isinstance(raw, bool):
            raise CellError("应为整数", "expected a whole number")
        if isinstance(raw, int):
            return raw
        if isinstance(raw, float) and raw.is_integer():
            return int(raw)
        text = as_text(raw).replace(",", "")
        if re.fullmatch(r"[+-]?\d+(\.0+)?", text):
            return int(text.split(".")[0])
        raise CellError(f"应为整数：{as_text(raw)}", f"expected a whole number: {as_text(raw)}")

    def format(self, value: Any) -> Any:
        return None if value is None else int(value)


class Number(Cell):
    zh, en = "数字，如 1200.50", "number, e.g. 1200.50"

    def parse(self, raw: Any) -> Decimal:
        if isinstance(raw, bool):
            raise CellError("应为数字", "expected a number")
        if isinstance(raw, int):
            return Decimal(raw)
        text = repr(raw) if isinstance(raw, float) else as_text(raw)
        text = text.replace(",", "").replace("，", "").removesuffix("元")
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise CellError(
                f"应为数字：{as_text(raw)}", f"expected a number: {as_text(raw)}"
            ) from None
        if not value.is_finite():
            raise CellError(f"应为数字：{as_text(raw)}", f"expected a number: {as_text(raw)}")
        return value

    def format(self, value: Any) -> Any:
        return None if value is None else Decimal(value)


_DATE_FORMS = (
    re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"),
    re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})"),
    re.compile(r"(\d{4})\.(\d{1,2})\.(\d{1,2})"),
    re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日"),
    re.compile(r"(\d{4})(\d{2})(\d{2})"),
)


class Date(Cell):
    zh = "日期，如 2024-06-01（也接受 2024/6/1、2024年6月1日）"
    en = "date, e.g. 2024-06-01 (2024/6/1 and 2024年6月1日 too)"

    def parse(self, raw: Any) -> dt.date:
        if isinstance(raw, dt.datetime):
            return raw.date()
        if isinstance(raw, dt.date):
            return raw
        text = as_text(raw)
        # A time of midnight is what spreadsheets add to a date; anything else is refused.
        text = re.sub(r"[ T]00:00(:00)?$", "", text)
        for form in _DATE_FORMS:
            if m := form.fullmatch(text):
                try:
                    return dt.date(int(m[1]), int(m[2]), int(m[3]))
                except ValueError:
                    break
        raise CellError(
            f"应为日期，如 2024-06-01：{text}", f"expected a date such as 2024-06-01: {text}"
        )

    def format(self, value: Any) -> Any:
        return value


TRUE_WORDS = {"是", "true", "1", "yes", "y", "t", "有", "√", "✓"}
FALSE_WORDS = {"否", "false", "0", "no", "n", "f", "无", "×", "✗"}


class Bool(Cell):
    zh = "是/否（也接受 true/false、1/0）；空为未知"
    en = "是/否 (or true/false, 1/0); blank is unknown"

    def parse(self, raw: Any) -> bool:
        if isinstance(raw, bool):
            return raw
        if isinstance(raw, int | float) and raw in (0, 1):
            return bool(raw)
        text = as_text(raw).lower()
        if text in TRUE_WORDS:
            return True
        if text in FALSE_WORDS:
            return False
        raise CellError(
            f"应为 是 或 否（或 true/false、1/0），空表示未知：{as_text(raw)}",
            f"expected 是/否, true/false or 1/0 (blank is unknown): {as_text(raw)}",
        )

    def format(self, value: Any) -> Any:
        return None if value is None else ("是" if value else "否")


class _CodeTable:
    """Codes and their labels, looked up by code, by label or by `label（code）`."""

    def __init__(self, table: Mapping[str, str]):
        self.table = dict(table)
        self.by_norm: dict[str, str] = {}
        for code, label in self.table.items():
            for form in (label, f"{label}（{code}）", f"{label}({code})"):
                self.by_norm.setdefault(_norm(form), code)
        for code in self.table:  # codes win over labels
            self.by_norm[_norm(code)] = code

    def code(self, token: str) -> str | None:
        return self.by_norm.get(_norm(token))

    def listing(self, limit: int = 12) -> tuple[str, str]:
        if len(self.table) > limit:
            return ("见 jifang import --list", "see jifang import --list")
        codes = "、".join(f"{c}（{lbl}）" for c, lbl in self.table.items())
        return codes, ", ".join(self.table)


class Choice(Cell):
    """One code of a table; the label is accepted too."""

    def __init__(self, table: Mapping[str, str], what_zh: str = "", what_en: str = "code"):
        self.codes = _CodeTable(table)
        self.what_zh, self.what_en = what_zh or "代码", what_en
        # Short tables are listed in place; long ones get a code table of their own.
        self.code_table = what_zh if len(table) > 8 else None
        if self.code_table:
            self.zh = f"{what_zh}代码之一（或其中文名称），见代码表"
            self.en = f"one {what_en} code (or its Chinese label), see the code tables"
        else:
            self.zh = "代码之一：" + "、".join(f"{c}（{lbl}）" for c, lbl in table.items())
            self.en = "one of the codes (or its Chinese label)"

    def parse(self, raw: Any) -> str:
        text = as_text(raw)
        code = self.codes.code(text)
        if code is None:
            zh, en = self.codes.listing()
            raise CellError(
                f"不是允许的{self.what_zh}：{text}（可选：{zh}）",
                f"not an allowed {self.what_en}: {text} (allowed: {en})",
            )
        return code

    def format(self, value: Any) -> Any:
        return value or None


class CodeList(Cell):
    """Codes of a table, separated by `,` or `、` (also ，; and new lines); labels accepted."""

    def __init__(self, table: Mapping[str, str], what_zh: str, what_en: str):
        self.codes = _CodeTable(table)
        self.what_zh, self.what_en = what_zh, what_en
        self.code_table = what_zh
        self.zh = f"{what_zh}代码，以 , 或 、 分隔（也接受中文名称），见代码表"
        self.en = (
            f"{what_en} codes separated by , or 、 (Chinese labels accepted), see the code tables"
        )

    def _tokens(self, chunk: str) -> tuple[list[str], list[str]]:
        """Split a chunk on 、, joining back pieces that together make a label with 、."""
        pieces = [p.strip() for p in chunk.split(ENUM_COMMA)]
        found, bad, i = [], [], 0
        while i < len(pieces):
            for j in range(len(pieces), i, -1):
                code = self.codes.code(ENUM_COMMA.join(pieces[i:j]))
                if code is not None:
                    found.append(code)
                    i = j
                    break
            else:
                if pieces[i]:
                    bad.append(pieces[i])
                i += 1
        return found, bad

    def parse(self, raw: Any) -> list[str]:
        codes: list[str] = []
        bad: list[str] = []
        for chunk in CODE_SEPARATORS.split(as_text(raw)):
            if not chunk.strip():
                continue
            found, unknown = self._tokens(chunk.strip())
            codes += [c for c in found if c not in codes]
            bad += unknown
        if bad:
            raise CellError(
                f"未知的{self.what_zh}代码：{'、'.join(bad)}",
                f"unknown {self.what_en} codes: {', '.join(bad)}",
            )
        return codes

    def format(self, value: Any) -> Any:
        return ",".join(value) if value else None


class NameList(Cell):
    """Names separated by `,` `，` `;` or new lines (not by 、, which names contain)."""

    zh = "名称，以 , 或 ， 分隔（不以 、 分隔）"
    en = "names separated by , or ， (not by 、)"

    def parse(self, raw: Any) -> list[str]:
        text = as_text(raw)
        names: list[str] = []
        for name in NAME_SEPARATORS.split(text):
            if name.strip() and name.strip() not in names:
                names.append(name.strip())
        return names

    def format(self, value: Any) -> Any:
        return ",".join(value) if value else None


USCC_FORM = re.compile(r"[0-9A-Z]{18}")
PERSON_FORM = re.compile(r"(.+?)\s*[（(]\s*(\d{6})\s*[）)]")


class UnitRef(Cell):
    """A unit: its unified social credit code, or `姓名（区划代码）` for an individual."""

    zh = "统一社会信用代码；无代码的个人写作 姓名（区划代码）"
    en = "unified social credit code; for an individual without one, 姓名（区划代码）"
    whole_key = True

    def parse(self, raw: Any) -> tuple:
        text = as_text(raw)
        if USCC_FORM.fullmatch(text.upper()):
            return (text.upper(),)
        if m := PERSON_FORM.fullmatch(text):
            return (m[1], (m[2],))
        raise CellError(
            f"应为统一社会信用代码，无代码的个人写作 姓名（区划代码）：{text}",
            "expected a unified social credit code, or 姓名（区划代码） for an "
            f"individual without one: {text}",
        )

    def format(self, value: Any) -> Any:
        if value is None:
            return None
        if len(value) == 1:
            return value[0]
        return f"{value[0]}（{value[1][0]}）"
