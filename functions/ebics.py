"""Functions of the EBICS file drop (issue 7); the rules live in `shared/usecases/ebics.py`.

- `ebics_statements` (Pub/Sub topic `ebics.statements`, published daily by Cloud Scheduler):
  writes the statements of the previous business day, or of `{"date": "YYYY-MM-DD"}` when
  the message carries one (ops re-running a day).
- `ebics_inbox` (Eventarc `google.cloud.storage.object.v1.finalized` on the drop bucket):
  a pain.001 dropped in a connection's `inbox/` becomes payment requests awaiting approval,
  and a pain.002 status report goes to its `outbox/reports/`.
The HTTP routes (connection setup, plan changes, payment approval) are part of the one
API, `functions/api/` (`functions/api/routes/ebics.py`).
"""

from __future__ import annotations

import os
from datetime import date
from functools import lru_cache

import functions_framework

from shared import runtime
from shared.config import settings
from shared.events.pubsub import BadEvent, decode_pubsub_cloudevent
from shared.log import get_logger
from shared.store.blobs import storage_client
from shared.store.ebics import (
    DropBucket,
    EbicsStore,
)
from shared.usecases import ebics as usecase
from shared.usecases.ebics import (
    EbicsDeps,
    InvalidRequest,
)

log = get_logger(__name__)

ACTING_MEMBER_HEADER = "X-Acting-Member-Id"


@lru_cache(maxsize=1)
def ebics_deps() -> EbicsDeps:
    """Built once per instance (clients are reused across invocations)."""
    project = settings().project
    bucket = os.environ.get("EBICS_DROP_BUCKET", f"{project}-ebics-drop")
    store = runtime.store()
    return EbicsDeps(
        store=store,
        ebics=EbicsStore(store.db),
        drop=DropBucket(storage_client(project), bucket),
    )


# ----------------------------------------------------------------------------- events


@functions_framework.cloud_event
def ebics_statements(cloud_event) -> None:
    try:
        delivery = decode_pubsub_cloudevent(cloud_event)
        raw = delivery.payload.get("date")
        day = date.fromisoformat(raw) if raw else None
    except (BadEvent, TypeError, ValueError) as exc:
        # Retrying cannot fix a malformed message: log it and acknowledge.
        log.error("ebics.statements: malformed message dropped", error=str(exc))
        return
    try:
        run = usecase.write_daily_statements(ebics_deps(), day)
    except InvalidRequest as exc:
        log.error("ebics.statements: nothing to do", error=str(exc))
        return
    log.info(
        "ebics statements written",
        day=run.day.isoformat(),
        statements=run.statements,
        entries=run.entries,
        written=len(run.written),
        unchanged=len(run.unchanged),
        failures=run.failures[:20],
    )


@functions_framework.cloud_event
def ebics_inbox(cloud_event) -> None:
    data = cloud_event.data if hasattr(cloud_event, "data") else cloud_event
    if not isinstance(data, dict) or not data.get("bucket") or not data.get("name"):
        log.error("ebics inbox: event without bucket and name dropped")
        return
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
