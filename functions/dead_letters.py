"""Pub/Sub function on every `TOPIC.dead-letter`: answer the messages that failed all their
deliveries (the document is marked failed, the sender gets ❌). See shared/usecases/dead_letters.py.

The source topic comes from the CloudEvent's `source` (`//pubsub.googleapis.com/projects/P/
topics/documents.received.dead-letter`), as Eventarc sends it and as a push to
`.../projects/P/topics/TOPIC.dead-letter` gives it; a push to the bare function URL has no
topic, and the payload's shape tells (see `topic_from_payload`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from functions.handlers import event_job
from shared import runtime
from shared.events.pubsub import BadEvent, Delivery, decode_pubsub_cloudevent
from shared.usecases.dead_letters import handle_dead_letter, source_topic, topic_from_payload


@dataclass(frozen=True)
class DeadLetter:
    topic: str
    delivery: Delivery

    @property
    def message_id(self) -> str:
        return self.delivery.message_id


def decode(cloud_event: Any) -> DeadLetter:
    try:
        source = str(cloud_event["source"] or "")
    except (KeyError, TypeError):
        source = ""
    delivery = decode_pubsub_cloudevent(cloud_event)
    if "/topics/" in source and not source.endswith("/topics/"):
        return DeadLetter(source_topic(source), delivery)
    topic = topic_from_payload(delivery.payload)
    if topic is None:
        raise BadEvent(f"dead letter {delivery.message_id}: no topic in {source!r} nor payload")
    return DeadLetter(topic, delivery)


@event_job("*.dead-letter", decode=decode)
def dead_letter_handler(event: DeadLetter) -> None:
    handle_dead_letter(
        event.topic, event.delivery.payload, event.delivery.attributes, runtime.dead_letter_deps()
    )
