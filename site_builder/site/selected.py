"""Render a few pages of the site without building it: the same bytes the full build (adapter.render_site)
writes for them, in a fraction of a second at any archive size.

A full build reads every source, renders every page and writes the sitemap; a page's own bytes need far
less: MkDocs' configuration and plugin state (on_config: the catalog's page specs and the navigation),
the theme's template environment, the navigation's pages, and a Files collection that answers for the
files the page's links name. SiteFiles is that collection: it answers one path at a time exactly as the
full build's collection would (content/ as MkDocs' get_files finds it, the theme's static files, the
plugin's on_files), without walking content/ or the theme and without writing the YAML stubs of the
generated pages it is not asked for; anything that wants every file (iterating it) gets the full
collection, made then. The pages are then populated and rendered with MkDocs' own _populate_page and
_build_page, so every plugin event (sanitizing, the skip link, share images) runs as in the full build,
into a scratch folder that is read back: nothing is written into the site.

What differs from a full build, and why it does not change the pages' bytes: the other pages of the
navigation get their front matter (the navigation shows its icon, subtitle, status; a generated page's
is spec_meta, what its stub holds) but are not converted, so links to anchors in pages not asked for
are not checked (as in an incremental build, which does not render them either; MkDocs reports those at
info level unless validation.anchors says otherwise). The template context's `pages` (every
documentation page) is listed only if a template reads it; none does. Only mkdocs.yml's site_builder
plugin may be configured (adapter.render_pages refuses others, whose events only a full build runs)."""

from __future__ import annotations

import fnmatch
import logging
import os
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path, PurePath
from typing import Iterable

from mkdocs import utils
from mkdocs.structure.files import File, Files, InclusionLevel, _file_sort_key, get_files, set_exclusions
from mkdocs.structure.nav import get_navigation

from ..render.request import BuildRequest, RenderFailed
from .parallel import failure_report
from .generated import spec_file, spec_meta

log = logging.getLogger("mkdocs.plugins.site_builder")
COMMAND = "pages"   # what the plugin's on_startup hears: neither build nor serve, so it forks no renderers


