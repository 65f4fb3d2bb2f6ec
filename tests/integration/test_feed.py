"""The core-banking feed over real HTTP on the emulators: events published to the Pub/Sub
emulator are pushed to the functions (as in production), or delivered again by hand to
play Pub/Sub's redelivery. Idempotency, versions, matching at once, declined releases."""

from __future__ import annotations

import base64
import json
import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import requests

from local.feed import (
    account_event,
    member_event,
    member_removed_event,
    organization_event,
    transaction_event,
)
from local.samples import receipt_pdf
from shared import runtime
from shared.domain.entities import Document, DocumentStatus
from shared.domain.money import Money
from shared.events.pubsub import publish
from shared.usecases.feed import apply_transaction_event
from tests.e2e.helpers import approved_messages, wait_until

PARIS = ZoneInfo("Europe/Paris")
ORG = "org-feed"
ACCOUNT = "acc-feed"
IBAN = "FR7630006000011234567890189"
PHONE = "+33612345670"
T0 = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


def deliver(stack: Any, function: str, payload: dict, message_id: str | None = None) -> int:
    """POST one Pub/Sub push delivery (a CloudEvent in binary mode), as Eventarc does."""
    message_id = message_id or uuid.uuid4().hex
    body = {
        "message": {
            "data": base64.b64encode(json.dumps(payload).encode()).decode(),
            "messageId": message_id,
            "attributes": {},
        },
        "subscription": f"projects/{stack.project}/subscriptions/test",
    }
    headers = {
        "ce-id": message_id,
        "ce-specversion": "1.0",
        "ce-source": f"//pubsub.googleapis.com/projects/{stack.project}/topics/t",
        "ce-type": "google.cloud.pubsub.topic.v1.messagePublished",
        "Content-Type": "application/json",
    }
    answer = requests.post(
        f"{stack.functions_url}/{function}/", json=body, headers=headers, timeout=60
    )
    return answer.status_code


def company(stack: Any, phone: str = PHONE) -> None:
    for event in (
        organization_event(ORG, "Atelier Feed SAS", T0),
        member_event(ORG, "user-owner", "owner", T0, phone=phone, can_transfer=True),
        account_event(ORG, ACCOUNT, IBAN, T0),
    ):
        assert deliver(stack, "companies_feed", event) == 200


def tx_doc(tx_id: str) -> dict | None:
    snap = runtime.store().db.document(f"organizations/{ORG}/transactions/{tx_id}").get()
    return snap.to_dict() if snap.exists else None


def cafe(updated_at: datetime, status: str = "completed", amount: str = "42.50") -> dict:
    emitted = datetime(2026, 11, 20, 12, 45, tzinfo=PARIS)
    return transaction_event(
        ORG,
        ACCOUNT,
        "tx-cafe",
        amount,
        "SumUp *Cafe du Coin",
        emitted,
        updated_at,
        status=status,
        settled_at=emitted + timedelta(days=1) if status == "completed" else None,
        card_last_digits="4242",
    )


def test_the_same_event_three_times_writes_once(stack: Any) -> None:
    company(stack)
    event = cafe(T0 + timedelta(hours=1))
    for _ in range(3):
        assert deliver(stack, "transactions_feed", event, message_id="same-message") == 200
    for _ in range(3):  # the bank publishing it again under new message ids
        assert deliver(stack, "transactions_feed", event) == 200
    docs = list(runtime.store().db.collection(f"organizations/{ORG}/transactions").stream())
    assert [d.id for d in docs] == ["tx-cafe"]
    stored = runtime.store().get_transaction(ORG, "tx-cafe")
    assert str(stored.amount.amount) == "-42.50" and stored.attachment_ids == ()


def test_an_older_event_after_a_newer_one_changes_nothing(stack: Any) -> None:
    company(stack)
    newer = cafe(T0 + timedelta(hours=2), amount="43.00")
    older = cafe(T0 + timedelta(hours=1), status="pending", amount="42.50")
    assert deliver(stack, "transactions_feed", newer) == 200
    assert deliver(stack, "transactions_feed", older) == 200
    stored = tx_doc("tx-cafe")
    assert stored["status"] == "completed" and stored["amount_minor"] == -4300
    assert stored["feed_updated_at"] == T0 + timedelta(hours=2)


