"""Invoice and credit-note fields read by label and position, then checked against each other.

`refine_invoice` runs after the generic rules of `fields` on documents that are invoices or
credit notes (not till receipts). It reads labelled values with `labels.find_labelled` and:
- amounts: gross, net, VAT, prepayment and amount due by role; the gross that reconciles
  (net + VAT = gross, gross - prepaid = due) is preferred, and the confidence is lowered when
  nothing reconciles;
- dates: the issue date apart from due, delivery, order and service-period dates, dates of
  another document (the invoice a credit note corrects) and dates of cited laws;
- the invoice number after a number label or the document title;
- parties: seller and buyer blocks (by their headings, and by the organisation's own name,
  VAT or SIREN when the caller passes them), the supplier's name and VAT from the seller's
  side only. VAT ids with a bad checksum (sample ids) are kept with a low confidence.

One module per field family: `amounts`, `dates`, `numbers`, `parties`, `identifiers`.
"""

from __future__ import annotations

import re

from .. import labels as L
from ..layout import Box, Line
from ..model import ExtractedDocument, OwnParty
from ..parsing import _fold
from .amounts import (
    deduct_payments_received,
    refine_amounts,
    settle_on_paid_stamp,
)
from .dates import refine_dates
from .identifiers import refine_siren, refine_supplier_vat
from .numbers import refine_number
from .parties import (
    Parties,
    alnum,
    refine_supplier,
)
from .party_names import ENDS_LEGAL, LEGAL_GOES_ON


def refine_invoice(
    doc: ExtractedDocument, lines: list[Line], *, own: OwnParty | None = None
) -> None:
    """Overwrite `doc`'s invoice fields with what labels, layout and arithmetic support."""
    if not lines:
        return
    if own is not None and own.name:
        lines = _split_at_own_name(lines, own.name)
    boxes = L.fold_boxes(lines)
    folded = [_fold(line.text) for line in lines]
    parties = Parties(lines, boxes, folded, own)
    ours = own is not None and parties.issued_by_own(own, doc.supplier_iban)
    if ours:
        # Our own sales invoice: we are the supplier, read as if no own party were known.
        parties = Parties(lines, boxes, folded, None)
    refine_amounts(doc, lines, boxes, folded)
    # The number first: a date after another document's number is not the issue date.
    refine_number(doc, lines, boxes)
    refine_dates(doc, lines, boxes, folded)
    deduct_payments_received(doc, lines, boxes)
    settle_on_paid_stamp(doc, lines)
    refine_supplier(doc, lines, boxes, folded, parties)
    refine_supplier_vat(doc, lines, folded, parties)
    refine_siren(doc, lines, parties)
    if ours:
        assert own is not None
        _state_issued_by_own(doc, own)


def _split_at_own_name(lines: list[Line], name: str) -> list[Line]:
    """Lines whose box runs one party's name into the other's split between the two: a long
    name in the left column printed up to the right column's name, one space apart
    ("Hartmann Logistik UG (haftungsbeschränkt) Schäfer GmbH & Co. KG"), is two boxes when
    either of them is the own name and the other ends with its legal form. Each part keeps
    its share of the box's width."""
    letters = [re.escape(ch) for ch in name if ch.isalnum()]
    if len(letters) < 4:
        return lines
    own = re.compile(r"(?<!\w)" + r"\W*".join(letters) + r"(?!\w)", re.IGNORECASE)
    result = []
    for line in lines:
        split: list[Box] = []
        for box in line.boxes:
            found = own.search(box.text)
            before = box.text[: found.start()].strip() if found else ""
            after = box.text[found.end() :].strip() if found else ""
            if not found or not (
                (before and ENDS_LEGAL.search(before) and not after)
                or (
                    after
                    and ENDS_LEGAL.search(after)
                    and not before
                    and not LEGAL_GOES_ON.match(_fold(after))
                )
            ):
                split.append(box)
                continue
            per_char = (box.x1 - box.x0) / len(box.text)
            cut = found.start() if before else found.end()
            x = box.x0 + per_char * cut
            split.append(Box(box.text[:cut].strip(), box.x0, box.y0, x, box.y1, box.score))
            split.append(Box(box.text[cut:].strip(), x, box.y0, box.x1, box.y1, box.score))
        result.append(Line(split, line.page) if len(split) != len(line.boxes) else line)
    return result


def _state_issued_by_own(doc: ExtractedDocument, own: OwnParty) -> None:
    """The issuer of our own sales invoice is us, in the words the matcher recognises (our VAT
    id, our name) even when the page prints a trade name or the VAT id is unreadable."""
    doc.issued_by_own = True
    vat = alnum(own.vat or "").upper()
    if vat:
        doc.supplier_vat = vat
        doc.confidence["supplier_vat"] = 0.9
    if own.name and not (doc.supplier_name and _same_party(doc.supplier_name, own.name)):
        doc.supplier_name = own.name
        doc.confidence["supplier_name"] = 0.9


def _same_party(printed: str, known: str) -> bool:
    a, b = alnum(printed), alnum(known)
    return bool(a and b) and (a in b or b in a)
