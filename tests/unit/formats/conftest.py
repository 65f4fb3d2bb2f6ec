"""Fixtures for the bank-format tests: corpus paths and small statements."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from shared.formats.statement import Statement, StatementAccount, StatementEntry

ROOT = Path(__file__).resolve().parents[3]
CORPUS = (ROOT / ".." / "shared" / "corpus").resolve()
BANK = CORPUS / "bank"

IBAN = "FR7630006000011234567890189"


@pytest.fixture
def account() -> StatementAccount:
    return StatementAccount(IBAN, "AGRIFRPP", "EUR", "ACME SAS")


def entry(entry_id: str, amount: str, **overrides: object) -> StatementEntry:
    values: dict[str, object] = {
        "id": entry_id,
        "amount": Decimal(amount),
        "currency": "EUR",
        "counterparty": "ACME SARL",
        "reference": "Invoice 42",
        "end_to_end_id": f"E2E-{entry_id}",
        "booking_date": date(2024, 1, 15),
        "value_date": date(2024, 1, 15),
        "operation_type": "transfer",
    }
    values.update(overrides)
    return StatementEntry(**values)  # type: ignore[arg-type]


@pytest.fixture
def statement(account: StatementAccount) -> Statement:
    return Statement(
        account,
        date(2024, 1, 15),
        Decimal("1000.00"),
        [
            entry("1", "-250.50", counterparty="Société Générale – Équipements"),
            entry("2", "1200.00", counterparty="Client SA", reference="", end_to_end_id=""),
            entry("3", "-0.01", operation_type="card", value_date=date(2024, 1, 16)),
        ],
    )
