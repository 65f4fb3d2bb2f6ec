"""End to end on real files: e-invoices read exactly, text-layer PDFs, split, and OCR."""

from __future__ import annotations

import io
import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from shared.extraction.commands import extract_main
from shared.extraction.fields import extract_fields
from shared.extraction.pipeline import extract

from .conftest_helpers import jpeg_bytes, jpeg_in_pdf, receipt_image

CORPUS = Path(__file__).resolve().parents[3] / ".." / "shared" / "corpus"
FACTURX = CORPUS / "invoices" / "facturx"
INVOICE2DATA = CORPUS / "invoices" / "invoice2data"

needs_corpus = pytest.mark.skipif(not CORPUS.exists(), reason="shared corpus not mounted")


@needs_corpus
def test_facturx_fields_are_read_exactly_from_the_embedded_xml():
    pdf = FACTURX / "mustang__validAvoir_FR_type380_BASICWL.pdf"
    truth = json.loads(pdf.with_suffix(".json").read_text())[0]
    result = extract(pdf.read_bytes())
    assert result.refused is None and len(result.documents) == 1
    doc = result.documents[0]
    assert doc.text_source == "einvoice"
    assert doc.total == Decimal(truth["amount"])
    assert doc.amount_due == Decimal(truth["amount_due"])
    assert sum(doc.vat_amounts.values()) == Decimal(truth["amount_tax"])
    assert doc.invoice_number == truth["invoice_number"]
    assert doc.issue_date == date.fromisoformat(truth["date"])
    assert doc.supplier_vat == truth["seller_vat"]
    assert doc.document_type == "credit_note"  # negative grand total
    assert doc.confidence["total"] == 1.0


@needs_corpus
def test_text_layer_invoice_in_french():
    result = extract((INVOICE2DATA / "free_fiber.pdf").read_bytes())
    doc = result.documents[0]
    assert doc.text_source == "pdf_text"
    assert doc.total == Decimal("29.99")
    assert doc.issue_date == date(2015, 7, 2)
    assert doc.due_date == date(2015, 7, 5)
    assert doc.invoice_number == "562044387"
    assert doc.supplier_vat == "FR60421938861"
    assert doc.supplier_siren == "421938861"
    assert doc.currency == "EUR"
    assert doc.pages == [1, 2]


@needs_corpus
def test_one_file_with_two_invoices_gives_two_documents():
    import pypdfium2 as pdfium

    merged = pdfium.PdfDocument.new()
    for name in ("saeco.pdf", "QualityHosting.pdf"):
        source = pdfium.PdfDocument((INVOICE2DATA / name).read_bytes())
        merged.import_pages(source)
    out = io.BytesIO()
    merged.save(out)
    result = extract(out.getvalue())
    numbers = [d.invoice_number for d in result.documents]
    assert numbers == ["VF1005193039", "30064443"]
    assert [d.total for d in result.documents] == [Decimal("49.99"), Decimal("34.73")]
    assert result.documents[0].pages == [1]


@pytest.mark.slow  # seconds of OCR or property examples: not in the fast command
def test_ocr_reads_a_german_receipt_photo(tmp_path, capsys):
    img = receipt_image(
        ["BACKEREI MUSTER GMBH", "Datum: 02.03.2020", "Brot 3,20", "SUMME EUR 24,23", "Bar 50,00"]
    )
    path = tmp_path / "receipt.jpg"
    path.write_bytes(jpeg_bytes(img))
    assert extract_main([str(path)]) == 0
    line = json.loads(capsys.readouterr().out.strip())
    assert line["total"] == "24.23"
    assert line["issue_date"] == "2020-03-02"
    assert line["currency"] == "EUR"
    assert line["document_type"] == "receipt"
    assert line["pages"] == [1]
    assert 0 < line["confidence"]["total"] <= 1


def _receipt_with_a_faded_date():
    from PIL import Image, ImageDraw, ImageFont

    img = Image.new("RGB", (620, 420), "white")
    draw = ImageDraw.Draw(img)
    font = ImageFont.load_default(size=28)
    rows = ["KEDAI ZEPHYR QUILL", "No. 12, Jalan Merpati 3", "TAX INVOICE", "REG #2"]
    for y, text in enumerate(rows):
        draw.text((24, 20 + 48 * y), text, fill="black", font=font)
    draw.text((170, 164), "30/04/2017", fill=(242, 242, 242), font=font)
    draw.text((350, 164), "13:29:56", fill="black", font=font)
    draw.text((24, 212), "TOTAL 12.40", fill="black", font=font)
    return jpeg_bytes(img)


