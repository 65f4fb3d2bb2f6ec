"""A German installer's year: a matching benchmark written apart from the engine.

The company is Brenner & Vogt Haustechnik GmbH, a heating and plumbing installer
in Fellbach near Stuttgart (about 30 staff at 10,000 documents, a fleet of vans),
with a branch (Zweigniederlassung) in Salzburg and occasional jobs in Basel. The
statement covers the calendar year 2025; holidays are those of Baden-Württemberg
(and of Austria for the Salzburg account); the workshop closes 11-22 August and
22 December - 2 January (only the emergency service buys anything then). Every
name, number and IBAN is invented. Amounts are decimal strings in EUR unless
said otherwise; instants carry their offset.

Accounts
--------
- ksk-giro: the current account at an invented savings bank (Kreissparkasse
  Rems-Neckar), exported as German banks do from MT940/CAMT: the counterparty is
  the name as the other bank (or our online banking) has it, cut at 27
  characters; the reference starts with the booking type (SEPA-Überweisung,
  SEPA-Lastschrift, Dauerauftrag, Gutschrift, Kartenzahlung girocard,
  Kartenzahlung VISA Debit, Auslandsüberweisung, Bargeldauszahlung, Abschluss)
  followed by the SEPA tags EREF+, MREF+, CRED+, SVWZ+, ABWA+. Lines carry the
  booking day only (midnight, local offset): card payments are booked one to two
  bank days after the purchase, whose time is in the text (girocard:
  `2025-03-04T12:31:08 Debitk.1 2027-12`; VISA Debit: `04.03 12:31`).
- vb-salzburg: the branch's account at an invented Austrian Volksbank, EUR.
  Full counterparty names with umlauts, booking and value day, Austrian texts
  (`Bezahlung Karte MC/... POS 12,30 AT K2 04.03. 07:41 ...`, `Zahlungsreferenz`),
  Austrian suppliers with ATU VAT ids and AT IBANs.
- kontor-cards: a neo-bank business account with one debit card per employee:
  card lines carry the exact purchase instant in UTC and the settlement instant
  one to three days later, a merchant descriptor of at most 22 characters, often
  behind a payment facilitator (`SUMUP *`, `ZETTLE_*`, `SQ *`, `PAYPAL *`); card
  payments in CHF, GBP and USD carry local_amount/local_currency, the EUR amount
  being converted at the day's rate (plus a 1% fee on some).

Families
--------
Share of the documents at the default mix; truth is the transaction that paid
the document, or None as said.

Kassenbons (receipts) paid by card, truth the card payment:
- `bakery_receipt` (9%): Bäckerei breakfast runs. The Kassenbon shows the
  trading name (Backhaus Maier), the bank the terminal's name (often the legal
  one: MAIER BACKWAREN GMBH) or a facilitator descriptor.
- `fuel_receipt` (13%): diesel for the vans; the receipt names the station
  (brand and town) or its tenant operator, the bank the brand's terminal or the
  operating company.
- `trade_counter_receipt` (9%): counter sales at the wholesalers' Abholmarkt
  and at DIY stores, mostly girocard on ksk-giro.
- `restaurant_tip` (6%): Bewirtung; the card payment includes the tip added on
  the terminal: rounded up to a round sum (47,30 -> 50,00) or +5-10% rounded to
  the euro, sometimes none. The extracted total is mostly the bill before the
  tip; some documents (card slip stapled) show the tipped total with the bill in
  candidate_totals, some the bill with the tipped sum in candidate_totals.
- `parking_receipt` (3.5%): car parks and a parking app.
- `car_wash_receipt` (1.5%): van washes.
- `taxi_tip` (0.8%): taxis in Stuttgart, Basel (CHF) and Birmingham (GBP); the
  card payment includes the tip, the receipt (hand written by the driver) shows
  either the fare or the fare with the tip.

Supplier invoices paid by transfer from ksk-giro on the Tuesday/Friday payment
run, remittance in SVWZ+:
- `wholesale_skonto` (7%): Sanitär-Großhandel invoices (per delivery, or one
  Monatsrechnung) paid within the Skonto period (2% or 3% within 10 or 14
  days): the transfer is the total minus the Skonto, rounded to the cent; some
  suppliers print the Skonto amount (then in candidate_totals). Truth: that
  transfer.
- `wholesale_full` (5%): the same suppliers' invoices paid in full around the
  due date (30 days, some days late); includes invoices of December 2024 paid in
  January. Truth: that transfer.
- `wholesale_collective` (3%): invoices paid together in one Sammelüberweisung
  (2-6 invoices of one supplier, sometimes with invoices that were never
  uploaded; with or without Skonto; the invoice list in SVWZ cut at 140
  characters). Truth None: no transaction pays the document alone.
- `instalment_invoice` (0.4%): tools and van fittings paid in 3-6 monthly
  instalments (transfer or Dauerauftrag, `Rate 2/4 RE ...`). Truth None: each
  instalment pays a part, none pays the document; the instalments are in the
  statement.

SEPA-Lastschrift and card subscriptions:
- `telecom_dd` (2%): monthly Mobilfunk and Festnetz invoices per contract,
  collected about ten days after the invoice date. Truth: that debit.
- `software_subscription` (2.5%): EUR craft software by direct debit; USD and
  GBP SaaS by Kontor card (document in USD/GBP, the card line in EUR with the
  document's amount as local_amount). Truth: the debit or card payment.
- `van_leasing` (3%): one invoice per van and month, the same rate every month,
  collected on the first bank days of the month with the contract number and
  plate in SVWZ (one lessor collects through its bank: ABWA+ names the lessor).
  Vans of the same model may share a rate. Truth: that month's debit of that van.
- `van_insurance` (0.6%): Kfz-Versicherung per van, annual (January or April)
  or quarterly. Truth: the debit.
- `levies_dd` (0.3%): Berufsgenossenschaft, Handwerkskammer and IHK fees, Innung,
  Rundfunkbeitrag (quarterly, per Betriebsstätte). Truth: the debit.

Marketplace (an invented Amazon-Business-like one, Lagerwelt), Kontor card:
- `marketplace_order` (5%): one invoice per seller and shipment; an order of
  several sellers is charged once per seller, and a partial shipment is charged
  when it ships. The descriptor names the marketplace with a random code,
  never the seller. Truth: the charge of that shipment.
- `marketplace_refund` (0.8%): a seller's credit note (total written positive or
  negative), refunded to the card days later. Truth: the refund credit.

Abroad:
- `swiss_card_receipt` (1.2%): CHF Kassenbons on Basel job days (prices in
  5-Rappen steps, the Autobahnvignette at the border), Kontor card with
  local_amount in CHF. Truth: that card payment.
- `swiss_invoice` (0.4%): CHF invoices of Basel suppliers (CHE VAT id, CH IBAN,
  QR reference), paid by Auslandsüberweisung from ksk-giro in EUR with the CHF
  amount as local_amount; the bank's fee is a separate line. Truth: the transfer
  (never the fee).
- `austria_receipt` (6%): Kassenbons around Salzburg, mostly paid with the
  branch's Bankomat card (vb-salzburg, booked a day or two later), some with
  Kontor cards. Truth: that payment.
- `austria_invoice` (3%): Austrian suppliers (ATU VAT, AT IBAN; 3% Skonto within
  8 days or net 30) paid by transfer from vb-salzburg. Truth: that transfer.

Travel, Kontor card:
- `rail_ticket` (1.5%): online tickets of an invented railway (Fernbahn); the
  invoice is emailed at booking, the card is charged minutes later. Truth: that
  charge.
- `hotel_invoice` (1.4%): the invoice shows the final bill, charged at
  check-out (EUR, CHF or GBP). Some hotels pre-authorise a round deposit at
  check-in that appears as a debit and its reversal (a credit of the same
  amount) at check-out. Truth: the final charge, never the pre-authorisation.

Other documents:
- `sales_invoice` (7%): Ausgangsrechnungen of the company (supplier: the company
  itself, its VAT id and IBAN; customers private, property managers, firms,
  Austrian and Swiss ones). About half are paid in the year by the customer
  (a credit with the invoice number, sometimes less a Skonto or in part). Never
  matched: listed in sales_ids, truth None.
- `paid_cash_or_private` (5%): receipts paid in cash (Barzahlung) or with an
  employee's own card (reimbursed through payroll). Truth None.
- `outside_statement` (0.8%): invoices of late December 2025 due in 2026 (paid
  after the statement), and receipts of December 2024 uploaded in January.
  Truth None.
- `duplicate_upload` (2%): a document uploaded twice: the same file again (same
  checksum) or a second photo (new checksum, new OCR slips). The copy is the
  later upload (received_at after the original's); its truth is None, the
  original keeps its own.

Extraction noise on all documents: names with umlauts lost (Backerei),
transliterated (Baeckerei) or misread (Bäckere1, rn -> m), legal suffixes
(GmbH & Co. KG, e.K., OHG) dropped, upper case, cut to the first words, or
missing (about 5% of receipts); missing dates; DD.MM.YY years misread (2023,
2026, 2028); rare day/month swaps; an OCR slip in a total with the true total in
candidate_totals or not at all.

Noise transactions
------------------
Transactions that pay no document fill the statement to the requested size:
- calendar ones: salaries (last bank days of the month, employees by name,
  Weihnachtsgeld with November's), Finanzamt (Lohnsteuer, Umsatzsteuer-Vorauszahlung,
  Körperschaftsteuer, Gewerbesteuer to the town), health insurers'
  Beitragsnachweise, the hall's rent by Dauerauftrag, electricity and waste
  Abschläge, the fuel card's monthly settlement, bank fees (Abschluss, the
  Kontor plan, the Volksbank's Kontoführung);
- proportional ones: card spend without a receipt at the same merchants as the
  receipt families (3% of those on Kontor already have an attachment), Austrian and
  Swiss card spend, customer payments (Gutschrift), transfers to the same
  wholesalers and Austrian suppliers for invoices never uploaded, marketplace
  charges and refunds without documents, transfers between the company's own
  accounts (both legs), cash withdrawals, and returns at trade counters.
"""

from __future__ import annotations

import random
import re
from bisect import bisect_left
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bench.matching import Dataset

YEAR = 2025
FIRST, LAST = date(YEAR, 1, 1), date(YEAR, 12, 31)

# Share of the documents per family (normalised; each family gets at least one).
SHARES: dict[str, float] = {
    "bakery_receipt": 0.09,
    "fuel_receipt": 0.13,
    "trade_counter_receipt": 0.09,
    "restaurant_tip": 0.06,
    "parking_receipt": 0.035,
    "car_wash_receipt": 0.015,
    "taxi_tip": 0.008,
    "wholesale_skonto": 0.07,
    "wholesale_full": 0.05,
    "wholesale_collective": 0.03,
    "instalment_invoice": 0.004,
    "telecom_dd": 0.02,
    "software_subscription": 0.025,
    "van_leasing": 0.03,
    "van_insurance": 0.006,
    "levies_dd": 0.003,
    "marketplace_order": 0.05,
    "marketplace_refund": 0.008,
    "swiss_card_receipt": 0.012,
    "swiss_invoice": 0.004,
    "austria_receipt": 0.06,
    "austria_invoice": 0.03,
    "rail_ticket": 0.015,
    "hotel_invoice": 0.014,
    "sales_invoice": 0.07,
    "paid_cash_or_private": 0.05,
    "outside_statement": 0.008,
    "duplicate_upload": 0.02,
}

# Families whose truth is always None (the docstring says why).
NO_PAYMENT_FAMILIES = frozenset(
    {
        "wholesale_collective",
        "instalment_invoice",
        "sales_invoice",
        "paid_cash_or_private",
        "outside_statement",
        "duplicate_upload",
    }
)

# Share of the proportional noise transactions (after the calendar ones).
NOISE_SHARES: dict[str, float] = {
    "card_spend": 0.55,
    "austria_card_spend": 0.06,
    "swiss_card_spend": 0.01,
    "customer_payments": 0.13,
    "supplier_transfers": 0.05,
    "marketplace_charges": 0.06,
    "own_transfers": 0.06,
    "cash_withdrawals": 0.02,
    "counter_returns": 0.01,
    "online_card_spend": 0.05,
}

COMPANY = "Brenner & Vogt Haustechnik GmbH"
COMPANY_NAMES = (
    "Brenner & Vogt Haustechnik GmbH",
    "Brenner & Vogt Haustechnik GmbH",
    "Brenner & Vogt GmbH",
    "Brenner u. Vogt Haustechnik",
    "Fa. Brenner & Vogt",
    "BRENNER & VOGT HAUSTECHNIK GMBH",
)
BRANCH = "Brenner & Vogt Haustechnik GmbH Zweigniederlassung Salzburg"
KSK, VB, KONTOR = "ksk-giro", "vb-salzburg", "kontor-cards"


# --------------------------------------------------------------------------
# Calendar


def _easter(year: int) -> date:
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month = (h + ell - 7 * m + 114) // 31
    day = (h + ell - 7 * m + 114) % 31 + 1
    return date(year, month, day)


def _holidays(year: int, country: str) -> set[date]:
    e = _easter(year)
    moving = [e + timedelta(days=n) for n in (1, 39, 50, 60)]
    fixed = [(1, 1), (1, 6), (5, 1), (11, 1), (12, 25), (12, 26)]
    if country == "DE":
        moving.append(e - timedelta(days=2))  # Karfreitag
        fixed.append((10, 3))
    else:
        fixed += [(8, 15), (10, 26), (12, 8)]
    return set(moving) | {date(year, mo, d) for mo, d in fixed}


def _last_sunday(year: int, month: int) -> date:
    d = date(year, month, 31)
    return d - timedelta(days=(d.weekday() + 1) % 7)


