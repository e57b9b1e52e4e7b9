"""Search benchmark: index size, bytes and latency per cold query in chromium, and the index's build cost.

    .venv/bin/python benchmarks/search_bench.py --articles 1000 [--articles 10000] [--runs 3]

For each size: generates the corpus (benchmarks/generate.py) unless present, builds it, then
- index on disk: the bytes and files under site/search/;
- build cost: render_search_index() timed in this process on the built catalog (body HTML cached, as in
  the build's second process where it runs after the feeds), against the whole clean build's wall time;
- per query, in a fresh chromium context (cold: nothing cached): the bytes the browser fetched for it
  (performance resource entries, transferSize; the plain loopback server sends no compression), and the
  time from the last keystroke to the results shown (the box's debounce included); then warm: the same
  query typed again in that page.
Figures go to stdout as a Markdown table; record them in benchmarks/README.md with the date and load."""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

QUERIES = ["청년", "청년정책을", "미세먼지", "먼지", "청년 주거", "서울 시민", "자치정부", "공론장에서", "세대균형",
           "일자리 정책", "필자3", "시민참여", "미래세대", "예산을", "청년 의회", "네트워크", "기후 변화", "숙의",
           "청년자치정부준비단", "xyzzy"]


def build(project: Path) -> float:
    env = dict(os.environ, SITE_BUILDER_NOW="2019-06-01T12:00:00+09:00")
    started = time.perf_counter()
    subprocess.run([str(REPO / ".venv" / "bin" / "site-builder"), "--root", str(project), "build", "--full",
                    "--quiet"], check=True, env=env)
    return time.perf_counter() - started


def index_cost(project: Path) -> float:
    from site_builder.catalog import load_catalog
    from site_builder.feeds import render_feeds
    from site_builder.search import render_search_index

    catalog = load_catalog(project)
    render_feeds(catalog)  # converts every body, as the build's second process has when the index is made
    started = time.perf_counter()
    render_search_index(catalog)
    return time.perf_counter() - started


def measure_queries(site: Path) -> list[tuple[str, int, float, float, int]]:
    from site_builder.tools import browser
    from site_builder.build.server import serve_site

    rows = []
    with serve_site(site) as base, browser.launch() as chromium:
        for query in QUERIES:
            context = chromium.new_context(viewport={"width": 1280, "height": 800}, locale="ko-KR")
            page = context.new_page()
            page.goto(base + "search/", wait_until="networkidle")
            before = page.evaluate("performance.getEntriesByType('resource').length")
            elapsed = page.evaluate("""async (q) => {
                const el = document.getElementById('sb-search-q'), status = document.getElementById('sb-search-status');
                const done = new Promise(r => new MutationObserver((m, o) => {
                  if (status.textContent.includes('건')) { o.disconnect(); r(); } }).observe(status, {childList: true, subtree: true, characterData: true}));
                el.value = q; const t = performance.now(); el.dispatchEvent(new InputEvent('input', {bubbles: true}));
                await done; await new Promise(r => requestAnimationFrame(r)); return performance.now() - t; }""", query)
            fetched = page.evaluate("""(n) => performance.getEntriesByType('resource').slice(n)
                .filter(e => e.name.includes('/search/')).reduce((s, e) => s + e.transferSize, 0)""", before)
            hits = int("".join(ch for ch in page.inner_text("#sb-search-status").split("결과")[-1] if ch.isdigit()) or 0)
            warm = page.evaluate("""async (q) => { const t = performance.now(); await window.sbSearch.search(q, null);
                return performance.now() - t; }""", query)
            rows.append((query, fetched, elapsed, warm, hits))
            context.close()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, action="append", default=None)
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    for count in args.articles or [1000]:
        project = REPO / "benchmarks" / "out" / f"site-{count}"
        if not (project / "mkdocs.yml").exists():
            subprocess.run([sys.executable, str(REPO / "benchmarks" / "generate.py"), "--articles", str(count),
                            "--out", str(project)], check=True)
        walls = [build(project) for _ in range(args.runs)]
        costs = [index_cost(project) for _ in range(args.runs)]
        site = project / "site"
        files = [p for p in (site / "search").rglob("*") if p.is_file()]
        size = sum(p.stat().st_size for p in files)
        print(f"\n## {count} articles (load average {os.getloadavg()[0]:.1f})\n")
        print(f"- clean build (`build --full`): {statistics.median(walls):.1f} s wall (median of {len(walls)})")
        print(f"- render_search_index: {statistics.median(costs):.2f} s CPU in one process "
              f"({100 * statistics.median(costs) / statistics.median(walls):.0f} % of the build's wall time; "
              "it runs in the second process, beside page rendering)")
        print(f"- index on disk: {size / 1e6:.1f} MB in {len(files)} files; "
              f"sb-search.js {(site / 'assets' / 'sb-search.js').stat().st_size / 1000:.1f} kB")
        rows = measure_queries(site)
        print("\n| query | results | bytes fetched (cold) | keystroke -> results, cold | warm |")
        print("|---|---|---|---|---|")
        for query, fetched, cold, warm, hits in rows:
            print(f"| {query} | {hits} | {fetched / 1000:.1f} kB | {cold:.0f} ms | {warm:.1f} ms |")
        print(f"\nmedian cold bytes {statistics.median(r[1] for r in rows) / 1000:.1f} kB, max "
              f"{max(r[1] for r in rows) / 1000:.1f} kB; median cold latency {statistics.median(r[2] for r in rows):.0f} ms,"
              f" max {max(r[2] for r in rows):.0f} ms; median warm {statistics.median(r[3] for r in rows):.1f} ms")
        print(f"\nsearch page: {base_url_hint(site)}")


def base_url_hint(site: Path) -> str:
    return f"python -m http.server -d {site} then /search/?q={quote('청년')}"


if __name__ == "__main__":
    main()
