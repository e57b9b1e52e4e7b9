"""MkDocs adapter: hooks only. Turns the catalog's articles and the page specs into MkDocs files.

Everything it shows comes from the BuildRequest (site_builder.render.request) that site.adapter sets on
the plugin instance before the build: the catalog, the time, the other outputs' contributions and the
incremental plan. Under plain `mkdocs build` or `mkdocs serve` (not site-builder's commands) there is
none: the plugin loads the catalog itself and builds the site alone, without the contributions.
MkDocs and Material are imported only in site_builder.site."""

from __future__ import annotations

import logging
import os
import re
import shutil
import types
from datetime import datetime
from pathlib import Path
from typing import Any

import markdown
from jinja2 import FileSystemBytecodeCache
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import (
    _ExtractAnchorsTreeprocessor,
    _ExtractTitleTreeprocessor,
    _RawHTMLPreprocessor,
    _RelativePathTreeprocessor,
)
from mkdocs.structure.pages import log as _pages_log
from mkdocs.structure.toc import get_toc

from ..catalog import Catalog, load_catalog
from ..config import KST, load_config
from ..content.vocabulary import FACETS
from ..errors import ContentError, format_problems
from ..render.contributions import Contribution, HeadLink, PageSpec
from ..render.markdown import EXTENSION_CONFIGS, EXTENSIONS, sanitize_html
from ..render.request import BuildRequest, IncrementalMiss, Reuse
from .fragments import FragmentCache
from .generated import spec_file
from .pages import site_specs
from .parallel import SKIP_TEMPLATE, Children, fork_renderers, jobs_wanted, skip_pages
from .share_images import ShareImages
from .squeeze import squeeze
from .view import SiteView

# Render the navigation once per place (fragments.py); off only to compare against rendering it per page.
FRAGMENT_CACHE = True


class SiteBuilderConfig(Config):
    now = c.Optional(c.Type(str))  # plain mkdocs only: ISO time that stands for "now"


def _parse_now(value: str | None) -> datetime | None:
    if not value:
        return None
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=KST)


_SKIP = re.compile(r'<div data-md-component="skip">.*?</div>', re.S)


def _with_skip_link(output: str) -> str:
    """Material renders its skip link only when a page has a table of contents; every page
    needs one, first, reaching <main> (KWCAG 2.4.1)."""
    skip = '<div data-md-component="skip"><a href="#sb-main" class="md-skip">본문 바로가기</a></div>'
    output = _SKIP.sub(lambda _m: skip, output, count=1)
    # Invalid HTML in Material's markup (Nu validator): autocomplete on checkboxes, empty tabindex.
    for toggle in ("__drawer", "__search"):
        output = output.replace(f'id="{toggle}" autocomplete="off">', f'id="{toggle}">', 1)
    output = output.replace(' tabindex=""', '')
    return output.replace('<main class="md-main"', '<main id="sb-main" tabindex="-1" class="md-main"', 1)


class _ReusedConverter:
    """MkDocs 1.6's Page.render with one Markdown converter per build, reset between pages, instead of a
    new one per page (building it costs about a third of converting an article). The page-specific
    processors are registered afresh for each page, replacing the previous page's by name."""

    def __init__(self) -> None:
        self.md: markdown.Markdown | None = None

    def render(self, page, config, files) -> None:
        if page.markdown is None:
            raise RuntimeError("`markdown` field hasn't been set (via `read_source`)")
        if self.md is None:
            self.md = markdown.Markdown(extensions=config["markdown_extensions"],
                                        extension_configs=config["mdx_configs"] or {})
        else:
            self.md.reset()
        md = self.md
        raw_html_ext = _RawHTMLPreprocessor()
        raw_html_ext._register(md)
        extract_anchors_ext = _ExtractAnchorsTreeprocessor(page.file, files, config)
        extract_anchors_ext._register(md)
        relative_path_ext = _RelativePathTreeprocessor(page.file, files, config)
        relative_path_ext._register(md)
        extract_title_ext = _ExtractTitleTreeprocessor()
        extract_title_ext._register(md)
        page.content = md.convert(page.markdown)
        page.toc = get_toc(getattr(md, "toc_tokens", []))
        page._title_from_render = extract_title_ext.title
        page.present_anchor_ids = extract_anchors_ext.present_anchor_ids | raw_html_ext.present_anchor_ids
        if _pages_log.getEffectiveLevel() > logging.DEBUG:
            page.links_to_anchors = relative_path_ext.links_to_anchors


