"""The retry schedule and batch size: plain values that settings, engine and `site-builder check` share
(this module imports nothing heavy, so checking the settings does not load the engine)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta

# Rows handed to one connection at a time: a crash leaves at most this many per connection `unknown`.
DEFAULT_BATCH = 50


@dataclass(frozen=True)
class RetryPolicy:
    """Growing backoff for 4xx answers and lost connections, until a cut-off after the first send."""

    first: timedelta = timedelta(minutes=5)
    factor: float = 2.0
    longest: timedelta = timedelta(hours=4)
    give_up: timedelta = timedelta(hours=72)
    wait: timedelta = timedelta(minutes=15)   # wait in-process for retries due within this; else stop
    connect_attempts: int = 3                 # immediate reconnections before a message is deferred

    def delay(self, attempts: int) -> timedelta:
        base = self.first.total_seconds() * (self.factor ** max(0, attempts - 1))
        base = min(base, self.longest.total_seconds())
        return timedelta(seconds=base * random.uniform(0.9, 1.1))


__all__ = ["DEFAULT_BATCH", "RetryPolicy"]
