"""Builders of hostile files, made in the tests (no binary fixtures checked in).

Each builder returns bytes that reproduce one attack from issue 16 or a close variant: image
and PDF decompression bombs, layout bombs, poison values in Factur-X, polyglots. The
"real file" variants start from a corpus file (`../shared/corpus`) and change one thing.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
FACTURX = CORPUS / "invoices" / "facturx" / "akretion__invoice_EN16931.pdf"


# --- Images ---------------------------------------------------------------------------------
def _png_chunk(kind: bytes, payload: bytes) -> bytes:
    body = kind + payload
    return struct.pack(">I", len(payload)) + body + struct.pack(">I", zlib.crc32(body))


def png(width: int, height: int, *, colour_type: int = 0, bit_depth: int = 8) -> bytes:
    """A valid PNG of zeros, compressed (a row at a time, so building it stays cheap)."""
    channels = {0: 1, 2: 3, 4: 2, 6: 4}[colour_type]
    row = b"\x00" * (1 + (width * channels * bit_depth + 7) // 8)
    compressor = zlib.compressobj(9)
    parts = []
    rows = min(height, 64)  # a truncated body: decoders fail late, after allocating
    for _ in range(rows):
        parts.append(compressor.compress(row))
    parts.append(compressor.flush())
    ihdr = struct.pack(">IIBBBBB", width, height, bit_depth, colour_type, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", ihdr)
        + _png_chunk(b"IDAT", b"".join(parts))
        + _png_chunk(b"IEND", b"")
    )


def jpeg_header_only(width: int, height: int) -> bytes:
    """A JPEG whose SOF declares width x height, then ends."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (16, 16), "white").save(out, "JPEG")
    data = bytearray(out.getvalue())
    sof = data.find(b"\xff\xc0")
    struct.pack_into(">HH", data, sof + 5, height, width)
    return bytes(data)


# --- PDFs, written by hand so that every byte is under the test's control --------------------
def raw_pdf(objects: list[bytes], *, root: int = 1) -> bytes:
    """A PDF from object bodies (object i+1 = objects[i]) with a correct xref table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        root,
        xref,
    )
    return bytes(out)


def _stream(content: bytes, extra: bytes = b"", *, compress: bool = True) -> bytes:
    if compress:
        content = zlib.compress(content, 9)
        extra += b" /Filter /FlateDecode"
    return b"<< /Length %d%s >>\nstream\n" % (len(content), extra) + content + b"\nendstream"


def _deflate_repeated(unit: bytes, total: int) -> bytes:
    """zlib data inflating to `unit` repeated up to `total` bytes, built without holding it."""
    compressor = zlib.compressobj(9)
    block = unit * max(1, (1 << 20) // len(unit))
    parts = []
    written = 0
    while written < total:
        parts.append(compressor.compress(block))
        written += len(block)
    parts.append(compressor.flush())
    return b"".join(parts)


def text_pdf(pages: list[bytes], *, shared_content: bool = False) -> bytes:
    """Pages drawing the given content streams with Helvetica; `shared_content` makes every
    page point at the first page's stream (16 KB for 100 pages)."""
    font = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
    count = len(pages)
    objects: list[bytes] = [b"<< /Type /Catalog /Pages 2 0 R >>", b""]
    kids = []
    content_numbers = []
    for index, content in enumerate(pages):
        if shared_content and index:
            content_numbers.append(content_numbers[0])
            continue
        objects.append(_stream(content))
        content_numbers.append(len(objects))
    objects.append(font)
    font_number = len(objects)
    for number in content_numbers:
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
            b"/Resources << /Font << /F1 %d 0 R >> >> >>" % (number, font_number)
        )
        kids.append(len(objects))
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids),
        count,
    )
    return raw_pdf(objects)


def invoice_page(lines: list[str]) -> bytes:
    ops = [b"BT /F1 11 Tf 50 780 Td 14 TL"]
    for text in lines:
        safe = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        ops.append(b"(" + safe.encode("latin-1") + b") Tj T*")
    ops.append(b"ET")
    return b"\n".join(ops)


