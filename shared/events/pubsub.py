"""Publish domain events to Pub/Sub and decode the CloudEvents that deliver them."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from google.api_core import exceptions as gexc
from google.cloud import pubsub_v1  # type: ignore[attr-defined]

from shared.errors import Invalid


@lru_cache(maxsize=2)
def publisher() -> pubsub_v1.PublisherClient:
    return pubsub_v1.PublisherClient()


def topic_path(project: str, topic: str) -> str:
    return f"projects/{project}/topics/{topic}"


def publish(project: str, topic: str, payload: dict[str, Any], **attributes: str) -> str:
    """Publish a JSON payload; returns the Pub/Sub message id once it is accepted."""
    data = json.dumps(payload, separators=(",", ":"), sort_keys=True).encode()
    future = publisher().publish(topic_path(project, topic), data, **attributes)
    return future.result(timeout=60)


def ensure_topic(project: str, topic: str) -> None:
    """Local runs and tests only: production topics come from Terraform."""
    try:
        publisher().create_topic(name=topic_path(project, topic))
    except gexc.AlreadyExists:
        pass


def ensure_push_subscription(
    project: str, topic: str, subscription: str, push_endpoint: str, ack_deadline: int = 60
) -> None:
    subscriber = pubsub_v1.SubscriberClient()
    name = f"projects/{project}/subscriptions/{subscription}"
    try:
        subscriber.create_subscription(
            request={
                "name": name,
                "topic": topic_path(project, topic),
                "push_config": {"push_endpoint": push_endpoint},
                "ack_deadline_seconds": ack_deadline,
            }
        )
    except gexc.AlreadyExists:
        pass
    finally:
        subscriber.close()


class BadEvent(Invalid):
    """A delivery that can never be processed: acknowledge it and log, don't retry."""


@dataclass(frozen=True)
class Delivery:
    """One Pub/Sub message as a function receives it."""

    message_id: str
    payload: dict[str, Any]
    attributes: dict[str, str]
    published_at: datetime | None = None

    def text(self, key: str) -> str:
        """The payload's `key` as text; `BadEvent` when it is missing or empty."""
        value = self.payload.get(key)
        if value is None or value == "" or isinstance(value, dict | list):
            raise BadEvent(f"message {self.message_id} has no {key!r}")
        return str(value)

    def optional_text(self, key: str) -> str | None:
        value = self.payload.get(key)
        return None if value is None or value == "" else str(value)


def decode_pubsub_cloudevent(cloud_event: Any) -> Delivery:
    data = cloud_event.data if hasattr(cloud_event, "data") else cloud_event
    try:
        message = data["message"]
        raw = base64.b64decode(message.get("data", ""))
        payload = json.loads(raw) if raw else {}
        message_id = message.get("messageId") or message.get("message_id")
    except (KeyError, TypeError, ValueError) as exc:
        raise BadEvent(f"not a Pub/Sub message: {exc}") from exc
    if not isinstance(payload, dict) or not message_id:
        raise BadEvent("Pub/Sub message without a JSON object payload or message id")
    return Delivery(
        str(message_id),
        payload,
        dict(message.get("attributes") or {}),
        _publish_time(message),
    )


def _publish_time(message: dict[str, Any]) -> datetime | None:
    raw = message.get("publishTime") or message.get("publish_time")
    try:
        instant = datetime.fromisoformat(str(raw).replace("Z", "+00:00")) if raw else None
    except ValueError:
        return None
    return instant if instant is None or instant.tzinfo else None
