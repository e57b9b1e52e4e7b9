"""Time a clean `site-builder build` and rebuilds after changing one article.

    python benchmarks/build_bench.py --articles 1000
    python benchmarks/build_bench.py --articles 1000 --base house-before --rounds 5

Each build runs in its own process (what a user runs); wall time, CPU time (user + system of the
child and the processes it waited for: the forked page renderers and feeds worker) and the peak
RSS are read from os.wait4. The peak RSS is that of the largest single process, not a sum.

Without --base: clean (no site/ and no .cache/), nothing changed, a paragraph appended to one
article's body, one article's title changed, and `build --full` with nothing changed; --repeat runs
of each; prints a Markdown table (wall, CPU, peak RSS, load) and the output's size.

With --base REV: a paired comparison in one run. REV's files are exported with `git archive` into
benchmarks/out/paired-N/before/ (--head REV2 exports the "after" side too; default: this work
tree's code). The same generated project is copied once per side (its theme folder pointing at that
side's themes/), and each side runs with its own code first on PYTHONPATH and the same fixed clock.
One untimed warm-up build per side (bytecode, caches of the file system), then --rounds rounds of:
clean build before, clean build after, one-body edit + rebuild before, the same edit + rebuild
after — in every second round the after side goes first (ABBA), so that neither side always
follows the other's big writes. Reports per side the median wall, CPU and peak RSS, and the ratio after/before of
each round (median, min–max): read the ratios, not the seconds, on a shared machine."""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import REPO, generate  # noqa: E402

CLI = [sys.executable, "-m", "site_builder", "--root"]
NOW = "2026-06-01T09:00:00+09:00"
REUSED = "이전 빌드에서 가져옴"  # what an incremental build prints


@dataclass
class Run:
    wall: float  # seconds
    cpu: float  # user + system seconds, waited-for children included
    rss: float  # MiB, the largest process
    incremental: bool


def measure(cmd: list[str], env: dict[str, str] | None = None, cwd: Path | None = None) -> Run:
    """Run cmd (with --quiet) to its end; fail loudly when it fails."""
    with tempfile.TemporaryFile() as stdout, tempfile.TemporaryFile() as stderr:  # no pipe to fill up
        start = time.perf_counter()
        proc = subprocess.Popen(cmd + ["--quiet"], stdout=stdout, stderr=stderr, env=env, cwd=cwd)
        _pid, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        stdout.seek(0)
        stderr.seek(0)
        out, err = stdout.read().decode(), stderr.read().decode()
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{out}\n{err}")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, REUSED in out)


def count_pages(site: Path) -> int:
    return sum(1 for _ in site.rglob("*.html"))


def clean(project: Path) -> None:
    shutil.rmtree(project / "site", ignore_errors=True)
    shutil.rmtree(project / ".cache", ignore_errors=True)


def edit_body(project: Path, n: int) -> None:
    """Append a paragraph to the first feature article's body (the same edit on both sides)."""
    article = sorted((project / "content" / "feature").glob("*.md"))[0]
    article.write_text(article.read_text(encoding="utf-8") + f"\n추가 문단 {n}.\n", encoding="utf-8")


def edit_title(project: Path, n: int) -> None:
    """Change the title of the second feature article (its page, listings, cards and feeds change)."""
    article = sorted((project / "content" / "feature").glob("*.md"))[1]
    text = article.read_text(encoding="utf-8")
    # appended, so that every run changes it (a title set to a fixed text may already be there)
    lines = [f"{line} 고침{n}" if line.startswith("title: ") else line for line in text.split("\n")]
    article.write_text("\n".join(lines), encoding="utf-8")


def apparent_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6


def single(args: argparse.Namespace) -> None:
    """One project, this work tree's code: clean, nothing changed, one body edited, one title edited, --full."""
    project = args.project or REPO / "benchmarks" / "out" / f"site-{args.articles}"
    if not args.project:
        generate(project, args.articles)
    env = dict(os.environ, SITE_BUILDER_NOW=NOW)
    print(f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; project {project}; python "
          f"{sys.version.split()[0]}; {os.cpu_count()} cores; load average {load()}")
    cmd = CLI + [str(project), "build"]
    steps = [("nothing changed", lambda n: None, []), ("one body edited", lambda n: edit_body(project, n), []),
             ("one title edited", lambda n: edit_title(project, n), []), ("--full, nothing changed", lambda n: None,
                                                                          ["--full"])]
    if not args.no_clean:
        steps.insert(0, ("clean", lambda n: clean(project), []))
    elif not (project / "site").is_dir():
        measure(cmd, env=env)
    if args.steps:
        wanted = [w.strip() for w in args.steps.split(",")]
        steps = [step for step in steps if any(step[0].lstrip("-").startswith(w) for w in wanted)]
    print("| build | wall, median (min–max) | CPU user+sys | peak RSS MiB | load |")
    print("| --- | --- | --- | --- | --- |")
    for label, prepare, extra in steps:
        runs = []
        for n in range(args.repeat):
            prepare(n)
            runs.append(measure(cmd + extra, env=env))
        print(f"| {label} | {spread([r.wall for r in runs])} s | {spread([r.cpu for r in runs])} s "
              f"| {max(r.rss for r in runs):.0f} | {load()} |", flush=True)
    pages = count_pages(project / "site")
    print(f"\n{pages} pages; output {apparent_mb(project / 'site'):.1f} MB apparent")


