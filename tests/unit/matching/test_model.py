"""Input records validate themselves and name what is wrong."""

from __future__ import annotations

import doctest
import json
from datetime import date, timedelta
from decimal import Decimal

import pytest

import shared.matching.assignment
import shared.matching.model
import shared.matching.name_similarity
import shared.matching.names
import shared.matching.trades
from shared.matching.model import (
    DocumentLine,
    MalformedLine,
    TransactionLine,
    plain_document_lines,
    plain_transaction_lines,
)

TX = {
    "id": "t1",
    "account_id": "a",
    "amount": "-42.50",
    "currency": "EUR",
    "counterparty": "SNCF INTERNET",
    "operation_type": "card",
    "emitted_at": "2024-03-05T10:00:00Z",
}


@pytest.mark.parametrize(
    "module",
    [
        shared.matching.model,
        shared.matching.names,
        shared.matching.name_similarity,
        shared.matching.trades,
        shared.matching.assignment,
    ],
)
def test_module_doctests_hold(module):
    result = doctest.testmod(module)
    assert result.attempted > 0
    assert result.failed == 0


def test_amounts_are_exact_decimals():
    line = TransactionLine.from_json(
        {**TX, "amount": "-0.10", "local_amount": 0.3, "local_currency": "usd"}
    )
    assert line.amount == Decimal("-0.10")
    assert line.local_amount == Decimal("0.3")  # shortest repr, not 0.299999...
    assert line.local_currency == "USD"


def test_bare_date_is_read_as_paris_midnight():
    line = TransactionLine.from_json({**TX, "emitted_at": "2024-07-01"})
    assert line.emitted_at.utcoffset() == timedelta(hours=2)  # CEST
    assert line.emitted_at.isoformat() == "2024-07-01T00:00:00+02:00"


def test_document_dates_are_calendar_days():
    line = DocumentLine.from_json(
        {
            "id": "d",
            "document_type": "invoice",
            "total": "1",
            "currency": "EUR",
            "issue_date": "2024-03-31T23:30:00Z",
        }
    )
    assert line.issue_date == date(2024, 4, 1)  # 01:30 in Paris


def test_unknown_keys_are_ignored():
    line = TransactionLine.from_json({**TX, "category": "travel", "note": {"x": 1}})
    assert line.id == "t1"


def test_malformed_line_names_line():
    with pytest.raises(MalformedLine) as err:
        TransactionLine.from_json({**TX, "amount": "12,5O"}, line_no=17)
    assert err.value.line_no == 17
    assert err.value.field == "amount"
    assert str(err.value).startswith("line 17: field 'amount'")


@pytest.mark.parametrize(
    ("patch", "field"),
    [
        ({"operation_type": "cash"}, "operation_type"),
        ({"currency": "euro"}, "currency"),
        ({"emitted_at": "yesterday"}, "emitted_at"),
        ({"amount": None}, "amount"),
        ({"amount": "0"}, "amount"),
        ({"id": ""}, "id"),
        ({"has_attachment": "yes"}, "has_attachment"),
    ],
)
def test_each_bad_transaction_field_is_named(patch, field):
    with pytest.raises(MalformedLine) as err:
        TransactionLine.from_json({**TX, **patch}, line_no=3)
    assert err.value.field == field


def test_bad_candidate_total_is_named_with_its_position():
    with pytest.raises(MalformedLine) as err:
        DocumentLine.from_json(
            {
                "id": "d",
                "document_type": "receipt",
                "total": "9",
                "currency": "EUR",
                "candidate_totals": ["9.00", "abc"],
            },
            line_no=4,
        )
    assert err.value.field == "candidate_totals[1]"


def test_non_object_line_is_rejected():
    with pytest.raises(MalformedLine, match="line 9: expected a JSON object"):
        DocumentLine.from_json(["not", "an", "object"], line_no=9)  # type: ignore[arg-type]


class _CarefulDict(dict):
    """A dict subclass: `from_json` takes its careful (slow) path for it."""


