"""Firestore writes of a person's matching decisions, and the learned aliases they teach.

- Attaching by hand writes, in one transaction, the document (`status` matched,
  `transaction_id`, `match_source` "manual", `matched_by`, `match_reasons`) and the
  transaction (`attachment_ids`). The engine never releases a manual attachment.
- Detaching by hand sets the document `unmatched` and adds the transaction to its
  `rejected_transaction_ids`: `FirestoreStore.attach` (the engine's only way to attach)
  refuses that pair forever after.
- `organizations/{org}/learned_aliases/{id}`: what a manual attachment teaches matching:
  the bank's counterparty text (`descriptor`) and/or IBAN (`counterparty_iban`) pays the
  document's supplier, known by its name (`supplier`), VAT id (`supplier_vat`) and/or IBAN
  (`supplier_iban`), with `created_by`, `created_at`, `document_id`, `transaction_id`.
  Listed and removable through the API; the matching engine reads them per organization.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from google.cloud import firestore

from shared.domain.entities import DocumentStatus
from shared.errors import Conflict, NotFound
from shared.log import get_logger
from shared.matching.aliases import MAX_ALIASES
from shared.store.pages import one_page

log = get_logger(__name__)


class ManualMatchRefused(Conflict):
    """The attachment or detachment cannot be done; the message says why."""


class NotFoundError(NotFound):
    pass


@dataclass(frozen=True)
class LearnedAlias:
    """What one attachment by hand taught: the bank side (the counterparty text and/or
    IBAN) pays the document side (the supplier's name, VAT id and/or IBAN). `id` is the
    engine's (`learn_alias`): the same pair taught twice is stored once."""

    id: str
    descriptor: str  # the transaction's counterparty text ("" when only its IBAN teaches)
    supplier: str  # the document's supplier name ("" when only its VAT or IBAN teaches)
    created_by: str
    created_at: datetime
    document_id: str
    transaction_id: str
    supplier_vat: str | None = None
    supplier_iban: str | None = None
    counterparty_iban: str | None = None


class ManualMatchStore:
    def __init__(self, db: firestore.Client) -> None:
        self.db = db

    def _org(self, org_id: str) -> firestore.DocumentReference:
        return self.db.collection("organizations").document(org_id)

    def attach(
        self, org_id: str, doc_id: str, tx_id: str, member_id: str, now: datetime
    ) -> dict[str, Any]:
        """Attach by hand; returns the transaction's fields (for the learned alias)."""
        org = self._org(org_id)
        doc_ref = org.collection("documents").document(doc_id)
        tx_ref = org.collection("transactions").document(tx_id)

        @firestore.transactional
        def run(transaction: firestore.Transaction) -> dict[str, Any]:
            doc_snap = doc_ref.get(transaction=transaction)
            tx_snap = tx_ref.get(transaction=transaction)
            if not doc_snap.exists:
                raise NotFoundError(f"document {doc_id} not found")
            if not tx_snap.exists:
                raise NotFoundError(f"transaction {tx_id} not found")
            doc, tx = doc_snap.to_dict() or {}, tx_snap.to_dict() or {}
            if tx.get("status") in ("declined", "reversed"):
                raise ManualMatchRefused(f"transaction {tx_id} was {tx['status']}")
            if doc.get("status") == DocumentStatus.REFUSED.value:
                raise ManualMatchRefused(f"document {doc_id} was refused: not a usable document")
            current = doc.get("transaction_id")
            attachments = list(tx.get("attachment_ids") or [])
            if current == tx_id and doc_id in attachments and doc.get("match_source") == "manual":
                return tx
            if current not in (None, tx_id):
                raise ManualMatchRefused(
                    f"document {doc_id} is attached to {current}: detach it first"
                )
            if attachments and attachments != [doc_id]:
                raise ManualMatchRefused(f"transaction {tx_id} already has an attachment")
            rejected = [t for t in doc.get("rejected_transaction_ids") or [] if t != tx_id]
            transaction.update(tx_ref, {"attachment_ids": [doc_id]})
            transaction.update(
                doc_ref,
                {
                    "transaction_id": tx_id,
                    "status": DocumentStatus.MATCHED.value,
                    "match_source": "manual",
                    "matched_by": member_id,
                    "match_score": None,
                    "match_reasons": [f"attached by hand by {member_id}"],
                    "match_flags": [],
                    "matched_at": now,
                    "rejected_transaction_ids": rejected,
                },
            )
            return tx

        return run(self.db.transaction())

    def detach(self, org_id: str, doc_id: str, member_id: str, now: datetime) -> str | None:
        """Detach by hand; the engine will never attach this pair again. Returns the
        transaction it was attached to (None: it was not attached; idempotent)."""
        org = self._org(org_id)
        doc_ref = org.collection("documents").document(doc_id)

        @firestore.transactional
        def run(transaction: firestore.Transaction) -> str | None:
            doc_snap = doc_ref.get(transaction=transaction)
            if not doc_snap.exists:
                raise NotFoundError(f"document {doc_id} not found")
            doc = doc_snap.to_dict() or {}
            tx_id = doc.get("transaction_id")
            if tx_id is None:
                return None
            tx_ref = org.collection("transactions").document(tx_id)
            tx_snap = tx_ref.get(transaction=transaction)
            if tx_snap.exists:
                attachments = [
                    a for a in (tx_snap.to_dict() or {}).get("attachment_ids") or [] if a != doc_id
                ]
                transaction.update(tx_ref, {"attachment_ids": attachments})
            rejected = sorted(set(doc.get("rejected_transaction_ids") or []) | {tx_id})
            transaction.update(
                doc_ref,
                {
                    "transaction_id": None,
                    "status": DocumentStatus.UNMATCHED.value,
                    "match_source": "manual",
                    "matched_by": member_id,
                    "match_score": None,
                    "match_reasons": [f"detached by hand by {member_id}"],
                    "match_flags": [],
                    "matched_at": now,
                    "rejected_transaction_ids": rejected,
                },
            )
            return tx_id

        return run(self.db.transaction())

    # -- learned aliases --------------------------------------------------------
    def put_alias(self, org_id: str, alias: LearnedAlias) -> None:
        self._org(org_id).collection("learned_aliases").document(alias.id).set(
            {
                "descriptor": alias.descriptor,
                "supplier": alias.supplier,
                "created_by": alias.created_by,
                "created_at": alias.created_at,
                "document_id": alias.document_id,
                "transaction_id": alias.transaction_id,
                "supplier_vat": alias.supplier_vat,
                "supplier_iban": alias.supplier_iban,
                "counterparty_iban": alias.counterparty_iban,
            }
        )

    def list_aliases(self, org_id: str) -> list[LearnedAlias]:
        """Every alias the organization taught, up to the engine's bound (`MAX_ALIASES`,
        a lifetime of manual matches); past it, the rest is named in the log, not dropped
        in silence."""
        out: list[LearnedAlias] = []
        query = self._org(org_id).collection("learned_aliases").limit(MAX_ALIASES + 1)
        for snap in query.stream():
            if len(out) == MAX_ALIASES:
                log.warning(
                    "learned aliases beyond the bound are not used",
                    organization_id=org_id,
                    bound=MAX_ALIASES,
                )
                break
            out.append(_alias(snap))
        return sorted(out, key=lambda a: (a.descriptor, a.supplier))

    def page_aliases(
        self, org_id: str, limit: int, after: str | None = None
    ) -> tuple[list[LearnedAlias], str | None]:
        """At most `limit` aliases by descriptor, after the alias `after` (the last of the
        previous page); and the id to continue after, None at the end. Raises NotFound
        when `after` is not one of the organization's aliases."""
        collection = self._org(org_id).collection("learned_aliases")
        query = collection.order_by("descriptor").order_by("__name__")
        snaps, last = one_page(query, collection, limit, after)
        if snaps is None:
            raise NotFoundError(f"alias {after} not found")
        return [_alias(snap) for snap in snaps], last

    def delete_alias(self, org_id: str, alias: str) -> bool:
        ref = self._org(org_id).collection("learned_aliases").document(alias)
        if not ref.get().exists:
            return False
        ref.delete()
        return True


def _alias(snap: Any) -> LearnedAlias:
    d = snap.to_dict() or {}
    return LearnedAlias(
        snap.id,
        d.get("descriptor", ""),
        d.get("supplier", ""),
        d.get("created_by", ""),
        d["created_at"],
        d.get("document_id", ""),
        d.get("transaction_id", ""),
        d.get("supplier_vat"),
        d.get("supplier_iban"),
        d.get("counterparty_iban"),
    )
