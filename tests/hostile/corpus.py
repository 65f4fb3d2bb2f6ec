"""The bad-input corpus: generated inputs of every kind that issue 16 attacked, each with what
a correct system does with it.

Kinds: image and PDF files (through the extraction worker, the production path, under its
time and memory budgets), pain.001 XML (the EBICS parser), JSON lines (the matching CLI) and
WhatsApp form posts (the signed webhook, on the local stack). Each input ends as:

- "refused cleanly": a refusal with a reason (a refusal code, a non-zero CLI status with a
  message, a 4xx answer, a pain.001 refused with reasons) when refusal is what is expected;
- "correct": the expected result (a total read, a file accepted, a 200 answer);
- a "crash": an exception, a 5xx, a wrong result, or a refusal where a result is due;
- "over budget": slower than `BUDGET_SECONDS`, or refused by the worker's budget.
"""

from __future__ import annotations

import io
import json
import re
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from . import files

BUDGET_SECONDS = 30

REFUSE = "refuse"  # any clean refusal
ANY = "any"  # either a clean refusal or a result: the input only must not crash


@dataclass(frozen=True)
class Case:
    kind: str  # image | pdf | xml | jsonl | form
    name: str
    build: Callable[[], Any]
    # REFUSE, ANY, a refusal code, or a check of the result returning True when correct.
    expect: Any = REFUSE
    needs_corpus: bool = False
    # Issue and helper that own the fix, while it is not landed (reported, not hidden).
    pending: str | None = None


def _png_crc_broken() -> bytes:
    data = bytearray(files.png(200, 100))
    data[29] ^= 0xFF  # the IHDR CRC
    return bytes(data)


def _image(fmt: str, size=(40, 20), **options) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, "white").save(out, fmt, **options)
    return out.getvalue()


def _ftyp(brand: bytes) -> bytes:
    box = struct.pack(">I", 24) + b"ftyp" + brand + b"\x00\x00\x00\x00" + brand + b"mif1"
    return box + b"\x00" * 200


def _receipt_png() -> bytes:
    from local.samples import receipt_png

    return receipt_png()


def _receipt_jpeg_rotated() -> bytes:
    from PIL import Image

    from local.samples import receipt_png

    image = Image.open(io.BytesIO(receipt_png())).convert("RGB").rotate(90, expand=True)
    out = io.BytesIO()
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90 CW to display": the stored pixels are turned
    image.save(out, "JPEG", quality=92, exif=exif.tobytes())
    return out.getvalue()


def _receipt_scanned_to_pdf() -> bytes:
    from PIL import Image

    from local.samples import receipt_png

    image = Image.open(io.BytesIO(receipt_png())).convert("RGB")
    out = io.BytesIO()
    image.save(out, "JPEG", quality=92)
    return files.jpeg_page_pdf(out.getvalue(), *image.size)


def _total_is(value: str) -> Callable[[Any], bool]:
    def check(extraction) -> bool:
        return extraction.refused is None and any(
            doc.total == Decimal(value) for doc in extraction.documents
        )

    check.__name__ = f"total {value}"
    return check


def _read_from(source: str, total: str) -> Callable[[Any], bool]:
    def check(extraction) -> bool:
        return extraction.refused is None and [
            (d.text_source, d.total) for d in extraction.documents
        ] == [(source, Decimal(total))]

    check.__name__ = f"{source} {total}"
    return check


def _read(extraction) -> bool:
    return extraction.refused is None and bool(extraction.documents)


_INVOICE = ["FACTURE F-2026-0042", "Date : 12/03/2026", "Total TTC 42,50 EUR"]


def _invoice_pdf() -> bytes:
    return files.text_pdf([files.invoice_page(_INVOICE)])


def _many_lines_page() -> bytes:
    lines = b"".join(b"(L%05d x) Tj T* " % n for n in range(700))
    return files.text_pdf([b"BT /F1 1 Tf 5 835 Td 1.1 TL " + lines + b"ET"])


def _blank_pages(count: int) -> bytes:
    page = b"q Q"
    return files.text_pdf([page] * count, shared_content=True)


def _encrypted_pdf() -> bytes:
    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(_invoice_pdf()))
    writer = pypdf.PdfWriter()
    for page in reader.pages:
        writer.add_page(page)
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _zero_pages() -> bytes:
    return files.raw_pdf(
        [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"]
    )


def _media_box(box: bytes) -> bytes:
    return files.raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox " + box + b" >>",
        ]
    )


