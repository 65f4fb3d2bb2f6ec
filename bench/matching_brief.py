"""A rich history written from the feature request only: twelve months (2025) of
Lumen Atelier Graphique SAS, a design, print and signage studio in Nantes, its
documents and its bank statements.

Written as an outside evaluator would write it, knowing what the matching engine
must do and nothing of how it does it. The studio's size follows the sizes asked
for: at 10,000 documents x 100,000 transactions it is a studio with three print
shops open to the public, ~250 staff on the payroll, nearly three thousand card
merchants (a few visited every day, most once or twice), about eighty
direct-debit contracts whose invoices are uploaded (and two hundred whose are
not), about seventy online subscriptions, and a few hundred suppliers and
customers. Smaller sizes make a smaller studio with the same habits.

Accounts (`organization.ibans` holds all three)
-----------------------------------------------

- `acc-bpgo-main`, the historical account at a regional bank: every line is dated
  by its bare booking date; a card payment is booked 1 to 3 days after it was
  made (60%, 30%, 10%), moved on to the next business day, labelled `CB*` + the card descriptor; transfers are `VIR SEPA
  <name>`, direct debits `PRLV SEPA <name>`. Payroll, taxes, most suppliers and
  customers, a quarter of the card spend (the founders' cards).
- `acc-qonto-team`, a neobank account for the team's cards and subscriptions:
  instants in UTC (a card payment's `emitted_at` is the moment it was paid,
  `settled_at` its booking), labels are the counterparty as the network or the
  payer gives it (no `VIR SEPA` prefix).
- `acc-bpgo-reserve`, a reserve account: internal transfers only.

Card descriptors are built per merchant once: the trade name, upper-cased and
stripped of accents and punctuation, behind a payment facilitator for small
merchants (`SUMUP *`, `SQ *`, `ZETTLE_*` in shops, `PAYPAL *`, `STRIPE*` online,
about half of the small merchants) or followed by the town, then cut by the
network at 20 to 25 characters (22 most often), so a long name loses its end,
often in the middle of a word (`SUMUP *BOULANGERIE PA` for Boulangerie
Pâtisserie Renaud). A quarter of the facilitated ones keep the merchant's case
(`SumUp *Cafe du Port`). Chains have fixed short descriptors (`SNCF INTERNET`).

Families
--------

Shares are of the documents (exact counts, largest remainder, at least one each
from 17 documents up); "the debit" is the statement line that paid the document.

- `card_receipt` (28%): an ordinary receipt of a card payment in France, in a
  shop, café, restaurant, hotel, station or online shop (online shops and hotels
  send invoices: `document_type` invoice, PDF). Total = the payment, date = the
  day it was paid (merchant's local time). Truth: that card debit.
- `card_truncated` (10%): the same at a merchant whose descriptor carries a
  facilitator prefix or is cut short of its name (or both). Truth: that debit.
- `card_ocr_name` (6%): the name is visibly damaged on top of the usual noise:
  a letter lost, a letter doubled, the first word only, or all caps (one or two
  of these). Truth: that debit.
- `card_no_name` (4%): no supplier name extracted at all. Truth: that debit.
- `restaurant_tip` (6%): the bill of a café, brasserie, restaurant or bar; the
  card debit is the bill plus a tip added on the terminal: 60% a percentage
  (5 to 15%, whole percent, rounded to the cent), 40% a round amount (1, 2, 3 or
  5 EUR, 10 EUR on bills of 60 EUR or more). Truth: the tipped debit.
- `same_price_twin` (2%): a receipt at a café, bakery or bar, on a day when
  another merchant of the same trade (another descriptor) was paid the very same
  amount, without receipt. Truth: its own debit, not the twin.
- `foreign_receipt` (2%): a receipt on a business trip abroad (London, New York,
  Geneva, Copenhagen, Stockholm, Prague, Tokyo, Montreal, Marrakech, Krakow), in
  the local currency, dated in local time. The debit is in EUR with
  `local_amount` = the receipt's total and `local_currency` = its currency (the
  regional bank adds a separate `COMMISSION CB HORS ZONE EURO` line). Truth: it.
- `foreign_no_name` (2.5%): the same with no merchant name (unreadable script,
  a crumpled slip). Truth: the same debit.
- `saas_card_invoice` (6%): the monthly invoice of an online subscription
  (Adobe, Canva, Figma, Notion, ...) charged on the team's cards each month,
  the same amount month after month unless seats change; billed in EUR or USD
  (a USD charge carries `local_amount`/`local_currency`); dated the day of the
  charge in the vendor's time zone (a US vendor's date may be the day before
  Paris'). At least two vendors share a price; two plans at one vendor never
  do. Truth: that month's charge.
- `monthly_invoice` (8%): the monthly invoice of a contract paid by direct
  debit (telecom, energy, leasing, insurance, rent, maintenance, software),
  issued on the vendor's fixed day and debited 5 to 12 days after its issue date
  (a debit falling on a weekend moves to the nearest business day still within
  5 to 12 days). Four vendors in five debit the same amount every month; some
  raise it once mid-year; the others vary a little. Two vendors share a price.
  Every month is debited, whether or not its invoice was uploaded (85% are).
  Truth: the debit 5 to 12 days after the invoice's issue date.
- `supplier_transfer` (9%): a supplier invoice (printers, paper, freelancers,
  couriers, accountants, ...) paid by transfer between its issue date and a few
  weeks past its due date; the transfer's reference holds the invoice number in
  about 65% of cases (`F2025-0131`, `FACT F2025-0131`, ...), otherwise a vague
  text or nothing; `counterparty_iban` is the supplier's, which about half the
  invoices print. About one supplier in seven (freelancers, the accountant) is
  a retainer invoicing the same amount at every month's end, paid about 30 days
  later. Invoices not uploaded are paid all the same. Truth: that transfer.
- `refund` (2%): a credit note (total written negative or positive, half and
  half), refunded 0 to 5 days after its date by a card credit from the shop (70%;
  the original purchase, of at least that amount, is a card debit without
  document some days before) or 5 to 30 days after by a transfer from the
  supplier (30%). Truth: that credit.
- `paid_personally` (3%): a receipt paid with an employee's own card (it goes on
  an expense report; reimbursements are monthly sums, never one receipt's
  amount). Truth: None.
- `cash_receipt` (2%): a receipt paid in cash (market stall, bakery, café,
  lunch place, taxi). Truth: None.
- `outside_statement` (1.5%): paid outside the statement: a supplier invoice of
  December 2025 due in 2026, a monthly invoice of December whose debit falls in
  January 2026 (its vendor debited the same amount in November and December), or
  a receipt of December 2024 uploaded in January (3 in 10, 4 in 10, 3 in 10).
  Truth: None.
- `sales_invoice` (6%): an invoice the studio issued (supplier = the studio, its
  VAT number on 80%, its IBAN on 70%; a customer name and often its VAT). Three in
  four are paid by the customer within the statement (a credit of the same
  amount, the number in the reference 70% of the time). Truth: None, always; the
  ids are `sales_ids`.
- `duplicate` (2%): a second upload of a receipt of another family: half the same
  file (same checksum, same fields) seconds to minutes later, half a second
  photo (new checksum, its own noise) hours to weeks later. Rule: the copy
  received first (earlier `received_at`, hence the smaller id) carries the
  original's truth; this later copy's truth is None.

Noise on documents
------------------

- Photographed receipts (about 88% of receipts: online shops, hotels, trains
  and taxis booked by app send PDFs): each photo has its own OCR quality, 0.5%, 1.5%, 3% or
  5% per character (letters confused, lost or doubled) on the supplier name; 2%
  of photos lose the name entirely; 3% lose the date; 2% have it misread (day
  and month swapped, a digit confused, the year wrong). Scanned paper invoices
  (8% of supplier invoices) have 1% per character.
- Amounts are always the extractor's right total; 12% of receipts also give the
  amount before VAT as a `candidate_totals` entry.
- Every document has `received_at` (the upload: receipts 4 days after the
  purchase on average, at most 45; invoices 1 to 6 days after issue on average,
  at most 30) and a `checksum`.
- Purchase invoices name the studio as customer (80%), with its VAT (40%).

Noise transactions
------------------

Transactions that pay no document are most of the statement; besides the
unpaid-for months and uploads above, in shares of the rest: card spend without
receipt at the same merchants with the same price habits (the remainder, about
half the statement: the daily café and bakery, fuel, parking, supermarkets,
shops, trains; 1% already carry an attachment), customer receipts (14%: customer
transfers, STRIPE and SUMUP payouts, REMISE CB), payroll (3.5%), supplier
transfers without uploaded invoice (6%), direct debits without uploaded invoice
(1.5%: URSSAF, DGFIP, pension, health insurance, a loan, then contracts whose
invoices never reach the tool: phone lines, cars, fuel cards, tolls, small
leases; never the amount of an uploaded contract), expense-report reimbursements
(3%), bank fees (3%, some with an empty counterparty), internal transfers
between the three accounts (2%, in pairs), cash withdrawals (1%), card refunds
without credit note (1%).

Honesty rules
-------------

- A document's truth is only the statement line that actually paid it.
- A receipt is never indistinguishable from another card line of the statement:
  no other card line has its descriptor, its amount and its day, nor, when
  either line is on the regional bank (booking dates), a day within 3 days of
  it. (A receipt's time of day is not extracted, so such a pair could not be
  told apart by anyone.) The same descriptor with another amount, or the same
  amount at another merchant the same day, happens freely.
- A transaction pays at most one document (no grouped payments are modelled).
"""

from __future__ import annotations

import math
import random
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

# --------------------------------------------------------------------------- period

PERIOD_START = date(2025, 1, 1)
PERIOD_END = date(2025, 12, 31)
O_START = PERIOD_START.toordinal()
O_END = PERIOD_END.toordinal()
PERIOD = range(O_START, O_END + 1)

MAIN = "acc-bpgo-main"
CARDS = "acc-qonto-team"
RESERVE = "acc-bpgo-reserve"

SHARES: dict[str, float] = {
    "card_receipt": 0.28,
    "card_truncated": 0.10,
    "card_ocr_name": 0.06,
    "card_no_name": 0.04,
    "restaurant_tip": 0.06,
    "same_price_twin": 0.02,
    "foreign_receipt": 0.02,
    "foreign_no_name": 0.025,
    "saas_card_invoice": 0.06,
    "monthly_invoice": 0.08,
    "supplier_transfer": 0.09,
    "refund": 0.02,
    "paid_personally": 0.03,
    "cash_receipt": 0.02,
    "outside_statement": 0.015,
    "sales_invoice": 0.06,
    "duplicate": 0.02,
}

# Families whose truth is always None.
NO_PAYMENT = frozenset(
    {"paid_personally", "cash_receipt", "outside_statement", "sales_invoice", "duplicate"}
)

# Shares of the transactions paying no document, card spend taking the rest.
NOISE_SHARES: dict[str, float] = {
    "customer_income": 0.14,
    "payroll": 0.035,
    "supplier_payment": 0.06,
    "direct_debit": 0.015,
    "expense_reimbursement": 0.03,
    "bank_fee": 0.03,
    "internal_transfer": 0.02,
    "cash_withdrawal": 0.01,
    "card_refund": 0.01,
}

OCR_RATES = (0.005, 0.015, 0.03, 0.05)
PHOTO_NAME_LOST = 0.02
PHOTO_DATE_LOST = 0.03
PHOTO_DATE_MISREAD = 0.02
CANDIDATE_TOTAL = 0.12
MAIN_CARD_SHARE = 0.25


def family_counts(documents: int) -> dict[str, int]:
    """Documents per family: `SHARES` of `documents`, largest remainders first,
    at least one each when there are enough documents."""
    raw = {f: documents * s for f, s in SHARES.items()}
    counts = {f: int(v) for f, v in raw.items()}
    order = sorted(SHARES, key=lambda f: (counts[f] - raw[f], f))
    for f in order[: documents - sum(counts.values())]:
        counts[f] += 1
    if documents >= len(SHARES):
        for f in SHARES:
            if counts[f] == 0:
                biggest = max(SHARES, key=lambda g: (counts[g], g))
                counts[biggest] -= 1
                counts[f] = 1
    return counts


# --------------------------------------------------------------------------- calendar

_DAY_TEXT: dict[int, str] = {}
_PARIS_OFFSET: dict[int, int] = {}
_HOLIDAYS = frozenset(
    date(y, m, d).toordinal()
    for y, m, d in (
        (2024, 12, 25),
        (2025, 1, 1),
        (2025, 4, 21),
        (2025, 5, 1),
        (2025, 5, 8),
        (2025, 5, 29),
        (2025, 6, 9),
        (2025, 7, 14),
        (2025, 8, 15),
        (2025, 11, 1),
        (2025, 11, 11),
        (2025, 12, 25),
        (2026, 1, 1),
    )
)
_MONTHS_FR = (
    "JANVIER",
    "FEVRIER",
    "MARS",
    "AVRIL",
    "MAI",
    "JUIN",
    "JUILLET",
    "AOUT",
    "SEPTEMBRE",
    "OCTOBRE",
    "NOVEMBRE",
    "DECEMBRE",
)


def _day(o: int) -> str:
    text = _DAY_TEXT.get(o)
    if text is None:
        text = _DAY_TEXT[o] = date.fromordinal(o).isoformat()
    return text


def _last_sunday(year: int, month: int) -> int:
    last = date(year, month, 31)
    return (last - timedelta(days=(last.weekday() + 1) % 7)).toordinal()


