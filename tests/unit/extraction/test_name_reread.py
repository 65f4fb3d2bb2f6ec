"""The shop's name read a second time from its rows (`pipeline._reread_name`), and which of
two readings of a name is kept (`fields.better_name_reading`). Invented shop names."""

from __future__ import annotations

from PIL import Image

from shared.extraction import pipeline
from shared.extraction.fields.names import better_name_reading
from shared.extraction.layout import Box
from shared.extraction.ocr import IDENTITY, Frame, OcrPage

from .conftest_helpers import jpeg_bytes


def test_a_second_reading_with_a_lost_word_restored_is_better():
    assert better_name_reading("ZEPHYR QUILL (M) SDN BHD", "ZEPHYR QUILL CO. (M) SDN BHD")


def test_a_second_reading_with_a_word_respelled_into_the_dictionary_is_better():
    assert better_name_reading("ZEPHYR STATIONFRY SDN BHD", "ZEPHYR STATIONERY SDN BHD")


def test_a_second_reading_that_loses_a_letter_or_a_word_is_not_better():
    assert not better_name_reading("ZEPHYR QUILL SDN BHD", "ZEPHYR QUIL SDN BHD")
    assert not better_name_reading("ZEPHYR QUILL CO. SDN BHD", "ZEPHYR QUILL SDN BHD")
    assert not better_name_reading("ZEPHYR QUILL", "ZEPHYR QUILL")


def test_another_line_taken_for_the_name_is_not_a_better_reading():
    # An address line whose words are in the dictionaries is not a reading of the name.
    assert not better_name_reading("77 ZEPHYR MART S/B", "KLANG SELANGOR")


def _box(text: str, y: float, score: float = 0.99) -> Box:
    return Box(text, 40.0, y, 40.0 + 14.0 * len(text), y + 28.0, score)


PAGE = [
    _box("(M) SDN BHD", 60.0, 0.96),  # "ZEPHYR QUILL CO." lost at the page's scale
    _box("No. 12, Jalan Merpati 3", 100.0),
    _box("Tel: 03-5550 1234", 140.0),
    _box("TAX INVOICE", 180.0),
    _box("Pencil HB", 240.0),
    _box("TOTAL 12.40", 280.0),
]


def _extract(
    monkeypatch, page: list[Box], band: list[Box], *, frame: Frame = IDENTITY
) -> tuple[str | None, list]:
    asked: list[tuple[float, float, Frame]] = []

    def read_band(pixels, top, bottom):
        asked.append((top, bottom, pixels.frame))
        return band

    monkeypatch.setattr(pipeline, "ocr_page", lambda image: OcrPage(page, frame))
    monkeypatch.setattr(pipeline, "read_band", read_band)
    data = jpeg_bytes(Image.new("RGB", (600, 400), "white"))
    return pipeline.extract(data).documents[0].supplier_name, asked


def test_a_name_read_with_low_confidence_is_read_again_from_its_rows(monkeypatch):
    band = [_box("ZEPHYR QUILL CO. (M) SDN BHD", 60.0, 0.97)]
    name, asked = _extract(monkeypatch, PAGE, band)
    assert name == "ZEPHYR QUILL CO. (M) SDN BHD"
    top, bottom, _ = asked[0]
    assert top < 60.0 and 88.0 < bottom < 100.0  # the name's rows, not the address


def test_a_name_read_with_confidence_is_not_read_again(monkeypatch):
    page = [_box("ZEPHYR QUILL SDN BHD", 60.0, 0.99), *PAGE[1:]]
    name, asked = _extract(monkeypatch, page, [])
    assert name == "ZEPHYR QUILL SDN BHD" and asked == []


def test_a_worse_second_reading_is_not_kept(monkeypatch):
    page = [_box("ZEPHYR QUILL SDN BHD", 60.0, 0.9), *PAGE[1:]]
    name, asked = _extract(monkeypatch, page, [_box("ZEPHYR QUIL SDN BHD", 60.0)])
    assert name == "ZEPHYR QUILL SDN BHD" and asked


def test_a_page_turned_or_levelled_to_be_read_is_read_again_in_that_frame(monkeypatch):
    # Its boxes are where the name is on the page turned upright: the band is cut there.
    levelled: Frame = (0.999, 0.04, 0.0, -0.04, 0.999, 12.0)
    band = [_box("ZEPHYR QUILL CO. (M) SDN BHD", 60.0, 0.97)]
    name, asked = _extract(monkeypatch, PAGE, band, frame=levelled)
    assert name == "ZEPHYR QUILL CO. (M) SDN BHD"
    assert [frame for _, _, frame in asked] == [levelled]


def test_an_invoices_seller_is_not_read_again_as_a_shops_sign(monkeypatch):
    # A scanned invoice: its seller comes from the block under the seller's caption; the
    # logo's words over it ("LOGO GOLDEN HARVEST") are no sign to read the name from again.
    page = [
        _box("LOGO GOLDEN HARVEST", 20.0, 0.9),
        _box("FACTURE N° F-2026-12", 60.0),
        _box("Vendeur :", 100.0),
        _box("GOLDEN HARVEST", 140.0, 0.9),
        _box("12 rue des Lilas, 69003 Lyon", 180.0),
        _box("Date de facture : 12/03/2026", 220.0),
        _box("Facturé à : Studio Nord", 260.0),
        _box("Total TTC 120,00", 300.0),
    ]
    name, asked = _extract(monkeypatch, page, [_box("LOGO GOLDEN HARVEST", 20.0)])
    assert name == "GOLDEN HARVEST" and asked == []
