"""What every Dropzone verb shares: folder names, Drive properties, dependencies, the run report."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from shared.destinations.google_drive import GoogleDrive
from shared.domain.entities import Document
from shared.domain.statuses import RunOutcome
from shared.extraction.intake import MAX_BYTES
from shared.matching.policy import MatchingPolicy
from shared.store.blobs import BlobStore
from shared.store.dropzone import (
    DropzoneIntegration,
    DropzoneRepository,
)
from shared.store.firestore_store import FirestoreStore
from shared.usecases.matching_service import MatchingService

SOURCE = "drive_dropzone"
SUBFOLDERS = {
    "dropzone": "Dropzone",
    "processing": "Processing",
    "matched": "Matched",
    "unsupported": "Unsupported",
}
# The list, narrower than the extraction engine's intake (which also takes HEIC).
SUPPORTED_TYPES = frozenset({"image/jpeg", "image/png", "application/pdf"})
GOOGLE_APPS_PREFIX = "application/vnd.google-apps."
# appProperties written on the user's files (private to our OAuth client).
PROP_STATE = "dropzone_state"
PROP_REASON = "dropzone_reason"
PROP_MATCHED = "dropzone_matched"  # "1/2": invoices attached / invoices in the file
_PROP_LIMIT = 100  # Drive: key + value of one property must fit in 124 bytes


@dataclass
class DropzoneDeps:
    """What a run needs. `drive_for` builds a Drive client for the integration (one per
    run: a `GoogleDrive` is not thread-safe); `blobs` keeps a copy of each supported file
    (documents must outlive the user's Drive)."""

    store: FirestoreStore
    repo: DropzoneRepository
    blobs: BlobStore
    drive_for: Callable[[DropzoneIntegration], GoogleDrive]
    now: Callable[[], datetime] = lambda: datetime.now(UTC)
    policy: MatchingPolicy = field(default_factory=MatchingPolicy)
    # The one matching service; built from `store` and `policy` when not given.
    matching: MatchingService | None = None
    max_bytes: int = MAX_BYTES
    # Called for every document read and kept (documents.approved: the accountant partner
    # space sends it on, once per activation); before the file's record is saved, so a run
    # that dies in between reads the file again and calls it again (idempotent there);
    # and again when a run matches it, so the firms' index record follows the match.
    approved: Callable[[Document], Any] | None = None
    lease_ttl: timedelta = timedelta(minutes=12)  # above the worker's 9-minute timeout
    # Seconds spent reading files before matching and moving what was read: leaves the
    # match and the moves (a few Drive calls per file) well inside the 540 s timeout.
    time_budget: float = 360.0
    clock: Callable[[], float] = time.monotonic

    def matcher(self) -> MatchingService:
        if self.matching is None:
            self.matching = MatchingService(self.store, policy=self.policy)
        return self.matching


@dataclass
class RunReport:
    organization_id: str
    integration_id: str
    outcome: RunOutcome  # done | skipped | broken | reconnect_needed | lease_lost
    detail: str = ""
    seen: int = 0
    unsupported: int = 0
    matched: int = 0  # files moved (or kept) in Matched this run
    processing: int = 0  # files left in Processing
    partial: int = 0  # files with some but not all invoices attached
    attached: int = 0  # documents attached this run
    user_changed: int = 0  # files deleted, moved away or replaced mid-run
    errors: int = 0
    remaining: int = 0  # files not reached within the time budget

    def summary(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k not in ("organization_id",)}