def _paris_offset(o: int) -> int:
    """Hours from UTC of Paris' legal time that day."""
    off = _PARIS_OFFSET.get(o)
    if off is None:
        year = date.fromordinal(o).year
        off = 2 if _last_sunday(year, 3) <= o < _last_sunday(year, 10) else 1
        _PARIS_OFFSET[o] = off
    return off


def _weekday(o: int) -> int:
    return (o - 1) % 7  # date.fromordinal(1) is a Monday


def _is_business(o: int) -> bool:
    return _weekday(o) < 5 and o not in _HOLIDAYS


def _next_business(o: int) -> int:
    while not _is_business(o):
        o += 1
    return o


def _utc_text(o: int, secs: int) -> str:
    o += secs // 86400
    secs %= 86400
    return f"{_day(o)}T{secs // 3600:02d}:{secs // 60 % 60:02d}:{secs % 60:02d}+00:00"


def _paris_to_utc(o: int, secs: int) -> tuple[int, int]:
    secs -= _paris_offset(o) * 3600
    return o + secs // 86400, secs % 86400


def _month_of(o: int) -> int:
    return date.fromordinal(o).month


def _day_weight(o: int) -> float:
    d = date.fromordinal(o)
    w = (1.0, 1.0, 1.0, 1.0, 1.0, 0.3, 0.12)[d.weekday()]
    if o in _HOLIDAYS:
        w = 0.15
    if d.month == 8:
        w *= 0.45
    if d.month == 12 and d.day >= 22:
        w *= 0.4
    return w


def _cumulative(weights: list[float]) -> list[float]:
    out, total = [], 0.0
    for w in weights:
        total += w
        out.append(total)
    return out


# --------------------------------------------------------------------------- text

_CONFUSED = {
    "O": "0",
    "0": "O",
    "o": "a",
    "a": "o",
    "I": "1",
    "l": "1",
    "1": "l",
    "i": "l",
    "S": "5",
    "5": "S",
    "B": "8",
    "e": "c",
    "c": "e",
    "n": "m",
    "m": "n",
    "u": "v",
    "E": "F",
    "G": "C",
    "h": "b",
    "t": "f",
    "r": "n",
    "é": "e",
    "è": "e",
    "ê": "e",
    "à": "a",
    "ç": "c",
    "ô": "o",
    "â": "a",
}


def _ascii_upper(text: str) -> str:
    """A name as a card network or a bank prints it: no accents, no punctuation."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    kept = "".join(c if c.isalnum() or c in " &*-." else " " for c in plain.upper())
    return " ".join(kept.split())


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def _ocr(rng: random.Random, text: str, rate: float) -> str:
    """Per-character OCR noise: a letter confused, lost or doubled at `rate`."""
    out = []
    for ch in text:
        if ch == " " or rng.random() >= rate:
            out.append(ch)
            continue
        r = rng.random()
        if r < 0.5:
            out.append(_CONFUSED.get(ch, ch))
        elif r < 0.75:
            out.append(ch + ch)
        # else: lost
    return " ".join("".join(out).split())


def _damage(rng: random.Random, name: str) -> str:
    """The visible damage of `card_ocr_name`: one or two of letter lost, letter
    doubled, first word only, all caps."""
    kinds = rng.sample(("lost", "doubled", "first_word", "caps"), rng.choice((1, 1, 2)))
    original, words = name, name.split()
    for kind in sorted(kinds, key=("first_word", "lost", "doubled", "caps").index):
        if kind == "first_word" and len(words) > 1:
            name = words[0]
        elif kind == "caps":
            name = name.upper()
        else:
            letters = [i for i, c in enumerate(name) if c.isalpha()]
            if len(letters) < 4:
                continue
            i = rng.choice(letters[1:])
            name = name[:i] + name[i + 1 :] if kind == "lost" else name[:i] + name[i] + name[i:]
    if name == original:  # (a one-word name asked for its first word only)
        i = len(name) // 2
        name = name[:i] + name[i + 1 :]
    return name


_DIGIT_MISREAD = {"1": "7", "7": "1", "3": "8", "8": "3", "5": "6", "6": "5", "0": "8", "2": "7"}


def _misread(rng: random.Random, o: int) -> int:
    """A date as OCR may misread it: day and month swapped, a digit of the day
    confused, or the year's last digit wrong. `o` itself when none applies."""
    d = date.fromordinal(o)
    options = []
    if d.day <= 12 and d.day != d.month:
        options.append(date(d.year, d.day, d.month))
    text = f"{d.day:02d}"
    for i in (0, 1):
        swapped = _DIGIT_MISREAD.get(text[i])
        if swapped is None:
            continue
        day = int(text[:i] + swapped + text[i + 1 :])
        try:
            options.append(date(d.year, d.month, day))
        except ValueError:
            pass
    options.append(date(d.year - rng.choice((1, 2)), d.month, 28 if d.day == 29 else d.day))
    return rng.choice(options).toordinal()


