"""Structured e-invoices embedded in PDFs: Factur-X / ZUGFeRD (UN/CEFACT CII) and UBL.

When a PDF carries one, its XML is the truth, so fields are read exactly from it and get
confidence 1.0. The attachment is found with the `factur-x` package (which knows the Factur-X,
ZUGFeRD 1/2 and XRechnung file names); a UBL invoice attached under another name is found by
scanning the PDF's attachments with PDFium. XML is parsed with entities and network off.

Elements are addressed by local name so that ZUGFeRD 1.0 (`CrossIndustryDocument`) and CII
D16B (`CrossIndustryInvoice`) share one code path.

Hostile XML: the attachment is refused above `limits.MAX_XML_BYTES` or nested deeper than
`limits.MAX_XML_DEPTH`; an amount that is not a sane number (`NaN`, `1E+30`, `1E+999999`, a
40-digit string) makes the XML untrustworthy, so `parse_einvoice` returns None and the pipeline
reads the page text instead; a date outside `limits.MIN_DATE..MAX_DATE` is dropped.
"""

from __future__ import annotations

import io
import logging
from datetime import date
from decimal import Decimal

from lxml import etree

from shared import limits

from .model import UNKNOWN_RATE, ExtractedDocument

log = logging.getLogger(__name__)

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)

# UNTDID 1001 codes that mean "credit note" (381 credit note, 396 factored credit note,
# 261 self-billed credit note, 262 consolidated credit note, 532 forwarder's credit note).
_CREDIT_NOTE_CODES = {"381", "396", "261", "262", "532"}


def find_embedded_xml(pdf_bytes: bytes, pdf_doc=None) -> bytes | None:
    """The embedded invoice XML of a PDF, or None. `pdf_doc` is an open PDFium document."""
    try:
        from facturx import get_xml_from_pdf

        # factur-x logs a warning for every PDF without XML; that is the common case here.
        logging.getLogger("factur-x").setLevel(logging.ERROR)
        _name, xml = get_xml_from_pdf(pdf_bytes, check_xsd=False)
        if xml and within_limits(bytes(xml)):
            return bytes(xml)
    except Exception:  # noqa: BLE001 - a broken attachment must not stop text/OCR extraction
        pass
    if pdf_doc is None:
        return None
    try:
        for index in range(pdf_doc.count_attachments()):
            attachment = pdf_doc.get_attachment(index)
            name = attachment.get_name().lower()
            if not name.endswith(".xml"):
                continue
            data = bytes(attachment.get_data())
            if not within_limits(data):
                continue
            root = _parse(data)
            if root is not None and etree.QName(root).localname in ("Invoice", "CreditNote"):
                return data
    except Exception:  # noqa: BLE001 - same reason as above
        return None
    return None


def within_limits(xml: bytes) -> bool:
    """Size and element depth within `shared.limits`, checked by a streaming pass that
    stops at the first element too deep (nothing is kept)."""
    if len(xml) > limits.MAX_XML_BYTES:
        log.warning("embedded XML of %d bytes ignored (limit %d)", len(xml), limits.MAX_XML_BYTES)
        return False
    depth = 0
    try:
        for event, _element in etree.iterparse(
            io.BytesIO(xml),
            events=("start", "end"),
            resolve_entities=False,
            no_network=True,
            huge_tree=False,
        ):
            depth += 1 if event == "start" else -1
            if depth > limits.MAX_XML_DEPTH:
                log.warning("embedded XML nested deeper than %d ignored", limits.MAX_XML_DEPTH)
                return False
    except etree.XMLSyntaxError:
        return False
    return True


class _UnsaneValue(ValueError):
    """An amount in the XML that is not a sane number: the XML is not to be trusted."""


def _parse(data: bytes):
    try:
        return etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError:
        return None


def parse_einvoice(xml: bytes) -> ExtractedDocument | None:
    """Fields of a CII or UBL invoice, or None if the XML is neither, is out of bounds, or
    states an amount that is not a sane number (the caller then reads the page text)."""
    if not within_limits(xml):
        return None
    root = _parse(xml)
    if root is None:
        return None
    name = etree.QName(root).localname
    try:
        if name in ("CrossIndustryInvoice", "CrossIndustryDocument"):
            doc = _parse_cii(root)
        elif name in ("Invoice", "CreditNote"):
            doc = _parse_ubl(root, credit=name == "CreditNote")
        else:
            return None
    except _UnsaneValue as exc:
        log.warning("embedded e-invoice ignored: %s", exc)
        return None
    for attribute in (
        "supplier_name",
        "customer_name",
        "invoice_number",
        "supplier_vat",
        "customer_vat",
        "supplier_siren",
        "supplier_iban",
        "currency",
    ):
        setattr(doc, attribute, limits.clip_text(getattr(doc, attribute)))
    doc.text_source = "einvoice"
    doc.confidence = {key: 1.0 for key in _present_fields(doc)}
    return doc


