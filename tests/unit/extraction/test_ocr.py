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
