"""Real parts for the delivery tests: SQLite, aiosmtpd on loopback (with scripted failures), DKIM keys
made at test time, the fixture site's first issue rendered once, and the subscription service app."""

from __future__ import annotations

import email
import email.policy
import shutil
import socket
import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa

from site_builder.catalog import load_catalog
from site_builder.config import KST, load_config
from site_builder.delivery import Composer, IssueMail, Signer, key_from_pem, open_ledger
from site_builder.mail import SmtpSettings, SmtpTransport
from site_builder.newsletter import load_issues, render_issue
from site_builder.subscribers import open_store
from site_builder.subscribers.models import SUBSCRIBED, Subscriber
from site_builder.subscribers.tokens import address_hash

REPO = Path(__file__).resolve().parents[2]
SITE = REPO / "tests" / "newsletter" / "fixtures" / "site"
SECRET = b"delivery-test-secret-0123456789abcdef0123"
SERVICE = "http://subs.test"
NOW = datetime(2019, 6, 1, 12, 0, tzinfo=KST)
DOMAIN = "yours.example.org"


class ManualClock:
    """A delivery Clock that moves only when the engine waits on it: a retry schedule of hours runs in
    no time, and the same on a fast or a loaded machine. `waits` records every wait asked for."""

    def __init__(self, start: datetime = datetime(2019, 6, 1, 3, 0, tzinfo=timezone.utc)):
        self.lock = threading.Lock()
        self.at = start
        self.waits: list[float] = []

    def now(self) -> datetime:
        with self.lock:
            return self.at

    def wait(self, stop: threading.Event, seconds: float) -> bool:
        if stop.is_set():
            return True
        with self.lock:
            self.waits.append(seconds)
            self.at += timedelta(seconds=seconds)
        return stop.is_set()


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Sink:
    """An aiosmtpd handler that keeps every accepted message and can be scripted to fail.

    script(kind, index, envelope) returns None to accept, or a reply string; "DROP" closes the connection."""

    def __init__(self):
        self.lock = threading.Lock()
        self.received: list[tuple[str, list[str], bytes]] = []
        self.mail_count = 0
        self.data_count = 0
        self.sessions = 0
        self.script = None
        self.on_message = None
        self.reached = threading.Event()
        self.reach_at: int | None = None

    def _scripted(self, kind, server, envelope, index):
        if self.script is None:
            return None
        answer = self.script(kind, index, envelope)
        if answer == "DROP":
            server.transport.close()
            return "421 4.4.2 closing"   # never seen: the connection is gone
        return answer

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        with self.lock:
            self.sessions += 1
        session.host_name = hostname
        return responses

    async def handle_MAIL(self, server, session, envelope, address, options):
        with self.lock:
            self.mail_count += 1
            index = self.mail_count
        answer = self._scripted("MAIL", server, envelope, index)
        if answer:
            return answer
        envelope.mail_from = address
        envelope.mail_options.extend(options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, options):
        answer = self._scripted("RCPT", server, envelope, self.mail_count)
        if answer:
            return answer
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.data_count += 1
            index = self.data_count
        answer = self._scripted("DATA", server, envelope, index)
        if answer:
            return answer
        with self.lock:
            self.received.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content))
            n = len(self.received)
        if self.on_message:
            self.on_message(n, envelope)
        if self.reach_at is not None and n >= self.reach_at:
            self.reached.set()
        return "250 2.0.0 OK queued"

    def messages(self) -> list[email.message.EmailMessage]:
        with self.lock:
            return [email.message_from_bytes(raw, policy=email.policy.default) for _f, _t, raw in self.received]

    def per_recipient(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        with self.lock:
            for _f, rcpts, _raw in self.received:
                for r in rcpts:
                    counts[r] = counts.get(r, 0) + 1
        return counts


@pytest.fixture
def sink():
    handler = Sink()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port(), decode_data=False,
                            data_size_limit=10 * 1024 * 1024)
    controller.start()
    handler.port = controller.port
    yield handler
    controller.stop()


@pytest.fixture
def transport(sink):
    return SmtpTransport(SmtpSettings("127.0.0.1", sink.port, timeout=10))


