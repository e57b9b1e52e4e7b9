"""The relay's settings: SITE_BUILDER_SMTP_URL (host, port, TLS mode, login), read once for
transactional mail and bulk delivery alike. No SMTP URL means the Maildir outbox."""

from __future__ import annotations

import os
import ssl
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urlsplit

ENV_SMTP_URL = "SITE_BUILDER_SMTP_URL"

_TRUE = ("1", "true", "yes", "on")
_FALSE = ("0", "false", "no", "off")
_QUERY_KEYS = ("starttls", "timeout", "helo", "cafile", "pipelining")


@dataclass(frozen=True)
class SmtpSettings:
    """How to reach the relay: host, port, TLS mode and login. The password never appears in repr()."""

    host: str
    port: int = 25
    username: str | None = None
    password: str | None = None
    starttls: bool = False
    implicit_tls: bool = False
    timeout: float = 30.0
    helo: str | None = None
    ca_file: str | None = None
    pipelining: bool = True

    def __repr__(self) -> str:
        scheme = "smtps" if self.implicit_tls else "smtp"
        user = f"{self.username}:***@" if self.username else ""
        return f"SmtpSettings({scheme}://{user}{self.host}:{self.port}, starttls={self.starttls})"

    @classmethod
    def from_url(cls, url: str) -> "SmtpSettings":
        """Read smtp://[user:pass@]host[:port][?starttls=1&timeout=30&helo=name&cafile=path&pipelining=0]
        or smtps://host[:465] (SITE_BUILDER_SMTP_URL).

        Raises ValueError naming the variable, what is wrong and how to write it; the message never
        repeats the URL, which may hold the password."""
        parts = urlsplit(url.strip())
        if parts.scheme not in ("smtp", "smtps"):
            raise ValueError(f"{ENV_SMTP_URL}: {parts.scheme!r}은(는) 쓸 수 없습니다 — smtp:// 나 smtps:// 로 쓰세요")
        if not parts.hostname:
            raise ValueError(f"{ENV_SMTP_URL}: 호스트가 없습니다 — smtp://호스트:포트 로 쓰세요")
        try:
            port = parts.port
        except ValueError:
            port = -1
        if port is not None and not 0 < port < 65536:
            raise ValueError(f"{ENV_SMTP_URL}: 포트가 1에서 65535 사이의 수가 아닙니다 — smtp://호스트:587 처럼 쓰세요")
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        unknown = sorted(set(query) - set(_QUERY_KEYS))
        if unknown:
            raise ValueError(f"{ENV_SMTP_URL}: 알 수 없는 설정 {', '.join(unknown)} — 쓸 수 있는 것: "
                             + ", ".join(_QUERY_KEYS))
        implicit = parts.scheme == "smtps"
        return cls(
            host=parts.hostname, port=port or (465 if implicit else 25),
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
            starttls=_flag(query, "starttls", False) and not implicit,
            implicit_tls=implicit, timeout=_timeout(query.get("timeout", "30")),
            helo=query.get("helo") or None, ca_file=query.get("cafile") or None,
            pipelining=_flag(query, "pipelining", True),
        )

    def ssl_context(self) -> ssl.SSLContext:
        """Return the client TLS context: the system's CAs, or ca_file's."""
        return ssl.create_default_context(cafile=self.ca_file)


def _flag(query: dict[str, str], key: str, default: bool) -> bool:
    value = query.get(key, "").strip().lower()
    if not value:
        return default
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValueError(f"{ENV_SMTP_URL}: {key}={value!r}은(는) 켬/끔이 아닙니다 — {key}=1 이나 {key}=0 으로 쓰세요")


def _timeout(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not 0 < seconds <= 3600:
        raise ValueError(f"{ENV_SMTP_URL}: timeout={value!r}은(는) 초가 아닙니다 — timeout=30 처럼 0보다 큰 초로 쓰세요")
    return seconds


def smtp_settings_from_env(env: dict[str, str] | None = None) -> SmtpSettings | None:
    """Return the relay SITE_BUILDER_SMTP_URL names, or None when it is unset or empty (the Maildir outbox).

    Raises ValueError (see SmtpSettings.from_url) when it is set but unusable."""
    env = os.environ if env is None else env
    url = (env.get(ENV_SMTP_URL) or "").strip()
    return SmtpSettings.from_url(url) if url else None


__all__ = ["ENV_SMTP_URL", "SmtpSettings", "smtp_settings_from_env"]
