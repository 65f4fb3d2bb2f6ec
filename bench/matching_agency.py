"""A fourth, independently written generator for the matching benchmark: an events agency.

The business: a Paris events-and-catering agency (about forty staff) over calendar year
2025.  Staff travel to venues in France, Belgium, Spain, Italy, Germany, the UK and now
and then the US.  The agency banks with a neo-bank (most staff cards, a few transfers) and
a traditional French bank (supplier transfers, SEPA direct debits, directors' cards).
Documents arrive as phone photos (OCR'd, so names may be damaged or missing), emailed PDFs
and structured e-invoices.

Families (approximate share of documents; truth is None where stated):
- shop (13%): small-shop card receipts, often through a payment facilitator prefix.
- chain (6%) / franchise (4%): chain stores debited under the brand and a store number;
  franchises debited under the operating company's legal name while the receipt shows
  the shop sign, or the reverse.
- tip (9%): restaurants, cafés, taxis, hairdressers; the receipt shows the bill, the debit
  adds a percentage, a rounded-up bill or a flat amount; late dinners paid after midnight.
- hotel (4%): pre-authorisation and its release, prepaid stays, final debit above the
  folio (minibar, city tax).  car_rental (1.5%): deposit hold, refund, later extras.
- foreign (6%): receipts in GBP/USD/CHF/SEK/DKK/CZK/PLN, EUR debit with local amount and
  a bank markup, sometimes a separate fee line.  dcc (1.5%): receipt printed in EUR abroad.
- travel (3%): rail and air e-tickets bought online.
- marketplace (3%): one debit per invoice; marketplace_split (1.5%): one invoice paid by
  several shipment debits (None).
- saas (6%): monthly subscriptions by card in EUR and USD.
- direct_debit (7%): utilities, telecom, insurance, leasing; same amount most months.
- supplier (10%): caterers, venues, AV, printers, freelancers paid by transfer 0-60 days
  after issue; early_discount (1.5%); deposit (about 2%, deposit invoice and final
  invoice with `amount_due`); partial (1.5%, instalments, None); grouped (about 4%, one
  transfer for several invoices, None); unpaid (2.5%, None).
  Payments for late-2025 invoices may fall in early 2026.
- credit_refund (1.2%): credit note refunded by an incoming transfer or card credit;
  credit_offset (about 2%): credit note deducted from the next payment (None).
- sales (4%): invoices issued by the agency itself, paid by its clients (None).
- duplicate (3%): the same document uploaded again (later copy None).
- cash (2.5%) / private (1.5%): paid in cash or with a personal card (None), some next
  to a same-amount debit at another merchant.  attached (1%): the debit already carries
  its attachment (None).
About nine transactions in ten have no document (card spend without receipt, salaries,
taxes, bank fees, client payments, internal transfers, undocumented subscription months).

Written from the product brief only, without reading the matching engine, its rules or
the other generators: every merchant, name, descriptor format and rate is invented here.
"""

from __future__ import annotations

import math
import random
import unicodedata
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ONE = Decimal(1)
YEAR_START = date(2025, 1, 1)

ORG_NAME = "Maison Orphée Événements SAS"
ORG_SIREN = "824519367"

FAMILY_WEIGHTS = {
    "shop": 13,
    "chain": 6,
    "franchise": 4,
    "tip": 9,
    "hotel": 4,
    "car_rental": 1.2,
    "foreign": 6,
    "dcc": 1.5,
    "travel": 3,
    "marketplace": 3,
    "marketplace_split": 1.5,
    "saas": 6,
    "direct_debit": 7,
    "supplier": 10,
    "early_discount": 1.5,
    "deposit": 1.5,
    "partial": 1.5,
    "grouped": 1.3,
    "unpaid": 2.5,
    "credit_refund": 1.2,
    "credit_offset": 0.8,
    "sales": 4,
    "cash": 2.5,
    "private": 1.5,
    "attached": 1,
}
DUPLICATE_SHARE = 0.03

