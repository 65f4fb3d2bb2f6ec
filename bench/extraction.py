"""Benchmark of the extraction engine on the shared corpora, with held-out figures.

    python bench/extraction.py [--corpus NAME]... [--limit N] [--verbose] [--ocr-cache]

Corpora: sroie, de (receipt scans, OCR); invoice2data (PDFs), invoice2data_png (renders, OCR);
facturx (Factur-X/ZUGFeRD PDFs read from their embedded XML: every field must be exact);
facturx_text (the same PDFs read from their printed text layer, the XML ignored);
facturx_stripped (122 PDFs whose XML was removed, truth from that XML);
synthetic (text-layer invoices in FR/DE/ES/EN drawn by bench/invoice_forge.py into
var/forge/, `--forge-seed`, `--forge-n`; the buyer's identity is passed to the engine as the
caller would, and the held-out column is the forge's held-out layout families);
receipts_synthetic (receipt images in FR/DE/ES/EN drawn by bench/receipt_forge.py into
var/receipt-forge/, `--receipt-forge-seed`, `--receipt-forge-n`; OCR, scored like SROIE: total,
date, company; the held-out column is the forge's held-out layout families). It is not in the
default list (OCR takes about 1.3 s per image): run it with `--corpus receipts_synthetic`.

Held-out split, fixed before any tuning and never used to write rules: a sample is held out
when the first byte of sha256(group key) % 10 < 3 (about 30% of groups). The group key is the
file stem for the receipts and invoice2data (one issuer per file), and the seller's name for
the Factur-X corpora, so the many renderings of one invoice (several ZUGFeRD versions or
profiles) all fall on the same side. The synthetic corpus is split by layout family instead
(see bench/invoice_forge.py). Each field prints `full% (hits/n) | held-out% (hits/n)`.
`--verbose` lists misses of the tuning part only (held-out misses stay hidden unless
`--show-held-out` is given: do not write rules from them).

For each corpus: median and p95 seconds per page, CPU seconds next to wall seconds (on a
shared machine the wall clock also measures the neighbours), and the process's peak memory
(max RSS). OCR runs on one core (see shared/extraction/ocr.py). `--ocr-cache` keeps each
image's OCR boxes in var/ocr-pages/ (keyed by the pixels) so that tuning the field rules does
not re-run OCR; timings are meaningless with it. `--turn 90|180|270` turns every image
first, as a scan fed the wrong way or a photo without its EXIF orientation (fields should
read as upright; an upright page's timing is the one that counts for the speed bars).
`--as-scan DPI` reads each PDF as a scanner gives it back (every page rendered at DPI, a
greyscale JPEG per page in a PDF, OCR, no text layer):
`--corpus synthetic --as-scan 150` measures the invoice rules on OCR'd invoices of every
forge family, beyond the four invoice2data renders.

Normalisation: amounts compared as Decimal; dates as ISO dates (SROIE truth is "as printed"
and is parsed day-first); names compared upper-case on letters and digits only (a German key
or an invoice2data issuer is a short merchant name, counted when contained in ours; a
Factur-X seller printed on several lines counts when ours equals a run of its lines);
a trailing legal form is ignored on both sides; invoice numbers compared without spaces and
a leading '#', case-insensitive; amounts of credit notes compared by absolute value (the XML
states them positive, the page often prints them negative). Supplier VAT is
scored when printed and valid (`supplier_vat`) and, separately, when printed with a sample or
invalid checksum (`supplier_vat_sample`: reported, flagged with a low confidence).
"""

from __future__ import annotations

import argparse
import hashlib
import importlib
import io
import json
import os
import re
import resource
import statistics
import sys
import time
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from shared import limits  # noqa: E402
from shared.extraction import ocr, pipeline  # noqa: E402
from shared.extraction.layout import Box  # noqa: E402
from shared.extraction.model import ExtractedDocument, OwnParty  # noqa: E402
from shared.extraction.ocr import OcrPage  # noqa: E402
from shared.extraction.parsing import find_dates  # noqa: E402
from shared.extraction.pipeline import extract  # noqa: E402

