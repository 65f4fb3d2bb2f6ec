"""Language-aware parsing of amounts, dates and identifiers inside free text (FR, ES, EN, DE).

Pure functions on strings; no layout knowledge. Conventions handled: decimal comma or point,
thousands separated by '.', ',', ' ', or apostrophe (`1 234,56 €`, `1.234,56`, `1,234.56`,
`1'234.56`), trailing minus, and dates written `02.03.2020`, `25/12/2018`, `2020-03-02`,
`30 DEC 17`, `18 april 2014`, `3. März 2020`, `8 de septiembre de 2022`, `August 3, 2014`.

    >>> [str(a.value) for a in find_amounts("TOTAL TTC 1 234,56 €")]
    ['1234.56']
    >>> [d.value.isoformat() for d in find_dates("Datum: 02.03.2020 12:31")]
    ['2020-03-02']
    >>> [d.value.isoformat() for d in find_dates("Date 30 DEC 17")]
    ['2017-12-30']
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import iso4217

# --- amounts ---------------------------------------------------------------------------------

_AMOUNT_RE = re.compile(
    r"(?<![\d.,/:])"  # not the tail of a longer number, a date or a time
    # A minus, also the typographic one (U+2212, as CLDR writes it for some locales), and
    # before the currency symbol in English ("-€21,423.09", "-£5.00").
    r"(?P<neg>[-\u2212]\s?(?:[€$£]\s?)?)?"
    r"(?P<int>\d{1,3}(?:(?P<sep>[.,'’])\d{3})(?:(?P=sep)\d{3})*|\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?=,\d\d)|\d+)"
    r"\s?(?P<dec>[.,])\s?(?P<frac>\d{2})"
    r"(?![\d/]|\.\d)"  # not the head of a longer number or of a dotted date ("27.08.2023")
    r"(?P<trail>[-\u2212])?"
)
# Integer amounts next to a currency marker ("Rs. 1939", "1939 €", "EUR 50").
_INT_AMOUNT_RE = re.compile(
    r"(?:(?:€|\$|£|₹|EUR|USD|GBP|INR|RM|Rs\.?)\s?(?P<a>\d{1,3}(?:[,.]\d{3})+|\d+)(?!\d|[.,]\d))"
    r"|(?:(?<![\d.,])(?P<b>\d{1,3}(?:[,.]\d{3})+|\d+)\s?(?:€|EUR|USD|INR|euros?)(?![A-Za-z]))"
)


@dataclass(frozen=True)
class Amount:
    value: Decimal
    start: int
    end: int
    integer: bool = False  # written without decimals ("Rs 1939")


def find_amounts(text: str, *, integers: bool = False) -> list[Amount]:
    """Money amounts in `text`, left to right. Only numbers with two decimals count, unless
    `integers` is set, when integers next to a currency marker count too."""
    found: list[Amount] = []
    for match in _AMOUNT_RE.finditer(text):
        sep = match.group("sep")
        dec = match.group("dec")
        if sep and sep == dec:
            # "1.234.56" is not an amount; "1,234" + ".56" mixes are handled by the regex.
            continue
        digits = re.sub(r"[^\d]", "", match.group("int"))
        value = Decimal(f"{int(digits)}.{match.group('frac')}")
        if match.group("neg") or match.group("trail"):
            value = -value
        found.append(Amount(value, match.start(), match.end()))
    if integers:
        covered = [(a.start, a.end) for a in found]
        for match in _INT_AMOUNT_RE.finditer(text):
            # Overlapping a decimal amount: "EUR 14" is the head of "EUR 14 950,37".
            if any(s < match.end() and match.start() < e for s, e in covered):
                continue
            raw = match.group("a") or match.group("b")
            digits = re.sub(r"[^\d]", "", raw)
            if len(digits) > 9:
                continue
            found.append(
                Amount(
                    Decimal(int(digits)).quantize(Decimal("0.01")),
                    match.start(),
                    match.end(),
                    integer=True,
                )
            )
        found.sort(key=lambda a: a.start)
    return found


# --- dates -----------------------------------------------------------------------------------

_MONTHS = {
    # English
    "jan": 1,
    "january": 1,
    "feb": 2,
    "february": 2,
    "mar": 3,
    "march": 3,
    "apr": 4,
    "april": 4,
    "may": 5,
    "jun": 6,
    "june": 6,
    "jul": 7,
    "july": 7,
    "aug": 8,
    "august": 8,
    "sep": 9,
    "sept": 9,
    "september": 9,
    "oct": 10,
    "october": 10,
    "nov": 11,
    "november": 11,
    "dec": 12,
    "december": 12,
    # French
    "janv": 1,
    "janvier": 1,
    "fev": 2,
    "fevr": 2,
    "fevrier": 2,
    "mars": 3,
    "avr": 4,
    "avril": 4,
    "mai": 5,
    "juin": 6,
    "juil": 7,
    "juillet": 7,
    "aout": 8,
    "septembre": 9,
    "octobre": 10,
    "novembre": 11,
    "decembre": 12,
    # Spanish
    "ene": 1,
    "enero": 1,
    "febrero": 2,
    "marzo": 3,
    "abr": 4,
    "abril": 4,
    "mayo": 5,
    "junio": 6,
    "julio": 7,
    "ago": 8,
    "agosto": 8,
    "septiembre": 9,
    "setiembre": 9,
    "octubre": 10,
    "noviembre": 11,
    "dic": 12,
    "diciembre": 12,
    # German (and Dutch, which shares most forms)
    "januar": 1,
    "jän": 1,
    "jaen": 1,
    "janner": 1,  # Austrian "Jänner", "Feber"
    "jaenner": 1,
    "februar": 2,
    "feber": 2,
    "marz": 3,
    "mrz": 3,  # DIN 5008 abbreviation ("16. Mrz. 2026")
    "maerz": 3,
    "maart": 3,
    "juni": 6,
    "juli": 7,
    "okt": 10,
    "oktober": 10,
    "dez": 12,
    "dezember": 12,
    "mei": 5,
    "januari": 1,
    "februari": 2,
    "augustus": 8,
}
_MONTH_ALT = "|".join(sorted(_MONTHS, key=len, reverse=True))

_DATE_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        "ymd",
        re.compile(
            r"(?<!\d)(?P<y>(?:19|20)\d\d)[-/.](?P<m>\d{1,2})[-/.]"
            r"(?P<d>\d\d(?=\d{1,2}:\d\d)|\d{1,2}(?!\d))"  # "2018-01-0522:55:25" (OCR glue)
        ),
    ),
    (
        "dmy",
        re.compile(
            # A speck read as a colon may come before a separator ("18:/09/2017").
            r"(?<![\d.,])(?P<d>\d{1,2})(?P<s1>\s?[:;]?[./~-]\s?)(?P<m>\d{1,2})"
            r"(?P<s2>\s?[:;]?[./~-]\s?)"
            # A four-digit year may be glued to the time by OCR: "16/02/201812:04:58".
            # A comma closes a date when a space follows it ("02/17/14, 02:21 PM"); glued to a
            # digit, it is a decimal comma.
            r"(?P<y>(?:19|20)\d\d(?=\d{1,2}:\d\d)|(?:19|20)\d\d(?![\d:]|,\S|\.\d)"
            # A two-digit year may be glued to the time too, whose hour has one digit or two
            # ("28/07/179:48:42": read otherwise, no time is left). It is not followed by
            # another separated number ("19- 02/03/2018" is a register number, then a date)
            # and not glued to letters before ("HD03-04-06").
            r"|(?<![A-Za-z]\d\d.\d\d.)\d\d(?=\d{1,2}:\d\d)"
            r"|(?<![A-Za-z]\d\d.\d\d.)(?<![A-Za-z]\d.\d\d.)\d\d(?!\d|,\S|\.\d|\s?[/-]\s?\d))"
        ),
    ),
    (
        # "27 03/2018": OCR lost the first separator; only with a four-digit year.
        "d_m_y_spaced",
        re.compile(r"(?<![\d.,])(?P<d>\d{1,2}) (?P<m>\d{1,2})[./-](?P<y>(?:19|20)\d\d)(?!\d)"),
    ),
    (
        "d_mon_y",
        re.compile(
            r"(?<!\d)(?P<d>\d{1,2})(?:st|nd|rd|th|er|º|\.)?[\s/-]*(?:de\s+)?"
            rf"(?P<mon>{_MONTH_ALT})\.?,?[\s/-]*(?:del?\s+)?"
            # "05/Apr/201812:49:11", "05/Apr/189:49:11": a year glued to the time by OCR,
            # as above.
            r"(?P<y>(?:19|20)\d\d(?=\d{1,2}:\d\d)|(?:19|20)?\d\d(?!\d|\s?,\s?\d)"
            r"|\d\d(?=\d{1,2}:\d\d))",
            re.IGNORECASE,
        ),
    ),
    (
        # "20260815": only with a plausible month and day; callers weigh it lower unlabelled.
        "compact",
        re.compile(
            r"(?<![\d.,/-])(?P<y>(?:19|20)\d\d)(?P<m>0[1-9]|1[0-2])(?P<d>0[1-9]|[12]\d|3[01])(?![\d.,/])"
        ),
    ),
    (
        "mon_d_y",
        re.compile(
            # American tills glue the day to the month and the year to the day's comma, or
            # the year to the time: "JULY20,2011", "JUL 09,2008 16:35", "Nov 11 201123:00:54".
            rf"(?<![a-z])(?P<mon>{_MONTH_ALT})\.?\s*(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s?,?\s*"
            r"(?P<y>(?:19|20)\d\d(?=\d{1,2}:\d\d)|(?:19|20)\d\d(?!\d))",
            re.IGNORECASE,
        ),
    ),
    (
        # An American till's short year after an apostrophe: "Jun17'13 09:35PM", "Oct.10'15",
        # or after a colon OCR read for it when the time follows ("APR11:17 4:03PM").
        "mon_d_yy",
        re.compile(
            rf"(?<![a-z])(?P<mon>{_MONTH_ALT})\.?\s*(?P<d>\d{{1,2}})"
            r"(?:['’`´]\s?|:(?=\d\d\s+\d{1,2}:\d\d))(?P<y>\d\d)(?!\d)",
            re.IGNORECASE,
        ),
    ),
]


_HYPHENS = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2012": "-"})


@dataclass(frozen=True)
class FoundDate:
    value: date
    start: int
    end: int
    ambiguous: bool = False  # day and month could be swapped (both <= 12, numeric)
    compact: bool = False  # written without separators ("20260815")


def unaccented(text: str) -> str:
    """`text` with the accents of its letters taken off, case kept: 'GARDÉNIA' -> 'GARDENIA'."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _fold(text: str) -> str:
    """Lower case without accents: 'Décembre' -> 'decembre', 'März' -> 'marz'."""
    return unaccented(text.lower())


