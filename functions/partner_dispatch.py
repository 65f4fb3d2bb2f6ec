"""Pub/Sub function (`documents.approved`): send a document to its company's partner activations.

Message `{"organization_id", "document_id"}`. Without `document_id` (Cloud Scheduler,
every 15 minutes) it sweeps the failed deliveries whose backoff has passed.
A delivery left to retry raises `RetryLater`: Pub/Sub redelivers with its backoff;
what is delivered already is skipped (one record per document and activation).
"""

from __future__ import annotations

from functions.handlers import pubsub_job
from shared import runtime
from shared.errors import RetryLater
from shared.events.pubsub import Delivery
from shared.log import get_logger
from shared.usecases.partner_dispatch import dispatch_document, retry_due

log = get_logger(__name__)


@pubsub_job("documents.approved")
def partner_dispatch(delivery: Delivery) -> None:
    deps = runtime.partner_dispatch_deps()
    document_id = delivery.optional_text("document_id")
    if document_id is None:
        log.info("partner deliveries retried", event="partner.sweep", **retry_due(deps))
        return
    org_id = delivery.text("organization_id")
    outcome = dispatch_document(org_id, document_id, deps)
    log.info(
        "partner dispatch",
        event="partner.dispatch",
        organization_id=org_id,
        document_id=document_id,
        delivered=len(outcome.delivered),
        failed=len(outcome.failed),
        skipped=len(outcome.skipped),
    )
    if outcome.retry_later:
        raise RetryLater(f"{len(outcome.failed)} partner deliveries to retry: {outcome.failed}")
