"""Documents through the API over real HTTP: upload with the intake rules, listing with
status and match, invoices awaiting payment, attach and detach by hand (a person's
decision wins), learned aliases. The processor runs behind Pub/Sub, as in production."""

from __future__ import annotations

import base64
import io
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from PIL import Image

from local.feed import account_event, transaction_event
from local.samples import receipt_pdf, text_pdf
from shared import runtime
from shared.domain.entities import Document, DocumentStatus, Role
from shared.domain.money import Money
from shared.store.dropzone import DropzoneRepository, InvoiceStatus, SupplierInvoice
from shared.store.manual_matches import LearnedAlias, ManualMatchStore
from shared.usecases.rematch import rematch_organization
from tests.api_client import ApiClient
from tests.e2e.helpers import approved_messages, wait_until
from tests.integration.api.conftest import ORG_A, ORG_B, member_id
from tests.integration.test_feed import deliver

PARIS = ZoneInfo("Europe/Paris")
OWNER = member_id(ORG_A, Role.OWNER)
EMPLOYEE = member_id(ORG_A, Role.EMPLOYEE)
T0 = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


def upload(client: ApiClient, data: bytes, member: str = EMPLOYEE, org: str = ORG_A) -> Any:
    return client.call(
        "POST",
        f"/organizations/{org}/documents",
        member=member,
        files={"file": ("receipt.pdf", data, "application/pdf")},
    )


def processed(org: str, document_id: str) -> Any:
    def check() -> Any:
        document = runtime.store().get_document(org, document_id)
        return document if document and document.status != DocumentStatus.RECEIVED else None

    return wait_until(check, what="document processed")


def transaction(
    stack: Any, tx_id: str, amount: str, hours: int = 1, status: str = "completed"
) -> None:
    emitted = datetime(2026, 11, 20, 12, 45, tzinfo=PARIS)
    event = transaction_event(
        ORG_A,
        "acc-a",
        tx_id,
        amount,
        "SumUp *Cafe du Coin",
        emitted,
        T0 + timedelta(hours=hours),
        status=status,
        settled_at=emitted + timedelta(days=1) if status == "completed" else None,
    )
    assert deliver(stack, "transactions_feed", event) == 200


def account(stack: Any) -> None:
    assert (
        deliver(
            stack,
            "companies_feed",
            account_event(ORG_A, "acc-a", "FR7630006000011234567890189", T0),
        )
        == 200
    )


def test_upload_follows_the_intake_rules_and_a_second_upload_is_the_same_document(
    client: ApiClient, companies: Any
) -> None:
    first = upload(client, receipt_pdf())
    assert first.status_code == 201 and first.json()["created"] is True
    assert first.json()["source"] == "upload"
    again = upload(client, receipt_pdf())
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    gif = io.BytesIO()
    Image.new("RGB", (8, 8)).save(gif, "GIF")
    refused = upload(client, gif.getvalue())
    assert refused.status_code == 422 and refused.json()["error"]["code"] == "document_refused"
    assert upload(client, b"").status_code == 422
    too_big = upload(client, b"%PDF-1.4\n" + b"0" * (16 * 1024 * 1024))
    assert too_big.status_code == 413
    no_file = client.call("POST", f"/organizations/{ORG_A}/documents", member=EMPLOYEE, json={})
    assert no_file.status_code == 400
    # B's member sees nothing of A's document.
    document_id = first.json()["id"]
    other = client.call(
        "GET",
        f"/organizations/{ORG_A}/documents/{document_id}",
        member=member_id(ORG_B, Role.OWNER),
    )
    assert other.status_code == 403
    mine_in_b = client.call(
        "GET",
        f"/organizations/{ORG_B}/documents/{document_id}",
        member=member_id(ORG_B, Role.OWNER),
    )
    assert mine_in_b.status_code == 404


