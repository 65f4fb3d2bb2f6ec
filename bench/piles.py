"""Benchmark of splitting a bookkeeper's pile: scanned invoices and receipts in one PDF.

    python bench/piles.py RECEIPTS_DIR [--piles 40] [--seed 1] [--held-out] [--verbose]

Each pile is five documents drawn at random, each an invoice of the XML-stripped
e-invoices (`../shared/corpus/invoices/facturx-stripped`, every page scanned at 150 dpi
in greyscale, as a scanner gives them back) or a receipt photo of RECEIPTS_DIR (a
`bench/receipts_sources.py` folder), scanned into one PDF of ten pages at most (the
engine's bound on scanned pages). The pipeline reads the file; a pile is right when its
documents come out with exactly their own pages. Printed: piles right, documents whose
pages came out as one document of their own.

The invoices are split by a hash of their file name (`extraction.held_out`, about 30%
held out; not the extraction bench's split by seller, which would leave a pile few
sellers to draw from), the receipts by the folder's own halves. The tuning part may be
listed with `--verbose`; `--held-out` draws the piles from the held-out invoices and the
sealed receipts, and prints figures only.
"""

from __future__ import annotations

import argparse
import io
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import extraction as bench  # noqa: E402
import receipts_sources  # noqa: E402

from shared.extraction import pipeline  # noqa: E402
from tests.unit.extraction.conftest_helpers import jpeg_in_pdf  # noqa: E402

INVOICES = bench.CORPUS / "invoices" / "facturx-stripped"
PILE_DOCUMENTS = 5
SCAN_DPI = 150
MAX_PAGES = 10  # `pipeline`'s bound on scanned pages per file


def _scanned_pages(pdf_bytes: bytes) -> list[bytes]:
    """Each page of a PDF as the greyscale JPEG a scanner gives back."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(pdf_bytes)
    try:
        pages = []
        for index in range(len(pdf)):
            image = pdf[index].render(scale=SCAN_DPI / 72, grayscale=True).to_pil()
            out = io.BytesIO()
            image.save(out, "JPEG", quality=85)
            pages.append(out.getvalue())
        return pages
    finally:
        pdf.close()


def _photo_page(path: Path) -> bytes:
    from PIL import Image

    with Image.open(path) as image:
        out = io.BytesIO()
        image.convert("RGB").save(out, "JPEG", quality=95)
        return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("receipts", type=Path)
    parser.add_argument("--piles", type=int, default=40)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--held-out", action="store_true", help="held-out documents only")
    parser.add_argument("--verbose", action="store_true", help="list the piles split wrong")
    parser.add_argument("--ocr-cache", action="store_true", help="reuse OCR boxes from var/")
    args = parser.parse_args(argv)
    if args.ocr_cache:
        pipeline.ocr_page = bench._CachedOcr(pipeline.ocr_page)
    invoices = [
        p for p in sorted(INVOICES.glob("*.pdf")) if bench.held_out(p.name) == args.held_out
    ]
    samples, _ = receipts_sources.load(args.receipts)
    receipts = [s.path for s in samples if s.held_out == args.held_out]
    rng = random.Random(args.seed)
    piles_right = documents = documents_right = 0
    for pile in range(args.piles):
        while True:
            chosen = []
            for _ in range(PILE_DOCUMENTS):
                if rng.random() < 0.5:
                    path = rng.choice(invoices)
                    chosen.append((path, _scanned_pages(path.read_bytes())))
                else:
                    path = rng.choice(receipts)
                    chosen.append((path, [_photo_page(path)]))
            if sum(len(pages) for _, pages in chosen) <= MAX_PAGES:
                break
        expected, first = [], 1
        for _, pages in chosen:
            expected.append(list(range(first, first + len(pages))))
            first += len(pages)
        data = jpeg_in_pdf(*(page for _, pages in chosen for page in pages), dpi=SCAN_DPI)
        got = [doc.pages for doc in pipeline.extract(data).documents]
        documents += len(expected)
        documents_right += sum(pages in got for pages in expected)
        piles_right += got == expected
        if got != expected and args.verbose and not args.held_out:
            print(f"  pile {pile}: expected {expected} got {got}")
            for path, pages in chosen:
                print(f"    {path.name} ({len(pages)} pages)")
    part = "held out" if args.held_out else "tuning part"
    print(f"piles of {PILE_DOCUMENTS} documents, {part}, seed {args.seed}")
    print(f"  piles split right      {piles_right}/{args.piles}")
    print(f"  documents on their own {documents_right}/{documents}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