def _year(raw: str) -> int:
    year = int(raw)
    if year < 100:
        year += 2000 if year < 70 else 1900
    return year


def _to_date(kind: str, groups: dict, month_first: bool) -> tuple[date | None, bool]:
    ambiguous = False
    try:
        year = _year(groups["y"])
        if kind in ("d_mon_y", "mon_d_y", "mon_d_yy"):
            month = _MONTHS[groups["mon"].lower()]
            day = int(groups["d"])
        else:
            day, month = int(groups["d"]), int(groups["m"])
            if kind == "dmy" and month > 12 and day <= 12:
                day, month = month, day
            elif kind == "dmy" and day <= 12 and month <= 12 and day != month:
                ambiguous = True
                if month_first:
                    day, month = month, day
        return date(year, month, day), ambiguous
    except (ValueError, KeyError):
        return None, False


def _separators_agree(first: str, second: str) -> bool:
    """Whether a numeric date's separators can be one date's: the same, or told apart only
    by OCR ("16/02-2018"). Different ones spaced out ("3/4 - 24", "3 - 6/96") are item
    codes and pack sizes."""
    return first.strip() == second.strip() or (first == first.strip() and second == second.strip())


def find_dates(text: str, *, month_first: bool = False) -> list[FoundDate]:
    """Calendar dates in `text`, left to right. Numeric dates are read day-first (the
    European and Malaysian convention) unless the first number cannot be a day's month, or
    `month_first` is set and both readings are valid."""
    folded = _fold(text)
    if len(folded) != len(text):  # NFKD changed length (rare ligatures): positions approximate
        folded = folded[: len(text)].ljust(len(text))
    # OCR reads the o of a month as a zero ("0ct 3, 2016"); same length, offsets kept.
    folded = re.sub(r"(?<![0-9a-z])0(?=[a-z]{2})", "o", folded)
    # ...and the l of July as a one before its day ("Ju103'12", "Ju1.30'11").
    folded = re.sub(r"(?<![0-9a-z])ju1(?=\.?\d)", "jul", folded)
    # Typographic hyphens ("16‑03‑2026" with non-breaking hyphens) read as "-".
    folded = folded.translate(_HYPHENS)
    results: list[FoundDate] = []
    taken: list[tuple[int, int]] = []
    latest = date.today().year + 2  # an invoice or receipt is not dated decades ahead
    for kind, pattern in _DATE_PATTERNS:
        position = 0
        while True:
            match = pattern.search(folded, position)
            if match is None:
                break
            # On a miss, retry one character later: "REG #19- 18/01/2018" first matches
            # "19- 18/01", which is no date, and must not hide the real one.
            position = match.start() + 1
            if any(s < match.end() and match.start() < e for s, e in taken):
                continue
            if kind == "dmy" and not _separators_agree(match["s1"], match["s2"]):
                continue
            value, ambiguous = _to_date(kind, match.groupdict(), month_first)
            if value is None or not 1990 <= value.year <= latest:
                continue
            position = match.end()
            taken.append((match.start(), match.end()))
            results.append(
                FoundDate(value, match.start(), match.end(), ambiguous, kind == "compact")
            )
    results.sort(key=lambda d: d.start)
    return results


