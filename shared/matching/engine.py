"""Match documents to bank transactions: precise, explainable, fast.

Contract of `match(organization, transactions, documents, policy)`:

- It returns exactly one `MatchResult` per document, in input order. It does no
  I/O and does not mutate its inputs.
- A document is matched to at most one transaction and a transaction to at most
  one document; a transaction with `has_attachment` is never matched.
- Sales documents (issued by the organization itself) are never matched.
- Duplicates (same checksum, or same supplier + invoice number + amount) are
  flagged; only the first received copy is considered for matching.
- Candidates come from indexes (amount in cents, merchant-currency amount,
  card debits per day and descriptor word, foreign transfers per month by
  amount), never from all pairs.
- Each candidate pair gets a score in [0, 1] from three kinds of evidence:
  amount (up to 0.45), date (up to 0.25) and who (IBAN 0.30, invoice number in
  the reference 0.40, name similarity up to 0.24; a contradicting name or IBAN
  subtracts). A tolerance (tip, foreign-transfer fee, rounding), a document
  without a date, a receipt paid otherwise than by card and a bare whole
  amount without a supplier name all need positive "who" evidence. Tips are
  only looked for among card debits emitted on the receipt's day (the moment
  of payment) whose descriptor carries the receipt's whole name; two there are
  ambiguous, and a payee paid more than three times a day around the date (a
  chain) gets none; an arbitrary surplus (not a rounded bill, a round tip or a
  percentage preset) only where tips are customary and the payee is paid
  rarely. With none that day, a restaurant's typed tip a day before or after
  may be taken (`tips`, `_day_off_tip`). A card debit with a posting date (`settled_at`), or whose
  `emitted_at` has a time of day, is dated by its emission, the moment of payment: the
  receipt's day, a day after at most (`card_emitted_after_document_days`); one dated by a
  day alone may be a booking date, days after. A receipt follows the card date rule
  whatever the channel. The tolerances are named in `MatchingPolicy`.
- Assignment is global: a maximum-weight matching per connected component of
  the candidate graph. A pair is kept only if its score reaches
  `policy.min_score` and if forbidding it lowers the component's best total by
  at least `policy.ambiguity_margin`; otherwise the document stays unmatched
  and its reasons say why. An already attached transaction that fits the
  document as well as the chosen one also blocks the match (the document is
  probably a copy of the one attached).
- Receipts left unmatched because their only exact card debit of the day names
  another payee, the same one again and again, teach an alias (`inference`):
  they are scored again with it, and so are the supplier's other unmatched
  documents, such as its refunds (`policy.infer_aliases`).
- Every result carries its score and human-readable reasons.

Where the pieces are: `transaction_index` (the indexes candidates come from),
`duplicates` (sales documents, copies and receipts sent twice, set aside first),
`scoring` (candidate pairs and their scores; `tips` finds a receipt's debits a typed
tip above it), `choice` (the global assignment and its ambiguity test), `references`
(invoice numbers in payment references); this module runs the passes, from the fast
exact one to the last-resort ones, and explains each outcome.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from shared.matching.aliases import AliasBook, AliasLine
from shared.matching.choice import assign
from shared.matching.currencies import EUR_PER_UNIT, plausibly_converted
from shared.matching.duplicates import duplicate_documents, receipt_copies, sales_reason
from shared.matching.habits import HABIT_APART_DAYS, fits_habit, payment_habits
from shared.matching.inference import Sighting, infer_aliases
from shared.matching.model import DocumentLine, OrganizationProfile, TransactionLine
from shared.matching.name_similarity import name_families, profile_similarity, same_name
from shared.matching.names import (
    NameProfile,
    company_in_descriptor,
    distinctive_prefixes,
    document_profile,
    first_word_only,
    legal_form_in,
    opens_with,
    tokens,
)
from shared.matching.policy import MatchingPolicy
from shared.matching.references import reference_has_number
from shared.matching.scoring import Edge, Frame, Scorer
from shared.matching.trades import lodging, tip_customary
from shared.matching.transaction_index import (
    TransactionIndex,
    cents_of,
    fmt_amount,
    paris_day,
    with_amounts_in_text,
)

# A payee whose name resembles this well its matched supplier's is known by its name.
_NAMED_PAYEE_SIMILARITY = 0.85
# A supplier's document matched to a debit under a name that does not contradict its own
# (a name the card network cut, `BAR-TABAC DU P`, scores little): paid under its own name.
_PAID_BY_NAME_SIMILARITY = 0.3
# A hotel's stay may be paid at booking this many days before the invoice of checkout.
_BOOKING_DAYS_BEFORE_STAY = 90
# ... unless charged at checkout the bill plus at most a quarter (`_charged_at_checkout`).
_CHECKOUT_EXTRAS_SHARE = 4
# A hotel paid more than this many times by card within this many days of a stay is a
# chain, where a debit of a little more than the bill is as likely another stay.
_STAY_PAYEE_MAX_DEBITS = 5
_STAY_PAYEE_WINDOW_DAYS = 3
# An early-payment discount is a whole or half percent up to 3 %, taken on a transfer
# within this many days of the invoice (`_match_early_payment_discounts`), to a payee
# named at least this alike.
_EARLY_DISCOUNT_STEPS = tuple(Decimal(n) / 2 for n in range(1, 7))
_EARLY_PAYMENT_DAYS = 20
# A transfer paying an invoice in another currency, days from its issue (before: a
# proforma's number paid ahead; after: payment terms of up to four months abroad).
_CONVERTED_PAYMENT_DAYS = (5, 120)
# An invoice paid ahead by transfer, days before its issue (a pro forma's payment)...
_PREPAID_DAYS = 21
# ... by the only transfer of that amount to the payee within a month either side.
_A_MONTH = 35
_DISCOUNT_NAME_SIMILARITY = 0.8
_CENT = Decimal("0.01")
# A supplier paid to the cent this many times for each debit above a bill takes no tip,
# where tips are not customary (`_undo_tips_where_nobody_tips`).
_EXACT_PER_TIP = 20
_TIP_REASON = " + tip "
_EXACT_REASON = "equals transaction amount"
# A supplier with this many documents matched to debits bearing its name, and this
# share of all its matched documents, is paid under its own name (`_OwnNamePayments`).
_OWN_NAME_MIN_PAYMENTS = 10
_OWN_NAME_SHARE = 0.9
# A receipt date read with day and month swapped is matched only under a name this
# alike (`_match_day_month_swapped`).
_SWAPPED_DATE_SIMILARITY = 0.85
# A document dated more than this many days after it was received bears a misread date
# (`_match_dated_after_received`).
_ISSUED_AFTER_RECEIVED_DAYS = 1
_MISREAD_DATE_LOOKBACK_DAYS = 14
_MISREAD_DATE_LOOKAHEAD_DAYS = 10
# A receipt whose year, set right, puts it this many days or fewer before it was
# received was sent fresh: its year was misread, not a year-old receipt's
# (`_match_year_misread`).
_FRESH_RECEIPT_DAYS = 7
# ... or this many, where the payee is paid that price day after day.
_SENT_ON_ITS_DAY = 1


@dataclass(slots=True)
class MatchResult:
    """The outcome for one document.

    `transaction_id` is None when the document is not matched; `score` is the
    chosen pair's score (or the best candidate's, for an unmatched document);
    `reasons` explain the decision to a person; `flags` are machine-readable
    (`sales_invoice`, `duplicate`, `ambiguous`, `already_attached`,
    `below_min_score`, `no_candidate`, `lost_to_other_document`).
    """

    document_id: str
    transaction_id: str | None
    score: float
    reasons: list[str]
    flags: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        """The CLI line: document_id, transaction_id, score, reasons (+ flags)."""
        return {
            "document_id": self.document_id,
            "transaction_id": self.transaction_id,
            "score": self.score,
            "reasons": list(self.reasons),
            "flags": list(self.flags),
        }


def match(
    organization: OrganizationProfile,
    transactions: Sequence[TransactionLine],
    documents: Sequence[DocumentLine],
    policy: MatchingPolicy = MatchingPolicy(),  # noqa: B008 - frozen, shared default is safe
    aliases: Sequence[AliasLine] = (),
) -> list[MatchResult]:
    """Match each document to at most one transaction (see the module docstring).

    `aliases` are the organization's learned aliases (`shared.matching.aliases`).
    """
    p = policy
    results: list[MatchResult | None] = [None] * len(documents)
    foreign = {doc.currency for doc in documents} - {tx.currency for tx in transactions}
    index = TransactionIndex(organization, with_amounts_in_text(transactions, foreign))
    _set_aside(organization, documents, index, results)
    scorer = Scorer(index, p, AliasBook(aliases), _families(documents))
    matched = _fast_pass(documents, results, scorer)
    _full_pass(documents, results, scorer, matched)
    if p.infer_aliases:
        _match_with_inferred_aliases(documents, results, index, scorer, matched, aliases)
    # Last resorts, in this order, for what is still waiting: each takes free debits only.
    taken = set(matched.values())
    for last_resort in (
        _match_day_month_swapped,
        _match_year_misread,
        _match_dated_after_received,
        _match_tips_at_any_payee,
        _match_operator_named,
        _match_first_word_tips,
        _match_stays_paid_at_booking,
        _match_stays_charged_with_extras,
        _match_early_payment_discounts,
        _match_by_payment_habit,
        _match_converted_by_reference,
        _match_prepaid_invoices,
    ):
        last_resort(documents, results, scorer, matched, taken)
    _undo_tips_where_nobody_tips(documents, results, index, matched)
    return [r for r in results if r is not None]


def _set_aside(
    organization: OrganizationProfile,
    documents: Sequence[DocumentLine],
    index: TransactionIndex,
    results: list[MatchResult | None],
) -> None:
    """Results for the documents never matched: sales invoices (the organization is the
    seller) and copies of another document."""
    org_tokens = frozenset(tokens(organization.name))
    sales: set[int] = set()
    for i, doc in enumerate(documents):
        why = sales_reason(organization, org_tokens, doc)
        if why is not None:
            sales.add(i)
            results[i] = MatchResult(doc.id, None, 0.0, [why], ["sales_invoice"])
    copies = duplicate_documents(documents, sales)
    copies.update(receipt_copies(documents, sales | set(copies), index))
    for i, (first, why) in copies.items():
        results[i] = MatchResult(
            documents[i].id,
            None,
            0.0,
            [f"duplicate of document {documents[first].id} ({why})"],
            ["duplicate"],
        )


def _fast_pass(
    documents: Sequence[DocumentLine], results: list[MatchResult | None], scorer: Scorer
) -> dict[int, int]:
    """A document whose only exact-amount transaction in reach is claimed by no other
    document is decided at once, unless its name speaks against it (document ->
    transaction rows matched). It is what the full scoring would conclude, at a
    fraction of the cost, and it never matches less than the naive "exact amount,
    +-5 days, only candidate"."""
    transactions = scorer.index.txs
    frames: dict[int, Frame] = {}
    exact: dict[int, dict[int, tuple[str, Decimal]]] = {}
    claims: dict[int, int] = defaultdict(int)
    for i, doc in enumerate(documents):
        if results[i] is not None:
            continue
        frame = frames[i] = scorer.frame(doc)
        found = exact[i] = scorer.exact_candidates(doc, frame)
        for tx_i in found:
            claims[tx_i] += 1
    matched: dict[int, int] = {}
    for i, found in exact.items():
        if len(found) != 1:
            continue
        ((tx_i, (kind, amount)),) = found.items()
        if claims[tx_i] != 1:
            continue
        edge = scorer.fast_edge(documents[i], frames[i], tx_i, kind, amount)
        if edge is not None:
            matched[i] = tx_i
            results[i] = MatchResult(
                documents[i].id, transactions[tx_i].id, round(edge.score, 3), edge.reasons
            )
    return matched


