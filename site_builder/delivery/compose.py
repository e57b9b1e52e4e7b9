"""Per-recipient message bytes from an issue rendered once.

The issue's HTML and text are split at their %%TOKENS%% and each static piece is quoted-printable
encoded once, ending in a soft line break. Per recipient only the token values are encoded and the
pieces joined, so building a 50 KB Korean message costs a join, a hash and a signature, not an
email-package round trip. Every line is CRLF-terminated and at most 76 octets (998 is the limit).
"""

from __future__ import annotations

import base64
import binascii
import json
import hashlib
import hmac
import html as htmllib
import re
import secrets
import time
from dataclasses import dataclass
from datetime import date, datetime
from email.header import Header
from email.utils import format_datetime
from typing import Callable

from ..config import KST
from ..newsletter import TOKEN, RenderedIssue
from ..subscribers import ANSWER_DAYS, PREFERENCES_DAYS, UNSUBSCRIBE_DAYS
from ..textutil import korean_date
from .dkim import SIGNED_HEADERS, Signer, relaxed_header

MAX_QP_LINE = 76
_HEADER_SAFE = re.compile(r"^[\x20-\x7e]*$")


class ComposeError(ValueError):
    """A recipient or issue value that cannot go into a message (e.g. a non-ASCII address)."""


@dataclass(frozen=True)
class Recipient:
    """The personal parts of one message."""

    subscriber_id: int
    address: str
    name: str | None = None
    consent_date: date | None = None


@dataclass(frozen=True)
class Outgoing:
    """One message ready for the wire: envelope and CRLF bytes."""

    message_id: str
    envelope_from: str
    recipient: str
    data: bytes
    dot_safe: bool = False      # no line starts with '.': SMTP needs no dot-stuffing (the composer's are)


# --- quoted-printable pieces ---------------------------------------------------------------------


def _qp(data: bytes) -> bytes:
    """Quoted-printable (RFC 2045) with CRLF line ends and lines of at most 76 octets."""
    out = binascii.b2a_qp(data, quotetabs=False, istext=True, header=False)
    return out.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


def _soft_end(piece: bytes) -> bytes:
    """Return piece followed by a soft line break, splitting its last line if '=' would make it too long."""
    start = piece.rfind(b"\n") + 1
    last = piece[start:]
    if len(last) >= MAX_QP_LINE:
        cut = MAX_QP_LINE - 4
        # never split an =XX escape
        while cut > 0 and b"=" in last[max(0, cut - 2):cut]:
            cut -= 1
        piece = piece[:start] + last[:cut] + b"=\r\n" + last[cut:]
    return piece + b"=\r\n"


def _no_leading_dots(enc: bytes) -> bytes:
    """Return a quoted-printable piece (which starts at the start of a line) with every line-initial '.'
    written =2E, re-wrapped to 76 octets: the message then needs no SMTP dot-stuffing, which had to copy
    and scan every 64 KB message (quoted-printable CSS starts many lines with a dot)."""
    if not (enc.startswith(b".") or b"\n." in enc):
        return enc
    out = []
    todo = enc.split(b"\r\n")
    todo.reverse()
    while todo:
        line = todo.pop()
        if line.startswith(b"."):
            line = b"=2E" + line[1:]
            if len(line) > MAX_QP_LINE:
                cut = MAX_QP_LINE - 1
                while cut > 0 and b"=" in line[max(0, cut - 2):cut]:   # never split an =XX escape
                    cut -= 1
                todo.append(line[cut:])          # the rest, itself checked for a leading dot
                line = line[:cut] + b"="
        out.append(line)
    return b"\r\n".join(out)


def _qp_value(value: str) -> bytes:
    return _no_leading_dots(_soft_end(_qp(value.encode("utf-8"))))


@dataclass(frozen=True)
class _Part:
    statics: tuple[bytes, ...]   # encoded static pieces; all but the last end in a soft break
    names: tuple[str, ...]       # token names between them
    escape: bool                 # HTML-escape the values


def _split_part(text: str, escape: bool) -> _Part:
    pieces = TOKEN.split(text.replace("\r\n", "\n").replace("\r", "\n"))
    statics_raw, names = pieces[0::2], pieces[1::2]
    statics = []
    for i, raw in enumerate(statics_raw):
        enc = _qp(raw.encode("utf-8"))
        last = i == len(statics_raw) - 1
        if last:
            if not enc.endswith(b"\r\n"):
                enc += b"\r\n"
        elif enc:
            enc = _soft_end(enc)
        statics.append(_no_leading_dots(enc))
    return _Part(tuple(statics), tuple(names), escape)


# --- headers ------------------------------------------------------------------------------------


