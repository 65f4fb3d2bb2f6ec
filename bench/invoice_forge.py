"""A seeded forge of synthetic text-layer invoice PDFs with their truth, in FR, DE, ES and EN.

    python bench/invoice_forge.py OUT_DIR [--seed 1] [-n 200]

Written without looking at the extraction engine: it is an independent test surface, not a
mirror of the engine's rules. Each file is drawn by one of the layout FAMILIES below (a
real-world style: where the seller and the buyer sit, labels beside or below their values,
totals per VAT rate, prepayments, credit notes, legal mentions with dates, multi-page...).
The language, the party names, the wording of each label (picked among synonyms), the date
and amount formats, the invoice-number shape and the traps (buyer VAT, service periods, due
and delivery dates, dated legal clauses, customer and order numbers) vary per file.

Held-out split, fixed before any tuning: families 0-7 are TUNING, families 8-11 are HELD-OUT
(a third). Engine rules may be written from misses of tuning families only; held-out families
measure whether the rules generalise to layouts nobody looked at. Families 12-17 were added
later as TUNING (written without reading the held-out families): more ways to place the
seller's identity (a brand letterhead with the legal name in the footer only, the seller on
the right, an uncaptioned seller column, "Seller"/"Buyer" panels, "From:"/"To:" blocks, a
payment slip naming the payee) and more VAT labels. Families 18-19 were added later still as
TUNING: the seller's identifiers as labels over values in a captioned box with a two-column
footer (legal mention | bank), and a long invoice whose totals stand alone on its last page.
Families 20-21 were added in session 12, before reading the engine: 20 (TUNING) a subscription
or utility bill (brand only, customer account, billing period, partial payment, a direct-debit
notice with its own amount and date, the legal name in the footer only); 21 (HELD-OUT, never
looked at while tuning) a marketplace invoice issued by the platform on behalf of the seller
("Sold by"), the platform's own legal line and VAT id in the footer; 22 (TUNING) a sole
trader's invoice (a person's name, no VAT under a small-business exemption, or in Spain IVA
less the IRPF withholding, an early-payment discount offer with its own amount); 23
(HELD-OUT) totals as a strip of labels over values, the amount due in a banner at the top,
a discount line and shipping among the lines.
The family count stays even, so that the index -> language rotation gives every family all
four languages.

Truth per file (`truth.json` in OUT_DIR, one entry per PDF): grand total, amount due (total
minus a prepayment), issue date (ISO), invoice number (as printed), supplier name (its legal
name as printed), supplier VAT (normalised: no spaces), currency (ISO code), document type
(invoice / credit_note), and the buyer's name, VAT and SIREN: the organisation the invoice
was sent to, which the caller of the engine knows. Credit-note amounts are stated positive
(the page may print them negative). VAT ids carry valid check digits (FR key, DE ISO 7064
MOD 11-10, ES CIF control, GB mod 97), and French SIREN/SIRET pass the Luhn check.
Company names come from the generator below (surnames x trades x legal forms); they are
invented, not taken from any corpus.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from fpdf import FPDF

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FAMILIES = [
    "classic_seller_left",  # 0
    "din5008_window",  # 1
    "seller_in_footer_only",  # 2
    "bill_to_ship_to",  # 3
    "labels_below_values",  # 4
    "service_period",  # 5
    "vat_summary_table",  # 6
    "multi_page",  # 7
    "banner",  # 8  held-out from here
    "letter",  # 9
    "sidebar",  # 10
    "from_to_two_up",  # 11
    "letterhead_brand",  # 12  tuning again from here
    "seller_right_buyer_left",  # 13
    "uncaptioned_seller_column",  # 14
    "party_panels",  # 15
    "from_to_stacked",  # 16
    "remittance_slip",  # 17
    "ids_label_over_value",  # 18  tuning
    "totals_on_last_page",  # 19  tuning
    "subscription_direct_debit",  # 20  tuning
    "marketplace_sold_by",  # 21  held-out
    "sole_trader",  # 22  tuning
    "totals_strip",  # 23  held-out
]
HELD_OUT_FAMILIES = frozenset({*range(8, 12), 21, 23})
LANGS = ("fr", "de", "es", "en")
CENT = Decimal("0.01")

# --------------------------------------------------------------------------- identities

SURNAMES = {
    "fr": "Marchand Lefebvre Garnier Rousseau Fontaine Chevalier Perrin Morel Girard Bonnet "
    "Lambert Faure Mercier Blanchard Guérin Boyer Barbier Arnaud Roche Leclerc Vasseur Delorme "
    "Charpentier Royer Aubert Lemaire Carré Poulain Besnard Tessier".split(),
    "de": "Becker Hoffmann Schäfer Koch Richter Wolf Neumann Schwarz Zimmermann Krüger "
    "Hartmann Lange Werner Krause Lehmann Köhler Brandt Vogel Friedrich Keller Seidel Winkler "
    "Lorenz Haas Brenner Kuhn Pohl Engel Jäger Voigt".split(),
    "es": "García Fernández Martín Sánchez Romero Navarro Torres Domínguez Vázquez Ramos Gil "
    "Serrano Blanco Molina Morales Ortega Delgado Castro Ortiz Rubio Iglesias Medina Garrido "
    "Cortés Lozano Peña Cano Prieto Calvo Vidal".split(),
    "en": "Thompson Whitaker Harrington Blackwood Fletcher Pemberton Ashworth Caldwell "
    "Hargreaves Sutton Barlow Kendrick Radcliffe Holloway Prescott Wainwright Marsden Oakley "
    "Thornton Bramley Fairclough Stanton Hollis Greaves Ridley".split(),
}
TRADES = {
    "fr": [
        "Menuiserie",
        "Imprimerie",
        "Transports",
        "Électricité",
        "Plomberie",
        "Conseil",
        "Traiteur",
        "Ateliers",
        "Nettoyage",
        "Paysages",
        "Métallerie",
        "Informatique",
    ],
    "de": [
        "Haustechnik",
        "Druckerei",
        "Metallbau",
        "Elektrotechnik",
        "Logistik",
        "Gebäudereinigung",
        "Bürobedarf",
        "Holzbau",
        "Softwareentwicklung",
        "Gartenbau",
        "Messebau",
    ],
    "es": [
        "Construcciones",
        "Distribuciones",
        "Suministros",
        "Transportes",
        "Asesoría",
        "Gráficas",
        "Instalaciones",
        "Limpiezas",
        "Carpintería",
        "Informática",
        "Reformas",
    ],
    "en": [
        "Joinery",
        "Print Works",
        "Logistics",
        "Consulting",
        "Electrical Services",
        "Catering",
        "Cleaning Services",
        "Stationery",
        "Software",
        "Landscapes",
        "Engineering",
    ],
}
FORMS = {
    "fr": ["SAS", "SARL", "SA", "EURL", "SASU"],
    "de": ["GmbH", "GmbH & Co. KG", "AG", "UG (haftungsbeschränkt)", "KG"],
    "es": ["S.L.", "S.A.", "S.L.U."],
    "en": ["Ltd", "Limited", "LLP", "PLC"],
}
PLACES = {
    "fr": [
        ("rue des Tanneurs", "69002 Lyon"),
        ("avenue Jean Jaurès", "31000 Toulouse"),
        ("boulevard Carnot", "59000 Lille"),
        ("rue de la République", "13001 Marseille"),
        ("quai des Chartrons", "33000 Bordeaux"),
        ("rue du Faubourg Saint-Antoine", "75011 Paris"),
        ("allée des Tilleuls", "44000 Nantes"),
        ("route de Vienne", "38200 Vienne"),
    ],
    "de": [
        ("Hauptstraße", "10115 Berlin"),
        ("Lindenallee", "50668 Köln"),
        ("Industriestraße", "70565 Stuttgart"),
        ("Am Hafen", "20457 Hamburg"),
        ("Bahnhofstraße", "80335 München"),
        ("Gewerbepark Süd", "90411 Nürnberg"),
        ("Schillerweg", "04109 Leipzig"),
    ],
    "es": [
        ("Calle Mayor", "28013 Madrid"),
        ("Avenida Diagonal", "08018 Barcelona"),
        ("Calle Colón", "46004 Valencia"),
        ("Polígono Industrial Norte, nave", "41015 Sevilla"),
        ("Paseo de la Castellana", "28046 Madrid"),
        ("Calle Alfonso I", "50003 Zaragoza"),
    ],
    "en": [
        ("High Street", "Leeds LS1 4DY"),
        ("Station Road", "Bristol BS1 6QF"),
        ("Mill Lane", "Manchester M4 1HN"),
        ("King Street", "Glasgow G1 5QT"),
        ("Church Road", "Reading RG1 2LU"),
        ("Riverside Way", "Norwich NR1 1SQ"),
    ],
}
COUNTRY = {"fr": "France", "de": "Deutschland", "es": "España", "en": "United Kingdom"}
ABROAD = {
    "fr": {"de": "Allemagne", "es": "Espagne", "en": "Royaume-Uni"},
    "de": {"fr": "Frankreich", "es": "Spanien", "en": "Vereinigtes Königreich"},
    "es": {"fr": "Francia", "de": "Alemania", "en": "Reino Unido"},
    "en": {"fr": "France", "de": "Germany", "es": "Spain"},
}


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def _luhn_complete(rng: random.Random, prefix_len: int, length: int, prefix: str = "") -> str:
    body = prefix + "".join(str(rng.randint(0, 9)) for _ in range(prefix_len - len(prefix)))
    for last in "0123456789":
        if luhn_ok(body + last):
            return body + last
    raise AssertionError  # pragma: no cover


def fr_siren(rng: random.Random) -> str:
    siren = _luhn_complete(rng, 8, 9, str(rng.randint(3, 9)))
    return siren


def fr_vat(siren: str) -> str:
    key = (12 + 3 * (int(siren) % 97)) % 97
    return f"FR{key:02d}{siren}"


def de_vat(rng: random.Random) -> str:
    digits = [rng.randint(1, 9)] + [rng.randint(0, 9) for _ in range(7)]
    product = 10
    for d in digits:
        s = (d + product) % 10 or 10
        product = (2 * s) % 11
    check = (11 - product) % 10
    return "DE" + "".join(map(str, digits)) + str(check)


def es_vat(rng: random.Random, form: str) -> str:
    letter = "A" if form == "S.A." else "B"
    digits = [rng.randint(0, 9) for _ in range(7)]
    even = sum(digits[1::2])
    odd = sum(sum(divmod(2 * d, 10)) for d in digits[0::2])
    control = (10 - (even + odd) % 10) % 10
    return "ES" + letter + "".join(map(str, digits)) + str(control)


def gb_vat(rng: random.Random) -> str:
    digits = [rng.randint(1, 9)] + [rng.randint(0, 9) for _ in range(6)]
    total = sum(d * w for d, w in zip(digits, range(8, 1, -1), strict=True))
    check = (-total) % 97
    return "GB" + "".join(map(str, digits)) + f"{check:02d}"


def spaced_vat(vat: str, rng: random.Random) -> str:
    """The VAT id as printed: compact, or with the spaces real invoices use."""
    if rng.random() < 0.5:
        return vat
    cc, rest = vat[:2], vat[2:]
    if cc == "FR":
        return rng.choice(
            [f"FR {rest[:2]} {rest[2:]}", f"FR {rest[:2]} {rest[2:5]} {rest[5:8]} {rest[8:]}"]
        )
    if cc == "GB":
        return f"GB {rest[:3]} {rest[3:7]} {rest[7:]}"
    if cc == "DE":
        return f"DE {rest}" if rng.random() < 0.5 else f"DE {rest[:3]} {rest[3:6]} {rest[6:]}"
    return f"ES-{rest}" if rng.random() < 0.5 else f"ES {rest}"


@dataclass
class Party:
    lang: str
    name: str
    street: str
    city: str
    vat: str
    siren: str = ""
    siret: str = ""
    registry: str = ""
    phone: str = ""
    email: str = ""
    iban: str = ""
    bic: str = ""
    capital: str = ""


def company_name(rng: random.Random, lang: str) -> str:
    s1, s2 = rng.sample(SURNAMES[lang], 2)
    trade = rng.choice(TRADES[lang])
    form = rng.choice(FORMS[lang])
    pattern = rng.randrange(5)
    if lang == "fr":
        core = [f"{trade} {s1}", f"{s1} & Fils", f"{s1} {trade}", f"Ets {s1}", f"{s1}-{s2}"][
            pattern
        ]
    elif lang == "de":
        core = [f"{s1} {trade}", f"{trade} {s1}", f"{s1} & {s2}", f"{s1} {trade} Nord", f"{s1}"][
            pattern
        ]
    elif lang == "es":
        core = [
            f"{trade} {s1}",
            f"{s1} y {s2}",
            f"{trade} {s1} {s2}",
            f"Hermanos {s1}",
            f"{trade} del Sur",
        ][pattern]
        if pattern == 4:
            core = f"{trade} {s1} del Sur"
    else:
        core = [
            f"{s1} {trade}",
            f"{s1} & {s2}",
            f"{s1} {trade} Group",
            f"{s1} and {s2}",
            f"{trade} by {s1}",
        ][pattern]
    return f"{core} {form}"


def make_party(rng: random.Random, lang: str) -> Party:
    name = company_name(rng, lang)
    street, city = rng.choice(PLACES[lang])
    street = (
        f"{rng.randint(1, 180)} {street}"
        if lang in ("fr", "en")
        else f"{street} {rng.randint(1, 120)}"
    )
    if lang == "es":
        street = f"{street.rsplit(' ', 1)[0]}, {rng.randint(1, 120)}"
    party = Party(lang, name, street, city, "")
    phone_digits = "".join(str(rng.randint(0, 9)) for _ in range(8))
    if lang == "fr":
        party.siren = fr_siren(rng)
        party.siret = _luhn_complete(rng, 13, 14, party.siren + "000")
        party.vat = fr_vat(party.siren)
        party.registry = (
            f"RCS {city.split(' ', 1)[1]} {party.siren[:3]} {party.siren[3:6]} {party.siren[6:]}"
        )
        party.capital = f"{rng.choice([1000, 5000, 7500, 10000, 37000, 150000]):,}".replace(
            ",", " "
        )
        party.phone = f"0{rng.randint(1, 5)} {phone_digits[:2]} {phone_digits[2:4]} {phone_digits[4:6]} {phone_digits[6:]}"
        party.iban = (
            "FR76 "
            + " ".join("".join(str(rng.randint(0, 9)) for _ in range(4)) for _ in range(5))
            + " 123"
        )
        party.bic = rng.choice(["AGRIFRPP", "BNPAFRPP", "CCBPFRPP", "SOGEFRPP"]) + rng.choice(
            ["", "XXX"]
        )
    elif lang == "de":
        party.vat = de_vat(rng)
        party.registry = f"Amtsgericht {city.split(' ', 1)[1]} HRB {rng.randint(10000, 299999)}"
        party.phone = f"+49 {rng.randint(30, 911)} {phone_digits}"
        party.iban = (
            "DE"
            + f"{rng.randint(10, 99)} "
            + " ".join("".join(str(rng.randint(0, 9)) for _ in range(4)) for _ in range(4))
            + f" {rng.randint(10, 99)}"
        )
        party.bic = rng.choice(["COBADEFFXXX", "DEUTDEDBXXX", "GENODEM1GLS", "HYVEDEMMXXX"])
    elif lang == "es":
        party.vat = es_vat(rng, name.rsplit(" ", 1)[1])
        party.registry = (
            f"Registro Mercantil de {city.split(' ', 1)[1]}, Tomo {rng.randint(1000, 40000)}, "
            f"Folio {rng.randint(1, 220)}, Hoja {rng.choice('MBVSZ')}-{rng.randint(10000, 99999)}"
        )
        party.phone = f"+34 9{phone_digits[:2]} {phone_digits[2:5]} {phone_digits[5:]}"
        party.iban = (
            "ES"
            + f"{rng.randint(10, 99)} "
            + " ".join("".join(str(rng.randint(0, 9)) for _ in range(4)) for _ in range(5))
        )
        party.bic = rng.choice(["CAIXESBBXXX", "BSCHESMMXXX", "BBVAESMMXXX"])
    else:
        party.vat = gb_vat(rng)
        party.registry = f"Registered in England and Wales No. {rng.randint(1000000, 13999999):08d}"
        party.phone = f"+44 {rng.randint(113, 208)} {phone_digits[:3]} {phone_digits[3:7]}"
        party.iban = (
            "GB"
            + f"{rng.randint(10, 99)} "
            + rng.choice(["NWBK", "BARC", "LOYD"])
            + " "
            + " ".join("".join(str(rng.randint(0, 9)) for _ in range(4)) for _ in range(3))
            + f" {rng.randint(10, 99)}"
        )
        party.bic = rng.choice(["NWBKGB2L", "BARCGB22", "LOYDGB21"])
    domain = (
        "".join(ch for ch in name.split(" ")[0].lower() if ch.isascii() and ch.isalpha()) or "mail"
    )
    party.email = f"{rng.choice(['contact', 'info', 'billing', 'compta'])}@{domain}.{ {'fr': 'fr', 'de': 'de', 'es': 'es', 'en': 'co.uk'}[lang] }"
    return party


# --------------------------------------------------------------------------- formats

MONTHS = {
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre".split(),
    "de": "Januar Februar März April Mai Juni Juli August September Oktober November Dezember".split(),
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre".split(),
    "en": "January February March April May June July August September October November December".split(),
}
DATE_STYLES = {
    "fr": ["dmy/", "dmy/", "dmy.", "long", "iso", "dmy-"],
    "de": ["dmy.", "dmy.", "long", "iso", "compact"],
    "es": ["dmy/", "dmy/", "long", "dmy-", "iso"],
    "en": ["long", "en_us_long", "dmy/", "iso", "compact", "en_short"],
}


def fmt_date(d: date, style: str, lang: str) -> str:
    month = MONTHS[lang][d.month - 1]
    if style == "dmy/":
        return d.strftime("%d/%m/%Y")
    if style == "dmy.":
        return d.strftime("%d.%m.%Y")
    if style == "dmy-":
        return d.strftime("%d-%m-%Y")
    if style == "iso":
        return d.isoformat()
    if style == "compact":
        return d.strftime("%Y%m%d")
    if style == "en_us_long":
        return f"{month} {d.day}, {d.year}"
    if style == "en_short":
        return f"{d.day:02d}-{month[:3]}-{d.year}"
    # long
    if lang == "fr":
        return f"{'1er' if d.day == 1 else d.day} {month} {d.year}"
    if lang == "de":
        return f"{d.day}. {month} {d.year}"
    if lang == "es":
        return f"{d.day} de {month} de {d.year}"
    return f"{d.day} {month} {d.year}"


@dataclass
class MoneyStyle:
    decimal: str
    thousands: str
    symbol: str  # "€", "EUR", "£", "" ...
    before: bool  # symbol before the number
    negative_credit: bool  # a credit note prints its amounts negative

    def __call__(self, amount: Decimal, *, sign: int = 1, bare: bool = False) -> str:
        amount = amount * sign
        negative = amount < 0
        units, cents = f"{abs(amount):.2f}".split(".")
        groups = []
        while len(units) > 3:
            groups.insert(0, units[-3:])
            units = units[:-3]
        groups.insert(0, units)
        text = self.thousands.join(groups) + self.decimal + cents
        if not bare and self.symbol:
            if self.before:
                text = f"{self.symbol}{'' if self.symbol in '€£$' else ' '}{text}"
            else:
                text = f"{text} {self.symbol}"
        return ("-" if negative else "") + text


def money_style(rng: random.Random, lang: str, currency: str, kind: str) -> MoneyStyle:
    symbol = {"EUR": "€", "GBP": "£"}[currency]
    if lang == "en":
        sep = (".", rng.choice([",", ",", ""]))
        before = True
    elif lang == "fr":
        sep = (",", rng.choice([" ", "\u00a0", "\u202f", ".", ""]))
        before = False
    else:
        sep = (",", rng.choice([".", ".", ""]))
        before = False
    shown = rng.choice([symbol, symbol, currency, ""])
    if shown == currency and lang != "en":
        before = rng.random() < 0.2
    return MoneyStyle(sep[0], sep[1], shown, before, kind == "credit_note" and rng.random() < 0.5)


def fmt_rate(rate: Decimal, lang: str) -> str:
    text = f"{rate.normalize():f}"
    if lang != "en":
        text = text.replace(".", ",")
    return text + ("%" if lang in ("en", "es") else " %")


# --------------------------------------------------------------------------- labels

LEX: dict[str, dict[str, list[str]]] = {
    "fr": {
        "title": ["FACTURE", "Facture"],
        "credit_title": ["AVOIR", "Avoir", "FACTURE D'AVOIR"],
        "number": ["Facture N°", "N° de facture", "Numéro de facture", "Facture n°", "N°"],
        "credit_number": ["Avoir N°", "N° d'avoir", "Numéro d'avoir"],
        "date": ["Date", "Date de facture", "Date d'émission", "Date de facturation", "Émise le"],
        "due": ["Date d'échéance", "Échéance", "À régler avant le", "Date limite de paiement"],
        "delivery": ["Date de livraison", "Livré le", "Date de prestation"],
        "period": ["Période", "Période de prestation", "Prestations du"],
        "customer_no": ["Code client", "N° client", "Réf. client"],
        "order_no": ["Votre commande", "Bon de commande", "Réf. commande"],
        "bill_to": ["Facturé à", "Client", "Adresse de facturation", "Destinataire"],
        "ship_to": ["Livré à", "Adresse de livraison"],
        "seller_head": ["Fournisseur", "Émetteur", "Vendeur"],
        "buyer_vat": ["N° TVA client", "TVA intracom. client", "Votre N° TVA"],
        "vat_id": ["N° TVA intracommunautaire", "TVA intracom.", "N° TVA", "TVA"],
        "desc": ["Désignation", "Description"],
        "qty": ["Qté", "Quantité"],
        "unit": ["P.U. HT", "Prix unitaire HT"],
        "rate": ["TVA", "Taux TVA"],
        "amount": ["Montant HT", "Total HT"],
        "net": ["Total HT", "Montant HT", "Sous-total HT"],
        "vat_line": ["TVA {r}", "TVA à {r}", "Montant TVA {r}"],
        "gross": ["Total TTC", "Montant TTC", "Total"],
        "credit_gross": ["Total avoir TTC", "Montant de l'avoir TTC", "Total TTC"],
        "prepaid": ["Acompte versé", "Acompte reçu", "Déjà réglé", "Déduction acompte"],
        "due_amount": ["Net à payer", "Reste à payer", "Montant à régler", "Solde dû"],
        "credit_due": ["Montant à rembourser", "Net à déduire", "Solde en votre faveur"],
        "page": ["Page {p}/{n}", "Page {p} sur {n}"],
        "continued": ["(suite)", "- suite -"],
        "credit_ref": [
            "Avoir sur facture {n}",
            "Réf. facture d'origine : {n}",
            "Annule et remplace la facture {n}",
        ],
        "bank": ["IBAN", "Coordonnées bancaires"],
        "vat_summary": ["Base HT", "Taux", "Montant TVA", "Total TTC"],
        "place_date": ["{city}, le {d}"],
        "object": ["Objet : {t} n° {n}"],
        "prose": [
            "Nous vous remercions de votre confiance et vous prions de trouver ci-dessous le détail de nos prestations.",
            "Veuillez trouver ci-dessous le détail de la facturation.",
        ],
        "terms": [
            "Conditions de paiement : 30 jours date de facture",
            "Paiement à réception",
            "Règlement par virement à 45 jours fin de mois",
        ],
    },
    "de": {
        "title": ["RECHNUNG", "Rechnung"],
        "credit_title": ["GUTSCHRIFT", "Gutschrift"],
        "number": ["Rechnungsnummer", "Rechnung Nr.", "Rechnungs-Nr.", "Beleg-Nr.", "Re.-Nr."],
        "credit_number": ["Gutschrift Nr.", "Gutschriftsnummer", "Beleg-Nr."],
        "date": ["Rechnungsdatum", "Datum", "Belegdatum", "Ausstellungsdatum"],
        "due": ["Fälligkeitsdatum", "Fällig am", "Zahlbar bis", "Zahlungsziel"],
        "delivery": ["Lieferdatum", "Liefertag", "Leistungsdatum"],
        "period": ["Leistungszeitraum", "Abrechnungszeitraum"],
        "customer_no": ["Kundennummer", "Kunden-Nr.", "Ihre Kundennr."],
        "order_no": ["Ihre Bestellung", "Auftragsnummer", "Bestell-Nr."],
        "bill_to": ["Rechnungsempfänger", "Kunde", "Rechnungsadresse", "An"],
        "ship_to": ["Lieferadresse", "Lieferanschrift"],
        "seller_head": ["Lieferant", "Rechnungssteller", "Absender"],
        "buyer_vat": ["Ihre USt-IdNr.", "USt-IdNr. Kunde", "Kunden-USt-ID"],
        "vat_id": ["USt-IdNr.", "USt-ID", "Umsatzsteuer-ID", "UID-Nr."],
        "desc": ["Bezeichnung", "Beschreibung", "Artikel"],
        "qty": ["Menge", "Anz."],
        "unit": ["Einzelpreis", "E-Preis"],
        "rate": ["USt.", "MwSt."],
        "amount": ["Gesamt", "Betrag netto"],
        "net": ["Nettobetrag", "Summe netto", "Zwischensumme", "Gesamt netto"],
        "vat_line": ["zzgl. {r} MwSt.", "USt. {r}", "MwSt. {r}", "Umsatzsteuer {r}"],
        "gross": ["Gesamtbetrag", "Rechnungsbetrag", "Bruttobetrag", "Gesamtsumme", "Endbetrag"],
        "credit_gross": ["Gutschriftsbetrag", "Gesamtbetrag", "Summe brutto"],
        "prepaid": ["abzgl. Anzahlung", "Anzahlung", "bereits gezahlt", "Abschlagszahlung"],
        "due_amount": ["Zahlbetrag", "Offener Betrag", "Noch zu zahlen", "Zu zahlender Betrag"],
        "credit_due": ["Erstattungsbetrag", "Gutschriftsbetrag", "Zu Ihren Gunsten"],
        "page": ["Seite {p} von {n}", "Seite {p}/{n}"],
        "continued": ["(Fortsetzung)", "- Fortsetzung -"],
        "credit_ref": [
            "Gutschrift zu Rechnung {n}",
            "Bezug: Rechnung Nr. {n}",
            "Korrektur zur Rechnung {n}",
        ],
        "bank": ["Bankverbindung", "IBAN"],
        "vat_summary": ["Netto", "Satz", "USt.", "Brutto"],
        "place_date": ["{city}, den {d}", "{city}, {d}"],
        "object": ["{t} Nr. {n}"],
        "prose": [
            "Sehr geehrte Damen und Herren, vielen Dank für Ihren Auftrag. Wir berechnen Ihnen:",
            "Für unsere Leistungen erlauben wir uns, Ihnen folgende Positionen in Rechnung zu stellen:",
        ],
        "terms": [
            "Zahlbar innerhalb von 14 Tagen ohne Abzug.",
            "Zahlungsbedingungen: 30 Tage netto",
            "Bitte überweisen Sie den Betrag unter Angabe der Rechnungsnummer.",
        ],
    },
    "es": {
        "title": ["FACTURA", "Factura"],
        "credit_title": ["FACTURA RECTIFICATIVA", "Factura rectificativa", "ABONO"],
        "number": ["Nº Factura", "Factura nº", "Número de factura", "Nº", "Factura número"],
        "credit_number": ["Nº Rectificativa", "Factura rectificativa nº", "Nº abono"],
        "date": ["Fecha", "Fecha de factura", "Fecha de emisión", "Fecha factura"],
        "due": ["Fecha de vencimiento", "Vencimiento", "Fecha vto."],
        "delivery": ["Fecha de entrega", "Fecha de servicio", "Fecha operación"],
        "period": ["Periodo de servicio", "Periodo facturado"],
        "customer_no": ["Código cliente", "Nº cliente", "Cód. cliente"],
        "order_no": ["Su pedido", "Nº pedido", "Referencia pedido"],
        "bill_to": ["Cliente", "Facturar a", "Datos del cliente", "Destinatario"],
        "ship_to": ["Dirección de envío", "Entregar en"],
        "seller_head": ["Emisor", "Proveedor", "Datos del emisor"],
        "buyer_vat": ["NIF cliente", "CIF cliente", "NIF/CIF"],
        "vat_id": ["NIF", "CIF", "NIF-IVA", "Nº IVA"],
        "desc": ["Concepto", "Descripción"],
        "qty": ["Cant.", "Unidades"],
        "unit": ["Precio", "Precio unit."],
        "rate": ["IVA", "% IVA"],
        "amount": ["Importe", "Subtotal"],
        "net": ["Base imponible", "Subtotal", "Total base imponible"],
        "vat_line": ["IVA {r}", "Cuota IVA {r}", "IVA ({r})"],
        "gross": ["Total factura", "TOTAL", "Importe total", "Total"],
        "credit_gross": ["Total rectificativa", "Total abono", "Importe total"],
        "prepaid": ["Anticipo", "Entregado a cuenta", "Pagado a cuenta", "Anticipo recibido"],
        "due_amount": [
            "Total a pagar",
            "Importe pendiente",
            "Pendiente de pago",
            "Líquido a pagar",
        ],
        "credit_due": ["Importe a devolver", "Total a abonar"],
        "page": ["Página {p} de {n}", "Pág. {p}/{n}"],
        "continued": ["(continúa)", "- continuación -"],
        "credit_ref": [
            "Rectifica a la factura {n}",
            "Factura rectificada: {n}",
            "Abono de la factura {n}",
        ],
        "bank": ["IBAN", "Datos bancarios"],
        "vat_summary": ["Base", "Tipo", "Cuota", "Total"],
        "place_date": ["{city}, a {d}", "En {city}, {d}"],
        "object": ["Asunto: {t} nº {n}"],
        "prose": [
            "Le remitimos la factura correspondiente a los servicios prestados, según el siguiente detalle:",
            "Adjuntamos el detalle de los conceptos facturados:",
        ],
        "terms": [
            "Forma de pago: transferencia bancaria a 30 días",
            "Pago al contado",
            "Condiciones de pago: 60 días fecha factura",
        ],
    },
    "en": {
        "title": ["INVOICE", "Invoice", "TAX INVOICE", "VAT INVOICE"],
        "credit_title": ["CREDIT NOTE", "Credit Note", "CREDIT MEMO"],
        "number": ["Invoice No.", "Invoice #", "Invoice Number", "Invoice no:", "Ref"],
        "credit_number": ["Credit Note No.", "Credit note #", "Credit Note Number"],
        "date": ["Invoice Date", "Date", "Date of issue", "Tax point", "Issued"],
        "due": ["Due Date", "Payment due", "Due by", "Pay by"],
        "delivery": ["Delivery Date", "Supply date", "Shipped"],
        "period": ["Service period", "Billing period"],
        "customer_no": ["Account No.", "Customer ID", "Client ref"],
        "order_no": ["PO Number", "Your order", "Purchase order"],
        "bill_to": ["Bill to", "Invoice to", "Customer", "Billed to", "Sold to"],
        "ship_to": ["Ship to", "Deliver to"],
        "seller_head": ["From", "Supplier", "Seller"],
        "buyer_vat": ["Customer VAT", "Your VAT No.", "Client VAT reg."],
        "vat_id": ["VAT Reg. No.", "VAT No.", "VAT number", "VAT registration"],
        "desc": ["Description", "Item"],
        "qty": ["Qty", "Quantity"],
        "unit": ["Unit price", "Rate"],
        "rate": ["VAT", "VAT %"],
        "amount": ["Amount", "Net"],
        "net": ["Subtotal", "Net total", "Total net", "Sub-total"],
        "vat_line": ["VAT {r}", "VAT @ {r}", "VAT at {r}"],
        "gross": ["Total", "Invoice total", "Total (inc. VAT)", "Gross total", "TOTAL"],
        "credit_gross": ["Total credit", "Credit total", "Total"],
        "prepaid": ["Amount paid", "Deposit received", "Less deposit", "Paid to date"],
        "due_amount": ["Balance due", "Amount due", "Total due", "Balance outstanding"],
        "credit_due": ["Amount to be refunded", "Credit balance"],
        "page": ["Page {p} of {n}", "Page {p}/{n}"],
        "continued": ["(continued)", "- continued -"],
        "credit_ref": [
            "Credit against invoice {n}",
            "Relates to invoice {n}",
            "Original invoice: {n}",
        ],
        "bank": ["Bank details", "IBAN"],
        "vat_summary": ["Net", "Rate", "VAT", "Gross"],
        "place_date": ["{city}, {d}"],
        "object": ["Re: {t} {n}"],
        "prose": [
            "Thank you for your business. Please find below the details of the services provided.",
            "Please find our charges for the work carried out below.",
        ],
        "terms": [
            "Payment terms: 30 days net",
            "Payment due on receipt",
            "Terms: strictly 14 days",
        ],
    },
}

PRODUCTS = {
    "fr": [
        "Prestation de conseil",
        "Maintenance annuelle",
        "Fournitures de bureau",
        "Câble RJ45 cat. 6",
        "Déplacement technicien",
        "Formation sur site (journée)",
        "Impression flyers A5",
        "Location nacelle",
        "Papier A4 80 g",
        "Licence logiciel",
        "Intervention dépannage",
        "Repas traiteur",
        "Livres techniques",
    ],
    "de": [
        "Beratungsleistung",
        "Wartungspauschale",
        "Kopierpapier A4",
        "Montage vor Ort",
        "Anfahrtspauschale",
        "Schulung (Tag)",
        "Druck Visitenkarten",
        "Softwarelizenz",
        "Reparatur Heizung",
        "Bücher",
        "Lebensmittel Catering",
        "Stundensatz Techniker",
    ],
    "es": [
        "Servicios de consultoría",
        "Mantenimiento mensual",
        "Material de oficina",
        "Instalación eléctrica",
        "Desplazamiento",
        "Formación presencial",
        "Impresión folletos",
        "Licencia de software",
        "Reparación",
        "Libros",
        "Servicio de catering",
        "Alquiler de equipo",
    ],
    "en": [
        "Consulting services",
        "Annual maintenance",
        "Office supplies",
        "On-site installation",
        "Call-out charge",
        "Training day",
        "Printed brochures",
        "Software licence",
        "Repair labour",
        "Books",
        "Catering",
        "Equipment hire",
    ],
}
RATES = {
    "fr": [Decimal("20"), Decimal("20"), Decimal("10"), Decimal("5.5"), Decimal("2.1")],
    "de": [Decimal("19"), Decimal("19"), Decimal("7")],
    "es": [Decimal("21"), Decimal("21"), Decimal("10"), Decimal("4")],
    "en": [Decimal("20"), Decimal("20"), Decimal("5")],
}

LEGAL_FR = [
    "En cas de retard de paiement, une pénalité égale à trois fois le taux d'intérêt légal sera exigible (article L441-10 du Code de commerce), ainsi qu'une indemnité forfaitaire pour frais de recouvrement de 40 euros (décret n° 2012-1115 du 2 octobre 2012).",
    "Pas d'escompte pour paiement anticipé. Loi n° 2012-387 du 22 mars 2012. Conditions générales de vente du {d}.",
    "Dispensé d'immatriculation au registre du commerce. Réserve de propriété : loi n° 80-335 du 12 mai 1980.",
]
LEGAL_DE = [
    "Es gelten unsere Allgemeinen Geschäftsbedingungen in der Fassung vom {d}.",
    "Die Ware bleibt bis zur vollständigen Bezahlung unser Eigentum. Gerichtsstand ist {city}.",
    "Steuernummer {taxno} · Geschäftsführer: {manager}",
]
LEGAL_ES = [
    "Inscrita en el {registry}, fecha de inscripción {d}.",
    "De conformidad con la Ley Orgánica 3/2018, de 5 de diciembre, sus datos serán tratados por el emisor.",
]
LEGAL_EN = [
    "{registry}. Registered office as above. Incorporated on {d}.",
    "Late payment interest may be charged under the Late Payment of Commercial Debts (Interest) Act 1998.",
]


# --------------------------------------------------------------------------- the invoice


@dataclass
class Line:
    desc: str
    qty: Decimal
    unit: Decimal
    rate: Decimal

    @property
    def net(self) -> Decimal:
        return (self.qty * self.unit).quantize(CENT, ROUND_HALF_UP)


@dataclass
class Invoice:
    index: int
    family: int
    lang: str
    kind: str  # invoice | credit_note
    number: str
    original_number: str  # the invoice a credit note corrects
    issue: date
    due: date
    delivery: date
    period: tuple[date, date]
    seller: Party
    buyer: Party
    lines: list[Line]
    currency: str
    prepaid: Decimal
    money: MoneyStyle
    date_style: str
    other_date_style: str
    labels: dict[str, str]
    customer_no: str
    order_no: str
    rng: random.Random = field(repr=False)
    withholding: Decimal = Decimal(0)  # Spanish IRPF, deducted from the total

    def by_rate(self) -> list[tuple[Decimal, Decimal, Decimal]]:
        rates = sorted({line.rate for line in self.lines}, reverse=True)
        rows = []
        for rate in rates:
            base = sum((ln.net for ln in self.lines if ln.rate == rate), Decimal(0))
            rows.append((rate, base, (base * rate / 100).quantize(CENT, ROUND_HALF_UP)))
        return rows

    @property
    def net(self) -> Decimal:
        return sum((ln.net for ln in self.lines), Decimal(0))

    @property
    def gross(self) -> Decimal:
        vat = sum((vat for _, _, vat in self.by_rate()), Decimal(0))
        return self.net + vat - self.withholding

    @property
    def amount_due(self) -> Decimal:
        return self.gross - self.prepaid

    @property
    def sign(self) -> int:
        return -1 if self.money.negative_credit else 1

    def d(self, value: date, other: bool = False) -> str:
        return fmt_date(value, self.other_date_style if other else self.date_style, self.lang)

    def m(self, amount: Decimal, bare: bool = False) -> str:
        return self.money(amount, sign=self.sign, bare=bare)

    def lab(self, key: str, **kw: str) -> str:
        text = self.labels[key]
        return text.format(**kw) if kw else text

    def truth(self, filename: str) -> dict[str, object]:
        return {
            "file": filename,
            "family": self.family,
            "family_name": FAMILIES[self.family],
            "held_out": self.family in HELD_OUT_FAMILIES,
            "lang": self.lang,
            "grand_total": f"{self.gross:.2f}",
            "amount_due": f"{self.amount_due:.2f}",
            "vat_total": f"{sum((vat for _, _, vat in self.by_rate()), Decimal(0)):.2f}",
            "issue_date": self.issue.isoformat(),
            "invoice_number": self.number,
            "supplier_name": self.seller.name,
            "supplier_vat": self.seller.vat or None,
            "currency": self.currency,
            "document_type": self.kind,
            "buyer_name": self.buyer.name,
            "buyer_vat": self.buyer.vat,
            "buyer_siren": self.buyer.siren or None,
        }


def invoice_number(rng: random.Random, lang: str, year: int, credit: bool) -> str:
    n = rng.randint(1, 9999)
    if credit:
        prefix = {
            "fr": ["AV", "AV-", "A"],
            "de": ["GS-", "GU", "RK-"],
            "es": ["R-", "AB-", "R"],
            "en": ["CN-", "CR", "CN"],
        }[lang]
        p = rng.choice(prefix)
        return rng.choice([f"{p}{year}-{n:04d}", f"{p}{n:05d}", f"{p}{year}{n:04d}"])
    shapes = [
        f"FA-{year}-{n:04d}"
        if lang == "fr"
        else f"RE-{year}-{n:04d}"
        if lang == "de"
        else f"F-{year}-{n:04d}"
        if lang == "es"
        else f"INV-{year}-{n:04d}",
        f"{rng.randint(100000, 999999)}",
        f"{year}/{rng.randint(1000, 9999)}",
        f"INV-{rng.randint(10000, 99999)}",
        f"F{year}-{n:05d}",
        f"{year}-{rng.randint(1, 12):02d}-{n:03d}",
        f"A/{year}/{n}",
        f"FAC{n:06d}",
        f"{rng.choice('ABCDEFGHKMNPRS')}{rng.randint(100, 999)}-{rng.randint(10000, 99999)}",
    ]
    return rng.choice(shapes)


def make_invoice(index: int, family: int, lang: str, rng: random.Random) -> Invoice:
    seller_lang = lang
    currency = "EUR"
    if lang == "en":
        seller_lang = "en" if rng.random() < 0.75 else rng.choice(["fr", "de", "es"])
        currency = "GBP" if seller_lang == "en" else "EUR"
    seller = make_party(rng, seller_lang)
    buyer_lang = seller_lang if rng.random() < 0.6 else "fr"
    buyer = make_party(rng, buyer_lang)
    while buyer.name == seller.name:
        buyer = make_party(rng, buyer_lang)
    kind = "credit_note" if rng.random() < 0.14 else "invoice"
    issue = date(2023, 1, 1) + timedelta(days=rng.randint(0, 365 * 4 - 1))
    due = issue + timedelta(days=rng.choice([0, 14, 15, 30, 30, 45, 60]))
    delivery = issue - timedelta(days=rng.randint(0, 20))
    period_start = date(issue.year, issue.month, 1) - timedelta(days=1)
    period = (period_start.replace(day=1), period_start)
    n_lines = rng.choice([1, 1, 2, 3, 4, 5, 7]) if family not in (7, 19) else rng.randint(34, 48)
    if family == 19:  # page one full of lines: the totals stand alone on the last page
        n_lines -= 10
    if family == 11 and rng.random() < 0.5:
        n_lines = rng.randint(34, 44)
    rates = RATES[seller_lang]
    main_rate = rates[0]
    lines = []
    for _ in range(n_lines):
        rate = main_rate if rng.random() < 0.65 else rng.choice(rates)
        qty = (
            Decimal(rng.choice([1, 1, 1, 2, 3, 5, 10, 12, 25]))
            if rng.random() < 0.85
            else Decimal(rng.randint(1, 40)) / 4
        )
        unit = Decimal(rng.randint(150, 250000 if n_lines < 5 else 40000)) / 100
        lines.append(Line(rng.choice(PRODUCTS[lang]), qty, unit, rate))
    if family == 5:
        lines = lines[:2]
    number = invoice_number(rng, lang, issue.year, kind == "credit_note")
    original = invoice_number(rng, lang, issue.year, False)
    labels = {key: rng.choice(options) for key, options in LEX[lang].items()}
    money = money_style(rng, lang, currency, kind)
    inv = Invoice(
        index,
        family,
        lang,
        kind,
        number,
        original,
        issue,
        due,
        delivery,
        period,
        seller,
        buyer,
        lines,
        currency,
        Decimal(0),
        money,
        rng.choice(DATE_STYLES[lang]),
        rng.choice(DATE_STYLES[lang]),
        labels,
        f"{rng.choice(['C', 'K', ''])}{rng.randint(1000, 99999)}",
        f"{rng.choice(['PO-', 'BC', '', 'ORD'])}{rng.randint(10000, 999999)}",
        rng,
    )
    if family == 22:
        sole_trader(inv)
    if family == 23 and rng.random() < 0.7:
        inv.lines.append(
            Line(DISCOUNT[lang], Decimal(1), -(inv.net / 10).quantize(CENT), main_rate)
        )
    if family == 23 and rng.random() < 0.6:
        inv.lines.append(
            Line(SHIPPING[lang], Decimal(1), Decimal(rng.randint(490, 2990)) / 100, main_rate)
        )
    if kind == "invoice" and rng.random() < (0.5 if family == 20 else 0.22):
        inv.prepaid = (inv.gross * Decimal(rng.choice([10, 20, 30, 40, 50])) / 100).quantize(
            CENT, ROUND_HALF_UP
        )
    return inv


# --------------------------------------------------------------------------- drawing


class Canvas(FPDF):
    def __init__(self) -> None:
        super().__init__(format="A4", unit="mm")
        self.set_auto_page_break(False)
        self.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
        self.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        self.set_creation_date(datetime(2026, 1, 1, tzinfo=UTC))
        self.add_page()

    def put(
        self, x: float, y: float, text: str, size: float = 9, bold: bool = False, align: str = "L"
    ) -> None:
        """Text with its baseline at y; align R puts its right edge at x, C its centre."""
        self.set_font("DejaVu", "B" if bold else "", size)
        width = self.get_string_width(text)
        if align == "R":
            x -= width
        elif align == "C":
            x -= width / 2
        self.text(x, y, text)

    def para(self, x: float, y: float, width: float, text: str, size: float = 7) -> float:
        """A wrapped paragraph from top y; returns the y below it."""
        self.set_font("DejaVu", "", size)
        self.set_xy(x, y)
        self.multi_cell(width, size * 0.45, text)
        return self.get_y()


def seller_lines(inv: Invoice, with_ids: bool = True) -> list[str]:
    s = inv.seller
    lines = [s.street, s.city]
    if s.lang != inv.lang and s.lang in ABROAD[inv.lang]:
        lines.append(ABROAD[inv.lang][s.lang])
    rng = inv.rng
    if rng.random() < 0.7:
        lines.append(f"Tel. {s.phone}" if inv.lang != "fr" else f"Tél. : {s.phone}")
    if rng.random() < 0.6:
        lines.append(s.email)
    if with_ids:
        lines.append(f"{inv.lab('vat_id')}: {spaced_vat(s.vat, rng)}")
        if s.siret and rng.random() < 0.6:
            lines.append(f"SIRET : {s.siret}")
    return lines


def draw_seller(
    c: Canvas,
    inv: Invoice,
    x: float,
    y: float,
    align: str = "L",
    with_ids: bool = True,
    size: float = 13,
) -> float:
    c.put(x, y, inv.seller.name, size, True, align)
    y += 6
    for text in seller_lines(inv, with_ids):
        c.put(x, y, text, 8.5, False, align)
        y += 4.2
    return y


def buyer_lines(inv: Invoice) -> list[str]:
    b = inv.buyer
    lines = [b.name]
    if inv.rng.random() < 0.4:
        lines.append(
            {
                "fr": "Service comptabilité",
                "de": "z. Hd. Buchhaltung",
                "es": "Dpto. Administración",
                "en": "Accounts Payable",
            }[inv.lang]
        )
    lines += [b.street, b.city]
    if b.lang != inv.lang and b.lang in ABROAD[inv.lang]:
        lines.append(ABROAD[inv.lang][b.lang])
    if inv.rng.random() < 0.75:
        lines.append(f"{inv.lab('buyer_vat')}: {spaced_vat(b.vat, inv.rng)}")
    return lines


def draw_buyer(
    c: Canvas, inv: Invoice, x: float, y: float, label: bool = True, align: str = "L"
) -> float:
    if label:
        c.put(x, y, inv.lab("bill_to") + (":" if inv.rng.random() < 0.5 else ""), 8, True, align)
        y += 5
    for i, text in enumerate(buyer_lines(inv)):
        c.put(x, y, text, 9.5 if i == 0 else 9, i == 0, align)
        y += 4.4
    return y


def meta_rows(inv: Invoice) -> list[tuple[str, str]]:
    """(label, value) pairs of the invoice's references and dates, in a family-free order."""
    credit = inv.kind == "credit_note"
    rows = [
        (inv.lab("credit_number" if credit else "number"), inv.number),
        (inv.lab("date"), inv.d(inv.issue)),
    ]
    rng = inv.rng
    if rng.random() < 0.5:
        rows.append((inv.lab("customer_no"), inv.customer_no))
    if rng.random() < 0.45:
        rows.append((inv.lab("delivery"), inv.d(inv.delivery, other=True)))
    if rng.random() < 0.35:
        rows.append((inv.lab("order_no"), inv.order_no))
    if not credit and rng.random() < 0.6:
        rows.append((inv.lab("due"), inv.d(inv.due, other=True)))
    if rng.random() < 0.3:
        rows.insert(0, rows.pop(1))  # the date first
    return rows


