"""Hugo, Pelican, Material's blog and site_builder side by side on the same N generated articles.

    .venv/bin/python benchmarks/peers/install.py             # once: Hugo (apt), Pelican and Material (scratch venvs)
    .venv/bin/python benchmarks/peers/run.py --articles 1000 --rounds 3

benchmarks/generate.py writes N Korean articles; convert.py writes the same articles into each
peer's format (benchmarks/out/peers/N/). Then, round by round and interleaved (the tools' order
rotates each round), every tool makes: a clean build (its output and caches removed), a rebuild with
nothing changed, and a rebuild after appending a paragraph to the same article's body (checked to be
in that tool's output). Each build is a fresh process; wall, CPU (user + system of the process and
the ones it waited for) and peak RSS (the largest process) come from os.wait4. Output size: `du -sm`
of the output folder after the clean build. site_builder runs with this work tree's code and the
project's .venv. The Material blog has no incremental build: its rebuilds are full `mkdocs build`s
(`--dirty` leaves the blog's listings stale). Pelican's rebuilds use its content cache.

Prints the median of the rounds (min–max) as a Markdown table with the date, the machine (nproc,
RAM), the tools' versions and the load average per round: the machine is shared, read the ratios.
Not part of `make test`."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))
from convert import PEERS, convert  # noqa: E402
from generate import REPO, generate  # noqa: E402
from install import VENVS, versions  # noqa: E402

MARK = "벤치마크수정문단"


@dataclass
class Tool:
    name: str
    root: Path
    command: list[str]
    output: Path
    caches: list[Path]
    source: Path  # the edited article's file
    env: dict[str, str] = field(default_factory=lambda: dict(os.environ))
    runs: dict[str, list[tuple[float, float, float]]] = field(default_factory=dict)
    size_mb: list[int] = field(default_factory=list)

    def clean(self) -> None:
        for folder in [self.output, *self.caches]:
            shutil.rmtree(folder, ignore_errors=True)

    def build(self, kind: str) -> tuple[float, float, float]:
        with tempfile.TemporaryFile() as log:
            start = time.perf_counter()
            proc = subprocess.Popen(self.command, cwd=self.root, env=self.env, stdout=log, stderr=subprocess.STDOUT)
            _pid, status, usage = os.wait4(proc.pid, 0)
            wall = time.perf_counter() - start
            proc.returncode = os.waitstatus_to_exitcode(status)
            if proc.returncode:
                log.seek(0)
                raise SystemExit(f"{self.name}: {' '.join(self.command)} failed:\n{log.read().decode()[-3000:]}")
        run = (wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)
        self.runs.setdefault(kind, []).append(run)
        return run

    def edit(self, n: int) -> None:
        with self.source.open("a", encoding="utf-8") as f:
            f.write(f"\n{MARK} {n}.\n")

    def check_edit(self, n: int) -> None:
        found = subprocess.run(["grep", "-rlF", "--include=*.html", f"{MARK} {n}.", str(self.output)],
                               capture_output=True, text=True).stdout.split()
        if not found:
            raise SystemExit(f"{self.name}: the edited paragraph {n} is in no page of {self.output}")


def peer_binary(name: str) -> str | None:
    """The peer's build command (Hugo from PATH, the others from their scratch venv), None if not installed."""
    if name == "hugo":
        return shutil.which("hugo")
    binary = VENVS[name][0] / "bin" / {"pelican": "pelican", "material": "mkdocs"}[name]
    return str(binary) if binary.exists() else None


def tools(target: Path, names: list[str]) -> list[Tool]:
    roots = convert(target / "site_builder", target)
    roots["site_builder"] = target / "site_builder"
    edited = sorted((target / "site_builder" / "content" / "feature").glob("*.md"))[0]
    slug = edited.stem[11:]
    # name -> (arguments after the command, output folder, cache folders, the edited article), in the tool's root
    layout = {
        "hugo": (["--quiet", "--noBuildLock", "--cacheDir", "{root}/.hugo-cache"], "public", ["resources", ".hugo-cache"],
                 f"content/posts/{slug}.md"),
        "pelican": (["content", "-s", "pelicanconf.py", "-o", "output", "-q"], "output", ["cache"],
                    f"content/{slug}.md"),
        "material": (["build", "-q"], "site", [".cache"], f"docs/blog/posts/{slug}.md"),
        "site_builder": (["-m", "site_builder", "--root", "{root}", "build", "--quiet"], "site", [".cache"],
                         str(edited.relative_to(roots["site_builder"]))),
    }
    made = []
    for name in names:
        command = str(REPO / ".venv" / "bin" / "python") if name == "site_builder" else peer_binary(name)
        if not command:
            print(f"{name}: not installed (run install.py) — left out")
            continue
        arguments, output, caches, source = layout[name]
        root = roots[name]
        env = dict(os.environ, PYTHONPATH=str(REPO)) if name == "site_builder" else dict(os.environ)
        made.append(Tool(name, root, [command, *(a.format(root=root) for a in arguments)], root / output, [root / c for c in caches], root / source,
                         env=env))
    return made


