"""Every bound on untrusted input, in one place.

Each limit below is documented in README ("Limits"), and each one that a file or message can
exceed ends in a refusal with a stable code and a sentence for the sender, never in an
exception that would make Pub/Sub retry the same poison message forever. Code that reads
hostile input imports its bounds from here instead of inventing its own.

This module is pure (standard library only), so every layer may import it.

    >>> sane_amount("42.50")
    Decimal('42.50')
    >>> sane_amount("1E+30") is None, sane_amount("NaN") is None, sane_amount("1E+999999") is None
    (True, True, True)
    >>> sane_date(date(1, 1, 1)) is None, sane_date(date(2026, 3, 1))
    (True, datetime.date(2026, 3, 1))
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

# --- Files -------------------------------------------------------------------------------
# Any document file (WhatsApp media, Dropzone file, upload). MAX_DOCUMENT_BYTES env overrides
# it per deployment (shared/config.py).
MAX_DOCUMENT_BYTES = 15 * 1024 * 1024

# --- Images ------------------------------------------------------------------------------
# Pixels of one image (width x height), checked from the header before decoding. Phone
# cameras reach ~50 MP in their default mode.
MAX_PIXELS = 80_000_000
# Longer side / shorter side. A photographed till roll is ~1:10; 80,000,000 x 1 is a bomb.
MAX_ASPECT_RATIO = 40
# Bytes of the decoded pixels (width x height x bytes per pixel of the header's mode, at
# least 3): an RGB image at the pixel limit is 240 MB and peaks at ~0.9 GB through decoding,
# orientation and OCR's copies; an RGBA one at the limit (320 MB) peaked at 1.1 GB.
MAX_DECODED_IMAGE_BYTES = 256 * 1024 * 1024

# --- PDFs --------------------------------------------------------------------------------
MAX_PDF_PAGES = 100
# Scanned pages (no text layer) OCRed per file: ~1.2-2 s each on one core.
MAX_OCR_PAGES = 10
# Bytes one stream may inflate to, checked by streaming the decompression (stopping at the
# cap) before any PDF library parses the file. Images may be large (a lossless A4 scan at
# 300 dpi is 26 MB); page content, fonts, forms and attachments may not.
MAX_STREAM_INFLATED_BYTES = 16 * 1024 * 1024
MAX_IMAGE_STREAM_INFLATED_BYTES = 128 * 1024 * 1024
# Everything in one file, inflated.
MAX_PDF_INFLATED_BYTES = 384 * 1024 * 1024
# Text-layer characters of one page (a dense A4 page at 7 pt holds ~12,000) and of the file.
MAX_PAGE_CHARS = 40_000
MAX_DOCUMENT_CHARS = 400_000
# Reading lines of one page (A4 at 5 pt is ~160 lines) and of the whole file.
MAX_PAGE_LINES = 600
MAX_DOCUMENT_LINES = 20_000

# --- XML (embedded e-invoices; pain.001 has its own size limit in the EBICS use case) -------
MAX_XML_BYTES = 10 * 1024 * 1024
# Element nesting. UBL and CII invoices nest ~12 deep; pain.001 ~10.
MAX_XML_DEPTH = 64

# --- Values ------------------------------------------------------------------------------
# An amount is at most 100 billion in absolute value, with at most 4 decimals, finite.
MAX_AMOUNT = Decimal("1E+11")
MAX_AMOUNT_DECIMALS = 4
# A number written with more characters than this is not an amount (before Decimal() sees it).
MAX_NUMBER_CHARS = 40
# Dates a document, a transaction or a statement may carry.
MIN_DATE = date(1970, 1, 1)
MAX_DATE = date(2099, 12, 31)
# Free-text fields kept from a document (names, invoice numbers), in characters.
MAX_FIELD_CHARS = 256

# --- Processing budget (the worker process, shared/worker.py) -------------------------------
# Wall time and address space of one document's extraction in its worker process.
EXTRACTION_SECONDS = 60
EXTRACTION_MEMORY_BYTES = 1536 * 1024 * 1024


def sane_amount(value: object) -> Decimal | None:
    """`value` as a Decimal if it is a finite amount within bounds, else None.

    Checks the text length before parsing and the exponent before any arithmetic, so that
    `1E+999999` or a 5,000-digit string costs nothing and never raises.
    """
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, (str, int)) and not isinstance(value, bool):
        text = str(value).strip()
        if not text or len(text) > MAX_NUMBER_CHARS:
            return None
        try:
            number = Decimal(text)
        except (InvalidOperation, ValueError):
            return None
    else:
        return None
    if not number.is_finite():
        return None
    _sign, digits, exponent = number.as_tuple()
    if not any(digits):
        return Decimal(0)
    if len(digits) > MAX_NUMBER_CHARS or not isinstance(exponent, int):
        return None
    if number and number.adjusted() >= MAX_AMOUNT.adjusted():
        return None
    if exponent < -MAX_AMOUNT_DECIMALS:
        # Trailing zeros are fine ("12.500000"); real sub-cent digits are not.
        stripped = digits
        extra = -MAX_AMOUNT_DECIMALS - exponent
        if extra > len(stripped) or any(stripped[len(stripped) - extra :]):
            return None
        number = number.quantize(Decimal(1).scaleb(-MAX_AMOUNT_DECIMALS))
    return number


def sane_date(value: date | None) -> date | None:
    """`value` if it lies within [MIN_DATE, MAX_DATE], else None."""
    if value is None or not (MIN_DATE <= value <= MAX_DATE):
        return None
    return value


def clip_text(value: str | None, limit: int = MAX_FIELD_CHARS) -> str | None:
    """A free-text field cut to `limit` characters (None stays None)."""
    if value is None:
        return None
    return value[:limit]
