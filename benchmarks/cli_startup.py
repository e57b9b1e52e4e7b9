"""CPU time of short `site-builder` calls (--help, --version, check): the cost of starting the CLI.

    .venv/bin/python benchmarks/cli_startup.py [--runs 5] [--root .]

Each command runs in a fresh interpreter; the figure is the best user+system CPU time of the runs
(CPU, not wall time: the shared machine's load changes wall time much more than CPU time)."""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys

COMMANDS = [["--help"], ["--version"], ["newsletter", "send", "--help"], ["check"]]


def cpu_of(argv: list[str]) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run([sys.executable, "-m", "site_builder", *argv], stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--root", default=".")
    args = parser.parse_args()
    os.chdir(args.root)
    for argv in COMMANDS:
        best = min(cpu_of(argv) for _ in range(args.runs))
        print(f"site-builder {' '.join(argv):<28} {best:5.2f} s CPU (best of {args.runs})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
