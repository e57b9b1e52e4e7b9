"""Typed settings of the publisher, from `extra.site_builder.publish` in mkdocs.yml.

    extra:
      site_builder:
        publish:
          kinds: [interview, column, cardnews]   # which kinds are posted (default: every kind)
          newsletters: true                      # also post newsletters' web versions (default: false)
          kit_overdue_days: 3                    # a kit waiting longer is listed as overdue (default: 3)
          live_check: true                       # check the public page before posting (default: true)
          max_wait_seconds: 60                   # retry waiting allowed per run (default: 60)
          expiry_warning_days: 21                # doctor warns this long before a token expires
          utm: {medium: social, campaign: yours} # utm_source is the channel name
          channels:
            mastodon:                            # a name of publish.registry.REGISTRY
              daily_cap: 20                      # optional; Instagram defaults to 50
              kinds: [interview]                 # optional: narrower than the top-level kinds
              accounts:
                yours:                           # account key; its options go to the channel
                  instance: https://social.example

Every mistake is reported at once, in Korean, naming the key (ConfigError).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ..config import KINDS, SiteConfig
from ..errors import ConfigError

DEFAULT_DAILY_CAPS = {"instagram": 50}
NEWSLETTER_KIND = "newsletter"
_TOP_KEYS = {"kinds", "newsletters", "kit_overdue_days", "live_check", "max_wait_seconds",
             "expiry_warning_days", "utm", "channels"}
_CHANNEL_KEYS = {"accounts", "daily_cap", "kinds", "enabled"}


@dataclass(frozen=True)
class AccountSettings:
    """One account of one channel: its options (channel options merged with the account's own)."""

    channel: str
    account: str
    options: dict
    kinds: tuple[str, ...]
    daily_cap: int | None = None
    token_expires: date | None = None    # optional `token_expires: 2027-03-01` in the account options

    @property
    def key(self) -> str:
        return f"{self.channel}/{self.account}"


@dataclass(frozen=True)
class PublishSettings:
    """Everything the publisher reads from mkdocs.yml."""

    accounts: tuple[AccountSettings, ...] = ()
    kinds: tuple[str, ...] = tuple(KINDS)
    newsletters: bool = False
    kit_overdue_days: int = 3
    live_check: bool = True
    max_wait_seconds: float = 60.0
    expiry_warning_days: int = 21
    utm: dict = field(default_factory=lambda: {"medium": "social"})


def _where(*keys: str) -> str:
    return "mkdocs.yml: extra.site_builder.publish" + "".join(f".{k}" for k in keys)


def _kinds(value, where: str, problems: list[str], allowed: tuple[str, ...]) -> tuple[str, ...]:
    if value is None:
        return allowed
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        problems.append(f"{where}: 종류의 목록이어야 합니다 — 예: [interview, cardnews]")
        return allowed
    bad = [v for v in value if v not in allowed]
    if bad:
        problems.append(f"{where}: 알 수 없는 종류 {', '.join(bad)} — 쓸 수 있는 값: {', '.join(allowed)}")
    return tuple(v for v in value if v in allowed)


def _positive_int(raw: dict, key: str, default, where: str, problems: list[str]):
    value = raw.get(key, default)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        problems.append(f"{where}: 0 이상의 숫자여야 합니다 — 예: {key}: {default}")
        return default
    return value


def parse_publish_settings(raw: dict, known_channels: set[str] | None = None) -> PublishSettings:
    """Return typed settings for a raw `publish` mapping; raise ConfigError listing every mistake."""
    problems: list[str] = []
    if not isinstance(raw, dict):
        raise ConfigError(f"{_where()}: 설정의 묶음(mapping)이어야 합니다")
    for key in sorted(set(raw) - _TOP_KEYS):
        problems.append(f"{_where(key)}: 알 수 없는 설정입니다 — 쓸 수 있는 키: {', '.join(sorted(_TOP_KEYS))}")
    all_kinds = tuple(KINDS) + (NEWSLETTER_KIND,)
    kinds = _kinds(raw.get("kinds"), _where("kinds"), problems, tuple(KINDS))
    newsletters = raw.get("newsletters", False)
    if not isinstance(newsletters, bool):
        problems.append(f"{_where('newsletters')}: true 또는 false여야 합니다")
        newsletters = False
    live_check = raw.get("live_check", True)
    if not isinstance(live_check, bool):
        problems.append(f"{_where('live_check')}: true 또는 false여야 합니다")
        live_check = True
    overdue = _positive_int(raw, "kit_overdue_days", 3, _where("kit_overdue_days"), problems)
    wait = _positive_int(raw, "max_wait_seconds", 60, _where("max_wait_seconds"), problems)
    warn_days = _positive_int(raw, "expiry_warning_days", 21, _where("expiry_warning_days"), problems)
    utm = raw.get("utm") or {"medium": "social"}
    if not isinstance(utm, dict) or not all(isinstance(v, str) for v in utm.values()):
        problems.append(f"{_where('utm')}: 'medium: social'처럼 이름과 값의 묶음이어야 합니다")
        utm = {"medium": "social"}
    channels = raw.get("channels") or {}
    accounts: list[AccountSettings] = []
    if not isinstance(channels, dict):
        problems.append(f"{_where('channels')}: 채널 이름마다 설정을 적는 묶음이어야 합니다 — 예: mastodon: {{accounts: ...}}")
        channels = {}
    base_kinds = kinds + ((NEWSLETTER_KIND,) if newsletters else ())
    for name, conf in channels.items():
        name = str(name)
        if known_channels is not None and name not in known_channels:
            problems.append(f"{_where('channels', name)}: 알 수 없는 채널입니다 — 쓸 수 있는 채널: "
                            f"{', '.join(sorted(known_channels))}")
            continue
        if not isinstance(conf, dict):
            problems.append(f"{_where('channels', name)}: 설정의 묶음이어야 합니다 — accounts: 아래에 계정을 적으세요")
            continue
        if conf.get("enabled", True) is False:
            continue
        ch_kinds = _kinds(conf.get("kinds"), _where("channels", name, "kinds"), problems, all_kinds)
        if conf.get("kinds") is None:
            ch_kinds = base_kinds
        cap = conf.get("daily_cap", DEFAULT_DAILY_CAPS.get(name))
        if cap is not None and (isinstance(cap, bool) or not isinstance(cap, int) or cap < 1):
            problems.append(f"{_where('channels', name, 'daily_cap')}: 1 이상의 정수여야 합니다")
            cap = DEFAULT_DAILY_CAPS.get(name)
        common = {k: v for k, v in conf.items() if k not in _CHANNEL_KEYS}
        accs = conf.get("accounts")
        if not isinstance(accs, dict) or not accs:
            problems.append(f"{_where('channels', name, 'accounts')}: 계정이 하나 이상 있어야 합니다 — "
                            f"예: accounts: {{yours: {{}}}}")
            continue
        for account, options in accs.items():
            account = str(account)
            if options is None:
                options = {}
            if not isinstance(options, dict):
                problems.append(f"{_where('channels', name, 'accounts', account)}: 설정의 묶음이어야 합니다 (없으면 {{}})")
                continue
            if not account.replace("_", "").replace("-", "").isalnum() or not account.isascii():
                problems.append(f"{_where('channels', name, 'accounts', account)}: 계정 키는 영문·숫자·_·-만 씁니다")
                continue
            for secretish in ("token", "password", "access_token", "app_password", "secret"):
                if secretish in options:
                    problems.append(f"{_where('channels', name, 'accounts', account, secretish)}: 비밀 값은 "
                                    f"mkdocs.yml에 적지 마세요 — 환경 변수나 저장소 밖 파일에 두세요(docs/publishing.md)")
            expires = options.get("token_expires")
            if expires is not None and not isinstance(expires, date):
                problems.append(f"{_where('channels', name, 'accounts', account, 'token_expires')}: 날짜가 아닙니다 — "
                                f"2027-03-01처럼 쓰세요")
                expires = None
            merged = {**common, **{k: v for k, v in options.items() if k != "token_expires"}}
            merged["utm"] = {"utm_source": name, **{f"utm_{k}": v for k, v in utm.items()}}
            accounts.append(AccountSettings(name, account, merged, ch_kinds, cap, expires))
    if problems:
        raise ConfigError("\n".join(problems))
    return PublishSettings(tuple(accounts), kinds, newsletters, int(overdue), live_check, float(wait),
                           int(warn_days), dict(utm))


def load_publish_settings(config: SiteConfig, known_channels: set[str] | None = None) -> PublishSettings:
    """Return the publisher's settings from mkdocs.yml (extra.site_builder.publish)."""
    return parse_publish_settings(config.section("publish"), known_channels)
