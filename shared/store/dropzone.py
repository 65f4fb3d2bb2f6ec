"""Firestore repository of the Google Drive Dropzone import.

Collections (all under the tenant, see docs/DATA_MODEL.md for the shared ones):

- `organizations/{org}/integrations/{integration_id}` with `kind = "drive_dropzone"`:
  `status` (`active`, `broken: disconnect and reconnect`, `reconnect_needed`,
  `disconnected`), `status_detail`, `folders` (root, dropzone, processing, matched,
  unsupported: Drive ids), `links` (`root`: a URL a person can open), `lease`
  (`holder`, `expires_at`), `last_run` (counts of the last finished run), `connected_at`,
  `updated_at`.
- `.../integrations/{integration_id}/private/oauth`: the Drive OAuth tokens, kept out of the
  status document so that reading the status never reads a secret.
- `.../integrations/{integration_id}/dropzone_files/{drive_file_id}`: one record per Drive
  file seen: `name`, `md5`, `size`, `state` (see `FileState`), `reason` (user-facing),
  `refusal_code`, `document_ids`, `matched_document_ids`, `checksum` (sha256),
  `storage_uri`, `media_type`, `folder` (where we last put it), `attempts`, `updated_at`.
  Keyed by the Drive file id; `md5` tells a replaced content from the one we read.
- `organizations/{org}/supplier_invoices/{document_id}`: the supplier invoices read from
  the Dropzone (sales invoices are never recorded here): `supplier_name`, `supplier_vat`,
  `invoice_number`, `issue_date`, `due_date` (ISO dates), `total_minor`, `total_currency`,
  `status` (`awaiting_payment`, `paid`), `transaction_id`, `integration_id`,
  `drive_file_id`, `drive_file_name`, `pages`, `created_at`, `paid_at`.

The lease is the run's mutual exclusion: it is taken and renewed in Firestore
transactions, and carries an expiry so that a crashed run does not block the next one.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from google.api_core import exceptions as gexc
from google.cloud import firestore

from shared.domain.dropzone import (  # noqa: F401 - moved to the domain; re-exported
    DEFAULT_INTEGRATION_ID,
    FOLDER_ROLES,
    KIND,
    DropzoneIntegration,
    FileState,
    IntegrationStatus,
    InvoiceStatus,
    SupplierInvoice,
)
from shared.domain.entities import Document, DocumentStatus
from shared.domain.money import Money
from shared.store import leases
from shared.store.connections import keep_rotated_refresh_token, unsealed
from shared.store.firestore_store import FirestoreStore


@dataclass
class FileRecord:
    file_id: str
    name: str
    md5: str | None
    size: int | None
    state: FileState
    reason: str = ""
    refusal_code: str | None = None
    document_ids: list[str] = field(default_factory=list)
    matched_document_ids: list[str] = field(default_factory=list)
    checksum: str | None = None
    storage_uri: str | None = None
    media_type: str | None = None
    folder: str | None = None
    attempts: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "md5": self.md5,
            "size": self.size,
            "state": self.state.value,
            "reason": self.reason,
            "refusal_code": self.refusal_code,
            "document_ids": list(self.document_ids),
            "matched_document_ids": list(self.matched_document_ids),
            "checksum": self.checksum,
            "storage_uri": self.storage_uri,
            "media_type": self.media_type,
            "folder": self.folder,
            "attempts": self.attempts,
            "updated_at": firestore.SERVER_TIMESTAMP,
        }

    @classmethod
    def from_dict(cls, file_id: str, d: dict[str, Any]) -> FileRecord:
        return cls(
            file_id=file_id,
            name=d.get("name", ""),
            md5=d.get("md5"),
            size=d.get("size"),
            state=FileState(d["state"]),
            reason=d.get("reason", ""),
            refusal_code=d.get("refusal_code"),
            document_ids=list(d.get("document_ids", [])),
            matched_document_ids=list(d.get("matched_document_ids", [])),
            checksum=d.get("checksum"),
            storage_uri=d.get("storage_uri"),
            media_type=d.get("media_type"),
            folder=d.get("folder"),
            attempts=int(d.get("attempts", 0)),
        )


def _as_utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("naive datetime refused: instants must carry their timezone")
    return value.astimezone(UTC)


class DropzoneRepository:
    """Dropzone state in Firestore, next to (and sharing the client of) `FirestoreStore`."""

    def __init__(self, store: FirestoreStore) -> None:
        self.store = store
        self.db = store.db

    # -- references ---------------------------------------------------------
    def _org(self, org_id: str) -> firestore.DocumentReference:
        return self.db.collection("organizations").document(org_id)

    def _integration(self, org_id: str, integration_id: str) -> firestore.DocumentReference:
        return self._org(org_id).collection("integrations").document(integration_id)

    def _files(self, org_id: str, integration_id: str) -> firestore.CollectionReference:
        return self._integration(org_id, integration_id).collection("dropzone_files")

    def _invoice(self, org_id: str, document_id: str) -> firestore.DocumentReference:
        return self._org(org_id).collection("supplier_invoices").document(document_id)

    # -- integration --------------------------------------------------------
    def save_connection(
        self,
        org_id: str,
        integration_id: str,
        folders: dict[str, str],
        links: dict[str, str],
        oauth: dict[str, str] | None,
        now: datetime,
    ) -> None:
        """(Re)connect: active status, fresh folder ids, no lease. Files and invoices stay."""
        missing = [role for role in FOLDER_ROLES if not folders.get(role)]
        if missing:
            raise ValueError(f"folder ids missing for: {', '.join(missing)}")
        ref = self._integration(org_id, integration_id)
        ref.set(
            {
                "kind": KIND,
                "status": IntegrationStatus.ACTIVE.value,
                "status_detail": "",
                "folders": dict(folders),
                "links": dict(links),
                "lease": None,
                "connected_at": _as_utc(now),
                "updated_at": _as_utc(now),
            },
            merge=True,
        )
        if oauth is not None:
            ref.collection("private").document("oauth").set(dict(oauth))

    def get_integration(self, org_id: str, integration_id: str) -> DropzoneIntegration | None:
        snap = self._integration(org_id, integration_id).get()
        if not snap.exists:
            return None
        d = snap.to_dict() or {}
        if d.get("kind") != KIND:
            raise ValueError(f"integration {integration_id} is a {d.get('kind')!r}, not {KIND}")
        return DropzoneIntegration(
            organization_id=org_id,
            id=integration_id,
            status=IntegrationStatus(d["status"]),
            folders=dict(d.get("folders") or {}),
            status_detail=d.get("status_detail", ""),
            links=dict(d.get("links") or {}),
            last_run=dict(d.get("last_run") or {}),
        )

    def get_oauth(self, org_id: str, integration_id: str) -> dict[str, str]:
        snap = self._integration(org_id, integration_id).collection("private").document("oauth")
        got = snap.get()
        # Connected through the API's OAuth flow: the refresh token is sealed at rest.
        return unsealed(got.to_dict(), org_id, integration_id) if got.exists else {}

    def keep_rotated_refresh_token(self, org_id: str, integration_id: str, token: str) -> None:
        keep_rotated_refresh_token(self.db, org_id, integration_id, token)

    def set_status(
        self,
        org_id: str,
        integration_id: str,
        status: IntegrationStatus,
        detail: str,
        now: datetime,
    ) -> None:
        self._integration(org_id, integration_id).update(
            {"status": status.value, "status_detail": detail, "updated_at": _as_utc(now)}
        )

    def record_run(self, org_id: str, integration_id: str, summary: dict[str, Any]) -> None:
        self._integration(org_id, integration_id).update(
            {"last_run": summary, "updated_at": firestore.SERVER_TIMESTAMP}
        )

    def list_active(self) -> list[tuple[str, str]]:
        """(organization id, integration id) of every active Dropzone integration.

        A collection-group query: needs the composite index declared in infra/dropzone.tf.
        """
        query = (
            self.db.collection_group("integrations")
            .where(filter=firestore.FieldFilter("kind", "==", KIND))
            .where(filter=firestore.FieldFilter("status", "==", IntegrationStatus.ACTIVE.value))
        )
        out = []
        for snap in query.stream():
            org_ref = snap.reference.parent.parent
            if org_ref is not None:
                out.append((org_ref.id, snap.id))
        return sorted(out)

    # -- lease --------------------------------------------------------------
    def acquire_lease(
        self, org_id: str, integration_id: str, holder: str, now: datetime, ttl: timedelta
    ) -> bool:
        """Take the run lease if it is free or expired. False if another live run holds it
        or the integration is not active (disconnected or broken runs never start)."""
        return leases.acquire(
            self.db,
            self._integration(org_id, integration_id),
            holder,
            now + ttl,
            now,
            may_start=lambda data: data.get("status") == IntegrationStatus.ACTIVE.value,
        )

    def renew_lease(
        self, org_id: str, integration_id: str, holder: str, now: datetime, ttl: timedelta
    ) -> None:
        """Extend our lease; `LeaseLost` if it expired and another run took it, or if the
        integration was disconnected or found broken meanwhile."""

        def stop_reason(data: dict[str, Any]) -> str | None:
            status = data.get("status")
            return None if status == IntegrationStatus.ACTIVE.value else f"integration is {status}"

        leases.renew(
            self.db, self._integration(org_id, integration_id), holder, now + ttl, stop_reason
        )

    def release_lease(self, org_id: str, integration_id: str, holder: str) -> None:
        leases.release(self.db, self._integration(org_id, integration_id), holder)

    # -- run keys (redelivered run messages) --------------------------------
    def run_done(self, key: str) -> bool:
        """True once `mark_run_done(key)` was called (an `idempotency_keys` entry)."""
        doc_id = hashlib.sha256(key.encode()).hexdigest()
        return self.db.collection("idempotency_keys").document(doc_id).get().exists

    def mark_run_done(self, key: str, **info: Any) -> None:
        self.store.claim(key, **info)

    # -- file records -------------------------------------------------------
    def get_files(
        self, org_id: str, integration_id: str, file_ids: Iterable[str]
    ) -> dict[str, FileRecord]:
        refs = [self._files(org_id, integration_id).document(fid) for fid in file_ids]
        if not refs:
            return {}
        return {
            snap.id: FileRecord.from_dict(snap.id, snap.to_dict() or {})
            for snap in self.db.get_all(refs)
            if snap.exists
        }

    def save_file(self, org_id: str, integration_id: str, record: FileRecord) -> None:
        self._files(org_id, integration_id).document(record.file_id).set(record.to_dict())

    def list_files(self, org_id: str, integration_id: str) -> list[FileRecord]:
        return [
            FileRecord.from_dict(snap.id, snap.to_dict() or {})
            for snap in self._files(org_id, integration_id).stream()
        ]

    # -- documents (outcome fields only; the rest is FirestoreStore's) ------
    def get_document_snapshots(self, org_id: str, document_ids: Iterable[str]) -> dict[str, Any]:
        """Raw document snapshots by id, in one batched read (missing ids are left out)."""
        refs = [self._org(org_id).collection("documents").document(d) for d in document_ids]
        if not refs:
            return {}
        return {snap.id: snap for snap in self.db.get_all(refs) if snap.exists}

    def get_documents(self, org_id: str, document_ids: Iterable[str]) -> dict[str, Document]:
        """Documents by id in one batched read, mapped like `FirestoreStore.get_document`."""
        return {
            doc_id: self.store._document(org_id, snap)  # the one mapping of documents
            for doc_id, snap in self.get_document_snapshots(org_id, document_ids).items()
        }

    def set_match_outcome(
        self,
        org_id: str,
        document_id: str,
        score: float | None,
        reasons: list[str],
        flags: list[str],
    ) -> None:
        """Record why an unmatched document stays unmatched (never touches a matched one)."""
        ref = self._org(org_id).collection("documents").document(document_id)

        @firestore.transactional
        def update(transaction: firestore.Transaction) -> None:
            snap = ref.get(transaction=transaction)
            if not snap.exists or snap.get("status") == DocumentStatus.MATCHED.value:
                return
            transaction.update(
                ref,
                {
                    "status": DocumentStatus.UNMATCHED.value,
                    "match_score": score,
                    "match_reasons": list(reasons),
                    "match_flags": list(flags),
                },
            )

        update(self.db.transaction())

    # -- supplier invoices --------------------------------------------------
    def create_supplier_invoice(self, invoice: SupplierInvoice, now: datetime) -> bool:
        """Create once (keyed by document id); False if it already exists."""
        total = invoice.total
        try:
            self._invoice(invoice.organization_id, invoice.document_id).create(
                {
                    "supplier_name": invoice.supplier_name,
                    "supplier_vat": invoice.supplier_vat,
                    "invoice_number": invoice.invoice_number,
                    "issue_date": invoice.issue_date.isoformat() if invoice.issue_date else None,
                    "due_date": invoice.due_date.isoformat() if invoice.due_date else None,
                    "total_minor": total.minor_units if total else None,
                    "total_currency": total.currency if total else None,
                    "status": invoice.status.value,
                    "transaction_id": invoice.transaction_id,
                    "integration_id": invoice.integration_id,
                    "drive_file_id": invoice.drive_file_id,
                    "drive_file_name": invoice.drive_file_name,
                    "pages": list(invoice.pages),
                    "created_at": _as_utc(now),
                    "paid_at": None,
                }
            )
            return True
        except gexc.AlreadyExists:
            return False

    def mark_invoice_paid(
        self, org_id: str, document_id: str, transaction_id: str, now: datetime
    ) -> None:
        ref = self._invoice(org_id, document_id)
        try:
            ref.update(
                {
                    "status": InvoiceStatus.PAID.value,
                    "transaction_id": transaction_id,
                    "paid_at": _as_utc(now),
                }
            )
        except gexc.NotFound:
            pass  # a receipt or a sales document: no supplier invoice to settle

    def get_supplier_invoice(self, org_id: str, document_id: str) -> SupplierInvoice | None:
        snap = self._invoice(org_id, document_id).get()
        return self._supplier_invoice(org_id, snap) if snap.exists else None

    def list_supplier_invoices(
        self, org_id: str, status: InvoiceStatus | None = None
    ) -> list[SupplierInvoice]:
        query = self._org(org_id).collection("supplier_invoices")
        if status is not None:
            query = query.where(filter=firestore.FieldFilter("status", "==", status.value))
        return [self._supplier_invoice(org_id, snap) for snap in query.stream()]

    def list_awaiting_payment(self, org_id: str) -> list[SupplierInvoice]:
        """Supplier invoices not paid yet, earliest due date first (undated ones last),
        so that payments can be planned."""
        invoices = self.list_supplier_invoices(org_id, InvoiceStatus.AWAITING_PAYMENT)
        return sorted(
            invoices,
            key=lambda i: (i.due_date is None, i.due_date or date.max, i.document_id),
        )

    @staticmethod
    def _supplier_invoice(org_id: str, snap: Any) -> SupplierInvoice:
        d = snap.to_dict()
        minor, currency = d.get("total_minor"), d.get("total_currency")
        return SupplierInvoice(
            document_id=snap.id,
            organization_id=org_id,
            supplier_name=d.get("supplier_name"),
            supplier_vat=d.get("supplier_vat"),
            invoice_number=d.get("invoice_number"),
            issue_date=date.fromisoformat(d["issue_date"]) if d.get("issue_date") else None,
            due_date=date.fromisoformat(d["due_date"]) if d.get("due_date") else None,
            total=Money.from_minor(minor, currency) if minor is not None and currency else None,
            status=InvoiceStatus(d["status"]),
            transaction_id=d.get("transaction_id"),
            integration_id=d.get("integration_id"),
            drive_file_id=d.get("drive_file_id"),
            drive_file_name=d.get("drive_file_name"),
            pages=tuple(d.get("pages", [])),
        )
