"""The operator's commands: proof before the first send, --test-to, --dry-run, send into the Maildir outbox,
status, DKIM keys from files outside the repository."""

from __future__ import annotations

import mailbox

import dkim
import pytest

from site_builder.config import load_config
from site_builder.delivery import DeliverySettings, open_ledger
from site_builder.cli import main
from site_builder.errors import ConfigError
from site_builder.subscribers import open_store

from .conftest import DOMAIN, SECRET, add_subscribers, project_copy


@pytest.fixture
def project(tmp_path, monkeypatch, key_files):
    root = project_copy(tmp_path, extra=(
        f"      dkim:\n        - {{domain: {DOMAIN}, selector: rsa2026, key_file: {key_files['rsa']}}}\n"
        f"        - {{domain: {DOMAIN}, selector: ed2026, key_file: {key_files['ed25519']}}}\n"))
    url = f"sqlite:///{root / 'subscribers.db'}"
    monkeypatch.setenv("SITE_BUILDER_SECRET", SECRET.decode())
    monkeypatch.setenv("SITE_BUILDER_DATABASE_URL", url)
    monkeypatch.setenv("SITE_BUILDER_NOW", "2019-06-01T12:00:00+09:00")
    monkeypatch.delenv("SITE_BUILDER_SMTP_URL", raising=False)
    # the fixture's subscription service is http://subs.test: allowed over SMTP for these tests only
    monkeypatch.setenv("SITE_BUILDER_ALLOW_LOCAL_LINKS", "1")
    store = open_ledger(open_store(url))
    add_subscribers(store, 6)
    store.close()
    return root


def run(root, *args) -> int:
    return main(["--root", str(root), "newsletter", *args])


def test_first_send_needs_a_proof_of_this_content(project, capsys, sink, monkeypatch, dns):
    assert run(project, "send", "1", "--no-progress") == 1
    assert "먼저 --test-to 주소 로 시험 발송" in capsys.readouterr().err
    monkeypatch.setenv("SITE_BUILDER_SMTP_URL", f"smtp://127.0.0.1:{sink.port}")
    assert run(project, "send", "1", "--test-to", "editor@yours.example.org") == 0
    assert "시험 발송을 editor@yours.example.org에 보냈습니다" in capsys.readouterr().out
    (proof,) = sink.received
    assert proof[1] == ["editor@yours.example.org"]
    assert dkim.verify(proof[2], dnsfunc=dns)
    assert run(project, "send", "1", "--no-progress") == 0
    assert len(sink.received) == 7
    out = capsys.readouterr().out
    assert "완료" in out and "보냄 6" in out


def test_an_edited_issue_needs_a_new_proof(project, capsys, sink, monkeypatch):
    monkeypatch.setenv("SITE_BUILDER_SMTP_URL", f"smtp://127.0.0.1:{sink.port}")
    assert run(project, "send", "1", "--test-to", "editor@yours.example.org") == 0
    issue = next((project / "newsletters").glob("2018-10-31-*.md"))
    issue.write_text(issue.read_text(encoding="utf-8").replace("첫 호입니다", "첫 번째 호입니다"), encoding="utf-8")
    assert run(project, "send", "1", "--no-progress") == 1
    assert "시험 발송한 뒤 내용이 바뀌었습니다" in capsys.readouterr().err
    assert run(project, "send", "1", "--no-progress", "--skip-proof") == 0


def test_dry_run_sends_and_records_nothing(project, capsys):
    assert run(project, "send", "1", "--dry-run") == 0
    out = capsys.readouterr().out
    assert "받을 사람 6명" in out and "DKIM 서명 2개" in out and "Maildir 보관함(outbox)" in out
    assert not (project / "outbox").exists() or not any((project / "outbox" / "new").iterdir())
    assert run(project, "status", "1") == 1


def test_without_smtp_mail_goes_to_the_maildir_outbox_and_status_counts_it(project, capsys, dns):
    assert run(project, "send", "1", "--skip-proof", "--no-progress") == 0
    box = mailbox.Maildir(str(project / "outbox"), create=False)
    assert len(box) == 6
    capsys.readouterr()
    assert run(project, "status", "1") == 0
    out = capsys.readouterr().out
    assert "완료" in out and "sent             6" in out.replace("sent      ", "sent      ")
    # sending again is a no-op: nobody gets a second copy
    assert run(project, "send", "1", "--skip-proof", "--no-progress") == 0
    assert len(mailbox.Maildir(str(project / "outbox"), create=False)) == 6


