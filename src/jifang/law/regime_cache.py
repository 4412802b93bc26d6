"""Validated regimes kept between processes, so that a command does not parse its YAML anew.

Reading and validating a regime file takes longer than assessing a unit, and `jifang assess`
would pay it on every run. Each validated `Regime` is therefore kept, pickled, under the SHA-256
of everything it is made from: the file's bytes, the code that validates it (regime.py,
vocabulary.py) and the versions of Python, pydantic and PyYAML. The YAML stays the only source:
a changed file or schema has another key, and an entry that cannot be read or unpickled, or is
not a Regime, is ignored and written again. Unpickling admits only the regime's own classes and
dates, so an entry can hold data but never run code.

The directory is `$JIFANG_CACHE_DIR/regimes`, else `$XDG_CACHE_HOME/jifang/regimes`, else
`~/.cache/jifang/regimes`; an empty `JIFANG_CACHE_DIR` turns the cache off. A directory that
cannot be written means no cache, never an error.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from . import regime, vocabulary

_SUFFIX = ".pickle"


def directory() -> Path | None:
    """Where entries live, or None when the cache is off."""
    configured = os.environ.get("JIFANG_CACHE_DIR")
    if configured is not None:
        return Path(configured) / "regimes" if configured else None
    base = os.environ.get("XDG_CACHE_HOME")
    if not base:
        try:
            base = str(Path.home() / ".cache")
        except RuntimeError:  # no home directory to put it in
            return None
    return Path(base) / "jifang" / "regimes"


@cache
def _code_digest() -> bytes | None:
    """What validation depends on besides the file; None (no cache) if the code is unreadable."""
    import pydantic
    import yaml

    digest = hashlib.sha256()
    try:
        for module in (regime, vocabulary):
            digest.update(Path(str(module.__file__)).read_bytes())
    except OSError:
        return None
    digest.update(
        f"{sys.version}|{pydantic.VERSION}|{yaml.__version__}|{yaml.__with_libyaml__}".encode()
    )
    return digest.digest()


class _Unpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if module == regime.__name__:
            found = getattr(regime, name, None)
            if isinstance(found, type) and issubclass(found, regime._Model):
                return found
        if (module, name) == ("datetime", "date"):
            return dt.date
        raise pickle.UnpicklingError(f"{module}.{name} is not part of a regime")


def load(path: Path, build: Callable[[bytes], regime.Regime]) -> regime.Regime:
    """The regime in the file at `path`: its cached entry if there is one, else `build(bytes)`."""
    data = path.read_bytes()
    where = directory()
    if where is None or (code := _code_digest()) is None:
        return build(data)
    key = hashlib.sha256(code + data).hexdigest()
    # Regime ids have no dot, so `<stem>.*` names exactly this file's entries.
    entry = where / f"{path.stem}.{key}{_SUFFIX}"
    found = _read(entry)
    if found is not None:
        return found
    built = build(data)
    _write(entry, built, stale=f"{path.stem}.*{_SUFFIX}")
    return built


def _read(entry: Path) -> regime.Regime | None:
    try:
        with entry.open("rb") as fh:
            found = _Unpickler(fh).load()
    except Exception:  # missing, truncated or foreign: a miss, built again from the YAML
        return None
    return found if isinstance(found, regime.Regime) else None


def _write(entry: Path, value: regime.Regime, stale: str) -> None:
    tmp = None
    try:
        entry.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        for old in entry.parent.glob(stale):  # entries of earlier versions of the file
            old.unlink(missing_ok=True)
        fd, tmp = tempfile.mkstemp(dir=entry.parent, prefix=".", suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, entry)  # readers see the whole entry or none
    except (OSError, pickle.PicklingError):
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
