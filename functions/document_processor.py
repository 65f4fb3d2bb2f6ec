"""Pub/Sub function (`documents.received`): extract, match, attach, notify."""

from __future__ import annotations

import functions_framework

from shared import runtime
from shared.events.pubsub import BadEvent, decode_pubsub_cloudevent
from shared.log import get_logger
from shared.usecases.process_document import process_document

log = get_logger(__name__)


@functions_framework.cloud_event
def document_processor(cloud_event) -> None:
    try:
        delivery = decode_pubsub_cloudevent(cloud_event)
        org_id = str(delivery.payload["organization_id"])
        document_id = str(delivery.payload["document_id"])
    except (BadEvent, KeyError) as exc:
        # Retrying cannot fix a malformed message: log it and acknowledge.
        log.error("documents.received: malformed message dropped", error=str(exc))
        return
    try:
        process_document(org_id, document_id, runtime.processor_deps())
    except LookupError as exc:
        # The document is gone (deleted with its tenant): nothing left to process.
        log.error(
            "documents.received: document not found",
            error=str(exc),
            organization_id=org_id,
            document_id=document_id,
        )
