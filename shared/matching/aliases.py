"""Aliases learned from people: "this supplier is paid as that bank counterparty".

When a person attaches a document to a transaction by hand, the pair tells the
organization's own truth, which no name rule can know (`Boulangerie Martin` is
paid as `SUMUP *BM 0412`). `learn_alias` derives an `Alias` from such a manual
match (pure; the caller stores it per organization); `match(..., aliases=...)`
then counts it as evidence that the payee is the supplier, and says so in the
reasons ("learned from your match of 12 March 2024"). An alias is removed by
no longer passing it.

Shape (one JSON object per alias; `AliasLine.from_json` / `to_json`):

    {"id": "al-3f9c0a1b2c4d5e6f",              # stable: same pair, same id
     "supplier_name": "Boulangerie Martin",    # document side: name, VAT and/or IBAN
     "supplier_vat": "FR12345678901", "supplier_iban": null,
     "counterparty": "SUMUP *BM 0412",         # bank side: descriptor and/or IBAN
     "counterparty_iban": null,
     "learned_on": "2024-03-12",               # the day of the manual match
     "document_id": "d-81", "transaction_id": "t-4411"}   # provenance (optional)

An alias applies to a (document, transaction) pair when one of its document
keys is the document's (same VAT, same IBAN, or the same name up to OCR slips)
AND one of its bank keys is the transaction's (same counterparty IBAN, or a
descriptor with the same words once codes and processor prefixes are dropped).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from shared.matching.model import (
    DocumentLine,
    MalformedLine,
    TransactionLine,
    _Reader,
    normalize_iban,
    normalize_vat,
)
from shared.matching.name_similarity import profile_similarity
from shared.matching.names import (
    NameProfile,
    document_profile,
    other_trades,
    profile,
    trade_numbers,
)
from shared.matching.trades import adds_a_trade

# Names on both sides must agree at least this well for an alias to apply: an
# alias is taught for one supplier, not for its look-alikes.
ALIAS_NAME_SIMILARITY = 0.85
_NAME_KEY_LETTERS = 4
MAX_ALIASES = 100_000  # per call; an organization's lifetime of manual matches fits

_MONTHS = (
    "January February March April May June July August September October November December"
).split()


@dataclass(frozen=True, slots=True)
class AliasLine:
    """One learned alias (see the module docstring)."""

    id: str
    supplier_name: str | None = None
    supplier_vat: str | None = None
    supplier_iban: str | None = None
    counterparty: str | None = None
    counterparty_iban: str | None = None
    learned_on: date | None = None
    document_id: str | None = None
    transaction_id: str | None = None
    # Set on an alias the engine inferred from the statement (`inference`): how many
    # receipts showed the pairing. Never read from input.
    sightings: int | None = None

    @classmethod
    def from_json(cls, obj: dict, line_no: int | None = None) -> AliasLine:
        r = _Reader(obj, line_no)
        alias = cls(
            id=r.required_text("id"),
            supplier_name=r.text("supplier_name"),
            supplier_vat=normalize_vat(r.text("supplier_vat")),
            supplier_iban=normalize_iban(r.text("supplier_iban")),
            counterparty=r.text("counterparty"),
            counterparty_iban=normalize_iban(r.text("counterparty_iban")),
            learned_on=r.day("learned_on"),
            document_id=r.text("document_id"),
            transaction_id=r.text("transaction_id"),
        )
        if not (alias.supplier_name or alias.supplier_vat or alias.supplier_iban):
            raise MalformedLine(
                "an alias needs supplier_name, supplier_vat or supplier_iban", line_no
            )
        if not (alias.counterparty or alias.counterparty_iban):
            raise MalformedLine("an alias needs counterparty or counterparty_iban", line_no)
        return alias

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "supplier_name": self.supplier_name,
            "supplier_vat": self.supplier_vat,
            "supplier_iban": self.supplier_iban,
            "counterparty": self.counterparty,
            "counterparty_iban": self.counterparty_iban,
            "learned_on": self.learned_on.isoformat() if self.learned_on else None,
            "document_id": self.document_id,
            "transaction_id": self.transaction_id,
        }

    def provenance(self) -> str:
        """`learned from your match of 12 March 2024` (or without the date)."""
        if self.sightings is not None:
            return (
                f"inferred from {self.sightings} of your documents of this supplier, each "
                "paid to the cent on its day by a card debit under this name"
            )
        if self.learned_on is None:
            return "learned from one of your matches"
        d = self.learned_on
        return f"learned from your match of {d.day} {_MONTHS[d.month - 1]} {d.year}"


class Supplier(Protocol):
    """What a document says of its supplier (a `DocumentLine` says it, and so does a
    stored document whose amounts are not read: a person may attach it all the same)."""

    @property
    def id(self) -> str: ...
    @property
    def supplier_name(self) -> str | None: ...
    @property
    def supplier_vat(self) -> str | None: ...
    @property
    def supplier_iban(self) -> str | None: ...


def learn_alias(
    document: Supplier, transaction: TransactionLine, learned_on: date
) -> AliasLine | None:
    """The alias a person's manual match teaches, or None when it teaches nothing.

    Pure. Nothing is learned when the document names no supplier (no name, VAT
    or IBAN), when the transaction has neither a descriptor with words nor an
    IBAN, or when the supplier is the payee by IBAN already (the engine knows).
    The id depends only on what is matched, not on the day or the documents, so
    learning the same pair twice gives the same alias (idempotent storage).
    """
    doc_keys = _document_keys(document.supplier_name, document.supplier_vat, document.supplier_iban)
    bank_profile = profile(transaction.counterparty, bank_side=True)
    bank_key = transaction.counterparty_iban or (" ".join(bank_profile[0]) if bank_profile else "")
    if not doc_keys or not bank_key:
        return None
    if document.supplier_iban and document.supplier_iban == transaction.counterparty_iban:
        return None
    digest = hashlib.sha256(f"{doc_keys[0]}\x1f{bank_key}".encode()).hexdigest()[:16]
    return AliasLine(
        id=f"al-{digest}",
        supplier_name=document.supplier_name,
        supplier_vat=document.supplier_vat,
        supplier_iban=document.supplier_iban,
        counterparty=transaction.counterparty or None,
        counterparty_iban=transaction.counterparty_iban,
        learned_on=learned_on,
        document_id=document.id,
        transaction_id=transaction.id,
    )


def _document_keys(name: str | None, vat: str | None, iban: str | None) -> list[str]:
    keys = []
    if vat:
        keys.append(f"vat:{vat}")
    if iban:
        keys.append(f"iban:{iban}")
    name_profile = document_profile(name) if name else None
    if name_profile is not None:
        keys.append("name:" + " ".join(name_profile[0]))
    return keys


@dataclass(frozen=True, slots=True)
class _Prepared:
    alias: AliasLine
    name: NameProfile | None
    bank: NameProfile | None
    # Numbers after a trade word in the taught descriptor (`TAXI 526 CALUIRE`): the
    # payee's, so another descriptor must carry them (`TAXI 243 CALUIRE` is another cab).
    codes: frozenset[str]


class AliasBook:
    """Aliases indexed for the engine: by VAT, IBAN and name word (document side)."""

    def __init__(self, aliases: Iterable[AliasLine]):
        self._by_key: dict[str, list[_Prepared]] = {}
        self.size = 0
        for alias in aliases:
            prepared = _Prepared(
                alias,
                document_profile(alias.supplier_name) if alias.supplier_name else None,
                profile(alias.counterparty, bank_side=True) if alias.counterparty else None,
                trade_numbers(alias.counterparty) if alias.counterparty else frozenset(),
            )
            self.size += 1
            for key in self._keys(alias.supplier_vat, alias.supplier_iban, prepared.name):
                self._by_key.setdefault(key, []).append(prepared)

    @staticmethod
    def _keys(vat: str | None, iban: str | None, name: NameProfile | None) -> list[str]:
        keys = []
        if vat:
            keys.append("v:" + vat)
        if iban:
            keys.append("i:" + iban)
        if name is not None:
            # Every word: an OCR slip in one word leaves the others to find the alias.
            # By its first letters: a name cut short (`BlaBlaCa`) or glued
            # (`VINCIAUTOROUTES`) finds it too; the similarity check decides.
            # (In the name's word order, not a set's: the output must not depend on
            # string hashing.)
            keys.extend(dict.fromkeys("n:" + t[:_NAME_KEY_LETTERS] for t in name[0]))
        return keys

    def for_document(self, doc: DocumentLine, name: NameProfile | None) -> tuple[_Prepared, ...]:
        """Aliases whose document side is this document's supplier."""
        if not self._by_key:
            return ()
        out: dict[str, _Prepared] = {}
        for key in self._keys(doc.supplier_vat, doc.supplier_iban, name):
            for prepared in self._by_key.get(key, ()):
                alias = prepared.alias
                if alias.id in out:
                    continue
                same = (
                    alias.supplier_vat is not None and alias.supplier_vat == doc.supplier_vat
                ) or (alias.supplier_iban is not None and alias.supplier_iban == doc.supplier_iban)
                if not same and prepared.name is not None and name is not None:
                    same = profile_similarity(
                        name, prepared.name
                    ) >= ALIAS_NAME_SIMILARITY and not (
                        # `Cave du Pont Neuf` is not the `SARL DU PONT NEUF` paid as
                        # `SUMUP *DROGUERIE DU PO`: the payee's trade is another.
                        prepared.bank is not None and other_trades(name[0], prepared.bank[0])
                    )
                if same:
                    out[alias.id] = prepared
        # A person's match first, then the pairing seen most often: when several
        # apply, the reason cites the strongest.
        return tuple(
            sorted(
                out.values(),
                key=lambda p: (
                    p.alias.sightings is not None,
                    -(p.alias.sightings or 0),
                    p.alias.id,
                ),
            )
        )

    @staticmethod
    def applies(
        candidates: tuple[_Prepared, ...], tx: TransactionLine, tx_profile: NameProfile | None
    ) -> AliasLine | None:
        """The first of the document's aliases whose bank side is this transaction."""
        for prepared in candidates:
            alias = prepared.alias
            if alias.counterparty_iban and alias.counterparty_iban == tx.counterparty_iban:
                return alias
            if prepared.codes and not prepared.codes <= trade_numbers(tx.counterparty):
                continue
            if prepared.bank is not None and tx_profile is not None:
                if prepared.bank[0] == tx_profile[0] or (
                    profile_similarity(prepared.bank, tx_profile) >= ALIAS_NAME_SIMILARITY
                    # `PHARMACIE DU CERISIER` is not `CERISIER DISTRIBUTION`: another
                    # business sharing the payee's word (a trade the supplier's own name
                    # says may be added: `MARTIN DISTRIB BOULANGERIE` for its bakery).
                    and not (
                        adds_a_trade(prepared.bank, tx_profile)
                        and (prepared.name is None or adds_a_trade(prepared.name, tx_profile))
                    )
                ):
                    return alias
        return None
