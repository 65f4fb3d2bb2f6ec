"""Drive Dropzone import, end to end: real Drive client -> local fake Drive over HTTP, real
Firestore/Storage emulators, the real extraction and matching engines.

Invoices are real PDFs with a text layer, written here (one invoice per page).
"""

from __future__ import annotations

import io
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from local.demo import DEMO_ACCOUNT_ID, DEMO_ORG_ID, seed_demo_company
from local.samples import text_pdf
from shared import runtime
from shared.destinations.base import RetryableError
from shared.destinations.google_drive import GoogleDrive, RetryPolicy, build_drive_service
from shared.domain.entities import DocumentStatus, OperationType, Transaction
from shared.domain.money import Money
from shared.store.dropzone import (
    DEFAULT_INTEGRATION_ID,
    DropzoneRepository,
    FileState,
    IntegrationStatus,
    InvoiceStatus,
)
from shared.store.firestore_store import FirestoreStore
from shared.usecases.dropzone_import import (
    PROP_MATCHED,
    PROP_REASON,
    PROP_STATE,
    DropzoneDeps,
    connect_dropzone,
    disconnect_dropzone,
    fan_out,
    run_dropzone,
)
from tests.fakes.google_drive import FakeDrive
from tests.fakes.http_server import ThreadedServer

PARIS = ZoneInfo("Europe/Paris")
TOKEN = "dropzone-test-token"
ORG = DEMO_ORG_ID
IID = DEFAULT_INTEGRATION_ID
ROOT_NAME = "Invoices - Atelier Lumiere"


# ----------------------------------------------------------------------------- PDFs


@dataclass(frozen=True)
class Invoice:
    supplier: str
    number: str
    issued: date
    due: date
    total: str  # French format, as printed: "1 440,00"
    supplier_vat: str = "FR83404833048"
    customer: str = "Atelier Lumière SAS"
    customer_vat: str = "FR40303265045"

    def lines(self) -> list[str]:
        return [
            self.supplier,
            "8 avenue des Canuts, 69003 Lyon",
            f"TVA intracommunautaire: {self.supplier_vat}",
            "",
            "FACTURE",
            f"Numéro de facture: {self.number}",
            f"Date de facture: {self.issued:%d/%m/%Y}",
            f"Date d'échéance: {self.due:%d/%m/%Y}",
            "",
            "Client:",
            self.customer,
            f"TVA client: {self.customer_vat}",
            "",
            f"{'Prestation de services':<30}{self.total} EUR",
            "",
            f"{'TOTAL TTC':<30}{self.total} EUR",
            f"{'Net à payer':<30}{self.total} EUR",
            "",
            "Page 1/1",
        ]


def invoice_pdf(*invoices: Invoice, padding: int = 0) -> bytes:
    """A real PDF, one page per invoice, with a text layer (see local.samples.text_pdf)."""
    return text_pdf([invoice.lines() for invoice in invoices], padding=padding)


DUBOIS = Invoice(
    "Imprimerie Dubois SARL", "F-2026-0412", date(2026, 11, 2), date(2026, 12, 2), "1 440,00"
)
LEGRAND = Invoice(
    "Transports Legrand SAS",
    "TL-88213",
    date(2026, 11, 5),
    date(2026, 12, 5),
    "312,50",
    supplier_vat="FR32552100554",
)
MERCIER = Invoice(
    "Cabinet Mercier SARL",
    "CM-5521",
    date(2026, 11, 3),
    date(2026, 12, 18),
    "2 160,00",
    supplier_vat="FR75542065479",
)
SALES = Invoice(
    "Atelier Lumière SAS",
    "AL-2026-0099",
    date(2026, 11, 2),
    date(2026, 12, 2),
    "980,00",
    supplier_vat="FR40303265045",
    customer="Studio Nord SARL",
    customer_vat="FR83404833048",
)


def gif_bytes() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(buffer, format="GIF")
    return buffer.getvalue()


# ----------------------------------------------------------------------------- fixtures


def payment(tx_id: str, amount: str, counterparty: str, day: int, month: int = 11) -> Transaction:
    emitted = datetime(2026, month, day, 10, 0, tzinfo=PARIS)
    return Transaction(
        id=tx_id,
        organization_id=ORG,
        account_id=DEMO_ACCOUNT_ID,
        amount=Money.parse(Decimal(amount), "EUR"),
        counterparty=counterparty,
        operation_type=OperationType.TRANSFER,
        emitted_at=emitted,
        settled_at=emitted + timedelta(days=1),
    )


