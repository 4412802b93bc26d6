"""The synthetic province: deterministic from its seed, realistic in its proportions, with the
breaches it plans found by the engine, loaded by bulk paths on SQLite and PostgreSQL with one
audit entry, and written as the batch engine's Parquet."""

from __future__ import annotations

from collections import Counter

import numpy as np
import polars as pl
import pytest
from django.db import connection

from jifang import law
from jifang.cli import main
from jifang.law.errors import CaseError
from jifang.law.vocabulary import FINDINGS
from jifang.platform.synth import catalog as C
from jifang.platform.synth.generate import TABLES, Params, Synth

SMALL = 400  # units in database tests


def frames(params: Params) -> dict[str, pl.DataFrame]:
    """Every frame of a province, chunks concatenated (no database)."""
    synth = Synth(params)
    parts = [synth.head(), *synth.chunks()]
    names = {n for p in parts for n in p}
    return {n: pl.concat([p[n] for p in parts if n in p], how="vertical") for n in names}


def synth_of(params: Params) -> tuple[Synth, pl.DataFrame]:
    synth = Synth(params)
    synth.head()
    planned = pl.concat([c["planned"] for c in synth.chunks()])
    return synth, planned


def devices_per_unit(f: dict[str, pl.DataFrame]) -> np.ndarray:
    systems = f["systems.system"].select(pl.col("id").alias("system_id"), "unit_id")
    counts = f["systems.device"].join(systems, on="system_id").group_by("unit_id").len()
    units = f["units.unit"].select(pl.col("id").alias("unit_id"))
    return units.join(counts, on="unit_id", how="left")["len"].fill_null(0).to_numpy()


# --- the generator (no database) -------------------------------------------------------------


def test_the_same_seed_gives_the_same_rows():
    first = frames(Params(units=600, seed=3))
    again = frames(Params(units=600, seed=3))
    assert first.keys() == again.keys()
    for name in first:
        assert first[name].equals(again[name]), name
    other = frames(Params(units=600, seed=4))
    assert not other["units.unit"].equals(first["units.unit"])
    assert not other["systems.device"].equals(first["systems.device"])


def test_rows_do_not_depend_on_the_chunk_size():
    whole = frames(Params(units=500, seed=5, chunk=100_000))
    cut = frames(Params(units=500, seed=5, chunk=40))
    for name in whole:
        assert whole[name].equals(cut[name]), name


def test_kinds_and_breaches_come_in_the_planned_proportions():
    params = Params(units=2000, seed=8, violation_rate=0.3)
    synth, planned = synth_of(params)
    s = synth.summary
    assert sum(s.kinds.values()) == 2000
    for arch, share in zip(C.archetypes(), C.shares(), strict=True):
        assert abs(s.kinds.get(arch.key, 0) / 2000 - share) < 0.02, arch.key
    assert abs(s.violating / 2000 - 0.3) < 0.04
    assert s.violating == (synth.compiled.t_breach[planned["template"].to_numpy()] >= 0).sum()
    none = synth_of(Params(units=500, seed=8, violation_rate=0.0))[0].summary
    assert none.violating == 0 and not none.findings


def test_about_ten_devices_a_unit_with_a_heavy_tail():
    per_unit = devices_per_unit(frames(Params(units=2000, seed=9)))
    mean, median = per_unit.mean(), np.median(per_unit)
    assert 9.0 <= mean <= 11.5
    assert np.percentile(per_unit, 99) >= 4 * median  # a long right tail
    assert per_unit.max() >= 10 * mean
    assert per_unit.min() >= 0


@pytest.mark.parametrize("regime", law.regime_ids())
def test_every_finding_the_regime_can_make_is_planned(regime):
    synth, _ = synth_of(Params(units=2000, seed=10, regime=regime))
    possible = synth.compiled.book.findings()
    assert set(synth.summary.findings) == set(possible)
    assert len(possible) >= 10
    if regime == "guangdong-2017":  # Guangdong's text reaches every kind of finding
        assert set(possible) == set(FINDINGS)


