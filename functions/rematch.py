"""Pub/Sub function (`documents.rematch`, hourly from Cloud Scheduler): match waiting documents.

The message may name one `organization_id`; otherwise every organization with
unmatched documents is tried, one after the other.
"""

from __future__ import annotations

import functions_framework

from shared import runtime
from shared.events.pubsub import BadEvent, decode_pubsub_cloudevent
from shared.log import get_logger
from shared.usecases.rematch import organizations_with_unmatched_documents, rematch_organization

log = get_logger(__name__)


@functions_framework.cloud_event
def rematch_unmatched(cloud_event) -> None:
    try:
        payload = decode_pubsub_cloudevent(cloud_event).payload
    except BadEvent as exc:
        log.error("documents.rematch: malformed message dropped", error=str(exc))
        return
    deps = runtime.processor_deps()
    org_ids = (
        [str(payload["organization_id"])]
        if payload.get("organization_id")
        else organizations_with_unmatched_documents(deps)
    )
    for org_id in org_ids:
        rematch_organization(org_id, deps)
