"""A receipt photographed a degree or two askew: its amounts regroup with their labels."""

from __future__ import annotations

import math

from shared.extraction.layout import Box, deskew, group_lines

ROWS = [
    ("From: 455 Main Street", None),
    ("To: City centre", None),
    ("32.0 km Tarif 1", None),
    ("FARE", "72.63"),
    ("SUB-TOTAL", "72.63"),
    ("TAX 9.5%", "6.90"),
    ("TOTAL TO PAY", "79.53"),
    ("MASTERCARD", "79.53"),
    ("Passenger:", None),
]


def _turned(degrees: float) -> list[Box]:
    """The rows printed 27 px apart (label at the left edge, amount at the right), the page
    turned by `degrees` (negative: the right side rides higher), as axis-aligned OCR boxes."""
    angle = math.radians(degrees)
    cos, sin = math.cos(angle), math.sin(angle)

    def box(text: str, x0: float, y0: float, x1: float, y1: float) -> Box:
        corners = [(x, y) for x in (x0, x1) for y in (y0, y1)]
        xs = [x * cos - y * sin for x, y in corners]
        ys = [x * sin + y * cos for x, y in corners]
        return Box(text, min(xs), min(ys), max(xs), max(ys), 0.95)

    boxes = []
    for row, (label, amount) in enumerate(ROWS):
        y = 300.0 + 27 * row
        boxes.append(box(label, 60, y, 60 + 12 * len(label), y + 26))
        if amount:
            boxes.append(box(amount, 560 - 14 * len(amount), y, 560, y + 26))
    return boxes


def _row_of(lines, label: str) -> str:
    return next(line.text for line in lines if line.text.startswith(label))


def test_a_turned_page_regroups_each_amount_with_its_label():
    for degrees in (-1.8, 1.8):
        lines = group_lines(deskew(_turned(degrees)))
        assert _row_of(lines, "TAX") == "TAX 9.5% 6.90", degrees
        assert _row_of(lines, "TOTAL TO PAY") == "TOTAL TO PAY 79.53", degrees
        assert _row_of(lines, "32.0 km") == "32.0 km Tarif 1", degrees


def test_an_upright_page_is_left_as_it_is():
    boxes = _turned(0.0)
    assert deskew(boxes) == boxes
