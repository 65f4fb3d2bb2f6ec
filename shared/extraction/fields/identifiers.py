"""Identifiers: VAT ids, SIREN/SIRET and IBANs (the supplier's, not the customer's), and the
invoice number by its label, right of it or below it.
"""

from __future__ import annotations

import re

from .. import labels as L
from ..layout import Line
from ..model import ExtractedDocument, FieldCandidate
from ..parsing import (
    _fold,
    find_amounts,
    find_dates,
    find_ibans,
    find_sirens,
    find_vat_numbers,
    siren_from_vat,
)

# A plausible invoice-number token: must contain a digit and not be a date or an amount.
_NUMBER_TOKEN = re.compile(r"^#?[A-Za-z0-9][A-Za-z0-9/_\-.]{1,39}$")


def fill_identifiers(doc: ExtractedDocument, texts: list[str], folded: list[str]) -> None:
    customer_zone = L.customer_zone(folded)
    supplier_vats: list[str] = []
    customer_vats: list[str] = []
    for i, text in enumerate(texts):
        vats = find_vat_numbers(text)
        near_customer = i in customer_zone or bool(L.CUSTOMER.search(folded[i]))
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
_DEBITED = L.kw(
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


_INVOICE_LABEL = re.compile(
    r"(?<![a-z])(?:invoice\s?(?:no|number|nr|num|#|n°|id)?|inv\s?(?:no|#)|bill\s?(?:no|number|#)"
    r"|receipt\s?(?:no|number|#)|facture\s?(?:n°|no|numero|num)?|n°\s?(?:de\s?)?facture"
    r"|numero\s?de\s?facture|rechnungs?\s?-?\s?(?:nr|nummer|no)|rechnung\s?nr|rechnung"
    r"|beleg\s?-?\s?(?:nr|nummer)|bon\s?-?\s?nr|factura\s?(?:n°|no|nº|num\w*)?"
    r"|n[°º]\s?(?:de\s?)?factura|factuur\s?(?:nummer|nr)?|factuurnummer|document\s?(?:no|number)"
    r"|doc\s?no|order\s?(?:id|no)|booking\s?id)(?![a-z])\.?"
)
# "Type de facture : 380", "Tipo de factura": the label of the document's type (its code), not
# of its number.
_TYPE_OF = re.compile(r"(?<![a-z])(?:type|tipo|genre|sorte|art)\s(?:de\s|d'|der\s)?$")


def find_invoice_number(lines: list[Line], source: str = "pdf_text") -> str | None:
    """The invoice number of these lines, or None (used to split multi-invoice files)."""
    doc = ExtractedDocument()
    quality = [line.score if source == "ocr" else 1.0 for line in lines]
    fill_invoice_number(doc, lines, quality)
    return doc.invoice_number


def fill_invoice_number(doc: ExtractedDocument, lines: list[Line], quality: list[float]) -> None:
    """The invoice/receipt number: the token after a number label, in the same box, the next
    box of the line, or the box below the label (column headers of invoice tables)."""
    candidates: list[FieldCandidate[str]] = []
    cited = L.cited_invoice_boxes(lines)
    for i, line in enumerate(lines):
        for k, box in enumerate(line.boxes):
            if (i, k) in cited:
                continue  # a preceding invoice's number
            folded_box = _fold(box.text)
            for match in _INVOICE_LABEL.finditer(folded_box):
                before = " ".join([*(_fold(b.text) for b in line.boxes[:k]), folded_box])
                if _TYPE_OF.search(before[: len(before) - len(folded_box) + match.start()]):
                    continue
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
                        candidates.append(FieldCandidate(token, base, i))
                    continue  # "Invoice date ..." and the like: another label
                if k + 1 < len(line.boxes):
                    token = (line.boxes[k + 1].text.split() or [""])[0].lstrip(":#")
                    if _plausible_number(token):
                        candidates.append(FieldCandidate(token, base - 0.1, i))
                        continue
                below = L.box_below(lines, i, box)
                if below is not None:
                    token = (below.text.split() or [""])[0]
                    if _plausible_number(token):
                        candidates.append(FieldCandidate(token, base - 0.3, i))
    if candidates:
        best = max(candidates, key=lambda c: (c.score, -c.line))
        doc.invoice_number = str(best.value).strip(".-:")
        doc.confidence["invoice_number"] = round(min(0.9, 0.25 * best.score), 3)


def _plausible_number(token: str) -> bool:
    if not token or not _NUMBER_TOKEN.match(token) or not re.search(r"\d", token):
        return False
    # "20260311": numbering by date gives a number that reads as a date without separators;
    # after a number label it is the number.
    if any(not d.compact for d in find_dates(token)) or find_amounts(token):
        return False
    return True