def _nested_content() -> bytes:
    return files.text_pdf([b"[" * 100_000 + b"]" * 100_000])


def _lzw_bomb() -> bytes:
    # Codes 256 (clear) then 'a' and ever longer runs of it: maximal LZW expansion.
    head = b"<< /Length 0 /Filter /LZWDecode >>\nstream\n"
    out, bits, buffer, nbits, next_code = bytearray(), 9, 0, 0, 258

    def emit(code: int) -> None:
        nonlocal buffer, nbits
        buffer = (buffer << bits) | code
        nbits += bits
        while nbits >= 8:
            nbits -= 8
            out.append((buffer >> nbits) & 0xFF)

    for _ in range(4):  # each block inflates to ~7.4 MB
        emit(256)
        bits, next_code = 9, 258
        emit(ord("a"))
        for code in range(258, 4094):
            emit(code)
            next_code += 1
            if next_code + 1 >= (1 << bits) and bits < 12:
                bits += 1
    emit(257)
    if nbits:
        out.append((buffer << (8 - nbits)) & 0xFF)
    return files.raw_pdf([b"<< /Type /Catalog >>", head + bytes(out) + b"\nendstream"])


def _runlength_bomb() -> bytes:
    body = bytes([129, 0]) * 200_000  # 25.6 MB of zeros from 400 KB
    return files.raw_pdf(
        [
            b"<< /Type /Catalog >>",
            b"<< /Filter /RunLengthDecode >>\nstream\n" + body + b"\nendstream",
        ]
    )


def _pdf_with_xml_attachment(xml: bytes, name: bytes = b"invoice.xml") -> bytes:
    data = zlib.compress(xml)
    page = files.invoice_page(_INVOICE)
    return files.raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles << /Names [(%s) 5 0 R] >> >>"
            b" >>" % name,
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            b"/Resources << /Font << /F1 7 0 R >> >> >>",
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(zlib.compress(page))
            + zlib.compress(page)
            + b"\nendstream",
            b"<< /Type /Filespec /F (%s) /UF (%s) /EF << /F 6 0 R >> >>" % (name, name),
            b"<< /Type /EmbeddedFile /Length %d /Filter /FlateDecode >>\nstream\n" % len(data)
            + data
            + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ]
    )


_UBL = (
    b'<?xml version="1.0"?><Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:'
    b'Invoice-2">%s<LegalMonetaryTotal><TaxInclusiveAmount currencyID="EUR">%s'
    b"</TaxInclusiveAmount></LegalMonetaryTotal></Invoice>"
)


def _ubl(total: bytes, extra: bytes = b"") -> bytes:
    return _UBL % (extra, total)


def _deep_ubl() -> bytes:
    return _ubl(b"42.50", b"<a>" * 5_000 + b"</a>" * 5_000)


_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
        for i in range(1, 10)
    )
    + b"]>"
)


def _xxe() -> bytes:
    return (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        + _ubl(b"42.50", b"<Note>&xxe;</Note>")[len(b'<?xml version="1.0"?>') :]
    )


