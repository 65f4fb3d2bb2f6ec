"""A third, held-out generator for the matching benchmark (`--style holdout|plain|adversarial`).

Written apart from `bench/matching.py`'s two styles, and NOT used to tune the
engine: its figures are reported, never fitted. It draws other vocabulary and
other bank formats, and leans on the phenomena real accounts show:

- card descriptors cut to the network's 22 characters, behind a payment
  facilitator's prefix (`SUMUP *`, `SQ *`, `ZETTLE_*`, `PAYPAL *`, `STRIPE*`,
  `CB*`), so the merchant's last word is often a stump (`SUMUP *BOULANGERIE MA`);
- names damaged by OCR (a letter lost, doubled or swapped for a look-alike),
  cut to their first word, all capitals, or missing altogether;
- restaurant tips of 5-15 % or a round amount, typed on the terminal;
- receipts in a foreign currency, often without a readable merchant name, paid
  by a card whose line carries `local_amount` / `local_currency`;
- monthly invoices issued 5-12 days before a direct debit (`PRLV SEPA ...`) of the
  same amount every month; supplier transfers (`VIR SEPA ...`);
- documents whose payment is absent (paid privately) next to same-amount
  payments elsewhere, to test precision.

Modes: `holdout` (a rich six-month history), `plain` (card receipts only, exact
amounts: the "plain set"), `adversarial` (every counterparty shares a long name
prefix and every receipt is a tip candidate: the tip search must stay linear).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
START = date(2025, 2, 1)

FACILITATORS = ["SUMUP *", "SQ *", "ZETTLE_*", "PAYPAL *", "STRIPE*", "CB*", "CB ", ""]
TOWNS = ["ROUBAIX", "AMIENS", "CAEN", "ROUEN", "TOURS", "LIMOGES", "PAU", "NIMES", "VANNES"]
TRADES = [
    "Boulangerie",
    "Boucherie",
    "Fromagerie",
    "Librairie",
    "Quincaillerie",
    "Epicerie",
    "Brasserie",
    "Restaurant",
    "Bistrot",
    "Garage",
    "Droguerie",
    "Torrefaction",
]
FAMILY = """Vasseur Delattre Lefranc Dumortier Hennebert Carpentier Leclercq Wattel Descamps
Dhainaut Delcourt Lemaire Vandamme Verhaeghe Deschamps Poulain Tissier Maillard Besnard
Courtois Guillot Pruvost Lecomte Leblond Hochart Castelain Beaugrand Duquesne Thuillier""".split()
RESTAURANTS = """La Grange aux Loups|Le Vieux Lille|Aux Trois Brasseurs|La Cloche a Fromage|
Le Pot au Feu|L'Estaminet du Beffroi|La Table du Marche|Le Petit Ramoneur|Les Compagnons de
la Grappe|Au Bon Coin Picard|La Chicoree|Le Comptoir des Moines|Les Trois Luppars|Le Coq Hardi|
La Petite Cour|Le Barbier qui Fume""".replace("\n", "").split("|")
CHAINS = [
    # (name on the receipt, descriptor stem, median amount)
    ("Intermarche Super", "INTERMARCHE SUPER", 45),
    ("Biocoop", "BIOCOOP", 30),
    ("Boulanger", "BOULANGER", 160),
    ("Norauto", "NORAUTO", 90),
    ("Bureau Vallee", "BUREAU VALLEE", 35),
    ("Cultura", "CULTURA", 40),
    ("Point P", "POINT P", 220),
    ("Kiloutou", "KILOUTOU", 140),
    ("Avis Location", "AVIS RENT A CAR", 180),
    ("Hertz France", "HERTZ", 160),
    ("Shell Station", "SHELL", 70),
    ("Vinted", "VINTED", 25),
]
CREDITORS = [
    # (invoice supplier name, direct-debit descriptor, monthly amount median)
    ("Sowee by EDF", "PRLV SEPA SOWEE", 95),
    ("Enercoop", "PRLV SEPA ENERCOOP SCIC", 140),
    ("Bouygues Telecom Entreprises", "PRLV SEPA BOUYGUES TELECOM", 60),
    ("Groupama Assurances", "PRLV SEPA GROUPAMA", 210),
    ("Leasecom", "PRLV SEPA LEASECOM", 330),
    ("Ionos SARL", "PRLV SEPA IONOS", 25),
    ("Veolia Eau", "PRLV SEPA VEOLIA EAU", 75),
]
SUPPLIERS_TRADES = ["Transports", "Emballages", "Imprimerie", "Electricite", "Nettoyage", "Conseil"]
FOREIGN = [
    # (currency, merchant on the receipt, descriptor, local median, EUR per unit)
    ("USD", "Blue Bottle Coffee", "BLUE BOTTLE COFFEE SF", 9, Decimal("0.91")),
    ("USD", "Uber Technologies", "UBER *TRIP HELP.UBER", 28, Decimal("0.91")),
    ("GBP", "Pret A Manger", "PRET A MANGER 0231", 11, Decimal("1.18")),
    ("GBP", "Premier Inn", "PREMIER INN LONDON", 120, Decimal("1.18")),
    ("CHF", "Migros", "MIGROS GENEVE", 35, Decimal("1.05")),
    ("JPY", "Lawson", "LAWSON TOKYO 1123", 1500, Decimal("0.0062")),
    ("SEK", "Pressbyran", "PRESSBYRAN ARLANDA", 90, Decimal("0.088")),
]
LOOKALIKE = {"o": "0", "l": "1", "m": "rn", "e": "c", "i": "l", "B": "8", "S": "5"}


def _money(value: Decimal | float) -> Decimal:
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass
class HoldoutData:
    organization: dict
    transactions: list[dict] = field(default_factory=list)
    documents: list[dict] = field(default_factory=list)
    truth: dict[str, str | None] = field(default_factory=dict)
    sales_ids: set[str] = field(default_factory=set)
    family: dict[str, str] = field(default_factory=dict)


class HoldoutGenerator:
    """See the module docstring. `mode` is holdout, plain or adversarial."""

    def __init__(self, documents: int, transactions: int, seed: int, mode: str = "holdout"):
        self.n_docs = documents
        self.n_txs = transactions
        self.mode = mode
        self.rng = random.Random(f"holdout-{seed}-{mode}")
        self.days = 181 if mode == "holdout" else 365
        self.out = HoldoutData(
            {
                "name": "Menuiserie Vasseur Freres",
                "vat": "FR55812345678",
                "siren": "812345678",
                "ibans": ["FR7617515900000812345678912"],
            }
        )
        self._tx = 0
        self._doc = 0
        rng = self.rng
        self.shops = sorted(
            {f"{rng.choice(TRADES)} {rng.choice(FAMILY)}" for _ in range(400)} | set(RESTAURANTS)
        )
        rng.shuffle(self.shops)
        self.suppliers = [
            {
                "name": f"{rng.choice(FAMILY)} {rng.choice(SUPPLIERS_TRADES)}",
                "iban": f"FR76{rng.randrange(10**22, 10**23)}",
                "vat": f"FR{rng.randrange(10, 99)}{rng.randrange(10**8, 10**9)}",
            }
            for _ in range(60)
        ]

    # --- small draws -------------------------------------------------------
    def _when(self, day: date, hour: int | None = None) -> str:
        rng = self.rng
        h = hour if hour is not None else rng.randint(8, 21)
        # UTC instants with a trailing +00:00 (not `Z`), as some banks' APIs give them.
        return datetime(day.year, day.month, day.day, h, rng.randint(0, 59), tzinfo=UTC).isoformat()

    def _day(self) -> date:
        return START + timedelta(days=self.rng.randrange(self.days))

    def _amount(self, median: float) -> Decimal:
        value = Decimal(str(round(self.rng.lognormvariate(0, 0.7) * median, 2)))
        return max(_money(value), Decimal("0.80"))

    def _descriptor(self, name: str, day: date) -> str:
        """Facilitator prefix + name, cut at 22 characters, sometimes a town or date after."""
        rng = self.rng
        head = (rng.choice(FACILITATORS) + name.upper())[:22].rstrip()
        shape = rng.random()
        if shape < 0.45:
            return head
        if shape < 0.7:
            return f"{head} {rng.choice(TOWNS)}"
        if shape < 0.85:
            return f"CARTE {day:%d%m} {head}"
        return f"{head} FR{rng.randint(10, 99)}"

    def _damage(self, name: str) -> str | None:
        """What the extractor reads of a merchant name."""
        rng = self.rng
        r = rng.random()
        if r < 0.08:
            return None
        if r < 0.14:
            return name.split()[0]  # first word only
        if r < 0.22:
            return name.upper()
        if r < 0.34:
            chars = list(name)
            i = rng.randrange(1, len(chars))
            how = rng.random()
            if how < 0.35:
                del chars[i]
            elif how < 0.6:
                chars.insert(i, chars[i])
            else:
                swaps = [k for k in LOOKALIKE if k in name]
                if swaps:
                    k = rng.choice(swaps)
                    j = name.index(k)
                    return name[:j] + LOOKALIKE[k] + name[j + 1 :]
            return "".join(chars)
        return name

    def _add_tx(self, amount: Decimal, counterparty: str, kind: str, day: date, **more) -> str:
        self._tx += 1
        ident = f"H-T{self._tx:07d}"
        row = {
            "id": ident,
            "account_id": "main",
            "amount": str(amount),
            "currency": more.pop("currency", "EUR"),
            "counterparty": counterparty,
            "operation_type": kind,
            "emitted_at": self._when(day),
        }
        if kind == "card" and self.rng.random() < 0.6:
            row["settled_at"] = self._when(day + timedelta(self.rng.choice([1, 1, 2, 3])), 3)
        row.update({k: v for k, v in more.items() if v is not None})
        self.out.transactions.append(row)
        return ident

    def _add_doc(self, truth: str | None, family: str, **fields) -> str:
        self._doc += 1
        ident = f"H-D{self._doc:06d}"
        row = {"id": ident, **{k: v for k, v in fields.items() if v is not None}}
        self.out.documents.append(row)
        self.out.truth[ident] = truth
        self.out.family[ident] = family
        return ident

    # --- families ------------------------------------------------------------
    def shop_receipt(self) -> None:
        rng = self.rng
        day = self._day()
        if rng.random() < 0.5:
            name = rng.choice(self.shops)
            total = self._amount(25)
            descriptor = self._descriptor(name, day)
        else:
            name, stem, median = rng.choice(CHAINS)
            total = self._amount(median)
            descriptor = f"{stem} {rng.randint(100, 9999)}" if rng.random() < 0.6 else stem
            descriptor = self._descriptor(descriptor, day) if rng.random() < 0.3 else descriptor
        if rng.random() < 0.1:
            total = total.to_integral_value()  # a whole amount
        t = self._add_tx(-total, descriptor, "card", day)
        self._add_doc(
            t,
            "card receipt",
            document_type="receipt",
            total=str(total),
            currency="EUR",
            supplier_name=self._damage(name),
            issue_date=day.isoformat(),
        )

    def tipped_meal(self) -> None:
        rng = self.rng
        day = self._day()
        name = rng.choice(RESTAURANTS + self.shops[:40])
        bill = self._amount(38)
        r = rng.random()
        if r < 0.5:
            debit = _money(bill * (1 + Decimal(rng.choice([5, 8, 10, 12, 15])) / 100))
        elif r < 0.8:
            debit = bill + Decimal(rng.choice([1, 2, 3, 5]))
        else:
            debit = bill.quantize(Decimal(1), rounding=ROUND_CEILING)
            if debit == bill:
                debit += 1
        t = self._add_tx(-debit, self._descriptor(name, day), "card", day)
        self._add_doc(
            t,
            "tip",
            document_type="receipt",
            total=str(bill),
            currency="EUR",
            supplier_name=self._damage(name),
            issue_date=day.isoformat(),
        )

    def foreign_receipt(self) -> None:
        rng = self.rng
        currency, name, descriptor, median, rate = rng.choice(FOREIGN)
        day = self._day()
        local = self._amount(median)
        if currency == "JPY":
            local = local.to_integral_value()
        eur = _money(local * rate * Decimal(str(1 + rng.uniform(0.0, 0.025))))
        t = self._add_tx(
            -eur, descriptor, "card", day, local_amount=str(-local), local_currency=currency
        )
        self._add_doc(
            t,
            "foreign currency",
            document_type="receipt",
            total=str(local),
            currency=currency,
            supplier_name=None if rng.random() < 0.6 else self._damage(name),
            issue_date=day.isoformat(),
        )

    def monthly_invoices(self) -> int:
        """One creditor, one direct debit a month, invoices for most months."""
        rng = self.rng
        name, descriptor, median = rng.choice(CREDITORS)
        amount = self._amount(median)
        months = self.days // 30
        made = 0
        lead = rng.randint(5, 12)
        mandate = f"RUM{rng.randrange(10**8, 10**9)}"
        for m in range(months):
            issued = START + timedelta(days=30 * m + rng.randint(0, 3))
            debit_day = issued + timedelta(days=lead + rng.randint(-1, 1) if lead > 5 else lead)
            if rng.random() < 0.2:
                amount = self._amount(median)  # the bill changed this month
            t = self._add_tx(
                -amount, descriptor, "direct_debit", debit_day, reference=f"{mandate} ECH {m + 1}"
            )
            if rng.random() < 0.85:
                self._add_doc(
                    t,
                    "monthly invoice",
                    document_type="invoice",
                    total=str(amount),
                    currency="EUR",
                    supplier_name=self._damage(name),
                    invoice_number=f"{rng.randrange(10**7, 10**8)}",
                    issue_date=issued.isoformat(),
                )
                made += 1
        return made

    def supplier_transfer(self) -> None:
        rng = self.rng
        s = rng.choice(self.suppliers)
        issued = self._day()
        paid = issued + timedelta(days=rng.choice([rng.randint(0, 8), rng.randint(25, 50)]))
        total = self._amount(700)
        number = f"FC{rng.randrange(10**5, 10**6)}"
        reference = rng.choice([f"REGLEMENT {number}", f"FACT {number} {s['name'].upper()}", ""])
        t = self._add_tx(
            -total,
            f"VIR SEPA {s['name'].upper()}"[:30],
            "transfer",
            paid,
            reference=reference or None,
            counterparty_iban=s["iban"] if rng.random() < 0.7 else None,
        )
        self._add_doc(
            t,
            "supplier transfer",
            document_type="invoice",
            total=str(total),
            currency="EUR",
            supplier_name=self._damage(s["name"]),
            supplier_iban=s["iban"] if rng.random() < 0.4 else None,
            supplier_vat=s["vat"] if rng.random() < 0.5 else None,
            invoice_number=number if rng.random() < 0.8 else None,
            issue_date=issued.isoformat(),
            due_date=(issued + timedelta(30)).isoformat(),
        )

    def paid_privately(self) -> None:
        """A receipt whose payment is not on this account; same merchant paid other days."""
        rng = self.rng
        day = self._day()
        name = rng.choice(self.shops)
        total = self._amount(25)
        for _ in range(rng.randint(0, 2)):
            other = day + timedelta(days=rng.randint(-20, 20))
            self._add_tx(-self._amount(25), self._descriptor(name, other), "card", other)
        self._add_doc(
            None,
            "paid privately",
            document_type="receipt",
            total=str(total),
            currency="EUR",
            supplier_name=self._damage(name),
            issue_date=day.isoformat(),
        )

    def sales_invoice(self) -> None:
        rng = self.rng
        issued = self._day()
        total = self._amount(1200)
        number = f"MVF-{rng.randint(1000, 9999)}"
        customer = f"{rng.choice(FAMILY)} Immobilier"
        self._add_tx(
            total,
            f"VIR SEPA {customer.upper()}",
            "income",
            issued + timedelta(rng.randint(3, 30)),
            reference=number,
        )
        ident = self._add_doc(
            None,
            "sales invoice",
            document_type="invoice",
            total=str(total),
            currency="EUR",
            supplier_name=self.out.organization["name"],
            supplier_vat=self.out.organization["vat"],
            customer_name=customer,
            invoice_number=number,
            issue_date=issued.isoformat(),
        )
        self.out.sales_ids.add(ident)

    def noise(self) -> None:
        rng = self.rng
        day = self._day()
        r = rng.random()
        if self.mode != "holdout" or r < 0.75:
            if rng.random() < 0.5:
                name = rng.choice(self.shops)
                self._add_tx(-self._amount(25), self._descriptor(name, day), "card", day)
            else:
                name, stem, median = rng.choice(CHAINS)
                self._add_tx(-self._amount(median), f"{stem} {rng.randint(100, 9999)}", "card", day)
        elif r < 0.85:
            s = rng.choice(self.suppliers)
            self._add_tx(
                -self._amount(700),
                f"VIR SEPA {s['name'].upper()}",
                "transfer",
                day,
                counterparty_iban=s["iban"],
            )
        else:
            self._add_tx(self._amount(900), f"VIR SEPA CLIENT {rng.randint(1, 500)}", "income", day)

    # --- adversarial ---------------------------------------------------------
    def adversarial(self) -> None:
        """Every counterparty is `RESTAURANT LE GRAND ...` and every receipt a tip candidate."""
        rng = self.rng
        letters = "ABCDEFGHIJKLMNOPRSTUVZ"

        def word() -> str:  # a made-up surname: the prefix is shared, the name is not
            return rng.choice(FAMILY).upper()[:3] + "".join(rng.choice(letters) for _ in range(5))

        per_doc = max(1, self.n_txs // max(1, self.n_docs))
        for _ in range(self.n_docs):
            day = self._day()
            name = f"Restaurant Le Grand {word().title()}"
            bill = self._amount(30)
            debit = _money(bill * Decimal("1.10"))
            t = self._add_tx(-debit, f"SUMUP *{name.upper()}", "card", day)
            self._add_doc(
                t,
                "adversarial",
                document_type="receipt",
                total=str(bill),
                currency="EUR",
                supplier_name=name,
                issue_date=day.isoformat(),
            )
            for _ in range(per_doc - 1):
                other = f"RESTAURANT LE GRAND {word()}"
                self._add_tx(-self._amount(30), f"SUMUP *{other}", "card", day)

    # --- assembly ------------------------------------------------------------
    def build(self) -> HoldoutData:
        rng = self.rng
        if self.mode == "adversarial":
            self.adversarial()
        elif self.mode == "plain":
            for _ in range(self.n_docs):
                self.shop_receipt()
        else:
            made = 0
            while made < self.n_docs * 0.12:
                made += self.monthly_invoices()
            for _ in range(int(self.n_docs) - made):
                r = rng.random()
                if r < 0.45:
                    self.shop_receipt()
                elif r < 0.57:
                    self.tipped_meal()
                elif r < 0.65:
                    self.foreign_receipt()
                elif r < 0.83:
                    self.supplier_transfer()
                elif r < 0.95:
                    self.paid_privately()
                else:
                    self.sales_invoice()
        while len(self.out.transactions) < self.n_txs:
            self.noise()
        rng.shuffle(self.out.transactions)
        rng.shuffle(self.out.documents)
        return self.out
