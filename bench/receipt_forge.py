"""A seeded forge of synthetic receipt images with their truth, in FR, DE, ES and EN.

    python bench/receipt_forge.py OUT_DIR [--seed 1] [-n 120]

Written without looking at the extraction engine: it is an independent test surface, not a
mirror of the engine's rules. Each file is a till roll (or a card slip) drawn by one of the
layout FAMILIES below, from real-world knowledge of French, German, Spanish, British and US
receipts: a shop sign at the top, sometimes a legal-name line ("SARL DUPONT & FILS"), the
address, phone and tax ids (SIRET / USt-IdNr. / NIF / VAT no), items, subtotal, VAT lines per
rate, the total, the payment (card, or cash with the amount tendered and the change), a
card-terminal block, ticket number, cashier, loyalty points and a thank-you line. The wording
of each label is picked among synonyms; date, time and amount formats vary per file.

Traps drawn on purpose: subtotal before discounts, cash tendered above the total and the
change, a tip after the total on some restaurant bills (the truth is then the amount paid,
printed as its own final line), savings and loyalty amounts, other dates (voucher expiry,
prescription date, delivery date, hotel arrival, parking entry), a French pharmacy's share
paid by the health insurance (the truth is what the customer paid), a hotel balance of 0.00,
comma decimals and thousands separators, US month-first dates.

Held-out split, fixed before any result was looked at: families 0-7 are TUNING, families
8-11 are HELD-OUT (a third). Engine rules may be written from misses of tuning families
only; held-out families measure whether the rules generalise to layouts nobody looked at.
The family count is even (12), so that the index -> language rotation gives every family
all four languages.

Imaging: the page is rendered with DejaVu (mono for the till text, sans for some headers
and the online-order print), then degraded with seeded, moderate noise: rotation within
+-2 degrees on a grey background, blur, uneven lighting, faded thermal print, a few
low-contrast lines, sensor noise and JPEG artefacts. Pages stay below 2 megapixels.

Truth per file (`truth.json` in OUT_DIR, one entry per PNG): total (the amount paid, a
Decimal string), date (ISO: the date of the sale / payment), merchant (the sign as printed at
the top; on a card slip alone, the shop name the terminal prints, which a French "CARTE
BANCAIRE" slip prints below the card type and the date), currency (ISO code), language, region (fr/de/es/gb/us), family index and name,
held_out. Shop names, addresses and ids are invented.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FAMILIES = [
    "supermarket_till",  # 0
    "bakery",  # 1
    "cafe_bill",  # 2
    "fuel_station",  # 3
    "pharmacy",  # 4
    "taxi",  # 5
    "card_slip_only",  # 6
    "online_order_print",  # 7
    "restaurant_with_card_slip",  # 8  held-out from here
    "parking_toll",  # 9
    "hotel_folio",  # 10
    "diy_store_voucher",  # 11
]
HELD_OUT_FAMILIES = frozenset(range(8, 12))
LANGS = ("fr", "de", "es", "en")
CENT = Decimal("0.01")
MAX_PIXELS = 1_900_000

# --------------------------------------------------------------------------- identities

SURNAMES = {
    "fr": "Martin Bernard Dubois Moreau Laurent Simon Michel Lefèvre Leroy Roux David Bertrand "
    "Morel Fournier Girard Bonnet Dupont Lambert Fontaine Rousseau Vincent Muller Faure "
    "André Mercier Blanc Guérin Boyer Garnier Chevalier".split(),
    "de": "Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Koch "
    "Bauer Richter Klein Wolf Schröder Neumann Schwarz Braun Zimmermann Hofmann Hartmann "
    "Krüger Lange Werner Krause Maier Köhler Huber Vogel".split(),
    "es": "García Rodríguez González Fernández López Martínez Sánchez Pérez Gómez Martín "
    "Jiménez Ruiz Hernández Díaz Moreno Muñoz Álvarez Romero Alonso Gutiérrez Navarro Torres "
    "Domínguez Vázquez Ramos Gil Ramírez Serrano Blanco Molina".split(),
    "en": "Smith Jones Taylor Brown Williams Wilson Johnson Davies Robinson Wright Thompson "
    "Evans Walker White Roberts Green Hall Wood Jackson Clarke Patel Hughes Edwards Turner "
    "Baker Harris Cooper King Morgan Bennett".split(),
}
FIRST_NAMES = {
    "fr": "Léa Paul Camille Hugo Chloé Lucas Manon Louis Inès Jules Sarah Nathan".split(),
    "de": "Anna Lukas Lena Jonas Marie Felix Laura Paul Sophie Max Julia Tim".split(),
    "es": "Lucía Hugo Martina Pablo Sofía Álvaro Carmen Javier Elena Diego Paula Sergio".split(),
    "en": "Emma Jack Olivia Harry Amelia George Sophie Oliver Grace Tom Lucy Sam".split(),
}
PLACES = {
    "fr": [
        ("12 rue de la République", "69002 Lyon"),
        ("4 place du Marché", "33000 Bordeaux"),
        ("87 avenue Jean Jaurès", "31000 Toulouse"),
        ("23 boulevard Victor Hugo", "06000 Nice"),
        ("5 rue Nationale", "59800 Lille"),
        ("140 rue Saint-Denis", "75002 Paris"),
        ("9 quai de la Fosse", "44000 Nantes"),
        ("31 cours Mirabeau", "13100 Aix-en-Provence"),
        ("2 rue des Tanneurs", "67000 Strasbourg"),
        ("56 Grande Rue", "25000 Besançon"),
    ],
    "de": [
        ("Hauptstraße 12", "69117 Heidelberg"),
        ("Bahnhofstr. 4", "80335 München"),
        ("Schillerplatz 7", "70173 Stuttgart"),
        ("Königsallee 58", "40212 Düsseldorf"),
        ("Lindenstraße 23", "50674 Köln"),
        ("Marktplatz 1", "97070 Würzburg"),
        ("Friedrichstraße 101", "10117 Berlin"),
        ("Am Sande 9", "21335 Lüneburg"),
        ("Kaiserstr. 33", "60329 Frankfurt am Main"),
        ("Mühlenweg 5", "28195 Bremen"),
    ],
    "es": [
        ("C/ Mayor, 14", "28013 Madrid"),
        ("Avda. Diagonal, 320", "08013 Barcelona"),
        ("C/ Sierpes, 45", "41004 Sevilla"),
        ("Plaza del Ayuntamiento, 3", "46002 Valencia"),
        ("C/ Larios, 8", "29005 Málaga"),
        ("Gran Vía, 27", "48001 Bilbao"),
        ("C/ Alfonso I, 19", "50003 Zaragoza"),
        ("Paseo de la Castellana, 210", "28046 Madrid"),
        ("C/ San Fernando, 6", "03002 Alicante"),
        ("Rúa do Villar, 30", "15705 Santiago de Compostela"),
    ],
    "gb": [
        ("14 High Street", "Oxford OX1 4AH"),
        ("221 Deansgate", "Manchester M3 4EN"),
        ("8 Market Place", "Leeds LS1 6DT"),
        ("45 King's Road", "London SW3 4ND"),
        ("3 Bridge Street", "Bath BA2 4AS"),
        ("77 Princes Street", "Edinburgh EH2 2ER"),
        ("19 Castle Street", "Cardiff CF10 1BW"),
        ("102 Church Road", "Bristol BS5 9JR"),
    ],
    "us": [
        ("1200 Market St", "San Francisco, CA 94103"),
        ("455 Main Street", "Boulder, CO 80302"),
        ("88 Elm Ave", "Portland, OR 97205"),
        ("2301 Broadway", "New York, NY 10024"),
        ("710 Congress Ave", "Austin, TX 78701"),
        ("36 Harbor Blvd", "Seattle, WA 98101"),
    ],
}
LEGAL_FORMS = {
    "fr": ["SARL", "SAS", "EURL", "SA", "SNC"],
    "de": ["GmbH", "e.K.", "GmbH & Co. KG", "OHG", "KG"],
    "es": ["S.L.", "S.A.", "S.L.U.", "S.C."],
    "gb": ["Ltd", "Limited", "LLP", "plc"],
    "us": ["LLC", "Inc.", "Corp."],
}
# Sign templates per trade; {n} a surname, {f} a first name, {p} a place word.
SIGNS: dict[str, dict[str, list[str]]] = {
    "supermarket": {
        "fr": [
            "Supermarché {p}",
            "Marché Frais {p}",
            "Épicerie {n}",
            "Proxi Marché",
            "Le Panier Malin",
        ],
        "de": ["Frischmarkt {n}", "Nahkauf {p}", "Markt am {p}", "Bio-Laden {n}", "Kaufpunkt"],
        "es": ["Supermercados {n}", "Mercado {p}", "Autoservicio {n}", "Superahorro", "Frescomar"],
        "en": ["{n}'s Supermarket", "Fresh Basket", "{p} Food Hall", "Corner Grocer", "ValueMart"],
    },
    "bakery": {
        "fr": [
            "Boulangerie {n}",
            "Au Fournil de {f}",
            "La Mie Dorée",
            "Pâtisserie {n}",
            "Le Pain de {f}",
        ],
        "de": [
            "Bäckerei {n}",
            "Backstube {n}",
            "Landbäckerei {n}",
            "Konditorei {n}",
            "Brotzeit {p}",
        ],
        "es": ["Panadería {n}", "Horno {n}", "Pastelería La Espiga", "Obrador {f}", "Forn {n}"],
        "en": ["{n}'s Bakery", "The Crusty Loaf", "Bread & Co", "{p} Bakehouse", "Rise Bakery"],
    },
    "cafe": {
        "fr": ["Café des Arts", "Le Petit Zinc", "Brasserie {n}", "Bistrot {f}", "Café du {p}"],
        "de": ["Gasthaus {n}", "Café {f}", "Wirtshaus zum Löwen", "Ratskeller {p}", "Bistro {f}"],
        "es": ["Bar {f}", "Restaurante {n}", "Cafetería {p}", "Taberna El Puerto", "Casa {n}"],
        "en": ["The Red Lion", "{n}'s Diner", "Café {f}", "The {p} Arms", "Bluebell Kitchen"],
    },
    "fuel": {
        "fr": ["Station {p}", "Relais {n}", "Garage {n}", "Station Service du {p}"],
        "de": ["Tankstelle {n}", "Autohof {p}", "Freie Tankstelle {n}", "Tankcenter {p}"],
        "es": ["Estación de Servicio {p}", "Gasolinera {n}", "E.S. {p}", "Carburantes {n}"],
        "en": ["{p} Service Station", "{n} Motors Fuel", "Quick Fuel {p}", "{p} Filling Station"],
    },
    "pharmacy": {
        "fr": ["Pharmacie du {p}", "Pharmacie {n}", "Grande Pharmacie {p}", "Pharmacie de la Gare"],
        "de": ["Löwen-Apotheke", "Apotheke am {p}", "Stadt-Apotheke {p}", "Rosen-Apotheke"],
        "es": ["Farmacia {n}", "Farmacia {p}", "Farmacia Ldo. {n}", "Farmacia Central"],
        "en": ["{n} Pharmacy", "{p} Chemist", "Wellcare Pharmacy", "{p} Drug Store"],
    },
    "taxi": {
        "fr": ["Taxi {n}", "Taxis {p}", "Allo Taxi {p}", "Taxi {f} {n}"],
        "de": ["Taxi {n}", "Funktaxi {p}", "Taxi-Zentrale {p}", "Taxiunternehmen {n}"],
        "es": ["Taxi {n}", "Radio Taxi {p}", "Tele Taxi {p}", "Taxi {f} {n}"],
        "en": ["{p} Cabs", "{n} Private Hire", "City Taxi {p}", "{n} Cars"],
    },
    "online": {
        "fr": ["Maison Lumen", "Boutique {n}", "Atelier {f}", "La Malle à {f}"],
        "de": ["Versandhaus {n}", "Kontor {p}", "{n} Onlineshop", "Werkhaus {p}"],
        "es": ["Tienda {n}", "Casa {f}", "La Alacena Online", "Bazar {p}"],
        "en": ["{n} Direct", "Thread & Needle", "{p} Outfitters", "Northlight Home"],
    },
    "parking": {
        "fr": ["Parking {p}", "Parc Relais {p}", "Parking de la Gare", "Autoroutes du {p}"],
        "de": ["Parkhaus {p}", "Tiefgarage {p}", "Parkhaus am {p}", "P+R {p}"],
        "es": ["Aparcamiento {p}", "Parking {p}", "Autopista del {p}", "Garaje {n}"],
        "en": ["{p} Car Park", "NCP-style Parking {p}", "{p} Multi-Storey", "{p} Toll Bridge"],
    },
    "hotel": {
        "fr": ["Hôtel {p}", "Hôtel du {p}", "Le Relais {n}", "Hôtel Les Tilleuls"],
        "de": ["Hotel {p}", "Hotel Garni {n}", "Landhotel {n}", "Hotel zur Post"],
        "es": ["Hostal {p}", "Hotel {p}", "Hotel Casa {n}", "Posada del Río"],
        "en": ["The {p} Hotel", "{n} House Hotel", "Harbour View Inn", "{p} Lodge"],
    },
    "diy": {
        "fr": ["Bricolage {n}", "Brico {p}", "Quincaillerie {n}", "Jardi-Bois"],
        "de": ["Baumarkt {n}", "Werkzeug {n}", "Heimwerker {p}", "Eisenwaren {n}"],
        "es": ["Ferretería {n}", "Bricomarket {p}", "Suministros {n}", "Almacenes {p}"],
        "en": ["{n} Hardware", "{p} DIY", "Toolbox {p}", "{n} Timber & Tools"],
    },
}
PLACE_WORDS = {
    "fr": ["Centre", "Marché", "Port", "Parc", "Lac", "Château", "Canal", "Pont Neuf"],
    "de": ["Markt", "Dom", "Rathaus", "Stadtpark", "Hafen", "Schloss", "Bahnhof"],
    "es": ["Centro", "Puerto", "Sol", "Mercado", "Norte", "Levante", "Prado"],
    "en": ["Riverside", "Kingsway", "Harbour", "Westgate", "Parkside", "Abbey", "Station"],
}

# --------------------------------------------------------------------------- formats

MONTHS = {
    "fr": "janv. févr. mars avr. mai juin juil. août sept. oct. nov. déc.".split(),
    "de": "Jan. Feb. März Apr. Mai Juni Juli Aug. Sep. Okt. Nov. Dez.".split(),
    "es": "ene feb mar abr may jun jul ago sep oct nov dic".split(),
    "en": "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split(),
}
WEEKDAYS = {
    "fr": "lun. mar. mer. jeu. ven. sam. dim.".split(),
    "de": "Mo Di Mi Do Fr Sa So".split(),
    "es": "lun mar mié jue vie sáb dom".split(),
    "en": "Mon Tue Wed Thu Fri Sat Sun".split(),
}
DATE_STYLES = ["num4"] * 9 + ["num2"] * 5 + ["dash"] * 2 + ["iso"] * 2 + ["text"] * 2


def fmt_date(d: date, region: str, style: str) -> str:
    lang = region if region in MONTHS else "en"
    sep = "." if region == "de" else "/"
    if style == "iso":
        return d.isoformat()
    if style == "text":
        month = MONTHS[lang][d.month - 1]
        if region == "us":
            return f"{month} {d.day}, {d.year}"
        if region == "de":
            return f"{d.day}. {month} {d.year}"
        return f"{d.day} {month} {d.year}"
    if style == "dash" and region != "de":
        sep = "-"
    year = f"{d.year % 100:02d}" if style == "num2" else str(d.year)
    first, second = (d.month, d.day) if region == "us" else (d.day, d.month)
    return f"{first:02d}{sep}{second:02d}{sep}{year}"


def fmt_time(hour: int, minute: int, second: int, region: str, with_seconds: bool) -> str:
    if region == "us":
        return f"{(hour - 1) % 12 + 1}:{minute:02d} {'PM' if hour >= 12 else 'AM'}"
    text = f"{hour:02d}:{minute:02d}"
    return text + f":{second:02d}" if with_seconds else text


@dataclass
class MoneyStyle:
    decimal: str
    thousands: str
    symbol: str
    before: bool  # "£12.50" rather than "12,50 €"
    code: str  # ISO currency code

    def number(self, value: Decimal) -> str:
        sign = "-" if value < 0 else ""
        whole, frac = f"{abs(value).quantize(CENT):.2f}".split(".")
        if self.thousands and len(whole) > 3:
            groups = []
            while len(whole) > 3:
                groups.insert(0, whole[-3:])
                whole = whole[:-3]
            whole = self.thousands.join([whole, *groups])
        return f"{sign}{whole}{self.decimal}{frac}"

    def cur(self, value: Decimal) -> str:
        if self.before:
            text = self.number(abs(value))
            return f"{'-' if value < 0 else ''}{self.symbol}{text}"
        return f"{self.number(value)} {self.symbol}"


def money_style(rng: random.Random, region: str) -> MoneyStyle:
    if region == "gb":
        return MoneyStyle(".", ",", "£", True, "GBP")
    if region == "us":
        return MoneyStyle(".", ",", "$", True, "USD")
    thousands = {"fr": [" ", "", " "], "de": [".", "", "."], "es": [".", "", "."]}[region]
    symbol = rng.choice(["€", "€", "EUR"])
    return MoneyStyle(",", rng.choice(thousands), symbol, False, "EUR")


def fmt_rate(rate: Decimal, decimal: str) -> str:
    text = f"{rate.normalize():f}" if rate == rate.to_integral() else f"{rate:.1f}"
    return text.replace(".", decimal)


# --------------------------------------------------------------------------- catalogue

RATES = {
    "fr": {"food": "5.5", "basic": "5.5", "std": "20", "meal": "10", "drink": "10", "alc": "20",
           "med": "2.1", "fuel": "20", "ride": "10", "room": "10", "park": "20", "none": "0"},
    "de": {"food": "7", "basic": "7", "std": "19", "meal": "7", "drink": "19", "alc": "19",
           "med": "19", "fuel": "19", "ride": "7", "room": "7", "park": "19", "none": "0"},
    "es": {"food": "10", "basic": "4", "std": "21", "meal": "10", "drink": "10", "alc": "10",
           "med": "4", "fuel": "21", "ride": "10", "room": "10", "park": "21", "none": "0"},
    "gb": {"food": "0", "basic": "0", "std": "20", "meal": "20", "drink": "20", "alc": "20",
           "med": "0", "fuel": "20", "ride": "0", "room": "20", "park": "20", "none": "0"},
    "us": {k: "0" for k in ("food", "basic", "std", "meal", "drink", "alc", "med", "fuel",
                            "ride", "room", "park", "none")},
}  # fmt: skip

# (fr, de, es, en), low cents, high cents, rate key; a "kg" rate key suffix = sold by weight
CATALOGUE: dict[str, list[tuple[tuple[str, str, str, str], int, int, str]]] = {
    "grocery": [
        (
            (
                "Lait demi-écrémé 1L",
                "H-Milch 1,5% 1L",
                "Leche semidesnatada 1L",
                "Semi-skimmed milk 2pt",
            ),
            89,
            139,
            "food",
        ),
        (("Pommes Golden", "Äpfel Elstar", "Manzanas Golden", "Gala apples"), 199, 349, "food kg"),
        (("Tomates grappe", "Tomaten Rispe", "Tomates rama", "Vine tomatoes"), 249, 449, "food kg"),
        (("Bananes", "Bananen", "Plátanos", "Bananas"), 149, 239, "food kg"),
        (
            ("Yaourt nature x4", "Joghurt natur 4x150g", "Yogur natural x4", "Natural yoghurt 4pk"),
            119,
            229,
            "food",
        ),
        (("Beurre doux 250g", "Butter 250g", "Mantequilla 250g", "Butter 250g"), 189, 299, "food"),
        (
            ("Café moulu 250g", "Kaffee gemahlen 500g", "Café molido 250g", "Ground coffee 227g"),
            289,
            649,
            "food",
        ),
        (
            ("Pâtes penne 500g", "Penne 500g", "Macarrones 500g", "Penne pasta 500g"),
            79,
            189,
            "food",
        ),
        (
            (
                "Eau minérale 6x1,5L",
                "Mineralwasser 6x1,5L",
                "Agua mineral 6x1,5L",
                "Still water 6x1.5L",
            ),
            199,
            389,
            "food",
        ),
        (
            (
                "Vin rouge AOP 75cl",
                "Rotwein trocken 0,75L",
                "Vino tinto Rioja 75cl",
                "Red wine 75cl",
            ),
            449,
            1290,
            "alc",
        ),
        (
            (
                "Lessive liquide 2L",
                "Waschmittel flüssig",
                "Detergente líquido 2L",
                "Laundry liquid 1.5L",
            ),
            499,
            1199,
            "std",
        ),
        (
            (
                "Papier toilette x12",
                "Toilettenpapier 10er",
                "Papel higiénico 12u",
                "Toilet roll 9pk",
            ),
            299,
            699,
            "std",
        ),
        (
            ("Jambon blanc 4 tr.", "Kochschinken 200g", "Jamón cocido 200g", "Cooked ham 200g"),
            199,
            399,
            "food",
        ),
        (
            ("Comté 200g", "Gouda jung 400g", "Queso manchego 250g", "Mature cheddar 400g"),
            279,
            599,
            "food",
        ),
        (
            (
                "Chocolat noir 100g",
                "Schokolade Zartbitter",
                "Chocolate negro 100g",
                "Dark chocolate 100g",
            ),
            99,
            289,
            "food",
        ),
        (
            ("Jus d'orange 1L", "Orangensaft 1L", "Zumo de naranja 1L", "Orange juice 1L"),
            149,
            329,
            "food",
        ),
        (
            ("Oeufs plein air x6", "Eier Freiland 10er", "Huevos L docena", "Free range eggs 6pk"),
            189,
            359,
            "food",
        ),
        (("Shampooing 250ml", "Shampoo 300ml", "Champú 400ml", "Shampoo 250ml"), 249, 599, "std"),
        (("Sac cabas", "Tragetasche", "Bolsa", "Carrier bag"), 10, 150, "std"),
        (
            ("Poulet fermier", "Hähnchenbrust", "Pechuga de pollo", "Chicken breast"),
            699,
            1399,
            "food kg",
        ),
    ],
    "bakery": [
        (("Baguette tradition", "Brötchen", "Barra de pan", "Sourdough loaf"), 95, 450, "basic"),
        (("Croissant", "Butterbrezel", "Croissant", "Croissant"), 95, 180, "basic"),
        (
            ("Pain au chocolat", "Laugenstange", "Napolitana chocolate", "Pain au chocolat"),
            110,
            195,
            "basic",
        ),
        (
            ("Pain de campagne", "Bauernbrot 1kg", "Pan de pueblo", "Farmhouse loaf"),
            250,
            520,
            "basic",
        ),
        (
            ("Tarte aux pommes", "Apfelkuchen Stück", "Tarta de manzana", "Apple tart"),
            280,
            1850,
            "basic",
        ),
        (("Éclair café", "Berliner", "Ensaimada", "Cinnamon bun"), 150, 390, "basic"),
        (("Flan pâtissier", "Käsekuchen Stück", "Magdalenas 6u", "Brownie"), 220, 450, "basic"),
        (("Café", "Kaffee to go", "Café con leche", "Latte"), 120, 380, "drink"),
        (
            ("Sandwich jambon-beurre", "Belegtes Brötchen", "Bocadillo de jamón", "Ham sandwich"),
            390,
            650,
            "meal",
        ),
        (("Quiche lorraine", "Quarktasche", "Empanada gallega", "Sausage roll"), 250, 520, "basic"),
    ],
    "meal": [
        (("Plat du jour", "Tagesgericht", "Menú del día", "Dish of the day"), 1150, 1850, "meal"),
        (
            ("Entrecôte frites", "Schnitzel Wiener Art", "Entrecot a la brasa", "Steak & chips"),
            1690,
            2890,
            "meal",
        ),
        (("Salade César", "Gemischter Salat", "Ensalada mixta", "Caesar salad"), 890, 1490, "meal"),
        (
            ("Croque-monsieur", "Flammkuchen", "Tortilla española", "Club sandwich"),
            750,
            1290,
            "meal",
        ),
        (
            ("Moules-frites", "Currywurst Pommes", "Paella (ración)", "Fish & chips"),
            1290,
            1990,
            "meal",
        ),
        (("Tiramisu", "Apfelstrudel", "Crema catalana", "Sticky toffee pudding"), 590, 890, "meal"),
        (("Café gourmand", "Kuchen des Tages", "Flan casero", "Cheesecake"), 650, 990, "meal"),
        (
            ("Burger maison", "Rinderroulade", "Croquetas caseras", "Beef burger"),
            1390,
            2190,
            "meal",
        ),
    ],
    "drink": [
        (("Café", "Espresso", "Café solo", "Espresso"), 160, 290, "drink"),
        (("Café crème", "Cappuccino", "Cortado", "Cappuccino"), 290, 450, "drink"),
        (("Pression 25cl", "Pils 0,4l", "Caña", "Pint of lager"), 350, 690, "alc"),
        (
            ("Verre de vin rouge", "Glas Riesling 0,2l", "Copa de vino", "Glass of house red"),
            450,
            890,
            "alc",
        ),
        (
            ("Eau minérale 50cl", "Apfelschorle 0,4l", "Agua mineral", "Sparkling water"),
            250,
            450,
            "drink",
        ),
        (("Coca-Cola 33cl", "Cola 0,33l", "Refresco", "Diet Coke"), 290, 450, "drink"),
        (
            ("Carafe de vin 50cl", "Flasche Rotwein 0,75l", "Botella de vino", "Bottle of Rioja"),
            1290,
            2890,
            "alc",
        ),
    ],
    "pharmacy": [
        (
            ("Paracétamol 1000mg", "Ibuprofen 400 mg", "Paracetamol 1g", "Paracetamol 500mg"),
            195,
            450,
            "med",
        ),
        (("Spray nasal", "Nasenspray", "Spray nasal", "Nasal spray"), 350, 790, "med"),
        (
            ("Sirop toux 125ml", "Hustensaft 100ml", "Jarabe para la tos", "Cough syrup"),
            490,
            990,
            "med",
        ),
        (
            ("Crème solaire SPF50", "Sonnencreme LSF 50", "Protector solar 50", "Sun cream SPF50"),
            990,
            1990,
            "std",
        ),
        (("Pansements x20", "Pflaster 20 St.", "Tiritas 20u", "Plasters 20pk"), 250, 590, "std"),
        (("Vitamine C 1000", "Magnesium 400", "Vitamina C", "Vitamin D 1000IU"), 590, 1490, "std"),
        (
            ("Gel hydroalcoolique", "Desinfektionsgel", "Gel hidroalcohólico", "Hand sanitiser"),
            290,
            690,
            "std",
        ),
        (("Brosse à dents", "Zahnbürste", "Cepillo dental", "Toothbrush"), 250, 690, "std"),
        (
            ("Amoxicilline 1g", "Amoxicillin 1000", "Amoxicilina 500mg", "Amoxicillin 500mg"),
            290,
            990,
            "med",
        ),
    ],
    "diy": [
        (
            (
                "Vis bois 4x40 x200",
                "Holzschrauben 4x40",
                "Tornillos madera 4x40",
                "Wood screws 4x40",
            ),
            490,
            1290,
            "std",
        ),
        (
            (
                "Perceuse-visseuse 18V",
                "Akku-Bohrschrauber 18V",
                "Taladro atornillador 18V",
                "18V Combi drill",
            ),
            7900,
            24900,
            "std",
        ),
        (
            (
                "Peinture blanche 10L",
                "Wandfarbe weiß 10L",
                "Pintura blanca 15L",
                "White emulsion 10L",
            ),
            2990,
            8990,
            "std",
        ),
        (("Rouleau laqueur", "Farbrolle", "Rodillo pintura", "Paint roller"), 390, 1290, "std"),
        (
            ("Tondeuse thermique", "Benzin-Rasenmäher", "Cortacésped gasolina", "Petrol lawnmower"),
            19900,
            89900,
            "std",
        ),
        (("Ampoule LED E27", "LED-Lampe E27", "Bombilla LED E27", "LED bulb E27"), 290, 890, "std"),
        (("Mètre ruban 5m", "Maßband 5m", "Flexómetro 5m", "Tape measure 5m"), 490, 1490, "std"),
        (
            ("Planche pin 200cm", "Leimholz Kiefer", "Tablero pino", "Pine board 2.4m"),
            890,
            3490,
            "std",
        ),
        (
            ("Gants de travail", "Arbeitshandschuhe", "Guantes de trabajo", "Work gloves"),
            290,
            990,
            "std",
        ),
    ],
    "online": [
        (("Lampe de chevet", "Tischleuchte", "Lámpara de mesa", "Bedside lamp"), 2490, 8900, "std"),
        (("Plaid laine", "Wolldecke", "Manta de lana", "Wool throw"), 3900, 12900, "std"),
        (
            ("Coussin lin 45x45", "Kissen Leinen", "Cojín de lino", "Linen cushion"),
            1990,
            4900,
            "std",
        ),
        (
            ("Tasse grès x2", "Tassen Steinzeug 2er", "Tazas de gres x2", "Stoneware mugs x2"),
            1490,
            3200,
            "std",
        ),
        (("Livre de cuisine", "Kochbuch", "Libro de cocina", "Cookbook"), 1490, 3490, "std"),
        (("Bougie parfumée", "Duftkerze", "Vela aromática", "Scented candle"), 1290, 3900, "std"),
    ],
}


# --------------------------------------------------------------------------- labels

LABELS: dict[str, dict[str, list[str]]] = {
    "total": {
        "fr": ["TOTAL", "TOTAL TTC", "TOTAL EUR", "Total TTC", "NET A PAYER", "MONTANT TTC"],
        "de": ["SUMME", "Summe EUR", "GESAMT", "Gesamtbetrag", "ZU ZAHLEN", "Total"],
        "es": ["TOTAL", "TOTAL A PAGAR", "Total (IVA incl.)", "IMPORTE TOTAL", "TOTAL EUROS"],
        "en": ["TOTAL", "Total", "Amount due", "BALANCE DUE", "TOTAL TO PAY", "Grand total"],
    },
    # a total that a tip line then follows: no "to pay" / "amount due" wording
    "total_plain": {
        "fr": ["TOTAL", "TOTAL TTC", "Total TTC", "MONTANT TTC"],
        "de": ["SUMME", "Summe EUR", "GESAMT", "Total"],
        "es": ["TOTAL", "Total (IVA incl.)", "IMPORTE TOTAL"],
        "en": ["TOTAL", "Total", "Bill total"],
    },
    "subtotal": {
        "fr": ["SOUS-TOTAL", "Sous total", "S/TOTAL"],
        "de": ["Zwischensumme", "ZWISCHENSUMME", "Z-SUMME"],
        "es": ["SUBTOTAL", "Subtotal", "SUMA"],
        "en": ["SUBTOTAL", "Subtotal", "Sub-total"],
    },
    "card": {
        "fr": ["CB", "Carte bancaire", "CARTE BLEUE", "CB SANS CONTACT", "Paiement CB"],
        "de": ["EC-Karte", "Girocard", "Kartenzahlung", "EC-Cash", "Visa"],
        "es": ["Tarjeta", "TARJETA CREDITO", "Pago con tarjeta", "VISA", "T. Débito"],
        "en": ["Card", "VISA DEBIT", "Mastercard", "Contactless", "CARD PAYMENT"],
    },
    "cash": {
        "fr": ["Espèces", "ESPECES", "Reçu espèces"],
        "de": ["Bar", "Gegeben", "BAR"],
        "es": ["Efectivo", "Entregado", "EFECTIVO"],
        "en": ["Cash", "CASH TENDERED", "Cash"],
    },
    "change": {
        "fr": ["Rendu", "RENDU MONNAIE", "Monnaie rendue"],
        "de": ["Rückgeld", "Zurück", "RÜCKGELD"],
        "es": ["Cambio", "Devolución", "CAMBIO"],
        "en": ["Change", "CHANGE DUE", "Change"],
    },
    "ticket": {
        "fr": ["Ticket", "N° ticket", "Ticket n°", "Transaction"],
        "de": ["Bon-Nr.", "Beleg-Nr.", "Bon", "Kassenbon"],
        "es": ["Ticket", "Nº ticket", "Fact. simplificada", "Nº Op."],
        "en": ["Receipt", "Trans #", "Receipt No.", "Ticket"],
    },
    "cashier": {
        "fr": ["Caissier", "Hôtesse", "Vendeur", "Caisse"],
        "de": ["Kassierer", "Es bediente Sie", "Bediener", "Kasse"],
        "es": ["Le atendió", "Cajero", "Vendedor", "Caja"],
        "en": ["Served by", "Cashier", "Operator", "Till"],
    },
    "thanks": {
        "fr": ["Merci de votre visite", "MERCI ET A BIENTOT", "Merci de votre fidélité", "Bonne journée !"],
        "de": ["Vielen Dank für Ihren Einkauf", "Danke und auf Wiedersehen", "Bis zum nächsten Mal!"],
        "es": ["Gracias por su visita", "GRACIAS POR SU COMPRA", "¡Vuelva pronto!"],
        "en": ["Thank you for shopping with us", "THANK YOU - PLEASE COME AGAIN", "Have a nice day!"],
    },
    "items": {
        "fr": ["Nombre d'articles", "NB ARTICLES", "Articles"],
        "de": ["Anzahl Artikel", "Artikel", "Positionen"],
        "es": ["Nº artículos", "Total artículos", "Unidades"],
        "en": ["Items", "No. of items", "Item count"],
    },
    "tip": {
        "fr": ["Pourboire", "Service (pourboire)"],
        "de": ["Trinkgeld", "Trinkgeld"],
        "es": ["Propina", "Propina"],
        "en": ["Tip", "Gratuity"],
    },
    "paid": {
        "fr": ["TOTAL PAYE", "Montant payé", "TOTAL REGLE"],
        "de": ["Bezahlt gesamt", "GESAMT INKL. TRINKGELD", "Gezahlt"],
        "es": ["TOTAL PAGADO", "Total con propina", "Importe pagado"],
        "en": ["TOTAL PAID", "Total incl. tip", "Amount paid"],
    },
    "discount": {
        "fr": ["Remise fidélité", "Remise immédiate", "Bon de réduction", "Promo -20%"],
        "de": ["Rabatt", "Treuerabatt", "Coupon", "Aktionsrabatt"],
        "es": ["Descuento", "Dto. socio", "Cupón descuento", "Promoción"],
        "en": ["Discount", "Loyalty saving", "Coupon", "Multibuy saving"],
    },
    "saved": {
        "fr": ["Vous avez économisé", "Économies réalisées"],
        "de": ["Sie haben gespart", "Ihre Ersparnis"],
        "es": ["Ha ahorrado", "Su ahorro"],
        "en": ["You saved", "Total savings"],
    },
    "points": {
        "fr": ["Points fidélité gagnés", "Solde carte fidélité"],
        "de": ["Bonuspunkte", "Punktestand"],
        "es": ["Puntos acumulados", "Saldo puntos"],
        "en": ["Points earned", "Points balance"],
    },
    "date": {"fr": ["Date", "Le"], "de": ["Datum", "Datum"], "es": ["Fecha", "Fecha"], "en": ["Date", "Date"]},
    "time": {"fr": ["Heure", "à"], "de": ["Uhrzeit", "Zeit"], "es": ["Hora", "Hora"], "en": ["Time", "Time"]},
}  # fmt: skip
VAT_WORD = {"fr": "TVA", "de": "MwSt", "es": "IVA", "gb": "VAT", "us": "Sales tax"}
NET_WORD = {"fr": "HT", "de": "Netto", "es": "Base", "gb": "Net", "us": "Net"}
GROSS_WORD = {"fr": "TTC", "de": "Brutto", "es": "Total", "gb": "Gross", "us": "Total"}


# --------------------------------------------------------------------------- rows


@dataclass
class Row:
    kind: str  # text | lr | rule | blank | barcode | cut
    left: str = ""
    right: str = ""
    align: str = "left"
    scale: float = 1.0
    bold: bool = False
    sans: bool = False
    faint: bool = False
    invert: bool = False


@dataclass
class Item:
    label: str
    qty: Decimal
    unit: Decimal
    rate: Decimal
    weight: bool = False

    @property
    def amount(self) -> Decimal:
        return (self.qty * self.unit).quantize(CENT, ROUND_HALF_UP)


@dataclass
class Receipt:
    index: int
    family: int
    lang: str
    region: str
    rng: random.Random
    money: MoneyStyle
    merchant: str = ""
    day: date = date(2026, 1, 1)
    hour: int = 12
    minute: int = 0
    second: int = 0
    date_style: str = "num4"
    rows: list[Row] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    discount: Decimal = Decimal(0)
    tip: Decimal = Decimal(0)
    paid: Decimal = Decimal(0)  # the truth: amount paid
    upper: bool = False
    cols: int = 40
    street: str = ""
    city: str = ""

    # ---- text helpers
    def lab(self, key: str) -> str:
        text = self.rng.choice(LABELS[key][self.lang])
        return text.upper() if self.upper else text

    def m(self, value: Decimal) -> str:
        return self.money.number(value)

    def c(self, value: Decimal) -> str:
        return self.money.cur(value)

    def date_text(self, d: date | None = None, style: str | None = None) -> str:
        return fmt_date(d or self.day, self.region, style or self.date_style)

    def time_text(self, seconds: bool | None = None) -> str:
        with_seconds = self.rng.random() < 0.4 if seconds is None else seconds
        return fmt_time(self.hour, self.minute, self.second, self.region, with_seconds)

    # ---- row helpers
    def text(self, text: str, align: str = "left", **kwargs: object) -> None:
        self.rows.append(Row("text", text, align=align, **kwargs))  # type: ignore[arg-type]

    def lr(self, left: str, right: str, **kwargs: object) -> None:
        self.rows.append(Row("lr", left, right, **kwargs))  # type: ignore[arg-type]

    def rule(self, char: str | None = None) -> None:
        self.rows.append(Row("rule", char or self.rng.choice("-=-*")))

    def blank(self) -> None:
        self.rows.append(Row("blank"))

    # ---- sums
    def gross(self) -> Decimal:
        return sum((i.amount for i in self.items), Decimal(0))

    def by_rate(self) -> dict[Decimal, Decimal]:
        """Gross per VAT rate after the discount (taken from the largest group)."""
        groups: dict[Decimal, Decimal] = {}
        for item in self.items:
            groups[item.rate] = groups.get(item.rate, Decimal(0)) + item.amount
        if self.discount and groups:
            largest = max(groups, key=lambda r: groups[r])
            groups[largest] -= self.discount
        return dict(sorted(groups.items()))

    def truth(self, name: str) -> dict[str, object]:
        return {
            "file": name,
            "total": str(self.paid.quantize(CENT)),
            "date": self.day.isoformat(),
            "merchant": self.merchant,
            "currency": self.money.code,
            "language": self.lang,
            "region": self.region,
            "family": self.family,
            "family_name": FAMILIES[self.family],
            "held_out": self.family in HELD_OUT_FAMILIES,
        }


def sign_name(rng: random.Random, trade: str, lang: str) -> str:
    template = rng.choice(SIGNS[trade][lang])
    return template.format(
        n=rng.choice(SURNAMES[lang]),
        f=rng.choice(FIRST_NAMES[lang]),
        p=rng.choice(PLACE_WORDS[lang]),
    )


def legal_name(r: Receipt) -> str:
    rng = r.rng
    surname = rng.choice(SURNAMES[r.lang])
    form = rng.choice(LEGAL_FORMS[r.region])
    if r.lang == "fr":
        core = rng.choice(
            [
                f"{surname.upper()} & FILS",
                f"DISTRIBUTION {surname.upper()}",
                f"{surname.upper()} ET ASSOCIES",
            ]
        )
        return f"{form} {core}" if rng.random() < 0.7 else f"{core} {form}"
    if r.lang == "de":
        return rng.choice(
            [f"{surname} Handels {form}", f"{surname} & Söhne {form}", f"{surname} Betriebs {form}"]
        )
    if r.lang == "es":
        return rng.choice(
            [
                f"{surname} e Hijos, {form}",
                f"Comercial {surname} {form}",
                f"Hermanos {surname}, {form}",
            ]
        )
    return rng.choice(
        [f"{surname} Retail {form}", f"{surname} & Sons {form}", f"{surname} Trading {form}"]
    )


def tax_id_line(r: Receipt) -> str:
    rng = r.rng
    digits = "".join(rng.choice("0123456789") for _ in range(14))
    if r.region == "fr":
        return rng.choice(
            [
                f"SIRET {digits[:3]} {digits[3:6]} {digits[6:9]} {digits[9:14]}",
                f"TVA intracom. FR{digits[:2]}{digits[2:11]}",
                f"SIRET {digits} - NAF {rng.randint(10, 96)}{rng.randint(10, 99)}{rng.choice('ABCZ')}",
            ]
        )
    if r.region == "de":
        return rng.choice(
            [
                f"USt-IdNr.: DE{digits[:9]}",
                f"St.-Nr. {digits[:2]}/{digits[2:5]}/{digits[5:10]}",
                f"UID DE {digits[:9]}",
            ]
        )
    if r.region == "es":
        letter = rng.choice("ABE")
        return rng.choice(
            [
                f"NIF: {letter}{digits[:8]}",
                f"C.I.F. {letter}-{digits[:8]}",
                f"NIF {digits[:8]}{rng.choice('JKLMN')}",
            ]
        )
    if r.region == "gb":
        return rng.choice(
            [f"VAT No. GB {digits[:3]} {digits[3:7]} {digits[7:9]}", f"VAT Reg: {digits[:9]}"]
        )
    return f"Store #{digits[:4]}"


def phone_line(r: Receipt) -> str:
    d = [str(r.rng.randint(0, 9)) for _ in range(10)]
    if r.region == "fr":
        return f"Tél. 0{r.rng.randint(1, 5)} {''.join(d[0:2])} {''.join(d[2:4])} {''.join(d[4:6])} {''.join(d[6:8])}"
    if r.region == "de":
        return f"Tel. 0{''.join(d[0:3])} {''.join(d[3:9])}"
    if r.region == "es":
        return f"Tlf. 9{''.join(d[0:2])} {''.join(d[2:5])} {''.join(d[5:8])}"
    if r.region == "gb":
        return f"Tel: 0{''.join(d[0:3])} {''.join(d[3:6])} {''.join(d[6:10])}"
    return f"({''.join(d[0:3])}) {''.join(d[3:6])}-{''.join(d[6:10])}"


def header(r: Receipt, trade_lines: list[str] | None = None, legal: float = 0.45) -> None:
    """The sign (large, bold, centred or left), maybe a legal-name line, address, phone, tax id."""
    rng = r.rng
    align = "center" if rng.random() < 0.8 else "left"
    sign = r.merchant.upper() if rng.random() < 0.55 else r.merchant
    r.text(sign, align, scale=rng.choice([1.4, 1.6, 1.8, 2.0]), bold=True, sans=rng.random() < 0.4,
           invert=rng.random() < 0.08)  # fmt: skip
    for line in trade_lines or []:
        r.text(line, align)
    if rng.random() < legal:
        r.text(legal_name(r), align)
    street, city = r.street, r.city
    r.text(street, align)
    r.text(city, align)
    if rng.random() < 0.75:
        r.text(phone_line(r), align)
    if rng.random() < 0.6:
        r.text(tax_id_line(r), align, faint=rng.random() < 0.3)
    r.rule()


def date_line(r: Receipt, labelled: bool | None = None) -> None:
    rng = r.rng
    when = r.date_text()
    time = r.time_text()
    if labelled if labelled is not None else rng.random() < 0.5:
        r.lr(f"{r.lab('date')}: {when}", f"{r.lab('time')}: {time}")
    elif rng.random() < 0.5:
        r.text(f"{when} {time}")
    else:
        ticket = f"{r.lab('ticket')} {rng.randint(1, 9999):04d}"
        r.lr(f"{when}  {time}", ticket)


def ticket_lines(r: Receipt) -> None:
    rng = r.rng
    if rng.random() < 0.7:
        r.lr(
            f"{r.lab('ticket')} {rng.randint(100, 99999)}",
            f"{r.lab('cashier')}: {rng.choice(FIRST_NAMES[r.lang])}",
        )
    if rng.random() < 0.3:
        r.text(
            f"Caisse {rng.randint(1, 12):02d}  Mag. {rng.randint(100, 999)}"
            if r.lang == "fr"
            else f"POS {rng.randint(1, 12)} / {rng.randint(100, 999)}"
        )


def item_rows(r: Receipt, letters: bool | None = None) -> None:
    """Items: name and amount, a 'qty x unit' line under multiples, weights in kg."""
    rng = r.rng
    letters = r.region in ("de", "gb") if letters is None else letters
    codes = {rate: "ABCD"[i] for i, rate in enumerate(sorted({i.rate for i in r.items}))}
    qty_first = rng.random() < 0.4
    for item in r.items:
        label = item.label.upper() if r.upper else item.label
        amount = r.m(item.amount) + (f" {codes[item.rate]}" if letters else "")
        if item.weight:
            r.lr(label, amount)
            kg = f"{item.qty:.3f}".replace(".", r.money.decimal)
            r.text(f"  {kg} kg x {r.m(item.unit)} {r.money.symbol}/kg")
        elif item.qty != 1 and qty_first:
            r.lr(f"{item.qty:.0f} x {label}", amount)
        elif item.qty != 1:
            r.lr(label, amount)
            r.text(f"  {item.qty:.0f} x {r.m(item.unit)}")
        else:
            r.lr(label, amount)


def vat_rows(r: Receipt, table: bool | None = None) -> None:
    """VAT per rate: a table (rate, net, VAT, gross) or one line per rate."""
    rng = r.rng
    groups = r.by_rate()
    if r.region == "us" or all(rate == 0 for rate in groups):
        return
    word = VAT_WORD[r.region]
    dec = r.money.decimal
    table = rng.random() < 0.5 if table is None else table
    if table:
        r.lr(
            f"{word} %   {NET_WORD[r.region]}",
            f"{word}    {GROSS_WORD[r.region]}",
            faint=rng.random() < 0.2,
        )
    for i, (rate, gross) in enumerate(groups.items()):
        vat = (gross * rate / (100 + rate)).quantize(CENT, ROUND_HALF_UP)
        net = gross - vat
        pct = f"{fmt_rate(rate, dec)}%"
        if table:
            code = "ABCD"[i] if r.region in ("de", "gb") else ""
            r.lr(f"{code}{pct:>5} {r.m(net):>8}", f"{r.m(vat)} {r.m(gross):>8}")
        elif r.lang == "es":
            r.lr(f"IVA {pct} Base {r.m(net)}", f"Cuota {r.m(vat)}")
        elif r.lang == "de":
            r.lr(f"{rng.choice(['MwSt', 'USt'])} {pct} von {r.m(gross)}", r.m(vat))
        else:
            r.lr(f"{word} {pct} ({NET_WORD[r.region]} {r.m(net)})", r.m(vat))


def cash_tendered(total: Decimal, rng: random.Random) -> Decimal:
    notes = [Decimal(x) for x in (5, 10, 20, 50, 100, 200)]
    above = [n for n in notes if n > total]
    if not above:
        return (total / 100).to_integral_value(rounding="ROUND_CEILING") * 100
    if rng.random() < 0.3:  # exact coins on top of a note
        return (total + Decimal(rng.choice([0, 1, 2]))).to_integral_value(rounding="ROUND_CEILING")
    return rng.choice(above[:2])


def payment_rows(r: Receipt, total: Decimal, cash_share: float = 0.35) -> str:
    """Cash (tendered and change) or card; returns 'cash' or 'card'."""
    rng = r.rng
    if rng.random() < cash_share:
        given = cash_tendered(total, rng)
        if given == total:
            given += Decimal(5)
        r.lr(r.lab("cash"), r.m(given))
        r.lr(r.lab("change"), r.m(given - total), bold=rng.random() < 0.3)
        return "cash"
    r.lr(r.lab("card"), r.m(total))
    return "card"


def total_row(r: Receipt, total: Decimal, label: str | None = None) -> None:
    rng = r.rng
    big = rng.random() < 0.6
    text = label or r.lab("total")
    amount = r.c(total) if rng.random() < 0.6 else r.m(total)
    r.lr(text, amount, bold=True, scale=rng.choice([1.0, 1.3, 1.5]) if big else 1.0)


def town(r: Receipt) -> str:
    """The town of the shop's address without its postcode, as a terminal prints it."""
    if r.region == "us":
        return r.city.split(",")[0]
    if r.region == "gb":
        return r.city.rsplit(" ", 2)[0]
    return r.city.split(" ", 1)[-1]


