"""One build as the renderer receives it: the BuildRequest, made by site_builder.build and handed to the
site adapter (site_builder.site.adapter) explicitly. No renderer here, so that the adapter alone changes
when the renderer does."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:   # annotations only: the build's command imports RenderFailed before any content code
    from ..catalog import Catalog
    from ..config import SiteConfig
    from .contributions import Contribution


@dataclass(frozen=True)
class Reuse:
    """An incremental build (site_builder.build.incremental): every page is taken from the previous site
    except those of the sources in changed."""

    previous: Path                # the previous site folder, which nothing writes to during the build
    changed: frozenset[str]       # sources (relative to content/, or a generated page's index.md) made again


@dataclass(frozen=True)
class BuildRequest:
    """Everything a build renders from: the catalog (its settings with it), the time the build stands
    for, the other outputs' contributions, the incremental plan, and whether drafts are shown."""

    catalog: Catalog
    now: datetime
    contributions: tuple[Contribution, ...] = ()
    reuse: Reuse | None = None
    drafts: bool = False          # the live preview (site-builder serve): drafts are in the catalog, marked

    @property
    def settings(self) -> SiteConfig:
        return self.catalog.config


class IncrementalMiss(Exception):
    """The previous site lacks a file an incremental build would reuse: build everything instead."""


class RenderFailed(Exception):
    """The renderer stopped (a template, configuration or plugin error); the message says why, as the
    renderer reported it (it has logged the details above)."""
