"""Pub/Sub function (`reminders.run`, hourly from Cloud Scheduler): WhatsApp receipt reminders.

The message may name one `organization_id`; otherwise every organization that turned
reminders on is run, one after the other.
"""

from __future__ import annotations

from functions.handlers import pubsub_job
from shared import runtime
from shared.events.pubsub import Delivery
from shared.usecases.receipt_reminders import run_reminders


@pubsub_job("reminders.run")
def receipt_reminders(delivery: Delivery) -> None:
    org_id = delivery.optional_text("organization_id")
    run_reminders(runtime.reminder_deps(), [org_id] if org_id else None)