@pytest.mark.slow  # seconds of OCR: not in the fast command
@pytest.mark.parametrize("turn", [0, 90, 180, 4])
def test_a_date_faded_past_the_detector_is_read_from_its_row_whole(turn):
    # Thermal print fades: the date before the time is too pale for the page's detection,
    # not for the recogniser given the whole row; on a page turned or askew, the row is cut
    # from the page as it was read (upright, levelled).
    from PIL import Image

    from shared.extraction.ocr import ocr_page

    data = _receipt_with_a_faded_date()
    if turn:
        image = Image.open(io.BytesIO(data)).convert("RGB")
        data = jpeg_bytes(image.rotate(turn, expand=True, fillcolor="white"))
    page = ocr_page(Image.open(io.BytesIO(data)).convert("RGB"))
    assert "13:29:56" in [b.text for b in page.boxes]
    assert not any("2017" in b.text for b in page.boxes)
    doc = extract(data).documents[0]
    assert (doc.issue_date, doc.total) == (date(2017, 4, 30), Decimal("12.40"))


@pytest.mark.slow  # seconds of OCR: not in the fast command
def test_a_receipt_scanned_to_pdf_is_read_as_its_photo():
    # The scanner's JPEG, not a render of the page, and the same second readings.
    data = _receipt_with_a_faded_date()
    from_pdf = extract(jpeg_in_pdf(data)).documents[0]
    assert (from_pdf.issue_date, from_pdf.total) == (date(2017, 4, 30), Decimal("12.40"))
    assert from_pdf.supplier_name == extract(data).documents[0].supplier_name
    assert from_pdf.pages == [1] and from_pdf.text_source == "ocr"


@pytest.mark.slow  # seconds of OCR: not in the fast command
def test_two_receipts_scanned_into_one_pdf_are_two_documents():
    first = receipt_image(["BACKEREI MUSTER GMBH", "Datum: 02.03.2020", "SUMME EUR 24,23"])
    second = receipt_image(["CAFE LINDE GMBH", "Datum: 05.03.2020", "SUMME EUR 7,80"])
    result = extract(jpeg_in_pdf(jpeg_bytes(first), jpeg_bytes(second)))
    assert [(d.total, d.issue_date, d.pages) for d in result.documents] == [
        (Decimal("24.23"), date(2020, 3, 2), [1]),
        (Decimal("7.80"), date(2020, 3, 5), [2]),
    ]


def _scanned_page(*rows: str):
    from shared.extraction.layout import group_lines

    from .page_builders import row_boxes

    return group_lines(row_boxes(list(rows))), "ocr"


def test_a_pile_of_receipts_scanned_one_a_page_splits_at_each_receipt():
    from shared.extraction.pipeline import split_documents

    pages = [
        # Its date stands alone, unlabelled: a receipt's date, read with less confidence.
        _scanned_page("BACKEREI MUSTER", "02.03.2020 10:14", "SUMME EUR 24,23"),
        # No total label: its total is only the last amount, of another day than the first.
        _scanned_page("CAFE LINDE", "05.03.2020 08:02", "Kaffee 3,90", "Kuchen 3,90", "7,80"),
        _scanned_page("KIOSK AM MARKT", "Datum: 06.03.2020", "SUMME EUR 4,10"),
    ]
    assert [len(group) for group in split_documents(pages)] == [1, 1, 1]


def test_a_receipt_whose_date_was_not_read_is_not_joined_to_its_neighbours():
    from shared.extraction.pipeline import split_documents

    pages = [
        _scanned_page("BACKEREI MUSTER", "Datum: 02.03.2020", "SUMME EUR 24,23"),
        # Its date faded away; its own labelled total says it is a receipt of its own.
        _scanned_page("CAFE LINDE", "Bon 0017", "Kaffee 3,90", "SUMME EUR 7,80"),
        # The same day as the first: only the labelled totals tell the receipts apart.
        _scanned_page("KIOSK AM MARKT", "Datum: 02.03.2020", "SUMME EUR 4,10"),
    ]
    assert [len(group) for group in split_documents(pages)] == [1, 1, 1]


def _group_sizes(*pages) -> list[int]:
    from shared.extraction.pipeline import split_documents

    return [len(group) for group in split_documents(list(pages))]


