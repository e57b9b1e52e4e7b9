"""When to try again: backoff with jitter for network errors and 5xx, the network's own wait for 429s,
and at most `max_wait` seconds of waiting per run; beyond that the row gets `next_retry_at`.

Only `RateLimited` and `Transient` are retried. The clock, the sleep and the randomness are injected,
so tests run instantly and never depend on the machine's speed.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from .channel import RateLimited, Transient

BASE_DELAY = 2.0        # seconds before the second attempt of a Transient failure
MAX_DELAY = 3600.0      # never wait more than an hour between attempts
JITTER = 0.2            # up to +20 %


def backoff(attempts: int, rng: Callable[[], float] = random.random) -> float:
    """Return the delay after `attempts` failed attempts: 2, 4, 8, 16 ... s, capped, plus jitter."""
    delay = min(BASE_DELAY * 2 ** max(0, attempts - 1), MAX_DELAY)
    return delay * (1 + JITTER * rng())


def delay_for(error: Exception, attempts: int, rng: Callable[[], float] = random.random) -> float:
    """Return how long to wait before retrying after error (RateLimited: what the network said, plus jitter)."""
    if isinstance(error, RateLimited):
        return max(0.0, float(error.retry_after)) * (1 + JITTER * rng() / 4) + rng()
    if isinstance(error, Transient):
        return backoff(attempts, rng)
    raise TypeError("only RateLimited and Transient are retried")


@dataclass
class WaitBudget:
    """The waiting one run may still do (shared by every channel of the run)."""

    max_wait: float
    sleep: Callable[[float], None]
    now: Callable[[], datetime]
    waited: float = field(default=0.0)

    @property
    def remaining(self) -> float:
        return max(0.0, self.max_wait - self.waited)

    def wait(self, seconds: float) -> bool:
        """Sleep for seconds and return True if the budget allows; otherwise return False without sleeping."""
        if seconds > self.remaining:
            return False
        self.sleep(seconds)
        self.waited += seconds
        return True

    def later(self, seconds: float) -> datetime:
        """Return the time to try again at, seconds from now."""
        return self.now() + timedelta(seconds=seconds)