def card_slip(r: Receipt, amount: Decimal, merchant: str | None = None) -> None:
    """A payment-terminal customer copy: masked PAN, amount repeated, 'keep this ticket'."""
    rng = r.rng
    pan = f"{'#' if rng.random() < 0.3 else '*'}" * 12 + f"{rng.randint(0, 9999):04d}"
    slip_date = fmt_date(r.day, r.region, rng.choice(["num2", "num4"]))
    when = f"{slip_date} {fmt_time(r.hour, r.minute, r.second, r.region, True)}"
    name = (merchant or r.merchant).upper()[:24]
    city = town(r).upper()[:24]
    aid = rng.choice(["A0000000421010", "A0000000031010", "A0000000041010", "A0000000043060"])
    auth = f"{rng.randint(0, 999999):06d}"
    tid = f"{rng.randint(10000000, 99999999)}"
    amt = f"{r.m(amount)} {r.money.code}"
    lang = r.lang
    if lang == "fr":
        rows = ["CARTE BANCAIRE", rng.choice(["SANS CONTACT", "CB", "VISA"]), aid,
                f"LE {slip_date} A {fmt_time(r.hour, r.minute, r.second, 'fr', True)}",
                name, city, f"{tid} {rng.randint(100, 999)}", pan, f"{auth} C @",
                f"MONTANT= {amt}", "DEBIT", "TICKET CLIENT", "A CONSERVER"]  # fmt: skip
    elif lang == "de":
        rows = ["Kundenbeleg", name, city, f"Datum {when}", f"Terminal-ID {tid}",
                f"TA-Nr. {rng.randint(1, 99999):06d}  Beleg-Nr. {rng.randint(1, 9999):04d}",
                rng.choice(["girocard", "VISA", "Mastercard"]), "Kartenzahlung kontaktlos", pan,
                f"Betrag {amt}", "Zahlung erfolgt", "Bitte Beleg aufbewahren"]  # fmt: skip
    elif lang == "es":
        rows = [name, city, "COPIA PARA EL CLIENTE", f"Fecha: {when}", f"Comercio: {tid}",
                f"TARJETA {pan}", rng.choice(["VISA", "MASTERCARD", "MAESTRO"]), f"AID: {aid}",
                "VENTA", f"IMPORTE: {amt}", f"Nº autorización: {auth}", "OPERACION APROBADA"]  # fmt: skip
    else:
        rows = [name, city, "CUSTOMER COPY", rng.choice(["VISA DEBIT", "MASTERCARD", "AMEX"]),
                pan, f"AID {aid}", "SALE", "CONTACTLESS", f"TOTAL: {r.money.symbol}{r.m(amount)}",
                f"AUTH CODE: {auth}", when, "PLEASE RETAIN FOR YOUR RECORDS"]  # fmt: skip
    for line in rows:
        bold = line.startswith(("MONTANT", "Betrag", "IMPORTE", "TOTAL"))
        r.text(line, "center", bold=bold, faint=not bold and rng.random() < 0.1)


