"""Delivery: crash-safe, resumable, fast sending of newsletter issues, and bounce processing.

    send_issue(store, composer, transport, issue_id=..., secret=...) -> SendReport
    Composer(IssueMail, secret, Signer(keys)).build(Recipient) -> Outgoing (CRLF bytes, DKIM-signed)
    process_maildir(store, path, secret=...) -> BounceReport
The ledger (deliveries, delivery_issues) lives in the subscribers database, on its shared metadata.
"""

from .compose import ComposeError, Composer, IssueMail, Outgoing, Recipient, message_token, parse_message_token
from .dkim import DkimKey, Signer, key_from_pem, load_key
from .engine import Clock, DeliveryError, RetryPolicy, SendReport, send_issue
from .ledger import STATES, Delivery, DeliveryIssue, LeaseError, counts, open_ledger
from .settings import DeliverySettings
from .transport import MaildirOutbox, SmtpSettings, SmtpTransport, classify, transport_from_env

__all__ = [
    "STATES", "Clock", "ComposeError", "Composer", "DeliveryError", "DeliverySettings", "Delivery", "DeliveryIssue",
    "DkimKey", "IssueMail", "LeaseError", "MaildirOutbox", "Outgoing", "Recipient", "RetryPolicy", "SendReport",
    "Signer", "SmtpSettings", "SmtpTransport", "classify", "counts", "key_from_pem", "load_key", "message_token",
    "open_ledger", "parse_message_token", "send_issue", "transport_from_env",
]
