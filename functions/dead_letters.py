"""Pub/Sub function on every `TOPIC.dead-letter`: answer the messages that failed all their
deliveries (the document is marked failed, the sender gets ❌). See shared/usecases/dead_letters.py.

The source topic comes from the CloudEvent's `source` (`//pubsub.googleapis.com/projects/P/
topics/documents.received.dead-letter`), as Eventarc sends it; a plain push subscription must
push to `.../dead_letter_handler/projects/P/topics/TOPIC.dead-letter` for the same effect.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from functions.handlers import event_job
from shared import runtime
from shared.events.pubsub import BadEvent, Delivery, decode_pubsub_cloudevent
from shared.usecases.dead_letters import handle_dead_letter, source_topic


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
    if "/topics/" not in source:
        raise BadEvent(f"dead letter without its topic in the event source: {source!r}")
    return DeadLetter(source_topic(source), decode_pubsub_cloudevent(cloud_event))


@event_job("*.dead-letter", decode=decode)
def dead_letter_handler(event: DeadLetter) -> None:
    handle_dead_letter(
        event.topic, event.delivery.payload, event.delivery.attributes, runtime.dead_letter_deps()
    )
