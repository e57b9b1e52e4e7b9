"""Building the service from the project folder and the environment, for uvicorn."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from ..config import load_config
from ..mail import mailer_from_env
from .app import create_app
from .settings import SubscriptionSettings
from ..db import database_url
from .store import open_store
from .tokens import secret_from_env

ENV_ROOT = "SITE_BUILDER_ROOT"


def app_from_env():
    """Return the ASGI app for the project at $SITE_BUILDER_ROOT (default .); refuses to start without a secret."""
    root = Path(os.environ.get(ENV_ROOT) or ".")
    secret = secret_from_env()   # MissingSecret stops the worker before it binds
    config = load_config(root)
    settings = SubscriptionSettings.from_config(config)
    store = open_store(database_url(config.root))
    mailer = mailer_from_env(config.root)
    logging.getLogger("site_builder.subscribers").info(
        "serving subscriptions for %s; database %s; mail via %r",
        settings.base_url, store.engine.url.render_as_string(hide_password=True), mailer)
    return create_app(settings, store, mailer, secret)
