"""Firestore mapping of the partner space (firms, consent, extensions, activations, deliveries).

Layout:
- `partner_firms/{firm}`: `name`;
  `.../members/{user}`: `role`, `assigned_clients`;
  `.../consents/{company}`: `status`, `decided_by`, `decided_at`, `revoked_at`;
  `.../extensions/{ext}`: `kind`, `name`, `settings` (non-secret), `installed_at`;
  `.../extensions/{ext}/private/credentials`: `sealed` (envelope-encrypted JSON of the
  extension's secrets, context `partner/{firm}/{ext}`).
- `partner_activations/{act}`: `firm_id`, `company_id`, `extension_id`, `activated_at`,
  `params`, `status`, `disabled_reason`, and its status counters `delivered`, `failed`,
  `last_success_at`, `last_error`, `last_error_at`. Top-level so the dispatch finds a
  company's activations with one single-field query (`company_id ==`).
- `partner_deliveries/{document}:{activation}`: one per (document, activation), the
  idempotency record: `state` (pending | sending | delivered | failed | cancelled),
  `attempts`, `next_attempt_at`, `lease` {holder, expires_at}, `receipt`, `error`, and
  `log` (the last `LOG_LIMIT` events). Every state change is a transaction.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from google.api_core import exceptions as gexc
from google.cloud import firestore

from shared.domain.partners import (
    Activation,
    ActivationStatus,
    Consent,
    ConsentStatus,
    Extension,
    ExtensionKind,
    Firm,
    FirmMember,
    FirmRole,
)
from shared.errors import RetryLater
from shared.store.token_vault import TokenVault

LOG_LIMIT = 20


class DeliveryBusy(RetryLater):
    """Too many runs contend for this delivery record right now: try again later."""


def _run(transactional: Any, db: firestore.Client, what: str) -> Any:
    """Run a transactional function; contention that outlives Firestore's retries is busy."""
    try:
        return transactional(db.transaction())
    except (gexc.Aborted, gexc.DeadlineExceeded) as exc:
        raise DeliveryBusy(f"{what}: contended, retry later") from exc
    except ValueError as exc:  # the client's "failed after N attempts"
        if isinstance(exc.__cause__, gexc.Aborted):
            raise DeliveryBusy(f"{what}: contended, retry later") from exc
        raise


_IN_LIMIT = 30  # values of one Firestore `in` filter


class DeliveryState:
    PENDING = "pending"
    SENDING = "sending"
    DELIVERED = "delivered"
    FAILED = "failed"
    CANCELLED = "cancelled"
    QUEUED = "queued"  # waits for its activation's daily digest


@dataclass
class DeliveryRecord:
    key: str
    document_id: str
    activation_id: str
    company_id: str
    state: str
    attempts: int = 0
    next_attempt_at: datetime | None = None
    receipt: str | None = None
    error: str | None = None
    log: list[dict[str, Any]] = field(default_factory=list)
    digest_day: str | None = None
    revision: str | None = None  # the index record's revision last delivered
    updates: int = 0  # a first delivery: how many updates of its index were delivered
    update_of: str | None = None  # an update: the key of the first delivery


def _utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("instants must be timezone-aware")
    return value.astimezone(UTC)