def image_and_pdf_cases() -> list[Case]:
    mb = 1024 * 1024
    cases = [
        Case("image", "png 80000000x1", lambda: files.png(80_000_000, 1), "decompression_bomb"),
        Case("image", "png 1x80000000", lambda: files.png(1, 80_000_000), "decompression_bomb"),
        Case("image", "png 9000x9000", lambda: files.png(9_000, 9_000), "decompression_bomb"),
        Case(
            "image",
            "png 80 MP RGBA 16-bit",
            lambda: files.png(10_000, 8_000, colour_type=6, bit_depth=16),
            "decompression_bomb",
        ),
        Case("image", "png aspect 40.01", lambda: files.png(4_001, 100), "decompression_bomb"),
        Case("image", "png aspect 40, truncated body", lambda: files.png(4_000, 100), ANY),
        Case("image", "png 0x0", lambda: files.png(0, 0)),
        Case("image", "png header only", lambda: files.png(100, 100)[:33]),
        Case("image", "png broken CRC", _png_crc_broken, ANY),
        Case("image", "png 8000x8000 palette", lambda: files.png(8_000, 8_000), ANY),
        Case(
            "image",
            "jpeg 65535x65535",
            lambda: files.jpeg_header_only(65_535, 65_535),
            "decompression_bomb",
        ),
        Case(
            "image",
            "jpeg 65535x1",
            lambda: files.jpeg_header_only(65_535, 1),
            "decompression_bomb",
        ),
        Case("image", "jpeg truncated", lambda: _image("JPEG", (400, 300))[:300], REFUSE),
        Case("image", "png receipt (OCR)", _receipt_png, _total_is("42.50")),
        Case("image", "jpeg receipt, EXIF rotated", _receipt_jpeg_rotated, _total_is("42.50")),
        Case("image", "gif", lambda: _image("GIF"), "unsupported_type"),
        Case("image", "bmp", lambda: _image("BMP"), "unsupported_type"),
        Case("image", "webp", lambda: _image("WEBP"), "unsupported_type"),
        Case("image", "tiff", lambda: _image("TIFF"), "unsupported_type"),
        Case("image", "avif brand", lambda: _ftyp(b"avif"), "unsupported_type"),
        Case("image", "heic brand, garbage body", lambda: _ftyp(b"heic"), "corrupt_image"),
        Case("image", "empty", lambda: b"", "empty_file"),
        Case("image", "16 MB of zeros", lambda: b"\x89PNG\r\n\x1a\n" + bytes(16 * mb), "too_large"),
        Case("image", "one byte", lambda: b"\xff", "unsupported_type"),
        Case("image", "text", lambda: "Total 12,50 €\n".encode(), "unsupported_type"),
        Case("image", "ico", lambda: _image("ICO", (32, 32)), "unsupported_type"),
        # PDFs
        Case("pdf", "content stream 100 MB", lambda: files.content_bomb_pdf(100 * mb),
             "decompression_bomb"),
        Case("pdf", "content stream 17 MB", lambda: files.content_bomb_pdf(17 * mb),
             "decompression_bomb"),
        Case("pdf", "content stream 15 MB", lambda: files.content_bomb_pdf(15 * mb), ANY),
        Case("pdf", "factur-x.xml 256 MB", lambda: files.attachment_bomb_pdf(256 * mb),
             "decompression_bomb"),
        Case("pdf", "attachment 20 MB", lambda: files.attachment_bomb_pdf(20 * mb),
             "decompression_bomb"),
        Case("pdf", "image stream 200 MB", lambda: files.image_stream_bomb_pdf(200 * mb),
             "decompression_bomb"),
        Case("pdf", "LZW bomb", _lzw_bomb, "decompression_bomb"),
        Case("pdf", "receipt scanned to PDF (its JPEG read)", _receipt_scanned_to_pdf,
             _total_is("42.50")),
        Case("pdf", "scan whose JPEG declares 60000x60000",
             lambda: files.jpeg_page_pdf(files.jpeg_header_only(60_000, 60_000), 60_000, 60_000),
             "decompression_bomb"),
        Case("pdf", "RunLength bomb", _runlength_bomb, "decompression_bomb"),
        Case("pdf", "2 million characters on a page",
             lambda: files.text_pdf([files.dense_text_page(2_000_000)]), "too_much_text"),
        Case("pdf", "41,000 characters on a page",
             lambda: files.text_pdf([files.dense_text_page(45_000, font_size=2.0)]),
             "too_much_text"),
        Case("pdf", "700 lines on a page", _many_lines_page, "too_much_text"),
        Case("pdf", "100 pages of 16 KB", files.hundred_page_text_pdf, _read),
        Case("pdf", "101 pages", lambda: _blank_pages(101), "too_many_pages"),
        Case("pdf", "11 scanned pages", lambda: _blank_pages(11), "too_many_pages"),
        Case("pdf", "password", _encrypted_pdf, "encrypted_pdf"),
        Case("pdf", "truncated", lambda: _invoice_pdf()[:300], REFUSE),
        Case("pdf", "no pages", _zero_pages, "corrupt_pdf"),
        Case("pdf", "header and garbage", lambda: b"%PDF-1.7\n" + bytes(range(256)) * 8, REFUSE),
        Case("pdf", "invoice", _invoice_pdf, _total_is("42.50")),
        Case("pdf", "invoice after 500 bytes of junk", lambda: b"\x00" * 500 + _invoice_pdf(),
             _total_is("42.50")),
        Case("pdf", "zip with the invoice first", lambda: files.zip_with_pdf_first(_invoice_pdf()),
             "unsupported_type"),
        Case("pdf", "invoice with a zip appended",
             lambda: _invoice_pdf() + files.zip_with_pdf_first(b"x"), "unsupported_type"),
        Case("pdf", "media box 14400 pt", lambda: _media_box(b"[0 0 14400 14400]"), ANY),
        Case("pdf", "media box empty", lambda: _media_box(b"[0 0 0 0]"), ANY),
        Case("pdf", "100,000 nested arrays", _nested_content, ANY),
        Case("pdf", "UBL nested 5,000 deep", lambda: _pdf_with_xml_attachment(_deep_ubl()),
             _read_from("pdf_text", "42.50")),
        Case("pdf", "UBL billion laughs",
             lambda: _pdf_with_xml_attachment(_LAUGHS + _ubl(b"&lol9;")[21:]),
             _read_from("pdf_text", "42.50")),
        Case("pdf", "UBL with XXE", lambda: _pdf_with_xml_attachment(_xxe()),
             _read_from("einvoice", "42.50")),
        Case("pdf", "UBL total NaN", lambda: _pdf_with_xml_attachment(_ubl(b"NaN")),
             _read_from("pdf_text", "42.50")),
        Case("pdf", "UBL total of 5,000 digits",
             lambda: _pdf_with_xml_attachment(_ubl(b"9" * 5_000)),
             _read_from("pdf_text", "42.50")),
        Case("pdf", "UBL 11 MB", lambda: _pdf_with_xml_attachment(
            _ubl(b"42.50", b"<Note>" + b"x" * (11 * mb) + b"</Note>")),
            _read_from("pdf_text", "42.50")),
    ]  # fmt: skip
    for total in ("NaN", "1E+30", "1E+999999", "-sNaN", "9" * 5_000):
        cases.append(
            Case(
                "pdf",
                f"Factur-X total {total[:12]}",
                lambda total=total: files.facturx_with(grand_total=total),
                _read_from("pdf_text", "104.90"),
                needs_corpus=True,
            )
        )
    for day in ("00010101", "99991231"):
        cases.append(
            Case(
                "pdf",
                f"Factur-X issue date {day}",
                lambda day=day: files.facturx_with(issue_date=day),
                _read_from("einvoice", "104.90"),
                needs_corpus=True,
            )
        )
    cases.append(
        Case(
            "pdf",
            "Factur-X as issued",
            lambda: files.FACTURX.read_bytes(),
            _read_from("einvoice", "104.90"),
            needs_corpus=True,
        )
    )
    return cases