CORPUS = (ROOT / ".." / "shared" / "corpus").resolve()
OCR_CACHE = ROOT / "var" / "ocr-pages"
# Part of the cache's key: raised when the OCR step reads the same pixels otherwise (2: the
# spaces read inside letter-spaced words taken out; 5: the recogniser cut to Latin-script
# characters), so that boxes kept by an older reading are not reused.
OCR_CACHE_VERSION = 5
# `OCR_INT8=off|wide|all` (default wide, as deployed): which pages the 8-bit recogniser reads
# (shared/extraction/recogniser_int8.py); boxes read otherwise are kept under keys of their own.
ocr.configure(int8=os.environ.get("OCR_INT8", "wide"))
FORGE_DIR = ROOT / "var" / "forge"
RECEIPT_FORGE_DIR = ROOT / "var" / "receipt-forge"
CORPORA = [
    "sroie",
    "de",
    "invoice2data",
    "invoice2data_png",
    "facturx",
    "facturx_text",
    "facturx_stripped",
    "synthetic",
    "receipts_synthetic",
]
DEFAULT = ["sroie", "de", "invoice2data", "facturx", "facturx_text", "facturx_stripped"]
DEFAULT += ["synthetic"]  # kept out of the real corpora's aggregate below
FORGE_SEED, FORGE_N = 1, 200
RECEIPT_FORGE_SEED, RECEIPT_FORGE_N = 1, 120
TEXT_LAYER_INVOICES = ("invoice2data", "facturx_text", "facturx_stripped")


def held_out(group: str) -> bool:
    """The fixed held-out split: about 30% of groups, by a hash of the group key."""
    return hashlib.sha256(group.encode()).digest()[0] % 10 < 3


@dataclass
class Sample:
    path: Path
    truth: dict[str, object]  # field -> normalised expected value
    group: str = ""
    held: bool | None = None  # set when the corpus has its own split (synthetic families)
    own: OwnParty | None = None  # the organisation the file was sent to, as the caller knows it

    @property
    def held_out(self) -> bool:
        return held_out(self.group) if self.held is None else self.held


@dataclass
class Result:
    hits: dict[tuple[str, bool], int] = field(default_factory=dict)
    totals: dict[tuple[str, bool], int] = field(default_factory=dict)
    fields: list[str] = field(default_factory=list)
    seconds_per_page: list[float] = field(default_factory=list)
    cpu_seconds_per_page: list[float] = field(default_factory=list)
    image_page_seconds: list[tuple[float, float]] = field(default_factory=list)  # (wall, CPU)
    misses: list[str] = field(default_factory=list)
    samples: int = 0
    held_out_samples: int = 0

    def count(self, name: str, held: bool, ok: bool) -> None:
        if name not in self.fields:
            self.fields.append(name)
        for key in ((name, False), (name, True)) if held else ((name, False),):
            self.totals[key] = self.totals.get(key, 0) + 1
            self.hits[key] = self.hits.get(key, 0) + int(ok)

    def score(
        self, name: str, expected: object, doc, corpus: str, held: bool = False
    ) -> str | None:
        """Counts one field of `doc`: None when read right, else what was read instead."""
        got = observed(doc, name)
        ok = matches(name, expected, got, corpus)
        self.count(name, held, ok)
        return None if ok else f"{name} expected {expected!r} got {got!r}"

    def figure(self, name: str, held: bool) -> str:
        n = self.totals.get((name, held), 0)
        if not n:
            return "   -          "
        hits = self.hits[(name, held)]
        return f"{100 * hits / n:5.1f}% ({hits}/{n})"


def _money(raw: object) -> Decimal | None:
    if raw is None:
        return None
    text = re.sub(r"[^\d.,-]", "", str(raw))
    if "," in text and "." not in text:
        text = text.replace(",", ".")
    text = text.replace(",", "")
    try:
        return Decimal(text).quantize(Decimal("0.01"))
    except InvalidOperation:
        return None


def _name(raw: object) -> str:
    return re.sub(r"[^A-Z0-9]", "", str(raw or "").upper())