def strip_colon(label: str) -> str:
    return label.rstrip(":").rstrip()


def draw_meta_beside(
    c: Canvas,
    inv: Invoice,
    x: float,
    y: float,
    value_x: float | None = None,
    rows: list[tuple[str, str]] | None = None,
) -> float:
    colon = inv.rng.choice([":", " :", ""]) if inv.lang == "fr" else inv.rng.choice([":", ""])
    for label, value in rows or meta_rows(inv):
        label = strip_colon(label)
        if value_x is None:
            c.put(x, y, f"{label}{colon} {value}", 9)
        else:
            c.put(x, y, f"{label}{colon}", 9)
            c.put(value_x, y, value, 9, True)
        y += 4.8
    return y


def draw_meta_below(
    c: Canvas, inv: Invoice, x: float, y: float, width: float, boxed: bool
) -> float:
    """Labels in a row, each value under its label (or above it, big, with the label small)."""
    rows = meta_rows(inv)[:5]
    col = width / len(rows)
    value_first = inv.family == 4
    for i, (label, value) in enumerate(rows):
        cx = x + i * col
        if boxed:
            c.rect(cx, y - 4, col, 12)
        if value_first:
            c.put(cx + 2, y + 1, value, 10, True)
            c.put(cx + 2, y + 6, strip_colon(label), 6.5)
        else:
            c.put(cx + 2, y, strip_colon(label), 7.5, True)
            c.put(cx + 2, y + 5, value, 9)
    return y + 14