# --- pain.001 ---------------------------------------------------------------------------------
PAIN001 = files.CORPUS / "bank" / "pain001" / "generated-here" / "pain.001.001.03.xml"


def _pain(**changes: bytes) -> Callable[[], bytes]:
    def build() -> bytes:
        data = PAIN001.read_bytes()
        for tag, value in changes.items():
            data = re.sub(rb"(<%s[^>]*>)[^<]*<" % tag.encode(), rb"\g<1>" + value + b"<", data)
        return data

    return build


def _pain_duplicate_payment_info() -> bytes:
    data = PAIN001.read_bytes()
    block = re.search(rb"<PmtInf>.*?</PmtInf>", data, re.S).group(0)
    doubled = data.replace(block, block + block)
    doubled = re.sub(rb"<NbOfTxs>2</NbOfTxs>", b"<NbOfTxs>4</NbOfTxs>", doubled, count=1)
    return re.sub(rb"<CtrlSum>128.45</CtrlSum>", b"<CtrlSum>256.90</CtrlSum>", doubled, count=1)


def _pain_entity(entity: bytes) -> Callable[[], bytes]:
    def build() -> bytes:
        data = PAIN001.read_bytes()
        body = data.split(b"?>", 1)[1]
        return b'<?xml version="1.0"?>' + entity + body.replace(b"ACME ERP SAS", b"&e;", 1)

    return build


def _accepted(parsed) -> bool:
    return parsed.accepted


