"""What reads as a party's name on an invoice: a phrase of boxes, the lines that are
labels, addresses, registrations or titles instead, and a name's legal form.
"""

from __future__ import annotations

import re

from .. import labels as L
from ..layout import Line
from ..parsing import _fold
from .amounts import ANY_AMOUNT_LABEL

# The caption of a tax representative's block, alone on its line ("Représentant fiscal",
# "Fiscal representative", "Fiskalvertreter", "Representante fiscal"): neither a party's name
# nor part of the block above it.
REPRESENTATIVE_CAPTION = re.compile(
    r"\s*(?:(?:le|el|the|der|die)\s)?(?:(?:representant|representante)\s(?:fiscal|tributario)"
    r"|(?:fiscal|tax|vat)\s?representative|fiskalvertret(?:er|ung)"
    r"|steuerliche[rn]?\s?vertret(?:er|ung))\s?:?\s*"
)


_NOT_NAME = L.kw(
    r"nummer",
    r"number",
    r"numero",
    r"n[°º]",
    r"nr",
    r"gln",
    r"id",
    # A phone's label, not every word it opens ("Deutsche Telekom AG", "Telefónica").
    r"tel",
    r"telf",
    r"telefon(?:nummer|nr)?",
    r"telefono",
    r"telephone",
    r"telefax",
    r"phone",
    r"fax",
    r"e-?mail",
    r"www",
    r"http\w*",
    r"iban",
    r"bic",
    r"swift",
    r"tva",
    r"vat",
    r"ust\w*",
    r"steuer(?!berat)\w*",  # a tax adviser's firm is a name ("Steuerberatungsgesellschaft")
    r"mwst",
    r"iva",
    r"n\.?\s?i\.?\s?f",
    r"c\.?\s?i\.?\s?f",
    r"uid",
    r"btw",
    r"company\s?no",
    r"registro",
    r"handelsregister\w*",
    r"siret",
    r"siren",
    r"rcs",
    r"anschrift",
    r"adresse",
    r"address",
    r"contact",
    r"kontakt",
    r"date",
    r"datum",
    r"page",
    r"seite",
    r"stylesheet",
    r"muster\w*rechnung",
    r"visualisierung",
    r"erechnung",
    r"xml",
    r"zugferd",
    r"factur-?x",
    r"logo",
    r"\w*datum",
    r"referenz\w*",
    r"bitte",
    r"please",
    r"veuillez",
    r"references?",
    r"referenzen",
    r"referencias",
)
# A sample's word heads a specimen ("Beispielrechnung", "Sample invoice"); before a legal form
# it names a party, as specimens and test invoices name theirs ("Beispiel Handel KG", "Example
# Ltd").
_SAMPLE_WORD = L.kw(r"beispiel\w*", r"example", r"sample")


def _not_a_name(folded: str, name: str) -> bool:
    """A label's, a heading's or a specimen's words (`_NOT_NAME`, `_SAMPLE_WORD`)."""
    if _NOT_NAME.search(folded):
        return True
    return bool(_SAMPLE_WORD.search(folded)) and not ENDS_LEGAL.search(name)


# A street's word opens an address line; before a legal form it is part of a name ("Rue du
# Commerce SAS", "Avenue Software Ltd").
_ADDRESS_WORD = L.kw(
    r"strasse",
    r"str",
    r"rue",
    r"street",
    r"calle",
    r"avenue",
    r"road",
    r"\w*(?:strasse|straße|str\.|weg|platz|allee|gasse|damm)",
    r"chemin",
    r"boulevard",
    r"avenida",
)
# A country alone is an address's last line; before a legal form it is part of a group's
# national company's name ("Vodafone Deutschland GmbH", "Orange France SA").
_COUNTRY = L.kw(
    r"deutschland",
    r"germany",
    r"france",
    r"espana",
    r"spain",
    r"belgique",
    r"belgie",
    r"nederland",
    r"osterreich",
    r"austria",
    r"schweiz",
    r"suisse",
    r"italia",
    r"italy",
    r"luxembourg",
    r"united\s?kingdom",
)
# The final dot of "S.A." / "S.L." is optional: `name_text` trims it off a name.
LEGAL = re.compile(
    r"(?<![A-Za-z])(?:GMBH|AG|KG|KGAA|OHG|UG|GBR|PARTG|E\.?\s?K\.?|E\.?\s?V\.?|A\.?\s?G\.?|"
    r"SARL|SAS|SASU|EURL|SA|SNC|SCI|SCP|SCOP|SELARL|SELAS|SPRL|SCRL|DAC|CLG|"
    r"S\.A\.T|S\.L\.L|S\.L\.N\.E|S\.\s?COOP|S\.\s?COM|S\.C\.P|"
    r"S\.A(?:\.S|\.U)?|S\.L(?:\.U)?|SL|SLU|SAU|B\.?V\.?|N\.?V\.?|LTD|LIMITED|PLC|LLC|INC|CORP|LLP|SDN\.?\s?BHD|BHD|"
    r"S\.?R\.?L\.?|SPA|S\.P\.A\.?|SE|CO\.?)(?![A-Za-z])\.?",
    re.IGNORECASE,
)
REGISTRY = L.kw(
    r"gesch(?:a|ae)ftsf(?:u|ue)hr\w*",
    r"handelsregister\w*",
    r"registergericht",
    r"amtsgericht",
    r"hrb",
    r"hra",
    r"capital",
    r"kapital",
    r"rcs",
    r"siret",
    r"siren",
    r"registered",
    r"company\s?(?:no|number|reg\w*)",
    r"registro\s?mercantil",
    r"vorstand",
    r"sitz",
    r"ape",
    r"naf",
)


