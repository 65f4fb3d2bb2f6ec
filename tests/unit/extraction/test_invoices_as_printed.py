"""Invoices as suppliers print them: paid stamps, Swiss, Norwegian and UK VAT ids, names
set letter-spaced, in small caps or with digits, the sender's line over a window address,
a seller named only in the legal footer, the buyer's address first (issue #12).

Pages are built the way a PDF text layer gives them: boxes with coordinates, grouped into
lines by `group_lines`.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from shared.extraction.fields import extract_fields
from shared.extraction.layout import Box, group_lines
from shared.extraction.parsing import find_vat_candidates


def _page(*rows: str | list[tuple[float, str]], **kwargs):
    """One row per line, 16 pt apart; a row is a string at x=40 or [(x, text), ...]."""
    boxes = []
    for r, row in enumerate(rows):
        cells = [(40.0, row)] if isinstance(row, str) else row
        for x, text in cells:
            if text:
                boxes.append(Box(text, x, 40.0 + 16 * r, x + 5.0 * len(text), 50.0 + 16 * r))
    return extract_fields(group_lines(boxes), source="pdf_text", **kwargs)


def _sized_page(*rows: tuple[float, str | list[tuple[float, str]]], **kwargs):
    """(height, text) at x=40 or (height, [(x, text), ...]) per line."""
    boxes, y = [], 40.0
    for height, cells in rows:
        for x, text in [(40.0, cells)] if isinstance(cells, str) else cells:
            boxes.append(Box(text, x, y, x + height / 2 * len(text), y + height))
        y += height * 1.25
    return extract_fields(group_lines(boxes), source="pdf_text", **kwargs)


# --- an invoice already paid -------------------------------------------------------------


def _french_invoice(*after_totals: str | list[tuple[float, str]]):
    return _page(
        "Menuiserie Arnaud SARL",
        "8 route de Vienne, 38200 Vienne",
        [(300, "FACTURE N° FA-2026-0090")],
        [(300, "Date : 20/03/2026")],
        [(300, "Total HT"), (450, "100,00 €")],
        [(300, "TVA 20 %"), (450, "20,00 €")],
        [(300, "Total TTC"), (450, "120,00 €")],
        *after_totals,
    )


@pytest.mark.parametrize(
    "stamp",
    [
        "PAYÉE",
        "Facture acquittée",
        "Acquittée le 22/03/2026",
        "Payée le 22/03/2026 par carte bancaire",
    ],
)
def test_a_french_invoice_stamped_paid_leaves_nothing_to_pay(stamp):
    doc = _french_invoice([(300, stamp)])
    assert doc.total == Decimal("120.00")
    assert doc.amount_due == Decimal("0.00")


@pytest.mark.parametrize(
    "row",
    [
        [(300, "Montant réglé"), (450, "120,00 €")],
        [(300, "Reste à payer"), (450, "0,00 €")],
        [(300, "Déjà réglé"), (450, "120,00 €")],
    ],
)
def test_a_french_invoice_settled_in_its_totals_leaves_nothing_to_pay(row):
    doc = _french_invoice(row)
    assert doc.total == Decimal("120.00")
    assert doc.amount_due == Decimal("0.00")


def test_a_french_invoice_part_settled_leaves_the_balance():
    doc = _french_invoice([(300, "Montant réglé"), (450, "50,00 €")])
    assert doc.total == Decimal("120.00")
    assert doc.amount_due == Decimal("70.00")


def _english_invoice(*after_totals: str | list[tuple[float, str]]):
    return _page(
        "Hollis Stationery Ltd",
        "3 High Street, Leeds LS1 4DY",
        [(300, "Invoice INV-55121")],
        [(300, "Invoice date 04 Mar 2026")],
        [(300, "Subtotal"), (450, "£100.00")],
        [(300, "VAT @ 20%"), (450, "£20.00")],
        [(300, "Total"), (450, "£120.00")],
        *after_totals,
    )


@pytest.mark.parametrize(
    "after",
    [
        ["PAID"],
        ["PAID IN FULL"],
        ["Paid by Visa ****1234 on 04/03/2026"],
        ["Paid with Mastercard ending 5678 on 4 March 2026"],
        [[(300, "Already paid"), (450, "£120.00")]],
        [[(300, "Amount paid"), (450, "£120.00")], [(300, "Amount due"), (450, "£0.00")]],
        [[(300, "Balance due"), (450, "£0.00")]],
    ],
)
def test_an_english_invoice_paid_leaves_nothing_to_pay(after):
    doc = _english_invoice(*after)
    assert doc.total == Decimal("120.00")
    assert doc.amount_due == Decimal("0.00")


def test_an_english_invoice_part_paid_leaves_the_balance():
    doc = _english_invoice([(300, "Already paid"), (450, "£20.00")])
    assert doc.amount_due == Decimal("100.00")


def test_payment_terms_are_no_paid_stamp():
    doc = _english_invoice("To be paid within 30 days of the invoice date.")
    assert doc.amount_due == Decimal("120.00")
    due = _french_invoice("Facture payable à 30 jours. Pénalités de retard : 3 fois le taux légal.")
    assert due.amount_due == Decimal("120.00")


@pytest.mark.parametrize(
    "stamp",
    ["BEZAHLT", "Betrag dankend erhalten", "Bezahlt am 22.03.2026 per Kreditkarte"],
)
def test_a_german_invoice_stamped_paid_leaves_nothing_to_pay(stamp):
    doc = _page(
        "Nordlicht Werkzeuge GmbH",
        "Am Hafen 3, 20457 Hamburg",
        [(300, "Rechnung Nr. RE-2026-118")],
        [(300, "Datum: 14.03.2026")],
        [(300, "Nettobetrag"), (450, "100,00 €")],
        [(300, "USt. 19 %"), (450, "19,00 €")],
        [(300, "Gesamtbetrag"), (450, "119,00 €")],
        [(300, stamp)],
    )
    assert doc.total == Decimal("119.00")
    assert doc.amount_due == Decimal("0.00")


@pytest.mark.parametrize("stamp", ["PAGADA", "Factura pagada"])
def test_a_spanish_invoice_stamped_paid_leaves_nothing_to_pay(stamp):
    doc = _page(
        "Talleres Ibarra S.L.",
        "Calle Mayor 12, 28013 Madrid",
        [(300, "Factura nº 2026/0042")],
        [(300, "Fecha: 14/03/2026")],
        [(300, "Base imponible"), (450, "100,00 €")],
        [(300, "IVA 21 %"), (450, "21,00 €")],
        [(300, "Total factura"), (450, "121,00 €")],
        [(300, stamp)],
    )
    assert doc.total == Decimal("121.00")
    assert doc.amount_due == Decimal("0.00")


# --- VAT ids outside the EU ----------------------------------------------------------------


def _swiss_uid_check_digit(eight_digits: str) -> int:
    """The Swiss UID's check digit: mod 11 with weights 5,4,3,2,7,6,5,4 (10 is never issued)."""
    weighted = sum(int(d) * w for d, w in zip(eight_digits, (5, 4, 3, 2, 7, 6, 5, 4), strict=True))
    return (11 - weighted % 11) % 11


