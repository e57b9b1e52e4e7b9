"""What rendering single pages with site.adapter.render_pages costs, against the full build's bytes.

    .venv/bin/python benchmarks/generate.py --articles 10000 --out /work/tmp/onepage-10k
    SITE_BUILDER_NOW=2026-06-01T09:00:00+09:00 .venv/bin/python -m site_builder --root /work/tmp/onepage-10k build
    .venv/bin/python benchmarks/render_pages_bench.py /work/tmp/onepage-10k --rounds 7

In one process: loads the catalog and the outputs' contributions as the build does (not timed: the
build has them already), imports MkDocs and Material (timed apart), then renders, --rounds times each,
one article page, and a set of pages (an article of every kind, the home page, a static page), and
checks every returned file against the site the build wrote (it must be that build's site, made at
SITE_BUILDER_NOW or --now). Prints wall and CPU seconds of each call and the medians; the first call
of a process also imports Markdown's extensions and may draw a missing share image.
--edit: then appends a sentence to the one article's body, times the (incremental) build that follows,
renders that page again and compares it with the new site, and puts the body back (and builds again).
Not part of `make test`: speed is measured here, never asserted.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("root", type=Path, help="a project built with `site-builder build`")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--now", default=os.environ.get("SITE_BUILDER_NOW", "2026-06-01T09:00:00+09:00"))
    parser.add_argument("--edit", action="store_true", help="also a one-body edit: the build against render_pages")
    args = parser.parse_args()

    from site_builder.build.contributions import contributions
    from site_builder.catalog import load_catalog
    from site_builder.config import load_config
    from site_builder.render.request import BuildRequest

    now = datetime.fromisoformat(args.now)
    started = time.perf_counter()
    catalog = load_catalog(load_config(args.root), now=now)
    request = BuildRequest(catalog=catalog, now=now, contributions=contributions(catalog, with_files=False))
    print(f"{args.root}: {len(catalog.articles)} articles; catalog and contributions "
          f"{time.perf_counter() - started:.2f} s (not counted); load average {os.getloadavg()[0]:.1f}")

    wall, cpu = time.perf_counter(), time.process_time()
    import material  # noqa: F401
    import mkdocs.commands.build  # noqa: F401

    from site_builder.site.adapter import render_pages
    print(f"import MkDocs and Material: {time.perf_counter() - wall:.2f} s wall, {time.process_time() - cpu:.2f} s CPU")

    by_kind = {}
    for article in catalog.articles:
        by_kind.setdefault(article.kind, article.source)
    one = [catalog.articles[len(catalog.articles) // 2].source]
    several = sorted(by_kind.values()) + ["index.md"] + [p.source for p in catalog.pages[:1]]
    site = args.root / "site"
    for label, uris in ((f"one article ({one[0]})", one), (f"{len(several)} pages (every kind, home, a page)", several)):
        walls, cpus = [], []
        for round_ in range(args.rounds):
            wall, cpu = time.perf_counter(), time.process_time()
            out = render_pages(request, uris)
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
            differ = [rel for rel, data in out.items() if not (site / rel).is_file() or (site / rel).read_bytes() != data]
            print(f"  {label} #{round_ + 1}: {walls[-1]:.3f} s wall, {cpus[-1]:.3f} s CPU, {len(out)} files"
                  f"{', differ from the build: ' + ', '.join(differ) if differ else ', identical to the build'}"
                  f" (load {os.getloadavg()[0]:.1f})")
        print(f"{label}: median {statistics.median(walls):.3f} s wall, {statistics.median(cpus):.3f} s CPU; "
              f"after the first: median {statistics.median(walls[1:] or walls):.3f} s wall, "
              f"{statistics.median(cpus[1:] or cpus):.3f} s CPU")
    if args.edit:
        edit(args.root, one[0], now, render_pages)
    return 0


def edit(root: Path, source: str, now: datetime, render_pages) -> None:
    from site_builder.build.contributions import contributions
    from site_builder.build.pipeline import build_site
    from site_builder.render.request import BuildRequest

    path = root / "content" / source
    original = path.read_text(encoding="utf-8")
    path.write_text(original + "\n벤치마크가 덧붙인 문장입니다.\n", encoding="utf-8")
    try:
        wall, cpu = time.perf_counter(), time.process_time()
        result = build_site(root, now=now)
        print(f"one-body build (incremental: {result.changed} article(s) made again): "
              f"{time.perf_counter() - wall:.2f} s wall, {time.process_time() - cpu:.2f} s CPU of this process "
              f"(load {os.getloadavg()[0]:.1f})")
        catalog = result.catalog
        request = BuildRequest(catalog=catalog, now=now, contributions=contributions(catalog, with_files=False))
        wall, cpu = time.perf_counter(), time.process_time()
        out = render_pages(request, [source])
        seconds = time.perf_counter() - wall
        differ = [rel for rel, data in out.items() if (root / "site" / rel).read_bytes() != data]
        print(f"render_pages of the edited page: {seconds:.3f} s wall, {time.process_time() - cpu:.3f} s CPU, "
              f"{'differs: ' + ', '.join(differ) if differ else 'identical to the build'}")
    finally:
        path.write_text(original, encoding="utf-8")
        build_site(root, now=now)


if __name__ == "__main__":
    raise SystemExit(main())
