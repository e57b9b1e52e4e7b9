"""`site-builder publish ...`: dry-run (default) or `--live`, `status`, `preview`, `done`, `doctor`.

The command layer builds what the library needs (settings, the ledger in the shared database,
one httpx client, credentials from the environment or a file outside the repository) and prints
the results in Korean. Secrets never reach the output: every message passes the run's Redactor."""

from __future__ import annotations

import argparse
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

from ..errors import format_problems
from ._catalog import catalog_or_report

PREVIEW_FILE = Path(".cache") / "site-builder" / "publish-preview.html"


def _client():
    import httpx

    from .. import __version__

    return httpx.Client(timeout=httpx.Timeout(30.0, connect=10.0),
                        headers={"User-Agent": f"site-builder/{__version__} (+publish)"})


def _load(args: argparse.Namespace):
    """Return (config, catalog, settings, planned posts), or print the editors' problems and return None."""
    from ..publish.plan import iter_planned
    from ..publish.registry import REGISTRY
    from ..publish.settings import load_publish_settings

    loaded = catalog_or_report(args.root, "게시할 수 없습니다.")
    if loaded is None:
        return None
    config, catalog = loaded
    settings = load_publish_settings(config, set(REGISTRY))
    planned, problems = iter_planned(catalog, settings)
    if problems:
        print(format_problems(problems), file=sys.stderr)
        print(f"\n게시 설정(social:)에 고쳐야 할 문제 {len(problems)}개가 있습니다.", file=sys.stderr)
        return None
    if not settings.accounts:
        print("게시할 채널이 설정되지 않았습니다 — mkdocs.yml의 extra.site_builder.publish.channels에 "
              "채널과 계정을 적으세요(docs/publishing.md).", file=sys.stderr)
    return config, catalog, settings, planned


def _ledger(config):
    from ..publish.ledger import open_ledger
    from ..db import database_url

    return open_ledger(database_url(config.root))


def _credentials(config):
    from ..publish.credentials import load_credentials

    return lambda channel, account: load_credentials(channel, account, config.root)


def _publisher(loaded, *, live: bool, http=None):
    from ..publish.credentials import Redactor
    from ..publish.registry import REGISTRY
    from ..publish.runner import Publisher

    config, catalog, settings, planned = loaded
    return Publisher(planned, settings, registry=REGISTRY, content_dir=config.content_dir,
                     ledger=_ledger(config), http=http, credentials=_credentials(config),
                     sleep=time.sleep if live else None, redactor=Redactor())


def run_publish(args: argparse.Namespace) -> int:
    from ..publish.preview import write_preview
    from ..publish.runner import ERROR, FAILED_NOW, GAVE_UP_NOW, INVALID, STOPPED

    loaded = _load(args)
    if loaded is None:
        return 1
    config = loaded[0]
    if not args.live:
        report = _publisher(loaded, live=False).dry_run()
        for outcome in report.outcomes:
            print(outcome)
        path = write_preview(report, Path(args.preview) if args.preview else config.root / PREVIEW_FILE,
                             brand=config.brand)
        print(f"\n시험 실행입니다(아무것도 게시하지 않았고 어떤 요청도 보내지 않았습니다). 미리보기: {path}")
        print("실제로 게시하려면: site-builder publish --live")
        return 1 if report.count(INVALID) else 0
    with _client() as http:
        publisher = _publisher(loaded, live=True, http=http)
        report = publisher.run()
    for outcome in report.outcomes:
        print(publisher.redact(outcome))
    for message in report.stopped.values():
        print(publisher.redact(message), file=sys.stderr)
    bad = sum(report.count(a) for a in (FAILED_NOW, GAVE_UP_NOW, INVALID, ERROR)) + len(report.stopped)
    print(f"\n게시 {report.count('posted')}개, 기다림 {report.count('waiting')}개, 실패·멈춤 {bad}개. "
          "남은 일: site-builder publish status")
    return 1 if bad or report.count(STOPPED) else 0


def run_status(args: argparse.Namespace) -> int:
    from ..publish.plan import tasks
    from ..publish.status import format_status, status_lines

    loaded = _load(args)
    if loaded is None:
        return 1
    config, catalog, settings, planned = loaded
    lines = status_lines(_ledger(config), tasks(planned, settings), config.content_dir,
                         now=datetime.now(timezone.utc), kit_overdue_days=settings.kit_overdue_days)
    print(format_status(lines))
    return 0


def run_preview(args: argparse.Namespace) -> int:
    from ..publish.preview import write_preview

    loaded = _load(args)
    if loaded is None:
        return 1
    config = loaded[0]
    report = _publisher(loaded, live=False).dry_run()
    path = write_preview(report, Path(args.out) if args.out else config.root / PREVIEW_FILE, brand=config.brand)
    print(f"미리보기를 썼습니다: {path}")
    return 0


