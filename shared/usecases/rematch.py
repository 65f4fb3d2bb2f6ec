"""Match waiting documents again, once their transactions may have arrived.

A receipt often reaches us before its payment is posted (hotel pre-authorisations,
card transactions that settle days later, invoices paid weeks after they are sent).
Such documents are saved `unmatched`; this job runs hourly and gives each of them
another chance, all of one organization's in one global assignment, then tells the
sender (✅) through the same once-only notification as the processor.

Contract:
- only `unmatched` documents younger than `max_age` and with a read total are tried;
- MUST be idempotent: attaching goes through `FirestoreStore.attach()` (refuses a
  second attachment) and the ✅ reply through its idempotency key;
- a document matched here is announced on `documents.approved` again: the firms that
  received it unmatched get its index record with the transaction;
- a document that still finds nothing stays `unmatched`, silently (no second ❌).
"""

from __future__ import annotations

from datetime import timedelta

from shared.domain.entities import Document, DocumentStatus
from shared.log import get_logger
from shared.store.firestore_store import AlreadyAttached
from shared.usecases.process_document import ProcessorDeps, announce_approved, notify_once

log = get_logger(__name__)

MAX_AGE = timedelta(days=90)


def organizations_with_unmatched_documents(deps: ProcessorDeps) -> list[str]:
    return deps.store.organizations_with_documents(DocumentStatus.UNMATCHED)


def rematch_organization(
    org_id: str, deps: ProcessorDeps, max_age: timedelta = MAX_AGE
) -> list[Document]:
    """Try every waiting document of one organization again; returns those now matched."""
    oldest = deps.now() - max_age
    waiting = [
        document
        for document in deps.store.list_documents(org_id, DocumentStatus.UNMATCHED)
        if document.received_at >= oldest
        and document.fields.get("documents")
        and document.fields["documents"][0].get("total") is not None
    ]
    if not waiting:
        return []
    by_id = {document.id: document for document in waiting}
    matched: list[Document] = []
    for result in deps.matcher().match(org_id, waiting).values():
        if not result.transaction_id:
            continue
        try:
            deps.store.attach(
                org_id, result.document_id, result.transaction_id, result.score, result.reasons
            )
        except AlreadyAttached as exc:
            log.info("rematch: lost a race", organization_id=org_id, error=str(exc))
            continue
        document = deps.store.get_document(org_id, result.document_id) or by_id[result.document_id]
        notify_once(document, deps)
        announce_approved(document, deps)
        matched.append(document)
    log.info(
        "rematch done",
        organization_id=org_id,
        waiting=len(waiting),
        matched=len(matched),
    )
    return matched
