"""`site-builder build` and `site-builder serve`."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path



def register(subparsers: argparse._SubParsersAction) -> None:
    build = subparsers.add_parser("build", help="모두 검사한 뒤 사이트, 피드, 뉴스레터 페이지를 만듭니다")
    build.add_argument("--site-dir", help="만들 폴더 (기본: mkdocs.yml의 site_dir, site/)")
    build.add_argument("--ping", action="store_true", help="만든 뒤 설정된 WebSub 허브에 알립니다")
    build.add_argument("--quiet", action="store_true", help="진행 기록을 줄입니다 (경고만)")
    build.add_argument("--full", action="store_true",
                       help="지난 빌드 뒤로 글 본문만 바뀌었어도 모든 페이지를 다시 만듭니다")
    build.set_defaults(handler=run_build)
    serve = subparsers.add_parser("serve", help="초안까지 보이는 실시간 미리보기 (http://127.0.0.1:8000)")
    serve.add_argument("--dev-addr", default="127.0.0.1:8000",
                       help="미리보기 주소:포트 (기본: 127.0.0.1:8000, 포트 0이면 빈 포트)")
    serve.set_defaults(handler=run_serve)


def _logging(quiet: bool) -> None:
    logging.basicConfig(level=logging.WARNING if quiet else logging.INFO, format="%(levelname)s %(message)s")
    for name in ("mkdocs.commands.build", "mkdocs.structure.pages", "mkdocs.structure.nav", "mkdocs.plugins"):
        logging.getLogger(name).setLevel(logging.WARNING)


def run_build(args: argparse.Namespace) -> int:
    from ..build.pipeline import build_site
    from ..errors import ContentError, format_problems
    from ..render.request import RenderFailed
    from ..site.parallel import JobsError

    _logging(args.quiet)
    try:
        result = build_site(args.root, site_dir=Path(args.site_dir) if args.site_dir else None,
                            incremental=not args.full)
    except ContentError as exc:
        print(format_problems(exc.problems), file=sys.stderr)
        print(f"\n문제 {len(exc.problems)}개 때문에 빌드하지 않았습니다. 이전 사이트는 그대로입니다.", file=sys.stderr)
        return 1
    except JobsError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except RenderFailed as exc:  # the renderer has logged the cause (a template or plugin error) above
        print(f"{exc}\n빌드가 실패했습니다. 이전 사이트는 그대로입니다.", file=sys.stderr)
        return 1
    except Exception as exc:  # a template or code error (content errors are ContentError above)
        if os.environ.get("SITE_BUILDER_DEBUG"):
            raise
        from ..site.parallel import failure_report

        print(f"{failure_report(exc)}\n빌드가 실패했습니다. 이전 사이트는 그대로입니다. "
              "전체 추적 정보는 SITE_BUILDER_DEBUG=1 을 붙여 다시 실행하면 나옵니다.", file=sys.stderr)
        return 1
    if result.warnings:
        print(format_problems(list(result.warnings)))
    if result.unchanged:
        print(f"{result.site_dir}: 바뀐 것이 없어 그대로 두었습니다 (페이지 {result.pages}개, 파일 {result.files}개, "
              f"확인에 {result.seconds:.1f}초).")
        return _ping(args)
    if result.changed is None:
        how = ""
    elif result.changed == 0:
        how = " (바뀐 글이 없어 모든 페이지를 이전 빌드에서 가져옴)"
    else:
        how = f" (본문이 바뀐 글 {result.changed}개만 다시 만들고 나머지는 이전 빌드에서 가져옴"
        how += f", 바뀐 파일 {len(result.written)}개만 씀)" if result.written is not None else ")"
    print(f"{result.site_dir}: 페이지 {result.pages}개, 파일 {result.files}개를 {result.seconds:.1f}초 만에 만들었습니다{how}.")
    return _ping(args)


def _ping(args: argparse.Namespace) -> int:
    """build --ping: tell the WebSub hubs the feeds may have changed."""
    if args.ping:
        import httpx

        from ..catalog import load_catalog
        from ..feeds import ping_hub
        from ..feeds.websub import HubError

        with httpx.Client(timeout=10) as client:
            try:
                notified = ping_hub(load_catalog(args.root), client)
            except HubError as exc:
                for line in exc.failures:
                    print(line, file=sys.stderr)
                print(f"WebSub 허브 알림 {len(exc.failures)}건이 실패했습니다 (성공 {len(exc.notified)}건).", file=sys.stderr)
                return 1
        for url in notified:
            print(f"WebSub 허브에 알렸습니다: {url}")
    return 0


def run_serve(args: argparse.Namespace) -> int:
    import signal

    from ..config import load_config
    from ..build.watch import run_preview

    _logging(False)
    host, _, port = args.dev_addr.rpartition(":")
    if not host or not port.isdigit():
        print(f"--dev-addr {args.dev_addr}: 주소가 아닙니다 — 127.0.0.1:8000 처럼 쓰세요 (포트 0이면 빈 포트)",
              file=sys.stderr)
        return 2
    load_config(args.root)   # a missing or broken mkdocs.yml is reported before anything starts

    def stop(_signum, _frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)   # clean up (the preview's folder) when stopped by a tool, too
    try:
        run_preview(args.root, host.strip("[]"), int(port),
                    out=lambda line: print(line, flush=True),
                    err=lambda text: print(text, file=sys.stderr, flush=True))
    except KeyboardInterrupt:
        print("미리보기를 끝냈습니다.")
    return 0
