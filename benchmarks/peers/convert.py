"""Convert benchmarks/generate.py's corpus into Hugo, Pelican and Material-blog projects.

    .venv/bin/python benchmarks/peers/convert.py --articles 1000    # writes benchmarks/out/peers/N/{hugo,pelican,material}

The same articles in each tool's own format: title, date, tags, summary and the Markdown body of
every generated article (the kinds' extra fields — slides, interviewees, meeting details — have no
peer equivalent and are left out). Each tool gets a minimal configuration: Hugo four small layouts
(page, list, home, base; its default RSS and sitemap), Pelican its default theme with an Atom feed
of everything and per tag, its content cache on (what a rebuild uses), pagination by 10; Material its
theme with the `blog`, `tags` and `search` plugins."""

from __future__ import annotations

import argparse
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import yaml

PEERS = Path(__file__).resolve().parent.parent / "out" / "peers"


@dataclass(frozen=True)
class Article:
    slug: str
    title: str
    date: str  # YYYY-MM-DD
    tags: tuple[str, ...]
    summary: str
    body: str


def read_corpus(project: Path) -> list[Article]:
    """Every article of a generated project (content/<kind>/<date>-<slug>.md), in file-name order."""
    articles = []
    for path in sorted((project / "content").glob("*/*.md")):
        if path.parent.name == "pages":
            continue
        _, head, body = path.read_text(encoding="utf-8").split("---\n", 2)
        meta = yaml.load(head, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        articles.append(Article(slug=path.stem[11:], title=str(meta["title"]), date=str(meta["date"]),
                                tags=tuple(meta.get("tags") or ()), summary=str(meta.get("summary", "")),
                                body=body.lstrip("\n")))
    return articles


def q(text: str) -> str:
    """A YAML/TOML-safe double-quoted string."""
    return json.dumps(text, ensure_ascii=False)


HUGO_LAYOUTS = {
    "_default/baseof.html": """<!doctype html>
<html lang="ko"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>{{ .Title }} - {{ site.Title }}</title>
{{ range .AlternativeOutputFormats }}<link rel="{{ .Rel }}" type="{{ .MediaType.Type }}" href="{{ .Permalink }}">{{ end }}
</head><body><header><a href="{{ "/" | relURL }}">{{ site.Title }}</a></header>
<main>{{ block "main" . }}{{ end }}</main></body></html>
""",
    "_default/single.html": """{{ define "main" }}<article><h1>{{ .Title }}</h1>
<time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2006-01-02" }}</time>
<ul class="tags">{{ range .GetTerms "tags" }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>
{{ .Content }}</article>{{ end }}
""",
    "_default/list.html": """{{ define "main" }}<h1>{{ .Title }}</h1>{{ $pager := .Paginate .Pages }}
{{ range $pager.Pages }}<article><h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2><p>{{ .Summary }}</p></article>{{ end }}
{{ template "_internal/pagination.html" . }}{{ end }}
""",
    "index.html": """{{ define "main" }}{{ $pager := .Paginate site.RegularPages }}
{{ range $pager.Pages }}<article><h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2><p>{{ .Summary }}</p></article>{{ end }}
{{ template "_internal/pagination.html" . }}{{ end }}
""",
}


def write_hugo(articles: list[Article], root: Path) -> None:
    (root / "content" / "posts").mkdir(parents=True)
    (root / "config.toml").write_text('baseURL = "https://example.org/"\nlanguageCode = "ko"\ntitle = "벤치마크"\n'
                                      'paginate = 10\n[taxonomies]\ntag = "tags"\n', encoding="utf-8")
    for name, text in HUGO_LAYOUTS.items():
        (root / "layouts" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "layouts" / name).write_text(text, encoding="utf-8")
    for a in articles:
        (root / "content" / "posts" / f"{a.slug}.md").write_text(
            f"---\ntitle: {q(a.title)}\ndate: {a.date}\ntags: [{', '.join(map(q, a.tags))}]\n"
            f"summary: {q(a.summary)}\n---\n\n{a.body}", encoding="utf-8")


PELICAN_CONF = """SITENAME = "벤치마크"
SITEURL = "https://example.org"
PATH = "content"
TIMEZONE = "Asia/Seoul"
DEFAULT_LANG = "ko"
DEFAULT_PAGINATION = 10
FEED_ALL_ATOM = "feeds/all.atom.xml"
TAG_FEED_ATOM = "feeds/tag/{slug}.atom.xml"
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
CACHE_PATH = "cache"
"""


def write_pelican(articles: list[Article], root: Path) -> None:
    (root / "content").mkdir(parents=True)
    (root / "pelicanconf.py").write_text(PELICAN_CONF, encoding="utf-8")
    for a in articles:
        (root / "content" / f"{a.slug}.md").write_text(
            f"Title: {a.title}\nDate: {a.date}\nTags: {', '.join(a.tags)}\nSummary: {a.summary}\nSlug: {a.slug}\n\n"
            f"{a.body}", encoding="utf-8")


MATERIAL_CONF = """site_name: 벤치마크
site_url: https://example.org/
theme:
  name: material
  language: ko
plugins:
  - search
  - blog:
      blog_dir: blog
  - tags
"""


def write_material(articles: list[Article], root: Path) -> None:
    posts = root / "docs" / "blog" / "posts"
    posts.mkdir(parents=True)
    (root / "mkdocs.yml").write_text(MATERIAL_CONF, encoding="utf-8")
    (root / "docs" / "index.md").write_text("# 벤치마크\n\n[블로그](blog/index.md)\n", encoding="utf-8")
    (root / "docs" / "blog" / "index.md").write_text("# 블로그\n", encoding="utf-8")
    for a in articles:
        (posts / f"{a.slug}.md").write_text(
            f"---\ndate: {a.date}\nslug: {a.slug}\ntags: [{', '.join(map(q, a.tags))}]\n---\n\n# {a.title}\n\n"
            f"{a.summary}\n\n<!-- more -->\n\n{a.body}", encoding="utf-8")


WRITERS = {"hugo": write_hugo, "pelican": write_pelican, "material": write_material}


def convert(project: Path, target: Path) -> dict[str, Path]:
    """Write target/{hugo,pelican,material} from the generated project; return each tool's root."""
    articles = read_corpus(project)
    roots = {}
    for name, writer in WRITERS.items():
        root = target / name
        shutil.rmtree(root, ignore_errors=True)
        writer(articles, root)
        roots[name] = root
    return roots


def main() -> None:
    import sys
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from generate import generate

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=1000)
    args = parser.parse_args()
    target = PEERS / str(args.articles)
    generate(target / "site_builder", args.articles)
    for name, root in convert(target / "site_builder", target).items():
        print(f"{name}: {root}")


if __name__ == "__main__":
    main()
