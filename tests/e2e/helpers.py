"""Helpers of the end-to-end tests: waiting for the asynchronous stages, reading replies."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from google.api_core.exceptions import AlreadyExists
from google.cloud import pubsub_v1

from local.demo import DEMO_ORG_ID
from shared import runtime
from shared.domain.entities import DocumentStatus

FINAL = (DocumentStatus.MATCHED, DocumentStatus.UNMATCHED, DocumentStatus.REFUSED)


def wait_until(condition: Callable[[], object], timeout: float = 60, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def wait_handled(stack, target: str, count: int, timeout: float = 60) -> None:
    """Wait until function `target` has answered `count` calls since the stack started:
    evidence that a delivery was handled, so a check that follows ("only one reply") can
    fail, where a fixed sleep could end before the delivery arrives."""
    wait_until(
        lambda: stack.handled[target] >= count,
        timeout=timeout,
        what=f"{count} calls answered by {target}",
    )


def processed(document_id: str, org_id: str = DEMO_ORG_ID):
    def check():
        document = runtime.store().get_document(org_id, document_id)
        return document if document and document.status in FINAL else None

    return check


def replies_to(stack, phone: str) -> list[str]:
    """Bodies of the messages the fake Twilio accepted for `phone` (delivered or not)."""
    return [m["Body"] for m in stack.twilio.sent_messages if m["To"] == f"whatsapp:{phone}"]


def wait_replies(stack, phone: str, count: int, timeout: float = 60) -> list[str]:
    return wait_until(
        lambda: len(replies_to(stack, phone)) >= count and replies_to(stack, phone),
        timeout=timeout,
        what=f"{count} WhatsApp replies to {phone}",
    )


def stored_blobs() -> list[str]:
    blobs = runtime.blobs()
    return [blob.name for blob in blobs.client.list_blobs(blobs.bucket_name)]


def twiml_text(response) -> str:
    """The text of the TwiML reply (all <Message> elements, one per line)."""
    from xml.etree import ElementTree

    root = ElementTree.fromstring(response.content)
    return "\n".join(message.text or "" for message in root.iter("Message"))


def age_window(stack, phone: str, hours: int) -> None:
    """The user last wrote `hours` ago: for us and for WhatsApp (the fake Twilio)."""
    when = datetime.now(UTC) - timedelta(hours=hours)
    runtime.wa_store().set_last_inbound(phone, when)
    stack.twilio.set_last_inbound(phone, when)


def empty_dead_letter_hold(topic: str) -> None:
    """Dead letters of earlier tests stay in the hold (Firestore is reset, Pub/Sub is not)."""
    from shared.config import settings
    from shared.ops.dead_letter_hold import DeadLetterHold

    hold = DeadLetterHold(settings().project, topic)
    try:
        while held := hold.pull(100):
            hold.acknowledge(held)
    finally:
        hold.close()


def received_whatsapp_document(document_id: str, data: bytes, phone: str) -> str:
    """A WhatsApp document stored and recorded `received`, that no processor has touched."""
    from shared.domain.entities import Document

    blobs = runtime.blobs()
    uri, checksum = blobs.put_document(DEMO_ORG_ID, data, "application/pdf")
    runtime.store().create_document(
        Document(
            id=document_id,
            organization_id=DEMO_ORG_ID,
            source="whatsapp",
            checksum=checksum,
            storage_uri=uri,
            media_type="application/pdf",
            received_at=datetime.now(UTC),
            origin={"channel": "whatsapp", "phone": phone, "media_index": 0},
        )
    )
    return uri


def approved_messages(stack: Any, name: str) -> Callable[[int], list[dict[str, str]]]:
    """Subscribe to `documents.approved` now; the function pulls what was published since."""
    subscriber = pubsub_v1.SubscriberClient()
    topic = subscriber.topic_path(stack.project, runtime.settings().topic_documents_approved)
    subscription = subscriber.subscription_path(stack.project, name)
    try:
        subscriber.create_subscription(name=subscription, topic=topic)
    except AlreadyExists:
        subscriber.seek(request={"subscription": subscription, "time": datetime.now(UTC)})

    def pull(expected: int) -> list[dict[str, str]]:
        got: list[dict[str, str]] = []
        deadline = time.monotonic() + 20
        while len(got) < expected and time.monotonic() < deadline:
            answer = subscriber.pull(
                request={"subscription": subscription, "max_messages": 50}, timeout=10
            )
            got += [json.loads(m.message.data) for m in answer.received_messages]
            if answer.received_messages:
                subscriber.acknowledge(
                    request={
                        "subscription": subscription,
                        "ack_ids": [m.ack_id for m in answer.received_messages],
                    }
                )
        return got

    return pull
