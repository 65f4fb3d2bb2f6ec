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


def test_requeue_touches_only_the_failed_deliveries_of_the_given_activations(stack):
    wanted = {f"act-{n}" for n in range(35)}  # more than one `in` query's worth
    for n in range(35):
        _delivery(f"f-{n}", DeliveryState.FAILED, activation_id=f"act-{n}", next_attempt_at=None)
    _delivery("other", DeliveryState.FAILED, activation_id="act-x", next_attempt_at=None)
    _delivery("done", DeliveryState.DELIVERED, activation_id="act-0")

    assert runtime.partner_store().requeue_failed(wanted, NOW) == 35

    partners = runtime.partner_store()
    assert partners.get_delivery("f-34").next_attempt_at == NOW
    assert partners.get_delivery("other").next_attempt_at is None
    assert partners.get_delivery("done").next_attempt_at is None


def test_a_revoked_consent_cancels_only_that_firms_waiting_deliveries(stack):
    for state in (DeliveryState.PENDING, DeliveryState.FAILED, DeliveryState.QUEUED):
        _delivery(f"firm-1-{state}", state)
    _delivery("firm-1-sent", DeliveryState.DELIVERED)
    _delivery("firm-2", DeliveryState.PENDING, firm_id="firm-2")

    partners = runtime.partner_store()
    assert partners.cancel_pending("firm-1", "org-1", NOW, "consent revoked") == 3

    assert partners.get_delivery("firm-1-queued").state == DeliveryState.CANCELLED
    assert partners.get_delivery("firm-1-sent").state == DeliveryState.DELIVERED
    assert partners.get_delivery("firm-2").state == DeliveryState.PENDING