# --- identifiers -----------------------------------------------------------------------------

# The country codes VAT ids open with (EL for Greece, XI for Northern Ireland).
_VAT_COUNTRIES = (
    "AT|BE|BG|CY|CZ|DE|DK|EE|EL|ES|FI|FR|GB|HR|HU|IE|IT|LT|LU|LV|MT|NL|PL|PT|RO|SE|SI|SK|XI"
)
_VAT_RE = re.compile(
    rf"\b(?P<cc>{_VAT_COUNTRIES})[\s.-]?(?P<body>[0-9A-Z](?:[\s.]?[0-9A-Z]){{7,13}})"
)
# Outside the EU: the Swiss UID ("CHE-116.281.710 MWST", its VAT suffix in any of the
# national languages, or none) and the Norwegian organisation number registered for VAT
# ("NO 974 760 673 MVA": without "MVA", "No 974 760 673" is just "number").
_SWISS_UID_RE = re.compile(r"\bCHE[\s.-]?(\d{3})[\s.]?(\d{3})[\s.]?(\d{3})(?!\d)")
# Norwegian invoices often print it without the country code ("Org.nr. 974 760 673 MVA").
_NORWEGIAN_VAT_RE = re.compile(
    r"(?:\bNO[\s.-]?|(?<![\d.-]))(\d{3})[\s.]?(\d{3})[\s.]?(\d{3})[\s.]?MVA\b"
)
_IBAN_RE = re.compile(r"\b(?P<iban>[A-Z]{2}\d{2}(?:\s?[A-Z0-9]){11,30})\b")
_SIREN_RE = re.compile(r"(?<!\d)(\d{3}\s?\d{3}\s?\d{3}(?:\s?\d{5})?)(?!\d)")


