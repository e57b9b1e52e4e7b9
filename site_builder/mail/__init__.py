"""Mail: build RFC 5322 messages and hand them to the relay or a Maildir outbox, with one transport
for the subscription service's mails and for bulk delivery.

    build_message(sender=, to=, subject=, text=, html=) -> EmailMessage; check_address, format_address
    transport_from_env(root, env, outbox) -> SmtpTransport | MaildirOutbox   .connect() -> connection
        connection.send(envelope_from, recipient, data) -> Reply (sent, defer, bounce, policy, ...)
    mailer_from_env(root, env) -> Mailer    Mailer.send(EmailMessage) -> SendResult, or raises MailError
    SmtpSettings.from_url(SITE_BUILDER_SMTP_URL)   the relay's one settings reader
smtplib is imported in mail/smtp.py only (import contract smtp-only-in-mail).
"""

from .maildir import MaildirOutbox
from .message import AddressError, build_message, check_address, format_address
from .replies import AMBIGUOUS, BOUNCE, DEFER, FAIL, POLICY, RETRY, SENT, Reply, classify, enhanced_status
from .settings import ENV_SMTP_URL, SmtpSettings, smtp_settings_from_env
from .smtp import SmtpConnection, SmtpTransport
from .transport import MailError, Mailer, SendResult, Transport, mailer_from_env, transport_from_env

__all__ = [
    "AMBIGUOUS", "BOUNCE", "DEFER", "ENV_SMTP_URL", "FAIL", "POLICY", "RETRY", "SENT",
    "AddressError", "MailError", "Mailer", "MaildirOutbox", "Reply", "SendResult", "SmtpConnection",
    "SmtpSettings", "SmtpTransport", "Transport", "build_message", "check_address", "classify",
    "enhanced_status", "format_address", "mailer_from_env", "smtp_settings_from_env", "transport_from_env",
]
