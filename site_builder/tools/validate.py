"""The Nu Html Checker (vnu.jar from npm's vnu-jar) over whole site folders in one JVM run."""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .axe import REPO

VALIDATOR_JAR = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


@dataclass(frozen=True)
class HtmlError:
    """One validator error: the page (relative to its site folder), line and message."""

    page: str
    line: int | None
    message: str
    extract: str = ""

    def __str__(self) -> str:
        return f"{self.page}:{self.line}: {self.message} [{' '.join(self.extract.split())[:120]}]"


def validate(folders: list[Path], jar: Path = VALIDATOR_JAR) -> list[HtmlError]:
    """Every error the Nu validator finds in the HTML files under folders (warnings left out)."""
    if not Path(jar).is_file():
        raise FileNotFoundError(f"{jar} is missing: run `npm ci --ignore-scripts` (make test does)")
    java = shutil.which("java")
    if not java:
        raise FileNotFoundError("java is missing: run `make system-deps` (Debian package default-jre-headless)")
    run = subprocess.run([java, "-Xss4m", "-jar", str(jar), "--errors-only", "--format", "json",
                          "--skip-non-html", *map(str, folders)], capture_output=True, text=True, timeout=600)
    report = json.loads(run.stderr or '{"messages": []}')
    roots = [Path(f).resolve() for f in folders]
    errors = []
    for message in report.get("messages", []):
        path = Path(unquote(urlsplit(message.get("url", "")).path))
        page = next((path.relative_to(r).as_posix() for r in roots if path.is_relative_to(r)), str(path))
        errors.append(HtmlError(page, message.get("lastLine"), message.get("message", ""), message.get("extract", "")))
    return errors
