"""One sample page per template of a built site, found from the site's folders.

The browser suite and `make screenshots` both use this list, so a template added later joins
both by adding its sample here."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..config import KINDS
from ..content.vocabulary import FACETS

STATIC_PAGES = ("about", "privacy", "copyright", "no-email-collection")


@dataclass(frozen=True)
class Sample:
    """A page standing for one template: its name and its URL path relative to the site root."""

    name: str
    path: str
    search: str = ""  # the query the search template is opened with (its results shown)

    def url(self, base: str) -> str:
        return base + self.path


def _pages(folder: Path) -> list[str]:
    """Sub-folders of folder that hold a page, in name order (pagination folders left out)."""
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir()
                  if p.is_dir() and p.name != "page" and (p / "index.html").is_file())


def _largest(site: Path, folder: str) -> str | None:
    """The listing under folder with the most article cards (the fullest page of its template)."""
    names = _pages(site / folder)
    if not names:
        return None
    return max(names, key=lambda n: ((site / folder / n / "index.html").read_text(encoding="utf-8")
                                     .count('class="sb-card"'), -names.index(n)))


def is_redirect(html: str) -> bool:
    """True for the alias pages that only forward to an article's new address."""
    return 'http-equiv="refresh"' in html


def sample_pages(site_dir: Path) -> list[Sample]:
    """A sample page for each template the built site has, in a stable order."""
    site = Path(site_dir)
    samples = [Sample("home", "")]
    samples.append(Sample("search", "search/?q=%EC%B2%AD%EB%85%84", search="청년"))
    for kind in KINDS:
        if (site / kind / "index.html").is_file():
            samples.append(Sample(f"listing-kind-{kind}", f"{kind}/"))
    for facet, folder in ((f.name, f.prefix.rstrip("/")) for f in FACETS.values() if f.prefix):
        if (site / folder / "index.html").is_file():
            samples.append(Sample(f"index-{facet}", f"{folder}/"))
        largest = _largest(site, folder)
        if largest:
            samples.append(Sample(f"listing-{facet}", f"{folder}/{largest}/"))
    paged = sorted(site.glob("*/page/2/index.html")) + sorted(site.glob("*/*/page/2/index.html"))
    if paged:
        samples.append(Sample("listing-page-2", paged[0].parent.relative_to(site).as_posix() + "/"))
    for kind in KINDS:
        for name in _pages(site / kind):
            if not is_redirect((site / kind / name / "index.html").read_text(encoding="utf-8")):
                samples.append(Sample(f"article-{kind}", f"{kind}/{name}/"))
                break
    archive = site / "archive"
    if (archive / "index.html").is_file():
        samples.append(Sample("archive", "archive/"))
        years = [y for y in _pages(archive) if y.isdigit()]
        if years:
            samples.append(Sample("archive-year", f"archive/{years[0]}/"))
            months = _pages(archive / years[0])
            if months:
                samples.append(Sample("archive-month", f"archive/{years[0]}/{months[0]}/"))
    for name in ("timeline", "subscribe", "feeds"):
        if (site / name / "index.html").is_file():
            samples.append(Sample(name, f"{name}/"))
    if (site / "newsletter" / "index.html").is_file():
        samples.append(Sample("newsletter-archive", "newsletter/"))
        issues = _pages(site / "newsletter")
        if issues:
            samples.append(Sample("newsletter", f"newsletter/{issues[0]}/"))
    for slug in STATIC_PAGES:
        if (site / slug / "index.html").is_file():
            samples.append(Sample(f"page-{slug}", f"{slug}/"))
    if (site / "404.html").is_file():
        samples.append(Sample("404", "404.html"))
    return samples


def html_pages(site_dir: Path) -> list[Path]:
    """Every HTML page of the built site, sorted."""
    return sorted(Path(site_dir).rglob("*.html"))
