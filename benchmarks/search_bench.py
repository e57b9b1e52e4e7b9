"""Search benchmark: index size, bytes and latency per cold query in chromium, and the index's build cost.

    .venv/bin/python benchmarks/search_bench.py --articles 1000 [--articles 10000] [--runs 3]

For each size: generates the corpus (benchmarks/generate.py) unless present, then
- build cost, each step its own process: a clean `build --full` (no site/, no .cache/; wall and CPU time
  of the build with its workers, from os.wait4); render_search_index() alone on that catalog with an
  empty cache folder (CPU time; what the clean build spent on the analysis and the index, in its
  second process beside page rendering); then one sentence appended to one article's body:
  render_search_index() with a copy of the build's search cache (the one-body rebuild's share) and the
  incremental `build` itself (wall and CPU); the article is put back afterwards;
- index on disk: the bytes and files under site/search/;
- per query, in a fresh chromium context (cold: nothing cached): the bytes the browser fetched for it
  (performance resource entries, transferSize; the plain loopback server sends no compression), and the
  time from the last keystroke to the results shown (the box's debounce included; --keystroke: the
  composition of a Korean IME ending, as when the reader presses space or Enter after the query, or a
  key typed without an IME); then warm: the same query searched again in that page.
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


ENV = dict(os.environ, SITE_BUILDER_NOW="2019-06-01T12:00:00+09:00")


def build(project: Path, *extra: str) -> tuple[float, float]:
    """Run `site-builder build` (with extra arguments) in its own process; return (wall s, CPU s)."""
    started = time.perf_counter()
    proc = subprocess.Popen([str(REPO / ".venv" / "bin" / "site-builder"), "--root", str(project), "build",
                             *extra, "--quiet"], env=ENV)
    _pid, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status):
        raise SystemExit(f"build of {project} failed")
    return time.perf_counter() - started, usage.ru_utime + usage.ru_stime


def index_cost(project: Path, cache: Path) -> float:
    """CPU seconds of render_search_index() with the cache folder, in a fresh process (no warm memo)."""
    out = subprocess.run([sys.executable, __file__, "--index-cost", str(project), str(cache)], env=ENV,
                         check=True, capture_output=True, text=True).stdout
    return float(out.split()[-1])


def _index_cost_here(project: Path, cache: Path) -> None:
    from site_builder.build.contributions import newsletter_search_docs
    from site_builder.catalog import load_catalog
    from site_builder.feeds import render_feeds
    from site_builder.render.html import BodyCache, use_body_cache
    from site_builder.search import render_search_index

    use_body_cache(BodyCache(project / ".cache" / "site-builder" / "bodies.json"))   # as the build's worker
    catalog = load_catalog(project)
    render_feeds(catalog)  # converts every body, as the build's second process has when the index is made
    extra = newsletter_search_docs(catalog)
    started = time.process_time()
    render_search_index(catalog, extra, cache_dir=cache)
    print(time.process_time() - started)


def edited(project: Path):
    """The article whose body the one-body figures change, and its text before."""
    articles = sorted((project / "content").glob("*/*.md"))
    article = articles[len(articles) // 2]
    return article, article.read_text(encoding="utf-8")


def index_costs(project: Path) -> tuple[float, float]:
    """Without a build: render_search_index's CPU with an empty cache, and after a one-body edit with a copy
    of the project's search cache (made by a build or by --index-only)."""
    import shutil
    import tempfile

    article, original = edited(project)
    with tempfile.TemporaryDirectory() as scratch:
        cold = index_cost(project, Path(scratch) / "empty")
        shutil.copytree(project / ".cache" / "site-builder" / "search", Path(scratch) / "warm")
        index_cost(project, Path(scratch) / "warm")      # the cache as of the unchanged corpus
        article.write_text(original + "\n덧붙인 문단입니다.\n", encoding="utf-8")
        try:
            edit = index_cost(project, Path(scratch) / "warm")
        finally:
            article.write_text(original, encoding="utf-8")
    return cold, edit


def build_costs(project: Path, runs: int) -> dict[str, float]:
    """Median figures of clean builds, the index alone (cold cache), and one-body rebuilds."""
    import shutil
    import tempfile

    rows: dict[str, list[float]] = {k: [] for k in ("clean_wall", "clean_cpu", "index_cold", "index_edit",
                                                   "edit_wall", "edit_cpu")}
    article, original = edited(project)
    for run in range(runs):
        shutil.rmtree(project / "site", ignore_errors=True)
        shutil.rmtree(project / ".cache", ignore_errors=True)
        wall, cpu = build(project, "--full")
        rows["clean_wall"].append(wall)
        rows["clean_cpu"].append(cpu)
        with tempfile.TemporaryDirectory() as scratch:
            rows["index_cold"].append(index_cost(project, Path(scratch) / "empty"))
            article.write_text(original + f"\n덧붙인 문단 {run}입니다.\n", encoding="utf-8")
            shutil.copytree(project / ".cache" / "site-builder" / "search", Path(scratch) / "warm")
            rows["index_edit"].append(index_cost(project, Path(scratch) / "warm"))
        wall, cpu = build(project)
        rows["edit_wall"].append(wall)
        rows["edit_cpu"].append(cpu)
        article.write_text(original, encoding="utf-8")
        build(project)
    return {k: statistics.median(v) for k, v in rows.items()}


