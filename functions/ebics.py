"""Functions of the EBICS file drop (issue 7); the rules live in `shared/usecases/ebics.py`.

- `ebics_statements` (Pub/Sub topic `ebics.statements`, published daily by Cloud Scheduler):
  writes the statements of the previous business day, or of `{"date": "YYYY-MM-DD"}` when
  the message carries one (ops re-running a day).
- `ebics_inbox` (topic `ebics.inbox`, fed by the drop bucket's Cloud Storage notification,
  JSON_API_V1 payload, so it has a retry policy and a dead letter like every other
  asynchronous path; an Eventarc Storage CloudEvent is accepted too): a pain.001 dropped in
  a connection's `inbox/` becomes payment requests awaiting approval, and a pain.002 status
  report goes to its `outbox/reports/`.
The HTTP routes (connection setup, plan changes, payment approval) are part of the one
API, `functions/api/` (`functions/api/routes/ebics.py`).

The bank's EBICS host, for onboarding letters: `EBICS_HOST_ID`, `EBICS_SERVER_URL`
(https), `EBICS_BANK_NAME`, and the bank's own certificates as PEM text,
`EBICS_BANK_AUTHENTICATION_CERT` (X002) and `EBICS_BANK_ENCRYPTION_CERT` (E002). Without
them, connections can be requested but no configuration letter is issued.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from functions.handlers import event_job, pubsub_job
from shared import runtime
from shared.events.pubsub import BadEvent, Delivery, decode_pubsub_cloudevent
from shared.log import get_logger
from shared.usecases import ebics as usecase

log = get_logger(__name__)


# The composition root's builder (cached per instance), under the name tests use.
ebics_deps = runtime.ebics_deps


# ----------------------------------------------------------------------------- events


@pubsub_job("ebics.statements")
def ebics_statements(delivery: Delivery) -> None:
    raw = delivery.optional_text("date")
    try:
        day = date.fromisoformat(raw) if raw else None
    except ValueError:
        raise BadEvent(f"date {raw!r} is not YYYY-MM-DD") from None
    # InvalidRequest (nothing to do) is acknowledged by the decorator.
    run = usecase.write_daily_statements(ebics_deps(), day)
    log.info(
        "ebics statements written",
        event="ebics.statements.written",  # infra/monitoring.tf alerts on its absence
        day=run.day.isoformat(),
        statements=run.statements,
        entries=run.entries,
        written=len(run.written),
        unchanged=len(run.unchanged),
        failures=run.failures[:20],
    )


def finalized_object(cloud_event: Any) -> tuple[str, str] | None:
    """(bucket, object name) of a finalized object, or None for another kind of change.

    Two shapes: a Pub/Sub message from a Storage notification (the object resource as JSON,
    `eventType` in the attributes), or an Eventarc Storage CloudEvent (the object itself).
    """
    data = cloud_event.data if hasattr(cloud_event, "data") else cloud_event
    if isinstance(data, dict) and "message" in data:
        delivery = decode_pubsub_cloudevent(cloud_event)
        if delivery.attributes.get("eventType", "OBJECT_FINALIZE") != "OBJECT_FINALIZE":
            return None  # deletes, metadata updates: nothing arrived
        data = delivery.payload
    if not isinstance(data, dict) or not data.get("bucket") or not data.get("name"):
        raise BadEvent("ebics inbox: event without bucket and name")
    return str(data["bucket"]), str(data["name"])


@event_job("ebics.inbox")
def ebics_inbox(cloud_event: Any) -> None:
    found = finalized_object(cloud_event)
    if found is None:
        return
    bucket, name = found
    outcome = usecase.ingest_inbox_object(ebics_deps(), bucket, name)
    if outcome.outcome != "ignored":
        log.info(
            "ebics inbox object processed",
            object_name=outcome.object_name,
            organization_id=outcome.organization_id,
            connection_id=outcome.connection_id,
            outcome=outcome.outcome,
            payment_requests=len(outcome.request_ids),
        )
