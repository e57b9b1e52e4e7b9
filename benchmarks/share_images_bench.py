"""CPU cost of drawing the share images: `build --full` with the image cache, then without it.

    python benchmarks/build_bench.py --articles 1000   # makes benchmarks/out/site-1000 first
    python benchmarks/share_images_bench.py --articles 1000 --repeat 1

Each build runs in its own process; wall time and the CPU time of the build and its renderer
processes are read from os.wait4. The difference between the two lines is the drawing."""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def run(project: Path, label: str) -> None:
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "site_builder", "--root", str(project), "build", "--full", "--quiet"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(proc.stderr.read().decode())
    print(f"{label}: wall {time.perf_counter() - start:.1f} s, "
          f"CPU user+sys {usage.ru_utime + usage.ru_stime:.1f} s", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    project = REPO / "benchmarks" / "out" / f"site-{args.articles}"
    if not (project / "mkdocs.yml").is_file():
        raise SystemExit(f"{project} is missing: run benchmarks/build_bench.py --articles {args.articles} first")
    cache = project / ".cache" / "site-builder" / "og"
    for _ in range(args.repeat):
        run(project, "share images cached")
        shutil.rmtree(cache, ignore_errors=True)
        run(project, "share images drawn (cache removed)")
    print(f"{sum(1 for _ in cache.iterdir())} images in {cache}")


if __name__ == "__main__":
    main()
