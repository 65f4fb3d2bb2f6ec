"""Candidate pairs of a document and its transactions, and their scores: amount, date and
who (IBAN, reference, name), tips, fees and rounding, as `MatchingPolicy` allows."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from decimal import Decimal

from shared.matching.aliases import AliasBook, AliasLine
from shared.matching.model import PARIS, DocumentLine, TransactionLine
from shared.matching.names import _GENERIC as _GENERIC_WORDS
from shared.matching.names import (
    NameProfile,
    adds_a_trade,
    article_not_in,
    distinctive_prefixes,
    document_profile,
    named_by_trade_and_code,
    named_by_trade_cut,
    names_another_trade,
    profile_similarity,
    same_name,
    same_whole_name,
    tip_customary,
    tip_unlikely,
    trade_words,
    truncated_name_in,
    undoubled_prefixes,
    whole_name_in,
)
from shared.matching.policy import MatchingPolicy
from shared.matching.references import reference_has_number, sibling_number_in
from shared.matching.transaction_index import (
    FOREIGN_BUCKET_DAYS,
    TIP_NAME_BUDGET,
    TransactionIndex,
    cents_of,
    paris_day,
)

# Score budget (see module docstring): amount + date + who = 1.0 at best.
_AMOUNT_POINTS = {
    "total": 0.45,
    "amount_due": 0.43,
    "local": 0.42,
    "candidate": 0.36,
    "fee": 0.36,
    "tip": 0.32,
    "local_tip": 0.30,
}
_ROUNDING_PENALTY = 0.07  # an amount off by a cent or two is weaker than an exact one
_DATE_POINTS = 0.25
_WHO_POINTS = 0.30  # the supplier's IBAN: identifies the payee
# The invoice number in the transfer reference identifies the payment itself, not
# only the payee (a supplier is paid many times): it outweighs the budget.
_REFERENCE_POINTS = 0.40
_NAME_POINTS = 0.24  # a name, even identical, identifies less (chains, homonyms)
# A person said this supplier is paid as this counterparty: as good as an identical name.
_ALIAS_POINTS = 0.24
_WHO_UNKNOWN = 0.10  # no name on one side: neither support nor contradiction
_WHO_CONTRADICTION = -0.15
# Names that share a word but not the rest (`Bistro Chevalier` / `PRESSING
# CHEVALIER`): as often two businesses as one misspelt; worth less than no name.
_WHO_WEAK = 0.0
_IBAN_CONFLICT = -0.10
# The reference names a sibling contract's number: another document's payment,
# worse than a name that contradicts.
_REFERENCE_CONFLICT = -0.25
# A tip charged the day before or after the receipt needs the receipt's own name this
# alike (`_day_off_tip`) ...
_DAY_OFF_TIP_SIMILARITY = 0.95
# ... or, charged in the small hours after the receipt's evening, its name cut by the
# card network after this many letters of a word of its own (`BISTROT DU CER`).
_LATE_STUMP_LETTERS = 3
# A direct debit this close to a stated due date is collected for it.
_DUE_DAYS = 2
# The best a tip edge can score: a free candidate ahead of it by the ambiguity
# margin makes the tip search useless for that document.
_TIP_BEST = _AMOUNT_POINTS["tip"] + _DATE_POINTS + _NAME_POINTS
# Similarity granted when the descriptor carries the document's whole name
# (`names.whole_name_in`), whatever words surround it.
_WHOLE_NAME_SIMILARITY = 0.8
# Similarity granted when the descriptor names the payee by the document's trade and
# a licence or terminal number only (`names.named_by_trade_and_code`): weak evidence,
# not a contradiction.
_TRADE_AND_CODE_SIMILARITY = 0.5
# ... and when the card network cut the name after its trade word and kept the next
# word's first letter (`STRIPE*QUINCAILLERIE L` for Quincaillerie Lecomte): a name
# cut short, one letter less than `names.truncated_name_in` asks, so just support.
_TRADE_CUT_INITIAL_SIMILARITY = 0.6


@dataclass(slots=True)
class Edge:
    tx: int
    score: float
    amount_kind: str
    doc_amount: Decimal
    exact: bool
    delay: int | None
    reasons: list[str]


@dataclass(slots=True)
class _Who:
    similarity: float | None
    iban_equal: bool
    reference_equal: bool
    iban_conflict: bool
    alias: AliasLine | None = None
    # The sibling contract or invoice number the reference names (`sibling_number_in`).
    sibling_number: str | None = None


def _sort_tip_candidate(
    doc_profile: NameProfile,
    tx_profile: NameProfile,
    tx_i: int,
    same_day: list[int],
    rivals: list[int],
) -> None:
    """File a look-alike debit of the receipt's day in the tip range: a candidate when
    it carries the receipt's whole name (`same_name`), else a rival. One that also names
    a trade the receipt does not (`names.adds_a_trade`: `TRATTORIA PICARD` for
    `Picard Surgelés`) is another business, with the amount off by a tip: neither."""
    if not same_name(doc_profile, tx_profile):
        rivals.append(tx_i)
    elif not adds_a_trade(doc_profile, tx_profile):
        same_day.append(tx_i)


def _whole_percent(total_cents: int, debit_cents: int, step: int = 1) -> bool:
    """The surplus is a multiple of `step` percent of the bill, to the cent: a tip
    typed as a percentage (7 %, or a terminal's 5 % presets)."""
    extra = debit_cents - total_cents
    percent = round(extra * 100 / (total_cents * step)) * step
    return percent > 0 and abs(total_cents * percent - extra * 100) <= 100


def _distinctive_ends(name: NameProfile, keys: tuple[str, ...]) -> tuple[str, ...]:
    """The last 4 letters of the name's distinctive words of 5 letters or more that
    `keys` (their starts) do not already find: OCR damages a word's start as often
    as its end (`CATINE` for `CANTINE`, `TRRASSE` for `TERRASSE`)."""
    ends = {t[-4:] for t in name[0] if len(t) >= 5 and t not in _GENERIC_WORDS}
    return tuple(sorted(e for e in ends if not any(e in k for k in keys)))


def fmt_amount(amount: Decimal) -> str:
    return f"{abs(amount):.2f}"


_WORDS = re.compile(r"[^A-Z0-9]+")
# Descriptors looked at to count how often a tip's payee is paid (see `_tips`).
_TIP_SCAN_BUDGET = 200


# The fast pass (`Scorer.fast_edge`) looks this many days either side of a dated
# document for other payments of the same amount: at least what a naive "exact
# amount, +-5 days, only candidate" rule sees, so it never matches less than that.
_FAST_DAYS = 5
# ... and decides on a name only when it is this close (the whole name, or the name
# cut by the card network); a mere resemblance goes through the full scoring.
_FAST_NAME_SIMILARITY = 0.8


@dataclass(slots=True)
class Frame:
    doc_dir: int
    anchor: int | None
    undated: bool
    card_lo: int
    card_hi: int
    lo: int
    hi: int


def _amounts(doc: DocumentLine) -> list[tuple[Decimal, str]]:
    """The document's amounts worth looking for, with their kind."""
    amounts: list[tuple[Decimal, str]] = [(abs(doc.total), "total")]
    if doc.amount_due is not None and doc.amount_due != 0:
        amounts.append((abs(doc.amount_due), "amount_due"))
    printed = [abs(doc.total), *map(abs, doc.candidate_totals)]
    for c in doc.candidate_totals:
        if c != 0 and not _net_of(abs(c), printed):
            amounts.append((abs(c), "candidate"))
    return amounts


# Standard VAT rates of the euro area (France's 20, 10 and 5.5 %, Germany's 19 and
# 7 %, Spain's, Belgium's and the Netherlands' 21 %), in hundredths of a percent.
_VAT_RATES = (2000, 1000, 550, 1900, 700, 2100)


def _net_of(amount: Decimal, printed: list[Decimal]) -> bool:
    """The amount is another printed amount before its VAT (9.17 next to 11.00 =
    9.17 + 20 %): the subtotal, never what a card or a transfer is charged.

    >>> _net_of(Decimal("9.17"), [Decimal("11.00"), Decimal("9.17")])
    True
    >>> _net_of(Decimal("9.50"), [Decimal("11.00"), Decimal("9.50")])
    False
    """
    net = cents_of(amount)
    for other in printed:
        gross = cents_of(other)
        if gross <= net:
            continue
        for rate in _VAT_RATES:
            if abs(net * (10_000 + rate) - gross * 10_000) <= 10_000 + rate:
                return True  # within a cent: the tax was rounded on the receipt
    return False


class Scorer:
    """Builds the candidate edges of one document."""

    def __init__(self, index: TransactionIndex, policy: MatchingPolicy, aliases: AliasBook):
        self.index = index
        self.policy = policy
        self.aliases = aliases
        self._doc_aliases: dict[int, tuple] = {}
        self.tol = cents_of(policy.rounding_tolerance)
        self.tip_debit_unit = max(1, cents_of(policy.tip_debit_unit))
        self.tip_amount_step = max(1, cents_of(policy.tip_amount_step))

    # --- dates -------------------------------------------------------------
    def _closeness(
        self, doc: DocumentLine, anchor: int | None, undated: bool, tx_i: int, doc_dir: int
    ) -> tuple[float, int | None] | None:
        """(closeness in [0.2, 1], delay in days) of the best tx date, or None if out of window."""
        if anchor is None:
            return 0.3, None
        p = self.policy
        tx = self.index.txs[tx_i]
        best: tuple[float, int] | None = None
        # A card debit is dated by its emission, the moment of payment (see the index).
        settle = None if self.index.is_card[tx_i] else self.index.settle_day[tx_i]
        for day in (self.index.day[tx_i], settle):
            if day is None:
                continue
            d = day - anchor
            c: float | None
            if undated:
                c = _undated_closeness(d, p)
            elif doc_dir > 0:
                c = _refund_closeness(d, p)
            elif settle is None and self.index.settle_day[tx_i] is not None:
                # A card debit known by its moment of payment (it has a posting date
                # too): the document is dated that day, or a little after (an
                # invoice issued at shipping), hardly ever before.
                c = _card_emitted_closeness(d, p, _card_days_before(doc, p))
            elif tx.operation_type == "card" or doc.document_type == "receipt":
                # A receipt proves a payment made that day, whatever its channel.
                c = _card_closeness(d, p, _card_days_before(doc, p))
            else:
                due_off = (
                    (doc.due_date.toordinal() - anchor)
                    if doc.due_date and doc.issue_date
                    else p.default_payment_term_days
                )
                c = _invoice_closeness(
                    d,
                    max(0, due_off),
                    p,
                    stated_due=doc.due_date is not None,
                    direct_debit=tx.operation_type == "direct_debit",
                )
            if c is not None and (best is None or c > best[0]):
                best = (c, d)
        return best

    # --- who ---------------------------------------------------------------
    def alias_candidates(self, doc: DocumentLine, doc_profile: NameProfile | None) -> tuple:
        """The aliases whose document side is `doc`'s supplier (cached per document)."""
        if not self.aliases.size:
            return ()
        key = id(doc)
        found = self._doc_aliases.get(key)
        if found is None:
            found = self._doc_aliases[key] = self.aliases.for_document(doc, doc_profile)
        return found

    def _alias(
        self, doc: DocumentLine, doc_profile: NameProfile | None, tx_i: int
    ) -> AliasLine | None:
        candidates = self.alias_candidates(doc, doc_profile)
        if not candidates:
            return None
        return AliasBook.applies(candidates, self.index.txs[tx_i], self.index.profile(tx_i))

    def _may_support(self, doc: DocumentLine, keys: tuple[str, ...], tx_i: int) -> bool:
        """Cheap necessary test for `_who` support: same IBAN, number in the reference,
        a learned alias, or a distinctive word (or the initials) of the supplier in
        the descriptor."""
        index = self.index
        tx = index.txs[tx_i]
        if doc.supplier_iban and doc.supplier_iban == tx.counterparty_iban:
            return True
        if self.aliases.size:
            doc_profile = document_profile(doc.supplier_name) if doc.supplier_name else None
            if self._alias(doc, doc_profile, tx_i) is not None:
                return True
        if (
            doc.invoice_number
            and tx.reference
            and reference_has_number(index.compact_reference(tx_i), doc.invoice_number)
        ):
            return True
        if keys:
            upper = index.upper(tx_i)
            return any(k in upper for k in keys)
        return False

    def _who(
        self, doc: DocumentLine, doc_profile: NameProfile | None, tx_i: int
    ) -> tuple[float, bool, _Who]:
        """(points, positive support?, evidence) from IBAN, reference and names."""
        p = self.policy
        tx = self.index.txs[tx_i]
        iban_equal = bool(
            doc.supplier_iban and tx.counterparty_iban and doc.supplier_iban == tx.counterparty_iban
        )
        ref_equal = bool(doc.invoice_number and tx.reference) and reference_has_number(
            self.index.compact_reference(tx_i), doc.invoice_number
        )
        tx_profile = self.index.profile(tx_i)
        sim = (
            None
            if doc_profile is None or tx_profile is None
            else profile_similarity(doc_profile, tx_profile)
        )
        if (
            sim is not None
            and sim < _WHOLE_NAME_SIMILARITY
            and whole_name_in(doc_profile, tx_profile)  # type: ignore[arg-type]
        ):
            # A city or a terminal word before the name (`CB 07/07 ANGERS LEMOINE &
            # FILS`) lowers the similarity; the whole name side by side still counts.
            sim = _WHOLE_NAME_SIMILARITY
        if (
            sim is not None
            and sim < _TRADE_CUT_INITIAL_SIMILARITY
            # Paid on the receipt's day (another payee of the trade may be paid the
            # same amount on another), by a supplier not known to be paid under
            # another name (an alias).
            and doc.issue_date is not None
            and self.index.day[tx_i] == doc.issue_date.toordinal()
            and (
                (
                    doc_profile[0][0] in _GENERIC_WORDS  # type: ignore[index]
                    and named_by_trade_and_code(doc_profile, tx.counterparty)  # type: ignore[arg-type]
                )
                or named_by_trade_cut(doc_profile, tx.counterparty)  # type: ignore[arg-type]
            )
            and not self.alias_candidates(doc, doc_profile)
        ):
            sim = (
                _TRADE_CUT_INITIAL_SIMILARITY
                if named_by_trade_cut(doc_profile, tx.counterparty, True)  # type: ignore[arg-type]
                else max(sim, _TRADE_AND_CODE_SIMILARITY)
            )
        if sim is None and article_not_in(doc.supplier_name, tx.counterparty):
            sim = 0.0  # (the only word the receipt kept is not there)
        iban_conflict = False
        if ref_equal:
            return _REFERENCE_POINTS, True, _Who(sim, iban_equal, ref_equal, False)
        if iban_equal:
            return _WHO_POINTS, True, _Who(sim, iban_equal, ref_equal, False)
        alias = self._alias(doc, doc_profile, tx_i)
        if alias is not None:
            points = max(_ALIAS_POINTS, _NAME_POINTS * sim) if sim is not None else _ALIAS_POINTS
            return points, True, _Who(sim, False, False, False, alias)
        if sim is None:
            points, support = _WHO_UNKNOWN, False
        elif sim >= p.name_support_similarity:
            points, support = _NAME_POINTS * sim, True
        elif sim < p.name_contradiction_similarity:
            points, support = _WHO_CONTRADICTION, False
        else:
            points, support = _WHO_WEAK, False
        if doc.supplier_iban and tx.counterparty_iban and not support:
            points += _IBAN_CONFLICT
            iban_conflict = True
        sibling = (
            sibling_number_in(self.index.compact_reference(tx_i), doc.invoice_number)
            if doc.invoice_number and tx.reference
            else None
        )
        if sibling is not None:
            points, support = _REFERENCE_CONFLICT, False  # whatever the name says
        return points, support, _Who(sim, False, False, iban_conflict, sibling_number=sibling)

    def _who_reasons(self, doc: DocumentLine, tx: TransactionLine, who: _Who) -> list[str]:
        p = self.policy
        reasons = []
        if who.iban_equal:
            reasons.append("supplier IBAN equals counterparty IBAN")
        if who.reference_equal:
            reasons.append(f"invoice number {doc.invoice_number} found in transfer reference")
        sim = who.similarity
        if who.alias is not None:
            supplier = doc.supplier_name or doc.supplier_vat or doc.supplier_iban
            reasons.append(
                f"supplier {supplier!r} is paid as {tx.counterparty!r}: "
                f"{who.alias.provenance()} (alias {who.alias.id})"
            )
            return reasons
        names = f"supplier name {doc.supplier_name!r} {{}} counterparty {tx.counterparty!r}"
        if sim is None:
            if not (who.iban_equal or who.reference_equal):
                reasons.append("no supplier name to compare with the counterparty")
        elif sim >= p.name_support_similarity:
            reasons.append(names.format("resembles") + f" ({sim:.2f})")
        elif who.iban_equal or who.reference_equal:
            pass
        elif sim < p.name_contradiction_similarity:
            reasons.append(names.format("does not resemble") + f" ({sim:.2f})")
        else:
            reasons.append(names.format("weakly resembles") + f" ({sim:.2f})")
        if who.iban_conflict:
            reasons.append("supplier IBAN differs from counterparty IBAN")
        if who.sibling_number is not None:
            reasons.append(
                f"the reference names another contract or invoice ({who.sibling_number}) "
                f"than {doc.invoice_number}"
            )
        return reasons

    # --- candidates --------------------------------------------------------
    def _window(
        self, doc: DocumentLine, anchor: int | None, undated: bool, doc_dir: int
    ) -> tuple[int, int, int, int]:
        """Day ranges (card lo, hi, other lo, hi) the date rules accept (cheap pre-filter)."""
        p = self.policy
        if anchor is None:
            return -(1 << 62), 1 << 62, -(1 << 62), 1 << 62
        if undated:
            lo, hi = anchor - p.undated_lookback_days, anchor + p.undated_lookahead_days
            return lo, hi, lo, hi
        if doc_dir > 0:
            lo, hi = anchor - p.refund_days_before_document, anchor + p.refund_window_days
            return lo, hi, lo, hi
        due_off = (
            doc.due_date.toordinal() - anchor
            if doc.due_date and doc.issue_date
            else p.default_payment_term_days
        )
        card_lo = anchor - _card_days_before(doc, p)
        card_hi = anchor + p.card_posting_delay_days
        if doc.document_type == "receipt":
            return card_lo, card_hi, card_lo, card_hi
        return (
            card_lo,
            card_hi,
            anchor - p.invoice_days_before_issue,
            anchor + max(0, due_off) + p.invoice_payment_window_after_due_days,
        )

    def _within_share(self, total_cents: int, debit_cents: int, by_ratio: int) -> bool:
        """Within the share of the bill a tip may take (`by_ratio`: the bill plus
        `tip_max_ratio`), or a round tip past it (+2.00 on a 5.63 coffee)."""
        return debit_cents <= by_ratio or (debit_cents - total_cents) % self.tip_debit_unit == 0

    def _tip_shaped(self, total_cents: int, debit_cents: int) -> bool:
        """The surplus is what a person adds on a card terminal: the bill rounded up
        to a whole `tip_debit_unit`, a tip that is a multiple of `tip_amount_step`,
        or a multiple of `tip_percent_step` percent of the bill (to the cent)."""
        extra = debit_cents - total_cents
        if debit_cents % self.tip_debit_unit == 0 or extra % self.tip_amount_step == 0:
            return True
        return _whole_percent(total_cents, debit_cents, self.policy.tip_percent_step)

    def _tips(
        self,
        doc: DocumentLine,
        doc_profile: NameProfile,
        anchor: int,
        found: dict[int, tuple[str, Decimal, bool]],
        notes: list[str],
        skip: set[int] | frozenset[int] = frozenset(),
        word_ends: tuple[str, ...] | None = None,
    ) -> list[int]:
        """Card debits that may be this receipt's bill plus a tip (`skip`: taken already).

        A card receipt is printed when the card is charged, and the transaction's
        `emitted_at` is that moment (it settles days later), so a tip candidate is
        a card debit EMITTED ON THE RECEIPT'S DAY, in (total, total x (1 + tip max)],
        whose descriptor carries the receipt's whole name. Payments to the payee on
        other days do not compete; with none that day, the payee's only one the day
        before or after may be taken (`_day_off_tip`). Two candidates that day (or a
        look-alike payee paid in the range that day) are ambiguous. A payee paid more than
        `tip_payee_max_daily_payments` a day around the date (a chain) is refused:
        there, a payment in the range is as likely another purchase; above
        `tip_unshaped_max_daily_payments`, the surplus must look typed (`_tip_shaped`).
        """
        p = self.policy
        total_cents = cents_of(doc.total)
        if total_cents == 0:
            return []  # a bill of nothing (voided, or its total unread) takes no tip
        # A bill rounded up by a cent or two (24.99 -> 25.00) is a tip too: a card
        # debit in the receipt's currency is never a rounding gap (see `edges`).
        low = total_cents
        by_ratio = total_cents + int(total_cents * p.tip_max_ratio)
        high = max(by_ratio, total_cents + cents_of(p.round_tip_max))
        # Descriptors are found by the start of the receipt's distinctive words or,
        # when the receipt's copy damaged those (`Le Petit Catine`), by their ends.
        keys = word_ends or distinctive_prefixes(doc_profile) + undoubled_prefixes(doc_profile)
        that_day = self._tips_that_day(
            doc, doc_profile, anchor, (low, by_ratio, high), keys, found, notes, skip, word_ends
        )
        if that_day is None:
            return []
        same_day, cut_only, rivals = that_day
        if not same_day:
            return self._tips_on_other_days(
                doc, doc_profile, anchor, (low, high), keys, rivals, found, notes, skip, word_ends
            )
        return self._typed_tips(doc, doc_profile, anchor, keys, same_day, cut_only, rivals, notes)

    def _tips_that_day(
        self,
        doc: DocumentLine,
        doc_profile: NameProfile,
        anchor: int,
        tip_range: tuple[int, int, int],
        keys: tuple[str, ...],
        found: dict[int, tuple[str, Decimal, bool]],
        notes: list[str],
        skip: set[int] | frozenset[int],
        word_ends: tuple[str, ...] | None,
    ) -> tuple[list[int], set[int], list[int]] | None:
        """Pass 1 of `_tips`: (candidates, those found only by a cut word, look-alike
        rivals) among the card debits of the receipt's day in `tip_range` (low, the
        bill's share, high), or None when too many look-alikes were paid (a note)."""
        p, index = self.policy, self.index
        low, by_ratio, high = tip_range
        total_cents = low
        # A descriptor cut by the card network may keep only the name's first word
        # whole (`SUMUP *BOULANGERIE MA`): that word lets a debit in for `same_name`.
        first = doc_profile[0][0] if len(doc_profile[0][0]) >= 4 else None
        stump_words = tuple(t for t in doc_profile[0][1:] if t not in _GENERIC_WORDS)
        stump_keys = tuple({" " + t[:2] for t in stump_words})
        same_day: list[int] = []  # whole name, in the tip range, emitted that day
        cut_only: set[int] = set()  # ... found by the start of a word the network cut
        rivals: list[int] = []  # look-alike payees in the tip range that day
        # Pass 1: debits of the receipt's day in the tip range, found by bisection on
        # the amount; names are compared only where the descriptor holds one of the
        # receipt's distinctive words, and at most `TIP_NAME_BUDGET` times: past
        # that, so many look-alike payees were paid in the range that day that no
        # tip can be told (and the work stays linear whatever names they share).
        budget, stumps = TIP_NAME_BUDGET, TIP_NAME_BUDGET
        word_starts: frozenset[str] | None = None  # (of the stump words, when first needed)
        amounts, rows = index.card_amounts(doc.currency, anchor)
        lo_i, hi_i = bisect_right(amounts, low), bisect_right(amounts, high)
        hits, trade_cut = self._tip_hits(
            doc.currency, anchor, (lo_i, hi_i), keys, first, (stump_words, stump_keys), word_ends
        )
        for j in sorted(hits):
            tx_i = rows[j]
            if tx_i in found or tx_i in skip:
                continue
            debit = amounts[j]
            if debit > by_ratio and not self._within_share(total_cents, debit, by_ratio):
                continue  # (the comparison first: this loop is hot on crowded days)
            upper = index.upper(tx_i)
            distinctive = any(map(upper.__contains__, keys))
            if not distinctive:
                # Only the first word is there: a cut name, or another business. A
                # few are looked at; a crowd of them is no evidence either way.
                if first is None or stumps <= 0 or first not in upper:
                    continue
                if j in trade_cut:
                    stumps -= 1
                    if named_by_trade_cut(doc_profile, index.txs[tx_i].counterparty, True):
                        same_day.append(tx_i)
                        cut_only.add(tx_i)
                    continue
                if not any(map(upper.__contains__, stump_keys)):
                    continue
                # The start of the receipt's next word, to the letter: the amount says
                # little here, and a short word one letter off is another word (`BRON`,
                # a town, for `BRUNO`).
                if word_starts is None:
                    word_starts = _word_starts(stump_words)
                if word_starts.isdisjoint(_WORDS.split(upper)):
                    continue  # no word there is the start of the receipt's next word
                stumps -= 1
                tx_profile = index.profile(tx_i)
                if tx_profile is not None and same_name(doc_profile, tx_profile):
                    same_day.append(tx_i)
                    cut_only.add(tx_i)
                continue
            budget -= 1
            if budget < 0:
                notes.append(
                    f"no tip match: more than {TIP_NAME_BUDGET} look-alike payees were paid "
                    "in the tip range that day"
                )
                return None
            tx_profile = index.profile(tx_i)
            if tx_profile is None:
                continue
            if profile_similarity(doc_profile, tx_profile) < p.tip_lookalike_similarity:
                continue
            # `Le Marmite de Emma` is not `LE MARMITE DE ROSE`: a tip candidate
            # carries the receipt's whole name; a look-alike only competes.
            _sort_tip_candidate(doc_profile, tx_profile, tx_i, same_day, rivals)
        return self._whole_names_first(doc_profile, same_day), cut_only, rivals

    def _tip_hits(
        self,
        currency: str,
        anchor: int,
        span: tuple[int, int],
        keys: tuple[str, ...],
        first: str | None,
        stumps: tuple[tuple[str, ...], tuple[str, ...]],
        word_ends: tuple[str, ...] | None,
    ) -> tuple[set[int], set[int]]:
        """Positions in `span` of the day's card debits (see `card_amounts`) whose
        descriptor may carry the receipt's name, and among them those that may carry
        it cut after its trade word (`STRIPE*QUINCAILLERIE L FR19` for
        `Quincaillerie Lecomte`)."""
        index = self.index
        lo_i, hi_i = span
        # The day's descriptors, in amount order, are one text: the tip range is one
        # slice of it, searched for the receipt's words at C speed.
        hits = index.card_text_hits(currency, anchor, lo_i, hi_i, keys)
        stump_words, stump_keys = stumps  # (the words after the first, and their starts)
        if first is None or not stump_words or word_ends is not None:
            return hits, set()
        _, rows = index.card_amounts(currency, anchor)
        hits |= {
            j
            for j in index.card_text_hits(currency, anchor, lo_i, hi_i, stump_keys)
            if first in index.upper(rows[j])
        }
        if first not in _GENERIC_WORDS:
            return hits, set()
        cut_key = (f"{first} {stump_words[0][0]}",)
        trade_cut = index.card_text_hits(currency, anchor, lo_i, hi_i, cut_key) - hits
        return hits | trade_cut, trade_cut

    def _whole_names_first(self, doc_profile: NameProfile, same_day: list[int]) -> list[int]:
        """A descriptor that carries the name only as the card network cut it
        (`ZETTLE_*LE BOUCHON DU`) may be any payee whose name starts so: with the
        receipt's whole name paid that day, that one is the payee."""
        if len(same_day) < 2:
            return same_day
        index = self.index
        whole = [t for t in same_day if same_whole_name(doc_profile, index.profile(t))]
        return whole or same_day

    def _tips_on_other_days(
        self,
        doc: DocumentLine,
        doc_profile: NameProfile,
        anchor: int,
        tip_range: tuple[int, int],
        keys: tuple[str, ...],
        rivals: list[int],
        found: dict[int, tuple[str, Decimal, bool]],
        notes: list[str],
        skip: set[int] | frozenset[int],
        word_ends: tuple[str, ...] | None,
    ) -> list[int]:
        """`_tips` with no candidate on the receipt's day: the payee looked for by the
        ends of the receipt's words, or its one payment the day before or after."""
        index = self.index
        low, high = tip_range
        total_cents = low
        by_ratio = total_cents + int(total_cents * self.policy.tip_max_ratio)
        if word_ends is not None:
            return []  # (found by the start of its words, the payee was looked for already)
        # The payee paid in the tip range the day before or after (the likeliest
        # slips of a day): taken when alone (`_day_off_tip`), else told in a note.
        other_days: list[int] = []
        for day in (anchor - 1, anchor + 1):
            if len(other_days) >= 4:
                continue
            amounts, rows = index.card_amounts(doc.currency, day)
            for tx_i in rows[bisect_right(amounts, low) : bisect_right(amounts, high)]:
                # Charged in the small hours after the receipt's evening (few debits
                # then), the name may be there cut by the network before its own word
                # (`PAYPLUG*BISTROT DU CER` for Bistrot du Cerisier).
                if any(k in index.upper(tx_i) for k in keys) or self._late_night(tx_i, anchor):
                    tx_profile = index.profile(tx_i)
                    if tx_profile is not None and same_name(doc_profile, tx_profile):
                        other_days.append(tx_i)
        if not rivals and not other_days:
            ends = _distinctive_ends(doc_profile, keys)
            if ends:
                return self._tips(doc, doc_profile, anchor, found, notes, skip, ends)
        if len(other_days) == 1:
            if self._day_off_tip(doc, doc_profile, anchor, keys, by_ratio, other_days[0]):
                return other_days
        if other_days:
            listed = ", ".join(index.txs[t].id for t in other_days[:4])
            notes.append(
                f"no tip match: card payments to this payee in the tip range ({listed}) "
                "were not made on the receipt's day"
            )
        return []

    def _typed_tips(
        self,
        doc: DocumentLine,
        doc_profile: NameProfile,
        anchor: int,
        keys: tuple[str, ...],
        same_day: list[int],
        cut_only: set[int],
        rivals: list[int],
        notes: list[str],
    ) -> list[int]:
        """Pass 2 of `_tips`: the candidates of the receipt's day kept when the payee is
        no chain, the surplus looks typed, and no look-alike rival is as close."""
        p, index = self.policy, self.index
        total_cents = cents_of(doc.total)
        window = p.tip_payee_window_days
        # Pass 2, for a candidate only: how often the payee is paid (descriptors
        # carrying its whole name; `Bar Bastion` is not `Crêperie du Bastion`). The
        # look is bounded: past `_TIP_SCAN_BUDGET` descriptors sharing the payee's
        # words in the week, it is a chain (or a crowd of look-alikes) either way.
        chain = p.tip_payee_max_daily_payments * (2 * window + 1)
        limit = chain + len(same_day)
        # Descriptors sharing a word with the payee in the week bound its volume:
        # when they are too few to make a chain, names are compared only if the
        # exact count is asked for (an unshaped tip, below).
        sharing = self._sharing_payee_words(doc.currency, anchor, window, keys)
        if len(sharing) < _TIP_SCAN_BUDGET and len(sharing) <= limit:
            others: int | None = None
        else:
            others = self._payee_volume(doc_profile, sharing, limit, same_day) - len(same_day)
            if others > chain:
                notes.append(
                    f"no tip match: {others} other card payments to this payee within "
                    f"{window} days of the receipt (a chain): a payment in the tip range is "
                    "as likely another purchase"
                )
                return []
        # A tip is typed by a person: the bill rounded up, a round tip, or a
        # terminal's percentage preset. Any other surplus, at a payee paid often,
        # is as likely another purchase there that day.
        shaped = [t for t in same_day if self._tip_shaped(total_cents, index.cents[t])]
        # Whether tipping is customary is a property of the payee, not of one
        # descriptor: the receipt or any of the payee's descriptors may say so.
        customary = tip_customary(doc.supplier_name) or any(index.tip_flag(t) for t in same_day)
        if customary:
            # Where people tip, a whole percentage typed on the terminal (7 %) is as
            # typed as its presets, within the usual share of the bill (5-15 %).
            ceiling = total_cents * p.unshaped_tip_max_ratio
            floor = total_cents * p.typed_tip_min_ratio
            shaped = [
                t
                for t in same_day
                if t in shaped
                or (
                    floor <= index.cents[t] - total_cents <= ceiling
                    and _whole_percent(total_cents, index.cents[t])
                )
            ]
        if not customary and (
            tip_unlikely(doc.supplier_name)
            or all(tip_unlikely(index.txs[t].counterparty) for t in same_day)
        ):
            notes.append(
                "no tip match: nobody tips at this payee (a toll, a car park, a hotel, a web "
                "shop): a larger debit there that day is another purchase"
            )
            return []
        unshaped_ok = customary or p.unshaped_tip_at_any_payee
        if not shaped and unshaped_ok and others is None:
            others = self._payee_volume(doc_profile, sharing, limit, same_day) - len(same_day)
        if (
            not shaped
            and unshaped_ok
            and others is not None
            and others <= p.tip_unshaped_max_daily_payments * (2 * window + 1)
        ):
            # A restaurant paid rarely: another purchase there that day is unlikely.
            # Typed by hand, a tip beyond the usual percentages is rare enough to
            # be another purchase. So is a surplus no one types, neither a sum nor a
            # whole percentage (+1.78 on 23.39), unless the payee is paid nowhere
            # else around the date.
            shaped = self._unshaped_tips(
                doc_profile,
                total_cents,
                same_day,
                cut_only,
                (others, sharing, anchor, doc.currency, keys),
            )
        if not shaped:
            listed = ", ".join(
                f"{index.txs[t].id} {fmt_amount(index.txs[t].amount)}" for t in same_day
            )
            notes.append(
                f"no tip match: the surplus of {listed} over the receipt total is not a typed "
                "tip (rounded bill, round tip or percentage preset)"
            )
            return []
        same_day = shaped
        if rivals:
            rivals = self._close_rivals(doc_profile, same_day, rivals)
        if rivals:
            listed = ", ".join(index.txs[t].id for t in [*same_day, *rivals][:4])
            notes.append(
                f"no tip match: look-alike payees paid in the tip range that day ({listed})"
            )
            return []
        if p.tip_at_rare_payees or customary:
            return same_day
        rounded_ups = _rounded_up(total_cents, p.rounded_tip_max_ratio)
        return [t for t in same_day if index.cents[t] in rounded_ups]

    def _unshaped_tips(
        self,
        doc_profile: NameProfile,
        total_cents: int,
        same_day: list[int],
        cut_only: set[int],
        volume: tuple[int, list[int], int, str, tuple[str, ...]],
    ) -> list[int]:
        """The day's candidates whose arbitrary surplus (+6.5 %) is taken as a tip at a
        payee where tips are customary, within `unshaped_tip_max_ratio` of the bill: at a
        payee paid nowhere else around the date, or a whole percentage typed (7 %), or,
        at a payee paid at most `tip_unshaped_max_others` times around the date, never
        again on the receipt's day and rarely in the fortnight, the day's only candidate,
        from 5 % of the bill, when its descriptor carries the receipt's whole name
        exactly (`volume`: the payee's other payments around the date, the debits
        sharing its words, the receipt's day, its currency, the keys its descriptors
        are found by)."""
        index, p = self.index, self.policy
        others, sharing, anchor, currency, keys = volume
        ceiling = total_cents * p.unshaped_tip_max_ratio
        kept = [
            t
            for t in same_day
            if index.cents[t] - total_cents <= ceiling
            and t not in cut_only
            and (others == 0 or _whole_percent(total_cents, index.cents[t]))
        ]
        if kept or len(same_day) != 1 or others > p.tip_unshaped_max_others:
            return kept
        (t,) = same_day
        tx_profile = index.profile(t)
        extra = index.cents[t] - total_cents
        if (
            extra > ceiling
            or extra < total_cents * p.typed_tip_min_ratio
            or t in cut_only
            or tx_profile is None
            or not whole_name_in(doc_profile, tx_profile)
            or profile_similarity(doc_profile, tx_profile) < 1.0
            or self._paid_again_that_day(doc_profile, sharing, anchor, t)
            or self._paid_often_in_the_fortnight(doc_profile, currency, anchor, keys, t)
        ):
            return []
        return [t]

    def _paid_often_in_the_fortnight(
        self,
        doc_profile: NameProfile,
        currency: str,
        anchor: int,
        keys: tuple[str, ...],
        candidate: int,
    ) -> bool:
        """The payee of `candidate` is paid more than `tip_unshaped_max_others_fortnight`
        other times within `tip_unshaped_fortnight_days` of `anchor`: a regular, whose
        arbitrary surplus that day is as likely another purchase."""
        p = self.policy
        limit = p.tip_unshaped_max_others_fortnight
        days = p.tip_unshaped_fortnight_days
        sharing = self._sharing_payee_words(currency, anchor, days, keys)
        return self._payee_volume(doc_profile, sharing, limit + 1, [candidate]) - 1 > limit

    def _paid_again_that_day(
        self, doc_profile: NameProfile, sharing: list[int], anchor: int, candidate: int
    ) -> bool:
        """Another of `sharing`, emitted on `anchor`, carries the receipt's whole name:
        the payee was paid twice that day, so the candidate may be the other purchase."""
        index = self.index
        for t in sharing:
            if t == candidate or index.day[t] != anchor:
                continue
            tx_profile = index.profile(t)
            if tx_profile is not None and same_name(doc_profile, tx_profile):
                return True
        return False

    def _tips_abroad(
        self,
        doc: DocumentLine,
        doc_profile: NameProfile,
        anchor: int,
        found: dict[int, tuple[str, Decimal, bool]],
        notes: list[str],
        skip: set[int] | frozenset[int] = frozenset(),
    ) -> list[int]:
        """Card debits paid abroad whose local amount is the receipt's total plus a tip
        (a meal or a cab abroad, where tips of 15-20 % are usual), under the receipt's
        whole name, on its local day (the Paris day or the one either side: time
        zones). One such debit is the receipt's; two are ambiguous."""
        p, index = self.policy, self.index
        total_cents = cents_of(doc.total)
        if total_cents == 0:
            return []
        high = total_cents + int(total_cents * p.tip_max_ratio)
        budget = TIP_NAME_BUDGET
        out: list[int] = []
        for day in (anchor - 1, anchor, anchor + 1):
            for _, tx_i in index.abroad_range(doc.currency, day, total_cents, high):
                if tx_i in found or tx_i in skip:
                    continue
                budget -= 1
                if budget < 0:
                    return []  # a crowd paid in that range: no tip can be told
                tx_profile = index.profile(tx_i)
                if tx_profile is not None and same_name(doc_profile, tx_profile):
                    out.append(tx_i)
        if len(out) > 1:
            listed = ", ".join(index.txs[t].id for t in out[:4])
            notes.append(f"no tip match: several card payments abroad in the tip range ({listed})")
            return []
        return out

    def _close_rivals(
        self, doc_profile: NameProfile, same_day: list[int], rivals: list[int]
    ) -> list[int]:
        """The look-alike payees nearly as alike as the best tip candidate: those
        could be the receipt's payee under a damaged name; the others are not."""
        index = self.index

        def alike(tx_i: int) -> float:
            tx_profile = index.profile(tx_i)
            return 0.0 if tx_profile is None else profile_similarity(doc_profile, tx_profile)

        floor = max(alike(t) for t in same_day) - self.policy.tip_rival_margin
        return [t for t in rivals if alike(t) > floor]

    def _day_off_tip(
        self,
        doc: DocumentLine,
        doc_profile: NameProfile,
        anchor: int,
        keys: tuple[str, ...],
        by_ratio: int,
        tx_i: int,
    ) -> bool:
        """Whether the payee's only debit in the tip range, emitted the day before or
        after the receipt, is its bill and tip: a bill printed before midnight and
        paid after, or a date misread. Only a typed tip, at a restaurant (a tip
        elsewhere is as likely another purchase), paid rarely around the date; a debit
        charged in the small hours after the receipt's evening (`_late_night`) is
        judged by the receipt day's rules instead: a typed tip at any payee where tips
        are not unusual, an arbitrary surplus where they are customary."""
        p, index = self.policy, self.index
        total_cents, debit = cents_of(doc.total), index.cents[tx_i]
        late = self._late_night(tx_i, anchor)
        shaped = self._tip_shaped(total_cents, debit)
        if not shaped and not late:
            return False
        if not self._within_share(total_cents, debit, by_ratio):
            return False
        # A day off weakens the evidence: the name must be the receipt's, not one
        # sharing a word with it (`CREPERIE DU CIGALE` for `L'Cigale`).
        tx_profile = index.profile(tx_i)
        if tx_profile is None or names_another_trade(doc_profile, tx_profile):
            return False
        if profile_similarity(doc_profile, tx_profile) < _DAY_OFF_TIP_SIMILARITY and not (
            late
            and (
                whole_name_in(doc_profile, tx_profile)
                or (truncated_name_in(doc_profile, tx_profile) or 0) >= _LATE_STUMP_LETTERS
            )
        ):
            return False
        if not (tip_customary(doc.supplier_name) or index.tip_flag(tx_i)) and not (
            # Charged late on the receipt's evening, a typed tip is one as on its day.
            late
            and shaped
            and not tip_unlikely(doc.supplier_name)
            and not tip_unlikely(index.txs[tx_i].counterparty)
        ):
            return False
        window = p.tip_payee_window_days
        rare = p.tip_unshaped_max_daily_payments * (2 * window + 1)
        sharing = self._sharing_payee_words(doc.currency, anchor, window, keys)
        others = self._payee_volume(doc_profile, sharing, rare, [tx_i]) - 1
        if shaped or others > rare:
            return others <= rare
        # Charged in the small hours after the receipt's evening: the receipt's day, so
        # its rule for an arbitrary surplus (`_tips`).
        return debit - total_cents <= total_cents * p.unshaped_tip_max_ratio and (
            others == 0 or _whole_percent(total_cents, debit)
        )

    def _late_night(self, tx_i: int, anchor: int) -> bool:
        """The debit was emitted in the small hours of the day after `anchor`, at a time
        of day given (not a bare date at midnight), before `late_night_hours` (Paris
        time): a bill printed before midnight and charged after it."""
        if self.index.day[tx_i] != anchor + 1:
            return False
        local = self.index.txs[tx_i].emitted_at.astimezone(PARIS)
        seconds = local.hour * 3600 + local.minute * 60 + local.second
        return 0 < seconds < self.policy.late_night_hours * 3600

    def _sharing_payee_words(
        self, currency: str, anchor: int, window: int, keys: tuple[str, ...]
    ) -> list[int]:
        """Card debits emitted within `window` days of `anchor` whose descriptor has a
        word starting with one of `keys` (each once, day by day, key by key), at most
        `_TIP_SCAN_BUDGET`: past that, the payee is a chain or a crowd either way."""
        out = self._sharing_words_scan(currency, anchor, window, keys)
        if len(out) >= _TIP_SCAN_BUDGET and len(keys) > 1:
            # One common word (`GOURMAND`, `TRATTORIA`) can fill the budget with other
            # payees: a descriptor carrying the payee's whole name carries each of its
            # words, so the rarest word alone finds the payee's payments.
            for key in keys:
                alone = self._sharing_words_scan(currency, anchor, window, (key,))
                if len(alone) < len(out):
                    out = alone
        return out

    def _sharing_words_scan(
        self, currency: str, anchor: int, window: int, keys: tuple[str, ...]
    ) -> list[int]:
        index = self.index
        out: list[int] = []
        for day in range(anchor - window, anchor + window + 1):
            words = index.card_words_indexed(currency, day)
            # A debit is filed under its day only, and under a key at most once: only
            # the keys of one day can name it twice.
            today: list[int] = []
            for key in keys:
                rows = (
                    words.get(key, ())
                    if words is not None
                    else index.card_word_rows(currency, day, key)
                )
                if today:
                    known = set(today)
                    today.extend([tx_i for tx_i in rows if tx_i not in known])
                else:
                    today = list(rows)
                if len(out) + len(today) >= _TIP_SCAN_BUDGET:
                    return [*out, *today][:_TIP_SCAN_BUDGET]
            out.extend(today)
        return out

    def _payee_volume(
        self, doc_profile: NameProfile, sharing: list[int], limit: float, payee: list[int]
    ) -> int:
        """How many of `sharing` are payments to the payee of the candidate debits
        `payee`: they carry the receipt's whole name (`Bar Bastion` is not `Crêperie du
        Bastion`) and name no trade that neither the receipt nor those debits name
        (`L'Bastion`, paid as `SUMUP *L'BASTION`, is not `AUBERGE DU BASTION`); past
        `limit`, or when `sharing` reached the scan budget, more than `limit` (a chain
        either way)."""
        index = self.index
        trades = trade_words(doc_profile).union(
            *(trade_words(p) for p in map(index.profile, payee) if p is not None)
        )
        volume = 0
        for n, tx_i in enumerate(sharing, start=1):
            tx_profile = index.profile(tx_i)
            if (
                tx_profile is not None
                and same_name(doc_profile, tx_profile)
                and trade_words(tx_profile) <= trades
            ):
                volume += 1
            if n >= _TIP_SCAN_BUDGET or volume > limit:
                return max(volume, int(limit) + 1)
        return volume

    def frame(self, doc: DocumentLine) -> Frame:
        """The document's direction, date anchor and candidate day windows."""
        doc_dir = 1 if doc.document_type == "credit_note" or doc.total < 0 else -1
        if doc.issue_date is not None:
            anchor: int | None = doc.issue_date.toordinal()
            undated = False
        elif doc.received_at is not None:
            anchor = paris_day(doc.received_at)
            undated = True
        else:
            anchor, undated = None, True
        card_lo, card_hi, lo, hi = self._window(doc, anchor, undated, doc_dir)
        return Frame(doc_dir, anchor, undated, card_lo, card_hi, lo, hi)

    def exact_candidates(self, doc: DocumentLine, f: Frame) -> dict[int, tuple[str, Decimal]]:
        """Transactions of exactly one of the document's amounts in its date windows,
        widened to `_FAST_DAYS` either side of a dated document (tx -> kind, amount)."""
        card_lo, card_hi, lo, hi = f.card_lo, f.card_hi, f.lo, f.hi
        if f.anchor is not None and not f.undated:
            card_lo = min(card_lo, f.anchor - _FAST_DAYS)
            card_hi = max(card_hi, f.anchor + _FAST_DAYS)
            lo, hi = min(lo, f.anchor - _FAST_DAYS), max(hi, f.anchor + _FAST_DAYS)
        amount_rows = self.index.amount_rows
        first_day, last_day = min(card_lo, lo), max(card_hi, hi)
        out: dict[int, tuple[str, Decimal]] = {}
        for amount, kind in _amounts(doc):
            rows = amount_rows(doc.currency, f.doc_dir, cents_of(amount), first_day, last_day)
            local_kind = "local" if kind == "total" else kind
            for day, tx_i, card, local in rows:
                if card:
                    if not card_lo <= day <= card_hi:
                        continue
                elif not lo <= day <= hi:
                    continue
                if tx_i not in out:
                    out[tx_i] = (local_kind if local else kind, amount)
        self._drop_deposits(doc, f, out)
        return out

    def fast_edge(
        self, doc: DocumentLine, f: Frame, tx_i: int, kind: str, amount: Decimal
    ) -> Edge | None:
        """The edge of a document's only exact candidate, itself claimed by no other
        document, when nothing but its name could speak against it; else None (the
        full scoring decides).

        Accepted: the payee identified (IBAN, reference, learned alias, or a name
        at least `_FAST_NAME_SIMILARITY` alike), or no name to compare (absent is
        not different) on a date the rules accept, and for a card debit on the
        document's very day. A resembling, weak or contradicting name, a receipt
        paid otherwise than by card, and anything below `min_score` go to the full
        scoring.
        """
        p, index = self.policy, self.index
        tx = index.txs[tx_i]
        if tx.has_attachment or f.anchor is None:
            return None
        is_card = index.is_card[tx_i]
        if doc.document_type == "receipt" and not is_card:
            return None
        doc_profile = document_profile(doc.supplier_name) if doc.supplier_name else None
        who_points, support, who = self._who(doc, doc_profile, tx_i)
        fit = self._closeness(doc, f.anchor, f.undated, tx_i, f.doc_dir)
        if (
            support
            and (who.similarity or 0.0) < _FAST_NAME_SIMILARITY
            and not (who.iban_equal or who.reference_equal or who.alias is not None)
        ):
            return None  # a name that only resembles: let tips and look-alikes compete
        if support:
            if fit is None:
                # Outside the usual delays but within `_FAST_DAYS`, and nothing else
                # of this amount anywhere near: only an identity (IBAN, reference,
                # alias) says it is this payment; a name may be the payee's next visit.
                if not (who.iban_equal or who.reference_equal or who.alias is not None):
                    return None
                fit = (0.3, index.day[tx_i] - f.anchor)
        elif who.similarity is None and not who.iban_conflict:
            # No name to compare: the amount and the day must say it all, so a card
            # debit must be made on the document's very day.
            if doc.invoice_number and index.foreign.get(doc.currency):
                return None  # a transfer quoting its number, plus a fee, may be it
            if fit is None or (is_card and fit[1] != 0 and not _same_day_abroad(kind, fit[1])):
                return None
            if is_card and fit[1] == 0 and self._common_that_day(tx_i, kind):
                return None
            if amount == amount.to_integral_value() and not is_card:
                return None
        else:
            return None
        closeness, delay = fit
        score = max(
            0.0, min(1.0, _amount_points(kind, True) + _DATE_POINTS * closeness + who_points)
        )
        if score < p.min_score:
            return None
        reasons = self._reasons(doc, tx, kind, amount, True, delay, f.undated, f.anchor, who)
        reasons.append("the only transaction of this amount in the date window")
        return Edge(tx_i, round(score, 6), kind, amount, True, delay, reasons)

    def _drop_deposits(self, doc: DocumentLine, f: Frame, found: dict[int, tuple]) -> None:
        """Leave out of `found` (tx -> (kind, ...)) the payments of the amount due that
        cannot be that payment. What an invoice leaves to pay after a deposit is owed
        from its issue date: a payment of that amount emitted before is something
        else. When the deposit was the same amount (half now, half later), the
        deposit comes first: of two such payments to one payee, the one on or before
        the issue date is the deposit the invoice deducts, the later one the balance."""
        if f.anchor is None or f.undated or doc.amount_due is None:
            return
        index = self.index
        days = index.day  # emission days (rows are also filed by posting day)
        due = [t for t, v in found.items() if v[0] == "amount_due"]
        halves = abs(doc.total) - abs(doc.amount_due) == abs(doc.amount_due)
        later = [t for t in due if days[t] > f.anchor] if halves else []
        for t in due:
            if days[t] < f.anchor or (
                days[t] == f.anchor and any(index.same_payee(t, other) for other in later)
            ):
                del found[t]

    def edges(
        self, doc: DocumentLine, taken: set[int] | frozenset[int] = frozenset()
    ) -> tuple[list[Edge], list[Edge], list[str]]:
        """(free candidate edges, edges to attached transactions, notes) for one
        document; transactions in `taken` (already matched) are left out."""
        p = self.policy
        f = self.frame(doc)
        # tx index -> (amount kind, document amount, exact?)
        found = self._amount_candidates(doc, f, taken)
        self._drop_deposits(doc, f, found)
        self._fee_candidates(doc, f, found, taken)
        doc_profile = document_profile(doc.supplier_name) if doc.supplier_name else None
        free: list[Edge] = []
        attached: list[Edge] = []
        notes: list[tuple[float, str]] = []
        weak: list[tuple] = []
        tip_notes: list[str] = []
        self._score(doc, doc_profile, f, found, free, attached, notes, weak)
        if (
            f.doc_dir < 0
            and f.anchor is not None
            and not f.undated
            and doc.document_type == "receipt"
            and doc_profile is not None
            and max((e.score for e in free), default=0.0) < _TIP_BEST + p.ambiguity_margin
        ):
            # Tip candidates, unless a free candidate already beats any tip edge by
            # the margin (then they could change nothing: skipped, for speed).
            tips = {
                tx_i: ("tip", abs(doc.total), False)
                for tx_i in self._tips(doc, doc_profile, f.anchor, found, tip_notes, taken)
            }
            if not tips:
                tips = {
                    tx_i: ("local_tip", abs(doc.total), False)
                    for tx_i in self._tips_abroad(
                        doc, doc_profile, f.anchor, found, tip_notes, taken
                    )
                }
            self._score(doc, doc_profile, f, tips, free, attached, notes, weak)
        free = self._without_loose_ties(free, notes)
        weak.sort(key=lambda w: (-w[0], w[1]))
        for score, tx_i, kind, amount, exact, delay, who in weak[:3]:
            tx = self.index.txs[tx_i]
            reasons = self._reasons(doc, tx, kind, amount, exact, delay, f.undated, f.anchor, who)
            notes.append((score, f"transaction {tx.id} scored {score:.2f}: " + "; ".join(reasons)))
        notes.extend((0.5, text) for text in tip_notes)
        notes.sort(key=lambda n: -n[0])
        return free, attached, [text for _, text in notes[:3]]

    def _amount_candidates(
        self, doc: DocumentLine, f: Frame, taken: set[int] | frozenset[int]
    ) -> dict[int, tuple[str, Decimal, bool]]:
        """Transactions of one of the document's amounts (to the cent, or within the
        rounding tolerance where it applies) in its date windows, each with the best
        kind it was found as: tx -> (amount kind, document amount, exact?)."""
        index = self.index
        doc_dir, currency = f.doc_dir, doc.currency
        card_lo, card_hi, lo, hi = f.card_lo, f.card_hi, f.lo, f.hi
        amount_rows, roundable = index.amount_rows, index.roundable
        first_day, last_day = min(card_lo, lo), max(card_hi, hi)
        found: dict[int, tuple[str, Decimal, bool]] = {}
        seen_cents: set[int] = set()
        for amount, kind in _amounts(doc):
            cents = cents_of(amount)
            if cents in seen_cents:
                continue
            seen_cents.add(cents)
            local_kind = "local" if kind == "total" else kind
            for delta in range(-self.tol, self.tol + 1):
                exact = delta == 0
                if not exact and (currency, doc_dir, cents + delta) not in roundable:
                    continue  # only card debits in their own currency: never within rounding
                rows = amount_rows(currency, doc_dir, cents + delta, first_day, last_day)
                for day, tx_i, card, local in rows:
                    if card:
                        # A card debit in the receipt's own currency is the total to
                        # the cent; rounding gaps come from conversions and invoices.
                        if not (exact or local) or not card_lo <= day <= card_hi:
                            continue
                    elif not lo <= day <= hi:
                        continue
                    if tx_i in taken:
                        continue
                    offered = local_kind if local else kind
                    prev = found.get(tx_i)
                    if prev is None or (
                        _amount_points(offered, exact) > _amount_points(prev[0], prev[2])
                    ):
                        found[tx_i] = (offered, amount, exact)
        return found

    def _fee_candidates(
        self,
        doc: DocumentLine,
        f: Frame,
        found: dict[int, tuple[str, Decimal, bool]],
        taken: set[int] | frozenset[int],
    ) -> None:
        """Add to `found` the transfers abroad of an invoice's total plus a bank fee."""
        if f.doc_dir >= 0 or f.anchor is None or f.undated or doc.document_type != "invoice":
            return
        p, index, days = self.policy, self.index, self.index.day
        per_month = index.foreign.get(doc.currency)
        if not per_month:
            return
        total_cents = cents_of(doc.total)
        fee_high = total_cents + cents_of(p.foreign_transfer_fee_max)
        fee_step = cents_of(p.foreign_transfer_fee_step) or 1
        for month in range(f.lo // FOREIGN_BUCKET_DAYS, f.hi // FOREIGN_BUCKET_DAYS + 1):
            rows = per_month.get(month)
            if not rows:
                continue
            i_lo = bisect_left(rows, (total_cents + self.tol + 1, -1))
            i_hi = bisect_right(rows, (fee_high, 1 << 62))
            for cents, tx_i in rows[i_lo:i_hi]:
                if (cents - total_cents) % fee_step:
                    continue  # bank fees are tariffs: round amounts
                if tx_i not in found and tx_i not in taken and f.lo <= days[tx_i] <= f.hi:
                    found[tx_i] = ("fee", abs(doc.total), False)

    def _without_loose_ties(self, free: list[Edge], notes: list[tuple[float, str]]) -> list[Edge]:
        """`free` less the tip, tip-abroad or fee candidates when two of a kind are
        within `tolerance_ambiguity_margin`: the tip (or fee) is unknown, so two
        payments to the same payee within the allowance are equally plausible; both
        are refused rather than one picked by date (said in `notes`)."""
        margin = self.policy.tolerance_ambiguity_margin
        for kind in ("tip", "local_tip", "fee"):
            loose = sorted(
                (e for e in free if e.amount_kind == kind), key=lambda e: (-e.score, e.tx)
            )
            if len(loose) > 1 and loose[0].score - loose[1].score < margin:
                free = [e for e in free if e.amount_kind != kind]
                listed = ", ".join(self.index.txs[e.tx].id for e in loose[:4])
                notes.append(
                    (
                        2.0,
                        f"ambiguous: {len(loose)} payments within the "
                        f"{_KIND_WORDS[kind].replace('the ', '')} ({listed})",
                    )
                )
        return free

    def _score(
        self,
        doc: DocumentLine,
        doc_profile: NameProfile | None,
        f: Frame,
        found: dict[int, tuple[str, Decimal, bool]],
        free: list[Edge],
        attached: list[Edge],
        notes: list[tuple[float, str]],
        weak: list[tuple],
    ) -> None:
        """Score candidate transactions into free / attached edges, notes and weak ones."""
        p, index = self.policy, self.index
        doc_dir, anchor, undated = f.doc_dir, f.anchor, f.undated
        all_keys = distinctive_prefixes(doc_profile) if doc_profile is not None else ()
        for tx_i, (kind, amount, exact) in found.items():
            tx = index.txs[tx_i]
            # A tolerance (tip, fee, rounding) or a missing date widens the net: it
            # needs a positive sign that the payee is the supplier.
            needs_support = (
                kind in ("tip", "local_tip", "fee")
                or not exact
                or anchor is None
                # A receipt is paid by card; paid otherwise, it needs more evidence.
                or (doc.document_type == "receipt" and not index.is_card[tx_i])
            )
            # A whole amount (`20.00`) is common: without a name it proves little,
            # except a card debit made on the document's very day (checked below)
            # or a direct debit collected on the invoice's stated due date.
            whole_unnamed = (
                doc_profile is None
                and amount == amount.to_integral_value()
                and not self._collected_on_due(doc, tx_i)
            )
            if whole_unnamed and not index.is_card[tx_i]:
                needs_support = True
            # Cheap test first: most tolerance candidates fail it. Tip candidates carry
            # the receipt's name already (`_tips`), maybe cut short past its keys.
            if (
                needs_support
                and kind not in ("tip", "local_tip")
                and not self._may_support(doc, all_keys, tx_i)
            ):
                continue
            fit = self._closeness(doc, anchor, undated, tx_i, doc_dir)
            if fit is None:
                continue
            closeness, delay = fit
            if (
                delay == 1
                and anchor is not None
                and kind not in ("tip", "local_tip")
                and self._late_night(tx_i, anchor)
            ):
                closeness = 1.0  # charged in the small hours after the document's evening
            if (
                delay != 0
                and index.is_card[tx_i]
                and (doc_profile is None or index.profile(tx_i) is None)
                and not _same_day_abroad(kind, delay)
            ):
                # No name to compare: only a card debit of the document's very day
                # stands on its amount (a day later, it may be anyone's payment).
                needs_support = True
            elif whole_unnamed and delay != 0:
                needs_support = True
            common = (
                not needs_support
                and delay == 0
                and index.is_card[tx_i]
                and (doc_profile is None or index.profile(tx_i) is None)
                and self._common_that_day(tx_i, kind)
            )
            who_points, support, who = self._who(doc, doc_profile, tx_i)
            if (needs_support or common) and not support:
                notes.append(
                    (
                        0.0,
                        f"transaction {tx.id} fits only by {_KIND_WORDS[kind]}"
                        f"{'' if exact else ' within rounding'}, "
                        "without a supporting name, IBAN or reference"
                        + (
                            f" ({fmt_amount(amount)} is paid by card often enough that another"
                            " purchase may be it)"
                            if common
                            else ""
                        ),
                    )
                )
                continue
            amount_points = _amount_points(kind, exact)
            if kind in ("tip", "local_tip"):
                paid = tx.local_amount if kind == "local_tip" else tx.amount
                extra = abs(paid or Decimal(0)) - amount
                ratio = float(extra / amount) if amount else 1.0
                amount_points = _AMOUNT_POINTS["tip"] - 0.08 * min(
                    1.0, ratio / float(p.tip_max_ratio)
                )
            score = amount_points + _DATE_POINTS * closeness + who_points
            score = max(0.0, min(1.0, score))
            if score < p.min_score - p.ambiguity_margin:
                weak.append((score, tx_i, kind, amount, exact, delay, who))
                continue
            reasons = self._reasons(doc, tx, kind, amount, exact, delay, undated, anchor, who)
            edge = Edge(tx_i, round(score, 6), kind, amount, exact, delay, reasons)
            (attached if tx.has_attachment else free).append(edge)

    def _common_that_day(self, tx_i: int, kind: str) -> bool:
        """A card debit whose amount other purchases would often put on its day
        (`nameless_coincidence_max`): with no name to compare, it may be anyone's."""
        return (
            kind in ("total", "amount_due", "candidate")  # not a payment abroad's
            and self.index.chance_same_amount(tx_i) >= self.policy.nameless_coincidence_max
        )

    def _collected_on_due(self, doc: DocumentLine, tx_i: int) -> bool:
        """A direct debit within `_DUE_DAYS` of the invoice's stated due date: the
        creditor collects on the date it pre-notified."""
        tx = self.index.txs[tx_i]
        if doc.due_date is None or tx.operation_type != "direct_debit":
            return False
        due = doc.due_date.toordinal()
        days = (self.index.day[tx_i], self.index.settle_day[tx_i])
        return any(d is not None and abs(d - due) <= _DUE_DAYS for d in days)

    def _reasons(
        self,
        doc: DocumentLine,
        tx: TransactionLine,
        kind: str,
        amount: Decimal,
        exact: bool,
        delay: int | None,
        undated: bool,
        anchor: int | None,
        who: _Who,
    ) -> list[str]:
        reasons = [_amount_reason(kind, amount, exact, doc, tx)]
        reasons.append(_date_reason(doc, tx, delay, undated, anchor is None))
        reasons.extend(self._who_reasons(doc, tx, who))
        return reasons


def _word_starts(words: tuple[str, ...]) -> frozenset[str]:
    """The starts of two letters or more that stop short of one of `words`
    (`BR`, `BRU`, `BRUN` of `BRUNO`): a word the card network cut."""
    return frozenset(word[:n] for word in words for n in range(2, len(word)))


def _rounded_up(total_cents: int, max_ratio: Decimal) -> frozenset[int]:
    """Debits (in cents) that round the bill up to the next 1, 5 or 10 units."""
    limit = total_cents + max(100, int(total_cents * max_ratio))
    out = set()
    for step in (100, 500, 1000):
        up = -(-(total_cents + 1) // step) * step
        if up <= limit:
            out.add(up)
    return frozenset(out)


def _amount_points(kind: str, exact: bool) -> float:
    return _AMOUNT_POINTS[kind] - (0.0 if exact else _ROUNDING_PENALTY)


_KIND_WORDS = {
    "tip": "the tip allowance",
    "local_tip": "the tip allowance on the local amount",
    "fee": "the foreign-transfer fee allowance",
    "total": "amount",
    "amount_due": "amount due",
    "candidate": "a candidate total",
    "local": "local amount",
}


def _same_day_abroad(kind: str, delay: int | None) -> bool:
    """A card payment abroad matched on its local amount, dated a day off: the
    receipt's day is local, the debit's is Paris's, and time zones move it by one."""
    return kind == "local" and delay is not None and abs(delay) <= 1


def _undated_closeness(d: int, p: MatchingPolicy) -> float | None:
    """Closeness of a payment `d` days from when an undated document was received:
    documents are mostly sent within weeks of their payment, so a nearer payment of
    the same amount and payee is preferred to a far one."""
    if d < -p.undated_lookback_days or d > p.undated_lookahead_days:
        return None
    if d >= -30:
        return 0.45
    return max(0.1, 0.45 - 0.35 * (-d - 30) / max(1, p.undated_lookback_days - 30))


def _card_days_before(doc: DocumentLine, p: MatchingPolicy) -> int:
    """How many days a card debit may precede the document's date."""
    if doc.document_type == "receipt":
        return p.card_days_before_receipt
    return p.card_days_before_document


def _card_closeness(d: int, p: MatchingPolicy, days_before: int) -> float | None:
    if d < -days_before or d > p.card_posting_delay_days:
        return None
    if d < 0:
        return max(0.3, 0.9 - 0.2 * -d)
    return max(0.3, 1.0 - 0.08 * d)


def _card_emitted_closeness(d: int, p: MatchingPolicy, days_before: int) -> float | None:
    if d < -days_before or d > p.card_emitted_after_document_days:
        return None
    if d < 0:
        return max(0.3, 0.9 - 0.2 * -d)
    # Emitted is the moment of payment: a day later is a slip (a receipt printed
    # before midnight, a day misread), no likelier than the day before, so a
    # payment of the receipt's own day to the same payee is preferred to it.
    return 1.0 if d == 0 else 0.7


def _invoice_closeness(
    d: int, due_off: int, p: MatchingPolicy, stated_due: bool = False, direct_debit: bool = False
) -> float | None:
    """Closeness of a transfer or direct debit `d` days after the issue date.

    Payments cluster at issue (subscriptions, prompt payers) and at the due date;
    late transfers are common, late direct debits are not (the creditor collects
    on the date it announced), so a direct debit long after a stated due date is
    more likely the next period's.
    """
    last = due_off + p.invoice_payment_window_after_due_days
    if d < -p.invoice_days_before_issue or d > last:
        return None
    if d < 0:
        return max(0.3, 0.65 - 0.05 * -d)
    if direct_debit and not stated_due:
        # A creditor collects on the date it pre-notified, within a couple of weeks
        # of a monthly invoice (`direct_debit_collection_days`); a debit of the same
        # amount a month later is the next invoice's. Dates pick the month.
        near = p.direct_debit_collection_days
        if d <= near:
            return 1.0 - 0.01 * d
        return max(0.2, 0.85 - 0.65 * (d - near) / near)
    best = 0.7
    if d <= 7:
        best = 1.0 - 0.02 * d
    if abs(d - due_off) <= 5:
        best = max(best, 0.8)
    if stated_due and abs(d - due_off) <= 2:
        best = max(best, 1.0 if direct_debit else 0.9)
    elif direct_debit and stated_due and d < due_off - 2:
        # A creditor collects on the due date it pre-notified, not a week early: an
        # earlier debit of the same amount is more likely another invoice's.
        best = min(best, 0.75)
    if d > due_off + 5:
        span = max(1, last - due_off - 5)
        top = 0.45 if direct_debit and stated_due else 0.7
        best = max(0.2, top - (top - 0.2) * (d - due_off - 5) / span)
    return best


def _refund_closeness(d: int, p: MatchingPolicy) -> float | None:
    if d < -p.refund_days_before_document or d > p.refund_window_days:
        return None
    if d < 0:
        return 0.6
    if d <= 14:
        return 1.0 - 0.01 * d
    return max(0.3, 0.86 - 0.56 * (d - 14) / max(1, p.refund_window_days - 14))


def _amount_reason(
    kind: str, amount: Decimal, exact: bool, doc: DocumentLine, tx: TransactionLine
) -> str:
    cur = doc.currency
    if kind == "local":
        how = "equals" if exact else "is within rounding of"
        return (
            f"amount {fmt_amount(amount)} {cur} {how} transaction local amount "
            f"{fmt_amount(tx.local_amount or Decimal(0))} {tx.local_currency} "
            f"(card payment abroad, debited {fmt_amount(tx.amount)} {tx.currency})"
        )
    if kind == "tip":
        extra = abs(tx.amount) - amount
        pct = (extra / amount * 100).quantize(Decimal("1")) if amount else Decimal(0)
        return (
            f"transaction {fmt_amount(tx.amount)} {cur} = receipt total {fmt_amount(amount)} "
            f"+ tip {fmt_amount(extra)} ({pct}%)"
        )
    if kind == "local_tip":
        local = abs(tx.local_amount or Decimal(0))
        extra = local - amount
        pct = (extra / amount * 100).quantize(Decimal("1")) if amount else Decimal(0)
        return (
            f"transaction local amount {fmt_amount(local)} {cur} = receipt total {fmt_amount(amount)} "
            f"+ tip {fmt_amount(extra)} ({pct}%) (card payment abroad, debited {fmt_amount(tx.amount)} "
            f"{tx.currency})"
        )
    if kind == "fee":
        extra = abs(tx.amount) - amount
        return (
            f"transaction {fmt_amount(tx.amount)} {cur} = invoice total {fmt_amount(amount)} "
            f"+ foreign transfer fee {fmt_amount(extra)}"
        )
    label = {"total": "amount", "amount_due": "amount due", "candidate": "candidate total"}[kind]
    refund = " (refund)" if doc.document_type == "credit_note" or doc.total < 0 else ""
    if exact:
        return f"{label} {fmt_amount(amount)} {cur} equals transaction amount{refund}"
    return (
        f"{label} {fmt_amount(amount)} {cur} is within rounding of transaction amount "
        f"{fmt_amount(tx.amount)}{refund}"
    )


def _date_reason(
    doc: DocumentLine, tx: TransactionLine, delay: int | None, undated: bool, no_date: bool
) -> str:
    if no_date:
        return "document has no date: date not checked"
    what = "reception date" if undated else f"{doc.document_type.replace('_', ' ')} date"
    if delay == 0:
        return f"{tx.operation_type.replace('_', ' ')} on the {what}"
    if delay is not None and delay > 0:
        return f"{tx.operation_type.replace('_', ' ')} {delay} days after the {what}"
    return f"{tx.operation_type.replace('_', ' ')} {-(delay or 0)} days before the {what}"
