"""`site-builder newsletter ...`: preview, render and check issues; `send` and `status` (commands/_delivery.py)."""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import Callable

from ..errors import format_problems
from ._catalog import catalog_or_report


def _context(args: argparse.Namespace):
    """Return (config, catalog), or print the content errors and return None."""
    return catalog_or_report(args.root, "뉴스레터를 만들 수 없습니다.")


def _pick(args: argparse.Namespace):
    from ..newsletter import select_issues
    from ..textutil import josa, quoted

    context = _context(args)
    if context is None:
        return None
    config, catalog = context
    issues, problems = select_issues(config, catalog, args.issue)
    errors = [p for p in problems if p.is_error]
    if not issues:
        if errors:
            print(format_problems(errors), file=sys.stderr)
        print(f"호 {josa(quoted(args.issue), '을')} 찾을 수 없습니다 — 호수(3), slug, 또는 newsletters/의 파일 이름을 쓰세요",
              file=sys.stderr)
        return None
    mine = {i.source for i in issues}
    own = [p for p in errors if p.path in mine]
    if own:
        print(format_problems(own), file=sys.stderr)
        return None
    return config, catalog, issues


def _write_all(args: argparse.Namespace, out: Path) -> int:
    from ..newsletter import lint_rendered, render_issue, write_preview

    picked = _pick(args)
    if picked is None:
        return 1
    config, catalog, issues = picked
    status = 0
    for issue in issues:
        problems = lint_rendered(issue, render_issue(issue, catalog), config)
        if problems:
            print(format_problems(problems), file=sys.stderr)
            status = 1 if any(p.is_error for p in problems) else status
        files = write_preview(issue, catalog, out)
        print(f"제{issue.number}호 {issue.subject}")
        for label, path in (("HTML", files.html), ("텍스트", files.text), ("메일(.eml)", files.eml),
                            ("웹 버전", files.web)):
            print(f"  {label}: {path}")
        if getattr(args, "open", False):
            import webbrowser

            webbrowser.open(files.html.resolve().as_uri())
    return status


def run_preview(args: argparse.Namespace) -> int:
    out = Path(args.out) if args.out else Path(tempfile.mkdtemp(prefix="newsletter-preview-"))
    return _write_all(args, out)


def run_render(args: argparse.Namespace) -> int:
    return _write_all(args, Path(args.to))


def run_check(args: argparse.Namespace) -> int:
    from ..newsletter import newsletter_problems

    context = _context(args)
    if context is None:
        return 1
    problems = newsletter_problems(*context)
    if problems:
        print(format_problems(problems))
    errors = [p for p in problems if p.is_error]
    if errors:
        print(f"뉴스레터에서 고쳐야 할 문제 {len(errors)}개를 찾았습니다.", file=sys.stderr)
        return 1
    print("뉴스레터에 문제가 없습니다.")
    return 0


def _add_preview(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("preview", help="한 호의 HTML, 텍스트, .eml을 미리보기 값으로 씁니다")
    p.add_argument("issue", help="호수, slug 또는 파일 이름 (모두는 all)")
    p.add_argument("--out", help="쓸 폴더 (기본: 새 임시 폴더)")
    p.add_argument("--open", action="store_true", help="HTML을 브라우저로 엽니다")
    p.set_defaults(handler=run_preview)


def _add_render(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("render", help="여러 호의 HTML, 텍스트, .eml을 한 폴더에 씁니다 (CI에서 검토용)")
    p.add_argument("issue", help="호수, slug 또는 파일 이름, 또는 all")
    p.add_argument("--to", required=True, help="쓸 폴더")
    p.set_defaults(handler=run_render)


def _add_check(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("check", help="모든 호를 검사합니다 (`site-builder check`에도 들어 있음)")
    p.set_defaults(handler=run_check)


def _add_delivery(sub: argparse._SubParsersAction) -> None:
    from ._delivery import add_delivery_commands

    add_delivery_commands(sub)  # send, status


# Subcommands in help order; each adds its own parser.
SUBCOMMANDS: list[tuple[str, Callable[[argparse._SubParsersAction], None]]] = [
    ("preview", _add_preview),
    ("render", _add_render),
    ("check", _add_check),
    ("send/status", _add_delivery),
]


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("newsletter", help="뉴스레터: 미리보기, 만들기, 검사, 발송, 발송 현황")
    sub = parser.add_subparsers(dest="newsletter_command", metavar="명령")
    for _name, add in SUBCOMMANDS:
        add(sub)
    parser.set_defaults(handler=lambda args: (parser.print_help(), 2)[1])
