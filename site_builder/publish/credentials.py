"""Credentials of channel accounts: only from environment variables or a file outside the repository.

Environment: `SITE_BUILDER_PUBLISH_<CHANNEL>_<ACCOUNT>_<KEY>` (upper case, `-` as `_`), e.g.
`SITE_BUILDER_PUBLISH_MASTODON_YOURS_TOKEN=...` gives the mastodon account `yours` the key `token`.
File: `SITE_BUILDER_PUBLISH_CREDENTIALS_FILE=/etc/yours/publish.yml` (refused when inside the project):

    mastodon:
      yours:
        token: ...
        token_expires: 2027-03-01   # optional: doctor warns weeks before

Environment variables win over the file. Values never reach output: `Redactor` replaces every
known secret in any text the publisher prints, logs or stores in the ledger.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import yaml

from ..errors import ConfigError

ENV_PREFIX = "SITE_BUILDER_PUBLISH_"
ENV_FILE = "SITE_BUILDER_PUBLISH_CREDENTIALS_FILE"
# Keys that are dates, not secrets.
NOT_SECRET = {"token_expires", "expires"}


def env_prefix(channel: str, account: str) -> str:
    """Return the environment-variable prefix of one account."""
    return f"{ENV_PREFIX}{channel.upper()}_{account.upper().replace('-', '_')}_"


def load_credentials(channel: str, account: str, root: Path | str = ".",
                     env: dict[str, str] | None = None) -> dict[str, str]:
    """Return this account's credentials (key -> value) from the file then the environment."""
    env = os.environ if env is None else env
    found: dict[str, str] = {}
    file_value = env.get(ENV_FILE, "").strip()
    if file_value:
        path = Path(file_value).expanduser().resolve()
        root_path = Path(root).resolve()
        if path == root_path or root_path in path.parents:
            raise ConfigError(f"{ENV_FILE}: 인증 정보 파일이 저장소 안에 있습니다 — 저장소 밖(예: ~/.config/yours/)으로 옮기세요")
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except FileNotFoundError as exc:
            raise ConfigError(f"{ENV_FILE}: 파일 {path}이(가) 없습니다 — 경로를 확인하세요") from exc
        except yaml.YAMLError as exc:
            raise ConfigError(f"{ENV_FILE}: {path}의 YAML 문법 오류입니다 (줄 "
                              f"{getattr(getattr(exc, 'problem_mark', None), 'line', -1) + 1}) — 들여쓰기를 확인하세요") from None
        entry = ((data.get(channel) or {}) if isinstance(data, dict) else {}).get(account) or {}
        if isinstance(entry, dict):
            found.update({str(k): v.isoformat() if isinstance(v, date) else str(v) for k, v in entry.items()})
    prefix = env_prefix(channel, account)
    for name, value in env.items():
        if name.startswith(prefix) and value:
            found[name[len(prefix):].lower()] = value
    return found


def secret_values(credentials: dict[str, str]) -> list[str]:
    """Return the values that must never be shown (everything but dates)."""
    return [v for k, v in credentials.items() if k not in NOT_SECRET and v and len(v) >= 4]


def token_expiry(credentials: dict[str, str]) -> date | None:
    """Return the expiry date written beside the credentials, if any."""
    value = credentials.get("token_expires") or credentials.get("expires")
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


class Redactor:
    """Replaces every registered secret (and its URL-encoded form) in a text by '***'."""

    def __init__(self) -> None:
        self._secrets: set[str] = set()

    def add(self, values) -> None:
        from urllib.parse import quote

        for value in values:
            self._secrets.add(value)
            self._secrets.add(quote(value, safe=""))

    def __call__(self, text: object) -> str:
        text = str(text)
        for secret in sorted(self._secrets, key=len, reverse=True):
            if secret:
                text = text.replace(secret, "***")
        return text
