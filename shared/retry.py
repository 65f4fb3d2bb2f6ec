"""The one retry policy for every outbound call (Drive, Dropbox, Twilio, SFTP, SMTP, HTTP...).

An adapter wraps each vendor call in `RetryPolicy.call(operation, classify, what=...)`:
`classify` is the adapter's one place that maps a vendor failure either to the error to
raise (`ReconnectNeeded`, `StorageFull`, ...) or to `Transient(error, retry_after)` ("worth
another attempt; raise `error` once the attempts run out"). The policy waits with
exponential backoff and full jitter, honours a longer `Retry-After`, logs each retry as a
structured warning (`what`, `attempt`, `delay_s`, `error`), and never sleeps for real in
tests (`sleep` and `rng` are injectable).

This module imports nothing of the project's layers: channels and destinations both use it.

>>> policy = RetryPolicy(max_attempts=3, base_delay=1.0, sleep=lambda s: None, rng=lambda: 1.0)
>>> calls = []
>>> def flaky():
...     calls.append(1)
...     if len(calls) < 3:
...         raise ConnectionError("reset")
...     return "ok"
>>> policy.call(flaky, lambda exc: Transient(RuntimeError("gave up")), what="demo")
'ok'
>>> retry_after_seconds("120"), retry_after_seconds(None)
(120.0, None)
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import TypeVar

T = TypeVar("T")

log = logging.getLogger(__name__)


class Transient(Exception):  # noqa: N818 - a signal to the policy, not an error to report
    """A failure worth another attempt; `error` is what to raise once attempts run out."""

    def __init__(self, error: Exception, retry_after: float | None = None) -> None:
        super().__init__(str(error))
        self.error = error
        self.retry_after = retry_after


def retry_after_seconds(value: str | None, now: Callable[[], float] = time.time) -> float | None:
    """A `Retry-After` header (seconds, or an HTTP date) as seconds from now; None if absent
    or unreadable."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - now())
    except (TypeError, ValueError):
        return None


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with full jitter: retry n waits uniform(0, min(cap, base*2**n)).

    A server's `Retry-After` wins when it is longer (up to `max_delay`). `sleep` and `rng`
    are injectable so tests run without waiting.
    """

    max_attempts: int = 7
    base_delay: float = 1.0
    max_delay: float = 32.0
    sleep: Callable[[float], None] = time.sleep
    rng: Callable[[], float] = random.random

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        jittered = self.rng() * min(self.max_delay, self.base_delay * (2**attempt))
        if retry_after is not None:
            return min(self.max_delay, max(float(retry_after), jittered))
        return jittered

    def call(
        self,
        operation: Callable[[], T],
        classify: Callable[[Exception], Exception],
        on_retry: Callable[[], None] = lambda: None,
        *,
        what: str = "outbound call",
    ) -> T:
        """Run `operation`; `classify` maps each failure to an error to raise or a `Transient`."""
        attempt = 0
        while True:
            try:
                return operation()
            except Exception as exc:  # every vendor failure goes through classify
                mapped = classify(exc)
                if mapped is exc:
                    raise
                if not isinstance(mapped, Transient):
                    raise mapped from exc
                attempt += 1
                if attempt >= self.max_attempts:
                    raise mapped.error from exc
                on_retry()
                delay = self.delay(attempt, mapped.retry_after)
                log.warning(
                    "retrying after a transient failure",
                    extra={
                        "what": what,
                        "attempt": attempt,
                        "delay_s": round(delay, 3),
                        "error": str(mapped),
                    },
                )
                self.sleep(delay)
