"""Bounces (RFC 3464 DSNs), complaints (ARF, RFC 5965) and mailto unsubscribes from a Maildir.

The match is exact when it can be: the return path of every message is bounce+<issue>.<subscriber>.<mac>@
(VERP), so a DSN delivered there names its subscriber; a complaint carries our Message-ID, which holds
the same token. Only when neither is present is the DSN's Final-Recipient looked up as an address.
Hard failures (5.1.x, 5.2.1) and complaints suppress; delays, 4.x.x and policy refusals (5.7.x) do not.
"""

from __future__ import annotations

import email
import email.policy
import os
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.message import EmailMessage
from pathlib import Path

from sqlalchemy import select

from ..db import Store
from ..subscribers import Subscriber, suppress_address, withdraw
from .compose import parse_message_token

RECIPIENT_HEADERS = ("Delivered-To", "X-Original-To", "Envelope-To", "X-Envelope-To", "To")
COMPLAINT_TYPES = {"abuse", "fraud"}


@dataclass
class Finding:
    """What one message in the Maildir meant."""

    kind: str                 # bounce | complaint | unsubscribe | soft | policy | unmatched | other
    subscriber_id: int | None = None
    address: str | None = None
    status: str = ""
    how: str = ""             # verp | message-id | final-recipient | original-rcpt-to


KIND_LABELS = {"bounce": "반송", "complaint": "스팸 신고", "unsubscribe": "수신거부", "soft": "일시 오류",
               "policy": "정책 거부", "unmatched": "대상을 찾지 못함", "other": "그 밖의 메일"}
HOW_LABELS = {"verp": "반송 주소(VERP)로 찾음", "message-id": "Message-ID로 찾음",
              "final-recipient": "Final-Recipient 주소로 찾음", "original-rcpt-to": "Original-Rcpt-To 주소로 찾음"}


@dataclass
class BounceReport:
    """Totals and one line per message."""

    counts: dict[str, int] = field(default_factory=dict)
    details: list[str] = field(default_factory=list)

    def add(self, name: str, f: Finding) -> None:
        self.counts[f.kind] = self.counts.get(f.kind, 0) + 1
        who = f"#{f.subscriber_id}" if f.subscriber_id else (f.address or "?")
        how = f" ({HOW_LABELS.get(f.how, f.how)})" if f.how else ""
        self.details.append(f"{name}: {KIND_LABELS.get(f.kind, f.kind)} {who} {f.status}".rstrip() + how)

    def summary(self) -> str:
        c = self.counts
        return (f"메일 {sum(c.values())}통 처리: 반송(발송 중지) {c.get('bounce', 0)}, 스팸 신고(발송 중지) "
                f"{c.get('complaint', 0)}, 메일 수신거부 {c.get('unsubscribe', 0)}, 일시 오류(그대로 둠) "
                f"{c.get('soft', 0)}, 정책 거부(발송 중지 안 함) {c.get('policy', 0)}, 대상을 찾지 못함 "
                f"{c.get('unmatched', 0)}, 그 밖의 메일 {c.get('other', 0)}")


def _fields(part) -> list[dict[str, str]]:
    """Return the field groups of a message/delivery-status or message/feedback-report part."""
    payload = part.get_payload()
    groups: list[dict[str, str]] = []
    if isinstance(payload, list):    # the email package parses delivery-status into header blocks
        for block in payload:
            groups.append({k.lower(): str(v) for k, v in block.items()})
        return groups
    text = payload if isinstance(payload, str) else part.get_payload(decode=True).decode("utf-8", "replace")
    for chunk in re.split(r"\r?\n\s*\r?\n", text):
        block = email.message_from_string(chunk.strip() + "\n\n", policy=email.policy.default)
        if len(block):
            groups.append({k.lower(): str(v) for k, v in block.items()})
    return groups


def _address_of(value: str) -> str:
    value = value.split(";", 1)[-1] if ";" in value else value
    return value.strip().strip("<>").strip().lower()


def _original_headers(msg: EmailMessage) -> EmailMessage | None:
    for part in msg.walk():
        ctype = part.get_content_type()
        if ctype == "message/rfc822":
            inner = part.get_payload()
            return inner[0] if isinstance(inner, list) else inner
        if ctype == "text/rfc822-headers":
            raw = part.get_payload(decode=True) or b""
            return email.message_from_bytes(raw, policy=email.policy.default)
    return None


