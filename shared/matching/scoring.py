"""Candidate pairs of a document and its transactions, and their scores: amount, date and
who (IBAN, reference, name), tips, fees and rounding, as `MatchingPolicy` allows."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from decimal import Decimal

from shared.matching.aliases import AliasBook, AliasLine
from shared.matching.model import DocumentLine, TransactionLine
from shared.matching.name_similarity import (
    profile_similarity,
    same_whole_name,
    siblings,
    whole_name_in,
)
from shared.matching.names import (
    GENERIC_WORDS,
    NameProfile,
    article_not_in,
    distinctive_prefixes,
    document_profile,
)
from shared.matching.policy import MatchingPolicy
from shared.matching.references import (
    number_in_descriptor,
    reference_has_number,
    sibling_number_in,
)
from shared.matching.tips import TipSearch
from shared.matching.trades import (
    cut_at_field_end,
    named_by_trade_and_code,
    named_by_trade_cut,
)
from shared.matching.transaction_index import (
    FOREIGN_BUCKET_DAYS,
    TransactionIndex,
    cents_of,
    fmt_amount,
    paris_day,
)

# Score budget (see module docstring): amount + date + who = 1.0 at best.
_AMOUNT_POINTS = {
    "total": 0.45,
    "amount_due": 0.43,
    # A card payment's local amount abroad, to the cent in a currency the statement
    # rarely sees, is as telling as the total.
    "local": 0.45,
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
# A payee of the supplier's family of names, not the supplier (`Scorer._sibling_payee`):
# weak, not a contradiction (one company's trade and legal names look like a family).
_SIBLING_SIMILARITY = 0.5


# A receipt of another day than a card debit's is refused it when the payee was paid
# that amount on yet another day within this many days (`Scorer.bought_again`).
_REPEAT_PURCHASE_DAYS = 7
# ... or, for a receipt of no date, within this many days: receipts are sent within
# weeks, so a debit two months before another of the price is told apart by closeness.
_UNDATED_REPEAT_DAYS = 60
_ANOTHER_DAYS_PURCHASE = (
    "was paid on another day than the receipt's, to a payee paid that amount on other "
    "days too (a toll of one price, a commute): it may be any of those purchases"
)


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
    # The payee is another business of the supplier's family of names (`name_families`).
    sibling_payee: bool = False


# The fast pass (`Scorer.fast_edge`) looks this many days either side of a dated
# document for other payments of the same amount: at least what a naive "exact
# amount, +-5 days, only candidate" rule sees, so it never matches less than that.
_FAST_DAYS = 5
# ... and decides on a name only when it is this close (the whole name, or the name
# cut by the card network); a mere resemblance goes through the full scoring.
_FAST_NAME_SIMILARITY = 0.8
# The best an exact amount's edge scores with a name below `_FAST_NAME_SIMILARITY`.
_LOOK_ALIKE_BEST = _AMOUNT_POINTS["total"] + _DATE_POINTS + _NAME_POINTS * _FAST_NAME_SIMILARITY


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

    def __init__(
        self,
        index: TransactionIndex,
        policy: MatchingPolicy,
        aliases: AliasBook,
        families: frozenset[str] = frozenset(),
    ):
        self.index = index
        # First words the documents share among several businesses (`name_families`).
        self.families = families
        self.policy = policy
        self.aliases = aliases
        self._doc_aliases: dict[int, tuple] = {}
        self._bought_again: dict[tuple[int, int], bool] = {}
        self.tol = cents_of(policy.rounding_tolerance)
        self.tips = TipSearch(index, policy)

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
            if undated and doc.document_type == "receipt" and doc_dir < 0:
                c = self._undated_receipt_closeness(d, tx_i)
            elif undated:
                c = _undated_closeness(d, p)
            elif doc_dir > 0:
                c = _refund_closeness(d, p)
            elif settle is None and self.index.settle_day[tx_i] is not None:
                # A card debit known by its moment of payment (it has a posting date
                # too): the document is dated that day, or a little after (an
                # invoice issued at shipping), hardly ever before.
                c = _card_emitted_closeness(d, p, _card_days_before(doc, p))
            elif self.index.is_card[tx_i] and 0 <= d <= p.card_booking_delay_days:
                # A card debit dated by its booking day alone: paid that day or a few
                # days before (a weekend), any of them as likely.
                c = 1.0 - 0.03 * d
            elif (
                self.index.is_card[tx_i]
                and doc.document_type == "receipt"
                and d > p.card_booking_delay_days + 1
            ):
                # ... booked later than that (and a day's grace for a till's clock),
                # it was paid after the receipt was printed: another purchase.
                c = None
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

    def _undated_receipt_closeness(self, d: int, tx_i: int) -> float | None:
        """`_undated_closeness` for a receipt of no date, `d` days from its reception:
        it was printed when paid, so paid before it was received (a day's grace for the
        clocks; a debit dated by its booking alone, up to the booking delay after), and
        a receipt is sent within `undated_receipt_lookback_days` of its purchase."""
        p = self.policy
        if (
            d > (p.card_booking_delay_days if self.index.booked_only(tx_i) else 1)
            or d < -p.undated_receipt_lookback_days
        ):
            return None
        return _undated_closeness(d, p)

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
        if self._names_the_invoice(doc, tx_i) or number_in_descriptor(
            tx.counterparty, doc.invoice_number
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
        ref_equal = self._names_the_invoice(doc, tx_i) or number_in_descriptor(
            tx.counterparty, doc.invoice_number
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
        cut = (
            cut_at_field_end(doc_profile, tx.counterparty)
            if sim is not None and sim < _WHOLE_NAME_SIMILARITY
            else None
        )
        if cut == "words":
            # The name's first words whole up to the card network's cut, a town after.
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
                    doc_profile[0][0] in GENERIC_WORDS  # type: ignore[index]
                    and named_by_trade_and_code(doc_profile, tx.counterparty)  # type: ignore[arg-type]
                )
                or named_by_trade_cut(doc_profile, tx.counterparty)  # type: ignore[arg-type]
                or cut == "initial"
            )
            and not self.alias_candidates(doc, doc_profile)
        ):
            sim = (
                _TRADE_CUT_INITIAL_SIMILARITY
                if cut == "initial" or named_by_trade_cut(doc_profile, tx.counterparty, True)  # type: ignore[arg-type]
                else max(sim, _TRADE_AND_CODE_SIMILARITY)
            )
        sibling_payee = (
            sim is not None
            and sim > _SIBLING_SIMILARITY
            and self._sibling_payee(doc_profile, tx_profile, tx.counterparty)
        )
        if sibling_payee:
            sim = _SIBLING_SIMILARITY
        if sim is None and article_not_in(doc.supplier_name, tx.counterparty):
            sim = 0.0  # (the only word the receipt kept is not there)
        iban_conflict = False
        if ref_equal:
            return _REFERENCE_POINTS, True, _Who(sim, iban_equal, ref_equal, False)
        sibling = (
            sibling_number_in(self.index.compact_reference(tx_i), doc.invoice_number, tx.reference)
            if doc.invoice_number and tx.reference
            else None
        )
        if sibling is not None:
            # Another invoice or contract of the supplier (its IBAN, its name): not this one.
            who = _Who(sim, iban_equal, False, False, sibling_number=sibling)
            return _REFERENCE_CONFLICT, False, who
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
        return points, support, _Who(sim, False, False, iban_conflict, sibling_payee=sibling_payee)

    def _sibling_payee(
        self, doc_profile: NameProfile | None, tx_profile: NameProfile | None, counterparty: str
    ) -> bool:
        """`Bouchon Karim` paid to `BOUCHON THIERRY`, when the documents show a family of
        `Bouchon` businesses and the statement pays `BOUCHON KARIM` too: a sibling, not
        this one. (A name cut by the card network, a town after it, is no sibling's.)"""
        return (
            doc_profile is not None
            and tx_profile is not None
            and doc_profile[0][0] in self.families
            and siblings(doc_profile[0], tx_profile[0])
            and self.index.names_a_payee(doc_profile[0], self.families)
            and cut_at_field_end(doc_profile, counterparty) is None
        )

    def _who_reasons(self, doc: DocumentLine, tx: TransactionLine, who: _Who) -> list[str]:
        p = self.policy
        reasons = []
        if who.iban_equal:
            reasons.append("supplier IBAN equals counterparty IBAN")
        if who.reference_equal:
            where = (
                "the transaction's text"
                if number_in_descriptor(tx.counterparty, doc.invoice_number)
                else "transfer reference"
            )
            reasons.append(f"invoice number {doc.invoice_number} found in {where}")
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
            if who.sibling_payee:
                reasons.append(
                    f"{tx.counterparty!r} may be another business of the family of names "
                    f"{doc.supplier_name!r} belongs to: your statement pays it under its own name"
                )
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
        ):
            if max((e.score for e in free), default=0.0) < _TIP_BEST + p.ambiguity_margin:
                tips = self._tip_candidates(doc, doc_profile, f.anchor, found, tip_notes, taken)
                self._score(doc, doc_profile, f, tips, free, attached, notes, weak)
            else:
                # (any tip edge is beaten by the margin: skipped, for speed, unless
                # the exact amount's debits name only look-alikes)
                free = self._whole_name_tip_over_look_alikes(
                    doc, doc_profile, f.anchor, f, found, free, (attached, notes, weak), taken
                )
        free = self._without_loose_ties(free, notes)
        weak.sort(key=lambda w: (-w[0], w[1]))
        for score, tx_i, kind, amount, exact, delay, who in weak[:3]:
            tx = self.index.txs[tx_i]
            reasons = self._reasons(doc, tx, kind, amount, exact, delay, f.undated, f.anchor, who)
            notes.append((score, f"transaction {tx.id} scored {score:.2f}: " + "; ".join(reasons)))
        notes.sort(key=lambda n: -n[0])
        # Why no tip was taken is said whatever else scored: it is often the answer
        # to "why not the debit of my bill plus the tip?".
        kept_tip_notes = max(min(1, len(tip_notes)), 3 - len(notes))
        told = [text for _, text in notes[: 3 - min(kept_tip_notes, len(tip_notes))]]
        return free, attached, told + tip_notes[:kept_tip_notes]

    def _tip_candidates(
        self,
        doc: DocumentLine,
        doc_profile: NameProfile,
        anchor: int,
        found: dict[int, tuple[str, Decimal, bool]],
        tip_notes: list[str],
        taken: set[int] | frozenset[int],
    ) -> dict[int, tuple[str, Decimal, bool]]:
        """Card debits that may be the receipt's bill plus a tip: found by its name,
        else by a payee taught for its supplier (whose descriptor need not name it),
        else abroad by the local amount."""
        tips = {
            tx_i: ("tip", abs(doc.total), False)
            for tx_i in self.tips.find(doc, doc_profile, anchor, found, tip_notes, taken)
        }
        if not tips and self.alias_candidates(doc, doc_profile):
            tips = {
                tx_i: ("tip", abs(doc.total), False)
                for tx_i in self.tips.taught(
                    doc,
                    anchor,
                    found,
                    taken,
                    lambda i: self._alias(doc, doc_profile, i) is not None,
                )
            }
        if not tips:
            tips = {
                tx_i: ("local_tip", abs(doc.total), False)
                for tx_i in self.tips.abroad(doc, doc_profile, anchor, found, tip_notes, taken)
            }
        return tips

    def _whole_name_tip_over_look_alikes(
        self,
        doc: DocumentLine,
        doc_profile: NameProfile,
        anchor: int,
        f: Frame,
        found: dict[int, tuple[str, Decimal, bool]],
        free: list[Edge],
        scored: tuple[list[Edge], list[tuple[float, str]], list[tuple]],
        taken: set[int] | frozenset[int],
    ) -> list[Edge]:
        """`free`, or the receipt's tip edge in its place when every debit of its exact
        amount names a look-alike business (`Le Figuier de Mathiide`: `LE FIGUIER DE BERTRAND`,
        resembling but not the whole name) and a debit of the bill plus a tip carries
        the whole name (`LE FIGUIER DE MATHILDE`): two restaurants of a kind were paid
        that day, and the exact amount belongs to another receipt.

        An exact amount outscores any tip, so without this the look-alike would win;
        a debit naming the receipt only partly is as often another shop of the chain
        (`FRIGOS 5283 METZ`), hence the whole name on the tip's side only."""
        index = self.index
        for edge in free:
            if edge.amount_kind in ("tip", "local_tip") or edge.score > _LOOK_ALIKE_BEST:
                return free  # (the score alone says the name is more than a look-alike's)
            who = self._who(doc, doc_profile, edge.tx)[2]
            tx_profile = index.profile(edge.tx)
            if (
                who.iban_equal
                or who.reference_equal
                or who.alias is not None
                or who.similarity is None
                or not self.policy.name_support_similarity <= who.similarity < _FAST_NAME_SIMILARITY
                or tx_profile is None
                or same_whole_name(doc_profile, tx_profile)
            ):
                return free
        tips = {
            tx_i: ("tip", abs(doc.total), False)
            for tx_i in self.tips.find(doc, doc_profile, anchor, found, [], taken)
            if (tip_profile := index.profile(tx_i)) is not None
            and same_whole_name(doc_profile, tip_profile)
        }
        if not tips:
            return free
        attached, notes, weak = scored
        tip_edges: list[Edge] = []
        self._score(doc, doc_profile, f, tips, tip_edges, attached, notes, weak)
        if not tip_edges:
            return free
        passed_over = ", ".join(f"{index.txs[e.tx].counterparty!r}" for e in free[:3])
        for edge in tip_edges:
            edge.reasons.append(
                f"the debits of the exact amount ({passed_over}) name a look-alike business,"
                " this one the receipt's whole name"
            )
        return tip_edges

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
                    elif not (exact or local or self._names_the_invoice(doc, tx_i)):
                        # A transfer or a debit is the amount its payer computed: a
                        # cent or two off is another amount, unless its reference names
                        # the invoice (a total rounded otherwise by the payer's software).
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
                # (a card's local amount abroad is its own evidence: few debits are
                # abroad, and a yen or a dirham price is whole as a rule)
                and not (kind == "local" and index.is_card[tx_i])
                and not self._collected_on_due(doc, tx_i)
            )
            if whole_unnamed and not index.is_card[tx_i]:
                needs_support = True
            # Cheap test first: most tolerance candidates fail it. Tip candidates carry
            # the receipt's name already (`TipSearch.find`), maybe cut short past its keys.
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
                and index.charged_after_midnight(tx_i, anchor, p.late_night_hours)
            ):
                closeness = 1.0  # charged in the small hours after the document's evening
            if (
                (delay != 0 or undated)
                and closeness < 1.0
                and index.is_card[tx_i]
                # (known by its day of payment; of no day, any debit may be another's)
                and (undated or index.settle_day[tx_i] is not None)
                and kind in ("total", "amount_due", "candidate")
                and self.bought_again(
                    tx_i, _UNDATED_REPEAT_DAYS if undated else _REPEAT_PURCHASE_DAYS
                )
            ):
                notes.append((0.0, f"transaction {tx.id} {_ANOTHER_DAYS_PURCHASE}"))
                continue
            # A card debit a bank dates by the day it booked it alone (no time of day):
            # paid that day or up to `card_booking_delay_days` before.
            booked_after = (
                index.booked_only(tx_i)
                and delay is not None
                and 0 < delay <= p.card_booking_delay_days
            )
            if (
                delay != 0
                and index.is_card[tx_i]
                and (doc_profile is None or index.profile(tx_i) is None)
                and not _same_day_abroad(kind, delay)
                and not booked_after
            ):
                # No name to compare: only a card debit of the document's very day (or
                # booked, its day unknown, in the days after it) stands on its amount
                # (a day later, it may be anyone's payment).
                needs_support = True
            elif whole_unnamed and delay != 0:
                needs_support = True
            common = (
                not needs_support
                and (delay == 0 or booked_after)
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

    def _names_the_invoice(self, doc: DocumentLine, tx_i: int) -> bool:
        """Transaction tx_i's reference names the document's invoice number."""
        return bool(doc.invoice_number and self.index.txs[tx_i].reference) and (
            reference_has_number(self.index.compact_reference(tx_i), doc.invoice_number)
        )

    def bought_again(self, tx_i: int, days: int = _REPEAT_PURCHASE_DAYS) -> bool:
        """Card debit tx_i's payee (the first two words of its descriptor's name) was paid
        the same amount by card on another day within `days` (a toll of one price, a
        commute, a daily coffee): a receipt of another day, or of no day, is as likely
        any of those purchases (cached)."""
        again = self._bought_again.get((tx_i, days))
        if again is None:
            index = self.index
            tx, day, mine = index.txs[tx_i], index.day[tx_i], index.profile(tx_i)
            rows = index.amount_rows(
                tx.currency,
                -1,
                index.cents[tx_i],
                day - days,
                day + days,
            )
            words = mine[0][:2] if mine is not None else ()
            again = self._bought_again[(tx_i, days)] = mine is not None and any(
                j != tx_i
                and card
                and not local
                and index.day[j] != day
                and (theirs := index.profile(j)) is not None
                and theirs[0][:2] == words
                for _, j, card, local in rows
            )
        return again

    def _common_that_day(self, tx_i: int, kind: str) -> bool:
        """A card debit whose amount other purchases would often put on its day
        (`nameless_coincidence_max`): with no name to compare, it may be anyone's. Not
        when no other card debit came to that amount within `_FAST_DAYS` either way and
        it has cents: the statement itself says the price is no common one (a whole
        amount is a bill a tip may round, 21.00 paid as 24.00, as often as a price)."""
        if kind not in ("total", "amount_due", "candidate"):  # not a payment abroad's
            return False
        index = self.index
        if index.chance_same_amount(tx_i) < self.policy.nameless_coincidence_max:
            return False
        if index.cents[tx_i] % 100 == 0:
            return True
        day = index.day[tx_i]
        rows = index.amount_rows(
            index.txs[tx_i].currency, -1, index.cents[tx_i], day - _FAST_DAYS, day + _FAST_DAYS
        )
        return any(j != tx_i and card and not local for _, j, card, local in rows)

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
            f"({'card payment abroad' if tx.operation_type == 'card' else 'ordered in ' + str(tx.local_currency)}, "
            f"debited {fmt_amount(tx.amount)} {tx.currency})"
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
