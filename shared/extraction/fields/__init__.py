"""Lines of text -> fields of one document, each with a confidence.

Rules are language-general: keyword lists per language (FR, ES, EN, DE, plus Dutch where it
costs nothing) and layout cues (same line, next line, top of page). No per-merchant or per-file
rules. Confidence = how the value was found (keyword on the same line > nearby > fallback),
scaled by the OCR score of the line it came from.

The rules, one module per field family: `totals`, `vat`, `dates`, `identifiers`, `names`;
this module reads a document's kind and runs them.
"""

from __future__ import annotations

import re

from .. import labels as L
from ..invoices import refine_invoice
from ..layout import Line
from ..model import DocumentType, ExtractedDocument, OwnParty
from ..parsing import detect_currency
from .dates import fill_dates
from .identifiers import fill_identifiers, fill_invoice_number
from .names import LIMITED_READ_ITD, SOLE_TRADER_READ_EL, capital_i_read_as_l, fill_names
from .totals import fill_totals, invoice_mentions, reconcile_cash, restore_leading_digit

_CREDIT_NOTE = L.kw(
    r"credit\s?note",
    r"avoir",
    r"facture\s?d.avoir",
    r"gutschrift",
    r"nota\s?de\s?credito",
    r"factura\s?rectificativa",
    r"creditnota",
    r"credit\s?memo",
)
_INVOICE_WORD = L.kw(
    r"invoice", r"facture", r"rechnung", r"factura", r"factuur", r"fattura", r"tax\s?invoice"
)


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
    folded = [L.label_text(t) for t in texts]
    quality = [line.score if source == "ocr" else 1.0 for line in lines]
    full_text = "\n".join(texts)

    fill_totals(doc, lines, texts, folded, quality)
    fill_dates(doc, lines, texts, folded, quality)
    fill_identifiers(doc, texts, folded)
    fill_invoice_number(doc, lines, quality)
    fill_names(doc, lines, texts, folded, quality)

    currency, currency_conf = detect_currency(full_text)
    if currency:
        doc.currency = currency
        doc.confidence["currency"] = round(currency_conf, 3)

    kind, kind_confidence = _document_kind(lines, folded, source)
    if kind != "receipt":
        refine_invoice(doc, lines, own=own)
    if source == "ocr" and doc.supplier_name:
        doc.supplier_name = SOLE_TRADER_READ_EL.sub("EI", doc.supplier_name)
        doc.supplier_name = LIMITED_READ_ITD.sub("ltd", doc.supplier_name)
        doc.supplier_name = capital_i_read_as_l(doc.supplier_name)
    if kind == "receipt":
        reconcile_cash(doc, texts, folded)
        if source == "ocr":
            restore_leading_digit(doc, texts, folded)
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


def _document_kind(lines: list[Line], folded: list[str], source: str) -> tuple[DocumentType, float]:
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
    invoice_cues += invoice_mentions(folded)
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