def _full_pass(
    documents: Sequence[DocumentLine],
    results: list[MatchResult | None],
    scorer: Scorer,
    matched: dict[int, int],
) -> None:
    """Every document still waiting scored against its candidates, the free ones
    assigned together (`assign`); a match needs `min_score` and a lead over any debit
    already attached. `matched` (document -> transaction rows) grows with the matches."""
    p, transactions = scorer.policy, scorer.index.txs
    taken = set(matched.values())
    doc_edges: dict[int, list[Edge]] = {}
    doc_attached: dict[int, list[Edge]] = {}
    doc_notes: dict[int, list[str]] = {}
    for i, doc in enumerate(documents):
        if results[i] is not None:
            continue
        free, attached, notes = scorer.edges(doc, taken)
        if free:
            free.sort(key=lambda e: (-e.score, e.tx))
            doc_edges[i] = free
        if attached:
            doc_attached[i] = attached
        if notes:
            doc_notes[i] = notes

    tx_ids, doc_ids = [t.id for t in transactions], [d.id for d in documents]
    chosen, lost = assign(doc_edges, p, tx_ids, doc_ids)

    for i, doc in enumerate(documents):
        if results[i] is not None:
            continue
        edges = doc_edges.get(i, [])
        attached = doc_attached.get(i, [])
        notes = doc_notes.get(i, [])
        pick = chosen.get(i)
        best_attached = max((e.score for e in attached), default=None)
        if (
            pick is not None
            and pick.score >= p.min_score
            and (best_attached is None or pick.score - best_attached >= p.ambiguity_margin)
        ):
            tx = transactions[pick.tx]
            results[i] = MatchResult(doc.id, tx.id, round(pick.score, 3), list(pick.reasons))
            matched[i] = pick.tx
            continue
        results[i] = _unmatched(doc, transactions, edges, attached, notes, pick, lost.get(i), p)


def _match_with_inferred_aliases(
    documents: Sequence[DocumentLine],
    results: list[MatchResult | None],
    index: TransactionIndex,
    scorer: Scorer,
    matched: dict[int, int],
    aliases: Sequence[AliasLine],
) -> None:
    """Match again, with the aliases the statement itself teaches (`inference`), the
    receipts left unmatched because their only exact card debit of the day carries
    another name (a brand and its operating company), and the unmatched documents of
    the suppliers so learned (their refunds); `results` are updated."""
    p, txs = scorer.policy, index.txs
    taken = set(matched.values())
    sightings: list[Sighting] = []
    sighted: list[int] = []
    for i, doc in enumerate(documents):
        if _waiting(results[i]):
            sighting = _sighting(doc, index, scorer, taken)
            if sighting is not None:
                sightings.append(sighting)
                sighted.append(i)
        elif i in matched and _matched_despite_its_name(results[i]):
            # Matched on its day and to the cent although the names differ (a cab
            # paid under its licence number): a sighting of the pairing too, which
            # then finds the supplier's receipts whose tip hid the amount.
            sighting = _sighting(doc, index, scorer, taken, matched[i])
            if sighting is not None:
                sightings.append(sighting)
    if not sightings:
        return
    named_payees, paid_by_name = _named_payees(documents, matched, index)
    inferred = infer_aliases(sightings, named_payees, paid_by_name)
    if not inferred:
        return
    rescorer = Scorer(index, p, AliasBook([*aliases, *inferred]), scorer.families)
    # The alias names the supplier's payee for all its documents: a refund of the
    # brand (a credit note) comes back under the operating company's name too.
    learned = AliasBook(inferred)
    sighted_set = set(sighted)
    for i, doc in enumerate(documents):
        if i in sighted_set or not doc.supplier_name or not _waiting(results[i]):
            continue
        if learned.for_document(doc, document_profile(doc.supplier_name)):
            sighted.append(i)
    doc_edges: dict[int, list[Edge]] = {}
    for i in sighted:
        free, _, _ = rescorer.edges(documents[i], taken)
        free = [
            e for e in free if e.score >= p.min_score and e.amount_kind in ("total", "tip", "local")
        ]
        if free:
            doc_edges[i] = sorted(free, key=lambda e: (-e.score, e.tx))
    chosen, _ = assign(doc_edges, p, [t.id for t in txs], [d.id for d in documents])
    for i, edge in chosen.items():
        if edge.tx in taken or not any("inferred from" in r for r in edge.reasons):
            continue
        taken.add(edge.tx)
        matched[i] = edge.tx
        results[i] = MatchResult(
            documents[i].id, txs[edge.tx].id, round(edge.score, 3), list(edge.reasons)
        )
    _rematch_with_alias(documents, results, rescorer, matched, taken)


