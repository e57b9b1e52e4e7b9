"""What is done, pending, failed, waiting for a person, or overdue: read from the ledger (no network)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from ..config import KST
from ..content.syndication import find_link, load_syndication
from .ledger import (FAILED, GAVE_UP, MANUAL_DONE, MANUAL_PENDING, PENDING, PLANNED, SENT, STATE_LABELS,
                     UNKNOWN, Ledger)
from .plan import Task

# Groups in the order `publish status` shows them.
GROUPS = ("failed", "person", "pending", "planned", "done")
GROUP_LABELS = {"failed": "실패", "person": "사람 손 필요", "pending": "진행 중·재시도 대기",
                "planned": "아직 게시 전", "done": "완료"}


@dataclass(frozen=True)
class StatusLine:
    """One post on one account, as `publish status` shows it."""

    article: str
    title: str
    channel: str
    account: str
    state: str
    group: str
    detail: str = ""
    url: str = ""
    overdue: bool = False

    @property
    def label(self) -> str:
        return STATE_LABELS.get(self.state, self.state)


def _group(state: str, next_retry_at) -> str:
    if state in (SENT, MANUAL_DONE):
        return "done"
    if state in (MANUAL_PENDING, UNKNOWN, GAVE_UP):
        return "person"
    if state == FAILED and next_retry_at is None:
        return "failed"
    if state in (PENDING, FAILED):
        return "pending"
    return "planned"


def status_lines(ledger: Ledger | None, tasks: list[Task], content_dir, *, now: datetime,
                 kit_overdue_days: int) -> list[StatusLine]:
    """Return one line per configured (post, account), plus ledger rows no longer configured."""
    links, _ = load_syndication(content_dir)
    rows = {(r.article_id, r.channel, r.account): r for r in (ledger.all_rows() if ledger else [])}
    lines: list[StatusLine] = []
    seen = set()
    overdue_after = timedelta(days=kit_overdue_days)
    for task in tasks:
        key = task.key
        seen.add(key)
        row = rows.get(key)
        link = find_link(links, *key)
        title = task.planned.post.title
        if row is None:
            if link:
                lines.append(StatusLine(*key[:1], title, *key[1:], SENT, "done", "syndication.yml에 기록됨", link.url))
            else:
                lines.append(StatusLine(*key[:1], title, *key[1:], PLANNED, "planned"))
            continue
        detail = row.error or ""
        if row.state == FAILED and row.next_retry_at is not None:
            detail = f"다음 시도 {row.next_retry_at.astimezone(KST):%Y-%m-%d %H:%M} (시도 {row.attempts}회) — {detail}"
        overdue = bool(row.state == MANUAL_PENDING and row.manual_since and now - row.manual_since > overdue_after)
        if row.state == MANUAL_PENDING:
            since = row.manual_since.astimezone(KST) if row.manual_since else None
            detail = (f"키트 준비 {since:%Y-%m-%d}부터" if since else "키트 준비됨") + (
                f" — {kit_overdue_days}일 넘게 밀렸습니다" if overdue else "") + (
                f" · 올린 뒤: site-builder publish done {row.article_id} {row.channel} <주소>")
        lines.append(StatusLine(row.article_id, title, row.channel, row.account, row.state,
                                _group(row.state, row.next_retry_at), detail,
                                row.remote_url or (link.url if link else ""), overdue))
    for key, row in rows.items():
        if key not in seen:
            lines.append(StatusLine(row.article_id, "(설정에 없는 글·채널)", row.channel, row.account, row.state,
                                    _group(row.state, row.next_retry_at), row.error or "", row.remote_url or ""))
    return lines


def format_status(lines: list[StatusLine]) -> str:
    """Return the status report as `publish status` prints it (Korean, grouped, overdue kits first)."""
    out: list[str] = []
    overdue = [l for l in lines if l.overdue]
    if overdue:
        out.append(f"밀린 키트 {len(overdue)}개:")
        out += [f"  {l.article} → {l.channel}/{l.account}: {l.detail}" for l in overdue]
        out.append("")
    for group in GROUPS:
        members = [l for l in lines if l.group == group]
        if not members:
            continue
        out.append(f"{GROUP_LABELS[group]} {len(members)}개:")
        for l in members:
            text = f"  {l.article} → {l.channel}/{l.account}: {l.label}"
            if l.url:
                text += f" {l.url}"
            if l.detail and not l.overdue:
                text += f" — {l.detail}"
            out.append(text)
        out.append("")
    counts = {g: sum(1 for l in lines if l.group == g) for g in GROUPS}
    out.append("합계: " + ", ".join(f"{GROUP_LABELS[g]} {counts[g]}" for g in GROUPS))
    return "\n".join(out)
