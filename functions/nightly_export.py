"""Pub/Sub functions of the nightly export (issue 5).

- `nightly_export_fanout` (topic `exports.nightly`, published by Cloud Scheduler at 23:30
  Europe/Paris): one `exports.sync` message per active export integration.
- `nightly_export_worker` (topic `exports.sync`): syncs one integration.

The worker acknowledges every outcome it can settle itself (done, skipped, a status such
as "reconnect needed" set on the integration). A run that ran out of time publishes its
continuation. "retrying" (rate limits that outlived the backoff) and "busy" (another
worker holds the lease) raise `RetryLater`, so that Pub/Sub redelivers later with its
backoff; the next nightly run would resume anyway.
"""

from __future__ import annotations

from functions.handlers import pubsub_job
from shared import runtime
from shared.errors import RetryLater
from shared.events.pubsub import Delivery
from shared.log import get_logger
from shared.usecases.nightly_export import fan_out, sync_integration

log = get_logger(__name__)

# Kept for callers of the old name: the export's "redeliver later" is the shared RetryLater.
RedeliverLater = RetryLater


def export_deps():  # noqa: ANN201 - the composition root's, re-exported for tests
    return runtime.export_deps()


@pubsub_job("exports.nightly")
def nightly_export_fanout(delivery: Delivery) -> None:
    fan_out(runtime.export_deps(), delivery.optional_text("run_id"))


@pubsub_job("exports.sync")
def nightly_export_worker(delivery: Delivery) -> None:
    org_id = delivery.text("organization_id")
    integration_id = delivery.text("integration_id")
    run_id = delivery.optional_text("run_id")
    # A new bank account (companies feed) asks for its folder now.
    prepare = delivery.payload.get("prepare_accounts") or []
    prepare_accounts = tuple(a for a in prepare if isinstance(a, str))[:20]
    deps = runtime.export_deps()
    result = sync_integration(deps, org_id, integration_id, run_id, prepare_accounts)
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
        raise RetryLater(f"export {org_id}/{integration_id}: {result.message}")
    else:
        log.info("export run settled", **fields)
