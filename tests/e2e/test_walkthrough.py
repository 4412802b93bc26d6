"""Three people walk the platform in Chromium: an officer, a unit's administrator, the public.

Each walk follows a main path of its role, checks what the page shows, and saves screenshots
of the key pages under build/screenshots/ (see conftest.py for the server and the browser).
"""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.e2e


def test_an_officer_reads_the_dashboard_and_works_through_a_unit(person, site) -> None:
    officer = person()
    officer.log_in("officer", site.demo_password)
    page = officer.page
    assert page.url.endswith("/dashboard/")
    assert page.locator("h1").inner_text() == "工作台"
    # ECharts drew the three charts from the vendored script (a canvas in each).
    for chart in ("#chart-categories", "#chart-findings", "#chart-divisions"):
        page.wait_for_selector(f"{chart} canvas")
    assert int(page.locator("#assessed").inner_text()) > 0
    assert page.locator("#table-findings tbody tr").count() > 0
    assert officer.fits_the_width()
    officer.shot("officer-dashboard")

    # The findings by kind lead to the findings registry, filtered.
    page.locator("#table-findings tbody tr a").first.click()
    page.wait_for_load_state("networkidle")
    assert "/registry/findings/" in page.url and "code=" in page.url
    officer.shot("officer-findings-list")

    # From a finding to its assessment, and on to the unit's page.
    page.locator("#registry tbody tr td:nth-child(2) a").first.click()
    page.wait_for_load_state("networkidle")
    page.locator("main a[href^='/units/']").first.click()
    page.wait_for_load_state("networkidle")
    assert re.search(r"/units/\d+/$", page.url)
    assert page.locator("#assessment").is_visible()
    # Each finding cites its article; the article's words are on hover (the title attribute).
    cite = page.locator("#assessment a.cite").first
    assert re.fullmatch(r"第.+条.*", cite.inner_text())
    assert len(cite.get_attribute("title") or "") > 10
    officer.shot("officer-unit-page")

    # The units registry: search, then the list narrows to the names that match.
    officer.go("/registry/units/")
    rows_before = page.locator("#registry tbody tr").count()
    word = page.locator("#registry tbody tr td:first-child").last.inner_text().strip()[-4:]
    page.fill("#f-q", word)
    page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")
    assert "q=" in page.url
    names = page.locator("#registry tbody tr td:first-child").all_inner_texts()
    assert names and all(word in n for n in names) and len(names) <= rows_before
    officer.shot("officer-units-search")
    page.locator("#registry tbody tr td:first-child a").first.click()
    page.wait_for_load_state("networkidle")
    assert re.search(r"/units/\d+/$", page.url)

    # Re-assess through HTMX: the assessment block is replaced in place.
    page.get_by_role("button", name="重新评估").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#assessment").is_visible()
    assert re.search(r"/units/\d+/$", page.url)  # replaced in place, no navigation


def test_an_officer_outside_the_area_gets_not_found(person, site) -> None:
    county = person()
    county.log_in("officer-county", site.demo_password)
    city = person()
    city.log_in("officer", site.demo_password)
    city.go("/registry/units/")
    links = city.page.locator("#registry tbody tr td:first-child a").evaluate_all(
        "els => els.map(e => e.getAttribute('href'))"
    )
    statuses = {county.go(href).status for href in links}
    assert 404 in statuses  # the city has units outside the county's area
    assert statuses <= {200, 404}


def test_a_unit_runs_its_self_check_and_reads_the_articles(person, site) -> None:
    unit = person()
    unit.log_in("unit", site.demo_password)
    page = unit.page
    assert re.search(r"/units/\d+/$", page.url)
    unit.shot("unit-page")
    page.get_by_role("link", name="合规自查").first.click()
    page.wait_for_load_state("networkidle")
    assert "/self-check/" in page.url
    text = page.locator("main").inner_text()
    assert "合规自查" in text
    # What to fix cites articles, whose full text follows on the page.
    assert page.locator("main a.cite").count() > 0
    assert page.locator("main [id^=art-]").count() > 0
    unit.shot("unit-self-check")
    # Other units are not there for this account: not in its list, their pages not found.
    own = int(re.search(r"/units/(\d+)/", page.url).group(1))
    assert unit.go("/registry/units/").status == 200
    assert page.locator("#registry tbody tr").count() == 1
    assert unit.go(f"/units/{own + 1}/").status == 404
    assert unit.go(f"/units/{own + 1}/self-check/").status == 404


def test_the_public_looks_up_companies_reads_the_law_and_complains(person, site) -> None:
    visitor = person()
    page = visitor.page
    visitor.go("/")
    visitor.shot("public-home")
    visitor.go("/public/practitioners/")
    rows = page.locator("#results tbody tr")
    assert rows.count() > 0
    first = rows.first.locator("td").first.inner_text().strip()
    page.fill("input[name=q]", first[:4])
    page.wait_for_timeout(800)  # search as one types (HTMX, delayed)
    page.wait_for_load_state("networkidle")
    assert all(
        first[:4] in r for r in page.locator("#results tbody tr td:first-child").all_inner_texts()
    )
    visitor.shot("public-practitioners")
    visitor.go("/public/warning-list/")
    assert page.locator("h1").inner_text().startswith("警示名单")

    visitor.go("/law/compare/")
    page.get_by_role("tab", name=re.compile("留存")).click()
    page.wait_for_load_state("networkidle")
    assert "topic=retention" in page.url
    assert page.locator("table.compare tbody tr").count() > 0
    visitor.shot("public-law-compare")
    visitor.go("/law/guangdong-2017/")
    assert page.locator("#art-1").is_visible()
    visitor.shot("public-law-regime")

    # A complaint: first with the content missing (the field is named), then complete.
    visitor.go("/public/complaints/new/")
    page.select_option("select[name=division]", index=1)
    page.select_option("select[name=about]", index=1)
    page.fill("input[name=subject_name]", "某小区物业")
    page.click("form.complaint-form button[type=submit]")
    assert "内容" in page.locator(".form-problems").inner_text()
    page.fill("textarea[name=content]", "小区物业在住户窗口对面安装摄像头，朝向住户室内。")
    page.click("form.complaint-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    code = page.locator(".tracking-code").inner_text().strip()
    assert len(code) >= 8
    visitor.shot("public-complaint-done")
    page.get_by_role("link", name="查看处理进度").click()
    page.wait_for_load_state("networkidle")
    assert code in page.locator("main").inner_text()

    # The registries are not public.
    assert "/accounts/login/" in (visitor.go("/registry/units/") and page.url)


def test_pages_fit_a_tablet(person, site) -> None:
    tablet = person(width=800, height=1200)
    tablet.log_in("officer", site.demo_password)
    tablet.page.wait_for_selector("#chart-categories canvas")
    assert tablet.fits_the_width()
    tablet.shot("tablet-dashboard")
    tablet.go("/registry/units/")
    assert tablet.fits_the_width()
    tablet.shot("tablet-units")
