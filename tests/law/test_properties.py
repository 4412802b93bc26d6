"""Property tests: random valid case files never crash and always give the same bytes; random
invalid ones always give the clear error that names the field."""

from __future__ import annotations

import copy
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jifang import law
from jifang.law import vocabulary as v
from jifang.law.results import AccessDecision, Assessment

from .strategies import REGIMES, access_cases, assess_cases

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _bytes(result: dict) -> str:
    return json.dumps(result, ensure_ascii=False, sort_keys=True, default=str)


@SETTINGS
@given(assess_cases(), st.booleans())
def test_assess_never_crashes_and_is_deterministic(case: dict, explain: bool) -> None:
    first = law.assess(copy.deepcopy(case), explain=explain)
    second = law.assess(copy.deepcopy(case), explain=explain)
    assert _bytes(first) == _bytes(second)
    Assessment.model_validate(first)
    regime = REGIMES[first["regime"]["id"]]
    numbers = {a.number for a in regime.articles}
    for entry in first["obligations"] + first["findings"]:
        assert entry["basis"]["article"] in numbers
        assert entry["text"]
    for finding in first["findings"]:
        assert finding["code"] in v.FINDINGS
        pen = finding["penalty"]
        if pen is not None:
            assert pen["basis"]["article"] in {p.article for p in regime.penalties}
            assert pen["due_now"] == any(f["due_now"] for f in pen["fines"])
    if explain:
        assert all("basis" in step for step in first["trace"])
        assert all(step["basis"] for step in first["trace"])


@SETTINGS
@given(access_cases())
def test_access_check_never_crashes_and_is_deterministic(case: dict) -> None:
    first = law.access_check(copy.deepcopy(case), explain=True)
    assert _bytes(first) == _bytes(law.access_check(copy.deepcopy(case), explain=True))
    AccessDecision.model_validate(first)
    if first["decision"] == "allow":
        assert first["missing"] == [] and all(c["met"] for c in first["conditions"])
    if first["decision"] == "allow_if":
        assert first["missing"]
    if first["decision"] != "no_basis":
        assert first["basis"]


# Mutations that make a valid case invalid, each with the field the error must name.
def _mutations(case: dict) -> list[tuple[str, object]]:
    out: list[tuple[str, object]] = [
        ("as_of", "2024-13-45"),
        ("as_of", None),
        ("unit.kind", "company"),
        ("unit.bogus_field", 1),
        ("acts", [{"code": "steal_the_moon"}]),
        ("orders", [{"finding": "NOT_A_FINDING", "subject": "unit", "deadline": "2024-01-01"}]),
        ("unit.duties", {"duty_monitoring": "maybe"}),
    ]
    if case["unit"]["places"]:
        out += [
            ("unit.places.0.categories", ["spaceport"]),
            ("unit.places.0.public_area", "yes please"),
        ]
    if case["unit"]["systems"]:
        out += [("unit.systems.0.retention_days", -3), ("unit.systems.0.acceptance", "sort of")]
    return out


def _set(case: dict, path: str, value: object) -> str:
    """Set a dotted path; return the field name the error should carry."""
    parts = path.split(".")
    node = case
    for part in parts[:-1]:
        node = node[int(part)] if part.isdigit() else node[part]
    last = parts[-1]
    if value is None:
        node.pop(last, None)
    else:
        node[int(last) if last.isdigit() else last] = value
    return "".join(f"[{p}]" if p.isdigit() else f".{p}" for p in parts).lstrip(".")


@SETTINGS
@given(assess_cases(), st.data())
def test_invalid_input_gives_an_error_naming_the_field(case: dict, data) -> None:
    path, value = data.draw(st.sampled_from(_mutations(case)))
    broken = copy.deepcopy(case)
    field = _set(broken, path, value)
    try:
        law.assess(broken)
    except law.CaseError as exc:
        fields = [p.field for p in exc.problems]
        assert any(f == field or f.startswith(field) for f in fields), (field, fields)
        assert all(p.zh and p.en for p in exc.problems)
    else:
        raise AssertionError(f"{path}={value!r} was accepted")
