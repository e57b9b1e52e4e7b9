"""Time a clean `site-builder build` and a rebuild after changing one article.

    python benchmarks/build_bench.py --articles 1000

Each build runs in its own process (what a user runs); wall time and the child's peak RSS
are read from os.wait4. Prints one line per measurement."""

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


def timed(cmd: list[str]) -> tuple[float, float]:
    """Run cmd; return (seconds, peak RSS in MiB)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{proc.stderr.read().decode()}")
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
        cleans.append(timed(CLI + [str(project), "build", "--quiet"]))
    pages = count_pages(project / "site")
    best = min(cleans)
    print(f"clean build: {best[0]:.2f} s (best of {args.repeat}; all: {', '.join(f'{s:.2f}' for s, _ in cleans)}), "
          f"peak RSS {max(m for _, m in cleans):.0f} MiB, {pages} pages, {pages / best[0]:.0f} pages/s")
    article = sorted((project / "content" / "feature").glob("*.md"))[0]
    rebuilds = []
    for i in range(args.repeat):
        article.write_text(article.read_text(encoding="utf-8") + f"\n추가 문단 {i}.\n", encoding="utf-8")
        rebuilds.append(timed(CLI + [str(project), "build", "--quiet"]))
    best = min(rebuilds)
    print(f"rebuild after one change: {best[0]:.2f} s (best of {args.repeat}), peak RSS {max(m for _, m in rebuilds):.0f} MiB, "
          f"{pages / best[0]:.0f} pages/s")


if __name__ == "__main__":
    main()
