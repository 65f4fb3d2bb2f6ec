"""The matching policy: every tolerance the engine applies, named, with its reason.

A reader should be able to see the whole policy here, without reading the
engine. Scores are in [0, 1]; a match needs `min_score` and a lead of
`ambiguity_margin` over any alternative assignment.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class MatchingPolicy:
    """Tolerances and thresholds of the matching engine (all have defaults)."""

    # --- amounts -------------------------------------------------------------
    # Invoice totals can be one or two cents off the transfer (VAT rounded per
    # line vs. on the total, amounts typed by hand), and converted amounts off by
    # FX rounding. A card debit in the receipt's own currency is exact: no
    # tolerance there.
    rounding_tolerance: Decimal = Decimal("0.02")
    # A restaurant card slip shows the bill; the debit includes the tip typed on
    # the terminal. Tips above a quarter of the bill are rare enough to refuse.
    # Only card receipts get this, and only from a descriptor that carries the
    # receipt's whole name (`names.same_name`). The slip is printed when the card
    # is charged, and a card transaction's `emitted_at` is that moment (it settles
    # days later): only debits EMITTED ON THE RECEIPT'S DAY are tip candidates, so
    # payments to the payee on other days do not compete. Two candidates that
    # day, or one and a look-alike payee (similarity >= `tip_lookalike_similarity`,
    # and within `tip_rival_margin` of the candidate's) paid in the tip range, are
    # ambiguous.
    tip_max_ratio: Decimal = Decimal("0.25")
    # ... except a round tip (whole units: +2.00, +5.00), which people give on a
    # small bill whatever its share (a 5.63 coffee paid 7.63), up to this.
    round_tip_max: Decimal = Decimal("5.00")
    tip_lookalike_similarity: float = 0.5
    # A look-alike far less alike than the candidate carrying the receipt's name
    # (`TRATTORIA CARPENTIER` beside `BRASSERIE CARPENTIER` for Brasserie
    # Carpentier: another trade word) is another business, not a rival.
    tip_rival_margin: float = 0.1
    # A chain (a supermarket, a marketplace) paid several times a day makes "bill +
    # something" on the receipt's day as likely another purchase as a tip. The
    # payee's rate (descriptors carrying the receipt's whole name) is counted
    # over the receipt's day +- `tip_payee_window_days`;
    # above `tip_payee_max_daily_payments` a day on average, no tip is accepted.
    # (A canteen visited once or twice a day stays below it.)
    tip_payee_window_days: int = 3
    tip_payee_max_daily_payments: float = 3.0
    # A card debit that a bank dates by its booking day alone (no time of day, no
    # card date in its text) was paid that day or up to this many days before (a
    # weekend, a holiday): its receipt, and its tip, are looked for on those days too.
    card_booking_delay_days: int = 4
    # A tip is typed by a person, so the surplus has a shape: the bill rounded up
    # to a whole unit (27.38 -> 30.00), a round tip (+2.00, +2.50) or a terminal
    # preset percentage (5, 10, 15, 20 %), to the cent. An arbitrary surplus
    # (+3.17) is as likely another purchase at the same payee that day, unless the
    # payee is one where tips are customary (`names.tip_customary`: a restaurant,
    # a café, a small-merchant terminal) and is paid at most
    # `tip_unshaped_max_daily_payments` a day around the date.
    tip_unshaped_max_daily_payments: float = 1.0
    # ... and only up to this share of the bill: people tip 5-15 %; beyond that, an
    # arbitrary surplus is as likely a second purchase (a round tip may be more).
    unshaped_tip_max_ratio: Decimal = Decimal("0.15")
    # ... and where the payee is paid elsewhere around the date at most this many
    # times, only the day's lone candidate carrying the receipt's whole name.
    tip_unshaped_max_others: int = 1
    # ... and at most this many times within this many days (a regular is not).
    tip_unshaped_max_others_fortnight: int = 2
    tip_unshaped_fortnight_days: int = 7
    # A card debit emitted after midnight and before this hour (Paris time, a time of
    # day given) the day after a receipt is its evening's bill charged late: its
    # arbitrary surplus is judged as on the receipt's day (`_day_off_tip`).
    late_night_hours: int = 2
    # Many restaurants' names say nothing of it (`Le Beffroi Étoilé`): a receipt left
    # with no match at all is offered, last, such a tip at any payee whose name does
    # not say tipping is unusual there (`names.tip_unlikely`), from this share of
    # the bill (people tip 5-15 %; less is as likely a second small purchase), under
    # the same rarity rule. True offers it in the main pass, competing with the rest.
    unshaped_tip_at_any_payee: bool = False
    # The smallest tip typed as a percentage or taken as a last resort: terminals offer
    # 5 % and up, and +2 % is as likely another small purchase.
    typed_tip_min_ratio: Decimal = Decimal("0.05")
    tip_debit_unit: Decimal = Decimal("1.00")
    tip_amount_step: Decimal = Decimal("0.50")
    tip_percent_step: int = 5
    # Used when `tip_at_rare_payees` is off: a bill rounded up to the next 1, 5 or
    # 10 units (27.38 -> 28.00 or 30.00) is a tip even where tipping is not
    # customary (restaurant, café, bar, taxi: `names.tip_customary`), up to this
    # share of the bill.
    rounded_tip_max_ratio: Decimal = Decimal("0.20")
    # Many restaurants' names say nothing of it (`Le Square de Marius`): accept a
    # tip at any payee, not only where `names.tip_customary` recognises one.
    tip_at_rare_payees: bool = True
    # A transfer to a foreign (non-domestic IBAN or foreign-currency) supplier
    # may be debited with the bank's fee in the same line: accept up to this much
    # above the invoice amount, only for transfers, only with a supporting name,
    # IBAN or reference.
    foreign_transfer_fee_max: Decimal = Decimal("35.00")
    # Bank fees are tariffs (15.00, 12.50), not arbitrary amounts: the fee must be
    # a multiple of this. It also keeps other payments to the same supplier, a
    # few euros above the invoice, from passing for it plus a fee.
    foreign_transfer_fee_step: Decimal = Decimal("0.50")
    # Card payments abroad are matched on the merchant-currency amount
    # (`local_amount`), with `rounding_tolerance` for the conversion.

    # --- dates (whole days, Europe/Paris calendar) -----------------------------
    # A card transaction posts some days after the receipt's payment day (weekends,
    # offline terminals, hotel pre-authorisations).
    card_posting_delay_days: int = 8
    # ... and an invoice can be dated days after the card debit: a web shop charges
    # the card at the order and issues the invoice at shipping, within the week.
    card_days_before_document: int = 5
    # A receipt is printed at the till when the card is charged: dated a day after
    # it only by a slip (past midnight, a day misread), never two; a debit two days
    # earlier at the same shop is an earlier purchase there.
    card_days_before_receipt: int = 1
    # A card debit that carries both instants (`emitted_at`, the payment, and
    # `settled_at`, the posting), or an `emitted_at` with its time of day (a card
    # feed's pending payment), is dated by its emission, which is the receipt's
    # day: emitted later than the document by at most this (a slip printed just
    # before midnight, a day misread). The posting delay above is for banks that
    # give the posting date only (a day without a time).
    card_emitted_after_document_days: int = 1
    # Transfers and direct debits: an invoice is paid from a few days before its
    # issue date (pro-forma, prepayment) ...
    invoice_days_before_issue: int = 5
    # ... to well after its due date (late payers); window counted from the due
    # date, or from issue date + `default_payment_term_days` when there is none.
    invoice_payment_window_after_due_days: int = 90
    # A direct debit is collected on the date the creditor pre-notified, usually
    # within this many days of the invoice (monthly utilities, telecoms, leases);
    # when the invoice states no due date, later debits score less and less, so
    # that of two monthly debits of the same amount the invoice's own month wins.
    direct_debit_collection_days: int = 15
    # French B2B default term (Code de commerce L441-10 caps it at 60 days; 30 is
    # the common agreed term) when an invoice states no due date.
    default_payment_term_days: int = 30
    # A refund arrives after the credit note (card refunds take days, transfers
    # weeks); sometimes the credit note is emailed after the refund.
    refund_window_days: int = 60
    refund_days_before_document: int = 15
    # A document without an issue date is anchored on its reception: it was
    # paid at most this many days before it was received, or a few days after.
    undated_lookback_days: int = 120
    undated_lookahead_days: int = 10
    # ... a receipt, printed when paid, is sent within a month (an expense report).
    undated_receipt_lookback_days: int = 30

    # --- names -----------------------------------------------------------------
    # Name similarity (0..1) at or above which the counterparty supports the match.
    name_support_similarity: float = 0.55
    # Below this, a supplier name that is known on both sides contradicts the
    # match (a different company), unless the IBAN or the reference agrees.
    name_contradiction_similarity: float = 0.3
    # With no name to compare, a card debit of the receipt's amount on its day
    # stands on that amount alone: it needs the amount to be rare enough that
    # another purchase would not put one there by chance. Refused at or above this
    # expected number of the day's other card debits of that amount (the day's
    # card debits x the amount's share of all the others): 0.2 is a one-in-five
    # chance, so a 10.00 on a busy day needs a name.
    nameless_coincidence_max: float = 0.2

    # --- decision --------------------------------------------------------------
    # Minimum score for an automatic match. Calibrated so that an exact amount on
    # a plausible date with no name information passes, while an exact amount
    # with a contradicting name, or a tolerance without a supporting name, does not.
    # An exact card debit a day off the receipt with only a weak name (0.625) does
    # not either: next to the payee's visits of other days, that is a coin toss.
    # Receipts left unmatched because their only exact card debit of the day names
    # another payee, again and again the same one, teach an alias (a brand and its
    # operating company: `shared.matching.inference`); they are then matched with it.
    infer_aliases: bool = True
    min_score: float = 0.65
    # Two assignments whose total scores differ by less than this are treated as
    # a tie (recurring subscriptions, two same-amount payments): no match rather
    # than a coin toss, because a wrong match costs more than a missing one.
    ambiguity_margin: float = 0.05
    # Tip and fee candidates have an unknown amount, so two payments to the same
    # payee within the allowance are told apart by date alone: require this lead.
    tolerance_ambiguity_margin: float = 0.10
    # Components of the candidate graph above this size are assigned greedily
    # (largest score first, with the same ambiguity test against the runner-up)
    # instead of by the exact O(n^3) assignment, to bound the run time.
    exact_assignment_max_side: int = 60
    # A receipt showing the shop's sign paid under the operating company's legal name
    # (`SAS EXPLOITATION DU PORT`), the mirror of a receipt printed with that name: the
    # only card debit of its exact total that day, as for a receipt with no name
    # (`engine._match_operator_named`; about 40 right for 1 wrong where it applies).
    shop_paid_to_its_company: bool = True
