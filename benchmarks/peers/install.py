"""Install the peers the side-by-side benchmark builds with: Hugo, Pelican 4 and Material's blog.

    .venv/bin/python benchmarks/peers/install.py

- Hugo: the Debian package `hugo` (apt-get install, as root, only when no `hugo` is on PATH).
- Pelican 4.x with Markdown: pip into a scratch venv benchmarks/out/peers/pelican-venv/.
- Material for MkDocs (its built-in `blog` and `tags` plugins): pip into benchmarks/out/peers/material-venv/.
None of this touches the project's .venv. Prints each tool's version, or why it could not be installed;
exits 1 when none is usable. Not part of `make test`."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "out" / "peers"
VENVS = {"pelican": (OUT / "pelican-venv", ["pelican>=4.9,<5", "markdown>=3.5,<4"]),
         "material": (OUT / "material-venv", ["mkdocs>=1.6,<2", "mkdocs-material>=9.5,<10"])}


def hugo() -> str | None:
    """The hugo binary, installed with apt-get when missing; None when that is not possible."""
    found = shutil.which("hugo")
    if found:
        return found
    if os.geteuid() != 0:
        print("hugo: not installed and not root: run `sudo apt-get install hugo` (skipped)")
        return None
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    for step in (["apt-get", "install", "-y", "-q", "hugo"], ["apt-get", "update", "-q"],
                 ["apt-get", "install", "-y", "-q", "hugo"]):
        result = subprocess.run(step, env=env, capture_output=True, text=True)
        if step[1] == "install" and result.returncode == 0:
            break
    else:
        print(f"hugo: apt-get install hugo failed: {result.stderr.strip()[-400:]} (skipped)")
        return None
    return shutil.which("hugo")


def scratch_venv(name: str) -> Path | None:
    """A venv with the tool's packages; its bin/ folder, or None when pip failed."""
    folder, packages = VENVS[name]
    python = folder / "bin" / "python"
    if not python.exists():
        venv.create(folder, with_pip=True)
    result = subprocess.run([str(python), "-m", "pip", "install", "-q", *packages], capture_output=True, text=True)
    if result.returncode:
        print(f"{name}: pip install {' '.join(packages)} failed: {result.stderr.strip()[-400:]} (skipped)")
        return None
    return folder / "bin"


def versions() -> dict[str, str]:
    """Each installed peer's version line ({} entries for those not installed)."""
    found = {}
    binary = shutil.which("hugo")
    if binary:
        found["hugo"] = subprocess.run([binary, "version"], capture_output=True, text=True).stdout.strip()
    for name, command in (("pelican", ["pelican", "--version"]), ("material", ["python", "-c",
                          "import material, mkdocs; print('mkdocs', mkdocs.__version__, 'material', material.__version__)"])):
        folder = VENVS[name][0] / "bin"
        if (folder / command[0]).exists():
            result = subprocess.run([str(folder / command[0]), *command[1:]], capture_output=True, text=True)
            found[name] = (result.stdout + result.stderr).strip()
    return found


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    hugo()
    for name in VENVS:
        scratch_venv(name)
    found = versions()
    for name in ("hugo", "pelican", "material"):
        print(f"{name}: {found.get(name, 'not installed')}")
    if not found:
        sys.exit(1)


if __name__ == "__main__":
    main()
