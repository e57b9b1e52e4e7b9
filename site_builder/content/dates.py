"""Dates as editors write them: parsed to Seoul time, or explained when they are not dates."""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, time
from typing import Any

from ..config import KST
from ..textutil import dquoted, josa


def parse_when(value: Any) -> datetime | None:
    """Return an aware datetime (+09:00) from a YAML date, datetime or 'YYYY-MM-DD[ HH:MM]' string."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=KST)
    if isinstance(value, date):
        return datetime.combine(value, time(0, 0), KST)
    if isinstance(value, str):
        text = value.strip()
        for fmt in ("%Y-%m-%d", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S",
                    "%Y-%m-%dT%H:%M:%S"):
            try:
                return datetime.strptime(text, fmt).replace(tzinfo=KST)
            except ValueError:
                continue
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            return None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=KST)
    return None


_DATE_SHAPE = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?\s*$")


def date_problem(value: Any, example: str) -> tuple[str, str]:
    """Return (message, hint) for a value that is not a date: an impossible date is told what does not
    exist (13월, 2월 30일, 25시) rather than to use the format it already has."""
    shape = _DATE_SHAPE.match(str(value)) if isinstance(value, str) else None
    if example == "YYYY-MM-DD":
        example = "YYYY-MM-DD (예: 2018-11-02)"
    if shape:
        year, month, day = (int(g) for g in shape.groups()[:3])
        if not 1 <= month <= 12:
            what = f"{month}월은 없습니다"
        elif not 1 <= day <= calendar.monthrange(year, month)[1]:
            what = f"{year}년 {month}월은 {calendar.monthrange(year, month)[1]}일까지입니다"
        elif shape.group(4) and int(shape.group(4)) > 23:
            what = f"{int(shape.group(4))}시는 없습니다 (0~23시)"
        else:
            what = f"{int(shape.group(5))}분은 없습니다 (0~59분)"
        return (f"{josa(dquoted(value), '은')} 없는 날짜입니다: {what}",
                "달력에 있는 날짜로 고치세요 (월은 1~12, 일은 그 달의 날 수까지)")
    return f"{josa(dquoted(value), '은')} 날짜가 아닙니다", f"{example} 형식으로 쓰세요"
