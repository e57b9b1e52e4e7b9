"""Subscriber operations on a session: signup, confirm, unsubscribe, preferences, answers, export, forget.

Each function takes `now` (an aware datetime) so tests drive time with a clock; each returns the
mails to send after the commit rather than sending them, so a refused mail never undoes a change.

About 470 lines: the subscription app calls these as `service.<name>`; the data-rights part (export,
forget) and the answers can move to their own modules once the app's handlers are rewritten.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..mail.message import AddressError, check_address, has_control_chars
from . import mails
from .links import manage_url, preferences_url
from .models import (
    PENDING,
    STATUSES,
    SUBSCRIBED,
    SUPPRESSED,
    UNSUBSCRIBED,
    Answer,
    ConfirmationToken,
    DataRequest,
    Question,
    RateHit,
    Subscriber,
    SubscriberTopic,
    Suppression,
)
from ..signup import MAX_NAME
from .settings import SubscriptionSettings
from .tokens import BadToken, address_hash, keyed_hash, new_confirmation_token

# Addresses suppressed for these reasons get no confirmation mail even when someone signs them up.
BLOCKING_REASONS = frozenset({"complaint", "bounce", "operator"})
MAX_TOPICS = 40


class InputError(ValueError):
    """A form value the reader must correct; the message is Korean and safe to show."""


@dataclass(frozen=True)
class Signup:
    """A validated signup request."""

    address: str
    name: str | None
    topics: tuple[str, ...]
    consent_version: str
    source: str = ""
    ad_consent_version: str | None = None   # the advertising notice the reader agreed to, if they ticked it


@dataclass
class SubscriberChange:
    """What an operation changed and which mails to send after commit."""

    subscriber: Subscriber | None = None
    mails: list[EmailMessage] = field(default_factory=list)
    changed: bool = False


def clean_name(name: str | None) -> str | None:
    """Return the trimmed name, or raise InputError for control characters or excess length."""
    name = (name or "").strip()
    if not name:
        return None
    if has_control_chars(name):
        raise InputError("이름에 줄바꿈 같은 제어 문자는 쓸 수 없습니다.")
    if len(name) > MAX_NAME:
        raise InputError(f"이름은 {MAX_NAME}자 이하로 써 주세요.")
    return name


def clean_topics(settings: SubscriptionSettings, topics: list[str]) -> tuple[str, ...]:
    """Return the sorted known topics, or raise InputError naming an unknown one."""
    if len(topics) > MAX_TOPICS:
        raise InputError("주제를 너무 많이 골랐습니다.")
    unknown = [t for t in topics if t not in settings.topics]
    if unknown:
        raise InputError(f"알 수 없는 주제입니다: {unknown[0][:40]}")
    return tuple(sorted(set(topics)))


def parse_signup(settings: SubscriptionSettings, form: dict[str, Any], source: str = "") -> Signup:
    """Return a Signup from the posted fields, or raise InputError with a Korean reason."""
    if form.get("consent") != "yes":
        raise InputError("개인정보 수집·이용에 동의해야 구독할 수 있습니다. 동의 상자를 체크해 주세요.")
    version = str(form.get("consent_version") or "")
    if not settings.is_accepted_version(version):
        raise InputError("동의 문구가 바뀌었습니다. 구독 페이지를 새로 고친 뒤 다시 신청해 주세요.")
    ad_version = None
    if form.get("ad_consent") == "yes":
        ad_version = str(form.get("ad_consent_version") or "")
        if not settings.is_accepted_ad_version(ad_version):
            raise InputError("광고성 정보 수신 동의 문구가 바뀌었습니다. 구독 페이지를 새로 고친 뒤 다시 신청해 주세요.")
    try:
        address = check_address(str(form.get("email") or ""))
    except AddressError as exc:
        raise InputError(exc.reason) from None
    return Signup(address, clean_name(form.get("name")), clean_topics(settings, list(form.get("topics") or [])),
                  version, source[:300], ad_version)


# --- rate limits --------------------------------------------------------------------------------


def take_rate(session: Session, key: str, limit: int, window: timedelta, now: datetime) -> bool:
    """Count one event for key and return True, or return False if limit events fall in the window."""
    used = session.scalar(select(func.count()).select_from(RateHit).where(RateHit.key == key, RateHit.at > now - window))
    if used >= limit:
        return False
    session.add(RateHit(key=key, at=now))
    return True


def ip_allowed(session: Session, settings: SubscriptionSettings, secret: bytes, ip: str, now: datetime) -> bool:
    """Count one request from ip; False once it passes the hourly limit."""
    return take_rate(session, "ip:" + keyed_hash(secret, "rate", ip)[:40], settings.per_ip_requests_per_hour,
                     timedelta(hours=1), now)


# --- signup and confirmation ---------------------------------------------------------------------


def _issue_token(session: Session, subscriber: Subscriber, secret: bytes, purpose: str, details: dict,
                 now: datetime, expires_at: datetime) -> str:
    token = new_confirmation_token()
    session.add(ConfirmationToken(
        token_hash=keyed_hash(secret, "confirm", token), subscriber_id=subscriber.id, purpose=purpose,
        details=json.dumps(details, ensure_ascii=False), created_at=now, expires_at=expires_at,
    ))
    return token


def request_signup(session: Session, settings: SubscriptionSettings, secret: bytes, signup: Signup,
                   now: datetime) -> SubscriberChange:
    """Handle a signup the same way whatever the address's state; return the mail (if any) to send.

    New or pending: a confirmation mail. Subscribed: an 'already subscribed' mail. Unsubscribed or
    forgotten: a confirmation mail (confirming re-subscribes). Blocked suppression or over the
    per-address limit: nothing. The caller replies with one fixed page in every case.
    """
    digest = address_hash(secret, signup.address)
    suppression = session.get(Suppression, digest)
    if suppression is not None and suppression.reason in BLOCKING_REASONS:
        return SubscriberChange()
    if not take_rate(session, "addr:" + digest[:40], settings.per_address_mails_per_day, timedelta(days=1), now):
        return SubscriberChange()
    subscriber = session.scalar(select(Subscriber).where(Subscriber.address == signup.address))
    if subscriber is None:
        subscriber = Subscriber(address=signup.address, address_hash=digest, name=None, status=PENDING,
                                created_at=now, updated_at=now)
        session.add(subscriber)
        session.flush()
    if subscriber.status == SUBSCRIBED:
        url = preferences_url(settings, secret, subscriber.id, now=now, days=settings.preferences_link_days)
        return SubscriberChange(subscriber, [mails.already_subscribed_mail(settings, subscriber.address, subscriber.name, url, now)])
    if subscriber.status == SUPPRESSED and suppression is None:
        return SubscriberChange()  # suppressed by an operator or a bounce before the hash existed
    details = {"name": signup.name, "topics": list(signup.topics), "consent_version": signup.consent_version,
               "consent_at": now.isoformat(), "source": signup.source, "method": "form",
               "ad_consent_version": signup.ad_consent_version}
    token = _issue_token(session, subscriber, secret, "confirm", details, now, now + settings.confirm_lifetime)
    url = f"{settings.base_url}/confirm/{token}"
    return SubscriberChange(subscriber, [mails.confirm_mail(settings, subscriber.address, signup.name, url, now)], True)


def _find_token(session: Session, secret: bytes, token: str, now: datetime) -> ConfirmationToken:
    if not token or len(token) > 100:
        raise BadToken("malformed")
    row = session.scalar(select(ConfirmationToken).where(
        ConfirmationToken.token_hash == keyed_hash(secret, "confirm", token)))
    if row is None:
        raise BadToken("unknown")
    if row.used_at is not None:
        raise BadToken("used")
    if now >= row.expires_at:
        raise BadToken("expired", expired=True)
    return row


def check_confirmation(session: Session, secret: bytes, token: str, now: datetime) -> ConfirmationToken:
    """Return the unused, unexpired token row for token (no change), or raise BadToken."""
    return _find_token(session, secret, token, now)


def confirm(session: Session, settings: SubscriptionSettings, secret: bytes, token: str, now: datetime) -> SubscriberChange:
    """Use a confirmation or re-consent token once: subscribe (or renew consent) and return the welcome mail."""
    row = _find_token(session, secret, token, now)
    row.used_at = now
    subscriber = session.get(Subscriber, row.subscriber_id)
    details = json.loads(row.details or "{}")
    if row.purpose == "reconsent":
        if subscriber.status != SUBSCRIBED:
            return SubscriberChange(subscriber)  # withdrew meanwhile: a late click must not re-subscribe
        subscriber.reconsented_at = now
        subscriber.updated_at = now
        if details.get("consent_version"):
            subscriber.consent_version = details["consent_version"]
        return SubscriberChange(subscriber, [], True)
    subscriber.name = details.get("name")
    _set_topics(subscriber, details.get("topics") or [])
    subscriber.status = SUBSCRIBED
    subscriber.consent_at = datetime.fromisoformat(details["consent_at"])
    subscriber.consent_method = details.get("method") or "form"
    subscriber.consent_version = details.get("consent_version")
    subscriber.consent_source = details.get("source") or None
    subscriber.confirmed_at = now
    subscriber.consent_notified_at = now
    subscriber.reconsent_requested_at = None
    subscriber.reconsented_at = None
    subscriber.withdrawn_at = None
    subscriber.withdrawal_method = None
    subscriber.updated_at = now
    # the advertising consent is what this signup's form said: given (with its version) or not at all
    subscriber.ad_consent_version = details.get("ad_consent_version") or None
    subscriber.ad_consent_at = now if subscriber.ad_consent_version else None
    # confirming proves the reader wants mail again, whatever put the address on the list
    session.execute(delete(Suppression).where(Suppression.address_hash == subscriber.address_hash))
    # other outstanding confirmation links for this address are spent too
    for other in session.scalars(select(ConfirmationToken).where(
            ConfirmationToken.subscriber_id == subscriber.id, ConfirmationToken.used_at.is_(None))):
        other.used_at = now
    url = preferences_url(settings, secret, subscriber.id, now=now, days=settings.preferences_link_days)
    return SubscriberChange(subscriber, [mails.welcome_mail(settings, subscriber.address, subscriber.name,
                                                   subscriber.consent_at, url, now,
                                                   ad_consent_at=subscriber.ad_consent_at)], True)


def _set_topics(subscriber: Subscriber, topics: list[str]) -> None:
    wanted = sorted(set(topics))
    if subscriber.topic_ids == wanted:
        return
    subscriber.topics.clear()
    for topic in wanted:
        subscriber.topics.append(SubscriberTopic(topic=topic))


# --- withdrawal, suppression ----------------------------------------------------------------------


def _suppress_hash(session: Session, digest: str, reason: str, now: datetime) -> None:
    existing = session.get(Suppression, digest)
    if existing is None:
        session.add(Suppression(address_hash=digest, reason=reason, created_at=now))
    elif reason in BLOCKING_REASONS and existing.reason not in BLOCKING_REASONS:
        existing.reason = reason


def _log_request(session: Session, digest: str, kind: str, method: str, now: datetime, done: bool = True) -> None:
    session.add(DataRequest(address_hash=digest, kind=kind, method=method, requested_at=now,
                            completed_at=now if done else None))


def unsubscribe(session: Session, settings: SubscriptionSettings, subscriber_id: int, method: str,
                now: datetime) -> SubscriberChange:
    """Withdraw consent and suppress the address at once; repeating it changes nothing."""
    subscriber = session.get(Subscriber, subscriber_id)
    was_subscribed = subscriber is not None and subscriber.status == SUBSCRIBED
    out = withdraw(session, subscriber_id, method, now)
    if out.changed and was_subscribed and settings.notify_withdrawal:
        out.mails.append(mails.withdrawal_mail(settings, subscriber.address, subscriber.name, now))
    return out


def withdraw(session: Session, subscriber_id: int, method: str, now: datetime) -> SubscriberChange:
    """The withdrawal of `unsubscribe` without its notice mail (a mailto: unsubscribe the bounce processor
    found): consent withdrawn and the address suppressed at once; repeating it changes nothing."""
    subscriber = session.get(Subscriber, subscriber_id)
    if subscriber is None:
        return SubscriberChange()
    _suppress_hash(session, subscriber.address_hash, "unsubscribed", now)
    if subscriber.status in (PENDING, SUBSCRIBED):
        subscriber.status = UNSUBSCRIBED
        subscriber.withdrawn_at = now
        subscriber.withdrawal_method = method[:100]
        subscriber.updated_at = now
        # no mail at all any more; a new signup asks for the advertising consent afresh
        subscriber.ad_consent_version = subscriber.ad_consent_at = None
        _log_request(session, subscriber.address_hash, "unsubscribe", method[:40], now)
        return SubscriberChange(subscriber, [], True)
    return SubscriberChange(subscriber)


def suppress_address(session: Session, address: str, reason: str, *, secret: bytes | str,
                     now: datetime) -> None:
    """Put address on the suppression list (bounce, complaint, operator) and mark its row suppressed."""
    normalised = check_address(address)
    digest = address_hash(secret, normalised)
    _suppress_hash(session, digest, reason, now)
    subscriber = session.scalar(select(Subscriber).where(Subscriber.address == normalised))
    if subscriber is not None and subscriber.status != SUPPRESSED:
        subscriber.status = SUPPRESSED
        subscriber.withdrawn_at = subscriber.withdrawn_at or now
        subscriber.withdrawal_method = subscriber.withdrawal_method or f"suppressed:{reason}"[:100]
        subscriber.updated_at = now


# --- preferences and answers ----------------------------------------------------------------------


def update_preferences(session: Session, settings: SubscriptionSettings, subscriber_id: int,
                       topics: list[str], name: str | None, now: datetime, *,
                       ad_consent: bool | None = None) -> SubscriberChange:
    """Replace the subscriber's topics and name (validated); an empty topic list means everything.

    ad_consent True gives the advertising consent (the current notice's version, now), False withdraws it,
    None leaves it; a change is confirmed by mail (정보통신망법 제50조⑦)."""
    subscriber = session.get(Subscriber, subscriber_id)
    if subscriber is None:
        return SubscriberChange()
    wanted = clean_topics(settings, topics)
    subscriber.name = clean_name(name)
    _set_topics(subscriber, list(wanted))
    subscriber.updated_at = now
    out = SubscriberChange(subscriber, [], True)
    if ad_consent is not None and settings.ad_consent_version and subscriber.status == SUBSCRIBED:
        if ad_consent and subscriber.ad_consent_at is None:
            subscriber.ad_consent_version, subscriber.ad_consent_at = settings.ad_consent_version, now
            out.mails.append(mails.ad_consent_mail(settings, subscriber.address, subscriber.name, True, now))
        elif not ad_consent and subscriber.ad_consent_at is not None:
            subscriber.ad_consent_version = subscriber.ad_consent_at = None
            out.mails.append(mails.ad_consent_mail(settings, subscriber.address, subscriber.name, False, now))
    return out


def record_answer(session: Session, subscriber_id: int, issue_id: str, question_id: str, answer_index: int,
                  now: datetime) -> bool:
    """Record the answer once per subscriber per question; return False if one was already recorded."""
    if session.get(Subscriber, subscriber_id) is None:
        return False
    existing = session.scalar(select(Answer.id).where(Answer.subscriber_id == subscriber_id,
                                                      Answer.question_id == question_id))
    if existing is not None:
        return False
    try:
        with session.begin_nested():
            session.add(Answer(subscriber_id=subscriber_id, issue_id=str(issue_id), question_id=str(question_id),
                               answer_index=int(answer_index), answered_at=now))
    except IntegrityError:
        return False
    return True


def register_question(session: Session, issue_id: str, question_id: str, text: str, choices: list[str]) -> None:
    """Store a feedback question's wording so the answer page can show it (idempotent)."""
    row = session.get(Question, str(question_id))
    if row is None:
        row = Question(question_id=str(question_id), issue_id=str(issue_id), text=text, choices="[]")
        session.add(row)
    row.issue_id, row.text, row.choices = str(issue_id), text, json.dumps(list(choices), ensure_ascii=False)


def answer_counts(session: Session, question_id: str) -> dict[int, int]:
    """Return {answer_index: count} for a question."""
    rows = session.execute(select(Answer.answer_index, func.count()).where(Answer.question_id == question_id)
                           .group_by(Answer.answer_index))
    return {int(i): int(n) for i, n in rows}


# --- data-subject rights --------------------------------------------------------------------------


def _row_dict(obj: Any) -> dict[str, Any]:
    out = {}
    for column in obj.__table__.columns:
        value = getattr(obj, column.key)
        out[column.key] = value.isoformat() if isinstance(value, datetime) else value
    return out


def export_subscriber(session: Session, subscriber: Subscriber) -> dict[str, Any]:
    """Return every stored field about subscriber: the row, topics, tokens, answers, suppression, request log."""
    data = _row_dict(subscriber)
    data["topics"] = subscriber.topic_ids
    data["confirmation_tokens"] = [_row_dict(t) for t in session.scalars(
        select(ConfirmationToken).where(ConfirmationToken.subscriber_id == subscriber.id).order_by(ConfirmationToken.id))]
    data["answers"] = [_row_dict(a) for a in session.scalars(
        select(Answer).where(Answer.subscriber_id == subscriber.id).order_by(Answer.id))]
    suppression = session.get(Suppression, subscriber.address_hash)
    data["suppression"] = _row_dict(suppression) if suppression else None
    data["data_requests"] = [_row_dict(r) for r in session.scalars(
        select(DataRequest).where(DataRequest.address_hash == subscriber.address_hash).order_by(DataRequest.id))]
    return data


def export_all(session: Session) -> list[dict[str, Any]]:
    """Return export_subscriber() for every subscriber, by id."""
    return [export_subscriber(session, s) for s in session.scalars(select(Subscriber).order_by(Subscriber.id))]


def log_export(session: Session, subscriber: Subscriber, method: str, now: datetime) -> None:
    """Record that the subscriber's data was exported (PIPA 35조 request log)."""
    _log_request(session, subscriber.address_hash, "export", method, now)


def forget(session: Session, subscriber: Subscriber, *, reason: str = "forgotten", method: str = "cli",
           now: datetime) -> str:
    """Delete the subscriber's personal data for good, keeping only the keyed suppression hash; return it.

    Topics and tokens go with the row; answers stay as anonymous tallies.
    """
    digest = subscriber.address_hash
    _suppress_hash(session, digest, reason, now)
    _log_request(session, digest, "delete" if reason == "forgotten" else reason, method, now)
    session.execute(delete(ConfirmationToken).where(ConfirmationToken.subscriber_id == subscriber.id))
    for answer in session.scalars(select(Answer).where(Answer.subscriber_id == subscriber.id)):
        answer.subscriber_id = None
    session.delete(subscriber)
    session.flush()
    return digest


def find_subscriber(session: Session, address: str) -> Subscriber | None:
    """Return the subscriber with this address (normalised), or None."""
    try:
        normalised = check_address(address)
    except AddressError:
        return None
    return session.scalar(select(Subscriber).where(Subscriber.address == normalised))


def request_manage_link(session: Session, settings: SubscriptionSettings, secret: bytes, address: str,
                        now: datetime) -> SubscriberChange:
    """Mail a short-lived preferences link to a known address; do nothing otherwise (same page either way)."""
    subscriber = find_subscriber(session, address)
    if subscriber is None or subscriber.status not in (PENDING, SUBSCRIBED, UNSUBSCRIBED):
        return SubscriberChange()
    if not take_rate(session, "addr:" + subscriber.address_hash[:40], settings.per_address_mails_per_day,
                     timedelta(days=1), now):
        return SubscriberChange()
    url = manage_url(settings, secret, subscriber.id, now=now, hours=settings.manage_link_hours)
    return SubscriberChange(subscriber, [mails.manage_mail(settings, subscriber.address, subscriber.name, url, now)])


def stats(session: Session) -> dict[str, Any]:
    """Return counts by status, by topic, by consent method, plus suppressions and answers."""
    by_status = dict.fromkeys(STATUSES, 0) | dict(session.execute(
        select(Subscriber.status, func.count()).group_by(Subscriber.status)).all())
    by_topic = dict(session.execute(
        select(SubscriberTopic.topic, func.count()).join(Subscriber)
        .where(Subscriber.status == SUBSCRIBED).group_by(SubscriberTopic.topic)).all())
    by_method = dict(session.execute(
        select(Subscriber.consent_method, func.count()).where(Subscriber.status == SUBSCRIBED)
        .group_by(Subscriber.consent_method)).all())
    by_ad = dict(session.execute(
        select(Subscriber.ad_consent_version, func.count()).where(
            Subscriber.status == SUBSCRIBED, Subscriber.ad_consent_at.is_not(None))
        .group_by(Subscriber.ad_consent_version)).all())
    by_reason = dict(session.execute(select(Suppression.reason, func.count()).group_by(Suppression.reason)).all())
    return {
        "subscribers": by_status,
        "subscribed_by_topic": dict(sorted(by_topic.items())),
        "subscribed_by_consent_method": {str(k): v for k, v in sorted(by_method.items(), key=lambda kv: str(kv[0]))},
        "subscribed_with_ad_consent_by_version": {str(k): v for k, v in sorted(by_ad.items(), key=lambda kv: str(kv[0]))},
        "suppressions": dict(sorted(by_reason.items())),
        "answers": session.scalar(select(func.count()).select_from(Answer)),
    }
