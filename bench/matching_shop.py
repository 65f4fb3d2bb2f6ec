"""Benchmark data for the matching engine: one year of an online home-goods shop with a workshop.

    ShopGenerator(documents=10_000, transactions=100_000, seed=1).build() -> Dataset

Written from the product brief only (the engine, its tests and the other generators
unread). Every name, number and identifier below is invented, except the well-known
platforms (Meta, Google, Etsy, Amazon, Stripe, La Poste...), whose identifiers are
invented too.

Business
--------
Atelier Lunelle SAS, Lille, about 15 people, designs and makes ceramics, linen and
candles in a workshop in Roubaix, and sells them through its own web shop (payments by
Stripe and PayPal), two marketplaces (Etsy; Amazon FR, DE, IT, ES, NL, BE), wholesale
to concept stores (B2B invoices) and two boutiques (Vieux-Lille; Sablon, Brussels). It
ships across Europe, buys clay, glazes, wax, linen, glass and packaging from French,
Belgian, German, Portuguese and Chinese suppliers, and spends heavily on online
advertising and software. One statement period: 2025-01-01 .. 2025-12-31.

Accounts and their descriptors
------------------------------
- ``nova-main``, a business neo-bank (Nova): staff cards and one virtual card per vendor
  (ads, software). Card line: ``counterparty`` = the card network's merchant field, 22
  characters, upper case, sometimes behind a facilitator prefix (``SUMUP  *``, ``SQ *``,
  ``ZTL*``, ``FACEBK *<receipt ref>``, ``GOOGLE *ADS<account>``, ``SHOPIFY* <bill>``);
  ``emitted_at`` = the exact payment time in UTC, ``settled_at`` 0-3 days later.
  Payments in another currency carry ``local_amount``/``local_currency`` (signed like
  ``amount``), are converted at the card network's rate, and the bank books a separate
  2 % fee line (``NOVA``, reference ``Frais paiement devise 2 % - <merchant>``).
  Transfers: the beneficiary as the user saved it, the user's free reference, the IBAN;
  SWIFT transfers in USD/CNY are one debit including Nova's fee and the OUR charges.
  Direct debits: the creditor's name, reference = invoice or contract ref.
- ``cfa-pro``, a traditional French bank (Crédit Flandres-Artois): booking dates only
  (midnight, Europe/Paris). ``CARTE X4821 14/03 <merchant field>`` for the deferred-debit
  card (every payment of a month booked on its last business day) and ``CARTE X7730
  14/03 ...`` for the immediate-debit card (booked 1-3 business days later). A foreign
  card payment's text holds the original amount and rate, and its commission (2.7 % +
  0.20) is included in the debit. ``PRLV SEPA <creditor>`` (reference: creditor's
  reference, ICS, RUM), ``VIR SEPA EMIS <name>``, ``VIR SEPA RECU <name>``, ``VIR
  INTERNATIONAL EMIS <name>`` followed by separate ``COMMISSION VIREMENT INTERNATIONAL``
  lines (SHA), ``REMISE CB <dd/mm> TPE <n>`` (Lille boutique's terminal), ``ECHEANCE
  PRET``, ``COTISATION CONVENTION PRO``.
- ``bs-bxl``, the Brussels boutique's Belgian account (Banque Senne): ``PAIEMENT
  BANCONTACT <merchant> <city>`` with card number and payment time in the reference,
  booked the next Belgian business day; ``DOMICILIATION EUROPEENNE <creditor>``;
  ``VIREMENT EUROPEEN <name>`` and ``ORDRE PERMANENT <name>`` with structured
  communications ``+++123/4567/89012+++``; ``WORLDLINE SA/NV`` terminal settlements.

Families (share of documents) and truth
---------------------------------------
Truth is the transaction that pays the document, or None. Every family's documents
may become ``out_of_period`` when their payment falls outside 2025 (then None).

===========================  =====  ============================================================
family                       share  what / truth
===========================  =====  ============================================================
ads_threshold                0.140  Meta, Google, Pinterest, TikTok charge the card each time spend
                                    reaches the threshold (250/500, 350/500, 100, 50/100 EUR): several
                                    charges of the same amount per day in high season, plus the
                                    month-end remainder; one receipt per charge, dated the charge day,
                                    about 85 % uploaded -> the charge
ads_invoice                  0.010  accounts on monthly invoicing (Google Ads EU, Criteo, Awin...),
                                    paid 30 days later by transfer or direct debit -> the payment
shipping_label               0.130  per-label payments to La Poste, Mondial Relay, Chronopost at list
                                    prices (4.95, 7.20...), bursts of identical amounts, a receipt per
                                    label for about half of them -> the charge
shipping_weekly              0.015  DPD, DHL, GLS weekly invoices (La Poste monthly) for all labels,
                                    one direct debit each -> the debit
saas                         0.050  software in USD and EUR, usage-based or per seat, monthly, and
                                    auto-recharges of the same amount (Twilio, OpenAI API) -> the charge
supplier_invoice             0.070  raw-material invoices (FR, BE, DE, PT) paid by transfer at the
                                    due date, late, or early with a 2 % discount -> the transfer
supplier_deposit             0.020  deposit invoice (30-50 %) then final invoice with ``amount_due``,
                                    both or one uploaded -> each to its own transfer
supplier_proforma            0.012  prepayment on a pro-forma; only the pro-forma or only the final
                                    invoice uploaded -> the transfer
supplier_swift               0.020  Chinese suppliers in USD/CNY/EUR by SWIFT: SHA with separate bank
                                    commissions, or one debit including the fees; deposit + balance
                                    (pro-forma -> None, commercial invoice with ``amount_due`` -> balance)
supplier_grouped             0.020  2-4 invoices paid by one transfer -> None
supplier_credit_note         0.010  credit notes refunded by the supplier (-> the incoming transfer)
                                    or netted against the next invoice (credit note and that invoice
                                    -> None)
supplier_partial             0.005  equipment invoices paid in instalments or short-paid -> None
marketplace_fee_netted       0.010  Etsy, Amazon, Stripe, PayPal monthly fee invoices deducted from
                                    payouts -> None
marketplace_fee_charged      0.004  seller fees charged to the card or by direct debit -> the debit
customer_refund              0.025  our credit notes / invoices for refunded customers (refund by
                                    transfer or on the terminal: same amount as the debit) -> None,
                                    sales
sales_invoice                0.050  wholesale invoices to concept stores, paid in by transfer -> None,
                                    sales
boutique_recurring           0.013  rent, energy, insurance, phone, alarm of the boutiques and the
                                    workshop, monthly or quarterly, invoice days before the direct
                                    debit (Brussels rent by standing order) -> the debit
services_transfer            0.010  cleaning, accountant, web agency, IT, photographer, temp agency,
                                    invoices paid by transfer -> the transfer
trade_fair                   0.080  Maison&Objet Paris (Jan, Sep), HOMI Milano, Ambiente Frankfurt,
                                    Top Drawer London (GBP), Canton Fair (CNY): stands by transfer,
                                    hotels, trains, flights, taxis and meals on staff cards, tips
                                    added on the card, OCR'd receipts in local currency -> the charge
cash_personal                0.030  receipts paid in cash or with a personal card -> None
small_purchase               0.231  hardware, packaging, art supplies, office, cafés, bakeries in
                                    Lille and Brussels, Amazon orders (seller invoices), fuel,
                                    parking; some tips -> the charge (absorbs the other families'
                                    shortfall)
duplicate                    0.025  the same document uploaded again (same file, re-photographed, or
                                    a receipt after its invoice): the first upload keeps the payment,
                                    the copy -> None
out_of_period                0.020  receipts of December 2024, invoices due in 2026, December card
                                    payments booked in January 2026 -> None
===========================  =====  ============================================================

Sizes: each family gets its share of ``documents`` (at least 5 documents each from 100
documents up); families bounded by the calendar (monthly invoices of a fixed set of
contracts) pass their shortfall to ``small_purchase``. Payments whose document was not
uploaded stay on the statement as noise.

Duplicates: the engine attaches one document per debit (split parts aside), so a second
copy of a document that is already attached is not a match; the copy is None.

Documents are filled as an extractor reads them: receipts are photographed and OCR'd
(name as printed on the ticket, sometimes the legal name, all caps, the first word only,
a letter lost, doubled or swapped, accents lost, or missing; a misread total with the
right one among ``candidate_totals``; a missing or day/month-swapped date); invoices are
PDFs (legal name, VAT id, IBAN, invoice number, due date, customer name). Every document
has an ``issue_date`` (unless lost), most a ``received_at`` and a ``checksum``.

Noise transactions fill the statement: card payments at the same merchants without an
uploaded receipt, other card payments, shipping labels, Stripe, Etsy, Amazon and PayPal
payouts, boutique terminal settlements, wholesale customers' payments, refunds to
customers, supplier transfers without an uploaded invoice, salaries, URSSAF, DGFIP (VAT,
withholding tax, corporate tax, CFE), retirement, health insurance, ONSS, loan
repayments, inter-account transfers (both legs), expense reimbursements, bank fees;
3 % of the undocumented card payments carry ``has_attachment`` (a receipt attached by hand).
"""

from __future__ import annotations

import math
import random
import re
import unicodedata
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from itertools import accumulate
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from bench.matching import Dataset

PARIS = ZoneInfo("Europe/Paris")
PERIOD_START = date(2025, 1, 1)
PERIOD_END = date(2025, 12, 31)
YEAR_DAYS = tuple(PERIOD_START + timedelta(days=i) for i in range(365))

NOVA, CFA, BXL = "nova-main", "cfa-pro", "bs-bxl"
DEFERRED_CARD, IMMEDIATE_CARD, BXL_CARD = "4821", "7730", "1952"

FAMILY_SHARES: tuple[tuple[str, float], ...] = (
    ("ads_threshold", 0.140),
    ("ads_invoice", 0.010),
    ("shipping_label", 0.130),
    ("shipping_weekly", 0.015),
    ("saas", 0.050),
    ("supplier_invoice", 0.070),
    ("supplier_deposit", 0.020),
    ("supplier_proforma", 0.012),
    ("supplier_swift", 0.020),
    ("supplier_grouped", 0.020),
    ("supplier_credit_note", 0.010),
    ("supplier_partial", 0.005),
    ("marketplace_fee_netted", 0.010),
    ("marketplace_fee_charged", 0.004),
    ("customer_refund", 0.025),
    ("sales_invoice", 0.050),
    ("boutique_recurring", 0.013),
    ("services_transfer", 0.010),
    ("trade_fair", 0.080),
    ("cash_personal", 0.030),
    ("small_purchase", 0.231),
    ("duplicate", 0.025),
    ("out_of_period", 0.020),
)
FAMILIES = tuple(name for name, _ in FAMILY_SHARES)
MIN_FAMILY = 5  # documents per family when the dataset has room for it

HOLIDAYS_FR = frozenset(
    date.fromisoformat(d)
    for d in (
        "2024-12-25 2025-01-01 2025-04-21 2025-05-01 2025-05-08 2025-05-29 2025-06-09 "
        "2025-07-14 2025-08-15 2025-11-01 2025-11-11 2025-12-25 2026-01-01"
    ).split()
)
HOLIDAYS_BE = frozenset(
    date.fromisoformat(d)
    for d in (
        "2024-12-25 2025-01-01 2025-04-21 2025-05-01 2025-05-29 2025-06-09 2025-07-21 "
        "2025-08-15 2025-11-01 2025-11-11 2025-12-25 2026-01-01"
    ).split()
)

# Units of currency for one euro, mid-month 2025 (approximate market levels).
RATE_ANCHORS = {
    "USD": (1.035, 1.041, 1.081, 1.123, 1.128, 1.152, 1.168, 1.165, 1.173, 1.163, 1.156, 1.172),
    "GBP": (0.838, 0.830, 0.836, 0.857, 0.845, 0.853, 0.866, 0.864, 0.870, 0.872, 0.880, 0.876),
    "CNY": (7.55, 7.58, 7.83, 8.18, 8.14, 8.26, 8.38, 8.36, 8.36, 8.29, 8.22, 8.28),
}

# E-commerce seasonality: January sales, Mother's Day (May), Black Friday, Christmas.
MONTH_WEIGHT = (0.85, 0.7, 0.8, 0.85, 1.0, 0.8, 0.75, 0.6, 0.9, 1.05, 1.6, 1.8)


# --------------------------------------------------------------------------- money, ids


def money(cents: int) -> str:
    """Cents -> a decimal string ("-42.50")."""
    sign = "-" if cents < 0 else ""
    cents = abs(cents)
    return f"{sign}{cents // 100}.{cents % 100:02d}"


def fr_money(cents: int) -> str:
    """Cents -> French bank text ("1234,56")."""
    return f"{cents // 100},{cents % 100:02d}"