def _number(raw: object) -> str:
    return re.sub(r"\s", "", str(raw or "")).lstrip("#").upper()


def _date(raw: object) -> str | None:
    if raw is None:
        return None
    found = find_dates(str(raw))
    if not found and re.fullmatch(r"\d{8}", str(raw).strip()):
        # A key written as the receipt prints it, its separators left out ("25032018").
        text = str(raw).strip()
        found = find_dates(f"{text[:2]}/{text[2:4]}/{text[4:]}")
    return found[0].value.isoformat() if found else None


def _seller_group(name: str) -> str:
    """Group key of a seller: its last printed line, letters and digits only."""
    return re.sub(r"[^a-z0-9]", "", name.strip().split("\n")[-1].lower())


def _drop_none(expected: dict[str, object]) -> dict[str, object]:
    return {k: v for k, v in expected.items() if v is not None and v != ""}


def load(corpus: str) -> list[Sample]:
    samples: list[Sample] = []
    if corpus in ("sroie", "de"):
        base = CORPUS / "receipts" / corpus
        for key in sorted((base / "key").glob("*.json")):
            truth = json.loads(key.read_text())
            image = next((base / "img").glob(key.stem + ".*"))
            expected: dict[str, object] = {
                "total": _money(truth["total"]),
                "date": _date(truth["date"]),
            }
            expected["company" if corpus == "sroie" else "merchant"] = _name(truth["company"])
            samples.append(Sample(image, expected, key.stem))
    elif corpus in ("invoice2data", "invoice2data_png"):
        base = CORPUS / "invoices" / "invoice2data"
        ext = ".pdf" if corpus == "invoice2data" else ".png"
        for key in sorted(base.glob("*.json")):
            path = key.with_suffix(ext)
            if not path.exists():
                continue
            truth = json.loads(key.read_text())[0]
            amount = _money(truth.get("amount"))
            expected = {
                "total": amount,
                "date": truth.get("date"),
                "invoice_number": _number(truth.get("invoice_number")),
                "supplier_name": truth.get("issuer"),
                "currency": truth.get("currency"),
                "document_type": "credit_note" if amount is not None and amount < 0 else "invoice",
            }
            samples.append(Sample(path, _drop_none(expected), key.stem))
    elif corpus in ("facturx", "facturx_text"):
        base = CORPUS / "invoices" / "facturx"
        for key in sorted(base.glob("*.json")):
            truth = json.loads(key.read_text())[0]
            total = _money(truth.get("amount"))
            expected = {
                "total": total,
                "amount_due": _money(truth.get("amount_due")),
                "date": truth.get("date"),
                "invoice_number": _number(truth.get("invoice_number")),
                "currency": truth.get("currency"),
                "supplier_name": truth.get("seller_name"),
                "supplier_vat": truth.get("seller_vat"),
                "document_type": "credit_note"
                if truth.get("doc_type") in ("381", "396", "261", "262", "532")
                or (total is not None and total < 0)
                else "invoice",
            }
            # VAT as the page prints it, or as the XML states it.
            expected["vat_total"] = _money(truth.get("amount_tax"))
            group = _seller_group(str(truth.get("seller_name") or key.stem))
            samples.append(Sample(key.with_suffix(".pdf"), _drop_none(expected), group))
    elif corpus == "facturx_stripped":
        base = CORPUS / "invoices" / "facturx-stripped"
        for key in sorted(base.glob("*.json")):
            truth = json.loads(key.read_text())
            visible = truth.get("visible_in_text", {})
            expected = {
                "total": _money(truth.get("grand_total")) if visible.get("grand_total") else None,
                "amount_due": _money(truth.get("due_payable"))
                if visible.get("grand_total")
                else None,
                "date": truth.get("issue_date") if visible.get("issue_date") else None,
                "invoice_number": _number(truth.get("invoice_number"))
                if visible.get("invoice_number")
                else None,
                "supplier_name": truth.get("seller_name") if visible.get("seller_name") else None,
                "document_type": truth.get("document_type"),
            }
            if truth.get("seller_vat") and visible.get("seller_vat"):
                vat_field = (
                    "supplier_vat" if truth.get("seller_vat_checksum_ok") else "supplier_vat_sample"
                )
                expected[vat_field] = truth["seller_vat"]
            group = _seller_group(truth.get("seller_name") or key.stem)
            samples.append(Sample(key.with_suffix(".pdf"), _drop_none(expected), group))
    elif corpus == "synthetic":
        samples = _load_synthetic(FORGE_SEED, FORGE_N)
    elif corpus == "receipts_synthetic":
        samples = _load_receipts_synthetic(RECEIPT_FORGE_SEED, RECEIPT_FORGE_N)
    else:
        raise SystemExit(f"unknown corpus {corpus!r}")
    return samples


