"""No rule may name a corpus file or a corpus merchant: the engine must generalise.

Scans every Python file under shared/ and functions/ for the names of the files of the
shared corpora (and the upstream names inside them, "zcorpus__EN16931_Einfach" ->
"EN16931_Einfach") and for the merchants and sellers their keys name. Purely numeric or
short stems ("000", "de-001") are skipped: they are not names and occur in any code.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
CORPUS = (ROOT / ".." / "shared" / "corpus").resolve()
needs_corpus = pytest.mark.skipif(not CORPUS.exists(), reason="shared corpus not mounted")


def _stems() -> set[str]:
    stems: set[str] = set()
    for path in CORPUS.rglob("*"):
        if not path.is_file() or path.suffix.lower() not in (".pdf", ".json", ".jpg", ".png"):
            continue
        for stem in {path.stem, path.stem.split("__")[-1]}:
            if len(stem) >= 5 and re.search(r"[A-Za-z]{3}", stem):
                stems.add(stem.lower())
    return stems


def _merchants() -> set[str]:
    names: set[str] = set()
    for path in CORPUS.rglob("*.json"):
        try:
            data = json.loads(path.read_text())
        except (ValueError, UnicodeDecodeError):
            continue
        records = data if isinstance(data, list) else [data]
        for record in records:
            if not isinstance(record, dict):
                continue
            for key in ("company", "seller_name", "buyer_name", "issuer", "partner_name"):
                value = record.get(key)
                if isinstance(value, str):
                    compact = re.sub(r"[^A-Z0-9]", "", value.upper())
                    if len(compact) >= 10:
                        names.add(compact)
    return names


def _sources() -> dict[Path, str]:
    files = [*ROOT.joinpath("shared").rglob("*.py"), *ROOT.joinpath("functions").rglob("*.py")]
    return {path: path.read_text(encoding="utf-8") for path in files}


@needs_corpus
def test_source_names_no_corpus_file():
    stems = _stems()
    assert len(stems) > 50  # the corpus is there and was read
    pattern = re.compile(
        r"(?<![a-z0-9])(?:"
        + "|".join(sorted(map(re.escape, stems), key=len, reverse=True))
        + r")(?![a-z0-9])"
    )
    offenders = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path, text in _sources().items()
        for match in pattern.finditer(text.lower())
    ]
    assert offenders == []


@needs_corpus
def test_source_names_no_corpus_merchant():
    merchants = _merchants()
    assert len(merchants) > 50
    compact = {path: re.sub(r"[^A-Z0-9]", "", text.upper()) for path, text in _sources().items()}
    offenders = [
        f"{path.relative_to(ROOT)}: {name}"
        for path, text in compact.items()
        for name in merchants
        if name in text
    ]
    assert offenders == []