class SiteFiles(Files):
    """The Files collection of a full build of the site, looked up one path at a time.

    A path is what MkDocs' get_files finds at it in docs_dir (README/index conflicts resolved as it does
    them), else the theme's static file there (Files.add_files_from_theme), then what the plugin's
    on_files makes of it (plugin.site_file; a page spec's generated file wins), with MkDocs' exclusions."""

    def __init__(self, config, plugin, env) -> None:
        super().__init__(())
        self._config, self._plugin, self._env = config, plugin, env
        self._found: dict[str, File | None] = {}
        self._all: Files | None = None

    def get_file_from_path(self, path: str) -> File | None:
        uri = PurePath(path).as_posix()
        if uri not in self._found:
            self._found[uri] = self._lookup(uri)
        return self._found[uri]

    def __contains__(self, path: str) -> bool:
        return self.get_file_from_path(path) is not None

    # Whatever wants every file gets them all, as the full build finds them (the files looked up so far
    # in their place, so the pages attached to them stay).
    def full(self) -> Files:
        if self._all is None:
            config = self._config
            files = get_files(config)
            files.add_files_from_theme(self._env, config)
            files = self._plugin.on_files(files, config=config)
            set_exclusions(files, config)
            for uri, file in self._found.items():
                if file is not None and uri in files.src_uris:
                    files.src_uris[uri] = file
            self._all = files
        return self._all

    def __iter__(self):
        return iter(self.full())

    def __len__(self) -> int:
        return len(self.full())

    @property
    def src_uris(self):
        return self.full().src_uris

    def _lookup(self, uri: str) -> File | None:
        config = self._config
        spec = self._plugin.specs.get(uri)
        if spec is not None:
            file = spec_file(config, spec)
        else:
            found = self._docs_file(uri) or self._theme_file(uri)
            file = self._plugin.site_file(found) if found is not None else None
        if file is not None:
            set_exclusions([file], config)
        return file

    def _docs_file(self, uri: str) -> File | None:
        """The file get_files puts at uri, or None."""
        parts = uri.split("/")
        if uri.startswith("/") or any(part in ("", ".", "..") for part in parts):
            return None
        config = self._config
        docs = config.docs_dir
        path = os.path.join(docs, *parts)
        # os.walk (following links) lists as files whatever is not a directory, broken links too
        if not os.path.lexists(path) or os.path.isdir(path):
            return None
        file = self._file(uri)
        folder, name = os.path.split(path)
        stem = os.path.splitext(name)[0]
        index = ("index", "README")
        rivals = [n for n in os.listdir(folder) if n != name
                  and (os.path.splitext(n)[0] == stem or (stem in index and os.path.splitext(n)[0] in index))
                  and not os.path.isdir(os.path.join(folder, n))]
        if rivals:
            # get_files keeps one file per destination in a folder: the first in its order conflicts with
            # each later one, and loses to any later one that is included
            prefix = uri[: len(uri) - len(name)]
            group = sorted([file] + [self._file(prefix + n) for n in rivals],
                           key=lambda f: _file_sort_key(os.path.basename(f.src_uri)))
            group = [f for f in group if f.dest_uri == file.dest_uri]
            set_exclusions(group, config)
            first, removed = group[0], set()
            for later in group[1:]:
                removed.add(first.src_uri if later.inclusion.is_included() else later.src_uri)
            if uri in removed:
                return None
            file.inclusion = InclusionLevel.UNDEFINED   # set again, after on_files, like every file
        return file

    def _file(self, uri: str) -> File:
        config = self._config
        return File(uri, config.docs_dir, config.site_dir, config.use_directory_urls)

    def _theme_file(self, uri: str) -> File | None:
        """The theme's static file Files.add_files_from_theme adds at uri (docs_dir has none there), or None."""
        config = self._config
        if not _theme_static(uri, config):
            return None
        parts = uri.split("/")
        if any(part in ("", ".", "..") for part in parts):
            return None
        # the theme loader lists the files under each theme folder, not following linked folders
        listed = any(os.path.isfile(os.path.join(folder, uri))
                     and not any(os.path.islink(os.path.join(folder, *parts[:i])) for i in range(1, len(parts)))
                     for folder in config.theme.dirs)
        if not listed:
            return None
        for folder in config.theme.dirs:
            if os.path.isfile(os.path.join(folder, uri)):
                return File(uri, folder, config.site_dir, config.use_directory_urls)
        return None


def _theme_static(name: str, config) -> bool:
    """Files.add_files_from_theme's filter (MkDocs 1.6): which of the theme's files are site files."""
    patterns = [".*", "*/.*", "*.py", "*.pyc", "*.html", "*readme*", "mkdocs_theme.yml", "locales/*"]
    patterns.extend(f"*{x}" for x in utils.markdown_extensions)
    patterns.extend(config.theme.static_templates)
    return not any(fnmatch.fnmatch(name.lower(), pattern) for pattern in patterns)


class _DocumentationPages(Sequence):
    """The template context's `pages` (every documentation page), listed only if a template reads it."""

    def __init__(self, files: SiteFiles) -> None:
        self._files = files
        self._pages: list[File] | None = None

    def _list(self) -> list[File]:
        if self._pages is None:
            self._pages = self._files.full().documentation_pages(inclusion=InclusionLevel.is_included)
        return self._pages

    def __getitem__(self, index):
        return self._list()[index]

    def __len__(self) -> int:
        return len(self._list())


def _nav_paths(items) -> Iterable[str]:
    """The paths the nav configuration names (the strings of its nested lists and mappings)."""
    if isinstance(items, str):
        yield items
    elif isinstance(items, dict):
        for value in items.values():
            yield from _nav_paths(value)
    elif isinstance(items, list):
        for item in items:
            yield from _nav_paths(item)