def dense_text_page(chars: int, *, per_line: int = 200, font_size: float = 1.0) -> bytes:
    """A page holding `chars` characters of tiny text in short words (a layout bomb). Each
    line differs (PDFium drops text repeated at nearly the same place as fake bold)."""
    word = b"ab1 "
    line = word * (per_line // len(word) - 2)
    lines = max(1, chars // (len(line) + 8))
    body = b"".join(b"(%07d %s) Tj T* " % (n, line) for n in range(lines))
    return b"BT /F1 %.1f Tf 5 835 Td %.1f TL " % (font_size, font_size * 1.1) + body + b"ET"


def content_bomb_pdf(inflated: int) -> bytes:
    """One page whose content stream inflates to `inflated` bytes of drawing operators."""
    body = _deflate_repeated(b"1 0 0 1 0 0 cm 0 0 m ", inflated)
    stream = b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(body) + body + b"\nendstream"
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
            stream,
        ]
    )


def attachment_bomb_pdf(inflated: int, *, name: bytes = b"factur-x.xml") -> bytes:
    """A one-page PDF with a Factur-X-named attachment inflating to `inflated` bytes."""
    head = b'<?xml version="1.0"?><rsm:CrossIndustryInvoice xmlns:rsm="x"><a>'
    body = zlib.compressobj(9)
    parts = [body.compress(head)]
    block = b" " * (1 << 20)
    for _ in range(max(1, inflated // len(block))):
        parts.append(body.compress(block))
    parts.append(body.flush())
    data = b"".join(parts)
    embedded = (
        b"<< /Type /EmbeddedFile /Subtype /text#2Fxml /Length %d /Filter /FlateDecode >>\n"
        b"stream\n" % len(data) + data + b"\nendstream"
    )
    page = invoice_page(["FACTURE F-1", "Total TTC 12,00 EUR"])
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles << /Names [(%s) 5 0 R] >> >>"
            b" /AF [5 0 R] >>" % name,
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            b"/Resources << /Font << /F1 7 0 R >> >> >>",
            _stream(page),
            b"<< /Type /Filespec /F (%s) /UF (%s) /AFRelationship /Data /EF << /F 6 0 R >> >>"
            % (name, name),
            embedded,
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ]
    )


def image_stream_bomb_pdf(inflated: int) -> bytes:
    """A page drawing an image XObject whose Flate data inflates past the image cap."""
    side = int((inflated // 3) ** 0.5) + 1
    data = _deflate_repeated(b"\x00", side * side * 3)
    image = (
        b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceRGB "
        b"/BitsPerComponent 8 /Length %d /Filter /FlateDecode >>\nstream\n"
        % (side, side, len(data))
        + data
        + b"\nendstream"
    )
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            b"/Resources << /XObject << /Im1 5 0 R >> >> >>",
            _stream(b"q 595 0 0 842 0 0 cm /Im1 Do Q"),
            image,
        ]
    )


def jpeg_page_pdf(jpeg: bytes, width: int, height: int) -> bytes:
    """A scanner's PDF: one page drawing `jpeg` (declared `width` x `height` px) over it."""
    image = (
        b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceRGB "
        b"/BitsPerComponent 8 /Length %d /Filter /DCTDecode >>\nstream\n"
        % (width, height, len(jpeg))
        + jpeg
        + b"\nendstream"
    )
    page_width, page_height = width * 72 / 200, height * 72 / 200  # scanned at 200 dpi
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %.2f %.2f] /Contents 4 0 R "
            b"/Resources << /XObject << /Im1 5 0 R >> >> >>" % (page_width, page_height),
            _stream(b"q %.2f 0 0 %.2f 0 0 cm /Im1 Do Q" % (page_width, page_height)),
            image,
        ]
    )


