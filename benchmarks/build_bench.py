"""Time a clean `site-builder build` and rebuilds after changing one article.

    python benchmarks/build_bench.py --articles 1000

Each build runs in its own process (what a user runs); wall time and the child's peak RSS
are read from os.wait4. Clean: no site/ and no .cache/. Rebuild: a paragraph appended to one
article, then `build` (incremental: only that article's page, the search index and its feeds)
and `build --full` (everything). Prints one line per measurement."""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import REPO, generate  # noqa: E402

CLI = [sys.executable, "-m", "site_builder", "--root"]


def timed(cmd: list[str], expect: str | None = None) -> tuple[float, float]:
    """Run cmd; return (seconds, peak RSS in MiB). expect: text its output must hold (incremental or not)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd + ["--quiet"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    out = proc.stdout.read().decode()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{proc.stderr.read().decode()}")
    incremental = "이전 빌드에서 가져옴" in out
    if expect == "incremental" and not incremental or expect == "full" and incremental:
        raise SystemExit(f"expected a {expect} build: {out}")
    return seconds, usage.ru_maxrss / 1024


def count_pages(site: Path) -> int:
    return sum(1 for _ in site.rglob("*.html"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    project = REPO / "benchmarks" / "out" / f"site-{args.articles}"
    generate(project, args.articles)
    print(f"project: {project} ({args.articles} articles), python {sys.version.split()[0]}, {os.cpu_count()} cores")
    cleans = []
    for _ in range(args.repeat):
        shutil.rmtree(project / "site", ignore_errors=True)
        shutil.rmtree(project / ".cache", ignore_errors=True)
        cleans.append(timed(CLI + [str(project), "build"], "full"))
    pages = count_pages(project / "site")
    best = min(cleans)
    print(f"clean build: {best[0]:.2f} s (best of {args.repeat}; all: {', '.join(f'{s:.2f}' for s, _ in cleans)}), "
          f"peak RSS {max(m for _, m in cleans):.0f} MiB, {pages} pages, {pages / best[0]:.0f} pages/s")
    article = sorted((project / "content" / "feature").glob("*.md"))[0]
    for label, extra, expect in (("rebuild after changing one article's text", [], "incremental"),
                                 ("the same with --full", ["--full"], "full")):
        runs = []
        for i in range(args.repeat):
            article.write_text(article.read_text(encoding="utf-8") + f"\n추가 {i}.\n", encoding="utf-8")
            runs.append(timed(CLI + [str(project), "build"] + extra, expect))
        best = min(runs)
        print(f"{label}: {best[0]:.2f} s (best of {args.repeat}; all: {', '.join(f'{s:.2f}' for s, _ in runs)}), "
              f"peak RSS {max(m for _, m in runs):.0f} MiB")


if __name__ == "__main__":
    main()
