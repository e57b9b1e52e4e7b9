"""The publish ledger: one row per (article, channel, account), in the shared database.

Invariants (the runner and the CLI keep them; tests hold the code to them):

- A row is `pending` (committed) **before** the network request of an attempt, and becomes `sent`
  with the remote id and URL after the network confirmed it. A process that dies in between leaves
  `pending` with its runner name; the next run asks the network (`Channel.reconcile`) before it
  posts anything new.
- Claiming is compare-and-set: one `UPDATE ... WHERE state IN (claimable)` statement, the first of
  its transaction, so SQLite's writer lock (or PostgreSQL's row lock) lets exactly one process win.
  A second run that loses the claim posts nothing for that row.
- `UNIQUE(article_id, channel, account)`: there is never a second row to post from.
- Rows are never deleted or pruned. `attempts` counts network attempts; after MAX_ATTEMPTS the row
  is `gave_up` and an editor is told.

States: planned (known, not tried yet or waiting for its live check), pending (an attempt is in
flight, or was interrupted), sent, failed (retryable when `next_retry_at` is set; final otherwise
until the content changes), gave_up, manual_pending (a kit waits for a person), manual_done (the
person recorded the URL), unknown (an interrupted attempt the network cannot confirm: a person checks).
"""

from __future__ import annotations

import socket
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import Index, Integer, String, Text, UniqueConstraint, and_, func, or_, select, update
from sqlalchemy.orm import Mapped, mapped_column

from ..runs import pid_alive, runner_name
from ..config import KST
from ..db import Base, Store, UTCDateTime, apply_migrations, create_tables
from ..subscribers import open_store

PLANNED, PENDING, SENT, FAILED, GAVE_UP = "planned", "pending", "sent", "failed", "gave_up"
MANUAL_PENDING, MANUAL_DONE, UNKNOWN = "manual_pending", "manual_done", "unknown"
STATES = (PLANNED, PENDING, SENT, FAILED, GAVE_UP, MANUAL_PENDING, MANUAL_DONE, UNKNOWN)
DONE_STATES = (SENT, MANUAL_DONE)
MAX_ATTEMPTS = 5
# A pending row of a runner on another host whose heartbeat is older than this is considered abandoned.
STALE_AFTER = timedelta(minutes=10)

STATE_LABELS = {
    PLANNED: "예정", PENDING: "게시 중", SENT: "완료", FAILED: "실패", GAVE_UP: "포기(5회 실패)",
    MANUAL_PENDING: "사람 손 기다림(키트)", MANUAL_DONE: "완료(수동)", UNKNOWN: "확인 필요",
}


class PublishRecord(Base):
    """One article on one channel account and what became of it."""

    __tablename__ = "publish_records"
    __table_args__ = (
        UniqueConstraint("article_id", "channel", "account", name="uq_publish_once"),
        Index("ix_publish_channel_state", "channel", "account", "state"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[str] = mapped_column(String(200))
    channel: Mapped[str] = mapped_column(String(40))
    account: Mapped[str] = mapped_column(String(80))
    state: Mapped[str] = mapped_column(String(16), default=PLANNED)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_retry_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    idempotency_key: Mapped[str] = mapped_column(String(80))
    record_key: Mapped[str] = mapped_column(String(80), default="")
    remote_id: Mapped[str | None] = mapped_column(String(300))
    remote_url: Mapped[str | None] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64), default="")
    error: Mapped[str | None] = mapped_column(Text)
    runner: Mapped[str | None] = mapped_column(String(200))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    manual_since: Mapped[datetime | None] = mapped_column(UTCDateTime())


PUBLISH_TABLES = [PublishRecord.__table__]


# Append only: each step runs once per database.
PUBLISH_MIGRATIONS = [create_tables(*PUBLISH_TABLES)]




def runner_alive(runner: str | None, heartbeat: datetime | None, now: datetime) -> bool:
    """Is the run that claimed a row still running? Same host: its pid; other hosts: a fresh claim."""
    if not runner:
        return False
    host, _, pid = runner.rpartition(":")
    if host == socket.gethostname() and pid.isdigit():
        return pid_alive(int(pid))
    return heartbeat is not None and now - heartbeat < STALE_AFTER


