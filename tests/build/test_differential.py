"""An incremental build gives exactly what a clean build gives, after any sequence of edits.

Random sequences of the edits editors make (add an article, change a body, change a title, retag,
rename with an alias, delete, change a template, change the settings) are applied to a generated
archive; after each step the project is rebuilt incrementally (`site-builder build`, what an editor
runs) and a copy of it is built from nothing (`build --full` without .cache/); every output file must
be byte-identical, and every file whose bytes did not change must still be the previous build's file
(same inode, so same modification time). The seeds are fixed, so a failure names the step that broke and can be replayed.
"""

from __future__ import annotations

import filecmp
import os
import random
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))
from generate import generate  # noqa: E402  (the benchmarks' corpus generator)

NOW = "2026-06-01T09:00:00+09:00"
ARTICLES = 36
STEPS = 6


def build(project: Path, *extra: str) -> str:
    env = dict(os.environ, SITE_BUILDER_NOW=NOW)
    result = subprocess.run([sys.executable, "-m", "site_builder", "--root", str(project), "build", "--quiet", *extra],
                            capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def clean_build(project: Path, scratch: Path) -> Path:
    shutil.rmtree(scratch, ignore_errors=True)
    shutil.copytree(project, scratch, ignore=shutil.ignore_patterns("site", ".cache", ".site.*"))
    config = scratch / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(str(project / "themes"), str(scratch / "themes")),
                      encoding="utf-8")
    build(scratch, "--full")
    return scratch / "site"


def differences(expected: Path, actual: Path) -> list[str]:
    a = {str(p.relative_to(expected)) for p in expected.rglob("*") if p.is_file()}
    b = {str(p.relative_to(actual)) for p in actual.rglob("*") if p.is_file()}
    problems = [f"missing: {name}" for name in sorted(a - b)] + [f"extra: {name}" for name in sorted(b - a)]
    problems += [f"differs: {name}" for name in sorted(a & b)
                 if not filecmp.cmp(expected / name, actual / name, shallow=False)]
    return problems


# -- the edits -------------------------------------------------------------------------------

def articles(project: Path) -> list[Path]:
    return sorted(p for p in (project / "content").glob("*/*.md") if p.parent.name != "pages")


def edit_body(project: Path, rng: random.Random) -> str:
    article = rng.choice(articles(project))
    article.write_text(article.read_text(encoding="utf-8") + f"\n고친 문단 {rng.randrange(10**6)}입니다.\n",
                       encoding="utf-8")
    return f"body of {article.name}"


def edit_front_matter(project: Path, rng: random.Random, key: str, value: str) -> str:
    article = rng.choice(articles(project))
    text = article.read_text(encoding="utf-8")
    article.write_text(re.sub(rf"^{key}: .*$", f"{key}: {value}", text, count=1, flags=re.M), encoding="utf-8")
    return f"{key} of {article.name}"


def edit_title(project: Path, rng: random.Random) -> str:
    return edit_front_matter(project, rng, "title", f"새 제목 {rng.randrange(10**6)}")


def retag(project: Path, rng: random.Random) -> str:
    return edit_front_matter(project, rng, "tags", f"[청년정책, 새태그{rng.randrange(5)}]")


def add(project: Path, rng: random.Random) -> str:
    source = rng.choice(articles(project))
    day = f"2018-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    target = source.parent / f"{day}-added-{rng.randrange(10**6)}.md"
    text = re.sub(r"^date: .*$", f"date: {day}", source.read_text(encoding="utf-8"), count=1, flags=re.M)
    text = re.sub(r'^when: ".*"$', f'when: "{day} 19:00"', text, count=1, flags=re.M)
    target.write_text(text, encoding="utf-8")
    return f"add {target.name}"


def rename(project: Path, rng: random.Random) -> str:
    source = rng.choice([p for p in articles(project) if "aliases:" not in p.read_text(encoding="utf-8")])
    kind, stem = source.parent.name, source.stem
    slug = stem[11:]  # the URL slug follows the date in the file name
    target = source.with_name(f"{stem[:11]}renamed-{rng.randrange(10**6)}.md")
    text = source.read_text(encoding="utf-8").replace("---\n", f"---\naliases: [/{kind}/{slug}/]\n", 1)
    target.write_text(text, encoding="utf-8")
    source.unlink()
    return f"rename {source.name} -> {target.name}"


def delete(project: Path, rng: random.Random) -> str:
    article = rng.choice(articles(project))
    article.unlink()
    return f"delete {article.name}"


def edit_template(project: Path, rng: random.Random) -> str:
    template = project / "themes" / "sb-article.html"
    text = template.read_text(encoding="utf-8")
    template.write_text(text.replace("{% block content %}", f"{{% block content %}}<!-- 판 {rng.randrange(10**6)} -->",
                                     1), encoding="utf-8")
    return "template sb-article.html"


def edit_config(project: Path, rng: random.Random) -> str:
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(re.sub(r"^site_description: .*$", f"site_description: 시민소통 채널 {rng.randrange(10**6)}", text,
                             count=1, flags=re.M), encoding="utf-8")
    return "mkdocs.yml site_description"


EDITS = [edit_body, edit_body, edit_body, edit_title, retag, add, rename, delete, edit_template, edit_config]


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("generated") / "project"
    generate(base, ARTICLES)
    shutil.copytree(REPO / "themes", base / "themes")
    config = base / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(f"custom_dir: {REPO / 'themes'}",
                                                                 f"custom_dir: {base / 'themes'}"), encoding="utf-8")
    return base


@pytest.mark.parametrize("seed", [1, 2])
def test_incremental_builds_equal_clean_builds_after_random_edits(generated: Path, tmp_path: Path, seed: int) -> None:
    project = tmp_path / "project"
    shutil.copytree(generated, project)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(str(generated), str(project)), encoding="utf-8")
    build(project)
    rng = random.Random(seed)
    done = []
    for step in range(STEPS):
        done.append(rng.choice(EDITS)(project, rng))
        before = files_of(project / "site")
        build(project)
        problems = differences(clean_build(project, tmp_path / "clean"), project / "site")
        assert problems == [], f"seed {seed}, after {' ; '.join(done)}: {problems[:20]}"
        after = files_of(project / "site")
        rewritten = sorted(name for name, (inode, data) in after.items()
                           if name in before and before[name][1] == data and before[name][0] != inode)
        assert rewritten == [], f"seed {seed}, after {' ; '.join(done)}: same bytes written again: {rewritten[:10]}"


def files_of(site: Path) -> dict[str, tuple[int, bytes]]:
    """Every file of the site: (inode, bytes). A file written again, even with the same bytes, has a new
    inode (the build writes new files and renames them into place, never into an existing file)."""
    return {str(p.relative_to(site)): (p.stat().st_ino, p.read_bytes()) for p in site.rglob("*") if p.is_file()}
