"""Benchmark of the nightly export (issue 5): RECEIPTS receipts to the fake Drive, with
FAULT_RATE of all Drive calls failing with 429, 403 userRateLimitExceeded or 5xx.

    python bench/export.py [--receipts 2000] [--fault-rate 0.10] [--seed 5] [--base-delay 0.02]

Runs on the local emulators (Firestore, Storage) and the fake Drive over HTTP, through the
real google-api-python-client. The receipts (small PDFs, unique bytes) are attached to
transactions over 14 months on 2 accounts. The backend's backoff keeps its shape
(exponential, full jitter, 7 attempts) but starts at `--base-delay` seconds instead of
1 s, so that the run measures our code rather than sleeping; say so when quoting figures.

Prints the backfill's wall time and throughput, Drive calls per receipt and by method, the
retries, then the duplicates and the missing files (both must be 0), checked against the
fake's own state: a duplicate is a second live file with the same name in one folder; a
missing file is a receipt with no live file of its name and bytes in its month folder.
A second run (nothing new, faults still on) is timed too: its cost is the per-file
existence checks of the self-healing.
"""

from __future__ import annotations

import argparse
import hashlib
import logging
import random
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from local.demo import DEMO_ACCOUNT_ID, DEMO_ORG_ID, seed_demo_company  # noqa: E402
from local.emulators import LocalCloud  # noqa: E402
from shared import runtime  # noqa: E402
from shared.destinations.base import Destination  # noqa: E402
from shared.destinations.factory import build_destination  # noqa: E402
from shared.domain.entities import (  # noqa: E402
    Document,
    DocumentStatus,
    OperationType,
    Transaction,
)
from shared.domain.money import Money  # noqa: E402
from shared.store.integrations import IntegrationStore  # noqa: E402
from shared.usecases.nightly_export import (  # noqa: E402
    ExportDeps,
    Receipt,
    account_folder_name,
    paris_month,
    receipt_file_name,
    setup_export,
    sync_integration,
)
from tests.fakes.google_drive import FOLDER_MIME, FakeDrive  # noqa: E402
from tests.fakes.http_server import ThreadedServer  # noqa: E402

PARIS = ZoneInfo("Europe/Paris")
TOKEN = "bench-token"
ORG = DEMO_ORG_ID
ACCOUNTS = [DEMO_ACCOUNT_ID, "acc-savings"]
MERCHANTS = ["SNCF INTERNET", "AMZN Mktp FR", "PAYPAL *UBER", "Boulangerie du Marché",
             "Imprimerie Dubois", "Garage Martin", "Café du Coin", "Librairie Leroy"]  # fmt: skip


def build_receipts(n: int, seed: int) -> list[tuple[Transaction, Document, bytes]]:
    rng = random.Random(seed)
    start = datetime(2025, 10, 1, tzinfo=PARIS)
    out = []
    for i in range(n):
        emitted = start + timedelta(minutes=rng.randrange(0, 60 * 24 * 425))
        amount = Money.parse(Decimal(-rng.randrange(100, 200_000)) / 100, "EUR")
        tx = Transaction(
            id=f"tx-bench-{i:05d}",
            organization_id=ORG,
            account_id=ACCOUNTS[i % 2],
            amount=amount,
            counterparty=rng.choice(MERCHANTS),
            operation_type=OperationType.CARD,
            emitted_at=emitted,
            attachment_ids=(f"doc-bench-{i:05d}",),
        )
        data = b"%PDF-1.4\n% bench receipt " + str(i).encode() + b"\n" + rng.randbytes(2048)
        doc = Document(
            id=f"doc-bench-{i:05d}",
            organization_id=ORG,
            source="bench",
            checksum=hashlib.sha256(data).hexdigest(),
            storage_uri="",
            media_type="application/pdf",
            received_at=emitted + timedelta(hours=1),
            status=DocumentStatus.MATCHED,
            transaction_id=tx.id,
        )
        out.append((tx, doc, data))
    return out


