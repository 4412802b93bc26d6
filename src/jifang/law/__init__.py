"""The law engine (pure Python, no Django): the regimes as data, and the rules over them.

    from jifang import law
    result = law.assess({"regime": "fujian-2015", "as_of": "2024-06-01", "unit": {...}})
    decision = law.access_check({"regime": "guangdong-2017", "as_of": ..., "request": {...}})

Both take a mapping in the shape of the case-file contract (or a validated model) and return
a JSON-ready dict. Invalid input raises `CaseError`; a place or date no regime covers raises
`NoRegimeError`; both name the field in Chinese and English.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from pydantic import ValidationError

from .case import AccessCase, AssessCase
from .errors import CaseError, LawError, NoRegimeError, from_validation_error
from .registry import all_regimes, load, regime_ids, resolve

__all__ = [
    "AccessCase",
    "AssessCase",
    "CaseError",
    "LawError",
    "NoRegimeError",
    "access_check",
    "all_regimes",
    "assess",
    "load",
    "parse_access",
    "parse_assess",
    "regime_ids",
    "resolve",
]


M = TypeVar("M", AssessCase, AccessCase)


def _parse(model: type[M], data: Mapping[str, Any] | M) -> M:
    if isinstance(data, model):
        return data
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise from_validation_error(exc) from None


def parse_assess(data: Mapping[str, Any] | AssessCase) -> AssessCase:
    """Validate an assess case file once (raises CaseError naming the field)."""
    return _parse(AssessCase, data)


def parse_access(data: Mapping[str, Any] | AccessCase) -> AccessCase:
    """Validate an access-check case file once (raises CaseError naming the field)."""
    return _parse(AccessCase, data)


def assess(data: Mapping[str, Any] | AssessCase, explain: bool = False) -> dict[str, Any]:
    """Obligations, findings and penalties of a unit on a date, each citing its article."""
    # Imported here, as in access_check: a process that runs one loads only its rules.
    from .engine.assess import assess_case

    case = parse_assess(data)
    regime = resolve(case.regime, case.division, case.as_of)
    return assess_case(regime, case, explain)


def access_check(data: Mapping[str, Any] | AccessCase, explain: bool = False) -> dict[str, Any]:
    """Whether a footage-access request may go ahead, and on what conditions."""
    from .engine.access import check_access

    case = parse_access(data)
    regime = resolve(case.regime, case.division, case.as_of)
    return check_access(regime, case, explain)
