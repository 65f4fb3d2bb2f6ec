"""The brief benchmark generator (bench/matching_brief.py): deterministic, sized as
asked, its truth what its docstring says, and every line it writes accepted by the
matching engine's input model and CLI."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
from collections import Counter
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

import bench.matching_brief as brief
from bench.matching_brief import NO_PAYMENT, SHARES, BriefGenerator, family_counts
from tests.unit.matching.helpers import (
    assert_every_line_read_by_the_model,
    assert_the_cli_answers_every_document,
    dataset_text,
    leaves,
)

DOCS, TXS = 300, 3000
PARIS = ZoneInfo("Europe/Paris")
ROOT = Path(__file__).resolve().parents[3]
CARD_FAMILIES = {"card_receipt", "card_truncated", "card_ocr_name", "card_no_name"}
CARD_FAMILIES |= {"same_price_twin"}


@pytest.fixture(scope="module")
def data():
    return BriefGenerator(DOCS, TXS, seed=7).build()


@pytest.fixture(scope="module")
def bigger():
    return BriefGenerator(2000, 20000, seed=3).build()


def _docstring_families() -> dict[str, Decimal]:
    doc = brief.__doc__ or ""
    section = doc[doc.index("\nFamilies\n") : doc.index("\nNoise on documents\n")]
    return {
        name: Decimal(share) / 100
        for name, share in re.findall(r"^- `([a-z_]+)` \(([\d.]+)%\)", section, re.M)
    }


def _day(tx: dict) -> date:
    """The day a line shows: its booking day, or its instant's day in Paris."""
    when = datetime.fromisoformat(tx["emitted_at"])
    return when.date() if when.tzinfo is None else when.astimezone(PARIS).date()


def _issue(doc: dict) -> date | None:
    return date.fromisoformat(doc["issue_date"]) if "issue_date" in doc else None


def _pairs(data, families):
    docs = {d["id"]: d for d in data.documents}
    txs = {t["id"]: t for t in data.transactions}
    for doc_id, fam in data.family.items():
        if fam in families:
            yield fam, docs[doc_id], txs[data.truth[doc_id]]


# ------------------------------------------------------------------ determinism, sizes


def test_same_seed_same_bytes_other_seed_other_data(data):
    assert dataset_text(BriefGenerator(DOCS, TXS, seed=7).build()) == dataset_text(data)
    assert dataset_text(BriefGenerator(DOCS, TXS, seed=8).build()) != dataset_text(data)


