"""Lines of text -> fields of one document, each with a confidence.

Rules are language-general: keyword lists per language (FR, ES, EN, DE, plus Dutch where it
costs nothing) and layout cues (same line, next line, top of page). No per-merchant or per-file
rules. Confidence = how the value was found (keyword on the same line > nearby > fallback),
scaled by the OCR score of the line it came from.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import combinations

from . import labels as L
from .invoices import COLUMN_GAP, columns_apart, items_header, refine_invoice, unspaced_letters
from .layout import Box, Line
from .lexicon import (
    SHOP_WORDS,
    TRADE_WORDS,
    correct_name,
    correct_trade_words,
    in_dictionary,
    known_word,
    restore_letters,
    words_of,
)
from .model import UNKNOWN_RATE, ExtractedDocument, OwnParty
from .parsing import (
    _fold,
    detect_currency,
    find_amounts,
    find_dates,
    find_ibans,
    find_sirens,
    find_vat_numbers,
    siren_from_vat,
)


def _kw(*words: str) -> re.Pattern[str]:
    """A case- and accent-insensitive pattern matching any of `words` on word boundaries
    (applied to folded text)."""
    return re.compile(r"(?<![a-z])(?:" + "|".join(words) + r")(?![a-z])")


# --- totals ----------------------------------------------------------------------------------
# Labels of the amount the customer pays, strongest first. Weight 3: unambiguous grand total;
# 2: "total"-like; 1: weak (a line that merely says amount).
_TOTAL_STRONG = _kw(
    r"grand\s?total",
    r"total\s?ttc",
    r"montant\s?ttc",
    r"net\s?a\s?payer",
    r"total\s?a\s?payer",
    r"montant\s?a\s?payer",
    r"total\s?amount",
    r"amount\s?due",
    r"balance\s?due",
    r"total\s?due",
    r"total\s?payable",
    r"amount\s?payable",
    r"round(?:ed|ing)?\s?(?:d\s)?total",
    r"total\s?round(?:ed|ing)?",
    r"nett?\s?total",
    r"total\s?incl\w*",
    r"incl\.?\s?(?:gst|vat|tax)",
    # The tax said included after the total's word: "TOTAL (IVA INCL.)", "Gesamt inkl. MwSt",
    # "Montant TVA comprise", "Total with VAT".
    r"(?:total|gesamt|importe|montant|betrag)\W{0,3}(?:iva|tva|mwst|ust|vat|gst|tax|impuestos)"
    r"\W{0,3}(?:incl\w*|inkl\w*|included|incluid[oa]s?|inclus[ea]?|compris[ea]?)",
    r"(?:total|gesamt|importe|montant|betrag)\W{0,3}(?:incl\w*|inkl\w*|including|with|con|avec)"
    r"\W{0,3}(?:iva|tva|mwst|ust|vat|gst|tax|taxes|impuestos)",
    r"inclusive",
    r"gesamtbetrag",
    r"gesamtsumme",
    r"endbetrag",
    r"rechnungsbetrag",
    r"zu\s?zahlen",
    r"zahlbetrag",
    r"summe",
    r"total\s?a\s?pagar",
    r"importe\s?total",
    r"total\s?factura",
    r"te\s?betalen",
    r"totaalbedrag",
    r"total\s?sales",
    r"invoice\s?total",
    r"total\s?invoice",
    r"total\s?eur(?:os?)?",
    r"total\s?\(?rm\)?",
    r"total\s?usd",
)
_TOTAL_WEAK = _kw(
    r"total", r"totaal", r"gesamt", r"betrag", r"importe", r"montant", r"amount", r"nett?\s?amt"
)
# Lines whose amount is not the grand total even if they say "total".
_TOTAL_EXCLUDE = _kw(
    r"sub\s?-?\s?total\w*",
    # Subtotals of other languages and their till abbreviations: "Sous-total", "S/TOTAL",
    # "Z-SUMME" / "Zw.-Summe" (Zwischensumme).
    r"sous\s?-?\s?total\w*",
    r"s\s?/\s?total\w*",
    r"z\s?-\s?summe",
    r"zw\.?\s?-?\s?summe",
    r"total\s?ht",
    r"total\s?hors",
    r"hors\s?taxes?",
    r"\bht\b",
    r"total\s?excl\w*",
    r"excl\w*",
    r"before\s?tax",
    r"netto",
    r"taxable",
    r"total\s?tax",
    r"total\s?gst",
    r"(?:tax|gst|vat|tva|mwst|iva)\s?total",
    r"tax\s?amount",
    r"gst\s?amount",
    r"total\s?tva",
    r"montant\s?tva",
    r"total\s?qty",
    r"total\s?quantity",
    r"qty",
    r"quantity",
    r"total\s?items?",
    r"items?",
    r"artikel",
    # The count of articles ("TOTAL ARTÍCULOS 20", "Nombre d'articles 7").
    r"articulos",
    r"articles?",
    r"unidades",
    r"discount",
    r"savings?",
    r"remise",
    r"rabatt",
    r"change",
    r"rendu",
    r"ruckgeld",
    r"wechselgeld",
    r"gegeben",
    r"tendered",
    r"cash\s?received",
    r"received",
    r"vuelto",
    r"cambio",
    r"base\s?imponible",
    r"mwst",
    r"ust\b",
    r"tva",
    r"iva",
    r"gst\s?\d",
    r"points?",
    r"punkte",
    r"deposit",
    r"pfand",
)
# Payment lines: the paid amount echoes the total (helps confirm it) but cash given can be more.
_PAYMENT = _kw(
    r"cash",
    r"bar",
    r"visa",
    r"mastercard",
    r"master",
    r"card",
    r"carte",
    r"cb",
    r"ec[-\s]?cash",
    r"girocard",
    r"kreditkarte",
    r"efectivo",
    r"tarjeta",
    r"paid",
    r"payment",
    r"paiement",
    r"especes",
    r"zahlung",
    r"credit",
)

_AMOUNT_DUE = _kw(
    r"amount\s?due",
    r"balance\s?due",
    r"net\s?a\s?payer",
    r"reste\s?a\s?payer",
    r"montant\s?du",
    r"zu\s?zahlen",
    r"zahlbetrag",
    r"importe\s?a\s?pagar",
    r"total\s?due",
    r"a\s?payer",
    r"te\s?betalen",
    r"amount\s?payable",
)

# --- dates -----------------------------------------------------------------------------------
_ISSUE_DATE = _kw(
    r"invoice\s?date",
    r"date\s?of\s?invoice",
    r"date\s?de\s?(?:la\s?)?facture",
    r"date\s?facture",
    r"rechnungsdatum",
    r"belegdatum",
    r"fecha\s?(?:de\s?)?factura",
    r"fecha\s?de\s?emision",
    r"factuurdatum",
    r"date\s?d.emission",
    r"issue\s?date",
    r"date\s?of\s?issue",
    r"billing\s?date",
    r"bill\s?date",
    r"receipt\s?date",
)
_DATE_LABEL = _kw(r"date", r"datum", r"fecha", r"dated", r"le", r"du", r"dt", r"data")
_DUE_DATE = _kw(
    r"due\s?date",
    r"date\s?d.echeance",
    r"echeance",
    r"due",
    r"payable\s?(?:by|before|until)",
    r"faellig\w*",
    r"fallig\w*",
    r"zahlbar\s?bis",
    r"vencimiento",
    r"a\s?payer\s?avant",
    r"date\s?limite",
    r"vervaldatum",
    r"pay\s?by",
)
_NOT_ISSUE_DATE = _kw(
    r"period\w*",
    r"periode",
    r"zeitraum",
    r"leistungszeitraum",
    r"from",
    r"to",
    r"au",
    r"bis",
    r"valid\w*",
    r"expir\w*",
    r"exp",
    r"birth",
    r"naissance",
    r"delivery",
    r"livraison",
    r"lieferdatum",
    r"check[\s-]?out",
    r"order\s?date",
    r"commande",
    r"bestelldatum",
    r"prelevement",
    r"debit\w*",
)

# The date of another event printed on a receipt: when the order will arrive ("Livraison
# prévue le", "Voraussichtliche Lieferung", "Estimated delivery", "Entrega prevista"), the
# prescription a pharmacy ticket fills ("Ordonnance du", "Rezept vom", "Receta del").
_OTHER_EVENT_DATE = _kw(
    r"delivery",
    r"deliver(?:ed|s)?",
    r"arriv\w*",
    r"estimated",
    r"expected",
    r"livraison",
    r"livre\w*",
    r"prevue?s?",
    r"lieferung",
    r"lieferdatum",
    r"liefertermin",
    r"zustellung",
    r"voraussichtlich\w*",
    r"entrega",
    r"prevista",
    r"ordonnance",
    r"prescription",
    r"prescribed",
    r"rezept",
    r"verordnung",
    r"verordnet",
    r"receta",
    # A voucher's, a coupon's or a credit slip's end of validity ("Valable jusqu'au",
    # "Gültig bis", "Válido hasta", "Use by", "Expires").
    r"valable",
    r"jusqu\W?(?:au|a|en)",
    r"a\s?utiliser\s?avant",
    r"gultig",
    r"einlosbar",
    r"valido",
    r"hasta",
    r"caduca\w*",
    r"expir\w*",
    r"use\s?by",
    r"valid\s?(?:until|till|thru|through|to)",
    # The start of a stay or of a parking ("Arrivée", "Anreise", "Llegada", "Check-in",
    # "Einfahrt", "Entrée", "Entry", "Entrada"): the bill is dated when it ends.
    r"anreise",
    r"ankunft",
    r"llegada",
    r"check[\s-]?in",
    r"einfahrt",
    r"entree",
    r"entry",
    r"entrada",
)

# --- numbers and parties ---------------------------------------------------------------------
# A plausible invoice-number token: must contain a digit and not be a date or an amount.
_NUMBER_TOKEN = re.compile(r"^#?[A-Za-z0-9][A-Za-z0-9/_\-.]{1,39}$")

_CUSTOMER = _kw(
    r"factuuradres",
    r"afleveradres",
    r"rechnungsadresse",
    r"lieferadresse",
    r"adresse\s?de\s?livraison",
    r"bill\s?to",
    r"billed\s?to",
    r"invoice\s?to",
    r"sold\s?to",
    r"ship\s?to",
    r"customer",
    r"client",
    r"kunde",
    r"kundin",
    r"rechnungsempfanger",
    r"facture\s?a",
    r"facturer\s?a",
    r"adresse\s?de\s?facturation",
    r"cliente",
    r"facturar\s?a",
    r"destinataire",
    r"destinatario",
    r"klant",
    r"buyer",
    r"acheteur",
    r"shipping\s?address",
    r"billing\s?address",
)

_CREDIT_NOTE = _kw(
    r"credit\s?note",
    r"avoir",
    r"facture\s?d.avoir",
    r"gutschrift",
    r"nota\s?de\s?credito",
    r"factura\s?rectificativa",
    r"creditnota",
    r"credit\s?memo",
)
_INVOICE_WORD = _kw(
    r"invoice", r"facture", r"rechnung", r"factura", r"factuur", r"fattura", r"tax\s?invoice"
)

# Legal forms that mark a company name (any language); a line with one is the supplier's name.
# Not after a digit: "Bauernbrot 1kg", "0.774 kg x 9.30" print a unit, not a company's form; not
# inside a word with accented letters ("Martínez" is no MART).
_LEGAL_FORM = re.compile(
    r"(?<![^\W_])(?:SDN\.?\s?BHD|BHD|S/B|LTD|LIMITED|PLC|LLC|INC|CORP|GMBH|AG|(?<!\d\s)(?<!/)KG|OHG|E\.?K\.?|UG|"
    r"SARL|SAS|SASU|EURL|SA|SNC|S\.A\.S?|S\.L\.?U?|SL|SLU|B\.?V\.?|N\.?V\.?|PVT|LLP|ENTERPRISES?|"
    r"TRADING|RESTAURANT|RESTORAN|MARKET|MART|STORE|SHOP|HARDWARE|STATIONERY|FOOD|BAKERY|CAFE|"
    r"PHARMACY|APOTHEKE|MARKT|SUPERMARKT|HOTEL|SERVICES?|INDUSTRIES|HOLDINGS?)(?![^\W\d_])",
    re.IGNORECASE,
)
# Malay trade words that open a shop's name ("KEDAI RUNCIT ...", "SYARIKAT PERNIAGAAN ...":
# shop, company, business, pharmacy, supermarket, wholesale), where English ones close it.
_SHOP_PREFIX = re.compile(
    r"(?<![^\W_])(?:KEDAI|SYARIKAT|PERNIAGAAN|PERUSAHAAN|FARMASI|PASAR\s?RAYA|PASAR\s?MINI|BORONG)(?![^\W\d_])",
    re.IGNORECASE,
)
# Legal forms proper (a name usually ends with one), stronger evidence than trade words.
_LEGAL_SUFFIX = re.compile(
    r"(?<![^\W_])(?:SDN\.?\s?BHD|BHD|S/B|LTD|LIMITED|PLC|LLC|INC|CORP|GMBH|AG|(?<!\d\s)(?<!/)KG|OHG|UG|SARL|"
    # "S.L" as well: a name's last full stop is cleaned off ("Hermanos Ruiz, S.L.").
    r"SAS|SASU|EURL|SNC|S\.A\.S?|S\.L\.?U?|SLU|B\.?V\.?|N\.?V\.?|PVT|LLP|PLT)(?![^\W\d_])\.?",
    re.IGNORECASE,
)

# "Julien Chevalier El": the French sole trader's mention "EI" (entrepreneur individuel) read
# with a small L, as the Spanish article, which never ends a name.
_SOLE_TRADER_READ_EL = re.compile(r"(?<=\w )El$")
# "Salescompany Itd": "ltd" with its small L read as a capital I (no word is "Itd").
_LIMITED_READ_ITD = re.compile(r"(?<=\w )Itd(?=\.?$)")

# A country alone is not a name; ending one, it is the national company of a group, above its
# legal form ("Kirin Denki Malaysia" / "Sdn Bhd", "Ikea Deutschland" / "GmbH & Co. KG").
_COUNTRIES = r"nederland|deutschland|germany|france|espana|spain|belgique|belgie|malaysia|india"
_COUNTRY = _kw(_COUNTRIES)

# Lines that are not a name: document titles, contact data, boilerplate.
_NOT_A_NAME = _kw(
    r"invoice",
    r"tax\s?invoice",
    r"receipt",
    r"facture",
    r"rechnung",
    r"factura",
    r"quittung",
    r"kassenbon",
    r"ticket",
    r"bon",
    r"beleg",
    r"cash\s?bill",
    r"bill",
    r"welcome",
    r"bienvenue",
    r"willkommen",
    r"bienvenido",
    r"tel(?:e?f\w*|e?ph\w*|p|ex)?",  # not "TELE TAXI": a sign may start with tele
    r"tlf",
    r"fax",
    r"phone",
    r"www",
    r"http\w*",
    r"email",
    r"e-mail",
    r"gst",
    r"vat",
    r"tva",
    r"ust",
    r"reg\w*",
    r"no",
    r"date",
    r"datum",
    r"page",
    r"original",
    r"copy",
    r"duplicate",
    r"thank\w*",
    r"danke",
    r"merci",
    r"simplified",
    r"tax",
    r"co\s?reg",
    r"factuur",
    r"kopie",
    r"copie",
    r"copia",
    _COUNTRIES,
    r"company\s?reg",
    r"order",
    r"commande",
    r"statement",
    # Receipt titles of other languages ("Kassenbeleg", "Facturette", "Recibo", "Duplicata").
    r"[a-z]*beleg",
    r"kassenzettel",
    r"duplicata",
    r"facturette",
    r"recibo",
    r"tique",
    r"addition",
    # The till and who served ("Cajero: Ana", "Le atendió", "Table 5 Couverts 2").
    r"cashier",
    r"caissier\w*",
    r"cajer[oa]",
    r"kassierer\w*",
    r"le\s?atendio",
    r"atendido",
    r"served\s?by",
    r"camarer[oa]",
    r"serveur",
    r"(?:table|tisch|mesa)\s?(?:no\.?|nr\.?|#|:)?\s?\d+",
    r"couverts",
    # Thanks and good wishes ("Gracias por su visita", "Vielen Dank für Ihren Einkauf").
    r"gracias",
    r"vielen\s?dank",
    r"buen\s?provecho",
    r"bon\s?appetit",
    r"au\s?revoir",
    r"a\s?bientot",
    r"hasta\s?pronto",
    r"auf\s?wiedersehen",
    # Malay: receipt, official receipt, invoice, tax, thank you, welcome, total, date.
    r"resit",
    r"invois",
    r"cukai",
    r"terima\s?kasih",
    r"selamat\s?datang",
    r"jumlah",
    r"tarikh",
    # Payment lines and the footer's returns policy ("PAYMENT TYPE: CASH", "Chit number",
    # "Goods sold are not returnable"): the till's words, never a shop's.
    r"payment\w*",
    r"pembayaran",
    r"chit",
    r"number",
    r"goods\s?sold",
    r"(?:not\s?)?(?:returnable|refundable|exchangeable)",
    # Tax and registry numbers ("SIRET", "N.I.F.", "St.-Nr.").
    r"siret",
    r"siren",
    r"nif",
    r"cif",
    r"n\.i\.f",
    r"c\.i\.f",
    r"steuer\s?-?(?:nr|nummer|id\w*)",
    r"steuernummer",
    r"st\.?-?nr",
)
# A company's legal notice, not its name even though it carries the legal form ("SAS au
# capital de 10 000 EUR", "RCS Paris B 123 456 789", "Amtsgericht Köln HRB 1234"), and
# opening hours.
_LEGAL_NOTICE = _kw(
    r"au\s?capital",
    r"capital\s?social",
    r"capital\s?de",
    r"stammkapital",
    r"grundkapital",
    r"rcs",
    r"r\.c\.s",
    r"amtsgericht",
    r"registergericht",
    r"handelsregister",
    r"hrb",
    r"registro\s?mercantil",
    r"inscrita",
    r"company\s?registered",
    r"registered\s?in",
    r"registered\s?office",
    # Opening hours ("Horaires d'ouverture", "Öffnungszeiten", "Mo-Sa 8-20 Uhr": SA there is
    # Saturday, not a legal form).
    r"horaires?",
    r"offnungszeiten",
    r"horario",
    r"opening\s?hours",
    r"(?:shopping|business|office|trading)\s?hours",
    r"hrs",
    r"uhr",
    r"\d{1,2}h(?:\d{2})?\s?(?:-|a)\s?\d{1,2}h(?:\d{2})?",
)
# An e-mail address.
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
# Words that say what kind of shop it is, never which one ("BISTRO & CAFE", "Boulangerie -
# Pâtisserie", "RESTAURANT"): a line of these alone describes the sign printed over it.
_TRADE_ONLY = re.compile(
    r"(?:(?:restaurants?|restoran|restaurante|bistro|brasserie|bar|pub|grill|cafe|café|"
    r"cafeteria|coffee|kitchen|pizzeria|trattoria|deli|bakery|bakeries|boulangerie|"
    r"p[aâ]tisserie|panaderia|panadería|pasteleria|pastelería|b[aä]ckerei|konditorei|imbiss|"
    r"market|mart|supermarket|minimarket|supermarch[eé]|supermercado|markt|supermarkt|store|"
    r"shop|boutique|tienda|laden|pharmacy|pharmacie|farmacia|apotheke|hardware|stationery|"
    r"food|hotel|trading|services?|enterprises?|tabac|presse|kiosk|"
    r"kedai|runcit|farmasi|pasaraya|borong|kopitiam|makanan|minuman|"
    r"&|and|et|und|y|[-/+.,|])\s*)+",
    re.IGNORECASE,
)
_ADDRESS_HINT = re.compile(
    r"\d{4,6}|\b(?:jalan|jln|taman|street|st\.|road|rd\.?|avenue|ave|rue|strasse|straße|str\.|"
    r"calle|avenida|lot|no\.)\b"
    # Premises and the street words of other countries: "Unit 4, Riverside Park", "Level 6,
    # Wisma ...", "Allée des Tilleuls", "Paseo Marítimo", "Avda. de ...", "C/ Mayor 12".
    r"|\b(?:unit|suite|floor|flr|level|block|blok|tingkat|wisma|menara|lorong|persiaran|"
    r"boulevard|allee|allée|gasse|chemin|impasse|quai|paseo|avda|pza|carrer|ctra|"
    r"plaza|plaça|praça|piazza|lrg)\b"
    # Malaysian towns, villages and sections, and the honorifics of its states' names:
    # "BANDAR BARU PERMAS JAYA", "Kampung Baru", "Seksyen 13", "SELANGOR DARUL EHSAN".
    r"|\b(?:bandar|kampung|kg\.|seksyen|tmn|lebuh(?:raya)?|darul\s(?:ehsan|takzim|ta'zim|aman|"
    r"makmur|naim|khusus|ridzuan|hana|iman|jannah|salam))\b"
    # A Spanish or Italian street, a comma, then its number ending the line: "Gran Vía, 27".
    r"|[^\W\d_]{3,},\s?\d{1,4}[a-z]?$"
    r"|\b(?:bd|blvd)\.?\s+[^\W\d_]|(?<![^\W\d_])c/\s?[^\W\d_]"
    # A German street written as one word, then its number: "Bahnhofstraße 12", "Marktplatz 3".
    r"|[^\W\d_]{3,}(?:straße|strasse|str\.|weg|platz|allee|gasse|damm|ring|ufer)\s?\d"
    # A British postcode: "NW1 6XE", "M1 2AB".
    r"|\b[A-Z]{1,2}\d[A-Z\d]?\s\d[A-Z]{2}\b"
    # The house number first, then the street, ending with its kind (British, American,
    # Irish, Australian): "8 Market Place", "36 Harbor Blvd", "12a Mill Lane".
    r"|^\d{1,5}[a-z]?,?\s+(?:[^\W\d_][^\W\d_'.-]*\s+){1,4}(?:place|pl|lane|ln|way|drive|dr|"
    r"close|court|ct|square|sq|row|terrace|crescent|parade|mews|grove|gardens|green|hill|walk|"
    r"street|road|avenue|ave|blvd|boulevard|highway|hwy|parkway|pkwy|circle|cir)\.?$"
    # The house number first, then a French street word: "8 place du Marché", "3 cours Vitton".
    r"|^\d{1,4}(?:\s?(?:bis|ter))?,?\s+(?:place|route|cours|chemin|all[ée]e|impasse|quai|"
    r"faubourg|passage|square)\s",
    re.IGNORECASE,
)


_OCR_L = re.compile(r"(?<=[a-z])[1|](?=[a-z]|\b)|(?<=\b)[1|](?=[a-z]{2})")
# A letter O read as a zero inside a word, or heading one ("0rdonnance", "T0TAL").
_OCR_O = re.compile(r"(?<=[a-z])0(?=[a-z])|(?<![\w.,])0(?=[a-z]{3})")


def _label_text(text: str) -> str:
    """Folded text for keyword search, with the commonest OCR letter/digit swaps inside words
    undone ("Tota1" -> "total", "T0TAL" -> "total"); same length, so offsets still match."""
    folded = _fold(text)
    folded = _OCR_L.sub("l", folded)
    return _OCR_O.sub("o", folded)


@dataclass
class _Candidate:
    value: object
    score: float
    line: int


# Lines of one document the field rules read at most; see `extract_fields`.
MAX_FIELD_LINES = 3000


def extract_fields(
    lines: list[Line], *, source: str, own: OwnParty | None = None
) -> ExtractedDocument:
    """Fields of one document from its lines (already in reading order).

    `own` is the organisation the document was sent to (optional): on invoices, the block
    that carries its name, VAT or SIREN is the buyer's, so the supplier is the other party.
    """
    doc = ExtractedDocument(text_source=source)
    if not lines:
        return doc
    if len(lines) > MAX_FIELD_LINES:
        # Headers are at the top and totals at the bottom: a document this long (a hostile
        # or broken text layer; real invoices have a few hundred lines) is read from its
        # first and last lines only, so that the rules' cost stays bounded.
        half = MAX_FIELD_LINES // 2
        lines = lines[:half] + lines[-half:]
    texts = [line.text for line in lines]
    if source == "ocr":
        # "RMI11.90", "€l2,50": a 1 read as I or l right after a currency marker.
        texts = [_CURRENCY_ONE.sub(r"\g<1>\g<2>1", t) for t in texts]
    folded = [_label_text(t) for t in texts]
    quality = [line.score if source == "ocr" else 1.0 for line in lines]
    full_text = "\n".join(texts)

    _fill_totals(doc, lines, texts, folded, quality)
    _fill_dates(doc, lines, texts, folded, quality)
    _fill_identifiers(doc, texts, folded)
    _fill_invoice_number(doc, lines, quality)
    _fill_names(doc, lines, texts, folded, quality)

    currency, currency_conf = detect_currency(full_text)
    if currency:
        doc.currency = currency
        doc.confidence["currency"] = round(currency_conf, 3)

    kind, kind_confidence = _document_kind(lines, folded, source)
    if kind != "receipt":
        refine_invoice(doc, lines, own=own)
    if source == "ocr" and doc.supplier_name:
        doc.supplier_name = _SOLE_TRADER_READ_EL.sub("EI", doc.supplier_name)
        doc.supplier_name = _LIMITED_READ_ITD.sub("ltd", doc.supplier_name)
    if kind == "receipt":
        _reconcile_cash(doc, texts, folded)
        if source == "ocr":
            _restore_leading_digit(doc, texts, folded)
    doc.document_type = kind
    if kind != "receipt" and doc.total is not None and doc.total < 0:
        doc.document_type = "credit_note"
        kind_confidence = max(kind_confidence, 0.85)
    doc.confidence["document_type"] = kind_confidence
    return doc


_CURRENCY_ONE = re.compile(r"(RM|€|\$)(\s?)[Il|](?=\d)")

# A German "Gutschrift" is also the self-billed invoice a buyer issues (§14 UStG); said so, it
# is an invoice, not a credit note.
_SELF_BILLED = L.kw(
    r"selbst\s?ausgestellte\s?rechnung",
    r"self[\s-]?billed?\w*",
    r"autofactur\w*",
    r"autofacturacion",
    r"gutschriftsverfahren",
)
# "Less credit note CN-12", "abzüglich Gutschrift": a credit note deducted on an invoice is
# mentioned, not the document's title.
_DEDUCTION = L.kw(
    r"less",
    r"minus",
    r"deduct\w*",
    r"applied",
    r"moins",
    r"deduction",
    r"deduit\w*",
    r"abzuglich",
    r"abzgl",
    r"verrechnet\w*",
    r"menos",
    r"descontad\w*",
)
_RECEIPT_CUES = L.kw(
    r"change",
    r"tendered",
    r"ruckgeld",
    r"wechselgeld",
    r"rendu",
    r"cambio",
    r"vuelto",
    r"thank\s?you",
    r"danke",
    r"merci",
    r"gracias",
    r"kassenbon",
    r"kassenbeleg",
    r"bon\s?nr",
    r"cashier",
    r"kasse",
    r"caissier",
    r"cajero",
    r"ticket\s?de\s?caisse",
    r"tse",
)
_INVOICE_CUES = L.kw(
    r"due\s?date",
    r"echeance",
    r"f(?:a|ae)llig\w*",
    r"zahlbar",
    r"vencimiento",
    r"payment\s?terms",
    r"conditions?\s?de\s?paiement",
    r"zahlungsbedingungen",
    r"iban",
    r"bill\s?to",
    r"kunden\s?-?\s?nr\w*",
    r"n[°º]\s?client",
    r"customer\s?(?:no|number|id)",
)


# The share of the first page, from its top, where a title is looked for.
TITLE_AREA = 0.4


def _document_kind(lines: list[Line], folded: list[str], source: str) -> tuple[str, float]:
    """Receipt, invoice or credit note, from the title (the top of the first page) and the
    kind of text: a PDF text layer is an invoice unless it says it is a receipt; a photo is
    a receipt unless it is titled as an invoice and shows invoice cues (terms, a due date,
    a buyer) rather than till cues (change, cashier)."""
    first_page = lines[0].page
    top = " ".join(f for f, line in zip(folded, lines, strict=True) if line.page == first_page)
    # The title stands among the first lines, or in the top part of the first page: a
    # letter's title comes after its letterhead, address window and office hours.
    height = max(line.y1 for line in lines if line.page == first_page)
    head = " ".join(
        f
        for i, (f, line) in enumerate(zip(folded, lines, strict=True))
        if i < max(15, len(folded) // 3)
        or (line.page == first_page and line.y0 < TITLE_AREA * height)
    )
    everything = " ".join(folded)
    credit = any(
        not _DEDUCTION.search(head, max(0, mention.start() - 25), mention.start())
        for mention in L.TITLE_CREDIT_NOTE.finditer(head)
    )
    if credit and not _SELF_BILLED.search(head):
        return "credit_note", 0.85
    if _CREDIT_NOTE_CODE.search(everything):
        return "credit_note", 0.85
    invoice_title = bool(L.TITLE_INVOICE.search(head))
    receipt_title = bool(L.TITLE_RECEIPT.search(head))
    receipt_cues = len(_RECEIPT_CUES.findall(everything))
    invoice_cues = len(_INVOICE_CUES.findall(top))
    # A photo is one page; a document of several pages is a PDF even where a page is scanned.
    if source == "pdf_text" or lines[-1].page > 1:
        if receipt_title and not invoice_title and receipt_cues:
            return "receipt", 0.7
        return "invoice", 0.9 if invoice_title else 0.7
    invoice_cues += _invoice_mentions(folded)
    if invoice_title and invoice_cues > receipt_cues:
        return "invoice", 0.7
    return "receipt", 0.8 if receipt_cues or receipt_title else 0.6


# E-invoice viewers print the document's type as its UNTDID 1001 code ("Rechnungsart: 381",
# "Invoice type: 381"): the credit notes' codes (a self-billed, a factored, a forwarder's).
_CREDIT_NOTE_CODE = re.compile(
    r"\b(?:(?:invoice|document)\s?type(?:\s?code)?|rechnungsart|rechnungstyp|belegart"
    r"|type\s?de\s?(?:la\s?)?(?:facture|document)|tipo\s?de\s?(?:factura|documento))"
    r"\s?:?\s?(?:381|261|262|396|532)\b"
)


# A till receipt says "Customer copy" or "Ticket client": only the captions of a billing
# block are an invoice's ("Bill to", "Adresse de facturation", "Rechnungsempfänger").
_ANY_CUSTOMER = frozenset({"client", "cliente", "customer", "kunde", "kundin"})


# A till's tendered line: the cash handed over and its amount alone on the line.
# (Possessive `\s*+`: what follows each run never starts with a space, so giving spaces
# back never helps a match, and a long run of spaces stays linear instead of polynomial.)
_CASH_TENDERED_LINE = re.compile(
    r"\s*+(?:cash|tunai|especes|efectivo|bargeld|bar)\s*+(?:rm|eur|€|\$)?\s*+[:.]?\s*+"
    r"(?:rm|eur|€|\$)?\s*+\d[\d ,.]*[.,]\d{2}\s*$"
)


def _invoice_mentions(folded: list[str]) -> int:
    """How many of an invoice's own mentions the folded lines label, each within a line:
    its number ("Invoice No", "Numéro de facture"), its date ("Invoice date", "Fecha de
    factura"), a billing block's caption. A scanned invoice shows them where a till receipt ("Tax invoice",
    "Invoice No" over a till roll) shows one at most, so two or more are invoice cues."""
    if any(_CASH_TENDERED_LINE.match(f) for f in folded):
        return 0  # "CASH : 101.75": a till took the money; its "Bill To: CASH" is no buyer
    buyer = any(m.group(0) not in _ANY_CUSTOMER for f in folded for m in L.BUYER.finditer(f))
    found = (
        any(L.INVOICE_NUMBER.search(f) for f in folded)
        + any(L.ISSUE_DATE.search(f) for f in folded)
        + buyer
    )
    return found if found >= 2 else 0


def _reconcile_cash(doc: ExtractedDocument, texts: list[str], folded: list[str]) -> None:
    """Receipts: the total is what was paid, not the cash handed over. When the chosen total
    equals a tendered amount and a change line is printed, tendered - change is the total
    if it is printed too."""
    if doc.total is None:
        return
    tendered: list[Decimal] = []
    change: list[Decimal] = []
    printed: Counter[Decimal] = Counter()
    for text, f in zip(texts, folded, strict=True):
        values = _line_amounts(text, integers=False)
        printed.update(values)
        if not values:
            continue
        if L.CHANGE.search(f):
            change.append(values[-1])
        elif L.TENDERED.search(f):
            tendered.append(values[-1])
    if not change or not tendered:
        return
    for cash in tendered:
        for back in change:
            paid = cash - abs(back)  # "20.00-": some tills print the change negative
            if paid <= 0:
                continue
            if doc.total == paid:
                doc.confidence["total"] = max(doc.confidence.get("total", 0.0), 0.9)
                return
            digits = re.sub(r"\D", "", f"{paid:.2f}")
            on_total_line = any(
                (_TOTAL_STRONG.search(f) or _TOTAL_WEAK.search(f) or L.DUE.search(f))
                and digits in re.sub(r"\D", "", text)
                for text, f in zip(texts, folded, strict=True)
            )
            # Cash handed over minus change given back is what was paid: the total, when the
            # receipt prints it (a change of 0 makes it the cash itself, printed twice).
            seen = printed[paid] >= (2 if back == 0 else 1)
            if (seen or on_total_line) and (doc.total == cash or on_total_line or seen):
                doc.total = paid
                doc.confidence["total"] = 0.85
                return


def _restore_leading_digit(doc: ExtractedDocument, texts: list[str], folded: list[str]) -> None:
    """A total of 100 or more whose leading digit OCR added (`194.19` for 94.19, a speck
    before the 9) is the amount the summary above its line adds up to: two or three
    amounts of separate lines among the `_SUMMARY_REACH` lines over it (net and tax, the
    per-rate totals: labelled lines only) that add up to the total without that digit, and
    not to the total as read. (A digit lost is not restored: nine readings to try find
    some sum too often.)"""
    total = doc.total
    if total is None or total < 100:
        return
    digits = f"{total:.2f}"
    if digits[1] == "0":
        return  # `105.00` less its 1 is no amount anyone prints
    at = next(
        (
            i
            for i in range(len(texts) - 1, -1, -1)
            if (_TOTAL_STRONG.search(folded[i]) or _TOTAL_WEAK.search(folded[i]))
            and total in _line_amounts(texts[i])
        ),
        None,
    )
    if at is None:
        return
    above: list[tuple[int, Decimal]] = []
    for i in range(max(0, at - _SUMMARY_REACH), at):
        if not _is_summary_line(folded[i]):
            continue  # an item's line: its amounts are not the summary's
        above.extend(
            (i, v) for v in set(_line_amounts(texts[i], integers=False)) if 0 < v < 100_000
        )
    if len(above) > _SUMMARY_AMOUNTS:
        return  # a long bill of items: any reading finds some sum there
    sums = {
        sum(v for _, v in parts)
        for size in (2, 3)
        for parts in combinations(above, size)
        if len({i for i, _ in parts}) == size
    }
    trimmed = Decimal(digits[1:])
    if trimmed in sums and total not in sums:
        doc.total = trimmed
        doc.confidence["total"] = min(doc.confidence.get("total", 0.6), 0.6)


def _is_summary_line(folded_line: str) -> bool:
    """The line carries a total's, a net's or a tax's label: a line of the bill's summary."""
    return any(
        label.search(folded_line) for label in (_TOTAL_STRONG, _TOTAL_WEAK, L.NET, L.VAT, L.GROSS)
    )


# Lines over a receipt's total where the summary that adds up to it is looked for, and the
# most amounts they may hold (each reading tries their pairs and triples).
_SUMMARY_REACH = 8
_SUMMARY_AMOUNTS = 16


# A tip added under the bill ("Gratuity 5.00", "Pourboire", "Trinkgeld", "Propina").
_TIP_LINE = _kw(r"gratuity", r"tips?", r"pourboire", r"trinkgeld", r"propina", r"mancia")


def _with_tip(total: Decimal, line: int, texts: list[str], folded: list[str]) -> Decimal:
    """The bill plus the tip printed under it, when that sum is printed after the tip (the
    amount paid, charged to the card): what the customer paid. Else the bill."""
    for i in range(line + 1, min(line + _TIP_REACH, len(texts))):
        if not _TIP_LINE.search(folded[i]):
            continue
        tips = _line_amounts(texts[i], integers=False)
        if len(tips) != 1 or not 0 < tips[0] < total:
            continue
        paid = total + tips[0]
        for j in range(i + 1, min(i + _TIP_REACH, len(texts))):
            if paid in _line_amounts(texts[j], integers=False):
                return paid
    return total


# Lines under the bill where its tip, then the amount paid, are looked for.
_TIP_REACH = 5

# The shares a third party pays for the customer, printed under a pharmacy's or a care
# provider's bill: the health insurance, a complementary insurer, a third-party payer.
_THIRD_PARTY_SHARE = _kw(
    r"part\s?(?:securite\s?sociale|secu|mutuelle|amo|amc|obligatoire|complementaire|caisse)",
    r"tiers\s?payant",
    r"prise\s?en\s?charge",
    r"kassenanteil",
    r"anteil\s?(?:der\s?)?(?:krankenkasse|kasse|versicherung)",
    r"(?:gesetzliche|private)\s?krankenversicherung",
    r"aportacion\s?(?:de\s?la\s?)?(?:seguridad\s?social|mutua|aseguradora)",
    r"(?:seguridad\s?social|mutua|aseguradora)\s?(?:paga|abona)",
    r"insurance\s?(?:share|pays|paid|covered|portion)",
    r"(?:covered|paid)\s?by\s?(?:insurance|insurer|nhs)",
    r"insurer\s?(?:share|pays|paid)",
)
# Lines under the bill where the third parties' shares, then the customer's part, are read.
_SHARE_REACH = 6


def _customer_share(total: Decimal, line: int, texts: list[str], folded: list[str]) -> Decimal:
    """The customer's part of a bill that a health insurance or another third party pays in
    part ("Part Sécurité sociale 24,82", "Part mutuelle 0,00", then "Reste à charge 13,36"):
    the bill less the shares printed under it, when that difference is printed after them.
    Else the bill."""
    shares: list[Decimal] = []
    for i in range(line + 1, min(line + 1 + _SHARE_REACH, len(texts))):
        amounts = _line_amounts(texts[i], integers=False)
        if _THIRD_PARTY_SHARE.search(folded[i]):
            if len(amounts) != 1 or not 0 <= amounts[0] < total:
                return total
            shares.append(amounts[0])
            continue
        if shares and sum(shares) > 0 and total - sum(shares) in amounts:
            return total - sum(shares)
    return total


# Lines of cash handed over and change given back: an amount there is what the customer
# paid, not a total the receipt states.
_CASH_LINE = re.compile(r"\b(?:cash|tunai|tender\w*|change|baki|esp[eè]ces|bar|rendu)\b")


def _paid_total(
    best: _Candidate, credible: list[_Candidate], texts: list[str], folded: list[str]
) -> _Candidate:
    """Of two total labels that disagree, the later one when it is exactly the amount paid
    (a payment line, no change given) and the larger one is not: "Total incl. GST 30.88 /
    Rounding 0.02 / Total 30.70 / Cash 30.70", one of its digits misread by OCR so that no
    rounding step explains the difference."""
    given_back = [
        value
        for text, f in zip(texts, folded, strict=True)
        if L.CHANGE.search(f)
        for value in _line_amounts(text)
    ]
    if any(value != 0 for value in given_back):
        return best  # change given back: the amount handed over is not the amount paid
    paid = {
        abs(value)  # "Cash -30.70": some tills print the payment negative
        for text, f in zip(texts, folded, strict=True)
        if _PAYMENT.search(f) and not (_TOTAL_STRONG.search(f) or _TOTAL_WEAK.search(f))
        for value in _line_amounts(text, integers=False)[-1:]
    }
    if best.value in paid:
        return best
    later = [c for c in credible if c.line > best.line and c.value in paid and c.value < best.value]
    return max(later, key=lambda c: c.line) if len(later) == 1 else best


def _printed_beyond_cash(amount: Decimal, texts: list[str], folded: list[str]) -> bool:
    """Whether `amount` is printed on a line other than the cash handed over or the change:
    a total rounded for cash ("TOTAL 42.88 / ROUNDING 0.02 / CASH 42.90") is still 42.88
    unless the receipt states the rounded total itself."""
    return any(
        amount in _line_amounts(text, integers=False) and not _CASH_LINE.search(f)
        for text, f in zip(texts, folded, strict=True)
    )


def _included_tax(candidate: _Candidate, text: str, counts: Counter[Decimal]) -> bool:
    """Whether a "total incl. tax @ 6%" line states the tax the total includes, not the
    total: its amount is the rate's share of another amount printed on the page
    (0.42 = 7.50 x 6/106)."""
    rates = [Decimal(r.replace(",", ".")) for r in _RATE_RE.findall(text)]
    return any(
        0 < rate < 100
        and amount > candidate.value
        and (amount * rate / (100 + rate)).quantize(Decimal("0.01")) == candidate.value
        for rate in rates
        for amount in counts
    )


# Charges a subtotal is followed by before the total: the tax, a service charge.
_SURCHARGE = _kw(r"gst", r"vat", r"tax", r"sst", r"service\s?charge", r"service\s?tax", r"svc")


def _subtotal_candidates(
    texts: list[str], folded: list[str], quality: list[float], counts: Counter[Decimal]
) -> list[_Candidate]:
    """With no total label at all, a subtotal is the next best evidence (receipts that print
    "SUBTOTAL" then only the payment lines); when the tax and service charges printed just
    below it add up with it to an amount printed further down (the total's own label lost
    to OCR), that sum is."""
    found: list[_Candidate] = []
    for i, f in enumerate(folded):
        if not re.search(r"sub\s?-?\s?total", f):
            continue
        values = _line_amounts(texts[i], integers=False)
        if not values:
            continue
        value = values[-1]
        charges = [
            _line_amounts(texts[j], integers=False)[-1:]
            for j in range(i + 1, min(i + 4, len(texts)))
            if _SURCHARGE.search(folded[j]) or _tax_row_of(texts[j], value)
        ]
        with_charges = value + sum((c[0] for c in charges if c), Decimal(0))
        if with_charges != value and counts[with_charges]:
            value = with_charges
        found.append(_Candidate(value, 1.0 * quality[i], i))
    return found


def _taxed_base(values: list[Decimal], rates: set[Decimal]) -> Decimal | None:
    """The base of a line ending on a base and its tax at one of the page's `rates`
    (`73.87 4.43` at 6%), or None."""
    if len(values) < 2:
        return None
    base, tax = values[-2], values[-1]
    if not 0 < tax < base:
        return None
    share = {(base * rate / 100).quantize(Decimal("0.01")) for rate in rates if 0 < rate < 100}
    return base if tax in share else None


def _tax_row_of(text: str, base: Decimal) -> bool:
    """Whether `text` is a tax table's row for `base` (see `_tax_row`)."""
    row = _tax_row(text)
    return row is not None and row[0] == base