def test_the_swiss_uid_check_digit_is_mod_11():
    assert _swiss_uid_check_digit("11628171") == 0  # CHE-116.281.710, the federal register's own


@pytest.mark.parametrize(
    "printed",
    [
        "CHE-116.281.710 MWST",
        "CHE-116.281.710 TVA",
        "CHE-116.281.710 IVA",
        "CHE116281710",
        "MWST-Nr. CHE-116.281.710",
    ],
)
def test_swiss_vat_ids_are_read_and_checked(printed):
    assert find_vat_candidates(printed) == [("CHE116281710", True)]


def test_a_swiss_vat_id_with_a_wrong_check_digit_is_flagged():
    assert find_vat_candidates("CHE-116.281.711 MWST") == [("CHE116281711", False)]


@pytest.mark.parametrize("printed", ["NO 974 760 673 MVA", "Org.nr. NO974760673MVA"])
def test_norwegian_vat_ids_are_read_and_checked(printed):
    assert find_vat_candidates(printed) == [("NO974760673MVA", True)]


def test_a_swiss_seller_s_vat_id_is_the_supplier_vat():
    doc = _page(
        "Bergsicht Informatik AG",
        "Bahnhofstrasse 10, 8001 Zürich",
        "MWST: CHE-116.281.710 MWST",
        [(300, "Rechnung Nr. 2026-118")],
        [(300, "Datum: 14.03.2026")],
        [(300, "Total CHF"), (450, "1'077.00")],
    )
    assert doc.supplier_vat == "CHE116281710"
    assert doc.supplier_name == "Bergsicht Informatik AG"


def test_a_uk_vat_id_grouped_three_four_two_is_the_supplier_vat():
    doc = _page(
        "Hollis Stationery Ltd",
        "3 High Street, Leeds LS1 4DY",
        "VAT Reg. No. GB 980 7806 84",
        [(300, "Invoice INV-55122")],
        [(300, "Invoice date 04 Mar 2026")],
        [(300, "Total"), (450, "£120.00")],
    )
    assert doc.supplier_vat == "GB980780684"
