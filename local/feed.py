"""Canonical feed events (docs/FEED.md) for the demo and the tests: what a core-banking
system publishes on `companies.events` and `transactions.events`."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any


def iso(value: datetime) -> str:
    return value.astimezone(UTC).isoformat()


def organization_event(
    org_id: str,
    legal_name: str,
    updated_at: datetime,
    country: str = "FR",
    plan: str = "business",
    **extra: Any,
) -> dict[str, Any]:
    return {
        "type": "organization.upserted",
        "organization_id": org_id,
        "updated_at": iso(updated_at),
        "data": {"legal_name": legal_name, "country": country, "plan": plan, **extra},
    }


def member_event(
    org_id: str,
    user_id: str,
    role: str,
    updated_at: datetime,
    phone: str | None = None,
    can_transfer: bool = False,
    name: str = "",
) -> dict[str, Any]:
    return {
        "type": "member.upserted",
        "organization_id": org_id,
        "updated_at": iso(updated_at),
        "data": {
            "user_id": user_id,
            "role": role,
            "phone": phone,
            "can_transfer": can_transfer,
            "name": name,
        },
    }


def member_removed_event(org_id: str, user_id: str, updated_at: datetime) -> dict[str, Any]:
    return {
        "type": "member.removed",
        "organization_id": org_id,
        "updated_at": iso(updated_at),
        "data": {"user_id": user_id},
    }


def account_event(
    org_id: str,
    account_id: str,
    iban: str,
    updated_at: datetime,
    name: str = "Main account",
    currency: str = "EUR",
    aggregated: bool = False,
) -> dict[str, Any]:
    return {
        "type": "bank_account.upserted",
        "organization_id": org_id,
        "updated_at": iso(updated_at),
        "data": {
            "id": account_id,
            "iban": iban,
            "currency": currency,
            "name": name,
            "aggregated": aggregated,
        },
    }


def transaction_event(
    org_id: str,
    account_id: str,
    tx_id: str,
    amount: str | Decimal,
    label: str,
    emitted_at: datetime,
    updated_at: datetime,
    *,
    side: str = "debit",
    operation_type: str = "card",
    status: str = "completed",
    settled_at: datetime | None = None,
    currency: str = "EUR",
    reference: str | None = None,
    counterparty_iban: str | None = None,
    local_amount: str | None = None,
    local_currency: str | None = None,
    card_last_digits: str | None = None,
) -> dict[str, Any]:
    return {
        "organization_id": org_id,
        "account_id": account_id,
        "transaction": {
            "id": tx_id,
            "amount": str(amount),
            "currency": currency,
            "side": side,
            "operation_type": operation_type,
            "status": status,
            "emitted_at": iso(emitted_at),
            "settled_at": iso(settled_at) if settled_at else None,
            "label": label,
            "reference": reference,
            "counterparty_iban": counterparty_iban,
            "local_amount": local_amount,
            "local_currency": local_currency,
            "card_last_digits": card_last_digits,
            "updated_at": iso(updated_at),
        },
    }
