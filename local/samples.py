"""Sample receipts for the local run and the tests: real PDF and PNG files, made here.

The PDF writer is deliberately tiny (one page, Helvetica, WinAnsi text): it
produces a genuine text layer, which is what most e-mailed receipts have.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class SampleReceipt:
    merchant: str
    address: str
    issued_on: date
    lines: tuple[tuple[str, Decimal], ...]
    vat_rate: Decimal = Decimal("20")
    receipt_number: str = "T-000184"

    @property
    def total(self) -> Decimal:
        return sum((amount for _, amount in self.lines), Decimal("0.00"))

    @property
    def vat(self) -> Decimal:
        return (self.total * self.vat_rate / (100 + self.vat_rate)).quantize(Decimal("0.01"))

    def text_lines(self) -> list[str]:
        def euros(value: Decimal) -> str:
            return f"{value:.2f}".replace(".", ",") + " EUR"

        rows = [
            self.merchant,
            self.address,
            f"Ticket {self.receipt_number}",
            f"Date: {self.issued_on.strftime('%d/%m/%Y')} 12:41",
            "",
        ]
        rows += [f"{label:<28}{euros(amount):>14}" for label, amount in self.lines]
        rows += [
            "",
            f"{'TOTAL TTC':<28}{euros(self.total):>14}",
            f"{'dont TVA ' + str(self.vat_rate) + '%':<28}{euros(self.vat):>14}",
            f"{'CB':<28}{euros(self.total):>14}",
            "",
            "Merci de votre visite !",
        ]
        return rows


DEMO_RECEIPT = SampleReceipt(
    merchant="Café du Coin",
    address="12 rue des Lilas, 75011 Paris",
    issued_on=date(2026, 11, 20),
    lines=(
        ("Menu du jour x2", Decimal("31.00")),
        ("Café allongé x2", Decimal("5.40")),
        ("Eau minérale", Decimal("6.10")),
    ),
)


def _pdf_text(value: str) -> bytes:
    raw = value.encode("cp1252", errors="replace")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def text_pdf(pages: list[list[str]], *, padding: int = 0) -> bytes:
    """A PDF with one A4 page per list of text lines (Helvetica, WinAnsi), with a real text layer.

    `padding` adds an unreferenced binary stream of that many bytes: a large but valid PDF.
    """
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"",  # the page tree, filled once the page object numbers are known
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    kids = []
    for lines in pages:
        stream = (
            b"BT /F1 10 Tf 13 TL 40 800 Td\n"
            + b"".join(b"(" + _pdf_text(line) + b") Tj T*\n" for line in lines)
            + b"ET\n"
        )
        objects.append(
            b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"endstream"
        )
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            f"/Resources << /Font << /F1 3 0 R >> >> /Contents {len(objects)} 0 R >>".encode()
        )
        kids.append(len(objects))
    objects[1] = (
        "<< /Type /Pages /Kids [" + " ".join(f"{k} 0 R" for k in kids) + f"] /Count {len(kids)} >>"
    ).encode()
    if padding:
        blob = bytes(range(256)) * (padding // 256 + 1)
        objects.append(
            b"<< /Length " + str(len(blob)).encode() + b" >>\nstream\n" + blob + b"\nendstream"
        )
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return out.getvalue()


def receipt_pdf(receipt: SampleReceipt = DEMO_RECEIPT) -> bytes:
    """A one-page PDF whose text layer holds the receipt."""
    return text_pdf([receipt.text_lines()])


def receipt_png(receipt: SampleReceipt = DEMO_RECEIPT, scale: int = 2) -> bytes:
    """The same receipt as a photo-like PNG (black text on white), for the OCR path."""
    from PIL import Image, ImageDraw, ImageFont

    try:  # DejaVu has the accents; Pillow's bundled default font does not.
        font = ImageFont.truetype("DejaVuSansMono.ttf", 12 * scale)
    except OSError:
        font = ImageFont.load_default(size=13 * scale)
    rows = receipt.text_lines()
    width, line_height = 420 * scale, 20 * scale
    image = Image.new("RGB", (width, line_height * (len(rows) + 4)), "white")
    draw = ImageDraw.Draw(image)
    for index, row in enumerate(rows):
        draw.text((24 * scale, (index + 2) * line_height), row, fill="black", font=font)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
