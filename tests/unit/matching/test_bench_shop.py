"""The online-shop benchmark generator (bench/matching_shop.py): deterministic, well-formed,
every family present, accepted by the model and the CLI."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date, datetime

import pytest

import bench.matching_shop as shop
from bench.matching_shop import FAMILIES, FAMILY_SHARES, ShopGenerator
from shared.matching.model import DocumentLine, OrganizationProfile, TransactionLine
from tests.unit.matching.helpers import cli_match_output, dataset_text

DOCS, TXS = 300, 3000
INSTANT_FIELDS = ("emitted_at", "settled_at", "received_at")
DATE_FIELDS = ("issue_date", "due_date")


@pytest.fixture(scope="module")
def data():
    return ShopGenerator(DOCS, TXS, seed=7).build()


def test_same_seed_same_data_other_seed_other_data(data):
    again = ShopGenerator(DOCS, TXS, seed=7).build()
    assert dataset_text(again) == dataset_text(data)
    other = ShopGenerator(DOCS, TXS, seed=8).build()
    assert dataset_text(other) != dataset_text(data)


def test_sizes_are_about_what_was_asked(data):
    assert len(data.transactions) == TXS
    assert 0.9 * DOCS <= len(data.documents) <= 1.15 * DOCS
    assert len({t["id"] for t in data.transactions}) == len(data.transactions)
    assert len({d["id"] for d in data.documents}) == len(data.documents)


def test_truth_names_existing_records(data):
    doc_ids = {d["id"] for d in data.documents}
    tx_ids = {t["id"] for t in data.transactions}
    assert set(data.truth) == doc_ids
    assert set(data.family) == doc_ids
    assert all(tx is None or tx in tx_ids for tx in data.truth.values())
    matched = [tx for tx in data.truth.values() if tx is not None]
    assert len(matched) == len(set(matched)), "one document per transaction"
    assert len(matched) > len(doc_ids) // 2


def test_sales_are_documents_never_matched(data):
    assert data.sales_ids
    assert data.sales_ids <= {d["id"] for d in data.documents}
    assert all(data.truth[d] is None for d in data.sales_ids)
    assert {data.family[d] for d in data.sales_ids} == {"sales_invoice", "customer_refund"}


def test_matched_documents_are_paid_by_debits_or_refunds(data):
    tx = {t["id"]: t for t in data.transactions}
    for doc_id, tx_id in data.truth.items():
        if tx_id is None:
            continue
        family = data.family[doc_id]
        sign = tx[tx_id]["amount"].startswith("-")
        assert sign or family == "supplier_credit_note", (doc_id, family)


def test_every_family_appears_at_a_moderate_size(data):
    counts = Counter(data.family.values())
    assert set(counts) == set(FAMILIES)
    for family in FAMILIES:
        assert counts[family] >= 3, (family, counts[family])
        assert counts[family] <= 0.3 * len(data.documents), (family, counts[family])


def test_the_docstring_describes_every_family():
    assert abs(sum(share for _, share in FAMILY_SHARES) - 1) < 1e-9
    doc = shop.__doc__ or ""
    for family, share in FAMILY_SHARES:
        assert f"{family} " in doc, family
        assert f"{share:.3f}" in doc, family


def test_every_line_is_accepted_by_the_model(data):
    OrganizationProfile.from_json(data.organization)
    for i, row in enumerate(data.transactions, 1):
        TransactionLine.from_json(json.loads(json.dumps(row)), line_no=i)
    for i, row in enumerate(data.documents, 1):
        DocumentLine.from_json(json.loads(json.dumps(row)), line_no=i)


def _values(obj):
    if isinstance(obj, dict):
        for value in obj.values():
            yield from _values(value)
    elif isinstance(obj, (list, tuple)):
        for value in obj:
            yield from _values(value)
    else:
        yield obj


def test_no_float_anywhere(data):
    for obj in (data.organization, data.transactions, data.documents):
        assert not any(isinstance(v, float) for v in _values(obj))
    for row in data.transactions:
        assert isinstance(row["amount"], str)
        assert isinstance(row.get("local_amount", ""), str)
    for row in data.documents:
        assert isinstance(row["total"], str)
        assert all(isinstance(v, str) for v in row.get("candidate_totals", []))


def test_every_timestamp_carries_its_timezone(data):
    for row in [*data.transactions, *data.documents]:
        for field in INSTANT_FIELDS:
            if field in row:
                assert datetime.fromisoformat(row[field]).tzinfo is not None, (row["id"], field)
        for field in DATE_FIELDS:
            if field in row:
                date.fromisoformat(row[field])


def test_the_cli_matches_the_data_end_to_end(data, tmp_path):
    out = cli_match_output(data, tmp_path)
    assert [line["document_id"] for line in out] == [d["id"] for d in data.documents]
    assert not [line for line in out if "error" in line]
    tx_ids = {t["id"] for t in data.transactions}
    assert all(line["transaction_id"] is None or line["transaction_id"] in tx_ids for line in out)
