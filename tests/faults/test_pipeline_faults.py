"""Faults on the WhatsApp → processor → matching path and the transaction feed, on the
real local stack (functions over HTTP, Firestore and Pub/Sub emulators, fake Twilio)."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
import uuid
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from local.demo import DEMO_ACCOUNT_ID, DEMO_ORG_ID, DEMO_PHONE
from local.feed import transaction_event
from local.samples import SampleReceipt, receipt_pdf
from shared import runtime
from shared.cli import main as cli
from shared.config import settings
from shared.domain.entities import DocumentStatus
from shared.events.pubsub import publish
from tests.e2e.helpers import (
    empty_dead_letter_hold,
    processed,
    received_whatsapp_document,
    replies_to,
    wait_handled,
    wait_until,
)
from tests.integration.test_feed import deliver  # one Pub/Sub push delivery, as Eventarc

PROJECT_ROOT = Path(__file__).resolve().parents[2]
PARIS = ZoneInfo("Europe/Paris")
SEED = int(os.environ.get("FAULT_SEED", "16"))
FINAL = (DocumentStatus.MATCHED, DocumentStatus.UNMATCHED, DocumentStatus.REFUSED)


def send_receipt(demo, data: bytes) -> str:
    response, form = demo.send_whatsapp(DEMO_PHONE, [(data, "application/pdf")])
    assert response.status_code == 200
    return f"wa-{form['MessageSid']}-0"


def attachments(tx_id: str) -> tuple[str, ...]:
    return runtime.store().get_transaction(DEMO_ORG_ID, tx_id).attachment_ids


def test_redelivery_x5_of_every_message_of_a_receipt(demo, tally):
    """The media job and the processing job each delivered 5 more times, same message id."""
    document_id = send_receipt(demo, receipt_pdf())
    document = wait_until(processed(document_id), what="the receipt processed")
    wait_until(lambda: len(replies_to(demo, DEMO_PHONE)) >= 1, what="its reply")
    sid = document_id.removeprefix("wa-").removesuffix("-0")
    media, processor = demo.handled["whatsapp_media_worker"], demo.handled["document_processor"]

    for _ in range(5):
        assert deliver(demo, "whatsapp_media_worker", {"message_sid": sid}, "media-1") == 200
        payload = {"organization_id": DEMO_ORG_ID, "document_id": document_id}
        assert deliver(demo, "document_processor", payload, "doc-1") == 200
    wait_handled(demo, "whatsapp_media_worker", media + 5)
    wait_handled(demo, "document_processor", processor + 5)

    documents = runtime.store().list_documents(DEMO_ORG_ID)
    duplicates = (len(documents) - 1) + (len(attachments("tx-cafe-du-coin")) - 1)
    duplicates += len(replies_to(demo, DEMO_PHONE)) - 1
    lost = 0 if document.status == DocumentStatus.MATCHED else 1
    tally.record("redelivery x5: whatsapp.media + documents.received", 10, duplicates, lost)
    assert (duplicates, lost) == (0, 0)


def test_redelivery_x5_of_a_transaction_event_matches_its_waiting_receipt_once(demo, tally):
    """A receipt waits for its payment; the feed delivers the payment 5 times."""
    receipt = SampleReceipt(
        "Librairie des Canuts",
        "12 rue d'Austerlitz, 69004 Lyon",
        date(2026, 11, 24),
        (("Livres", Decimal("63.40")),),
        receipt_number="L-5521",
    )
    document_id = send_receipt(demo, receipt_pdf(receipt))
    waiting = wait_until(processed(document_id), what="the receipt processed")
    assert waiting.status == DocumentStatus.UNMATCHED
    emitted = datetime(2026, 11, 24, 12, 41, tzinfo=PARIS)
    event = transaction_event(
        DEMO_ORG_ID,
        DEMO_ACCOUNT_ID,
        "tx-librairie",
        "63.40",
        "LIBRAIRIE DES CANUTS",
        emitted,
        emitted + timedelta(hours=2),
        settled_at=emitted + timedelta(days=1),
        card_last_digits="4242",
    )
    for _ in range(5):
        assert deliver(demo, "transactions_feed", event, "tx-event-1") == 200
    matched = wait_until(
        lambda: (
            (d := runtime.store().get_document(DEMO_ORG_ID, document_id))
            and d.status == DocumentStatus.MATCHED
            and d
        ),
        what="the waiting receipt matched",
    )
    wait_until(lambda: len(replies_to(demo, DEMO_PHONE)) >= 2, what="the ✅ matched-later reply")
    time.sleep(1.0)  # a duplicate reply, if any, would be sent within this second

    transactions = [
        t for t in runtime.store().list_transactions(DEMO_ORG_ID) if t.id == "tx-librairie"
    ]
    duplicates = (len(transactions) - 1) + (len(attachments("tx-librairie")) - 1)
    duplicates += len(replies_to(demo, DEMO_PHONE)) - 2
    lost = 0 if matched.transaction_id == "tx-librairie" else 1
    tally.record("redelivery x5: transactions.events", 5, duplicates, lost)
    assert (duplicates, lost) == (0, 0)


_PROCESSOR = """
import sys
from datetime import timedelta
from dataclasses import replace
from shared import runtime
from shared.usecases.process_document import process_document
from shared.usecases.whatsapp_notify import notify_document
lease = timedelta(seconds=float(sys.argv[3]))
notify = replace(runtime.notify_deps(), send_lease=lease)
deps = replace(
    runtime.processor_deps(),
    processing_lease=lease,
    notify=lambda document: notify_document(document, notify),
)
print("START", flush=True)
process_document(sys.argv[1], sys.argv[2], deps)
print("DONE", flush=True)
"""


def ended(document_id: str):
    def check():
        document = runtime.store().get_document(DEMO_ORG_ID, document_id)
        done = (*FINAL, DocumentStatus.FAILED)
        return document if document and document.status in done else None

    return check


@pytest.mark.parametrize("round_", range(5))
def test_processor_killed_at_a_random_point_then_redelivered(demo, tally, round_):
    rng = random.Random(SEED * 100 + round_)
    empty_dead_letter_hold("documents.received")
    demo.send_whatsapp(DEMO_PHONE, body="bonjour")  # opens the 24-hour window
    base_replies = len(replies_to(demo, DEMO_PHONE))
    document_id = "wa-MM" + uuid.uuid4().hex + "-0"
    received_whatsapp_document(document_id, receipt_pdf(), DEMO_PHONE)
    lease_seconds = 3.0
    worker = subprocess.Popen(
        [sys.executable, "-c", _PROCESSOR, DEMO_ORG_ID, document_id, str(lease_seconds)],
        cwd=PROJECT_ROOT,
        env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert worker.stdout is not None
    assert worker.stdout.readline().strip() == "START"  # imports done: the work begins
    time.sleep(rng.uniform(0.0, 1.2))  # a random point of the processing
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=10)
    when = "after its end" if "DONE" in worker.stdout.read() else "mid-run"

    # Pub/Sub delivers the message again (the first delivery was never acknowledged).
    payload = {"organization_id": DEMO_ORG_ID, "document_id": document_id}
    publish(settings().project, settings().topic_documents_received, payload)
    document = wait_until(ended(document_id), timeout=120, what="the redelivery processed")
    recovery = ""
    if document.status == DocumentStatus.FAILED:
        # A transaction the killed worker left open can hold its Firestore lock longer than
        # the local retries last (5 deliveries, 1-4 s apart; production: 10, 10-600 s): the
        # message is dead-lettered, the sender told ❌. Ops replay it, as the runbook says.
        wait_until(lambda: len(replies_to(demo, DEMO_PHONE)) > base_replies, what="the ❌")
        assert replies_to(demo, DEMO_PHONE)[base_replies].startswith("❌")
        base_replies += 1
        assert cli(["dead-letters", "replay", "--topic", "documents.received"]) == 0
        document = wait_until(processed(document_id), timeout=60, what="the replay processed")
        recovery = ", dead-lettered and replayed"
    # The killed worker may have died inside a Firestore transaction (the reply's claim):
    # the emulator holds its lock until the transaction times out (~30 s a wait), and the
    # deliveries after it, or the dead-letter handler that answers a settled document,
    # wait on it in turn. Production's retry policy (10 deliveries, 10-600 s) outlasts it.
    wait_until(
        lambda: len(replies_to(demo, DEMO_PHONE)) > base_replies,
        timeout=180,
        what="the answer to the sender",
    )
    time.sleep(1.0)

    replies = len(replies_to(demo, DEMO_PHONE)) - base_replies
    duplicates = max(0, len(attachments("tx-cafe-du-coin")) - 1) + max(0, replies - 1)
    lost = 0 if document.status == DocumentStatus.MATCHED else 1
    silent = 0 if replies >= 1 and document.status in FINAL else 1
    scenario = f"SIGKILL of the processor, {when}{recovery} (round {round_})"
    tally.record(scenario, 1, duplicates, lost, silent)
    assert (duplicates, lost, silent) == (0, 0, 0)


def test_pubsub_emulator_frozen_mid_run(demo, tally):
    """The Pub/Sub emulator stops answering for 6 s while a receipt goes through."""
    process = demo.cloud.pubsub.process
    assert process is not None
    response, form = demo.send_whatsapp(DEMO_PHONE, [(receipt_pdf(), "application/pdf")])
    os.killpg(process.pid, signal.SIGSTOP)
    try:
        time.sleep(6)
    finally:
        os.killpg(process.pid, signal.SIGCONT)
    document_id = f"wa-{form['MessageSid']}-0"
    document = wait_until(processed(document_id), timeout=120, what="the receipt processed")
    wait_until(lambda: len(replies_to(demo, DEMO_PHONE)) >= 1, what="its reply")
    time.sleep(1.0)

    duplicates = (len(attachments("tx-cafe-du-coin")) - 1) + (len(replies_to(demo, DEMO_PHONE)) - 1)
    lost = 0 if document.status == DocumentStatus.MATCHED else 1
    tally.record("Pub/Sub emulator frozen 6 s mid-run", 1, duplicates, lost)
    assert response.status_code == 200
    assert (duplicates, lost) == (0, 0)


def test_twilio_429_storm_on_the_replies(demo, tally):
    """Twilio answers 429 to the next 3 sends: the ✅ still arrives, once."""
    demo.twilio.fail_next(3, 429, endpoint="messages", retry_after=0)
    document_id = send_receipt(demo, receipt_pdf())
    document = wait_until(processed(document_id), what="the receipt processed")
    wait_until(lambda: len(replies_to(demo, DEMO_PHONE)) >= 1, timeout=90, what="the ✅")
    time.sleep(1.0)

    replies = replies_to(demo, DEMO_PHONE)
    duplicates = len(replies) - 1
    lost = 0 if document.status == DocumentStatus.MATCHED else 1
    silent = 0 if replies and replies[0].startswith("✅") else 1
    tally.record("Twilio 429 x3 on the replies", 3, duplicates, lost, silent)
    assert (duplicates, lost, silent) == (0, 0, 0)