def _forged(forge_module: str, directory: Path, seed: int, n: int) -> Path:
    """The folder of `forge_module`'s files for (seed, n), forged on first use and again
    whenever the forge's source changes (its hash names the folder)."""
    if str(ROOT / "bench") not in sys.path:
        sys.path.insert(0, str(ROOT / "bench"))
    forge = importlib.import_module(forge_module)
    version = hashlib.sha256(Path(forge.__file__).read_bytes()).hexdigest()[:8]
    base = directory / f"seed{seed}-n{n}-{version}"
    if not (base / "truth.json").exists():
        forge.forge(base, seed, n)
    return base


def _load_synthetic(seed: int, n: int) -> list[Sample]:
    """Forge the synthetic invoices once per (seed, n, forge source) into var/forge/."""
    base = _forged("invoice_forge", FORGE_DIR, seed, n)
    samples = []
    for truth in json.loads((base / "truth.json").read_text()):
        expected: dict[str, object] = {
            "total": _money(truth["grand_total"]),
            "amount_due": _money(truth["amount_due"]),
            "date": truth["issue_date"],
            "invoice_number": _number(truth["invoice_number"]),
            "supplier_name": truth["supplier_name"],
            "supplier_vat": truth["supplier_vat"],
            "currency": truth["currency"],
            "document_type": truth["document_type"],
            "vat_total": _money(truth.get("vat_total")),
        }
        own = OwnParty(
            name=truth["buyer_name"], vat=truth["buyer_vat"], siren=truth.get("buyer_siren")
        )
        samples.append(
            Sample(
                base / truth["file"],
                _drop_none(expected),
                truth["family_name"],
                held=truth["held_out"],
                own=own,
            )
        )
    return samples


def _load_receipts_synthetic(seed: int, n: int) -> list[Sample]:
    """Forge the synthetic receipt images once per (seed, n, forge source) into
    var/receipt-forge/; the truth is scored like SROIE (total, date, company)."""
    base = _forged("receipt_forge", RECEIPT_FORGE_DIR, seed, n)
    samples = []
    for truth in json.loads((base / "truth.json").read_text()):
        expected: dict[str, object] = {
            "total": _money(truth["total"]),
            "date": truth["date"],
            "company": _name(truth["merchant"]),
        }
        samples.append(
            Sample(base / truth["file"], expected, truth["family_name"], held=truth["held_out"])
        )
    return samples


def observed(doc: ExtractedDocument | None, name: str) -> object:
    if doc is None:
        return None
    if name == "total":
        return doc.total
    if name == "amount_due":
        return doc.amount_due
    if name == "vat_total":
        return sum(doc.vat_amounts.values(), Decimal(0)) if doc.vat_amounts else None
    if name == "date":
        return doc.issue_date.isoformat() if doc.issue_date else None
    if name in ("company", "merchant"):
        return _name(doc.supplier_name)
    if name == "invoice_number":
        return _number(doc.invoice_number)
    if name == "currency":
        return doc.currency
    if name == "supplier_name":
        return doc.supplier_name
    if name in ("supplier_vat", "supplier_vat_sample"):
        return doc.supplier_vat
    if name == "document_type":
        return doc.document_type
    raise KeyError(name)


_LEGAL_TAIL = re.compile(
    r"(?:GMBH|AG|KG|SARL|SAS|SA|SL|BV|NV|LTD|LIMITED|INC|LLC|PLC|SE|COKG|GMBHCOKG)$"
)


