"""Sending one issue: a dispatcher thread that owns the ledger, and sender threads that own connections.

The dispatcher records finished batches and claims the next ones for idle senders in one transaction
(group commit): a sender is handed at most `batch` rows at a time, all committed `sending` before it
starts the first SMTP transaction, and reports their outcomes together when it has tried them all.
So at most connections × batch rows are ever in flight, and that is what a crash can leave `unknown`.
Senders build, sign and send; they never write to the database.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from ..db import Store
from ..subscribers import suppress_address
from . import ledger
from .compose import ComposeError, Composer, Recipient
from .policy import DEFAULT_BATCH, RetryPolicy
from .ledger import (
    DEFERRED,
    DONE,
    FAILED,
    PAUSED,
    QUEUED,
    RUNNING,
    SENT,
    UNKNOWN,
    WAITING,
    Claim,
    ClaimResult,
    utcnow,
)
from ..mail import AMBIGUOUS, BOUNCE, DEFER, FAIL, POLICY, RETRY, Transport
from ..mail import SENT as REPLY_SENT


class Clock:
    """The time the retry schedule and the cut-off are read from, and the waits for retries.

    The engine never reads the wall clock itself: tests pass a clock that moves only when waited on,
    so a schedule of retries, a 72-hour cut-off and the rate limit run the same on a fast or a loaded
    machine. (This clock is the real one: it paces a real relay.)"""

    def now(self) -> datetime:
        """Return the current time (UTC)."""
        return utcnow()

    def wait(self, stop: threading.Event, seconds: float) -> bool:
        """Wait up to `seconds`; return True if `stop` was set meanwhile."""
        return stop.wait(seconds)


class DeliveryError(RuntimeError):
    """An operator-facing refusal: names the issue and what to do."""


@dataclass
class SendReport:
    """What a run did and where the issue stands."""

    issue_id: str
    state: str
    counts: dict[str, int]
    sent_now: int = 0
    snapshot: int = 0
    recovered_unknown: int = 0
    recovered_sent: int = 0
    requeued_unknown: int = 0
    paused_reason: str | None = None
    next_retry: datetime | None = None
    elapsed: float = 0.0
    connections_opened: int = 0
    events: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.sent_now / self.elapsed if self.elapsed > 0 else 0.0


class _Bucket:
    """Token bucket: `rate` messages per second on average, bursts of at most `burst`, on the clock."""

    def __init__(self, rate: float, burst: int, clock: Clock):
        self.rate, self.burst, self.clock = rate, max(1, burst), clock
        self.tokens = float(self.burst)
        self.at = clock.now()

    def available(self) -> int:
        if self.rate <= 0:
            return 1 << 30
        now = self.clock.now()
        self.tokens = min(self.burst, self.tokens + (now - self.at).total_seconds() * self.rate)
        self.at = now
        return int(self.tokens)

    def take(self, n: int) -> None:
        if self.rate > 0:
            self.tokens -= n

    def wait_time(self) -> float:
        return 0.0 if self.rate <= 0 else max(0.001, (1 - self.tokens) / self.rate)


class _Sender(threading.Thread):
    """Owns one connection; turns a batch of claims into a batch of outcomes."""

    def __init__(self, index: int, connection, composer: Composer, results: queue.Queue, policy: RetryPolicy,
                 deadline: datetime, stop: threading.Event, halt: threading.Event, clock: Clock):
        super().__init__(name=f"sender-{index}", daemon=True)
        self.connection, self.composer, self.results = connection, composer, results
        self.policy, self.deadline, self.stop, self.halt = policy, deadline, stop, halt
        self.clock = clock
        self.inbox: queue.Queue = queue.Queue(maxsize=1)

    def run(self) -> None:
        while True:
            claims = self.inbox.get()
            if claims is None:
                break
            self.results.put((self, *self.deliver_batch(claims)))
        try:
            self.connection.close()
        except Exception:
            pass

    def deliver_batch(self, claims: list[Claim]) -> tuple[list[ClaimResult], str | None]:
        """Send each claimed row in turn; return the outcomes (one per claim) and a policy refusal, if any.

        After a stop, a pause (here or in another sender) or an unreachable relay, the rest of the batch
        is not attempted: handed back `queued`, or deferred when the relay cannot be reached."""
        outcomes: list[ClaimResult] = []
        pause: str | None = None
        unreachable: str | None = None
        for claim in claims:
            if self.stop.is_set() or self.halt.is_set():
                outcomes.append(ClaimResult(claim.delivery_id, QUEUED, "시도하지 않고 되돌림: 실행이 멈췄습니다"))
                continue
            if unreachable:
                outcomes.append(self._later(claim, f"시도하지 않음: {unreachable}"))
                continue
            try:
                outcome, paused_by, down = self.deliver(claim)
            except Exception as exc:  # a bug must not leave the row claimed forever in this run
                outcome, paused_by, down = ClaimResult(claim.delivery_id, UNKNOWN, f"보내는 쪽 오류: {exc!r}"), None, None
            outcomes.append(outcome)
            if paused_by:
                pause = pause or paused_by
                self.halt.set()   # the other senders stop too: the relay refuses us by policy
            unreachable = down
        return outcomes, pause

    def _later(self, claim: Claim, reason: str) -> ClaimResult:
        now = self.clock.now()
        at = now + self.policy.delay(claim.attempts)
        if at > self.deadline:
            return ClaimResult(claim.delivery_id, FAILED, f"{claim.attempts}번 시도한 뒤 포기했습니다: {reason}")
        return ClaimResult(claim.delivery_id, DEFERRED, reason, next_at=at)

    def deliver(self, claim: Claim) -> tuple[ClaimResult, str | None, str | None]:
        """Build, sign and send one message; return its outcome, a policy refusal, and why the relay is
        unreachable (all reconnections failed), if it is."""
        try:
            out = self.composer.build(Recipient(claim.subscriber_id, claim.address, claim.name, claim.consent_date))
        except ComposeError as exc:
            return ClaimResult(claim.delivery_id, FAILED, str(exc)), None, None
        for attempt in range(self.policy.connect_attempts):
            reply = self.connection.send(out.envelope_from, out.recipient, out.data, message_id=out.message_id,
                                         dot_safe=out.dot_safe)
            if reply.kind != RETRY:
                break
            if self.clock.wait(self.stop, min(0.05 * (2 ** attempt), 2.0)):
                break
        kind, text = reply.kind, str(reply)
        if kind == REPLY_SENT:
            return ClaimResult(claim.delivery_id, SENT, text), None, None
        if kind in (DEFER, RETRY):
            return self._later(claim, text), None, (text if kind == RETRY else None)
        if kind == BOUNCE:
            return ClaimResult(claim.delivery_id, FAILED, text, suppress_address=claim.address), None, None
        if kind == POLICY:
            return (ClaimResult(claim.delivery_id, QUEUED, f"보류: 릴레이가 정책상 메일을 거부했습니다: {text}"),
                    text, None)
        if kind == AMBIGUOUS:
            return ClaimResult(claim.delivery_id, UNKNOWN, text), None, None
        assert kind == FAIL
        return ClaimResult(claim.delivery_id, FAILED, text), None, None


def send_issue(
    store: Store,
    composer: Composer,
    transport: Transport,
    *,
    issue_id: str,
    slug: str = "",
    subject: str = "",
    topics: Iterable[str] | None = None,
    advertising: bool = False,
    secret: bytes,
    connections: int = 4,
    batch: int = DEFAULT_BATCH,
    rate: float = 0.0,
    policy: RetryPolicy = RetryPolicy(),
    retry_unknown: bool = False,
    content_hash: str | None = None,
    progress: Callable[[str, int], None] | None = None,
    on_start: Callable[[int, dict], None] | None = None,
    stop: threading.Event | None = None,
    clock: Clock | None = None,
) -> SendReport:
    """Send (or resume sending) one issue to its frozen recipient list; return the report.

    Never sends a row twice: `sent` rows are done, rows a crash left `sending` become `unknown` and are
    sent again only with retry_unknown. A 5.7.x policy refusal pauses the issue, suppressing nobody.
    Each connection is handed at most `batch` rows at a time, so a crash leaves at most
    connections × batch rows `unknown`. Retry times and the cut-off are read from `clock`."""
    issue_id = str(issue_id)
    clock = clock or Clock()
    if batch < 1:
        raise ValueError(f"batch는 1 이상이어야 합니다 ({batch})")
    stop = stop or threading.Event()
    halt = threading.Event()
    started = time.perf_counter()
    now = clock.now()
    ledger.open_ledger(store)
    with store.writing(), store.session() as s, s.begin():
        row = ledger.ensure_issue(s, issue_id, slug, subject, now)
        if content_hash and row.content_hash and row.content_hash != content_hash:
            raise DeliveryError(
                f"제{issue_id}호: 발송을 시작한 뒤 내용이 바뀌었습니다 ({row.content_hash[:8]} -> "
                f"{content_hash[:8]}) — 보내던 판으로 되돌리세요. 그대로 보내면 받는 사람마다 다른 메일을 받습니다")
    me = ledger.take_lease(store, issue_id, now)
    report = SendReport(issue_id, RUNNING, {})
    senders: list[_Sender] = []
    try:
        report.recovered_unknown, report.recovered_sent = ledger.recover(store, issue_id, now, transport.delivered)
        report.snapshot = ledger.snapshot(store, issue_id, topics, now, advertising=advertising)
        if retry_unknown:
            report.requeued_unknown = ledger.requeue_unknown(store, issue_id, now)
        with store.writing(), store.session() as s, s.begin():
            row = ledger.get_issue(s, issue_id)
            row.content_hash = row.content_hash or content_hash
            row.started_at = row.started_at or now
            row.state, row.paused_reason, row.finished_at, row.updated_at = RUNNING, None, None, now
            deadline = row.started_at + policy.give_up
            start_counts = ledger.counts(s, issue_id)
        if on_start:
            on_start(start_counts[QUEUED] + start_counts[DEFERRED], start_counts)
        results: queue.Queue = queue.Queue()
        senders = [_Sender(i, transport.connect(), composer, results, policy, deadline, stop, halt, clock)
                   for i in range(max(1, connections))]
        for sender in senders:
            sender.start()
        report.paused_reason = _dispatch(store, composer, issue_id, secret, senders, results, rate, batch, policy,
                                         stop, halt, progress, report, clock, advertising=advertising)
        report.connections_opened = sum(getattr(x.connection, "opened", 0) for x in senders)
    finally:
        halt.set()   # if the dispatcher failed, senders must not go on sending rows it cannot record
        for sender in senders:
            sender.inbox.put(None)
        for sender in senders:
            sender.join(timeout=60)
        end = clock.now()
        with store.writing(), store.session() as s, s.begin():
            row = ledger.get_issue(s, issue_id)
            counts = ledger.counts(s, issue_id)
            left = counts[QUEUED] + counts[DEFERRED] + counts[ledger.SENDING]
            if report.paused_reason:
                row.state, row.paused_reason = PAUSED, report.paused_reason
            elif left == 0:
                row.state, row.finished_at = DONE, end
            else:
                row.state = WAITING
            row.updated_at = end
            if row.runner == me:
                row.runner = None
            report.state, report.counts = row.state, counts
            report.next_retry = ledger.next_retry(s, issue_id)
        report.elapsed = time.perf_counter() - started
    return report


def _dispatch(store, composer, issue_id, secret, senders, results, rate, batch, policy, stop, halt, progress,
              report, clock: Clock, *, advertising: bool = False):
    """The only writer: records finished batches and claims the next ones, together, in one transaction."""
    idle = list(senders)
    busy = 0
    bucket = _Bucket(rate, len(senders), clock)
    outcomes: list[ClaimResult] = []
    exhausted = False
    pause: str | None = None
    heartbeat = clock.now()

    while True:
        # 1. collect finished batches; block only when there is nothing else to do
        # halt: a sender met a policy refusal; its batch (with the reason) may not be back yet
        held = bool(pause) or stop.is_set() or halt.is_set()
        blocked = busy > 0 and (not idle or exhausted or held or bucket.available() < 1)
        try:
            item = results.get(timeout=max(0.001, bucket.wait_time()) if (idle and not exhausted and not pause
                                                                          and bucket.available() < 1) else 5.0) \
                if blocked else results.get_nowait()
            while True:
                sender, done, paused_by = item
                idle.append(sender)
                busy -= 1
                outcomes.extend(done)
                for outcome in done:
                    if outcome.state == SENT:
                        report.sent_now += 1
                    if progress:
                        progress(outcome.state, 1)
                if paused_by and not pause:
                    pause = f"제{issue_id}호 일시 정지: 릴레이가 정책상 메일을 거부했습니다 ({paused_by}). " \
                            f"발송 중지한 구독자는 없습니다 — DKIM/SPF/DMARC나 릴레이 설정을 고친 뒤 이어 보내세요"
                    report.events.append(pause)
                item = results.get_nowait()
        except queue.Empty:
            pass

        # 2. one transaction: record outcomes, claim a batch for each idle sender
        want = 0 if (pause or stop.is_set() or halt.is_set()) else min(len(idle) * batch, bucket.available())
        if outcomes or want:
            now = clock.now()
            with store.writing(), store.session() as s, s.begin():
                claims = ledger.apply_and_claim(s, issue_id, outcomes, want, now, composer.message_id,
                                                secret=secret, suppress=suppress_address,
                                                advertising=advertising)
                if (now - heartbeat).total_seconds() > 10:
                    row = ledger.get_issue(s, issue_id)
                    row.heartbeat_at = now
                    heartbeat = now
            outcomes = []
            bucket.take(len(claims))
            if claims:
                # spread over the idle senders, so the tail of a list is not left to one connection
                size = -(-len(claims) // min(len(idle), len(claims)))
                for i in range(0, len(claims), size):
                    idle.pop().inbox.put(claims[i:i + size])
                    busy += 1
            exhausted = want > 0 and len(claims) < want

        # 3. nothing in flight: finish, or wait for the next retry or rate token
        if busy == 0:
            if pause or stop.is_set():
                return pause or "운영자가 멈췄습니다. 같은 명령을 다시 실행하면 이어 보냅니다"
            if exhausted:
                with store.session() as s:
                    nxt = ledger.next_retry(s, issue_id)
                if nxt is None:
                    return None
                delay = (nxt - clock.now()).total_seconds()
                if delay > policy.wait.total_seconds():
                    return None
                if delay > 0 and clock.wait(stop, delay):
                    continue
                exhausted = False
            elif want == 0 and bucket.available() < 1:
                clock.wait(stop, bucket.wait_time())
