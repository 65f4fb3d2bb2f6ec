"""Pub/Sub function (`documents.received`): extract, match, attach, notify."""

from __future__ import annotations

from functions.handlers import pubsub_job
from shared import runtime
from shared.events.pubsub import Delivery
from shared.usecases.process_document import process_document

# What the WhatsApp webhook cannot run without (its signature check and replies).
TWILIO = ("twilio_account_sid", "twilio_auth_token", "twilio_whatsapp_number")


@pubsub_job("documents.received")
def document_processor(delivery: Delivery) -> None:
    # A document gone with its tenant is NotFound: acknowledged by the decorator. Each
    # document read and kept (every part of a multi-invoice file) is published on
    # documents.approved by the use case (runtime.processor_deps().approved).
    process_document(
        delivery.text("organization_id"), delivery.text("document_id"), runtime.processor_deps()
    )
