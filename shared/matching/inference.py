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
name is already another supplier's by its own name (then it takes more sightings,
most of the supplier's, and most of that payee's: a sole trader's terminal under
the owner's name). A descriptor that adds the town and the card's trailer after a
bank name (`MOREAU ET FILS VALENCE CARTE 4974XXXX`) counts for that name. The engine
then scores those receipts, and the supplier's other unmatched documents, again
with the aliases, and says so: "inferred from 5 of your documents paid as 'ASF' on
their day".
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from shared.matching.aliases import AliasLine
from shared.matching.name_similarity import same_word
from shared.matching.names import GENERIC_WORDS
from shared.matching.trades import trade_words_only

# Sightings of one (supplier, bank name) pairing needed: two exact same-day
# coincidences with one other payee are rare, three with the same one are not luck.
MIN_SIGHTINGS = 3
# ... and the share of the supplier's sightings that pairing must have: a chain
# may be paid under each franchisee's company (a few names), but a supplier whose
# receipts meet a crowd of names is not paid under one of them.
MIN_SHARE = 0.2
# ... and of a bank name matched to another supplier by its own name.
MIN_SHARE_NAMED = 0.5
# ... unless the supplier meets it this many times: luck does not repeat so, and a
# marketplace, known by its own name for what it sells itself, is met by each of the
# sellers it collects for (`Roux Outillage SARL` paid as `AMZN MKTP FR*2K4XX`).
MANY_SIGHTINGS = 10

# A licence or terminal number standing as its own word in a descriptor (`TAXI 526
# VILLEURBANNE`): not a date's (`12/03`), a time's, nor a card's masked number (`X4974`).
_NUMBER = re.compile(r"(?<![\w/.:*-])\d{2,5}(?![\w/.:-])")

_Pair = tuple[tuple[str, ...], tuple[str, ...]]  # (supplier words, bank name words)


@dataclass(frozen=True, slots=True)
class Sighting:
    """An unmatched receipt whose only exact card debit on its day carries a name
    that contradicts the receipt's (both as name-profile words)."""

    supplier: tuple[str, ...]
    bank: tuple[str, ...]
    supplier_name: str
    counterparty: str


def infer_aliases(
    sightings: Iterable[Sighting],
    named_payees: set[tuple[str, ...]],
    paid_by_name: set[tuple[str, ...]] | frozenset[tuple[str, ...]] = frozenset(),
) -> list[AliasLine]:
    """Aliases for the pairings the sightings show again and again (see the module
    docstring); `named_payees` are bank names matched to a supplier by its name,
    `paid_by_name` the suppliers so matched."""
    seen = list(sightings)
    raw = Counter((s.supplier, s.bank) for s in seen)
    pairs = _with_longer_descriptors(raw)
    # An operating company's first word gathers its sites (`SEARA VIENNE`, `SEARA MACON
    # SUD`: the motorway's gates), each too rare alone for a share of the supplier's.
    sites: Counter[_Pair] = Counter(
        (supplier, bank[:1])
        for supplier, bank in {(supplier, bank[:2]) for supplier, bank in raw}
        if len(bank) > 1 and _operator_word(bank[0]) and (supplier, bank[:1]) not in raw
    )
    for (supplier, bank), n in raw.items():
        if sites[(supplier, bank[:1])] > 1:  # (one site, however written, is its own pairing)
            pairs[(supplier, bank[:1])] += n
    per_supplier = Counter(s.supplier for s in seen)
    # (every supplier's sightings of each bank name, as one supplier's)
    per_bank = {
        bank: n
        for (_, bank), n in _with_longer_descriptors(Counter(((), s.bank) for s in seen)).items()
    }
    example = {(s.supplier, s.bank): s for s in seen}
    by_pair: dict[_Pair, list[Sighting]] = {}
    for s in seen:
        by_pair.setdefault((s.supplier, s.bank), []).append(s)
    named_words = {bank[0] for bank in named_payees if bank}
    out = []
    for (supplier, bank), count in sorted(pairs.items()):
        if count < MIN_SIGHTINGS or count < MIN_SHARE * per_supplier[supplier]:
            continue
        if (
            supplier in paid_by_name
            and another_shop_of_its_trade(supplier, bank)
            and not any(_NUMBER.search(s.counterparty) for s in by_pair.get((supplier, bank), ()))
        ):
            # (Paid under its own name elsewhere in the statement, the supplier is no
            # operating company's brand. A trade and a number, `TAXI 526 VENISSIEUX`, is
            # a registration, a taxi's licence, not another shop's name.)
            continue
        named = bank in named_payees or ((supplier, bank) not in raw and bank[0] in named_words)
        if named and (
            count <= MIN_SIGHTINGS
            or count < MIN_SHARE_NAMED * per_supplier[supplier]
            or (count < MIN_SHARE_NAMED * per_bank.get(bank, count) and count < MANY_SIGHTINGS)
        ):
            # A payee known by its own name is rarely another's alias, unless most of
            # the supplier's receipts meet it, and it meets mostly that supplier's:
            # one owner's second shop, a sole trader's terminal registered under the
            # owner's name. A busy payee met by many suppliers' receipts is luck.
            continue
        sample = example.get((supplier, bank)) or next(
            s for s in seen if s.supplier == supplier and s.bank[:1] == bank
        )
        digest = hashlib.sha256(f"{supplier}\x1f{bank}".encode()).hexdigest()[:16]
        out.append(
            AliasLine(
                id=f"inferred-{digest}",
                supplier_name=sample.supplier_name,
                counterparty=sample.counterparty if (supplier, bank) in raw else bank[0],
                sightings=count,
            )
        )
    return out