def encode_words(text: str, name: str = "Subject") -> bytes:
    """Return text as RFC 2047 encoded words (each at most 75 chars, folded with CRLF SP), or as is if ASCII."""
    if _HEADER_SAFE.match(text):
        return text.encode("ascii")
    # The legacy Header encoder keeps the spaces between Korean words (policy.SMTP's folder loses them on 3.11).
    return Header(text, "utf-8", header_name=name).encode(linesep="\r\n").encode("ascii")


def _mailbox(address: str, name: str | None, header: str) -> bytes:
    if not address.isascii() or any(c in address for c in "\r\n<>\" ,;"):
        raise ComposeError(f"주소 {address!r}은(는) 머리글에 쓸 수 없습니다 (영문 외 문자나 특수 문자)")
    if not name:
        return address.encode("ascii")
    if any(ord(c) < 32 or c == "\x7f" for c in name):
        raise ComposeError(f"{address}의 이름에 제어 문자가 있습니다")
    raw = name.encode("utf-8")
    if len(raw) <= 45:
        # one encoded word: decoders differ on the space between two words of a display name
        return b"=?utf-8?b?" + base64.b64encode(raw) + b"?= <" + address.encode("ascii") + b">"
    if name.isascii():
        quoted = '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'
        return quoted.encode("ascii") + b" <" + address.encode("ascii") + b">"
    return encode_words(name, header) + b" <" + address.encode("ascii") + b">"


def message_token(secret: bytes, issue_id: str, subscriber_id: int) -> str:
    """Return '<issue>.<subscriber>.<mac>': names one message, unforgeable, used in Message-ID and VERP."""
    mac = hmac.new(secret, f"site_builder/delivery/{issue_id}.{subscriber_id}".encode(), hashlib.sha256).hexdigest()
    return f"{issue_id}.{subscriber_id}.{mac[:12]}"


TOKEN_RE = re.compile(r"(?<![\w.])(?:u\.)?([A-Za-z0-9-]+)\.(\d+)\.([0-9a-f]{12})(?![\w])")


def parse_message_token(secret: bytes, text: str) -> tuple[str, int] | None:
    """Return (issue_id, subscriber_id) from the first genuine message token in text, else None."""
    for match in TOKEN_RE.finditer(text or ""):
        issue_id, sid = match.group(1), int(match.group(2))
        if hmac.compare_digest(message_token(secret, issue_id, sid), f"{issue_id}.{sid}.{match.group(3)}"):
            return issue_id, sid
    return None


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class _LinkSigner:
    """Makes the same tokens as site_builder.subscribers.tokens.sign_link (a test holds them equal), with the
    per-purpose keys derived once instead of on every call: six links per message add up."""

    def __init__(self, secret: bytes):
        self._keys: dict[str, hmac.HMAC] = {}
        self.secret = secret

    def _mac(self, purpose: str) -> hmac.HMAC:
        mac = self._keys.get(purpose)
        if mac is None:
            key = hmac.new(self.secret, b"site_builder/link/" + purpose.encode(), hashlib.sha256).digest()
            mac = self._keys[purpose] = hmac.new(key, digestmod=hashlib.sha256)
        return mac

    def sign(self, purpose: str, subscriber_id: int, fields_json: str, expires: int) -> str:
        payload = f'["{purpose}",{int(subscriber_id)},[{fields_json}],{expires}]'.encode()
        mac = self._mac(purpose).copy()
        mac.update(payload)
        return f"{_b64(payload)}.{_b64(mac.digest()[:16])}"


@dataclass(frozen=True)
class IssueMail:
    """What the composer needs to know about the issue and the sender (no catalog, no config)."""

    issue_id: str                    # str(issue.number): the ledger key and the links' issue field
    subject: str
    html: str
    text: str
    sender_name: str
    sender_address: str
    reply_to: str | None
    list_name: str
    list_id: str                     # e.g. letter.yours.example.org
    feedback_id: str                 # CampaignId:CustomerId:MailType:SenderId (Gmail FBL)
    web_url: str
    service_url: str                 # subscription service base, for unsubscribe/preferences/answers
    return_path: str                 # bounce@domain -> VERP bounce+<token>@domain
    question_id: str | None = None
    answers: int = 0
    default_name: str = "구독자"

    @classmethod
    def from_rendered(cls, rendered: RenderedIssue, **kw) -> "IssueMail":
        return cls(subject=rendered.subject, html=rendered.html, text=rendered.text, **kw)

    def content_hash(self) -> str:
        """Return a hash of what every recipient reads (subject, HTML, text): a proof covers exactly this."""
        h = hashlib.sha256()
        for part in (self.subject, self.html, self.text):
            h.update(part.encode("utf-8"))
            h.update(b"\0")
        return h.hexdigest()[:32]


