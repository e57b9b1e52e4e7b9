"""Subscribers: the consent-keeping store, the subscription service, and the links mails carry.

Other packages (delivery, commands) use only the names below (import contract `subscribers-public`):
    open_store(url) -> db.Store           the shared database (url: db.database_url(root)), migrated
    iter_recipients(session, topics)      subscribed, matching, not suppressed; count_recipients
    is_suppressed(session, address)       suppression list or withdrawn
    suppress_address(session, address, reason, secret=, now=); withdraw(session, id, method, now)
    Subscriber, Suppression, ...          the tables, for queries joined to a ledger
    unsubscribe_url / preferences_url / answer_url, their lifetimes (*_DAYS), service_base_url
"""

from .links import (
    ANSWER_DAYS,
    PREFERENCES_DAYS,
    UNSUBSCRIBE_DAYS,
    answer_url,
    manage_url,
    preferences_url,
    service_base_url,
    unsubscribe_url,
)
from .models import (
    PENDING,
    SUBSCRIBED,
    SUPPRESSED,
    UNSUBSCRIBED,
    Answer,
    ConfirmationToken,
    DataRequest,
    Question,
    Subscriber,
    SubscriberTopic,
    Suppression,
)
from .service import register_question, suppress_address, withdraw
from .settings import SubscriptionSettings
from .store import count_recipients, is_suppressed, iter_recipients, open_store
from .tokens import MissingSecret, address_hash, secret_from_env

__all__ = [
    "ANSWER_DAYS", "PENDING", "PREFERENCES_DAYS", "SUBSCRIBED", "SUPPRESSED", "UNSUBSCRIBED", "UNSUBSCRIBE_DAYS",
    "Answer", "ConfirmationToken", "DataRequest", "MissingSecret", "Question",
    "Subscriber", "SubscriberTopic", "SubscriptionSettings", "Suppression",
    "address_hash", "answer_url", "count_recipients", "is_suppressed",
    "iter_recipients", "manage_url", "open_store", "preferences_url", "register_question", "secret_from_env",
    "service_base_url", "suppress_address", "unsubscribe_url", "withdraw",
]
