"""Never silence: what the dead-letter handler calls answers the sender with ❌, once.

Real Firestore emulator and fake Twilio; the handler itself (issue 16) calls these."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from local.demo import DEMO_ORG_ID, DEMO_PHONE, seed_demo_company
from shared import runtime
from shared.domain.entities import Document
from shared.domain.messages import reason, render, template_variables
from shared.store.whatsapp import InboundMessage
from shared.usecases.whatsapp_intake import notify_message_failed
from shared.usecases.whatsapp_notify import Recipient, notify_failed_document, send_message


def bodies(stack) -> list[str]:
    return [m["Body"] for m in stack.twilio.sent_messages if m["To"] == f"whatsapp:{DEMO_PHONE}"]


def test_a_document_that_failed_after_its_retries_gets_one_cross(stack):
    seed_demo_company(runtime.store())
    runtime.wa_store().set_last_inbound(DEMO_PHONE, datetime.now(UTC))
    runtime.store().create_document(
        Document(
            id="wa-poison-0",
            organization_id=DEMO_ORG_ID,
            source="whatsapp",
            checksum="0" * 64,
            storage_uri="gs://bucket/x",
            media_type="application/pdf",
            received_at=datetime.now(UTC),
            origin={"channel": "whatsapp", "phone": DEMO_PHONE, "media_index": 0},
        )
    )

    first = notify_failed_document(
        DEMO_ORG_ID, "wa-poison-0", "ValueError: 1E+30", runtime.notify_deps()
    )
    again = notify_failed_document(
        DEMO_ORG_ID, "wa-poison-0", "ValueError: 1E+30", runtime.notify_deps()
    )

    assert first.status == "sent" and again.status == "duplicate"
    assert bodies(stack) == [
        render(
            "refused",
            "fr",
            document=render("document_plain", "fr"),
            reason=reason("processing_failed", "fr"),
        )
    ]


def test_a_failed_document_from_another_channel_is_not_answered_on_whatsapp(stack):
    seed_demo_company(runtime.store())
    runtime.store().create_document(
        Document(
            id="drive-1",
            organization_id=DEMO_ORG_ID,
            source="drive_dropzone",
            checksum="1" * 64,
            storage_uri="gs://bucket/y",
            media_type="application/pdf",
            received_at=datetime.now(UTC),
        )
    )
    assert notify_failed_document(DEMO_ORG_ID, "drive-1", "boom", runtime.notify_deps()) is None
    assert bodies(stack) == []


def test_media_that_could_not_be_fetched_after_the_retries_get_their_cross(stack):
    seed_demo_company(runtime.store())
    wa = runtime.wa_store()
    now = datetime.now(UTC)
    sid = "MM" + "a" * 32
    wa.record_inbound(
        InboundMessage(
            message_sid=sid,
            phone=DEMO_PHONE,
            received_at=now,
            status="received",
            organization_id=DEMO_ORG_ID,
            language="fr",
            media=[
                {"url": "u0", "content_type": "image/jpeg", "status": "stored"},
                {"url": "u1", "content_type": "image/jpeg", "status": "pending"},
            ],
        ),
        {},
    )

    answered = notify_message_failed(sid, "TransientChannelError", runtime.media_deps())

    assert answered == 1
    assert bodies(stack) == [
        render(
            "refused",
            "fr",
            document=render("document_numbered", "fr", number=2),
            reason=reason("fetch_failed", "fr"),
        )
    ]
    record = wa.get_message(sid)
    assert record.status == "failed"
    assert [m["status"] for m in record.media] == ["stored", "refused"]


def test_a_webhook_that_cannot_publish_fails_and_its_retry_is_a_first_delivery(stack):
    """Pub/Sub refuses (here: a topic that does not exist): the webhook answers 500 and forgets
    the message, so Twilio's retry is recorded and announced as if it were the first."""
    from dataclasses import replace

    import pytest
    from google.api_core import exceptions as gexc

    from shared.config import settings
    from shared.events.pubsub import publish
    from shared.usecases.whatsapp_intake import receive_whatsapp_message

    seed_demo_company(runtime.store())
    params = stack.twilio.build_incoming_message(
        DEMO_PHONE, "+14155238886", "", [(b"%PDF-1.4", "application/pdf")]
    )
    form, headers = stack.twilio.signed_webhook(stack.webhook_url, params)
    signature = headers["X-Twilio-Signature"]
    project = settings().project
    broken = replace(
        runtime.intake_deps(), publish=lambda payload: publish(project, "no-such-topic", payload)
    )
    published: list[dict] = []
    working = replace(runtime.intake_deps(), publish=published.append)

    with pytest.raises(gexc.NotFound):
        receive_whatsapp_message(form, signature, broken)
    assert runtime.wa_store().get_message(form["MessageSid"]) is None

    answer = receive_whatsapp_message(form, signature, working)
    assert answer.status == 200 and "🔎" in (answer.twiml or "")
    assert published == [{"message_sid": form["MessageSid"]}]