def footer(r: Receipt, points: float = 0.3) -> None:
    rng = r.rng
    if rng.random() < points:
        r.lr(r.lab("points"), str(rng.randint(3, 900)))
    if rng.random() < 0.8:
        r.text(r.lab("thanks"), "center", bold=rng.random() < 0.3)
    if rng.random() < 0.3:
        r.rows.append(Row("barcode"))


# --------------------------------------------------------------------------- content


def pick_items(r: Receipt, category: str, count: int, multi: float = 0.25) -> None:
    rng = r.rng
    choices = rng.sample(CATALOGUE[category], min(count, len(CATALOGUE[category])))
    names_index = LANGS.index(r.lang)
    for names, low, high, key in choices:
        rate_key, _, unit_kind = key.partition(" ")
        rate = Decimal(RATES[r.region][rate_key])
        unit = Decimal(rng.randint(low, high)) / 100
        if unit_kind == "kg":
            qty = Decimal(rng.randint(150, 2400)) / 1000
            r.items.append(Item(names[names_index], qty, unit, rate, weight=True))
            continue
        many = [2, 2, 3] if category == "meal" else [2, 2, 3, 4, 6]
        qty = Decimal(rng.choice(many)) if rng.random() < multi else Decimal(1)
        r.items.append(Item(names[names_index], qty, unit, rate))


