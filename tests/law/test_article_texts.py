"""The article texts of each regime file are the seed's text, nothing invented, nothing dropped.

The structural checks always run. The checks against the seed texts need the seed directory
(``JIFANG_SEEDS_DIR``, default ``../shared/seeds`` beside the repository); they are skipped when it is absent.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import pytest
import yaml

REGIMES_DIR = Path(__file__).resolve().parents[2] / "src" / "jifang" / "law" / "regimes"
# The seeds live in shared/ beside the repository (as in CI), or where JIFANG_SEEDS_DIR says.
_DEFAULT_SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"
SEEDS_DIR = Path(os.environ.get("JIFANG_SEEDS_DIR", str(_DEFAULT_SEEDS)))

EXPECTED = {
    # id: (seed file, in force from, division prefix, article count, has chapters)
    "qinhuangdao-2018": ("000_99c52dcbdc70d26c.txt", dt.date(2018, 2, 1), "1303", 29, True),
    "liaoning-2015": ("001_a85704e1c572c371.txt", dt.date(2015, 2, 1), "21", 37, True),
    "hangzhou-2018": ("002_bb4144eacd10dab3.txt", dt.date(2018, 9, 18), "3301", 29, False),
    "fujian-2015": ("003_75a819d902790d61.txt", dt.date(2015, 7, 1), "35", 27, False),
    "guangdong-2017": ("004_c8f3e10a9a5fef64.txt", dt.date(2017, 8, 1), "44", 42, True),
}
IDS = list(EXPECTED)

TOP_KEYS = [
    "id",
    "title",
    "kind",
    "seed_file",
    "promulgation",
    "in_force_from",
    "jurisdiction",
    "articles",
]
ARTICLE_KEYS = ["number", "chapter", "heading", "text_incomplete", "paragraphs"]

SEED_FOOTERS = {"", "秦皇岛市人民政府发布"}

LIAONING_INCOMPLETE = {10, 11, 16, 20, 21, 22, 24, 25, 27, 31, 36}

_NUM = "一二三四五六七八九十百"
_ARTICLE_PREFIX = re.compile(rf"^第([{_NUM}]+)条\s*(?:【([^】]*)】)?\s*")
_CHAPTER_LINE = re.compile(rf"^第[{_NUM}]+章(?:\s|$)")
_ITEM_PREFIX = re.compile(r"^[（(][一二三四五六七八九十]+[）)]")
_WS = re.compile(r"\s+")


def _zh_to_int(s: str) -> int:
    digits = "零一二三四五六七八九"
    if "十" not in s:
        return digits.index(s)
    tens, ones = s.split("十")
    return (digits.index(tens) if tens else 1) * 10 + (digits.index(ones) if ones else 0)


def _load(regime_id: str) -> dict:
    with open(REGIMES_DIR / f"{regime_id}.yaml", encoding="utf-8") as f:
        return yaml.safe_load(f)


def _squash(s: str) -> str:
    return _WS.sub("", s)


def _seed_lines(regime_id: str) -> list[str]:
    """The seed's lines, each stripped of whitespace and of the Markdown markers."""
    path = SEEDS_DIR / EXPECTED[regime_id][0]
    if not path.is_file():
        pytest.skip(f"seed text {path} not available")
    out = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip().replace("**", "").strip()
        if line.startswith("#"):
            line = line.lstrip("#").strip()
        if line.startswith("- "):
            line = line[2:].strip()
        out.append(line)
    return out


def _normalised_seed(regime_id: str) -> str:
    """The seed from its first 第X条 on, without whitespace, Markdown, chapter lines,
    第X条 prefixes and 【】 headings (the header above the first article is left out)."""
    lines = _seed_lines(regime_id)
    first = next(i for i, line in enumerate(lines) if _ARTICLE_PREFIX.match(line))
    parts = []
    for line in lines[first:]:
        if _CHAPTER_LINE.match(line):
            continue
        parts.append(_ARTICLE_PREFIX.sub("", line))
    return _squash("".join(parts))


def _joined_seed_lines(regime_id: str) -> str:
    """The seed's lines as they stand (inner spaces kept), stripped and joined with nothing."""
    parts = []
    for line in _seed_lines(regime_id):
        if _CHAPTER_LINE.match(line):
            continue
        parts.append(_ARTICLE_PREFIX.sub("", line))
    return "".join(parts)


def _pieces(data: dict) -> list[str]:
    """Every paragraph text and item of the file, in order, without whitespace."""
    out = []
    for article in data["articles"]:
        for para in article["paragraphs"]:
            out.append(_squash(para["text"]))
            out.extend(_squash(item) for item in para.get("items", []))
    return out


# --- structure -----------------------------------------------------------------------------


@pytest.mark.parametrize("regime_id", IDS)
def test_metadata(regime_id: str) -> None:
    data = _load(regime_id)
    seed_file, in_force, prefix, count, _ = EXPECTED[regime_id]
    for key in TOP_KEYS:
        assert key in data, f"{regime_id}: missing top-level key {key}"
    assert list(data)[: len(TOP_KEYS) - 2] == TOP_KEYS[:-2]
    assert data["id"] == regime_id
    assert data["seed_file"] == seed_file
    assert data["in_force_from"] == in_force
    assert isinstance(data["title"], str) and data["title"]
    assert data["kind"] in {"地方性法规", "省政府规章", "市政府规章"}
    assert data["promulgation"] is None or data["promulgation"].strip()
    assert data["jurisdiction"]["name"]
    assert data["jurisdiction"]["division_prefixes"] == [prefix]
    assert len(data["articles"]) == count