def test_listing_shows_waiting_then_matched_with_score_and_reasons(
    client: ApiClient, companies: Any, stack: Any
) -> None:
    account(stack)
    document_id = upload(client, receipt_pdf()).json()["id"]
    processed(ORG_A, document_id)
    waiting = client.call("GET", f"/organizations/{ORG_A}/documents?status=waiting", member=OWNER)
    assert [d["id"] for d in waiting.json()["documents"]] == [document_id]
    transaction(stack, "tx-cafe", "42.50")
    wait_until(
        lambda: runtime.store().get_document(ORG_A, document_id).status == DocumentStatus.MATCHED,
        timeout=20,
        what="matched when the transaction arrived",
    )
    listed = client.call("GET", f"/organizations/{ORG_A}/documents", member=OWNER).json()
    (doc,) = listed["documents"]
    assert doc["status"] == "matched" and doc["transaction_id"] == "tx-cafe"
    assert doc["match_score"] > 0 and doc["match_reasons"] and doc["match_source"] == "engine"
    bad = client.call("GET", f"/organizations/{ORG_A}/documents?status=lost", member=OWNER)
    assert bad.status_code == 400


def test_attach_by_hand_wins_teaches_an_alias_and_detach_is_never_undone(
    client: ApiClient, companies: Any, stack: Any
) -> None:
    account(stack)
    document_id = upload(client, receipt_pdf()).json()["id"]
    processed(ORG_A, document_id)
    runtime.store().db.document(f"organizations/{ORG_A}/documents/{document_id}").update(
        {"supplier_name": "Café du Coin"}
    )
    transaction(stack, "tx-other", "40.00")  # the engine would not pick this one
    approved = approved_messages(stack, "api-test-attach")
    path = f"/organizations/{ORG_A}/documents/{document_id}"
    assert (
        client.call(
            "POST", path + "/attach", member=EMPLOYEE, json={"transaction_id": "tx-other"}
        ).status_code
        == 403
    )
    attached = client.call(
        "POST", path + "/attach", member=OWNER, json={"transaction_id": "tx-other"}
    )
    assert attached.status_code == 200
    assert attached.json()["status"] == "matched" and attached.json()["match_source"] == "manual"
    aliases = client.call("GET", f"/organizations/{ORG_A}/matching/aliases", member=EMPLOYEE).json()
    (alias,) = aliases["aliases"]
    assert alias["descriptor"] == "SumUp *Cafe du Coin" and alias["supplier"] == "Café du Coin"
    assert "taught by" in alias["explanation"]
    # A decline does not release a person's attachment.
    transaction(stack, "tx-other", "40.00", hours=2, status="declined")
    assert runtime.store().get_document(ORG_A, document_id).transaction_id == "tx-other"
    # Detached by hand; the matching transaction arrives; the engine may attach it there...
    detached = client.call("POST", path + "/detach", member=OWNER)
    assert detached.status_code == 200 and detached.json()["status"] == "waiting"
    # Each decision is announced: the firms that received the document get its record again.
    assert approved(2) == [{"organization_id": ORG_A, "document_id": document_id}] * 2
    # ...but never to a transaction a person detached it from.
    runtime.store().db.document(f"organizations/{ORG_A}/transactions/tx-other").update(
        {"status": "completed", "amount_minor": -4250}
    )
    rematch_organization(ORG_A, runtime.processor_deps())
    assert runtime.store().get_document(ORG_A, document_id).transaction_id != "tx-other"
    # Aliases are removable (owner, admin, accountant).
    alias_path = f"/organizations/{ORG_A}/matching/aliases/{alias['id']}"
    assert client.call("DELETE", alias_path, member=EMPLOYEE).status_code == 403
    assert client.call("DELETE", alias_path, member=OWNER).status_code == 200
    assert client.call("DELETE", alias_path, member=OWNER).status_code == 404


SUPPLIER_VAT = "FR13812345674"
FACTOR_IBAN = "FR7630004000031234567890143"


def supplier_invoice_pdf(number: str, day: str, total: str) -> bytes:
    return text_pdf(
        [
            [
                "Atelier Nord SARL",
                "12 rue des Forges, 59000 Lille",
                f"TVA intracommunautaire : {SUPPLIER_VAT}",
                f"FACTURE N° {number}",
                f"Date de facture : {day}",
                "Prestation de maintenance",
                f"Total TTC : {total} EUR",
            ]
        ]
    )


def transfer_out(stack: Any, tx_id: str, amount: str, label: str, day: int) -> None:
    emitted = datetime(2026, 11, day, 10, 0, tzinfo=PARIS)
    event = transaction_event(
        ORG_A,
        "acc-a",
        tx_id,
        amount,
        label,
        emitted,
        T0 + timedelta(days=day - 20, hours=1),
        operation_type="transfer",
        settled_at=emitted,
        counterparty_iban=FACTOR_IBAN,
    )
    assert deliver(stack, "transactions_feed", event) == 200