def table_header(c: Canvas, inv: Invoice, x: float, y: float, width: float) -> float:
    cols = table_cols(x, width)
    c.set_fill_color(230, 230, 230)
    c.rect(x, y - 4, width, 6, style="F")
    c.put(cols[0], y, inv.lab("desc"), 8, True)
    c.put(cols[1], y, inv.lab("qty"), 8, True, "R")
    c.put(cols[2], y, inv.lab("unit"), 8, True, "R")
    c.put(cols[3], y, inv.lab("rate"), 8, True, "R")
    c.put(cols[4], y, inv.lab("amount"), 8, True, "R")
    return y + 6


def table_cols(x: float, width: float) -> list[float]:
    return [x + 1, x + width * 0.60, x + width * 0.74, x + width * 0.84, x + width - 1]


def fmt_qty(q: Decimal, lang: str) -> str:
    text = f"{q.normalize():f}"
    return text.replace(".", ",") if lang != "en" else text


def draw_lines(
    c: Canvas, inv: Invoice, x: float, y: float, width: float, bottom: float = 250, on_new_page=None
) -> float:
    y = table_header(c, inv, x, y, width)
    cols = table_cols(x, width)
    for i, line in enumerate(inv.lines):
        if y > bottom:
            c.add_page()
            y = on_new_page(c, inv) if on_new_page else 20
            y = table_header(c, inv, x, y, width)
        c.put(cols[0], y, f"{line.desc}" + (f" – {i + 1:02d}" if len(inv.lines) > 8 else ""), 8.5)
        c.put(cols[1], y, fmt_qty(line.qty, inv.lang), 8.5, False, "R")
        c.put(cols[2], y, inv.m(line.unit, bare=True), 8.5, False, "R")
        c.put(cols[3], y, fmt_rate(line.rate, inv.lang), 8.5, False, "R")
        c.put(cols[4], y, inv.m(line.net, bare=True), 8.5, False, "R")
        y += 5
    c.line(x, y - 2.5, x + width, y - 2.5)
    return y + 3


