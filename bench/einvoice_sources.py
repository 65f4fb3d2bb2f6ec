"""Text-layer reading measured on e-invoices from sources outside ../shared.

    python bench/einvoice_sources.py DIR [DIR...]

Every PDF under the folders that embeds a Factur-X / ZUGFeRD (CII) XML is read twice: its
XML by the `factur-x` package and lxml (an independent reader: the truth), and its printed
page by our engine with the embedded XML ignored, as if the supplier had sent the PDF alone
(`--as-scan DPI`: printed and scanned, read by OCR).
A field counts only when its value is printed on the page (checked on the text pypdfium2
gives, in the usual spellings of amounts and dates): a sample PDF that prints other values
than its XML says nothing about reading.

Files already in ../shared/corpus (same invoice number and seller as one of its Factur-X
files, in whatever rendering or profile) are skipped, and so are repeats (same number,
seller and grand total). The figures printed before anyone reads a miss (`--verbose`) are
figures on unseen sources; once misses were read, the folder is a tuning set, and new
sources are needed to measure again. Session 13 first ran it on 45 files (18 of them one
seller's, 'LE FOURNISSEUR', the French FNFE samples) and recorded those figures in README
before listing a miss.

This machine has no internet, so the folders are filled by hand from public repositories
(session 13 used stephanstapel/ZUGFeRD-csharp @ 113de424, FacturX-NET/FacturXDotNet @
232ae746, ZUGFeRD/corpus @ 47b61beb (its `fail` folders), easybill/zugferd-php @ 6bd2282f,
Tiime-Software/Factur-X @ 5617f878, jslno/node-zugferd @ 423084b0; session 19 the official
examples in LandrixSoftware/ZUGFeRD-for-Delphi @ 4cb7ec5, `documentation/*/Beispiele|Samples|
Examples`, and ZUGFeRD/quba-viewer @ c2eb3b0, ZUGFeRD/ZUV @ 32c20c5,
TuloSharp/tulo.eInvoiceCreatorZUGFeRD @ 07ac72d; session 20 VALENTINDML/facturx-cas-limites
@ d95c24f4 (French edge cases: rounding, discounts, pro formas, broken XML), Securibox/facturx
@ 6246f77a and stafyniaksacha/facturx @ c4629a97); figures in README. A sample whose XML
states no calendar day (20250230) has no issue date to read.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pypdfium2
from facturx import get_xml_from_pdf
from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from extraction import (  # noqa: E402
    CORPUS,
    Result,
    _CachedOcr,
    _money,
    _name,
    _number,
    _scanned,
)
from stdnum.eu import vat as eu_vat  # noqa: E402

from shared.extraction import pipeline  # noqa: E402
from shared.extraction.pipeline import extract  # noqa: E402

RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
RSM = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
NS = {"ram": RAM, "rsm": RSM}
CREDIT_NOTE_CODES = {"381", "396", "261", "262", "532"}


def _text(tree: etree._Element, path: str) -> str | None:
    found = tree.xpath(path, namespaces=NS)
    return (found[0].text or "").strip() if found else None


def truth_of(xml: bytes) -> dict[str, object] | None:
    """The fields of a CII invoice (None for another syntax)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    tree = etree.fromstring(xml, parser)
    if tree.tag != f"{{{RSM}}}CrossIndustryInvoice":
        return None
    issued = _text(tree, "//rsm:ExchangedDocument/ram:IssueDateTime/*")
    total = _money(
        _text(tree, "//ram:SpecifiedTradeSettlementHeaderMonetarySummation/ram:GrandTotalAmount")
    )
    code = _text(tree, "//rsm:ExchangedDocument/ram:TypeCode")
    return {
        "total": total,
        "amount_due": _money(
            _text(
                tree, "//ram:SpecifiedTradeSettlementHeaderMonetarySummation/ram:DuePayableAmount"
            )
        ),
        "date": _calendar_date(issued),
        "invoice_number": _text(tree, "//rsm:ExchangedDocument/ram:ID"),
        "supplier_name": _text(tree, "//ram:SellerTradeParty/ram:Name"),
        "supplier_vat": _text(
            tree, "//ram:SellerTradeParty/ram:SpecifiedTaxRegistration/ram:ID[@schemeID='VA']"
        ),
        "currency": _text(tree, "//ram:InvoiceCurrencyCode"),
        "vat_total": _tax_total(tree),
        "document_type": "credit_note"
        if code in CREDIT_NOTE_CODES or (total is not None and total < 0)
        else "invoice",
    }


def _tax_total(tree: etree._Element) -> Decimal | None:
    """The VAT total in the invoice's currency (a second one may state it in the currency
    the VAT is accounted in)."""
    currency = _text(tree, "//ram:InvoiceCurrencyCode")
    totals = tree.xpath(
        "//ram:SpecifiedTradeSettlementHeaderMonetarySummation/ram:TaxTotalAmount", namespaces=NS
    )
    for node in totals:
        if node.get("currencyID") in (None, currency):
            return _money((node.text or "").strip())
    return None


