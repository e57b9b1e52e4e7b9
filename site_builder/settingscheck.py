"""Typed reading of one section of extra.site_builder in mkdocs.yml, every problem collected.

Each wrong-typed, out-of-range or unknown key becomes one line in the house shape,
`mkdocs.yml: extra.site_builder.delivery.connections: 100은(는) 범위를 벗어났습니다 — 1에서 64 사이로 쓰세요`,
and `done()` raises one SettingsError with all of them, so an operator fixes the file once."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import Any

from .errors import ConfigError

_MISSING = object()


class SettingsError(ConfigError):
    """mkdocs.yml settings an operator must fix; `problems` holds one line per key."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        if len(self.problems) == 1:
            text = self.problems[0]
        else:
            text = f"mkdocs.yml의 설정 {len(self.problems)}개를 고치세요:\n" + "\n".join(
                f"{n}. {line}" for n, line in enumerate(self.problems, start=1))
        super().__init__(text)


def _number_text(value: float) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


class SettingsReader:
    """Reads keys of one mapping (e.g. extra.site_builder.delivery), collecting problems instead of raising."""

    def __init__(self, prefix: str, raw: Any, problems: list[str] | None = None):
        self.prefix = prefix
        self.problems = [] if problems is None else problems
        if raw is None:
            raw = {}
        if not isinstance(raw, Mapping):
            self.add("", f"{type(raw).__name__} 값입니다", "키와 값의 목록(매핑)으로 쓰세요")
            raw = {}
        self.raw = raw
        self.used: set[str] = set()

    def add(self, key: str, message: str, hint: str = "") -> None:
        """Record one problem of `key` (relative to the section)."""
        where = f"mkdocs.yml: {self.prefix}{'.' + key if key else ''}"
        self.problems.append(f"{where}: {message}" + (f" — {hint}" if hint else ""))

    def _get(self, key: str):
        self.used.add(key)
        value = self.raw.get(key, _MISSING)
        return _MISSING if value is None else value

    def section(self, key: str) -> "SettingsReader":
        """A reader for a nested mapping (e.g. retry), sharing this reader's problems."""
        value = self._get(key)
        return SettingsReader(f"{self.prefix}.{key}", None if value is _MISSING else value, self.problems)

    def has(self, key: str) -> bool:
        return self.raw.get(key) is not None

    def integer(self, key: str, default: int, low: int, high: int, hint: str = "") -> int:
        """Return an int in [low, high]; bools and fractions are wrong types."""
        value = self._get(key)
        if value is _MISSING:
            return default
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            self.add(key, f"{value!r}은(는) 정수가 아닙니다", f"{low}에서 {high} 사이의 정수를 쓰세요")
            return default
        try:
            number = float(value)
        except ValueError:
            number = None
        if number is None or number != int(number):
            self.add(key, f"'{value}'은(는) 정수가 아닙니다", f"{low}에서 {high} 사이의 정수를 쓰세요")
            return default
        number = int(number)
        if not low <= number <= high:
            self.add(key, f"{number}은(는) 쓸 수 있는 범위를 벗어났습니다",
                     f"{low}에서 {high} 사이로 쓰세요" + (f" ({hint})" if hint else ""))
            return default
        return number

    def number(self, key: str, default: float, low: float, high: float, hint: str = "") -> float:
        """Return a float in [low, high]."""
        value = self._get(key)
        if value is _MISSING:
            return default
        try:
            if isinstance(value, bool):
                raise ValueError
            number = float(value)
        except (TypeError, ValueError):
            self.add(key, f"{value!r}은(는) 수가 아닙니다",
                     f"{_number_text(low)}에서 {_number_text(high)} 사이의 수를 쓰세요")
            return default
        if not low <= number <= high or number != number:
            self.add(key, f"{_number_text(number)}은(는) 쓸 수 있는 범위를 벗어났습니다",
                     f"{_number_text(low)}에서 {_number_text(high)} 사이로 쓰세요" + (f" ({hint})" if hint else ""))
            return default
        return number

    def boolean(self, key: str, default: bool) -> bool:
        value = self._get(key)
        if value is _MISSING:
            return default
        if not isinstance(value, bool):
            self.add(key, f"{value!r}은(는) 참/거짓 값이 아닙니다", "true 또는 false 로 쓰세요")
            return default
        return value

    def text(self, key: str, default: str, *, max_length: int = 200, required: bool = False) -> str:
        """Return a one-line string of at most max_length characters."""
        value = self._get(key)
        if value is _MISSING or value == "":
            if required:
                self.add(key, "비어 있습니다", "값을 쓰세요")
            return default
        if isinstance(value, (Mapping, list, bool)):
            self.add(key, f"{value!r}은(는) 글자가 아닙니다", "한 줄의 글로 쓰세요")
            return default
        text = str(value).strip()
        if "\n" in text or "\r" in text:
            self.add(key, "여러 줄입니다", "한 줄로 쓰세요")
            return default
        if len(text) > max_length:
            self.add(key, f"{len(text)}자로 깁니다", f"{max_length}자 이하로 쓰세요")
            return default
        return text

    def day(self, key: str, default: date) -> date:
        value = self._get(key)
        if value is _MISSING:
            return default
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            self.add(key, f"'{value}'은(는) 날짜가 아닙니다", "2018-10-01 처럼 쓰세요")
            return default

    def url(self, key: str, default: str) -> str:
        """Return an absolute http(s) URL."""
        value = self.text(key, "", max_length=2000)
        if not value:
            return default
        from urllib.parse import urlsplit

        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            self.add(key, f"'{value}'은(는) 웹 주소가 아닙니다", "https://로 시작하는 전체 주소를 쓰세요")
            return default
        return value

    def address(self, key: str, default: str, check: Callable[[str], str]) -> str:
        """Return an e-mail address as check (mail's check_address, passed in by the caller, which sits
        above mail) normalises it; check raises ValueError, with a reader's `reason` when it has one."""
        value = self.text(key, "", max_length=254)
        if not value:
            return default
        try:
            return check(value)
        except ValueError as exc:
            reason = getattr(exc, "reason", str(exc))
            self.add(key, f"'{value}'은(는) 메일 주소로 쓸 수 없습니다: {reason}", "name@example.org 처럼 쓰세요")
            return default

    def unknown(self, known: Iterable[str]) -> None:
        """Report keys that no setting reads (usually a misspelling)."""
        names = sorted(set(known))
        for key in self.raw:
            if key not in names:
                self.add(str(key), "알 수 없는 설정입니다", "철자를 확인하세요 (쓸 수 있는 키: " + ", ".join(names) + ")")

    def done(self) -> None:
        """Raise SettingsError with every problem recorded so far, if any."""
        if self.problems:
            raise SettingsError(self.problems)


__all__ = ["SettingsError", "SettingsReader"]