def totals_rows(inv: Invoice, vat_rows: bool = True) -> list[tuple[str, str, bool]]:
    credit = inv.kind == "credit_note"
    rows: list[tuple[str, str, bool]] = [(inv.lab("net"), inv.m(inv.net), False)]
    if vat_rows:
        for rate, _base, vat in inv.by_rate():
            rows.append((inv.lab("vat_line", r=fmt_rate(rate, inv.lang)), inv.m(vat), False))
    rows.append((inv.lab("credit_gross" if credit else "gross"), inv.m(inv.gross), True))
    if inv.prepaid:
        rows.append((inv.lab("prepaid"), inv.money(-inv.prepaid), False))
        rows.append((inv.lab("due_amount"), inv.m(inv.amount_due), True))
    elif credit and inv.rng.random() < 0.4:
        rows.append((inv.lab("credit_due"), inv.m(inv.amount_due), True))
    elif not credit and inv.rng.random() < 0.35:
        rows.append((inv.lab("due_amount"), inv.m(inv.amount_due), True))
    return rows


def draw_totals(
    c: Canvas, inv: Invoice, label_x: float, right_x: float, y: float, vat_rows: bool = True
) -> float:
    colon = ":" if inv.rng.random() < 0.4 else ""
    for label, value, strong in totals_rows(inv, vat_rows):
        c.put(label_x, y, strip_colon(label) + colon, 9.5 if strong else 9, strong)
        c.put(right_x, y, value, 9.5 if strong else 9, strong, "R")
        y += 5.2
    return y


def draw_vat_summary(c: Canvas, inv: Invoice, x: float, y: float) -> float:
    heads = LEX[inv.lang]["vat_summary"]  # base, rate, VAT, gross
    xs = [x + 25, x + 45, x + 75, x + 105]
    for head, hx in zip(
        [heads[1], heads[0], heads[2], heads[3]], [x, xs[1], xs[2], xs[3]], strict=True
    ):
        c.put(hx, y, head, 8, True, "L" if hx == x else "R")
    y += 5
    for rate, base, vat in inv.by_rate():
        c.put(x, y, fmt_rate(rate, inv.lang), 8.5)
        c.put(xs[1], y, inv.m(base, bare=True), 8.5, False, "R")
        c.put(xs[2], y, inv.m(vat, bare=True), 8.5, False, "R")
        c.put(xs[3], y, inv.m(base + vat, bare=True), 8.5, False, "R")
        y += 4.6
    return y + 3


def legal_text(inv: Invoice) -> list[str]:
    s, rng = inv.seller, inv.rng
    old = date(rng.randint(2008, 2022), rng.randint(1, 12), rng.randint(1, 28))
    dstr = fmt_date(old, rng.choice(DATE_STYLES[inv.lang]), inv.lang)
    if s.lang == "fr" and inv.lang == "fr":
        lines = [
            f"{s.name} – au capital social de {s.capital} € – {s.registry} – SIRET {s.siret} – {inv.lab('vat_id')} {spaced_vat(s.vat, rng)}",
        ]
        lines += [t.format(d=dstr) for t in rng.sample(LEGAL_FR, 2)]
    elif inv.lang == "de":
        manager = f"{rng.choice(['Anna', 'Jens', 'Katrin', 'Michael', 'Sabine'])} {rng.choice(SURNAMES['de'])}"
        lines = [
            f"{s.name} · {s.street} · {s.city} · {s.registry} · USt-IdNr. {spaced_vat(s.vat, rng)}"
        ]
        lines += [
            t.format(
                d=dstr,
                city=s.city.split(" ", 1)[1],
                taxno=f"{rng.randint(10, 99)}/{rng.randint(100, 999)}/{rng.randint(10000, 99999)}",
                manager=manager,
            )
            for t in rng.sample(LEGAL_DE, 2)
        ]
    elif inv.lang == "es":
        lines = [f"{s.name} – {inv.lab('vat_id')}: {spaced_vat(s.vat, rng)} – {s.street}, {s.city}"]
        lines += [t.format(d=dstr, registry=s.registry) for t in LEGAL_ES]
    else:
        lines = [f"{s.name} · {inv.lab('vat_id')} {spaced_vat(s.vat, rng)}"]
        lines += [t.format(d=dstr, registry=s.registry) for t in LEGAL_EN]
    lines.append(
        f"{inv.lab('bank')}: {s.iban} · BIC {s.bic}"
        if inv.lab("bank") != "IBAN"
        else f"IBAN {s.iban} · BIC {s.bic}"
    )
    return lines


