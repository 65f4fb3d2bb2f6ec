"""Issue and due dates: labelled or not, kept apart from other events' dates (delivery,
service period, a cited law), month-first pages, OCR look-alike digits.
"""

from __future__ import annotations

import re
from datetime import date

from .. import labels as L
from ..layout import Line
from ..model import ExtractedDocument, FieldCandidate
from ..parsing import (
    _fold,
    find_dates,
)

_ISSUE_DATE = L.kw(
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
_DATE_LABEL = L.kw(r"date", r"datum", r"fecha", r"dated", r"le", r"du", r"dt", r"data")
_DUE_DATE = L.kw(
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
_NOT_ISSUE_DATE = L.kw(
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
_OTHER_EVENT_DATE = L.kw(
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


# A US address: a city, its two-letter state and ZIP code ("Boulder, CO 80302"); the state
# as OCR may read it, an O as a zero or an I as a one ("Portland, 0R 97205").
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
            m.group(1).replace("0", "O").replace("1", "I") in L.US_STATES
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


def fill_dates(
    doc: ExtractedDocument,
    lines: list[Line],
    texts: list[str],
    folded: list[str],
    quality: list[float],
) -> None:
    issue: list[FieldCandidate[date]] = []
    due: list[FieldCandidate[date]] = []
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
                above = L.box_above(lines, i, box.x0, box.x1)
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
                due.append(FieldCandidate(d.value, score + 2, i))
                score -= 3
            score -= _date_penalty(context, second=k > 0, ambiguous=d.ambiguous)
            if _TIME_AFTER.match(text, d.end):
                score += TIMED_DATE_BONUS
            issue.append(FieldCandidate(d.value, score * quality[i], i))
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
) -> list[FieldCandidate[date]]:
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
) -> list[FieldCandidate[date]]:
    """Dates with a digit read as a look-alike letter (`_DATE_SHAPED`), earliest line
    first, read only when the page has no whole date, at the score of a lost separator's."""
    found: list[FieldCandidate[date]] = []
    n = len(texts)
    for i, text in enumerate(texts):
        for m in _DATE_SHAPED.finditer(text):
            letters = sum(not ch.isdigit() for ch in m.group(1) + m.group(3) + m.group(4))
            if not 0 < letters <= LOOKALIKES_IN_DATE:
                continue
            dates = find_dates(m.group(0).translate(_LOOKALIKE_DIGITS), month_first=month_first)
            if dates and dates[0].value.year <= date.today().year + 1:
                found.append(FieldCandidate(dates[0].value, _slip_score(i, n, quality), i))
    return found


# A till that prints no date (or one OCR lost) often numbers its receipts from the day:
# `Invoice No: 2018042210100080567`. Read only when the page shows no date at all.
_DATED_NUMBER = re.compile(
    r"\b(?:invoice|receipt|bill|trans(?:action)?|doc(?:ument)?|order|slip)\s*"
    r"(?:no|n°|num(?:ber)?|#)[\s:.#]*"  # one run: linear on hostile whitespace
    r"((?:19|20)\d\d)(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])\d{2,}\b"
)


def _dated_document_numbers(folded: list[str], quality: list[float]) -> list[FieldCandidate[date]]:
    """The date a receipt's number starts with (`_DATED_NUMBER`), at a low score."""
    found: list[FieldCandidate[date]] = []
    for i, text in enumerate(folded):
        for m in _DATED_NUMBER.finditer(text):
            try:
                value = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                continue
            if value.year <= date.today().year + 1:
                found.append(FieldCandidate(value, 0.2 * quality[i], i))
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


# ... or both read as spaces ("27 03 2018"): a four-digit year then, so that two numbers and
# a quantity are not taken for one.
_SPACES_FOR_SEPARATORS = re.compile(r"(?<![\d/.:-])(\d{2}) (\d{2}) ((?:19|20)\d\d)(?![\d/.:-])")


def _lost_separator_dates(
    texts: list[str], quality: list[float], *, month_first: bool
) -> list[FieldCandidate[date]]:
    """Dates with a lost separator or two, earliest line first, read only when the page has
    no whole date: a run of digits with one slash is as often a number (an invoice, a phone)."""
    found: list[FieldCandidate[date]] = []
    n = len(texts)
    for i, text in enumerate(texts):
        pairs = [
            (m.group(1) or m.group(3), m.group(2) or m.group(4), m.group(5))
            for m in [*_LOST_SEPARATOR_DATE.finditer(text), *_SPACED_SEPARATOR_DATE.finditer(text)]
        ] + [
            m.groups()
            for m in [*_BOTH_SEPARATORS_LOST.finditer(text), *_SPACES_FOR_SEPARATORS.finditer(text)]
        ]
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
            found.append(FieldCandidate(value, _slip_score(i, n, quality), i))
    return found