def run_done(args: argparse.Namespace) -> int:
    from ..config import KST
    from ..content.syndication import SyndicationLink, append_syndication

    loaded = _load(args)
    if loaded is None:
        return 1
    config, catalog, settings, planned = loaded
    ids = {p.post.id for p in planned}
    if args.article not in ids:
        print(f"글 '{args.article}'을(를) 찾을 수 없습니다 — site-builder publish status에 나오는 글 id를 쓰세요",
              file=sys.stderr)
        return 1
    accounts = [a for a in settings.accounts if a.channel == args.channel]
    if not accounts:
        known = ", ".join(sorted({a.channel for a in settings.accounts})) or "(없음)"
        print(f"채널 '{args.channel}'이(가) 설정에 없습니다 — 설정된 채널: {known}", file=sys.stderr)
        return 1
    if args.account:
        accounts = [a for a in accounts if a.account == args.account]
        if not accounts:
            print(f"{args.channel}에 계정 '{args.account}'이(가) 없습니다", file=sys.stderr)
            return 1
    elif len(accounts) > 1:
        names = ", ".join(a.account for a in accounts)
        print(f"{args.channel}에 계정이 여럿입니다({names}) — --account로 고르세요", file=sys.stderr)
        return 1
    url = args.url.strip()
    if not url.startswith("https://"):
        print(f"'{url}'은(는) 게시물 주소가 아닙니다 — 브라우저 주소창의 https://... 주소를 붙여 넣으세요",
              file=sys.stderr)
        return 1
    account = accounts[0]
    row = _ledger(config).mark_manual_done(args.article, account.channel, account.account, url)
    if row.state == "pending":
        print(f"{args.article} → {account.channel}/{account.account}: 지금 다른 실행이 게시하는 중입니다 — "
              "끝난 뒤 publish status로 확인하세요", file=sys.stderr)
        return 1
    if row.state == "sent" and row.remote_url != url:
        print(f"이미 게시되어 있습니다: {row.remote_url} — 기록을 바꾸지 않았습니다", file=sys.stderr)
        return 1
    append_syndication(config.content_dir, SyndicationLink(
        args.article, account.channel, account.account, row.remote_url or url,
        datetime.now(KST).isoformat(timespec="seconds")))
    print(f"기록했습니다: {args.article} → {account.channel}/{account.account} {row.remote_url}")
    print("content/syndication.yml에 덧붙였습니다 — 커밋하면 다음 빌드부터 글에 '다른 곳에서 보기'로 나옵니다.")
    return 0


def run_retry(args: argparse.Namespace) -> int:
    loaded = _load(args)
    if loaded is None:
        return 1
    config, catalog, settings, planned = loaded
    accounts = [a for a in settings.accounts if a.channel == args.channel
                and (not args.account or a.account == args.account)]
    if len(accounts) != 1:
        print(f"채널 '{args.channel}'의 계정을 하나로 정할 수 없습니다 — --account로 고르세요", file=sys.stderr)
        return 1
    account = accounts[0]
    row = _ledger(config).reset(args.article, account.channel, account.account,
                                reason="운영자가 다시 시도하도록 되돌렸습니다")
    if row is None:
        print(f"{args.article} → {account.channel}/{account.account}: 되돌릴 수 있는 상태(확인 필요, 포기, 실패, "
              "키트 대기)가 아닙니다 — publish status로 확인하세요", file=sys.stderr)
        return 1
    print(f"되돌렸습니다: {args.article} → {account.channel}/{account.account}은(는) 다음 publish --live 때 다시 게시됩니다")
    return 0


def run_doctor(args: argparse.Namespace) -> int:
    from ..config import now_kst
    from ..publish.credentials import Redactor
    from ..publish.doctor import ERROR, run_doctor as doctor
    from ..publish.registry import REGISTRY
    from ..publish.settings import load_publish_settings
    from ..config import load_config

    config = load_config(args.root)
    settings = load_publish_settings(config, set(REGISTRY))
    if not settings.accounts:
        print("설정된 채널이 없습니다 — mkdocs.yml의 extra.site_builder.publish.channels를 보세요.")
        return 0
    redactor = Redactor()
    with _client() as http:
        checks = doctor(settings, REGISTRY, http, _credentials(config), today=now_kst().date(),
                        redactor=redactor)
    for check in checks:
        print(redactor(check))
    return 1 if any(c.level == ERROR for c in checks) else 0


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "publish", help="글을 소셜 채널에 올립니다 (--live가 없으면 요청 없이 미리 보기만); status, preview, done, retry, doctor")
    parser.add_argument("--live", action="store_true", help="실제로 올립니다 (기본: 어떤 요청도 보내지 않는 미리 보기)")
    parser.add_argument("--preview", help="미리 보기 페이지를 쓸 곳 "
                                          "(기본: .cache/site-builder/publish-preview.html)")
    parser.set_defaults(handler=run_publish)
    sub = parser.add_subparsers(dest="publish_command", metavar="하위명령")
    p = sub.add_parser("status", help="끝난 것, 진행 중, 실패(이유와 함께), 사람 손을 기다리는 것, 늦어진 키트")
    p.set_defaults(handler=run_status)
    p = sub.add_parser("preview", help="모든 초안을 보여 주는 HTML 페이지를 씁니다 (요청 없음)")
    p.add_argument("--out", help="쓸 파일 (기본: .cache/site-builder/publish-preview.html)")
    p.set_defaults(handler=run_preview)
    p = sub.add_parser("done", help="손으로(키트로) 올린 글의 주소를 기록합니다")
    p.add_argument("article", help="글 id (publish status에 나옴)")
    p.add_argument("channel", help="채널 이름 (예: brunch, naver_blog, kakao_channel)")
    p.add_argument("url", help="올린 글의 https:// 주소")
    p.add_argument("--account", help="채널에 계정이 여럿일 때 그 계정 키")
    p.set_defaults(handler=run_done)
    p = sub.add_parser("retry", help="올라가지 않았음을 손으로 확인한 글(확인 불가, 포기)을 다시 올리도록 합니다")
    p.add_argument("article", help="글 id")
    p.add_argument("channel", help="채널 이름")
    p.add_argument("--account", help="채널에 계정이 여럿일 때 그 계정 키")
    p.set_defaults(handler=run_retry)
    p = sub.add_parser("doctor", help="설정된 모든 자격 증명을 해가 없는 호출로 확인하고 만료가 다가오면 알립니다")
    p.set_defaults(handler=run_doctor)