def _present_fields(doc: ExtractedDocument) -> list[str]:
    names = [
        "document_type",
        "supplier_name",
        "supplier_vat",
        "supplier_siren",
        "supplier_iban",
        "customer_name",
        "customer_vat",
        "issue_date",
        "due_date",
        "total",
        "amount_due",
        "currency",
        "invoice_number",
    ]
    present = [n for n in names if getattr(doc, n) is not None]
    if doc.vat_amounts:
        present.append("vat_amounts")
    return present


def _x(node, path: str) -> list:
    """Elements under `node` along a '/'-separated path of local names ('//' = any depth)."""
    parts = []
    for step in path.split("/"):
        if step == "":
            parts.append("/")
            continue
        if parts and parts[-1] == "/":
            parts[-1] = f"/descendant-or-self::*[local-name()='{step}']"
        else:
            parts.append(f"/*[local-name()='{step}']")
    return node.xpath("." + "".join(parts))


def _text(node, path: str) -> str | None:
    for element in _x(node, path):
        if element.text and element.text.strip():
            return element.text.strip()
    return None


def _amount(node, path: str, currency: str | None = None) -> Decimal | None:
    elements = _x(node, path)
    # Documents in a foreign currency may repeat an amount in the accounting currency.
    if currency:
        preferred = [e for e in elements if e.get("currencyID") in (None, currency)]
        elements = preferred or elements
    for element in elements:
        if element.text and element.text.strip():
            value = limits.sane_amount(element.text.strip())
            if value is None:
                raise _UnsaneValue(f"{etree.QName(element).localname} is not a sane amount")
            return value
    return None


def _cii_date(node, path: str) -> date | None:
    raw = _text(node, path)
    if not raw:
        return None
    digits = "".join(ch for ch in raw[:32] if ch in "0123456789")
    try:
        return limits.sane_date(date(int(digits[0:4]), int(digits[4:6]), int(digits[6:8])))
    except (ValueError, IndexError):
        return None


def _iso_date(raw: str | None) -> date | None:
    if not raw:
        return None
    try:
        return limits.sane_date(date.fromisoformat(raw[:10]))
    except ValueError:
        return None


def _tax_id(party, scheme: str) -> str | None:
    for element in _x(party, "SpecifiedTaxRegistration/ID"):
        if element.get("schemeID") == scheme and element.text:
            return element.text.strip().replace(" ", "")
    return None


def _rate_key(raw: str | None) -> str:
    if raw is None:
        return UNKNOWN_RATE
    value = limits.sane_amount(raw.strip())
    if value is None:
        return raw.strip()[: limits.MAX_NUMBER_CHARS]
    return format(value.normalize(), "f")


