"""A heading's second, narrower reading is trusted only when it adds thin letters."""

from __future__ import annotations

import pytest

from shared.extraction.ocr import _adds_only_thin


@pytest.mark.parametrize(
    ("base", "other"),
    [
        ("KDL", "KiDL"),  # the i of a bold sign merged into its neighbours
        ("PLUS", "PLUS!"),
        ("BLL MART", "BILL MART"),
    ],
)
def test_a_reading_that_only_adds_thin_letters_is_taken(base, other):
    assert _adds_only_thin(base, other)


@pytest.mark.parametrize(
    ("base", "other"),
    [
        ("KDL", "KDL"),  # nothing added
        ("KDL", "KODL"),  # a round letter is not a lost stroke
        ("KDL", "KiDI"),  # a letter changed as well
        ("KDL", "KD"),  # shorter
    ],
)
def test_any_other_second_reading_is_not_trusted(base, other):
    assert not _adds_only_thin(base, other)


@pytest.mark.slow
def test_a_band_is_read_in_page_coordinates_without_the_rows_it_cuts():
    from shared.extraction.ocr import read_band

    from .conftest_helpers import receipt_image

    # Rows at y = 20, 68, 116 (28 px type): the band cuts the first and the last row.
    image = receipt_image(["ZEPHYR QUILL", "MERPATI BOOKS", "TOTAL 12.40"])
    boxes = read_band(image, 40.0, 125.0)
    assert [b.text for b in boxes] == ["MERPATI BOOKS"]
    assert 60.0 < boxes[0].y0 < boxes[0].y1 < 105.0
