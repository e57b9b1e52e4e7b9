"""`site-builder newsletter send` and `newsletter status` (added to the newsletter group by
commands/newsletter.py). The command layer: it parses, prints and calls the delivery library."""

from __future__ import annotations

import argparse
import sys

from ._catalog import catalog_or_report

# Environment switch for tests and staging relays: send over SMTP although the subscription
# service's links (List-Unsubscribe) point at a loopback or http:// address.
ENV_ALLOW_LOCAL_LINKS = "SITE_BUILDER_ALLOW_LOCAL_LINKS"

STATE_LABELS = {
    "queued": "대기", "sending": "보내는 중", "sent": "보냄", "failed": "실패", "deferred": "재시도 대기",
    "unknown": "확인 필요(unknown)", "skipped": "건너뜀(수신거부·발송중지)",
}
ISSUE_LABELS = {"ready": "준비", "running": "보내는 중", "waiting": "재시도 대기", "paused": "일시 정지", "done": "완료"}


def _load(args):
    """Return (config, catalog, issue) for args.issue, or print why not and return None."""
    from ..errors import format_problems
    from ..newsletter import select_issues

    loaded = catalog_or_report(args.root)
    if loaded is None:
        return None
    config, catalog = loaded
    issues, problems = select_issues(config, catalog, args.issue)
    if len(issues) != 1:
        print(f"호 '{args.issue}'을(를) 하나로 정할 수 없습니다 — 호수(3), slug, 또는 newsletters/의 파일 이름을 쓰세요",
              file=sys.stderr)
        return None
    issue = issues[0]
    own = [p for p in problems if p.is_error and p.path == issue.source]
    if own:
        print(format_problems(own), file=sys.stderr)
        return None
    return config, catalog, issue


def _secret() -> bytes | None:
    from ..subscribers import MissingSecret, secret_from_env

    try:
        return secret_from_env()
    except MissingSecret as exc:
        print(f"설정 오류: {exc}", file=sys.stderr)
        return None


