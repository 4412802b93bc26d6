"""Identifiers and words made in columns: unified social credit codes, telephone numbers,
names from templates. Numpy arrays and polars expressions, no Python object per row."""

from __future__ import annotations

import re

import numpy as np
import polars as pl

from jifang.platform.core.validators import USCC_ALPHABET, USCC_WEIGHTS
from jifang.platform.demo import data as D

_ALPHABET = np.array(list(USCC_ALPHABET))
_INDEX = {c: i for i, c in enumerate(USCC_ALPHABET)}
_ORG_WEIGHTS = np.array((3, 7, 9, 10, 5, 8, 4, 2))  # GB 11714: the organisation code
_PLACEHOLDER = re.compile(r"\{(\w+)\}")
MA_SPACE = 31**6  # bodies "MA" + six characters (enterprises, individual businesses)
DIGIT_SPACE = 10**8  # eight-digit bodies (organs, institutions, social organisations)


def _org_value(index: np.ndarray) -> np.ndarray:
    """GB 11714 value of USCC alphabet characters: digits as themselves, letters A=10 …"""
    letters = np.array([int(c) if c.isdigit() else ord(c) - 55 for c in USCC_ALPHABET])
    return letters[index]


def uscc(
    org: np.ndarray, division: np.ndarray, serial: np.ndarray, salt: tuple[int, int]
) -> np.ndarray:
    """Unified social credit codes (GB 32100) with valid check characters.

    ``org`` holds two-character registration codes ("91", "12"…), ``division`` six-digit
    codes, ``serial`` distinct non-negative integers: each serial maps to a different body
    (an affine bijection salted per seed), so codes never repeat.
    """
    n = len(serial)
    idx = np.empty((n, 18), dtype=np.int64)
    kinds, which = np.unique(np.asarray(org, dtype="U2"), return_inverse=True)
    heads = np.array([[_INDEX[c] for c in k] for k in kinds], dtype=np.int64).reshape(-1, 2)
    idx[:, 0:2] = heads[which]
    idx[:, 2:8] = np.asarray(division, dtype="U6").view("U1").reshape(n, 6).astype(np.int64)
    a, b = salt
    serial = np.asarray(serial, dtype=np.int64)
    ma = (serial * (a * 31 + 1) + b) % MA_SPACE  # the multiplier is coprime with 31
    dg = (serial * (a * 10 + 3) + b) % DIGIT_SPACE  # and this one with 10
    body = np.empty((n, 8), dtype=np.int64)
    body[:, 0], body[:, 1] = _INDEX["M"], _INDEX["A"]
    digits = np.empty((n, 8), dtype=np.int64)
    for k in range(8):
        if k < 6:
            body[:, 7 - k] = ma % 31
            ma //= 31
        digits[:, 7 - k] = dg % 10
        dg //= 10
    enterprise = np.array([k.startswith("9") for k in kinds], dtype=bool)[which]
    idx[:, 8:16] = np.where(enterprise[:, None], body, digits)
    check = 11 - (_org_value(idx[:, 8:16]) * _ORG_WEIGHTS).sum(axis=1) % 11
    idx[:, 16] = np.where(check == 10, _INDEX["X"], np.where(check == 11, 0, check))
    total = (idx[:, :17] * np.array(USCC_WEIGHTS)).sum(axis=1)
    idx[:, 17] = (31 - total % 31) % 31
    return np.ascontiguousarray(_ALPHABET[idx]).view("U18").ravel()


def mobiles(rng: np.random.Generator, n: int) -> pl.Series:
    """Mobile numbers 13x, 15x, 18x, 19x."""
    prefix = np.array([13, 15, 18, 19])[rng.integers(0, 4, n)] * 10 + rng.integers(0, 10, n)
    return pl.Series(prefix * 10**8 + rng.integers(0, 10**8, n)).cast(pl.String)


def landlines(rng: np.random.Generator, area: np.ndarray, digits: np.ndarray) -> pl.Series:
    """Local numbers after the city's area code: the first digit 2 to 8."""
    n = len(area)
    first = rng.integers(2, 9, n)
    rest = (rng.random(n) * 10.0 ** (digits - 1)).astype(np.int64)
    local = pl.Series(first).cast(pl.String) + pl.Series(rest).cast(pl.String).str.zfill(
        pl.Series(digits - 1)
    )
    return pl.Series(area) + "-" + local


def fill(template: pl.Expr, words: dict[str, pl.Expr], names: set[str]) -> pl.Expr:
    """Replace each {placeholder} of a template column by the column of that name."""
    out = template
    for name in sorted(names, key=lambda x: -len(x)):
        out = out.str.replace_all("{" + name + "}", words[name], literal=True)
    return out


def placeholders(templates) -> set[str]:
    return {m for t in templates for m in _PLACEHOLDER.findall(t)}


def ordinal_suffix(rank: pl.Expr) -> pl.Expr:
    """（二部）, （三部）… for the second and later of equal names; empty for the first."""
    table = {i: f"（{n}部）" for i, n in enumerate(D.NUMERALS, 1) if i > 1}
    return (
        pl.when(rank == 1)
        .then(pl.lit(""))
        .otherwise(
            rank.replace_strict(table, default=pl.format("（{}部）", rank), return_dtype=pl.String)
        )
    )