def _vat_module(candidate: str) -> Any:
    """python-stdnum's checker for the number's country: the EU's, or the United Kingdom's
    for GB and XI (Northern Ireland) numbers, which the EU module no longer knows."""
    if candidate[:2] in ("GB", "XI"):
        from stdnum.gb import vat as gb_vat

        return gb_vat
    from stdnum.eu import vat

    return vat


def _for_check(candidate: str) -> str:
    return "GB" + candidate[2:] if candidate.startswith("XI") else candidate


def _compact_vat(candidate: str) -> str:
    compact = _vat_module(candidate).compact(_for_check(candidate))
    if candidate.startswith("XI"):
        return "XI" + compact.removeprefix("GB")
    return compact if compact[:2].isalpha() else candidate[:2] + compact


def _non_eu_vat_candidates(text: str) -> list[tuple[int, str, bool]]:
    """Swiss and Norwegian VAT ids in upper-cased `text`: (position, compact id, valid).
    The Swiss UID is kept without its language suffix (MWST, TVA, IVA name one number); its
    check digit is mod 11 with weights 5,4,3,2,7,6,5,4, the Norwegian one's 3,2,7,6,5,4,3,2."""
    from stdnum.ch import uid
    from stdnum.no import mva

    found = []
    for match in _SWISS_UID_RE.finditer(text):
        compact = "CHE" + "".join(match.groups())
        found.append((match.start(), compact, bool(uid.is_valid(compact))))
    for match in _NORWEGIAN_VAT_RE.finditer(text):
        compact = "NO" + "".join(match.groups()) + "MVA"
        found.append((match.start(), compact, bool(mva.is_valid(compact))))
    return found


