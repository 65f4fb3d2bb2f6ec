"""Publish domain events to Pub/Sub and decode the CloudEvents that deliver them."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from google.api_core import exceptions as gexc
from google.cloud import pubsub_v1


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


@dataclass(frozen=True)
class Delivery:
    """One Pub/Sub message as a function receives it."""

    message_id: str
    payload: dict[str, Any]
    attributes: dict[str, str]


class BadEvent(ValueError):
    """A delivery that can never be processed: acknowledge it and log, don't retry."""


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
    return Delivery(str(message_id), payload, dict(message.get("attributes") or {}))
