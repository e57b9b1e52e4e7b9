"""A real SMTP server (aiosmtpd) on loopback that records every session and message, plain or with
STARTTLS and AUTH on a self-signed certificate made for the test."""

from __future__ import annotations

import datetime as dt
import ipaddress
import socket
import ssl
import threading
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from site_builder.mail import build_message, format_address

USER, PASSWORD = "relay-user", "s3cret-pass"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Relay:
    """Records (session, envelope) for each message; refuses recipients listed in `refuse`."""

    def __init__(self):
        self.received: list[tuple[tuple, str, list[str], bytes]] = []   # client (host, port), from, to, data
        self.logins: list[tuple[bytes, bytes]] = []
        self.refuse: dict[str, str] = {}
        self.lock = threading.Lock()
        self.port = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.received.append((session.peer, envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content))
        return "250 2.0.0 OK queued as Q123"

    def authenticate(self, server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
            USER.encode(), PASSWORD.encode())
        if ok:
            with self.lock:
                self.logins.append((auth_data.login, auth_data.password))
        return AuthResult(success=ok, handled=False)   # handled=False: aiosmtpd answers 535 itself


@pytest.fixture
def relay():
    handler = Relay()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port(), decode_data=False)
    controller.start()
    handler.port = controller.port
    yield handler
    controller.stop()


def _self_signed(tmp: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    start = dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(start)
            .not_valid_after(start + dt.timedelta(days=365 * 50))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_file, key_file = tmp / "relay.crt", tmp / "relay.key"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_file, key_file


@pytest.fixture
def tls_relay(tmp_path):
    """A relay that requires STARTTLS before anything and AUTH before MAIL; `.ca_file` is its certificate."""
    cert_file, key_file = _self_signed(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert_file, key_file)
    handler = Relay()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port(), decode_data=False,
                            tls_context=context, require_starttls=True, auth_required=True,
                            auth_require_tls=True, authenticator=handler.authenticate)
    controller.start()
    handler.port = controller.port
    handler.ca_file = str(cert_file)
    yield handler
    controller.stop()


def korean_message(to="reader@example.com", name="독자", subject="청년자치정부 준비 소식 제12호: 예산 이야기"):
    return build_message(sender=format_address("news@yours.example.org", "유어스 뉴스레터"),
                         to=format_address(to, name), subject=subject,
                         text="본문입니다.\n.점으로 시작하는 줄\n" + "가" * 2000, html="<p>본문입니다.</p>")