def _undo_tips_where_nobody_tips(
    documents: Sequence[DocumentLine],
    results: list[MatchResult | None],
    index: TransactionIndex,
    matched: dict[int, int],
) -> None:
    """Unmatch the tips taken at a supplier whose documents were matched to the cent
    `_EXACT_PER_TIP` times or more for each tip (an airline: 99 to the cent, one
    312.38 -> 321.00), where tips are not customary: there, a debit above the bill is
    another purchase, and the bill's own debit is missing. Tips are told by their
    reason ("... = receipt total ... + tip ...")."""
    exact: dict[tuple[str, ...], int] = defaultdict(int)
    tips: dict[tuple[str, ...], list[int]] = defaultdict(list)
    if not any(_TIP_REASON in r.reasons[0] for i in matched if (r := results[i]) is not None):
        return
    for i in matched:
        name = documents[i].supplier_name
        doc_profile = document_profile(name) if name else None
        result = results[i]
        if doc_profile is None or result is None:
            continue
        if _TIP_REASON in result.reasons[0]:
            tips[doc_profile[0]].append(i)
        elif _EXACT_REASON in result.reasons[0]:
            exact[doc_profile[0]] += 1
    for key, tipped in tips.items():
        if exact[key] < _EXACT_PER_TIP * len(tipped):
            continue
        for i in tipped:
            doc, tx = documents[i], index.txs[matched[i]]
            if tip_customary(doc.supplier_name) or tip_customary(tx.counterparty):
                continue
            del matched[i]
            results[i] = MatchResult(
                doc.id,
                None,
                0.0,
                [
                    f"transaction {tx.id} ({fmt_amount(abs(tx.amount))} {tx.currency}) is above "
                    f"the receipt total, but {doc.supplier_name!r} was paid to the cent "
                    f"{exact[key]} times for {len(tipped)} such debit(s): another purchase, "
                    "not a tip"
                ],
                ["no_candidate"],
            )


def _match_day_month_swapped(
    documents: Sequence[DocumentLine],
    results: list[MatchResult | None],
    scorer: Scorer,
    matched: dict[int, int],
    taken: set[int],
) -> None:
    """A receipt left waiting whose date reads both ways (`03/11/2025`: 3 November,
    or 11 March as a till set to another locale prints it) is matched on the other
    reading, but only to a card debit emitted on that very day, of its exact total,
    under a name at least `_SWAPPED_DATE_SIMILARITY` alike (or an alias), and only when
    that debit is the one candidate: the date misread is then told in the reasons.
    `results` and `matched` are updated."""
    index = scorer.index
    for i, doc in enumerate(documents):
        issued = doc.issue_date
        if doc.document_type != "receipt" or issued is None or not doc.supplier_name:
            continue
        if issued.day > 12 or issued.day == issued.month or not _waiting(results[i]):
            continue
        other = issued.replace(month=issued.day, day=issued.month)
        if doc.received_at is not None and other.toordinal() > paris_day(doc.received_at):
            continue  # a receipt is not received before the day it was printed
        edge = _debit_of_the_date_reread(doc, other, scorer, taken)
        if edge is None or _paid_on_its_day_as_read(doc, scorer):
            continue  # (two tolls of the amount that day: the date was read right)
        reasons = [
            f"receipt date {issued.isoformat()} read with day and month swapped: "
            f"{other.isoformat()}, when the card was charged",
            *edge.reasons,
        ]
        _settle(i, doc, index, edge.tx, edge.score, reasons, results, matched, taken)


def _debit_of_the_date_reread(
    doc: DocumentLine, other: date, scorer: Scorer, taken: set[int]
) -> Edge | None:
    """The receipt's one free candidate with its date read as `other`, when that is a
    card debit emitted on that very day, of its exact total, at the minimum score,
    under its name (or an alias; with no name, abroad, of its local amount), and not a price the payee is paid day after day (any
    day's debit would fit a misreading); else None."""
    index = scorer.index
    edge = _sole_free_edge(scorer, doc._replace(issue_date=other), taken)
    if edge is None or not (
        edge.exact
        and edge.amount_kind in ("total", "local")
        and index.is_card[edge.tx]
        and index.day[edge.tx] == other.toordinal()
        and edge.score >= scorer.policy.min_score
        and (
            _names_the_payee(doc, index, edge)
            # (a nameless receipt abroad: its local amount says whose debit it is)
            or (edge.amount_kind == "local" and not doc.supplier_name)
        )
        and not scorer.bought_again(edge.tx)
    ):
        return None
    return edge


def _match_year_misread(
    documents: Sequence[DocumentLine],
    results: list[MatchResult | None],
    scorer: Scorer,
    matched: dict[int, int],
    taken: set[int],
) -> None:
    """A receipt left waiting, dated in another year than the one it was received in
    (`23/01/2023` received in 2025: OCR read a digit of the year wrong, or the till's
    year was never set), is matched on the same day and month of the year it was
    received in (the year before when that day is still to come), on the same terms
    as a day and month swapped: a card debit of that very day, its exact total, under
    its name (or, abroad, its local amount), the one candidate, not a price the payee is
    paid day after day. A receipt that date puts at most `_FRESH_RECEIPT_DAYS` before it
    was sent (`_SENT_ON_ITS_DAY` at a price paid there again and again) is no year-old
    receipt: it is matched as the full pass would match it with its year right
    (`_clear_leader`), under its name."""
    index = scorer.index
    accounts: set[str] | None = None  # the statement's currencies (when asked)
    for i, doc in enumerate(documents):
        issued, received = doc.issue_date, doc.received_at
        if doc.document_type != "receipt" or issued is None or received is None:
            continue
        if not _waiting(results[i]):
            continue
        if not doc.supplier_name:
            # Nameless: only a local amount abroad says whose debit it is.
            if accounts is None:
                accounts = {tx.currency for tx in index.txs}
            if doc.currency in accounts:
                continue
        received_day = paris_day(received)
        year = date.fromordinal(received_day).year
        if issued.year == year:
            continue
        try:
            other = issued.replace(year=year)
            if other.toordinal() > received_day:
                other = issued.replace(year=year - 1)
        except ValueError:
            continue  # (29 February of a year that has none)
        if other == issued:
            continue
        edge = _debit_of_the_date_reread(doc, other, scorer, taken)
        sent_after = received_day - other.toordinal()
        if edge is None and sent_after <= _FRESH_RECEIPT_DAYS:
            edge = _clear_leader(scorer, doc._replace(issue_date=other), taken)
            if edge is not None and not (
                # Paid on that day or booked after it: the day and month were read right.
                index.day[edge.tx] >= other.toordinal()
                and (
                    _names_the_payee(doc, index, edge)
                    or (edge.amount_kind == "local" and not doc.supplier_name)
                )
                # A price paid there again and again: a year-old receipt sent around its
                # day would find this year's as well, unless it was sent on that day.
                and (sent_after <= _SENT_ON_ITS_DAY or not scorer.bought_again(edge.tx))
            ):
                edge = None
        if edge is None:
            continue
        reasons = [
            f"receipt date {issued.isoformat()} read with the year wrong: "
            f"{other.isoformat()}, when the card was charged",
            *edge.reasons,
        ]
        _settle(i, doc, index, edge.tx, edge.score, reasons, results, matched, taken)


