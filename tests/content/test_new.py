"""`site-builder new` writes a complete, commented article of each kind, dated today."""

from datetime import datetime
from pathlib import Path

import pytest

from site_builder.cli import main
from site_builder.config import KINDS, KST


@pytest.mark.parametrize("kind", list(KINDS))
def test_new_writes_every_field_of_the_kind(kind: str, site_project: Path, capsys) -> None:
    assert main(["--root", str(site_project), "new", kind, "fresh-piece"]) == 0
    today = datetime.now(KST).strftime("%Y-%m-%d")
    path = site_project / "content" / kind / f"{today}-fresh-piece.md"
    text = path.read_text(encoding="utf-8")
    assert f"date: {today}" in text
    for key in ["title:", "summary:", "authors:", "tags:", "agenda:", "districts:", "draft: true", "# 글 제목"]:
        assert key in text
    per_kind = {"interview": "interviewees:", "meeting": "agenda_items:", "cardnews": "slides:",
                "video": "captions:", "infographic": "image_alt:", "column": "title:", "feature": "title:"}
    assert per_kind[kind] in text
    capsys.readouterr()
    # The new file is a draft with blanks: check names what to fill in, with lines, never a traceback.
    assert main(["--root", str(site_project), "check"]) == 1
    out = capsys.readouterr().out
    assert f"content/{kind}/{today}-fresh-piece.md:3: title: 필수 항목이 없습니다" in out


def test_new_refuses_a_hangul_slug(site_project: Path, capsys) -> None:
    assert main(["--root", str(site_project), "new", "column", "청년"]) == 2
    assert "영문 소문자, 숫자, 하이픈만" in capsys.readouterr().err
