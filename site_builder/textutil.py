"""Korean text helpers: dates, reading time, URL slugs for Korean terms."""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from datetime import date, datetime

from korean_romanizer.romanizer import Romanizer

HANGUL = re.compile(r"[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
CHARS_PER_MINUTE = 500  # Korean silent reading, characters (not words) per minute
WEEKDAYS = "월화수목금토일"


def korean_date(value: date | datetime) -> str:
    """Return '2018년 10월 24일'."""
    return f"{value.year}년 {value.month}월 {value.day}일"


def korean_datetime(value: datetime) -> str:
    """Return '2018년 9월 21일(금) 19:00'."""
    return f"{korean_date(value)}({WEEKDAYS[value.weekday()]}) {value:%H:%M}"


def korean_month(year: int, month: int) -> str:
    return f"{year}년 {month}월"


_NOT_ALNUM = re.compile(r"[\W_]+")  # re's \w is str.isalnum() plus '_'


def count_reading_chars(text: str) -> int:
    """Count the characters a reader reads: letters and digits (str.isalnum), not spaces, marks or markup."""
    return len(_NOT_ALNUM.sub("", text))


def reading_minutes(text: str) -> int:
    """Return the reading time in whole minutes for Korean text, by characters: 0 under a minute
    (shown as '1분 미만', as Korean news sites do), else rounded up."""
    chars = count_reading_chars(text)
    return 0 if chars < CHARS_PER_MINUTE else math.ceil(chars / CHARS_PER_MINUTE)


@functools.cache
def slugify_term(term: str) -> str:
    """Return an ASCII URL slug for a Korean or mixed term (Revised Romanization).

    Memoised: romanising is slow and a site has a few hundred distinct terms, each used thousands of
    times (the tags are keyed in the content check, the catalog and every output), so each distinct
    term is romanised once per process."""
    text = unicodedata.normalize("NFC", term.strip())
    parts = []
    for chunk in re.split(r"([\uac00-\ud7a3]+)", text):
        if not chunk:
            continue
        if HANGUL.match(chunk):
            parts.append(Romanizer(chunk).romanize())
        else:
            parts.append(chunk)
    ascii_text = unicodedata.normalize("NFKD", " ".join(parts)).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug


def is_ascii_slug(value: str) -> bool:
    return bool(SLUG.match(value))


def has_hangul(value: str) -> bool:
    return bool(HANGUL.search(value))


def plain_text(markdown_text: str) -> str:
    """Return rough plain text of Markdown: drops images, link targets, markup and HTML tags."""
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", " ", markdown_text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"<[^>]+>", " ", text)
    text = re.sub(r"[#>*_`|~\-]+", " ", text)
    return re.sub(r"\s+", " ", text).strip()


# -- particles (조사) -------------------------------------------------------------------------------
# Each particle as (after a final consonant, after a vowel). 으로/로 also takes 로 after ㄹ.
_PARTICLES = {}
for _pair in (("이", "가"), ("은", "는"), ("을", "를"), ("과", "와"), ("으로", "로"), ("이라", "라"),
              ("이나", "나"), ("이란", "란"), ("아", "야"), ("이에요", "예요"), ("이라고", "라고")):
    _PARTICLES[_pair[0]] = _PARTICLES[_pair[1]] = _pair
# How digits are read (Sino-Korean): 0 영, 1 일, 2 이, 3 삼, 4 사, 5 오, 6 육, 7 칠, 8 팔, 9 구.
# The final consonant of each reading: 0 none, 8 ㄹ, other > 0.
_DIGIT_FINAL = {"0": 21, "1": 8, "2": 0, "3": 16, "4": 0, "5": 0, "6": 1, "7": 8, "8": 8, "9": 0}
# A number ending in zeros is read by its last unit: 10 십, 100 백, 1000 천, 10000 만, 억 ...
_UNIT_FINAL = {1: 17, 2: 1, 3: 4, 4: 4, 5: 4, 6: 4, 7: 4, 8: 1}
# Latin letters read one by one (acronyms, single letters): L 엘, M 엠, N 엔, R 알 end in a consonant.
_LETTER_FINAL = {"l": 8, "m": 16, "n": 4, "r": 8}
_RL = 8  # ㄹ's index among final consonants
# File names are read by their extension, letter by letter: .png 피엔지, .yml 와이엠엘, .jpeg 제이펙.
_EXTENSION_FINAL = {"png": 0, "jpg": 0, "jpeg": 1, "gif": 0, "webp": 0, "svg": 0, "md": 0, "yml": 8,
                    "yaml": 8, "mp4": 0, "webm": 16, "vtt": 0, "pdf": 0, "html": 8, "json": 4}


def _final_consonant(word: str) -> int | None:
    """Return the index (0 = none, 8 = ㄹ) of the final consonant of word as Korean reads it,
    or None if nothing in it can be read (only symbols)."""
    text = word.rstrip()
    # Closing quotes, brackets and punctuation are not read: "'청년유니온'" ends in 온.
    stripped = re.sub(r"[\s'\"‘’“”「」『』()\[\]{}<>〈〉《》.,;:!?/\\…·~-]+$", "", text)
    if not stripped:
        return None
    extension = re.search(r"\.([A-Za-z0-9]{2,4})$", stripped)
    if extension and extension.group(1).lower() in _EXTENSION_FINAL:
        return _EXTENSION_FINAL[extension.group(1).lower()]
    last = stripped[-1]
    if "\uac00" <= last <= "\ud7a3":
        return (ord(last) - 0xAC00) % 28
    if last.isdigit() and last.isascii():
        digits = re.search(r"[0-9]+$", stripped).group(0)
        if set(digits) == {"0"}:
            return _DIGIT_FINAL["0"]
        zeros = len(digits) - len(digits.rstrip("0"))
        if zeros and len(digits) > 1 and len(digits) <= 9 and not digits.startswith("0"):
            return _UNIT_FINAL.get(zeros, 4)
        return _DIGIT_FINAL[digits[-1]]
    if last.isascii() and last.isalpha():
        letters = re.search(r"[A-Za-z]+$", stripped).group(0)
        if len(letters) == 1 or letters.isupper():  # read letter by letter: A 에이, CC 씨씨, KOGL 엘
            return _LETTER_FINAL.get(letters[-1].lower(), 0)
        lower = letters.lower()  # a word: read roughly as Korean transcribes English
        if lower.endswith(("ng", "m", "n")):
            return 21 if lower.endswith("ng") else 16 if lower.endswith("m") else 4
        if lower.endswith("l") or lower.endswith("le") and len(lower) > 3 and lower[-3] in "aeiou":
            return _RL
        if lower.endswith(("ck", "k", "p", "t", "c")) and len(lower) > 1 and lower[-2] in "aeiouc":
            return 1
        return 0
    return None


def josa(word: object, particle: str) -> str:
    """Return word followed by the form of particle its last sound takes: josa('청년유니온', '가') -> '청년유니온이'.

    Digits are read in Korean ('2026-12-03' ends in 삼: '2026-12-03이'), Latin words roughly as Korean
    transcribes them ('slug' -> '가', 'team' -> '이'); a word ending in symbols only gets '이(가)'."""
    text = str(word)
    with_final, without = _PARTICLES[particle]
    final = _final_consonant(text)
    if final is None:
        return f"{text}{with_final}({without})" if len(with_final) == 1 else f"{text}({with_final[0]}){without}"
    if with_final == "으로" and final == _RL:
        return text + without
    return text + (with_final if final else without)


def quoted(value: object) -> str:
    """Return a value as an editor wrote it, in single quotes ('청년유니온'), for messages."""
    return f"'{value}'"


def dquoted(value: object) -> str:
    return f'"{value}"'
