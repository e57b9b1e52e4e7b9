"""Time from saving a body edit to the new text in the browser, under `site-builder serve`.

    .venv/bin/python benchmarks/serve_bench.py                 # the sample archive and 1,000 generated articles
    .venv/bin/python benchmarks/serve_bench.py --articles 0    # the sample archive only

For each project (a copy of the sample archive; benchmarks/generate.py's N articles) it starts
`site-builder serve` on a free port, opens an article in chromium, waits for the first build, then
several times: appends a sentence to the article's body and measures the wall time from just before the
write until that sentence is in the page's DOM (the page reloads itself), and when the page's reload
request left the browser (the server had detected the save, rendered the page and told the page).
Prints each run and the median.
Not part of `make test`: speed is measured here, never asserted.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.generate import generate  # noqa: E402
from site_builder.tools import browser  # noqa: E402
from site_builder.tools.serve import running_preview  # noqa: E402


def sample_copy(target: Path) -> Path:
    target.mkdir(parents=True)
    for name in ("content", "newsletters", "themes"):
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, target / name)
    shutil.copy(REPO / "mkdocs.yml", target / "mkdocs.yml")
    return target


def first_article(project: Path) -> tuple[Path, str]:
    """An article file and its URL path (interview/2018-09-05-prep-team-member.md -> interview/prep-team-member/)."""
    path = sorted((project / "content" / "interview").glob("*.md"))[0]
    text = path.read_text(encoding="utf-8")
    slug = path.stem[11:]
    for line in text.splitlines():
        if line.startswith("slug:"):
            slug = line.split(":", 1)[1].strip()
    return path, f"interview/{slug}/"


def measure(project: Path, runs: int, label: str) -> list[float]:
    article, url = first_article(project)
    source = article.read_text(encoding="utf-8")
    times: list[float] = []
    reloads: list[float] = []
    with browser.launch() as chromium, running_preview(project) as serve:
        page = chromium.new_page()
        page.on("request", lambda r: reloads.append(time.perf_counter()) if r.is_navigation_request() else None)
        started = time.perf_counter()
        page.goto(serve.url + url)
        page.locator("article h1, .md-content h1").first.wait_for(timeout=600_000)
        print(f"{label}: first build and page {time.perf_counter() - started:.1f} s ({serve.out[-1] if serve.out else ''})")
        for run in range(runs):
            marker = f"벤치마크 {run + 1}번째 저장에서 덧붙인 문장입니다"
            started = time.perf_counter()
            article.write_text(source.rstrip("\n") + f"\n\n{marker}.\n", encoding="utf-8")
            page.get_by_text(marker).wait_for(timeout=120_000)
            times.append(time.perf_counter() - started)
            asked = max(reloads) - started   # the page's reload request: the server had written the page
            print(f"{label}: run {run + 1}: {times[-1] * 1000:.0f} ms (reload asked after {asked * 1000:.0f} ms) "
                  f"— {serve.out[-1]}")
        page.close()
    article.write_text(source, encoding="utf-8")
    print(f"{label}: median of {runs}: {statistics.median(times) * 1000:.0f} ms "
          f"(min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f})")
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=1000, help="generated articles (0: the sample only)")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    print(f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, load {os.getloadavg()[0]:.2f}, "
          f"{os.cpu_count()} cores, Python {sys.version.split()[0]}")
    with tempfile.TemporaryDirectory(prefix="serve-bench-") as tmp:
        measure(sample_copy(Path(tmp) / "sample"), args.runs, "sample archive")
        if args.articles:
            project = Path(tmp) / f"site-{args.articles}"
            generate(project, args.articles)
            measure(project, args.runs, f"{args.articles} articles")
    print(f"load {os.getloadavg()[0]:.2f} at the end")
    return 0


if __name__ == "__main__":
    sys.exit(main())
