"""Benchmark of the partner dispatch (issue 15): DOCUMENTS documents of CLIENTS clients, each
client with 3 activations (SFTP, email, HTTP), with FAULT_RATE of injected faults at every
destination (SFTP write failures, SMTP 452 mailbox full, HTTP 429/500/503).

    python bench/partner_dispatch.py [--documents 1000] [--clients 50] [--fault-rate 0.10]
                                     [--workers 8] [--redeliveries 0.05] [--seed 7]

Runs on the local Firestore and Storage emulators with the real peers of the tests: an
asyncssh SFTP server, an aiosmtpd SMTP server and a Standard Webhooks receiver (verified
with `standardwebhooks`). Each document is dispatched as a Pub/Sub delivery would (a pool
of `--workers` concurrent runs), and `--redeliveries` of the events are delivered twice,
concurrently. Failed deliveries are then swept (`retry_due`) with the clock moved past
their backoff until none is left. The senders' backoff keeps its shape but starts at 10 ms
so the run measures our code rather than sleeping; say so when quoting figures.

Prints deliveries per second, the faults fired, the sweeps needed, then the duplicates and
the missing deliveries, both counted on the peers' own state (files renamed into place,
Message-IDs accepted, webhook-ids accepted): both must be 0.
"""

from __future__ import annotations

import argparse
import logging
import os
import random
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from local.emulators import LocalCloud  # noqa: E402
from shared import runtime  # noqa: E402
from shared.destinations.email_smtp import EmailSender  # noqa: E402
from shared.destinations.partner_factory import open_for_activation  # noqa: E402
from shared.destinations.webhook import WebhookSender, new_secret  # noqa: E402
from shared.domain.entities import (  # noqa: E402
    Document,
    DocumentStatus,
    DocumentType,
    Organization,
    Plan,
)
from shared.domain.money import Money  # noqa: E402
from shared.domain.partners import (  # noqa: E402
    Activation,
    Extension,
    ExtensionKind,
    delivery_key,
    invite,
)
from shared.store.partners import PartnerStore  # noqa: E402
from shared.store.token_vault import LocalKey, TokenVault  # noqa: E402
from shared.usecases.partner_dispatch import DispatchDeps, dispatch_document, retry_due  # noqa: E402
from tests.fakes.http_server import ThreadedServer  # noqa: E402
from tests.fakes.sftp_server import SftpServer  # noqa: E402
from tests.fakes.smtp_server import SmtpServer  # noqa: E402
from tests.fakes.webhook_receiver import WebhookReceiver  # noqa: E402

FIRM = "bench-firm"
RETRY = {"max_attempts": 3, "base_delay": 0.01, "max_delay": 0.05}


class Clock:
    """Real time, plus an offset the sweep moves forward past every backoff."""

    def __init__(self) -> None:
        self.offset = timedelta(0)

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.offset


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--fault-rate", type=float, default=0.10)
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--redeliveries", type=float, default=0.05)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)
    work = Path(tempfile.mkdtemp(prefix="partner-bench-"))
    cloud = LocalCloud.start("bench-partner", log_dir=work / "logs")
    secret = new_secret()
    receiver = WebhookReceiver(secret, retry_after=0)
    try:
        cloud.export_environ()
        os.environ["DOCUMENTS_BUCKET"] = "bench-partner-documents"
        os.environ["PARTNER_ALLOW_LOCAL_HOSTS"] = "1"  # the peers listen on loopback
        runtime.reset_for_tests()
        runtime.blobs().ensure_bucket()
        with (
            SftpServer(work / "sftp") as sftp,
            SmtpServer() as smtp,
            ThreadedServer(receiver) as http,
        ):
            return run(args, sftp, smtp, receiver, http.base_url + "/hooks", secret)
    finally:
        cloud.stop()


