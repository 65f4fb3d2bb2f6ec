"""CFONB-120: our writer, read back by the independent `python-cfonb` parser and our reader."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from cfonb.parser.statement import StatementReader  # PyPI "python-cfonb", independent reader
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shared.formats import cfonb120
from shared.formats.errors import FormatValidationError, UnrepresentableError
from shared.formats.statement import Statement, StatementAccount
from shared.formats.transliterate import CFONB_CHARS, to_cfonb
from tests.unit.formats.conftest import entry
from tests.unit.formats.test_mt940 import mutated


def read_with_python_cfonb(text: str) -> list:
    return StatementReader().parse(io.StringIO(text))


def test_written_statement_reads_back_with_python_cfonb(statement: Statement) -> None:
    text = cfonb120.write(statement)
    cfonb120.validate(text)
    [read] = read_with_python_cfonb(text)
    assert read.header["prev_amount"] == Decimal("1000.00")
    assert read.header["bank_code"] == "30006"
    assert read.header["desk_code"] == "00001"
    assert read.header["account_nb"] == "12345678901"
    assert read.footer["next_amount"] == statement.closing_balance
    assert [line["amount"] for line in read.lines] == [e.amount for e in statement.entries]
    first = read.lines[0]
    assert first["creditor_name"] == "Societe Generale - Equipements"  # debit: beneficiary
    assert first["remittance_information_1"] == "Invoice 42"
    assert first["end2end_identification"] == "E2E-1"
    assert read.lines[1]["debtor_name"] == "Client SA"  # credit: payer
    assert str(read.lines[2]["value_date"]) == "2024-01-16"


def test_every_record_is_120_characters(statement: Statement) -> None:
    text = cfonb120.write(statement)
    records = text.split("\r\n")[:-1]
    assert [r[:2] for r in records] == ["01", "04", "05", "05", "05", "04", "05", "04", "05",
                                        "05", "05", "07"]  # fmt: skip
    assert all(len(r) == 120 for r in records)


@pytest.mark.parametrize(
    ("amount", "field"),
    [
        ("0.00", "0000000000000{"),
        ("1.23", "0000000000012C"),
        ("-1.23", "0000000000012L"),
        ("-0.10", "0000000000001}"),
        ("1234567.89", "0000012345678I"),
        ("-99.99", "0000000000999R"),
    ],
)
def test_amount_sign_codes(account: StatementAccount, amount: str, field: str) -> None:
    text = cfonb120.write(Statement(account, date(2024, 1, 15), Decimal(amount), []))
    assert text[90:104] == field
    assert cfonb120.parse(text)[0].opening_balance == Decimal(amount)


def test_python_cfonb_writer_bug_is_not_ours(account: StatementAccount) -> None:
    # python-cfonb's number_format(123) gives '12C'; ours keeps every digit.
    text = cfonb120.write(Statement(account, date(2024, 1, 15), Decimal("123.00"), []))
    assert text[90:104] == "0000000001230{"


def test_long_texts_go_into_05_complements(account: StatementAccount) -> None:
    reference = "Facture 2024-001 acompte " * 5 + "€"
    long_entry = entry("L", "-1.00", reference=reference[:140], counterparty="C" * 70)
    text = cfonb120.write(Statement(account, date(2024, 1, 15), Decimal(0), [long_entry]))
    qualifiers = [r[45:48] for r in text.split("\r\n") if r.startswith("05")]
    assert qualifiers == ["NBE", "LCC", "LC2", "RCN"]
    parsed = cfonb120.parse(text)[0].entries[0]
    assert parsed.reference == to_cfonb(reference[:140]).strip()
    assert parsed.counterparty == "C" * 70


def test_non_french_iban_is_unrepresentable() -> None:
    german = StatementAccount("DE89370400440532013000", "COBADEFFXXX", "EUR", "X")
    with pytest.raises(UnrepresentableError, match="account.iban"):
        cfonb120.write(Statement(german, date(2024, 1, 15), Decimal(0), []))


# ---------------------------------------------------------------- validator: what it refuses


@pytest.fixture
def valid(statement: Statement) -> list[str]:
    return cfonb120.write(statement).split("\r\n")[:-1]


def _join(records: list[str]) -> str:
    return "\r\n".join(records) + "\r\n"


def test_balances_must_add_up(valid: list[str]) -> None:
    valid[-1] = valid[-1][:90] + "0000000099999I" + valid[-1][104:]
    with pytest.raises(FormatValidationError, match="new balance 9999.99 != previous") as info:
        cfonb120.validate(_join(valid))
    assert info.value.line == len(valid)
    # python-cfonb accepts the same file.
    assert read_with_python_cfonb(_join(valid))[0].footer["next_amount"] == Decimal("9999.99")


@pytest.mark.parametrize(
    ("index", "edit", "message"),
    [
        (1, lambda r: r + " ", "121 characters"),
        (1, lambda r: r[:-1], "119 characters"),
        (2, lambda r: r[:48] + "Café" + r[52:], "outside the CFONB set"),
        (1, lambda r: r[:90] + "00000000025X5}" + r[104:], "sign code"),
        (1, lambda r: r[:42] + "320124" + r[48:], "not a valid DDMMYY"),
        (1, lambda r: r[:2] + "3000A" + r[7:], "bank code"),
        (1, lambda r: "09" + r[2:], "record code '09'"),
        (2, lambda r: r[:34] + "160124" + r[40:], "differ from its 04"),
        (0, lambda r: r[:16] + "USD" + r[19:], None),
    ],
)
def test_validator_refuses_and_names_the_line(
    valid: list[str], index: int, edit, message: str | None
) -> None:
    valid[index] = edit(valid[index])
    with pytest.raises(FormatValidationError, match=message or "differ from the 01") as info:
        cfonb120.validate(_join(valid))
    assert info.value.line == (index + 1 if message else 2)


def test_structure_01_04_05_07_is_enforced(valid: list[str]) -> None:
    with pytest.raises(FormatValidationError, match="never closed by a 07"):
        cfonb120.validate(_join(valid[:-1]))
    with pytest.raises(FormatValidationError, match="no 01 before it"):
        cfonb120.validate(_join(valid[1:]))
    with pytest.raises(FormatValidationError, match="05 complement record without a 04"):
        cfonb120.validate(_join([valid[0], valid[2], valid[-1]]))


def test_records_without_line_ends_are_read(valid: list[str]) -> None:
    assert cfonb120.parse("".join(valid))[0].closing_balance == Decimal("1949.49")


# ------------------------------------------------------------------- property: round trips

texts = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=70)
amounts = st.decimals(
    min_value=Decimal("-99999999.99"), max_value=Decimal("99999999.99"), places=2
).filter(lambda d: d != 0)


@st.composite
def statements(draw: st.DrawFn) -> Statement:
    account = StatementAccount("FR7630006000011234567890189", "AGRIFRPP", "EUR", "ACME")
    day = draw(st.dates(min_value=date(2001, 1, 1), max_value=date(2079, 12, 30)))
    entries = [
        entry(
            f"tx{i}",
            str(draw(amounts)),
            counterparty=draw(texts.filter(lambda t: len(to_cfonb(t).strip()) <= 70)),
            reference=draw(st.text(max_size=140)),
            end_to_end_id=draw(st.from_regex(r"[A-Z0-9-]{0,35}", fullmatch=True)),
            booking_date=day,
            value_date=draw(st.sampled_from([day, date(2000, 2, 29), date(2079, 12, 31)])),
            operation_type=draw(st.sampled_from(["transfer", "card", "fee", "direct_debit", "x"])),
        )
        for i in range(draw(st.integers(min_value=0, max_value=5)))
    ]
    return Statement(account, day, draw(amounts), entries)


@pytest.mark.slow  # seconds of OCR or property examples: not in the fast command
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(statements())
def test_round_trip_write_validate_parse(statement: Statement) -> None:
    text = cfonb120.write(statement)
    cfonb120.validate(text)
    assert set(text) <= CFONB_CHARS | {"{", "}", "\r", "\n"}
    [parsed] = cfonb120.parse(text)
    assert parsed.opening_balance == statement.opening_balance
    assert parsed.closing_balance == statement.closing_balance
    for ours, back in zip(statement.entries, parsed.entries, strict=True):
        assert back.amount == ours.amount
        assert back.booking_date == ours.booking_date
        assert back.value_date == ours.value_date
        assert back.counterparty == to_cfonb(ours.counterparty).strip()
        assert back.reference == to_cfonb(ours.reference).strip()
        assert back.end_to_end_id == ours.end_to_end_id
    [read] = read_with_python_cfonb(text)
    assert [line["amount"] for line in read.lines] == [e.amount for e in statement.entries]
    assert read.footer["next_amount"] == statement.closing_balance


@pytest.mark.slow  # seconds of OCR or property examples: not in the fast command
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated(statements().map(cfonb120.write), ("replace", "swap-lines", "dup-line")))
def test_fast_validation_never_accepts_what_parse_refuses(text: str) -> None:
    # validate() trusts its fast path; it must accept a subset of what parse() accepts.
    if cfonb120._fast_ok(text):
        cfonb120.parse(text)
