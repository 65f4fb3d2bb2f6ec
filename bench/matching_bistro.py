"""Benchmark data for the matching engine: a group of three bistrots, calendar year 2025.

Written from the product brief only (the input format in `shared/matching/model.py`,
`docs/FEED.md`), without reading the engine or the other generators.

The business
------------
"Maison Garance SAS", Bordeaux, about 45 staff, runs three restaurants: Bistrot Garance
Chartrons (closed Sundays, two card terminals), Le Comptoir Garance in Saint-Michel
(closed Mondays, a week off in February) and Garance Côté Jardin in Le Bouscat (closed
Sundays and Mondays, three weeks off in August). Suppliers deliver each restaurant and
bill it under the restaurant's name; the accounts are the company's.

The accounts and how they write a line
--------------------------------------
- A mutualist bank, Caisse Mutuelle d'Aquitaine (`cma-courant-0457`): every line carries
  its booking date only (`emitted_at` at local midnight, with its offset).
  - card: `PAIEMENT CB 0601 DISTRIPRO MERIGNAC CARTE 51372690`: payment day (ddmm), the
    card network's 22-character merchant field, the card number. The owner's card is
    booked 1 to 3 business days after the payment; the co-manager's deferred-debit card
    books the whole month on its last business day. Foreign payments add
    `49,00 USD` and carry `local_amount`/`local_currency`, and a separate commission line.
  - SEPA direct debit: `PRLV SEPA <creditor name, 32 chars>`, reference
    `<creditor's remittance text> - RUM <mandate>` (the creditor decides the text: its
    invoice number, a statement number, a contract number, a customer number).
  - transfers: `VIR SEPA <beneficiary as saved, upper case>` with the motif typed by the
    bookkeeper and the beneficiary IBAN; received: `VIR SEPA RECU /DE <payer>`.
  - `REMISE CB 0601 0412377 73 FACT` (card-terminal settlement of a day, booked the next
    business day), `VERSEMENT ESPECES`, `RETRAIT DAB`, `ECHEANCE PRET`, bank fees.
- A business neo-bank, Orbe (`orbe-business-01`), for the staff cards: a card line's
  counterparty is the network's raw merchant field (at most 22 characters, sometimes
  behind a payment facilitator prefix such as `TPZ*` or `KWIK *`), `emitted_at` is the
  exact moment of payment and `settled_at` 1 to 3 business days later; USD payments carry
  `local_amount`. Transfers and direct debits carry their exact time.

Documents are what an extractor reads: e-mailed PDFs and supplier-portal downloads
(clean), photos of paper invoices, thermal receipts and handwritten market receipts
(OCR slips in names, missing names, dates or numbers, now and then a misread total whose
true value is among `candidate_totals`). `received_at` is the upload time.

Families (measured share of documents at 10,000 documents, seed 1; truth None when said)
--------------------------------------------------------------------------------------
Food and beverage suppliers (each restaurant has its own customer account and mandate):
- `wholesale_dd_invoice` (~14 %): produce, fish, poultry and coffee wholesalers debit each
  delivery invoice on its own, 7 to 20 days later, their remittance text naming it; also
  the decade statements that hold a single invoice.
- `wholesale_dd_grouped` (~11 %): meat, broadline and frozen wholesalers debit every ten
  days the sum of the decade's invoices (the frozen one through a factoring company,
  whose name is on the debit): None.
- `wholesale_transfer` (~8.5 %): dairy, charcuterie, the bakery's monthly statement, a
  Spanish supplier (no French VAT, Spanish IBAN): one transfer per invoice at 30 days end
  of month (30 days net for the Spanish one), often a few days late, the motif typed by
  the bookkeeper; also the monthly batches that hold a single invoice.
- `wholesale_transfer_grouped` (~4.5 %): wine merchant and fine grocer paid by one
  transfer a month for all the invoices due: None.
- `credit_note` (~2 %): credit notes for returned or damaged goods, deducted from the next
  payment (or the decade's debit): None.
- `netted_invoice` (~1.7 %): the invoice whose payment had a credit note deducted: None.
- `brewery_invoice` (~5 %): craft brewery and beverage distributor, keg deposits charged
  and returned kegs deducted on the invoice (the drinks total among the candidates);
  each invoice debited on its own.
- `keg_refund` (~0.7 %): credit notes for kegs collected without a delivery: refunded by
  a transfer from the brewery (truth: that credit) or deducted from the next debit (None),
  about half each.
- `cash_carry` (~11.5 %): cash & carry tickets (photos, sometimes a subtotal read as the
  total) and invoices from the store's portal, paid by a staff card on the neo-bank or
  by the owner's cards.
- `market_cash` (~5 %): market producers paid in cash, handwritten receipts: None.
- `market_card` (~5 %): market producers with small card terminals (facilitator prefix,
  sometimes the farmer's own name rather than the farm's).

Contracts and services:
- `lease` (~1.8 %): monthly lease invoices; several contracts of one lessor at the same
  price debited the same day, the contract number in the debit's reference and, for one
  lessor, in the invoice number.
- `lease_schedule` (3 documents): a lessor's yearly schedule of instalments: None.
- `maintenance` (~0.5 %): pest control and cold-room maintenance (direct debits, the same
  price for the three restaurants), hood cleaning (transfer).
- `repair` (~1.4 %): technicians paid on site by card or later by transfer.
- `deposit_balance` (~0.4 %): equipment bought with a deposit invoice, then a final
  invoice whose amount_due is the balance: each matched to its own transfer.
- `partial_payment` (~0.3 %): a large repair invoice paid in two or three transfers: None.
- `energy` (~0.5 %): monthly electricity and gas invoices, direct debit.
- `energy_trueup` (1 document): yearly true-up of a gas contract paid by monthly
  estimates (the estimates have no document): the balance debited, or refunded.
- `water` (~0.1 %, one restaurant pays by transfer), `telecom` (~0.5 %, three boxes at the
  same price), `waste` (~0.4 %), `accounting_payroll` (~0.25 %): invoices debited or paid
  by transfer; `insurance` (4 documents): yearly notices paid quarterly (None) and a
  policy debited at once; `music_licence` (6 documents): yearly licences by card or
  transfer.
- `software` (~0.7 %): point of sale per restaurant (same price, same day), reservation
  and website tools billed in USD and paid by card (local amount in USD), rota and menu
  tools in EUR.
- `terminal_rental` (~0.4 %): card terminal rental, debited.
- `card_commission` (~0.4 %): monthly card commission statements: netted from the
  settlements (None) for two restaurants, debited for the third.
- `delivery_statement` (~2.6 %): delivery platforms' weekly commission statements, the
  commission deducted from the payout (the payout sometimes among the candidates): None.
- `delivery_invoice` (~0.6 %): platform tablet and marketing invoices, debited or charged
  to a card.

People:
- `staff_hardware` (~2 %), `staff_cleaning` (~2 %), `staff_fuel` (~2.5 %, the delivery
  scooters), `staff_parking` (~1.5 %), `staff_train` (~0.4 %, supplier visits): receipts
  and e-invoices of staff card payments.
- `trade_fair` (~0.4 %): trips to trade fairs in Paris and Lyon: trains, badges, hotel,
  meals (the tip on the card, not on the bill), taxis.
- `business_meal` (~2 %): meals with suppliers and clients, a third with a tip on the card.
- `personal_card` (~1.5 %): paid with a personal card, reimbursed monthly with the
  person's other expenses: None.
- `sales_invoice` (~3 %): invoices issued by Maison Garance for private events and
  catering (deposit, then balance with the amount due), paid in by transfer: sales_ids,
  None.
- `duplicate` (~2 %): a document uploaded a second time (a photo of the paper copy after
  the e-mailed PDF, or the same file again, same checksum): None, the first copy holds
  the truth.
- `outside_period` (~2.8 %): documents whose payment is not on the 2025 statement
  (November-December 2024 purchases uploaded in January, December invoices paid in 2026,
  card payments of the last days booked in 2026): None.

About 37 % of the documents have no transaction. Each transaction is the truth of at most
one document (no split documents are modelled).

Noise transactions fill the rest: each terminal's daily card settlements, foreign-card
and meal-voucher settlements, cash deposits and the weekly cash withdrawal for the
market, salaries, social charges and taxes, loan instalments, bank fees, weekly top-ups
of the neo-bank account (both legs), expense reimbursements, delivery platforms'
payouts, clients' transfers for the sales invoices, the periods of contracts whose
invoice was not uploaded (estimates, quarterly insurance, scooter insurance, ...), and
payments with no document uploaded: the same cash & carry, producers, shops and
wholesalers as the documented ones, and a long tail of neighbourhood shops. At 10
transactions per document these are by far the largest part. Calendar noise is capped at
60 % of the noise budget, so small datasets still hold undocumented purchases. Recurring
families keep at least one contract, so below about 200 documents the sizes asked for
are exceeded.
"""

from __future__ import annotations

import math
import random
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from bench.matching import Dataset

PARIS = ZoneInfo("Europe/Paris")
FIRST = date(2025, 1, 1)
LAST = date(2025, 12, 31)
ONE = timedelta(days=1)
CMA = "cma-courant-0457"
ORBE = "orbe-business-01"

HOLIDAYS = frozenset(
    {
        date(2024, 11, 1),
        date(2024, 11, 11),
        date(2024, 12, 25),
        date(2025, 1, 1),
        date(2025, 4, 21),
        date(2025, 5, 1),
        date(2025, 5, 8),
        date(2025, 5, 29),
        date(2025, 6, 9),
        date(2025, 7, 14),
        date(2025, 8, 15),
        date(2025, 11, 1),
        date(2025, 11, 11),
        date(2025, 12, 25),
        date(2026, 1, 1),
        date(2026, 4, 6),
    }
)

# Target share of the documents per family (the derived ones, `netted_invoice` and the
# relabelled `outside_period`, come out of the others).
SHARES: dict[str, float] = {
    "wholesale_dd_invoice": 0.15,
    "wholesale_dd_grouped": 0.11,
    "wholesale_transfer": 0.10,
    "wholesale_transfer_grouped": 0.045,
    "credit_note": 0.02,
    "brewery_invoice": 0.055,
    "keg_refund": 0.007,
    "cash_carry": 0.115,
    "market_cash": 0.05,
    "market_card": 0.05,
    "lease": 0.024,
    "lease_schedule": 0.0003,
    "maintenance": 0.0055,
    "repair": 0.015,
    "deposit_balance": 0.004,
    "partial_payment": 0.003,
    "energy": 0.005,
    "energy_trueup": 0.0001,
    "water": 0.0012,
    "telecom": 0.005,
    "insurance": 0.0005,
    "waste": 0.004,
    "music_licence": 0.0006,
    "accounting_payroll": 0.0025,
    "software": 0.0085,
    "terminal_rental": 0.0036,
    "card_commission": 0.0036,
    "delivery_statement": 0.026,
    "delivery_invoice": 0.006,
    "staff_hardware": 0.02,
    "staff_cleaning": 0.02,
    "staff_fuel": 0.025,
    "staff_parking": 0.015,
    "staff_train": 0.004,
    "trade_fair": 0.004,
    "business_meal": 0.02,
    "personal_card": 0.015,
    "sales_invoice": 0.03,
    "duplicate": 0.02,
    "outside_period": 0.008,
}

# How each kind of document reads: probabilities that the extractor gets a damaged name,
# no name, the VAT id, the IBAN (when printed), the customer, the issue date, the due
# date (when printed), the invoice number; and that it misreads the total.
CHANNELS: dict[str, tuple[float, ...]] = {
    "pdf": (0.0, 0.02, 0.88, 0.85, 0.85, 0.99, 0.8, 0.97, 0.0),
    "portal": (0.0, 0.01, 0.92, 0.8, 0.9, 1.0, 0.85, 0.99, 0.0),
    "photo": (0.22, 0.06, 0.45, 0.4, 0.55, 0.94, 0.55, 0.75, 0.015),
    "receipt": (0.28, 0.1, 0.3, 0.0, 0.05, 0.91, 0.0, 0.45, 0.025),
    "handwritten": (0.15, 0.35, 0.05, 0.05, 0.2, 0.85, 0.0, 0.3, 0.03),
    "app": (0.0, 0.03, 0.3, 0.0, 0.05, 0.99, 0.0, 0.6, 0.0),
}

OCR_SLIPS = (
    ("O", "0"),
    ("0", "O"),
    ("I", "1"),
    ("l", "1"),
    ("i", "l"),
    ("S", "5"),
    ("B", "8"),
    ("rn", "m"),
    ("m", "rn"),
    ("E", "F"),
    ("é", "e"),
    ("è", "e"),
    ("e", "c"),
    ("a", "o"),
    ("h", "b"),
    ("D", "O"),
    ("G", "C"),
    ("u", "v"),
    ("'", ""),
    ("-", " "),
    ("&", "8"),
)
DIGIT_SLIPS = {"1": "7", "7": "1", "3": "8", "8": "3", "5": "6", "6": "5", "0": "8", "9": "0"}

FIRST_NAMES = (
    "Camille Léa Manon Chloé Inès Sarah Julie Emma Lucie Pauline Marie Clara Anaïs Laura "
    "Lucas Hugo Théo Nathan Louis Mathis Thomas Maxime Antoine Julien Romain Kevin Yanis "
    "Karim Mehdi Samir Moussa Diego Pedro Alexis Baptiste Quentin Florian Jérémy Nicolas"
).split()
SURNAMES = (
    "Martin Bernard Dubois Durand Lefebvre Moreau Laurent Simon Michel Garcia Fournier "
    "Lambert Fontaine Rousseau Vincent Muller Lefèvre Faure Andre Mercier Blanc Guerin "
    "Boyer Garnier Chevalier Francois Legrand Gauthier Perrin Robin Clement Morin Nicolas "
    "Henry Roussel Mathieu Gautier Masson Marchand Duval Denis Dumont Marie Lemaire Noel "
    "Meyer Dufour Meunier Brun Blanchard Giraud Joly Riviere Lucas Brunet Gaillard Barbier "
    "Arnaud Martinez Gerard Roche Renard Schmitt Roy Leroux Colin Vidal Caron Picard Roger "
    "Fabre Aubert Lemoine Renaud Dumas Lacroix Olivier Philippe Bourgeois Pierre Benoit "
    "Rey Leclerc Payet Rolland Leclercq Guillaume Lecomte Lopez Jean Dupuy Guillot Hubert "
    "Berger Carpentier Sanchez Dupuis Moulin Louis Deschamps Huet Vasseur Perez Boucher "
    "Fleury Royer Klein Jacquet Adam Paris Poirier Marty Aubry Guyot Carre Charles Renault "
    "Charpentier Menard Maillard Baron Bertin Bailly Herve Schneider Fernandez Le Gall "
    "Collet Leger Bouvier Julien Prevost Millet Perrot Daniel Le Roux Cousin Germain Breton "
    "Besson Langlois Remy Le Goff Pelletier Leveque Perrier Leblanc Barre Lebrun Marchal "
    "Weber Mallet Hamon Boulanger Jacob Monnier Michaud Rodriguez Guichard Gillet Etienne "
    "Grondin Poulain Tessier Chevallier Collin Chauvin Da Silva Bouchet Gay Lemaitre"
).split()


# ---------------------------------------------------------------------------------------
# Small helpers: money, dates, identifiers.


def money(cents: int) -> str:
    """Integer cents as a decimal string: -1234 -> '-12.34'."""
    sign = "-" if cents < 0 else ""
    cents = abs(cents)
    return f"{sign}{cents // 100}.{cents % 100:02d}"


def fr_amount(cents: int) -> str:
    return f"{cents // 100},{cents % 100:02d}"


