"""Chinese renderings of citations: 第九条第一款第（四）项."""

from __future__ import annotations

_DIGITS = "零一二三四五六七八九"


def zh_number(n: int) -> str:
    """1..99 as Chinese numerals the way statutes write them (十, 十一, 二十三)."""
    if n < 10:
        return _DIGITS[n]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else _DIGITS[tens]
    return head + "十" + (_DIGITS[ones] if ones else "")


def cite_zh(basis: dict[str, int]) -> str:
    out = f"第{zh_number(basis['article'])}条"
    if basis.get("paragraph"):
        out += f"第{zh_number(basis['paragraph'])}款"
    if basis.get("item"):
        out += f"第（{zh_number(basis['item'])}）项"
    return out


def cite_en(basis: dict[str, int]) -> str:
    out = f"art. {basis['article']}"
    if basis.get("paragraph"):
        out += f"({basis['paragraph']})"
    if basis.get("item"):
        out += f" item {basis['item']}"
    return out