def us_tax(r: Receipt, base: Decimal) -> Decimal:
    rate = Decimal(r.rng.choice(["6.25", "7.25", "8.875", "9.5", "8.0"]))
    tax = (base * rate / 100).quantize(CENT, ROUND_HALF_UP)
    r.lr(f"{r.rng.choice(['Sales tax', 'TAX', 'State tax'])} {rate.normalize():f}%", r.m(tax))
    return tax


def sums_block(r: Receipt, subtotal_share: float = 0.6, tip_follows: bool = False) -> Decimal:
    """Subtotal, discount, (US tax) and the total; returns the total."""
    rng = r.rng
    gross = r.gross()
    if rng.random() < subtotal_share or r.discount or r.region == "us":
        r.lr(r.lab("subtotal"), r.m(gross))
    if r.discount:
        r.lr(r.lab("discount"), r.m(-r.discount))
    total = gross - r.discount
    if r.region == "us":
        total += us_tax(r, total)
    total_row(r, total, label=r.lab("total_plain") if tip_follows else None)
    return total


# --------------------------------------------------------------------------- families


def family_supermarket_till(r: Receipt) -> None:
    rng = r.rng
    r.merchant = sign_name(rng, "supermarket", r.lang)
    header(r)
    if rng.random() < 0.4:
        date_line(r)
        r.rule()
    pick_items(r, "grocery", rng.randint(5, 14))
    if rng.random() < 0.4:
        r.discount = Decimal(rng.randint(50, 500)) / 100
    item_rows(r)
    r.rule()
    if rng.random() < 0.5:
        r.lr(r.lab("items"), str(int(sum(1 if i.weight else i.qty for i in r.items))))
    r.paid = sums_block(r)
    payment_rows(r, r.paid)
    if rng.random() < 0.5:
        r.rule()
        vat_rows(r)
    if r.discount and rng.random() < 0.7:
        r.lr(r.lab("saved"), r.c(r.discount + Decimal(rng.randint(0, 300)) / 100))
    r.rule()
    if not any(
        row.kind == "lr" and row.left.startswith(LABELS["date"][r.lang][0]) for row in r.rows
    ):
        date_line(r)
    ticket_lines(r)
    footer(r, points=0.5)