def test_divisions_lie_under_the_regime_and_usccs_are_unique():
    f = frames(Params(units=800, seed=12, regime="hangzhou-2018"))
    prefix = law.load("hangzhou-2018").jurisdiction.division_prefixes[0]
    divisions = f["geo.division"]
    below = divisions.filter(pl.col("level") != "province")
    assert below["code"].str.starts_with(prefix).all()
    assert (below["regime_id"] == "hangzhou-2018").all()
    assert f["geo.policeorgan"].height == divisions.height
    assert f["geo.policeorgan"]["name"].n_unique() == divisions.height
    usccs = f["units.unit"]["uscc"].drop_nulls()
    assert usccs.n_unique() == usccs.len() > 700


def test_bad_parameters_are_refused_naming_the_field(capsys):
    for params, name in (
        (Params(units=0), "units"),
        (Params(units=5, regime="atlantis-2030"), "regime"),
        (Params(units=5, violation_rate=1.5), "violation_rate"),
    ):
        with pytest.raises(CaseError) as err:
            params.check()
        assert [p.field for p in err.value.problems] == [name]
    assert main(["synth", "--units", "0"]) == 2
    assert "units：单位数至少为 1 / units:" in capsys.readouterr().err
    assert main(["synth", "--units", "5", "--regime", "atlantis-2030"]) == 2
    assert "regime：没有已编码的法规" in capsys.readouterr().err


def test_parquet_alone_fits_the_batch_layout(tmp_path):
    from jifang.law.batch.frames import check_frames, read_parquet
    from jifang.platform.synth.parquet import write

    summary = write(Params(units=300, seed=13), tmp_path)
    read = read_parquet(tmp_path)
    assert check_frames(read) == []
    assert read.units.height == 300 == summary.rows["units.unit"]
    assert read.devices.height == summary.rows["systems.device"]
    expected = pl.read_parquet(tmp_path / "expected" / "*.parquet")
    assert expected["count"].sum() == sum(summary.findings.values())


# --- the database ------------------------------------------------------------------------------


def load(params: Params, django_capture_on_commit_callbacks, **kw):
    from jifang.platform.auditlog.context import acting_as
    from jifang.platform.synth.database import Loader

    with acting_as("test:synth"), django_capture_on_commit_callbacks(execute=True):
        return Loader(**{k: kw.pop(k) for k in ("indexes",) if k in kw}).load(params, **kw)


def table_rows(label: str) -> list[tuple]:
    """A registry table's rows, timestamps left out."""
    from jifang.platform.synth.database import model

    m = model(label)
    cols = [
        f.column for f in m._meta.concrete_fields if f.attname not in {"created_at", "updated_at"}
    ]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(cols)} FROM {m._meta.db_table} ORDER BY id")
        return cursor.fetchall()


@pytest.mark.django_db
def test_a_load_is_deterministic_and_counts_its_rows(django_capture_on_commit_callbacks):
    params = Params(units=SMALL, seed=21)
    summary = load(params, django_capture_on_commit_callbacks, reset=True)
    first = {label: table_rows(label) for label in TABLES}
    for label in TABLES:
        assert len(first[label]) == summary.rows[label], label
    load(params, django_capture_on_commit_callbacks, reset=True)
    assert {label: table_rows(label) for label in TABLES} == first
    load(Params(units=SMALL, seed=22), django_capture_on_commit_callbacks, reset=True)
    assert table_rows("units.unit") != first["units.unit"]
    assert table_rows("systems.device") != first["systems.device"]


@pytest.mark.django_db
def test_the_engine_finds_what_was_planned(django_capture_on_commit_callbacks):
    from django.db import transaction

    from jifang.platform.compliance.services import assess_unit
    from jifang.platform.units.models import Unit

    params = Params(units=800, seed=23)
    load(params, django_capture_on_commit_callbacks, reset=True)
    synth, planned = synth_of(params)
    findings = synth.compiled.t_finding[planned["template"].to_numpy()]
    units = planned["unit"].to_numpy()
    sample = [int(units[np.flatnonzero(findings == f)[0]]) for f in np.unique(findings)]
    sample += [int(u) for u in units[findings < 0][:5]]
    template = dict(planned.select("unit", "template").iter_rows())
    assert len(sample) >= 15
    for pk in sample:
        with transaction.atomic():
            assessment = assess_unit(Unit.objects.get(pk=pk), params.as_of)
        found = Counter(f["code"] for f in assessment.result["findings"])
        assert found == synth.expected(template[pk]), pk


