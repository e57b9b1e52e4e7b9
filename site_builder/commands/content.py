"""`site-builder check` and `site-builder new`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

# The kinds of article, for `new`'s choices: a test holds this list equal to config.KINDS
# (importing config here would load YAML and the content model for every command's --help).
KIND_CHOICES = ("interview", "column", "meeting", "feature", "cardnews", "video", "infographic")


def register(subparsers: argparse._SubParsersAction) -> None:
    check = subparsers.add_parser("check", help="모든 파일을 검사합니다 (아무것도 쓰지 않음)")
    check.add_argument("--strict", action="store_true",
                       help="빠른 정적 접근성 검사도 하고, 경고도 오류로 봅니다")
    check.set_defaults(handler=run_check)
    new = subparsers.add_parser("new", help="그 종류의 모든 항목을 갖춘 새 글을 씁니다")
    new.add_argument("kind", choices=list(KIND_CHOICES), help="글의 종류")
    new.add_argument("slug", help="영문 주소, 예: youth-union")
    new.add_argument("--date", help="YYYY-MM-DD (기본: 서울 기준 오늘)")
    new.set_defaults(handler=run_new)


def run_check(args: argparse.Namespace) -> int:
    from ..catalog import check_content
    from ..config import load_config
    from ..errors import format_problems

    config = load_config(args.root)
    _check_settings(config)   # raises ConfigError with every bad key (the CLI prints them)
    loaded, problems = check_content(config)
    if not any(p.is_error for p in problems):
        problems = problems + output_problems(config, loaded)
    if args.strict:
        from ..content import strict_problems

        problems = problems + strict_problems(config, loaded)
    errors = [p for p in problems if p.is_error or (args.strict and p.severity == "warning")]
    if problems:
        print(format_problems(problems))
        print()
    drafts = sum(1 for a in loaded.articles if a.draft)
    summary = (f"글 {len(loaded.articles)}개 (초안 {drafts}개), 페이지 {len(loaded.pages)}개, "
               f"필자 {len(loaded.authors)}명과 피드·뉴스레터를 확인했습니다.")
    if errors:
        print(f"{summary} 고쳐야 할 문제 {len(errors)}개를 찾았습니다.", file=sys.stderr)
        return 1
    print(f"{summary} 문제가 없습니다.")
    return 0


def _check_settings(config) -> None:
    """Validate the operators' settings (newsletter, delivery) so a mistake shows before sending day."""
    from ..delivery.settings import DeliverySettings
    from ..newsletter import NewsletterSettings
    from ..settingscheck import SettingsError

    found: list[str] = []
    for read in (lambda: NewsletterSettings.from_config(config),
                 lambda: DeliverySettings.from_config(config, load_keys=False)):
        try:
            read()
        except SettingsError as exc:
            found += exc.problems
    if found:
        raise SettingsError(found)


def output_problems(config, loaded) -> list:
    """Problems the outputs find in valid content: feeds (e.g. enclosures), newsletters (lint)."""
    from ..catalog import build_catalog
    from ..feeds import feed_problems
    from ..newsletter import newsletter_problems

    catalog = build_catalog(config, loaded)
    found = feed_problems(catalog) + newsletter_problems(config, catalog)
    return sorted(found, key=lambda p: (p.path, p.line, p.field))


def run_new(args: argparse.Namespace) -> int:
    from datetime import datetime

    from ..config import KST, load_config
    from ..content import new_article_text
    from ..textutil import is_ascii_slug, josa, quoted

    config = load_config(args.root)
    if not is_ascii_slug(args.slug):
        print(f"주소(slug) {josa(quoted(args.slug), '가')} 올바르지 않습니다 — 영문 소문자, 숫자, 하이픈만 쓰세요 (예: youth-union)",
              file=sys.stderr)
        return 2
    day = args.date or datetime.now(KST).strftime("%Y-%m-%d")
    path = config.content_dir / args.kind / f"{day}-{args.slug}.md"
    if path.exists():
        print(f"{path.relative_to(config.root)}: 이미 있습니다 — 다른 slug를 쓰세요", file=sys.stderr)
        return 1
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(new_article_text(config, args.kind, args.slug, day), encoding="utf-8")
    print(f"새 글을 만들었습니다: {Path(path).relative_to(config.root)}")
    print("머리말의 빈칸을 채운 뒤 `make check`로 확인하세요.")
    return 0
