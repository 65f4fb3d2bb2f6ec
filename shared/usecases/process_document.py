"""Read a stored document, match it to a bank transaction, attach it, tell the sender.

Contract of `process_document`:
- MUST be idempotent under Pub/Sub redelivery: a document already matched or
  refused is not processed again, the attachment is written in a Firestore
  transaction that refuses a second attachment, and each notification is
  guarded by an idempotency key (released if sending fails, so a retry sends).
- MUST NOT lose a document: a failure before the outcome is saved raises, and
  Pub/Sub redelivers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from shared.domain.entities import Document, DocumentStatus, DocumentType
from shared.domain.money import InvalidMoney, Money
from shared.extraction.model import ExtractedDocument
from shared.extraction.worker import extract_in_worker
from shared.log import get_logger
from shared.store.blobs import BlobStore
from shared.store.firestore_store import AlreadyAttached, FirestoreStore
from shared.usecases.matching_service import (  # noqa: F401 - re-exported for older callers
    LOOKAHEAD,
    LOOKBACK,
    MatchingService,
    transaction_json,
)
from shared.usecases.partner_dispatch import APPROVED

log = get_logger(__name__)

# Longer than the slowest extraction (OCR of a few pages), shorter than Pub/Sub's retry horizon.
PROCESSING_LEASE = timedelta(minutes=5)


@dataclass
class ProcessorDeps:
    store: FirestoreStore
    blobs: BlobStore
    # Tells the sender how a document ended (WhatsApp: ✅/❌, once per status; the notifier
    # keeps its own idempotency key and the channel's rules).
    notify: Callable[[Document], Any] | None
    now: Callable[[], datetime] = lambda: datetime.now(UTC)
    # The one matching service (policy, learned aliases); built on `store` when not given.
    matching: MatchingService | None = None
    # Called for every document read and kept (matched or unmatched), multi-invoice parts
    # included: the partner dispatch (`documents.approved`) sends it on; idempotent there.
    approved: Callable[[Document], Any] | None = None
    # How long a processing attempt owns the document: a redelivery waits this long for a
    # run that died without a word (SIGKILL, a vanished instance) before taking over.
    processing_lease: timedelta = PROCESSING_LEASE

    def matcher(self) -> MatchingService:
        if self.matching is None:
            self.matching = MatchingService(self.store)
        return self.matching


def process_document(org_id: str, document_id: str, deps: ProcessorDeps) -> Document:
    # Raises DocumentBusy while a concurrent delivery works on it: Pub/Sub retries later.
    document = deps.store.begin_processing(org_id, document_id, deps.processing_lease)
    if document.status != DocumentStatus.RECEIVED:
        notify_once(document, deps)  # the first attempt may have died before notifying
        announce_approved(document, deps)
        return document
    try:
        return _process_received(document, deps)
    except Exception:
        # Free the lease at once: the redelivery (or, after the last attempt, the dead-letter
        # handler) must not wait for it to expire.
        deps.store.end_processing(org_id, document_id)
        raise


def _process_received(document: Document, deps: ProcessorDeps) -> Document:
    org_id = document.organization_id
    data = deps.blobs.get(document.storage_uri)
    identity = deps.matcher().identity(org_id)  # read once, for extraction and matching
    extraction = extract_in_worker(data, source_name=document.id, own=identity.own_party())
    if extraction.refused:
        document = replace(
            document,
            status=DocumentStatus.REFUSED,
            refusal_reason=extraction.refused,
            refusal_code=extraction.refusal_code,
        )
        document = _save(document, deps)
        notify_once(document, deps)
        return document

    # A file may hold several invoices: the first is this document, each further one
    # becomes a sibling document (`{id}-{n}`, same stored file), and all are matched
    # in one global assignment so that two invoices never take the same transaction.
    fields = [d.to_json(document.id, extraction.checksum) for d in extraction.documents]
    if len(fields) > 1:
        # Parts of one file are not duplicates of each other (the engine flags equal checksums).
        for number, line in enumerate(fields, start=1):
            line["checksum"] = f"{extraction.checksum}#{number}"
    documents = [
        _with_extracted_fields(document, extraction.documents[0] if fields else None, fields[:1])
    ]
    for number, (extracted, line) in enumerate(
        zip(extraction.documents[1:], fields[1:], strict=True), start=2
    ):
        sibling = _with_extracted_fields(
            replace(
                document, id=f"{document.id}-{number}", origin={**document.origin, "part": number}
            ),
            extracted,
            [line],
        )
        deps.store.create_document(sibling)
        documents.append(sibling)
    documents = [_save(d, deps) for d in documents]

    readable = [d for d in documents if d.status == DocumentStatus.RECEIVED and d.total is not None]
    results = deps.matcher().match(org_id, readable, identity) if readable else {}
    outcomes = [_settle(d, results.get(d.id), deps) for d in documents]
    for outcome in outcomes:
        notify_once(outcome, deps)
        announce_approved(outcome, deps)
        log.info(
            "document processed",
            organization_id=org_id,
            document_id=outcome.id,
            status=outcome.status.value,
            transaction_id=outcome.transaction_id,
        )
    return outcomes[0]


def _settle(document: Document, result, deps: ProcessorDeps) -> Document:
    """Attach a matched document, or record why it is waiting."""
    org_id = document.organization_id
    if document.status != DocumentStatus.RECEIVED:
        return document  # a sibling handled by an earlier attempt
    if result is None:
        return _save(
            replace(
                document,
                status=DocumentStatus.UNMATCHED,
                match_reasons=("no total amount could be read on the document",),
            ),
            deps,
        )
    if result.transaction_id:
        try:
            deps.store.attach(
                org_id, document.id, result.transaction_id, result.score, result.reasons
            )
            return deps.store.get_document(org_id, document.id) or document
        except AlreadyAttached as exc:
            # Another document won that transaction between matching and attaching.
            return _save(
                replace(document, status=DocumentStatus.UNMATCHED, match_reasons=(str(exc),)), deps
            )
    return _save(
        replace(
            document,
            status=DocumentStatus.UNMATCHED,
            match_score=result.score,
            match_reasons=tuple(result.reasons),
            match_flags=tuple(result.flags),
        ),
        deps,
    )


def _save(document: Document, deps: ProcessorDeps) -> Document:
    """Save, or take the stored version if a concurrent run already matched it."""
    if deps.store.save_document(document):
        return document
    return deps.store.get_document(document.organization_id, document.id) or document


def _with_extracted_fields(
    document: Document, extracted: ExtractedDocument | None, fields: list[dict]
) -> Document:
    if extracted is None:
        return replace(document, fields={"documents": fields})
    total = None
    if extracted.total is not None:
        try:
            total = Money.parse(extracted.total, extracted.currency or "EUR")
        except InvalidMoney:
            total = None
    return replace(
        document,
        document_type=DocumentType(extracted.document_type) if extracted.document_type else None,
        supplier_name=extracted.supplier_name,
        issue_date=extracted.issue_date,
        due_date=extracted.due_date,
        total=total,
        invoice_number=extracted.invoice_number,
        fields={"documents": fields},
    )


def announce_approved(document: Document, deps: ProcessorDeps) -> None:
    """Tell the partner dispatch (`documents.approved`); again on each later match, so
    that the index record a firm received follows the document."""
    if deps.approved is not None and document.status in APPROVED:
        deps.approved(document)


def notify_once(document: Document, deps: ProcessorDeps) -> None:
    if deps.notify is not None:
        deps.notify(document)
