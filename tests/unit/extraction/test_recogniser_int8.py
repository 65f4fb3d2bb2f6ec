"""The 8-bit text recogniser: drawn the same way every time, built once, reads as the float one."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from shared.extraction import ocr, recogniser_int8
from shared.extraction.layout import Box


def test_the_calibration_strips_are_drawn_the_same_every_time() -> None:
    first, again = recogniser_int8.calibration_strips(12), recogniser_int8.calibration_strips(12)
    assert all(np.array_equal(a, b) for a, b in zip(first, again, strict=True))
    assert all(s.shape[:3] == (1, 3, 48) and s.shape[3] >= 160 for s in first)
    assert all(s.min() >= -1 and s.max() <= 1 for s in first)
    other = recogniser_int8.calibration_strips(12, seed=1)
    assert not all(
        a.shape == b.shape and np.array_equal(a, b) for a, b in zip(first, other, strict=True)
    )


def test_a_recogniser_built_before_is_read_back_not_built_again(tmp_path, monkeypatch) -> None:
    float_model = b"the float recogniser's bytes"
    kept = tmp_path / recogniser_int8.kept_name(float_model, b"built before")
    kept.write_bytes(b"built before")

    def no_build(model_bytes: bytes) -> bytes:
        raise AssertionError("built again")

    monkeypatch.setattr(recogniser_int8, "quantize", no_build)
    assert recogniser_int8.load_or_build(float_model, tmp_path) == b"built before"
    # Another float model (a new OCR release) or another recipe is another file.
    assert not kept.name.startswith(recogniser_int8.built_prefix(b"another model"))


@pytest.mark.parametrize("damage", [b"built bef", b"built_before"])  # cut short, a bit flipped
def test_a_damaged_8_bit_model_file_is_built_again(tmp_path, monkeypatch, caplog, damage) -> None:
    float_model = b"the float recogniser's bytes"
    kept = tmp_path / recogniser_int8.kept_name(float_model, b"built before")
    kept.write_bytes(damage)
    monkeypatch.setattr(recogniser_int8, "quantize", lambda model_bytes: b"built before")

    assert recogniser_int8.load_or_build(float_model, tmp_path) == b"built before"
    assert kept.read_bytes() == b"built before"
    assert [p.name for p in tmp_path.iterdir()] == [kept.name]
    assert "is damaged (its digest differs): built again" in caplog.text


def _recognisers(model_dir):
    """A new engine's float recogniser (cut to Latin script) and its 8-bit copy."""
    from rapidocr import RapidOCR

    engine = RapidOCR(params={"Global.log_level": "error", "Global.use_cls": False})
    recogniser = engine._load_rec_model()
    latin = ocr._latin_only(recogniser)
    return recogniser, ocr._quantized(recogniser, latin, model_dir)


def _drawn(text: str, size: int) -> np.ndarray:
    font = ImageFont.load_default(size=size)
    left, top, right, bottom = (int(edge) for edge in font.getbbox(text))
    image = Image.new("RGB", (right + 8, bottom + 8), "white")
    ImageDraw.Draw(image).text((4, 4), text, font=font, fill="black")
    width = round(image.width * 48 / image.height)
    return np.asarray(image.resize((width, 48)))[:, :, ::-1]


@pytest.mark.slow  # builds the model (~10 s)
def test_the_8_bit_recogniser_is_built_once_and_reads_lines_as_the_float_one(tmp_path) -> None:
    exact, quick = _recognisers(tmp_path)
    (built,) = tmp_path.glob("rec-int8-*.onnx")
    assert not list(tmp_path.glob("*.part"))
    alphabet = exact.postprocess_op.character
    assert quick.postprocess_op.character == alphabet
    lines = ["TOTAL 1,234.50 EUR", "Date: 05/11/2026 14:32", "Boulangerie Martin SARL"]
    lines += ["MwSt 19% 3,80", "Qty 2 x 12.90", "IBAN FR76 3000 6000 0112 3456 7890 189"]
    for text in lines:
        for size in (22, 36):
            strip = _drawn(text, size)
            spans = [(0, strip.shape[1])]
            (read_exact,) = ocr._recognise(exact, strip, spans, alphabet)
            (read_quick,) = ocr._recognise(quick, strip, spans, alphabet)
            assert read_quick.text == read_exact.text == text
    stamp = built.stat().st_mtime_ns
    _recognisers(tmp_path)
    assert built.stat().st_mtime_ns == stamp


def test_an_8_bit_model_that_cannot_be_loaded_leaves_ocr_in_float(monkeypatch, caplog) -> None:
    from rapidocr import RapidOCR

    recogniser = RapidOCR(params={"Global.log_level": "error"})._load_rec_model()
    latin = ocr._latin_only(recogniser)
    monkeypatch.setattr(recogniser_int8, "load_or_build", lambda *args: b"half a model")
    assert ocr._quantized(recogniser, latin, Path("unused")) is None
    assert "8-bit recogniser not loaded: float only" in caplog.text


class _Engine:
    def __init__(self, recogniser) -> None:
        self.recogniser = recogniser

    def _load_rec_model(self):
        return self.recogniser


def _lines(count: int, width: float, height: float) -> list[Box]:
    return [
        Box(str(i), 40, 60 + 2 * height * i, 40 + width, 60 + 2 * height * i + height)
        for i in range(count)
    ]


def test_a_documents_page_is_wider_in_text_heights_than_a_till_roll() -> None:
    # An A4 page at 150 dpi: 1,000 px of 28 px text; a receipt: 560 px of 36 px text, and a
    # stray speck far right of it that does not widen it.
    a4 = ocr._text_width(_lines(40, 1000, 28))
    receipt = ocr._text_width(_lines(40, 560, 36) + [Box("x", 1900, 10, 1904, 14)])
    assert receipt < ocr.INT8_MIN_TEXT_WIDTH <= a4
    assert ocr._text_width([]) == 0.0


@pytest.mark.parametrize(
    "mode, text_width, quick",
    [
        ("wide", 34.8, True),  # an invoice's page (the median of 271 scanned ones)
        ("wide", 15.2, False),  # a receipt's (the median of 1,291)
        ("all", 15.2, True),
        ("off", 34.8, False),
    ],
)
def test_the_8_bit_recogniser_reads_pages_whose_text_is_wider_than_a_till_rolls(
    mode, text_width, quick, monkeypatch
) -> None:
    exact, quantized = object(), object()
    monkeypatch.setattr(ocr, "INT8", mode)
    monkeypatch.setattr(ocr, "_quick", None if mode == "off" else quantized)
    chosen = ocr._recogniser_for(_Engine(exact), text_width)
    assert chosen is (quantized if quick else exact)
