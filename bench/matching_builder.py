"""Benchmark data of a building-trades company: plumbing, heating, electrical renovation.

Design note. Maréchal Énergies Bâtiment SAS has about 25 staff, its head office in
Saint-Priest near Lyon, job sites around Rhône-Alpes and now and then in Geneva (CHF)
and Turin. One calendar year, 2025, on two accounts:

- ``acc-crb``, a traditional French bank: supplier transfers (``VIR SEPA EMIS ...``),
  SEPA direct debits (``PRLV SEPA ...``) and four company cards, whose lines are dated
  on their booking day (midnight, one to three business days late) and read
  ``FACTURE CARTE DU 120325 <name field> <town> CARTE 4974XXXXXXXX4821``, plus a
  commission line for every card payment outside the euro zone;
- ``acc-neo``, a business neo-bank: fourteen employee cards showing the plain
  card-network name field (22 characters, often behind ``SUMUP *``, ``SQ *``,
  ``ZETTLE_*``, ``PAYPAL *``, ``STRIPE*``) with the time of payment and a posting date.

Document families (share of the documents; truth None where no payment is on the
statement):

- fuel 16 %: station receipts (chains with station numbers, motorway stations,
  independents); many similar amounts, some round pre-paid ones; nearly a third of
  the Pétral receipts are paid with the Pétral fuel card (None: on its monthly statement);
- toll 9 %: motorway receipts under the brand while the bank shows the operator,
  the same route at the same price on neighbouring days; a quarter paid with the
  toll badge (None);
- counter 12 %: builders' merchants and hardware counters (branch numbers),
  photographed receipts or emailed counter invoices, some discounts, some cash (None);
- account_invoice 6 %: monthly account statements of trade counters paid by
  transfer or direct debit weeks later (December's fall in 2026: None), and the
  counter tickets of purchases on account (None);
- meal 13 %: lunch near job sites (bakeries, cafés, restaurants), tips on some card
  payments, a fifth paid in cash (None), legal names in some descriptors;
- recurring 7 %: van leases, phones, internet, insurance, fuel-card and toll-badge
  statements, software, accountant, energy, rent: the same amount month after month,
  invoice issued days before the debit (January 2026's invoices: None);
- subcontractor 7 %: invoices and progress invoices (situations), 5 % retention
  (transfer of 95 %, the 5 % released months later), deposit invoices deducted from
  the final one (``amount_due``), grouped transfers and partial payments (None);
- rental 3 %: equipment rental with a card deposit held and released, and monthly
  rentals on account paid by transfer;
- online 5 %: marketplace orders (PayPal or card) and subscriptions in EUR, USD and
  CHF (``local_amount``);
- abroad 5 %: Geneva receipts in CHF (card debits in EUR with ``local_amount``, tips,
  some cash: None) and Turin receipts in EUR;
- credit_note 2.5 %: returns refunded on the card or by transfer, credit notes
  offset on a later invoice (None);
- sales 4 %: the company's own invoices to its clients (None), some paid in by them;
- attached 2 %: receipts whose debit already carries an attachment (None);
- off_statement 5.5 %: cash, personal cards, private expenses, unpaid invoices (None),
  many next to a same-amount debit elsewhere that day;
- duplicate 3 %: a document uploaded again later (the later copy None).

Photographed receipts carry OCR damage (letters lost, doubled or changed, words glued,
first word only, capitals, name missing; now and then a misread date); PDF invoices
carry clean names, invoice numbers and often the supplier's IBAN and VAT number. About
nine transactions in ten have no document: card spending without receipt at the same
shops, stations and toll gates, salaries, URSSAF and taxes, client payments,
internal transfers, cash withdrawals, bank fees. No two documented purchases share a
shop, an amount and a day, and neither does an undocumented one with a document.

Written from the product brief only, without reading the matching engine, its rules or
the other generators.
"""

from __future__ import annotations

import math
import random
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from itertools import accumulate
from typing import Any
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")
CENT = Decimal("0.01")
YEAR = 2025
START, END = date(YEAR, 1, 1), date(YEAR, 12, 31)
TRAD, NEO = "acc-crb", "acc-neo"

ORG_NAME = "Maréchal Énergies Bâtiment SAS"
ORG_NAMES = (
    ORG_NAME,
    "MARECHAL ENERGIES BATIMENT",
    "Maréchal Énergies",
    "M.E.B. Maréchal Énergies",
)

FAMILIES: tuple[tuple[str, float], ...] = (
    ("fuel", 0.16),
    ("toll", 0.09),
    ("counter", 0.12),
    ("account_invoice", 0.06),
    ("meal", 0.13),
    ("recurring", 0.07),
    ("subcontractor", 0.07),
    ("rental", 0.03),
    ("online", 0.05),
    ("abroad", 0.05),
    ("credit_note", 0.025),
    ("sales", 0.04),
    ("attached", 0.02),
    ("off_statement", 0.055),
    ("duplicate", 0.03),  # last: copies documents made before
)
# Families present in every data set of at least MIN_FOR_ALL documents.
ALWAYS = ("sales", "duplicate", "attached", "off_statement", "credit_note", "subcontractor")
MIN_FOR_ALL = 40

