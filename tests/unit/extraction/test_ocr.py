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
    from shared.extraction.ocr import PagePixels, read_band

    from .conftest_helpers import receipt_image

    # Rows at y = 20, 68, 116 (28 px type): the band cuts the first and the last row.
    image = receipt_image(["ZEPHYR QUILL", "MERPATI BOOKS", "TOTAL 12.40"])
    boxes = read_band(PagePixels(image), 40.0, 125.0)
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


def _placed(text: str, pitch: float, gaps: dict[int, float] | None = None) -> list[float]:
    """Centres for `text` one `pitch` apart, a read space taking none, plus `gaps` (extra x
    before the character at that index)."""
    x, centres = 10.0, []
    for i, ch in enumerate(text):
        x += (gaps or {}).get(i, 0.0)
        centres.append(x)
        if ch != " ":
            x += pitch
    return centres


def test_a_letter_read_alone_inside_a_letter_spaced_word_joins_it():
    from shared.extraction.ocr import _respaced

    # Letters 48 px apart (one text height): a letter read alone at a letter's distance from
    # its neighbour belongs to its word.
    assert _respaced("Q UILLON", _placed("Q UILLON", 48.0)) == "QUILLON"
    assert _respaced("Q U I L L O N", _placed("Q U I L L O N", 48.0)) == "QUILLON"
    assert _respaced("Q U I L L O N", _placed("Q U I L L O N", 48.0, {6: 9.0})) == "QUILLON"


def test_initials_words_and_lost_letters_keep_the_spacing_read():
    from shared.extraction.ocr import _respaced

    # "Z K" initials a quarter pitch further apart than letters; "QUILL HARDWARE" spaced
    # at a letter's distance, but neither side is a letter alone.
    text = "Z K QUILL HARDWARE"
    assert _respaced(text, _placed(text, 40.0, {2: 10.0, 4: 30.0})) == text
    # Initials read as close as letters, then a word further off: kept apart too.
    assert _respaced(text, _placed(text, 40.0, {2: 8.0, 4: 30.0})) == text
    assert _respaced("QUILL HARDWARE", _placed("QUILL HARDWARE", 40.0)) == "QUILL HARDWARE"
    # No space is added: a gap of two pitches may be a word gap or a letter the recogniser
    # lost ("QU LLON" read "QULLON").
    assert _respaced("QULLON", _placed("QULLON", 48.0, {2: 48.0})) == "QULLON"


def test_body_text_and_bold_headings_keep_their_spacing_as_read():
    from shared.extraction.ocr import _respaced

    # 16 px (a third of a height) is body text, 32 px a bold heading or double-width print.
    assert _respaced("PENCIL HB", _placed("PENCIL HB", 16.0)) == "PENCIL HB"
    assert _respaced("Z EPHYR", _placed("Z EPHYR", 32.0)) == "Z EPHYR"
    # Too few letters to tell a pitch; or no positions known.
    assert _respaced("A B", _placed("A B", 48.0)) == "A B"
    assert _respaced("Q UILLON", []) == "Q UILLON"


def test_spaces_next_to_digits_and_punctuation_stay_as_read():
    from shared.extraction.ocr import _respaced

    text = "Q UILLON (M) 12"
    assert _respaced(text, _placed(text, 48.0)) == "QUILLON (M) 12"


@pytest.mark.slow
def test_the_recogniser_scores_the_characters_of_latin_script_documents_only():
    from shared.extraction import ocr

    from .conftest_helpers import receipt_image

    recogniser = ocr._get_engine()._load_rec_model()
    alphabet = recogniser.postprocess_op.character
    assert alphabet[0] == "blank"  # the CTC blank keeps its index
    assert {"A", "z", "0", "€", "£", "é", "ß", "ñ", "%", "("} <= set(alphabet)
    assert not [c for c in alphabet if ocr._is_cjk(c)]
    assert len(alphabet) < 3000  # of the model's 18,710 classes

    image = receipt_image(["ZEPHYR QUILL", "TOTAL 12.40"])
    assert [b.text for b in ocr.ocr_image(image)] == ["ZEPHYR QUILL", "TOTAL 12.40"]
    strip = ocr._bgr_array(image)[10:58, :, :]
    evidence = ocr._evidence(recogniser, strip)
    assert evidence.shape[1] == len(alphabet)
    assert abs(float(evidence.sum(axis=1).mean()) - 1.0) < 1e-4  # a distribution per step
