"""Benchmark of the Drive Dropzone import (issue 6): one run over FILES files against
TRANSACTIONS bank transactions, on the fake Drive server and the local emulators.

    python bench/dropzone.py [--files 500] [--transactions 20000] [--seed 6]

Files (fixed seed, so runs are comparable):
- 80% one-invoice PDFs whose payment is among the transactions (should end in Matched);
- 8% two-invoice PDFs, both paid (Matched);
- 7% invoices not paid yet (stay in Processing, listed as awaiting payment);
- 5% unsupported: GIFs renamed .jpg and PDFs over 15 MB (Unsupported).
The PDFs are real PDFs with a text layer (no OCR): this measures the import's own cost
(Drive calls, Firestore, matching) plus text-layer extraction, not OCR speed, which
bench/extraction.py measures.

Prints the wall time of the run, Drive API calls in total, per file and by method, the
outcome counts, and how many attachments went to the expected transaction. A second run
over the same folders (nothing new) is timed too.
"""

from __future__ import annotations

import argparse
import io
import logging
import random
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from local.demo import DEMO_ACCOUNT_ID, DEMO_ORG_ID, seed_demo_company  # noqa: E402
from local.emulators import LocalCloud  # noqa: E402
from local.samples import text_pdf  # noqa: E402
from shared import runtime  # noqa: E402
from shared.destinations.google_drive import GoogleDrive, build_drive_service  # noqa: E402
from shared.domain.entities import OperationType, Transaction  # noqa: E402
from shared.domain.money import Money  # noqa: E402
from shared.store.dropzone import DEFAULT_INTEGRATION_ID, DropzoneRepository  # noqa: E402
from shared.usecases.dropzone_import import (  # noqa: E402
    DropzoneDeps,
    connect_dropzone,
    run_dropzone,
)
from tests.fakes.google_drive import FakeDrive  # noqa: E402
from tests.fakes.http_server import ThreadedServer  # noqa: E402

PARIS = ZoneInfo("Europe/Paris")
TOKEN = "bench-token"
ORG = DEMO_ORG_ID

FIRST = [
    "Imprimerie",
    "Transports",
    "Cabinet",
    "Garage",
    "Atelier",
    "Agence",
    "Boulangerie",
    "Menuiserie",
    "Studio",
    "Laboratoire",
    "Librairie",
    "Pharmacie",
    "Plomberie",
    "Traiteur",
]
SECOND = [
    "Dubois",
    "Legrand",
    "Mercier",
    "Martin",
    "Bernard",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Simon",
    "Laurent",
    "Lefebvre",
    "Michel",
    "Garcia",
    "David",
    "Bertrand",
    "Roux",
    "Vincent",
    "Fournier",
    "Morel",
    "Girard",
    "Andre",
    "Mercier",
    "Blanc",
]
FORMS = ["SARL", "SAS", "EURL", "SA"]


def invoice_lines(supplier: str, number: str, issued: date, due: date, total: Decimal) -> list[str]:
    amount = f"{total:,.2f}".replace(",", " ").replace(".", ",")
    return [
        supplier,
        "8 avenue des Canuts, 69003 Lyon",
        "",
        "FACTURE",
        f"Numéro de facture: {number}",
        f"Date de facture: {issued:%d/%m/%Y}",
        f"Date d'échéance: {due:%d/%m/%Y}",
        "",
        "Client:",
        "Atelier Lumière SAS",
        "TVA client: FR40303265045",
        "",
        f"{'Prestation de services':<30}{amount} EUR",
        f"{'TOTAL TTC':<30}{amount} EUR",
        f"{'Net à payer':<30}{amount} EUR",
        "",
        "Page 1/1",
    ]


def pdf(pages: list[list[str]], padding: int = 0) -> bytes:
    """A real PDF, one page per list of lines (text layer): local.samples.text_pdf."""
    return text_pdf(pages, padding=padding)


def _cents(value: Decimal) -> int:
    return int(abs(value) * 100)


def gif() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(buffer, format="GIF")
    return buffer.getvalue()


def transaction(tx_id: str, amount: Decimal, counterparty: str, when: datetime) -> Transaction:
    return Transaction(
        id=tx_id,
        organization_id=ORG,
        account_id=DEMO_ACCOUNT_ID,
        amount=Money.parse(amount, "EUR"),
        counterparty=counterparty,
        operation_type=OperationType.TRANSFER,
        emitted_at=when,
        settled_at=when + timedelta(days=1),
    )