def run_send(args: argparse.Namespace) -> int:
    """Send, resume, dry-run or proof one issue."""
    import os
    import signal
    import threading

    from ..config import now_kst
    from ..mail.message import AddressError, check_address
    from ..newsletter import NewsletterSettings, render_issue
    from ..delivery import ledger
    from ..delivery.compose import Composer, Recipient
    from ..delivery.dkim import Signer
    from ..delivery.engine import DeliveryError, send_issue
    from ..delivery.prepare import issue_mail, unsafe_link_reason
    from ..delivery.settings import DeliverySettings
    from ..mail import SENT, SmtpTransport, transport_from_env
    from ..db import database_url
    from ..subscribers import count_recipients, open_store, register_question

    if args.batch is not None and args.batch < 1:
        print(f"--batch {args.batch}: 1 이상으로 쓰세요 (연결 하나가 한 번에 맡는 수신자 수)", file=sys.stderr)
        return 2
    loaded = _load(args)
    if loaded is None:
        return 1
    secret = _secret()
    if secret is None:
        return 2
    config, catalog, issue = loaded
    settings = DeliverySettings.from_config(config)
    try:
        mail = issue_mail(config, issue, render_issue(issue, catalog), settings)
        transport = transport_from_env(config.root, outbox=settings.outbox)
    except ValueError as exc:   # no subscriptions.url; an unusable SITE_BUILDER_SMTP_URL
        print(f"설정 오류: {exc}", file=sys.stderr)
        return 2
    composer = Composer(mail, secret, Signer(settings.dkim))
    unsafe = unsafe_link_reason(mail.service_url)
    if unsafe:
        allowed = args.allow_local_links or os.environ.get(ENV_ALLOW_LOCAL_LINKS) == "1"
        where = "mkdocs.yml: extra.site_builder.subscriptions.url"
        if isinstance(transport, SmtpTransport) and not args.dry_run and not allowed:   # proofs too
            print(f"{where}: 수신거부(List-Unsubscribe)·구독 설정 링크인 {unsafe} — 구독 서비스의 공개 https 주소를 "
                  f"쓰세요. SMTP로 보내지 않았습니다. (시험 서버로 보내는 것이라면 --allow-local-links)", file=sys.stderr)
            return 2
        print(f"경고: {where}: 수신거부(List-Unsubscribe)·구독 설정 링크인 {unsafe} — 실제 구독자에게 보내기 전에 "
              "구독 서비스의 공개 https 주소로 바꾸세요.", file=sys.stderr)
    store = ledger.open_ledger(open_store(database_url(config.root)))
    label = f"제{issue.number}호 「{issue.subject}」"
    try:
        if args.test_to:
            try:
                address = check_address(args.test_to)
            except AddressError as exc:
                print(f"--test-to {args.test_to}: {exc.reason}", file=sys.stderr)
                return 2
            news = NewsletterSettings.from_config(config)
            out = composer.build(Recipient(0, address, news.preview_name, now_kst().date()))
            conn = transport.connect()
            try:
                reply = conn.send(out.envelope_from, out.recipient, out.data, message_id=out.message_id)
            finally:
                conn.close()
            if reply.kind != SENT:
                print(f"제{issue.number}호 시험 발송을 {address}에 보내기: {reply}", file=sys.stderr)
                return 1
            with store.writing(), store.session() as s, s.begin():
                row = ledger.ensure_issue(s, str(issue.number), issue.slug, issue.subject, ledger.utcnow())
                row.proof_hash, row.proofed_at = mail.content_hash(), ledger.utcnow()
            print(f"{label} 시험 발송을 {address}에 보냈습니다 ({transport.describe()}: {reply}).")
            print("받은 메일을 확인한 뒤 같은 명령을 --test-to 없이 실행하면 구독자에게 보냅니다.")
            return 0
        if issue.draft:
            print(f"{label}은(는) draft: true 입니다 — 시험 발송(--test-to)만 할 수 있습니다.", file=sys.stderr)
            return 1
        with store.session() as s:
            row = ledger.get_issue(s, str(issue.number))
            counts = ledger.counts(s, str(issue.number)) if row and row.snapshot_at else None
            if args.dry_run:
                return _dry_run(args, s, issue, composer, transport, counts, label, count_recipients)
        if args.resume and (row is None or row.snapshot_at is None):
            print(f"제{issue.number}호: 이어서 보낼 것이 없습니다 — 아직 보낸 적이 없습니다 (--resume 을 빼세요)", file=sys.stderr)
            return 1
        needs_proof = settings.require_proof and not args.skip_proof and (row is None or row.snapshot_at is None)
        if needs_proof and (row is None or row.proof_hash != mail.content_hash()):
            why = "시험 발송한 뒤 내용이 바뀌었습니다" if row is not None and row.proof_hash else "시험 발송 기록이 없습니다"
            print(f"{label}: {why}. 먼저 --test-to 주소 로 시험 발송해 확인하세요 (건너뛰려면 --skip-proof).",
                  file=sys.stderr)
            return 1
        if issue.feedback:
            with store.writing(), store.session() as s, s.begin():
                register_question(s, str(issue.number), issue.feedback.id, issue.feedback.text,
                                  list(issue.feedback.answers))
        stop = threading.Event()
        previous = signal.signal(signal.SIGTERM, lambda *_: stop.set()) \
            if threading.current_thread() is threading.main_thread() else None
        try:
            report = _with_progress(args, lambda progress, on_start: send_issue(
                store, composer, transport, issue_id=str(issue.number), slug=issue.slug, subject=issue.subject,
                topics=issue.topics, advertising=issue.is_advertising, secret=secret,
                connections=args.connections or settings.connections,
                batch=args.batch or settings.batch,
                rate=settings.rate if args.rate is None else args.rate, policy=settings.policy,
                retry_unknown=args.retry_unknown, content_hash=mail.content_hash(), progress=progress,
                on_start=on_start, stop=stop), label, transport.describe())
        except KeyboardInterrupt:
            stop.set()
            raise
        finally:
            if previous is not None:
                signal.signal(signal.SIGTERM, previous)
    except (DeliveryError, ledger.LeaseError) as exc:
        print(str(exc), file=sys.stderr)
        return 1
    finally:
        store.close()
    return _print_report(report, label)


