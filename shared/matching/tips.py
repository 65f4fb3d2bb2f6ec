"""Tips: card debits a typed tip above a receipt's total, found among the debits of the
receipt's day (or, for a restaurant, the day before or after) whose descriptor carries the
receipt's name, with the policy's shapes of a typed tip and its limits on busy payees.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from decimal import Decimal

from shared.matching.model import DocumentLine
from shared.matching.name_similarity import (
    profile_similarity,
    same_name,
    same_whole_name,
    truncated_name_in,
    whole_name_in,
)
from shared.matching.names import (
    GENERIC_WORDS,
    NameProfile,
    article_after_trade,
    distinctive_prefixes,
    undoubled_prefixes,
)
from shared.matching.policy import MatchingPolicy
from shared.matching.trades import (
    adds_a_trade,
    cut_at_field_end,
    named_by_trade_cut,
    names_another_trade,
    tip_customary,
    tip_unlikely,
    trade_words,
)
from shared.matching.transaction_index import (
    TIP_NAME_BUDGET,
    TransactionIndex,
    cents_of,
    fmt_amount,
)

# A tip charged the day before or after the receipt needs the receipt's own name this
# alike (`_day_off_tip`) ...
_DAY_OFF_TIP_SIMILARITY = 0.95
# ... or, charged in the small hours after the receipt's evening, its name cut by the
# card network after this many letters of a word of its own (`BISTROT DU CER`).
_LATE_STUMP_LETTERS = 3
# A receipt whose copy damaged its name is compared with the card debits of its day in
# its tip range when they are at most this many (the work stays bounded per receipt).
_DAMAGED_SCAN_BUDGET = 16


# The service charge a restaurant adds as a rule where it is customary (12.5 % in
# the United Kingdom and Ireland), a preset of its own beside the round percentages.
_SERVICE_CHARGE_PERMILLE = 125


def _sort_tip_candidate(
    doc_profile: NameProfile,
    tx_profile: NameProfile,
    descriptor: str,
    tx_i: int,
    same_day: list[int],
    rivals: list[int],
) -> None:
    """File a look-alike debit of the receipt's day in the tip range: a candidate when
    it carries the receipt's whole name (`same_name`), or its first words up to the card
    network's cut (`cut_at_field_end`), else a rival. One that also names a trade the
    receipt does not (`names.adds_a_trade`: `TRATTORIA PICARD` for `Picard Surgelés`)
    is another business, with the amount off by a tip: neither."""
    if (
        not same_name(doc_profile, tx_profile)
        and cut_at_field_end(doc_profile, descriptor) != "words"
    ):
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
    ends = {t[-4:] for t in name[0] if len(t) >= 5 and t not in GENERIC_WORDS}
    return tuple(sorted(e for e in ends if not any(e in k for k in keys)))


# A terminal's computed percentage is looked for on a bill of this many cents or more
# (below, 5-15 % is a few cents, and a few cents more is a price's rounding).
_COMPUTED_TIP_MIN_BILL = 100


# Letters a recogniser takes for one another (a damaged copy's slips, not another name:
# `SLMON` for SIMON, `QVAI` for QUAI; `ROSA` is not `ROMA`).
_LOOK_ALIKE_GROUPS = ("IL1T", "UV", "O0QD", "CEG", "NMH", "S5", "B8", "RKP", "EF")
_LOOK_ALIKE = frozenset(
    (a, b) for group in _LOOK_ALIKE_GROUPS for a in group for b in group if a != b
)
_SHORT_WORD = 4


def _ocr_slip(copy: str, word: str) -> bool:
    """`copy` is `word` with one letter lost or doubled, or one letter misread: in a
    word of 4 letters or fewer, only as a look-alike (`ROSA` is another name than `ROMA`)."""
    if len(copy) == len(word):
        diffs = [(a, b) for a, b in zip(copy, word, strict=True) if a != b]
        return len(diffs) == 1 and (len(word) > _SHORT_WORD or diffs[0] in _LOOK_ALIKE)
    short, long = (copy, word) if len(copy) < len(word) else (word, copy)
    if len(long) - len(short) != 1:
        return False
    return any(long[:k] + long[k + 1 :] == short for k in range(len(long)))


def _slips_of_a_copy(copy: tuple[str, ...], bank: tuple[str, ...]) -> bool:
    """Each of the copy's words not in the descriptor is an OCR slip of one there."""
    return all(w in bank or any(_ocr_slip(w, b) for b in bank) for w in copy)


