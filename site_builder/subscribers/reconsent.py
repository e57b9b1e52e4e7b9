"""Daily upkeep: re-consent every two years (표준 개인정보 보호지침 60조, 정보통신망법 50조⑧), and purges."""

from __future__ import annotations

import calendar
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select

from ..db import Store
from ..mail import Mailer, MailError
from . import mails
from .models import PENDING, SUBSCRIBED, UNSUBSCRIBED, ConfirmationToken, RateHit, Subscriber
from .service import _issue_token, forget
from .settings import SubscriptionSettings

log = logging.getLogger("site_builder.subscribers")


def add_months(when: datetime, months: int) -> datetime:
    """Return when plus a number of calendar months (the day clamped to the month's end)."""
    index = when.month - 1 + months
    year, month = when.year + index // 12, index % 12 + 1
    day = min(when.day, calendar.monthrange(year, month)[1])
    return when.replace(year=year, month=month, day=day)


@dataclass
class UpkeepReport:
    """What one run did."""

    reminded: list[int] = field(default_factory=list)
    failed: list[tuple[int, str]] = field(default_factory=list)
    expired: int = 0
    pending_purged: int = 0
    withdrawn_purged: int = 0


def due_for_reminder(store: Store, settings: SubscriptionSettings, now: datetime) -> list[int]:
    """Return ids of subscribers whose consent is remind_after_months old and not yet asked again."""
    with store.session() as session:
        ids = []
        for sub in session.scalars(select(Subscriber).where(Subscriber.status == SUBSCRIBED).order_by(Subscriber.id)):
            basis = sub.consent_basis_at
            if basis is None or add_months(basis, settings.reconsent_remind_months) > now:
                continue
            if sub.reconsent_requested_at is not None and sub.reconsent_requested_at >= basis:
                continue
            ids.append(sub.id)
        return ids


def run_upkeep(store: Store, settings: SubscriptionSettings, mailer: Mailer, secret: bytes, now: datetime,
               *, dry_run: bool = False) -> UpkeepReport:
    """Send due re-consent mails, purge expired consents, stale pending and old withdrawn rows, prune limits.

    Each reminder is marked (with its token) and committed before its mail is sent; if sending fails
    the mark is undone so the next daily run tries again.
    """
    report = UpkeepReport()
    if settings.reconsent_enabled:
        # expire first: someone past 24 months gets no reminder, only the purge
        with store.session() as session, session.begin():
            for sub in list(session.scalars(select(Subscriber).where(Subscriber.status == SUBSCRIBED))):
                basis = sub.consent_basis_at
                if basis is not None and add_months(basis, settings.reconsent_expire_months) <= now:
                    report.expired += 1
                    if not dry_run:
                        forget(session, sub, reason="consent-expired", method="reconsent", now=now)
            if dry_run:
                session.rollback()
        for sid in due_for_reminder(store, settings, now):
            if dry_run:
                report.reminded.append(sid)
                continue
            with store.session() as session, session.begin():
                sub = session.get(Subscriber, sid)
                basis = sub.consent_basis_at
                deadline = add_months(basis, settings.reconsent_expire_months)
                details = {"consent_version": settings.consent_version, "method": "reconsent"}
                token = _issue_token(session, sub, secret, "reconsent", details, now, deadline)
                sub.reconsent_requested_at = now
                message = mails.reconsent_mail(settings, sub.address, sub.name, basis, deadline,
                                               f"{settings.base_url}/confirm/{token}", now)
            try:
                mailer.send(message)
                report.reminded.append(sid)
            except MailError as exc:
                log.error("sending re-consent mail to subscriber %s: %s", sid, exc)
                report.failed.append((sid, str(exc)))
                with store.session() as session, session.begin():
                    sub = session.get(Subscriber, sid)
                    sub.reconsent_requested_at = None
                    session.execute(delete(ConfirmationToken).where(
                        ConfirmationToken.subscriber_id == sid, ConfirmationToken.purpose == "reconsent",
                        ConfirmationToken.used_at.is_(None)))
    if dry_run:
        return report
    with store.session() as session, session.begin():
        # unconfirmed signups: nobody agreed to anything, so keep nothing (no suppression either)
        stale = now - timedelta(days=settings.pending_purge_days)
        for sub in list(session.scalars(select(Subscriber).where(Subscriber.status == PENDING,
                                                                 Subscriber.created_at < stale))):
            session.delete(sub)
            report.pending_purged += 1
        withdrawn = now - timedelta(days=settings.withdrawn_purge_days)
        for sub in list(session.scalars(select(Subscriber).where(Subscriber.status == UNSUBSCRIBED,
                                                                 Subscriber.withdrawn_at < withdrawn))):
            forget(session, sub, reason="unsubscribed", method="upkeep", now=now)
            report.withdrawn_purged += 1
        session.execute(delete(RateHit).where(RateHit.at < now - timedelta(days=2)))
        session.execute(delete(ConfirmationToken).where(or_(
            ConfirmationToken.expires_at < now - timedelta(days=1),
            ConfirmationToken.used_at < now - timedelta(days=1))))
    store.scrub()
    return report


__all__ = ["UpkeepReport", "add_months", "due_for_reminder", "run_upkeep"]
