"""Where a build's time goes: cProfile of a clean build and of a one-body rebuild, every process.

    .venv/bin/python benchmarks/profile_build.py --articles 1000 [--top 25]

Generates N articles (benchmarks/generate.py) into benchmarks/out/profile-N/, then runs
`site-builder build` twice, each in a fresh process under cProfile: a clean build (no site/, no
.cache/) and, after appending a paragraph to one article's body, the rebuild. Every process of a
build is profiled: os.fork is wrapped so that each forked child (the feeds worker of the process
pool, the page renderers of site/parallel.py) drops the profiler it inherited, starts its own and
writes its stats when it leaves through os._exit. Nothing in site_builder/ is changed for this.

For each build it prints, per process group (main; feeds worker; page renderers, merged), the time
of each stage (cumulative time of the stage's entry functions; stages nest: MkDocs page rendering
holds related articles and share images, so the rows do not add up) and the top cumulative entries.
The profiler's clock is each process's CPU time by default (--timer cpu: on a shared machine, elapsed
time mostly measures waiting for a core; waits for children and pipes then count almost nothing),
--timer wall for elapsed time. Profiling roughly doubles the time of Python code (more with the CPU
clock, a system call per event): read the shares, not the seconds.
Stats files stay in benchmarks/out/profile-N/prof/ (`python -m pstats FILE`)."""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from generate import REPO, generate  # noqa: E402

# stage -> (path suffix of the file, function name[, path suffix of the caller]); the first match wins per entry
STAGES: list[tuple[str, list[tuple[str, ...]]]] = [
    ("imports (start-up)", [("<frozen importlib._bootstrap>", "_find_and_load")]),
    ("content check (read, parse, check)", [("site_builder/catalog.py", "check_content")]),
    ("catalog", [("site_builder/catalog.py", "build_catalog")]),
    ("fingerprint and plan (incremental)", [("site_builder/build/incremental.py", "current_state"),
                                            ("site_builder/build/incremental.py", "plan"),
                                            ("site_builder/build/incremental.py", "save_state")]),
    ("MkDocs build, all of it", [("mkdocs/commands/build.py", "build")]),
    ("MkDocs config and plugins' on_config", [("mkdocs/config/base.py", "load_config")]),
    ("MkDocs files and nav (on_files, on_nav)", [("mkdocs/structure/files.py", "get_files"),
                                                  ("mkdocs/structure/nav.py", "get_navigation")]),
    ("MkDocs reading sources (page.read_source)", [("mkdocs/structure/pages.py", "read_source")]),
    ("Markdown conversion (Markdown.convert)", [("markdown/core.py", "convert")]),
    ("MkDocs page rendering (_build_page)", [("mkdocs/commands/build.py", "_build_page")]),
    ("  template rendering (jinja2 Template.render)", [("jinja2/environment.py", "render")]),
    ("  related articles (Catalog.related)", [("site_builder/catalog.py", "related")]),
    ("  share images (ShareImages.write)", [("site_builder/site/share_images.py", "write")]),
    ("  Material search, per page (on_page_context)", [("material/plugins/search/plugin.py", "on_page_context")]),
    ("Material search index written (on_post_build)", [("material/plugins/search/plugin.py", "on_post_build")]),
    ("site_builder search index (render_search_index)", [("site_builder/search/__init__.py", "render_search_index")]),
    ("feeds (render_feeds)", [("site_builder/feeds/render.py", "render_feeds")]),
    ("newsletter feed", [("site_builder/newsletter/feed.py", "render_newsletter_feed")]),
    ("theme templates (sitemap.xml, 404)", [("mkdocs/commands/build.py", "_build_theme_template")]),
    ("waiting for the page renderers", [("site_builder/site/parallel.py", "wait")]),
    ("waiting for the feeds worker (Future.result)", [("concurrent/futures/_base.py", "result",
                                                       "site_builder/build/pipeline.py")]),
    ("swap: removing the previous site (rmtree from _build)", [("shutil.py", "rmtree", "site_builder/build/pipeline.py")]),
    ("files written by the pipeline (feeds, index)", [("pathlib.py", "write_bytes", "site_builder/build/pipeline.py")]),
]