def _match_dated_after_received(
    documents: Sequence[DocumentLine],
    results: list[MatchResult | None],
    scorer: Scorer,
    matched: dict[int, int],
    taken: set[int],
) -> None:
    """A document left waiting whose date it cannot bear, printed more than
    `_ISSUED_AFTER_RECEIVED_DAYS` after it was received (`2026-01-30` received on 30
    January 2025, `2028-10-28`: a digit misread), which no other reading of its date
    matched, is matched as a document with no date: its one free candidate, at the
    minimum score, as any undated document's (a receipt paid before it was received,
    an invoice up to `_MISREAD_DATE_LOOKAHEAD_DAYS` after)."""
    index = scorer.index
    for i, doc in enumerate(documents):
        issued, received = doc.issue_date, doc.received_at
        if issued is None or received is None or not _waiting(results[i]):
            continue
        received_day = paris_day(received)
        if issued.toordinal() <= received_day + _ISSUED_AFTER_RECEIVED_DAYS:
            continue
        edge = _sole_free_edge(scorer, doc._replace(issue_date=None), taken)
        if edge is None or edge.score < scorer.policy.min_score:
            continue
        paid = index.day[edge.tx] - received_day
        if not -_MISREAD_DATE_LOOKBACK_DAYS <= paid <= _MISREAD_DATE_LOOKAHEAD_DAYS:
            continue  # (a receipt's own bounds are an undated receipt's, in the scoring)
        reasons = [
            f"date {issued.isoformat()} is after the document was received "
            f"({date.fromordinal(received_day).isoformat()}): matched as a document with no date",
            *edge.reasons,
        ]
        _settle(i, doc, index, edge.tx, edge.score, reasons, results, matched, taken)


def _match_tips_at_any_payee(
    documents: Sequence[DocumentLine],
    results: list[MatchResult | None],
    scorer: Scorer,
    matched: dict[int, int],
    taken: set[int],
) -> None:
    """Receipts still waiting are offered, as a last resort, the tip of any percentage
    (up to `unshaped_tip_max_ratio`) at a payee whose name does not say tipping is
    customary (`Le Beffroi Étoilé` is a restaurant too): many restaurants' names say
    nothing of it. Last, so that it never competes with a better-founded match; a
    debit taken already is not offered."""
    p = scorer.policy
    if p.unshaped_tip_at_any_payee:
        return  # the main pass offered them already
    relaxed = Scorer(
        scorer.index, replace(p, unshaped_tip_at_any_payee=True), scorer.aliases, scorer.families
    )
    for i, doc in enumerate(documents):
        if doc.document_type != "receipt" or not doc.supplier_name:
            continue
        if not _no_candidate(results[i]):
            continue  # matched, or among candidates already: one more would not settle it
        if legal_form_in(doc.supplier_name):
            continue  # the operator's name: its debit shows the sign, maybe unseen here
        edge = _sole_free_edge(relaxed, doc, taken)
        if edge is None or edge.amount_kind != "tip" or edge.score < p.min_score:
            continue
        surplus = -scorer.index.txs[edge.tx].amount - doc.total
        if surplus < doc.total * p.typed_tip_min_ratio:
            continue
        _settle(i, doc, scorer.index, edge.tx, edge.score, edge.reasons, results, matched, taken)


def _match_operator_named(
    documents: Sequence[DocumentLine],
    results: list[MatchResult | None],
    scorer: Scorer,
    matched: dict[int, int],
    taken: set[int],
) -> None:
    """A receipt printed with its operating company's name (`SAS Jacquet`) is paid
    under the shop's sign (`BISTROT DU LAVOIR`), which the receipt may not show: that
    name neither supports nor contradicts; nor does a company's legal name on the card
    (`SAS EXPLOITATION DU PORT`) for a receipt showing the sign (`shop_paid_to_its_company`).
    Left with no candidate, such a receipt is matched as one with no name would be: to
    the card debit of its exact total emitted on its very day, when that is the only one
    that day (a debit of another day may be anyone's), its amount not one other
    purchases often come to, free, and one side only naming a company (two legal names
    are two companies). Last, at the minimum score."""
    p, index = scorer.policy, scorer.index
    own_name = _OwnNamePayments(documents, matched, index)
    for i, doc in enumerate(documents):
        if doc.document_type != "receipt" or doc.issue_date is None:
            continue
        if not _no_candidate(results[i]) or not doc.supplier_name or own_name.usual(doc):
            continue
        doc_company = legal_form_in(doc.supplier_name)
        if not doc_company and not p.shop_paid_to_its_company:
            continue
        # As a receipt with no name: only a card debit of its very day stands on its
        # amount, and only when that amount is not one other purchases often come to.
        same_day = _exact_card_debits_of_its_day(doc, scorer)
        if len(same_day) != 1:
            continue
        (tx_i,) = same_day
        tx = index.txs[tx_i]
        # One side names the company, the other the shop; two companies are two.
        if (
            tx_i in taken
            or tx.has_attachment
            or company_in_descriptor(tx.counterparty) == doc_company
            or scorer._common_that_day(tx_i, "total")
        ):
            continue
        company, shop = ("receipt", "card") if doc_company else ("card", "receipt")
        reasons = [
            f"amount {fmt_amount(doc.total)} {doc.currency} equals transaction amount",
            "card on the receipt date",
            f"the {company} names a company "
            f"({(doc.supplier_name if doc_company else tx.counterparty)!r}), the {shop} "
            f"its shop ({(tx.counterparty if doc_company else doc.supplier_name)!r}): "
            "neither supports nor contradicts",
            "the only card debit of this amount on the receipt's day",
        ]
        _settle(i, doc, index, tx_i, p.min_score, reasons, results, matched, taken)


def _match_stays_paid_at_booking(
    documents: Sequence[DocumentLine],
    results: list[MatchResult | None],
    scorer: Scorer,
    matched: dict[int, int],
    taken: set[int],
) -> None:
    """A hotel's invoice left waiting, issued at checkout, is matched to the card debit
    of its exact total made at booking, up to `_BOOKING_DAYS_BEFORE_STAY` days before
    (a prepaid rate), under a name that supports the hotel's: when that debit is the
    only one, free, and no other waiting document of the amount claims it."""
    p, index = scorer.policy, scorer.index
    claims: dict[int, list[int]] = defaultdict(list)
    for i, doc, issued, doc_profile in _waiting_named(documents, results, ("receipt", "invoice")):
        day = issued.toordinal()
        rows = index.amount_rows(
            doc.currency, -1, cents_of(doc.total), day - _BOOKING_DAYS_BEFORE_STAY, day - 1
        )
        # The hotel on either side: OCR may have damaged the invoice's (`HÔTE DU PARC`).
        hotel = lodging(doc.supplier_name)
        booked = [
            tx_i
            for _, tx_i, card, local in rows
            if card
            and not local
            and tx_i not in taken
            and not index.txs[tx_i].has_attachment
            and (hotel or lodging(index.txs[tx_i].counterparty))
            and _named_alike(doc_profile, index, tx_i, p.name_support_similarity)
        ]
        if len(booked) == 1 and not _charged_at_checkout(doc, doc_profile, index, p):
            claims[booked[0]].append(i)
    for tx_i, i in _sole_claims(claims):
        doc = documents[i]
        days = doc.issue_date.toordinal() - index.day[tx_i]  # type: ignore[union-attr]
        reasons = [
            f"amount {fmt_amount(doc.total)} {doc.currency} equals transaction amount",
            f"card {days} days before the {doc.document_type} date: a stay paid at booking",
            f"supplier name {doc.supplier_name!r} resembles counterparty "
            f"{index.txs[tx_i].counterparty!r}",
            "the only card debit of this amount to this hotel in the weeks before",
        ]
        _settle(i, doc, index, tx_i, p.min_score, reasons, results, matched, taken)