@pytest.mark.django_db
def test_records_pass_their_own_validation(django_capture_on_commit_callbacks):
    from jifang.platform.synth.database import model

    load(
        Params(units=150, seed=24, regime="qinhuangdao-2018"),
        django_capture_on_commit_callbacks,
        reset=True,
    )
    checked = 0
    for label in TABLES:
        m = model(label)
        if m._meta.auto_created:
            continue
        for obj in m.objects.order_by("?")[:40]:
            obj.full_clean()
            checked += 1
    assert checked > 300


@pytest.mark.django_db
def test_one_audit_entry_records_the_load_and_the_log_verifies(django_capture_on_commit_callbacks):
    from jifang.platform.auditlog.models import LogEntry
    from jifang.platform.auditlog.verify import verify

    before = LogEntry.objects.count()
    params = Params(units=SMALL, seed=25, regime="fujian-2015")
    summary = load(params, django_capture_on_commit_callbacks, reset=True)
    entries = list(LogEntry.objects.filter(seq__gte=before).order_by("seq"))
    assert [e.action for e in entries] == ["synth_load"]
    assert entries[0].actor == "test:synth"
    import json

    after = json.loads(entries[0].after)
    assert after["params_sha256"] == params.digest()
    assert after["params"]["seed"] == 25 and after["params"]["regime"] == "fujian-2015"
    assert after["rows"]["units.unit"] == SMALL == summary.rows["units.unit"]
    assert after["planned_findings"] == dict(sorted(summary.findings.items()))
    assert verify(grace=3600).ok


@pytest.mark.django_db
def test_a_second_load_adds_to_the_first_and_reset_empties(django_capture_on_commit_callbacks):
    from jifang.platform.geo.models import Division
    from jifang.platform.systems.models import Device, System
    from jifang.platform.units.models import Unit

    load(Params(units=120, seed=26), django_capture_on_commit_callbacks, reset=True)
    divisions = Division.objects.count()
    load(Params(units=120, seed=26), django_capture_on_commit_callbacks, indexes="keep")
    assert Unit.objects.count() == 240
    assert Division.objects.count() == divisions  # the same province: divisions reused
    codes = Unit.objects.exclude(uscc=None)
    assert codes.values("uscc").distinct().count() == codes.count() > 200
    # ids continue and the sequences moved past them: the ORM can add a record
    system = System.objects.order_by("-id").first()
    from django.db import transaction

    with transaction.atomic():
        device = Device.objects.create(system=system, code="Z99", location="entrance")
    assert device.pk > Device.objects.exclude(pk=device.pk).order_by("-id").first().pk
    summary = load(Params(units=50, seed=28), django_capture_on_commit_callbacks, reset=True)
    assert Unit.objects.count() == 50
    assert summary.reset["units_unit"] == 240


@pytest.mark.django_db
def test_the_parquet_is_what_the_cases_say(django_capture_on_commit_callbacks, tmp_path):
    from jifang.law.batch.frames import cases_to_frames, read_parquet
    from jifang.platform.compliance.facts import build_case, units_for_cases
    from jifang.platform.units.models import Unit

    params = Params(units=300, seed=29)
    load(params, django_capture_on_commit_callbacks, reset=True, parquet=str(tmp_path))
    written = read_parquet(tmp_path)
    sample = list(units_for_cases(Unit.objects.order_by("?"))[:25])
    from_cases = cases_to_frames([build_case(u, params.as_of) for u in sample])
    keys = {"units": ["unit"], "devices": ["unit", "system", "device"]}
    for name, expected in from_cases.tables().items():
        # cases_to_frames numbers units 0, 1, …: put the real keys back
        order = pl.DataFrame({"unit": range(len(sample)), "pk": [u.pk for u in sample]})
        expected = (
            expected.join(order, on="unit")
            .drop("unit")
            .rename({"pk": "unit"})
            .select(expected.columns)
        )
        got = getattr(written, name).filter(pl.col("unit").is_in([u.pk for u in sample]))
        key = keys.get(name, ["unit", name[:-1] if name != "practitioners" else "practitioner"])
        assert got.sort(key).equals(expected.sort(key)), name
