"""The live preview (site_builder.build.preview): a body edit re-renders only its page, and the folder is then what
a full build of the same content (drafts included) makes; other edits build in full; a failed build is kept
as the text the terminal and the browser show, and a fix clears it."""

from __future__ import annotations

from pathlib import Path

from site_builder.build.pipeline import build_site
from site_builder.build.preview import Preview
from tests.conftest import FIXED_NOW
from tests.site.test_build_behaviour import snapshot

MEETING = Path("content/meeting/2018-09-21-first-meeting.md")
DRAFT = Path("content/feature/2018-11-01-draft-note.md")


def _replace(project: Path, rel: Path, old: str, new: str) -> str:
    path = project / rel
    source = path.read_text(encoding="utf-8")
    assert old in source
    path.write_text(source.replace(old, new, 1), encoding="utf-8")
    return source


def _body_edit(project: Path, rel: Path, text: str) -> None:
    path = project / rel
    source = path.read_text(encoding="utf-8")
    path.write_text(source.rstrip("\n") + f"\n\n{text}\n", encoding="utf-8")


def _preview(project: Path, tmp_path: Path) -> Preview:
    preview = Preview(project, tmp_path / "served" / "site", now=lambda: FIXED_NOW)
    first = preview.build()
    assert first.how == "full", preview.error
    return preview


def _full_with_drafts(project: Path, tmp_path: Path) -> dict[str, str]:
    build_site(project, site_dir=tmp_path / "full" / "site", now=FIXED_NOW, incremental=False, drafts=True)
    return snapshot(tmp_path / "full" / "site")


def test_a_body_edit_renders_only_its_page_and_matches_a_full_build(site_project: Path, tmp_path: Path) -> None:
    preview = _preview(site_project, tmp_path)
    before = snapshot(preview.site_dir)
    _body_edit(site_project, MEETING, "미리보기에서 바로 보이는 새 문단입니다.")
    update = preview.rebuild([site_project / MEETING])
    assert update.how == "pages" and update.articles == ("meeting/2018-09-21-first-meeting.md",)
    page = preview.site_dir / "meeting" / "first-meeting" / "index.html"
    assert "미리보기에서 바로 보이는 새 문단입니다." in page.read_text(encoding="utf-8")
    preview.finish()   # the search index and the feeds that carry the article (in another process)
    preview.wait()
    assert preview.error == ""
    after = snapshot(preview.site_dir)
    changed = {name for name in after if after[name] != before.get(name)}
    assert "meeting/first-meeting/index.html" in changed and "search/manifest.json" in changed
    assert "feed.xml" in changed and "index.html" not in changed   # listings show no bodies
    assert after == _full_with_drafts(site_project, tmp_path)
    preview.close()


def test_edits_in_a_row_end_as_a_full_build_would(site_project: Path, tmp_path: Path) -> None:
    preview = _preview(site_project, tmp_path)
    column = Path("content/column/2018-10-08-generation-balance.md")
    _body_edit(site_project, MEETING, "첫 번째 저장입니다.")
    assert preview.rebuild([site_project / MEETING]).how == "pages"
    preview.finish()   # the next edit does not wait for it: its pages come first
    _body_edit(site_project, MEETING, "두 번째 저장입니다.")
    _body_edit(site_project, column, "칼럼에도 덧붙였습니다.")
    assert preview.rebuild([site_project / MEETING, site_project / column]).how == "pages"
    preview.finish()
    preview.wait()
    assert preview.error == ""
    assert snapshot(preview.site_dir) == _full_with_drafts(site_project, tmp_path)


def test_a_template_edit_builds_everything(site_project: Path, tmp_path: Path) -> None:
    preview = _preview(site_project, tmp_path)
    template = Path(preview.config.theme_dir) / "sb-article.html"
    update = preview.rebuild([template])
    assert update.how == "full" and update.reason.endswith("sb-article.html이(가) 바뀜")


def test_a_draft_is_shown_and_its_body_edit_is_quick_too(site_project: Path, tmp_path: Path) -> None:
    preview = _preview(site_project, tmp_path)
    page = preview.site_dir / "feature" / "draft-note" / "index.html"
    assert "초안" in page.read_text(encoding="utf-8")
    _body_edit(site_project, DRAFT, "초안에 덧붙인 문장입니다.")
    assert preview.rebuild([site_project / DRAFT]).how == "pages"
    assert "초안에 덧붙인 문장입니다." in page.read_text(encoding="utf-8")


def test_a_front_matter_edit_builds_everything(site_project: Path, tmp_path: Path) -> None:
    preview = _preview(site_project, tmp_path)
    _replace(site_project, MEETING, "title: 첫 소규모 간담회", "title: 첫 소규모 간담회 (고침)")
    update = preview.rebuild([site_project / MEETING])
    assert update.how == "full"
    assert update.reason == "content/meeting/2018-09-21-first-meeting.md: 머리말이나 읽는 시간이 바뀜"
    assert "첫 소규모 간담회 (고침)" in (preview.site_dir / "index.html").read_text(encoding="utf-8")


def test_an_editors_temporary_file_that_is_gone_changes_nothing(site_project: Path, tmp_path: Path) -> None:
    preview = _preview(site_project, tmp_path)
    assert preview.rebuild([site_project / "content" / "meeting" / ".first-meeting.md.swp"]).how == "none"


def test_a_yaml_error_is_kept_until_fixed_and_the_last_good_pages_stay(site_project: Path, tmp_path: Path) -> None:
    preview = _preview(site_project, tmp_path)
    page = preview.site_dir / "meeting" / "first-meeting" / "index.html"
    good = page.read_bytes()
    source = _replace(site_project, MEETING, "tags: [간담회, 청년자치정부]", "tags: [간담회, 청년자치정부")
    assert preview.rebuild([site_project / MEETING]).how == "error"
    lines = preview.error.splitlines()
    assert lines[0] == ("1. content/meeting/2018-09-21-first-meeting.md:6: tags: 목록을 여는 [는 있는데 닫는 ]가 "
                        "없습니다 — 목록 끝에 ]를 넣으세요. 항목에 쉼표(,)나 콜론(:)이 있으면 그 항목을 큰따옴표로 감싸세요")
    assert lines[-1] == "문제 1개 때문에 빌드하지 않았습니다. 이전 페이지를 보여 줍니다. 고쳐서 저장하면 다시 만듭니다."
    assert page.read_bytes() == good
    (site_project / MEETING).write_text(source, encoding="utf-8")   # the editor puts it back
    update = preview.rebuild([site_project / MEETING])
    assert update.how == "pages" and preview.error == ""


def test_the_served_page_carries_the_error_first_and_the_reload_script_last() -> None:
    from site_builder.build.server import LiveState, live_html

    state = LiveState()
    page = b'<html><body class="x"><main>\xea\xb8\x80</main></body></html>'
    clean = live_html(page, state).decode()
    assert 'id="sb-preview-error"' not in clean
    assert clean.index("<main>") < clean.index("/.sb-live/") < clean.index("</body>")
    state.changed("1. content/a.md:3: title: <b>제목</b>이 없습니다 — 쓰세요")
    shown = live_html(page, state).decode()
    assert shown.index('<body class="x">') < shown.index('role="alert"') < shown.index("<main>")
    assert "&lt;b&gt;제목&lt;/b&gt;이 없습니다" in shown and "<b>제목" not in shown
    assert f"var version = {state.version};" in shown
    state.changed("")
    assert 'id="sb-preview-error"' not in live_html(page, state).decode()
