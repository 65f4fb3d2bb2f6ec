"""PDF pages -> text boxes, from the text layer when there is one, else by OCR of a render."""

from __future__ import annotations

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


def render_page(page: pypdfium2.PdfPage) -> Image.Image:
    """A PIL RGB image of the page, long side ~`RENDER_LONG_SIDE` px (never above 3x zoom)."""
    width, height = page.get_size()
    scale = min(3.0, RENDER_LONG_SIDE / max(width, height, 1))
    bitmap = page.render(scale=scale)
    try:
        return bitmap.to_pil().convert("RGB")
    finally:
        bitmap.close()