def convert(local_cents: int, rate4: int) -> int:
    """Local currency cents -> euro cents at `rate4` (units per euro x 10^4), rounded."""
    return max(1, (local_cents * 10000 * 2 + rate4) // (2 * rate4))


def _iban(country: str, bban: str) -> str:
    moved = bban + country + "00"
    number = int("".join(str(int(c, 36)) for c in moved))
    return f"{country}{98 - number % 97:02d}{bban}"


def fr_iban(r: random.Random, bank: str | None = None) -> str:
    bank = (
        bank
        or f"{r.choice((10057, 10278, 11315, 13335, 14445, 16275, 18206, 30003, 30004, 30066)):05d}"
    )
    branch = f"{r.randrange(100000):05d}"
    account = f"{r.randrange(10**11):011d}"
    key = 97 - (89 * int(bank) + 15 * int(branch) + 3 * int(account)) % 97
    return _iban("FR", f"{bank}{branch}{account}{key:02d}")


def be_iban(r: random.Random) -> str:
    n = r.choice((68, 73, 363, 310, 1, 751, 96)) * 10**7 + r.randrange(10**7)
    return _iban("BE", f"{n:010d}{n % 97 or 97:02d}")


def de_iban(r: random.Random) -> str:
    blz = r.choice((10070000, 37040044, 50010517, 20050550, 60050101, 70020270))
    return _iban("DE", f"{blz:08d}{r.randrange(10**10):010d}")


def pt_iban(r: random.Random) -> str:
    body = f"{r.choice((35, 33, 10, 7, 36)):04d}{r.randrange(10**4):04d}{r.randrange(10**11):011d}"
    return _iban("PT", f"{body}{98 - int(body + '00') % 97:02d}")


def ie_iban(r: random.Random) -> str:
    return _iban("IE", f"CITI{990051:06d}{r.randrange(10**8):08d}")


def gb_iban(r: random.Random) -> str:
    return _iban(
        "GB",
        f"{r.choice(('BARC', 'LOYD', 'NWBK', 'HBUK'))}{r.randrange(10**6):06d}{r.randrange(10**8):08d}",
    )


def it_iban(r: random.Random) -> str:
    bban = f"{r.choice('ABCDEFGHIJKLMNOPRSTUVWXYZ')}{r.choice((3069, 2008, 5034)):05d}{r.randrange(10**5):05d}{r.randrange(10**12):012d}"
    return _iban("IT", bban)


def _luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch) * (2 if i % 2 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


def siren(r: random.Random) -> str:
    base = f"{r.randrange(3 * 10**7, 10**8):08d}"
    return next(base + str(d) for d in range(10) if _luhn_ok(base + str(d)))


def fr_vat(siren_number: str) -> str:
    return f"FR{(12 + 3 * (int(siren_number) % 97)) % 97:02d}{siren_number}"


def be_vat(r: random.Random) -> str:
    first8 = f"0{r.randrange(2 * 10**6, 10**7):07d}"
    return f"BE{first8}{97 - int(first8) % 97:02d}"


def vat_for(name: str, country: str) -> str:
    """A stable invented VAT id for a company name."""
    r = random.Random(zlib.crc32(f"vat:{name}".encode()))
    if country == "FR":
        return fr_vat(siren(r))
    if country == "BE":
        return be_vat(r)
    if country in ("IE",):
        return f"IE{r.randrange(10**7):07d}{r.choice('ABCDEFHKLMNPTW')}"
    if country == "LU":
        return f"LU{r.randrange(10**7, 10**8)}"
    if country == "EU":  # non-EU seller registered for the VAT one-stop shop
        return f"EU372{r.randrange(10**6):06d}"
    if country == "IT":
        return f"IT{r.randrange(10**10, 10**11)}"
    if country == "NL":
        return f"NL{r.randrange(10**8, 10**9)}B01"
    if country == "MT":
        return f"MT{r.randrange(10**7, 10**8)}"
    return f"{country}{r.randrange(10**8, 10**9)}"


def iban_for(name: str, country: str) -> str:
    r = random.Random(zlib.crc32(f"iban:{name}".encode()))
    return {
        "FR": fr_iban,
        "BE": be_iban,
        "DE": de_iban,
        "PT": pt_iban,
        "IE": ie_iban,
        "GB": gb_iban,
        "IT": it_iban,
    }.get(country, fr_iban)(r)


def structured_communication(number: int) -> str:
    """Belgian OGM/VCS: 10 digits and their mod-97 check."""
    n = number % 10**10
    digits = f"{n:010d}{n % 97 or 97:02d}"
    return f"+++{digits[:3]}/{digits[3:7]}/{digits[7:]}+++"


def spaced(code: str) -> str:
    return " ".join(code[i : i + 4] for i in range(0, len(code), 4))


ORG_SIREN = siren(random.Random(20250101))
ORG_VAT = fr_vat(ORG_SIREN)
ORG_NAME = "Atelier Lunelle SAS"
ORG_IBANS = {
    NOVA: fr_iban(random.Random(1), "16598"),
    CFA: fr_iban(random.Random(2), "13825"),
    BXL: be_iban(random.Random(3)),
}
ORG_NAMES_ON_DOCS = ("Atelier Lunelle SAS", "ATELIER LUNELLE", "Atelier Lunelle", "Lunelle")

# --------------------------------------------------------------------------- OCR and names


def strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def slip(r: random.Random, name: str) -> str:
    """One OCR slip: a letter lost, doubled or swapped, or a look-alike."""
    positions = [i for i, c in enumerate(name) if c.isalpha()]
    if len(positions) < 3:
        return name
    i = r.choice(positions[1:])
    kind = r.random()
    if kind < 0.35:
        return name[:i] + name[i + 1 :]
    if kind < 0.55:
        return name[:i] + name[i] + name[i:]
    if kind < 0.8 and i + 1 < len(name) and name[i + 1].isalpha():
        return name[:i] + name[i + 1] + name[i] + name[i + 2 :]
    look = {"l": "1", "O": "0", "o": "0", "m": "rn", "e": "c", "I": "l", "S": "5", "B": "8"}
    return name[:i] + look.get(name[i], name[i]) + name[i + 1 :]


def photo_name(r: random.Random, sign: str, legal: str) -> str | None:
    """The supplier name an extractor reads on a photographed ticket."""
    x = r.random()
    if x < 0.05:
        return None
    base = legal if x < 0.14 else sign
    y = r.random()
    if y < 0.10:
        base = base.upper()
    elif y < 0.15:
        base = base.split()[0]
    elif y < 0.19:
        base = strip_accents(base)
    if r.random() < 0.10:
        base = slip(r, base)
    return base


def pdf_name(r: random.Random, sign: str, legal: str) -> str | None:
    """The supplier name an extractor reads on a PDF invoice."""
    x = r.random()
    if x < 0.01:
        return None
    if x < 0.66:
        name = legal
    elif x < 0.92:
        name = sign
    else:
        name = legal.upper()
    return slip(r, name) if r.random() < 0.02 else name


# --------------------------------------------------------------------------- catalogues


def _rows(text: str) -> list[list[str]]:
    """The cells of a `|`-separated table, one list per non-empty line."""
    return [[c.strip() for c in line.split("|")] for line in text.strip().splitlines()]


@dataclass(frozen=True, slots=True)
class Shop:
    sign: str  # the name on the shop front and the ticket
    legal: str  # the company
    desc: str  # the card network's merchant field
    profile: str  # price profile
    city: str
    weight: float = 1.0
    country: str = "FR"


def _shops(text: str, country: str) -> tuple[Shop, ...]:
    return tuple(
        Shop(sign, legal, desc, profile, city, float(weight or 1), country)
        for sign, legal, desc, profile, city, weight in _rows(text)
    )


PROFILES: dict[str, tuple[float, float, str]] = {
    # median (EUR), log-sigma, how totals look
    "hardware": (38.0, 0.85, "retail"),
    "hardware_small": (14.0, 0.7, "retail"),
    "packaging": (85.0, 0.7, "cents"),
    "packaging_big": (420.0, 0.5, "cents"),
    "discount": (16.0, 0.6, "retail"),
    "art": (34.0, 0.7, "retail"),
    "office": (26.0, 0.6, "retail"),
    "furniture": (110.0, 0.7, "retail"),
    "grocery": (21.0, 0.7, "cents"),
    "cafe": (6.4, 0.45, "tenth"),
    "bakery": (8.9, 0.5, "tenth"),
    "restaurant": (46.0, 0.5, "tenth"),
    "fuel": (62.0, 0.35, "cents"),
    "parking": (7.5, 0.6, "tenth"),
    "online": (34.0, 0.8, "cents"),
    "hotel": (205.0, 0.25, "cents"),
    "taxi": (26.0, 0.45, "tenth"),
    "train": (58.0, 0.45, "cents"),
    "flight": (240.0, 0.45, "cents"),
    "transit": (7.0, 0.5, "tenth"),
    "food_delivery": (32.0, 0.4, "cents"),
    "app": (9.99, 0.6, "retail"),
}

# sign | legal name | card network merchant field | profile | city | weight
LILLE_SHOPS = _shops(
    """
    Leroy Merlin | Leroy Merlin France SAS | LEROY MERLIN LOMME | hardware | Lomme | 3
    Castorama | Castorama France SAS | CASTORAMA ENGLOS | hardware | Englos | 2
    Brico Dépôt | Brico Dépôt SASU | BRICO DEPOT VILLENEUVE | hardware | Villeneuve | 1.2
    Mr.Bricolage Roubaix | Roubaix Bricolage SAS | MR BRICOLAGE ROUBAIX | hardware | Roubaix | 1.5
    Würth | Würth France SA | WURTH FRANCE | hardware | Erstein | 0.6
    Quincaillerie Moderne | Éts Vandamme & Fils SARL | QUINCAILLERIE MODERNE | hardware_small | Roubaix | 1.2
    RAJA | RAJA SAS | RAJA | packaging | Roissy | 2
    Emballages du Nord | Emballages du Nord SAS | EMBALLAGES DU NORD | packaging | Tourcoing | 0.8
    Packhelp | Packhelp S.A. | PACKHELP.COM | packaging_big | Warszawa | 0.6
    Action | Action France SAS | ACTION 3245 LILLE | discount | Lille | 1.5
    HEMA | HEMA France SAS | HEMA LILLE | discount | Lille | 0.5
    Le Géant des Beaux-Arts | Le Géant des Beaux-Arts SAS | GEANT DES BEAUX ARTS | art | Lille | 1.5
    Rougier & Plé | Rougier et Plé SAS | ROUGIER ET PLE LILLE | art | Lille | 1
    Boesner | Boesner France SARL | BOESNER LILLE | art | Lille | 0.8
    Cultura | Socultur SAS | CULTURA WASQUEHAL | art | Wasquehal | 0.6
    Bureau Vallée | BV Lille Flandres SARL | BUREAU VALLEE LILLE | office | Lille | 1
    IKEA | IKEA SAS | IKEA LILLE | furniture | Lomme | 0.7
    Metro | Metro France SAS | METRO LILLE | grocery | Lomme | 0.8
    Carrefour City | SDC Lille Gambetta SAS | CARREFOUR CITY LILLE | grocery | Lille | 1.2
    Monoprix | Monoprix Exploitation SAS | MONOPRIX LILLE | grocery | Lille | 1
    Le Petit Torréfacteur | Torréfaction Dumont SARL | SUMUP  *LE PETIT TORRE | cafe | Lille | 3
    Café Coton | Coton & Co SARL | SUMUP  *CAFE COTON | cafe | Roubaix | 2
    Starbucks | Starbucks Coffee France SAS | STARBUCKS LILLE | cafe | Lille | 0.8
    Boulangerie Lemaire | Lemaire Pain SARL | BOULANGERIE LEMAIRE | bakery | Roubaix | 2
    PAUL | SAS Paul Flandres | PAUL LILLE FLANDRES | bakery | Lille | 1
    La Cantine du Vieux-Lille | VL Restauration SAS | ZTL*CANTINE VIEUX LIL | restaurant | Lille | 1.5
    Brasserie des Arts | Brasserie des Arts SARL | SQ *BRASSERIE DES ARTS | restaurant | Lille | 1
    Le Bistrot d'Alfred | Alfred & Co SAS | BISTROT D ALFRED | restaurant | Lille | 0.8
    TotalEnergies | TotalEnergies Marketing France SAS | TOTALENERGIES ROUBAIX | fuel | Roubaix | 1.5
    Indigo | Indigo Infra France SAS | INDIGO LILLE EUROPE | parking | Lille | 0.8
    Amazon | Amazon EU S.à r.l. | AMZN Mktp FR | online | Luxembourg | 2
    """,
    "FR",
)

BXL_SHOPS = _shops(
    """
    Brico | Brico Belgium SA | BRICO IXELLES | hardware | Ixelles | 1.5
    Hubo | Hubo Belgie NV | HUBO ANDERLECHT | hardware | Anderlecht | 1
    AD Delhaize Sablon | Delsablon SA | AD DELHAIZE SABLON | grocery | Bruxelles | 1.5
    Le Pain Quotidien | PQ Sablon SRL | LE PAIN QUOTIDIEN | cafe | Bruxelles | 1
    Schleiper | Schleiper SA | SCHLEIPER | art | Saint-Gilles | 0.8
    Café Flamingo | Flamingo Coffee SRL | CAFE FLAMINGO | cafe | Bruxelles | 1.2
    Emballages Sablon | Verpakking Brussel BV | EMBALLAGES SABLON | packaging | Bruxelles | 0.6
    """,
    "BE",
)

CAFE = next(s for s in LILLE_SHOPS if s.profile == "cafe")

AMAZON_SELLERS = (  # who issues the invoice of an Amazon order: name, country, share
    ("Amazon EU S.à r.l.", "LU", 0.5),
    ("Shenzhen Yuntu Trading Co., Ltd.", "CN", 0.15),
    ("Bricoshop Direct SARL", "FR", 0.1),
    ("Verpackungsprofi GmbH", "DE", 0.1),
    ("Atelier Fournitures Pro SAS", "FR", 0.15),
)

OTHER_CARD = tuple(  # merchants never documented: apps, food delivery, transport...
    (desc, profile, float(weight))
    for desc, profile, weight in _rows(
        """
        UBER EATS | food_delivery | 2
        DELIVEROO | food_delivery | 1
        SNCF CONNECT | train | 1.5
        SANEF | parking | 1
        INDIGO LILLE FLANDRES | parking | 0.8
        APPLE.COM/BILL | app | 1
        LINKEDIN P1839542 | app | 0.4
        DECATHLON LILLE | discount | 0.5
        FNAC LILLE | office | 0.5
        ILEVIA | transit | 1
        CITIZ LILLE ARRAS | transit | 0.5
        LA POSTE LILLE BETHUNE | transit | 1.2
        SUMUP  *MARCHE WAZEMME | grocery | 0.6
        VINTED | online | 0.3
        TOTALENERGIES LILLE | fuel | 0.8
        """
    )
)


@dataclass(frozen=True, slots=True)
class AdPlatform:
    key: str
    legal: str
    names: tuple[str, ...]  # other names on its receipts
    weight: float  # share of the threshold charges
    thresholds: tuple[int, ...]  # cents, by month
    country: str = "IE"


AD_PLATFORMS = (
    AdPlatform(
        "meta",
        "Meta Platforms Ireland Limited",
        ("Meta Platforms Ireland Ltd", "Facebook", "Meta", "Facebook Ads"),
        0.55,
        (25000,) * 3 + (50000,) * 9,
    ),
    AdPlatform(
        "google",
        "Google Ireland Limited",
        ("Google Ireland Ltd", "Google Ads", "Google"),
        0.30,
        (35000,) * 6 + (50000,) * 6,
    ),
    AdPlatform(
        "pinterest",
        "Pinterest Europe Limited",
        ("Pinterest", "Pinterest Europe Ltd"),
        0.08,
        (10000,) * 12,
    ),
    AdPlatform(
        "tiktok",
        "TikTok Technology Limited",
        ("TikTok for Business", "TikTok"),
        0.07,
        (5000,) * 4 + (10000,) * 8,
    ),
)


def _prices(text: str) -> tuple[tuple[int, int], ...]:
    return tuple((int(p), int(w)) for p, w in (pair.split(":") for pair in text.split()))


LABEL_CARRIERS = tuple(  # sign, legal, merchant field, prices (cents:weight), weight
    (sign, legal, desc, _prices(prices), float(weight))
    for sign, legal, desc, prices, weight in _rows(
        """
        La Poste - Colissimo | La Poste SA | WWW.LAPOSTE.FR | 720:30 895:25 1015:15 1295:10 1725:12 2480:8 | 0.5
        Mondial Relay | Mondial Relay SAS | MONDIAL RELAY | 495:40 590:25 790:15 990:12 1240:8 | 0.35
        Chronopost | Chronopost SAS | CHRONOPOST | 1290:60 1890:40 | 0.15
        """
    )
)

WEEKLY_CARRIERS = tuple(  # sign, legal, country, account, number format, days per invoice
    (sign, legal, country, account, fmt, int(days))
    for sign, legal, country, account, fmt, days in _rows(
        f"""
        DPD France | DPD France SAS | FR | {CFA} | F25{{n:07d}} | 7
        DHL Express | DHL Express (France) SAS | FR | {NOVA} | MRSR{{n:09d}} | 7
        GLS | GLS France SAS | FR | {CFA} | {{n:010d}} | 7
        Colissimo Entreprise | La Poste SA | FR | {CFA} | FAC{{n:08d}} | 30
        UPS | United Parcel Service France SAS | FR | {NOVA} | 0000A1B2C3{{n:05d}} | 7
        """
    )
)


@dataclass(frozen=True, slots=True)
class Tool:
    sign: str
    legal: str
    desc: str
    currency: str
    base: int  # cents per month (or per recharge)
    sigma: float  # month-to-month variation (usage, seats)
    country: str  # EU: a non-EU vendor registered for the VAT one-stop shop
    pay: str = "card"  # card (Nova virtual card), cfa (traditional bank card), dd (direct debit)
    recharge: bool = False  # auto-recharge of prepaid credit, always the same amount


TOOLS = tuple(
    Tool(sign, legal, desc, currency, int(base), float(sigma), country, pay, recharge == "yes")
    for sign, legal, desc, currency, base, sigma, country, pay, recharge in _rows(
        """
        Shopify | Shopify International Limited | SHOPIFY* {bill} | USD | 16500 | 0.3 | IE | card | no
        Klaviyo | Klaviyo, Inc. | KLAVIYO INC. | USD | 34000 | 0.2 | EU | card | no
        Google Workspace | Google Cloud France SARL | GOOGLE *GSUITE_lunelle | EUR | 26880 | 0.06 | FR | card | no
        AWS | Amazon Web Services EMEA SARL | AWS EMEA | USD | 9000 | 0.45 | LU | card | no
        Figma | Figma, Inc. | FIGMA | USD | 4800 | 0.15 | EU | card | no
        Notion | Notion Labs, Inc. | NOTION LABS, INC. | USD | 12000 | 0.12 | EU | card | no
        Slack | Slack Technologies Limited | SLACK T02LUNEL8 | EUR | 15750 | 0.08 | IE | card | no
        Adobe | Adobe Systems Software Ireland Ltd | ADOBE *ADOBE | EUR | 14278 | 0 | IE | cfa | no
        Canva | Canva Pty Ltd | CANVA* I04382-127790 | EUR | 1199 | 0 | EU | card | no
        ChatGPT | OpenAI, L.L.C. | OPENAI *CHATGPT SUBSCR | USD | 9000 | 0.15 | EU | card | no
        Gorgias | Gorgias Inc. | GORGIAS.COM | USD | 30000 | 0.3 | EU | card | no
        Zapier | Zapier Inc. | ZAPIER.COM/CHARGE | USD | 7350 | 0.05 | EU | card | no
        Hotjar | Hotjar Ltd | HOTJAR LTD | EUR | 3900 | 0 | MT | card | no
        Brevo | Sendinblue SAS | BREVO | EUR | 6500 | 0.4 | FR | card | no
        OVHcloud | OVH SAS | OVH SAS | EUR | 2399 | 0.2 | FR | cfa | no
        Pennylane | Pennylane SAS | PENNYLANE | EUR | 14280 | 0 | FR | dd | no
        PayFit | PayFit SAS | PAYFIT | EUR | 34200 | 0.05 | FR | dd | no
        Twilio | Twilio Ireland Limited | TWILIO SENDGRID | USD | 2000 | 0 | IE | card | yes
        OpenAI API | OpenAI Ireland Ltd | OPENAI | USD | 1000 | 0 | IE | card | yes
        Brevo SMS | Sendinblue SAS | BREVO | EUR | 3000 | 0 | FR | card | yes
        """
    )
)


@dataclass(frozen=True, slots=True)
class Supplier:
    sign: str  # how the payer saved it
    legal: str
    country: str
    median: int  # cents
    terms: str  # "30", "45eom", "60", "0"
    number: str  # invoice number format
    discount: float = 0.0  # early-payment discount offered
    currency: str = "EUR"
    weight: float = 1.0


def _suppliers(text: str) -> tuple[Supplier, ...]:
    return tuple(
        Supplier(sign, legal, country, int(median), terms, fmt, float(disc), cur, float(weight))
        for sign, legal, country, median, terms, fmt, disc, cur, weight in _rows(text)
    )


# sign | legal | country | median (cents) | terms | number format | discount | currency | weight
EU_SUPPLIERS = _suppliers(
    """
    Argiles du Beauvaisis | Argiles du Beauvaisis SARL | FR | 180000 | 30 | F{yy}-{n:05d} | 0.02 | EUR | 2
    Emaux Vernet | Émaux & Couleurs Vernet SAS | FR | 90000 | 45eom | FA{yy}{n:05d} | 0 | EUR | 1.5
    Cirerie Avesnois | Cirerie de l'Avesnois SAS | FR | 140000 | 30 | {yy}-{n:04d} | 0.02 | EUR | 1.5
    Cartonnages Delcroix | Cartonnages Delcroix SARL | FR | 220000 | 45eom | FC{n:06d} | 0 | EUR | 1.5
    Tissage Lemaire | Tissage Lemaire & Fils SAS | FR | 350000 | 60 | TL-{y}-{n:04d} | 0 | EUR | 1.2
    Nordgraphic | Nordgraphic SAS | FR | 65000 | 30 | NG{n:06d} | 0.015 | EUR | 1
    Verrerie de la Bresle | Verrerie Artisanale de la Bresle SAS | FR | 190000 | 30 | VB{yy}/{n:04d} | 0 | EUR | 1
    De Smet Linnen | Linnen De Smet NV | BE | 420000 | 30 | {y}/{n:05d} | 0 | EUR | 1.2
    Vandenberghe Kaarsen | Kaarsenfabriek Vandenberghe BV | BE | 150000 | 30 | VF{yy}{n:04d} | 0 | EUR | 1
    Keramikbedarf Köhler | Keramikbedarf Köhler GmbH | DE | 120000 | 30 | RE-{y}-{n:05d} | 0 | EUR | 1
    Wachswerk Hansen | Wachswerk Hansen GmbH & Co. KG | DE | 260000 | 30 | {n:08d} | 0 | EUR | 1
    Fiação do Minho | Fiação do Minho, Lda. | PT | 310000 | 60 | FT {y}/{n} | 0 | EUR | 1
    Cerâmica Vale do Lis | Cerâmica Vale do Lis, Lda. | PT | 520000 | 60 | FT A{yy}/{n:04d} | 0 | EUR | 1
    """
)

CN_SUPPLIERS = _suppliers(
    """
    JINGDEZHEN HUAYI | JINGDEZHEN HUAYI CERAMICS CO., LTD. | CN | 800000 | 0 | HY{y}{n:04d} | 0 | USD | 1.5
    NINGBO EVERBRIGHT | NINGBO EVERBRIGHT PACKAGING CO.,LTD | CN | 350000 | 0 | EB-{yy}{n:04d} | 0 | USD | 1
    SHAOXING LINYUAN | SHAOXING LINYUAN TEXTILE CO., LTD | CN | 6000000 | 0 | LY{y}-{n:03d} | 0 | CNY | 1
    YIWU STARLIGHT | YIWU STARLIGHT CANDLE ACCESSORIES CO.,LTD | CN | 180000 | 0 | SL{yy}{n:05d} | 0 | USD | 1
    XIAMEN ORIENTAL GLASS | XIAMEN ORIENTAL GLASSWARE CO., LTD. | CN | 400000 | 0 | XOG{yy}-{n:03d} | 0 | EUR | 1
    """
)

EQUIPMENT_SUPPLIERS = _suppliers(
    """
    Nabertherm | Nabertherm GmbH | DE | 1450000 | 30 | {n:09d} | 0 | EUR | 1
    Menuiserie Dufour | Menuiserie Dufour SARL | FR | 820000 | 30 | D{yy}-{n:03d} | 0 | EUR | 1
    Agencement Verhaeghe | Agencement Mobilier Verhaeghe SRL | BE | 1200000 | 30 | {y}-{n:04d} | 0 | EUR | 1
    Peltier Électricité | Peltier Électricité Générale SAS | FR | 640000 | 30 | PE{n:05d} | 0 | EUR | 1
    """
)

STOCKISTS = tuple(  # wholesale customers: sign, legal name, country
    tuple(row)
    for row in _rows(
        """
        Maison Pivoine | Maison Pivoine SARL | FR
        L'Atelier des Sœurs | Les Sœurs Création SAS | FR
        Comptoir Sainte-Catherine | Comptoir Sainte-Catherine SARL | FR
        La Fabrique à Rêves | Fabrique à Rêves SAS | FR
        Les Curieuses | Les Curieuses SARL | FR
        Nid Douillet | Nid Douillet EURL | FR
        Maison Garance | Garance Paris SAS | FR
        Arlequin Concept Store | Arlequin SAS | FR
        Le Grenier d'Alice | Grenier d'Alice SARL | FR
        Galerie Ocre | Galerie Ocre SAS | FR
        Boutique Marin | Marin & Filles SARL | FR
        Herbes & Lin | Herbes et Lin SAS | FR
        Le Comptoir d'Anvers | Le Comptoir d'Anvers BV | BE
        Maison Ixelles | Maison Ixelles SRL | BE
        Huis Lente | Huis Lente BV | BE
        Nordlicht Concept Store | Nordlicht Concept Store GmbH | DE
        Kleine Freude | Kleine Freude GmbH | DE
        Studio Linnen | Studio Linnen B.V. | NL
        Casa Alma | Casa Alma, Lda. | PT
        Bottega Lume | Bottega Lume S.r.l. | IT
        """
    )
)

FIRST_NAMES = (
    "Claire Julie Sophie Camille Emma Léa Chloé Manon Inès Sarah Laura Pauline Marie Anne "
    "Thomas Nicolas Julien Maxime Hugo Lucas Antoine Pierre Louis Mathieu Karim Elise Lotte "
    "Sven Jana Giulia Marta Lieve Bram Noor Hanna Yasmine Aurélie Céline Margaux"
).split()
LAST_NAMES = (
    "Dubois Martin Lefebvre Leroy Moreau Roussel Lambert Delattre Caron Wallet Benali "
    "Deschamps Vandenbussche Peeters Janssens Maes Dupont Fontaine Garnier Mercier Lemoine "
    "Vasseur Dufour Hennebert Carpentier Delcourt Müller Schmidt Rossi Ferreira Declercq"
).split()

STAFF = tuple(  # name, monthly net salary (cents), account paying it
    (name, int(net), account)
    for name, net, account in _rows(
        f"""
        Camille Lefebvre | 420000 | {CFA}
        Julien Roussel | 395000 | {CFA}
        Inès Moreau | 285000 | {CFA}
        Thomas Dubois | 262000 | {CFA}
        Léa Vandenbussche | 231000 | {CFA}
        Hugo Lambert | 224000 | {CFA}
        Manon Delattre | 218000 | {CFA}
        Lucas Caron | 205000 | {CFA}
        Chloé Martin | 198000 | {CFA}
        Nicolas Wallet | 196000 | {CFA}
        Sarah Benali | 189000 | {CFA}
        Pauline Deschamps | 182000 | {CFA}
        Maxime Leroy | 176000 | {CFA}
        Elise Van Damme | 231000 | {BXL}
        Noah Peeters | 214000 | {BXL}
        """
    )
)


@dataclass(frozen=True, slots=True)
class Fair:
    name: str
    tz: str
    currency: str
    start: date
    end: date
    staff: int
    factor: float  # local prices per euro of Paris prices
    tip: float  # share of meals and taxis with a tip added on the card
    organizer: tuple[str, str, str, int] | None  # sign, legal, country, stand (cents)
    shops: tuple[Shop, ...]


def _fair_shops(text: str, country: str) -> tuple[Shop, ...]:
    return tuple(
        Shop(sign, legal, desc, profile, "", 1.0, country)
        for sign, legal, desc, profile in _rows(text)
    )


PARIS_FAIR_SHOPS = _fair_shops(
    """
    Novotel Paris Nord Expo Aulnay | SNC Hôtel Aulnay Expo | NOVOTEL PARIS NORD EXP | hotel
    ibis Styles Paris Roissy Villepinte | Villepinte Hôtellerie SAS | IBIS STYLES VILLEPINTE | hotel
    Hôtel des Arts Montmartre | Hôtel des Arts SARL | HOTEL DES ARTS PARIS | hotel
    Brasserie Le Parc | Le Parc Villepinte SARL | SQ *BRASSERIE LE PARC | restaurant
    Exki Villepinte | Exki France SAS | EXKI VILLEPINTE | restaurant
    Bouillon République | SAS Bouillon République | BOUILLON REPUBLIQUE | restaurant
    Sodexo Parc des Expositions | Sodexo Sports et Loisirs SAS | SODEXO PNEV VILLEPINTE | cafe
    Columbus Café | Columbus Café Roissy SARL | COLUMBUS CAFE ROISSY | cafe
    G7 | G7 Taxi Services SAS | G7 TAXI | taxi
    Uber | Uber B.V. | UBER *TRIP | taxi
    Taxi 7412 | Karim Bensaïd EI | SUMUP  *TAXI 7412 | taxi
    SNCF Connect | SNCF Voyageurs SA | SNCF CONNECT | train
    """,
    "FR",
)

MILAN_FAIR_SHOPS = _fair_shops(
    """
    Hotel Fiera Rho | Rho Hospitality S.r.l. | HOTEL FIERA RHO | hotel
    Hotel Berna | Hotel Berna S.p.A. | HOTEL BERNA MILANO | hotel
    Trattoria Milanese | Trattoria Milanese S.r.l. | TRATTORIA MILANESE | restaurant
    Osteria dei Binari | Binari S.r.l. | OSTERIA DEI BINARI | restaurant
    Autogrill Fiera Milano | Autogrill Italia S.p.A. | AUTOGRILL FIERA MILANO | cafe
    Bar Cova Rho | Cova Rho S.r.l. | BAR COVA RHO | cafe
    Taxi Blu | Consorzio Taxi Blu | TAXIBLU 024040 | taxi
    Trenitalia | Trenitalia S.p.A. | TRENITALIA | train
    easyJet | easyJet Airline Company Ltd | EASYJET 000ESL4KP2 | flight
    """,
    "IT",
)

FRANKFURT_FAIR_SHOPS = _fair_shops(
    """
    Motel One Frankfurt-Messe | Motel One GmbH | MOTEL ONE FRANKFURT ME | hotel
    Hotel Maingold | Maingold Hotel GmbH | HOTEL MAINGOLD | hotel
    Zum Grauen Bock | Grauer Bock Gastro GmbH | ZUM GRAUEN BOCK | restaurant
    Accente Messe Frankfurt | Accente Gastronomie Service GmbH | ACCENTE MESSE FRANKFUR | restaurant
    Trattoria da Enzo | Enzo Gastro UG | SUMUP  *TRATTORIA DA E | restaurant
    Wacker's Kaffee | Wacker's Kaffee GmbH | WACKERS KAFFEE | cafe
    Coffee Fellows Messe | Coffee Fellows GmbH | COFFEE FELLOWS FFM | cafe
    Taxi Frankfurt | Taxi-Zentrale Frankfurt eG | SUMUP  *TAXI 4471 | taxi
    Deutsche Bahn | DB Fernverkehr AG | DB VERTRIEB GMBH | train
    Eurostar | Eurostar International Ltd | EUROSTAR INTERNATIONA | train
    """,
    "DE",
)

CANTON_FAIR_SHOPS = _fair_shops(
    """
    Pazhou Hotel | Guangzhou Pazhou Hotel Co., Ltd. | GZ PAZHOU HOTEL | hotel
    Langham Place Guangzhou | Guangzhou Langham Hotel Co., Ltd. | LANGHAM PLACE GUANGZHO | hotel
    Tao Tao Ju | Guangzhou Tao Tao Ju Restaurant Co. | TAOTAOJU RESTAURANT | restaurant
    Starbucks Pazhou | Starbucks Coffee Guangzhou Ltd | STARBUCKS PAZHOU | cafe
    Air France | Air France SA | AIR FRANCE 0572 | flight
    """,
    "CN",
)

LONDON_FAIR_SHOPS = _fair_shops(
    """
    Premier Inn London Kensington | Premier Inn Hotels Ltd | PREMIER INN 44015331 | hotel
    Pret A Manger | Pret A Manger (Europe) Ltd | PRET A MANGER OLYMPIA | cafe
    The Albion | Albion Inns Ltd | SQ *THE ALBION | restaurant
    Dishoom Kensington | Dishoom Ltd | DISHOOM KENSINGTON | restaurant
    Addison Lee | Addison Lee Ltd | ADDISON LEE | taxi
    Transport for London | Transport for London | TFL TRAVEL CH | transit
    Eurostar | Eurostar International Ltd | EUROSTAR INTERNATIONA | train
    """,
    "GB",
)

MO = ("Maison&Objet", "SAFI Organisation SAS", "FR")
FAIRS = (
    Fair(
        "M&O janvier",
        "Europe/Paris",
        "EUR",
        date(2025, 1, 16),
        date(2025, 1, 20),
        4,
        1.0,
        0.08,
        (*MO, 980000),
        PARIS_FAIR_SHOPS,
    ),
    Fair(
        "HOMI Milano",
        "Europe/Rome",
        "EUR",
        date(2025, 1, 26),
        date(2025, 1, 29),
        2,
        1.0,
        0.15,
        ("HOMI Fiera Milano", "Fiera Milano S.p.A.", "IT", 540000),
        MILAN_FAIR_SHOPS,
    ),
    Fair(
        "Ambiente",
        "Europe/Berlin",
        "EUR",
        date(2025, 2, 7),
        date(2025, 2, 11),
        3,
        1.05,
        0.4,
        ("Ambiente", "Messe Frankfurt Exhibition GmbH", "DE", 760000),
        FRANKFURT_FAIR_SHOPS,
    ),
    Fair(
        "Canton Fair",
        "Asia/Shanghai",
        "CNY",
        date(2025, 4, 23),
        date(2025, 4, 27),
        2,
        7.4,
        0.0,
        None,
        CANTON_FAIR_SHOPS,
    ),
    Fair(
        "M&O septembre",
        "Europe/Paris",
        "EUR",
        date(2025, 9, 4),
        date(2025, 9, 8),
        4,
        1.0,
        0.08,
        (*MO, 1020000),
        PARIS_FAIR_SHOPS,
    ),
    Fair(
        "Top Drawer",
        "Europe/London",
        "GBP",
        date(2025, 9, 9),
        date(2025, 9, 11),
        2,
        0.86,
        0.25,
        ("Top Drawer", "Clarion Events Ltd", "GB", 420000),
        LONDON_FAIR_SHOPS,
    ),
)

# sign | legal | country | account | creditor label | months per invoice | amount (cents) |
# variation | debit day | days from invoice to debit | number format
RECURRING = tuple(
    (
        sign,
        legal,
        country,
        account,
        creditor,
        int(months),
        int(amount),
        float(var),
        int(day),
        int(lead),
        fmt,
    )
    for sign, legal, country, account, creditor, months, amount, var, day, lead, fmt in _rows(
        f"""
        Deleplanque Immobilier | Deleplanque Gestion SAS | FR | {CFA} | DELEPLANQUE GESTION | 1 | 288000 | 0 | 5 | 15 | AE{{y}}{{m:02d}}-0412
        SCI de l'Épeule | SCI de l'Epeule | FR | {CFA} | SCI DE L EPEULE | 1 | 174000 | 0 | 1 | 10 | Q{{y}}-{{m:02d}}
        Immo Sablon | Immo Sablon SRL | BE | {BXL} | IMMO SABLON SRL | 1 | 215000 | 0 | 1 | 12 | DP {{y}}/{{m:02d}}
        EDF Entreprises | Électricité de France SA | FR | {CFA} | EDF ENTREPRISES | 1 | 29000 | 0.3 | 12 | 10 | 10{{n:09d}}
        TotalEnergies Électricité et Gaz | TotalEnergies Électricité et Gaz France SA | FR | {NOVA} | TOTALENERGIES ELEC GAZ | 1 | 128000 | 0.3 | 18 | 12 | {{n:010d}}
        ENGIE | ENGIE Electrabel SA | BE | {BXL} | ENGIE ELECTRABEL | 1 | 16500 | 0.05 | 22 | 14 | 00{{n:010d}}
        Orange Pro | Orange SA | FR | {CFA} | ORANGE SA | 1 | 6239 | 0.04 | 8 | 9 | F{{n:011d}}
        Bouygues Telecom Entreprises | Bouygues Telecom SA | FR | {NOVA} | BOUYGUES TELECOM | 1 | 24500 | 0.12 | 10 | 8 | {{n:012d}}
        Proximus | Proximus SA de droit public | BE | {BXL} | PROXIMUS | 1 | 7145 | 0.06 | 15 | 12 | {{n:011d}}
        MMA | MMA IARD SA | FR | {CFA} | MMA IARD | 3 | 61240 | 0 | 5 | 20 | AE-{{n:08d}}
        Hiscox | Hiscox SA | FR | {NOVA} | HISCOX SA | 3 | 38900 | 0 | 10 | 15 | HX{{n:08d}}
        AG Insurance | AG Insurance SA | BE | {BXL} | AG INSURANCE | 3 | 28470 | 0 | 1 | 20 | {{n:010d}}
        Verisure | Verisure France SAS | FR | {CFA} | VERISURE FRANCE | 1 | 5490 | 0 | 6 | 8 | VF{{n:09d}}
        """
    )
)

# sign | legal | country | account | amount (cents) | variation | number format | months apart
SERVICES = tuple(
    (sign, legal, country, account, int(amount), float(var), fmt, int(months))
    for sign, legal, country, account, amount, var, fmt, months in _rows(
        f"""
        Net'Flandres Propreté | Net'Flandres Propreté SARL | FR | {CFA} | 57600 | 0.08 | NF-{{y}}-{{n:04d}} | 1
        Propreté Sablon | Propreté Sablon SRL | BE | {BXL} | 38720 | 0.05 | {{y}}/{{n:04d}} | 1
        Cabinet Vasseur & Associés | Cabinet Vasseur & Associés SAS | FR | {CFA} | 100800 | 0 | H{{yy}}{{n:05d}} | 1
        Studio Brume | Studio Brume SAS | FR | {NOVA} | 240000 | 0.3 | SB-{{n:04d}} | 1
        Nordinfo Services | Nordinfo Services SARL | FR | {NOVA} | 32400 | 0.25 | NIS{{y}}{{n:04d}} | 1
        Julie Marchand Photographie | Julie Marchand EI | FR | {NOVA} | 85000 | 0.45 | 2025-{{n:03d}} | 2
        Adecco | Adecco France SASU | FR | {CFA} | 310000 | 0.3 | {{n:010d}} | 1
        Avocats Delcourt | Delcourt Avocats SELARL | FR | {CFA} | 144000 | 0.5 | HD{{yy}}-{{n:03d}} | 3
        """
    )
)

MARKETPLACES = tuple(  # sign, legal, country, median monthly commission (cents)
    (sign, legal, country, int(median))
    for sign, legal, country, median in _rows(
        """
        Etsy | Etsy Ireland UC | IE | 180000
        Amazon.fr | Amazon Services Europe S.à r.l. | LU | 260000
        Stripe | Stripe Payments Europe, Limited | IE | 120000
        Amazon.de | Amazon Services Europe S.à r.l. | LU | 90000
        PayPal | PayPal (Europe) S.à r.l. et Cie, S.C.A. | LU | 35000
        Amazon.it | Amazon Services Europe S.à r.l. | LU | 40000
        Amazon.es | Amazon Services Europe S.à r.l. | LU | 30000
        Amazon.nl | Amazon Services Europe S.à r.l. | LU | 25000
        Amazon.com.be | Amazon Services Europe S.à r.l. | LU | 20000
        """
    )
)

# sign | legal | country | paid from (account, or dd) | number format | median (cents) | VAT added
AD_INVOICE_ACCOUNTS = tuple(
    (sign, legal, country, pay, fmt, int(median), vat == "yes")
    for sign, legal, country, pay, fmt, median, vat in _rows(
        f"""
        Google Ads | Google Ireland Limited | IE | {CFA} | {{n:010d}} | 320000 | no
        Criteo | Criteo France SAS | FR | {NOVA} | CRT-FR-{{n:07d}} | 180000 | yes
        Awin | AWIN AG | DE | dd | AWN{{n:08d}} | 90000 | no
        Microsoft Advertising | Microsoft Ireland Operations Limited | IE | {CFA} | G{{n:09d}} | 60000 | no
        Google Ads | Google Ireland Limited | IE | {CFA} | {{n:010d}} | 150000 | no
        Pinterest | Pinterest Europe Limited | IE | {NOVA} | PINV-{{n:07d}} | 80000 | no
        Google Ads | Google Ireland Limited | IE | {CFA} | {{n:010d}} | 110000 | no
        Criteo | Criteo France SAS | FR | {NOVA} | CRT-FR-{{n:07d}} | 70000 | yes
        """
    )
)


# --------------------------------------------------------------------------- calendar


def is_business(day: date, holidays: frozenset[date] = HOLIDAYS_FR) -> bool:
    return day.weekday() < 5 and day not in holidays


def next_business(day: date, holidays: frozenset[date] = HOLIDAYS_FR) -> date:
    while not is_business(day, holidays):
        day += timedelta(days=1)
    return day


def add_business(day: date, n: int, holidays: frozenset[date] = HOLIDAYS_FR) -> date:
    while n > 0:
        day += timedelta(days=1)
        if is_business(day, holidays):
            n -= 1
    return day


def last_business_of_month(day: date) -> date:
    nxt = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    d = nxt - timedelta(days=1)
    while not is_business(d):
        d -= timedelta(days=1)
    return d


def in_period(day: date) -> bool:
    return PERIOD_START <= day <= PERIOD_END


def add_months(day: date, months: int) -> date:
    m = day.month - 1 + months
    y = day.year + m // 12
    m = m % 12 + 1
    last = (date(y + (m == 12), m % 12 + 1, 1) - timedelta(days=1)).day
    return date(y, m, min(day.day, last))


def due_from_terms(issue: date, terms: str) -> date:
    if terms == "45eom":  # 45 days, end of month
        later = issue + timedelta(days=45)
        return add_months(date(later.year, later.month, 1), 1) - timedelta(days=1)
    return issue + timedelta(days=int(terms))


# --------------------------------------------------------------------------- the bank


class Books:
    """The three accounts' statements: each method books one line (a dict) and returns it,
    or None when the line falls outside the statement period."""

    def __init__(self, rng: random.Random, rates: dict[str, dict[date, int]]):
        self.rng = rng
        self.rates = rates
        self.rows: list[tuple[datetime, float, dict]] = []
        self._midnights: dict[date, tuple[datetime, str]] = {}

    def rate(self, currency: str, day: date) -> int:
        table = self.rates[currency]
        return table.get(day) or table[min(max(day, PERIOD_START), PERIOD_END)]

    def _midnight(self, day: date) -> tuple[datetime, str]:
        known = self._midnights.get(day)
        if known is None:
            moment = datetime(day.year, day.month, day.day, tzinfo=PARIS)
            known = self._midnights[day] = (moment, moment.isoformat())
        return known

    def _add(self, key: datetime, row: dict) -> dict:
        self.rows.append((key, self.rng.random(), row))
        return row

    def _booked(
        self, account: str, day: date, counterparty: str, cents: int, op: str, **extra
    ) -> dict | None:
        if not in_period(day):
            return None
        key, text = self._midnight(day)
        row = {
            "account_id": account,
            "amount": money(cents),
            "currency": "EUR",
            "counterparty": counterparty,
            "operation_type": op,
            "emitted_at": text,
        }
        row.update({k: v for k, v in extra.items() if v is not None})
        return self._add(key, row)

    def _nova(
        self, moment: datetime, counterparty: str, cents: int, op: str, settle_days: int, **extra
    ) -> dict | None:
        if not in_period(moment.astimezone(PARIS).date()):
            return None
        utc = moment.astimezone(UTC)
        settled = utc + timedelta(days=settle_days, minutes=self.rng.randrange(30, 600))
        row = {
            "account_id": NOVA,
            "amount": money(cents),
            "currency": "EUR",
            "counterparty": counterparty,
            "operation_type": op,
            "emitted_at": utc.isoformat(),
            "settled_at": settled.isoformat(),
        }
        row.update({k: v for k, v in extra.items() if v is not None})
        return self._add(utc, row)

    def _office_time(self, day: date, start: int = 8, end: int = 19) -> datetime:
        r = self.rng
        return datetime(
            day.year,
            day.month,
            day.day,
            r.randrange(start, end),
            r.randrange(60),
            r.randrange(60),
            tzinfo=PARIS,
        )

    # ---- cards

    def card(
        self,
        account: str,
        desc: str,
        cents: int,
        currency: str,
        moment: datetime,
        *,
        card: str = IMMEDIATE_CARD,
        city: str = "",
        refund: bool = False,
    ) -> dict | None:
        """A card payment of `cents` in `currency` at `moment` (aware, merchant's time)."""
        if account == NOVA:
            return self._nova_card(desc, cents, currency, moment, refund)
        if account == BXL:
            return self._bxl_card(desc, city, cents, moment, refund)
        return self._cfa_card(desc, cents, currency, moment, card, refund)

    def _nova_card(
        self, desc: str, cents: int, currency: str, moment: datetime, refund: bool
    ) -> dict | None:
        sign = 1 if refund else -1
        settle = self.rng.choice((0, 1, 1, 1, 2, 2, 3))
        if currency == "EUR":
            return self._nova(moment, desc[:22], sign * cents, "card", settle)
        rate = self.rate(currency, moment.date()) * 998 // 1000  # the network's rate
        eur = convert(cents, rate)
        row = self._nova(
            moment,
            desc[:22],
            sign * eur,
            "card",
            settle,
            local_amount=money(sign * cents),
            local_currency=currency,
        )
        if row is not None and not refund:
            fee = max(1, (eur * 2 + 50) // 100)
            self._nova(
                moment + timedelta(days=settle, hours=2),
                "NOVA",
                -fee,
                "transfer",
                0,
                reference=f"Frais paiement devise 2 % - {desc[:22].strip()}",
            )
        return row

    def _cfa_card(
        self, desc: str, cents: int, currency: str, moment: datetime, card: str, refund: bool
    ) -> dict | None:
        pay_day = moment.date()
        if card == DEFERRED_CARD:
            booking = last_business_of_month(pay_day)
        else:
            booking = add_business(pay_day, self.rng.choice((1, 1, 2, 2, 3)))
        label = f"{'AVOIR ' if refund else ''}CARTE X{card} {pay_day:%d/%m} {desc[:22]}"
        sign = 1 if refund else -1
        if currency == "EUR":
            return self._booked(CFA, booking, label, sign * cents, "card")
        rate = self.rate(currency, pay_day) * 995 // 1000
        eur = convert(cents, rate)
        commission = (eur * 27 + 500) // 1000 + 20
        reference = f"{fr_money(cents)} {currency} 1 EURO = {rate / 10000:.4f} {currency} COMMISSION {fr_money(commission)}".replace(
            ".", ","
        )
        return self._booked(
            CFA, booking, label, sign * (eur + commission), "card", reference=reference
        )

    def _bxl_card(
        self, desc: str, city: str, cents: int, moment: datetime, refund: bool
    ) -> dict | None:
        booking = add_business(moment.date(), 1, HOLIDAYS_BE)
        verb = "REMBOURSEMENT" if refund else "PAIEMENT"
        label = f"{verb} BANCONTACT {desc[:22]} {city.upper()}".strip()
        reference = f"CARTE 6703 XXXX XXXX {BXL_CARD} {moment:%d-%m-%Y %H:%M}"
        return self._booked(
            BXL, booking, label, cents if refund else -cents, "card", reference=reference
        )

    # ---- transfers, direct debits, income

    def transfer_out(
        self,
        account: str,
        name: str,
        cents: int,
        day: date,
        reference: str | None = None,
        iban: str | None = None,
    ) -> dict | None:
        if account == NOVA:
            day = next_business(day)
            return self._nova(
                self._office_time(day),
                name,
                -cents,
                "transfer",
                0,
                reference=reference,
                counterparty_iban=iban,
            )
        if account == BXL:
            day = next_business(day, HOLIDAYS_BE)
            return self._booked(
                BXL,
                day,
                f"VIREMENT EUROPEEN {strip_accents(name).upper()}"[:60],
                -cents,
                "transfer",
                reference=reference,
                counterparty_iban=iban,
            )
        day = next_business(day)
        shown_iban = iban if self.rng.random() < 0.45 else None
        return self._booked(
            CFA,
            day,
            f"VIR SEPA EMIS {strip_accents(name).upper()}"[:60],
            -cents,
            "transfer",
            reference=reference,
            counterparty_iban=shown_iban,
        )

    def standing_order(
        self, name: str, cents: int, day: date, reference: str | None, iban: str | None
    ) -> dict | None:
        day = next_business(day, HOLIDAYS_BE)
        return self._booked(
            BXL,
            day,
            f"ORDRE PERMANENT {strip_accents(name).upper()}",
            -cents,
            "transfer",
            reference=reference,
            counterparty_iban=iban,
        )

    def direct_debit(
        self, account: str, creditor: str, cents: int, day: date, reference: str | None = None
    ) -> dict | None:
        if account == NOVA:
            day = next_business(day)
            moment = self._office_time(day, 3, 8)
            return self._nova(moment, creditor, -cents, "direct_debit", 0, reference=reference)
        if account == BXL:
            day = next_business(day, HOLIDAYS_BE)
            return self._booked(
                BXL,
                day,
                f"DOMICILIATION EUROPEENNE {creditor}",
                -cents,
                "direct_debit",
                reference=reference,
            )
        day = next_business(day)
        return self._booked(
            CFA, day, f"PRLV SEPA {creditor}", -cents, "direct_debit", reference=reference
        )

    def income(
        self,
        account: str,
        name: str,
        cents: int,
        day: date,
        reference: str | None = None,
        iban: str | None = None,
        label: str | None = None,
    ) -> dict | None:
        if account == NOVA:
            day = next_business(day)
            return self._nova(
                self._office_time(day, 6, 20),
                label or name,
                cents,
                "income",
                0,
                reference=reference,
                counterparty_iban=iban,
            )
        if account == BXL:
            day = next_business(day, HOLIDAYS_BE)
            return self._booked(
                BXL,
                day,
                label or f"VIREMENT EUROPEEN DE {strip_accents(name).upper()}"[:60],
                cents,
                "income",
                reference=reference,
                counterparty_iban=iban,
            )
        day = next_business(day)
        return self._booked(
            CFA,
            day,
            label or f"VIR SEPA RECU {strip_accents(name).upper()}"[:60],
            cents,
            "income",
            reference=reference,
        )

    def fee(
        self, account: str, label: str, cents: int, day: date, reference: str | None = None
    ) -> dict | None:
        if account == NOVA:
            return self._nova(
                self._office_time(next_business(day), 1, 5),
                label,
                -cents,
                "transfer",
                0,
                reference=reference,
            )
        holidays = HOLIDAYS_BE if account == BXL else HOLIDAYS_FR
        return self._booked(
            account, next_business(day, holidays), label, -cents, "transfer", reference=reference
        )

    def swift_out(
        self,
        account: str,
        name: str,
        eur_cents: int,
        day: date,
        reference: str,
        local: tuple[int, str] | None,
    ) -> dict | None:
        day = next_business(day)
        if account == NOVA:
            extra = {}
            if local is not None:
                extra = {"local_amount": money(-local[0]), "local_currency": local[1]}
            return self._nova(
                self._office_time(day),
                name,
                -eur_cents,
                "transfer",
                1,
                reference=reference,
                **extra,
            )
        return self._booked(
            CFA,
            day,
            f"VIR INTERNATIONAL EMIS {name}"[:60],
            -eur_cents,
            "transfer",
            reference=reference,
        )


# --------------------------------------------------------------------------- the generator


class ShopGenerator:
    """A year of Atelier Lunelle SAS: about `documents` documents and `transactions`
    transactions, the same for the same `seed`."""

    def __init__(self, documents: int, transactions: int, seed: int):
        self.n_docs = max(0, int(documents))
        self.n_tx = max(0, int(transactions))
        self.seed = seed
        self.rng = random.Random(seed)

    # ---- set-up

    def build(self) -> Dataset:
        self._setup()
        targets = self._targets()
        shortfall = 0
        for family, builder in self._builders():
            before = len(self.docs)
            builder(targets[family])
            shortfall += max(0, targets[family] - (len(self.docs) - before))
        self._small_purchases(targets["small_purchase"] + shortfall)
        self._duplicates(targets["duplicate"])
        self._calendar_noise()
        self._fill_noise()
        return self._finish()

    def _builders(self) -> list[tuple[str, Callable[[int], None]]]:
        return [
            ("ads_threshold", self._ads_threshold),
            ("ads_invoice", self._ads_invoices),
            ("shipping_label", self._shipping_labels),
            ("shipping_weekly", self._shipping_weekly),
            ("saas", self._saas),
            ("supplier_invoice", self._supplier_invoices),
            ("supplier_deposit", self._supplier_deposits),
            ("supplier_proforma", self._supplier_proformas),
            ("supplier_swift", self._supplier_swift),
            ("supplier_grouped", self._supplier_grouped),
            ("supplier_credit_note", self._supplier_credit_notes),
            ("supplier_partial", self._supplier_partial),
            ("marketplace_fee_netted", self._marketplace_netted),
            ("marketplace_fee_charged", self._marketplace_charged),
            ("customer_refund", self._customer_refunds),
            ("sales_invoice", self._sales_invoices),
            ("boutique_recurring", self._recurring),
            ("services_transfer", self._services),
            ("trade_fair", self._trade_fairs),
            ("cash_personal", self._cash_personal),
            ("out_of_period", self._out_of_period),
        ]

    def _setup(self) -> None:
        rng = self.rng
        self.rates = self._make_rates()
        self.books = Books(rng, self.rates)
        self.docs: list[dict] = []
        self.produced: dict[str, int] = dict.fromkeys(FAMILIES, 0)
        self.bases: dict[str, int] = {}
        self.used_numbers: dict[str, set[int]] = {}
        self.used_ids: set[str] = set()
        weights = []
        for day in YEAR_DAYS:
            w = MONTH_WEIGHT[day.month - 1] * (1.1 if day.weekday() == 0 else 1.0)
            if date(2025, 11, 24) <= day <= date(2025, 12, 1):
                w *= 1.7
            if day >= date(2025, 12, 21):
                w *= 0.5
            weights.append(w)
        total = sum(weights)
        self.season = [w / total for w in weights]
        self.season_cum = list(accumulate(self.season))
        self.business_days = [d for d in YEAR_DAYS if is_business(d)]
        self.shop_days = [d for d in YEAR_DAYS if d.weekday() < 6 and d not in HOLIDAYS_FR]
        self.lille_weights = list(accumulate(s.weight for s in LILLE_SHOPS))
        self.bxl_weights = list(accumulate(s.weight for s in BXL_SHOPS))
        self.google_account = f"{rng.randrange(10**9, 10**10)}"
        self.reimbursements: dict[tuple[str, int], int] = {}

    def _make_rates(self) -> dict[str, dict[date, int]]:
        rng = random.Random(self.seed * 7919 + 17)
        tables: dict[str, dict[date, int]] = {}
        first = date(2024, 11, 1)
        for currency, anchors in RATE_ANCHORS.items():
            table = {}
            drift = 0.0
            for i in range(520):
                day = first + timedelta(days=i)
                pos = min(max((day - date(2025, 1, 15)).days / 30.4, 0.0), 11.0)
                lo = int(pos)
                hi = min(lo + 1, 11)
                mid = anchors[lo] + (anchors[hi] - anchors[lo]) * (pos - lo)
                drift = 0.8 * drift + rng.gauss(0, 0.0025)
                table[day] = int(mid * (1 + drift) * 10000)
            tables[currency] = table
        return tables

    def _targets(self) -> dict[str, int]:
        n = self.n_docs
        floor = MIN_FAMILY if n >= 100 else 0
        targets = {f: max(floor, round(share * n)) for f, share in FAMILY_SHARES}
        others = sum(v for f, v in targets.items() if f != "small_purchase")
        targets["small_purchase"] = max(floor, n - others)
        return targets

    # ---- small helpers

    def _next_number(self, key: str, fmt: str, day: date, per_day: int = 3) -> str:
        """A number of the issuer `key`'s sequence, growing with `day`: about `per_day`
        numbers a day (the issuer's other customers in between), 0 for one a month."""
        base = self.bases.get(key)
        if base is None:
            width = re.search(r"\{n:0(\d+)d\}", fmt)
            digits = int(width.group(1)) if width else 3
            low = 10 ** max(1, digits - 2) if width else 10
            base = self.bases[key] = random.Random(zlib.crc32(key.encode())).randrange(low, low * 9)
        if per_day:
            n = base + (day - date(2024, 10, 1)).days * per_day + self.rng.randrange(per_day)
        else:
            n = base + (day.year - 2024) * 12 + day.month
        used = self.used_numbers.setdefault(key, set())
        while n in used:
            n += 1
        used.add(n)
        return fmt.format(n=n, y=day.year, yy=day.year % 100, m=day.month)

    def _pick_day(self, days: list[date] | tuple[date, ...]) -> date:
        return days[self.rng.randrange(len(days))]

    def _season_day(self) -> date:
        return self.rng.choices(YEAR_DAYS, cum_weights=self.season_cum)[0]

    def _moment(self, day: date, tz: ZoneInfo = PARIS, start: int = 8, end: int = 20) -> datetime:
        r = self.rng
        return datetime(
            day.year,
            day.month,
            day.day,
            r.randrange(start, end),
            r.randrange(60),
            r.randrange(60),
            tzinfo=tz,
        )

    def _price(self, profile: str, factor: float = 1.0) -> int:
        median, sigma, style = PROFILES[profile]
        cents = int(median * factor * math.exp(self.rng.gauss(0, sigma)) * 100)
        if style == "tenth":
            cents = max(50, (cents + 5) // 10 * 10)
        elif style == "retail":
            cents = self._retail(cents)
        return max(cents, 50)

    def _retail(self, cents: int) -> int:
        r = self.rng
        k = r.choice((1, 1, 2, 2, 3, 4))
        total = 0
        for _ in range(k):
            euros = max(1, int(cents / k * r.uniform(0.5, 1.5)) // 100)
            total += euros * 100 - r.choice((1, 1, 10, 50, 0, 5))
        return max(total, 95)

    def _checksum(self) -> str:
        return f"{self.rng.getrandbits(128):032x}"

    def _received(self, after: datetime, photo: bool) -> datetime:
        r = self.rng.random()
        if photo:
            if r < 0.5:
                delay = timedelta(minutes=self.rng.randrange(2, 360))
            elif r < 0.8:
                delay = timedelta(days=self.rng.randrange(1, 10), hours=self.rng.randrange(24))
            else:
                delay = timedelta(days=self.rng.randrange(10, 45), hours=self.rng.randrange(24))
        elif r < 0.8:
            delay = timedelta(hours=self.rng.randrange(1, 72))
        else:
            delay = timedelta(days=self.rng.randrange(3, 60), hours=self.rng.randrange(24))
        return (after + delay).astimezone(PARIS)

    def _link(
        self, doc: dict, tx: dict | None, family: str, *, paid: bool = True, sales: bool = False
    ) -> dict:
        """Record `doc` (paid by `tx`; a payment expected but outside the period makes it
        out_of_period)."""
        if paid and tx is None:
            family = "out_of_period"
        doc["_family"] = family
        doc["_tx"] = tx
        doc["_sales"] = sales
        self.docs.append(doc)
        self.produced[family] += 1
        return doc

    def _finish_doc(self, doc: dict, received: datetime) -> dict:
        if self.rng.random() < 0.93:
            doc["received_at"] = received.isoformat()
        doc["checksum"] = self._checksum()
        doc["_key"] = received
        return doc

    # ---- document builders

    def _receipt(
        self,
        shop_sign: str,
        legal: str,
        total: int,
        currency: str,
        moment: datetime,
        *,
        vat: str | None = None,
        number: str | None = None,
        photo: bool = True,
        doc_type: str = "receipt",
    ) -> dict:
        """A receipt (photographed ticket or PDF) for a payment at `moment`."""
        r = self.rng
        doc: dict = {"document_type": doc_type, "total": money(total), "currency": currency}
        name = photo_name(r, shop_sign, legal) if photo else pdf_name(r, shop_sign, legal)
        if name:
            doc["supplier_name"] = name
        day = moment.date()
        if r.random() > (0.04 if photo else 0.005):
            doc["issue_date"] = self._maybe_swapped(day, photo).isoformat()
        if vat and r.random() < (0.3 if photo else 0.85):
            doc["supplier_vat"] = vat
        if number and r.random() < (0.6 if photo else 0.95):
            doc["invoice_number"] = number
        if photo:
            self._ocr_total(doc, total, currency)
        return self._finish_doc(doc, self._received(moment, photo))

    def _maybe_swapped(self, day: date, photo: bool) -> date:
        if photo and day.day <= 12 and day.day != day.month and self.rng.random() < 0.02:
            return date(day.year, day.day, day.month)
        return day

    def _ocr_total(self, doc: dict, total: int, currency: str) -> None:
        r = self.rng
        x = r.random()
        if x < 0.02:
            text = money(total)
            swaps = {"8": "3", "3": "8", "1": "7", "7": "1", "5": "6", "6": "5", "0": "8"}
            spots = [i for i, c in enumerate(text) if c in swaps]
            if spots:
                i = r.choice(spots)
                wrong = text[:i] + swaps[text[i]] + text[i + 1 :]
                doc["total"] = wrong
                if r.random() < 0.6:
                    doc["candidate_totals"] = [text]
        elif x < 0.14 and currency == "EUR" and total > 500:
            doc["candidate_totals"] = [money(round(total / 1.2))]

    def _invoice(
        self,
        sign: str,
        legal: str,
        country: str,
        total: int,
        currency: str,
        issue: date,
        number: str | None,
        *,
        due: date | None = None,
        iban: bool = True,
        doc_type: str = "invoice",
        amount_due: int | None = None,
        candidates: tuple[int, ...] = (),
    ) -> dict:
        """A PDF invoice from a supplier to the company."""
        r = self.rng
        doc: dict = {"document_type": doc_type, "total": money(total), "currency": currency}
        name = pdf_name(r, sign, legal)
        if name:
            doc["supplier_name"] = name
        if country not in ("CN", "US") and r.random() < 0.88:
            vat = vat_for(legal, country)
            doc["supplier_vat"] = vat if r.random() < 0.8 else spaced(vat)
        if iban and country in ("FR", "BE", "DE", "PT", "IE", "GB", "IT") and r.random() < 0.75:
            code = iban_for(legal, country)
            doc["supplier_iban"] = spaced(code) if r.random() < 0.6 else code
        if r.random() < 0.85:
            doc["customer_name"] = r.choice(ORG_NAMES_ON_DOCS)
        if r.random() < 0.5:
            doc["customer_vat"] = ORG_VAT
        if r.random() < 0.99:
            doc["issue_date"] = issue.isoformat()
        if due is not None and r.random() < 0.85:
            doc["due_date"] = due.isoformat()
        if amount_due is not None:
            doc["amount_due"] = money(amount_due)
        if candidates:
            doc["candidate_totals"] = [money(c) for c in candidates]
        if number and r.random() < 0.96:
            doc["invoice_number"] = number
        sent = datetime(
            issue.year, issue.month, issue.day, r.randrange(6, 22), r.randrange(60), tzinfo=PARIS
        )
        return self._finish_doc(doc, self._received(sent, False))

    def _sup_doc(self, sup: Supplier, total: int, issue: date, number: str | None, **extra) -> dict:
        """`_invoice` from a catalogue supplier, in its currency."""
        return self._invoice(
            sup.sign, sup.legal, sup.country, total, sup.currency, issue, number, **extra
        )

    def _sales_doc(
        self,
        customer: str,
        customer_country: str,
        total: int,
        issue: date,
        number: str,
        doc_type: str,
        due: date | None = None,
    ) -> dict:
        """A document issued BY the company (sales invoice, credit note to a customer)."""
        r = self.rng
        shown = -total if doc_type == "credit_note" and r.random() < 0.4 else total
        doc: dict = {"document_type": doc_type, "total": money(shown), "currency": "EUR"}
        if r.random() < 0.97:
            doc["supplier_name"] = r.choice(ORG_NAMES_ON_DOCS[:3])
        if r.random() < 0.8:
            doc["supplier_vat"] = ORG_VAT
        if r.random() < 0.6:
            doc["supplier_iban"] = spaced(ORG_IBANS[CFA])
        doc["customer_name"] = customer
        if customer_country in ("BE", "DE", "NL", "PT", "IT") and r.random() < 0.7:
            doc["customer_vat"] = vat_for(customer, customer_country)
        doc["issue_date"] = issue.isoformat()
        if due is not None:
            doc["due_date"] = due.isoformat()
        doc["invoice_number"] = number
        sent = datetime(
            issue.year, issue.month, issue.day, r.randrange(8, 19), r.randrange(60), tzinfo=PARIS
        )
        return self._finish_doc(doc, self._received(sent, False))

    # ---- ads

    def _ads_threshold(self, count: int) -> None:
        if count <= 0:
            return
        upload = 0.85
        charges = count / upload
        for platform in AD_PLATFORMS:
            self._simulate_ad_platform(platform, charges * platform.weight, upload)

    def _simulate_ad_platform(self, platform: AdPlatform, charges: float, upload: float) -> None:
        """Daily spend accrues; each time it reaches the threshold the card is charged the
        threshold; on the 1st the month's remainder is charged."""
        r = self.rng
        avg = sum(platform.thresholds) / 12
        # An active account also pays the month's remainder on the 1st: 12 charges on top
        # of the threshold ones (1.046 is the mean of the daily noise).
        remainders = charges >= 36
        yearly = (charges - 12 if remainders else charges) * avg / 1.046
        acc = 0.0
        for i, day in enumerate(YEAR_DAYS):
            threshold = platform.thresholds[day.month - 1]
            if remainders and day.day == 1 and acc >= 100:
                moment = self._moment(day, PARIS, 0, 3)
                self._ad_charge(platform, int(acc), moment, upload)
                acc = 0.0
            acc += yearly * self.season[i] * r.lognormvariate(0, 0.3)
            k = int(acc // threshold)
            if k:
                acc -= k * threshold
                minutes = sorted(r.randrange(6 * 60, 24 * 60) for _ in range(k))
                for m in minutes:
                    moment = datetime(
                        day.year, day.month, day.day, m // 60, m % 60, r.randrange(60), tzinfo=PARIS
                    )
                    self._ad_charge(platform, threshold, moment, upload)

    def _ad_charge(self, platform: AdPlatform, cents: int, moment: datetime, upload: float) -> None:
        r = self.rng
        alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
        if platform.key == "meta":
            ref = "".join(r.choice(alphabet) for _ in range(10))
            desc, number = f"FACEBK *{ref}", ref
        elif platform.key == "google":
            desc, number = f"GOOGLE *ADS{self.google_account}", f"{r.randrange(10**9, 10**10)}"
        elif platform.key == "pinterest":
            desc, number = "PINTEREST ADS", f"PIN-{r.randrange(10**8):08d}"
        else:
            desc, number = "TIKTOK ADS", f"BC{r.randrange(10**12):012d}"
        on_cfa = platform.key == "google" and r.random() < 0.2
        account, card = (CFA, DEFERRED_CARD) if on_cfa else (NOVA, "")
        tx = self.books.card(account, desc, cents, "EUR", moment, card=card)
        if r.random() >= upload:
            return
        sign = platform.legal if r.random() < 0.6 else r.choice(platform.names)
        doc = self._receipt(
            sign,
            platform.legal,
            cents,
            "EUR",
            moment,
            vat=vat_for(platform.legal, platform.country),
            number=number,
            photo=False,
        )
        if r.random() < 0.6:
            doc["customer_name"] = r.choice(ORG_NAMES_ON_DOCS)
        self._link(doc, tx, "ads_threshold")

    def _ads_invoices(self, count: int) -> None:
        if count <= 0:
            return
        n_accounts = min(len(AD_INVOICE_ACCOUNTS), max(1, math.ceil(count / 11)))
        slots = [(a, m) for a in range(n_accounts) for m in range(12)]
        self.rng.shuffle(slots)
        for a, m in slots[:count]:
            self._ad_invoice(AD_INVOICE_ACCOUNTS[a], a, m)
        for a, m in slots[count:]:  # invoices not uploaded: their payment is still there
            self._ad_invoice(AD_INVOICE_ACCOUNTS[a], a, m, upload=False)

    def _ad_invoice(self, account: tuple, index: int, month: int, upload: bool = True) -> None:
        sign, legal, country, pay, fmt, median, vat = account
        r = self.rng
        issue = date(2025, month + 1, r.choice((1, 1, 2, 3)))
        spend = int(median * MONTH_WEIGHT[(month - 1) % 12] * r.lognormvariate(0, 0.25))
        total = spend * 6 // 5 if vat else spend
        number = self._next_number(f"adinv{index}", fmt, issue)
        due = issue + timedelta(days=30)
        if pay == "dd":
            tx = self.books.direct_debit(
                CFA, "AWIN AG", total, due, reference=f"{number} MDT AWN-{index:03d}-LUNELLE"
            )
        else:
            pay_day = due - timedelta(days=r.randrange(0, 6))
            ref = r.choice((number, f"Invoice {number}", f"{sign} {number}", f"FACT {number}"))
            tx = self.books.transfer_out(
                pay,
                legal if r.random() < 0.5 else sign,
                total,
                pay_day,
                ref,
                iban_for(legal, country),
            )
        if upload:
            doc = self._invoice(sign, legal, country, total, "EUR", issue, number, due=due)
            self._link(doc, tx, "ads_invoice")

    # ---- shipping

    def _shipping_labels(self, count: int) -> None:
        if count <= 0:
            return
        r = self.rng
        made = 0
        while made < count:
            carrier = r.choices(LABEL_CARRIERS, weights=[c[4] for c in LABEL_CARRIERS])[0]
            day = self._season_day()
            if day.weekday() == 6:
                continue
            uploaded = r.random() < 0.6
            n = r.choice((1, 1, 2, 2, 3, 4, 5, 6, 8))
            start = self._moment(day, PARIS, 9, 17)
            for i in range(n):
                moment = start + timedelta(minutes=3 * i + r.randrange(3))
                made += self._label(carrier, moment, uploaded and r.random() < 0.9)

    def _label(self, carrier: tuple, moment: datetime, upload: bool) -> int:
        sign, legal, desc, prices, _ = carrier
        r = self.rng
        price = r.choices([p for p, _ in prices], weights=[w for _, w in prices])[0]
        account = NOVA if r.random() < 0.85 else CFA
        tx = self.books.card(account, desc, price, "EUR", moment, card=IMMEDIATE_CARD)
        if not upload:
            return 0
        number = f"6A{r.randrange(10**11):011d}" if "Poste" in sign else f"{r.randrange(10**8):08d}"
        doc = self._receipt(
            sign, legal, price, "EUR", moment, vat=vat_for(legal, "FR"), number=number, photo=False
        )
        self._link(doc, tx, "shipping_label")
        return 1

    def _shipping_weekly(self, count: int) -> None:
        if count <= 0:
            return
        n_carriers = min(len(WEEKLY_CARRIERS), max(1, math.ceil(count / 45)))
        slots = []
        for c in range(n_carriers):
            step = WEEKLY_CARRIERS[c][5]
            day = date(2024, 12, 30) if step == 7 else date(2025, 1, 1)
            while day <= PERIOD_END:
                slots.append((c, day))
                day = day + timedelta(days=7) if step == 7 else add_months(day, 1)
        self.rng.shuffle(slots)
        for i, (c, day) in enumerate(slots):
            self._weekly_invoice(WEEKLY_CARRIERS[c], day, i < count)

    def _weekly_invoice(self, carrier: tuple, issue: date, upload: bool) -> None:
        sign, legal, country, account, fmt, step = carrier
        r = self.rng
        season = MONTH_WEIGHT[issue.month - 1]
        labels = max(3, int(r.randrange(15, 70) * season * (4 if step == 30 else 1)))
        base = sum(r.choice((690, 845, 1120, 1390, 1760, 2450)) for _ in range(labels))
        total = base * r.randrange(108, 113) // 100 * 6 // 5
        number = self._next_number(f"weekly{sign}", fmt, issue)
        due = issue + timedelta(days=r.choice((10, 14, 15)))
        creditor = strip_accents(legal).upper().replace(" SAS", "")
        tx = self.books.direct_debit(account, creditor, total, due, reference=f"{number}")
        if upload:
            doc = self._invoice(
                sign, legal, country, total, "EUR", issue, number, due=due, iban=False
            )
            self._link(doc, tx, "shipping_weekly")

    # ---- software

    def _saas(self, count: int) -> None:
        if count <= 0:
            return
        r = self.rng
        charges = math.ceil(count / 0.85)
        monthly = [t for t in TOOLS if not t.recharge]
        r.shuffle(monthly)
        n_tools = min(len(monthly), max(1, math.ceil(min(charges, 12 * len(monthly)) / 12)))
        events: list[tuple[Tool, date, int]] = []
        for tool in monthly[:n_tools]:
            day = r.randrange(1, 29)
            for m in range(1, 13):
                events.append((tool, date(2025, m, day), m))
        recharge_tools = [t for t in TOOLS if t.recharge]
        for _ in range(max(0, charges - len(events))):
            events.append((r.choice(recharge_tools), self._pick_day(YEAR_DAYS), 0))
        r.shuffle(events)
        docs = 0
        for tool, day, m in events:
            upload = docs < count and r.random() < 0.95
            docs += self._tool_charge(tool, day, m, upload)

    def _tool_charge(self, tool: Tool, day: date, month: int, upload: bool) -> int:
        r = self.rng
        cents = (
            max(100, int(tool.base * math.exp(r.gauss(0, tool.sigma)))) if tool.sigma else tool.base
        )
        if tool.currency == "USD" and tool.sigma and cents > 2000:
            cents = cents // 100 * 100 + r.choice((0, 0, 50, 99))
        key = f"tool{tool.sign}"
        prefix = random.Random(zlib.crc32(key.encode())).randrange(16**8)
        number = self._next_number(key, f"{prefix:08X}-{{n:04d}}", day, per_day=0)
        desc = tool.desc.format(bill=r.randrange(10**8, 10**9))
        if tool.desc.startswith("SHOPIFY"):
            number = desc.split()[-1]
        # Billing runs at any hour UTC; US vendors date their invoice in UTC.
        moment = datetime(
            day.year,
            day.month,
            day.day,
            r.randrange(24),
            r.randrange(60),
            r.randrange(60),
            tzinfo=UTC,
        )
        tx = self._pay_tool(tool, desc, cents, moment, number)
        if not upload:
            return 0
        dated = moment if tool.country == "EU" else moment.astimezone(PARIS)
        vat = vat_for(tool.legal, tool.country) if tool.country != "EU" else None
        doc_type = "invoice" if r.random() < 0.7 else "receipt"
        doc = self._receipt(
            tool.sign,
            tool.legal,
            cents,
            tool.currency,
            dated,
            vat=vat,
            number=number,
            photo=False,
            doc_type=doc_type,
        )
        self._link(doc, tx, "saas")
        return 1

    def _pay_tool(
        self, tool: Tool, desc: str, cents: int, moment: datetime, number: str
    ) -> dict | None:
        if tool.pay == "dd":
            return self.books.direct_debit(
                CFA, desc, cents, moment.date(), reference=f"{number} {tool.sign.upper()}"
            )
        if tool.pay == "cfa":
            return self.books.card(
                CFA, desc, cents, tool.currency, moment.astimezone(PARIS), card=DEFERRED_CARD
            )
        return self.books.card(NOVA, desc, cents, tool.currency, moment)

    # ---- suppliers

    def _supplier(self, pool: tuple[Supplier, ...] = EU_SUPPLIERS) -> Supplier:
        return self.rng.choices(pool, weights=[s.weight for s in pool])[0]

    def _issue_day(self, start: date = date(2024, 11, 15), end: date = PERIOD_END) -> date:
        span = (end - start).days
        return next_business(start + timedelta(days=self.rng.randrange(span + 1)))

    def _amount(self, median: int, sigma: float = 0.6) -> int:
        return max(2000, int(median * math.exp(self.rng.gauss(0, sigma))))

    def _pay_account(self, cents: int) -> str:
        if cents > 200000:
            return CFA if self.rng.random() < 0.75 else NOVA
        return NOVA if self.rng.random() < 0.6 else CFA

    def _supplier_reference(self, sup: Supplier, numbers: list[str]) -> str | None:
        r = self.rng
        if sup.country == "BE" and r.random() < 0.6:
            return structured_communication(zlib.crc32(numbers[0].encode()))
        joined = " ".join(numbers)
        x = r.random()
        if x < 0.4:
            return joined
        if x < 0.6:
            return f"FACT {joined}"
        if x < 0.75:
            return f"Facture {joined}"
        if x < 0.85:
            return f"{sup.sign} {joined}"
        if x < 0.93:
            return f"Reglement {sup.sign}"
        return None

    def _pay_supplier(
        self, sup: Supplier, cents: int, day: date, numbers: list[str], account: str | None = None
    ) -> dict | None:
        r = self.rng
        account = account or self._pay_account(cents)
        name = sup.sign if r.random() < 0.6 else sup.legal
        iban = iban_for(sup.legal, sup.country)
        return self.books.transfer_out(
            account, name, cents, day, self._supplier_reference(sup, numbers), iban
        )

    def _lateness(self) -> int:
        return self.rng.choice((-3, -1, 0, 0, 0, 1, 2, 3, 5, 8, 12, 20))

    def _supplier_invoices(self, count: int) -> None:
        r = self.rng
        for _ in range(count):
            sup = self._supplier()
            issue = self._issue_day()
            total = self._amount(sup.median)
            number = self._next_number(sup.legal, sup.number, issue)
            due = due_from_terms(issue, sup.terms)
            candidates: tuple[int, ...] = ()
            if sup.discount and r.random() < 0.7:
                paid = total - round(total * sup.discount)
                pay_day = issue + timedelta(days=r.randrange(3, 10))
                if r.random() < 0.5:
                    candidates = (paid,)
            else:
                paid = total
                pay_day = due + timedelta(days=self._lateness())
            tx = self._pay_supplier(sup, paid, pay_day, [number])
            doc = self._sup_doc(sup, total, issue, number, due=due, candidates=candidates)
            self._link(doc, tx, "supplier_invoice")

    def _supplier_deposits(self, count: int) -> None:
        r = self.rng
        made = 0
        while made < count:
            sup = self._supplier()
            order_day = self._issue_day(date(2024, 11, 1), date(2025, 11, 30))
            total = self._amount(sup.median * 3, 0.4)
            rate = r.choice((30, 30, 30, 40, 50))
            deposit = total * rate // 100
            dep_number = self._next_number(sup.legal, sup.number, order_day)  # one sequence
            dep_tx = self._pay_supplier(
                sup, deposit, order_day + timedelta(days=r.randrange(1, 8)), [dep_number]
            )
            final_day = next_business(order_day + timedelta(days=r.randrange(20, 70)))
            number = self._next_number(sup.legal, sup.number, final_day)
            due = due_from_terms(final_day, sup.terms)
            final_tx = self._pay_supplier(
                sup, total - deposit, due + timedelta(days=self._lateness()), [number]
            )
            which = r.random()
            if which < 0.7:
                doc = self._sup_doc(sup, deposit, order_day, dep_number)
                self._link(doc, dep_tx, "supplier_deposit")
                made += 1
            if which >= 0.1:
                shown_due = total - deposit if r.random() < 0.85 else None
                doc = self._sup_doc(sup, total, final_day, number, due=due, amount_due=shown_due)
                self._link(doc, final_tx, "supplier_deposit")
                made += 1

    def _supplier_proformas(self, count: int) -> None:
        r = self.rng
        for _ in range(count):
            sup = self._supplier()
            pf_day = self._issue_day()
            total = self._amount(sup.median, 0.5)
            pf_number = f"PF{pf_day:%y}-{r.randrange(100, 999)}"
            pay_day = next_business(pf_day + timedelta(days=r.randrange(1, 6)))
            tx = self._pay_supplier(
                sup,
                total,
                pay_day,
                [pf_number if r.random() < 0.7 else f"proforma {pf_number[5:]}"],
            )
            if r.random() < 0.4:
                doc = self._sup_doc(sup, total, pf_day, pf_number)
            else:
                final_day = pay_day + timedelta(days=r.randrange(2, 21))
                number = self._next_number(sup.legal, sup.number, final_day)
                paid_mark = 0 if r.random() < 0.3 else None
                doc = self._sup_doc(sup, total, final_day, number, amount_due=paid_mark)
            self._link(doc, tx, "supplier_proforma")

    def _swift_payment(self, sup: Supplier, local: int, day: date, reference: str) -> dict | None:
        """Pay `local` (supplier's currency) by SWIFT; returns the main debit."""
        r = self.rng
        day = next_business(day)
        name = sup.legal if r.random() < 0.5 else sup.sign
        if sup.currency == "EUR":
            eur = local
        else:
            eur = convert(local, self.books.rate(sup.currency, day) * 994 // 1000)
        x = r.random()
        if x < 0.45:  # SHA from the traditional bank: commissions on their own lines
            tx = self.books.swift_out(
                CFA,
                strip_accents(name).upper(),
                eur,
                day,
                f"{reference} {fr_money(local)} {sup.currency}",
                None,
            )
            self.books.fee(
                CFA,
                "COMMISSION VIREMENT INTERNATIONAL",
                max(1500, min(8000, eur // 1000)),
                day,
                reference=reference,
            )
            if r.random() < 0.6:
                self.books.fee(CFA, "FRAIS SWIFT", 800, day)
            return tx
        if x < 0.8:  # Nova: one debit including its fee and the OUR charges
            fee = 500 + r.choice((1500, 2000, 2500))
            local_pair = None if sup.currency == "EUR" else (local, sup.currency)
            return self.books.swift_out(NOVA, name, eur + fee, day, reference, local_pair)
        fee = r.choice((2500, 3000, 3500))  # traditional bank, OUR, fees included in the debit
        return self.books.swift_out(
            CFA,
            strip_accents(name).upper(),
            eur + fee,
            day,
            f"{reference} DONT FRAIS {fr_money(fee)} EUR OUR",
            None,
        )

    def _supplier_swift(self, count: int) -> None:
        r = self.rng
        made = 0
        while made < count:
            sup = self._supplier(CN_SUPPLIERS)
            issue = self._issue_day(date(2024, 11, 1))
            total = self._amount(sup.median, 0.5)
            number = self._next_number(sup.legal, sup.number, issue)
            if r.random() < 0.7:
                tx = self._swift_payment(
                    sup, total, issue + timedelta(days=r.randrange(2, 12)), number
                )
                doc = self._sup_doc(sup, total, issue, number, iban=False)
                self._link(doc, tx, "supplier_swift")
                made += 1
                continue
            # deposit on the pro-forma, balance against the commercial invoice
            deposit = total * 30 // 100
            pi_number = f"PI{number}"
            self._swift_payment(sup, deposit, issue + timedelta(days=r.randrange(2, 8)), pi_number)
            ci_day = issue + timedelta(days=r.randrange(30, 60))
            balance_tx = self._swift_payment(
                sup, total - deposit, ci_day + timedelta(days=r.randrange(1, 6)), number
            )
            if r.random() < 0.4:
                doc = self._sup_doc(sup, total, issue, pi_number, iban=False)
                self._link(doc, None, "supplier_swift", paid=False)
                made += 1
            doc = self._sup_doc(sup, total, ci_day, number, iban=False, amount_due=total - deposit)
            self._link(doc, balance_tx, "supplier_swift")
            made += 1

    def _supplier_grouped(self, count: int) -> None:
        r = self.rng
        made = 0
        while made < count:
            sup = self._supplier()
            first = self._issue_day(date(2024, 11, 15))
            k = r.choice((2, 2, 3, 3, 4))
            invoices = []
            for i in range(k):
                day = next_business(first + timedelta(days=i * r.randrange(3, 10)))
                invoices.append(
                    (
                        day,
                        self._next_number(sup.legal, sup.number, day),
                        self._amount(sup.median / 2, 0.5),
                    )
                )
            pay_day = due_from_terms(invoices[-1][0], sup.terms) + timedelta(days=self._lateness())
            numbers = [n for _, n, _ in invoices]
            if r.random() < 0.3:
                numbers = [f"RELEVE {invoices[-1][0]:%m/%Y}"]
            self._pay_supplier(sup, sum(c for _, _, c in invoices), pay_day, numbers)
            for day, number, cents in invoices:
                doc = self._sup_doc(sup, cents, day, number, due=due_from_terms(day, sup.terms))
                self._link(doc, None, "supplier_grouped", paid=False)
                made += 1

    def _supplier_credit_notes(self, count: int) -> None:
        r = self.rng
        made = 0
        while made < count:
            sup = self._supplier()
            day = self._issue_day()
            credit = self._amount(sup.median / 6, 0.6)
            number = self._next_number(sup.legal + "avoir", "AV" + sup.number, day)
            shown = -credit if r.random() < 0.5 else credit
            note = self._sup_doc(sup, shown, day, number, doc_type="credit_note", iban=False)
            if r.random() < 0.4:  # refunded by the supplier
                tx = self.books.income(
                    self._pay_account(credit),
                    sup.legal,
                    credit,
                    day + timedelta(days=r.randrange(3, 25)),
                    reference=f"REMB AVOIR {number}",
                    iban=iban_for(sup.legal, sup.country),
                )
                self._link(note, tx, "supplier_credit_note")
                made += 1
                continue
            # netted: the next invoice is paid minus the credit note
            inv_day = next_business(day + timedelta(days=r.randrange(5, 30)))
            total = credit + self._amount(sup.median, 0.5)
            inv_number = self._next_number(sup.legal, sup.number, inv_day)
            self._pay_supplier(
                sup, total - credit, due_from_terms(inv_day, sup.terms), [inv_number, number]
            )
            self._link(note, None, "supplier_credit_note", paid=False)
            invoice = self._sup_doc(
                sup, total, inv_day, inv_number, due=due_from_terms(inv_day, sup.terms)
            )
            self._link(invoice, None, "supplier_credit_note", paid=False)
            made += 2

    def _supplier_partial(self, count: int) -> None:
        r = self.rng
        for _ in range(count):
            sup = self._supplier(EQUIPMENT_SUPPLIERS + EU_SUPPLIERS[:3])
            day = self._issue_day()
            total = self._amount(sup.median, 0.3)
            number = self._next_number(sup.legal, sup.number, day)
            if r.random() < 0.7:
                k = r.choice((2, 3, 3, 4))
                part = total // k
                for i in range(k):
                    amount = part if i < k - 1 else total - part * (k - 1)
                    self._pay_supplier(
                        sup, amount, add_months(day, i + 1), [f"{number} ECH {i + 1}/{k}"]
                    )
            else:  # disputed: short-paid
                self._pay_supplier(
                    sup,
                    total * r.choice((70, 80, 90)) // 100,
                    due_from_terms(day, sup.terms),
                    [number],
                )
            doc = self._sup_doc(sup, total, day, number, due=due_from_terms(day, sup.terms))
            self._link(doc, None, "supplier_partial", paid=False)

    # ---- marketplaces and payments

    def _marketplace_netted(self, count: int) -> None:
        if count <= 0:
            return
        n = min(len(MARKETPLACES), max(1, math.ceil(count / 12)))
        slots = [(p, m) for p in range(n) for m in range(1, 13)]
        self.rng.shuffle(slots)
        for p, m in slots[:count]:
            sign, legal, country, median = MARKETPLACES[p]
            issue = date(2025, m, self.rng.choice((1, 2, 3, 5)))
            total = int(median * MONTH_WEIGHT[(m - 2) % 12] * self.rng.lognormvariate(0, 0.2))
            number = self._next_number(f"mkp{sign}", f"{sign[:3].upper()}-{{y}}-{{n:07d}}", issue)
            doc = self._invoice(sign, legal, country, total, "EUR", issue, number, iban=False)
            self._link(doc, None, "marketplace_fee_netted", paid=False)

    def _marketplace_charged(self, count: int) -> None:
        r = self.rng
        for _ in range(count):
            day = self._pick_day(self.business_days)
            x = r.random()
            if x < 0.4:
                sign, legal, country, cents = (
                    "Amazon",
                    "Amazon Services Europe S.à r.l.",
                    "LU",
                    4680,
                )
                tx = self.books.card(
                    NOVA, "AMZ SELLER SERVICES", cents, "EUR", self._moment(day, PARIS, 1, 6)
                )
            elif x < 0.8:
                sign, legal, country = "Etsy", "Etsy Ireland UC", "IE"
                cents = self._amount(4500, 0.8) // 100 * 100 + r.choice((0, 12, 48, 95))
                tx = self.books.card(
                    NOVA, "ETSY.COM*SELLER FEES", cents, "EUR", self._moment(day, PARIS, 2, 8)
                )
            else:
                sign, legal, country = "Stripe", "Stripe Payments Europe, Limited", "IE"
                cents = 1500 * r.choice((1, 1, 2, 3))
                tx = self.books.direct_debit(
                    NOVA,
                    "STRIPE PAYMENTS EUROPE",
                    cents,
                    day,
                    reference=f"STRIPE DISPUTE FEES {day:%Y-%m}",
                )
            number = self._next_number(f"mkc{sign}", f"{sign[:2].upper()}C{{n:08d}}", day)
            doc = self._invoice(sign, legal, country, cents, "EUR", day, number, iban=False)
            self._link(doc, tx, "marketplace_fee_charged")

    # ---- sales

    def _customer(self) -> str:
        r = self.rng
        first, last = r.choice(FIRST_NAMES), r.choice(LAST_NAMES)
        return r.choice(
            (
                f"{first} {last}",
                f"{last.upper()} {first}",
                f"{first} {last}",
                f"{first[0]}. {last}",
            )
        )

    def _order_total(self) -> int:
        r = self.rng
        items = r.choices(
            (1890, 2400, 2900, 3400, 3900, 4500, 5900, 7900, 8900, 12900),
            k=r.choice((1, 1, 2, 2, 3, 4)),
        )
        return sum(items) + r.choice((0, 0, 495, 720, 895))

    def _customer_refunds(self, count: int) -> None:
        r = self.rng
        for _ in range(count):
            day = self._season_day()
            number = self._next_number("sales-avoir", "LUN-AV-{y}-{n:04d}", day, per_day=1)
            x = r.random()
            if x < 0.6:  # web or boutique order refunded by transfer
                customer, country = self._customer(), "FR"
                total = self._order_total()
                self.books.transfer_out(
                    NOVA,
                    customer,
                    total,
                    day + timedelta(days=r.randrange(0, 5)),
                    f"Remboursement commande #LN{r.randrange(10000, 40000)}",
                    fr_iban(r),
                )
            elif x < 0.85:  # refunded on the boutique's card terminal
                customer, country = self._customer(), "FR"
                total = self._order_total()
                self._terminal_refund(total, day)
            else:  # a stockist credited for breakage
                sign, customer, country = r.choice(STOCKISTS)
                total = self._amount(18000, 0.6)
                self.books.transfer_out(
                    CFA,
                    sign,
                    total,
                    day + timedelta(days=r.randrange(2, 15)),
                    f"AVOIR {number}",
                    iban_for(customer, country),
                )
            if r.random() < 0.7:
                doc = self._sales_doc(customer, country, total, day, number, "credit_note")
            else:  # the refunded sale's own invoice uploaded with the refund
                sold = day - timedelta(days=r.randrange(2, 40))
                number = self._next_number("sales", "LUN-F-{y}-{n:04d}", sold, per_day=1)
                doc = self._sales_doc(customer, country, total, sold, number, "invoice")
            self._link(doc, None, "customer_refund", paid=False, sales=True)

    def _terminal_refund(self, total: int, day: date) -> None:
        if self.rng.random() < 0.7:
            self.books.fee(
                CFA, f"ANNULATION CB TPE 5512345 {day:%d/%m}", total, add_business(day, 1)
            )
        else:
            self.books.fee(
                BXL,
                "WORLDLINE SA/NV REMBOURSEMENT BANCONTACT",
                total,
                add_business(day, 1, HOLIDAYS_BE),
                reference=f"TERMINAL 60123456 {day:%d/%m/%Y}",
            )

    def _sales_invoices(self, count: int) -> None:
        r = self.rng
        pending: list[tuple[str, str, int, date, str]] = []
        for _ in range(count):
            sign, legal, country = r.choice(STOCKISTS)
            issue = self._issue_day(date(2024, 11, 15))
            lines = sum(
                r.choice((1850, 2400, 1200, 3200, 950, 4400)) * r.choice((6, 6, 12, 12, 24))
                for _ in range(r.randrange(2, 7))
            )
            total = lines * 6 // 5 if country == "FR" else lines
            number = self._next_number("sales", "LUN-F-{y}-{n:04d}", issue, per_day=1)
            due = issue + timedelta(days=30)
            doc = self._sales_doc(legal, country, total, issue, number, "invoice", due)
            self._link(doc, None, "sales_invoice", paid=False, sales=True)
            x = r.random()
            pay_day = due + timedelta(days=self._lateness())
            if x < 0.75:
                self.books.income(
                    CFA if r.random() < 0.7 else NOVA,
                    legal,
                    total,
                    pay_day,
                    reference=r.choice(
                        (number, f"FACT {number}", f"{sign} {number}", f"Commande {sign}")
                    ),
                    iban=iban_for(legal, country),
                )
            elif x < 0.9:
                pending.append((sign, legal, total, pay_day, number))
            # else: paid through a Stripe payment link (inside a payout)
            if len(pending) >= 2:
                (_, lg, a, _, n1), (_, _, b, d, n2) = pending[0], pending[1]
                self.books.income(CFA, lg, a + b, d, reference=f"{n1} {n2}")
                pending.clear()

    # ---- running costs

    def _recurring(self, count: int) -> None:
        if count <= 0:
            return
        slots = []
        for c, contract in enumerate(RECURRING):
            for m in range(0, 12, contract[5]):
                slots.append((c, m + 1))
        self.rng.shuffle(slots)
        for i, (c, m) in enumerate(slots):
            self._recurring_invoice(RECURRING[c], m, i < count)

    def _recurring_invoice(self, contract: tuple, month: int, upload: bool) -> None:
        sign, legal, country, account, creditor, _, amount, var, dd_day, lead, fmt = contract
        r = self.rng
        debit_day = date(2025, month, dd_day)
        issue = debit_day - timedelta(days=lead + r.randrange(0, 3))
        cents = max(1000, int(amount * math.exp(r.gauss(0, var)))) if var else amount
        number = self._next_number(f"rec{sign}", fmt, issue)
        rum = f"RUM {zlib.crc32(sign.encode()) % 10**8:08d}"
        if account == BXL and sign == "Immo Sablon":
            tx = self.books.standing_order(
                legal,
                cents,
                debit_day,
                f"LOYER {debit_day:%m/%Y} SABLON 12",
                iban_for(legal, country),
            )
        else:
            reference = (
                f"{number} {rum}"
                if account != BXL
                else f"{structured_communication(zlib.crc32(number.encode()))} {rum}"
            )
            tx = self.books.direct_debit(account, creditor, cents, debit_day, reference=reference)
        if upload:
            doc = self._invoice(
                sign, legal, country, cents, "EUR", issue, number, due=debit_day, iban=False
            )
            self._link(doc, tx, "boutique_recurring")

    def _services(self, count: int) -> None:
        if count <= 0:
            return
        slots = []
        for s, service in enumerate(SERVICES):
            months = range(10, 13) if service[0] == "Adecco" else range(1, 13, service[7])
            for m in months:
                slots.append((s, m))
        self.rng.shuffle(slots)
        for i, (s, m) in enumerate(slots):
            self._service_invoice(SERVICES[s], m, i < count)

    def _service_invoice(self, service: tuple, month: int, upload: bool) -> None:
        sign, legal, country, account, amount, var, fmt, _ = service
        r = self.rng
        issue = last_business_of_month(date(2025, month, 1))
        cents = max(5000, int(amount * math.exp(r.gauss(0, var)))) if var else amount
        number = self._next_number(f"svc{sign}", fmt, issue)
        due = issue + timedelta(days=30 if country == "FR" else 15)
        pay_day = issue + timedelta(days=r.randrange(5, 35))
        iban = iban_for(legal, country)
        if account == BXL:
            reference = structured_communication(zlib.crc32(number.encode()))
        else:
            reference = r.choice(
                (number, f"Facture {number}", f"{sign} {issue:%m/%Y}", f"Honoraires {issue:%m/%Y}")
            )
        tx = self.books.transfer_out(
            account, sign if r.random() < 0.7 else legal, cents, pay_day, reference, iban
        )
        if upload:
            doc = self._invoice(sign, legal, country, cents, "EUR", issue, number, due=due)
            self._link(doc, tx, "services_transfer")

    # ---- travel

    def _trade_fairs(self, count: int) -> None:
        if count <= 0:
            return
        r = self.rng
        made = 0
        for fair in FAIRS:
            if fair.organizer is not None and made < count:
                made += self._stand(fair)
        weights = [f.staff * ((f.end - f.start).days + 2) for f in FAIRS]
        while made < count:
            fair = r.choices(FAIRS, weights=weights)[0]
            made += self._fair_expense(fair, paid=True)

    def _stand(self, fair: Fair) -> int:
        """The organizer's invoice for the stand, paid by transfer weeks before."""
        sign, legal, country, cents = fair.organizer  # type: ignore[misc]
        r = self.rng
        issue = fair.start - timedelta(days=r.randrange(70, 120))
        number = self._next_number(f"stand{legal}", "EXP-{y}-{n:05d}", issue)
        pay_day = issue + timedelta(days=r.randrange(5, 30))
        reference = f"STAND {sign.upper()} {number}"
        if fair.currency == "EUR":
            tx = self.books.transfer_out(
                CFA, legal, cents, pay_day, reference, iban_for(legal, country)
            )
            currency = "EUR"
        else:  # invoiced in pounds, paid from Nova in pounds (fee included)
            cents = cents * 86 // 100
            eur = convert(cents, self.books.rate(fair.currency, pay_day) * 995 // 1000) + 500
            tx = self.books.swift_out(NOVA, legal, eur, pay_day, reference, (cents, fair.currency))
            currency = fair.currency
        doc = self._invoice(sign, legal, country, cents, currency, issue, number)
        self._link(doc, tx, "trade_fair")
        return 1

    def _fair_expense(self, fair: Fair, paid: bool) -> int:
        """One expense of a staff member at `fair`; `paid` False: cash or personal card."""
        r = self.rng
        shop = r.choice(fair.shops)
        tz = ZoneInfo(fair.tz)
        span = (fair.end - fair.start).days + 2
        day = fair.start - timedelta(days=1) + timedelta(days=r.randrange(span))
        profile = shop.profile
        if profile in ("train", "flight"):
            return self._fair_ticket(fair, shop, paid)
        currency = fair.currency
        total = self._price(profile, fair.factor)
        if profile == "hotel":
            total = self._price("hotel", fair.factor * 1.3) * r.choice((1, 2, 3, 4))
            moment = self._moment(day, tz, 7, 11)
        elif profile == "restaurant":
            moment = self._moment(day, tz, 12, 23)
        else:
            moment = self._moment(day, tz, 7, 22)
        debit = total
        if profile in ("restaurant", "taxi") and r.random() < fair.tip:
            debit = total + max(100, (total // 1000 + r.choice((0, 1))) * 100)
        tx = None
        if paid:
            account, card = (NOVA, "") if r.random() < 0.88 else (CFA, DEFERRED_CARD)
            tx = self.books.card(account, shop.desc, debit, currency, moment, card=card)
        number = f"{r.randrange(10**5, 10**7)}" if r.random() < 0.6 else None
        doc_type = "invoice" if profile == "hotel" else "receipt"
        vat = (
            vat_for(shop.legal, shop.country) if shop.country in ("FR", "DE", "IT", "BE") else None
        )
        doc = self._receipt(
            shop.sign,
            shop.legal,
            total,
            currency,
            moment,
            vat=vat,
            number=number,
            photo=profile != "hotel" or r.random() < 0.5,
            doc_type=doc_type,
        )
        self._link(doc, tx, "trade_fair" if paid else "cash_personal", paid=paid)
        return 1

    def _fair_ticket(self, fair: Fair, shop: Shop, paid: bool) -> int:
        r = self.rng
        travellers = r.randrange(1, fair.staff + 1)
        total = self._price(shop.profile) * travellers
        bought = fair.start - timedelta(days=r.randrange(7, 50))
        moment = self._moment(bought, PARIS, 7, 23)
        tx = self.books.card(NOVA, shop.desc, total, "EUR", moment) if paid else None
        number = "".join(r.choice("ABCDEFGHJKLMNPQRSTUVWXYZ") for _ in range(6))
        doc = self._receipt(
            shop.sign,
            shop.legal,
            total,
            "EUR",
            moment,
            vat=vat_for(shop.legal, shop.country) if shop.country == "FR" else None,
            number=number,
            photo=False,
        )
        self._link(doc, tx, "trade_fair" if paid else "cash_personal", paid=paid)
        return 1

    def _cash_personal(self, count: int) -> None:
        r = self.rng
        for _ in range(count):
            if r.random() < 0.4:
                self._fair_expense(r.choice(FAIRS), paid=False)
            else:
                shop = r.choices(LILLE_SHOPS, cum_weights=self.lille_weights)[0]
                if shop.profile in ("online", "packaging_big", "packaging"):
                    shop = CAFE
                day = self._pick_day(self.shop_days)
                moment = self._moment(day)
                total = self._price(shop.profile)
                doc = self._receipt(
                    shop.sign,
                    shop.legal,
                    total,
                    "EUR",
                    moment,
                    vat=vat_for(shop.legal, shop.country),
                )
                self._link(doc, None, "cash_personal", paid=False)
            if r.random() < 0.5:  # personal card: reimbursed with the month's expense report
                who = r.randrange(len(STAFF) - 2)
                key = (STAFF[who][0], r.randrange(1, 13))
                self.reimbursements[key] = self.reimbursements.get(key, 0) + r.randrange(800, 9000)

    # ---- everyday purchases

    def _small_purchases(self, count: int) -> None:
        for _ in range(count):
            self._small_purchase(self._pick_day(self.shop_days), upload=True)

    def _small_purchase(
        self, day: date, upload: bool, family: str = "small_purchase"
    ) -> dict | None:
        """A card purchase at a Lille or Brussels shop, and its receipt when `upload`."""
        r = self.rng
        if r.random() < 0.1:
            shop = r.choices(BXL_SHOPS, cum_weights=self.bxl_weights)[0]
            account, card = BXL, BXL_CARD
        else:
            shop = r.choices(LILLE_SHOPS, cum_weights=self.lille_weights)[0]
            account, card = (
                (NOVA, "")
                if r.random() < 0.75
                else (CFA, r.choice((DEFERRED_CARD, IMMEDIATE_CARD)))
            )
        if shop.sign == "Amazon":
            return self._amazon_order(
                day, account if account != BXL else NOVA, card, upload, family
            )
        start, end = (7, 11) if shop.profile in ("cafe", "bakery") else (9, 20)
        if shop.profile == "restaurant":
            start, end = 12, 22
        moment = self._moment(day, PARIS, start, end)
        total = self._price(shop.profile)
        debit = total
        if shop.profile in ("restaurant", "cafe") and r.random() < 0.08:
            debit += r.choice((50, 100, 150, 200, 300))
        tx = self.books.card(account, shop.desc, debit, "EUR", moment, card=card, city=shop.city)
        if not upload:
            return tx
        photo = shop.profile not in ("packaging", "packaging_big")
        number = f"{r.randrange(10**3, 10**6)}" if r.random() < 0.5 else None
        doc = self._receipt(
            shop.sign,
            shop.legal,
            total,
            "EUR",
            moment,
            vat=vat_for(shop.legal, shop.country),
            number=number,
            photo=photo,
            doc_type="receipt" if photo else "invoice",
        )
        self._link(doc, tx, family)
        return tx

    def _amazon_order(
        self, day: date, account: str, card: str, upload: bool, family: str
    ) -> dict | None:
        r = self.rng
        code = "".join(r.choice("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789") for _ in range(9))
        desc = f"AMZN Mktp FR*{code}" if r.random() < 0.8 else f"Amazon.fr*{code}"
        moment = self._moment(day, PARIS, 6, 23)
        total = self._price("online")
        tx = self.books.card(account, desc, total, "EUR", moment, card=card or IMMEDIATE_CARD)
        if not upload:
            return tx
        seller, country, _ = r.choices(AMAZON_SELLERS, weights=[s[2] for s in AMAZON_SELLERS])[0]
        number = (
            f"FR{r.randrange(10**9):09d}AEUI"
            if seller.startswith("Amazon")
            else f"INV-FR-{r.randrange(10**8)}"
        )
        doc = self._receipt(
            seller,
            seller,
            total,
            "EUR",
            moment + timedelta(days=r.choice((0, 0, 1))),
            vat=vat_for(seller, country) if country != "CN" else None,
            number=number,
            photo=False,
            doc_type="invoice",
        )
        self._link(doc, tx, family)
        return tx

    # ---- duplicates and out of period

    def _duplicates(self, count: int) -> None:
        r = self.rng
        sources = [
            d
            for d in self.docs
            if d["_tx"] is not None
            and d["_family"]
            in (
                "small_purchase",
                "trade_fair",
                "ads_threshold",
                "saas",
                "shipping_label",
                "supplier_invoice",
                "boutique_recurring",
            )
        ]
        if not sources:
            return
        for _ in range(count):
            original = r.choice(sources)
            copy = {k: v for k, v in original.items() if not k.startswith("_")}
            x = r.random()
            if x < 0.5:  # the same file again
                later = original["_key"] + timedelta(
                    days=r.randrange(0, 20), hours=r.randrange(1, 24)
                )
            else:  # photographed or extracted again
                later = original["_key"] + timedelta(
                    days=r.randrange(0, 30), hours=r.randrange(1, 24)
                )
                copy["checksum"] = self._checksum()
                if "supplier_name" in copy and r.random() < 0.5:
                    copy["supplier_name"] = slip(r, copy["supplier_name"])
                if x > 0.85 and original["_family"] in ("saas", "ads_threshold"):
                    copy["document_type"] = "receipt"  # the payment receipt after the invoice
                    copy.pop("invoice_number", None)
            if "received_at" in copy or r.random() < 0.5:
                copy["received_at"] = later.isoformat()
            copy["_key"] = later
            self._link(copy, None, "duplicate", paid=False)

    def _out_of_period(self, count: int) -> None:
        r = self.rng
        start = self.produced["out_of_period"]
        attempts = 0
        while self.produced["out_of_period"] - start < count and attempts < 20 * count + 20:
            attempts += 1
            x = r.random()
            if x < 0.45:  # a December 2024 receipt uploaded in January
                day = date(2024, 12, r.randrange(1, 32))
                if day.weekday() < 6 and day != date(2024, 12, 25):
                    self._small_purchase(day, upload=True)
            elif x < 0.8:  # an invoice of December 2025 due in 2026
                sup = self._supplier()
                issue = self._issue_day(date(2025, 12, 1))
                total = self._amount(sup.median)
                number = self._next_number(sup.legal, sup.number, issue)
                due = due_from_terms(issue, sup.terms)
                tx = self._pay_supplier(
                    sup, total, due + timedelta(days=self._lateness()), [number]
                )
                doc = self._sup_doc(sup, total, issue, number, due=due)
                self._link(doc, tx, "supplier_invoice")
            else:  # a card payment of the last days booked in January 2026
                day = date(2025, 12, r.randrange(27, 32))
                self._small_purchase(day, upload=True)

    # ---- noise

    def _calendar_noise(self) -> None:
        """Salaries, social charges, taxes, loan, fees, inter-account transfers."""
        b = self.books
        r = self.rng
        for month in range(1, 13):
            first = date(2025, month, 1)
            self._payroll(month)
            b.direct_debit(
                CFA,
                "URSSAF NORD PAS DE CALAIS",
                int(1550000 * r.uniform(0.93, 1.08)),
                date(2025, month, 15),
                reference=f"DSN {add_months(first, -1):%m%Y} ICS FR29ZZZ213851",
            )
            b.direct_debit(
                CFA,
                "MALAKOFF HUMANIS AGIRC ARRCO",
                int(360000 * r.uniform(0.95, 1.05)),
                date(2025, month, 15),
                reference=f"COTISATIONS {add_months(first, -1):%m/%Y}",
            )
            b.direct_debit(
                CFA,
                "DGFIP PAS",
                int(180000 * r.uniform(0.9, 1.1)),
                date(2025, month, 15),
                reference=f"PAS {add_months(first, -1):%m/%Y} SIREN {ORG_SIREN}",
            )
            b.direct_debit(
                CFA,
                "DGFIP TVA",
                int(1200000 * MONTH_WEIGHT[(month - 2) % 12] * r.uniform(0.8, 1.2)),
                date(2025, month, 21),
                reference=f"TVA CA3 {add_months(first, -1):%m/%Y}",
            )
            b.direct_debit(
                NOVA,
                "ALAN SA",
                int(95000 * r.uniform(0.98, 1.03)),
                date(2025, month, 5),
                reference=f"Alan {month:02d}/2025",
            )
            b.direct_debit(
                BXL,
                "ONSS RSZ",
                int(230000 * r.uniform(0.95, 1.05)),
                date(2025, month, 5),
                reference=structured_communication(820000000 + month),
            )
            b.fee(
                CFA,
                "ECHEANCE PRET 00912345678",
                186237,
                date(2025, month, 10),
                reference="PRET EQUIPEMENT FOUR",
            )
            b.fee(CFA, "COTISATION CONVENTION PRO", 3850, date(2025, month, 3))
            b.fee(
                NOVA, "NOVA", 11880, first, reference=f"Abonnement Nova Business {month:02d}/2025"
            )
            self._internal_transfer(
                CFA, NOVA, r.randrange(5, 21) * 100000, date(2025, month, r.randrange(2, 27))
            )
            self._internal_transfer(
                NOVA, BXL, r.randrange(2, 6) * 100000, date(2025, month, r.randrange(2, 27))
            )
            if month % 3 == 0:
                b.direct_debit(
                    CFA,
                    "DGFIP IS",
                    450000,
                    date(2025, month, 15),
                    reference=f"ACOMPTE IS {month // 3}/4",
                )
                b.fee(BXL, "FRAIS DE GESTION DU COMPTE", 2400, date(2025, month, 28))
        b.direct_debit(CFA, "DGFIP CFE", 124000, date(2025, 12, 15), reference="CFE 2025")
        for (name, month), cents in sorted(self.reimbursements.items()):
            b.transfer_out(
                NOVA,
                name,
                cents,
                last_business_of_month(date(2025, month, 1)),
                f"Note de frais {month:02d}/2025",
            )

    def _payroll(self, month: int) -> None:
        r = self.rng
        for name, net, account in STAFF:
            pay = (
                net
                + (net // 2 if month == 12 else 0)
                + r.choice((0, 0, 0, r.randrange(2000, 30000)))
            )
            self.books.transfer_out(
                account,
                name,
                pay,
                date(2025, month, 27),
                f"SALAIRE {month:02d}/2025",
                fr_iban(random.Random(zlib.crc32(name.encode()))),
            )

    def _internal_transfer(self, source: str, target: str, cents: int, day: date) -> None:
        self.books.transfer_out(source, ORG_NAME, cents, day, "Virement interne", ORG_IBANS[target])
        self.books.income(
            target,
            ORG_NAME,
            cents,
            day + timedelta(days=1 if source == CFA else 0),
            reference="Virement interne",
            iban=ORG_IBANS[source],
        )

    NOISE_KINDS = (
        ("card_known", 0.43),
        ("card_other", 0.12),
        ("label", 0.08),
        ("payout", 0.15),
        ("terminal", 0.10),
        ("b2b_income", 0.03),
        ("refund_out", 0.04),
        ("supplier_out", 0.03),
        ("bank_fee", 0.02),
    )

    def _fill_noise(self) -> None:
        remaining = self.n_tx - len(self.books.rows)
        if remaining < 0:
            self._trim(-remaining)
            return
        kinds = [k for k, _ in self.NOISE_KINDS]
        weights = [w for _, w in self.NOISE_KINDS]
        makers = {
            "card_known": self._noise_card_known,
            "card_other": self._noise_card_other,
            "label": self._noise_label,
            "payout": self._noise_payout,
            "terminal": self._noise_terminal,
            "b2b_income": self._noise_b2b,
            "refund_out": self._noise_refund,
            "supplier_out": self._noise_supplier,
            "bank_fee": self._noise_fee,
        }
        target = self.n_tx
        guard = 0
        while len(self.books.rows) < target and guard < 4 * self.n_tx + 100:
            guard += 1
            makers[self.rng.choices(kinds, weights=weights)[0]]()
        if len(self.books.rows) > target:
            self._trim(len(self.books.rows) - target)

    def _trim(self, excess: int) -> None:
        linked = {id(d["_tx"]) for d in self.docs if d["_tx"] is not None}
        free = [i for i, row in enumerate(self.books.rows) if id(row[2]) not in linked]
        drop = set(self.rng.sample(free, min(excess, len(free))))
        self.books.rows = [row for i, row in enumerate(self.books.rows) if i not in drop]

    def _noise_card_known(self) -> None:
        tx = self._small_purchase(self._pick_day(self.shop_days), upload=False)
        if tx is not None and self.rng.random() < 0.03:
            tx["has_attachment"] = True

    def _noise_card_other(self) -> None:
        r = self.rng
        desc, profile, _ = r.choices(OTHER_CARD, weights=[o[2] for o in OTHER_CARD])[0]
        day = self._pick_day(YEAR_DAYS)
        account = NOVA if r.random() < 0.8 else CFA
        refund = r.random() < 0.03
        self.books.card(
            account,
            desc,
            self._price(profile),
            "EUR",
            self._moment(day, PARIS, 6, 23),
            card=IMMEDIATE_CARD,
            refund=refund,
        )

    def _noise_label(self) -> None:
        carrier = self.rng.choices(LABEL_CARRIERS, weights=[c[4] for c in LABEL_CARRIERS])[0]
        self._label(carrier, self._moment(self._season_day(), PARIS, 9, 18), False)

    def _noise_payout(self) -> None:
        r = self.rng
        day = self._season_day()
        x = r.random()
        if x < 0.45:
            cents = int(
                250000 * self.season[day.timetuple().tm_yday - 1] * 365 * r.lognormvariate(0, 0.5)
            )
            self.books.income(
                NOVA,
                "STRIPE PAYMENTS EUROPE",
                max(cents, 1000),
                day,
                reference=f"STRIPE PAYOUT po_1{r.getrandbits(60):015X}",
            )
        elif x < 0.7:
            cents = int(60000 * r.lognormvariate(0, 0.6))
            self.books.income(
                NOVA, "ETSY IRELAND UC", max(cents, 500), day, reference="Etsy Payments deposit"
            )
        elif x < 0.88:
            market = r.choice(("FR", "DE", "IT", "ES", "NL", "BE"))
            self.books.income(
                CFA,
                "AMAZON PAYMENTS EUROPE",
                int(180000 * r.lognormvariate(0, 0.6)),
                day,
                reference=f"AMAZON.{market} SETTLEMENT {r.randrange(10**10, 10**11)}",
            )
        else:
            self.books.income(
                NOVA,
                "PAYPAL EUROPE SARL",
                int(40000 * r.lognormvariate(0, 0.6)),
                day,
                reference=f"PAYPAL {r.randrange(10**9, 10**10)}",
            )

    def _noise_terminal(self) -> None:
        r = self.rng
        day = self._pick_day(self.shop_days)
        if r.random() < 0.6:
            cents = int(85000 * MONTH_WEIGHT[day.month - 1] * r.lognormvariate(0, 0.5))
            self.books.income(
                CFA, "", cents, add_business(day, 1), label=f"REMISE CB {day:%d/%m} TPE 5512345"
            )
        else:
            cents = int(60000 * MONTH_WEIGHT[day.month - 1] * r.lognormvariate(0, 0.5))
            self.books.income(
                BXL,
                "WORLDLINE SA/NV",
                cents,
                add_business(day, 1, HOLIDAYS_BE),
                reference=f"BANCONTACT {day:%d/%m/%Y} TERMINAL 60123456",
                label="WORLDLINE SA/NV",
            )

    def _noise_b2b(self) -> None:
        r = self.rng
        sign, legal, country = r.choice(STOCKISTS)
        cents = self._amount(90000, 0.6) // 100 * 100
        self.books.income(
            CFA,
            legal,
            cents,
            self._pick_day(self.business_days),
            reference=f"{sign} commande {r.randrange(100, 999)}",
            iban=iban_for(legal, country),
        )

    def _noise_refund(self) -> None:
        r = self.rng
        self.books.transfer_out(
            NOVA,
            self._customer(),
            self._order_total(),
            self._pick_day(YEAR_DAYS),
            f"Remboursement commande #LN{r.randrange(10000, 40000)}",
            fr_iban(r),
        )

    def _noise_supplier(self) -> None:
        sup = self._supplier()
        day = self._pick_day(self.business_days)
        number = self._next_number(sup.legal, sup.number, day)
        self._pay_supplier(sup, self._amount(sup.median), day, [number])

    def _noise_fee(self) -> None:
        r = self.rng
        day = self._pick_day(self.business_days)
        label, cents = r.choice(
            (
                ("COMMISSION D INTERVENTION", 800),
                ("FRAIS REJET PRLV", 2000),
                ("FRAIS VIREMENT INSTANTANE", 100),
                ("FRAIS ENVOI CHEQUIER", 450),
            )
        )
        self.books.fee(CFA, label, cents, day)

    # ---- output

    def _finish(self) -> Dataset:
        # (imported here: bench.matching imports this module to offer its style)
        from bench.matching import Dataset

        rng = self.rng
        rows = sorted(self.books.rows, key=lambda row: (row[0], row[1]))
        tx_ids: dict[int, str] = {}
        transactions = []
        for _, _, row in rows:
            ident = self._new_id("tx_", 16)
            tx_ids[id(row)] = ident
            transactions.append({"id": ident, **row})
        order = sorted(((d["_key"], rng.random(), i) for i, d in enumerate(self.docs)))
        documents = []
        truth: dict[str, str | None] = {}
        family: dict[str, str] = {}
        sales: set[str] = set()
        for _, _, i in order:
            doc = self.docs[i]
            ident = self._new_id("doc_", 12)
            documents.append(
                {"id": ident, **{k: v for k, v in doc.items() if not k.startswith("_")}}
            )
            tx = doc["_tx"]
            truth[ident] = tx_ids.get(id(tx)) if tx is not None else None
            family[ident] = doc["_family"]
            if doc["_sales"]:
                sales.add(ident)
        organization = {
            "name": ORG_NAME,
            "vat": ORG_VAT,
            "siren": ORG_SIREN,
            "ibans": [ORG_IBANS[NOVA], ORG_IBANS[CFA], ORG_IBANS[BXL]],
        }
        return Dataset(
            organization=organization,
            transactions=transactions,
            documents=documents,
            truth=truth,
            sales_ids=sales,
            family=family,
        )

    def _new_id(self, prefix: str, width: int) -> str:
        while True:
            ident = f"{prefix}{self.rng.getrandbits(width * 4):0{width}x}"
            if ident not in self.used_ids:
                self.used_ids.add(ident)
                return ident
