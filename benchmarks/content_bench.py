"""Time loading content at scale (issue 15): check_content + build_catalog, cold and warm.

    .venv/bin/python benchmarks/generate.py --articles 10000 --out /tmp/site-10000
    .venv/bin/python benchmarks/content_bench.py /tmp/site-10000 --other /path/to/main/checkout

Works on a copy of SITE (in --scratch, default a temporary folder beside it). Each measurement is a fresh
process (`python -c`, this checkout's code or --other's) that runs check_content and build_catalog once
and reports CPU seconds (its own, and its forked children's), wall seconds and a digest of everything
they returned (the loaded content and problems, and the catalog). The states, in order:

- cold: no cache (.cache/site-builder/content/ removed) — the clean build's case;
- cold, one process: the same with SITE_BUILDER_JOBS=1;
- warm, nothing changed: the cache of the run before;
- warm, one body: one article's body edited;
- warm, one title: one article's title edited.

--other (a checkout without the cache, e.g. main) is measured in the same states, one after the other,
and its digests must be the same. The copy's files are left two seconds before the first run: a file
changed less than that before a check is hashed again next time (content.filecache.RACY_SECONDS).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
NOW = "2026-06-01T09:00:00+09:00"
PROBE = r"""
import hashlib, json, resource, sys, time
from datetime import datetime
start_cpu, start_wall = time.process_time(), time.perf_counter()
from site_builder.config import load_config
from site_builder.catalog import check_content, build_catalog
now = datetime.fromisoformat(sys.argv[2])
config = load_config(sys.argv[1])
cpu, wall = time.process_time(), time.perf_counter()
loaded, problems = check_content(config, now=now)
checked = time.process_time()
catalog = build_catalog(config, loaded, now=now, warnings=[p for p in problems if not p.is_error])
done_cpu, done_wall = time.process_time(), time.perf_counter()
children = resource.getrusage(resource.RUSAGE_CHILDREN)
state = (catalog.articles, catalog.scheduled, catalog.drafts, catalog.authors, catalog.pages, catalog.timeline,
         catalog.warnings, catalog.listings(), dict(catalog.tag_slugs), dict(catalog.syndication))
print(json.dumps({"check": checked - cpu, "catalog": done_cpu - checked, "cpu": done_cpu - cpu,
                  "children": children.ru_utime + children.ru_stime, "wall": done_wall - wall,
                  "problems": len(problems),
                  "digest": hashlib.sha256(repr((loaded, problems, state)).encode()).hexdigest()[:16]}))
"""


def measure(code: Path, project: Path, jobs: str | None = None) -> dict:
    env = dict(os.environ, PYTHONPATH=str(code))
    env.pop("SITE_BUILDER_JOBS", None)
    if jobs:
        env["SITE_BUILDER_JOBS"] = jobs
    out = subprocess.run([sys.executable, "-c", PROBE, str(project), NOW], env=env, check=True,
                         capture_output=True, text=True, cwd=project.parent).stdout  # not a checkout's folder
    return json.loads(out.strip().splitlines()[-1])


def edit(project: Path, what: str) -> None:
    """Change one article's body (a sentence added at its end) or its title."""
    article = sorted((project / "content" / "feature").glob("*.md"))[len(list((project / "content" / "feature")
                                                                            .glob("*.md"))) // 2]
    text = article.read_text(encoding="utf-8")
    if what == "body":
        text += "\n덧붙인 문장 하나.\n"
    else:
        head, rest = text.split("\ntitle: ", 1)
        text = head + "\ntitle: 고친 제목 " + rest
    article.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("site", type=Path)
    parser.add_argument("--other", type=Path, help="another checkout to measure in the same states (e.g. main)")
    parser.add_argument("--scratch", type=Path, help="where to copy the site (default: a temporary folder)")
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="content-bench-", dir=args.scratch or args.site.parent))
    project = scratch / "project"
    shutil.copytree(args.site, project, ignore=shutil.ignore_patterns(".cache", "site"))
    time.sleep(2.5)  # see the docstring: files changed just before a check are not trusted by their stat
    print(f"{args.site} ({len(list((project / 'content').glob('*/*.md')))} files), load average "
          f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    rows = []

    def run(state: str, jobs: str | None = None, fresh: bool = False) -> None:
        if fresh:
            shutil.rmtree(project / ".cache", ignore_errors=True)
        this = measure(REPO, project, jobs)
        other = measure(args.other, project, jobs) if args.other else None
        rows.append((state, this, other))
        line = (f"{state:24s} this: check {this['check']:.3f} s + catalog {this['catalog']:.3f} s CPU"
                f" (+{this['children']:.2f} s in children), wall {this['wall']:.2f} s")
        if other:
            same = "same" if other["digest"] == this["digest"] else "DIFFERENT"
            line += (f" | other: {other['cpu']:.3f} s CPU, wall {other['wall']:.2f} s | ratio "
                     f"{this['cpu'] / other['cpu']:.3f} | digests {same}")
        print(line, flush=True)

    run("cold, one process", jobs="1", fresh=True)
    run("cold", fresh=True)
    run("warm, nothing changed")
    edit(project, "body")
    run("warm, one body")
    edit(project, "title")
    run("warm, one title")
    print(f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    shutil.rmtree(scratch, ignore_errors=True)
    if any(other and other["digest"] != this["digest"] for _, this, other in rows):
        sys.exit("the two checkouts' results differ")


if __name__ == "__main__":
    main()