def _tax_row(text: str) -> tuple[Decimal, Decimal] | None:
    """The base and the tax of a tax table's row: a rate, then the base and its tax ("SR @
    6% 263.02 15.78", a tax code and no tax word); None for any other line."""
    amounts = _line_amounts(text, integers=False)
    if "%" in text and len(amounts) >= 2 and 0 < amounts[-1] < amounts[-2]:
        return amounts[-2], amounts[-1]
    return None


def _after_excluded_pair(text: str, folded: str) -> int:
    """Where a line's total is read from: after a first label and amount that are not the
    total when another total label follows them (two columns read as one line: "TOTAL
    SAVING: 0.00  TOTAL 6.85"), else from its start."""
    excluded = _TOTAL_EXCLUDE.search(folded)
    if not excluded:
        return 0
    amounts = [a for a in find_amounts(text) if a.start >= excluded.end()]
    if not amounts:
        return 0
    end = amounts[0].end
    following = _TOTAL_STRONG.search(folded, end) or _TOTAL_WEAK.search(folded, end)
    return end if following else 0


def _line_amounts(text: str, *, integers: bool = True) -> list[Decimal]:
    return [a.value for a in find_amounts(text, integers=integers)]


def _fill_totals(
    doc: ExtractedDocument,
    lines: list[Line],
    texts: list[str],
    folded: list[str],
    quality: list[float],
) -> None:
    counts: Counter[Decimal] = Counter()
    for text in texts:
        for value in _line_amounts(text):
            counts[value] += 1

    candidates, due_candidates = _labelled_totals(lines, texts, folded, quality, counts)
    if candidates:
        best = _best_total(candidates, texts, folded)
        total = _rounding_applied(best.value, texts, folded)
        total = _cross_check(total, best.line, counts, texts, folded)
        total = _with_tip(total, best.line, texts, folded)
        total = _customer_share(total, best.line, texts, folded)
        doc.total = total
        doc.confidence["total"] = round(min(0.95, 0.3 + 0.2 * best.score), 3)
    else:
        # No label: the most repeated amount (total, paid, card slip), then the largest.
        pool = [v for v in counts if v > 0]
        if pool:
            best_value = max(pool, key=lambda v: (counts[v], v))
            doc.total = best_value
            doc.confidence["total"] = 0.3
    doc.candidate_totals = _other_totals(doc.total, candidates, counts)

    if due_candidates:
        best_due = max(due_candidates, key=lambda c: c.score)
        doc.amount_due = best_due.value
        doc.confidence["amount_due"] = round(min(0.9, 0.3 + 0.2 * best_due.score), 3)
    elif doc.total is not None:
        doc.amount_due = doc.total
        doc.confidence["amount_due"] = round(doc.confidence["total"] * 0.8, 3)

    _fill_vat(doc, lines, folded)


