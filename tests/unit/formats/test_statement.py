"""Statement input types validate themselves when built, naming the field at fault."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from decimal import Decimal

import pytest

from shared.formats import cfonb120, mt940, render_statement
from shared.formats.errors import FormatError, UnrepresentableError
from shared.formats.statement import (
    Statement,
    StatementAccount,
    bank_reference,
    entry_from_bank_data,
)
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


# ---------------------------------------- hostile amounts and dates (issue 16, defect 6)


@pytest.mark.parametrize("amount", ["1E+999999", "-1E+999999", "1E+15", "9" * 16])
def test_huge_amounts_are_refused_before_any_writer(amount: str) -> None:
    with pytest.raises(UnrepresentableError, match="more than 15 integer digits") as caught:
        entry("x", amount)
    assert caught.value.where == "entry 'x' amount"


@pytest.mark.parametrize(
    "day",
    [date(1, 1, 1), date(1926, 1, 15), date(1999, 12, 31), date(2100, 1, 1), date(9999, 12, 31)],
)
def test_dates_that_two_digit_years_cannot_carry_are_refused(day: date) -> None:
    with pytest.raises(UnrepresentableError, match="outside 2000-01-01..2099-12-31"):
        entry("x", "1.00", booking_date=day, value_date=day)
    with pytest.raises(UnrepresentableError, match="outside 2000-01-01..2099-12-31"):
        entry("x", "1.00", value_date=day)  # booked in 2024, value date far off
    account = StatementAccount(IBAN, "AGRIFRPP", "EUR", "ACME SAS")
    with pytest.raises(UnrepresentableError, match="statement date"):
        Statement(account, day, Decimal(0), [])


def test_the_first_statement_day_needs_a_writable_opening_date() -> None:
    account = StatementAccount(IBAN, "AGRIFRPP", "EUR", "ACME SAS")
    with pytest.raises(UnrepresentableError, match="opening balance date"):
        Statement(account, date(2000, 1, 1), Decimal(0), [])


@pytest.mark.parametrize(
    "day", [date(2000, 1, 2), date(2026, 1, 15), date(2079, 6, 1), date(2099, 12, 31)]
)
def test_every_writable_year_reads_back_the_same(day: date) -> None:
    account = StatementAccount(IBAN, "AGRIFRPP", "EUR", "ACME SAS")
    statement = Statement(
        account,
        day,
        Decimal("999999999999.99"),  # the largest 14-digit CFONB balance
        [entry("1", "-0.01", booking_date=day, value_date=day - timedelta(days=1))],
    )
    for writer in (mt940, cfonb120):
        [read] = writer.parse(render_statement(statement, writer.__name__.rsplit(".", 1)[1]))
        assert read.closing_date == day
        assert read.entries[0].value_date == day - timedelta(days=1)
        assert read.opening_balance == Decimal("999999999999.99")


def test_bank_data_over_the_sepa_limits_is_cut_with_a_warning() -> None:
    made, warnings = entry_from_bank_data(
        id="t1",
        amount=Decimal("-1.00"),
        currency="EUR",
        counterparty="M" * 90,
        reference="r" * 150,
        end_to_end_id="e" * 36,
        booking_date=date(2024, 1, 15),
        value_date=date(2024, 1, 15),
    )
    assert (len(made.counterparty), len(made.reference), len(made.end_to_end_id)) == (70, 140, 35)
    assert warnings == [
        "entry 't1': counterparty has 90 characters, cut to the SEPA limit of 70",
        "entry 't1': reference has 150 characters, cut to the SEPA limit of 140",
        "entry 't1': end_to_end_id has 36 characters, cut to the SEPA limit of 35",
    ]
    with pytest.raises(UnrepresentableError, match="more than 15 integer digits"):
        entry_from_bank_data(
            id="t2", amount=Decimal("1E+999999"), currency="EUR", counterparty="",
            reference="", end_to_end_id="", booking_date=date(2024, 1, 15),
            value_date=date(2024, 1, 15),
        )  # fmt: skip
