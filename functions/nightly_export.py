"""Pub/Sub functions of the nightly export (issue 5).

- `nightly_export_fanout` (topic `exports.nightly`, published by Cloud Scheduler at 23:30
  Europe/Paris): one `exports.sync` message per active export integration.
- `nightly_export_worker` (topic `exports.sync`): syncs one integration.

The worker acknowledges every outcome it can settle itself (done, skipped, a status such
as "reconnect needed" set on the integration). A run that ran out of time publishes its
continuation. "retrying" (rate limits that outlived the backoff) and "busy" (another
worker holds the lease) raise, so that Pub/Sub redelivers later with its backoff; the
next nightly run would resume anyway.
"""

from __future__ import annotations

import os
from functools import lru_cache

import functions_framework

from shared import runtime
from shared.config import settings
from shared.events.pubsub import BadEvent, decode_pubsub_cloudevent, publish
from shared.log import get_logger
from shared.store.integrations import IntegrationStore
from shared.usecases.nightly_export import (
    DEFAULT_PRODUCT_NAME,
    ExportDeps,
    fan_out,
    sync_integration,
)

log = get_logger(__name__)


class RedeliverLater(RuntimeError):
    """Raised to make Pub/Sub redeliver the message after its backoff."""


@lru_cache(maxsize=1)
def export_deps() -> ExportDeps:
    """Built once per instance (clients are reused across invocations)."""
    project = settings().project
    topic = os.environ.get("TOPIC_EXPORTS_SYNC", "exports.sync")
    store = runtime.store()
    return ExportDeps(
        store=store,
        integrations=IntegrationStore(store.db),
        blobs=runtime.blobs(),
        publish_sync=lambda payload: publish(project, topic, payload),
        product_name=os.environ.get("PRODUCT_NAME", DEFAULT_PRODUCT_NAME),
        time_budget_seconds=float(os.environ.get("EXPORT_TIME_BUDGET_SECONDS", "480")),
    )


@functions_framework.cloud_event
def nightly_export_fanout(cloud_event) -> None:
    try:
        delivery = decode_pubsub_cloudevent(cloud_event)
    except BadEvent as exc:
        log.error("exports.nightly: malformed message dropped", error=str(exc))
        return
    run_id = delivery.payload.get("run_id")
    fan_out(export_deps(), str(run_id) if run_id else None)


@functions_framework.cloud_event
def nightly_export_worker(cloud_event) -> None:
    try:
        delivery = decode_pubsub_cloudevent(cloud_event)
        org_id = str(delivery.payload["organization_id"])
        integration_id = str(delivery.payload["integration_id"])
    except (BadEvent, KeyError) as exc:
        # Retrying cannot fix a malformed message: log it and acknowledge.
        log.error("exports.sync: malformed message dropped", error=str(exc))
        return
    run_id = delivery.payload.get("run_id")
    deps = export_deps()
    result = sync_integration(deps, org_id, integration_id, str(run_id) if run_id else None)
    fields = {
        "organization_id": org_id,
        "integration_id": integration_id,
        "run_id": run_id,
        "outcome": result.outcome,
        **result.progress.as_dict(),
    }
    if result.outcome == "partial":
        deps.publish_sync(dict(delivery.payload))
        log.info("export run continues in a new message", **fields)
    elif result.outcome in ("retrying", "busy"):
        raise RedeliverLater(f"export {org_id}/{integration_id}: {result.message}")
    else:
        log.info("export run settled", **fields)