def measure_queries(site: Path, keystroke: str = "ime") -> list[tuple[str, int, float, float, int]]:
    from site_builder.tools import browser
    from site_builder.build.server import serve_site

    rows = []
    with serve_site(site) as base, browser.launch() as chromium:
        for query in QUERIES:
            context = chromium.new_context(viewport={"width": 1280, "height": 800}, locale="ko-KR")
            page = context.new_page()
            page.goto(base + "search/", wait_until="networkidle")
            before = page.evaluate("performance.getEntriesByType('resource').length")
            elapsed = page.evaluate("""async ([q, ime]) => {
                const el = document.getElementById('sb-search-q'), status = document.getElementById('sb-search-status');
                const list = document.getElementById('sb-search-results');
                // shown: the status line and the first page of results (or the status line saying none)
                const shown = () => status.textContent.includes('건') &&
                  (status.textContent.includes(' 0건') || list.querySelector('.sb-search__hit'));
                const done = new Promise(r => new MutationObserver((m, o) => {
                  if (shown()) { o.disconnect(); r(); } }).observe(document.body, {childList: true, subtree: true, characterData: true}));
                let t;
                if (ime) {   // the reader's last keystroke commits the IME's composition (space, Enter)
                  el.dispatchEvent(new CompositionEvent('compositionstart', {bubbles: true})); el.value = q;
                  el.dispatchEvent(new InputEvent('input', {bubbles: true, isComposing: true, data: q,
                                                            inputType: 'insertCompositionText'}));
                  t = performance.now(); el.dispatchEvent(new CompositionEvent('compositionend', {bubbles: true, data: q}));
                } else {     // a key typed without an IME (the last letter of the query)
                  el.value = q; t = performance.now();
                  el.dispatchEvent(new InputEvent('input', {bubbles: true, inputType: 'insertText', data: q.slice(-1)}));
                }
                await done; await new Promise(r => requestAnimationFrame(r)); const first = performance.now() - t;
                // complete: every snippet in place (the list is aria-busy until then)
                if (list.hasAttribute('aria-busy') && list.getAttribute('aria-busy') !== 'false')
                  await new Promise(r => new MutationObserver((m, o) => { if (list.getAttribute('aria-busy') === 'false') {
                    o.disconnect(); r(); } }).observe(list, {attributes: true}));
                return [first, performance.now() - t]; }""", [query, keystroke == "ime"])
            fetched = page.evaluate("""(n) => performance.getEntriesByType('resource').slice(n)
                .filter(e => e.name.includes('/search/')).reduce((s, e) => s + e.transferSize, 0)""", before)
            hits = int("".join(ch for ch in page.inner_text("#sb-search-status").split("결과")[-1] if ch.isdigit()) or 0)
            warm = page.evaluate("""async (q) => { const t = performance.now(); await window.sbSearch.search(q, null);
                return performance.now() - t; }""", query)
            rows.append((query, fetched, elapsed[0], warm, hits, elapsed[1]))
            context.close()
    return rows


