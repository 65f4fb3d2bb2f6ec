"""`python -m shared.cli COMMAND ...`: ops and benchmark entry points.

Each command lives next to the engine it drives (`shared/<engine>/commands.py`,
function `main(argv) -> int`); this module only dispatches, so engines stay
independent of each other.
"""

from __future__ import annotations

import importlib
import os
import sys

COMMANDS = {
    "extract": "shared.extraction.commands:extract_main",
    "match": "shared.matching.commands:match_main",
    "statement": "shared.formats.commands:statement_main",
    "pain001": "shared.formats.commands:pain001_main",
    "ops": "shared.ops_commands:ops_main",
    "dead-letters": "shared.ops_commands:dead_letters_main",
}

# Commands whose process, once its answer is written, only frees memory on its
# way out: the interpreter's teardown (a last full garbage collection, then every
# cached object freed one by one) is a tenth of a large matching run, for nothing.
# Run as a program, these end the process as soon as their output is flushed.
ENDS_AT_ONCE = frozenset({"match"})


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help") or argv[0] not in COMMANDS:
        print("usage: python -m shared.cli {" + ",".join(COMMANDS) + "} ...", file=sys.stderr)
        return 0 if argv and argv[0] in ("-h", "--help") else 2
    from shared.config import settings

    config = settings()  # a malformed variable stops here, named
    if argv[0] == "extract":
        # Only extraction reads images: the other commands do not load the OCR stack.
        from shared.extraction import ocr

        ocr.configure(**config.ocr_options())
    module_name, func_name = COMMANDS[argv[0]].split(":")
    handler = getattr(importlib.import_module(module_name), func_name)
    return int(handler(argv[1:]) or 0)


def _end_at_once(status: int) -> None:
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:
        return  # (a closed pipe): the usual exit reports it
    os._exit(status)


if __name__ == "__main__":
    exit_status = main()
    if sys.argv[1:2] and sys.argv[1] in ENDS_AT_ONCE:
        _end_at_once(exit_status)
    sys.exit(exit_status)
