"""One broken issue file per editor mistake, and one broken HTML per email rule, with the exact message."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from site_builder.newsletter import lint_html, lint_rendered, newsletter_problems, render_issue

from .conftest import FIXTURES, load_project

INVALID = FIXTURES / "invalid"
HTML = FIXTURES / "html"

EXPECTED = {
    "unknown-article": [
        "newsletters/2018-12-05-unknown-article.md:8: sections[1].articles[1]: 글 'interview/2018-10-24-no-such-interview.md'를 찾을 수 없습니다"
        " — content/ 기준 경로(예: interview/2018-10-24-workplace-harassment-counsel.md)나 글 id를 쓰고, 초안이거나 발행 예약된 글이 아닌지 확인하세요"],
    "empty-section": [
        "newsletters/2018-12-05-empty-section.md:7: sections[1].latest: 섹션 '새 인포그래픽'에 들어갈 글이 없습니다 (지난 호(2018-11-14) 이후 글 0개)"
        " — 조건을 넓히거나(since: all, limit) 섹션을 지우세요"],
    "subject-too-long": [
        "newsletters/2018-12-05-subject-too-long.md:3: subject: 제목이 53자로 깁니다 (최대 40자) — 휴대전화 받은편지함에서 잘리지 않게 줄이세요"],
    "missing-preheader": [
        "newsletters/2018-12-05-missing-preheader.md:1: preheader: 프리헤더(preheader)가 없습니다"
        " — preheader: 받은편지함에서 제목 옆에 보일 한 문장 을 쓰세요 (본문 첫 문장을 대신 보여주지 않게)"],
    "ad-mark-without-flag": [
        "newsletters/2018-12-05-ad-mark-without-flag.md:3: subject: 제목에 '(광고)'가 있지만 is_advertising이 false입니다"
        " — 광고성 정보가 아니면 제목에서 지우고, 광고라면 is_advertising: true로 쓰세요 (제목 앞 '(광고)'는 자동으로 붙습니다)"],
    "ad-mark-variant": [
        "newsletters/2018-12-05-ad-mark-variant.md:3: subject: '[광고]'는 쓸 수 없는 광고 표시입니다"
        " — 정보통신망법 시행령 제61조에 따라 제목 맨 앞에 '(광고)'만 씁니다; is_advertising: true면 자동으로 붙으니 제목에서 지우세요"],
    "relative-link": [
        "newsletters/2018-12-05-relative-link.md:9: sections[1].markdown: 링크 '../events/december.html'이 상대 주소입니다"
        " — https://로 시작하는 주소, /로 시작하는 사이트 주소, 또는 content/ 기준 글 경로(예: interview/2018-10-24-x.md)를 쓰세요"],
    "image-without-alt": [
        "newsletters/2018-12-05-image-without-alt.md:10: sections[1].markdown: 이미지 'https://yours.example.org/images/fixture/card-1.png'에"
        " 대체텍스트(alt)가 없습니다 — ![이미지 내용 설명](주소) 처럼 대괄호 안에 무엇이 보이는지 쓰세요"],
    "feedback-one-answer": [
        "newsletters/2018-12-05-feedback-one-answer.md:11: feedback.answers: 답이 1개입니다 — answers에 답을 2~5개 쓰세요"],
    "duplicate-number": [
        "newsletters/2018-12-05-duplicate-number.md:2: number: 호수 1이 'newsletters/2018-10-31-first-letter.md'와 겹칩니다"
        " — 호수는 호마다 다르게 쓰세요"],
    "date-mismatch": [
        "newsletters/2018-12-05-date-mismatch.md:3: date: 날짜 2018-12-06이 파일 이름의 날짜 2018-12-05와 다릅니다 — 파일 이름과 date를 같은 날짜로 맞추세요"],
    "unknown-query": [
        "newsletters/2018-12-05-unknown-query.md:7: sections[1].latest.series: 알 수 없는 코너 'open-tabel'"
        " — mkdocs.yml의 series 목록에서 고르세요: open-table, policy-explained"],
}


def problems_after_adding(project: Path, fixture: Path) -> list[str]:
    shutil.copy(fixture, project / "newsletters" / fixture.name)
    return [str(p) for p in newsletter_problems(*load_project(project))]


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_reports_broken_issue_file_with_exact_line(project, case):
    assert problems_after_adding(project, INVALID / f"2018-12-05-{case}.md") == EXPECTED[case]


def test_every_invalid_fixture_has_an_expected_message():
    assert sorted(p.stem.removeprefix("2018-12-05-") for p in INVALID.glob("*.md")) == sorted(EXPECTED)


def test_valid_fixture_site_has_no_newsletter_problems(config, catalog):
    assert newsletter_problems(config, catalog) == []


def test_rejects_html_over_the_gmail_budget(project):
    # 3,000 lines of Korean prose: about 130 KB of HTML once rendered.
    para = "청년자치정부 준비단은 세 차례 간담회에서 나온 의견을 모아 분과 주제를 정했습니다. " * 3
    block = "\n".join(f"      {para}\n" for _ in range(300))
    (project / "newsletters" / "2018-12-05-huge.md").write_text(
        "---\nnumber: 10\nsubject: 아주 긴 호\npreheader: 본문이 너무 길어 Gmail이 잘라 보여 줍니다.\nsections:\n"
        f"  - title: 긴 글\n    markdown: |\n{block}---\n", encoding="utf-8")
    config, catalog = load_project(project)
    found = [p for p in newsletter_problems(config, catalog) if p.path.endswith("huge.md")]
    from site_builder.newsletter import load_issues

    issue = next(i for i in load_issues(config, catalog)[0] if i.number == 10)
    size = len(render_issue(issue, catalog).html.encode("utf-8"))
    assert size > 90 * 1024
    assert [str(p) for p in found] == [
        f"newsletters/2018-12-05-huge.md:5: email: HTML이 {size / 1024:.1f}KB로 90KB를 넘습니다"
        " — Gmail은 약 102KB부터 메일 뒷부분(수신거부 링크 포함)을 잘라 보여 줍니다; 글 수를 줄이거나 두 호로 나누세요"]


HTML_EXPECTED = {
    "style-rule": ["x.md:1: email: <style>에 인라인되지 않은 규칙 '.card p'가 남아 있습니다"
                   " — @media 규칙만 <style>에 남깁니다; Gmail·Outlook은 <style>을 일부만 지원하므로 나머지는 style 속성으로 옮기세요"],
    "link-stylesheet": ["x.md:1: email: <link rel=\"stylesheet\" href=\"https://yours.example.org/assets/mail.css\">가 남아 있습니다"
                        " — 메일 프로그램은 외부 CSS를 읽지 않습니다; 규칙을 템플릿의 <style>에 쓰면 인라인됩니다"],
    "img-no-alt": ["x.md:1: email: 이미지 'https://yours.example.org/images/a.png'에 대체텍스트(alt)가 없습니다"
                   " — 이미지가 막힌 메일함과 화면낭독기를 위해 alt를 쓰세요"],
    "relative-url": ["x.md:1: email: 주소 'interview/workplace-harassment-counsel/'이 절대 주소가 아닙니다"
                     " — 메일에서는 https://로 시작하는 주소만 열립니다"],
    "no-lang": ["x.md:1: email: <html>에 lang=\"ko\"가 없습니다 — 화면낭독기가 한국어로 읽도록 템플릿의 <html lang=\"ko\">를 지키세요"],
    "font-no-generic": ["x.md:1: email: 글꼴 목록 ''Apple SD Gothic Neo', 'Malgun Gothic''이 sans-serif로 끝나지 않습니다"
                        " — iOS는 한글 글꼴 이름을 무시하므로 'Apple SD Gothic Neo', 'Malgun Gothic' 같은 영문 이름을 함께 쓰고 sans-serif로 끝내세요"],
    "font-hangul-only": ["x.md:1: email: 글꼴 목록 ''맑은 고딕', sans-serif'에 한글 이름 글꼴만 있습니다"
                         " — iOS는 한글 글꼴 이름을 무시하므로 'Apple SD Gothic Neo', 'Malgun Gothic' 같은 영문 이름을 함께 쓰고 sans-serif로 끝내세요"],
}


@pytest.mark.parametrize("case", sorted(HTML_EXPECTED))
def test_email_html_rule(case):
    html = (HTML / f"{case}.html").read_text(encoding="utf-8")
    assert [str(p) for p in lint_html(html, path="x.md")] == HTML_EXPECTED[case]


def test_good_html_fixture_passes_every_rule():
    assert lint_html((HTML / "good.html").read_text(encoding="utf-8"), path="x.md") == []


def test_theme_without_footer_is_reported(project):
    """A site theme that drops the legal footer and adds a stray placeholder fails the check."""
    theme = project / "theme-override"
    shutil.copytree(FIXTURES / "broken-theme", theme)
    mkdocs = project / "mkdocs.yml"
    mkdocs.write_text(mkdocs.read_text(encoding="utf-8") + "      theme_dir: theme-override\n", encoding="utf-8")
    config, catalog = load_project(project)
    messages = [p.message for p in newsletter_problems(config, catalog) if "first-letter" in p.path]
    assert "html 본문에 수신거부 링크(%%UNSUBSCRIBE_URL%%)가 없습니다" in messages
    assert "html 본문에 수신동의일(%%CONSENT_DATE%%)가 없습니다" in messages
    assert "html 본문에 운영 기관 이름 '서울특별시 서울혁신기획관 청년정책담당관'이 없습니다" in messages
    assert "채워지지 않는 자리표시자가 있습니다: %%FIRST_NAME%%" in messages
    assert "<style>에 인라인되지 않은 규칙 '.keep'이 남아 있습니다" in messages
    assert any(m.startswith("텍스트 본문에만 있는 링크") for m in messages)


def test_subject_must_carry_ad_mark_exactly_when_advertising(issues, catalog, config):
    advert = issues[2]
    rendered = render_issue(advert, catalog)
    assert lint_rendered(advert, rendered, config) == []
    stripped = replace(rendered, subject=advert.title)
    assert [str(p) for p in lint_rendered(advert, stripped, config)] == [
        f"{advert.source}:3: subject: 제목 '{advert.title}'의 '(광고)' 표시가 is_advertising: true와 맞지 않습니다"
        " — 광고성 정보면 제목이 정확히 '(광고)'로 시작해야 하고, 아니면 '(광고)'가 없어야 합니다 (정보통신망법 제50조④)"]


def test_advertising_issue_without_legal_notice_is_reported(issues, catalog, config):
    advert = issues[2]
    rendered = render_issue(advert, catalog)
    cut = replace(rendered, text=rendered.text.replace("정보통신망법 제50조", "법"))
    assert [p.message for p in lint_rendered(advert, cut, config)] == [
        "text 본문에 광고성 정보 안내(정보통신망법 제50조)가 없습니다"]


def test_an_issue_file_name_without_its_date_is_reported_as_for_an_article(project):
    # Issues and articles share one file check (content/files.py): the same rule, the example an issue's.
    (project / "newsletters" / "winter-letter.md").write_text(
        "---\nnumber: 9\nsubject: 겨울 소식\n---\n", encoding="utf-8")
    assert [str(p) for p in newsletter_problems(*load_project(project))] == [
        "newsletters/winter-letter.md:1: front matter: 파일 이름 'winter-letter.md'가 규칙에 맞지 않습니다"
        " — YYYY-MM-DD-slug.md 형식으로 쓰세요 (예: 2018-10-31-first-letter.md)"]