def stage_times(stats: pstats.Stats) -> list[tuple[str, float, int]]:
    rows = []
    for label, patterns in STAGES:
        total, calls = 0.0, 0
        for (path, _line, name), (_cc, nc, _tt, ct, callers) in stats.stats.items():
            for pattern in patterns:
                if name != pattern[1] or not path.endswith(pattern[0]):
                    continue
                if len(pattern) == 3:  # only the calls from that caller
                    for (cpath, _l, _n), (_c, cnc, _t, cct) in callers.items():
                        if cpath.endswith(pattern[2]):
                            total, calls = total + cct, calls + cnc
                else:
                    total, calls = total + ct, calls + nc
        if calls:
            rows.append((label, total, calls))
    return rows


def top(stats: pstats.Stats, count: int) -> str:
    out = io.StringIO()
    stats.stream = out
    stats.sort_stats("cumulative").print_stats(count)
    lines = out.getvalue().splitlines()
    start = next((i for i, line in enumerate(lines) if "ncalls" in line), 0)
    return "\n".join(line.replace(str(REPO) + "/", "").replace(sys.prefix + "/lib/python3.11/site-packages/", "")
                     for line in lines[start:] if line.strip())


# --- the profiled build (a fresh process: --one) ---

def profiled_build(project: Path, out: Path, timer: str) -> None:
    out.mkdir(parents=True, exist_ok=True)
    clock = time.process_time if timer == "cpu" else time.perf_counter

    profiler = cProfile.Profile(clock)
    state = {"profiler": profiler, "role": "main"}
    real_fork, real_exit = os.fork, os._exit

    def fork():
        caller = sys._getframe(1).f_code.co_filename
        pid = real_fork()
        if pid == 0:
            state["profiler"].disable()
            state["role"] = "feeds-worker" if "multiprocessing" in caller else "renderer"
            state["profiler"] = cProfile.Profile(clock)
            state["profiler"].enable()
        return pid

    def leave(code):
        if state["role"] != "main":
            state["profiler"].disable()
            state["profiler"].dump_stats(out / f"{state['role']}-{os.getpid()}.prof")
        real_exit(code)

    os.fork, os._exit = fork, leave
    profiler.enable()
    from site_builder.cli import main
    code = main(["--root", str(project), "build", "--quiet"])
    profiler.disable()
    profiler.dump_stats(out / "main.prof")
    sys.exit(code)


def report(label: str, folder: Path, wall: float, count: int, timer: str) -> None:
    groups = {"main": sorted(folder.glob("main.prof")), "feeds worker": sorted(folder.glob("feeds-worker-*.prof")),
              "page renderers (forked, merged)": sorted(folder.glob("renderer-*.prof"))}
    print(f"\n## {label}: {wall:.1f} s wall under the profiler\n")
    for group, files in groups.items():
        if not files:
            print(f"### {group}: none\n")
            continue
        stats = pstats.Stats(*map(str, files))
        print(f"### {group} ({len(files)} process{'es' if len(files) > 1 else ''}), "
              f"{stats.total_tt:.1f} s of {timer} time profiled\n")
        print("| stage | cumulative s | calls |\n| --- | --- | --- |")
        for name, seconds, calls in stage_times(stats):
            print(f"| {name} | {seconds:.2f} | {calls} |")
        print(f"\ntop {count} by cumulative time:\n```\n{top(stats, count)}\n```\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--timer", choices=("cpu", "wall"), default="cpu",
                        help="cpu (default): each process's CPU time, little affected by other load; wall: elapsed")
    parser.add_argument("--one", nargs=2, metavar=("PROJECT", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        profiled_build(Path(args.one[0]), Path(args.one[1]), args.timer)
        return
    base = REPO / "benchmarks" / "out" / f"profile-{args.articles}"
    project = base / "project"
    generate(project, args.articles)
    env = dict(os.environ, PYTHONPATH=str(REPO))
    print(f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; {args.articles} articles; {os.cpu_count()} cores; "
          f"load average {'/'.join(f'{x:.1f}' for x in os.getloadavg())}; "
          f"timer: {args.timer} time; `python benchmarks/profile_build.py --articles {args.articles} --timer {args.timer}`")
    article = sorted((project / "content" / "feature").glob("*.md"))[0]
    for label, name in (("clean build", "clean"), ("one body edited, rebuild", "edit")):
        folder = base / "prof" / name
        shutil.rmtree(folder, ignore_errors=True)
        if name == "edit":
            article.write_text(article.read_text(encoding="utf-8") + "\n프로파일 수정 문단.\n", encoding="utf-8")
        start = time.perf_counter()
        subprocess.run([sys.executable, __file__, "--timer", args.timer, "--one", str(project), str(folder)],
                       env=env, check=True)
        wall = time.perf_counter() - start
        report(label, folder, wall, args.top, args.timer)
        print(f"load average after: {'/'.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
