"""MT940: our writer, read back by the independent `mt-940` parser and by our strict reader."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import mt940 as mt940_lib  # PyPI "mt-940", an independent reader
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shared.formats import mt940
from shared.formats.errors import FormatValidationError, UnrepresentableError
from shared.formats.statement import Statement, StatementAccount
from shared.formats.transliterate import SWIFT_X_CHARS, to_swift_x
from tests.unit.formats.conftest import entry


def read_with_mt940_lib(text: str) -> mt940_lib.models.Transactions:
    transactions = mt940_lib.models.Transactions()
    transactions.parse(text)
    return transactions


def test_written_statement_reads_back_with_mt940_library(statement: Statement) -> None:
    text = mt940.write(statement)
    mt940.validate(text)
    read = read_with_mt940_lib(text)
    assert read.data["account_identification"] == statement.account.iban
    assert read.data["final_opening_balance"].amount.amount == Decimal("1000.00")
    assert read.data["final_closing_balance"].amount.amount == statement.closing_balance
    assert read.data["final_closing_balance"].date == date(2024, 1, 15)
    assert [t.data["amount"].amount for t in read] == [e.amount for e in statement.entries]
    assert [t.data["date"] for t in read] == [e.value_date for e in statement.entries]
    assert [t.data["entry_date"] for t in read] == [e.booking_date for e in statement.entries]
    first = read.transactions[0].data
    assert first["customer_reference"] == "E2E-1"
    details = first["transaction_details"].replace("\n", "")
    assert "/NAME/Societe Generale - Equipements" in details
    assert "/REMI/Invoice 42" in details


def test_lines_end_with_crlf_and_message_with_dash(statement: Statement) -> None:
    text = mt940.write(statement)
    assert text.endswith("\r\n-\r\n")
    assert all(line for line in text.split("\r\n")[:-1])


def test_long_details_are_wrapped_into_lines_of_65(account: StatementAccount) -> None:
    long_entry = entry("x", "-1.00", reference="R" * 140, counterparty="N" * 70)
    text = mt940.write(Statement(account, date(2024, 1, 15), Decimal(0), [long_entry]))
    mt940.validate(text)
    details = text.split(":86:")[1].split("\r\n:62F:")[0].split("\r\n")
    assert 2 <= len(details) <= 6
    assert all(len(line) <= 65 for line in details)
    parsed = mt940.parse(text)[0].entries[0]
    assert parsed.reference == "R" * 140
    assert parsed.counterparty == "N" * 70


def test_no_continuation_line_starts_like_a_field_or_the_end(account: StatementAccount) -> None:
    # 59 characters before the ':' put it exactly at the start of the second line.
    tricky = entry("x", "-1.00", reference="A" * 53 + ":20:" + "-" * 20 + "B" * 50)
    text = mt940.write(Statement(account, date(2024, 1, 15), Decimal(0), [tricky]))
    for line in text.split("\r\n"):
        if line and not line.startswith(":"):
            assert line[0] not in ":-" or line == "-"
    assert mt940.parse(text)[0].entries[0].reference == "A" * 53 + ":20:" + "-" * 20 + "B" * 50


def test_details_that_cannot_be_wrapped_are_refused_not_cut(account: StatementAccount) -> None:
    dashes = entry("dash", "-1.00", reference="-" * 140)
    with pytest.raises(UnrepresentableError, match="entry 'dash'.*cannot be wrapped"):
        mt940.write(Statement(account, date(2024, 1, 15), Decimal(0), [dashes]))


def test_negative_balances_use_debit_mark(account: StatementAccount) -> None:
    text = mt940.write(Statement(account, date(2024, 3, 1), Decimal("-5.00"), []))
    assert ":60F:D240229EUR5,00" in text
    assert ":62F:D240301EUR5,00" in text


def test_unrepresentable_amount_names_the_entry(account: StatementAccount) -> None:
    huge = entry("big", "-1" + "0" * 14)
    with pytest.raises(UnrepresentableError, match="entry 'big'"):
        mt940.write(Statement(account, date(2024, 1, 15), Decimal(0), [huge]))


# ---------------------------------------------------------------- validator: what it refuses

VALID = (
    ":20:STMT1\r\n:25:FR7630006000011234567890189\r\n:28C:00001/001\r\n"
    ":60F:C240114EUR100,00\r\n"
    ":61:2401150115D10,00NTRFREF1//B1\r\n:86:/REMI/Paid\r\n"
    ":62F:C240115EUR90,00\r\n-\r\n"
)


def test_valid_reference_message_passes() -> None:
    [parsed] = mt940.parse(VALID)
    assert parsed.closing_balance == Decimal("90.00")
    assert parsed.entries[0].reference == "Paid"


@pytest.mark.parametrize(
    ("broken", "line", "message"),
    [
        (VALID.replace("C240115EUR90,00", "C240115EUR91,00"), 7, "closing balance 91.00"),
        (VALID.replace("/REMI/Paid", "/REMI/" + "P" * 60), 6, "more than 65"),
        (VALID.replace("/REMI/Paid", "/REMI/Paid\r\n" + "x\r\n" * 6), 6, "7 lines"),
        (VALID.replace("/REMI/Paid", "/REMI/Pay€"), 6, "SWIFT X"),
        (VALID.replace("/REMI/Paid", "/REMI/Pay_d"), 6, "SWIFT X"),
        (VALID.replace(":25:FR7630006000011234567890189\r\n", ""), 2, ":28C: out of order"),
        (VALID.replace(":20:STMT1\r\n", ""), 1, ":25: out of order"),
        (VALID.replace(":62F:C240115EUR90,00\r\n", ""), 6, "ends early"),
        (VALID.replace("D10,00", "D10,001"), 5, "more decimals"),
        (VALID.replace("D10,00", "D10"), 5, "exactly one comma"),
        (VALID.replace("NTRFREF1//B1", "NTRF"), 5, "does not match"),
        (VALID.replace("2401150115", "2402300115"), 5, "not a valid YYMMDD"),
        (VALID.replace(":62F:C240115EUR", ":62F:C240115USD"), 7, "currency USD"),
        (VALID.replace(":61:", ":99:"), 5, "not an MT940 field"),
        (VALID.replace("-\r\n", "-\r\n:20:X\r\n"), 9, "ends early"),
    ],
)
def test_validator_refuses_and_names_the_line(broken: str, line: int, message: str) -> None:
    with pytest.raises(FormatValidationError, match=message) as info:
        mt940.validate(broken)
    assert info.value.line == line
    assert str(info.value).startswith(f"line {line}:")


def test_lenient_library_accepts_what_our_validator_refuses() -> None:
    wrong_balance = VALID.replace("C240115EUR90,00", "C240115EUR91,00")
    read = read_with_mt940_lib(wrong_balance)  # accepted without complaint
    assert read.data["final_closing_balance"].amount.amount == Decimal("91.00")
    with pytest.raises(FormatValidationError):
        mt940.validate(wrong_balance)


def test_swift_envelope_is_accepted() -> None:
    wrapped = "{1:F01AGRIFRPPAXXX0000000000}{2:I940AGRIFRPPXXXXN}{4:\r\n" + VALID[:-3] + "-}\r\n"
    assert mt940.parse(wrapped)[0].closing_balance == Decimal("90.00")


# ------------------------------------------------------------------- property: round trips

names = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=70)
ascii_ids = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-", min_size=1, max_size=35)
amounts = st.decimals(
    min_value=Decimal("-99999999.99"), max_value=Decimal("99999999.99"), places=2
).filter(lambda d: d != 0)


@st.composite
def statements(draw: st.DrawFn) -> Statement:
    account = StatementAccount("FR7630006000011234567890189", "AGRIFRPP", "EUR", "ACME")
    day = draw(st.dates(min_value=date(2001, 1, 1), max_value=date(2079, 12, 30)))
    count = draw(st.integers(min_value=0, max_value=6))
    entries = [
        entry(
            f"tx{i}",
            str(draw(amounts)),
            counterparty=draw(names),
            reference=draw(st.text(max_size=140)),
            end_to_end_id=draw(ascii_ids | st.just("")),
            booking_date=day,
            value_date=day,
        )
        for i in range(count)
    ]
    opening = draw(amounts | st.just(Decimal("0.00")))
    return Statement(account, day, opening, entries)


@pytest.mark.slow  # seconds of OCR or property examples: not in the fast command
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(statements())
def test_round_trip_write_validate_parse(statement: Statement) -> None:
    text = mt940.write(statement)
    mt940.validate(text)
    assert set(text) <= SWIFT_X_CHARS | {"\r", "\n"}
    [parsed] = mt940.parse(text)
    assert parsed.opening_balance == statement.opening_balance
    assert parsed.closing_balance == statement.closing_balance
    assert len(parsed.entries) == len(statement.entries)
    for ours, back in zip(statement.entries, parsed.entries, strict=True):
        assert back.amount == ours.amount
        assert back.booking_date == ours.booking_date
        assert back.counterparty == mt940._unframe(to_swift_x(ours.counterparty).strip())
        assert back.reference == mt940._unframe(to_swift_x(ours.reference).strip())
        assert back.end_to_end_id == ours.end_to_end_id
    # The independent reader agrees on the numbers.
    read = read_with_mt940_lib(text)
    assert [t.data["amount"].amount for t in read] == [e.amount for e in statement.entries]
    assert read.data["final_closing_balance"].amount.amount == statement.closing_balance


MUTATION_CHARS = list(":-/,.CDRN0123456789 \r\nAZaz{}") + ["é"]


@st.composite
def mutated(
    draw: st.DrawFn,
    texts: st.SearchStrategy[str],
    kinds: tuple[str, ...] = ("replace", "delete", "insert", "swap-lines", "dup-line"),
) -> str:
    """A written file with 1 to 3 small corruptions (characters or whole lines)."""
    text = draw(texts)
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        i = draw(st.integers(min_value=0, max_value=max(len(text) - 1, 0)))
        kind = draw(st.sampled_from(kinds))
        ch = draw(st.sampled_from(MUTATION_CHARS))
        lines = text.split("\r\n")
        j = draw(st.integers(min_value=0, max_value=len(lines) - 1))
        if kind == "replace":
            text = text[:i] + ch + text[i + 1 :]
        elif kind == "delete":
            text = text[:i] + text[i + 1 :]
        elif kind == "insert":
            text = text[:i] + ch + text[i:]
        elif kind == "swap-lines" and j + 1 < len(lines):
            lines[j], lines[j + 1] = lines[j + 1], lines[j]
            text = "\r\n".join(lines)
        elif kind == "dup-line":
            lines.insert(j, lines[j])
            text = "\r\n".join(lines)
    return text


@pytest.mark.slow  # seconds of OCR or property examples: not in the fast command
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated(statements().map(mt940.write)))
def test_fast_validation_never_accepts_what_parse_refuses(text: str) -> None:
    # validate() trusts its fast path; it must accept a subset of what parse() accepts.
    if mt940._fast_ok(text):
        mt940.parse(text)


def test_our_detail_codes_inside_a_value_do_not_split_it(account: StatementAccount) -> None:
    tricky = entry("t", "-1.00", reference="see /NAME/ field", counterparty="A/REMI/B")
    text = mt940.write(Statement(account, date(2024, 1, 15), Decimal(0), [tricky]))
    parsed = mt940.parse(text)[0].entries[0]
    assert parsed.reference == "see -NAME- field"
    assert parsed.counterparty == "A-REMI-B"
