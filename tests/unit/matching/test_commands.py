"""`python -m shared.cli match` end to end, through a subprocess."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.unit.matching.helpers import cli_match_command

ROOT = Path(__file__).resolve().parents[3]

ORG = {
    "name": "Atelier Dupont SAS",
    "vat": "FR12345678901",
    "siren": "345678901",
    "ibans": ["FR7630006000011234567890189"],
}
TXS = [
    {
        "id": "t1",
        "account_id": "a",
        "amount": "-42.50",
        "currency": "EUR",
        "counterparty": "AMZN Mktp FR*2K3L4",
        "operation_type": "card",
        "emitted_at": "2024-03-07",  # a booking date alone: the payment was days before
        "extra": "ignored",
    },
    {
        "id": "t2",
        "account_id": "a",
        "amount": "1500.00",
        "currency": "EUR",
        "counterparty": "MARTIN CONSEIL",
        "operation_type": "income",
        "emitted_at": "2024-05-20T09:00:00Z",
    },
]
DOCS = [
    {
        "id": "d1",
        "document_type": "receipt",
        "total": "42.50",
        "currency": "EUR",
        "supplier_name": "Amazon EU S.à r.l.",
        "issue_date": "2024-03-05",
    },
    {
        "id": "d2",
        "document_type": "invoice",
        "total": 1500.0,
        "currency": "EUR",
        "supplier_vat": "FR12345678901",
        "issue_date": "2024-05-01",
    },
]


def write(tmp_path: Path, txs: list, docs_text: str) -> list[str]:
    (tmp_path / "org.json").write_text(json.dumps(ORG))
    (tmp_path / "tx.jsonl").write_text("".join(json.dumps(t) + "\n" for t in txs))
    (tmp_path / "docs.jsonl").write_text(docs_text)
    return cli_match_command(tmp_path)


def run(cmd: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=60)


def test_cli_round_trip_prints_one_line_per_document(tmp_path):
    docs_text = "".join(json.dumps(d, ensure_ascii=False) + "\n" for d in DOCS) + "\n"
    done = run(write(tmp_path, TXS, docs_text))
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert [line["document_id"] for line in lines] == ["d1", "d2"]
    assert lines[0]["transaction_id"] == "t1"
    assert lines[0]["score"] > 0.6
    assert "amount 42.50 EUR equals transaction amount" in lines[0]["reasons"]
    assert lines[1]["transaction_id"] is None
    assert lines[1]["reasons"][0].startswith("sales invoice")
    assert set(lines[0]) >= {"document_id", "transaction_id", "score", "reasons"}


def test_malformed_line_names_file_and_line(tmp_path):
    bad = dict(DOCS[0], total="4x.50")
    docs_text = json.dumps(DOCS[1]) + "\n\n" + json.dumps(bad) + "\n"
    done = run(write(tmp_path, TXS, docs_text))
    assert done.returncode == 2
    assert done.stdout == ""
    assert "docs.jsonl: line 3: field 'total'" in done.stderr


def test_invalid_json_names_file_and_line(tmp_path):
    done = run(write(tmp_path, TXS, json.dumps(DOCS[0]) + "\n{not json\n"))
    assert done.returncode == 2
    assert "docs.jsonl: line 2: invalid JSON" in done.stderr


def test_missing_file_is_reported(tmp_path):
    cmd = write(tmp_path, TXS, "")
    cmd[cmd.index("--transactions") + 1] = str(tmp_path / "absent.jsonl")
    done = run(cmd)
    assert done.returncode == 2
    assert "absent.jsonl: cannot read" in done.stderr


# --- reading: line numbers and bounds ---------------------------------------------------


def test_lines_are_numbered_over_blank_lines_and_crlf(tmp_path):
    from shared.matching import commands

    path = tmp_path / "x.jsonl"
    path.write_bytes(b'{"a": 1}\r\n\r\n   \n{"b": "\xc3\xa9t\xc3\xa9"}\n{"c": 3}')
    assert [(n, text.rstrip("\n")) for n, text in commands._lines(path)] == [
        (1, '{"a": 1}'),
        (4, '{"b": "été"}'),
        (5, '{"c": 3}'),
    ]


def test_a_line_over_the_limit_is_named_by_its_number(tmp_path, monkeypatch):
    from shared.matching import commands

    monkeypatch.setattr(commands, "MAX_LINE_CHARS", 10)
    path = tmp_path / "x.jsonl"
    path.write_text('{"a": 1}\n\n{"b": 123456}\n')  # line 3: 13 characters and its newline
    with pytest.raises(commands.InputError, match=r"x.jsonl: line 3: .*10"):
        list(commands._lines(path))
    path.write_text('{"a": 12}\n')  # 9 characters and the newline: at the limit
    assert [n for n, _ in commands._lines(path)] == [1]


def test_too_many_lines_and_bad_encoding_are_refused(tmp_path, monkeypatch):
    from shared.matching import commands

    monkeypatch.setattr(commands, "MAX_LINES", 3)
    path = tmp_path / "x.jsonl"
    path.write_text("{}\n" * 4)
    with pytest.raises(commands.InputError, match="more than 3 lines"):
        list(commands._lines(path))
    path.write_bytes(b'{"a": "\xff"}\n')
    with pytest.raises(commands.InputError, match="not UTF-8"):
        list(commands._lines(path))


def test_a_file_over_the_size_bound_is_refused_before_it_is_read(tmp_path, monkeypatch):
    from shared.matching import commands
    from shared.matching.model import TransactionLine

    monkeypatch.setattr(commands, "MAX_FILE_BYTES", 20)
    path = tmp_path / "tx.jsonl"
    path.write_text('{"a": 1}\n' * 3)  # 27 bytes
    with pytest.raises(commands.InputError, match=r"tx.jsonl: 27 bytes, at most 20"):
        commands.read_jsonl(path, TransactionLine.from_json)
    with pytest.raises(commands.InputError, match="cannot read"):
        commands.read_jsonl(tmp_path / "missing.jsonl", TransactionLine.from_json)


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"emitted_at": "9999-12-31T23:30:00Z"},
        {"amount": "1E+999999"},
        {"amount": "0"},
        {"currency": "EURO"},
        {"counterparty": "X" * 5000},
        {"id": "t1"},  # already used on line 1
        {"id": " " * 70_000 + "t2"},  # a line over the bound
    ],
)
def test_plain_lines_read_at_once_give_each_line_its_result_or_error(tmp_path, changes):
    from shared.matching import commands
    from shared.matching.model import TransactionLine, plain_transaction_lines

    path = tmp_path / "tx.jsonl"
    first = {**TXS[1], "id": "t1"}
    path.write_text(json.dumps(first) + "\n" + json.dumps({**first, "id": "t2", **changes}) + "\n")

    def read(*read_plain) -> object:
        try:
            return commands.read_jsonl(path, TransactionLine.from_json, *read_plain)
        except commands.InputError as exc:
            return str(exc)

    result = read(plain_transaction_lines)
    assert result == read()
    if changes:
        assert "tx.jsonl: line 2: " in result  # type: ignore[operator]
    else:
        assert plain_transaction_lines(path.read_text()) == result


@pytest.mark.parametrize(
    ("transaction_id", "score", "reasons", "flags"),
    [
        ("t1", 0.873, ["amount equal", 'name "CAFÉ" ≈ café \\ tab\there\x01', "\u2028"], []),
        (None, 0.0, [], ["no_candidate", "duplicate"]),
        ("t3", 1e-07, ["a lone \ud800 surrogate"], []),
        (None, float("nan"), [], []),
        (None, 1, [], []),  # (not a float)
    ],
)
def test_a_result_line_is_what_the_json_encoder_writes(transaction_id, score, reasons, flags):
    from shared.matching import commands
    from shared.matching.engine import MatchResult

    result = MatchResult("d1 «é»", transaction_id, score, reasons, flags)
    expected = json.dumps(result.to_json(), ensure_ascii=False) + "\n"
    assert commands.json_line(result) == expected


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"issue_date": "9999-12-31"},
        {"total": "1E+999999"},
        {"currency": "EURO"},
        {"supplier_name": "X" * 1001},
        {"id": "d1"},  # already used on line 1
    ],
)
def test_plain_document_lines_give_each_line_its_result_or_error(tmp_path, changes):
    from shared.matching import commands
    from shared.matching.model import DocumentLine, plain_document_lines

    path = tmp_path / "docs.jsonl"
    first = DOCS[0]
    second = {**first, "id": "d2", **changes}
    path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in (first, second)))

    def read(*read_plain) -> object:
        try:
            return commands.read_jsonl(path, DocumentLine.from_json, *read_plain)
        except commands.InputError as exc:
            return str(exc)

    result = read(plain_document_lines)
    assert result == read()
    if changes:
        assert "docs.jsonl: line 2: " in result  # type: ignore[operator]
    else:
        assert plain_document_lines(path.read_text()) == result
