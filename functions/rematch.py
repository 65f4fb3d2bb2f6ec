"""Pub/Sub function (`documents.rematch`, hourly from Cloud Scheduler): match waiting documents.

The message may name one `organization_id`; otherwise every organization with
unmatched documents is tried, one after the other.
"""

from __future__ import annotations

from functions.handlers import pubsub_job
from shared import runtime
from shared.events.pubsub import Delivery
from shared.usecases.rematch import organizations_with_unmatched_documents, rematch_organization


@pubsub_job("documents.rematch")
def rematch_unmatched(delivery: Delivery) -> None:
    deps = runtime.processor_deps()
    org_id = delivery.optional_text("organization_id")
    org_ids = [org_id] if org_id else organizations_with_unmatched_documents(deps)
    for org_id in org_ids:
        rematch_organization(org_id, deps)