HOLIDAYS = frozenset(
    date(*d)
    for d in (
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
ALL_DAYS = tuple(START + timedelta(days=i) for i in range((END - START).days + 1))
WORKDAYS = tuple(d for d in ALL_DAYS if d.weekday() < 5 and d not in HOLIDAYS)

# Monthly means, 2025: diesel at the pump (EUR/l), euros for one franc, for one dollar.
DIESEL = (1.712, 1.725, 1.668, 1.618, 1.596, 1.628, 1.651, 1.634, 1.642, 1.663, 1.684, 1.641)
EUR_PER_CHF = (1.064, 1.062, 1.049, 1.071, 1.072, 1.066, 1.071, 1.065, 1.069, 1.076, 1.074, 1.071)
EUR_PER_USD = (0.962, 0.957, 0.925, 0.889, 0.886, 0.871, 0.858, 0.861, 0.853, 0.861, 0.866, 0.856)

FIRST_NAMES = (
    "Julien", "Karim", "Sébastien", "Nicolas", "Mehdi", "Thomas", "Ludovic", "Anthony",
    "Yanis", "Kévin", "Jérôme", "Bruno", "Pascal", "Sandrine", "Nadia", "Céline", "Florian",
    "Romain", "Hugo", "Paulo", "Adrien", "Damien", "Fabien", "Mickaël", "Rachid", "Émilie",
    "Laurent", "Samir", "Cédric", "Vincent",
)  # fmt: skip
SURNAMES = (
    "Giraud", "Morel", "Fabre", "Chaput", "Vial", "Bonnet", "Roux", "Perrin", "Mercier",
    "Blanc", "Guichard", "Faure", "Chevalier", "Gauthier", "Berthet", "Perret", "Jacquet",
    "Brun", "Rey", "Baland", "Ferreira", "Da Silva", "Benali", "Lopes", "Marchand",
    "Dumoulin", "Rochas", "Teyssier", "Bouvier", "Pralong", "Coste", "Duplat", "Veyron",
    "Mathelin", "Goncalves", "Haddad", "Arnaud", "Ollier", "Sarrazin", "Tardy",
)  # fmt: skip
IT_SURNAMES = ("Rossi", "Ferrero", "Bianchi", "Colombo", "Gallo", "Greco", "Marino", "Costa")
NOUNS = (
    "Marché", "Port", "Pont", "Canal", "Centre", "Stade", "Parc", "Château", "Moulin",
    "Viaduc", "Carrefour", "Rhône", "Lavoir", "Tilleul", "Beffroi", "Quai", "Faubourg",
    "Plateau", "Cèdre", "Gymnase",
)  # fmt: skip
PLURALS = (
    "Artisans", "Compagnons", "Routiers", "Halles", "Platanes", "Canuts", "Traboules",
    "Remparts", "Voyageurs", "Tanneurs",
)  # fmt: skip
ITALIAN = ("Bella Vista", "Da Marco", "Il Forno", "Napoli", "Sole Mio", "Vesuvio", "Da Gino")

# (pattern, kind): kind sets the price per head.
MEAL_PATTERNS = (
    ("Boulangerie {surname}", "bakery"),
    ("Boulangerie du {noun}", "bakery"),
    ("Au Fournil de {first}", "bakery"),
    ("Les Délices de {first}", "bakery"),
    ("Le Bistrot des {plural}", "restaurant"),
    ("Brasserie du {noun}", "restaurant"),
    ("Chez {first}", "restaurant"),
    ("Le Relais des {plural}", "restaurant"),
    ("Pizzeria {it}", "restaurant"),
    ("La Table de {first}", "restaurant"),
    ("Le Comptoir des {plural}", "restaurant"),
    ("L'Atelier du {noun}", "restaurant"),
    ("Café du {noun}", "cafe"),
    ("Bar-Tabac du {noun}", "cafe"),
    ("Snack du {noun}", "snack"),
    ("Kebab du {noun}", "snack"),
)
MEAL_PRICE = {
    "bakery": (5.2, 10.9),
    "restaurant": (13.5, 23.0),
    "cafe": (2.4, 7.5),
    "snack": (7.5, 13.0),
}
FACILITATORS = ("SUMUP *", "SQ *", "ZETTLE_*", "PAYPAL *")
FACILITATOR_CUM = tuple(accumulate((5, 3, 3, 1)))

SITE_TOWNS = (
    ("Lyon", 10), ("Villeurbanne", 6), ("Vénissieux", 4), ("Saint-Priest", 4), ("Bron", 3),
    ("Décines-Charpieu", 2), ("Meyzieu", 2), ("Vaulx-en-Velin", 2), ("Caluire-et-Cuire", 2),
    ("Oullins", 2), ("Givors", 1), ("Vienne", 2), ("Bourgoin-Jallieu", 2),
    ("Villefranche-sur-Saône", 2), ("Grenoble", 2), ("Chambéry", 1), ("Annecy", 1),
    ("Saint-Étienne", 2), ("Bourg-en-Bresse", 1), ("L'Isle-d'Abeau", 1), ("Rive-de-Gier", 1),
    ("Tarare", 1), ("Neuville-sur-Saône", 1), ("Annemasse", 1), ("Mâcon", 1),
)  # fmt: skip

# Fuel chains: receipt names, name field, price offset (EUR/l), fuel card accepted.
STATION_CHAINS = (
    (("PETRAL", "Relais Pétral {town}", "Pétral Énergies"), "PETRAL {no:05d}", 0.02, True),
    (("AZURA ÉNERGIES", "Azura Station {town}"), "AZURA ST{no:04d}", 0.0, False),
    (("Hyper Capri", "CAPRI Carburants {town}"), "CAPRI CARBU {no:03d}", -0.07, False),
)
MOTORWAY_STATIONS = (("A43", "L'Isle-d'Abeau"), ("A7", "Vienne"), ("A6", "Villefranche"),
                     ("A48", "Voreppe"), ("A41", "Chambéry"), ("A42", "Pérouges"))  # fmt: skip

# Toll gates: (gate, price for a van, class 2, in EUR, operator).
TOLL_GATES = (
    ("Vienne", "5.90", "seara"), ("Villefranche", "4.60", "seara"), ("Bourgoin", "7.80", "seara"),
    ("Villefontaine", "2.90", "seara"), ("Mâcon Sud", "12.70", "seara"),
    ("Voreppe", "19.40", "caa"), ("Chambéry", "26.30", "caa"), ("Annecy Nord", "29.80", "caa"),
    ("Bourg-en-Bresse", "13.60", "caa"), ("Annemasse", "33.10", "caa"),
    ("Saint-Quentin-Fallavier", "3.70", "seara"), ("Ambérieu", "9.20", "caa"),
)  # fmt: skip
TOLL_OPERATORS = {
    # brand printed on receipts, name field shown by the bank (gate appended for SEARA)
    "seara": (("Vialpes Autoroutes", "VIALPES"), "SEARA {gate}"),
    "caa": (("Alpiroute", "ALPIROUTE Autoroutes"), "CIE AUTOROUTES ALPES"),
}

# Builders' merchants: brand on receipts, legal name, name-field pattern, popularity.
MERCHANT_CHAINS = (
    ("CEDIPRO Sanitaire Chauffage", "Cedipro Distribution SAS", "CEDIPRO AG{no:03d}", 6),
    ("REXAMAT Électricité", "Rexamat SAS", "REXAMAT {no:04d}", 5),
    ("Batidépôt Matériaux", "Batidépôt SA", "BATIDEPOT {town}", 4),
    ("FRANTHERM Distribution", "Frantherm Distribution SARL", "FRANTHERM AG {no:02d}", 3),
    ("BRICOFORT", "Bricofort France SAS", "BRICOFORT {no:04d}", 4),
    ("OUTIPRO Fixations", "Outipro SARL", "OUTIPRO {town}", 2),
)
INDEPENDENT_COUNTERS = (
    "Quincaillerie {surname}", "Électricité Générale {surname}", "Sanitaire du {noun}",
    "Matériaux {surname} et Fils", "Comptoir de la Visserie",
)  # fmt: skip
RENTAL_CHAINS = (
    ("LOUMAT PRO", "Loumat Pro SAS", "LOUMAT PRO {no:03d}"),
    ("ALPELOC Location", "Alpeloc SA", "ALPELOC {town}"),
)
ONLINE_SHOPS = (
    # brand, legal name, card name field, city field, invoice prefix
    ("Outilmarket", "Outilmarket SAS", "OUTILMARKET.FR", "PARIS", "OM"),
    ("Elecdirect", "Elecdirect.com SARL", "ELECDIRECT", "0478451290", "ED"),
    ("Plombshop", "Plombshop.fr SAS", "PLOMBSHOP.FR", "NANTES", "PS"),
    ("Manobox", "Manobox EU SARL", "MANOBOX EU", "LUXEMBOURG", "MBX"),
)
# Subscriptions: supplier, name field, currency, prices.
SUBSCRIPTIONS = (
    ("Planboard Inc.", "PLANBOARD.IO", "USD", ("29.00", "49.00", "99.00")),
    ("Sitecam Inc.", "SITECAM INC", "USD", ("19.99", "39.99")),
    ("Geoplan AG", "GEOPLAN AG", "CHF", ("39.00", "59.00")),
    ("Devispro SAS", "STRIPE*DEVISPRO", "EUR", ("34.90", "59.90")),
)
SWISS_TOWNS = ("Genève", "Carouge", "Meyrin", "Vernier", "Lancy", "Plan-les-Ouates")
ITALIAN_TOWNS = ("Torino", "Moncalieri", "Rivoli", "Collegno", "Susa")
SUBCONTRACTOR_PATTERNS = (
    "{surname} Plâtrerie SARL", "Étanchéité {surname} & Fils", "Carrelage {surname} SARL",
    "Maçonnerie {surname} SAS", "SARL {surname} Peinture", "Menuiserie {surname}",
    "Isolation {surname} Rhône", "{surname} Terrassement SAS", "Froid Clim {surname} SARL",
    "Charpente {surname} et Cie", "Façades {surname} SAS", "Désamiantage {surname} Alpes",
)  # fmt: skip
SUPPLIER_PATTERNS = (
    "EPI Sécurité {surname}", "Garage Utilitaires {surname}", "Contrôle Technique {surname}",
    "Formation BTP {surname}", "Imprimerie {surname}", "Transports {surname} Frères",
    "Nettoyage Pro {surname}", "Levage {surname} Rhône", "Diagnostic {surname} Habitat",
)  # fmt: skip
CLIENT_PATTERNS = (
    "SCI Les {plural}", "Syndic {surname} Immobilier", "Résidence du {noun}",
    "{first} {surname}", "Mairie de {town}", "Rhône Habitat Social", "Clinique du {noun}",
    "SCI {surname} Patrimoine", "Copropriété Le {noun}", "{surname} Promotion SAS",
)  # fmt: skip

# Monthly contracts: kind, supplier, bank label, operation, account, debit day,
# amount range, monthly spread, invoice lead (days before the debit), quarterly.
CONTRACTS = (
    ("lease", "Locavan Pro Finance SAS", "LOCAVAN PRO FINANCE", "direct_debit", TRAD, 5,
     (380, 820), 0.0, 12, False),
    ("phone", "Altimobile Entreprises SA", "ALTIMOBILE ENTREPRISES", "direct_debit", TRAD, 12,
     (240, 520), 0.04, 9, False),
    ("internet", "Fibralp Pro", "FIBRALP PRO", "direct_debit", NEO, 3, (49, 95), 0.0, 6, False),
    ("insurance", "Assurbat Mutuelle", "ASSURBAT MUTUELLE", "direct_debit", TRAD, 1,
     (900, 1700), 0.0, 20, False),
    ("fuelcard", "Pétral Pro Cartes SAS", "PETRAL PRO CARTES", "direct_debit", TRAD, 10,
     (1500, 5200), 0.25, 9, False),
    ("badge", "Libertoll SAS", "LIBERTOLL", "direct_debit", NEO, 8, (160, 640), 0.3, 7, False),
    ("software", "Chantiersoft SAS", "STRIPE*CHANTIERSOFT", "card", NEO, 17, (99, 249), 0.0, 0,
     False),
    ("accounting", "Fidurex Expertise Comptable", "CABINET FIDUREX", "direct_debit", TRAD, 15,
     (420, 690), 0.0, 14, False),
    ("energy", "Énergie Rhône Pro", "ENERGIE RHONE PRO", "direct_debit", TRAD, 20, (160, 480),
     0.2, 12, False),
    ("rent", "SCI du Parc Technique", "SCI DU PARC TECHNIQUE", "transfer", TRAD, 2,
     (2900, 4100), 0.0, 25, False),
    ("skip", "Bennes du Rhône SARL", "BENNES DU RHONE", "direct_debit", TRAD, 25, (180, 900),
     0.35, 10, False),
    ("machinery", "Locaterm Équipements", "LOCATERM EQUIPEMENTS", "direct_debit", TRAD, 28,
     (600, 2400), 0.0, 15, True),
)  # fmt: skip
# Kinds that repeat when a large data set needs more contracts.
REPEATING_CONTRACTS = ("lease", "phone", "insurance", "machinery", "badge", "lease", "skip")

# Undocumented transactions, by kind and weight.
FILLERS = (
    ("fuel", 19), ("toll", 15), ("meal", 14), ("counter", 12), ("parking", 3),
    ("online", 3), ("abroad", 2), ("supplier", 5), ("debit", 2), ("expense_claim", 2),
    ("income", 9), ("internal", 2), ("atm", 1.5), ("fee", 1), ("hold", 0.8), ("refund", 0.8),
)  # fmt: skip
FILLER_CUM = tuple(accumulate(w for _, w in FILLERS))


# --- small helpers ------------------------------------------------------------------------


def cents(value: float) -> Decimal:
    """A drawn (float) amount as a Decimal of whole cents, at least one cent."""
    return Decimal(max(1, round(value * 100))).scaleb(-2)


def q(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def rate_decimal(rate: float) -> Decimal:
    return Decimal(f"{rate:.6f}")


def iso(moment: datetime) -> str:
    """A Paris wall-clock time as ISO 8601 with its offset (+01:00 or +02:00)."""
    return moment.replace(tzinfo=PARIS).isoformat()


def midnight(day: date) -> datetime:
    return datetime.combine(day, time())


def business_day(day: date) -> date:
    while day.weekday() >= 5 or day in HOLIDAYS:
        day += timedelta(days=1)
    return day


def add_business_days(day: date, n: int) -> date:
    for _ in range(n):
        day = business_day(day + timedelta(days=1))
    return day


def month_day(year: int, month: int, day: int) -> date:
    """`day` of a month (clamped to its length); month 13 is next January."""
    year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    last = (date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)).day
    return date(year, month, min(day, last))


def plain(text: str) -> str:
    """Upper case without accents nor punctuation, as bank lines are written."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"[^A-Za-z0-9*&./ -]+", " ", text).upper()
    return re.sub(r"\s+", " ", text).strip()


def name_field(name: str, prefix: str = "", width: int = 22) -> str:
    """The card network's merchant name field: cut to `width` characters."""
    return (prefix + plain(name))[:width].rstrip()


def luhn_digit(digits: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return str((10 - total % 10) % 10)


def fr_vat(siren: str) -> str:
    return f"FR{(12 + 3 * (int(siren) % 97)) % 97:02d}{siren}"


def iban(country: str, bban: str) -> str:
    digits = "".join(str(int(ch, 36)) for ch in bban + country + "00")
    return f"{country}{98 - int(digits) % 97:02d}{bban}"


def spaced(value: str) -> str:
    return " ".join(value[i : i + 4] for i in range(0, len(value), 4))


def allocate(total: int) -> dict[str, int]:
    """Documents per family: the shares of `total`, largest remainders first."""
    exact = [(name, total * share) for name, share in FAMILIES]
    counts = {name: int(x) for name, x in exact}
    order = sorted(range(len(exact)), key=lambda i: (int(exact[i][1]) - exact[i][1], i))
    for i in order[: total - sum(counts.values())]:
        counts[exact[i][0]] += 1
    if total >= MIN_FOR_ALL:
        for name in ALWAYS:
            if counts[name] == 0:
                counts[name], counts["fuel"] = 1, counts["fuel"] - 1
    return counts


# --- records --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Shop:
    """A place paid by card: receipt names, card name field, city field."""

    names: tuple[str, ...]
    field: str
    town: str
    kind: str = ""
    level: float = 0.0  # fuel price offset, or price level
    fuel_card: bool = False
    currency: str = "EUR"
    legal: str = ""

    @property
    def key(self) -> str:
        return f"{self.field}|{self.town}"


@dataclass(frozen=True, slots=True)
class Party:
    """A supplier, client or creditor paid (or paying) by transfer or direct debit."""

    name: str
    label: str
    iban: str
    vat: str | None


@dataclass(frozen=True, slots=True)
class Card:
    account: str
    last4: str
    holder: str


@dataclass(slots=True)
class Tx:
    account: str
    amount: Decimal
    counterparty: str
    op: str
    when: datetime
    key: float
    settled: datetime | None = None
    local_amount: Decimal | None = None
    local_currency: str | None = None
    reference: str | None = None
    iban: str | None = None
    attached: bool = False
    tid: str = ""

    def to_json(self) -> dict:
        out: dict[str, Any] = {
            "id": self.tid,
            "account_id": self.account,
            "amount": str(self.amount.quantize(CENT)),
            "currency": "EUR",
            "counterparty": self.counterparty,
            "operation_type": self.op,
            "emitted_at": iso(self.when),
        }
        if self.settled is not None:
            out["settled_at"] = iso(self.settled)
        if self.local_amount is not None:
            out["local_amount"] = str(self.local_amount)
            out["local_currency"] = self.local_currency
        if self.reference:
            out["reference"] = self.reference
        if self.iban:
            out["counterparty_iban"] = self.iban
        if self.attached:
            out["has_attachment"] = True
        return out


@dataclass(slots=True)
class Doc:
    data: dict
    family: str
    truth: Tx | None
    received: datetime
    key: float
    names: tuple[str, ...] = ()  # clean names, to OCR a copy again


@dataclass(frozen=True, slots=True)
class Contract:
    party: Party
    kind: str
    op: str
    account: str
    day: int
    base: Decimal
    spread: float
    lead: int
    quarterly: bool
    number: str
    creditor_id: str


# --- the generator --------------------------------------------------------------------------


class BuilderGenerator:
    """One year of a building-trades company's two bank accounts and its documents."""

    def __init__(self, n_docs: int, n_txs: int, seed: int):
        self.n_docs = n_docs
        self.n_txs = n_txs
        self.rng = random.Random(seed)
        self.txs: list[Tx] = []
        self.docs: list[Doc] = []
        self.taken: set[tuple[str, Decimal, date]] = set()
        self.numbers = 0

    def build(self):
        from bench.matching import Dataset

        self._world()
        self._documents()
        self._fill()
        return self._assemble(Dataset)

    # --- the world ----------------------------------------------------------------------

    def _world(self) -> None:
        self._organization()
        self._people()
        self._places()
        self._parties()

    def _organization(self) -> None:
        rng = self.rng
        base = f"{rng.randrange(10**7, 10**8):08d}"
        siren = base + luhn_digit(base)
        self.org_ibans = (self._fr_iban(), self._fr_iban())
        self.org = {
            "name": ORG_NAME,
            "vat": fr_vat(siren),
            "siren": siren,
            "ibans": list(self.org_ibans),
        }

    def _people(self) -> None:
        rng = self.rng
        names: list[str] = []
        while len(names) < 25:
            name = f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"
            if name not in names:
                names.append(name)
        self.staff = names
        self.staff_ibans = {name: self._fr_iban() for name in names}
        digits = [f"{rng.randrange(10000):04d}" for _ in range(18)]
        self.cards = [Card(TRAD, digits[i], names[i]) for i in range(4)]
        self.cards += [Card(NEO, digits[i], names[i]) for i in range(4, 18)]
        self.card_bin = f"49{rng.randrange(10**2, 10**3)}"
        towns, weights = zip(*SITE_TOWNS, strict=True)
        self.towns: tuple[str, ...] = towns
        self.town_cum = tuple(accumulate(weights))

    def _places(self) -> None:
        self.stations = self._stations()
        self.tolls = self._toll_gates()
        self.counters, self.counter_cum = self._counters()
        self.meal_shops = self._meal_shops()
        self.meal_cum = tuple(accumulate(1.0 / (rank + 6) for rank in range(len(self.meal_shops))))
        self.rental_shops = [self._branch(chain, "rental") for chain in RENTAL_CHAINS for _ in "ab"]
        self.online_shops = [
            Shop((brand, legal), field, city, "online", legal=legal)
            for brand, legal, field, city, _ in ONLINE_SHOPS
        ]
        self.parkings = [
            Shop((f"Parkipole {t}",), name_field(f"PARKIPOLE {t}"), plain(t)[:13], "parking")
            for t in self.towns[:12]
        ]
        self.swiss = self._swiss_shops()
        self.italian = self._italian_shops()
        self.private_shops = self._private_shops()

    def _stations(self) -> dict[str, list[Shop]]:
        rng = self.rng
        out: dict[str, list[Shop]] = {}
        for town in self.towns:
            shops = []
            for names, pattern, offset, card in rng.sample(STATION_CHAINS, rng.randint(1, 2)):
                no = rng.randrange(1, 30000 if "05d" in pattern else 999)
                shown = tuple(n.format(town=town) for n in names)
                shops.append(
                    Shop(
                        shown,
                        name_field(pattern.format(no=no)),
                        plain(town)[:13],
                        "fuel",
                        offset,
                        card,
                    )
                )
            shops.append(
                self._independent(
                    rng.choice(("Garage {surname}", "Station du {noun}", "Relais {surname} Auto")),
                    town,
                    "fuel",
                )
            )
            out[town] = shops
        out["motorway"] = [
            Shop(
                ("Routix", f"ROUTIX Aire de {area}"),
                name_field(f"ROUTIX {road} {area}"),
                plain(area)[:13],
                "fuel",
                0.21,
            )
            for road, area in MOTORWAY_STATIONS
        ]
        return out

    def _toll_gates(self) -> list[tuple[Shop, Decimal]]:
        out = []
        for gate, price, operator in TOLL_GATES:
            brands, pattern = TOLL_OPERATORS[operator]
            names = (*brands, f"{brands[0]} - Gare de {gate}")
            field = name_field(pattern.format(gate=plain(gate)))
            out.append((Shop(names, field, plain(gate)[:13], "toll"), Decimal(price)))
        return out

    def _counters(self) -> tuple[list[Shop], tuple[float, ...]]:
        rng = self.rng
        shops: list[Shop] = []
        weights: list[float] = []
        for chain in MERCHANT_CHAINS:
            for _ in range(rng.randint(3, 6)):
                shops.append(self._branch(chain[:3], "counter"))
                weights.append(chain[3])
        for _ in range(10):
            shops.append(
                self._independent(rng.choice(INDEPENDENT_COUNTERS), self._town(), "counter")
            )
            weights.append(1.2)
        return shops, tuple(accumulate(weights))

    def _branch(self, chain: Sequence, kind: str) -> Shop:
        brand, legal, pattern = chain[0], chain[1], chain[2]
        town = self._town()
        no = self.rng.randrange(1, 999 if "03d" in pattern or "04d" in pattern else 99)
        field = name_field(pattern.format(no=no, town=plain(town)))
        return Shop((brand, f"{brand} {town}", legal), field, plain(town)[:13], kind, legal=legal)

    def _independent(self, pattern: str, town: str, kind: str, currency: str = "EUR") -> Shop:
        rng = self.rng
        first, surname = rng.choice(FIRST_NAMES), rng.choice(SURNAMES)
        name = pattern.format(
            surname=surname,
            first=first,
            noun=rng.choice(NOUNS),
            plural=rng.choice(PLURALS),
            it=rng.choice(ITALIAN),
            town=town,
        )
        roll = rng.random()
        if roll < 0.12:  # the descriptor shows the legal entity, not the sign
            initials = "".join(w[0] for w in plain(name).split() if w[0].isalpha())[:4]
            legal = rng.choice(
                (
                    f"SARL {initials}",
                    f"SAS {surname} ET FILS",
                    f"{surname} {first}",
                    f"EURL {surname}",
                )
            )
            field = name_field(legal)
        elif roll < 0.5 and kind in ("meal", "counter", "fuel"):
            prefix = rng.choices(FACILITATORS, cum_weights=FACILITATOR_CUM)[0]
            field = name_field(name, prefix)
        else:
            field = name_field(name)
        level = rng.uniform(-0.04, 0.04) if kind == "fuel" else rng.uniform(0.85, 1.2)
        return Shop((name,), field, plain(town)[:13], kind, level, currency=currency)

    def _meal_shops(self) -> list[Shop]:
        rng = self.rng
        shops = []
        for _ in range(80 + self.n_docs // 25):
            pattern, kind = rng.choice(MEAL_PATTERNS)
            shop = self._independent(pattern, self._town(), "meal")
            shops.append(Shop(shop.names, shop.field, shop.town, kind, shop.level))
        return shops

    def _swiss_shops(self) -> list[Shop]:
        rng = self.rng
        patterns = (
            ("Café du {noun}", "restaurant"),
            ("Brasserie {surname}", "restaurant"),
            ("Restaurant Le {noun}", "restaurant"),
            ("Carbura {town}", "fuel"),
            ("Baumat SA {town}", "counter"),
            ("Quincaillerie Genevoise", "counter"),
            ("Parking {noun} SA", "parking"),
            ("Boulangerie {surname} Sàrl", "bakery"),
        )
        shops = []
        for pattern, kind in patterns * 3:
            shop = self._independent(pattern, rng.choice(SWISS_TOWNS), "meal", "CHF")
            shops.append(Shop(shop.names, shop.field, shop.town, kind, shop.level, currency="CHF"))
        return shops

    def _italian_shops(self) -> list[Shop]:
        rng = self.rng
        patterns = (
            ("Ristorante {it}", "restaurant"),
            ("Bar {it}", "cafe"),
            ("Ferramenta {surname}", "counter"),
            ("Carburanti {surname}", "fuel"),
            ("Autovie Piemontesi", "toll"),
            ("Trattoria {it}", "restaurant"),
        )
        shops = []
        for pattern, kind in patterns * 3:
            surname = rng.choice(IT_SURNAMES)
            shop = self._independent(
                pattern.replace("{surname}", surname), rng.choice(ITALIAN_TOWNS), "meal"
            )
            field = name_field(shop.names[0]) if kind == "toll" else shop.field
            shops.append(Shop(shop.names, field, shop.town, kind, shop.level))
        return shops

    def _private_shops(self) -> list[Shop]:
        patterns = (
            "Cave {surname}",
            "Jardinerie des {plural}",
            "Mode & Sport {town}",
            "Hyper Capri {town}",
            "Librairie du {noun}",
            "Fleurs {first}",
        )
        return [self._independent(p, self._town(), "private") for p in patterns * 3]

    def _parties(self) -> None:
        rng = self.rng
        docs = self.n_docs
        self.subcontractors = [
            self._party(p) for p in self._names(SUBCONTRACTOR_PATTERNS, max(6, docs // 90))
        ]
        self.suppliers = [self._party(p) for p in self._names(SUPPLIER_PATTERNS, 25)]
        self.clients = [
            self._party(p, vat=rng.random() < 0.5)
            for p in self._names(CLIENT_PATTERNS, 40 + docs // 40)
        ]
        self.chain_parties = {legal: self._party(legal) for _, legal, _, _ in MERCHANT_CHAINS}
        for _, legal, _ in RENTAL_CHAINS:
            self.chain_parties[legal] = self._party(legal)

    def _names(self, patterns: Sequence[str], n: int) -> list[str]:
        rng = self.rng
        out: list[str] = []
        for _ in range(n * 3):
            name = rng.choice(patterns).format(
                surname=rng.choice(SURNAMES),
                first=rng.choice(FIRST_NAMES),
                noun=rng.choice(NOUNS),
                plural=rng.choice(PLURALS),
                town=self._town(),
            )
            if name not in out:
                out.append(name)
            if len(out) == n:
                break
        return out

    def _party(self, name: str, vat: bool = True) -> Party:
        rng = self.rng
        base = f"{rng.randrange(10**7, 10**8):08d}"
        label = plain(name)
        if rng.random() < 0.2:  # the bank's beneficiary list holds an older, shorter name
            label = " ".join(label.split()[:2])
        return Party(
            name, label[:32], self._fr_iban(), fr_vat(base + luhn_digit(base)) if vat else None
        )

    def _fr_iban(self) -> str:
        rng = self.rng
        bank, branch, account = (
            rng.randrange(10000, 40000),
            rng.randrange(100000),
            rng.randrange(10**11),
        )
        key = 97 - (89 * bank + 15 * branch + 3 * account) % 97
        return iban("FR", f"{bank:05d}{branch:05d}{account:011d}{key:02d}")

    # --- random draws ---------------------------------------------------------------------

    def _town(self) -> str:
        return self.rng.choices(self.towns, cum_weights=self.town_cum)[0]

    def _card(self, account: str | None = None) -> Card:
        rng = self.rng
        if account is None:
            account = TRAD if rng.random() < 0.3 else NEO
        return rng.choice(self.cards[:4] if account == TRAD else self.cards[4:])

    def _day(self, last: date = END, weekend: float = 0.08, first: date = START) -> date:
        rng = self.rng
        pool = ALL_DAYS if rng.random() < weekend else WORKDAYS
        for _ in range(50):
            day = rng.choice(pool)
            if first <= day <= last:
                return day
        return first

    def _at(self, day: date, h0: int, h1: int) -> datetime:
        rng = self.rng
        return datetime.combine(
            day, time(rng.randrange(h0, h1), rng.randrange(60), rng.randrange(60))
        )

    def _lognormal(self, median: float, sigma: float, lo: float, hi: float) -> Decimal:
        value = self.rng.lognormvariate(math.log(median), sigma)
        return cents(min(hi, max(lo, value)))

    def _number(self) -> int:
        self.numbers += 1
        return self.numbers * 7 + self.rng.randrange(7)

    def _checksum(self) -> str:
        return f"{self.rng.getrandbits(256):064x}"

    def _rate(self, table: tuple[float, ...], day: date) -> float:
        return table[day.month - 1] * (1 + self.rng.uniform(-0.006, 0.006))

    # --- purchases at shops -----------------------------------------------------------------

    def _draw(self, kind: str, last: date = END) -> tuple[Shop, Decimal, datetime]:
        """A shop of `kind`, an amount and a moment of payment."""
        return getattr(self, f"_draw_{kind}")(last)

    def _draw_fuel(self, last: date) -> tuple[Shop, Decimal, datetime]:
        rng = self.rng
        town = "motorway" if rng.random() < 0.12 else self._town()
        shop = rng.choice(self.stations[town])
        day = self._day(last, 0.1)
        if rng.random() < 0.1:  # a round amount chosen at the pump
            return (
                shop,
                Decimal(rng.choice((30, 40, 50, 60, 80, 100))).quantize(CENT),
                self._at(day, 6, 20),
            )
        price = Decimal(f"{DIESEL[day.month - 1] + shop.level + rng.uniform(-0.02, 0.02):.3f}")
        litres = Decimal(f"{rng.uniform(15, 92):.2f}")
        return shop, q(price * litres), self._at(day, 6, 20)

    def _draw_toll(self, last: date) -> tuple[Shop, Decimal, datetime]:
        rng = self.rng
        shop, price = self.tolls[min(int(rng.expovariate(0.25)), len(self.tolls) - 1)]
        return shop, price, self._at(self._day(last, 0.04), 6, 19)

    def _draw_counter(self, last: date) -> tuple[Shop, Decimal, datetime]:
        shop = self.rng.choices(self.counters, cum_weights=self.counter_cum)[0]
        amount = self._lognormal(85, 1.0, 2.5, 3500)
        return shop, amount, self._at(self._day(last, 0.05), 7, 18)

    def _draw_meal(self, last: date) -> tuple[Shop, Decimal, datetime]:
        rng = self.rng
        shop = rng.choices(self.meal_shops, cum_weights=self.meal_cum)[0]
        lo, hi = MEAL_PRICE[shop.kind]
        heads = rng.choice((1, 1, 1, 2, 2, 3, 4, 5))
        amount = cents(sum(rng.uniform(lo, hi) for _ in range(heads)) * shop.level)
        day = self._day(last, 0.05)
        moment = (
            self._at(day, 6, 9)
            if shop.kind == "bakery" and rng.random() < 0.3
            else self._at(day, 11, 14)
        )
        return shop, amount, moment

    def _draw_parking(self, last: date) -> tuple[Shop, Decimal, datetime]:
        amount = cents(self.rng.choice((1.8, 2.4, 3.6, 4.2, 6.0, 7.5, 9.9, 12.0, 14.4)))
        return self.rng.choice(self.parkings), amount, self._at(self._day(last), 7, 18)

    def _draw_private(self, last: date) -> tuple[Shop, Decimal, datetime]:
        amount = self._lognormal(45, 0.9, 3, 600)
        return self.rng.choice(self.private_shops), amount, self._at(self._day(last, 0.5), 9, 19)

    def _purchase(self, kind: str, last: date = END) -> tuple[Shop, Decimal, datetime]:
        """A drawn purchase no other document or debit shares (shop, amount, day) with."""
        for _ in range(40):
            shop, amount, paid = self._draw(kind, last)
            if self._claim(shop, amount, paid.date()):
                break
        return shop, amount, paid

    def _claim(self, shop: Shop, amount: Decimal, day: date) -> bool:
        key = (shop.key, amount, day)
        if key in self.taken:
            return False
        self.taken.add(key)
        return True

    # --- transactions -----------------------------------------------------------------------

    def _tx(
        self, account: str, amount: Decimal, label: str, op: str, when: datetime, **extra: Any
    ) -> Tx | None:
        """A statement line, or None when it falls outside 2025 (not on the statement)."""
        if not START <= when.date() <= END:
            return None
        settled = extra.pop("settled", None)
        if settled is not None and settled.date() > END:
            settled = None  # still pending at the end of the statement
        tx = Tx(account, amount, label, op, when, self.rng.random(), settled, **extra)
        self.txs.append(tx)
        return tx

    def _card_tx(
        self,
        shop: Shop,
        amount: Decimal,
        paid: datetime,
        card: Card | None = None,
        local: Decimal | None = None,
        credit: bool = False,
    ) -> Tx | None:
        """A card payment (or refund) of `amount` euros; `local` in the shop's currency."""
        rng = self.rng
        card = card or self._card()
        signed = amount if credit else -amount
        extra: dict[str, Any] = {}
        if local is not None:
            extra = {"local_amount": local, "local_currency": shop.currency}
        if card.account == TRAD:
            booked = add_business_days(paid.date(), rng.choice((1, 1, 2, 2, 3)))
            head = "REMBOURSEMENT CARTE" if credit else "FACTURE CARTE"
            masked = f"{self.card_bin}XXXXXXXX{card.last4}"
            label = f"{head} DU {paid:%d%m%y} {shop.field} {shop.town} CARTE {masked}"
            tx = self._tx(TRAD, signed, label, "card", midnight(booked), **extra)
            if tx is not None and local is not None and not credit:
                fee = max(Decimal("0.35"), q(amount * Decimal("0.0275")))
                self._tx(
                    TRAD,
                    -fee,
                    f"COMMISSION CB HORS ZONE EURO {paid:%d%m%y} {shop.field}",
                    "card",
                    midnight(booked),
                )
            return tx
        label = shop.names[0] if rng.random() < 0.12 else shop.field
        posted = datetime.combine(
            paid.date() + timedelta(days=rng.choice((0, 1, 1, 1, 2, 3))),
            time(rng.randrange(4, 8), rng.randrange(60)),
        )
        return self._tx(NEO, signed, label, "card", paid, settled=max(posted, paid), **extra)

    def _transfer_out(
        self, party: Party, amount: Decimal, day: date, reference: str | None, account: str = TRAD
    ) -> Tx | None:
        day = business_day(day)
        if account == TRAD:
            return self._tx(
                TRAD,
                -amount,
                f"VIR SEPA EMIS {party.label}",
                "transfer",
                midnight(day),
                reference=reference,
                iban=party.iban,
            )
        return self._tx(
            NEO,
            -amount,
            party.name,
            "transfer",
            self._at(day, 8, 19),
            reference=reference,
            iban=party.iban,
        )

    def _transfer_in(
        self, party: Party, amount: Decimal, day: date, reference: str | None, account: str = TRAD
    ) -> Tx | None:
        day = business_day(day)
        if account == TRAD:
            return self._tx(
                TRAD,
                amount,
                f"VIR SEPA RECU /DE {party.label}",
                "income",
                midnight(day),
                reference=reference,
                iban=party.iban,
            )
        return self._tx(
            NEO,
            amount,
            party.name,
            "income",
            self._at(day, 7, 20),
            reference=reference,
            iban=party.iban,
        )

    def _direct_debit(
        self, party: Party, amount: Decimal, day: date, reference: str, account: str = TRAD
    ) -> Tx | None:
        day = business_day(day)
        if account == TRAD:
            return self._tx(
                TRAD,
                -amount,
                f"PRLV SEPA {party.label}",
                "direct_debit",
                midnight(day),
                reference=reference,
            )
        return self._tx(
            NEO, -amount, party.label, "direct_debit", self._at(day, 2, 8), reference=reference
        )

    # --- documents ------------------------------------------------------------------------

    def _emit(
        self,
        data: dict,
        family: str,
        truth: Tx | None,
        received: datetime,
        names: tuple[str, ...] = (),
    ) -> Doc:
        if self.rng.random() < 0.97:
            data["received_at"] = iso(received)
        doc = Doc(data, family, truth, received, self.rng.random(), names)
        self.docs.append(doc)
        return doc

    def _receipt(
        self,
        names: tuple[str, ...],
        day: date,
        total: Decimal,
        currency: str = "EUR",
        document_type: str = "receipt",
    ) -> dict:
        """A photographed receipt as the extractor reads it (OCR slips on name and date)."""
        rng = self.rng
        data: dict[str, Any] = {
            "document_type": document_type,
            "total": str(total),
            "currency": currency,
        }
        name = self._ocr_name(rng.choice(names))
        if name:
            data["supplier_name"] = name
        if rng.random() < 0.98:
            data["issue_date"] = self._ocr_date(day).isoformat()
        if rng.random() < 0.9:
            data["checksum"] = self._checksum()
        return data

    def _invoice(
        self,
        party: Party,
        number: str,
        issued: date,
        total: Decimal,
        due: date | None = None,
        iban_share: float = 0.7,
        document_type: str = "invoice",
    ) -> dict:
        """A PDF invoice: clean supplier name, number, often VAT number and IBAN."""
        rng = self.rng
        data: dict[str, Any] = {
            "document_type": document_type,
            "total": str(total),
            "currency": "EUR",
            "supplier_name": party.name,
            "issue_date": issued.isoformat(),
            "invoice_number": number,
            "customer_name": ORG_NAME,
            "checksum": self._checksum(),
        }
        if party.vat and rng.random() < 0.85:
            data["supplier_vat"] = party.vat
        if rng.random() < iban_share:
            data["supplier_iban"] = spaced(party.iban) if rng.random() < 0.5 else party.iban
        if due is not None:
            data["due_date"] = due.isoformat()
        if rng.random() < 0.3:
            data["customer_vat"] = self.org["vat"]
        return data

    def _receipt_received(self, paid: datetime) -> datetime:
        rng = self.rng
        roll = rng.random()
        if roll < 0.55:
            return paid + timedelta(minutes=rng.randint(2, 600))
        days = rng.randint(1, 8) if roll < 0.9 else rng.randint(9, 45)
        return self._at(paid.date() + timedelta(days=days), 7, 23)

    def _invoice_received(self, issued: date) -> datetime:
        return self._at(issued + timedelta(days=self.rng.choice((0, 0, 1, 1, 2, 3, 6))), 6, 22)

    def _ocr_name(self, name: str) -> str | None:
        rng = self.rng
        roll = rng.random()
        if roll < 0.06:
            return None
        if roll < 0.40:
            for _ in range(1 if rng.random() < 0.7 else 2):
                name = damage(rng, name)
        return name.strip() or None

    def _ocr_date(self, day: date) -> date:
        rng = self.rng
        if rng.random() >= 0.04:
            return day
        return misread(rng, day)

    # --- families -------------------------------------------------------------------------

    def _documents(self) -> None:
        counts = allocate(self.n_docs)
        for name, _ in FAMILIES:
            before = len(self.docs)
            if counts[name]:
                getattr(self, f"_family_{name}")(counts[name])
            assert len(self.docs) - before == counts[name], name

    def _family_fuel(self, count: int) -> None:
        rng = self.rng
        for _ in range(count):
            shop, total, paid = self._purchase("fuel")
            fuel_card = shop.fuel_card and rng.random() < 0.3
            tx = None if fuel_card or rng.random() < 0.03 else self._card_tx(shop, total, paid)
            data = self._receipt(shop.names, paid.date(), total)
            if rng.random() < 0.1:
                data["candidate_totals"] = [str(q(total / Decimal("1.2")))]  # the amount before VAT
            self._emit(data, "fuel", tx, self._receipt_received(paid), shop.names)

    def _family_toll(self, count: int) -> None:
        rng = self.rng
        for _ in range(count):
            shop, total, paid = self._purchase("toll")
            card = self._card()
            tx = None if rng.random() < 0.25 else self._card_tx(shop, total, paid, card)
            data = self._receipt(shop.names, paid.date(), total)
            self._emit(data, "toll", tx, self._receipt_received(paid), shop.names)
            if rng.random() < 0.6:  # the same crew on the same route another day, no receipt
                self._neighbour_toll(shop, total, paid, card)

    def _neighbour_toll(self, shop: Shop, total: Decimal, paid: datetime, card: Card) -> None:
        rng = self.rng
        for offset in rng.sample((-3, -2, -1, 1, 2, 3), rng.randint(1, 3)):
            day = paid.date() + timedelta(days=offset)
            if day.weekday() < 5 and self._claim(shop, total, day):
                self._card_tx(shop, total, self._at(day, 6, 19), card)

    def _family_counter(self, count: int) -> None:
        rng = self.rng
        for _ in range(count):
            shop, total, paid = self._purchase("counter")
            tx = None if rng.random() < 0.05 else self._card_tx(shop, total, paid)
            if shop.legal and rng.random() < 0.3:  # a counter invoice sent by email
                party = self.chain_parties[shop.legal]
                number = f"CPT{paid:%y}-{self._number():06d}"
                data = self._invoice(party, number, paid.date(), total, iban_share=0.1)
                received = self._invoice_received(paid.date())
            else:
                data = self._receipt(shop.names, paid.date(), total)
                received = self._receipt_received(paid)
            if rng.random() < 0.08:  # a discount line: the extractor saw the gross amount too
                data["candidate_totals"] = [str(q(total / Decimal("0.9")))]
            self._emit(data, "counter", tx, received, shop.names)

    def _family_meal(self, count: int) -> None:
        rng = self.rng
        for _ in range(count):
            shop, total, paid = self._purchase("meal")
            tx = None
            data = self._receipt(shop.names, paid.date(), total)
            if rng.random() >= 0.2:  # card; otherwise cash
                charged = total
                if shop.kind == "restaurant" and rng.random() < 0.15:
                    charged = self._with_tip(total)
                    self._claim(shop, charged, paid.date())
                    if rng.random() < 0.3:  # the tip written on the slip, read too
                        data["candidate_totals"] = [str(charged)]
                tx = self._card_tx(shop, charged, paid)
            self._emit(data, "meal", tx, self._receipt_received(paid), shop.names)

    def _with_tip(self, total: Decimal) -> Decimal:
        rng = self.rng
        if rng.random() < 0.5:
            step = Decimal(5 if total < 60 else 10)
            rounded = ((total / step).to_integral_value(rounding=ROUND_CEILING) * step).quantize(
                CENT
            )
            return rounded if rounded > total else total + step
        return total + Decimal(rng.choice((1, 2, 2, 3, 5)))

    def _family_account_invoice(self, count: int) -> None:
        invoices = max(1, round(count * 0.7))
        items = self._account_schedule(math.ceil(invoices / 10))
        for item in self.rng.sample(items, invoices):
            self._account_invoice(*item)
        tickets = [(item, p) for item in items for p in item[3]]
        for (shop, _, _, _), (day, amount) in self.rng.sample(tickets, count - invoices):
            data = self._receipt(shop.names, day, amount)
            self._emit(
                data,
                "account_invoice",
                None,
                self._receipt_received(self._at(day, 7, 17)),
                shop.names,
            )

    def _account_schedule(self, accounts: int) -> list[tuple]:
        """(branch, month, payment transaction, purchases) of monthly counter accounts;
        the payment of every month is on the statement, documented or not."""
        rng = self.rng
        items = []
        chains = [c for c in MERCHANT_CHAINS if c[0] != "BRICOFORT"]
        for _ in range(accounts):
            shop = self._branch(rng.choice(chains)[:3], "counter")
            mode = rng.choice(("transfer", "transfer", "direct_debit"))
            account_no = f"{rng.randrange(10**5, 10**6)}"
            for month in range(0, 13):  # December 2024 .. December 2025
                purchases = self._account_purchases(shop, month)
                total = sum((a for _, a in purchases), Decimal("0.00"))
                number = f"RLV{account_no}-{month_day(YEAR - 1, 12 + month, 1):%y%m}"
                tx = self._account_payment(shop, mode, month, total, number)
                items.append((shop, (month, number, mode), tx, purchases))
        return items

    def _account_purchases(self, shop: Shop, month: int) -> list[tuple[date, Decimal]]:
        rng = self.rng
        first = month_day(YEAR - 1, 12 + month, 1)
        last = month_day(YEAR - 1, 12 + month, 31)
        out = []
        for _ in range(rng.randint(3, 14)):
            day = business_day(first + timedelta(days=rng.randrange((last - first).days + 1)))
            if day <= last:
                amount = self._lognormal(160, 0.9, 6, 4000)
                self._claim(shop, amount, day)
                out.append((day, amount))
        return out or [(business_day(first), self._lognormal(160, 0.9, 6, 4000))]

    def _account_payment(
        self, shop: Shop, mode: str, month: int, total: Decimal, number: str
    ) -> Tx | None:
        party = self.chain_parties[shop.legal]
        rng = self.rng
        if mode == "transfer":  # the 10th-15th of the following month
            day = month_day(YEAR - 1, 13 + month, rng.randint(10, 15))
            ref = (
                number
                if rng.random() < 0.6
                else f"RELEVE {month_day(YEAR - 1, 12 + month, 1):%m/%Y}"
            )
            return self._transfer_out(party, total, day, ref)
        day = month_day(YEAR - 1, 14 + month, 15)  # 45 days end of month
        return self._direct_debit(party, total, day, f"{number} {plain(party.name)}")

    def _account_invoice(self, shop: Shop, meta: tuple, tx: Tx | None, purchases: list) -> None:
        month, number, mode = meta
        party = self.chain_parties[shop.legal]
        issued = month_day(YEAR - 1, 12 + month, 31)
        total = sum((a for _, a in purchases), Decimal("0.00"))
        due = None if tx is None else tx.when.date()
        if due is None:
            due = month_day(YEAR - 1, 14 + month, 15)
        data = self._invoice(party, number, issued, total, due if self.rng.random() < 0.7 else None)
        self._emit(data, "account_invoice", tx, self._invoice_received(issued), (party.name,))

    def _family_recurring(self, count: int) -> None:
        n = max(min(len(CONTRACTS), math.ceil(count / 2)), math.ceil(count / 10))
        contracts = self._contracts(n)
        items = [item for c in contracts for item in self._contract_schedule(c)]
        while len(items) < count:  # (only for tiny shares of odd sizes)
            items += self._contract_schedule(self._contracts(1)[0])
        for item in self.rng.sample(items, count):
            self._contract_invoice(*item)

    def _contracts(self, n: int) -> list[Contract]:
        rng = self.rng
        templates = list(CONTRACTS) if n >= len(CONTRACTS) else rng.sample(CONTRACTS, n)
        by_kind = {t[0]: t for t in CONTRACTS}
        while len(templates) < n:
            templates.append(
                by_kind[REPEATING_CONTRACTS[len(templates) % len(REPEATING_CONTRACTS)]]
            )
        parties: dict[str, Party] = {}
        out = []
        for kind, name, label, op, account, day, (lo, hi), spread, lead, quarterly in templates:
            party = parties.get(name) or Party(name, label, self._fr_iban(), self._vat())
            parties[name] = party
            base = cents(rng.uniform(lo, hi))
            number = f"{kind[:3].upper()}-{rng.randrange(10**5, 10**6)}"
            creditor = f"FR{rng.randrange(10, 99)}ZZZ{rng.randrange(10**5, 10**6)}"
            out.append(
                Contract(
                    party, kind, op, account, day, base, spread, lead, quarterly, number, creditor
                )
            )
        return out

    def _vat(self) -> str:
        base = f"{self.rng.randrange(10**7, 10**8):08d}"
        return fr_vat(base + luhn_digit(base))

    def _contract_schedule(self, c: Contract) -> list[tuple]:
        """(contract, amount, transaction, invoice number, issue day, debit day) for the
        debits of January 2025 .. January 2026 whose invoice is dated 2025; every 2025
        debit is on the statement, documented or not."""
        rng = self.rng
        items = []
        for month in range(1, 14):
            if c.quarterly and month % 3 != 1:
                continue
            amount = (
                c.base
                if not c.spread
                else cents(float(c.base) * rng.uniform(1 - c.spread, 1 + c.spread))
            )
            day = month_day(YEAR, month, c.day)
            debit = business_day(day) if c.op != "card" else day
            issued = debit - timedelta(days=max(0, c.lead + rng.randint(-2, 2)))
            number = f"{c.kind[:2].upper()}{issued:%y%m}{self._number():06d}"
            ref = f"{c.creditor_id} {c.number}" + (f" FACT {number}" if rng.random() < 0.5 else "")
            tx: Tx | None
            if c.op == "card":
                shop = Shop((c.party.name,), c.party.label, "", "online")
                tx = self._card_tx(shop, amount, self._at(day, 0, 23), self.cards[4])
            elif c.op == "transfer":
                tx = self._transfer_out(c.party, amount, day, f"LOYER {day:%m/%Y} {c.number}")
            else:
                tx = self._direct_debit(c.party, amount, day, ref, c.account)
            if issued <= END:
                items.append((c, amount, tx, number, issued, debit))
        return items

    def _contract_invoice(
        self, c: Contract, amount: Decimal, tx: Tx | None, number: str, issued: date, debit: date
    ) -> None:
        due = debit if self.rng.random() < 0.7 and c.op != "card" else None
        data = self._invoice(c.party, number, issued, amount, due, iban_share=0.15)
        self._emit(data, "recurring", tx, self._invoice_received(issued), (c.party.name,))

    def _family_subcontractor(self, count: int) -> None:
        rng = self.rng
        left = count
        while left:
            roll = rng.random()
            if left >= 2 and roll < 0.14:
                left -= self._deposit_and_final()
            elif left >= 2 and roll < 0.22:
                left -= self._grouped_invoices()
            elif roll < 0.3:
                left -= self._partial_payment()
            elif roll < 0.58:
                left -= self._retained_invoice()
            else:
                left -= self._plain_invoice()

    def _sub_invoice(self, party: Party, total: Decimal, issued: date, label: str = "FA") -> dict:
        number = f"{label}{issued:%y}-{self._number():05d}"
        due = issued + timedelta(days=self.rng.choice((30, 30, 45, 60)))
        return self._invoice(
            party, number, issued, total, due if self.rng.random() < 0.6 else None, 0.8
        )

    def _sub_draw(self) -> tuple[Party, Decimal, date]:
        rng = self.rng
        party = rng.choice(self.subcontractors)
        issued = date(YEAR - 1, 11, 15) + timedelta(days=rng.randrange(412))
        return party, self._lognormal(6500, 0.85, 600, 90000), issued

    def _pay_day(self, issued: date) -> date:
        rng = self.rng
        delay = rng.randint(25, 60) if rng.random() < 0.88 else rng.randint(61, 110)
        return business_day(issued + timedelta(days=delay))

    def _sub_reference(self, number: str, party: Party) -> str | None:
        roll = self.rng.random()
        if roll < 0.6:
            return number if roll < 0.3 else f"FACT {number}"
        if roll < 0.85:
            return f"REGLEMENT {party.label}"[:35]
        return None

    def _plain_invoice(self) -> int:
        party, total, issued = self._sub_draw()
        data = self._sub_invoice(party, total, issued)
        account = NEO if self.rng.random() < 0.1 else TRAD
        ref = self._sub_reference(data["invoice_number"], party)
        tx = self._transfer_out(party, total, self._pay_day(issued), ref, account)
        self._emit(data, "subcontractor", tx, self._invoice_received(issued), (party.name,))
        return 1

    def _retained_invoice(self) -> int:
        """A progress invoice with a 5 % retention: 95 % now, 5 % a year later at most."""
        rng = self.rng
        party, total, issued = self._sub_draw()
        data = self._sub_invoice(party, total, issued, "SIT")
        retention = q(total * Decimal("0.05"))
        net = total - retention
        roll = rng.random()
        if roll < 0.4:
            data["amount_due"] = str(net)
        elif roll < 0.7:
            data["candidate_totals"] = [str(net)]
        number = data["invoice_number"]
        ref = (
            self._sub_reference(number, party)
            if rng.random() < 0.6
            else f"SITUATION {number} RG 5%"
        )
        tx = self._transfer_out(party, net, self._pay_day(issued), ref)
        self._emit(data, "subcontractor", tx, self._invoice_received(issued), (party.name,))
        release = issued + timedelta(days=rng.randint(150, 400))
        self._transfer_out(party, retention, release, f"LIBERATION RG {number}")
        return 1

    def _deposit_and_final(self) -> int:
        """A deposit invoice paid at order, then the final invoice less the deposit."""
        rng = self.rng
        party, total, issued = self._sub_draw()
        deposit = q(total * Decimal(rng.choice(("0.30", "0.30", "0.40", "0.20"))))
        first = self._sub_invoice(party, deposit, issued, "AC")
        tx = self._transfer_out(
            party,
            deposit,
            business_day(issued + timedelta(days=rng.randint(2, 12))),
            f"ACOMPTE {first['invoice_number']}",
        )
        self._emit(first, "subcontractor", tx, self._invoice_received(issued), (party.name,))
        done = min(END, issued + timedelta(days=rng.randint(20, 90)))
        final = self._sub_invoice(party, total, done)
        final["amount_due"] = str(total - deposit)
        ref = self._sub_reference(final["invoice_number"], party)
        tx = self._transfer_out(party, total - deposit, self._pay_day(done), ref)
        self._emit(final, "subcontractor", tx, self._invoice_received(done), (party.name,))
        return 2

    def _grouped_invoices(self) -> int:
        """Two invoices paid by one transfer of their sum: neither is matched alone."""
        party, total, issued = self._sub_draw()
        second = self._lognormal(4000, 0.8, 400, 60000)
        a = self._sub_invoice(party, total, issued)
        b = self._sub_invoice(party, second, issued + timedelta(days=self.rng.randint(0, 20)))
        ref = f"FACT {a['invoice_number']} + {b['invoice_number']}"
        self._transfer_out(party, total + second, self._pay_day(issued + timedelta(days=20)), ref)
        self._emit(a, "subcontractor", None, self._invoice_received(issued), (party.name,))
        self._emit(
            b,
            "subcontractor",
            None,
            self._invoice_received(date.fromisoformat(b["issue_date"])),
            (party.name,),
        )
        return 2

    def _partial_payment(self) -> int:
        party, total, issued = self._sub_draw()
        data = self._sub_invoice(party, total, issued)
        part = q(total * Decimal(f"{self.rng.uniform(0.3, 0.7):.2f}"))
        self._transfer_out(
            party, part, self._pay_day(issued), f"ACOMPTE SUR {data['invoice_number']}"
        )
        self._emit(data, "subcontractor", None, self._invoice_received(issued), (party.name,))
        return 1

    def _family_rental(self, count: int) -> None:
        for _ in range(count):
            if self.rng.random() < 0.7:
                self._rental_with_deposit()
            else:
                self._rental_on_account()

    def _rental_with_deposit(self) -> None:
        """Deposit held on the card at pick-up, rental charged at return, deposit released."""
        rng = self.rng
        shop = rng.choice(self.rental_shops)
        card = self._card()
        start = self._day(date(YEAR, 12, 10), 0.0)
        back = add_business_days(start, rng.randint(1, 8))
        deposit = Decimal(rng.choice((300, 500, 800, 1000, 1500))).quantize(CENT)
        rental = self._lognormal(190, 0.8, 35, 2500)
        while rental == deposit or not self._claim(shop, rental, back):
            rental += CENT
        self._card_tx(shop, deposit, self._at(start, 7, 10), card)
        tx = self._card_tx(shop, rental, self._at(back, 15, 18), card)
        self._card_tx(
            shop,
            deposit,
            self._at(back + timedelta(days=rng.randint(0, 3)), 8, 20),
            card,
            credit=True,
        )
        party = self.chain_parties[shop.legal]
        data = self._invoice(
            party, f"LOC{back:%y}{self._number():07d}", back, rental, iban_share=0.2
        )
        self._emit(data, "rental", tx, self._invoice_received(back), (party.name,))

    def _rental_on_account(self) -> None:
        rng = self.rng
        party = self.chain_parties[rng.choice(RENTAL_CHAINS)[1]]
        issued = month_day(YEAR, rng.randint(0, 12), 31)
        total = self._lognormal(900, 0.7, 150, 9000)
        number = f"LM{issued:%y%m}-{self._number():05d}"
        tx = self._transfer_out(party, total, issued + timedelta(days=rng.randint(25, 50)), number)
        data = self._invoice(party, number, issued, total, issued + timedelta(days=30))
        self._emit(data, "rental", tx, self._invoice_received(issued), (party.name,))

    def _family_online(self, count: int) -> None:
        subscriptions = round(count * 0.4)
        for _ in range(count - subscriptions):
            self._online_order()
        if subscriptions:
            items = [i for _ in range(math.ceil(subscriptions / 9)) for i in self._subscription()]
            for item in self.rng.sample(items, subscriptions):
                self._subscription_invoice(*item)

    def _online_order(self) -> None:
        rng = self.rng
        shop = rng.choice(self.online_shops)
        brand, legal, field, city, prefix = ONLINE_SHOPS[self.online_shops.index(shop)]
        for _ in range(20):
            total = self._lognormal(120, 0.9, 8, 2500)
            paid = self._at(self._day(weekend=0.25), 7, 23)
            if self._claim(shop, total, paid.date()):
                break
        if rng.random() < 0.4:
            shop = Shop(
                shop.names, name_field(brand, "PAYPAL *"), "35314369001", "online", legal=legal
            )
        tx = self._card_tx(shop, total, paid)
        party = self.chain_parties.get(legal) or self._party(legal)
        self.chain_parties[legal] = party
        issued = paid.date() + timedelta(days=0 if rng.random() < 0.6 else rng.randint(1, 4))
        data = self._invoice(party, f"{prefix}-{self._number():08d}", issued, total, iban_share=0.0)
        self._emit(data, "online", tx, self._invoice_received(issued), (legal, brand))

    def _subscription(self) -> list[tuple]:
        """Twelve monthly charges of one subscription, all on the statement."""
        rng = self.rng
        name, field, currency, prices = rng.choice(SUBSCRIPTIONS)
        price = Decimal(rng.choice(prices))
        shop = Shop((name,), field, "", "online", currency=currency)
        party = Party(name, field, "", self._vat() if currency == "EUR" else None)
        anchor = rng.randint(1, 28)
        items = []
        for month in range(1, 13):
            paid = self._at(month_day(YEAR, month, anchor), 0, 23)
            if currency == "EUR":
                tx = self._card_tx(shop, price, paid, self.cards[4 + anchor % 3])
            else:
                rate = self._rate(EUR_PER_USD if currency == "USD" else EUR_PER_CHF, paid.date())
                euros = q(price * rate_decimal(rate))
                tx = self._card_tx(shop, euros, paid, self.cards[4 + anchor % 3], local=price)
            items.append((party, currency, price, paid, tx))
        return items

    def _subscription_invoice(
        self, party: Party, currency: str, price: Decimal, paid: datetime, tx: Tx | None
    ) -> None:
        rng = self.rng
        issued = paid.date()
        if currency == "USD" and paid.hour < 7 and rng.random() < 0.7:
            issued -= timedelta(days=1)  # dated in the United States, still yesterday
        data = self._invoice(party, f"INV-{self._number():07d}", issued, price, iban_share=0.0)
        data["currency"] = currency
        self._emit(data, "online", tx, self._invoice_received(issued), (party.name,))

    def _family_abroad(self, count: int) -> None:
        for _ in range(count):
            if self.rng.random() < 0.6:
                self._swiss_receipt()
            else:
                self._italian_receipt()

    def _swiss_amount(self, shop: Shop) -> Decimal:
        """Francs, rounded to five centimes as Swiss tills do."""
        rng = self.rng
        if shop.kind == "fuel":
            value = Decimal(f"{rng.uniform(1.82, 1.98):.3f}") * Decimal(
                f"{rng.uniform(20, 80):.2f}"
            )
        elif shop.kind == "restaurant":
            value = cents(sum(rng.uniform(21, 38) for _ in range(rng.randint(1, 4))))
        elif shop.kind == "parking":
            value = cents(rng.choice((3.0, 4.5, 6.0, 9.0, 12.5, 18.0)))
        elif shop.kind == "bakery":
            value = cents(rng.uniform(4.5, 32))
        else:
            value = self._lognormal(70, 0.9, 4, 1500)
        return max(Decimal("0.05"), q((value * 20).to_integral_value(rounding=ROUND_HALF_UP) / 20))

    def _swiss_receipt(self) -> None:
        """A receipt in francs; the card debit is in euros with the francs beside."""
        rng = self.rng
        shop = rng.choice(self.swiss)
        for _ in range(20):
            total = self._swiss_amount(shop)
            paid = self._at(self._day(date(YEAR, 12, 20)), 7, 19)
            if self._claim(shop, total, paid.date()):
                break
        data = self._receipt(shop.names, paid.date(), total, "CHF")
        tx = None
        if rng.random() >= 0.12:  # otherwise paid in cash
            charged = total
            if shop.kind == "restaurant" and rng.random() < 0.25:
                charged = total.to_integral_value(rounding=ROUND_CEILING) + rng.choice((0, 1, 2, 5))
                charged = charged.quantize(CENT) if charged > total else total + 1
            if rng.random() < 0.1:  # the merchant's own euro equivalent printed below
                data["candidate_totals"] = [str(q(total * Decimal("1.05")))]
            euros = q(charged * rate_decimal(self._rate(EUR_PER_CHF, paid.date())))
            tx = self._card_tx(shop, euros, paid, local=charged)
        self._emit(data, "abroad", tx, self._receipt_received(paid), shop.names)

    def _italian_receipt(self) -> None:
        rng = self.rng
        shop = rng.choice(self.italian)
        for _ in range(20):
            if shop.kind == "toll":
                total = Decimal(rng.choice(("4.20", "7.90", "11.30", "16.60")))
            elif shop.kind == "fuel":
                total = q(
                    Decimal(f"{rng.uniform(1.68, 1.84):.3f}")
                    * Decimal(f"{rng.uniform(20, 80):.2f}")
                )
            else:
                total = self._lognormal(28, 0.8, 1.5, 400)
            paid = self._at(self._day(date(YEAR, 12, 20)), 7, 20)
            if self._claim(shop, total, paid.date()):
                break
        tx = self._card_tx(shop, total, paid) if rng.random() >= 0.1 else None
        data = self._receipt(shop.names, paid.date(), total)
        self._emit(data, "abroad", tx, self._receipt_received(paid), shop.names)

    def _family_credit_note(self, count: int) -> None:
        for _ in range(count):
            if self.rng.random() < 0.65:
                self._counter_return()
            else:
                self._supplier_credit()

    def _counter_return(self) -> None:
        """Goods returned at a counter: refunded on the card, by transfer, or kept as credit."""
        rng = self.rng
        shop, total, paid = self._purchase("counter", date(YEAR, 12, 15))
        roll = rng.random()
        tx = None
        if roll < 0.6:
            tx = self._card_tx(shop, total, paid, credit=True)
        data = self._receipt(shop.names, paid.date(), total, document_type="credit_note")
        if shop.legal and rng.random() < 0.5:
            data["invoice_number"] = f"AV{paid:%y}{self._number():06d}"
        if shop.legal and 0.6 <= roll < 0.8:
            party = self.chain_parties[shop.legal]
            ref = f"AVOIR {data.get('invoice_number', '')}".strip()
            tx = self._transfer_in(
                party, total, paid.date() + timedelta(days=rng.randint(5, 30)), ref
            )
        self._emit(data, "credit_note", tx, self._receipt_received(paid), shop.names)

    def _supplier_credit(self) -> None:
        rng = self.rng
        party = rng.choice(self.subcontractors + self.suppliers)
        issued = self._day(date(YEAR, 12, 1), 0.0)
        total = self._lognormal(240, 0.9, 15, 6000)
        number = f"AV{issued:%y}-{self._number():05d}"
        data = self._invoice(
            party, number, issued, total, document_type="credit_note", iban_share=0.4
        )
        tx = None
        if rng.random() < 0.5:  # otherwise offset on a later invoice
            tx = self._transfer_in(
                party, total, issued + timedelta(days=rng.randint(3, 40)), f"AVOIR {number}"
            )
        self._emit(data, "credit_note", tx, self._invoice_received(issued), (party.name,))

    def _family_sales(self, count: int) -> None:
        for _ in range(count):
            self._sales_invoice()

    def _sales_invoice(self) -> None:
        """An invoice the company issued to a client: never a supplier payment."""
        rng = self.rng
        client = rng.choice(self.clients)
        issued = self._day(weekend=0.0)
        total = self._lognormal(3800, 1.1, 120, 180000)
        number = f"FC{issued:%y}-{self._number():05d}"
        data: dict[str, Any] = {
            "document_type": "invoice",
            "total": str(total),
            "currency": "EUR",
            "issue_date": issued.isoformat(),
            "invoice_number": number,
            "checksum": self._checksum(),
        }
        roll = rng.random()
        if roll < 0.75:
            data["supplier_name"] = rng.choice(ORG_NAMES)
            data["supplier_vat"] = self.org["vat"]
            data["customer_name"] = client.name
        elif roll < 0.88:  # the extractor read the company as the buyer
            data["customer_name"] = rng.choice(ORG_NAMES)
            data["supplier_name"] = client.name
        else:
            data["customer_name"] = client.name
        if rng.random() < 0.6:
            data["supplier_iban"] = spaced(self.org_ibans[0])
        if rng.random() < 0.6:
            data["due_date"] = (issued + timedelta(days=30)).isoformat()
        self._sales_payment(client, total, issued, number)
        self._emit(data, "sales", None, self._invoice_received(issued), ())

    def _sales_payment(self, client: Party, total: Decimal, issued: date, number: str) -> None:
        rng = self.rng
        roll = rng.random()
        paid = issued + timedelta(days=rng.randint(10, 75))
        if roll < 0.45:
            self._transfer_in(client, total, paid, number if rng.random() < 0.7 else None)
        elif roll < 0.55:  # a public client keeps a 5 % retention
            self._transfer_in(client, total - q(total * Decimal("0.05")), paid, f"MANDAT {number}")
        elif roll < 0.62:  # and the same amount goes out to a supplier about then
            supplier = rng.choice(self.suppliers)
            self._transfer_out(
                supplier,
                total,
                issued + timedelta(days=rng.randint(0, 20)),
                f"FACT {self._number()}",
            )

    def _family_attached(self, count: int) -> None:
        rng = self.rng
        for _ in range(count):
            shop, total, paid = self._purchase(
                rng.choice(("fuel", "meal", "counter", "toll")), date(YEAR, 12, 20)
            )
            tx = self._card_tx(shop, total, paid)
            if tx is not None:
                tx.attached = True  # someone attached this receipt by hand already
            data = self._receipt(shop.names, paid.date(), total)
            self._emit(data, "attached", None, self._receipt_received(paid), shop.names)

    def _family_off_statement(self, count: int) -> None:
        rng = self.rng
        for _ in range(count):
            kind = rng.choices(
                ("cash", "personal", "private", "unpaid"), cum_weights=(35, 60, 80, 100)
            )[0]
            getattr(self, f"_off_{kind}")()

    def _off_cash(self) -> None:
        shop, total, paid = self._purchase(self.rng.choice(("meal", "meal", "counter", "parking")))
        self._off_receipt(shop, total, paid)

    def _off_personal(self) -> None:
        """Paid with an employee's own card; refunded later within an expense claim."""
        rng = self.rng
        shop, total, paid = self._purchase(rng.choice(("fuel", "meal", "toll")))
        self._off_receipt(shop, total, paid)
        name = rng.choice(self.staff)
        claim = total + self._lognormal(60, 0.8, 5, 600)
        party = Party(name, plain(name), self.staff_ibans[name], None)
        self._transfer_out(
            party,
            claim,
            paid.date() + timedelta(days=rng.randint(10, 40)),
            f"NOTE DE FRAIS {paid:%m/%Y}",
        )

    def _off_private(self) -> None:
        shop, total, paid = self._purchase("private")
        self._off_receipt(shop, total, paid)

    def _off_receipt(self, shop: Shop, total: Decimal, paid: datetime) -> None:
        data = self._receipt(shop.names, paid.date(), total)
        self._emit(data, "off_statement", None, self._receipt_received(paid), shop.names)
        if self.rng.random() < 0.45:
            self._same_amount_elsewhere(shop, total, paid)

    def _same_amount_elsewhere(self, shop: Shop, total: Decimal, paid: datetime) -> None:
        """A debit of the same amount the same day at another shop (no document)."""
        rng = self.rng
        kind = rng.choice(("meal", "counter", "fuel"))
        other, _, _ = self._draw(kind)
        moment = self._at(paid.date(), 7, 20)
        if other.key != shop.key and self._claim(other, total, moment.date()):
            self._card_tx(other, total, moment)

    def _off_unpaid(self) -> None:
        """A supplier invoice still unpaid at the end of the year (or disputed)."""
        rng = self.rng
        party = rng.choice(self.suppliers + self.subcontractors)
        issued = self._day(weekend=0.0, first=date(YEAR, 10, 1))
        total = self._lognormal(900, 1.0, 40, 30000)
        number = f"F{issued:%y}{self._number():06d}"
        data = self._invoice(
            party, number, issued, total, issued + timedelta(days=rng.choice((45, 60, 90)))
        )
        self._emit(data, "off_statement", None, self._invoice_received(issued), (party.name,))
        if rng.random() < 0.35:  # the same amount paid to someone else
            other = rng.choice(self.suppliers)
            if other != party:
                self._transfer_out(
                    other,
                    total,
                    issued + timedelta(days=rng.randint(1, 25)),
                    f"FACT {self._number()}",
                )

    def _family_duplicate(self, count: int) -> None:
        rng = self.rng
        originals = [d for d in self.docs if d.family != "duplicate"]
        for _ in range(count):
            self._duplicate(rng.choice(originals))

    def _duplicate(self, orig: Doc) -> None:
        """The same document again, later: the same file, or photographed or scanned again."""
        rng = self.rng
        data = dict(orig.data)
        roll = rng.random()
        if roll >= 0.5:
            data["checksum"] = self._checksum()
            if data["document_type"] == "receipt" and orig.names:
                name = self._ocr_name(rng.choice(orig.names))
                if name:
                    data["supplier_name"] = name
                else:
                    data.pop("supplier_name", None)
        received = orig.received + timedelta(minutes=rng.randint(5, 60 * 24 * 40))
        data.pop("received_at", None)
        self._emit(data, "duplicate", None, received)

    # --- undocumented transactions ------------------------------------------------------------

    def _fill(self) -> None:
        room = self.n_txs - len(self.txs)
        if room < 0:
            raise ValueError(
                f"{self.n_docs} documents need {len(self.txs)} transactions, more than {self.n_txs}"
            )
        self._structured(min(1.0, room / 2000))
        del self.txs[self.n_txs :]  # (structured lines come last and no document names them)
        names = [name for name, _ in FILLERS]
        fillers: dict[str, Callable[[], None]] = {n: getattr(self, f"_filler_{n}") for n in names}
        rng = self.rng
        while len(self.txs) < self.n_txs:
            name = rng.choices(names, cum_weights=FILLER_CUM)[0]
            if self.n_txs - len(self.txs) < 3 and name in ("internal", "hold", "abroad"):
                continue  # these may write two lines
            fillers[name]()

    def _structured(self, share: float) -> None:
        """Salaries, social charges, taxes and bank fees, month after month."""
        rng = self.rng
        urssaf = Party("URSSAF Rhône-Alpes", "URSSAF RHONE ALPES", self._fr_iban(), None)
        dgfip = Party("DGFIP", "DGFIP", self._fr_iban(), None)
        btp = Party("PRO BTP", "PRO BTP", self._fr_iban(), None)
        cibtp = Party("CIBTP Rhône-Alpes", "CIBTP RHONE ALPES AUVERGNE", self._fr_iban(), None)
        pay = {name: self._lognormal(2300, 0.25, 1460, 4800) for name in self.staff}
        for month in range(1, 13):
            for name in self.staff:
                if rng.random() < share:
                    party = Party(name, plain(name), self.staff_ibans[name], None)
                    self._transfer_out(
                        party, pay[name], month_day(YEAR, month, 28), f"SALAIRE {month:02d}/{YEAR}"
                    )
            monthly = ((urssaf, 15, 14000), (dgfip, 24, 9000), (cibtp, 10, 4200))
            for party, day, median in monthly:
                if rng.random() < share:
                    amount = self._lognormal(median, 0.15, 100, 90000)
                    self._direct_debit(
                        party,
                        amount,
                        month_day(YEAR, month, day),
                        f"{party.label} {month:02d}{YEAR}",
                    )
            if month % 3 == 1 and rng.random() < share:
                self._direct_debit(
                    btp,
                    self._lognormal(11000, 0.1, 100, 90000),
                    month_day(YEAR, month, 20),
                    f"PRO BTP T{(month + 2) // 3} {YEAR}",
                )
            if rng.random() < share:
                self._tx(
                    TRAD,
                    Decimal("-38.50"),
                    "FRAIS TENUE DE COMPTE",
                    "direct_debit",
                    midnight(business_day(month_day(YEAR, month, 1))),
                )
            if rng.random() < share:
                self._tx(
                    NEO,
                    Decimal("-99.00"),
                    "Abonnement Neo Business",
                    "direct_debit",
                    self._at(month_day(YEAR, month, 1), 5, 7),
                )

    def _filler_card(self, kind: str) -> None:
        shop, amount, paid = self._draw(kind)
        if (shop.key, amount, paid.date()) not in self.taken:
            self._card_tx(shop, amount, paid)

    def _filler_fuel(self) -> None:
        self._filler_card("fuel")

    def _filler_toll(self) -> None:
        self._filler_card("toll")

    def _filler_meal(self) -> None:
        self._filler_card("meal")

    def _filler_counter(self) -> None:
        self._filler_card("counter")

    def _filler_parking(self) -> None:
        self._filler_card("parking")

    def _filler_online(self) -> None:
        rng = self.rng
        shop = rng.choice(self.online_shops)
        amount = self._lognormal(70, 1.0, 3, 1500)
        paid = self._at(self._day(weekend=0.25), 7, 23)
        if (shop.key, amount, paid.date()) not in self.taken:
            self._card_tx(shop, amount, paid)

    def _filler_abroad(self) -> None:
        rng = self.rng
        shop = rng.choice(self.swiss + self.italian)
        total = (
            self._swiss_amount(shop)
            if shop.currency == "CHF"
            else self._lognormal(25, 0.8, 1.5, 300)
        )
        paid = self._at(self._day(), 7, 20)
        if (shop.key, total, paid.date()) in self.taken:
            return
        if shop.currency == "CHF":
            euros = q(total * rate_decimal(self._rate(EUR_PER_CHF, paid.date())))
            self._card_tx(shop, euros, paid, local=total)
        else:
            self._card_tx(shop, total, paid)

    def _filler_supplier(self) -> None:
        rng = self.rng
        party = rng.choice(self.suppliers + self.subcontractors[:3])
        amount = self._lognormal(900, 1.0, 20, 40000)
        self._transfer_out(
            party, amount, self._day(weekend=0.0), f"FACT {rng.randrange(10**3, 10**6)}"
        )

    def _filler_debit(self) -> None:
        rng = self.rng
        party = rng.choice(self.suppliers)
        amount = self._lognormal(150, 0.9, 5, 5000)
        self._direct_debit(party, amount, self._day(weekend=0.0), f"ECH {rng.randrange(10**6)}")

    def _filler_expense_claim(self) -> None:
        name = self.rng.choice(self.staff)
        party = Party(name, plain(name), self.staff_ibans[name], None)
        day = self._day(weekend=0.0)
        self._transfer_out(
            party, self._lognormal(85, 0.9, 5, 900), day, f"NOTE DE FRAIS {day:%m/%Y}"
        )

    def _filler_income(self) -> None:
        rng = self.rng
        client = rng.choice(self.clients)
        amount = self._lognormal(2600, 1.1, 60, 150000)
        ref = f"FC{YEAR % 100}-{rng.randrange(10**4, 10**5)}" if rng.random() < 0.6 else None
        self._transfer_in(
            client, amount, self._day(weekend=0.0), ref, TRAD if rng.random() < 0.8 else NEO
        )

    def _filler_internal(self) -> None:
        rng = self.rng
        amount = Decimal(rng.choice((2000, 3000, 5000, 8000, 10000, 15000, 20000))).quantize(CENT)
        day = self._day(weekend=0.0)
        to_neo = rng.random() < 0.8
        src, dst = (TRAD, NEO) if to_neo else (NEO, TRAD)
        src_iban, dst_iban = (self.org_ibans[0], self.org_ibans[1])[:: 1 if to_neo else -1]
        label = plain(ORG_NAME)
        self._tx(
            src,
            -amount,
            f"VIR SEPA EMIS {label}" if src == TRAD else ORG_NAME,
            "transfer",
            midnight(day) if src == TRAD else self._at(day, 8, 18),
            reference="VIREMENT INTERNE",
            iban=dst_iban,
        )
        self._tx(
            dst,
            amount,
            f"VIR SEPA RECU /DE {label}" if dst == TRAD else ORG_NAME,
            "income",
            midnight(business_day(day + timedelta(days=1)))
            if dst == TRAD
            else self._at(day, 8, 18),
            reference="VIREMENT INTERNE",
            iban=src_iban,
        )

    def _filler_atm(self) -> None:
        rng = self.rng
        card = self._card(TRAD)
        day = self._day()
        town = plain(self._town())[:13]
        amount = Decimal(rng.choice((20, 40, 50, 60, 100, 150, 200))).quantize(CENT)
        self._tx(
            TRAD,
            -amount,
            f"RETRAIT DAB {day:%d%m%y} {town} CARTE {self.card_bin}XXXXXXXX{card.last4}",
            "card",
            midnight(add_business_days(day, 1)),
        )

    def _filler_fee(self) -> None:
        rng = self.rng
        label, amount = rng.choice(
            (
                ("COMMISSION INTERVENTION", "8.00"),
                ("FRAIS VIREMENT INSTANTANE", "0.80"),
                ("COTISATION CARTE BUSINESS", "54.00"),
                ("FRAIS LETTRE INFORMATION", "16.50"),
            )
        )
        self._tx(TRAD, -Decimal(amount), label, "direct_debit", midnight(self._day(weekend=0.0)))

    def _filler_hold(self) -> None:
        """A deposit held on a card at an equipment renter and released days later."""
        rng = self.rng
        shop = rng.choice(self.rental_shops)
        card = self._card()
        day = self._day(weekend=0.0)
        deposit = Decimal(rng.choice((300, 500, 800, 1000, 1500))).quantize(CENT)
        self._card_tx(shop, deposit, self._at(day, 7, 10), card)
        self._card_tx(
            shop,
            deposit,
            self._at(add_business_days(day, rng.randint(1, 9)), 8, 19),
            card,
            credit=True,
        )

    def _filler_refund(self) -> None:
        shop, _, paid = self._draw("counter")
        amount = self._lognormal(40, 0.9, 2, 800)
        if (shop.key, amount, paid.date()) not in self.taken:
            self._card_tx(shop, amount, paid, credit=True)

    # --- output -------------------------------------------------------------------------------

    def _assemble(self, dataset: Any):
        self.txs.sort(key=lambda t: (t.when, t.key))
        for i, tx in enumerate(self.txs, 1):
            tx.tid = f"tx{i:06d}"
        self.docs.sort(key=lambda d: (d.received, d.key))
        truth: dict[str, str | None] = {}
        family: dict[str, str] = {}
        documents = []
        used: set[str] = set()
        for i, doc in enumerate(self.docs, 1):
            ident = f"doc{i:05d}"
            documents.append({"id": ident, **doc.data})
            tid = doc.truth.tid if doc.truth is not None and not doc.truth.attached else None
            assert tid is None or tid not in used, tid
            if tid is not None:
                used.add(tid)
            truth[ident] = tid
            family[ident] = doc.family
        return dataset(
            organization=dict(self.org),
            transactions=[tx.to_json() for tx in self.txs],
            documents=documents,
            truth=truth,
            sales_ids={d for d, f in family.items() if f == "sales"},
            family=family,
        )


# --- OCR slips --------------------------------------------------------------------------------

LOOKALIKES = {
    "O": "0",
    "0": "O",
    "I": "1",
    "l": "1",
    "1": "l",
    "S": "5",
    "B": "8",
    "e": "c",
    "c": "e",
    "E": "F",
    "u": "v",
    "n": "h",
    "a": "o",
    "é": "e",
    "è": "e",
    "i": "l",
}


def damage(rng: random.Random, name: str) -> str:
    """One OCR slip on a printed name."""
    words = name.split()
    roll = rng.random()
    letters = [i for i, ch in enumerate(name) if ch.isalpha()]
    if not letters:
        return name
    i = rng.choice(letters)
    if roll < 0.2:
        return name[:i] + name[i + 1 :]  # a letter lost
    if roll < 0.35:
        return name[:i] + name[i] + name[i:]  # a letter doubled
    if roll < 0.55:
        swaps = [j for j, ch in enumerate(name) if ch in LOOKALIKES]
        if swaps:
            j = rng.choice(swaps)
            return name[:j] + LOOKALIKES[name[j]] + name[j + 1 :]
        return name.replace(" ", "", 1)
    if roll < 0.68 and len(words) > 1:
        j = rng.randrange(len(words) - 1)
        return " ".join(words[:j] + [words[j] + words[j + 1]] + words[j + 2 :])  # words glued
    if roll < 0.8 and len(words) > 1 and len(words[0]) > 2:
        return words[0]  # only the first word read
    if roll < 0.92:
        return name.upper()
    return name[: max(3, len(name) - rng.randint(1, 5))]  # the end cut off


def misread(rng: random.Random, day: date) -> date:
    """A date read wrong: day and month swapped, one digit off, or the year."""
    roll = rng.random()
    if roll < 0.45 and day.day <= 12 and day.day != day.month:
        return date(day.year, day.day, day.month)
    if roll < 0.9:
        near = {
            "1": "7",
            "7": "1",
            "3": "8",
            "8": "3",
            "5": "6",
            "6": "5",
            "0": "8",
            "9": "8",
            "2": "7",
            "4": "1",
        }
        text = f"{day.day:02d}"
        pos = rng.randrange(2)
        digits = text[:pos] + near[text[pos]] + text[pos + 1 :]
        try:
            return day.replace(day=int(digits)) if int(digits) else day
        except ValueError:
            return day + timedelta(days=1)
    return day.replace(year=day.year - 2)  # 2025 read as 2023
