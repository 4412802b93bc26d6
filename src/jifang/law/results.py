"""The shapes of engine answers, as models: the source of the published output schemas.

The engine builds plain dicts for speed; tests validate its answers against these schemas.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from .regime import Basis
from .vocabulary import Decision, FindingCode, FineCondition, FineTarget, Measure

Status = Literal["met", "violated", "insufficient_facts", "not_applicable"]


class _Out(BaseModel):
    model_config = ConfigDict(extra="allow")


class RegimeHeader(_Out):
    id: str
    title: str
    in_force_from: str


class Obligation(_Out):
    code: str
    subject: str
    status: Status
    basis: Basis
    text: str = Field(description="the cited words of the law")
    value: int | None = None
    duty: str | None = None


class FineOut(_Out):
    target: FineTarget  # type: ignore[valid-type]
    condition: FineCondition  # type: ignore[valid-type]
    discretionary: bool
    due_now: bool
    min: int | None = None
    max: int | None = None
    multiple_of_illegal_income: int | None = None
    amount: float | None = None


class PenaltyOut(_Out):
    basis: Basis
    measures: list[Measure]  # type: ignore[valid-type]
    fines: list[FineOut]
    due_now: bool


class Finding(_Out):
    code: FindingCode  # type: ignore[valid-type]
    subject: str
    basis: Basis
    evidence: str
    text: str
    penalty: PenaltyOut | None


class TraceStep(_Out):
    rule: str
    subject: str
    basis: Basis | None
    facts: dict
    result: str


class Assessment(_Out):
    regime: RegimeHeader
    as_of: str
    obligations: list[Obligation]
    findings: list[Finding]
    notes: list[str]
    trace: list[TraceStep] | None = None


class ConditionOut(_Out):
    code: str
    met: bool
    basis: Basis
    undertaking: bool | None = None


class AccessDecision(_Out):
    regime: RegimeHeader
    as_of: str
    decision: Decision  # type: ignore[valid-type]
    rule: str | None = None
    basis: list[Basis]
    conditions: list[ConditionOut]
    missing: list[str]
    register_fields: list[str]
    notes: list[str]
    trace: list[dict] | None = None
