"""The batch engine gives exactly the single-unit engine's obligations, findings and penalties:
on every YAML case, on thousands of generated units of every regime, and after a round trip
through Parquet. (Notes are not compared: see jifang.law.batch.results.)"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import polars as pl
import pytest

from jifang import law
from jifang.law import batch
from jifang.law import vocabulary as v
from jifang.law.batch.frames import SYSTEM_BOOL_COLUMNS
from jifang.law.engine.practitioners import home_province
from jifang.law.regime import Regime

from .casefiles import load_cases

REGIMES = {r.id: r for r in law.all_regimes()}
UNITS_PER_REGIME = 1500
TRI = (True, False, None)


def _tri(rng: random.Random, p_none: float = 0.2) -> bool | None:
    r = rng.random()
    return None if r < p_none else r < p_none + (1 - p_none) * 0.7


def _maybe(rng: random.Random, value: Any, p: float = 0.8) -> Any:
    return value if rng.random() < p else None


def _clean(d: dict) -> dict:
    return {k: x for k, x in d.items() if x is not None}


def _categories(rng: random.Random, regime: Regime) -> list[str]:
    """Mostly the regime's listed categories (so that rules fire), sometimes any."""
    listed = sorted({c for r in regime.provisions.installation.rules for c in r.categories})
    pool = listed if rng.random() < 0.75 else sorted(v.PLACE_CATEGORIES)
    return rng.sample(pool, rng.choice((1, 1, 1, 2, 3)))


def random_case(rng: random.Random, regime: Regime) -> dict[str, Any]:
    """A valid case file of `regime` that exercises every provision kind: every place
    category and flag, missing facts, every order state, acts, practitioners whose
    certificates have expired…"""
    as_of = regime.in_force_from + dt.timedelta(days=rng.randint(0, 3000))
    shape = rng.random()
    n_places = 0 if shape < 0.08 else rng.choice((1, 1, 2, 2, 3, 4))
    places = []
    for i in range(n_places):
        place = {"id": f"p{i}", "categories": _categories(rng, regime)}
        for flag in v.PLACE_FLAGS:
            value = (
                rng.choice((None, None, False, True))
                if flag != "public_area"
                else (rng.choice((None, None, None, False, True)))
            )
            if value is not None:
                place[flag] = value
        if rng.random() < 0.3:
            place["name"] = f"场所{i}"
        places.append(place)
    place_ids = [p["id"] for p in places]
    n_systems = 0 if shape < 0.12 else rng.choice((0, 1, 1, 2, 2, 3))
    practitioners = []
    for i in range(rng.choice((0, 0, 1, 1, 2))):
        until = as_of + dt.timedelta(days=rng.randint(-400, 400))
        practitioners.append(
            _clean(
                {
                    "id": f"pr{i}",
                    "home_province": rng.choice(
                        (home_province(regime), home_province(regime), "44", "35", "11", None)
                    ),
                    "filed": _tri(rng),
                    "out_of_province_filed": _tri(rng),
                    "qualification_level": _maybe(rng, rng.randint(1, 5)),
                    "qualification_valid_until": _maybe(rng, until),
                    "required_level": _maybe(rng, rng.randint(1, 4)),
                    "duties": {
                        d: _tri(rng)
                        for d in rng.sample(sorted(v.PRACTITIONER_DUTIES), rng.randint(0, 7))
                    },
                }
            )
        )
    systems = []
    device_ids = []
    locations = sorted(v.DEVICE_LOCATIONS)
    for i in range(n_systems):
        refs = rng.sample(place_ids, rng.randint(0, len(place_ids))) if place_ids else []
        if refs and rng.random() < 0.05:
            refs.append(refs[0])  # a place named twice
        devices = []
        for j in range(rng.choice((0, 1, 2, 3, 5))):
            devices.append(
                _clean(
                    {
                        "id": f"s{i}d{j}",
                        "location": _maybe(rng, rng.choice(locations), 0.85),
                        "video": _tri(rng, 0.3),
                        "audio": _tri(rng, 0.4),
                    }
                )
            )
            device_ids.append(f"s{i}d{j}")
        system = {
            "id": f"s{i}",
            "places": refs,
            "subsystems": rng.sample(sorted(v.SUBSYSTEMS), rng.choice((0, 1, 2, 3))),
            "devices": devices,
            "design_review": _maybe(rng, rng.choice(("none", "pending", "approved", "rejected"))),
            "acceptance": _maybe(rng, rng.choice(("none", "failed", "passed"))),
            "retention_days": _maybe(rng, rng.choice((0, 6, 7, 14, 15, 29, 30, 31, 89, 90, 120))),
            "practitioner": rng.choice([None] + [p["id"] for p in practitioners]),
        }
        for fact in SYSTEM_BOOL_COLUMNS:
            system[fact] = _tri(rng, 0.25)
        systems.append(_clean(system))
    acts = []
    for i in range(rng.choice((0, 0, 0, 1, 2))):
        act = {
            "code": rng.choice(sorted(v.ACTS)),
            "by": rng.choice(("unit", "individual")),
            "serious": rng.random() < 0.3,
            "illegal_income": rng.choice((0, 0, 1500, 20000.5)),
        }
        if rng.random() < 0.3:
            act["id"] = f"act{i}"
        acts.append(act)
    name = rng.choice(("某单位", "某银行", None))
    act_ids = [a.get("id", f"acts[{i}]") for i, a in enumerate(acts)]
    subjects = (
        ["unit"] * 3
        + ([name] if name else [])
        + place_ids
        + [s["id"] for s in systems]
        + device_ids
        + [p["id"] for p in practitioners]
        + act_ids
    )
    orders = []
    for _ in range(rng.choice((0, 0, 1, 2, 3))):
        deadline = as_of + dt.timedelta(days=rng.randint(-60, 30))
        orders.append(
            {
                "finding": rng.choice(sorted(v.FINDINGS)),
                "subject": rng.choice(subjects),
                "served": deadline - dt.timedelta(days=rng.randint(0, 30)),
                "deadline": deadline,
                "corrected": rng.random() < 0.25,
                "harm": rng.random() < 0.4,
                "serious": rng.random() < 0.2,
            }
        )
    case: dict[str, Any] = {
        "as_of": as_of,
        "unit": _clean(
            {
                "name": name,
                "kind": rng.choice(("organisation", "organisation", "individual")),
                "places": places,
                "systems": systems,
                "duties": {
                    d: _tri(rng) for d in rng.sample(sorted(v.UNIT_DUTIES), rng.randint(0, 8))
                },
            }
        ),
        "practitioners": practitioners,
        "acts": acts,
        "orders": orders,
    }
    central = regime.provisions.installation.central_urban_divisions
    if central and rng.random() < 0.5:
        case["division"] = rng.choice(central)
    elif rng.random() < 0.3:
        case["division"] = (regime.jurisdiction.division_prefixes[0] + "0101")[:6]
    if "division" not in case or rng.random() < 0.5:
        case["regime"] = regime.id
    return _aim_orders(rng, case)