def _match_stays_charged_with_extras(
    documents: Sequence[DocumentLine],
    results: list[MatchResult | None],
    scorer: Scorer,
    matched: dict[int, int],
    taken: set[int],
) -> None:
    """A hotel's invoice left waiting that leaves out what is paid at the desk (a booking's
    confirmation "city tax payable at the property", a folio printed before the minibar)
    is matched to the card debit at checkout of the bill plus up to a
    `_CHECKOUT_EXTRAS_SHARE`th more, on the bill's day or the next, bearing the hotel's
    whole name: when it is the only such debit then, free, no other waiting document
    claims it, and the hotel is no chain paid every day (`_paid_often`). A hotel on one
    side at least: a debit of a little more at a restaurant is a tip, judged as such."""
    p, index = scorer.policy, scorer.index
    claims: dict[int, list[int]] = defaultdict(list)
    # (A receipt at a hotel is its bar's or its shop's: a tip's rules.)
    for i, doc, issued, doc_profile in _waiting_named(documents, results, ("invoice",)):
        keys = distinctive_prefixes(doc_profile)
        if not keys:
            continue
        hotel = lodging(doc.supplier_name)
        low = cents_of(doc.total)
        high = low + low // _CHECKOUT_EXTRAS_SHARE
        charged: list[int] = []
        for day in (issued.toordinal(), issued.toordinal() + 1):
            amounts, rows = index.card_amounts(doc.currency, day)
            lo, hi = bisect_right(amounts, low), bisect_right(amounts, high)
            charged.extend(
                rows[j]
                for j in index.card_text_hits(doc.currency, day, lo, hi, keys)
                if rows[j] not in taken
                and not index.txs[rows[j]].has_attachment
                and (hotel or lodging(index.txs[rows[j]].counterparty))
                and _bears_its_name(doc_profile, index, rows[j])
            )
        if len(charged) == 1 and not _paid_often(doc, doc_profile, keys, index):
            claims[charged[0]].append(i)
    for tx_i, i in _sole_claims(claims):
        doc = documents[i]
        tx = index.txs[tx_i]
        extras = -tx.amount - doc.total
        when = "on" if index.day[tx_i] == doc.issue_date.toordinal() else "1 day after"  # type: ignore[union-attr]
        reasons = [
            f"transaction {fmt_amount(-tx.amount)} {doc.currency} = {doc.document_type} "
            f"total {fmt_amount(doc.total)} + {fmt_amount(extras)} of extras charged at "
            "checkout (city tax, minibar)",
            f"card {when} the {doc.document_type} date",
            f"supplier name {doc.supplier_name!r} resembles counterparty {tx.counterparty!r}",
            "the only card debit of a little more to this hotel then",
        ]
        _settle(i, doc, index, tx_i, p.min_score, reasons, results, matched, taken)


def _waiting_named(
    documents: Sequence[DocumentLine],
    results: list[MatchResult | None],
    types: tuple[str, ...],
) -> Iterator[tuple[int, DocumentLine, date, NameProfile]]:
    """(index, document, issue date, name profile) of the documents of `types` still
    waiting, dated, of a positive total and a usable supplier name."""
    for i, doc in enumerate(documents):
        issued = doc.issue_date
        if issued is None or doc.total <= 0 or doc.document_type not in types:
            continue
        if not _waiting(results[i]) or not doc.supplier_name:
            continue
        doc_profile = document_profile(doc.supplier_name)
        if doc_profile is not None:
            yield i, doc, issued, doc_profile


def _waiting_invoices(
    documents: Sequence[DocumentLine], results: list[MatchResult | None]
) -> Iterator[tuple[int, DocumentLine, int, NameProfile | None]]:
    """(index, invoice, issue day, name profile or None) of the invoices still waiting,
    dated, of a positive total, naming their supplier or its IBAN."""
    for i, doc in enumerate(documents):
        if doc.document_type != "invoice" or doc.issue_date is None or doc.total <= 0:
            continue
        if not _waiting(results[i]) or not (doc.supplier_name or doc.supplier_iban):
            continue
        doc_profile = document_profile(doc.supplier_name) if doc.supplier_name else None
        yield i, doc, doc.issue_date.toordinal(), doc_profile


def _owed(doc: DocumentLine) -> Decimal:
    """What the invoice asks to be paid: its amount due when it states one (a deposit
    deducted), else its total."""
    return doc.amount_due if doc.amount_due is not None else doc.total


def _match_early_payment_discounts(
    documents: Sequence[DocumentLine],
    results: list[MatchResult | None],
    scorer: Scorer,
    matched: dict[int, int],
    taken: set[int],
) -> None:
    """An invoice left waiting, paid early with the discount its terms offer (French
    invoices state one: `escompte 2 % pour paiement sous 8 jours`), is matched to the
    transfer of its total less a whole or half percent (`_EARLY_DISCOUNT_STEPS`), to
    the cent, made within `_EARLY_PAYMENT_DAYS` of its issue to a payee named like its
    supplier (or to its IBAN): when that transfer is the only one, free, and no other
    waiting invoice claims it."""
    p, index = scorer.policy, scorer.index
    claims: dict[int, list[int]] = defaultdict(list)
    steps: dict[int, Decimal] = {}
    for i, doc, day, doc_profile in _waiting_invoices(documents, results):
        found: dict[int, Decimal] = {}  # (a transfer is filed by emission and posting)
        for step in _EARLY_DISCOUNT_STEPS:
            paid = (doc.total * (1 - step / 100)).quantize(_CENT, ROUND_HALF_UP)
            for _, tx_i, card, _ in index.amount_rows(
                doc.currency, -1, cents_of(paid), day, day + _EARLY_PAYMENT_DAYS
            ):
                tx = index.txs[tx_i]
                if card or tx.operation_type != "transfer" or tx_i in taken:
                    continue
                if _pays_the_supplier(doc, doc_profile, index, tx_i, p):
                    found[tx_i] = step
        if len(found) == 1:
            ((tx_i, steps[i]),) = found.items()
            claims[tx_i].append(i)
    for tx_i, i in _sole_claims(claims):
        doc, tx = documents[i], index.txs[tx_i]
        days = index.day[tx_i] - doc.issue_date.toordinal()  # type: ignore[union-attr]
        reasons = [
            f"transaction {fmt_amount(abs(tx.amount))} {tx.currency} = invoice total "
            f"{fmt_amount(doc.total)} less an early-payment discount of {steps[i]:f} %",
            f"transfer {days} days after the invoice date",
            f"supplier {doc.supplier_name!r} paid as {tx.counterparty!r}",
            "the only such transfer",
        ]
        _settle(i, doc, index, tx_i, p.min_score, reasons, results, matched, taken)


def _match_converted_by_reference(
    documents: Sequence[DocumentLine],
    results: list[MatchResult | None],
    scorer: Scorer,
    matched: dict[int, int],
    taken: set[int],
) -> None:
    """An invoice left waiting in another currency than the account paying it (a
    supplier abroad paid from the euro account: `VIR INTERNATIONAL EMIS ...`, reference
    `HY20250387 DONT FRAIS 25,00 EUR OUR`) is matched to the outgoing transfer whose
    reference quotes its number, made within `_CONVERTED_PAYMENT_DAYS` of its issue, to
    a payee named like its supplier (or to its IBAN), of an amount its own may convert
    to (`currencies.plausibly_converted`): when that transfer is the only one, free, and
    no other waiting invoice claims it."""
    p, index = scorer.policy, scorer.index
    waiting = [
        found
        for found in _waiting_invoices(documents, results)
        if found[1].invoice_number and found[1].currency in EUR_PER_UNIT
    ]
    if not waiting:
        return
    # (built only when such an invoice waits: most statements pay in one currency)
    transfers = sorted(
        (index.day[j], j)
        for j, tx in enumerate(index.txs)
        if tx.amount < 0 and tx.operation_type == "transfer" and tx.reference and j not in taken
    )
    paid_in = {index.txs[j].currency for _, j in transfers}
    days = [day for day, _ in transfers]
    claims: dict[int, list[int]] = defaultdict(list)
    before, after = _CONVERTED_PAYMENT_DAYS
    for i, doc, day, doc_profile in waiting:
        if doc.currency in paid_in:
            continue
        owed = _owed(doc)
        found = [
            j
            for _, j in transfers[bisect_left(days, day - before) : bisect_right(days, day + after)]
            if reference_has_number(index.compact_reference(j), doc.invoice_number)
            and _pays_the_supplier(doc, doc_profile, index, j, p)
            and plausibly_converted(owed, doc.currency, -index.txs[j].amount, index.txs[j].currency)
        ]
        if len(found) == 1:
            claims[found[0]].append(i)
    for tx_i, i in _sole_claims(claims):
        doc, tx = documents[i], index.txs[tx_i]
        delay = index.day[tx_i] - doc.issue_date.toordinal()  # type: ignore[union-attr]
        reasons = [
            f"invoice number {doc.invoice_number} found in transfer reference",
            f"transaction {fmt_amount(abs(tx.amount))} {tx.currency} pays the invoice's "
            f"{fmt_amount(_owed(doc))} {doc.currency} converted (fees included)",
            f"transfer {delay} days after the invoice date",
            f"supplier {doc.supplier_name!r} paid as {tx.counterparty!r}",
            "the only such transfer",
        ]
        _settle(i, doc, index, tx_i, p.min_score, reasons, results, matched, taken)


