"""Text-layer reading measured on e-invoices from sources outside ../shared.

    python bench/einvoice_sources.py DIR [DIR...]

Every PDF under the folders that embeds a Factur-X / ZUGFeRD (CII) XML, or that was printed
from the XML beside it (`NAME.xml` next to `NAME.pdf`, CII or UBL: `render_einvoices.py`),
is read twice: its XML by the `factur-x` package and lxml (an independent reader: the
truth), and its printed page by our engine with the embedded XML ignored, as if the
supplier had sent the PDF alone (`--as-scan DPI`: printed and scanned, read by OCR). A hash
of the file name seals half of the files: their figures print apart and `--verbose` never
lists their misses.
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
@ 6246f77a and stafyniaksacha/facturx @ c4629a97); session 30 printed the EN 16931 and
XRechnung test invoices with KoSIT's viewer (`render_einvoices.py`: its docstring names the
repositories), once through Chromium (the HTML viewer, a tuning set since) and once through
FOP (the visualization's PDF layout, not read); figures in README. Session 33 read the test
PDFs of ahelmberger/factur-x-kit @ f610e4c8, itext/i7js-zugferd @ e60e87b9, akretion/factur-x
@ 5edb9af9, ZUGFeRD/mustangproject @ 096db40a and horstoeko/zugferd @ 50e16a12 (7 new files). A sample whose XML
states no calendar day (20250230) has no issue date to read.
"""

from __future__ import annotations

import argparse
import hashlib
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

UBL = {
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
}
UBL_ROOTS = {
    "{urn:oasis:names:specification:ubl:schema:xsd:Invoice-2}Invoice",
    "{urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2}CreditNote",
}
RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
RSM = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
NS = {"ram": RAM, "rsm": RSM}
CREDIT_NOTE_CODES = {"381", "396", "261", "262", "532"}


def _text(tree: etree._Element, path: str) -> str | None:
    found = tree.xpath(path, namespaces=NS)
    return (found[0].text or "").strip() if found else None


def truth_of(xml: bytes) -> dict[str, object] | None:
    """The fields of a CII or UBL invoice (None for another syntax)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    tree = etree.fromstring(xml, parser)
    if tree.tag in UBL_ROOTS:
        return _ubl_truth(tree)
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


def _ubl_truth(tree: etree._Element) -> dict[str, object]:
    def text(path: str) -> str | None:
        found = tree.xpath(path, namespaces=UBL)
        return (found[0].text or "").strip() if found else None

    seller = "cac:AccountingSupplierParty/cac:Party"
    currency = text("cbc:DocumentCurrencyCode")
    total = _money(text("cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount"))
    code = text("cbc:InvoiceTypeCode") or text("cbc:CreditNoteTypeCode")
    vat_totals = [
        node
        for node in tree.xpath("cac:TaxTotal/cbc:TaxAmount", namespaces=UBL)
        if node.get("currencyID") in (None, currency)
    ]
    return {
        "total": total,
        "amount_due": _money(text("cac:LegalMonetaryTotal/cbc:PayableAmount")),
        "date": _calendar_date((text("cbc:IssueDate") or "").replace("-", "")),
        "invoice_number": text("cbc:ID"),
        "supplier_name": text(f"{seller}/cac:PartyLegalEntity/cbc:RegistrationName"),
        "supplier_vat": text(
            f"{seller}/cac:PartyTaxScheme[cac:TaxScheme/cbc:ID='VAT']/cbc:CompanyID"
        ),
        "currency": currency,
        "vat_total": _money((vat_totals[0].text or "").strip()) if vat_totals else None,
        "document_type": "credit_note"
        if tree.tag.endswith("CreditNote")
        or code in CREDIT_NOTE_CODES
        or (total is not None and total < 0)
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
        f"{day.day}.{day.month}.{y}",
        f"{day.day}/{day.month}/{y}",
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


def _truth_for(path: Path, data: bytes) -> dict[str, object] | None:
    """From the XML the PDF was printed from (`NAME.xml` beside it), else its embedded one."""
    source = path.with_suffix(".xml")
    try:
        if source.exists():
            return truth_of(source.read_bytes())
        _, xml = get_xml_from_pdf(data, check_xsd=False)
        return truth_of(xml) if xml else None
    except Exception:  # noqa: BLE001 - a file the readers cannot open has no truth
        return None


def sealed(stem: str) -> bool:
    """The sealed half: fixed by the file name, never by what the engine reads; its misses
    are never listed."""
    return hashlib.sha256(stem.encode()).digest()[0] % 2 == 0


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
    parser.add_argument(
        "--unseal",
        action="store_true",
        help="with --verbose, list the sealed half's misses too (its figures are no longer "
        "unseen: say so where they are reported, and find new sources to measure on)",
    )
    parser.add_argument("--ocr-cache", action="store_true", help="reuse OCR boxes from var/")
    args = parser.parse_args(argv)
    if args.ocr_cache:
        cached = _CachedOcr(pipeline.ocr_page)
        pipeline.ocr_page = cached
    known, seen = shared_invoices(), set()
    skipped = {"no XML": 0, "in ../shared": 0, "repeat": 0}
    result = Result()
    pipeline.find_embedded_xml = lambda *args, **kwargs: None  # read the printed page
    for path in pdfs(args.folders):
        data = path.read_bytes()
        truth = _truth_for(path, data)
        if truth is None:
            skipped["no XML"] += 1
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
        held = sealed(path.stem)
        result.samples += 1
        result.held_out_samples += int(held)
        for name, expected in truth.items():
            if expected in (None, "") or not visible(name, expected, page, squeezed):
                continue
            if name == "invoice_number":
                expected = _number(expected)
            if name == "supplier_vat" and not eu_vat.is_valid(str(expected)):
                name = "supplier_vat_sample"  # a sample id (DE123456789): flagged, not dropped
            miss = result.score(name, expected, doc, "facturx", held)
            if miss and args.verbose and (args.unseal or not held):
                print(f"  miss {path.name}: {miss}")
    print(f"files read {result.samples} (sealed {result.held_out_samples}); skipped: {skipped}")
    print(f"  {'field':20s} {'all':16s} sealed half")
    for name in result.fields:
        print(f"  {name:20s} {result.figure(name, False)} {result.figure(name, True)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
