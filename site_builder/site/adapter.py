"""The site adapter's entry: render one BuildRequest with MkDocs + Material into a folder.

site_builder.build calls render_site() (and site_builder.site.live for the live preview); nothing else
outside this package runs MkDocs. The request reaches the plugin (plugin.py) on its instance, set here
from the loaded MkDocs configuration before the build and taken off after it: no module state, no
environment."""

from __future__ import annotations

from pathlib import Path

from ..errors import ConfigError
from ..render.request import BuildRequest, RenderFailed

PLUGIN = "site_builder"   # the plugin's name in mkdocs.yml's plugins (entry point site_builder.site.plugin)


def render_site(request: BuildRequest, target: Path):
    """Render every page of the request, and write the contributions' files, into target; return MkDocs'
    configuration of the build with its plugins' state (opaque: site_builder.site.live renders single
    pages again from it). Raises RenderFailed when MkDocs stops, IncrementalMiss when the previous site
    of request.reuse lacks a page to take."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    try:
        mk = load_config(str((request.settings.root / "mkdocs.yml").resolve()), site_dir=str(target))
        if PLUGIN not in mk.plugins:
            raise ConfigError(f"mkdocs.yml: plugins: {PLUGIN}이(가) 없습니다 — plugins 목록에 '- {PLUGIN}'을 넣으세요")
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