# (sign word, low, high, VAT rate %, opening hour, closing hour)
SHOP_KINDS = [
    ("Boulangerie", 2, 38, "5.5", 7, 19),
    ("Café", 2, 24, "10", 7, 22),
    ("Papeterie", 4, 120, "20", 9, 19),
    ("Fleuriste", 15, 180, "10", 9, 19),
    ("Pharmacie", 4, 60, "10", 9, 20),
    ("Quincaillerie", 3, 140, "20", 9, 18),
    ("Cave", 12, 220, "20", 10, 20),
    ("Épicerie", 3, 75, "5.5", 8, 21),
    ("Librairie", 8, 90, "5.5", 10, 19),
    ("Pressing", 6, 48, "20", 8, 19),
    ("Tabac Presse", 2, 30, "20", 7, 20),
    ("Traiteur", 15, 260, "10", 9, 20),
    ("Droguerie", 4, 65, "20", 9, 19),
    ("Cordonnerie", 8, 45, "20", 9, 18),
]
SHOP_TAILS = [
    "du Canal",
    "des Arts",
    "Saint-Gilles",
    "Les Tilleuls",
    "Chez Margaux",
    "La Fontaine",
    "du Marché",
    "Le Cormoran",
    "des Halles",
    "Montorgueil",
    "du Pont Neuf",
    "L'Escale",
    "Le Zéphyr",
    "Bellevue",
    "La Comète",
    "du Grand Cerf",
    "des Lilas",
    "Sainte-Anne",
    "Le Balto",
    "du Théâtre",
    "Les Quatre Saisons",
    "L'Olivier",
    "Le Tournesol",
    "Chez Paulette",
    "La Mandragore",
    "du Faubourg",
    "Le Rendez-Vous",
    "Les Gourmets",
    "Le Carillon",
    "de la Gare",
    "Saint-Roch",
    "Voltaire",
    "des Batignolles",
    "Oberkampf",
]
SURNAMES = [
    "Lemaire",
    "Roussel",
    "Garnier",
    "Fabre",
    "Chevallier",
    "Perrin",
    "Morel",
    "Girard",
    "Lambert",
    "Bonnet",
    "Faure",
    "Mercier",
    "Blanc",
    "Guérin",
    "Boyer",
    "Rivière",
    "Aubert",
    "Lefèvre",
    "Dumas",
    "Brunet",
    "Masson",
    "Marchand",
    "Duval",
    "Noël",
    "Carré",
    "Leclerc",
    "Hamon",
    "Perret",
    "Barbier",
    "Benali",
    "Nguyen",
    "Da Silva",
]
FIRST_NAMES = [
    "Camille",
    "Julien",
    "Sarah",
    "Karim",
    "Léa",
    "Thomas",
    "Inès",
    "Hugo",
    "Chloé",
    "Mehdi",
    "Manon",
    "Antoine",
    "Yasmine",
    "Lucas",
    "Émilie",
    "Nicolas",
]
FORMS = ["SARL", "SAS", "EURL", "SASU", "SNC"]
FACILITATORS = [
    "SUMUP  *",
    "SUMUP *",
    "SumUp *",
    "SQ *",
    "ZETTLE_*",
    "IZ *",
    "PAYPAL *",
    "PP*",
    "MYPOS*",
    "LYF*",
    "PAYPLUG*",
]
RESTO_KINDS = ["Brasserie", "Bistrot", "Restaurant", "Crêperie", "Trattoria", "Le Comptoir"]
# brand, central legal name, low, high, VAT, franchised?
CHAINS = [
    ("Frescia", "FRESCIA PROXIMITE SAS", 4, 90, "5.5", True),
    ("PapetOffice", "PAPETOFFICE FRANCE SAS", 6, 240, "20", True),
    ("Burger Atelier", "BURGER ATELIER DEVELOPPEMENT", 9, 70, "10", True),
    ("Pain & Cie", "PAIN ET COMPAGNIE SA", 3, 40, "5.5", True),
    ("Hexa Carburants", "HEXA ENERGIES DISTRIBUTION", 35, 120, "20", False),
    ("Parkéo", "PARKEO STATIONNEMENT SAS", 4, 48, "20", False),
    ("Pages & Co", "PAGES ET CO LIBRAIRIES", 8, 95, "5.5", True),
    ("Relais Presse Gare", "RELAIS PRESSE SERVICES", 2, 35, "20", False),
    ("Vitalia Pharmacie", "VITALIA GROUPEMENT", 4, 80, "10", True),
    ("Cafés Nomades", "NOMADES COFFEE SAS", 3, 28, "10", True),
    ("Sushi Kaizen", "KAIZEN RESTAURATION", 12, 85, "10", True),
    ("Brico Zénith", "ZENITH BRICOLAGE SA", 6, 300, "20", True),
]
# Country: currency, hours behind Paris, cities, merchant name templates, words.
COUNTRIES = {
    "FR": (
        "EUR",
        0,
        [
            "Paris",
            "Lyon",
            "Marseille",
            "Lille",
            "Bordeaux",
            "Nantes",
            "Nice",
            "Strasbourg",
            "Toulouse",
            "Reims",
            "Annecy",
            "Deauville",
        ],
        [],
        [],
    ),
    "BE": (
        "EUR",
        0,
        ["Bruxelles", "Liege", "Gent", "Antwerpen"],
        ["Brasserie {}", "Friterie {}", "Taverne {}"],
        ["du Sablon", "Flagey", "La Bourse"],
    ),
    "ES": (
        "EUR",
        0,
        ["Barcelona", "Madrid", "Valencia", "Sevilla"],
        ["Bar {}", "Restaurante {}", "Cafetería {}"],
        ["El Faro", "La Plaza", "Los Olivos"],
    ),
    "IT": (
        "EUR",
        0,
        ["Milano", "Roma", "Torino", "Bologna", "Firenze"],
        ["Trattoria {}", "Caffè {}", "Osteria {}"],
        ["da Enzo", "del Corso", "Bellini"],
    ),
    "DE": (
        "EUR",
        0,
        ["Berlin", "Muenchen", "Koeln", "Hamburg", "Frankfurt"],
        ["Gasthaus {}", "{} Bäckerei", "Café {}"],
        ["Zum Löwen", "Am Markt", "Spreeblick"],
    ),
    "GB": (
        "GBP",
        1,
        ["London", "Manchester", "Edinburgh"],
        ["The {} Arms", "{} Coffee Co", "{} Kitchen"],
        ["Crown", "Anchor", "Mulberry"],
    ),
    "US": (
        "USD",
        6,
        ["New York", "Chicago", "Miami", "Boston"],
        ["{} Diner", "{} Deli", "{} Grill"],
        ["Liberty", "Hudson", "Maple", "Empire"],
    ),
    "CH": (
        "CHF",
        0,
        ["Geneve", "Lausanne", "Zurich"],
        ["Café {}", "Brasserie {}"],
        ["du Lac", "Léman", "des Alpes"],
    ),
    "SE": ("SEK", 0, ["Stockholm", "Goteborg"], ["{} Kafé", "{} Bistro"], ["Solna", "Björk"]),
    "DK": ("DKK", 0, ["Kobenhavn", "Aarhus"], ["{} Kaffebar", "{} Spisehus"], ["Havn", "Nord"]),
    "CZ": ("CZK", 0, ["Praha", "Brno"], ["Kavárna {}", "Hospoda {}"], ["U Mostu", "Vltava"]),
    "PL": ("PLN", 0, ["Warszawa", "Krakow"], ["Kawiarnia {}", "Bistro {}"], ["Wisła", "Rynek"]),
}
EURO_ABROAD = ["BE", "ES", "IT", "DE"]
LOCAL_FORMS = {
    "BE": "SRL",
    "ES": "SL",
    "IT": "Srl",
    "DE": "GmbH",
    "GB": "Ltd",
    "US": "LLC",
    "CH": "Sàrl",
    "SE": "AB",
    "DK": "ApS",
    "CZ": "s.r.o.",
    "PL": "sp. z o.o.",
}
NON_EURO = ["GB", "GB", "GB", "US", "US", "CH", "CH", "SE", "DK", "CZ", "PL"]
# Units of local currency per euro at the start of 2025, daily drift.
RATES = {
    "GBP": (0.835, 0.00004),
    "USD": (1.035, 0.00038),
    "CHF": (0.94, -0.00002),
    "SEK": (11.45, -0.0025),
    "DKK": (7.46, 0.0),
    "CZK": (25.1, -0.002),
    "PLN": (4.27, -0.0001),
}
# name, legal, currency, plan prices (local), descriptor template
SAAS = [
    ("Planora", "Planora Inc.", "USD", ["12.00", "24.00", "49.00"], "PLANORA* {code}"),
    ("Mailvette", "Mailvette SAS", "EUR", ["29.00", "59.00", "119.00"], "MAILVETTE.COM"),
    ("Slidecraft", "Slidecraft Ltd", "USD", ["15.00", "30.00"], "SLIDECRAFT LTD"),
    ("Kloudbox", "Kloudbox Ireland Ltd", "EUR", ["9.99", "19.99", "99.00"], "KLOUDBOX IE"),
    ("TeamPulse", "TeamPulse GmbH", "EUR", ["6.50", "13.00", "65.00"], "TEAMPULSE GMBH"),
    ("Signaflow", "Signaflow SAS", "EUR", ["25.00", "45.00"], "SIGNAFLOW"),
    ("Pixelforge", "Pixelforge Inc.", "USD", ["19.99", "54.99"], "PIXELFORGE INC 8005550142 CA"),
    ("Tixly", "Tixly Events B.V.", "EUR", ["79.00", "149.00", "299.00"], "TIXLY*EVENTS {code}"),
    ("Meetbox", "Meetbox Inc.", "USD", ["14.99", "19.99"], "MEETBOX.US {code}"),
    ("Cartograf", "Cartograf Software SL", "EUR", ["35.00", "70.00"], "CARTOGRAF SOFTWARE"),
]
# name, legal, ICS, monthly?, low, high, fixed amount share
DD_CREDITORS = [
    ("Lumière Énergie", "LUMIERE ENERGIE SA", "FR44ZZZ401122", True, 180, 900, 0.8),
    ("Néotel Pro", "NEOTEL SAS", "FR12ZZZ512345", True, 39, 240, 0.9),
    ("Ondea Mobile", "ONDEA TELECOM SA", "FR77ZZZ118833", True, 120, 640, 0.7),
    ("Fibrea Business", "FIBREA RESEAUX SAS", "FR31ZZZ660021", True, 49, 99, 1.0),
    (
        "Mutuelle des Créateurs d'Événements",
        "MCE ASSURANCES",
        "FR90ZZZ230045",
        False,
        400,
        2600,
        1.0,
    ),
    ("Locapro Leasing", "LOCAPRO LEASE SAS", "FR05ZZZ870014", True, 390, 1400, 1.0),
    ("Copix Solutions", "COPIX SOLUTIONS SAS", "FR63ZZZ455901", True, 89, 320, 0.6),
    ("Eaux de Seine Services", "EAUX DE SEINE SERVICES", "FR28ZZZ100578", False, 60, 240, 0.3),
]
SUPPLIER_KINDS = [
    ("Traiteur", ["Maison {}", "{} Réceptions", "Les Saveurs {}"], 900, 18000),
    ("Lieu", ["Domaine {}", "Le Hangar {}", "Château {}", "Espace {}"], 1500, 25000),
    ("AV", ["{} Sonorisation", "Sonolux {}", "{} Scène & Lumière"], 400, 9000),
    ("Imprimerie", ["Imprimerie {}", "{} Print", "Atelier Graphique {}"], 150, 4500),
    ("Mobilier", ["{} Location Mobilier", "Déco {}"], 300, 7000),
    ("Transport", ["Autocars {}", "{} Navettes"], 400, 5000),
    ("Sécurité", ["{} Sécurité Privée", "Vigilance {}"], 500, 6000),
]
SUPPLIER_WORDS = [
    "Belcour",
    "des Quatre Vents",
    "Rivoli",
    "Montsouris",
    "42",
    "Opaline",
    "Saint-Martin",
    "Lumen",
    "Bercy",
    "Vauban",
    "Arago",
    "Azur",
    "Clairval",
    "Mirabeau",
    "Palatine",
    "Cerisaie",
    "Orsay",
    "Pléiade",
    "Condorcet",
]
FREELANCE_JOBS = [
    "Photographe",
    "Régisseur",
    "Graphiste",
    "DJ",
    "Scénographe",
    "Vidéaste",
    "Traductrice",
    "Hôtesse d'accueil",
]
CLIENTS = [
    ("Groupe Valmont", "FR"),
    ("Laboratoires Ferrand", "FR"),
    ("Banque Armorique", "FR"),
    ("Maison Delorme Parfums", "FR"),
    ("Cabinet Lestrade Avocats", "FR"),
    ("Institut Colbert", "FR"),
    ("Nexalis SAS", "FR"),
    ("Fondation Mireille Aubry", "FR"),
    ("Ville de Saint-Orme", "FR"),
    ("Brouwerij Vandamme NV", "BE"),
    ("Grupo Hostelero Levante SL", "ES"),
    ("Vetreria Lombarda SpA", "IT"),
    ("Kessler Maschinenbau GmbH", "DE"),
    ("Thornbury Consulting Ltd", "GB"),
]
NOISE_KINDS = [
    ("card", 60),
    ("card_abroad", 4),
    ("saas", 3),
    ("dd", 3),
    ("supplier", 7),
    ("income", 7),
    ("payroll", 5),
    ("fees", 2),
    ("tax", 2),
    ("internal", 2),
    ("refund", 1),
    ("atm", 1),
    ("travel", 3),
]
LOOKALIKES = {
    "O": "0",
    "0": "O",
    "l": "1",
    "1": "l",
    "I": "l",
    "S": "5",
    "B": "8",
    "e": "c",
    "c": "e",
    "m": "rn",
    "u": "v",
    "i": "l",
    "a": "o",
    "E": "F",
    "G": "6",
    "n": "ri",
    "h": "b",
    "t": "f",
}


def q(x: Decimal) -> Decimal:
    return x.quantize(CENT, rounding=ROUND_HALF_UP)


def money(x: Decimal) -> str:
    return str(q(x))


def ascii_upper(text: str) -> str:
    return " ".join(strip_accents(text).upper().replace("'", " ").split())


def strip_accents(text: str) -> str:
    norm = unicodedata.normalize("NFKD", text)
    return "".join(c for c in norm if not unicodedata.combining(c))


def _last_sunday(year: int, month: int) -> date:
    d = date(year, month + 1, 1) - timedelta(days=1)
    return d - timedelta(days=(d.weekday() + 1) % 7)


_DST: dict[int, tuple[datetime, datetime]] = {}


def iso(dt: datetime) -> str:
    """Paris wall-clock time with its offset: the banks and the upload portal live in Paris."""
    y = dt.year
    if y not in _DST:
        _DST[y] = (
            datetime.combine(_last_sunday(y, 3), time(2)),
            datetime.combine(_last_sunday(y, 10), time(3)),
        )
    a, b = _DST[y]
    return dt.isoformat(timespec="seconds") + ("+02:00" if a <= dt < b else "+01:00")


def add_business_days(d: datetime, n: int) -> datetime:
    while n > 0:
        d += timedelta(days=1)
        if d.weekday() < 5:
            n -= 1
    return d


def fr_iban(bank: str, branch: str, account: str) -> str:
    """A French IBAN with a correct RIB key, hence always the check digits 76."""
    key = 97 - (89 * int(bank) + 15 * int(branch) + 3 * int(account)) % 97
    return iban("FR", f"{bank}{branch}{account}{key:02d}")