def build_corpus(files: int, total_transactions: int, seed: int):
    """(files to drop, transactions, expected {invoice key -> transaction id})."""
    rng = random.Random(seed)
    used_amounts: set[Decimal] = set()

    def amount() -> Decimal:
        while True:
            value = Decimal(rng.randint(2_000, 900_000)) / 100
            if value not in used_amounts:
                used_amounts.add(value)
                return value

    def supplier(i: int) -> str:
        return f"{rng.choice(FIRST)} {SECOND[i % len(SECOND)]} {i} {rng.choice(FORMS)}"

    drops: list[tuple[str, bytes, str]] = []
    txs: list[Transaction] = []
    expected: dict[int, str] = {}

    def invoice(i: int, k: int, paid: bool) -> list[str]:
        name = supplier(i * 3 + k)
        issued = date(2026, 9, 1) + timedelta(days=rng.randint(0, 75))
        due = issued + timedelta(days=30)
        total = amount()
        number = f"F{i:04d}-{k}"
        if paid:
            when = datetime.combine(issued, datetime.min.time(), tzinfo=PARIS) + timedelta(
                days=rng.randint(0, 35), hours=10
            )
            tx_id = f"tx-inv-{i}-{k}"
            txs.append(transaction(tx_id, -total, name.upper(), when))
            expected[_cents(total)] = tx_id
        return invoice_lines(name, number, issued, due, total)

    n_two = files * 8 // 100
    n_unpaid = files * 7 // 100
    n_bad = files * 5 // 100
    n_one = files - n_two - n_unpaid - n_bad
    for i in range(n_one):
        drops.append((f"invoice-{i:04d}.pdf", pdf([invoice(i, 0, True)]), "application/pdf"))
    for i in range(n_one, n_one + n_two):
        pages = [invoice(i, 0, True), invoice(i, 1, True)]
        drops.append((f"batch-{i:04d}.pdf", pdf(pages), "application/pdf"))
    for i in range(n_one + n_two, n_one + n_two + n_unpaid):
        drops.append((f"unpaid-{i:04d}.pdf", pdf([invoice(i, 0, False)]), "application/pdf"))
    for i in range(n_bad):
        if i % 2:
            drops.append((f"photo-{i:03d}.jpg", gif(), "image/jpeg"))
        else:
            big = pdf(
                [
                    invoice_lines(
                        "Big SARL", "B1", date(2026, 10, 1), date(2026, 11, 1), Decimal("10.00")
                    )
                ],
                padding=16 * 1024 * 1024,
            )
            drops.append((f"scan-{i:03d}.pdf", big, "application/pdf"))
    rng.shuffle(drops)

    pool = [supplier(10_000 + i).upper() for i in range(300)]
    start = datetime(2026, 1, 1, 9, 0, tzinfo=PARIS)
    for j in range(total_transactions - len(txs)):
        when = start + timedelta(minutes=rng.randint(0, 330 * 24 * 60))
        txs.append(transaction(f"tx-noise-{j}", -amount(), rng.choice(pool), when))
    return drops, txs, expected


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=500)
    parser.add_argument("--transactions", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=6)
    args = parser.parse_args(argv)

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one access line per Drive call
    drops, txs, expected = build_corpus(args.files, args.transactions, args.seed)
    cloud = LocalCloud.start("bench-dropzone", log_dir=Path(tempfile.mkdtemp(prefix="dz-bench-")))
    fake = FakeDrive(token=TOKEN)
    server = ThreadedServer(fake).start()
    try:
        cloud.export_environ()
        runtime.reset_for_tests()
        runtime.blobs().ensure_bucket()
        store = runtime.store()
        seed_demo_company(store)
        t0 = time.perf_counter()
        with ThreadPoolExecutor(max_workers=8) as pool:
            list(pool.map(store.put_transaction, txs))
        print(f"seeded {len(txs)} transactions in {time.perf_counter() - t0:.1f} s")

        repo = DropzoneRepository(store)

        def drive(_integration=None) -> GoogleDrive:
            return GoogleDrive(build_drive_service(TOKEN, root_url=server.base_url + "/"))

        integration = connect_dropzone(ORG, drive(), repo, root_name="Invoices - bench")
        for name, data, mime in drops:
            fake.user_upload(integration.folders["dropzone"], name, data, mime)
        deps = DropzoneDeps(
            store=store, repo=repo, blobs=runtime.blobs(), drive_for=drive, time_budget=1e9
        )

        for label in ("first run", "second run (nothing new)"):
            fake.reset_calls()
            t0 = time.perf_counter()
            report = run_dropzone(ORG, DEFAULT_INTEGRATION_ID, deps)
            wall = time.perf_counter() - t0
            calls = sum(fake.calls.values())
            print(f"\n{label}: {len(drops)} files, {len(txs)} transactions")
            print(f"  wall time: {wall:.1f} s ({wall / len(drops) * 1000:.0f} ms per file)")
            print(f"  Drive API calls: {calls} total, {calls / len(drops):.2f} per file")
            print("  by method: " + ", ".join(f"{k}={v}" for k, v in sorted(fake.calls.items())))
            print(
                f"  outcome={report.outcome} matched={report.matched} processing={report.processing}"
                f" partial={report.partial} unsupported={report.unsupported}"
                f" attached={report.attached} errors={report.errors}"
            )

        right = wrong = 0
        for tx_id in expected.values():
            attached = store.get_transaction(ORG, tx_id).attachment_ids
            if attached:
                right += 1
        for document in store.list_documents(ORG):
            if document.transaction_id and document.total is not None:
                if expected.get(_cents(document.total.amount)) != document.transaction_id:
                    wrong += 1
        print(f"\npaid invoices attached: {right}/{len(expected)}, wrong attachments: {wrong}")
        print(f"awaiting payment listed: {len(repo.list_awaiting_payment(ORG))}")
        tree = {k: len(v) for k, v in fake.tree(integration.folders["root"]).items()}
        print(f"folders: {tree}")
    finally:
        server.stop()
        cloud.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
