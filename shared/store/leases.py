"""Run leases on a Firestore document: one worker at a time, taken over once expired.

The lease is the field `lease: {holder, expires_at}` of the document it guards (an
integration's status document, say). Every change is a Firestore transaction, so two
workers racing for the same lease cannot both win.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from google.cloud import firestore

from shared.errors import Conflict


class LeaseLost(Conflict):
    """Another worker holds the lease now, or the guarded work must stop: stop touching it."""


def _utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("lease instants must carry their timezone")
    return value.astimezone(UTC)


def acquire(
    db: firestore.Client,
    ref: firestore.DocumentReference,
    holder: str,
    expires_at: datetime,
    now: datetime,
    may_start: Callable[[dict[str, Any]], bool] = lambda data: True,
) -> bool:
    """Take the lease if it is free, ours or expired, and `may_start` agrees."""

    @firestore.transactional
    def take(transaction: firestore.Transaction) -> bool:
        snap = ref.get(transaction=transaction)
        if not snap.exists:
            return False
        data = snap.to_dict() or {}
        if not may_start(data):
            return False
        lease = data.get("lease") or {}
        expires = lease.get("expires_at")
        if lease.get("holder") not in (None, holder) and expires and expires > _utc(now):
            return False
        transaction.update(ref, {"lease": {"holder": holder, "expires_at": _utc(expires_at)}})
        return True

    return take(db.transaction())


def renew(
    db: firestore.Client,
    ref: firestore.DocumentReference,
    holder: str,
    expires_at: datetime,
    stop_reason: Callable[[dict[str, Any]], str | None] = lambda data: None,
) -> None:
    """Extend our lease; `LeaseLost` if another worker took it or `stop_reason` says stop."""

    @firestore.transactional
    def extend(transaction: firestore.Transaction) -> None:
        snap = ref.get(transaction=transaction)
        data = (snap.to_dict() or {}) if snap.exists else {}
        if (data.get("lease") or {}).get("holder") != holder:
            raise LeaseLost(f"{ref.path}: lease now held by another worker")
        reason = stop_reason(data)
        if reason:
            raise LeaseLost(f"{ref.path}: {reason}")
        transaction.update(ref, {"lease": {"holder": holder, "expires_at": _utc(expires_at)}})

    extend(db.transaction())


def release(db: firestore.Client, ref: firestore.DocumentReference, holder: str) -> None:
    """Give the lease back if we still hold it."""

    @firestore.transactional
    def give_back(transaction: firestore.Transaction) -> None:
        snap = ref.get(transaction=transaction)
        if snap.exists and ((snap.to_dict() or {}).get("lease") or {}).get("holder") == holder:
            transaction.update(ref, {"lease": None})

    give_back(db.transaction())
