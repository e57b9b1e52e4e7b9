"""`publish doctor`: every configured account's credentials, checked with a harmless call, and a
warning weeks before a token's expiry date (from mkdocs.yml `token_expires` or the credentials)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date

import httpx

from .channel import AuthExpired, PublishContext, PublishError
from .credentials import Redactor, env_prefix, secret_values, token_expiry
from .settings import PublishSettings

OK, WARN, ERROR = "ok", "warn", "error"


@dataclass(frozen=True)
class Check:
    """One account's check: level and a Korean message (never a secret)."""

    channel: str
    account: str
    level: str
    message: str

    def __str__(self) -> str:
        mark = {OK: "정상", WARN: "경고", ERROR: "오류"}[self.level]
        return f"[{mark}] {self.channel}/{self.account}: {self.message}"


def run_doctor(settings: PublishSettings, registry: Mapping[str, type], http: httpx.Client,
               credentials: Callable[[str, str], dict[str, str]], *, today: date,
               redactor: Redactor | None = None) -> list[Check]:
    """Check every configured account; return one or more Checks per account."""
    redact = redactor or Redactor()
    checks: list[Check] = []
    for account in settings.accounts:
        cls = registry.get(account.channel)
        if cls is None:
            checks.append(Check(account.channel, account.account, ERROR, "이 채널의 모듈이 아직 없습니다"))
            continue
        channel = cls()
        if channel.kind == "manual":
            checks.append(Check(account.channel, account.account, OK, "손으로 올리는 채널입니다(키트) — 인증 정보가 필요 없습니다"))
            continue
        creds = credentials(account.channel, account.account)
        redact.add(secret_values(creds))
        if not secret_values(creds):
            checks.append(Check(account.channel, account.account, ERROR,
                                f"인증 정보가 없습니다 — {env_prefix(account.channel, account.account)}TOKEN 같은 "
                                "환경 변수나 SITE_BUILDER_PUBLISH_CREDENTIALS_FILE을 설정하세요(docs/publishing.md)"))
            continue
        ctx = PublishContext(http=http, credentials=creds, options=account.options)
        try:
            message = channel.check_credentials(ctx)
            checks.append(Check(account.channel, account.account, OK, redact(message)))
        except AuthExpired as exc:
            checks.append(Check(account.channel, account.account, ERROR,
                                f"인증이 만료되었거나 취소되었습니다({redact(exc)}) — 새 토큰을 발급하세요(docs/publishing.md)"))
        except PublishError as exc:
            checks.append(Check(account.channel, account.account, WARN, f"확인하지 못했습니다: {redact(exc)}"))
        except Exception as exc:  # a channel's bug: say so, keep checking the others
            checks.append(Check(account.channel, account.account, ERROR,
                                redact(f"확인 중 오류: {type(exc).__name__}: {exc}")))
        expires = account.token_expires or token_expiry(creds)
        if expires is not None:
            days = (expires - today).days
            if days < 0:
                checks.append(Check(account.channel, account.account, ERROR,
                                    f"토큰이 {expires:%Y-%m-%d}에 만료되었습니다 — 새 토큰을 발급하세요"))
            elif days <= settings.expiry_warning_days:
                checks.append(Check(account.channel, account.account, WARN,
                                    f"토큰이 {expires:%Y-%m-%d}에 만료됩니다({days}일 남음) — 미리 새 토큰을 발급하세요"))
    return checks
