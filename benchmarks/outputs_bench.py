"""Time render_output_files (feeds, newsletter feed, search index: the build's second process) for one edit.

    .venv/bin/python benchmarks/generate.py --articles 10000 --out /work/tmp/x-10k
    SITE_BUILDER_NOW=2026-06-01T09:00:00+09:00 .venv/bin/python -m site_builder --root /work/tmp/x-10k build
    .venv/bin/python benchmarks/outputs_bench.py --root /work/tmp/x-10k [--which newest|old] [--rounds 3] [--check]

DIR must have been built once (DIR/site and DIR/.cache exist). Each round appends a paragraph to one
article's body (--which newest: the newest article, which is in the subscription feeds; old: the oldest,
in archive 1), loads the catalog, and then in a forked process (as build/pipeline.py does) times what the
second process of an incremental build does: open the body cache, render_output_files(catalog,
previous=DIR/site, changed_ids={its id}), save the body cache. CPU (time.process_time of that process)
and wall, with how many files came back as bytes (rendered) and as paths (unchanged). The article and
DIR/.cache are put back after each round, so every round measures the same edit from the same state.

--prepare: first bring DIR's caches to this code's formats without rebuilding it (after a build by other
code: the JSON body cache of older versions is copied into the SQLite one, then the outputs are rendered
once, unedited, which writes the search cache).
--check: afterwards, also render the edited catalog with no previous site and no caches (what a clean
build makes) and compare every file byte for byte (an unchanged file: its previous bytes)."""

from __future__ import annotations

import argparse
import os
import pickle
import shutil
import signal
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

# OUTPUTS_BENCH_CODE=/work/main: time another checkout's code (the bench itself needs nothing new of it)
sys.path.insert(0, os.environ.get("OUTPUTS_BENCH_CODE", str(Path(__file__).resolve().parent.parent)))

NOW = datetime.fromisoformat(os.environ.get("SITE_BUILDER_NOW", "2026-06-01T09:00:00+09:00"))


def in_child(work):
    """work() in a forked process (its CPU time only); return its pickled result."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        try:
            data = pickle.dumps((True, work()))
        except BaseException as error:  # noqa: BLE001 - sent back
            data = pickle.dumps((False, repr(error)))
        with os.fdopen(write, "wb") as out:
            out.write(data)
        os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as source:
        data = source.read()
    os.waitpid(pid, 0)
    ok, value = pickle.loads(data)
    if not ok:
        raise RuntimeError(value)
    return value


def incremental(catalog, root: Path, changed_id: str):
    from site_builder.build.contributions import render_output_files
    from site_builder.render.html import BodyCache, body_key, use_body_cache

    if PROFILE:
        import cProfile
        profiler = cProfile.Profile(time.process_time)
        profiler.enable()
    wall, cpu = time.perf_counter(), time.process_time()
    cache = BodyCache(root / ".cache" / "site-builder" / "bodies.json")
    use_body_cache(cache)
    opened = time.process_time()
    files = render_output_files(catalog, previous=root / "site", changed_ids=frozenset({changed_id}))
    rendered = time.process_time()
    cache.save(keep={body_key(a.body) for a in catalog.articles})
    done = time.process_time()
    if PROFILE:
        import io
        import pstats
        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(45)
        print(out.getvalue(), flush=True)
    made = sorted(k for k, v in files.items() if not isinstance(v, Path))
    return {"cpu": done - cpu, "wall": time.perf_counter() - wall, "open": opened - cpu,
            "render": rendered - opened, "save": done - rendered, "made": made,
            "paths": sum(isinstance(v, Path) for v in files.values()), "files": files if CHECK else None}


def clean(catalog):
    from site_builder.build.contributions import render_output_files
    from site_builder.render.html import BodyCache, use_body_cache
    import site_builder.search as search

    folder = Path(tempfile.mkdtemp(prefix="outputs-bench-"))
    search.default_cache_dir = lambda root: folder  # an empty search cache: what a clean build makes
    use_body_cache(BodyCache())
    try:
        return render_output_files(catalog)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


CHECK = False
PROFILE = False


def prepare(catalog, root: Path) -> None:
    import json

    from site_builder.build.contributions import render_output_files
    from site_builder.render.html import BodyCache, body_key, use_body_cache

    path = root / ".cache" / "site-builder" / "bodies.json"
    cache = BodyCache(path)
    try:
        cache.used = dict(json.loads(path.read_text(encoding="utf-8"))["bodies"])
    except (OSError, ValueError, KeyError):
        pass
    use_body_cache(cache)
    render_output_files(catalog)
    cache.save(keep={body_key(a.body) for a in catalog.articles})


def main() -> None:
    global CHECK, PROFILE
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--root", type=Path, required=True)
    parser.add_argument("--which", choices=("newest", "old"), default="newest")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--prepare", action="store_true")
    parser.add_argument("--profile", action="store_true", help="print the child's cProfile (CPU clock)")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))   # put the article and the cache back on a kill too
    CHECK, PROFILE = args.check, args.profile
    from site_builder.catalog import load_catalog

    root = args.root.resolve()
    catalog = load_catalog(root, now=NOW)
    if args.prepare:
        in_child(lambda: prepare(catalog, root))
        print("prepared the caches", flush=True)
    article = catalog.articles[0] if args.which == "newest" else catalog.articles[-1]
    source = catalog.config.content_dir / article.source
    original = source.read_bytes()
    saved = Path(tempfile.mkdtemp(prefix="outputs-bench-cache-"))
    shutil.copytree(root / ".cache", saved / "cache", symlinks=True)
    import site_builder
    print(f"code {Path(site_builder.__file__).parent}; {len(catalog.articles)} articles; editing {article.source} ({args.which}); "
          f"load {os.getloadavg()[0]:.1f}", flush=True)
    try:
        for number in range(args.rounds):
            source.write_bytes(original + f"\n추가 문단 {number}.\n".encode())
            edited = load_catalog(root, now=NOW)
            result = in_child(lambda: incremental(edited, root, article.id))
            print(f"round {number + 1}: CPU {result['cpu']:.3f} s (open body cache {result['open']:.3f}, "
                  f"render_output_files {result['render']:.3f}, save {result['save']:.3f}), wall "
                  f"{result['wall']:.3f} s; {len(result['made'])} files rendered, {result['paths']} unchanged "
                  f"(paths); load {os.getloadavg()[0]:.1f}", flush=True)
            if number == 0:
                print("  rendered: " + " ".join(result["made"][:40]) + (" ..." if len(result["made"]) > 40 else ""))
            if args.check and number == args.rounds - 1:
                want = in_child(lambda: clean(edited))
                got = result["files"]
                bad = sorted(k for k in want.keys() | got.keys() if k not in got or k not in want
                             or ((got[k] / k).read_bytes() if isinstance(got[k], Path) else got[k]) != want[k])
                print(f"check: {len(want)} files, {len(bad)} differ" + (f": {bad[:10]}" if bad else ""))
            shutil.rmtree(root / ".cache")
            shutil.copytree(saved / "cache", root / ".cache", symlinks=True)
    finally:
        source.write_bytes(original)
        shutil.rmtree(saved, ignore_errors=True)


if __name__ == "__main__":
    main()
