"""The `jifang` command as a user runs it: real processes, exit codes, stdout and stderr."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"


def jifang(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "jifang.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )


def test_assess_prints_json_with_sorted_keys() -> None:
    proc = jifang("assess", str(EXAMPLES / "fujian-kindergarten-overdue.yaml"))
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert result["findings"][0]["code"] == "INSTALL_REQUIRED_MISSING"
    assert proc.stdout == json.dumps(result, ensure_ascii=False, sort_keys=True, indent=2) + "\n"


def test_assess_same_input_same_bytes() -> None:
    path = str(EXAMPLES / "qinhuangdao-dormitory-camera.yaml")
    assert jifang("assess", path, "--explain").stdout == jifang("assess", path, "--explain").stdout


def test_explain_adds_a_trace_whose_steps_cite_their_basis() -> None:
    proc = jifang("assess", str(EXAMPLES / "guangdong-bank-compliant.yaml"), "--explain")
    trace = json.loads(proc.stdout)["trace"]
    assert trace and all(step["basis"]["article"] for step in trace)


def test_text_format_is_a_chinese_report() -> None:
    proc = jifang("assess", str(EXAMPLES / "fujian-kindergarten-overdue.yaml"), "--format", "text")
    assert proc.returncode == 0
    assert "应当安装而未安装技防系统" in proc.stdout and "第二十三条" in proc.stdout
    proc = jifang(
        "access-check",
        str(EXAMPLES / "guangdong-state-security-copy.access.yaml"),
        "--format",
        "text",
    )
    assert "准予" in proc.stdout and "第二十七条" in proc.stdout


def test_stdin_json() -> None:
    case = {
        "regime": "guangdong-2017",
        "as_of": "2024-06-01",
        "request": {"requester": "citizen", "action": "retrieve"},
    }
    proc = jifang("access-check", "-", stdin=json.dumps(case))
    assert proc.returncode == 0
    assert json.loads(proc.stdout)["decision"] == "deny"


@pytest.mark.parametrize(
    ("stdin", "field"),
    [
        (
            '{"regime": "fujian-2015", "as_of": "2024-06-01", "unit": {"kind": "company"}}',
            "unit.kind",
        ),
        ('{"regime": "fujian-2015"}', "as_of"),
        ('{"regime": "fujian-2015", "as_of": "2010-01-01"}', "as_of"),
        ('{"division": "110101", "as_of": "2024-01-01"}', "division"),
        ("[1, 2", "FILE"),
        ("- a\n- b\n", "(root)"),
    ],
)
def test_invalid_input_exits_2_naming_the_field(stdin: str, field: str) -> None:
    proc = jifang("assess", "-", stdin=stdin)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert field in proc.stderr
    assert "Traceback" not in proc.stderr
    assert any("\u4e00" <= ch <= "\u9fff" for ch in proc.stderr)  # Chinese first


def test_missing_file_exits_2() -> None:
    proc = jifang("assess", "no-such-file.yaml")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr


def test_regimes_lists_the_five() -> None:
    proc = jifang("regimes", "--format", "json")
    ids = [r["id"] for r in json.loads(proc.stdout)]
    assert ids == sorted(
        ["qinhuangdao-2018", "liaoning-2015", "hangzhou-2018", "fujian-2015", "guangdong-2017"]
    )
    liaoning = next(r for r in json.loads(proc.stdout) if r["id"] == "liaoning-2015")
    assert 10 in liaoning["text_incomplete_articles"]


def test_article_prints_the_text() -> None:
    proc = jifang("article", "qinhuangdao-2018", "11")
    assert proc.returncode == 0
    assert "禁止在宾馆客房" in proc.stdout
    assert jifang("article", "qinhuangdao-2018", "99").returncode == 2
    assert jifang("article", "nowhere-2000", "1").returncode == 2


@pytest.mark.parametrize("topic", ["installation", "retention", "privacy", "access", "fines"])
def test_compare_each_topic(topic: str) -> None:
    proc = jifang("compare", topic, "--format", "json")
    assert proc.returncode == 0, proc.stderr
    table = json.loads(proc.stdout)
    assert len(table["columns"]) == 5
    assert all(set(row["cells"]) == {c["id"] for c in table["columns"]} for row in table["rows"])
    assert jifang("compare", topic).returncode == 0


def test_compare_shows_the_differences() -> None:
    rows = {
        r["key"]: r["cells"]
        for r in json.loads(jifang("compare", "retention", "--format", "json").stdout)["rows"]
    }
    assert rows["min_days"]["fujian-2015"] == "—"
    assert rows["min_days"]["hangzhou-2018"].startswith("7日")
    assert "90日" in rows["raised"]["guangdong-2017"]
    priv = {
        r["key"]: r["cells"]
        for r in json.loads(jifang("compare", "privacy", "--format", "json").stdout)["rows"]
    }
    assert priv["residential_window_door"]["guangdong-2017"] == "—"
    assert priv["residential_window_door"]["qinhuangdao-2018"] != "—"


def test_schema_prints_each_schema() -> None:
    proc = jifang("schema", "assess-input")
    assert json.loads(proc.stdout)["title"] == "AssessCase"
    assert set(json.loads(jifang("schema").stdout)) == {
        "assess-input",
        "assess-output",
        "access-input",
        "access-output",
    }


@pytest.mark.parametrize(
    ("command", "example"),
    [
        ("assess", "fujian-kindergarten-overdue.yaml"),
        ("access-check", "guangdong-state-security-copy.access.yaml"),
    ],
)
def test_engine_commands_import_only_the_engine(command: str, example: str) -> None:
    code = (
        "import sys; from jifang.cli import main; "
        f"code = main([{command!r}, r'{EXAMPLES / example}']); "
        "heavy = sorted(m for m in sys.modules "
        "if m.split('.')[0] in ('django', 'polars', 'pyarrow') "
        "or m.startswith(('jifang.platform', 'jifang.web', 'jifang.api', 'jifang.law.batch'))); "
        "print(code, heavy, file=sys.stderr)"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.splitlines()[-1] == "0 []"


def test_help_still_lists_every_command() -> None:
    proc = jifang("--help")
    assert proc.returncode == 0
    for command in ("assess", "access-check", "regimes", "schema", "synth", "demo", "serve"):
        assert command in proc.stdout
    assert "--explain" in jifang("assess", "--help").stdout