def test_an_invoice_after_a_receipt_in_a_scanned_pile_starts_its_own_document():
    receipt = _scanned_page("BACKEREI MUSTER", "Datum: 02.03.2020", "SUMME EUR 24,23")
    invoice = _scanned_page("ACME SCHRAUBEN GMBH", "RECHNUNG Nr. 4711", "Datum: 05.03.2020")
    totals = _scanned_page("Schrauben 12,00", "MwSt 19% 2,28", "SUMME EUR 14,28")
    assert _group_sizes(receipt, invoice, totals) == [1, 2]
    # The invoice's pages, then a receipt read whole with a total of its own.
    assert _group_sizes(invoice, totals, receipt) == [2, 1]


def test_a_scanned_page_after_the_last_page_of_its_count_starts_a_document():
    first = _scanned_page("ACME SCHRAUBEN GMBH", "Datum: 05.03.2020", "Seite 1 von 2")
    last = _scanned_page("Schrauben 12,00", "Zahlbar bis 30.03.2020", "Seite 2 von 2")
    # No date read, an unlabelled total: only the count says the invoice ended.
    receipt = _scanned_page("CAFE LINDE", "Kaffee 3,90", "Kuchen 3,90", "SUMME EUR 7,80")
    assert _group_sizes(first, last, receipt) == [2, 1]


def test_a_page_dated_another_day_after_a_complete_document_is_another_document():
    # No amount read, a date of its own.
    other = _scanned_page("CAFE LINDE", "Datum: 09.03.2020", "Tisch 4")
    receipt = _scanned_page("BACKEREI MUSTER", "Datum: 02.03.2020", "SUMME EUR 24,23")
    assert _group_sizes(receipt, other) == [1, 1]
    one_page_invoice = _scanned_page(
        "ACME SCHRAUBEN GMBH", "RECHNUNG Nr. 4711", "Datum: 05.03.2020", "SUMME EUR 14,28"
    )
    assert _group_sizes(one_page_invoice, other) == [1, 1]
    # After an invoice's totals page, dated by its first page.
    invoice = _scanned_page("ACME SCHRAUBEN GMBH", "RECHNUNG Nr. 4711", "Datum: 05.03.2020")
    totals = _scanned_page("Schrauben 12,00", "MwSt 19% 2,28", "SUMME EUR 14,28")
    assert _group_sizes(invoice, totals, other) == [2, 1]
    # Its terms, dated its own day, stay with it.
    terms = _scanned_page("Datum: 05.03.2020", "Zahlbar innerhalb 30 Tagen ohne Abzug")
    assert _group_sizes(invoice, totals, terms) == [3]


def test_a_payment_slip_repeating_an_invoices_total_stays_with_the_invoice():
    invoice = _scanned_page("ACME SCHRAUBEN GMBH", "RECHNUNG Nr. 4711", "Datum: 05.03.2020")
    totals = _scanned_page("Schrauben 12,00", "MwSt 19% 2,28", "SUMME EUR 14,28")
    slip = _scanned_page("ZAHLSCHEIN", "Datum: 05.03.2020", "SUMME EUR 14,28")
    assert _group_sizes(invoice, totals, slip) == [3]


def test_a_long_receipt_photographed_in_two_parts_stays_one_document():
    top = _scanned_page("KEDAI BUKU HARMONI", "Date: 12/01/2018", "Pen 2.99", "TOTAL RM 20.98")
    # Its rounded total, at the bottom of the second photo, with no date of its own.
    bottom = _scanned_page("TOTAL RM 20.98", "Rounding 0.02", "TOTAL RM 21.00", "Thank you")
    assert _group_sizes(top, bottom) == [2]
    # Another receipt's total, off by more than cash rounding, is another receipt's.
    other = _scanned_page("KIOSK AM MARKT", "Bon 0017", "SUMME EUR 21,10")
    assert _group_sizes(top, other) == [1, 1]
    # A second photo that opens on an item's row, not on a header, goes on the first one's
    # receipt, whatever total it shows.
    rest = _scanned_page("WHOLEMEAL 2.78 4 5.56", "Pen 3.50", "TOTAL RM 30.04", "Thank you")
    assert _group_sizes(top, rest) == [2]
    assert _group_sizes(top, _scanned_page("KEDAI MAJU", "Pen 3.50", "TOTAL RM 30.04")) == [1, 1]


