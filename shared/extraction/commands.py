"""`python -m shared.cli extract FILE...`: one JSON line per document found.

A refused file prints `{"source_file": ..., "refused": "<reason>", ...}`; the command still
exits 0 as long as it could read its arguments (2 for bad usage, 1 if a file cannot be read).
"""

from __future__ import annotations

import argparse
import json
import sys

from .intake import MAX_BYTES


def extract_main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m shared.cli extract",
        description="Extract receipt/invoice fields; prints one JSON line per document.",
    )
    parser.add_argument("files", nargs="+", metavar="FILE")
    parser.add_argument("--max-bytes", type=int, default=MAX_BYTES, help="size limit per file")
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)

    from .pipeline import extract

    status = 0
    for path in args.files:
        try:
            with open(path, "rb") as handle:
                data = handle.read()
        except OSError as exc:
            print(f"extract: cannot read {path}: {exc.strerror}", file=sys.stderr)
            status = 1
            continue
        result = extract(data, source_name=path, max_bytes=args.max_bytes)
        for line in result.to_json_lines(path):
            print(json.dumps(line, ensure_ascii=False), flush=True)
    return status
