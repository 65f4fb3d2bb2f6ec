"""Documents set aside before matching: sales documents, duplicates and receipts sent
twice."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from difflib import SequenceMatcher

from shared.matching.model import DocumentLine, OrganizationProfile
from shared.matching.name_similarity import profile_similarity
from shared.matching.names import (
    GENERIC_WORDS,
    NameProfile,
    document_profile,
    tokens,
)
from shared.matching.references import compact_text
from shared.matching.transaction_index import (
    TransactionIndex,
    cents_of,
)


def sales_reason(org: OrganizationProfile, org_tokens: frozenset, doc: DocumentLine) -> str | None:
    """Why the document was issued by the organization itself, or None."""
    vat = doc.supplier_vat
    if vat:
        if org.vat and vat == org.vat:
            return "sales invoice: issued by the organization (supplier VAT is ours)"
        if org.siren:
            digits = re.sub(r"\D", "", vat)
            # FR VAT = FR + 2-digit key + SIREN; a SIRET starts with the SIREN.
            if (vat.startswith("FR") and vat[4:] == org.siren) or digits.startswith(org.siren):
                return "sales invoice: issued by the organization (supplier SIREN is ours)"
    if doc.supplier_iban and doc.supplier_iban in org.ibans:
        return "sales invoice: issued by the organization (supplier IBAN is ours)"
    customer_is_us = (org.vat is not None and doc.customer_vat == org.vat) or (
        doc.customer_name is not None and _names_us(doc.customer_name, org_tokens)
    )
    if customer_is_us:
        return None
    if doc.supplier_name and org_tokens and _names_us(doc.supplier_name, org_tokens):
        return "sales invoice: issued by the organization (supplier name is ours)"
    return None


def _names_us(name: str, org_tokens: frozenset) -> bool:
    """The name is the organization's, whole or shortened (`Maréchal Énergies` for
    Maréchal Énergies Bâtiment SAS, `M.E.B. Maréchal Énergies`): two of its words at
    least (all of a one-word name), one not a trade word (`Le Atelier` is not Atelier
    Dupont; `Dupont` alone is any Dupont)."""
    shared = frozenset(tokens(name)) & org_tokens
    return len(shared) >= min(2, len(org_tokens)) and not shared <= GENERIC_WORDS


def duplicate_documents(
    documents: Sequence[DocumentLine], skip: set[int]
) -> dict[int, tuple[int, str]]:
    """document index -> (index of the copy kept, why), for every copy but the first received."""
    order = sorted(
        (i for i in range(len(documents)) if i not in skip),
        key=lambda i: (*_received_key(documents[i]), i),
    )
    seen_checksum: dict[str, int] = {}
    seen_number: dict[tuple, list[int]] = {}
    out: dict[int, tuple[int, str]] = {}
    for i in order:
        doc = documents[i]
        if doc.checksum:
            first = seen_checksum.get(doc.checksum)
            if first is not None:
                out[i] = (first, "same file")
                continue
            seen_checksum[doc.checksum] = i
        if doc.invoice_number and (doc.supplier_vat or doc.supplier_name):
            key = (doc.document_type, compact_text(doc.invoice_number), abs(doc.total))
            earlier = seen_number.setdefault(key, [])
            first = next(
                (
                    j
                    for j in earlier
                    if _same_supplier(documents[j], doc) and _same_dates(documents[j], doc)
                ),
                None,
            )
            if first is not None:
                out[i] = (first, "same supplier, number and amount")
                continue
            if len(earlier) < _COPY_SUPPLIERS:
                earlier.append(i)
    return out


# Suppliers compared per invoice number and amount: past a few different ones, the
# number is too common (`1`, `2024-01`) to tell copies, and the work stays linear.
_COPY_SUPPLIERS = 4


def _same_supplier(first: DocumentLine, second: DocumentLine) -> bool:
    """The same VAT id, or names an OCR slip apart (`Arval`, `Arvol`): one supplier."""
    if first.supplier_vat and second.supplier_vat:
        return first.supplier_vat == second.supplier_vat
    if not (first.supplier_name and second.supplier_name):
        return False
    a, b = document_profile(first.supplier_name), document_profile(second.supplier_name)
    if a is None or b is None:
        return False
    return a[0] == b[0] or profile_similarity(a, b) >= _COPY_NAME_SIMILARITY


def _same_dates(first: DocumentLine, second: DocumentLine) -> bool:
    """Copies of one document carry its dates: two issued (or due) weeks apart are two
    documents under one number (a contract's number on each month's invoice)."""
    for a, b in ((first.issue_date, second.issue_date), (first.due_date, second.due_date)):
        if a is not None and b is not None and abs((a - b).days) > _COPY_DATE_SLIP_DAYS:
            return False
    return True


# Days between the dates two copies of one document may show (a digit misread).
_COPY_DATE_SLIP_DAYS = 7


# Debits compared by name per receipt, at most (a busy day's range stays bounded).
_NAMES_COMPARED = 64
# Two receipts of one day and amount are the same receipt sent twice when their
# supplier names are at least this alike (an OCR slip apart: `RATP`, `RAATP`).
_COPY_NAME_SIMILARITY = 0.7
# ... or when each word of one is, letter for letter, this alike with the other's
# (`_copied_name`).
_COPY_LETTERS_ALIKE = 0.75


def receipt_copies(
    documents: Sequence[DocumentLine], skip: set[int], index: TransactionIndex
) -> dict[int, tuple[int, str]]:
    """Receipts sent again (a second photo: another file, maybe another reading) of
    one named supplier, day and amount, when the statement has fewer card debits of
    that amount that day to a payee named like it (to any payee, when none is) than
    receipts: the later ones are copies of the first received. Two debits leave two
    purchases, each with its receipt; another shop's debit of the amount, none."""
    groups: dict[tuple, list[int]] = defaultdict(list)
    for i, doc in enumerate(documents):
        if i in skip or doc.document_type != "receipt" or doc.issue_date is None:
            continue
        if not doc.supplier_name or document_profile(doc.supplier_name) is None:
            continue
        groups[(doc.currency, doc.issue_date, abs(doc.total))].append(i)
    out: dict[int, tuple[int, str]] = {}
    for (currency, issued, total), members in groups.items():
        if len(members) < 2:
            continue
        members.sort(key=lambda i: (_received_key(documents[i]), i))
        day = issued.toordinal()
        rows = [
            tx_i
            for _, tx_i, card, _ in index.amount_rows(currency, -1, cents_of(total), day, day)
            if card
        ]
        kept: list[int] = []
        for i in members:
            name = document_profile(documents[i].supplier_name)
            # Debits of the amount that day to a payee named like the receipt's (to any
            # payee, when none is: a shop may be paid under its operator's name).
            named = sum(1 for t in rows[:_NAMES_COMPARED] if _named_like(name, index.profile(t)))
            debits = named or len(rows)
            first = next(
                (
                    k
                    for k in kept
                    if _copied_name(name, document_profile(documents[k].supplier_name))
                ),
                None,
            )
            if first is not None and len(kept) >= debits:
                out[i] = (first, "same supplier, day and amount, and no other card debit of it")
            else:
                kept.append(i)
    return out