def audit(fake: FakeDrive, expected: dict[tuple[str, str, str], str]) -> tuple[int, int]:
    """(duplicates, missing) from the fake's state; `expected` maps (account folder, month,
    file name) to the md5 of the receipt's bytes."""
    (root,) = [c for c in fake.children(None) if c["name"] == "Receipts"]
    (company,) = fake.children(root["id"])
    seen: Counter[tuple[str, str, str]] = Counter()
    md5s: dict[tuple[str, str, str], set[str]] = {}
    for account in fake.children(company["id"]):
        for month in fake.children(account["id"]):
            for item in fake.children(month["id"]):
                if item["mimeType"] == FOLDER_MIME:
                    continue
                key = (account["name"], month["name"], item["name"])
                seen[key] += 1
                md5s.setdefault(key, set()).add(item["md5Checksum"])
    duplicates = sum(count - 1 for count in seen.values())
    missing = sum(1 for key, md5 in expected.items() if md5 not in md5s.get(key, set()))
    return duplicates, missing


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--receipts", type=int, default=2000)
    parser.add_argument("--fault-rate", type=float, default=0.10)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--base-delay", type=float, default=0.02)
    args = parser.parse_args(argv)

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # the fake's access log
    receipts = build_receipts(args.receipts, args.seed)
    cloud = LocalCloud.start("bench-export", log_dir=Path(tempfile.mkdtemp(prefix="export-bench-")))
    fake = FakeDrive(token=TOKEN)
    server = ThreadedServer(fake).start()
    try:
        cloud.export_environ()
        runtime.reset_for_tests()
        blobs = runtime.blobs()
        blobs.ensure_bucket()
        store = runtime.store()
        seed_demo_company(store)

        def seed(item: tuple[Transaction, Document, bytes]) -> Document:
            tx, doc, data = item
            uri, _ = blobs.put_document(ORG, data, "application/pdf")
            doc = replace(doc, storage_uri=uri)
            store.put_transaction(tx)
            store.save_document(doc)
            return doc

        t0 = time.perf_counter()
        with ThreadPoolExecutor(max_workers=8) as pool:
            docs = list(pool.map(seed, receipts))
        print(f"seeded {len(docs)} matched receipts in {time.perf_counter() - t0:.1f} s")

        accounts = {a.id: a for a in store.list_accounts(ORG)}
        expected: dict[tuple[str, str, str], str] = {}
        for (tx, _, data), doc in zip(receipts, docs, strict=True):
            key = (
                account_folder_name(accounts[tx.account_id], tx.account_id),
                paris_month(tx.emitted_at),
                receipt_file_name(Receipt(doc, tx, accounts[tx.account_id])),
            )
            expected[key] = hashlib.md5(data).hexdigest()

        deps = ExportDeps(
            store=store,
            integrations=IntegrationStore(store.db),
            blobs=blobs,
            publish_sync=lambda payload: "bench",
            time_budget_seconds=1e9,
            checkpoint_every=50,
        )
        built: list = []

        def build(kind: str, config: dict) -> Destination:
            destination = build_destination(kind, config)
            built.append(destination)
            return destination

        deps.build_destination = build
        config = {
            "access_token": TOKEN,
            "root_url": server.base_url + "/",
            "retry": {"base_delay": args.base_delay, "max_delay": 32 * args.base_delay},
        }
        setup_export(
            deps, ORG, "export-bench", "google_drive", config, datetime(2025, 1, 1, tzinfo=PARIS)
        )
        fake.random_faults(args.fault_rate, seed=args.seed, statuses=(429, 403, 500, 503))

        for label in ("backfill", "second run (nothing new)"):
            fake.reset_calls()
            t0 = time.perf_counter()
            result = sync_integration(deps, ORG, "export-bench")
            wall = time.perf_counter() - t0
            calls = sum(fake.calls.values())
            n = len(receipts)
            print(f"\n{label}: {n} receipts, {args.fault_rate:.0%} of Drive calls failing")
            print(f"  outcome={result.outcome} uploaded={result.uploaded} adopted={result.adopted}"
                  f" progress={result.progress.exported}/{result.progress.total}")  # fmt: skip
            print(f"  wall time: {wall:.1f} s, throughput {n / wall:.1f} receipts/s")
            print(f"  Drive API calls: {calls} total, {calls / n:.2f} per receipt,"
                  f" retries after injected faults: {built[-1].retries}")  # fmt: skip
            print("  by method: " + ", ".join(f"{k}={v}" for k, v in sorted(fake.calls.items())))

        fake.random_faults(0.0, seed=0)
        duplicates, missing = audit(fake, expected)
        print(f"\nduplicates: {duplicates}\nmissing: {missing}")
        return 0 if duplicates == 0 and missing == 0 else 1
    finally:
        server.stop()
        cloud.stop()


if __name__ == "__main__":
    sys.exit(main())