def _aim_orders(rng: random.Random, case: dict[str, Any]) -> dict[str, Any]:
    """Point some orders at findings the scalar engine actually makes, so that overdue,
    harm and serious orders reach penalties."""
    findings = law.assess(case)["findings"]
    for order in case["orders"]:
        if findings and rng.random() < 0.7:
            target = rng.choice(findings)
            order["finding"] = target["code"]
            order["subject"] = target["subject"]
            if target["subject"] == "unit" and case["unit"].get("name") and rng.random() < 0.3:
                order["subject"] = case["unit"]["name"]
    return case


def _compare(cases: list[dict[str, Any]], start: int = 0) -> None:
    frames = batch.cases_to_frames(cases, start=start)
    answers = batch.frames_to_results(batch.assess_frames(frames), frames)
    for n, case in enumerate(cases):
        want = law.assess(case)
        got = answers[start + n]
        for key in ("regime", "as_of", "obligations", "findings"):
            assert got[key] == want[key], _diff(case, key, got[key], want[key])


def _diff(case: dict, key: str, got: Any, want: Any) -> str:
    if isinstance(got, list):
        extra = [x for x in got if x not in want]
        missing = [x for x in want if x not in got]
        return f"{key} differ\ncase={case}\nbatch only={extra}\nscalar only={missing}"
    return f"{key}: batch {got!r} != scalar {want!r}\ncase={case}"


@pytest.mark.parametrize("regime_id", sorted(REGIMES))
def test_generated_units_of_every_regime(regime_id: str) -> None:
    rng = random.Random(f"batch-{regime_id}")
    regime = REGIMES[regime_id]
    cases = [random_case(rng, regime) for _ in range(UNITS_PER_REGIME)]
    _compare(cases, start=10_000)
    # The sample really reaches every provision kind: each finding code the regime can make.
    made = {f["code"] for c in cases for f in law.assess(c)["findings"]}
    assert "INSTALL_REQUIRED_MISSING" in made or regime.provisions.installation.list_incomplete
    for check in regime.provisions.systems:
        assert check.finding in made, check.finding


def test_every_regime_in_one_sweep() -> None:
    """Units of all regimes mixed in one set of frames, as a province border sweep would be."""
    rng = random.Random("batch-mixed")
    regimes = sorted(REGIMES.values(), key=lambda r: r.id)
    _compare([random_case(rng, rng.choice(regimes)) for _ in range(400)])


ASSESS_CASES = [
    c["input"]
    for _, c in load_cases()
    if c.get("kind", "assess") == "assess" and "error" not in c["expect"]
]


