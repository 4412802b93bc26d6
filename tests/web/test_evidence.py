"""Every finding's evidence, as the engine states it on every law test case, is put into Chinese
by jifang.web.evidence: a new shape of evidence in the engine fails here instead of showing
English on the unit page and the self-check."""

from __future__ import annotations

import functools
import re
from typing import Any

from jifang import law
from jifang.law import vocabulary as v
from jifang.web.evidence import _EVIDENCE, evidence_zh
from tests.law.casefiles import load_cases

# The engine's subjects (p1, s2, pr1…) are named from the registries on the pages; here each
# gets a Chinese name so that what is left of the evidence must be Chinese.
SUBJECT = "〔登记对象〕"
CJK = re.compile(r"[\u4e00-\u9fff]")
LATIN = re.compile(r"[A-Za-z]")


def _ids(value: Any) -> set[str]:
    """The ids of the case file's places, systems, devices, practitioners and acts."""
    if isinstance(value, dict):
        found = {value["id"]} if isinstance(value.get("id"), str) else set()
        return found.union(*(_ids(v) for v in value.values()))
    if isinstance(value, list):
        return set().union(*(_ids(v) for v in value))
    return set()


@functools.cache
def _findings() -> tuple[tuple[str, dict[str, Any], dict[str, str]], ...]:
    """Each finding of every assess case, with the Chinese names of the case's subjects."""
    out = []
    for case_id, case in load_cases():
        if case.get("kind") == "access" or "error" in case["expect"]:
            continue
        names = dict.fromkeys(_ids(case["input"]), SUBJECT)
        for finding in law.assess(case["input"])["findings"]:
            out.append((case_id, finding, names))
    return tuple(out)


def test_the_cases_give_findings_of_every_kind() -> None:
    codes = {finding["code"] for _, finding, _ in _findings()}
    assert codes == set(v.FINDINGS), set(v.FINDINGS) - codes


def test_every_evidence_is_put_into_chinese() -> None:
    english: dict[str, str] = {}  # evidence → the first case that gives it
    for case_id, finding, names in _findings():
        zh = evidence_zh(finding, names)
        if zh == finding["evidence"] or not CJK.search(zh) or LATIN.search(zh):
            english.setdefault(finding["evidence"], f"{case_id}: {zh!r}")
    assert not english, "evidence left in English:\n" + "\n".join(
        f"  {evidence!r} ({where})" for evidence, where in sorted(english.items())
    )


def test_every_pattern_is_one_the_engine_uses() -> None:
    unused = [
        pattern.pattern
        for pattern, _ in _EVIDENCE
        if not any(pattern.fullmatch(finding["evidence"]) for _, finding, _ in _findings())
    ]
    assert not unused, f"patterns no case's evidence has: {unused}"


def test_evidence_of_an_unknown_shape_is_shown_as_the_engine_wrote_it() -> None:
    finding = {"code": "RETENTION_SHORT", "evidence": "a shape no pattern knows"}
    assert evidence_zh(finding, {}) == "a shape no pattern knows"