def test_unknown_company_is_retried_and_a_malformed_event_is_dropped(stack: Any) -> None:
    assert deliver(stack, "transactions_feed", cafe(T0)) == 500  # Pub/Sub will redeliver
    assert tx_doc("tx-cafe") is None
    company(stack)
    bad = cafe(T0)
    bad["transaction"]["amount"] = 42.5  # a float: not exact
    assert deliver(stack, "transactions_feed", bad) == 200  # acknowledged, never applied
    bad["transaction"]["amount"] = "1E+999999"
    assert deliver(stack, "transactions_feed", bad) == 200
    assert tx_doc("tx-cafe") is None
    assert deliver(stack, "transactions_feed", cafe(T0)) == 200
    assert tx_doc("tx-cafe") is not None


def test_a_receipt_waiting_is_matched_as_soon_as_its_transaction_arrives_and_freed_when_declined(
    stack: Any,
) -> None:
    company(stack)
    approved = approved_messages(stack, "feed-test-approved")
    response, form = stack.send_whatsapp(PHONE, [(receipt_pdf(), "application/pdf")])
    assert response.status_code == 200
    document_id = f"wa-{form['MessageSid']}-0"
    store = runtime.store()
    waiting = wait_until(
        lambda: (
            (d := store.get_document(ORG, document_id))
            and d.status == DocumentStatus.UNMATCHED
            and d
        ),
        what="the receipt waiting for its transaction",
    )
    assert waiting.transaction_id is None
    # The transaction arrives through Pub/Sub: the receipt is attached at once.
    publish(stack.project, "transactions.events", cafe(T0 + timedelta(hours=1)))
    matched = wait_until(
        lambda: (
            (d := store.get_document(ORG, document_id)) and d.status == DocumentStatus.MATCHED and d
        ),
        timeout=20,
        what="the receipt matched after its transaction arrived",
    )
    assert matched.transaction_id == "tx-cafe"
    # The payment is declined: the automatic match is released; the receipt waits again.
    publish(stack.project, "transactions.events", cafe(T0 + timedelta(hours=2), status="declined"))
    freed = wait_until(
        lambda: (
            (d := store.get_document(ORG, document_id))
            and d.status == DocumentStatus.UNMATCHED
            and d
        ),
        timeout=20,
        what="the receipt freed",
    )
    assert freed.transaction_id is None
    assert tx_doc("tx-cafe")["attachment_ids"] == []
    # Read, matched, released: each announced, so a firm's index record follows it.
    announced = approved(3)
    assert announced == [{"organization_id": ORG, "document_id": document_id}] * 3
    # And the matcher never picks the declined transaction again.
    assert all(t.id != "tx-cafe" for t in store.list_transactions(ORG))


def test_member_phone_change_reaches_the_whatsapp_directory_and_removal_sticks(stack: Any) -> None:
    company(stack)
    store = runtime.store()
    assert store.lookup_phone(PHONE) is not None
    new_phone = "+33698765432"
    changed = member_event(ORG, "user-owner", "owner", T0 + timedelta(hours=1), phone=new_phone)
    assert deliver(stack, "companies_feed", changed) == 200
    assert store.lookup_phone(PHONE) is None
    assert store.lookup_phone(new_phone).user_id == "user-owner"
    removed = member_removed_event(ORG, "user-owner", T0 + timedelta(hours=2))
    assert deliver(stack, "companies_feed", removed) == 200
    assert store.get_member(ORG, "user-owner") is None and store.lookup_phone(new_phone) is None
    # An older upsert arriving late does not bring the member back.
    assert deliver(stack, "companies_feed", changed) == 200
    assert store.get_member(ORG, "user-owner") is None