def test_a_second_photo_that_repeats_the_first_ones_last_lines_continues_its_receipt():
    top = _scanned_page(
        "KEDAI BUKU HARMONI",
        "Date: 12/01/2018 10:14",
        "Description Qty Amount",
        "EXERCISE BOOK A4 2 5.98",
        "Total 0% supplies: 22.64",
    )
    # The photos overlap: the second opens on the first one's last lines, read again with a
    # slip, then shows a total and a date of its own (both pages read whole).
    bottom = _scanned_page(
        "Description Qty Amount",
        "EXERCISE BOOK A4 2 5.98",
        "Total 0% supplles: 22.64",
        "BALL PEN BLUE 3 4.50",
        "TOTAL RM 27.14",
        "Date: 12/01/2018",
        "Thank you",
    )
    assert _group_sizes(top, bottom) == [2]
    # The line each photo's edge cuts reads as something else on one of them.
    cut = _scanned_page(
        "Descr1pt.on Oty Am",
        "EXERCISE BOOK A4 2 5.98",
        "Total 0% supplies: 22.64",
        "TOTAL RM 27.14",
        "Date: 12/01/2018",
    )
    assert _group_sizes(top, cut) == [2]


def test_two_receipts_of_one_shop_sharing_lines_stay_apart():
    first = _scanned_page(
        "KEDAI BUKU HARMONI",
        "Date: 12/01/2018",
        "Cashier: ADMIN",
        "Payment: CASH",
        "TOTAL RM 5.00",
        "Thank you, come again",
    )
    second = _scanned_page(
        "KEDAI BUKU HARMONI",
        "Cashier: ADMIN",
        "Payment: CASH",
        "Date: 12/01/2018",
        "TOTAL RM 7.50",
        "Thank you, come again",
    )
    assert _group_sizes(first, second) == [1, 1]
    # Receipts of one till, one after the other, differ in their numbers only.
    cafe = _scanned_page("CAFE LINDE GMBH", "Datum: 05.03.2020", "SUMME EUR 7,80")
    kiosk = _scanned_page("KIOSK AM MARKT GMBH", "Datum: 06.03.2020", "SUMME EUR 4,10")
    assert _group_sizes(cafe, kiosk) == [1, 1]


def test_the_photos_of_one_long_receipt_are_read_as_one_receipt():
    from shared.extraction.pipeline import _stitched, split_documents

    top = _scanned_page(
        "KEDAI BUKU HARMONI",
        "TAX INVOICE",
        "Date: 12/01/2018 10:14",
        "EXERCISE BOOK A4 2 5.98",
        "Total 0% supplies: 22.64",
    )
    bottom = _scanned_page(
        "EXERCISE BOOK A4 2 5.98",
        "Total 0% supplies: 22.64",
        "BALL PEN BLUE 3 4.50",
        "TOTAL RM 27.14",
        "Thank you",
    )
    (group,) = split_documents([top, bottom])
    lines = _stitched([page_lines for page_lines, _ in group])
    # One page, the second part below the first, the lines both show kept once.
    assert {line.page for line in lines} == {1}
    assert [line.text for line in lines].count("EXERCISE BOOK A4 2 5.98") == 1
    assert all(a.y1 <= b.y0 for a, b in zip(lines, lines[1:], strict=False))
    doc = extract_fields(lines, source="ocr")
    # Read as its one photo would be: the till's receipt, titled TAX INVOICE, its shop's
    # name from the first photo and the amount paid from the second.
    assert (doc.document_type, doc.supplier_name, doc.total) == (
        "receipt",
        "KEDAI BUKU HARMONI",
        Decimal("27.14"),
    )


@pytest.mark.slow  # seconds of OCR: not in the fast command
def test_a_receipt_on_a_later_page_of_a_scanned_pile_is_read_as_a_receipt():
    # Each document's pages are numbered from its own first page: the third receipt of the
    # file is a one-page receipt, read by the receipt rules, not a last page of an invoice.
    receipts = [
        receipt_image([name, f"Datum: 0{day}.03.2020", f"SUMME EUR {total}"])
        for name, day, total in (
            ("BACKEREI MUSTER GMBH", 2, "24,23"),
            ("CAFE LINDE GMBH", 5, "7,80"),
            ("KIOSK AM MARKT GMBH", 6, "4,10"),
        )
    ]
    result = extract(jpeg_in_pdf(*(jpeg_bytes(r) for r in receipts)))
    assert [(d.document_type, d.pages) for d in result.documents] == [
        ("receipt", [1]),
        ("receipt", [2]),
        ("receipt", [3]),
    ]


