"""The Firestore repositories against the official emulator."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from local.demo import DEMO_ORG_ID, seed_demo_company
from shared.domain.entities import Document, DocumentStatus
from shared.store.firestore_store import AlreadyAttached


def a_document(doc_id: str, org_id: str = DEMO_ORG_ID) -> Document:
    return Document(
        id=doc_id,
        organization_id=org_id,
        source="test",
        checksum="0" * 64,
        storage_uri=f"gs://bucket/{doc_id}",
        media_type="application/pdf",
        received_at=datetime(2026, 11, 20, 12, tzinfo=UTC),
    )


def test_claim_is_true_once_then_false(store):
    assert store.claim("MessageSid:SM1") is True
    assert store.claim("MessageSid:SM1") is False
    store.release("MessageSid:SM1")
    assert store.claim("MessageSid:SM1") is True


def test_a_leased_claim_is_busy_while_live_taken_over_once_expired_and_done_when_finished(
    store,
):
    now = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
    lease = timedelta(seconds=60)
    assert store.claim_for("notify:x", lease, now).state == "claimed"
    assert store.claim_for("notify:x", lease, now + timedelta(seconds=30)).state == "busy"
    # The first sender died without finishing: once its claim ran out, the next one takes
    # it over, told when the dead one began (to look for its work at the vendor).
    resumed = store.claim_for("notify:x", lease, now + timedelta(seconds=61))
    assert (resumed.state, resumed.resumed_from) == ("resumed", now)
    store.finish("notify:x")
    assert store.claim_for("notify:x", lease, now + timedelta(hours=1)).state == "done"
    assert store.claim("notify:y")  # a plain claim counts as done for a leased one
    assert store.claim_for("notify:y", lease, now).state == "done"


def test_document_is_created_once(store):
    assert store.create_document(a_document("d1")) is True
    assert store.create_document(a_document("d1")) is False


def test_attach_is_idempotent_and_refuses_a_second_document(store):
    seed_demo_company(store)
    store.create_document(a_document("d1"))
    store.create_document(a_document("d2"))

    store.attach(DEMO_ORG_ID, "d1", "tx-cafe-du-coin", 0.97, ["amount equal"])
    store.attach(DEMO_ORG_ID, "d1", "tx-cafe-du-coin", 0.97, ["amount equal"])
    with pytest.raises(AlreadyAttached):
        store.attach(DEMO_ORG_ID, "d2", "tx-cafe-du-coin", 0.9, [])
    with pytest.raises(AlreadyAttached):
        store.attach(DEMO_ORG_ID, "d1", "tx-sncf", 0.9, [])

    assert store.get_transaction(DEMO_ORG_ID, "tx-cafe-du-coin").attachment_ids == ("d1",)
    document = store.get_document(DEMO_ORG_ID, "d1")
    assert document.status == DocumentStatus.MATCHED
    assert document.transaction_id == "tx-cafe-du-coin"
    assert store.get_document(DEMO_ORG_ID, "d2").transaction_id is None


def test_tenants_do_not_see_each_other(store):
    seed_demo_company(store)
    store.create_document(a_document("d1"))

    assert store.get_document("another-org", "d1") is None
    assert store.list_transactions("another-org") == []
    assert len(store.list_transactions(DEMO_ORG_ID)) > 0


def test_amounts_round_trip_exactly_in_minor_units(store):
    seed_demo_company(store)
    tx = store.get_transaction(DEMO_ORG_ID, "tx-cafe-du-coin")
    raw = (
        store.db.document(f"organizations/{DEMO_ORG_ID}/transactions/tx-cafe-du-coin")
        .get()
        .to_dict()
    )

    assert raw["amount_minor"] == -4250 and raw["amount_currency"] == "EUR"
    assert str(tx.amount) == "-42.50 EUR"
    assert tx.emitted_at.tzinfo is not None


def test_phone_directory_lists_every_company_of_a_number(store):
    from shared.domain.entities import Member, Role

    seed_demo_company(store)
    store.put_member(
        Member(
            user_id="user-camille", organization_id="org-b", role=Role.ADMIN, phone="+33612345678"
        )
    )

    entry = store.lookup_phone("+33612345678")
    assert entry.organization_ids == (DEMO_ORG_ID, "org-b")
    assert entry.active_organization_id == DEMO_ORG_ID
    store.set_active_organization("+33612345678", "org-b")
    assert store.lookup_phone("+33612345678").active_organization_id == "org-b"
    with pytest.raises(PermissionError):
        store.set_active_organization("+33612345678", "org-not-mine")


def test_a_second_processor_waits_while_the_first_holds_the_lease(store):
    from datetime import timedelta

    from shared.store.firestore_store import DocumentBusy

    store.create_document(a_document("d1"))
    store.begin_processing(DEMO_ORG_ID, "d1", timedelta(minutes=5))
    with pytest.raises(DocumentBusy):
        store.begin_processing(DEMO_ORG_ID, "d1", timedelta(minutes=5))


def test_an_expired_lease_is_taken_over(store):
    from datetime import timedelta

    store.create_document(a_document("d1"))
    store.begin_processing(DEMO_ORG_ID, "d1", timedelta(seconds=-1))
    document = store.begin_processing(DEMO_ORG_ID, "d1", timedelta(minutes=5))
    assert document.status == DocumentStatus.RECEIVED


def test_a_stale_writer_cannot_undo_a_match(store):
    from dataclasses import replace

    seed_demo_company(store)
    store.create_document(a_document("d1"))
    store.attach(DEMO_ORG_ID, "d1", "tx-cafe-du-coin", 0.97, ["amount equal"])

    stale = replace(a_document("d1"), status=DocumentStatus.UNMATCHED)
    assert store.save_document(stale) is False
    assert store.get_document(DEMO_ORG_ID, "d1").status == DocumentStatus.MATCHED
