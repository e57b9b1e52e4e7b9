"""Every editor mistake of issue 2 §4, one broken site each, with the exact message the editor sees."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from site_builder.cli import main

INVALID = Path(__file__).resolve().parent.parent / "fixtures" / "invalid"
CASES = sorted(p.name for p in INVALID.iterdir() if p.is_dir())


def overlay(project: Path, case: str) -> None:
    for source in (INVALID / case).rglob("*"):
        if source.is_file() and source.name != "expected.txt":
            target = project / source.relative_to(INVALID / case)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(source, target)


def run_check(project: Path, capsys, *extra: str) -> tuple[int, str, str]:
    code = main(["--root", str(project), "check", *extra])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.parametrize("case", CASES)
def test_check_reports_the_exact_problem(case: str, site_project: Path, capsys) -> None:
    overlay(site_project, case)
    expected = (INVALID / case / "expected.txt").read_text(encoding="utf-8").strip().splitlines()
    code, out, err = run_check(site_project, capsys)
    # A case of warnings only (tag hygiene) passes `check` but fails `check --strict`.
    has_errors = any(not line.startswith(("경고: ", "안내: ")) for line in expected)
    assert code == (1 if has_errors else 0)
    numbered = [line.split(". ", 1)[1] for line in out.splitlines() if line[:1].isdigit()]
    for line in expected:
        assert line in numbered, f"missing:\n{line}\ngot:\n{out}"
    assert ("고쳐야 할 문제" in err) == has_errors
    assert "Traceback" not in out + err
    for line in out.splitlines():  # every message in Korean: no library's English text, no '을(를)'
        assert "(를)" not in line and "(가)" not in line and "(는)" not in line
        assert not re.search(r"found|expected|mapping|scalar|token", line), line
    if not has_errors:
        assert run_check(site_project, capsys, "--strict")[0] == 1


def test_a_link_between_two_drafts_is_a_warning_not_an_error(site_project: Path, capsys) -> None:
    feature = site_project / "content" / "feature"
    (feature / "2018-11-03-second-draft.md").write_text(
        "---\ntitle: 두 번째 초안\ndate: 2018-11-03\nsummary: 초안.\nauthors: [kim-haneul]\ndraft: true\n---\n\n"
        "[초안 기사](2018-11-01-draft-note.md)를 이어 씁니다.\n", encoding="utf-8")
    code, out, _ = run_check(site_project, capsys)
    assert code == 0
    assert ("경고: content/feature/2018-11-03-second-draft.md:9: body: 링크 '2018-11-01-draft-note.md'가 "
            "초안(draft: true)인 '초안 기사'를 가리킵니다: 초안은 공개 사이트에 없어 이 링크가 깨집니다 — 이 글을 공개하기 전에 "
            "content/feature/2018-11-01-draft-note.md의 draft: true 줄을 지워 그 글을 공개하거나, 링크를 빼세요") in out


def test_links_inside_code_and_to_other_sites_are_not_checked(site_project: Path, capsys) -> None:
    article = site_project / "content" / "feature" / "2018-09-28-core-projects.md"
    article.write_text(article.read_text(encoding="utf-8")
                       + "\n`[예시](nothing.md)` 와 [서울시](https://www.seoul.go.kr/) 와 [위로](#top)\n\n"
                       "```\n![없는 그림](none.png)\n```\n", encoding="utf-8")
    code, out, _ = run_check(site_project, capsys)
    assert code == 0, out


def test_build_stops_at_check_with_the_korean_message_for_a_link_to_a_draft(site_project: Path) -> None:
    from site_builder.build.pipeline import build_site
    from site_builder.errors import ContentError

    overlay(site_project, "body-link-to-draft")
    with pytest.raises(ContentError) as raised:
        build_site(site_project)
    assert "초안은 공개 사이트에 없어 이 링크가 깨집니다" in str(raised.value)


def test_valid_fixture_passes_check(site_project: Path, capsys) -> None:
    code, out, _ = run_check(site_project, capsys)
    assert code == 0
    assert "문제가 없습니다" in out


def test_all_problems_of_a_file_are_listed_at_once_and_numbered(site_project: Path, capsys) -> None:
    (site_project / "content" / "feature" / "2018-11-02-many.md").write_text(
        "---\ntitle: 여러 문제\ndate: 2018-11-05\nauthors: [nobody]\nagenda: [우주]\n---\n\n본문.\n", encoding="utf-8")
    code, out, _ = run_check(site_project, capsys)
    assert code == 1
    path = "content/feature/2018-11-02-many.md"
    assert f"1. {path}:1: summary: 필수 항목이 없습니다" in out
    assert f"2. {path}:3: date: 날짜 2018-11-05가 파일 이름의 날짜 2018-11-02와 다릅니다" in out
    assert f"3. {path}:4: authors[1]: 알 수 없는 필자 'nobody'" in out
    assert f"4. {path}:5: agenda[1]: 알 수 없는 의제 '우주'" in out


def test_unknown_key_is_a_warning_not_an_error(site_project: Path, capsys) -> None:
    article = site_project / "content" / "feature" / "2018-09-28-core-projects.md"
    article.write_text(article.read_text(encoding="utf-8").replace("summary:", "subtitle: 부제\nsummary:", 1),
                       encoding="utf-8")
    code, out, _ = run_check(site_project, capsys)
    assert code == 0
    assert ("경고: content/feature/2018-09-28-core-projects.md:5: subtitle: 알 수 없는 항목입니다 "
            "('feature' 글에서 쓰지 않음) — 오타인지 확인하고, 필요 없으면 지우세요") in out
    code, out, _ = run_check(site_project, capsys, "--strict")
    assert code == 1


def test_future_date_is_reported_as_scheduled_not_as_error(site_project: Path, capsys) -> None:
    code, out, _ = run_check(site_project, capsys)
    assert code == 0
    assert ("안내: content/feature/2030-01-01-future.md:1: date: 2030-01-01 00:00 발행 예약된 글입니다 "
            "— 그날 이후 빌드부터 사이트에 나옵니다") in out


def test_check_writes_nothing_but_its_cache(site_project: Path, capsys) -> None:
    """check records what it found of each file in .cache/site-builder/content/ (content.filecache),
    so the next check or build reads only the files that changed; nothing else is written."""
    cache = Path(".cache") / "site-builder" / "content"

    def files() -> list[Path]:
        found = sorted(p.relative_to(site_project) for p in site_project.rglob("*"))
        return [p for p in found if cache not in (p, *p.parents) and p not in cache.parents]

    before = files()
    run_check(site_project, capsys)
    assert files() == before
    assert any(p.parent == site_project / cache for p in site_project.rglob("*.pickle"))


def test_strict_flags_vague_link_text_and_missing_table_caption(site_project: Path, capsys) -> None:
    article = site_project / "content" / "feature" / "2018-09-28-core-projects.md"
    article.write_text(article.read_text(encoding="utf-8")
                       + "\n[더보기](../column/2018-10-08-generation-balance.md)\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
                       encoding="utf-8")
    code, out, _ = run_check(site_project, capsys, "--strict")
    assert code == 1
    path = "content/feature/2018-09-28-core-projects.md"
    assert f"{path}:15: body: 링크 글자 '더보기'만으로는 어디로 가는지 알 수 없습니다" in out
    assert f"{path}:17: body: 표에 제목(caption)이 없습니다 — 표 바로 위 줄에 '표: 표 제목'을 쓰세요" in out


def test_missing_policy_page_is_a_warning(site_project: Path, capsys) -> None:
    (site_project / "content" / "pages" / "privacy.md").unlink()
    code, out, _ = run_check(site_project, capsys)
    assert code == 0
    assert ("경고: content/pages/privacy.md:1: page: '개인정보 처리방침' 페이지가 없습니다 "
            "— content/pages/privacy.md를 만드세요 (모든 페이지 바닥글에 링크됩니다)") in out
