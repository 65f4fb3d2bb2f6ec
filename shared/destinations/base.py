"""The one interface every export backend implements.

A destination stores files in folders. Callers address folders and files by
the opaque ids the backend returns, and keep those ids in the export ledger:
that is how the export tells "the user deleted this" from "never exported".

Contract (every backend MUST):
- `ensure_folder(parent_id, name)` return the id of the child folder `name`
  of `parent_id` (None = the storage root), creating it if it does not exist.
  Calling it twice returns the same id (no duplicate folders).
- `exists(item_id)` be False for an item that was deleted or trashed by the
  user, True otherwise; never raise for a missing item.
- `find_file(folder_id, name)` return the id of a live file with that exact
  name in that folder, or None (used to adopt a file uploaded by a run that
  crashed before it recorded the id).
- `upload(folder_id, name, data, mime_type, properties)` create a new file and
  return its id. Large payloads use the provider's resumable/session upload.
- `link(item_id)` return a URL a person can open (the "useful links" entry).
- map vendor failures to the `DestinationError` subclasses below, in one
  place per backend; never leak a vendor exception type.
A backend MAY retry transient failures itself (with backoff) before raising
`RetryableError`.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, TypeVar, runtime_checkable

from shared import errors
from shared.errors import AppError, NeedsReconnect, RetryLater, TooLarge

T = TypeVar("T")


class DestinationError(AppError):
    """Base of every destination failure; `status` is what the integration shows."""

    status = "error"


class ReconnectNeeded(DestinationError, NeedsReconnect):
    """Token revoked or expired for good (401, invalid_grant)."""

    status = "reconnect_needed"


class StorageFull(DestinationError, errors.StorageFull):
    """The user's storage quota is exhausted."""

    status = "storage_full"


class RetryableError(DestinationError, RetryLater):
    """Rate limit or server error that outlived the backend's own retries."""

    status = "retrying"


class FileTooLarge(DestinationError, TooLarge):
    """A download was refused because the file exceeds the caller's `max_bytes`."""


class Transient(Exception):
    """A failure worth another attempt; `error` is what to raise once attempts run out."""

    def __init__(self, error: DestinationError, retry_after: float | None = None) -> None:
        super().__init__(str(error))
        self.error = error
        self.retry_after = retry_after


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with full jitter: attempt n waits uniform(0, min(cap, base*2**n)).

    A server's `Retry-After` wins when it is longer. `sleep` and `rng` are injectable
    so tests run without waiting. One policy for every backend.
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
    ) -> T:
        """Run `operation`; `classify` maps each failure to an error to raise or a `Transient`."""
        attempt = 0
        while True:
            try:
                return operation()
            except Exception as exc:  # every vendor failure goes through classify
                mapped = classify(exc)
                if not isinstance(mapped, Transient):
                    raise mapped from exc
                attempt += 1
                if attempt >= self.max_attempts:
                    raise mapped.error from exc
                on_retry()
                self.sleep(self.delay(attempt, mapped.retry_after))


@runtime_checkable
class Destination(Protocol):
    kind: str

    def ensure_folder(self, parent_id: str | None, name: str) -> str: ...

    def exists(self, item_id: str) -> bool: ...

    def find_file(self, folder_id: str, name: str) -> str | None: ...

    def upload(
        self,
        folder_id: str,
        name: str,
        data: bytes,
        mime_type: str,
        properties: dict[str, str] | None = None,
    ) -> str: ...

    def link(self, item_id: str) -> str: ...
