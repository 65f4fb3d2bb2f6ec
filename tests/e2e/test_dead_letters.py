"""End to end: a poison document fails on every delivery, Pub/Sub dead-letters it after its
attempts (the emulator applies the subscription's dead-letter policy), and the dead-letter
handler marks it failed and answers the sender ❌. After a fix, a replay processes it."""

from __future__ import annotations

from datetime import UTC, datetime

from local.demo import DEMO_ORG_ID, DEMO_PHONE
from local.samples import receipt_pdf
from shared import runtime
from shared.config import settings
from shared.domain.entities import Document, DocumentStatus
from shared.domain.messages import reason, render
from shared.events.pubsub import publish
from shared.ops_commands import ops_main
from tests.e2e.helpers import wait_replies, wait_until


def test_a_poison_document_is_answered_with_a_cross_after_its_retries_then_replayed(demo):
    # The member writes (the 24-hour window is open), then a document arrives whose bytes
    # cannot be read back from Cloud Storage: every processing attempt fails.
    demo.send_whatsapp(DEMO_PHONE, body="bonjour")
    blobs = runtime.blobs()
    uri, checksum = blobs.put_document(DEMO_ORG_ID, receipt_pdf(), "application/pdf")
    object_name = uri.split("/", 3)[3]
    blobs.bucket.blob(object_name).delete()  # the bytes are lost
    document_id = "wa-MM" + "b" * 32 + "-0"
    runtime.store().create_document(
        Document(
            id=document_id,
            organization_id=DEMO_ORG_ID,
            source="whatsapp",
            checksum=checksum,
            storage_uri=uri,
            media_type="application/pdf",
            received_at=datetime.now(UTC),
            origin={"channel": "whatsapp", "phone": DEMO_PHONE, "media_index": 0},
        )
    )
    payload = {"organization_id": DEMO_ORG_ID, "document_id": document_id}
    publish(settings().project, settings().topic_documents_received, payload)

    failed = wait_until(
        lambda: (
            (d := runtime.store().get_document(DEMO_ORG_ID, document_id))
            and d.status == DocumentStatus.FAILED
            and d
        ),
        timeout=90,
        what="the dead letter",
    )
    assert failed.status == DocumentStatus.FAILED
    replies = wait_replies(demo, DEMO_PHONE, 1)
    assert replies == [
        render(
            "refused",
            "fr",
            document=render("document_plain", "fr"),
            reason=reason("processing_failed", "fr"),
        )
    ]

    # Ops fix the cause (the bytes are back) and replay the message: processed, ✅.
    blobs.put_document(DEMO_ORG_ID, receipt_pdf(), "application/pdf")
    replay = ["--project", settings().project, "replay-document", DEMO_ORG_ID, document_id]
    assert ops_main(replay) == 0
    matched = wait_until(
        lambda: (
            (d := runtime.store().get_document(DEMO_ORG_ID, document_id))
            and d.status == DocumentStatus.MATCHED
            and d
        ),
        timeout=60,
        what="the replay",
    )
    assert matched.transaction_id == "tx-cafe-du-coin"
    assert wait_replies(demo, DEMO_PHONE, 2)[1].startswith("✅")