def zip_with_pdf_first(pdf: bytes) -> bytes:
    """A ZIP archive storing `pdf` uncompressed first: `%PDF-` sits in its first kilobyte."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr("invoice.pdf", pdf)
        archive.writestr("notes.txt", "see attached")
    return out.getvalue()


# --- Real Factur-X with one value changed ---------------------------------------------------
def facturx_base_and_xml() -> tuple[bytes, bytes]:
    """The corpus Factur-X page (without its attachment) and its CII XML."""
    import pypdf
    from facturx import get_xml_from_pdf

    data = FACTURX.read_bytes()
    _name, xml = get_xml_from_pdf(data, check_xsd=False)
    reader = pypdf.PdfReader(io.BytesIO(data))
    writer = pypdf.PdfWriter()
    for page in reader.pages:
        writer.add_page(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue(), bytes(xml)


def facturx_with(*, grand_total: str | None = None, issue_date: str | None = None) -> bytes:
    """The corpus Factur-X with its grand total and/or issue date replaced in the XML."""
    import facturx

    base, xml = facturx_base_and_xml()
    if grand_total is not None:
        xml = re.sub(
            rb"(<ram:GrandTotalAmount[^>]*>)[^<]*<", rb"\g<1>" + grand_total.encode() + b"<", xml
        )
    if issue_date is not None:
        xml = re.sub(
            rb"(<ram:IssueDateTime>\s*<udt:DateTimeString[^>]*>)[^<]*<",
            rb"\g<1>" + issue_date.encode() + b"<",
            xml,
        )
    return facturx.generate_from_binary(
        base, xml, check_xsd=False, flavor="factur-x", level="en16931"
    )


def hundred_page_text_pdf(chars_per_page: int = 3_900) -> bytes:
    """100 pages sharing one content stream (~16 KB on disk), each with that much text."""
    return text_pdf([dense_text_page(chars_per_page, font_size=4.0)] * 100, shared_content=True)


def _needs_corpus(builder):
    builder.needs_corpus = True
    return builder


# One builder per hostile kind of issue 16 (and the worst case just inside each bound): the
# bench runs each in a fresh process and prints its peak memory and time.
HOSTILE_KINDS = {
    "png_80000000x1": lambda: png(80_000_000, 1),
    "png_80mp_16bit_rgba": lambda: png(10_000, 8_000, colour_type=6, bit_depth=16),
    "png_80mp_grey": lambda: png(10_000, 8_000),
    "jpeg_header_65535x65535": lambda: jpeg_header_only(65_535, 65_535),
    "pdf_content_stream_300mb": lambda: content_bomb_pdf(300 * 1024 * 1024),
    "pdf_content_stream_15mb": lambda: content_bomb_pdf(15 * 1024 * 1024),
    "pdf_attachment_1gb": lambda: attachment_bomb_pdf(1024 * 1024 * 1024),
    "pdf_image_stream_200mb": lambda: image_stream_bomb_pdf(200 * 1024 * 1024),
    "pdf_one_page_2m_chars": lambda: text_pdf([dense_text_page(2_000_000)]),
    "pdf_one_page_39k_chars": lambda: text_pdf([dense_text_page(39_000, font_size=2.0)]),
    "pdf_100_pages_shared_text": hundred_page_text_pdf,
    "facturx_total_nan": _needs_corpus(lambda: facturx_with(grand_total="NaN")),
    "facturx_total_1e30": _needs_corpus(lambda: facturx_with(grand_total="1E+30")),
    "facturx_total_1e999999": _needs_corpus(lambda: facturx_with(grand_total="1E+999999")),
    "facturx_issue_year_1": _needs_corpus(lambda: facturx_with(issue_date="00010101")),
    "facturx_issue_year_9999": _needs_corpus(lambda: facturx_with(issue_date="99991231")),
    "zip_with_pdf_first": lambda: zip_with_pdf_first(text_pdf([invoice_page(["Total 12,00"])])),
}
