"""End-to-end: the platform as a person meets it.

`jifang demo` builds a small demo jurisdiction in a fresh data directory, `jifang serve` serves
it (gunicorn, real HTTP), and Chromium (Debian's, driven by Playwright's Python package) walks
the pages. On the PostgreSQL run the server uses a database of its own on that server.
Screenshots go to build/screenshots/. Without a Chromium the tests skip and say why.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "build" / "screenshots"
CHROMIUM = os.environ.get("JIFANG_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
# No traffic leaves the machine: police intranets are closed, and so is this browser.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@dataclass(frozen=True)
class Site:
    base: str
    admin_password: str
    demo_password: str


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _database_url() -> Iterator[str | None]:
    """None on the SQLite run; on the PostgreSQL run, a fresh database for the server."""
    from django.conf import settings

    if not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        yield None
        return
    import psycopg

    name = f"jifang_e2e_{os.getpid()}"
    admin_url = settings.PG_URL.replace("postgres://", "postgresql://")
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield settings.PG_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    from django.conf import settings

    if getattr(settings, "PG_UNAVAILABLE", None):
        pytest.skip(settings.PG_UNAVAILABLE)
    data = tmp_path_factory.mktemp("e2e-data")
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE",)}
    env["JIFANG_DATA_DIR"] = str(data)
    env.pop("DATABASE_URL", None)
    urls = _database_url()
    url = next(urls)
    if url:
        env["DATABASE_URL"] = url
    jifang = [sys.executable, "-m", "jifang.cli"]
    demo = subprocess.run(
        [*jifang, "demo", "--units-per-city", "8"],
        env=env,
        cwd=ROOT,
        timeout=300,
        capture_output=True,
        text=True,
    )
    if demo.returncode != 0:
        pytest.fail(f"jifang demo failed ({demo.returncode}):\n{demo.stderr[-3000:]}")
    port = _free_port()
    log = open(data / "serve.log", "w")  # noqa: SIM115  (closed below)
    proc = subprocess.Popen(
        [*jifang, "serve", "--port", str(port), "--workers", "2"],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(base + "/accounts/login/", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("jifang serve did not answer: " + (data / "serve.log").read_text())
        yield Site(
            base,
            (data / "admin_password").read_text().strip(),
            (data / "demo_password").read_text().strip(),
        )
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()
        for _ in urls:  # drop the PostgreSQL database
            pass


@pytest.fixture(scope="session")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        pytest.skip(f"Playwright is not installed: {exc}")
    if not Path(CHROMIUM).exists():
        why = f"no Chromium at {CHROMIUM} (apt-get install chromium, or set JIFANG_CHROMIUM)"
        if os.environ.get("CI"):
            pytest.fail(why)  # CI installs it (make browser): its absence is a broken build
        pytest.skip(why)
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _counts(msg) -> bool:
    """A console error worth failing on: not the 404 page a test asked for on purpose."""
    return "404 (Not Found)" not in msg.text and "403 (Forbidden)" not in msg.text


class Person:
    """A browser tab of one person: every request it makes must stay on the site."""

    def __init__(self, browser, site: Site, *, width: int = 1366, height: int = 900) -> None:
        self.site = site
        self.context = browser.new_context(
            viewport={"width": width, "height": height}, locale="zh-CN"
        )
        self.outside: list[str] = []
        self.context.route("**/*", self._only_the_site)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        # Console errors include the browser's reports of Content-Security-Policy violations.
        self.page.on(
            "console",
            lambda msg: (
                self.errors.append(msg.text) if msg.type == "error" and _counts(msg) else None
            ),
        )

    def _only_the_site(self, route) -> None:
        url = route.request.url
        if url.startswith(self.site.base) or url.startswith("data:"):
            route.continue_()
        else:
            self.outside.append(url)
            route.abort()

    def go(self, path: str):
        return self.page.goto(self.site.base + path)

    def log_in(self, username: str, password: str) -> None:
        self.go("/accounts/login/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", password)
        self.page.click("button[type=submit]")
        self.page.wait_for_load_state("networkidle")

    def shot(self, name: str) -> Path:
        SHOTS.mkdir(parents=True, exist_ok=True)
        path = SHOTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def fits_the_width(self) -> bool:
        return self.page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def person(browser, site: Site):
    made: list[Person] = []

    def make(**kwargs) -> Person:
        p = Person(browser, site, **kwargs)
        made.append(p)
        return p

    yield make
    for p in made:
        assert p.outside == [], f"requests left the site: {p.outside}"
        assert p.errors == [], f"JavaScript errors: {p.errors}"
        p.close()
