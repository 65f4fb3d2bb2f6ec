"""Regression tests for issue 16, defects 1, 2 and 8: each hostile file ends in a clean refusal
or a correct result, never in an exception or an unbounded decode."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from shared import limits
from shared.extraction import pdfscan
from shared.extraction.errors import RefusedFile
from shared.extraction.intake import check, sniff
from shared.extraction.pipeline import extract

from . import files

needs_corpus = pytest.mark.skipif(not files.FACTURX.exists(), reason="corpus not present")


@pytest.fixture(scope="module")
def facturx_truth() -> Extraction:  # noqa: F821 - the annotation is informative
    return extract(files.FACTURX.read_bytes())


# --- Defect 1: poison values in a Factur-X ----------------------------------------------------
@needs_corpus
@pytest.mark.parametrize("total", ["1E+30", "1E+999999", "NaN", "-sNaN", "1" * 60, "Infinity"])
def test_a_factur_x_with_an_absurd_total_is_read_from_its_page_text(total, facturx_truth):
    truth = facturx_truth.documents[0]
    assert truth.text_source == "einvoice"

    result = extract(files.facturx_with(grand_total=total))

    assert result.refused is None
    [doc] = result.documents
    # The XML is not trusted any more; the page says what the XML said before the change.
    assert doc.text_source == "pdf_text"
    assert doc.total == truth.total == Decimal("104.90")


@needs_corpus
@pytest.mark.parametrize("issue_date", ["00010101", "99991231", "19000101"])
def test_a_factur_x_issue_date_out_of_range_is_dropped_not_fatal(issue_date, facturx_truth):
    result = extract(files.facturx_with(issue_date=issue_date))

    [doc] = result.documents
    assert doc.text_source == "einvoice"
    assert doc.total == facturx_truth.documents[0].total
    assert doc.issue_date is None
    assert "issue_date" not in doc.confidence


def test_sane_amount_bounds_digits_exponent_and_decimals():
    assert limits.sane_amount("104.90") == Decimal("104.90")
    assert limits.sane_amount("-99999999999") == Decimal("-99999999999")
    assert limits.sane_amount("100000000000") is None  # 1E+11
    assert limits.sane_amount("12.500000") == Decimal("12.5000")
    assert limits.sane_amount("12.00001") is None
    assert limits.sane_amount("1E-999999") is None
    assert limits.sane_amount("0E+999999") == Decimal(0)
    assert limits.sane_amount("9" * 41) is None
    assert limits.sane_amount(Decimal("sNaN")) is None
    assert limits.sane_amount(1.5) is None  # floats are never money
    assert limits.sane_date(date(1970, 1, 1)) == date(1970, 1, 1)
    assert limits.sane_date(date(2100, 1, 1)) is None


# --- Defect 2: decompression and layout bombs -------------------------------------------------
def test_an_80000000_by_1_png_is_refused_from_its_header():
    data = files.png(80_000_000, 1)
    intake = check(data)
    assert intake.refusal_code == "decompression_bomb"
    assert "80000000x1" in (intake.refused or "")


def test_an_image_whose_decoded_pixels_exceed_the_cap_is_refused():
    # 80 MP is within the pixel limit, but RGBA at that size is 320 MB decoded.
    result = extract(files.png(10_000, 8_000, colour_type=6, bit_depth=16))
    assert result.refusal_code == "decompression_bomb"
    assert "MB" in (result.refused or "")


def test_a_content_stream_inflating_to_300_mb_is_refused_before_pdfium_parses_it():
    data = files.content_bomb_pdf(300 * 1024 * 1024)
    assert len(data) < 1_000_000
    result = extract(data)
    assert result.refusal_code == "decompression_bomb"
    assert "16 MB" in (result.refused or "")


def test_a_content_stream_below_the_cap_is_read():
    data = files.content_bomb_pdf(2 * 1024 * 1024)
    assert pdfscan.scan(data).largest >= 2 * 1024 * 1024
    result = extract(data)
    assert result.refused is None or result.refusal_code != "decompression_bomb"


def test_a_64_mb_factur_x_attachment_is_refused_without_inflating_it():
    result = extract(files.attachment_bomb_pdf(64 * 1024 * 1024))
    assert result.refusal_code == "decompression_bomb"


def test_an_image_stream_past_its_cap_is_refused():
    result = extract(files.image_stream_bomb_pdf(200 * 1024 * 1024))
    assert result.refusal_code == "decompression_bomb"
    assert "an image" in (result.refused or "")


def test_the_scan_counts_lzw_and_run_length_streams_too():
    # LZW as TIFF writes it (MSB first, early change) is PDF's LZWDecode.
    def lzw_encode(data: bytes) -> bytes:
        import io

        from PIL import Image

        out = io.BytesIO()
        Image.frombytes("L", (len(data), 1), data).save(out, "TIFF", compression="tiff_lzw")
        with Image.open(out) as tiff:
            offset, size = tiff.tag_v2[273][0], tiff.tag_v2[279][0]
        return out.getvalue()[offset : offset + size]

    plain = bytes(range(256)) * 10 + b"a" * 5000
    lzw = lzw_encode(plain)
    head = b"1 0 obj\n<< /Filter /LZWDecode /Length %d >>\nstream\n" % len(lzw)
    assert pdfscan.scan(b"%PDF-1.4\n" + head + lzw + b"\nendstream").total == len(plain)
    runs = bytes([129, ord("z")]) * 1000  # 1000 runs of 128 'z'
    head = b"1 0 obj\n<< /Filter /RunLengthDecode >>\nstream\n"
    assert pdfscan.scan(b"%PDF-1.4\n" + head + runs + b"\nendstream").total == 128_000
    bomb = bytes([129, 0]) * (pdfscan.limits.MAX_STREAM_INFLATED_BYTES // 128 + 1)
    with pytest.raises(RefusedFile):
        pdfscan.scan(b"%PDF-1.4\n" + head + bomb + b"\nendstream")


def test_a_page_with_two_million_characters_is_refused_before_layout():
    data = files.text_pdf([files.dense_text_page(2_000_000)])
    assert len(data) < 64_000
    result = extract(data)
    assert result.refusal_code == "too_much_text"
    assert "40,000" in (result.refused or "")


def test_a_100_page_text_pdf_of_16_kb_is_read_within_the_budget():
    data = files.hundred_page_text_pdf()
    assert len(data) < 20_000
    result = extract(data)
    assert result.refused is None
    assert sum(len(doc.pages) for doc in result.documents) == 100


def test_more_characters_than_the_file_cap_are_refused():
    page = files.dense_text_page(limits.MAX_PAGE_CHARS - 1_000, font_size=2.0)
    pages = limits.MAX_DOCUMENT_CHARS // (limits.MAX_PAGE_CHARS // 2) + 1  # words, no spaces
    result = extract(files.text_pdf([page] * pages, shared_content=True))
    assert result.refusal_code == "too_much_text"


def test_more_scanned_pages_than_the_ocr_cap_are_refused_before_ocr():
    from tests.unit.extraction.conftest_helpers import blank_pdf

    result = extract(blank_pdf(limits.MAX_OCR_PAGES + 1))
    assert result.refusal_code == "too_many_pages"
    assert f"at most {limits.MAX_OCR_PAGES} scanned pages" in (result.refused or "")


# --- Defect 8: intake type checks -------------------------------------------------------------
def test_a_zip_with_a_pdf_in_its_first_kilobyte_is_not_a_pdf():
    pdf = files.text_pdf([files.invoice_page(["FACTURE 1", "Total 12,00 EUR"])])
    data = files.zip_with_pdf_first(pdf)
    assert b"%PDF-" in data[:1024]
    assert sniff(data) is None
    result = extract(data)
    assert result.refusal_code == "unsupported_type"
    assert "ZIP" in (result.refused or "")


def test_a_pdf_with_a_zip_appended_is_refused_as_a_polyglot():
    pdf = files.text_pdf([files.invoice_page(["Total 12,00 EUR"])])
    assert sniff(pdf + files.zip_with_pdf_first(b"x")) is None


def test_a_pdf_holding_the_zip_end_marker_by_chance_is_still_a_pdf():
    # Four bytes of a compressed font or image may spell a ZIP's end record; with no
    # central directory where the record says, the file is the PDF it claims to be.
    pdf = files.text_pdf([files.invoice_page(["Total 12,00 EUR"])])
    data = pdf.replace(
        b"\n", b"\n%PK\x05\x06\x00\x00\x00\x00\x01\x00\x01\x00" + bytes(10) + b"\n", 1
    )
    assert sniff(data) == "application/pdf"
    result = extract(data)
    assert result.refused is None
    assert result.documents[0].total == Decimal("12.00")


def test_junk_before_the_pdf_header_is_still_accepted():
    # Readers accept up to 1 KB of junk (a MacBinary header, a mail gateway's banner).
    pdf = files.text_pdf([files.invoice_page(["Total 12,00 EUR"])])
    assert sniff(b"\x00" * 128 + pdf) == "application/pdf"
    assert sniff(b"X-Gateway: scanned\r\n" + pdf) == "application/pdf"
