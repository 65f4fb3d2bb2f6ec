"""What an export run needs (`ExportDeps`) and what it answers (`SyncResult`)."""

from __future__ import annotations

import os
import socket
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

from shared.destinations.base import (
    Destination,
)
from shared.destinations.factory import build_destination
from shared.domain.statuses import RunOutcome
from shared.store.firestore_store import FirestoreStore
from shared.store.integrations import (
    IntegrationStore,
    Progress,
)
from shared.usecases.nightly_export.naming import DEFAULT_PRODUCT_NAME


class Blobs(Protocol):
    def get(self, uri: str) -> bytes: ...


def _now() -> datetime:
    return datetime.now(UTC)


def _worker_id() -> str:
    return f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:8]}"


@dataclass
class ExportDeps:
    """What the use case needs; `shared.runtime`-style wiring lives in the function module.

    `publish_sync(payload)` publishes one message on `exports.sync`.
    `build_destination(kind, config, on_rotated=...)` builds the backend (the factory by
    default); `on_rotated(token)` is called with a refresh token the provider rotated.
    """

    store: FirestoreStore
    integrations: IntegrationStore
    blobs: Blobs
    publish_sync: Callable[[dict[str, Any]], str]
    build_destination: Callable[..., Destination] = build_destination
    product_name: str = DEFAULT_PRODUCT_NAME
    lease_seconds: int = 90
    """Short, and renewed every third of it while the run lives: a worker killed with -9
    (or an instance that vanished) frees the integration within this time."""
    lease_wait_seconds: float = 100.0
    """A delivery that finds the lease held waits for it to run out when that is this close
    (the holder may be dead), then takes over; a later expiry answers `busy` at once."""
    time_budget_seconds: float = 480.0
    checkpoint_every: int = 25
    clock: Callable[[], datetime] = _now
    sleep: Callable[[float], None] = time.sleep
    worker_id: str = field(default_factory=_worker_id)


@dataclass(frozen=True)
class SyncResult:
    """outcome: done | partial | busy | skipped | reconnect_needed | storage_full |
    retrying | error. `uploaded` and `adopted` count this run's files."""

    outcome: RunOutcome
    progress: Progress = Progress()
    uploaded: int = 0
    adopted: int = 0
    message: str = ""
