"""Indexes over a statement's transactions (by amount, card day, descriptor word and
foreign month), built once per `match` call, and the Paris calendar day of an instant."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, date, datetime, time
from decimal import ROUND_HALF_EVEN, Decimal
from itertools import accumulate, count
from operator import add

from shared.matching.currencies import EUR_PER_UNIT, plausibly_converted
from shared.matching.model import PARIS, OrganizationProfile, TransactionLine
from shared.matching.name_similarity import same_name, same_word
from shared.matching.names import (
    NON_WORD,
    NameProfile,
    fold,
    profile,
    tokens,
)
from shared.matching.references import compact_text
from shared.matching.trades import tip_customary

_CENT = Decimal("0.01")
# Decimal operands: an int one is converted to a Decimal at every operation.
_HUNDRED = Decimal(100)
_ZERO = Decimal(0)


def cents_of(amount: Decimal) -> int:
    """|amount| in hundredths, rounded half-even past the second decimal."""
    scaled = amount * _HUNDRED
    whole = int(scaled)
    if whole == scaled:
        return abs(whole)
    return int(abs(amount).quantize(_CENT, rounding=ROUND_HALF_EVEN).scaleb(2))


def fmt_amount(amount: Decimal) -> str:
    """An amount as the reasons print it: unsigned, two decimals."""
    return f"{abs(amount):.2f}"


def _amount_facts(amount: Decimal, seen: dict[int, tuple[int, int, bool]]) -> tuple[int, int, bool]:
    """(direction: 1 for money in, else -1; |amount| in cents; money out?) of a
    transaction amount, kept in `seen` under the amount's `id`. A zero amount has
    direction -1 but is not money out."""
    facts = seen[id(amount)] = (1 if amount > _ZERO else -1, cents_of(amount), amount < _ZERO)
    return facts


_DAY_CACHE: dict[tuple, int] = {}
_UTC_HOUR_DAYS: dict[int, int] = {}


def _is_payment_moment(emitted_at: datetime) -> bool:
    """Whether a card debit's `emitted_at` is the moment it was paid (a time of day, as a
    card feed gives it, posted or still pending), not a bank's booking date given alone
    (midnight: `2024-03-05`, `2024-03-05T00:00:00+01:00`)."""
    return emitted_at.time() != time.min


# The day a card was used, as a bank writes it into the line it books days later:
# `FACTURE CARTE DU 070125 ...`, `CB LEROY FACT 070125` (day, month, two-digit year),
# `CB ... 07/01/25`, `ACHAT CB ... 07.01.25`, a Belgian bank's `CARTE 6703 XXXX 1952
# 31-12-2024 18:34`, an ISO `2025-01-07`, or `CARTE X1234 07/01 ...`, `CB ... 07/01`,
# a mutualist bank's `PAIEMENT CB 0701 ...` (day and month), a German or Austrian bank's
# `Kartenzahlung ... 07.01 18:13`, `POS ... K1 07.01. 18:13` (day and month, then the time).
_CARD_DATE_DMY = re.compile(r"\b(?:DU|FACT) (\d\d)(\d\d)(\d\d)\b")
_CARD_DATE_FULL = re.compile(r"(?<![\d/.-])(\d\d)[-/.](\d\d)[-/.]((?:20)?\d\d)(?![\d/.-])")
_CARD_DATE_ISO = re.compile(r"(?<![\d/.-])(20\d\d)-(\d\d)-(\d\d)(?![\d/.-])")
_CARD_DATE_DM = re.compile(
    r"(?<![\d/,.])(\d\d)/(\d\d)(?![\d/,.])|\bPAIEMENT CB (\d\d)(\d\d)\b"
    r"|(?<![\d/,.])(\d\d)\.(\d\d)\.? \d\d?:\d\d(?![\d:])"
)
_DATE_MARKS = ("/", "-", ".", " DU ", " FACT ", "PAIEMENT CB ")
# A card payment is booked within this many days of its use: days for an immediate-debit
# card, up to a month and a few days for a deferred-debit card ("débit différé", the
# month's payments booked together at its end or early the next month).
CARD_BOOKING_DAYS = 45


def card_date_in(descriptor: str, booked: int) -> int | None:
    """The day (ordinal) the card was used, read from the descriptor of a line the bank
    dated by its booking day alone (`booked`), or None: the date must be a real one, at
    most `CARD_BOOKING_DAYS` before the booking (a year is taken from the booking's).

    >>> from datetime import date
    >>> booked = date(2025, 1, 9).toordinal()
    >>> date.fromordinal(card_date_in("FACTURE CARTE DU 070125 SEARA VIENNE", booked))
    datetime.date(2025, 1, 7)
    >>> date.fromordinal(card_date_in("CARTE X1638 30/12 HOTEL DU PARC", booked))
    datetime.date(2024, 12, 30)
    >>> date.fromordinal(card_date_in("CARTE 6703 XXXX XXXX 1952 08-01-2025 18:34", booked))
    datetime.date(2025, 1, 8)
    >>> [date.fromordinal(card_date_in(text, booked)).isoformat() for text in (
    ...     "CB LEROY MERLIN FACT 060125", "CB LEROY MERLIN 06/01/25",
    ...     "ACHAT CB LEROY MERLIN 06.01.25 CARTE NUMERO 512", "KARTENZAHLUNG 2025-01-06",
    ...     "PAIEMENT CB 0601 LEROY MERLIN CARTE 51372690",
    ...     "Kartenzahlung VISA Debit BAUHOF NORD 06.01 18:13 Karte 3",
    ...     "Bezahlung Karte MC/0000002417 POS 18,60 AT K2 06.01. 07:49")]
    ['2025-01-06', '2025-01-06', '2025-01-06', '2025-01-06', '2025-01-06', '2025-01-06', '2025-01-06']
    >>> card_date_in("CB GARAGE 12/01", booked), card_date_in("CARTE 13,84 USD", booked)
    (None, None)
    """
    upper = descriptor.upper()
    if not any(mark in upper for mark in _DATE_MARKS):
        return None  # (most descriptors: no date)
    iso = _CARD_DATE_ISO.search(upper)
    found = _CARD_DATE_FULL.search(upper) or _CARD_DATE_DMY.search(upper)
    if iso is not None:
        candidates = [(int(iso[1]), int(iso[2]), int(iso[3]))]
    elif found is not None:
        year = int(found[3])
        candidates = [(year if year > 99 else 2000 + year, int(found[2]), int(found[1]))]
    else:
        found = _CARD_DATE_DM.search(upper)
        if found is None:
            return None
        day, month = int(found[1] or found[3] or found[5]), int(found[2] or found[4] or found[6])
        year = date.fromordinal(booked).year
        candidates = [(year, month, day), (year - 1, month, day)]
    for year, month, day in candidates:
        try:
            used = date(year, month, day).toordinal()
        except ValueError:
            return None
        if booked - CARD_BOOKING_DAYS <= used <= booked:
            return used
    return None


def _payment_day(tx: TransactionLine, day: int, card: bool) -> tuple[int, datetime | None]:
    """(day, posting instant) of a transaction emitted on `day`: a card debit the bank
    dated by its booking day alone is dated by the day of payment its text carries
    (`card_date_in`), and booked at `emitted_at`."""
    settled_at = tx.settled_at
    if card and settled_at is not None and settled_at < tx.emitted_at:
        # Booked before it was paid: the feed gave the bank's booking day as the
        # payment and its value day (`Valuta`, the day of the purchase) as the posting.
        paid = paris_day(settled_at)
        if paid < day:
            return paid, tx.emitted_at
    if card and settled_at is None and not _is_payment_moment(tx.emitted_at):
        used = card_date_in(tx.counterparty, day)
        if used is None and tx.reference:
            used = card_date_in(tx.reference, day)
        if used is not None:
            return used, tx.emitted_at
    return day, settled_at


# The amount a transfer in another currency was ordered for, as a bank writes it in
# the line's text or reference (`EB-250547 6361,68 USD`, `USD 2,687.04`): the invoice's.
# (the currencies `currencies.plausibly_converted` can judge)
_CURRENCIES = tuple(code for code in EUR_PER_UNIT if code != "EUR")
_CURRENCY = "(" + "|".join(_CURRENCIES) + ")"
_NUMBER = r"(\d{1,3}(?:[ .,']\d{3}){0,3}[.,]\d\d|\d{1,12}[.,]\d\d)"
_AMOUNT_IN_TEXT = re.compile(
    rf"(?<![\d.,]){_NUMBER} ?{_CURRENCY}\b|\b{_CURRENCY} ?{_NUMBER}(?![\d.,])"
)


# A bank's words for a transfer outside the SEPA scheme (`VIR INTERNATIONAL EMIS`).
_INTERNATIONAL = re.compile(
    r"\bVIR(?:EMENT)?S? (?:INTERNATIONAL|SWIFT|HORS SEPA|NON SEPA)\b", re.IGNORECASE
)


# A bank's words for cash taken from a machine with the card (`RETRAIT DAB`, `ATM
# WITHDRAWAL`, `Bargeldauszahlung`): the cash pays later, under no name the statement
# shows, so the withdrawal is no document's payment. A bare `ATM` or `DAB` is no such
# word (`ATM MILANO` sells transport passes, `DAB` is a beer), nor `BANCOMAT` alone
# (Italy's debit card pays shops). Machines pay out whole notes: a withdrawal at home
# is a multiple of this many cents, one abroad a whole local amount.
_CASH_WITHDRAWAL = re.compile(
    r"\b(?:RETRAIT (?:DAB|GAB|CB|ESPECES)|RET DAB|(?:ATM|CASH) WITHDRAWAL|ATM CASH"
    r"|GELDAUTOMAT|BARGELD\w*|REINTEGRO|DISPOSICION (?:EN )?CAJERO"
    r"|PRELIEVO (?:BANCOMAT|CONTANTI))\b",
    re.IGNORECASE,
)
_MACHINE_NOTE_CENTS = 500


def cash_withdrawal(tx: TransactionLine, cents: int) -> bool:
    """Whether a card debit of `cents` is cash taken from a machine (`_CASH_WITHDRAWAL`).

    >>> from shared.matching.model import TransactionLine
    >>> line = TransactionLine.from_json(
    ...     {"id": "t", "account_id": "a", "amount": "-60.00", "currency": "EUR",
    ...      "counterparty": "RETRAIT DAB 241025 CALUIRE-ET-CU", "operation_type": "card",
    ...      "emitted_at": "2025-10-24T10:00:00+02:00"}, 1)
    >>> cash_withdrawal(line, 6000), cash_withdrawal(line._replace(counterparty="HALLE PRO CASH"), 6000)
    (True, False)
    >>> cash_withdrawal(line._replace(counterparty="ATM MILANO"), 6000)
    False
    >>> abroad = line._replace(counterparty="ATM WITHDRAWAL NEW YORK",
    ...     local_amount=Decimal("-100.00"), local_currency="USD")
    >>> cash_withdrawal(abroad, 9237)
    True
    """
    if tx.local_amount is not None and tx.local_currency != tx.currency:
        whole = tx.local_amount == tx.local_amount.to_integral_value()
    else:
        whole = cents % _MACHINE_NOTE_CENTS == 0
    return whole and _CASH_WITHDRAWAL.search(tx.counterparty) is not None


def _abroad(transfer: TransactionLine, home_countries: set[str]) -> bool:
    """The transfer goes abroad: to an IBAN of another country, in another currency, or
    as the bank's international transfer (`_INTERNATIONAL`)."""
    iban = transfer.counterparty_iban
    return (
        (iban is not None and iban[:2] not in home_countries)
        or (transfer.local_currency is not None and transfer.local_currency != transfer.currency)
        or _INTERNATIONAL.search(transfer.counterparty) is not None
    )


# A payee's second word is compared letter by letter (`names_a_payee`) with at most
# this many the statement writes after its first: past that, a crowd of look-alikes.
_DAMAGED_PAIR_BUDGET = 128


# The most digits before the decimal point an amount read from a line's text may have.
_TEXT_AMOUNT_DIGITS = 12


def amount_in_text(text: str, home: str) -> tuple[Decimal, str] | None:
    """(amount, currency) of the one amount in another currency than `home` the text
    writes, or None (none, or several).

    >>> amount_in_text("EB-250547 6361,68 USD", "EUR")
    (Decimal('6361.68'), 'USD')
    >>> amount_in_text("INV 88 USD 2,687.04 FRAIS 30,00 EUR", "EUR")
    (Decimal('2687.04'), 'USD')
    >>> amount_in_text("DONT FRAIS 30,00 EUR OUR", "EUR"), amount_in_text("1,00 USD 2,00 GBP", "EUR")
    (None, None)
    >>> amount_in_text("9" * 5000 + ",00 USD", "EUR") is None
    True
    >>> amount_in_text("USD " + "123 " * 2000, "EUR") is None  # (no backtracking blow-up)
    True
    """
    found = [m for m in _AMOUNT_IN_TEXT.finditer(text.upper()) if (m[2] or m[3]) != home]
    if len(found) != 1:
        return None
    number, currency = (found[0][1], found[0][2]) if found[0][1] else (found[0][4], found[0][3])
    whole, cents = number[:-3], number[-2:]
    digits = "".join(ch for ch in whole if ch.isdigit())
    if len(digits) > _TEXT_AMOUNT_DIGITS:
        return None  # (no payment's: a number run on, or a hostile line)
    return Decimal(f"{digits}.{cents}"), currency


def with_amounts_in_text(
    txs: Sequence[TransactionLine], currencies: Iterable[str]
) -> Sequence[TransactionLine]:
    """The transactions, each payment in one of `currencies` (the documents') whose local
    amount is not given (a transfer ordered in dollars, a card payment abroad a French
    bank books with `288,40 CNY 1 EURO = 8,1002 CNY` in its text) given the amount its
    text writes as its local amount (`amount_in_text`)."""
    codes = sorted(set(currencies).intersection(_CURRENCIES))
    if not codes:
        return txs  # (no document in another currency: nothing to look for)
    wanted = re.compile(r"\b(?:" + "|".join(codes) + r")\b")
    out: list[TransactionLine] | None = None
    for i, tx in enumerate(txs):
        if tx.local_amount is not None:
            continue
        text = f"{tx.counterparty} {tx.reference}" if tx.reference else tx.counterparty
        if wanted.search(text) is None:
            continue
        found = amount_in_text(text, tx.currency)
        if found is None or not plausibly_converted(
            found[0], found[1], abs(tx.amount), tx.currency
        ):
            continue  # (none, or not what was paid: a deposit's share, a number run on)
        if out is None:
            out = list(txs)
        out[i] = tx._replace(local_amount=found[0].copy_sign(tx.amount), local_currency=found[1])
    return txs if out is None else out


def paris_day(instant: datetime) -> int:
    """Calendar day (ordinal) of an instant in Europe/Paris."""
    tz = instant.tzinfo
    if tz is PARIS:
        return instant.toordinal()
    if tz is UTC:
        # Most instants are written in UTC (`Z`, `+00:00`): keyed by the UTC hour
        # alone, an int, without asking the time zone for an offset (a third of
        # the cost of indexing a transaction).
        hour = instant.toordinal() * 24 + instant.hour
        day = _UTC_HOUR_DAYS.get(hour)
        if day is None:
            day = _UTC_HOUR_DAYS[hour] = instant.astimezone(PARIS).toordinal()
        return day
    offset = instant.utcoffset()
    if offset is None or offset.seconds % 3600:
        return instant.astimezone(PARIS).toordinal()
    # Paris midnight falls on a whole hour of any whole-hour offset, so (local
    # date, hour, offset) decides the day: one conversion per key, not per line.
    key = (instant.year, instant.month, instant.day, instant.hour, offset)
    day = _DAY_CACHE.get(key)
    if day is None:
        day = _DAY_CACHE[key] = instant.astimezone(PARIS).toordinal()
    return day


_ALNUM = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
_PREFIX_LETTERS = 4  # a payee's word is known by its first four letters (tips)
# The prefix of every word of two letters or more (words as `_WORDS` splits them).
_WORD_PREFIX = re.compile(rf"(?<![A-Z0-9])[A-Z0-9]{{2,{_PREFIX_LETTERS}}}")
# The same over a text of several lines, each line's end found too.
_WORD_PREFIX_OR_LINE_END = re.compile(rf"\n|{_WORD_PREFIX.pattern}")
# Searches of one day's card descriptors before its words are indexed (see
# `card_word_rows`): about what building the index costs, in searches.
SEARCHES_BEFORE_WORD_INDEX = 16
FOREIGN_BUCKET_DAYS = 30  # bucket width (days) of the foreign-transfer index
# Names compared, at most, for the tip candidates of one receipt (see `TipSearch.find`).
TIP_NAME_BUDGET = 8
# Descriptors containing one of a receipt's words, at most, looked at per word in
# its tip range: past that, the budget above refuses anyway.
_TIP_TEXT_HITS = 2 * TIP_NAME_BUDGET


class TransactionIndex:
    """Indexes over the transactions, built once per `match` call.

    - `by_amount[(currency, direction, cents)]` lists (day, tx, is_card, is_local):
      each transaction under its amount and, for a card payment abroad, under its
      merchant-currency amount (`is_local`); under the emitted day, and also
      under the settled day except for a card debit (dated by its emission).
      Card debits and other operations have different date rules, hence `is_card`;
    - `card_amounts(currency, day)` and `card_text(currency, day)`: the card
      debits emitted that day by amount, and their descriptors as one text, for
      tips (a tip is only accepted when the names agree, so only descriptors
      sharing a word with the receipt's supplier are looked at); built lazily,
      per day asked for;
    - `foreign[currency][month]` (outgoing foreign transfers) is sorted by cents,
      for the fee range.
    Name profiles and tip flags are computed lazily, for candidates only.
    """

    def __init__(self, organization: OrganizationProfile, txs: Sequence[TransactionLine]):
        self.txs = txs
        self.cents: list[int] = []
        self.day: list[int] = []
        self.settle_day: list[int | None] = []
        by_amount: dict[tuple[str, int, int], list[tuple[int, int, bool, bool]]] = {}
        card_rows: dict[tuple[str, int], list[int]] = {}
        foreign: dict[str, dict[int, list[tuple[int, int]]]] = defaultdict(
            lambda: defaultdict(list)
        )
        home_countries = {iban[:2] for iban in organization.ibans} or {"FR"}
        # Amounts a rounding gap may reach (`edges`): those with a row other than a
        # card debit in its own currency, which is the total to the cent.
        roundable: set[tuple[str, int, int]] = set()
        # Card debits (outgoing) follow the card date rule; the rest the invoice rule.
        self.is_card: list[bool] = []
        is_card = self.is_card
        day_list, settle_list, cents_list = self.day, self.settle_day, self.cents
        # A statement repeats its amounts (a quarter of 100,000 card debits are
        # distinct): each is read once (`_amount_facts`). Kept by the Decimal's
        # identity, not its value: the reader shares one Decimal per amount text,
        # and hashing a Decimal costs more than reading it (an amount written two
        # ways is read twice, to the same facts). The transactions hold every
        # amount until the end of this loop, so no identity is reused.
        amounts_seen: dict[int, tuple[int, int, bool]] = {}
        utc_hour_days = _UTC_HOUR_DAYS
        for i, tx in enumerate(txs):
            emitted_at = tx.emitted_at
            # `paris_day`'s most common case first: a UTC instant of an hour already seen.
            day = (
                emitted_at.tzinfo is UTC
                and utc_hour_days.get(emitted_at.toordinal() * 24 + emitted_at.hour)
            ) or paris_day(emitted_at)
            direction, cents, money_out = amounts_seen.get(id(tx.amount)) or _amount_facts(
                tx.amount, amounts_seen
            )
            card = money_out and tx.operation_type == "card"
            if (
                card
                and (cents % _MACHINE_NOTE_CENTS == 0 or tx.local_amount is not None)
                and cash_withdrawal(tx, cents)
            ):
                # No document's payment (`cash_withdrawal`): in no row, never a candidate.
                is_card.append(False)
                day_list.append(day)
                settle_list.append(None)
                cents_list.append(cents)
                continue
            is_card.append(card)
            day, settled_at = _payment_day(tx, day, card)
            day_list.append(day)
            # A card debit known by its moment of payment (posted, or pending with the
            # time it was paid) is dated by it (below): its posting day is never read,
            # so it is not computed; `day` marks that it is known.
            if card and (settled_at is not None or _is_payment_moment(emitted_at)):
                settle = day
            elif settled_at is None:
                settle = None
            else:
                settle = paris_day(settled_at)
            settle_list.append(settle)
            cents_list.append(cents)
            key = (tx.currency, direction, cents)
            rows = by_amount.get(key)
            if rows is None:
                rows = by_amount[key] = []
            rows.append((day, i, card, False))
            # A card debit's `emitted_at` is the moment of payment, the day on the
            # receipt: its posting day says nothing more. Other operations (and
            # refunds) may be dated either way, so both days count.
            if settle is not None and settle != day and not card:
                rows.append((settle, i, card, False))
            if tx.local_amount is not None and tx.local_currency != tx.currency:
                local_key = (tx.local_currency or "", direction, cents_of(tx.local_amount))
                roundable.add(local_key)
                rows = by_amount.setdefault(local_key, [])
                rows.append((day, i, card, True))
                if settle is not None and settle != day and not card:
                    rows.append((settle, i, card, True))
            if card:
                day_key = (tx.currency, day)
                same_day = card_rows.get(day_key)
                if same_day is None:
                    card_rows[day_key] = [i]
                else:
                    same_day.append(i)
                continue
            roundable.add(key)
            if direction < 0 and tx.operation_type == "transfer" and _abroad(tx, home_countries):
                foreign[tx.currency][day // FOREIGN_BUCKET_DAYS].append((cents, i))
        for rows in by_amount.values():
            rows.sort()  # by day: a date window is one slice (`amount_rows`)
        self.by_amount = by_amount
        self.roundable = roundable
        self._card_rows = card_rows
        self._card_amounts: dict[tuple[str, int], tuple[list[int], list[int]]] = {}
        self._card_texts: dict[tuple[str, int], tuple[str, list[int]]] = {}
        self._card_searches: dict[tuple[str, int], int] = {}
        self._card_words: dict[tuple[str, int], dict[str, list[int]]] = {}
        self._card_counts: dict[str, int] = {}
        self._card_amount_counts: dict[tuple[str, int, int], int] = {}
        for per_month in foreign.values():
            for month_rows in per_month.values():
                month_rows.sort()
        self.foreign = foreign
        self._abroad: dict[tuple[str, int], list[tuple[int, int]]] | None = None
        self._profiles: dict[int, NameProfile | None] = {}
        self._profiles_by_name: dict[str, NameProfile | None] = {}
        self._tip_flags: dict[int, bool] = {}
        self._references: dict[int, str] = {}
        self._upper: dict[int, str] = {}
        self._payee_pairs: dict[str, frozenset[str]] | None = None

    def abroad_range(self, currency: str, day: int, low: int, high: int) -> list[tuple[int, int]]:
        """Card debits paid abroad in `currency` on `day` whose local amount in cents is
        in (low, high]: (local cents, tx), by amount."""
        abroad = self._abroad
        if abroad is None:
            # Built on first use: most statements have a few card payments abroad.
            abroad = self._abroad = {}
            for i, tx in enumerate(self.txs):
                if self.is_card[i] and tx.local_amount is not None and tx.local_currency:
                    if tx.local_currency != tx.currency:
                        key = (tx.local_currency, self.day[i])
                        abroad.setdefault(key, []).append((cents_of(tx.local_amount), i))
            for day_rows in abroad.values():
                day_rows.sort()
        rows = abroad.get((currency, day))
        if not rows:
            return []
        return rows[
            bisect_right(rows, (low, len(self.txs))) : bisect_right(rows, (high, len(self.txs)))
        ]

    def chance_same_amount(self, tx_i: int) -> float:
        """How many card debits of card debit `tx_i`'s amount other purchases would
        put on its day by chance: the day's other card debits x the share of this
        amount among the card debits of all other days (in its currency). Other
        days only: two of the amount that very day are an ambiguity, told as such."""
        currency, day = self.txs[tx_i].currency, self.day[tx_i]
        card_count = self._card_counts.get(currency)
        if card_count is None:
            card_count = self._card_counts[currency] = sum(
                len(rows)
                for (row_currency, _), rows in self._card_rows.items()
                if row_currency == currency
            )
        that_day = len(self._card_rows.get((currency, day), ()))
        if card_count <= that_day:
            return 0.0
        key = (currency, -1, self.cents[tx_i])
        of_amount = self._card_amount_counts.get(key)
        if of_amount is None:
            of_amount = self._card_amount_counts[key] = sum(
                1 for _, _, card, local in self.by_amount.get(key, ()) if card and not local
            )
        on_day = self.amount_rows(currency, -1, self.cents[tx_i], day, day)
        elsewhere = of_amount - sum(1 for _, _, card, local in on_day if card and not local)
        return (that_day - 1) * elsewhere / (card_count - that_day)

    def amount_rows(
        self, currency: str, direction: int, cents: int, first_day: int, last_day: int
    ) -> list[tuple[int, int, bool, bool]]:
        """The rows of `by_amount[(currency, direction, cents)]` dated first_day..last_day."""
        rows = self.by_amount.get((currency, direction, cents))
        if not rows:
            return []
        return rows[bisect_left(rows, (first_day,)) : bisect_left(rows, (last_day + 1,))]

    def booked_only(self, tx_i: int) -> bool:
        """Card debit tx_i is dated by the day its bank booked it alone (a bare date, no
        time of payment, no card date in its text): it was paid that day or days before."""
        return self.is_card[tx_i] and self.settle_day[tx_i] is None

    def charged_after_midnight(self, tx_i: int, anchor: int, hours: int) -> bool:
        """The debit was emitted in the small hours of the day after `anchor`, at a time
        of day given (not a bare date at midnight), before `hours` (Paris time): a bill
        printed before midnight and charged after it."""
        if self.day[tx_i] != anchor + 1:
            return False
        local = self.txs[tx_i].emitted_at.astimezone(PARIS)
        seconds = local.hour * 3600 + local.minute * 60 + local.second
        return 0 < seconds < hours * 3600

    def card_amounts(self, currency: str, day: int) -> tuple[list[int], list[int]]:
        """Card debits in `currency` emitted on `day`: (cents ascending, tx index),
        so that a range of amounts is found by bisection. Built on first use."""
        key = (currency, day)
        pair = self._card_amounts.get(key)
        if pair is None:
            cents = self.cents
            # By amount, then by index: the day's rows are in index order and the
            # sort is stable.
            rows = sorted(self._card_rows.get(key, ()), key=cents.__getitem__)
            pair = self._card_amounts[key] = (list(map(cents.__getitem__, rows)), rows)
        return pair

    def card_text_hits(
        self, currency: str, day: int, lo: int, hi: int, keys: tuple[str, ...]
    ) -> set[int]:
        """Positions j in [lo, hi) of `card_amounts(currency, day)` whose descriptor
        (upper case) contains one of `keys`; at most `_TIP_TEXT_HITS` per key."""
        blob, starts = self.card_text(currency, day)
        out: set[int] = set()
        end = starts[hi]
        for k in keys:
            found = 0
            pos = blob.find(k, starts[lo], end)
            while pos >= 0 and found < _TIP_TEXT_HITS:
                j = bisect_right(starts, pos) - 1
                out.add(j)
                found += 1
                pos = blob.find(k, starts[j + 1], end)
        return out

    def card_text(self, currency: str, day: int) -> tuple[str, list[int]]:
        """The descriptors of `card_amounts(currency, day)` folded to upper case, one
        per line, and where each line starts (a last entry marks the end): a day's
        names are searched at C speed. Built on first use."""
        key = (currency, day)
        text = self._card_texts.get(key)
        if text is None:
            _, rows = self.card_amounts(currency, day)
            txs = self.txs
            names = [txs[i].counterparty for i in rows]
            blob = "\n".join(names) + "\n"
            if blob.count("\n") != len(names):  # a descriptor broken over lines: one line
                names = [name.replace("\n", " ") for name in names]
                blob = "\n".join(names) + "\n"
            if blob.isascii():  # upper-casing keeps every line's length
                blob = blob.upper()
            else:
                names = [fold(name) for name in names]
                blob = "\n".join(names) + "\n"
            # Line k starts after the k lines before it, each with its line end.
            starts = list(map(add, accumulate(map(len, names), initial=0), count()))
            text = self._card_texts[key] = (blob, starts)
        return text

    def card_word_rows(self, currency: str, day: int, key: str) -> Iterable[int]:
        """Card debits in `currency` emitted on `day` whose descriptor has a word
        whose first four letters are `key` (a key shorter than four letters is a
        whole word), in amount order.

        The day's text is searched at first; a day asked for more than
        `SEARCHES_BEFORE_WORD_INDEX` times gets an index of its words instead
        (searching is cheaper for a day asked about a few times, the index when
        many receipts share the day).
        """
        if not 2 <= len(key) <= _PREFIX_LETTERS:
            return ()
        day_key = (currency, day)
        words = self._card_words.get(day_key)
        if words is not None:
            return words.get(key, ())
        searched = self._card_searches[day_key] = self._card_searches.get(day_key, 0) + 1
        blob, starts = self.card_text(currency, day)
        _, rows = self.card_amounts(currency, day)
        if searched > SEARCHES_BEFORE_WORD_INDEX:
            words = self._card_words[day_key] = {}
            # One pass over the day's text (a line per debit, in `rows` order): a
            # debit is filed once under each prefix, however often its words repeat it.
            line_debits = iter(rows)
            tx_i = next(line_debits, -1)
            for prefix in _WORD_PREFIX_OR_LINE_END.findall(blob):
                if prefix == "\n":
                    tx_i = next(line_debits, -1)
                    continue
                found = words.get(prefix)
                if found is None:
                    words[prefix] = [tx_i]
                elif found[-1] != tx_i:
                    found.append(tx_i)
            return words.get(key, ())
        return self._search_card_text(blob, starts, rows, key)

    def card_words_indexed(self, currency: str, day: int) -> dict[str, list[int]] | None:
        """The day's word index (`card_word_rows`) once built, else None: a caller
        looking up several keys of one day skips a call per key."""
        return self._card_words.get((currency, day))

    @staticmethod
    def _search_card_text(blob: str, starts: list[int], rows: list[int], key: str) -> Iterator[int]:
        whole = len(key) < _PREFIX_LETTERS
        pos = blob.find(key)
        while pos >= 0:
            end = pos + len(key)
            if (pos == 0 or blob[pos - 1] not in _ALNUM) and not (whole and blob[end] in _ALNUM):
                j = bisect_right(starts, pos) - 1
                yield rows[j]
                pos = blob.find(key, starts[j + 1])  # one hit per descriptor
            else:
                pos = blob.find(key, pos + 1)

    def same_payee(self, i: int, j: int) -> bool:
        """Transactions i and j go to one payee: the same IBAN, or the same name."""
        iban = self.txs[i].counterparty_iban
        if iban and self.txs[j].counterparty_iban:
            return iban == self.txs[j].counterparty_iban
        first, second = self.profile(i), self.profile(j)
        return first is not None and second is not None and same_name(first, second)

    def profile(self, i: int) -> NameProfile | None:
        """Name profile of transaction i's counterparty (cached)."""
        try:
            return self._profiles[i]
        except KeyError:
            name = self.txs[i].counterparty
            try:
                value = self._profiles_by_name[name]
            except KeyError:
                value = self._profiles_by_name[name] = profile(name, bank_side=True)
            self._profiles[i] = value
            return value

    def names_a_payee(self, words: tuple[str, ...], firsts: frozenset[str]) -> bool:
        """Some counterparty on the statement reads the name's first two words side by
        side (`BOUCHON KARIM` for a receipt of `Bouchon Karim`), the second maybe as the
        receipt's copy damaged it (`SNACK MATHIEU` for `Snack Matbieu`: among a few
        only); `firsts` are the first words ever asked about (the documents' families),
        `words[0]` among them."""
        seconds_of = self._payee_pairs
        if seconds_of is None:
            # Built on first use, from the words of each distinct counterparty that
            # carries one of `firsts` (most carry none).
            seen: dict[str, set[str]] = defaultdict(set)
            for name in {tx.counterparty for tx in self.txs}:
                if not firsts.isdisjoint(NON_WORD.split(name.upper())):
                    words_of = tokens(name, bank_side=True)
                    for first, second in zip(words_of, words_of[1:], strict=False):
                        seen[first].add(second)
            seconds_of = self._payee_pairs = {w: frozenset(s) for w, s in seen.items()}
        seconds = seconds_of.get(words[0], frozenset())
        if words[1] in seconds:
            return True
        return len(seconds) <= _DAMAGED_PAIR_BUDGET and any(
            same_word(words[1], second) for second in seconds
        )

    def upper(self, i: int) -> str:
        """Transaction i's counterparty, accents removed, upper case (cached)."""
        try:
            return self._upper[i]
        except KeyError:
            value = self._upper[i] = fold(self.txs[i].counterparty)
            return value

    def compact_reference(self, i: int) -> str:
        """Transaction i's reference, upper case, letters and digits only (cached)."""
        try:
            return self._references[i]
        except KeyError:
            reference = self.txs[i].reference
            value = self._references[i] = compact_text(reference) if reference else ""
            return value

    def tip_flag(self, i: int) -> bool:
        """Transaction i's descriptor names a business where tips are customary (cached)."""
        try:
            return self._tip_flags[i]
        except KeyError:
            value = self._tip_flags[i] = tip_customary(self.txs[i].counterparty)
            return value
