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

from shared.domain.entities import Document, DocumentStatus, DocumentType, Transaction
from shared.domain.money import InvalidMoney, Money
from shared.extraction.model import ExtractedDocument
from shared.extraction.pipeline import extract
from shared.log import get_logger
from shared.matching.engine import match
from shared.matching.model import DocumentLine, OrganizationProfile, TransactionLine
from shared.store.blobs import BlobStore
from shared.store.firestore_store import AlreadyAttached, FirestoreStore

log = get_logger(__name__)

# How far around the document's date transactions are considered. Wide on the
# after side: invoices are often paid weeks after their due date.
LOOKBACK = timedelta(days=45)
LOOKAHEAD = timedelta(days=120)
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


def process_document(org_id: str, document_id: str, deps: ProcessorDeps) -> Document:
    # Raises DocumentBusy while a concurrent delivery works on it: Pub/Sub retries later.
    document = deps.store.begin_processing(org_id, document_id, PROCESSING_LEASE)
    if document.status != DocumentStatus.RECEIVED:
        notify_once(document, deps)  # the first attempt may have died before notifying
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
    extraction = extract(data, source_name=document.id)
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
    results = (
        {r.document_id: r for r in match_documents(org_id, readable, deps.store)}
        if readable
        else {}
    )
    outcomes = [_settle(d, results.get(d.id), deps) for d in documents]
    for outcome in outcomes:
        notify_once(outcome, deps)
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


def match_documents(org_id: str, documents: list[Document], store: FirestoreStore) -> list:
    """Match documents of one organization in one global assignment (the engine's contract).

    Each document's first extracted entry (`fields["documents"][0]`) is its matching line;
    transactions are loaded once for the window that covers every document.
    """
    organization = store.get_organization(org_id)
    accounts = store.list_accounts(org_id)
    profile = OrganizationProfile.from_json(
        {
            "name": organization.legal_name if organization else "",
            "vat": organization.vat if organization else None,
            "siren": organization.siren if organization else None,
            "ibans": [a.iban for a in accounts],
        }
    )
    anchors = [_anchor(document) for document in documents]
    transactions = store.list_transactions(
        org_id, since=min(anchors) - LOOKBACK, until=max(anchors) + LOOKAHEAD
    )
    lines = [TransactionLine.from_json(transaction_json(tx)) for tx in transactions]
    doc_lines = [
        DocumentLine.from_json(
            {
                **document.fields["documents"][0],
                "id": document.id,
                "received_at": document.received_at.isoformat(),
            }
        )
        for document in documents
    ]
    # A document answering a receipt reminder is tried against the reminded transaction
    # first; the others (and it, if that fails) go through the global assignment.
    preferred = _reminded_matches(org_id, profile, documents, doc_lines, lines, store)
    if not preferred:
        return match(profile, lines, doc_lines)
    taken = {result.transaction_id for result in preferred.values()}
    rest = match(
        profile,
        [line for line in lines if line.id not in taken],
        [line for line in doc_lines if line.id not in preferred],
    )
    return list(preferred.values()) + rest


def _reminded_matches(
    org_id: str,
    profile: OrganizationProfile,
    documents: list[Document],
    doc_lines: list[DocumentLine],
    lines: list[TransactionLine],
    store: FirestoreStore,
) -> dict:
    by_id = {line.id: line for line in lines}
    preferred = {}
    for document, doc_line in zip(documents, doc_lines, strict=True):
        tx_id = document.origin.get("reminder_transaction_id")
        if not tx_id:
            continue
        line = by_id.get(tx_id)
        if line is None:
            transaction = store.get_transaction(org_id, tx_id)
            line = TransactionLine.from_json(transaction_json(transaction)) if transaction else None
        if line is None or tx_id in {r.transaction_id for r in preferred.values()}:
            continue
        [result] = match(profile, [line], [doc_line])
        if result.transaction_id:
            result.reasons.insert(0, "answers the receipt reminder of this transaction")
            preferred[document.id] = result
    return preferred


def _anchor(document: Document) -> datetime:
    if document.issue_date:
        return datetime.combine(document.issue_date, datetime.min.time(), tzinfo=UTC)
    return document.received_at


def transaction_json(tx: Transaction) -> dict[str, Any]:
    """A stored transaction in the matching engine's transaction-line contract."""
    line: dict[str, Any] = {
        "id": tx.id,
        "account_id": tx.account_id,
        "amount": str(tx.amount.amount),
        "currency": tx.amount.currency,
        "counterparty": tx.counterparty,
        "operation_type": tx.operation_type.value,
        "emitted_at": tx.emitted_at.isoformat(),
        "has_attachment": tx.has_attachment,
    }
    if tx.settled_at:
        line["settled_at"] = tx.settled_at.isoformat()
    if tx.reference:
        line["reference"] = tx.reference
    if tx.counterparty_iban:
        line["counterparty_iban"] = tx.counterparty_iban
    if tx.local_amount:
        line["local_amount"] = str(tx.local_amount.amount)
        line["local_currency"] = tx.local_amount.currency
    return line


def notify_once(document: Document, deps: ProcessorDeps) -> None:
    if deps.notify is not None:
        deps.notify(document)