def _labelled_totals(
    lines: list[Line],
    texts: list[str],
    folded: list[str],
    quality: list[float],
    counts: Counter[Decimal],
) -> tuple[list[_Candidate], list[_Candidate]]:
    """The amounts of the lines a total's label marks, scored (a strong label, repeated
    amounts, lower on the page, the line's OCR quality), and those of them labelled as the
    amount due; a subtotal's when no total label is left."""
    candidates: list[_Candidate] = []
    due_candidates: list[_Candidate] = []
    integer_lines: set[int] = set()
    n = len(texts)
    rates = {Decimal(r.replace(",", ".")) for text in texts for r in _RATE_RE.findall(text)}
    for i, f in enumerate(folded):
        start = _after_excluded_pair(texts[i], f)
        strong = _TOTAL_STRONG.search(f, start)
        weak = _TOTAL_WEAK.search(f, start)
        if not (strong or weak):
            continue
        excluded = _TOTAL_EXCLUDE.search(f, start)
        if excluded and not (
            strong
            and strong.start() < excluded.start()
            and "sub" not in excluded.group(0)
            and not re.search(r"excl|hors|\bht\b|net", excluded.group(0))
        ):
            continue
        if not strong and _PAYMENT.search(f):
            continue  # "Paid amount 100.00": cash handed over, not the total
        read = _label_values(i, (strong or weak).end(), lines, texts, folded)
        if read is None:
            continue
        values, where, integer = read
        if integer:
            # "RM 8817" is as likely a decimal point lost by OCR as an amount: use integers
            # only when no label has a proper decimal amount.
            integer_lines.add(i)
        value = values[-1]
        base = _taxed_base(values, rates)
        if base is not None:
            # A tax table's total row ("TOTAL 73.87 4.43": the base and its tax): the bill
            # is their sum, when it is printed.
            if not counts[base + value]:
                continue
            value = base + value
        weight = 3.0 if strong else 2.0
        score = (
            (weight + 0.4 * min(counts[value] - 1, 3) + 0.5 * i / max(n, 1)) * where * quality[i]
        )
        candidates.append(_Candidate(value, score, i))
        if _AMOUNT_DUE.search(f):
            due_candidates.append(_Candidate(value, score, i))

    candidates = [c for c in candidates if not _included_tax(c, texts[c.line], counts)]
    if not candidates:
        candidates = _subtotal_candidates(texts, folded, quality, counts)
    if any(c.line not in integer_lines for c in candidates):
        candidates = [c for c in candidates if c.line not in integer_lines]
        due_candidates = [c for c in due_candidates if c.line not in integer_lines]
    return candidates, due_candidates


