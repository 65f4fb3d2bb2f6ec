"""`python -m shared.cli match --organization ORG.json --transactions TX.jsonl --documents DOCS.jsonl [--aliases ALIASES.jsonl]`.

Prints one JSON line per document, in input order:
`{"document_id", "transaction_id" (or null), "score", "reasons", "flags"}`.

Every input is read and checked before anything is matched or printed. A
malformed or absurd line is reported on stderr with its file and line number,
and the command exits with status 2 with nothing on stdout: invalid JSON, a line
longer than `MAX_LINE_CHARS`, nesting deeper than the JSON decoder allows, an
integer literal longer than `MAX_INT_DIGITS`, text with a lone surrogate, a
value outside the bounds of `shared.matching.model` (amounts, years, lengths),
a second line with an id already used, more than `MAX_LINES` lines, a file larger than
`MAX_FILE_BYTES` (refused before it is read).
`--aliases` takes the organization's learned aliases (`shared.matching.aliases`).
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import sys
from collections.abc import Callable, Iterator
from decimal import Decimal
from json.encoder import encode_basestring as _json_text
from pathlib import Path
from typing import TypeVar

from shared.errors import Invalid
from shared.matching.aliases import MAX_ALIASES, AliasLine
from shared.matching.engine import MatchResult, match
from shared.matching.model import (
    DocumentLine,
    MalformedLine,
    OrganizationProfile,
    TransactionLine,
    plain_document_lines,
    plain_transaction_lines,
)

T = TypeVar("T")

MAX_LINES = 2_000_000  # per file: 2M transactions is decades of a busy account
MAX_FILE_BYTES = 1 << 30  # 1 GiB: 2M lines of ~300 bytes fit; more is refused before reading
MAX_LINE_CHARS = 65_536
MAX_INT_DIGITS = 30  # ids or amounts written as integers; anything longer is hostile
MAX_ORGANIZATION_CHARS = 1_000_000


class InputError(Invalid):
    """An input file is unreadable or holds a malformed line; the message names both."""


class _TooLong(ValueError):
    pass


def _int(text: str) -> int:
    if len(text) > MAX_INT_DIGITS:
        raise _TooLong(f"an integer of {len(text)} digits (at most {MAX_INT_DIGITS})")
    return int(text)


def _loads(text: str) -> object:
    # Numbers become Decimal, never float: amounts stay exact. Long integers are
    # refused before Python converts them (a 5,000-digit literal costs quadratic time).
    return json.loads(text, parse_float=Decimal, parse_int=_int)


def _decode_line(path: Path, line_no: int, text: str) -> object:
    """One line's JSON value, or InputError naming the line."""
    try:
        return _loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}: line {line_no}: invalid JSON: {exc.msg}") from None
    except RecursionError:
        raise InputError(f"{path}: line {line_no}: invalid JSON: nesting too deep") from None
    except _TooLong as exc:
        raise InputError(f"{path}: line {line_no}: invalid JSON: {exc}") from None
    except ValueError as exc:  # e.g. Python's own integer digit limit
        raise InputError(f"{path}: line {line_no}: invalid JSON: {exc}") from None


