"""Aliases inferred from the statement itself: "this shop is paid as that name".

A receipt's brand is often not the name on the card statement: a motorway sign
says `Vinci Autoroutes` where the bank shows the operating company (`ASF 2469`), a
car-sharing app its legal entity (`COMUTO SA`). No name rule can know it, and one
such receipt proves nothing: an exact amount on the receipt's day may be a
coincidence. But when receipt after receipt of the same supplier finds, on its
very day and to the cent, a single card debit to the same other name, the pairing
is no coincidence: the statement teaches it, as a person's manual match would.

`infer_aliases` takes those sightings (pure data, gathered by the engine from the
receipts left unmatched because the name contradicted) and returns an alias for
each pairing seen at least `MIN_SIGHTINGS` times and in a fair share of that
supplier's such receipts (a chain has a company per franchisee), unless the bank
name is already another supplier's by its own name. The engine then scores those
receipts, and the supplier's other unmatched documents, again with the aliases, and
says so: "inferred from 5 of your receipts paid as 'ASF' on their day".
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from shared.matching.aliases import AliasLine

# Sightings of one (supplier, bank name) pairing needed: two exact same-day
# coincidences with one other payee are rare, three with the same one are not luck.
MIN_SIGHTINGS = 3
# ... and the share of the supplier's sightings that pairing must have: a chain
# may be paid under each franchisee's company (a few names), but a supplier whose
# receipts meet a crowd of names is not paid under one of them.
MIN_SHARE = 0.2


@dataclass(frozen=True, slots=True)
class Sighting:
    """An unmatched receipt whose only exact card debit on its day carries a name
    that contradicts the receipt's (both as name-profile words)."""

    supplier: tuple[str, ...]
    bank: tuple[str, ...]
    supplier_name: str
    counterparty: str


def infer_aliases(
    sightings: Iterable[Sighting], named_payees: set[tuple[str, ...]]
) -> list[AliasLine]:
    """Aliases for the pairings the sightings show again and again (see the module
    docstring); `named_payees` are bank names matched to a supplier by its name."""
    seen = list(sightings)
    pairs = Counter((s.supplier, s.bank) for s in seen)
    per_supplier = Counter(s.supplier for s in seen)
    example = {(s.supplier, s.bank): s for s in seen}
    out = []
    for (supplier, bank), count in sorted(pairs.items()):
        if count < MIN_SIGHTINGS or count < MIN_SHARE * per_supplier[supplier]:
            continue
        if bank in named_payees:
            continue  # a payee known by its own name is not another's alias
        sample = example[(supplier, bank)]
        digest = hashlib.sha256(f"{supplier}\x1f{bank}".encode()).hexdigest()[:16]
        out.append(
            AliasLine(
                id=f"inferred-{digest}",
                supplier_name=sample.supplier_name,
                counterparty=sample.counterparty,
                sightings=count,
            )
        )
    return out
