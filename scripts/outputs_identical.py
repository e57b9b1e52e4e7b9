"""Build every output with the code of two commits and compare them byte for byte.

    .venv/bin/python scripts/outputs_identical.py --base house-before            # base commit vs the work tree
    .venv/bin/python scripts/outputs_identical.py --base house-before --articles 1000

For each side it copies the project (a commit's files, or the work tree's tracked and new files) into
a scratch folder, then, with that side's code first on PYTHONPATH and one fixed clock, runs
`site-builder build` (the site, the feeds, the newsletter web versions) and
`site-builder newsletter render all` (every issue's HTML, text and .eml) on the sample archive, and
`site-builder build` on a generated archive of --articles articles (benchmarks/generate.py; 0 skips it).
Every file of the two output trees is compared; any file that is missing on one side or differs is
listed and the script exits 1. The build caches (.cache/) are not outputs and are not compared.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
NOW = "2026-06-01T09:00:00+09:00"


def copy_commit(rev: str, target: Path) -> None:
    target.mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(REPO), "archive", "--format=tar", rev],
                             check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)


def copy_worktree(target: Path) -> None:
    names = subprocess.run(["git", "-C", str(REPO), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                           check=True, capture_output=True).stdout.decode().split("\0")
    for name in filter(None, names):
        source = REPO / name
        if not source.is_file():
            continue  # deleted in the work tree
        dest = target / name
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, dest)


def run(tree: Path, project: Path, *args: str) -> None:
    env = dict(os.environ, PYTHONPATH=str(tree), SITE_BUILDER_NOW=NOW, PYTHONHASHSEED="0")
    env.pop("SMTP_HOST", None)
    result = subprocess.run([sys.executable, "-m", "site_builder", "--root", str(project), *args],
                            cwd=project, env=env, capture_output=True, text=True)
    if result.returncode:
        sys.exit(f"{tree.name}: site-builder {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")


def build_side(tree: Path, generated: Path | None) -> None:
    run(tree, tree, "build", "--quiet", "--full")
    run(tree, tree, "newsletter", "render", "all", "--to", str(tree / "newsletter-renders"))
    if generated is not None:
        project = tree / "generated"
        shutil.copytree(generated, project)
        config = project / "mkdocs.yml"
        lines = [f"  custom_dir: {tree / 'themes'}" if line.startswith("  custom_dir:") else line
                 for line in config.read_text(encoding="utf-8").splitlines()]
        config.write_text("\n".join(lines) + "\n", encoding="utf-8")
        run(tree, project, "build", "--quiet", "--full")


def files(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


def compare(label: str, before: Path, after: Path) -> list[str]:
    a, b = files(before), files(after)
    problems = [f"{label}: only before: {name}" for name in sorted(a - b)]
    problems += [f"{label}: only after: {name}" for name in sorted(b - a)]
    problems += [f"{label}: differs: {name}" for name in sorted(a & b)
                 if not filecmp.cmp(before / name, after / name, shallow=False)]
    print(f"{label}: {len(a & b)} files compared, {len(problems)} problems")
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", required=True, help="the commit built as 'before' (e.g. house-before)")
    parser.add_argument("--head", default=None, help="the commit built as 'after' (default: the work tree)")
    parser.add_argument("--articles", type=int, default=1000, help="size of the generated archive (0: none)")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder and print it")
    args = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="outputs-identical-"))
    try:
        before, after = scratch / "before", scratch / "after"
        copy_commit(args.base, before)
        if args.head:
            copy_commit(args.head, after)
        else:
            after.mkdir()
            copy_worktree(after)
        generated = None
        if args.articles:
            generated = scratch / "generated"
            subprocess.run([sys.executable, str(REPO / "benchmarks" / "generate.py"), "--articles",
                            str(args.articles), "--out", str(generated)], check=True, capture_output=True)
        for side in (before, after):
            build_side(side, generated)
        problems = compare("sample site", before / "site", after / "site")
        problems += compare("newsletter renders", before / "newsletter-renders", after / "newsletter-renders")
        if generated is not None:
            problems += compare(f"{args.articles}-article site", before / "generated" / "site",
                                after / "generated" / "site")
        for line in problems[:200]:
            print(line)
        if problems:
            sys.exit(f"{len(problems)} output files differ (scratch: {scratch})" if args.keep else
                     f"{len(problems)} output files differ")
        print("every output file is byte-identical")
    finally:
        if args.keep:
            print(f"scratch: {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
