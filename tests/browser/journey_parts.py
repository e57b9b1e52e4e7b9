"""Real parts for the subscriber's journey in chromium, deployed as in production: the built sample site on
one loopback port (a static HTTP server), the subscription service under uvicorn on another, mail to an
aiosmtpd server on loopback. The site is built with its form posting to the service's origin."""

from __future__ import annotations

import asyncio
import email
import email.policy
import re
import shutil
import socket
import threading
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import uvicorn
from aiosmtpd.controller import Controller

REPO = Path(__file__).resolve().parents[2]
SECRET = "journey-secret-0123456789abcdef0123456789abcdef"
# Links are signed and checked against this clock, never the machine's.
NOW = datetime(2026, 3, 2, 1, 0, tzinfo=timezone.utc)
HANGUL = re.compile(r"[\uac00-\ud7a3]")
# What a framework, a proxy or the browser shows when a request fails: none of it may reach a reader.
ENGLISH_ERRORS = re.compile(r"\b(Forbidden|Not Found|Bad Request|Internal Server Error|Method Not Allowed|"
                            r"Unauthorized|Error|Exception|Traceback|This site can.t be reached)\b", re.I)


class Inbox:
    """What the SMTP server received; wait() blocks until a mail to an address arrives (no sleeps)."""

    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []
        self.changed = threading.Condition()

    async def handle_DATA(self, server, session, envelope):
        msg = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        with self.changed:
            self.messages.append(msg)
            self.changed.notify_all()
        return "250 2.0.0 OK queued"

    def wait(self, address: str, count: int, timeout: float = 60) -> email.message.EmailMessage:
        """Return the count-th mail to address once it has arrived."""
        def mine():
            return [m for m in self.messages if address in str(m["To"])]
        with self.changed:
            assert self.changed.wait_for(lambda: len(mine()) >= count, timeout), \
                f"mail {count} to {address} never arrived; got {[str(m['Subject']) for m in mine()]}"
            return mine()[count - 1]


def text_of(msg) -> str:
    return msg.get_body(("plain",)).get_content()


class _Server(uvicorn.Server):
    """uvicorn with an event set once it listens, so the test waits on it instead of polling."""

    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self.ready = threading.Event()

    async def startup(self, sockets=None) -> None:
        await super().startup(sockets=sockets)
        self.ready.set()


@dataclass
class Deployment:
    """The running site, service, SMTP server and store of one journey."""

    project: Path
    site_base: str
    service_base: str
    inbox: Inbox
    store: object
    settings: object
    config: object
    stops: list = field(default_factory=list)

    def close(self) -> None:
        for stop in reversed(self.stops):
            stop()


def _bound_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def deploy(target: Path) -> Deployment:
    """Copy the sample project to target, serve its site, start the service and SMTP, then build the site
    with site_url and subscriptions.url set to the two loopback origins."""
    from site_builder.build.pipeline import build_site
    from site_builder.config import load_config
    from site_builder.mail import Mailer, SmtpSettings, SmtpTransport
    from site_builder.subscribers import open_store
    from site_builder.subscribers.app import create_app
    from site_builder.subscribers.settings import SubscriptionSettings
    from site_builder.build.server import serve_site

    project = target / "project"
    project.mkdir(parents=True)
    for name in ("content", "newsletters"):
        shutil.copytree(REPO / name, project / name)
    (project / "site").mkdir()
    stops: list = []

    site_cm = serve_site(project / "site")   # the build swaps a finished folder in at this path
    site_base = site_cm.__enter__()
    stops.append(lambda: site_cm.__exit__(None, None, None))

    sock = _bound_socket()
    service_base = f"http://127.0.0.1:{sock.getsockname()[1]}"
    config_text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    config_text = config_text.replace("custom_dir: themes", f"custom_dir: {REPO / 'themes'}")
    config_text = re.sub(r"(?m)^site_url: .*$", f"site_url: {site_base}", config_text)
    config_text = config_text.replace("url: http://127.0.0.1:8001", f"url: {service_base}")
    (project / "mkdocs.yml").write_text(config_text, encoding="utf-8")

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    stops.append(controller.stop)

    config = load_config(project)
    settings = SubscriptionSettings.from_config(config)
    store = open_store(f"sqlite:///{target / 'subscribers.db'}")
    stops.append(store.close)
    mailer = Mailer(SmtpTransport(SmtpSettings("127.0.0.1", controller.port, timeout=30)))
    stops.append(mailer.close)
    app = create_app(settings, store, mailer, SECRET, clock=lambda: NOW)
    server = _Server(uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off"))
    thread = threading.Thread(target=lambda: asyncio.run(server.serve(sockets=[sock])), name="service",
                              daemon=True)
    thread.start()

    def stop_service() -> None:
        server.should_exit = True
        thread.join(timeout=30)
        sock.close()
    stops.append(stop_service)
    assert server.ready.wait(60), "the subscription service did not start"

    build_site(project, now=datetime(2019, 6, 1, 12, 0, tzinfo=timezone.utc))
    return Deployment(project, site_base, service_base, inbox, store, settings, config, stops)


def compose_issue(dep: Deployment, number: int, recipients: list[tuple[int, str, str | None]]):
    """Compose issue `number` the way `site-builder newsletter send` does; return {address: message}."""
    from site_builder.catalog import load_catalog
    from site_builder.delivery.compose import Composer, Recipient
    from site_builder.delivery.prepare import issue_mail
    from site_builder.delivery.settings import DeliverySettings
    from site_builder.newsletter import load_issues, render_issue

    config = dep.config
    catalog = load_catalog(config, now=datetime(2019, 6, 1, 12, 0, tzinfo=timezone.utc))
    issues, _problems = load_issues(config, catalog)
    issue = next(i for i in issues if i.number == number)
    mail = issue_mail(config, issue, render_issue(issue, catalog), DeliverySettings.from_config(config))
    composer = Composer(mail, SECRET, link_now=NOW)
    out = {}
    for sid, address, name in recipients:
        built = composer.build(Recipient(sid, address, name, NOW.date()))
        out[address] = email.message_from_bytes(built.data, policy=email.policy.default)
    return issue, out
