"""Tables of the subscriber store, on the shared `db.Base` (the delivery and publish ledgers add theirs there)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..config import KST
from ..db import Base, UTCDateTime

PENDING, SUBSCRIBED, UNSUBSCRIBED, SUPPRESSED = "pending", "subscribed", "unsubscribed", "suppressed"
STATUSES = (PENDING, SUBSCRIBED, UNSUBSCRIBED, SUPPRESSED)


class Subscriber(Base):
    """One address on the list, with its consent record. Personal data: deleted by forget()."""

    __tablename__ = "subscribers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    address: Mapped[str] = mapped_column(String(254), unique=True)
    # keyed HMAC of the address, the same value suppressions use; lets SQL skip suppressed rows.
    address_hash: Mapped[str] = mapped_column(String(64), index=True)
    name: Mapped[str | None] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(16), index=True, default=PENDING)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # Consent record (PIPA 15조, 정보통신망법 50조): when, how, which text, when confirmed.
    consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    consent_method: Mapped[str | None] = mapped_column(String(100))
    consent_version: Mapped[str | None] = mapped_column(String(40))
    consent_source: Mapped[str | None] = mapped_column(String(300))
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    consent_notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reconsent_requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reconsented_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    withdrawal_method: Mapped[str | None] = mapped_column(String(100))
    # The separate, optional consent to advertising (정보통신망법 제50조): which notice text, and when.
    # Both None: no consent, and no issue marked is_advertising goes to this address.
    ad_consent_version: Mapped[str | None] = mapped_column(String(40))
    ad_consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    topics: Mapped[list["SubscriberTopic"]] = relationship(
        back_populates="subscriber", cascade="all, delete-orphan", lazy="selectin", order_by="SubscriberTopic.topic"
    )

    @property
    def topic_ids(self) -> list[str]:
        """The topics followed; an empty list means everything."""
        return [t.topic for t in self.topics]

    @property
    def consent_basis_at(self) -> datetime | None:
        """When the consent now in force was given or last renewed (drives re-consent)."""
        return self.reconsented_at or self.confirmed_at or self.consent_at

    @property
    def consent_date(self) -> str:
        """The consent date in KST as YYYY-MM-DD, for mail footers ("수신동의일")."""
        at = self.consent_basis_at
        return at.astimezone(KST).date().isoformat() if at else ""


class SubscriberTopic(Base):
    """A kind, series or agenda a subscriber follows, e.g. `kind:interview`."""

    __tablename__ = "subscriber_topics"

    subscriber_id: Mapped[int] = mapped_column(ForeignKey("subscribers.id", ondelete="CASCADE"), primary_key=True)
    topic: Mapped[str] = mapped_column(String(80), primary_key=True, index=True)
    subscriber: Mapped[Subscriber] = relationship(back_populates="topics")


class ConfirmationToken(Base):
    """A single-use confirmation (or re-consent) token, stored only as a keyed hash."""

    __tablename__ = "confirmation_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    subscriber_id: Mapped[int] = mapped_column(ForeignKey("subscribers.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(String(16))  # confirm | reconsent
    # what the form asked for (name, topics, consent version, source); applied only on confirmation,
    # so a stranger's signup cannot change a subscriber's record
    details: Mapped[str] = mapped_column(Text, default="{}")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Suppression(Base):
    """An address that must not be mailed: only a keyed hash, so it outlives deletion."""

    __tablename__ = "suppressions"

    address_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    reason: Mapped[str] = mapped_column(String(40))  # unsubscribed | forgotten | consent-expired | bounce | complaint | operator
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Answer(Base):
    """One answer to a newsletter's feedback question; one per subscriber per question."""

    __tablename__ = "answers"
    __table_args__ = (UniqueConstraint("subscriber_id", "question_id", name="uq_answer_once"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # SET NULL on deletion: the tally stays, the link to the person goes.
    subscriber_id: Mapped[int | None] = mapped_column(ForeignKey("subscribers.id", ondelete="SET NULL"))
    issue_id: Mapped[str] = mapped_column(String(80), index=True)
    question_id: Mapped[str] = mapped_column(String(80), index=True)
    answer_index: Mapped[int] = mapped_column(Integer)
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Question(Base):
    """A feedback question's wording, registered by the newsletter module so the answer page can show it."""

    __tablename__ = "questions"

    question_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    issue_id: Mapped[str] = mapped_column(String(80))
    text: Mapped[str] = mapped_column(Text)
    choices: Mapped[str] = mapped_column(Text)  # JSON list of strings


class DataRequest(Base):
    """Log of data-subject requests (export, delete, unsubscribe) keyed by the address hash."""

    __tablename__ = "data_requests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    address_hash: Mapped[str] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    method: Mapped[str] = mapped_column(String(40))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime())
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class RateHit(Base):
    """One counted event for rate limiting (keyed hash of an address or IP); pruned daily."""

    __tablename__ = "rate_hits"
    __table_args__ = (Index("ix_rate_hits_key_at", "key", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(80))
    at: Mapped[datetime] = mapped_column(UTCDateTime())


SUBSCRIBER_TABLES = [
    Subscriber.__table__, SubscriberTopic.__table__, ConfirmationToken.__table__, Suppression.__table__,
    Answer.__table__, Question.__table__, DataRequest.__table__, RateHit.__table__,
]