def _pem(key) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


@pytest.fixture(scope="session")
def key_files(tmp_path_factory) -> dict[str, Path]:
    """A 2048-bit RSA key and an Ed25519 key, made now, outside the repository."""
    folder = tmp_path_factory.mktemp("dkim")
    files = {"rsa": folder / "rsa.pem", "ed25519": folder / "ed25519.pem"}
    files["rsa"].write_bytes(_pem(rsa.generate_private_key(public_exponent=65537, key_size=2048)))
    files["ed25519"].write_bytes(_pem(ed25519.Ed25519PrivateKey.generate()))
    return files


@pytest.fixture(scope="session")
def dkim_keys(key_files):
    return [key_from_pem(key_files["rsa"].read_bytes(), DOMAIN, "rsa2026"),
            key_from_pem(key_files["ed25519"].read_bytes(), DOMAIN, "ed2026")]


@pytest.fixture(scope="session")
def dns(dkim_keys):
    """A DNS lookup for dkimpy that answers with the test keys' TXT records."""
    records = {f"{k.selector}._domainkey.{k.domain}.": k.dns_record().encode() for k in dkim_keys}

    def lookup(name, timeout=5):
        name = name.decode() if isinstance(name, bytes) else name
        return records.get(name if name.endswith(".") else name + ".")
    return lookup


@pytest.fixture(scope="session")
def issue_and_rendered():
    config = load_config(SITE)
    catalog = load_catalog(config, now=NOW)
    issues, problems = load_issues(config, catalog)
    issue = next(i for i in issues if i.number == 1)
    return issue, render_issue(issue, catalog)


@pytest.fixture(scope="session")
def issue_mail(issue_and_rendered) -> IssueMail:
    issue, rendered = issue_and_rendered
    return IssueMail.from_rendered(
        rendered, issue_id=str(issue.number), sender_name="유어스", sender_address=f"letter@{DOMAIN}",
        reply_to=f"yours@{DOMAIN}", list_name="유어스 레터", list_id=f"letter.{DOMAIN}",
        feedback_id=f"{issue.number}:newsletter:letter", web_url=f"https://{DOMAIN}/newsletter/{issue.slug}/",
        service_url=SERVICE, return_path=f"bounce@{DOMAIN}", question_id=issue.feedback.id,
        answers=len(issue.feedback.answers))


@pytest.fixture
def composer(issue_mail, dkim_keys) -> Composer:
    return Composer(issue_mail, SECRET, Signer(dkim_keys))


@pytest.fixture
def store(tmp_path):
    s = open_ledger(open_store(f"sqlite:///{tmp_path / 'subscribers.db'}"))
    yield s
    s.close()


def add_subscribers(store, n: int, *, start: int = 1, names: bool = True, status: str = SUBSCRIBED,
                    domain: str = "example.com") -> list[str]:
    """Insert n confirmed subscribers user<i>@domain (Korean names); return their addresses."""
    now = datetime(2019, 5, 1, tzinfo=timezone.utc)
    rows, addresses = [], []
    for i in range(start, start + n):
        address = f"user{i}@{domain}"
        addresses.append(address)
        rows.append({"address": address, "address_hash": address_hash(SECRET, address),
                     "name": f"구독자{i}" if names else None, "status": status, "created_at": now, "updated_at": now,
                     "consent_at": now, "confirmed_at": now, "consent_method": "form", "consent_version": "1"})
    with store.session() as s, s.begin():
        s.execute(Subscriber.__table__.insert(), rows)
    return addresses


def project_copy(tmp_path: Path, extra: str = "") -> Path:
    """A writable copy of the newsletter fixture site with a subscription service URL and delivery settings."""
    root = Path(shutil.copytree(SITE, tmp_path / "site"))
    with open(root / "mkdocs.yml", "a", encoding="utf-8") as fh:
        fh.write(f"    subscriptions:\n      url: {SERVICE}\n    delivery:\n      connections: 4\n"
                 f"      retry: {{first_seconds: 1, factor: 2, wait_seconds: 30}}\n{extra}")
    return root