def load() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def machine() -> str:
    mem = next(line for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal"))
    gib = int(mem.split()[1]) / 1024 ** 2
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), "?")
    return f"nproc {os.cpu_count()}, RAM {gib:.0f} GiB, {cpu}"


def column_head(name: str, version: str) -> str:
    """A column head: the tool and its version."""
    words = version.split()
    if name == "hugo" and len(words) > 1:
        return f"Hugo {words[1].lstrip('v').split('+')[0]}"
    if name == "pelican":
        return f"Pelican {version}"
    if name == "material" and len(words) > 3:
        return f"Material {words[3]} blog (MkDocs {words[1]})"
    return version or name


def cell(runs: list[tuple[float, float, float]], index: int, unit: str = "s") -> str:
    values = [r[index] for r in runs]
    middle = statistics.median(values)
    if index == 2:
        return f"{middle:.0f} MB"
    if len(values) == 1 or max(values) - min(values) < 0.05 * middle:
        return f"{middle:.1f} {unit}"
    return f"{middle:.1f} {unit} ({min(values):.1f}–{max(values):.1f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--tools", default="hugo,pelican,site_builder,material",
                        help="comma-separated, of hugo, pelican, site_builder, material")
    parser.add_argument("--clean-only", default="", help="comma-separated tools measured on the clean build only")
    args = parser.parse_args()
    target = PEERS / str(args.articles)
    generate(target / "site_builder", args.articles)
    chosen = tools(target, args.tools.split(","))
    clean_only = set(filter(None, args.clean_only.split(",")))
    found = versions()
    commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True).stdout.strip()
    found["site_builder"] = f"site_builder {commit}" + (" + work tree changes" if subprocess.run(
        ["git", "-C", str(REPO), "status", "--porcelain", "--", "site_builder", "themes"],
        capture_output=True, text=True).stdout.strip() else "")
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    print(f"{started}; {args.articles} articles; {machine()}; load average {load()}", flush=True)
    loads = [load()]
    for n in range(args.rounds):
        order = chosen[n % len(chosen):] + chosen[:n % len(chosen)]
        line = []
        for tool in order:
            tool.clean()
            wall = tool.build("clean")[0]
            tool.size_mb.append(int(subprocess.run(["du", "-sm", str(tool.output)], capture_output=True,
                                                   text=True).stdout.split()[0]))
            line.append(f"{tool.name} clean {wall:.1f}")
        for tool in order:
            if tool.name not in clean_only:
                line.append(f"{tool.name} no-change {tool.build('nochange')[0]:.1f}")
        for tool in order:
            if tool.name not in clean_only:
                tool.edit(n)
                line.append(f"{tool.name} edit {tool.build('edit')[0]:.1f}")
                tool.check_edit(n)
        loads.append(load())
        (target / "runs.json").write_text(json.dumps({"started": started, "loads": loads, "versions": found, "tools": {
            t.name: {"runs": t.runs, "output_mb": t.size_mb} for t in chosen}}, indent=1), encoding="utf-8")
        print(f"  round {n + 1}: {', '.join(line)} s; load {loads[-1]}", flush=True)
    print(f"\n{started}, {args.articles} articles, {args.rounds} rounds (median, min–max); {machine()}; "
          f"load average (1/5/15 min) at the start and after each round: {'; '.join(loads)}\n")
    print("| | " + " | ".join(column_head(t.name, found.get(t.name, "")) for t in chosen) + " |")
    print("|---|" + "---|" * len(chosen))
    rows = [("clean: wall", "clean", 0), ("clean: CPU", "clean", 1), ("clean: peak memory", "clean", 2),
            ("nothing changed: wall", "nochange", 0), ("nothing changed: CPU", "nochange", 1),
            ("one body edited: wall", "edit", 0), ("one body edited: CPU", "edit", 1)]
    for label, kind, index in rows:
        print(f"| {label} | " + " | ".join(cell(t.runs[kind], index) if t.runs.get(kind) else "–" for t in chosen)
              + " |")
    print("| output (du -sm) | " + " | ".join(f"{statistics.median(t.size_mb):.0f} MB" for t in chosen) + " |")
    reference = next((t for t in chosen if t.name == "site_builder"), None)
    if reference:
        for label, kind, index in (("clean wall, × site_builder's (per round)", "clean", 0),
                                   ("clean CPU, × site_builder's", "clean", 1),
                                   ("one body edited wall, × site_builder's", "edit", 0),
                                   ("one body edited CPU, × site_builder's", "edit", 1)):
            cells = []
            for t in chosen:
                if not t.runs.get(kind) or not reference.runs.get(kind):
                    cells.append("–")
                    continue
                ratios = [a[index] / b[index] for a, b in zip(t.runs[kind], reference.runs[kind])]
                cells.append(f"{statistics.median(ratios):.2f}" + (f" ({min(ratios):.2f}–{max(ratios):.2f})"
                                                                   if len(ratios) > 1 else ""))
            print(f"| {label} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