def family_bakery(r: Receipt) -> None:
    rng = r.rng
    r.merchant = sign_name(rng, "bakery", r.lang)
    header(r, legal=0.3)
    pick_items(r, "bakery", rng.randint(1, 5), multi=0.5)
    item_rows(r, letters=False)
    r.rule()
    r.paid = sums_block(r, subtotal_share=0.2)
    payment_rows(r, r.paid, cash_share=0.6)
    vat_rows(r, table=False)
    date_line(r)
    footer(r, points=0.1)


def family_cafe_bill(r: Receipt) -> None:
    rng = r.rng
    r.hour = rng.choice([9, 10, 12, 12, 13, 13, 14, 16, 19, 20, 20, 21, 22])
    r.merchant = sign_name(rng, "cafe", r.lang)
    header(r)
    title = {"fr": ["ADDITION", "Note", "Addition"], "de": ["RECHNUNG", "Rechnung", "Bewirtungsbeleg"],
             "es": ["CUENTA", "Factura simplificada", "TICKET"], "en": ["BILL", "Guest check", "Bill"]}  # fmt: skip
    r.text(rng.choice(title[r.lang]), "center", bold=True, scale=1.2)
    table = {"fr": "Table", "de": "Tisch", "es": "Mesa", "en": "Table"}[r.lang]
    covers = {"fr": "Couverts", "de": "Gäste", "es": "Comensales", "en": "Covers"}[r.lang]
    r.lr(
        f"{table} {rng.randint(1, 40)}  {covers}: {rng.randint(1, 6)}",
        rng.choice(FIRST_NAMES[r.lang]),
    )
    date_line(r, labelled=rng.random() < 0.4)
    r.rule()
    pick_items(r, "meal", rng.randint(1, 4), multi=0.4)
    pick_items(r, "drink", rng.randint(1, 4), multi=0.5)
    item_rows(r, letters=False)
    r.rule()
    tipped = rng.random() < 0.35
    total = sums_block(r, subtotal_share=0.2, tip_follows=tipped)
    vat_rows(r)
    if r.lang == "fr" and rng.random() < 0.4:
        r.text("Service compris", "center")
    r.paid = total
    if tipped:  # a tip after the total, then the amount paid
        r.tip = Decimal(rng.choice([100, 150, 200, 250, 300, 500])) / 100
        r.paid = total + r.tip
        r.lr(r.lab("tip"), r.m(r.tip))
        r.lr(r.lab("paid"), r.c(r.paid), bold=True)
    payment_rows(r, r.paid, cash_share=0.4)
    footer(r, points=0)


