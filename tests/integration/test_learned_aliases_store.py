"""Learned aliases are all read back for matching, not a first page of them (emulator)."""

from __future__ import annotations

from datetime import UTC, datetime

from shared.store.manual_matches import LearnedAlias, ManualMatchStore


def test_every_learned_alias_is_read_back_past_a_thousand(store):
    manual = ManualMatchStore(store.db)
    when = datetime(2026, 3, 12, tzinfo=UTC)
    collection = (
        store.db.collection("organizations").document("org-1").collection("learned_aliases")
    )
    for start in range(0, 1005, 400):
        batch = store.db.batch()
        for n in range(start, min(start + 400, 1005)):
            descriptor, supplier = f"CB SHOP {n}", f"Shop {n}"
            batch.set(
                collection.document(f"al-{n:016x}"),
                {
                    "descriptor": descriptor,
                    "supplier": supplier,
                    "created_by": "user-1",
                    "created_at": when,
                    "document_id": f"doc-{n}",
                    "transaction_id": f"tx-{n}",
                },
            )
        batch.commit()

    found = manual.list_aliases("org-1")

    assert len(found) == 1005
    assert all(isinstance(a, LearnedAlias) for a in found)