def _name_core(raw: object) -> str:
    """Letters and digits, upper case, without a trailing legal form ("Au bon moulin SARL" is
    printed where the XML says "Au bon moulin")."""
    return _LEGAL_TAIL.sub("", _name(raw)) or _name(raw)


def matches(name: str, expected: object, got: object, corpus: str) -> bool:
    if name in ("total", "amount_due", "vat_total") and isinstance(expected, Decimal):
        # Credit notes: the XML states them positive, the page often prints them negative.
        return isinstance(got, Decimal) and abs(got) == abs(expected)
    if name == "merchant":
        return bool(expected) and str(expected) in str(got or "")
    if name == "supplier_name":
        ours = _name(got)
        if not ours:
            return False
        # The key is a short issuer name ("Flipkart", "OYO"), on the PDFs and their renders.
        if corpus.startswith("invoice2data"):
            return _name(expected) in ours or ours in _name(expected)
        lines = [_name(x) for x in str(expected).split("\n")]
        runs = {
            "".join(lines[i:j]) for i in range(len(lines)) for j in range(i + 1, len(lines) + 1)
        }
        return ours in runs or _name_core(got) in {_name_core(run) for run in runs}
    if name in ("supplier_vat", "supplier_vat_sample"):
        return _name(expected) == _name(got)
    return expected == got


# "off" keeps the keys of the boxes read before the 8-bit recogniser existed.
_INT8_SALT = {"off": b"", "wide": b" int8-wide%g" % ocr.INT8_MIN_TEXT_WIDTH, "all": b" int8"}


class _CachedOcr:
    """OCR of each image kept in var/ocr-pages/, keyed by a hash of the pixels: its boxes
    and the frame they are in (`ocr.OcrPage`)."""

    def __init__(self, ocr_page) -> None:
        self.ocr_page = ocr_page
        OCR_CACHE.mkdir(parents=True, exist_ok=True)

    def __call__(self, image) -> OcrPage:
        salt = repr((image.size, OCR_CACHE_VERSION)).encode() + _INT8_SALT[ocr.INT8]
        key = hashlib.sha256(image.tobytes() + salt).hexdigest()[:32]
        path = OCR_CACHE / f"{key}.json"
        if path.exists():
            kept = json.loads(path.read_text())
            boxes = [Box(*row) for row in kept["boxes"]]
            if "frame" in kept:
                return OcrPage(boxes, tuple(kept["frame"]))
            if kept["as_given"]:
                return OcrPage(boxes)
            # (Kept before pages said their frame: read again.)
        page = self.ocr_page(image)
        rows = [[b.text, b.x0, b.y0, b.x1, b.y1, b.score] for b in page.boxes]
        path.write_text(json.dumps({"boxes": rows, "frame": page.frame}))
        return page


def _turned(data: bytes, turn: float) -> bytes:
    """An image file's pixels turned `turn` degrees counter-clockwise, as PNG (no EXIF
    orientation to undo it: a scan fed the wrong way); other files as they are."""
    if not turn:
        return data
    from PIL import Image, UnidentifiedImageError

    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except (UnidentifiedImageError, OSError):
        return data
    out = io.BytesIO()
    # Bicubic, as a camera's own resampling would be: nearest-neighbour jags the strokes.
    turned = image.convert("RGB").rotate(
        turn, resample=Image.Resampling.BICUBIC, expand=True, fillcolor="white"
    )
    turned.save(out, "PNG")
    return out.getvalue()


# A scanned PDF's pages read by OCR: the pipeline's own limit.
SCANNED_PAGES = limits.MAX_OCR_PAGES