def _amount_spellings(value: Decimal) -> set[str]:
    plain = f"{abs(value):.2f}"
    whole, cents = plain.split(".")
    grouped = f"{int(whole):,}"
    return {
        plain,
        f"{whole},{cents}",
        f"{grouped}.{cents}",
        f"{grouped.replace(',', '.')},{cents}",
        f"{grouped.replace(',', ' ')},{cents}",
    }


def _calendar_date(issued: str | None) -> str | None:
    """The XML's issue date (`20250131`) as ISO, or None when it is no calendar day (a sample
    stating 20250230 has no date to read)."""
    if not issued or len(issued) != 8:
        return None
    try:
        return date(int(issued[:4]), int(issued[4:6]), int(issued[6:8])).isoformat()
    except ValueError:
        return None


def _date_spellings(iso: str) -> set[str]:
    day = date.fromisoformat(iso)
    d, m, y = f"{day.day:02d}", f"{day.month:02d}", str(day.year)
    return {
        iso,
        f"{d}.{m}.{y}",
        f"{d}/{m}/{y}",
        f"{d}-{m}-{y}",
        f"{d}.{m}.{y[2:]}",
        f"{d}/{m}/{y[2:]}",
    }


def visible(name: str, value: object, page: str, squeezed: str) -> bool:
    if isinstance(value, Decimal):
        return any(s in page for s in _amount_spellings(value))
    if name == "date":
        return any(s in page for s in _date_spellings(str(value)))
    if name in ("invoice_number", "supplier_vat"):
        return re.sub(r"\s", "", str(value)).upper() in squeezed
    if name == "supplier_name":
        return _name(value) in _name(page)
    return True  # currency and document type: read from the page as a whole


def pdfs(folders: list[Path]) -> Iterator[Path]:
    for folder in folders:
        yield from sorted(p for p in folder.rglob("*") if p.suffix.lower() == ".pdf")


def shared_invoices() -> set[tuple[str, str]]:
    known = set()
    for sub in ("facturx", "facturx-stripped"):
        for key in (CORPUS / "invoices" / sub).glob("*.json"):
            truth = json.loads(key.read_text())
            truth = truth[0] if isinstance(truth, list) else truth
            known.add((_number(truth.get("invoice_number")), _name(truth.get("seller_name"))))
    return known


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument(
        "--verbose", action="store_true", help="list misses (the folder becomes a tuning set)"
    )
    parser.add_argument(
        "--as-scan",
        type=int,
        default=0,
        metavar="DPI",
        help="read each PDF as a scanner gives it back: every page a greyscale JPEG at DPI, "
        "read by OCR (truth still from the XML, visibility from the text layer)",
    )
    parser.add_argument("--ocr-cache", action="store_true", help="reuse OCR boxes from var/")
    args = parser.parse_args(argv)
    if args.ocr_cache:
        cached = _CachedOcr(pipeline.ocr_page)
        pipeline.ocr_page = cached
    known, seen = shared_invoices(), set()
    skipped = {"no CII XML": 0, "in ../shared": 0, "repeat": 0}
    result = Result()
    pipeline.find_embedded_xml = lambda *args, **kwargs: None  # read the printed page
    for path in pdfs(args.folders):
        data = path.read_bytes()
        try:
            _, xml = get_xml_from_pdf(data, check_xsd=False)
            truth = truth_of(xml) if xml else None
        except Exception:  # noqa: BLE001 - a PDF the reader cannot open has no truth
            truth = None
        if truth is None:
            skipped["no CII XML"] += 1
            continue
        ident = (_number(truth["invoice_number"]), _name(truth["supplier_name"]))
        if ident in known:
            skipped["in ../shared"] += 1
            continue
        if (*ident, truth["total"]) in seen:
            skipped["repeat"] += 1
            continue
        seen.add((*ident, truth["total"]))
        pdf = pypdfium2.PdfDocument(data)
        page = "\n".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
        squeezed = re.sub(r"\s", "", page).upper()
        extraction = extract(_scanned(data, args.as_scan), source_name=path.name)
        doc = extraction.documents[0] if extraction.documents else None
        result.samples += 1
        for name, expected in truth.items():
            if expected in (None, "") or not visible(name, expected, page, squeezed):
                continue
            if name == "invoice_number":
                expected = _number(expected)
            if name == "supplier_vat" and not eu_vat.is_valid(str(expected)):
                name = "supplier_vat_sample"  # a sample id (DE123456789): flagged, not dropped
            miss = result.score(name, expected, doc, "facturx")
            if miss and args.verbose:
                print(f"  miss {path.name}: {miss}")
    print(f"files read {result.samples}; skipped: {skipped}")
    for name in result.fields:
        print(f"  {name:20s} {result.figure(name, False)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
