"""The invoice number after a number label or the document's title."""

from __future__ import annotations

import re

from .. import labels as L
from ..layout import COLUMN_GAP, Line
from ..model import ExtractedDocument, FieldCandidate
from ..parsing import (
    find_dates,
    find_ibans,
    find_vat_candidates,
)

_TOKEN = re.compile(r"^#?[A-Za-z0-9][A-Za-z0-9/_\-.]{0,39}$")
# The word (and date) after a number, glued to it where OCR lost the spaces: "471102vom05.06.2018"
# for "Nr. 471102 vom 05.06.2018", "R87654321012345VOM".
# A word that could end a code ("du", "del") is cut only with its date, glued or next.
_GLUED_DATE = r"\d{1,2}[./\-]\d{1,2}[./\-](?:\d{4}|\d{2})"
_GLUED_DATE_WORD = re.compile(
    rf"(?<=\d)(?:(?:vom|dated)(?:{_GLUED_DATE})?|(?:von|du|del|from){_GLUED_DATE})$",
    re.IGNORECASE,
)
# ... and alone, when a date follows it after a space.
_GLUED_DATE_WORD_ALONE = re.compile(r"(?<=\d)(?:von|du|del|from)$", re.IGNORECASE)


def _number_token(text: str) -> str | None:
    parts = text.strip().lstrip(":#°º. ").split()
    if not parts:
        return None
    # "nºR04215", "N°FA-2024-7": the number sign set against the number.
    token = re.sub(r"^(?:[Nn][°º]|N[Rr]\.|N[Oo]\.)(?=[A-Z0-9])", "", parts[0]).rstrip(".,;:)")
    following = parts[1:]
    if token.lower() in ("nr", "no", "n°", "nº", "num", "#"):
        if len(parts) < 2:
            return None
        token, following = parts[1].rstrip(".,;:)"), parts[2:]
    token = _GLUED_DATE_WORD.sub("", token)
    # A date spans up to four words ("02 Juillet 2015", "2. Juli 2015").
    if following and any(d.start == 0 for d in find_dates(" ".join(following[:4]))):
        token = _GLUED_DATE_WORD_ALONE.sub("", token)  # "562044387du 03/02/2026"
    if not _TOKEN.match(token) or not re.search(r"\d", token):
        return None
    if any(not d.compact for d in find_dates(token)) and not re.search(r"[A-Za-z]", token):
        return None
    if re.fullmatch(r"\d{1,3}(?:[.,]\d{3})*[.,]\d\d", token):
        return None  # an amount
    if find_vat_candidates(token) or find_ibans(token):
        return None  # a tax id or a bank account
    if len(re.sub(r"\D", "", token)) < 2 and len(token) < 3:
        return None
    return token.lstrip("#")


# How far left of a bare "n°" a law's name is looked for ("(décret n°", "la loi du ... n°").
_LAW_WORDS_REACH = 12
# ... and of the words citing a corrected invoice ("Avoir sur facture n°", "Bezug: Rechnung").
_CITED_REACH = 20

_TITLE_THEN_NUMBER = re.compile(
    r"(?<![a-z])(?:\w*rechnung|gutschrift|facture|avoir|factura|invoice|credit\snote)"
    r"(?:\s*\([^)]*\))?\s*(?:n\s?[°º]|no\.?|nr\.?|num(?:ero|ber)?\.?|#|:)?\s*$"
)


def _tail(text: str, reach: int) -> str:
    """The last `reach` characters of `text`, widened to the start of the word they cut: a
    cue word is read whole ("Rectifica la factura nº" keeps "rectifica")."""
    start = max(0, len(text) - reach)
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    return text[start:]


def _box_before(line: Line, k: int, folded: list[str]) -> str:
    """Folded text of the box just left of box `k` when it is of the same column (not the
    seller's "Tél. : 03 …" far left of an "N° :"), else ""."""
    if k == 0:
        return ""
    box = line.boxes[k]
    height = max(box.y1 - box.y0, 1.0)
    return folded[k - 1] if box.x0 - line.boxes[k - 1].x1 <= COLUMN_GAP * height else ""


_REF_CAPTION = re.compile(r"\s*(?:ref|reference|referencia|referenz)\.?\s?:?\s*")


def _ref_column_numbers(lines: list[Line], boxes: list[list[str]]) -> list[FieldCandidate]:
    """ "Ref" heading a column of the document's own row of captions, beside its date ("Ref |
    Invoice Date | Pay by" over or under a row of values with a date): the invoice's
    reference."""
    n = len(lines)
    found_numbers: list[FieldCandidate] = []
    for i, line in enumerate(lines):
        row = boxes[i]
        for k, box in enumerate(line.boxes):
            if not _REF_CAPTION.fullmatch(row[k]) or not any(
                L.ISSUE_DATE.search(other) or L.DATE_WORD.search(other)
                for j, other in enumerate(row)
                if j != k and not re.search(r"\d", other)
            ):
                continue
            for how, value_line in (("below", i + 1), ("above", i - 1)):
                if not 0 <= value_line < len(lines) or lines[value_line].page != line.page:
                    continue
                values = lines[value_line]
                if not any(find_dates(b.text) for b in values.boxes):
                    continue  # not the row of the document's values
                under = [b for b in values.boxes if min(box.x1, b.x1) - max(box.x0, b.x0) > 0]
                token = _number_token(under[0].text) if under else None
                if token:
                    score = 2.6 * L.POSITION_WEIGHT[how] - 0.5 * i / max(n, 1)
                    found_numbers.append(FieldCandidate(token, score, value_line))
                    break
    return found_numbers


