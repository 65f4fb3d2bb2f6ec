"""Intake: decide what a file is from its bytes, and refuse what we cannot read safely.

The file type comes from magic numbers, never from the name or the declared content type
("don't trust the content type"). `check()` is cheap (no OCR, no full decode) so that the
Drive dropzone can sort a file into Unsupported before paying for extraction; the decoders
below (`open_pdf`, `decode_image`) apply the same limits again when the pipeline decodes.

Accepted: JPEG, PNG, HEIC, HEIF, PDF, up to `MAX_BYTES`. Refused (with a user-facing reason and
a stable code): every other type, oversized files, corrupt or password-protected PDFs, images
whose pixel count is absurd or whose decode would blow up memory.

    >>> sniff(b"%PDF-1.7\\n...")
    'application/pdf'
    >>> sniff(b"GIF89a....") is None
    True
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PIL import Image, ImageOps, UnidentifiedImageError

from shared import limits

from . import pdfscan
from .errors import RefusedFile

if TYPE_CHECKING:
    import pypdfium2

# The bounds live in `shared.limits`; these names are kept for the callers that import them.
MAX_BYTES = limits.MAX_DOCUMENT_BYTES
MAX_PIXELS = limits.MAX_PIXELS
MAX_PDF_PAGES = limits.MAX_PDF_PAGES

ACCEPTED_TYPES = ("image/jpeg", "image/png", "image/heic", "image/heif", "application/pdf")

# ISO BMFF brands (the `ftyp` box) of HEIC/HEIF stills; AVIF ('avif', 'avis') is not accepted.
_HEIC_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs"}
_HEIF_BRANDS = {b"mif1", b"msf1", b"mif2"}

# PDFium document-loading error codes (fpdfview.h: FPDF_ERR_*).
_PDFIUM_ERR_PASSWORD = 4
_PDFIUM_ERR_SECURITY = 5

# Leading bytes of containers that may carry a PDF inside their first kilobyte (a ZIP that
# stores a PDF uncompressed, an OLE or a gzip file). Junk before `%PDF-` is tolerated, as
# readers do, but not when the junk is another format's header.
_OTHER_CONTAINERS = (
    b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08", b"\xd0\xcf\x11\xe0", b"\x1f\x8b",
    b"Rar!", b"7z\xbc\xaf", b"MZ", b"\x7fELF", b"GIF8", b"\x89PNG", b"\xff\xd8\xff", b"BZh",
    b"\xfd7zXZ", b"II*\x00", b"MM\x00*", b"RIFF", b"ustar",
)  # fmt: skip
# A ZIP's end-of-central-directory record sits in its last 64 KiB + 22 bytes: a file that ends
# like a ZIP is a ZIP (or a PDF/ZIP polyglot), whatever its first bytes say.
_ZIP_EOCD = b"PK\x05\x06"
_ZIP_TAIL = 65_557
_ZIP_CENTRAL_ENTRY = b"PK\x01\x02"


def _ends_like_a_zip(data: bytes) -> bool:
    """An end-of-central-directory record in the last `_ZIP_TAIL` bytes whose comment fits
    in the file and whose central directory is where it says (right before it, as any ZIP
    reader finds it). Its four bytes alone are no evidence: a PDF's compressed font or
    image holds them by chance."""
    start = len(data) - _ZIP_TAIL
    at = data.rfind(_ZIP_EOCD, max(0, start))
    while at >= 0:
        record = data[at : at + 22]
        if len(record) == 22:
            entries, directory_size = (
                int.from_bytes(record[10:12], "little"),
                int.from_bytes(record[12:16], "little"),
            )
            comment = int.from_bytes(record[20:22], "little")
            directory = at - directory_size
            if (
                at + 22 + comment <= len(data)
                and 0 <= directory
                and (
                    (entries == 0 and directory_size == 0)
                    or data[directory : directory + 4] == _ZIP_CENTRAL_ENTRY
                )
            ):
                return True
        at = data.rfind(_ZIP_EOCD, max(0, start), at)
    return False


@dataclass(frozen=True)
class IntakeResult:
    """Outcome of `check()`: the sniffed type and page count, or a refusal."""

    media_type: str | None
    pages: int = 0
    refused: str | None = None
    refusal_code: str | None = None

    @property
    def accepted(self) -> bool:
        return self.refused is None


def sniff(data: bytes) -> str | None:
    """The media type of `data` judged from its leading bytes, or None if not accepted.

    Returns one of `ACCEPTED_TYPES`; anything else (GIF, text, ZIP, AVIF...) gives None.
    """
    if data[:3] == b"\xff\xd8\xff":
        return "image/jpeg"
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return "image/png"
    # The PDF header may be preceded by junk; readers accept it within the first 1024 bytes.
    header = data.find(b"%PDF-", 0, 1024)
    if header >= 0:
        if header and data[:header].lstrip(b"\x00\t\n\r ").startswith(_OTHER_CONTAINERS):
            return None
        if _ends_like_a_zip(data):
            return None
        return "application/pdf"
    if len(data) >= 16 and data[4:8] == b"ftyp":
        box_size = int.from_bytes(data[0:4], "big")
        major = data[8:12]
        end = min(max(box_size, 16), len(data), 256)
        compatible = {data[i : i + 4] for i in range(16, end - 3, 4)}
        brands = {major} | compatible
        if major in (b"avif", b"avis"):
            return None
        if brands & _HEIC_BRANDS:
            return "image/heic"
        if brands & _HEIF_BRANDS:
            return "image/heif"
    return None


def check(data: bytes, max_bytes: int = MAX_BYTES) -> IntakeResult:
    """Validate a file cheaply: type from bytes, size, PDF opens and is not encrypted, image
    dimensions are sane. Never raises on bad input; a refusal is a result."""
    try:
        media_type, pages = _check(data, max_bytes)
    except RefusedFile as refusal:
        return IntakeResult(
            media_type=sniff(data) if data else None,
            refused=refusal.reason,
            refusal_code=refusal.code,
        )
    return IntakeResult(media_type=media_type, pages=pages)


def _check(data: bytes, max_bytes: int) -> tuple[str, int]:
    if not data:
        raise RefusedFile("empty_file", "The file is empty.")
    if len(data) > max_bytes:
        raise RefusedFile(
            "too_large",
            f"The file is {len(data) / 1_048_576:.1f} MB; the limit is "
            f"{max_bytes / 1_048_576:.0f} MB.",
        )
    media_type = sniff(data)
    if media_type is None:
        raise RefusedFile(
            "unsupported_type",
            f"This kind of file ({_describe(data)}) is not supported; "
            "send a photo (JPEG, PNG, HEIC) or a PDF.",
        )
    if media_type == "application/pdf":
        doc = open_pdf(data)
        try:
            return media_type, len(doc)
        finally:
            doc.close()
    _check_pixels(*_image_header(data, media_type))
    return media_type, 1


def _describe(data: bytes) -> str:
    """A short human name for common refused types, for the refusal message."""
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "GIF image"
    if data[:4] in (b"PK\x03\x04", b"PK\x05\x06") or (
        b"%PDF-" in data[:1024] and _ends_like_a_zip(data)
    ):
        return "ZIP archive or Office document"
    if data[:4] in (b"RIFF",) and data[8:12] == b"WEBP":
        return "WebP image"
    if data[:2] == b"BM":
        return "BMP image"
    if data[:4] in (b"II*\x00", b"MM\x00*"):
        return "TIFF image"
    if len(data) >= 12 and data[4:8] == b"ftyp":
        return f"{data[8:12].decode('latin-1').strip()} media"
    sample = data[:4096]
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError:
        return "unknown binary"
    return "text"


def _check_pixels(width: int, height: int, bands: int = 3) -> None:
    """Pixel count, aspect ratio and decoded size, all from the header (`bands` = bytes per
    pixel of the decoded image, at least the 3 of the RGB copy OCR works on)."""
    if width <= 0 or height <= 0:
        raise RefusedFile("corrupt_image", "The image has no pixels.")
    if width * height > limits.MAX_PIXELS:
        raise RefusedFile(
            "decompression_bomb",
            f"The image is {width}x{height} pixels, more than the "
            f"{limits.MAX_PIXELS // 1_000_000} megapixels we accept.",
        )
    if max(width, height) > limits.MAX_ASPECT_RATIO * min(width, height):
        raise RefusedFile(
            "decompression_bomb",
            f"The image is {width}x{height} pixels: no receipt or invoice is more than "
            f"{limits.MAX_ASPECT_RATIO} times longer than it is wide.",
        )
    if width * height * max(bands, 3) > limits.MAX_DECODED_IMAGE_BYTES:
        raise RefusedFile(
            "decompression_bomb",
            f"The image would take more than {limits.MAX_DECODED_IMAGE_BYTES // 1_048_576} MB "
            "once decoded; send a smaller photo.",
        )


def open_pdf(data: bytes, *, scan_streams: bool = True) -> pypdfium2.PdfDocument:
    """Open a PDF with PDFium, or raise `RefusedFile` (corrupt, encrypted, too many pages, a
    stream that inflates past its cap). `scan_streams=False` only when `check()` scanned it."""
    import pypdfium2 as pdfium

    if scan_streams:
        pdfscan.scan(data)

    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) in (_PDFIUM_ERR_PASSWORD, _PDFIUM_ERR_SECURITY):
            raise RefusedFile(
                "encrypted_pdf",
                "The PDF is password-protected; send it without a password.",
            ) from exc
        raise RefusedFile("corrupt_pdf", "The PDF is damaged and cannot be read.") from exc
    pages = len(doc)
    if pages == 0:
        doc.close()
        raise RefusedFile("corrupt_pdf", "The PDF has no pages.")
    if pages > limits.MAX_PDF_PAGES:
        doc.close()
        raise RefusedFile(
            "too_many_pages", f"The PDF has {pages} pages; the limit is {limits.MAX_PDF_PAGES}."
        )
    return doc


def image_size(data: bytes, media_type: str) -> tuple[int, int]:
    """Width and height from the image header, without decoding pixels."""
    width, height, _bands = _image_header(data, media_type)
    return width, height


def _image_header(data: bytes, media_type: str) -> tuple[int, int, int]:
    """Width, height and decoded bytes per pixel, from the header."""
    if media_type in ("image/heic", "image/heif"):
        heif = _open_heif(data)
        width, height = heif.size
        return width, height, 4 if getattr(heif, "has_alpha", False) else 3
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as img:
                width, height = img.size
                return width, height, _bytes_per_pixel(img.mode)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise RefusedFile(
            "decompression_bomb", "The image declares an absurd number of pixels."
        ) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise RefusedFile("corrupt_image", "The image is damaged and cannot be read.") from exc


def _bytes_per_pixel(mode: str) -> int:
    if mode in ("I;16", "I;16B", "I;16L", "LA", "La", "PA"):
        return 2
    if mode in ("I", "F", "RGBA", "RGBa", "CMYK", "RGBX"):
        return 4
    return len(mode) if mode.isalpha() and mode.isupper() else 4


def _open_heif(data: bytes):
    # pi-heif decodes only (no bundled encoder), which is why it is the runtime dependency.
    import pi_heif

    try:
        return pi_heif.open_heif(io.BytesIO(data), convert_hdr_to_8bit=True)
    except (ValueError, RuntimeError, OSError) as exc:
        raise RefusedFile("corrupt_image", "The HEIC/HEIF image cannot be read.") from exc


def decode_image(data: bytes, media_type: str, *, max_side: int | None = None) -> Image.Image:
    """Decode an accepted image to RGB, upright (EXIF orientation applied).

    `max_side` lets JPEG decode at a reduced scale directly (libjpeg DCT scaling), which is
    much faster and lighter than decoding full size and shrinking. Raises `RefusedFile`.
    """
    _check_pixels(*_image_header(data, media_type))
    try:
        if media_type in ("image/heic", "image/heif"):
            # libheif applies the container's rotation/mirror boxes while decoding.
            img = _open_heif(data).to_pillow()
            img.load()
        else:
            with warnings.catch_warnings():
                warnings.simplefilter("error", Image.DecompressionBombWarning)
                img = Image.open(io.BytesIO(data))
                if max_side and media_type == "image/jpeg" and max(img.size) > 2 * max_side:
                    img.draft("RGB", (max_side, max_side))
                img.load()
                img = ImageOps.exif_transpose(img)
    except RefusedFile:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise RefusedFile(
            "decompression_bomb", "The image declares an absurd number of pixels."
        ) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise RefusedFile("corrupt_image", "The image is damaged and cannot be read.") from exc
    if img.mode != "RGB":
        img = img.convert("RGB")
    return img
