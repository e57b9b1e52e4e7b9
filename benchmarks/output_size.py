"""What a built site's bytes are: by folder, by file type, and what a typical article page is made of.

    .venv/bin/python benchmarks/output_size.py /work/tmp/x-1k/site
    .venv/bin/python benchmarks/output_size.py /work/tmp/x-1k/site --peer pelican=/work/tmp/peers/pelican/output
    .venv/bin/python benchmarks/output_size.py before/site --peer after=after/site   # the same site twice

Sizes are apparent sizes (the files' lengths, what `du --apparent-size` adds up), in MB of 10^6 bytes.
Folders: the site's first level, with assets/og (share images) and the feed archives apart. Types: by
suffix, with feeds (Atom, RSS, JSON Feed and their archives) and the search index named apart. The
article page: the page of median size among the pages whose head says og:type article, cut into the
parts a reader's browser gets (head metadata, header, tabs, the navigation drawer, the table of
contents, the article, related cards, footer, scripts), and across those parts: inline SVG, inline
scripts, JSON-LD, and whitespace runs holding a line break (indentation, which no browser shows
outside <pre>). With --peer, totals side by side and as ratios. Not part of `make test`."""

from __future__ import annotations

import argparse
import re
import statistics
from collections import Counter
from pathlib import Path

MB = 1_000_000
FEED_SUFFIXES = (".xml", ".json")


def kind_of(rel: str) -> str:
    """The file type a site file counts under."""
    name = rel.rsplit("/", 1)[-1]
    if rel.startswith("assets/og/"):
        return "share image (" + name.rsplit(".", 1)[-1] + ")"
    if rel.startswith("search/") and not name.endswith(".html"):
        return "search index"
    if name in ("sitemap.xml", "sitemap.xml.gz"):
        return "sitemap"
    if name.endswith(FEED_SUFFIXES) and ("feed" in name or "atom" in name or rel.startswith("feeds/")
                                         or "/archive" in rel):
        return "feed"
    suffix = name.rsplit(".", 1)[-1] if "." in name else "-"
    return {"html": "HTML", "css": "CSS", "js": "JavaScript", "map": "source map"}.get(suffix, suffix)


def folder_of(rel: str) -> str:
    parts = rel.split("/")
    if len(parts) == 1:
        return "(top level files)"
    if parts[0] == "assets" and len(parts) > 2:
        return f"assets/{parts[1]}"
    return parts[0]


def scan(site: Path) -> tuple[Counter, Counter, Counter, int]:
    by_folder, by_kind, count = Counter(), Counter(), Counter()
    total = 0
    for path in site.rglob("*"):
        if not path.is_file():
            continue
        rel = path.relative_to(site).as_posix()
        size = path.stat().st_size
        total += size
        by_folder[folder_of(rel)] += size
        by_kind[kind_of(rel)] += size
        count[kind_of(rel)] += 1
    return by_folder, by_kind, count, total


# The parts of a page, in document order: (name, the marker its part starts at). A part runs to the
# next marker found; markers not in the page are skipped.
MARKERS = (
    ("head: metadata, feed links, JSON-LD", "<head>"),
    ("head: stylesheets and Material's scripts", '<link rel="stylesheet"'),
    ("header (logo, palette, search)", '<header class="md-header"'),
    ("tabs", '<nav class="md-tabs"'),
    ("navigation drawer", '<div class="md-sidebar md-sidebar--primary"'),
    ("table of contents", '<div class="md-sidebar md-sidebar--secondary"'),
    ("article: header and body", '<div class="md-content"'),
    ("article: footer (terms, licence, author)", '<footer class="sb-article__footer"'),
    ("related articles (cards)", '<section class="sb-related"'),
    ("previous / next", '<nav class="sb-neighbours"'),
    ("site footer", '<footer class="md-footer'),
    ("scripts at the end", '<script id="__config"'),
)


