"""axe-core (from npm's node_modules/axe-core) run inside a Playwright page."""

from __future__ import annotations

import json
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def axe_source(root: Path = REPO) -> str:
    """The text of axe.min.js installed by `npm ci` at the repository root."""
    path = root / "node_modules" / "axe-core" / "axe.min.js"
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing: run `npm ci --ignore-scripts` at the repository root")
    return path.read_text(encoding="utf-8")


def run_axe(page, source: str, tags: list[str] = TAGS) -> list[dict]:
    """Run axe on the page for these rule tags; returns its violations."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.add_script_tag(content=source)
    options = {"runOnly": {"type": "tag", "values": tags}, "resultTypes": ["violations"]}
    result = page.evaluate("options => axe.run(document, options)", options)
    return result["violations"]


def describe(violations: list[dict], where: str = "") -> str:
    """Readable lines: rule, impact, help, then each failing node's target and summary."""
    lines = []
    for v in violations:
        lines.append(f"{where}{v['id']} ({v['impact']}): {v['help']} [{len(v['nodes'])}]")
        for node in v["nodes"][:8]:
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            lines.append(f"    {json.dumps(node['target'], ensure_ascii=False)} {summary[:300]}")
    return "\n".join(lines)
