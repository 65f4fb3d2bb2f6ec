"""The extraction pipeline every channel uses: bytes -> validated file -> text -> fields.

Steps, in order (each one may stop the pipeline with a `RefusedFile`, which becomes a typed
refusal in the result, never an exception for the caller):

1. intake: type from magic bytes, size, PDF health, pixel count (`intake.py`);
2. text, first source that applies: an embedded e-invoice (Factur-X/ZUGFeRD CII or UBL, read
   exactly), the PDF text layer, OCR of images and scanned pages (a page that is a
   scanner's JPEG from its own bytes, `pdftext.scanned_jpeg`);
3. split: a PDF may hold several invoices, or a pile of receipts and invoices scanned into
   one file, one extracted document each (each scanned page read alone for the marks of a
   document's first and last pages: `split_documents`);
4. fields with a confidence each (`fields`), each document's pages numbered from its
   own first; a photo or a one-page scanned document then has its name's rows (a
   receipt's), its misspelt words and, when no date was read, its date's row read again
   from the pixels.
"""

from __future__ import annotations

import hashlib
import logging
import re
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from difflib import SequenceMatcher
from itertools import pairwise
from typing import NamedTuple

import numpy as np

from shared import limits

from .einvoice import find_embedded_xml, parse_einvoice
from .errors import RefusedFile
from .fields import extract_fields
from .fields.identifiers import find_invoice_number
from .fields.names import better_name_reading, name_words
from .intake import MAX_BYTES, check, decode_image, open_pdf
from .layout import Box, Line, deskew, group_lines, merge_close_boxes
from .model import ExtractedDocument, Extraction, OwnParty
from .ocr import OcrPage, PagePixels, ocr_page, read_band, read_row, respell_boxes
from .parsing import _fold, find_amounts
from .pdftext import has_text_layer, render_page, scanned_jpeg, text_layer_boxes

log = logging.getLogger(__name__)

__all__ = ["extract", "Extraction", "ExtractedDocument"]


def extract(
    data: bytes,
    *,
    source_name: str = "",
    max_bytes: int = MAX_BYTES,
    own: OwnParty | None = None,
) -> Extraction:
    """Extract every document in one file.

    MUST NOT raise on bad input: a file that cannot be accepted returns
    `Extraction(refused=<user-facing reason>, refusal_code=<stable code>, documents=[])`.
    An accepted file yields at least one document (with few fields if little was readable).
    `source_name` is only used in logs; the type is always sniffed from the bytes. `own` is
    the organisation the file was sent to (its name, VAT, SIREN), used to tell the buyer's
    block from the supplier's on invoices.
    """
    checksum = hashlib.sha256(data).hexdigest()
    intake = check(data, max_bytes)
    if not intake.accepted:
        return Extraction(
            media_type=intake.media_type,
            pages=0,
            checksum=checksum,
            refused=intake.refused,
            refusal_code=intake.refusal_code,
        )
    media_type = intake.media_type or ""
    try:
        if media_type == "application/pdf":
            documents = _extract_pdf(data, own)
        else:
            documents = _extract_image(data, media_type, own)
    except RefusedFile as refusal:
        return Extraction(
            media_type=media_type,
            pages=intake.pages,
            checksum=checksum,
            refused=refusal.reason,
            refusal_code=refusal.code,
        )
    except MemoryError:
        raise  # a budget, not a property of the file: the worker answers it (`worker.py`)
    except Exception:  # noqa: BLE001 - the contract: bad input is a result, never a crash
        # Decoders fail in ways no list of exceptions covers (a PDF that opens but whose
        # pages do not render, a truncated image body). Logged with the traceback for ops.
        log.exception("extraction failed for %s", source_name or checksum[:12])
        return Extraction(
            media_type=media_type,
            pages=intake.pages,
            checksum=checksum,
            refused="The file could not be read; send a clearer photo or the original PDF.",
            refusal_code="unreadable",
        )
    documents = [_within_limits(doc) for doc in documents]
    log.debug("extracted %d document(s) from %s", len(documents), source_name or checksum[:12])
    return Extraction(
        media_type=media_type, pages=intake.pages, checksum=checksum, documents=documents
    )


