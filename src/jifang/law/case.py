"""The case-file contract (`shared/spec/case-file.md` v1): inputs of assess and access-check.

A missing boolean is *unknown* (None), which is not false: rules that need it report
`insufficient_facts`. Unknown fields are refused, so that a misspelt fact is never ignored.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from .vocabulary import (
    AccessAction,
    ActCode,
    Approver,
    Credential,
    DeviceLocation,
    FindingCode,
    Involves,
    PlaceCategory,
    PractitionerDuty,
    Requester,
    Subsystem,
    SystemScope,
    UnitDuty,
)

Id = str
FIELD_MARK = "\u00a7"  # § brackets the field a cross-reference error belongs to


class _In(BaseModel):
    # Built on first validation, so that assessing does not build the access case and back.
    model_config = ConfigDict(extra="forbid", defer_build=True)


def _digits(value: object, length: int) -> object:
    """YAML reads an unquoted 440106 as an int: accept it as the code it means."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value).zfill(length)
    return value


class Place(_In):
    id: Id = Field(min_length=1)
    name: str | None = None
    categories: list[PlaceCategory] = Field(min_length=1)  # type: ignore[valid-type]
    public_area: bool | None = None
    anti_terror_target: bool | None = None
    police_key_place: bool | None = None
    central_urban: bool | None = None
    new_construction: bool | None = None


class Device(_In):
    id: Id = Field(min_length=1)
    location: DeviceLocation | None = None  # type: ignore[valid-type]
    video: bool | None = None
    audio: bool | None = None


class System(_In):
    id: Id = Field(min_length=1)
    places: list[Id] = []
    built_by_government: bool | None = None
    subsystems: list[Subsystem] = []  # type: ignore[valid-type]
    design_review: Literal["none", "pending", "approved", "rejected"] | None = None
    built_per_design: bool | None = None
    built_with_project: bool | None = None
    acceptance: Literal["none", "failed", "passed"] | None = None
    in_use: bool | None = None
    standards_compliant: bool | None = None
    products_certified: bool | None = None
    network_interface: bool | None = None
    connected_to_police_platform: bool | None = None
    police_requested_connection: bool | None = None  # extension: 公安机关认为有联网接入必要
    retention_days: int | None = Field(default=None, ge=0)
    signage: bool | None = None
    practitioner: Id | None = None
    devices: list[Device] = []


class Unit(_In):
    name: str | None = None
    kind: Literal["organisation", "individual"] = "organisation"
    places: list[Place] = []
    systems: list[System] = []
    duties: dict[UnitDuty, bool | None] = {}  # type: ignore[valid-type]


class Practitioner(_In):
    id: Id = Field(min_length=1)
    name: str | None = None
    home_province: str | None = Field(default=None, pattern=r"^\d{2}$")
    filed: bool | None = None
    out_of_province_filed: bool | None = None
    qualification_level: int | None = Field(default=None, ge=1)
    qualification_valid_until: dt.date | None = None
    required_level: int | None = Field(default=None, ge=1)
    duties: dict[PractitionerDuty, bool | None] = {}  # type: ignore[valid-type]

    _province = field_validator("home_province", mode="before")(lambda v: _digits(v, 2))


class Act(_In):
    id: Id | None = None  # extension: names the act in findings (default acts[i])
    code: ActCode  # type: ignore[valid-type]
    by: Literal["unit", "individual"] = "unit"
    serious: bool = False
    illegal_income: float = Field(default=0, ge=0)


class Order(_In):
    finding: FindingCode  # type: ignore[valid-type]
    subject: Id
    served: dt.date | None = None
    deadline: dt.date
    corrected: bool = False
    harm: bool = False  # extension: 造成损害或严重威胁 (for overdue_with_harm fines)
    serious: bool = False  # extension: 造成严重后果 (for serious fines)

    @model_validator(mode="after")
    def _deadline_after_service(self) -> Order:
        if self.served is not None and self.deadline < self.served:
            raise ValueError("deadline is before served")
        return self


class _Located(_In):
    regime: str | None = None
    division: str | None = Field(default=None, pattern=r"^\d{6}$")
    as_of: dt.date

    _division = field_validator("division", mode="before")(lambda v: _digits(v, 6))

    @model_validator(mode="after")
    def _regime_or_division(self) -> _Located:
        if self.regime is None and self.division is None:
            raise ValueError(
                field_error(
                    "regime",
                    "regime 与 division 必须给出其一",
                    "one of regime or division is required",
                )
            )
        return self


class AssessCase(_Located):
    # Constructed, not validated: Unit() here would build Unit's validator on import.
    unit: Unit = Unit.model_construct()
    practitioners: list[Practitioner] = []
    acts: list[Act] = []
    orders: list[Order] = []

    @model_validator(mode="after")
    def _references_resolve(self) -> AssessCase:
        _unique("unit.places", [p.id for p in self.unit.places])
        _unique("unit.systems", [s.id for s in self.unit.systems])
        _unique("unit.systems[].devices", [d.id for s in self.unit.systems for d in s.devices])
        _unique("practitioners", [p.id for p in self.practitioners])
        _unique(
            "unit",
            [
                *(p.id for p in self.unit.places),
                *(s.id for s in self.unit.systems),
                *(d.id for s in self.unit.systems for d in s.devices),
                *(p.id for p in self.practitioners),
            ],
        )
        places = {p.id for p in self.unit.places}
        practitioners = {p.id for p in self.practitioners}
        for i, s in enumerate(self.unit.systems):
            for j, ref in enumerate(s.places):
                if ref not in places:
                    raise ValueError(
                        field_error(
                            f"unit.systems[{i}].places[{j}]",
                            f"场所 {ref!r} 不在 unit.places 中",
                            f"place {ref!r} is not in unit.places",
                        )
                    )
            if s.practitioner is not None and s.practitioner not in practitioners:
                raise ValueError(
                    field_error(
                        f"unit.systems[{i}].practitioner",
                        f"从业单位 {s.practitioner!r} 不在 practitioners 中",
                        f"practitioner {s.practitioner!r} is not in practitioners",
                    )
                )
        return self


class AccessRequest(_In):
    requester: Requester  # type: ignore[valid-type]
    action: AccessAction  # type: ignore[valid-type]
    system_scope: SystemScope = "key_unit"  # type: ignore[valid-type]
    staff_count: int | None = Field(default=None, ge=0)
    credentials: list[Credential] = []  # type: ignore[valid-type]
    approval_by: Approver | None = None  # type: ignore[valid-type]
    emergency: bool = False
    user_unit_consent: bool | None = None
    registered: bool | None = None
    involves: list[Involves] = []  # type: ignore[valid-type]


class AccessCase(_Located):
    request: AccessRequest


def field_error(field: str, zh: str, en: str) -> str:
    """A validator message that names its field (errors.from_validation_error reads it)."""
    return f"{FIELD_MARK}{field}{FIELD_MARK}{zh}{FIELD_MARK}{en}"


def _unique(where: str, ids: list[str]) -> None:
    seen: set[str] = set()
    for i in ids:
        if i in seen:
            raise ValueError(field_error(where, f"编号 {i!r} 重复", f"id {i!r} is used twice"))
        seen.add(i)