def _match_prepaid_invoices(
    documents: Sequence[DocumentLine],
    results: list[MatchResult | None],
    scorer: Scorer,
    matched: dict[int, int],
    taken: set[int],
) -> None:
    """An invoice left waiting, paid by transfer before it was issued (a pro forma paid
    ahead, the invoice issued at shipping), is matched to the transfer of its amount to
    the cent made up to `_PREPAID_DAYS` before its issue to a payee named like its
    supplier (or to its IBAN), when that payee is paid that amount only once within
    `_A_MONTH` either side (a monthly price is the previous month's), the transfer
    is the only one, free, and no other waiting invoice claims it."""
    p, index = scorer.policy, scorer.index
    claims: dict[int, list[int]] = defaultdict(list)
    for i, doc, day, doc_profile in _waiting_invoices(documents, results):
        owed = cents_of(_owed(doc))
        ahead = [
            tx_i
            for _, tx_i, _, _ in index.amount_rows(
                doc.currency, -1, owed, day - _PREPAID_DAYS, day - p.invoice_days_before_issue - 1
            )
            if index.txs[tx_i].operation_type == "transfer"
            and _pays_the_supplier(doc, doc_profile, index, tx_i, p)
        ]
        if len(set(ahead)) != 1 or ahead[0] in taken:
            continue
        paid = index.day[ahead[0]]
        around = index.amount_rows(doc.currency, -1, owed, paid - _A_MONTH, day + _A_MONTH)
        if any(
            tx_i != ahead[0] and _pays_the_supplier(doc, doc_profile, index, tx_i, p)
            for _, tx_i, _, _ in around
        ):
            continue  # (a price paid month after month: the transfer before is last month's)
        claims[ahead[0]].append(i)
    for tx_i, i in _sole_claims(claims):
        doc, tx = documents[i], index.txs[tx_i]
        early = doc.issue_date.toordinal() - index.day[tx_i]  # type: ignore[union-attr]
        reasons = [
            f"amount {fmt_amount(abs(tx.amount))} {tx.currency} equals the invoice's",
            f"transfer {early} days before the invoice date (paid ahead, invoiced later)",
            f"supplier {doc.supplier_name!r} paid as {tx.counterparty!r}",
            "the only payment of this amount to this payee within a month either side",
        ]
        _settle(i, doc, index, tx_i, p.min_score, reasons, results, matched, taken)


def _pays_the_supplier(
    doc: DocumentLine,
    doc_profile: NameProfile | None,
    index: TransactionIndex,
    tx_i: int,
    p: MatchingPolicy,
) -> bool:
    """The transfer goes to the invoice's supplier: its IBAN, or a name at least
    `_FAST_NAME_SIMILARITY`-alike."""
    tx = index.txs[tx_i]
    if doc.supplier_iban and tx.counterparty_iban:
        return doc.supplier_iban == tx.counterparty_iban
    return _named_alike(doc_profile, index, tx_i, _DISCOUNT_NAME_SIMILARITY)


def _match_by_payment_habit(
    documents: Sequence[DocumentLine],
    results: list[MatchResult | None],
    scorer: Scorer,
    matched: dict[int, int],
    taken: set[int],
) -> None:
    """An invoice left waiting between two payments of its amount to its supplier (a
    monthly fee: paid at issue, or at the due date a month later) is matched to the one
    made as many days after its date as the supplier's other invoices were
    (`habits.payment_habits`), when that one alone fits the habit, is free, scores
    `min_score` and no other waiting invoice claims it."""
    p, index = scorer.policy, scorer.index
    delays = []
    for i, tx_i in matched.items():
        doc = documents[i]
        if doc.document_type == "invoice" and doc.issue_date and doc.supplier_name:
            key = _supplier_key(doc.supplier_name)
            if key is not None and not index.is_card[tx_i]:
                delays.append((key, index.day[tx_i] - doc.issue_date.toordinal()))
    habits = payment_habits(delays)
    if not habits:
        return
    claims: dict[int, list[int]] = defaultdict(list)
    edges: dict[int, Edge] = {}
    for i, doc, day, doc_profile in _waiting_invoices(documents, results):
        key = _supplier_key(doc.supplier_name) if doc.supplier_name else None
        habit = habits.get(key) if key is not None else None
        if habit is None or "ambiguous" not in results[i].flags:  # type: ignore[union-attr]
            continue
        free, attached, _ = scorer.edges(doc, taken)
        fits = [
            e
            for e in free
            if e.exact
            and e.score >= p.min_score
            and not index.is_card[e.tx]
            and _pays_the_supplier(doc, doc_profile, index, e.tx, p)
            and fits_habit(index.day[e.tx] - day, habit)
        ]
        # The other candidates are other months', far from the habit (not a debit
        # presented twice in a week).
        others_apart = all(
            e in fits or abs(index.day[e.tx] - day - habit) >= HABIT_APART_DAYS for e in free
        )
        if len(fits) == 1 and others_apart and not attached:
            claims[fits[0].tx].append(i)
            edges[i] = fits[0]
    for tx_i, i in _sole_claims(claims):
        edge = edges[i]
        days = index.day[tx_i] - documents[i].issue_date.toordinal()  # type: ignore[union-attr]
        reasons = [
            *edge.reasons,
            f"paid {days} days after the invoice date, as the supplier's other invoices were",
        ]
        _settle(i, documents[i], index, tx_i, edge.score, reasons, results, matched, taken)


def _supplier_key(name: str) -> tuple[str, ...] | None:
    """The supplier's name as its words (`document_profile`), to group its invoices."""
    found = document_profile(name)
    return found[0] if found is not None else None


def _sole_claims(claims: dict[int, list[int]]) -> list[tuple[int, int]]:
    """(transaction, document) for each transaction claimed by one document only."""
    return [(tx_i, claimants[0]) for tx_i, claimants in claims.items() if len(claimants) == 1]


def _charged_at_checkout(
    doc: DocumentLine, doc_profile: NameProfile, index: TransactionIndex, p: MatchingPolicy
) -> bool:
    """A card debit under the hotel's name around the invoice's day, of the bill or a
    little more (city tax, extras: up to a `_CHECKOUT_EXTRAS_SHARE`th more): the stay
    was charged at checkout, so a debit of the amount at booking is another stay's. (A
    small charge then is the extras of a prepaid stay.)"""
    day = doc.issue_date.toordinal()  # type: ignore[union-attr]
    keys = distinctive_prefixes(doc_profile)
    low = cents_of(doc.total)
    high = low + low // _CHECKOUT_EXTRAS_SHARE
    for near in range(day - 1, day + 2):
        cents, rows = index.card_amounts(doc.currency, near)
        lo, hi = bisect_left(cents, low), bisect_right(cents, high)
        for j in index.card_text_hits(doc.currency, near, lo, hi, keys) if keys else ():
            if _named_alike(doc_profile, index, rows[j], p.name_support_similarity):
                return True
    return False


