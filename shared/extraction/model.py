"""Result types of the extraction engine.

`Extraction` is what `pipeline.extract()` returns for one file: either a refusal (a typed
result, never an exception) or one `ExtractedDocument` per invoice or receipt found in it.
`ExtractedDocument.to_json()` gives the line printed by `python -m shared.cli extract`, with the
same field names as the matching engine's document lines.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Generic, Literal, TypeVar

DocumentType = Literal["receipt", "invoice", "credit_note"]

# Stable machine codes for refusals; callers route on these, users read `refused`.
REFUSAL_CODES = (
    "unsupported_type",
    "too_large",
    "empty_file",
    "corrupt_pdf",
    "encrypted_pdf",
    "corrupt_image",
    "decompression_bomb",
    "too_many_pages",
    "too_much_text",
    "over_budget",
    "unreadable",
)


@dataclass(frozen=True)
class OwnParty:
    """The organisation the documents are sent to, as its caller knows it.

    Passed to `pipeline.extract(..., own=OwnParty(...))`: on a purchase invoice the
    organisation is the buyer, so a block that carries its name, VAT or SIREN is the buyer's
    and the supplier is the other party. Every field is optional; matching is on letters and
    digits only ("Atelier Lumière SAS" finds "ATELIER LUMIERE S.A.S."). `ibans` are its
    accounts: bank details to pay on that are ours make the document our own sales invoice.
    """

    name: str | None = None
    vat: str | None = None
    siren: str | None = None
    ibans: tuple[str, ...] = ()


# Key of `ExtractedDocument.vat_amounts` for tax whose rate the document does not state.
UNKNOWN_RATE = "unknown"


@dataclass
class ExtractedDocument:
    """Fields of one invoice, credit note or receipt, each with a confidence in [0, 1].

    Amounts are exact `Decimal`s in the document's currency (credit notes may be negative);
    `vat_amounts` maps a rate written as a decimal string ("20", "5.5") to the VAT amount at
    that rate. `pages` are the 1-based pages of the source file that this document covers.
    A field that was not found is None (or empty) and has no confidence entry.
    """

    document_type: DocumentType = "receipt"
    supplier_name: str | None = None
    supplier_vat: str | None = None
    supplier_siren: str | None = None
    supplier_iban: str | None = None
    customer_name: str | None = None
    customer_vat: str | None = None
    issue_date: date | None = None
    due_date: date | None = None
    total: Decimal | None = None
    amount_due: Decimal | None = None
    vat_amounts: dict[str, Decimal] = field(default_factory=dict)
    currency: str | None = None
    candidate_totals: list[Decimal] = field(default_factory=list)
    invoice_number: str | None = None
    pages: list[int] = field(default_factory=list)
    confidence: dict[str, float] = field(default_factory=dict)
    # Where the text came from: "einvoice", "pdf_text" or "ocr". Informative only.
    text_source: str = ""
    # Read with the own party known, and found to be issued by it (our sales invoice): the
    # supplier fields then state the own party.
    issued_by_own: bool = False

    def to_json(self, source_file: str, checksum: str) -> dict[str, Any]:
        """The CLI line: amounts as decimal strings, dates as ISO 8601, None kept as null."""
        return {
            "source_file": source_file,
            "checksum": checksum,
            "pages": list(self.pages),
            "document_type": self.document_type,
            "supplier_name": self.supplier_name,
            "supplier_vat": self.supplier_vat,
            "supplier_siren": self.supplier_siren,
            "supplier_iban": self.supplier_iban,
            "customer_name": self.customer_name,
            "customer_vat": self.customer_vat,
            "issue_date": _iso(self.issue_date),
            "due_date": _iso(self.due_date),
            "total": _dec(self.total),
            "amount_due": _dec(self.amount_due),
            "vat_amounts": {rate: str(v) for rate, v in self.vat_amounts.items()},
            "currency": self.currency,
            "candidate_totals": [str(v) for v in self.candidate_totals],
            "invoice_number": self.invoice_number,
            "issued_by_own": self.issued_by_own,
            "confidence": {k: round(v, 3) for k, v in self.confidence.items()},
        }


@dataclass
class Extraction:
    """Outcome for one file.

    Exactly one of these holds: `refused` is a user-facing reason (and `refusal_code` a stable
    code from `REFUSAL_CODES`) and `documents` is empty; or `refused` is None and `documents`
    lists what was found (possibly one document with few fields if nothing could be read).
    """

    media_type: str | None
    pages: int
    checksum: str
    documents: list[ExtractedDocument] = field(default_factory=list)
    refused: str | None = None
    refusal_code: str | None = None

    def to_json_lines(self, source_file: str) -> list[dict[str, Any]]:
        """One dict per document, or the single refusal line the CLI prints."""
        if self.refused is not None:
            return [
                {
                    "source_file": source_file,
                    "checksum": self.checksum,
                    "refused": self.refused,
                    "refusal_code": self.refusal_code,
                }
            ]
        return [d.to_json(source_file, self.checksum) for d in self.documents]


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _dec(value: Decimal | None) -> str | None:
    return str(value) if value is not None else None


_Value = TypeVar("_Value")


@dataclass
class FieldCandidate(Generic[_Value]):
    """A value a field rule found, how strongly, and on which line of the document."""

    value: _Value
    score: float
    line: int
