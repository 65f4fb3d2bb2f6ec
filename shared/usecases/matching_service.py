"""The one matching service: an organization's documents against its bank transactions.

Used by the WhatsApp processor, rematch and the Drive Dropzone, so they agree on:

- the lines the engine sees, built from the stored entities (`transaction_line`,
  `document_line`; no JSON round trip for transactions);
- the checksum of a part of a multi-invoice file: `{file checksum}#{part}`, so invoice 2 of
  a file is never taken for a copy of invoice 1, whichever job matches it (the processor,
  rematch or the Dropzone);
- a document whose stored fields cannot make a matching line (a malformed amount or
  currency) is answered "cannot be matched" with the reason, instead of failing the job;
- the policy (`MatchingPolicy`, injectable) and the transaction window around the documents;
- a document answering a receipt reminder is tried against the reminded transaction first.

Hooks left for the features built on it:
- `aliases(org_id)`: the organization's learned aliases (`shared.matching.aliases.AliasLine`),
  default none; the composition root wires the store of the aliases people teach;
- `identity(org_id)`: the organization's own identity (name, VAT, SIREN, IBANs), read
  once by a caller that extracts then matches (`own_party()` for extraction by the
  processor and the Dropzone, `match(identity=...)`), so a purchase invoice's buyer block
  is not read as the supplier; extraction states our own sales invoices as issued by us (our VAT
  and name as the supplier), which the engine then never matches.

`match(org_id, documents)` returns `{document_id: MatchResult}` for every document that has
a total; a caller settles each (attach, or record why it waits) and treats a missing entry
as "no total amount could be read".
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from shared.domain.entities import Document, Organization, Transaction
from shared.extraction.model import OwnParty
from shared.log import get_logger
from shared.matching.aliases import AliasLine
from shared.matching.engine import MatchResult, match
from shared.matching.model import (
    DocumentLine,
    MalformedLine,
    OrganizationProfile,
    TransactionLine,
    normalize_iban,
    normalize_vat,
)
from shared.matching.policy import MatchingPolicy
from shared.store.firestore_store import FirestoreStore

log = get_logger(__name__)

# How far around the documents' dates transactions are considered. Wide on the after
# side: invoices are often paid weeks after their due date.
LOOKBACK = timedelta(days=45)
LOOKAHEAD = timedelta(days=120)

MALFORMED_FLAG = "malformed"
REMINDER_REASON = "answers the receipt reminder of this transaction"


def _no_aliases(org_id: str) -> Sequence[AliasLine]:
    return ()


@dataclass(frozen=True)
class OrganizationIdentity:
    """Who the organization is, for extraction (`own_party`) and the engine (`profile`)."""

    org_id: str
    organization: Organization | None
    ibans: tuple[str, ...]  # its own accounts, normalized

    def profile(self) -> OrganizationProfile:
        organization = self.organization
        siren = organization.siren if organization else None
        return OrganizationProfile(
            name=(organization.legal_name if organization else "") or self.org_id,
            vat=normalize_vat(organization.vat if organization else None),
            siren="".join(siren.split()) if siren else None,
            ibans=self.ibans,
        )

    def own_party(self) -> OwnParty:
        organization = self.organization
        if organization is None:
            return OwnParty()
        return OwnParty(
            name=organization.legal_name,
            vat=organization.vat,
            siren=organization.siren,
            ibans=self.ibans,
        )


@dataclass
class MatchingService:
    store: FirestoreStore
    policy: MatchingPolicy = field(default_factory=MatchingPolicy)
    aliases: Callable[[str], Sequence[AliasLine]] = _no_aliases
    lookback: timedelta = LOOKBACK
    lookahead: timedelta = LOOKAHEAD

    # -- the organization ----------------------------------------------------------

    def identity(self, org_id: str) -> OrganizationIdentity:
        """The organization and its own IBANs, read once: a caller that extracts and then
        matches a document passes it to both (`own_party`, `match(identity=...)`)."""
        accounts = self.store.list_accounts(org_id)
        return OrganizationIdentity(
            org_id,
            self.store.get_organization(org_id),
            tuple(i for i in (normalize_iban(a.iban) for a in accounts) if i),
        )

    # -- matching --------------------------------------------------------------------

    def match(
        self,
        org_id: str,
        documents: Sequence[Document],
        identity: OrganizationIdentity | None = None,
    ) -> dict[str, MatchResult]:
        """Match `documents` of one organization in one global assignment (`identity`:
        the organization as read already by the caller, else read here)."""
        results: dict[str, MatchResult] = {}
        lines: list[DocumentLine] = []
        matchable: list[Document] = []
        for document in documents:
            if document.total is None or not document.fields.get("documents"):
                continue
            try:
                lines.append(document_line(document))
                matchable.append(document)
            except MalformedLine as exc:
                log.warning(
                    "document cannot be matched",
                    organization_id=org_id,
                    document_id=document.id,
                    error=str(exc),
                )
                reason = f"the document's fields cannot be matched: {exc}"
                results[document.id] = MatchResult(
                    document.id, None, 0.0, [reason], [MALFORMED_FLAG]
                )
        if not lines:
            return results
        profile = (identity or self.identity(org_id)).profile()
        aliases = tuple(self.aliases(org_id))
        anchors = [_anchor(document) for document in matchable]
        stored = self.store.list_transactions(
            org_id, since=min(anchors) - self.lookback, until=max(anchors) + self.lookahead
        )
        transactions = [transaction_line(tx) for tx in stored]
        preferred = self._reminded(org_id, profile, matchable, lines, transactions, aliases)
        taken = {r.transaction_id for r in preferred.values()}
        rest = match(
            profile,
            [t for t in transactions if t.id not in taken],
            [line for line in lines if line.id not in preferred],
            self.policy,
            aliases,
        )
        results.update(preferred)
        results.update((r.document_id, r) for r in rest)
        return results

    def _reminded(
        self,
        org_id: str,
        profile: OrganizationProfile,
        documents: list[Document],
        lines: list[DocumentLine],
        transactions: list[TransactionLine],
        aliases: tuple[AliasLine, ...],
    ) -> dict[str, MatchResult]:
        """Documents answering a receipt reminder, matched to the reminded transaction."""
        by_id = {t.id: t for t in transactions}
        preferred: dict[str, MatchResult] = {}
        for document, line in zip(documents, lines, strict=True):
            tx_id = document.origin.get("reminder_transaction_id")
            if not tx_id or tx_id in {r.transaction_id for r in preferred.values()}:
                continue
            candidate = by_id.get(tx_id)
            if candidate is None:
                stored = self.store.get_transaction(org_id, tx_id)
                candidate = transaction_line(stored) if stored else None
            if candidate is None:
                continue
            [result] = match(profile, [candidate], [line], self.policy, aliases)
            if result.transaction_id:
                result.reasons.insert(0, REMINDER_REASON)
                preferred[document.id] = result
        return preferred


# -- lines from entities ------------------------------------------------------------------


def transaction_line(tx: Transaction) -> TransactionLine:
    """A stored transaction as the engine's line (same values as its JSON contract)."""
    local = tx.local_amount
    return TransactionLine(
        id=tx.id,
        account_id=tx.account_id,
        amount=tx.amount.amount,
        currency=tx.amount.currency,
        counterparty=tx.counterparty.strip(),
        operation_type=tx.operation_type.value,
        emitted_at=tx.emitted_at,
        local_amount=local.amount if local else None,
        local_currency=local.currency if local else None,
        reference=(tx.reference or "").strip() or None,
        counterparty_iban=normalize_iban(tx.counterparty_iban) if tx.counterparty_iban else None,
        settled_at=tx.settled_at,
        has_attachment=tx.has_attachment,
    )