class _Calendar:
    """Bank days, the company's working days and the local offset of a day."""

    def __init__(self) -> None:
        start, end = date(YEAR - 1, 11, 1), date(YEAR + 1, 2, 28)
        self.days = [start + timedelta(days=n) for n in range((end - start).days + 1)]
        hol_de = set().union(*(_holidays(y, "DE") for y in (YEAR - 1, YEAR, YEAR + 1)))
        hol_at = set().union(*(_holidays(y, "AT") for y in (YEAR - 1, YEAR, YEAR + 1)))
        closed = {date(y, 12, d) for y in (YEAR - 1, YEAR) for d in (24, 31)}
        good_fridays = {_easter(y) - timedelta(days=2) for y in (YEAR - 1, YEAR, YEAR + 1)}
        shut_de, shut_at = hol_de | closed, hol_at | closed | good_fridays
        self.bank_de = {d for d in self.days if d.weekday() < 5 and d not in shut_de}
        self.bank_at = {d for d in self.days if d.weekday() < 5 and d not in shut_at}
        self._summer = {
            d for d in self.days if d.year == YEAR and d.month == 8 and 11 <= d.day <= 22
        }
        self.dst = {
            y: (_last_sunday(y, 3), _last_sunday(y, 10)) for y in (YEAR - 1, YEAR, YEAR + 1)
        }
        self.work_de, self.work_de_cum = self._weighted(hol_de, "DE")
        self.work_at, self.work_at_cum = self._weighted(hol_at, "AT")
        self.payment_runs = [
            d for d in self.days if d.year == YEAR and d.weekday() in (1, 4) and d in self.bank_de
        ]

    def _weighted(self, holidays: set[date], country: str) -> tuple[list[date], list[float]]:
        season = (1.25, 1.2, 1.1, 1.0, 0.9, 0.85, 0.85, 0.7, 1.0, 1.15, 1.25, 1.1)
        days, cum, total = [], [], 0.0
        for d in self.days:
            if d.year != YEAR:
                continue
            closed = d in holidays or d in self._summer or (d.month == 12 and d.day >= 22)
            closed = closed or (d.month == 1 and d.day <= 2)
            if d.weekday() == 6 or closed:
                weight = 0.08  # the emergency service
            elif d.weekday() == 5:
                weight = 0.2 if country == "DE" else 0.3
            else:
                weight = 1.0
            total += weight * season[d.month - 1]
            days.append(d)
            cum.append(total)
        return days, cum

    def offset(self, day: date) -> int:
        """Hours east of UTC in Germany/Austria/Switzerland on `day` (daytime)."""
        start, end = self.dst[day.year]
        return 2 if start <= day < end else 1

    def bank_day(self, day: date, country: str = "DE", after: int = 0) -> date:
        """The `after`-th bank day after `day` (0: `day` itself or the next one)."""
        open_days = self.bank_de if country == "DE" else self.bank_at
        d = day
        while d not in open_days:
            d += timedelta(days=1)
        for _ in range(after):
            d += timedelta(days=1)
            while d not in open_days:
                d += timedelta(days=1)
        return d

    def booking_day(self, day: date, country: str, n: int) -> date:
        """The day a card payment of `day` is booked: the `n`-th bank day after it
        (0: that day if the bank is open, else the next bank day)."""
        if n == 0:
            return self.bank_day(day, country)
        open_days = self.bank_de if country == "DE" else self.bank_at
        d = day
        while n:
            d += timedelta(days=1)
            n -= d in open_days
        return d

    def run_on_or_after(self, day: date) -> date | None:
        i = bisect_left(self.payment_runs, day)
        return self.payment_runs[i] if i < len(self.payment_runs) else None


def _local_iso(cal: _Calendar, dt: datetime) -> str:
    return f"{dt.isoformat(timespec='seconds')}+0{cal.offset(dt.date())}:00"


def _midnight(cal: _Calendar, day: date) -> str:
    return f"{day.isoformat()}T00:00:00+0{cal.offset(day)}:00"


# --------------------------------------------------------------------------
# Money, identifiers