@pytest.mark.parametrize(
    "patch",
    [
        {},
        {"currency": " eur ", "id": " t1 ", "emitted_at": "2024-03-05"},
        {"amount": Decimal("-12.5"), "settled_at": "2024-03-07T08:00:00+01:00"},
        {"local_amount": "-13.10", "local_currency": "usd", "has_attachment": True},
        {"reference": "  FACTURE F-12 ", "counterparty_iban": "fr76 3000 6000 0112"},
        {"counterparty": "", "reference": ""},
        {"emitted_at": "2024-03-05T10:00:00"},
        {"settled_at": "2024-03-07"},
        {"settled_at": " "},
        {"settled_at": None},
        {"settled_at": "2024-03-07", "note": "an unknown key"},
    ],
)
def test_fast_and_careful_paths_read_a_line_alike(patch):
    obj = {**TX, **patch}
    assert TransactionLine.from_json(obj) == TransactionLine.from_json(_CarefulDict(obj))


DOC = {
    "id": "d1",
    "document_type": "receipt",
    "total": "42.50",
    "currency": "EUR",
    "supplier_name": "Café du Coin",
    "issue_date": "2024-03-05",
}


@pytest.mark.parametrize(
    "patch",
    [
        {},
        {"currency": " eur ", "id": " d1 ", "document_type": " invoice "},
        {"total": Decimal("12.5")},
        {"total": "0"},
        {"total": "-0.00"},
        {"total": " 12.50 "},
        {"total": 12},
        {"total": "1.00000"},
        {"supplier_name": "  "},
        {"supplier_name": None, "issue_date": None},
        {"supplier_name": 12},
        {"issue_date": " 2024-03-05 "},
        {"issue_date": "2024-03-05T23:30:00Z"},
        {"issue_date": ""},
        {"issue_date": "2024-W10-2"},
        {"id": 7},
        {"checksum": "abc"},
        {"note": "an unknown key"},
    ],
)
def test_fast_and_careful_document_paths_read_a_line_alike(patch):
    obj = {**DOC, **patch}
    assert DocumentLine.from_json(obj) == DocumentLine.from_json(_CarefulDict(obj))


def test_a_common_document_line_takes_the_fast_path():
    assert shared.matching.model._fast_document(DOC) == DocumentLine.from_json(_CarefulDict(DOC))


@pytest.mark.parametrize(
    "patch",
    [
        {"total": None},
        {"total": "abc"},
        {"total": "1E+999"},
        {"currency": "EURO"},
        {"document_type": "memo"},
        {"id": " "},
        {"issue_date": "2024-13-05"},
        {"issue_date": "1900-03-05"},
        {"supplier_name": "x" * 1001},
        {"supplier_name": "\ud800"},
    ],
)
def test_fast_document_path_refuses_what_the_careful_path_refuses(patch):
    obj = {**DOC, **patch}
    with pytest.raises(MalformedLine) as fast:
        DocumentLine.from_json(obj, line_no=3)
    with pytest.raises(MalformedLine) as careful:
        DocumentLine.from_json(_CarefulDict(obj), line_no=3)
    assert str(fast.value) == str(careful.value)


def test_an_amount_read_again_keeps_its_written_form():
    first = TransactionLine.from_json({**TX, "amount": "-12.50"})
    again = TransactionLine.from_json({**TX, "amount": "-12.50"})
    other = TransactionLine.from_json({**TX, "amount": "-12.5"})
    assert str(first.amount) == str(again.amount) == "-12.50"
    assert str(other.amount) == "-12.5"


def test_counterparty_key_is_required_but_may_be_empty():
    obj = {k: v for k, v in TX.items() if k != "counterparty"}
    with pytest.raises(MalformedLine) as err:
        TransactionLine.from_json(obj, line_no=2)
    assert err.value.field == "counterparty"
    assert TransactionLine.from_json({**TX, "counterparty": ""}).counterparty == ""


PLAIN_LINES = [
    TX,
    {**TX, "id": "t2", "settled_at": "2024-03-07T08:00:00+01:00"},
    {**TX, "id": "t3", "settled_at": ""},
    {**TX, "id": " t4 ", "currency": " eur ", "counterparty": "Café  ", "emitted_at": "2024-03-05"},
    {**TX, "id": "t5", "counterparty": "", "settled_at": " 2024-03-07 "},
]


