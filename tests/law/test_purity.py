"""The law engine is pure Python: nothing under jifang/law imports Django or the platform."""

from __future__ import annotations

import ast
from pathlib import Path

LAW = Path(__file__).resolve().parents[2] / "src" / "jifang" / "law"
FORBIDDEN = ("django", "rest_framework", "jifang.platform", "jifang.web", "jifang.api")


def test_no_platform_import_under_the_engine() -> None:
    offenders = []
    for path in LAW.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if n.startswith(FORBIDDEN)]
    assert not offenders, offenders