def draw_footer(c: Canvas, inv: Invoice, y: float = 268) -> None:
    c.line(15, y - 4, 195, y - 4)
    for text in legal_text(inv):
        y = c.para(15, y, 180, text, 6.5)


def draw_title(
    c: Canvas, inv: Invoice, x: float, y: float, align: str = "L", size: float = 18
) -> None:
    key = "credit_title" if inv.kind == "credit_note" else "title"
    title = inv.lab(key)
    c.put(x, y, title, size, True, align)


def draw_credit_ref(c: Canvas, inv: Invoice, x: float, y: float) -> float:
    if inv.kind != "credit_note":
        return y
    c.put(x, y, inv.lab("credit_ref", n=inv.original_number), 9)
    return y + 6


CURRENCY_NOTE = {
    "fr": ["Montants exprimés en {c}", "Devise : {c}"],
    "de": ["Alle Beträge in {c}", "Währung: {c}"],
    "es": ["Importes en {c}", "Moneda: {c}"],
    "en": ["All amounts in {c}", "Currency: {c}"],
}


def draw_terms(c: Canvas, inv: Invoice, x: float, y: float) -> float:
    if not inv.money.symbol:  # amounts printed bare: the currency is stated once
        c.put(x, y, inv.rng.choice(CURRENCY_NOTE[inv.lang]).format(c=inv.currency), 8)
        y += 5
    text = inv.lab("terms")
    if inv.kind == "invoice" and inv.rng.random() < 0.5:
        text += f" – {strip_colon(inv.lab('due'))} {inv.d(inv.due, other=True)}"
    c.put(x, y, text, 8)
    return y + 5


# --------------------------------------------------------------------------- families


def family_classic_seller_left(c: Canvas, inv: Invoice) -> None:
    draw_seller(c, inv, 15, 20)
    draw_title(c, inv, 195, 22, "R")
    draw_meta_beside(c, inv, 130, 32)
    draw_buyer(c, inv, 120, 68)
    y = draw_credit_ref(c, inv, 15, 100)
    y = draw_lines(c, inv, 15, max(y, 108), 180)
    y = draw_totals(c, inv, 120, 195, y + 4)
    draw_terms(c, inv, 15, y + 6)
    draw_footer(c, inv)


def family_din5008_window(c: Canvas, inv: Invoice) -> None:
    s = inv.seller
    draw_seller(c, inv, 195, 18, "R", with_ids=False, size=15)
    c.put(20, 50, f"{s.name} · {s.street} · {s.city}", 6.5)
    draw_buyer(c, inv, 20, 57, label=inv.rng.random() < 0.3)
    draw_meta_beside(c, inv, 125, 55, value_x=160)
    draw_title(c, inv, 20, 105, size=14)
    y = draw_credit_ref(c, inv, 20, 112)
    y = c.para(20, y, 170, inv.lab("prose"), 8.5) + 4
    y = draw_lines(c, inv, 20, y + 4, 175)
    y = draw_totals(c, inv, 120, 195, y + 4)
    draw_terms(c, inv, 20, y + 6)
    # three-column footer: address | registry + VAT | bank
    c.line(15, 266, 195, 266)
    col = [
        [s.name, s.street, s.city, s.phone],
        [
            s.registry,
            f"{inv.lab('vat_id')}: {spaced_vat(s.vat, inv.rng)}",
            f"Geschäftsführer: {inv.rng.choice(SURNAMES['de'])}" if inv.lang == "de" else s.email,
        ],
        [inv.lab("bank"), f"IBAN {s.iban}", f"BIC {s.bic}"],
    ]
    for i, texts in enumerate(col):
        for j, text in enumerate(texts):
            c.put(15 + 62 * i, 271 + 3.6 * j, text, 6.3)


def family_seller_in_footer_only(c: Canvas, inv: Invoice) -> None:
    draw_title(c, inv, 15, 25, size=22)
    c.put(
        15,
        33,
        f"{inv.lab('credit_number' if inv.kind == 'credit_note' else 'number')} {inv.number}",
        10,
        True,
    )
    draw_buyer(c, inv, 115, 45)
    y = draw_meta_below(c, inv, 15, 82, 180, boxed=True)
    y = draw_credit_ref(c, inv, 15, y + 2)
    y = draw_lines(c, inv, 15, y + 4, 180)
    y = draw_totals(c, inv, 120, 195, y + 4)
    draw_terms(c, inv, 15, y + 6)
    s = inv.seller
    c.line(15, 262, 195, 262)
    lines = legal_text(inv)
    lines.insert(0, f"{s.name} · {s.street} · {s.city} · {s.phone} · {s.email}")
    y = 266
    for text in lines:
        c.set_font("DejaVu", "", 6.5)
        c.set_xy(15, y)
        c.multi_cell(180, 3, text, align="C")
        y = c.get_y()


def family_bill_to_ship_to(c: Canvas, inv: Invoice) -> None:
    draw_seller(c, inv, 15, 20, size=12)
    draw_title(c, inv, 195, 20, "R", size=20)
    rows = meta_rows(inv)
    c.rect(128, 28, 67, 6 * len(rows) + 2)
    draw_meta_beside(c, inv, 130, 33, value_x=165, rows=rows)
    y = 78
    draw_buyer(c, inv, 15, y)
    c.put(105, y, inv.lab("ship_to") + ":", 8, True)
    b = inv.buyer
    for i, text in enumerate(
        [
            b.name,
            f"{inv.rng.choice(['Entrepôt', 'Lager', 'Almacén', 'Warehouse'])} {inv.rng.randint(1, 9)}",
            b.street,
            b.city,
        ]
    ):
        c.put(105, y + 5 + 4.4 * i, text, 9)
    y = draw_credit_ref(c, inv, 15, 115)
    y = draw_lines(c, inv, 15, max(y, 120), 180)
    y = draw_totals(c, inv, 125, 195, y + 4)
    draw_terms(c, inv, 15, y + 6)
    draw_footer(c, inv, 272)


def family_labels_below_values(c: Canvas, inv: Invoice) -> None:
    c.put(105, 18, inv.seller.name, 15, True, "C")
    c.put(105, 24, f"{inv.seller.street} – {inv.seller.city} – {inv.seller.phone}", 8, False, "C")
    c.put(105, 28.5, f"{inv.lab('vat_id')} {spaced_vat(inv.seller.vat, inv.rng)}", 8, False, "C")
    draw_title(c, inv, 15, 45, size=16)
    draw_buyer(c, inv, 120, 42)
    y = draw_meta_below(c, inv, 15, 80, 180, boxed=inv.rng.random() < 0.5)
    y = draw_credit_ref(c, inv, 15, y + 2)
    y = draw_lines(c, inv, 15, y + 4, 180)
    # totals as value-over-label too, in a row
    rows = totals_rows(inv, vat_rows=True)
    col = 180 / len(rows)
    for i, (label, value, strong) in enumerate(rows):
        c.put(15 + col * (i + 1) - 2, y + 6, value, 10 if strong else 9, strong, "R")
        c.put(15 + col * (i + 1) - 2, y + 10.5, strip_colon(label), 6.5, False, "R")
    draw_terms(c, inv, 15, y + 20)
    draw_footer(c, inv)


def family_service_period(c: Canvas, inv: Invoice) -> None:
    draw_seller(c, inv, 195, 20, "R", size=12)
    draw_buyer(c, inv, 15, 52)
    draw_title(c, inv, 15, 92, size=15)
    rows = meta_rows(inv)
    start, end = inv.period
    rows.insert(2, (inv.lab("period"), f"{inv.d(start, other=True)} – {inv.d(end, other=True)}"))
    y = draw_meta_beside(c, inv, 15, 100, value_x=65, rows=rows)
    y = draw_credit_ref(c, inv, 15, y + 2)
    for line in inv.lines:
        line.desc = f"{line.desc} ({inv.d(start, other=True)} – {inv.d(end, other=True)})"
    y = draw_lines(c, inv, 15, y + 6, 180)
    y = draw_totals(c, inv, 115, 195, y + 4)
    draw_terms(c, inv, 15, y + 6)
    draw_footer(c, inv)


def family_vat_summary_table(c: Canvas, inv: Invoice) -> None:
    draw_seller(c, inv, 15, 18, size=12)
    draw_buyer(c, inv, 120, 50)
    draw_title(c, inv, 15, 62, size=16)
    y = draw_meta_beside(c, inv, 15, 70)
    y = draw_credit_ref(c, inv, 15, y + 2)
    y = draw_lines(c, inv, 15, max(y, 100) + 4, 180)
    y = draw_vat_summary(c, inv, 15, y + 4)
    draw_totals(c, inv, 125, 195, y - 4 - 4.6 * len(inv.by_rate()), vat_rows=False)
    draw_terms(c, inv, 15, y + 10)
    draw_footer(c, inv)


def _continuation_header(c: Canvas, inv: Invoice) -> int:
    c.put(
        15,
        15,
        f"{inv.seller.name} – {strip_colon(inv.lab('credit_number' if inv.kind == 'credit_note' else 'number'))} {inv.number} {inv.lab('continued')}",
        8,
    )
    return 25


def _page_numbers(c: Canvas, inv: Invoice) -> None:
    pages = c.pages_count
    for p in range(1, pages + 1):
        c.page = p
        c.put(195, 290, inv.lab("page", p=str(p), n=str(pages)), 7, False, "R")
    c.page = pages


def family_multi_page(c: Canvas, inv: Invoice) -> None:
    draw_seller(c, inv, 15, 20)
    draw_title(c, inv, 195, 22, "R")
    draw_meta_beside(c, inv, 130, 32)
    draw_buyer(c, inv, 120, 68)
    y = draw_credit_ref(c, inv, 15, 100)
    y = draw_lines(c, inv, 15, max(y, 108), 180, bottom=262, on_new_page=_continuation_header)
    if y > 240:
        c.add_page()
        y = _continuation_header(c, inv)
    y = draw_totals(c, inv, 120, 195, y + 4)
    draw_terms(c, inv, 15, y + 6)
    draw_footer(c, inv, 270)
    _page_numbers(c, inv)


def family_banner(c: Canvas, inv: Invoice) -> None:
    c.set_fill_color(30, 60, 110)
    c.rect(0, 0, 210, 30, style="F")
    c.set_text_color(255, 255, 255)
    draw_title(c, inv, 15, 18, size=22)
    label = strip_colon(inv.lab("credit_number" if inv.kind == "credit_note" else "number"))
    c.put(195, 14, label, 8, False, "R")
    c.put(195, 21, inv.number, 13, True, "R")
    c.set_text_color(0, 0, 0)
    draw_seller(c, inv, 195, 42, "R", size=11)
    draw_buyer(c, inv, 15, 42)
    rows = [r for r in meta_rows(inv) if r[1] != inv.number]
    y = draw_meta_beside(c, inv, 15, 85, value_x=55, rows=rows)
    y = draw_credit_ref(c, inv, 15, y + 2)
    y = draw_lines(c, inv, 15, max(y, 105) + 4, 180)
    y = draw_totals(c, inv, 120, 195, y + 4)
    draw_terms(c, inv, 15, y + 6)
    draw_footer(c, inv)


def family_letter(c: Canvas, inv: Invoice) -> None:
    s = inv.seller
    c.put(105, 18, s.name.upper() if inv.rng.random() < 0.5 else s.name, 14, True, "C")
    c.put(105, 24, f"{s.street}, {s.city}", 8, False, "C")
    draw_buyer(c, inv, 120, 45, label=False)
    city = s.city.split(" ", 1)[1] if inv.lang != "en" else s.city.split(" ")[0]
    c.put(195, 82, inv.lab("place_date", city=city, d=inv.d(inv.issue)), 9.5, False, "R")
    title = inv.lab("credit_title" if inv.kind == "credit_note" else "title")
    c.put(20, 95, inv.lab("object", t=title.capitalize(), n=inv.number), 10.5, True)
    y = draw_credit_ref(c, inv, 20, 102)
    y = c.para(20, y, 170, inv.lab("prose"), 9) + 4
    rows = [(r[0], r[1]) for r in meta_rows(inv) if r[1] not in (inv.number, inv.d(inv.issue))]
    if rows:
        y = draw_meta_beside(c, inv, 20, y + 2, rows=rows) + 2
    y = draw_lines(c, inv, 20, y + 4, 170)
    y = draw_totals(c, inv, 110, 190, y + 4)
    draw_terms(c, inv, 20, y + 6)
    draw_footer(c, inv)


def family_sidebar(c: Canvas, inv: Invoice) -> None:
    s = inv.seller
    c.set_fill_color(240, 240, 235)
    c.rect(0, 0, 58, 297, style="F")
    size = 10.0
    c.set_font("DejaVu", "B", size)
    while c.get_string_width(s.name) > 50:  # the legal name stays on one line
        size -= 0.5
        c.set_font("DejaVu", "B", size)
    c.put(6, 22, s.name, size, True)
    y = 27.0
    for text in [
        s.street,
        s.city,
        s.phone,
        s.email,
        "",
        inv.lab("vat_id"),
        spaced_vat(s.vat, inv.rng),
        "",
        inv.lab("bank"),
        s.iban[:19],
        s.iban[19:].strip(),
        f"BIC {s.bic}",
        "",
        s.registry[:30],
        s.registry[30:60],
    ]:
        if text:
            c.put(6, y, text, 6.8)
        y += 4
    draw_title(c, inv, 68, 25, size=20)
    y = draw_meta_beside(c, inv, 68, 38, value_x=115)
    draw_buyer(c, inv, 145, 38)
    y = draw_credit_ref(c, inv, 68, max(y, 70) + 2)
    y = draw_lines(c, inv, 68, y + 4, 130)
    y = draw_totals(c, inv, 130, 197, y + 4)
    draw_terms(c, inv, 68, y + 6)
    legal = legal_text(inv)[1:-1]
    y = 262
    for text in legal:
        y = c.para(68, y, 130, text, 6.2)


