"""The schema of a regime data file: one regulation's articles and computable provisions.

A regime file (``regimes/<id>.yaml``) holds the metadata, every article's text as the seed
gives it, the provisions the engine evaluates, and the penalty articles. Every provision cites
its article/paragraph/item; `Regime` checks on load that each citation exists in the text.
Provision *kinds* are fixed here and implemented once in the engine; a regime chooses its
parameters (categories, days, fines, scopes). A new regulation is a new file, not new code.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .vocabulary import (
    AccessAction,
    ActCode,
    Approver,
    Credential,
    DeviceLocation,
    FindingCode,
    FineCondition,
    FineTarget,
    Involves,
    Measure,
    PlaceCategory,
    PlaceFlag,
    PractitionerDuty,
    Requester,
    SystemScope,
    UnitDuty,
)


class _Model(BaseModel):
    # Built on first validation: a regime read from regime_cache never needs its validator.
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Basis(_Model):
    """A citation: article, and paragraph (款) and item (项) where the text has them."""

    article: int = Field(ge=1)
    paragraph: int | None = Field(default=None, ge=1)
    item: int | None = Field(default=None, ge=1)

    def as_dict(self) -> dict[str, int]:
        out = {"article": self.article}
        if self.paragraph is not None:
            out["paragraph"] = self.paragraph
        if self.item is not None:
            out["item"] = self.item
        return out

    def label(self) -> str:
        from .text import cite_zh

        return cite_zh(self.as_dict())


# --- the text ------------------------------------------------------------------------------


class Paragraph(_Model):
    text: str
    items: list[str] = []


class Article(_Model):
    number: int = Field(ge=1)
    chapter: str | None = None
    heading: str | None = None
    text_incomplete: bool = False
    gap_note: str | None = None
    paragraphs: list[Paragraph] = Field(min_length=1)

    @model_validator(mode="after")
    def _gap_is_explained(self) -> Article:
        if self.text_incomplete and not self.gap_note:
            raise ValueError(f"article {self.number}: text_incomplete needs a gap_note")
        return self


class Jurisdiction(_Model):
    name: str
    division_prefixes: list[str] = Field(min_length=1)


# --- penalties -----------------------------------------------------------------------------


class Fine(_Model):
    """One fine of a penalty article. Fixed fines have min == max."""

    target: FineTarget  # type: ignore[valid-type]
    condition: FineCondition  # type: ignore[valid-type]
    min: int | None = Field(default=None, ge=0)
    max: int | None = Field(default=None, ge=0)
    multiple_of_illegal_income: int | None = Field(default=None, ge=1)
    discretionary: bool = False  # 可以并处: the organ may, not must

    @model_validator(mode="after")
    def _amount_given(self) -> Fine:
        ranged = self.min is not None and self.max is not None
        if ranged == (self.multiple_of_illegal_income is not None):
            raise ValueError("a fine has either min and max, or multiple_of_illegal_income")
        if ranged and self.min > self.max:  # type: ignore[operator]
            raise ValueError("fine min exceeds max")
        return self


class Penalty(_Model):
    """A penalty article (法律责任条款): what the organ may do, and the fines."""

    article: int
    paragraph: int | None = None
    measures: list[Measure] = []  # type: ignore[valid-type]
    serious_measures: list[Measure] = []  # type: ignore[valid-type]  # only when 情节严重/后果严重
    serious_basis: Basis | None = None  # where serious_measures come from, if another article
    fines: list[Fine] = []
    text_incomplete: bool = False
    note: str | None = None


# --- provisions ----------------------------------------------------------------------------

Scope = Literal[
    "all",
    "key_unit",
    "must_install",
    "public_area",
    "public_place",
    "new_construction",
    "video",
    "system_user",
]
SystemFact = Literal[
    "signage",
    "network_interface",
    "connected_to_police_platform",
    "standards_compliant",
    "products_certified",
    "built_with_project",
    "built_per_design",
    "design_review",
    "acceptance",
    "in_use",
    "police_requested_connection",
]


class _Provision(_Model):
    basis: Basis
    penalty: Basis | None = None  # the penalty article (and item) that sanctions a breach
    text_incomplete: bool = False
    note: str | None = None


class InstallRule(_Provision):
    """Places of these categories must (required) or should as need dictates (advisory) install."""

    categories: list[PlaceCategory] = Field(min_length=1)  # type: ignore[valid-type]
    strength: Literal["required", "advisory"] = "required"
    when: dict[PlaceFlag, bool] = {}  # type: ignore[valid-type]  # place flags the rule needs
    # A condition of the text that no case-file fact carries (e.g. 具备相应条件): the place
    # must install only if it holds, so without a system the answer is insufficient_facts.
    condition: str | None = None


class Installation(_Model):
    rules: list[InstallRule] = Field(min_length=1)
    # When the enumerated list was lost, an unlisted category is undetermined, not exempt.
    list_incomplete: bool = False
    list_incomplete_note: str | None = None
    public_area: Basis | None = None  # the article that gives public areas to the government
    central_urban_divisions: list[str] = []  # divisions wholly inside the central urban area
    central_urban_basis: Basis | None = None


class PublicAreaRule(_Provision):
    """Nobody but the government may install in a public area (社会公共区域)."""


class PrivacyRule(_Provision):
    locations: list[DeviceLocation] = Field(min_length=1)  # type: ignore[valid-type]
    capture: list[Literal["video", "audio"]] = ["video", "audio"]


class SystemCheck(_Provision):
    """A fact about a system that the text requires (signage, standards, acceptance…)."""

    obligation: str
    finding: FindingCode  # type: ignore[valid-type]
    fact: SystemFact
    expect: list[bool | str] = [True]
    when: dict[SystemFact, bool | str] = {}
    scope: list[Scope] = ["all"]


class RetentionRaise(_Model):
    flag: PlaceFlag  # type: ignore[valid-type]
    days: int = Field(ge=1)
    basis: Basis


class RetentionRule(_Provision):
    days: int = Field(ge=1)
    scope: list[Scope] = ["key_unit"]
    raises: list[RetentionRaise] = []


class UnitDutyRule(_Provision):
    """Management duties of using units; each duty code maps to its item (None: item lost)."""

    duties: dict[UnitDuty, int | None]  # type: ignore[valid-type]
    scope: list[Scope] = ["system_user"]


class PractitionerDutyRule(_Provision):
    duties: dict[PractitionerDuty, int | None]  # type: ignore[valid-type]


class FilingRule(_Provision):
    """Filing (备案) with the police: locally registered or out-of-province practitioners."""


class QualificationRule(_Provision):
    """Graded qualification certificates (资格证): held, in force, and not exceeded."""

    validity_basis: Basis
    level_basis: Basis
    levels: int = Field(ge=1)


class PractitionerRules(_Model):
    local_filing: FilingRule | None = None
    out_of_province: FilingRule | None = None
    qualification: QualificationRule | None = None
    duties: PractitionerDutyRule | None = None


class ActRule(_Provision):
    code: ActCode  # type: ignore[valid-type]
    finding: Literal["SYSTEM_INTERFERENCE", "INFO_MISUSE"]
    scope: list[Scope] = ["all"]


AbsentTopic = Literal[
    "privacy",
    "retention",
    "signage",
    "practitioner_filing",
    "practitioner_qualification",
    "practitioner_duties",
    "unit_duties",
    "public_area",
    "acts",
    "products",
    "network",
    "penalties",  # said instead of "no penalty article" where the penalty list was lost
]

ConditionKind = Literal[
    "staff_min",
    "credentials_all",
    "credentials_any",
    "approval_by_any",
    "registered",
    "consent",
    "involves_none",
    "undertaking",
]


class AccessCondition(_Model):
    code: str
    basis: Basis
    kind: ConditionKind
    value: Any = None

    @model_validator(mode="after")
    def _value_fits(self) -> AccessCondition:
        need_list = self.kind in {
            "credentials_all",
            "credentials_any",
            "approval_by_any",
            "involves_none",
        }
        if need_list and not isinstance(self.value, list):
            raise ValueError(f"condition {self.code}: kind {self.kind} needs a list value")
        if self.kind == "staff_min" and not isinstance(self.value, int):
            raise ValueError(f"condition {self.code}: staff_min needs an integer value")
        return self


class AccessRule(_Model):
    id: str
    basis: Basis
    effect: Literal["permit", "deny"]
    requesters: list[Requester]  # type: ignore[valid-type]
    actions: list[AccessAction]  # type: ignore[valid-type]
    scopes: list[SystemScope] | None = None  # type: ignore[valid-type]  # None: any system
    emergency: bool | None = None  # None: whether or not
    conditions: list[AccessCondition] = []
    text_incomplete: bool = False
    note: str | None = None


class RegisterRule(_Model):
    basis: Basis | None = None
    fields: list[str] = []
    fields_from_text: bool = True  # False: the text requires a register but names no fields


class AccessRules(_Model):
    registration: RegisterRule
    rules: list[AccessRule] = Field(min_length=1)
    credentials_known: list[Credential] = []  # type: ignore[valid-type]
    approvers_known: list[Approver] = []  # type: ignore[valid-type]
    secrets_known: list[Involves] = []  # type: ignore[valid-type]


class Provisions(_Model):
    installation: Installation
    public_area: PublicAreaRule | None = None
    privacy: PrivacyRule | None = None
    systems: list[SystemCheck] = []
    retention: RetentionRule | None = None
    unit_duties: UnitDutyRule | None = None
    # Constructed, not validated: PractitionerRules() would build its validator on import.
    practitioners: PractitionerRules = PractitionerRules.model_construct()
    acts: list[ActRule] = []
    # What the text does not regulate, by topic, said in the note the engine gives when the
    # topic comes up (e.g. privacy: a camera in a hotel room under a text that lists none).
    absent: dict[AbsentTopic, str] = {}
    # Categories the text treats as public places (公共场所), for the `public_place` scope.
    public_place_categories: list[PlaceCategory] = []  # type: ignore[valid-type]


class Regime(_Model):
    id: str = Field(pattern=r"^[a-z][a-z0-9-]+$")
    title: str
    kind: str
    seed_file: str
    promulgation: str | None = None
    in_force_from: dt.date
    in_force_note: str | None = None
    jurisdiction: Jurisdiction
    articles: list[Article] = Field(min_length=1)
    provisions: Provisions
    penalties: list[Penalty] = []
    access: AccessRules
    notes: list[str] = []

    @model_validator(mode="before")
    @classmethod
    def _canonical_citations(cls, data: Any) -> Any:
        """Cite a paragraph only where the article has more than one (第三十四条第（四）项)."""
        if isinstance(data, dict) and isinstance(data.get("articles"), list):
            single = {
                a["number"]
                for a in data["articles"]
                if isinstance(a, dict) and len(a.get("paragraphs") or []) == 1
            }
            for key in ("provisions", "access"):
                if key in data:
                    data = {**data, key: _drop_single_paragraph(data[key], single)}
        return data

    @model_validator(mode="after")
    def _citations_exist(self) -> Regime:
        """Every citation must name an article, paragraph and item that the text has."""
        by_number = {a.number: a for a in self.articles}
        penalty_articles = {p.article for p in self.penalties}
        for path, basis in _walk_bases(self.provisions.model_dump(), "provisions"):
            _check_cites(by_number, basis, path)
        for path, basis in _walk_bases(self.access.model_dump(), "access"):
            _check_cites(by_number, basis, path)
        for i, pen in enumerate(self.penalties):
            _check_cites(
                by_number, {"article": pen.article, "paragraph": pen.paragraph}, f"penalties[{i}]"
            )
        for path, ref in _walk_penalty_refs(self.provisions.model_dump(), "provisions"):
            if ref["article"] not in penalty_articles:
                raise ValueError(f"{path}: no penalty entry for article {ref['article']}")
        return self

    def article(self, number: int) -> Article:
        for a in self.articles:
            if a.number == number:
                return a
        raise KeyError(number)

    def penalty(self, article: int) -> Penalty:
        for p in self.penalties:
            if p.article == article:
                return p
        raise KeyError(article)

    def header(self) -> dict[str, str]:
        return {"id": self.id, "title": self.title, "in_force_from": self.in_force_from.isoformat()}


def _drop_single_paragraph(node: Any, single: set[int]) -> Any:
    if isinstance(node, dict):
        if (
            node.get("paragraph") == 1
            and node.get("article") in single
            and set(node) <= {"article", "paragraph", "item"}
        ):
            return {k: v for k, v in node.items() if k != "paragraph"}
        return {k: _drop_single_paragraph(v, single) for k, v in node.items()}
    if isinstance(node, list):
        return [_drop_single_paragraph(v, single) for v in node]
    return node


def _walk_bases(node: Any, path: str):
    """Yield (path, basis-dict) for every Basis-shaped dict below node."""
    if isinstance(node, dict):
        if "article" in node and set(node) <= {"article", "paragraph", "item"}:
            yield path, node
            return
        for k, v in node.items():
            yield from _walk_bases(v, f"{path}.{k}")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _walk_bases(v, f"{path}[{i}]")


def _walk_penalty_refs(node: Any, path: str):
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "penalty" and isinstance(v, dict):
                yield f"{path}.penalty", v
            else:
                yield from _walk_penalty_refs(v, f"{path}.{k}")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _walk_penalty_refs(v, f"{path}[{i}]")


def _check_cites(by_number: dict[int, Article], basis: dict, path: str) -> None:
    art = by_number.get(basis["article"])
    if art is None:
        raise ValueError(f"{path}: cites article {basis['article']}, which the text lacks")
    para_no, item_no = basis.get("paragraph"), basis.get("item")
    if para_no is None:
        if item_no is not None and len(art.paragraphs) != 1:
            raise ValueError(f"{path}: cites an item without a paragraph in article {art.number}")
        para_no = 1 if item_no is not None else None
    if para_no is None:
        return
    if para_no > len(art.paragraphs):
        raise ValueError(f"{path}: article {art.number} has no paragraph {para_no}")
    if item_no is not None and item_no > len(art.paragraphs[para_no - 1].items):
        raise ValueError(f"{path}: article {art.number}({para_no}) has no item {item_no}")