def _dry_run(args, session, issue, composer, transport, counts, label, count_recipients) -> int:
    from ..config import now_kst
    from ..delivery.compose import Recipient

    if counts is not None:
        todo = counts["queued"] + counts["deferred"]
        print(f"{label}: 이미 발송을 시작했습니다 — 남은 {todo}명, 보냄 {counts['sent']}명, 확인 필요 {counts['unknown']}명")
    else:
        todo = count_recipients(session, issue.topics, advertising=issue.is_advertising)
        ad = ", 광고성 정보 수신 동의" if issue.is_advertising else ""
        print(f"{label}: 받을 사람 {todo}명 (구독 중, 주제 일치{ad}, 발송중지 아님)")
    out = composer.build(Recipient(1, "dry-run@example.org", "미리보기", now_kst().date()))
    longest = max(len(line) for line in out.data.split(b"\r\n"))
    signed = out.data.count(b"DKIM-Signature:")
    print(f"  보낼 곳: {transport.describe()}")
    print(f"  메일 크기 {len(out.data) / 1024:.1f} KB, 가장 긴 줄 {longest}바이트, DKIM 서명 {signed}개")
    print("  --dry-run: 아무것도 보내지 않았고 기록하지 않았습니다.")
    return 0


def _with_progress(args, run, label: str, where: str):
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, ProgressColumn, TextColumn, TimeRemainingColumn
    from rich.text import Text

    class Rate(ProgressColumn):
        def render(self, task):
            return Text(f"{task.speed:,.0f}/s" if task.speed else "–/s")

    console = Console(stderr=True)
    console.print(f"{label} → {where}")
    with Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), Rate(),
                  TextColumn("남은 시간"), TimeRemainingColumn(), console=console, transient=False,
                  disable=getattr(args, "no_progress", False)) as bar:
        task = bar.add_task("보내는 중", total=None)

        def on_start(todo: int, counts: dict) -> None:
            bar.update(task, total=todo)

        def progress(state: str, n: int) -> None:
            if state != "queued":
                bar.advance(task, n)

        return run(progress, on_start)


def _print_report(report, label: str) -> int:
    from ..config import KST

    c = report.counts
    print(f"{label}: {ISSUE_LABELS.get(report.state, report.state)} — 이번에 {report.sent_now}통 보냄 "
          f"({report.rate:,.0f}통/초, {report.elapsed:.1f}초)")
    print("  " + ", ".join(f"{STATE_LABELS[k]} {v}" for k, v in c.items() if v))
    if report.recovered_unknown:
        print(f"  중단된 이전 실행이 보내던 {report.recovered_unknown}통은 전달 여부를 알 수 없어 unknown으로 표시했습니다.")
    if report.recovered_sent:
        print(f"  중단된 이전 실행의 {report.recovered_sent}통은 보관함에서 찾아 보냄으로 표시했습니다.")
    if c.get("unknown"):
        print(f"  확인 필요 {c['unknown']}명: 다시 보내려면 --retry-unknown (이미 받은 사람은 두 통을 받게 됩니다). "
              "목록은 newsletter status 로 봅니다.")
    if report.paused_reason:
        print(f"  {report.paused_reason}", file=sys.stderr)
        return 3
    if report.state == "waiting" and report.next_retry:
        at = report.next_retry.astimezone(KST)
        print(f"  재시도 대기 {c['deferred']}명: 다음 재시도 {at:%Y-%m-%d %H:%M} — 그때 같은 명령(--resume)을 다시 실행하세요.")
    return 0


