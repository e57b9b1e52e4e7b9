"""The preview .eml parsed back with the standard library, and the preview/render commands."""

from __future__ import annotations

import email
import email.policy
import re
from email.header import decode_header, make_header

import lxml.html
import pytest

from site_builder.cli import main
from site_builder.newsletter import write_preview
from site_builder.newsletter.lint import html_link_set, text_link_set

from .conftest import SITE


@pytest.fixture(scope="module")
def written(issues, catalog, tmp_path_factory):
    out = tmp_path_factory.mktemp("preview")
    return {n: write_preview(issue, catalog, out) for n, issue in issues.items()}


def parse(path):
    return email.message_from_bytes(path.read_bytes(), policy=email.policy.default)


def test_eml_is_multipart_alternative_text_first_utf8(written):
    message = parse(written[1].eml)
    assert message.get_content_type() == "multipart/alternative"
    parts = list(message.iter_parts())
    assert [p.get_content_type() for p in parts] == ["text/plain", "text/html"]
    for part in parts:
        assert part.get_content_charset() == "utf-8"
        assert part["Content-Transfer-Encoding"] in ("quoted-printable", "base64")


def test_eml_lines_are_crlf_and_short(written):
    raw = written[1].eml.read_bytes()
    lines = raw.split(b"\r\n")
    assert b"\n" not in raw.replace(b"\r\n", b"")
    assert max(len(line) for line in lines) <= 998
    assert raw.isascii()  # 7-bit clean: survives any relay


def test_korean_subject_is_rfc2047_and_decodes_back(written, issues):
    raw = written[2].eml.read_bytes().decode("ascii")
    header = re.search(r"^Subject: (.*?)\r\n(?! )", raw, re.M | re.S).group(1)
    words = re.findall(r"=\?utf-8\?[bq]\?[^?]*\?=", header, re.I)
    assert words and all(len(word) <= 75 for word in words)
    assert str(make_header(decode_header(header.replace("\r\n", "")))) == "(광고) 파트너 기업과 함께하는 청년 커리어 토크"
    assert parse(written[2].eml)["Subject"] == issues[2].subject


def test_eml_headers_for_a_list_message(written):
    message = parse(written[1].eml)
    for name in ("From", "To", "Subject", "Date", "Message-ID"):
        assert len(message.get_all(name)) == 1
    assert message["From"].addresses[0].addr_spec == "letter@yours.example.org"
    assert message["From"].addresses[0].display_name == "유어스"
    assert message["To"].addresses[0].addr_spec == "preview@yours.example.org"
    assert message["Date"].endswith("+0900")
    assert message["Message-ID"] == "<newsletter-1.first-letter@yours.example.org>"
    assert message["List-Unsubscribe"] == "<https://yours.example.org/subscribe/>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["List-Id"] == "유어스 레터 <letter.yours.example.org>"


def test_eml_html_and_text_have_the_same_links_and_no_placeholders(written):
    message = parse(written[1].eml)
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert html_link_set(html) == text_link_set(text)
    assert len(html_link_set(html)) >= 8
    mailtos = {a.get("href") for a in lxml.html.document_fromstring(html).iter("a") if a.get("href", "").startswith("mailto:")}
    assert mailtos == {"mailto:yours@example.org"} and "yours@example.org" in text
    answers = [a.get("href") for a in lxml.html.document_fromstring(html).iter("a") if "feedback" in a.get("href", "")]
    assert answers == [f"https://yours.example.org/subscribe/feedback/?issue=1&question=priority-agenda&answer={n}" for n in range(1, 5)]
    assert "%%" not in html and "%%" not in text
    assert "미리보기님, 안녕하세요." in text and "2018년 10월 1일에 유어스 레터 받기에 동의" in text


def test_eml_html_is_under_the_gmail_budget_and_every_image_has_alt(written):
    html = parse(written[1].eml).get_body(("html",)).get_content()
    assert len(html.encode("utf-8")) < 90 * 1024
    images = list(lxml.html.document_fromstring(html).iter("img"))
    assert len(images) == 6
    assert all(img.get("alt", "").strip() and img.get("src").startswith("https://") for img in images)
    assert written[1].eml.stat().st_size < 120 * 1024


def test_preview_files_match_the_eml(written):
    message = parse(written[1].eml)

    def lf(text: str) -> str:  # the message carries CRLF line ends
        return text.replace("\r\n", "\n").rstrip("\n")

    assert lf(written[1].html.read_text(encoding="utf-8")) == lf(message.get_body(("html",)).get_content())
    assert lf(written[1].text.read_text(encoding="utf-8")) == lf(message.get_body(("plain",)).get_content())


def test_preview_is_byte_identical_when_run_twice(issues, catalog, tmp_path):
    first = write_preview(issues[1], catalog, tmp_path / "a").eml.read_bytes()
    assert write_preview(issues[1], catalog, tmp_path / "b").eml.read_bytes() == first


def test_preview_command_writes_and_prints_the_paths(tmp_path, capsys):
    assert main(["--root", str(SITE), "newsletter", "preview", "1", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "제1호 청년자치정부, 10월의 준비 기록"
    for name in ("001-first-letter.html", "001-first-letter.txt", "001-first-letter.eml", "001-first-letter-web.html"):
        assert str(tmp_path / name) in out and (tmp_path / name).is_file()


def test_render_command_writes_every_issue_for_ci(tmp_path, capsys):
    assert main(["--root", str(SITE), "newsletter", "render", "all", "--to", str(tmp_path / "out")]) == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "001-first-letter-web.html", "001-first-letter.eml", "001-first-letter.html", "001-first-letter.txt",
        "002-partner-event-web.html", "002-partner-event.eml", "002-partner-event.html", "002-partner-event.txt"]


def test_render_command_accepts_a_slug_or_file_name(tmp_path, capsys):
    assert main(["--root", str(SITE), "newsletter", "render", "2018-11-14-partner-event.md", "--to", str(tmp_path)]) == 0
    assert main(["--root", str(SITE), "newsletter", "render", "first-letter", "--to", str(tmp_path)]) == 0
    assert sorted(p.suffix for p in tmp_path.iterdir()).count(".eml") == 2


def test_unknown_issue_is_an_error_not_a_traceback(tmp_path, capsys):
    assert main(["--root", str(SITE), "newsletter", "preview", "99", "--out", str(tmp_path)]) == 1
    assert "호 '99'를 찾을 수 없습니다" in capsys.readouterr().err


def test_check_command(capsys):
    assert main(["--root", str(SITE), "newsletter", "check"]) == 0
    assert "뉴스레터에 문제가 없습니다." in capsys.readouterr().out
