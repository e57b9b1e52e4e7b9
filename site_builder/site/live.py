"""The live preview's part of the adapter: render the pages of edited articles again from the MkDocs
state of the last build (site_builder.build.preview keeps it), without building the site again."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

from ..render.request import RenderFailed
from .adapter import PLUGIN


def render_pages_again(live, sources: Iterable[str], site_dir: Path) -> set[str]:
    """Render the pages of these article sources (relative to content/) into site_dir with the
    configuration, files, navigation and templates of the build that render_site() returned as live;
    return their URLs. Raises RenderFailed when MkDocs stops."""
    from mkdocs.commands.build import _build_page, _populate_page
    from mkdocs.exceptions import MkDocsException
    from mkdocs.structure.files import InclusionLevel

    plugin = live.plugins[PLUGIN]
    plugin.reuse = None   # the last build's incremental plan would take the page from the previous site
    plugin.site_dir = plugin.view.site_dir = site_dir   # share images too: the build's folder was renamed
    doc_files = plugin.files.documentation_pages(inclusion=InclusionLevel.is_included)
    urls = set()
    try:
        for source in sources:
            file = plugin.files.get_file_from_path(source)
            file.dest_dir = str(site_dir)
            file.__dict__.pop("abs_dest_path", None)   # a cached property: point it at the served folder
            _populate_page(file.page, live, plugin.files)
            _build_page(file.page, live, doc_files, plugin.nav, plugin.env)
            urls.add(file.page.url)
    except MkDocsException as exc:
        raise RenderFailed(exc.format_message()) from exc
    return urls
