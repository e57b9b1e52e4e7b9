"""Build behaviour a user relies on: atomic swap, drafts in serve, scheduled posts."""

from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import Path

from site_builder.build.pipeline import build_site
from site_builder.cli import main
from site_builder.config import KST


def snapshot(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_broken_article_leaves_the_last_good_site_untouched(site_project: Path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("SITE_BUILDER_NOW", "2019-06-01T12:00:00+09:00")
    assert main(["--root", str(site_project), "build", "--quiet"]) == 0
    before = snapshot(site_project / "site")
    assert before
    article = site_project / "content" / "meeting" / "2018-09-21-first-meeting.md"
    article.write_text(article.read_text(encoding="utf-8").replace("date: 2018-09-21", "date: 9월 21일"),
                       encoding="utf-8")
    capsys.readouterr()
    assert main(["--root", str(site_project), "build", "--quiet"]) == 1
    err = capsys.readouterr().err
    assert ('1. content/meeting/2018-09-21-first-meeting.md:3: date: "9월 21일"은 날짜가 아닙니다 '
            '— 2018-09-21 형식으로 쓰세요') in err
    assert "이전 사이트는 그대로입니다" in err
    assert snapshot(site_project / "site") == before
    assert not list(site_project.glob(".site.*"))


def test_a_crash_inside_mkdocs_leaves_the_last_good_site_untouched(site_project: Path, monkeypatch) -> None:
    now = datetime(2019, 6, 1, tzinfo=KST)
    build_site(site_project, now=now)
    before = snapshot(site_project / "site")
    # A template error happens after content checks pass, in the middle of rendering.
    theme = site_project / "themes"
    (theme).mkdir()
    (theme / "sb-listing.html").write_text("{% extends 'main.html' %}{% block content %}{{ nope( }}{% endblock %}")
    config = site_project / "mkdocs.yml"
    config.write_text("\n".join(f"  custom_dir: {theme}" if l.strip().startswith("custom_dir:") else l
                                for l in config.read_text(encoding="utf-8").splitlines()), encoding="utf-8")
    try:
        build_site(site_project, now=now)
    except Exception:
        pass
    else:  # pragma: no cover
        raise AssertionError("the broken template should have failed the build")
    assert snapshot(site_project / "site") == before
    assert not list(site_project.glob(".site.*"))


def test_future_post_appears_from_its_date_on(site_project: Path) -> None:
    build_site(site_project, now=datetime(2029, 12, 31, 23, 59, tzinfo=KST))
    assert not (site_project / "site" / "feature" / "future").exists()
    build_site(site_project, now=datetime(2030, 1, 1, 0, 0, tzinfo=KST))
    assert (site_project / "site" / "feature" / "future" / "index.html").is_file()


def test_serve_shows_drafts_marked(site_project: Path, tmp_path: Path, monkeypatch) -> None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    monkeypatch.setenv("SITE_BUILDER_NOW", "2019-06-01T12:00:00+09:00")
    out = tmp_path / "served"
    config = load_config(str(site_project / "mkdocs.yml"), site_dir=str(out))
    config.plugins.on_startup(command="serve", dirty=False)  # what `site-builder serve` does
    build(config, serve_url="http://127.0.0.1:8000/")
    html = (out / "feature" / "draft-note" / "index.html").read_text(encoding="utf-8")
    assert "초안 — 공개되지 않은 글입니다" in html