class _OwnNamePayments:
    """Whether a supplier is usually paid under its own name: at least
    `_OWN_NAME_MIN_PAYMENTS` of its documents matched, nearly all (`_OWN_NAME_SHARE`)
    to debits bearing its name (`Primeurs Vallon SAS` to `PRIMEURS VALLON ...`). Such a company is
    no operating company hidden behind another shop's sign. Documents are grouped
    by name on first use only (most statements have no operator-named receipt left)."""

    def __init__(
        self, documents: Sequence[DocumentLine], matched: dict[int, int], index: TransactionIndex
    ):
        self.documents, self.matched, self.index = documents, matched, index
        self._by_name: dict[tuple[str, ...], list[int]] | None = None
        self._usual: dict[tuple[str, ...], bool] = {}

    def usual(self, doc: DocumentLine) -> bool:
        doc_profile = document_profile(doc.supplier_name) if doc.supplier_name else None
        if doc_profile is None:
            return False
        key = doc_profile[0]
        known = self._usual.get(key)
        if known is None:
            rows = self._grouped().get(key, [])
            named = sum(
                1
                for tx_i in rows
                if _named_alike(doc_profile, self.index, tx_i, _NAMED_PAYEE_SIMILARITY)
            )
            known = self._usual[key] = (
                named >= _OWN_NAME_MIN_PAYMENTS and named >= _OWN_NAME_SHARE * len(rows)
            )
        return known

    def _grouped(self) -> dict[tuple[str, ...], list[int]]:
        if self._by_name is None:
            self._by_name = defaultdict(list)
            for i, tx_i in self.matched.items():
                name = self.documents[i].supplier_name
                doc_profile = document_profile(name) if name else None
                if doc_profile is not None:
                    self._by_name[doc_profile[0]].append(tx_i)
        return self._by_name


def _match_first_word_tips(
    documents: Sequence[DocumentLine],
    results: list[MatchResult | None],
    scorer: Scorer,
    matched: dict[int, int],
    taken: set[int],
) -> None:
    """A receipt whose name OCR cut down to its first word, an article (`La`), with no
    candidate at all, takes the card debit of its day in its tip range whose merchant
    name opens with that article, when it is the only one, its surplus looks typed
    (`tip_shaped`) and its payee is paid rarely around the date. Last, at the minimum
    score."""
    p, index = scorer.policy, scorer.index
    window = p.tip_payee_window_days
    rare = p.tip_unshaped_max_daily_payments * (2 * window + 1)
    for i, doc in enumerate(documents):
        article = first_word_only(doc.supplier_name)
        if article is None or doc.document_type != "receipt" or doc.issue_date is None:
            continue
        if not _no_candidate(results[i]):
            continue
        total_cents = cents_of(doc.total)
        if total_cents <= 0:
            continue
        anchor = doc.issue_date.toordinal()
        by_ratio = total_cents + int(total_cents * p.tip_max_ratio)
        high = max(by_ratio, total_cents + cents_of(p.round_tip_max))
        amounts, rows = index.card_amounts(doc.currency, anchor)
        opening = [
            tx_i
            for tx_i in rows[bisect_right(amounts, total_cents) : bisect_right(amounts, high)]
            if opens_with(index.txs[tx_i].counterparty, article)
        ]
        if len(opening) != 1:
            continue
        (tx_i,) = opening
        debit = index.cents[tx_i]
        tx_profile = index.profile(tx_i)
        if (
            tx_i in taken
            or index.txs[tx_i].has_attachment
            or tx_profile is None
            or not scorer.tips.tip_shaped(total_cents, debit)
            or not scorer.tips.within_share(total_cents, debit, by_ratio)
        ):
            continue
        keys = distinctive_prefixes(tx_profile)
        sharing = scorer.tips.sharing_payee_words(doc.currency, anchor, window, keys)
        if scorer.tips.payee_volume(tx_profile, sharing, rare, [tx_i]) - 1 > rare:
            continue
        tx = index.txs[tx_i]
        reasons = [
            f"transaction {fmt_amount(tx.amount)} {doc.currency} = receipt total {fmt_amount(doc.total)} "
            f"+ tip {(debit - total_cents) / 100:.2f}",
            "card on the receipt date",
            f"the receipt's name was read as its first word only ({doc.supplier_name!r}); "
            f"{tx.counterparty!r} is the day's only card payment in the tip range that opens "
            "with it",
        ]
        _settle(i, doc, index, tx_i, p.min_score, reasons, results, matched, taken)


def _settle(
    i: int,
    doc: DocumentLine,
    index: TransactionIndex,
    tx_i: int,
    score: float,
    reasons: list[str],
    results: list[MatchResult | None],
    matched: dict[int, int],
    taken: set[int],
) -> None:
    """Record a last resort's match of document i to transaction tx_i."""
    taken.add(tx_i)
    matched[i] = tx_i
    results[i] = MatchResult(doc.id, index.txs[tx_i].id, round(score, 3), list(reasons))


def _names_the_payee(doc: DocumentLine, index: TransactionIndex, edge: Edge) -> bool:
    """The debit carries the receipt's name, not one sharing a word with it, or an
    alias's (`Au Pain du Sablier` is not `AU PAIN DU PASSERELLE`)."""
    if any(" is paid as " in r for r in edge.reasons):
        return True
    doc_profile = document_profile(doc.supplier_name) if doc.supplier_name else None
    return _named_alike(doc_profile, index, edge.tx, _SWAPPED_DATE_SIMILARITY)


def _paid_on_its_day_as_read(doc: DocumentLine, scorer: Scorer) -> bool:
    """A card debit of the receipt's exact total, bearing its name, was emitted on the
    receipt's day as read (taken, or too like another to choose): the date is right."""
    doc_profile = document_profile(doc.supplier_name) if doc.supplier_name else None
    return doc_profile is not None and any(
        _named_alike(doc_profile, scorer.index, tx_i, _SWAPPED_DATE_SIMILARITY)
        for tx_i in _exact_card_debits_of_its_day(doc, scorer)
    )


def _paid_often(
    doc: DocumentLine, doc_profile: NameProfile, keys: tuple[str, ...], index: TransactionIndex
) -> bool:
    """More than `_STAY_PAYEE_MAX_DEBITS` card debits bearing the document's name within
    `_STAY_PAYEE_WINDOW_DAYS` of its date: a chain (`HOTEL IBIS 9299` in every town),
    where a debit of a little more that day is as likely another stay."""
    day = doc.issue_date.toordinal()  # type: ignore[union-attr]
    seen = 0
    for near in range(day - _STAY_PAYEE_WINDOW_DAYS, day + _STAY_PAYEE_WINDOW_DAYS + 1):
        amounts, rows = index.card_amounts(doc.currency, near)
        for j in index.card_text_hits(doc.currency, near, 0, len(amounts), keys):
            if _bears_its_name(doc_profile, index, rows[j]):
                seen += 1
                if seen > _STAY_PAYEE_MAX_DEBITS:
                    return True
    return False


def _bears_its_name(doc_profile: NameProfile, index: TransactionIndex, tx_i: int) -> bool:
    """Transaction tx_i's counterparty carries the document's whole name (`same_name`)."""
    tx_profile = index.profile(tx_i)
    return tx_profile is not None and same_name(doc_profile, tx_profile)


def _named_alike(
    doc_profile: NameProfile | None, index: TransactionIndex, tx_i: int, at_least: float
) -> bool:
    """Transaction tx_i's counterparty resembles the document's name `at_least` this much."""
    tx_profile = index.profile(tx_i)
    return (
        doc_profile is not None
        and tx_profile is not None
        and profile_similarity(doc_profile, tx_profile) >= at_least
    )


def _no_candidate(result: MatchResult | None) -> bool:
    """Unmatched with no candidate at all: a last resort may offer one (among
    candidates already, one more would not settle it)."""
    return (
        result is not None
        and result.transaction_id is None
        and result.flags[:1] == ["no_candidate"]
    )


