"""The `builder` benchmark generator: deterministic, consistent truth, input the CLI accepts."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from bench.matching_builder import FAMILIES, BuilderGenerator, iban
from shared.matching.model import DocumentLine, OrganizationProfile, TransactionLine
from tests.unit.matching.helpers import cli_match_output


def _build(seed: int):
    return BuilderGenerator(300, 3000, seed).build()


def test_same_seed_same_data_other_seed_other_data():
    a, b, c = _build(4), _build(4), _build(5)
    assert a.organization == b.organization
    assert a.transactions == b.transactions
    assert a.documents == b.documents
    assert a.truth == b.truth and a.family == b.family and a.sales_ids == b.sales_ids
    assert a.transactions != c.transactions
    assert a.documents != c.documents


def test_truth_names_existing_records_and_sales_are_never_matched():
    data = _build(6)
    tx_ids = {t["id"] for t in data.transactions}
    doc_ids = [d["id"] for d in data.documents]
    assert len(set(doc_ids)) == len(doc_ids) == 300
    assert len(tx_ids) == len(data.transactions) == 3000
    assert set(data.truth) == set(doc_ids) == set(data.family)
    assert all(t is None or t in tx_ids for t in data.truth.values())
    assert data.sales_ids and all(data.truth[d] is None for d in data.sales_ids)
    assert {data.family[d] for d in data.sales_ids} == {"sales"}
    taken = [t for t in data.truth.values() if t is not None]
    assert len(taken) == len(set(taken))
    attached = {t["id"] for t in data.transactions if t.get("has_attachment")}
    assert attached and not attached & set(taken)
    duplicates = [d for d, f in data.family.items() if f == "duplicate"]
    assert duplicates and all(data.truth[d] is None for d in duplicates)
    for family in ("off_statement", "attached"):
        assert all(data.truth[d] is None for d, f in data.family.items() if f == family)


def test_every_family_is_there_in_its_share():
    data = _build(9)
    counts = Counter(data.family.values())
    for name, share in FAMILIES:
        assert abs(counts[name] - 300 * share) <= 1, name
    # Most documents are matched, and most transactions have no document.
    matched = sum(1 for t in data.truth.values() if t is not None)
    assert 0.6 * 300 < matched < 0.85 * 300


def test_records_follow_the_input_format():
    data = _build(8)
    ops = {"card", "transfer", "direct_debit", "income"}
    for t in data.transactions:
        assert t["operation_type"] in ops and t["currency"] == "EUR"
        amount = Decimal(t["amount"])
        assert amount != 0 and amount == amount.quantize(Decimal("0.01"))
        assert t["amount"] == str(amount.quantize(Decimal("0.01")))
        assert t["emitted_at"][-6:] in ("+01:00", "+02:00")
        assert t["emitted_at"][:4] == "2025"
        if "local_amount" in t:
            assert Decimal(t["local_amount"]) > 0 and len(t["local_currency"]) == 3
        line = TransactionLine.from_json(t)
        assert line.amount == amount
    for d in data.documents:
        assert d["document_type"] in ("receipt", "invoice", "credit_note")
        assert Decimal(d["total"]) > 0
        assert DocumentLine.from_json(d).total == Decimal(d["total"])
    org = data.organization
    assert org["vat"].startswith("FR") and len(org["siren"]) == 9
    assert org["vat"] == f"FR{(12 + 3 * (int(org['siren']) % 97)) % 97:02d}{org['siren']}"
    assert len(org["ibans"]) == 2 and all(i.startswith("FR76") for i in org["ibans"])
    assert all(iban("FR", i[4:]) == i for i in org["ibans"])  # checksums hold
    assert OrganizationProfile.from_json(org).ibans == tuple(org["ibans"])


def test_the_truth_pays_what_the_document_says():
    data = _build(10)
    txs = {t["id"]: t for t in data.transactions}
    for d in data.documents:
        tid = data.truth[d["id"]]
        if tid is None:
            continue
        tx = txs[tid]
        paid = Decimal(tx.get("local_amount") or tx["amount"].lstrip("-"))
        total = Decimal(d["total"])
        if d["document_type"] == "credit_note":
            assert Decimal(tx["amount"]) > 0 and paid == total
        elif d.get("amount_due"):
            assert paid == Decimal(d["amount_due"])
        else:  # a tip on top, or a 5 % retention held back
            assert total * Decimal("0.94") < paid < total + 16, (d, tx)


def test_the_cli_accepts_every_generated_line(tmp_path):
    data = _build(7)
    lines = cli_match_output(data, tmp_path)
    assert [r["document_id"] for r in lines] == [d["id"] for d in data.documents]