def _copied_name(name: NameProfile | None, other: NameProfile | None) -> bool:
    """Two readings of one receipt's name: alike as names, or word by word when OCR
    slipped in different words of each (`Papefcrie Jaouen`, `Papeterie Jaoucn`).

    >>> from shared.matching.names import document_profile as read
    >>> _copied_name(read("Papefcrie Jaouen"), read("Papeterie Jaoucn"))
    True
    >>> _copied_name(read("Bäckerei Huber"), read("Bäckerei Bühler"))
    False
    """
    if name is None or other is None:
        return False
    if profile_similarity(name, other) >= _COPY_NAME_SIMILARITY:
        return True
    return len(name[0]) == len(other[0]) and all(map(_letters_alike, name[0], other[0]))


def _letters_alike(word: str, other: str) -> bool:
    """Two readings of one word: three letters in four the same, in order."""
    return SequenceMatcher(None, word, other, autojunk=False).ratio() >= _COPY_LETTERS_ALIKE


def _named_like(name: NameProfile | None, payee: NameProfile | None) -> bool:
    return (
        name is not None
        and payee is not None
        and profile_similarity(name, payee) >= _COPY_NAME_SIMILARITY
    )


def _received_key(doc: DocumentLine) -> tuple[bool, float]:
    return (doc.received_at is None, doc.received_at.timestamp() if doc.received_at else 0.0)