def legal_form_below(lines: list[Line], i: int) -> bool:
    """Whether a line of legal mentions opening with a legal form follows line `i` within
    two lines ("Société Hôtelière du Pacano" / its address / "SASU au capital de 200000 €
    - SIRET ..."): the name's legal form is printed there, not after it."""
    for line in lines[i + 1 : i + 3]:
        opening = LEGAL.match(line.text.strip())
        if opening and LEGAL_MENTION.match(" " + line.text.strip()[opening.end() :]):
            return True
    return False


LEGAL_MENTION = re.compile(
    r"[\s,]+(?:au\s+capital|capital\s+social|soci[ée]t[ée]\s+(?:anonyme|par\s+actions)|"
    r"si[èe]ge\s+social|rcs\b|siret\b|siren\b|mit\s+sitz|sitz\b|registergericht|"
    r"amtsgericht|hrb\b|hra\b|registered\s+(?:office|in)|company\s+(?:no|number)|"
    r"capital\s+de|con\s+domicilio|inscrita\s+en)",
    re.IGNORECASE,
)


# A letter-spaced heading ("B L A C K W O O D   L T D"): its words are the runs of single
# letters, parted by wider gaps where the text keeps them.
_SPACED_WORD = re.compile(r"(?:[^\W\d_] )+[^\W\d_]")
# Legal forms set off from a letter-spaced name once its letters are joined and the gap
# before the form was lost: only forms no common word ends with ("...SA" would part MIMOSA).
_JOINED_LEGAL_END = re.compile(
    r"(?<=[^\W\d_]{3})(?:GMBH|LTD|LIMITED|LLP|PLC|LLC|INC|SARL|SASU|SAS|EURL)$"
)


def unspaced_letters(text: str) -> str:
    """`text` with its letter-spacing undone when it is a letter-spaced heading: "B L A C K
    W O O D   L T D" and "B L A C K W O O D L T D" read "BLACKWOOD LTD"; other text as is.

        >>> unspaced_letters("M O D E")
        'MODE'
    """
    chunks = re.split(r"\s{2,}", text.strip())
    if not all(_SPACED_WORD.fullmatch(c) for c in chunks) or len(text.split()) < 3:
        return text
    words = [c.replace(" ", "") for c in chunks]
    if len(words) == 1:
        words[0] = _JOINED_LEGAL_END.sub(r" \g<0>", words[0])
    return " ".join(words)


# A name ending in a number ("Studio 54", "Club 55") reads like a street and its house number.
_NUMBERED_NAME = re.compile(r"[^\W\d_][^\d,:]*\s\d{1,4}")
# The street line of an address: its house number first ("14 Church Road", "8 rue des
# Lilas"), or the street, a German one in one word, then its number ("Calle Mayor 12",
# "Hauptstraße 9").
STREET_LINE = re.compile(
    r"\d{1,5}[a-z]?,?\s+[^\W\d_]{2,}.*"
    r"|.*(?:strasse|straße|str\.|weg|platz|allee|gasse|damm|ring|ufer)\s?\d{1,4}[a-z]?\b.*"
    r"|(?:rue|avenue|av\.|boulevard|bd|chemin|calle|avda\.?|avenida|paseo|plaza|c/)\s.*\d.*",
    re.IGNORECASE,
)