FUELS = {
    "fr": ["SP95-E10", "SP98", "Gazole", "E85"],
    "de": ["Super E10", "Super E5", "Diesel", "Super Plus"],
    "es": ["Sin Plomo 95", "Sin Plomo 98", "Gasóleo A", "Diesel e+"],
    "en": ["Unleaded", "Super Unleaded", "Diesel", "Premium Diesel"],
}


def family_fuel_station(r: Receipt) -> None:
    rng = r.rng
    r.merchant = sign_name(rng, "fuel", r.lang)
    header(r, legal=0.5)
    date_line(r)
    pump = {"fr": "Pompe", "de": "Säule", "es": "Surtidor", "en": "Pump"}[r.lang]
    litres = Decimal(rng.randint(8000, 65000)) / 1000
    price = Decimal(rng.randint(1399, 1999)) / 1000
    if r.region == "us":
        price = Decimal(rng.randint(2899, 4599)) / 1000
    fuel = rng.choice(FUELS[r.lang])
    item = Item(
        f"{pump} {rng.randint(1, 12)} {fuel}", litres, price, Decimal(RATES[r.region]["fuel"])
    )
    r.items.append(item)
    unit = "gal" if r.region == "us" else "L"
    r.lr(item.label, r.m(item.amount))
    dec = r.money.decimal
    r.text(
        f"  {f'{litres:.2f}'.replace('.', dec)} {unit} x {f'{price:.3f}'.replace('.', dec)} {r.money.symbol}/{unit}"
    )
    if rng.random() < 0.4:
        pick_items(r, "drink", 1)
        extra = r.items[-1]
        r.lr(extra.label, r.m(extra.amount))
    if rng.random() < 0.2:
        wash = {
            "fr": "Lavage Prog. 3",
            "de": "Autowäsche Prog. 2",
            "es": "Lavado Premium",
            "en": "Car wash Deluxe",
        }[r.lang]
        r.items.append(
            Item(
                wash,
                Decimal(1),
                Decimal(rng.randint(600, 1500)) / 100,
                Decimal(RATES[r.region]["std"]),
            )
        )
        r.lr(wash, r.m(r.items[-1].amount))
    r.rule()
    r.paid = sums_block(r, subtotal_share=0.3)
    payment_rows(r, r.paid, cash_share=0.25)
    vat_rows(r)
    ticket_lines(r)
    if rng.random() < 0.4:
        card_slip(r, r.paid)
    footer(r, points=0.2)


def family_pharmacy(r: Receipt) -> None:
    rng = r.rng
    r.merchant = sign_name(rng, "pharmacy", r.lang)
    header(r, legal=0.5)
    date_line(r)
    if rng.random() < 0.4:
        prescribed = r.day - timedelta(days=rng.randint(1, 20))
        word = {
            "fr": "Ordonnance du",
            "de": "Rezept vom",
            "es": "Receta del",
            "en": "Prescription dated",
        }[r.lang]
        r.text(f"{word} {r.date_text(prescribed)}")
    pick_items(r, "pharmacy", rng.randint(1, 6), multi=0.2)
    item_rows(r, letters=False)
    r.rule()
    total = sums_block(r, subtotal_share=0.3)
    r.paid = total
    if r.lang == "fr" and rng.random() < 0.5:  # tiers payant: the insurance pays part
        secu = (total * Decimal(rng.choice(["0.35", "0.5", "0.65"]))).quantize(CENT)
        mutuelle = ((total - secu) * Decimal(rng.choice(["0", "0.5", "0.8"]))).quantize(CENT)
        r.lr("Part Sécurité sociale", r.m(secu))
        r.lr("Part mutuelle", r.m(mutuelle))
        r.paid = total - secu - mutuelle
        r.lr(
            rng.choice(["Reste à payer", "RESTE A CHARGE", "Net à payer assuré"]),
            r.c(r.paid),
            bold=True,
        )
    elif r.lang == "de" and rng.random() < 0.4:
        r.lr("davon Zuzahlung", r.m(min(total, Decimal(5))))
    payment_rows(r, r.paid, cash_share=0.3)
    vat_rows(r)
    ticket_lines(r)
    footer(r, points=0.2)


DESTINATIONS = {
    "fr": ["Gare SNCF", "Aéroport", "Centre-ville", "Hôpital"],
    "de": ["Hauptbahnhof", "Flughafen", "Messe", "Klinikum"],
    "es": ["Aeropuerto", "Estación", "Hospital", "Centro"],
    "en": ["Airport", "Station", "City centre", "Hospital"],
}


def family_taxi(r: Receipt) -> None:
    rng = r.rng
    r.merchant = sign_name(rng, "taxi", r.lang)
    header(r, legal=0.2)
    title = {"fr": ["REÇU TAXI", "Note de taxi"], "de": ["Quittung", "Taxiquittung"],
             "es": ["RECIBO", "Recibo de taxi"], "en": ["RECEIPT", "Taxi receipt"]}  # fmt: skip
    r.text(rng.choice(title[r.lang]), "center", bold=True)
    licence = {"fr": "Licence n°", "de": "Ordnungs-Nr.", "es": "Licencia nº", "en": "Licence No."}[
        r.lang
    ]
    plate = {"fr": "Immat.", "de": "Kennzeichen", "es": "Matrícula", "en": "Reg."}[r.lang]
    r.lr(
        f"{licence} {rng.randint(10, 9999)}",
        f"{plate} {rng.choice(['AB-123-CD', 'HD-TX 412', '4821 KLM', 'LK19 TXE'])}",
    )
    date_line(r, labelled=True)
    start = {"fr": "Départ", "de": "Start", "es": "Origen", "en": "From"}[r.lang]
    end = {"fr": "Arrivée", "de": "Ziel", "es": "Destino", "en": "To"}[r.lang]
    r.text(f"{start}: {rng.choice(PLACES[r.region])[0]}")
    r.text(f"{end}: {rng.choice(DESTINATIONS[r.lang])}")
    km = Decimal(rng.randint(20, 450)) / 10
    r.text(f"{f'{km:.1f}'.replace('.', r.money.decimal)} km   Tarif {rng.choice('ABCD12')}")
    fare_word = {"fr": "Prix course", "de": "Fahrpreis", "es": "Importe carrera", "en": "Fare"}[
        r.lang
    ]
    rate = Decimal(RATES[r.region]["ride"])
    r.items.append(Item(fare_word, Decimal(1), Decimal(rng.randint(850, 9500)) / 100, rate))
    if rng.random() < 0.4:
        extra = {
            "fr": "Supplément bagages",
            "de": "Gepäckzuschlag",
            "es": "Suplemento aeropuerto",
            "en": "Extras",
        }[r.lang]
        r.items.append(
            Item(extra, Decimal(1), Decimal(rng.choice([100, 200, 250, 430, 550])) / 100, rate)
        )
    item_rows(r, letters=False)
    tipped = rng.random() < 0.3
    r.paid = sums_block(r, subtotal_share=0.3, tip_follows=tipped)
    vat_rows(r, table=False)
    if tipped:
        r.tip = Decimal(rng.choice([100, 200, 300])) / 100
        r.lr(r.lab("tip"), r.m(r.tip))
        r.paid += r.tip
        r.lr(r.lab("paid"), r.c(r.paid), bold=True)
    payment_rows(r, r.paid, cash_share=0.3)
    client = {"fr": "Nom du client", "de": "Fahrgast", "es": "Cliente", "en": "Passenger"}[r.lang]
    r.text(f"{client}: ____________", faint=True)
    footer(r, points=0)


def family_card_slip_only(r: Receipt) -> None:
    """The terminal slip alone: a narrow strip, the shop name printed by the terminal."""
    rng = r.rng
    trade = rng.choice(["bakery", "cafe", "supermarket", "pharmacy", "diy"])
    r.merchant = sign_name(rng, trade, r.lang).upper()[:24]
    r.cols = rng.randint(30, 36)
    r.paid = Decimal(rng.randint(250, 25000)) / 100
    r.rows.append(Row("blank"))
    card_slip(r, r.paid)
    if rng.random() < 0.5:
        r.rows.append(Row("blank"))
        r.text(r.lab("thanks"), "center")


