"""Typed delivery settings from extra.site_builder.delivery in mkdocs.yml, secrets from the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import timedelta

from ..config import SiteConfig
from ..errors import ConfigError
from ..mail.message import NAME_MAX, check_address
from ..settingscheck import SettingsReader
from .dkim import DkimKey, load_key
from .policy import DEFAULT_BATCH, RetryPolicy


ENV_DKIM_KEY = "SITE_BUILDER_DKIM_KEY_FILE"
ENV_DKIM_SELECTOR = "SITE_BUILDER_DKIM_SELECTOR"
ENV_DKIM_DOMAIN = "SITE_BUILDER_DKIM_DOMAIN"


@dataclass(frozen=True)
class DeliverySettings:
    """Connections, rate, retries, return path and DKIM keys for `newsletter send`."""

    connections: int = 4
    batch: int = DEFAULT_BATCH             # rows per connection per claim: at most connections × batch `unknown` after a crash
    rate: float = 0.0                      # messages per second over all connections; 0 = as fast as the relay takes
    policy: RetryPolicy = field(default_factory=RetryPolicy)
    return_path: str = ""                  # bounce@domain; VERP gives bounce+<token>@domain
    feedback_sender_id: str = ""
    default_name: str = "구독자"
    outbox: str = "outbox"
    require_proof: bool = True
    dkim: tuple[DkimKey, ...] = ()

    @classmethod
    def from_config(cls, config: SiteConfig, env: dict[str, str] | None = None, *,
                    load_keys: bool = True) -> "DeliverySettings":
        """Read extra.site_builder.delivery; DKIM keys come from key files outside the repository
        (delivery.dkim in mkdocs.yml names them, or SITE_BUILDER_DKIM_KEY_FILE/_SELECTOR/_DOMAIN).

        Raises SettingsError naming every bad key. load_keys=False (`site-builder check`, on a machine
        that holds no keys) checks the settings without reading the key files."""
        env = os.environ if env is None else env
        raw = config.section("delivery")
        read = SettingsReader("extra.site_builder.delivery", raw)
        retry = read.section("retry")
        first = retry.number("first_seconds", 300, 1, 86400)
        longest = retry.number("longest_seconds", 4 * 3600, 1, 7 * 86400)
        if longest < first:
            retry.add("longest_seconds", f"{longest:g}초가 first_seconds({first:g}초)보다 짧습니다",
                      "가장 긴 간격은 첫 간격 이상으로 쓰세요")
            longest = first
        policy = RetryPolicy(
            first=timedelta(seconds=first),
            factor=retry.number("factor", 2, 1, 10),
            longest=timedelta(seconds=longest),
            give_up=timedelta(hours=retry.number("give_up_hours", 72, 1, 30 * 24)),
            wait=timedelta(seconds=retry.number("wait_seconds", 900, 0, 86400)),
            connect_attempts=retry.integer("connect_attempts", 3, 1, 10),
        )
        retry.unknown(["first_seconds", "factor", "longest_seconds", "give_up_hours", "wait_seconds",
                       "connect_attempts"])
        connections = read.integer("connections", 4, 1, 64)
        batch = read.integer("batch", DEFAULT_BATCH, 1, 1000,
                             "중단되면 connections × batch 통까지 전달 여부를 알 수 없게 됩니다. 기본값 50")
        rate = read.number("rate_per_second", 0.0, 0, 10000, "0은 제한 없음")
        return_path = read.address("return_path", "", check_address)
        feedback_sender_id = read.text("feedback_sender_id", "", max_length=40)
        default_name = read.text("default_name", "구독자", max_length=NAME_MAX)
        outbox = read.text("outbox", "outbox", max_length=500)
        require_proof = read.boolean("require_proof", True)
        read.used.add("dkim")
        read.unknown(["connections", "batch", "rate_per_second", "retry", "return_path", "feedback_sender_id",
                      "default_name", "outbox", "require_proof", "dkim"])
        read.done()
        keys: list[DkimKey] = []
        if not load_keys:
            pass
        elif env.get(ENV_DKIM_KEY):
            keys.append(load_key(env[ENV_DKIM_KEY], env.get(ENV_DKIM_DOMAIN, ""), env.get(ENV_DKIM_SELECTOR, ""),
                                 repo_root=config.root))
        else:
            entries = raw.get("dkim") or []
            if isinstance(entries, dict):
                entries = [entries]
            for i, entry in enumerate(entries):
                if not isinstance(entry, dict) or not entry.get("key_file"):
                    raise ConfigError(f"mkdocs.yml: extra.site_builder.delivery.dkim[{i}]: key_file이 없습니다 — "
                                      "{domain: ..., selector: ..., key_file: /저장소/밖의/키.pem} 처럼 쓰세요")
                keys.append(load_key(os.path.expandvars(str(entry["key_file"])), str(entry.get("domain") or ""),
                                     str(entry.get("selector") or ""), repo_root=config.root))
        return cls(
            connections=connections, batch=batch, rate=rate, policy=policy, return_path=return_path,
            feedback_sender_id=feedback_sender_id, default_name=default_name, outbox=outbox,
            require_proof=require_proof, dkim=tuple(keys),
        )


__all__ = ["DeliverySettings", "ENV_DKIM_DOMAIN", "ENV_DKIM_KEY", "ENV_DKIM_SELECTOR"]
