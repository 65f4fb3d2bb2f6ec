"""The `fresh` benchmark generator: deterministic, consistent truth, input the CLI accepts."""

from __future__ import annotations

from bench.matching_fresh import FreshGenerator
from tests.unit.matching.helpers import cli_match_output


def _build(seed: int):
    return FreshGenerator(300, 3000, seed).build()


def test_same_seed_same_data_other_seed_other_data():
    a, b, c = _build(4), _build(4), _build(5)
    assert a.transactions == b.transactions
    assert a.documents == b.documents
    assert a.truth == b.truth and a.family == b.family and a.sales_ids == b.sales_ids
    assert a.transactions != c.transactions


def test_truth_names_existing_records_and_sales_are_never_matched():
    data = _build(6)
    tx_ids = {t["id"] for t in data.transactions}
    doc_ids = [d["id"] for d in data.documents]
    assert len(set(doc_ids)) == len(doc_ids)
    assert len(tx_ids) == len(data.transactions) == 3000
    assert set(data.truth) == set(doc_ids) == set(data.family)
    assert all(t is None or t in tx_ids for t in data.truth.values())
    assert data.sales_ids and all(data.truth[d] is None for d in data.sales_ids)
    assert {data.family[d] for d in data.sales_ids} == {"sales"}
    # a transaction is the truth of one document at most
    taken = [t for t in data.truth.values() if t is not None]
    assert len(taken) == len(set(taken))
    # attached debits are never the truth
    attached = {t["id"] for t in data.transactions if t.get("has_attachment")}
    assert not attached & set(taken)


def test_the_cli_accepts_every_generated_line(tmp_path):
    data = _build(7)
    lines = cli_match_output(data, tmp_path)
    assert [r["document_id"] for r in lines] == [d["id"] for d in data.documents]
