"""The issue date apart from due, delivery, order and service-period dates, dates of another
document (the invoice a credit note corrects) and dates of cited laws.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from .. import labels as L
from ..layout import Line, columns_apart
from ..model import ExtractedDocument, FieldCandidate
from ..parsing import (
    _fold,
    compact_token,
    find_dates,
)

_DATE_AFTER_NUMBER = re.compile(
    r"(?<![a-z])(?:vom|von|du|del|of|dated|issued\s(?:at|on)|le|from|am)\s*$"
)
# A business letter's place and date: "München, den 01.11.2024", "Paris, le 3 mars 2026",
# "Madrid, a 18 de marzo de 2026" (the folded text before the date, from the box's start).
_PLACE_DATE = re.compile(
    r"\s*[a-z][a-z'\-]+\.?(?:\s[a-z][a-z'\-]*\.?){0,5},\s*(?:den|le|am|a|el)\s*"
)
# ... and without the article ("London, 16 March 2026", "Madrid, 16 de marzo de 2026",
# "Hamburg, 16.03.2026"): only a town of up to three words, near the top of the first page.
_PLACE_DATE_BARE = re.compile(r"\s*[a-z][a-z'\-]+\.?(?:[\s\-][a-z][a-z'\-]*\.?){0,2},\s*")


def _not_issue(context: str) -> bool:
    return bool(
        L.DUE_DATE.search(context)
        or L.DELIVERY_DATE.search(context)
        or L.ORDER_DATE.search(context)
        or L.OTHER_DOCUMENT_DATE.search(context)
        or L.SERVICE_PERIOD.search(context)
        or L.REGISTRATION_DATE.search(context)
        or L.PREPAID.search(context)
    )


def _label_head(label_text: str, match_text: str) -> str:
    """`label_text` (a folded box) up to the first date after the label's match: "Date: 27
    mars 2026 · Échéance: 10 avr. 2026" is labelled "Date:", the due date's label after it
    is another field's."""
    at = max(label_text.find(match_text), 0)
    dates = find_dates(label_text[at:])
    return label_text[: at + dates[0].start] if dates else label_text


def _dated_clause(label_text: str, match_text: str) -> bool:
    """Whether a plain date word ("dated", "du", "vom") closes a clause naming terms, a price
    list or a law: the date is theirs, not the document's."""
    at = label_text.find(match_text)
    clause = re.split(r"[.:;|]", label_text[: max(at, 0)])[-1]
    return bool(L.TERMS.search(clause) or L.LEGAL_REFERENCE.search(clause))


def _opens_with_other_date_label(text: str) -> bool:
    """The text after a date label (in its box or the next) that holds another date's label
    before its date: that date is the other label's ("Date d'échéance 09/11/2023")."""
    found = find_dates(text)
    return bool(found) and _not_issue(_fold(text[: found[0].start]))


def refine_dates(
    doc: ExtractedDocument, lines: list[Line], boxes: list[list[str]], folded: list[str]
) -> None:
    # Month first only when the document shows it ("11/17/2017" somewhere).
    month_first = any(
        int(m.group(2)) > 12 >= int(m.group(1))
        for line in lines
        for m in re.finditer(r"(?<!\d)(\d{1,2})/(\d{1,2})/(?:19|20)?\d\d(?!\d)", line.text)
    )

    def _date_value(text: str) -> date | None:
        found = find_dates(text, month_first=month_first)
        return found[0].value if found else None

    candidates = _labelled_issue_dates(lines, boxes, _date_value)
    candidates.extend(_dates_after_number(doc, lines, folded, month_first))
    candidates.extend(_place_dates(lines, month_first))
    candidates.extend(_bare_header_dates(lines, month_first))
    if candidates:
        best = max(candidates, key=lambda c: c.score)
        doc.issue_date = best.value
        doc.confidence["issue_date"] = round(min(0.95, 0.4 + 0.15 * best.score), 3)
    elif doc.issue_date is not None:
        _doubt_unlabelled_date(doc, lines, folded)
    for found in L.find_labelled(lines, boxes, L.DUE_DATE, _date_value):
        value = found.value
        if isinstance(value, date) and (doc.issue_date is None or value >= doc.issue_date):
            doc.due_date = value
            doc.confidence["due_date"] = round(0.85 * L.POSITION_WEIGHT[found.how], 3)
            break