def run(args, sftp, smtp, receiver, hook_url, secret) -> int:  # noqa: ANN001
    store = runtime.store()
    partners = PartnerStore(store.db, TokenVault(LocalKey(os.urandom(32))))
    clock = Clock()
    start = datetime.now(UTC) - timedelta(days=1)
    extensions = {
        ExtensionKind.SFTP: (
            {
                "host": "127.0.0.1",
                "port": sftp.port,
                "username": sftp.username,
                "host_key": sftp.host_key,
                "root": "/",
            },
            {"password": sftp.password},
        ),
        ExtensionKind.EMAIL: (
            {
                "host": "127.0.0.1",
                "port": smtp.port,
                "from_address": "exports@firm.example",
                "security": "none",
            },
            {},
        ),
        ExtensionKind.HTTP: ({"url": hook_url}, {"secret": secret}),
    }
    for kind, (settings, secrets) in extensions.items():
        ext = Extension(
            f"ext-{kind.value}", FIRM, kind, kind.value, {**settings, "retry": RETRY}, start
        )
        partners.save_extension(ext, secrets)
    clients = [
        Organization(f"client-{i:03d}", f"Client {i:03d} SAS", "FR", Plan.BUSINESS, None, None)
        for i in range(args.clients)
    ]
    activations: dict[str, list[Activation]] = {}
    for client in clients:
        store.put_organization(client)
        partners.save_consent(invite(FIRM, client.id, by="owner", at=start))
        activations[client.id] = []
        for kind in extensions:
            params = (
                {"to_address": f"{client.id}@firm.example"} if kind is ExtensionKind.EMAIL else {}
            )
            act = Activation(
                f"act-{kind.value}-{client.id}", FIRM, f"ext-{kind.value}", client.id, start, params
            )
            partners.save_activation(act)
            activations[client.id].append(act)

    rng = random.Random(args.seed)
    documents: list[Document] = []
    blobs = runtime.blobs()
    for n in range(args.documents):
        client = clients[n % len(clients)]
        data = b"%PDF-1.7 bench " + str(n).encode() + bytes(rng.randrange(2_000, 40_000))
        uri, checksum = blobs.put_document(client.id, data, "application/pdf")
        doc = Document(
            id=f"doc-{n:05d}",
            organization_id=client.id,
            source="upload",
            checksum=checksum,
            storage_uri=uri,
            media_type="application/pdf",
            received_at=datetime.now(UTC),
            status=DocumentStatus.MATCHED,
            document_type=DocumentType.INVOICE,
            supplier_name=f"Supplier {n % 37}",
            total=Money.parse(f"{n % 500 + 1}.50", "EUR"),
            invoice_number=f"F-{n:05d}",
        )
        store.save_document(doc)
        documents.append(doc)

    sftp.faults.random(args.fault_rate, args.seed)
    smtp.faults.random(args.fault_rate, args.seed + 1)
    receiver.faults.random(args.fault_rate, args.seed + 2)

    deps = DispatchDeps(
        partners=partners,
        organization=store.get_organization,
        document=store.get_document,
        blob=blobs.get,
        open_sender=open_for_activation,
        clock=clock,
    )
    events = [(d.organization_id, d.id) for d in documents]
    events += rng.sample(events, int(len(events) * args.redeliveries))
    rng.shuffle(events)
    began = time.perf_counter()
    with ThreadPoolExecutor(args.workers) as pool:
        list(pool.map(lambda e: dispatch_document(e[0], e[1], deps), events))
    first_pass = time.perf_counter() - began
    sweeps = 0
    while partners.due_deliveries(clock() + timedelta(days=1), limit=1):
        clock.offset += timedelta(hours=7)  # past every backoff (capped at 6 h)
        retry_due(deps, limit=1000)
        sweeps += 1
        if sweeps > 20:
            break
    elapsed = time.perf_counter() - began

    expected = len(documents) * len(extensions)
    # Duplicates and missing, on the peers' own state.
    renamed = sftp.faults.renamed
    sftp_docs = {k for k in renamed if k.endswith(".pdf")}
    sftp_dups = sum(c - 1 for c in renamed.values() if c > 1)
    ids = Counter(smtp.message_ids())
    smtp_dups = sum(c - 1 for c in ids.values() if c > 1)
    hook_ids = Counter(receiver.deliveries)
    hook_dups = sum(c - 1 for c in hook_ids.values() if c > 1)
    want_mail = {
        EmailSender.message_id_for(
            delivery_key(d.id, f"act-email-{d.organization_id}"), "firm.example"
        )
        for d in documents
    }
    want_hook = {
        WebhookSender.message_id(delivery_key(d.id, f"act-http-{d.organization_id}"))
        for d in documents
    }
    missing_sftp = len(documents) - sum(
        1 for d in documents if any(k.endswith(f"_{d.id}.pdf") for k in sftp_docs)
    )
    missing_mail = len(want_mail - set(ids))
    missing_hook = len(want_hook - set(hook_ids))
    records = Counter(r.state for r in partners.all_deliveries())

    print(
        f"documents {len(documents)}, clients {len(clients)}, destinations {len(extensions)}, "
        f"deliveries expected {expected}, events {len(events)} ({len(events) - len(documents)} redelivered)"
    )
    print(
        f"fault rate {args.fault_rate:.0%}: faults fired sftp {sum(sftp.faults.fired.values())}, "
        f"smtp {sum(smtp.faults.fired.values())}, http {sum(1 for _i, s in receiver.attempts if s >= 400)}"
    )
    print(
        f"first pass {first_pass:.1f} s, sweeps {sweeps}, total {elapsed:.1f} s, "
        f"throughput {expected / elapsed:.1f} deliveries/s ({len(documents) / elapsed:.1f} documents/s), "
        f"{args.workers} workers, backoff base 10 ms"
    )
    print(f"delivery records: {dict(records)}")
    duplicates = sftp_dups + smtp_dups + hook_dups
    missing = missing_sftp + missing_mail + missing_hook
    print(f"duplicates {duplicates} (sftp {sftp_dups}, email {smtp_dups}, http {hook_dups})")
    print(f"missing {missing} (sftp {missing_sftp}, email {missing_mail}, http {missing_hook})")
    return 0 if duplicates == 0 and missing == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
