"""The `TOPIC.dead-letter.hold` subscriptions (infra/modules/topic): pull the messages that
failed every delivery, publish them again, acknowledge them. The only module that pulls.

Locally PUBSUB_EMULATOR_HOST points the official client at the emulator, as everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from google.api_core import exceptions as gexc
from google.cloud import pubsub_v1  # type: ignore[attr-defined]

from shared.events.pubsub import publisher, topic_path

HOLD_SUFFIX = ".dead-letter.hold"
PULL_TIMEOUT_SECONDS = 10.0
ACK_DEADLINE_SECONDS = 120
"""How long a pulled message stays ours: a replay publishes it within this time or leaves
it for Pub/Sub to hand out again (nothing is acknowledged before it is published)."""


def hold_subscription(topic: str) -> str:
    return f"{topic}{HOLD_SUFFIX}"


@dataclass(frozen=True)
class HeldMessage:
    ack_id: str
    message_id: str
    data: bytes
    attributes: dict[str, str] = field(default_factory=dict)


class DeadLetterHold:
    """The hold subscription of one source topic, in one project."""

    def __init__(self, project: str, topic: str) -> None:
        self.project = project
        self.topic = topic
        self.subscription = f"projects/{project}/subscriptions/{hold_subscription(topic)}"
        self._subscriber = pubsub_v1.SubscriberClient()

    def pull(self, max_messages: int) -> list[HeldMessage]:
        """Up to `max_messages` held messages; [] when the hold is empty."""
        try:
            response = self._subscriber.pull(
                request={"subscription": self.subscription, "max_messages": max_messages},
                timeout=PULL_TIMEOUT_SECONDS,
                retry=None,
            )
        except gexc.DeadlineExceeded:
            return []  # nothing came within the pull's wait: the hold is empty
        held = []
        for received in response.received_messages:
            message = received.message
            held.append(
                HeldMessage(
                    ack_id=received.ack_id,
                    message_id=message.message_id,
                    data=bytes(message.data),
                    attributes=dict(message.attributes),
                )
            )
        if held:
            self._subscriber.modify_ack_deadline(
                request={
                    "subscription": self.subscription,
                    "ack_ids": [message.ack_id for message in held],
                    "ack_deadline_seconds": ACK_DEADLINE_SECONDS,
                }
            )
        return held

    def republish(self, message: HeldMessage, attributes: dict[str, str]) -> str:
        """Publish the message's bytes again on its source topic; returns the new message id."""
        future = publisher().publish(
            topic_path(self.project, self.topic), message.data, **attributes
        )
        return str(future.result(timeout=60))

    def acknowledge(self, messages: list[HeldMessage]) -> None:
        if messages:
            self._subscriber.acknowledge(
                request={
                    "subscription": self.subscription,
                    "ack_ids": [message.ack_id for message in messages],
                }
            )

    def release(self, messages: list[HeldMessage]) -> None:
        """Hand unpublished messages back to the hold at once (they are not lost)."""
        if messages:
            self._subscriber.modify_ack_deadline(
                request={
                    "subscription": self.subscription,
                    "ack_ids": [message.ack_id for message in messages],
                    "ack_deadline_seconds": 0,
                }
            )

    def close(self) -> None:
        self._subscriber.close()
