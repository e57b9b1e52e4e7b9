"""`site-builder publish ...` end to end: the real CLI, a real loopback server standing for the public
site and the network, the shared SQLite database, credentials from the environment or a file."""

from __future__ import annotations

import logging
import re
from urllib.parse import urlsplit

import pytest
import yaml

from site_builder.catalog import load_catalog
from site_builder.cli import main
from site_builder.publish import registry
from site_builder.publish.ledger import open_ledger

from .conftest import FIXED_NOW
from .fakes import FakeChannel, FakeNetwork, LocalServer, ManualChannel
from site_builder.publish.channel import Permanent

TOKEN = "tok-LIVE-7f3a9c1e5b"


class LeakyChannel(FakeChannel):
    """A badly written channel that puts the token into its error message."""

    name = "leaky"

    def publish(self, draft, ctx):
        raise Permanent(f"거부됨: token={ctx.credentials['token']} (Authorization: Bearer {ctx.credentials['token']})")


@pytest.fixture
def served(project, monkeypatch, tmp_path):
    """The fixture project whose site_url is a loopback server that serves its pages and a fake API."""
    network = FakeNetwork(token=TOKEN)
    with LocalServer(network) as server:
        config = project / "mkdocs.yml"
        text = config.read_text(encoding="utf-8").replace("https://yours.example.org/", server.url + "/")
        data_publish = {"publish": {"kit_overdue_days": 2, "channels": {
            "fake": {"accounts": {"yours": {"endpoint": server.url + "/api"}}},
            "manualfake": {"accounts": {"yours": {}}}}}}
        block = yaml.safe_dump(data_publish, allow_unicode=True, default_flow_style=False)
        text = text.replace("  site_builder:\n", "  site_builder:\n" + "".join(
            "    " + line + "\n" for line in block.splitlines()), 1)
        config.write_text(text, encoding="utf-8")
        catalog = load_catalog(project, now=FIXED_NOW)
        network.pages = {urlsplit(catalog.config.absolute_url(a.url)).path: a.id for a in catalog.articles}
        monkeypatch.setitem(registry.REGISTRY, "fake", FakeChannel)
        monkeypatch.setitem(registry.REGISTRY, "manualfake", ManualChannel)
        monkeypatch.setitem(registry.REGISTRY, "leaky", LeakyChannel)
        monkeypatch.setenv("SITE_BUILDER_DATABASE_URL", f"sqlite:///{tmp_path / 'shared.db'}")
        monkeypatch.setenv("SITE_BUILDER_PUBLISH_FAKE_YOURS_TOKEN", TOKEN)
        monkeypatch.setenv("SITE_BUILDER_NOW", FIXED_NOW.isoformat())
        monkeypatch.delenv("SITE_BUILDER_PUBLISH_CREDENTIALS_FILE", raising=False)
        yield project, network, server


def run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_dry_run_sends_no_request_and_writes_the_preview(served, capsys):
    project, network, _ = served
    code, out, err = run(capsys, "--root", str(project), "publish")
    assert code == 0, err
    assert network.requests == []
    assert out.count("게시 예정") == 8 and out.count("키트 준비") == 8
    assert (project / ".cache" / "site-builder" / "publish-preview.html").is_file()
    assert "시험 실행입니다" in out


def test_live_run_posts_then_status_tells_what_is_left(served, capsys):
    project, network, _ = served
    code, out, err = run(capsys, "--root", str(project), "publish", "--live")
    assert code == 0, out + err
    assert len(network.posts) == 8
    code, out, _ = run(capsys, "--root", str(project), "publish", "status")
    assert code == 0
    assert "완료 8개" in out and "사람 손 필요 8개" in out
    assert re.search(r"2018-10-04-budget → manualfake/yours: 사람 손 기다림\(키트\) — 키트 준비 \d{4}-\d\d-\d\d부터", out)
    code, out, _ = run(capsys, "--root", str(project), "publish", "--live")
    assert len(network.posts) == 8 and "게시 0개" in out


def test_done_records_a_hand_published_post_in_the_ledger_and_the_file(served, capsys):
    project, _, _ = served
    run(capsys, "--root", str(project), "publish", "--live")
    code, out, err = run(capsys, "--root", str(project), "publish", "done", "2018-10-04-budget", "manualfake",
                         "https://brunch.co.kr/@yours/12")
    assert code == 0, err
    assert "기록했습니다" in out
    entries = yaml.safe_load((project / "content" / "syndication.yml").read_text(encoding="utf-8"))
    assert {"article": "2018-10-04-budget", "channel": "manualfake", "account": "yours",
            "url": "https://brunch.co.kr/@yours/12"}.items() <= next(
        e for e in entries if e["channel"] == "manualfake").items()
    code, out, _ = run(capsys, "--root", str(project), "publish", "status")
    assert "2018-10-04-budget → manualfake/yours: 완료(수동) https://brunch.co.kr/@yours/12" in out
    code, _, err = run(capsys, "--root", str(project), "publish", "done", "no-such-article", "manualfake",
                       "https://brunch.co.kr/@yours/13")
    assert code == 1 and "글 'no-such-article'을(를) 찾을 수 없습니다" in err
    code, _, err = run(capsys, "--root", str(project), "publish", "done", "2018-10-04-budget", "manualfake",
                       "brunch.co.kr/@yours/13")
    assert code == 1 and "게시물 주소가 아닙니다" in err


