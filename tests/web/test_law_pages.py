"""The law pages: every regime, every article word for word with its anchor, the gaps marked,
what the engine does with each article, and the comparison tables with linked citations."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.utils.html import escape

from jifang import law
from jifang.law.compare import TOPICS
from jifang.law.text import cite_zh

pytestmark = pytest.mark.django_db

CITE_LINK = re.compile(r'href="/law/([a-z0-9-]+)/#art-(\d+)"')


@pytest.fixture(scope="module")
def pages(django_db_blocker) -> dict[str, str]:
    """Each regime's page, fetched once for the module (they are read-only)."""
    with django_db_blocker.unblock():
        client = Client()
        out = {}
        for r in law.all_regimes():
            response = client.get(f"/law/{r.id}/")
            assert response.status_code == 200
            out[r.id] = response.content.decode()
        return out


def _sections(page: str) -> dict[int, str]:
    """The HTML of each article's section, by article number."""
    parts = re.split(r'(?=<section class="article)', page)
    out = {}
    for part in parts[1:]:
        number = int(re.search(r'id="art-(\d+)"', part).group(1))
        out[number] = part.split("</section>")[0]
    return out


def test_the_index_lists_every_regime_and_flags_lost_text() -> None:
    page = Client().get("/law/").content.decode()
    for r in law.all_regimes():
        assert f'href="/law/{r.id}/"' in page and r.title in page
        for a in r.articles:
            link = f'href="/law/{r.id}/#art-{a.number}"'
            assert (link in page) == a.text_incomplete, (r.id, a.number)
    assert "http://" not in page and "https://" not in page


def test_every_article_is_there_word_for_word_with_its_anchor(pages) -> None:
    for r in law.all_regimes():
        page = pages[r.id]
        sections = _sections(page)
        assert sorted(sections) == sorted(a.number for a in r.articles), r.id
        for a in r.articles:
            html = sections[a.number]
            for p in a.paragraphs:
                assert escape(p.text) in html, (r.id, a.number)
                for item in p.items:
                    assert escape(item) in html, (r.id, a.number)
            if a.chapter:
                assert f'<h2 class="chapter">{escape(a.chapter)}</h2>' in page
            if len(a.paragraphs) > 1:
                assert f'id="art-{a.number}-{len(a.paragraphs)}"' in html


def test_incomplete_articles_carry_the_gap_note(pages) -> None:
    r = law.load("liaoning-2015")
    incomplete = [a for a in r.articles if a.text_incomplete]
    assert incomplete, "liaoning-2015 has articles whose text was lost"
    sections = _sections(pages[r.id])
    for a in incomplete:
        assert '<p class="gap">' in sections[a.number]
        assert escape(a.gap_note) in sections[a.number]
    complete = next(a for a in r.articles if not a.text_incomplete)
    assert '<p class="gap">' not in sections[complete.number]


def test_each_article_shows_what_cites_it_and_the_penalty_links_back(pages) -> None:
    for r in law.all_regimes():
        sections = _sections(pages[r.id])
        for rule in r.provisions.installation.rules:
            cited = sections[rule.basis.article]
            assert "平台如何适用本条" in cited
            assert cite_zh(rule.basis.as_dict()) in cited
            if rule.penalty:
                # the provision names its penalty, and the penalty article names it back
                assert f'href="/law/{r.id}/#art-{rule.penalty.article}"' in cited
                sanctioning = sections[rule.penalty.article]
                assert "本条罚则适用于" in sanctioning
                assert f'href="/law/{r.id}/#art-{rule.basis.article}"' in sanctioning
        for pen in r.penalties:
            html = sections[pen.article]
            for fine in pen.fines:
                if fine.min is not None:
                    assert f"{fine.min:,}元" in html, (r.id, pen.article)


def test_the_retention_days_come_from_the_regime(pages) -> None:
    r = law.load("guangdong-2017")
    ret = r.provisions.retention
    html = _sections(pages[r.id])[ret.basis.article]
    assert f"采获信息至少留存{ret.days}日" in html


def test_an_unknown_regime_is_not_found() -> None:
    assert Client().get("/law/atlantis-2020/").status_code == 404


def test_every_citation_link_points_at_an_article_that_exists(pages) -> None:
    client = Client()
    compared = [client.get(f"/law/compare/?topic={t}").content.decode() for t in TOPICS]
    for page in [*pages.values(), *compared]:
        for regime_id, number in CITE_LINK.findall(page):
            numbers = {a.number for a in law.load(regime_id).articles}
            assert int(number) in numbers, (regime_id, number)


def test_the_compare_page_has_every_topic_as_a_tab() -> None:
    response = Client().get("/law/compare/")
    assert response.status_code == 200
    page = response.content.decode()
    for key, (title, _) in TOPICS.items():
        assert f'href="?topic={key}"' in page and title in page
        assert f'hx-get="/law/compare/?topic={key}"' in page
    first = next(iter(TOPICS))
    assert f'data-topic="{first}"' in page


@pytest.mark.parametrize("topic", list(TOPICS))
def test_each_topic_table_names_every_regime_and_links_its_citations(topic: str) -> None:
    client = Client()
    page = client.get(f"/law/compare/?topic={topic}").content.decode()
    assert f'data-topic="{topic}"' in page and 'class="active" aria-selected="true"' in page
    for r in law.all_regimes():
        assert f'<a href="/law/{r.id}/">{r.title}</a>' in page
    assert 'class="cite"' in page
    partial = client.get(f"/law/compare/?topic={topic}", headers={"HX-Request": "true"})
    body = partial.content.decode()
    assert partial.status_code == 200 and "<html" not in body and 'id="compare"' in body


def test_a_compare_cell_links_the_article_it_cites() -> None:
    page = Client().get("/law/compare/?topic=retention").content.decode()
    for r in law.all_regimes():
        ret = r.provisions.retention
        if ret:
            assert f'href="/law/{r.id}/#art-{ret.basis.article}"' in page
            assert f">{cite_zh(ret.basis.as_dict())}</a>" in page


def test_an_unknown_topic_is_not_found() -> None:
    assert Client().get("/law/compare/?topic=weather").status_code == 404
