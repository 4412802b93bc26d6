"""Sign-in accounts for the demo jurisdiction, one per role, so every page can be tried.

They share one password, made once and kept in the data directory like the administrator's.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    bound_to: str  # the organ, unit or company the account belongs to


def ensure_demo_accounts(password: str) -> list[DemoAccount]:
    """Create or re-bind the demo accounts to the first city of the demo (in a transaction).

    officer: the city's public security bureau; officer-county: one of its county branches;
    unit / operator: a unit of that city with findings (so the self-check has work to show);
    company: a filed practitioner of that city's province.
    """
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from jifang.platform.accounts.models import Account
    from jifang.platform.geo.models import PoliceOrgan
    from jifang.platform.practitioners.models import Practitioner
    from jifang.platform.units.models import Unit

    from .data import CITIES

    city = CITIES[0]
    organs = PoliceOrgan.objects.filter(division__code__startswith=city.code[:4]).select_related(
        "division"
    )
    city_organ = organs.filter(division__level="city").order_by("pk").first()
    county_organ = organs.filter(division__level="county").order_by("pk").first()
    units = Unit.objects.filter(division__code__startswith=city.code[:4]).order_by("pk")
    unit = units.filter(assessments__findings_count__gt=0).first() or units.first()
    company = (
        Practitioner.objects.filter(filed=True, on_warning_list=False)
        .filter(division__code__startswith=city.code[:2])
        .order_by("pk")
        .first()
    )
    wanted = [
        ("officer", "officer", {"organ": city_organ}),
        ("officer-county", "officer", {"organ": county_organ}),
        ("unit", "unit_admin", {"unit": unit}),
        ("operator", "unit_operator", {"unit": unit}),
        ("company", "practitioner_staff", {"practitioner": company}),
    ]
    users = get_user_model()
    made: list[DemoAccount] = []
    with transaction.atomic():
        for username, role, bound in wanted:
            target = next(iter(bound.values()))
            if target is None:
                continue
            user = users.objects.filter(username=username).first()
            if user is None:
                user = users.objects.create_user(username, password=password)
            elif not user.check_password(password):
                user.set_password(password)
                user.save()
            account = Account.objects.filter(user=user).first() or Account(user=user)
            account.role = role
            account.organ = account.unit = account.practitioner = None
            for field, value in bound.items():
                setattr(account, field, value)
            account.full_clean()
            account.save()
            made.append(DemoAccount(username, role, str(target)))
    return made