def xml_cases() -> list[Case]:
    laughs = (
        b'<!DOCTYPE Document [<!ENTITY a "aaaaaaaaaa">'
        + b"".join(b'<!ENTITY %s "%s">' % (bytes([n]), (b"&%s;" % bytes([p])) * 10)
                   for p, n in zip(b"abcdefgh", b"bcdefghi", strict=True))
        + b'<!ENTITY e "&i;">]>'
    )  # fmt: skip
    kind = "xml"
    return [
        Case(kind, "pain.001 as written", _pain(), _accepted, needs_corpus=True),
        Case(kind, "CtrlSum sNaN", _pain(CtrlSum=b"sNaN"), needs_corpus=True),
        Case(kind, "CtrlSum NaN", _pain(CtrlSum=b"NaN"), needs_corpus=True),
        Case(kind, "CtrlSum 1E+999999", _pain(CtrlSum=b"1E+999999"), needs_corpus=True),
        Case(kind, "NbOfTxs superscript two", _pain(NbOfTxs="²".encode()), needs_corpus=True),
        Case(kind, "NbOfTxs of 5,000 digits", _pain(NbOfTxs=b"9" * 5_000), needs_corpus=True),
        Case(kind, "amount of 30 digits", _pain(InstdAmt=b"1" * 30), needs_corpus=True),
        Case(kind, "amount 1E+999999", _pain(InstdAmt=b"1E+999999"), needs_corpus=True),
        Case(kind, "execution date year 1", _pain(ReqdExctnDt=b"0001-01-01"), needs_corpus=True),
        Case(kind, "execution date 9999", _pain(ReqdExctnDt=b"9999-12-31"), needs_corpus=True),
        Case(kind, "PmtInfId twice", _pain_duplicate_payment_info, needs_corpus=True,
             pending="issue 16 defect 9 (ebics)"),
        Case(kind, "XXE", _pain_entity(b'<!DOCTYPE Document [<!ENTITY e SYSTEM '
                                       b'"file:///etc/passwd">]>'), needs_corpus=True),
        Case(kind, "billion laughs", _pain_entity(laughs), needs_corpus=True),
        Case(kind, "100,000 nested elements",
             lambda: b"<Document>" + b"<a>" * 100_000 + b"</a>" * 100_000 + b"</Document>"),
        Case(kind, "not XML", lambda: b"\x00\x01PK\x03\x04 garbage"),
        Case(kind, "empty", lambda: b""),
        Case(kind, "UTF-16 with BOM", lambda: "\ufeff<Document/>".encode("utf-16")),
        Case(kind, "pain.008", lambda: PAIN001.read_bytes().replace(b"pain.001.001.03",
                                                                     b"pain.008.001.02"),
             needs_corpus=True),
        Case(kind, "3 MB comment", lambda: _pain()()[:-12] + b"<!--" + b"x" * 3_000_000
             + b"-->" + _pain()()[-12:], ANY, needs_corpus=True),
    ]  # fmt: skip


# --- JSON lines (matching CLI) ------------------------------------------------------------
ORG = {"name": "Atelier Dupont SAS", "vat": None, "siren": None, "ibans": []}
TX = {
    "id": "t1",
    "account_id": "a",
    "amount": "-42.50",
    "currency": "EUR",
    "counterparty": "CAFE DU COIN",
    "operation_type": "card",
    "emitted_at": "2026-03-07T10:00:00Z",
}
DOC = {
    "id": "d1",
    "document_type": "receipt",
    "total": "42.50",
    "currency": "EUR",
    "supplier_name": "Café du Coin",
    "issue_date": "2026-03-07",
}


def _docs(**changes: Any) -> Callable[[], tuple[list, str]]:
    return lambda: ([TX], json.dumps({**DOC, **changes}) + "\n")


def _txs(**changes: Any) -> Callable[[], tuple[list, str]]:
    return lambda: ([{**TX, **changes}], json.dumps(DOC) + "\n")


def _raw_docs(text: str) -> Callable[[], tuple[list, str]]:
    return lambda: ([TX], text)


