"""CLI commands of the formats engine (dispatched by ``python -m shared.cli``).

``statement --format mt940|cfonb120 --account ACCOUNT.json --transactions TX.jsonl
--date YYYY-MM-DD --opening-balance AMOUNT [--sequence-number N]``
    Writes that day's statement to stdout, with the transactions booked on that date, after
    checking it with the format's own validator. Exit 0; 1 when an input cannot be
    represented (the message names the JSONL line); 2 on usage or unreadable input.

    ``ACCOUNT.json`` is ``{"iban", "bic", "currency", "holder_name"}``. Each ``TX.jsonl`` line
    is a transaction of the matching engine's contract: ``id, account_id, amount`` (decimal
    string, negative = money out), ``currency, counterparty, operation_type, emitted_at``;
    optional ``reference, counterparty_iban, settled_at, booking_date, value_date,
    end_to_end_id``. The booking date is ``booking_date``, else the Paris date of
    ``settled_at``, else of ``emitted_at`` (instants must carry a timezone); the value date
    defaults to the booking date. As in the statement job, a counterparty, reference or
    end-to-end id over its SEPA limit (70/140/35) is cut, with a warning on stderr naming the
    line: a long card merchant name never blocks a day's statement.

``pain001 FILE``
    Prints ``{"accepted", "message_id", "version", "payments", "errors"}`` as one JSON
    object; a refused file is ``accepted: false`` with readable reasons, exit 0. Exit 2 when
    the file cannot be read.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from shared.errors import Invalid
from shared.formats import cfonb120, mt940, pain001, render_statement
from shared.formats.errors import FormatError, UnrepresentableError
from shared.formats.statement import (
    Statement,
    StatementAccount,
    StatementEntry,
    entry_from_bank_data,
)

BOOKING_TIMEZONE = ZoneInfo("Europe/Paris")
WRITERS = {"mt940": mt940, "cfonb120": cfonb120}
_REQUIRED = ("id", "amount", "currency", "emitted_at")


class InputError(Invalid):
    """An input line or file that cannot be turned into a statement; names where."""


def _decimal(value: Any, what: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
        raise InputError(f"{what} must be a decimal string, not {type(value).__name__}")
    try:
        result = Decimal(value)
    except InvalidOperation:
        raise InputError(f"{what} {value!r} is not a decimal number") from None
    if not result.is_finite():
        raise InputError(f"{what} {value!r} is not a finite number")
    return result


def _day(value: Any, what: str) -> date:
    if not isinstance(value, str):
        raise InputError(f"{what} must be a YYYY-MM-DD string")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(f"{what} {value!r} is not a YYYY-MM-DD date") from None


def _instant_day(value: Any, what: str) -> date:
    if not isinstance(value, str):
        raise InputError(f"{what} must be an ISO 8601 instant string")
    try:
        instant = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise InputError(f"{what} {value!r} is not an ISO 8601 instant") from None
    if instant.tzinfo is None:
        raise InputError(f"{what} {value!r} has no timezone")
    return instant.astimezone(BOOKING_TIMEZONE).date()


def _text(record: dict[str, Any], key: str) -> str:
    value = record.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InputError(f"{key} must be a string")
    return value


def entry_from_transaction(record: dict[str, Any]) -> tuple[StatementEntry, list[str]]:
    """Turn one transaction line (the matching engine's contract) into a StatementEntry,
    with the warnings of texts cut to their SEPA limits."""
    if not isinstance(record, dict):
        raise InputError("a transaction line must be a JSON object")
    missing = [key for key in _REQUIRED if key not in record]
    if missing:
        raise InputError(f"missing field(s) {', '.join(missing)}")
    if record.get("booking_date"):
        booking = _day(record["booking_date"], "booking_date")
    elif record.get("settled_at"):
        booking = _instant_day(record["settled_at"], "settled_at")
    else:
        booking = _instant_day(record["emitted_at"], "emitted_at")
    value_date = _day(record["value_date"], "value_date") if record.get("value_date") else booking
    return entry_from_bank_data(
        id=str(record["id"]),
        amount=_decimal(record["amount"], "amount"),
        currency=_text(record, "currency"),
        counterparty=_text(record, "counterparty"),
        reference=_text(record, "reference"),
        end_to_end_id=_text(record, "end_to_end_id"),
        booking_date=booking,
        value_date=value_date,
        operation_type=_text(record, "operation_type") or "transfer",
    )


def read_account(path: Path) -> StatementAccount:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(f"{path}: cannot read account JSON: {exc}") from None
    if not isinstance(data, dict):
        raise InputError(f"{path}: must be a JSON object")
    missing = [k for k in ("iban", "currency") if not data.get(k)]
    if missing:
        raise InputError(f"{path}: missing field(s) {', '.join(missing)}")
    try:
        return StatementAccount(
            iban=str(data["iban"]),
            bic=str(data.get("bic") or ""),
            currency=str(data["currency"]),
            holder_name=str(data.get("holder_name") or ""),
        )
    except FormatError as exc:
        raise InputError(f"{path}: {exc}") from None


def read_entries(
    path: Path, day: date, warnings: list[str] | None = None
) -> tuple[list[StatementEntry], dict[str, int]]:
    """Entries booked on ``day`` and, for messages, each entry id's line number; what had to
    be cut is appended to ``warnings`` (naming the line)."""
    entries: list[StatementEntry] = []
    lines: dict[str, int] = {}
    try:
        handle = path.open(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc}") from None
    with handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            where = f"{path.name} line {number}"
            try:
                record = json.loads(raw, parse_float=Decimal)
                entry, cut = entry_from_transaction(record)
            except ValueError as exc:  # JSON errors and FormatError (a ValueError)
                raise InputError(f"{where}: {exc}") from None
            except InputError as exc:
                raise InputError(f"{where}: {exc}") from None
            if entry.booking_date != day:
                continue
            if entry.id in lines:
                raise InputError(f"{where}: id {entry.id!r} repeats line {lines[entry.id]}")
            lines[entry.id] = number
            entries.append(entry)
            if warnings is not None:
                warnings.extend(f"{where}: {message}" for message in cut)
    return entries, lines


def _where_to_line(exc: FormatError, lines: dict[str, int], source: str) -> str:
    for entry_id, number in lines.items():
        if exc.where == f"entry {entry_id!r}":
            return f"{source} line {number}: {exc}"
    return str(exc)


def statement_main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m shared.cli statement")
    parser.add_argument("--format", required=True, choices=sorted(WRITERS))
    parser.add_argument("--account", required=True, type=Path)
    parser.add_argument("--transactions", required=True, type=Path)
    parser.add_argument("--date", required=True)
    parser.add_argument("--opening-balance", required=True)
    parser.add_argument("--sequence-number", type=int, default=1)
    args = parser.parse_args(argv)
    lines: dict[str, int] = {}
    warnings: list[str] = []
    try:
        day = _day(args.date, "--date")
        opening = _decimal(args.opening_balance, "--opening-balance")
        account = read_account(args.account)
        entries, lines = read_entries(args.transactions, day, warnings)
        statement = Statement(account, day, opening, entries, args.sequence_number)
        # Our own strict validator checks every file before it leaves; a failure there is a
        # bug, not an input error, so it is left to propagate.
        text = render_statement(statement, args.format)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except UnrepresentableError as exc:
        print(f"error: {_where_to_line(exc, lines, args.transactions.name)}", file=sys.stderr)
        return 1
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
    sys.stdout.write(text)
    sys.stdout.flush()
    return 0


def pain001_main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m shared.cli pain001")
    parser.add_argument("file", type=Path)
    args = parser.parse_args(argv)
    try:
        data = args.file.read_bytes()
    except OSError as exc:
        print(f"error: cannot read {args.file}: {exc}", file=sys.stderr)
        return 2
    result = pain001.parse(data)
    print(json.dumps(result.to_json(), ensure_ascii=False))
    return 0