def _label_values(
    i: int, label_end: int, lines: list[Line], texts: list[str], folded: list[str]
) -> tuple[list[Decimal], float, bool] | None:
    """The amounts a total's label on line `i` gives (after the label, else misread ones
    there, else on one of the next two lines), how surely they are its own (1.0 on its
    line), and whether the last is an integer; None for a table header's label."""
    found = [a for a in find_amounts(texts[i], integers=True) if a.start >= label_end - 2]
    values = [a.value for a in found]
    if values:
        return values, 1.0, found[-1].integer
    values = _misread_values(texts[i][label_end:])
    if values:
        return values, 0.8, False
    after_label = re.findall(r"[a-z]{2,}", folded[i][label_end:])
    if len(after_label) >= 2 or len(lines[i].boxes) >= 3:
        return None  # a table header ("GST Summary  Amount  Tax"): its values are not totals
    # The value is often printed on the next line (narrow receipts, two-column tables).
    for j in (i + 1, i + 2):
        if j < len(texts) and not _labels_own_amount(folded[j]):
            values = _line_amounts(texts[j])
            if values:
                return values, 0.8, False
    return None


def _best_total(candidates: list[_Candidate], texts: list[str], folded: list[str]) -> _Candidate:
    """Among credible total labels (within reach of the best-labelled one), the grand total
    is the largest (subtotals, tax and rounding are smaller), unless a rounded total is
    printed: the rounded one is what was paid (cash rounding to 0.05 in Malaysia,
    Switzerland...)."""
    top_weight = max(c.score for c in candidates)
    credible = [c for c in candidates if c.score >= top_weight * 0.6 and c.value > 0]
    if not credible:
        credible = candidates
    final = [c for c in credible if _TOTAL_FINAL.search(folded[c.line])]
    if final:
        credible = final
    best = max(credible, key=lambda c: (c.value, c.score))
    near = Decimal("0.10")
    rounded = [
        c
        for c in credible
        if re.search(r"round", folded[c.line]) and abs(c.value - best.value) <= near
    ]
    if rounded:
        return max(rounded, key=lambda c: (c.score, c.line))
    # "Rounding -0.02" then "Nett Total 7.70": a total printed after a rounding line,
    # within the rounding step of the largest one, is the rounded (paid) total.
    rounding_lines = [i for i, f in enumerate(folded) if re.search(r"round", f)]
    after = [
        c
        for c in credible
        if rounding_lines
        and c.line > rounding_lines[0]
        and c.value != best.value
        and abs(c.value - best.value) <= near
    ]
    if after:
        return max(after, key=lambda c: (c.line, c.score))
    return _paid_total(best, credible, texts, folded)


def _rounding_applied(total: Decimal, texts: list[str], folded: list[str]) -> Decimal:
    """A "rounding adjustment" line next to an unrounded total: applied when the adjusted
    amount is printed too (as the amount paid or a rounded-total line)."""
    for i, f in enumerate(folded):
        if not re.search(r"round", f) or _TOTAL_STRONG.search(f):
            continue
        adjustments = _line_amounts(texts[i], integers=False)
        if not adjustments:
            # OCR often drops the zero of "0.02" on rounding lines.
            bare = re.findall(r"(?<![\d.,])[.,](\d\d)(?!\d)", texts[i])
            adjustments = [Decimal(f"0.{bare[0]}")] if len(bare) == 1 else []
        if len(adjustments) == 1 and abs(adjustments[0] - total) <= Decimal("0.10"):
            return adjustments[0]  # "Rounding  72.75": the rounded total itself
        if len(adjustments) == 1 and 0 < abs(adjustments[0]) <= Decimal("0.10"):
            # "-0.02", "-RM0.02", and "-J.02": the zero read as a letter.
            minus = r"-\s?(?:RM|S?\$|€|EUR)?\s?(?:\d|[A-Za-z]?[.,]\d)"
            sign = -1 if re.search(minus, texts[i]) else 1
            adjusted = total + sign * abs(adjustments[0])
            if adjusted != total and _printed_beyond_cash(adjusted, texts, folded):
                return adjusted
    return total


def _other_totals(
    total: Decimal | None, candidates: list[_Candidate], counts: Counter[Decimal]
) -> list[Decimal]:
    """The total first, then the other labelled amounts by score and the most repeated
    ones: the amounts a matcher may try when the first is not the one paid."""
    ordered: list[Decimal] = []
    for c in sorted(candidates, key=lambda c: -c.score):
        if c.value not in ordered and c.value > 0:
            ordered.append(c.value)
    if total is not None and total in ordered:
        ordered.remove(total)
    if total is not None:
        ordered.insert(0, total)
    for value, _count in counts.most_common(5):
        if value > 0 and value not in ordered:
            ordered.append(value)
    return ordered[:8]


_MISREAD_AMOUNT = re.compile(r"(?<![\d.,/:-])(\d{1,5})\s?[-:](\d{2})(?![\d/:.,-])")
# "TOTAL 4.U0", "12.O5": a zero of the cents read as a letter of the same shape.
_ZERO_AS_LETTER_AMOUNT = re.compile(
    r"(?<![\w.,/:-])(\d{1,5})[.,]((?=[0-9]*[OoUD])[0-9OoUD]{2})(?![\w/:.,-])"
)


def _misread_values(text: str) -> list[Decimal]:
    """The one amount of a total's line that OCR misread so no amount pattern takes it:
    the decimal point read as a dash or colon ("TOTAL 28-90"), or a zero of the cents read
    as a letter ("TOTAL 4.U0")."""
    misread = _MISREAD_AMOUNT.findall(text) or [
        (whole, re.sub(r"[OoUD]", "0", cents))
        for whole, cents in _ZERO_AS_LETTER_AMOUNT.findall(text)
    ]
    if len(misread) != 1:
        return []
    return [Decimal(f"{misread[0][0]}.{misread[0][1]}")]


def _labels_own_amount(folded: str) -> bool:
    """Whether a line's amount is its own: a total's, or the cash given or change taken
    (not the value of a total label printed alone on the line above)."""
    return bool(
        _TOTAL_STRONG.search(folded)
        or _TOTAL_WEAK.search(folded)
        or L.TENDERED.search(folded)
        or L.CHANGE.search(folded)
    )


# Labels of the amount actually to pay; among credible totals they win over "Total incl."
# lines of a tax breakdown printed above them.
_TOTAL_FINAL = _kw(
    r"(?:total|amount|amt)\s?(?:payable|due|paid)",
    r"payable",
    r"balance\s?due",
    r"grand\s?total",
    r"net\s?a\s?payer",
    r"total\s?a\s?payer",
    r"zu\s?zahlen",
    r"total\s?a\s?pagar",
    r"total\s?round(?:ed|ing)?",
    r"round(?:ed|ing)?\s?total",
    r"after\s?(?:adj\w*|rounding)",
)


def _one_digit_apart(a: Decimal, b: Decimal) -> bool:
    x, y = f"{a:.2f}", f"{b:.2f}"
    return len(x) == len(y) and sum(p != q for p, q in zip(x, y, strict=True)) == 1


def _cross_check(
    total: Decimal, line: int, counts: Counter[Decimal], texts: list[str], folded: list[str]
) -> Decimal:
    """Correct a total misread by OCR by one digit ("19,16" for "19,46"), when a payment line
    shows the other value and the receipt confirms it: printed twice (tax table, card slip),
    equal to the sum of the item lines above the total, or to a tax table's base plus its
    tax ("SR@6% 27.46 1.64" for 29.10)."""
    if counts[total] > 1:
        return total
    taxed = {sum(row) for row in map(_tax_row, texts) if row}
    items = Decimal(0)
    for i in range(line):
        if _TOTAL_STRONG.search(folded[i]) or _TOTAL_WEAK.search(folded[i]):
            continue
        if _TOTAL_EXCLUDE.search(folded[i]) or _PAYMENT.search(folded[i]) or find_dates(texts[i]):
            continue
        values = _line_amounts(texts[i], integers=False)
        if values:
            items += values[-1]
    for i, f in enumerate(folded):
        if i == line or not _PAYMENT.search(f):
            continue
        values = _line_amounts(texts[i], integers=False)
        if not values:
            continue
        paid = values[-1]
        if (
            paid > 0
            and _one_digit_apart(paid, total)
            and (counts[paid] > 1 or paid == items or paid in taxed)
        ):
            return paid
    return total


_RATE_RE = re.compile(r"(?<![\d.,])(\d{1,2}(?:[.,]\d{1,2})?)\s?%")
_VAT_WORD = _kw(
    r"tva",
    r"vat",
    r"mwst",
    r"ust",
    r"iva",
    r"gst",
    r"tax",
    r"btw",
    r"igic",
    r"(?:umsatz|mehrwert)?steuer\w*",
)


# A rate printed without its sign in a VAT line ("Umsatzsteuer (S) | 275,00 | 7 | 19,25", under
# a "Steuersatz [%]" column): a number below 30 that is no amount, taken only when the line's
# amounts make its arithmetic.
_BARE_RATE_RE = re.compile(r"(?<![\d.,])(\d{1,2}(?:[.,]\d{1,2})?)(?![\d.,]*\d)(?!\s?%)")


# The seller charges no VAT, and says so: a small business's exemption (France's art. 293 B,
# Germany's § 19 UStG, not registered), an exempt supply, the buyer liable (reverse charge).
_NO_VAT_CHARGED = _kw(
    r"tva\s?non\s?applicable",
    r"293\s?b",
    r"exoneration\s?de\s?tva",
    r"autoliquidation",
    r"keine\s?umsatzsteuer",
    r"steuerfrei\w*",
    r"kleinunternehmer\w*",
    r"steuerschuldnerschaft\s?des\s?leistungsempfangers",
    r"not\s?registered\s?for\s?vat",
    r"no\s?vat\s?(?:has\s?been\s?)?charged",
    r"vat\s?exempt\w*",
    r"reverse\s?charge",
    r"exent[oa]s?\s?de\s?iva",
    r"inversion\s?del\s?sujeto\s?pasivo",
)


# The label of a VAT total ("TVA", "Total TVA", "Montant de la TVA", "Steuerbetrag").
_VAT_TOTAL_LABEL = (
    r"\s*(?:(?:total|montant|importe|summe|cuota)\s?)?(?:de\s?(?:la\s?)?|del?\s?)?"
    r"(?:tva|vat|mwst|ust|iva|igic|btw|(?:umsatz|mehrwert)?steuer(?:betrag)?|tax)"
)
# A line that states the VAT total: its label opens it, its amount follows.
_VAT_TOTAL_LINE = re.compile(
    _VAT_TOTAL_LABEL + r"(?![a-z])[\s.:]*(?:total|betrag|eur|€)?[\s.:]*[-\d€]"
)


# A tax withheld from an invoice's total (Spain's IRPF, Italy's ritenuta d'acconto).
_WITHHOLDING = _kw(r"irpf", r"retencion\w*", r"ritenuta", r"withholding\s?tax")
WITHHELD_AMOUNTS = 4

# A VAT total's caption alone in its cell, its value in the cell under it ("TOTAL HT | TOTAL
# TVA | TOTAL TTC" over "100,00 | 0,00 | 100,00", a line of legal text between them).
_VAT_TOTAL_CAPTION = re.compile(_VAT_TOTAL_LABEL + r"(?:\s?(?:total|betrag))?[\s.:]*")
# How many lines under its caption a value is looked for.
CAPTION_VALUE_REACH = 3


def _rateless_vats(lines: list[Line], i: int, f: str, line_amounts: list[Decimal]) -> list[Decimal]:
    """VAT totals line `i` states without a rate: on the line ("TVA | 507,00"), or under its
    caption cells."""
    found = []
    if len(line_amounts) == 1 and _VAT_TOTAL_LINE.match(f) and not _RATE_RE.search(lines[i].text):
        found.append(line_amounts[0])
    return found + _vat_totals_under_captions(lines, i)


def _vat_totals_under_captions(lines: list[Line], i: int) -> list[Decimal]:
    found = []
    for box in lines[i].boxes:
        if not _VAT_TOTAL_CAPTION.fullmatch(_label_text(box.text)):
            continue
        for j in range(i + 1, min(i + 1 + CAPTION_VALUE_REACH, len(lines))):
            if lines[j].page != lines[i].page:
                break
            value = _lone_amount_across(box, lines[j])
            if value is not None:
                found.append(value)
                break
    return found


def _lone_amount_across(box: Box, line: Line) -> Decimal | None:
    """The amount of `line`'s one cell across `box` (overlapping it horizontally), when that
    cell holds exactly one."""
    across = [b for b in line.boxes if min(box.x1, b.x1) - max(box.x0, b.x0) > 0]
    values = [a.value for b in across for a in find_amounts(b.text, integers=False)]
    return values[0] if len(across) == 1 and len(values) == 1 else None


def _gross_cents(lines: list[Line], folded: list[str], amounts: set[Decimal]) -> set[int]:
    """The printed amounts, in cents, that may be a gross: each one, and each one plus a tax
    withheld from it (a Spanish freelancer's `IRPF -15% | -115,46`: net + VAT - IRPF is
    the total, the gross itself not printed)."""
    cents = {round(a * 100) for a in amounts}
    withheld = {
        round(abs(a) * 100)
        for line, f in zip(lines, folded, strict=True)
        if _WITHHOLDING.search(f)
        for a in _cell_amounts([b.text for b in line.boxes], [])
    }
    # An invoice withholds one tax, two at most; a page of them is no invoice (and would
    # make this set the square of its amounts).
    withheld = set(sorted(withheld)[:WITHHELD_AMOUNTS])
    return cents | {c + w for c in cents for w in withheld}


def _net_of(
    vat_sum: Decimal, document_amounts: set[Decimal], gross_cents: set[int]
) -> Decimal | None:
    """A printed amount that, with `vat_sum`, makes a gross (`_gross_cents`, to the cent):
    the net, or None. (The total may not be the one read yet: a prepaid invoice's amount
    due.)"""
    return next(
        (
            net
            for net in sorted(document_amounts, reverse=True)
            if net > vat_sum
            and any(round((net + vat_sum) * 100) + d in gross_cents for d in (-1, 0, 1))
        ),
        None,
    )


def _stated_vat(
    rate: Decimal, amounts: list[Decimal], vat_word: bool, document_amounts: set[Decimal]
) -> tuple[Decimal | None, Decimal] | None:
    """(base, VAT) a line states at `rate`: its base on the line, or elsewhere in the
    document (0), or printed nowhere (None: "MwSt. 19 %: 1.631,30" under items at several
    rates, to be confirmed by the totals); None when it states none."""
    sizes = [abs(a) for a in amounts]
    pair = _vat_pair(sizes, rate)
    if pair is not None:
        return pair[1], next(a for a in amounts if abs(a) == pair[0])
    if len(amounts) != 1 or not vat_word:
        return None
    # "TVA 20 %   20,00": the base is elsewhere (a net or gross line), or nowhere.
    if any(_is_vat_of(sizes[0], other, rate) for other in document_amounts):
        return Decimal(0), amounts[0]
    return None, amounts[0]


def _vat_total_alone(
    vat: Decimal, document_amounts: set[Decimal], gross_cents: set[int]
) -> dict[str, Decimal]:
    """A VAT total printed without a rate ("TVA | 507,00" between "Total HT | 2535,00" and
    "Total TTC | 3042,00"), when a printed net and gross confirm it: at the rate that makes it
    of the net (20 %), else at an unknown rate (several rates); else nothing."""
    net = _net_of(abs(vat), document_amounts, gross_cents)
    if net is None:
        return {}
    if not vat:
        return {"0": vat}
    rate = (abs(vat) / net * 100).quantize(Decimal("0.1"))
    if 0 < rate < 30 and abs(net * rate / 100 - abs(vat)) <= Decimal("0.01"):
        return {format(rate.normalize(), "f"): vat}
    return {UNKNOWN_RATE: vat}


def _is_vat_of(vat: Decimal, base: Decimal, rate: Decimal) -> bool:
    """`vat` is `rate` percent of the net `base`, or the VAT included in the gross `base`."""
    return base > vat and (
        abs(base * rate / 100 - vat) <= Decimal("0.02")
        or abs(base * rate / (100 + rate) - vat) <= Decimal("0.02")
    )


