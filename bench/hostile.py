"""Peak memory and time of extraction for each hostile file kind (issue 16), worst case.

    .venv/bin/python bench/hostile.py [KIND...]

Each file is built, then extracted in a fresh process (so its peak RSS is its own) without the
worker's budgets, with a 3 GiB address-space guard so that a regression cannot take the
machine down. Targets: peak memory <= 1.5 GB and time <= 30 s for every kind.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

GUARD_BYTES = 3 * 1024**3
TIMEOUT = 180


def one(kind: str) -> None:
    import resource

    from tests.hostile.files import HOSTILE_KINDS

    data = HOSTILE_KINDS[kind]()
    resource.setrlimit(resource.RLIMIT_AS, (GUARD_BYTES, GUARD_BYTES))
    from shared.extraction.pipeline import extract

    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    try:
        result = extract(data, source_name=kind)
        outcome = result.refusal_code or "read:" + ",".join(
            f"{d.text_source}:{d.total}" for d in result.documents
        )
    except MemoryError:
        outcome = "MemoryError"
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "kind": kind,
                "bytes": len(data),
                "seconds": seconds,
                "peak_kb": peak,
                "before_kb": base,
                "outcome": outcome,
            }
        )
    )


def main(kinds: list[str]) -> int:
    from tests.hostile.files import CORPUS, HOSTILE_KINDS

    kinds = kinds or list(HOSTILE_KINDS)
    worst_mb = worst_s = 0.0
    failures = 0
    print(f"{'kind':32} {'file':>10} {'peak MB':>8} {'seconds':>8}  outcome")
    for kind in kinds:
        if getattr(HOSTILE_KINDS[kind], "needs_corpus", False) and not CORPUS.exists():
            print(f"{kind:32} skipped (no corpus at {CORPUS})")
            continue
        try:
            out = subprocess.run(
                [sys.executable, __file__, "--one", kind],
                capture_output=True,
                text=True,
                timeout=TIMEOUT,
                cwd=ROOT,
                check=False,
            )
            line = json.loads(out.stdout.strip().splitlines()[-1])
        except subprocess.TimeoutExpired:
            line = {
                "kind": kind,
                "bytes": 0,
                "seconds": TIMEOUT,
                "peak_kb": 0,
                "outcome": "TIMEOUT",
            }
        except (IndexError, json.JSONDecodeError):
            line = {
                "kind": kind,
                "bytes": 0,
                "seconds": 0,
                "peak_kb": 0,
                "outcome": "CRASH " + out.stderr[-300:],
            }
        mb = line["peak_kb"] / 1024
        worst_mb, worst_s = max(worst_mb, mb), max(worst_s, line["seconds"])
        bad = mb > 1536 or line["seconds"] > 30 or line["outcome"] in ("TIMEOUT", "MemoryError")
        failures += bad
        print(
            f"{kind:32} {line['bytes']:>10} {mb:>8.0f} {line['seconds']:>8.2f}  "
            f"{line['outcome'][:60]}{'  <-- over target' if bad else ''}"
        )
    print(f"worst case: peak {worst_mb:.0f} MB (target <= 1536), {worst_s:.1f} s (target <= 30)")
    return 1 if failures else 0


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--one":
        one(sys.argv[2])
    else:
        sys.exit(main(sys.argv[1:]))