def transaction_json(tx: Transaction) -> dict[str, Any]:
    """A stored transaction in the matching engine's transaction-line contract."""
    line: dict[str, Any] = {
        "id": tx.id,
        "account_id": tx.account_id,
        "amount": str(tx.amount.amount),
        "currency": tx.amount.currency,
        "counterparty": tx.counterparty,
        "operation_type": tx.operation_type.value,
        "emitted_at": tx.emitted_at.isoformat(),
        "has_attachment": tx.has_attachment,
    }
    if tx.settled_at:
        line["settled_at"] = tx.settled_at.isoformat()
    if tx.reference:
        line["reference"] = tx.reference
    if tx.counterparty_iban:
        line["counterparty_iban"] = tx.counterparty_iban
    if tx.local_amount:
        line["local_amount"] = str(tx.local_amount.amount)
        line["local_currency"] = tx.local_amount.currency
    return line


def part_checksum(document: Document) -> str | None:
    """The checksum the engine compares to find copies: the file's, with `#{part}` for a
    part of a file holding several invoices (Dropzone `invoice_index`, processor `part`)."""
    stored = document.fields.get("documents") or [{}]
    checksum = document.checksum or stored[0].get("checksum")
    if not checksum:
        return None
    checksum = str(checksum).split("#", 1)[0]
    origin = document.origin
    index = origin.get("invoice_index") or origin.get("part")
    several = (origin.get("invoices_in_file") or 1) > 1 or origin.get("part") is not None
    if not several and "#" in str(stored[0].get("checksum") or ""):
        several, index = True, str(stored[0]["checksum"]).split("#", 1)[1]
    return f"{checksum}#{index or 1}" if several else checksum


def document_line(document: Document) -> DocumentLine:
    """A stored document as the engine's line; `MalformedLine` names the field at fault."""
    stored: dict[str, Any] = dict((document.fields.get("documents") or [{}])[0])
    stored.update(
        id=document.id,
        received_at=document.received_at.isoformat(),
        checksum=part_checksum(document),
    )
    return DocumentLine.from_json(stored)


def _anchor(document: Document) -> datetime:
    if document.issue_date:
        return datetime.combine(document.issue_date, datetime.min.time(), tzinfo=UTC)
    return document.received_at
