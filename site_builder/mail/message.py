"""Message building: EmailMessage with policy.SMTP (CRLF), RFC 2047 for Korean words, ASCII addr-specs."""

from __future__ import annotations

import email.policy
import uuid
from datetime import datetime
from email.header import Header
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime

from email_validator import EmailNotValidError, validate_email

from ..config import KST

# policy.SMTP: CRLF line ends, RFC 2047 for non-ASCII header words, lines folded under 78 chars.
POLICY = email.policy.SMTP

_CONTROL = {chr(c) for c in range(32)} | {"\x7f"}

# The longest display name written into From:/To: (a subscriber's name, a stand-in name): the
# subscriber store keeps names of up to 100 characters, and settings are held to the same limit.
NAME_MAX = 100


class AddressError(ValueError):
    """An address that cannot be mailed; `reason` is a Korean sentence for readers."""

    def __init__(self, address: str, reason: str):
        self.address = address
        self.reason = reason
        super().__init__(f"{address!r}: {reason}")


def has_control_chars(text: str) -> bool:
    """Return True when text holds CR, LF or another control character (header injection)."""
    return any(ch in _CONTROL for ch in text)


def check_address(address: str) -> str:
    """Return the normalised, mailable form of address (ASCII local part, A-label domain, lower case).

    Raises AddressError with a Korean reason. Non-ASCII local parts are refused: they need
    SMTPUTF8 end to end, and Python 3.11's email package mis-encodes them instead of refusing.
    """
    address = (address or "").strip()
    if not address:
        raise AddressError(address, "이메일 주소를 입력해 주세요.")
    if len(address) > 254:
        raise AddressError(address[:40], "이메일 주소가 너무 깁니다 (254자 이하).")
    if has_control_chars(address):
        raise AddressError(address, "이메일 주소에 줄바꿈 같은 제어 문자가 들어 있습니다.")
    local, sep, _domain = address.rpartition("@")
    if sep and not local.isascii():
        raise AddressError(
            address,
            "@ 앞부분(로컬 파트)에 한글 등 영문 외 문자가 있는 주소는 받을 수 없습니다. "
            "대부분의 메일 서버가 이런 주소(SMTPUTF8)를 지원하지 않습니다. 영문 주소를 써 주세요.",
        )
    try:
        valid = validate_email(address, check_deliverability=False, allow_smtputf8=False)
    except EmailNotValidError as exc:
        raise AddressError(address, f"올바른 이메일 주소가 아닙니다: {exc}") from None
    # validate_email returns the IDN domain as Unicode in .domain; .ascii_email has A-labels.
    normalised = valid.ascii_email
    if not normalised or not normalised.isascii():
        raise AddressError(address, "영문 외 문자가 있는 주소는 받을 수 없습니다.")
    return normalised.lower()


def format_address(address: str, name: str | None = None) -> Address:
    """Return an Address with an ASCII addr-spec and an optional (Korean) display name."""
    if name and has_control_chars(name):
        raise AddressError(address, "이름에 줄바꿈 같은 제어 문자가 들어 있습니다.")
    addr = check_address(address)
    local, _, domain = addr.rpartition("@")
    return Address(display_name=(name or "").strip(), username=local, domain=domain)


def _encoded_words(name: str, text: str) -> str:
    # CPython 3.11's folder drops the space where it splits a Korean subject into two encoded
    # words ("제12호: 예산" comes back as "제12호:예산"). The legacy Header encoder keeps spaces
    # inside the words, each at most 75 characters; set_raw stores its lines as they are.
    return Header(text, "utf-8", header_name=name).encode(linesep="\r\n")


def _set_text_header(msg: EmailMessage, name: str, text: str) -> None:
    if text.isascii():
        msg[name] = text
    else:
        msg.set_raw(name, _encoded_words(name, text))


def _set_address_header(msg: EmailMessage, name: str, addr: Address) -> None:
    if addr.display_name and not addr.display_name.isascii():
        msg.set_raw(name, f"{_encoded_words(name, addr.display_name)} <{addr.addr_spec}>")
    else:
        msg[name] = addr


def new_message_id(domain: str) -> str:
    """Return a fresh Message-ID on domain."""
    return f"<{uuid.uuid4().hex}@{domain}>"


def build_message(
    *,
    sender: Address | str,
    to: Address | str,
    subject: str,
    text: str,
    html: str | None = None,
    date: datetime | None = None,
    message_id: str | None = None,
    reply_to: Address | str | None = None,
    headers: dict[str, str] | None = None,
) -> EmailMessage:
    """Return a UTF-8 message: text/plain, or multipart/alternative with text before HTML.

    Every header value is checked for CR/LF so no caller can inject a header.
    """
    sender = sender if isinstance(sender, Address) else format_address(sender)
    to = to if isinstance(to, Address) else format_address(to)
    for value in [subject, *(headers or {}).values(), *(headers or {}).keys()]:
        if has_control_chars(value):
            raise AddressError(str(to), f"머리글 값에 제어 문자가 있습니다: {value[:40]!r}")
    msg = EmailMessage(policy=POLICY)
    _set_address_header(msg, "From", sender)
    _set_address_header(msg, "To", to)
    if reply_to:
        _set_address_header(msg, "Reply-To", reply_to if isinstance(reply_to, Address) else format_address(reply_to))
    _set_text_header(msg, "Subject", subject)
    msg["Date"] = format_datetime((date or datetime.now(KST)).astimezone(KST))
    msg["Message-ID"] = message_id or new_message_id(sender.domain)
    for key, value in (headers or {}).items():
        msg[key] = value
    # 7-bit transfer encodings keep lines < 998 octets and survive 8-bit-unsafe relays.
    msg.set_content(text, subtype="plain", charset="utf-8", cte=transfer_encoding(text))
    if html is not None:
        msg.add_alternative(html, subtype="html", charset="utf-8", cte=transfer_encoding(html))
    return msg


def transfer_encoding(text: str) -> str:
    """Return the shorter 7-bit encoding of text: quoted-printable (readable) for mostly-ASCII text such
    as HTML markup, base64 for mostly-Korean text, where quoted-printable writes each of a Hangul
    syllable's three UTF-8 bytes as '=XX' (nine characters a syllable, against four for base64)."""
    size = len(text.encode("utf-8"))
    high = size - len(text.encode("ascii", "ignore"))
    return "base64" if size * 4 / 3 < size + 2 * high else "quoted-printable"
