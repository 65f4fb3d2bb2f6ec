"""Daily MT940 / CFONB-120 statements per connection, account and format."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from shared.domain.business_days import (
    PARIS,
    booking_date,
    booking_window,
    is_business_day,
    previous_business_day,
)
from shared.domain.entities import BankAccount, Organization
from shared.domain.money import Money
from shared.formats import ebics_names
from shared.formats.errors import FormatError
from shared.formats.statement import (
    Statement,
    StatementAccount,
    StatementEntry,
    entry_from_bank_data,
)
from shared.log import get_logger
from shared.store.ebics import (
    EbicsConnection,
    SettledTransaction,
    StatementDay,
)
from shared.usecases.ebics.common import (
    WRITERS,
    EbicsDeps,
    InvalidRequest,
)

log = get_logger(__name__)

# A settlement recorded after its booking day's statement was produced is booked on the
# next statement (back-valued: its value date is kept) if it settled within this many days
# before the statement's day; an older one is logged and left out (README, Limits).
LATE_SETTLEMENT_LOOKBACK_DAYS = 14


class _SettledBefore:
    """What settled from a start (None: ever) to a window's start, per account, for one
    company: each distinct start is queried once and shared by all its accounts."""

    def __init__(self, deps: EbicsDeps, org_id: str, end: datetime) -> None:
        self._deps = deps
        self._org_id = org_id
        self._end = end
        self._found: dict[datetime | None, dict[str, list[SettledTransaction]]] = {}

    def __call__(self, start: datetime | None) -> dict[str, list[SettledTransaction]]:
        if start not in self._found:
            self._found[start] = self._deps.ebics.settled_between(self._org_id, start, self._end)
        return self._found[start]


def _entry(booked: SettledTransaction, day: date) -> StatementEntry:
    # The same rule as the statement command: texts over the SEPA limits are cut, with a
    # warning (a long card merchant name never blocks a day's statement).
    entry, warnings = entry_from_bank_data(
        id=booked.id,
        amount=Money.from_minor(booked.amount_minor, booked.currency).amount,
        currency=booked.currency,
        counterparty=booked.counterparty,
        reference=booked.reference,
        end_to_end_id=booked.end_to_end_id,
        booking_date=day,
        value_date=booked.settled_at.astimezone(PARIS).date(),
        operation_type=booked.operation_type,
    )
    for warning in warnings:
        log.warning("ebics statement text cut", transaction_id=booked.id, detail=warning)
    return entry


def _late_settlements(
    deps: EbicsDeps,
    org_id: str,
    account_id: str,
    day: date,
    recent: list[SettledTransaction],
) -> list[SettledTransaction]:
    """Transactions of `recent` (settled in the lookback, before `day`'s window) whose
    booking day has a recorded statement they are not in, nor in any later one: they
    arrived after it was produced. A day without a statement (a disconnection) is counted
    in the next statement's opening balance instead, so its transactions are not carried.
    """
    if not recent:
        return []
    recorded = deps.ebics.statement_days_between(
        org_id, account_id, day - timedelta(days=LATE_SETTLEMENT_LOOKBACK_DAYS), day
    )
    reported = {i for state in recorded for i in state.entry_ids}
    dates = {state.date for state in recorded if state.date < day}
    return [t for t in recent if t.id not in reported and booking_date(t.settled_at) in dates]


@dataclass
class StatementRun:
    """What one run wrote: object names, those already there, and per-account failures."""

    day: date
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    statements: int = 0
    entries: int = 0


def _statement_day(
    deps: EbicsDeps,
    org_id: str,
    account: BankAccount,
    day: date,
    booked: list[SettledTransaction],
    known: dict[date, dict[str, StatementDay]],
    settled_before: Callable[[datetime | None], dict[str, list[SettledTransaction]]],
    recent: list[SettledTransaction],
) -> StatementDay:
    """The account's state for `day`: the one recorded by an earlier run, else a new one
    chained to the latest earlier statement (its closing balance is this opening).

    `known` holds the states already fetched for `day` and the previous business day;
    `settled_before(start)` gives what settled from `start` (None: ever) to this day's
    window, per account (shared by the company's accounts); `recent` what settled in the
    lookback before the window, of which the late settlements are booked first.
    """
    existing = known[day].get(account.id)
    if existing is not None:
        return existing
    previous = known[previous_business_day(day)].get(account.id)
    if previous is None:
        previous = deps.ebics.previous_statement_day(org_id, account.id, day)
    opening = previous.closing_minor if previous is not None else 0
    gap_start = None
    if previous is not None:
        gap_start = datetime.combine(
            previous.date + timedelta(days=1), time(0), tzinfo=PARIS
        ).astimezone(UTC)
    if previous is None or previous.date != previous_business_day(day):
        # No statement yet (the balance is the account's whole settled history) or days
        # without statements (a disconnection): what settled meanwhile moves the balance.
        opening += sum(b.amount_minor for b in settled_before(gap_start).get(account.id, []))
    if previous is not None:
        booked = _late_settlements(deps, org_id, account.id, day, recent) + booked
    closing = opening + sum(b.amount_minor for b in booked)
    state = StatementDay(
        account_id=account.id,
        date=day,
        currency=account.currency,
        opening_minor=opening,
        closing_minor=closing,
        sequence_number=(previous.sequence_number % 99999 + 1) if previous else 1,
        entry_ids=tuple(b.id for b in booked),
    )
    return deps.ebics.create_statement_day(org_id, state)


def _statement(
    org: Organization,
    account: BankAccount,
    day: date,
    state: StatementDay,
    booked: list[SettledTransaction],
    recent: list[SettledTransaction],
) -> Statement:
    by_id = {b.id: b for b in (*recent, *booked)}
    missing = [i for i in state.entry_ids if i not in by_id]
    if missing:
        raise RuntimeError(
            f"transactions {missing} of the recorded statement are no longer booked on {day}"
        )
    recorded = set(state.entry_ids)
    late = [b.id for b in booked if b.id not in recorded]
    if late:
        # Settled after the statement was recorded: the file already left as it was, and
        # the next statement books them (`_late_settlements`).
        log.warning(
            "transactions settled after the statement was produced go to the next one",
            organization_id=org.id,
            account_id=account.id,
            day=day.isoformat(),
            transaction_ids=late,
        )
    return Statement(
        account=StatementAccount(
            iban=account.iban,
            bic=account.bic or "",
            currency=account.currency,
            holder_name=org.legal_name,
        ),
        date=day,
        opening_balance=Money.from_minor(state.opening_minor, state.currency).amount,
        entries=[_entry(by_id[i], day) for i in state.entry_ids],
        sequence_number=state.sequence_number,
    )


def write_daily_statements(deps: EbicsDeps, day: date | None = None) -> StatementRun:
    """Write `day`'s statements for every active connection (see the module doc).

    A statement that cannot be written or fails validation is reported in `failures` (and
    logged) without stopping the others; storage and Firestore errors propagate, and a
    rerun resumes (the names and the content are deterministic).
    """
    if day is None:
        day = previous_business_day(deps.now().astimezone(PARIS).date())
    if not is_business_day(day):
        raise InvalidRequest(f"{day.isoformat()} is not a business day: no statement")
    run = StatementRun(day=day)
    start, end = booking_window(day)
    per_org: dict[str, list[EbicsConnection]] = defaultdict(list)
    for connection in deps.ebics.list_active_connections():
        if connection.live:  # onboarding not finished: no statement yet
            per_org[connection.organization_id].append(connection)
    for org_id, connections in sorted(per_org.items()):
        org = deps.store.get_organization(org_id)
        if org is None:
            run.failures.append(f"{org_id}: organization not found")
            continue
        booked = deps.ebics.settled_between(org_id, start, end)
        accounts = sorted(deps.store.list_accounts(org_id), key=lambda a: a.id)
        ids = [a.id for a in accounts]
        known = {
            d: deps.ebics.get_statement_days(org_id, ids, d)
            for d in (day, previous_business_day(day))
        }
        settled_before = _SettledBefore(deps, org_id, start)
        lookback = datetime.combine(
            day - timedelta(days=LATE_SETTLEMENT_LOOKBACK_DAYS), time(0), tzinfo=PARIS
        )
        recent_per_account = deps.ebics.settled_between(org_id, lookback, start)

        for account in accounts:
            where = f"{org_id}/{account.id} ({account.iban})"
            items = booked.get(account.id, [])
            recent = recent_per_account.get(account.id, [])
            try:
                state = _statement_day(
                    deps, org_id, account, day, items, known, settled_before, recent
                )
                statement = _statement(org, account, day, state, items, recent)
                texts: dict[str, bytes] = {}
                for connection in sorted(connections, key=lambda c: c.id):
                    for fmt in connection.formats:
                        if fmt not in texts:
                            write, validate = WRITERS[fmt]
                            text = write(statement)
                            # Our strict validator, before anything leaves.
                            validate(text)
                            texts[fmt] = text.encode("ascii")
                            run.statements += 1
                            run.entries += len(statement.entries)
                        name = connection.bucket_prefix + ebics_names.statement_object_name(
                            account.iban, day, fmt, connection.ebics_version
                        )
                        if deps.drop.exists(name):
                            run.unchanged.append(name)
                            continue
                        deps.drop.write(name, texts[fmt], "text/plain; charset=us-ascii")
                        run.written.append(name)
            except (FormatError, RuntimeError, UnicodeEncodeError) as exc:
                run.failures.append(f"{where}: {exc}")
                log.error(
                    "ebics statement not written",
                    organization_id=org_id,
                    account_id=account.id,
                    day=day.isoformat(),
                    error=str(exc),
                )
    return run