def _percent_range(policy: MatchingPolicy) -> tuple[int, int]:
    """The whole percentages people tip (`typed_tip_min_ratio` to `unshaped_tip_max_ratio`)."""
    return int(policy.typed_tip_min_ratio * 100), int(policy.unshaped_tip_max_ratio * 100)


# Descriptors looked at to count how often a tip's payee is paid (see `TipSearch.find`).
_TIP_SCAN_BUDGET = 200


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


_WORDS = re.compile(r"[^A-Z0-9]+")


class TipSearch:
    """The tip candidates of receipts, over one statement's indexes."""

    def __init__(self, index: TransactionIndex, policy: MatchingPolicy):
        self.index = index
        self.policy = policy
        self.tip_debit_unit = max(1, cents_of(policy.tip_debit_unit))
        self.tip_amount_step = max(1, cents_of(policy.tip_amount_step))

    def within_share(self, total_cents: int, debit_cents: int, by_ratio: int) -> bool:
        """Within the share of the bill a tip may take (`by_ratio`: the bill plus
        `tip_max_ratio`), or a round tip past it (+2.00 on a 5.63 coffee)."""
        return debit_cents <= by_ratio or (debit_cents - total_cents) % self.tip_debit_unit == 0

    def tip_shaped(self, total_cents: int, debit_cents: int) -> bool:
        """The surplus is what a person adds on a card terminal: the bill rounded up
        to a whole `tip_debit_unit`, a tip that is a multiple of `tip_amount_step`,
        or a multiple of `tip_percent_step` percent of the bill (to the cent)."""
        extra = debit_cents - total_cents
        if debit_cents % self.tip_debit_unit == 0 or extra % self.tip_amount_step == 0:
            return True
        if abs(total_cents * _SERVICE_CHARGE_PERMILLE - extra * 1000) <= 1000:
            return True  # (to the cent)
        return _whole_percent(total_cents, debit_cents, self.policy.tip_percent_step)

    def find(
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
        `tip_unshaped_max_daily_payments`, the surplus must look typed (`tip_shaped`).
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
        tips = self._typed_tips(doc, doc_profile, anchor, keys, same_day, cut_only, rivals, notes)
        if tips or word_ends is not None:
            return tips
        # None of the day's debits at a busy payee is the tip: a bank dating by its booking
        # day alone may book it later, where only a terminal's percentage tells it.
        booked = self._booked_later(doc, doc_profile, anchor, (low, high), keys, found, skip)
        customary = tip_customary(doc.supplier_name) or any(self.index.tip_flag(t) for t in booked)
        return self._computed_percentage(total_cents, booked, customary)

    def taught(
        self,
        doc: DocumentLine,
        anchor: int,
        found: dict[int, tuple[str, Decimal, bool]],
        skip: set[int] | frozenset[int],
        paid_as_taught: Callable[[int], bool],
    ) -> list[int]:
        """The card debit of the receipt's day that may be its bill plus a typed tip,
        paid to a payee the organization taught for this supplier (a learned alias):
        there the descriptor need not carry the receipt's name (`TAXI 526 CALUIRE` for
        `Taxi Agnès Huet`). Only where people tip (`tip_customary`: a supermarket paid
        under its franchisee's company takes no tip), one such debit, within the usual
        share (`tip_max_ratio`), its surplus typed (`tip_shaped`) or the usual
        percentage (`typed_tip_min_ratio` to `unshaped_tip_max_ratio`: 9.30 -> 10.01)."""
        total_cents = cents_of(doc.total)
        if total_cents <= 0 or not tip_customary(doc.supplier_name):
            return []
        p = self.policy
        by_ratio = total_cents + int(total_cents * p.tip_max_ratio)
        floor = total_cents * p.typed_tip_min_ratio
        ceiling = total_cents * p.unshaped_tip_max_ratio
        amounts, rows = self.index.card_amounts(doc.currency, anchor)
        out = [
            rows[j]
            for j in range(bisect_right(amounts, total_cents), bisect_right(amounts, by_ratio))
            if rows[j] not in found
            and rows[j] not in skip
            and (
                self.tip_shaped(total_cents, amounts[j])
                or floor <= amounts[j] - total_cents <= ceiling
            )
            and paid_as_taught(rows[j])
        ]
        return out if len(out) == 1 else []

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
        """Pass 1 of `TipSearch.find`: (candidates, those found only by a cut word, look-alike
        rivals) among the card debits of the receipt's day in `tip_range` (low, the
        bill's share, high), or None when too many look-alikes were paid (a note)."""
        p, index = self.policy, self.index
        low, by_ratio, high = tip_range
        total_cents = low
        # A descriptor cut by the card network may keep only the name's first word
        # whole (`SUMUP *BOULANGERIE MA`): that word lets a debit in for `same_name`.
        first = doc_profile[0][0] if len(doc_profile[0][0]) >= 4 else None
        stump_words = tuple(t for t in doc_profile[0][1:] if t not in GENERIC_WORDS)
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
            doc, anchor, (lo_i, hi_i), keys, first, (stump_words, stump_keys), word_ends
        )
        for j in sorted(hits):
            tx_i = rows[j]
            if tx_i in found or tx_i in skip:
                continue
            debit = amounts[j]
            if debit > by_ratio and not self.within_share(total_cents, debit, by_ratio):
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
            _sort_tip_candidate(
                doc_profile, tx_profile, index.txs[tx_i].counterparty, tx_i, same_day, rivals
            )
        return self._whole_names_first(doc_profile, same_day), cut_only, rivals

    def _tip_hits(
        self,
        doc: DocumentLine,
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
        index, currency = self.index, doc.currency
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
        if first not in GENERIC_WORDS:
            return hits, set()
        cut_key: tuple[str, ...] = (f"{first} {stump_words[0][0]}",)
        article = article_after_trade(doc.supplier_name or "")
        if article is not None:  # (`BRASSERIE DU C` for Brasserie du Canal)
            cut_key = (*cut_key, f"{first} {article} {stump_words[0][0]}")
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
        """`TipSearch.find` with no candidate on the receipt's day: the payee looked for by the
        ends of the receipt's words, or its one payment the day before or after."""
        index = self.index
        low, high = tip_range
        total_cents = low
        by_ratio = total_cents + int(total_cents * self.policy.tip_max_ratio)
        if word_ends is not None:
            return []  # (found by the start of its words, the payee was looked for already)
        booked = self._booked_later(doc, doc_profile, anchor, tip_range, keys, found, skip)
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
                if any(k in index.upper(tx_i) for k in keys) or self.index.charged_after_midnight(
                    tx_i, anchor, self.policy.late_night_hours
                ):
                    tx_profile = index.profile(tx_i)
                    if tx_profile is not None and same_name(doc_profile, tx_profile):
                        other_days.append(tx_i)
        # A debit dated by its booking day alone is looked at unless the payee was paid
        # in the small hours after the receipt's evening (that one is its bill).
        late = self.policy.late_night_hours
        if booked and not any(index.charged_after_midnight(t, anchor, late) for t in other_days):
            tips = self._typed_tips(doc, doc_profile, anchor, keys, booked, set(), rivals, notes)
            if tips:
                return tips
        if not rivals and not other_days:
            ends = _distinctive_ends(doc_profile, keys)
            tips = self.find(doc, doc_profile, anchor, found, notes, skip, ends) if ends else []
            if not tips:
                taken = (found, skip)
                tips = self._despite_its_copy(doc, doc_profile, anchor, tip_range, taken, notes)
            return tips
        if len(other_days) == 1 and other_days[0] not in skip:  # (not another's already)
            if self._day_off_tip(doc, doc_profile, anchor, keys, by_ratio, other_days[0]):
                return other_days
        if other_days:
            listed = ", ".join(index.txs[t].id for t in other_days[:4])
            notes.append(
                f"no tip match: card payments to this payee in the tip range ({listed}) "
                "were not made on the receipt's day"
            )
        return []

    def _despite_its_copy(
        self,
        doc: DocumentLine,
        doc_profile: NameProfile,
        anchor: int,
        tip_range: tuple[int, int],
        taken: tuple[dict[int, tuple[str, Decimal, bool]], set[int] | frozenset[int]],
        notes: list[str],
    ) -> list[int]:
        """The receipt's copy damaged its words where they are looked for (`Restaurant
        Slmon`, `Auberge du Qvai`, `Traiteur Thmas`): when the receipt's day holds few card
        debits in the tip range (`_DAMAGED_SCAN_BUDGET`), each is compared with the name
        of two words or more (`same_whole_name`: each word there, a slip a word); the payee
        is then known by its descriptor's words, and judged as any (`_typed_tips`); each word
        that differs must be an OCR slip of its own (`_ocr_slip`: `Pizzeria Rosa` is not
        `PIZZERIA ROMA`). `taken`: the debits found or skipped already."""
        index = self.index
        low, high = tip_range
        found, skip = taken
        if len(doc_profile[0]) < 2 or all(t in GENERIC_WORDS for t in doc_profile[0]):
            return []  # (one word found in a longer name is another business as often)
        by_ratio = low + int(low * self.policy.tip_max_ratio)
        amounts, rows = index.card_amounts(doc.currency, anchor)
        lo_i, hi_i = bisect_right(amounts, low), bisect_right(amounts, high)
        if hi_i - lo_i > _DAMAGED_SCAN_BUDGET:
            return []
        same_day = []
        for j in range(lo_i, hi_i):
            tx_profile = index.profile(rows[j])
            if (
                rows[j] not in found
                and rows[j] not in skip
                and self.within_share(low, amounts[j], by_ratio)
                and tx_profile is not None
                and same_whole_name(doc_profile, tx_profile)
                and _slips_of_a_copy(doc_profile[0], tx_profile[0])
            ):
                same_day.append(rows[j])
        if not same_day:
            return []
        payee = index.profile(same_day[0])
        assert payee is not None  # (compared above)
        keys = distinctive_prefixes(payee)
        return self._typed_tips(doc, doc_profile, anchor, keys, same_day, set(), [], notes)

    def _booked_later(
        self,
        doc: DocumentLine,
        doc_profile: NameProfile,
        anchor: int,
        tip_range: tuple[int, int],
        keys: tuple[str, ...],
        found: dict[int, tuple[str, Decimal, bool]],
        skip: set[int] | frozenset[int],
    ) -> list[int]:
        """Card debits in the tip range carrying the receipt's name that the bank dated by
        the day it booked them alone, up to `card_booking_delay_days` after the receipt: a
        regional bank books Friday's lunch on Monday (`CB*SQ *AUBERGE DU MARCHE`, a date
        and no time), the day of payment is nowhere in the line."""
        index = self.index
        low, high = tip_range
        out: list[int] = []
        for day in range(anchor + 1, anchor + 1 + self.policy.card_booking_delay_days):
            amounts, rows = index.card_amounts(doc.currency, day)
            for tx_i in rows[bisect_right(amounts, low) : bisect_right(amounts, high)]:
                if (
                    not index.booked_only(tx_i)  # its day of payment is known
                    or tx_i in found
                    or tx_i in skip
                    or not any(k in index.upper(tx_i) for k in keys)
                ):
                    continue
                # The whole name, or its words cut by the network inside the next one
                # (`... DU CYGN`): a day or more away, a name cut before its own word
                # (`LE FOURNIL DE ...`) may be any bakery's.
                tx_profile = index.profile(tx_i)
                if tx_profile is not None and (
                    same_whole_name(doc_profile, tx_profile)
                    or (truncated_name_in(doc_profile, tx_profile) or 0) >= _LATE_STUMP_LETTERS
                ):
                    out.append(tx_i)
            if out:
                break  # the payee's first debits booked after the receipt: later, a later visit
        return [t for t in out if self._typed(low, index.cents[t])]

    def _typed(self, total_cents: int, debit_cents: int) -> bool:
        """A surplus a person types (`tip_shaped`), or a whole percentage within the usual
        share (`typed_tip_min_ratio` to `unshaped_tip_max_ratio`): where tips are
        customary, and days away from the receipt (where an arbitrary surplus is never
        taken, however rarely the payee is paid)."""
        p = self.policy
        extra = debit_cents - total_cents
        return self.tip_shaped(total_cents, debit_cents) or (
            total_cents * p.typed_tip_min_ratio <= extra <= total_cents * p.unshaped_tip_max_ratio
            and _whole_percent(total_cents, debit_cents)
        )

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
        """Pass 2 of `TipSearch.find`: the candidates of the receipt's day kept when the payee is
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
        sharing = self.sharing_payee_words(doc.currency, anchor, window, keys)
        # Whether tipping is customary is a property of the payee, not of one
        # descriptor: the receipt or any of the payee's descriptors may say so.
        customary = tip_customary(doc.supplier_name) or any(index.tip_flag(t) for t in same_day)
        if len(sharing) < _TIP_SCAN_BUDGET and len(sharing) <= limit:
            others: int | None = None
        else:
            others = self.payee_volume(doc_profile, sharing, limit, same_day) - len(same_day)
            computed = self._computed_percentage(total_cents, same_day, customary)
            if others > chain and computed:
                same_day = computed
            elif others > chain:
                notes.append(
                    f"no tip match: {others} other card payments to this payee within "
                    f"{window} days of the receipt (a chain): a payment in the tip range is "
                    "as likely another purchase"
                )
                return []
        if len(same_day) > 1:
            # Two debits that day where people tip: one a terminal's percentage of the
            # bill (36.52 on 32.90), the other a price (33.40): the first is the tip.
            same_day = self._computed_percentage(total_cents, same_day, customary) or same_day
        # A tip is typed by a person: the bill rounded up, a round tip, or a
        # terminal's percentage preset. Any other surplus, at a payee paid often,
        # is as likely another purchase there that day.
        shaped = [t for t in same_day if self.tip_shaped(total_cents, index.cents[t])]
        if customary:
            # Where people tip, a whole percentage typed on the terminal (7 %) is as
            # typed as its presets, within the usual share of the bill (5-15 %).
            shaped = [t for t in same_day if self._typed(total_cents, index.cents[t])]
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
            others = self.payee_volume(doc_profile, sharing, limit, same_day) - len(same_day)
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

    def _computed_percentage(
        self, total_cents: int, same_day: list[int], customary: bool
    ) -> list[int]:
        """The day's one candidate at a busy payee where tips are customary that carries a
        tip a terminal computed: a whole percentage of the bill from 5 to 15 %, rounded to
        the cent (+2.04 on 20.40, +0.24 on a 2.00 coffee), the debit not a price. Prices
        there end in a ten of cents; a debit that does (22.40, 2.40) is another purchase
        as often as a tip, and two computed-looking debits that day are ambiguous."""
        if not customary or total_cents < _COMPUTED_TIP_MIN_BILL:
            return []
        low, high = _percent_range(self.policy)
        extras = {(total_cents * pct + 50) // 100 for pct in range(low, high + 1)}
        out = [
            t
            for t in same_day
            if self.index.cents[t] % 10 != 0 and self.index.cents[t] - total_cents in extras
        ]
        return out if len(out) == 1 else []

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
        sharing = self.sharing_payee_words(currency, anchor, days, keys)
        return self.payee_volume(doc_profile, sharing, limit + 1, [candidate]) - 1 > limit

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

    def abroad(
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
        charged in the small hours after the receipt's evening (`TransactionIndex.charged_after_midnight`) is
        judged by the receipt day's rules instead: a typed tip at any payee where tips
        are not unusual, an arbitrary surplus where they are customary."""
        p, index = self.policy, self.index
        total_cents, debit = cents_of(doc.total), index.cents[tx_i]
        late = self.index.charged_after_midnight(tx_i, anchor, self.policy.late_night_hours)
        shaped = self.tip_shaped(total_cents, debit)
        if not shaped and not late:
            return False
        if not self.within_share(total_cents, debit, by_ratio):
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
        sharing = self.sharing_payee_words(doc.currency, anchor, window, keys)
        others = self.payee_volume(doc_profile, sharing, rare, [tx_i]) - 1
        if shaped or others > rare:
            return others <= rare
        # Charged in the small hours after the receipt's evening: the receipt's day, so
        # its rule for an arbitrary surplus (`TipSearch.find`).
        return debit - total_cents <= total_cents * p.unshaped_tip_max_ratio and (
            others == 0 or _whole_percent(total_cents, debit)
        )

    def sharing_payee_words(
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

    def payee_volume(
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
