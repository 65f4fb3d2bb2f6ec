"""Functions of the EBICS file drop (issue 7); the rules live in `shared/usecases/ebics.py`.

- `ebics_statements` (Pub/Sub topic `ebics.statements`, published daily by Cloud Scheduler):
  writes the statements of the previous business day, or of `{"date": "YYYY-MM-DD"}` when
  the message carries one (ops re-running a day).
- `ebics_inbox` (Eventarc `google.cloud.storage.object.v1.finalized` on the drop bucket):
  a pain.001 dropped in a connection's `inbox/` becomes payment requests awaiting approval,
  and a pain.002 status report goes to its `outbox/reports/`.
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
from shared.events.pubsub import BadEvent, Delivery
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
        day=run.day.isoformat(),
        statements=run.statements,
        entries=run.entries,
        written=len(run.written),
        unchanged=len(run.unchanged),
        failures=run.failures[:20],
    )


@event_job("google.cloud.storage.object.v1.finalized")
def ebics_inbox(cloud_event: Any) -> None:
    data = cloud_event.data if hasattr(cloud_event, "data") else cloud_event
    if not isinstance(data, dict) or not data.get("bucket") or not data.get("name"):
        raise BadEvent("ebics inbox: event without bucket and name")
    outcome = usecase.ingest_inbox_object(ebics_deps(), str(data["bucket"]), str(data["name"]))
    if outcome.outcome != "ignored":
        log.info(
            "ebics inbox object processed",
            object_name=outcome.object_name,
            organization_id=outcome.organization_id,
            connection_id=outcome.connection_id,
            outcome=outcome.outcome,
            payment_requests=len(outcome.request_ids),
        )
