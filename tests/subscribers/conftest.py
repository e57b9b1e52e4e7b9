"""Real parts for the subscriber tests: a SQLite file, an aiosmtpd server on loopback, the ASGI app over httpx."""

from __future__ import annotations

import email
import email.policy
import re
import socket
import threading
from datetime import datetime, timedelta, timezone

import httpx
import pytest
from aiosmtpd.controller import Controller

from site_builder.config import Office
from site_builder.mail import Mailer, SmtpSettings, SmtpTransport
from site_builder.subscribers import open_store
from site_builder.subscribers.app import create_app
from site_builder.subscribers.settings import SubscriptionSettings

SECRET = "test-secret-0123456789abcdef0123456789abcdef"
BASE = "http://subs.test"
SITE = "https://yours.example.org/"
TOPICS = {
    "kind:interview": "인터뷰", "kind:column": "칼럼·기고",
    "series:prep-diary": "준비 일지", "agenda:welfare": "복지", "agenda:housing": "주택도시계획",
}


class Clock:
    """A clock tests move by hand."""

    def __init__(self, start: datetime):
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs) -> None:
        self.now += timedelta(**kwargs)


class Inbox:
    """Collects what the SMTP server receives."""

    def __init__(self):
        self.envelopes = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.envelopes.append(envelope)
        return "250 2.0.0 OK queued"

    @property
    def messages(self) -> list[email.message.EmailMessage]:
        with self.lock:
            return [email.message_from_bytes(e.original_content, policy=email.policy.default) for e in self.envelopes]

    def last_to(self, address: str) -> email.message.EmailMessage:
        matches = [m for m in self.messages if address in str(m["To"])]
        assert matches, f"no mail to {address}; got {[str(m['To']) for m in self.messages]}"
        return matches[-1]

    def count_to(self, address: str) -> int:
        return sum(1 for m in self.messages if address in str(m["To"]))


def text_of(msg) -> str:
    return msg.get_body(("plain",)).get_content()


def link_in(msg, path: str) -> str:
    found = re.findall(re.escape(BASE) + re.escape(path) + r"[A-Za-z0-9_\-\.]+", text_of(msg))
    assert found, f"no {path} link in mail:\n{text_of(msg)}"
    return found[0]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def anyio_backend():
    return "asyncio"


@pytest.fixture
def inbox():
    box = Inbox()
    controller = Controller(box, hostname="127.0.0.1", port=free_port())
    controller.start()
    box.port = controller.port
    yield box
    controller.stop()


@pytest.fixture
def clock():
    return Clock(datetime(2026, 3, 2, 1, 0, tzinfo=timezone.utc))


@pytest.fixture
def settings():
    return SubscriptionSettings(
        base_url=BASE, site_url=SITE, brand="유어스",
        office=Office(name="서울특별시 청년정책담당관", address="서울특별시 중구 세종대로 110", phone="02-120",
                      email="yours@example.org"),
        sender_name="유어스 뉴스레터", sender_address="newsletter@yours.example.org",
        consent_version="2026-03", topics=dict(TOPICS),
        per_address_mails_per_day=3, per_ip_requests_per_hour=30,
    )


@pytest.fixture
def db_url(tmp_path):
    """A fresh database per test: SQLite by default; with SITE_BUILDER_TEST_POSTGRES_URL set
    (a server URL such as postgresql+psycopg://postgres@127.0.0.1:5432/postgres) a new
    PostgreSQL database is created for the test and dropped after it."""
    from tests.conftest import fresh_database

    with fresh_database(tmp_path, "subscribers.db", "sb_test") as url:
        yield url


@pytest.fixture
def store(db_url):
    s = open_store(db_url)
    yield s
    s.close()


@pytest.fixture
def mailer(inbox):
    m = Mailer(SmtpTransport(SmtpSettings("127.0.0.1", inbox.port, timeout=10)))
    yield m
    m.close()


@pytest.fixture
def app(settings, store, mailer, clock):
    return create_app(settings, store, mailer, SECRET, clock=clock)


def make_client(app, ip="198.51.100.7") -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app, client=(ip, 40000)), base_url=BASE,
                             follow_redirects=False)


@pytest.fixture
async def client(app):
    async with make_client(app) as c:
        yield c


def signup_form(address: str, **extra) -> dict:
    form = {"email": address, "name": "", "consent": "yes", "consent_version": "2026-03", "website": ""}
    form.update(extra)
    return form


SITE_HEADERS = {"Origin": "https://yours.example.org", "Referer": "https://yours.example.org/subscribe/"}


def csrf_of(html: str) -> str:
    m = re.search(r'name="csrf" value="([^"]+)"', html)
    assert m, html
    return m.group(1)