def family_online_order_print(r: Receipt) -> None:
    """A printed order confirmation: proportional font, a delivery date after the order date."""
    rng = r.rng
    r.merchant = sign_name(rng, "online", r.lang)
    r.cols = rng.randint(44, 52)
    r.text(r.merchant, "left", scale=1.8, bold=True, sans=True)
    title = {
        "fr": "Confirmation de commande",
        "de": "Bestellbestätigung",
        "es": "Confirmación de pedido",
        "en": "Order confirmation",
    }[r.lang]
    r.text(title, "left", bold=True, sans=True, scale=1.2)
    order = {"fr": "Commande n°", "de": "Bestellnummer", "es": "Pedido nº", "en": "Order #"}[r.lang]
    r.text(f"{order} {rng.randint(100, 999)}-{rng.randint(1000000, 9999999)}", sans=True)
    placed = {
        "fr": "Date de commande",
        "de": "Bestelldatum",
        "es": "Fecha del pedido",
        "en": "Order date",
    }[r.lang]
    r.text(f"{placed}: {r.date_text(style=rng.choice(['text', 'num4']))}", sans=True)
    delivery = {
        "fr": "Livraison prévue le",
        "de": "Voraussichtliche Lieferung",
        "es": "Entrega estimada",
        "en": "Estimated delivery",
    }[r.lang]
    r.text(
        f"{delivery}: {r.date_text(r.day + timedelta(days=rng.randint(2, 9)), 'text')}",
        sans=True,
        faint=True,
    )
    r.rule("_")
    pick_items(r, "online", rng.randint(1, 4), multi=0.2)
    for item in r.items:
        r.lr(f"{item.qty:.0f} × {item.label}", r.c(item.amount), sans=True)
    shipping = {"fr": "Livraison", "de": "Versand", "es": "Envío", "en": "Shipping"}[r.lang]
    fee = Decimal(rng.choice([0, 0, 490, 590, 690])) / 100
    if fee:
        r.items.append(Item(shipping, Decimal(1), fee, Decimal(RATES[r.region]["std"])))
    r.lr(
        shipping,
        r.c(fee)
        if fee
        else {"fr": "Offerte", "de": "Kostenlos", "es": "Gratis", "en": "Free"}[r.lang],
        sans=True,
    )
    r.rule("_")
    total = r.gross()
    r.lr(r.lab("subtotal"), r.c(total - fee), sans=True)
    if r.region == "us":
        total += us_tax(r, total)
    r.lr(r.lab("total"), r.c(total), sans=True, bold=True, scale=1.2)
    r.paid = total
    for rate, gross in r.by_rate().items():
        if rate:
            vat = (gross * rate / (100 + rate)).quantize(CENT, ROUND_HALF_UP)
            r.text(f"dont {VAT_WORD[r.region]} {fmt_rate(rate, r.money.decimal)} % : {r.c(vat)}" if r.lang == "fr"
                   else f"{VAT_WORD[r.region]} {fmt_rate(rate, r.money.decimal)}%: {r.c(vat)}", sans=True)  # fmt: skip
    pay = {
        "fr": "Payé par Visa se terminant par",
        "de": "Bezahlt mit Mastercard endend auf",
        "es": "Pagado con tarjeta terminada en",
        "en": "Paid with Visa ending in",
    }[r.lang]
    r.text(f"{pay} {rng.randint(0, 9999):04d}", sans=True)
    r.text(tax_id_line(r), sans=True, faint=True)


def family_restaurant_with_card_slip(r: Receipt) -> None:
    family_cafe_bill_body(r)
    r.rows.append(Row("cut"))
    card_slip(r, r.paid)


def family_cafe_bill_body(r: Receipt) -> None:
    """The restaurant bill of the held-out family: the title first, the sign under it."""
    rng = r.rng
    r.hour = rng.choice([12, 12, 13, 13, 14, 19, 20, 20, 21, 22])
    r.merchant = sign_name(rng, "cafe", r.lang)
    title = {"fr": "Addition", "de": "Rechnung", "es": "Cuenta", "en": "Bill"}[r.lang]
    r.text(title.upper(), "center", scale=1.1)
    header(r, legal=0.5)
    server = {"fr": "Serveur", "de": "Bedienung", "es": "Camarero", "en": "Server"}[r.lang]
    r.lr(f"{server}: {rng.choice(FIRST_NAMES[r.lang])}", f"#{rng.randint(1, 60)}")
    pick_items(r, "meal", rng.randint(2, 6), multi=0.5)
    pick_items(r, "drink", rng.randint(1, 4), multi=0.5)
    item_rows(r, letters=False)
    r.rule()
    tipped = r.region in ("us", "gb", "es") and rng.random() < 0.5
    total = sums_block(r, subtotal_share=0.3, tip_follows=tipped)
    vat_rows(r, table=True)
    r.paid = total
    if tipped:
        service = (
            (total * Decimal("0.125")).quantize(CENT)
            if r.region == "gb"
            else Decimal(rng.randint(2, 9))
        )
        r.tip = service
        r.paid = total + service
        r.lr("Service charge 12.5%" if r.region == "gb" else r.lab("tip"), r.m(service))
        r.lr(r.lab("paid"), r.c(r.paid), bold=True)
    date_line(r)
    footer(r, points=0)


def family_parking_toll(r: Receipt) -> None:
    rng = r.rng
    r.merchant = sign_name(rng, "parking", r.lang)
    header(r, legal=0.5)
    toll = any(w in r.merchant for w in ("Autoroutes", "Autopista", "Toll"))
    if toll:
        r.text(
            {"fr": "Gare de péage", "de": "Mautstelle", "es": "Peaje", "en": "Toll plaza"}[r.lang]
            + f" {rng.randint(1, 40)}"
        )
        r.text(
            {"fr": "Classe 1", "de": "Klasse 1", "es": "Categoría ligeros", "en": "Class 2 car"}[
                r.lang
            ]
        )
        date_line(r, labelled=True)
    else:
        days = rng.choice([0, 0, 0, 1, 2])
        r.hour = max(r.hour, 12) if not days else r.hour
        in_hour, in_minute = rng.randint(6, 11), rng.randint(0, 59)
        minutes = days * 1440 + (r.hour * 60 + r.minute) - (in_hour * 60 + in_minute)
        word_in = {"fr": "Entrée", "de": "Einfahrt", "es": "Entrada", "en": "Entry"}[r.lang]
        word_out = {"fr": "Sortie", "de": "Ausfahrt", "es": "Salida", "en": "Exit"}[r.lang]
        entry = r.date_text(r.day - timedelta(days=days))
        r.text(f"{word_in}  {entry} {fmt_time(in_hour, in_minute, 0, r.region, False)}")
        r.text(f"{word_out}  {r.date_text()} {r.time_text(False)}")
        duration = {"fr": "Durée", "de": "Parkdauer", "es": "Tiempo", "en": "Duration"}[r.lang]
        r.text(f"{duration} {minutes // 60}h{minutes % 60:02d}")
    rate = Decimal(RATES[r.region]["park"])
    r.items.append(Item("fee", Decimal(1), Decimal(rng.randint(150, 6500)) / 100, rate))
    r.paid = r.gross()
    label = {"fr": "Montant payé", "de": "Betrag", "es": "Importe", "en": "Amount paid"}[r.lang]
    total_row(r, r.paid, label=label)
    vat_rows(r, table=False)
    payment_rows(r, r.paid, cash_share=0.2)
    r.text(f"{r.lab('ticket')} {rng.randint(10000, 999999)}", faint=True)
    footer(r, points=0)


def family_hotel_folio(r: Receipt) -> None:
    rng = r.rng
    r.merchant = sign_name(rng, "hotel", r.lang)
    header(r, legal=0.6)
    nights = rng.randint(1, 6)
    arrival = r.day - timedelta(days=nights)
    word = {"fr": ("Facture", "Chambre", "Arrivée", "Départ"), "de": ("Rechnung", "Zimmer", "Anreise", "Abreise"),
            "es": ("Factura", "Habitación", "Entrada", "Salida"), "en": ("Invoice", "Room", "Arrival", "Departure")}[r.lang]  # fmt: skip
    r.lr(f"{word[0]} {rng.randint(1000, 99999)}", f"{word[1]} {rng.randint(101, 520)}")
    r.text(f"{word[2]}: {r.date_text(arrival)}")
    r.text(f"{word[3]}: {r.date_text()}")
    r.rule()
    room = {"fr": "Nuitée", "de": "Übernachtung", "es": "Alojamiento", "en": "Room charge"}[r.lang]
    breakfast = {"fr": "Petit-déjeuner", "de": "Frühstück", "es": "Desayuno", "en": "Breakfast"}[
        r.lang
    ]
    r.items.append(
        Item(
            room,
            Decimal(nights),
            Decimal(rng.randint(6500, 24000)) / 100,
            Decimal(RATES[r.region]["room"]),
        )
    )
    if rng.random() < 0.6:
        r.items.append(
            Item(
                breakfast,
                Decimal(nights * rng.randint(1, 2)),
                Decimal(rng.randint(900, 2200)) / 100,
                Decimal(RATES[r.region]["meal"]),
            )
        )
    if rng.random() < 0.4:
        pick_items(r, "drink", 2, multi=0.5)
    city_tax = {"fr": "Taxe de séjour", "de": "City-Tax", "es": "Tasa turística", "en": "City tax"}[
        r.lang
    ]
    if r.region != "us" and rng.random() < 0.7:
        r.items.append(
            Item(
                city_tax,
                Decimal(nights),
                Decimal(rng.choice([88, 165, 250, 300])) / 100,
                Decimal(0),
            )
        )
    item_rows(r, letters=False)
    r.rule()
    r.paid = sums_block(r, subtotal_share=0.4)
    vat_rows(r, table=True)
    payment_rows(r, r.paid, cash_share=0.1)
    balance = {"fr": "Solde", "de": "Offener Betrag", "es": "Saldo pendiente", "en": "Balance"}[
        r.lang
    ]
    r.lr(balance, r.m(Decimal(0)), bold=True)
    r.text(f"{r.lab('date')}: {r.date_text()}")
    footer(r, points=0.1)


def family_diy_store_voucher(r: Receipt) -> None:
    rng = r.rng
    r.merchant = sign_name(rng, "diy", r.lang)
    header(r, legal=0.5)
    date_line(r)
    pick_items(r, "diy", rng.randint(2, 7), multi=0.3)
    for item in r.items:
        r.text(f"{rng.randint(1000000, 9999999)}", faint=True)
        label = item.label.upper() if r.upper else item.label
        r.lr(
            f"{item.qty:.0f} x {r.m(item.unit)} {label}" if item.qty != 1 else label,
            r.m(item.amount),
        )
    if rng.random() < 0.5:
        r.discount = (r.gross() * Decimal("0.1")).quantize(CENT)
    r.rule()
    r.paid = sums_block(r, subtotal_share=0.5)
    payment_rows(r, r.paid, cash_share=0.15)
    vat_rows(r, table=True)
    expiry = r.day + timedelta(days=rng.choice([30, 60, 90, 365]))
    voucher = Decimal(rng.choice([5, 10, 15]))
    text = {"fr": f"Bon d'achat {r.c(voucher)} valable jusqu'au {r.date_text(expiry)}",
            "de": f"Gutschein {r.c(voucher)} gültig bis {r.date_text(expiry)}",
            "es": f"Vale de {r.c(voucher)} válido hasta el {r.date_text(expiry)}",
            "en": f"Voucher {r.c(voucher)} valid until {r.date_text(expiry)}"}[r.lang]  # fmt: skip
    r.rule()
    r.text(text, bold=True)
    returns = {"fr": "Échange ou remboursement sous 30 jours", "de": "Umtausch innerhalb 30 Tagen",
               "es": "Cambios en 30 días con ticket", "en": "Returns within 28 days with receipt"}[r.lang]  # fmt: skip
    r.text(returns, "center", faint=True)
    ticket_lines(r)
    footer(r, points=0.4)