def render_selected(config, plugin, request: BuildRequest, src_uris: Iterable[str]) -> dict[str, bytes]:
    """Render the pages of src_uris with the loaded MkDocs configuration (its site_dir a scratch folder)
    and return the files written there by path. See adapter.render_pages."""
    # MkDocs gives every configuration loaded in a process the same plugin instance: the state the last
    # build left on it (which the live preview renders pages again from) is put back afterwards (loading
    # the configuration has set its options again, to the same values).
    kept = dict(vars(plugin))
    try:
        return _render(config, plugin, request, src_uris)
    finally:
        vars(plugin).clear()
        vars(plugin).update(kept)


def _render(config, plugin, request: BuildRequest, src_uris: Iterable[str]) -> dict[str, bytes]:
    from mkdocs.commands.build import _build_page, _populate_page

    plugin.request = replace(request, reuse=None)   # every asked page rendered, none taken from elsewhere
    config.plugins.on_startup(command=COMMAND, dirty=False)
    counter = utils.CountHandler()
    counter.setLevel(logging.WARNING)
    if config.strict:
        logging.getLogger("mkdocs").addHandler(counter)
    try:
        config = config.plugins.on_config(config)
        config.plugins.on_pre_build(config=config)
        env = config.theme.get_env()
        files = SiteFiles(config, plugin, env)
        wanted = []
        for uri in dict.fromkeys(src_uris):
            file = files.get_file_from_path(uri)
            if file is None or not file.is_documentation_page() or not file.inclusion.is_included():
                raise RenderFailed(f"{uri}: 사이트의 페이지가 아닙니다 — content/ 아래 글이나 페이지, 또는 만들어지는 "
                                   "페이지의 경로(예: feature/2018-10-05-x.md, pages/about.md, index.md)를 주세요")
            wanted.append(file)
        shown = [f for f in (files.get_file_from_path(p) for p in _nav_paths(config.nav)) if f is not None]
        nav = get_navigation(Files(shown + [f for f in wanted if f not in shown]), config)
        nav = config.plugins.on_nav(nav, config=config, files=files)
        for page in nav.pages:
            if page.file in wanted:
                continue
            # The navigation shows other pages' front matter (icon, subtitle, status): read it. A generated
            # page's is spec_meta (what its stub holds, without writing and parsing YAML).
            spec = plugin.specs.get(page.file.src_uri)
            if spec is not None:
                page.meta = spec_meta(spec)
            else:
                page.read_source(config)
        current = None
        try:
            for file in wanted:
                current = file.page
                _populate_page(file.page, config, files)
            env = config.plugins.on_env(env, config=config, files=files)
            pages = _DocumentationPages(files)
            for file in wanted:
                current = file.page
                _build_page(file.page, config, pages, nav, env)
            current = None
        except RenderFailed:
            raise
        except Exception as exc:  # noqa: BLE001 - MkDocs has logged it; the caller learns which page
            raise RenderFailed(failure_report(exc, current)) from exc
        for file in wanted:
            file.page.validate_anchor_links(files=files, log_level=config.validation.links.anchors)
        if counts := counter.get_counts():
            msg = ", ".join(f"{v} {k.lower()}s" for k, v in counts)
            raise RenderFailed(f"Aborted with {msg} in strict mode!")
    finally:
        logging.getLogger("mkdocs").removeHandler(counter)
        plugin.request = None
        config.plugins.on_shutdown()
    return _read_back(Path(config.site_dir))


def _read_back(folder: Path) -> dict[str, bytes]:
    out = {}
    for base, _dirs, names in os.walk(folder):
        for name in names:
            path = Path(base, name)
            out[path.relative_to(folder).as_posix()] = path.read_bytes()
    return out


def scratch_folder(root: Path) -> Path:
    """A fresh folder for the pages' files, beside the share images' cache (so they link from it)."""
    cache = root / ".cache" / "site-builder"
    cache.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix="pages-", dir=cache))


def remove(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)
