"""What goes with each exported document: path variables and the index record.

The index record lets an accounting import read the document without OCR: date,
supplier, number, amounts and VAT per rate (decimal strings, never floats), currency,
the matched transaction and the file name. `index_csv` writes the same records as CSV
(one header, one line per document; `;` separated as French accounting tools expect).
`index_revision` names one state of a record: when it changes after the document was
delivered (matched to its payment later, detached), the firm gets the record again.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import mimetypes
from collections.abc import Iterable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from shared.domain.entities import Document, DocumentType, Organization

INDEX_FIELDS = (
    "document_id",
    "doc_type",
    "document_kind",
    "date",
    "supplier",
    "supplier_vat",
    "number",
    "total",
    "net",
    "vat",
    "vat_rates",
    "currency",
    "transaction_id",
    "file_name",
)
_EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}


def _first_fields(document: Document) -> dict[str, Any]:
    docs = (document.fields or {}).get("documents") or []
    return docs[0] if docs and isinstance(docs[0], dict) else {}


def doc_type(document: Document, company: Organization) -> str:
    """AR when the company issued the document (a sale), AP otherwise (a purchase)."""
    fields = _first_fields(document)
    own = {v for v in (company.vat, company.siren) if v}
    issuer = {fields.get("supplier_vat"), fields.get("supplier_siren")} - {None}
    return "AR" if own & issuer else "AP"


def document_date(document: Document) -> date:
    return document.issue_date or document.received_at.date()


def extension(document: Document) -> str:
    media = document.media_type or ""
    return _EXTENSIONS.get(media) or (mimetypes.guess_extension(media) or ".bin").lstrip(".")


def path_values(
    document: Document, company: Organization, external_id: str | None = None
) -> dict[str, str]:
    """The values of every path variable for one document of one client."""
    day = document_date(document)
    return {
        "client_name": company.legal_name,
        "client_vat": company.vat or "",
        "client_siren": company.siren or "",
        "external_id": external_id or "",
        "year": f"{day.year:04d}",
        "month": f"{day.month:02d}",
        "day": f"{day.day:02d}",
        "date": day.isoformat(),
        "doc_type": doc_type(document, company),
        "doc_number": document.invoice_number or "",
        "supplier": document.supplier_name or "",
        "document_id": document.id,
        "ext": extension(document),
    }


def _decimal(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value)) if value not in (None, "") else None
    except InvalidOperation:
        return None


def index_record(document: Document, company: Organization, file_name: str) -> dict[str, Any]:
    """The JSON index record of one document (amounts as decimal strings)."""
    fields = _first_fields(document)
    rates = {str(k): str(v) for k, v in (fields.get("vat_amounts") or {}).items()}
    vat_values = [d for d in (_decimal(v) for v in rates.values()) if d is not None]
    vat = sum(vat_values, Decimal(0)) if vat_values else None
    total = document.total.amount if document.total else _decimal(fields.get("total"))
    currency = document.total.currency if document.total else fields.get("currency")
    net = total - vat if total is not None and vat is not None else None
    kind = document.document_type or DocumentType(fields.get("document_type") or "receipt")
    return {
        "document_id": document.id,
        "doc_type": doc_type(document, company),
        "document_kind": str(kind),
        "date": document_date(document).isoformat(),
        "supplier": document.supplier_name,
        "supplier_vat": fields.get("supplier_vat"),
        "number": document.invoice_number,
        "total": None if total is None else str(total),
        "net": None if net is None else str(net),
        "vat": None if vat is None else str(vat),
        "vat_rates": rates,
        "currency": currency,
        "transaction_id": document.transaction_id,
        "file_name": file_name,
    }


def index_revision(record: dict[str, Any]) -> str:
    """A short name for this state of an index record: equal records, equal revisions.

    >>> index_revision({"transaction_id": None}) == index_revision({"transaction_id": None})
    True
    >>> index_revision({"transaction_id": None}) == index_revision({"transaction_id": "tx-1"})
    False
    """
    canonical = json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


def index_csv(records: Iterable[dict[str, Any]]) -> str:
    """The records as CSV (header + one line each; VAT per rate as `rate=amount|...`)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=INDEX_FIELDS, delimiter=";", lineterminator="\n")
    writer.writeheader()
    for record in records:
        row = {k: record.get(k) for k in INDEX_FIELDS}
        row["vat_rates"] = "|".join(f"{k}={v}" for k, v in sorted(record["vat_rates"].items()))
        writer.writerow({k: "" if v is None else v for k, v in row.items()})
    return out.getvalue()
