"""Field rules on text lines, one test per convention (no OCR: lines are built directly)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from shared.extraction.fields import extract_fields
from shared.extraction.layout import Box, Line, group_lines


def _lines(*rows: str | tuple[str, ...]) -> list[Line]:
    """One line per row; a tuple row is several boxes (label and value in columns)."""
    lines = []
    for y, row in enumerate(rows):
        cells = (row,) if isinstance(row, str) else row
        boxes = [
            Box(text, 300.0 * k, 30.0 * y, 300.0 * k + 10 * len(text), 30.0 * y + 20)
            for k, text in enumerate(cells)
        ]
        lines.append(Line(boxes))
    return lines


def test_french_invoice_ttc_tva_and_siren():
    doc = extract_fields(
        _lines(
            "BOULANGERIE DUPONT SARL",
            "12 rue de la Paix 75002 Paris",
            "SIRET 421 938 861 00018",
            "Facture n° F-2024-0153 du 05/03/2024",
            ("Total HT", "100,00 €"),
            ("TVA 20 %", "20,00 €"),
            ("Total TTC", "1 120,00 €"),
            "Date d'échéance : 04/04/2024",
            "IBAN FR76 3000 6000 0112 3456 7890 189",
        ),
        source="pdf_text",
    )
    assert doc.supplier_name == "BOULANGERIE DUPONT SARL"
    assert doc.total == Decimal("1120.00")
    assert doc.vat_amounts == {"20": Decimal("20.00")}
    assert doc.issue_date == date(2024, 3, 5)
    assert doc.due_date == date(2024, 4, 4)
    assert doc.invoice_number == "F-2024-0153"
    assert doc.supplier_siren == "421938861"
    assert doc.supplier_iban == "FR7630006000011234567890189"
    assert doc.currency == "EUR"
    assert doc.document_type == "invoice"
    assert 0 < doc.confidence["total"] <= 1


def test_spanish_ticket_with_iva():
    doc = extract_fields(
        _lines(
            "CAFETERIA LA PLAZA S.L.",
            "Fecha: 8 de septiembre de 2022",
            ("Cafe con leche", "1,80"),
            ("Tostada", "2,50"),
            ("Base imponible", "3,91"),
            ("IVA 10%", "0,39"),
            ("TOTAL A PAGAR", "4,30 EUR"),
            ("Efectivo", "5,00"),
            ("Cambio", "0,70"),
        ),
        source="ocr",
    )
    assert doc.total == Decimal("4.30")
    assert doc.issue_date == date(2022, 9, 8)
    assert doc.vat_amounts == {"10": Decimal("0.39")}
    assert doc.document_type == "receipt"


def test_german_receipt_summe_mwst_and_rounding_free_total():
    doc = extract_fields(
        _lines(
            "Baeckerei Korn GmbH",
            ("Brot", "3,20 A"),
            ("Kaffee", "2,50 B"),
            ("SUMME EUR", "5,70"),
            ("Gegeben Bar", "10,00"),
            ("Rückgeld", "4,30"),
            ("MwSt 7% netto 2,99", "0,21"),
            "Datum 02.03.2020 12:31",
        ),
        source="ocr",
    )
    assert doc.total == Decimal("5.70")
    assert doc.issue_date == date(2020, 3, 2)
    assert doc.supplier_name == "Baeckerei Korn GmbH"


def test_english_receipt_rounding_adjustment_gives_the_paid_total():
    doc = extract_fields(
        _lines(
            "GOLDEN SCOOP SDN BHD (169609-A)",
            "Date: 30 DEC 17",
            ("TOTAL AMT", "60.31"),
            ("ROUNDING ADJ", "-0.01"),
            ("RM", "60.30"),
            ("CASH", "70.30"),
            ("CHANGE", "10.00"),
        ),
        source="ocr",
    )
    assert doc.total == Decimal("60.30")
    assert doc.issue_date == date(2017, 12, 30)
    assert doc.supplier_name == "GOLDEN SCOOP SDN BHD"
    assert doc.currency == "MYR"
    assert Decimal("60.31") in doc.candidate_totals


def test_invoice_number_and_date_under_column_headers():
    doc = extract_fields(
        _lines(
            ("Klant", "Factuurdatum", "Factuur", "Vervaldatum"),
            ("SC0001", "8-9-2022", "VF1005193039", "22-9-2022"),
            ("Factuur totaal EUR", "49,99"),
        ),
        source="pdf_text",
    )
    assert doc.invoice_number == "VF1005193039"
    assert doc.issue_date == date(2022, 9, 8)
    assert doc.total == Decimal("49.99")


def test_credit_note_is_recognised():
    doc = extract_fields(
        _lines("ACME GmbH", "Gutschrift Nr. GS-12", ("Gesamtbetrag", "-50,00 EUR")),
        source="pdf_text",
    )
    assert doc.document_type == "credit_note"
    assert doc.total == Decimal("-50.00")


def test_boxes_are_grouped_into_lines_by_vertical_overlap():
    boxes = [
        Box("9.00", 400, 102, 440, 122),
        Box("Total", 10, 100, 60, 120),
        Box("Cash", 10, 130, 60, 150),
        Box("10.00", 400, 131, 450, 151),
    ]
    lines = group_lines(boxes)
    assert [line.text for line in lines] == ["Total 9.00", "Cash 10.00"]


def test_a_gratuity_under_the_bill_and_the_amount_paid_give_the_paid_total():
    # The card was charged the bill plus the gratuity: that is the receipt's amount.
    doc = extract_fields(
        _lines(
            "THE STATION ARMS",
            "DATE: 26/10/24",
            ("FISH & CHIPS", "13.30"),
            ("BILL TOTAL", "£106.93"),
            ("VAT 20% (Net 89.11)", "17.82"),
            ("GRATUITY", "5.00"),
            ("AMOUNT PAID", "£111.93"),
            ("CONTACTLESS", "111.93"),
        ),
        source="ocr",
    )
    assert doc.total == Decimal("111.93")
    assert Decimal("106.93") in doc.candidate_totals


def test_a_tip_line_without_the_amount_paid_leaves_the_bill():
    doc = extract_fields(
        _lines(
            "BRASSERIE DU PORT",
            "DATE: 26/10/24",
            ("TOTAL TTC", "42.00"),
            ("POURBOIRE", "4.00"),
            ("CB", "42.00"),
        ),
        source="ocr",
    )
    assert doc.total == Decimal("42.00")


def test_a_pharmacy_bill_less_the_insurance_shares_is_what_the_customer_paid():
    doc = extract_fields(
        _lines(
            "PHARMACIE DU MARCHE",
            "27/10/2025 20:17",
            ("Sirop toux 125ml", "9,80"),
            ("Vitamine C 1000", "21,85"),
            ("TOTAL", "31,65 €"),
            ("Part Sécurité sociale", "11,08"),
            ("Part mutuelle", "10,28"),
            ("RESTE A CHARGE", "10,29 €"),
            ("CB", "10,29"),
        ),
        source="ocr",
    )
    assert doc.total == Decimal("10.29")


def test_insurance_shares_without_the_customer_part_printed_leave_the_bill():
    doc = extract_fields(
        _lines(
            "PHARMACIE DU MARCHE",
            "27/10/2025 20:17",
            ("TOTAL", "31,65 €"),
            ("Part Sécurité sociale", "11,08"),
            ("CB", "31,65"),
        ),
        source="ocr",
    )
    assert doc.total == Decimal("31.65")


def test_a_total_with_its_tax_said_included_is_the_total():
    # "TOTAL (IVA INCL.)": the tax word marks the gross, not a VAT line.
    for label in ("Total (IVA incl.)", "Gesamt inkl. MwSt", "Total with VAT"):
        doc = extract_fields(
            _lines(
                "BAZAR LEVANTE",
                "Fecha: 25/08/2026",
                ("1 x Tazas de gres x2", "27,53 €"),
                ("Envio", "5,90 €"),
                ("SUBTOTAL", "27,53 €"),
                (label, "33,43 €"),
                ("IVA 21%:", "5,80 €"),
                "Pagado con tarjeta terminada en 4348",
            ),
            source="ocr",
        )
        assert doc.total == Decimal("33.43"), label


def test_till_abbreviations_of_a_subtotal_are_not_the_total():
    # "S/TOTAL" (sous-total) and "Z-SUMME" (Zwischensumme) come before a discount.
    for subtotal, discount, total in (
        ("S/TOTAL", "Bon de réduction", "MONTANT TTC"),
        ("Z-SUMME", "Rabatt", "Total"),
        ("Sous-total", "Remise fidélité", "TOTAL"),
    ):
        doc = extract_fields(
            _lines(
                "MARCHE DU CANAL",
                "03/04/25 18:38",
                ("Comte 200g", "4,11"),
                ("Poulet fermier", "33,45"),
                (subtotal, "37,56"),
                (discount, "-0,64"),
                (total, "36,92 €"),
            ),
            source="ocr",
        )
        assert doc.total == Decimal("36.92"), subtotal


def test_total_euros_is_the_total_and_a_count_of_articles_is_not():
    doc = extract_fields(
        _lines(
            "SUPERMERCADOS LUNA",
            "03/01/24 20:05:28",
            ("QUESO MANCHEGO 250G", "12,40"),
            ("PAPEL HIGIENICO 12U", "60,07"),
            ("TOTAL ARTÍCULOS", "20"),
            ("SUBTOTAL", "72,47"),
            ("PROMOCIÓN", "-1,91"),
            ("TOTAL EUROS", "70,56"),
            ("TARJETA CREDITO", "70,56"),
            ("21% 17,40 3,66", "21,06"),
        ),
        source="ocr",
    )
    assert doc.total == Decimal("70.56")
