"""Korean text analysis for the site search, the same at build time (Python) and in the browser (sb-search.js).

No morphological analyser: the index holds, for every Hangul word a page shows, each of its substrings of
2 to KEY_MAX syllables, so a noun is found inside compounds and before any particle or ending ('먼지' in
'미세먼지를', '정책' in '청년정책을') without knowing which syllables are particles. Across a space, the
joins of a bare word with the start of the next word are keys too, so '전세사기' finds '전세 사기'. The
query side strips particles and endings from each word (the list below, longest first) and looks up one
key per word. docs/design.md argues the choice with figures (benchmarks/search_bench.py).

Everything the browser must reproduce lives in `ANALYSIS` (written into the index manifest), so the two
sides cannot drift apart: the particle list, KEY_MAX and the shard hash (CRC-32 over UTF-8)."""

from __future__ import annotations

import re
import unicodedata
import zlib
from functools import lru_cache

KEY_MAX = 6  # syllables: longer query words are looked up as overlapping KEY_MAX-syllable keys

# Particles (조사) and common endings, longest first; a query word loses at most two of them, and never
# below two syllables ('청년들이' -> '청년들' -> '청년', '정의' stays '정의').
SUFFIXES = tuple(sorted({
    "은", "는", "이", "가", "을", "를", "의", "에", "로", "와", "과", "도", "만", "들", "께", "랑",
    "으로", "에서", "에게", "한테", "까지", "부터", "마저", "조차", "처럼", "보다", "만큼", "이나", "이며",
    "이고", "이란", "이랑", "라는", "라고", "와는", "과는", "에는", "에도", "에의", "께서", "으로는", "으로도",
    "으로서", "으로써", "에서는", "에서도", "에서의", "에게는", "이라는", "이라고", "이라면", "에게서",
    "으로부터", "에서부터", "이다", "였다", "이었다", "입니다", "했다", "한다", "하는", "하고", "하며",
    "하여", "해서", "했고", "하기", "하다", "합니다", "했습니다", "된다", "됐다", "되는", "되어", "되고",
    "적인", "적으로",
}, key=lambda s: (-len(s), s)))

# One-syllable particles whose removal from a two-syllable word gives a one-syllable noun key ('집에' -> '집').
SHORT_PARTICLES = frozenset("은는이가을를의에도만과와로")

_HANGUL = "\uac00-\ud7a3"
_TOKEN = re.compile(rf"[{_HANGUL}]+|[a-z0-9]+")
_PIECES = re.compile(rf"([{_HANGUL}]+|[a-z0-9]+)")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3})")
_GAP = re.compile(r"[ \t\u00a0]*")


def normalize(text: str) -> str:
    """NFKC, lower case, thousands separators removed ('26,500' -> '26500')."""
    return _THOUSANDS.sub("", unicodedata.normalize("NFKC", text).lower())


def is_hangul(token: str) -> bool:
    return "\uac00" <= token[0] <= "\ud7a3"


_SUFFIX_SET = frozenset(SUFFIXES)
_SUFFIX_LENGTHS = sorted({len(s) for s in SUFFIXES}, reverse=True)


@lru_cache(maxsize=200_000)
def strip_suffixes(word: str) -> str:
    """Remove up to two particles/endings from a Hangul query word (longest first), keeping two syllables."""
    for _ in range(2):
        for size in _SUFFIX_LENGTHS:
            if len(word) - size >= 2 and word[-size:] in _SUFFIX_SET:
                word = word[:-size]
                break
        else:
            break
    return word


def tokens(text: str) -> list[tuple[str, bool]]:
    """(token, joined_to_previous) for every Hangul or Latin/digit token; joined: only spaces between."""
    parts = _PIECES.split(normalize(text))   # [gap, token, gap, token, ..., gap]
    found: list[tuple[str, bool]] = []
    for i in range(1, len(parts), 2):
        gap = parts[i - 1]
        found.append((parts[i], i > 1 and gap != "" and not gap.strip(" \t\u00a0")))
    return found


def word_keys(word: str, keys: set[str]) -> None:
    """Add the index keys of one Hangul word: its substrings of 2..KEY_MAX syllables (or itself if one)."""
    keys.update(_word_keys(word))


@lru_cache(maxsize=200_000)
def _word_keys(word: str) -> tuple[str, ...]:
    n = len(word)
    if n == 1:
        return (word,)
    found = [word[0]] if n == 2 and word[1] in SHORT_PARTICLES else []
    for size in range(2, min(n, KEY_MAX) + 1):
        found.extend(word[start:start + size] for start in range(n - size + 1))
    return tuple(found)


def text_keys(text: str, keys: set[str] | None = None, words: set[str] | None = None) -> set[str]:
    """Return (adding to keys) every index key of a visible text; words, if given, collects query-form stems."""
    keys = set() if keys is None else keys
    hangul: set[str] = set()
    pairs: set[tuple[str, str]] = set()
    previous: str | None = None
    for token, joined in tokens(text):
        if "\uac00" <= token[0] <= "\ud7a3":
            hangul.add(token)
            if joined and previous is not None:
                pairs.add((previous, token))
            previous = token
        else:
            if len(token) >= 2 or token.isdigit():
                keys.add(token)
            previous = None
    keys.update(*map(_word_keys, hangul))
    bare: set[str] = set()
    for token in hangul:
        stem = strip_suffixes(token) if len(token) > 2 else token
        if words is not None and len(stem) >= 3:
            words.add(stem)
        # only a bare word (no particle or ending) joins the next one: '전세 사기', not '청년의 주거'
        if len(token) < KEY_MAX and stem == token:
            bare.add(token)
    keys.update(*(_joins(first, second) for first, second in pairs if first in bare))
    return keys


@lru_cache(maxsize=400_000)
def _joins(first: str, second: str) -> tuple[str, ...]:
    heads = [first[i:] for i in range(len(first)) if len(first) - i >= 2 or i == 0]
    tails = [second[:j] for j in range(1, len(second) + 1) if j >= 2 or j == len(second)]
    return tuple(head + tail for head in heads for tail in tails if len(head) + len(tail) <= KEY_MAX)


def query_keys(word: str) -> list[str]:
    """The keys one query word must all match (one key, or overlapping KEY_MAX-grams of a long word)."""
    if not is_hangul(word):
        return [word]
    stem = strip_suffixes(word)
    if len(stem) <= KEY_MAX:
        return [stem]
    return [stem[i:i + KEY_MAX] for i in range(len(stem) - KEY_MAX + 1)]


def deletions(word: str) -> set[str]:
    """The word with one syllable removed, each way (SymSpell's deletion neighbourhood of distance 1)."""
    return {word[:i] + word[i + 1:] for i in range(len(word))}


def shard_hash(text: str) -> int:
    """CRC-32 of the UTF-8 bytes (zlib's, as in PNG): the shard hash, identical in sb-search.js."""
    return zlib.crc32(text.encode("utf-8"))


ANALYSIS = {"key_max": KEY_MAX, "suffixes": list(SUFFIXES), "hash": "crc32-utf8"}
