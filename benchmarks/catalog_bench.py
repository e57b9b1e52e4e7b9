"""Time the catalog at scale: load_catalog, then related() of every article (issue 15).

    .venv/bin/python benchmarks/generate.py --articles 10000 --out /tmp/site-10000
    .venv/bin/python benchmarks/catalog_bench.py /tmp/site-10000
    PYTHONPATH=/path/to/other/checkout .venv/bin/python benchmarks/catalog_bench.py /tmp/site-10000  # that code

Prints the seconds of each step (CPU time of this process, so other load matters less), how often a
term was romanised, and a digest of every article's related articles, so two sides' results can be
compared as well as timed.
"""

from __future__ import annotations

import argparse
import hashlib
import time
from datetime import datetime
from pathlib import Path

import korean_romanizer.romanizer as romanizer

import site_builder
from site_builder.catalog import load_catalog

NOW = datetime.fromisoformat("2026-06-01T09:00:00+09:00")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("site", type=Path)
    args = parser.parse_args()
    calls = 0
    romanize = romanizer.Romanizer.romanize

    def counted(self):
        nonlocal calls
        calls += 1
        return romanize(self)

    romanizer.Romanizer.romanize = counted
    start = time.process_time()
    catalog = load_catalog(args.site, now=NOW)
    loaded = time.process_time()
    digest = hashlib.sha256()
    for article in catalog.articles:
        digest.update(" ".join([article.id] + [a.id for a in catalog.related(article)]).encode() + b"\n")
    related = time.process_time()
    print(f"code {Path(site_builder.__file__).parent}  articles {len(catalog.articles)}  "
          f"load_catalog {loaded - start:.2f} s (romanised {calls} times)  related of every article "
          f"{related - loaded:.2f} s  digest {digest.hexdigest()[:16]}")


if __name__ == "__main__":
    main()
