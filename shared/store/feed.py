"""Firestore writes of the core-banking feed: versioned upserts and match release.

Every fed record carries `feed_updated_at`, the `updated_at` of the event that wrote it.
An upsert runs in a Firestore transaction and writes only if the event is strictly newer:
the same event redelivered, or an older one arriving late, changes nothing. Field names
are those of `FirestoreStore` (docs/DATA_MODEL.md); the feed adds `status`,
`operation_type_raw`, `card_last_digits` and `feed_updated_at` on transactions.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, overload

from google.cloud import firestore

from shared.domain.entities import DocumentStatus
from shared.domain.feed import CompanyEvent, CompanyEventType, TransactionEvent


class Outcome(enum.StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    STALE = "stale"  # same or older version: nothing written


@dataclass(frozen=True)
class Upsert:
    outcome: Outcome
    previous: dict[str, Any] | None  # the stored fields before this write


@overload
def _utc(value: datetime) -> datetime: ...
@overload
def _utc(value: datetime | None) -> datetime | None: ...
def _utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)


def _money(prefix: str, money: Any) -> dict[str, Any]:
    if money is None:
        return {f"{prefix}_minor": None, f"{prefix}_currency": None}
    return {f"{prefix}_minor": money.minor_units, f"{prefix}_currency": money.currency}


class FeedStore:
    def __init__(self, db: firestore.Client) -> None:
        self.db = db

    def _org(self, org_id: str) -> firestore.DocumentReference:
        return self.db.collection("organizations").document(org_id)

    def _versioned_write(
        self, ref: firestore.DocumentReference, fields: dict[str, Any], version: datetime
    ) -> Upsert:
        @firestore.transactional
        def run(transaction: firestore.Transaction) -> Upsert:
            snap = ref.get(transaction=transaction)
            previous = snap.to_dict() if snap.exists else None
            stored = _utc((previous or {}).get("feed_updated_at"))
            if stored is not None and stored >= _utc(version):
                return Upsert(Outcome.STALE, previous)
            data = {**fields, "feed_updated_at": _utc(version)}
            if previous is None:
                transaction.set(ref, data)
                return Upsert(Outcome.CREATED, None)
            transaction.set(ref, data, merge=True)
            return Upsert(Outcome.UPDATED, previous)

        return run(self.db.transaction())

    def organization_exists(self, org_id: str) -> bool:
        return self._org(org_id).get().exists

    def account_exists(self, org_id: str, account_id: str) -> bool:
        return self._org(org_id).collection("bank_accounts").document(account_id).get().exists

    # -- transactions ----------------------------------------------------------
    def upsert_transaction(self, event: TransactionEvent) -> Upsert:
        ref = self._org(event.organization_id).collection("transactions").document(event.id)
        fields = {
            "account_id": event.account_id,
            **_money("amount", event.amount),
            **_money("local_amount", event.local_amount),
            "counterparty": event.label,
            "operation_type": event.operation_type.value,
            "operation_type_raw": event.operation_type_raw,
            "emitted_at": _utc(event.emitted_at),
            "settled_at": _utc(event.settled_at),
            "reference": event.reference,
            "counterparty_iban": event.counterparty_iban,
            "card_last_digits": event.card_last_digits,
            "status": event.status.value,
        }
        upsert = self._versioned_write(ref, fields, event.updated_at)
        if upsert.outcome is Outcome.CREATED:
            ref.update({"attachment_ids": []})  # never overwritten by later versions
        return upsert

    def release_automatic_matches(self, org_id: str, tx_id: str, reason: str) -> list[str]:
        """Detach the documents the engine attached to this transaction (a person's
        attachment stays); they wait for another transaction. Returns their ids."""
        org = self._org(org_id)
        tx_ref = org.collection("transactions").document(tx_id)

        @firestore.transactional
        def run(transaction: firestore.Transaction) -> list[str]:
            tx = tx_ref.get(transaction=transaction)
            if not tx.exists:
                return []
            attached = list((tx.to_dict() or {}).get("attachment_ids") or [])
            docs = {
                doc_id: org.collection("documents").document(doc_id).get(transaction=transaction)
                for doc_id in attached
            }
            released = [
                doc_id
                for doc_id, snap in docs.items()
                if snap.exists and (snap.to_dict() or {}).get("match_source") != "manual"
            ]
            for doc_id in released:
                transaction.update(
                    org.collection("documents").document(doc_id),
                    {
                        "status": DocumentStatus.UNMATCHED.value,
                        "transaction_id": None,
                        "match_score": None,
                        "match_reasons": [],
                        "match_flags": [],
                        "released_reason": reason,
                        "released_by": tx_id,
                    },
                )
            if released:
                transaction.update(
                    tx_ref, {"attachment_ids": [d for d in attached if d not in released]}
                )
            return released

        return run(self.db.transaction())

    def released_by(self, org_id: str, tx_id: str) -> list[str]:
        """Documents this transaction's reversal released that still wait for another."""
        query = (
            self._org(org_id)
            .collection("documents")
            .where(filter=firestore.FieldFilter("released_by", "==", tx_id))
        )
        return sorted(
            s.id
            for s in query.stream()
            if (s.to_dict() or {}).get("status") == DocumentStatus.UNMATCHED.value
        )

    # -- companies -------------------------------------------------------------
    def upsert_company_entity(self, event: CompanyEvent) -> Upsert:
        org = self._org(event.organization_id)
        f = event.fields
        if event.type is CompanyEventType.ORGANIZATION:
            fields = {**f, "plan": f["plan"].value}
            return self._versioned_write(org, fields, event.updated_at)
        if event.type is CompanyEventType.BANK_ACCOUNT:
            ref = org.collection("bank_accounts").document(event.entity_id)
            return self._versioned_write(ref, dict(f), event.updated_at)
        return self._member_write(event)

    def _member_write(self, event: CompanyEvent) -> Upsert:
        """A member upsert or removal, versioned against the member document and its
        tombstone together: an older upsert arriving after a removal does not revive it."""
        org = self._org(event.organization_id)
        ref = org.collection("members").document(event.entity_id)
        tomb = org.collection("member_tombstones").document(event.entity_id)
        version = _utc(event.updated_at)

        @firestore.transactional
        def run(transaction: firestore.Transaction) -> Upsert:
            snap = ref.get(transaction=transaction)
            tomb_snap = tomb.get(transaction=transaction)
            previous = snap.to_dict() if snap.exists else None
            versions = [
                _utc(d["feed_updated_at"])
                for d in (previous, tomb_snap.to_dict() if tomb_snap.exists else None)
                if d and d.get("feed_updated_at")
            ]
            if versions and max(versions) >= version:
                return Upsert(Outcome.STALE, previous)
            if event.type is CompanyEventType.MEMBER_REMOVED:
                transaction.delete(ref)
                transaction.set(tomb, {"feed_updated_at": version})
                return Upsert(Outcome.UPDATED, previous)
            f = event.fields
            transaction.set(ref, {**f, "role": f["role"].value, "feed_updated_at": version})
            if tomb_snap.exists:
                transaction.delete(tomb)
            return Upsert(Outcome.UPDATED if previous else Outcome.CREATED, previous)

        return run(self.db.transaction())
