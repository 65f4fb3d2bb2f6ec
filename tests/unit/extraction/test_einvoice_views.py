"""E-invoices as their viewers print them (issue #12): the buyer's and the seller's panels
side by side, each a table of captions and values, a value of several lines beside its
caption, the type as its code, the currency as its ISO code, the preceding invoices listed
under the invoice's own data.

Pages are built as the text layer of a browser's print of KoSIT's XRechnung viewer gives
them: boxes with their coordinates, grouped into lines by `group_lines`.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from shared.extraction.fields import extract_fields
from shared.extraction.invoices.party_names import name_text
from shared.extraction.layout import Box, group_lines
from shared.extraction.parsing import detect_currency

from .page_builders import page as _page

BUYER_X, BUYER_VALUE_X, SELLER_X, SELLER_VALUE_X = 55.0, 190.0, 330.0, 465.0


def _box(text: str, x: float, y: float, height: float = 12.0) -> Box:
    return Box(text, x, y, x + 5.0 * len(text), y + height)


def _read(boxes: list[Box], source: str = "pdf_text"):
    return extract_fields(group_lines(boxes), source=source)


def _totals(
    y: float,
    *,
    type_code: str = "380",
    currency: str = "EUR",
    number: tuple[tuple[str, float], ...] = (("RE-2026-0417", 32),),
) -> list[Box]:
    """The invoice's data under the panels, from `y`; the number given as (text, y offset)
    boxes beside its caption at `y + 32`."""
    return [
        _box("Rechnungsdaten", 47, y),
        _box("Rechnungsnummer:", BUYER_X, y + 32),
        *(_box(text, BUYER_VALUE_X, y + dy) for text, dy in number),
        _box("Rechnungsdatum:", BUYER_X, y + 64),
        _box("14.3.2026", BUYER_VALUE_X, y + 64),
        _box("Rechnungsart:", BUYER_X, y + 96),
        _box(type_code, BUYER_VALUE_X, y + 96),
        _box("Währung:", BUYER_X, y + 128),
        _box(currency, BUYER_VALUE_X, y + 128),
        _box("Gesamtsumme netto", BUYER_X, y + 160),
        _box("1.000,00", SELLER_VALUE_X, y + 160),
        _box("Summe Umsatzsteuer", BUYER_X, y + 192),
        _box("190,00", SELLER_VALUE_X, y + 192),
        _box("Gesamtsumme brutto", BUYER_X, y + 224),
        _box("1.190,00", SELLER_VALUE_X, y + 224),
        _box("Fälliger Betrag brutto", BUYER_X, y + 256),
        _box("1.190,00", SELLER_VALUE_X, y + 256),
    ]


def _panels(
    *seller_name: tuple[str, float],
    type_code: str = "380",
    currency: str = "EUR",
    number: tuple[tuple[str, float], ...] = (("RE-2026-0417", 32),),
) -> list[Box]:
    """The viewer's first page: its tabs, the panels' headings, a buyer's reference (two
    lines in the buyer's panel, nothing beside them in the seller's), the names' row at
    y=213 (the seller's name given as (text, y) boxes), the address rows."""
    boxes = [
        _box("Übersicht", 51, 42, 19),
        _box("Details", 142, 42, 19),
        _box("Anlagen", 293, 42, 19),
        _box("Wir übernehmen keine Haftung für die Richtigkeit der Daten.", 166, 94),
        _box("Informationen zum Käufer", 47, 140),
        _box("Informationen zum Verkäufer", 322, 140),
        _box("Käuferreferenz:", BUYER_X, 178),
        _box("04011000-12345-", BUYER_VALUE_X, 176),
        _box("03", BUYER_VALUE_X, 188),
        _box("Name:", BUYER_X, 215),
        _box("Stadtwerke Nordheim", BUYER_VALUE_X, 215),
        _box("Firmenname:", SELLER_X, 221),
        *(_box(text, SELLER_VALUE_X, y) for text, y in seller_name),
        _box("Adresszeile 1:", BUYER_X, 262),
        _box("Am Markt 1", BUYER_VALUE_X, 262),
        _box("Adresszeile 1:", SELLER_X, 262),
        _box("Hafenstraße 12", SELLER_VALUE_X, 262),
        _box("PLZ:", BUYER_X, 294),
        _box("12345", BUYER_VALUE_X, 294),
        _box("PLZ:", SELLER_X, 294),
        _box("20457", SELLER_VALUE_X, 294),
    ]
    return boxes + _totals(360, type_code=type_code, currency=currency, number=number)


def test_the_sellers_panel_beside_the_buyers_first_rows_is_the_sellers():
    # Two rows of the buyer's panel beside nothing in the seller's: the seller's heading
    # still heads the panel under it.
    doc = _read(_panels(("Kirin Denki Vertrieb GmbH", 221)))
    assert doc.supplier_name == "Kirin Denki Vertrieb GmbH"
    assert doc.total == Decimal("1190.00")


def test_a_name_of_three_lines_centred_beside_its_caption_is_read_whole():
    doc = _read(_panels(("The", 209), ("Harbour Supply", 221), ("Company Limited", 233)))
    assert doc.supplier_name == "The Harbour Supply Company Limited"


def test_a_name_level_with_its_caption_keeps_its_line_alone():
    # The caption stands level with the name's line: the line under it, in the same column,
    # is the next row's (here a department), not the rest of the name.
    doc = _read(_panels(("Kirin Denki Vertrieb GmbH", 221), ("Abteilung Vertrieb", 233)))
    assert doc.supplier_name == "Kirin Denki Vertrieb GmbH"


def test_a_number_too_long_for_its_cell_is_read_across_the_wrap():
    # The viewer's cell wraps a long number inside the word, on the caption's either side.
    doc = _read(
        _panels(("Kirin Denki Vertrieb GmbH", 221), number=(("02_FT_BIS3_V31_B", 26), ("2B", 38)))
    )
    assert doc.invoice_number == "02_FT_BIS3_V31_B2B"
    assert doc.supplier_name == "Kirin Denki Vertrieb GmbH"


def test_a_number_level_with_its_caption_keeps_its_line_alone():
    # The caption stands level with the number: the word under it is not the number's.
    doc = _read(
        _panels(("Kirin Denki Vertrieb GmbH", 221), number=(("RE-2026-0417", 32), ("2B", 44)))
    )
    assert doc.invoice_number == "RE-2026-0417"


@pytest.mark.parametrize(
    "name", ["Vodafone Deutschland GmbH", "Orange France SA", "Lidl Österreich GmbH"]
)
def test_a_national_company_named_after_its_country_is_a_name(name):
    assert name_text(name) == name


@pytest.mark.parametrize(
    "name", ["Beispiel Handel KG", "Example Trading Ltd", "Sample Supplies SARL"]
)
def test_a_specimens_party_named_by_a_sample_word_and_a_legal_form_is_a_name(name):
    assert name_text(name) == name


@pytest.mark.parametrize("line", ["Beispielrechnung", "Sample invoice", "Example", "Beispiel"])
def test_a_sample_word_without_a_legal_form_heads_a_specimen(line):
    assert name_text(line) is None


@pytest.mark.parametrize("line", ["Deutschland", "France", "Hamburg Deutschland"])
def test_a_country_without_a_legal_form_is_an_address_line(line):
    assert name_text(line) is None


@pytest.mark.parametrize(("code", "kind"), [("381", "credit_note"), ("380", "invoice")])
def test_the_type_code_printed_by_the_viewer_types_the_document(code, kind):
    doc = _read(_panels(("Kirin Denki Vertrieb GmbH", 221), type_code=code))
    assert doc.document_type == kind


@pytest.mark.parametrize(
    ("text", "currency"),
    [
        ("Währung: NOK\nGesamtsumme brutto 1.190,00", "NOK"),
        ("Currency: SEK\nAmount due 980.00", "SEK"),
        ("Devise : CHF\nTotal 1,00 €", "CHF"),
        ("Total DKK 1.250,00", "DKK"),
        ("Betrag 980,00 HUF", "HUF"),
        # Codes that are words or units too count only as a label's value.
        ("12 KGS Mehl, 5 KGS Zucker: 24,00 EUR", "EUR"),
        ("TOP 10 items 5,00 €", "EUR"),
    ],
)
def test_a_currency_printed_as_its_iso_code_is_read(text, currency):
    assert detect_currency(text)[0] == currency


def test_a_currency_labelled_on_the_page_is_the_documents():
    doc = _read(_panels(("Kirin Denki Vertrieb GmbH", 221), currency="SEK"))
    assert doc.currency == "SEK"


def _with_preceding_invoice(y: float) -> list[Box]:
    return [
        _box("Vorherige Rechnungen:", BUYER_X, y),
        _box("Rechnungsnummer:", BUYER_X, y + 32),
        _box("PIR1234567890", BUYER_VALUE_X, y + 32),
        _box("Rechnungsdatum:", BUYER_X, y + 64),
        _box("4.2.2026", BUYER_VALUE_X, y + 64),
    ]


def test_a_page_listing_the_preceding_invoices_continues_the_document():
    from shared.extraction.pipeline import split_documents

    first = group_lines(_panels(("Kirin Denki Vertrieb GmbH", 221)))
    second = group_lines(
        _with_preceding_invoice(60)
        + [_box("Gesamtsumme brutto", BUYER_X, 200), _box("1.190,00", SELLER_VALUE_X, 200)]
    )
    assert [
        len(group) for group in split_documents([(first, "pdf_text"), (second, "pdf_text")])
    ] == [2]


def test_preceding_invoices_listed_beside_another_column_are_still_theirs():
    # The section stands in the right column, beside rows of the invoice's own data: its
    # number is the preceding invoice's, and the rows beside it stay the invoice's.
    from shared.extraction.fields.identifiers import find_invoice_number
    from shared.extraction.pipeline import split_documents

    def second_page(own_rows: list[Box]) -> list[Box]:
        return own_rows + [
            _box("Vorausgegangene Rechnungen:", SELLER_X, 125),
            _box("Rechnungsnummer:", SELLER_X, 149),
            _box("TOSL109", SELLER_VALUE_X, 149),
            _box("Rechnungsdatum:", SELLER_X, 181),
            _box("10.3.2013", SELLER_VALUE_X, 181),
            _box("Gesamtsumme brutto", BUYER_X, 260),
            _box("1.190,00", SELLER_VALUE_X, 260),
        ]

    beside = [_box("Abrechnungsdatum der", BUYER_X, 128), _box("Umsatzsteuer:", BUYER_X, 140)]
    first = group_lines(_panels(("Kirin Denki Vertrieb GmbH", 221)))
    second = group_lines(second_page(beside))
    assert find_invoice_number(second) is None
    assert [
        len(group) for group in split_documents([(first, "pdf_text"), (second, "pdf_text")])
    ] == [2]
    own = [_box("Rechnungsnummer:", BUYER_X, 149), _box("RE-2026-0417", BUYER_VALUE_X, 149)]
    assert find_invoice_number(group_lines(second_page(own))) == "RE-2026-0417"


def test_a_limited_companys_ltd_read_as_itd_by_ocr_is_ltd():
    rows = [
        "INVOICE No. INV-2026-031",
        "Harbour Supply Itd",
        "12 Dock Road, Leeds LS1 4AB",
        "Invoice date: 09/05/2026",
        [(40, "Total"), (400, "240.00 GBP")],
    ]
    assert _page(*rows, source="ocr").supplier_name == "Harbour Supply ltd"
    assert _page(*rows).supplier_name == "Harbour Supply Itd"  # printed so: kept


def test_a_scans_next_caption_a_line_below_its_values_first_line_ends_the_name():
    # As OCR boxes a scan: taller boxes, the address's caption centred between its value's
    # two lines and grouped with the second, so that the address's first line comes before
    # its caption's line, right under the name's cell.
    def tall(text: str, x: float, y: float) -> Box:
        return Box(text, x, y, x + 12.0 * len(text), y + 36)

    boxes = [
        tall("Informationen zum Käufer", 92, 291),
        tall("Informationen zum Verkäufer", 662, 291),
        tall("Käuferreferenz:", 106, 369),
        tall("Name:", 104, 440),
        tall("Stadtwerke", 388, 430),
        tall("The", 961, 430),
        tall("Nordheim", 387, 453),
        tall("Firmenname:", 680, 456),
        tall("Harbour Supply", 957, 453),
        tall("Company Limited", 959, 482),
        tall("Adresszeile 1:", 109, 515),
        tall("Am Markt 1", 388, 513),
        tall("Main street", 959, 524),
        tall("Adresszeile 1:", 680, 541),
        tall("Building 4", 959, 551),
    ]
    totals = [tall("Gesamtsumme brutto", 106, 100), tall("1.190,00", 1053, 100)]
    lines = group_lines(boxes) + group_lines(totals, page=2)  # the viewer's pages, scanned
    doc = extract_fields(lines, source="ocr")
    assert doc.supplier_name == "The Harbour Supply Company Limited"


# The visualization's own PDF layout (FOP) sets its totals as caption | amount, without the
# HTML viewer's net / gross column, the amounts far right of their captions.
def _fop_totals(*rows: tuple[str, str]) -> list[Box]:
    boxes = [
        _box("Rechnung", 62, 40, 19),
        _box("Rechnungsnummer:", 62, 80),
        _box("RE-2026-0417", 142, 80),
        _box("Rechnungsdatum:", 62, 96),
        _box("14.3.2026", 142, 96),
        _box("Gesamtbeträge der Rechnung", 63, 130),
    ]
    for n, (caption, amount) in enumerate(rows):
        y = 150 + 14 * n
        boxes += [_box(caption, 62, y), Box(amount, 600 - 5.0 * len(amount), y, 600, y + 12)]
    return boxes


def test_two_sums_under_one_caption_apart_by_the_vat_are_the_net_and_the_gross():
    doc = _read(
        _fop_totals(
            ("Summe aller Positionen", "1.246,00"),
            ("Gesamtsumme", "1.246,00"),
            ("Summe Umsatzsteuer", "274,12"),
            ("Gesamtsumme", "1.520,12"),
            ("Gezahlter Betrag", "274,12"),
            ("Fälliger Betrag", "1.246,00"),
            ("Gesamtsumme", "1.246,00"),  # the VAT breakdown's base, printed last
        )
    )
    assert doc.total == Decimal("1520.12")
    assert doc.amount_due == Decimal("1246.00")


def test_a_credit_note_printed_negative_adds_its_negative_vat():
    doc = _read(
        _fop_totals(
            ("Total invoice line net amount", "-100.00"),
            ("Total amount", "-100.00"),
            ("Total VAT", "-21.00"),
            ("Amount due", "-121.00"),
        )
    )
    assert doc.total == Decimal("-121.00")
    assert doc.amount_due == Decimal("-121.00")


def test_a_total_at_the_far_right_of_its_short_caption_is_read():
    # "Total" alone at the left margin, its amount at the right one: four fifths of the
    # page apart, still one row.
    doc = _read(
        _fop_totals(
            ("Total amount", "400.00"),
            ("Total VAT", "84.00"),
            ("Total", "484.00"),
            ("Already paid", "100.00"),
            ("Amount due", "384.00"),
        )
    )
    assert doc.total == Decimal("484.00")
    assert doc.amount_due == Decimal("384.00")


@pytest.mark.parametrize(
    ("read", "meant"),
    [
        ("Simplerlnvoicing", "SimplerInvoicing"),
        ("lnvest Holdings", "Invest Holdings"),
        ("lmmobilien Weber GmbH", "Immobilien Weber GmbH"),
        # Known words, and words an I would not make known, keep their l.
        ("Hotellerie Schiller", "Hotellerie Schiller"),
        ("Helpline Services", "Helpline Services"),
        ("Stillwater Holdings", "Stillwater Holdings"),
        ("Kellnerei Voss", "Kellnerei Voss"),
    ],
)
def test_a_capital_i_read_as_a_small_l_is_put_back(read, meant):
    from shared.extraction.fields.names import capital_i_read_as_l

    assert capital_i_read_as_l(read) == meant


def test_a_scanned_sellers_name_gets_its_capital_i_back_the_text_layers_keeps_its_spelling():
    rows = (
        "INVOICE No. INV-2026-031",
        "Simplerlnvoicing B.V.",
        "Keizersgracht 12, 1015 CS Amsterdam",
        "Invoice date: 09/05/2026",
        [(40, "Total"), (400, "240.00 EUR")],
    )
    assert _page(*rows, source="ocr").supplier_name == "SimplerInvoicing B.V"
    assert _page(*rows).supplier_name == "Simplerlnvoicing B.V"  # printed so: kept


def test_the_type_code_under_a_type_of_invoice_label_is_no_number():
    # The viewer in French: "Type de facture : 380" is the document's type; with no number
    # printed where its label says, the number is unknown, not 380.
    rows = (
        "FACTURE",
        "Atelier Duval SAS",
        [(40, "Numéro de facture :"), (200, "XXX")],
        [(40, "Type de facture :"), (200, "380")],
        [(40, "Date de facture :"), (200, "07/02/2026")],
        [(40, "Total TTC"), (400, "1.520,12")],
    )
    assert _page(*rows).invoice_number is None
    numbered = (rows[0], rows[1], [(40, "Numéro de facture :"), (200, "FA-2026-017")], *rows[3:])
    assert _page(*numbered).invoice_number == "FA-2026-017"
