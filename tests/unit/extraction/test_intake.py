"""Intake refuses what it cannot read safely, with a typed reason, before any OCR."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from PIL import Image

from shared.extraction.commands import extract_main
from shared.extraction.intake import MAX_BYTES, check, decode_image, sniff
from shared.extraction.pipeline import extract

from .conftest_helpers import blank_pdf, jpeg_bytes, png_bomb, receipt_image


def _gif() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 20), "red").save(out, "GIF")
    return out.getvalue()


def _zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("receipt.txt", "TOTAL 12.50")
    return out.getvalue()


def _encrypted_pdf() -> bytes:
    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(blank_pdf()))
    writer = pypdf.PdfWriter()
    for page in reader.pages:
        writer.add_page(page)
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("data_factory", "code"),
    [
        (_gif, "unsupported_type"),
        (lambda: "Total: 12,50 €\nMerci de votre visite\n".encode(), "unsupported_type"),
        (_zip, "unsupported_type"),
        (lambda: blank_pdf()[: len(blank_pdf()) // 3], "corrupt_pdf"),
        (_encrypted_pdf, "encrypted_pdf"),
        (png_bomb, "decompression_bomb"),
        (lambda: b"", "empty_file"),
        (lambda: jpeg_bytes(receipt_image(["x"]))[:200], "corrupt_image"),
    ],
    ids=["gif", "txt", "zip", "truncated_pdf", "password_pdf", "png_bomb", "empty", "bad_jpeg"],
)
def test_refused_file_is_a_result_with_a_reason(data_factory, code):
    data = data_factory()
    intake = check(data)
    assert not intake.accepted
    assert intake.refusal_code == code
    assert intake.refused and len(intake.refused) > 10
    result = extract(data)
    assert result.refusal_code == code
    assert result.refused == intake.refused
    assert result.documents == []


def test_file_over_the_limit_is_refused_as_too_large():
    # A real PDF padded past 15 MB: its type is fine, its size is not.
    data = blank_pdf() + b"%" + b"0" * (MAX_BYTES + 1)
    assert sniff(data) == "application/pdf"
    result = extract(data)
    assert result.refusal_code == "too_large"
    assert "15 MB" in (result.refused or "")


def test_type_is_sniffed_from_bytes_not_from_the_name():
    assert sniff(jpeg_bytes(receipt_image(["x"]))) == "image/jpeg"
    assert sniff(blank_pdf()) == "application/pdf"
    assert sniff(_gif()) is None
    # A GIF named like a JPEG is still refused.
    assert extract(_gif(), source_name="photo.jpg").refusal_code == "unsupported_type"


def test_heic_is_accepted_and_decoded_with_pi_heif():
    pillow_heif = pytest.importorskip("pillow_heif")  # test-only: it bundles an encoder
    img = receipt_image(["TOTAL 12.50"], size=(320, 120))
    heif = pillow_heif.from_pillow(img)
    out = io.BytesIO()
    heif.save(out, quality=90)
    data = out.getvalue()
    assert sniff(data) == "image/heic"
    intake = check(data)
    assert intake.accepted and intake.media_type == "image/heic" and intake.pages == 1
    decoded = decode_image(data, "image/heic")
    assert decoded.size == (320, 120)
    assert decoded.mode == "RGB"


def test_exif_orientation_is_honoured():
    upright = receipt_image(["TOTAL"], size=(300, 100))
    # Stored rotated; orientation 6 tells viewers to rotate 90° clockwise to display it.
    stored = upright.transpose(Image.Transpose.ROTATE_90)
    decoded = decode_image(jpeg_bytes(stored, orientation=6), "image/jpeg")
    assert decoded.size == (300, 100)
    # The text band (dark pixels) is on the left like in the upright original.
    left = decoded.crop((0, 0, 150, 100)).convert("L")
    right = decoded.crop((150, 0, 300, 100)).convert("L")
    assert sum(left.histogram()[:128]) > sum(right.histogram()[:128])


def test_blank_pdf_is_accepted_and_counts_pages():
    intake = check(blank_pdf(pages=3))
    assert intake.accepted
    assert intake.media_type == "application/pdf"
    assert intake.pages == 3


def test_cli_prints_refusal_and_exits_zero(tmp_path, capsys):
    path = tmp_path / "notes.txt"
    path.write_text("not a receipt")
    assert extract_main([str(path)]) == 0
    line = json.loads(capsys.readouterr().out.strip())
    assert line["source_file"] == str(path)
    assert line["refusal_code"] == "unsupported_type"
    assert "not supported" in line["refused"]


def test_cli_reports_unreadable_path_without_crashing(tmp_path, capsys):
    assert extract_main([str(tmp_path / "missing.pdf")]) == 1
    assert "cannot read" in capsys.readouterr().err


def test_truncated_jpeg_body_is_refused_not_raised():
    data = jpeg_bytes(receipt_image(["TOTAL 9.00"]))
    truncated = data[: len(data) // 2]
    assert check(truncated).accepted  # the header is intact: intake alone cannot tell
    result = extract(truncated)
    assert result.refusal_code == "corrupt_image"
    assert result.documents == []
