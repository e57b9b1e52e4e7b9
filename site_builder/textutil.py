"""Korean text helpers: dates, reading time, URL slugs for Korean terms."""

from __future__ import annotations

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
    """Return the reading time in whole minutes (at least 1) for Korean text, by characters."""
    return max(1, math.ceil(count_reading_chars(text) / CHARS_PER_MINUTE))


def slugify_term(term: str) -> str:
    """Return an ASCII URL slug for a Korean or mixed term (Revised Romanization)."""
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