def plain(text: str) -> str:
    """Upper case without accents, as banks print names."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).upper()


def stamp(day: date, secs: int = 0) -> str:
    secs = min(max(secs, 0), 86399)
    moment = datetime(
        day.year, day.month, day.day, secs // 3600, secs // 60 % 60, secs % 60, tzinfo=PARIS
    )
    return moment.isoformat()


def is_business(day: date) -> bool:
    return day.weekday() < 5 and day not in HOLIDAYS


def business_on_or_after(day: date) -> date:
    while not is_business(day):
        day += ONE
    return day


def add_business(day: date, n: int) -> date:
    for _ in range(n):
        day = business_on_or_after(day + ONE)
    return day


def month_end(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1) - ONE


def last_business(day: date) -> date:
    end = month_end(day)
    while not is_business(end):
        end -= ONE
    return end


def decade_end(day: date) -> date:
    if day.day <= 10:
        return day.replace(day=10)
    if day.day <= 20:
        return day.replace(day=20)
    return month_end(day)


def decade_number(day: date) -> str:
    """A decade statement's number: year and decade of the year (`25007`)."""
    return f"{day.year % 100:02d}{(day.month - 1) * 3 + min(2, (day.day - 1) // 10) + 1:03d}"


def days_between(start: date, end: date) -> list[date]:
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


def iban_check(bban: str, country: str) -> str:
    numeric = "".join(str(int(c, 36)) for c in bban + country + "00")
    return f"{98 - int(numeric) % 97:02d}"


def iban_fr(rng: random.Random, bank: str) -> str:
    branch = f"{rng.randrange(100000):05d}"
    account = f"{rng.randrange(10**11):011d}"
    key = 97 - (89 * int(bank) + 15 * int(branch) + 3 * int(account)) % 97
    bban = f"{bank}{branch}{account}{key:02d}"
    return f"FR{iban_check(bban, 'FR')}{bban}"


def iban_es(rng: random.Random) -> str:
    bban = f"{rng.randrange(10**20):020d}"
    return f"ES{iban_check(bban, 'ES')}{bban}"


def spaced(iban: str) -> str:
    return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))


def siren(rng: random.Random) -> str:
    body = [rng.randrange(10) for _ in range(8)]
    body[0] = rng.randrange(3, 9)
    for check in range(10):
        digits = [*body, check]
        total = 0
        for i, d in enumerate(digits):
            if i % 2 == 1:
                d *= 2
                d = d - 9 if d > 9 else d
            total += d
        if total % 10 == 0:
            return "".join(map(str, digits))
    raise AssertionError("unreachable")


def vat_fr(siren_: str) -> str:
    return f"FR{(12 + 3 * (int(siren_) % 97)) % 97:02d}{siren_}"


def creditor_id(rng: random.Random) -> str:
    national = f"{rng.randrange(10**6):06d}"
    return f"FR{iban_check(national, 'FR')}ZZZ{national}"


# ---------------------------------------------------------------------------------------
# The world: restaurants, parties, documents to be.


@dataclass(frozen=True)
class Site:
    code: str
    name: str
    customers: tuple[str, ...]  # how suppliers name it on their invoices
    closed: tuple[int, ...]  # weekdays
    closure: tuple[date, date]  # yearly holiday
    takings: int  # median card takings of a day, cents
    terminals: tuple[str, ...]  # card acceptor numbers
    factor: float  # size of its orders


SITES = (
    Site(
        "CHA",
        "Bistrot Garance Chartrons",
        (
            "Bistrot Garance Chartrons",
            "MAISON GARANCE - CHARTRONS",
            "Maison Garance SAS",
            "BISTROT GARANCE",
        ),
        (6,),
        (date(2025, 1, 1), date(2025, 1, 5)),
        330000,
        ("0412377", "0412391"),
        1.15,
    ),
    Site(
        "STM",
        "Le Comptoir Garance",
        (
            "Le Comptoir Garance",
            "MAISON GARANCE SAS - COMPTOIR ST MICHEL",
            "Comptoir Garance",
            "Maison Garance",
        ),
        (0,),
        (date(2025, 2, 17), date(2025, 2, 23)),
        240000,
        ("0412378",),
        0.9,
    ),
    Site(
        "BOU",
        "Garance Côté Jardin",
        ("Garance Côté Jardin", "MAISON GARANCE - LE BOUSCAT", "GARANCE COTE JARDIN"),
        (0, 6),
        (date(2025, 8, 4), date(2025, 8, 24)),
        280000,
        ("0587114",),
        1.0,
    ),
)


@dataclass
class Party:
    """Someone the company pays or is paid by, as its documents and the banks name it."""

    legal: str
    headers: tuple[str, ...]  # how the name reads at the top of its documents
    sepa: str = ""  # name on SEPA debits and transfers
    card: str = ""  # card network merchant field (at most 22 characters)
    vat: str | None = None
    iban: str | None = None
    ics: str | None = None
    pattern: str = "F{yy}{n:06d}"
    base: int = 1000
    rate: float = 3.0
    remit: str = "FACTURE {num} DU {day:%d/%m/%Y}"  # its remittance text on a debit
    used: set[int] = field(default_factory=set)

    def number(self, day: date, rng: random.Random, prefix: str = "") -> str:
        """An invoice number of this issuer, growing with the date."""
        n = self.base + int((day - date(2024, 1, 1)).days * self.rate)
        n += rng.randrange(max(1, int(self.rate)))
        while n in self.used:
            n += 1
        self.used.add(n)
        text = self.pattern.format(
            yy=f"{day.year % 100:02d}", yyyy=day.year, mm=f"{day.month:02d}", n=n
        )
        return prefix + text


@dataclass(slots=True)
class Item:
    """One document and its payment, before rendering."""

    fam: str
    party: Party
    cents: int  # what the document says
    issued: date | None
    pay: str  # card, dd, transfer, income, none
    paid: date
    secs: int = 0
    paid_cents: int | None = None
    payer: str = "neo"  # cards: neo, cb (immediate), cbd (deferred)
    account: str = CMA
    reference: str = ""
    mandate: str = ""
    beneficiary: str | None = None
    channel: str = "pdf"
    dtype: str = "invoice"
    number: str | None = None
    due: date | None = None
    site: Site | None = None
    customer: str | None = None
    customer_vat: str | None = None
    currency: str = "EUR"
    local: tuple[int, str] | None = None
    amount_due: int | None = None
    candidates: tuple[int, ...] = ()
    show_iban: bool = False
    negative: bool = False
    documented: bool = True
    received: tuple[date, int] | None = None


@dataclass
class Bill:
    """A supplier invoice or credit note waiting for its payment."""

    party: Party
    site: Site
    issued: date
    cents: int
    number: str
    credit: bool
    doc: dict


@dataclass(frozen=True)
class Wholesaler:
    code: str
    legal: str
    headers: tuple[str, ...]
    sepa: str
    mode: str  # dd, decade, transfer, monthly, net30, batch
    days: tuple[int, ...]  # delivery weekdays
    median: int  # euros
    sigma: float
    vat: int  # basis points
    pattern: str
    delay: int
    perishable: bool
    weight: float
    remit: str = ""


# fmt: off
WHOLESALERS = (
    # code, legal name, headers, SEPA name, payment mode, delivery weekdays, median invoice
    # (euros), spread, VAT (basis points), number pattern, delay (days), perishable,
    # weight within its family, the creditor's remittance text
    Wholesaler("PDUB", "SAS Primeurs Dubernet",
               ("PRIMEURS DUBERNET", "Primeurs Dubernet", "SAS PRIMEURS DUBERNET - MIN DE BRIENNE"),
               "PRIMEURS DUBERNET", "dd", (1, 2, 3, 4, 5), 240, 0.45, 550, "FA{yy}{mm}-{n:05d}",
               10, True, 4, "FACT {num} DU {day:%d/%m/%y}"),
    Wholesaler("MAAT", "Marée Atlantique SARL",
               ("MAREE ATLANTIQUE", "Marée Atlantique - Arcachon", "MARÉE ATLANTIQUE SARL"),
               "MAREE ATLANTIQUE SARL", "dd", (1, 3, 4), 360, 0.5, 550, "{n:07d}",
               14, True, 3, "{num} ECH {due:%d%m%y}"),
    Wholesaler("VBAZ", "Volailles du Bazadais SAS",
               ("VOLAILLES DU BAZADAIS", "Les Volailles du Bazadais", "VOLAILLES DU BAZADAIS SAS"),
               "VOLAILLES DU BAZADAIS", "dd", (1, 4), 290, 0.4, 550, "VB{yy}-{n:05d}",
               7, True, 2, "CLIENT {client} FACTURE {num}"),
    Wholesaler("TGAR", "Torréfaction Garonne SARL",
               ("TORREFACTION GARONNE", "Torréfaction Garonne", "Cafés Garonne - Torréfacteur"),
               "TORREFACTION GARONNE", "dd", (2,), 185, 0.35, 550, "TG{yyyy}{n:05d}",
               20, False, 1, "FACTURE {num}"),
    Wholesaler("LAFG", "Boucherie en Gros Lafargue et Fils SAS",
               ("LAFARGUE & FILS", "Boucherie Lafargue et Fils", "BOUCHERIE EN GROS LAFARGUE"),
               "LAFARGUE ET FILS SAS", "decade", (1, 3, 4), 520, 0.45, 550, "{n:06d}",
               10, True, 3, "RELEVE {stmt} CLIENT {client}"),
    Wholesaler("PROV", "Provencia Restauration SAS",
               ("PROVENCIA", "Provencia Restauration", "PROVENCIA RESTAURATION - Agence Sud-Ouest"),
               "PROVENCIA RESTAURATION", "decade", (1, 2, 4), 690, 0.5, 800, "PR{yy}{n:07d}",
               12, False, 3, "PROVENCIA REL {stmt} CPT {client}"),
    Wholesaler("SOCE", "Surgelés Océane SAS",  # invoices assigned to a factoring company
               ("SURGELES OCEANE", "Surgelés Océane", "SURGELÉS OCÉANE SAS"),
               "AQUIFACTOR SA", "decade", (2, 4), 410, 0.45, 550, "SO-{n:06d}",
               10, True, 2, "AQUIFACTOR POUR SURGELES OCEANE REL {stmt}"),
    Wholesaler("CRMD", "Crèmerie Fromagère du Médoc SARL",
               ("CREMERIE DU MEDOC", "Crèmerie Fromagère du Médoc", "CRÈMERIE FROMAGÈRE DU MÉDOC"),
               "CREMERIE FROMAGERE DU MEDOC", "transfer", (1, 3, 5), 260, 0.4, 550, "CF{yy}/{n:04d}",
               0, True, 3),
    Wholesaler("SARR", "Maison Sarrazin Charcuterie Traiteur SARL",
               ("MAISON SARRAZIN", "Sarrazin Charcutier-Traiteur", "MAISON SARRAZIN SARL"),
               "MAISON SARRAZIN", "transfer", (1, 3, 4), 330, 0.45, 550, "S{yy}{n:05d}",
               0, True, 3),
    Wholesaler("MAUR", "Boulangerie Maury SARL",  # one statement a month for the daily bread
               ("BOULANGERIE MAURY", "Maury Boulanger", "Boulangerie-Pâtisserie Maury"),
               "BOULANGERIE MAURY", "monthly", (), 1150, 0.25, 550, "R{yy}{mm}-{n:04d}",
               10, False, 0.3),
    Wholesaler("ESAL", "Embutidos Sierra Alta SL",  # intra-EU: no French VAT
               ("EMBUTIDOS SIERRA ALTA", "Embutidos Sierra Alta S.L.", "SIERRA ALTA - Jamones"),
               "EMBUTIDOS SIERRA ALTA SL", "net30", (2,), 620, 0.4, 0, "FV{yyyy}/{n:04d}",
               30, False, 0.5),
    Wholesaler("CSTC", "Caves Sainte-Croix SARL",
               ("CAVES SAINTE-CROIX", "Les Caves Sainte-Croix", "CAVES STE CROIX - Négociant"),
               "CAVES SAINTE CROIX", "batch", (2, 4), 860, 0.6, 2000, "{yy}{n:05d}",
               0, False, 3),
    Wholesaler("EPDU", "Épicerie Fine Dupuch SARL",
               ("EPICERIE FINE DUPUCH", "Épicerie Fine Dupuch", "DUPUCH EPICERIE FINE"),
               "EPICERIE FINE DUPUCH", "batch", (1, 3), 280, 0.5, 550, "D{yy}-{n:05d}",
               0, False, 2),
)
# fmt: on
MODE_FAMILY = {
    "wholesale_dd_invoice": ("dd",),
    "wholesale_dd_grouped": ("decade",),
    "wholesale_transfer": ("transfer", "monthly", "net30"),
    "wholesale_transfer_grouped": ("batch",),
}

# fmt: off
BREWERS = (
    # code, legal name, headers, SEPA name, delivery weekdays, median drinks excl. VAT
    # (euros), deposit per keg (cents), days to the direct debit
    ("BEDM", "SARL Brasserie de l'Entre-Deux-Mers",
     ("BRASSERIE DE L'ENTRE-DEUX-MERS", "Brasserie Entre-Deux-Mers", "BRASSERIE E2M"),
     "BRASSERIE ENTRE DEUX MERS", (1, 3), 290, 3000, 15),
    ("BDG", "Boissons Distribution Garonne SAS",
     ("BOISSONS DISTRIBUTION GARONNE", "BDG Boissons", "B.D.G. - Boissons Distribution"),
     "BOISSONS DISTRIBUTION GARONNE", (1, 2, 4), 480, 3500, 20),
)
# fmt: on

# card field, legal name, headers, online (e-mailed invoice rather than a paper receipt)
Merchant = tuple[str, str, tuple[str, ...], bool]


@dataclass(frozen=True)
class Shop:
    fam: str
    merchants: tuple[Merchant, ...]
    median: int  # cents
    sigma: float
    lo: int
    hi: int
    hours: tuple[float, float]
    weekdays: tuple[int, ...] = (0, 1, 2, 3, 4, 5)
    payers: tuple[float, float, float] = (0.82, 0.12, 0.06)


# fmt: off
SHOPS: dict[str, Shop] = {
    "staff_hardware": Shop("staff_hardware", (
        ("BRICOMAX MERIGNAC", "Bricomax SAS",
         ("BRICOMAX", "BRICOMAX MERIGNAC", "Bricomax - Magasin de Mérignac"), False),
        ("BRICOMAX BDX BASTIDE", "Bricomax SAS", ("BRICOMAX", "BRICOMAX BORDEAUX BASTIDE"), False),
        ("QUINCAILLERIE DU PORT", "Quincaillerie du Port SARL",
         ("QUINCAILLERIE DU PORT", "Quincaillerie du Port - Bordeaux"), False),
        ("OUTILEO*COMMANDE", "Outileo SAS", ("OUTILEO", "Outileo.fr"), True),
    ), 2900, 0.8, 190, 35000, (8.5, 19.5)),
    "staff_cleaning": Shop("staff_cleaning", (
        ("HYGIENE PRO AQUITAINE", "Hygiène Pro Aquitaine SAS",
         ("HYGIÈNE PRO AQUITAINE", "Hygiene Pro Aquitaine"), True),
        ("SUPERFRAIS CHARTRONS", "Superfrais Distribution SAS",
         ("SUPERFRAIS", "SUPERFRAIS CHARTRONS", "SuperFrais Bordeaux Chartrons"), False),
        ("SUPERFRAIS ST MICHEL", "Superfrais Distribution SAS",
         ("SUPERFRAIS", "SUPERFRAIS ST MICHEL"), False),
        ("FRAICHEUR MARKET BOUSC", "Fraîcheur Market SARL",
         ("FRAICHEUR MARKET", "Fraîcheur Market Le Bouscat"), False),
    ), 3600, 0.75, 150, 40000, (8.0, 20.0)),
    "staff_fuel": Shop("staff_fuel", (
        ("STATION CARBU EXPRESS", "Carbu Express SAS",
         ("CARBU EXPRESS", "STATION CARBU EXPRESS BORDEAUX LAC"), False),
        ("RELAIS GARONNE CARBU", "Relais Garonne SARL",
         ("RELAIS GARONNE", "Relais Garonne Carburants"), False),
        ("SUPERFRAIS CARBU BEGLE", "Superfrais Distribution SAS",
         ("SUPERFRAIS", "SUPERFRAIS STATION BEGLES"), False),
    ), 1400, 0.35, 500, 9000, (7.0, 21.0), (0, 1, 2, 3, 4, 5, 6), (0.9, 0.07, 0.03)),
    "staff_parking": Shop("staff_parking", (
        ("STATIONEO MERIADEC", "Stationeo SAS", ("STATIONEO", "Stationeo - Parking Mériadec"), False),
        ("STATIONEO GARE ST JEAN", "Stationeo SAS", ("STATIONEO", "STATIONEO GARE SAINT-JEAN"), False),
        ("PARKILO*BORDEAUX", "Parkilo SAS", ("Parkilo", "PARKILO"), True),
    ), 450, 0.6, 100, 3000, (7.0, 23.0), (0, 1, 2, 3, 4, 5, 6)),
    "staff_train": Shop("staff_train", (
        ("FERROVIA*E-BILLET", "Ferrovia Voyageurs SA",
         ("FERROVIA", "Ferrovia Voyageurs", "FERROVIA VOYAGEURS - Justificatif"), True),
    ), 6400, 0.5, 1500, 24000, (0.0, 24.0), (0, 1, 2, 3, 4, 5, 6), (0.75, 0.15, 0.1)),
    "business_meal": Shop("business_meal", (
        ("LE PETIT QUAI", "SARL Le Petit Quai", ("LE PETIT QUAI", "Le Petit Quai"), False),
        ("CHEZ BABETTE BORDEAUX", "Chez Babette SARL", ("CHEZ BABETTE", "Chez Babette - Bordeaux"), False),
        ("L ATELIER DES SENS", "L'Atelier des Sens SAS", ("L'ATELIER DES SENS", "Atelier des Sens"), False),
        ("BRASSERIE DU PONT DE P", "Brasserie du Pont de Pierre SAS",
         ("BRASSERIE DU PONT DE PIERRE", "Brasserie du Pont"), False),
        ("KWIK *CAVE A MANGER LA", "La Cave à Manger SARL", ("LA CAVE A MANGER", "La Cave à Manger"), False),
        ("LA TABLE DE LOUISE", "La Table de Louise SARL", ("LA TABLE DE LOUISE", "Table de Louise"), False),
    ), 8500, 0.5, 1800, 60000, (12.0, 14.5), (0, 1, 2, 3, 4, 5), (0.35, 0.45, 0.2)),
}
# fmt: on

