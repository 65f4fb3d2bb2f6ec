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


def test_levelling_gives_the_map_that_turned_the_quads():
    import numpy as np

    from shared.extraction.ocr import _levelled

    # Six long text boxes slanting by 3 degrees, as on a receipt photographed askew.
    slant = np.radians(3.0)
    along, across = (
        np.array([np.cos(slant), np.sin(slant)]),
        np.array([-np.sin(slant), np.cos(slant)]),
    )
    quads = []
    for row in range(6):
        corner = np.array([40.0, 60.0 + 50.0 * row])
        quads.append(
            np.array(
                [
                    corner,
                    corner + 300 * along,
                    corner + 300 * along + 30 * across,
                    corner + 30 * across,
                ],
                dtype=np.float32,
            )
        )
    layout, level = _levelled(quads)
    for quad, placed in zip(quads, layout, strict=True):
        mapped = np.c_[quad, np.ones(4)] @ level[:2].T
        assert np.allclose(mapped, placed, atol=0.01)
        assert abs(placed[1][1] - placed[0][1]) < 0.01  # its top edge now runs level


def test_a_level_page_keeps_the_identity_map():
    import numpy as np

    from shared.extraction.ocr import _levelled

    quads = [
        np.array([[40, y], [340, y], [340, y + 30], [40, y + 30]], dtype=np.float32)
        for y in range(60, 360, 50)
    ]
    layout, level = _levelled(quads)
    assert layout is quads and np.array_equal(level, np.eye(3))


def test_a_band_is_cut_from_the_page_as_its_frame_turned_it():
    import cv2
    import numpy as np

    from shared.extraction.ocr import _frame, _half_turn, _in_frame, _quarter_turn

    # The maps `_read_upright` keeps for a quarter turn, and a quarter then a half turn, give
    # back the pixels the recogniser read.
    array = np.random.default_rng(7).integers(0, 255, (40, 60, 3), dtype=np.uint8)
    quarter = _quarter_turn(40)
    turned = cv2.rotate(array, cv2.ROTATE_90_CLOCKWISE)
    assert np.array_equal(_in_frame(array, _frame(quarter)), turned)
    half = _half_turn(40, 60)
    upside_down = cv2.rotate(turned, cv2.ROTATE_180)
    assert np.array_equal(_in_frame(array, _frame(half @ quarter)), upside_down)
