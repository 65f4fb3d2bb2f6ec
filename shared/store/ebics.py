"""Firestore repository of the EBICS file drop (issue 7), and the drop bucket's object access.

Collections (all under the tenant, `organizations/{org}/...`):

- `ebics_connections/{connection_id}`: `status` (`active`/`disconnected`),
  `status_reason`, `ebics_version` (`2.4`/`3.0`), `formats` (subset of `mt940`,
  `cfonb120`), `bucket_prefix` (`{org}/{connection_id}/`: where the connection's `inbox/`
  and `outbox/` live in the drop bucket), `created_by` (member id), `connected_at`,
  `disconnected_at`, `updated_at`, `onboarding` (map: `state` `requested`/`letter_sent`/
  `keys_accepted`/`live`, `requested_at`, `letter` (host id, partner id, user id, URL,
  version, bank name), `letter_issued_at`, `certificates` (per role: version, subject,
  validity, key bits, hashes, PEM), `bank_keys` (the hashes answered), `keys_accepted_at`,
  `live_at`, `last_refusal` (role, code, message), `refused_at`, `uploads`; absent on
  connections made before onboarding existed, which count as live).
- `ebics_plan_choice/current`: present while a downgrade left more live connections than
  the plan allows: `plan`, `allowed`, `connection_ids`, `since`.
- `bank_accounts/{account_id}/ebics_statement_days/{YYYY-MM-DD}`: the statement state of
  one account and day, created once (`create()`) so that a rerun writes the same file:
  `date`, `currency`, `opening_minor`, `closing_minor`, `sequence_number`, `entry_ids`
  (the transactions in that statement, in order), `created_at`. The next day's opening
  balance is this closing balance.
- `ebics_inbound_files/{sha256(object name, content sha256)}`: one record per inbox file
  seen: `connection_id`, `object_name`, `checksum`, `received_at`, `state`
  (`received`/`done`), `outcome` (`accepted`/`refused`/`ignored`), `message_id`,
  `version`, `reasons`, `request_ids`, `report_object`.
- `ebics_message_ids/{sha256(MsgId)}`: the claim on a pain.001 MsgId, created with
  `create()` by the first accepted file (`message_id`, `file_key`, `object_name`,
  `connection_id`, `created_at`); another file with the same MsgId is a duplicate.
- `payment_requests/{request_id}`: one per PmtInf of an accepted file: `status`
  (`pending_approval`/`approved`/`rejected`), `kind` (`single`/`batch`),
  `connection_id`, `message_id`, `payment_info_id`, `debtor_name`, `debtor_iban`,
  `debtor_bic`, `requested_execution_date` (ISO date), `batch_booking`, `total_minor`,
  `currency`, `payment_count`, `source_object`, `created_at`, `decided_by`,
  `decided_at`, `decision_reason`.
- `payment_requests/{request_id}/payment_chunks/{chunk:05d}`: its credit transfers, in file
  order, 250 per document (`first_index`, `payments`: a list of `end_to_end_id`,
  `instruction_id`, `amount_minor`, `currency`, `creditor_name`, `creditor_iban`,
  `creditor_bic`, `remittance`: the texts that will be sent, in the SEPA set; and
  `as_received` when a text was converted: what the file said). Kept out of the request document, whose 1 MiB limit a
  10,000-payment batch would break; chunked because a request is approved as a whole and
  one write per transfer made a 10,000-transfer file take seconds to store.

Amounts are integer minor units plus the currency code, as everywhere in the store.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

from google.api_core import exceptions as gexc
from google.cloud import firestore, storage  # type: ignore[attr-defined]

from shared.domain.ebics import (  # noqa: F401 - moved to the domain; re-exported
    EBICS_VERSIONS,
    STATEMENT_FORMATS,
    AlreadyDecided,
    ConnectionStatus,
    EbicsConnection,
    InboundFile,
    MessageIdClaim,
    PaymentRequest,
    PlanLimitReached,
    RequestedPayment,
    RequestStatus,
    SettledTransaction,
    StatementDay,
    _key,
    _utc,
    connection_prefix,
    parse_prefix,
)
from shared.domain.ebics_onboarding import Onboarding, PlanChoice
from shared.errors import NotFound

# A commit carries at most 500 writes and 10 MiB: 40 chunks of ~60 KB stay well inside.
_CHUNKS_PER_COMMIT = 40
PAYMENTS_PER_CHUNK = 250  # about 60 KB per chunk document, far below the 1 MiB limit
# Reads of a request being decided concurrently: each lost race means a decision was written.
_DECIDE_ATTEMPTS = 5


def _settled(snap: Any) -> SettledTransaction | None:
    d = snap.to_dict()
    settled = d.get("settled_at")
    if settled is None or d.get("amount_minor") is None:
        return None
    return SettledTransaction(
        id=snap.id,
        account_id=d.get("account_id", ""),
        amount_minor=int(d["amount_minor"]),
        currency=d.get("amount_currency") or "",
        counterparty=d.get("counterparty") or "",
        reference=d.get("reference") or "",
        end_to_end_id=d.get("end_to_end_id") or "",
        operation_type=d.get("operation_type") or "transfer",
        settled_at=settled,
    )


def _connection(org_id: str, snap: Any) -> EbicsConnection:
    d = snap.to_dict()
    return EbicsConnection(
        organization_id=org_id,
        id=snap.id,
        status=ConnectionStatus(d["status"]),
        ebics_version=d["ebics_version"],
        formats=tuple(d.get("formats", ())),
        bucket_prefix=d["bucket_prefix"],
        created_by=d.get("created_by", ""),
        connected_at=d.get("connected_at"),
        status_reason=d.get("status_reason", ""),
        onboarding=Onboarding.from_dict(d["onboarding"]) if d.get("onboarding") else None,
    )


def _statement_day(account_id: str, d: dict[str, Any]) -> StatementDay:
    return StatementDay(
        account_id=account_id,
        date=date.fromisoformat(d["date"]),
        currency=d["currency"],
        opening_minor=int(d["opening_minor"]),
        closing_minor=int(d["closing_minor"]),
        sequence_number=int(d["sequence_number"]),
        entry_ids=tuple(d.get("entry_ids", ())),
    )


def _inbound(org_id: str, key: str, d: dict[str, Any]) -> InboundFile:
    return InboundFile(
        organization_id=org_id,
        key=key,
        connection_id=d["connection_id"],
        object_name=d["object_name"],
        checksum=d["checksum"],
        received_at=d["received_at"],
        state=d.get("state", "received"),
        outcome=d.get("outcome"),
        message_id=d.get("message_id"),
        version=d.get("version"),
        reasons=tuple(d.get("reasons", ())),
        request_ids=tuple(d.get("request_ids", ())),
        report_object=d.get("report_object"),
    )


def _request(org_id: str, snap: Any) -> PaymentRequest:
    d = snap.to_dict()
    return PaymentRequest(
        organization_id=org_id,
        id=snap.id,
        connection_id=d["connection_id"],
        status=RequestStatus(d["status"]),
        kind=d["kind"],
        message_id=d["message_id"],
        payment_info_id=d.get("payment_info_id", ""),
        debtor_name=d.get("debtor_name", ""),
        debtor_iban=d["debtor_iban"],
        debtor_bic=d.get("debtor_bic"),
        requested_execution_date=date.fromisoformat(d["requested_execution_date"]),
        batch_booking=bool(d.get("batch_booking", True)),
        total_minor=int(d["total_minor"]),
        currency=d["currency"],
        payment_count=int(d["payment_count"]),
        source_object=d.get("source_object", ""),
        decided_by=d.get("decided_by"),
        decision_reason=d.get("decision_reason"),
    )


# ----------------------------------------------------------------------------- repository


class EbicsStore:
    """Every Firestore read and write of the EBICS drop. Writes that a redelivery may repeat
    are `create()` (first writer wins) or idempotent `set()` of the same values."""

    def __init__(self, db: firestore.Client) -> None:
        self.db = db

    def _org(self, org_id: str) -> firestore.DocumentReference:
        return self.db.collection("organizations").document(org_id)

    def _conn_ref(self, org_id: str, connection_id: str) -> firestore.DocumentReference:
        return self._org(org_id).collection("ebics_connections").document(connection_id)

    # -- connections -------------------------------------------------------------
    def create_connection(self, connection: EbicsConnection, limit: int) -> EbicsConnection:
        """Create an active connection unless the company already has `limit` active ones.

        Transactional, so two concurrent setups cannot both take the last slot. Creating a
        connection id that exists returns the stored one (a retried API call).
        Raises PlanLimitReached.
        """
        org_id = connection.organization_id
        ref = self._conn_ref(org_id, connection.id)
        active_query = (
            self._org(org_id)
            .collection("ebics_connections")
            .where(filter=firestore.FieldFilter("status", "==", ConnectionStatus.ACTIVE.value))
        )

        @firestore.transactional
        def run(transaction: firestore.Transaction) -> EbicsConnection:
            existing = ref.get(transaction=transaction)
            if existing.exists:
                return _connection(org_id, existing)
            active = list(active_query.stream(transaction=transaction))
            if len(active) >= limit:
                raise PlanLimitReached(
                    f"{len(active)} active EBICS connection(s); the plan allows {limit}"
                )
            transaction.create(
                ref,
                {
                    "status": ConnectionStatus.ACTIVE.value,
                    "status_reason": "",
                    "ebics_version": connection.ebics_version,
                    "formats": list(connection.formats),
                    "bucket_prefix": connection.bucket_prefix,
                    "created_by": connection.created_by,
                    "connected_at": firestore.SERVER_TIMESTAMP,
                    "updated_at": firestore.SERVER_TIMESTAMP,
                    **(
                        {"onboarding": connection.onboarding.to_dict()}
                        if connection.onboarding is not None
                        else {}
                    ),
                },
            )
            return connection

        run(self.db.transaction())
        stored = self.get_connection(org_id, connection.id)
        assert stored is not None
        return stored

    def get_connection(self, org_id: str, connection_id: str) -> EbicsConnection | None:
        snap = self._conn_ref(org_id, connection_id).get()
        return _connection(org_id, snap) if snap.exists else None

    def list_connections(self, org_id: str, active_only: bool = False) -> list[EbicsConnection]:
        """The company's connections, oldest first."""
        query = self._org(org_id).collection("ebics_connections")
        if active_only:
            query = query.where(
                filter=firestore.FieldFilter("status", "==", ConnectionStatus.ACTIVE.value)
            )
        found = [_connection(org_id, snap) for snap in query.stream()]
        epoch = datetime.min.replace(tzinfo=UTC)
        return sorted(found, key=lambda c: (c.connected_at or epoch, c.id))

    def list_active_connections(self) -> list[EbicsConnection]:
        """Every active connection of every company (a collection-group query)."""
        query = self.db.collection_group("ebics_connections").where(
            filter=firestore.FieldFilter("status", "==", ConnectionStatus.ACTIVE.value)
        )
        return [_connection(snap.reference.parent.parent.id, snap) for snap in query.stream()]

    def set_connection_status(
        self, org_id: str, connection_id: str, status: ConnectionStatus, reason: str = ""
    ) -> None:
        data: dict[str, Any] = {
            "status": status.value,
            "status_reason": reason,
            "updated_at": firestore.SERVER_TIMESTAMP,
        }
        if status is ConnectionStatus.DISCONNECTED:
            data["disconnected_at"] = firestore.SERVER_TIMESTAMP
        self._conn_ref(org_id, connection_id).update(data)

    # -- onboarding and the plan choice --------------------------------------------------
    def transition_onboarding(
        self, org_id: str, connection_id: str, step: Callable[[Onboarding], Onboarding]
    ) -> EbicsConnection:
        """Apply one onboarding step atomically: `step` gets the stored state and returns
        the next one, or raises (out of order: OnboardingStepRefused), and nothing is
        written. Raises NotFound for an unknown connection."""
        ref = self._conn_ref(org_id, connection_id)

        @firestore.transactional
        def run(transaction: firestore.Transaction) -> EbicsConnection:
            snap = ref.get(transaction=transaction)
            if not snap.exists:
                raise NotFound(f"EBICS connection {connection_id} not found in {org_id}")
            current = _connection(org_id, snap)
            if current.onboarding is None:
                raise NotFound(f"EBICS connection {connection_id} has no onboarding")
            following = step(current.onboarding)
            transaction.update(
                ref, {"onboarding": following.to_dict(), "updated_at": firestore.SERVER_TIMESTAMP}
            )
            return replace(current, onboarding=following)

        return run(self.db.transaction())

    def _choice_ref(self, org_id: str) -> firestore.DocumentReference:
        return self._org(org_id).collection("ebics_plan_choice").document("current")

    def get_plan_choice(self, org_id: str) -> PlanChoice | None:
        snap = self._choice_ref(org_id).get()
        return PlanChoice.from_dict(snap.to_dict() or {}) if snap.exists else None

    def set_plan_choice(self, org_id: str, choice: PlanChoice | None) -> None:
        if choice is None:
            self._choice_ref(org_id).delete()
        else:
            self._choice_ref(org_id).set(choice.to_dict())

    # -- transactions and statement state -----------------------------------------------
    def settled_between(
        self, org_id: str, start: datetime | None, end: datetime
    ) -> dict[str, list[SettledTransaction]]:
        """Transactions settled in [start, end) (start None: ever), per account, ordered by
        settlement instant then id. One query per company; the account split is done here,
        so no composite index is needed."""
        query = self._org(org_id).collection("transactions")
        if start is not None:
            query = query.where(filter=firestore.FieldFilter("settled_at", ">=", _utc(start)))
        query = query.where(filter=firestore.FieldFilter("settled_at", "<", _utc(end)))
        per_account: dict[str, list[SettledTransaction]] = {}
        for snap in query.stream():
            found = _settled(snap)
            if found is not None:
                per_account.setdefault(found.account_id, []).append(found)
        for items in per_account.values():
            items.sort(key=lambda t: (t.settled_at, t.id))
        return per_account

    def _days(self, org_id: str, account_id: str) -> firestore.CollectionReference:
        return (
            self._org(org_id)
            .collection("bank_accounts")
            .document(account_id)
            .collection("ebics_statement_days")
        )

    def get_statement_day(self, org_id: str, account_id: str, day: date) -> StatementDay | None:
        snap = self._days(org_id, account_id).document(day.isoformat()).get()
        return _statement_day(account_id, snap.to_dict() or {}) if snap.exists else None

    def get_statement_days(
        self, org_id: str, account_ids: list[str], day: date
    ) -> dict[str, StatementDay]:
        """The states of `day` that exist for these accounts, in one round trip."""
        refs = [self._days(org_id, a).document(day.isoformat()) for a in account_ids]
        found = {}
        for snap in self.db.get_all(refs):
            if snap.exists:
                account_id = snap.reference.parent.parent.id
                found[account_id] = _statement_day(account_id, snap.to_dict() or {})
        return found

    def statement_days_between(
        self, org_id: str, account_id: str, first: date, last: date
    ) -> list[StatementDay]:
        """The account's statement states dated `first` to `last` (inclusive), by date."""
        query = (
            self._days(org_id, account_id)
            .where(filter=firestore.FieldFilter("date", ">=", first.isoformat()))
            .where(filter=firestore.FieldFilter("date", "<=", last.isoformat()))
            .order_by("date")
        )
        return [_statement_day(account_id, snap.to_dict() or {}) for snap in query.stream()]

    def previous_statement_day(
        self, org_id: str, account_id: str, before: date
    ) -> StatementDay | None:
        """The latest statement state of the account dated before `before`, if any."""
        query = (
            self._days(org_id, account_id)
            .where(filter=firestore.FieldFilter("date", "<", before.isoformat()))
            .order_by("date", direction=firestore.Query.DESCENDING)
            .limit(1)
        )
        for snap in query.stream():
            return _statement_day(account_id, snap.to_dict() or {})
        return None

    def create_statement_day(self, org_id: str, state: StatementDay) -> StatementDay:
        """Record the state once; if a run recorded it first, return that one instead."""
        ref = self._days(org_id, state.account_id).document(state.date.isoformat())
        try:
            ref.create(
                {
                    "date": state.date.isoformat(),
                    "currency": state.currency,
                    "opening_minor": state.opening_minor,
                    "closing_minor": state.closing_minor,
                    "sequence_number": state.sequence_number,
                    "entry_ids": list(state.entry_ids),
                    "created_at": firestore.SERVER_TIMESTAMP,
                }
            )
            return state
        except gexc.AlreadyExists:
            return _statement_day(state.account_id, ref.get().to_dict() or {})

    # -- inbound files and MsgId claims ---------------------------------------------
    def _inbound_ref(self, org_id: str, key: str) -> firestore.DocumentReference:
        return self._org(org_id).collection("ebics_inbound_files").document(key)

    @staticmethod
    def inbound_key(object_name: str, checksum: str) -> str:
        return _key(object_name, checksum)

    def claim_inbound_file(self, record: InboundFile) -> tuple[InboundFile, bool]:
        """Record a file seen in an inbox. Returns (the stored record, True if new)."""
        ref = self._inbound_ref(record.organization_id, record.key)
        try:
            ref.create(
                {
                    "connection_id": record.connection_id,
                    "object_name": record.object_name,
                    "checksum": record.checksum,
                    "received_at": _utc(record.received_at),
                    "state": "received",
                }
            )
            return record, True
        except gexc.AlreadyExists:
            return _inbound(record.organization_id, record.key, ref.get().to_dict() or {}), False

    def finish_inbound_file(
        self,
        org_id: str,
        key: str,
        *,
        outcome: str,
        message_id: str | None,
        version: str | None,
        reasons: list[str],
        request_ids: list[str],
        report_object: str | None,
    ) -> None:
        self._inbound_ref(org_id, key).update(
            {
                "state": "done",
                "outcome": outcome,
                "message_id": message_id,
                "version": version,
                "reasons": reasons,
                "request_ids": request_ids,
                "report_object": report_object,
                "finished_at": firestore.SERVER_TIMESTAMP,
            }
        )

    def get_inbound_file(self, org_id: str, key: str) -> InboundFile | None:
        snap = self._inbound_ref(org_id, key).get()
        return _inbound(org_id, key, snap.to_dict() or {}) if snap.exists else None

    def list_inbound_files(self, org_id: str) -> list[InboundFile]:
        return [
            _inbound(org_id, snap.id, snap.to_dict())
            for snap in self._org(org_id).collection("ebics_inbound_files").stream()
        ]

    def claim_message_id(self, org_id: str, claim: MessageIdClaim) -> MessageIdClaim:
        """Claim a MsgId for a file; returns the holder (this claim, or an earlier file's)."""
        ref = self._org(org_id).collection("ebics_message_ids").document(_key(claim.message_id))
        try:
            ref.create(
                {
                    "message_id": claim.message_id,
                    "file_key": claim.file_key,
                    "object_name": claim.object_name,
                    "connection_id": claim.connection_id,
                    "created_at": firestore.SERVER_TIMESTAMP,
                }
            )
            return claim
        except gexc.AlreadyExists:
            d = ref.get().to_dict()
            return MessageIdClaim(
                message_id=d["message_id"],
                file_key=d["file_key"],
                object_name=d["object_name"],
                connection_id=d.get("connection_id", ""),
            )

    # -- payment requests -----------------------------------------------------------
    def _req_ref(self, org_id: str, request_id: str) -> firestore.DocumentReference:
        return self._org(org_id).collection("payment_requests").document(request_id)

    def create_payment_request(self, request: PaymentRequest) -> bool:
        """Create the request and its payments once; False if it already existed.

        The payment chunks are written first (idempotent `set`), the request document last with
        `create()`: a crash in between leaves payments that the retry overwrites, and a
        request document is only ever visible with all its payments.
        """
        ref = self._req_ref(request.organization_id, request.id)
        if ref.get().exists:
            return False
        chunks = ref.collection("payment_chunks")
        batch = self.db.batch()
        pending = 0
        for number, start in enumerate(range(0, len(request.payments), PAYMENTS_PER_CHUNK)):
            part = request.payments[start : start + PAYMENTS_PER_CHUNK]
            batch.set(
                chunks.document(f"{number:05d}"),
                {"first_index": start, "payments": [p.to_dict() for p in part]},
            )
            pending += 1
            if pending == _CHUNKS_PER_COMMIT:
                batch.commit()
                batch = self.db.batch()
                pending = 0
        if pending:
            batch.commit()
        try:
            ref.create(
                {
                    **request._data(),
                    "created_at": firestore.SERVER_TIMESTAMP,
                    "decided_at": None,
                }
            )
            return True
        except gexc.AlreadyExists:
            return False

    def get_payment_request(
        self, org_id: str, request_id: str, with_payments: bool = False
    ) -> PaymentRequest | None:
        ref = self._req_ref(org_id, request_id)
        snap = ref.get()
        if not snap.exists:
            return None
        request = _request(org_id, snap)
        if not with_payments:
            return request
        payments = tuple(
            RequestedPayment.from_dict(p)
            for chunk in ref.collection("payment_chunks").order_by("__name__").stream()
            for p in chunk.to_dict().get("payments", [])
        )
        return PaymentRequest(**{**request.__dict__, "payments": payments})

    def list_payment_requests(
        self,
        org_id: str,
        status: RequestStatus | None = None,
        connection_id: str | None = None,
    ) -> list[PaymentRequest]:
        query = self._org(org_id).collection("payment_requests")
        if status is not None:
            query = query.where(filter=firestore.FieldFilter("status", "==", status.value))
        found = [_request(org_id, snap) for snap in query.stream()]
        if connection_id is not None:
            # Filtered here rather than in the query: no composite index to maintain.
            found = [r for r in found if r.connection_id == connection_id]
        return sorted(found, key=lambda r: r.id)

    def decide_payment_request(
        self,
        org_id: str,
        request_id: str,
        status: RequestStatus,
        decided_by: str,
        reason: str = "",
        check: Callable[[PaymentRequest], None] | None = None,
    ) -> PaymentRequest:
        """Move a pending request to `status`, atomically.

        The same decision by the same member again is a no-op (a retried call); any other
        decision on a request that is no longer pending raises AlreadyDecided. `check` runs
        on the current request and may raise to refuse.
        Raises NotFound when the request does not exist.

        Optimistic, not a transaction: the write is conditional on the request not having
        changed since it was read, so of concurrent deciders exactly one writes and the
        others read the decision and get AlreadyDecided. (Under a transaction, 40
        concurrent deciders held read locks on the same document and 39 ran out of retries
        on the emulator's "Transaction lock timeout".)
        """
        ref = self._req_ref(org_id, request_id)
        for _ in range(_DECIDE_ATTEMPTS):
            snap = ref.get()
            if not snap.exists:
                raise NotFound(f"payment request {request_id} not found")
            current = _request(org_id, snap)
            if current.status is not RequestStatus.PENDING_APPROVAL:
                if current.status is status and current.decided_by == decided_by:
                    break
                raise AlreadyDecided(
                    f"payment request {request_id} is already {current.status.value}"
                )
            if check is not None:
                check(current)
            try:
                ref.update(
                    {
                        "status": status.value,
                        "decided_by": decided_by,
                        "decision_reason": reason,
                        "decided_at": firestore.SERVER_TIMESTAMP,
                    },
                    option=self.db.write_option(last_update_time=snap.update_time),
                )
            except gexc.FailedPrecondition:
                continue  # written by someone else meanwhile: read it again
            break
        else:
            raise AlreadyDecided(f"payment request {request_id} is being decided by another call")
        decided = self.get_payment_request(org_id, request_id)
        assert decided is not None
        return decided


