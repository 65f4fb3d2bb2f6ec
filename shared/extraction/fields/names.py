"""The supplier's name (a receipt's merchant, an invoice's seller) and the customer's: the
header line that reads as a name, joined over two or three lines, cleaned of stamps, codes
and OCR slips (how one line is cleaned into a name is `name_lines`').
"""

from __future__ import annotations

import re

from .. import labels as L
from ..layout import COLUMN_GAP, Line, columns_apart
from ..lexicon import (
    SHOP_WORDS,
    TRADE_WORDS,
    correct_name,
    correct_trade_words,
    in_dictionary,
    known_word,
    restore_letters,
    words_of,
)
from ..model import ExtractedDocument, FieldCandidate
from ..parsing import (
    _fold,
    find_dates,
)
from .name_lines import (
    LEGAL_SUFFIX,
    PRICE,
    clean_name,
    name_like,
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

# "Julien Chevalier El": the French sole trader's mention "EI" (entrepreneur individuel) read
# with a small L, as the Spanish article, which never ends a name.
SOLE_TRADER_READ_EL = re.compile(r"(?<=\w )El$")
# "Salescompany Itd": "ltd" with its small L read as a capital I (no word is "Itd").
LIMITED_READ_ITD = re.compile(r"(?<=\w )Itd(?=\.?$)")
_LONG_WORD = re.compile(r"[A-Za-z]{5,}")
_I_PART = 4


def capital_i_read_as_l(name: str) -> str:
    """`name` with a capital I that OCR read as a small l (one stroke in a sans-serif face)
    put back where no dictionary knows the word read and the I makes known words of it, of
    `_I_PART` letters or more: "Simplerlnvoicing" (SimplerInvoicing), "lnvest" (Invest)."""

    def known(part: str) -> bool:
        return len(part) >= _I_PART and in_dictionary(part.upper())

    def mend(match: re.Match[str]) -> str:
        word = match.group(0)
        if in_dictionary(word.upper()):
            return word
        if word[0] == "l" and word[1].islower() and known("I" + word[1:]):
            return "I" + word[1:]
        for i in range(_I_PART, len(word) - _I_PART):
            if (
                word[i] == "l"
                and word[i - 1].islower()
                and word[i + 1].islower()
                and known(word[:i])
                and known("I" + word[i + 1 :])
            ):
                return word[:i] + "I" + word[i + 1 :]
        return word

    return _LONG_WORD.sub(mend, name)


# A country alone is not a name; ending one, it is the national company of a group, above its
# legal form ("Kirin Denki Malaysia" / "Sdn Bhd", "Ikea Deutschland" / "GmbH & Co. KG").
_COUNTRIES = r"nederland|deutschland|germany|france|espana|spain|belgique|belgie|malaysia|india"
_COUNTRY = L.kw(_COUNTRIES)

# Lines that are not a name: document titles, contact data, boilerplate.
_NOT_A_NAME = L.kw(
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
    # An American till's: who hosted or served, the checkout lane, eat in or take out.
    r"host",
    r"server",
    r"lane\s?#?\s?\d+",
    r"dine\s?in",
    r"take\s?(?:out|away)",
    r"prepaid",
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
# The till's, the pump's and the slip's numbers, the toll's vehicle class, a licence plate: a
# label with its number ("Store:056 Tran#:C Terminal:001", "PUMP# 3", "CLASS 2", "LP# 575WLS",
# "SERIAL #"), never a shop's name even with a trade word ("store") in it (`_till_line`); not
# a store's bare number, which chains print with their name ("CRACKER BARREL STORE 337").
_TILL_NUMBER = L.kw(
    r"(?:terminal|pos|pump|class|register|till)\s?(?:#|no\.?|nr\.?|id|:)?\s?\d+",
    r"(?:store|terminal|tran|trans|lp|car|serial|seq\w*)\s?(?:#|:|no\.?|number)",
)


def _till_line(folded: str) -> bool:
    """Whether a line opens with a till's label and its number and holds no name after it (no
    word of letters alone, or another such label): "Store: 1 Kelly Beauty Supply" names the
    shop after its store number, "Store:056 Tran#:C Terminal:001" does not."""
    text = folded.strip()
    opening = _TILL_NUMBER.match(text)
    if opening is None:
        return False
    rest = text[opening.end() :]
    if _TILL_NUMBER.search(rest):
        return True
    return not any(re.fullmatch(r"[a-z]{3,}", word) for word in re.split(r"[\s:,.#-]+", rest))


# A company's legal notice, not its name even though it carries the legal form ("SAS au
# capital de 10 000 EUR", "RCS Paris B 123 456 789", "Amtsgericht Köln HRB 1234"), and
# opening hours.
_LEGAL_NOTICE = L.kw(
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
    r"faubourg|passage|square)\s"
    # The house number, then a numbered road: "255 HIGHWAY 99", "1200 State Route 4".
    r"|^\d{1,5}\s+(?:[^\W\d_]+\s+){0,3}(?:highway|hwy|route|rte)\s?#?\d{1,4}[a-z]?$",
    re.IGNORECASE,
)
_STATE_CODES = "|".join(sorted(L.US_STATES | L.CANADIAN_PROVINCES))
_ZIP_OR_POSTAL_CODE = r"(?:\d{5}(?:-\d{4})?|[A-Z]\d[A-Z]\s?\d[A-Z]\d)"
# The last line of a North American address: the city, its state or province, maybe its ZIP
# or postal code ("Las Vegas, NV 89104", "Surrey, BC V3S 9N7", "EUREKA MO 63025", "Atlantic
# City, New Jersey"), or the postal code alone. Capitals are the state's: a comma or a code
# must follow the city, so that a company ending in CO, NV or IN is not read as one.
_NORTH_AMERICAN_CITY = re.compile(
    rf"[^\W\d_](?:[^\W\d_]|[ .'-]){{1,40}},\s?(?:{_STATE_CODES})\.?(?:\s+{_ZIP_OR_POSTAL_CODE})?"
    rf"|[^\W\d_](?:[^\W\d_]|[ .'-]){{1,40}}\s(?:{_STATE_CODES})\s+{_ZIP_OR_POSTAL_CODE}"
    rf"|[^\W\d_](?:[^\W\d_]|[ .'-]){{1,40}},\s?(?i:{L.US_STATE_NAMES})"
    r"|[A-Z]\d[A-Z]\s?\d[A-Z]\d"
)


def _header_name(line: Line, text: str, source: str) -> str | None:
    """The name a header line may be, or None."""
    if line.boxes[0].text.rstrip().endswith(":"):
        return None  # "Post code: | 05226": a row's label, its own box
    # In a PDF text layer a line can span columns; the name is its first cell.
    raw = line.boxes[0].text if source == "pdf_text" else _unstamped(line, text)
    # "Bienvenue chez Primeur Dumas", "Willkommen bei …": the name after the greeting.
    return name_like(L.TRADING_NAME_OF.sub("", _GREETING.sub("", raw)))


def fill_names(
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
    customer_zone = L.customer_zone(folded)
    first_page = lines[0].page
    candidates: list[FieldCandidate[str]] = []
    names: dict[int, str] = {}
    name_lines: set[int] = set()
    top = [i for i, line in enumerate(lines) if line.page == first_page][:14]
    # The header ends where the items start: the first line with a price.
    header_end = next((i for i in top if PRICE.search(texts[i])), len(texts))
    # With a legal form or a registration number in the header, the legal name is the issuer.
    legal_header = any(
        LEGAL_SUFFIX.search(texts[i]) or _REGISTRATION_ONLY.search(texts[i]) for i in top
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
            read = correct_trade_words(name, legal=bool(LEGAL_SUFFIX.search(name)))
        score = 1.5 - 0.12 * rank + _name_evidence(read, i, texts, folded)
        candidates.append(FieldCandidate(name, score * quality[i], i))
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
            holder = name_like(text[match.end() :].split("|")[0].split(" - ")[0])
            if holder and not _LABEL_LIKE.search(holder):
                doc.supplier_name = holder
                doc.confidence["supplier_name"] = 0.8
                break

    if doc.supplier_name and doc.text_source == "ocr":
        doc.supplier_name = correct_trade_words(
            restore_letters(doc.supplier_name),
            legal=bool(LEGAL_SUFFIX.search(doc.supplier_name)),
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
    core = LEGAL_SUFFIX.sub(" ", name)
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
        if LEGAL_SUFFIX.search(text):
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
_STAMP = L.kw(
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


def _name_over_trade_line(
    name: FieldCandidate[str], head: FieldCandidate[str], lines: list[Line]
) -> bool:
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
    best: FieldCandidate[str], candidates: list[FieldCandidate[str]], lines: list[Line]
) -> FieldCandidate[str]:
    """A pharmacy, a fuel station, a café prints its sign large at the top and the operating
    company ("SARL DISTRIBUTION ...", "... GmbH & Co. KG") small under it, over the address:
    the sign names the shop. Only when the sign is the first name-like line, right above the
    legal name, and printed clearly larger; a legal name printed as the top line stays."""
    legal = str(best.value)
    legal_form = LEGAL_SUFFIX.search(legal) or _SA_OR_EK.search(legal)
    if not legal_form or _REGISTERED_ISSUER.search(legal) or best.line == 0:
        return best
    sign = next((c for c in candidates if c.line == best.line - 1), None)
    if (
        sign is None
        or sign is not min(candidates, key=lambda c: c.line)
        or lines[sign.line].page != lines[best.line].page
        or LEGAL_SUFFIX.search(str(sign.value))
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
        or _till_line(folded)
        or _EMAIL.search(name) is not None
        # "Las Vegas, NV": a city and its state (NV no Dutch company's legal form there)
        or _NORTH_AMERICAN_CITY.fullmatch(name.strip()) is not None
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
_OPERATOR = L.kw(
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
    if find_dates(stripped) or re.search(r"\d{1,2}:\d{2}", stripped) or PRICE.search(stripped):
        return False  # "27.02.2020 15:56 Kasse 02", an item and its price: below the header
    if L.CARD_SLIP_DATA.search(_fold(stripped)):
        return False  # "############3609", "AID A0000000043060", "Terminal-ID 1544": a card slip
    return bool(
        stripped.endswith(",")  # "Second Floor,": an address goes on over several lines
        or _ADDRESS_HINT.search(stripped)
        or _NORTH_AMERICAN_CITY.fullmatch(stripped)
        or _POSTCODE_CITY.search(stripped)
        or _STREET_NUMBER.fullmatch(stripped)
        or _PHONE.search(_fold(stripped))
        or _REGISTRATION_ONLY.fullmatch(stripped)
    )


def _name_evidence(name: str, i: int, texts: list[str], folded: list[str]) -> float:
    """How much line `i`'s look and neighbours say it is the issuer's name."""
    score = 0.0
    if LEGAL_SUFFIX.search(name):
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
            folded = L.label_text(box.text)
            match = L.CUSTOMER.search(folded)
            if not match or re.search(r"customer\s?(?:service|care)|service\s?client", folded):
                continue
            options = [box.text[match.end() :].lstrip(" :.-#")]
            header_row = len(line.boxes) >= 3 and not any(
                ch.isdigit() for b in line.boxes for ch in b.text
            )
            right = line.boxes[k + 1] if k + 1 < len(line.boxes) and not header_row else None
            below = L.box_below(lines, i, box)
            height = max(box.y1 - box.y0, 1.0)
            if right is not None and (below is None or right.x0 - box.x1 <= COLUMN_GAP * height):
                options.append(right.text)
            if below is not None:
                # A caption over its block: a box far to its right on the caption's line is in
                # another column (the seller's name beside "Bill to"), the name is below.
                options.append(below.text)
            for option in options:
                name = clean_name(option)
                if (
                    sum(ch.isalpha() for ch in name) >= 3
                    and not re.search(r"\d{3}", name)
                    and not _LABEL_LIKE.search(option)
                    and not L.CUSTOMER.search(L.label_text(name))
                ):
                    return name
    return None


_GREETING = re.compile(
    r"^\s*(?:bienvenue|welcome|willkommen|bienvenido|benvenuti|selamat\s+datang)\b[\s,!]*"
    r"(?:(?:chez|dans|au|aux|à|a|bei|im|in|zu|to|at|en|ke|di)\b\s*)?",
    re.IGNORECASE,
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
        core = LEGAL_SUFFIX.sub("", text).strip(" .,-")
        words = re.findall(r"[A-Za-z]{3,}", re.sub(r"\([^)]*\)", "", core))
        if not words:
            return True  # "CO. (M) SDN BHD": the name is on the line above
        if _OPENS_NAME.match(text):
            return False  # "RESTORAN KAYU MANIS": a Malay trade word opens the name, whole
        starts_with_trade = bool(_LEGAL_FORM.match(text)) and not LEGAL_SUFFIX.match(text)
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
        if LEGAL_SUFFIX.search(above):
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
        and not LEGAL_SUFFIX.search(name_so_far)
        and joinable(bottom + 1)
        and close(bottom, bottom + 1)
        and LEGAL_SUFFIX.search(names[bottom + 1])
        and len(names[bottom + 1].split()) <= 4
    ):
        bottom += 1
    return " ".join(names[i] for i in range(top, bottom + 1))
