"""Pub/Sub function (`documents.received`): extract, match, attach, notify."""

from __future__ import annotations

from functions.handlers import pubsub_job
from shared import runtime
from shared.events.pubsub import Delivery
from shared.usecases.partner_dispatch import APPROVED
from shared.usecases.process_document import process_document

# What the WhatsApp webhook cannot run without (its signature check and replies).
TWILIO = ("twilio_account_sid", "twilio_auth_token", "twilio_whatsapp_number")


@pubsub_job("documents.received")
def document_processor(delivery: Delivery) -> None:
    # A document gone with its tenant is NotFound: acknowledged by the decorator.
    document = process_document(
        delivery.text("organization_id"), delivery.text("document_id"), runtime.processor_deps()
    )
    if document.status in APPROVED:
        # The partner dispatch (documents.approved) sends it to the firms' activations;
        # a redelivery publishes again, and the dispatch delivers once per activation.
        runtime.publish_document_approved(document.organization_id, document.id)
