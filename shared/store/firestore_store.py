"""Firestore repositories: the only module that maps entities to documents.

Layout (see docs/DATA_MODEL.md): every tenant's data lives under
`organizations/{org_id}/...`, so a query can never cross tenants by accident.
Top-level collections hold only what must be looked up before the tenant is
known: `phone_directory` (WhatsApp sender -> companies) and `idempotency_keys`.

Amounts are stored as integer minor units plus a currency code; instants as
Firestore timestamps (UTC); calendar dates as ISO strings.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import Any

from google.api_core import exceptions as gexc
from google.cloud import firestore

from shared.domain.entities import (
    BankAccount,
    Document,
    DocumentStatus,
    DocumentType,
    Member,
    OperationType,
    Organization,
    Plan,
    Role,
    Transaction,
)
from shared.domain.money import Money
from shared.errors import Conflict, NotFound, RetryLater
from shared.store.pages import one_page


@lru_cache(maxsize=4)
def firestore_client(project: str) -> firestore.Client:
    return firestore.Client(project=project)


class DocumentBusy(RetryLater):
    """Another run is processing this document; retry later."""


class AlreadyAttached(Conflict):
    """The transaction or the document is already attached elsewhere."""


_LONG_AGO = datetime(1970, 1, 1, tzinfo=UTC)


def _member_of(snap: Any) -> Member:
    """A member from its document in organizations/{org}/members."""
    d = snap.to_dict() or {}
    return Member(
        user_id=snap.id,
        organization_id=snap.reference.parent.parent.id,
        role=Role(d["role"]),
        phone=d.get("phone"),
        can_transfer=bool(d.get("can_transfer")),
        name=d.get("name", ""),
        locale=d.get("locale"),
        time_zone=d.get("time_zone"),
    )


@dataclass(frozen=True)
class Claim:
    """The answer of `FirestoreStore.claim_for`: `state` is claimed, resumed, busy or done;
    `resumed_from` is when the dead holder of a resumed claim took it."""

    state: str
    resumed_from: datetime | None = None


@dataclass(frozen=True)
class PhoneEntry:
    phone: str
    user_id: str
    organization_ids: tuple[str, ...]
    active_organization_id: str | None


def _money_fields(prefix: str, money: Money | None) -> dict[str, Any]:
    if money is None:
        return {f"{prefix}_minor": None, f"{prefix}_currency": None}
    return {f"{prefix}_minor": money.minor_units, f"{prefix}_currency": money.currency}


def _money(data: dict[str, Any], prefix: str) -> Money | None:
    minor = data.get(f"{prefix}_minor")
    currency = data.get(f"{prefix}_currency")
    return None if minor is None or not currency else Money.from_minor(minor, currency)


def _stated_money(data: dict[str, Any], prefix: str) -> Money:
    """An amount every such record states (a transaction's): its absence is a broken record."""
    money = _money(data, prefix)
    if money is None:
        raise ValueError(f"the stored record has no {prefix}")
    return money


def _as_utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    if value.tzinfo is None:
        raise ValueError("naive datetime refused: instants must carry their timezone")
    return value.astimezone(UTC)


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


_NOT_MATCHABLE = frozenset({"declined", "reversed"})


class FirestoreStore:
    def __init__(self, client: firestore.Client) -> None:
        self.db = client

    # -- references ---------------------------------------------------------
    def _org(self, org_id: str) -> firestore.DocumentReference:
        return self.db.collection("organizations").document(org_id)

    def _tx_ref(self, org_id: str, tx_id: str) -> firestore.DocumentReference:
        return self._org(org_id).collection("transactions").document(tx_id)

    def _doc_ref(self, org_id: str, doc_id: str) -> firestore.DocumentReference:
        return self._org(org_id).collection("documents").document(doc_id)

    # -- idempotency --------------------------------------------------------
    def claim(self, key: str, **info: Any) -> bool:
        """Record `key` once. True for the first caller, False for every later one."""
        try:
            self._idempotency_key(key).create(
                {"key": key, "created_at": firestore.SERVER_TIMESTAMP, **info}
            )
            return True
        except gexc.AlreadyExists:
            return False

    def claim_for(self, key: str, lease: timedelta, now: datetime, **info: Any) -> Claim:
        """Claim `key` for a piece of work that may die half-way (a send to a vendor).

        "claimed": ours, until `now + lease` unless `finish(key)` is called first;
        "done": finished by an earlier caller; "busy": another caller holds a live claim.
        A claim whose holder died without finishing runs out and the next caller takes it
        over ("resumed", with when the dead holder claimed it: the caller may find its
        work done at the vendor), so the work is done at least once instead of never.
        """
        ref = self._idempotency_key(key)
        at = now.astimezone(UTC)

        @firestore.transactional
        def take(transaction: firestore.Transaction) -> Claim:
            snap = ref.get(transaction=transaction)
            data = (snap.to_dict() or {}) if snap.exists else None
            resumed_from = None
            if data is not None:
                pending_until = data.get("pending_until")
                if pending_until is None:
                    return Claim("done")  # finished, or a claim made by `claim` (no lease)
                if pending_until > at:
                    return Claim("busy")
                # The first holder's start: any of them may have done the work.
                resumed_from = (
                    data.get("first_claimed_at") or data.get("claimed_at") or data.get("created_at")
                )
            transaction.set(
                ref,
                {
                    "key": key,
                    "created_at": firestore.SERVER_TIMESTAMP,
                    "claimed_at": at,
                    "first_claimed_at": resumed_from or at,
                    "pending_until": at + lease,
                    **info,
                },
            )
            if resumed_from is not None:
                return Claim("resumed", resumed_from)
            return Claim("claimed")

        return take(self.db.transaction())

    def finish(self, key: str) -> None:
        """The claimed work is done: later callers get "done" for good."""
        self._idempotency_key(key).update(
            {"pending_until": None, "done_at": firestore.SERVER_TIMESTAMP}
        )

    def expire(self, key: str) -> None:
        """End a `claim_for` claim whose work failed, perhaps half-way: the next caller
        takes it over at once, as "resumed" (it may find the work done at the vendor)."""
        self._idempotency_key(key).update({"pending_until": _LONG_AGO})

    def release(self, key: str) -> None:
        """Forget a claim whose work failed, so that a retry can do it."""
        self._idempotency_key(key).delete()

    def _idempotency_key(self, key: str) -> firestore.DocumentReference:
        return self.db.collection("idempotency_keys").document(
            hashlib.sha256(key.encode()).hexdigest()
        )

    # -- organizations and members -----------------------------------------
    def put_organization(self, org: Organization) -> None:
        self._org(org.id).set(
            {
                "legal_name": org.legal_name,
                "country": org.country,
                "plan": org.plan.value,
                "vat": org.vat,
                "siren": org.siren,
            }
        )

    def get_organization(self, org_id: str) -> Organization | None:
        snap = self._org(org_id).get()
        if not snap.exists:
            return None
        d = snap.to_dict() or {}
        return Organization(
            id=org_id,
            legal_name=d["legal_name"],
            country=d["country"],
            plan=Plan(d["plan"]),
            vat=d.get("vat"),
            siren=d.get("siren"),
        )

    def put_member(self, member: Member) -> None:
        self._org(member.organization_id).collection("members").document(member.user_id).set(
            {
                "role": member.role.value,
                "phone": member.phone,
                "can_transfer": member.can_transfer,
                "name": member.name,
                "locale": member.locale,
                "time_zone": member.time_zone,
            }
        )
        if member.phone:
            self.register_phone(member.phone, member.user_id, member.organization_id)

    def get_member(self, org_id: str, user_id: str) -> Member | None:
        snap = self._org(org_id).collection("members").document(user_id).get()
        return _member_of(snap) if snap.exists else None

    def register_phone(self, phone: str, user_id: str, org_id: str) -> None:
        ref = self.db.collection("phone_directory").document(phone)

        @firestore.transactional
        def update(transaction: firestore.Transaction) -> None:
            snap = ref.get(transaction=transaction)
            data = snap.to_dict() or {}
            orgs = list(data.get("organization_ids", []))
            if org_id not in orgs:
                orgs.append(org_id)
            transaction.set(
                ref,
                {
                    "user_id": user_id,
                    "organization_ids": orgs,
                    "active_organization_id": data.get("active_organization_id") or org_id,
                },
            )

        update(self.db.transaction())

    def members_with_phones(self) -> list[Member]:
        """Every member of every organization who has a phone number (collection group)."""
        query = self.db.collection_group("members").where(
            filter=firestore.FieldFilter("phone", ">", "")
        )
        return [_member_of(snap) for snap in query.stream()]

    def members_with_phone(self, phone: str) -> list[Member]:
        """The members of any organization with this phone number (E.164, as the feed
        stores it)."""
        query = self.db.collection_group("members").where(
            filter=firestore.FieldFilter("phone", "==", phone)
        )
        return [_member_of(snap) for snap in query.stream()]

    def phone_directory(self) -> list[PhoneEntry]:
        return [
            PhoneEntry(
                phone=snap.id,
                user_id=d["user_id"],
                organization_ids=tuple(d.get("organization_ids", [])),
                active_organization_id=d.get("active_organization_id"),
            )
            for snap in self.db.collection("phone_directory").stream()
            for d in [snap.to_dict() or {}]
        ]

    def put_phone_entry(self, entry: PhoneEntry) -> None:
        self.db.collection("phone_directory").document(entry.phone).set(
            {
                "user_id": entry.user_id,
                "organization_ids": list(entry.organization_ids),
                "active_organization_id": entry.active_organization_id,
            }
        )

    def delete_phone_entry(self, phone: str) -> None:
        self.db.collection("phone_directory").document(phone).delete()

    def lookup_phone(self, phone: str) -> PhoneEntry | None:
        snap = self.db.collection("phone_directory").document(phone).get()
        if not snap.exists:
            return None
        d = snap.to_dict() or {}
        return PhoneEntry(
            phone=phone,
            user_id=d["user_id"],
            organization_ids=tuple(d.get("organization_ids", [])),
            active_organization_id=d.get("active_organization_id"),
        )

    def set_active_organization(self, phone: str, org_id: str) -> None:
        entry = self.lookup_phone(phone)
        if entry is None or org_id not in entry.organization_ids:
            raise PermissionError(f"{org_id} is not one of this number's companies")
        self.db.collection("phone_directory").document(phone).update(
            {"active_organization_id": org_id}
        )

    # -- bank accounts and transactions ------------------------------------
    def put_account(self, account: BankAccount) -> None:
        self._org(account.organization_id).collection("bank_accounts").document(account.id).set(
            {
                "iban": account.iban,
                "currency": account.currency,
                "name": account.name,
                "bic": account.bic,
            }
        )

    def list_accounts(self, org_id: str) -> list[BankAccount]:
        return [
            BankAccount(
                id=snap.id,
                organization_id=org_id,
                iban=d["iban"],
                currency=d["currency"],
                name=d.get("name", ""),
                bic=d.get("bic"),
            )
            for snap in self._org(org_id).collection("bank_accounts").stream()
            for d in [snap.to_dict() or {}]
        ]

    def put_transaction(self, tx: Transaction) -> None:
        data = {
            "account_id": tx.account_id,
            **_money_fields("amount", tx.amount),
            **_money_fields("local_amount", tx.local_amount),
            "counterparty": tx.counterparty,
            "operation_type": tx.operation_type.value,
            "emitted_at": _as_utc(tx.emitted_at),
            "settled_at": _as_utc(tx.settled_at),
            "reference": tx.reference,
            "counterparty_iban": tx.counterparty_iban,
            "attachment_ids": list(tx.attachment_ids),
            "initiator_id": tx.initiator_id,
        }
        self._tx_ref(tx.organization_id, tx.id).set(data)

    def _transaction(self, org_id: str, snap: Any) -> Transaction:
        d = snap.to_dict() or {}
        return Transaction(
            id=snap.id,
            organization_id=org_id,
            account_id=d["account_id"],
            amount=_stated_money(d, "amount"),
            local_amount=_money(d, "local_amount"),
            counterparty=d.get("counterparty", ""),
            operation_type=OperationType(d["operation_type"]),
            emitted_at=d["emitted_at"],
            settled_at=d.get("settled_at"),
            reference=d.get("reference"),
            counterparty_iban=d.get("counterparty_iban"),
            attachment_ids=tuple(d.get("attachment_ids", [])),
            initiator_id=d.get("initiator_id"),
        )

    def get_transaction(self, org_id: str, tx_id: str) -> Transaction | None:
        snap = self._tx_ref(org_id, tx_id).get()
        return self._transaction(org_id, snap) if snap.exists else None

    def list_transactions(
        self, org_id: str, since: datetime | None = None, until: datetime | None = None
    ) -> list[Transaction]:
        query = self._org(org_id).collection("transactions")
        if since is not None:
            query = query.where(filter=firestore.FieldFilter("emitted_at", ">=", _as_utc(since)))
        if until is not None:
            query = query.where(filter=firestore.FieldFilter("emitted_at", "<", _as_utc(until)))
        # Declined or reversed payments (the feed's `status`) are never matched again.
        return [
            self._transaction(org_id, snap)
            for snap in query.stream()
            if (snap.to_dict() or {}).get("status") not in _NOT_MATCHABLE
        ]

    # -- documents ----------------------------------------------------------
    def create_document(self, doc: Document) -> bool:
        """Create the document once; False if it already exists (a redelivery)."""
        try:
            self._doc_ref(doc.organization_id, doc.id).create(self._document_data(doc))
            return True
        except gexc.AlreadyExists:
            return False

    def _document_data(self, doc: Document) -> dict[str, Any]:
        return {
            "source": doc.source,
            "checksum": doc.checksum,
            "storage_uri": doc.storage_uri,
            "media_type": doc.media_type,
            "received_at": _as_utc(doc.received_at),
            "status": doc.status.value,
            "document_type": doc.document_type.value if doc.document_type else None,
            "supplier_name": doc.supplier_name,
            "issue_date": doc.issue_date.isoformat() if doc.issue_date else None,
            "due_date": doc.due_date.isoformat() if doc.due_date else None,
            **_money_fields("total", doc.total),
            "invoice_number": doc.invoice_number,
            "transaction_id": doc.transaction_id,
            "match_score": doc.match_score,
            "match_reasons": list(doc.match_reasons),
            "match_flags": list(doc.match_flags),
            "refusal_reason": doc.refusal_reason,
            "refusal_code": doc.refusal_code,
            "fields": doc.fields,
            "origin": doc.origin,
        }

    def _document(self, org_id: str, snap: Any) -> Document:
        d = snap.to_dict() or {}
        return Document(
            id=snap.id,
            organization_id=org_id,
            source=d["source"],
            checksum=d["checksum"],
            storage_uri=d["storage_uri"],
            media_type=d.get("media_type"),
            received_at=d["received_at"],
            status=DocumentStatus(d["status"]),
            document_type=DocumentType(d["document_type"]) if d.get("document_type") else None,
            supplier_name=d.get("supplier_name"),
            issue_date=_date(d.get("issue_date")),
            due_date=_date(d.get("due_date")),
            total=_money(d, "total"),
            invoice_number=d.get("invoice_number"),
            transaction_id=d.get("transaction_id"),
            match_score=d.get("match_score"),
            match_reasons=tuple(d.get("match_reasons", [])),
            match_flags=tuple(d.get("match_flags", [])),
            refusal_reason=d.get("refusal_reason"),
            refusal_code=d.get("refusal_code"),
            fields=d.get("fields") or {},
            origin=d.get("origin") or {},
        )

    def get_document(self, org_id: str, doc_id: str) -> Document | None:
        snap = self._doc_ref(org_id, doc_id).get()
        return self._document(org_id, snap) if snap.exists else None

    def list_documents(self, org_id: str, status: DocumentStatus | None = None) -> list[Document]:
        query = self._org(org_id).collection("documents")
        if status is not None:
            query = query.where(filter=firestore.FieldFilter("status", "==", status.value))
        return [self._document(org_id, snap) for snap in query.stream()]

    def page_documents(
        self, org_id: str, status: DocumentStatus | None, limit: int, after: str | None = None
    ) -> tuple[list[Document], str | None]:
        """At most `limit` documents, newest received first, after the document `after`
        (the last of the previous page); and the id to continue after, None at the end.
        Firestore orders and cuts the pages, so a listing never reads the whole
        collection. Raises NotFound when `after` is not one of the organization's."""
        newest = firestore.Query.DESCENDING
        collection = self._org(org_id).collection("documents")
        if status is None:
            query = collection.order_by("received_at", direction=newest)
        else:
            # One expression from `collection(...)`: the index test reads such chains to
            # check that their composite index (status, received_at desc) is declared.
            query = (
                self._org(org_id)
                .collection("documents")
                .where(filter=firestore.FieldFilter("status", "==", status.value))
                .order_by("received_at", direction=newest)
            )
        # The id breaks ties of the same instant, so a page boundary never skips one.
        query = query.order_by("__name__", direction=newest)
        snaps, last = one_page(query, collection, limit, after)
        if snaps is None:
            raise NotFound(f"document {after} not found")
        return [self._document(org_id, snap) for snap in snaps], last

    def organizations_with_documents(self, status: DocumentStatus) -> list[str]:
        """Ids of the organizations holding documents in `status` (a collection-group query)."""
        query = self.db.collection_group("documents").where(
            filter=firestore.FieldFilter("status", "==", status.value)
        )
        return sorted({snap.reference.parent.parent.id for snap in query.select([]).stream()})

    def save_document(self, doc: Document) -> bool:
        """Write the document, unless it is already matched and `doc` is not (a stale writer).

        Returns False when the write was refused. A matched document is only ever
        changed through `attach()`, so a late or concurrent run cannot undo a match.
        """
        ref = self._doc_ref(doc.organization_id, doc.id)
        data = self._document_data(doc)

        @firestore.transactional
        def run(transaction: firestore.Transaction) -> bool:
            snap = ref.get(transaction=transaction)
            stored = snap.to_dict() or {}
            if (
                stored.get("status") == DocumentStatus.MATCHED.value
                and data["status"] != stored["status"]
            ):
                return False
            if "processing_until" in stored:
                data["processing_until"] = stored["processing_until"]
            transaction.set(ref, data)
            return True

        return run(self.db.transaction())

    def begin_processing(self, org_id: str, doc_id: str, lease: timedelta) -> Document:
        """Take the processing lease of a document (one processor at a time).

        Raises DocumentBusy while another run holds a live lease; a run that died
        leaves a lease that expires, after which a redelivery takes over.
        """
        ref = self._doc_ref(org_id, doc_id)

        @firestore.transactional
        def run(transaction: firestore.Transaction) -> Document:
            snap = ref.get(transaction=transaction)
            if not snap.exists:
                raise NotFound(f"document {doc_id} of organization {org_id} not found")
            document = self._document(org_id, snap)
            if document.status == DocumentStatus.FAILED:
                # A replay after a fix: the document is tried again from the start.
                document = replace(document, status=DocumentStatus.RECEIVED)
                transaction.update(ref, {"status": DocumentStatus.RECEIVED.value})
            if document.status != DocumentStatus.RECEIVED:
                return document
            now = datetime.now(UTC)
            until = (snap.to_dict() or {}).get("processing_until")
            if until is not None and until > now:
                raise DocumentBusy(
                    f"document {doc_id} is being processed until {until.isoformat()}"
                )
            transaction.update(ref, {"processing_until": now + lease})
            return document

        return run(self.db.transaction())

    def end_processing(self, org_id: str, doc_id: str) -> None:
        """Give the processing lease back (a run that failed and will be retried)."""
        try:
            self._doc_ref(org_id, doc_id).update({"processing_until": firestore.DELETE_FIELD})
        except gexc.NotFound:
            pass

    def mark_failed(self, org_id: str, doc_id: str, reason: str) -> Document | None:
        """Record that processing failed after its retries (the dead letter).

        Only a document still `received` becomes `failed` (one already matched, waiting or
        refused keeps its outcome: returns None). Raises DocumentBusy while a run holds a
        live lease: that run may still succeed, so the dead letter is retried later.
        """
        ref = self._doc_ref(org_id, doc_id)

        @firestore.transactional
        def run(transaction: firestore.Transaction) -> Document | None:
            snap = ref.get(transaction=transaction)
            if not snap.exists:
                raise NotFound(f"document {doc_id} of organization {org_id} not found")
            document = self._document(org_id, snap)
            if document.status not in (DocumentStatus.RECEIVED, DocumentStatus.FAILED):
                return None
            until = (snap.to_dict() or {}).get("processing_until")
            if until is not None and until > datetime.now(UTC):
                raise DocumentBusy(f"document {doc_id} is being processed; dead letter later")
            transaction.update(
                ref,
                {
                    "status": DocumentStatus.FAILED.value,
                    "failure_reason": reason[:1000],
                    "failed_at": firestore.SERVER_TIMESTAMP,
                },
            )
            return replace(document, status=DocumentStatus.FAILED)

        return run(self.db.transaction())

    def attach(
        self, org_id: str, doc_id: str, tx_id: str, score: float, reasons: Iterable[str]
    ) -> None:
        """Attach a document to a transaction, atomically, at most once.

        Re-attaching the same pair is a no-op (a redelivered message). Raises
        AlreadyAttached if the transaction holds another document or the
        document is attached to another transaction.
        """
        doc_ref = self._doc_ref(org_id, doc_id)
        tx_ref = self._tx_ref(org_id, tx_id)

        @firestore.transactional
        def run(transaction: firestore.Transaction) -> None:
            doc_snap = doc_ref.get(transaction=transaction)
            tx_snap = tx_ref.get(transaction=transaction)
            if not doc_snap.exists or not tx_snap.exists:
                raise NotFound(f"document {doc_id} or transaction {tx_id} not found")
            current_tx = doc_snap.get("transaction_id")
            attachments = list((tx_snap.to_dict() or {}).get("attachment_ids", []))
            if current_tx == tx_id and doc_id in attachments:
                return
            if current_tx not in (None, tx_id):
                raise AlreadyAttached(f"document {doc_id} is attached to {current_tx}")
            if tx_id in ((doc_snap.to_dict() or {}).get("rejected_transaction_ids") or []):
                # A person detached this pair: the engine never attaches it again.
                raise AlreadyAttached(f"document {doc_id} was detached from {tx_id} by hand")
            if attachments and attachments != [doc_id]:
                raise AlreadyAttached(f"transaction {tx_id} already has an attachment")
            transaction.update(tx_ref, {"attachment_ids": [doc_id]})
            transaction.update(
                doc_ref,
                {
                    "transaction_id": tx_id,
                    "status": DocumentStatus.MATCHED.value,
                    "match_score": score,
                    "match_reasons": list(reasons),
                    "match_flags": [],
                    "matched_at": firestore.SERVER_TIMESTAMP,
                },
            )

        run(self.db.transaction())


def default_store(project: str) -> FirestoreStore:
    return FirestoreStore(firestore_client(project))


def now_utc() -> datetime:
    return datetime.now(UTC)