def _render_reused(page, config, files) -> None:
    """A page an incremental build takes from the previous site: nothing to convert. Its anchors are not
    known now (None: MkDocs' anchor check skips links into it, as for any page it did not render), and
    its own links were checked when it was made."""
    _render_empty(page, config, files)
    page.present_anchor_ids = None


def _render_later(page, config, files) -> None:
    """An article's page: its body is converted by the process that renders its template (on_page_context),
    so that conversion is shared between the renderers and no process holds every page's HTML. Its
    anchors are not known before then (None, as for a reused page: MkDocs' anchor check skips links
    into it; site_builder.build.linkcheck checks the built site)."""
    _render_empty(page, config, files)
    page.present_anchor_ids = None


def _render_empty(page, config, files) -> None:
    page.content = ""
    page.toc = get_toc([])
    page._title_from_render = None
    page.present_anchor_ids = set()
    page.links_to_anchors = {}


class SiteBuilderPlugin(BasePlugin[SiteBuilderConfig]):
    """Loads the catalog, lays out every page, and feeds templates through `sb` (a SiteView)."""

    supports_multiple_instances = False

    def __init__(self) -> None:
        self.command = "build"
        self.request: BuildRequest | None = None   # set by site.adapter.render_site before the build
        self.catalog: Catalog | None = None
        self.specs: dict[str, PageSpec] = {}
        self.sources: dict[str, Any] = {}
        self.contributions: tuple[Contribution, ...] = ()
        self.nav = None
        self.children = Children()
        self.converter = _ReusedConverter()
        self.reuse: Reuse | None = None
        self.drafts = False
        self.reused_urls: set[str] = set()
        self.env = None     # the last build's template environment and files, kept for the live preview,
        self.files = None   # which renders single pages again from them (site_builder.build.preview)
        self.reused_pages: list = []
        self.later: set[str] = set()   # article pages whose bodies are converted when rendered (_render_later)
        self.share_images: ShareImages | None = None
        self.site_dir = Path("site")
        self.view: SiteView | None = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command = command

    def on_config(self, config):
        self.converter = _ReusedConverter()  # extensions may change between builds (serve)
        request = self.request if self.request is not None else self._own_request(config)
        self.catalog, self.contributions, self.drafts = request.catalog, request.contributions, request.drafts
        self.reuse = request.reuse
        self.reused_urls = set()
        self.later = set()
        for name in EXTENSIONS:
            if name not in config.markdown_extensions:
                config.markdown_extensions.append(name)
        for name, options in EXTENSION_CONFIGS.items():
            config.mdx_configs[name] = {**options, **config.mdx_configs.get(name, {})}
        # Share images are drawn while templates render (in every renderer process) into the site folder.
        self.site_dir = Path(config.site_dir)
        self.share_images = ShareImages(self.catalog.config.brand or self.catalog.config.site_name,
                                        self.catalog.config.root / ".cache" / "site-builder" / "og")
        specs = site_specs(self.catalog)
        for contribution in self.contributions:
            specs.extend(contribution.pages)
        self.specs = {spec.src_uri: spec for spec in specs}
        # the pages' sources (relative to content/): an article wins over a page of the same source
        self.sources = {p.source: p for p in self.catalog.pages} | {a.source: a for a in self.catalog.articles}
        config.nav = self._nav()
        return config

    def _own_request(self, config) -> BuildRequest:
        """Plain `mkdocs build` or `mkdocs serve`: the site alone from a catalog loaded here (drafts under
        serve), at the plugin's `now` option or the catalog's clock."""
        site_config = load_config(Path(config.config_file_path).parent, Path(config.config_file_path).name)
        drafts = self.command == "serve"
        try:
            catalog = load_catalog(site_config, now=_parse_now(self.config.now), include_drafts=drafts)
        except ContentError as exc:
            raise PluginError("내용에 문제가 있어 빌드하지 않았습니다:\n" + format_problems(exc.problems)) from None
        return BuildRequest(catalog=catalog, now=catalog.now, drafts=drafts)

    def _nav(self) -> list[Any]:
        catalog = self.catalog
        kinds = [{listing.name: listing.url + "index.md"} for listing in catalog.listings("kind")]
        browse = [{FACETS[f].label: FACETS[f].prefix + "index.md"}
                  for f in ("series", "agenda", "district", "tag", "author")]
        browse += [{"아카이브": "archive/index.md"}, {"타임라인": "timeline/index.md"}]
        news = [{"구독하기": "subscribe/index.md"}]
        if "newsletter/index.md" in self.specs:
            news.insert(0, {"뉴스레터 보관함": "newsletter/index.md"})
        if "feeds/index.md" in self.specs:
            news.append({"피드": "feeds/index.md"})
        nav: list[Any] = [{"홈": "index.md"}, {"글": kinds}, {"모아보기": browse}, {"소식 받기": news}]
        about = next((p for p in catalog.pages if p.slug == "about"), None)
        if about:
            nav.append({about.title: about.source})
        return nav

    def on_files(self, files: Files, *, config) -> Files:
        kept = Files([])
        for file in files:
            file = self.site_file(file)
            if file is not None:
                kept.append(file)
        for spec in self.specs.values():
            kept.append(spec_file(config, spec))
        return kept

    def site_file(self, file: File) -> File | None:
        """What on_files makes of one file MkDocs found (in content/ or the theme): None to leave it out.
        site.selected asks this for the files it looks up one by one."""
        if file.is_documentation_page():
            target = self.sources.get(file.src_uri)
            if target is None:
                return None  # drafts in build, future posts, files outside the content model
            file.dest_uri = target.url + "index.html"
            file.url = target.url
            return file
        if file.src_uri.endswith((".yml", ".yaml")) and "/" not in file.src_uri:
            return None  # authors.yml, timeline.yml: data, not site files
        return file

    def on_pre_page(self, page, *, config, files):
        spec = self.specs.get(page.file.src_uri)
        if self.reuse is not None and page.file.src_uri not in self.reuse.changed:
            page.render = types.MethodType(_render_reused, page)  # taken from the previous site
        elif spec is not None and not spec.markdown:
            # A generated page with no Markdown body: skip building a Markdown converter for it
            # (MkDocs makes one per page, about a third of a listing page's build time).
            page.render = types.MethodType(_render_empty, page)
        elif self.catalog.article(page.file.src_uri) is not None:
            page.render = types.MethodType(_render_later, page)
            self.later.add(page.file.src_uri)
        else:
            page.render = types.MethodType(lambda p, config, files: self.converter.render(p, config, files), page)
        return page

    def on_page_markdown(self, markdown: str, *, page, config, files) -> str:
        spec = self.specs.get(page.file.src_uri)
        catalog = self.catalog
        if spec:
            page.meta["sb_spec"] = spec
            return markdown
        article = catalog.article(page.file.src_uri)
        if article:
            page.meta["template"] = "sb-article.html"
            page.meta["sb_article"] = article
            page.meta["description"] = article.summary
            return markdown
        page_obj = next((p for p in catalog.pages if p.source == page.file.src_uri), None)
        if page_obj:
            page.meta["template"] = "sb-page.html"
            page.meta["sb_page"] = page_obj
        return markdown

    def on_page_content(self, html: str, *, page, config, files) -> str:
        if page.file.src_uri in self.later:
            return html   # converted (and sanitized) when its template is rendered
        if "sb_article" in page.meta or "sb_page" in page.meta:
            return sanitize_html(html)  # contributed HTML: scripts, handlers, styles removed
        return html

    def on_serve(self, server, *, config, builder):
        # Live preview also follows newsletter issues and our theme overrides.
        root = Path(config.config_file_path).parent
        for folder in (self.catalog.config.newsletters_dir, root / "themes"):
            if folder.is_dir():
                server.watch(str(folder))
        return server

    def on_nav(self, nav, *, config, files):
        self.nav = nav
        return nav

    @event_priority(-100)  # last: every page's Markdown is converted and every global set before forking
    def on_env(self, env, *, config, files):
        # Compiled templates are kept between builds (Jinja checks each against its source): compiling
        # Material's templates costs more than rendering a page, which matters when only a few are made.
        cache = self.catalog.config.root / ".cache" / "site-builder" / "templates"
        cache.mkdir(parents=True, exist_ok=True)
        env.bytecode_cache = FileSystemBytecodeCache(str(cache))
        self.view = env.globals["sb"] = SiteView(self.catalog, head_links=self.head_links,
                                                 share_images=self.share_images, site_dir=self.site_dir,
                                                 is_serve=self.drafts)
        env.globals["sb_fragments"] = FragmentCache(self.nav, enabled=FRAGMENT_CACHE)
        self.env, self.files = env, files
        if self.command in ("build", "serve"):
            inclusion = InclusionLevel.is_in_serve if self.command == "serve" else InclusionLevel.is_included
            pages = [f.page for f in files.documentation_pages(inclusion=inclusion)]
            self.children = Children()
            self.reused_pages = []
            if self.reuse is not None:
                pages = self._reuse_previous(env, config, files, pages)
            self.children = fork_renderers(jobs_wanted(), env, config, files, self.nav, pages, self.children,
                                           inclusion=inclusion)
        return env

    def _reuse_previous(self, env, config, files, pages: list) -> list:
        """Link the previous site's output of every page whose article is unchanged into the new site;
        return the pages still to render."""
        reusable = {page.file.dest_uri for page in pages if page.file.src_uri not in self.reuse.changed}
        clash = sorted(f.dest_uri for f in files if not f.is_documentation_page() and f.dest_uri in reusable)
        if clash:  # MkDocs would copy that file onto the linked page, i.e. into the previous site
            raise IncrementalMiss(f"{clash[0]} is both a page and a file under content/")
        render, reused = [], []
        for page in pages:
            if page.file.src_uri in self.reuse.changed:
                render.append(page)
                continue
            old = self.reuse.previous / page.file.dest_uri
            if not old.is_file():
                raise IncrementalMiss(f"{old} is missing")
            new = Path(page.file.abs_dest_path)
            new.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(old, new)   # nothing writes these files in this build: the previous site stays as it was
            except OSError:
                shutil.copy2(old, new)
            reused.append(page)
            self.reused_urls.add(page.url)
            self.reused_pages.append(page)
        skip_pages(env, self.children, reused)
        return render

    def head_links(self, listing) -> list[HeadLink]:
        """The contributions' head links of a page showing listing (None: a page that shows none)."""
        links: list[HeadLink] = []
        for contribution in self.contributions:
            if contribution.head_links:
                links.extend(contribution.head_links(listing))
        return links

    def on_page_context(self, context, *, page, config, nav):
        if page.file.src_uri in self.later and page.meta.get("template") != SKIP_TEMPLATE:   # see _render_later
            self.converter.render(page, config, self.files)
            page.content = sanitize_html(page.content)  # contributed HTML: scripts, handlers, styles removed
        return context

    @event_priority(-100)
    def on_post_page(self, output: str, *, page, config) -> str:
        if page.file.src_uri in self.later:
            page.content = ""   # written: let its HTML go
        return squeeze(_with_skip_link(output))

    def on_post_template(self, output_content: str, *, template_name: str, config) -> str:
        return squeeze(_with_skip_link(output_content)) if template_name == "404.html" else output_content

    @event_priority(100)  # first: no output is final until every rendering process has finished
    def _on_post_build_wait(self, *, config) -> None:
        failures = self.children.wait()
        if failures:
            raise PluginError("페이지를 만들다 실패했습니다:\n" + "\n".join(failures))

    def on_build_error(self, *, error) -> None:
        self.children.kill()

    def on_shutdown(self) -> None:
        self.children.kill()

    @event_priority(-100)  # last: the outputs' files go in once every page is written
    def _on_post_build_write(self, *, config) -> None:
        site_dir = Path(config.site_dir)
        self._share_images_of_reused_pages()
        for contribution in self.contributions:
            for rel, data in contribution.files.items():
                target = site_dir / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)

    def _share_images_of_reused_pages(self) -> None:
        """Pages taken from the previous site were not rendered, so their share images were not written."""
        for page in self.reused_pages:
            with open(page.file.abs_dest_path, "rb") as file:
                html = file.read(32768).decode("utf-8", "ignore")  # the head, where the tags are
                if 'property="og:image"' not in html:
                    html += file.read().decode("utf-8", "ignore")
            if 'property="og:image"' not in html:
                continue  # an alias page that only forwards
            made = self.view.share_image(page)
            if f"/{made.path}\"" not in html:  # e.g. an image edited in place: its page must be made again
                raise IncrementalMiss(f"{page.file.dest_uri} shows another share image than {made.path}")

    on_post_build = CombinedEvent(_on_post_build_wait, _on_post_build_write)
