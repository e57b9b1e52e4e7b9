"""Subscribers: the consent-keeping store, the subscription service, and the links mails carry.

Other modules call:
    open_store(url) -> Store              Store.session() -> Session; Base.metadata for new tables
    database_url(root) -> str             SITE_BUILDER_DATABASE_URL or sqlite:///<root>/subscribers.db
    iter_recipients(session, topics)      subscribed, matching, not suppressed
    is_suppressed(session, address)       suppression list or withdrawn
    suppress_address(session, address, reason, secret=, now=)
    unsubscribe_url / preferences_url / answer_url
"""

from .links import answer_url, manage_url, preferences_url, unsubscribe_url
from .models import (
    PENDING,
    SUBSCRIBED,
    SUPPRESSED,
    UNSUBSCRIBED,
    Answer,
    Base,
    ConfirmationToken,
    DataRequest,
    Question,
    Subscriber,
    SubscriberTopic,
    Suppression,
)
from .service import register_question, suppress_address
from .settings import SubscriptionSettings
from .store import (
    Store,
    apply_migrations,
    count_recipients,
    database_url,
    is_suppressed,
    iter_recipients,
    open_store,
)
from .tokens import MissingSecret, address_hash, secret_from_env

__all__ = [
    "PENDING", "SUBSCRIBED", "SUPPRESSED", "UNSUBSCRIBED",
    "Answer", "Base", "ConfirmationToken", "DataRequest", "MissingSecret", "Question", "Store",
    "Subscriber", "SubscriberTopic", "SubscriptionSettings", "Suppression",
    "address_hash", "answer_url", "apply_migrations", "count_recipients", "database_url", "is_suppressed",
    "iter_recipients", "manage_url", "open_store", "preferences_url", "register_question", "secret_from_env",
    "suppress_address", "unsubscribe_url",
]
