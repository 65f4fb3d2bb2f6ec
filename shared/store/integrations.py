"""Firestore repository for export integrations, their status and their export ledger.

Layout (tenant data stays under `organizations/{org_id}`):

- `organizations/{org}/integrations/{integration_id}`: the integration itself
  (`kind` = "export", `destination`, `destination_config`, `active`, `sync_from`,
  `generation`), what ops and users see (`status`, `status_message`, `status_at`,
  `progress` {exported, total, folder_deleted, failed}, `links` {root_folder}) and the run
  bookkeeping (`lease_owner`, `lease_until`, `last_run_id`, `last_completed_run`,
  `last_success_at`).
- `.../integrations/{id}/ledger/{document_id}`: one entry per receipt, the facts the
  self-healing decisions are taken from (`state`, `file_id`, `folder_id`, `folder_key`,
  `folder_epoch`, `name`, `path`, `checksum`, `generation`, `error`, `updated_at`).
- `.../integrations/{id}/folders/{sha256(key)[:32]}`: one record per folder the export
  created (`key` such as "root" or "month|acc-main|2026-11", `folder_id`, `parent_id`,
  `name`, `deleted_ids`: ids of earlier folders for this key that the user deleted;
  their count is the key's epoch, which ledger entries record as `folder_epoch`).

Reconfiguring an integration bumps `generation` and clears the ledger and folder
records: entries of an older generation are ignored even if a deletion was cut short.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

from google.cloud import firestore

from shared.domain.export import (  # noqa: F401 - moved to the domain; re-exported
    DESTINATION_KINDS,
    EXPORT_KIND,
    ExportIntegration,
    FolderRecord,
    IntegrationError,
    LedgerEntry,
    LedgerState,
    Progress,
)
from shared.domain.statuses import IntegrationStatus
from shared.store import leases
from shared.store.connections import keep_rotated_refresh_token, unsealed

# Destination settings that are credentials: kept in `{integration}/private/credentials`.
SECRET_KEYS = frozenset({"access_token", "refresh_token", "client_secret", "app_secret"})


def _utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise IntegrationError("naive datetime refused: instants must carry their timezone")
    return value.astimezone(UTC)


def folder_doc_id(key: str) -> str:
    """Folder keys hold account ids of any shape; a hash is always a valid document id."""
    return hashlib.sha256(key.encode()).hexdigest()[:32]


class IntegrationStore:
    """Integrations, ledger and folder records. Takes the Firestore client of `FirestoreStore`."""

    def __init__(self, db: firestore.Client) -> None:
        self.db = db

    # -- references ---------------------------------------------------------
    def _ref(self, org_id: str, integration_id: str) -> firestore.DocumentReference:
        return (
            self.db.collection("organizations")
            .document(org_id)
            .collection("integrations")
            .document(integration_id)
        )

    def keep_rotated_refresh_token(self, org_id: str, integration_id: str, token: str) -> None:
        keep_rotated_refresh_token(self.db, org_id, integration_id, token)

    # -- integrations -------------------------------------------------------
    def configure_export(
        self,
        org_id: str,
        integration_id: str,
        destination: str,
        destination_config: dict[str, Any],
        sync_from: datetime,
    ) -> ExportIntegration:
        """Create or reconfigure an export integration; returns it with its new generation.

        Reconfiguring forgets the ledger and folder records, so receipts whose folder the
        user deleted are exported again (the only way to bring them back).
        """
        if destination not in DESTINATION_KINDS:
            raise IntegrationError(
                f"destination must be one of {sorted(DESTINATION_KINDS)}, not {destination!r}"
            )
        if not org_id or not integration_id or "/" in org_id + integration_id:
            raise IntegrationError("organization_id and integration_id must be non-empty ids")
        ref = self._ref(org_id, integration_id)
        snap = ref.get()
        previous = (snap.to_dict() or {}) if snap.exists else {}
        generation = int(previous.get("generation") or 0) + 1
        self._clear_children(ref)
        # Tokens stay out of the status document that ops read in the console.
        public_config = {k: v for k, v in destination_config.items() if k not in SECRET_KEYS}
        ref.collection("private").document("credentials").set(
            {k: v for k, v in destination_config.items() if k in SECRET_KEYS}
        )
        ref.set(
            {
                "kind": EXPORT_KIND,
                "destination": destination,
                "destination_config": public_config,
                "sync_from": _utc(sync_from),
                "active": True,
                "generation": generation,
                "status": IntegrationStatus.PENDING,
                "status_message": "waiting for the first export",
                "status_at": firestore.SERVER_TIMESTAMP,
                "progress": Progress().as_dict(),
                "links": {},
                "lease": None,
                "last_completed_run": None,
                "updated_at": firestore.SERVER_TIMESTAMP,
            }
        )
        found = self.get_export(org_id, integration_id)
        assert found is not None
        return found

    def _clear_children(self, ref: firestore.DocumentReference) -> None:
        for name in ("ledger", "folders"):
            while True:
                snaps = list(ref.collection(name).limit(400).stream())
                if not snaps:
                    break
                batch = self.db.batch()
                for snap in snaps:
                    batch.delete(snap.reference)
                batch.commit()

    def deactivate(self, org_id: str, integration_id: str) -> None:
        self._ref(org_id, integration_id).update(
            {
                "active": False,
                "status": IntegrationStatus.DISCONNECTED,
                "status_at": firestore.SERVER_TIMESTAMP,
            }
        )

    def get_export(self, org_id: str, integration_id: str) -> ExportIntegration | None:
        snap = self._ref(org_id, integration_id).get()
        if not snap.exists or (snap.to_dict() or {}).get("kind") != EXPORT_KIND:
            return None
        return self._integration(org_id, snap)

    def _integration(self, org_id: str, snap: Any) -> ExportIntegration:
        d = snap.to_dict()
        progress = d.get("progress") or {}
        return ExportIntegration(
            organization_id=org_id,
            id=snap.id,
            destination=d["destination"],
            destination_config={
                **(d.get("destination_config") or {}),
                **(
                    snap.reference.collection("private").document("credentials").get().to_dict()
                    or {}
                ),
                # Connected through the API's OAuth flow: the sealed refresh token.
                **unsealed(
                    snap.reference.collection("private").document("oauth").get().to_dict(),
                    org_id,
                    snap.id,
                ),
            },
            sync_from=d["sync_from"],
            active=bool(d.get("active")),
            generation=int(d.get("generation") or 1),
            status=d.get("status", "pending"),
            status_message=d.get("status_message", ""),
            progress=Progress(**{k: int(progress.get(k, 0)) for k in Progress().as_dict()}),
            links=dict(d.get("links") or {}),
            last_completed_run=d.get("last_completed_run"),
        )

    def list_active_exports(self) -> Iterator[tuple[str, str]]:
        """(organization_id, integration_id) of every active export integration, all tenants.

        A collection-group query on (kind, active): its index is in infra/export.tf.
        """
        query = (
            self.db.collection_group("integrations")
            .where(filter=firestore.FieldFilter("kind", "==", EXPORT_KIND))
            .where(filter=firestore.FieldFilter("active", "==", True))
        )
        for snap in query.stream():
            org_ref = snap.reference.parent.parent
            if org_ref is None:
                continue
            yield org_ref.id, snap.id

    # -- runs: lease, status, progress -------------------------------------
    def acquire_lease(
        self, org_id: str, integration_id: str, owner: str, until: datetime, now: datetime
    ) -> bool:
        """Take the run lease unless another owner holds an unexpired one."""
        return leases.acquire(self.db, self._ref(org_id, integration_id), owner, until, now)

    def lease_expiry(self, org_id: str, integration_id: str) -> datetime | None:
        """When the current run lease runs out (None when nobody holds it)."""
        snap = self._ref(org_id, integration_id).get()
        lease = ((snap.to_dict() or {}).get("lease") or {}) if snap.exists else {}
        expires = lease.get("expires_at")
        return expires if isinstance(expires, datetime) else None

    def renew_lease(self, org_id: str, integration_id: str, owner: str, until: datetime) -> None:
        """Extend our lease; `LeaseLost` if another worker took it meanwhile."""
        leases.renew(self.db, self._ref(org_id, integration_id), owner, until)

    def release_lease(self, org_id: str, integration_id: str, owner: str) -> None:
        leases.release(self.db, self._ref(org_id, integration_id), owner)

    def set_status(
        self,
        org_id: str,
        integration_id: str,
        status: str,
        message: str = "",
        progress: Progress | None = None,
        **extra: Any,
    ) -> None:
        """Record what the integration shows; `extra` holds run bookkeeping fields."""
        data: dict[str, Any] = {
            "status": status,
            "status_message": message,
            "status_at": firestore.SERVER_TIMESTAMP,
            **extra,
        }
        if progress is not None:
            data["progress"] = progress.as_dict()
        self._ref(org_id, integration_id).update(data)

    def set_link(self, org_id: str, integration_id: str, name: str, url: str) -> None:
        self._ref(org_id, integration_id).update({f"links.{name}": url})

    # -- ledger -------------------------------------------------------------
    def ledger(self, org_id: str, integration_id: str, generation: int) -> dict[str, LedgerEntry]:
        """Every ledger entry of this generation, by document id."""
        out: dict[str, LedgerEntry] = {}
        for snap in self._ref(org_id, integration_id).collection("ledger").stream():
            d = snap.to_dict()
            if int(d.get("generation") or 0) != generation:
                continue
            out[snap.id] = LedgerEntry(
                document_id=snap.id,
                state=LedgerState(d["state"]),
                generation=generation,
                folder_id=d.get("folder_id"),
                folder_key=d.get("folder_key"),
                folder_epoch=int(d.get("folder_epoch") or 0),
                file_id=d.get("file_id"),
                name=d.get("name"),
                path=d.get("path"),
                checksum=d.get("checksum"),
                error=d.get("error"),
            )
        return out

    def put_entry(self, org_id: str, integration_id: str, entry: LedgerEntry) -> None:
        self.put_entries(org_id, integration_id, [entry])

    def put_entries(
        self,
        org_id: str,
        integration_id: str,
        entries: list[LedgerEntry],
        folders: Sequence[FolderRecord] = (),
    ) -> None:
        """Write ledger entries and folder records in batches of 400 (each batch atomic)."""
        ref = self._ref(org_id, integration_id)
        writes = [(ref.collection("folders").document(folder_doc_id(r.key)), _folder_data(r))
                  for r in folders]  # fmt: skip
        writes += [(ref.collection("ledger").document(e.document_id), self._entry_data(e))
                   for e in entries]  # fmt: skip
        for start in range(0, len(writes), 400):
            batch = self.db.batch()
            for doc_ref, data in writes[start : start + 400]:
                batch.set(doc_ref, data)
            batch.commit()

    @staticmethod
    def _entry_data(entry: LedgerEntry) -> dict[str, Any]:
        return {
            "state": entry.state.value,
            "generation": entry.generation,
            "folder_id": entry.folder_id,
            "folder_key": entry.folder_key,
            "folder_epoch": entry.folder_epoch,
            "file_id": entry.file_id,
            "name": entry.name,
            "path": entry.path,
            "checksum": entry.checksum,
            "error": entry.error,
            "updated_at": firestore.SERVER_TIMESTAMP,
        }

    # -- folders ------------------------------------------------------------
    def folders(self, org_id: str, integration_id: str, generation: int) -> dict[str, FolderRecord]:
        out: dict[str, FolderRecord] = {}
        for snap in self._ref(org_id, integration_id).collection("folders").stream():
            d = snap.to_dict()
            if int(d.get("generation") or 0) != generation:
                continue
            out[d["key"]] = FolderRecord(
                key=d["key"],
                folder_id=d.get("folder_id"),
                parent_id=d.get("parent_id"),
                name=d.get("name", ""),
                generation=generation,
                deleted_ids=list(d.get("deleted_ids") or []),
            )
        return out

    def put_folder(self, org_id: str, integration_id: str, record: FolderRecord) -> None:
        self.put_entries(org_id, integration_id, [], [record])


def _folder_data(record: FolderRecord) -> dict[str, Any]:
    return {
        "key": record.key,
        "folder_id": record.folder_id,
        "parent_id": record.parent_id,
        "name": record.name,
        "generation": record.generation,
        "deleted_ids": list(record.deleted_ids),
        "updated_at": firestore.SERVER_TIMESTAMP,
    }