def make_record_key(now: datetime, salt: int = 0) -> str:
    """Return an AT Protocol TID (13 base32-sortable characters) for `now`: a valid Bluesky record key.

    Chosen once when the row is created and kept, so `reconcile` can `getRecord` it later."""
    alphabet = "234567abcdefghijklmnopqrstuvwxyz"
    micros = int(now.timestamp() * 1_000_000)
    value = (micros << 10) | (salt & 0x3FF)
    value &= (1 << 63) - 1
    out = []
    for _ in range(13):
        out.append(alphabet[value & 31])
        value >>= 5
    return "".join(reversed(out))


def make_idempotency_key(article_id: str, channel: str, account: str) -> str:
    """Return the stable idempotency key of a row (same for every attempt of it)."""
    import hashlib

    digest = hashlib.sha256(f"{article_id}\0{channel}\0{account}".encode()).hexdigest()
    return f"yours-{digest[:32]}"


@dataclass(frozen=True)
class Row:
    """A snapshot of one ledger row (plain values; safe to keep after the session closes)."""

    id: int
    article_id: str
    channel: str
    account: str
    state: str
    attempts: int
    next_retry_at: datetime | None
    idempotency_key: str
    record_key: str
    remote_id: str | None
    remote_url: str | None
    content_hash: str
    error: str | None
    runner: str | None
    claimed_at: datetime | None
    created_at: datetime
    updated_at: datetime
    sent_at: datetime | None
    manual_since: datetime | None

    @property
    def label(self) -> str:
        return STATE_LABELS.get(self.state, self.state)


def _row(record: PublishRecord) -> Row:
    return Row(**{name: getattr(record, name) for name in Row.__dataclass_fields__})