def test_an_alias_taught_by_vat_and_iban_matches_the_next_invoice_paid_from_that_account(
    client: ApiClient, companies: Any, stack: Any
) -> None:
    """A supplier paid through its factor: the debits name the factor, with other words
    each time. Attaching one invoice by hand teaches "the factor's IBAN pays this VAT id",
    which matches the next invoice, with the reason shown."""
    account(stack)
    first = upload(client, supplier_invoice_pdf("AN-1107", "16/11/2026", "120,00")).json()["id"]
    second = upload(client, supplier_invoice_pdf("AN-1131", "18/11/2026", "236,40")).json()["id"]
    processed(ORG_A, first)
    processed(ORG_A, second)
    transfer_out(stack, "tx-factor-1", "120.00", "VIR SEPA FACTO ONE ENCAISSEMENTS", 20)
    transfer_out(stack, "tx-factor-2", "236.40", "PRLV F1 RECOUVREMENT 88120", 21)
    rematch_organization(ORG_A, runtime.processor_deps())
    assert runtime.store().get_document(ORG_A, second).status == DocumentStatus.UNMATCHED

    path = f"/organizations/{ORG_A}/documents/{first}/attach"
    answer = client.call("POST", path, member=OWNER, json={"transaction_id": "tx-factor-1"})
    assert answer.status_code == 200, answer.text
    (alias,) = client.call("GET", f"/organizations/{ORG_A}/matching/aliases", member=OWNER).json()[
        "aliases"
    ]
    assert alias["supplier_vat"] == SUPPLIER_VAT and alias["counterparty_iban"] == FACTOR_IBAN
    assert f"IBAN {FACTOR_IBAN}" in alias["explanation"]
    assert f"VAT {SUPPLIER_VAT}" in alias["explanation"]

    rematch_organization(ORG_A, runtime.processor_deps())
    matched = runtime.store().get_document(ORG_A, second)
    assert matched.status == DocumentStatus.MATCHED and matched.transaction_id == "tx-factor-2"
    assert any("learned from your match of" in reason for reason in matched.match_reasons)


def test_attach_conflicts_are_refused(client: ApiClient, companies: Any, stack: Any) -> None:
    account(stack)
    document_id = upload(client, receipt_pdf()).json()["id"]
    processed(ORG_A, document_id)
    path = f"/organizations/{ORG_A}/documents/{document_id}/attach"
    missing = client.call("POST", path, member=OWNER, json={"transaction_id": "tx-none"})
    assert missing.status_code == 404
    transaction(stack, "tx-declined", "42.50", status="declined")
    declined = client.call("POST", path, member=OWNER, json={"transaction_id": "tx-declined"})
    assert declined.status_code == 409
    bad = client.call("POST", path, member=OWNER, json={"transaction_id": "../x"})
    assert bad.status_code == 400


def test_invoices_awaiting_payment_earliest_due_first(client: ApiClient, companies: Any) -> None:
    repo = DropzoneRepository(runtime.store())
    for doc_id, due, total in (
        ("inv-late", date(2026, 12, 30), "1200.00"),
        ("inv-soon", date(2026, 12, 5), "99.90"),
    ):
        repo.create_supplier_invoice(
            SupplierInvoice(
                doc_id,
                ORG_A,
                "Fournisseur SARL",
                doc_id.upper(),
                date(2026, 11, 20),
                due,
                Money.parse(Decimal(total), "EUR"),
                InvoiceStatus.AWAITING_PAYMENT,
            ),
            T0,
        )
    listed = client.call(
        "GET", f"/organizations/{ORG_A}/documents/awaiting-payment", member=EMPLOYEE
    )
    invoices = listed.json()["invoices"]
    assert [i["document_id"] for i in invoices] == ["inv-soon", "inv-late"]
    assert invoices[0]["total"] == "99.90" and invoices[0]["due_date"] == "2026-12-05"
    other = client.call(
        "GET",
        f"/organizations/{ORG_B}/documents/awaiting-payment",
        member=member_id(ORG_B, Role.OWNER),
    )
    assert other.json()["invoices"] == []