def _scanned(data: bytes, dpi: int) -> bytes:
    """A PDF as a scanner gives it back: each page (up to `SCANNED_PAGES`) rendered at `dpi`
    in greyscale, saved as a JPEG and drawn over its page (the text layer gone, read by OCR);
    other files as they are."""
    if not dpi or not data.startswith(b"%PDF"):
        return data
    import pypdfium2 as pdfium

    from tests.unit.extraction.conftest_helpers import jpeg_in_pdf

    pdf = pdfium.PdfDocument(data)
    jpegs = []
    try:
        for index in range(min(len(pdf), SCANNED_PAGES)):
            image = pdf[index].render(scale=dpi / 72, grayscale=True).to_pil()
            out = io.BytesIO()
            image.save(out, "JPEG", quality=85)
            jpegs.append(out.getvalue())
    finally:
        pdf.close()
    return jpeg_in_pdf(*jpegs, dpi=dpi)


def run(
    corpus: str,
    limit: int | None,
    verbose: bool,
    show_held_out: bool,
    only: str | None = None,
    turn: float = 0,
    scan_dpi: int = 0,
) -> Result:
    result = Result()
    samples = load(corpus)[:limit] if limit else load(corpus)
    if only:
        samples = [s for s in samples if only in s.path.name]
    text_only = corpus == "facturx_text"
    real_find_xml = pipeline.find_embedded_xml
    if text_only:
        pipeline.find_embedded_xml = lambda *args, **kwargs: None  # read the printed page
    try:
        for sample in samples:
            data = _turned(_scanned(sample.path.read_bytes(), scan_dpi), turn)
            start, cpu_start = time.perf_counter(), time.process_time()
            extraction = extract(data, source_name=sample.path.name, own=sample.own)
            elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu_start
            result.seconds_per_page.append(elapsed / max(extraction.pages, 1))
            result.cpu_seconds_per_page.append(cpu / max(extraction.pages, 1))
            if (extraction.media_type or "").startswith("image/"):
                result.image_page_seconds.append((elapsed, cpu))
            doc = extraction.documents[0] if extraction.documents else None
            held = sample.held_out
            result.samples += 1
            result.held_out_samples += int(held)
            for name, expected in sample.truth.items():
                miss = result.score(name, expected, doc, corpus, held)
                if miss and (show_held_out or not held):
                    tag = " [held-out]" if held else ""
                    result.misses.append(f"{sample.path.name}{tag}: {miss}")
    finally:
        pipeline.find_embedded_xml = real_find_xml
    if verbose:
        for miss in result.misses:
            print("  miss", miss)
    return result


def _large_page(rows: int = 33_000, columns: int = 10) -> None:
    """A text layer of ~2 million characters (invoice words in random order, shuffled boxes):
    line grouping must stay O(n log n) and the field rules bounded (`MAX_FIELD_LINES`)."""
    import random

    from shared.extraction.fields import extract_fields
    from shared.extraction.layout import group_lines, merge_close_boxes

    rng = random.Random(1)
    words = [
        "Rechnung",
        "Nr.",
        "4711",
        "Werkzeug",
        "GmbH",
        "Total",
        "12,50",
        "Datum",
        "01.02.2026",
        "USt-IdNr",
        "DE136695976",
        "Kunde",
        "Summe",
        "Betrag",
        "IBAN",
    ]
    boxes = []
    for row in range(rows):
        x = 0.0
        for _ in range(columns):
            word = rng.choice(words)
            boxes.append(Box(word, x, 12.0 * row, x + 6 * len(word), 12.0 * row + 10))
            x += 6 * len(word) + 30
    rng.shuffle(boxes)
    chars = sum(len(b.text) for b in boxes)
    start = time.process_time()
    lines = [merge_close_boxes(line) for line in group_lines(boxes)]
    grouped = time.process_time()
    extract_fields(lines, source="pdf_text")
    done = time.process_time()
    print(
        f"large page: {chars:,} characters, {len(boxes):,} boxes, {len(lines):,} lines; "
        f"CPU s grouping {grouped - start:.2f}, fields {done - grouped:.2f}"
    )


def _median_p95(values: list[float]) -> tuple[float, float]:
    if not values:
        return 0.0, 0.0
    ordered = sorted(values)
    return statistics.median(ordered), ordered[
        min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))
    ]


