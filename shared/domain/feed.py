"""The canonical events of the core-banking feed (documented in docs/FEED.md), parsed and
validated. Pure: no clients.

A transaction event is shaped like Qonto's transaction object (`GET /v2/transactions`), so
that an adapter from it is a field mapping: `id`, `amount` (a decimal string, positive),
`currency`, `side` (debit/credit), `operation_type`, `status`
(pending/completed/declined/reversed), `emitted_at`, `settled_at`, `label` (the
counterparty), `reference`, `counterparty_iban`, `local_amount` + `local_currency`,
`card_last_digits`, and `updated_at`, the version: an event never replaces a newer one.

Every field is bounded; a malformed event raises `InvalidEvent` naming the field.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from shared.domain.entities import OperationType, Plan, Role
from shared.domain.money import InvalidMoney, Money
from shared.errors import Invalid

MAX_TEXT = 500
MAX_ID = 128
MAX_AMOUNT_DIGITS = 15  # integer digits: 10^15 units is far above any bank transaction
_ID = re.compile(r"[A-Za-z0-9_@+:.-]{1,128}")
_CARD_DIGITS = re.compile(r"[0-9]{4}")
_CURRENCY = re.compile(r"[A-Z]{3}")


class InvalidEvent(Invalid):
    """The event cannot be applied as it is; retrying will not help."""


class TxStatus(enum.StrEnum):
    PENDING = "pending"
    COMPLETED = "completed"
    DECLINED = "declined"
    REVERSED = "reversed"

    @property
    def releases_match(self) -> bool:
        return self in (TxStatus.DECLINED, TxStatus.REVERSED)


# Qonto's operation types (and a few synonyms) -> ours; unknown ones go by side.
_OPERATION_TYPES = {
    "card": OperationType.CARD,
    "transfer": OperationType.TRANSFER,
    "swift_outcome": OperationType.TRANSFER,
    "direct_debit": OperationType.DIRECT_DEBIT,
    "direct_debit_collection": OperationType.DIRECT_DEBIT,
    "income": OperationType.INCOME,
    "swift_income": OperationType.INCOME,
    "cheque": OperationType.INCOME,
}


@dataclass(frozen=True)
class TransactionEvent:
    organization_id: str
    account_id: str
    id: str
    amount: Money  # signed: negative for a debit
    operation_type: OperationType
    operation_type_raw: str
    status: TxStatus
    emitted_at: datetime
    settled_at: datetime | None
    label: str
    reference: str | None
    counterparty_iban: str | None
    local_amount: Money | None
    card_last_digits: str | None
    updated_at: datetime


def _text(
    data: dict[str, Any], key: str, required: bool = False, limit: int = MAX_TEXT
) -> str | None:
    value = data.get(key)
    if value is None or value == "":
        if required:
            raise InvalidEvent(f"{key} is required")
        return None
    if not isinstance(value, str):
        raise InvalidEvent(f"{key} must be a string")
    if len(value) > limit:
        raise InvalidEvent(f"{key} is longer than {limit} characters")
    return value


def _id(data: dict[str, Any], key: str) -> str:
    value = _text(data, key, required=True, limit=MAX_ID)
    assert value is not None
    if (
        not _ID.fullmatch(value)
        or ".." in value
        or (value.startswith("__") and value.endswith("__"))
    ):
        raise InvalidEvent(f"{key} is not a valid id")
    return value


def _instant(data: dict[str, Any], key: str, required: bool = False) -> datetime | None:
    raw = _text(data, key, required=required, limit=40)
    if raw is None:
        return None
    try:
        value = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidEvent(f"{key} is not an ISO 8601 date-time") from None
    if value.tzinfo is None:
        raise InvalidEvent(f"{key} must carry its offset")
    if not 2000 <= value.year <= 2100:
        raise InvalidEvent(f"{key} is outside 2000-2100")
    return value


def _amount(data: dict[str, Any], key: str, currency: str) -> Money:
    raw = data.get(key)
    if isinstance(raw, bool) or not isinstance(raw, str | int):
        raise InvalidEvent(f"{key} must be a decimal string (floats are not exact)")
    text = str(raw)
    if len(text) > MAX_AMOUNT_DIGITS + 10:
        raise InvalidEvent(f"{key} is too long")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise InvalidEvent(f"{key} is not a decimal number") from None
    if not value.is_finite() or value < 0 or value.adjusted() >= MAX_AMOUNT_DIGITS:
        raise InvalidEvent(f"{key} must be a finite, positive amount below 10^{MAX_AMOUNT_DIGITS}")
    try:
        return Money.parse(value, currency)
    except InvalidMoney as exc:
        raise InvalidEvent(f"{key}: {exc}") from None


def _currency(data: dict[str, Any], key: str, required: bool = True) -> str | None:
    value = _text(data, key, required=required, limit=3)
    if value is not None and not _CURRENCY.fullmatch(value):
        raise InvalidEvent(f"{key} must be an ISO 4217 code")
    return value


_Choice = TypeVar("_Choice", bound=enum.StrEnum)


def _one_of(choices: type[_Choice], raw: object, name: str) -> _Choice:
    """`raw` as one of `choices`' values, else a refusal naming them all."""
    if isinstance(raw, str):
        try:
            return choices(raw)
        except ValueError:
            pass
    raise InvalidEvent(f"{name} must be one of {[c.value for c in choices]}")