def numbered_name(name: str, lines: list[Line]) -> str | None:
    """`name` when it ends in a number yet heads the address, the line under it being the
    street: a street is not printed over another street ("Studio 54" / "14 Church Road"),
    while "Hauptstraße 9" has its town under it."""
    if not _NUMBERED_NAME.fullmatch(name) or STREET_LINE.fullmatch(name):
        return None
    for i, line in enumerate(lines[:-1]):
        if line.boxes and line.boxes[0].text.strip() == name:
            under = lines[i + 1]
            if under.page == line.page and STREET_LINE.fullmatch(under.boxes[0].text.strip()):
                return name
            return None
    return None


# An English-speaking street line: its house number, then the street's name closed by its kind
# ("123 Main St", "4500 Lakeshore Blvd.", "9 Quay Street"), which no firm is named after.
NUMBER_FIRST_STREET = re.compile(
    r"\d{1,6}[a-z]?,?\s+(?:[^\W\d_][\w'.-]*\s+){1,4}(?:st|street|rd|road|ave|avenue|blvd"
    r"|boulevard|lane|ln|drive|dr|way|ct|court|pl|place|hwy|highway|pkwy|parkway|terrace|ter"
    r"|sq|square|close|crescent|cres)\.?",
    re.IGNORECASE,
)
# The unit within a building an address may add on a line of its own ("Suite 100",
# "Building B", "Floor 3", "Bâtiment C", "Etage 2"): never a name.
_ADDRESS_UNIT = re.compile(
    r"(?:suite|ste\.?|building|bldg\.?|floor|unit|apt\.?|apartment|room|b[aâ]timent|bat\.?"
    r"|[eé]tage|escalier|geb[aä]ude|stock|haus|planta|piso|edificio)\s+(?:\d{1,4}[a-z]?|[a-z]|[ivx]{1,4})",
    re.IGNORECASE,
)
# A British postcode closing a line: "Reading RG1 2LU", "London SW1A 1AA".
_UK_POSTCODE_END = re.compile(r"(?<![A-Za-z0-9])[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}$")


def name_text(text: str) -> str | None:
    """`text` as a party name, or None if it is a label, an address or a sentence."""
    # "Zahlbar an Haas KG": the payee's name without its label.
    name = unspaced_letters(L.PAYEE_LABEL.sub("", text).strip())
    name = re.sub(r"\s+", " ", name).strip(" ;,.-*|•●·")
    name = L.TRADING_NAME_OF.sub("", name)
    # A bullet or a bar parts a name from what follows even where OCR lost the spaces
    # around it ("Bonnet Plomberie SA·au capital", "... SARL |au capital"): no name holds one.
    name = re.split(r"\s+[-–]\s+|\s*[|•●·]\s*", name)[0].strip()
    for run_in in (
        r"(.+)\s+[^\s:]+\s?:",
        r"(.+)\s+[^\s:]+\s[^\s:]+\s?:",
        r"(.+\.)[^\s:.]+\s?:",
    ):
        # "Harrington Services Limited Company:": a long name printed into the next column,
        # up to that column's label (glued to it when the name overflows its cell:
        # "Distribuciones del Levante S.A.T.Name:").
        head = re.fullmatch(run_in, name)
        if (
            head
            and ENDS_LEGAL.search(head.group(1))
            and head.group(1).count("(") == head.group(1).count(")")
            and not _not_a_name(_fold(head.group(1)), head.group(1))
            and not _ADDRESS_WORD.search(_fold(head.group(1)))
            and not ANY_AMOUNT_LABEL.search(_fold(head.group(1)))
        ):
            name = head.group(1)
            break
    if name.endswith(":"):
        return None  # a label whose value is elsewhere or left empty ("Compte :")
    name = name.lstrip(" :")
    # "Caron SARL au capital de 10 000 €", "Vogt GmbH, Sitz Freiburg": the legal mention
    # that follows a name in a footer is not part of it.
    name = LEGAL_MENTION.split(name)[0].strip(" ,;")
    # "Atelier Duval, SAS au capital de ...": the form is the name's, the comma the footer's.
    name = re.sub(r",\s*(?=(?:" + LEGAL.pattern + r")$)", " ", name, flags=re.IGNORECASE)
    if not name or _not_a_name(_fold(name), name) or REPRESENTATIVE_CAPTION.fullmatch(_fold(name)):
        return None
    if (_COUNTRY.search(_fold(name)) or _ADDRESS_WORD.search(_fold(name))) and not (
        ENDS_LEGAL.search(name)
    ):
        return None
    if ANY_AMOUNT_LABEL.fullmatch(_fold(name)):
        return None  # "Total", "Net à payer": the label of an amount, whatever else fails
    letters = sum(ch.isalpha() for ch in name)
    if letters < 3 or letters < 0.6 * len(name.replace(" ", "")):
        return None
    if len(name.split()) > 7 or re.search(r"\d{5,}", name):
        return None
    if re.search(r"\d{4}", name) and not ENDS_LEGAL.search(name):
        return None  # "1000 Bruxelles", a date; "Garage 2000 GmbH" is a name
    if ":" in name or "@" in name or re.search(r"\s\d{1,4}\s?[a-zA-Z]?$", name):
        return None  # a label, or a street and its house number
    if _UK_POSTCODE_END.search(name):
        return None  # a town and its postcode ("Reading RG1 2LU")
    if NUMBER_FIRST_STREET.fullmatch(name) or _ADDRESS_UNIT.fullmatch(name):
        return None  # "123 Main St", "Suite 100", "Building B": a line of an address
    return name


