"""Site-wide settings, read from the root mkdocs.yml without importing MkDocs."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import yaml

from .errors import ConfigError

KST = timezone(timedelta(hours=9), "KST")


def now_kst() -> datetime:
    """Return the current time in Seoul, or SITE_BUILDER_NOW (ISO) when set (tests, rebuilds)."""
    value = os.environ.get("SITE_BUILDER_NOW")
    if value:
        parsed = datetime.fromisoformat(value)
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=KST)
    return datetime.now(KST)

# The kinds of article (folder names under content/) with their Korean labels. They live here, in the
# ground layer, because the subscription form (subscribers/) offers them as topics; content/kinds.py
# declares each kind's fields and checks, content/vocabulary.py the facets built on them.
KINDS: dict[str, str] = {
    "interview": "인터뷰",
    "column": "칼럼·기고",
    "meeting": "간담회·회의 스케치",
    "feature": "기획기사",
    "cardnews": "카드뉴스",
    "video": "영상",
    "infographic": "인포그래픽",
}


@dataclass(frozen=True)
class Term:
    """A configured vocabulary entry (agenda or series): ASCII id, Korean name."""

    id: str
    name: str
    description: str = ""


@dataclass(frozen=True)
class Office:
    """The operating office shown in every footer and every email."""

    name: str
    address: str
    phone: str = ""
    email: str = ""
    privacy_officer: str = ""


@dataclass(frozen=True)
class SiteConfig:
    """Everything site_builder needs from mkdocs.yml."""

    root: Path
    site_name: str
    site_url: str
    site_description: str
    brand: str
    office: Office
    agenda: tuple[Term, ...]
    series: tuple[Term, ...]
    default_license: str
    per_page: int
    markdown_extensions: tuple[Any, ...]
    content_dir: Path
    newsletters_dir: Path
    site_dir: Path
    extra: dict[str, Any] = field(default_factory=dict)
    theme_dir: Path | None = None  # theme.custom_dir: the project's template overrides

    def section(self, name: str) -> dict[str, Any]:
        """Return a raw settings section of extra.site_builder (newsletter, subscriptions, ...)."""
        value = self.extra.get(name) or {}
        if not isinstance(value, dict):
            raise ConfigError(f"mkdocs.yml: extra.site_builder.{name}: expected a mapping")
        return value

    def absolute_url(self, path: str) -> str:
        """Return the absolute URL of a site path such as 'interview/x/'."""
        return self.site_url + path.lstrip("/")

    def agenda_by_name(self) -> dict[str, Term]:
        return {t.name: t for t in self.agenda} | {t.id: t for t in self.agenda}

    def series_by_name(self) -> dict[str, Term]:
        return {t.name: t for t in self.series} | {t.id: t for t in self.series}


class _TolerantLoader(yaml.SafeLoader):
    """SafeLoader that reads MkDocs' custom tags (!ENV, !!python/name) as plain values."""


def _tolerant(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_mapping(node)


_TolerantLoader.add_multi_constructor("!", _tolerant)
_TolerantLoader.add_multi_constructor("tag:yaml.org,2002:python/", _tolerant)


def _terms(raw: Any, where: str) -> tuple[Term, ...]:
    terms = []
    for item in raw or []:
        if not isinstance(item, dict) or "id" not in item or "name" not in item:
            raise ConfigError(f"mkdocs.yml: {where}: each entry needs id and name")
        terms.append(Term(str(item["id"]), str(item["name"]), str(item.get("description", ""))))
    return tuple(terms)


def load_config(root: Path | str = ".", config_file: str = "mkdocs.yml") -> SiteConfig:
    """Read mkdocs.yml at root and return the typed site settings."""
    root = Path(root).resolve()
    path = root / config_file
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_TolerantLoader) or {}
    except FileNotFoundError as exc:
        raise ConfigError(f"{path}: not found — run site-builder from the project folder") from exc
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: YAML error: {exc}") from exc
    extra = (raw.get("extra") or {}).get("site_builder") or {}
    site_url = str(raw.get("site_url") or "")
    if not site_url:
        raise ConfigError(f"{path}: site_url: missing — set the public address, e.g. https://yours.example.org/")
    if not site_url.endswith("/"):
        site_url += "/"
    office_raw = extra.get("office") or {}
    office = Office(
        name=str(office_raw.get("name", "")),
        address=str(office_raw.get("address", "")),
        phone=str(office_raw.get("phone", "")),
        email=str(office_raw.get("email", "")),
        privacy_officer=str(office_raw.get("privacy_officer", "")),
    )
    return SiteConfig(
        root=root,
        site_name=str(raw.get("site_name", "")),
        site_url=site_url,
        site_description=str(raw.get("site_description", "")),
        brand=str(extra.get("brand", raw.get("site_name", ""))),
        office=office,
        agenda=_terms(extra.get("agenda"), "extra.site_builder.agenda"),
        series=_terms(extra.get("series"), "extra.site_builder.series"),
        default_license=str(extra.get("default_license", "kogl-1")),
        per_page=int(extra.get("per_page", 12)),
        markdown_extensions=tuple(raw.get("markdown_extensions") or ()),
        content_dir=root / str(raw.get("docs_dir", "content")),
        newsletters_dir=root / str(extra.get("newsletters_dir", "newsletters")),
        site_dir=root / str(raw.get("site_dir", "site")),
        extra=extra,
        theme_dir=root / str(theme["custom_dir"]) if isinstance(theme := raw.get("theme"), dict)
        and theme.get("custom_dir") else None,
    )