def _money(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    c = abs(cents)
    return f"{sign}{c // 100}.{c % 100:02d}"


def _luhn_complete(digits: str) -> str:
    """`digits` + the Luhn check digit (a SIREN)."""
    total = 0
    for i, ch in enumerate(reversed(digits + "0")):
        n = int(ch)
        if i % 2 == 1:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return digits + str((10 - total % 10) % 10)


def _vat(siren: str) -> str:
    return f"FR{(12 + 3 * (int(siren) % 97)) % 97:02d}{siren}"


def _fr_iban(bank: int, branch: int, account: int) -> str:
    key = 97 - (89 * bank + 15 * branch + 3 * account) % 97
    bban = f"{bank:05d}{branch:05d}{account:011d}{key:02d}"
    return f"FR{98 - int(bban + '152700') % 97:02d}{bban}"


def _random_iban(rng: random.Random) -> str:
    bank = rng.choice((10278, 13807, 30004, 30002, 30003, 20041, 16275, 14445, 17515, 11315))
    return _fr_iban(bank, rng.randrange(100, 99999), rng.randrange(10**9, 10**11))


def _random_siren(rng: random.Random) -> str:
    return _luhn_complete(str(rng.randrange(30_000_000, 99_999_999)))


SIREN = _luhn_complete("84231957")
ORGANIZATION = {
    "name": "Lumen Atelier Graphique SAS",
    "vat": _vat(SIREN),
    "siren": SIREN,
    "ibans": [
        _fr_iban(13807, 8, 21019234567),  # acc-bpgo-main
        _fr_iban(16958, 1, 40412345678),  # acc-qonto-team
        _fr_iban(13807, 8, 21019234599),  # acc-bpgo-reserve
    ],
}
ORG_TRADE_NAME = "Lumen Atelier Graphique"
ACCOUNT_IBAN = dict(zip((MAIN, CARDS, RESERVE), ORGANIZATION["ibans"], strict=True))


# --------------------------------------------------------------------------- prices


def _lognormal(rng: random.Random, median: float, sigma: float, lo: float, hi: float) -> int:
    value = median * math.exp(rng.gauss(0.0, sigma))
    return int(round(min(hi, max(lo, value)) * 100))


def _menu(rng: random.Random, items: tuple[int, ...], counts: tuple, weights: tuple) -> int:
    n = rng.choices(counts, weights)[0]
    return sum(rng.choice(items) for _ in range(n))


_CAFE = (180, 200, 220, 240, 250, 280, 300, 350, 380, 420, 450)
_BAKERY = (110, 120, 130, 140, 250, 290, 350, 420, 450, 520, 650, 1200, 1800, 2400)
_LUNCH = (990, 1150, 1290, 1390, 1450, 1590, 1690, 1790, 1890, 1950)
_DRINK = (0, 0, 0, 250, 300, 350, 450)
_BAR = (350, 400, 450, 500, 550, 650, 750, 900)


def _p_cafe(rng: random.Random) -> int:
    return _menu(rng, _CAFE, (1, 2, 3, 4), (55, 28, 12, 5))


def _p_bakery(rng: random.Random) -> int:
    return _menu(rng, _BAKERY, (1, 2, 3, 4, 6), (35, 30, 18, 10, 7))


def _p_lunch(rng: random.Random) -> int:
    covers = rng.choices((1, 2, 3, 4, 5, 6), (40, 25, 15, 10, 5, 5))[0]
    return sum(rng.choice(_LUNCH) + rng.choice(_DRINK) for _ in range(covers))


def _p_restaurant(rng: random.Random) -> int:
    covers = rng.choices((1, 2, 3, 4, 5, 6, 8), (10, 30, 20, 20, 8, 7, 5))[0]
    food = sum(rng.randrange(1800, 4850, 50) for _ in range(covers))
    wine = sum(rng.randrange(2200, 5600, 100) for _ in range((covers + 2) // 3))
    return food + (wine if rng.random() < 0.4 else 0)


def _p_bar(rng: random.Random) -> int:
    return _menu(rng, _BAR, (2, 3, 4, 6, 8, 12), (25, 20, 20, 15, 12, 8))


def _p_fuel(rng: random.Random) -> int:
    return int(round(rng.uniform(18, 65) * rng.randint(1649, 1899) / 10))


def _p_hotel(rng: random.Random) -> int:
    nights = rng.choices((1, 2, 3), (60, 30, 10))[0]
    return nights * (rng.randrange(7900, 21900, 100) + rng.choice((165, 230, 330)))


def _p_electronics(rng: random.Random) -> int:
    cents = _lognormal(rng, 110, 1.0, 9.9, 2500)
    return cents // 100 * 100 - 1 if rng.random() < 0.6 else cents


PRICES = {
    "cafe": _p_cafe,
    "bakery": _p_bakery,
    "lunch": _p_lunch,
    "restaurant": _p_restaurant,
    "bar": _p_bar,
    "fuel": _p_fuel,
    "hotel": _p_hotel,
    "electronics": _p_electronics,
    "grocery": lambda rng: _lognormal(rng, 24, 0.7, 1.5, 300),
    "hardware": lambda rng: _lognormal(rng, 38, 0.9, 3, 900),
    "office": lambda rng: _lognormal(rng, 26, 0.8, 2, 600),
    "art_supplies": lambda rng: _lognormal(rng, 45, 0.8, 4, 900),
    "pharmacy": lambda rng: _lognormal(rng, 12, 0.7, 2.5, 150),
    "florist": lambda rng: rng.randrange(1500, 7000, 100),
    "bookshop": lambda rng: _lognormal(rng, 24, 0.6, 5, 200),
    "courier": lambda rng: _lognormal(rng, 9, 0.9, 1.29, 120),
    "online": lambda rng: _lognormal(rng, 45, 1.0, 5, 1500),
    "copyshop": lambda rng: _lognormal(rng, 18, 1.0, 0.5, 400),
    "wine": lambda rng: _lognormal(rng, 28, 0.7, 8, 400),
    "garage": lambda rng: _lognormal(rng, 160, 0.8, 25, 1500),
    "caterer": lambda rng: _lognormal(rng, 180, 0.8, 40, 2500),
    "market": lambda rng: rng.randrange(250, 3500, 10),
    "parking": lambda rng: rng.randrange(150, 2600, 10),
    "taxi": lambda rng: rng.randrange(1150, 6500, 10),
    "train": lambda rng: rng.randrange(1900, 13900, 50) * rng.choices((1, 2, 3), (70, 20, 10))[0],
    "flight": lambda rng: rng.randrange(6900, 42000, 100),
    "car_rental": lambda rng: _lognormal(rng, 75, 0.5, 35, 400),
    "ticket": lambda rng: rng.randrange(1000, 4500, 50),
}

# VAT divisor (x1000) of a trade's receipts, for the amount before VAT.
_VAT_RATE = {"cafe": 1100, "lunch": 1100, "restaurant": 1100, "bar": 1200, "bakery": 1055}

# Local time windows of a trade's payments: (from hour, to hour, weight).
_HOURS = {
    "cafe": ((7.5, 11.5, 3), (14.0, 17.0, 1)),
    "bakery": ((7.0, 13.5, 3), (16.0, 19.5, 1)),
    "lunch": ((11.75, 14.5, 1),),
    "restaurant": ((12.0, 14.5, 1), (19.5, 23.5, 2)),
    "bar": ((17.5, 24.75, 1),),
    "fuel": ((7.0, 20.0, 1),),
    "online": ((0.0, 24.0, 1),),
    "train": ((0.0, 24.0, 1),),
    "flight": ((0.0, 24.0, 1),),
    "hotel": ((7.0, 11.0, 1),),
    "taxi": ((6.5, 24.0, 1),),
    "parking": ((8.0, 20.0, 1),),
}
_SHOP_HOURS = ((9.5, 19.5, 1),)
_HOUR_WEIGHTS = {trade: tuple(w[2] for w in windows) for trade, windows in _HOURS.items()}


def _clock(rng: random.Random, trade: str) -> int:
    windows = _HOURS.get(trade, _SHOP_HOURS)
    if len(windows) == 1:
        lo, hi, _ = windows[0]
    else:
        lo, hi, _ = rng.choices(windows, _HOUR_WEIGHTS[trade])[0]
    return int(rng.uniform(lo, hi) * 3600)


# --------------------------------------------------------------------------- names

PLACES = (
    "Graslin", "Bouffay", "Talensac", "Chantenay", "Doulon", "Procé", "Madeleine",
    "Feydeau", "Royale", "Zola", "Saint-Félix", "Sainte-Croix", "Viarme", "Canclaux",
    "Decré", "Cathédrale", "Rezé", "Orvault", "Carquefou", "Vertou", "Trentemoult",
    "Pirmil", "Mellinet", "Monselet", "Delorme", "Dobrée", "Launay", "Gloriette",
    "Barbin", "Breil", "Malakoff", "Beaujoire", "Bellevue", "Erdre", "Hauts-Pavés",
    "Sèvre", "Commerce", "Petite Hollande", "Jean Jaurès", "Saint-Pasquier",
)  # fmt: skip
NOUNS = (
    "Commerce", "Port", "Marché", "Théâtre", "Château", "Quai", "Canal", "Jardin",
    "Passage", "Lion", "Phare", "Navire", "Tram", "Coin", "Square", "Moulin", "Pont",
    "Cygne", "Galion", "Héron", "Comptoir", "Cours", "Pilote", "Sextant", "Hangar",
    "Rocher", "Carré", "Cargo", "Marin", "Beffroi",
)  # fmt: skip
SURNAMES = (
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand",
    "Leroy", "Moreau", "Simon", "Laurent", "Lefebvre", "Michel", "Garcia", "David",
    "Bertrand", "Roux", "Vincent", "Fournier", "Morel", "Girard", "André", "Mercier",
    "Dupont", "Lambert", "Bonnet", "François", "Martinez", "Le Gall", "Le Goff",
    "Guérin", "Tessier", "Gautier", "Perrin", "Guillou", "Cornec", "Riou", "Brunet",
    "Blanchard", "Chevalier", "Baudry", "Jaouen", "Kerbrat", "Le Roux", "Hamon",
    "Pichon", "Renaud", "Colin", "Barbier", "Caron", "Masson", "Marchand", "Dumont",
    "Rousseau", "Lemaire", "Fontaine", "Chauvin", "Bouvier", "Joly", "Gaillard",
    "Hervé", "Le Bihan", "Prigent", "Quéméner", "Tanguy", "Le Floch", "Carré",
    "Bodin", "Poirier", "Boucher", "Royer", "Giraud", "Leclerc", "Meunier", "Marie",
    "Cadiou", "Morvan", "Guillaume", "Besnard",
)  # fmt: skip
FIRSTS = (
    "Camille", "Léa", "Manon", "Chloé", "Emma", "Inès", "Jade", "Louise", "Alice",
    "Lina", "Hugo", "Lucas", "Louis", "Nathan", "Gabriel", "Arthur", "Jules", "Paul",
    "Tom", "Noah", "Yann", "Gwen", "Maël", "Erwan", "Soizic", "Anaïs", "Julien",
    "Thomas", "Claire", "Marion", "Pierre", "Sophie", "Antoine", "Élodie", "Mathieu",
    "Nolwenn", "Ronan", "Sarah", "Victor", "Zoé",
)  # fmt: skip

# trade, share of local merchants, spend factor, small (a facilitator is likely), templates
LOCAL_TRADES = (
    ("cafe", 14, 1.6, True, ("Café {place}", "Café du {noun}", "Le {noun}", "{first} Coffee",
                             "Coffee Shop {place}", "Bar-Tabac du {noun}", "Le Petit {noun}",
                             "Torréfaction {surname}", "Café des Arts {place}")),
    ("bakery", 10, 1.4, True, ("Boulangerie {surname}", "Boulangerie Pâtisserie {surname}",
                               "Au Pain de {place}", "La Fournée {place}", "Maison {surname}",
                               "Le Fournil de {first}", "Boulangerie du {noun}")),
    ("lunch", 17, 1.4, True, ("Brasserie {place}", "Le Comptoir {place}", "Crêperie du {noun}",
                              "Cantine {place}", "Snack {first}", "Le Bistrot {surname}",
                              "Sushi {place}", "Pizzeria {first}", "Poke {place}",
                              "La Cantine du {noun}", "Traiteur {surname}")),
    ("restaurant", 12, 0.7, True, ("Restaurant {surname}", "La Table de {first}",
                                   "L'Atelier {place}", "Le Bistrot du {noun}", "Chez {first}",
                                   "Restaurant Le {noun}", "La Cuisine de {first}",
                                   "Auberge du {noun}", "Le Jardin {place}")),
    ("bar", 6, 0.6, True, ("Le {noun} Bar", "Bar {place}", "La Cave {place}", "Pub du {noun}",
                           "Le Bar du {noun}")),
    ("grocery", 7, 1.0, False, ("Épicerie {place}", "Épicerie Fine {surname}",
                                "Primeur {surname}", "Fromagerie {surname}",
                                "Épicerie du {noun}")),
    ("hardware", 4, 0.5, False, ("Quincaillerie {surname}", "Bricolage {place}",
                                 "Droguerie {place}")),
    ("office", 5, 0.6, False, ("Papeterie {place}", "Papeterie {surname}",
                               "Librairie {surname}", "Bureau & Papier {place}")),
    ("art_supplies", 4, 0.6, True, ("Beaux-Arts {place}", "Encadrement {surname}",
                                    "L'Atelier du Peintre {place}", "Couleurs {place}")),
    ("florist", 3, 0.3, True, ("Fleurs {place}", "{first} Fleurs", "L'Atelier Floral {surname}")),
    ("pharmacy", 3, 0.4, False, ("Pharmacie {place}", "Pharmacie {surname}",
                                 "Grande Pharmacie du {noun}")),
    ("taxi", 3, 0.6, True, ("Taxi {surname}", "Taxi Nantais {first} {surname}")),
    ("parking", 2, 0.8, False, ("Parking {place}",)),
    ("copyshop", 2, 0.5, False, ("Copy {place}", "Reprographie {surname}")),
    ("wine", 2, 0.3, True, ("Cave {surname}", "Les Vins de {first}")),
    ("garage", 2, 0.2, False, ("Garage {surname}", "Garage du {noun}")),
    ("caterer", 2, 0.2, True, ("Traiteur {surname}", "Les Buffets de {first}")),
    ("bookshop", 2, 0.3, False, ("Librairie {place}", "Bouquinerie {surname}")),
)  # fmt: skip

# Chains: name on the receipt, card descriptor, trade, popularity, document type, photo.
CHAINS = (
    ("Carrefour City", "CARREFOUR CITY NANTES", "grocery", 6.0, "receipt", True),
    ("Monoprix", "MONOPRIX NANTES", "grocery", 4.0, "receipt", True),
    ("Super U", "SUPER U REZE", "grocery", 2.0, "receipt", True),
    ("Lidl", "LIDL NANTES", "grocery", 1.5, "receipt", True),
    ("Biocoop", "BIOCOOP NANTES", "grocery", 1.5, "receipt", True),
    ("Picard", "PICARD NANTES", "grocery", 0.8, "receipt", True),
    ("Leroy Merlin", "LEROY MERLIN NANTES", "hardware", 2.5, "receipt", True),
    ("Castorama", "CASTORAMA", "hardware", 1.2, "receipt", True),
    ("Ikea", "IKEA NANTES", "hardware", 0.8, "receipt", True),
    ("Bureau Vallée", "BUREAU VALLEE NANTES", "office", 2.5, "receipt", True),
    ("Le Géant des Beaux-Arts", "GEANT DES BEAUX ARTS", "art_supplies", 1.5, "invoice", False),
    ("Rougier & Plé", "ROUGIER ET PLE", "art_supplies", 1.0, "receipt", True),
    ("Fnac", "FNAC NANTES", "electronics", 1.5, "receipt", True),
    ("Boulanger", "BOULANGER", "electronics", 1.0, "receipt", True),
    ("Darty", "DARTY NANTES", "electronics", 0.7, "receipt", True),
    ("Decathlon", "DECATHLON", "electronics", 0.5, "receipt", True),
    ("TotalEnergies", "TOTALENERGIES", "fuel", 3.0, "receipt", True),
    ("Esso", "ESSO ATLANTIS", "fuel", 1.5, "receipt", True),
    ("Indigo", "INDIGO NANTES", "parking", 3.0, "receipt", True),
    ("SNCF Connect", "SNCF INTERNET", "train", 4.0, "invoice", False),
    ("Uber", "UBER *TRIP", "taxi", 2.5, "receipt", False),
    ("Air France", "AIR FRANCE", "flight", 0.6, "invoice", False),
    ("Paul", "PAUL NANTES GARE", "bakery", 2.0, "receipt", True),
    ("Starbucks", "STARBUCKS NANTES", "cafe", 1.5, "receipt", True),
    ("Relay", "RELAY NANTES", "bookshop", 1.5, "receipt", True),
    ("La Poste", "LA POSTE", "courier", 3.0, "receipt", True),
    ("Ibis Paris Gare de Lyon", "HOTEL IBIS PARIS", "hotel", 0.8, "invoice", False),
    ("Novotel Rennes Centre", "NOVOTEL RENNES", "hotel", 0.5, "invoice", False),
    ("Mercure Bordeaux", "MERCURE BORDEAUX", "hotel", 0.4, "invoice", False),
    ("Amazon", "AMAZON PAYMENTS", "online", 3.0, "invoice", False),
    ("Vistaprint", "VISTAPRINT", "online", 1.0, "invoice", False),
    ("Apple", "APPLE.COM/FR", "electronics", 0.6, "invoice", False),
    ("Cdiscount", "CDISCOUNT", "online", 0.6, "invoice", False),
    ("Manutan", "MANUTAN", "online", 0.5, "invoice", False),
    ("Nicolas", "NICOLAS NANTES", "wine", 0.5, "receipt", True),
    ("McDonald's", "MCDONALDS NANTES", "lunch", 1.0, "receipt", True),
    ("Europcar", "EUROPCAR", "car_rental", 0.4, "invoice", False),
    ("Hertz", "HERTZ FRANCE", "car_rental", 0.3, "invoice", False),
)

# Online small shops behind PAYPAL * or STRIPE*.
ONLINE_TEMPLATES = (
    "Papier {surname}", "Typothèque {surname}", "Studio {noun}", "Atelier {first} {surname}",
    "{surname} & Fils", "Les Éditions du {noun}", "Encres {place}", "Fonts {surname}",
)  # fmt: skip

# Local merchants paid in cash only (markets).
MARKET_TEMPLATES = ("Primeur {surname} (Marché {place})", "Fromages {surname}", "Marché {place}")

_FACILITATORS = ("SUMUP *", "SQ *", "ZETTLE_*", "")
_FACILITATOR_WEIGHTS = (30, 10, 10, 50)
_MIXED_CASE = {"SUMUP *": "SumUp *", "SQ *": "SQ *", "ZETTLE_*": "Zettle_*"}
_CUTS = (20, 21, 22, 22, 22, 22, 23, 25)


@dataclass(slots=True, eq=False)
class Merchant:
    name: str  # as printed on its receipts
    trade: str
    descriptor: str  # its card descriptor
    weight: float = 1.0
    currency: str = "EUR"
    tz_fixed: int | None = None  # hours from UTC, for a zone not following Paris'
    tz_delta: int = 0  # hours from Paris' legal time otherwise
    prefixed: bool = False
    truncated: bool = False
    photo: bool = True
    doc_type: str = "receipt"
    price_level: float = 1.0  # a foreign city's prices, relative to Nantes
    local: bool = False  # an independent merchant of Nantes

    def utc_offset(self, o: int) -> int:
        return self.tz_fixed if self.tz_fixed is not None else _paris_offset(o) + self.tz_delta


def _descriptor(rng: random.Random, name: str, prefix: str) -> tuple[str, bool]:
    """A card descriptor for `name` behind `prefix`, cut by the network; and
    whether the cut fell inside the name."""
    upper = _ascii_upper(name)
    if prefix and rng.random() < 0.25:
        body = _MIXED_CASE.get(prefix, prefix) + " ".join(_ascii(name).replace("'", " ").split())
        head = len(body)
    else:
        body = prefix + (upper.replace(" ", "") if prefix == "PAYPAL *" else upper)
        head = len(body)
        if not prefix and rng.random() < 0.35:
            body += " NANTES"
    cut = rng.choice(_CUTS)
    return body[:cut].rstrip(), head > cut


def _fill(rng: random.Random, template: str) -> str:
    return template.format(
        place=rng.choice(PLACES),
        noun=rng.choice(NOUNS),
        surname=rng.choice(SURNAMES),
        first=rng.choice(FIRSTS),
    )


def _unique_names(rng: random.Random, templates: list[str], seen: dict[str, None]) -> str:
    for attempt in range(40):
        name = _fill(rng, rng.choice(templates))
        if attempt > 20:
            name = f"{name} {rng.choice(PLACES)}"
        if name not in seen:
            seen[name] = None
            return name
    name = f"{_fill(rng, templates[0])} {len(seen)}"
    seen[name] = None
    return name


def _local_merchants(rng: random.Random, n: int, seen: dict[str, None]) -> list[Merchant]:
    """`n` merchants of Nantes, the first three the daily ones (a café, a bakery,
    a lunch place next to the studio), then a long tail: popularity 1/(rank+8)^1.2."""
    trades = [t for t in LOCAL_TRADES]
    shares = [t[1] for t in trades]
    chosen = [trades[0], trades[1], trades[2]]
    chosen += rng.choices(trades, shares, k=max(0, n - 3))
    head, tail = chosen[:3], chosen[3:]
    rng.shuffle(tail)
    out = []
    for rank, (trade, _, factor, small, templates) in enumerate(head + tail):
        name = _unique_names(rng, list(templates), seen)
        prefix = rng.choices(_FACILITATORS, _FACILITATOR_WEIGHTS)[0] if small else ""
        descriptor, truncated = _descriptor(rng, name, prefix)
        out.append(
            Merchant(
                name=name,
                trade=trade,
                descriptor=descriptor,
                weight=factor / (rank + 8) ** 1.2,
                prefixed=bool(prefix),
                truncated=truncated,
                local=True,
            )
        )
    return out


def _online_merchants(rng: random.Random, n: int, seen: dict[str, None]) -> list[Merchant]:
    out = []
    for rank in range(n):
        name = _unique_names(rng, list(ONLINE_TEMPLATES), seen)
        prefix = "PAYPAL *" if rng.random() < 0.5 else "STRIPE*"
        descriptor, truncated = _descriptor(rng, name, prefix)
        out.append(
            Merchant(
                name=name,
                trade="online",
                descriptor=descriptor,
                weight=1 / (rank + 3) ** 1.1,
                prefixed=True,
                truncated=truncated,
                photo=False,
                doc_type="invoice",
            )
        )
    return out


def _chains() -> list[Merchant]:
    return [
        Merchant(name, trade, descriptor, weight=pop, photo=photo, doc_type=doc_type)
        for name, descriptor, trade, pop, doc_type, photo in CHAINS
    ]


# --------------------------------------------------------------------------- trips

# city, currency, zone (("delta", h): h hours from Paris; ("fixed", h): UTC+h),
# EUR per unit, price level, merchants (name, trade, descriptor)
TRIPS = (
    ("London", "GBP", ("delta", -1), 1.18, 1.3, (
        ("Pret A Manger", "cafe", "PRET A MANGER"), ("Monmouth Coffee", "cafe", "SQ *MONMOUTH COFFEE CO"),
        ("Dishoom Shoreditch", "restaurant", "DISHOOM SHOREDITCH"), ("The Lamb and Flag", "bar", "THE LAMB AND FLAG"),
        ("Wasabi", "lunch", "WASABI"), ("Addison Lee", "taxi", "ADDISON LEE"),
        ("Premier Inn London City", "hotel", "PREMIER INN"), ("Dalston Roastery", "cafe", "SUMUP *DALSTON ROASTER"),
        ("Boots", "pharmacy", "BOOTS 1124"), ("Tate Modern", "ticket", "TATE ENTERPRISES LTD"))),
    ("New York", "USD", ("delta", -6), 0.92, 1.4, (
        ("Joe Coffee", "cafe", "SQ *JOE COFFEE"), ("Katz's Delicatessen", "lunch", "KATZS DELICATESSEN"),
        ("Shake Shack", "lunch", "SHAKE SHACK 1012"), ("Yellow Cab", "taxi", "NYC TAXI 5J12"),
        ("The Standard High Line", "hotel", "THE STANDARD HIGH LINE"), ("Blue Bottle Coffee", "cafe", "BLUE BOTTLE COFFEE"),
        ("Balthazar", "restaurant", "BALTHAZAR RESTAURANT"), ("McNally Jackson", "bookshop", "MCNALLY JACKSON BOOKS"))),
    ("Geneva", "CHF", ("delta", 0), 1.06, 1.6, (
        ("Café du Bourg-de-Four", "cafe", "SUMUP *CAFE DU BOURG D"), ("Manora", "lunch", "MANORA GENEVE"),
        ("Brasserie Lipp", "restaurant", "BRASSERIE LIPP GENEVE"), ("Taxi-Phone", "taxi", "TAXI PHONE GENEVE"),
        ("Hôtel Cornavin", "hotel", "HOTEL CORNAVIN"), ("Migros", "grocery", "MIGROS GENEVE"))),
    ("Copenhagen", "DKK", ("delta", 0), 0.134, 1.4, (
        ("Original Coffee", "cafe", "ORIGINAL COFFEE"), ("Torvehallerne", "lunch", "TORVEHALLERNE KBH"),
        ("Restaurant Barr", "restaurant", "RESTAURANT BARR"), ("Taxa 4x35", "taxi", "TAXA 4X35"),
        ("Hotel SP34", "hotel", "HOTEL SP34"), ("7-Eleven", "grocery", "7-ELEVEN 2043"))),
    ("Stockholm", "SEK", ("delta", 0), 0.088, 1.3, (
        ("Espresso House", "cafe", "ESPRESSO HOUSE 104"), ("Restaurang Kvarnen", "restaurant", "KVARNEN"),
        ("Taxi Stockholm", "taxi", "TAXI STOCKHOLM"), ("Hotel Rival", "hotel", "HOTEL RIVAL"),
        ("Pressbyrån", "grocery", "PRESSBYRAN"))),
    ("Prague", "CZK", ("delta", 0), 0.040, 0.6, (
        ("Café Louvre", "cafe", "CAFE LOUVRE"), ("Lokál Dlouhá", "lunch", "LOKAL DLOUHA"),
        ("U Fleků", "bar", "U FLEKU"), ("Liftago", "taxi", "LIFTAGO"),
        ("Hotel Josef", "hotel", "HOTEL JOSEF"), ("Billa", "grocery", "BILLA"))),
    ("Tokyo", "JPY", ("fixed", 9), 0.0061, 0.9, (
        ("Doutor Coffee", "cafe", "DOUTOR COFFEE"), ("Ichiran Shibuya", "lunch", "ICHIRAN SHIBUYA"),
        ("Lawson", "grocery", "LAWSON"), ("Tokyo MK Taxi", "taxi", "TOKYO MK"),
        ("Hotel Gracery Shinjuku", "hotel", "HOTEL GRACERY SHINJUKU"), ("Sushi Dai", "restaurant", "SUSHI DAI"),
        ("Tsutaya Books", "bookshop", "TSUTAYA"))),
    ("Montreal", "CAD", ("delta", -6), 0.68, 1.2, (
        ("Café Olimpico", "cafe", "CAFE OLIMPICO"), ("Schwartz's", "lunch", "SCHWARTZ S"),
        ("Taxi Diamond", "taxi", "TAXI DIAMOND"), ("Hôtel Le Germain", "hotel", "HOTEL LE GERMAIN MTL"),
        ("Joe Beef", "restaurant", "JOE BEEF"))),
    ("Marrakech", "MAD", ("fixed", 1), 0.092, 0.5, (
        ("Café des Épices", "cafe", "CAFE DES EPICES"), ("Le Jardin", "restaurant", "LE JARDIN MARRAKECH"),
        ("Nomad", "lunch", "NOMAD MARRAKECH"), ("Riad Kniza", "hotel", "RIAD KNIZA"))),
    ("Krakow", "PLN", ("delta", 0), 0.233, 0.6, (
        ("Charlotte", "cafe", "CHARLOTTE KRAKOW"), ("Pod Aniołami", "restaurant", "POD ANIOLAMI"),
        ("Bolt", "taxi", "BOLT.EU"), ("Hotel Stary", "hotel", "HOTEL STARY"),
        ("Żabka", "grocery", "ZABKA"))),
)  # fmt: skip
TRIP_WEIGHTS = (30, 15, 15, 6, 5, 8, 5, 5, 5, 6)
# The smallest step of a price in each currency (cents of the currency).
_CURRENCY_STEP = {"JPY": 1000, "CZK": 100, "SEK": 100, "DKK": 100, "MAD": 100, "PLN": 10}
_FX_BASE = {"GBP": 1.18, "USD": 0.92, "CHF": 1.06, "DKK": 0.134, "SEK": 0.088, "CZK": 0.040}
_FX_BASE |= {"JPY": 0.0061, "CAD": 0.68, "MAD": 0.092, "PLN": 0.233}


@dataclass(slots=True)
class Trip:
    merchants: list[Merchant]
    start: int  # ordinal, Paris
    nights: int


# --------------------------------------------------------------------------- vendors

# Direct-debit contracts: brand (invoice), legal name, bank label, monthly price (cents, TTC).
MONTHLY_VENDORS = (
    ("Orange Business", "Orange SA", "ORANGE SA", 8990),
    ("Bouygues Telecom Entreprises", "Bouygues Telecom SA", "BOUYGUES TELECOM", 5999),
    ("SFR Business", "SFR SA", "SFR", 4500),
    ("Free Pro", "Free Pro SAS", "FREE PRO", 3999),
    ("EDF Entreprises", "Électricité de France SA", "EDF", 41200),
    ("TotalEnergies Électricité et Gaz", "TotalEnergies Électricité et Gaz France SA",
     "TOTALENERGIES ELECTRICITE ET GAZ FRANCE", 28600),
    ("Engie", "ENGIE SA", "ENGIE", 19800),
    ("Grenke Location", "GRENKE LOCATION SAS", "GRENKE LOCATION", 18960),
    ("Leasecom", "Leasecom SAS", "LEASECOM", 34200),
    ("BNP Paribas Leasing Solutions", "BNP Paribas Lease Group SA",
     "BNP PARIBAS LEASE GROUP", 110400),
    ("Arval", "Arval Service Lease SA", "ARVAL SERVICE LEASE", 48672),
    ("Hiscox", "Hiscox SA", "HISCOX", 7417),
    ("AXA Assurances", "AXA France IARD SA", "AXA FRANCE IARD", 12840),
    ("MAAF Pro", "MAAF Assurances SA", "MAAF ASSURANCES", 4900),
    ("Generali", "Generali IARD SA", "GENERALI IARD", 9630),
    ("SCI Les Ateliers de l'Île", "SCI Les Ateliers de l'Île", "SCI LES ATELIERS DE L ILE", 360000),
    ("Securitas", "Securitas Alert Services SAS", "SECURITAS ALERT SERVICES", 4900),
    ("Elis", "Elis SA", "ELIS", 11280),
    ("Veolia Propreté", "Veolia Propreté Ouest SAS", "VEOLIA PROPRETE", 6490),
    ("Onet Propreté", "Onet Propreté et Services SAS", "ONET PROPRETE ET SERVICES", 78000),
    ("Sage", "Sage SAS", "SAGE SAS", 7900),
    ("Cegid", "Cegid SA", "CEGID", 12900),
    ("Pennylane", "Pennylane SAS", "PENNYLANE", 19900),
    ("Canon France", "Canon France SAS", "CANON FRANCE", 15600),
    ("Xerox", "Xerox SAS", "XEROX SAS", 21480),
    ("Ricoh France", "Ricoh France SAS", "RICOH FRANCE", 9900),
    ("Konica Minolta", "Konica Minolta Business Solutions France SAS",
     "KONICA MINOLTA BUSINESS SOLUTIONS", 27300),
    ("Le Solilab", "SCIC Le Solilab", "LE SOLILAB", 45000),
    ("Kone", "KONE SA", "KONE", 18500),
    ("Bip&Go", "Bip&Go SAS", "BIP&GO", 6400),
    ("Swile", "Swile SAS", "SWILE", 9900),
    ("Otis", "Otis SCS", "OTIS", 16200),
    ("Nantes Métropole Eau", "Régie de l'eau de Nantes Métropole", "NANTES METROPOLE EAU", 3800),
)  # fmt: skip
# The price both of the two vendors forced to share one.
SHARED_MONTHLY_PRICE = 4900

# Online subscriptions paid by card: brand, legal name, descriptor ({n}: a number
# that changes with each charge), currency, price per seat (cents), seats.
SAAS = (
    ("Adobe", "Adobe Systems Software Ireland Ltd", "ADOBE *ADOBE", "EUR", 8999, (1, 8)),
    ("Canva", "Canva Pty Ltd", "CANVA* I0{n}", "EUR", 1199, (1, 1)),
    ("Freepik", "Freepik Company SL", "FREEPIK", "EUR", 1199, (1, 1)),
    ("Figma", "Figma, Inc.", "FIGMA", "USD", 1500, (2, 12)),
    ("Google Workspace", "Google Cloud France SARL", "GOOGLE*GSUITE LUMEN", "EUR", 1380, (10, 40)),
    ("Microsoft 365", "Microsoft Ireland Operations Ltd", "MSFT * E0300{n}", "EUR", 1260, (3, 15)),
    ("Slack", "Slack Technologies Limited", "SLACK T0{n}", "EUR", 870, (10, 40)),
    ("Notion", "Notion Labs, Inc.", "NOTION LABS, INC.", "USD", 1000, (3, 20)),
    ("Dropbox", "Dropbox International Unlimited Company", "DROPBOX*{n}", "EUR", 1438, (2, 6)),
    ("Zoom", "Zoom Video Communications, Inc.", "ZOOM.US 888-799-9666", "USD", 1599, (1, 3)),
    ("LinkedIn", "LinkedIn Ireland Unlimited Company", "LINKEDIN P{n}", "EUR", 7999, (1, 2)),
    ("Mailchimp", "The Rocket Science Group LLC", "MAILCHIMP *MONTHLY", "USD", 2000, (1, 1)),
    ("OVHcloud", "OVH SAS", "OVH SAS", "EUR", 2399, (1, 3)),
    ("Shutterstock", "Shutterstock Netherlands B.V.", "SHUTTERSTOCK", "EUR", 2900, (1, 1)),
    ("Envato", "Envato Pty Ltd", "PAYPAL *ENVATO", "USD", 1650, (1, 1)),
    ("Miro", "RealtimeBoard, Inc.", "MIRO", "USD", 1000, (2, 10)),
    ("GitHub", "GitHub, Inc.", "GITHUB, INC.", "USD", 400, (2, 8)),
    ("ChatGPT", "OpenAI, L.L.C.", "OPENAI *CHATGPT SUBSCR", "USD", 2500, (1, 6)),
    ("Midjourney", "Midjourney Inc", "MIDJOURNEY INC.", "USD", 3000, (1, 2)),
    ("Calendly", "Calendly LLC", "CALENDLY", "USD", 1200, (1, 4)),
    ("Typeform", "Typeform SL", "TYPEFORM", "EUR", 2900, (1, 1)),
    ("Airtable", "Formagrid Inc", "AIRTABLE.COM", "USD", 2400, (1, 4)),
    ("Webflow", "Webflow, Inc.", "WEBFLOW.COM", "USD", 2900, (1, 2)),
    ("HubSpot", "HubSpot Ireland Limited", "HUBSPOT", "EUR", 2000, (1, 5)),
    ("Pipedrive", "Pipedrive OU", "PIPEDRIVE", "EUR", 2900, (1, 4)),
    ("Loom", "Loom, Inc.", "LOOM.COM", "USD", 1500, (1, 3)),
    ("1Password", "AgileBits Inc.", "1PASSWORD", "USD", 799, (5, 25)),
    ("Framer", "Framer B.V.", "FRAMER.COM", "EUR", 1800, (1, 3)),
    ("Asana", "Asana, Inc.", "ASANA.COM", "USD", 1349, (3, 12)),
    ("Squarespace", "Squarespace Ireland Limited", "SQSP* WEBSITE", "EUR", 2300, (1, 1)),
    ("Vimeo", "Vimeo.com, Inc.", "VIMEO.COM", "EUR", 2000, (1, 1)),
    ("Lemlist", "Lemlist SAS", "STRIPE*LEMLIST", "EUR", 5900, (1, 3)),
    ("Fontstand", "Fontstand Inc.", "PAYPAL *FONTSTAND", "EUR", 1900, (1, 2)),
    ("Unsplash+", "Unsplash Inc.", "STRIPE*UNSPLASH", "USD", 1000, (1, 1)),
)

# Suppliers paid by transfer: name template, legal form, median (EUR TTC), sigma, retainer.
SUPPLIER_KINDS = (
    ("Imprimerie {surname}", "SARL", 1800, 0.9, False),
    ("Imprimerie du {noun}", "SAS", 2400, 0.9, False),
    ("Sérigraphie {place}", "SAS", 1300, 0.8, False),
    ("{first} {surname}", "EI", 1500, 0.6, True),
    ("Studio {first} {surname}", "EURL", 1900, 0.6, True),
    ("Papeteries de l'Ouest {surname}", "SA", 2600, 0.9, False),
    ("Signalétique {place}", "SARL", 3000, 0.9, False),
    ("Enseignes {surname}", "SAS", 2800, 0.9, False),
    ("Transports {surname}", "SARL", 260, 0.8, False),
    ("Cabinet {surname} Expertise", "SAS", 1900, 0.4, True),
    ("{surname} Avocats", "SELARL", 1300, 0.7, False),
    ("Façonnage {place}", "SARL", 900, 0.9, False),
    ("Menuiserie {surname}", "SARL", 2500, 0.9, False),
    ("{noun} Informatique", "SAS", 700, 1.0, False),
    ("Électricité {surname}", "EURL", 450, 0.8, False),
    ("Photographie {first} {surname}", "EI", 1100, 0.6, True),
)
INVOICE_FORMATS = (
    "F{y}-{n:04d}",
    "FA{yy}{m:02d}{n:03d}",
    "{y}{m:02d}-{n:03d}",
    "FAC-{n:05d}",
    "INV-{y}-{n:04d}",
    "{n:06d}",
    "F{y}{m:02d}{n:04d}",
)
CUSTOMER_TEMPLATES = (
    "Brasserie Artisanale {place}", "Mairie de {place}", "Festival {noun}", "Agence {surname}",
    "Librairie {surname}", "Clinique {place}", "Cabinet {surname}", "Théâtre du {noun}",
    "Association {noun} {place}", "Hôtel {noun}", "Domaine {surname}", "Groupe {surname}",
    "Maison {surname}", "Café {place}", "Cave {surname}", "{surname} Immobilier",
    "Fondation {surname}", "École {place}", "Ville de {place}", "{noun} Événements",
)  # fmt: skip


@dataclass(slots=True)
class Party:
    """A supplier, customer, vendor or employee paid or paying by transfer."""

    name: str  # on its invoices
    legal: str
    payee: str  # as typed in the payer's bank
    iban: str
    vat: str | None = None
    fmt: str = "F{y}-{n:04d}"
    seq: int = 1
    median: float = 1000.0
    sigma: float = 0.8
    retainer: bool = False
    weight: float = 1.0
    scheduled: bool = False  # a retainer's year of invoices is made

    def number(self, o: int) -> str:
        d = date.fromordinal(o)
        self.seq += 1
        return self.fmt.format(y=d.year, yy=d.year % 100, m=d.month, n=self.seq)


# --------------------------------------------------------------------------- the world


class _World:
    """One build: the parties, then the families (each adding its documents and
    the statement lines they imply), then the noise transactions."""

    def __init__(self, documents: int, transactions: int, seed: int):
        self.rng = random.Random(seed * 1_000_003 + 71)
        self.n_docs = documents
        self.n_txs = transactions
        self.counts = family_counts(documents)
        self.txs: list[dict] = []
        self.tx_order: list[tuple[int, int, int]] = []
        self.docs: list[dict] = []
        self.doc_order: list[tuple[int, int, int]] = []
        self.doc_family: list[str] = []
        self.doc_truth: list[dict | None] = []
        self.receipts: list[tuple[int, dict]] = []  # (doc index, clean fields)
        self.receipt_keys: set[tuple[str, int, int]] = set()
        self.spent_keys: set[tuple[str, int, int]] = set()
        self.spent_main: set[tuple[str, int, int]] = set()
        self.personal_totals: set[int] = set()
        self.used_sales_numbers: set[int] = set()
        self.seq = 0
        self.days = list(PERIOD)
        self.day_cum = _cumulative([_day_weight(o) for o in self.days])
        self.fx = self._fx_paths()
        self._parties()

    # ----------------------------------------------------------------- set-up

    def _fx_paths(self) -> dict[str, dict[int, float]]:
        rng = self.rng
        paths = {}
        for cur in sorted(_FX_BASE):
            rate, path = _FX_BASE[cur], {}
            for o in range(O_START - 60, O_END + 60):
                rate *= math.exp(rng.gauss(0, 0.004))
                path[o] = rate
            paths[cur] = path
        return paths

    def _parties(self) -> None:
        rng = self.rng
        card_spend = max(200, int(self.n_txs * 0.55))
        seen: dict[str, None] = {}
        n_local = min(4000, max(40, card_spend // 20))
        self.local = _local_merchants(rng, n_local, seen)
        self.online = _online_merchants(rng, max(8, n_local // 25), seen)
        self.chains = _chains()
        self.markets = [
            Merchant(_unique_names(rng, list(MARKET_TEMPLATES), seen), "market", "")
            for _ in range(max(4, n_local // 60))
        ]
        self.card_pool, self.card_cum = self._card_pool()
        self.trip_cities = self._trip_cities()
        self.suppliers = self._suppliers(max(6, min(400, self.counts["supplier_transfer"] // 5)))
        self.customers = self._customers(max(5, min(500, self.counts["sales_invoice"] // 3)))

    def _card_pool(self) -> tuple[list[Merchant], list[float]]:
        """Card merchants with their share of the spend: Nantes 62%, chains 33%,
        small online shops 5%."""
        pool, weights = [], []
        for group, share in ((self.local, 0.62), (self.chains, 0.33), (self.online, 0.05)):
            total = sum(m.weight for m in group)
            for m in group:
                pool.append(m)
                weights.append(share * m.weight / total)
        return pool, _cumulative(weights)

    def _trip_cities(self) -> list[list[Merchant]]:
        cities = []
        for _city, cur, (kind, hours), _rate, level, shops in TRIPS:
            merchants = []
            for name, trade, descriptor in shops:
                m = Merchant(name, trade, descriptor, currency=cur, price_level=level)
                if kind == "fixed":
                    m.tz_fixed = hours
                else:
                    m.tz_delta = hours
                m.photo = trade != "hotel"
                merchants.append(m)
            cities.append(merchants)
        return cities

    def _party(self, name: str, legal: str, vat: bool = True) -> Party:
        rng = self.rng
        style = rng.random()
        if style < 0.6:
            payee = _ascii_upper(name)
        elif style < 0.9:
            payee = legal
        else:
            payee = " ".join(_ascii_upper(name).split()[:2])
        return Party(
            name=name,
            legal=legal,
            payee=payee,
            iban=_random_iban(rng),
            vat=_vat(_random_siren(rng)) if vat else None,
            fmt=rng.choice(INVOICE_FORMATS),
            seq=rng.randrange(10, 900),
        )

    def _suppliers(self, n: int) -> list[Party]:
        rng = self.rng
        seen: dict[str, None] = {}
        out = []
        for rank in range(n):
            template, form, median, sigma, retainer = rng.choice(SUPPLIER_KINDS)
            name = _unique_names(rng, [template], seen)
            legal = f"{name} {form}" if rng.random() < 0.7 else f"{form} {name}"
            party = self._party(name, legal, vat=form != "EI")
            party.median, party.sigma = median * rng.uniform(0.7, 1.4), sigma
            party.retainer = retainer and rng.random() < 0.6
            party.weight = 1 / (rank + 2) ** 0.9
            out.append(party)
        return out

    def _customers(self, n: int) -> list[Party]:
        rng = self.rng
        seen: dict[str, None] = {}
        out = []
        for rank in range(n):
            name = _unique_names(rng, list(CUSTOMER_TEMPLATES), seen)
            party = self._party(name, name, vat=not name.startswith(("Mairie", "Ville")))
            party.median = rng.choice((900, 1800, 2600, 4200))
            party.weight = 1 / (rank + 2) ** 0.8
            out.append(party)
        return out

    def _person(self) -> Party:
        rng = self.rng
        first, last = rng.choice(FIRSTS), rng.choice(SURNAMES)
        party = self._party(f"{first} {last}", f"{last.upper()} {first.upper()}", vat=False)
        party.payee = f"{_ascii_upper(last)} {_ascii_upper(first)}"
        party.median = _lognormal(rng, 2300, 0.3, 1500, 6000) / 100
        return party

    # ----------------------------------------------------------------- records

    def _next(self) -> int:
        self.seq += 1
        return self.seq

    def _add_tx(
        self, account: str, cents: int, label: str, op: str, when: tuple[int, int], **extra
    ):
        """A statement line; `when` (ordinal, seconds) is the UTC instant on the
        neobank account and the booking day (seconds -1) on the regional bank."""
        o, secs = when
        tx = {
            "id": "",
            "account_id": account,
            "amount": _money(cents),
            "currency": "EUR",
            "counterparty": label,
            "operation_type": op,
            "emitted_at": _day(o) if secs < 0 else _utc_text(o, secs),
        }
        for key, value in extra.items():
            if value is not None:
                tx[key] = value
        self.txs.append(tx)
        self.tx_order.append((o, secs, self._next()))
        return tx

    def _add_doc(self, doc: dict, family: str, truth: dict | None, received: tuple[int, int]):
        o, secs = received
        doc["received_at"] = _utc_text(o, secs)
        doc["checksum"] = f"{self.rng.getrandbits(128):032x}"
        self.docs.append(doc)
        self.doc_order.append((o + secs // 86400, secs % 86400, self._next()))
        self.doc_family.append(family)
        self.doc_truth.append(truth)
        return len(self.docs) - 1

    def _received(self, o: int, mean_days: float, cap: int) -> tuple[int, int]:
        """An upload `mean_days` after day `o` on average; the same day, in the
        evening (after the day's purchases)."""
        delay = min(cap, int(self.rng.expovariate(1 / mean_days)))
        if delay == 0:
            return o, self.rng.randrange(21 * 3600, 23 * 3600)
        return o + delay, self.rng.randrange(6 * 3600, 21 * 3600)

    def _pick_day(self) -> int:
        return self.rng.choices(self.days, cum_weights=self.day_cum)[0]

    def _rate(self, currency: str, o: int) -> float:
        path = self.fx[currency]
        return path.get(o) or path[min(max(o, O_START - 60), O_END + 59)]

    # ----------------------------------------------------------------- card lines

    def _card(self, m: Merchant, cents: int, o: int, secs: int, account: str, **flags):
        """The card line of a payment (or, `refund=True`, a refund) of `cents` in the
        merchant's currency at local day `o`, `secs` after local midnight."""
        us = secs - m.utc_offset(o) * 3600
        uo, us = o + us // 86400, us % 86400
        local = local_cur = None
        eur = cents
        if m.currency != "EUR":
            eur = max(1, round(cents * self._rate(m.currency, uo)))
            local, local_cur = _money(cents), m.currency
        amount = eur if flags.get("refund") else -eur
        extra = {"local_amount": local, "local_currency": local_cur}
        if flags.get("attached"):
            extra["has_attachment"] = True
        if account == MAIN:
            po = uo + (us + _paris_offset(uo) * 3600) // 86400
            lag = self.rng.choices((1, 2, 3), (60, 30, 10))[0]
            tx = self._add_tx(
                MAIN,
                amount,
                "CB*" + m.descriptor.upper(),
                "card",
                (_next_business(po + lag), -1),
                **extra,
            )
            if local is not None:
                fee = -(eur * 29 // 1000 + 30)
                self._add_tx(
                    MAIN,
                    fee,
                    "COMMISSION CB HORS ZONE EURO",
                    "transfer",
                    (_next_business(po + lag), -1),
                )
            return tx
        settle = uo + self.rng.choices((1, 2, 3), (65, 25, 10))[0]
        settled = _utc_text(settle, self.rng.randrange(4 * 3600, 7 * 3600))
        return self._add_tx(
            CARDS, amount, m.descriptor, "card", (uo, us), settled_at=settled, **extra
        )

    def _window(self, desc: str, cents: int, o: int) -> list[tuple[str, int, int]]:
        return [(desc, cents, d) for d in range(o - 3, o + 4)]

    def _claim(self, m: Merchant, cents: int, o: int, account: str | None) -> bool:
        """Reserve a receipt's (descriptor, amount, day) if no card line or other
        receipt holds it (`account` None: paid outside the statement)."""
        desc = m.descriptor or m.name
        key = (desc, cents, o)
        window = self._window(desc, cents, o)
        if account == MAIN:
            if any(k in self.receipt_keys or k in self.spent_keys for k in window):
                return False
            self.receipt_keys.update(window)
            self.spent_main.add(key)
        else:
            if key in self.receipt_keys or key in self.spent_keys:
                return False
            if any(k in self.spent_main for k in window):
                return False
            self.receipt_keys.add(key)
        if account is not None:
            self.spent_keys.add(key)
        return True

    def _free(self, m: Merchant, cents: int, o: int, account: str) -> bool:
        """Whether a card line without receipt may have this descriptor, amount
        and day (see the honesty rules); if so, it is recorded."""
        desc = m.descriptor
        if account == MAIN:
            if any(k in self.receipt_keys for k in self._window(desc, cents, o)):
                return False
            self.spent_main.add((desc, cents, o))
        elif (desc, cents, o) in self.receipt_keys:
            return False
        self.spent_keys.add((desc, cents, o))
        return True

    def _price(self, m: Merchant) -> int:
        cents = PRICES[m.trade](self.rng)
        if m.currency == "EUR":
            return max(10, cents)
        step = _CURRENCY_STEP.get(m.currency, 5)
        local = cents * m.price_level / _FX_BASE[m.currency]
        return max(step, int(round(local / step)) * step)

    def _account(self) -> str:
        return MAIN if self.rng.random() < MAIN_CARD_SHARE else CARDS

    def _purchase(self, m: Merchant, account: str | None, days: list[int] | None = None):
        """A receipted purchase: (local day, seconds, cents) claimed for `m`, on
        one of `days` when given. Within the statement, booking included."""
        rng = self.rng
        last = O_END - 6 if account == MAIN else O_END
        for attempt in range(80):
            o = rng.choice(days) if days and attempt < 60 else self._pick_day()
            secs = _clock(rng, m.trade)
            o, secs = o + secs // 86400, secs % 86400
            cents = self._price(m)
            if O_START < o <= last and self._claim(m, cents, o, account):
                return o, secs, cents
        raise RuntimeError(f"no free purchase at {m.name}")

    def _account_on(self, o: int) -> str:
        """The account of a card payment on day `o` (its booking must fall in 2025)."""
        return self._account() if o <= O_END - 6 else CARDS

    def _pick_merchant(self, predicate=None) -> Merchant:
        for _ in range(200):
            m = self.rng.choices(self.card_pool, cum_weights=self.card_cum)[0]
            if predicate is None or predicate(m):
                return m
        pool = [m for m in self.card_pool if predicate(m)] or self.card_pool
        return self.rng.choice(pool)

    # ----------------------------------------------------------------- receipts

    def _shown_name(self, name: str | None, photo: bool) -> str | None:
        rng = self.rng
        if name is None or not photo:
            return name
        if rng.random() < PHOTO_NAME_LOST:
            return None
        return _ocr(rng, name, rng.choice(OCR_RATES)) or None

    def _shown_date(self, o: int, photo: bool) -> str | None:
        if photo:
            r = self.rng.random()
            if r < PHOTO_DATE_LOST:
                return None
            if r < PHOTO_DATE_LOST + PHOTO_DATE_MISREAD:
                return _day(_misread(self.rng, o))
        return _day(o)

    def _receipt(self, clean: dict) -> dict:
        """A receipt as extracted from `clean` (name, day, total, currency,
        photo, doc_type, trade): the noise of the module docstring applied."""
        doc = {
            "id": "",
            "document_type": clean["doc_type"],
            "total": _money(clean["total"]),
            "currency": clean["currency"],
        }
        name = self._shown_name(clean["name"], clean["photo"])
        if name:
            doc["supplier_name"] = name
        shown = self._shown_date(clean["day"], clean["photo"])
        if shown:
            doc["issue_date"] = shown
        if clean["currency"] == "EUR" and self.rng.random() < CANDIDATE_TOTAL:
            rate = _VAT_RATE.get(clean["trade"], 1200)
            doc["candidate_totals"] = [_money(clean["total"] * 1000 // rate)]
        return doc

    def _receipt_doc(self, family: str, m: Merchant, o: int, total: int, tx: dict | None, name):
        clean = {
            "name": name,
            "day": o,
            "total": total,
            "currency": m.currency,
            "photo": m.photo,
            "doc_type": m.doc_type,
            "trade": m.trade,
        }
        index = self._add_doc(self._receipt(clean), family, tx, self._received(o, 4, 45))
        self.receipts.append((index, clean))
        return index

    def _card_family(self, family: str, predicate=None, name_of=None) -> None:
        for _ in range(self.counts[family]):
            m = self._pick_merchant(predicate)
            account = self._account()
            o, secs, cents = self._purchase(m, account)
            tx = self._card(m, cents, o, secs, account)
            name = m.name if name_of is None else name_of(m)
            self._receipt_doc(family, m, o, cents, tx, name)

    def card_families(self) -> None:
        self._card_family("card_receipt")
        self._card_family("card_truncated", lambda m: m.prefixed or m.truncated)
        self._card_family("card_ocr_name", name_of=lambda m: _damage(self.rng, m.name))
        self._card_family("card_no_name", name_of=lambda m: None)

    def restaurant_tips(self) -> None:
        rng = self.rng
        eating = ("cafe", "lunch", "restaurant", "bar")
        for _ in range(self.counts["restaurant_tip"]):
            m = self._pick_merchant(lambda m: m.trade in eating and m.local)
            account = self._account()
            for _attempt in range(50):
                o, secs, bill = self._purchase(m, account)
                if rng.random() < 0.6:
                    tip = max(1, (bill * rng.randint(5, 15) + 50) // 100)
                else:
                    tip = rng.choice((100, 200, 300, 500) + ((1000,) if bill >= 6000 else ()))
                if self._claim(m, bill + tip, o, account):
                    break
            else:
                raise RuntimeError(f"no free tipped payment at {m.name}")
            tx = self._card(m, bill + tip, o, secs, account)
            self._receipt_doc("restaurant_tip", m, o, bill, tx, m.name)

    def same_price_twins(self) -> None:
        rng = self.rng
        trades = ("cafe", "bakery", "bar")
        for _ in range(self.counts["same_price_twin"]):
            m = self._pick_merchant(lambda m: m.trade in trades)
            account = self._account()
            for _attempt in range(50):
                o, secs, cents = self._purchase(m, account)
                twin = self._pick_merchant(
                    lambda t, m=m: t.trade == m.trade and t.descriptor != m.descriptor
                )
                twin_account = self._account_on(o)
                if self._free(twin, cents, o, twin_account):
                    break
            else:
                raise RuntimeError("no twin found")
            tx = self._card(m, cents, o, secs, account)
            self._card(twin, cents, o, _clock(rng, twin.trade) % 86400, twin_account)
            self._receipt_doc("same_price_twin", m, o, cents, tx, m.name)

    # ----------------------------------------------------------------- trips abroad

    def foreign(self) -> None:
        rng = self.rng
        wanted = ["foreign_receipt"] * self.counts["foreign_receipt"]
        wanted += ["foreign_no_name"] * self.counts["foreign_no_name"]
        rng.shuffle(wanted)
        trips = [self._trip() for _ in range(max(1, math.ceil(len(wanted) / 5)))]
        for i, family in enumerate(wanted):
            trip = trips[i % len(trips)]
            m = rng.choice(trip.merchants)
            account = self._account()
            days = list(range(trip.start, trip.start + trip.nights + 1))
            o, secs, cents = self._purchase(m, account, days)
            tx = self._card(m, cents, o, secs, account)
            name = m.name if family == "foreign_receipt" else None
            self._receipt_doc(family, m, o, cents, tx, name)
        for trip in trips:
            self._trip_extras(trip)

    def _trip(self) -> Trip:
        rng = self.rng
        city = rng.choices(range(len(TRIPS)), TRIP_WEIGHTS)[0]
        start = _next_business(rng.randrange(O_START + 5, O_END - 20))
        return Trip(self.trip_cities[city], start, rng.choice((1, 2, 2, 3, 4)))

    def _trip_extras(self, trip: Trip) -> None:
        """Payments of the trip without receipt: taxis, coffees, the odd shop."""
        rng = self.rng
        for _ in range(trip.nights * 2 + 1):
            m = rng.choice(trip.merchants)
            o = trip.start + rng.randrange(trip.nights + 1)
            secs = _clock(rng, m.trade)
            o, secs = o + secs // 86400, secs % 86400
            cents, account = self._price(m), self._account()
            if self._free(m, cents, o, account):
                self._card(m, cents, o, secs, account)

    # ----------------------------------------------------------------- subscriptions

    def saas(self) -> None:
        """Online subscriptions charged by card every month; `saas_card_invoice`
        of their invoices uploaded."""
        rng = self.rng
        k = self.counts["saas_card_invoice"]
        vendors = list(SAAS[:3]) + rng.sample(SAAS[3:], len(SAAS) - 3)
        charges: list[tuple] = []
        used: dict[str, int] = {}
        i = 0
        while len(charges) < k / 0.85 or i < 3:
            vendor = vendors[i] if i < len(vendors) else rng.choice(SAAS)
            charges += self._subscription(vendor, used, shared=i < 3)
            i += 1
        for charge in rng.sample(charges, k):
            self._saas_invoice(*charge)

    def _subscription(self, vendor: tuple, used: dict, shared: bool) -> list[tuple]:
        rng = self.rng
        brand, legal, descriptor, currency, seat, (lo, hi) = vendor
        seats = 1 if shared else rng.randint(lo, hi)
        if brand in used:
            # Another team's plan at a vendor already paid: a seat count of its own,
            # kept all year, so that no two plans of one vendor ever cost the same.
            used[brand] += 1
            seats, lo, hi = (hi + used[brand],) * 3
        used[brand] = used.get(brand, 0)
        bill_day = rng.randint(1, 28)
        first, last = (1, 12) if rng.random() < 0.75 else sorted(rng.sample(range(1, 13), 2))
        us_vendor = currency == "USD"
        hour = rng.randrange(1 * 3600, 9 * 3600) if us_vendor else rng.randrange(0, 86400)
        out = []
        for month in range(first, last + 1):
            if month > first and rng.random() < 0.08 and hi > lo:
                seats = max(lo, min(hi, seats + rng.choice((-1, 1))))
            o = date(2025, month, bill_day).toordinal()
            out.append(self._charge(brand, legal, descriptor, currency, seats * seat, o, hour))
        return out

    def _charge(self, brand, legal, descriptor, currency, cents, o, secs) -> tuple:
        rng = self.rng
        m = Merchant(
            brand, "online", descriptor.format(n=rng.randrange(10**6, 10**7)), currency=currency
        )
        m.tz_fixed = 0  # charged at a UTC instant
        tx = self._card(m, cents, o, secs, CARDS)
        self.spent_keys.add((m.descriptor, cents, o))
        # The vendor's invoice date: its own calendar day (US vendors: Pacific time).
        issued = o - 1 if currency == "USD" and secs < 8 * 3600 else o
        return (brand, legal, currency, cents, issued, tx)

    def _saas_invoice(self, brand, legal, currency, cents, issued, tx) -> None:
        rng = self.rng
        doc = {"id": "", "document_type": "invoice", "total": _money(cents), "currency": currency}
        doc["supplier_name"] = legal if rng.random() < 0.7 else brand
        doc["issue_date"] = _day(issued)
        doc["invoice_number"] = (
            f"{brand[:2].upper()}{issued % 100000:05d}{rng.randrange(1000, 9999)}"
        )
        if rng.random() < 0.8:
            doc["customer_name"] = ORGANIZATION["name"]
        if currency == "EUR" and rng.random() < 0.4:
            doc["customer_vat"] = ORGANIZATION["vat"]
        self._add_doc(doc, "saas_card_invoice", tx, self._received(issued, 3, 30))

    # ----------------------------------------------------------------- direct debits

    def monthly(self) -> None:
        """Direct-debit contracts: an invoice issued on the vendor's day, its
        debit 5 to 12 days later, every month from December 2024 on."""
        rng = self.rng
        k = self.counts["monthly_invoice"]
        n_vendors = max(2, math.ceil(k / (12 * 0.85)))
        contracts = self._contracts(n_vendors)
        pairs, late = [], []
        for contract in contracts:
            for issue, cents, debit_day in self._schedule(contract):
                if debit_day < O_START:
                    continue  # (debited in December 2024: before the statement)
                tx = self._debit(contract, cents, debit_day, issue) if debit_day <= O_END else None
                (pairs if tx is not None else late).append((contract, issue, cents, tx))
        for contract, issue, cents, tx in rng.sample(pairs, k):
            self._contract_invoice(contract, issue, cents, tx, "monthly_invoice")
        self.monthly_prices = {(c["party"].payee, c["price"]) for c in contracts}
        self.late_monthly = [x for x in late if x[0]["fixed"]]

    def _contracts(self, n: int) -> list[dict]:
        rng = self.rng
        vendors = [v for v in MONTHLY_VENDORS if v[3] == SHARED_MONTHLY_PRICE][:2]
        others = [v for v in MONTHLY_VENDORS if v not in vendors]
        rng.shuffle(others)
        vendors += others
        used_prices: set[tuple[str, int]] = set()
        out = []
        for i in range(n):
            brand, legal, label, price = vendors[i % len(vendors)]
            if i >= len(vendors) or i >= 2 and rng.random() < 0.3:
                price = int(price * rng.uniform(0.6, 1.8))
            while (brand, price) in used_prices:
                price += rng.randrange(100, 900)
            used_prices.add((brand, price))
            party = self._party(brand, legal)
            party.payee = label
            kind = rng.random() if i >= 2 else 0.5  # (the two sharing a price keep it)
            out.append(
                {
                    "party": party,
                    "price": price,
                    "issue_day": rng.randint(1, 26),
                    "offset": rng.randint(5, 12),
                    "fixed": kind < 0.8,
                    "raise": rng.randint(4, 10) if kind < 0.3 else None,
                    "account": MAIN if rng.random() < 0.7 else CARDS,
                    "rum": f"++{rng.randrange(10**9, 10**10)}{rng.choice('ABCDEFGH')}",
                }
            )
        return out

    def _schedule(self, contract: dict):
        """(issue ordinal, amount, debit ordinal) of each month, Dec 2024 - Dec 2025."""
        rng = self.rng
        price = contract["price"]
        for year, month in [(2024, 12)] + [(2025, m) for m in range(1, 13)]:
            issue = date(year, month, contract["issue_day"]).toordinal()
            if year == 2025 and month == contract["raise"]:
                price = int(price * rng.uniform(1.02, 1.06))
            cents = price if contract["fixed"] else int(price * rng.uniform(0.88, 1.15))
            yield issue, cents, self._debit_day(issue, contract["offset"])

    @staticmethod
    def _debit_day(issue: int, offset: int) -> int:
        debit = issue + offset
        if _is_business(debit):
            return debit
        forward, back = _next_business(debit), debit
        while not _is_business(back):
            back -= 1
        return forward if forward - issue <= 12 else back

    def _debit(self, contract: dict, cents: int, o: int, issue: int) -> dict:
        rng = self.rng
        party, rum = contract["party"], contract["rum"]
        contract["last_number"] = party.number(issue)
        r = rng.random()
        if r < 0.5:
            reference = f"{rum} FACT {contract['last_number']}"
        elif r < 0.8:
            reference = f"{rum} ECH {_day(o)[5:7]}/{_day(o)[:4]}"
        else:
            reference = rum
        contract.setdefault("numbers", {})[issue] = contract["last_number"]
        if contract["account"] == MAIN:
            return self._add_tx(
                MAIN,
                -cents,
                f"PRLV SEPA {party.payee}",
                "direct_debit",
                (o, -1),
                reference=reference,
            )
        when = _paris_to_utc(o, rng.randrange(3 * 3600, 7 * 3600))
        return self._add_tx(CARDS, -cents, party.payee, "direct_debit", when, reference=reference)

    def _contract_invoice(self, contract, issue, cents, tx, family) -> None:
        rng = self.rng
        party = contract["party"]
        number = contract.get("numbers", {}).get(issue) or party.number(issue)
        doc = self._invoice_doc(party, issue, cents, number, scanned=False)
        doc["due_date"] = _day(issue + contract["offset"])
        self._add_doc(doc, family, tx, self._received(issue, 2 + rng.random() * 4, 20))

    def _invoice_doc(
        self, party: Party, issue: int, cents: int, number: str, scanned: bool
    ) -> dict:
        """A purchase invoice as extracted (PDF, or a scan with light noise)."""
        rng = self.rng
        name = party.legal if rng.random() < 0.7 else party.name
        doc = {"id": "", "document_type": "invoice", "total": _money(cents), "currency": "EUR"}
        doc["supplier_name"] = _ocr(rng, name, 0.01) if scanned else name
        if party.vat and rng.random() < 0.7:
            doc["supplier_vat"] = party.vat
        if rng.random() < 0.5:
            doc["supplier_iban"] = party.iban
        if rng.random() < 0.8:
            doc["customer_name"] = ORGANIZATION["name"]
        if rng.random() < 0.4:
            doc["customer_vat"] = ORGANIZATION["vat"]
        doc["issue_date"] = _day(issue)
        if rng.random() < 0.97:
            doc["invoice_number"] = number
        return doc

    # ----------------------------------------------------------------- transfers

    def supplier_invoices(self) -> None:
        """Supplier invoices paid by transfer; `supplier_transfer` of them uploaded."""
        rng = self.rng
        k = self.counts["supplier_transfer"]
        events: list[tuple] = []
        cum = _cumulative([p.weight for p in self.suppliers])
        while len(events) < k / 0.75 + 1:
            party = rng.choices(self.suppliers, cum_weights=cum)[0]
            events += self._supplier_events(party)
        for event in rng.sample(events, k):
            party, issue, cents, number, due, tx = event
            doc = self._invoice_doc(party, issue, cents, number, scanned=rng.random() < 0.08)
            if due is not None:
                doc["due_date"] = _day(due)
            self._add_doc(doc, "supplier_transfer", tx, self._received(issue, 3, 15))

    def _supplier_events(self, party: Party) -> list[tuple]:
        """One invoice of `party`, or a retainer's year of monthly invoices, each
        with its transfer when it is paid within the statement."""
        rng = self.rng
        if party.retainer and not party.scheduled:
            party.scheduled = True
            amount = int(round(party.median * rng.uniform(0.8, 1.2))) * 100
            issues = [_next_business(date(2025, m, 1).toordinal() - 1) for m in range(1, 13)]
            amounts, spread, fixed_terms = [amount] * 12, 3, 30
        else:
            issues = [rng.randrange(O_START - 45, O_END - 5)]
            amounts = [_lognormal(rng, party.median, party.sigma, 40, 40000)]
            spread, fixed_terms = 6, None
        out = []
        for issue, cents in zip(issues, amounts, strict=True):
            terms = fixed_terms or rng.choices((0, 30, 45, 60), (20, 50, 20, 10))[0]
            due = issue + terms if terms else None
            pay = _next_business(max(issue, (due or issue + 3) + int(rng.gauss(0, spread))))
            if not O_START <= pay <= O_END:
                continue
            number = party.number(issue)
            tx = self._supplier_transfer(party, -cents, pay, number)
            out.append((party, issue, cents, number, due, tx))
        return out

    def _supplier_transfer(self, party: Party, cents: int, o: int, number: str | None) -> dict:
        rng = self.rng
        r = rng.random()
        if number and r < 0.25:
            reference = number
        elif number and r < 0.5:
            reference = f"FACT {number}"
        elif number and r < 0.65:
            reference = f"Facture {number} Lumen"
        elif r < 0.85:
            reference = rng.choice(("REGLEMENT", "Facture", "PAIEMENT FOURNISSEUR", "ACOMPTE"))
            reference += f" {_MONTHS_FR[_month_of(o) - 1]}" if rng.random() < 0.5 else ""
        else:
            reference = None
        return self._transfer(party, cents, o, reference)

    def _transfer(self, party: Party, cents: int, o: int, reference: str | None, op=None) -> dict:
        """A transfer to (negative) or from (positive) `party`."""
        op = op or ("transfer" if cents < 0 else "income")
        if self.rng.random() < 0.7 or cents > 0:
            return self._add_tx(
                MAIN, cents, f"VIR SEPA {party.payee.upper()}", op, (o, -1),
                reference=reference, counterparty_iban=party.iban,
            )  # fmt: skip
        when = _paris_to_utc(o, self.rng.randrange(8 * 3600, 18 * 3600))
        return self._add_tx(
            CARDS, cents, party.payee, op, when, reference=reference, counterparty_iban=party.iban
        )

    def sales(self) -> None:
        """Invoices the studio issued; three in four paid within the statement."""
        rng = self.rng
        cum = _cumulative([c.weight for c in self.customers])
        k = self.counts["sales_invoice"]
        self.sales_top = 3 * k + 60
        numbers = sorted(rng.sample(range(1, self.sales_top), k))
        self.used_sales_numbers.update(numbers)
        issues = sorted(rng.randrange(O_START - 30, O_END + 1) for _ in numbers)
        for number, issue in zip(numbers, issues, strict=True):
            customer = rng.choices(self.customers, cum_weights=cum)[0]
            cents = _lognormal(rng, customer.median, 0.9, 60, 60000)
            ref = f"FA-{date.fromordinal(issue).year}-{number:04d}"
            doc = {"id": "", "document_type": "invoice", "total": _money(cents), "currency": "EUR"}
            doc["supplier_name"] = rng.choice((ORGANIZATION["name"], ORG_TRADE_NAME))
            if rng.random() < 0.8:
                doc["supplier_vat"] = ORGANIZATION["vat"]
            if rng.random() < 0.7:
                doc["supplier_iban"] = ORGANIZATION["ibans"][0]
            doc["customer_name"] = customer.legal
            if customer.vat and rng.random() < 0.7:
                doc["customer_vat"] = customer.vat
            doc |= {"issue_date": _day(issue), "due_date": _day(issue + 30), "invoice_number": ref}
            self._add_doc(doc, "sales_invoice", None, self._received(issue, 1, 10))
            pay = _next_business(issue + max(0, int(rng.gauss(32, 12))))
            if rng.random() < 0.75 and O_START <= pay <= O_END:
                reference = ref if rng.random() < 0.5 else f"FACTURE {ref}"
                if rng.random() < 0.3:
                    reference = f"PAIEMENT FOURNISSEUR {rng.randrange(10000, 99999)}"
                self._transfer(customer, cents, pay, reference)

    # ----------------------------------------------------------------- refunds

    def refunds(self) -> None:
        rng = self.rng
        shops = (
            "grocery",
            "hardware",
            "office",
            "electronics",
            "online",
            "train",
            "hotel",
            "art_supplies",
        )
        for _ in range(self.counts["refund"]):
            if rng.random() < 0.7:
                self._card_refund(self._pick_merchant(lambda m: m.trade in shops))
            else:
                self._supplier_refund(rng.choice(self.suppliers))

    def _card_refund(self, m: Merchant) -> None:
        rng = self.rng
        account = self._account()
        for _ in range(60):
            o = rng.randrange(O_START + 1, O_END - 40)
            paid = max(500, self._price(m))
            back = paid if rng.random() < 0.6 else max(100, int(paid * rng.uniform(0.1, 0.9)))
            noted = o + rng.randint(1, 20)
            refunded = noted + rng.randint(0, 5)
            if self._free(m, paid, o, account) and self._claim(m, -back, refunded, account):
                break
        else:
            raise RuntimeError(f"no free refund at {m.name}")
        self._card(m, paid, o, _clock(rng, m.trade) % 86400, account)
        tx = self._card(m, back, refunded, rng.randrange(2 * 3600, 22 * 3600), account, refund=True)
        doc = {
            "id": "",
            "document_type": "credit_note",
            "total": _money(back if rng.random() < 0.5 else -back),
        }
        doc["currency"] = "EUR"
        name = self._shown_name(m.name, m.photo)
        if name:
            doc["supplier_name"] = name
        doc["issue_date"] = _day(noted)
        if rng.random() < 0.5:
            doc["invoice_number"] = f"AV{rng.randrange(10**6, 10**7)}"
        self._add_doc(doc, "refund", tx, self._received(noted, 4, 30))

    def _supplier_refund(self, party: Party) -> None:
        rng = self.rng
        noted = rng.randrange(O_START, O_END - 35)
        cents = _lognormal(rng, party.median * 0.3, 0.8, 20, 5000)
        number = f"AV-{party.number(noted)}"
        reference = f"AVOIR {number}" if rng.random() < 0.6 else "REMBOURSEMENT"
        tx = self._transfer(party, cents, _next_business(noted + rng.randint(5, 30)), reference)
        doc = self._invoice_doc(party, noted, cents, number, scanned=False)
        doc["document_type"] = "credit_note"
        doc["total"] = _money(cents if rng.random() < 0.5 else -cents)
        self._add_doc(doc, "refund", tx, self._received(noted, 3, 20))

    # ----------------------------------------------------------------- no payment

    def unpaid(self) -> None:
        rng = self.rng
        for _ in range(self.counts["paid_personally"]):
            m = self._pick_merchant(lambda m: m.trade not in ("online",))
            o, _secs, cents = self._purchase(m, None)
            self.personal_totals.add(cents)
            self._receipt_doc("paid_personally", m, o, cents, None, m.name)
        for _ in range(self.counts["cash_receipt"]):
            if rng.random() < 0.4:
                m = rng.choice(self.markets)
            else:
                m = self._pick_merchant(lambda m: m.trade in ("cafe", "bakery", "taxi", "lunch"))
            o, _secs, cents = self._purchase(m, None)
            self._receipt_doc("cash_receipt", m, o, cents, None, m.name)
        for _ in range(self.counts["outside_statement"]):
            self._outside()

    def _outside(self) -> None:
        rng = self.rng
        r = rng.random()
        if r < 0.3 and self.late_monthly:
            contract, issue, cents, _tx = self.late_monthly.pop(
                rng.randrange(len(self.late_monthly))
            )
            self._contract_invoice(contract, issue, cents, None, "outside_statement")
        elif r < 0.7:
            party = rng.choice(self.suppliers)
            issue = rng.randrange(O_END - 25, O_END + 1)
            cents = _lognormal(rng, party.median, party.sigma, 40, 40000)
            doc = self._invoice_doc(party, issue, cents, party.number(issue), scanned=False)
            doc["due_date"] = _day(issue + rng.choice((30, 45, 60)))
            self._add_doc(doc, "outside_statement", None, self._received(issue, 3, 15))
        else:
            m = self._pick_merchant()
            o = rng.randrange(O_START - 31, O_START - 4)
            cents = self._price(m)
            clean = {"name": m.name, "day": o, "total": cents, "currency": "EUR"}
            clean |= {"photo": m.photo, "doc_type": m.doc_type, "trade": m.trade}
            index = self._add_doc(
                self._receipt(clean),
                "outside_statement",
                None,
                (O_START + rng.randrange(2, 20), 40000),
            )
            self.receipts.append((index, clean))

    def duplicates(self) -> None:
        rng = self.rng
        originals = [r for r in self.receipts if self.doc_family[r[0]] != "outside_statement"]
        for _ in range(self.counts["duplicate"]):
            index, clean = rng.choice(originals)
            first = self.docs[index]
            o, secs, _ = self.doc_order[index]
            if rng.random() < 0.5:
                copy = dict(first)
                copy.pop("received_at")
                checksum = copy.pop("checksum")
                n = self._add_doc(copy, "duplicate", None, (o, secs + rng.randint(2, 900)))
                self.docs[n]["checksum"] = checksum
            else:
                later = (o + rng.randint(0, 20), secs + rng.randint(3600, 12 * 3600))
                self._add_doc(self._receipt(clean), "duplicate", None, later)

    # ----------------------------------------------------------------- noise lines

    def noise(self) -> None:
        room = self.n_txs - len(self.txs)
        if room < 0:
            raise ValueError(
                f"{self.n_txs} transactions cannot hold the {len(self.txs)} lines that "
                f"{self.n_docs} documents imply; ask for more transactions"
            )
        counts = {name: int(room * share) for name, share in NOISE_SHARES.items()}
        counts["internal_transfer"] -= counts["internal_transfer"] % 2
        self.staff = [self._person() for _ in range(max(3, counts["payroll"] // 12))]
        for name, n in counts.items():
            getattr(self, f"_noise_{name}")(n)
        self._noise_card_spend(self.n_txs - len(self.txs))

    def _noise_customer_income(self, n: int) -> None:
        rng = self.rng
        cum = _cumulative([c.weight for c in self.customers])
        for _ in range(n):
            o = _next_business(self._pick_day())
            if o > O_END:
                o = O_END - 1
            r = rng.random()
            if r < 0.55:
                customer = rng.choices(self.customers, cum_weights=cum)[0]
                cents = _lognormal(rng, customer.median, 0.9, 60, 60000)
                number = rng.randrange(1, self.sales_top + 100)
                while number in self.used_sales_numbers:
                    number += 1
                reference = rng.choice(
                    (f"FA-2025-{number:04d}", f"FACTURE FA-2025-{number:04d}", "VIREMENT", None)
                )
                self._transfer(customer, cents, o, reference)
            elif r < 0.8:
                cents = _lognormal(rng, 900, 0.8, 20, 20000)
                self._add_tx(
                    MAIN,
                    cents,
                    "STRIPE",
                    "income",
                    (o, -1),
                    reference=f"STRIPE PAYOUT po_{rng.getrandbits(40):010x}",
                )
            elif r < 0.92:
                cents = _lognormal(rng, 450, 0.7, 10, 8000)
                self._add_tx(
                    MAIN,
                    cents,
                    "REMISE CB",
                    "income",
                    (o, -1),
                    reference=f"REMISE {rng.randrange(100000, 999999)}",
                )
            else:
                cents = _lognormal(rng, 300, 0.8, 10, 8000)
                when = _paris_to_utc(o, rng.randrange(3 * 3600, 8 * 3600))
                self._add_tx(
                    CARDS, cents, "SUMUP PAYMENTS LIMITED", "income", when, reference="SUMUP PAYOUT"
                )

    def _noise_payroll(self, n: int) -> None:
        rng = self.rng
        lines = 0
        for month in range(1, 13):
            o = date(2025, month, 28).toordinal()
            while not _is_business(o):
                o -= 1
            for person in self.staff:
                if lines == n:
                    return
                cents = int(person.median * rng.uniform(0.97, 1.03) * 100)
                if month == 12:
                    cents = cents * 2 if rng.random() < 0.3 else cents
                reference = f"SALAIRE {_MONTHS_FR[month - 1]} 2025"
                self._add_tx(
                    MAIN, -cents, f"VIR SEPA {person.payee}", "transfer", (o, -1),
                    reference=reference, counterparty_iban=person.iban,
                )  # fmt: skip
                lines += 1
        for _ in range(n - lines):  # more lines than staff x months: bonuses
            person = rng.choice(self.staff)
            cents = int(person.median * rng.uniform(0.1, 0.5) * 100)
            o = _next_business(self._pick_day())
            self._transfer(person, -min(cents, 999_999_99), min(o, O_END), "PRIME")

    def _noise_supplier_payment(self, n: int) -> None:
        rng = self.rng
        cum = _cumulative([p.weight for p in self.suppliers])
        for _ in range(n):
            party = rng.choices(self.suppliers, cum_weights=cum)[0]
            o = min(O_END, _next_business(self._pick_day()))
            cents = _lognormal(rng, party.median, party.sigma, 40, 40000)
            self._supplier_transfer(party, -cents, o, party.number(o - 30))

    _TAXES = (
        ("URSSAF PAYS DE LA LOIRE", 15, 0.9),
        ("DGFIP TVA", 24, 0.5),
        ("MALAKOFF HUMANIS", 5, 0.2),
        ("ALAN SA", 5, 0.08),
        ("ECHEANCE PRET PRO 0045112", 10, 0.06),
        ("AG2R LA MONDIALE", 8, 0.1),
        ("DGFIP IMPOT SOCIETES", 15, 0.4),
        ("KLESIA PREVOYANCE", 20, 0.05),
    )
    # Creditors of contracts whose invoices are never uploaded (phone lines,
    # company cars, fuel cards, tolls, small leases).
    _UNINVOICED = tuple(v[2] for v in MONTHLY_VENDORS) + (
        "DIAC LOCATION", "ALD AUTOMOTIVE", "TOTALENERGIES MARKETING FRANCE", "ULYS",
        "LOCAM", "FRANFINANCE", "DOCAPOSTE", "YOUSIGN", "EKWATEUR", "SWISSLIFE",
    )  # fmt: skip

    def _noise_direct_debit(self, n: int) -> None:
        """Taxes and social charges every month, then contracts without uploads."""
        rng = self.rng
        scale = len(self.staff) * 230000
        made = 0
        for month in range(1, 13):
            for label, day, factor in self._TAXES:
                if made == n:
                    return
                o = min(O_END, _next_business(date(2025, month, day).toordinal()))
                spread = 1.0 if "PRET" in label else rng.uniform(0.9, 1.1)
                cents = -max(100, int(scale * factor * spread))
                reference = f"{label.split()[0]} {month:02d}/2025"
                self._add_tx(
                    MAIN, cents, f"PRLV SEPA {label}", "direct_debit", (o, -1), reference=reference
                )
                made += 1
        while made < n:
            made += self._uninvoiced_contract(n - made)

    def _uninvoiced_contract(self, most: int) -> int:
        rng = self.rng
        label = rng.choice(self._UNINVOICED)
        price = _lognormal(rng, 80, 0.8, 9.99, 2000)
        while (label, price) in self.monthly_prices:
            price += 1
        day, first = rng.randint(1, 28), rng.randint(1, 12)
        reference = f"++{rng.randrange(10**9, 10**10)}"
        made = 0
        for month in range(first, 13):
            if made == most:
                break
            o = _next_business(date(2025, month, day).toordinal())
            if o > O_END:
                break
            self._add_tx(
                MAIN, -price, f"PRLV SEPA {label}", "direct_debit", (o, -1), reference=reference
            )
            made += 1
        return made

    def _noise_expense_reimbursement(self, n: int) -> None:
        rng = self.rng
        for _ in range(n):
            person = rng.choice(self.staff)
            o = min(O_END, _next_business(self._pick_day()))
            km = int(rng.uniform(20, 600) * 636 / 10)
            meals = sum(rng.choice((1290, 1590, 2240, 3100)) for _ in range(rng.randint(1, 4)))
            cents = km + meals
            while cents in self.personal_totals:
                cents += 1  # never one receipt's amount
            month = _MONTHS_FR[(_month_of(o) - 2) % 12]
            self._transfer(person, -cents, o, f"NOTE DE FRAIS {month}")

    def _noise_bank_fee(self, n: int) -> None:
        rng = self.rng
        fees = (
            ("FRAIS TENUE DE COMPTE", 2850),
            ("COTISATION OFFRE PRO", 4200),
            ("COMMISSION INTERVENTION", 800),
            ("FRAIS VIREMENT INSTANTANE", 90),
            ("", 250),
        )
        for i in range(n):
            label, cents = fees[i % len(fees)]
            o = _next_business(
                date(2025, (i // len(fees)) % 12 + 1, rng.randint(1, 28)).toordinal()
            )
            if i % 4 == 3:
                when = _paris_to_utc(min(o, O_END), 4 * 3600)
                self._add_tx(
                    CARDS, -rng.choice((900, 2900, 500)), "QONTO" if label else "", "transfer", when
                )
            else:
                self._add_tx(MAIN, -cents, label, "transfer", (min(o, O_END), -1))

    def _noise_internal_transfer(self, n: int) -> None:
        rng = self.rng
        for _ in range(n // 2):
            o = min(O_END, _next_business(self._pick_day()))
            src, dst = rng.choice(((MAIN, CARDS), (MAIN, RESERVE), (RESERVE, MAIN), (CARDS, MAIN)))
            cents = rng.choice((100000, 200000, 500000, 1000000, 300000)) + rng.choice(
                (0, 0, 50000)
            )
            for account, sign, other in ((src, -1, dst), (dst, 1, src)):
                label = (
                    f"VIR SEPA {_ascii_upper(ORGANIZATION['name'])}"
                    if account != CARDS
                    else ORGANIZATION["name"]
                )
                op = "transfer" if sign < 0 else "income"
                when = (o, -1) if account != CARDS else _paris_to_utc(o, 10 * 3600)
                self._add_tx(
                    account,
                    sign * cents,
                    label,
                    op,
                    when,
                    reference="VIREMENT INTERNE",
                    counterparty_iban=ACCOUNT_IBAN[other],
                )

    def _noise_cash_withdrawal(self, n: int) -> None:
        rng = self.rng
        for _ in range(n):
            o = self._pick_day()
            place = _ascii_upper(rng.choice(PLACES))
            account = self._account_on(o)
            cents = -rng.choice((2000, 4000, 5000, 6000, 10000, 20000, 30000))
            if account == MAIN:
                self._add_tx(
                    MAIN, cents, f"RETRAIT DAB NANTES {place}", "card", (_next_business(o + 1), -1)
                )
            else:
                self._add_tx(
                    CARDS,
                    cents,
                    f"Retrait DAB Nantes {place.title()}",
                    "card",
                    _paris_to_utc(o, rng.randrange(9 * 3600, 20 * 3600)),
                )

    def _noise_card_refund(self, n: int) -> None:
        rng = self.rng
        shops = ("grocery", "hardware", "office", "electronics", "online", "train")
        for _ in range(n):
            m = self._pick_merchant(lambda m: m.trade in shops)
            o = self._pick_day()
            account = self._account_on(o)
            cents = max(100, self._price(m))
            while not self._free(m, -cents, o, account):
                cents += 1
            self._card(m, cents, o, rng.randrange(3 * 3600, 22 * 3600), account, refund=True)

    def _noise_card_spend(self, n: int) -> None:
        """The card spend without receipt: the same merchants, the same habits."""
        rng = self.rng
        merchants = rng.choices(self.card_pool, cum_weights=self.card_cum, k=n)
        days = rng.choices(self.days, cum_weights=self.day_cum, k=n)
        for m, o in zip(merchants, days, strict=True):
            secs = _clock(rng, m.trade)
            o, secs = min(O_END, o + secs // 86400), max(secs % 86400, 3 * 3600 * (o == O_START))
            account = self._account_on(o)
            for _ in range(8):
                cents = self._price(m)
                if self._free(m, cents, o, account):
                    break
            else:
                cents = 0
                while not cents or not self._free(m, cents, o, account):
                    cents = self._price(m) + rng.randrange(1, 99)
            self._card(m, cents, o, secs, account, attached=rng.random() < 0.01)

    # ----------------------------------------------------------------- build

    def build(self, dataset_class):
        self.monthly()
        self.saas()
        self.supplier_invoices()
        self.sales()
        self.refunds()
        self.card_families()
        self.restaurant_tips()
        self.same_price_twins()
        self.foreign()
        self.unpaid()
        self.duplicates()
        self.noise()
        return self._dataset(dataset_class)

    def _dataset(self, dataset_class):
        tx_rank = sorted(range(len(self.txs)), key=self.tx_order.__getitem__)
        for n, i in enumerate(tx_rank, 1):
            self.txs[i]["id"] = f"tx-{n:06d}"
        doc_rank = sorted(range(len(self.docs)), key=self.doc_order.__getitem__)
        documents, truth, family, sales = [], {}, {}, set()
        for n, i in enumerate(doc_rank, 1):
            doc = self.docs[i]
            doc["id"] = f"doc-{n:05d}"
            documents.append(doc)
            paid = self.doc_truth[i]
            truth[doc["id"]] = paid["id"] if paid is not None else None
            family[doc["id"]] = self.doc_family[i]
            if self.doc_family[i] == "sales_invoice":
                sales.add(doc["id"])
        transactions = [self.txs[i] for i in tx_rank]
        return dataset_class(
            organization={**ORGANIZATION, "ibans": list(ORGANIZATION["ibans"])},
            transactions=transactions,
            documents=documents,
            truth=truth,
            sales_ids=sales,
            family=family,
        )


class BriefGenerator:
    """A rich history of `documents` documents and `transactions` statement
    lines (see the module docstring); the same bytes for the same seed."""

    def __init__(self, documents: int, transactions: int, seed: int):
        self.documents = documents
        self.transactions = transactions
        self.seed = seed

    def build(self):
        from bench.matching import Dataset

        return _World(self.documents, self.transactions, self.seed).build(Dataset)
