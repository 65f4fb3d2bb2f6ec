"""`python -m shared.cli match --organization ORG.json --transactions TX.jsonl --documents DOCS.jsonl`.

Prints one JSON line per document, in input order:
`{"document_id", "transaction_id" (or null), "score", "reasons", "flags"}`.
A malformed input line is reported on stderr with its file and line number,
and the command exits with status 2 (nothing is printed on stdout then).
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import TypeVar

from shared.errors import Invalid
from shared.matching.engine import match
from shared.matching.model import DocumentLine, MalformedLine, OrganizationProfile, TransactionLine

T = TypeVar("T")


class InputError(Invalid):
    """An input file is unreadable or holds a malformed line; the message names both."""


def _loads(text: str) -> object:
    # Numbers become Decimal, never float: amounts stay exact.
    return json.loads(text, parse_float=Decimal)


def read_jsonl(path: Path, build: Callable[[dict, int], T]) -> list[T]:
    """Read a JSON-lines file with `build(obj, line_no)`; blank lines are skipped."""
    numbered = list(_lines(path))
    try:
        # One decoder call for the whole file is much faster than one per line;
        # on a syntax error, decode line by line to name the line at fault.
        objects = _loads("[" + ",".join(text for _, text in numbered) + "]")
    except json.JSONDecodeError:
        objects = []
        for line_no, text in numbered:
            try:
                objects.append(_loads(text))
            except json.JSONDecodeError as exc:
                raise InputError(f"{path}: line {line_no}: invalid JSON: {exc.msg}") from None
    if len(objects) != len(numbered):  # type: ignore[arg-type]
        # A line held several values (`{} {}`): find it.
        for line_no, text in numbered:
            try:
                _loads(text)
            except json.JSONDecodeError as exc:
                raise InputError(f"{path}: line {line_no}: invalid JSON: {exc.msg}") from None
    out = []
    for (line_no, _), obj in zip(numbered, objects, strict=False):  # type: ignore[call-overload]
        try:
            out.append(build(obj, line_no))
        except MalformedLine as exc:
            raise InputError(f"{path}: {exc}") from None
    return out


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    try:
        with path.open(encoding="utf-8") as handle:
            for line_no, text in enumerate(handle, start=1):
                if text.strip():
                    yield line_no, text
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text") from None


def read_organization(path: Path) -> OrganizationProfile:
    """Read ORG.json (`{"name", "vat", "siren", "ibans"}`)."""
    try:
        obj = _loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: invalid JSON: {exc}") from None
    try:
        return OrganizationProfile.from_json(obj)  # type: ignore[arg-type]
    except MalformedLine as exc:
        raise InputError(f"{path}: {exc}") from None


def match_main(argv: list[str]) -> int:
    """CLI entry point; returns the exit status (0 ok, 2 bad input)."""
    parser = argparse.ArgumentParser(
        prog="python -m shared.cli match",
        description="Match documents to bank transactions; one JSON line per document.",
    )
    parser.add_argument("--organization", required=True, type=Path, help="ORG.json")
    parser.add_argument("--transactions", required=True, type=Path, help="TX.jsonl")
    parser.add_argument("--documents", required=True, type=Path, help="DOCS.jsonl")
    args = parser.parse_args(argv)
    # Reading and matching build a dozen objects per line, none in a reference
    # cycle: the cyclic collector would only rescan the growing heap again and
    # again (a fifth of the run at 100,000 lines). Reference counting still frees
    # everything, so memory stays linear in the input.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _run(args)
    finally:
        if collecting:
            gc.enable()


def _run(args: argparse.Namespace) -> int:
    try:
        organization = read_organization(args.organization)
        transactions = read_jsonl(args.transactions, TransactionLine.from_json)
        documents = read_jsonl(args.documents, DocumentLine.from_json)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    out = sys.stdout
    for result in match(organization, transactions, documents):
        out.write(json.dumps(result.to_json(), ensure_ascii=False) + "\n")
    out.flush()
    return 0