def another_shop_of_its_trade(supplier: tuple[str, ...], bank: tuple[str, ...]) -> bool:
    """The bank name says the supplier's trade and a name of its own, none of the
    supplier's: another shop of that trade (`BAR TABAC DU MARCHE` for `Bar-Tabac du
    Pilote`), whose debits of a coffee's price meet the supplier's receipts by luck. An
    operating company's name says no trade it shares with the brand (`ASF` for Vinci
    Autoroutes) or keeps the brand's own word (`BAECKEREI HEZEL` for Hezels Backstube).

    >>> another_shop_of_its_trade(("BAR", "TABAC", "PILOTE"), ("BAR", "TABAC", "MARCHE", "NANTE"))
    True
    >>> another_shop_of_its_trade(("BAR", "TABAC", "PILOTE"), ("BAR", "TABAC", "DU"))
    False
    >>> another_shop_of_its_trade(("HEZELS", "BACKSTUBE"), ("BAECKEREI", "HEZEL"))
    False
    """
    if not any(word in GENERIC_WORDS and word in bank for word in supplier):
        return False
    own = [word for word in supplier if word not in GENERIC_WORDS and len(word) >= 3]
    theirs = [word for word in bank if word not in GENERIC_WORDS and len(word) >= 3]
    return bool(own and theirs) and not any(same_word(a, b) for a in own for b in theirs)


def _operator_word(word: str) -> bool:
    """A word that may name an operating company by itself: a distinctive word, not a
    trade's, of four letters or more."""
    return len(word) >= 4 and word.isalpha() and word not in GENERIC_WORDS


def _with_longer_descriptors(pairs: Counter[_Pair]) -> Counter[_Pair]:
    """Each pairing's count, with the sightings of descriptors that start with its
    bank name: one bank writes the merchant alone (`RENAUD ET FILS`), another adds
    the town and its own card trailer after it (`FACTURE CARTE DU 131025 RENAUD ET
    FILS CHAMBERY CARTE 4974XXXX`), and the payee is the same. A bank name of trade
    words only (`BAR`) is no payee's: it gathers nothing."""
    longer: Counter[_Pair] = Counter()
    for (supplier, bank), count in pairs.items():
        for end in range(1, len(bank)):
            longer[(supplier, bank[:end])] += count
    return Counter(
        {
            (supplier, bank): count + (0 if trade_words_only(bank) else longer[(supplier, bank)])
            for (supplier, bank), count in pairs.items()
        }
    )
