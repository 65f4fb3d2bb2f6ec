"""Pub/Sub function (`whatsapp.media`): fetch, check and store the media of a WhatsApp message."""

from __future__ import annotations

from functions.handlers import pubsub_job
from shared import runtime
from shared.events.pubsub import Delivery
from shared.usecases.whatsapp_intake import fetch_message_media


@pubsub_job("whatsapp.media")
def whatsapp_media_worker(delivery: Delivery) -> None:
    fetch_message_media(delivery.text("message_sid"), runtime.media_deps())