def family_from_to_two_up(c: Canvas, inv: Invoice) -> None:
    draw_title(c, inv, 105, 20, "C", size=18)
    c.put(15, 34, inv.lab("seller_head").upper(), 7.5, True)
    draw_seller(c, inv, 15, 40, size=10.5)
    c.put(110, 34, inv.lab("bill_to").upper(), 7.5, True)
    draw_buyer(c, inv, 110, 40, label=False)
    y = draw_meta_below(c, inv, 15, 85, 180, boxed=False)
    y = draw_credit_ref(c, inv, 15, y + 2)
    y = draw_lines(c, inv, 15, y + 4, 180, bottom=265, on_new_page=_continuation_header)
    if y > 240:
        c.add_page()
        y = _continuation_header(c, inv)
    y = draw_totals(c, inv, 120, 195, y + 4)
    draw_terms(c, inv, 15, y + 6)
    draw_footer(c, inv, 272)
    if c.pages_count > 1:
        _page_numbers(c, inv)


# --- tuning families added later (12+): more ways to place the seller's identity -------------

VAT_LABELS = {
    "fr": [
        "TVA intracom. :",
        "N° TVA intracom.",
        "TVA intracommunautaire :",
        "N° de TVA :",
        "Identifiant TVA :",
    ],
    "de": [
        "USt-IdNr.:",
        "USt.-ID:",
        "Ust-Id-Nr.",
        "UStIdNr",
        "Umsatzsteuer-Identifikationsnummer:",
    ],
    "es": ["N.I.F.:", "CIF:", "C.I.F.", "NIF-IVA:", "N.I.F.-IVA"],
    "en": ["VAT Reg No", "VAT Reg. No:", "VAT No:", "VAT Registration Number:", "VAT ID"],
}
SELLER_CAPTIONS = {
    "fr": ["Vendeur", "Émetteur", "Fournisseur", "Prestataire"],
    "de": ["Verkäufer", "Rechnungssteller", "Lieferant", "Leistungserbringer"],
    "es": ["Emisor", "Proveedor", "Vendedor", "Datos del emisor"],
    "en": ["Seller", "Vendor", "Supplier", "Issued by"],
}
BUYER_CAPTIONS = {
    "fr": ["Acheteur", "Client", "Destinataire", "Facturé à"],
    "de": ["Käufer", "Kunde", "Rechnungsempfänger", "Rechnungsadresse"],
    "es": ["Cliente", "Comprador", "Facturar a", "Datos del cliente"],
    "en": ["Buyer", "Customer", "Invoice to", "Bill to"],
}
NAME_LABELS = {
    "fr": ["Raison sociale", "Nom", "Société"],
    "de": ["Firma", "Name", "Unternehmen"],
    "es": ["Razón social", "Nombre", "Empresa"],
    "en": ["Company", "Name", "Business name"],
}
ADDRESS_LABELS = {"fr": "Adresse", "de": "Anschrift", "es": "Dirección", "en": "Address"}
FROM_TO = {
    "fr": (["De :", "De", "Émetteur :", "Expéditeur :"], ["À :", "Pour :", "Destinataire :"]),
    "de": (["Von:", "Von", "Absender:"], ["An:", "Für:", "Empfänger:"]),
    "es": (["De:", "Remitente:", "Emitida por:"], ["Para:", "A:", "Destinatario:"]),
    "en": (["From:", "From", "Issued by:"], ["To:", "For:", "Invoice to:"]),
}
TAGLINES = {
    "fr": [
        "Votre partenaire depuis 1998",
        "Qualité et savoir-faire",
        "Au service des professionnels",
    ],
    "de": ["Ihr Partner seit 1987", "Qualität aus Meisterhand", "Service für Profis"],
    "es": ["Calidad y servicio desde 1995", "Su socio de confianza", "Profesionales a su servicio"],
    "en": ["Quality since 1979", "Your trusted partner", "Serving the trade"],
}
BRAND_TAILS = ["tec", "line", "pro", "lab", "works", "net", "plus"]
PAY_TO = {
    "fr": ["À l'ordre de :", "Bénéficiaire :", "Règlement à l'ordre de"],
    "de": ["Zahlungsempfänger:", "Empfänger:", "Zahlbar an"],
    "es": ["Beneficiario:", "A favor de:", "Titular:"],
    "en": ["Payable to:", "Make cheques payable to", "Pay to:"],
}
SLIP_TITLE = {
    "fr": ["Bulletin de règlement", "Talon à joindre à votre règlement"],
    "de": ["Zahlschein", "Überweisungsträger"],
    "es": ["Talón de pago", "Datos para el pago"],
    "en": ["Remittance advice", "Payment slip"],
}


def vat_label(inv: Invoice) -> str:
    return inv.rng.choice(VAT_LABELS[inv.lang])


def vat_text(inv: Invoice, vat: str) -> str:
    label = vat_label(inv)
    return (
        f"{label} {spaced_vat(vat, inv.rng)}"
        if label.endswith(":") or inv.rng.random() < 0.6
        else f"{label}: {spaced_vat(vat, inv.rng)}"
    )


def legal_core(party: Party) -> str:
    """The name without its legal form ("Garnier Imprimerie" of "Garnier Imprimerie SARL")."""
    for form in sorted(FORMS[party.lang], key=len, reverse=True):
        if party.name.endswith(" " + form):
            return party.name[: -len(form) - 1]
    return party.name


def brand_name(inv: Invoice) -> str:
    """A trade name over the letterhead: the legal name without its form, or a brand."""
    core = legal_core(inv.seller)
    rng = inv.rng
    style = rng.randrange(4)
    if style == 0:
        return core.upper()
    if style == 1:
        return core
    words = [w for w in re.findall(r"[^\W\d_]+", core) if w[0].isupper() and len(w) > 3]
    stem = max(words or [core.split()[0]], key=len)
    if style == 2:
        return (stem[:6] + rng.choice(BRAND_TAILS)).capitalize()
    initials = "".join(w[0] for w in core.split() if w[0].isupper())[:3] or stem[:3].upper()
    return (
        f"{initials} {stem}".upper()
        if len(initials) > 1
        else f"{stem} {rng.choice(BRAND_TAILS).capitalize()}"
    )


def buyer_block_lines(inv: Invoice, plain_vat: bool) -> list[str]:
    """The buyer's lines; its VAT id under the seller's kind of label when `plain_vat`."""
    lines = buyer_lines(inv)
    if plain_vat:
        label = inv.lab("buyer_vat")
        lines = [vat_text(inv, inv.buyer.vat) if t.startswith(label + ":") else t for t in lines]
    return lines


def put_lines(
    c: Canvas,
    x: float,
    y: float,
    texts: list[str],
    align: str = "L",
    size: float = 8.5,
    first_bold: bool = True,
    first_size: float = 10,
) -> float:
    for i, text in enumerate(texts):
        c.put(x, y, text, first_size if i == 0 else size, first_bold and i == 0, align)
        y += 4.4 if i else 5
    return y


def seller_block_lines(inv: Invoice, ids: bool = True) -> list[str]:
    s, rng = inv.seller, inv.rng
    lines = [s.name, s.street, s.city]
    if s.lang != inv.lang and s.lang in ABROAD[inv.lang]:
        lines.append(ABROAD[inv.lang][s.lang])
    if rng.random() < 0.6:
        lines.append(f"Tel. {s.phone}" if inv.lang != "fr" else f"Tél. {s.phone}")
    if rng.random() < 0.5:
        lines.append(s.email)
    if ids:
        lines.append(vat_text(inv, s.vat))
        if s.siren and rng.random() < 0.5:
            lines.append(rng.choice([f"SIREN {s.siren}", f"SIRET : {s.siret}"]))
    return lines


def legal_footer_lines(inv: Invoice) -> list[str]:
    """Small-print legal mentions naming the company, its registry and VAT id."""
    s, rng = inv.seller, inv.rng
    vat = vat_text(inv, s.vat)
    if s.lang == "fr":
        parts = [s.name, f"au capital de {s.capital} €", s.registry, f"SIREN {s.siren}", vat]
        if rng.random() < 0.5:
            parts.insert(2, f"Siège social : {s.street}, {s.city}")
    elif s.lang == "de":
        manager = (
            f"{rng.choice(['Anna', 'Jens', 'Katrin', 'Michael'])} {rng.choice(SURNAMES['de'])}"
        )
        parts = [
            s.name,
            f"Sitz: {s.city.split(' ', 1)[1]}",
            s.registry,
            f"Geschäftsführer: {manager}",
            vat,
        ]
    elif s.lang == "es":
        parts = [s.name, vat, s.registry]
    else:
        parts = [s.name, f"Registered office: {s.street}, {s.city}", s.registry, vat]
    lines = [rng.choice([" · ", " – ", " | "]).join(parts)]
    lines.append(f"IBAN {s.iban} · BIC {s.bic}")
    return lines


def draw_small_print(c: Canvas, inv: Invoice, lines: list[str], y: float = 270) -> None:
    c.line(15, y - 4, 195, y - 4)
    for text in lines:
        c.set_font("DejaVu", "", 6.3)
        c.set_xy(15, y)
        c.multi_cell(180, 2.9, text, align="C")
        y = c.get_y()


def bank_footer(c: Canvas, inv: Invoice) -> None:
    s = inv.seller
    bank = "" if inv.lab("bank") == "IBAN" else f"{inv.lab('bank')}: "
    draw_small_print(c, inv, [f"{bank}IBAN {s.iban} · BIC {s.bic}"], 278)


def body(c: Canvas, inv: Invoice, x: float, y: float, terms: bool = True) -> float:
    y = draw_credit_ref(c, inv, x, y)
    y = draw_lines(c, inv, x, y + 4, 180)
    y = draw_totals(c, inv, 120, 195, y + 4)
    if terms:
        y = draw_terms(c, inv, x, y + 6)
    return y


def family_letterhead_brand(c: Canvas, inv: Invoice) -> None:
    """A brand over the letterhead (maybe not the legal name), a one-line address in small
    print, and the legal name with VAT id and registry only in the footer."""
    s, rng = inv.seller, inv.rng
    align = rng.choice("LC")
    x = 15 if align == "L" else 105
    c.put(x, 20, brand_name(inv), rng.choice([20, 24]), True, align)
    y = 27
    if rng.random() < 0.5:
        c.put(x, y, rng.choice(TAGLINES[inv.lang]), 8, False, align)
        y += 4.5
    contact = (
        [s.street, s.city] + [s.phone] * (rng.random() < 0.6) + [s.email] * (rng.random() < 0.5)
    )
    c.put(x, y, " · ".join(contact), 7, False, align)
    draw_title(c, inv, 195, 48 if align == "C" else 22, "R", size=16)
    draw_meta_beside(c, inv, 125, 58)
    draw_buyer(c, inv, 15, 55, label=rng.random() < 0.5)
    body(c, inv, 15, 100)
    draw_small_print(c, inv, legal_footer_lines(inv), 268)


def family_seller_right_buyer_left(c: Canvas, inv: Invoice) -> None:
    """The buyer on the left, captioned or not, the seller's block on the right."""
    rng = inv.rng
    y0 = rng.choice([22, 42])
    if y0 == 42:
        draw_title(c, inv, 15, 24, size=18)
    caption = rng.random() < 0.6
    by = y0
    if caption:
        c.put(15, by, rng.choice(BUYER_CAPTIONS[inv.lang]) + rng.choice(["", ":"]), 8, True)
        by += 5
    put_lines(c, 15, by, buyer_block_lines(inv, rng.random() < 0.5), first_size=9.5)
    right_aligned = rng.random() < 0.5
    sx = 195 if right_aligned else 112
    align = "R" if right_aligned else "L"
    sy = y0
    if rng.random() < 0.3:
        c.put(sx, sy, rng.choice(SELLER_CAPTIONS[inv.lang]) + ":", 8, True, align)
        sy += 5
    y = put_lines(c, sx, sy, seller_block_lines(inv), align, first_size=rng.choice([10, 12]))
    if y0 == 22:
        draw_title(c, inv, 15, max(y, 62) + 6, size=15)
    y = draw_meta_beside(c, inv, 15, max(y, 62) + 14)
    body(c, inv, 15, y + 2)
    if rng.random() < 0.4:
        draw_small_print(c, inv, legal_footer_lines(inv), 270)
    else:
        bank_footer(c, inv)


def family_uncaptioned_seller_column(c: Canvas, inv: Invoice) -> None:
    """Title and references first, then two columns of the same type size: the seller's
    without caption, the buyer's under a caption ("Facturé à", "Rechnungsadresse"...)."""
    rng = inv.rng
    draw_title(
        c, inv, 105 if rng.random() < 0.5 else 15, 20, "C" if rng.random() < 0.5 else "L", size=18
    )
    y = draw_meta_below(c, inv, 15, 32, 180, boxed=rng.random() < 0.5)
    seller_left = rng.random() < 0.7
    sx, bx = (15, 110) if seller_left else (110, 15)
    top = y + 6
    put_lines(c, sx, top + 5, seller_block_lines(inv), first_size=9.5)
    c.put(bx, top, rng.choice(BUYER_CAPTIONS[inv.lang]) + rng.choice(["", ":"]), 8, True)
    y = put_lines(c, bx, top + 5, buyer_block_lines(inv, rng.random() < 0.5), first_size=9.5)
    body(c, inv, 15, max(y, top + 40))
    if rng.random() < 0.5:
        bank_footer(c, inv)


