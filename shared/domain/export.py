"""Export integrations: the record, its progress, and the ledger of exported receipts and folders."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from shared.errors import Invalid

EXPORT_KIND = "export"
DESTINATION_KINDS = frozenset({"local_folder", "google_drive", "dropbox"})


class IntegrationError(Invalid):
    """An integration record or request is invalid; the message names the field at fault."""


class LedgerState(enum.StrEnum):
    UPLOADING = "uploading"  # intent recorded, upload may or may not have happened
    EXPORTED = "exported"  # `file_id` holds the exported file
    FOLDER_DELETED = "folder_deleted"  # the user deleted its folder: never re-exported
    FAILED = "failed"  # a permanent error for this receipt (see `error`); retried next run


@dataclass(frozen=True)
class Progress:
    exported: int = 0
    total: int = 0
    folder_deleted: int = 0
    failed: int = 0

    def as_dict(self) -> dict[str, int]:
        return {
            "exported": self.exported,
            "total": self.total,
            "folder_deleted": self.folder_deleted,
            "failed": self.failed,
        }


@dataclass(frozen=True)
class ExportIntegration:
    organization_id: str
    id: str
    destination: str  # local_folder | google_drive | dropbox
    destination_config: dict[str, Any] = field(repr=False)  # may hold an access token
    sync_from: datetime
    active: bool = True
    generation: int = 1
    status: str = "pending"
    status_message: str = ""
    progress: Progress = Progress()
    links: dict[str, str] = field(default_factory=dict)
    last_completed_run: str | None = None


@dataclass
class LedgerEntry:
    document_id: str
    state: LedgerState
    generation: int
    folder_id: str | None = None
    folder_key: str | None = None
    folder_epoch: int = 0  # deletions of `folder_key` seen when this entry was written
    file_id: str | None = None
    name: str | None = None
    path: str | None = None
    checksum: str | None = None
    error: str | None = None


@dataclass
class FolderRecord:
    """The folder the export uses for `key`; `folder_id` is None after the user deleted it.

    `deleted_ids` lists the ids of folders for this key that the user deleted; its length
    is the key's epoch, which ledger entries carry: an entry written in an older epoch
    lived in a deleted folder, even when a backend reuses ids (local paths).
    """

    key: str
    folder_id: str | None
    parent_id: str | None
    name: str
    generation: int
    deleted_ids: list[str] = field(default_factory=list)