# Shops the staff also use without ever uploading anything (noise only): a long tail of
# neighbourhood shops, made of these words.
TAIL_SHOPS = (
    "BOULANGERIE {s}", "TABAC {p}", "PRIMEUR {s}", "PHARMACIE {p}", "CAVE {s}", "BAR DES {p}",
    "PRESSING {p}", "FLEURS {s}", "QUINCAILLERIE {s}", "LIBRAIRIE {p}", "BOUCHERIE {s}",
    "EPICERIE {p}", "GARAGE {s}", "CORDONNERIE {p}", "CAFE {p}", "SUPERETTE {p}", "LAVERIE {p}",
    "IMPRIMERIE {s}", "SERRURERIE {s}", "PATISSERIE {s}", "CHOCOLATS {s}", "TORREFACTEUR {p}",
    "POISSONNERIE {s}", "MARCHAND DE VIN {p}", "KIOSQUE {p}", "BAZAR {p}",
)  # fmt: skip
TAIL_PLACES = (
    "CHARTRONS", "ST MICHEL", "BASTIDE", "CAUDERAN", "LE BOUSCAT", "MERIGNAC", "PESSAC",
    "TALENCE", "BEGLES", "GAMBETTA", "VICTOR HUGO", "CAPUCINS", "ST PIERRE", "MERIADEC",
    "QUINCONCES", "BACALAN", "NANSOUTY", "ST AUGUSTIN", "LORMONT", "FLOIRAC",
)  # fmt: skip

CASH_CARRY = (
    # card field, headers, ticket prefix, preferred by
    (
        "DISTRIPRO BORDEAUX LAC",
        ("DISTRIPRO", "DISTRIPRO BORDEAUX LAC", "Distripro Bordeaux-Lac", "DISTRIPRO FRANCE SAS"),
        "BXL",
        "CHA",
    ),
    (
        "DISTRIPRO MERIGNAC",
        ("DISTRIPRO", "DISTRIPRO MERIGNAC", "Distripro - Entrepôt de Mérignac"),
        "MRG",
        "BOU",
    ),
    ("DISTRIPRO BEGLES", ("DISTRIPRO", "DISTRIPRO BEGLES", "Distripro Bègles"), "BGL", "STM"),
    (
        "HALLE PRO CASH LORMONT",
        ("HALLE PRO CASH", "Halle Pro Cash - Lormont", "HALLE PRO DISTRIBUTION"),
        "LOR",
        "",
    ),
)

PRODUCERS = (
    # legal, headers, terminal field (None: cash only)
    ("EARL Les Jardins de Cadaujac", ("EARL LES JARDINS DE CADAUJAC", "Jardins de Cadaujac"), None),
    ("GAEC du Pré de l'Eyre", ("GAEC DU PRE DE L'EYRE", "Pré de l'Eyre"), None),
    ("Fromagerie Lartigue", ("FROMAGERIE LARTIGUE", "Lartigue Fromages"), "TPZ*FROMAGERIE LARTIGU"),
    (
        "Ferme des Graves Bio",
        ("FERME DES GRAVES", "Ferme des Graves Bio"),
        "TPZ*FERME DES GRAVES B",
    ),
    (
        "Maraîchage Sabatier",
        ("MARAICHAGE SABATIER", "P. Sabatier maraîcher"),
        "TPZ*SABATIER PIERRE",
    ),
    ("Champignonnière des Coteaux", ("CHAMPIGNONNIERE DES COTEAUX",), None),
    (
        "Miellerie du Bazadais",
        ("MIELLERIE DU BAZADAIS", "Miel du Bazadais"),
        "KWIK *MIELLERIE DU BAZ",
    ),
    ("Volailles Ferme Lacoste", ("FERME LACOSTE", "Volailles Lacoste"), "KWIK *LACOSTE JEAN-MAR"),
    ("Huîtres Dubourg", ("HUITRES DUBOURG", "Dubourg Ostréiculteur"), "TPZ*HUITRES DUBOURG"),
    ("Escargots des Landes", ("ESCARGOTS DES LANDES",), None),
    ("EARL Verger de Lormont", ("VERGER DE LORMONT", "EARL Verger de Lormont"), None),
)


# ---------------------------------------------------------------------------------------
# The ledger: primitives that write transaction lines and document lines.


class _Ledger:
    def __init__(self, rng: random.Random, documents: int, transactions: int):
        self.rng = rng
        self.n_docs = documents
        self.n_tx = transactions
        self.txs: list[dict] = []
        self.docs: list[dict] = []
        self.dupable: list[tuple[Item, dict]] = []
        self._seq = 0
        self._days: dict[tuple, list[date]] = {}
        self.accounts: dict[tuple[str, str], tuple[str, str]] = {}
        self.cards = {"cb": "51372690", "cbd": "51372748"}

    # -- sizes and draws --------------------------------------------------------------

    def target(self, fam: str) -> int:
        return max(1, round(SHARES[fam] * self.n_docs))

    def split(self, total: int, weights: list[float]) -> list[int]:
        """`total` shared by `weights` (largest remainders)."""
        whole = sum(weights)
        exact = [total * w / whole for w in weights]
        out = [int(x) for x in exact]
        order = sorted(range(len(weights)), key=lambda i: exact[i] - out[i], reverse=True)
        for i in order[: total - sum(out)]:
            out[i] += 1
        return out

    def lognorm(self, median: float, sigma: float, lo: int, hi: int) -> int:
        value = int(round(median * math.exp(self.rng.gauss(0.0, sigma))))
        return min(hi, max(lo, value))

    def secs(self, lo_h: float, hi_h: float) -> int:
        return self.rng.randrange(int(lo_h * 3600), int(hi_h * 3600))

    def days(
        self, weekdays: tuple[int, ...] = (), site: Site | None = None, year: int = 2025
    ) -> list[date]:
        """Days of `year` on these weekdays (all when empty) when `site` is open."""
        key = (weekdays, site.code if site else "", year)
        if key not in self._days:
            span = days_between(date(year, 1, 1), date(year, 12, 31))
            if site:
                lo, hi = site.closure
                span = [d for d in span if d.weekday() not in site.closed and not lo <= d <= hi]
            if weekdays:
                span = [d for d in span if d.weekday() in weekdays]
            self._days[key] = span
        return self._days[key]

    def day(self, weekdays: tuple[int, ...] = (), site: Site | None = None) -> date:
        return self.rng.choice(self.days(weekdays, site))

    def site(self) -> Site:
        return self.rng.choices(SITES, (0.4, 0.3, 0.3))[0]

    def payer(self, weights: tuple[float, float, float]) -> str:
        return self.rng.choices(("neo", "cb", "cbd"), weights)[0]

    def party(
        self,
        legal: str,
        headers: tuple[str, ...],
        sepa: str = "",
        card: str = "",
        pattern: str = "F{yy}{n:06d}",
        rate: float = 3.0,
        country: str = "FR",
    ) -> Party:
        rng = self.rng
        if country == "ES":
            vat, iban = f"ESB{rng.randrange(10**7, 10**8)}", iban_es(rng)
        else:
            vat, iban = vat_fr(siren(rng)), iban_fr(rng, rng.choice(("10278", "30004", "13335")))
        return Party(
            legal,
            headers,
            sepa or plain(legal),
            card,
            vat,
            iban,
            creditor_id(rng),
            pattern,
            rng.randrange(100, 20000),
            rate,
        )

    # -- transaction lines ------------------------------------------------------------

    def line(
        self,
        account: str,
        cents: int,
        counterparty: str,
        op: str,
        day: date,
        secs: int = 0,
        settled: tuple[date, int] | None = None,
        **extra: str | None,
    ) -> dict | None:
        """A statement line, or None when it is not on the 2025 statement."""
        if not FIRST <= day <= LAST or cents == 0:
            return None
        row = {
            "id": "",
            "account_id": account,
            "amount": money(cents),
            "currency": "EUR",
            "counterparty": counterparty,
            "operation_type": op,
            "emitted_at": stamp(day, secs),
        }
        if settled is not None:
            row["settled_at"] = stamp(*settled)
        for key, value in extra.items():
            if value is not None:
                row[key] = value
        self._seq += 1
        row["_k"] = (day.toordinal(), secs, self._seq)
        self.txs.append(row)
        return row

    def card(
        self,
        payer: str,
        label: str,
        cents: int,
        day: date,
        secs: int,
        local: tuple[int, str] | None = None,
    ) -> dict | None:
        rng = self.rng
        extra = {}
        if local:
            extra = {"local_amount": money(-local[0]), "local_currency": local[1]}
        if payer == "neo":
            settle = add_business(day, rng.choice((1, 1, 1, 2, 2, 3)))
            settled = (settle, rng.randrange(4 * 3600, 8 * 3600))
            return self.line(ORBE, -cents, label, "card", day, secs, settled, **extra)
        if payer == "cbd":
            booked = last_business(day)
            if booked < day:  # paid on the last days of the month, after the closing
                booked = last_business(month_end(day) + ONE)
        else:
            booked = add_business(day, rng.choice((1, 1, 2, 2, 3)))
        text = f"PAIEMENT CB {day:%d%m} {label}"
        if local:
            text += f" {fr_amount(local[0])} {local[1]}"
        text += f" CARTE {self.cards[payer]}"
        return self.line(CMA, -cents, text, "card", booked, **extra)

    def direct_debit(
        self,
        party: Party,
        cents: int,
        day: date,
        remittance: str,
        mandate: str,
        account: str = CMA,
    ) -> dict | None:
        day = business_on_or_after(day)
        if account == CMA:
            reference = f"{remittance} - RUM {mandate}" if mandate else remittance
            return self.line(
                CMA,
                -cents,
                f"PRLV SEPA {plain(party.sepa)[:32]}",
                "direct_debit",
                day,
                reference=reference,
            )
        secs = self.rng.randrange(2 * 3600, 7 * 3600)
        return self.line(
            ORBE, -cents, party.sepa, "direct_debit", day, secs, (day, secs), reference=remittance
        )

    def transfer_out(
        self,
        name: str,
        iban: str | None,
        cents: int,
        day: date,
        motif: str,
        account: str = CMA,
    ) -> dict | None:
        day = business_on_or_after(day)
        if account == CMA:
            return self.line(
                CMA,
                -cents,
                f"VIR SEPA {plain(name)[:32]}",
                "transfer",
                day,
                reference=motif or None,
                counterparty_iban=iban,
            )
        secs = self.secs(8.5, 19)
        return self.line(
            ORBE,
            -cents,
            name,
            "transfer",
            day,
            secs,
            (day, secs + 30),
            reference=motif or None,
            counterparty_iban=iban,
        )

    def transfer_in(
        self,
        name: str,
        iban: str | None,
        cents: int,
        day: date,
        motif: str,
        account: str = CMA,
    ) -> dict | None:
        day = business_on_or_after(day)
        if account == CMA:
            return self.line(
                CMA,
                cents,
                f"VIR SEPA RECU /DE {plain(name)[:32]}",
                "income",
                day,
                reference=motif or None,
                counterparty_iban=iban,
            )
        secs = self.secs(6, 20)
        return self.line(
            ORBE,
            cents,
            name,
            "income",
            day,
            secs,
            (day, secs),
            reference=motif or None,
            counterparty_iban=iban,
        )

    def pay(self, it: Item) -> dict | None:
        amount = it.cents if it.paid_cents is None else it.paid_cents
        if it.pay == "card":
            return self.card(it.payer, it.party.card, amount, it.paid, it.secs, it.local)
        if it.pay == "dd":
            return self.direct_debit(
                it.party, amount, it.paid, it.reference, it.mandate, it.account
            )
        if it.pay == "transfer":
            name = it.beneficiary or it.party.sepa
            return self.transfer_out(name, it.party.iban, amount, it.paid, it.reference, it.account)
        if it.pay == "income":
            name = it.beneficiary or it.party.sepa
            return self.transfer_in(name, it.party.iban, amount, it.paid, it.reference, it.account)
        return None

    # -- document lines ---------------------------------------------------------------

    def ocr(self, text: str) -> str:
        rng = self.rng
        original = text
        for _ in range(1 if rng.random() < 0.7 else 2):
            r = rng.random()
            slips = [(a, b) for a, b in OCR_SLIPS if a in text]
            if r < 0.55 and slips:
                a, b = rng.choice(slips)
                spots = [i for i in range(len(text)) if text.startswith(a, i)]
                i = rng.choice(spots)
                text = text[:i] + b + text[i + len(a) :]
            elif r < 0.75 and len(text) > 4:
                i = rng.randrange(1, len(text) - 1)
                text = text[:i] + text[i + 1 :]
            elif r < 0.88 and " " in text:
                i = rng.choice([i for i, c in enumerate(text) if c == " "])
                text = text[:i] + text[i + 1 :]
            elif len(text.split()) > 1:
                text = " ".join(text.split()[:-1])
        return text.strip() or original

    def misread(self, cents: int) -> int:
        text = str(cents)
        spots = [i for i, c in enumerate(text) if c in DIGIT_SLIPS]
        if not spots:
            return cents + 100
        i = self.rng.choice(spots)
        wrong = int(text[:i] + DIGIT_SLIPS[text[i]] + text[i + 1 :])
        return wrong or cents + 100

    def received(self, it: Item) -> tuple[date, int]:
        rng = self.rng
        base = it.issued or it.paid
        ch = it.channel
        if ch == "pdf":
            return base + timedelta(days=rng.choice((0, 0, 0, 1, 1, 2))), self.secs(6, 23)
        if ch == "portal":
            return base + timedelta(days=rng.randint(3, 35)), self.secs(8, 19)
        if ch == "photo":
            return base + timedelta(days=rng.choice((0, 0, 1, 2, 3, 5))), self.secs(7, 22)
        if ch == "app":
            return it.paid, min(86399, it.secs + rng.randrange(60, 900))
        lag = rng.choice((0, 0, 0, 0, 1, 2, 3, 6, 10, 20, 30))
        if ch == "handwritten":
            lag = rng.randint(0, 12)
        return it.paid + timedelta(days=lag), self.secs(7, 23.5)

    def render(self, it: Item) -> dict:
        """The document line an extractor would produce for `it` (not yet linked)."""
        rng = self.rng
        p_ocr, p_miss, p_vat, p_iban, p_cust, p_date, p_due, p_num, p_misread = CHANNELS[it.channel]
        total = it.cents
        candidates = list(it.candidates)
        if p_misread and rng.random() < p_misread:
            candidates.append(total)
            total = self.misread(total)
        doc: dict = {
            "id": "",
            "document_type": it.dtype,
            "total": money(-total if it.negative else total),
            "currency": it.currency,
        }
        name = rng.choice(it.party.headers)
        r = rng.random()
        if r < p_miss:
            name = ""
        elif r < p_miss + p_ocr:
            name = self.ocr(name)
        if name:
            doc["supplier_name"] = name
        if it.party.vat and rng.random() < p_vat:
            doc["supplier_vat"] = it.party.vat
        if it.show_iban and it.party.iban and rng.random() < p_iban:
            doc["supplier_iban"] = spaced(it.party.iban) if rng.random() < 0.6 else it.party.iban
        self._render_customer(doc, it, p_cust)
        self._render_rest(doc, it, p_date, p_due, p_num)
        extra = [money(c) for c in dict.fromkeys(candidates) if c != total]
        if extra:
            doc["candidate_totals"] = extra
        rday, rsecs = it.received or self.received(it)
        doc["received_at"] = stamp(rday, rsecs)
        doc["checksum"] = f"{rng.getrandbits(128):032x}"
        self._seq += 1
        doc["_k"] = (rday.toordinal(), rsecs, self._seq)
        doc["_tx"] = None
        doc["_fam"] = it.fam
        self.docs.append(doc)
        return doc

    def _render_customer(self, doc: dict, it: Item, p_cust: float) -> None:
        rng = self.rng
        customer = it.customer or (rng.choice(it.site.customers) if it.site else None)
        if customer and rng.random() < p_cust:
            doc["customer_name"] = customer
        if it.customer_vat and rng.random() < p_cust:
            doc["customer_vat"] = it.customer_vat

    def _render_rest(self, doc: dict, it: Item, p_date: float, p_due: float, p_num: float):
        rng = self.rng
        if it.issued and rng.random() < p_date:
            doc["issue_date"] = it.issued.isoformat()
        if it.due and rng.random() < p_due:
            doc["due_date"] = it.due.isoformat()
        if it.amount_due is not None and rng.random() < 0.85:
            doc["amount_due"] = money(it.amount_due)
        if it.number and rng.random() < p_num:
            doc["invoice_number"] = it.number

    def link(self, doc: dict, tx: dict | None, fam: str) -> None:
        doc["_tx"] = tx
        doc["_fam"] = fam

    def emit(self, it: Item, dupable: bool = True) -> dict | None:
        """Pay `it`, and render its document when it is documented."""
        tx = self.pay(it)
        if not it.documented:
            return None
        doc = self.render(it)
        fam = it.fam
        if tx is None and it.pay != "none":
            fam = "outside_period"
        self.link(doc, tx, fam)
        if dupable:
            self.dupable.append((it, doc))
        return doc

    def emit_contract(self, items: list[Item], target: int) -> None:
        """Pay every period of some contracts; document `target` of them (the rest was
        never uploaded)."""
        open_ = [i for i, it in enumerate(items) if it.documented]
        if len(open_) > target * 1.25:
            keep = set(self.rng.sample(open_, target))
            for i in open_:
                items[i].documented = i in keep
        for it in items:
            self.emit(it)