def _vat_pair(amounts: list[Decimal], rate: Decimal) -> tuple[Decimal, Decimal] | None:
    """(VAT, base) among a line's amounts, the VAT the smallest that fits (none but 0.00 at
    0 %)."""
    for vat_amount in sorted(amounts):
        if not rate and vat_amount:
            continue
        for other in amounts:
            if _is_vat_of(vat_amount, other, rate):
                return vat_amount, other
    return None


def _cell_amounts(cells: list[str], rates: list[tuple[int, re.Match[str]]]) -> list[Decimal]:
    """The amounts of a line's cells, read cell by cell ("19 | 163,16" is no 19 163,16),
    without a rate's own digits ("10,00%"); zeros too (the VAT of a 0 % row)."""
    return [
        a.value
        for k, cell in enumerate(cells)
        for a in find_amounts(cell, integers=False)
        if not any(c == k and a.start < m.end() and m.start() < a.end for c, m in rates)
    ]


def _bare_rates(cells: list[str]) -> list[Decimal]:
    return [
        Decimal(bare.group(1).replace(",", "."))
        for cell in cells
        for bare in _BARE_RATE_RE.finditer(cell)
        if not any(bare.start() < a.end and a.start < bare.end() for a in find_amounts(cell))
    ]


def _rate_vat(found: list[tuple[bool, Decimal, Decimal]]) -> Decimal:
    """The VAT at one rate from the lines that gave it one, as (names the tax, base, VAT):
    of lines naming the tax, each printed part once (`USt. 19% auf 804,35 | 152,83` and
    `Versandkosten USt. 19% auf 4,99 | 0,95` add up), unless one is the sum of the others;
    else the line with the largest base (an item's line states its rate too, the summary's
    base is the items' sum)."""
    named = sorted({(base, vat) for word, base, vat in found if word and base})
    if len(named) > 1:
        *parts, (largest, largest_vat) = named
        if abs(sum(b for b, _ in parts) - largest) <= Decimal("0.02"):
            return largest_vat
        return sum((vat for _, vat in named), Decimal(0))
    return max(found, key=lambda f: (f[0], f[1]))[2]


def _caption_value(lines: list[Line], i: int, k: int) -> list[Decimal]:
    """The amounts of the cell printed just under or over box `k` of line `i` (a caption
    set under its value: "37 165,09 € | 7 364,48 €" over "Total HT | TVA à 20 %")."""
    box = lines[i].boxes[k]
    for j in (i - 1, i + 1):
        if not 0 <= j < len(lines) or lines[j].page != lines[i].page:
            continue
        value = _lone_amount_across(box, lines[j])
        if value is not None:
            return [value]
    return []


# The most amounts (or rates) a line stating a VAT carries: an item's or a summary's row
# has a few cells.
VAT_ROW_AMOUNTS = 12


def _line_vats(
    line: Line, f: str, lines: list[Line], i: int, in_vat_table: bool
) -> list[tuple[Decimal, list[Decimal], bool]]:
    """(rate, amounts, names the tax) of each VAT a line may state; a row of a VAT table
    names the tax by its header."""
    cells = [b.text for b in line.boxes]
    rates = [(k, m) for k, cell in enumerate(cells) for m in _RATE_RE.finditer(cell)]
    vat_word = in_vat_table or bool(_VAT_WORD.search(f))
    amounts = _cell_amounts(cells, rates)
    if len(amounts) > VAT_ROW_AMOUNTS or len(rates) > VAT_ROW_AMOUNTS:
        return []  # no VAT row (and its pairs would cost the square of its amounts)
    if rates and not amounts and vat_word:
        # Captions over or under their values, one rate a cell ("TVA à 20 % | TVA à 10 %").
        return [
            (_rate_of(m), values, True) for k, m in rates if (values := _caption_value(lines, i, k))
        ]
    if len(rates) == 1 and (vat_word or len(amounts) >= 2):
        return [(_rate_of(rates[0][1]), amounts, vat_word)]
    if not rates and vat_word and len(amounts) >= 2:
        for rate in _bare_rates(cells):
            if 0 < rate < 30 and _vat_pair([abs(a) for a in amounts], rate):
                return [(rate, amounts, vat_word)]
    return []


def _rate_of(match: re.Match[str]) -> Decimal:
    return Decimal(match.group(1).replace(",", "."))


def _fill_vat(doc: ExtractedDocument, lines: list[Line], folded: list[str]) -> None:
    """VAT by rate: on a line stating a rate, the VAT is the amount that equals another amount
    (on the line, else anywhere in the document) times the rate (net) or times
    rate/(100+rate) (gross); a VAT line's rate may be printed without its sign, when the
    arithmetic holds (`_rate_vat` chooses among the lines of one rate). A VAT labelled with
    its rate and no base printed anywhere ("MwSt. 19 %: 1.631,30", the items' lines at
    several rates) is taken, over what items' lines suggest, when a printed net and these
    VATs add up to a printed gross. Signed as the total is (a credit note's printed negative)."""
    document_amounts = {
        abs(a.value)
        for line in lines
        for b in line.boxes
        for a in find_amounts(b.text, integers=False)
    }
    credit = doc.total is not None and doc.total < 0
    by_rate: dict[Decimal, list[tuple[bool, Decimal, Decimal]]] = {}
    labelled: dict[Decimal, Decimal] = {}
    rateless: list[Decimal] = []
    in_vat_table = False
    for i, (line, f) in enumerate(zip(lines, folded, strict=True)):
        line_amounts = _cell_amounts([b.text for b in line.boxes], [])
        rateless += _rateless_vats(lines, i, f, line_amounts)
        # A VAT table's header names the tax twice ("Base TVA | Montant TVA", "Steuersatz
        # [%] | Steuerbetrag"; an items' header once, "P.U. HT | TVA | Total HT"); its rows
        # run on to the first line without an amount.
        in_vat_table = bool(line_amounts) and in_vat_table
        # An items' header may name it twice too ("Tax | Total price with tax"): not a VAT
        # table's, its rows state their rate but do not name the tax.
        if not line_amounts and len(_VAT_WORD.findall(f)) >= 2 and not items_header(line):
            in_vat_table = True
        for rate, amounts, vat_word in _line_vats(line, f, lines, i, in_vat_table):
            if not 0 <= rate < 30:
                continue
            found = _stated_vat(rate, amounts, vat_word, document_amounts)
            if found is None:
                continue
            base, vat = found
            if vat and (vat < 0) != credit:
                continue  # "Abschlag | 115,30 | 7% UST | -8,07": a discount's VAT
            if base is None:
                labelled.setdefault(rate, vat)
            else:
                by_rate.setdefault(rate, []).append((vat_word, base, vat))
    vats = {rate: _rate_vat(found) for rate, found in by_rate.items()}
    tentative = {
        rate: vat
        for rate, vat in labelled.items()
        if not any(word for word, _, _ in by_rate.get(rate, ()))
    }
    gross_cents = _gross_cents(lines, folded, document_amounts)
    vat_sum = abs(sum(({**vats, **tentative}).values(), Decimal(0)))
    if tentative and _net_of(vat_sum, document_amounts, gross_cents):
        vats.update(tentative)
    for rate, vat in vats.items():
        doc.vat_amounts[format(rate.normalize(), "f")] = vat
    if not doc.vat_amounts and rateless:
        doc.vat_amounts.update(_vat_total_alone(rateless[0], document_amounts, gross_cents))
    if not doc.vat_amounts and any(_NO_VAT_CHARGED.search(f) for f in folded):
        doc.vat_amounts["0"] = Decimal("0.00")
    if doc.vat_amounts:
        doc.confidence["vat_amounts"] = 0.6


# A US address: a city, its two-letter state and ZIP code ("Boulder, CO 80302"); the state
# as OCR may read it, an O as a zero or an I as a one ("Portland, 0R 97205").
_US_STATES = frozenset(
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH "
    "NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY".split()
)
_STATE_ZIP = re.compile(r",\s?([A-Z01]{2})\s\d{5}(?:-\d{4})?(?!\d)")
# American wording: a sales tax (Canada and Australia print GST / HST / PST), a date with the
# month's name first ("Dec 11, 2024"; British English writes "11 Dec 2024").
_US_WORDING = L.kw(r"sales\s?tax", r"state\s?tax")
_MONTH_NAME_FIRST = re.compile(
    r"(?<![a-z])(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]{0,6}\.?\s\d{1,2},\s?"
    r"(?:19|20)\d\d(?!\d)",
    re.IGNORECASE,
)


def _us_cue(text: str) -> bool:
    """Whether `text` reads as from the United States (its address or its wording)."""
    return (
        any(
            m.group(1).replace("0", "O").replace("1", "I") in _US_STATES
            for m in _STATE_ZIP.finditer(text)
        )
        or _US_WORDING.search(_fold(text)) is not None
        or _MONTH_NAME_FIRST.search(text) is not None
    )


# One separator, used twice: "SP-nu11-18/06/02" holds no date "11-18/06" (month-first).
_SLASH_DATE = re.compile(r"(?<!\d)(\d{1,2})([/-])(\d{1,2})\2((?:19|20)?\d\d)(?!\d)")


def _month_first(texts: list[str]) -> bool:
    """Whether numeric dates read month-first: a date whose second number is above 12 says
    so (and one whose first number is says not); without one, a US address or American
    wording does."""
    us_address = False
    for text in texts:
        for m in _SLASH_DATE.finditer(text):
            first, second = int(m.group(1)), int(m.group(3))
            if second > 12 and first <= 12:
                return True
            if first > 12 and second <= 12:
                return False
        us_address = us_address or _us_cue(text)
    return us_address


# A date printed with its time ("20/08/17 12:48") is the till's stamp of the sale; a date
# without one near the top may be an event's, a promotion's or a card's.
_TIME_AFTER = re.compile(r"\s{0,3}(?:[01]?\d|2[0-3])[:.h][0-5]\d(?!\d)")
TIMED_DATE_BONUS = 0.2


def _date_penalty(context: str, *, second: bool, ambiguous: bool) -> float:
    """How much a date's context (the folded text before it) says it is not the issue date."""
    penalty = 0.0
    if _OTHER_EVENT_DATE.search(context):
        penalty += 3  # an expected delivery, a prescription: never the document's date
    elif _NOT_ISSUE_DATE.search(context):
        penalty += 1.5
    if second:
        penalty += 0.5  # second date on a line: usually a period end or due date
    if ambiguous:
        penalty += 0.1
    return penalty


def _fill_dates(
    doc: ExtractedDocument,
    lines: list[Line],
    texts: list[str],
    folded: list[str],
    quality: list[float],
) -> None:
    issue: list[_Candidate] = []
    due: list[_Candidate] = []
    n = len(texts)
    month_first = _month_first(texts)
    for i, (text, f) in enumerate(zip(texts, folded, strict=True)):
        found = find_dates(text, month_first=month_first)
        if not found:
            continue
        prev = folded[i - 1] if i > 0 else ""
        for k, d in enumerate(found):
            before = f[: d.start]
            context = before[-40:]
            label = context
            if not (
                _ISSUE_DATE.search(context)
                or _DATE_LABEL.search(context)
                or _DUE_DATE.search(context)
            ):
                # Column header above the value (invoice tables: "Date" over "02.03.2020"),
                # or a label alone on the previous line.
                box = lines[i].box_at(d.start)
                above = _box_above(lines, i, box.x0, box.x1)
                if above and not find_dates(above):
                    label = above
                elif not before.strip():
                    label = prev
            score = 1.0 - 0.3 * i / max(n, 1)  # earlier is likelier the issue date
            if _ISSUE_DATE.search(label):
                score += 3
            elif _DATE_LABEL.search(label):
                score += 1.5
            if _DUE_DATE.search(label):
                due.append(_Candidate(d.value, score + 2, i))
                score -= 3
            score -= _date_penalty(context, second=k > 0, ambiguous=d.ambiguous)
            if _TIME_AFTER.match(text, d.end):
                score += TIMED_DATE_BONUS
            issue.append(_Candidate(d.value, score * quality[i], i))
    if not issue:
        issue = _dates_through_slips(texts, folded, quality, month_first=month_first)
    if issue:
        best = max(issue, key=lambda c: c.score)
        doc.issue_date = best.value
        doc.confidence["issue_date"] = round(max(0.2, min(0.95, 0.35 + 0.15 * best.score)), 3)
    if due:
        best_due = max(due, key=lambda c: c.score)
        if doc.issue_date is None or best_due.value >= doc.issue_date:
            doc.due_date = best_due.value
            doc.confidence["due_date"] = round(min(0.9, 0.3 + 0.1 * best_due.score), 3)


def _slip_score(line: int, lines: int, quality: list[float]) -> float:
    """The score of a date read through an OCR slip: half a printed date's, earlier likelier."""
    return (0.5 - 0.3 * line / max(lines, 1)) * quality[line]


def _dates_through_slips(
    texts: list[str], folded: list[str], quality: list[float], *, month_first: bool
) -> list[_Candidate]:
    """For a page with no whole date: a date one of whose separators OCR lost, or with a
    digit read as a letter, or else the day a receipt's number starts with."""
    return (
        _lost_separator_dates(texts, quality, month_first=month_first)
        or _lookalike_dates(texts, quality, month_first=month_first)
        or _dated_document_numbers(folded, quality)
    )


# A numeric date with a digit OCR read as a look-alike letter ("22/U9/2017", "12-01-201B"):
# date-shaped, one separator used twice, at most `LOOKALIKES_IN_DATE` letters among digits.
_LOOKALIKE = "OoDUQIil|BSZ"
_LOOKALIKE_DIGITS = str.maketrans(_LOOKALIKE, "000001111852")
_DATE_SHAPED = re.compile(
    rf"(?<![\w/.-])([\d{_LOOKALIKE}]{{1,2}})([/.-])([\d{_LOOKALIKE}]{{1,2}})\2"
    rf"([\d{_LOOKALIKE}]{{4}}|[\d{_LOOKALIKE}]{{2}})(?![\w/.-])"
)
LOOKALIKES_IN_DATE = 1


def _lookalike_dates(
    texts: list[str], quality: list[float], *, month_first: bool
) -> list[_Candidate]:
    """Dates with a digit read as a look-alike letter (`_DATE_SHAPED`), earliest line
    first, read only when the page has no whole date, at the score of a lost separator's."""
    found: list[_Candidate] = []
    n = len(texts)
    for i, text in enumerate(texts):
        for m in _DATE_SHAPED.finditer(text):
            letters = sum(not ch.isdigit() for ch in m.group(1) + m.group(3) + m.group(4))
            if not 0 < letters <= LOOKALIKES_IN_DATE:
                continue
            dates = find_dates(m.group(0).translate(_LOOKALIKE_DIGITS), month_first=month_first)
            if dates and dates[0].value.year <= date.today().year + 1:
                found.append(_Candidate(dates[0].value, _slip_score(i, n, quality), i))
    return found


# A till that prints no date (or one OCR lost) often numbers its receipts from the day:
# `Invoice No: 2018042210100080567`. Read only when the page shows no date at all.
_DATED_NUMBER = re.compile(
    r"\b(?:invoice|receipt|bill|trans(?:action)?|doc(?:ument)?|order|slip)\s*"
    r"(?:no|n°|num(?:ber)?|#)[\s:.#]*"  # one run: linear on hostile whitespace
    r"((?:19|20)\d\d)(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])\d{2,}\b"
)


def _dated_document_numbers(folded: list[str], quality: list[float]) -> list[_Candidate]:
    """The date a receipt's number starts with (`_DATED_NUMBER`), at a low score."""
    found: list[_Candidate] = []
    for i, text in enumerate(folded):
        for m in _DATED_NUMBER.finditer(text):
            try:
                value = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                continue
            if value.year <= date.today().year + 1:
                found.append(_Candidate(value, 0.2 * quality[i], i))
    return found