def _received_document(doc_id: str) -> Document:
    return Document(
        id=doc_id,
        organization_id=DEMO_ORG_ID,
        source="whatsapp",
        checksum="2" * 64,
        storage_uri="gs://bucket/z",
        media_type="application/pdf",
        received_at=datetime.now(UTC),
        origin={"channel": "whatsapp", "phone": DEMO_PHONE, "media_index": 0},
    )


def test_a_dead_letter_of_a_document_settled_meanwhile_changes_nothing(stack):
    from dataclasses import replace

    from shared.domain.entities import DocumentStatus
    from shared.usecases.dead_letters import handle_dead_letter

    seed_demo_company(runtime.store())
    store = runtime.store()
    store.create_document(replace(_received_document("wa-late-0"), status=DocumentStatus.UNMATCHED))
    payload = {"organization_id": DEMO_ORG_ID, "document_id": "wa-late-0"}

    outcome = handle_dead_letter("documents.received", payload, {}, runtime.dead_letter_deps())

    assert outcome == "already_settled"
    assert store.get_document(DEMO_ORG_ID, "wa-late-0").status == DocumentStatus.UNMATCHED
    assert bodies(stack) == []


def test_a_dead_letter_waits_while_a_run_still_holds_the_document(stack):
    from datetime import timedelta

    import pytest

    from shared.store.firestore_store import DocumentBusy
    from shared.usecases.dead_letters import handle_dead_letter

    seed_demo_company(runtime.store())
    store = runtime.store()
    runtime.wa_store().set_last_inbound(DEMO_PHONE, datetime.now(UTC))
    store.create_document(_received_document("wa-busy-0"))
    store.begin_processing(DEMO_ORG_ID, "wa-busy-0", timedelta(minutes=5))
    payload = {"organization_id": DEMO_ORG_ID, "document_id": "wa-busy-0"}

    with pytest.raises(DocumentBusy):
        handle_dead_letter("documents.received", payload, {}, runtime.dead_letter_deps())
    store.end_processing(DEMO_ORG_ID, "wa-busy-0")
    assert (
        handle_dead_letter("documents.received", payload, {}, runtime.dead_letter_deps())
        == "document_failed"
    )
    assert len(bodies(stack)) == 1


def test_a_dead_letter_of_a_topic_without_a_route_is_logged_only(stack):
    from shared.usecases.dead_letters import handle_dead_letter

    outcome = handle_dead_letter("ebics.statements", {"x": 1}, {}, runtime.dead_letter_deps())
    assert outcome == "no_route"


def test_the_dead_letter_topic_comes_from_the_event_source_or_else_the_payload():
    import base64
    import json

    import pytest
    from cloudevents.http import CloudEvent

    from functions.dead_letters import decode
    from shared.events.pubsub import BadEvent

    def event(source: str, payload: dict) -> CloudEvent:
        data = base64.b64encode(json.dumps(payload).encode()).decode()
        return CloudEvent(
            {"type": "google.cloud.pubsub.topic.v1.messagePublished", "source": source},
            {"message": {"data": data, "messageId": "1", "attributes": {}}},
        )

    named = event("//pubsub.googleapis.com/projects/p/topics/whatsapp.media.dead-letter", {})
    bare_document = event("//pubsub.googleapis.com/", {"organization_id": "o", "document_id": "d"})
    bare_message = event("//pubsub.googleapis.com/", {"message_sid": "MM1"})

    assert decode(named).topic == "whatsapp.media"
    assert decode(bare_document).topic == "documents.received"
    assert decode(bare_message).topic == "whatsapp.media"
    with pytest.raises(BadEvent):
        decode(event("//pubsub.googleapis.com/", {"something": "else"}))


# -- a reply is sent once, though Twilio takes no idempotency key ----------------------

_REPLY = "refused"


def _reply_params() -> dict[str, str]:
    return {"document": render("document_plain", "fr"), "reason": reason("processing_failed", "fr")}


def _open_chat():
    """The demo company, its member's 24-hour window open; the notifier's deps."""
    seed_demo_company(runtime.store())
    runtime.wa_store().set_last_inbound(DEMO_PHONE, datetime.now(UTC))
    return runtime.notify_deps()