def _jsonl(lines: list[dict], **options: object) -> str:
    """The lines as `json.dumps` writes them (UTF-8 text unless told otherwise)."""
    options = {"ensure_ascii": False, **options}
    return "".join(json.dumps(line, **options) + "\n" for line in lines)  # type: ignore[arg-type]


def test_plain_lines_are_read_as_the_json_decoder_reads_them():
    expected = [TransactionLine.from_json(_CarefulDict(line)) for line in PLAIN_LINES]
    assert plain_transaction_lines(_jsonl(PLAIN_LINES)) == expected
    assert plain_transaction_lines(_jsonl(PLAIN_LINES).rstrip("\n")) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        _jsonl([TX, {**TX, "id": "t2", "counterparty": "CAFÉ"}], ensure_ascii=True),  # an escape
        _jsonl([TX, {**TX, "id": "t2", "counterparty": 'SAY "CHEESE"'}]),
        _jsonl([TX, {**TX, "id": "t2", "reference": "F-12"}]),  # another optional field
        _jsonl([{**TX, "note": "an unknown key"}]),
        _jsonl([TX], separators=(",", ":")),
        _jsonl([TX]).replace("\n", "\r\n"),
        _jsonl([TX]) + "\n" + _jsonl([{**TX, "id": "t2"}]),  # a blank line
        _jsonl([{**TX, "amount": -42.5}]),  # a number
        _jsonl([{**TX, "settled_at": None}]),
        _jsonl([{**TX, "counterparty": "X" * 1001}]),
        # Well formed, but refused: the careful path names the field.
        _jsonl([{**TX, "amount": "0"}]),
        _jsonl([{**TX, "amount": "1E+999999"}]),
        _jsonl([{**TX, "currency": "EURO"}]),
        _jsonl([{**TX, "operation_type": "cash"}]),
        _jsonl([{**TX, "emitted_at": "9999-12-31T23:30:00-05:00"}]),
        _jsonl([{**TX, "settled_at": "2024-13-01"}]),
    ],
)
def test_other_lines_are_left_to_the_json_decoder(text):
    assert plain_transaction_lines(text) is None


def test_a_posting_date_read_again_is_the_same_and_a_refused_one_stays_refused():
    line = {**TX, "settled_at": "2024-03-07T08:00:00+01:00"}
    first, again = plain_transaction_lines(_jsonl([line, {**line, "id": "t2"}]))  # type: ignore[misc]
    assert again.settled_at == first.settled_at
    assert first == TransactionLine.from_json(_CarefulDict(line))
    refused = _jsonl([{**TX, "settled_at": "2101-01-01T00:00:00Z"}])
    assert plain_transaction_lines(refused) is None
    assert plain_transaction_lines(refused) is None


PLAIN_DOCUMENTS = [
    DOC,
    {**DOC, "id": "d2", "supplier_name": "  "},
    {k: v for k, v in {**DOC, "id": "d3"}.items() if k != "supplier_name"},
    {**DOC, "id": " d4 ", "document_type": " invoice ", "total": "-0.00", "currency": "eur"},
    {**DOC, "id": "d5", "issue_date": " 2024-03-05 "},
    {k: v for k, v in {**DOC, "id": "d6"}.items() if k != "issue_date"},
]


def test_plain_document_lines_are_read_as_the_json_decoder_reads_them():
    expected = [DocumentLine.from_json(_CarefulDict(line)) for line in PLAIN_DOCUMENTS]
    assert plain_document_lines(_jsonl(PLAIN_DOCUMENTS)) == expected


@pytest.mark.parametrize(
    "line",
    [
        {**DOC, "supplier_vat": "FR12345678901"},  # another field
        {**DOC, "total": 42.5},  # a number
        {"id": "d1", "document_type": "receipt", "currency": "EUR", "total": "1"},  # the order
        {**DOC, "issue_date": "2024-03-05T23:30:00Z"},  # an instant: converted
        {**DOC, "total": "abc"},
        {**DOC, "issue_date": "1900-03-05"},
        {**DOC, "document_type": "memo"},
    ],
)
def test_other_document_lines_are_left_to_the_json_decoder(line):
    assert plain_document_lines(_jsonl([line])) is None