# A box that is the document's title alone ("FACTURA RECTIFICATIVA", "VAT INVOICE").
TITLE_BOX = re.compile(
    rf"(?:vat\s)?(?:{L.TITLE_INVOICE.pattern}|{L.TITLE_CREDIT_NOTE.pattern})\s?[:.]?"
)


# A phrase that ends with a legal form ("… GmbH", "… UG (haftungsbeschränkt)", "… S.L.U.")
# and the words that may still follow one ("GmbH & Co. KG", "S.A. de C.V.").
ENDS_LEGAL = re.compile(rf"(?:{LEGAL.pattern})\s*(?:\([^)]*\))?\s*$", re.IGNORECASE)
LEGAL_GOES_ON = re.compile(r"\s*(?:&|\+|und\b|and\b|et\b|y\b|co\b|de\b|\()")


def phrase(line: Line, k: int) -> str:
    """Box `k` and the boxes right after it that are close enough to be the same phrase (some
    PDFs set every word apart: "Werkzeug" "GmbH"), short of a title printed on the same line
    ("Distribuciones Ruiz S.L.U.  FACTURA RECTIFICATIVA")."""
    words = [line.boxes[k].text]
    last = line.boxes[k]
    for other in line.boxes[k + 1 :]:
        height = max(last.y1 - last.y0, 1.0)
        # A letter-spaced heading sets its words wider apart: kept apart by two spaces,
        # which `unspaced_letters` reads as the gap between words.
        spaced = bool(_SPACED_WORD.fullmatch(last.text) and _SPACED_WORD.fullmatch(other.text))
        reach = 3.5 if spaced else 1.6
        if other.x0 - last.x1 > reach * height or re.match(r"\s*[-–|•●·]\s*$", other.text):
            break
        if TITLE_BOX.fullmatch(_fold(other.text).strip()):
            break
        if other.text.rstrip().endswith(":"):
            break  # the next field's label ("Name: | Nolty, Poland and Donohoe | Name: | ...")
        if last.text.rstrip().endswith(":") and name_text(last.text):
            break  # a name run into the next label in one box ("... S.L. Name:"), as OCR reads
        if ENDS_LEGAL.search(" ".join(words)) and not LEGAL_GOES_ON.match(_fold(other.text)):
            break  # a name complete with its legal form, then the next column's box
        words.append(" " + other.text if spaced else other.text)
        last = other
    return " ".join(words)


def cell_text(lines: list[Line], j: int, k: int) -> str:
    """The value right of label `k` of line `j`: its phrase, and the lines its cell wraps onto
    (`labels.wrapped_cell`)."""
    rows = L.wrapped_cell(lines, j, lines[j].boxes[k], lines[j].boxes[k + 1])
    return " ".join(phrase(lines[n], lines[n].boxes.index(box)) for n, box in rows)


# Fields of a sender line set apart by bullets or wide gaps, which OCR reads as one box
# with its bullets lost: "Kirin Denki GmbH  Ecke 12  12345 Stadthausen".
_FIELD_GAP = re.compile(r"\s{2,}|\s*[•●·|]\s*")


def phrase_and_first_field(phrase: str) -> list[str]:
    """`phrase`, and its first field when separators set fields apart in it."""
    first = _FIELD_GAP.split(phrase.strip(), maxsplit=1)[0]
    return [phrase] if first == phrase.strip() else [phrase, first]