# A JPEG may be decoded at 1/2, 1/4 or 1/8 scale (much cheaper) while both sides stay at least
# this long; OCR then shrinks the image to its own limits (`ocr.OCR_MAX_PIXELS`).
_DECODE_MIN_SIDE = 2400


def _extract_image(
    data: bytes, media_type: str, own: OwnParty | None = None
) -> list[ExtractedDocument]:
    image = decode_image(data, media_type, max_side=_DECODE_MIN_SIDE)
    return [_read_scanned_page(image, own)]


def _read_scanned_page(
    image, own: OwnParty | None, budget: _TextBudget | None = None
) -> ExtractedDocument:
    """One photographed or scanned page read as one document: OCR, its fields, then the
    parts read a second time from the pixels (the name's rows, its misspelt words, the
    date's row)."""
    page = ocr_page(image)
    lines = group_lines(deskew(page.boxes), page=1)
    if budget is not None:
        budget.add_lines(lines, 1)
    doc = extract_fields(lines, source="ocr", own=own)
    _read_again(image, page, doc, own)
    doc.pages = [1]
    return doc


def _read_again(image, page: OcrPage, doc: ExtractedDocument, own: OwnParty | None) -> None:
    """The parts of a one-page document read a second time from its pixels: the name's rows,
    its misspelt words, the date's row. The rows are cut from the page as it was read
    (turned upright, levelled), where its boxes are; turned once for the three."""
    pixels = PagePixels(image, page.frame)
    _reread_name(pixels, page, doc, own)
    _respell_name(pixels, page, doc)
    _reread_undated(pixels, page, doc, own)


# The name is read a second time when one of its boxes was read with a lower confidence than
# this (about 4 pages in 10 on SROIE; 0.97 gave the same hits there).
NAME_REREAD_BELOW = 0.98
# Rows of the name's band above and below its boxes, in box heights: enough to keep the
# letters whole, not enough to take in the neighbouring lines.
NAME_BAND_MARGIN = 0.3
# Boxes below the name's first box that may still be part of it, in box heights.
NAME_BAND_REACH = 3.0


def _reread_name(
    pixels: PagePixels, page: OcrPage, doc: ExtractedDocument, own: OwnParty | None
) -> None:
    """The shop's name read again from its rows, detected enlarged (`read_band`), and kept
    when that reading is better (`better_name_reading`): the page's detection, shrunk on a
    large scan, loses short words and clips letters of the sign. Only when the name was read
    with a low confidence somewhere (`NAME_REREAD_BELOW`), on a receipt. The rows are cut
    from the page as it was read (turned upright, levelled: `OcrPage.frame`), where its
    boxes are."""
    boxes = page.boxes
    if not doc.supplier_name or doc.document_type != "receipt":
        # An invoice's seller is read from its blocks and labels, not from a shop's sign.
        return
    band = _name_band(boxes, doc.supplier_name)
    if band is None:
        return
    top, bottom = band
    if min(b.score for b in boxes if top <= b.cy <= bottom) >= NAME_REREAD_BELOW:
        return  # read with confidence: a second reading costs ~0.3 s for nothing
    reread = read_band(pixels, top, bottom)
    if not reread:
        return
    kept = [b for b in boxes if not top <= b.cy <= bottom]
    lines = group_lines(deskew(kept + reread), page=1)
    other = extract_fields(lines, source="ocr", own=own).supplier_name
    if other and better_name_reading(doc.supplier_name, other):
        doc.supplier_name = other


# Rows read again whole on a page where no date was read: those that hold a time of day or
# a date's label, the topmost first; the rows' margin above and below, in box heights.
UNDATED_ROWS_REREAD = 3
UNDATED_ROW_MARGIN = 0.3
_TIME_OR_DATE_LABEL = re.compile(
    r"(?<!\d)[0-2]?\d:[0-5]\d(?!\d)|\b(?:date|tarikh|datum|fecha)\b", re.IGNORECASE
)


