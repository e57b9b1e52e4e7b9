"""One reading of content/: what every file's checks share, and what they record for the cross-file checks."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..config import SiteConfig
from .media import Media


@dataclass(frozen=True)
class Body:
    """The Markdown body of one file as read, for the checks of its links and images."""

    path: str  # as shown to editors: content/feature/x.md
    source: str  # relative to content/: feature/x.md
    text: str
    first_line: int  # the file line of the body's first line
    draft: bool
    # (line, url, is_image) of every link and image, when already found (links.iter_body_links): a body
    # from the per-file cache keeps only these, not its text
    links: tuple[tuple[int, str, bool], ...] | None = None


class ContentReader:
    """Reads content/ once; images are measured once each."""

    def __init__(self, config: SiteConfig):
        self.config = config
        self.root = config.content_dir
        self.media = Media(self.root)
        self.key_lines: dict[str, dict[tuple, int]] = {}  # path -> key path -> line, for cross-file checks
        self.bodies: list[Body] = []  # every article and page body read, drafts and invalid files included
        self.tag_uses: list[tuple[str, int, str]] = []  # (path, line, tag) as written, drafts included
        self.agenda = config.agenda_by_name()
        self.series = config.series_by_name()

    def rel(self, path: Path) -> str:
        """Return a path as editors see it in messages: relative to the project folder."""
        try:
            return str(path.relative_to(self.config.root))
        except ValueError:
            return str(path)