def family_party_panels(c: Canvas, inv: Invoice) -> None:
    """Boxed panels headed "Seller" / "Buyer" (Emisor / Cliente...), each a table of
    label : value rows (company name, address, VAT id), side by side."""
    s, b, rng = inv.seller, inv.buyer, inv.rng
    draw_title(c, inv, 15, 20, size=18)
    draw_meta_beside(c, inv, 120, 16)
    top = 50
    seller_left = rng.random() < 0.6
    labelled = rng.random() < 0.7
    name_label = rng.choice(NAME_LABELS[inv.lang])
    colon = rng.choice([":", " :"]) if inv.lang == "fr" else ":"

    def panel(x: float, caption: str, party: Party, vat_line: str) -> None:
        c.set_fill_color(225, 225, 225)
        c.rect(x, top - 5, 87, 7, style="F")
        c.rect(x, top - 5, 87, 40)
        c.put(x + 2, top, caption, 8.5, True)
        y = top + 6
        if labelled:
            rows = [
                (name_label, party.name),
                (ADDRESS_LABELS[inv.lang], party.street),
                ("", party.city),
            ]
            for label, value in rows:
                if label:
                    c.put(x + 2, y, f"{label}{colon}", 8)
                c.put(x + 30, y, value, 8.5, label == name_label)
                y += 4.6
            c.put(x + 2, y, vat_line, 8)
        else:
            put_lines(c, x + 2, y, [party.name, party.street, party.city, vat_line], first_size=9)

    sx, bx = (15, 108) if seller_left else (108, 15)
    panel(sx, rng.choice(SELLER_CAPTIONS[inv.lang]), s, vat_text(inv, s.vat))
    buyer_vat = (
        vat_text(inv, b.vat)
        if rng.random() < 0.5
        else f"{inv.lab('buyer_vat')}: {spaced_vat(b.vat, rng)}"
    )
    panel(bx, rng.choice(BUYER_CAPTIONS[inv.lang]), b, buyer_vat)
    body(c, inv, 15, top + 42)
    if rng.random() < 0.5:
        draw_small_print(c, inv, legal_footer_lines(inv), 270)
    else:
        bank_footer(c, inv)


def family_from_to_stacked(c: Canvas, inv: Invoice) -> None:
    """ "From:" / "To:" (De : / À :, Von: / An:, De: / Para:) in a gutter, the blocks stacked."""
    rng = inv.rng
    draw_title(c, inv, 15, 20, size=20)
    draw_meta_beside(c, inv, 120, 16)
    froms, tos = FROM_TO[inv.lang]
    gutter = rng.random() < 0.6
    y = 45
    for label, texts in (
        (rng.choice(froms), seller_block_lines(inv)),
        (rng.choice(tos), buyer_block_lines(inv, rng.random() < 0.5)),
    ):
        if gutter:
            c.put(15, y, label, 8.5, True)
            y = put_lines(c, 44, y, texts, first_size=9.5)
        else:
            c.put(15, y, label, 8.5, True)
            y = put_lines(c, 15, y + 5, texts, first_size=9.5)
        y += 5
    body(c, inv, 15, y + 2)
    if rng.random() < 0.5:
        bank_footer(c, inv)


def family_remittance_slip(c: Canvas, inv: Invoice) -> None:
    """A brand at the top right, the buyer on the left, and a tear-off payment slip naming
    the legal payee; the VAT id and registry in a footer line without the name."""
    s, rng = inv.seller, inv.rng
    c.put(195, 20, brand_name(inv), 18, True, "R")
    c.put(195, 26, f"{s.street}, {s.city}", 7.5, False, "R")
    if rng.random() < 0.6:
        c.put(195, 30, f"{s.phone} · {s.email}", 7.5, False, "R")
    draw_buyer(c, inv, 15, 45, label=rng.random() < 0.4)
    draw_title(c, inv, 15, 82, size=15)
    y = draw_meta_beside(c, inv, 15, 90)
    y = draw_credit_ref(c, inv, 15, y + 2)
    y = draw_lines(c, inv, 15, y + 4, 180, bottom=200)
    y = draw_totals(c, inv, 120, 195, y + 4)
    y = draw_terms(c, inv, 15, y + 4)
    y = max(y + 4, 222)
    c.dashed_line(15, y, 195, y, 2, 2)
    c.put(15, y + 6, rng.choice(SLIP_TITLE[inv.lang]), 10, True)
    pay_to = rng.choice(PAY_TO[inv.lang])
    rows = [
        f"{pay_to} {s.name}",
        f"IBAN {s.iban}   BIC {s.bic}",
        f"{strip_colon(inv.lab('credit_number' if inv.kind == 'credit_note' else 'number'))}: {inv.number}",
        f"{strip_colon(inv.lab('due_amount'))}: {inv.m(inv.amount_due)}",
    ]
    put_lines(c, 15, y + 12, rows, first_bold=False, first_size=9, size=9)
    ids = [vat_text(inv, s.vat), s.registry]
    if s.siren:
        ids.append(f"SIRET {s.siret}")
    draw_small_print(c, inv, [" · ".join(ids)], 282)


ID_BOX_TITLE = {
    "fr": ["Nos coordonnées", "Informations légales", "Émetteur"],
    "de": ["Unsere Daten", "Firmendaten", "Absender"],
    "es": ["Datos fiscales", "Nuestros datos", "Datos del emisor"],
    "en": ["Our details", "Company details", "Supplier details"],
}
REGISTRY_LABEL = {
    "fr": "SIRET",
    "de": "Handelsregister",
    "es": "Registro Mercantil",
    "en": "Company No.",
}
BALANCE_LABELS = {
    "fr": (["Acompte", "Déjà payé", "Règlement reçu"], ["Solde à payer", "Reste dû", "Solde"]),
    "de": (["Geleistete Anzahlung", "Bereits bezahlt", "Vorauszahlung"], ["Restbetrag", "Offen"]),
    "es": (["Anticipo", "Ya pagado", "Pago a cuenta"], ["Pendiente de pago", "Saldo", "A pagar"]),
    "en": (["Amount paid", "Less deposit", "Payment received"], ["Balance due", "Amount due"]),
}


def draw_balance_totals(c, inv, rng, ty: float) -> float:
    """The totals rows at the right, from `ty`, a prepayment and the balance under the
    labels of a statement of account; the height reached."""
    paid_labels, due_labels = BALANCE_LABELS[inv.lang]
    for label, value, strong in totals_rows(inv):
        if inv.prepaid and value == inv.money(-inv.prepaid):
            label = rng.choice(paid_labels)
        elif inv.prepaid and label == inv.lab("due_amount"):
            label = rng.choice(due_labels)
        c.put(120, ty, strip_colon(label), 9.5 if strong else 9, strong)
        c.put(195, ty, value, 9.5 if strong else 9, strong, "R")
        ty += 5.2
    return ty


VAT_TITLE = {
    "fr": ["FACTURE", "Facture"],
    "de": ["RECHNUNG", "Rechnung"],
    "es": ["FACTURA", "Factura"],
    "en": ["VAT INVOICE", "Tax Invoice", "INVOICE"],
}


def _registry_value(s: Party) -> str:
    if s.siret:
        return s.siret
    if " HRB " in s.registry or s.lang == "en":
        return s.registry.rsplit(" ", 1)[-1]
    return s.registry.split(",")[0]


