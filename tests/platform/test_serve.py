"""`jifang serve` as a user runs it: a real server process answering real HTTP."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(tmp_path: Path):
    env = {**os.environ, "JIFANG_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": ""}
    env.pop("DJANGO_SETTINGS_MODULE")
    env.pop("DATABASE_URL", None)
    jifang = [sys.executable, "-m", "jifang.cli"]
    subprocess.run(
        [*jifang, "migrate", "--verbosity", "0"], env=env, check=True, cwd=ROOT, timeout=120
    )
    port = _free_port()
    proc = subprocess.Popen(
        [*jifang, "serve", "--port", str(port), "--workers", "1"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/admin/login/", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_serves_the_admin_and_its_static_files(server: str) -> None:
    with urllib.request.urlopen(server + "/admin/login/", timeout=5) as resp:
        assert resp.status == 200
        page = resp.read().decode()
    assert "技防管理平台" in page
    import re

    css = re.search(r'href="(/static/[^"]+\.css)"', page).group(1)
    with urllib.request.urlopen(server + css, timeout=5) as resp:
        assert resp.status == 200
        assert resp.headers["Content-Type"].startswith("text/css")
    with urllib.request.urlopen(server + "/admin/login/", timeout=5) as resp:
        assert resp.headers["X-Frame-Options"] == "DENY"