def _money(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    cents = abs(cents)
    return f"{sign}{cents // 100}.{cents % 100:02d}"


def _de(cents: int) -> str:
    """German notation: 1.234,56."""
    cents = abs(cents)
    return f"{cents // 100:,}".replace(",", ".") + f",{cents % 100:02d}"


def _pct(cents: int, percent: float) -> int:
    return int(cents * percent / 100 + 0.5)


def _log_amount(rng: random.Random, lo: int, hi: int, step: int = 1) -> int:
    value = int(lo * (hi / lo) ** rng.random())
    return max(step, value - value % step)


# Rates of one unit of the currency in EUR: (day of year, rate) anchors.
_RATES = {
    "USD": ((0, 0.965), (90, 0.925), (120, 0.885), (200, 0.855), (365, 0.855)),
    "CHF": ((0, 1.065), (120, 1.070), (250, 1.072), (365, 1.075)),
    "GBP": ((0, 1.200), (120, 1.175), (240, 1.155), (365, 1.145)),
}


class _Rates:
    def __init__(self, rng: random.Random) -> None:
        self.table: dict[str, list[float]] = {}
        for cur, anchors in _RATES.items():
            days = []
            for n in range(400):
                x = min(n, 365)
                for (d0, r0), (d1, r1) in zip(anchors, anchors[1:], strict=False):
                    if d0 <= x <= d1:
                        base = r0 + (r1 - r0) * (x - d0) / (d1 - d0)
                        break
                days.append(round(base * (1 + rng.uniform(-0.004, 0.004)), 4))
            self.table[cur] = days

    def eur(self, cents: int, currency: str, day: date, fee: float = 0.0) -> int:
        n = max(0, (day - FIRST).days)
        return int(cents * self.table[currency][n] * (1 + fee) + 0.5)

    def rate(self, currency: str, day: date) -> float:
        return self.table[currency][max(0, (day - FIRST).days)]


def _iban_check(country: str, bban: str) -> str:
    digits = "".join(str(int(c, 36)) for c in bban + country + "00")
    return f"{country}{98 - int(digits) % 97:02d}{bban}"


def _iban(rng: random.Random, country: str) -> str:
    if country == "DE":
        bban = f"{rng.randrange(10000000, 89999999)}{rng.randrange(10**9, 10**10)}"
    elif country == "AT":
        bban = f"{rng.randrange(15000, 59999)}{rng.randrange(10**10, 10**11)}"
    else:
        bban = f"{rng.randrange(700, 9999):05d}{rng.randrange(10**11, 10**12)}"
    return _iban_check(country, bban)


def _vat_de(rng: random.Random) -> str:
    body = f"{rng.randrange(1, 4)}{rng.randrange(0, 10**7):07d}"
    product = 10
    for ch in body:
        total = (int(ch) + product) % 10 or 10
        product = (2 * total) % 11
    check = 11 - product
    return f"DE{body}{0 if check == 10 else check}"


def _vat_at(rng: random.Random) -> str:
    digits = [rng.randrange(10) for _ in range(7)]
    total = sum(d if i % 2 == 0 else (2 * d) // 10 + (2 * d) % 10 for i, d in enumerate(digits))
    check = (10 - (total + 4) % 10) % 10
    return "ATU" + "".join(map(str, digits)) + str(check)


def _vat_ch(rng: random.Random) -> str:
    while True:
        digits = [rng.randrange(10) for _ in range(8)]
        check = 11 - sum(d * w for d, w in zip(digits, (5, 4, 3, 2, 7, 6, 5, 4), strict=True)) % 11
        if check != 10:
            s = "".join(map(str, digits)) + str(check % 11)
            return f"CHE-{s[:3]}.{s[3:6]}.{s[6:]} MWST"


def _creditor_id(rng: random.Random, country: str) -> str:
    national = f"{rng.randrange(10**10, 10**11)}"
    digits = "".join(str(int(c, 36)) for c in national + country + "00")
    return f"{country}{98 - int(digits) % 97:02d}ZZZ{national}"


def _code(rng: random.Random, n: int) -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(rng.choice(alphabet) for _ in range(n))


# --------------------------------------------------------------------------
# Names: how banks and extractors spell them

_PLAIN = str.maketrans(
    {"ä": "a", "ö": "o", "ü": "u", "Ä": "A", "Ö": "O", "Ü": "U", "ß": "ss", "ı": "i", "ş": "s"}
    | {"ç": "c", "ğ": "g", "Ç": "C", "Ş": "S", "é": "e", "ć": "c", "č": "c", "İ": "I"}
)
_E_FORM = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"}
)
_SUFFIX = re.compile(
    r",?\s+(GmbH & Co\. KG|GmbH|e\.K\.|OHG|KG|AG|eG|UG \(haftungsbeschränkt\)|GbR|Ltd|LLC|Inc\.|OG|S\.à r\.l\.)$"
)
_SLIPS = (
    ("ä", "a"),
    ("ü", "u"),
    ("ö", "o"),
    ("i", "1"),
    ("l", "1"),
    ("e", "c"),
    ("rn", "m"),
    ("o", "0"),
    ("ß", "B"),
    ("h", "b"),
    ("S", "5"),
    ("ei", "el"),
)


def _bank_upper(name: str) -> str:
    """A name as MT940 carries it: upper case, umlauts as AE/OE/UE."""
    return name.translate(_E_FORM).translate(_PLAIN).upper()


def _card_upper(name: str) -> str:
    """A name as card networks carry it: upper case, umlauts dropped."""
    return name.translate(_PLAIN).upper()


def _strip_suffix(name: str) -> str:
    return _SUFFIX.sub("", name)


def _slip(rng: random.Random, name: str) -> str:
    options = [(a, b) for a, b in _SLIPS if a in name]
    if not options:
        return name
    a, b = rng.choice(options)
    at = [m.start() for m in re.finditer(re.escape(a), name)]
    i = rng.choice(at)
    return name[:i] + b + name[i + len(a) :]


def _ocr_name(rng: random.Random, name: str) -> str:
    """The name an extractor reads off a document."""
    r = rng.random()
    if r < 0.56:
        return name
    if r < 0.68:
        return name.translate(_PLAIN)
    if r < 0.75:
        return name.translate(_E_FORM)
    if r < 0.84:
        return _slip(rng, name)
    if r < 0.91:
        return _strip_suffix(name) or name
    if r < 0.95:
        return name.upper()
    words = name.split()
    return " ".join(words[: max(1, min(2, len(words) - 1))])


def _cut(text: str, n: int) -> str:
    return text[:n].rstrip()


# --------------------------------------------------------------------------
# The world's cast

_SURNAMES = (
    "Häußler Kübler Schäfer Bäuerle Nägele Wörner Rühle Frölich Hägele Möhrle Dürr Jäger "
    "Gößwein Kächele Schürle Söhnle Löffler Höfer Maier Kienzle Hezel Scholl Eisele Ziegler "
    "Haug Kurz Wagner Seitz Rapp Pfisterer Dietrich Schmid Kern Steimle Kugler Holzwarth "
    "Layer Bezler Trefz Schweizer Mack Ruoff Laidig Veit Bühler Stäbler"
).split()
_FIRST = (
    "Jürgen Tobias Marcel Sven Dominik Kevin Andreas Stefan Michael Timo Jonas Lukas Florian "
    "Patrick Daniel Sabine Katrin Nadine Julia Ute Mehmet Dragan Luca Piotr Ivan Ömer Emre "
    "Giuseppe Nikola Jörg"
).split()
_TURKISH = ("Yıldız", "Çelik", "Doğan", "Şahin", "Aydın", "Kaya")
_MIGRANT = ("Petrović", "Esposito", "Kowalski", "Horvat", "Russo", "Nowak", "Marić")
_CITIES = (
    "Fellbach Waiblingen Esslingen Stuttgart Ludwigsburg Kornwestheim Remseck Schorndorf "
    "Winnenden Backnang Ostfildern Böblingen Sindelfingen Leonberg Filderstadt Nürtingen "
    "Göppingen Kernen Weinstadt Bietigheim"
).split()
_AT_CITIES = ("Salzburg", "Wals-Siezenheim", "Hallein", "Anif", "Grödig", "Seekirchen", "Bergheim")
_AT_SURNAMES = (
    "Gruber Pichlmayr Höllbacher Eder Wimmer Brandstätter Moser Lechner Aigner Huber".split()
)
_CH_CITIES = ("Basel", "Riehen", "Muttenz", "Pratteln", "Allschwil", "Birsfelden")


@dataclass(frozen=True, slots=True)
class _Merchant:
    kind: str
    shown: tuple[str, str]  # the trading name, the legal name (both may be on the receipt)
    city: str
    terminal: str  # the name the card terminal sends to a girocard/Bankomat acquirer
    desc: str  # the neo-bank's descriptor (<= 22 characters)
    vat: str | None
    country: str = "DE"


def _desc(rng: random.Random, trading: str, legal: str, number: int) -> str:
    small = legal.endswith(("e.K.", "OHG", "GbR")) or "Inh." in legal
    if small and rng.random() < 0.6:
        prefix = rng.choice(("SUMUP *", "SUMUP *", "ZETTLE_*", "SQ *"))
        return _cut(prefix + _card_upper(trading), 22)
    return _cut(f"{_card_upper(trading)} {number}", 22)


def _terminal(rng: random.Random, trading: str, legal: str, number: int) -> str:
    if rng.random() < 0.5:
        return _bank_upper(legal)
    return f"{_bank_upper(trading)} FIL.{number}"


def _merchant(rng: random.Random, kind: str, trading: str, legal: str, city: str) -> _Merchant:
    number = rng.randrange(2, 60)
    vat = _vat_de(rng) if rng.random() < 0.6 else None
    return _Merchant(
        kind,
        (trading, legal),
        city,
        _terminal(rng, trading, legal, number),
        _desc(rng, trading, legal, number),
        vat,
    )


def _bakeries(rng: random.Random) -> list[_Merchant]:
    out = []
    for n in rng.sample(_SURNAMES, 12):
        trading = rng.choice(
            (
                "Bäckerei {}",
                "Backhaus {}",
                "{}s Backstube",
                "Bäckerei-Konditorei {}",
                "Landbäckerei {}",
            )
        ).format(n)
        legal = rng.choice(
            (
                "{} Backwaren GmbH",
                "Bäckerei {} e.K.",
                "{} Brot & Feinbäckerei GmbH & Co. KG",
                "{} Backbetriebe GmbH",
                "Bäckerei {} OHG",
            )
        ).format(n)
        out.append(_merchant(rng, "bakery", trading, legal, rng.choice(_CITIES)))
    return out


_FUEL_BRANDS = (
    ("Südtank", "Südtank Mineralölvertrieb GmbH"),
    ("Tankpunkt", "Tankpunkt Energie GmbH & Co. KG"),
    ("Rems-Energie", "Rems-Energie Tankstellen GmbH"),
    ("Autohof Neckar", "Autohof Neckar Betriebs GmbH"),
)


def _fuel_stations(rng: random.Random) -> list[_Merchant]:
    out = []
    for k in range(14):
        brand, company = _FUEL_BRANDS[k % len(_FUEL_BRANDS)]
        city = rng.choice(_CITIES)
        number = rng.randrange(100, 9999)
        if rng.random() < 0.5:  # a tenant runs the station
            n = rng.choice(_SURNAMES)
            operator = rng.choice(("Tankstelle {} e.K.", "{} Tankstellenbetrieb GmbH")).format(n)
        else:
            operator = company
        trading = rng.choice((f"{brand} Station {city}", f"{brand}-Station {number:04d}", brand))
        terminal = (
            _bank_upper(operator) if rng.random() < 0.5 else f"{_bank_upper(brand)} {number:04d}"
        )
        desc = _cut(f"{_card_upper(brand)} {number:04d} {_card_upper(city)}", 22)
        vat = _vat_de(rng) if rng.random() < 0.7 else None
        out.append(_Merchant("fuel", (trading, operator), city, terminal, desc, vat))
    return out


@dataclass(frozen=True, slots=True)
class _Supplier:
    """A supplier invoicing us (wholesaler, Austrian or Swiss supplier, ...)."""

    legal: str
    short: str  # its name in our payment templates / its trading name
    payee: str  # as typed in our online banking
    iban: str
    vat: str
    number_format: str  # invoice numbers: str.format with n (running) and y (year)
    customer_no: str
    skonto: tuple[float, int]  # (percent, days)
    prints_skonto: bool
    monthly: bool  # one Monatsrechnung a month instead of one invoice per delivery
    country: str = "DE"


_WHOLESALERS = (
    ("Gebr. Heinzelmann Haustechnik-Großhandel GmbH & Co. KG", "Heinzelmann"),
    ("SHK-Großhandel Rems-Murr GmbH", "SHK Rems-Murr"),
    ("Kessler + Söhne Sanitärbedarf OHG", "Kessler + Söhne"),
    ("Tegernau Installationstechnik GmbH", "Tegernau"),
    ("Wärmetechnik Süd Vertriebs-GmbH", "Wärmetechnik Süd"),
)
_NUMBER_FORMATS = ("RE-{y}-{n:06d}", "{n:08d}", "VR {n:07d}", "{y}/{n:05d}", "R{n:07d}")


def _wholesalers(rng: random.Random) -> list[_Supplier]:
    out = []
    for k, (legal, short) in enumerate(_WHOLESALERS):
        payee = rng.choice((legal, short + " GmbH", _bank_upper(short), legal.split(" GmbH")[0]))
        out.append(
            _Supplier(
                legal=legal,
                short=short,
                payee=payee,
                iban=_iban(rng, "DE"),
                vat=_vat_de(rng),
                number_format=_NUMBER_FORMATS[k],
                customer_no=str(rng.randrange(10000, 99999)),
                skonto=rng.choice(((2.0, 10), (2.0, 10), (3.0, 10), (2.0, 14))),
                prints_skonto=k % 2 == 0,
                monthly=k == 4,
            )
        )
    return out


def _counters(rng: random.Random, wholesalers: list[_Supplier]) -> list[_Merchant]:
    out = []
    for s in wholesalers:
        city = rng.choice(_CITIES)
        trading = f"{s.short} Abholmarkt {city}"
        out.append(
            _Merchant(
                "counter",
                (trading, s.legal),
                city,
                _bank_upper(s.legal),
                _cut(_card_upper(s.short) + " ABHOLMARKT", 22),
                s.vat,
            )
        )
    stores = (
        ("Werkhof Baumarkt {c}", "Werkhof Bau- und Heimwerkermärkte GmbH"),
        ("Bauwelt Kögel", "Kögel Baustoffe GmbH & Co. KG"),
        ("Eisenwaren Haug", "Haug Eisenwaren e.K."),
        ("Werkhof Baumarkt {c}", "Werkhof Bau- und Heimwerkermärkte GmbH"),
        ("Schrauben-Rapp", "Rapp Befestigungstechnik GmbH"),
    )
    for trading, legal in stores:
        city = rng.choice(_CITIES)
        out.append(_merchant(rng, "counter", trading.format(c=city), legal, city))
    return out


def _restaurants(rng: random.Random) -> list[_Merchant]:
    out = []
    for sign in ("Ochsen", "Hirsch", "Adler", "Lamm", "Krone", "Rössle"):
        n, f = rng.choice(_SURNAMES), rng.choice(_FIRST)
        trading = rng.choice(("Gasthaus {}", "Landgasthof {}", "Gasthof zum {}")).format(sign)
        out.append(
            _merchant(rng, "restaurant", trading, f"{trading} Inh. {f} {n}", rng.choice(_CITIES))
        )
    extra = (
        ("Trattoria da Enzo", "Enzo Russo Gastronomie UG (haftungsbeschränkt)"),
        ("Ristorante Bella Napoli", "Esposito & Marić GbR"),
        ("Asia Wok", "Nguyen & Tran GbR"),
        ("Metzgerei Pfisterer Mittagstisch", "Metzgerei Pfisterer GmbH"),
        ("Maultaschen Mobil", "Maultaschen Mobil Schmid OHG"),
        ("Kantine Gewerbepark", "Gewerbepark Catering GmbH"),
        ("Döner Palast", "Çelik Gastronomie e.K."),
    )
    for trading, legal in extra:
        out.append(_merchant(rng, "restaurant", trading, legal, rng.choice(_CITIES)))
    return out


def _parkings(rng: random.Random) -> list[_Merchant]:
    out = []
    for k in range(8):
        city = rng.choice(_CITIES)
        trading = f"Parkhaus {rng.choice(('Marktplatz', 'Bahnhof', 'Rathaus', 'Klinikum'))} {city}"
        legal = "Parkraum Neckar GmbH" if k % 2 else f"Stadtwerke {city} GmbH"
        out.append(_merchant(rng, "parking", trading, legal, city))
    for city in rng.sample(_CITIES, 3):
        out.append(
            _Merchant(
                "parking",
                (f"Parkline {city}", "Parkline Mobility GmbH"),
                city,
                "PARKLINE MOBILITY GMBH",
                _cut(f"PARKLINE*{_card_upper(city)}", 22),
                None,
            )
        )
    return out


def _car_washes(rng: random.Random) -> list[_Merchant]:
    out = []
    for k in range(5):
        city = rng.choice(_CITIES)
        n = rng.choice(_SURNAMES)
        trading, legal = (
            (f"Glanzwerk Waschpark {city}", "Glanzwerk Autopflege GmbH"),
            (f"Waschstraße {n}", f"{n} Autowaschanlagen GmbH"),
            ("SB-Waschpark Rems", "Rems Waschpark OHG"),
        )[k % 3]
        out.append(_merchant(rng, "carwash", trading, legal, city))
    return out


def _taxis(rng: random.Random) -> list[_Merchant]:
    out = []
    for n in _TURKISH[:4]:
        f = rng.choice(("Bülent", "Murat", "Hakan", "Serkan"))
        out.append(_merchant(rng, "taxi", f"Taxi {n}", f"Taxiunternehmen {f} {n}", "Stuttgart"))
    out.append(
        _merchant(rng, "taxi", "Taxi-Zentrale Neckar", "Taxi-Zentrale Neckar eG", "Stuttgart")
    )
    return out


def _foreign(
    rng: random.Random, kind: str, trading: str, legal: str, city: str, country: str
) -> _Merchant:
    number = rng.randrange(2, 60)
    if country == "AT":
        vat = _vat_at(rng) if rng.random() < 0.7 else None
        terminal = rng.choice((trading, _bank_upper(trading), legal))
    elif country == "CH":
        vat = _vat_ch(rng) if rng.random() < 0.7 else None
        terminal = _bank_upper(legal)
    else:
        vat = f"GB{rng.randrange(10**8, 10**9)}" if rng.random() < 0.5 else None
        terminal = _bank_upper(legal)
    return _Merchant(
        kind, (trading, legal), city, terminal, _desc(rng, trading, legal, number), vat, country
    )


def _austrians(rng: random.Random) -> list[_Merchant]:
    rows = []
    for n in rng.sample(_AT_SURNAMES, 4):
        rows.append(
            ("bakery", f"Bäckerei {n}", rng.choice((f"Bäckerei {n} GmbH", f"{n} Backstube e.U.")))
        )
    rows += [
        ("fuel", "Alpentank Station Wals", "Alpentank Mineralöl GmbH"),
        ("fuel", "Tankstelle Pichler", "Pichler Tankstellen GmbH & Co KG"),
        ("fuel", "Alpentank Station Hallein", "Alpentank Mineralöl GmbH"),
        ("counter", "Salzach Haustechnik Abholshop", "Salzach Haustechnik Großhandel GmbH"),
        ("counter", "Baumarkt Lechner", "Lechner Baustoffe und Baumarkt GmbH"),
        ("restaurant", "Gasthof Zur Post", "Gasthof Zur Post Wimmer OG"),
        ("restaurant", "Jausenstation Gaisberg", "Eder Gastronomie e.U."),
        ("restaurant", "Wirtshaus zum Hirschen", "Hirschenwirt Moser KG"),
        ("parking", "Garage Nonntal", "Salzburger Parkgaragen GmbH"),
    ]
    return [_foreign(rng, k, t, legal, rng.choice(_AT_CITIES), "AT") for k, t, legal in rows]


def _swiss(rng: random.Random) -> list[_Merchant]:
    rows = (
        ("bakery", "Bäckerei Sutter", "Sutter Beck AG"),
        ("bakery", "Confiserie am Spalenberg", "Confiserie Spalenberg GmbH"),
        ("fuel", "Rheintank Schweizerhalle", "Rheintank AG"),
        ("fuel", "Tankstelle Hard", "Autohof Hard Muttenz AG"),
        ("counter", "HausBau Center Pratteln", "HausBau Center AG"),
        ("counter", "Sanitär-Shop Basel", "Rheinknie Sanitär AG"),
        ("restaurant", "Restaurant Rheinfelder Hof", "Gastro Rheinknie GmbH"),
        ("restaurant", "Zum Goldenen Fass", "Fass Gastronomie AG"),
        ("parking", "Parkhaus Messe Rhein", "Parkhaus Rhein AG"),
        ("vignette", "Autobahnvignette Grenzkiosk Weil", "Grenzkiosk Weil-Friedlingen GmbH"),
    )
    return [_foreign(rng, k, t, legal, rng.choice(_CH_CITIES), "CH") for k, t, legal in rows]


# --------------------------------------------------------------------------
# The books: transactions and documents as they will be written


class _Books:
    def __init__(self, rng: random.Random, cal: _Calendar) -> None:
        self.rng = rng
        self.cal = cal
        self.txs: list[tuple[datetime, str, dict]] = []
        self.docs: list[dict] = []
        self.truth: dict[str, str | None] = {}
        self.family: dict[str, str] = {}
        self.sales: set[str] = set()
        self._ids: set[str] = set()

    def new_id(self, prefix: str) -> str:
        while True:
            ident = f"{prefix}{self.rng.getrandbits(44):011x}"
            if ident not in self._ids:
                self._ids.add(ident)
                return ident

    # -- transactions ------------------------------------------------------

    def _add(self, key: datetime, row: dict) -> str:
        row["id"] = ident = self.new_id("tx_")
        self.txs.append((key, ident, row))
        return ident

    def _booked(
        self, account: str, day: date, cents: int, counterparty: str, op: str, text: str, cut: int
    ) -> dict:
        return {
            "account_id": account,
            "amount": _money(cents),
            "currency": "EUR",
            "counterparty": _cut(counterparty, cut),
            "operation_type": op,
            "emitted_at": _midnight(self.cal, day),
            "reference": text,
        }

    def ksk(
        self, day: date, cents: int, counterparty: str, op: str, text: str, **extra: str
    ) -> str:
        """A ksk-giro line booked on `day` (signed cents; MT940-style, names cut at 27)."""
        row = self._booked(KSK, day, cents, counterparty, op, text, 27)
        row.update(extra)
        key = datetime(day.year, day.month, day.day) - timedelta(hours=self.cal.offset(day))
        return self._add(key, row)

    def vb(
        self,
        day: date,
        cents: int,
        counterparty: str,
        op: str,
        text: str,
        valuta: date | None = None,
        **extra: str,
    ) -> str:
        row = self._booked(VB, day, cents, counterparty, op, text, 70)
        row["settled_at"] = _midnight(self.cal, valuta or day)
        row.update(extra)
        key = datetime(day.year, day.month, day.day) - timedelta(hours=self.cal.offset(day))
        return self._add(key, row)

    def kontor(
        self, utc: datetime, cents: int, desc: str, op: str = "card", **extra: object
    ) -> str:
        """A Kontor line at the exact UTC instant (card payments settle 1-3 days later)."""
        row: dict = {
            "account_id": KONTOR,
            "amount": _money(cents),
            "currency": "EUR",
            "counterparty": _cut(desc, 22),
            "operation_type": op,
            "emitted_at": f"{utc.isoformat(timespec='seconds')}+00:00",
        }
        if op == "card":
            settled = (utc + timedelta(days=self.rng.choice((1, 1, 2, 3)))).replace(
                hour=self.rng.randrange(3, 8),
                minute=self.rng.randrange(60),
                second=self.rng.randrange(60),
            )
            row["settled_at"] = f"{settled.isoformat(timespec='seconds')}+00:00"
        row.update(extra)
        return self._add(utc, row)

    # -- documents ---------------------------------------------------------

    def doc(self, family: str, row: dict, truth: str | None, sales: bool = False) -> dict:
        row = {k: v for k, v in row.items() if v is not None and v != ()}
        row["id"] = ident = self.new_id("doc_")
        self.docs.append(row)
        self.truth[ident] = truth
        self.family[ident] = family
        if sales:
            self.sales.add(ident)
        return row


# --------------------------------------------------------------------------
# The world: cast, calendar, rates and the ways to pay


class _World:
    def __init__(self, rng: random.Random, documents: int) -> None:
        self.rng = rng
        self.cal = _Calendar()
        self.rates = _Rates(rng)
        self.books = _Books(rng, self.cal)
        self.ibans = {KSK: _iban(rng, "DE"), VB: _iban(rng, "AT"), KONTOR: _iban(rng, "DE")}
        self.vat = _vat_de(rng)
        self.vat_at = _vat_at(rng)
        self.wholesalers = _wholesalers(rng)
        self.merchants: dict[str, list[_Merchant]] = {
            "bakery": _bakeries(rng),
            "fuel": _fuel_stations(rng),
            "counter": _counters(rng, self.wholesalers),
            "restaurant": _restaurants(rng),
            "parking": _parkings(rng),
            "carwash": _car_washes(rng),
            "taxi": _taxis(rng),
        }
        self.austrian = _austrians(rng)
        self.swiss = _swiss(rng)
        self.staff = _staff(rng, max(8, min(80, documents // 300)))
        self.customers = _customers(rng)
        self.customer_iban = {name: _iban(rng, country) for name, country in self.customers}
        self.swiss_days = self._swiss_days()
        self.sales_no = 0
        self.vans = 0
        # The months of the Monatsrechnungen paid in the year (December 2024 .. November).
        self.monthly_left = rng.sample(range(12), 12)

    def _swiss_days(self) -> list[date]:
        days: list[date] = []
        for week in sorted(self.rng.sample(range(2, 50), 9)):
            monday = date(YEAR, 1, 6) + timedelta(weeks=week)
            days += [
                monday + timedelta(days=k)
                for k in range(self.rng.randrange(2, 5))
                if monday + timedelta(days=k) in self.cal.bank_de
            ]
        return days or [date(YEAR, 3, 4)]

    def day(self, country: str = "DE") -> date:
        if country == "AT":
            return self.rng.choices(self.cal.work_at, cum_weights=self.cal.work_at_cum)[0]
        return self.rng.choices(self.cal.work_de, cum_weights=self.cal.work_de_cum)[0]

    def moment(self, day: date, kind: str) -> datetime:
        lo, hi = _HOURS.get(kind, (7, 19))
        if kind == "restaurant" and self.rng.random() < 0.3:
            lo, hi = 18, 22
        minute = self.rng.randrange(int(lo * 60), int(hi * 60))
        return datetime(
            day.year, day.month, day.day, minute // 60, minute % 60, self.rng.randrange(60)
        )

    def received(self, day: date, lo: int = 0, hi: int = 12) -> str | None:
        if self.rng.random() < 0.12:
            return None
        when = datetime(day.year, day.month, day.day) + timedelta(
            days=self.rng.randrange(lo, hi + 1), minutes=self.rng.randrange(7 * 60, 22 * 60)
        )
        return _local_iso(self.cal, when)

    def checksum(self) -> str:
        return f"{self.rng.getrandbits(128):032x}"

    # -- card payments ------------------------------------------------------

    def pay_card(
        self,
        m: _Merchant,
        when: datetime,
        cents: int,
        account: str,
        local: tuple[str, int] | None = None,
    ) -> str | None:
        """Pay `cents` EUR at `m` at local time `when`; None if booked after the year."""
        if account == KONTOR:
            utc = when - timedelta(
                hours=self.cal.offset(when.date()) - (1 if m.country == "GB" else 0)
            )
            extra: dict = {}
            if local:
                extra = {"local_amount": _money(local[1]), "local_currency": local[0]}
            return self.books.kontor(utc, -cents, m.desc, **extra)
        if account == VB:
            return self._pay_bankomat(m, when, cents)
        return self._pay_girocard(m, when, cents)

    def _pay_girocard(self, m: _Merchant, when: datetime, cents: int) -> str | None:
        booked = self.cal.booking_day(when.date(), "DE", self.rng.choice((1, 1, 2)))
        if booked > LAST:
            return None
        counterparty = f"{m.terminal}//{m.city.translate(_E_FORM)}/DE"
        if self.rng.random() < 0.7:
            text = f"Kartenzahlung girocard {when.isoformat(timespec='seconds')} Debitk.{self.rng.choice((1, 1, 2))} 2027-12"
        else:
            text = f"Kartenzahlung VISA Debit {_cut(m.terminal, 22)} {when:%d.%m %H:%M} Karte 3 {_de(cents)} EUR"
        return self.books.ksk(booked, -cents, counterparty, "card", text)

    def _pay_bankomat(self, m: _Merchant, when: datetime, cents: int) -> str | None:
        booked = self.cal.booking_day(when.date(), "AT", self.rng.choice((0, 1, 1, 2)))
        if booked > LAST:
            return None
        k = self.rng.choice((1, 2))
        text = f"Bezahlung Karte MC/000000{k}417 POS {_de(cents)} AT K{k} {when:%d.%m. %H:%M} {_cut(m.terminal, 20)} {m.city[:10]}"
        return self.books.vb(booked, -cents, m.terminal, "card", text, valuta=when.date())

    def company_name(self, branch: bool = False) -> str | None:
        r = self.rng.random()
        if r < 0.15:
            return None
        if branch:
            return BRANCH if r < 0.7 else "Brenner & Vogt Haustechnik GmbH, ZN Salzburg"
        return self.rng.choice(COMPANY_NAMES)


_HOURS = {
    "bakery": (6, 9.5),
    "fuel": (6.5, 18),
    "counter": (6.5, 16),
    "parking": (7.5, 18),
    "carwash": (7, 19),
    "restaurant": (11.5, 14),
    "taxi": (6, 23),
    "vignette": (7, 17),
}


def _staff(rng: random.Random, n: int) -> list[str]:
    names = []
    for k in range(n):
        first = rng.choice(_FIRST)
        last = (
            rng.choice(_SURNAMES + list(_TURKISH) + list(_MIGRANT))
            if k % 4
            else rng.choice(_SURNAMES)
        )
        names.append(f"{first} {last}")
    return names


def _customers(rng: random.Random) -> list[tuple[str, str]]:
    """(name, country) of customers."""
    out = []
    for _ in range(140):
        n, f = rng.choice(_SURNAMES), rng.choice(_FIRST)
        name = rng.choice(
            (
                f"Familie {n}",
                f"{f} {n}",
                f"Dr. {f} {n}",
                f"{n} Hausverwaltung GmbH",
                f"WEG {rng.choice(('Schillerstraße', 'Kelterweg', 'Am Kappelberg', 'Uhlandstraße'))} {rng.randrange(1, 60)}",
                f"Autohaus {n} GmbH",
                f"{f} und {rng.choice(_FIRST)} {n}",
            )
        )
        out.append((name, "DE"))
    for n in _AT_SURNAMES:
        out.append(
            (rng.choice((f"Familie {n}", f"{n} Immobilien GmbH", f"Hausverwaltung {n} KG")), "AT")
        )
    out += [("Wohnbaugenossenschaft Rheinfeld", "CH"), ("Stiftung Altersheim Riehen", "CH")]
    return out


def _amount(rng: random.Random, kind: str) -> int:
    """A receipt's total in cents (EUR; CHF priced in 5-Rappen steps by the caller)."""
    if kind == "bakery":
        return _log_amount(rng, 260, 3800, 10)
    if kind == "fuel":
        liters = rng.randrange(3200, 11500) / 100
        price = rng.randrange(1549, 1799, 10) / 1000 + 0.009
        return int(liters * price * 100 + 0.5)
    if kind == "counter":
        return _log_amount(rng, 690, 85000)
    if kind == "parking":
        return rng.randrange(3, 56) * 50
    if kind == "carwash":
        return rng.choice((990, 1290, 1490, 1790, 1990, 2490)) + rng.choice((0, 0, 0, 200, 300))
    if kind == "restaurant":
        return _log_amount(rng, 1150, 12500, 10)
    if kind == "taxi":
        return _log_amount(rng, 1100, 6800, 10)
    return 4000  # the Swiss Autobahnvignette, CHF 40


def _issue_date(rng: random.Random, day: date, missing: float) -> str | None:
    """The date as extracted: sometimes missing, a misread year, a day/month swap."""
    r = rng.random()
    if r < missing:
        return None
    r -= missing
    if r < 0.015:
        try:
            return day.replace(year=rng.choice((2023, 2026, 2028))).isoformat()
        except ValueError:  # 29 February
            return day.isoformat()
    if r < 0.019 and day.day <= 12 and day.day != day.month:
        return date(day.year, day.day, day.month).isoformat()
    return day.isoformat()


def _read_total(rng: random.Random, cents: int) -> tuple[int, tuple[str, ...]]:
    """The total as extracted: rarely an OCR slip, the true total then maybe a candidate."""
    if rng.random() >= 0.015:
        return cents, ()
    text = _money(cents)
    swaps = {"8": "3", "3": "8", "1": "7", "7": "1", "5": "6", "6": "5", "0": "8"}
    positions = [i for i, c in enumerate(text) if c in swaps]
    if not positions:
        return cents, ()
    i = rng.choice(positions)
    wrong = int((text[:i] + swaps[text[i]] + text[i + 1 :]).replace(".", ""))
    if wrong <= 0:
        return cents, ()
    return wrong, ((_money(cents),) if rng.random() < 0.5 else ())


def _receipt_row(
    w: _World,
    m: _Merchant,
    day: date,
    cents: int,
    currency: str = "EUR",
    candidates: tuple[str, ...] = (),
) -> dict:
    rng = w.rng
    total, extra = _read_total(rng, cents)
    r = rng.random()
    name: str | None = None
    if r < 0.68:
        name = _ocr_name(rng, m.shown[0])
    elif r < 0.95:
        name = _ocr_name(rng, m.shown[1])
    return {
        "document_type": "receipt",
        "total": _money(total),
        "currency": currency,
        "supplier_name": name,
        "supplier_vat": m.vat if rng.random() < 0.3 else None,
        "issue_date": _issue_date(rng, day, 0.05),
        "candidate_totals": list(candidates + extra),
        "received_at": w.received(day),
        "checksum": w.checksum(),
        "_day": day,  # the true day (private; not written)
    }


# --------------------------------------------------------------------------
# Families: Kassenbons paid by card

_RECEIPT_KINDS = {
    "bakery_receipt": ("bakery", 0.35),
    "fuel_receipt": ("fuel", 0.15),
    "trade_counter_receipt": ("counter", 0.6),
    "parking_receipt": ("parking", 0.1),
    "car_wash_receipt": ("carwash", 0.3),
}


def _card_receipts(w: _World, family: str, n: int) -> None:
    kind, girocard_share = _RECEIPT_KINDS[family]
    made = 0
    while made < n:
        m = w.rng.choice(w.merchants[kind])
        day = w.day()
        when = w.moment(day, kind)
        cents = _amount(w.rng, kind)
        account = KSK if w.rng.random() < girocard_share else KONTOR
        tx = w.pay_card(m, when, cents, account)
        if tx is None:
            continue
        w.books.doc(family, _receipt_row(w, m, day, cents), tx)
        made += 1


def _tipped(rng: random.Random, cents: int) -> int:
    r = rng.random()
    if r < 0.15:
        return cents
    if r < 0.6:
        step = 100 if cents < 2000 else 500 if cents < 6000 else 1000
        up = -(-cents // step) * step
        return up if up > cents else up + step
    return -(-int(cents * rng.uniform(1.05, 1.10)) // 100) * 100


def _tip_row(
    w: _World, m: _Merchant, day: date, bill: int, paid: int, currency: str = "EUR"
) -> dict:
    r = w.rng.random()
    if paid == bill or r < 0.6:
        return _receipt_row(w, m, day, bill, currency)
    if r < 0.85:  # the card slip stapled: the tipped total, the bill as a candidate
        return _receipt_row(w, m, day, paid, currency, (_money(bill),))
    return _receipt_row(w, m, day, bill, currency, (_money(paid),))


def _restaurant_tip(w: _World, n: int) -> None:
    made = 0
    while made < n:
        m = w.rng.choice(w.merchants["restaurant"])
        day = w.day()
        when = w.moment(day, "restaurant")
        bill = _amount(w.rng, "restaurant")
        paid = _tipped(w.rng, bill)
        tx = w.pay_card(m, when, paid, KSK if w.rng.random() < 0.3 else KONTOR)
        if tx is None:
            continue
        w.books.doc("restaurant_tip", _tip_row(w, m, day, bill, paid), tx)
        made += 1


_GB_TAXI = _Merchant(
    "taxi",
    ("Brum Cabs", "Brum Cabs Ltd"),
    "Birmingham",
    "BRUM CABS LTD",
    "SQ *BRUM CABS",
    None,
    "GB",
)
_CH_TAXI = _Merchant(
    "taxi",
    ("Taxi Rhein", "Taxi Rhein AG"),
    "Basel",
    "TAXI RHEIN AG",
    "TAXI RHEIN AG BASEL",
    None,
    "CH",
)


def _taxi_tip(w: _World, n: int) -> None:
    for _ in range(n):
        r = w.rng.random()
        if r < 0.75:
            m, currency, day = w.rng.choice(w.merchants["taxi"]), "EUR", w.day()
        elif r < 0.9:
            m, currency, day = _CH_TAXI, "CHF", w.rng.choice(w.swiss_days)
        else:
            m, currency, day = _GB_TAXI, "GBP", date(YEAR, 5, w.rng.randrange(12, 16))
        when = w.moment(day, "taxi")
        fare = _amount(w.rng, "taxi")
        paid = (
            fare + w.rng.choice((0, 100, 150, 200, 300))
            if w.rng.random() < 0.5
            else _tipped(w.rng, fare)
        )
        local = None
        eur = paid
        if currency != "EUR":
            local, eur = (currency, paid), w.rates.eur(paid, currency, day, 0.01)
        tx = w.pay_card(m, when, eur, KONTOR, local)
        shown = paid if w.rng.random() < 0.5 else fare
        w.books.doc("taxi_tip", _receipt_row(w, m, day, shown, currency), tx)


# --------------------------------------------------------------------------
# Families: wholesale invoices


class _Numbers:
    """Invoice numbers per issuer, rising with the issue day (each issuer invoices
    other customers too, so ours have gaps)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.series: dict[str, tuple[int, int]] = {}  # issuer -> (base, numbers a day)
        self.used: set[tuple[str, int]] = set()

    def take(self, issuer: str, fmt: str, day: date) -> str:
        if issuer not in self.series:
            self.series[issuer] = (self.rng.randrange(1000, 400000), self.rng.randrange(2, 30))
        base, per_day = self.series[issuer]
        n = base + (day - date(YEAR - 1, 11, 1)).days * per_day + self.rng.randrange(per_day)
        while (issuer, n) in self.used:
            n += 1
        self.used.add((issuer, n))
        return fmt.format(n=n, y=day.year)


def _invoice_total(rng: random.Random, lo: int, hi: int, vat: int = 19) -> tuple[int, int]:
    net = _log_amount(rng, lo, hi)
    return net + _pct(net, vat), net


def _skonto_amount(total: int, percent: float) -> int:
    return total - _pct(total, percent)


def _wholesale_row(
    w: _World, s: _Supplier, day: date, total: int, net: int, number: str, due: date
) -> dict:
    rng = w.rng
    candidates: list[str] = []
    if s.prints_skonto:
        candidates.append(_money(_skonto_amount(total, s.skonto[0])))
    if rng.random() < 0.08:
        candidates.append(_money(net))
    name = _ocr_name(rng, s.legal) if rng.random() < 0.97 else None
    return {
        "document_type": "invoice",
        "total": _money(total),
        "currency": "EUR",
        "supplier_name": name,
        "supplier_vat": s.vat if rng.random() < 0.85 else None,
        "supplier_iban": s.iban if rng.random() < 0.8 else None,
        "customer_name": w.company_name(),
        "customer_vat": w.vat if rng.random() < 0.3 else None,
        "issue_date": _issue_date(rng, day, 0.015),
        "due_date": due.isoformat() if rng.random() < 0.7 else None,
        "invoice_number": number if rng.random() < 0.95 else None,
        "candidate_totals": list(candidates),
        "received_at": w.received(day, 0, 3),
        "checksum": w.checksum(),
        "_day": day,  # the true day (private; not written)
    }


def _remittance(
    rng: random.Random, s: _Supplier, number: str, day: date, skonto: int | None
) -> str:
    style = rng.randrange(4)
    if style == 0:
        text = f"RE {number} KD {s.customer_no}"
    elif style == 1:
        text = f"Rechnung {number} vom {day:%d.%m.%Y}"
    elif style == 2:
        text = f"{s.customer_no} {number}"
    else:
        text = f"Rg.-Nr. {number}"
    if skonto is not None and rng.random() < 0.6:
        text += f" abzgl. {s.skonto[0]:g}% Skonto {_de(skonto)}"
    return text


def _transfer_text(rng: random.Random, svwz: str) -> str:
    eref = "NOTPROVIDED" if rng.random() < 0.5 else f"ZL{rng.randrange(10**7, 10**8)}"
    return f"SEPA-Überweisung EREF+{eref} SVWZ+{_cut(svwz, 140)}"


def _issue_for_payment(
    w: _World, s: _Supplier, skonto: bool, month: int
) -> tuple[date, date, date]:
    """(issue day, due day, payment day) of one invoice paid in the year; a
    Monatsrechnung is issued at the end of `month` (0: December of the year before)."""
    rng = w.rng
    while True:
        if s.monthly:
            issue = date(YEAR - 1, 12, 31) if month == 0 else _month_end(YEAR, month)
        else:
            issue = FIRST + timedelta(days=rng.randrange(-25, 360))
            issue = w.cal.bank_day(issue)
        due = issue + timedelta(days=30)
        if skonto:
            pay = w.cal.run_on_or_after(issue + timedelta(days=rng.randrange(2, 6)))
            limit = issue + timedelta(days=s.skonto[1] + 2)
        else:
            pay = w.cal.run_on_or_after(due + timedelta(days=rng.choice((-5, -3, -2, 0, 2, 5, 9))))
            limit = LAST
        if pay is not None and FIRST <= pay <= min(limit, LAST):
            return issue, due, pay


def _month_end(year: int, month: int) -> date:
    nxt = date(year + month // 12, month % 12 + 1, 1)
    return nxt - timedelta(days=1)


def _wholesale(w: _World, family: str, n: int, numbers: _Numbers) -> None:
    skonto = family == "wholesale_skonto"
    for _ in range(n):
        s = w.rng.choice(w.wholesalers)
        if s.monthly and not w.monthly_left:  # one Monatsrechnung a month, no more
            s = w.rng.choice([x for x in w.wholesalers if not x.monthly])
        month = w.monthly_left.pop() if s.monthly else 0
        issue, due, pay = _issue_for_payment(w, s, skonto, month)
        lo, hi = (150000, 1500000) if s.monthly else (4000, 600000)
        total, net = _invoice_total(w.rng, lo, hi)
        number = numbers.take(s.legal, s.number_format, issue)
        paid = _skonto_amount(total, s.skonto[0]) if skonto else total
        svwz = _remittance(w.rng, s, number, issue, total - paid if skonto else None)
        tx = w.books.ksk(
            pay, -paid, s.payee, "transfer", _transfer_text(w.rng, svwz), counterparty_iban=s.iban
        )
        w.books.doc(family, _wholesale_row(w, s, issue, total, net, number, due), tx)


def _wholesale_collective(w: _World, n: int, numbers: _Numbers) -> None:
    made = 0
    while made < n:
        s = w.rng.choice([x for x in w.wholesalers if not x.monthly])
        size = min(n - made, w.rng.randrange(2, 7))
        pay = w.rng.choice(w.cal.payment_runs[8:])
        with_skonto = w.rng.random() < 0.5
        numbers_paid, sum_paid = [], 0
        never_uploaded = max(w.rng.choice((0, 0, 0, 1, 2)), 2 - size)
        for k in range(size + never_uploaded):
            issue = w.cal.bank_day(
                pay - timedelta(days=(5 if with_skonto else 30) + w.rng.randrange(0, 9))
            )
            total, net = _invoice_total(w.rng, 4000, 250000)
            number = numbers.take(s.legal, s.number_format, issue)
            numbers_paid.append(number)
            sum_paid += _skonto_amount(total, s.skonto[0]) if with_skonto else total
            if k < size:
                w.books.doc(
                    "wholesale_collective",
                    _wholesale_row(w, s, issue, total, net, number, issue + timedelta(days=30)),
                    None,
                )
        svwz = f"KD {s.customer_no} RE " + ", ".join(numbers_paid)
        if with_skonto:
            svwz = f"abzgl. {s.skonto[0]:g}% Skonto " + svwz
        w.books.ksk(
            pay,
            -sum_paid,
            s.payee,
            "transfer",
            _transfer_text(w.rng, svwz),
            counterparty_iban=s.iban,
        )
        made += size


_INSTALMENT_SUPPLIERS = (
    ("Pressfit Werkzeugtechnik GmbH", "Pressmaschine mit Pressbackensatz", 420000, 980000),
    ("Fahrzeugregal Kern GmbH", "Fahrzeugeinrichtung Transporter", 240000, 600000),
    ("Thermo-Mess Geräte GmbH", "Abgasmessgerät mit Kalibrierung", 190000, 450000),
    ("Kanalkamera Süd GmbH & Co. KG", "Rohrkamera-System", 350000, 900000),
)


def _instalment_invoice(w: _World, n: int, numbers: _Numbers) -> None:
    rng = w.rng
    for _ in range(n):
        legal, _item, lo, hi = rng.choice(_INSTALMENT_SUPPLIERS)
        iban, vat = _iban(rng, "DE"), _vat_de(rng)
        issue = w.cal.bank_day(date(YEAR, rng.randrange(1, 11), rng.randrange(1, 28)))
        total, net = _invoice_total(rng, lo, hi)
        number = numbers.take(legal, "{y}-{n:04d}", issue)
        parts = rng.randrange(3, 7)
        standing = rng.random() < 0.5
        share = total // parts
        for k in range(parts):
            pay = w.cal.bank_day(issue + timedelta(days=14 + 30 * k))
            if pay > LAST:
                break
            cents = share if k < parts - 1 else total - share * (parts - 1)
            svwz = f"Rate {k + 1}/{parts} RE {number}"
            text = f"Dauerauftrag SVWZ+{svwz}" if standing and k else _transfer_text(rng, svwz)
            w.books.ksk(pay, -cents, legal, "transfer", text, counterparty_iban=iban)
        row = {
            "document_type": "invoice",
            "total": _money(total),
            "currency": "EUR",
            "supplier_name": _ocr_name(rng, legal),
            "supplier_vat": vat,
            "supplier_iban": iban if rng.random() < 0.8 else None,
            "customer_name": w.company_name(),
            "issue_date": _issue_date(rng, issue, 0.01),
            "invoice_number": number,
            "candidate_totals": [_money(share)] if rng.random() < 0.4 else [],
            "received_at": w.received(issue, 0, 4),
            "checksum": w.checksum(),
            "_day": issue,  # the true day (private; not written)
        }
        w.books.doc("instalment_invoice", row, None)


# --------------------------------------------------------------------------
# Families: direct debits


@dataclass(frozen=True, slots=True)
class _Creditor:
    legal: str
    bank_name: str  # as the debit shows it
    creditor_id: str
    iban: str
    vat: str | None
    ultimate: str | None = None  # ABWA+


def _creditor(
    rng: random.Random,
    legal: str,
    bank_name: str | None = None,
    ultimate: str | None = None,
    vat: bool = True,
) -> _Creditor:
    return _Creditor(
        legal,
        bank_name or _bank_upper(legal),
        _creditor_id(rng, "DE"),
        _iban(rng, "DE"),
        _vat_de(rng) if vat else None,
        ultimate,
    )


def _debit_text(c: _Creditor, mref: str, svwz: str, eref: str) -> str:
    text = f"SEPA-Lastschrift EREF+{eref} MREF+{mref} CRED+{c.creditor_id} SVWZ+{_cut(svwz, 140)}"
    if c.ultimate:
        text += f" ABWA+{c.ultimate}"
    return text


def _debit_doc(
    w: _World,
    family: str,
    c: _Creditor,
    issue: date,
    total: int,
    number: str,
    tx: str | None,
    due: date | None = None,
    currency: str = "EUR",
) -> None:
    rng = w.rng
    row = {
        "document_type": "invoice",
        "total": _money(total),
        "currency": currency,
        "supplier_name": _ocr_name(rng, c.legal) if rng.random() < 0.97 else None,
        "supplier_vat": c.vat if rng.random() < 0.8 and currency == "EUR" else None,
        "supplier_iban": c.iban if rng.random() < 0.3 and currency == "EUR" else None,
        "customer_name": w.company_name(),
        "issue_date": _issue_date(rng, issue, 0.01),
        "due_date": due.isoformat() if due and rng.random() < 0.5 else None,
        "invoice_number": number if rng.random() < 0.95 else None,
        "received_at": w.received(issue, 0, 4),
        "checksum": w.checksum(),
        "_day": issue,  # the true day (private; not written)
    }
    w.books.doc(family, row, tx)


def _months(n: int) -> list[int]:
    """The months of a contract of `n` (<= 12) monthly documents: the last ones of the year."""
    return list(range(13 - n, 13))


def _telecom_dd(w: _World, n: int, numbers: _Numbers) -> None:
    rng = w.rng
    telcos = (
        _creditor(rng, "Funkwerk Mobil GmbH"),
        _creditor(rng, "Netzfabrik Telekommunikation GmbH", "Netzfabrik Telekommunikation"),
    )
    left = n
    while left:
        c = rng.choice(telcos)
        months = _months(min(12, left))
        left -= len(months)
        base = _log_amount(rng, 3990, 90000) if c is telcos[0] else rng.choice((4990, 6990, 9990))
        customer = rng.randrange(10**7, 10**8)
        for month in months:
            issue = date(YEAR, month, rng.randrange(2, 6))
            total = int(base * rng.uniform(0.95, 1.08)) if c is telcos[0] else base
            number = numbers.take(c.legal, "{y}{n:08d}", issue)
            pay = w.cal.bank_day(issue + timedelta(days=10))
            svwz = f"Kd-Nr. {customer} Rg-Nr. {number} Ihre Rechnung vom {issue:%d.%m.%Y}"
            text = _debit_text(c, f"MF{customer}", svwz, f"{number}")
            tx = w.books.ksk(
                pay, -total, c.bank_name, "direct_debit", text, counterparty_iban=c.iban
            )
            _debit_doc(w, "telecom_dd", c, issue, total, number, tx, pay)


_SAAS = (
    ("Planwerk Software GmbH", "EUR", 17731, "dd", ""),
    ("Baudoku Cloud GmbH", "EUR", 5950, "dd", ""),
    ("Flowdesk Inc.", "USD", 4900, "card", "FLOWDESK.COM"),
    ("Pixelroute LLC", "USD", 2900, "card", "PAYPAL *PIXELROUTE"),
    ("Rotaly Ltd", "GBP", 3900, "card", "ROTALY* SUBSCRIPTION"),
)


def _software_subscription(w: _World, n: int, numbers: _Numbers) -> None:
    rng = w.rng
    creditors = {legal: _creditor(rng, legal) for legal, *_ in _SAAS}
    left = n
    while left:
        legal, currency, price, how, desc = rng.choice(_SAAS)
        seats = rng.randrange(1, 6)
        months = _months(min(12, left))
        left -= len(months)
        for month in months:
            issue = date(YEAR, month, rng.randrange(1, 28) if how == "card" else 1)
            total = price * seats
            number = numbers.take(legal, "INV-{n:07d}" if how == "card" else "{y}-{n:06d}", issue)
            c = creditors[legal]
            if how == "dd":
                pay = w.cal.bank_day(issue + timedelta(days=3))
                text = _debit_text(
                    c,
                    f"PW-{seats}{number[-5:]}",
                    f"Rechnung {number} Abo {month:02d}/{YEAR}",
                    number,
                )
                tx = w.books.ksk(
                    pay, -total, c.bank_name, "direct_debit", text, counterparty_iban=c.iban
                )
            else:
                utc = datetime(
                    YEAR,
                    month,
                    issue.day,
                    rng.randrange(0, 24),
                    rng.randrange(60),
                    rng.randrange(60),
                )
                eur = w.rates.eur(total, currency, issue, rng.choice((0.0, 0.01)))
                tx = w.books.kontor(
                    utc, -eur, desc, local_amount=_money(total), local_currency=currency
                )
            _debit_doc(w, "software_subscription", c, issue, total, number, tx, currency=currency)


def _van_leasing(w: _World, n: int, numbers: _Numbers) -> None:
    rng = w.rng
    lessors = (
        _creditor(rng, "Autoleasing Filder GmbH"),
        _creditor(rng, "MobiLease Bank AG", "MOBILEASE BANK AG", "Autoleasing Filder Flotte"),
    )
    models = {rng.randrange(38000, 69000) for _ in range(6)}
    rates = sorted(models)
    left, van = n, 0
    while left:
        c = lessors[(van + 1) % 2]  # the first van is refinanced (ABWA+)
        months = _months(min(12, left))
        left -= len(months)
        van += 1
        w.vans += 1
        plate = f"WN-BV {100 + 7 * van + rng.randrange(7)}"
        contract = f"LV-{rng.randrange(10**6, 10**7)}"
        rate = rng.choice(rates) + (0 if rng.random() < 0.35 else rng.randrange(-900, 900))
        for month in months:
            issue = _month_end(YEAR, month - 1) if month > 1 else date(YEAR - 1, 12, 28)
            number = numbers.take(c.legal, "LR{y}{n:07d}", date(YEAR, month, 1))
            pay = w.cal.bank_day(date(YEAR, month, 1), "DE", rng.choice((0, 0, 1)))
            svwz = f"Leasingrate {month:02d}/{YEAR} Vertr. {contract} {plate}"
            if c is lessors[0]:
                svwz += f" Rg. {number}"
            text = _debit_text(c, contract, svwz, f"{contract}-{month:02d}")
            tx = w.books.ksk(
                pay, -rate, c.bank_name, "direct_debit", text, counterparty_iban=c.iban
            )
            _debit_doc(w, "van_leasing", c, issue, rate, number, tx, pay)


def _van_insurance(w: _World, n: int, numbers: _Numbers) -> None:
    rng = w.rng
    c = _creditor(rng, "Neckar-Alb Versicherung VVaG", "NECKAR-ALB VERSICHERUNG")
    left = n
    while left:
        quarterly = left >= 4 and rng.random() < 0.6
        dues = [1, 4, 7, 10] if quarterly else [rng.choice((1, 1, 4))]
        left -= len(dues)
        policy = f"KF {rng.randrange(10**7, 10**8)}"
        plate = f"WN-BV {rng.randrange(100, 400)}"
        premium = _log_amount(rng, 70000, 160000) // (4 if quarterly else 1)
        for month in dues:
            due = w.cal.bank_day(date(YEAR, month, 1))
            issue = due - timedelta(days=rng.randrange(20, 40))
            number = numbers.take(c.legal, "BR-{n:08d}", issue)
            svwz = f"Beitrag Kfz-Vers. {policy} {plate} {month:02d}/{YEAR}"
            text = _debit_text(c, policy, svwz, number)
            tx = w.books.ksk(
                due, -premium, c.bank_name, "direct_debit", text, counterparty_iban=c.iban
            )
            _debit_doc(w, "van_insurance", c, issue, premium, number, tx, due)


# The year's levies of the head office (issuer, month due, lowest and highest amount):
# Berufsgenossenschaft, Handwerkskammer, IHK, Innung quarterly, and the Rundfunkbeitrag
# (5 Beiträge of 18,36 for 20-49 staff, a third of one per van but the first, a quarter).
_LEVIES = [("bg", 5, 48000, 130000), ("hwk", 3, 30000, 90000), ("ihk", 3, 15000, 40000)]
_LEVIES += [("innung", m, 9000, 9000) for m in (1, 4, 7, 10)]
_LEVIES += [("rf", m, 0, 0) for m in (2, 5, 8, 11)]


def _levy(k: int, vans: int) -> tuple[str, int, int, int, int]:
    """(issuer, month, lowest, highest amount, Betriebsstätte) of the `k`-th levy:
    the head office's first, then the Rundfunkbeitrag of further sites (stores,
    site offices: under 9 staff, a third of a Beitrag)."""
    if k < len(_LEVIES):
        key, month, lo, hi = _LEVIES[k]
        if key == "rf":
            lo = hi = 9180 * 3 + 612 * 3 * (vans - 1)
        return key, month, lo, hi, 1
    k -= len(_LEVIES)
    return "rf", (2, 5, 8, 11)[k % 4], 1836, 1836, 2 + k // 4


def _levies(w: _World, n: int, numbers: _Numbers) -> None:
    rng = w.rng
    issuers = {
        "bg": _creditor(rng, "BG Haustechnik und Bau", vat=False),
        "hwk": _creditor(rng, "Handwerkskammer Neckar-Rems", vat=False),
        "ihk": _creditor(rng, "IHK Neckar-Rems", vat=False),
        "innung": _creditor(
            rng, "Innung Sanitär-Heizung-Klima Rems-Murr", "INNUNG SHK REMS-MURR", vat=False
        ),
        "rf": _creditor(rng, "Rundfunk Beitragsservice", vat=False),
    }
    for k in range(n):
        key, month, lo, hi, site = _levy(k, max(2, w.vans))
        c = issuers[key]
        cents = _log_amount(rng, lo, hi + 1) if hi > lo else lo
        due = w.cal.bank_day(date(YEAR, month, 15))
        issue = due - timedelta(days=rng.randrange(14, 35))
        number = numbers.take(c.legal, "{y}/{n:07d}", issue)
        mref = f"{key.upper()}{rng.randrange(10**6, 10**7)}"
        svwz = f"Beitragsnr. {number} {month:02d}/{YEAR}" + (
            f" Betriebsstätte {site}" if site > 1 else ""
        )
        text = _debit_text(c, mref, svwz, number)
        tx = w.books.ksk(due, -cents, c.bank_name, "direct_debit", text, counterparty_iban=c.iban)
        _debit_doc(w, "levies_dd", c, issue, cents, number, tx, due)


# --------------------------------------------------------------------------
# Families: the marketplace

_SELLERS = (
    ("Lagerwelt EU S.à r.l.", "LU", "LW"),
    ("Lagerwelt EU S.à r.l.", "LU", "LW"),
    ("Werkzeug Schulze e.K.", "DE", "WS"),
    ("Pumpenprofi24 GmbH", "DE", "PP"),
    ("Fittingshop Nord UG (haftungsbeschränkt)", "DE", "FN"),
    ("Elektro Baran GmbH", "DE", "EB"),
    ("Haustechnik Direkt Vertriebs GmbH", "DE", "HD"),
)


def _seller_vat(rng: random.Random, country: str) -> str:
    return f"LU{rng.randrange(10**7, 10**8)}" if country == "LU" else _vat_de(rng)


def _market_desc(rng: random.Random, legal: str) -> str:
    if legal.startswith("Lagerwelt"):
        return f"LAGERWELT.DE*{_code(rng, 9)}"
    return _cut(f"LAGERWELT MKTP DE*{_code(rng, 9)}", 22)


def _market_row(
    w: _World, legal: str, vat: str, day: date, cents: int, number: str, credit: bool
) -> dict:
    rng = w.rng
    total = -cents if credit and rng.random() < 0.5 else cents
    return {
        "document_type": "credit_note" if credit else "invoice",
        "total": _money(total),
        "currency": "EUR",
        "supplier_name": _ocr_name(rng, legal),
        "supplier_vat": vat if rng.random() < 0.9 else None,
        "customer_name": w.company_name(),
        "customer_vat": w.vat if rng.random() < 0.6 else None,
        "issue_date": _issue_date(rng, day, 0.01),
        "invoice_number": number,
        "received_at": w.received(day, 0, 20),
        "checksum": w.checksum(),
        "_day": day,  # the true day (private; not written)
    }


def _marketplace_order(w: _World, n: int) -> None:
    rng = w.rng
    vats = {legal: _seller_vat(rng, cc) for legal, cc, _ in _SELLERS}
    made = 0
    while made < n:
        ordered = w.day() - timedelta(days=rng.randrange(0, 2))
        sellers = rng.sample(_SELLERS, rng.choice((1, 1, 1, 2, 2, 3)))
        for legal, _cc, short in sellers:
            shipments = 2 if rng.random() < 0.15 else 1
            for _ in range(shipments):
                if made == n:
                    break
                ship = min(LAST, max(FIRST, ordered + timedelta(days=rng.randrange(0, 5))))
                cents = _log_amount(rng, 790, 64000)
                utc = datetime(
                    ship.year,
                    ship.month,
                    ship.day,
                    rng.randrange(1, 22),
                    rng.randrange(60),
                    rng.randrange(60),
                )
                tx = w.books.kontor(utc, -cents, _market_desc(rng, legal))
                number = f"DE{short}-{_code(rng, 4)}-{rng.randrange(10**5, 10**6)}"
                w.books.doc(
                    "marketplace_order",
                    _market_row(w, legal, vats[legal], ship, cents, number, False),
                    tx,
                )
                made += 1


def _marketplace_refund(w: _World, n: int) -> None:
    rng = w.rng
    vats = {legal: _seller_vat(rng, cc) for legal, cc, _ in _SELLERS}
    for _ in range(n):
        legal, _cc, short = rng.choice(_SELLERS)
        day = w.day()
        refunded = min(LAST, day + timedelta(days=rng.randrange(1, 12)))
        cents = _log_amount(rng, 790, 30000)
        utc = datetime(
            refunded.year,
            refunded.month,
            refunded.day,
            rng.randrange(1, 22),
            rng.randrange(60),
            rng.randrange(60),
        )
        tx = w.books.kontor(utc, cents, _market_desc(rng, legal))
        number = f"GS{short}-{_code(rng, 4)}-{rng.randrange(10**5, 10**6)}"
        w.books.doc(
            "marketplace_refund", _market_row(w, legal, vats[legal], day, cents, number, True), tx
        )


# --------------------------------------------------------------------------
# Families: abroad


def _chf_price(rng: random.Random, kind: str) -> int:
    cents = _amount(rng, kind) if kind != "vignette" else 4000
    if kind in ("bakery", "restaurant", "parking"):
        cents = int(cents * 1.35)
    return max(5, cents - cents % 5)


def _swiss_card_receipt(w: _World, n: int) -> None:
    rng = w.rng
    for _ in range(n):
        m = rng.choice(w.swiss)
        day = rng.choice(w.swiss_days)
        when = w.moment(day, m.kind)
        chf = _chf_price(rng, m.kind)
        if m.kind == "restaurant":
            paid = _tipped(rng, chf)
            eur = w.rates.eur(paid, "CHF", day, rng.choice((0.0, 0.01)))
            tx = w.pay_card(m, when, eur, KONTOR, ("CHF", paid))
            w.books.doc("swiss_card_receipt", _tip_row(w, m, day, chf, paid, "CHF"), tx)
            continue
        eur = w.rates.eur(chf, "CHF", day, rng.choice((0.0, 0.01)))
        tx = w.pay_card(m, when, eur, KONTOR, ("CHF", chf))
        w.books.doc("swiss_card_receipt", _receipt_row(w, m, day, chf, "CHF"), tx)


_SWISS_SUPPLIERS = ("Rheinknie Sanitär AG", "Basler Rohrtechnik GmbH", "Muttenzer Metallbau AG")


def _qr_reference(rng: random.Random) -> str:
    body = f"{rng.randrange(10**25, 10**26)}"
    table, carry = (0, 9, 4, 6, 8, 2, 7, 1, 3, 5), 0
    for ch in body:
        carry = table[(carry + int(ch)) % 10]
    return body + str((10 - carry) % 10)


def _swiss_invoice(w: _World, n: int, numbers: _Numbers) -> None:
    rng = w.rng
    suppliers = [(legal, _iban(rng, "CH"), _vat_ch(rng)) for legal in _SWISS_SUPPLIERS]
    for _ in range(n):
        legal, iban, vat = rng.choice(suppliers)
        issue = rng.choice(w.swiss_days)
        pay = w.cal.run_on_or_after(issue + timedelta(days=rng.randrange(12, 30)))
        if pay is None:
            pay = w.cal.bank_day(date(YEAR, 12, 30))
        chf, net = _invoice_total(rng, 30000, 900000, 8)
        chf -= chf % 5
        number = numbers.take(legal, "{n:06d}", issue)
        qrr = _qr_reference(rng)
        rate = w.rates.rate("CHF", pay) * 1.006
        eur = int(chf * rate + 0.5)
        kurs = f"{rate:.4f}".replace(".", ",")
        text = f"Auslandsüberweisung CHF {_de(chf)} Kurs {kurs} EREF+{number} SVWZ+QRR {qrr}"
        tx = w.books.ksk(
            pay,
            -eur,
            _bank_upper(legal),
            "transfer",
            text,
            counterparty_iban=iban,
            local_amount=_money(chf),
            local_currency="CHF",
        )
        fee = rng.choice((1500, 1500, 2500))
        w.books.ksk(
            pay, -fee, "", "transfer", f"Entgelt Auslandszahlung {_de(fee)} EUR Ref. {number}"
        )
        row = {
            "document_type": "invoice",
            "total": _money(chf),
            "currency": "CHF",
            "supplier_name": _ocr_name(rng, legal),
            "supplier_vat": vat,
            "supplier_iban": iban if rng.random() < 0.9 else None,
            "customer_name": w.company_name(),
            "issue_date": _issue_date(rng, issue, 0.01),
            "due_date": (issue + timedelta(days=30)).isoformat(),
            "invoice_number": number,
            "candidate_totals": [_money(net)] if rng.random() < 0.1 else [],
            "received_at": w.received(issue, 0, 5),
            "checksum": w.checksum(),
            "_day": issue,  # the true day (private; not written)
        }
        w.books.doc("swiss_invoice", row, tx)


def _austria_receipt(w: _World, n: int) -> None:
    rng = w.rng
    made = 0
    while made < n:
        m = rng.choice(w.austrian)
        day = w.day("AT")
        when = w.moment(day, m.kind)
        bill = _amount(rng, m.kind)
        paid = _tipped(rng, bill) if m.kind == "restaurant" else bill
        tx = w.pay_card(m, when, paid, VB if rng.random() < 0.75 else KONTOR)
        if tx is None:
            continue
        row = (
            _tip_row(w, m, day, bill, paid)
            if m.kind == "restaurant"
            else _receipt_row(w, m, day, bill)
        )
        w.books.doc("austria_receipt", row, tx)
        made += 1


_AT_SUPPLIERS = (
    ("Salzach Haustechnik Großhandel GmbH", "Salzach Haustechnik"),
    ("Pinzgauer Installationsbedarf KG", "Pinzgauer Installationsbedarf"),
    ("Elektro Hofer OG", "Elektro Hofer"),
    ("Tennengauer Heizungsbau-Zubehör GmbH", "Tennengauer HZ"),
)


def _at_suppliers(rng: random.Random) -> list[_Supplier]:
    return [
        _Supplier(
            legal,
            short,
            legal,
            _iban(rng, "AT"),
            _vat_at(rng),
            "{y}-{n:05d}",
            str(rng.randrange(1000, 9999)),
            (3.0, 8),
            k % 2 == 1,
            False,
            "AT",
        )
        for k, (legal, short) in enumerate(_AT_SUPPLIERS)
    ]


def _austria_invoice(w: _World, n: int, numbers: _Numbers, suppliers: list[_Supplier]) -> None:
    rng = w.rng
    for _ in range(n):
        s = rng.choice(suppliers)
        skonto = rng.random() < 0.5
        while True:
            issue = w.cal.bank_day(FIRST + timedelta(days=rng.randrange(-20, 355)), "AT")
            pay = w.cal.bank_day(
                issue + timedelta(days=rng.randrange(3, 8) if skonto else rng.randrange(25, 36)),
                "AT",
            )
            if FIRST <= pay <= LAST:
                break
        total, net = _invoice_total(rng, 3000, 400000, 20)
        number = numbers.take(s.legal, s.number_format, issue)
        paid = _skonto_amount(total, 3.0) if skonto else total
        if rng.random() < 0.5:
            text = f"Überweisung Zahlungsreferenz {number}"
        else:
            text = f"Überweisung Verwendungszweck: RE {number} KDNR {s.customer_no}" + (
                " abzgl. 3% Skonto" if skonto else ""
            )
        tx = w.books.vb(pay, -paid, s.payee, "transfer", text, counterparty_iban=s.iban)
        row = _wholesale_row(w, s, issue, total, net, number, issue + timedelta(days=30))
        row["customer_name"] = w.company_name(branch=True)
        row["customer_vat"] = w.vat_at if rng.random() < 0.5 else None
        w.books.doc("austria_invoice", row, tx)


# --------------------------------------------------------------------------
# Families: travel

_ROUTES = (
    ("Stuttgart Hbf", "Basel Bad Bf", 4990, 9890),
    ("Stuttgart Hbf", "Salzburg Hbf", 5990, 13990),
)
_ROUTES += (
    ("Stuttgart Hbf", "München Hbf", 2790, 9890),
    ("Stuttgart Hbf", "Karlsruhe Hbf", 1790, 3990),
)


def _rail_ticket(w: _World, n: int) -> None:
    rng = w.rng
    legal = "Fernbahn Vertrieb GmbH"
    vat = _vat_de(rng)
    for _ in range(n):
        day = w.day()
        _src, _dst, lo, hi = rng.choice(_ROUTES)
        cents = _log_amount(rng, lo, hi * 2, 10)
        when = w.moment(day, "online") + timedelta(hours=rng.choice((0, 2, 4)))
        utc = when - timedelta(hours=w.cal.offset(day), minutes=-rng.randrange(1, 12))
        desc = (
            "PAYPAL *FERNBAHN"
            if rng.random() < 0.25
            else rng.choice(("FERNBAHN ONLINE-TICKET", "FERNBAHN VERTRIEB"))
        )
        tx = w.books.kontor(utc, -cents, desc)
        row = {
            "document_type": "invoice",
            "total": _money(cents),
            "currency": "EUR",
            "supplier_name": _ocr_name(rng, legal if rng.random() < 0.6 else "Fernbahn"),
            "supplier_vat": vat if rng.random() < 0.7 else None,
            "customer_name": w.company_name() if rng.random() < 0.5 else rng.choice(w.staff),
            "issue_date": _issue_date(rng, day, 0.01),
            "invoice_number": f"Auftrag {_code(rng, 6)}",
            "received_at": _local_iso(w.cal, when + timedelta(minutes=rng.randrange(0, 3))),
            "checksum": w.checksum(),
            "_day": day,  # the true day (private; not written)
        }
        w.books.doc("rail_ticket", row, tx)


_HOTELS = (
    ("Hotel Rheinblick", "Rheinblick Hotelbetriebs AG", "Basel", "CHF", 14000, 26000),
    ("Hotel Schwanen Salzburg", "Schwanen Hotel GmbH", "Salzburg", "EUR", 9500, 16000),
    ("Schlafgut Hotel Karlsruhe", "Schlafgut Hotels GmbH", "Karlsruhe", "EUR", 7900, 13900),
    ("Schlafgut Hotel München Messe", "Schlafgut Hotels GmbH", "München", "EUR", 9900, 21000),
    ("Brindley Quay Hotel", "Brindley Quay Hotels Ltd", "Birmingham", "GBP", 9500, 17000),
)


def _hotel_vat(rng: random.Random, city: str) -> str | None:
    if city == "Salzburg":
        return _vat_at(rng)
    if city == "Basel":
        return _vat_ch(rng)
    return _vat_de(rng) if city != "Birmingham" else None


def _hotel_stay(w: _World, currency: str) -> tuple[date, int]:
    """(check-out day, nights) of a stay."""
    rng = w.rng
    nights = rng.choice((1, 1, 2, 2, 3, 4))
    if currency == "CHF":
        return rng.choice(w.swiss_days), nights
    if currency == "GBP":
        return date(YEAR, 5, rng.randrange(13, 17)), nights
    return w.day(), nights


def _hotel_invoice(w: _World, n: int) -> None:
    rng = w.rng
    for _ in range(n):
        trading, legal, city, currency, lo, hi = rng.choice(_HOTELS)
        checkout, nights = _hotel_stay(w, currency)
        total = _log_amount(rng, lo, hi, 100) * nights + rng.choice((0, 0, 1850, 2400, 3600))
        desc = _cut(_card_upper(trading) + " " + _card_upper(city), 22)
        shift = w.cal.offset(checkout) - (1 if currency == "GBP" else 0)
        out_at = datetime(
            checkout.year,
            checkout.month,
            checkout.day,
            rng.randrange(7, 11),
            rng.randrange(60),
            rng.randrange(60),
        )
        arrival = checkout - timedelta(days=nights)
        checkin = datetime(
            arrival.year, arrival.month, arrival.day, rng.randrange(15, 20), rng.randrange(60)
        ) - timedelta(hours=shift)
        eur, local = total, {}
        if currency != "EUR":
            eur = w.rates.eur(total, currency, checkout, 0.01)
            local = {"local_amount": _money(total), "local_currency": currency}
        if (
            rng.random() < 0.3 and checkin.year == YEAR
        ):  # a pre-authorisation, released at check-out
            hold = rng.choice((10000, 15000, 20000, 30000))
            hold_eur = (
                hold if currency == "EUR" else w.rates.eur(hold, currency, checkin.date(), 0.01)
            )
            extra = {"local_amount": _money(hold), "local_currency": currency} if local else {}
            w.books.kontor(checkin, -hold_eur, desc, **extra)
            w.books.kontor(
                out_at - timedelta(hours=shift, minutes=-3), hold_eur, desc, **extra
            )  # released
        tx = w.books.kontor(out_at - timedelta(hours=shift), -eur, desc, **local)
        m = _Merchant("hotel", (trading, legal), city, "", desc, _hotel_vat(rng, city))
        row = _receipt_row(w, m, checkout, total, currency)
        row["document_type"] = "invoice"
        row["invoice_number"] = f"{rng.randrange(10**5, 10**6)}"
        row["customer_name"] = w.company_name()
        w.books.doc("hotel_invoice", row, tx)


# --------------------------------------------------------------------------
# Families: no payment expected


def _sales_invoice(w: _World, n: int) -> None:
    rng = w.rng
    issued = sorted(w.cal.bank_day(FIRST + timedelta(days=rng.randrange(0, 358))) for _ in range(n))
    for issue in issued:  # numbered in order, with gaps (invoices not uploaded)
        customer, country = rng.choice(w.customers)
        w.sales_no += rng.randrange(1, 4)
        number = f"RE-{YEAR}-{w.sales_no:04d}" if country != "AT" else f"AT-{YEAR}-{w.sales_no:04d}"
        total, _net = _invoice_total(
            rng, 15000, 2400000, 20 if country == "AT" else 0 if country == "CH" else 19
        )
        currency = "CHF" if country == "CH" else "EUR"
        row = {
            "document_type": "invoice",
            "total": _money(total),
            "currency": currency,
            "supplier_name": _ocr_name(rng, BRANCH if country == "AT" else COMPANY),
            "supplier_vat": w.vat_at if country == "AT" else w.vat,
            "supplier_iban": w.ibans[VB if country == "AT" else KSK],
            "customer_name": _ocr_name(rng, customer),
            "issue_date": issue.isoformat(),
            "due_date": (issue + timedelta(days=14)).isoformat(),
            "invoice_number": number,
            "received_at": w.received(issue, 0, 1),
            "checksum": w.checksum(),
            "_day": issue,  # the true day (private; not written)
        }
        w.books.doc("sales_invoice", row, None, sales=True)
        if rng.random() < 0.5:
            _customer_pays(w, customer, country, number, issue, total)


def _customer_pays(
    w: _World, customer: str, country: str, number: str, issue: date, total: int
) -> None:
    rng = w.rng
    pay = issue + timedelta(days=rng.randrange(3, 45))
    r = rng.random()
    cents = _skonto_amount(total, 2.0) if r < 0.15 else total // 2 if r < 0.22 else total
    svwz = rng.choice(
        (
            f"RE {number}",
            f"Rechnung {number} {customer}",
            f"{number} Heizungswartung",
            f"Rg {number[-4:]}",
        )
    )
    if country == "AT":
        day = w.cal.bank_day(pay, "AT")
        if day <= LAST:
            w.books.vb(
                day,
                cents,
                customer,
                "income",
                f"Gutschrift Überweisung {svwz}",
                counterparty_iban=w.customer_iban[customer],
            )
        return
    day = w.cal.bank_day(pay)
    if day > LAST:
        return
    extra = {"counterparty_iban": w.customer_iban[customer]}
    if country == "CH":
        extra |= {"local_amount": _money(cents), "local_currency": "CHF"}
        cents = w.rates.eur(cents, "CHF", day, -0.006)
    w.books.ksk(
        day,
        cents,
        _bank_upper(customer),
        "income",
        f"Gutschrift SEPA-Überweisung EREF+NOTPROVIDED SVWZ+{svwz}",
        **extra,
    )


def _paid_cash_or_private(w: _World, n: int) -> None:
    rng = w.rng
    kinds = (
        "bakery",
        "bakery",
        "parking",
        "parking",
        "restaurant",
        "fuel",
        "counter",
        "carwash",
        "taxi",
    )
    for _ in range(n):
        if rng.random() < 0.12:
            m = rng.choice(w.austrian)
            day = w.day("AT")
        else:
            m = rng.choice(w.merchants[rng.choice(kinds)])
            day = w.day()
        w.books.doc("paid_cash_or_private", _receipt_row(w, m, day, _amount(rng, m.kind)), None)


def _outside_statement(w: _World, n: int, numbers: _Numbers) -> None:
    rng = w.rng
    for k in range(n):
        if k % 2 == 0:  # an invoice of late December, due in 2026
            s = rng.choice([x for x in w.wholesalers if not x.monthly])
            issue = w.cal.bank_day(date(YEAR, 12, rng.randrange(8, 20)))
            total, net = _invoice_total(rng, 4000, 400000)
            number = numbers.take(s.legal, s.number_format, issue)
            row = _wholesale_row(w, s, issue, total, net, number, issue + timedelta(days=30))
        else:  # a receipt of December 2024, uploaded in January
            m = rng.choice(w.merchants[rng.choice(("bakery", "fuel", "restaurant", "counter"))])
            day = date(YEAR - 1, 12, rng.randrange(2, 21))
            row = _receipt_row(w, m, day, _amount(rng, m.kind))
            row["received_at"] = _local_iso(
                w.cal,
                datetime(YEAR, 1, rng.randrange(2, 25), rng.randrange(8, 18), rng.randrange(60)),
            )
        w.books.doc("outside_statement", row, None)


def _duplicate_upload(w: _World, n: int) -> None:
    rng = w.rng
    pool = [d for d in w.books.docs if w.books.family[d["id"]] not in NO_PAYMENT_FAMILIES]
    if not pool:
        pool = list(w.books.docs)
    for original in rng.sample(pool, min(n, len(pool))) + [
        rng.choice(pool) for _ in range(max(0, n - len(pool)))
    ]:
        copy = dict(original)
        copy.pop("id")
        if not original.get("received_at"):
            day = original["_day"] + timedelta(days=rng.randrange(0, 6))
            original["received_at"] = _local_iso(
                w.cal, datetime(day.year, day.month, day.day, 18, 5)
            )
        first = original["received_at"]
        later = datetime.fromisoformat(first).replace(tzinfo=None) + timedelta(
            days=rng.randrange(1, 40), minutes=rng.randrange(1, 600)
        )
        copy["received_at"] = _local_iso(w.cal, later)
        if rng.random() < 0.5:  # a second photo: new file, new reading
            copy["checksum"] = w.checksum()
            if copy.get("supplier_name") and rng.random() < 0.6:
                copy["supplier_name"] = _ocr_name(rng, copy["supplier_name"])
            if rng.random() < 0.2:
                copy.pop("issue_date", None)
        w.books.doc("duplicate_upload", copy, None)


# --------------------------------------------------------------------------
# Noise: calendar lines


def _payroll(w: _World) -> list[tuple]:
    rows = []
    for month in range(1, 13):
        pay = w.cal.bank_day(_month_end(YEAR, month) - timedelta(days=3))
        for k, name in enumerate(w.staff):
            cents = 250000 + (_stable_hash(name) % 170000)
            at = k % 6 == 5
            text = f"LOHN/GEHALT {month:02d}/{YEAR}" + (
                " inkl. Weihnachtsgeld" if month == 11 else ""
            )
            if month == 11:
                cents = int(cents * 1.6)
            if at:
                rows.append(
                    (
                        "vb",
                        w.cal.bank_day(pay, "AT"),
                        -cents,
                        name,
                        "transfer",
                        f"Überweisung {text}",
                    )
                )
            else:
                rows.append(("ksk", pay, -cents, name, "transfer", _transfer_text(w.rng, text)))
    return rows


def _stable_hash(name: str) -> int:
    """A stable number from a name (not Python's salted hash)."""
    total = 0
    for ch in name:
        total = (total * 131 + ord(ch)) % 1000003
    return total


def _taxes(w: _World) -> list[tuple]:
    rng = w.rng
    fa = _creditor(rng, "Finanzamt Waiblingen", "FINANZAMT WAIBLINGEN", vat=False)
    town = _creditor(rng, "Stadtkasse Fellbach", "STADT FELLBACH", vat=False)
    kassen = [
        _creditor(rng, k, vat=False)
        for k in ("Gesundheitskasse Neckar", "BKK Werkbund", "IKK Handwerk Süd")
    ]
    staff = len(w.staff)
    rows = []
    for month in range(1, 13):
        tenth = w.cal.bank_day(date(YEAR, month, 10))
        prev = 12 if month == 1 else month - 1
        rows.append(
            (
                "ksk",
                tenth,
                -staff * rng.randrange(38000, 52000),
                fa.bank_name,
                "direct_debit",
                _debit_text(
                    fa, "FA-LSt", f"StNr 59012/34567 LSt {prev:02d}.{YEAR % 100}", "NOTPROVIDED"
                ),
            )
        )
        rows.append(
            (
                "ksk",
                tenth,
                -_log_amount(rng, 800000, 4000000),
                fa.bank_name,
                "direct_debit",
                _debit_text(
                    fa, "FA-USt", f"StNr 59012/34567 USt {prev:02d}.{YEAR % 100}", "NOTPROVIDED"
                ),
            )
        )
        for c in kassen:
            due = w.cal.bank_day(_month_end(YEAR, month) - timedelta(days=4))
            rows.append(
                (
                    "ksk",
                    due,
                    -staff * rng.randrange(25000, 40000) // 3,
                    c.bank_name,
                    "direct_debit",
                    _debit_text(
                        c,
                        "BN-" + c.creditor_id[-5:],
                        f"Beitragsnachweis {month:02d}/{YEAR} BNR 47110815",
                        "NOTPROVIDED",
                    ),
                )
            )
        if month in (3, 6, 9, 12):
            rows.append(
                (
                    "ksk",
                    tenth,
                    -_log_amount(rng, 500000, 1500000),
                    fa.bank_name,
                    "direct_debit",
                    _debit_text(
                        fa, "FA-KSt", f"StNr 59012/34567 KSt VZ {month // 3}/{YEAR}", "NOTPROVIDED"
                    ),
                )
            )
        if month in (2, 5, 8, 11):
            day = w.cal.bank_day(date(YEAR, month, 15))
            rows.append(
                (
                    "ksk",
                    day,
                    -_log_amount(rng, 400000, 1200000),
                    town.bank_name,
                    "direct_debit",
                    _debit_text(
                        town,
                        "GEW-0815",
                        f"Gewerbesteuer VZ {month // 3 + 1}/{YEAR} Kassenz. 4.1234.5678",
                        "NOTPROVIDED",
                    ),
                )
            )
    return rows


def _standing(w: _World) -> list[tuple]:
    rng = w.rng
    util = _creditor(rng, "Stadtwerke Fellbach GmbH", vat=True)
    waste = _creditor(rng, "Abfallwirtschaft Rems-Murr AöR", "AWRM ABFALLWIRTSCHAFT", vat=False)
    fuelcard = _creditor(rng, "Südtank Mineralölvertrieb GmbH", "SUEDTANK FLOTTENKARTE")
    rows = []
    for month in range(1, 13):
        first = w.cal.bank_day(date(YEAR, month, 1))
        rows.append(
            (
                "ksk",
                first,
                -285600,
                "Immobilien Kübler GbR",
                "transfer",
                f"Dauerauftrag SVWZ+Miete Halle 2 Gewerbegebiet Schmiden {month:02d}/{YEAR}",
            )
        )
        rows.append(
            (
                "ksk",
                w.cal.bank_day(date(YEAR, month, 15)),
                -rng.choice((41000, 41000, 43500)),
                util.bank_name,
                "direct_debit",
                _debit_text(
                    util,
                    "SWF-77123",
                    f"Abschlag Strom/Gas Vertragskonto 7712300 {month:02d}/{YEAR}",
                    "NOTPROVIDED",
                ),
            )
        )
        rows.append(
            (
                "ksk",
                w.cal.bank_day(date(YEAR, month, 20)),
                -_log_amount(rng, 150000, 600000),
                fuelcard.bank_name,
                "direct_debit",
                _debit_text(
                    fuelcard,
                    "FK-20455",
                    f"Flottenkarte Abrechnung {month:02d}/{YEAR} Kd 20455",
                    "NOTPROVIDED",
                ),
            )
        )
        rows.append(
            (
                "vb",
                w.cal.bank_day(date(YEAR, month, 1), "AT"),
                -180000,
                "Salzburger Gewerbeimmobilien GmbH",
                "transfer",
                f"Dauerauftrag Miete Lager Wals {month:02d}/{YEAR}",
            )
        )
        if month in (1, 4, 7, 10):
            rows.append(
                (
                    "ksk",
                    w.cal.bank_day(date(YEAR, month, 5)),
                    -rng.randrange(9000, 16000),
                    waste.bank_name,
                    "direct_debit",
                    _debit_text(
                        waste,
                        "AW-4711",
                        f"Gebührenbescheid Abfall {month:02d}/{YEAR}",
                        "NOTPROVIDED",
                    ),
                )
            )
    return rows


def _bank_fees(w: _World) -> list[tuple]:
    rng = w.rng
    rows = []
    for month in range(1, 13):
        end = _month_end(YEAR, month)
        ksk_day = w.cal.bank_day(end) if end < LAST else w.cal.bank_day(end - timedelta(days=2))
        if ksk_day > LAST:
            ksk_day = date(YEAR, 12, 30)
        fee = rng.randrange(3500, 9500)
        rows.append(
            (
                "ksk",
                ksk_day,
                -fee,
                "",
                "transfer",
                f"Abschluss per {end:%d.%m.%Y} Entgelte {_de(fee)} Zinsen 0,00",
            )
        )
        rows.append(
            (
                "kontor",
                datetime(YEAR, month, 1, 5, rng.randrange(60)),
                -rng.choice((4900, 4900, 9900)),
                "Kontor",
                "transfer",
                "Kontor Business Team Abo",
            )
        )
        if month % 3 == 0:
            rows.append(
                (
                    "vb",
                    w.cal.bank_day(end - timedelta(days=1), "AT"),
                    -rng.randrange(2500, 6000),
                    "",
                    "transfer",
                    f"Kontoführungsentgelt {month // 3}. Quartal {YEAR}",
                )
            )
    return rows


def _write_row(w: _World, row: tuple) -> None:
    account, when, cents, counterparty, op, text, *rest = row
    extra = rest[0] if rest else {}
    if account == "ksk":
        w.books.ksk(when, cents, counterparty, op, text, **extra)
    elif account == "vb":
        w.books.vb(when, cents, counterparty, op, text, **extra)
    else:
        w.books.kontor(when, cents, counterparty, op, **({"reference": text} | extra))


# --------------------------------------------------------------------------
# Noise: proportional lines


def _card_spend(w: _World, n: int) -> None:
    rng = w.rng
    kinds = (
        ("bakery",) * 5 + ("fuel",) * 6 + ("counter",) * 4 + ("restaurant",) * 3 + ("parking",) * 2
    )
    kinds += ("carwash", "taxi")
    made = 0
    while made < n:
        days = rng.choices(w.cal.work_de, cum_weights=w.cal.work_de_cum, k=n - made)
        made += _card_spend_days(w, kinds, days)


def _card_spend_days(w: _World, kinds: tuple[str, ...], days: list[date]) -> int:
    rng = w.rng
    made = 0
    for day in days:
        kind = rng.choice(kinds)
        m = rng.choice(w.merchants[kind])
        cents = _amount(rng, kind)
        if kind == "restaurant":
            cents = _tipped(rng, cents)
        account = KSK if rng.random() < 0.3 else KONTOR
        when = w.moment(day, kind)
        if account == KSK:
            made += w.pay_card(m, when, cents, KSK) is not None
            continue
        utc = when - timedelta(hours=w.cal.offset(day))
        extra = {"has_attachment": True} if rng.random() < 0.03 else {}
        w.books.kontor(utc, -cents, m.desc, **extra)
        made += 1
    return made


def _austria_card_spend(w: _World, n: int) -> None:
    rng = w.rng
    made = 0
    while made < n:
        m = rng.choice(w.austrian)
        day = w.day("AT")
        cents = _amount(rng, m.kind)
        made += (
            w.pay_card(m, w.moment(day, m.kind), cents, VB if rng.random() < 0.8 else KONTOR)
            is not None
        )


def _swiss_card_spend(w: _World, n: int) -> None:
    rng = w.rng
    for _ in range(n):
        m = rng.choice(w.swiss)
        day = rng.choice(w.swiss_days)
        chf = _chf_price(rng, m.kind)
        w.pay_card(
            m, w.moment(day, m.kind), w.rates.eur(chf, "CHF", day, 0.01), KONTOR, ("CHF", chf)
        )


def _customer_payments(w: _World, n: int) -> None:
    rng = w.rng
    for _ in range(n):
        customer, country = rng.choice(w.customers)
        day = w.cal.bank_day(
            FIRST + timedelta(days=rng.randrange(0, 360)), "AT" if country == "AT" else "DE"
        )
        day = min(day, date(YEAR, 12, 30))
        cents, _ = _invoice_total(rng, 9000, 1500000)
        number = f"RE-{YEAR if rng.random() < 0.9 else YEAR - 1}-{rng.randrange(1, 9999):04d}"
        svwz = rng.choice(
            (
                f"RE {number}",
                f"Rechnung {number}",
                f"Abschlag {rng.randrange(1, 4)} Heizungstausch",
                f"Wartung {number[-4:]}",
                "Danke",
            )
        )
        if country == "AT":
            w.books.vb(
                w.cal.bank_day(day, "AT"),
                cents,
                customer,
                "income",
                f"Gutschrift Überweisung {svwz}",
                counterparty_iban=w.customer_iban[customer],
            )
        elif country == "CH":
            eur = w.rates.eur(cents, "CHF", day, -0.006)
            w.books.ksk(
                day,
                eur,
                _bank_upper(customer),
                "income",
                f"Auslandsgutschrift SVWZ+{svwz}",
                local_amount=_money(cents),
                local_currency="CHF",
            )
        else:
            w.books.ksk(
                day,
                cents,
                rng.choice((customer, _bank_upper(customer))),
                "income",
                f"Gutschrift SEPA-Überweisung EREF+NOTPROVIDED SVWZ+{svwz}",
                counterparty_iban=w.customer_iban[customer],
            )


def _supplier_transfers(
    w: _World, n: int, numbers: _Numbers, at_suppliers: list[_Supplier]
) -> None:
    rng = w.rng
    for _ in range(n):
        if rng.random() < 0.2:
            s = rng.choice(at_suppliers)
            day = w.cal.bank_day(FIRST + timedelta(days=rng.randrange(0, 358)), "AT")
            number = numbers.take(s.legal, s.number_format, day)
            cents, _ = _invoice_total(rng, 3000, 400000, 20)
            w.books.vb(
                day,
                -cents,
                s.payee,
                "transfer",
                f"Überweisung Zahlungsreferenz {number}",
                counterparty_iban=s.iban,
            )
            continue
        s = rng.choice([x for x in w.wholesalers if not x.monthly])
        day = rng.choice(w.cal.payment_runs)
        number = numbers.take(s.legal, s.number_format, day)
        cents, _ = _invoice_total(rng, 4000, 600000)
        skonto = rng.random() < 0.5
        paid = _skonto_amount(cents, s.skonto[0]) if skonto else cents
        svwz = _remittance(
            rng, s, number, day - timedelta(days=8), cents - paid if skonto else None
        )
        w.books.ksk(
            day, -paid, s.payee, "transfer", _transfer_text(rng, svwz), counterparty_iban=s.iban
        )


def _marketplace_charges(w: _World, n: int) -> None:
    rng = w.rng
    for _ in range(n):
        legal = rng.choice(_SELLERS)[0]
        day = w.day()
        utc = datetime(
            day.year, day.month, day.day, rng.randrange(1, 22), rng.randrange(60), rng.randrange(60)
        )
        cents = _log_amount(rng, 790, 64000)
        w.books.kontor(utc, cents if rng.random() < 0.08 else -cents, _market_desc(rng, legal))


def _own_transfers(w: _World, n: int) -> None:
    rng = w.rng
    made = 0
    while made < n:
        day = rng.choice(w.cal.payment_runs[:-2])  # both legs booked in the year
        cents = rng.choice((200000, 300000, 500000, 500000, 1000000, 1500000))
        if n - made == 1:  # a lone leg: the managing director's Einlage
            w.books.ksk(
                day,
                cents,
                "Vogt, Martin",
                "income",
                "Gutschrift SEPA-Überweisung EREF+NOTPROVIDED SVWZ+Einlage Gesellschafter",
                counterparty_iban=_iban(rng, "DE"),
            )
            return
        if rng.random() < 0.6:
            w.books.ksk(
                day,
                -cents,
                "Brenner & Vogt Haustechnik",
                "transfer",
                "SEPA-Überweisung EREF+NOTPROVIDED SVWZ+Umbuchung Kartenkonto Kontor",
                counterparty_iban=w.ibans[KONTOR],
            )
            arrive = datetime(day.year, day.month, day.day, rng.randrange(9, 16), rng.randrange(60))
            w.books.kontor(
                arrive,
                cents,
                "Brenner & Vogt Haustechnik GmbH",
                "income",
                reference="Umbuchung Kartenkonto Kontor",
                counterparty_iban=w.ibans[KSK],
            )
        else:
            w.books.ksk(
                day,
                -cents,
                "Brenner & Vogt Haustechnik",
                "transfer",
                "SEPA-Überweisung EREF+NOTPROVIDED SVWZ+Übertrag ZN Salzburg",
                counterparty_iban=w.ibans[VB],
            )
            w.books.vb(
                w.cal.bank_day(day, "AT", 1),
                cents,
                COMPANY,
                "income",
                "Gutschrift Überweisung Übertrag ZN Salzburg",
                counterparty_iban=w.ibans[KSK],
            )
        made += 2


def _cash_withdrawals(w: _World, n: int) -> None:
    rng = w.rng
    for _ in range(n):
        day = w.day()
        cents = rng.choice((5000, 10000, 10000, 20000, 30000, 50000))
        if rng.random() < 0.6:
            booked = w.cal.booking_day(day, "DE", 1)
            if booked > LAST:
                booked = date(YEAR, 12, 30)
            w.books.ksk(
                booked,
                -cents,
                f"GA NR{rng.randrange(10**7, 10**8)} BLZ60250010",
                "card",
                f"Bargeldauszahlung girocard {day:%d.%m} {rng.randrange(8, 19)}:{rng.randrange(60):02d}",
            )
        else:
            utc = datetime(day.year, day.month, day.day, rng.randrange(6, 18), rng.randrange(60))
            w.books.kontor(utc, -cents, f"ATM {_card_upper(rng.choice(_CITIES))}")


def _counter_returns(w: _World, n: int) -> None:
    rng = w.rng
    made = 0
    while made < n:
        m = rng.choice(w.merchants["counter"])
        day = w.day()
        cents = _log_amount(rng, 500, 40000)
        if rng.random() < 0.5:
            utc = datetime(day.year, day.month, day.day, rng.randrange(6, 15), rng.randrange(60))
            w.books.kontor(utc, cents, m.desc)
            made += 1
            continue
        booked = w.cal.booking_day(day, "DE", 1)
        if booked <= LAST:
            w.books.ksk(
                booked,
                cents,
                f"{m.terminal}//{m.city.translate(_E_FORM)}/DE",
                "card",
                f"Gutschrift girocard {day:%d.%m} Storno/Rückgabe",
            )
            made += 1


_ONLINE = (  # (descriptor, lowest, highest amount in cents)
    ("PAYPAL *OFFICEWELT", 900, 25000),
    ("BUEROBEDARF24.DE", 900, 30000),
    ("PAYPAL *DRUCKEREI LAUE", 4000, 60000),
    ("TANKSTELLENSHOP", 250, 2500),
    ("SQ *COFFEE BIKE", 250, 1800),
    ("ZETTLE_*WOCHENMARKT", 300, 3500),
    ("PARKLINE*STUTTGART", 150, 2500),
    ("FERNBAHN ONLINE-TICKET", 1790, 28000),
)


def _online_card_spend(w: _World, n: int) -> None:
    rng = w.rng
    for _ in range(n):
        day = w.day()
        utc = datetime(
            day.year, day.month, day.day, rng.randrange(5, 21), rng.randrange(60), rng.randrange(60)
        )
        desc, lo, hi = rng.choice(_ONLINE)
        w.books.kontor(utc, -_log_amount(rng, lo, hi, 10), desc)


# --------------------------------------------------------------------------
# Counting and the generator


def _counts(total: int, shares: dict[str, float]) -> dict[str, int]:
    """Largest-remainder split of `total`, each share at least one (names in order)."""
    weight = sum(shares.values())
    raw = {k: total * v / weight for k, v in shares.items()}
    counts = {k: max(1, int(v)) for k, v in raw.items()}
    rest = total - sum(counts.values())
    by_fraction = sorted(raw, key=lambda k: (-(raw[k] - int(raw[k])), k))
    for k in by_fraction[: max(0, rest)]:
        counts[k] += 1
    while sum(counts.values()) > total:
        biggest = max(sorted(counts), key=lambda k: counts[k])
        counts[biggest] -= 1
    return counts


class GmbhGenerator:
    """A German installer's year (see the module docstring): `documents` documents and
    exactly `transactions` transactions, deterministic for `seed`."""

    def __init__(self, documents: int, transactions: int, seed: int):
        self.documents = documents
        self.transactions = transactions
        self.seed = seed

    def build(self) -> Dataset:
        from bench.matching import Dataset

        rng = random.Random(f"gmbh-{self.seed}")
        w = _World(rng, self.documents)
        counts = _counts(self.documents, SHARES)
        self._families(w, counts)
        paying = len(w.books.txs)
        budget = self.transactions - paying
        if budget < 0:
            raise ValueError(
                f"{self.transactions} transactions cannot hold the {paying} that pay the documents"
            )
        self._noise(w, budget)
        assert len(w.books.txs) == self.transactions, (len(w.books.txs), self.transactions)
        return self._dataset(w, Dataset)

    def _families(self, w: _World, counts: dict[str, int]) -> None:
        numbers = _Numbers(w.rng)
        self.at_suppliers = _at_suppliers(w.rng)
        for family in _RECEIPT_KINDS:
            _card_receipts(w, family, counts[family])
        _restaurant_tip(w, counts["restaurant_tip"])
        _taxi_tip(w, counts["taxi_tip"])
        for family in ("wholesale_skonto", "wholesale_full"):
            _wholesale(w, family, counts[family], numbers)
        _wholesale_collective(w, counts["wholesale_collective"], numbers)
        _instalment_invoice(w, counts["instalment_invoice"], numbers)
        _telecom_dd(w, counts["telecom_dd"], numbers)
        _software_subscription(w, counts["software_subscription"], numbers)
        _van_leasing(w, counts["van_leasing"], numbers)
        _van_insurance(w, counts["van_insurance"], numbers)
        _levies(w, counts["levies_dd"], numbers)
        _marketplace_order(w, counts["marketplace_order"])
        _marketplace_refund(w, counts["marketplace_refund"])
        _swiss_card_receipt(w, counts["swiss_card_receipt"])
        _swiss_invoice(w, counts["swiss_invoice"], numbers)
        _austria_receipt(w, counts["austria_receipt"])
        _austria_invoice(w, counts["austria_invoice"], numbers, self.at_suppliers)
        _rail_ticket(w, counts["rail_ticket"])
        _hotel_invoice(w, counts["hotel_invoice"])
        _sales_invoice(w, counts["sales_invoice"])
        _paid_cash_or_private(w, counts["paid_cash_or_private"])
        _outside_statement(w, counts["outside_statement"], numbers)
        _duplicate_upload(w, counts["duplicate_upload"])
        self.numbers = numbers

    def _noise(self, w: _World, budget: int) -> None:
        calendar = _payroll(w) + _taxes(w) + _standing(w) + _bank_fees(w)
        room = int(budget * 0.4)
        if len(calendar) > room:
            keep = sorted(w.rng.sample(range(len(calendar)), room))
            calendar = [calendar[i] for i in keep]
        for row in calendar:
            _write_row(w, row)
        rest = budget - len(calendar)
        if rest < len(NOISE_SHARES):
            _card_spend(w, rest)
            return
        counts = _counts(rest, NOISE_SHARES)
        _card_spend(w, counts["card_spend"])
        _austria_card_spend(w, counts["austria_card_spend"])
        _swiss_card_spend(w, counts["swiss_card_spend"])
        _customer_payments(w, counts["customer_payments"])
        _supplier_transfers(w, counts["supplier_transfers"], self.numbers, self.at_suppliers)
        _marketplace_charges(w, counts["marketplace_charges"])
        _own_transfers(w, counts["own_transfers"])
        _cash_withdrawals(w, counts["cash_withdrawals"])
        _counter_returns(w, counts["counter_returns"])
        _online_card_spend(w, counts["online_card_spend"])

    def _dataset(self, w: _World, dataset_class: type) -> Dataset:
        b = w.books
        b.txs.sort(key=lambda t: (t[0], t[1]))
        transactions = [row for _key, _id, row in b.txs]
        for d in b.docs:
            del d["_day"]
        documents = sorted(b.docs, key=lambda d: (d.get("received_at") or "9", d["id"]))
        organization = {
            "name": COMPANY,
            "vat": w.vat,
            "ibans": [w.ibans[KSK], w.ibans[VB], w.ibans[KONTOR]],
        }
        return dataset_class(
            organization=organization,
            transactions=transactions,
            documents=documents,
            truth={d["id"]: b.truth[d["id"]] for d in documents},
            sales_ids=set(b.sales),
            family={d["id"]: b.family[d["id"]] for d in documents},
        )
