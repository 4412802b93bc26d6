"""The one enforcement point: `restrict(queryset, user, action)`.

Every page, API endpoint and export asks it for the rows a user may act on, in the manner of
NetBox's restricted querysets. An officer sees the divisions under the organ; a unit's staff
its own records; a practitioner's staff its own company and the systems it built; the public
only the public lists (filed practitioners and the warning list). The product catalogue is
open to every account and kept by officers. Superusers see everything.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model, Q, QuerySet

ACTIONS = ("view", "add", "change", "delete", "export")


@dataclass(frozen=True)
class Paths:
    """How a model's rows reach a division code, a unit and a practitioner (None: they don't)."""

    division: str | None = None
    unit: str | None = None
    practitioner: str | None = None
    public: dict | None = None  # rows anyone may view
    catalogue: bool = False  # every account may view; officers maintain it
    unit_writes: tuple[str, ...] = ()  # actions a unit administrator may take
    practitioner_writes: tuple[str, ...] = ()
    officer_writes: tuple[str, ...] = ("add", "change", "delete")


_FILED = {"filed": True, "on_warning_list": False}
PATHS: dict[str, Paths] = {
    "geo.division": Paths(division="code", officer_writes=()),
    "geo.policeorgan": Paths(division="division__code", officer_writes=()),
    "systems.product": Paths(catalogue=True),
    "units.unit": Paths(division="division__code", unit="pk", unit_writes=("change",)),
    "units.responsibleperson": Paths(
        division="unit__division__code", unit="unit", unit_writes=("add", "change", "delete")
    ),
    "units.place": Paths(
        division="unit__division__code", unit="unit", unit_writes=("add", "change", "delete")
    ),
    "systems.system": Paths(
        division="unit__division__code",
        unit="unit",
        practitioner="practitioner",
        unit_writes=("add", "change"),
    ),
    "systems.device": Paths(
        division="system__unit__division__code",
        unit="system__unit",
        practitioner="system__practitioner",
        unit_writes=("add", "change", "delete"),
    ),
    "practitioners.practitioner": Paths(
        division="division__code", practitioner="pk", public=_FILED, practitioner_writes=("change",)
    ),
    "practitioners.qualificationcertificate": Paths(
        division="practitioner__division__code", practitioner="practitioner"
    ),
    "practitioners.personnel": Paths(
        division="practitioner__division__code",
        practitioner="practitioner",
        practitioner_writes=("add", "change", "delete"),
    ),
    "compliance.rectificationorder": Paths(division="unit__division__code", unit="unit"),
    "compliance.actrecord": Paths(division="unit__division__code", unit="unit"),
    "compliance.assessment": Paths(division="unit__division__code", unit="unit", officer_writes=()),
    "compliance.assessmentfinding": Paths(
        division="division_code", unit="assessment__unit", officer_writes=()
    ),
    "compliance.sweeprun": Paths(division="division__code", officer_writes=()),
    "complaints.complaint": Paths(division="division__code", officer_writes=("change",)),
}


def paths_for(model: type[Model]) -> Paths | None:
    return PATHS.get(model._meta.label_lower)


def restrict(queryset: QuerySet, user, action: str = "view") -> QuerySet:
    """The rows of `queryset` that `user` may take `action` on (none if the model is unknown)."""
    if action not in ACTIONS:
        raise ValueError(action)
    if user is not None and user.is_active and user.is_superuser:
        return queryset
    paths = paths_for(queryset.model)
    if paths is None:
        return queryset.none()
    account = getattr(user, "account", None) if user and user.is_authenticated else None
    if account is None:
        if action == "view" and paths.public:
            return queryset.filter(**paths.public)
        return queryset.none()
    if not _role_allows(paths, account.role, action):
        return queryset.none()
    if paths.catalogue:
        return queryset
    condition = _condition(paths, account)
    if action == "view" and paths.public:
        public = Q(**paths.public)
        condition = public if condition is None else condition | public
    if condition is None:
        return queryset.none()
    rows = queryset.filter(condition)
    # A path through a to-many relation could repeat a row; the others need no DISTINCT, which
    # would make the database sort a province's rows for every page.
    return rows.distinct() if _crosses_many(queryset.model, paths) else rows


def _role_allows(paths: Paths, role: str, action: str) -> bool:
    """Whether the role may take `action` on some rows of the registry at all."""
    if action in ("view", "export"):
        return True
    if paths.catalogue:
        return role == "officer"
    writes = {
        "officer": paths.officer_writes,
        "unit_admin": paths.unit_writes,
        "unit_operator": (),
        "practitioner_staff": paths.practitioner_writes,
    }
    return action in writes[role]


def may_ever(user, action: str, model: type[Model]) -> bool:
    """Whether `user` may take `action` on any row of `model` that could be in its scope: the
    role's rule alone, decided before the input is read (a refusal is a refusal, whatever the
    input's faults)."""
    if user is not None and user.is_active and user.is_superuser:
        return True
    paths = paths_for(model)
    account = getattr(user, "account", None) if user and user.is_authenticated else None
    if paths is None:
        return False
    if account is None:
        return action == "view" and bool(paths.public)
    return _role_allows(paths, account.role, action)


def _crosses_many(model: type[Model], paths: Paths) -> bool:
    for path in (paths.division, paths.unit, paths.practitioner, *(paths.public or {})):
        current = model
        for name in (path or "").split("__"):
            try:
                field = current._meta.get_field(name)
            except FieldDoesNotExist:  # a lookup such as startswith: the path ends
                break
            if field.one_to_many or field.many_to_many:
                return True
            if field.related_model is None:
                break
            current = field.related_model
    return False


def _condition(paths: Paths, account) -> Q | None:
    if account.role == "officer":
        if paths.division is None:
            return None
        return Q(**{f"{paths.division}__startswith": account.division_prefix})
    if account.role in ("unit_admin", "unit_operator"):
        return Q(**{paths.unit: account.unit_id}) if paths.unit else None
    if account.role == "practitioner_staff":
        return Q(**{paths.practitioner: account.practitioner_id}) if paths.practitioner else None
    return None


def can(user, action: str, obj: Model) -> bool:
    """Whether `user` may take `action` on one object (the same rule, for a single row)."""
    model = type(obj)
    return restrict(model._default_manager.filter(pk=obj.pk), user, action).exists()


def restrict_choices(filterset, user) -> None:
    """Narrow a filterset's row choices (`?unit=7`) to rows the user may view, so that an id
    outside the scope is refused exactly like one that does not exist."""
    from django.forms import ModelChoiceField

    for field in filterset.form.fields.values():
        if isinstance(field, ModelChoiceField):
            field.queryset = restrict(field.queryset, user, "view")
