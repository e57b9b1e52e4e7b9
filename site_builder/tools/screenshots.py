"""`make screenshots`: build the site, then save each template at 320 px and 1280 px, light and dark.

    python -m site_builder.tools.screenshots --out screenshots [--site site] [--only article-video]

Files are named <template>-<width>-<light|dark>.png (whole page). Nothing leaves 127.0.0.1:
requests elsewhere are refused and listed at the end."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import browser
from .serve import serve_site
from .templates import Sample, sample_pages


def open_sample(page, sample: Sample, base: str) -> None:
    """Load the sample's page and, for the search template, open the search dialog with results."""
    page.goto(sample.url(base), wait_until="load")
    page.evaluate("document.fonts.ready")
    if sample.search:
        open_search(page, sample.search)


def open_search(page, query: str) -> None:
    """Open Material's search dialog the way a reader does (a click) and type the query.

    Material reads the query on keyup; Hangul typed through an input method ends with a keyup,
    which Playwright's text insertion lacks, so the typing ends with an End key press."""
    button = page.locator("label.md-header__button[for=__search]")
    (button if button.is_visible() else page.locator(".md-search__input")).click()
    box = page.locator("input[data-md-component=search-query]")
    page.wait_for_function("(document.querySelector('.md-search-result__meta') || {}).textContent"
                           " && document.querySelector('.md-search-result__meta').textContent.trim() !== '검색 초기화'")
    box.fill(query)
    box.press("End")
    page.wait_for_function("document.querySelectorAll('.md-search-result__item').length > 0")
    # the dialog slides in: measure and photograph it where it comes to rest
    page.wait_for_function("document.getAnimations().every(a => a.playState !== 'running')")


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
                    page.screenshot(path=str(target), full_page=not sample.search)  # a dialog: what the screen shows
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
        from ..build import build_site

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
