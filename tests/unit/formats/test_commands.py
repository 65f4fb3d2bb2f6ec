"""The CLI contract: `python -m shared.cli statement ...` and `python -m shared.cli pain001 FILE`."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import mt940 as mt940_lib
import pytest
from cfonb.parser.statement import StatementReader

from shared.formats.commands import pain001_main, statement_main
from tests.unit.formats.conftest import BANK, ROOT

ACCOUNT = {
    "iban": "FR7630006000011234567890189",
    "bic": "AGRIFRPP",
    "currency": "EUR",
    "holder_name": "ACME SAS",
}
TRANSACTIONS = [
    # booked on the 15th in Paris (08:00 UTC)
    {"id": "t1", "account_id": "a1", "amount": "-12.50", "currency": "EUR",
     "counterparty": "Café Crème", "operation_type": "card",
     "emitted_at": "2024-01-15T08:00:00Z"},
    # emitted on the 14th at 23:30 UTC = the 15th at 00:30 in Paris
    {"id": "t2", "account_id": "a1", "amount": "1000.00", "currency": "EUR",
     "counterparty": "Client SA", "operation_type": "transfer", "reference": "Facture 12",
     "end_to_end_id": "E2E-9", "emitted_at": "2024-01-14T23:30:00+00:00"},
    # settled (booked) on the 16th although emitted on the 15th: not in the statement
    {"id": "t3", "account_id": "a1", "amount": "-5.00", "currency": "EUR",
     "counterparty": "X", "operation_type": "transfer", "emitted_at": "2024-01-15T10:00:00Z",
     "settled_at": "2024-01-16T09:00:00+01:00"},
    # explicit booking and value dates win
    {"id": "t4", "account_id": "a1", "amount": "7", "currency": "EUR", "counterparty": "Y",
     "operation_type": "transfer", "emitted_at": "2024-01-10T10:00:00Z",
     "booking_date": "2024-01-15", "value_date": "2024-01-17"},
]  # fmt: skip


@pytest.fixture
def inputs(tmp_path: Path) -> tuple[Path, Path]:
    account = tmp_path / "ACCOUNT.json"
    account.write_text(json.dumps(ACCOUNT))
    tx = tmp_path / "TX.jsonl"
    tx.write_text("\n".join(json.dumps(t) for t in TRANSACTIONS) + "\n")
    return account, tx


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "shared.cli", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


def statement_args(fmt: str, account: Path, tx: Path, opening: str = "-100.00") -> list[str]:
    return ["--format", fmt, "--account", str(account), "--transactions", str(tx),
            "--date", "2024-01-15", "--opening-balance", opening]  # fmt: skip


def test_mt940_statement_from_the_cli(inputs: tuple[Path, Path]) -> None:
    done = run_cli("statement", *statement_args("mt940", *inputs))
    assert done.returncode == 0, done.stderr
    read = mt940_lib.models.Transactions()
    read.parse(done.stdout)
    assert [t.data["amount"].amount for t in read] == [
        Decimal("-12.50"),
        Decimal("1000.00"),
        Decimal("7.00"),
    ]
    assert read.data["final_opening_balance"].amount.amount == Decimal("-100.00")
    assert read.data["final_closing_balance"].amount.amount == Decimal("894.50")
    assert str(read.transactions[2].data["date"]) == "2024-01-17"


def test_cfonb120_statement_in_process(inputs: tuple[Path, Path], capsys) -> None:
    assert statement_main(statement_args("cfonb120", *inputs)) == 0
    out = capsys.readouterr().out
    [read] = StatementReader().parse(io.StringIO(out))
    assert read.footer["next_amount"] == Decimal("894.50")
    assert [line["amount"] for line in read.lines] == [
        Decimal("-12.50"),
        Decimal("1000.00"),
        Decimal("7.00"),
    ]


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({"amount": "1.005"}, "TX.jsonl line 2: entry 't2' amount: amount 1.005 has more than 2"),
        ({"amount": True}, "TX.jsonl line 2: amount must be a decimal string, not bool"),
        ({"amount": None}, "TX.jsonl line 2: amount must be a decimal string, not NoneType"),
        ({"emitted_at": "2024-01-15T10:00:00"}, "TX.jsonl line 2: emitted_at '2024-01-15T10:00:00' has no timezone"),
        ({"currency": "USD"}, "TX.jsonl line 2: entry 't2': currency USD differs"),
        ({"amount": "-" + "9" * 16}, "TX.jsonl line 2: entry 't2' amount: amount -9999999999999999 has more than 15 integer digits"),
        ({"amount": "1E+999999"}, "TX.jsonl line 2: entry 't2' amount: amount 1E+999999 has more than 15"),
        ({"booking_date": "0001-01-01"}, "TX.jsonl line 2: entry 't2' booking_date: date 0001-01-01 is outside 2000-01-01..2099-12-31"),
        ({"value_date": "1926-01-15"}, "TX.jsonl line 2: entry 't2' value_date: date 1926-01-15 is outside"),
    ],
)  # fmt: skip
def test_unrepresentable_input_exits_non_zero_naming_the_line(
    inputs: tuple[Path, Path], bad: dict, message: str, capsys
) -> None:
    account, tx = inputs
    rows = [dict(t) for t in TRANSACTIONS]
    rows[1].update(bad)
    tx.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    assert statement_main(statement_args("mt940", account, tx)) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert message in captured.err


def test_invalid_json_line_and_missing_field_are_named(inputs: tuple[Path, Path]) -> None:
    account, tx = inputs
    tx.write_text(json.dumps(TRANSACTIONS[0]) + "\n{not json\n")
    done = run_cli("statement", *statement_args("cfonb120", account, tx))
    assert done.returncode == 1
    assert "TX.jsonl line 2:" in done.stderr
    tx.write_text(json.dumps({"id": "x", "amount": "1"}) + "\n")
    done = run_cli("statement", *statement_args("cfonb120", account, tx))
    assert done.returncode == 1
    assert "TX.jsonl line 1: missing field(s) currency, emitted_at" in done.stderr


def test_foreign_iban_cannot_be_written_in_cfonb(inputs: tuple[Path, Path], capsys) -> None:
    account, tx = inputs
    account.write_text(json.dumps({**ACCOUNT, "iban": "DE89370400440532013000"}))
    assert statement_main(statement_args("cfonb120", account, tx)) == 1
    assert "account.iban" in capsys.readouterr().err


def test_pain001_command_prints_one_json_object() -> None:
    done = run_cli("pain001", str(BANK / "pain001" / "generated-here" / "pain.001.001.03.xml"))
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["accepted"] is True
    assert result["errors"] == []
    assert result["message_id"] == "20261122085331-76717075ed72"
    assert [p["amount"] for p in result["payments"]] == ["123.45", "5.00"]
    assert result["payments"][1]["creditor_bic"] is None
    assert set(result["payments"][0]) == {
        "end_to_end_id", "amount", "currency", "creditor_name", "creditor_iban",
        "creditor_bic", "remittance", "requested_execution_date", "debtor_iban",
        "as_received",
    }  # fmt: skip
    assert result["payments"][0]["as_received"] == {}  # nothing needed converting


def test_pain001_command_refusal_exits_zero(capsys) -> None:
    path = next((BANK / "pain008-refuse").rglob("*.xml"))
    assert pain001_main([str(path)]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["accepted"] is False
    assert result["payments"] == []
    assert "direct debit" in result["errors"][0]


def test_pain001_command_missing_file_exits_2(tmp_path: Path, capsys) -> None:
    assert pain001_main([str(tmp_path / "nope.xml")]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_json_number_amounts_are_read_exactly(inputs: tuple[Path, Path], capsys) -> None:
    account, tx = inputs
    tx.write_text('{"id": "n", "amount": 0.10, "currency": "EUR", "counterparty": "Z", '
                  '"operation_type": "transfer", "emitted_at": "2024-01-15T10:00:00Z"}\n')  # fmt: skip
    assert statement_main(statement_args("mt940", account, tx, opening="0.20")) == 0
    assert ":62F:C240115EUR0,30" in capsys.readouterr().out


LONG_MERCHANT = "PAYPAL *MARKETPLACE SELLER " + "X" * 60 + "END"  # 90 characters


def test_a_long_counterparty_is_cut_with_a_warning_and_read_back_by_both_parsers(
    inputs: tuple[Path, Path],
) -> None:
    account, tx = inputs
    rows = [dict(t) for t in TRANSACTIONS]
    rows[0]["counterparty"] = LONG_MERCHANT
    tx.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    assert len(LONG_MERCHANT) == 90
    kept = LONG_MERCHANT[:70]

    mt = run_cli("statement", *statement_args("mt940", account, tx))
    assert mt.returncode == 0, mt.stderr
    assert mt.stderr == (
        "warning: TX.jsonl line 1: entry 't1': counterparty has 90 characters, cut to the "
        "SEPA limit of 70\n"
    )
    read = mt940_lib.models.Transactions()
    read.parse(mt.stdout)
    details = read.transactions[0].data["transaction_details"].replace("\n", "")
    assert details == "/NAME/" + kept.replace("*", ".")  # SWIFT X has no '*'
    assert len(read.transactions) == 3  # the day's statement is complete

    cf = run_cli("statement", *statement_args("cfonb120", account, tx))
    assert cf.returncode == 0, cf.stderr
    assert "counterparty has 90 characters, cut to the SEPA limit of 70" in cf.stderr
    [statement] = StatementReader().parse(io.StringIO(cf.stdout))
    assert statement.lines[0]["creditor_name"] == kept
    assert len(statement.lines) == 3