def iban(country: str, bban: str) -> str:
    digits = "".join(str(int(c, 36)) for c in bban + country + "00")
    return f"{country}{98 - int(digits) % 97:02d}{bban}"


def fr_vat(siren: str) -> str:
    return f"FR{(12 + 3 * (int(siren) % 97)) % 97:02d}{siren}"


def net_name(prefix: str, name: str) -> str:
    """Card networks carry 22 characters of merchant name, facilitator prefix included."""
    return (prefix + ascii_upper(name))[:22].rstrip()


class AgencyGenerator:
    def __init__(self, n_docs: int, n_txs: int, seed: int):
        self.n_docs = n_docs
        self.n_txs = n_txs
        self.rng = random.Random(seed)
        self._txs: list[dict] = []
        self._out: list[tuple[dict, dict | None, str]] = []
        self._seq = 0

    # ------------------------------------------------------------------ build
    def build(self):
        from bench.matching import Dataset

        self._setup()
        target = self.n_docs - round(self.n_docs * DUPLICATE_SHARE)
        families = list(FAMILY_WEIGHTS)
        weights = list(FAMILY_WEIGHTS.values())
        while len(self._out) < target:
            fam = self.rng.choices(families, weights)[0]
            if self.n_txs - len(self._txs) < 8:
                fam = "cash"
            getattr(self, "_fam_" + fam)(target - len(self._out))
        while len(self._out) < self.n_docs:
            self._duplicate()
        if len(self._txs) > self.n_txs:
            raise ValueError(f"{self.n_txs} transactions are too few for {self.n_docs} documents")
        self._fill_noise()
        return self._finish(Dataset)

    def _finish(self, dataset_cls):
        txs = sorted(self._txs, key=lambda t: (t["_t"], t["_s"]))
        for i, t in enumerate(txs, 1):
            t["id"] = f"tx{i:07d}"
        for t in txs:
            del t["_t"], t["_s"]
        out = sorted(self._out, key=lambda o: (o[0]["_t"], o[0]["_s"]))
        truth, family, sales = {}, {}, set()
        documents = []
        for i, (doc, tx, fam) in enumerate(out, 1):
            doc["id"] = f"doc{i:06d}"
            del doc["_t"], doc["_s"]
            documents.append(doc)
            truth[doc["id"]] = tx["id"] if tx is not None else None
            family[doc["id"]] = fam
            if fam == "sales":
                sales.add(doc["id"])
        txs = [{"id": t.pop("id"), **t} for t in txs]
        documents = [{"id": d.pop("id"), **d} for d in documents]
        return dataset_cls(
            organization=self.org,
            transactions=txs,
            documents=documents,
            truth=truth,
            sales_ids=sales,
            family=family,
        )

    # ------------------------------------------------------------------ setup
    def _setup(self):
        rng = self.rng
        self.acc_neo = f"neo-{rng.randint(1000, 9999)}"
        self.acc_bank = f"bnk-{rng.randint(1000, 9999)}"
        neo_iban = fr_iban("16798", "00001", f"{rng.randint(10**9, 10**10 - 1):011d}")
        bank_iban = fr_iban(
            "30047", f"014{rng.randint(10, 99)}", f"000{rng.randint(10**7, 10**8 - 1)}"
        )
        self.org = {
            "name": ORG_NAME,
            "vat": fr_vat(ORG_SIREN),
            "siren": ORG_SIREN,
            "ibans": [neo_iban, bank_iban],
        }
        self.org_bank_iban = bank_iban
        self.cards = [
            {
                "acc": self.acc_neo if i < 34 else self.acc_bank,
                "last4": f"{rng.randint(0, 9999):04d}",
            }
            for i in range(40)
        ]
        self.staff = [f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}" for _ in range(40)]
        self._rates()
        scale = max(1, self.n_docs // 100)
        self.shops = [self._make_shop() for _ in range(20 + 12 * scale)]
        self.restos = [self._make_resto() for _ in range(15 + 8 * scale)]
        self.abroad = [self._make_abroad() for _ in range(10 + 6 * scale)]
        self.chain_stores = [self._make_chain_store() for _ in range(10 + 4 * scale)]
        self.suppliers = [self._make_supplier() for _ in range(8 + 3 * scale)]
        self.hotels = [self._make_hotel() for _ in range(6 + scale)]
        self._subs: list[tuple[dict, int]] = []
        self._dd_slots: list[tuple[dict, int]] = []
        self._sub_all: list[dict] = []
        self._dd_all: list[dict] = []
        self._used_months: set[tuple[int, int]] = set()
        self._inv_counter = 300

    def _rates(self):
        self.rates = {}
        for cur, (base, drift) in RATES.items():
            x, series = base, []
            for _ in range(400):
                x = x * (1 + self.rng.gauss(0, 0.003)) + drift
                series.append(Decimal(f"{x:.4f}"))
            self.rates[cur] = series

    def _legal(self, hint: str) -> str:
        rng = self.rng
        form = rng.choice(FORMS)
        sur = rng.choice(SURNAMES)
        pattern = rng.randrange(4)
        if pattern == 0:
            return f"{form} {sur.upper()}"
        if pattern == 1:
            return f"{sur} & Fils {form}"
        if pattern == 2:
            return f"{form} {ascii_upper(hint)}"
        return (
            f"{ascii_upper(sur)} {rng.choice(['DISTRIBUTION', 'ET ASSOCIES', 'COMMERCE'])} {form}"
        )

    def _siren(self) -> str:
        return f"{self.rng.choice('3456789')}{self.rng.randint(10**7, 10**8 - 1)}"

    def _merchant(self, sign, legal, city, country, lo, hi, vat, hours, fac_share):
        rng = self.rng
        fac = rng.choice(FACILITATORS) if rng.random() < fac_share else ""
        # Acquirers register either the sign or the company; a facilitator keeps what the
        # shopkeeper typed when signing up.
        registered = sign if rng.random() < 0.75 else legal
        return {
            "sign": sign,
            "legal": legal,
            "city": city,
            "country": country,
            "lo": lo,
            "hi": hi,
            "vat": vat,
            "hours": hours,
            "net": net_name(fac, registered),
            "vat_no": fr_vat(self._siren()) if country == "FR" else None,
        }

    def _make_shop(self):
        rng = self.rng
        kind, lo, hi, vat, o, c = rng.choice(SHOP_KINDS)
        tail = rng.choice(SHOP_TAILS)
        sign = f"{kind} {tail}" if rng.random() < 0.8 else tail.replace("du ", "Au ")
        city = "Paris" if rng.random() < 0.6 else rng.choice(COUNTRIES["FR"][2])
        return self._merchant(sign, self._legal(tail), city, "FR", lo, hi, vat, (o, c), 0.45)

    def _make_resto(self):
        rng = self.rng
        r = rng.random()
        city = "Paris" if rng.random() < 0.55 else rng.choice(COUNTRIES["FR"][2])
        if r < 0.7:
            sign = f"{rng.choice(RESTO_KINDS)} {rng.choice(SHOP_TAILS)}"
            m = self._merchant(sign, self._legal(sign), city, "FR", 14, 420, "10", (11, 23), 0.2)
            m["tip_kind"] = "resto"
        elif r < 0.88:
            driver = f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"
            sign = f"Taxi {driver}" if rng.random() < 0.6 else f"Taxi {rng.randint(1, 99)} {city}"
            m = self._merchant(sign, f"EI {driver}", city, "FR", 12, 95, "10", (0, 24), 0.6)
            m["tip_kind"] = "taxi"
        else:
            sign = f"{rng.choice(['Salon', 'Coiffure', 'Atelier'])} {rng.choice(SHOP_TAILS)}"
            m = self._merchant(sign, self._legal(sign), city, "FR", 25, 140, "20", (9, 19), 0.4)
            m["tip_kind"] = "hair"
        return m

    def _make_abroad(self):
        rng = self.rng
        cc = rng.choice(EURO_ABROAD + NON_EURO)
        cur, _, cities, templates, words = COUNTRIES[cc]
        sign = rng.choice(templates).format(rng.choice(words))
        legal = f"{sign} {LOCAL_FORMS[cc]}"
        m = self._merchant(sign, legal, rng.choice(cities), cc, 5, 120, "", (8, 23), 0.3)
        m["currency"] = cur
        return m

    def _make_chain_store(self):
        rng = self.rng
        brand, central, lo, hi, vat, franchised = rng.choice(CHAINS)
        city = "Paris" if rng.random() < 0.6 else rng.choice(COUNTRIES["FR"][2])
        area = rng.choice(SHOP_TAILS).split()[-1]
        sign = f"{brand} {area}" if rng.random() < 0.6 else brand
        store = f"{rng.randint(1, 2999):04d}"
        m = self._merchant(sign, central, city, "FR", lo, hi, vat, (8, 21), 0.0)
        m["net"] = net_name("", f"{brand} {store}" if rng.random() < 0.6 else f"{brand} {city}")
        m["brand"] = brand
        m["franchise"] = None
        if franchised:
            op = f"{rng.choice(FORMS)} {rng.choice(['DISTRI', 'EXPLOITATION', 'COMMERCE'])} {ascii_upper(area)}"
            debit_legal = rng.random() < 0.6
            m["franchise"] = {"legal": op, "debit_legal": debit_legal}
            m["legal"] = op
            if not debit_legal:
                m["net"] = net_name("", sign if sign != brand else f"{brand} {area}")
        return m

    def _make_supplier(self):
        rng = self.rng
        cc = "FR" if rng.random() < 0.85 else rng.choice(["BE", "ES", "IT"])
        if rng.random() < 0.25:
            person = f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"
            name, legal, lo, hi, vat = (
                f"{person} {rng.choice(FREELANCE_JOBS)}",
                f"EI {person}",
                250,
                4000,
                None,
            )
        else:
            _, templates, lo, hi = rng.choice(SUPPLIER_KINDS)
            name = rng.choice(templates).format(rng.choice(SUPPLIER_WORDS))
            legal = f"{name} {rng.choice(FORMS)}" if rng.random() < 0.7 else self._legal(name)
            vat = fr_vat(self._siren()) if cc == "FR" else f"{cc}{rng.randint(10**9, 10**10 - 1)}"
        bban = {"FR": 23, "BE": 12, "ES": 20, "IT": 23}[cc]
        body = "".join(rng.choice("0123456789") for _ in range(bban))
        if cc == "IT":
            body = "X" + body[1:]
        alias = self._alias(name, legal)
        return {
            "name": name,
            "legal": legal,
            "vat": vat,
            "iban": fr_iban(body[:5], body[5:10], body[10:21]) if cc == "FR" else iban(cc, body),
            "lo": lo,
            "hi": hi,
            "alias": alias,
            "terms": rng.choice([0, 30, 30, 30, 45, 60]),
            "fmt": rng.choice(
                [
                    "F{y}-{n:04d}",
                    "FA{n:06d}",
                    "{y}/{n:04d}",
                    "INV-{yy}-{n:05d}",
                    "{ini}{y}{m:02d}-{n}",
                ]
            ),
            "n": rng.randint(1, 900),
            "ref_habit": rng.random(),
        }

    def _alias(self, name: str, legal: str) -> str:
        """How the accountant typed the beneficiary in the banking app, once, long ago."""
        r = self.rng.random()
        if r < 0.4:
            return ascii_upper(name)
        if r < 0.6:
            return ascii_upper(legal)
        if r < 0.8:
            return name
        return ascii_upper(name).split()[-1] if len(name.split()) > 1 else ascii_upper(name)

    def _make_hotel(self):
        rng = self.rng
        cc = rng.choice(["FR"] * 6 + EURO_ABROAD)
        city = rng.choice(COUNTRIES[cc][2])
        r = rng.random()
        if r < 0.4:
            sign = f"Nuitée Hotels {city}"
            legal = "NUITEE HOTELS FRANCE SAS" if cc == "FR" else f"Nuitee Hotels {cc} BV"
        else:
            word = rng.choice(
                [
                    "du Parc",
                    "Le Marais Bleu",
                    "des Voyageurs",
                    "Beau Rivage",
                    "Central",
                    "de la Poste",
                    "Les Arcades",
                ]
            )
            sign = f"Hôtel {word}"
            legal = f"SARL HOTEL {ascii_upper(word)}" if cc == "FR" else f"{sign} {city} SL"
        m = self._merchant(sign, legal, city, cc, 0, 0, "10", (7, 12), 0.0)
        m["rate"] = rng.randint(85, 290)
        m["city_tax"] = Decimal(rng.choice(["1.65", "2.53", "3.30", "4.40", "5.06"]))
        return m

    # ------------------------------------------------------------------ primitives
    def _next(self) -> int:
        self._seq += 1
        return self._seq

    def _day(self, weekend_ok: float = 0.3) -> date:
        while True:
            d = YEAR_START + timedelta(days=self.rng.randrange(365))
            if d.weekday() < 5 or self.rng.random() < weekend_ok:
                return d

    def _moment(self, d: date, hours: tuple[int, int]) -> datetime:
        o, c = hours
        h = self.rng.randint(o, max(o, c - 1))
        return datetime.combine(d, time(min(h, 23), self.rng.randrange(60), self.rng.randrange(60)))

    def _price(self, lo: float, hi: float) -> Decimal:
        x = math.exp(self.rng.uniform(math.log(max(lo, 0.5)), math.log(hi)))
        cents = max(50, int(x * 100))
        r = self.rng.random()
        if r < 0.25:
            cents = cents // 10 * 10
        elif r < 0.4:
            cents = cents // 100 * 100 + self.rng.choice([0, 50, 90])
        return Decimal(max(cents, 50)) / 100

    def _tx(self, acc, amount: Decimal, counterparty, op, when: datetime, **extra) -> dict:
        assert amount != 0
        tx = {
            "account_id": acc,
            "amount": money(amount),
            "currency": "EUR",
            "counterparty": counterparty,
            "operation_type": op,
            "emitted_at": iso(when),
        }
        for k, v in extra.items():
            if v is not None:
                tx[k] = iso(v) if isinstance(v, datetime) else v
        tx["_t"] = when
        tx["_s"] = self._next()
        self._txs.append(tx)
        return tx

    def _card_label(self, card, m, when: datetime, local=None) -> str:
        if card["acc"] == self.acc_neo:
            # The neo-bank enriches names it recognises (chains) and shows the raw field otherwise.
            if m.get("brand") and self.rng.random() < 0.7:
                return m["brand"]
            return f"{m['net']} {ascii_upper(m['city'])}" if self.rng.random() < 0.3 else m["net"]
        label = f"CARTE X{card['last4']} {when:%d/%m} {m['net']} {ascii_upper(m['city'])}"
        if local is not None:
            label += f" {local[0]} {local[1]}".replace(".", ",")
        return label

    def _card(self, card, m, eur: Decimal, when: datetime, local=None, attach=False) -> dict:
        """A card payment; `when` is Paris time, settled one to three business days later."""
        settled = add_business_days(when, self.rng.choice([1, 1, 2, 3]))
        settled = settled.replace(hour=self.rng.randint(1, 7))
        extra = {"settled_at": settled}
        if local is not None:
            extra["local_amount"] = money(local[0])
            extra["local_currency"] = local[1]
        if attach:
            extra["has_attachment"] = True
        label = self._card_label(card, m, when, local)
        return self._tx(card["acc"], -eur, label, "card", when, **extra)

    def _name_on_doc(self, m, photo: bool) -> str | None:
        rng = self.rng
        r = rng.random()
        if r < 0.1:
            return None
        if r < 0.55:
            name = m["sign"]
        elif r < 0.8:
            name = m["legal"]
        elif r < 0.9:
            name = m["sign"].split()[0]
        else:
            name = m["sign"].upper()
        if photo:
            if rng.random() < 0.25:
                name = name.upper()
            if rng.random() < 0.3:
                name = self._ocr(name)
        return name

    def _ocr(self, s: str) -> str:
        rng = self.rng
        for _ in range(rng.randint(1, 2)):
            if len(s) < 4:
                break
            i = rng.randrange(1, len(s) - 1)
            k = rng.random()
            if k < 0.2:
                s = s[:i] + s[i + 1 :]
            elif k < 0.35:
                s = s[:i] + s[i] + s[i:]
            elif k < 0.6 and s[i] in LOOKALIKES:
                s = s[:i] + LOOKALIKES[s[i]] + s[i + 1 :]
            elif k < 0.72 and " " in s:
                j = s.index(" ")
                s = s[:j] + s[j + 1 :]
            elif k < 0.84 and s[i].isalpha() and s[i - 1].isalpha():
                s = s[:i] + " " + s[i:]
            else:
                s = strip_accents(s)
        return s

    def _checksum(self) -> str:
        return f"{self.rng.getrandbits(128):032x}"

    def _doc(
        self,
        kind: str,
        total: Decimal,
        issued: date | None,
        received: datetime,
        currency="EUR",
        **fields,
    ) -> dict:
        doc = {"document_type": kind, "total": money(total), "currency": currency}
        if issued is not None:
            doc["issue_date"] = issued.isoformat()
        for k, v in fields.items():
            if v is None or v == []:
                continue
            if isinstance(v, Decimal):
                v = money(v)
            elif isinstance(v, date):
                v = v.isoformat()
            doc[k] = v
        doc["received_at"] = iso(received)
        doc["checksum"] = self._checksum()
        doc["_t"] = received
        doc["_s"] = self._next()
        return doc

    def _photo_received(self, when: datetime) -> datetime:
        """Phone photos: mostly within days, some in an end-of-quarter expense sweep."""
        r = self.rng.random()
        days = (
            self.rng.randint(0, 3)
            if r < 0.55
            else self.rng.randint(4, 30)
            if r < 0.85
            else self.rng.randint(31, 120)
        )
        return when + timedelta(days=days, minutes=self.rng.randint(5, 600))

    def _mail_received(self, issued: date) -> datetime:
        days = self.rng.choice([0, 0, 0, 1, 1, 2, 3, 7, 15])
        return datetime.combine(
            issued + timedelta(days=days), time(self.rng.randint(6, 21), self.rng.randrange(60))
        )

    def _net_candidates(self, total: Decimal, vat: str) -> list[str]:
        """OCR also reads the pre-tax line, and sometimes the VAT line."""
        r = self.rng.random()
        if not vat or r < 0.55:
            return []
        net = q(total / (1 + Decimal(vat) / 100))
        return [money(net)] if r < 0.85 else [money(net), money(total - net)]

    def _receipt(self, m, total: Decimal, when_local: datetime, currency="EUR", cands=None) -> dict:
        name = self._name_on_doc(m, photo=True)
        vat_no = m.get("vat_no") if self.rng.random() < 0.3 else None
        if vat_no and self.rng.random() < 0.3:
            vat_no = self._ocr(vat_no)
        cands = (cands or []) + self._net_candidates(total, m.get("vat", ""))
        return self._doc(
            "receipt",
            total,
            when_local.date(),
            self._photo_received(when_local),
            currency=currency,
            supplier_name=name,
            supplier_vat=vat_no,
            candidate_totals=cands or None,
        )

    def _emit(self, doc: dict, tx: dict | None, family: str):
        assert tx is None or not tx.get("has_attachment")
        self._out.append((doc, tx, family))

    def _inv_no(self, sup, issued: date) -> str:
        # Numbers follow the calendar: the supplier bills other clients in between.
        n = sup["n"] + (issued - YEAR_START).days * 2 + self.rng.randint(0, 1)
        ini = "".join(w[0] for w in ascii_upper(sup["name"]).split()[:2])
        return sup["fmt"].format(y=2025, yy=25, n=n, m=issued.month, ini=ini)

    # ------------------------------------------------------------------ card families
    def _fam_shop(self, room):
        m = self._zipf(self.shops)
        card = self.rng.choice(self.cards)
        when = self._moment(self._day(), m["hours"])
        total = self._price(m["lo"], m["hi"])
        tx = self._card(card, m, total, when)
        self._emit(self._receipt(m, total, when), tx, "shop")

    def _zipf(self, pool: list):
        """A few favourites visited often, a long tail visited once or twice."""
        i = int(len(pool) * self.rng.random() ** 2.2)
        return pool[min(i, len(pool) - 1)]

    def _fam_chain(self, room, family="chain"):
        stores = [
            s for s in self.chain_stores if (s["franchise"] is not None) == (family == "franchise")
        ]
        m = self.rng.choice(stores or self.chain_stores)
        card = self.rng.choice(self.cards)
        when = self._moment(self._day(0.5), m["hours"])
        total = self._price(m["lo"], m["hi"])
        fr = m["franchise"]
        shown = dict(m)
        if fr and fr["debit_legal"]:
            shown["net"] = net_name("", fr["legal"])
            shown["brand"] = None
        tx = self._card(card, shown, total, when)
        doc = self._receipt(m, total, when)
        if fr and not fr["debit_legal"] and self.rng.random() < 0.7:
            # The franchisee's legal mention heads the receipt; the bank shows the sign.
            doc["supplier_name"] = fr["legal"]
        self._emit(doc, tx, family if fr else "chain")

    def _fam_franchise(self, room):
        self._fam_chain(room, "franchise")

    def _tip(self, m, bill: Decimal) -> Decimal:
        rng = self.rng
        kind = m.get("tip_kind", "resto")
        if m["country"] == "US":
            return q(bill * Decimal(rng.choice([15, 18, 20, 20, 22])) / 100)
        if kind == "hair":
            return Decimal(rng.choice([2, 3, 5, 5, 10]))
        if kind == "taxi":
            # "Keep the change": the fare rounded up to the euro, or a couple of euros on top.
            up = bill.to_integral_value(rounding="ROUND_CEILING")
            return (
                up - bill if up > bill and rng.random() < 0.6 else Decimal(rng.choice([1, 2, 3, 5]))
            )
        r = rng.random()
        if r < 0.35:
            return q(bill * Decimal(rng.choice(["5", "10", "10", "12.5", "15"])) / 100)
        if r < 0.75:
            step = Decimal(5 if bill < 60 else 10)
            up = (bill / step).to_integral_value(rounding="ROUND_CEILING") * step
            return up - bill if up > bill else step
        return Decimal(rng.choice([1, 2, 2, 3, 5, 10 if bill > 80 else 2]))

    def _fam_tip(self, room):
        rng = self.rng
        abroad = rng.random() < 0.15
        m = (
            rng.choice([a for a in self.abroad if a["currency"] == "EUR"])
            if abroad
            else self._zipf(self.restos)
        )
        card = rng.choice(self.cards)
        day = self._day(0.4)
        if m.get("tip_kind", "resto") == "resto" and rng.random() < 0.2:
            # A long dinner: the bill is settled after midnight, the receipt is printed then.
            when = datetime.combine(
                day + timedelta(days=1),
                time(rng.choice([0, 0, 1]), rng.randrange(60), rng.randrange(60)),
            )
        else:
            when = self._moment(day, m["hours"] if m.get("tip_kind") != "taxi" else (6, 24))
        bill = self._price(12, 95) if m.get("tip_kind") == "taxi" else self._price(m["lo"], m["hi"])
        tip = self._tip(m, bill)
        tx = self._card(card, m, bill + tip, when)
        cands = [money(bill + tip)] if rng.random() < 0.15 else None
        self._emit(self._receipt(m, bill, when, cands=cands), tx, "tip")

    def _fam_foreign(self, room):
        rng = self.rng
        m = rng.choice([a for a in self.abroad if a["currency"] != "EUR"] or self.abroad)
        cur = m["currency"]
        card = rng.choice(self.cards)
        local_when = self._moment(self._day(0.4), m["hours"])
        paris = local_when + timedelta(hours=COUNTRIES[m["country"]][1])
        local = self._local_price(m, paris)
        shown, cands = local, None
        if m["country"] == "US" and rng.random() < 0.5:
            # American diners: the printed check is the bill, the tip is written in by hand.
            local = local + self._tip(m, local)
            cands = [money(local)] if rng.random() < 0.3 else None
        eur = self._convert(local, cur, paris, card)
        tx = self._card(card, m, eur, paris, local=(local, cur))
        self._fee_line(card, eur, paris)
        doc = self._receipt(m, shown, local_when, currency=cur, cands=cands)
        self._emit(doc, tx, "foreign")

    def _rate(self, cur: str, when: datetime) -> Decimal:
        return self.rates[cur][min(max((when.date() - YEAR_START).days, 0), 399)]

    def _local_price(self, m, when: datetime) -> Decimal:
        """Prices abroad are set in local money: the same basket, in local units."""
        base = self._price(m["lo"], m["hi"])
        if m["currency"] == "EUR":
            return base
        local = base * self._rate(m["currency"], when)
        if m["currency"] in ("CZK", "SEK", "DKK"):
            return max(local.to_integral_value(), ONE)
        return max(q(local), CENT)

    def _convert(self, local: Decimal, cur: str, when: datetime, card) -> Decimal:
        rate = self._rate(cur, when)
        markup = Decimal("0.0035") if card["acc"] == self.acc_neo else Decimal("0")
        if card["acc"] == self.acc_neo and self.rng.random() < 0.3:
            markup = Decimal("0.01")
        return max(q(local / rate * (1 + markup)), CENT)

    def _fee_line(self, card, eur: Decimal, when: datetime):
        """The traditional bank books its foreign-payment fee as a line of its own."""
        if card["acc"] != self.acc_bank or self.rng.random() < 0.3:
            return
        fee = q(eur * Decimal("0.02") + Decimal("0.25"))
        self._tx(
            self.acc_bank,
            -fee,
            "COMMISSION PAIEMENT HORS ZONE EURO",
            "card",
            when + timedelta(seconds=1),
            reference=f"X{card['last4']} {when:%d/%m}",
        )

    def _fam_dcc(self, room):
        rng = self.rng
        m = rng.choice([a for a in self.abroad if a["currency"] != "EUR"] or self.abroad)
        card = rng.choice(self.cards)
        local_when = self._moment(self._day(0.4), m["hours"])
        paris = local_when + timedelta(hours=COUNTRIES[m["country"]][1])
        local = self._local_price(m, paris)
        rate = self._rate(m["currency"], paris) if m["currency"] != "EUR" else ONE
        # The terminal offers euros at its own rate; the card is then charged in euros.
        eur = q(local / rate * (1 + Decimal(rng.choice(["0.03", "0.045", "0.06", "0.07"]))))
        tx = self._card(card, m, eur, paris)
        cands = [money(local)] if rng.random() < 0.5 else None
        self._emit(self._receipt(m, eur, local_when, cands=cands), tx, "dcc")

    def _fam_travel(self, room):
        rng = self.rng
        rail = rng.random() < 0.65
        card = rng.choice(self.cards)
        when = self._moment(self._day(0.2), (7, 22))
        total = self._price(29, 260) if rail else self._price(69, 680)
        if rail:
            m = {
                "net": rng.choice(["RAILVIA", "RAILVIA WEB", "RAILVIA.COM"]),
                "city": "Paris",
                "sign": "Railvia",
                "legal": "RAILVIA VOYAGEURS SA",
                "brand": "Railvia",
            }
            num = f"RV{rng.randint(10**7, 10**8 - 1)}"
        else:
            m = {
                "net": f"AEROLIS {rng.randint(10**9, 10**10 - 1)}",
                "city": "Roissy",
                "sign": "Aerolis",
                "legal": "AEROLIS AIRLINES SA",
                "brand": "Aerolis",
            }
            num = f"057{rng.randint(10**9, 10**10 - 1)}"
        tx = self._card(card, m, total, when)
        doc = self._doc(
            "invoice",
            total,
            when.date(),
            self._mail_received(when.date()),
            supplier_name=m["sign"] if rng.random() < 0.6 else m["legal"],
            invoice_number=num,
            customer_name=rng.choice(self.staff),
            candidate_totals=self._net_candidates(total, "10") or None,
        )
        self._emit(doc, tx, "travel")

    # ------------------------------------------------------------------ stays
    def _fam_hotel(self, room):
        rng = self.rng
        h = rng.choice(self.hotels)
        card = rng.choice(self.cards)
        nights = rng.choice([1, 1, 2, 2, 3, 4])
        arrive = self._day(0.3)
        checkin = datetime.combine(arrive, time(rng.randint(15, 22), rng.randrange(60)))
        checkout = datetime.combine(
            arrive + timedelta(days=nights), time(rng.randint(7, 11), rng.randrange(60))
        )
        room_total = Decimal(h["rate"] * nights) + Decimal(rng.choice([0, 0, 18, 24])) * nights
        tax = h["city_tax"] * nights
        minibar = self._price(4, 38) if rng.random() < 0.4 else Decimal(0)
        folio = room_total + tax + minibar
        r = rng.random()
        if r < 0.4:
            hold = Decimal(rng.choice([100, 150, 200])) if rng.random() < 0.5 else room_total
            self._card(card, h, hold, checkin)
            self._tx(
                card["acc"], hold, h["net"], "card", checkout + timedelta(days=rng.randint(1, 6))
            )
            tx, shown = self._card(card, h, folio, checkout), folio
        elif r < 0.7:
            # The folio was printed from the booking; city tax and minibar came after.
            tx, shown = self._card(card, h, folio, checkout), room_total
        else:
            booked = checkin - timedelta(days=rng.randint(3, 60), hours=rng.randint(0, 8))
            tx, shown = self._card(card, h, room_total + tax, booked), room_total + tax
        doc = self._doc(
            "invoice",
            shown,
            checkout.date(),
            self._photo_received(checkout),
            supplier_name=self._name_on_doc(h, photo=rng.random() < 0.4),
            invoice_number=f"{rng.randint(10000, 99999)}" if rng.random() < 0.7 else None,
            customer_name=rng.choice(self.staff) if rng.random() < 0.5 else ORG_NAME,
            candidate_totals=[money(room_total)]
            if shown != room_total and rng.random() < 0.4
            else None,
        )
        self._emit(doc, tx, "hotel")

    def _fam_car_rental(self, room):
        rng = self.rng
        card = rng.choice(self.cards)
        brand, legal = rng.choice(
            [("Rouleo", "ROULEO FRANCE SAS"), ("AutoPass Rent", "AUTOPASS LOCATION")]
        )
        m = {
            "net": net_name("", f"{brand} {rng.choice(COUNTRIES['FR'][2])}"),
            "city": "Paris",
            "sign": brand,
            "legal": legal,
            "brand": brand,
        }
        pickup = self._moment(self._day(0.3), (8, 18))
        back = pickup + timedelta(days=rng.randint(1, 6), hours=rng.randint(-3, 3))
        total = self._price(90, 780)
        deposit = Decimal(rng.choice([500, 800, 1000, 1500]))
        self._card(card, m, deposit, pickup)
        self._tx(card["acc"], deposit, m["net"], "card", back + timedelta(days=rng.randint(2, 9)))
        tx = self._card(
            card, m, total, pickup + timedelta(minutes=2) if rng.random() < 0.5 else back
        )
        num = f"RA{rng.randint(10**6, 10**7 - 1)}"
        doc = self._doc(
            "invoice",
            total,
            back.date(),
            self._mail_received(back.date()),
            supplier_name=rng.choice([brand, legal]),
            invoice_number=num,
            candidate_totals=self._net_candidates(total, "20") or None,
        )
        self._emit(doc, tx, "car_rental")
        if rng.random() < 0.4:
            extra = self._price(25, 480)
            later = back + timedelta(days=rng.randint(8, 40))
            extra_tx = self._card(card, m, extra, later)
            if room > 1 and rng.random() < 0.5:
                d2 = self._doc(
                    "invoice",
                    extra,
                    later.date(),
                    self._mail_received(later.date()),
                    supplier_name=legal,
                    invoice_number=f"{num}-C",
                )
                self._emit(d2, extra_tx, "car_rental")

    # ------------------------------------------------------------------ online
    def _marketplace_doc(self, total: Decimal, issued: date) -> dict:
        rng = self.rng
        seller = rng.choice(
            [
                "Bazario EU SARL",
                "Bazario",
                "Lumitech Distribution SARL",
                "Eventshop Pro SAS",
                "Déco Fête Express",
                "Cablerie Moderne SAS",
            ]
        )
        prefix = rng.choice(["FR", "INV-FR-", "BZ"])
        return self._doc(
            "invoice",
            total,
            issued,
            self._mail_received(issued),
            supplier_name=seller,
            supplier_vat="LU26375245" if "Bazario" in seller else None,
            invoice_number=f"{prefix}{rng.randint(10**8, 10**9 - 1)}",
            customer_name=ORG_NAME if rng.random() < 0.6 else None,
            candidate_totals=self._net_candidates(total, "20") or None,
        )

    def _bazario(self) -> dict:
        code = "".join(self.rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789") for _ in range(8))
        net = self.rng.choice(
            [f"BAZARIO MKTP FR*{code}", f"BAZARIO.FR*{code}", f"BAZARIO*{code[:6]}"]
        )
        return {
            "net": net[:22],
            "city": "Luxembourg",
            "sign": "Bazario",
            "legal": "Bazario EU SARL",
        }

    def _fam_marketplace(self, room):
        rng = self.rng
        card = rng.choice(self.cards)
        order = self._moment(self._day(0.6), (0, 24))
        total = self._price(9, 450)
        ship = order + timedelta(days=rng.choice([0, 0, 1, 2, 3]), hours=rng.randint(0, 12))
        tx = self._card(card, self._bazario(), total, ship)
        self._emit(self._marketplace_doc(total, ship.date()), tx, "marketplace")

    def _fam_marketplace_split(self, room):
        rng = self.rng
        card = rng.choice(self.cards)
        order = self._moment(self._day(0.6), (0, 24))
        parts = [self._price(6, 180) for _ in range(rng.choice([2, 2, 3]))]
        for i, part in enumerate(parts):
            self._card(
                card,
                self._bazario(),
                part,
                order + timedelta(days=i * rng.randint(1, 6), hours=rng.randint(1, 9)),
            )
        self._emit(self._marketplace_doc(sum(parts), order.date()), None, "marketplace_split")

    # ------------------------------------------------------------------ recurring
    def _new_sub(self) -> dict:
        rng = self.rng
        name, legal, cur, prices, desc = rng.choice(SAAS)
        seats = rng.choice([1, 1, 1, 2, 3, 5, 8])
        sub = {
            "name": name,
            "legal": legal,
            "cur": cur,
            "price": Decimal(rng.choice(prices)) * seats,
            "day": rng.randint(1, 28),
            "card": rng.choice(self.cards),
            "net": net_name("", desc.format(code=f"{rng.randint(10**5, 10**6 - 1)}")),
            "hour": rng.randint(0, 23),
            "id": len(self._sub_all),
        }
        self._sub_all.append(sub)
        return sub

    def _sub_charge(self, sub, month: int) -> tuple[dict, Decimal, datetime]:
        rng = self.rng
        when = datetime(2025, month, sub["day"], sub["hour"], rng.randrange(60), rng.randrange(60))
        price = sub["price"]
        if rng.random() < 0.08:
            # A seat added mid-cycle: this month's invoice carries a prorated line.
            price = price + q(price * Decimal(rng.randint(10, 90)) / 100)
        m = {"net": sub["net"], "city": "Dublin", "sign": sub["name"], "legal": sub["legal"]}
        if sub["cur"] == "EUR":
            tx = self._card(sub["card"], m, price, when)
        else:
            eur = self._convert(price, sub["cur"], when, sub["card"])
            tx = self._card(sub["card"], m, eur, when, local=(price, sub["cur"]))
            self._fee_line(sub["card"], eur, when)
        return tx, price, when

    def _fam_saas(self, room):
        rng = self.rng
        if not self._subs:
            sub = self._new_sub()
            months = list(range(1, 13))
            rng.shuffle(months)
            self._subs = [(sub, mo) for mo in months[: rng.randint(6, 12)]]
        sub, month = self._subs.pop()
        self._used_months.add((sub["id"], month))
        tx, price, when = self._sub_charge(sub, month)
        doc = self._doc(
            "invoice",
            price,
            when.date(),
            when + timedelta(minutes=rng.randint(1, 90)),
            currency=sub["cur"],
            supplier_name=sub["name"] if rng.random() < 0.5 else sub["legal"],
            invoice_number=f"{sub['name'][:3].upper()}-{rng.randint(10**5, 10**6 - 1)}-{month:04d}",
            customer_name=ORG_NAME if rng.random() < 0.7 else None,
            customer_vat=self.org["vat"] if rng.random() < 0.4 else None,
        )
        self._emit(doc, tx, "saas")

    def _new_dd(self) -> dict:
        rng = self.rng
        name, legal, ics, monthly, lo, hi, fixed = rng.choice(DD_CREDITORS)
        dd = {
            "name": name,
            "legal": legal,
            "ics": ics,
            "monthly": monthly,
            "lo": lo,
            "hi": hi,
            "fixed": fixed,
            "amount": self._price(lo, hi),
            "issue_day": rng.randint(1, 12),
            "lag": rng.randint(4, 14),
            "rum": f"{legal[:3]}-{rng.randint(10**5, 10**6 - 1)}",
            "id": 1000 + len(self._dd_all),
            "vat": fr_vat(self._siren()),
            "acc": self.acc_bank if rng.random() < 0.8 else self.acc_neo,
        }
        self._dd_all.append(dd)
        return dd

    def _dd_charge(self, dd, month: int, inv: str | None) -> tuple[dict, Decimal, date]:
        rng = self.rng
        issued = date(2025, month, dd["issue_day"])
        amount = dd["amount"] if rng.random() < dd["fixed"] else self._price(dd["lo"], dd["hi"])
        when = datetime.combine(
            issued + timedelta(days=dd["lag"] + rng.choice([0, 0, 0, 1, 2])),
            time(rng.randint(0, 6), rng.randrange(60)),
        )
        if dd["acc"] == self.acc_bank:
            label = f"PRLV SEPA {dd['legal']}"
            ref = f"ECH/{when:%d%m%y} ID EMETTEUR/{dd['ics']} MDT/{dd['rum']}"
            if inv and rng.random() < 0.5:
                ref += f" REF/{inv}"
        else:
            label, ref = (
                dd["name"],
                (inv if inv and rng.random() < 0.4 else f"Prélèvement {dd['name']}"),
            )
        tx = self._tx(
            dd["acc"],
            -amount,
            label,
            "direct_debit",
            when,
            reference=ref,
            settled_at=when if rng.random() < 0.5 else None,
        )
        return tx, amount, issued

    def _fam_direct_debit(self, room):
        rng = self.rng
        if not self._dd_slots:
            dd = self._new_dd()
            months = list(range(1, 13)) if dd["monthly"] else [1, 4, 7, 10]
            rng.shuffle(months)
            self._dd_slots = [(dd, mo) for mo in months[: max(2, len(months) - rng.randint(0, 4))]]
        dd, month = self._dd_slots.pop()
        self._used_months.add((dd["id"], month))
        inv = (
            f"{rng.randint(10**9, 10**10 - 1)}"
            if rng.random() < 0.5
            else f"F{month:02d}25-{rng.randint(10**4, 10**5 - 1)}"
        )
        tx, amount, issued = self._dd_charge(dd, month, inv)
        due = issued + timedelta(days=dd["lag"])
        doc = self._doc(
            "invoice",
            amount,
            issued,
            self._mail_received(issued),
            supplier_name=dd["name"] if rng.random() < 0.6 else dd["legal"],
            supplier_vat=dd["vat"] if rng.random() < 0.7 else None,
            invoice_number=inv,
            due_date=due if rng.random() < 0.6 else None,
            customer_name=ORG_NAME,
            candidate_totals=self._net_candidates(amount, "20") or None,
        )
        self._emit(doc, tx, "direct_debit")

    # ------------------------------------------------------------------ suppliers
    def _supplier_invoice(self, sup, total: Decimal, issued: date, **extra) -> tuple[dict, str]:
        rng = self.rng
        num = self._inv_no(sup, issued)
        einv = rng.random() < 0.3
        due = issued + timedelta(days=sup["terms"]) if sup["terms"] else issued
        doc = self._doc(
            "invoice",
            total,
            issued,
            self._mail_received(issued)
            if rng.random() < 0.85
            else self._photo_received(datetime.combine(issued, time(12))),
            supplier_name=sup["legal"] if einv or rng.random() < 0.4 else sup["name"],
            supplier_vat=sup["vat"] if einv or rng.random() < 0.75 else None,
            supplier_iban=sup["iban"] if einv or rng.random() < 0.55 else None,
            customer_name=ORG_NAME if einv or rng.random() < 0.7 else None,
            customer_vat=self.org["vat"] if einv or rng.random() < 0.3 else None,
            invoice_number=num,
            due_date=due if einv or rng.random() < 0.7 else None,
            candidate_totals=None
            if einv
            else self._net_candidates(total, "20" if sup["vat"] else "") or None,
            **extra,
        )
        return doc, num

    def _transfer(self, sup, amount: Decimal, when: date, refs: list[str], acc=None) -> dict:
        rng = self.rng
        habit = sup["ref_habit"]
        if refs and habit < 0.45:
            ref = " ".join(refs) if rng.random() < 0.6 else "FACT " + " ".join(refs)
        elif refs and habit < 0.65:
            ref = (
                f"Facture {refs[0].split('-')[-1].lstrip('0')}"
                if len(refs) == 1
                else "REGLEMENT FACTURES"
            )
        elif habit < 0.8:
            ref = rng.choice(["Evenement client", "Prestation", "Réglement", "Solde", "Acompte"])
        else:
            ref = None
        at = datetime.combine(when, time(rng.randint(8, 18), rng.randrange(60), rng.randrange(60)))
        acc = acc or (self.acc_bank if rng.random() < 0.8 else self.acc_neo)
        return self._tx(
            acc,
            -amount,
            sup["alias"],
            "transfer",
            at,
            reference=ref,
            counterparty_iban=sup["iban"] if rng.random() < 0.95 else None,
            settled_at=at if rng.random() < 0.6 else add_business_days(at, 1).replace(hour=9),
        )

    def _pay_day(self, issued: date, lo=0, hi=60) -> date:
        d = issued + timedelta(days=self.rng.randint(lo, hi))
        while d.weekday() >= 5:
            d += timedelta(days=1)
        return d

    def _supplier_issue(self) -> tuple[dict, date]:
        sup = self._zipf(self.suppliers)
        return sup, self._day(0.05)

    def _fam_supplier(self, room):
        sup, issued = self._supplier_issue()
        total = self._price(sup["lo"], sup["hi"])
        doc, num = self._supplier_invoice(sup, total, issued)
        tx = self._transfer(sup, total, self._pay_day(issued, 0, min(60, sup["terms"] + 15)), [num])
        self._emit(doc, tx, "supplier")

    def _fam_early_discount(self, room):
        sup, issued = self._supplier_issue()
        total = self._price(sup["lo"], sup["hi"])
        rate = Decimal(self.rng.choice(["1", "1.5", "2", "3"]))
        paid = q(total * (100 - rate) / 100)
        cands = [money(paid)] if self.rng.random() < 0.5 else None
        doc, num = self._supplier_invoice(sup, total, issued)
        if cands:
            doc["candidate_totals"] = doc.get("candidate_totals", []) + cands
        tx = self._transfer(sup, paid, self._pay_day(issued, 1, 9), [num])
        self._emit(doc, tx, "early_discount")

    def _fam_deposit(self, room):
        rng = self.rng
        sup, issued = self._supplier_issue()
        total = self._price(max(sup["lo"], 1200), sup["hi"] * 1.5)
        dep = q(total * Decimal(rng.choice([30, 40, 50])) / 100)
        dep_doc, dep_num = self._supplier_invoice(sup, dep, issued)
        dep_tx = self._transfer(sup, dep, self._pay_day(issued, 0, 12), [dep_num])
        if room >= 2 and rng.random() < 0.6:
            self._emit(dep_doc, dep_tx, "deposit")
        final_day = issued + timedelta(days=rng.randint(20, 120))
        if final_day.year > 2025:
            final_day = date(2025, 12, rng.randint(1, 20))
        fin_doc, fin_num = self._supplier_invoice(sup, total, final_day, amount_due=total - dep)
        fin_tx = self._transfer(sup, total - dep, self._pay_day(final_day, 0, 45), [fin_num])
        self._emit(fin_doc, fin_tx, "deposit")

    def _fam_partial(self, room):
        rng = self.rng
        sup, issued = self._supplier_issue()
        total = self._price(max(sup["lo"], 800), sup["hi"])
        doc, num = self._supplier_invoice(sup, total, issued)
        first = q(total * Decimal(rng.choice([30, 40, 50, 60])) / 100)
        d1 = self._pay_day(issued, 5, 40)
        self._transfer(sup, first, d1, [num])
        self._transfer(sup, total - first, self._pay_day(d1, 20, 50), [num])
        self._emit(doc, None, "partial")

    def _fam_grouped(self, room):
        rng = self.rng
        sup, issued = self._supplier_issue()
        k = min(room, rng.choice([2, 2, 3, 4]))
        if k < 2:
            return self._fam_supplier(room)
        nums, total = [], Decimal(0)
        for i in range(k):
            amount = self._price(sup["lo"] / 2, sup["hi"] / 2)
            doc, num = self._supplier_invoice(
                sup, amount, issued + timedelta(days=i * rng.randint(0, 12))
            )
            self._emit(doc, None, "grouped")
            nums.append(num)
            total += amount
        self._transfer(sup, total, self._pay_day(issued, 20, 60), nums)

    def _fam_unpaid(self, room):
        sup, issued = self._supplier_issue()
        doc, _ = self._supplier_invoice(sup, self._price(sup["lo"], sup["hi"]), issued)
        self._emit(doc, None, "unpaid")

    def _fam_credit_refund(self, room):
        rng = self.rng
        if rng.random() < 0.6:
            sup, issued = self._supplier_issue()
            amount = self._price(80, sup["hi"] / 3)
            doc, num = self._supplier_invoice(sup, amount, issued)
            doc["document_type"] = "credit_note"
            when = datetime.combine(
                self._pay_day(issued, 5, 40), time(rng.randint(6, 17), rng.randrange(60))
            )
            ref = f"REMB AVOIR {num}" if rng.random() < 0.5 else "REMBOURSEMENT"
            tx = self._tx(
                self.acc_bank,
                amount,
                sup["alias"],
                "income",
                when,
                reference=ref,
                counterparty_iban=sup["iban"] if rng.random() < 0.6 else None,
            )
        else:
            # Goods brought back to a shop: the card is credited, the shop prints a credit slip.
            m = self._zipf(self.shops)
            card = rng.choice(self.cards)
            when = self._moment(self._day(), m["hours"])
            amount = self._price(m["lo"], m["hi"])
            tx = self._tx(
                card["acc"],
                amount,
                self._card_label(card, m, when),
                "card",
                when + timedelta(days=rng.randint(0, 4)),
            )
            doc = self._receipt(m, amount, when)
            doc["document_type"] = "credit_note"
        self._emit(doc, tx, "credit_refund")

    def _fam_credit_offset(self, room):
        rng = self.rng
        sup, issued = self._supplier_issue()
        amount = self._price(sup["lo"], sup["hi"])
        credit = q(amount * Decimal(rng.randint(5, 40)) / 100)
        note, cnum = self._supplier_invoice(sup, credit, issued)
        note["document_type"] = "credit_note"
        self._emit(note, None, "credit_offset")
        if room >= 2:
            doc, num = self._supplier_invoice(
                sup, amount, issued + timedelta(days=rng.randint(0, 20))
            )
            self._emit(doc, None, "credit_offset")
            self._transfer(sup, amount - credit, self._pay_day(issued, 15, 60), [num, cnum])

    # ------------------------------------------------------------------ sales, cash, attached
    def _fam_sales(self, room):
        rng = self.rng
        client, cc = rng.choice(CLIENTS)
        issued = self._day(0.0)
        total = self._price(1500, 60000)
        self._inv_counter += rng.randint(1, 3)
        num = f"OE-2025-{self._inv_counter:04d}"
        key = sum(map(ord, client))
        if cc == "FR":
            cvat = fr_vat(f"{key % 6 + 3}{key * 7919 % 10**8:08d}")
        else:
            cvat = f"{cc}{key * 104729 % 10**9:09d}"
        doc = self._doc(
            "invoice",
            total,
            issued,
            self._mail_received(issued),
            supplier_name=ORG_NAME,
            supplier_vat=self.org["vat"],
            supplier_iban=self.org_bank_iban if rng.random() < 0.8 else None,
            customer_name=client,
            customer_vat=cvat,
            invoice_number=num,
            due_date=issued + timedelta(days=30),
            candidate_totals=self._net_candidates(total, "20") or None,
        )
        when = datetime.combine(
            self._pay_day(issued, 10, 75), time(rng.randint(6, 16), rng.randrange(60))
        )
        paid = (
            total
            if cc in ("FR", "BE", "ES", "IT", "DE")
            else total - Decimal(rng.choice(["12.50", "18.00", "25.00"]))
        )
        ref = (
            num
            if rng.random() < 0.6
            else rng.choice([f"FACTURE {num[-4:]}", f"/INV/{num}", "PAIEMENT FACTURE"])
        )
        self._tx(self.acc_bank, paid, ascii_upper(client), "income", when, reference=ref)
        self._emit(doc, None, "sales")

    def _fam_cash(self, room, family="cash"):
        rng = self.rng
        pool = rng.choice([self.shops, self.restos, self.chain_stores])
        m = self._zipf(pool)
        when = self._moment(self._day(), m["hours"])
        total = self._price(m["lo"], min(m["hi"], 150))
        doc = self._receipt(m, total, when)
        if rng.random() < 0.4 and len(self._txs) < self.n_txs - 1:
            # A coincidental debit of the same amount at another merchant that week.
            other = self._zipf(rng.choice([self.shops, self.restos]))
            while other is m:
                other = rng.choice(self.shops)
            self._card(
                rng.choice(self.cards),
                other,
                total,
                when + timedelta(days=rng.randint(-2, 3), hours=rng.randint(-5, 5)),
            )
        self._emit(doc, None, family)

    def _fam_private(self, room):
        self._fam_cash(room, "private")

    def _fam_attached(self, room):
        m = self._zipf(self.shops)
        card = self.rng.choice([c for c in self.cards if c["acc"] == self.acc_neo])
        when = self._moment(self._day(), m["hours"])
        total = self._price(m["lo"], m["hi"])
        self._card(card, m, total, when, attach=True)
        self._emit(self._receipt(m, total, when), None, "attached")

    def _duplicate(self):
        rng = self.rng
        doc, _, fam = rng.choice(
            [o for o in self._out[-200:] if o[2] != "sales"] or self._out[-50:]
        )
        copy = dict(doc)
        later = doc["_t"] + timedelta(days=rng.randint(0, 60), hours=rng.randint(1, 20))
        copy["_t"], copy["_s"] = later, self._next()
        copy["received_at"] = iso(later)
        r = rng.random()
        if r >= 0.5:
            copy["checksum"] = self._checksum()
        if r >= 0.8 and copy.get("supplier_name") and copy["document_type"] == "receipt":
            # A second photo of the same receipt: a different OCR reading.
            copy["supplier_name"] = self._ocr(copy["supplier_name"])
        self._emit(copy, None, "duplicate")

    # ------------------------------------------------------------------ noise
    def _fill_noise(self):
        kinds = [k for k, _ in NOISE_KINDS]
        weights = [w for _, w in NOISE_KINDS]
        while len(self._txs) < self.n_txs:
            kind = self.rng.choices(kinds, weights)[0]
            if kind == "internal" and self.n_txs - len(self._txs) < 2:
                kind = "card"
            getattr(self, "_noise_" + kind)()

    def _noise_card(self):
        rng = self.rng
        pool = rng.choices([self.shops, self.restos, self.chain_stores], [5, 4, 4])[0]
        m = self._zipf(pool)
        when = self._moment(self._day(0.4), m["hours"] if m.get("tip_kind") != "taxi" else (6, 24))
        card = rng.choice(self.cards)
        attach = card["acc"] == self.acc_neo and rng.random() < 0.08
        self._card(card, m, self._price(m["lo"], m["hi"]), when, attach=attach)

    def _noise_card_abroad(self):
        m = self.rng.choice(self.abroad)
        card = self.rng.choice(self.cards)
        local_when = self._moment(self._day(0.4), m["hours"])
        paris = local_when + timedelta(hours=COUNTRIES[m["country"]][1])
        local = self._local_price(m, paris)
        if m["currency"] == "EUR":
            self._card(card, m, local, paris)
        else:
            self._card(
                card,
                m,
                self._convert(local, m["currency"], paris, card),
                paris,
                local=(local, m["currency"]),
            )

    def _noise_saas(self):
        sub = (
            self.rng.choice(self._sub_all)
            if len(self._sub_all) >= 12 + self.n_docs // 150
            else self._new_sub()
        )
        month = self.rng.randint(1, 12)
        if (sub["id"], month) in self._used_months:
            return self._noise_card()
        self._used_months.add((sub["id"], month))
        self._sub_charge(sub, month)

    def _noise_dd(self):
        dd = (
            self.rng.choice(self._dd_all)
            if len(self._dd_all) >= 6 + self.n_docs // 400
            else self._new_dd()
        )
        month = self.rng.randint(1, 12)
        if (dd["id"], month) in self._used_months:
            return self._noise_card()
        self._used_months.add((dd["id"], month))
        self._dd_charge(dd, month, None)

    def _noise_supplier(self):
        sup = self._zipf(self.suppliers)
        issued = self._day(0.05)
        self._transfer(
            sup,
            self._price(sup["lo"], sup["hi"]),
            self._pay_day(issued, 0, 45),
            [self._inv_no(sup, issued)],
        )

    def _noise_income(self):
        rng = self.rng
        client, _ = rng.choice(CLIENTS)
        when = datetime.combine(self._day(0.0), time(rng.randint(6, 17), rng.randrange(60)))
        ref = rng.choice([f"OE-2025-{rng.randint(1, 999):04d}", "ACOMPTE", "SOLDE EVENEMENT", None])
        self._tx(
            self.acc_bank,
            self._price(500, 40000),
            ascii_upper(client),
            "income",
            when,
            reference=ref,
        )

    def _noise_payroll(self):
        rng = self.rng
        who = rng.choice(self.staff)
        when = datetime.combine(self._day(0.0), time(rng.randint(8, 17), rng.randrange(60)))
        if rng.random() < 0.6:
            self._tx(
                self.acc_bank,
                -self._price(1900, 5200),
                ascii_upper(who),
                "transfer",
                when,
                reference=f"SALAIRE {when:%m/%Y}",
            )
        else:
            self._tx(
                self.acc_neo,
                -self._price(12, 640),
                who,
                "transfer",
                when,
                reference="Remboursement note de frais",
            )

    def _noise_fees(self):
        rng = self.rng
        label, lo, hi = rng.choice(
            [
                ("FRAIS TENUE DE COMPTE", 9, 35),
                ("COTISATION CARTE BUSINESS", 6, 18),
                ("COMMISSION INTERVENTION", 8, 8.01),
                ("FRAIS VIREMENT INTERNATIONAL", 12, 25),
            ]
        )
        when = datetime.combine(self._day(0.0), time(rng.randint(0, 6), rng.randrange(60)))
        acc = self.acc_bank if rng.random() < 0.7 else self.acc_neo
        self._tx(acc, -self._price(lo, hi), label, "direct_debit", when)

    def _noise_tax(self):
        rng = self.rng
        label = rng.choice(
            [
                "PRLV SEPA URSSAF ILE DE FRANCE",
                "PRLV SEPA DGFIP TVA",
                "PRLV SEPA DGFIP CFE",
                "PRLV SEPA CAISSE RETRAITE AGIRC",
            ]
        )
        when = datetime.combine(self._day(0.0), time(rng.randint(0, 6), rng.randrange(60)))
        self._tx(
            self.acc_bank,
            -self._price(800, 42000),
            label,
            "direct_debit",
            when,
            reference=f"ECH/{when:%d%m%y} REF/{rng.randint(10**11, 10**12 - 1)}",
        )

    def _noise_internal(self):
        rng = self.rng
        amount = Decimal(rng.choice([1000, 2000, 5000, 10000, 20000]))
        when = datetime.combine(self._day(0.0), time(rng.randint(8, 17), rng.randrange(60)))
        self._tx(
            self.acc_bank,
            -amount,
            ORG_NAME.upper(),
            "transfer",
            when,
            reference="ALIMENTATION COMPTE CARTES",
            counterparty_iban=self.org["ibans"][0],
        )
        self._tx(
            self.acc_neo,
            amount,
            ORG_NAME,
            "income",
            when + timedelta(hours=rng.randint(0, 20)),
            counterparty_iban=self.org_bank_iban,
        )

    def _noise_refund(self):
        m = self._zipf(self.chain_stores)
        card = self.rng.choice(self.cards)
        when = self._moment(self._day(), m["hours"])
        self._tx(
            card["acc"],
            self._price(m["lo"], m["hi"]),
            self._card_label(card, m, when),
            "card",
            when,
        )

    def _noise_atm(self):
        rng = self.rng
        card = rng.choice(self.cards)
        when = self._moment(self._day(), (7, 23))
        self._tx(
            card["acc"],
            -Decimal(rng.choice([20, 40, 50, 60, 100])),
            f"RETRAIT DAB X{card['last4']} {when:%d/%m} {rng.choice(COUNTRIES['FR'][2]).upper()}",
            "card",
            when,
        )

    def _noise_travel(self):
        rng = self.rng
        card = rng.choice(self.cards)
        when = self._moment(self._day(0.2), (6, 23))
        m = rng.choice(
            [
                {"net": "RAILVIA", "city": "Paris", "brand": "Railvia"},
                {
                    "net": f"AEROLIS {rng.randint(10**9, 10**10 - 1)}",
                    "city": "Roissy",
                    "brand": "Aerolis",
                },
                {"net": "AUTOROUTES DU NORD", "city": "Senlis"},
                {"net": "VOLTCAB *TRIP", "city": "Paris", "brand": "Voltcab"},
            ]
        )
        self._card(card, m, self._price(2, 240), when)
