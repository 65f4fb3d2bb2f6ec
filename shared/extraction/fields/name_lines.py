"""A header line cleaned into a name: registration numbers, filing codes, stamps, prices,
a title or a column's word run into it taken off, OCR's slips in legal forms mended.
"""

from __future__ import annotations

import re

from .. import labels as L
from ..invoices.party_names import unspaced_letters
from ..lexicon import (
    SHOP_WORDS,
    TRADE_WORDS,
    in_dictionary,
)
from ..parsing import _fold

# Legal forms proper (a name usually ends with one), stronger evidence than trade words.
LEGAL_SUFFIX = re.compile(
    r"(?<![^\W_])(?:SDN\.?\s?BHD|BHD|S/B|LTD|LIMITED|PLC|LLC|INC|CORP|GMBH|AG|(?<!\d\s)(?<!/)KG|OHG|UG|SARL|"
    # "S.L" as well: a name's last full stop is cleaned off ("Hermanos Ruiz, S.L.").
    r"SAS|SASU|EURL|SNC|S\.A\.S?|S\.L\.?U?|SLU|B\.?V\.?|N\.?V\.?|PVT|LLP|PLT)(?![^\W\d_])\.?",
    re.IGNORECASE,
)


# Company registration numbers printed after a name: "(256864-P)", "169609A", "Co. No. 123".
_REG_SUFFIX = re.compile(
    r"[\s(\[]*+(?:"
    r"(?:co\.?\s?(?:reg\.?\s?)?no\.?|company\s?no\.?|reg\.?\s?no\.?)[\s:.]*\(?\d{3,}[\s-]?[A-Z]?\)?"
    r"|(?<=\()\d{3,}[\s-]?[A-Z]?\)?|\d{3,}[\s-]?[A-Z]\)?|\d{5,}\)?"
    r")[\s.]*$",
    re.IGNORECASE,
)
# "(P). TIGA BINTANG CASH & CARRY": a lone bracketed letter opening the name's line is a logo or a
# mark read as text (a bracketed letter inside a name is its place: "CO. (M) SDN BHD").
_LEADING_MARK = re.compile(r"^\([A-Za-z]\)[.:,]?\s+(?=[^\W\d_]{2,})")
# "AOS080", "A06035": a store or filing code alone on its line, a few letters glued to
# digits, is no name nor part of one (its digits cleaned off, "AOS" would open the name).
_LONE_CODE = re.compile(r"[A-Za-z]{1,4}\d{3,}")
# A filing number at either end of a line: letters then five digits or more ("B07214"), or
# digits with dots and dashes ("41902013", "5-1806123"), or a till's numbered stamp
# ("#000002").
_FILING_CODE = re.compile(
    r"^#?[A-Za-z]{0,2}\d[\d.\-/]{4,}[A-Za-z]?\s+|\s+[A-Za-z]{1,2}\d{5,}[A-Za-z]?$"
)
# OCR misreadings of the commonest legal forms; fixing them is generic, not per merchant.
_LEGAL_FIXES = [
    # Its D may come out as a thin stroke ("SDNBHI"), or accented ("SÓN BHD"); its H as an N
    # ("Sdn Bnd"); the B of BHD as an S or an 8 ("SDN SHD").
    (
        re.compile(r"\bS[O0DQEIL1ÓÒÖÔÐ]?N\.?\s?[B38S][HN][D0OI1l](?![A-Za-z])", re.IGNORECASE),
        "SDN BHD",
    ),
    # "CO." read "C6.", "C0." or "CG." before the bracketed place of a legal form: "AEON
    # C6.(M) BHD".
    (re.compile(r"\bC[06G]\.(?=\s?\((?:M|KL)\))"), "CO."),
    # The bracket closing that place read as a J: "(KLJ SDN BHD".
    (re.compile(r"\((M|KL)J(?=\s?(?:SDN|BHD|S/B)(?![A-Za-z]))"), r"(\1)"),
    # "S/B" (Sendirian Berhad) read as "5/B", "5B" or "S8" after a name.
    (re.compile(r"(?<=[A-Z] )(?:5\s?/?\s?[B8]|S\s?/?\s?8|S\s?/\s?0)(?![A-Za-z0-9])"), "S/B"),
    # "BHD" with its H lost, after "SDN" or a "(M)" (Malaysia): "AEON CO. (M) BD".
    (re.compile(r"(SDN\.?\s?|\(M\)\s?)B[DO0](?![A-Za-z0-9])"), r"\1BHD"),
    # "SDN" is only ever followed by "BHD" (Sendirian Berhad): a part of it lost, "SDN D",
    # or all of it at the end of the name.
    (re.compile(r"\bSDN\.?\s?(?:BH|HD|D)(?![A-Za-z0-9])", re.IGNORECASE), "SDN BHD"),
    (re.compile(r"(?<=[A-Za-z)] )SDN\.?$", re.IGNORECASE), "SDN BHD"),
    (re.compile(r"\bGMB[H4]\b", re.IGNORECASE), "GmbH"),
    # The bracketed place before a Malaysian legal form, "(M)" for Malaysia and "(KL)" for
    # Kuala Lumpur, with a look-alike slip: "(H) SDN BHD", "(KI) SDN BHD", "(EL) SDN BHD".
    (re.compile(r"\([HN]\)(?=\s?(?:SDN|BHD|S/B)(?![A-Za-z]))"), "(M)"),
    (re.compile(r"\((?:K[I1l|]|E[Ll])\)(?=\s?(?:SDN|BHD|S/B)(?![A-Za-z]))"), "(KL)"),
]
PRICE = re.compile(r"(?<![\d.,])\d{1,6}[.,]\d{2}(?![\d.,])")

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


def name_like(raw: str) -> str | None:
    """`raw` cleaned into a candidate name, or None if it cannot be one."""
    if _BRANCH_NUMBER.fullmatch(_fold(raw.strip())) or _LONE_CODE.fullmatch(raw.strip()):
        return None
    # "M O D E": a sign printed letter-spaced.
    name = clean_name(unspaced_letters(L.PAYEE_LABEL.sub("", _SELLER_LABEL.sub("", raw.strip()))))
    marked = _LEADING_MARK.match(name)
    if marked and not LEGAL_SUFFIX.match(name, marked.end()):  # not "(M) SDN BHD"
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
    suffixes = list(LEGAL_SUFFIX.finditer(name))
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
    if PRICE.search(name):
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


def clean_name(text: str) -> str:
    text = re.sub(r"\s+", " ", text)
    return _with_abbreviation_dot(text, text.strip(" :;,.-*|"))[:120]