class HookedDrive(GoogleDrive):
    """The real Drive client; `after_download` lets a test act as the user mid-run, and
    `before_move` lets it meet a defect while one file is moved."""

    after_download: Callable[[str], None] | None = None
    before_move: Callable[[str], None] | None = None

    def download(self, file_id: str, max_bytes: int, known=None) -> bytes:
        data = super().download(file_id, max_bytes, known=known)
        if self.after_download is not None:
            self.after_download(file_id)
        return data

    def move(self, file_id: str, *args, **kwargs):
        if self.before_move is not None:
            self.before_move(file_id)
        return super().move(file_id, *args, **kwargs)


@dataclass
class Env:
    fake: FakeDrive
    url: str
    store: FirestoreStore
    repo: DropzoneRepository
    deps: DropzoneDeps
    folders: dict[str, str]
    after_download: Callable[[str], None] | None = None
    before_move: Callable[[str], None] | None = None

    def drive(self) -> HookedDrive:
        drive = HookedDrive(
            build_drive_service(TOKEN, root_url=self.url + "/"),
            retry=RetryPolicy(sleep=lambda _s: None),
        )
        drive.after_download = self.after_download
        drive.before_move = self.before_move
        return drive

    def drop(
        self, name: str, data: bytes, mime: str = "application/pdf", role: str = "dropzone"
    ) -> str:
        return self.fake.user_upload(self.folders[role], name, data, mime)

    def names(self, role: str) -> list[str]:
        return sorted(c["name"] for c in self.fake.children(self.folders[role]))

    def run(self, run_key: str | None = None):
        return run_dropzone(ORG, IID, self.deps, run_key=run_key)

    def record(self, file_id: str):
        return self.repo.get_files(ORG, IID, [file_id])[file_id]


@pytest.fixture
def env(stack, store) -> Iterator[Env]:
    seed_demo_company(store)
    fake = FakeDrive(token=TOKEN)
    with ThreadedServer(fake) as server:
        repo = DropzoneRepository(store)
        holder: dict[str, Env] = {}
        deps = DropzoneDeps(
            store=store,
            repo=repo,
            blobs=runtime.blobs(),
            drive_for=lambda _integration: holder["env"].drive(),
        )
        e = Env(fake, server.base_url, store, repo, deps, {})
        holder["env"] = e
        integration = connect_dropzone(ORG, e.drive(), repo, root_name=ROOT_NAME)
        e.folders = dict(integration.folders)
        yield e


# ----------------------------------------------------------------------------- setup


def test_connect_creates_one_folder_with_four_subfolders(env: Env) -> None:
    assert env.fake.tree() == {
        ROOT_NAME: {"Dropzone": {}, "Processing": {}, "Matched": {}, "Unsupported": {}}
    }
    integration = env.repo.get_integration(ORG, IID)
    assert integration.status == IntegrationStatus.ACTIVE
    assert integration.links["root"].endswith(integration.folders["root"])
    # Connecting again finds the same folders instead of making copies.
    again = connect_dropzone(ORG, env.drive(), env.repo, root_name=ROOT_NAME)
    assert again.folders == integration.folders


# ----------------------------------------------------------------------------- sorting


def test_16mb_pdf_and_gif_renamed_jpg_go_to_unsupported_with_the_reason(env: Env) -> None:
    big = invoice_pdf(DUBOIS, padding=16 * 1024 * 1024)
    assert big.startswith(b"%PDF-") and len(big) > 16 * 1024 * 1024
    big_id = env.drop("scan-big.pdf", big)
    gif_id = env.drop("photo.jpg", gif_bytes(), mime="image/jpeg")
    env.fake.reset_calls()

    report = env.run()

    assert report.outcome == "done" and report.unsupported == 2
    assert env.names("unsupported") == ["photo.jpg", "scan-big.pdf"]
    assert env.names("dropzone") == []
    # The size came from Drive's metadata: only the GIF was downloaded, to read its bytes.
    assert env.fake.calls["files.download"] == 1
    big_item, gif_item = env.fake.item(big_id), env.fake.item(gif_id)
    assert big_item["appProperties"][PROP_STATE] == "unsupported"
    assert "limit is 15 MB" in big_item["description"]
    assert "GIF" in gif_item["appProperties"][PROP_REASON]
    assert env.record(gif_id).refusal_code == "unsupported_type"
    assert env.store.list_documents(ORG) == []


def test_unsupported_file_dropped_again_is_sorted_without_downloading(env: Env) -> None:
    gif_id = env.drop("photo.jpg", gif_bytes(), mime="image/jpeg")
    env.run()
    env.fake.user_move(gif_id, env.folders["dropzone"])  # the user tries again
    env.fake.reset_calls()
    env.run()
    assert env.names("unsupported") == ["photo.jpg"]
    assert env.fake.calls["files.download"] == 0


