"""Runs every YAML case under tests/law/cases (see casefiles.py for the format)."""

from __future__ import annotations

import pytest

from jifang import law

from .casefiles import includes, load_cases, matches

CASES = load_cases()


@pytest.mark.parametrize(("case_id", "case"), CASES, ids=[c[0] for c in CASES])
def test_case(case_id: str, case: dict) -> None:
    expect = case["expect"]
    run = law.access_check if case.get("kind") == "access" else law.assess
    if "error" in expect:
        with pytest.raises(law.LawError) as info:
            run(case["input"])
        fields = [p.field for p in info.value.problems]
        assert expect["error"]["field"] in fields, f"{case_id}: error fields {fields}"
        if "kind" in expect["error"]:
            assert info.value.kind == expect["error"]["kind"]
        return
    result = run(case["input"])
    for key, want in expect.items():
        if key == "findings_codes":
            got = sorted(f["code"] for f in result["findings"])
            assert got == sorted(want), f"{case_id}: finding codes {got}"
        elif key == "no_findings":
            got = {f["code"] for f in result["findings"]}
            assert not got & set(want), f"{case_id}: unexpected findings {got & set(want)}"
        elif key.endswith("_include"):
            field = key.removesuffix("_include")
            assert includes(want, result[field]), (
                f"{case_id}: {field} lacks {want}\n{result[field]}"
            )
        elif key == "notes_contain":
            for fragment in want:
                assert any(fragment in n for n in result["notes"]), (
                    f"{case_id}: no note contains {fragment!r}: {result['notes']}"
                )
        else:
            assert matches(want, result[key]), f"{case_id}: {key} is {result[key]!r}"