def read_report(msg: EmailMessage, secret: bytes) -> Finding:
    """Return what one received message means, without changing anything."""
    to_us = " ".join(str(v) for name in RECIPIENT_HEADERS for v in (msg.get_all(name) or []))
    verp = parse_message_token(secret, to_us)
    if verp and "+u." in to_us:
        return Finding("unsubscribe", verp[1], how="verp")
    original = _original_headers(msg)
    by_mid = parse_message_token(secret, str(original.get("Message-ID", ""))) if original is not None else None
    if msg.get_content_type() == "multipart/report":
        report_type = (msg.get_param("report-type") or "").lower()
        if report_type == "feedback-report":
            part = next((p for p in msg.walk() if p.get_content_type() == "message/feedback-report"), None)
            fields = _fields(part)[0] if part is not None and _fields(part) else {}
            kind = fields.get("feedback-type", "abuse").strip().lower()
            if kind not in COMPLAINT_TYPES:
                return Finding("other", status=f"feedback-type {kind}")
            if by_mid:
                return Finding("complaint", by_mid[1], status=kind, how="message-id")
            if verp:
                return Finding("complaint", verp[1], status=kind, how="verp")
            rcpt = fields.get("original-rcpt-to") or (str(original.get("To", "")) if original is not None else "")
            if rcpt:
                return Finding("complaint", address=_address_of(email.utils.parseaddr(rcpt)[1] or rcpt),
                               status=kind, how="original-rcpt-to")
            return Finding("unmatched", status=kind)
        if report_type == "delivery-status":
            part = next((p for p in msg.walk() if p.get_content_type() == "message/delivery-status"), None)
            groups = _fields(part) if part is not None else []
            per_rcpt = [g for g in groups if "action" in g or "status" in g] or [{}]
            worst = None
            for g in per_rcpt:
                action = g.get("action", "").strip().lower()
                status = (re.match(r"\s*(\d\.\d{1,3}\.\d{1,3})", g.get("status", "")) or [None, ""])[1]
                if action == "failed" or status.startswith("5."):
                    worst = (g, status)
                    break
                worst = worst or (g, status)
            g, status = worst if worst else ({}, "")
            if not status.startswith("5."):
                kind = "soft"
            elif status.startswith("5.1.") or status == "5.2.1":
                kind = "bounce"
            elif status.startswith("5.7."):
                kind = "policy"
            else:
                kind = "soft" if status.startswith("5.2.2") else "other"
            if verp:
                return Finding(kind, verp[1], status=status, how="verp")
            if by_mid:
                return Finding(kind, by_mid[1], status=status, how="message-id")
            final = g.get("final-recipient") or g.get("original-recipient") or ""
            if final:
                return Finding(kind, address=_address_of(final), status=status, how="final-recipient")
            return Finding("unmatched", status=status)
    if verp:
        return Finding("unmatched", verp[1], status="전달 상태 알림(DSN)이 아님", how="verp")
    return Finding("other")


def apply_finding(store: Store, f: Finding, *, secret: bytes, now: datetime) -> Finding:
    """Suppress (bounce, complaint) or unsubscribe the subscriber a finding names; return it with the address."""
    if f.kind not in ("bounce", "complaint", "unsubscribe"):
        return f
    with store.writing(), store.session() as s, s.begin():
        if f.subscriber_id is not None:
            sub = s.get(Subscriber, f.subscriber_id)
        else:
            sub = s.scalar(select(Subscriber).where(Subscriber.address == (f.address or "").lower()))
        if sub is None:
            f.kind = "unmatched" if f.subscriber_id is None else f.kind
            return f
        f.subscriber_id, f.address = sub.id, sub.address
        if f.kind == "unsubscribe":
            # the same withdrawal as the one-click link; no notice mail from here
            withdraw(s, sub.id, "mailto", now)
        else:
            suppress_address(s, sub.address, f.kind, secret=secret, now=now)
    return f


def process_maildir(store: Store, path: Path | str, *, secret: bytes, reprocess: bool = False,
                    now: datetime | None = None) -> BounceReport:
    """Read every unread message in the Maildir, act on it, and mark it read (moved to cur/ with flag S)."""
    root = Path(path)
    if not (root / "new").is_dir() and not (root / "cur").is_dir():
        raise FileNotFoundError(f"{root}: Maildir이 아닙니다 (new/나 cur/ 폴더가 없음)")
    now = now or datetime.now(timezone.utc)
    report = BounceReport()
    for sub in ("new", "cur"):
        folder = root / sub
        if not folder.is_dir():
            continue
        for entry in sorted(folder.iterdir()):
            name, _, info = entry.name.partition(":2,")
            if sub == "cur" and "S" in info and not reprocess:
                continue
            with open(entry, "rb") as fh:
                msg = email.message_from_binary_file(fh, policy=email.policy.default)
            finding = apply_finding(store, read_report(msg, secret), secret=secret, now=now)
            report.add(name, finding)
            flags = "".join(sorted(set(info) | {"S"}))
            os.replace(entry, root / "cur" / f"{name}:2,{flags}")
    return report


__all__ = ["BounceReport", "Finding", "apply_finding", "process_maildir", "read_report"]