# ----------------------------------------------------------------------------- matching


def test_matched_invoice_is_attached_moved_to_matched_and_marked_paid(env: Env) -> None:
    env.store.put_transaction(payment("tx-dubois", "-1440.00", "IMPRIMERIE DUBOIS", 20))
    file_id = env.drop("dubois.pdf", invoice_pdf(DUBOIS))

    report = env.run()

    assert (report.matched, report.attached) == (1, 1)
    assert env.names("matched") == ["dubois.pdf"]
    tx = env.store.get_transaction(ORG, "tx-dubois")
    assert len(tx.attachment_ids) == 1
    document = env.store.get_document(ORG, tx.attachment_ids[0])
    assert document.source == "drive_dropzone" and document.origin["drive_file_id"] == file_id
    invoice = env.repo.get_supplier_invoice(ORG, document.id)
    assert invoice.status == InvoiceStatus.PAID and invoice.transaction_id == "tx-dubois"
    assert (invoice.due_date, invoice.total) == (date(2026, 12, 2), Money.parse("1440.00", "EUR"))
    assert env.fake.item(file_id)["appProperties"][PROP_STATE] == "matched"


def test_every_document_read_goes_to_the_partner_space_once_per_reading_and_again_when_matched(
    env: Env,
) -> None:
    approved: list[str] = []
    env.deps = replace(env.deps, approved=lambda document: approved.append(document.id))
    env.store.put_transaction(payment("tx-dubois", "-1440.00", "IMPRIMERIE DUBOIS", 20))
    env.drop("dubois.pdf", invoice_pdf(DUBOIS))
    env.drop("two.pdf", invoice_pdf(LEGRAND, MERCIER))  # waits for its payments
    env.drop("sales.pdf", invoice_pdf(SALES))  # accountants keep sales invoices too

    env.run()
    env.run()  # the waiting files are not read again: nothing published twice

    documents = {d.id: d for d in env.store.list_documents(ORG)}
    matched = [d for d in documents.values() if d.status == DocumentStatus.MATCHED]
    assert [d.transaction_id for d in matched] == ["tx-dubois"]
    # Read (all 4), then matched (the invoice paid by tx-dubois): its index follows.
    assert sorted(approved) == sorted([*documents, matched[0].id])
    assert len(approved) == 5
    assert runtime.dropzone_deps().approved is not None  # wired to documents.approved


def test_file_matches_on_the_second_run_after_its_transaction_appears(env: Env) -> None:
    file_id = env.drop("dubois.pdf", invoice_pdf(DUBOIS))

    first = env.run()
    assert (first.processing, first.matched) == (1, 0)
    assert env.names("processing") == ["dubois.pdf"]
    invoices = env.repo.list_awaiting_payment(ORG)
    assert [(i.drive_file_name, i.due_date, i.total) for i in invoices] == [
        ("dubois.pdf", date(2026, 12, 2), Money.parse("1440.00", "EUR"))
    ]

    env.store.put_transaction(payment("tx-dubois", "-1440.00", "IMPRIMERIE DUBOIS", 24))
    env.fake.reset_calls()
    second = env.run()

    assert (second.matched, second.attached) == (1, 1)
    assert env.names("matched") == ["dubois.pdf"] and env.names("processing") == []
    assert env.fake.calls["files.download"] == 0  # read once, matched from the stored fields
    assert env.repo.list_awaiting_payment(ORG) == []
    assert env.record(file_id).state == FileState.MATCHED


def test_invoices_awaiting_payment_are_listed_earliest_due_first(env: Env) -> None:
    env.drop("mercier.pdf", invoice_pdf(MERCIER))
    env.drop("legrand.pdf", invoice_pdf(LEGRAND))
    env.drop("dubois.pdf", invoice_pdf(DUBOIS))
    env.run()
    listed = env.repo.list_awaiting_payment(ORG)
    assert [(i.drive_file_name, i.due_date) for i in listed] == [
        ("dubois.pdf", date(2026, 12, 2)),
        ("legrand.pdf", date(2026, 12, 5)),
        ("mercier.pdf", date(2026, 12, 18)),
    ]
    assert [str(i.total.amount) for i in listed] == ["1440.00", "312.50", "2160.00"]


