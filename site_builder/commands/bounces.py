"""`site-builder bounces process MAILDIR`: suppress subscribers named by bounces (RFC 3464) and complaints (ARF)."""

from __future__ import annotations

import argparse
import sys


def run_process(args: argparse.Namespace) -> int:
    from ..config import load_config
    from ..delivery.bounces import process_maildir
    from ..db import database_url
    from ..subscribers import MissingSecret, open_store, secret_from_env

    try:
        secret = secret_from_env()
    except MissingSecret as exc:
        print(f"설정 오류: {exc}", file=sys.stderr)
        return 2
    config = load_config(args.root)
    store = open_store(database_url(config.root))
    try:
        report = process_maildir(store, args.maildir, secret=secret, reprocess=args.all)
    finally:
        store.close()
    print(report.summary())
    for line in report.details[: args.limit]:
        print("  " + line)
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("bounces", help="Maildir의 반송(bounce)과 스팸 신고를 처리합니다")
    sub = parser.add_subparsers(dest="bounces_command", metavar="명령")
    p = sub.add_parser("process", help="반송(DSN), 스팸 신고(ARF), mailto 수신거부가 든 Maildir을 읽습니다")
    p.add_argument("maildir", help="반송 주소(bounce+...@)로 온 메일이 쌓이는 Maildir")
    p.add_argument("--all", action="store_true", help="이미 처리한 메일도 다시 읽습니다")
    p.add_argument("--limit", type=int, default=50, help="메일마다 한 줄씩, 최대 몇 줄을 보일지 (기본: 50)")
    p.set_defaults(handler=run_process)
    parser.set_defaults(handler=lambda args: (parser.print_help(), 2)[1])
