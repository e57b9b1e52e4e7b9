"""The MkDocs files of generated pages (page specs, site_builder.render.contributions.PageSpec): what
MkDocs reads as their source is a stub of YAML front matter (their settings) and their Markdown body,
made when MkDocs first reads it, so that a run rendering a few pages (site.selected) writes only theirs."""

from __future__ import annotations

from typing import Any

import yaml
from mkdocs.structure.files import File

from ..render.contributions import PageSpec


def spec_meta(spec: PageSpec) -> dict[str, Any]:
    """A generated page's MkDocs settings (its front matter): these keys and no others."""
    meta = {"title": spec.title, "template": spec.template, "description": spec.description,
            "hide": (["toc", "navigation"] if spec.path == "" else ["toc"]) if not spec.markdown else []}
    if not spec.in_sitemap:
        meta["sb_no_sitemap"] = True
    return meta


def spec_stub(spec: PageSpec) -> str:
    """The Markdown source MkDocs reads for a generated page: its settings as YAML front matter, then its body."""
    front = yaml.safe_dump(spec_meta(spec), allow_unicode=True)
    return f"---\n{front}---\n\n{spec.markdown}\n"


class _SpecFile(File):
    """A generated page's MkDocs file (File.generated with in-memory content), whose source, the stub, is
    made when MkDocs first reads it: site.selected renders a few pages and reads only theirs."""

    def __init__(self, config, spec: PageSpec) -> None:
        super().__init__(spec.src_uri, src_dir=None, dest_dir=config.site_dir,
                         use_directory_urls=config.use_directory_urls)
        self.generated_by = "site_builder"
        self.abs_src_path = None
        self.spec = spec
        self._stub: str | bytes | None = None

    @property
    def _content(self) -> str | bytes:   # what MkDocs' File reads through content_string and content_bytes
        if self._stub is None:
            self._stub = spec_stub(self.spec)
        return self._stub

    @_content.setter
    def _content(self, value: str | bytes) -> None:
        self._stub = value


def spec_file(config, spec: PageSpec) -> File:
    """The MkDocs file of a generated page."""
    return _SpecFile(config, spec)
