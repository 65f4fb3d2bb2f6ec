"""The inbox: a pain.001 dropped by the EBICS server becomes payment requests and a pain.002."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from shared.domain.money import Money
from shared.formats import ebics_names, pain001
from shared.formats.pain002 import StatusReason, status_report_for, write_status_report
from shared.log import get_logger
from shared.store.ebics import (
    EbicsConnection,
    InboundFile,
    MessageIdClaim,
    PaymentRequest,
    RequestedPayment,
    RequestStatus,
    connection_prefix,
    parse_prefix,
)
from shared.usecases.ebics.common import EbicsDeps

log = get_logger(__name__)


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
                as_received=dict(p.as_received),
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


def _claim(
    deps: EbicsDeps, org_id: str, connection_id: str, name: str, checksum: str
) -> InboundFile:
    """The inbound record of this object and content (claimed now, or as it was left)."""
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
    return record


def _redelivered(record: InboundFile, name: str, connection_id: str) -> InboxOutcome:
    """Already answered: the answer it was given, nothing done again."""
    return InboxOutcome(
        outcome="redelivered",
        object_name=name,
        organization_id=record.organization_id,
        connection_id=connection_id,
        message_id=record.message_id,
        reasons=record.reasons,
        request_ids=record.request_ids,
        report_object=record.report_object,
    )


def _closed_connection(connection: EbicsConnection, connection_id: str) -> StatusReason | None:
    """Why a connection takes no payment file now (disconnected, or not live yet), or None."""
    if not connection.active:
        return StatusReason("NARR", f"EBICS connection {connection_id} is disconnected")
    if not connection.live:
        state = connection.onboarding.state.value if connection.onboarding else "unknown"
        return StatusReason(
            "NARR",
            f"EBICS connection {connection_id} is not live yet (onboarding: {state}); "
            "payment files are accepted once it is",
        )
    return None


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
    record = _claim(deps, org_id, connection_id, name, checksum)
    if record.state == "done":
        return _redelivered(record, name, connection_id)

    def refuse(parsed: pain001.PaymentFile | None, reason: StatusReason | None) -> InboxOutcome:
        if reason is not None:
            reasons = [reason.text]
        else:
            reasons = parsed.errors if parsed else []
        report = _report(record, parsed, reason)
        return _finish(
            deps, record, connection, relative_name, "refused", report, parsed, reasons, []
        )

    closed = _closed_connection(connection, connection_id)
    if closed is not None:
        return refuse(None, closed)
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


def refuse_after_failures(deps: EbicsDeps, bucket: str, name: str, failure: str) -> InboxOutcome:
    """A payment file whose processing failed on every delivery (the dead-letter handler):
    answered with a pain.002 RJCT naming the failure, and recorded as refused, so the ERP
    knows to send it again. A file processed in the meantime keeps its own answer."""
    ignored = InboxOutcome(outcome="ignored", object_name=name)
    parts = parse_prefix(name) if bucket == deps.drop.bucket_name else None
    if parts is None or not ebics_names.is_inbox_object(parts[2]):
        return ignored
    org_id, connection_id, relative_name = parts
    connection = deps.ebics.get_connection(org_id, connection_id)
    if connection is None or connection.bucket_prefix != connection_prefix(org_id, connection_id):
        return ignored
    try:
        data = deps.drop.read(name)
    except Exception:  # noqa: BLE001 - the store may be what failed: key the answer by name
        data = None
    checksum = hashlib.sha256(data).hexdigest() if data is not None else f"unread:{name}"
    record = _claim(deps, org_id, connection_id, name, checksum)
    if record.state == "done":
        return _redelivered(record, name, connection_id)
    reason = StatusReason(
        "NARR",
        f"the file could not be processed ({failure}); nothing was booked, send it again",
    )
    return _finish(
        deps,
        record,
        connection,
        relative_name,
        "refused",
        _report(record, None, reason),
        None,
        [reason.text],
        [],
    )