def test_the_yaml_cases() -> None:
    """Every hand-written case of every article, in one sweep."""
    assert len(ASSESS_CASES) > 100
    _compare(ASSESS_CASES)


def test_parquet_round_trip(tmp_path) -> None:
    rng = random.Random("batch-parquet")
    cases = [random_case(rng, rng.choice(list(REGIMES.values()))) for _ in range(200)]
    frames = batch.cases_to_frames(cases)
    batch.write_parquet(frames, tmp_path)
    again = batch.read_parquet(tmp_path)
    for name, df in frames.tables().items():
        assert again.tables()[name].equals(df), name
    assert batch.check_frames(again) == []
    direct = batch.assess_frames(frames)
    read = batch.assess_frames(again)
    order = ["unit", "check", "pos", "pos2"]
    assert read.findings.sort(order).equals(direct.findings.sort(order))


def test_scanned_parquet_in_parts_equals_frames_in_memory(tmp_path) -> None:
    """A folder of Parquet parts per table, scanned lazily (the devices then only streamed)."""
    rng = random.Random("batch-scan")
    cases = [random_case(rng, rng.choice(list(REGIMES.values()))) for _ in range(300)]
    frames = batch.cases_to_frames(cases)
    for name, df in frames.tables().items():
        (tmp_path / name).mkdir()
        half = df.height // 2
        df.head(half).write_parquet(tmp_path / name / "part-0.parquet")
        df.tail(df.height - half).write_parquet(tmp_path / name / "part-1.parquet")
    order = ["unit", "check", "pos", "pos2"]
    want = batch.assess_frames(frames)
    for obligations in (False, True):
        got = batch.assess_frames(batch.scan_parquet(tmp_path), obligations=obligations)
        assert got.findings.sort(order).equals(want.findings.sort(order))
        if obligations:
            assert got.obligations is not None and want.obligations is not None
            assert got.obligations.sort(order).equals(want.obligations.sort(order))


def test_check_frames_names_what_breaks_the_layout() -> None:
    rng = random.Random("batch-check")
    cases = [random_case(rng, REGIMES["guangdong-2017"]) for _ in range(50)]
    frames = batch.cases_to_frames(cases)
    assert batch.check_frames(frames) == []
    with_devices = frames.devices["unit"][0]
    broken = batch.Frames(
        **{
            **frames.tables(),
            "units": frames.units.with_columns(
                regime=pl.when(pl.col("unit") == 0)
                .then(pl.lit("atlantis-2030"))
                .otherwise("regime")
            ),
            "devices": frames.devices.with_columns(
                location=pl.when(pl.col("unit") == with_devices)
                .then(pl.lit("moon"))
                .otherwise("location")
            ),
            "places": pl.concat([frames.places, frames.places.head(1)]),
        }
    )
    problems = "\n".join(batch.check_frames(broken))
    assert "units.regime" in problems and "atlantis-2030" in problems
    assert "devices.location" in problems and "moon" in problems
    assert "places:" in problems and "重复" in problems


def test_findings_alone_equal_findings_with_obligations() -> None:
    rng = random.Random("batch-findings-only")
    cases = [random_case(rng, rng.choice(list(REGIMES.values()))) for _ in range(300)]
    frames = batch.cases_to_frames(cases)
    order = ["unit", "check", "pos", "pos2"]
    full = batch.assess_frames(frames)
    alone = batch.assess_frames(frames, obligations=False)
    assert alone.obligations is None
    assert alone.findings.sort(order).equals(full.findings.sort(order))
    assert full.findings.height > 100


def test_the_obligations_of_named_provisions_only() -> None:
    """`obligations=` a set of provisions: their obligations, exactly as among all of them;
    the findings unchanged."""
    rng = random.Random("batch-some-obligations")
    cases = [random_case(rng, rng.choice(list(REGIMES.values()))) for _ in range(200)]
    frames = batch.cases_to_frames(cases)
    every = batch.assess_frames(frames)
    some = batch.assess_frames(frames, obligations=frozenset({"installation", "retention"}))
    order = ["unit", "check", "pos", "pos2", "code"]
    assert some.findings.sort(order).equals(every.findings.sort(order))
    kept = {"INSTALL", "TAKE_MEASURES", "RETENTION_MIN_DAYS"}
    assert set(some.obligations["code"].cast(pl.String).unique()) <= kept
    assert "NO_PRIVACY_CAPTURE" in set(every.obligations["code"].cast(pl.String).unique())
    chosen = every.obligations.filter(pl.col("code").cast(pl.String).is_in(list(kept)))
    assert some.obligations.sort(order).equals(chosen.sort(order))
    with pytest.raises(ValueError, match="unknown provisions"):
        batch.assess_frames(frames, obligations=frozenset({"lighting"}))
