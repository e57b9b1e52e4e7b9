"""The site adapter's entry: render one BuildRequest with MkDocs + Material into a folder, or a few of
its pages into memory.

site_builder.build calls render_site() and render_pages() (and site_builder.site.live for the live
preview); nothing else
outside this package runs MkDocs. The request reaches the plugin (plugin.py) on its instance, set here
from the loaded MkDocs configuration before the build and taken off after it: no module state, no
environment."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

from ..errors import ConfigError
from ..render.request import BuildRequest, RenderFailed

PLUGIN = "site_builder"   # the plugin's name in mkdocs.yml's plugins (entry point site_builder.site.plugin)


def render_site(request: BuildRequest, target: Path):
    """Render every page of the request, and write the contributions' files, into target; return MkDocs'
    configuration of the build with its plugins' state (opaque: site_builder.site.live renders single
    pages again from it). Raises RenderFailed when MkDocs stops, IncrementalMiss when the previous site
    of request.reuse lacks a page to take."""
    from mkdocs.commands.build import build
    from mkdocs.exceptions import MkDocsException

    try:
        mk = _load(request, target)
        plugin = mk.plugins[PLUGIN]
        plugin.request = request
        mk.plugins.on_startup(command="build", dirty=False)
        try:
            build(mk)
        finally:
            # MkDocs keeps one plugin instance per process for every configuration it loads: the next
            # build, or a plain `mkdocs build`, must not find this request there
            plugin.request = None
            mk.plugins.on_shutdown()
    except MkDocsException as exc:
        raise RenderFailed(exc.format_message()) from exc
    return mk


def render_pages(request: BuildRequest, src_uris: Iterable[str]) -> dict[str, bytes]:
    """Return the files the full build (render_site with this request) writes for the pages of src_uris,
    by path in the site: each page's HTML (e.g. feature/x/index.html) and its share image
    (assets/og/<hash>.jpg), byte for byte, without rendering the rest of the site and without writing
    into it (a scratch folder under .cache/site-builder/ is used and removed).

    src_uris: as MkDocs names the pages: an article's or page's source relative to content/
    (feature/2018-10-05-x.md, pages/about.md) or a generated page's (a PageSpec's src_uri, e.g.
    kit/<id>/index.md). request.reuse is ignored: every page asked for is rendered. MkDocs' warnings for
    these pages (a link to a missing file) are logged as the full build logs them; under strict: true
    they fail the call as they fail the build. Raises RenderFailed naming the page when one fails to
    render, or when a src_uri is not a page the full build renders."""
    from mkdocs.exceptions import MkDocsException

    from .selected import remove, render_selected, scratch_folder

    scratch = scratch_folder(request.settings.root)
    try:
        mk = _load(request, scratch)
        extra = sorted(set(mk.plugins) - {PLUGIN})
        if extra:   # their events, which only a full build runs, could change the pages
            raise RenderFailed(f"mkdocs.yml: plugins: {', '.join(extra)} — render_pages renders only with the "
                               f"{PLUGIN} plugin alone; build the whole site instead")
        return render_selected(mk, mk.plugins[PLUGIN], request, src_uris)
    except MkDocsException as exc:
        raise RenderFailed(exc.format_message()) from exc
    finally:
        remove(scratch)


def _load(request: BuildRequest, site_dir: Path):
    """MkDocs' configuration of the request's project, building into site_dir."""
    from mkdocs.config import load_config

    mk = load_config(str((request.settings.root / "mkdocs.yml").resolve()), site_dir=str(site_dir))
    if PLUGIN not in mk.plugins:
        raise ConfigError(f"mkdocs.yml: plugins: {PLUGIN}이(가) 없습니다 — plugins 목록에 '- {PLUGIN}'을 넣으세요")
    return mk
