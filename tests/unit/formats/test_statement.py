"""Statement input types validate themselves when built, naming the field at fault."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

import pytest

from shared.formats.errors import FormatError, UnrepresentableError
from shared.formats.statement import Statement, StatementAccount, bank_reference
from tests.unit.formats.conftest import IBAN, entry


def test_iban_is_compacted_and_checked() -> None:
    account = StatementAccount("fr76 3000 6000 0112 3456 7890 189", "AGRIFRPP", "EUR", "X")
    assert account.iban == IBAN
    with pytest.raises(UnrepresentableError, match="account.iban"):
        StatementAccount("FR7630006000011234567890188", "AGRIFRPP", "EUR", "X")
    with pytest.raises(UnrepresentableError, match="account.bic"):
        StatementAccount(IBAN, "AGRI", "EUR", "X")
    with pytest.raises(UnrepresentableError, match="account.currency"):
        StatementAccount(IBAN, "", "euro", "X")


def test_closing_balance_is_exact(statement: Statement) -> None:
    assert statement.closing_balance == Decimal("1949.49")
    assert isinstance(statement.closing_balance, Decimal)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"amount": 1.5}, "must be a Decimal, not float"),
        ({"amount": Decimal("1.005")}, "more than 2 decimals"),
        ({"amount": Decimal("NaN")}, "not a finite number"),
        ({"reference": "x" * 141}, "reference has 141 characters"),
        ({"end_to_end_id": "x" * 36}, "end_to_end_id has 36 characters"),
        ({"counterparty": "x" * 71}, "counterparty has 71 characters"),
        ({"currency": "eur"}, "not an ISO 4217 code"),
    ],
)
def test_bad_entries_name_the_entry(overrides: dict, message: str) -> None:
    with pytest.raises(UnrepresentableError, match=message) as info:
        dataclasses.replace(entry("bad", "1.00"), **overrides)
    assert info.value.where.startswith("entry 'bad'")


def test_trailing_zeros_beyond_the_currency_decimals_are_fine() -> None:
    assert entry("ok", "1.5000").amount == Decimal("1.5000")


def test_statement_refuses_entries_of_another_day_or_currency() -> None:
    account = StatementAccount(IBAN, "AGRIFRPP", "EUR", "X")
    with pytest.raises(UnrepresentableError, match="entry 'late'.*not on the statement date"):
        Statement(
            account,
            date(2024, 1, 15),
            Decimal(0),
            [entry("late", "1", booking_date=date(2024, 1, 16))],
        )
    with pytest.raises(UnrepresentableError, match="entry 'usd'.*differs"):
        Statement(account, date(2024, 1, 15), Decimal(0), [entry("usd", "1", currency="USD")])
    with pytest.raises(FormatError, match="sequence number"):
        Statement(account, date(2024, 1, 15), Decimal(0), [], sequence_number=0)


def test_bank_reference_is_stable_and_short() -> None:
    assert bank_reference("tx42") == "tx42"
    uuid = "0b9c1e0e-8d5e-4b8e-9a53-6c7bde5a1234"
    assert bank_reference(uuid) == bank_reference(uuid)
    assert len(bank_reference(uuid)) == 16 and bank_reference(uuid).isalnum()
    assert bank_reference(uuid) != bank_reference(uuid[:-1] + "5")


def test_render_statement_writes_and_validates(statement: Statement) -> None:
    from shared.formats import render_statement

    assert render_statement(statement, "mt940").startswith(":20:")
    assert render_statement(statement, "cfonb120").startswith("01")
    with pytest.raises(FormatError, match="camt053"):
        render_statement(statement, "camt053")
