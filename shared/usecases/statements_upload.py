"""Accounts aggregated from other banks: their statement files (MT940, CFONB-120 or
camt.053), uploaded through the API, become transactions of that account.

- The account must be one of the company's, marked `aggregated` (companies feed), and
  the file's account must be it (IBAN for MT940 and camt.053; the RIB inside a French
  IBAN for CFONB-120): a statement of another account is refused whole.
- Files are read by the strict readers of shared/formats; a file that does not parse or
  balance is refused whole, with the reader's message (line or element at fault).
- No duplicates on re-upload: each entry's id is derived from the account and the
  entry's own facts (dates, amount, texts, bank reference) plus its rank among identical
  entries of the same day, so the same entry read from the same or an overlapping file
  gets the same id; the version is the booking date, so a second upload changes nothing.
- Entries are booked (`completed`) card/transfer/income transactions; the company's
  waiting documents are matched once the file is in.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, time
from typing import Any

from shared import errors
from shared.domain.entities import OperationType
from shared.domain.feed import TransactionEvent, TxStatus
from shared.domain.money import Money
from shared.formats import camt053, cfonb120, mt940
from shared.formats.errors import FormatError
from shared.formats.statement import ParsedStatement
from shared.log import get_logger
from shared.store.feed import FeedStore, Outcome

log = get_logger(__name__)

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_ENTRIES = 50_000


class StatementRefused(errors.Refused):
    code = "statement_refused"


class AccountNotFound(errors.NotFound):
    pass


@dataclass
class StatementDeps:
    store: Any  # FirestoreStore
    feed: FeedStore
    rematch: Callable[[str], list[Any]]


def detect_format(data: bytes) -> str:
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<"):
        return "camt.053"
    if head.startswith((b":20:", b"{1:", b":940:")) or b"\n:20:" in data[:2048]:
        return "mt940"
    if head[:2] == b"01" and len(head.split(b"\n")[0].rstrip(b"\r")) == 120:
        return "cfonb120"
    raise StatementRefused("unknown statement format: send MT940, CFONB-120 or camt.053")


def _parse(data: bytes, kind: str) -> list[ParsedStatement]:
    try:
        if kind == "camt.053":
            return camt053.parse(data)
        try:
            text = data.decode("ascii" if kind == "cfonb120" else "utf-8")
        except UnicodeDecodeError:
            text = data.decode("latin-1")
        return (mt940.parse if kind == "mt940" else cfonb120.parse)(text)
    except FormatError as exc:
        raise StatementRefused(f"{kind}: {exc}") from None


def _matches_account(statement: ParsedStatement, iban: str) -> bool:
    account = statement.account.replace(" ", "").upper()
    if account == iban:
        return True
    # CFONB carries the RIB: bank (5) + branch (5) + account number (11), inside FR IBANs.
    return iban.startswith("FR") and account == iban[4:25]


def _entry_id(account_id: str, facts: tuple, rank: int) -> str:
    digest = hashlib.sha256(repr((account_id, facts, rank)).encode()).hexdigest()
    return f"stm-{digest[:40]}"


def _operation(amount_negative: bool, text: str) -> OperationType:
    lowered = text.lower()
    if "carte" in lowered or "card" in lowered or " cb " in f" {lowered} ":
        return OperationType.CARD
    return OperationType.TRANSFER if amount_negative else OperationType.INCOME


def upload_statement(
    deps: StatementDeps, org_id: str, account_id: str, data: bytes
) -> dict[str, Any]:
    if len(data) > MAX_FILE_BYTES:
        raise errors.TooLarge(f"a statement file is at most {MAX_FILE_BYTES} bytes")
    snap = deps.store.db.document(f"organizations/{org_id}/bank_accounts/{account_id}").get()
    if not snap.exists:
        raise AccountNotFound(f"account {account_id} not found")
    account = snap.to_dict() or {}
    if not account.get("aggregated"):
        raise StatementRefused(
            f"account {account_id} is held with us: its transactions come from the core system"
        )
    iban = str(account.get("iban", "")).replace(" ", "").upper()
    kind = detect_format(data)
    statements = _parse(data, kind)
    if sum(len(s.entries) for s in statements) > MAX_ENTRIES:
        raise StatementRefused(f"more than {MAX_ENTRIES} entries in one file")
    for statement in statements:
        if not _matches_account(statement, iban):
            raise StatementRefused(
                f"the file is a statement of {statement.account}, not {account_id}"
            )
        if statement.currency != account.get("currency"):
            raise StatementRefused(
                f"statement in {statement.currency}, account in {account.get('currency')}"
            )
    seen: Counter = Counter()
    counts: Counter = Counter()
    for statement in statements:
        for entry in statement.entries:
            facts = (
                entry.booking_date.isoformat(),
                entry.value_date.isoformat(),
                str(entry.amount),
                entry.counterparty,
                entry.reference,
                entry.end_to_end_id,
                entry.bank_reference,
            )
            seen[facts] += 1
            booked = datetime.combine(entry.booking_date, time(12), UTC)
            text = entry.counterparty or entry.label or entry.reference
            event = TransactionEvent(
                organization_id=org_id,
                account_id=account_id,
                id=_entry_id(account_id, facts, seen[facts]),
                amount=Money.parse(entry.amount, statement.currency),
                operation_type=_operation(entry.amount < 0, f"{entry.label} {entry.counterparty}"),
                operation_type_raw=kind,
                status=TxStatus.COMPLETED,
                emitted_at=datetime.combine(entry.value_date, time(12), UTC),
                settled_at=booked,
                label=text[:500],
                reference=entry.reference or None,
                counterparty_iban=None,
                local_amount=None,
                card_last_digits=None,
                updated_at=booked,
            )
            outcome = deps.feed.upsert_transaction(event).outcome
            counts["unchanged" if outcome is Outcome.STALE else "created"] += 1
    matched = deps.rematch(org_id) if counts["created"] else []
    answer = {
        "format": kind,
        "statements": len(statements),
        "entries": sum(counts.values()),
        "created": counts["created"],
        "unchanged": counts["unchanged"],
        "matched_documents": len(matched),
    }
    log.info("statement uploaded", organization_id=org_id, account_id=account_id, **answer)
    return answer