def _body_lengths(raw: str) -> list[int]:
    """Lengths to try a VAT id's compacted body at (`raw` as printed), longest first: cut
    where the regex ate a following word or group, never between two touching digits
    ("DE2012129398" is no DE201212939 with a digit to spare)."""
    cuts, length = [], 0
    for i, ch in enumerate(raw):
        if ch in " \t.":
            continue
        length += 1
        after = raw[i + 1 : i + 2]
        if length > 7 and not (ch.isdigit() and after.isdigit()):
            cuts.append(length)
    return sorted(cuts, reverse=True)


# OCR may lose the colon and space between a label and the id ("Vat/Tax numberESF24270589"):
# a small letter then a country code and the id's first digits part them again.
_GLUED_VAT = re.compile(rf"(?<=[a-z])(?=(?:{_VAT_COUNTRIES})[A-Z]?\d{{2}})")


def _upper_apart(text: str) -> str:
    return _GLUED_VAT.sub(" ", text).upper()


def _vat_matches(upper: str) -> list[re.Match[str]]:
    """Every match of a country code and a VAT id's body, also those starting inside a match
    no length of which is an id: Stripe's "FR TVA FR77 421 485 715" first reads "FR TVA
    FR77…", whose "TVA" no country admits, and must not hide the id after it."""
    matches = []
    position = 0
    while match := _VAT_RE.search(upper, position):
        matches.append(match)
        position = match.start() + 1
    return matches


def find_vat_numbers(text: str) -> list[str]:
    """Valid EU, UK, Swiss and Norwegian VAT numbers in `text` (checksums verified with
    python-stdnum), compacted."""
    found: list[str] = [vat for _, vat, valid in _non_eu_vat_candidates(text.upper()) if valid]
    read_up_to = 0
    for match in _vat_matches(_upper_apart(text)):
        if match.start() < read_up_to:
            continue
        body = re.sub(r"[\s.]", "", match.group("body"))
        # Try the longest body first, then shorter ones: the regex may eat a following word.
        for length in _body_lengths(match.group("body")):
            candidate = match.group("cc") + body[:length]
            if _vat_module(candidate).is_valid(_for_check(candidate)):
                compact = _compact_vat(candidate)
                if compact not in found:
                    found.append(compact)
                read_up_to = match.end()
                break
    return found


def find_vat_candidates(text: str) -> list[tuple[str, bool]]:
    """EU VAT numbers in `text` printed with any spacing, compacted, each with whether its
    checksum is valid. Well-formed numbers with a bad checksum (sample ids such as
    "DE123456789", typos) are kept so that callers can flag them instead of losing them.

        >>> find_vat_candidates("TVA : FR 40 303 265 045 - Steuer-Nr DE123456789")
        [('FR40303265045', True), ('DE123456789', False)]
    """
    from stdnum.exceptions import InvalidChecksum, ValidationError

    found: list[tuple[int, str, bool]] = _non_eu_vat_candidates(text.upper())
    seen: set[str] = {vat for _, vat, _ in found}
    read_up_to = 0
    for match in _vat_matches(_upper_apart(text)):
        if match.start() < read_up_to:
            continue
        body = re.sub(r"[\s.]", "", match.group("body"))
        for length in _body_lengths(match.group("body")):
            candidate = match.group("cc") + body[:length]
            try:
                _vat_module(candidate).validate(_for_check(candidate))
                valid = True
            except InvalidChecksum:
                valid = False
            except ValidationError:
                continue
            compact = _compact_vat(candidate)
            if compact not in seen:
                seen.add(compact)
                found.append((match.start(), compact, valid))
            read_up_to = match.end()
            break
    return [(vat, valid) for _, vat, valid in sorted(found, key=lambda f: f[0])]


