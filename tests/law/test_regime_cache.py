"""The cache of validated regimes: same regime as the YAML gives, and never trusted when wrong."""

from __future__ import annotations

import os
import pickle
import shutil
from pathlib import Path

import pytest

from jifang.law import regime_cache, registry
from jifang.law.regime import Regime

SOURCE = registry._regime_dir() / "fujian-2015.yaml"


class Builds:
    """`registry._validate`, counting its calls (a call is a cache miss)."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, data: bytes) -> Regime:
        self.calls += 1
        return registry._validate(data)


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("JIFANG_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache" / "regimes"


def entries(where: Path) -> list[Path]:
    return sorted(where.glob("*.pickle"))


def test_a_cached_regime_equals_the_validated_yaml(cache_dir: Path) -> None:
    build = Builds()
    first = regime_cache.load(SOURCE, build)
    second = regime_cache.load(SOURCE, build)
    assert build.calls == 1
    assert [p.name.split(".")[0] for p in entries(cache_dir)] == ["fujian-2015"]
    assert second == first == registry._validate(SOURCE.read_bytes())
    assert second is not first


def test_registry_loads_through_the_cache(cache_dir: Path) -> None:
    registry.load.cache_clear()
    try:
        assert registry.load("guangdong-2017").id == "guangdong-2017"
    finally:
        registry.load.cache_clear()
    assert [p.name.split(".")[0] for p in entries(cache_dir)] == ["guangdong-2017"]


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"not a pickle",
        pickle.dumps({"id": "fujian-2015"}),  # a pickle, but not a Regime
    ],
    ids=["empty", "garbage", "not-a-regime"],
)
def test_a_corrupt_entry_is_ignored_and_rewritten(cache_dir: Path, content: bytes) -> None:
    expected = regime_cache.load(SOURCE, Builds())
    (entry,) = entries(cache_dir)
    entry.write_bytes(content)
    build = Builds()
    assert regime_cache.load(SOURCE, build) == expected
    assert build.calls == 1
    assert regime_cache.load(SOURCE, build) == expected
    assert build.calls == 1  # rewritten: the next process reads it again


def test_a_truncated_entry_is_ignored(cache_dir: Path) -> None:
    expected = regime_cache.load(SOURCE, Builds())
    (entry,) = entries(cache_dir)
    entry.write_bytes(entry.read_bytes()[:-100])
    build = Builds()
    assert regime_cache.load(SOURCE, build) == expected
    assert build.calls == 1


class _Mkdir:
    """Unpickling this would create a directory: the cache must refuse it."""

    def __init__(self, path: Path) -> None:
        self.path = str(path)

    def __reduce__(self):
        return (os.mkdir, (self.path,))


def test_an_entry_that_would_run_code_is_refused(cache_dir: Path, tmp_path: Path) -> None:
    expected = regime_cache.load(SOURCE, Builds())
    (entry,) = entries(cache_dir)
    marker = tmp_path / "ran"
    entry.write_bytes(pickle.dumps(_Mkdir(marker)))
    build = Builds()
    assert regime_cache.load(SOURCE, build) == expected
    assert build.calls == 1
    assert not marker.exists()


def test_a_changed_file_misses_and_replaces_its_old_entry(cache_dir: Path, tmp_path: Path) -> None:
    path = tmp_path / "fujian-2015.yaml"
    shutil.copy(SOURCE, path)
    build = Builds()
    regime_cache.load(path, build)
    (old,) = entries(cache_dir)
    path.write_text(
        SOURCE.read_text("utf-8").replace("title: ", "title: 修改", 1), encoding="utf-8"
    )
    changed = regime_cache.load(path, build)
    assert build.calls == 2
    assert changed.title.startswith("修改")
    (new,) = entries(cache_dir)
    assert new != old


def test_empty_setting_turns_the_cache_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JIFANG_CACHE_DIR", "")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    build = Builds()
    regime_cache.load(SOURCE, build)
    regime_cache.load(SOURCE, build)
    assert build.calls == 2
    assert not any(tmp_path.iterdir())


def test_an_unwritable_directory_is_no_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("JIFANG_CACHE_DIR", str(blocker))  # regimes/ cannot be made under it
    build = Builds()
    assert regime_cache.load(SOURCE, build).id == "fujian-2015"
    assert build.calls == 1