@pytest.mark.slow  # seconds of OCR: not in the fast command
def test_an_invoice_scanned_on_two_pages_stays_one_document():
    # Its first page has a date and items, its last the totals and a due date.
    first = receipt_image(
        [
            "ACME SCHRAUBEN GMBH",
            "RECHNUNG Nr. 4711",
            "Datum: 02.03.2020",
            "Schrauben".ljust(24) + "12,00",
            "Muttern".ljust(24) + "30,50",
        ],
        size=(620, 420),
    )
    last = receipt_image(
        [
            "Kabel".ljust(24) + "20,00",
            "Zwischensumme".ljust(24) + "62,50",
            "MwSt 19%".ljust(24) + "11,88",
            "SUMME EUR".ljust(24) + "74,38",
            "Zahlbar bis 30.03.2020",
        ],
        size=(620, 420),
    )
    result = extract(jpeg_in_pdf(jpeg_bytes(first), jpeg_bytes(last)))
    assert [(d.total, d.issue_date, d.pages) for d in result.documents] == [
        (Decimal("74.38"), date(2020, 3, 2), [1, 2])
    ]


def test_a_scanned_page_gives_back_its_jpeg_and_a_turned_one_is_rendered():
    import pypdfium2 as pdfium

    from shared.extraction.pdftext import scanned_jpeg

    jpeg = jpeg_bytes(receipt_image(["KEDAI ZEPHYR QUILL", "TOTAL 12.40"]))
    for rotation, expected in ((0, jpeg), (90, None)):
        pdf = pdfium.PdfDocument(jpeg_in_pdf(jpeg, rotation=rotation))
        try:
            assert scanned_jpeg(pdf[0]) == expected
        finally:
            pdf.close()


def test_a_scan_whose_jpeg_declares_absurd_pixels_is_refused_before_decoding():
    import struct

    jpeg = bytearray(jpeg_bytes(receipt_image(["TOTAL 12.40"])))
    struct.pack_into(">HH", jpeg, jpeg.find(b"\xff\xc0") + 5, 60_000, 60_000)
    result = extract(jpeg_in_pdf(bytes(jpeg), page_size=(595, 842)))
    assert result.refusal_code == "decompression_bomb" and not result.documents


@pytest.mark.slow  # seconds of OCR: not in the fast command
@pytest.mark.parametrize("turn", [90, 180, 270, 7, -8])
def test_a_receipt_photographed_askew_sideways_or_upside_down_is_read_upright(
    tmp_path, capsys, turn
):
    # No EXIF orientation says so (a scan fed the wrong way, a photo whose tag was dropped),
    # or the phone was held a few degrees askew: the amount is on its label's line.
    rows = [("Brot", "3,20"), ("Kuchen", "21,03"), ("SUMME EUR", "24,23"), ("Bar", "50,00")]
    img = receipt_image(
        ["BACKEREI MUSTER GMBH", "Datum: 02.03.2020"]
        + [label.ljust(36) + amount for label, amount in rows]
        + ["Rückgeld".ljust(36) + "25,77"],
        size=(820, 420),
    ).rotate(turn, expand=True, fillcolor="white")
    path = tmp_path / "receipt.jpg"
    path.write_bytes(jpeg_bytes(img))
    assert extract_main([str(path)]) == 0
    line = json.loads(capsys.readouterr().out.strip())
    assert (line["total"], line["issue_date"]) == ("24.23", "2020-03-02")


def test_words_of_one_text_run_share_their_line_whatever_their_glyphs():
    # Tight glyph boxes make "Émise" (an accented capital) taller than ":" or "le", so its
    # centre moved up to a neighbouring column's line; the font's line box does not.
    import pypdfium2 as pdfium

    from shared.extraction.layout import group_lines
    from shared.extraction.pdftext import text_layer_boxes

    fpdf = pytest.importorskip("fpdf")
    pdf = fpdf.FPDF(format="A4", unit="mm")
    pdf.add_page()
    pdf.add_font("DejaVu", "", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    pdf.set_font("DejaVu", "", 8.5)
    pdf.text(15, 30.2, "69002 Lyon")  # the seller's column
    pdf.set_font("DejaVu", "", 9)
    pdf.text(130, 32.0, "Émise le : 23/10/2024")  # the invoice's column, 1.8 mm lower
    page = pdfium.PdfDocument(bytes(pdf.output()))[0]
    lines = [" ".join(b.text for b in line.boxes) for line in group_lines(text_layer_boxes(page))]
    assert any("Émise le : 23/10/2024" in text for text in lines), lines
