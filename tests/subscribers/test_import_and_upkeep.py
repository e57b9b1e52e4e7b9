"""CSV import, re-consent and purges, and the CLI commands, against a real SQLite file."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import func, select

from site_builder.cli import main
from site_builder.mail import Mailer, SmtpSettings, SmtpTransport
from site_builder.subscribers import Subscriber, Suppression, iter_recipients, open_store
from site_builder.subscribers.importer import import_csv
from site_builder.subscribers.reconsent import add_months, run_upkeep
from site_builder.subscribers.service import confirm

from .conftest import SECRET, link_in
from .test_service_helpers import subscribed

HEADER = "email,name,topics,consent_basis,consented_at\n"


def write(tmp_path, text, name="list.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_import_adds_every_row_with_its_consent_basis(tmp_path, store, settings, clock):
    path = write(tmp_path, HEADER + "a@example.com,김가,kind:interview agenda:welfare,2025 행사 서면 동의,2025-11-20\n"
                 "b@example.com,,,구 홈페이지 동의,2025-12-01T10:00\n")
    with store.session() as s, s.begin():
        report = import_csv(s, settings, SECRET.encode(), path, clock.now)
    assert (report.imported, report.problems) == (2, [])
    with store.session() as s:
        a = s.scalar(select(Subscriber).where(Subscriber.address == "a@example.com"))
        assert a.status == "subscribed" and a.consent_method == "import:2025 행사 서면 동의"
        assert a.consent_date == "2025-11-20" and a.topic_ids == ["agenda:welfare", "kind:interview"]
        assert a.consent_source == "list.csv:2"


def test_import_reports_bad_rows_with_line_numbers_and_imports_nothing(tmp_path, store, settings, clock):
    path = write(tmp_path, HEADER + "good@example.com,,,form,2025-01-01\n"
                 "not-an-address,,,form,2025-01-01\n"
                 "c@example.com,,,,2025-01-01\n"
                 "d@example.com,,kind:nope,form,2025-01-01\n"
                 "e@example.com,,,form,10월 5일\n"
                 "good@example.com,,,form,2025-01-01\n")
    with store.session() as s, s.begin():
        report = import_csv(s, settings, SECRET.encode(), path, clock.now)
        s.rollback()
    assert [(p.line, p.field) for p in report.problems] == [
        (3, "email"), (4, "consent_basis"), (5, "topics"), (6, "consented_at"), (7, "email")]
    assert str(report.problems[1]).startswith(f"{path}:4: consent_basis: empty — ")
    with store.session() as s:
        assert s.scalar(select(func.count()).select_from(Subscriber)) == 0


def test_import_needs_a_consent_basis_column(tmp_path, store, settings, clock):
    path = write(tmp_path, "email,name\na@example.com,가\n")
    with store.session() as s:
        report = import_csv(s, settings, SECRET.encode(), path, clock.now)
    assert [str(p) for p in report.problems] == [
        f"{path}:1: header: missing column consent_basis — the first line must name the columns, "
        "e.g. email,name,topics,consent_basis,consented_at"]


def test_import_skips_suppressed_and_existing_addresses(tmp_path, store, settings, clock):
    subscribed(store, "there@example.com", clock.now)
    with store.session() as s, s.begin():
        from site_builder.subscribers import suppress_address

        suppress_address(s, "blocked@example.com", "complaint", secret=SECRET, now=clock.now)
    path = write(tmp_path, HEADER + "there@example.com,,,form,\nblocked@example.com,,,form,\nnew@example.com,,,form,\n")
    with store.session() as s, s.begin():
        report = import_csv(s, settings, SECRET.encode(), path, clock.now)
    assert report.imported == 1
    assert [(line, addr) for line, addr, _ in report.skipped] == [(2, "there@example.com"), (3, "blocked@example.com")]


def test_reconsent_mail_at_23_months_and_purge_at_24_without_answer(store, settings, clock, inbox):
    mailer = Mailer(SmtpTransport(SmtpSettings("127.0.0.1", inbox.port)))
    start = clock.now
    keep = subscribed(store, "keep@example.com", start)
    silent = subscribed(store, "silent@example.com", start)
    young = subscribed(store, "young@example.com", start + timedelta(days=200))

    clock.now = add_months(start, 23) - timedelta(minutes=1)
    assert run_upkeep(store, settings, mailer, SECRET.encode(), clock.now).reminded == []
    clock.now = add_months(start, 23)
    report = run_upkeep(store, settings, mailer, SECRET.encode(), clock.now)
    assert sorted(report.reminded) == [keep, silent]
    mail = inbox.last_to("keep@example.com")
    assert "수신동의 재확인" in mail["Subject"]
    assert "2026-03-02에" in mail.get_body(("plain",)).get_content()
    # a second daily run does not mail again
    assert run_upkeep(store, settings, mailer, SECRET.encode(), clock.now + timedelta(days=1)).reminded == []

    token = link_in(mail, "/confirm/").rsplit("/", 1)[1]
    with store.session() as s, s.begin():
        confirm(s, settings, SECRET.encode(), token, clock.now + timedelta(days=3))

    clock.now = add_months(start, 24)
    report = run_upkeep(store, settings, mailer, SECRET.encode(), clock.now)
    assert report.expired == 1
    with store.session() as s:
        assert sorted(r.id for r in iter_recipients(s, None)) == [keep, young]
        assert s.get(Subscriber, silent) is None
        assert s.scalar(select(Suppression.reason)) == "consent-expired"
    mailer.close()


def test_reconsent_can_be_switched_off(store, settings, clock, inbox):
    from dataclasses import replace

    subscribed(store, "a@example.com", clock.now)
    mailer = Mailer(SmtpTransport(SmtpSettings("127.0.0.1", inbox.port)))
    report = run_upkeep(store, replace(settings, reconsent_enabled=False), mailer, SECRET.encode(),
                        add_months(clock.now, 30))
    assert (report.reminded, report.expired) == ([], 0)
    mailer.close()


def test_upkeep_purges_unconfirmed_signups_after_a_week(store, settings, clock, inbox):
    subscribed(store, "pending@example.com", clock.now, status="pending")
    mailer = Mailer(SmtpTransport(SmtpSettings("127.0.0.1", inbox.port)))
    assert run_upkeep(store, settings, mailer, SECRET.encode(), clock.now + timedelta(days=6)).pending_purged == 0
    assert run_upkeep(store, settings, mailer, SECRET.encode(), clock.now + timedelta(days=8)).pending_purged == 1
    mailer.close()


def project(tmp_path, monkeypatch):
    root = tmp_path / "project"
    root.mkdir()
    (root / "mkdocs.yml").write_text(
        "site_name: 유어스\nsite_url: https://yours.example.org/\nextra:\n  site_builder:\n"
        "    series:\n      - {id: prep-diary, name: 준비 일지}\n"
        "    subscriptions: {url: 'http://127.0.0.1:8001', consent_version: '1'}\n", encoding="utf-8")
    monkeypatch.setenv("SITE_BUILDER_SECRET", SECRET)
    monkeypatch.delenv("SITE_BUILDER_DATABASE_URL", raising=False)
    monkeypatch.delenv("SITE_BUILDER_SMTP_URL", raising=False)
    return root


def test_cli_import_list_stats_export_forget(tmp_path, monkeypatch, capsys):
    root = project(tmp_path, monkeypatch)
    bad = write(tmp_path, HEADER + "x@example.com,,,,\n", "bad.csv")
    assert main(["--root", str(root), "subscribers", "import", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "1. " in err and "bad.csv:2: consent_basis: empty" in err

    good = write(tmp_path, HEADER + "a@example.com,가,series:prep-diary,서면 동의,2025-01-02\n", "good.csv")
    assert main(["--root", str(root), "subscribers", "import", str(good)]) == 0
    assert (root / "subscribers.db").exists()
    capsys.readouterr()
    assert main(["--root", str(root), "subscribers", "list"]) == 0
    assert "a@example.com" in capsys.readouterr().out
    assert main(["--root", str(root), "subscribers", "stats", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["subscribers"]["subscribed"] == 1
    out = tmp_path / "export.json"
    assert main(["--root", str(root), "subscribers", "export", "--out", str(out)]) == 0
    [row] = json.loads(out.read_text(encoding="utf-8"))
    assert row["consent_method"] == "import:서면 동의" and row["topics"] == ["series:prep-diary"]
    assert main(["--root", str(root), "subscribers", "forget", "a@example.com", "--notify"]) == 0
    store = open_store(f"sqlite:///{root / 'subscribers.db'}")
    with store.session() as s:
        assert s.scalar(select(func.count()).select_from(Subscriber)) == 0
        assert s.scalar(select(func.count()).select_from(Suppression)) == 1
    assert len(list((root / "outbox" / "new").iterdir())) == 1   # the deletion notice, in the Maildir
    assert main(["--root", str(root), "subscribers", "reconsent"]) == 0


def test_cli_refuses_to_serve_without_a_secret(tmp_path, monkeypatch, capsys):
    root = project(tmp_path, monkeypatch)
    monkeypatch.delenv("SITE_BUILDER_SECRET")
    assert main(["--root", str(root), "serve-subscriptions"]) == 2
    assert "SITE_BUILDER_SECRET" in capsys.readouterr().err
