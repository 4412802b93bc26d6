"""Which regime governs: by id, by division code, and never by silent fallback."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
import yaml

from jifang import law
from jifang.law import registry
from jifang.law.regime import Regime

D = dt.date(2024, 6, 1)


@pytest.mark.parametrize(
    ("division", "regime_id"),
    [
        ("130302", "qinhuangdao-2018"),
        ("210102", "liaoning-2015"),
        ("330106", "hangzhou-2018"),
        ("350203", "fujian-2015"),
        ("440106", "guangdong-2017"),
    ],
)
def test_division_resolves_the_regime(division: str, regime_id: str) -> None:
    assert law.resolve(None, division, D).id == regime_id


@pytest.mark.parametrize("division", ["130102", "330203", "110101", "000000"])
def test_division_outside_every_jurisdiction_is_an_error(division: str) -> None:
    with pytest.raises(law.NoRegimeError) as info:
        law.resolve(None, division, D)
    assert info.value.problems[0].field == "division"
    assert "没有已编码" in info.value.problems[0].zh


def test_date_before_in_force_is_an_error_not_a_fallback() -> None:
    with pytest.raises(law.NoRegimeError) as info:
        law.resolve("hangzhou-2018", None, dt.date(2018, 9, 17))
    assert info.value.problems[0].field == "as_of"
    assert "2018-09-18" in info.value.problems[0].zh
    assert law.resolve("hangzhou-2018", None, dt.date(2018, 9, 18)).id == "hangzhou-2018"


def test_regime_and_division_must_agree() -> None:
    with pytest.raises(law.NoRegimeError) as info:
        law.resolve("fujian-2015", "440106", D)
    assert info.value.problems[0].field == "division"


def test_unknown_regime_id() -> None:
    with pytest.raises(law.NoRegimeError) as info:
        law.resolve("beijing-2020", None, D)
    assert info.value.problems[0].field == "regime"


def test_every_regime_cites_only_what_its_text_has() -> None:
    for regime in law.all_regimes():
        for article in regime.articles:
            assert article.paragraphs, (regime.id, article.number)


def test_a_citation_the_text_lacks_is_refused() -> None:
    data = yaml.safe_load((registry._regime_dir() / "fujian-2015.yaml").read_text("utf-8"))
    data["provisions"]["installation"]["rules"][0]["basis"]["item"] = 40
    with pytest.raises(ValueError, match="no item 40"):
        Regime.model_validate(data)


def test_a_sixth_regime_is_only_a_data_file(tmp_path: Path, monkeypatch) -> None:
    """Adding a regulation needs a new file and no engine change."""
    for path in registry._regime_dir().glob("*.yaml"):
        shutil.copy(path, tmp_path / path.name)
    data = yaml.safe_load((tmp_path / "fujian-2015.yaml").read_text("utf-8"))
    data.update(
        id="xiamen-2030",
        title="厦门市（测试）办法",
        in_force_from=dt.date(2030, 1, 1),
        jurisdiction={"name": "厦门市", "division_prefixes": ["3502"]},
    )
    (tmp_path / "xiamen-2030.yaml").write_text(
        yaml.safe_dump(data, allow_unicode=True), encoding="utf-8"
    )
    monkeypatch.setattr(registry, "_regime_dir", lambda: tmp_path)
    monkeypatch.setenv("JIFANG_CACHE_DIR", str(tmp_path / "cache"))  # not the user's cache
    registry.regime_ids.cache_clear()
    registry.load.cache_clear()
    try:
        assert law.resolve(None, "350203", dt.date(2030, 6, 1)).id == "xiamen-2030"
        assert law.resolve(None, "350203", dt.date(2029, 6, 1)).id == "fujian-2015"
        assert law.resolve(None, "350102", dt.date(2030, 6, 1)).id == "fujian-2015"
        result = law.assess(
            {
                "division": "350203",
                "as_of": "2030-06-01",
                "unit": {"places": [{"id": "p1", "categories": ["school"]}]},
            }
        )
        assert result["regime"]["id"] == "xiamen-2030"
        assert result["findings"][0]["code"] == "INSTALL_REQUIRED_MISSING"
    finally:
        registry.regime_ids.cache_clear()
        registry.load.cache_clear()


@pytest.mark.parametrize(
    "regime_id", ["../regimes/guangdong-2017", "regimes/../guangdong-2017", "/etc/hostname", ""]
)
def test_a_regime_id_is_never_a_path(regime_id: str) -> None:
    with pytest.raises(law.NoRegimeError) as caught:
        registry.load(regime_id)
    assert caught.value.problems[0].field == "regime"
