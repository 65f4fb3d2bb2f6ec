"""The synthetic receipt forge (bench/receipt_forge.py): deterministic, truth as drawn."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

from PIL import Image

from bench.receipt_forge import FAMILIES, HELD_OUT_FAMILIES, forge, receipt_for

FIELDS = {"file", "total", "date", "merchant", "currency", "language", "region", "family"}


def test_truth_file_lists_every_image_with_its_fields(tmp_path: Path) -> None:
    truths = forge(tmp_path, seed=3, n=3)
    assert json.loads((tmp_path / "truth.json").read_text()) == truths
    assert [t["family"] for t in truths] == [0, 1, 2]
    for truth in truths:
        assert FIELDS <= truth.keys()
        total = str(truth["total"])
        assert Decimal(total) > 0 and total == str(Decimal(total).quantize(Decimal("0.01")))
        assert date.fromisoformat(str(truth["date"]))
        assert truth["merchant"] and truth["currency"] in ("EUR", "GBP", "USD")
        assert truth["held_out"] is (truth["family"] in HELD_OUT_FAMILIES)
        assert truth["family_name"] == FAMILIES[int(str(truth["family"]))]
        with Image.open(tmp_path / str(truth["file"])) as image:
            assert image.width * image.height < 2_000_000
            assert 300 <= image.width <= 700


def test_same_seed_same_files_other_seed_other_files(tmp_path: Path) -> None:
    first = forge(tmp_path / "a", seed=5, n=2)
    again = forge(tmp_path / "b", seed=5, n=2)
    other = forge(tmp_path / "c", seed=6, n=2)
    assert first == again and first != other
    for truth in first:
        name = str(truth["file"])
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_truth_is_what_the_receipt_prints() -> None:
    for index in range(len(FAMILIES)):
        receipt = receipt_for(7, index)
        printed = [f"{row.left} {row.right}" for row in receipt.rows]
        assert any(receipt.money.number(receipt.paid) in line for line in printed)
        # the sign is the first thing printed, as is or upper-cased (a terminal cuts it)
        first = next(row.left for row in receipt.rows if row.kind == "text")
        signs = (receipt.merchant, receipt.merchant.upper())
        assert first in signs or any(line.strip() in signs for line in printed[:3])
        assert Decimal(str(receipt.truth("x.png")["total"])) == receipt.paid