class Ledger:
    """The publish ledger's operations. Every write is one short transaction.

    Public API (used by the runner, the CLI and the kits):
    `ensure`, `get`, `rows_for`, `all_rows`, `claim`, `mark_sent`, `mark_failed`, `release`,
    `mark_unknown`, `mark_manual_pending`, `mark_manual_done`, `reset`, `stale_pending`, `sent_today`.
    Kits: `rows_for(states=[MANUAL_PENDING])` lists the posts whose kit waits for a person.
    """

    def __init__(self, store: Store, *, now=None):
        self.store = store
        self.now = now or (lambda: datetime.now(timezone.utc))
        self.me = runner_name()

    # -- reading ---------------------------------------------------------------------------------

    def get(self, article_id: str, channel: str, account: str) -> Row | None:
        """Return the row of (article, channel, account), or None."""
        with self.store.session() as s:
            rec = s.scalar(select(PublishRecord).where(
                PublishRecord.article_id == article_id, PublishRecord.channel == channel,
                PublishRecord.account == account))
            return _row(rec) if rec else None

    def rows_for(self, article_id: str | None = None, *, channel: str | None = None,
                 states: Iterable[str] | None = None) -> list[Row]:
        """Return rows (of one article, one channel, some states), ordered by article then channel."""
        stmt = select(PublishRecord)
        if article_id is not None:
            stmt = stmt.where(PublishRecord.article_id == article_id)
        if channel is not None:
            stmt = stmt.where(PublishRecord.channel == channel)
        if states is not None:
            stmt = stmt.where(PublishRecord.state.in_(list(states)))
        stmt = stmt.order_by(PublishRecord.article_id, PublishRecord.channel, PublishRecord.account)
        with self.store.session() as s:
            return [_row(r) for r in s.scalars(stmt)]

    def all_rows(self) -> list[Row]:
        """Return every row."""
        return self.rows_for()

    def stale_pending(self) -> list[Row]:
        """Return pending rows whose run is gone (interrupted attempts to reconcile)."""
        now = self.now()
        return [r for r in self.rows_for(states=[PENDING])
                if not runner_alive(r.runner, r.claimed_at, now)]

    def sent_today(self, channel: str, account: str, *, tz=KST) -> int:
        """Return how many posts went out on channel/account since midnight (Seoul time)."""
        now = self.now().astimezone(tz)
        midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
        with self.store.session() as s:
            return int(s.scalar(select(func.count()).select_from(PublishRecord).where(
                PublishRecord.channel == channel, PublishRecord.account == account,
                PublishRecord.state == SENT, PublishRecord.sent_at >= midnight)) or 0)

    # -- writing ---------------------------------------------------------------------------------

    def ensure(self, article_id: str, channel: str, account: str, *, content_hash: str = "") -> Row:
        """Create the row as `planned` if missing (concurrent callers: one insert wins); return it."""
        existing = self.get(article_id, channel, account)
        if existing:
            return existing
        now = self.now()
        values = dict(article_id=article_id, channel=channel, account=account, state=PLANNED, attempts=0,
                      idempotency_key=make_idempotency_key(article_id, channel, account),
                      record_key=make_record_key(now, hash((article_id, channel, account))),
                      content_hash=content_hash, created_at=now, updated_at=now)
        with self.store.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                from sqlalchemy.dialects.postgresql import insert
            else:
                from sqlalchemy.dialects.sqlite import insert
            conn.execute(insert(PublishRecord).values(**values).on_conflict_do_nothing(
                index_elements=["article_id", "channel", "account"]))
        row = self.get(article_id, channel, account)
        assert row is not None
        return row

    def _cas(self, row_id: int, expected: Iterable[str], **values) -> bool:
        values.setdefault("updated_at", self.now())
        with self.store.engine.begin() as conn:
            result = conn.execute(update(PublishRecord).where(
                PublishRecord.id == row_id, PublishRecord.state.in_(list(expected))).values(**values))
            return result.rowcount == 1

    def claim(self, row: Row, *, content_hash: str = "") -> Row | None:
        """Make the row `pending` for this run and count an attempt; None if another run got it first.

        Claimable: planned; failed whose next_retry_at has come (or, for a final failure, whose
        content changed). Committed before the caller makes its request."""
        now = self.now()
        due = or_(PublishRecord.next_retry_at.is_(None), PublishRecord.next_retry_at <= now)
        with self.store.engine.begin() as conn:
            result = conn.execute(update(PublishRecord).where(
                PublishRecord.id == row.id,
                or_(PublishRecord.state == PLANNED, and_(PublishRecord.state == FAILED, due)),
                PublishRecord.attempts == row.attempts,
            ).values(state=PENDING, runner=self.me, claimed_at=now, updated_at=now,
                     attempts=PublishRecord.attempts + 1, content_hash=content_hash or row.content_hash))
            if result.rowcount != 1:
                return None
        return self.get(row.article_id, row.channel, row.account)

    def take_over(self, row: Row) -> Row | None:
        """Claim an abandoned pending row for reconciling (no attempt counted); None if someone else did."""
        with self.store.engine.begin() as conn:
            result = conn.execute(update(PublishRecord).where(
                PublishRecord.id == row.id, PublishRecord.state == PENDING,
                PublishRecord.runner.is_(row.runner) if row.runner is None else PublishRecord.runner == row.runner,
            ).values(runner=self.me, claimed_at=self.now(), updated_at=self.now()))
            if result.rowcount != 1:
                return None
        return self.get(row.article_id, row.channel, row.account)

    def mark_sent(self, row: Row, remote_id: str, remote_url: str) -> bool:
        """Record the network's confirmation (from pending, or importing a known URL from planned/failed)."""
        now = self.now()
        return self._cas(row.id, (PENDING, PLANNED, FAILED, UNKNOWN), state=SENT, remote_id=remote_id,
                         remote_url=remote_url, sent_at=now, error=None, next_retry_at=None, runner=None)

    def mark_failed(self, row: Row, error: str, *, next_retry_at: datetime | None = None,
                    count_attempt: bool = True) -> Row:
        """Record a failed attempt: failed (retry at next_retry_at, or final when None), or gave_up
        when the attempts are used up. `count_attempt=False` gives the attempt back (auth failures:
        the request never reached the network's posting code)."""
        current = self.get(row.article_id, row.channel, row.account)
        assert current is not None
        attempts = current.attempts if count_attempt else max(0, current.attempts - 1)
        state = GAVE_UP if attempts >= MAX_ATTEMPTS and next_retry_at is not None else FAILED
        self._cas(row.id, (PENDING, PLANNED, FAILED), state=state, error=error, attempts=attempts,
                  next_retry_at=None if state == GAVE_UP else next_retry_at, runner=None)
        return self.get(row.article_id, row.channel, row.account)  # type: ignore[return-value]

    def mark_invalid(self, row: Row, error: str, content_hash: str) -> None:
        """The draft fails the network's rules: failed for good until the content (its hash) changes."""
        self._cas(row.id, (PLANNED, FAILED), state=FAILED, error=error, next_retry_at=None,
                  content_hash=content_hash)

    def count_retry(self, row: Row) -> Row:
        """Count one more attempt of a row this run holds (an immediate retry within the run)."""
        self._cas(row.id, (PENDING,), attempts=PublishRecord.attempts + 1, claimed_at=self.now())
        return self.get(row.article_id, row.channel, row.account)  # type: ignore[return-value]

    def note(self, row: Row, error: str) -> None:
        """Record why a planned row waits (live check, daily cap), without changing its state."""
        self._cas(row.id, (PLANNED,), error=error)

    def release(self, row: Row, *, error: str | None = None, give_back_attempt: bool = False) -> bool:
        """Return a pending row to planned (the attempt certainly did not land)."""
        values: dict = dict(state=PLANNED, runner=None, error=error)
        if give_back_attempt:
            values["attempts"] = PublishRecord.attempts - 1
        return self._cas(row.id, (PENDING,), **values)

    def abandon(self, row: Row, error: str) -> bool:
        """Leave a pending row for the next run to reconcile (an unexpected error mid-attempt)."""
        return self._cas(row.id, (PENDING,), runner=None, error=error)

    def mark_unknown(self, row: Row, error: str) -> bool:
        """The network cannot tell whether the interrupted attempt landed: a person must check."""
        return self._cas(row.id, (PENDING,), state=UNKNOWN, runner=None, error=error)

    def mark_manual_pending(self, row: Row, *, content_hash: str = "") -> bool:
        """A kit is ready: the post waits for a person (from planned only)."""
        return self._cas(row.id, (PLANNED,), state=MANUAL_PENDING, manual_since=self.now(),
                         content_hash=content_hash or row.content_hash, error=None)

    def mark_manual_done(self, article_id: str, channel: str, account: str, url: str) -> Row:
        """Record the URL a person published at (creates the row if the run never saw it).

        A row already sent keeps the network's URL, and a pending row (a run is posting it) is left
        alone: the returned row's state says which happened."""
        row = self.ensure(article_id, channel, account)
        self._cas(row.id, (PLANNED, MANUAL_PENDING, FAILED, UNKNOWN, GAVE_UP, MANUAL_DONE),
                  state=MANUAL_DONE, remote_url=url, sent_at=row.sent_at or self.now(), error=None,
                  next_retry_at=None, runner=None)
        return self.get(article_id, channel, account)  # type: ignore[return-value]

    def reset(self, article_id: str, channel: str, account: str, *, reason: str) -> Row | None:
        """A person decided the post did not go out (unknown, gave_up, failed): make it planned again
        with fresh attempts. Refused (None) for sent, manual_done and pending rows."""
        row = self.get(article_id, channel, account)
        if row is None:
            return None
        done = self._cas(row.id, (UNKNOWN, GAVE_UP, FAILED, MANUAL_PENDING), state=PLANNED, attempts=0,
                         next_retry_at=None, error=reason, runner=None, manual_since=None)
        return self.get(article_id, channel, account) if done else None


def open_ledger(store_or_url: Store | str, *, now=None) -> Ledger:
    """Open (creating or migrating the tables of) the publish ledger in the shared database.

    `now` is the clock (aware datetimes) used for every timestamp and for `next_retry_at` checks."""
    store = open_store(store_or_url) if isinstance(store_or_url, str) else store_or_url
    apply_migrations(store.engine, "publish", PUBLISH_MIGRATIONS)
    return Ledger(store, now=now)

