"""`newsletter check` refuses an advertising issue when the site does not ask for the separate advertising
consent: nobody could have given it, and the footer would say otherwise (정보통신망법 제50조)."""

from __future__ import annotations

from site_builder.cli import main
from site_builder.newsletter import newsletter_problems

from .conftest import load_project

AD_BLOCK = '''    subscriptions:
      # issue 2 is advertising: the site asks for the separate advertising consent (정보통신망법 제50조)
      advertising: {consent_version: "1"}
'''
REFUSAL = ("newsletters/2018-11-14-partner-event.md:5: is_advertising: 광고성 정보 호이지만 이 사이트는 광고성 정보 "
           "수신 동의를 받지 않습니다 (subscriptions.advertising이 없습니다) — mkdocs.yml의 "
           "extra.site_builder.subscriptions.advertising에 consent_version과 안내 문구를 쓰면 구독 양식과 구독 설정에 "
           "선택 동의 상자가 생기고, 이 호는 동의한 사람에게만 갑니다; 광고가 아니면 is_advertising: false로 쓰세요")


def test_an_advertising_issue_passes_when_the_site_asks_for_the_advertising_consent(project):
    assert AD_BLOCK in (project / "mkdocs.yml").read_text(encoding="utf-8")
    config, catalog = load_project(project)
    assert [str(p) for p in newsletter_problems(config, catalog)] == []


def test_newsletter_check_refuses_an_advertising_issue_without_the_advertising_consent(project, capsys):
    mkdocs = project / "mkdocs.yml"
    mkdocs.write_text(mkdocs.read_text(encoding="utf-8").replace(AD_BLOCK, ""), encoding="utf-8")
    config, catalog = load_project(project)
    assert [str(p) for p in newsletter_problems(config, catalog)] == [REFUSAL]
    assert main(["--root", str(project), "newsletter", "check"]) == 1
    out = capsys.readouterr()
    assert REFUSAL in out.out + out.err