def test_kits_waiting_longer_than_configured_are_overdue(served, capsys):
    project, _, _ = served
    run(capsys, "--root", str(project), "publish", "--live")
    from datetime import datetime, timedelta, timezone

    from site_builder.config import load_config
    from site_builder.publish.plan import iter_planned, tasks
    from site_builder.publish.settings import load_publish_settings
    from site_builder.publish.status import format_status, status_lines
    from site_builder.db import database_url

    config = load_config(project)
    settings = load_publish_settings(config)
    planned, _ = iter_planned(load_catalog(project, now=FIXED_NOW), settings)
    ledger = open_ledger(database_url(project))
    later = datetime.now(timezone.utc) + timedelta(days=3)
    text = format_status(status_lines(ledger, tasks(planned, settings), config.content_dir, now=later,
                                      kit_overdue_days=settings.kit_overdue_days))
    assert text.startswith("밀린 키트 8개:")
    assert "2일 넘게 밀렸습니다" in text


def test_a_token_never_appears_in_output_logs_the_ledger_or_files(served, capsys, caplog, monkeypatch, tmp_path):
    project, network, server = served
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "        manualfake:", f"        leaky:\n          accounts:\n            yours:\n"
                                f"              endpoint: {server.url}/api\n        manualfake:"), encoding="utf-8")
    monkeypatch.setenv("SITE_BUILDER_PUBLISH_LEAKY_YOURS_TOKEN", TOKEN)
    caplog.set_level(logging.DEBUG)
    code, out, err = run(capsys, "--root", str(project), "publish", "--live")
    assert code == 1                                  # the leaky channel failed
    assert "거부됨: token=***" in out
    code2, out2, err2 = run(capsys, "--root", str(project), "publish", "status")
    monkeypatch.setenv("SITE_BUILDER_PUBLISH_FAKE_YOURS_TOKEN", "tok-REVOKED-000000")
    code3, out3, err3 = run(capsys, "--root", str(project), "publish", "doctor")
    everything = out + err + out2 + err2 + out3 + err3 + caplog.text
    assert TOKEN not in everything and "tok-REVOKED-000000" not in everything
    for path in [tmp_path / "shared.db", project / "content" / "syndication.yml",
                 project / ".cache" / "site-builder" / "publish-preview.html"]:
        if path.exists():
            assert TOKEN.encode() not in path.read_bytes(), path
    assert "[오류] fake/yours: 인증이 만료되었거나 취소되었습니다" in out3


def test_doctor_warns_weeks_before_a_token_expires(served, capsys, monkeypatch, tmp_path):
    project, _, _ = served
    creds = tmp_path / "outside" / "publish.yml"
    creds.parent.mkdir()
    creds.write_text(yaml.safe_dump({"fake": {"yours": {"token": TOKEN, "token_expires": "2019-06-15"}}}),
                     encoding="utf-8")
    monkeypatch.delenv("SITE_BUILDER_PUBLISH_FAKE_YOURS_TOKEN")
    monkeypatch.setenv("SITE_BUILDER_PUBLISH_CREDENTIALS_FILE", str(creds))
    code, out, _ = run(capsys, "--root", str(project), "publish", "doctor")
    assert "[정상] fake/yours: 토큰 유효" in out
    assert "[경고] fake/yours: 토큰이 2019-06-15에 만료됩니다(14일 남음) — 미리 새 토큰을 발급하세요" in out
    assert "[정상] manualfake/yours: 손으로 올리는 채널입니다" in out
    assert code == 0 and TOKEN not in out
    monkeypatch.setenv("SITE_BUILDER_PUBLISH_CREDENTIALS_FILE", str(project / "publish.yml"))
    (project / "publish.yml").write_text("{}", encoding="utf-8")
    code, _, err = run(capsys, "--root", str(project), "publish", "doctor")
    assert code == 2 and "인증 정보 파일이 저장소 안에 있습니다" in err


def test_doctor_names_the_variable_when_credentials_are_missing(served, capsys, monkeypatch):
    project, _, _ = served
    monkeypatch.delenv("SITE_BUILDER_PUBLISH_FAKE_YOURS_TOKEN")
    code, out, _ = run(capsys, "--root", str(project), "publish", "doctor")
    assert code == 1
    assert "[오류] fake/yours: 인증 정보가 없습니다 — SITE_BUILDER_PUBLISH_FAKE_YOURS_TOKEN" in out


def test_retry_puts_back_only_posts_that_did_not_go_out(served, capsys):
    project, _, _ = served
    run(capsys, "--root", str(project), "publish", "--live")
    code, _, err = run(capsys, "--root", str(project), "publish", "retry", "2018-10-04-budget", "fake")
    assert code == 1 and "되돌릴 수 있는 상태" in err           # it was sent
    code, out, _ = run(capsys, "--root", str(project), "publish", "retry", "2018-10-04-budget", "manualfake")
    assert code == 0 and "다음 publish --live 때 다시 게시됩니다" in out
    code, out, _ = run(capsys, "--root", str(project), "publish", "status")
    assert "2018-10-04-budget → manualfake/yours: 예정" in out