def test_two_invoice_pdf_each_matched_on_its_own_and_moved_when_both_are(env: Env) -> None:
    env.store.put_transaction(payment("tx-dubois", "-1440.00", "IMPRIMERIE DUBOIS", 20))
    file_id = env.drop("november-batch.pdf", invoice_pdf(DUBOIS, LEGRAND))

    first = env.run()

    assert (first.partial, first.attached) == (1, 1)
    assert env.names("processing") == ["november-batch.pdf"]
    item = env.fake.item(file_id)
    assert item["appProperties"][PROP_MATCHED] == "1/2"
    assert "1 of 2 invoices matched" in item["appProperties"][PROP_REASON]
    record = env.record(file_id)
    assert len(record.document_ids) == 2 and len(record.matched_document_ids) == 1

    env.store.put_transaction(payment("tx-legrand", "-312.50", "TRANSPORTS LEGRAND", 28))
    second = env.run()

    assert (second.matched, second.attached) == (1, 1)
    assert env.names("matched") == ["november-batch.pdf"]
    attached = {
        tx_id: env.store.get_transaction(ORG, tx_id).attachment_ids
        for tx_id in ("tx-dubois", "tx-legrand")
    }
    assert sorted(a for ids in attached.values() for a in ids) == sorted(record.document_ids)
    assert env.fake.item(file_id)["appProperties"][PROP_MATCHED] == "2/2"


def test_sales_invoice_is_never_matched_and_stays_in_processing(env: Env) -> None:
    # Money in from the customer, same amount: still not matched, it is our own invoice.
    income = payment("tx-studio", "980.00", "STUDIO NORD", 20)
    env.store.put_transaction(replace(income, operation_type=OperationType.INCOME))
    file_id = env.drop("our-invoice.pdf", invoice_pdf(SALES))

    env.run()
    env.run()

    assert env.names("processing") == ["our-invoice.pdf"]
    assert env.store.get_transaction(ORG, "tx-studio").attachment_ids == ()
    assert "sales invoice" in env.record(file_id).reason
    assert env.repo.list_supplier_invoices(ORG) == []  # not a supplier invoice of the company
    (document,) = env.store.list_documents(ORG)
    assert document.status == DocumentStatus.UNMATCHED


def test_two_files_for_one_transaction_attach_only_one(env: Env) -> None:
    env.store.put_transaction(payment("tx-dubois", "-1440.00", "IMPRIMERIE DUBOIS", 20))
    first_id = env.drop("dubois.pdf", invoice_pdf(DUBOIS))
    # The same invoice scanned again, as a different file.
    env.drop("dubois (copy).pdf", invoice_pdf(DUBOIS, padding=1024))

    report = env.run()

    assert (report.attached, report.matched, report.processing) == (1, 1, 1)
    assert env.names("matched") == ["dubois.pdf"]
    assert env.names("processing") == ["dubois (copy).pdf"]
    tx = env.store.get_transaction(ORG, "tx-dubois")
    assert len(tx.attachment_ids) == 1
    assert env.store.get_document(ORG, tx.attachment_ids[0]).origin["drive_file_id"] == first_id


# ----------------------------------------------------------------------------- broken setup


def test_deleted_processing_folder_sets_broken_status_and_stops_touching(env: Env) -> None:
    env.fake.user_delete(env.folders["processing"])
    env.drop("dubois.pdf", invoice_pdf(DUBOIS))

    report = env.run()

    assert report.outcome == "broken"
    integration = env.repo.get_integration(ORG, IID)
    assert integration.status == IntegrationStatus.BROKEN
    assert integration.status.value == "broken: disconnect and reconnect"
    assert env.names("dropzone") == ["dubois.pdf"]  # not guessed, not moved
    env.fake.reset_calls()
    assert env.run().outcome == "skipped"
    assert sum(env.fake.calls.values()) == 0

    # Disconnect and reconnect: the missing folder comes back and runs resume.
    disconnect_dropzone(ORG, env.repo)
    integration = connect_dropzone(ORG, env.drive(), env.repo, root_name=ROOT_NAME)
    env.folders = dict(integration.folders)
    assert env.run().outcome == "done"
    assert env.names("processing") == ["dubois.pdf"]


def test_trashed_root_folder_is_broken_too(env: Env) -> None:
    env.fake.user_trash(env.folders["root"])
    assert env.run().outcome == "broken"
    assert env.repo.get_integration(ORG, IID).status == IntegrationStatus.BROKEN


