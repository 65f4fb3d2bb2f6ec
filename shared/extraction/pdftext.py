"""PDF pages -> text boxes, from the text layer when there is one, else by OCR of a render."""

from __future__ import annotations

from .layout import Box

# Below this many letters and digits a page counts as scanned (no usable text layer).
MIN_TEXT_CHARS = 30
# Pages are rendered for OCR so that their longer side is about this many pixels
# (A4 -> ~170 dpi): enough for 8-pt print, cheap for the detector.
RENDER_LONG_SIDE = 2000


def text_layer_boxes(page) -> list[Box]:
    """Boxes of a pypdfium2 page's text layer, in pixels at 72 dpi, y downwards."""
    textpage = page.get_textpage()
    try:
        _width, height = page.get_size()
        boxes: list[Box] = []
        for index in range(textpage.count_rects()):
            left, bottom, right, top = textpage.get_rect(index)
            text = textpage.get_text_bounded(left, bottom, right, top)
            text = text.replace("\r", " ").replace("\n", " ").replace("\x00", "")
            if not text.strip():
                continue
            boxes.append(Box(text, left, height - top, right, height - bottom, 1.0))
        return boxes
    finally:
        textpage.close()


def has_text_layer(boxes: list[Box]) -> bool:
    count = sum(ch.isalnum() for b in boxes for ch in b.text)
    return count >= MIN_TEXT_CHARS


def render_page(page):
    """A PIL RGB image of the page, long side ~`RENDER_LONG_SIDE` px (never above 3x zoom)."""
    width, height = page.get_size()
    scale = min(3.0, RENDER_LONG_SIDE / max(width, height, 1))
    bitmap = page.render(scale=scale)
    try:
        return bitmap.to_pil().convert("RGB")
    finally:
        bitmap.close()