def _print_table(title: str, result: Result) -> None:
    print(
        f"{title}  files {result.samples} (held out {result.held_out_samples})\n"
        f"  {'field':20s} {'full':16s} {'held-out':16s}"
    )
    for name in result.fields:
        print(f"  {name:20s} {result.figure(name, False):16s} {result.figure(name, True):16s}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", action="append", choices=CORPORA)
    parser.add_argument("--limit", type=int, default=None, help="first N files per corpus")
    parser.add_argument("--verbose", action="store_true", help="list misses (tuning part)")
    parser.add_argument("--show-held-out", action="store_true", help="list held-out misses too")
    parser.add_argument(
        "--large-page",
        action="store_true",
        help="time line grouping and field rules on a synthetic 2-million-character page",
    )
    parser.add_argument("--only", default=None, help="files whose name contains this")
    parser.add_argument("--ocr-cache", action="store_true", help="reuse OCR boxes from var/")
    parser.add_argument(
        "--turn",
        type=float,
        default=0,
        help="turn every image this many degrees counter-clockwise first (orientation "
        "and skew robustness: 90, 180, 270, or a photo's tilt such as 8)",
    )
    parser.add_argument(
        "--as-scan",
        type=int,
        default=0,
        metavar="DPI",
        help="read each PDF's first page as a scan: rendered at DPI (150 is a common "
        "scanner setting) and read by OCR, the text layer unused",
    )
    parser.add_argument("--forge-seed", type=int, default=1, help="synthetic corpus seed")
    parser.add_argument("--forge-n", type=int, default=200, help="synthetic corpus size")
    parser.add_argument(
        "--receipt-forge-seed", type=int, default=1, help="receipts_synthetic corpus seed"
    )
    parser.add_argument(
        "--receipt-forge-n", type=int, default=120, help="receipts_synthetic corpus size"
    )
    args = parser.parse_args(argv)
    global FORGE_SEED, FORGE_N, RECEIPT_FORGE_SEED, RECEIPT_FORGE_N
    FORGE_SEED, FORGE_N = args.forge_seed, args.forge_n
    RECEIPT_FORGE_SEED, RECEIPT_FORGE_N = args.receipt_forge_seed, args.receipt_forge_n
    if args.large_page:
        _large_page()
        return 0
    if args.ocr_cache:
        cached = _CachedOcr(pipeline.ocr_page)
        pipeline.ocr_page = cached
    corpora = args.corpus or DEFAULT
    image_pages: list[tuple[float, float]] = []
    invoices = Result()
    for corpus in corpora:
        result = run(
            corpus,
            args.limit,
            args.verbose,
            args.show_held_out,
            args.only,
            args.turn,
            args.as_scan,
        )
        image_pages.extend(result.image_page_seconds)
        _print_table(corpus, result)
        if corpus in TEXT_LAYER_INVOICES and not args.as_scan:
            invoices.samples += result.samples
            invoices.held_out_samples += result.held_out_samples
            for key, n in result.totals.items():
                if key[0] not in invoices.fields:
                    invoices.fields.append(key[0])
                invoices.totals[key] = invoices.totals.get(key, 0) + n
                invoices.hits[key] = invoices.hits.get(key, 0) + result.hits[key]
        wall_median, wall_p95 = _median_p95(result.seconds_per_page)
        cpu_median, cpu_p95 = _median_p95(result.cpu_seconds_per_page)
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"  s/page wall median {wall_median:.2f} p95 {wall_p95:.2f}, "
            f"CPU median {cpu_median:.2f} p95 {cpu_p95:.2f}  |  peak RSS {peak_mb:.0f} MB",
            flush=True,
        )
    if sum(1 for c in corpora if c in TEXT_LAYER_INVOICES) > 1:
        _print_table("text-layer invoices, all sources", invoices)
    if image_pages:
        wall_median, wall_p95 = _median_p95([wall for wall, _ in image_pages])
        cpu_median, cpu_p95 = _median_p95([cpu for _, cpu in image_pages])
        print(
            f"all image pages n={len(image_pages):3d}  s/page wall median {wall_median:.2f} "
            f"p95 {wall_p95:.2f}, CPU median {cpu_median:.2f} p95 {cpu_p95:.2f}",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