def _labelled_issue_dates(
    lines: list[Line], boxes: list[list[str]], date_value: Callable[[str], date | None]
) -> list[FieldCandidate]:
    """Dates after an issue-date label, or a bare date label that no other event's wording
    (due, delivery, another document, a dated clause) claims."""
    candidates: list[FieldCandidate] = []
    n = len(lines)
    for pattern, weight in ((L.ISSUE_DATE, 3.0), (L.DATE_WORD, 1.5)):
        for found in L.find_labelled(lines, boxes, pattern, date_value):
            label_text = boxes[found.label][lines[found.label].boxes.index(found.label_box)]
            head = _label_head(label_text, found.match_text)
            if weight < 3.0 and (_not_issue(head) or L.ISSUE_DATE.search(head)):
                continue
            if weight < 3.0 and _dated_clause(label_text, found.match_text):
                continue  # "Standard terms dated 01/01/2024 apply."
            if weight == 3.0 and L.OTHER_DOCUMENT_DATE.search(label_text):
                continue
            if found.how != "below" and _opens_with_other_date_label(found.text):
                continue  # "30 jours date de facture – Date d'échéance 09/11/2023"
            score = weight * L.POSITION_WEIGHT[found.how] - 0.3 * found.label / max(n, 1)
            candidates.append(FieldCandidate(found.value, score, found.line))
    return candidates


