"""`site-builder bounces process MAILDIR`: suppress subscribers named by bounces (RFC 3464) and complaints (ARF)."""

from __future__ import annotations

import argparse
import sys


def run_process(args: argparse.Namespace) -> int:
    from ..config import load_config
    from ..delivery.bounces import process_maildir
    from ..subscribers import MissingSecret, database_url, open_store, secret_from_env

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
    parser = subparsers.add_parser("bounces", help="process bounces and complaints from a Maildir")
    sub = parser.add_subparsers(dest="bounces_command", metavar="SUBCOMMAND")
    p = sub.add_parser("process", help="read a Maildir of bounces (DSN), complaints (ARF) and mailto unsubscribes")
    p.add_argument("maildir", help="the Maildir the return path (bounce+...@) delivers into")
    p.add_argument("--all", action="store_true", help="also re-read messages already processed")
    p.add_argument("--limit", type=int, default=50, help="how many per-message lines to print")
    p.set_defaults(handler=run_process)
    parser.set_defaults(handler=lambda args: (parser.print_help(), 2)[1])
