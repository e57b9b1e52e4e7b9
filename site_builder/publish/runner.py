"""One publishing run: dry-run (render + validate, no request at all) or live.

A live run, in this order:
1. Reconcile: every `pending` row whose run is gone is asked to its network (`Channel.reconcile`)
   before anything new is posted: landed -> `sent`; certainly not -> back to `planned` (posted in
   this run); the network cannot tell -> `unknown` (a person decides).
2. For each (post, account), oldest post first:
   - content/syndication.yml already has it -> imported into the ledger as `sent`, never reposted;
   - sent / manual_done / gave_up / unknown / a kit waiting / another run's pending -> left alone;
   - failed with a `next_retry_at` still ahead -> waits; failed for good -> waits for a content change;
   - render + validate; a refused draft is `failed` with the network's reason;
   - manual channels -> `manual_pending` (a kit for a person), no request;
   - the account's daily cap, then the live check of the canonical page;
   - claim (`pending` committed) -> `Channel.publish` -> `sent` + syndication.yml.
   RateLimited / Transient are retried while the run's wait budget (about a minute) allows, then
   get `next_retry_at`; the fifth failed attempt gives up. AuthExpired stops that account only.
   Permanent is final. Any other error leaves the row `pending` for the next run to reconcile.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import httpx

from ..config import KST
from ..content.syndication import SyndicationLink, append_syndication, find_link, load_syndication
from .channel import (AuthExpired, Channel, Draft, DraftProblem, Permanent, PublishContext, PublishError,
                      RateLimited, Receipt, Transient, Unknowable)
from .credentials import Redactor, env_prefix, secret_values
from .ledger import (DONE_STATES, FAILED, GAVE_UP, MANUAL_PENDING, MAX_ATTEMPTS, PENDING, UNKNOWN, Ledger,
                     Row, runner_alive)
from .livecheck import LiveCheck, check_live
from .plan import PlannedPost, Task, tasks
from .retry import WaitBudget, delay_for
from .settings import AccountSettings, PublishSettings

log = logging.getLogger("site_builder.publish")

RETRIES_PER_RUN = 2   # immediate retries of one post within a run (then next_retry_at)

# What happened to one task in a run.
WOULD_POST, POSTED, ALREADY, WAITING, FAILED_NOW, GAVE_UP_NOW = (
    "would_post", "posted", "already", "waiting", "failed", "gave_up")
KIT, STOPPED, BUSY, RECONCILED, UNKNOWN_NOW, INVALID, ERROR = (
    "kit", "stopped", "busy", "reconciled", "unknown", "invalid", "error")

ACTION_LABELS = {
    WOULD_POST: "게시 예정", POSTED: "게시함", ALREADY: "이미 게시됨", WAITING: "기다림", FAILED_NOW: "실패",
    GAVE_UP_NOW: "포기", KIT: "키트 준비(사람 손 필요)", STOPPED: "채널 멈춤", BUSY: "다른 실행이 게시 중",
    RECONCILED: "중단된 시도 확인", UNKNOWN_NOW: "확인 필요", INVALID: "규칙 위반", ERROR: "오류",
}


@dataclass(frozen=True)
class PostResult:
    """What became of one post on one account in this run (Korean message, no secret)."""

    article: str
    channel: str
    account: str
    action: str
    message: str = ""
    url: str = ""

    def __str__(self) -> str:
        text = f"{self.article} → {self.channel}/{self.account}: {ACTION_LABELS.get(self.action, self.action)}"
        if self.url:
            text += f" {self.url}"
        if self.message:
            text += f" — {self.message}"
        return text


@dataclass(frozen=True)
class DraftView:
    """A rendered draft with its validation result, for the preview page and dry-run output."""

    task: Task
    draft: Draft | None
    problems: tuple[DraftProblem, ...]
    state: str = ""            # the ledger's state, when known


@dataclass
class RunReport:
    """Everything a run did or would do."""

    live: bool
    outcomes: list[PostResult] = field(default_factory=list)
    drafts: list[DraftView] = field(default_factory=list)
    stopped: dict[str, str] = field(default_factory=dict)    # "channel/account" -> Korean message

    def count(self, action: str) -> int:
        return sum(1 for o in self.outcomes if o.action == action)


def _auth_message(account: AccountSettings, error: Exception, redact: Redactor) -> str:
    from .credentials import env_prefix

    return (f"{account.channel}/{account.account}: 인증이 만료되었거나 취소되었습니다({redact(error)}). "
            f"docs/publishing.md의 안내대로 새 토큰을 발급해 {env_prefix(account.channel, account.account)}TOKEN "
            "(또는 인증 정보 파일)에 넣은 뒤 다시 실행하세요. 이 채널만 멈췄고 다른 채널은 계속 게시합니다.")


class Publisher:
    """Runs the publisher over planned posts. Everything outside is injected.

    credentials(channel, account) -> dict is called only in live runs (and by doctor)."""

    def __init__(self, planned: list[PlannedPost], settings: PublishSettings, *,
                 registry: Mapping[str, type], content_dir: Path, ledger: Ledger | None = None,
                 http: httpx.Client | None = None,
                 credentials: Callable[[str, str], dict[str, str]] = lambda c, a: {},
                 sleep: Callable[[float], None] | None = None,
                 now: Callable[[], datetime] | None = None,
                 rng: Callable[[], float] = random.random,
                 redactor: Redactor | None = None):
        self.planned = planned
        self.settings = settings
        self.registry = registry
        self.content_dir = Path(content_dir)
        self.ledger = ledger
        self.http = http
        self.credentials = credentials
        self.sleep = sleep or (lambda s: None)
        self.now = now or (lambda: datetime.now(timezone.utc))
        self.rng = rng
        self.redact = redactor or Redactor()
        self._channels: dict[str, Channel] = {}
        self._links: dict = {}
        self._creds: dict[str, dict[str, str]] = {}

    # -- helpers -----------------------------------------------------------------------------------

    def channel(self, name: str) -> Channel:
        if name not in self._channels:
            self._channels[name] = self.registry[name]()
        return self._channels[name]

    def tasks(self) -> list[Task]:
        return tasks(self.planned, self.settings)

    def render(self, task: Task) -> DraftView:
        """Render and validate one task (pure: no I/O)."""
        channel = self.channel(task.account.channel)
        try:
            draft = channel.render(task.planned.post, task.account.account, task.account.options)
            problems = tuple(channel.validate(draft))
        except PublishError as exc:
            return DraftView(task, None, (DraftProblem("draft", str(exc)),))
        return DraftView(task, draft, problems)

    def _ctx(self, account: AccountSettings, row: Row) -> PublishContext:
        if account.key not in self._creds:
            creds = self.credentials(account.channel, account.account)
            self.redact.add(secret_values(creds))
            self._creds[account.key] = creds
        assert self.http is not None, "a live run needs an http client"
        return PublishContext(http=self.http, credentials=self._creds[account.key], options=account.options,
                              idempotency_key=row.idempotency_key, record_key=row.record_key,
                              sleep=self.sleep, now=self.now)

    def _record_link(self, task_key: tuple[str, str, str], url: str) -> None:
        if url:
            article, channel, account = task_key
            append_syndication(self.content_dir, SyndicationLink(
                article, channel, account, url, self.now().astimezone(KST).isoformat(timespec="seconds")))

    # -- dry run -----------------------------------------------------------------------------------

    def dry_run(self) -> RunReport:
        """Render and validate every task; say what a live run would do. Makes no request at all."""
        report = RunReport(live=False)
        links, _ = load_syndication(self.content_dir)
        for task in self.tasks():
            view = self.render(task)
            row = self.ledger.get(*task.key) if self.ledger else None
            report.drafts.append(DraftView(task, view.draft, view.problems, row.state if row else ""))
            article, channel, account = task.key
            if find_link(links, *task.key) or (row and row.state in DONE_STATES):
                url = (row.remote_url if row and row.remote_url else
                       getattr(find_link(links, *task.key), "url", ""))
                report.outcomes.append(PostResult(article, channel, account, ALREADY, url=url or ""))
            elif view.problems:
                report.outcomes.append(PostResult(article, channel, account, INVALID,
                                               "; ".join(str(p) for p in view.problems)))
            elif row and row.state in (GAVE_UP, UNKNOWN, MANUAL_PENDING, PENDING):
                report.outcomes.append(PostResult(article, channel, account, WAITING, row.label))
            elif (row and row.state == FAILED and row.next_retry_at is None
                  and row.content_hash == task.planned.post.content_hash):
                report.outcomes.append(PostResult(article, channel, account, FAILED_NOW, row.error or ""))
            elif row and row.state == FAILED and row.next_retry_at and row.next_retry_at > self.now():
                report.outcomes.append(PostResult(article, channel, account, WAITING,
                                               f"다음 시도 {row.next_retry_at.astimezone(KST):%m-%d %H:%M}"))
            elif self.channel(channel).kind == "manual":
                report.outcomes.append(PostResult(article, channel, account, KIT))
            else:
                cost = (view.draft.extra.get("cost") if view.draft else None) or ""
                report.outcomes.append(PostResult(article, channel, account, WOULD_POST,
                                               f"예상 비용 {cost}" if cost else ""))
        return report

    # -- live run ----------------------------------------------------------------------------------

    def run(self) -> RunReport:
        """Reconcile interrupted attempts, then post what is due. Needs ledger and http."""
        assert self.ledger is not None and self.http is not None
        report = RunReport(live=True)
        budget = WaitBudget(self.settings.max_wait_seconds, self.sleep, self.now)
        by_key = {task.key: task for task in self.tasks()}
        # read once per run; a concurrent run's posts are caught by the ledger's claim instead
        self._links, _ = load_syndication(self.content_dir)
        self._reconcile(by_key, report)
        live_checks: dict[str, LiveCheck] = {}
        paused_until: dict[str, datetime] = {}
        for task in by_key.values():
            self._one(task, report, budget, live_checks, paused_until)
        for outcome in report.outcomes:
            log.info("%s", outcome)
        return report

    def _reconcile(self, by_key: dict, report: RunReport) -> None:
        assert self.ledger is not None
        for row in self.ledger.stale_pending():
            key = (row.article_id, row.channel, row.account)
            task = by_key.get(key)
            if task is None or row.channel not in self.registry:
                report.outcomes.append(PostResult(*key, UNKNOWN_NOW,
                                               "중단된 시도가 있지만 이 글이나 채널이 더 이상 설정에 없습니다 — 직접 확인하세요"))
                continue
            if task.account.key in report.stopped:
                continue
            mine = self.ledger.take_over(row)
            if mine is None:
                continue
            view = self.render(task)
            if view.draft is None:
                self.ledger.abandon(mine, "초안을 만들 수 없어 확인하지 못했습니다")
                continue
            try:
                receipt = self.channel(row.channel).reconcile(view.draft, self._ctx(task.account, mine))
            except Unknowable as exc:
                self.ledger.mark_unknown(mine, self.redact(exc))
                report.outcomes.append(PostResult(*key, UNKNOWN_NOW, self.redact(exc) + " — 게시되었는지 직접 확인한 뒤 "
                                               "`site-builder publish done`으로 기록하세요"))
                continue
            except AuthExpired as exc:
                self.ledger.abandon(mine, self.redact(exc))
                report.stopped[task.account.key] = _auth_message(task.account, exc, self.redact)
                continue
            except (RateLimited, Transient) as exc:
                self.ledger.abandon(mine, self.redact(exc))
                report.outcomes.append(PostResult(*key, WAITING, f"중단된 시도를 확인하지 못했습니다({self.redact(exc)}) — 다음 실행 때 다시 확인합니다"))
                continue
            except Exception as exc:  # a channel's bug must not stop the others
                self.ledger.abandon(mine, self.redact(exc))
                report.outcomes.append(PostResult(*key, ERROR, self.redact(f"{type(exc).__name__}: {exc}")))
                continue
            if receipt is not None:
                self.ledger.mark_sent(mine, receipt.remote_id, receipt.remote_url)
                self._record_link(key, receipt.remote_url)
                report.outcomes.append(PostResult(*key, RECONCILED, "중단되었던 시도가 게시되어 있었습니다",
                                               url=receipt.remote_url))
            else:
                self.ledger.release(mine, error="중단되었던 시도는 게시되지 않았습니다")

    def _one(self, task: Task, report: RunReport, budget: WaitBudget, live_checks: dict[str, LiveCheck],
             paused_until: dict[str, datetime]) -> None:
        ledger = self.ledger
        assert ledger is not None
        key = task.key
        account = task.account
        post = task.planned.post

        def out(action: str, message: str = "", url: str = "") -> None:
            report.outcomes.append(PostResult(*key, action, self.redact(message), url))

        if account.key in report.stopped:
            out(STOPPED, "이 채널은 인증 문제로 이번 실행에서 멈췄습니다")
            return
        recorded = find_link(self._links, *key)
        row = ledger.ensure(*key, content_hash=post.content_hash)
        if recorded is not None:
            # the repository remembers what the database may have lost: never post again
            if row.state not in DONE_STATES:
                ledger.mark_sent(row, row.remote_id or "", recorded.url)
            out(ALREADY, url=recorded.url)
            return
        if row.state in DONE_STATES:
            out(ALREADY, url=row.remote_url or "")
            return
        if row.state == PENDING:
            if runner_alive(row.runner, row.claimed_at, self.now()) and row.runner != ledger.me:
                out(BUSY, "다른 실행이 이 글을 게시하는 중입니다")
            else:
                out(WAITING, "중단된 시도가 게시되었는지 아직 확인하지 못했습니다 — 다음 실행 때 먼저 확인합니다"
                             + (f" ({row.error})" if row.error else ""))
            return
        if row.state in (GAVE_UP, UNKNOWN, MANUAL_PENDING):
            out(WAITING, row.error or row.label)
            return
        now = self.now()
        if row.state == FAILED:
            if row.next_retry_at is None and row.content_hash == post.content_hash:
                out(FAILED_NOW, row.error or "")
                return
            if row.next_retry_at is not None and row.next_retry_at > now:
                out(WAITING, f"다음 시도 {row.next_retry_at.astimezone(KST):%m-%d %H:%M}"
                             + (f" ({row.error})" if row.error else ""))
                return
        view = self.render(task)
        if view.draft is None or view.problems:
            message = "; ".join(str(p) for p in view.problems)
            ledger.mark_invalid(row, message, post.content_hash)
            out(INVALID, f"{task.planned.source}: {message}")
            return
        draft = view.draft
        channel = self.channel(account.channel)
        if channel.kind == "manual":
            ledger.mark_manual_pending(row, content_hash=post.content_hash)
            out(KIT, "키트를 준비했습니다: 손으로 올린 뒤 `site-builder publish done`으로 주소를 기록하세요")
            return
        if account.key in paused_until and paused_until[account.key] > now:
            out(WAITING, f"이 계정은 네트워크가 요청을 막거나 실패해 {paused_until[account.key].astimezone(KST):%m-%d %H:%M}까지 "
                         "기다립니다 — 다음 실행 때 게시합니다")
            return
        if account.daily_cap is not None and ledger.sent_today(account.channel, account.account) >= account.daily_cap:
            message = f"오늘 게시 한도({account.daily_cap}개)를 채웠습니다 — 내일 실행 때 게시합니다"
            ledger.note(row, message)
            out(WAITING, message)
            return
        if self.settings.live_check:
            if post.id not in live_checks:
                live_checks[post.id] = check_live(self.http, post.url, task.planned.live_marker)
            check = live_checks[post.id]
            if not check.ok:
                ledger.note(row, check.reason)
                out(WAITING, check.reason)
                return
        # credentials before the claim: a missing secret must not leave a pending row behind
        ctx = self._ctx(account, row)
        if not secret_values(ctx.credentials):
            message = (f"{account.channel}/{account.account}: 인증 정보가 없습니다 — "
                       f"{env_prefix(account.channel, account.account)}TOKEN 같은 환경 변수나 "
                       "SITE_BUILDER_PUBLISH_CREDENTIALS_FILE을 설정하세요(docs/publishing.md). 이 채널만 건너뜁니다.")
            report.stopped[account.key] = message
            out(STOPPED, message)
            return
        claimed = ledger.claim(row, content_hash=post.content_hash)
        if claimed is None:
            out(BUSY, "다른 실행이 먼저 이 글을 맡았습니다")
            return
        self._attempt(task, claimed, draft, ctx, report, budget, paused_until, out)

    def _attempt(self, task: Task, row: Row, draft: Draft, ctx: PublishContext, report: RunReport,
                 budget: WaitBudget, paused_until: dict[str, datetime], out) -> None:
        ledger = self.ledger
        assert ledger is not None
        account = task.account
        channel = self.channel(account.channel)
        retries = 0
        while True:
            try:
                receipt: Receipt = channel.publish(draft, ctx)
            except AuthExpired as exc:
                message = _auth_message(account, exc, self.redact)
                ledger.release(row, error=message, give_back_attempt=True)
                report.stopped[account.key] = message
                out(STOPPED, message)
                return
            except (RateLimited, Transient) as exc:
                delay = delay_for(exc, row.attempts, self.rng)
                reason = self.redact(exc)
                if row.attempts >= MAX_ATTEMPTS:
                    ledger.mark_failed(row, reason, next_retry_at=budget.later(delay))
                    out(GAVE_UP_NOW, f"{MAX_ATTEMPTS}번 시도했지만 실패해 포기했습니다({reason}) — "
                                     "원인을 확인한 뒤 직접 올리고 `site-builder publish done`으로 기록하세요")
                    return
                # a few immediate retries, so one outage does not use up every attempt in one run
                if retries < RETRIES_PER_RUN and budget.wait(delay):
                    retries += 1
                    row = ledger.count_retry(row)
                    continue
                until = budget.later(delay)
                # the network is limiting or failing: the account's other posts wait too
                paused_until[account.key] = until
                ledger.mark_failed(row, reason, next_retry_at=until)
                out(WAITING, f"{reason} — 다음 시도 {until.astimezone(KST):%m-%d %H:%M}")
                return
            except Permanent as exc:
                ledger.mark_failed(row, self.redact(exc), next_retry_at=None)
                out(FAILED_NOW, str(exc))
                return
            except Exception as exc:
                # we cannot tell whether the post landed: the next run reconciles it
                message = self.redact(f"{type(exc).__name__}: {exc}")
                ledger.abandon(row, message)
                log.warning("%s/%s %s: %s", account.channel, account.account, row.article_id, message)
                out(ERROR, message + " — 다음 실행이 게시 여부를 확인합니다")
                return
            ledger.mark_sent(row, receipt.remote_id, receipt.remote_url)
            self._record_link(task.key, receipt.remote_url)
            out(POSTED, url=receipt.remote_url)
            return