def test_the_bytes_do_not_depend_on_the_hash_seed():
    script = (
        "import hashlib, json; from bench.matching_brief import BriefGenerator\n"
        "from tests.unit.matching.helpers import dataset_text\n"
        "print(hashlib.sha256(dataset_text(BriefGenerator(120, 1200, seed=3).build()).encode()).hexdigest())"
    )
    here = hashlib.sha256(
        dataset_text(BriefGenerator(120, 1200, seed=3).build()).encode()
    ).hexdigest()
    for hash_seed in ("0", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        done = subprocess.run(
            [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip() == here


def test_sizes_are_honoured(data):
    assert len(data.documents) == DOCS
    assert len(data.transactions) == TXS
    assert len({d["id"] for d in data.documents}) == DOCS
    assert len({t["id"] for t in data.transactions}) == TXS


def test_too_few_transactions_for_the_documents_are_refused():
    with pytest.raises(ValueError, match="transactions"):
        BriefGenerator(300, 150, seed=1).build()


# ------------------------------------------------------------------ families


def test_the_docstring_documents_every_family_with_its_share():
    documented = _docstring_families()
    assert set(documented) == set(SHARES)
    for name, share in documented.items():
        assert Decimal(str(SHARES[name])) == share, name
    assert abs(sum(SHARES.values()) - 1) < 1e-9
    assert NO_PAYMENT <= set(SHARES)


def test_every_family_appears_at_its_count(data):
    assert Counter(data.family.values()) == Counter(family_counts(DOCS))
    assert set(data.family.values()) == set(SHARES)
    assert sum(family_counts(17).values()) == 17 and min(family_counts(17).values()) == 1


# ------------------------------------------------------------------ truth


def test_truth_names_existing_records_once(data):
    doc_ids = {d["id"] for d in data.documents}
    tx_ids = {t["id"] for t in data.transactions}
    assert set(data.truth) == doc_ids == set(data.family)
    matched = [t for t in data.truth.values() if t is not None]
    assert set(matched) <= tx_ids
    assert len(matched) == len(set(matched))  # a line pays one document at most


def test_truth_is_none_exactly_for_the_families_without_payment(data):
    for doc_id, fam in data.family.items():
        assert (data.truth[doc_id] is None) == (fam in NO_PAYMENT), (doc_id, fam)


def test_sales_invoices_are_the_studios_and_never_matched(data):
    org = data.organization
    assert data.sales_ids == {k for k, f in data.family.items() if f == "sales_invoice"}
    for doc in data.documents:
        if doc["id"] in data.sales_ids:
            assert data.truth[doc["id"]] is None
            assert doc["document_type"] == "invoice"
            assert doc["supplier_name"].startswith("Lumen Atelier Graphique")
            assert doc.get("supplier_vat", org["vat"]) == org["vat"]
            assert doc.get("supplier_iban", org["ibans"][0]) in org["ibans"]
    paid = [
        t for t in data.transactions if t["amount"][0] != "-" and "FA-" in t.get("reference", "")
    ]
    assert paid, "customers pay some sales invoices within the statement"


def test_card_receipts_are_paid_by_their_exact_amount_about_their_day(data):
    close = total = 0
    for _fam, doc, tx in _pairs(data, CARD_FAMILIES):
        assert tx["operation_type"] == "card"
        assert Decimal(tx["amount"]) == -Decimal(doc["total"])
        assert doc["currency"] == tx["currency"] == "EUR" and "local_amount" not in tx
        if _issue(doc):
            total += 1
            close += -1 <= (_day(tx) - _issue(doc)).days <= 5
    assert close >= 0.9 * total


def test_tips_are_a_percentage_or_a_round_amount_on_top_of_the_bill(data):
    for _fam, doc, tx in _pairs(data, {"restaurant_tip"}):
        bill, paid = Decimal(doc["total"]), -Decimal(tx["amount"])
        tip = paid - bill
        assert tx["operation_type"] == "card" and tip > 0
        assert tip <= max(bill * Decimal("0.15") + Decimal("0.01"), Decimal(10)), (bill, paid)


def test_foreign_receipts_are_the_local_amount_of_a_euro_debit(data):
    for fam, doc, tx in _pairs(data, {"foreign_receipt", "foreign_no_name"}):
        assert doc["currency"] != "EUR" and tx["currency"] == "EUR"
        assert tx["local_currency"] == doc["currency"]
        assert Decimal(tx["local_amount"]) == Decimal(doc["total"])
        assert Decimal(tx["amount"]) < 0
        assert ("supplier_name" in doc) <= (fam == "foreign_receipt")


def test_subscription_invoices_are_their_months_card_charge(data):
    for _fam, doc, tx in _pairs(data, {"saas_card_invoice"}):
        assert tx["operation_type"] == "card" and tx["account_id"] == "acc-qonto-team"
        if doc["currency"] == "EUR":
            assert Decimal(tx["amount"]) == -Decimal(doc["total"]) and "local_amount" not in tx
        else:
            assert tx["local_currency"] == doc["currency"]
            assert Decimal(tx["local_amount"]) == Decimal(doc["total"])
        charged = datetime.fromisoformat(tx["emitted_at"]).date()  # a UTC instant
        assert (charged - _issue(doc)).days in (0, 1)


def test_monthly_invoices_are_debited_5_to_12_days_after_issue(data):
    for _fam, doc, tx in _pairs(data, {"monthly_invoice"}):
        assert tx["operation_type"] == "direct_debit"
        assert Decimal(tx["amount"]) == -Decimal(doc["total"])
        assert 5 <= (_day(tx) - _issue(doc)).days <= 12


def test_supplier_invoices_are_paid_by_transfer_after_issue(data):
    with_number = 0
    pairs = list(_pairs(data, {"supplier_transfer"}))
    for _fam, doc, tx in pairs:
        assert tx["operation_type"] == "transfer"
        assert Decimal(tx["amount"]) == -Decimal(doc["total"])
        assert 0 <= (_day(tx) - _issue(doc)).days <= 120
        assert doc.get("supplier_iban", tx["counterparty_iban"]) == tx["counterparty_iban"]
        with_number += doc.get("invoice_number", "-") in (tx.get("reference") or "")
    if len(pairs) >= 20:
        assert 0.4 * len(pairs) <= with_number <= 0.85 * len(pairs)


def test_credit_notes_are_refunded_by_a_credit_of_their_amount(data):
    for _fam, doc, tx in _pairs(data, {"refund"}):
        assert doc["document_type"] == "credit_note"
        assert Decimal(tx["amount"]) == abs(Decimal(doc["total"])) > 0
        assert tx["operation_type"] in ("card", "income")
        assert 0 <= (_day(tx) - _issue(doc)).days <= 40


def test_a_duplicate_follows_an_earlier_upload_of_the_same_receipt(data):
    docs = sorted(data.documents, key=lambda d: d["id"])
    for i, doc in enumerate(docs):
        if data.family[doc["id"]] != "duplicate":
            continue
        earlier = [
            d
            for d in docs[:i]
            if d["total"] == doc["total"]
            and d["currency"] == doc["currency"]
            and d["received_at"] <= doc["received_at"]
            and data.family[d["id"]] != "duplicate"
        ]
        assert earlier, doc["id"]
        same_file = [d for d in earlier if d["checksum"] == doc["checksum"]]
        assert all(
            {**d, "id": 0, "received_at": 0} == {**doc, "id": 0, "received_at": 0}
            for d in same_file
        )


def test_no_receipt_is_indistinguishable_from_another_card_line(data):
    """The honesty rule, on the neobank account's instants: no other card line has
    the descriptor, the amount and the Paris day of a receipt's payment."""
    lines = Counter(
        (t["counterparty"], t["amount"], _day(t))
        for t in data.transactions
        if t["operation_type"] == "card" and t["account_id"] == "acc-qonto-team"
    )
    checked = 0
    for _fam, _doc, tx in _pairs(data, CARD_FAMILIES | {"restaurant_tip"}):
        if tx["account_id"] == "acc-qonto-team":
            checked += 1
            assert lines[(tx["counterparty"], tx["amount"], _day(tx))] == 1, tx
    assert checked


# ------------------------------------------------------------------ noise at scale


def test_the_noise_is_about_what_the_docstring_says(bigger):
    receipts = [d for d in bigger.documents if d["document_type"] == "receipt"]
    no_name = sum("supplier_name" not in d for d in receipts) / len(receipts)
    no_date = sum("issue_date" not in d for d in receipts) / len(receipts)
    assert 0.07 <= no_name <= 0.15
    assert 0.01 <= no_date <= 0.05
    cards = Counter(t["counterparty"] for t in bigger.transactions if t["operation_type"] == "card")
    assert sum(n == 1 for n in cards.values()) > 100  # a long tail of merchants seen once
    assert cards.most_common(1)[0][1] > 250  # and the café next door, every day
    prefixes = (
        "SUMUP *",
        "SQ *",
        "ZETTLE_*",
        "PAYPAL *",
        "STRIPE*",
        "CB*",
        "PRLV SEPA",
        "VIR SEPA",
    )
    labels = " ".join(t["counterparty"].upper() for t in bigger.transactions)
    assert all(p in labels for p in prefixes)
    kinds = Counter(t["account_id"] for t in bigger.transactions)
    assert set(kinds) == {"acc-bpgo-main", "acc-qonto-team", "acc-bpgo-reserve"}


# ------------------------------------------------------------------ accepted lines


def test_every_line_is_accepted_by_the_model(data):
    org = assert_every_line_read_by_the_model(data)
    assert len(org.ibans) == 3


def test_the_cli_reads_every_line(data, tmp_path):
    assert_the_cli_answers_every_document(data, tmp_path)


def test_amounts_are_decimal_strings_and_instants_carry_their_zone(data):
    rows = [data.organization, *data.transactions, *data.documents]
    assert not any(isinstance(v, float) for v in leaves(rows))
    amount = re.compile(r"^-?\d+\.\d{2}$")
    for row in data.transactions:
        assert amount.match(row["amount"]) and Decimal(row["amount"]) != 0
        assert "local_amount" not in row or amount.match(row["local_amount"])
        assert "2025-01-01" <= _day(row).isoformat() <= "2025-12-31", row
        for key in ("emitted_at", "settled_at"):
            if "T" in row.get(key, ""):
                assert datetime.fromisoformat(row[key]).tzinfo is not None
    for row in data.documents:
        assert amount.match(row["total"].lstrip("-"))
        assert all(amount.match(c) for c in row.get("candidate_totals", ()))
        assert datetime.fromisoformat(row["received_at"]).tzinfo is not None
