"""Pennylane supplier-invoice import against a local Pennylane API v2, with faults."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from shared.destinations.base import ReconnectNeeded
from shared.destinations.parcel import Parcel
from shared.destinations.partner_factory import open_sender, validate, validate_params
from shared.domain.partners import ExtensionKind, PartnerInvalid
from tests.fakes.http_server import ThreadedServer
from tests.fakes.pennylane import PREFIX, FakePennylane

FAST = {"max_attempts": 4, "base_delay": 0.0, "max_delay": 0.0}


@pytest.fixture
def pennylane() -> Iterator[tuple[FakePennylane, str]]:
    fake = FakePennylane()
    with ThreadedServer(fake) as server:
        yield fake, server.base_url + PREFIX


def parcel(
    key: str = "doc1:act1", doc_type: str = "AP", data: bytes = b"%PDF-1.7 invoice"
) -> Parcel:
    index = {
        "doc_type": doc_type,
        "date": "2026-11-28",
        "supplier": "Papeterie Lyon",
        "number": "F-77",
        "total": "22.55",
        "vat": "2.55",
        "vat_rates": {"20": "2.00", "5.5": "0.55"},
        "currency": "EUR",
    }
    return Parcel(key, ("Invoice_import",), "F-77.pdf", data, "application/pdf", index)


def send(url: str, p: Parcel, token: str = "pl-token", client: str = "pl-company-9") -> str:
    settings = {"software": "pennylane", "base_url": url, "retry": FAST}
    with open_sender(
        ExtensionKind.ACCOUNTING, settings, {"token": token}, {"external_id": client}
    ) as sender:
        return sender.send(p)


def test_a_supplier_invoice_is_imported_with_its_pdf_and_exact_amounts(pennylane):
    fake, url = pennylane
    invoice_id = send(url, parcel())
    (invoice,) = fake.company("pl-company-9")["invoices"]
    assert str(invoice["id"]) == invoice_id and invoice["external_reference"] == "doc1:act1"
    assert invoice["currency_amount"] == "22.55" and invoice["currency_tax"] == "2.55"
    assert {line["vat_rate"] for line in invoice["invoice_lines"]} == {"FR_200", "FR_55"}
    assert fake.company("pl-company-9")["suppliers"][0]["name"] == "Papeterie Lyon"
    assert fake.companies.keys() == {"pl-company-9"}  # the client's company only


def test_a_resend_after_a_lost_answer_adopts_the_first_import(pennylane):
    fake, url = pennylane
    fake.faults.inject(502, methods=["POST"], after_processing=True)  # the supplier creation
    fake.faults.inject(429)
    first = send(url, parcel())
    assert send(url, parcel()) == first
    assert len(fake.company("pl-company-9")["invoices"]) == 1
    assert len(fake.company("pl-company-9")["suppliers"]) == 1  # found again, not created twice


def test_a_lost_import_answer_is_adopted_not_refused_as_a_duplicate_pdf(pennylane):
    fake, url = pennylane
    fake.lose_import_answers = 1
    invoice_id = send(url, parcel())
    (invoice,) = fake.company("pl-company-9")["invoices"]  # not refused as the same PDF twice
    assert str(invoice["id"]) == invoice_id


def test_sales_documents_are_not_imported_as_supplier_invoices(pennylane):
    fake, url = pennylane
    assert send(url, parcel(doc_type="AR")).startswith("not imported")
    assert fake.companies == {}


def test_a_refused_token_needs_a_person(pennylane):
    _fake, url = pennylane
    with pytest.raises(ReconnectNeeded):
        send(url, parcel(), token="wrong")


def test_settings_and_client_identifiers_are_checked_when_saved():
    with pytest.raises(PartnerInvalid):
        validate(ExtensionKind.ACCOUNTING, {"software": "other"}, {"token": "t"})
    with pytest.raises(PartnerInvalid):
        validate_params(ExtensionKind.ACCOUNTING, {})
    with pytest.raises(PartnerInvalid):
        validate_params(
            ExtensionKind.ACCOUNTING, {"external_id": "x", "path": "{document_id}.{ext}"}
        )
