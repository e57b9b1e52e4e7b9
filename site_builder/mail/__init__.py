"""A small mail transport: build RFC 5322 messages and hand them to SMTP or a Maildir outbox.

Used for the subscription service's confirmation mails now and by bulk delivery later.
"""

from .message import AddressError, build_message, check_address, format_address
from .transport import (
    MaildirMailer,
    Mailer,
    MailError,
    SendResult,
    SmtpMailer,
    mailer_from_env,
    mailer_from_url,
)

__all__ = [
    "AddressError",
    "MailError",
    "Mailer",
    "MaildirMailer",
    "SendResult",
    "SmtpMailer",
    "build_message",
    "check_address",
    "format_address",
    "mailer_from_env",
    "mailer_from_url",
]
