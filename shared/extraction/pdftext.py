"""PDF pages -> text boxes, from the text layer when there is one, else by OCR of a render."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from PIL import Image

from shared import limits

from .errors import RefusedFile
from .layout import Box

if TYPE_CHECKING:
    import pypdfium2

# Below this many letters and digits a page counts as scanned (no usable text layer).
MIN_TEXT_CHARS = 30
# Pages are rendered for OCR so that their longer side is about this many pixels
# (A4 -> ~170 dpi): enough for 8-pt print, cheap for the detector.
RENDER_LONG_SIDE = 2000


def text_layer_boxes(page: pypdfium2.PdfPage, *, page_number: int = 1) -> list[Box]:
    """Word boxes of a pypdfium2 page's text layer, in points, y downwards.

    Refuses a page with more than `limits.MAX_PAGE_CHARS` characters before reading any of
    them (a 5 KB page can hold two million), so the work below stays bounded.

    Built from characters: PDFium marks word gaps and line ends with generated spaces and
    CR/LF, which is more reliable than the PDF's own text runs (some producers place every
    glyph separately, others put a whole table row in one run).
    """
    textpage = page.get_textpage()
    try:
        _width, height = page.get_size()
        count = textpage.count_chars()
        if count > limits.MAX_PAGE_CHARS:
            raise RefusedFile(
                "too_much_text",
                f"Page {page_number} of the PDF holds {count:,} characters; a receipt or invoice "
                f"page holds at most {limits.MAX_PAGE_CHARS:,}.",
            )
        text = textpage.get_text_range(0, count) if count else ""
        aligned = len(text) == count
        boxes: list[Box] = []
        word: list[str] = []
        x0 = y0 = x1 = y1 = 0.0
        for index in range(count):
            char = text[index] if aligned else textpage.get_text_range(index, 1)
            if char.isspace() or char == "\x00":
                if word:
                    boxes.append(Box("".join(word), x0, height - y1, x1, height - y0, 1.0))
                    word = []
                continue
            left, bottom, right, top = textpage.get_charbox(index, loose=True)
            if word and (left < x1 - 2 * (y1 - y0) or abs(bottom - y0) > (y1 - y0)):
                # A jump back or to another baseline without a generated space: new word.
                boxes.append(Box("".join(word), x0, height - y1, x1, height - y0, 1.0))
                word = []
            if not word:
                x0, y0, x1, y1 = left, bottom, right, top
            else:
                x0, y0, x1, y1 = min(x0, left), min(y0, bottom), max(x1, right), max(y1, top)
            word.append(char)
        if word:
            boxes.append(Box("".join(word), x0, height - y1, x1, height - y0, 1.0))
        return boxes
    finally:
        textpage.close()


def has_text_layer(boxes: list[Box]) -> bool:
    """Whether the boxes hold enough letters and digits to skip OCR."""
    count = sum(ch.isalnum() for b in boxes for ch in b.text)
    return count >= MIN_TEXT_CHARS


# A page is a scan when one image covers at least this share of it...
SCAN_COVERAGE = 0.9
# ...among at most this many objects (a scanner's page holds its image, maybe a clip path;
# a vector drawing of a million paths is rendered, not walked here).
SCAN_MAX_OBJECTS = 16


def scanned_jpeg(page: pypdfium2.PdfPage) -> bytes | None:
    """The JPEG a scanned page is, as the scanner wrote it, or None.

    A scanner or phone app that saves to PDF wraps its JPEG in a page; read from those bytes
    the page is what its photo would be, where a render resamples it and reads worse (60
    SROIE receipts wrapped so: date 95.0%, company 95.0% rendered; 98.3%, 96.7% from their
    bytes, as from the photos). Only a page upright, drawn as one greyscale or RGB JPEG
    unturned and covering it; anything else (CMYK, a form, text over it) is rendered. The
    bytes are a copy of the stream: nothing is inflated, and they are decoded under the
    image limits like any photo."""
    import pypdfium2.raw as pdfium_c

    if page.get_rotation() != 0:
        return None
    images = []
    for count, obj in enumerate(page.get_objects(max_depth=1)):
        if count >= SCAN_MAX_OBJECTS:
            return None
        if obj.type == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            images.append(obj)
        elif obj.type != pdfium_c.FPDF_PAGEOBJ_PATH:
            return None  # text or forms drawn over the scan
    if len(images) != 1:
        return None
    image = images[0]
    a, b, c, d, _, _ = image.get_matrix().get()
    width, height = page.get_size()
    # Unknown (0) when PDFium cannot parse the JPEG's header: its bytes are then refused
    # with the reason, by the image checks, where a render would draw a blank page.
    colours = (
        pdfium_c.FPDF_COLORSPACE_UNKNOWN,
        pdfium_c.FPDF_COLORSPACE_DEVICEGRAY,
        pdfium_c.FPDF_COLORSPACE_DEVICERGB,
    )
    if (
        b
        or c
        or a <= 0
        or d <= 0
        or a * d < SCAN_COVERAGE * width * height
        or image.get_filters() != ["DCTDecode"]
        or image.get_metadata().colorspace not in colours
    ):
        return None
    out = io.BytesIO()
    image.extract(out, fb_format=None)
    data = out.getvalue()
    return data if data.startswith(b"\xff\xd8") else None


def render_page(page: pypdfium2.PdfPage) -> Image.Image:
    """A PIL RGB image of the page, long side ~`RENDER_LONG_SIDE` px (never above 3x zoom)."""
    width, height = page.get_size()
    scale = min(3.0, RENDER_LONG_SIDE / max(width, height, 1))
    bitmap = page.render(scale=scale)
    try:
        return bitmap.to_pil().convert("RGB")
    finally:
        bitmap.close()
