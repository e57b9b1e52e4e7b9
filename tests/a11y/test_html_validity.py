"""Every built page is valid HTML by the Nu Html Checker (vnu.jar from npm's vnu-jar), checked in one
JVM run per site; duplicate ids are among its errors (research notes section 6: A4)."""

from __future__ import annotations

from pathlib import Path


from site_builder.tools.validate import validate

# vnu.jar comes from npm (`make test` runs `npm ci --ignore-scripts`); without it these tests fail.


def test_every_page_of_both_sites_is_valid_html(built_sample, built_fixture) -> None:
    errors = validate([built_sample / "site", built_fixture / "site"])
    assert errors == [], "\n".join(str(e) for e in errors[:40])


def test_the_validator_reports_an_invalid_page(tmp_path: Path) -> None:
    page = tmp_path / "index.html"
    page.write_text('<!doctype html><html lang="ko"><head><title>t</title></head><body>'
                    '<p id="a">1</p><p id="a">2</p><ul><p>목록 밖</p></ul></body></html>', encoding="utf-8")
    errors = validate([tmp_path])
    messages = [e.message for e in errors]
    assert any("Duplicate ID “a”" in m for m in messages), messages
    assert any("Element “p” not allowed as child of element “ul”" in m for m in messages), messages
    assert all(e.page == "index.html" for e in errors)
