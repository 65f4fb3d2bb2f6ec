"""Pub/Sub functions of the Drive Dropzone import.

- `dropzone_fanout` (topic `dropzone.run`, published by Cloud Scheduler every 3 hours):
  one message per active Dropzone integration on `dropzone.sync`.
- `dropzone_worker` (topic `dropzone.sync`): one run for one integration. A run that ran
  out of its time budget publishes a continuation message for the files left.

Configuration: `TOPIC_DROPZONE_SYNC`, `DRIVE_API_ROOT_URL`, `GOOGLE_OAUTH_CLIENT_ID` /
`GOOGLE_OAUTH_CLIENT_SECRET` (shared/config.py). Drive credentials are built in
shared/destinations/factory.py (`drive_from_tokens`).
"""

from __future__ import annotations

from datetime import UTC, datetime

from functions.handlers import pubsub_job
from shared import runtime
from shared.events.pubsub import Delivery
from shared.log import get_logger
from shared.usecases.dropzone_import import fan_out, run_dropzone

log = get_logger(__name__)


def dropzone_deps():  # noqa: ANN201 - the composition root's, re-exported for tests
    return runtime.dropzone_deps()


@pubsub_job("dropzone.run")
def dropzone_fanout(delivery: Delivery) -> None:
    published = delivery.published_at or datetime.now(UTC)
    deps = runtime.dropzone_deps()
    count = fan_out(deps.repo, runtime.publish_dropzone_sync, published)
    log.info("dropzone fan-out", integrations=count)


@pubsub_job("dropzone.sync")
def dropzone_worker(delivery: Delivery) -> None:
    org_id = delivery.text("organization_id")
    integration_id = delivery.text("integration_id")
    run_key = delivery.optional_text("run_key") or f"message:{delivery.message_id}"
    # NotFound (integration gone) is acknowledged; RetryableError (Drive 429/5xx after our
    # own retries) is a RetryLater: Pub/Sub redelivers.
    report = run_dropzone(org_id, integration_id, runtime.dropzone_deps(), run_key=run_key)
    if report.remaining:
        # Keyed by this message: a redelivery publishes the same continuation key.
        runtime.publish_dropzone_sync(
            {
                "organization_id": org_id,
                "integration_id": integration_id,
                "run_key": f"continue:{delivery.message_id}",
            }
        )
