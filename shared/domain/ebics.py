"""EBICS records: connections, statement days, settled transactions, inbound files and payment
requests; their statuses, and the drop-bucket naming of a connection's folder."""

from __future__ import annotations

import enum
import hashlib
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from shared.domain.ebics_onboarding import Onboarding
from shared.errors import Conflict

STATEMENT_FORMATS = ("mt940", "cfonb120")
EBICS_VERSIONS = ("2.4", "3.0")


class ConnectionStatus(enum.StrEnum):
    ACTIVE = "active"
    DISCONNECTED = "disconnected"


class RequestStatus(enum.StrEnum):
    PENDING_APPROVAL = "pending_approval"
    APPROVED = "approved"
    REJECTED = "rejected"


class PlanLimitReached(Conflict):
    """The company already has as many active connections as its plan allows."""

    code = "plan_limit_reached"


class AlreadyDecided(Conflict):
    """The payment request is no longer awaiting approval."""

    code = "already_decided"


def _key(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def _utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("naive datetime refused: instants must carry their timezone")
    return value.astimezone(UTC)


def connection_prefix(org_id: str, connection_id: str) -> str:
    """The connection's folder in the drop bucket. Firestore ids never contain '/', so the
    organization and connection can be read back from any object name (see `parse_prefix`)."""
    return f"{org_id}/{connection_id}/"


def parse_prefix(object_name: str) -> tuple[str, str, str] | None:
    """`{org}/{connection}/{rest}` -> (org, connection, rest), or None for other names."""
    parts = object_name.split("/", 2)
    if len(parts) != 3 or not parts[0] or not parts[1]:
        return None
    return parts[0], parts[1], parts[2]


# ----------------------------------------------------------------------------- records


@dataclass(frozen=True)
class EbicsConnection:
    organization_id: str
    id: str
    status: ConnectionStatus
    ebics_version: str
    formats: tuple[str, ...]
    bucket_prefix: str
    created_by: str = ""
    connected_at: datetime | None = None
    status_reason: str = ""
    # None: set up before onboarding existed (it was running, it counts as live).
    onboarding: Onboarding | None = None

    @property
    def active(self) -> bool:
        return self.status is ConnectionStatus.ACTIVE

    @property
    def live(self) -> bool:
        """Active and onboarded: statements and payment files flow only then."""
        return self.active and (self.onboarding is None or self.onboarding.is_live)


@dataclass(frozen=True)
class StatementDay:
    """What a statement of one account and day was built from (the chain's link)."""

    account_id: str
    date: date
    currency: str
    opening_minor: int
    closing_minor: int
    sequence_number: int
    entry_ids: tuple[str, ...]


@dataclass(frozen=True)
class SettledTransaction:
    """A settled transaction as a statement needs it, read from the raw transaction document
    (which may carry an `end_to_end_id` that the Transaction entity does not map)."""

    id: str
    account_id: str
    amount_minor: int
    currency: str
    counterparty: str
    reference: str
    end_to_end_id: str
    operation_type: str
    settled_at: datetime


@dataclass(frozen=True)
class InboundFile:
    organization_id: str
    key: str
    connection_id: str
    object_name: str
    checksum: str
    received_at: datetime
    state: str = "received"
    outcome: str | None = None
    message_id: str | None = None
    version: str | None = None
    reasons: tuple[str, ...] = ()
    request_ids: tuple[str, ...] = ()
    report_object: str | None = None


@dataclass(frozen=True)
class MessageIdClaim:
    message_id: str
    file_key: str
    object_name: str
    connection_id: str


@dataclass(frozen=True)
class RequestedPayment:
    end_to_end_id: str
    amount_minor: int
    currency: str
    creditor_name: str
    creditor_iban: str
    creditor_bic: str | None
    remittance: str
    instruction_id: str | None = None
    # The texts as the file gave them, when they were converted to the SEPA set (the
    # fields above are what will be sent): {"creditor_name": ..., "remittance": ...}.
    as_received: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "end_to_end_id": self.end_to_end_id,
            "instruction_id": self.instruction_id,
            "amount_minor": self.amount_minor,
            "currency": self.currency,
            "creditor_name": self.creditor_name,
            "creditor_iban": self.creditor_iban,
            "creditor_bic": self.creditor_bic,
            "remittance": self.remittance,
        }
        if self.as_received:
            data["as_received"] = dict(self.as_received)
        return data

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> RequestedPayment:
        return cls(
            end_to_end_id=d.get("end_to_end_id", ""),
            instruction_id=d.get("instruction_id"),
            amount_minor=int(d["amount_minor"]),
            currency=d["currency"],
            creditor_name=d.get("creditor_name", ""),
            creditor_iban=d.get("creditor_iban", ""),
            creditor_bic=d.get("creditor_bic"),
            remittance=d.get("remittance", ""),
            as_received=dict(d.get("as_received") or {}),
        )


@dataclass(frozen=True)
class PaymentRequest:
    organization_id: str
    id: str
    connection_id: str
    status: RequestStatus
    kind: str  # "single" (one transfer) or "batch"
    message_id: str
    payment_info_id: str
    debtor_name: str
    debtor_iban: str
    debtor_bic: str | None
    requested_execution_date: date
    batch_booking: bool
    total_minor: int
    currency: str
    payment_count: int
    source_object: str
    decided_by: str | None = None
    decision_reason: str | None = None
    payments: tuple[RequestedPayment, ...] = field(default=(), compare=False)

    def _data(self) -> dict[str, Any]:
        return {
            "connection_id": self.connection_id,
            "status": self.status.value,
            "kind": self.kind,
            "message_id": self.message_id,
            "payment_info_id": self.payment_info_id,
            "debtor_name": self.debtor_name,
            "debtor_iban": self.debtor_iban,
            "debtor_bic": self.debtor_bic,
            "requested_execution_date": self.requested_execution_date.isoformat(),
            "batch_booking": self.batch_booking,
            "total_minor": self.total_minor,
            "currency": self.currency,
            "payment_count": self.payment_count,
            "source_object": self.source_object,
            "decided_by": self.decided_by,
            "decision_reason": self.decision_reason,
        }
