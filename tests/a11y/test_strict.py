"""`site-builder check --strict`: the static part of the accessibility checks, on the Markdown itself."""

from __future__ import annotations

import shutil
from pathlib import Path

from site_builder.config import load_config
from site_builder.catalog import check_content
from site_builder.content.strict import strict_problems

REPO = Path(__file__).resolve().parents[2]
ARTICLE = "content/feature/2018-09-28-core-projects.md"


def strict_messages(tmp_path: Path, extra: str) -> list[str]:
    project = tmp_path / "project"
    shutil.copytree(REPO / "tests" / "fixtures" / "site", project)
    article = project / ARTICLE
    article.write_text(article.read_text(encoding="utf-8") + extra, encoding="utf-8")
    config = load_config(project)
    loaded, _problems = check_content(config)
    return [str(p) for p in strict_problems(config, loaded)]


def test_the_fixture_and_sample_content_pass(tmp_path: Path) -> None:
    for root in (REPO / "tests" / "fixtures" / "site", REPO):
        config = load_config(root)
        loaded, _problems = check_content(config)
        assert [str(p) for p in strict_problems(config, loaded)] == []


def test_alt_text_that_is_a_file_name_or_only_photo_is_reported(tmp_path: Path) -> None:
    messages = strict_messages(tmp_path, "\n![cover.png](../images/interview/cover.png)\n\n![현장 사진](../images/x.png)\n")
    assert any("대체텍스트 'cover.png'가 그림의 내용을 알려 주지 않습니다" in m for m in messages), messages
    assert any("대체텍스트 '현장 사진'이 그림의 내용을 알려 주지 않습니다" in m for m in messages), messages


def test_skipped_heading_levels_are_reported_with_the_line(tmp_path: Path) -> None:
    body = (REPO / "tests" / "fixtures" / "site" / ARTICLE).read_text(encoding="utf-8")
    line = body.count("\n") + 3
    messages = strict_messages(tmp_path, "\n\n#### 너무 깊은 제목\n")
    assert f"{ARTICLE}:{line}: body: 제목 단계를 건너뛰었습니다" in "\n".join(messages)


def test_raw_iframe_without_title_or_with_autoplay_and_positive_tabindex_are_reported(tmp_path: Path) -> None:
    messages = strict_messages(tmp_path, '\n<iframe src="https://www.youtube-nocookie.com/embed/x?autoplay=1"></iframe>\n'
                                         '\n<a href="/x/" tabindex="3">이동</a>\n')
    text = "\n".join(messages)
    assert "삽입한 iframe에 title이 없습니다" in text
    assert "삽입한 iframe이 자동 재생됩니다" in text
    assert "tabindex가 0보다 큽니다" in text