def stored_document(org: str, n: int, received: datetime, status: DocumentStatus) -> str:
    doc_id = f"doc-{n:03}"
    runtime.store().create_document(
        Document(
            id=doc_id,
            organization_id=org,
            source="upload",
            checksum=f"{n:064}",
            storage_uri=f"gs://documents/{doc_id}",
            media_type="application/pdf",
            received_at=received,
            status=status,
        )
    )
    return doc_id


def all_pages(client: ApiClient, path: str, key: str, limit: int) -> tuple[list[str], int]:
    """Every id of a paged listing, following the tokens; and the number of pages."""
    ids: list[str] = []
    token, pages = None, 0
    while True:
        query = f"limit={limit}" + (f"&page_token={token}" if token else "")
        answer = client.call("GET", f"{path}{'&' if '?' in path else '?'}{query}", member=OWNER)
        assert answer.status_code == 200, answer.text
        page = answer.json()
        assert len(page[key]) <= limit
        ids += [item["id"] for item in page[key]]
        pages += 1
        token = page["next_page_token"]
        if token is None:
            return ids, pages


def test_documents_and_aliases_are_listed_a_page_at_a_time_without_loss_or_repeat(
    client: ApiClient, companies: Any
) -> None:
    # 11 documents, three received at the very same instant (ties across a page edge).
    received = [T0 + timedelta(minutes=n if n not in (4, 5, 6) else 4) for n in range(11)]
    statuses = [DocumentStatus.UNMATCHED if n % 3 else DocumentStatus.MATCHED for n in range(11)]
    ids = [stored_document(ORG_A, n, received[n], statuses[n]) for n in range(11)]
    stored_document(ORG_B, 99, T0, DocumentStatus.UNMATCHED)  # another tenant's
    newest_first = [i for _, i in sorted(zip(received, ids, strict=True), reverse=True)]

    listed, pages = all_pages(client, f"/organizations/{ORG_A}/documents", "documents", 4)
    assert listed == newest_first and pages == 3
    waiting = [i for i in newest_first if statuses[ids.index(i)] == DocumentStatus.UNMATCHED]
    listed, _ = all_pages(
        client, f"/organizations/{ORG_A}/documents?status=waiting", "documents", 2
    )
    assert listed == waiting

    # A token belongs to its listing, its filter and its organization.
    first = client.call("GET", f"/organizations/{ORG_A}/documents?limit=2", member=OWNER).json()
    token = first["next_page_token"]
    for path in (
        f"/organizations/{ORG_A}/documents?status=matched&page_token={token}",
        f"/organizations/{ORG_A}/matching/aliases?page_token={token}",
        f"/organizations/{ORG_A}/documents?page_token=not-a-token",
        # Well formed, but naming what is not a document id (`..`, a reserved `__x__`).
        *(
            f"/organizations/{ORG_A}/documents?page_token="
            + base64.urlsafe_b64encode(f"documents:\n{bad}".encode()).decode()
            for bad in ("..", "__name__", "a/b")
        ),
    ):
        refused = client.call("GET", path, member=OWNER)
        assert refused.status_code == 400 and "page_token" in refused.text, path
    other_tenant = client.call(
        "GET",
        f"/organizations/{ORG_B}/documents?page_token={token}",
        member=member_id(ORG_B, Role.OWNER),
    )
    assert other_tenant.status_code == 400
    assert ORG_A not in other_tenant.text and "doc-" not in other_tenant.text

    manual = ManualMatchStore(runtime.store().db)
    for n in range(5):
        manual.put_alias(
            ORG_A,
            LearnedAlias(
                f"al-{n:016x}",
                f"CB*SHOP {n}",
                f"Shop {n}",
                OWNER,
                T0,
                f"doc-{n:03}",
                f"tx-{n}",
            ),
        )
    listed, pages = all_pages(client, f"/organizations/{ORG_A}/matching/aliases", "aliases", 2)
    assert pages == 3 and len(set(listed)) == 5
    descriptors = [
        a["descriptor"]
        for a in client.call(
            "GET", f"/organizations/{ORG_A}/matching/aliases?limit=5", member=OWNER
        ).json()["aliases"]
    ]
    assert descriptors == sorted(descriptors)