def _one_payment_for_many_invoices(n: int) -> Callable[[], tuple[list, str]]:
    """`n` invoices of one number and amount from as many suppliers, one payment that
    fits them all: the ambiguity and duplicate checks must stay linear."""

    def build() -> tuple[list, str]:
        letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
        lines = []
        for i in range(n):
            name = "".join(letters[(i // 26**k + k) % 26] for k in range(6))
            line = {**DOC, "id": f"d{i}", "document_type": "invoice", "invoice_number": "1001"}
            lines.append(json.dumps({**line, "supplier_name": f"{name} Conseil"}) + "\n")
        return [{**TX, "operation_type": "transfer", "counterparty": "X"}], "".join(lines)

    return build


def jsonl_cases() -> list[Case]:
    kind = "jsonl"
    matched = ("matched", "t1")
    return [
        Case(kind, "document and its payment", _docs(), matched),
        Case(kind, "total 1E+999999", _docs(total="1E+999999")),
        Case(kind, "total NaN", _docs(total="NaN")),
        Case(kind, "total of 5,000 digits", _raw_docs(
            json.dumps(DOC).replace('"42.50"', "9" * 5_000) + "\n")),
        Case(kind, "total 1e400 literal", _raw_docs(
            json.dumps(DOC).replace('"42.50"', "1e400") + "\n")),
        Case(kind, "issue date year 1", _docs(issue_date="0001-01-01"), ANY),
        Case(kind, "issue date 9999", _docs(issue_date="9999-12-31"), ANY),
        Case(kind, "amount 1E+999999", _txs(amount="1E+999999")),
        Case(kind, "emitted_at naive", _txs(emitted_at="2026-03-07T10:00:00"), ANY),
        Case(kind, "emitted_at year 9999", _txs(emitted_at="9999-12-31T23:59:59Z"), ANY),
        Case(kind, "100,000 nested arrays", _raw_docs("[" * 100_000 + "]" * 100_000 + "\n")),
        Case(kind, "2 MB supplier name", _docs(supplier_name="x" * 2_000_000), ANY),
        Case(kind, "not JSON", _raw_docs("{not json\n")),
        Case(kind, "an array line", _raw_docs("[1, 2]\n")),
        Case(kind, "no id", _raw_docs(json.dumps({k: v for k, v in DOC.items() if k != "id"})
                                      + "\n")),
        Case(kind, "currency EURO", _docs(currency="EURO")),
        Case(kind, "one payment for 20,000 invoices", _one_payment_for_many_invoices(20_000), ANY),
    ]  # fmt: skip


def run_matching(tmp: Path, built: tuple[list, str]) -> tuple[int, str, str]:
    """The matching CLI in-process: (status, stdout, stderr)."""
    import contextlib

    from shared.matching.commands import match_main

    txs, docs = built
    (tmp / "org.json").write_text(json.dumps(ORG))
    (tmp / "tx.jsonl").write_text("".join(json.dumps(t) + "\n" for t in txs))
    (tmp / "docs.jsonl").write_text(docs)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = match_main(
            [
                "--organization",
                str(tmp / "org.json"),
                "--transactions",
                str(tmp / "tx.jsonl"),
                "--documents",
                str(tmp / "docs.jsonl"),
            ]
        )
    return status, out.getvalue(), err.getvalue()


# --- WhatsApp form posts ---------------------------------------------------------------------
def form_cases() -> list[Case]:
    kind = "form"
    return [
        Case(kind, "greeting", lambda: {"Body": "bonjour"}, 200),
        Case(kind, "switch and 100,000 spaces", lambda: {"Body": "switch" + " " * 100_000}, 200),
        Case(kind, "switch and 5,000 digits", lambda: {"Body": "switch " + "9" * 5_000}, 200),
        Case(kind, "1 MB body", lambda: {"Body": "é" * 500_000}, ANY),
        Case(kind, "NumMedia 1000 without URLs", lambda: {"NumMedia": "1000"}, ANY),
        Case(kind, "media URL off Twilio", lambda: {
            "NumMedia": "1", "MediaUrl0": "http://169.254.169.254/computeMetadata/v1/",
            "MediaContentType0": "image/jpeg"}, ANY),
        Case(kind, "From malformed", lambda: {"From": "whatsapp:+abc"}, ANY),
        Case(kind, "From missing", lambda: {"From": None}, ANY),
        Case(kind, "NUL and right-to-left override",
             lambda: {"Body": "total\x00\u202e42.50\u200b"}, ANY),
        Case(kind, "unsigned", lambda: {"_unsigned": True}, 403),
        Case(kind, "2,000 extra fields", lambda: {f"X{n}": "y" * 100 for n in range(2_000)}, ANY),
    ]  # fmt: skip