# A VAT id as printed, whatever its length: a country code, then digits alone.
_PRINTED_VAT_RE = re.compile(
    rf"\b(?P<cc>{_VAT_COUNTRIES})[\s.-]?(?P<body>\d(?:[\s.]?\d){{6,13}})(?![\w.,-]?\w)"
)


def find_malformed_vat(text: str) -> list[str]:
    """VAT ids in `text` that no country's format admits (a digit too many or too few:
    "DE12435679"), compacted. Only for a value its label calls a VAT id: the reader sees
    what the document printed, flagged, instead of nothing."""
    from stdnum.exceptions import InvalidChecksum, ValidationError

    found = []
    for match in _PRINTED_VAT_RE.finditer(text.upper()):
        candidate = match.group("cc") + re.sub(r"[\s.]", "", match.group("body"))
        try:
            _vat_module(candidate).validate(_for_check(candidate))
        except InvalidChecksum:
            pass  # well formed: `find_vat_candidates` has it
        except ValidationError:
            found.append(candidate)
    return found


# Countries whose VAT ids carry two check digits (a key mod 97 or 89): a digit guessed
# back passes their check by chance about once in a hundred; a one-digit check (DE, IT,
# ...) passes a wrong guess once in ten, so often that a guess there is no reading.
_TWO_CHECK_DIGITS = frozenset({"FR", "BE", "LU"})


def restore_repeated_digit(vat: str) -> str | None:
    """A VAT id (compacted) that no format admits, read by OCR with one of two or more equal
    digits in a row lost ("FR1199999998" for FR11999999998: the recogniser's decoding merges
    repeats it did not separate), restored: the one id with a digit doubled whose checksum
    holds, else None (none, or several, hold; or the country's check is one digit)."""
    if vat[:2] not in _TWO_CHECK_DIGITS:
        return None
    restored = set()
    for run in re.finditer(r"(\d)\1*", vat):
        candidate = vat[: run.end()] + run.group(1) + vat[run.end() :]
        if _vat_module(candidate).is_valid(_for_check(candidate)):
            restored.add(candidate)
    return restored.pop() if len(restored) == 1 else None


def find_ibans(text: str) -> list[str]:
    """Valid IBANs in `text` (mod-97 and country length checked), compacted."""
    from stdnum import iban

    found: list[str] = []
    for match in _IBAN_RE.finditer(text.upper()):
        raw = match.group("iban").replace(" ", "")
        for length in range(len(raw), 14, -1):
            if iban.is_valid(raw[:length]):
                if raw[:length] not in found:
                    found.append(raw[:length])
                break
    return found


def find_sirens(text: str) -> list[str]:
    """Valid SIREN numbers in `text`, also taken from SIRET numbers (first nine digits)."""
    from stdnum.fr import siren, siret

    found: list[str] = []
    for match in _SIREN_RE.finditer(text):
        digits = re.sub(r"\s", "", match.group(1))
        number = None
        if len(digits) == 14 and (siret.is_valid(digits) or siren.is_valid(digits[:9])):
            number = digits[:9]
        elif len(digits) == 9 and siren.is_valid(digits):
            number = digits
        if number and number not in found:
            found.append(number)
    return found


def siren_from_vat(vat_number: str | None) -> str | None:
    """The SIREN inside a French VAT number (FRkk + SIREN), else None."""
    if vat_number and vat_number.startswith("FR") and len(vat_number) == 13:
        body = vat_number[4:]
        if body.isdigit():
            return body
    return None


# --- currency --------------------------------------------------------------------------------

