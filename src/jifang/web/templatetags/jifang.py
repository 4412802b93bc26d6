"""Template helpers: a citation that shows the article's words on hover."""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.html import format_html

from jifang import law
from jifang.law.text import cite_zh

register = template.Library()


def article_text(regime_id: str, basis: dict) -> str:
    """The cited words: the paragraph (or item) when cited, else the whole article."""
    try:
        article = law.load(regime_id).article(int(basis["article"]))
    except (KeyError, ValueError, TypeError, law.LawError):
        return ""
    paragraphs = article.paragraphs
    index = basis.get("paragraph")
    if index and 0 < index <= len(paragraphs):
        paragraphs = [paragraphs[index - 1]]
    lines = []
    for p in paragraphs:
        lines.append(p.text)
        items = p.items
        if basis.get("item") and 0 < basis["item"] <= len(items):
            items = [items[basis["item"] - 1]]
        lines.extend(items)
    if article.text_incomplete:
        lines.append(f"【原文缺失：{article.gap_note}】")
    return "\n".join(lines)


@register.simple_tag
def cite(regime_id: str, basis: dict | None) -> str:
    """<a class="cite" title="条文">第九条第一款</a>, linking to the article in the regime."""
    if not basis:
        return ""
    url = reverse("web:law-regime", args=[regime_id]) + f"#art-{basis['article']}"
    return format_html(
        '<a class="cite" href="{}" title="{}" data-article="{}">{}</a>',
        url,
        article_text(regime_id, basis),
        basis["article"],
        cite_zh(basis),
    )
