"""Text-layer pages built in the tests: boxes with coordinates, grouped into lines as a PDF
text layer's are, then read by the field rules."""

from __future__ import annotations

from shared.extraction.fields import extract_fields
from shared.extraction.layout import Box, group_lines

Row = str | list[tuple[float, str]]


def row_boxes(rows: list[Row], *, first_row: int = 0) -> list[Box]:
    """One row per line, 16 pt apart; a row is a string at x=40 or [(x, text), ...]."""
    boxes = []
    for r, row in enumerate(rows, start=first_row):
        for x, text in [(40.0, row)] if isinstance(row, str) else row:
            if text:
                boxes.append(Box(text, x, 40.0 + 16 * r, x + 5.0 * len(text), 50.0 + 16 * r))
    return boxes


def page(*rows: Row, source: str = "pdf_text", **kwargs):
    """The fields read from `rows` (see `row_boxes`)."""
    return extract_fields(group_lines(row_boxes(list(rows))), source=source, **kwargs)


def sized_page(*rows: tuple[float, Row], **kwargs):
    """One row per line, (height, text) at x=40 or (height, [(x, text), ...]); lines follow
    each other with a quarter of their height between them."""
    boxes, y = [], 40.0
    for height, cells in rows:
        for x, text in [(40.0, cells)] if isinstance(cells, str) else cells:
            boxes.append(Box(text, x, y, x + height / 2 * len(text), y + height))
        y += height * 1.25
    return extract_fields(group_lines(boxes), source="pdf_text", **kwargs)