_CURRENCY_MARKERS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"€|\bEUR\b|\beuros?\b", re.IGNORECASE), "EUR"),
    (re.compile(r"\bUSD\b|US\$|\bUS Dollars?\b", re.IGNORECASE), "USD"),
    (re.compile(r"£|\bGBP\b"), "GBP"),
    (re.compile(r"₹|\bINR\b|\bRs\.?(?=\s?\d)|\bRupees?\b"), "INR"),
    (re.compile(r"\bRM\s?\d|\bRM\b|\bMYR\b"), "MYR"),
    (re.compile(r"\bCHF\b|\bFr\.\s?\d"), "CHF"),
    (re.compile(r"\bPLN\b|\bzł\b"), "PLN"),
    (re.compile(r"\bCAD\b|C\$"), "CAD"),
    (re.compile(r"\$"), "USD"),
]
_MARKED_CODES = frozenset(code for _, code in _CURRENCY_MARKERS)


_ISO_CURRENCIES = frozenset(c.code for c in iso4217.Currency)
# A code as a label's value ("Währung: NOK", "Currency code: SEK", "Devise : CHF") names the
# document's currency; beside an amount ("NOK 1 250,00", "980 SEK") it marks that amount. Not
# the codes that are words or units too ("ALL 3", "TOP 10", "PEN 2,50", "12 KGS", "PHP 8.2"),
# nor those the markers above count already.
_LABELLED_CURRENCY = re.compile(
    r"(?i:\b(?:currency|w(?:ä|ae)hrung|devise|monnaie|moneda|divisa)(?:\s?code)?)\s?:?\s?"
    r"([A-Z]{3})\b"
)
_CODE_BY_AMOUNT = re.compile(r"\b([A-Z]{3})\s?(?=\d)|(?<=\d)\s?([A-Z]{3})\b")
_CODES_THAT_ARE_WORDS = frozenset(
    "ALL AMD ANG BAM BOB CUP GEL KGS MAD MOP PEN PHP SOS STD STN TOP TRY XXX XTS".split()
)
_CODES_BY_AMOUNTS = _ISO_CURRENCIES - _CODES_THAT_ARE_WORDS - _MARKED_CODES


_CURRENCY_MARK = re.compile(r"\s*[(\[]?\s*(?:(?:in|en)\s+)?([€$£]|[A-Z]{3})\s*[)\]]?\s*:?\s*")


def is_currency_mark(text: str) -> bool:
    """Whether `text` only names a currency ("EUR", "(€)", "in CHF"), as a label's last words
    do ("TOTAL EUR", "Montant dû (€)")."""
    mark = _CURRENCY_MARK.fullmatch(text)
    return mark is not None and (
        mark[1] in "€$£" or mark[1] in _ISO_CURRENCIES - _CODES_THAT_ARE_WORDS
    )


def detect_currency(text: str) -> tuple[str | None, float]:
    """The ISO 4217 code most often marked in `text`, with a confidence; (None, 0) if none.
    A labelled code counts as three marks."""
    counts: dict[str, int] = {}
    for pattern, code in _CURRENCY_MARKERS:
        n = len(pattern.findall(text))
        if n:
            # A bare '$' also appears in "US$"/"C$": count it only when nothing else matched.
            if pattern.pattern == r"\$" and counts:
                continue
            counts[code] = counts.get(code, 0) + n
    for found in _LABELLED_CURRENCY.finditer(text):
        if found[1] in _ISO_CURRENCIES:
            counts[found[1]] = counts.get(found[1], 0) + 3
    for found in _CODE_BY_AMOUNT.finditer(text):
        code = found[1] or found[2]
        if code in _CODES_BY_AMOUNTS:
            counts[code] = counts.get(code, 0) + 1
    if not counts:
        return None, 0.0
    code, n = max(counts.items(), key=lambda kv: kv[1])
    share = n / sum(counts.values())
    return code, min(0.95, 0.5 + 0.1 * n) * share


def compact_token(text: str) -> str:
    """`text` without spaces, dots and dashes, upper case: a number or an id as printed
    (`FR 40 303.265.045` -> `FR40303265045`)."""
    return re.sub(r"[\s.\-]", "", text.upper())