def _parse_cii(root) -> ExtractedDocument:
    doc = ExtractedDocument(document_type="invoice")
    header = (_x(root, "ExchangedDocument") or _x(root, "HeaderExchangedDocument") or [root])[0]
    doc.invoice_number = _text(header, "ID")
    type_code = _text(header, "TypeCode")
    doc.issue_date = _cii_date(header, "IssueDateTime/DateTimeString")
    trade = (_x(root, "/SupplyChainTradeTransaction") or [root])[0]
    seller = (_x(trade, "/SellerTradeParty") or [None])[0]
    buyer = (_x(trade, "/BuyerTradeParty") or [None])[0]
    if seller is not None:
        doc.supplier_name = _text(seller, "Name")
        doc.supplier_vat = _tax_id(seller, "VA")
        legal = _x(seller, "SpecifiedLegalOrganization/ID")
        for element in legal:
            if element.get("schemeID") == "0002" and element.text:
                doc.supplier_siren = element.text.strip().replace(" ", "")[:9]
    if buyer is not None:
        doc.customer_name = _text(buyer, "Name")
        doc.customer_vat = _tax_id(buyer, "VA")
    settlement = (
        _x(trade, "/ApplicableHeaderTradeSettlement")
        or _x(trade, "/ApplicableSupplyChainTradeSettlement")
        or [trade]
    )[0]
    doc.currency = _text(settlement, "InvoiceCurrencyCode")
    summation = (
        _x(settlement, "SpecifiedTradeSettlementHeaderMonetarySummation")
        or _x(settlement, "SpecifiedTradeSettlementMonetarySummation")
        or [settlement]
    )[0]
    doc.total = _amount(summation, "GrandTotalAmount", doc.currency)
    doc.amount_due = _amount(summation, "DuePayableAmount", doc.currency)
    for tax in _x(settlement, "ApplicableTradeTax"):
        amount = _amount(tax, "CalculatedAmount", doc.currency)
        rate = _text(tax, "RateApplicablePercent") or _text(tax, "ApplicablePercent")
        if amount is not None:
            key = _rate_key(rate)
            doc.vat_amounts[key] = doc.vat_amounts.get(key, Decimal(0)) + amount
    if not doc.vat_amounts:
        # The MINIMUM profile only states the total tax, without a breakdown by rate.
        tax_total = _amount(summation, "TaxTotalAmount", doc.currency)
        if tax_total is not None:
            doc.vat_amounts[UNKNOWN_RATE] = tax_total
    doc.due_date = _cii_date(
        settlement, "SpecifiedTradePaymentTerms/DueDateDateTime/DateTimeString"
    )
    iban = _text(
        settlement, "SpecifiedTradeSettlementPaymentMeans/PayeePartyCreditorFinancialAccount/IBANID"
    )
    doc.supplier_iban = iban.replace(" ", "") if iban else None
    if type_code in _CREDIT_NOTE_CODES or (doc.total is not None and doc.total < 0):
        doc.document_type = "credit_note"
    if doc.total is not None:
        doc.candidate_totals = [doc.total]
        if doc.amount_due is not None and doc.amount_due != doc.total:
            doc.candidate_totals.append(doc.amount_due)
    return doc


def _parse_ubl(root, *, credit: bool) -> ExtractedDocument:
    doc = ExtractedDocument(document_type="credit_note" if credit else "invoice")
    doc.invoice_number = _text(root, "ID")
    doc.issue_date = _iso_date(_text(root, "IssueDate"))
    doc.due_date = _iso_date(_text(root, "DueDate")) or _iso_date(
        _text(root, "PaymentMeans/PaymentDueDate")
    )
    doc.currency = _text(root, "DocumentCurrencyCode")
    type_code = _text(root, "InvoiceTypeCode") or _text(root, "CreditNoteTypeCode")
    supplier = (_x(root, "AccountingSupplierParty/Party") or [None])[0]
    customer = (_x(root, "AccountingCustomerParty/Party") or [None])[0]
    if supplier is not None:
        doc.supplier_name = _text(supplier, "PartyLegalEntity/RegistrationName") or _text(
            supplier, "PartyName/Name"
        )
        doc.supplier_vat = _text(supplier, "PartyTaxScheme/CompanyID")
        legal_id = _x(supplier, "PartyLegalEntity/CompanyID")
        if legal_id and legal_id[0].get("schemeID") == "0002" and legal_id[0].text:
            doc.supplier_siren = legal_id[0].text.strip().replace(" ", "")[:9]
    if customer is not None:
        doc.customer_name = _text(customer, "PartyLegalEntity/RegistrationName") or _text(
            customer, "PartyName/Name"
        )
        doc.customer_vat = _text(customer, "PartyTaxScheme/CompanyID")
    totals = (_x(root, "LegalMonetaryTotal") or [root])[0]
    doc.total = _amount(totals, "TaxInclusiveAmount", doc.currency)
    doc.amount_due = _amount(totals, "PayableAmount", doc.currency)
    for subtotal in _x(root, "TaxTotal/TaxSubtotal"):
        amount = _amount(subtotal, "TaxAmount", doc.currency)
        rate = _text(subtotal, "TaxCategory/Percent")
        if amount is not None:
            key = _rate_key(rate)
            doc.vat_amounts[key] = doc.vat_amounts.get(key, Decimal(0)) + amount
    iban = _text(root, "PaymentMeans/PayeeFinancialAccount/ID")
    doc.supplier_iban = iban.replace(" ", "") if iban else None
    if type_code in _CREDIT_NOTE_CODES:
        doc.document_type = "credit_note"
    if doc.total is not None:
        doc.candidate_totals = [doc.total]
        if doc.amount_due is not None and doc.amount_due != doc.total:
            doc.candidate_totals.append(doc.amount_due)
    return doc
