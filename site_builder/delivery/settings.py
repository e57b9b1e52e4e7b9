"""Typed delivery settings from extra.site_builder.delivery in mkdocs.yml, secrets from the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import timedelta

from ..config import SiteConfig
from ..errors import ConfigError
from .dkim import DkimKey, load_key
from .engine import DEFAULT_BATCH, RetryPolicy

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
    def from_config(cls, config: SiteConfig, env: dict[str, str] | None = None) -> "DeliverySettings":
        """Read extra.site_builder.delivery; DKIM keys come from key files outside the repository
        (delivery.dkim in mkdocs.yml names them, or SITE_BUILDER_DKIM_KEY_FILE/_SELECTOR/_DOMAIN)."""
        env = os.environ if env is None else env
        raw = config.section("delivery")
        retry = raw.get("retry") or {}
        try:
            policy = RetryPolicy(
                first=timedelta(seconds=float(retry.get("first_seconds", 300))),
                factor=float(retry.get("factor", 2)),
                longest=timedelta(seconds=float(retry.get("longest_seconds", 4 * 3600))),
                give_up=timedelta(hours=float(retry.get("give_up_hours", 72))),
                wait=timedelta(seconds=float(retry.get("wait_seconds", 900))),
                connect_attempts=int(retry.get("connect_attempts", 3)),
            )
            connections = int(raw.get("connections", 4))
            batch = int(raw.get("batch", DEFAULT_BATCH))
            rate = float(raw.get("rate_per_second", 0) or 0)
        except (TypeError, ValueError) as exc:
            raise ConfigError(f"mkdocs.yml: extra.site_builder.delivery: {exc}") from None
        if not 1 <= connections <= 64:
            raise ConfigError("mkdocs.yml: extra.site_builder.delivery.connections: use 1 to 64")
        if not 1 <= batch <= 1000:
            raise ConfigError("mkdocs.yml: extra.site_builder.delivery.batch: use 1 to 1000 "
                              "(a crash may leave connections × batch messages unknown; 50 is the default)")
        keys: list[DkimKey] = []
        if env.get(ENV_DKIM_KEY):
            keys.append(load_key(env[ENV_DKIM_KEY], env.get(ENV_DKIM_DOMAIN, ""), env.get(ENV_DKIM_SELECTOR, ""),
                                 repo_root=config.root))
        else:
            entries = raw.get("dkim") or []
            if isinstance(entries, dict):
                entries = [entries]
            for i, entry in enumerate(entries):
                if not isinstance(entry, dict) or not entry.get("key_file"):
                    raise ConfigError(f"mkdocs.yml: extra.site_builder.delivery.dkim[{i}]: "
                                      "write {domain: ..., selector: ..., key_file: /path/outside/the/repo.pem}")
                keys.append(load_key(os.path.expandvars(str(entry["key_file"])), str(entry.get("domain") or ""),
                                     str(entry.get("selector") or ""), repo_root=config.root))
        return cls(
            connections=connections, batch=batch, rate=rate, policy=policy,
            return_path=str(raw.get("return_path") or ""),
            feedback_sender_id=str(raw.get("feedback_sender_id") or ""),
            default_name=str(raw.get("default_name") or "구독자"),
            outbox=str(raw.get("outbox") or "outbox"),
            require_proof=bool(raw.get("require_proof", True)),
            dkim=tuple(keys),
        )


__all__ = ["DeliverySettings", "ENV_DKIM_DOMAIN", "ENV_DKIM_KEY", "ENV_DKIM_SELECTOR"]
