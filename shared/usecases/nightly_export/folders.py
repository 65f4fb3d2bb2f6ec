"""The folder tree of an export (product root / company / account / month), from the ledger."""

from __future__ import annotations

from typing import TYPE_CHECKING

from shared.destinations.base import (
    DestinationError,
    ReconnectNeeded,
    RetryableError,
    StorageFull,
)
from shared.log import get_logger
from shared.store.integrations import (
    FolderRecord,
    LedgerEntry,
)

log = get_logger(__name__)

if TYPE_CHECKING:
    from shared.usecases.nightly_export.run import _Run


class _Folders:
    """Folder records for one run: find-or-create, each verified at most once per run."""

    def __init__(self, run: _Run, records: dict[str, FolderRecord]) -> None:
        self.run = run
        self.records = records
        self.verified: set[str] = set()
        self.created: set[str] = set()
        self.listings: dict[str, dict[str, str] | None] = {}  # folder id -> {file name: file id}

    def epoch(self, key: str) -> int:
        record = self.records.get(key)
        return len(record.deleted_ids) if record else 0

    def resolve(self, path: list[tuple[str, str]]) -> str:
        parent: str | None = None
        for key, name in path:
            parent = self._ensure(key, name, parent)
        assert parent is not None
        return parent

    def _ensure(self, key: str, name: str, parent_id: str | None) -> str:
        record = self.records.get(key)
        if record is not None and record.folder_id is not None:
            if key in self.verified and record.parent_id == parent_id:
                return record.folder_id
            if record.parent_id == parent_id and self.run.dest.exists(record.folder_id):
                self.verified.add(key)
                return record.folder_id
            # Gone, or its parent was re-created (so it went with the old parent).
            self._mark_deleted(record)
        folder_id = self.run.dest.ensure_folder(parent_id, name)
        record = FolderRecord(
            key=key,
            folder_id=folder_id,
            parent_id=parent_id,
            name=name,
            generation=self.run.integration.generation,
            deleted_ids=list(record.deleted_ids) if record else [],
        )
        self.records[key] = record
        self.run.record_folder(record)
        self.verified.add(key)
        self.created.add(key)
        return folder_id

    def listing(self, folder_id: str) -> dict[str, str] | None:
        """{file name: file id} of a folder's live files, listed once per run, or None
        when the backend cannot list (then callers ask per file). A folder that cannot
        be listed (deleted) lists as empty: callers then check the folder itself."""
        if folder_id not in self.listings:
            try:
                listed = self.run.dest.list_files(folder_id)
            except (ReconnectNeeded, StorageFull, RetryableError):
                raise
            except DestinationError:
                listed = {}
            self.listings[folder_id] = listed
        if self.listings[folder_id] is None:
            return None
        return self.listings[folder_id]

    def find_file(self, folder_id: str, name: str) -> str | None:
        """`Destination.find_file`, from the folder's listing where there is one."""
        listing = self.listing(folder_id)
        if listing is None:
            return self.run.dest.find_file(folder_id, name)
        return listing.get(name)

    def file_alive(self, folder_id: str | None, file_id: str) -> bool:
        """Whether an exported file still exists: one listing per folder, and a direct
        check only for files not listed there (moved elsewhere by the user, or gone)."""
        listing = self.listing(folder_id) if folder_id else None
        if listing is not None and file_id in listing.values():
            return True
        return self.run.dest.exists(file_id)

    def uploaded(self, folder_id: str, name: str, file_id: str) -> None:
        listing = self.listings.get(folder_id)
        if listing is not None:
            listing[name] = file_id

    def _mark_deleted(self, record: FolderRecord) -> None:
        assert record.folder_id is not None
        log.info(
            "export folder deleted by the user",
            organization_id=self.run.org_id,
            integration_id=self.run.integration.id,
            folder_key=record.key,
            folder_id=record.folder_id,
        )
        record.deleted_ids.append(record.folder_id)
        record.folder_id = None
        self.verified.discard(record.key)
        self.run.record_folder(record)

    def still_holds(self, entry: LedgerEntry) -> bool:
        """Whether the folder an entry was exported into still exists (checked once per run)."""
        key, folder_id = entry.folder_key, entry.folder_id
        if key is None or folder_id is None:
            return False
        record = self.records.get(key)
        if record is None:
            return self.run.dest.exists(folder_id)
        if entry.folder_epoch < self.epoch(key):
            return False
        if record.folder_id != folder_id:
            return self.run.dest.exists(folder_id)
        if key in self.verified:
            return True
        if self.run.dest.exists(folder_id):
            self.verified.add(key)
            return True
        self._mark_deleted(record)
        return False
