"""Pages far into a list: the links to the next and the previous page carry the row they
continue from (`after`, `before`) beside the page's number, and such a page reads its rows
from there instead of skipping the rows before it; the rows are those of the numbered page."""

from __future__ import annotations

import html
import re

import pytest
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from jifang.platform.accounts.models import Account
from jifang.platform.compliance.models import Assessment, AssessmentFinding
from jifang.platform.geo.models import PoliceOrgan
from jifang.platform.units.models import Unit
from tests.platform import factories as f

pytestmark = pytest.mark.django_db

ROW = re.compile(r'<tr data-pk="(\d+)"')
CODES = ["RETENTION_SHORT", "SIGNAGE_MISSING", "USER_DUTIES_UNMET"]


@pytest.fixture
def officer() -> Client:
    """A city officer, and 120 findings of one assessment in 天河 and 5 in another city."""
    gz = f.guangzhou()
    shenzhen = f.division("440300", "深圳市", "city", parent=gz["province"])
    with transaction.atomic():
        for div, count in ((gz["tianhe"], 120), (shenzhen, 5)):
            unit = Unit.objects.create(name=f"个人{div.code}", kind="individual", division=div)
            assessment = Assessment.objects.create(
                unit=unit, as_of="2024-06-01", regime_id="guangdong-2017", findings_count=count
            )
            AssessmentFinding.objects.bulk_create(
                AssessmentFinding(
                    assessment=assessment,
                    division_code=div.code,
                    code=CODES[i % 3],
                    subject=f"p{i}",
                    article=9,
                )
                for i in range(count)
            )
        organ = PoliceOrgan.objects.create(name="广州市公安局", division=gz["city"])
        user = User.objects.create_user("officer", password="x")
        Account.objects.create(user=user, role="officer", organ=organ)
    client = Client()
    client.force_login(user)
    return client


def _page(client: Client, url: str) -> tuple[list[int], str, str]:
    """The page's rows and its previous and next links ("" where there is none)."""
    response = client.get(url)
    assert response.status_code == 200
    text = response.content.decode()
    links = {
        word: html.unescape(m.group(1))
        if (m := re.search(rf'href="([^"]*)"[^>]*>{word}', text))
        else ""
        for word in ("上一页", "下一页")
    }
    return [int(pk) for pk in ROW.findall(text)], links["上一页"], links["下一页"]


def _mine() -> list[int]:
    return sorted(
        AssessmentFinding.objects.filter(division_code__startswith="4401").values_list(
            "pk", flat=True
        )
    )


def test_next_and_previous_links_walk_the_list_by_cursor(officer) -> None:
    mine = _mine()
    rows, previous, following = _page(officer, "/registry/findings/")
    assert rows == mine[:50] and previous == ""
    assert following == f"/registry/findings/?page=2&after={mine[49]}"
    seen, pages = list(rows), [following]
    while following:
        with CaptureQueriesContext(connection) as queries:
            rows, previous, following = _page(officer, following)
        sql = [q["sql"].upper() for q in queries.captured_queries]
        assert not any(" OFFSET " in s for s in sql)  # read from the cursor, skipping nothing
        seen += rows
        pages.append(following)
    assert seen == mine  # every row once, in order, none of the other city's
    # back from the last page: the previous link carries the first row of the page shown
    rows, previous, _ = _page(officer, pages[-2])
    assert rows == mine[100:] and previous == f"/registry/findings/?page=2&before={mine[100]}"
    back, to_first, _ = _page(officer, previous)
    assert back == mine[50:100] and to_first == "/registry/findings/?page=1"
    # the numbered page alone gives the same rows
    assert _page(officer, "/registry/findings/?page=2")[0] == mine[50:100]
    # past the last row: an empty page, which links back by number
    rows, previous, following = _page(officer, f"/registry/findings/?page=4&after={mine[-1]}")
    assert rows == [] and following == "" and previous == "/registry/findings/?page=3"


def test_open_findings_come_newest_first_and_walk_back(officer) -> None:
    mine = _mine()[::-1]
    rows, _, following = _page(officer, "/registry/findings/?latest=true")
    assert rows == mine[:50]
    assert following == f"/registry/findings/?latest=true&page=2&after={mine[49]}"
    rows, previous, following = _page(officer, following)
    assert rows == mine[50:100] and previous == "/registry/findings/?latest=true&page=1"
    assert _page(officer, following)[0] == mine[100:]


def test_cursors_apply_only_to_lists_in_row_order(officer) -> None:
    # a list sorted by a column pages by number: a cursor is ignored, and its links carry none
    by_number, _, following = _page(officer, "/registry/findings/?sort=code&page=2")
    with_cursor, _, _ = _page(officer, f"/registry/findings/?sort=code&page=2&after={_mine()[0]}")
    assert with_cursor == by_number and len(by_number) == 50
    assert "after=" not in following and "before=" not in following
    # a cursor that is not a row number (or both at once) is ignored too
    plain = _page(officer, "/registry/findings/?page=2")[0]
    for bad in ("after=x", "after=99999999999999999999999", "after=1&before=9", "before=-3"):
        assert _page(officer, f"/registry/findings/?page=2&{bad}")[0] == plain
    # a cursor on the first page is ignored: the first page reads from the start
    assert _page(officer, f"/registry/findings/?page=1&after={_mine()[60]}")[0] == _mine()[:50]