class Composer:
    """Builds each recipient's message bytes from one IssueMail: skeleton once, values per recipient."""

    def __init__(self, mail: IssueMail, secret: bytes | str, signer: Signer | None = None, *,
                 clock: Callable[[], datetime] | None = None, link_now: datetime | None = None):
        self.mail = mail
        self.secret = secret.encode() if isinstance(secret, str) else secret
        self.signer = signer or Signer(())
        self.clock = clock or (lambda: datetime.now(KST))
        self.link_now = link_now
        sender_domain = mail.sender_address.rpartition("@")[2]
        self.domain = sender_domain
        local, _, rdomain = mail.return_path.partition("@")
        self._verp = (local, rdomain or sender_domain)
        self.boundary = f"=_yours-{mail.issue_id}-{secrets.token_hex(6)}".encode()
        self._text = _split_part(mail.text, escape=False)
        self._html = _split_part(mail.html, escape=True)
        b = self.boundary
        self._open_text = (b"--" + b + b"\r\nContent-Type: text/plain; charset=\"utf-8\"\r\n"
                           b"Content-Transfer-Encoding: quoted-printable\r\n\r\n")
        self._open_html = (b"\r\n--" + b + b"\r\nContent-Type: text/html; charset=\"utf-8\"\r\n"
                           b"Content-Transfer-Encoding: quoted-printable\r\n\r\n")
        self._close = b"\r\n--" + b + b"--\r\n"
        # static headers: emitted bytes and relaxed canonical form, computed once
        self._from = b"From: " + _mailbox(mail.sender_address, mail.sender_name, "From") + b"\r\n"
        self._subject = b"Subject: " + encode_words(mail.subject, "Subject") + b"\r\n"
        self._reply_to = (b"Reply-To: " + _mailbox(mail.reply_to, None, "Reply-To") + b"\r\n") if mail.reply_to else b""
        self._list_id = b"List-Id: " + encode_words(mail.list_name, "List-Id") + b" <" + mail.list_id.encode() + b">\r\n"
        self._post = b"List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"
        self._fbl = b"Feedback-ID: " + mail.feedback_id.encode("ascii") + b"\r\n"
        self._mime = b"MIME-Version: 1.0\r\n"
        self._ctype = b"Content-Type: multipart/alternative;\r\n boundary=\"" + b + b"\"\r\n"
        self._extra = b"X-Newsletter-Issue: " + mail.issue_id.encode() + b"\r\n"
        self._canon = {name: relaxed_header(*line[:-2].split(b": ", 1)) if line else b"" for name, line in {
            "from": self._from, "subject": self._subject, "reply-to": self._reply_to, "list-id": self._list_id,
            "list-unsubscribe-post": self._post, "feedback-id": self._fbl, "mime-version": self._mime,
            "content-type": self._ctype}.items()}
        self._date_cache: tuple[int, bytes] = (-1, b"")
        self._links = _LinkSigner(self.secret)
        self._service = mail.service_url.rstrip("/")
        dump = lambda v: json.dumps(v, ensure_ascii=False)  # noqa: E731
        self._issue_json = dump(str(mail.issue_id))
        self._answer_json = f"{dump(str(mail.issue_id))},{dump(str(mail.question_id))}," if mail.question_id else ""

    # values ---------------------------------------------------------------------------------------

    def values(self, r: Recipient) -> dict[str, str]:
        """Return the placeholder values for one recipient (the same that personalize() would take)."""
        m = self.mail
        now = int((self.link_now.timestamp() if self.link_now else time.time()))
        sid, sign, base = r.subscriber_id, self._links.sign, self._service
        day = 86400
        values = {
            "NAME": (r.name or "").strip() or m.default_name,
            "UNSUBSCRIBE_URL": f"{base}/u/{sign('unsubscribe', sid, self._issue_json, now + UNSUBSCRIBE_DAYS * day)}",
            "PREFERENCES_URL": f"{base}/preferences/{sign('preferences', sid, '', now + PREFERENCES_DAYS * day)}",
            "WEB_URL": m.web_url,
            "CONSENT_DATE": korean_date(r.consent_date) if r.consent_date else "",
        }
        if m.question_id:
            # %%ANSWER_URL_1%% is the first answer button; the link carries the answer's index in the
            # issue's list, from 0, which is what the answer page shows and the store counts
            for index in range(m.answers):
                token = sign('answer', sid, self._answer_json + str(index), now + ANSWER_DAYS * day)
                values[f"ANSWER_URL_{index + 1}"] = f"{base}/a/{token}"
        return values

    def _fill(self, part: _Part, values: dict[str, str], cache: dict) -> list[bytes]:
        out = [part.statics[0]]
        for name, static in zip(part.names, part.statics[1:]):
            key = (name, part.escape)
            enc = cache.get(key)
            if enc is None:
                value = values.get(name)
                if value is None:
                    raise ComposeError(f"제{self.mail.issue_id}호: 자리표시자 %%{name}%%에 넣을 값이 없습니다")
                enc = cache[key] = _qp_value(htmllib.escape(value, quote=True) if part.escape else value)
            out.append(enc)
            out.append(static)
        return out

    def _body_pieces(self, values: dict[str, str]) -> list[bytes]:
        """Return the MIME body as pieces to join (64 KB: every copy of the whole shows in a profile)."""
        cache: dict = {}
        pieces = [self._open_text, *self._fill(self._text, values, cache), self._open_html,
                  *self._fill(self._html, values, cache)]
        # the body ends at the closing boundary: trailing line breaks of the HTML part go
        while pieces and pieces[-1].rstrip(b"\r\n") == b"":
            pieces.pop()
        if pieces:
            pieces[-1] = pieces[-1].rstrip(b"\r\n")
        pieces.append(self._close)
        return pieces

    def body(self, values: dict[str, str]) -> bytes:
        """Return the MIME body (both parts, CRLF) for these placeholder values."""
        return b"".join(self._body_pieces(values))

    def _date(self) -> bytes:
        now = self.clock()
        second = int(now.timestamp())
        if self._date_cache[0] != second:
            self._date_cache = (second, format_datetime(now.astimezone(KST)).encode())
        return self._date_cache[1]

    def message_id(self, subscriber_id: int) -> str:
        """Return the Message-ID of this issue's message to subscriber_id (the same on every retry)."""
        return f"<{message_token(self.secret, self.mail.issue_id, subscriber_id)}@{self.domain}>"

    def envelope_from(self, subscriber_id: int) -> str:
        """Return the VERP return path bounce+<token>@domain, which names the recipient of any bounce."""
        local, domain = self._verp
        return f"{local}+{message_token(self.secret, self.mail.issue_id, subscriber_id)}@{domain}"

    def build(self, r: Recipient, values: dict[str, str] | None = None, *, subject_prefix: str = "") -> Outgoing:
        """Return the signed message to one recipient."""
        values = values if values is not None else self.values(r)
        pieces = self._body_pieces(values)
        token = message_token(self.secret, self.mail.issue_id, r.subscriber_id)
        msgid = f"<{token}@{self.domain}>".encode()
        local, domain = self._verp
        mailto = f"mailto:{local}+u.{token}@{domain}?subject=unsubscribe"
        to = b"To: " + _mailbox(r.address, r.name, "To") + b"\r\n"
        date = b"Date: " + self._date() + b"\r\n"
        mid = b"Message-ID: " + msgid + b"\r\n"
        lu = b"List-Unsubscribe: <" + values["UNSUBSCRIBE_URL"].encode("ascii") + b">,\r\n <" + mailto.encode() + b">\r\n"
        subject = self._subject
        if subject_prefix:
            subject = b"Subject: " + encode_words(subject_prefix + self.mail.subject) + b"\r\n"
        headers = (self._from + to + subject + date + mid + self._reply_to + self._list_id + lu + self._post
                   + self._fbl + self._extra + self._mime + self._ctype)
        if self.signer:
            canon = dict(self._canon)
            canon["to"] = relaxed_header(b"to", to[4:-2])
            canon["date"] = relaxed_header(b"date", date[6:-2])
            canon["message-id"] = relaxed_header(b"message-id", mid[12:-2])
            canon["list-unsubscribe"] = relaxed_header(b"list-unsubscribe", lu[18:-2])
            if subject_prefix:
                canon["subject"] = relaxed_header(b"subject", subject[9:-2])
            seen: set[str] = set()
            signed = []
            for name in SIGNED_HEADERS:
                if name in seen:
                    continue  # an oversigned name stands for a header that is absent: it adds nothing
                seen.add(name)
                signed.append(canon[name])
            headers = self.signer.signature_headers(b"".join(signed), pieces, int(time.time())) + headers
        envelope = f"{local}+{token}@{domain}"
        # headers start with a name or fold with whitespace, MIME lines with "--", the quoted-printable
        # pieces have no line-initial dot (_no_leading_dots): nothing needs dot-stuffing
        return Outgoing(msgid.decode(), envelope, r.address, b"".join([headers, b"\r\n", *pieces]), dot_safe=True)


__all__ = ["ComposeError", "Composer", "IssueMail", "Outgoing", "Recipient", "encode_words", "message_token",
           "parse_message_token"]