def test_disconnect_stops_runs_and_keeps_imported_invoices(env: Env) -> None:
    env.drop("dubois.pdf", invoice_pdf(DUBOIS))
    env.run()
    disconnect_dropzone(ORG, env.repo)
    env.drop("legrand.pdf", invoice_pdf(LEGRAND))
    env.fake.reset_calls()

    report = env.run()

    assert report.outcome == "skipped" and sum(env.fake.calls.values()) == 0
    assert [i.drive_file_name for i in env.repo.list_awaiting_payment(ORG)] == ["dubois.pdf"]
    assert env.names("dropzone") == ["legrand.pdf"]
    assert fan_out(env.repo, lambda _m: None, datetime.now(PARIS)) == 0


def test_revoked_access_sets_reconnect_needed_without_crashing(env: Env) -> None:
    env.drop("dubois.pdf", invoice_pdf(DUBOIS))
    env.fake.revoke_token()
    report = env.run()
    assert report.outcome == "reconnect_needed"
    assert env.repo.get_integration(ORG, IID).status == IntegrationStatus.RECONNECT_NEEDED


# ----------------------------------------------------------------------------- idempotency


def test_redelivered_run_message_is_not_run_twice(env: Env) -> None:
    env.store.put_transaction(payment("tx-dubois", "-1440.00", "IMPRIMERIE DUBOIS", 20))
    env.drop("dubois.pdf", invoice_pdf(DUBOIS))
    env.drop("legrand.pdf", invoice_pdf(LEGRAND))

    first = env.run(run_key="scheduled:2026-11-22T21:00:00+00:00")
    env.fake.reset_calls()
    again = env.run(run_key="scheduled:2026-11-22T21:00:00+00:00")

    assert first.outcome == "done" and again.outcome == "skipped"
    assert sum(env.fake.calls.values()) == 0
    assert env.names("matched") == ["dubois.pdf"] and env.names("processing") == ["legrand.pdf"]
    assert len(env.store.list_documents(ORG)) == 2


def test_run_is_skipped_while_another_run_holds_the_lease(env: Env) -> None:
    env.drop("dubois.pdf", invoice_pdf(DUBOIS))
    now = datetime.now(PARIS)
    assert env.repo.acquire_lease(ORG, IID, "other-run", now, timedelta(minutes=10))
    env.fake.reset_calls()

    assert env.run().outcome == "skipped"
    assert sum(env.fake.calls.values()) == 0

    # A crashed run's lease expires; the next run proceeds.
    env.repo.acquire_lease(ORG, IID, "other-run", now - timedelta(hours=1), timedelta(minutes=10))
    assert env.run().outcome == "done"
    assert env.names("processing") == ["dubois.pdf"]


