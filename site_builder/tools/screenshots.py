"""`make screenshots`: build the site, then save each template at 320 px and 1280 px, light and dark.

    python -m site_builder.tools.screenshots --out screenshots [--site site] [--only article-video]

Files are named <template>-<width>-<light|dark>.png (whole page). Nothing leaves 127.0.0.1:
requests elsewhere are refused and listed at the end."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import browser
from ..build.server import serve_site
from .templates import Sample, sample_pages


def open_sample(page, sample: Sample, base: str) -> None:
    """Load the sample's page and, for the search template, wait for its results."""
    page.goto(sample.url(base), wait_until="load")
    page.evaluate("document.fonts.ready")
    if sample.search:
        open_search(page, sample.search)


def open_search(page, query: str) -> None:
    """The search page opened with ?q=: wait until its results are shown."""
    page.wait_for_function("document.getElementById('sb-search-status').textContent.includes('건')")
    page.wait_for_selector("#sb-search-results .sb-search__hit")


def take_screenshots(site_dir: Path, out: Path, only: list[str] | None = None) -> tuple[list[Path], list[str]]:
    """Write every sample at every width and scheme into out; returns (files, refused outside URLs)."""
    out.mkdir(parents=True, exist_ok=True)
    samples = [s for s in sample_pages(site_dir) if not only or s.name in only]
    written: list[Path] = []
    outside = browser.Outside()
    with serve_site(site_dir) as base, browser.launch() as chromium:
        for width in browser.WIDTHS:
            for scheme in browser.SCHEMES:
                context = browser.new_context(chromium, width, scheme, outside)
                page = context.new_page()
                for sample in samples:
                    open_sample(page, sample, base)
                    target = out / f"{sample.name}-{width}-{scheme}.png"
                    page.screenshot(path=str(target), full_page=True)
                    written.append(target)
                context.close()
    return written, outside.urls


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m site_builder.tools.screenshots", description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=Path("screenshots"), help="folder for the PNG files")
    parser.add_argument("--site", type=Path, help="an already built site folder (default: build the project here)")
    parser.add_argument("--only", action="append", help="template name to take (repeatable)")
    args = parser.parse_args(argv)
    site_dir = args.site
    if site_dir is None:
        from ..build.pipeline import build_site

        build_site(Path.cwd())
        site_dir = Path.cwd() / "site"
    written, outside = take_screenshots(site_dir, args.out, args.only)
    print(f"{len(written)}개의 화면을 {args.out}/에 저장했습니다.")
    if outside:
        print("사이트 밖으로 나가려던 요청 (막았습니다):", *sorted(set(outside)), sep="\n  ", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