def _clear_leader(scorer: Scorer, doc: DocumentLine, taken: set[int]) -> Edge | None:
    """The document's best candidate when the full pass would take it: a card debit of
    its exact total (or local amount), at the minimum score, ahead of every other
    candidate, free or attached, by the ambiguity margin; else None."""
    free, attached, _ = scorer.edges(doc, taken)
    if not free:
        return None
    p, index = scorer.policy, scorer.index
    free.sort(key=lambda e: -e.score)
    best = free[0]
    runner_up = max((e.score for e in (*free[1:], *attached)), default=None)
    if not (
        best.exact
        and best.amount_kind in ("total", "local")
        and index.is_card[best.tx]
        and best.score >= p.min_score
        and (runner_up is None or best.score - runner_up >= p.ambiguity_margin)
    ):
        return None
    return best


def _sole_free_edge(scorer: Scorer, doc: DocumentLine, taken: set[int]) -> Edge | None:
    """The document's one candidate, free of any attachment, or None."""
    free, attached, _ = scorer.edges(doc, taken)
    return free[0] if len(free) == 1 and not attached else None


def _waiting(result: MatchResult | None) -> bool:
    """An unmatched document that a payment may still be found for (not a duplicate
    of another document, not a sales invoice)."""
    return (
        result is not None
        and result.transaction_id is None
        and result.flags[:1] not in (["duplicate"], ["sales_invoice"])
    )


def _rematch_with_alias(
    documents: Sequence[DocumentLine],
    results: list[MatchResult | None],
    rescorer: Scorer,
    matched: dict[int, int],
    taken: set[int],
) -> None:
    """A receipt of an inferred alias's supplier, matched at first under the brand's own
    name to a payment of another day or amount, moves to the debit the alias shows on
    its very day, to the cent, when that one is clearly better (the brand's other
    payment was another receipt's, or none)."""
    p, txs = rescorer.policy, rescorer.index.txs
    for i, current in matched.items():
        doc = documents[i]
        result = results[i]
        if doc.document_type != "receipt" or not doc.supplier_name or result is None:
            continue
        if not rescorer.alias_candidates(doc, document_profile(doc.supplier_name)):
            continue
        free, _, _ = rescorer.edges(doc, taken - {current})
        better = [
            e
            for e in free
            if e.tx != current
            and e.delay == 0
            and e.amount_kind == "total"
            and e.exact
            and any("inferred from" in r for r in e.reasons)
            and e.score >= result.score + p.ambiguity_margin
        ]
        if len(better) != 1:
            continue
        edge = better[0]
        taken.discard(current)
        taken.add(edge.tx)
        matched[i] = edge.tx
        results[i] = MatchResult(doc.id, txs[edge.tx].id, round(edge.score, 3), list(edge.reasons))


def _exact_card_debits_of_its_day(doc: DocumentLine, scorer: Scorer) -> list[int]:
    """The card debits of the document's exact total emitted on its very day, or paid
    abroad in its currency on its local day west of Paris (the Paris day may be the next;
    east of Paris, the day before, not taken: it cost a wrong match where tested)."""
    index, frame = scorer.index, scorer.frame(doc)
    anchor = frame.anchor
    return [
        tx_i
        for tx_i, (kind, _) in scorer.exact_candidates(doc, frame).items()
        if index.is_card[tx_i]
        and anchor is not None
        and (
            (kind == "total" and index.day[tx_i] == anchor)
            or (kind == "local" and 0 <= index.day[tx_i] - anchor <= 1)
        )
    ]


def _matched_despite_its_name(result: MatchResult | None) -> bool:
    """Matched with a name that only weakly resembles the counterparty's."""
    return result is not None and any("weakly resembles" in r for r in result.reasons)


def _sighting(
    doc: DocumentLine,
    index: TransactionIndex,
    scorer: Scorer,
    taken: set[int],
    own: int | None = None,
) -> Sighting | None:
    """The document's only exact card debit of its day, free (or the one it was
    matched to, `own`), under a name that contradicts the document's; None when there
    is no such one. A receipt, or an invoice paid by card on its day (a marketplace
    seller's, paid to the marketplace)."""
    if doc.document_type == "credit_note" or not doc.supplier_name or doc.issue_date is None:
        return None
    doc_profile = document_profile(doc.supplier_name)
    if doc_profile is None:
        return None
    same_day = _exact_card_debits_of_its_day(doc, scorer)
    if len(same_day) != 1 or index.txs[same_day[0]].has_attachment:
        return None
    if own is not None and same_day[0] != own:
        return None  # (matched elsewhere: its own debit is not the day's only one)
    if own is None and same_day[0] in taken:
        return None
    tx_profile = index.profile(same_day[0])
    if tx_profile is None:
        return None
    if profile_similarity(doc_profile, tx_profile) >= scorer.policy.name_contradiction_similarity:
        return None  # not a contradiction: the scoring had its say
    return Sighting(
        doc_profile[0], tx_profile[0], doc.supplier_name, index.txs[same_day[0]].counterparty
    )


def _named_payees(
    documents: Sequence[DocumentLine], matched: dict[int, int], index: TransactionIndex
) -> tuple[set[tuple[str, ...]], set[tuple[str, ...]]]:
    """The bank names matched to a supplier by its own name: nobody's alias; and the
    suppliers matched under a name that does not contradict theirs
    (`_PAID_BY_NAME_SIMILARITY`: a name the card network cut counts). A name matched only by receipts printed with a company's
    legal name (`SARL RUVODE`) is an operating company, under which a brand
    (`Biocoop`) may well be paid."""
    named: set[tuple[str, ...]] = set()
    paid_by_name: set[tuple[str, ...]] = set()
    for i, tx_i in matched.items():
        name = documents[i].supplier_name
        if name and legal_form_in(name):
            continue
        doc_profile = document_profile(name) if name else None
        tx_profile = index.profile(tx_i)
        if doc_profile is not None and tx_profile is not None:
            similarity = profile_similarity(doc_profile, tx_profile)
            if similarity >= _NAMED_PAYEE_SIMILARITY:
                named.add(tx_profile[0])
            if similarity >= _PAID_BY_NAME_SIMILARITY:
                paid_by_name.add(doc_profile[0])
    return named, paid_by_name


def _unmatched(
    doc: DocumentLine,
    transactions: Sequence[TransactionLine],
    edges: list[Edge],
    attached: list[Edge],
    notes: list[str],
    pick: Edge | None,
    lost: str | None,
    p: MatchingPolicy,
) -> MatchResult:
    best = max((e.score for e in edges + attached), default=0.0)
    reasons: list[str] = []
    flags: list[str] = []
    if pick is not None and attached and pick.score >= p.min_score:
        top = max(attached, key=lambda e: e.score)
        flags.append("already_attached")
        reasons.append(
            f"transaction {transactions[top.tx].id} already has an attachment and fits "
            f"as well ({top.score:.2f} vs {pick.score:.2f}): probably the same document"
        )
    elif lost is not None:
        flags.append("ambiguous" if lost.startswith("ambiguous") else "lost_to_other_document")
        reasons.append(lost)
    elif pick is not None:
        flags.append("below_min_score")
        reasons.append(
            f"best candidate {transactions[pick.tx].id} scored {pick.score:.2f}, "
            f"below the minimum {p.min_score:.2f}"
        )
        reasons.extend(pick.reasons)
    elif attached:
        flags.append("already_attached")
        top = max(attached, key=lambda e: e.score)
        reasons.append(f"candidate transaction {transactions[top.tx].id} already has an attachment")
    elif notes and notes[0].startswith("ambiguous"):
        flags.append("ambiguous")
    else:
        flags.append("no_candidate")
        # Candidates refused on their name are listed in the notes: say so, rather
        # than that no transaction of the amount exists.
        refused = any(n.startswith("transaction ") for n in notes)
        reasons.append(
            f"no transaction of {fmt_amount(doc.total)} {doc.currency} "
            f"(within {p.rounding_tolerance}) in the date window"
            + (f" reaches the minimum score {p.min_score:.2f}" if refused else "")
        )
    reasons.extend(notes)
    return MatchResult(doc.id, None, round(best, 3), reasons, flags)


def _families(documents: Sequence[DocumentLine]) -> frozenset[str]:
    """The first words the documents' names share among businesses (`name_families`)."""
    profiles = (document_profile(d.supplier_name) for d in documents if d.supplier_name)
    return name_families(p[0] for p in profiles if p is not None)
