"""Drive Dropzone records: the integration, the state of a dropped file, supplier invoices."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from shared.domain.money import Money
from shared.domain.statuses import IntegrationStatus  # noqa: F401 - one vocabulary

KIND = "drive_dropzone"
DEFAULT_INTEGRATION_ID = "drive-dropzone"
FOLDER_ROLES = ("root", "dropzone", "processing", "matched", "unsupported")


class FileState(enum.StrEnum):
    UNSUPPORTED = "unsupported"  # refused by intake; lives in Unsupported
    PROCESSING = "processing"  # read, not (fully) matched; retried every run
    MATCHED = "matched"  # every invoice in it is attached; lives in Matched
    GONE = "gone"  # the user deleted or trashed it; its invoices stay
    MOVED_OUT = "moved_out"  # the user moved it out of the integration's folders


@dataclass(frozen=True)
class DropzoneIntegration:
    organization_id: str
    id: str
    status: IntegrationStatus
    folders: dict[str, str]
    status_detail: str = ""
    links: dict[str, str] = field(default_factory=dict)
    last_run: dict[str, Any] = field(default_factory=dict)

    def folder(self, role: str) -> str:
        return self.folders[role]


class InvoiceStatus(enum.StrEnum):
    AWAITING_PAYMENT = "awaiting_payment"
    PAID = "paid"


@dataclass(frozen=True)
class SupplierInvoice:
    """A supplier invoice of the company, as read from a file (one per invoice in the file)."""

    document_id: str
    organization_id: str
    supplier_name: str | None
    invoice_number: str | None
    issue_date: date | None
    due_date: date | None
    total: Money | None
    status: InvoiceStatus
    supplier_vat: str | None = None
    transaction_id: str | None = None
    integration_id: str | None = None
    drive_file_id: str | None = None
    drive_file_name: str | None = None
    pages: tuple[int, ...] = ()