def _dates_after_number(
    doc: ExtractedDocument, lines: list[Line], folded: list[str], month_first: bool
) -> list[FieldCandidate]:
    """ "Rechnung Nr. 471102 vom 05.03.2018", "Invoice # X issued at 2019-06-10"; the date may
    wrap to the next line ("vom" / "05.03.2018")."""
    candidates: list[FieldCandidate] = []
    n = len(lines)
    for i in range(n):
        f = folded[i]
        number_word = L.NUMBER_WORD.search(f)
        if not (
            L.INVOICE_NUMBER.search(f)
            or L.TITLE_INVOICE.search(f)
            or L.TITLE_CREDIT_NOTE.search(f)
            or (number_word and i < n // 3 and not L.OTHER_NUMBER.search(f[: number_word.start()]))
        ):
            continue
        for j in (i, i + 1):
            wraps = re.search(r"(?<![a-z])(?:vom|von|du|del|dated|of|le)\s*$", f)
            starts = j < n and re.match(r"\s*(?:vom|von|du|del|dated|of|le)\b", folded[j])
            if j >= n or (j > i and not (wraps or starts)):
                continue
            for d in find_dates(lines[j].text, month_first=month_first):
                before = folded[j][: d.start]
                if _quotes_another_number(folded[i] if j > i else before, doc.invoice_number):
                    continue  # "Acompte facture FA-0041 du 02/02/2026": that invoice's date
                if (
                    _DATE_AFTER_NUMBER.search(before)
                    or (
                        j > i
                        and wraps
                        and not before.strip()
                        and not _under_date_label(lines, j, d.start)
                    )
                ) and not _not_issue(before[-30:]):
                    candidates.append(FieldCandidate(d.value, 2.8 - 0.3 * i / max(n, 1), j))
    return candidates


def _doubt_unlabelled_date(doc: ExtractedDocument, lines: list[Line], folded: list[str]) -> None:
    """Unlabelled: lower the confidence of a date the text says is something else (a law, a
    delivery)."""
    for i, line in enumerate(lines):
        for d in find_dates(line.text):
            if d.value != doc.issue_date:
                continue
            context = folded[i][max(0, d.start - 40) : d.start]
            if i > 0 and not re.sub(r"[\W_]", "", context):
                context = folded[i - 1][-40:]  # its caption on the line above
            if _not_issue(context) or L.LEGAL_REFERENCE.search(context):
                doc.confidence["issue_date"] = 0.2


def _quotes_another_number(text: str, number: str | None) -> bool:
    """Whether `text` quotes a reference (a token with a digit) but not this document's
    `number`: a deposit invoice deducted, the invoice a credit note corrects."""
    if not number:
        return False
    own = compact_token(number)
    tokens = [compact_token(t) for t in re.findall(r"[\w/.-]*\d[\w/.-]*", text)]
    return bool(tokens) and not any(own in t or t in own for t in tokens if len(t) >= 2)


def _under_date_label(lines: list[Line], j: int, offset: int) -> bool:
    """Whether the date at `offset` of line `j` stands under a box of the line above that
    labels another date: a row of captions over a row of values ("Livré le | Date de facture
    | Commande du" over three dates), not a sentence wrapped onto the next line."""
    value = lines[j].box_at(offset)
    above = lines[j - 1]
    for other in above.boxes[:-1]:  # the last box holds the wrapped sentence's end
        if min(value.x1, other.x1) - max(value.x0, other.x0) > 0:
            f = _fold(other.text)
            return bool(_not_issue(f) or L.DATE_WORD.search(f) or L.ISSUE_DATE.search(f))
    return False


def _place_dates(lines: list[Line], month_first: bool) -> list[FieldCandidate]:
    """The date of a letter's "place, den" line: the issue date where no label names it."""
    found: list[FieldCandidate] = []
    n = len(lines)
    for i, line in enumerate(lines):
        for k, box in enumerate(line.boxes):
            if "," not in box.text:
                continue
            text = box.text
            if k + 1 < len(line.boxes) and not find_dates(text):
                text = f"{text} {line.boxes[k + 1].text}"
            dates = find_dates(text, month_first=month_first)
            if not dates:
                continue
            place = _fold(text[: dates[0].start])
            if _PLACE_DATE.fullmatch(place) or (
                _PLACE_DATE_BARE.fullmatch(place)
                and line.page == lines[0].page
                and i < PLACE_DATE_BARE_LINES
                and not _labels_a_date(place)
            ):
                found.append(FieldCandidate(dates[0].value, 2.6 - 0.3 * i / max(n, 1), i))
    return found


# A letter's date line without its article stands among the first lines of the first page.
PLACE_DATE_BARE_LINES = 12


def _bare_header_dates(lines: list[Line], month_first: bool) -> list[FieldCandidate]:
    """A date standing alone on a line of the first page's header, or alone in its column
    there, under no caption of another date ("FACTURE" / "20/09/2023" / "nº 2023-6013"):
    the issue date where no label names one; below every labelled or dated-sentence
    candidate."""
    found: list[FieldCandidate] = []
    for i, line in enumerate(lines[:PLACE_DATE_BARE_LINES]):
        if line.page != lines[0].page:
            break
        offset = 0
        for k, box in enumerate(line.boxes):
            start, offset = offset, offset + len(box.text) + 1
            dates = find_dates(box.text, month_first=month_first)
            if len(dates) != 1 or re.sub(r"[\W_]", "", box.text[: dates[0].start]):
                continue
            if re.sub(r"[\W_]", "", box.text[dates[0].end :]):
                continue
            if not _alone_in_its_column(line, k):
                continue  # a sentence's date
            if i > 0 and (
                _not_issue(_fold(lines[i - 1].text)) or _under_date_label(lines, i, start)
            ):
                continue
            found.append(FieldCandidate(dates[0].value, 1.0 - 0.3 * i / PLACE_DATE_BARE_LINES, i))
    return found


def _alone_in_its_column(line: Line, k: int) -> bool:
    """Whether box `k` stands a column's gap away from the boxes beside it on its line (a
    scan reads the logo's words left of the header's date as the same line)."""
    box = line.boxes[k]
    height = box.y1 - box.y0
    before = k == 0 or columns_apart(line.boxes[k - 1], box, height)
    after = k + 1 == len(line.boxes) or columns_apart(box, line.boxes[k + 1], height)
    return before and after


def _labels_a_date(text: str) -> bool:
    """Whether folded `text` holds a date's label or a word that is no town ("Paid, …")."""
    return bool(
        _not_issue(text)
        or L.DATE_WORD.search(text)
        or L.ISSUE_DATE.search(text)
        or L.TERMS.search(text)
        or L.LEGAL_REFERENCE.search(text)
        or _NOT_A_TOWN.search(text)
    )


_NOT_A_TOWN = L.kw(
    r"paid",
    r"payee",
    r"bezahlt",
    r"paye\w*",
    r"pagad[oa]",
    r"signed",
    r"unterschrieben",
    r"signe",
    r"firmado",
    r"total",
    r"invoice",
    r"facture",
    r"rechnung",
    r"factura",
    r"order",
    r"commande",
    r"pedido",
    r"bestellung",
)
