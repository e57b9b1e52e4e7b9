"""Finding the issues a command names: a number, a slug, a file name or path, or 'all'."""

from __future__ import annotations

from pathlib import Path

from .issue import Issue
from .issues import load_issues


def select_issues(config, catalog, wanted: str) -> tuple[list[Issue], list]:
    """Return (issues matching wanted: a number, a slug, a file path or 'all'; problems of the issue files)."""
    issues, problems = load_issues(config, catalog)
    if wanted == "all":
        return [i for i in issues if not i.draft], problems
    key = wanted.strip()
    name = Path(key).name
    found = [i for i in issues if str(i.number) == key.lstrip("0") or i.slug == key or Path(i.source).name == name
             or Path(i.source).stem == key]
    return found, problems
