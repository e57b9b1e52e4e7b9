"""The house's import contracts (.importlinter, import-linter) hold, and they do fail when one is broken."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

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


def test_a_catalog_that_imports_the_site_breaks_the_layers(tmp_path: Path) -> None:
    root = copy_of_the_code(tmp_path)
    append(root / "site_builder" / "catalog.py", "from .site import view  # noqa")
    result = lint(root)
    assert result.returncode == 1
    assert "site_builder.catalog is not allowed to import site_builder.site" in result.stdout
    assert "- site_builder.catalog -> site_builder.site.view" in result.stdout


def test_mkdocs_outside_the_site_adapter_is_refused(tmp_path: Path) -> None:
    root = copy_of_the_code(tmp_path)
    append(root / "site_builder" / "feeds" / "__init__.py", "import mkdocs  # noqa")
    result = lint(root)
    assert result.returncode == 1
    assert "site_builder.feeds is not allowed to import mkdocs" in result.stdout


def test_one_output_importing_another_is_refused(tmp_path: Path) -> None:
    root = copy_of_the_code(tmp_path)
    append(root / "site_builder" / "newsletter" / "__init__.py", "from ..feeds import entries  # noqa")
    result = lint(root)
    assert result.returncode == 1
    assert "site_builder.newsletter is not allowed to import site_builder.feeds" in result.stdout


def test_the_build_reaching_into_the_site_plugin_is_refused(tmp_path: Path) -> None:
    root = copy_of_the_code(tmp_path)
    append(root / "site_builder" / "build" / "pipeline.py", "from ..site import plugin  # noqa")
    result = lint(root)
    assert result.returncode == 1
    assert "site_builder.build is not allowed to import site_builder.site.plugin" in result.stdout
