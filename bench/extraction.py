"""Benchmark of the extraction engine on the shared corpora.

    python bench/extraction.py [--corpus sroie|de|invoice2data|invoice2data_png|facturx]...
                               [--limit N] [--verbose]

For each corpus: per-field accuracy after normalisation, median and p95 seconds per page, and
the process's peak memory (max RSS). OCR runs on one core (onnxruntime intra-op threads = 1,
see shared/extraction/ocr.py); CPU seconds (process time) are printed next to wall seconds
because on a shared machine the wall clock also measures the neighbours (CPU seconds rise too,
~10% at a load of 4 on 2 cores: compare runs made under the same load).

Normalisation: amounts compared as Decimal; dates as ISO dates (SROIE truth is "as printed"
and is parsed day-first); names compared upper-case on letters and digits only (a German key
is a short merchant name, counted when contained in ours); invoice numbers compared without
spaces and a leading '#', case-insensitive.
"""

from __future__ import annotations

import argparse
import json
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

from shared.extraction.model import ExtractedDocument  # noqa: E402
from shared.extraction.parsing import find_dates  # noqa: E402
from shared.extraction.pipeline import extract  # noqa: E402

CORPUS = (ROOT / ".." / "shared" / "corpus").resolve()


@dataclass
class Sample:
    path: Path
    truth: dict[str, object]  # field -> normalised expected value


@dataclass
class Result:
    hits: dict[str, int] = field(default_factory=dict)
    totals: dict[str, int] = field(default_factory=dict)
    seconds_per_page: list[float] = field(default_factory=list)
    cpu_seconds_per_page: list[float] = field(default_factory=list)
    image_page_seconds: list[tuple[float, float]] = field(default_factory=list)  # (wall, CPU)
    misses: list[str] = field(default_factory=list)


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
    return found[0].value.isoformat() if found else None


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
            samples.append(Sample(image, expected))
    elif corpus in ("invoice2data", "invoice2data_png"):
        base = CORPUS / "invoices" / "invoice2data"
        ext = ".pdf" if corpus == "invoice2data" else ".png"
        for key in sorted(base.glob("*.json")):
            path = key.with_suffix(ext)
            if not path.exists():
                continue
            truth = json.loads(key.read_text())[0]
            expected = {
                "total": _money(truth.get("amount")),
                "date": truth.get("date"),
                "invoice_number": _number(truth.get("invoice_number")),
                "currency": truth.get("currency"),
            }
            samples.append(Sample(path, {k: v for k, v in expected.items() if v is not None}))
    elif corpus == "facturx":
        base = CORPUS / "invoices" / "facturx"
        for key in sorted(base.glob("*.json")):
            truth = json.loads(key.read_text())[0]
            expected = {
                "total": _money(truth.get("amount")),
                "amount_due": _money(truth.get("amount_due")),
                "vat_total": _money(truth.get("amount_tax")),
                "date": truth.get("date"),
                "invoice_number": _number(truth.get("invoice_number")),
                "currency": truth.get("currency"),
                "supplier_name": truth.get("seller_name"),
                "supplier_vat": truth.get("seller_vat"),
            }
            samples.append(
                Sample(
                    key.with_suffix(".pdf"), {k: v for k, v in expected.items() if v is not None}
                )
            )
    else:
        raise SystemExit(f"unknown corpus {corpus!r}")
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
    if name == "company":
        return _name(doc.supplier_name)
    if name == "merchant":
        return _name(doc.supplier_name)
    if name == "invoice_number":
        return _number(doc.invoice_number)
    if name == "currency":
        return doc.currency
    if name == "supplier_name":
        return doc.supplier_name
    if name == "supplier_vat":
        return doc.supplier_vat
    raise KeyError(name)


def matches(name: str, expected: object, got: object) -> bool:
    if name == "merchant":
        return bool(expected) and str(expected) in str(got or "")
    return expected == got


def run(corpus: str, limit: int | None, verbose: bool) -> Result:
    result = Result()
    samples = load(corpus)[:limit] if limit else load(corpus)
    for sample in samples:
        data = sample.path.read_bytes()
        start, cpu_start = time.perf_counter(), time.process_time()
        extraction = extract(data, source_name=sample.path.name)
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu_start
        result.seconds_per_page.append(elapsed / max(extraction.pages, 1))
        result.cpu_seconds_per_page.append(cpu / max(extraction.pages, 1))
        if (extraction.media_type or "").startswith("image/"):
            result.image_page_seconds.append((elapsed, cpu))
        doc = extraction.documents[0] if extraction.documents else None
        for name, expected in sample.truth.items():
            got = observed(doc, name)
            ok = matches(name, expected, got)
            result.totals[name] = result.totals.get(name, 0) + 1
            result.hits[name] = result.hits.get(name, 0) + int(ok)
            if not ok:
                result.misses.append(
                    f"{sample.path.name}: {name} expected {expected!r} got {got!r}"
                )
    if verbose:
        for miss in result.misses:
            print("  miss", miss)
    return result


def _median_p95(values: list[float]) -> tuple[float, float]:
    if not values:
        return 0.0, 0.0
    ordered = sorted(values)
    return statistics.median(ordered), ordered[
        min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--corpus",
        action="append",
        choices=["sroie", "de", "invoice2data", "invoice2data_png", "facturx"],
    )
    parser.add_argument("--limit", type=int, default=None, help="first N files per corpus")
    parser.add_argument("--verbose", action="store_true", help="list every miss")
    args = parser.parse_args(argv)
    corpora = args.corpus or ["sroie", "de", "invoice2data", "facturx"]
    image_pages: list[tuple[float, float]] = []
    for corpus in corpora:
        result = run(corpus, args.limit, args.verbose)
        image_pages.extend(result.image_page_seconds)
        accuracy = "  ".join(
            f"{name} {100 * result.hits[name] / result.totals[name]:.1f}%"
            f" ({result.hits[name]}/{result.totals[name]})"
            for name in result.totals
        )
        wall_median, wall_p95 = _median_p95(result.seconds_per_page)
        cpu_median, cpu_p95 = _median_p95(result.cpu_seconds_per_page)
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"{corpus:17s} n={len(result.seconds_per_page):3d}  {accuracy}\n"
            f"{'':17s} s/page wall median {wall_median:.2f} p95 {wall_p95:.2f}, "
            f"CPU median {cpu_median:.2f} p95 {cpu_p95:.2f}  |  peak RSS {peak_mb:.0f} MB",
            flush=True,
        )
    if image_pages:
        wall_median, wall_p95 = _median_p95([wall for wall, _ in image_pages])
        cpu_median, cpu_p95 = _median_p95([cpu for _, cpu in image_pages])
        print(
            f"{'all image pages':17s} n={len(image_pages):3d}  s/page wall median {wall_median:.2f} "
            f"p95 {wall_p95:.2f}, CPU median {cpu_median:.2f} p95 {cpu_p95:.2f}",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
