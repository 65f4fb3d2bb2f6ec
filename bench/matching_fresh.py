"""A second, independently written generator for the matching benchmark (`--style fresh`).

It models the bank account of a French engineering SME (a few sites, a few dozen
card holders, three banks) over the calendar year 2025, and the documents its
staff upload. Written from the product brief only, with its own merchants,
descriptor formats, OCR slips and rates; nothing here is tuned to the engine.

Phenomena and approximate shares of documents (see `SHARES`):

- card receipts at small shops and chains (~42 %): the network cuts the merchant
  name to 22 characters, behind a facilitator prefix (SUMUP *, SQ *, ZETTLE_*,
  IZ *, PAYPAL *, PAYPLUG*, LYF*, STRIPE* ...) for ~30 % of small shops; each bank
  formats the line its own way (`CARTE X4521 05/03 ...`, `FACTURE CARTE DU 050325
  ... CARTE 4974XXXXXXXX1234`, or the bare descriptor); franchises are debited
  under the operating company (`SAS LOZERAL`) while the receipt shows the sign;
- names on documents: sign (~71 %), legal name (~15 %), first word only (~7 %),
  none (~7 %); ~15 % get an OCR slip (lost, doubled or look-alike letter, lost
  accent, merged words), ~40 % are upper-cased; ~15 % of small shops (and ~35 %
  of franchised chain stores) are debited under the operating company's name;
- tips (~7 %) at restaurants, cafés, taxis, hairdressers: 5-15 %, bill rounded
  up to the euro / 5 euros, or a flat 1-10 euros; the receipt shows the bill;
- late dinners paid after midnight (receipt dated the day before), US receipts
  whose MM/DD date is read DD/MM, receipts uploaded days to months later;
- travel abroad (~7 %): receipts in GBP, USD, CHF, JPY, SEK, DKK, PLN, CZK, CAD,
  MAD, often without a readable name; the debit carries `local_amount`, its euro
  amount a daily rate plus the bank's markup (or a separate fee line); US tips
  of 15-22 % on top of the receipt; dynamic currency conversion (receipt in EUR);
- card subscriptions (SaaS, EUR and USD), monthly invoices paid by direct debit
  5-12 days after issue (telecom, energy with a December true-up, insurance,
  leasing of several cars at the same price, water each quarter), rent by
  standing order; many amounts identical every month;
- supplier invoices paid by transfer 0-45 days after issue, the invoice number
  in the reference about half the time; deposits (`amount_due`), early-payment
  discounts, total misread as the net amount; grouped, partial and split
  payments and unpaid invoices (truth None);
- credit notes refunded by card or transfer, or offset (None); sales invoices
  issued by the company, with an incoming payment of the same amount (None);
- duplicates: the copy uploaded later has truth None, the first copy keeps the
  debit; receipts paid privately or in cash (None), half of them next to a
  same-amount debit at another merchant; debits already carrying an attachment
  (None);
- noise: card spending without a receipt at the same merchants (chains daily),
  salaries, taxes, social charges, bank fees, cash withdrawals, customer
  payments, internal transfers, refunds; weekends, French public holidays and
  August are quiet.

Deterministic per seed; 10,000 documents x 100,000 transactions in a few seconds.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")
START = date(2025, 1, 1)
DAYS = 365
END = START + timedelta(days=DAYS - 1)
HOLIDAYS = {
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
}

# Share of documents per family (normalised). Families with truth None are
# marked in `UNMATCHED`.
SHARES = {
    "card": 0.30,
    "card_chain": 0.08,
    "repeat": 0.03,
    "tip": 0.07,
    "late_night": 0.01,
    "foreign": 0.05,
    "foreign_eur": 0.015,
    "dcc": 0.005,
    "subscription_card": 0.035,
    "foreign_saas": 0.015,
    "monthly_dd": 0.08,
    "rent": 0.01,
    "transfer": 0.08,
    "balance_due": 0.01,
    "discount": 0.005,
    "ocr_total": 0.01,
    "credit_note": 0.025,
    "credit_offset": 0.005,
    "sales": 0.05,
    "duplicate": 0.02,
    "unmatchable": 0.05,
    "attached": 0.03,
    "grouped": 0.015,
    "partial": 0.008,
    "split": 0.005,
    "unpaid": 0.01,
}
UNMATCHED = {
    "credit_offset",
    "sales",
    "duplicate",
    "unmatchable",
    "attached",
    "grouped",
    "partial",
    "split",
    "unpaid",
}

# --- vocabulary --------------------------------------------------------------

FAMILY_NAMES = """Le Gall|Kerbrat|Etcheverry|Garnier|Chevalier|Perrin|Marchand|Blanc|Guerin|Boyer
|Gauthier|Masson|Sanchez|Lemaire|Renaud|Picard|Aubert|Collet|Roche|Fabre|Barbier|Brunet|Schmitt
|Colin|Vidal|Caron|Meyer|Dumont|Lacroix|Joly|Gaillard|Huet|Rey|Carpentier|Leclercq|Tessier
|Riviere|Prevost|Baron|Lucas|Hoarau|Nguyen|Benali|Ferreira|Da Silva|Costa|Weber|Klein|Tran
|Poulain|Jacquet|Charpentier|Le Roux|Bouvier|Marty|Bailly|Hamon|Pasquier|Cordier""".replace(
    "\n", ""
).split("|")
GIVEN = """Yannick Solène Hervé Maëlle Thierry Agnès Didier Nadia Karim Elodie Bruno Chantal Loïc
Sandrine Mathis Inès Pascal Océane Gilles Léa Rachid Manon Sébastien Pauline Joël""".split()
PLACES = """Tilleul|Galet|Ardoise|Moulin|Horloge|Marronnier|Sablier|Lavoir|Pressoir|Cerisier
|Ecluse|Beffroi|Carillon|Verger|Lanterne|Pigeonnier|Grenier|Cadran|Rempart|Passerelle|Tonnelle
|Glycine|Chaudron|Belvédère|Canut|Traboule|Fourvière|Saône|Croix-Rousse|Part-Dieu""".replace(
    "\n", ""
).split("|")
FEMININE = {"Horloge", "Lanterne", "Passerelle", "Tonnelle", "Glycine", "Traboule", "Saône"}
ADJ = "Gourmand Doré Rouge Sauvage Fleuri Gourmet Malin Joyeux Curieux Vagabond".split()
ASIAN = "Sakura Hanoi Saigon Kyoto Wok Pho Ramen Bao Osaka Mekong".split()
CITIES = [
    "LYON",
    "VILLEURBANNE",
    "VENISSIEUX",
    "BRON",
    "CALUIRE",
    "GRENOBLE",
    "ANNECY",
    "ST ETIENNE",
    "VIENNE",
    "BOURG EN BRESSE",
    "MACON",
    "DIJON",
    "CHAMBERY",
    "PARIS",
    "LA DEFENSE",
    "MARSEILLE",
    "NANTES",
    "CLERMONT FD",
]
TRADES = [
    ("Matériaux", "MATERIAUX"),
    ("Électricité Générale", "ELEC GENERALE"),
    ("Transports", "TRANSPORTS"),
    ("Imprimerie", "IMPRIMERIE"),
    ("Conseil", "CONSEIL"),
    ("Nettoyage Industriel", "NETTOYAGE"),
    ("Location Engins", "LOC ENGINS"),
    ("Intérim", "INTERIM"),
    ("Topographie", "TOPO"),
    ("Informatique", "INFORMATIQUE"),
    ("Serrurerie", "SERRURERIE"),
    ("Géotechnique", "GEOTECHNIQUE"),
    ("Traduction", "TRADUCTION"),
    ("Signalétique", "SIGNALETIQUE"),
]
FORMS = ["SARL", "SAS", "SASU", "EURL", "SA"]
PROCESSORS = [
    ("SUMUP *", 8),
    ("SumUp  *", 3),
    ("SQ *", 4),
    ("ZETTLE_*", 4),
    ("IZ *", 2),
    ("PAYPAL *", 3),
    ("PAYPLUG*", 2),
    ("LYF*", 1),
    ("STRIPE*", 2),
    ("MOLLIE*", 1),
    ("SMP*", 1),
]

# kind: (tip probability, hours (start, end), weekend factor)
KINDS = {
    "cafe": (0.06, (7, 18), 0.3),
    "bakery": (0.0, (7, 14), 0.3),
    "restaurant": (0.24, (12, 15), 0.25),
    "dinner": (0.3, (19, 24), 0.4),
    "taxi": (0.3, (6, 24), 0.5),
    "hairdresser": (0.25, (9, 19), 0.5),
    "supermarket": (0.0, (8, 21), 0.4),
    "fuel": (0.0, (6, 21), 0.4),
    "toll": (0.0, (6, 22), 0.4),
    "parking": (0.0, (7, 20), 0.3),
    "transit": (0.0, (6, 21), 0.2),
    "train": (0.0, (7, 22), 0.3),
    "ride": (0.0, (6, 24), 0.5),
    "hotel": (0.0, (7, 11), 0.6),
    "diy": (0.0, (8, 19), 0.4),
    "office": (0.0, (9, 19), 0.2),
    "online": (0.0, (0, 24), 0.7),
    "pharmacy": (0.0, (9, 19), 0.2),
    "tabac": (0.0, (7, 19), 0.3),
    "florist": (0.0, (9, 19), 0.3),
    "print": (0.0, (9, 18), 0.1),
}
TIPPED = ("cafe", "restaurant", "dinner", "taxi", "hairdresser")


@dataclass(slots=True)
class Merchant:
    kind: str
    sign: str  # what the receipt shows at the top
    legal: str  # operating company, printed at the bottom of the receipt
    network: str  # merchant name sent by the acquirer (before the 22-char cut)
    city: str
    weight: float
    vat: str | None = None
    fixed: tuple[int, ...] = ()  # fixed prices in cents (tolls, tickets, menus)
    country: str = "FR"
    chain: bool = False


@dataclass(slots=True)
class Account:
    id: str
    style: str  # "neo" | "trad" | "online"
    iban: str
    card: str  # last four digits of the main card


def _vat(rng: random.Random) -> tuple[str, str]:
    siren = "".join(rng.choice("0123456789") for _ in range(9))
    siren = str(rng.randint(3, 9)) + siren[1:]
    key = (12 + 3 * (int(siren) % 97)) % 97
    return f"FR{key:02d}{siren}", siren


def _iban(rng: random.Random, country: str = "FR") -> str:
    if country == "FR":
        body = "".join(rng.choice("0123456789") for _ in range(23))
    else:
        body = "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRSTUVWXYZ") for _ in range(18))
    return f"{country}{rng.randint(10, 97)}{body}"


def _amt(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    c = abs(cents)
    return f"{sign}{c // 100}.{c % 100:02d}"


def _local(units: int, currency: str) -> str:
    return str(units) if currency == "JPY" else _amt(units)


_FOLD = str.maketrans("ÀÂÄÉÈÊËÎÏÔÖÙÛÜÇàâäéèêëîïôöùûüç'", "AAAEEEEIIOOUUUCaaaeeeeiioouuuc ")


def _fold(text: str) -> str:
    """Card networks carry ASCII only: accents and apostrophes go."""
    return text.translate(_FOLD)


def _caps_ascii(text: str) -> str:
    return text.translate(_FOLD).upper()


LOOKALIKE = {
    "O": "0",
    "0": "O",
    "I": "1",
    "l": "1",
    "1": "l",
    "S": "5",
    "5": "S",
    "B": "8",
    "E": "F",
    "e": "c",
    "m": "rn",
    "rn": "m",
    "G": "6",
    "Z": "2",
    "a": "o",
    "é": "e",
    "è": "e",
}


def ocr_slip(rng: random.Random, text: str) -> str:
    """One realistic OCR damage: lost, doubled or look-alike letter, merged words."""
    if len(text) < 4:
        return text
    r = rng.random()
    letters = [i for i, ch in enumerate(text) if ch.isalnum()]
    if not letters:
        return text
    i = rng.choice(letters[1:] or letters)
    if r < 0.3:
        return text[:i] + text[i + 1 :]
    if r < 0.45:
        return text[:i] + text[i] + text[i:]
    if r < 0.85:
        spots = [j for j, ch in enumerate(text) if ch in LOOKALIKE]
        if spots:
            j = rng.choice(spots)
            return text[:j] + LOOKALIKE[text[j]] + text[j + 1 :]
        return text[:i] + text[i + 1 :]
    if " " in text:
        j = rng.choice([k for k, ch in enumerate(text) if ch == " "])
        return text[:j] + text[j + 1 :]
    return text[:-1]


class FreshGenerator:
    def __init__(self, documents: int, transactions: int, seed: int):
        self.n_docs = max(0, documents)
        self.n_tx = max(0, transactions)
        self.seed = seed
        self.rng = random.Random(f"fresh-matching-{seed}")
        self.txs: list[dict] = []
        self.docs: list[dict] = []
        self.truth: dict[str, str | None] = {}
        self.family: dict[str, str] = {}
        self.sales: set[str] = set()
        self._ids: set[str] = set()
        self._tx_seq = 0
        self._dd_used: dict[str, int] = {}

    # --- setup -----------------------------------------------------------------

    def _setup(self) -> None:
        rng = self.rng
        self.org_vat, self.org_siren = _vat(rng)
        self.org_name = "Verdier Ingénierie & Travaux"
        self.org_legal = "SAS VERDIER INGENIERIE ET TRAVAUX"
        self.accounts = [
            Account("acc-neo-01", "neo", _iban(rng), f"{rng.randint(1000, 9999)}"),
            Account("acc-trad-01", "trad", _iban(rng), f"{rng.randint(1000, 9999)}"),
            Account("acc-online-01", "online", _iban(rng), f"{rng.randint(1000, 9999)}"),
        ]
        self.neo, self.trad, self.online = self.accounts
        # Cards: each holder's card lives on one account.
        self.card_accounts = [self.neo] * 6 + [self.trad] * 3 + [self.online] * 2
        self.cards = {a.id: [f"{rng.randint(1000, 9999)}" for _ in range(4)] for a in self.accounts}
        days = [START + timedelta(days=i) for i in range(DAYS)]
        self.days = days
        weights = []
        for d in days:
            w = 1.0
            if d.weekday() == 5:
                w = 0.25
            elif d.weekday() == 6:
                w = 0.1
            if d in HOLIDAYS:
                w = 0.12
            if d.month == 8:
                w *= 0.45
            if d.month == 12 and d.day >= 22:
                w *= 0.4
            weights.append(w)
        self.day_cum = list(_accumulate(weights))
        self.business_days = [d for d in days if d.weekday() < 5 and d not in HOLIDAYS]
        self.n_sites = max(1, round(self.n_docs / 2500))
        self._merchants()
        self._suppliers()
        self._fx()

    def _merchants(self) -> None:
        rng = self.rng
        ms: list[Merchant] = []

        def legal_company() -> str:
            stem = rng.choice(
                [
                    _caps_ascii(rng.choice(FAMILY_NAMES)),
                    "".join(rng.choice("BCDFGJKLMNPRSTVZ") + rng.choice("AEIOU") for _ in range(3)),
                    _caps_ascii(rng.choice(PLACES)) + " DISTRIBUTION",
                ]
            )
            return f"{rng.choice(FORMS)} {stem}"

        # National chains: (kind, sign, network name, legal or None=franchise, weight, count)
        chains = [
            ("supermarket", "Carrefour Market", "CARREFOUR MARKET", None, 9, 4),
            ("supermarket", "Carrefour City", "CARREFOUR CITY", None, 6, 3),
            ("supermarket", "Intermarché", "INTERMARCHE", None, 5, 3),
            ("supermarket", "Lidl", "LIDL", "LIDL SNC", 6, 3),
            ("supermarket", "Monoprix", "MONOPRIX", "MONOPRIX EXPLOITATION", 5, 2),
            ("supermarket", "Biocoop", "BIOCOOP", None, 2, 2),
            (
                "fuel",
                "TotalEnergies",
                "TOTALENERGIES RELAIS",
                "TOTALENERGIES MARKETING FRANCE",
                9,
                5,
            ),
            ("fuel", "Esso", "ESSO", None, 4, 3),
            ("fuel", "Station U", "STATION U", None, 3, 2),
            ("fuel", "Avia", "AVIA", None, 2, 2),
            ("toll", "APRR", "APRR", "AUTOROUTES PARIS-RHIN-RHONE", 6, 1),
            ("toll", "VINCI Autoroutes", "ASF", "AUTOROUTES DU SUD DE LA FRANCE", 4, 1),
            ("toll", "AREA", "AREA", "SOCIETE DES AUTOROUTES RHONE-ALPES", 3, 1),
            ("parking", "Indigo", "INDIGO", "INDIGO INFRA FRANCE", 4, 3),
            ("parking", "Lyon Parc Auto", "LPA", "LYON PARC AUTO", 4, 2),
            ("transit", "TCL", "TCL KEOLIS LYON", "KEOLIS LYON", 5, 1),
            ("transit", "RATP", "RATP", "REGIE AUTONOME DES TRANSPORTS PARISIENS", 2, 1),
            ("train", "SNCF Connect", "SNCF CONNECT", "SNCF VOYAGEURS", 6, 1),
            ("train", "OUIGO", "OUIGO", "SNCF VOYAGEURS", 2, 1),
            ("ride", "Uber", "UBER *TRIP", "UBER BV", 3, 1),
            ("ride", "Bolt", "BOLT.EU/O", "BOLT OPERATIONS OU", 1, 1),
            ("cafe", "Starbucks", "STARBUCKS", None, 2, 2),
            ("cafe", "Columbus Café", "COLUMBUS CAFE", None, 2, 2),
            ("bakery", "Paul", "PAUL", "SAS PAUL", 3, 3),
            ("bakery", "Marie Blachère", "MARIE BLACHERE", None, 2, 2),
            ("restaurant", "McDonald's", "MCDONALDS", None, 3, 3),
            ("restaurant", "Pokawa", "POKAWA", None, 1, 1),
            ("restaurant", "Big Fernand", "BIG FERNAND", None, 1, 1),
            ("hotel", "ibis", "HOTEL IBIS", None, 2, 4),
            ("hotel", "B&B HOTEL", "B&B HOTEL", "B&B HOTELS", 2, 3),
            ("diy", "Leroy Merlin", "LEROY MERLIN", "LEROY MERLIN FRANCE", 4, 2),
            ("diy", "Point.P", "POINT P", "POINT.P MATERIAUX DE CONSTRUCTION", 3, 2),
            ("diy", "Würth", "WURTH FRANCE", "WÜRTH FRANCE SA", 2, 1),
            ("office", "Bureau Vallée", "BUREAU VALLEE", None, 2, 2),
            ("office", "Fnac", "FNAC", "FNAC DARTY PARTICIPATIONS", 1, 1),
            ("online", "Amazon", "AMAZON PAYMENTS", "AMAZON EU SARL", 6, 1),
            ("online", "Amazon Marketplace", "AMZN MKTP FR", "AMAZON EU SARL", 4, 1),
            ("online", "Cdiscount", "CDISCOUNT", "CDISCOUNT SA", 1, 1),
            ("online", "ManoMano", "MANOMANO", "COLIBRI SAS", 1, 1),
        ]
        for kind, sign, network, legal, weight, count in chains:
            for _ in range(count):
                city = rng.choice(CITIES[:10])
                net = network
                if kind in ("supermarket", "fuel", "hotel", "parking", "bakery", "restaurant"):
                    style = rng.random()
                    if style < 0.4:
                        net = f"{network} {city}"
                    elif style < 0.7:
                        net = f"{network} {rng.randint(1, 9999):04d}"
                the_legal = legal or legal_company()
                if legal is None and rng.random() < 0.35:
                    net = the_legal.split(" ", 1)[1]  # debited under the franchisee
                fixed: tuple[int, ...] = ()
                if kind == "toll":
                    fixed = tuple(sorted(rng.sample(range(180, 4200, 10), 6)))
                if kind == "transit":
                    fixed = (210, 220, 420, 1960, 2040, 7580)
                vat, _ = _vat(rng)
                ms.append(
                    Merchant(
                        kind,
                        sign,
                        the_legal,
                        net,
                        city,
                        weight / count,
                        vat if rng.random() < 0.6 else None,
                        fixed,
                        chain=True,
                    )
                )
        self._small_merchants(ms)
        self.merchants = ms
        self.merchant_cum = list(_accumulate([m.weight for m in ms]))
        self.by_kind: dict[str, list[Merchant]] = {}
        for m in ms:
            self.by_kind.setdefault(m.kind, []).append(m)

    def _small_merchants(self, ms: list[Merchant]) -> None:
        """Independent shops, a long tail of rarely visited ones."""
        rng = self.rng
        n_small = max(40, self.n_docs // 12)
        kinds = [
            ("restaurant", 20),
            ("dinner", 8),
            ("cafe", 12),
            ("bakery", 8),
            ("taxi", 4),
            ("hairdresser", 2),
            ("tabac", 5),
            ("pharmacy", 3),
            ("florist", 2),
            ("print", 3),
            ("diy", 3),
            ("hotel", 3),
            ("office", 2),
        ]
        kind_names = [k for k, _ in kinds]
        kind_cum = list(_accumulate([w for _, w in kinds]))
        for i in range(n_small):
            # every kind has at least one shop, however small the data set
            kind = (
                kind_names[i]
                if i < len(kind_names)
                else rng.choices(kind_names, cum_weights=kind_cum)[0]
            )
            sign = self._shop_sign(kind)
            fam = rng.choice(FAMILY_NAMES)
            legal = rng.choice(
                [
                    f"{rng.choice(FORMS)} {_caps_ascii(sign)}",
                    f"{rng.choice(FORMS)} {_caps_ascii(fam)}",
                    f"{_caps_ascii(fam)} {rng.choice(GIVEN).upper()}",
                    f"{rng.choice(FORMS)} {_caps_ascii(fam)} ET FILS",
                ]
            )
            if rng.random() < 0.85:
                network = _caps_ascii(sign)
            elif legal.split(" ", 1)[0] in FORMS:
                network = legal.split(" ", 1)[1]  # debited under the company, not the sign
            else:
                network = legal  # a sole trader's own name
            if kind == "taxi":
                network = f"TAXI {rng.randint(1, 999)} {rng.choice(CITIES[:5])}"
            if rng.random() < 0.3:
                prefix = rng.choices(
                    [p for p, _ in PROCESSORS], weights=[w for _, w in PROCESSORS]
                )[0]
                network = prefix + (network if rng.random() < 0.7 else _fold(sign))
            vat, _ = _vat(rng)
            fixed = ()
            if kind == "cafe":
                fixed = tuple(
                    rng.sample([170, 190, 210, 240, 260, 280, 320, 350, 380, 420, 450], 5)
                )
            # a long tail, and a few canteens the staff go to every day
            weight = min(rng.paretovariate(1.3), 25.0) * 0.08
            ms.append(
                Merchant(
                    kind,
                    sign,
                    legal,
                    network,
                    rng.choice(CITIES),
                    weight,
                    vat if rng.random() < 0.5 else None,
                    fixed,
                )
            )

    def _shop_sign(self, kind: str) -> str:
        rng = self.rng
        place = rng.choice(PLACES)
        art = "L'" if place[0] in "AEIOUÉ" else ("La " if place in FEMININE else "Le ")
        fam = rng.choice(FAMILY_NAMES)
        given = rng.choice(GIVEN)
        options = {
            "restaurant": [
                f"{art}{place} {rng.choice(ADJ)}",
                f"Bistrot du {place}",
                f"Chez {given}",
                f"{rng.choice(ASIAN)} {rng.choice(ASIAN)}",
                f"Brasserie {fam}",
                f"Au {place} Gourmand",
                f"Pizzeria {place}",
                f"Bouchon {given}",
            ],
            "dinner": [
                f"Maison {fam}",
                f"{art}{place} Étoilé",
                f"Restaurant {given} {fam}",
                f"Le Bouchon du {place}",
            ],
            "cafe": [
                f"Café du {place}",
                f"Bar {art}{place}",
                f"Le {place} Café",
                "Bar Tabac des Sports",
            ],
            "bakery": [f"Boulangerie {fam}", f"Au Pain du {place}", f"Fournil {given}"],
            "taxi": [f"Taxi {given} {fam}"],
            "hairdresser": [f"Salon {given}", f"{given} Coiffure", f"L'Atelier Coiffure {place}"],
            "tabac": [
                f"Tabac Presse du {place}",
                f"Le Narval {place}",
                f"Maison de la Presse {fam}",
            ],
            "pharmacy": [f"Pharmacie du {place}", f"Pharmacie {fam}"],
            "florist": [f"Fleurs {given}", f"Au Jardin du {place}"],
            "print": [f"Copy {place}", f"Imprimerie {fam}", f"Repro {place} Services"],
            "diy": [f"Quincaillerie {fam}", f"Bricomarché {place}", f"Outillage {fam}"],
            "hotel": [f"Hôtel du {place}", f"Hôtel {fam}", f"Le {place} Hôtel & Spa"],
            "office": [f"Papeterie {fam}", f"Bureau {place}"],
        }
        return rng.choice(options[kind])

    def _suppliers(self) -> None:
        rng = self.rng
        sups = []
        for _ in range(max(12, self.n_docs // 45)):
            trade, trade_caps = rng.choice(TRADES)
            fam = rng.choice(FAMILY_NAMES)
            form = rng.choice(FORMS)
            style = rng.random()
            if style < 0.4:
                legal = f"{form} {fam} {trade}"
                short = f"{_caps_ascii(fam)} {trade_caps}"
            elif style < 0.7:
                acro = "".join(rng.choice("ABCDEGHLMRSTV") for _ in range(rng.randint(2, 4)))
                legal = f"{acro} {trade} {form}"
                short = acro
            elif style < 0.85:
                legal = f"{rng.choice(GIVEN)} {fam}"  # freelancer, EI
                short = _caps_ascii(legal)
            else:
                legal = f"{trade} {rng.choice(PLACES)} {form}"
                short = _caps_ascii(f"{trade} {rng.choice(PLACES)}")
            vat, _ = _vat(rng)
            num_style = rng.randrange(5)
            sups.append(
                {
                    "legal": legal,
                    "short": short,
                    "vat": vat,
                    "iban": _iban(rng),
                    "num_style": num_style,
                    "seq": rng.randint(12, 4000),
                    "median": math.exp(rng.gauss(math.log(900), 0.9)),
                    "terms": rng.choice([0, 15, 30, 30, 45, 60]),
                }
            )
        self.suppliers = sups
        clients = []
        for _ in range(max(8, self.n_docs // 150)):
            fam = rng.choice(FAMILY_NAMES)
            clients.append(
                {
                    "legal": rng.choice(
                        [
                            f"{rng.choice(FORMS)} {fam} Construction",
                            f"Mairie de {rng.choice(CITIES).title()}",
                            f"{fam} Promotion {rng.choice(FORMS)}",
                            f"Bailleur Social {rng.choice(PLACES)}",
                            f"OPAC du {rng.choice(['Rhône', 'Isère', 'Ain', 'Savoie'])}",
                        ]
                    ),
                    "iban": _iban(rng),
                    "vat": _vat(rng)[0],
                }
            )
        self.clients = clients
        self.sales_seq = rng.randint(100, 900)

    def _fx(self) -> None:
        rng = self.rng
        mid = {
            "USD": 0.92,
            "GBP": 1.18,
            "CHF": 1.06,
            "JPY": 0.0061,
            "SEK": 0.087,
            "DKK": 0.134,
            "PLN": 0.232,
            "CZK": 0.0398,
            "CAD": 0.676,
            "MAD": 0.092,
        }
        self.fx: dict[str, list[float]] = {}
        for cur, rate in mid.items():
            series, r = [], rate
            for _ in range(DAYS + 60):
                r *= math.exp(rng.gauss(0, 0.004))
                series.append(r)
            self.fx[cur] = series

    # --- small helpers ---------------------------------------------------------

    def _id(self, prefix: str) -> str:
        while True:
            ident = f"{prefix}{self.rng.getrandbits(48):012x}"
            if ident not in self._ids:
                self._ids.add(ident)
                return ident

    def _tx_id(self, account: Account) -> str:
        self._tx_seq += 1
        if account.style == "neo":
            h = self.rng.getrandbits(64)
            return f"{h:016x}-{self._tx_seq:06d}"
        if account.style == "trad":
            return f"T{self._tx_seq:07d}{self.rng.randint(1000, 9999)}"
        return f"O-{self._tx_seq:07d}-{self.rng.getrandbits(20):05x}"

    def _day(self) -> date:
        return self.rng.choices(self.days, cum_weights=self.day_cum)[0]

    def _at(self, day: date, kind: str) -> datetime:
        lo, hi = KINDS.get(kind, (0, (8, 20), 1))[1]
        minutes = self.rng.randint(lo * 60, hi * 60 - 1)
        return datetime(day.year, day.month, day.day, tzinfo=PARIS) + timedelta(
            minutes=minutes, seconds=self.rng.randint(0, 59)
        )

    def _next_business(self, day: date) -> date:
        while day.weekday() >= 5 or day in HOLIDAYS:
            day += timedelta(days=1)
        return day

    def _settle(self, at: datetime, lo: int = 1, hi: int = 3) -> datetime:
        day = self._next_business(
            at.astimezone(PARIS).date() + timedelta(days=self.rng.randint(lo, hi))
        )
        return datetime(day.year, day.month, day.day, 6, 0, tzinfo=PARIS)

    def _stamp(self, at: datetime, account: Account, date_only: bool = False) -> str:
        """How each bank writes an instant."""
        if account.style == "online":
            return at.astimezone(UTC).isoformat().replace("+00:00", "Z")
        if account.style == "trad" or date_only:
            d = at.astimezone(PARIS).date()
            return datetime(d.year, d.month, d.day, tzinfo=PARIS).isoformat()
        return at.isoformat()

    def _price(self, m: Merchant) -> int:
        rng = self.rng
        k = m.kind
        if m.fixed and (k in ("toll", "transit") or rng.random() < 0.6):
            if k == "cafe":
                return sum(rng.choice(m.fixed) for _ in range(rng.choice([1, 1, 1, 2, 2, 3, 4])))
            return rng.choice(m.fixed)

        def logn(median: float, sigma: float, step: int = 1, lo: int = 50) -> int:
            c = int(math.exp(rng.gauss(math.log(median * 100), sigma)))
            return max(lo, c // step * step)

        if k in ("restaurant", "dinner"):
            covers = rng.choices([1, 2, 3, 4, 5, 6, 8], weights=[30, 30, 15, 12, 6, 4, 3])[0]
            per = rng.uniform(14, 29) if k == "restaurant" else rng.uniform(32, 75)
            return sum(
                int(per * rng.uniform(0.8, 1.25)) * 100 // 50 * 50 for _ in range(covers)
            ) + rng.choice([0, 0, 0, 250, 390, 600])
        table = {
            "cafe": (6, 0.6, 10),
            "bakery": (9, 0.7, 10),
            "taxi": (28, 0.5, 10),
            "hairdresser": (38, 0.3, 100),
            "supermarket": (31, 0.9, 1),
            "fuel": (68, 0.3, 1),
            "parking": (7, 0.8, 10),
            "train": (74, 0.6, 100),
            "ride": (21, 0.5, 1),
            "hotel": (105, 0.5, 1),
            "diy": (58, 1.0, 1),
            "office": (46, 0.9, 1),
            "online": (39, 1.0, 1),
            "pharmacy": (14, 0.6, 1),
            "tabac": (7, 0.7, 10),
            "florist": (42, 0.4, 100),
            "print": (64, 0.8, 1),
            "toll": (8, 0.6, 10),
            "transit": (2, 0.2, 10),
        }
        med, sig, step = table[k]
        if k == "hotel":
            return logn(med, sig, 1) * rng.choice([1, 1, 1, 2, 2, 3, 4])
        return logn(med, sig, step)

    def _tip(self, bill: int) -> int:
        rng = self.rng
        style = rng.random()
        if style < 0.4:
            tip = int(bill * rng.uniform(0.05, 0.15))
            if rng.random() < 0.5:
                tip = max(10, tip // 10 * 10)
            return max(10, tip)
        if style < 0.7:
            step = 100 if bill < 4000 or rng.random() < 0.5 else 500
            total = (bill // step + 1) * step
            if total - bill < 20:
                total += step
            return total - bill
        flat = [100, 200, 300, 500, 1000] if bill > 3000 else [50, 100, 150, 200]
        return rng.choice(flat)

    def _descriptor(self, m: Merchant, account: Account, at: datetime, card: str) -> str:
        core = m.network[:22].rstrip()
        local = at.astimezone(PARIS) if m.country == "FR" else at
        dd, mm, yy = f"{local.day:02d}", f"{local.month:02d}", f"{local.year % 100:02d}"
        if account.style == "neo":
            return core
        if account.style == "trad":
            if self.rng.random() < 0.8:
                return f"CARTE X{card} {dd}/{mm} {core}"
            return f"CB {core} {dd}/{mm}"
        city = m.city[:13] if m.country == "FR" else m.city[:13].upper()
        return f"FACTURE CARTE DU {dd}{mm}{yy} {core} {city} CARTE 4974XXXXXXXX{card}".replace(
            "  ", " "
        )

    def _card_tx(
        self,
        m: Merchant,
        at: datetime,
        cents: int,
        *,
        account: Account | None = None,
        local: tuple[int, str] | None = None,
        attached: bool = False,
    ) -> dict:
        rng = self.rng
        account = account or rng.choice(self.card_accounts)
        card = rng.choice(self.cards[account.id])
        tx = {
            "id": self._tx_id(account),
            "account_id": account.id,
            "amount": _amt(-cents),
            "currency": "EUR",
            "counterparty": self._descriptor(m, account, at, card),
            "operation_type": "card",
            "emitted_at": self._stamp(at, account),
            "settled_at": self._stamp(self._settle(at), account, date_only=True),
        }
        if local is not None:
            tx["local_amount"] = _local(local[0], local[1])
            tx["local_currency"] = local[1]
        if attached:
            tx["has_attachment"] = True
        self.txs.append(tx)
        return tx

    def _name_on_doc(self, m_sign: str, legal: str) -> str | None:
        rng = self.rng
        r = rng.random()
        if r < 0.62:
            name = m_sign
        elif r < 0.77:
            name = legal
        elif r < 0.84:
            name = m_sign.split()[0] if len(m_sign.split()) > 1 else m_sign
            if name.lower() in ("le", "la", "l'", "au", "chez", "bar", "café", "hôtel"):
                name = " ".join(m_sign.split()[:2])
        elif r < 0.91:
            return None
        else:
            name = m_sign
        if rng.random() < 0.4:
            name = name.upper()
        if rng.random() < 0.15:
            name = ocr_slip(rng, name)
        return name

    def _received(self, issued: date, invoice: bool = False) -> str:
        rng = self.rng
        r = rng.random()
        if invoice and r < 0.6:
            lag = rng.randint(0, 2)
        elif r < 0.4:
            lag = 0
        elif r < 0.8:
            # end-of-month batch for the accountant
            nxt = (issued.replace(day=28) + timedelta(days=4)).replace(day=1)
            lag = (nxt - issued).days + rng.randint(0, 8)
        else:
            lag = rng.randint(1, 90)
        day = issued + timedelta(days=lag)
        at = datetime(day.year, day.month, day.day, tzinfo=PARIS) + timedelta(
            minutes=rng.randint(7 * 60, 23 * 60)
        )
        return at.isoformat()

    def _add_doc(self, doc: dict, family: str, tx: dict | None) -> dict:
        doc = {k: v for k, v in doc.items() if v is not None}
        self.docs.append(doc)
        self.family[doc["id"]] = family
        self.truth[doc["id"]] = None if (tx is None or family in UNMATCHED) else tx["id"]
        return doc

    def _receipt(self, m: Merchant, day: date, cents: int, currency: str = "EUR", **extra) -> dict:
        doc = {
            "id": self._id("doc_"),
            "document_type": "receipt",
            "total": _amt(cents) if currency != "JPY" else str(cents),
            "currency": currency,
            "supplier_name": self._name_on_doc(m.sign, m.legal),
            "supplier_vat": m.vat if self.rng.random() < 0.5 else None,
            "issue_date": day.isoformat(),
            "received_at": self._received(day),
            "checksum": f"{self.rng.getrandbits(64):016x}",
        }
        doc.update(extra)
        return doc

    def _pick_merchant(
        self, kinds: tuple[str, ...] | None = None, chain: bool | None = None
    ) -> Merchant:
        if kinds is None and chain is None:
            return self.rng.choices(self.merchants, cum_weights=self.merchant_cum)[0]
        pool = [
            m
            for k in (kinds or tuple(self.by_kind))
            for m in self.by_kind.get(k, ())
            if chain is None or m.chain == chain
        ]
        return self.rng.choices(pool, weights=[m.weight for m in pool])[0]

    def _weekday_day(self, kind: str) -> date:
        weekend = KINDS[kind][2]
        while True:
            d = self._day()
            if d.weekday() < 5 or self.rng.random() < weekend:
                return d

    # --- families --------------------------------------------------------------

    def card(self, family: str) -> None:
        rng = self.rng
        if family == "card_chain":
            m = self._pick_merchant(
                (
                    "supermarket",
                    "fuel",
                    "parking",
                    "train",
                    "ride",
                    "diy",
                    "office",
                    "online",
                    "hotel",
                ),
                chain=True,
            )
        elif family == "repeat":
            m = self._pick_merchant(("toll", "transit", "cafe"))
        else:
            m = self._pick_merchant(
                (
                    "restaurant",
                    "cafe",
                    "bakery",
                    "tabac",
                    "pharmacy",
                    "florist",
                    "print",
                    "diy",
                    "hotel",
                    "office",
                    "hairdresser",
                    "taxi",
                ),
                chain=False if rng.random() < 0.8 else None,
            )
        day = self._weekday_day(m.kind)
        at = self._at(day, m.kind)
        cents = self._price(m)
        extra = {}
        if rng.random() < 0.12 and m.kind in ("diy", "office", "online", "print", "hotel"):
            # the extractor also saw the net total and the VAT
            net = round(cents / 1.2)
            extra["candidate_totals"] = [_amt(net), _amt(cents - net)]
        doc_day = day
        if rng.random() < 0.015 and day.day <= 12 and day.month <= 12 and day.day != day.month:
            doc_day = date(day.year, day.day, day.month)  # day and month swapped by OCR
        elif rng.random() < 0.02:
            doc_day = day - timedelta(days=1)  # till's clock / receipt printed before midnight
        tx = self._card_tx(m, at, cents)
        self._add_doc(self._receipt(m, doc_day, cents, **extra), family, tx)

    def tip(self, family: str) -> None:
        rng = self.rng
        kind = rng.choices(TIPPED, weights=[1, 0, 6, 2, 1])[0] if family == "tip" else "dinner"
        m = self._pick_merchant((kind,) if kind != "dinner" else ("dinner", "restaurant"))
        day = self._weekday_day(m.kind)
        bill = self._price(m)
        if family == "late_night":
            start = datetime(day.year, day.month, day.day, 22, 30, tzinfo=PARIS)
            printed = start + timedelta(minutes=rng.randint(0, 89))
            at = datetime(day.year, day.month, day.day, tzinfo=PARIS) + timedelta(
                days=1, minutes=rng.randint(1, 75)
            )
            paid = bill + (self._tip(bill) if rng.random() < 0.35 else 0)
            tx = self._card_tx(m, at, paid)
            self._add_doc(self._receipt(m, printed.date(), bill), family, tx)
            return
        at = self._at(day, m.kind)
        tip = self._tip(bill)
        tx = self._card_tx(m, at, bill + tip)
        extra = {}
        if rng.random() < 0.12:
            extra["candidate_totals"] = [_amt(bill + tip)]  # terminal slip stapled to the bill
        self._add_doc(self._receipt(m, day, bill, **extra), family, tx)

    def _trip(self) -> dict:
        rng = self.rng
        country, currency, tz, cities, us = rng.choice(
            [
                ("GB", "GBP", "Europe/London", ["LONDON", "MANCHESTER", "BIRMINGHAM"], False),
                ("US", "USD", "America/New_York", ["NEW YORK", "BOSTON", "CHICAGO"], True),
                ("US", "USD", "America/Los_Angeles", ["SAN FRANCISCO", "LOS ANGELES"], True),
                ("CH", "CHF", "Europe/Zurich", ["GENEVE", "LAUSANNE", "ZURICH"], False),
                ("JP", "JPY", "Asia/Tokyo", ["TOKYO", "OSAKA"], False),
                ("SE", "SEK", "Europe/Stockholm", ["STOCKHOLM"], False),
                ("DK", "DKK", "Europe/Copenhagen", ["KOBENHAVN"], False),
                ("PL", "PLN", "Europe/Warsaw", ["WARSZAWA", "KRAKOW"], False),
                ("CZ", "CZK", "Europe/Prague", ["PRAHA"], False),
                ("CA", "CAD", "America/Montreal", ["MONTREAL", "TORONTO"], True),
                ("MA", "MAD", "Africa/Casablanca", ["CASABLANCA", "MARRAKECH"], False),
            ]
        )
        start = self._day()
        return {
            "country": country,
            "currency": currency,
            "tz": ZoneInfo(tz),
            "city": rng.choice(cities),
            "us": us,
            "start": start,
            "days": rng.randint(2, 7),
            "account": rng.choice([self.neo, self.neo, self.trad, self.online]),
        }

    def _foreign_merchant(self, trip: dict) -> tuple[Merchant, str]:
        rng = self.rng
        kind = rng.choices(
            ["restaurant", "cafe", "taxi", "hotel", "transit", "supermarket", "office"],
            weights=[8, 4, 3, 1, 2, 2, 1],
        )[0]
        c = trip["country"]
        word = {
            "GB": [
                "THE KINGS ARMS",
                "PRET A MANGER",
                "COSTA COFFEE",
                "TESCO STORES",
                "TFL TRAVEL CH",
            ],
            "US": ["JOES DINER", "STARBUCKS STORE", "YELLOW CAB", "CVS PHARMACY", "MTA*NYCT PAYGO"],
            "CA": ["TIM HORTONS", "CAFE OLIMPICO", "TAXI DIAMOND", "STM METRO"],
            "CH": ["MIGROS", "COOP PRONTO", "SBB CFF FFS", "CAFE DU SOLEIL"],
            "JP": ["FAMILYMART", "LAWSON", "JR EAST", "SUKIYA"],
            "SE": ["ESPRESSO HOUSE", "SL ACCESS", "ICA NARA"],
            "DK": ["LAGKAGEHUSET", "DSB", "NETTO"],
            "PL": ["ZABKA", "BAR MLECZNY", "PKP INTERCITY"],
            "CZ": ["BILLA", "KAVARNA SLAVIA", "DPP PRAHA"],
            "MA": ["CAFE DE FRANCE", "MARJANE", "PETIT TAXI"],
        }[c]
        name = (
            rng.choice(word)
            if rng.random() < 0.6
            else f"{rng.choice(FAMILY_NAMES).upper()} {kind.upper()}"
        )
        m = Merchant(kind, name.title(), name, name, trip["city"], 0, country=c)
        if rng.random() < 0.2:
            m.network = rng.choice(["SQ *", "SUMUP *", "TST* ", "PAYPAL *"]) + name
        return m, kind

    def foreign(self, family: str) -> None:
        rng = self.rng
        if not hasattr(self, "_trips") or rng.random() < 0.08:
            self._trips = getattr(self, "_trips", []) + [self._trip()]
        trip = rng.choice(self._trips)
        m, kind = self._foreign_merchant(trip)
        day = trip["start"] + timedelta(days=rng.randint(0, trip["days"] - 1))
        if day > END:
            day = END
        lo, hi = KINDS[kind][1]
        at = datetime(day.year, day.month, day.day, tzinfo=trip["tz"]) + timedelta(
            minutes=rng.randint(lo * 60, hi * 60 - 1)
        )
        account = trip["account"]
        if family == "foreign_eur":
            at = datetime(day.year, day.month, day.day, tzinfo=PARIS) + timedelta(
                minutes=rng.randint(lo * 60, hi * 60 - 1)
            )
            m.country = rng.choice(["DE", "ES", "IT", "BE", "NL", "PT", "AT"])
            m.network = rng.choice(
                [
                    "BAECKEREI SCHMIDT",
                    "CERVECERIA LA ROSA",
                    "TRATTORIA DA LUCA",
                    "BRASSERIE DE LA GARE",
                    "CAFE DE JAREN",
                    "PASTELARIA ALFAMA",
                    "WIENER LINIEN",
                    "DB VERTRIEB GMBH",
                    "RENFE VIAJEROS",
                    "AUTOGRILL",
                ]
            )
            m.sign = m.network.title()
            m.legal = m.network
            cents = self._price(Merchant(kind, "", "", "", "", 0))
            paid = cents + (self._tip(cents) if kind in TIPPED and rng.random() < 0.15 else 0)
            tx = self._card_tx(m, at, paid, account=account)
            name = self._name_on_doc(m.sign, m.legal) if rng.random() < 0.7 else None
            doc = self._receipt(m, day, cents, supplier_name=name)
            if m.country == "PT":
                tx["emitted_at"] = self._stamp(at.astimezone(ZoneInfo("Europe/Lisbon")), account)
            self._add_doc(doc, family, tx)
            return
        cur = trip["currency"]
        base = self._price(Merchant(kind, "", "", "", "", 0))
        rate0 = self.fx[cur][(day - START).days]
        if cur == "JPY":
            local_bill = max(100, int(base / 100 / rate0) // 10 * 10)
        else:
            local_bill = max(100, int(base / 100 * 0.92 / rate0 * 100) // 10 * 10)
        tip = 0
        if trip["us"] and kind in ("restaurant", "cafe", "taxi"):
            tip = int(local_bill * rng.choice([0.15, 0.18, 0.18, 0.2, 0.2, 0.22]))
        elif cur == "GBP" and kind == "restaurant" and rng.random() < 0.3:
            tip = int(local_bill * 0.1)
        local_paid = local_bill + tip
        if family == "dcc":
            # The terminal offered euros: the receipt is in EUR at the merchant's rate.
            eur = int(local_paid * (100 if cur == "JPY" else 1) * rate0 * 1.045)
            tx = self._card_tx(m, at, eur, account=account)
            doc = self._receipt(m, day, eur, supplier_name=m.sign if rng.random() < 0.6 else None)
            doc["candidate_totals"] = [_local(local_paid, cur)]
            self._add_doc(doc, family, tx)
            return
        settle_rate = self.fx[cur][(day - START).days + rng.randint(1, 2)]
        markup = {"neo": 0.0, "trad": 0.0, "online": 0.015}[account.style]
        scale = 100 if cur == "JPY" else 1
        eur = max(1, round(local_paid * scale * settle_rate * (1 + markup)))
        tx = self._card_tx(m, at, eur, account=account, local=(local_paid, cur))
        tx["emitted_at"] = at.isoformat() if account.style == "neo" else self._stamp(at, account)
        if account.style == "trad":
            fee = round(eur * 0.0225) + 25
            fee_tx = {
                "id": self._tx_id(account),
                "account_id": account.id,
                "amount": _amt(-fee),
                "currency": "EUR",
                "counterparty": f"COMMISSION CB HORS ZONE EURO {m.network[:12]}",
                "operation_type": "card",
                "emitted_at": self._stamp(self._settle(at), account),
            }
            self.txs.append(fee_tx)
        doc_day = day
        if trip["us"] and day.day <= 12 and day.day != day.month and rng.random() < 0.2:
            doc_day = date(day.year, day.day, day.month)
        name = None if rng.random() < 0.5 or cur == "JPY" else self._name_on_doc(m.sign, m.legal)
        doc = self._receipt(m, doc_day, local_bill, currency=cur, supplier_name=name)
        if tip and rng.random() < 0.3:
            doc["candidate_totals"] = [_local(local_paid, cur)]
        self._add_doc(doc, family, tx)

    SAAS = [
        # sign, legal, network, currency, base cents, per-seat?
        ("Google Workspace", "Google Cloud France SARL", "GOOGLE*WORKSPACE", "EUR", 1380, True),
        ("Microsoft 365", "Microsoft Ireland Operations Ltd", "MSFT *E0400", "EUR", 1260, True),
        (
            "Adobe",
            "Adobe Systems Software Ireland Ltd",
            "ADOBE *CREATIVE CLOUD",
            "EUR",
            7199,
            False,
        ),
        ("OVHcloud", "OVH SAS", "OVH SAS", "EUR", 4788, False),
        ("LinkedIn", "LinkedIn Ireland Unlimited Company", "LINKEDIN P", "EUR", 5999, False),
        ("Canva", "Canva Pty Ltd", "CANVA* 0", "EUR", 1199, False),
        ("Autodesk", "Autodesk Ireland Operations", "AUTODESK", "EUR", 28800, True),
        ("Doctolib", "Doctolib SAS", "DOCTOLIB", "EUR", 12900, False),
        ("Slack", "Slack Technologies LLC", "SLACK T0", "USD", 875, True),
        ("Notion", "Notion Labs, Inc.", "NOTION LABS, INC.", "USD", 1000, True),
        ("GitHub", "GitHub, Inc.", "GITHUB, INC.", "USD", 400, True),
        ("OpenAI", "OpenAI, L.L.C.", "OPENAI *CHATGPT SUBSCR", "USD", 2000, False),
        ("Figma", "Figma, Inc.", "FIGMA MONTHLY RENEWAL", "USD", 1500, True),
        ("Zoom", "Zoom Video Communications", "ZOOM.US 888-799-9666", "USD", 1399, False),
    ]

    def subscription(self, family: str, budget: int) -> int:
        rng = self.rng
        eur = [s for s in self.SAAS if s[3] == "EUR"]
        usd = [s for s in self.SAAS if s[3] == "USD"]
        sign, legal, network, cur, base, seats = rng.choice(
            eur if family == "subscription_card" else usd
        )
        seats_n = rng.randint(2, 25) if seats else 1
        used = self._dd_used.get(sign, 0)
        self._dd_used[sign] = used + 1
        if used and not seats:  # another subscription to the same service: another plan
            base = int(base * rng.choice([0.5, 1.5, 2, 3, 4])) // 100 * 100 + rng.choice(
                [0, 99, 90]
            )
        m = Merchant(
            "online",
            sign,
            legal,
            network + ("" if network[-1] != "0" else f"{rng.randint(10000, 99999)}"),
            "IE",
            0,
        )
        account = rng.choice([self.neo, self.online, self.neo])
        day0 = rng.randint(1, 28)
        start_month = rng.randint(1, 4)
        made = 0
        num = rng.randint(100000, 999999)
        for month in range(start_month, 13):
            if made >= budget:
                break
            if rng.random() < 0.1 and seats:
                seats_n = max(1, seats_n + rng.choice([-1, 1, 2]))
            day = date(2025, month, day0)
            at = datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(
                minutes=rng.randint(0, 1439)
            )
            cents = base * seats_n
            if cur == "USD":
                rate = self.fx["USD"][(day - START).days + 1]
                tx = self._card_tx(
                    m,
                    at,
                    round(cents * rate * (1.015 if account.style == "online" else 1)),
                    account=account,
                    local=(cents, "USD"),
                )
            else:
                tx = self._card_tx(m, at, cents, account=account)
            num += 1
            doc = {
                "id": self._id("doc_"),
                "document_type": "invoice",
                "total": _amt(cents),
                "currency": cur,
                "supplier_name": legal if rng.random() < 0.6 else sign,
                "customer_name": self.org_name if rng.random() < 0.7 else None,
                "customer_vat": self.org_vat if rng.random() < 0.5 else None,
                "issue_date": at.astimezone(PARIS if rng.random() < 0.5 else UTC)
                .date()
                .isoformat(),
                "invoice_number": f"{network[:3].upper()}-{num}",
                "received_at": self._received(day, invoice=True),
            }
            if cur == "EUR" and rng.random() < 0.5:
                net = round(cents / 1.2)
                doc["candidate_totals"] = [_amt(net)]
            self._add_doc(doc, family, tx)
            made += 1
        return made

    DD_CREDITORS = [
        # sign, legal, DD counterparty, kind ("fixed"|"variable"|"energy"|"quarterly"), median, issue lag
        ("Orange Business", "Orange SA", "ORANGE SA", "variable", 210, (7, 12)),
        ("Orange", "Orange SA", "ORANGE", "fixed", 5999, (7, 12)),
        ("SFR Business", "Société Française du Radiotéléphone", "SFR", "fixed", 5400, (5, 10)),
        ("Free Pro", "Free Pro SAS", "FREE PRO", "fixed", 3999, (5, 8)),
        (
            "Bouygues Telecom Entreprises",
            "Bouygues Telecom",
            "BOUYGUES TELECOM",
            "variable",
            160,
            (6, 11),
        ),
        (
            "EDF Entreprises",
            "Electricité de France",
            "EDF CLIENTS PROFESSIONNELS",
            "energy",
            380,
            (8, 12),
        ),
        ("ENGIE Pro", "ENGIE", "ENGIE", "energy", 150, (8, 12)),
        (
            "TotalEnergies Électricité et Gaz",
            "TotalEnergies Electricité et Gaz France",
            "TOTALENERGIES EGF",
            "energy",
            240,
            (6, 10),
        ),
        (
            "Eau du Grand Lyon",
            "Eau du Grand Lyon SPL",
            "EAU DU GRAND LYON",
            "quarterly",
            180,
            (10, 12),
        ),
        ("AXA Entreprises", "AXA France IARD", "AXA FRANCE IARD", "fixed", 28745, (5, 9)),
        ("Hiscox", "Hiscox SA", "HISCOX", "fixed", 8910, (5, 9)),
        ("MMA Pro", "MMA IARD", "MMA IARD", "fixed", 14220, (5, 9)),
        ("Alan", "Alan SA", "ALAN SA", "variable", 1400, (5, 7)),
        ("DIAC Location", "DIAC LOCATION", "DIAC LOCATION", "lease", 42990, (8, 12)),
        ("Arval", "Arval Service Lease", "ARVAL SERVICE LEASE", "lease", 51860, (8, 12)),
        ("Pennylane", "Pennylane SAS", "PENNYLANE", "fixed", 19900, (5, 7)),
        ("Sage", "Sage SAS", "SAGE SAS", "fixed", 8640, (5, 10)),
        ("Securitas Direct", "Verisure France", "VERISURE", "fixed", 5490, (5, 10)),
        ("Elis", "Elis SA", "ELIS", "variable", 95, (6, 12)),
    ]

    def _dd_reference(
        self, issue: date, seq: int, style: int, contract: str, multi: bool, rum: str, ics: str
    ) -> tuple[str, str | None]:
        """The invoice number and the remittance text of its direct debit."""
        period = f"{issue.month:02d}/{issue.year}"
        if multi:  # a lessor names the contract on each of its debits
            return f"{contract}/{issue.month:02d}", f"ECH {period} CONTRAT {contract}"
        number = {
            0: f"F{issue.year}{seq:07d}",
            1: f"{contract[:7]}-{issue.month:02d}{issue.year % 100}",
            2: f"FA{seq}",
        }[style]
        r = self.rng.random()
        if r < 0.35:
            return number, f"{rum} {number}"
        if r < 0.6:
            return number, f"ECH {period} CONTRAT {contract}"
        if r < 0.8:
            return number, f"{ics} {rum}"
        return number, None

    def monthly_dd(self, family: str, budget: int) -> int:
        rng = self.rng
        sign, legal, creditor, kind, median, lag = rng.choice(self.DD_CREDITORS)
        account = rng.choice([self.trad, self.trad, self.neo])
        contract = f"{rng.randint(10**9, 10**10 - 1)}"
        same = random.Random(creditor)  # a creditor's identifier is the same on every contract
        ics = f"FR{same.randint(10, 99)}ZZZ{same.randint(100000, 999999)}"
        number_style = rng.randrange(3)
        used = self._dd_used.get(sign, 0)
        self._dd_used[sign] = used + 1
        if used:  # another contract with the same creditor: its own price
            median = int(median * rng.uniform(0.55, 1.7))
            if kind in ("fixed", "lease"):
                median = median // 100 * 100 + rng.choice([0, 90, 99, 50])
        rum = f"{creditor[:3]}{rng.randint(10**7, 10**8 - 1)}"
        dd_day = rng.choice([5, 8, 10, 15, 20, 25, 28])
        made = 0
        months = (
            list(range(1, 13, 3)) if kind == "quarterly" else list(range(rng.randint(1, 3), 13))
        )
        fixed_amount = None
        if kind in ("fixed", "lease"):
            fixed_amount = median
        elif kind == "energy":
            fixed_amount = int(median * 100 * rng.uniform(0.7, 1.4))
        seq = rng.randint(1000, 99999)
        n_multi = 1
        if kind == "lease" and rng.random() < 0.5:
            n_multi = rng.randint(2, 3)  # several cars on identical contracts
        for month in months:
            for car in range(n_multi):
                if made >= budget:
                    return made
                if kind == "variable":
                    cents = int(median * 100 * rng.uniform(0.85, 1.25))
                elif kind == "quarterly":
                    cents = int(median * 100 * rng.uniform(0.6, 1.5))
                elif kind == "energy" and month == 12:
                    cents = int(fixed_amount * rng.uniform(0.3, 2.2))  # yearly true-up
                else:
                    cents = fixed_amount
                debit = self._next_business(date(2025, month, min(dd_day, 28)))
                issue = debit - timedelta(days=rng.randint(*lag))
                seq += 1
                number, reference = self._dd_reference(
                    issue, seq, number_style, f"{contract}{car}", n_multi > 1, rum, ics
                )
                at = datetime(debit.year, debit.month, debit.day, tzinfo=PARIS) + timedelta(
                    hours=rng.choice([0, 2, 5, 6])
                )
                label = creditor if account.style == "neo" else f"PRLV SEPA {creditor}"
                tx = {
                    "id": self._tx_id(account),
                    "account_id": account.id,
                    "amount": _amt(-cents),
                    "currency": "EUR",
                    "counterparty": label,
                    "operation_type": "direct_debit",
                    "emitted_at": self._stamp(at, account),
                    "settled_at": self._stamp(at, account),
                }
                if reference:
                    tx["reference"] = reference
                self.txs.append(tx)
                doc = {
                    "id": self._id("doc_"),
                    "document_type": "invoice",
                    "total": _amt(cents),
                    "currency": "EUR",
                    "supplier_name": self._name_on_doc(sign, legal) or legal,
                    "supplier_vat": _vat(random.Random(legal))[0] if rng.random() < 0.7 else None,
                    "customer_name": self.org_name if rng.random() < 0.6 else self.org_legal,
                    "issue_date": issue.isoformat(),
                    "due_date": debit.isoformat() if rng.random() < 0.7 else None,
                    "invoice_number": number,
                    "received_at": self._received(issue, invoice=True),
                }
                if rng.random() < 0.3:
                    doc["candidate_totals"] = [_amt(round(cents / 1.2))]
                self._add_doc(doc, family, tx)
                made += 1
        return made

    def rent(self, family: str, budget: int) -> int:
        rng = self.rng
        landlord = f"SCI {rng.choice(PLACES).upper()}"
        manager = rng.choice(["Foncia Lyon", "Nexity Lamy", "Citya Immobilier", landlord])
        cents = rng.randint(1200, 6500) * 100 + rng.choice([0, 0, 50, 83])
        account = rng.choice([self.trad, self.neo])
        iban = _iban(rng)
        # rent goes to the managing agent's account, sometimes straight to the landlord
        payee = _caps_ascii(manager) if rng.random() < 0.7 else landlord
        made = 0
        for month in range(1, 13):
            if made >= budget:
                break
            call = date(2025, month, 1) - timedelta(days=rng.randint(5, 12))
            if call < START:
                call = START
            pay = self._next_business(date(2025, month, rng.randint(1, 5)))
            at = datetime(pay.year, pay.month, pay.day, 3, tzinfo=PARIS)
            months_fr = "JANV FEVR MARS AVRIL MAI JUIN JUIL AOUT SEPT OCT NOV DEC".split()
            tx = {
                "id": self._tx_id(account),
                "account_id": account.id,
                "amount": _amt(-cents),
                "currency": "EUR",
                "counterparty": (payee if account.style == "neo" else f"VIR PERM {payee}"),
                "operation_type": "transfer",
                "emitted_at": self._stamp(at, account),
                "reference": rng.choice(
                    ["LOYER", f"LOYER {months_fr[month - 1]}", "LOYER + CHARGES", None]
                ),
                "counterparty_iban": iban,
            }
            self.txs.append({k: v for k, v in tx.items() if v is not None})
            doc = {
                "id": self._id("doc_"),
                "document_type": "invoice",
                "total": _amt(cents),
                "currency": "EUR",
                "supplier_name": manager,
                "supplier_iban": iban if rng.random() < 0.5 else None,
                "customer_name": self.org_legal,
                "issue_date": call.isoformat(),
                "due_date": date(2025, month, 5).isoformat(),
                "invoice_number": f"AVIS-{month:02d}-2025",
                "received_at": self._received(call, invoice=True),
            }
            self._add_doc(doc, family, self.txs[-1])
            made += 1
        return made

    def _supplier_invoice(self, s: dict, issue: date, cents: int) -> dict:
        rng = self.rng
        s["seq"] += rng.randint(1, 40)
        n = s["seq"]
        number = [
            f"F{issue.year}-{n:04d}",
            f"FA{n:06d}",
            f"INV/{issue.year}/{n:05d}",
            f"{issue.year % 100}{issue.month:02d}{n % 1000:03d}",
            f"{n}",
        ][s["num_style"]]
        name = s["legal"] if rng.random() < 0.75 else s["short"]
        if rng.random() < 0.3:
            name = name.upper()
        if rng.random() < 0.12:
            name = ocr_slip(rng, name)
        terms = s["terms"]
        return {
            "id": self._id("doc_"),
            "document_type": "invoice",
            "total": _amt(cents),
            "currency": "EUR",
            "supplier_name": name,
            "supplier_vat": s["vat"] if rng.random() < 0.8 else None,
            "supplier_iban": s["iban"] if rng.random() < 0.6 else None,
            "customer_name": rng.choice([self.org_name, self.org_legal, "VERDIER"]),
            "customer_vat": self.org_vat if rng.random() < 0.5 else None,
            "issue_date": issue.isoformat(),
            "due_date": (issue + timedelta(days=terms)).isoformat() if rng.random() < 0.8 else None,
            "invoice_number": number,
            "received_at": self._received(issue, invoice=True),
        }

    def _transfer_out(self, s: dict, day: date, cents: int, numbers: list[str]) -> dict:
        rng = self.rng
        account = rng.choice([self.neo, self.neo, self.trad, self.online])
        at = datetime(day.year, day.month, day.day, tzinfo=PARIS) + timedelta(
            minutes=rng.randint(480, 1140)
        )
        r = rng.random()
        if r < 0.5 and numbers:
            reference = rng.choice(["FACTURE ", "FACT ", "Fact. ", "REGLT FACT ", ""]) + " ".join(
                numbers
            )
        elif r < 0.6 and numbers:
            reference = "".join(ch for ch in numbers[0] if ch.isdigit())[-4:]
        elif r < 0.75:
            reference = rng.choice(
                ["REGLEMENT", "PAIEMENT FOURNISSEUR", f"CLIENT {rng.randint(100, 9999)}"]
            )
        else:
            reference = None
        name = rng.choice([s["legal"], s["short"], _caps_ascii(s["legal"])[:35]])
        label = name if account.style == "neo" else f"VIR SEPA {name}"
        if account.style == "online":
            label = f"VIR {_caps_ascii(name)}"
        tx = {
            "id": self._tx_id(account),
            "account_id": account.id,
            "amount": _amt(-cents),
            "currency": "EUR",
            "counterparty": label,
            "operation_type": "transfer",
            "emitted_at": self._stamp(at, account),
            "settled_at": self._stamp(self._settle(at, 1, 1), account, date_only=True),
            "counterparty_iban": s["iban"],
        }
        if reference:
            tx["reference"] = reference
        self.txs.append(tx)
        return tx

    def _pay_day(self, issue: date, s: dict) -> date:
        rng = self.rng
        r = rng.random()
        if r < 0.3:
            lag = rng.randint(0, 7)
        elif r < 0.75:
            lag = s["terms"] + rng.randint(-5, 10)
        else:
            lag = rng.randint(8, 45)
        return self._next_business(issue + timedelta(days=max(0, lag)))

    def transfer(self, family: str, budget: int = 1) -> int:
        rng = self.rng
        s = rng.choice(self.suppliers)
        issue = self._day()
        if family == "unpaid":
            issue = END - timedelta(days=rng.randint(0, 25))
        else:
            issue = min(issue, END - timedelta(days=50))
        net = max(2000, int(s["median"] * 100 * math.exp(rng.gauss(0, 0.6))))
        if rng.random() < 0.5:
            net = net // 1000 * 1000
        cents = round(net * 1.2)
        doc = self._supplier_invoice(s, issue, cents)
        pay = self._pay_day(issue, s)
        if family == "unpaid":
            self._add_doc(doc, family, None)
            return 1
        if family == "balance_due":
            deposit = cents * rng.choice([20, 30, 40, 50]) // 100
            doc["amount_due"] = _amt(cents - deposit)
            self._transfer_out(
                s,
                self._next_business(
                    issue - timedelta(days=rng.randint(20, 60))
                    if issue > START + timedelta(days=60)
                    else issue
                ),
                deposit,
                [],
            )
            tx = self._transfer_out(s, pay, cents - deposit, [doc["invoice_number"]])
        elif family == "discount":
            doc["candidate_totals"] = [_amt(round(cents * 0.98))]
            tx = self._transfer_out(
                s,
                self._next_business(issue + timedelta(days=rng.randint(1, 8))),
                round(cents * 0.98),
                [doc["invoice_number"]],
            )
        elif family == "ocr_total":
            # the extractor took the net total; the gross one is among the candidates
            doc["total"] = _amt(net)
            doc["candidate_totals"] = [_amt(cents), _amt(cents - net)]
            tx = self._transfer_out(s, pay, cents, [doc["invoice_number"]])
        elif family == "grouped":
            others = [
                self._supplier_invoice(
                    s,
                    issue - timedelta(days=rng.randint(0, 20)),
                    round(max(2000, int(s["median"] * 100 * math.exp(rng.gauss(0, 0.6)))) * 1.2),
                )
                for _ in range(rng.randint(1, 2))
            ]
            total = cents + sum(int(o["total"].replace(".", "")) for o in others)
            tx = self._transfer_out(
                s, pay, total, [doc["invoice_number"]] + [o["invoice_number"] for o in others]
            )
            # the other invoices of the payment may not be uploaded (budget)
            kept = others[: max(0, budget - 1)]
            for o in kept:
                self._add_doc(o, family, tx)
            self._add_doc(doc, family, tx)
            return 1 + len(kept)
        elif family == "partial":
            parts = rng.randint(2, 3)
            share = cents // parts
            tx = None
            for k in range(parts):
                amount = share if k < parts - 1 else cents - share * (parts - 1)
                tx = self._transfer_out(
                    s,
                    self._next_business(pay + timedelta(days=30 * k)),
                    amount,
                    [doc["invoice_number"]],
                )
        else:
            tx = self._transfer_out(s, pay, cents, [doc["invoice_number"]])
        self._add_doc(doc, family, tx)
        return 1

    def split(self, family: str) -> None:
        rng = self.rng
        m = self._pick_merchant(("online",), chain=True)
        day = self._weekday_day("online")
        a, b = self._price(m), self._price(m)
        self._card_tx(m, self._at(day, "online"), a)
        tx = self._card_tx(
            m, self._at(min(END, day + timedelta(days=rng.randint(1, 4))), "online"), b
        )
        doc = self._receipt(
            m, day, a + b, document_type="invoice", invoice_number=f"FR5{rng.randint(10**8, 10**9)}"
        )
        self._add_doc(doc, family, tx)

    def credit_note(self, family: str) -> None:
        rng = self.rng
        if family == "credit_offset" or rng.random() < 0.4:
            s = rng.choice(self.suppliers)
            issue = self._day()
            cents = max(1000, int(s["median"] * 100 * rng.uniform(0.05, 0.4)))
            doc = self._supplier_invoice(s, issue, cents)
            doc["document_type"] = "credit_note"
            doc["invoice_number"] = "AV-" + doc["invoice_number"]
            if rng.random() < 0.5:
                doc["total"] = "-" + doc["total"]
            tx = None
            if family == "credit_note":
                account = rng.choice([self.neo, self.trad])
                day = self._next_business(min(END, issue + timedelta(days=rng.randint(3, 40))))
                at = datetime(day.year, day.month, day.day, 10, tzinfo=PARIS)
                payer = _caps_ascii(s["legal"])
                tx = {
                    "id": self._tx_id(account),
                    "account_id": account.id,
                    "amount": _amt(cents),
                    "currency": "EUR",
                    "counterparty": payer
                    if account.style == "neo"
                    else f"VIR SEPA RECU /DE {payer}",
                    "operation_type": "income",
                    "emitted_at": self._stamp(at, account),
                    "reference": rng.choice(
                        [f"AVOIR {doc['invoice_number']}", "REMBOURSEMENT", "AVOIR"]
                    ),
                    "counterparty_iban": s["iban"],
                }
                self.txs.append(tx)
            self._add_doc(doc, family, tx)
            return
        m = self._pick_merchant(("online", "diy", "office", "supermarket"), chain=True)
        day = self._weekday_day(m.kind)
        cents = self._price(m)
        self._card_tx(m, self._at(day, m.kind), cents)  # the purchase (its receipt not uploaded)
        rday = min(END, day + timedelta(days=rng.randint(2, 30)))
        at = self._at(rday, m.kind)
        back = cents if rng.random() < 0.7 else max(100, cents * rng.randint(20, 80) // 100)
        tx = self._card_tx(m, at, -back)
        doc = self._receipt(m, rday, back, document_type="credit_note")
        if rng.random() < 0.5:
            doc["total"] = "-" + doc["total"]
        self._add_doc(doc, family, tx)

    def sale(self, family: str) -> None:
        rng = self.rng
        c = rng.choice(self.clients)
        issue = self._day()
        self.sales_seq += 1
        number = f"FV-2025-{self.sales_seq:05d}"
        cents = round(rng.randint(300, 40000) * 100 * 1.2)
        doc = {
            "id": self._id("doc_"),
            "document_type": "invoice",
            "total": _amt(cents),
            "currency": "EUR",
            "supplier_name": rng.choice([self.org_name, self.org_legal, "VERDIER INGENIERIE"]),
            "supplier_vat": self.org_vat if rng.random() < 0.85 else None,
            "supplier_iban": self.neo.iban if rng.random() < 0.7 else None,
            "customer_name": c["legal"],
            "customer_vat": c["vat"] if rng.random() < 0.5 else None,
            "issue_date": issue.isoformat(),
            "due_date": (issue + timedelta(days=30)).isoformat(),
            "invoice_number": number,
            "received_at": self._received(issue, invoice=True),
        }
        if rng.random() < 0.85:
            day = self._next_business(min(END, issue + timedelta(days=rng.randint(5, 60))))
            at = datetime(day.year, day.month, day.day, 9, tzinfo=PARIS)
            payer = _caps_ascii(c["legal"])
            account = self.neo
            tx = {
                "id": self._tx_id(account),
                "account_id": account.id,
                "amount": _amt(cents),
                "currency": "EUR",
                "counterparty": payer,
                "operation_type": "income",
                "emitted_at": self._stamp(at, account),
                "reference": rng.choice(
                    [number, f"FACTURE {number}", "VIREMENT", f"REGLEMENT {number[-5:]}"]
                ),
                "counterparty_iban": c["iban"],
            }
            self.txs.append(tx)
        self.sales.add(doc["id"])
        self._add_doc(doc, family, None)

    def unmatchable(self, family: str) -> None:
        rng = self.rng
        m = self._pick_merchant(
            ("restaurant", "cafe", "bakery", "taxi", "tabac", "pharmacy", "supermarket", "fuel")
        )
        day = self._weekday_day(m.kind)
        cents = self._price(m)
        if rng.random() < 0.5:
            other = self._pick_merchant()
            while other.sign == m.sign:  # another shop, not another branch of the same
                other = self._pick_merchant()
            d2 = min(END, max(START, day + timedelta(days=rng.randint(-3, 3))))
            self._card_tx(other, self._at(d2, other.kind), cents)
        self._add_doc(self._receipt(m, day, cents), family, None)

    def attached(self, family: str) -> None:
        m = self._pick_merchant()
        day = self._weekday_day(m.kind)
        cents = self._price(m)
        self._card_tx(m, self._at(day, m.kind), cents, attached=True)
        self._add_doc(self._receipt(m, day, cents), family, None)

    def duplicates(self, count: int) -> None:
        rng = self.rng
        pool = [d for d in self.docs if self.truth.get(d["id"]) is not None]
        for original in rng.sample(pool, min(count, len(pool))):
            copy = dict(original)
            copy["id"] = self._id("doc_")
            first = datetime.fromisoformat(original["received_at"])
            copy["received_at"] = (first + timedelta(hours=rng.randint(1, 24 * 40))).isoformat()
            if rng.random() < 0.5:  # scanned again rather than forwarded twice
                copy["checksum"] = f"{rng.getrandbits(64):016x}"
                if copy.get("supplier_name") and rng.random() < 0.5:
                    copy["supplier_name"] = ocr_slip(rng, copy["supplier_name"])
            self._add_doc(copy, "duplicate", None)

    # --- noise -----------------------------------------------------------------

    def noise(self, count: int) -> None:
        rng = self.rng
        if count <= 0:
            return
        kinds = (
            ["card"] * 70
            + ["income"] * 8
            + ["fees"] * 3
            + ["cash"] * 2
            + ["transfer"] * 6
            + ["refund"] * 1
            + ["salary_tax"] * 4
            + ["attached"] * 6
        )
        days = rng.choices(self.days, cum_weights=self.day_cum, k=count)
        merchants = rng.choices(self.merchants, cum_weights=self.merchant_cum, k=count)
        for day, m, kind in zip(days, merchants, rng.choices(kinds, k=count), strict=True):
            if kind in ("card", "attached", "refund"):
                if day.weekday() >= 5 and rng.random() > KINDS[m.kind][2]:
                    day = self._next_business(day)
                cents = self._price(m)
                if m.kind in TIPPED and rng.random() < KINDS[m.kind][0]:
                    cents += self._tip(cents)
                self._card_tx(
                    m,
                    self._at(day, m.kind),
                    -cents if kind == "refund" else cents,
                    attached=kind == "attached",
                )
                continue
            account = rng.choice(self.accounts)
            at = datetime(day.year, day.month, day.day, tzinfo=PARIS) + timedelta(
                minutes=rng.randint(360, 1320)
            )
            tx = {
                "id": self._tx_id(account),
                "account_id": account.id,
                "currency": "EUR",
                "emitted_at": self._stamp(at, account),
            }
            if kind == "income":
                c = rng.choice(self.clients)
                tx.update(
                    amount=_amt(rng.randint(200, 60000) * 100 // rng.choice([1, 1, 7])),
                    counterparty=_caps_ascii(c["legal"]),
                    operation_type="income",
                    reference=rng.choice(
                        [
                            f"FV-2024-{rng.randint(100, 999):05d}",
                            f"FACT {rng.randint(1000, 9999)}",
                            "ACOMPTE",
                            "SOLDE CHANTIER",
                        ]
                    ),
                    counterparty_iban=c["iban"],
                )
            elif kind == "fees":
                tx.update(
                    amount=_amt(-rng.choice([90, 150, 290, 1200, 1900, 2500, 4500])),
                    counterparty="",
                    operation_type="direct_debit",
                    reference=rng.choice(
                        [
                            "FRAIS TENUE DE COMPTE",
                            "COTISATION CARTE BUSINESS",
                            "COMMISSION D'INTERVENTION",
                            "ABONNEMENT OFFRE PRO",
                        ]
                    ),
                )
            elif kind == "cash":
                tx.update(
                    amount=_amt(-rng.choice([2000, 4000, 5000, 10000, 20000])),
                    counterparty=f"RETRAIT DAB {rng.choice(CITIES)}",
                    operation_type="card",
                )
            elif kind == "transfer":
                if rng.random() < 0.3:
                    other = rng.choice([a for a in self.accounts if a is not account])
                    tx.update(
                        amount=_amt(-rng.randint(10, 300) * 10000),
                        counterparty=self.org_legal,
                        operation_type="transfer",
                        reference="VIREMENT INTERNE",
                        counterparty_iban=other.iban,
                    )
                else:
                    s = rng.choice(self.suppliers)
                    tx.update(
                        amount=_amt(-int(s["median"] * 100 * math.exp(rng.gauss(0, 0.7)))),
                        counterparty=s["short"],
                        operation_type="transfer",
                        reference=rng.choice([None, "ACOMPTE", f"FACT {rng.randint(100, 99999)}"]),
                        counterparty_iban=s["iban"],
                    )
            else:
                who = rng.choice(
                    [
                        "URSSAF RHONE ALPES",
                        "DGFIP",
                        "DGFIP TVA",
                        "AG2R LA MONDIALE",
                        "SALAIRE",
                        "MALAKOFF HUMANIS",
                        "PRO BTP",
                    ]
                )
                if who == "SALAIRE":
                    tx.update(
                        amount=_amt(-rng.randint(1600, 4800) * 100 - rng.randint(0, 99)),
                        operation_type="transfer",
                        counterparty=f"{rng.choice(GIVEN).upper()} {_caps_ascii(rng.choice(FAMILY_NAMES))}",
                        reference=f"SALAIRE {day.month:02d}/2025",
                    )
                else:
                    tx.update(
                        amount=_amt(-rng.randint(300, 30000) * 100 - rng.randint(0, 99)),
                        operation_type="direct_debit",
                        counterparty=who if account.style == "neo" else f"PRLV SEPA {who}",
                    )
            self.txs.append({k: v for k, v in tx.items() if v is not None})

    # --- build -----------------------------------------------------------------

    def build(self):
        from bench.matching import Dataset

        self._setup()
        total = sum(SHARES.values())
        want = {f: round(self.n_docs * s / total) for f, s in SHARES.items()}
        want["card"] += self.n_docs - sum(want.values())
        order = [f for f in SHARES if f != "duplicate"]
        for family in order:
            n = want[family]
            made = 0
            guard = 0
            while made < n and guard < 10 * n + 10:
                guard += 1
                if family in ("card", "card_chain", "repeat"):
                    self.card(family)
                    made += 1
                elif family in ("tip", "late_night"):
                    self.tip(family)
                    made += 1
                elif family in ("foreign", "foreign_eur", "dcc"):
                    self.foreign(family)
                    made += 1
                elif family in ("subscription_card", "foreign_saas"):
                    made += self.subscription(family, n - made)
                elif family == "monthly_dd":
                    made += self.monthly_dd(family, n - made)
                elif family == "rent":
                    made += self.rent(family, n - made)
                elif family in (
                    "transfer",
                    "balance_due",
                    "discount",
                    "ocr_total",
                    "grouped",
                    "partial",
                    "unpaid",
                ):
                    made += self.transfer(family, n - made)
                elif family == "split":
                    self.split(family)
                    made += 1
                elif family in ("credit_note", "credit_offset"):
                    self.credit_note(family)
                    made += 1
                elif family == "sales":
                    self.sale(family)
                    made += 1
                elif family == "unmatchable":
                    self.unmatchable(family)
                    made += 1
                elif family == "attached":
                    self.attached(family)
                    made += 1
        self.duplicates(want["duplicate"])
        self.noise(self.n_tx - len(self.txs))
        # The feed arrives in booking order, the documents in upload order.
        self.txs.sort(key=lambda t: (_instant(t["emitted_at"]), t["id"]))
        self.docs.sort(key=lambda d: (_instant(d["received_at"]), d["id"]))
        org = {
            "name": self.org_name,
            "vat": self.org_vat,
            "siren": self.org_siren,
            "ibans": [a.iban for a in self.accounts],
        }
        return Dataset(
            organization=org,
            transactions=self.txs,
            documents=self.docs,
            truth=self.truth,
            sales_ids=self.sales,
            family=self.family,
        )


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _accumulate(values):
    total = 0.0
    for v in values:
        total += v
        yield total