def index_only(count: int, project: Path, pages: Path) -> Path:
    """A site of the search page alone: the index of the generated corpus (render_search_index, no build)
    with the /search/ page and assets of the built site at pages. For query figures at a size whose
    full build does not fit the time; the page's filter menus are those of the smaller site. Made once
    (benchmarks/out/search-only-<n>/; delete it to make it again)."""
    import shutil

    from site_builder.catalog import load_catalog
    from site_builder.render.html import BodyCache, use_body_cache
    from site_builder.search import render_search_index

    site = REPO / "benchmarks" / "out" / f"search-only-{count}"
    if (site / "search" / "manifest.json").is_file():
        return site
    shutil.rmtree(site, ignore_errors=True)
    shutil.copytree(pages / "assets", site / "assets")
    (site / "search").mkdir(parents=True)
    shutil.copy2(pages / "search" / "index.html", site / "search" / "index.html")
    bodies = BodyCache(project / ".cache" / "site-builder" / "bodies.json")
    use_body_cache(bodies)
    catalog = load_catalog(project)
    for rel, data in render_search_index(catalog).items():
        path = site / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    bodies.save(keep=set(bodies.used))
    return site


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, action="append", default=None)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--no-queries", action="store_true", help="build costs only")
    parser.add_argument("--index-cost", nargs=2, type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--client", type=Path, help="measure the queries with this sb-search.js instead (A/B)")
    parser.add_argument("--keystroke", choices=("ime", "typed"), default="ime",
                        help="the last keystroke: an IME composition ending (Korean; default) or a key typed "
                             "without an IME")
    parser.add_argument("--queries-only", action="store_true",
                        help="no build: query figures on the built site (or, with --index-only, see below)")
    parser.add_argument("--index-only", action="store_true", help="with --queries-only: no build of this size; "
                        "its index served with the search page and assets of the built 1,000-article site")
    parser.add_argument("--index-costs", action="store_true", help="no build: render_search_index's CPU, empty "
                        "cache and after a one-body edit (the project's search cache must exist)")
    args = parser.parse_args()
    if args.index_cost:
        return _index_cost_here(*args.index_cost)
    for count in args.articles or [1000]:
        if args.index_costs:
            load = os.getloadavg()[0]
            cold, edit = index_costs(REPO / "benchmarks" / "out" / f"site-{count}")
            print(f"{count} articles: render_search_index {cold:.2f} s CPU with an empty cache, {edit:.2f} s after a "
                  f"one-body edit (load average {load:.1f} before, {os.getloadavg()[0]:.1f} after)")
            continue
        if args.queries_only:
            project = REPO / "benchmarks" / "out" / f"site-{count}"
            site = (index_only(count, project, REPO / "benchmarks" / "out" / "site-1000" / "site")
                    if args.index_only else project / "site")
            print(f"\n## queries, {count} articles{' (index only)' if args.index_only else ''}, "
                  f"client {args.client or 'themes/assets/sb-search.js'}, keystroke {args.keystroke}, load average {os.getloadavg()[0]:.1f}\n")
            print_queries(site, args.client, args.keystroke)
            print(f"load average after: {os.getloadavg()[0]:.1f}")
            continue
        project = REPO / "benchmarks" / "out" / f"site-{count}"
        if not (project / "mkdocs.yml").exists():
            subprocess.run([sys.executable, str(REPO / "benchmarks" / "generate.py"), "--articles", str(count),
                            "--out", str(project)], check=True)
        load = os.getloadavg()[0]
        c = build_costs(project, args.runs)
        site = project / "site"
        files = [p for p in (site / "search").rglob("*") if p.is_file()]
        size = sum(p.stat().st_size for p in files)
        print(f"\n## {count} articles (load average {load:.1f} before, {os.getloadavg()[0]:.1f} after the builds;"
              f" medians of {args.runs})\n")
        print(f"- clean build (`build --full`, no cache): {c['clean_wall']:.1f} s wall, {c['clean_cpu']:.1f} s CPU")
        print(f"- analysis + index in it (render_search_index, empty cache): {c['index_cold']:.2f} s CPU = "
              f"{100 * c['index_cold'] / c['clean_wall']:.1f} % of the build's wall time, "
              f"{100 * c['index_cold'] / c['clean_cpu']:.1f} % of its CPU time")
        print(f"- one-body rebuild (`build`, incremental): {c['edit_wall']:.1f} s wall, {c['edit_cpu']:.1f} s CPU; "
              f"analysis + index in it: {c['index_edit']:.2f} s CPU = {100 * c['index_edit'] / c['edit_wall']:.1f} % "
              f"of its wall time, {100 * c['index_edit'] / c['edit_cpu']:.1f} % of its CPU time")
        print(f"- index on disk: {size / 1e6:.1f} MB in {len(files)} files; "
              f"sb-search.js {(site / 'assets' / 'sb-search.js').stat().st_size / 1000:.1f} kB")
        if not args.no_queries:
            print_queries(site, args.client, args.keystroke)


def print_queries(site: Path, client: Path | None, keystroke: str = "ime") -> None:
    import shutil

    script = site / "assets" / "sb-search.js"
    kept = script.read_bytes()
    if client:
        shutil.copyfile(client, script)
    try:
        rows = measure_queries(site, keystroke)
    finally:
        script.write_bytes(kept)
    print("\n| query | results | bytes fetched (cold) | keystroke -> results shown, cold | -> snippets in | warm |")
    print("|---|---|---|---|---|---|")
    for query, fetched, cold, warm, hits, complete in rows:
        print(f"| {query} | {hits} | {fetched / 1000:.1f} kB | {cold:.0f} ms | {complete:.0f} ms | {warm:.1f} ms |")
    print(f"\nmedian cold bytes {statistics.median(r[1] for r in rows) / 1000:.1f} kB, max "
          f"{max(r[1] for r in rows) / 1000:.1f} kB; median cold latency {statistics.median(r[2] for r in rows):.0f} ms,"
          f" max {max(r[2] for r in rows):.0f} ms; snippets in: median {statistics.median(r[5] for r in rows):.0f} ms;"
          f" median warm {statistics.median(r[3] for r in rows):.1f} ms")
    print(f"\nsearch page: {base_url_hint(site)}")


def base_url_hint(site: Path) -> str:
    return f"python -m http.server -d {site} then /search/?q={quote('청년')}"


if __name__ == "__main__":
    main()
