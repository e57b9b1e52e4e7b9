"""Delivery: crash-safe, resumable, fast sending of newsletter issues, and bounce processing.

    send_issue(store, composer, transport, issue_id=..., secret=...) -> SendReport   (transport: mail.transport_from_env)
    Composer(IssueMail, secret, Signer(keys)).build(Recipient) -> Outgoing (CRLF bytes, DKIM-signed)
    process_maildir(store, path, secret=...) -> BounceReport
The ledger (deliveries, delivery_issues) lives in the shared database (db/), beside the subscribers.

Names are imported on first use (PEP 562): `delivery.settings` (read by `site-builder check`)
must not load the engine, the ledger and SQLAlchemy.
"""

from __future__ import annotations

import importlib

_WHERE = {
    "ComposeError": "compose", "Composer": "compose", "IssueMail": "compose", "Outgoing": "compose",
    "Recipient": "compose", "message_token": "compose", "parse_message_token": "compose",
    "DkimKey": "dkim", "Signer": "dkim", "key_from_pem": "dkim", "load_key": "dkim",
    "Clock": "engine", "DeliveryError": "engine", "SendReport": "engine", "send_issue": "engine",
    "DEFAULT_BATCH": "policy", "RetryPolicy": "policy",
    "STATES": "ledger", "Delivery": "ledger", "DeliveryIssue": "ledger", "LeaseError": "ledger",
    "counts": "ledger", "open_ledger": "ledger",
    "DeliverySettings": "settings",
    "BounceReport": "bounces", "process_maildir": "bounces",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str):
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_WHERE))