def read_jsonl(
    path: Path,
    build: Callable[[dict, int], T],
    read_plain: Callable[[str], list[T] | None] | None = None,
) -> list[T]:
    """Read a JSON-lines file with `build(obj, line_no)`; blank lines are skipped.

    `read_plain(text)`, if given, reads a whole file of common lines as `build`
    reads each (or returns None), faster than the JSON decoder."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror}") from None
    if size > MAX_FILE_BYTES:
        raise InputError(f"{path}: {size:,} bytes, at most {MAX_FILE_BYTES:,}")
    fast = _read_plain_jsonl(path, build, read_plain)
    if fast is not None:
        return fast
    numbered = list(_lines(path))
    try:
        # One decoder call for the whole file is much faster than one per line;
        # on any error, decode line by line to name the line at fault.
        objects = _loads("[" + ",".join(text for _, text in numbered) + "]")
    except (ValueError, RecursionError):
        objects = [_decode_line(path, line_no, text) for line_no, text in numbered]
    if len(objects) != len(numbered):  # type: ignore[arg-type]
        # A line held several values (`{} {}`): find it.
        for line_no, text in numbered:
            _decode_line(path, line_no, text)
    out = []
    for (line_no, _), obj in zip(numbered, objects, strict=False):  # type: ignore[call-overload]
        try:
            out.append(build(obj, line_no))
        except MalformedLine as exc:
            raise InputError(f"{path}: {exc}") from None
    _unique_ids(path, out, [line_no for line_no, _ in numbered])
    return out


def _read_plain_jsonl(
    path: Path,
    build: Callable[[dict, int], T],
    read_plain: Callable[[str], list[T] | None] | None,
) -> list[T] | None:
    """The common file, read in bulk: one value per line, no blank line, every line
    within bounds, every record well formed. None sends anything else (and every
    error) to the line-by-line reader, which names the line at fault."""
    try:
        with path.open(encoding="utf-8") as handle:
            text = handle.read()
    except (OSError, UnicodeDecodeError):
        return None
    if read_plain is not None:
        records = read_plain(text)
        if records is not None and len(records) <= MAX_LINES and _ids_unique(records):
            return records
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if not lines or len(lines) > MAX_LINES or max(map(len, lines)) >= MAX_LINE_CHARS:
        return None
    try:
        objects = _loads("[" + ",".join(lines) + "]")
    except (ValueError, RecursionError):
        return None
    if not isinstance(objects, list) or len(objects) != len(lines):
        return None
    try:
        records = [build(obj, line_no) for line_no, obj in enumerate(objects, start=1)]
    except MalformedLine:
        return None
    return records if _ids_unique(records) else None


def _ids_unique(records: list) -> bool:
    return len({record.id for record in records}) == len(records)


def _unique_ids(path: Path, records: list, line_numbers: list[int]) -> None:
    """Refuse a second record with an id already used (ids name the results)."""
    first: dict[str, int] = {}
    for record, line_no in zip(records, line_numbers, strict=True):
        seen = first.setdefault(record.id, line_no)
        if seen != line_no:
            raise InputError(
                f"{path}: line {line_no}: field 'id': {record.id!r} is already used on line {seen}"
            )


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    try:
        with path.open(encoding="utf-8") as handle:
            for line_no, text in enumerate(handle, start=1):
                if len(text) > MAX_LINE_CHARS:
                    raise InputError(
                        f"{path}: line {line_no}: {len(text)} characters, at most {MAX_LINE_CHARS}"
                    )
                if line_no > MAX_LINES:
                    raise InputError(f"{path}: more than {MAX_LINES} lines")
                if text.strip():
                    yield line_no, text
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text") from None


def read_organization(path: Path) -> OrganizationProfile:
    """Read ORG.json (`{"name", "vat", "siren", "ibans"}`)."""
    try:
        with path.open(encoding="utf-8") as handle:
            text = handle.read(MAX_ORGANIZATION_CHARS + 1)
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text") from None
    if len(text) > MAX_ORGANIZATION_CHARS:
        raise InputError(f"{path}: longer than {MAX_ORGANIZATION_CHARS} characters")
    obj = _decode_line(path, 1, text)
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
    parser.add_argument("--aliases", type=Path, help="ALIASES.jsonl: learned aliases")
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
        transactions = read_jsonl(
            args.transactions, TransactionLine.from_json, plain_transaction_lines
        )
        documents = read_jsonl(args.documents, DocumentLine.from_json, plain_document_lines)
        aliases = read_jsonl(args.aliases, AliasLine.from_json) if args.aliases else []
        if len(aliases) > MAX_ALIASES:
            raise InputError(f"{args.aliases}: more than {MAX_ALIASES} aliases")
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    results = match(organization, transactions, documents, aliases=aliases)
    # The whole answer is built before anything is written: all or nothing.
    text = "".join(map(json_line, results))
    sys.stdout.write(text)
    sys.stdout.flush()
    return 0


def json_line(result: MatchResult) -> str:
    """`json.dumps(result.to_json(), ensure_ascii=False)` and a line end: the same
    text, written out. A JSON encoder call per line costs twice as much (it sets
    up an encoder each time: 2 % of a 10,000-document run)."""
    score = result.score
    if type(score) is not float or not math.isfinite(score):
        return json.dumps(result.to_json(), ensure_ascii=False) + "\n"
    transaction_id = result.transaction_id
    return (
        f'{{"document_id": {_json_text(result.document_id)}, '
        f'"transaction_id": {"null" if transaction_id is None else _json_text(transaction_id)}, '
        f'"score": {float.__repr__(score)}, '
        f'"reasons": [{", ".join(map(_json_text, result.reasons))}], '
        f'"flags": [{", ".join(map(_json_text, result.flags))}]}}\n'
    )
