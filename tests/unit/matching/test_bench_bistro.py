"""The bistro benchmark generator (bench/matching_bistro.py): deterministic, truthful,
and every line it writes is accepted by the matching engine's input model and CLI."""

from __future__ import annotations

import re
from datetime import datetime

import pytest

import bench.matching_bistro as bistro
from bench.matching_bistro import BistroGenerator
from tests.unit.matching.helpers import (
    assert_every_line_read_by_the_model,
    assert_the_cli_answers_every_document,
    dataset_text,
    leaves,
)

DOCS, TXS = 300, 3000
INSTANTS = ("emitted_at", "settled_at", "received_at")


@pytest.fixture(scope="module")
def data():
    return BistroGenerator(DOCS, TXS, seed=11).build()


def _docstring_families() -> set[str]:
    doc = bistro.__doc__ or ""
    section = doc[doc.index("\nFamilies") : doc.index("\nNoise transactions")]
    return set(re.findall(r"`([a-z_]+)`", section))


def test_same_seed_same_data_other_seed_other_data(data):
    assert dataset_text(BistroGenerator(DOCS, TXS, seed=11).build()) == dataset_text(data)
    assert dataset_text(BistroGenerator(DOCS, TXS, seed=12).build()) != dataset_text(data)


def test_sizes_are_about_what_was_asked(data):
    assert 0.85 * DOCS <= len(data.documents) <= 1.2 * DOCS
    assert len(data.transactions) == TXS
    assert len({d["id"] for d in data.documents}) == len(data.documents)
    assert len({t["id"] for t in data.transactions}) == len(data.transactions)


def test_truth_names_existing_records_once(data):
    doc_ids = {d["id"] for d in data.documents}
    tx_ids = {t["id"] for t in data.transactions}
    assert set(data.truth) == doc_ids
    assert set(data.family) == doc_ids
    matched = [t for t in data.truth.values() if t is not None]
    assert set(matched) <= tx_ids
    # No split documents are modelled: a transaction pays at most one document.
    assert len(matched) == len(set(matched))
    assert matched, "some documents must be matchable"


def test_sales_invoices_are_never_matched(data):
    doc_ids = {d["id"] for d in data.documents}
    assert data.sales_ids
    assert data.sales_ids <= doc_ids
    for doc_id in data.sales_ids:
        assert data.truth[doc_id] is None
        assert data.family[doc_id] == "sales_invoice"


def test_every_family_of_the_docstring_appears(data):
    documented = _docstring_families()
    assert set(bistro.SHARES) | {"netted_invoice"} == documented
    assert documented <= set(data.family.values())
    assert set(data.family.values()) <= documented


def test_truth_is_none_where_the_design_says(data):
    always_none = {
        "wholesale_dd_grouped",
        "wholesale_transfer_grouped",
        "credit_note",
        "netted_invoice",
        "market_cash",
        "lease_schedule",
        "partial_payment",
        "delivery_statement",
        "personal_card",
        "sales_invoice",
        "duplicate",
        "outside_period",
    }
    for doc_id, fam in data.family.items():
        if fam in always_none:
            assert data.truth[doc_id] is None, (doc_id, fam)


def test_truth_transactions_move_money_the_right_way(data):
    docs = {d["id"]: d for d in data.documents}
    txs = {t["id"]: t for t in data.transactions}
    for doc_id, tx_id in data.truth.items():
        if tx_id is None:
            continue
        refund = docs[doc_id]["document_type"] == "credit_note"
        assert (txs[tx_id]["amount"][0] == "-") != refund, (doc_id, tx_id)


def test_every_line_is_accepted_by_the_model(data):
    assert_every_line_read_by_the_model(data)


def test_the_cli_matches_end_to_end(data, tmp_path):
    assert_the_cli_answers_every_document(data, tmp_path)


def test_no_float_and_amounts_are_decimal_strings(data):
    rows = [data.organization, *data.transactions, *data.documents]
    assert not any(isinstance(v, float) for v in leaves(rows))
    amount = re.compile(r"^-?\d+\.\d{2}$")
    for row in data.transactions:
        assert amount.match(row["amount"])
        assert "local_amount" not in row or amount.match(row["local_amount"])
    for row in data.documents:
        assert amount.match(row["total"])
        for key in ("amount_due",):
            assert key not in row or amount.match(row[key])
        assert all(amount.match(c) for c in row.get("candidate_totals", ()))


def test_every_timestamp_carries_its_timezone(data):
    for row in [*data.transactions, *data.documents]:
        for key in INSTANTS:
            if key in row:
                assert datetime.fromisoformat(row[key]).tzinfo is not None, (row["id"], key)
    for row in data.transactions:
        assert "2025-01-01" <= row["emitted_at"][:10] <= "2025-12-31"
