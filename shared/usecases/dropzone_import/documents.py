"""From an extracted file to documents, matching lines and supplier invoices."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from shared.destinations.google_drive import DriveFile
from shared.domain.entities import Document, DocumentStatus, DocumentType
from shared.domain.money import InvalidMoney, Money
from shared.extraction.model import ExtractedDocument
from shared.log import get_logger
from shared.store.dropzone import (
    InvoiceStatus,
    SupplierInvoice,
)
from shared.usecases.dropzone_import.common import _PROP_LIMIT, SOURCE

log = get_logger(__name__)


def _too_large_reason(limit: int, size: int | None = None) -> str:
    mb = f"{size / 1_048_576:.1f} MB" if size is not None else "over the limit"
    return f"The file is {mb}; the limit is {limit / 1_048_576:.0f} MB."


def _clip(text: str) -> str:
    encoded = text.encode("utf-8")
    if len(encoded) <= _PROP_LIMIT:
        return text
    return encoded[: _PROP_LIMIT - 3].decode("utf-8", "ignore") + "..."


def _first_reason(snapshot: Any) -> str:
    reasons = (snapshot.get("match_reasons") if snapshot is not None else None) or []
    return reasons[0] if reasons else "no matching transaction yet"


def _money(extracted: ExtractedDocument) -> Money | None:
    if extracted.total is None:
        return None
    try:
        return Money.parse(extracted.total, extracted.currency or "EUR")
    except InvalidMoney:
        return None


def _document(
    org_id: str,
    doc_id: str,
    extracted: ExtractedDocument,
    file: DriveFile,
    integration_id: str,
    uri: str,
    checksum: str,
    media_type: str,
    now: datetime,
    index: int,
    count: int,
) -> Document:
    return Document(
        id=doc_id,
        organization_id=org_id,
        source=SOURCE,
        checksum=checksum,
        storage_uri=uri,
        media_type=media_type,
        received_at=now,
        status=DocumentStatus.UNMATCHED,
        document_type=DocumentType(extracted.document_type),
        supplier_name=extracted.supplier_name,
        issue_date=extracted.issue_date,
        due_date=extracted.due_date,
        total=_money(extracted),
        invoice_number=extracted.invoice_number,
        fields={"documents": [extracted.to_json(file.name, checksum)]},
        origin={
            "integration_id": integration_id,
            "drive_file_id": file.id,
            "drive_file_name": file.name,
            "drive_md5": file.md5,
            "invoice_index": index,
            "invoices_in_file": count,
            "pages": list(extracted.pages),
        },
    )


def _supplier_invoice(doc: Document, integration_id: str) -> SupplierInvoice:
    stored = (doc.fields.get("documents") or [{}])[0]
    return SupplierInvoice(
        document_id=doc.id,
        organization_id=doc.organization_id,
        supplier_name=doc.supplier_name,
        supplier_vat=stored.get("supplier_vat"),
        invoice_number=doc.invoice_number,
        issue_date=doc.issue_date,
        due_date=doc.due_date,
        total=doc.total,
        status=InvoiceStatus.AWAITING_PAYMENT,
        integration_id=integration_id,
        drive_file_id=doc.origin.get("drive_file_id"),
        drive_file_name=doc.origin.get("drive_file_name"),
        pages=tuple(doc.origin.get("pages", [])),
    )
