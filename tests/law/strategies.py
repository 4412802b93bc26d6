"""Hypothesis strategies for valid case files of every regime."""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

from jifang import law
from jifang.law import vocabulary as v
from jifang.law.batch.frames import SYSTEM_BOOL_COLUMNS

REGIMES = {r.id: r for r in law.all_regimes()}
tri = st.sampled_from([True, False, None])


def _maybe(strategy):  # a field present or absent
    return st.one_of(st.none(), strategy)


def _clean(d: dict) -> dict:
    return {k: x for k, x in d.items() if x is not None}


@st.composite
def assess_cases(draw) -> dict:
    regime = REGIMES[draw(st.sampled_from(sorted(REGIMES)))]
    start = regime.in_force_from
    as_of = draw(st.dates(min_value=start, max_value=dt.date(2026, 12, 31)))
    n_places = draw(st.integers(0, 3))
    places = []
    for i in range(n_places):
        place = {
            "id": f"p{i}",
            "categories": draw(
                st.lists(
                    st.sampled_from(list(v.PLACE_CATEGORIES)), min_size=1, max_size=3, unique=True
                )
            ),
        }
        for flag in v.PLACE_FLAGS:
            value = draw(tri)
            if value is not None:
                place[flag] = value
        places.append(place)
    systems = []
    for i in range(draw(st.integers(0, 3))):
        devices = [
            _clean(
                {
                    "id": f"s{i}d{j}",
                    "location": draw(_maybe(st.sampled_from(list(v.DEVICE_LOCATIONS)))),
                    "video": draw(tri),
                    "audio": draw(tri),
                }
            )
            for j in range(draw(st.integers(0, 3)))
        ]
        system = {
            "id": f"s{i}",
            "places": draw(st.lists(st.sampled_from([p["id"] for p in places]), unique=True))
            if places
            else [],
            "subsystems": draw(
                st.lists(st.sampled_from(list(v.SUBSYSTEMS)), unique=True, max_size=3)
            ),
            "devices": devices,
            "design_review": draw(
                _maybe(st.sampled_from(["none", "pending", "approved", "rejected"]))
            ),
            "acceptance": draw(_maybe(st.sampled_from(["none", "failed", "passed"]))),
            "retention_days": draw(_maybe(st.integers(0, 120))),
        }
        for fact in SYSTEM_BOOL_COLUMNS:
            system[fact] = draw(tri)
        systems.append(_clean(system))
    practitioners = []
    for i in range(draw(st.integers(0, 2))):
        practitioners.append(
            _clean(
                {
                    "id": f"pr{i}",
                    "home_province": draw(
                        _maybe(st.sampled_from(["13", "21", "33", "35", "44", "11"]))
                    ),
                    "filed": draw(tri),
                    "out_of_province_filed": draw(tri),
                    "qualification_level": draw(_maybe(st.integers(1, 5))),
                    "qualification_valid_until": draw(
                        _maybe(st.dates(dt.date(2015, 1, 1), dt.date(2028, 1, 1)))
                    ),
                    "required_level": draw(_maybe(st.integers(1, 4))),
                    "duties": draw(
                        st.dictionaries(st.sampled_from(list(v.PRACTITIONER_DUTIES)), tri)
                    ),
                }
            )
        )
    acts = [
        {
            "code": draw(st.sampled_from(list(v.ACTS))),
            "by": draw(st.sampled_from(["unit", "individual"])),
            "serious": draw(st.booleans()),
            "illegal_income": draw(st.sampled_from([0, 0, 1500, 20000.5])),
        }
        for _ in range(draw(st.integers(0, 2)))
    ]
    subjects = (
        ["unit"]
        + [p["id"] for p in places]
        + [s["id"] for s in systems]
        + [p["id"] for p in practitioners]
    )
    orders = []
    for _ in range(draw(st.integers(0, 2))):
        served = draw(st.dates(start, dt.date(2026, 12, 31)))
        orders.append(
            {
                "finding": draw(st.sampled_from(list(v.FINDINGS))),
                "subject": draw(st.sampled_from(subjects)),
                "served": served,
                "deadline": served + dt.timedelta(days=draw(st.integers(0, 90))),
                "corrected": draw(st.booleans()),
                "harm": draw(st.booleans()),
                "serious": draw(st.booleans()),
            }
        )
    case = {
        "as_of": as_of,
        "unit": {
            "name": "某单位",
            "kind": draw(st.sampled_from(["organisation", "individual"])),
            "places": places,
            "systems": systems,
            "duties": draw(st.dictionaries(st.sampled_from(list(v.UNIT_DUTIES)), tri)),
        },
        "practitioners": practitioners,
        "acts": acts,
        "orders": orders,
    }
    if draw(st.booleans()):
        case["regime"] = regime.id
    else:
        prefix = regime.jurisdiction.division_prefixes[0]
        central = regime.provisions.installation.central_urban_divisions
        case["division"] = (
            draw(st.sampled_from(central))
            if central and draw(st.booleans())
            else (prefix + "0101")[:6]
        )
    return case


@st.composite
def access_cases(draw) -> dict:
    regime = draw(st.sampled_from(sorted(REGIMES)))
    return {
        "regime": regime,
        "as_of": draw(st.dates(REGIMES[regime].in_force_from, dt.date(2026, 12, 31))),
        "request": _clean(
            {
                "requester": draw(st.sampled_from(list(v.REQUESTERS))),
                "action": draw(st.sampled_from(list(v.ACCESS_ACTIONS))),
                "system_scope": draw(st.sampled_from(list(v.SYSTEM_SCOPES))),
                "staff_count": draw(_maybe(st.integers(0, 4))),
                "credentials": draw(st.lists(st.sampled_from(list(v.CREDENTIALS)), unique=True)),
                "approval_by": draw(_maybe(st.sampled_from(list(v.APPROVERS)))),
                "emergency": draw(st.booleans()),
                "user_unit_consent": draw(tri),
                "registered": draw(tri),
                "involves": draw(st.lists(st.sampled_from(list(v.INVOLVES)), unique=True)),
            }
        ),
    }