def _wrapped_number(lines: list[Line], found: L.Labelled) -> object:
    """A number too long for its cell, which the table wrapped onto the lines under it
    without a space ("02_FT_BIS3_V31_B" / "2B" beside a centred "Rechnungsnummer:"): its
    parts joined, when each part is one word."""
    rows = L.wrapped_cell(lines, found.line, found.label_box, found.box)
    if len(rows) < 2 or rows[0][1] is not found.box:
        return found.value
    parts = [box.text.strip() for _, box in rows]
    if any(not part or any(c.isspace() for c in part) for part in parts):
        return found.value
    joined = _number_token("".join(parts))
    return joined if joined and joined.startswith(str(found.value)) else found.value


def refine_number(doc: ExtractedDocument, lines: list[Line], boxes: list[list[str]]) -> None:
    candidates: list[FieldCandidate] = []
    n = len(lines)
    cited_boxes = L.cited_invoice_boxes(lines)
    for pattern, weight in ((L.INVOICE_NUMBER, 3.0), (L.NUMBER_WORD, 1.6)):
        for found in L.find_labelled(lines, boxes, pattern, _number_token):
            label_text = boxes[found.label][lines[found.label].boxes.index(found.label_box)]
            before = label_text[: label_text.find(found.match_text)] if found.match_text else ""
            line = lines[found.label]
            k = line.boxes.index(found.label_box)
            previous = _box_before(line, k, boxes[found.label])
            cited = _tail(previous + " " + before, _CITED_REACH) + found.match_text
            if L.ORIGINAL_INVOICE.search(cited) or (found.label, k) in cited_boxes:
                # "Bezug: Rechnung Nr. …": the invoice this credit note corrects; a number
                # under "Previous invoices": a preceding invoice's.
                continue
            if weight < 3.0:
                if L.OTHER_NUMBER.search(label_text) and not L.INVOICE_NUMBER.search(label_text):
                    continue
                # "Handelsrechnung (380) | Nr. 471102": the title is the box before the label.
                if _TITLE_THEN_NUMBER.search(before) or _TITLE_THEN_NUMBER.search(previous + " "):
                    weight_here = 3.2
                elif L.OTHER_NUMBER.search(before) or L.OTHER_NUMBER.search(previous):
                    continue
                elif L.LEGAL_REFERENCE.search(_tail(previous + " " + before, _LAW_WORDS_REACH)):
                    continue  # "décret n° 2012-1115", "loi n° 80-335": a law's number
                else:
                    weight_here = weight
            else:
                if L.OTHER_NUMBER.search(before) and not L.TITLE_INVOICE.search(before):
                    continue
                weight_here = weight
            score = weight_here * L.POSITION_WEIGHT[found.how] - 0.5 * found.label / max(n, 1)
            value = _wrapped_number(lines, found) if found.how == "right" else found.value
            candidates.append(FieldCandidate(value, score, found.line))
    candidates.extend(_ref_column_numbers(lines, boxes))
    candidates.extend(_title_numbers(lines, boxes))
    if candidates:
        best = max(candidates, key=lambda c: (c.score, -c.line))
        doc.invoice_number = str(best.value).strip(".-:")
        doc.confidence["invoice_number"] = round(min(0.9, 0.25 * best.score + 0.1), 3)


_NUMBERED_TITLE = re.compile(
    r"\s*(?:\w*rechnung|rechnungskorrektur|gutschrift|facture|avoir|factura|invoice"
    r"|credit\s(?:note|memo)|nota\sde\s(?:credito|abono))"
    r"(?:\s(?:rectificativa|de\sabono|d.avoir))?(?:\s+|$)"
)


def _title_numbers(lines: list[Line], boxes: list[list[str]]) -> list[FieldCandidate]:
    """ "Facture FA-2017-0009", "Avoir AV-2017-0005": a title in the page's top third followed
    by a numbered token, in its box or the next one of the same column ("Rechnungskorrektur |
    RK-2026-0144")."""
    n = len(lines)
    found_numbers: list[FieldCandidate] = []
    for i, line in enumerate(lines[: max(12, n // 3)]):
        for k, box in enumerate(line.boxes):
            match = _NUMBERED_TITLE.match(boxes[i][k])
            if not match:
                continue
            rest = box.text[match.end() :]
            if not rest.strip() and k + 1 < len(line.boxes):
                height = max(box.y1 - box.y0, 1.0)
                if line.boxes[k + 1].x0 - box.x1 <= COLUMN_GAP * height:
                    rest = line.boxes[k + 1].text
            token = _number_token(rest)
            if token and re.search(r"[A-Za-z]", token) or (token and len(token) >= 4):
                found_numbers.append(FieldCandidate(token, 2.5 - 0.5 * i / max(n, 1), i))
    return found_numbers