def test_a_dkim_key_inside_the_repository_is_refused(project, key_files):
    inside = project / "dkim.pem"
    inside.write_bytes(key_files["rsa"].read_bytes())
    config = load_config(project)
    with pytest.raises(ConfigError, match="프로젝트 폴더 안에 있습니다"):
        DeliverySettings.from_config(config, env={"SITE_BUILDER_DKIM_KEY_FILE": str(inside),
                                                  "SITE_BUILDER_DKIM_DOMAIN": DOMAIN,
                                                  "SITE_BUILDER_DKIM_SELECTOR": "x"})
    settings = DeliverySettings.from_config(config, env={})
    assert [k.algorithm for k in settings.dkim] == ["rsa-sha256", "ed25519-sha256"]
    assert "PRIVATE" not in repr(settings.dkim)


def test_batch_comes_from_mkdocs_and_a_bad_one_is_refused(tmp_path, capsys, monkeypatch):
    assert DeliverySettings.from_config(load_config(project_copy(tmp_path / "default"))).batch == 50
    assert DeliverySettings.from_config(load_config(project_copy(tmp_path / "seven", "      batch: 7\n"))).batch == 7
    with pytest.raises(ConfigError, match=r"delivery.batch: 0은\(는\) 쓸 수 있는 범위를 벗어났습니다 — 1에서 1000 사이로"):
        DeliverySettings.from_config(load_config(project_copy(tmp_path / "zero", "      batch: 0\n")), env={})
    monkeypatch.setenv("SITE_BUILDER_SECRET", SECRET.decode())
    assert run(project_copy(tmp_path / "cli"), "send", "1", "--batch", "0", "--no-progress") == 2
    assert "--batch 0: 1 이상으로 쓰세요" in capsys.readouterr().err


def test_smtp_send_refuses_an_unsubscribe_link_to_loopback_or_http(project, capsys, sink, monkeypatch):
    monkeypatch.delenv("SITE_BUILDER_ALLOW_LOCAL_LINKS")
    monkeypatch.setenv("SITE_BUILDER_SMTP_URL", f"smtp://127.0.0.1:{sink.port}")
    config = project / "mkdocs.yml"
    for url, why in (("http://127.0.0.1:8001", "루프백"), ("http://localhost:8001", "루프백"),
                     ("http://subs.yours.example.org", "https가 아닙니다")):
        config.write_text(config.read_text(encoding="utf-8").replace(
            next(line for line in config.read_text(encoding="utf-8").splitlines() if line.startswith("      url: ")),
            f"      url: {url}"), encoding="utf-8")
        assert run(project, "send", "1", "--skip-proof", "--no-progress") == 2
        err = capsys.readouterr().err
        assert f"mkdocs.yml: extra.site_builder.subscriptions.url: 수신거부(List-Unsubscribe)·구독 설정 링크인 {url}" in err
        assert why in err and "SMTP로 보내지 않았습니다" in err and "--allow-local-links" in err
        assert sink.received == []
    assert run(project, "send", "1", "--test-to", "editor@yours.example.org") == 2   # a proof as well
    assert "SMTP로 보내지 않았습니다" in capsys.readouterr().err and sink.received == []
    # explicitly allowed (a test relay): sent, with a warning
    assert run(project, "send", "1", "--skip-proof", "--no-progress", "--allow-local-links") == 0
    assert "경고: mkdocs.yml: extra.site_builder.subscriptions.url" in capsys.readouterr().err
    assert len(sink.received) == 6


def test_maildir_outbox_only_warns_about_a_local_unsubscribe_link(project, capsys, monkeypatch):
    monkeypatch.delenv("SITE_BUILDER_ALLOW_LOCAL_LINKS")
    assert run(project, "send", "1", "--skip-proof", "--no-progress") == 0
    err = capsys.readouterr().err
    assert "경고: mkdocs.yml: extra.site_builder.subscriptions.url: 수신거부(List-Unsubscribe)·구독 설정 링크인 " \
           "http://subs.test 은(는) https가 아닙니다" in err
    assert len(mailbox.Maildir(project / "outbox", create=False)) == 6
