"""Pub/Sub function (`whatsapp.media`): fetch, check and store the media of a WhatsApp message."""

from __future__ import annotations

import functions_framework

from shared import runtime
from shared.events.pubsub import BadEvent, decode_pubsub_cloudevent
from shared.log import get_logger
from shared.usecases.whatsapp_intake import fetch_message_media

log = get_logger(__name__)


@functions_framework.cloud_event
def whatsapp_media_worker(cloud_event) -> None:
    try:
        message_sid = str(decode_pubsub_cloudevent(cloud_event).payload["message_sid"])
    except (BadEvent, KeyError) as exc:
        log.error("whatsapp.media: malformed message dropped", error=str(exc))
        return
    fetch_message_media(message_sid, runtime.media_deps())