def parse_transaction_event(payload: Any) -> TransactionEvent:
    if not isinstance(payload, dict):
        raise InvalidEvent("the event must be a JSON object")
    tx = payload.get("transaction")
    if not isinstance(tx, dict):
        raise InvalidEvent("transaction must be an object")
    currency = _currency(tx, "currency")
    assert currency is not None
    side = tx.get("side")
    if side not in ("debit", "credit"):
        raise InvalidEvent("side must be debit or credit")
    amount = _amount(tx, "amount", currency)
    if side == "debit":
        amount = Money.parse(-amount.amount, currency)
    raw_type = _text(tx, "operation_type", required=True, limit=64) or ""
    operation = _OPERATION_TYPES.get(
        raw_type, OperationType.INCOME if side == "credit" else OperationType.TRANSFER
    )
    status = _one_of(TxStatus, tx.get("status"), "status")
    local_currency = _currency(tx, "local_currency", required=False)
    local_amount = None
    if tx.get("local_amount") is not None and local_currency and local_currency != currency:
        local = _amount(tx, "local_amount", local_currency)
        local_amount = Money.parse(
            -local.amount if side == "debit" else local.amount, local_currency
        )
    digits = _text(tx, "card_last_digits", limit=4)
    if digits is not None and not _CARD_DIGITS.fullmatch(digits):
        raise InvalidEvent("card_last_digits must be 4 digits")
    emitted_at = _instant(tx, "emitted_at", required=True)
    updated_at = _instant(tx, "updated_at", required=True)
    assert emitted_at is not None and updated_at is not None
    iban = _text(tx, "counterparty_iban", limit=34)
    return TransactionEvent(
        organization_id=_id(payload, "organization_id"),
        account_id=_id(payload, "account_id"),
        id=_id(tx, "id"),
        amount=amount,
        operation_type=operation,
        operation_type_raw=raw_type,
        status=status,
        emitted_at=emitted_at,
        settled_at=_instant(tx, "settled_at"),
        label=_text(tx, "label") or "",
        reference=_text(tx, "reference"),
        counterparty_iban=iban.replace(" ", "").upper() if iban else None,
        local_amount=local_amount,
        card_last_digits=digits,
        updated_at=updated_at,
    )


# ----------------------------------------------------------------------------- companies


class CompanyEventType(enum.StrEnum):
    ORGANIZATION = "organization.upserted"
    MEMBER = "member.upserted"
    MEMBER_REMOVED = "member.removed"
    BANK_ACCOUNT = "bank_account.upserted"


@dataclass(frozen=True)
class CompanyEvent:
    type: CompanyEventType
    organization_id: str
    entity_id: str  # the organization, member (user id) or account id
    fields: dict[str, Any]  # validated entity fields
    updated_at: datetime


def parse_company_event(payload: Any) -> CompanyEvent:
    if not isinstance(payload, dict):
        raise InvalidEvent("the event must be a JSON object")
    kind = _one_of(CompanyEventType, payload.get("type"), "type")
    updated_at = _instant(payload, "updated_at", required=True)
    assert updated_at is not None
    org_id = _id(payload, "organization_id")
    body = payload.get("data")
    if not isinstance(body, dict):
        raise InvalidEvent("data must be an object")
    if kind is CompanyEventType.ORGANIZATION:
        country = _text(body, "country", required=True, limit=2) or ""
        if not re.fullmatch(r"[A-Z]{2}", country):
            raise InvalidEvent("country must be an ISO 3166 alpha-2 code")
        plan = _one_of(Plan, body.get("plan"), "plan")
        fields: dict[str, Any] = {
            "legal_name": _text(body, "legal_name", required=True),
            "country": country,
            "plan": plan,
            "vat": _text(body, "vat", limit=20),
            "siren": _text(body, "siren", limit=9),
        }
        return CompanyEvent(kind, org_id, org_id, fields, updated_at)
    if kind in (CompanyEventType.MEMBER, CompanyEventType.MEMBER_REMOVED):
        user_id = _id(body, "user_id")
        fields = {}
        if kind is CompanyEventType.MEMBER:
            role = _one_of(Role, body.get("role"), "role")
            can_transfer = body.get("can_transfer", False)
            if not isinstance(can_transfer, bool):
                raise InvalidEvent("can_transfer must be a boolean")
            phone = _text(body, "phone", limit=20)
            if phone is not None and not re.fullmatch(r"\+[1-9][0-9]{6,14}", phone):
                raise InvalidEvent("phone must be E.164 (+ and 7-15 digits)")
            fields = {
                "role": role,
                "phone": phone,
                "can_transfer": can_transfer,
                "name": _text(body, "name", limit=200) or "",
            }
        return CompanyEvent(kind, org_id, user_id, fields, updated_at)
    account_id = _id(body, "id")
    iban = (_text(body, "iban", required=True, limit=42) or "").replace(" ", "").upper()
    fields = {
        "iban": iban,
        "currency": _currency(body, "currency"),
        "name": _text(body, "name", limit=200) or "",
        "bic": _text(body, "bic", limit=11),
        "aggregated": bool(body.get("aggregated", False)),
    }
    return CompanyEvent(kind, org_id, account_id, fields, updated_at)
