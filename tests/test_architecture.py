"""The house's import contracts (.importlinter, import-linter) hold, and they do fail when one is broken."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
LINT = [sys.executable, "-c", "import sys; from importlinter.cli import lint_imports_command; sys.exit(lint_imports_command())",
        "--no-cache"]


def lint(root: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(root))
    return subprocess.run(LINT, cwd=root, env=env, capture_output=True, text=True)


def test_every_import_contract_is_kept() -> None:
    result = lint(REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"Contracts: \d+ kept, 0 broken\.", result.stdout), result.stdout


def copy_of_the_code(tmp_path: Path) -> Path:
    shutil.copytree(REPO / "site_builder", tmp_path / "site_builder", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / ".importlinter", tmp_path / ".importlinter")
    return tmp_path


def append(path: Path, line: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + "\n" + line + "\n", encoding="utf-8")


VIOLATIONS = {
    "the catalog importing the site breaks the layers": (
        "catalog.py", "from .site import view  # noqa",
        ["site_builder.catalog is not allowed to import site_builder.site",
         "- site_builder.catalog -> site_builder.site.view"]),
    "MkDocs outside the site adapter": (
        "feeds/__init__.py", "import mkdocs  # noqa", ["site_builder.feeds is not allowed to import mkdocs"]),
    "one output importing another": (
        "newsletter/__init__.py", "from ..feeds import entries  # noqa",
        ["site_builder.newsletter is not allowed to import site_builder.feeds"]),
    "the build reaching into the site plugin": (
        "build/pipeline.py", "from ..site import plugin  # noqa",
        ["site_builder.build is not allowed to import site_builder.site.plugin"]),
}


@pytest.mark.parametrize("case", VIOLATIONS)
def test_a_deliberate_violation_fails_the_contracts(tmp_path: Path, case: str) -> None:
    module, line, messages = VIOLATIONS[case]
    root = copy_of_the_code(tmp_path)
    append(root / "site_builder" / module, line)
    result = lint(root)
    assert result.returncode == 1
    for message in messages:
        assert message in result.stdout
