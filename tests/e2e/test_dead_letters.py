"""End to end: a poison document fails on every delivery, Pub/Sub dead-letters it after its
attempts (the emulator applies the subscription's dead-letter policy), and the dead-letter
handler marks it failed and answers the sender ❌. After a fix, the runbook's replay
(`python -m shared.cli dead-letters replay --topic documents.received`) processes it once."""

from __future__ import annotations

from local.demo import DEMO_ORG_ID, DEMO_PHONE
from local.samples import receipt_pdf
from shared import runtime
from shared.cli import main as cli
from shared.config import settings
from shared.domain.entities import DocumentStatus
from shared.domain.messages import reason, render
from shared.events.pubsub import publish
from tests.e2e.helpers import (
    empty_dead_letter_hold,
    received_whatsapp_document,
    wait_handled,
    wait_replies,
    wait_until,
)


def test_a_poison_document_is_answered_with_a_cross_after_its_retries_then_replayed(demo, capsys):
    empty_dead_letter_hold("documents.received")
    # The member writes (the 24-hour window is open), then a document arrives whose bytes
    # cannot be read back from Cloud Storage: every processing attempt fails.
    demo.send_whatsapp(DEMO_PHONE, body="bonjour")
    document_id = "wa-MM" + "b" * 32 + "-0"
    uri = received_whatsapp_document(document_id, receipt_pdf(), DEMO_PHONE)
    blobs = runtime.blobs()
    blobs.bucket.blob(uri.split("/", 3)[3]).delete()  # the bytes are lost
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

    # The dead letter waits in the hold for ops.
    project = ["--project", settings().project]
    listing = ["dead-letters", "list", "--topic", "documents.received", *project]
    wait_until(
        lambda: cli(listing) == 0 and "documents.received: 1 held" in capsys.readouterr().out,
        timeout=30,
        what="the held dead letter",
    )

    # Ops fix the cause (the bytes are back) and replay the topic's dead letters, as the
    # runbook says: processed once, ✅.
    blobs.put_document(DEMO_ORG_ID, receipt_pdf(), "application/pdf")
    capsys.readouterr()
    assert cli(["dead-letters", "replay", "--topic", "documents.received", *project]) == 0
    assert "documents.received: 1 replayed, 0 kept" in capsys.readouterr().out
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

    # The hold is empty now; a second replay, and a replay of the document by hand, change
    # nothing: one attachment, no second ✅.
    assert cli(["dead-letters", "replay", "--topic", "documents.received", *project]) == 0
    assert "documents.received: 0 replayed, 0 kept" in capsys.readouterr().out
    handled = demo.handled["document_processor"]
    assert cli(["ops", *project, "replay-document", DEMO_ORG_ID, document_id]) == 0
    wait_handled(demo, "document_processor", handled + 1)
    transaction = runtime.store().get_transaction(DEMO_ORG_ID, "tx-cafe-du-coin")
    assert transaction.attachment_ids == (document_id,)
    assert len(wait_replies(demo, DEMO_PHONE, 2)) == 2
