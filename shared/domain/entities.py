"""The business entities, as plain dataclasses. Firestore mapping lives in shared/store.

Collections and fields are documented once, in docs/DATA_MODEL.md.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, datetime

from shared.domain.money import Money


class Role(enum.StrEnum):
    OWNER = "owner"
    ADMIN = "admin"
    ACCOUNTANT = "accountant"
    MANAGER = "manager"
    EMPLOYEE = "employee"


class Plan(enum.StrEnum):
    ESSENTIAL = "essential"
    BUSINESS = "business"
    ENTERPRISE = "enterprise"


class OperationType(enum.StrEnum):
    CARD = "card"
    TRANSFER = "transfer"
    DIRECT_DEBIT = "direct_debit"
    INCOME = "income"


class DocumentType(enum.StrEnum):
    RECEIPT = "receipt"
    INVOICE = "invoice"
    CREDIT_NOTE = "credit_note"


class DocumentStatus(enum.StrEnum):
    RECEIVED = "received"  # stored, waiting for the processor
    MATCHED = "matched"  # attached to a transaction
    UNMATCHED = "unmatched"  # read, no transaction yet (retried later)
    REFUSED = "refused"  # not a usable document; `refusal_reason` says why
    FAILED = "failed"  # processing failed after its retries (dead letter); ops replay it


@dataclass(frozen=True)
class Organization:
    id: str
    legal_name: str
    country: str
    plan: Plan
    vat: str | None = None
    siren: str | None = None


@dataclass(frozen=True)
class Member:
    user_id: str
    organization_id: str
    role: Role
    phone: str | None = None  # E.164
    can_transfer: bool = False
    name: str = ""
    locale: str | None = None  # "fr", "es-ES"...: the language of the member's messages
    time_zone: str | None = None  # IANA name; quiet hours of reminders are in this zone


@dataclass(frozen=True)
class BankAccount:
    id: str
    organization_id: str
    iban: str  # compact, validated
    currency: str
    name: str = ""
    bic: str | None = None


@dataclass(frozen=True)
class Transaction:
    id: str
    organization_id: str
    account_id: str
    amount: Money  # negative for money out
    counterparty: str
    operation_type: OperationType
    emitted_at: datetime  # timezone-aware
    settled_at: datetime | None = None
    reference: str | None = None
    counterparty_iban: str | None = None
    local_amount: Money | None = None  # card payments abroad: amount in the merchant's currency
    attachment_ids: tuple[str, ...] = ()
    initiator_id: str | None = None  # user id of the member who paid (the cardholder)

    @property
    def has_attachment(self) -> bool:
        return bool(self.attachment_ids)


@dataclass(frozen=True)
class Document:
    id: str
    organization_id: str
    source: str  # whatsapp, drive_dropzone, upload...
    checksum: str  # sha256 of the stored bytes
    storage_uri: str  # gs://bucket/object
    media_type: str | None
    received_at: datetime
    status: DocumentStatus = DocumentStatus.RECEIVED
    document_type: DocumentType | None = None
    supplier_name: str | None = None
    issue_date: date | None = None
    due_date: date | None = None
    total: Money | None = None
    invoice_number: str | None = None
    transaction_id: str | None = None
    match_score: float | None = None
    match_reasons: tuple[str, ...] = ()
    # The engine's machine-readable flags (`sales_invoice`, `duplicate`, `ambiguous`...).
    match_flags: tuple[str, ...] = ()
    refusal_reason: str | None = None
    refusal_code: str | None = None  # stable machine code of the refusal (extraction codes...)
    fields: dict = field(default_factory=dict)  # the full extraction output, JSON-safe
    origin: dict = field(default_factory=dict)  # channel facts: phone, message sid, file id...