def _reread_undated(
    pixels: PagePixels, page: OcrPage, doc: ExtractedDocument, own: OwnParty | None
) -> None:
    """A page where no date was read: the rows beside its time of day or under a date label
    read again whole, detection skipped (`read_row`): the detector loses faded print that
    the recogniser still reads, and a receipt prints its date beside its time. The date is
    then read from the page with that row's text, by the same rules."""
    if doc.issue_date is not None:
        return
    rows = [b for b in page.boxes if _TIME_OR_DATE_LABEL.search(b.text)]
    for box in sorted(rows, key=lambda b: b.y0)[:UNDATED_ROWS_REREAD]:
        margin = UNDATED_ROW_MARGIN * box.height
        row = read_row(pixels, box.y0 - margin, box.y1 + margin)
        if row is None:
            continue
        kept = [b for b in page.boxes if not row.y0 <= b.cy <= row.y1]
        other = extract_fields(group_lines(deskew(kept + [row]), page=1), source="ocr", own=own)
        if other.issue_date is not None:
            doc.issue_date = other.issue_date
            doc.confidence["issue_date"] = other.confidence.get("issue_date", 0.3)
            return


def _respell_name(pixels: PagePixels, page: OcrPage, doc: ExtractedDocument) -> None:
    """The shop's name with the words the recogniser misspelt read again against the
    dictionaries, on the recogniser's own evidence (`ocr.respell_boxes`): SEAFOD ->
    SEAFOOD; a name read with confidence keeps its spelling (AIK HUAT, not HURT)."""
    if not doc.supplier_name:
        return
    words = respell_boxes(pixels, _spelling_boxes(page.boxes, doc.supplier_name))
    name = doc.supplier_name
    for read, meant in words.items():
        name = re.sub(rf"(?<!\w){re.escape(read)}(?!\w)", meant, name)
    doc.supplier_name = name


def _spelling_boxes(boxes: list[Box], name: str) -> list[Box]:
    """The boxes that spell `name`, from the topmost one down to `NAME_BAND_REACH` below it."""
    words = set(name_words(name))
    spelling = []
    for box in sorted(boxes, key=lambda b: b.y0):
        own_words = [w for w in name_words(box.text) if len(w) >= 2]
        if own_words and 2 * sum(w in words for w in own_words) >= len(own_words):
            spelling.append(box)
    if not spelling:
        return []
    first = spelling[0]
    return [b for b in spelling if b.y0 <= first.y1 + NAME_BAND_REACH * first.height]


