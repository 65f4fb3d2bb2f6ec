"""The match command refuses each malformed or absurd input, naming its line, and
prints nothing then (issue 13: inputs found by feeding the CLI hostile data)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from shared.matching.commands import MAX_LINE_CHARS, match_main

ORG = {"name": "Atelier Dupont SAS", "ibans": ["FR7630006000011234567890189"]}
TX = {
    "id": "t1",
    "account_id": "a",
    "amount": "-42.50",
    "currency": "EUR",
    "counterparty": "SNCF INTERNET",
    "operation_type": "card",
    "emitted_at": "2024-03-05T10:00:00+01:00",
}
DOC = {
    "id": "d1",
    "document_type": "receipt",
    "total": "42.50",
    "currency": "EUR",
    "supplier_name": "SNCF",
    "issue_date": "2024-03-05",
}


def run(tmp_path: Path, capsys, tx_lines: list[str], doc_lines: list[str]) -> tuple[int, str, str]:
    (tmp_path / "org.json").write_text(json.dumps(ORG))
    (tmp_path / "tx.jsonl").write_text("".join(line + "\n" for line in tx_lines))
    (tmp_path / "docs.jsonl").write_text("".join(line + "\n" for line in doc_lines))
    status = match_main(
        [
            "--organization",
            str(tmp_path / "org.json"),
            "--transactions",
            str(tmp_path / "tx.jsonl"),
            "--documents",
            str(tmp_path / "docs.jsonl"),
        ]
    )
    out, err = capsys.readouterr()
    return status, out, err


def line(base: dict, **changes: object) -> str:
    return json.dumps({**base, **changes})


def test_well_formed_input_is_matched(tmp_path, capsys):
    status, out, _ = run(tmp_path, capsys, [line(TX)], [line(DOC)])
    assert status == 0
    assert json.loads(out)["transaction_id"] == "t1"


@pytest.mark.parametrize(
    ("tx_lines", "doc_lines", "where", "why"),
    [
        # Deep nesting, even in a key the engine ignores.
        (
            [line(TX), '{"id": "t2", "extra": ' + "[" * 5_000 + "]" * 5_000 + "}"],
            [line(DOC)],
            "tx.jsonl: line 2",
            "nesting too deep",
        ),
        # A 5,000-digit integer.
        ([line(TX)], [line(DOC), '{"id": "d2", "total": ' + "9" * 5000 + "}"], "line 2", "digits"),
        # A lone surrogate, after a good line (nothing may be printed).
        (
            [line(TX)],
            [line(DOC), line(DOC, id="d2", supplier_name="Caf\udce9")],
            "docs.jsonl: line 2: field 'supplier_name'",
            "lone surrogate",
        ),
        # Decimal overflow.
        ([line(TX, amount="-1E+999999")], [line(DOC)], "tx.jsonl: line 1: field 'amount'", ""),
        ([line(TX)], [line(DOC, total=1e308)], "docs.jsonl: line 1: field 'total'", "plausible"),
        # Year 9999, with an offset that would overflow a time zone conversion.
        (
            [line(TX, emitted_at="9999-12-31T23:30:00-05:00")],
            [line(DOC)],
            "tx.jsonl: line 1: field 'emitted_at'",
            "year 9999",
        ),
        ([line(TX)], [line(DOC, issue_date="9999-12-31")], "field 'issue_date'", "year 9999"),
        # Duplicate ids.
        (
            [line(TX), line(TX)],
            [line(DOC)],
            "tx.jsonl: line 2: field 'id'",
            "already used on line 1",
        ),
        ([line(TX)], [line(DOC), line(DOC)], "docs.jsonl: line 2: field 'id'", "already used"),
        # Absurd amounts.
        ([line(TX, amount="-5000000000000.00")], [line(DOC)], "field 'amount'", "plausible"),
        ([line(TX)], [line(DOC, total="42.5000001")], "field 'total'", "decimals"),
        ([line(TX, local_amount="1E+30", local_currency="USD")], [line(DOC)], "local_amount", ""),
        # Absurd text and sizes.
        ([line(TX, counterparty="X" * 5000)], [line(DOC)], "field 'counterparty'", "at most"),
        ([line(TX)], [line(DOC, candidate_totals=["1"] * 500)], "candidate_totals", "at most"),
        ([line(TX)], [line(DOC, padding="x" * MAX_LINE_CHARS)], "docs.jsonl: line 1", "at most"),
    ],
)
def test_malformed_or_absurd_input_is_refused_naming_its_line(
    tmp_path, capsys, tx_lines, doc_lines, where, why
):
    status, out, err = run(tmp_path, capsys, tx_lines, doc_lines)
    assert status == 2
    assert out == ""  # no partial output
    assert where in err
    assert why in err