# ---------------------------------------------------------------------------------------
# Food and beverage suppliers.


class _Suppliers(_Ledger):
    def _wholesale(self) -> None:
        self.clients: dict[tuple[str, str], str] = {}
        self.bills: dict[tuple[str, str], list[Bill]] = {}
        for fam, modes in MODE_FAMILY.items():
            specs = [s for s in WHOLESALERS if s.mode in modes]
            weights = [s.weight for s in specs]
            if self.target(fam) < 4 * len(specs):  # a small sample: the main supplier
                weights = [float(w == max(weights)) for w in weights]
            for spec, k in zip(specs, self.split(self.target(fam), weights), strict=True):
                self._bills_of(spec, k)
        self._credit_notes(self.target("credit_note"))
        for spec in WHOLESALERS:
            for site in SITES:
                bills = self.bills.get((spec.code, site.code))
                if bills:
                    bills.sort(key=lambda b: (b.issued, not b.credit))
                    self._settle(spec, site, bills)

    def _slots(self, spec: Wholesaler, k: int) -> list[tuple[date, Site]]:
        rng = self.rng
        if spec.mode == "monthly":
            slots = [(month_end(date(2025, m, 1)), s) for m in range(1, 13) for s in SITES]
            return rng.sample(slots, min(k, len(slots)))
        slots = [(d, s) for s in SITES for d in self.days(spec.days, s)]
        if spec.mode in ("decade", "batch"):
            return self._clustered(spec, slots, k)
        if k <= len(slots):
            return rng.sample(slots, k)
        return slots + [rng.choice(slots) for _ in range(k - len(slots))]

    def _clustered(self, spec: Wholesaler, slots: list, k: int) -> list[tuple[date, Site]]:
        """Deliveries in runs: the invoices of a decade (or month) of one restaurant."""
        rng = self.rng
        groups: dict[tuple, list] = {}
        for d, s in slots:
            period = (d.month, min(2, (d.day - 1) // 10)) if spec.mode == "decade" else d.month
            groups.setdefault((s.code, period), []).append((d, s))
        keys = list(groups)
        rng.shuffle(keys)
        out: list[tuple[date, Site]] = []
        while len(out) < k:
            before = len(out)
            for key in keys:
                size = rng.choices((1, 2, 3, 4, 5), (12, 30, 30, 18, 10))[0]
                size = max(size, 2) if not out else size
                pool = groups[key]
                taken = rng.sample(pool, min(size, len(pool), k - len(out)))
                for slot in taken:
                    pool.remove(slot)
                out.extend(taken)
                if len(out) >= k:
                    break
            if len(out) == before:  # every delivery day taken: second deliveries
                out += [rng.choice(slots) for _ in range(k - len(out))]
        return out

    def _bills_of(self, spec: Wholesaler, k: int) -> None:
        rng = self.rng
        party = self.suppliers[spec.code]
        for day, site in self._slots(spec, k):
            cents = self.lognorm(spec.median * 100 * site.factor, spec.sigma, 1500, 900000)
            number = party.number(day, rng)
            due = self._due(spec, day)
            channel = rng.choices(("pdf", "photo", "portal"), (0.5, 0.35, 0.15))[0]
            if spec.mode in ("monthly", "net30"):
                channel = "pdf"
            candidates = ()
            if spec.vat and rng.random() < 0.25:
                candidates = (round(cents * 10000 / (10000 + spec.vat)),)
            it = Item(
                "wholesale",
                party,
                cents,
                day,
                "none",
                day,
                channel=channel,
                number=number,
                due=due,
                site=site,
                customer_vat=self.org["vat"] if rng.random() < 0.3 else None,
                candidates=candidates,
                show_iban=spec.mode not in ("dd", "decade") or rng.random() < 0.3,
            )
            doc = self.render(it)
            self.dupable.append((it, doc))
            self.bills.setdefault((spec.code, site.code), []).append(
                Bill(party, site, day, cents, number, False, doc)
            )

    def _due(self, spec: Wholesaler, day: date) -> date:
        if spec.mode == "decade":
            return decade_end(day) + timedelta(days=spec.delay)
        if spec.mode in ("transfer", "batch"):
            return month_end(day + timedelta(days=30))
        return day + timedelta(days=spec.delay)

    def _credit_notes(self, k: int) -> None:
        """Returns and damaged goods: credit notes a few days after a delivery."""
        rng = self.rng
        perishable = {s.code for s in WHOLESALERS if s.perishable}
        lists = [v for key, v in self.bills.items() if key[0] in perishable and len(v) > 1]
        if not lists:
            return
        for _ in range(k):
            bills = rng.choice(lists)
            bill = rng.choice(bills[:-1])
            day = min(LAST, bill.issued + timedelta(days=rng.randint(0, 3)))
            cents = max(250, round(bill.cents * rng.uniform(0.03, 0.25)))
            it = Item(
                "credit_note",
                bill.party,
                cents,
                day,
                "none",
                day,
                channel=rng.choices(("pdf", "photo", "portal"), (0.6, 0.25, 0.15))[0],
                dtype="credit_note",
                number=bill.party.number(day, rng, "AV"),
                site=bill.site,
                negative=rng.random() < 0.15,
            )
            doc = self.render(it)
            bills.append(Bill(bill.party, bill.site, day, cents, it.number or "", True, doc))

    def _client(self, code: str, site: Site) -> str:
        """A restaurant's customer number at a wholesaler."""
        key = (code, site.code)
        if key not in self.clients:
            self.clients[key] = f"{self.rng.randrange(10000, 99999)}"
        return self.clients[key]

    def _mandate(self, code: str, site: Site) -> str:
        """The SEPA mandate reference the wholesaler gave that customer account."""
        return f"{code}{self._client(code, site)}{site.code}"

    def _settle(self, spec: Wholesaler, site: Site, bills: list[Bill]) -> None:
        client = self._client(spec.code, site)
        mandate = self._mandate(spec.code, site)
        party = bills[0].party

        def debit(bill: Bill, amount: int, used: list[Bill]) -> dict | None:
            due = self._due(spec, bill.issued)
            ref = spec.remit.format(num=bill.number, day=bill.issued, due=due, client=client)
            if used:
                ref += " AV " + " ".join(c.number for c in used)
            return self.direct_debit(party, amount, due, ref, mandate)

        def transfer(bill: Bill, amount: int, used: list[Bill]) -> dict | None:
            day = self._due(spec, bill.issued) + timedelta(days=self._late())
            return self.transfer_out(
                self._beneficiary(spec),
                party.iban,
                amount,
                day,
                self._motif([bill], used, site, client),
            )

        def statement(key: tuple, bills_: list[Bill], amount: int) -> dict | None:
            first = bills_[0].issued
            if spec.mode == "batch":
                day = month_end(month_end(first) + ONE) + timedelta(days=self._late())
                motif = self._motif([b for b in bills_ if not b.credit], [], site, client)
                return self.transfer_out(self._beneficiary(spec), party.iban, amount, day, motif)
            stmt = decade_number(first)
            ref = spec.remit.format(stmt=stmt, client=client)
            return self.direct_debit(party, amount, self._due(spec, first), ref, mandate)

        if spec.mode == "dd":
            self._settle_single(bills, debit, "wholesale_dd_invoice", "credit_note")
        elif spec.mode == "decade":
            self._settle_grouped(bills, statement, "wholesale_dd_invoice", "wholesale_dd_grouped")
        elif spec.mode == "batch":
            self._settle_grouped(
                bills, statement, "wholesale_transfer", "wholesale_transfer_grouped"
            )
        else:
            self._settle_single(bills, transfer, "wholesale_transfer", "credit_note")

    def _late(self) -> int:
        return self.rng.choice((-3, -1, 0, 0, 0, 2, 4, 7, 12, 20))

    def _beneficiary(self, spec: Wholesaler) -> str:
        return spec.sepa if self.rng.random() < 0.8 else spec.headers[1]

    def _motif(self, bills: list[Bill], used: list[Bill], site: Site, client: str) -> str:
        rng = self.rng
        numbers = " ".join(b.number for b in bills)
        style = rng.random()
        if style < 0.35:
            text = f"FACT {numbers}"
        elif style < 0.55:
            text = numbers
        elif style < 0.7:
            text = f"{site.code} FACTURE {numbers}"
        elif style < 0.85:
            text = f"REGLEMENT {numbers} CLIENT {client}"
        else:
            text = f"REGLEMENT FACTURES {bills[0].issued:%m/%Y}"
        if used and style < 0.85:
            text += " MOINS AVOIR " + " ".join(c.number for c in used)
        return text[:140]

    def _settle_single(self, bills: list[Bill], pay, fam_paid: str, fam_credit: str) -> None:
        """One payment per invoice; pending credit notes are deducted from the next one."""
        pending: list[Bill] = []
        for bill in bills:
            if bill.credit:
                pending.append(bill)
                continue
            deduct = sum(c.cents for c in pending)
            used = pending if 0 < deduct < bill.cents else []
            if used:
                pending = []
            tx = pay(bill, bill.cents - deduct if used else bill.cents, used)
            if used:
                self.link(bill.doc, None, "netted_invoice")
                for c in used:
                    self.link(c.doc, None, fam_credit)
            else:
                self.link(bill.doc, tx, fam_paid if tx else "outside_period")
        for c in pending:
            self.link(c.doc, None, fam_credit)

    def _settle_grouped(self, bills: list[Bill], pay, fam_single: str, fam_group: str) -> None:
        """One payment per statement (decade or month) of invoices minus credit notes."""
        groups: dict[tuple, list[Bill]] = {}
        for bill in bills:
            if fam_group == "wholesale_dd_grouped":
                key: tuple = (bill.issued.month, min(2, (bill.issued.day - 1) // 10))
            else:
                key = (bill.issued.month,)
            groups.setdefault(key, []).append(bill)
        for key, members in groups.items():
            invoices = [b for b in members if not b.credit]
            credits = [b for b in members if b.credit]
            amount = sum(b.cents for b in invoices) - sum(b.cents for b in credits)
            tx = pay(key, members, amount) if invoices and amount > 0 else None
            for c in credits:
                self.link(c.doc, None, "credit_note")
            if len(invoices) == 1 and not credits:
                self.link(invoices[0].doc, tx, fam_single if tx else "outside_period")
            elif len(invoices) == 1:
                self.link(invoices[0].doc, None, "netted_invoice")
            else:
                for b in invoices:
                    self.link(b.doc, None, fam_group)

    # -- brewery ----------------------------------------------------------------------

    def _brewery(self) -> None:
        rng = self.rng
        k = self.target("brewery_invoice")
        for spec, n in zip(BREWERS, self.split(k, [0.35, 0.65]), strict=True):
            code, _, _, _, weekdays, median, deposit, delay = spec
            party = self.suppliers[code]
            slots = [(d, s) for s in SITES for d in self.days(weekdays, s)]
            chosen = rng.sample(slots, min(n, len(slots)))
            chosen += [rng.choice(slots) for _ in range(n - len(chosen))]
            chosen.sort(key=lambda x: (x[0], x[1].code))
            kegs = {s.code: 0 for s in SITES}
            for day, site in chosen:
                self._keg_invoice(code, party, site, day, (median, deposit, delay), kegs)
        self._keg_refunds(self.target("keg_refund"))
        for code, *_, delay in BREWERS:
            for site in SITES:
                bills = self.bills.get((code, site.code))
                if bills:
                    bills.sort(key=lambda b: (b.issued, not b.credit))
                    self._settle_brewery(self.suppliers[code], site, bills, delay)

    def _keg_invoice(
        self, code: str, party: Party, site: Site, day: date, prices: tuple, kegs: dict
    ) -> None:
        rng = self.rng
        median, deposit, delay = prices
        drinks = round(self.lognorm(median * 100 * site.factor, 0.45, 4000, 500000) * 1.2)
        out = rng.randint(1, 6)
        back = min(kegs[site.code], rng.randint(max(0, kegs[site.code] - 2), kegs[site.code]))
        if drinks + (out - back) * deposit <= 0:
            back = out
        kegs[site.code] += out - back
        cents = drinks + (out - back) * deposit
        it = Item(
            "brewery_invoice",
            party,
            cents,
            day,
            "none",
            day,
            channel=rng.choices(("pdf", "photo"), (0.6, 0.4))[0],
            number=party.number(day, rng),
            due=day + timedelta(days=delay),
            site=site,
            candidates=(drinks,) if out != back and rng.random() < 0.3 else (),
        )
        doc = self.render(it)
        self.dupable.append((it, doc))
        self.bills.setdefault((code, site.code), []).append(
            Bill(party, site, day, cents, it.number or "", False, doc)
        )

    def _keg_refunds(self, k: int) -> None:
        """Kegs collected without a delivery: a credit note, refunded or deducted."""
        rng = self.rng
        for _ in range(k):
            code, _, _, _, _, _, deposit, _ = rng.choice(BREWERS)
            party = self.suppliers[code]
            site = self.site()
            day = rng.choice(self.days((0, 1, 2, 3, 4), site))
            cents = rng.randint(2, 10) * deposit
            it = Item(
                "keg_refund",
                party,
                cents,
                day,
                "none",
                day,
                channel=rng.choices(("pdf", "photo"), (0.7, 0.3))[0],
                dtype="credit_note",
                number=party.number(day, rng, "AV-"),
                site=site,
                negative=rng.random() < 0.2,
            )
            if rng.random() < 0.45:
                it.pay = "income"
                it.paid = day + timedelta(days=rng.randint(8, 25))
                it.reference = f"REMBOURSEMENT AVOIR {it.number} CONSIGNES"
                self.emit(it)
                continue
            doc = self.render(it)
            self.bills.setdefault((code, site.code), []).append(
                Bill(party, site, day, cents, it.number or "", True, doc)
            )

    def _settle_brewery(self, party: Party, site: Site, bills: list[Bill], delay: int) -> None:
        mandate = f"BRW{self.rng.randrange(10**6):06d}"

        def debit(bill: Bill, amount: int, used: list[Bill]) -> dict | None:
            ref = f"FAC {bill.number} ECH {bill.issued + timedelta(days=delay):%d/%m}"
            if used:
                ref += " DEDUCT. " + " ".join(c.number for c in used)
            return self.direct_debit(
                party, amount, bill.issued + timedelta(days=delay), ref, mandate
            )

        self._settle_single(bills, debit, "brewery_invoice", "keg_refund")

    # -- cash & carry and markets -----------------------------------------------------

    def _cash_carry_item(self, day: date | None = None, site: Site | None = None) -> Item:
        rng = self.rng
        site = site or self.site()
        branches = [b for b in CASH_CARRY if b[3] == site.code] or list(CASH_CARRY)
        branch = rng.choice(branches) if rng.random() < 0.75 else rng.choice(CASH_CARRY)
        party = self.cash_carry[branch[0]]
        day = day or self.day((0, 1, 2, 3, 4, 5), site)
        cents = self.lognorm(21000 * site.factor, 0.7, 900, 250000)
        ticket = rng.random() < 0.7
        it = Item(
            "cash_carry",
            party,
            cents,
            day,
            "card",
            day,
            secs=self.secs(6.5, 12.5) if rng.random() < 0.85 else self.secs(13.5, 19),
            payer=self.payer((0.6, 0.28, 0.12)),
            channel="receipt" if ticket else "portal",
            dtype="receipt" if ticket else "invoice",
            site=site,
            number=(
                f"TK {branch[2]}{rng.randint(1, 24):02d} {rng.randrange(10**6):06d}"
                if ticket
                else party.number(day, rng, f"FC{branch[2]}")
            ),
        )
        if rng.random() < 0.25:
            it.candidates = (round(cents / 1.075),)  # total excl. VAT (mostly 5.5 %)
        if ticket and cents > 40000 and rng.random() < 0.12:
            # a long ticket photographed in pieces: the extractor took a subtotal
            it.candidates = (cents,)
            it.cents = round(cents * rng.uniform(0.35, 0.8))
            it.paid_cents = cents
        return it

    def _market_item(self, cash: bool, day: date | None = None) -> Item:
        rng = self.rng
        pool = [p for p in self.producers if (p.card == "") == cash]
        party = rng.choice(pool)
        site = self.site()
        day = day or self.day((2, 5, 6))
        if cash:  # handwritten, in whole euros or half euros
            step = rng.choice((50, 100, 100, 100))
            cents = max(step, round(self.lognorm(5200, 0.6, 600, 30000) / step) * step)
        else:
            cents = self.lognorm(6800, 0.65, 450, 45000)
        return Item(
            "market_cash" if cash else "market_card",
            party,
            cents,
            day,
            "none" if cash else "card",
            day,
            secs=self.secs(6.5, 11),
            payer=self.payer((0.75, 0.25, 0.0)),
            channel="handwritten" if cash or rng.random() < 0.5 else "app",
            dtype="receipt",
            site=site,
            number=f"{rng.randint(1, 999):03d}" if cash else None,
        )

    def _markets(self) -> None:
        for _ in range(self.target("cash_carry")):
            self.emit(self._cash_carry_item())
        for _ in range(self.target("market_cash")):
            self.emit(self._market_item(True))
        for _ in range(self.target("market_card")):
            self.emit(self._market_item(False))


# ---------------------------------------------------------------------------------------
# Contracts: leases, maintenance, utilities, services, software, platforms.


class _Contracts(_Suppliers):
    def _monthly(self, start: int = 1, end: int = 12) -> list[date]:
        return [date(2025, m, 1) for m in range(start, end + 1)]

    def _leases(self) -> None:
        rng = self.rng
        target = self.target("lease")
        templates = [
            ("LOCA", 14280, 3),
            ("LOCA", 28900, 2),
            ("EQUI", 9650, 3),
            ("EQUI", 7490, 1),
            ("MOTO", 11900, 2),
            ("LOCA", 5840, 2),
            ("EQUI", 6400, 1),
            ("LOCA", 13200, 2),
            ("EQUI", 4990, 3),
            ("LOCA", 3800, 3),
        ]
        n = max(1, round(target / 12))
        contracts: list[tuple[str, int, Site, int, int]] = []
        while len(contracts) < n:
            for code, ht, count in templates:
                start = 1 if rng.random() < 0.8 else rng.randint(2, 9)
                end = 12 if rng.random() < 0.9 else rng.randint(start + 1, 12)
                for site in SITES[:count]:
                    contracts.append((code, round(ht * 1.2), site, start, end))
        items: list[Item] = []
        schedules = self.target("lease_schedule")
        for code, cents, site, start, end in contracts[:n]:
            contract = f"{rng.randrange(10**6, 10**7)}-{rng.randint(1, 3):02d}"
            if code == "EQUI" and schedules > 0:
                schedules -= 1
                self._lease_schedule(code, contract, cents, site, start, end)
                items.extend(self._lease_months(code, contract, cents, site, start, end, False))
                continue
            items.extend(self._lease_months(code, contract, cents, site, start, end, True))
        if schedules > 0:  # no EQUI contract was drawn: the first lessor sends one instead
            self._lease_schedule("EQUI", "7000001-01", 7788, SITES[0], 1, 12)
        self.emit_contract(items, target)

    def _lease_months(
        self, code: str, contract: str, cents: int, site: Site, start: int, end: int, doc: bool
    ) -> list[Item]:
        rng = self.rng
        party = self.lessors[code]
        day_of_debit = {"LOCA": 5, "EQUI": 10, "MOTO": 1}[code]
        out = []
        for k, month in enumerate(self._monthly(start, end), 1):
            debit = month.replace(day=day_of_debit)
            if code == "LOCA":
                number = f"{contract}/{month:%m%y}"
                ref = f"LOYER {month:%m/%Y} CTR {contract}"
            elif code == "EQUI":
                number = party.number(month, rng, "FE")
                ref = f"ECH {k + 12:02d}/60 CONTRAT {contract}"
            else:
                number = party.number(month, rng, "MLB")
                ref = f"LLD {contract} {month:%m%y}"
            it = Item(
                "lease",
                party,
                cents,
                month - timedelta(days=rng.randint(0, 5)),
                "dd",
                debit,
                reference=ref,
                mandate=f"{code}{contract[:7]}",
                channel=rng.choices(("pdf", "portal"), (0.6, 0.4))[0],
                number=number,
                due=business_on_or_after(debit),
                site=site,
                documented=doc,
            )
            out.append(it)
        return out

    def _lease_schedule(
        self, code: str, contract: str, cents: int, site: Site, start: int, end: int
    ) -> None:
        day = date(2025, start, 1) - timedelta(days=20)
        it = Item(
            "lease_schedule",
            self.lessors[code],
            cents * (end - start + 1),
            day,
            "none",
            day,
            channel="pdf",
            number=f"ECHEANCIER {contract}",
            site=site,
        )
        self.emit(it)

    def _maintenance(self) -> None:
        rng = self.rng
        items: list[Item] = []
        pest, cold, hood = self.services["PEST"], self.services["COLD"], self.services["HOOD"]
        for site in SITES:
            for month in self._monthly():
                items.append(self._service_item("maintenance", pest, 6960, month, 8, site))
            for m in (1, 4, 7, 10):
                items.append(
                    self._service_item("maintenance", cold, 18600, date(2025, m, 2), 15, site)
                )
            for m in (3, 9):
                day = date(2025, m, rng.randint(2, 26))
                cents = self.lognorm(49000, 0.1, 38000, 62000)
                it = Item(
                    "maintenance",
                    hood,
                    cents,
                    day,
                    "transfer",
                    day + timedelta(days=30 + self._late()),
                    reference=f"FACTURE {hood.number(day, rng)}",
                    channel="pdf",
                    due=day + timedelta(days=30),
                    site=site,
                    show_iban=True,
                )
                it.number = it.reference.split()[-1]
                items.append(it)
        self.emit_contract(items, self.target("maintenance"))

    def _service_item(
        self,
        fam: str,
        party: Party,
        cents: int,
        issued: date,
        delay: int,
        site: Site | None,
        account: str = CMA,
    ) -> Item:
        """A periodic invoice debited `delay` days after it is issued; the creditor's
        remittance text carries the invoice number."""
        rng = self.rng
        number = party.number(issued, rng)
        account_no, mandate = self._account(party, site)
        return Item(
            fam,
            party,
            cents,
            issued,
            "dd",
            issued + timedelta(days=delay),
            reference=party.remit.format(num=number, day=issued, client=account_no),
            mandate=mandate,
            account=account,
            channel=rng.choices(("pdf", "portal"), (0.7, 0.3))[0],
            number=number,
            due=issued + timedelta(days=delay),
            site=site,
        )

    def _account(self, party: Party, site: Site | None) -> tuple[str, str]:
        """The customer account number and the SEPA mandate of a restaurant (or of the
        company) at a creditor: both stable."""
        key = (party.legal, site.code if site else "")
        if key not in self.accounts:
            number = f"{self.rng.randrange(10**7, 10**8)}"
            mandate = f"{plain(party.legal)[:3]}{number[-5:]}{self.rng.randrange(100):02d}"
            self.accounts[key] = (number, mandate)
        return self.accounts[key]

    def _repairs(self) -> None:
        for _ in range(self.target("repair")):
            self.emit(self._repair_item())

    def _repair_item(self, day: date | None = None) -> Item:
        rng = self.rng
        party = rng.choice(self.technicians)
        site = self.site()
        day = day or self.day((0, 1, 2, 3, 4, 5), site)
        cents = self.lognorm(26000, 0.7, 6500, 320000)
        number = party.number(day, rng)
        it = Item(
            "repair",
            party,
            cents,
            day,
            "transfer",
            day + timedelta(days=rng.randint(3, 30)),
            channel=rng.choices(("pdf", "photo"), (0.55, 0.45))[0],
            number=number,
            due=day + timedelta(days=30),
            site=site,
            show_iban=True,
        )
        if party.card and rng.random() < 0.45:  # paid on site on the technician's terminal
            it.pay, it.paid, it.secs = "card", day, self.secs(8, 19)
            it.payer = self.payer((0.5, 0.4, 0.1))
        else:
            it.reference = rng.choice((f"FACT {number}", number, f"DEPANNAGE {site.code}", ""))
        return it

    def _equipment(self) -> None:
        """Deposit invoices and final invoices with the balance due; large invoices paid
        in instalments."""
        rng = self.rng
        party = self.services["CUIS"]
        for _ in range(max(1, self.target("deposit_balance") // 2)):
            site = self.site()
            order = rng.choice([d for d in self.days((0, 1, 2, 3, 4), site) if d.month < 11])
            full = self.lognorm(780000, 0.6, 150000, 3500000)
            deposit = round(full * 0.3)
            first = Item(
                "deposit_balance",
                party,
                deposit,
                order,
                "transfer",
                order + timedelta(days=rng.randint(1, 8)),
                reference=f"ACOMPTE DEVIS {rng.randrange(10**4):04d}",
                number=party.number(order, rng, "FA-AC"),
                site=site,
                show_iban=True,
            )
            self.emit(first)
            delivered = order + timedelta(days=rng.randint(25, 60))
            number = party.number(delivered, rng)
            self.emit(
                Item(
                    "deposit_balance",
                    party,
                    full,
                    delivered,
                    "transfer",
                    delivered + timedelta(days=rng.randint(0, 15)),
                    paid_cents=full - deposit,
                    reference=f"SOLDE FACTURE {number}",
                    number=number,
                    amount_due=full - deposit,
                    candidates=(full - deposit,) if rng.random() < 0.3 else (),
                    site=site,
                    show_iban=True,
                )
            )
        for _ in range(self.target("partial_payment")):
            self._partial_payment()

    def _partial_payment(self) -> None:
        rng = self.rng
        it = self._repair_item()
        it.cents = self.lognorm(320000, 0.4, 180000, 900000)
        it.fam, it.pay = "partial_payment", "none"
        self.emit(it)
        parts = rng.choice((2, 3))
        left = it.cents
        for i in range(parts):
            amount = left if i == parts - 1 else round(it.cents / parts / 100) * 100
            left -= amount
            motif = f"FACT {it.number} {'SOLDE' if i == parts - 1 else f'ACOMPTE {i + 1}/{parts}'}"
            day = it.issued + timedelta(days=15 + 30 * i) if it.issued else it.paid
            self.transfer_out(it.party.sepa, it.party.iban, amount, day, motif)

    # -- utilities and services -------------------------------------------------------

    def _energy(self) -> None:
        rng = self.rng
        elec, gas = self.services["ELEC"], self.services["GAS"]
        season = (1.15, 1.1, 1.0, 0.9, 0.9, 1.05, 1.2, 1.1, 1.0, 0.95, 1.05, 1.15)
        items: list[Item] = []
        for site in SITES:
            pdl = f"{rng.randrange(10**13, 10**14)}"
            for month in self._monthly():
                closed = 0.4 if site.closure[0].month == month.month == 8 else 1.0
                base = 92000 * site.factor * season[month.month - 1] * closed
                cents = self.lognorm(base, 0.08, 15000, 400000)
                issued = month + timedelta(days=rng.randint(3, 8))
                it = self._service_item("energy", elec, cents, issued, 14, site)
                it.reference = f"FACTURE {it.number} PDL {pdl}"
                items.append(it)
        for month in self._monthly():
            cents = self.lognorm(41000 * season[month.month - 1], 0.1, 10000, 200000)
            items.append(
                self._service_item("energy", gas, cents, month + timedelta(days=5), 15, SITES[0])
            )
        self.emit_contract(items, self.target("energy"))
        self._gas_trueup(gas)

    def _gas_trueup(self, gas: Party) -> None:
        """Monthly estimates (no invoice) and a yearly true-up invoice."""
        rng = self.rng
        site = SITES[1]
        contract = f"GZ{rng.randrange(10**8):08d}"
        instalment = self.lognorm(28000, 0.2, 15000, 60000)
        for i in range(1, 12):
            self.direct_debit(
                gas,
                instalment,
                date(2025, i, 12),
                f"ECHEANCE {i:02d}/11 CONTRAT {contract}",
                f"GAZ{contract}",
            )
        annual = round(instalment * 11 * rng.uniform(0.9, 1.25))
        balance = annual - instalment * 11
        issued = date(2025, 12, rng.randint(1, 5))
        number = gas.number(issued, rng)
        it = Item(
            "energy_trueup",
            gas,
            annual,
            issued,
            "dd",
            issued + timedelta(days=14),
            paid_cents=balance,
            reference=f"REGULARISATION {number} CONTRAT {contract}",
            mandate=f"GAZ{contract}",
            number=number,
            amount_due=balance,
            site=site,
        )
        if balance <= 0:  # in the company's favour: a credit note, refunded
            it.dtype, it.cents, it.amount_due = "credit_note", -balance, None
            it.paid_cents, it.pay, it.candidates = None, "income", (annual,)
            it.reference = f"REMBOURSEMENT TROP PERCU {number}"
        self.emit(it)

    def _utilities(self) -> None:
        water, box, mobile = self.services["WATR"], self.services["TELB"], self.services["TELM"]
        items: list[Item] = []
        for site in SITES:
            for m in (1, 4, 7, 10):
                cents = self.lognorm(34000 * site.factor, 0.35, 9000, 120000)
                it = self._service_item("water", water, cents, date(2025, m, 15), 20, site)
                if site.code == "BOU":  # paid by TIP, a transfer
                    it.pay, it.reference, it.show_iban = "transfer", f"TIP {it.number}", True
                items.append(it)
        self.emit_contract(items, self.target("water"))
        items = []
        for month in self._monthly():
            for site in SITES:
                items.append(self._service_item("telecom", box, 5400, month, 19, site))
            cents = self.lognorm(13200, 0.15, 8000, 30000)
            items.append(self._service_item("telecom", mobile, cents, month + ONE, 20, None))
        self.emit_contract(items, self.target("telecom"))
        self._waste()
        self._insurance()

    def _waste(self) -> None:
        rng = self.rng
        waste, metro = self.services["WAST"], self.services["METR"]
        items: list[Item] = []
        for site in SITES:
            for month in self._monthly():
                closed = site.code == "BOU" and month.month == 8
                pickups = 4 if closed else rng.randint(8, 13)
                cents = round((pickups * 1450 + 3900) * 1.1)
                items.append(self._service_item("waste", waste, cents, month, 20, site))
            day = date(2025, 6, rng.randint(2, 27))
            cents = self.lognorm(68000 * site.factor, 0.15, 30000, 160000)
            number = metro.number(day, rng, "ASAP-")
            items.append(
                Item(
                    "waste",
                    metro,
                    cents,
                    day,
                    "transfer",
                    day + timedelta(days=rng.randint(10, 40)),
                    reference=f"REDEVANCE SPECIALE {number}",
                    number=number,
                    due=day + timedelta(days=30),
                    site=site,
                    show_iban=True,
                )
            )
        self.emit_contract(items, self.target("waste"))

    def _insurance(self) -> None:
        """Yearly notices paid quarterly (the notice matches no single debit) and a
        yearly policy debited at once."""
        rng = self.rng
        insurer, legal = self.services["INSU"], self.services["PROT"]
        docs = self.target("insurance")
        for i, site in enumerate(SITES):
            premium = self.lognorm(290000 * site.factor, 0.2, 120000, 700000)
            notice = date(2024, 12, 10 + i)
            contract = f"MR{rng.randrange(10**7):07d}"
            for q, m in enumerate((1, 4, 7, 10)):
                part = premium // 4 + (premium % 4 if q == 3 else 0)
                self.direct_debit(
                    insurer, part, date(2025, m, 10), f"CONTRAT {contract} ECH {q + 1}/4", contract
                )
            if i < docs:
                number = insurer.number(notice, rng, "AE")
                self.emit(
                    Item(
                        "insurance",
                        insurer,
                        premium,
                        notice,
                        "none",
                        notice,
                        number=number,
                        site=site,
                    )
                )
        day = date(2025, 2, rng.randint(3, 20))
        number = legal.number(day, rng)
        self.emit(
            Item(
                "insurance",
                legal,
                self.lognorm(54000, 0.1, 40000, 80000),
                day,
                "dd",
                day + timedelta(days=15),
                reference=f"COTISATION ANNUELLE {number}",
                mandate="PJ" + number[-6:],
                number=number,
            )
        )
        for month in self._monthly():  # scooter insurance: debits with no document
            self.direct_debit(legal, 3890, month.replace(day=5), "ASSURANCE 2 ROUES", "PJ2R001")

    def _services(self) -> None:
        rng = self.rng
        items: list[Item] = []
        acct, payroll = self.services["ACCT"], self.services["PAIE"]
        for month in self._monthly():
            items.append(self._service_item("accounting_payroll", acct, 74400, month, 9, None))
            slips = rng.randint(44, 53)
            cents = round((slips * 1680 + 3500) * 1.2)
            items.append(
                self._service_item(
                    "accounting_payroll", payroll, cents, month + timedelta(days=2), 10, None
                )
            )
        day = date(2025, 5, rng.randint(5, 28))
        number = acct.number(day, rng)
        items.append(
            Item(
                "accounting_payroll",
                acct,
                336000,
                day,
                "transfer",
                day + timedelta(days=rng.randint(5, 40)),
                reference=f"HONORAIRES BILAN 2024 {number}",
                number=number,
                due=day + timedelta(days=30),
                show_iban=True,
            )
        )
        self.emit_contract(items, self.target("accounting_payroll"))
        self._music()

    def _music(self) -> None:
        rng = self.rng
        sdmr, sprea = self.services["SDMR"], self.services["SPRE"]
        items: list[Item] = []
        for site in SITES:
            day = date(2025, rng.randint(1, 3), rng.randint(2, 27))
            items.append(
                Item(
                    "music_licence",
                    sdmr,
                    self.lognorm(41000 * site.factor, 0.1, 25000, 90000),
                    day,
                    "card",
                    day + timedelta(days=rng.randint(0, 20)),
                    secs=self.secs(9, 22),
                    payer=self.payer((0.6, 0.4, 0.0)),
                    number=sdmr.number(day, rng),
                    site=site,
                )
            )
            day = date(2025, rng.randint(3, 5), rng.randint(2, 27))
            number = sprea.number(day, rng)
            items.append(
                Item(
                    "music_licence",
                    sprea,
                    self.lognorm(23000 * site.factor, 0.1, 12000, 50000),
                    day,
                    "transfer",
                    day + timedelta(days=rng.randint(5, 30)),
                    reference=f"SPREA {number}",
                    number=number,
                    site=site,
                    show_iban=True,
                )
            )
        self.emit_contract(items, self.target("music_licence"))

    # -- software, card terminals, delivery platforms --------------------------------

    def _fx(self, day: date) -> float:
        rates = (1.035, 1.04, 1.08, 1.12, 1.13, 1.15, 1.17, 1.165, 1.17, 1.165, 1.16, 1.17)
        return rates[day.month - 1] * self.rng.uniform(0.997, 1.003)

    def _software(self) -> None:
        rng = self.rng
        items: list[Item] = []
        pos = self.software["POS"]
        for month in self._monthly():
            for site in SITES:
                items.append(self._service_item("software", pos, 8900, month, 5, site))
            for code, usd, eur in (("RES", 14900, 0), ("ROTA", 0, 0), ("MENU", 0, 2990)):
                items.append(self._saas_item(code, month, usd, eur))
        items.append(self._saas_item("WEB", date(2025, rng.randint(1, 12), 1), 23900, 0))
        self.emit_contract(items, self.target("software"))

    def _saas_item(self, code: str, month: date, usd: int, eur: int) -> Item:
        rng = self.rng
        party = self.software[code]
        day = month + timedelta(days=rng.randint(0, 3) if code != "RES" else 13)
        if code == "ROTA":
            eur = round(rng.randint(44, 55) * 290 * 1.2)
        it = Item(
            "software",
            party,
            usd or eur,
            day,
            "card",
            day,
            secs=self.secs(0, 24),
            payer="neo" if code != "MENU" else "cb",
            number=party.number(day, rng, "INV-"),
            currency="USD" if usd else "EUR",
            channel="pdf",
        )
        if usd:
            it.paid_cents = round(usd / self._fx(day))
            it.local = (usd, "USD")
        return it

    def _foreign_fees(self) -> None:
        """The banks' commission on each card payment in another currency."""
        for row in list(self.txs):
            if row.get("local_currency") == "USD":
                day = date.fromisoformat(row["emitted_at"][:10])
                cents = max(50, round(int(row["amount"].lstrip("-").replace(".", "")) * 0.02))
                if row["account_id"] == ORBE:
                    self.line(ORBE, -cents, "Frais paiement hors zone euro", "card", day, 86000)
                else:
                    self.line(CMA, -cents, "COMMISSION CB HORS ZONE EURO", "card", day)

    def _monetics(self) -> None:
        rng = self.rng
        monetik = self.services["MONE"]
        items: list[Item] = []
        commissions: list[Item] = []
        for site in SITES:
            for month in self._monthly():
                rent = 2160 * len(site.terminals)
                items.append(self._service_item("terminal_rental", monetik, rent, month, 5, site))
                takings = site.takings * 26 * rng.uniform(0.8, 1.2)
                cents = round(takings * 0.0042 + 9 * takings / 4500)
                day = month + timedelta(days=2)
                number = monetik.number(day, rng, "COM")
                it = Item(
                    "card_commission",
                    monetik,
                    cents,
                    day,
                    "none",
                    day,
                    number=number,
                    site=site,
                    channel="portal",
                )
                if site.code == "BOU":  # this contract debits the commission monthly
                    it.pay, it.paid = "dd", day + timedelta(days=8)
                    it.reference = f"COMMISSIONS CB {month:%m/%Y} {site.terminals[0]}"
                    it.mandate = "MONETIK" + site.terminals[0]
                commissions.append(it)
        self.emit_contract(items, self.target("terminal_rental"))
        self.emit_contract(commissions, self.target("card_commission"))

    def _delivery(self) -> None:
        rng = self.rng
        statements: list[Item] = []
        invoices: list[Item] = []
        pairs = [("LIVR", s) for s in SITES] + [("MIAM", s) for s in SITES[:2]]
        for code, site in pairs:
            party = self.platforms[code]
            store = f"{rng.randrange(10**5, 10**6)}"
            for monday in self.days((0,)):
                statements.append(self._delivery_week(code, party, site, store, monday))
            for month in self._monthly():
                invoices.append(self._platform_invoice(code, party, site, store, month))
        self.emit_contract(statements, self.target("delivery_statement"))
        self.emit_contract(invoices, self.target("delivery_invoice"))

    def _delivery_week(self, code: str, party: Party, site: Site, store: str, monday: date) -> Item:
        """A weekly statement: the commission invoice, deducted from the payout."""
        rng = self.rng
        gross = self.lognorm(220000 * site.factor, 0.35, 20000, 900000)
        rate = 0.30 if code == "LIVR" else 0.26
        commission = round(gross * rate * (1.2 if code == "LIVR" else 1.0))
        payout = gross - commission - rng.choice((0, 0, 0, 1250, 2380))
        week = (monday - ONE).isocalendar().week
        self.transfer_in(
            party.sepa,
            party.iban,
            payout,
            monday + timedelta(days=rng.randint(2, 4)),
            f"{code} PAYOUT W{week:02d} STORE {store}",
        )
        cands = tuple(c for c, p in ((payout, 0.25), (gross, 0.15)) if rng.random() < p)
        return Item(
            "delivery_statement",
            party,
            commission,
            monday,
            "none",
            monday,
            number=f"{code}-{monday.year}W{week:02d}-{store}",
            site=site,
            candidates=cands,
        )

    def _platform_invoice(
        self, code: str, party: Party, site: Site, store: str, month: date
    ) -> Item:
        rng = self.rng
        cents = round((1990 + rng.choice((0, 0, 4900, 9900, 15000, 29900))) * 1.2)
        if code == "LIVR":
            it = self._service_item("delivery_invoice", party, cents, month + ONE, 7, site)
            it.reference = f"INVOICE {it.number} STORE {store}"
            return it
        day = month + timedelta(days=rng.randint(1, 4))
        return Item(
            "delivery_invoice",
            party,
            round(cents / 1.2),
            day,
            "card",
            day,
            secs=self.secs(0, 6),
            payer="neo",
            number=party.number(day, rng, "MG"),
            site=site,
        )


# ---------------------------------------------------------------------------------------
# People: staff purchases, trips, meals, sales, duplicates, out-of-period.


class _People(_Contracts):
    def _shop_item(self, kind: str, day: date | None = None, site: Site | None = None) -> Item:
        rng = self.rng
        shop = SHOPS[kind]
        card, _, headers, online = rng.choice(shop.merchants)
        party = self.shops[card]
        day = day or self.day(shop.weekdays)
        cents = self.lognorm(shop.median, shop.sigma, shop.lo, shop.hi)
        channel = "pdf" if online else "receipt"
        if kind == "staff_parking" and online:
            channel = "app"
        it = Item(
            kind,
            party,
            cents,
            day,
            "card",
            day,
            secs=self.secs(*shop.hours),
            payer=self.payer(shop.payers),
            channel=channel,
            dtype="invoice" if online else "receipt",
            number=party.number(day, rng) if online else None,
            site=site,
        )
        if not online and rng.random() < 0.5:
            it.number = f"{rng.randint(1, 6):02d}-{rng.randrange(10**5):05d}"
        if kind == "business_meal":
            self._meal(it)
        return it

    def _meal(self, it: Item) -> None:
        rng = self.rng
        if rng.random() < 0.4:
            it.secs = self.secs(19.5, 23.5)
        if rng.random() < 0.35:  # the tip added on the card terminal
            tip = max(100, round(it.cents * rng.uniform(0.05, 0.12) / 100) * 100)
            it.paid_cents = it.cents + tip
            if rng.random() < 0.35:  # the card slip stapled to the bill
                it.candidates = (it.paid_cents,)

    def _staff(self) -> None:
        for kind in ("staff_hardware", "staff_cleaning", "staff_fuel", "staff_parking"):
            for _ in range(self.target(kind)):
                self.emit(self._shop_item(kind))
        for _ in range(self.target("staff_train")):
            self.emit(self._shop_item("staff_train"))
        for _ in range(self.target("business_meal")):
            self.emit(self._shop_item("business_meal"))
        self._trips()
        self._personal()

    def _trips(self) -> None:
        rng = self.rng
        k = self.target("trade_fair")
        made = 0
        while made < k:
            fair = rng.choice(self.fairs)
            start = rng.choice([d for d in self.days((0, 1, 6)) if 2 <= d.month <= 11])
            nights = rng.randint(1, 3)
            for it in self._trip_items(fair, start, nights):
                if made >= k:
                    break
                self.emit(it)
                made += 1

    def _trip_items(self, fair: dict, start: date, nights: int) -> list[Item]:
        rng = self.rng
        out = []
        booked = start - timedelta(days=rng.randint(10, 40))
        for leg in (start, start + timedelta(days=nights)):
            train = self._shop_item("staff_train", booked)
            train.fam, train.cents = "trade_fair", self.lognorm(7800, 0.3, 3000, 16000)
            train.due = leg
            out.append(train)
        badge = fair["badge"]
        out.append(
            Item(
                "trade_fair", badge, 4500 * rng.randint(1, 2), booked, "card", booked,
                secs=self.secs(9, 23), number=badge.number(booked, rng), payer="neo",
            )
        )  # fmt: skip
        hotel = fair["hotel"]
        checkout = start + timedelta(days=nights)
        rate = self.lognorm(13500, 0.2, 8000, 26000)
        out.append(
            Item(
                "trade_fair", hotel, nights * (rate + 330), checkout, "card", checkout,
                secs=self.secs(7, 10.5), payer=self.payer((0.6, 0.0, 0.4)),
                number=hotel.number(checkout, rng), channel=rng.choice(("pdf", "photo")),
            )
        )  # fmt: skip
        for i in range(nights + rng.randint(0, 2)):
            meal = self._shop_item("business_meal", start + timedelta(days=i % (nights + 1)))
            meal.party = rng.choice(fair["food"])
            meal.fam, meal.payer = "trade_fair", self.payer((0.6, 0.0, 0.4))
            out.append(meal)
        for _ in range(rng.randint(1, 3)):
            taxi = fair["taxi"]
            day = start + timedelta(days=rng.randint(0, nights))
            out.append(
                Item(
                    "trade_fair", taxi, self.lognorm(2600, 0.4, 900, 9000), day, "card", day,
                    secs=self.secs(7, 23), payer="neo", channel="receipt", dtype="receipt",
                )
            )  # fmt: skip
        return out

    def _personal(self) -> None:
        """Paid with a personal card: no bank line of its own; reimbursed monthly."""
        rng = self.rng
        owed: dict[tuple[int, int], int] = {}
        for _ in range(self.target("personal_card")):
            kind = rng.choice(("staff_fuel", "staff_parking", "business_meal", "staff_hardware"))
            it = self._shop_item(kind)
            it.fam, it.pay = "personal_card", "none"
            self.emit(it)
            who = rng.randrange(12)  # managers, chefs and the owners
            owed[who, it.paid.month] = owed.get((who, it.paid.month), 0) + it.cents
        for (who, month), cents in sorted(owed.items()):
            person = self.staff[who]
            day = last_business(date(2025, month, 1)) + timedelta(days=rng.randint(1, 10))
            self.transfer_out(
                person["name"], person["iban"], cents, day, f"NOTE DE FRAIS {month:02d}/2025"
            )

    def _sales(self) -> None:
        """Invoices issued by the company: private events (deposit then balance) and
        catering; paid in by transfer, never matched."""
        rng = self.rng
        made = 0
        k = self.target("sales_invoice")
        while made < k:
            client = rng.choice(self.clients_out)
            site = self.site()
            event = rng.choice(
                [d for d in self.days((1, 2, 3, 4, 5), site) if d < date(2025, 12, 21)]
            )
            full = self.lognorm(260000, 0.7, 45000, 1500000)
            if rng.random() < 0.6 and made + 1 < k:
                booked = event - timedelta(days=rng.randint(15, 70))
                deposit = round(full * 0.3 / 100) * 100
                self._sale(client, booked, deposit, None, "ACOMPTE")
                self._sale(client, event + ONE, full, full - deposit, "SOLDE")
                made += 2
            else:
                self._sale(client, event + ONE, full, None, "")
                made += 1

    def _sale(self, client: dict, day: date, cents: int, due: int | None, kind: str) -> None:
        rng = self.rng
        number = self.org_party.number(day, rng)
        it = Item(
            "sales_invoice",
            self.org_party,
            cents,
            day,
            "none",
            day,
            number=number,
            due=day + timedelta(days=30 if kind != "ACOMPTE" else 8),
            customer=client["name"],
            customer_vat=client["vat"],
            amount_due=due,
            show_iban=True,
            received=(day + timedelta(days=rng.randint(0, 3)), self.secs(9, 19)),
        )
        doc = self.render(it)
        doc["_sale"] = True
        self.link(doc, None, "sales_invoice")
        if rng.random() < 0.9:
            paid = day + timedelta(days=rng.randint(2, 45))
            motif = rng.choice((f"FACTURE {number}", f"{number} {kind}".strip(), "PRIVATISATION"))
            self.transfer_in(client["name"], client["iban"], due or cents, paid, motif)

    def _duplicates(self) -> None:
        """A second copy of a document: a photo of the paper copy after the PDF, or the
        same file uploaded again. The first copy holds the truth."""
        rng = self.rng
        pool = [
            (it, doc)
            for it, doc in self.dupable
            if it.dtype != "credit_note" and it.channel != "handwritten"
        ]
        for _ in range(self.target("duplicate")):
            it, doc = rng.choice(pool)
            later = date.fromisoformat(doc["received_at"][:10]) + timedelta(days=rng.randint(1, 20))
            if rng.random() < 0.3:
                copy = dict(doc)
                copy["received_at"] = stamp(later, self.secs(7, 23))
                self._seq += 1
                copy["_k"] = (later.toordinal(), 0, self._seq)
                self.docs.append(copy)
            else:
                channel = "photo" if it.channel in ("pdf", "portal") else "pdf"
                if it.dtype == "receipt":
                    channel = "receipt"
                copy = self.render(replace(it, channel=channel, received=(later, self.secs(7, 23))))
            copy.pop("_sale", None)
            self.link(copy, None, "duplicate")

    def _outside(self) -> None:
        """Purchases of November-December 2024 uploaded in January: paid before the
        statement starts."""
        rng = self.rng
        span = days_between(date(2024, 11, 4), date(2024, 12, 20))
        for _ in range(self.target("outside_period")):
            day = rng.choice([d for d in span if d.weekday() < 6])
            kind = rng.random()
            if kind < 0.4:
                it = self._cash_carry_item(day)
                it.payer = "neo"
            elif kind < 0.7:
                it = self._repair_item(day)
                it.pay, it.paid, it.reference = "transfer", day + timedelta(days=5), "FACTURE"
            else:
                it = self._shop_item(rng.choice(("staff_fuel", "staff_hardware")), day)
                it.payer = "neo"
            it.received = (date(2025, 1, rng.randint(6, 24)), self.secs(8, 20))
            self.emit(it)


# ---------------------------------------------------------------------------------------
# Noise, and the whole year.


class _Bistro(_People):
    def run(self, dataset_cls: type) -> Dataset:
        self._setup()
        for step in (
            self._wholesale,
            self._brewery,
            self._markets,
            self._leases,
            self._maintenance,
            self._repairs,
            self._equipment,
            self._energy,
            self._utilities,
            self._services,
            self._software,
            self._monetics,
            self._delivery,
            self._staff,
            self._sales,
            self._outside,
            self._duplicates,
            self._foreign_fees,
        ):
            step()
        budget = max(0, self.n_tx - len(self.txs))
        start = len(self.txs)
        for step in (
            self._settlements,
            self._cash_and_vouchers,
            self._payroll,
            self._charges,
            self._bank,
        ):
            step()
        calendar = self.txs[start:]
        cap = int(budget * 0.6)
        if len(calendar) > cap:
            keep = sorted(self.rng.sample(range(len(calendar)), cap))
            self.txs[start:] = [calendar[i] for i in keep]
        self._fill(self.n_tx - len(self.txs))
        return self._finish(dataset_cls)

    # -- setup ------------------------------------------------------------------------

    def _setup(self) -> None:
        rng = self.rng
        org_siren = siren(rng)
        self.cma_iban = iban_fr(rng, "15489")
        self.orbe_iban = iban_fr(rng, "16958")
        self.org = {
            "name": "Maison Garance SAS",
            "vat": vat_fr(org_siren),
            "siren": org_siren,
            "ibans": [self.cma_iban, self.orbe_iban],
        }
        self.org_party = Party(
            "Maison Garance SAS",
            ("Maison Garance SAS", "MAISON GARANCE", "Bistrot Garance - Maison Garance SAS"),
            "MAISON GARANCE SAS",
            vat=self.org["vat"],
            iban=self.cma_iban,
            pattern="MG{yy}-{n:04d}",
            base=1,
            rate=1.1,
        )
        self._setup_suppliers()
        self._setup_services()
        self._setup_people()

    def _setup_suppliers(self) -> None:
        self.suppliers: dict[str, Party] = {}
        for spec in WHOLESALERS:
            country = "ES" if spec.code == "ESAL" else "FR"
            self.suppliers[spec.code] = self.party(
                spec.legal, spec.headers, spec.sepa, pattern=spec.pattern, rate=6, country=country
            )
        for code, legal, headers, sepa, *_ in BREWERS:
            self.suppliers[code] = self.party(legal, headers, sepa, pattern="BL{yy}{n:06d}", rate=9)
        self.cash_carry = {
            card: self.party(
                "Distripro France SAS"
                if card.startswith("DISTRI")
                else "Halle Pro Distribution SA",
                headers,
                card=card,
                pattern="{n:07d}",
                rate=40,
            )
            for card, headers, _, _ in CASH_CARRY
        }
        vat = self.cash_carry["DISTRIPRO BORDEAUX LAC"].vat
        for card, party in self.cash_carry.items():
            if card.startswith("DISTRIPRO"):
                party.vat = vat
        self.producers = [
            self.party(legal, headers, card=card or "", rate=1)
            for legal, headers, card in PRODUCERS
        ]
        for p in self.producers:
            p.iban = None

    def _setup_services(self) -> None:
        mk = self.party
        self.lessors = {
            "LOCA": mk("Locaparc Financement SA", ("LOCAPARC FINANCEMENT", "Locaparc"), "LOCAPARC FINANCEMENT"),
            "EQUI": mk("Équilocation Pro SAS", ("EQUILOCATION PRO", "Équilocation Pro"), "EQUILOCATION PRO SAS", rate=40),
            "MOTO": mk("Motolib Leasing SAS", ("MOTOLIB LEASING", "Motolib"), "MOTOLIB LEASING", rate=8),
        }  # fmt: skip
        self.services = {
            "PEST": mk("Nuisibles Stop 33 SARL", ("NUISIBLES STOP 33", "Nuisibles Stop"), pattern="NS{yy}{n:05d}"),
            "COLD": mk("Froid Service Gironde SAS", ("FROID SERVICE GIRONDE", "Froid Service"), pattern="FSG-{n:06d}"),
            "HOOD": mk("Hotte Net Aquitaine SARL", ("HOTTE NET AQUITAINE", "Hotte Net"), pattern="HN{yyyy}-{n:04d}", rate=1),
            "CUIS": mk("Cuisine Pro Équipement SAS", ("CUISINE PRO EQUIPEMENT", "Cuisine Pro Équipement Mérignac"), pattern="CPE{yy}{n:05d}", rate=2),
            "ELEC": mk("Énergies du Ponant Pro SA", ("ENERGIES DU PONANT PRO", "Énergies du Ponant"), "ENERGIES DU PONANT", pattern="{n:012d}", rate=900),
            "GAS": mk("Gazelis Entreprises SAS", ("GAZELIS ENTREPRISES", "Gazelis"), pattern="GZ{n:010d}", rate=300),
            "WATR": mk("Eaux de Garonne Services SA", ("EAUX DE GARONNE SERVICES", "Eaux de Garonne"), pattern="{n:010d}", rate=500),
            "TELB": mk("Telonet Pro SAS", ("TELONET PRO", "Telonet Pro - Facture"), pattern="F{yy}{mm}{n:08d}", rate=3000),
            "TELM": mk("Cellya Pro SA", ("CELLYA PRO", "Cellya Entreprises"), pattern="CP{n:09d}", rate=2000),
            "WAST": mk("Collecte Verte Gironde SAS", ("COLLECTE VERTE GIRONDE", "Collecte Verte"), pattern="CVG{yy}{n:05d}", rate=20),
            "METR": mk("Bordeaux Métropole", ("BORDEAUX METROPOLE", "Bordeaux Métropole - Redevance spéciale"), "TRESORERIE BORDEAUX METROPOLE", pattern="{yyyy}-{n:06d}", rate=50),
            "INSU": mk("Mutuelle d'Assurance des Commerces et Hôtels", ("MACH ASSURANCES", "Mutuelle d'Assurance des Commerces et Hôtels"), "MACH ASSURANCES", pattern="{n:08d}", rate=100),
            "PROT": mk("Protecta Juridique SA", ("PROTECTA JURIDIQUE", "Protecta"), pattern="PJ{yy}{n:06d}", rate=100),
            "ACCT": mk("Cabinet Lestrade & Associés", ("CABINET LESTRADE & ASSOCIES", "Lestrade & Associés - Expertise comptable"), "CABINET LESTRADE ET ASSOCIES", pattern="H{yy}{n:05d}", rate=4),
            "PAIE": mk("PaieExpress Gironde SARL", ("PAIEEXPRESS GIRONDE", "PaieExpress"), pattern="PE-{n:06d}", rate=6),
            "SDMR": mk("SDMR", ("SDMR", "Société de Diffusion Musicale et de Répartition"), card="SDMR PAIEMENT EN LIGNE", pattern="L{yyyy}{n:07d}", rate=200),
            "SPRE": mk("SPRÉA", ("SPREA", "Société de Perception de la Rémunération Équitable"), "SPREA", pattern="RE{yy}{n:07d}", rate=150),
            "MONE": mk("Monetik Services SA", ("MONETIK SERVICES", "Monetik Services - Caisse Mutuelle d'Aquitaine"), pattern="M{yy}{n:08d}", rate=500),
        }  # fmt: skip
        remits = {
            "PEST": "NUISIBLES STOP CONTRAT {client} FACT {num}",
            "COLD": "FSG {num} CLIENT {client}",
            "GAS": "GAZELIS FACTURE {num}",
            "WATR": "EAUX GARONNE FACT {num} ABONNE {client}",
            "TELB": "TELONET PRO FACTURE {num} CPTE {client}",
            "TELM": "CELLYA {day:%m/%Y} REF {num}",
            "WAST": "CVG {num}",
            "ACCT": "HONORAIRES {day:%m/%Y} {num}",
            "PAIE": "PAIEEXPRESS BULLETINS {day:%m/%Y} DOSSIER {client}",
            "MONE": "MONETIK LOCATION TPE {day:%m/%Y} {client}",
        }
        for code, remit in remits.items():
            self.services[code].remit = remit
        self.technicians = [
            self.services["COLD"],
            mk("Plomberie Bastide SARL", ("PLOMBERIE BASTIDE", "Plomberie Bastide - Dépannage"), card="TPZ*PLOMBERIE BASTIDE", pattern="{yyyy}-{n:03d}", rate=1),
            mk("Elec Lormont Services", ("ELEC LORMONT SERVICES", "Elec Lormont"), pattern="ELS{n:05d}", rate=1),
            mk("Dépannage Cuisine Pro 33 SAS", ("DEPANNAGE CUISINE PRO 33", "DCP 33"), card="DEPANNAGE CUISINE PRO", pattern="DCP{yy}{n:04d}", rate=2),
            mk("Serrurerie Saint-Pierre", ("SERRURERIE SAINT-PIERRE", "Serrurerie St Pierre"), card="KWIK *SERRURERIE ST PI", pattern="F{n:04d}", rate=1),
        ]  # fmt: skip
        self.software = {
            "POS": mk("Caissio SAS", ("CAISSIO", "Caissio SAS"), "CAISSIO SAS", pattern="CA-{yyyy}-{n:07d}", rate=800),
            "RES": mk("Tablonia Inc.", ("Tablonia", "TABLONIA INC."), card="TABLONIA* SUBSCRIPTIO", pattern="{n:08d}", rate=3000),
            "ROTA": mk("Rotaplan SAS", ("ROTAPLAN", "Rotaplan SAS"), card="ROTAPLAN.IO", pattern="RP{yy}{n:06d}", rate=400),
            "MENU": mk("Menuvia SARL", ("MENUVIA", "Menuvia"), card="FSPAY*MENUVIA", pattern="MV-{n:06d}", rate=150),
            "WEB": mk("Kordia Cloud LLC", ("Kordia Cloud", "KORDIA CLOUD LLC"), card="KORDIA CLOUD", pattern="KC{n:07d}", rate=900),
        }  # fmt: skip
        self.software["POS"].remit = "CAISSIO ABONNEMENT {num}"
        for code in ("RES", "WEB"):
            self.software[code].vat = f"EU372{self.rng.randrange(10**6):06d}"
            self.software[code].iban = None
        self.platforms = {
            "LIVR": mk("Livrezou France SAS", ("LIVREZOU", "Livrezou France SAS"), "LIVREZOU FRANCE SAS", pattern="{n:09d}", rate=5000),
            "MIAM": mk("Miamgo B.V.", ("MIAMGO", "Miamgo B.V."), "MIAMGO BV", card="MIAMGO*ADS", pattern="{n:08d}", rate=3000),
        }  # fmt: skip
        self.platforms["MIAM"].vat = f"NL{self.rng.randrange(10**8, 10**9)}B01"

    def _setup_people(self) -> None:
        rng = self.rng
        self.shops = {}
        for shop in SHOPS.values():
            for card, legal, headers, _ in shop.merchants:
                if card not in self.shops:
                    self.shops[card] = self.party(legal, headers, card=card, rate=60)
        tail = sorted(
            {
                rng.choice(TAIL_SHOPS).format(
                    s=plain(rng.choice(SURNAMES)), p=rng.choice(TAIL_PLACES)
                )
                for _ in range(400)
            }
        )
        rng.shuffle(tail)
        self.tail = [
            (rng.choice(("", "", "", "TPZ*", "KWIK *")) + name)[:22].rstrip() for name in tail
        ]
        self.tail_weights = [1.0 / (rank + 3) for rank in range(len(self.tail))]
        mk = self.party
        self.fairs = [
            {
                "badge": mk("Restau Expo SAS", ("RESTAU EXPO", "Restau Expo - Billetterie"), card="RESTAUEXPO BILLETTERI"),
                "hotel": mk("SAS Hôtel du Parc des Expositions", ("HOTEL DU PARC DES EXPOSITIONS", "Hôtel du Parc"), card="HOTEL DU PARC EXPO PAR"),
                "taxi": mk("Taxis Parisiens Associés", ("TAXI PARISIEN", "TAXI"), card="TPZ*TAXI 75 LICENCE 4"),
                "food": [mk("Le Zinc du Quinzième", ("LE ZINC DU 15E",), card="LE ZINC DU QUINZIEME"), mk("Brasserie Vaugirard", ("BRASSERIE VAUGIRARD",), card="BRASSERIE VAUGIRARD")],
            },
            {
                "badge": mk("Lyon Gastronomie Salons SAS", ("LYON GASTRONOMIE SALONS",), card="LYON GASTRO SALONS"),
                "hotel": mk("Hôtel Bellecour Gare SARL", ("HOTEL BELLECOUR GARE", "Hôtel Bellecour"), card="HOTEL BELLECOUR GARE"),
                "taxi": mk("Radio Taxi Rhône", ("RADIO TAXI RHONE", "TAXI"), card="KWIK *RADIO TAXI RHONE"),
                "food": [mk("Bouchon des Canuts", ("BOUCHON DES CANUTS",), card="BOUCHON DES CANUTS"), mk("Le Comptoir de la Saône", ("COMPTOIR DE LA SAONE",), card="COMPTOIR DE LA SAONE")],
            },
        ]  # fmt: skip
        names = sorted({f"{f} {s}" for f in FIRST_NAMES for s in SURNAMES})
        chosen = rng.sample(names, 47)
        self.staff = [
            {
                "name": name,
                "iban": iban_fr(rng, rng.choice(("30004", "20041", "30003", "15489", "16958"))),
                "net": self.lognorm(175000, 0.2, 140000, 420000) if i >= 12 else 290000 + 5000 * i,
                "start": 1 if rng.random() < 0.85 else rng.randint(2, 10),
                "end": 12 if rng.random() < 0.85 else rng.randint(3, 12),
            }
            for i, name in enumerate(chosen)
        ]
        self.clients_out = []
        for i in range(60):
            if i < 35:
                name = rng.choice(COMPANY_CLIENTS) + rng.choice(("", " SAS", " SARL"))
                vat = vat_fr(siren(rng)) if rng.random() < 0.6 else None
            else:
                name = f"{rng.choice(('M.', 'Mme', 'M. et Mme'))} {rng.choice(SURNAMES)}"
                vat = None
            self.clients_out.append(
                {"name": name, "vat": vat, "iban": iban_fr(rng, rng.choice(("30004", "10278")))}
            )

    # -- calendar noise ---------------------------------------------------------------

    def _settlements(self) -> None:
        """Each terminal's card takings of a day, booked the next business day."""
        rng = self.rng
        weekday_factor = (0.7, 0.75, 0.85, 0.95, 1.3, 1.45, 1.1)
        for site in SITES:
            for d in self.days((), site):
                gross = self.lognorm(
                    site.takings * weekday_factor[d.weekday()], 0.3, 20000, 2500000
                )
                parts = self.split(gross, [0.6, 0.4][: len(site.terminals)])
                for terminal, cents in zip(site.terminals, parts, strict=True):
                    count = max(1, round(cents / 4600))
                    self.line(
                        CMA,
                        cents,
                        f"REMISE CB {d:%d%m} {terminal} {count} FACT",
                        "income",
                        add_business(d, 1),
                    )
                if d.weekday() == 0 and rng.random() < 0.5:  # American cards, weekly
                    self.line(
                        CMA,
                        self.lognorm(42000, 0.5, 3000, 300000),
                        f"REMISE CARTES ETRANGERES {site.terminals[0]}",
                        "income",
                        add_business(d, 2),
                    )

    def _cash_and_vouchers(self) -> None:
        rng = self.rng
        branch = {"CHA": "BORDEAUX CHARTRONS", "STM": "BORDEAUX VICTOR HUGO", "BOU": "LE BOUSCAT"}
        for site in SITES:
            affiliate = f"{rng.randrange(10**6, 10**7)}"
            for d in self.days((1,)):
                cents = round(self.lognorm(110000 * site.factor, 0.4, 10000, 600000), -3)
                self.line(
                    CMA,
                    cents,
                    f"VERSEMENT ESPECES AG {branch[site.code]}",
                    "income",
                    d,
                    reference=f"BORDEREAU {rng.randrange(10**6):06d}",
                )
                week = d.isocalendar().week
                self.transfer_in(
                    "TITRESCO",
                    None,
                    self.lognorm(52000 * site.factor, 0.5, 3000, 250000),
                    d + timedelta(days=2),
                    f"REMB TITRES S{week:02d} AFFILIE {affiliate}",
                )
        for d in self.days((1,)):  # cash for the market producers
            cents = rng.choice((20000, 25000, 30000, 40000))
            self.line(
                CMA,
                -cents,
                f"RETRAIT DAB {d:%d%m} BORDEAUX CAPUCINS CARTE {self.cards['cb']}",
                "card",
                add_business(d, 1),
            )

    def _payroll(self) -> None:
        rng = self.rng
        for month in range(1, 13):
            day = last_business(date(2025, month, 1))
            for person in self.staff:
                if not person["start"] <= month <= person["end"]:
                    continue
                cents = round(person["net"] * rng.uniform(0.93, 1.12))
                if month == 12 and rng.random() < 0.5:
                    cents += person["net"] // 2
                self.transfer_out(
                    person["name"], person["iban"], cents, day, f"SALAIRE {month:02d}/2025"
                )

    def _charges(self) -> None:
        """Social charges, taxes, pensions, health cover."""
        rng = self.rng
        urssaf = Party("URSSAF", ("URSSAF",), "URSSAF AQUITAINE")
        dgfip = Party("DGFIP", ("DGFIP",), "DGFIP")
        pension = Party("RETRAITE HOTELLERIE ATLANTIQUE", (), "RETRAITE HOTELLERIE ATLANTIQUE")
        health = Party("MUTUELLE GASTRONOMIE SANTE", (), "MUTUELLE GASTRONOMIE SANTE")
        siret = f"{self.org['siren']}00015"
        for m in range(1, 13):
            mm = f"{m - 1 or 12:02d}/{2025 if m > 1 else 2024}"
            self.direct_debit(
                urssaf,
                self.lognorm(2100000, 0.08, 1, 10**8),
                date(2025, m, 15),
                f"DSN {mm} SIRET {siret}",
                "URSSAF33",
            )
            self.direct_debit(
                dgfip,
                self.lognorm(310000, 0.1, 1, 10**8),
                date(2025, m, 15),
                f"PAS {mm}",
                "DGFIPPAS",
            )
            self.direct_debit(
                dgfip,
                self.lognorm(1450000, 0.25, 1, 10**8),
                date(2025, m, 24),
                f"TVA {mm} CA3 {self.org['siren']}",
                "DGFIPTVA",
            )
            self.direct_debit(
                pension,
                self.lognorm(820000, 0.08, 1, 10**8),
                date(2025, m, 25),
                f"COTISATIONS {mm}",
                "RHA0457",
            )
            self.direct_debit(
                health,
                self.lognorm(162000, 0.03, 1, 10**8),
                date(2025, m, 5),
                f"CONTRAT COLLECTIF {m:02d}/2025",
                "MGS0457",
            )
        for m in (3, 6, 9, 12):
            self.direct_debit(
                dgfip,
                self.lognorm(640000, 0.2, 1, 10**8),
                date(2025, m, 15),
                f"IS ACOMPTE {m // 3}/4 2025",
                "DGFIPIS",
            )
        self.direct_debit(
            dgfip, rng.randint(180000, 260000), date(2025, 12, 15), "CFE 2025", "DGFIPCFE"
        )

    def _bank(self) -> None:
        """Loans, bank fees, transfers between the two accounts."""
        rng = self.rng
        loans = (("0045871203", 218436, 5), ("0045871377", 64210, 20), ("0045890012", 110877, 28))
        for m in range(1, 13):
            for number, cents, dom in loans:
                interest = round(cents * (0.14 - 0.006 * m))
                self.line(
                    CMA, -cents, f"ECHEANCE PRET {number}", "direct_debit",
                    business_on_or_after(date(2025, m, dom)),
                    reference=f"CAPITAL {fr_amount(cents - interest)} INTERETS {fr_amount(interest)}",
                )  # fmt: skip
            first = business_on_or_after(date(2025, m, 1))
            self.line(CMA, -2850, "FRAIS TENUE DE COMPTE PRO", "transfer", first)
            self.line(CMA, -1200, "COTISATION OFFRE MONETIQUE", "transfer", first)
            self.line(
                ORBE, -4900, "Orbe - Abonnement Business", "transfer", first, 3600, (first, 3600)
            )
            if rng.random() < 0.3:
                self.line(
                    CMA,
                    -800 * rng.randint(1, 4),
                    "COMMISSION D INTERVENTION",
                    "transfer",
                    add_business(first, rng.randint(3, 15)),
                )
        for card, m in (("cb", 3), ("cbd", 9)):
            self.line(
                CMA,
                -13500,
                f"COTISATION CARTE AFFAIRES {self.cards[card]}",
                "transfer",
                date(2025, m, 3),
            )
        for d in self.days((0,)):
            day = business_on_or_after(d)
            cents = rng.choice((150000, 200000, 250000, 300000, 400000))
            self.line(
                CMA,
                -cents,
                "VIR SEPA MAISON GARANCE SAS",
                "transfer",
                day,
                reference="ALIMENTATION COMPTE ORBE",
                counterparty_iban=self.orbe_iban,
            )
            secs = self.secs(9, 12)
            self.line(
                ORBE,
                cents,
                "MAISON GARANCE SAS",
                "income",
                day,
                secs,
                (day, secs),
                reference="ALIMENTATION COMPTE ORBE",
                counterparty_iban=self.cma_iban,
            )

    # -- payments with no document ----------------------------------------------------

    def _fill(self, n: int) -> None:
        """Payments nobody uploaded a document for: the same merchants and suppliers."""
        rng = self.rng
        kinds = (
            ("cash_carry", 12),
            ("market", 8),
            ("staff_hardware", 5),
            ("staff_cleaning", 8),
            ("staff_fuel", 4),
            ("staff_parking", 4),
            ("business_meal", 4),
            ("tail", 18),
            ("staff_train", 1),
            ("supplier_debit", 10),
            ("supplier_transfer", 5),
            ("repair", 1),
            ("refund", 1),
            ("income", 2),
        )
        names = [k for k, _ in kinds]
        weights = [w for _, w in kinds]
        made = 0
        guard = 0
        while made < n and guard < n * 3:
            guard += 1
            if self._noise(rng.choices(names, weights)[0]) is not None:
                made += 1

    def _noise(self, kind: str) -> dict | None:
        rng = self.rng
        if kind == "cash_carry":
            return self.pay(self._cash_carry_item())
        if kind == "market":
            return self.pay(self._market_item(False))
        if kind in SHOPS:
            return self.pay(self._shop_item(kind))
        if kind == "tail":
            label = rng.choices(self.tail, self.tail_weights)[0]
            cents = self.lognorm(1400, 0.9, 120, 25000)
            return self.card(
                self.payer((0.8, 0.14, 0.06)), label, cents, self.day(), self.secs(7, 21)
            )
        if kind == "repair":
            return self.pay(self._repair_item())
        if kind == "supplier_debit":
            return self._noise_debit()
        if kind == "supplier_transfer":
            return self._noise_transfer()
        if kind == "refund":
            it = self._cash_carry_item()
            cents = self.lognorm(2500, 0.8, 200, 30000)
            return self.card(it.payer, it.party.card, -cents, it.paid, it.secs)
        client = rng.choice(self.clients_out)
        return self.transfer_in(client["name"], client["iban"], self.lognorm(60000, 0.8, 5000, 500000), self.day(), rng.choice(("ACOMPTE PRIVATISATION", "REPAS GROUPE", "BON CADEAU", "")))  # fmt: skip

    def _noise_debit(self) -> dict | None:
        rng = self.rng
        spec = rng.choice([s for s in WHOLESALERS if s.mode in ("dd", "decade")])
        party = self.suppliers[spec.code]
        site = self.site()
        day = self.day(spec.days, site)
        client = self._client(spec.code, site)
        cents = self.lognorm(spec.median * 100 * site.factor * (2 if spec.mode == "decade" else 1), spec.sigma, 1500, 900000)  # fmt: skip
        number = party.number(day, rng)
        due = self._due(spec, day)
        ref = spec.remit.format(
            num=number, day=day, due=due, client=client, stmt=decade_number(day)
        )
        return self.direct_debit(party, cents, due, ref, self._mandate(spec.code, site))

    def _noise_transfer(self) -> dict | None:
        rng = self.rng
        spec = rng.choice([s for s in WHOLESALERS if s.mode not in ("dd", "decade")])
        party = self.suppliers[spec.code]
        site = self.site()
        day = self.day((0, 1, 2, 3, 4))
        cents = self.lognorm(spec.median * 100 * site.factor, spec.sigma, 1500, 900000)
        number = party.number(day - timedelta(days=40), rng)
        return self.transfer_out(spec.sepa, party.iban, cents, day, rng.choice((f"FACT {number}", number, f"{site.code} {number}")))  # fmt: skip

    # -- output -----------------------------------------------------------------------

    def _finish(self, dataset_cls: type) -> Dataset:
        txs = sorted(self.txs, key=lambda r: r["_k"])
        for i, row in enumerate(txs, 1):
            row["id"] = f"tx-{i:06d}"
            del row["_k"]
        docs = sorted(self.docs, key=lambda r: r["_k"])
        truth: dict[str, str | None] = {}
        family: dict[str, str] = {}
        sales: set[str] = set()
        for i, doc in enumerate(docs, 1):
            doc["id"] = f"doc-{i:05d}"
            tx = doc.pop("_tx")
            family[doc["id"]] = doc.pop("_fam")
            if doc.pop("_sale", False):
                sales.add(doc["id"])
            del doc["_k"]
            truth[doc["id"]] = tx["id"] if tx is not None else None
        return dataset_cls(
            organization=self.org,
            transactions=txs,
            documents=docs,
            truth=truth,
            sales_ids=sales,
            family=family,
        )


COMPANY_CLIENTS = (
    "Cabinet Avocats Mériadec",
    "Vins & Négoce des Quais",
    "Atelier d'Architecture Garonne",
    "Clinique Vétérinaire du Parc",
    "Agence Immobilière Tourny",
    "Aquitaine Logiciels",
    "Comité d'Entreprise Aérostructures Mérignac",
    "Association des Anciens de Sciences Po Bordeaux",
    "Château Lamothe-Bernac",
    "Banque Privée Gironde Conseil",
    "Studio Photo Lumière d'Ouest",
    "Mutuelle des Artisans du Sud-Ouest",
)


class BistroGenerator:
    """A year of Maison Garance SAS: three bistrots, a mutualist bank, a neo-bank."""

    def __init__(self, documents: int, transactions: int, seed: int):
        self.documents = documents
        self.transactions = transactions
        self.seed = seed

    def build(self) -> Dataset:
        # Imported here: bench.matching imports this module (a top-level import would be
        # circular).
        from bench.matching import Dataset

        world = _Bistro(random.Random(self.seed), self.documents, self.transactions)
        return world.run(Dataset)
