"""The phone directory is rebuilt from the members (Firestore emulator)."""

from __future__ import annotations

from local.demo import DEMO_ORG_ID, DEMO_PHONE, seed_demo_company
from shared.domain.entities import Member, Organization, Plan, Role
from shared.store.firestore_store import PhoneEntry
from shared.usecases.phone_directory import sync_phone_directory, sync_phones


def _member_of_two_companies_picked_the_second(store) -> None:
    seed_demo_company(store)
    store.put_organization(
        Organization(id="org-b", legal_name="B", country="FR", plan=Plan.BUSINESS)
    )
    store.put_member(
        Member(user_id="user-camille", organization_id="org-b", role=Role.ADMIN, phone=DEMO_PHONE)
    )
    store.set_active_organization(DEMO_PHONE, "org-b")


def test_a_member_removed_from_a_company_loses_it_at_the_next_sync(store):
    _member_of_two_companies_picked_the_second(store)
    assert store.lookup_phone(DEMO_PHONE).organization_ids == (DEMO_ORG_ID, "org-b")

    store.db.document("organizations/org-b/members/user-camille").delete()
    report = sync_phone_directory(store)

    entry = store.lookup_phone(DEMO_PHONE)
    assert entry.organization_ids == (DEMO_ORG_ID,)
    assert entry.active_organization_id == DEMO_ORG_ID
    assert report.written == 1


def test_a_changed_number_is_removed_and_the_new_one_added(store):
    seed_demo_company(store)
    store.db.document(f"organizations/{DEMO_ORG_ID}/members/user-camille").update(
        {"phone": "+33700000001"}
    )

    report = sync_phone_directory(store)

    assert store.lookup_phone(DEMO_PHONE) is None
    assert store.lookup_phone("+33700000001").organization_ids == (DEMO_ORG_ID,)
    assert report.removed == 1


def test_the_chosen_company_is_kept_and_a_second_sync_writes_nothing(store):
    seed_demo_company(store)
    store.put_member(
        Member(user_id="user-camille", organization_id="org-b", role=Role.ADMIN, phone=DEMO_PHONE)
    )
    store.set_active_organization(DEMO_PHONE, "org-b")

    sync_phone_directory(store)
    second = sync_phone_directory(store)

    assert store.lookup_phone(DEMO_PHONE).active_organization_id == "org-b"
    assert (second.written, second.removed) == (0, 0)
    assert second.unchanged == 1


def test_a_sync_of_some_numbers_touches_only_their_entries(store):
    _member_of_two_companies_picked_the_second(store)
    # An entry no member calls for: a full sync would delete it, a sync of other numbers
    # must not even read it.
    store.put_phone_entry(PhoneEntry("+33700000009", "user-gone", (DEMO_ORG_ID,), DEMO_ORG_ID))
    store.db.document(f"organizations/{DEMO_ORG_ID}/members/user-camille").update(
        {"phone": "+33700000001"}
    )

    report = sync_phones(store, {DEMO_PHONE, "+33700000001"})

    # The old number keeps only the company where it is still the member's, with the
    # company the user picked; the new number gets the other one.
    old = store.lookup_phone(DEMO_PHONE)
    assert (old.organization_ids, old.active_organization_id) == (("org-b",), "org-b")
    assert store.lookup_phone("+33700000001").organization_ids == (DEMO_ORG_ID,)
    assert store.lookup_phone("+33700000009") is not None  # untouched
    assert (report.written, report.removed) == (2, 0)

    store.db.document("organizations/org-b/members/user-camille").delete()
    assert sync_phones(store, {DEMO_PHONE}).removed == 1
    assert store.lookup_phone(DEMO_PHONE) is None
