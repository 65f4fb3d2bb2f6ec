"""Invoices read by OCR (a scan or a photo of an A4 invoice, no text layer) are read with the
invoice rules, not a till receipt's: the document type, then the seller (issue #12)."""

from __future__ import annotations

import pytest

from shared.extraction.fields import extract_fields
from shared.extraction.layout import Box, group_lines


def _scan(*rows: str | list[tuple[float, str]]):
    """One OCR row per line, 30 px apart; a row is a string at x=60 or [(x, text), ...]."""
    boxes = []
    for r, row in enumerate(rows):
        cells = [(60.0, row)] if isinstance(row, str) else row
        for x, text in cells:
            if text:
                y = 60.0 + 30 * r
                boxes.append(Box(text, x, y, x + 11.0 * len(text), y + 20, 0.99))
    return extract_fields(group_lines(boxes), source="ocr")


_SCANNED_INVOICES = {
    "fr": (
        "Menuiserie Arnaud SARL",
        "8 route de Vienne, 38200 Vienne",
        [(900, "FACTURE")],
        [(900, "Numéro de facture : FA-2026-0090")],
        [(900, "Date d'émission : 20/03/2026")],
        [(60, "Client"), (900, "Boulangerie Martin")],
        [(700, "Total HT"), (1100, "100,00 €")],
        [(700, "TVA 20 %"), (1100, "20,00 €")],
        [(700, "Total TTC"), (1100, "120,00 €")],
    ),
    "en": (
        "Print Works by Hollis LLP",
        "14 Church Road, Reading RG1 2LU",
        [(900, "INVOICE")],
        [(60, "Invoice to"), (900, "Invoice no. 0042")],
        [(60, "Northwind Tutors Ltd"), (900, "Invoice date 03/03/2026")],
        [(700, "Subtotal"), (1100, "£100.00")],
        [(700, "VAT 20%"), (1100, "£20.00")],
        [(700, "Total"), (1100, "£120.00")],
    ),
    "es": (
        "Talleres Ibarra S.L.",
        "Calle Mayor 12, 28013 Madrid",
        [(900, "FACTURA")],
        [(900, "Número de factura: 2026/0042")],
        [(900, "Fecha de factura: 14/03/2026")],
        [(700, "Base imponible"), (1100, "100,00 €")],
        [(700, "IVA 21 %"), (1100, "21,00 €")],
        [(700, "Total"), (1100, "121,00 €")],
    ),
}


@pytest.mark.parametrize("lang", sorted(_SCANNED_INVOICES))
def test_a_scanned_invoice_with_its_number_and_date_labels_is_an_invoice(lang):
    rows = _SCANNED_INVOICES[lang]
    doc = _scan(*rows)
    assert doc.document_type == "invoice"
    assert doc.supplier_name == rows[0].rstrip(".")  # a final dot is not kept


def test_a_till_receipt_titled_tax_invoice_stays_a_receipt():
    # A till roll headed "TAX INVOICE" with its number: one invoice mention, and till cues.
    doc = _scan(
        "KEDAI RUNCIT MAJU",
        "TAX INVOICE",
        "Invoice No: 100234",
        "Date: 03/03/2026",
        "Cashier: 02",
        [(60, "2 x Teh tarik"), (500, "5.00")],
        [(60, "TOTAL"), (500, "5.00")],
        [(60, "CASH"), (500, "10.00")],
        [(60, "CHANGE"), (500, "5.00")],
    )
    assert doc.document_type == "receipt"


def test_a_receipt_titled_as_one_with_one_invoice_word_stays_a_receipt():
    doc = _scan(
        [(60, "Hotel Riviera"), (500, "PAYMENT RECEIPT")],
        "Guest Name: Sanjay",
        [(60, "Room Charges"), (500, "Rs 1939")],
        [(60, "Grand Total"), (500, "Rs 1939")],
        "Please ask the hotel for an invoice at check-out.",
    )
    assert doc.document_type == "receipt"


@pytest.mark.parametrize("mark", ["·", " |", "| "])
def test_a_bullet_read_without_its_spaces_still_ends_the_name(mark):
    doc = _scan(
        f"Bonnet Plomberie SA{mark}au capital de 50 000 €{mark}RCS Lyon 303 265 045",
        "8 route de Vienne, 38200 Vienne",
        [(900, "FACTURE")],
        [(900, "Numéro de facture : FA-2026-0091")],
        [(900, "Date de facture : 20/03/2026")],
        [(700, "Total TTC"), (1100, "120,00 €")],
    )
    assert doc.supplier_name == "Bonnet Plomberie SA"


def test_a_till_receipt_titled_tax_invoice_with_a_cash_line_stays_a_receipt():
    from shared.extraction.fields.totals import invoice_mentions

    folded = [
        "tax invoice",
        "bill to:",
        "cash",
        "doc no. :cs0001 date: 22/03/2018",
        "cash : 101.75",
    ]
    assert invoice_mentions(folded) == 0
    assert invoice_mentions(folded[:-1]) >= 2


@pytest.mark.parametrize(
    "title",
    [
        "Handelsrechnung (380) Nr. 2026-118 vom",  # the type code, as e-invoice viewers print
        "Gutschrift (Selbst ausgestellte Rechnung) Nr. 2026-118 vom",  # self-billed: invoice
    ],
)
def test_a_scanned_e_invoice_view_titled_with_a_bracketed_type_is_an_invoice(title):
    doc = _scan(
        "Visualisierung der Rechnungsdaten",
        "Version 2.1 vom 24.03.2020",
        title,
        "12.05.2026",
        "Verkäufer:",
        "Holzbau Wendler GmbH",
        "Käufer:",
        "Kanzlei Obermaier",
    )
    assert doc.document_type == "invoice"
    assert doc.invoice_number == "2026-118"
