"""What a relay's answer means: each send returns a Reply classified from the server's code and
enhanced status (RFC 3463), and tells whether the message reached the server's end-of-data: a
connection lost *after* the data was sent is ambiguous (the server may have queued it), one lost
before is safe to retry."""

from __future__ import annotations

import re
from dataclasses import dataclass

SENT, DEFER, BOUNCE, FAIL, POLICY, AMBIGUOUS, RETRY = "sent", "defer", "bounce", "fail", "policy", "ambiguous", "retry"

_ENHANCED = re.compile(r"^\s*([245])\.(\d{1,3})\.(\d{1,3})\b")


@dataclass(frozen=True)
class Reply:
    """A classified result of one SMTP transaction (or of storing a message in the outbox)."""

    kind: str              # sent | defer | bounce | fail | policy | ambiguous | retry
    code: int | None
    text: str

    def __str__(self) -> str:
        return f"{self.code} {self.text}".strip() if self.code else self.text

    @property
    def permanent(self) -> bool:
        """True for a 5xx answer: sending the same message again will be refused again."""
        return self.code is not None and 500 <= self.code < 600


def enhanced_status(text: str) -> str | None:
    """Return the RFC 3463 status at the start of an SMTP reply text ('5.1.1'), or None."""
    match = _ENHANCED.match(text or "")
    return ".".join(match.groups()) if match else None


def classify(code: int, text: str) -> str:
    """Return what a reply means for delivery: sent, defer (4xx), bounce (5.1.x, 5.2.1: suppress the address),
    policy (5.7.x: our fault, pause the issue) or fail (another 5xx)."""
    if 200 <= code < 300:
        return SENT
    if 400 <= code < 500:
        return DEFER
    status = enhanced_status(text) or ""
    if status.startswith("5.1.") or status == "5.2.1":
        return BOUNCE
    if status.startswith("5.7."):
        return POLICY
    return FAIL


__all__ = ["AMBIGUOUS", "BOUNCE", "DEFER", "FAIL", "POLICY", "RETRY", "SENT", "Reply", "classify", "enhanced_status"]
