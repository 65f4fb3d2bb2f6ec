"""The core-banking feed: transactions and companies, applied idempotently.

Transactions (`transactions.events`):
- an event is applied only if its `updated_at` is newer than the stored version: the
  same event redelivered, or an older one arriving late, changes nothing;
- a declined or reversed transaction releases its automatic match (a person's stays);
  the document waits again and is tried against the other transactions at once;
- a transaction that arrives, settles, or changes amount or status has the waiting
  documents of its organization matched at once (not at the next hourly rematch).

Companies (`companies.events`): organizations, members (role, phone, transfer
permission; removal) and bank accounts, each versioned the same way. A member's phone
change or removal redoes the WhatsApp directory entries of its old and new numbers; a
new bank account queues a run of the company's active exports.

An event naming an organization or account we do not know yet raises `NotYetKnown`
(retryable: the company stream may be behind). A malformed event raises `InvalidEvent`
(never retried).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from shared.domain.feed import (
    CompanyEventType,
    InvalidEvent,
    parse_company_event,
    parse_transaction_event,
)
from shared.errors import RetryLater
from shared.log import get_logger
from shared.store.feed import FeedStore, Outcome

log = get_logger(__name__)

__all__ = [
    "FeedDeps",
    "InvalidEvent",
    "NotYetKnown",
    "apply_company_event",
    "apply_transaction_event",
]


class NotYetKnown(RetryLater):
    """The organization or account is not known yet; retry later."""


@dataclass
class FeedDeps:
    feed: FeedStore
    rematch: Callable[[str], list[Any]]  # organization id -> documents now matched
    sync_phones: Callable[[set[str]], Any]  # E.164 numbers whose directory entries to redo
    on_new_account: Callable[[str, str], Any]  # (organization id, account id)
    # (organization id, document id) on `documents.approved` for each document a reversal
    # released: the firms that received it matched get its index record again.
    approved: Callable[[str, str], Any] | None = None


def apply_transaction_event(deps: FeedDeps, payload: Any) -> dict[str, Any]:
    event = parse_transaction_event(payload)
    org = event.organization_id
    if not deps.feed.organization_exists(org):
        raise NotYetKnown(f"organization {org} is not known yet")
    if not deps.feed.account_exists(org, event.account_id):
        raise NotYetKnown(f"account {event.account_id} of {org} is not known yet")
    upsert = deps.feed.upsert_transaction(event)
    answer: dict[str, Any] = {"transaction_id": event.id, "outcome": upsert.outcome.value}
    again = upsert.outcome is Outcome.STALE and _same_version(upsert.previous, event)
    if upsert.outcome is Outcome.STALE and not again:
        return answer  # an older version: nothing to do
    previous = upsert.previous or {}
    released: list[str] = []
    if event.status.releases_match:
        released = deps.feed.release_automatic_matches(
            org, event.id, f"transaction {event.status.value}"
        )
        if again:  # what an earlier delivery released, perhaps not announced yet
            released = sorted({*released, *deps.feed.released_by(org, event.id)})
    # This very version again (a redelivery, maybe of a delivery that failed after its
    # write): its effects are idempotent, so they are done again rather than perhaps lost.
    changed = (
        again
        or upsert.outcome is Outcome.CREATED
        or previous.get("status") != event.status.value
        or (previous.get("settled_at") is None) != (event.settled_at is None)
        or previous.get("amount_minor") != event.amount.minor_units
    )
    if deps.approved is not None:
        for document_id in released:
            deps.approved(org, document_id)
    matched: list[Any] = []
    if released or (changed and not event.status.releases_match):
        matched = deps.rematch(org)
    answer.update(released=released, matched=[getattr(d, "id", d) for d in matched])
    log.info(
        "transaction event applied",
        organization_id=org,
        transaction_id=event.id,
        outcome=upsert.outcome.value,
        status=event.status.value,
        released=len(released),
        matched=len(matched),
    )
    return answer


def _same_version(stored: dict[str, Any] | None, event: Any) -> bool:
    version = (stored or {}).get("feed_updated_at")
    return version is not None and version == event.updated_at


def apply_company_event(deps: FeedDeps, payload: Any) -> dict[str, Any]:
    event = parse_company_event(payload)
    org = event.organization_id
    if event.type is not CompanyEventType.ORGANIZATION and not deps.feed.organization_exists(org):
        raise NotYetKnown(f"organization {org} is not known yet")
    if event.type is CompanyEventType.BANK_ACCOUNT:
        from shared.domain.identifiers import Iban, InvalidIdentifier

        try:
            event.fields["iban"] = Iban(event.fields["iban"]).compact
        except InvalidIdentifier as exc:
            raise InvalidEvent(f"iban: {exc}") from None
    upsert = deps.feed.upsert_company_entity(event)
    answer = {"type": event.type.value, "id": event.entity_id, "outcome": upsert.outcome.value}
    if upsert.outcome is Outcome.STALE:
        return answer
    previous = upsert.previous or {}
    if event.type is CompanyEventType.MEMBER_REMOVED or (
        event.type is CompanyEventType.MEMBER and previous.get("phone") != event.fields["phone"]
    ):
        # The old number loses this company, the new one gains it; nothing else changes.
        new_phone = event.fields.get("phone") if event.type is CompanyEventType.MEMBER else None
        phones = {p for p in (previous.get("phone"), new_phone) if p}
        if phones:
            deps.sync_phones(phones)
    if event.type is CompanyEventType.BANK_ACCOUNT and upsert.outcome is Outcome.CREATED:
        deps.on_new_account(org, event.entity_id)
    log.info(
        "company event applied",
        organization_id=org,
        event_type=event.type.value,
        outcome=upsert.outcome.value,
    )
    return answer
