"""The retry sweep's and the digests' work lists are asked of Firestore, not filtered here:
a long list of deliveries that are not due never hides the ones that are (emulator)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from shared import runtime
from shared.store.partners import DeliveryState

NOW = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)


def _delivery(key: str, state: str, **fields) -> None:
    runtime.store().db.collection("partner_deliveries").document(key).set(
        {
            "document_id": f"doc-{key}",
            "activation_id": "act-1",
            "company_id": "org-1",
            "firm_id": "firm-1",
            "state": state,
            "attempts": 1,
            **fields,
        }
    )


def test_failures_not_due_or_for_good_never_starve_the_due_ones(stack):
    for n in range(5):
        _delivery(f"later-{n}", DeliveryState.FAILED, next_attempt_at=NOW + timedelta(hours=1))
        _delivery(f"for-good-{n}", DeliveryState.FAILED, next_attempt_at=None)
    _delivery("due-old", DeliveryState.FAILED, next_attempt_at=NOW - timedelta(hours=2))
    _delivery("due", DeliveryState.FAILED, next_attempt_at=NOW - timedelta(minutes=1))

    due = runtime.partner_store().due_deliveries(NOW, limit=2)

    assert [d.key for d in due] == ["due-old", "due"]  # oldest backoff first


def test_a_long_queue_for_today_never_hides_the_digests_that_are_due(stack):
    for n in range(5):
        _delivery(f"today-{n}", DeliveryState.QUEUED, digest_day="2026-12-04")
    _delivery("yesterday", DeliveryState.QUEUED, digest_day="2026-12-03")
    _delivery("sent", DeliveryState.DELIVERED, digest_day="2026-12-02")

    due = runtime.partner_store().queued_before("2026-12-04", limit=1)

    assert [d.key for d in due] == ["yesterday"]