# A numeric date one of whose separators OCR lost ("2703/2018", "27/032018"): the year has
# four digits, so the day and month are the two pairs before it.
_LOST_SEPARATOR_DATE = re.compile(
    r"(?<![\d/.-])(?:(\d{2})(\d{2})[/.-]|(\d{2})[/.-](\d{2}))((?:19|20)\d\d)(?![\d/.-])"
)
# ... or both lost ("27032018": thin slashes faded from a till's print); eight digits that
# read so are rarely anything else on a page with no date.
_BOTH_SEPARATORS_LOST = re.compile(r"(?<![\d/.-])(\d{2})(\d{2})((?:19|20)\d\d)(?![\d/.-])")
# ... or read as a space ("05 02-18", "05-02 2018"): pairs of two digits, the other separator
# kept.
_SPACED_SEPARATOR_DATE = re.compile(
    r"(?<![\d/.:-])(?:(\d{2}) (\d{2})[/.-]|(\d{2})[/.-](\d{2}) )((?:20)?\d\d)(?![\d/.:-])"
)


def _lost_separator_dates(
    texts: list[str], quality: list[float], *, month_first: bool
) -> list[_Candidate]:
    """Dates with a lost separator or two, earliest line first, read only when the page has
    no whole date: a run of digits with one slash is as often a number (an invoice, a phone)."""
    found: list[_Candidate] = []
    n = len(texts)
    for i, text in enumerate(texts):
        pairs = [
            (m.group(1) or m.group(3), m.group(2) or m.group(4), m.group(5))
            for m in [*_LOST_SEPARATOR_DATE.finditer(text), *_SPACED_SEPARATOR_DATE.finditer(text)]
        ] + [m.groups() for m in _BOTH_SEPARATORS_LOST.finditer(text)]
        for one, two, four in pairs:
            first, second = int(one), int(two)
            day, month = (second, first) if month_first else (first, second)
            year = int(four)
            try:
                value = date(year if year > 99 else 2000 + year, month, day)
            except ValueError:
                continue
            if value.year > date.today().year + 1:
                continue  # a receipt is not dated ahead
            found.append(_Candidate(value, _slip_score(i, n, quality), i))
    return found


def _fill_identifiers(doc: ExtractedDocument, texts: list[str], folded: list[str]) -> None:
    customer_zone = _customer_zone(folded)
    supplier_vats: list[str] = []
    customer_vats: list[str] = []
    for i, text in enumerate(texts):
        vats = find_vat_numbers(text)
        near_customer = i in customer_zone or bool(_CUSTOMER.search(folded[i]))
        for v in vats:
            (customer_vats if near_customer else supplier_vats).append(v)
    if supplier_vats:
        doc.supplier_vat = supplier_vats[0]
        doc.confidence["supplier_vat"] = 0.85
    if customer_vats:
        vat = next((v for v in customer_vats if v != doc.supplier_vat), None)
        if vat:
            doc.customer_vat = vat
            doc.confidence["customer_vat"] = 0.7
        elif doc.supplier_vat is None:
            doc.supplier_vat = customer_vats[0]
            doc.confidence["supplier_vat"] = 0.5

    siren = siren_from_vat(doc.supplier_vat)
    if siren:
        doc.supplier_siren = siren
        doc.confidence["supplier_siren"] = 0.9
    else:
        for i, (text, f) in enumerate(zip(texts, folded, strict=True)):
            if i in customer_zone or not re.search(r"siren|siret|rcs|r\.c\.s", f):
                continue
            sirens = find_sirens(text)
            if sirens:
                doc.supplier_siren = sirens[0]
                doc.confidence["supplier_siren"] = 0.8
                break

    for i, text in enumerate(texts):
        if i in customer_zone:
            continue
        if _DEBITED.search(folded[i]) or (i > 0 and _DEBITED.search(folded[i - 1])):
            # "Prélèvement sur votre compte FR76…": the customer's account, to be debited.
            continue
        ibans = find_ibans(text)
        if ibans:
            doc.supplier_iban = ibans[0]
            doc.confidence["supplier_iban"] = 0.85
            break


# The account a direct debit is taken from: the customer's, not the supplier's.
_DEBITED = _kw(
    r"prelev\w*",
    r"debite\w*",
    r"debiteur",
    r"mandat\w*",
    r"votre\s?compte",
    r"your\s?account",
    r"direct\s?debit\w*",
    r"debtor",
    r"will\s?be\s?debited",
    r"lastschrift\w*",
    r"abgebucht",
    r"ihr\s?konto",
    r"domiciliaci\w*",
    r"su\s?cuenta",
    r"adeudo\w*",
)


# "Customer service", and the title of the customer's copy of a receipt or card slip ("Ticket
# client", "Copie client", "Customer copy", "Copia cliente"): no customer's address follows.
_NOT_A_CUSTOMER_LABEL = re.compile(
    r"customer\s?(?:service|care|copy|receipt)|service\s?client|client\s?copy"
    r"|(?:ticket|copie|exemplaire|duplicata|recu|facturette|copy|copia|recibo|ticket)"
    r"\s?(?:du\s|del\s|para\s?el\s|for\s)?(?:client|cliente|customer)"
    r"|(?:client|cliente)\s?(?:a\s?conserver|copy)"
)


def _customer_zone(folded: list[str]) -> set[int]:
    """Indexes of lines in a customer address block: the label line and the few after it."""
    zone: set[int] = set()
    for i, f in enumerate(folded):
        # "An", "To", "Pour" alone on its line: the caption over the addressee's block.
        caption = L.TO_CAPTION.fullmatch(f)
        if caption or (_CUSTOMER.search(f) and not _NOT_A_CUSTOMER_LABEL.search(f)):
            zone.update(range(i, min(i + 5, len(folded))))
    return zone


_INVOICE_LABEL = re.compile(
    r"(?<![a-z])(?:invoice\s?(?:no|number|nr|num|#|n°|id)?|inv\s?(?:no|#)|bill\s?(?:no|number|#)"
    r"|receipt\s?(?:no|number|#)|facture\s?(?:n°|no|numero|num)?|n°\s?(?:de\s?)?facture"
    r"|numero\s?de\s?facture|rechnungs?\s?-?\s?(?:nr|nummer|no)|rechnung\s?nr|rechnung"
    r"|beleg\s?-?\s?(?:nr|nummer)|bon\s?-?\s?nr|factura\s?(?:n°|no|nº|num\w*)?"
    r"|n[°º]\s?(?:de\s?)?factura|factuur\s?(?:nummer|nr)?|factuurnummer|document\s?(?:no|number)"
    r"|doc\s?no|order\s?(?:id|no)|booking\s?id)(?![a-z])\.?"
)


def find_invoice_number(lines: list[Line], source: str = "pdf_text") -> str | None:
    """The invoice number of these lines, or None (used to split multi-invoice files)."""
    doc = ExtractedDocument()
    quality = [line.score if source == "ocr" else 1.0 for line in lines]
    _fill_invoice_number(doc, lines, quality)
    return doc.invoice_number


def _fill_invoice_number(doc: ExtractedDocument, lines: list[Line], quality: list[float]) -> None:
    """The invoice/receipt number: the token after a number label, in the same box, the next
    box of the line, or the box below the label (column headers of invoice tables)."""
    candidates: list[_Candidate] = []
    cited = L.cited_invoice_lines(lines)
    for i, line in enumerate(lines):
        if i in cited:
            continue  # a preceding invoice's number
        for k, box in enumerate(line.boxes):
            folded_box = _fold(box.text)
            for match in _INVOICE_LABEL.finditer(folded_box):
                label = match.group(0)
                rest = box.text[match.end() :].strip()
                rest = re.sub(r"^(?:[:#.]|no\.?|nr\.?|n°|nº)+\s*", "", rest, flags=re.I).strip()
                rest = rest.lstrip(":#. ").strip()
                strong = bool(re.search(r"n°|nº|no|nr|number|num|#|id", label))
                base = (2.5 if strong else 1.2) * quality[i]
                if re.search(r"invoice|facture|rechnung|factura|factuur", label):
                    base += 0.5
                if re.search(r"order|booking|document|doc|bon|receipt|bill", label):
                    base -= 0.3
                if rest:
                    token = rest.split()[0]
                    if _plausible_number(token):
                        candidates.append(_Candidate(token, base, i))
                    continue  # "Invoice date ..." and the like: another label
                if k + 1 < len(line.boxes):
                    token = (line.boxes[k + 1].text.split() or [""])[0].lstrip(":#")
                    if _plausible_number(token):
                        candidates.append(_Candidate(token, base - 0.1, i))
                        continue
                below = _box_below(lines, i, box)
                if below is not None:
                    token = (below.text.split() or [""])[0]
                    if _plausible_number(token):
                        candidates.append(_Candidate(token, base - 0.3, i))
    if candidates:
        best = max(candidates, key=lambda c: (c.score, -c.line))
        doc.invoice_number = str(best.value).strip(".-:")
        doc.confidence["invoice_number"] = round(min(0.9, 0.25 * best.score), 3)


def _box_below(lines: list[Line], i: int, box) -> object | None:
    """The box of the next line (same page, close below) that overlaps `box` horizontally."""
    if i + 1 >= len(lines) or lines[i + 1].page != lines[i].page:
        return None
    nxt = lines[i + 1]
    if nxt.y0 - box.y1 > 3 * box.height:
        return None
    best, best_overlap = None, 0.0
    for other in nxt.boxes:
        overlap = min(box.x1, other.x1) - max(box.x0, other.x0)
        if overlap > best_overlap:
            best, best_overlap = other, overlap
    return best


def _box_above(lines: list[Line], i: int, x0: float, x1: float) -> str:
    """Folded text of the box of the previous line overlapping [x0, x1], or ''."""
    if i == 0 or lines[i - 1].page != lines[i].page:
        return ""
    prev = lines[i - 1]
    best, best_overlap = "", 0.0
    for other in prev.boxes:
        overlap = min(x1, other.x1) - max(x0, other.x0)
        if overlap > best_overlap:
            best, best_overlap = _fold(other.text), overlap
    return best


def _plausible_number(token: str) -> bool:
    if not token or not _NUMBER_TOKEN.match(token) or not re.search(r"\d", token):
        return False
    # "20260311": numbering by date gives a number that reads as a date without separators;
    # after a number label it is the number.
    if any(not d.compact for d in find_dates(token)) or find_amounts(token):
        return False
    return True


def _header_name(line: Line, text: str, source: str) -> str | None:
    """The name a header line may be, or None."""
    if line.boxes[0].text.rstrip().endswith(":"):
        return None  # "Post code: | 05226": a row's label, its own box
    # In a PDF text layer a line can span columns; the name is its first cell.
    raw = line.boxes[0].text if source == "pdf_text" else _unstamped(line, text)
    # "Bienvenue chez Primeur Dumas", "Willkommen bei …": the name after the greeting.
    return _name_like(L.TRADING_NAME_OF.sub("", _GREETING.sub("", raw)))


def _fill_names(
    doc: ExtractedDocument,
    lines: list[Line],
    texts: list[str],
    folded: list[str],
    quality: list[float],
) -> None:
    """Supplier name: a name-like line near the top of the first page, preferring one with a
    legal form; without one, a line that stands apart from the address (a slogan over the
    sign) gives way to the line heading the address block. A name broken over two or three
    lines ("TAN BOOK CO." / "SDN BHD") is joined back."""
    customer_zone = _customer_zone(folded)
    first_page = lines[0].page
    candidates: list[_Candidate] = []
    names: dict[int, str] = {}
    name_lines: set[int] = set()
    top = [i for i, line in enumerate(lines) if line.page == first_page][:14]
    # The header ends where the items start: the first line with a price.
    header_end = next((i for i in top if _PRICE.search(texts[i])), len(texts))
    # With a legal form or a registration number in the header, the legal name is the issuer.
    legal_header = any(
        _LEGAL_SUFFIX.search(texts[i]) or _REGISTRATION_ONLY.search(texts[i]) for i in top
    )
    for rank, i in enumerate(top):
        if i in customer_zone:
            continue
        name = _header_name(lines[i], texts[i], doc.text_source)
        if not name:
            continue
        names[i] = name
        if _not_a_name(name):
            continue
        # "ENTERPRlSE", "KEDAT RUNCIT": a trade word with an OCR slip still tells a name.
        read = name
        if doc.text_source == "ocr":
            read = correct_trade_words(name, legal=bool(_LEGAL_SUFFIX.search(name)))
        score = 1.5 - 0.12 * rank + _name_evidence(read, i, texts, folded)
        candidates.append(_Candidate(name, score * quality[i], i))
    if candidates:
        best = max(candidates, key=lambda c: c.score)
        if not legal_header and not _heads_address(best.line, texts):
            # The best line is not attached to the address (a tagline, a slogan, a sign
            # over a promotion): the line heading the address block is a likelier name.
            head = next(
                (
                    c
                    for c in candidates
                    if c.line < header_end
                    and _heads_address(c.line, texts)
                    and not _PROSE.search(texts[c.line])
                ),
                None,
            )
            if (
                head is not None
                and head.score + ADDRESS_BELOW > best.score
                and not _name_over_trade_line(best, head, lines)
            ):
                best = head
        sign = _sign_over_legal_name(best, candidates, lines)
        doc.supplier_name = _join_name_lines(lines, names, sign.line, legal_below=sign is best)
        name_lines = {
            i for i, n in names.items() if abs(i - sign.line) <= 2 and n in doc.supplier_name
        }
        best = sign
        doc.confidence["supplier_name"] = round(max(0.2, min(0.85, 0.3 * best.score)), 3)

    # "Titulaire du compte : NETPRESSE": the payee of the bank details is the supplier, a
    # stronger cue than the top of the page, which on invoices is often the customer's address.
    for text, f in zip(texts, folded, strict=True):
        match = _ACCOUNT_HOLDER.search(f)
        if match:
            holder = _name_like(text[match.end() :].split("|")[0].split(" - ")[0])
            if holder and not _LABEL_LIKE.search(holder):
                doc.supplier_name = holder
                doc.confidence["supplier_name"] = 0.8
                break

    if doc.supplier_name and doc.text_source == "ocr":
        doc.supplier_name = correct_trade_words(
            restore_letters(doc.supplier_name),
            legal=bool(_LEGAL_SUFFIX.search(doc.supplier_name)),
        )
        doc.supplier_name = correct_name(doc.supplier_name, _read_surely(lines))

    if doc.supplier_name and doc.text_source == "ocr":
        doc.supplier_name = _completed_by_web_address(doc.supplier_name, texts)
        doc.supplier_name = _respelled_from_page(doc.supplier_name, name_lines, texts)

    doc.customer_name = _customer_name(lines)
    if doc.customer_name:
        doc.confidence["customer_name"] = 0.5


def better_name_reading(name: str, other: str) -> bool:
    """Whether `other`, a second reading of the shop's name, is better than `name`: more of
    its letters are in known words (dictionaries, trade words, legal forms), or as many, and
    it reads every word of `name` in order plus words the first reading lost."""
    words, other_words = name_words(name), name_words(other)
    if 2 * sum(word in other_words for word in words) < len(words):
        return False  # another line read as the name, not the same name read better
    support, other_support = _name_support(name), _name_support(other)
    if other_support != support:
        return other_support > support
    if len(other_words) <= len(words):
        return False
    rest = iter(other_words)
    return all(word in rest for word in words)


def name_words(text: str) -> list[str]:
    """The words of `text` as a name is compared: capitals and digits only."""
    return re.findall(r"[A-Z0-9]+", text.upper())


def _name_support(name: str) -> int:
    """Letters of `name` in words the dictionaries, the trade words or the legal forms know."""
    legal = sum(len(m.group(0).replace(" ", "")) for m in _LEGAL_FORM.finditer(name))
    bare = _LEGAL_FORM.sub(" ", name).upper()
    return legal + sum(
        len(word)
        for word in re.findall(r"[A-Z]+", bare)
        if word in TRADE_WORDS or word in SHOP_WORDS or known_word(word)
    )


_WEB_ADDRESS = re.compile(
    r"(?:https?://|www\.)\S+"
    r"|(?<![\w@.])[a-z0-9-]{3,}\.(?:com|de|fr|es|my|net|org|eu|at|ch|it|nl|be|co\.uk)(?![\w.])\S*",
    re.IGNORECASE,
)
# Parts of a web address that are no part of a name.
_WEB_PARTS = re.compile(
    r"https?:?|www|ww|m|com|net|org|my|co|info|biz|html?|php|facebook|fb|instagram|twitter",
    re.IGNORECASE,
)


