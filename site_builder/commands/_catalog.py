"""The catalog a command works on, or every content problem printed the way editors read them."""

from __future__ import annotations

import sys


def catalog_or_report(root, why_not: str = ""):
    """Return (config, catalog) of the project at root; or print every problem of content/ (numbered,
    `path:line: field: what — how`) and why_not (`... 문제 N개가 있어 <why_not>`), and return None."""
    from ..catalog import load_catalog
    from ..config import load_config
    from ..errors import ContentError, format_problems

    config = load_config(root)
    try:
        return config, load_catalog(config)
    except ContentError as exc:
        print(format_problems(exc.problems), file=sys.stderr)
        if why_not:
            print(f"\n글에 고쳐야 할 문제 {len(exc.problems)}개가 있어 {why_not}", file=sys.stderr)
        return None