DRAW: list[Callable[[Receipt], None]] = [
    family_supermarket_till,
    family_bakery,
    family_cafe_bill,
    family_fuel_station,
    family_pharmacy,
    family_taxi,
    family_card_slip_only,
    family_online_order_print,
    family_restaurant_with_card_slip,
    family_parking_toll,
    family_hotel_folio,
    family_diy_store_voucher,
]


# --------------------------------------------------------------------------- rendering

_FONTS: dict[tuple[bool, bool, int], ImageFont.FreeTypeFont] = {}


def font(sans: bool, bold: bool, size: int) -> ImageFont.FreeTypeFont:
    key = (sans, bold, size)
    if key not in _FONTS:
        name = ("DejaVuSans" if sans else "DejaVuSansMono") + ("-Bold" if bold else "") + ".ttf"
        _FONTS[key] = ImageFont.truetype(str(FONT_DIR / name), size)
    return _FONTS[key]


@dataclass
class Pen:
    """Where and how the rows are drawn: paper width, margins, base size, ink."""

    draw: ImageDraw.ImageDraw
    width: int
    margin: int
    size: int
    line: int
    ink: int
    faint_ink: int
    y: int = 0

    @property
    def avail(self) -> int:
        return self.width - 2 * self.margin


def fitted(pen: Pen, text: str, row: Row) -> tuple[str, ImageFont.FreeTypeFont]:
    """The row's font, shrunk (headers) or the text cut (long labels) to fit the paper."""
    size = max(8, round(pen.size * row.scale))
    face = font(row.sans, row.bold, size)
    while face.getlength(text) > pen.avail and size > round(pen.size * 0.8):
        size -= 1
        face = font(row.sans, row.bold, size)
    while face.getlength(text) > pen.avail and len(text) > 4:
        text = text[:-1]
    return text, face


def draw_row(pen: Pen, row: Row, rng: random.Random) -> None:
    ink = pen.faint_ink if row.faint else pen.ink
    height = round(pen.line * max(row.scale, 1.0))
    if row.kind == "blank":
        pen.y += pen.line // 2
        return
    if row.kind in ("rule", "cut"):
        face = font(False, False, pen.size)
        char = "- " if row.kind == "cut" else row.left
        count = int(pen.avail / face.getlength(char))
        top = pen.y + (pen.line if row.kind == "cut" else 0)
        pen.draw.text(
            (pen.margin, top), (char * count)[: max(count, 1) * len(char)], font=face, fill=ink
        )
        pen.y += height * (3 if row.kind == "cut" else 1)
        return
    if row.kind == "barcode":
        x = pen.margin + pen.avail // 5
        while x < pen.width - pen.margin - pen.avail // 5:
            bar = rng.choice([1, 2, 2, 3])
            pen.draw.rectangle((x, pen.y + 4, x + bar - 1, pen.y + 4 + 2 * pen.line), fill=ink)
            x += bar + rng.choice([1, 2, 3])
        pen.y += 3 * pen.line
        return
    if row.kind == "lr":
        # a row too wide is printed smaller before its label is cut, never its amount
        size = max(8, round(pen.size * row.scale))
        right_face = font(row.sans, row.bold, size)
        while right_face.getlength(f"{row.left}  {row.right}") > pen.avail and size > round(
            pen.size * 0.8
        ):
            size -= 1
            right_face = font(row.sans, row.bold, size)
        right_width = right_face.getlength(row.right)
        left = row.left
        while right_face.getlength(left) + right_width + size // 2 > pen.avail and len(left) > 3:
            left = left[:-1]
        pen.draw.text((pen.margin, pen.y), left, font=right_face, fill=ink)
        pen.draw.text(
            (pen.width - pen.margin - right_width, pen.y), row.right, font=right_face, fill=ink
        )
        pen.y += height
        return
    text, face = fitted(pen, row.left, row)
    text_width = face.getlength(text)
    x = {
        "left": pen.margin,
        "center": (pen.width - text_width) / 2,
        "right": pen.width - pen.margin - text_width,
    }[row.align]
    if row.invert:
        pen.draw.rectangle(
            (x - 6, pen.y - 2, x + text_width + 6, pen.y + face.size * 1.25), fill=ink
        )
        pen.draw.text((x, pen.y), text, font=face, fill=255)
    else:
        pen.draw.text((x, pen.y), text, font=face, fill=ink)
    pen.y += height


def render(r: Receipt, faded: bool) -> Image.Image:
    """The clean paper: white, grey-scale, the rows drawn top to bottom."""
    rng = r.rng
    size = rng.randint(16, 20)
    char = font(False, False, size).getlength("0")
    margin = rng.randint(12, 28)
    width = round(r.cols * char) + 2 * margin
    while width > 600 and size > 14:
        size -= 1
        char = font(False, False, size).getlength("0")
        width = round(r.cols * char) + 2 * margin
    width = max(380 if r.family != 6 else 300, min(600, width))
    page = Image.new("L", (width, 4000), 255)
    ink = rng.randint(90, 125) if faded else rng.randint(0, 45)
    pen = Pen(ImageDraw.Draw(page), width, margin, size, round(size * rng.uniform(1.25, 1.5)), ink,
              min(200, ink + rng.randint(70, 110)), rng.randint(15, 40))  # fmt: skip
    for row in r.rows:
        draw_row(pen, row, rng)
        if pen.y > 3900:
            break
    return page.crop((0, 0, width, min(4000, pen.y + rng.randint(20, 60))))


def degrade(page: Image.Image, rng: random.Random, faded: bool) -> Image.Image:
    """Seeded, moderate capture noise: paper tone, lighting, faded print, background, rotation,
    blur, sensor noise, JPEG artefacts; OCR must stay possible."""
    nrng = np.random.default_rng(rng.randint(0, 2**32 - 1))
    pixels = np.asarray(page, dtype=np.float32)
    height, width = pixels.shape
    paper = rng.uniform(225, 252)
    pixels = pixels * (paper / 255.0)
    if faded:  # thermal head wear: light vertical streaks and dropouts in the ink
        streaks = 1.0 + 0.35 * (nrng.random(width) < 0.04)
        pixels = np.minimum(pixels * streaks[None, :], paper)
        dropouts = (nrng.random(pixels.shape) < 0.08) & (pixels < 160)
        pixels[dropouts] += 60
    angle = rng.uniform(0, 2 * np.pi)
    ramp = (
        np.cos(angle) * np.arange(width)[None, :] / width
        + np.sin(angle) * np.arange(height)[:, None] / height
    )
    ramp = (ramp - ramp.min()) / max(float(ramp.max() - ramp.min()), 1e-6)
    pixels = pixels * (1.0 - rng.uniform(0.0, 0.22) * ramp)
    image = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
    background = rng.randint(70, 180)
    border = rng.choice([0, 0, 8, 16, 30])
    if border:
        framed = Image.new("L", (width + 2 * border, height + 2 * border), background)
        framed.paste(image, (border, border))
        image = framed
    image = image.rotate(
        rng.uniform(-2.0, 2.0), resample=Image.Resampling.BICUBIC, expand=True, fillcolor=background
    )
    if rng.random() < 0.6:
        image = image.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 0.9)))
    noisy = np.asarray(image, dtype=np.float32) + nrng.normal(
        0, rng.uniform(1.5, 6.0), (image.height, image.width)
    )
    image = Image.fromarray(np.clip(noisy, 0, 255).astype(np.uint8))
    if image.width * image.height > MAX_PIXELS:
        scale = (MAX_PIXELS / (image.width * image.height)) ** 0.5
        image = image.resize(
            (int(image.width * scale), int(image.height * scale)), Image.Resampling.LANCZOS
        )
    if rng.random() < 0.3:  # a phone photo: warm colour cast
        tint = (1.0, rng.uniform(0.95, 1.0), rng.uniform(0.85, 0.95))
        channels = [image.point(lambda v, t=t: int(v * t)) for t in tint]
        image = Image.merge("RGB", channels)
    if rng.random() < 0.6:
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=rng.randint(45, 85))
        image = Image.open(io.BytesIO(buffer.getvalue()))
        image.load()
    return image


# --------------------------------------------------------------------------- forge


def make_receipt(index: int, family: int, lang: str, rng: random.Random) -> Receipt:
    region = lang if lang != "en" else ("gb" if rng.random() < 0.65 else "us")
    r = Receipt(index, family, lang, region, rng, money_style(rng, region))
    r.day = date(2024, 1, 1) + timedelta(days=rng.randint(0, 3 * 365))
    r.hour, r.minute, r.second = rng.randint(7, 22), rng.randint(0, 59), rng.randint(0, 59)
    r.date_style = rng.choice(DATE_STYLES)
    r.upper = rng.random() < 0.35
    r.cols = rng.randint(32, 46)
    r.street, r.city = rng.choice(PLACES[region])
    DRAW[family](r)
    return r


def receipt_for(seed: int, index: int) -> Receipt:
    """The receipt drawn for this seed and index: its family and language rotate with the
    index (every family gets all four languages), the rest comes from the seeded stream."""
    rng = random.Random(f"receipt:{seed}:{index}")
    family = index % len(FAMILIES)
    lang = LANGS[(index // len(FAMILIES) + index) % len(LANGS)]
    return make_receipt(index, family, lang, rng)


def forge(out_dir: Path, seed: int = 1, n: int = 120) -> list[dict[str, object]]:
    """Write n receipt images and truth.json into out_dir; return the truth entries."""
    out_dir.mkdir(parents=True, exist_ok=True)
    truths = []
    for index in range(n):
        receipt = receipt_for(seed, index)
        rng = receipt.rng  # the same stream goes on into the imaging noise
        faded = rng.random() < 0.2
        image = degrade(render(receipt, faded), rng, faded)
        name = f"{index:04d}-f{receipt.family:02d}-{receipt.lang}.png"
        image.save(out_dir / name, optimize=True)
        truths.append(receipt.truth(name))
    (out_dir / "truth.json").write_text(json.dumps(truths, indent=1, ensure_ascii=False))
    return truths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("-n", type=int, default=120)
    args = parser.parse_args(argv)
    truths = forge(args.out_dir, args.seed, args.n)
    print(f"{len(truths)} receipts in {args.out_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