def parts_of(html: str) -> list[tuple[str, int]]:
    found = sorted((html.find(marker), name) for name, marker in MARKERS if marker in html)
    found[0] = (0, found[0][1])
    out = []
    for (start, name), (end, _) in zip(found, found[1:] + [(len(html), "")]):
        out.append((name, len(html[start:end].encode())))
    return out


def across(html: str) -> list[tuple[str, int, int]]:
    """(what, bytes, how many) of things spread over the page."""
    def total(pattern: str, flags=re.S) -> tuple[int, int]:
        hits = re.findall(pattern, html, flags)
        return sum(len(h.encode()) for h in hits), len(hits)
    rows = [("inline <svg> icons", *total(r"<svg\b.*?</svg>")),
            ("inline <script> (not JSON)", *total(r"<script>(?:(?!</script>).)*</script>")),
            ("JSON-LD", *total(r'<script type="application/ld\+json">.*?</script>')),
            ("Material's __config JSON", *total(r'<script id="__config".*?</script>')),
            ("<meta> and <link> tags", *total(r"<(?:meta|link)\b[^>]*>"))]
    runs = re.findall(r"[ \t]*\n\s*", html)
    rows.append(("whitespace runs with a line break, beyond one \\n", sum(len(r) - 1 for r in runs), len(runs)))
    return rows


def article_pages(site: Path) -> list[Path]:
    pages = []
    for path in site.rglob("index.html"):
        with open(path, "rb") as f:
            head = f.read(4096)
        if b'property="og:type" content="article"' in head:
            pages.append(path)
    return pages


def typical_page(site: Path) -> Path | None:
    pages = article_pages(site)
    if not pages:
        return None
    sizes = sorted((p.stat().st_size, p.as_posix()) for p in pages)
    return Path(sizes[len(sizes) // 2][1])


def report(label: str, site: Path) -> int:
    by_folder, by_kind, count, total = scan(site)
    print(f"## {label}: {site}\n")
    print(f"total {total / MB:.1f} MB in {sum(count.values()):,} files\n")
    print("| folder | MB | share |\n|---|---:|---:|")
    for folder, size in by_folder.most_common(12):
        print(f"| {folder} | {size / MB:.1f} | {size / total:.0%} |")
    print("\n| type | files | MB | share | mean kB |\n|---|---:|---:|---:|---:|")
    for kind, size in by_kind.most_common():
        print(f"| {kind} | {count[kind]:,} | {size / MB:.1f} | {size / total:.0%} | {size / count[kind] / 1000:.1f} |")
    page = typical_page(site)
    html_sizes = [p.stat().st_size for p in site.rglob("*.html")]
    if html_sizes:
        print(f"\nHTML pages: median {statistics.median(html_sizes) / 1000:.1f} kB")
    if page is not None:
        html = page.read_text(encoding="utf-8")
        size = len(html.encode())
        print(f"\nThe article page of median size, {page.relative_to(site).as_posix()}: {size / 1000:.1f} kB\n")
        print("| part | kB | share |\n|---|---:|---:|")
        for name, part in parts_of(html):
            print(f"| {name} | {part / 1000:.1f} | {part / size:.0%} |")
        print("\n| across the parts | kB | how many |\n|---|---:|---:|")
        for name, part, hits in across(html):
            print(f"| {name} | {part / 1000:.1f} | {hits} |")
    print()
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("site", type=Path, help="a built site folder")
    parser.add_argument("--peer", action="append", default=[], metavar="NAME=FOLDER",
                        help="another output folder to compare with (repeatable)")
    args = parser.parse_args()
    totals = {"site": report("site", args.site)}
    for peer in args.peer:
        name, _, folder = peer.partition("=")
        totals[name] = report(name, Path(folder))
    if len(totals) > 1:
        base = totals["site"]
        print("| output | MB | the first is × this |\n|---|---:|---:|")
        for name, total in totals.items():
            print(f"| {name} | {total / MB:.1f} | {base / total:.2f} |" if total else f"| {name} | 0 | – |")


if __name__ == "__main__":
    main()