def family_ids_label_over_value(c: Canvas, inv: Invoice) -> None:
    """Accounting-software style: a brand and the legal name over the address top left, the
    references as a grid (labels over values) top right, the seller's identifiers in a
    captioned box with each label on its own line over its value (the VAT id spaced), billing
    and delivery addresses side by side, and a two-column footer (legal mention | bank)."""
    s, b, rng = inv.seller, inv.buyer, inv.rng
    c.put(15, 20, brand_name(inv), 18, True)
    y = put_lines(c, 15, 27, [s.name, s.street, s.city], first_size=9)
    if rng.random() < 0.5:
        y = put_lines(c, 15, y, [f"{s.phone} · {s.email}"], first_bold=False, first_size=7.5)
    draw_title(c, inv, 195, 20, "R", size=16)
    for i, (label, value) in enumerate(meta_rows(inv)[:4]):
        gx, gy = 110 + 45 * (i % 2), 28 + 10 * (i // 2)
        c.put(gx, gy, strip_colon(label), 6.5, True)
        c.put(gx, gy + 4.5, value, 8.5)
    # the seller's identifiers: label over value
    c.rect(110, 50, 85, 30)
    c.put(112, 55, rng.choice(ID_BOX_TITLE[inv.lang]), 8, True)
    iy = 60.0
    pairs = [(strip_colon(vat_label(inv)), spaced_vat(s.vat, rng))]
    pairs.append((REGISTRY_LABEL[s.lang], _registry_value(s)))
    for label, value in pairs:
        c.put(112, iy, label, 7)
        c.put(112, iy + 4, value, 8.5, True)
        iy += 9.5
    top = max(y, 86) + 4
    c.put(15, top, inv.lab("bill_to") + ":", 8, True)
    by = put_lines(c, 15, top + 5, buyer_block_lines(inv, rng.random() < 0.5), first_size=9.5)
    c.put(110, top, inv.lab("ship_to") + ":", 8, True)
    put_lines(c, 110, top + 5, [b.name, b.street, b.city], first_size=9.5, first_bold=False)
    y = draw_credit_ref(c, inv, 15, by + 4)
    y = draw_lines(c, inv, 15, y + 4, 180)
    ty = draw_balance_totals(c, inv, rng, y + 4)
    draw_terms(c, inv, 15, ty + 6)
    c.line(15, 268, 195, 268)
    legal = legal_footer_lines(inv)[0]
    c.set_font("DejaVu", "", 6.3)
    c.set_xy(15, 271)
    c.multi_cell(110, 2.9, legal)
    bank = [inv.lab("bank") if inv.lab("bank") != "IBAN" else "", f"IBAN {s.iban}", f"BIC {s.bic}"]
    put_lines(c, 135, 272, [t for t in bank if t], size=6.5, first_bold=False, first_size=6.5)


def family_totals_on_last_page(c: Canvas, inv: Invoice) -> None:
    """A long invoice whose lines fill page one: the totals (and a prepayment) stand alone on
    the last page under a continuation header; the seller's VAT id is printed under its name
    with its label on the line above; page numbers and the bank in the footer of every page."""
    s, rng = inv.seller, inv.rng
    c.put(15, 18, s.name, 13, True)
    y = put_lines(c, 15, 24, [s.street, s.city], first_bold=False, first_size=8.5)
    c.put(15, y, strip_colon(vat_label(inv)), 7)
    c.put(15, y + 4, spaced_vat(s.vat, rng), 8.5)
    title = rng.choice(VAT_TITLE[inv.lang]) if inv.kind == "invoice" else inv.lab("credit_title")
    c.put(195, 20, title, 16, True, "R")
    draw_meta_beside(c, inv, 125, 30, value_x=162)
    draw_buyer(c, inv, 15, 58, label=rng.random() < 0.6)
    y = draw_credit_ref(c, inv, 15, 98)
    y = draw_lines(c, inv, 15, max(y, 104), 180, bottom=255, on_new_page=_continuation_header)
    if c.page == 1 or y > 230:
        c.add_page()
        y = _continuation_header(c, inv)
    y = draw_totals(c, inv, 120, 195, y + 4)
    draw_terms(c, inv, 15, y + 6)
    pages = c.pages_count
    for p in range(1, pages + 1):
        c.page = p
        c.put(15, 284, f"{s.name} · IBAN {s.iban} · BIC {s.bic}", 6.5)
        c.put(195, 290, inv.lab("page", p=str(p), n=str(pages)), 7, False, "R")
    c.page = pages


ACCOUNT_LABEL = {
    "fr": ["N° de compte client", "Compte client", "Référence client"],
    "de": ["Kundenkonto", "Vertragskonto", "Kundennummer"],
    "es": ["Nº de cuenta", "Cuenta cliente", "Nº de contrato"],
    "en": ["Account number", "Customer account", "Account ID"],
}
DEBIT_NOTE = {
    "fr": [
        "Le montant de {a} sera prélevé le {d} sur votre compte {iban}.",
        "Prélèvement SEPA de {a} le {d} – compte {iban}",
    ],
    "de": [
        "Der Betrag von {a} wird am {d} von Ihrem Konto {iban} abgebucht.",
        "SEPA-Lastschrift: {a} am {d} vom Konto {iban}",
    ],
    "es": [
        "El importe de {a} se cargará el {d} en su cuenta {iban}.",
        "Adeudo SEPA de {a} el {d} – cuenta {iban}",
    ],
    "en": [
        "{a} will be collected by Direct Debit on or after {d} from account {iban}.",
        "Direct Debit of {a} on {d} – account {iban}",
    ],
}
MANDATE_LABEL = {
    "fr": ("RUM", "ICS"),
    "de": ("Mandatsreferenz", "Gläubiger-ID"),
    "es": ("Referencia del mandato", "Identificador del acreedor"),
    "en": ("Mandate reference", "Creditor ID"),
}
SUMMARY_TITLE = {
    "fr": ["Récapitulatif de votre facture", "Votre facture en bref"],
    "de": ["Ihre Rechnung im Überblick", "Zusammenfassung"],
    "es": ["Resumen de su factura", "Resumen"],
    "en": ["Your bill at a glance", "Summary"],
}


def _masked_iban(rng: random.Random) -> str:
    return f"{rng.choice(['FR76', 'DE89', 'ES91', 'GB29'])} **** **** {rng.randint(1000, 9999)}"


def family_subscription_direct_debit(c: Canvas, inv: Invoice) -> None:
    """A subscription, telecom or utility bill: a brand top left (the legal name only in the
    footer), the customer's address block first under it, an account box top right (account
    number, invoice number, date, billing period), a summary, the charges per VAT rate, a part
    already paid, and a direct-debit notice that names the amount and its debit date."""
    s, rng = inv.seller, inv.rng
    c.put(15, 20, brand_name(inv), 17, True)
    put_lines(c, 15, 46, buyer_lines(inv), first_size=9.5)
    draw_title(c, inv, 195, 20, "R", size=15)
    rows = [(rng.choice(ACCOUNT_LABEL[inv.lang]), inv.customer_no), *meta_rows(inv)[:2]]
    start, end = inv.period
    rows.append((inv.lab("period"), f"{inv.d(start, other=True)} - {inv.d(end, other=True)}"))
    if rng.random() < 0.5:
        rows.insert(0, rows.pop(1))
    c.rect(120, 27, 75, 5 + 5 * len(rows))
    draw_meta_beside(c, inv, 122, 32, value_x=160, rows=rows)
    y = 82.0
    c.put(15, y, rng.choice(SUMMARY_TITLE[inv.lang]), 10, True)
    y = draw_credit_ref(c, inv, 15, y + 5)
    y = draw_lines(c, inv, 15, y + 3, 180, bottom=200)
    y = draw_vat_summary(c, inv, 15, y + 3) if len(inv.by_rate()) > 1 else y
    ty = draw_balance_totals(c, inv, rng, y + 4)
    if inv.kind == "invoice":
        note = rng.choice(DEBIT_NOTE[inv.lang]).format(
            a=inv.m(inv.amount_due), d=inv.d(inv.due, other=True), iban=_masked_iban(rng)
        )
        c.put(15, ty + 6, note, 8)
        mandate, creditor = MANDATE_LABEL[inv.lang]
        c.put(15, ty + 11, f"{mandate}: MD{rng.randint(10**7, 10**8 - 1)}", 7.5)
        c.put(100, ty + 11, f"{creditor}: {s.iban[:4]}ZZZ{rng.randint(100000, 999999)}", 7.5)
        ty += 11
    draw_terms(c, inv, 15, ty + 6)
    draw_small_print(c, inv, legal_footer_lines(inv), 272)


PLATFORMS = {
    "fr": ["Comptoir Numérique SAS", "Marché Vert SAS"],
    "de": ["Handelsplatz Online GmbH", "Kaufhaus Netz AG"],
    "es": ["Mercado Abierto S.L.", "Tienda Central Online S.A."],
    "en": ["Marketgate Europe Ltd", "Basketly Trading Ltd"],
}


def platform_vat(lang: str) -> str:
    """The platform's own (invented, valid) VAT id, the same on each of its invoices."""
    rng = random.Random(f"platform:{lang}")
    if lang == "fr":
        return fr_vat(fr_siren(rng))
    if lang == "de":
        return de_vat(rng)
    return es_vat(rng, "S.L.") if lang == "es" else gb_vat(rng)


SOLD_BY = {
    "fr": ["Vendu par", "Vendeur"],
    "de": ["Verkauft von", "Verkäufer"],
    "es": ["Vendido por", "Vendedor"],
    "en": ["Sold by", "Seller"],
}
ON_BEHALF = {
    "fr": "Facture émise par {p} au nom et pour le compte du vendeur",
    "de": "Rechnung ausgestellt von {p} im Namen und für Rechnung des Verkäufers",
    "es": "Factura emitida por {p} en nombre y por cuenta del vendedor",
    "en": "Invoice issued by {p} on behalf of the seller",
}
ORDER_DATE = {
    "fr": "Date de commande",
    "de": "Bestelldatum",
    "es": "Fecha del pedido",
    "en": "Order date",
}
PAID_BY_CARD = {
    "fr": "Payé par carte bancaire",
    "de": "Bezahlt mit Kreditkarte",
    "es": "Pagado con tarjeta",
    "en": "Paid by card",
}


def family_marketplace_sold_by(c: Canvas, inv: Invoice) -> None:
    """An e-commerce marketplace invoice: the platform's name as the banner, a note that the
    platform issues the invoice on behalf of the seller, the seller under "Sold by" with its
    VAT id, billing and delivery addresses, an order number and order date, and the platform's
    own legal line (name, VAT id) in the footer."""
    s, b, rng = inv.seller, inv.buyer, inv.rng
    platform = rng.choice(PLATFORMS[inv.lang])
    c.put(15, 18, legal_core(Party(inv.lang, platform, "", "", "")), 15, True)
    draw_title(c, inv, 195, 18, "R", size=15)
    c.put(15, 25, ON_BEHALF[inv.lang].format(p=platform), 7.5)
    c.put(15, 35, rng.choice(SOLD_BY[inv.lang]), 8, True)
    put_lines(c, 15, 40, [s.name, s.street, s.city, vat_text(inv, s.vat)], first_size=9.5)
    rows = meta_rows(inv)[:3]
    rows.append((ORDER_DATE[inv.lang], inv.d(inv.issue - timedelta(days=rng.randint(1, 9)))))
    rows.append((inv.lab("order_no"), f"{rng.randint(100, 999)}-{rng.randint(10**6, 10**7)}"))
    draw_meta_beside(c, inv, 115, 35, value_x=158, rows=rows)
    c.put(15, 70, inv.lab("bill_to"), 8, True)
    put_lines(c, 15, 75, buyer_block_lines(inv, False), first_size=9.5)
    c.put(115, 70, inv.lab("ship_to"), 8, True)
    put_lines(c, 115, 75, [b.name, b.street, b.city], first_size=9.5, first_bold=False)
    y = draw_credit_ref(c, inv, 15, 104)
    y = draw_lines(c, inv, 15, y + 4, 180, bottom=220)
    y = draw_totals(c, inv, 120, 195, y + 4)
    c.put(15, y + 6, PAID_BY_CARD[inv.lang], 8)
    footer = f"{platform} · {vat_text(inv, platform_vat(inv.lang))}"
    draw_small_print(c, inv, [footer], 280)


FIRST_NAMES = {
    "fr": ["Julien", "Camille", "Nicolas", "Élodie", "Thomas"],
    "de": ["Jens", "Katrin", "Lukas", "Miriam", "Stefan"],
    "es": ["Lucía", "Javier", "Marta", "Sergio", "Ana"],
    "en": ["Tom", "Emily", "James", "Sophie", "Oliver"],
}
PROFESSIONS = {
    "fr": ["Graphiste", "Développeur web", "Photographe", "Traducteur"],
    "de": ["Webdesign", "Fotografie", "Übersetzungen", "IT-Beratung"],
    "es": ["Diseño gráfico", "Fotografía", "Traducciones", "Consultor informático"],
    "en": ["Graphic design", "Photography", "Web development", "Bookkeeping"],
}
NO_VAT_NOTE = {
    "fr": "TVA non applicable, art. 293 B du CGI",
    "de": "Gemäß § 19 UStG wird keine Umsatzsteuer berechnet (Kleinunternehmer).",
    "en": "Not registered for VAT – no VAT has been charged.",
}
IRPF = {"es": ["Retención IRPF {r}", "IRPF -{r}", "Retención ({r})"]}
EARLY_PAYMENT = {
    "fr": "Escompte de 2 % pour paiement sous 8 jours, soit {a}",
    "de": "Bei Zahlung innerhalb von 10 Tagen gewähren wir 2 % Skonto, Zahlbetrag dann {a}",
    "es": "Descuento por pronto pago del 2 % si paga en 10 días: {a}",
    "en": "2% early settlement discount if paid within 10 days: {a}",
}
DISCOUNT = {"fr": "Remise 10 %", "de": "Rabatt 10 %", "es": "Descuento 10 %", "en": "Discount 10%"}
SHIPPING = {
    "fr": "Frais de port",
    "de": "Versandkosten",
    "es": "Gastos de envío",
    "en": "Shipping",
}


def es_nif(rng: random.Random) -> str:
    number = rng.randint(10**7, 10**8 - 1)
    return f"{number}{'TRWAGMYFPDXBNJZSQVHLCKE'[number % 23]}"


def sole_trader(inv: Invoice) -> None:
    """A person trading in their own name: in France, Germany and the UK under a small-business
    VAT exemption (no VAT id, lines at 0 %); in Spain with a NIF, IVA and the IRPF withheld."""
    s, rng = inv.seller, inv.rng
    lang = s.lang
    name = f"{rng.choice(FIRST_NAMES[lang])} {rng.choice(SURNAMES[lang])}"
    if lang == "es":
        name += f" {rng.choice(SURNAMES['es'])}"
    s.name = name + (" EI" if lang == "fr" else "")
    if lang == "es":
        s.vat = "ES" + es_nif(rng)
        inv.withholding = (inv.net * Decimal(15) / 100).quantize(CENT, ROUND_HALF_UP)
    else:
        s.vat = ""
        for line in inv.lines:
            line.rate = Decimal(0)


def family_sole_trader(c: Canvas, inv: Invoice) -> None:
    """A freelancer's invoice: the person's name and trade top left, SIRET or tax number, the
    client on the right, the lines, and either a VAT-exemption mention (no VAT line) or, in
    Spain, IVA then the IRPF withheld; an early-payment discount offer names a lower amount."""
    s, rng = inv.seller, inv.rng
    lines = [s.name, rng.choice(PROFESSIONS[s.lang]), s.street, s.city, s.email]
    if s.lang == "fr":
        lines.append(f"SIRET {s.siret}")
    elif s.lang == "de":
        lines.append(
            f"Steuernummer {rng.randint(10, 99)}/{rng.randint(100, 999)}/{rng.randint(10000, 99999)}"
        )
    elif s.lang == "es":
        lines.append(f"NIF: {s.vat[2:]}")
    put_lines(c, 15, 20, lines, first_size=12)
    draw_title(c, inv, 195, 20, "R", size=16)
    draw_meta_beside(c, inv, 125, 30, value_x=165, rows=meta_rows(inv)[:4])
    draw_buyer(c, inv, 120, 62)
    y = draw_credit_ref(c, inv, 15, 100)
    y = draw_lines(c, inv, 15, y + 4, 180)
    ty = y + 4
    vat = inv.gross - inv.net + inv.withholding
    rows = [(inv.lab("net"), inv.m(inv.net), False)]
    if inv.withholding:
        rate = fmt_rate(inv.lines[0].rate, "es") if len(inv.by_rate()) == 1 else ""
        rows.append((inv.lab("vat_line", r=rate).strip(), inv.m(vat), False))
        rows.append((rng.choice(IRPF["es"]).format(r="15%"), inv.money(-inv.withholding), False))
    rows.append(
        (inv.lab("credit_gross" if inv.kind == "credit_note" else "gross"), inv.m(inv.gross), True)
    )
    if inv.prepaid:
        rows.append((inv.lab("prepaid"), inv.money(-inv.prepaid), False))
        rows.append((inv.lab("due_amount"), inv.m(inv.amount_due), True))
    for label, value, strong in rows:
        c.put(120, ty, strip_colon(label), 9.5 if strong else 9, strong)
        c.put(195, ty, value, 9.5 if strong else 9, strong, "R")
        ty += 5.2
    ty = draw_terms(c, inv, 15, ty + 6)
    if s.lang in NO_VAT_NOTE:
        c.put(15, ty + 2, NO_VAT_NOTE[s.lang], 8)
        ty += 7
    if inv.kind == "invoice":
        early = (inv.amount_due * Decimal("0.98")).quantize(CENT, ROUND_HALF_UP)
        c.put(15, ty + 2, EARLY_PAYMENT[inv.lang].format(a=inv.m(early)), 8)
    bank_footer(c, inv)


STRIP_DUE = {
    "fr": "à régler avant le",
    "de": "fällig am",
    "es": "vence el",
    "en": "due",
}


def family_totals_strip(c: Canvas, inv: Invoice) -> None:
    """Totals as one strip of labels over values (net, VAT, total, deposit, amount due), the
    amount due repeated big in a banner at the top with its due date, a discount line and
    shipping among the lines, the seller's ids in the footer."""
    s = inv.seller
    put_lines(c, 15, 18, [s.name, s.street, s.city], first_size=12)
    credit = inv.kind == "credit_note"
    c.set_fill_color(235, 240, 250)
    c.rect(120, 12, 75, 22, style="F")
    due_label = inv.lab("credit_due" if credit else "due_amount")
    c.put(123, 18, strip_colon(due_label), 8)
    c.put(192, 27, inv.m(inv.amount_due), 15, True, "R")
    if not credit:
        c.put(123, 32, f"{STRIP_DUE[inv.lang]} {inv.d(inv.due, other=True)}", 7.5)
    draw_title(c, inv, 15, 48, size=15)
    y = draw_meta_below(c, inv, 15, 57, 180, boxed=False)
    draw_buyer(c, inv, 15, y + 2)
    y = draw_credit_ref(c, inv, 15, y + 36)
    y = draw_lines(c, inv, 15, y + 4, 180, bottom=215)
    rows = [(strip_colon(label), value) for label, value, _ in totals_rows(inv, vat_rows=False)]
    vat = inv.gross - inv.net
    rows.insert(1, (strip_colon(inv.lab("rate")), inv.m(vat)))
    width = 180 / len(rows)
    c.rect(15, y + 2, 180, 13)
    for i, (label, value) in enumerate(rows):
        cx = 15 + width * (i + 1) - 2
        c.put(cx, y + 7, label, 7, True, "R")
        c.put(cx, y + 12.5, value, 9, i == len(rows) - 1, "R")
    draw_terms(c, inv, 15, y + 22)
    draw_small_print(c, inv, legal_footer_lines(inv), 274)


DRAW = [
    family_classic_seller_left,
    family_din5008_window,
    family_seller_in_footer_only,
    family_bill_to_ship_to,
    family_labels_below_values,
    family_service_period,
    family_vat_summary_table,
    family_multi_page,
    family_banner,
    family_letter,
    family_sidebar,
    family_from_to_two_up,
    family_letterhead_brand,
    family_seller_right_buyer_left,
    family_uncaptioned_seller_column,
    family_party_panels,
    family_from_to_stacked,
    family_remittance_slip,
    family_ids_label_over_value,
    family_totals_on_last_page,
    family_subscription_direct_debit,
    family_marketplace_sold_by,
    family_sole_trader,
    family_totals_strip,
]


# --------------------------------------------------------------------------- forge


def forge(out_dir: Path, seed: int = 1, n: int = 200) -> list[dict[str, object]]:
    """Write n invoices and truth.json into out_dir; return the truth entries."""
    out_dir.mkdir(parents=True, exist_ok=True)
    truths = []
    for index in range(n):
        rng = random.Random(f"{seed}:{index}")
        family = index % len(FAMILIES)
        lang = LANGS[(index // len(FAMILIES) + index) % len(LANGS)]
        inv = make_invoice(index, family, lang, rng)
        canvas = Canvas()
        DRAW[family](canvas, inv)
        name = f"{index:04d}-f{family:02d}-{lang}.pdf"
        canvas.output(str(out_dir / name))
        truths.append(inv.truth(name))
    (out_dir / "truth.json").write_text(json.dumps(truths, indent=1, ensure_ascii=False))
    return truths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("-n", type=int, default=200)
    args = parser.parse_args(argv)
    truths = forge(args.out_dir, args.seed, args.n)
    print(f"{len(truths)} invoices in {args.out_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