class PartnerStore:
    def __init__(self, db: firestore.Client, vault: TokenVault) -> None:
        self.db = db
        self.vault = vault

    # ------------------------------------------------------------------ firms

    def _firm(self, firm_id: str) -> firestore.DocumentReference:
        return self.db.collection("partner_firms").document(firm_id)

    def save_firm(self, firm: Firm) -> None:
        self._firm(firm.id).set({"name": firm.name}, merge=True)

    def get_firm(self, firm_id: str) -> Firm | None:
        snap = self._firm(firm_id).get()
        return Firm(firm_id, (snap.to_dict() or {}).get("name", "")) if snap.exists else None

    def save_member(self, member: FirmMember) -> None:
        self._firm(member.firm_id).collection("members").document(member.user_id).set(
            {"role": member.role.value, "assigned_clients": sorted(member.assigned_clients)}
        )

    def get_member(self, firm_id: str, user_id: str) -> FirmMember | None:
        snap = self._firm(firm_id).collection("members").document(user_id).get()
        if not snap.exists:
            return None
        data = snap.to_dict() or {}
        return FirmMember(
            user_id, firm_id, FirmRole(data["role"]), frozenset(data.get("assigned_clients", []))
        )

    def save_client_template(self, firm_id: str, items: list[dict[str, Any]]) -> None:
        self._firm(firm_id).set({"client_template": items}, merge=True)

    def get_client_template(self, firm_id: str) -> list[dict[str, Any]]:
        snap = self._firm(firm_id).get()
        return list((snap.to_dict() or {}).get("client_template") or []) if snap.exists else []

    # ------------------------------------------------------------------ consent

    def _consent(self, firm_id: str, company_id: str) -> firestore.DocumentReference:
        return self._firm(firm_id).collection("consents").document(company_id)

    def save_consent(self, consent: Consent) -> None:
        self._consent(consent.firm_id, consent.company_id).set(
            {
                "status": consent.status.value,
                "decided_by": consent.decided_by,
                "decided_at": consent.decided_at,
                "revoked_at": consent.revoked_at,
            }
        )

    def get_consent(self, firm_id: str, company_id: str) -> Consent | None:
        snap = self._consent(firm_id, company_id).get()
        if not snap.exists:
            return None
        data = snap.to_dict() or {}
        return Consent(
            firm_id,
            company_id,
            ConsentStatus(data["status"]),
            data.get("decided_by"),
            data.get("decided_at"),
            data.get("revoked_at"),
        )

    # ------------------------------------------------------------------ extensions

    def _extension(self, firm_id: str, ext_id: str) -> firestore.DocumentReference:
        return self._firm(firm_id).collection("extensions").document(ext_id)

    def save_extension(self, extension: Extension, secrets: dict[str, str]) -> None:
        ref = self._extension(extension.firm_id, extension.id)
        sealed = self.vault.seal(
            json.dumps(secrets, sort_keys=True), f"partner/{extension.firm_id}/{extension.id}"
        )
        batch = self.db.batch()
        batch.set(
            ref,
            {
                "kind": extension.kind.value,
                "name": extension.name,
                "settings": extension.settings,
                "installed_at": extension.installed_at,
            },
        )
        batch.set(ref.collection("private").document("credentials"), {"sealed": sealed})
        batch.commit()

    def save_secrets(self, firm_id: str, ext_id: str, secrets: dict[str, str]) -> None:
        """Replace an extension's sealed credentials (a vendor rotated a token)."""
        sealed = self.vault.seal(json.dumps(secrets, sort_keys=True), f"partner/{firm_id}/{ext_id}")
        self._extension(firm_id, ext_id).collection("private").document("credentials").set(
            {"sealed": sealed}
        )

    def get_extension(self, firm_id: str, ext_id: str) -> Extension | None:
        snap = self._extension(firm_id, ext_id).get()
        if not snap.exists:
            return None
        data = snap.to_dict() or {}
        return Extension(
            ext_id,
            firm_id,
            ExtensionKind(data["kind"]),
            data.get("name", ""),
            data.get("settings") or {},
            data.get("installed_at"),
        )

    def extension_secrets(self, firm_id: str, ext_id: str) -> dict[str, str]:
        """The extension's credentials, opened in memory (never logged, never returned by the API)."""
        snap = self._extension(firm_id, ext_id).collection("private").document("credentials").get()
        if not snap.exists:
            return {}
        sealed = (snap.to_dict() or {})["sealed"]
        return json.loads(self.vault.open(sealed, f"partner/{firm_id}/{ext_id}"))

    # ------------------------------------------------------------------ activations

    def _activation(self, act_id: str) -> firestore.DocumentReference:
        return self.db.collection("partner_activations").document(act_id)

    def save_activation(self, activation: Activation) -> None:
        self._activation(activation.id).set(
            {
                "firm_id": activation.firm_id,
                "company_id": activation.company_id,
                "extension_id": activation.extension_id,
                "activated_at": _utc(activation.activated_at),
                "params": activation.params,
                "status": activation.status.value,
                "disabled_reason": activation.disabled_reason,
            },
            merge=True,
        )

    @staticmethod
    def _to_activation(act_id: str, data: dict[str, Any]) -> Activation:
        return Activation(
            act_id,
            data["firm_id"],
            data["extension_id"],
            data["company_id"],
            data["activated_at"],
            data.get("params") or {},
            ActivationStatus(data.get("status", "active")),
            data.get("disabled_reason"),
        )

    def get_activation(self, act_id: str) -> Activation | None:
        snap = self._activation(act_id).get()
        return self._to_activation(act_id, snap.to_dict() or {}) if snap.exists else None

    def activations_of_company(self, company_id: str) -> list[Activation]:
        query = self.db.collection("partner_activations").where(
            filter=firestore.FieldFilter("company_id", "==", company_id)
        )
        return [self._to_activation(s.id, s.to_dict() or {}) for s in query.stream()]

    def activations_of_extension(self, firm_id: str, ext_id: str) -> list[Activation]:
        query = self.db.collection("partner_activations").where(
            filter=firestore.FieldFilter("extension_id", "==", ext_id)
        )
        found = [self._to_activation(s.id, s.to_dict() or {}) for s in query.stream()]
        return [a for a in found if a.firm_id == firm_id]

    def requeue_failed(self, activation_ids: set[str], now: datetime) -> int:
        """Make the failed deliveries of these activations due now (a person fixed the cause).

        Asked of Firestore by activation (an `in` of at most `_IN_LIMIT` ids a query), not
        read across every firm's failures and filtered here: an API call stays small."""
        ids = sorted(activation_ids)
        count = 0
        for start in range(0, len(ids), _IN_LIMIT):
            query = (
                self.db.collection("partner_deliveries")
                .where(filter=firestore.FieldFilter("state", "==", DeliveryState.FAILED))
                .where(
                    filter=firestore.FieldFilter(
                        "activation_id", "in", ids[start : start + _IN_LIMIT]
                    )
                )
            )
            for snap in query.stream():
                snap.reference.update({"next_attempt_at": _utc(now)})
                count += 1
        return count

    def disable_activation(self, act_id: str, reason: str) -> None:
        self._activation(act_id).update(
            {"status": ActivationStatus.DISABLED.value, "disabled_reason": reason}
        )

    def resume_activation(self, act_id: str) -> None:
        self._activation(act_id).update(
            {"status": ActivationStatus.ACTIVE.value, "disabled_reason": None}
        )

    def activation_status(self, act_id: str) -> dict[str, Any]:
        data = self._activation(act_id).get().to_dict() or {}
        return {
            "status": data.get("status"),
            "disabled_reason": data.get("disabled_reason"),
            "delivered": data.get("delivered", 0),
            "failed": data.get("failed", 0),
            "last_success_at": data.get("last_success_at"),
            "last_error": data.get("last_error"),
            "last_error_at": data.get("last_error_at"),
        }

    # ------------------------------------------------------------------ deliveries

    def _delivery(self, key: str) -> firestore.DocumentReference:
        return self.db.collection("partner_deliveries").document(key)

    @staticmethod
    def _to_delivery(key: str, data: dict[str, Any]) -> DeliveryRecord:
        return DeliveryRecord(
            key,
            data["document_id"],
            data["activation_id"],
            data["company_id"],
            data["state"],
            data.get("attempts", 0),
            data.get("next_attempt_at"),
            data.get("receipt"),
            data.get("error"),
            list(data.get("log") or []),
            data.get("digest_day"),
            data.get("revision"),
            data.get("updates", 0),
            data.get("update_of"),
        )

    def get_delivery(self, key: str) -> DeliveryRecord | None:
        snap = self._delivery(key).get()
        return self._to_delivery(key, snap.to_dict() or {}) if snap.exists else None

    def deliveries_of_document(self, document_id: str) -> list[DeliveryRecord]:
        query = self.db.collection("partner_deliveries").where(
            filter=firestore.FieldFilter("document_id", "==", document_id)
        )
        return [self._to_delivery(s.id, s.to_dict() or {}) for s in query.stream()]

    def all_deliveries(self) -> list[DeliveryRecord]:
        """Tests and benchmarks: every delivery record."""
        return [
            self._to_delivery(s.id, s.to_dict() or {})
            for s in self.db.collection("partner_deliveries").stream()
        ]

    def claim(
        self,
        key: str,
        document_id: str,
        activation: Activation,
        holder: str,
        now: datetime,
        lease_until: datetime,
        update_of: str | None = None,
    ) -> DeliveryRecord | None:
        """Create the delivery if new, and take it for sending if it is due and free.

        None: delivered or cancelled already, not due yet, or another run holds it.
        `update_of`: this delivery updates the index record sent by that one.
        """
        ref = self._delivery(key)
        now = _utc(now)

        @firestore.transactional
        def take(transaction: firestore.Transaction) -> DeliveryRecord | None:
            snap = ref.get(transaction=transaction)
            data = snap.to_dict() if snap.exists else None
            if data is None:
                data = {
                    "document_id": document_id,
                    "activation_id": activation.id,
                    "company_id": activation.company_id,
                    "firm_id": activation.firm_id,
                    "state": DeliveryState.PENDING,
                    "attempts": 0,
                    "created_at": now,
                    "log": [],
                }
                if update_of is not None:
                    data["update_of"] = update_of
            state = data["state"]
            if state in (DeliveryState.DELIVERED, DeliveryState.CANCELLED):
                return None
            lease = data.get("lease") or {}
            if (
                state == DeliveryState.SENDING
                and lease.get("expires_at")
                and lease["expires_at"] > now
            ):
                return None  # another run is sending it right now
            due = data.get("next_attempt_at")
            if state == DeliveryState.FAILED and (due is None or due > now):
                return None  # waiting for its backoff, or for a person (permanent error)
            data["state"] = DeliveryState.SENDING
            data["lease"] = {"holder": holder, "expires_at": _utc(lease_until)}
            data["log"] = (data.get("log") or [])[-(LOG_LIMIT - 1) :] + [
                {"at": now, "event": "sending", "attempt": data.get("attempts", 0) + 1}
            ]
            transaction.set(ref, data)
            return self._to_delivery(key, data)

        return _run(take, self.db, f"claim {key}")

    def finish(
        self,
        key: str,
        holder: str,
        now: datetime,
        *,
        receipt: str | None = None,
        error: str | None = None,
        next_attempt_at: datetime | None = None,
        requeue: bool = False,
        revision: str | None = None,
    ) -> bool:
        """Record the outcome of a claimed delivery (and the activation's counters).

        `revision`: the index record's revision it delivered. A delivered update also
        writes it on the first delivery, with the number of updates sent since.
        False when the lease was lost (another run took over): nothing is written.
        """
        ref = self._delivery(key)
        now = _utc(now)

        @firestore.transactional
        def record(transaction: firestore.Transaction) -> bool:
            snap = ref.get(transaction=transaction)
            data = snap.to_dict() or {}
            if (
                data.get("state") != DeliveryState.SENDING
                or (data.get("lease") or {}).get("holder") != holder
            ):
                return False
            act_ref = self._activation(data["activation_id"])
            attempts = data.get("attempts", 0) + 1
            first = data.get("update_of")
            update: dict[str, Any]  # Firestore fields, sentinels included
            event: dict[str, Any]
            if error is None:
                update = {
                    "state": DeliveryState.DELIVERED,
                    "receipt": receipt,
                    "error": None,
                    "revision": revision,
                }
                if first:  # an update finishes once: the count is exact
                    transaction.update(
                        self._delivery(first),
                        {
                            "revision": revision,
                            "updates": firestore.Increment(1),
                            "updated_at": now,
                        },
                    )
                event = {"at": now, "event": "delivered", "receipt": receipt}
                transaction.update(
                    act_ref, {"delivered": firestore.Increment(1), "last_success_at": now}
                )
            else:
                update = {
                    # A digest's delivery goes back to the queue: the next sweep retries it.
                    "state": DeliveryState.QUEUED if requeue else DeliveryState.FAILED,
                    "error": error,
                    "next_attempt_at": next_attempt_at,
                }
                event = {"at": now, "event": "failed", "error": error}
                transaction.update(
                    act_ref,
                    {"failed": firestore.Increment(1), "last_error": error, "last_error_at": now},
                )
            update.update(
                {
                    "attempts": attempts,
                    "lease": firestore.DELETE_FIELD,
                    "updated_at": now,
                    "log": (data.get("log") or [])[-(LOG_LIMIT - 1) :] + [event],
                }
            )
            transaction.update(ref, update)
            return True

        return _run(record, self.db, f"finish {key}")

    def queue_for_digest(
        self, key: str, document_id: str, activation: Activation, day: str, now: datetime
    ) -> bool:
        """Record the delivery for `day`'s digest (once: False when it exists already)."""
        try:
            self._delivery(key).create(
                {
                    "document_id": document_id,
                    "activation_id": activation.id,
                    "company_id": activation.company_id,
                    "firm_id": activation.firm_id,
                    "state": DeliveryState.QUEUED,
                    "digest_day": day,
                    "attempts": 0,
                    "created_at": _utc(now),
                    "log": [{"at": _utc(now), "event": "queued", "digest_day": day}],
                }
            )
            return True
        except gexc.AlreadyExists:
            return False

    def queued_before(self, day: str, limit: int = 2000) -> list[DeliveryRecord]:
        """Digest deliveries of days before `day` still waiting (their digest is due)."""
        # Today's queue may be long: the day is in the query (composite index state +
        # digest_day), so it never hides the digests that are due.
        query = (
            self.db.collection("partner_deliveries")
            .where(filter=firestore.FieldFilter("state", "==", DeliveryState.QUEUED))
            .where(filter=firestore.FieldFilter("digest_day", "<", day))
            .order_by("digest_day")
            .limit(limit)
        )
        return [self._to_delivery(s.id, s.to_dict() or {}) for s in query.stream()]

    def cancel(self, key: str, now: datetime, reason: str) -> bool:
        """Cancel one delivery not delivered yet (it has nothing left to send); False when
        there is none, or it was delivered or is being sent."""
        ref = self._delivery(key)

        @firestore.transactional
        def drop(transaction: firestore.Transaction) -> bool:
            snap = ref.get(transaction=transaction)
            state = (snap.to_dict() or {}).get("state") if snap.exists else None
            if state not in (DeliveryState.PENDING, DeliveryState.FAILED):
                return False
            transaction.update(
                ref, {"state": DeliveryState.CANCELLED, "error": reason, "updated_at": _utc(now)}
            )
            return True

        return _run(drop, self.db, f"cancel {key}")

    def cancel_pending(self, firm_id: str, company_id: str, now: datetime, reason: str) -> int:
        """Cancel every not-yet-delivered delivery of a firm for a company (consent revoked).

        Only those are read (company, firm and state in the query), not every delivery the
        company ever had."""
        waiting = [DeliveryState.PENDING, DeliveryState.FAILED, DeliveryState.QUEUED]
        query = (
            self.db.collection("partner_deliveries")
            .where(filter=firestore.FieldFilter("company_id", "==", company_id))
            .where(filter=firestore.FieldFilter("firm_id", "==", firm_id))
            .where(filter=firestore.FieldFilter("state", "in", waiting))
        )
        count = 0
        for snap in query.stream():
            snap.reference.update(
                {"state": DeliveryState.CANCELLED, "error": reason, "updated_at": _utc(now)}
            )
            count += 1
        return count

    def due_deliveries(self, now: datetime, limit: int = 500) -> list[DeliveryRecord]:
        """Failed deliveries whose backoff has passed (the retry sweep's work list)."""
        # The backoff is in the query (composite index state + next_attempt_at), oldest
        # due first: failures not due yet, or for good (no next attempt), never fill the
        # page and starve the due ones.
        query = (
            self.db.collection("partner_deliveries")
            .where(filter=firestore.FieldFilter("state", "==", DeliveryState.FAILED))
            .where(filter=firestore.FieldFilter("next_attempt_at", "<=", _utc(now)))
            .order_by("next_attempt_at")
            .limit(limit)
        )
        return [self._to_delivery(s.id, s.to_dict() or {}) for s in query.stream()]