def test_company_events_are_versioned_and_validated(stack: Any) -> None:
    company(stack)
    store = runtime.store()
    renamed = organization_event(ORG, "Atelier Renamed", T0 + timedelta(hours=1), plan="enterprise")
    assert deliver(stack, "companies_feed", renamed) == 200
    assert deliver(stack, "companies_feed", organization_event(ORG, "Old", T0)) == 200
    org = store.get_organization(ORG)
    assert org.legal_name == "Atelier Renamed" and org.plan.value == "enterprise"
    bad_iban = account_event(ORG, "acc-bad", "FR7630006000011234567890180", T0)
    assert deliver(stack, "companies_feed", bad_iban) == 200
    assert [a.id for a in store.list_accounts(ORG)] == [ACCOUNT]
    unknown = member_event("org-unknown", "u1", "owner", T0)
    assert deliver(stack, "companies_feed", unknown) == 500


def test_a_new_account_gets_its_export_folder_at_once(stack: Any, tmp_path: Any) -> None:
    from google.cloud import pubsub_v1

    from shared.events.pubsub import ensure_topic
    from shared.store.integrations import IntegrationStore

    company(stack)
    IntegrationStore(runtime.store().db).configure_export(
        ORG, "export-local", "local_folder", {"path": str(tmp_path)}, T0
    )
    ensure_topic(stack.project, "exports.sync")
    subscriber = pubsub_v1.SubscriberClient()
    subscription = subscriber.subscription_path(
        stack.project, f"new-account-{uuid.uuid4().hex[:8]}"
    )
    subscriber.create_subscription(
        request={"name": subscription, "topic": f"projects/{stack.project}/topics/exports.sync"}
    )
    new_account = account_event(ORG, "acc-new", "FR1420041010050500013M02606", T0, name="Projets")
    assert deliver(stack, "companies_feed", new_account) == 200
    pulled = subscriber.pull(request={"subscription": subscription, "max_messages": 10}, timeout=30)
    payloads = [json.loads(m.message.data) for m in pulled.received_messages]
    (payload,) = [p for p in payloads if p["organization_id"] == ORG]
    assert payload["prepare_accounts"] == ["acc-new"]
    # The export worker, as Pub/Sub delivers it: the account's folder exists before any receipt.
    assert deliver(stack, "nightly_export_worker", payload) == 200
    folders = [p.name for p in tmp_path.rglob("*") if p.is_dir()]
    assert any(name.startswith("Projets (FR14-2606)") for name in folders), folders
    # A replayed account event (same version) queues nothing new.
    assert deliver(stack, "companies_feed", new_account) == 200
    again = subscriber.pull(request={"subscription": subscription, "max_messages": 10}, timeout=5)
    assert [
        m for m in again.received_messages if json.loads(m.message.data)["organization_id"] == ORG
    ] == []


def test_a_redelivery_of_a_reversal_that_failed_half_way_announces_what_it_released(
    stack: Any,
) -> None:
    company(stack)
    store = runtime.store()
    assert deliver(stack, "transactions_feed", cafe(T0 + timedelta(hours=1))) == 200
    document = Document(
        id="doc-cafe",
        organization_id=ORG,
        source="upload",
        checksum="c" * 64,
        storage_uri="gs://b/doc-cafe",
        media_type="application/pdf",
        received_at=T0,
        status=DocumentStatus.UNMATCHED,
        total=Money.parse("42.50", "EUR"),
    )
    store.create_document(document)
    store.attach(ORG, document.id, "tx-cafe", 0.93, ["amount and name"])
    announced: list[str] = []
    rematched: list[str] = []

    def announce(org_id: str, document_id: str) -> None:
        announced.append(document_id)
        if len(announced) == 1:
            raise RuntimeError("Pub/Sub unavailable")  # the first delivery dies here

    deps = replace(
        runtime.feed_deps(),
        approved=announce,
        rematch=lambda org_id: rematched.append(org_id) or [],
    )
    declined = cafe(T0 + timedelta(hours=2), status="declined")
    with pytest.raises(RuntimeError):
        apply_transaction_event(deps, declined)
    assert store.get_document(ORG, document.id).transaction_id is None  # released, then died

    answer = apply_transaction_event(deps, declined)  # Pub/Sub delivers it again

    assert answer["outcome"] == "stale" and answer["released"] == [document.id]
    assert announced == [document.id, document.id] and rematched == [ORG]
    # An older version arriving later changes and announces nothing.
    apply_transaction_event(deps, cafe(T0 + timedelta(minutes=30)))
    assert len(announced) == 2 and rematched == [ORG]