def _name_band(boxes: list[Box], name: str) -> tuple[float, float] | None:
    """The rows (top, bottom) of the boxes that spell `name`, from the topmost one down."""
    spelling = _spelling_boxes(boxes, name)
    if not spelling:
        return None
    height = sorted(b.height for b in spelling)[len(spelling) // 2]
    top = min(b.y0 for b in spelling) - NAME_BAND_MARGIN * height
    return top, max(b.y1 for b in spelling) + NAME_BAND_MARGIN * height


def _extract_pdf(data: bytes, own: OwnParty | None = None) -> list[ExtractedDocument]:

    pdf = open_pdf(data, scan_streams=False)  # `check()` scanned the streams already
    try:
        xml = find_embedded_xml(data, pdf)
        if xml:
            doc = parse_einvoice(xml)
            if doc is not None:
                doc.pages = list(range(1, len(pdf) + 1))
                return [doc]
        # Two passes: every page's text layer first (bounded by the character caps), so that a
        # file with too many scanned pages is refused before any OCR time is spent.
        budget = _TextBudget()
        layers: list[list | None] = []
        for index in range(len(pdf)):
            with _page(pdf, index) as page:
                boxes = text_layer_boxes(page, page_number=index + 1)
            budget.add_chars(sum(len(b.text) for b in boxes), index + 1)
            layers.append(boxes if has_text_layer(boxes) else None)
        budget.check_ocr_pages(sum(layer is None for layer in layers))
        if layers == [None]:
            # A receipt or invoice scanned to PDF: read as its photo would be, second
            # readings included (a multi-page scan is split into documents first).
            return [_read_scanned_page(_page_image(pdf, 0), own, budget)]
        pages: list[tuple[list[Line], str]] = []
        scans: dict[int, OcrPage] = {}  # boxes and frame only: each image is let go once read
        for index, layer in enumerate(layers):
            if layer is not None:
                lines = [merge_close_boxes(ln) for ln in group_lines(layer, page=index + 1)]
                pages.append((budget.add_lines(lines, index + 1), "pdf_text"))
            else:
                scans[index] = ocr_page(_page_image(pdf, index))
                lines = group_lines(deskew(scans[index].boxes), page=index + 1)
                pages.append((budget.add_lines(lines, index + 1), "ocr"))

        documents: list[ExtractedDocument] = []
        first_page = 1
        for group in split_documents(pages):
            # Each document's pages numbered from 1: a receipt on the file's third page is a
            # one-page document, not the last page of a longer one.
            lines = [
                Line(line.boxes, page=line.page - first_page + 1)
                for page_lines, _ in group
                for line in page_lines
            ]
            sources = {source for _, source in group}
            index = first_page - 1
            # A receipt photographed in parts is read as its one photo would be: one page.
            in_parts = len(group) > 1 and _one_receipt_in_parts(group)
            if in_parts:
                lines = _stitched([page_lines for page_lines, _ in group])
            doc = extract_fields(lines, source="ocr" if "ocr" in sources else "pdf_text", own=own)
            if (len(group) == 1 or in_parts) and index in scans:
                # A receipt scanned alone on its page among others: read again as its photo
                # would be (the page decoded a second time, not kept from the first reading).
                _read_again(_page_image(pdf, index), scans[index], doc, own)
            # Groups are consecutive runs of pages: their page numbers follow from their sizes.
            doc.pages = list(range(first_page, first_page + len(group)))
            first_page += len(group)
            documents.append(doc)
        return documents
    finally:
        pdf.close()


def _one_receipt_in_parts(group: list[tuple[list[Line], str]]) -> bool:
    """Whether a document of several scanned pages is one receipt photographed in parts (a
    till roll too long for one photo): every page a scan of text no wider than a till
    roll's (`TILL_ROLL_CHARS`)."""
    return all(source == "ocr" and _till_roll_wide(lines) for lines, source in group)


# A till roll (58 or 80 mm) prints at most ~48 characters a line. Measured as the text's
# extent over its median character pitch: SROIE and German receipt photos 19-55 characters
# across, 43 at the 95th percentile; scanned A4 invoice pages 38-135, 48 at the 5th.
TILL_ROLL_CHARS = 56


def _till_roll_wide(lines: list[Line]) -> bool:
    """Whether a page's text is no wider than a till roll's, in characters."""
    words = [b for line in lines for b in line.boxes if len(b.text) >= 4]
    if not words:
        return True
    pitch = float(np.median([(b.x1 - b.x0) / len(b.text) for b in words]))
    left = float(np.percentile([b.x0 for b in words], 5))
    right = float(np.percentile([b.x1 for b in words], 95))
    return (right - left) <= TILL_ROLL_CHARS * pitch


# Grey space between one part of a receipt and the next once stitched, in text heights.
STITCH_GAP = 2.0


def _stitched(pages: list[list[Line]]) -> list[Line]:
    """The pages' lines as one tall page, each part below the one before it; a line both
    parts show (`_seam`) kept once, from the part that read it more surely."""
    pages = [list(page_lines) for page_lines in pages]
    for upper, lower in pairwise(pages):
        dropped_upper, dropped_lower = set(), set()
        for i, j in _seam(upper, lower):
            if upper[i].score >= lower[j].score:
                dropped_lower.add(j)
            else:
                dropped_upper.add(i)
        upper[:] = [line for i, line in enumerate(upper) if i not in dropped_upper]
        lower[:] = [line for j, line in enumerate(lower) if j not in dropped_lower]
    out: list[Line] = []
    offset = 0.0
    for page_lines in pages:
        if not page_lines:
            continue
        heights = sorted(b.height for line in page_lines for b in line.boxes)
        gap = STITCH_GAP * heights[len(heights) // 2] if heights else 0.0
        top = min(line.y0 for line in page_lines)
        shift = offset - top + (gap if out else 0.0)
        for line in page_lines:
            boxes = [
                Box(b.text, b.x0, b.y0 + shift, b.x1, b.y1 + shift, b.score) for b in line.boxes
            ]
            out.append(Line(boxes, page=1))
        offset = max(line.y1 for line in out)
    return out


# Two photos of one long receipt overlap: the second repeats the last lines of the first. The
# lines compared at the seam, on each side; how alike two readings of one line are (OCR
# reads a line twice with a slip or two: `Total 0% oumnlices 22.64`, `Total 0% supplies:
# 23.64`); how long a line must be to count (a short one, `Total`, `1`, repeats by chance,
# and OCR reads `TOTAL PAYABLE RM41.95` as one line or two); how many lines make a seam.
SEAM_LINES = 8
SEAM_LIKENESS = 0.8
SEAM_MIN_CHARS = 8
SEAM_MIN_LINES = 2


def _seam(upper: list[Line], lower: list[Line]) -> list[tuple[int, int]]:
    """The lines the bottom of `upper` and the top of `lower` both show, as pairs of their
    indexes: one block of lines, ending `upper` and opening `lower`, each read on both (a
    short line may be read on one only, and the line each photo's edge cuts, `upper`'s last
    and `lower`'s first, on neither). Two receipts of one shop share lines (`Cashier:
    ADMIN`, `Thank you`), but the first does not end on the block the second opens with."""
    if not upper or not lower:
        return []
    first = max(0, len(upper) - SEAM_LINES)
    tail = [_seam_text(line) for line in upper[first:]]
    head = [_seam_text(line) for line in lower[:SEAM_LINES]]
    # chains[i][j]: the longest chain of alike pairs within tail[:i] and head[:j].
    chains: list[list[list[tuple[int, int]]]] = [
        [[] for _ in range(len(head) + 1)] for _ in range(len(tail) + 1)
    ]
    for i, a in enumerate(tail, start=1):
        for j, b in enumerate(head, start=1):
            best = max(chains[i - 1][j], chains[i][j - 1], key=len)
            if _alike(a, b) and len(chains[i - 1][j - 1]) + 1 > len(best):
                best = [*chains[i - 1][j - 1], (i - 1, j - 1)]
            chains[i][j] = best
    chain = chains[-1][-1]
    # The receipts of one till differ in their numbers only (`Datum: 05.03.2020`, `Datum:
    # 06.03.2020`): two readings of one photo's lines mostly read them the same, where OCR
    # slips in a digit or two (`JUMB0 2.97 5 2 3 8.91`, `JUMBO 2.97 5 3 8.91`).
    numbered = [(_digits(tail[i]), _digits(head[j])) for i, j in chain]
    same = sum(1 for a, b in numbered if a and a == b)
    other = sum(1 for a, b in numbered if a and b and a != b)
    if len(chain) < SEAM_MIN_LINES or same == 0 or same < other:
        return []
    # The block's edges: `lower`'s first line and `upper`'s last at most left out (cut)...
    (_, top), (bottom, _) = chain[0], chain[-1]
    if any(_counts(text) for text in head[1:top]) or any(_counts(t) for t in tail[bottom + 1 : -1]):
        return []
    # ...and no line that counts left out between two of its pairs.
    for (i, j), (k, m) in pairwise(chain):
        if any(_counts(text) for text in tail[i + 1 : k] + head[j + 1 : m]):
            return []
    return [(first + i, j) for i, j in chain]


def _counts(text: str) -> bool:
    return len(text) >= SEAM_MIN_CHARS


def _seam_text(line: Line) -> str:
    return re.sub(r"[^0-9a-z]", "", _fold(line.text))


def _alike(a: str, b: str) -> bool:
    if not (_counts(a) and _counts(b)):
        return False
    return SequenceMatcher(None, a, b, autojunk=False).ratio() >= SEAM_LIKENESS


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def _page_image(pdf, index: int):
    """A scanned page's pixels: the scanner's JPEG when the page is one (`scanned_jpeg`),
    decoded under the image limits, else the page rendered."""
    with _page(pdf, index) as page:
        jpeg = scanned_jpeg(page)
        if jpeg is None:
            return render_page(page)
    return decode_image(jpeg, "image/jpeg", max_side=_DECODE_MIN_SIDE)


class _TextBudget:
    """Running totals of one file against `shared.limits`: characters, lines, OCR pages."""

    def __init__(self) -> None:
        self.chars = 0
        self.lines = 0

    def add_chars(self, count: int, page: int) -> None:
        self.chars += count
        if self.chars > limits.MAX_DOCUMENT_CHARS:
            raise RefusedFile(
                "too_much_text",
                f"The PDF holds more than {limits.MAX_DOCUMENT_CHARS:,} characters by page "
                f"{page}; send the invoices as separate files.",
            )

    def add_lines(self, lines: list[Line], page: int) -> list[Line]:
        if len(lines) > limits.MAX_PAGE_LINES:
            raise RefusedFile(
                "too_much_text",
                f"Page {page} of the PDF holds {len(lines):,} lines; a receipt or invoice page "
                f"holds at most {limits.MAX_PAGE_LINES:,}.",
            )
        self.lines += len(lines)
        if self.lines > limits.MAX_DOCUMENT_LINES:
            raise RefusedFile(
                "too_much_text",
                f"The PDF holds more than {limits.MAX_DOCUMENT_LINES:,} lines by page {page}; "
                "send the invoices as separate files.",
            )
        return lines

    def check_ocr_pages(self, count: int) -> None:
        if count > limits.MAX_OCR_PAGES:
            raise RefusedFile(
                "too_many_pages",
                f"The PDF has {count} scanned pages; send at most {limits.MAX_OCR_PAGES} "
                "scanned pages per file.",
            )


@contextmanager
def _page(pdf, index: int):
    """A PDFium page, closed after use; a page PDFium cannot load is a refusal."""
    import pypdfium2 as pdfium

    try:
        page = pdf[index]
    except pdfium.PdfiumError as exc:
        raise RefusedFile(
            "corrupt_pdf", f"Page {index + 1} of the PDF is damaged and cannot be read."
        ) from exc
    try:
        yield page
    except pdfium.PdfiumError as exc:
        raise RefusedFile(
            "corrupt_pdf", f"Page {index + 1} of the PDF is damaged and cannot be read."
        ) from exc
    finally:
        page.close()


def _within_limits(doc: ExtractedDocument) -> ExtractedDocument:
    """Drop values out of `shared.limits` whatever their source (text, OCR or XML): a date in
    year 1 or 9999 or an absurd amount must not reach matching, storage or a bank file."""
    doc.issue_date = limits.sane_date(doc.issue_date)
    doc.due_date = limits.sane_date(doc.due_date)
    for name in ("total", "amount_due"):
        value = getattr(doc, name)
        if value is not None and limits.sane_amount(value) is None:
            setattr(doc, name, None)
    doc.candidate_totals = [v for v in doc.candidate_totals if limits.sane_amount(v) is not None]
    doc.vat_amounts = {
        limits.clip_text(rate, limits.MAX_NUMBER_CHARS) or "": value
        for rate, value in doc.vat_amounts.items()
        if limits.sane_amount(value) is not None
    }
    for name in (
        "supplier_name", "supplier_vat", "supplier_siren", "supplier_iban",
        "customer_name", "customer_vat", "invoice_number", "currency",
    ):  # fmt: skip
        setattr(doc, name, limits.clip_text(getattr(doc, name)))
    doc.confidence = {
        key: value
        for key, value in doc.confidence.items()
        if key not in ("issue_date", "due_date", "total", "amount_due")
        or getattr(doc, key) is not None
    }
    return doc


# "Page 2/3", "Seite 1 von 2", "page 1 sur 4", "Seite 1"
_PAGE_N = re.compile(
    r"(?<![a-z])(?:page|seite|pagina|pag\.)\s*(\d{1,3})(?:\s*(?:/|of|sur|von|de|van)\s*(\d{1,3}))?(?!\d)"
)


def split_documents(
    pages: list[tuple[list[Line], str]],
) -> list[list[tuple[list[Line], str]]]:
    """Group consecutive pages into documents.

    A page starts a new document when it says it is page 1 ("Page 1/2", "Seite 1 von 3"),
    or when it carries its own invoice number, different from the current document's. A
    scanned page also starts one when, read alone, it reads as another document's first
    page (`_scan_starts`): a bookkeeper's pile of receipts and invoices scanned into one
    file. Pages without a cue continue the current document (continuation pages, terms;
    an invoice's pages share their date and its number), and so does a scan that opens on
    the lines the one before it ends on (`_seam`): the next photo of a long receipt, which
    may read whole on its own.
    """
    groups: list[list[tuple[list[Line], str]]] = []
    current_number: str | None = None
    current = _Current(whole=False, total=None, issued=None, ended=False)
    last: _Alone | None = None  # the previous page read alone, when it was a scan
    previous: list[Line] = []  # the previous page's lines, when it was a scan
    for lines, source in pages:
        folded = [_fold(line.text) for line in lines]
        match = _PAGE_N.search("\n".join(folded))
        page_number = int(match.group(1)) if match else None
        number = _page_invoice_number(lines, source)
        alone = _read_alone(lines) if source == "ocr" else None
        starts = (
            not groups
            or page_number == 1
            or (
                page_number is None
                and number is not None
                and current_number is not None
                and number != current_number
            )
            or (alone is not None and _scan_starts(alone, last, current, number, current_number))
        )
        if page_number is not None and page_number > 1:
            starts = not groups
        elif page_number is None and source == "ocr" and _seam(previous, lines):
            starts = not groups  # the next photo of one receipt: it repeats the last lines
        labelled = alone.total if alone is not None and alone.labelled_total else None
        dated = alone.date if alone is not None and alone.dated else None
        if starts:
            groups.append([(lines, source)])
            current_number = number
            current = _Current(alone is not None and alone.whole, labelled, dated, False)
        else:
            groups[-1].append((lines, source))
            current_number = current_number or number
            current = _Current(
                current.whole or (alone is not None and alone.whole),
                labelled if labelled is not None else current.total,
                current.issued or dated,
                False,
            )
        if match and match.group(2) and page_number == int(match.group(2)):
            current = current._replace(ended=True)  # "Seite 3 von 3": its last page
        last = alone
        previous = lines if source == "ocr" else []
    return groups


class _Current(NamedTuple):
    """What the current document's scanned pages, read alone, said so far."""

    whole: bool  # one of them read whole (a labelled total and a date)
    total: Decimal | None  # the labelled total one of them holds
    issued: date | None  # the first date of issue read with confidence on one of them
    ended: bool  # its last page said so ("Seite 3 von 3")


def _scan_starts(
    alone: _Alone,
    last: _Alone | None,
    current: _Current,
    number: str | None,
    current_number: str | None,
) -> bool:
    """Whether a scanned page, read alone, is another document's first page after the
    current document's pages: receipts and invoices scanned one after another."""
    if (
        alone.whole
        and alone.headed
        and current.whole
        and (number is None or number != current_number)
    ):
        return True  # two pages each reading whole
    if current.ended and (alone.labelled_total or alone.invoice or alone.dated):
        return True  # after the last page of its count, a page with a document's own mark
    if current.total is not None and (
        alone.invoice
        or (
            alone.whole
            and alone.receipt
            and alone.headed
            and not _same_bill(alone.total, current.total)
        )
        or (alone.dated and current.issued is not None and alone.date != current.issued)
    ):
        # After the page holding the current document's labelled total, a page titled as
        # an invoice, a receipt read whole with another total (a payment slip under an
        # invoice repeats its total), or a page dated another day than the document.
        return True
    if last is None or not (alone.whole or last.whole):
        return False
    if last.whole and alone.dated and alone.date != last.date:
        return True  # a page read whole is complete: a page dated another day follows it
    if not (alone.receipt and last.receipt and alone.headed):
        return False
    # Two receipts side by side, one whole, the second opening on a header of its own (a
    # long receipt's second photo opens on its items or totals): each with its own labelled
    # total (a receipt has one; the other's date was not read; a cash-rounded total is the
    # same bill's), or dated and totalled, of other days.
    other_days = None not in (alone.date, last.date) and alone.date != last.date
    if (
        alone.labelled_total
        and last.labelled_total
        and (not _same_bill(alone.total, last.total) or other_days)
    ):
        return True
    return other_days and None not in (alone.total, last.total)


# Cash rounding moves a bill by less than this (to 0.05 in Malaysia, Switzerland, the
# Netherlands): a long receipt photographed in two parts shows `Total 20.98` on one and
# `Rounded total 21.00` on the other.
CASH_ROUNDING = Decimal("0.05")


def _same_bill(total: Decimal | None, other: Decimal | None) -> bool:
    """Two totals read on two pages are one bill's, the same or cash-rounded."""
    if total is None or other is None:
        return total == other
    return abs(total - other) < CASH_ROUNDING


# A scanned page reads whole when its total and its date are read with at least these
# confidences: a labelled total, not an item's amount taken for want of one (0.3), which an
# invoice's first page holds; a date of issue, labelled or standing alone on a receipt
# (0.45 and up), not a due date alone (0.2), which an invoice's last page holds.
WHOLE_PAGE_TOTAL = 0.5
WHOLE_PAGE_DATE = 0.4


class _Alone(NamedTuple):
    """A scanned page read alone, as a first page: its date and total, how surely each was
    read, and what kind of document it reads as."""

    date: date | None
    total: Decimal | None
    labelled_total: bool  # the total read with confidence (`WHOLE_PAGE_TOTAL`)
    dated: bool  # a date of issue read with confidence (`WHOLE_PAGE_DATE`)
    receipt: bool
    invoice: bool  # titled or worded as an invoice or a credit note
    headed: bool  # its first line holds no amount: a name or a title, not an item's row

    @property
    def whole(self) -> bool:
        """A labelled total and a date of issue: the page reads as a whole receipt."""
        return self.labelled_total and self.dated


def _read_alone(lines: list[Line]) -> _Alone:
    """A scanned page read alone, as a first page (later pages are read by the invoice
    rules)."""
    doc = extract_fields([Line(line.boxes, page=1) for line in lines], source="ocr")
    return _Alone(
        date=doc.issue_date,
        total=doc.total,
        labelled_total=doc.total is not None
        and doc.confidence.get("total", 0.0) >= WHOLE_PAGE_TOTAL,
        dated=doc.issue_date is not None
        and doc.confidence.get("issue_date", 0.0) >= WHOLE_PAGE_DATE,
        receipt=doc.document_type == "receipt",
        invoice=doc.document_type in ("invoice", "credit_note"),
        # An amount is what an item's or a total's row holds and a header (a shop's name,
        # its address, a title) does not: a long receipt's second photo opens on its items
        # (`WHOLEMEAL 2.78 4 5.56`) or its totals.
        headed=bool(lines) and not find_amounts(lines[0].text),
    )


def _page_invoice_number(lines: list[Line], source: str) -> str | None:
    number = find_invoice_number(lines, source)
    return number.upper() if number else None
