"""The one matching service (processor, rematch, Dropzone) on the emulated Firestore."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from local.demo import DEMO_ACCOUNT_ID, DEMO_ORG_ID, seed_demo_company
from shared.domain.entities import (
    Document,
    DocumentStatus,
    DocumentType,
    OperationType,
    Transaction,
)
from shared.domain.money import Money
from shared.matching.model import TransactionLine
from shared.matching.policy import MatchingPolicy
from shared.usecases.matching_service import (
    MALFORMED_FLAG,
    MatchingService,
    part_checksum,
    transaction_line,
)
from shared.usecases.process_document import ProcessorDeps
from shared.usecases.rematch import rematch_organization

ORG = DEMO_ORG_ID
FILE_CHECKSUM = "c" * 64
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def _transfer(
    tx_id: str,
    amount: str,
    counterparty: str,
    day: int,
    operation: OperationType = OperationType.TRANSFER,
) -> Transaction:
    emitted = datetime(2026, 11, day, 9, 0, tzinfo=UTC)
    return Transaction(
        id=tx_id,
        organization_id=ORG,
        account_id=DEMO_ACCOUNT_ID,
        amount=Money.parse(Decimal(amount), "EUR"),
        counterparty=counterparty,
        operation_type=operation,
        emitted_at=emitted,
        settled_at=emitted + timedelta(days=1),
    )


def _drive_invoice(index: int, total: str, number: str, count: int = 2) -> Document:
    """Invoice `index` of a Drive file holding `count` invoices, saved unmatched by the
    Dropzone (its stored fields carry the file's checksum, as extraction writes them)."""
    fields: dict[str, Any] = {
        "document_type": "invoice",
        "total": total,
        "currency": "EUR",
        "supplier_name": "Imprimerie Dubois",
        "invoice_number": number,
        "issue_date": "2026-11-10",
        "checksum": FILE_CHECKSUM,
    }
    return Document(
        id=f"dz-file1-{index}",
        organization_id=ORG,
        source="drive_dropzone",
        checksum=FILE_CHECKSUM,
        storage_uri=f"gs://b/{FILE_CHECKSUM}",
        media_type="application/pdf",
        received_at=NOW - timedelta(days=5),
        status=DocumentStatus.UNMATCHED,
        document_type=DocumentType.INVOICE,
        supplier_name="Imprimerie Dubois",
        issue_date=date(2026, 11, 10),
        total=Money.parse(Decimal(total), "EUR"),
        invoice_number=number,
        fields={"documents": [fields]},
        origin={"drive_file_id": "file1", "invoice_index": index, "invoices_in_file": count},
    )


def _deps(store: Any) -> ProcessorDeps:
    return ProcessorDeps(store=store, blobs=None, notify=None, now=lambda: NOW)  # type: ignore[arg-type]


def test_rematch_attaches_invoice_two_of_a_multi_invoice_drive_file(store: Any) -> None:
    # Invoice 2 of a two-invoice Drive file matches only when its payment posts, at
    # rematch: it must not be taken for a copy of invoice 1 (same file checksum).
    seed_demo_company(store)
    for document in (_drive_invoice(1, "480.00", "F-101"), _drive_invoice(2, "960.00", "F-102")):
        store.create_document(document)
    store.put_transaction(_transfer("tx-f102", "-960.00", "IMPRIMERIE DUBOIS", 20))

    announced: list[str] = []
    deps = replace(_deps(store), approved=lambda document: announced.append(document.id))
    matched = rematch_organization(ORG, deps)

    assert [d.id for d in matched] == ["dz-file1-2"]
    assert store.get_document(ORG, "dz-file1-2").transaction_id == "tx-f102"
    assert announced == ["dz-file1-2"]  # the firms that received it get the match
    assert store.get_document(ORG, "dz-file1-1").status == DocumentStatus.UNMATCHED


def test_parts_of_one_file_have_distinct_checksums_whatever_the_channel() -> None:
    first, second = _drive_invoice(1, "1.00", "A"), _drive_invoice(2, "2.00", "B")
    assert part_checksum(first) == f"{FILE_CHECKSUM}#1"
    assert part_checksum(second) == f"{FILE_CHECKSUM}#2"
    single = _drive_invoice(1, "1.00", "A", count=1)
    assert part_checksum(single) == FILE_CHECKSUM  # a copy of the same file stays a copy
    # The processor's parts: the first carries `#1` in its fields, siblings `part`.
    whatsapp = replace(
        single, origin={}, fields={"documents": [{"checksum": f"{FILE_CHECKSUM}#1"}]}
    )
    assert part_checksum(whatsapp) == f"{FILE_CHECKSUM}#1"
    assert part_checksum(replace(single, origin={"part": 3})) == f"{FILE_CHECKSUM}#3"


def test_malformed_stored_fields_are_answered_not_raised(store: Any) -> None:
    seed_demo_company(store)
    broken = _drive_invoice(1, "12.00", "X", count=1)
    broken = replace(
        broken, fields={"documents": [{**broken.fields["documents"][0], "currency": "EURO"}]}
    )
    results = MatchingService(store).match(ORG, [broken])
    assert results[broken.id].transaction_id is None
    assert results[broken.id].flags == [MALFORMED_FLAG]
    assert "currency" in results[broken.id].reasons[0]


def test_the_policy_is_injected(store: Any) -> None:
    seed_demo_company(store)
    invoice = _drive_invoice(1, "100.00", "P-1", count=1)
    # Paid 60 days after its issue date (no due date): inside the default payment term
    # window, outside a policy that allows a single day.
    store.put_transaction(_transfer("tx-late", "-100.00", "IMPRIMERIE DUBOIS", 20))
    default = MatchingService(store).match(ORG, [invoice])
    strict = MatchingService(
        store,
        policy=MatchingPolicy(default_payment_term_days=1, invoice_payment_window_after_due_days=1),
    ).match(ORG, [invoice])
    assert default[invoice.id].transaction_id == "tx-late"
    assert strict[invoice.id].transaction_id is None


@pytest.mark.parametrize(
    "tx",
    [
        _transfer("t1", "-12.50", "  CAFE DU COIN ", 3),
        replace(
            _transfer("t2", "-80.00", "HOTEL", 4),
            operation_type=OperationType.CARD,
            local_amount=Money.parse(Decimal("-9500"), "JPY"),
            reference="  REF 42 ",
            counterparty_iban="fr76 3000 6000 0112 3456 7890 189",
            attachment_ids=("d1",),
        ),
    ],
)
def test_transaction_lines_from_entities_equal_the_json_contract(tx: Transaction) -> None:
    from shared.usecases.matching_service import transaction_json

    assert transaction_line(tx) == TransactionLine.from_json(transaction_json(tx))


def _toll_receipt(n: int, total: str, day: int) -> Document:
    """A motorway receipt printed under the brand, waiting (its payment shows another name)."""
    fields: dict[str, Any] = {
        "document_type": "receipt",
        "total": total,
        "currency": "EUR",
        "supplier_name": "Vinci Autoroutes",
        "issue_date": f"2026-11-{day:02}",
    }
    checksum = f"{n:064}"
    return Document(
        id=f"toll-{n}",
        organization_id=ORG,
        source="whatsapp",
        checksum=checksum,
        storage_uri=f"gs://b/{checksum}",
        media_type="image/jpeg",
        received_at=NOW - timedelta(days=2),
        status=DocumentStatus.UNMATCHED,
        document_type=DocumentType.RECEIPT,
        supplier_name="Vinci Autoroutes",
        issue_date=date(2026, 11, day),
        total=Money.parse(Decimal(total), "EUR"),
        fields={"documents": [fields]},
    )


def test_rematch_learns_from_the_statement_that_a_brand_is_paid_under_another_name(
    store: Any,
) -> None:
    # Each toll receipt meets, on its day and to the cent, one card debit to `ASF`: one
    # such receipt proves nothing, three do; the hourly rematch attaches them and says why.
    seed_demo_company(store)
    tolls = [("3.44", 2), ("19.93", 5), ("7.42", 9)]
    for n, (total, day) in enumerate(tolls):
        store.create_document(_toll_receipt(n, total, day))
        store.put_transaction(
            _transfer(f"tx-asf-{n}", f"-{total}", f"ASF {4000 + n}", day, OperationType.CARD)
        )

    matched = rematch_organization(ORG, _deps(store))

    assert sorted(d.id for d in matched) == ["toll-0", "toll-1", "toll-2"]
    for n in range(3):
        document = store.get_document(ORG, f"toll-{n}")
        assert document.status == DocumentStatus.MATCHED
        assert document.transaction_id == f"tx-asf-{n}"
        assert any("inferred from 3 of your documents" in r for r in document.match_reasons)