# ----------------------------------------------------------------------------- drop bucket


class DropBucket:
    """The EBICS drop bucket: plain reads and writes of named objects.

    Not content-addressed like `BlobStore`: the EBICS server needs the EBICS names. Writes
    are idempotent because every name we write is deterministic and its content is too.
    """

    def __init__(self, client: storage.Client, bucket_name: str) -> None:
        self.client = client
        self.bucket_name = bucket_name
        self.bucket = client.bucket(bucket_name)

    def ensure_bucket(self) -> None:
        """Local runs and tests only: the production bucket comes from Terraform."""
        if self.client.lookup_bucket(self.bucket_name) is None:
            self.client.create_bucket(self.bucket_name)

    def read(self, name: str) -> bytes | None:
        """The object's bytes, or None when it does not exist (deleted since the event)."""
        try:
            return self.bucket.blob(name).download_as_bytes()
        except gexc.NotFound:
            return None

    def size(self, name: str) -> int | None:
        """The object's size in bytes (a metadata read), or None when it does not exist."""
        blob = self.bucket.get_blob(name)
        return None if blob is None else int(blob.size or 0)

    def exists(self, name: str) -> bool:
        return self.bucket.blob(name).exists()

    def write(self, name: str, data: bytes, content_type: str) -> None:
        self.bucket.blob(name).upload_from_string(data, content_type=content_type)

    def list(self, prefix: str) -> list[str]:
        return sorted(blob.name for blob in self.client.list_blobs(self.bucket, prefix=prefix))