def _completed_by_web_address(name: str, texts: list[str]) -> str:
    """`name` completed by the shop's web address on the page when that address spells the
    name's words after one or two more ("facebook.com/K-Golden-Lotus-Cafe" under "& GOLDEN
    LOTUS CAFE": the recogniser lost the leading word of the sign)."""
    core = _LEGAL_SUFFIX.sub(" ", name)
    words = [w.upper() for w in re.findall(r"[A-Za-z0-9]+", core)]
    if len(words) < 2:
        return name
    for text in texts:
        for address in _WEB_ADDRESS.findall(text):
            for part in re.split(r"[/.?=&#]+", address):
                if not part or _WEB_PARTS.fullmatch(part):
                    continue
                spelled = re.sub(r"(?<=[a-z])(?=[A-Z])", "-", part)
                slug = [w.upper() for w in re.split(r"[-_]+", spelled) if w]
                extra = len(slug) - len(words)
                if 1 <= extra <= 2 and slug[extra:] == words and all(w.isalpha() for w in slug):
                    return " ".join(slug[:extra]) + " " + name.lstrip(" &+-.,*|")
    return name


def _one_letter_lost(short: str, full: str) -> bool:
    """Whether `short` is `full` with one letter left out (case-insensitive)."""
    short, full = short.upper(), full.upper()
    if len(full) != len(short) + 1 or not full.isalpha():
        return False
    return any(full[:k] + full[k + 1 :] == short for k in range(len(full)))


# A box read with at least this mean confidence is taken as printed by the dictionaries'
# look-alike guess (`lexicon.correct_name`); the slips it mends come in boxes read at
# 0.90-0.99.
READ_SURELY = 0.995


def _read_surely(lines: list[Line]) -> frozenset[str]:
    """The words of the boxes read with confidence `READ_SURELY` or more."""
    return frozenset(
        word
        for line in lines
        for box in line.boxes
        if box.score >= READ_SURELY
        for word in words_of(box.text)
    )


def _respelled_from_page(name: str, name_lines: set[int], texts: list[str]) -> str:
    """`name` with a word the recogniser read one letter short in the big print of a sign
    ("BRMANN") spelled as the page prints it again in small print, in its web address or on
    its legal-name line ("bormann.de", "Karl Bormann GmbH"), when only one word fits."""
    spellings: set[str] = set()
    seen: set[str] = set()
    for i, text in enumerate(texts):
        if i in name_lines:
            continue
        seen.update(w.upper() for w in re.findall(r"[^\W\d_]+", text))
        sources = [re.split(r"[/.:_-]+", a) for a in _WEB_ADDRESS.findall(text)]
        if _LEGAL_SUFFIX.search(text):
            sources.append(re.findall(r"[^\W\d_]+", text))
        spellings.update(w for parts in sources for w in parts if len(w) >= 5 and w.isalpha())

    def fix(match: re.Match[str]) -> str:
        word = match.group(0)
        # A word the page prints as read elsewhere, or a dictionary word, was read right.
        if len(word) < 4 or "'" in word or word.upper() in seen or known_word(word.upper()):
            return word
        if re.match(r"\s?[^\W\d_](?![^\W\d_])", name[match.end() :]):
            return word  # "Hardwar e Centre": the lost letter is only spaced off
        found = {w.upper() for w in spellings if _one_letter_lost(word, w)}
        if len(found) != 1:
            return word
        full = found.pop()
        return full if word.isupper() else full.capitalize()

    return re.sub(r"[^\W\d_]+(?:['’][^\W\d_]+)*", fix, name)


# A bookkeeper's rubber stamp on a paper receipt ("POSTED", "PAID", "BEZAHLT", "PAYÉ"): read
# as a box of its own at either end of a header line, not a word of the shop's name.
_STAMP = _kw(
    r"posted",
    r"paid",
    r"received",
    r"entered",
    r"approved",
    r"checked",
    r"verified",
    r"cancell?ed",
    r"paye",
    r"acquitte",
    r"comptabilise",
    r"bezahlt",
    r"gebucht",
    r"erhalten",
    r"gepruft",
    r"pagado",
    r"recibido",
    r"contabilizado",
    r"dibayar",
    r"lunas",
)


def _unstamped(line: Line, text: str) -> str:
    """The text of OCR line `line` without a stamp word boxed alone at its start or end, and
    its first cell only when a column's gap sets the rest apart (a logo's word at the left
    margin, the other party's block at the right: "azure | Global Wholesaler")."""
    boxes = list(line.boxes)
    for k in range(1, len(boxes)):
        if columns_apart(boxes[k - 1], boxes[k], boxes[k - 1].y1 - boxes[k - 1].y0):
            boxes = boxes[:k]
            break
    while len(boxes) > 1 and _STAMP.fullmatch(_fold(boxes[-1].text.strip(" .!*"))):
        boxes.pop()
    while len(boxes) > 1 and _STAMP.fullmatch(_fold(boxes[0].text.strip(" .!*"))):
        boxes.pop(0)
    return text if len(boxes) == len(line.boxes) else " ".join(b.text for b in boxes)


# Malaysian legal forms: a Malaysian receipt (a GST tax invoice) names its issuer by the
# registered company under any brand or sign printed over it.
_REGISTERED_ISSUER = re.compile(r"(?<![A-Za-z])(?:SDN\.?\s?BHD|BHD|S/B|PLT)(?![A-Za-z])", re.I)
# "MARTIN ET ASSOCIES SA": a société anonyme / sociedad anónima ending the name; "SA
# DISTRIBUTION DUPONT": the French operator's line starting with its form; "Weber & Söhne
# e.K.": a German registered sole trader (eingetragener Kaufmann / Kauffrau).
_SA_OR_EK = re.compile(r"\sS\.?A\.?$|^S\.?A\.?\s+[^\W\d_]{3,}|\se\.?\s?K(?:fm|fr)?\.?$")
# How much larger a shop's sign is printed than the legal-name line under it: its letters
# wider (the width per character) and at least as tall.
SIGN_WIDER = 1.3
SIGN_TALLER = 1.04
# A till printer's double-width mode prints the sign far wider at the same height: letters
# this much wider make it the sign even when no taller (OCR boxes vary a little in height).
SIGN_DOUBLE_WIDTH = 1.45
SIGN_SAME_HEIGHT = 0.9
# A sign in a larger font but in mixed case over a legal name in capitals: its letters are
# clearly taller, not much wider per character (lower case is narrower); its glyphs larger.
SIGN_CLEARLY_TALLER = 1.15
SIGN_LARGER_AREA = 1.35


def _glyph_size(line: Line) -> tuple[float, float]:
    """The height of line `line` and its width per character."""
    width = line.boxes[-1].x1 - line.boxes[0].x0
    return line.y1 - line.y0, width / max(len(line.text), 1)


def _name_over_trade_line(name: _Candidate, head: _Candidate, lines: list[Line]) -> bool:
    """Whether `name` is printed larger right above `head`: a freelancer's or a small firm's
    name over what it does ("Julien Roche" / "Graphiste") and then the address; the line
    heading the address is then the trade, not the name."""
    upper, lower = lines[name.line].boxes[0], lines[head.line].boxes[0]
    return (
        head.line == name.line + 1
        and lines[name.line].page == lines[head.line].page
        and upper.height >= SIGN_CLEARLY_TALLER * lower.height
    )


def _sign_over_legal_name(
    best: _Candidate, candidates: list[_Candidate], lines: list[Line]
) -> _Candidate:
    """A pharmacy, a fuel station, a café prints its sign large at the top and the operating
    company ("SARL DISTRIBUTION ...", "... GmbH & Co. KG") small under it, over the address:
    the sign names the shop. Only when the sign is the first name-like line, right above the
    legal name, and printed clearly larger; a legal name printed as the top line stays."""
    legal = str(best.value)
    legal_form = _LEGAL_SUFFIX.search(legal) or _SA_OR_EK.search(legal)
    if not legal_form or _REGISTERED_ISSUER.search(legal) or best.line == 0:
        return best
    sign = next((c for c in candidates if c.line == best.line - 1), None)
    if (
        sign is None
        or sign is not min(candidates, key=lambda c: c.line)
        or lines[sign.line].page != lines[best.line].page
        or _LEGAL_SUFFIX.search(str(sign.value))
        or _TRADE_ONLY.fullmatch(str(sign.value))
    ):
        return best
    (sign_height, sign_width), (height, width) = (
        _glyph_size(lines[sign.line]),
        _glyph_size(lines[best.line]),
    )
    if sign_width >= SIGN_WIDER * width and sign_height >= SIGN_TALLER * height:
        return sign
    if sign_width >= SIGN_DOUBLE_WIDTH * width and sign_height >= SIGN_SAME_HEIGHT * height:
        return sign
    if (
        sign_height >= SIGN_CLEARLY_TALLER * height
        and sign_height * sign_width >= SIGN_LARGER_AREA * height * width
    ):
        return sign
    return best


def _other_words(folded: str) -> bool:
    """Whether a line has a word of three letters or more besides its country names."""
    return re.search(r"[a-z]{3,}", _COUNTRY.sub("", folded)) is not None


def _not_a_name(name: str) -> bool:
    """Whether a name-like line is a title, a legal notice, an e-mail or a card slip's label."""
    folded = _fold(name)
    return (
        # A country ends a group's national company ("Kirin Denki Malaysia"), alone it is none.
        (
            _NOT_A_NAME.search(_COUNTRY.sub("", folded) if _other_words(folded) else folded)
            is not None
            and not _LEGAL_FORM.search(name)
        )
        or _LEGAL_NOTICE.search(folded) is not None
        or _EMAIL.search(name) is not None
        # "POSTED", "PAID": a bookkeeper's stamp on the receipt, alone on its line
        or _STAMP.fullmatch(folded.strip(" .!*")) is not None
        # "CARTE BANCAIRE", "MAESTRO", "VENTA", "Kartenzahlung kontaktlos": a card slip's labels
        or L.card_slip_label(folded)
    )


# A line that is only a company registration number: "(1234567-X)", "Co. Reg. No: 12345-X".
_REGISTRATION_ONLY = re.compile(
    r"[(\[<]\s*(?:co\.?\s?)?(?:reg\.?\s?)?(?:no\.?\s*[:.]?\s*)?\d{5,12}[\s-]?[A-Za-z]?\s*[)\]>]"
    # "(LLP0007299-LGN)": a Malaysian LLP's number carries letters on both sides; "(ROC:
    # SA0416111-K)": the Registrar of Companies' number of a business (SA: sole proprietor).
    r"|[(\[<]\s*(?:roc\s*[:.]?\s*)?[A-Za-z]{1,4}\d{5,12}[\s-]?[A-Za-z]{0,4}\s*[)\]>]"
    r"|(?:co\.?\s?)?(?:reg\.?|registration|company)\s?(?:no\.?|number)?\s*[:.]?\s*\d{5,12}[\s-]?[A-Za-z]?"
    r"|\d{5,12}-[A-Za-z]",
    re.IGNORECASE,
)
# The operator of a shop printed under its sign ("Owned by", "exploité par", "betrieben von").
_OPERATOR = _kw(
    r"own(?:ed)?\s?by",
    r"operated\s?by",
    r"managed\s?by",
    r"a\s?division\s?of",
    r"exploite\s?par",
    r"betrieben\s?von",
    r"operado\s?por",
)


# How much a line heading the address block may trail a detached best line and still win.
ADDRESS_BELOW = 1.5
# Lines below a name within which its address or contact block starts (a branch or a trade
# line may come in between).
ADDRESS_WINDOW = 2
_POSTCODE_CITY = re.compile(r"(?<![\d.,])\d{4,5}\s+[^\W\d_]{2,}")
# "Pohlweg 110", "Detmolder Str. 4": a street and its house number, nothing else.
_STREET_NUMBER = re.compile(
    r"[^\W\d_][^\W\d_ .'-]*(?:[ .'-]+[^\W\d_]+)*\.?\s\d{1,4}\s?[a-zA-Z]?[,.]?"
)
_PHONE = re.compile(
    r"(?<![a-z])(?:tel\w*|fax|phone|fon|t[eé]l[eé]phone)(?![a-z])|\+?\d[\d ]{1,5}[/-]\s?\d{3,}"
)


# A sentence, not a sign: a question or an exclamation, or three words in a row in lower case
# ("scannen und Feedback geben", "Fragen? Schreiben Sie uns").
_PROSE = re.compile(r"[?!]|(?<![^\s])[a-zäöüß]\w*\s+[a-zäöüß]\w*\s+[a-zäöüß]\w*")


def _heads_address(i: int, texts: list[str]) -> bool:
    """Whether line `i` sits right above an address or contact line (and is not one)."""
    return not _contact_line(texts[i]) and any(
        _contact_line(t) for t in texts[i + 1 : i + 1 + ADDRESS_WINDOW]
    )


def _contact_line(text: str) -> bool:
    """Whether `text` is a line of a header's address or contact block."""
    stripped = text.strip()
    if find_dates(stripped) or re.search(r"\d{1,2}:\d{2}", stripped) or _PRICE.search(stripped):
        return False  # "27.02.2020 15:56 Kasse 02", an item and its price: below the header
    if L.CARD_SLIP_DATA.search(_fold(stripped)):
        return False  # "############3609", "AID A0000000043060", "Terminal-ID 1544": a card slip
    return bool(
        stripped.endswith(",")  # "Second Floor,": an address goes on over several lines
        or _ADDRESS_HINT.search(stripped)
        or _POSTCODE_CITY.search(stripped)
        or _STREET_NUMBER.fullmatch(stripped)
        or _PHONE.search(_fold(stripped))
        or _REGISTRATION_ONLY.fullmatch(stripped)
    )


def _name_evidence(name: str, i: int, texts: list[str], folded: list[str]) -> float:
    """How much line `i`'s look and neighbours say it is the issuer's name."""
    score = 0.0
    if _LEGAL_SUFFIX.search(name):
        score += 1.5
    elif _TRADE_ONLY.fullmatch(name):
        score -= 1.0  # "BISTRO & CAFE" under the sign: what the shop is, not its name
    elif _LEGAL_FORM.search(name) or _SHOP_PREFIX.search(name):
        score += 0.8
    if _ADDRESS_HINT.search(name):
        score -= 1.0
    if name.isupper():
        score += 0.2
    if i + 1 < len(texts) and _REGISTRATION_ONLY.fullmatch(texts[i + 1].strip()):
        score += 1.0  # "SINAR HARAPAN TRADING" / "(1234567-X)": a company, then its number
    if _OPERATOR.search(folded[i - 1] if i > 0 else "") or _OPERATOR.match(folded[i]):
        # "Owned by: X SDN BHD" under the shop's sign: the receipt names the sign first.
        score -= 1.5
    return score


_ACCOUNT_HOLDER = re.compile(
    r"(?<![a-z])(?:titulaire(?:\s+du\s+compte)?|account\s+holder|account\s+name|kontoinhaber"
    r"|titular(?:\s+de\s+la\s+cuenta)?|beneficiaire|beneficiary|payee)\s*:\s*"
)
_LABEL_LIKE = re.compile(
    r":\s*$|@|\b(?:adresse|address|name|nom|email|e-mail|phone|tel|date|datum|fecha|n°|no\.)\b",
    re.IGNORECASE,
)


def _customer_name(lines: list[Line]) -> str | None:
    """The name after a customer label ("Bill to", "Client", "Kunde", "Cliente"...): the rest
    of the label's box, else the next box on the line, else the box below the label."""
    for i, line in enumerate(lines):
        for k, box in enumerate(line.boxes):
            folded = _label_text(box.text)
            match = _CUSTOMER.search(folded)
            if not match or re.search(r"customer\s?(?:service|care)|service\s?client", folded):
                continue
            options = [box.text[match.end() :].lstrip(" :.-#")]
            header_row = len(line.boxes) >= 3 and not any(
                ch.isdigit() for b in line.boxes for ch in b.text
            )
            right = line.boxes[k + 1] if k + 1 < len(line.boxes) and not header_row else None
            below = _box_below(lines, i, box)
            height = max(box.y1 - box.y0, 1.0)
            if right is not None and (below is None or right.x0 - box.x1 <= COLUMN_GAP * height):
                options.append(right.text)
            if below is not None:
                # A caption over its block: a box far to its right on the caption's line is in
                # another column (the seller's name beside "Bill to"), the name is below.
                options.append(below.text)
            for option in options:
                name = _clean_name(option)
                if (
                    sum(ch.isalpha() for ch in name) >= 3
                    and not re.search(r"\d{3}", name)
                    and not _LABEL_LIKE.search(option)
                    and not _CUSTOMER.search(_label_text(name))
                ):
                    return name
    return None