@pytest.mark.parametrize("regime_id", IDS)
def test_articles_numbered_consecutively(regime_id: str) -> None:
    numbers = [a["number"] for a in _load(regime_id)["articles"]]
    assert numbers == list(range(1, len(numbers) + 1))


@pytest.mark.parametrize("regime_id", IDS)
def test_article_shape_and_non_empty_texts(regime_id: str) -> None:
    has_chapters = EXPECTED[regime_id][4]
    for article in _load(regime_id)["articles"]:
        n = article["number"]
        for key in ARTICLE_KEYS:
            assert key in article, f"{regime_id} art. {n}: missing key {key}"
        assert set(article) <= {*ARTICLE_KEYS, "gap_note"}, f"{regime_id} art. {n}"
        assert isinstance(article["text_incomplete"], bool)
        if article["text_incomplete"]:
            assert isinstance(article.get("gap_note"), str) and article["gap_note"].strip()
        if has_chapters:
            assert re.fullmatch(rf"第[{_NUM}]+章 \S+", article["chapter"]), article["chapter"]
        else:
            assert article["chapter"] is None
        assert article["paragraphs"], f"{regime_id} art. {n}: no paragraphs"
        for para in article["paragraphs"]:
            assert set(para) <= {"text", "items"}
            assert isinstance(para["text"], str) and para["text"].strip()
            assert para["text"] == para["text"].strip()
            if "items" in para:
                assert para["items"], f"{regime_id} art. {n}: empty items list"
                assert para["text"].endswith(("：", ":")), f"{regime_id} art. {n}"
                for item in para["items"]:
                    assert isinstance(item, str) and item.strip() and item == item.strip()
                    assert _ITEM_PREFIX.match(item), f"{regime_id} art. {n}: {item}"


def test_headings_only_in_qinhuangdao() -> None:
    for regime_id in IDS:
        for article in _load(regime_id)["articles"]:
            if regime_id == "qinhuangdao-2018":
                assert isinstance(article["heading"], str) and article["heading"]
                assert "【" not in article["heading"] and "】" not in article["heading"]
            else:
                assert article["heading"] is None


def test_liaoning_gaps_marked() -> None:
    articles = {a["number"]: a for a in _load("liaoning-2015")["articles"]}
    for n in sorted(LIAONING_INCOMPLETE):
        assert articles[n]["text_incomplete"] is True, f"art. {n}"
        assert articles[n]["gap_note"].strip(), f"art. {n}"
    for article in articles.values():
        assert len(article["paragraphs"]) == 1
        assert "items" not in article["paragraphs"][0]


def test_hangzhou_in_force_note() -> None:
    data = _load("hangzhou-2018")
    assert data["in_force_note"].strip()
    assert data["articles"][-1]["paragraphs"][0]["text"] == "本办法自2008年1月1日起施行。"


# --- against the seed texts ----------------------------------------------------------------


@pytest.mark.parametrize("regime_id", IDS)
def test_texts_are_the_seed_in_order(regime_id: str) -> None:
    """Each paragraph text and item is found in the seed, in order, and together they cover it."""
    seed = _normalised_seed(regime_id)
    pieces = _pieces(_load(regime_id))
    pos = 0
    start = None
    for piece in pieces:
        found = seed.find(piece, pos)
        assert found >= 0, f"{regime_id}: not found in order in the seed: {piece[:40]}"
        if start is None:
            start = found
        pos = found + len(piece)
    # Nothing dropped before the first article's text or after the last article's, except
    # the signature line some seeds carry below the last article.
    assert start == 0, f"{regime_id}: seed text before the first piece: {seed[:start]}"
    assert seed[pos:] in SEED_FOOTERS, f"{regime_id}: seed text after the last piece"
    covered = sum(map(len, pieces))
    assert covered >= 0.97 * pos, f"{regime_id}: {covered} of {pos} chars covered"
    # The strongest form: the pieces, joined, are exactly the seed's body.
    assert "".join(pieces) == seed[:pos]


@pytest.mark.parametrize("regime_id", IDS)
def test_article_numbers_chapters_headings_match_seed(regime_id: str) -> None:
    """The seed's 第X条 lines give the numbers, the chapter each sits in, and 【】 headings."""
    has_chapters = EXPECTED[regime_id][4]
    lines = _seed_lines(regime_id)
    seen: list[tuple[int, str | None, str | None]] = []
    chapter = None
    started = False
    for line in lines:
        if _CHAPTER_LINE.match(line):
            name = line.split("章", 1)
            chapter = f"{name[0]}章 {_squash(name[1])}"
            continue
        m = _ARTICLE_PREFIX.match(line)
        if m:
            started = True
            seen.append((_zh_to_int(m.group(1)), chapter if has_chapters else None, m.group(2)))
    assert started
    ours = [(a["number"], a["chapter"], a["heading"]) for a in _load(regime_id)["articles"]]
    assert ours == seen


@pytest.mark.parametrize("regime_id", IDS)
def test_texts_keep_inner_spacing_and_punctuation(regime_id: str) -> None:
    """Unsquashed, each text and item is still in the seed in order: inner spaces, half- and
    full-width punctuation are the seed's own (only the lines' ends were trimmed)."""
    seed = _joined_seed_lines(regime_id)
    pos = 0
    for article in _load(regime_id)["articles"]:
        for para in article["paragraphs"]:
            for piece in [para["text"], *para.get("items", [])]:
                found = seed.find(piece, pos)
                assert found >= 0, f"{regime_id} art. {article['number']}: {piece[:40]}"
                pos = found + len(piece)
