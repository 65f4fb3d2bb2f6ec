"""Builders of real files of each kind, made in the tests (no binary fixtures checked in)."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import Image, ImageDraw, ImageFont


def receipt_image(lines: list[str], *, size: tuple[int, int] = (520, 420)) -> Image.Image:
    """A clean synthetic receipt: black text on white, one string per row."""
    img = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(img)
    font = ImageFont.load_default(size=28)
    y = 20
    for text in lines:
        draw.text((24, y), text, fill="black", font=font)
        y += 48
    return img


def jpeg_bytes(img: Image.Image, *, orientation: int | None = None) -> bytes:
    out = io.BytesIO()
    exif = Image.Exif()
    if orientation is not None:
        exif[0x0112] = orientation
    img.save(out, "JPEG", quality=92, exif=exif.tobytes())
    return out.getvalue()


def png_bomb(width: int = 100_000, height: int = 100_000) -> bytes:
    """A valid PNG header declaring width x height pixels, with a tiny compressed body."""

    def chunk(kind: bytes, payload: bytes) -> bytes:
        body = kind + payload
        return struct.pack(">I", len(payload)) + body + struct.pack(">I", zlib.crc32(body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    # One row of zeros repeated compresses to almost nothing; the decoder would need 10 GB.
    row = b"\x00" * (width + 1)
    compressor = zlib.compressobj(9)
    idat = compressor.compress(row * 64) + compressor.flush()
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def blank_pdf(pages: int = 1) -> bytes:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument.new()
    for _ in range(pages):
        doc.new_page(595, 842)
    out = io.BytesIO()
    doc.save(out)
    doc.close()
    return out.getvalue()


def jpeg_in_pdf(
    *jpegs: bytes,
    dpi: float = 200.0,
    rotation: int = 0,
    page_size: tuple[float, float] | None = None,
) -> bytes:
    """A PDF whose pages are the `jpegs`, each drawn over its whole page, as a scanner saves
    them (each page `page_size` points, or its image's size at `dpi`)."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument.new()
    for jpeg in jpegs:
        size = page_size
        if size is None:
            with Image.open(io.BytesIO(jpeg)) as img:
                size = (img.size[0] * 72 / dpi, img.size[1] * 72 / dpi)
        width, height = size
        page = doc.new_page(width, height)
        image = pdfium.PdfImage.new(doc)
        image.load_jpeg(io.BytesIO(jpeg), inline=False)
        image.set_matrix(pdfium.PdfMatrix().scale(width, height))
        page.insert_obj(image)
        page.gen_content()
        if rotation:
            page.set_rotation(rotation)
    out = io.BytesIO()
    doc.save(out)
    doc.close()
    return out.getvalue()
