"""EBICS file drop (issue 7): connections, daily statements, pain.001 inbox, approvals.

An EBICS server (not ours) exchanges files with the customer's ERP through one folder per
connection in the drop bucket (`{org}/{connection}/`, see `shared/store/ebics.py`). We write
statements under `outbox/statements/`, read payment files from `inbox/` and answer each
with a pain.002 status report under `outbox/reports/` (names: `shared/formats/ebics_names`).

Verbs:

- `setup_connection`: France only; the Business plan allows 1 active connection, the
  Enterprise plan 3, the Essential plan none; only an Owner, Admin or Accountant may.
- `disconnect`: stops statements and payments: later inbox files are refused, and the
  connection's payment requests still awaiting approval are rejected.
- `apply_plan_change`: records the new plan and disconnects the newest connections above its
  limit (the oldest ones keep running).
- `write_daily_statements(day)`: for every active connection, every bank account of its
  company and every configured format, the statement of `day` (a business day; default:
  the previous business day in Europe/Paris). Entries are the transactions *booked* that
  day: the booking date is the Europe/Paris date of `settled_at`, rolled to the next
  business day on weekends; the value date is the settled date itself. Every file passes
  our strict validator before it is uploaded. Idempotent: the statement state (opening and
  closing balance, sequence number, the entry ids) is created once per account and day, so
  a rerun writes the same bytes under the same deterministic name.
- `ingest_inbox_object(bucket, name)`: the Storage finalize event of an inbox file. The
  file is refused (pain.002 RJCT) when the connection is disconnected, when it is not a
  valid pain.001 (.02, .03, .09; pain.008 direct debits are refused), when a debtor
  account is not one of the company's, or when its MsgId was already accepted. Otherwise
  each PmtInf becomes one payment request awaiting approval (`single` for one transfer,
  `batch` for more) and the report is ACCP. Ids derive from the file, so a redelivered
  event creates nothing twice.
- `decide_payment_request`: approve or reject; only an Owner, Admin, Accountant, or a
  Manager with transfer permission.

What is left out, as the product says: transaction labels and receipts are not transferred.
Business days are Monday to Friday; French bank holidays are not modelled.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from shared import errors
from shared.domain.entities import BankAccount, Member, Organization, Plan, Role
from shared.domain.money import Money
from shared.errors import AppError, Forbidden, Invalid, Refused
from shared.formats import cfonb120, ebics_names, mt940, pain001
from shared.formats.errors import FormatError
from shared.formats.pain002 import StatusReason, status_report_for, write_status_report
from shared.formats.statement import Statement, StatementAccount, StatementEntry
from shared.log import get_logger
from shared.store.ebics import (
    EBICS_VERSIONS,
    STATEMENT_FORMATS,
    AlreadyDecided,
    ConnectionStatus,
    DropBucket,
    EbicsConnection,
    EbicsStore,
    InboundFile,
    MessageIdClaim,
    PaymentRequest,
    PlanLimitReached,
    RequestedPayment,
    RequestStatus,
    SettledTransaction,
    StatementDay,
    connection_prefix,
    parse_prefix,
)
from shared.store.firestore_store import FirestoreStore, now_utc

__all__ = [
    "AlreadyDecided",
    "EbicsDeps",
    "EbicsError",
    "InboxOutcome",
    "InvalidRequest",
    "NotAllowed",
    "NotFound",
    "PlanLimitReached",
    "RuleRefused",
    "StatementRun",
    "apply_plan_change",
    "booking_date",
    "decide_payment_request",
    "disconnect",
    "ingest_inbox_object",
    "previous_business_day",
    "setup_connection",
    "write_daily_statements",
]

log = get_logger(__name__)

PARIS = ZoneInfo("Europe/Paris")
COUNTRY = "FR"
PLAN_CONNECTION_LIMITS = {Plan.ESSENTIAL: 0, Plan.BUSINESS: 1, Plan.ENTERPRISE: 3}
SETUP_ROLES = frozenset({Role.OWNER, Role.ADMIN, Role.ACCOUNTANT})
APPROVER_ROLES = frozenset({Role.OWNER, Role.ADMIN, Role.ACCOUNTANT})
SYSTEM_ACTOR = "system"
WRITERS: dict[str, tuple[Callable[[Statement], str], Callable[[str], None]]] = {
    "mt940": (mt940.write, mt940.validate),
    "cfonb120": (cfonb120.write, cfonb120.validate),
}
# SEPA limits of the statement entry fields (StatementEntry refuses longer values): bank
# data that exceeds them (long card merchant strings) is cut, not a reason to drop a day.
_COUNTERPARTY_MAX = 70
_REFERENCE_MAX = 140
_E2E_MAX = 35
_CONNECTION_ID_RE = re.compile(r"[A-Za-z0-9_-]{1,64}")


class EbicsError(AppError):
    """Base of the errors a caller of these verbs can act on; the message says why."""


class NotAllowed(EbicsError, Forbidden):
    """The acting member may not do this (role, permission, or not a member)."""


class NotFound(EbicsError, errors.NotFound):
    """The company, connection or payment request does not exist."""


class RuleRefused(EbicsError, Refused):
    """A product rule refuses the request: country, plan, connection state."""


class InvalidRequest(EbicsError, Invalid):
    """A malformed request: unknown EBICS version or format, bad id."""


@dataclass(frozen=True)
class EbicsDeps:
    store: FirestoreStore
    ebics: EbicsStore
    drop: DropBucket
    now: Callable[[], datetime] = now_utc


# ----------------------------------------------------------------------------- dates


def is_business_day(day: date) -> bool:
    return day.weekday() < 5


def previous_business_day(day: date) -> date:
    """The business day before `day` (Friday for a Monday, a Saturday or a Sunday)."""
    day -= timedelta(days=1)
    while not is_business_day(day):
        day -= timedelta(days=1)
    return day


def booking_date(settled_at: datetime) -> date:
    """The Europe/Paris date of `settled_at`, rolled to the next Monday on weekends."""
    if settled_at.tzinfo is None:
        raise ValueError("settled_at must carry its timezone")
    day = settled_at.astimezone(PARIS).date()
    while not is_business_day(day):
        day += timedelta(days=1)
    return day


def booking_window(day: date) -> tuple[datetime, datetime]:
    """The instants (UTC) whose booking date is `day`: from the day after the previous
    business day, 00:00 Paris, to the day after `day`, 00:00 Paris."""
    start_day = previous_business_day(day) + timedelta(days=1)
    start = datetime.combine(start_day, time(0), tzinfo=PARIS)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=PARIS)
    return start.astimezone(UTC), end.astimezone(UTC)


# ----------------------------------------------------------------------------- connections


def _organization(deps: EbicsDeps, org_id: str) -> Organization:
    org = deps.store.get_organization(org_id)
    if org is None:
        raise NotFound(f"organization {org_id} not found")
    return org


def _member(deps: EbicsDeps, org_id: str, member_id: str) -> Member:
    member = deps.store.get_member(org_id, member_id) if member_id else None
    if member is None:
        raise NotAllowed(f"{member_id or 'anonymous'} is not a member of {org_id}")
    return member


def _require_setup_role(member: Member) -> None:
    if member.role not in SETUP_ROLES:
        raise NotAllowed(
            f"a {member.role.value} cannot manage EBICS connections "
            "(Owner, Admin or Accountant only)"
        )


def plan_limit(plan: Plan) -> int:
    return PLAN_CONNECTION_LIMITS.get(plan, 0)


def setup_connection(
    deps: EbicsDeps,
    org_id: str,
    member_id: str,
    ebics_version: str,
    formats: list[str] | tuple[str, ...],
    connection_id: str | None = None,
) -> EbicsConnection:
    """Create an active EBICS connection for a French company on a plan that has room.

    `connection_id` may be chosen by the caller so that a retried call returns the same
    connection instead of creating a second one. Raises NotFound, RuleRefused (country,
    plan without EBICS), NotAllowed (role), InvalidRequest, PlanLimitReached.
    """
    org = _organization(deps, org_id)
    if org.country.upper() != COUNTRY:
        raise RuleRefused(f"EBICS connections are only offered in France, not {org.country}")
    limit = plan_limit(org.plan)
    if limit == 0:
        raise RuleRefused(
            f"the {org.plan.value} plan has no EBICS connection: Business allows 1, Enterprise 3"
        )
    _require_setup_role(_member(deps, org_id, member_id))
    if ebics_version not in EBICS_VERSIONS:
        raise InvalidRequest(f"ebics_version {ebics_version!r} is not one of {EBICS_VERSIONS}")
    if isinstance(formats, str) or not formats:
        raise InvalidRequest(f"formats must be a non-empty list of {STATEMENT_FORMATS}")
    unknown = [f for f in formats if f not in STATEMENT_FORMATS]
    if unknown:
        raise InvalidRequest(f"unknown statement format(s) {unknown}; use {STATEMENT_FORMATS}")
    if connection_id is None:
        connection_id = f"ebics-{uuid.uuid4().hex[:12]}"
    elif not isinstance(connection_id, str) or not _CONNECTION_ID_RE.fullmatch(connection_id):
        raise InvalidRequest("connection_id must be 1-64 letters, digits, '-' or '_'")
    connection = EbicsConnection(
        organization_id=org_id,
        id=connection_id,
        status=ConnectionStatus.ACTIVE,
        ebics_version=ebics_version,
        formats=tuple(dict.fromkeys(formats)),
        bucket_prefix=connection_prefix(org_id, connection_id),
        created_by=member_id,
    )
    stored = deps.ebics.create_connection(connection, limit)
    log.info(
        "ebics connection set up",
        organization_id=org_id,
        connection_id=connection_id,
        member_id=member_id,
    )
    return stored


def _disconnect(deps: EbicsDeps, connection: EbicsConnection, reason: str) -> None:
    org_id = connection.organization_id
    deps.ebics.set_connection_status(org_id, connection.id, ConnectionStatus.DISCONNECTED, reason)
    # No payment leaves a disconnected connection: what still awaits approval is rejected.
    for request in deps.ebics.list_payment_requests(
        org_id, RequestStatus.PENDING_APPROVAL, connection.id
    ):
        try:
            deps.ebics.decide_payment_request(
                org_id, request.id, RequestStatus.REJECTED, SYSTEM_ACTOR, reason
            )
        except AlreadyDecided:
            pass  # decided by a member meanwhile
    log.info(
        "ebics connection disconnected",
        organization_id=org_id,
        connection_id=connection.id,
        reason=reason,
    )


def disconnect(deps: EbicsDeps, org_id: str, connection_id: str, member_id: str) -> EbicsConnection:
    """Disconnect (idempotent). Raises NotFound, NotAllowed."""
    _require_setup_role(_member(deps, org_id, member_id))
    connection = deps.ebics.get_connection(org_id, connection_id)
    if connection is None:
        raise NotFound(f"EBICS connection {connection_id} not found in {org_id}")
    if connection.active:
        _disconnect(deps, connection, f"disconnected by {member_id}")
    stored = deps.ebics.get_connection(org_id, connection_id)
    assert stored is not None
    return stored


def apply_plan_change(deps: EbicsDeps, org_id: str, new_plan: Plan) -> list[str]:
    """Record the company's new plan; disconnect the newest active connections above its
    limit. Returns the ids of the connections disconnected."""
    org = _organization(deps, org_id)
    if org.plan is not new_plan:
        deps.store.put_organization(replace(org, plan=new_plan))
    limit = plan_limit(new_plan)
    active = deps.ebics.list_connections(org_id, active_only=True)
    removed = active[limit:]
    for connection in removed:
        _disconnect(
            deps,
            connection,
            f"plan changed to {new_plan.value}, which allows {limit} EBICS connection(s)",
        )
    return [c.id for c in removed]


# ----------------------------------------------------------------------------- statements


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
    return StatementEntry(
        id=booked.id,
        amount=Money.from_minor(booked.amount_minor, booked.currency).amount,
        currency=booked.currency,
        counterparty=booked.counterparty[:_COUNTERPARTY_MAX],
        reference=booked.reference[:_REFERENCE_MAX],
        end_to_end_id=booked.end_to_end_id[:_E2E_MAX],
        booking_date=day,
        value_date=booked.settled_at.astimezone(PARIS).date(),
        operation_type=booked.operation_type,
    )


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
) -> StatementDay:
    """The account's state for `day`: the one recorded by an earlier run, else a new one
    chained to the latest earlier statement (its closing balance is this opening).

    `known` holds the states already fetched for `day` and the previous business day;
    `settled_before(start)` gives what settled from `start` (None: ever) to this day's
    window, per account (shared by the company's accounts).
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
) -> Statement:
    by_id = {b.id: b for b in booked}
    missing = [i for i in state.entry_ids if i not in by_id]
    if missing:
        raise RuntimeError(
            f"transactions {missing} of the recorded statement are no longer booked on {day}"
        )
    recorded = set(state.entry_ids)
    late = [b.id for b in booked if b.id not in recorded]
    if late:
        # Settled after the statement was recorded: the file already left as it was.
        log.warning(
            "transactions booked after the statement was produced are not in it",
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

        for account in accounts:
            where = f"{org_id}/{account.id} ({account.iban})"
            items = booked.get(account.id, [])
            try:
                state = _statement_day(deps, org_id, account, day, items, known, settled_before)
                statement = _statement(org, account, day, state, items)
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


# ----------------------------------------------------------------------------- inbox


@dataclass(frozen=True)
class InboxOutcome:
    """`accepted`, `refused`, `ignored` (not an inbox file of a known connection) or
    `redelivered` (already processed: nothing done)."""

    outcome: str
    object_name: str
    organization_id: str | None = None
    connection_id: str | None = None
    message_id: str | None = None
    reasons: tuple[str, ...] = ()
    request_ids: tuple[str, ...] = ()
    report_object: str | None = None


def request_id_for(message_id: str, payment_info_id: str, index: int) -> str:
    """Deterministic payment request id (the same file always gives the same ids)."""
    digest = hashlib.sha256(f"{message_id}\x1f{payment_info_id}\x1f{index}".encode())
    return "pr-" + digest.hexdigest()[:32]


def _requests(
    org_id: str, connection: EbicsConnection, parsed: pain001.PaymentFile, source: str
) -> list[PaymentRequest]:
    assert parsed.message_id is not None
    requests = []
    for index, batch in enumerate(parsed.batches):
        payments = tuple(
            RequestedPayment(
                end_to_end_id=p.end_to_end_id,
                instruction_id=p.instruction_id,
                amount_minor=Money.parse(p.amount, p.currency).minor_units,
                currency=p.currency,
                creditor_name=p.creditor_name,
                creditor_iban=p.creditor_iban,
                creditor_bic=p.creditor_bic,
                remittance=p.remittance,
            )
            for p in batch.payments
        )
        requests.append(
            PaymentRequest(
                organization_id=org_id,
                id=request_id_for(parsed.message_id, batch.payment_info_id, index),
                connection_id=connection.id,
                status=RequestStatus.PENDING_APPROVAL,
                kind="single" if len(payments) == 1 else "batch",
                message_id=parsed.message_id,
                payment_info_id=batch.payment_info_id,
                debtor_name=batch.debtor_name,
                debtor_iban=batch.debtor_iban,
                debtor_bic=batch.debtor_bic,
                requested_execution_date=batch.requested_execution_date,
                batch_booking=batch.batch_booking,
                total_minor=sum(p.amount_minor for p in payments),
                currency=payments[0].currency if payments else "EUR",
                payment_count=len(payments),
                source_object=source,
                payments=payments,
            )
        )
    return requests


def _report(
    record: InboundFile,
    parsed: pain001.PaymentFile | None,
    refusal: StatusReason | None,
) -> bytes:
    # Deterministic id and time: a redelivery rewrites the very same report.
    options: dict[str, Any] = {
        "message_id": "STS" + record.key[:32],
        "created_at": record.received_at,
    }
    if refusal is None and parsed is not None:
        return status_report_for(parsed, **options)
    return write_status_report(
        (parsed.message_id if parsed else None) or "NOTPROVIDED",
        (parsed.version if parsed else None) or "pain.001",
        "RJCT",
        [refusal] if refusal is not None else [],
        original_created_at=parsed.created_at if parsed else None,
        original_number_of_transactions=parsed.number_of_transactions if parsed else None,
        **options,
    )


def _finish(
    deps: EbicsDeps,
    record: InboundFile,
    connection: EbicsConnection,
    relative_name: str,
    outcome: str,
    report: bytes,
    parsed: pain001.PaymentFile | None,
    reasons: list[str],
    request_ids: list[str],
) -> InboxOutcome:
    report_name = connection.bucket_prefix + ebics_names.status_report_object_name(
        relative_name, connection.ebics_version
    )
    deps.drop.write(report_name, report, "application/xml")
    deps.ebics.finish_inbound_file(
        record.organization_id,
        record.key,
        outcome=outcome,
        message_id=parsed.message_id if parsed else None,
        version=parsed.version if parsed else None,
        reasons=reasons,
        request_ids=request_ids,
        report_object=report_name,
    )
    fields = {
        "organization_id": record.organization_id,
        "connection_id": connection.id,
        "object_name": record.object_name,
        "message_id": parsed.message_id if parsed else None,
        "outcome": outcome,
    }
    if outcome == "refused":
        log.warning("ebics payment file refused", reasons=reasons[:5], **fields)
    else:
        log.info("ebics payment file accepted", payment_requests=len(request_ids), **fields)
    return InboxOutcome(
        outcome=outcome,
        object_name=record.object_name,
        organization_id=record.organization_id,
        connection_id=connection.id,
        message_id=parsed.message_id if parsed else None,
        reasons=tuple(reasons),
        request_ids=tuple(request_ids),
        report_object=report_name,
    )


def ingest_inbox_object(deps: EbicsDeps, bucket: str, name: str) -> InboxOutcome:
    """Process one finalized object of the drop bucket (see the module doc).

    Objects outside a connection's `inbox/` (our own outbox writes fire the same event)
    are ignored. A file already processed (same name and content) is `redelivered`; one
    whose processing was cut short is finished. Storage and Firestore errors propagate so
    that the event is retried.
    """
    ignored = InboxOutcome(outcome="ignored", object_name=name)
    if bucket != deps.drop.bucket_name:
        log.warning("object of another bucket ignored", bucket=bucket, object_name=name)
        return ignored
    parts = parse_prefix(name)
    if parts is None or not ebics_names.is_inbox_object(parts[2]):
        return ignored
    org_id, connection_id, relative_name = parts
    connection = deps.ebics.get_connection(org_id, connection_id)
    if connection is None or connection.bucket_prefix != connection_prefix(org_id, connection_id):
        log.warning("inbox object of an unknown connection ignored", object_name=name)
        return ignored
    size = deps.drop.size(name)
    if size is not None and size > pain001.MAX_FILE_BYTES:
        # Never download it: refused on its size alone, keyed by name and size.
        data, checksum = None, f"size:{size}"
    else:
        data = deps.drop.read(name)
        if data is None:
            log.warning("inbox object deleted before it was read", object_name=name)
            return ignored
        checksum = hashlib.sha256(data).hexdigest()
    record, _ = deps.ebics.claim_inbound_file(
        InboundFile(
            organization_id=org_id,
            key=deps.ebics.inbound_key(name, checksum),
            connection_id=connection_id,
            object_name=name,
            checksum=checksum,
            received_at=deps.now(),
        )
    )
    if record.state == "done":
        return InboxOutcome(
            outcome="redelivered",
            object_name=name,
            organization_id=org_id,
            connection_id=connection_id,
            message_id=record.message_id,
            reasons=record.reasons,
            request_ids=record.request_ids,
            report_object=record.report_object,
        )

    def refuse(parsed: pain001.PaymentFile | None, reason: StatusReason | None) -> InboxOutcome:
        if reason is not None:
            reasons = [reason.text]
        else:
            reasons = parsed.errors if parsed else []
        report = _report(record, parsed, reason)
        return _finish(
            deps, record, connection, relative_name, "refused", report, parsed, reasons, []
        )

    if not connection.active:
        return refuse(
            None,
            StatusReason("NARR", f"EBICS connection {connection_id} is disconnected"),
        )
    if data is None:
        return refuse(
            None,
            StatusReason(
                pain001.REASON_FILE_FORMAT,
                f"file is {size} bytes, over the limit of {pain001.MAX_FILE_BYTES}",
            ),
        )
    parsed = pain001.parse(data)
    if not parsed.accepted or parsed.message_id is None:
        return refuse(parsed, None)
    own = {a.iban for a in deps.store.list_accounts(org_id)}
    foreign = sorted({b.debtor_iban for b in parsed.batches} - own)
    if foreign:
        return refuse(
            parsed,
            StatusReason(
                pain001.REASON_ACCOUNT,
                f"debtor account(s) {', '.join(foreign)} are not accounts of this company",
            ),
        )
    holder = deps.ebics.claim_message_id(
        org_id,
        MessageIdClaim(
            message_id=parsed.message_id,
            file_key=record.key,
            object_name=name,
            connection_id=connection_id,
        ),
    )
    if holder.file_key != record.key:
        return refuse(
            parsed,
            StatusReason(
                pain001.REASON_DUPLICATE,
                f"duplicate file: MsgId {parsed.message_id} was already received "
                f"({holder.object_name.rsplit('/', 1)[-1]})",
            ),
        )
    requests = _requests(org_id, connection, parsed, f"gs://{bucket}/{name}")
    for request in requests:
        deps.ebics.create_payment_request(request)
    report = _report(record, parsed, None)
    request_ids = [r.id for r in requests]
    return _finish(
        deps, record, connection, relative_name, "accepted", report, parsed, [], request_ids
    )


# ----------------------------------------------------------------------------- approvals


def can_approve(member: Member) -> bool:
    """Owner, Admin, Accountant, or a Manager with transfer permission."""
    return member.role in APPROVER_ROLES or (member.role is Role.MANAGER and member.can_transfer)


def decide_payment_request(
    deps: EbicsDeps,
    org_id: str,
    request_id: str,
    member_id: str,
    decision: str,
    reason: str = "",
) -> PaymentRequest:
    """Approve or reject a request awaiting approval; `decision` is `approve` or `reject`.

    Repeating the same decision is a no-op. Raises InvalidRequest, NotAllowed, NotFound,
    RuleRefused (the connection is disconnected), AlreadyDecided.
    """
    statuses = {"approve": RequestStatus.APPROVED, "reject": RequestStatus.REJECTED}
    if decision not in statuses:
        raise InvalidRequest(f"decision {decision!r} must be 'approve' or 'reject'")
    member = _member(deps, org_id, member_id)
    if not can_approve(member):
        raise NotAllowed(
            f"a {member.role.value}"
            + (" without transfer permission" if member.role is Role.MANAGER else "")
            + " cannot approve or reject payments"
        )

    def check(request: PaymentRequest) -> None:
        connection = deps.ebics.get_connection(org_id, request.connection_id)
        if statuses[decision] is RequestStatus.APPROVED and (
            connection is None or not connection.active
        ):
            raise RuleRefused(f"EBICS connection {request.connection_id} is disconnected")

    try:
        decided = deps.ebics.decide_payment_request(
            org_id, request_id, statuses[decision], member_id, reason, check=check
        )
    except LookupError as exc:
        raise NotFound(str(exc)) from None
    log.info(
        "payment request decided",
        organization_id=org_id,
        request_id=request_id,
        member_id=member_id,
        status=decided.status.value,
        total_minor=decided.total_minor,
    )
    return decided


def money_text(minor: int, currency: str) -> str:
    """A decimal string of an amount in minor units (for JSON answers)."""
    return f"{Money.from_minor(minor, currency).amount}"