# --- paired: two commits' code on the same project, round by round ---

def export(rev: str, target: Path) -> None:
    """REV's files (git archive) into target."""
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(REPO), "archive", "--format=tar", rev],
                             check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)


def project_for(source: Path, target: Path, code: Path) -> None:
    """A copy of the generated project whose theme folder is that side's themes/."""
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(source, target)
    config = target / "mkdocs.yml"
    lines = [f"  custom_dir: {code / 'themes'}" if line.startswith("  custom_dir:") else line
             for line in config.read_text(encoding="utf-8").splitlines()]
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")


class Side:
    def __init__(self, label: str, code: Path, project: Path) -> None:
        self.label, self.code, self.project = label, code, project
        self.env = dict(os.environ, PYTHONPATH=str(code), SITE_BUILDER_NOW=NOW, PYTHONHASHSEED="0")
        self.env.pop("SMTP_HOST", None)
        self.runs: dict[str, list[Run]] = {"clean": [], "edit": []}

    def build(self) -> Run:
        return measure(CLI + [str(self.project), "build"], env=self.env, cwd=self.project)

    def loaded_from(self) -> str:
        return subprocess.run([sys.executable, "-c", "import site_builder; print(site_builder.__file__)"],
                              env=self.env, cwd=self.project, check=True, capture_output=True, text=True).stdout.strip()


def load() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def spread(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} ({min(values):.2f}–{max(values):.2f})"


def paired(args: argparse.Namespace) -> None:
    scratch = REPO / "benchmarks" / "out" / f"paired-{args.articles}"
    scratch.mkdir(parents=True, exist_ok=True)
    before_code = scratch / "before"
    export(args.base, before_code)
    if args.head:
        after_code = scratch / "after"
        export(args.head, after_code)
    else:
        after_code = REPO
    generate(scratch / "project", args.articles)
    sides = [Side(f"before ({args.base})", before_code, scratch / "project-before"),
             Side(f"after ({args.head or 'work tree'})", after_code, scratch / "project-after")]
    for side in sides:
        project_for(scratch / "project", side.project, side.code)
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    print(f"{started}; {args.articles} articles; python {sys.version.split()[0]}; {os.cpu_count()} cores; "
          f"load average {load()}")
    for side in sides:
        print(f"  {side.label}: code {side.loaded_from()}")
    for side in sides:  # warm-up: bytecode, the OS's file cache; checks both sides build at all
        clean(side.project)
        warm = side.build()
        print(f"  warm-up {side.label}: {warm.wall:.1f} s, {count_pages(side.project / 'site')} pages")
    for n in range(args.rounds):
        order = sides if n % 2 == 0 else sides[::-1]  # ABBA: neither side always goes first
        for side in order:
            clean(side.project)
            side.runs["clean"].append(side.build())
        for side in order:
            edit_body(side.project, n)
            side.runs["edit"].append(side.build())
        print(f"  round {n + 1}: " + "; ".join(
            f"{side.label.split()[0]} clean {side.runs['clean'][-1].wall:.1f} s, edit {side.runs['edit'][-1].wall:.1f} s"
            + ("" if side.runs["edit"][-1].incremental else " (full)") for side in sides) + f"; load {load()}")
    before, after = sides
    print(f"\n{args.rounds} rounds, load average at the end {load()}\n")
    print("| build | side | wall, median (min–max) | CPU user+sys | peak RSS MiB |")
    print("| --- | --- | --- | --- | --- |")
    for kind, title in (("clean", "clean"), ("edit", "one body edited")):
        for side in sides:
            runs = side.runs[kind]
            print(f"| {title} | {side.label} | {spread([r.wall for r in runs])} s | {spread([r.cpu for r in runs])} s "
                  f"| {statistics.median(r.rss for r in runs):.0f} |")
    print("\n| build | after / before, wall: median (min–max) of the rounds | CPU | peak RSS |")
    print("| --- | --- | --- | --- |")
    for kind, title in (("clean", "clean"), ("edit", "one body edited")):
        pairs = list(zip(before.runs[kind], after.runs[kind]))
        print(f"| {title} | {spread([a.wall / b.wall for b, a in pairs])} | {spread([a.cpu / b.cpu for b, a in pairs])} "
              f"| {spread([a.rss / b.rss for b, a in pairs])} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3, help="without --base: runs of each measurement")
    parser.add_argument("--project", type=Path, help="without --base: an existing generated project (not regenerated)")
    parser.add_argument("--steps", help="without --base: only the steps starting so, e.g. 'nothing,one body' (clean, "
                                           "nothing changed, one body edited, one title edited, full)")
    parser.add_argument("--no-clean", action="store_true", help="without --base: keep the project's site (no clean builds)")
    parser.add_argument("--base", help="paired run: the commit whose code is 'before' (e.g. house-before)")
    parser.add_argument("--head", help="with --base: the commit whose code is 'after' (default: the work tree)")
    parser.add_argument("--rounds", type=int, default=5, help="with --base: rounds of the paired comparison")
    args = parser.parse_args()
    if args.head and not args.base:
        parser.error("--head needs --base")
    paired(args) if args.base else single(args)


if __name__ == "__main__":
    main()