def run_status(args: argparse.Namespace) -> int:
    """Print counts per state and what needs the operator's attention."""
    from ..config import KST, load_config
    from ..delivery import ledger
    from ..db import database_url
    from ..subscribers import open_store

    config = load_config(args.root)
    store = open_store(database_url(config.root))
    try:
        ledger.open_ledger(store)
        key = str(args.issue).lstrip("0") or "0"
        with store.session() as s:
            row = ledger.get_issue(s, key)
            if row is None:
                print(f"제{args.issue}호: 발송 기록이 없습니다 — 시험 발송도, 발송도 하지 않았습니다")
                return 1
            counts = ledger.counts(s, key)
            print(f"제{row.issue_id}호 「{row.subject}」: {ISSUE_LABELS.get(row.state, row.state)}")
            if row.proofed_at:
                print(f"  시험 발송: {row.proofed_at.astimezone(KST):%Y-%m-%d %H:%M}")
            if row.started_at:
                print(f"  발송 시작: {row.started_at.astimezone(KST):%Y-%m-%d %H:%M}, 대상 {row.total}명")
            if row.finished_at:
                print(f"  발송 완료: {row.finished_at.astimezone(KST):%Y-%m-%d %H:%M}")
            if row.runner:
                print(f"  실행 중인 프로세스: {row.runner}")
            width = max(len(v) for v in STATE_LABELS.values())
            for state, n in counts.items():
                print(f"  {STATE_LABELS[state]:<{width}} {state:<9} {n:>8}")
            if row.paused_reason:
                print(f"  정지 이유: {row.paused_reason}")
            nxt = ledger.next_retry(s, key)
            if nxt:
                print(f"  다음 재시도: {nxt.astimezone(KST):%Y-%m-%d %H:%M}")
            for state in ("unknown", "failed"):
                rows = ledger.rows_in(s, key, state, limit=args.limit)
                if rows:
                    print(f"  {STATE_LABELS[state]} (최대 {args.limit}명):")
                    for sid, address, reply in rows:
                        print(f"    #{sid} {address or '(삭제된 구독자)'}: {reply or ''}")
                    if counts[state] > len(rows):
                        print(f"    … 외 {counts[state] - len(rows)}명 (--limit 으로 더 보기)")
    finally:
        store.close()
    return 0


def add_delivery_commands(sub: argparse._SubParsersAction) -> None:
    """Add `send` and `status` to the `newsletter` command group."""
    p = sub.add_parser("send", help="한 호를 구독자에게 보냅니다 (중단돼도 이어 보냄), --test-to 로 시험 발송")
    p.add_argument("issue", help="호수, slug 또는 파일 이름")
    p.add_argument("--resume", action="store_true", help="중단된 발송을 이어 갑니다 (다시 보내도 같습니다)")
    p.add_argument("--retry-unknown", action="store_true",
                   help="중단 때문에 전달 여부를 모르는(unknown) 수신자에게도 다시 보냅니다 (두 통을 받을 수 있음)")
    p.add_argument("--dry-run", action="store_true", help="받을 사람을 세고 메일을 만들어 보기만 합니다 (보내지 않음)")
    p.add_argument("--test-to", metavar="주소", help="주소로 시험 발송 한 통 (첫 발송 전에 꼭 필요)")
    p.add_argument("--skip-proof", action="store_true", help="이 내용 그대로의 시험 발송 없이 보냅니다")
    p.add_argument("--connections", type=int, default=None, help="동시 SMTP 연결 수 (기본: mkdocs.yml)")
    p.add_argument("--batch", type=int, default=None,
                   help="연결 하나가 한 번에 맡는 수신자 수. 중단되면 최대 연결 수 × batch 명이 unknown이 됩니다 "
                        "(기본: mkdocs.yml, 없으면 50)")
    p.add_argument("--rate", type=float, default=None, help="초당 보낼 메일 수, 0은 제한 없음 (기본: mkdocs.yml)")
    p.add_argument("--allow-local-links", action="store_true",
                   help="시험용: 수신거부 링크가 루프백(127.0.0.1, localhost)이나 http:// 주소여도 SMTP로 보냅니다")
    p.add_argument("--no-progress", action="store_true", help="진행 막대를 그리지 않습니다 (기록, cron)")
    p.set_defaults(handler=run_send)
    s = sub.add_parser("status", help="한 호의 발송 상태별 수와 확인이 필요한 수신자")
    s.add_argument("issue", help="호수")
    s.add_argument("--limit", type=int, default=200, help="unknown·실패 수신자를 몇 명까지 보일지 (기본: 200)")
    s.set_defaults(handler=run_status)


__all__ = ["add_delivery_commands", "run_send", "run_status"]