def test_overlapping_runs_never_attach_twice_nor_lose_a_file(env: Env) -> None:
    env.store.put_transaction(payment("tx-dubois", "-1440.00", "IMPRIMERIE DUBOIS", 20))
    env.store.put_transaction(payment("tx-legrand", "-312.50", "TRANSPORTS LEGRAND", 21))
    env.drop("dubois.pdf", invoice_pdf(DUBOIS))
    env.drop("legrand.pdf", invoice_pdf(LEGRAND))
    env.drop("mercier.pdf", invoice_pdf(MERCIER))
    env.drop("photo.jpg", gif_bytes(), mime="image/jpeg")

    reports = []
    start = threading.Barrier(2)

    def one_run(key: str) -> None:
        start.wait()
        reports.append(env.run(run_key=key))

    threads = [threading.Thread(target=one_run, args=(f"manual:{n}",)) for n in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    env.run()  # and a third one afterwards

    assert sorted(r.outcome for r in reports) in (
        ["done", "skipped"],
        ["done", "done"],
    )
    assert env.names("matched") == ["dubois.pdf", "legrand.pdf"]
    assert env.names("processing") == ["mercier.pdf"]
    assert env.names("unsupported") == ["photo.jpg"]
    assert env.names("dropzone") == []
    for tx_id in ("tx-dubois", "tx-legrand"):
        assert len(env.store.get_transaction(ORG, tx_id).attachment_ids) == 1
    assert len(env.store.list_documents(ORG)) == 3
    assert env.repo.get_integration(ORG, IID).status == IntegrationStatus.ACTIVE


def test_files_moved_renamed_or_deleted_by_the_user_mid_run(env: Env) -> None:
    env.store.put_transaction(payment("tx-dubois", "-1440.00", "IMPRIMERIE DUBOIS", 20))
    env.store.put_transaction(payment("tx-legrand", "-312.50", "TRANSPORTS LEGRAND", 21))
    renamed = env.drop("dubois.pdf", invoice_pdf(DUBOIS))
    moved = env.drop("legrand.pdf", invoice_pdf(LEGRAND))
    deleted = env.drop("mercier.pdf", invoice_pdf(MERCIER))
    into_matched = env.drop(
        "other.pdf",
        invoice_pdf(
            Invoice(
                "Garage Martin SARL",
                "GM-77",
                date(2026, 11, 4),
                date(2026, 12, 4),
                "88,00",
                supplier_vat="FR44732829320",
            )
        ),
    )
    elsewhere = env.fake.user_create_folder(None, "My own folder")

    def user_acts(file_id: str) -> None:
        if file_id == renamed:
            env.fake.user_rename(renamed, "dubois-renamed.pdf")
        elif file_id == moved:
            env.fake.user_move(moved, elsewhere)
        elif file_id == deleted:
            env.fake.user_delete(deleted)
        elif file_id == into_matched:
            env.fake.user_move(into_matched, env.folders["matched"])

    env.after_download = user_acts
    report = env.run()
    env.after_download = None

    assert report.outcome == "done" and report.user_changed == 2
    assert env.names("matched") == ["dubois-renamed.pdf"]
    assert env.names("processing") == ["other.pdf"]  # moved back: not matched yet
    assert [c["name"] for c in env.fake.children(elsewhere)] == ["legrand.pdf"]
    assert env.record(moved).state == FileState.MOVED_OUT
    assert env.record(deleted).state == FileState.GONE
    # The invoice read from the file moved away is still attached: nothing is lost.
    assert len(env.store.get_transaction(ORG, "tx-legrand").attachment_ids) == 1
    # A later run does not chase the file the user took away.
    env.fake.reset_calls()
    env.run()
    assert [c["name"] for c in env.fake.children(elsewhere)] == ["legrand.pdf"]


# ----------------------------------------------------------------------------- functions


def _cloud_event(payload: dict, message_id: str) -> tuple[dict, dict]:
    import base64
    import json

    body = {
        "message": {
            "data": base64.b64encode(json.dumps(payload).encode()).decode(),
            "attributes": {},
            "messageId": message_id,
            "publishTime": "2026-11-22T21:00:04.123Z",
        },
        "subscription": "projects/demo-local/subscriptions/test",
    }
    headers = {
        "ce-id": message_id,
        "ce-specversion": "1.0",
        "ce-source": "//pubsub.googleapis.com/projects/demo-local/topics/test",
        "ce-type": "google.cloud.pubsub.topic.v1.messagePublished",
        "Content-Type": "application/json",
    }
    return body, headers


def _function_client(target: str):
    import functions_framework

    from tests.conftest import PROJECT_ROOT

    app = functions_framework.create_app(
        target=target, source=str(PROJECT_ROOT / "functions" / "dropzone.py")
    )
    return app.test_client()


def test_fanout_publishes_one_message_per_active_integration(env: Env, set_env) -> None:
    from google.cloud import pubsub_v1

    from shared.config import settings
    from shared.events.pubsub import ensure_topic, topic_path

    project = settings().project
    topic = "dropzone.sync.test-fanout"
    set_env("TOPIC_DROPZONE_SYNC", topic)
    ensure_topic(project, topic)
    subscriber = pubsub_v1.SubscriberClient()
    subscription = f"projects/{project}/subscriptions/{topic}.pull"
    try:
        subscriber.create_subscription(name=subscription, topic=topic_path(project, topic))
    except Exception:  # noqa: BLE001 - already there from an earlier test session
        pass
    seed_demo_company(env.store, org_id="org-second", phone="+33699999999")
    connect_dropzone("org-second", env.drive(), env.repo, root_name="Invoices - Second")
    seed_demo_company(env.store, org_id="org-gone", phone="+33688888888")
    connect_dropzone("org-gone", env.drive(), env.repo, root_name="Invoices - Gone")
    disconnect_dropzone("org-gone", env.repo)

    body, headers = _cloud_event({}, "sched-1")
    response = _function_client("dropzone_fanout").post("/", json=body, headers=headers)

    assert response.status_code == 200
    import json

    received = []
    for _ in range(10):
        pulled = subscriber.pull(subscription=subscription, max_messages=10, timeout=10)
        received += [json.loads(m.message.data) for m in pulled.received_messages]
        if pulled.received_messages:
            subscriber.acknowledge(
                subscription=subscription, ack_ids=[m.ack_id for m in pulled.received_messages]
            )
        if len(received) >= 2:
            break
    subscriber.close()
    assert sorted((m["organization_id"], m["integration_id"]) for m in received) == [
        (ORG, IID),
        ("org-second", IID),
    ]
    # Scheduled at 21:00 UTC: both carry the same 3-hour slot key.
    assert {m["run_key"] for m in received} == {"scheduled:2026-11-22T21:00:00+00:00"}


def test_worker_runs_one_integration_from_its_message(env: Env, set_env) -> None:
    set_env("DRIVE_API_ROOT_URL", env.url + "/")
    connect_dropzone(ORG, env.drive(), env.repo, root_name=ROOT_NAME, oauth={"access_token": TOKEN})
    env.store.put_transaction(payment("tx-dubois", "-1440.00", "IMPRIMERIE DUBOIS", 20))
    env.drop("dubois.pdf", invoice_pdf(DUBOIS))
    payload = {"organization_id": ORG, "integration_id": IID, "run_key": "scheduled:test"}
    client = _function_client("dropzone_worker")

    body, headers = _cloud_event(payload, "msg-1")
    assert client.post("/", json=body, headers=headers).status_code == 200
    assert env.names("matched") == ["dubois.pdf"]

    env.fake.reset_calls()
    body, headers = _cloud_event(payload, "msg-1")  # redelivered
    assert client.post("/", json=body, headers=headers).status_code == 200
    assert sum(env.fake.calls.values()) == 0

    body, headers = _cloud_event({"organization_id": ORG}, "msg-2")  # malformed: acked
    assert client.post("/", json=body, headers=headers).status_code == 200


def test_worker_keeps_a_refresh_token_google_rotates(env: Env, set_env) -> None:
    from tests.fakes.google_oauth import FakeGoogleOAuth
    from tests.fakes.http_server import ThreadedServer
    from tests.integration.test_nightly_export import issue_refresh_token

    oauth = FakeGoogleOAuth(("http://localhost/callback",), drive=env.fake, rotate=True)
    server = ThreadedServer(oauth).start()
    try:
        config = oauth.client_config(server.base_url)
        set_env("DRIVE_API_ROOT_URL", env.url + "/")
        set_env("GOOGLE_OAUTH_CLIENT_ID", config["client_id"])
        set_env("GOOGLE_OAUTH_CLIENT_SECRET", config["client_secret"])
        set_env("GOOGLE_OAUTH_TOKEN_URI", config["token_uri"])
        first = issue_refresh_token(oauth)
        connect_dropzone(
            ORG, env.drive(), env.repo, root_name=ROOT_NAME, oauth={"refresh_token": first}
        )
        env.store.put_transaction(payment("tx-dubois", "-1440.00", "IMPRIMERIE DUBOIS", 20))
        env.store.put_transaction(payment("tx-legrand", "-312.50", "TRANSPORTS LEGRAND", 21))
        client = _function_client("dropzone_worker")

        env.drop("dubois.pdf", invoice_pdf(DUBOIS))
        payload = {"organization_id": ORG, "integration_id": IID, "run_key": "scheduled:1"}
        assert client.post("/", json=_cloud_event(payload, "m-1")[0]).status_code == 200
        env.drop("legrand.pdf", invoice_pdf(LEGRAND))
        # The next run builds its Drive client from the store: it presents the rotated token.
        payload = {"organization_id": ORG, "integration_id": IID, "run_key": "scheduled:2"}
        assert client.post("/", json=_cloud_event(payload, "m-2")[0]).status_code == 200

        assert env.names("matched") == ["dubois.pdf", "legrand.pdf"]
        grant = oauth.server.grant_of_refresh_token(first)
        assert grant is not None and not grant.revoked  # the retired token was never reused
        assert first in grant.retired_refresh_tokens
        assert env.repo.get_oauth(ORG, IID)["refresh_token"] == grant.refresh_token
    finally:
        server.stop()


def test_a_file_that_fails_every_run_is_set_aside_and_never_blocks_the_others(env: Env) -> None:
    from shared.usecases.dropzone_import.run import MAX_FILE_FAILURES

    poison = env.drop("a-poison.pdf", invoice_pdf(MERCIER))  # listed first

    def defect(file_id: str) -> None:
        if file_id == poison:
            raise ValueError("a defect met while reading this one file")

    env.after_download = defect
    env.store.put_transaction(payment("tx-dubois", "-1440.00", "IMPRIMERIE DUBOIS", 20))
    env.drop("dubois.pdf", invoice_pdf(DUBOIS))

    report = env.run("run-1")
    assert report.errors == 1
    assert env.names("matched") == ["dubois.pdf"]  # the file after it went on
    assert env.names("dropzone") == ["a-poison.pdf"]  # left in place, tried again
    assert "could not be handled this run" in env.record(poison).reason

    for n in range(2, MAX_FILE_FAILURES + 1):
        env.run(f"run-{n}")

    assert env.names("dropzone") == []
    assert env.names("unsupported") == ["a-poison.pdf"]
    record = env.record(poison)
    assert (record.state, record.refusal_code) == (FileState.UNSUPPORTED, "processing_failed")
    (moved,) = env.fake.children(env.folders["unsupported"])
    assert "could not be processed (3 attempts failed)" in moved["description"]


def test_a_file_that_fails_to_move_never_leaves_the_others_unmoved(env: Env) -> None:
    env.store.put_transaction(payment("tx-dubois", "-1440.00", "IMPRIMERIE DUBOIS", 20))
    env.store.put_transaction(payment("tx-legrand", "-312.50", "TRANSPORTS LEGRAND", 21))
    stuck = env.drop("a-dubois.pdf", invoice_pdf(DUBOIS))  # listed, and moved, first
    env.drop("legrand.pdf", invoice_pdf(LEGRAND))

    def defect(file_id: str) -> None:
        if file_id == stuck:
            raise ValueError("a defect met while moving this one file")

    env.before_move = defect
    report = env.run("run-1")
    assert (report.errors, report.matched) == (1, 2)
    assert env.names("matched") == ["legrand.pdf"]  # the file after it was moved
    assert env.names("dropzone") == ["a-dubois.pdf"]  # attached, waiting to be moved
    assert "could not be handled this run" in env.record(stuck).reason

    env.before_move = None
    env.run("run-2")
    assert env.names("matched") == ["a-dubois.pdf", "legrand.pdf"]
    assert len(env.store.get_transaction(ORG, "tx-dubois").attachment_ids) == 1  # once


def test_an_infrastructure_failure_on_a_file_retries_the_run_and_counts_nothing(
    env: Env,
) -> None:
    poison = env.drop("a.pdf", invoice_pdf(MERCIER))

    def outage(file_id: str) -> None:
        raise ConnectionResetError("the network dropped")

    env.after_download = outage
    for n in range(4):
        with pytest.raises(ConnectionResetError):
            env.run(f"run-{n}")  # Pub/Sub redelivers

    env.after_download = None
    env.run("run-after")
    assert env.names("unsupported") == []
    assert env.record(poison).state == FileState.PROCESSING


def test_drive_outage_after_attaching_is_repaired_by_the_next_run(env: Env) -> None:
    env.store.put_transaction(payment("tx-dubois", "-1440.00", "IMPRIMERIE DUBOIS", 20))
    env.drop("dubois.pdf", invoice_pdf(DUBOIS))
    # The move fails on every attempt of the backend's retry policy (7), then Drive recovers.
    env.fake.inject(503, count=RetryPolicy().max_attempts, methods=["files.update"])

    with pytest.raises(RetryableError):
        env.run()  # Pub/Sub will redeliver

    assert env.names("dropzone") == ["dubois.pdf"]  # not lost, not half-moved
    assert len(env.store.get_transaction(ORG, "tx-dubois").attachment_ids) == 1
    report = env.run()
    assert report.outcome == "done" and report.attached == 0
    assert env.names("matched") == ["dubois.pdf"]
    assert len(env.store.get_transaction(ORG, "tx-dubois").attachment_ids) == 1
    (invoice,) = env.repo.list_supplier_invoices(ORG)
    assert invoice.status == InvoiceStatus.PAID


def test_type_comes_from_the_content_not_the_name(env: Env) -> None:
    env.store.put_transaction(payment("tx-dubois", "-1440.00", "IMPRIMERIE DUBOIS", 20))
    env.drop("scan.txt", invoice_pdf(DUBOIS), mime="text/plain")  # a PDF, badly named
    report = env.run()
    assert (report.unsupported, report.matched) == (0, 1)
    assert env.names("matched") == ["scan.txt"]


def test_run_out_of_time_leaves_the_rest_for_a_continuation(env: Env) -> None:
    env.drop("dubois.pdf", invoice_pdf(DUBOIS))
    env.drop("legrand.pdf", invoice_pdf(LEGRAND))
    ticks = iter(range(1000))
    env.deps.clock = lambda: float(next(ticks))  # one "second" per look at the clock
    env.deps.time_budget = 1.5

    first = env.run(run_key="scheduled:slot")

    assert (first.outcome, first.remaining) == ("done", 1)
    assert env.names("processing") == ["dubois.pdf"] and env.names("dropzone") == ["legrand.pdf"]
    env.deps.time_budget = 1e9
    # Not marked done: the same key (or a continuation) picks up the rest.
    rest = env.run(run_key="scheduled:slot")
    assert rest.remaining == 0
    assert env.names("processing") == ["dubois.pdf", "legrand.pdf"]