def _claimed_by_a_sender_that_dies(deps, key: str) -> None:
    assert deps.store.claim_for(key, deps.send_lease, deps.now()).state == "claimed"


def _send_after_the_lease(deps, key: str):
    """The next delivery of the reply, once the dead sender's claim ran out."""
    later = datetime.now(UTC) + deps.send_lease + timedelta(seconds=1)
    return send_message(
        replace(deps, now=lambda: later),
        org_id=DEMO_ORG_ID,
        to=Recipient(DEMO_PHONE, "fr"),
        key=_REPLY,
        params=_reply_params(),
        idempotency_key=key,
    )


def test_a_reply_twilio_accepted_before_its_sender_died_is_not_sent_again(stack):
    deps = _open_chat()
    body = render(_REPLY, "fr", **_reply_params())
    _claimed_by_a_sender_that_dies(deps, "notify:dead-1")
    accepted = deps.channel.send_text(DEMO_PHONE, body)  # Twilio took it; then the kill

    delivery = _send_after_the_lease(deps, "notify:dead-1")

    assert (delivery.status, delivery.twilio_sid) == ("sent", accepted)
    assert bodies(stack) == [body]  # once
    org_id, record = runtime.wa_store().outbound_by_sid(accepted)
    assert org_id == DEMO_ORG_ID and record["status"] == "sent"


def test_a_reply_whose_sender_died_before_twilio_answered_is_sent(stack):
    deps = _open_chat()
    _claimed_by_a_sender_that_dies(deps, "notify:dead-2")

    delivery = _send_after_the_lease(deps, "notify:dead-2")

    assert delivery.status == "sent"
    assert bodies(stack) == [render(_REPLY, "fr", **_reply_params())]  # never zero times


def test_the_same_text_sent_for_another_reply_is_not_taken_for_the_lost_one(stack):
    deps = _open_chat()
    body = render(_REPLY, "fr", **_reply_params())
    # Another document got the very same ❌ a moment ago, recorded as usual.
    first = send_message(
        deps,
        org_id=DEMO_ORG_ID,
        to=Recipient(DEMO_PHONE, "fr"),
        key=_REPLY,
        params=_reply_params(),
        idempotency_key="notify:other",
    )
    assert first.status == "sent"
    _claimed_by_a_sender_that_dies(deps, "notify:dead-3")

    delivery = _send_after_the_lease(deps, "notify:dead-3")

    assert delivery.status == "sent" and delivery.twilio_sid != first.twilio_sid
    assert bodies(stack) == [body, body]


def test_a_template_twilio_accepted_before_its_sender_died_is_not_sent_again(stack):
    # The 24-hour window is closed: the reply goes as its approved template, which Twilio
    # renders and lists with its variables filled in.
    seed_demo_company(runtime.store())
    runtime.wa_store().set_last_inbound(DEMO_PHONE, datetime.now(UTC) - timedelta(days=3))
    content_sid = stack.twilio.add_template("❌ {{1}} n'a pas pu être lu : {{2}}.")
    deps = replace(runtime.notify_deps(), templates={_REPLY: {"fr": content_sid}})
    variables = template_variables(_REPLY, **_reply_params())
    _claimed_by_a_sender_that_dies(deps, "notify:dead-4")
    accepted = deps.channel.send_template(DEMO_PHONE, content_sid, variables)  # then the kill

    delivery = _send_after_the_lease(deps, "notify:dead-4")

    assert (delivery.status, delivery.twilio_sid) == ("template", accepted)
    sent = [m for m in stack.twilio.sent_messages if m["To"] == f"whatsapp:{DEMO_PHONE}"]
    assert [m["ContentSid"] for m in sent] == [content_sid]  # once
    assert sent[0]["Body"] == f"❌ {variables['1']} n'a pas pu être lu : {variables['2']}."


def test_a_template_whose_sender_died_before_twilio_answered_is_sent(stack):
    seed_demo_company(runtime.store())
    runtime.wa_store().set_last_inbound(DEMO_PHONE, datetime.now(UTC) - timedelta(days=3))
    content_sid = stack.twilio.add_template("❌ {{1}} : {{2}}.")
    deps = replace(runtime.notify_deps(), templates={_REPLY: {"fr": content_sid}})
    _claimed_by_a_sender_that_dies(deps, "notify:dead-5")

    delivery = _send_after_the_lease(deps, "notify:dead-5")

    assert delivery.status == "template"
    sent = [m for m in stack.twilio.sent_messages if m["To"] == f"whatsapp:{DEMO_PHONE}"]
    assert [m["ContentSid"] for m in sent] == [content_sid]  # never zero times
