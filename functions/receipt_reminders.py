"""Pub/Sub function (`reminders.run`, hourly from Cloud Scheduler): WhatsApp receipt reminders.

The message may name one `organization_id`; otherwise every organization that turned
reminders on is run, one after the other.
"""

from __future__ import annotations

import functions_framework

from shared import runtime
from shared.events.pubsub import BadEvent, decode_pubsub_cloudevent
from shared.log import get_logger
from shared.usecases.receipt_reminders import run_reminders

log = get_logger(__name__)


@functions_framework.cloud_event
def receipt_reminders(cloud_event) -> None:
    try:
        payload = decode_pubsub_cloudevent(cloud_event).payload
    except BadEvent as exc:
        log.error("reminders.run: malformed message dropped", error=str(exc))
        return
    org_id = payload.get("organization_id")
    run_reminders(runtime.reminder_deps(), [str(org_id)] if org_id else None)