# Company registration numbers printed after a name: "(256864-P)", "169609A", "Co. No. 123".
_REG_SUFFIX = re.compile(
    r"[\s(\[]*+(?:"
    r"(?:co\.?\s?(?:reg\.?\s?)?no\.?|company\s?no\.?|reg\.?\s?no\.?)[\s:.]*\(?\d{3,}[\s-]?[A-Z]?\)?"
    r"|(?<=\()\d{3,}[\s-]?[A-Z]?\)?|\d{3,}[\s-]?[A-Z]\)?|\d{5,}\)?"
    r")[\s.]*$",
    re.IGNORECASE,
)
# A filing number at either end of a line: letters then five digits or more ("B07214"), or
# digits with dots and dashes ("41902013", "5-1806123"), or a till's numbered stamp
# ("#000002").
# "(P). TIGA BINTANG CASH & CARRY": a lone bracketed letter opening the name's line is a logo or a
# mark read as text (a bracketed letter inside a name is its place: "CO. (M) SDN BHD").
_LEADING_MARK = re.compile(r"^\([A-Za-z]\)[.:,]?\s+(?=[^\W\d_]{2,})")
# "AOS080", "A06035": a store or filing code alone on its line, a few letters glued to
# digits, is no name nor part of one (its digits cleaned off, "AOS" would open the name).
_LONE_CODE = re.compile(r"[A-Za-z]{1,4}\d{3,}")
_FILING_CODE = re.compile(
    r"^#?[A-Za-z]{0,2}\d[\d.\-/]{4,}[A-Za-z]?\s+|\s+[A-Za-z]{1,2}\d{5,}[A-Za-z]?$"
)
# OCR misreadings of the commonest legal forms; fixing them is generic, not per merchant.
_LEGAL_FIXES = [
    # Its D may come out as a thin stroke ("SDNBHI"), or accented ("SÓN BHD"); its H as an N
    # ("Sdn Bnd").
    (
        re.compile(r"\bS[O0DQEIL1ÓÒÖÔÐ]?N\.?\s?[B3][HN][D0OI1l](?![A-Za-z])", re.IGNORECASE),
        "SDN BHD",
    ),
    # "CO." read "C6." or "C0." before the bracketed place of a legal form: "AEON C6.(M) BHD".
    (re.compile(r"\bC[06]\.(?=\s?\((?:M|KL)\))"), "CO."),
    # "S/B" (Sendirian Berhad) read as "5/B", "5B" or "S8" after a name.
    (re.compile(r"(?<=[A-Z] )(?:5\s?/?\s?[B8]|S\s?/?\s?8|S\s?/\s?0)(?![A-Za-z0-9])"), "S/B"),
    # "BHD" with its H lost, after "SDN" or a "(M)" (Malaysia): "AEON CO. (M) BD".
    (re.compile(r"(SDN\.?\s?|\(M\)\s?)B[DO0](?![A-Za-z0-9])"), r"\1BHD"),
    # "SDN" is only ever followed by "BHD" (Sendirian Berhad): a part of it lost, "SDN D".
    (re.compile(r"\bSDN\.?\s?(?:BH|HD|D)(?![A-Za-z0-9])", re.IGNORECASE), "SDN BHD"),
    (re.compile(r"\bGMB[H4]\b", re.IGNORECASE), "GmbH"),
    # The bracketed place before a Malaysian legal form, "(M)" for Malaysia and "(KL)" for
    # Kuala Lumpur, with a look-alike slip: "(H) SDN BHD", "(KI) SDN BHD", "(EL) SDN BHD".
    (re.compile(r"\([HN]\)(?=\s?(?:SDN|BHD|S/B)(?![A-Za-z]))"), "(M)"),
    (re.compile(r"\((?:K[I1l|]|E[Ll])\)(?=\s?(?:SDN|BHD|S/B)(?![A-Za-z]))"), "(KL)"),
]


_GREETING = re.compile(
    r"^\s*(?:bienvenue|welcome|willkommen|bienvenido|benvenuti|selamat\s+datang)\b[\s,!]*"
    r"(?:(?:chez|dans|au|aux|à|a|bei|im|in|zu|to|at|en|ke|di)\b\s*)?",
    re.IGNORECASE,
)
_PRICE = re.compile(r"(?<![\d.,])\d{1,6}[.,]\d{2}(?![\d.,])")

_TITLE_SUFFIX = re.compile(
    r"\s+(?:tax\s+)?(?:invoice|facture|rechnung|factura|factuur|receipt|quittung|ticket)$",
    re.IGNORECASE,
)


_UNIT_WORD = re.compile(
    r"eur|euro|euros|usd|gbp|chf|rm|€|\$|kg|g|l|stk|st|pcs|x|\*|=|-|ea|qty|menge|preis|price"
)


# "Sold By : WS Retail" / "Vendu par : ..." / "Verkäufer: ...": the label of the seller's
# name, printed on its line (the colon tells a label from a name that starts with the word).
_SELLER_LABEL = re.compile(
    r"^(?:sold\s+by|seller|vendor|supplier|vendu\s+par|vendeur|fournisseur|verk[aä]ufer"
    r"|lieferant|rechnungssteller|vendedor|proveedor|emisor)\s*:\s*",
    re.IGNORECASE,
)


# A branch's or a till's number on its own line ("Store #8508", "Filiale 0815", "Magasin
# n° 45", "Tienda nº 12", "Caisse 3"): the shop's number, not its name. A branch word with
# a short bare number may be a sign ("Store 24"); a till's never is.
_NUMBER_MARK = r"(?:#|n\s?[°ºo]\.?|no\.?|nr\.?|num(?:ero|ber|\.)?)"
_BRANCH_NUMBER = re.compile(
    r"(?:store|shop|branch|outlet|filiale|fil\.|magasin|tienda|sucursal|loja|negozio|"
    rf"punto\s?vendita)\s*(?:{_NUMBER_MARK}\s*[:.]?\s*\d{{1,8}}|[:.]?\s*\d{{3,8}})"
    rf"|(?:kasse|caisse|caja|till|pos|register|terminal|tpv)\s*{_NUMBER_MARK}?\s*[:.]?\s*\d{{1,8}}",
    re.IGNORECASE,
)


def _name_like(raw: str) -> str | None:
    """`raw` cleaned into a candidate name, or None if it cannot be one."""
    if _BRANCH_NUMBER.fullmatch(_fold(raw.strip())) or _LONE_CODE.fullmatch(raw.strip()):
        return None
    # "M O D E": a sign printed letter-spaced.
    name = _clean_name(unspaced_letters(L.PAYEE_LABEL.sub("", _SELLER_LABEL.sub("", raw.strip()))))
    marked = _LEADING_MARK.match(name)
    if marked and not _LEGAL_SUFFIX.match(name, marked.end()):  # not "(M) SDN BHD"
        name = name[marked.end() :]
    if all(_UNIT_WORD.fullmatch(w) for w in re.findall(r"[^\s\d.,:/]+", name.lower())):
        return None  # "EUR", "KG EURO": a column header of prices, not a name
    for pattern, replacement in _LEGAL_FIXES:
        name = pattern.sub(replacement, name)
    name = _AMPERSAND_READ_AS_G.sub(_ampersand, name)
    name = _trimmed(_REG_SUFFIX.sub("", name))
    # "B07214 SENG HUAT RESTAURANT", "... RESTAURANT B07214": a filing number written or
    # stamped on the paper, read into the name's line (kept when no name of two words is left).
    rest = _trimmed(_FILING_CODE.sub("", name))
    if rest != name and len(re.findall(r"[^\W\d_]{2,}", rest)) >= 2:
        name = rest
    # "... SDN BHD 2805", "... SDN BHD CO NO": a registration tail after the legal form.
    suffixes = list(_LEGAL_SUFFIX.finditer(name))
    suffix = suffixes[-1] if suffixes else None
    if suffix is not None and (
        _registration_tail(name[suffix.end() :])
        or (_CLOSING_FORM.fullmatch(suffix.group(0)) and _column_word_tail(name[suffix.end() :]))
    ):
        name = name[: suffix.end()].strip()
    # "Example Cloud Services Invoice": a document title printed on the name's line.
    name = _trimmed(_TITLE_SUFFIX.sub("", name))
    letters = sum(ch.isalpha() for ch in name)
    if letters < 3 or letters < 0.5 * len(name.replace(" ", "")):
        return None
    if _PRICE.search(name):
        return None  # "TOTAL 12.40", "2 x 3,50": a price line, whatever its words
    return name


# "STATIONERY G BOOKS": a lone capital G between two words of a name, the ampersand it looks
# like. Only between dictionary words, one of them a shop's trade ("HARDWARE & TIMBER"):
# between a person's names a lone capital is an initial ("TAN G HOCK", "JOHN G SMITH").
_AMPERSAND_READ_AS_G = re.compile(r"(?<![^\W\d_])([^\W\d_]{4,}) G (?=([^\W\d_]{4,})(?![^\W\d_]))")


def _ampersand(match: re.Match[str]) -> str:
    before, after = match.group(1), match.group(2)
    words = before.upper(), after.upper()
    if all(map(in_dictionary, words)) and any(w in SHOP_WORDS or w in TRADE_WORDS for w in words):
        return f"{before} & "
    return match.group(0)


# Legal forms that close a name ("... SDN BHD", "... LTD"), unlike the French ones that may
# open it ("SARL DUPONT")...
_CLOSING_FORM = re.compile(r"SDN\.?\s?BHD\.?|BHD\.?|S/B|LTD\.?|LIMITED|PLC|LLC|INC\.?|GMBH", re.I)
# ...then a word of the receipt's columns or totals, whole or cut, on the name's line ("HUGO
# TRADING SDN BHD Tota": a label of the folded paper beside it). A place stays ("... SDN BHD
# KEPONG", a branch).
_COLUMN_WORDS = ("TOTAL", "AMOUNT", "PRICE", "QTY", "QUANTITY", "DESCRIPTION", "ITEM", "CASH")


def _column_word_tail(tail: str) -> bool:
    word = tail.strip(" .:").upper()
    return len(word) >= 3 and word.isalpha() and any(w.startswith(word) for w in _COLUMN_WORDS)


# Abbreviations that end a line of a name with their dot: "TAN BOOK CO." / "(M) SDN BHD".
_ABBREVIATION_END = re.compile(r"(?<![^\W\d_])(?:CO|BHD|LTD|INC|CIE|ETS|CORP)$", re.I)


def _trimmed(name: str) -> str:
    """`name` without the punctuation left at its ends by what was cut off, keeping an
    opening bracket that a closing one answers ("(M) SDN BHD" under "TAN BOOK CO.")."""
    trimmed = name.strip(" :;,.-*|(")
    if trimmed.count(")") > trimmed.count("(") and name.lstrip(" :;,.-*|").startswith("("):
        trimmed = "(" + trimmed
    return _with_abbreviation_dot(name, trimmed)


def _with_abbreviation_dot(text: str, stripped: str) -> str:
    """`stripped` (`text` without the punctuation at its ends) with the dot back when it
    closed an abbreviation ("TAN BOOK CO." over "(M) SDN BHD", "ACME LTD.")."""
    if _ABBREVIATION_END.search(stripped) and text.rstrip(" :;,-*|").endswith(stripped + "."):
        return stripped + "."
    return stripped


def _registration_tail(tail: str) -> bool:
    """Whether `tail`, printed after a name's legal form, is no word of the name: no run of
    four letters, or one number of the company register with digits OCR read as look-alike
    capitals ("862725-U" read "8OZTZ5-U")."""
    return not re.search(r"[A-Za-z]{4,}", tail) or _MISREAD_REGISTRATION.fullmatch(tail) is not None


# A Malaysian company number ("862725-U") with some digits read as look-alike capitals, at
# least two digits left.
_MISREAD_REGISTRATION = re.compile(
    r"[\s(\[]*(?=(?:[^\d]*\d){2})[0-9OZSIBDGTQ]{4,8}[\s-]?[A-Z]?[)\]\s.]*"
)


# A Malay trade word that opens a shop's name, then the name: the line is the name's first,
# nothing above it belongs to it ("Dms" / "RESTORAN KAYU MANIS": a logo's letters).
_OPENS_NAME = re.compile(rf"(?:RESTORAN|{_SHOP_PREFIX.pattern})\s+[^\W\d_]{{2,}}", re.I)


# A line that is one bracketed phrase, its closing bracket maybe lost: "(MAJU MART)".
_BRACKETED = re.compile(r"\([^()]*\)?")


def _join_name_lines(
    lines: list[Line], names: dict[int, str], best: int, *, legal_below: bool = True
) -> str:
    """The name at line `best`, joined with adjacent lines when a name is printed over two or
    three lines: upwards while the top fragment is not a name on its own (a bare legal form,
    an unbalanced parenthesis, a trade word such as ENTERPRISE), downwards when the name has
    no legal form and the next line brings one (not with `legal_below` False: the sign was
    chosen over that legal name)."""

    def close(a: int, b: int) -> bool:
        upper, lower = lines[a], lines[b]
        height = max(upper.y1 - upper.y0, 1.0)
        gap = lower.y0 - upper.y1
        return upper.page == lower.page and upper.y0 < lower.y0 and gap <= 0.8 * height

    def joinable(i: int) -> bool:
        return (
            i in names
            and not _REGISTRATION_ONLY.fullmatch(lines[i].text.strip())
            and not _ADDRESS_HINT.search(names[i])
            and not _NOT_A_NAME.search(_COUNTRY.sub("", _fold(names[i])))
        )

    def fragment(text: str) -> bool:
        core = _LEGAL_SUFFIX.sub("", text).strip(" .,-")
        words = re.findall(r"[A-Za-z]{3,}", re.sub(r"\([^)]*\)", "", core))
        if not words:
            return True  # "CO. (M) SDN BHD": the name is on the line above
        if _OPENS_NAME.match(text):
            return False  # "RESTORAN KAYU MANIS": a Malay trade word opens the name, whole
        starts_with_trade = bool(_LEGAL_FORM.match(text)) and not _LEGAL_SUFFIX.match(text)
        return (
            sum(ch.isalpha() for ch in core) < 3
            or (len(core.split()) <= 1 and len(core) < 12)  # not "PELANGIBOOKSCORNER"
            or text.count("(") != text.count(")")
            or starts_with_trade
        )

    top = bottom = best
    while best - top < 2 and fragment(names[top]) and joinable(top - 1) and close(top - 1, top):
        top -= 1
    if top < best and _BRACKETED.fullmatch(names[best]):
        above = " ".join(names[i] for i in range(top, best))
        if _LEGAL_SUFFIX.search(above):
            # "MAJU RACKING SDN BHD" / "(MAJU MART)": the bracketed line under a legal
            # name is its shop's sign or branch, not part of the company's name.
            return above
    name_so_far = " ".join(names[i] for i in range(top, bottom + 1))
    # "KAYU MANIS HARDWARE &" / "ELECTRICAL": a name ending with its conjunction goes on.
    if (
        re.search(r"(?:&|\band|\bund|\bet|\by)$", name_so_far, re.IGNORECASE)
        and joinable(bottom + 1)
        and close(bottom, bottom + 1)
    ):
        bottom += 1
        name_so_far = " ".join(names[i] for i in range(top, bottom + 1))
    if (
        legal_below
        and not _LEGAL_SUFFIX.search(name_so_far)
        and joinable(bottom + 1)
        and close(bottom, bottom + 1)
        and _LEGAL_SUFFIX.search(names[bottom + 1])
        and len(names[bottom + 1].split()) <= 4
    ):
        bottom += 1
    return " ".join(names[i] for i in range(top, bottom + 1))


def _clean_name(text: str) -> str:
    text = re.sub(r"\s+", " ", text)
    return _with_abbreviation_dot(text, text.strip(" :;,.-*|"))[:120]
