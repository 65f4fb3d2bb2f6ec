"""Whether an exception is the infrastructure failing for now, rather than one item that
cannot be handled: a batch job retries the whole run for the first (Pub/Sub redelivers) and
sets the item aside for the second, so that one bad item never blocks the others."""

from __future__ import annotations

from google.api_core import exceptions as gexc

_TRANSIENT: tuple[type[BaseException], ...] = (
    gexc.ServerError,  # 5xx: unavailable, internal, deadline exceeded
    gexc.TooManyRequests,  # 429 / resource exhausted
    gexc.Aborted,  # a transaction lost a race: try again
    gexc.RetryError,  # the client's own retries ran out
    OSError,  # the network: connection refused or reset, timeouts
)


def transient(exc: BaseException) -> bool:
    return isinstance(exc, _TRANSIENT)
