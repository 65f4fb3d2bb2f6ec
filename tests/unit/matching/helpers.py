"""Small builders for matching tests: readable transactions and documents."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from shared.matching.model import DocumentLine, OrganizationProfile, TransactionLine

ORG = OrganizationProfile.from_json(
    {
        "name": "Atelier Dupont SAS",
        "vat": "FR12345678901",
        "siren": "345678901",
        "ibans": ["FR7630006000011234567890189"],
    }
)


def tx(
    id: str,
    amount: str,
    counterparty: str,
    when: str,
    operation_type: str = "card",
    **extra: object,
) -> TransactionLine:
    """A transaction; `when` is an ISO date or datetime."""
    return TransactionLine.from_json(
        {
            "id": id,
            "account_id": "acc",
            "amount": amount,
            "currency": extra.pop("currency", "EUR"),
            "counterparty": counterparty,
            "operation_type": operation_type,
            "emitted_at": when,
            **extra,
        }
    )


def doc(
    id: str,
    total: str,
    supplier: str | None,
    issued: str | None,
    document_type: str = "receipt",
    **extra: object,
) -> DocumentLine:
    """A document issued on `issued` by `supplier`."""
    obj: dict = {
        "id": id,
        "document_type": document_type,
        "total": total,
        "currency": extra.pop("currency", "EUR"),
        **extra,
    }
    if supplier is not None:
        obj["supplier_name"] = supplier
    if issued is not None:
        obj["issue_date"] = issued
    return DocumentLine.from_json(obj)


def cli_match_command(directory: Path) -> list[str]:
    """`python -m shared.cli match` on org.json, tx.jsonl and docs.jsonl in `directory`."""
    return [
        sys.executable,
        "-m",
        "shared.cli",
        "match",
        "--organization",
        str(directory / "org.json"),
        "--transactions",
        str(directory / "tx.jsonl"),
        "--documents",
        str(directory / "docs.jsonl"),
    ]


def cli_match_output(data, directory: Path) -> list[dict]:
    """A benchmark generator's data written to `directory` and matched by the CLI: its
    output lines, after checking it ran clean (exit 0, no error on stderr)."""
    (directory / "org.json").write_text(json.dumps(data.organization))
    for name, rows in (("tx.jsonl", data.transactions), ("docs.jsonl", data.documents)):
        with (directory / name).open("w") as f:
            f.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    done = subprocess.run(
        cli_match_command(directory),
        cwd=Path(__file__).resolve().parents[3],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "error" not in done.stderr.lower()
    return [json.loads(line) for line in done.stdout.splitlines()]


def assert_every_line_read_by_the_model(data) -> OrganizationProfile:
    """Each line of a benchmark dataset, written as JSON and read back, is accepted by
    the input model (which raises on the first it refuses); the organisation read."""
    org = OrganizationProfile.from_json(json.loads(json.dumps(data.organization)))
    for n, row in enumerate(data.transactions, 1):
        TransactionLine.from_json(json.loads(json.dumps(row)), line_no=n)
    for n, row in enumerate(data.documents, 1):
        DocumentLine.from_json(json.loads(json.dumps(row)), line_no=n)
    return org


def assert_the_cli_answers_every_document(data, directory: Path) -> None:
    """`python -m shared.cli match` on the dataset answers each document once."""
    out = cli_match_output(data, directory)
    assert len(out) == len(data.documents)
    doc_ids = {d["id"] for d in data.documents}
    named = {v for line in out for v in line.values() if isinstance(v, str) and v in doc_ids}
    assert named == doc_ids


def leaves(value):
    """Every value held in nested dicts, lists, tuples and sets."""
    if isinstance(value, dict):
        for v in value.values():
            yield from leaves(v)
    elif isinstance(value, list | tuple | set):
        for v in value:
            yield from leaves(v)
    else:
        yield value


def dataset_text(data) -> str:
    """A benchmark dataset as one canonical text: two builds are the same data when
    their texts are equal."""
    return json.dumps(
        {
            "org": data.organization,
            "tx": data.transactions,
            "docs": data.documents,
            "truth": data.truth,
            "sales": sorted(data.sales_ids),
            "family": data.family,
        },
        sort_keys=True,
        ensure_ascii=False,
    )
