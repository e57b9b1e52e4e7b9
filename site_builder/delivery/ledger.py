"""The delivery ledger: one row per (issue, subscriber), in the subscribers database.

A row is `sending` (committed) before its SMTP transaction starts and `sent` after the server's 250.
A process that dies in between leaves `sending` rows, which the next run reports as `unknown`
instead of sending them again. Rows hold the subscriber id, never the address, so deleting a
subscriber (PIPA 36조) leaves no personal data here.
"""

from __future__ import annotations

import socket
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import (
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    exists,
    func,
    select,
    update,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from ..runs import pid_alive, runner_name
from ..config import KST
from ..db import Base, Store, UTCDateTime, apply_migrations, create_tables
from ..subscribers import SUBSCRIBED, Subscriber, Suppression, iter_recipients

QUEUED, SENDING, SENT, FAILED, DEFERRED, UNKNOWN, SKIPPED = (
    "queued", "sending", "sent", "failed", "deferred", "unknown", "skipped")
STATES = (QUEUED, SENDING, SENT, FAILED, DEFERRED, UNKNOWN, SKIPPED)
# issue states
READY, RUNNING, WAITING, PAUSED, DONE = "ready", "running", "waiting", "paused", "done"

LEASE_STALE = timedelta(minutes=2)


class DeliveryIssue(Base):
    """One issue's delivery: its snapshot, proof, lease and pause state."""

    __tablename__ = "delivery_issues"

    issue_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), default="")
    subject: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(String(16), default=READY)
    content_hash: Mapped[str | None] = mapped_column(String(64))
    total: Mapped[int] = mapped_column(Integer, default=0)
    proof_hash: Mapped[str | None] = mapped_column(String(64))
    proofed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    paused_reason: Mapped[str | None] = mapped_column(Text)
    runner: Mapped[str | None] = mapped_column(String(200))
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    snapshot_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Delivery(Base):
    """One recipient of one issue and what became of the message."""

    __tablename__ = "deliveries"
    __table_args__ = (
        UniqueConstraint("issue_id", "subscriber_id", name="uq_delivery_once"),
        Index("ix_deliveries_issue_state", "issue_id", "state", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    issue_id: Mapped[str] = mapped_column(String(40))
    # no foreign key: forget() deletes the subscriber, the ledger keeps only the number
    subscriber_id: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(16), default=QUEUED)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    message_id: Mapped[str | None] = mapped_column(String(200))
    reply: Mapped[str | None] = mapped_column(Text)


LEDGER_TABLES = [DeliveryIssue.__table__, Delivery.__table__]


# Append only: each step runs once per database.
DELIVERY_MIGRATIONS = [create_tables(*LEDGER_TABLES)]


class LeaseError(RuntimeError):
    """Another process is sending this issue."""


def open_ledger(store: Store) -> Store:
    """Create or migrate the ledger tables in the store's database; return the store."""
    apply_migrations(store.engine, "delivery", DELIVERY_MIGRATIONS)
    return store


def utcnow() -> datetime:
    return datetime.now(timezone.utc)




def _lease_free(row: DeliveryIssue, me: str, now: datetime) -> bool:
    if not row.runner or row.runner == me:
        return True
    host, _, pid = row.runner.rpartition(":")
    if host == socket.gethostname() and pid.isdigit():
        return not pid_alive(int(pid))
    return row.heartbeat_at is None or now - row.heartbeat_at > LEASE_STALE


def get_issue(session: Session, issue_id: str) -> DeliveryIssue | None:
    return session.get(DeliveryIssue, str(issue_id))


def ensure_issue(session: Session, issue_id: str, slug: str, subject: str, now: datetime) -> DeliveryIssue:
    """Return the issue's row, creating it (state ready, no snapshot) if new."""
    row = session.get(DeliveryIssue, str(issue_id))
    if row is None:
        row = DeliveryIssue(issue_id=str(issue_id), slug=slug, subject=subject, state=READY, total=0, updated_at=now)
        session.add(row)
        session.flush()
    return row


def take_lease(store: Store, issue_id: str, now: datetime, me: str | None = None) -> str:
    """Claim the right to send issue_id for this process; raise LeaseError if a live process holds it."""
    me = me or runner_name()
    with store.writing(), store.session() as s, s.begin():
        row = s.get(DeliveryIssue, str(issue_id))
        if not _lease_free(row, me, now):
            raise LeaseError(f"제{issue_id}호는 {row.runner}이(가) 보내고 있습니다 (마지막 신호 "
                             f"{row.heartbeat_at:%Y-%m-%d %H:%M:%S} UTC) — 끝나기를 기다리거나 그 프로세스를 멈추세요")
        row.runner, row.heartbeat_at = me, now
    return me


def release_lease(store: Store, issue_id: str, me: str) -> None:
    with store.writing(), store.session() as s, s.begin():
        row = s.get(DeliveryIssue, str(issue_id))
        if row is not None and row.runner == me:
            row.runner = None


def snapshot(store: Store, issue_id: str, topics: Iterable[str] | None, now: datetime, batch: int = 2000, *,
             advertising: bool = False) -> int:
    """Freeze the recipients (subscribed, following a topic, not suppressed; for an advertising issue only
    those with the advertising consent) into queued rows; return how many.

    Runs once per issue; the rows are inserted in batches so memory stays flat as the list grows."""
    table = Delivery.__table__
    total = 0
    with store.writing(), store.session() as s, s.begin():
        row = s.get(DeliveryIssue, str(issue_id))
        if row.snapshot_at is not None:
            return row.total
        pending: list[dict] = []
        reader = store.session()
        try:
            for sub in iter_recipients(reader, topics, advertising=advertising):
                pending.append({"issue_id": str(issue_id), "subscriber_id": sub.id, "state": QUEUED,
                                "attempts": 0, "updated_at": now})
                if len(pending) >= batch:
                    s.execute(table.insert(), pending)
                    total += len(pending)
                    pending = []
        finally:
            reader.close()
        if pending:
            s.execute(table.insert(), pending)
            total += len(pending)
        row.snapshot_at, row.total, row.updated_at = now, total, now
    return total


def recover(store: Store, issue_id: str, now: datetime, delivered: "callable | None" = None) -> tuple[int, int]:
    """Turn `sending` rows left by a dead process into `unknown` (or `sent` when delivered(message_id) says
    the outbox has the message); return (unknown, confirmed)."""
    table = Delivery.__table__
    unknown = confirmed = 0
    with store.writing(), store.session() as s, s.begin():
        rows = s.execute(select(table.c.id, table.c.message_id).where(
            table.c.issue_id == str(issue_id), table.c.state == SENDING)).all()
        for row_id, message_id in rows:
            if delivered is not None and message_id and delivered(message_id):
                s.execute(update(table).where(table.c.id == row_id).values(
                    state=SENT, sent_at=now, updated_at=now, reply="중단 뒤 보관함에서 찾음"))
                confirmed += 1
            else:
                s.execute(update(table).where(table.c.id == row_id).values(
                    state=UNKNOWN, updated_at=now,
                    reply="이 메일의 SMTP 전송 중에 보내는 쪽이 멈췄습니다: 전달됐는지 알 수 없습니다 "
                          "(다시 보내려면 --retry-unknown)"))
                unknown += 1
    return unknown, confirmed


def requeue_unknown(store: Store, issue_id: str, now: datetime) -> int:
    """Queue `unknown` rows again (the operator chose --retry-unknown); return how many."""
    table = Delivery.__table__
    with store.writing(), store.session() as s, s.begin():
        return s.execute(update(table).where(table.c.issue_id == str(issue_id), table.c.state == UNKNOWN)
                         .values(state=QUEUED, next_at=None, updated_at=now)).rowcount


@dataclass(frozen=True)
class Claim:
    """A row claimed for sending, with the subscriber's personal parts read at claim time."""

    delivery_id: int
    subscriber_id: int
    address: str
    name: str | None
    consent_date: date | None
    attempts: int


@dataclass(frozen=True)
class ClaimResult:
    """What became of one claimed row (the engine's workers report these)."""

    delivery_id: int
    state: str                 # sent | deferred | failed | unknown | queued (handed back unattempted)
    reply: str = ""
    next_at: datetime | None = None
    suppress_address: str | None = None   # 5.1.x: put on the suppression list


_consent = func.coalesce(Subscriber.reconsented_at, Subscriber.confirmed_at, Subscriber.consent_at)
_suppressed = exists().where(Suppression.address_hash == Subscriber.address_hash)


def _claimable(issue_id: str, state: str, limit: int, now: datetime | None = None):
    """Due rows of one state with the subscriber's state read now: an index range scan on (issue, state, id)."""
    table = Delivery.__table__
    query = (select(table.c.id, table.c.subscriber_id, table.c.attempts, Subscriber.address, Subscriber.name,
                    Subscriber.status, _suppressed.label("suppressed"), _consent.label("consent"),
                    Subscriber.ad_consent_at.label("ad_consent"))
             .select_from(table.outerjoin(Subscriber, Subscriber.id == table.c.subscriber_id))
             .where(table.c.issue_id == issue_id, table.c.state == state))
    if now is not None:
        query = query.where(table.c.next_at <= now)
    return query.order_by(table.c.id).limit(limit)


class _Writes:
    """The ledger's per-row writes as driver-level executemany: one SQL string, one tuple per row.

    A claim or a finished batch is tens of rows; SQLAlchemy's per-row parameter processing (the
    UTC datetime type on every row) cost more than SQLite's work, so times are converted once per
    transaction and the rows go to the driver as they are."""

    def __init__(self, session: Session):
        self.conn = session.connection()
        dialect = self.conn.dialect
        mark = {"qmark": "?", "numeric": "?", "named": "?"}.get(dialect.paramstyle, "%s")
        self.mark = mark
        self._time = Delivery.__table__.c.updated_at.type.bind_processor(dialect) or (lambda v: v)

    def time(self, value: datetime | None):
        return None if value is None else self._time(value)

    def many(self, sql: str, rows: list[tuple]) -> int:
        """Run sql (with ? for parameters) once per row; return how many rows it changed."""
        if not rows:
            return 0
        sql = sql.replace("?", self.mark) if self.mark != "?" else sql
        result = self.conn.exec_driver_sql(sql, rows if len(rows) > 1 else rows[0])
        return result.rowcount


_FINISH = {
    # state: (SET clause, whether the row carries next_at)
    SENT: ("state = 'sent', reply = ?, updated_at = ?, sent_at = ?", False),
    DEFERRED: ("state = 'deferred', reply = ?, updated_at = ?, next_at = ?", True),
    QUEUED: ("state = 'queued', reply = ?, updated_at = ?, attempts = attempts - 1", False),
    FAILED: ("state = 'failed', reply = ?, updated_at = ?", False),
    UNKNOWN: ("state = 'unknown', reply = ?, updated_at = ?", False),
}


def apply_and_claim(session: Session, issue_id: str, outcomes: Sequence[ClaimResult], want: int, now: datetime,
                    message_id_of, *, secret: bytes, suppress, advertising: bool = False) -> list[Claim]:
    """In the caller's transaction: record outcomes, then claim up to `want` due rows as `sending`.

    Rows whose subscriber has since unsubscribed, been suppressed or deleted, or (for an advertising issue)
    withdrawn the advertising consent, become `skipped` instead: the subscriber's status, consent and the
    suppression list are read in this transaction."""
    issue_id = str(issue_id)
    w = _Writes(session)
    at = w.time(now)
    # one executemany per kind of outcome; only a `sending` row can finish
    groups: dict[str, list[tuple]] = {}
    for o in outcomes:
        if o.state not in _FINISH:
            raise ValueError(f"delivery {o.delivery_id}: cannot record outcome state {o.state!r}")
        sets, has_next = _FINISH[o.state]
        row = (o.reply[:2000], at, w.time(o.next_at) if has_next else at, o.delivery_id)
        groups.setdefault(o.state, []).append(row if has_next or o.state == SENT else row[:2] + row[3:])
    for state, rows in groups.items():
        w.many(f"UPDATE deliveries SET {_FINISH[state][0]} WHERE id = ? AND state = 'sending'", rows)
    for o in outcomes:
        if o.suppress_address:
            suppress(session, o.suppress_address, "bounce", secret=secret, now=now)
    claims: list[Claim] = []
    conn = w.conn
    while want > 0:
        rows = conn.execute(_claimable(issue_id, QUEUED, want)).all()
        if len(rows) < want:
            rows += conn.execute(_claimable(issue_id, DEFERRED, want - len(rows), now)).all()
        if not rows:
            break
        skip, take = [], []
        for row in rows:
            no_ad = advertising and row.ad_consent is None
            if row.address is None or row.status != SUBSCRIBED or row.suppressed or no_ad:
                reason = ("구독 정보가 삭제됨" if row.address is None else
                          "발송 중지 목록에 있음" if row.suppressed else
                          f"구독자 상태가 {row.status}" if row.status != SUBSCRIBED else
                          "광고성 정보 수신 동의가 없는 광고 호")
                skip.append((f"보내지 않음: {reason} (보내기 직전에 확인)", at, row.id))
            else:
                take.append(row)
        w.many("UPDATE deliveries SET state = 'skipped', reply = ?, updated_at = ? WHERE id = ?", skip)
        if take:
            done = w.many("UPDATE deliveries SET state = 'sending', attempts = attempts + 1, claimed_at = ?, "
                          "updated_at = ?, message_id = ? WHERE id = ? AND state IN ('queued', 'deferred')",
                          [(at, at, message_id_of(row.subscriber_id), row.id) for row in take])
            if done != len(take):
                # another process claimed some of these: keep only the rows now ours
                table = Delivery.__table__
                mine = set(conn.execute(select(table.c.id).where(
                    table.c.id.in_([r.id for r in take]), table.c.state == SENDING,
                    table.c.claimed_at == now)).scalars())
                take = [r for r in take if r.id in mine]
        for row in take:
            consent = row.consent
            if consent is not None:
                if consent.tzinfo is None:
                    consent = consent.replace(tzinfo=timezone.utc)
                consent = consent.astimezone(KST).date()
            claims.append(Claim(row.id, row.subscriber_id, row.address, row.name, consent, row.attempts + 1))
            want -= 1
    return claims


def counts(session: Session, issue_id: str) -> dict[str, int]:
    """Return how many rows of the issue are in each state (every state present, zero or not)."""
    table = Delivery.__table__
    found = dict(session.execute(select(table.c.state, func.count()).where(table.c.issue_id == str(issue_id))
                                 .group_by(table.c.state)).all())
    return {state: int(found.get(state, 0)) for state in STATES}


def next_retry(session: Session, issue_id: str) -> datetime | None:
    """Return when the earliest deferred row is due, or None."""
    table = Delivery.__table__
    return session.scalar(select(func.min(table.c.next_at)).where(
        table.c.issue_id == str(issue_id), table.c.state == DEFERRED))


def rows_in(session: Session, issue_id: str, state: str, limit: int = 50) -> list[tuple[int, str | None, str]]:
    """Return (subscriber id, address or None, reply) of up to limit rows in a state, for the operator."""
    table = Delivery.__table__
    return [tuple(r) for r in session.execute(
        select(table.c.subscriber_id, Subscriber.address, table.c.reply)
        .select_from(table.outerjoin(Subscriber, Subscriber.id == table.c.subscriber_id))
        .where(table.c.issue_id == str(issue_id), table.c.state == state).order_by(table.c.id).limit(limit)).all()]


__all__ = [
    "DEFERRED", "DONE", "FAILED", "PAUSED", "QUEUED", "READY", "RUNNING", "SENDING", "SENT", "SKIPPED", "STATES",
    "UNKNOWN", "WAITING", "Claim", "Delivery", "DeliveryIssue", "LeaseError", "ClaimResult", "apply_and_claim",
    "counts", "ensure_issue", "get_issue", "next_retry", "open_ledger", "recover", "release_lease",
    "requeue_unknown", "rows_in", "snapshot", "take_lease", "utcnow",
]
