"""The feed's event parser (docs/FEED.md): a value outside its list is refused with the list,
whatever JSON type it arrives as; a listed value is read."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from shared.domain.feed import (
    InvalidEvent,
    TxStatus,
    parse_company_event,
    parse_transaction_event,
)

TRANSACTION: dict[str, Any] = {
    "organization_id": "org-123",
    "account_id": "acc-main",
    "transaction": {
        "id": "tx-8f2c",
        "amount": "42.50",
        "currency": "EUR",
        "side": "debit",
        "operation_type": "card",
        "status": "completed",
        "emitted_at": "2026-11-20T11:45:00+00:00",
        "settled_at": "2026-11-21T06:00:00+00:00",
        "label": "SumUp *Cafe du Coin",
        "updated_at": "2026-11-21T06:00:02+00:00",
    },
}

MEMBER: dict[str, Any] = {
    "type": "member.upserted",
    "organization_id": "org-123",
    "updated_at": "2026-11-21T06:00:02+00:00",
    "data": {"user_id": "user-1", "role": "owner", "phone": "+33612345678", "name": "Camille"},
}


def _transaction(status: object) -> dict[str, Any]:
    event = copy.deepcopy(TRANSACTION)
    event["transaction"]["status"] = status
    return event


def test_a_listed_status_is_read() -> None:
    assert parse_transaction_event(_transaction("pending")).status is TxStatus.PENDING


@pytest.mark.parametrize("status", [None, "settled", 1, True, ["completed"], "COMPLETED"])
def test_a_status_outside_the_list_is_refused_with_the_list(status: object) -> None:
    with pytest.raises(InvalidEvent) as refused:
        parse_transaction_event(_transaction(status))
    assert "status must be one of" in str(refused.value)
    assert all(s.value in str(refused.value) for s in TxStatus)


@pytest.mark.parametrize(
    ("where", "value", "named"),
    [
        ("type", "member.deleted", "type must be one of"),
        ("type", None, "type must be one of"),
        ("role", "superuser", "role must be one of"),
        ("role", 3, "role must be one of"),
    ],
)
def test_a_company_event_outside_its_lists_is_refused(
    where: str, value: object, named: str
) -> None:
    event = copy.deepcopy(MEMBER)
    if where == "type":
        event["type"] = value
    else:
        event["data"][where] = value
    with pytest.raises(InvalidEvent, match=named):
        parse_company_event(event)


def test_a_member_event_with_listed_values_is_read() -> None:
    parsed = parse_company_event(copy.deepcopy(MEMBER))
    assert parsed.fields["role"].value == "owner" and parsed.fields["phone"] == "+33612345678"
