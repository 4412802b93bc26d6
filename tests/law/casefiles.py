"""Test cases as data: YAML files under tests/law/cases/<regime>/, each a list of cases.

A case names the article it tests, gives a case file (`input`) and what the answer must
contain (`expect`). Expected dicts match as subsets; expected lists match element-wise as
subsets in any order and must have the same length (use `*_include` keys for "at least").
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

CASES_DIR = Path(__file__).parent / "cases"


def load_cases() -> list[tuple[str, dict[str, Any]]]:
    out = []
    for path in sorted(CASES_DIR.glob("*/*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            out.append((f"{path.parent.name}/{path.stem}::{case['name']}", case))
    return out


def matches(expected: Any, actual: Any) -> bool:
    if isinstance(expected, dict):
        return isinstance(actual, dict) and all(
            k in actual and matches(v, actual[k]) for k, v in expected.items()
        )
    if isinstance(expected, list):
        return (
            isinstance(actual, list) and len(expected) == len(actual) and _cover(expected, actual)
        )
    return expected == actual


def _cover(expected: list, actual: list) -> bool:
    """Each expected element matches a distinct actual element (small lists: backtrack)."""
    if not expected:
        return True
    head, rest = expected[0], expected[1:]
    for i, cand in enumerate(actual):
        if matches(head, cand) and _cover(rest, actual[:i] + actual[i + 1 :]):
            return True
    return False


def includes(expected: list, actual: list) -> bool:
    """Every expected element matches some distinct element of actual (actual may have more)."""
    if not expected:
        return True
    head, rest = expected[0], expected[1:]
    return any(
        matches(head, cand) and includes(rest, actual[:i] + actual[i + 1 :])
        for i, cand in enumerate(actual)
    )
