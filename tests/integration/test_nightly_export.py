"""Nightly export (issue 5): the use case against the Firestore/Storage emulators, with the
real google-api-python-client and dropbox SDK talking to the local fakes over HTTP.

No client method is mocked. Where a test needs "the worker dies here", it wraps the real
backend in a delegating destination that stops the run (in process), or kills a worker
subprocess with SIGKILL.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from local.demo import DEMO_ACCOUNT_ID, DEMO_ORG_ID, seed_demo_company
from shared.destinations.base import Destination
from shared.destinations.factory import DestinationConfigError, build_destination
from shared.domain.entities import (
    BankAccount,
    Document,
    OperationType,
    Transaction,
)
from shared.domain.money import Money
from shared.store.integrations import IntegrationStore, LedgerState
from shared.usecases.nightly_export import (
    ExportDeps,
    Receipt,
    fan_out,
    receipt_file_name,
    safe_name,
    setup_export,
    short_id,
    sync_integration,
)
from tests.fakes.dropbox_api import FakeDropbox
from tests.fakes.google_drive import FakeDrive
from tests.fakes.http_server import ThreadedServer

PARIS = ZoneInfo("Europe/Paris")
PROJECT_ROOT = Path(__file__).resolve().parents[2]
TOKEN = "ya29.export-token"
DBX_TOKEN = "sl.export-token"
SYNC_FROM = datetime(2026, 11, 10, tzinfo=PARIS)
FAST_RETRY = {"base_delay": 0.001, "max_delay": 0.01}
COMPANY = f"Atelier Lumière SAS ({short_id(DEMO_ORG_ID, 6)})"
MAIN = "Main account (FR76-0189)"
# Demo transactions from SYNC_FROM on (tx-rent, on the 5th, is before it).
IN_SCOPE = ["tx-client", "tx-sncf", "tx-amazon", "tx-cafe-du-coin", "tx-uber", "tx-boulangerie"]


class _Swappable:
    """One server per fake for the module, a fresh fake per test; `delay` slows each call."""

    def __init__(self) -> None:
        self.app: Any = None
        self.delay = 0.0

    def __call__(self, environ: dict, start_response: Any) -> Any:
        if self.delay:
            time.sleep(self.delay)
        return self.app(environ, start_response)


@pytest.fixture(scope="module")
def servers() -> Iterator[dict[str, tuple[_Swappable, ThreadedServer]]]:
    out = {}
    for name in ("drive", "dropbox"):
        app = _Swappable()
        out[name] = (app, ThreadedServer(app).start())
    yield out
    for _, server in out.values():
        server.stop()


@dataclass
class World:
    store: Any
    blobs: Any
    drive: FakeDrive
    drive_url: str
    dropbox: FakeDropbox
    dropbox_url: str
    tmp: Path
    published: list[dict[str, Any]] = field(default_factory=list)
    built: list[Destination] = field(default_factory=list)

    @property
    def repo(self) -> IntegrationStore:
        return IntegrationStore(self.store.db)

    def config(self, destination: str) -> dict[str, Any]:
        if destination == "google_drive":
            return {"access_token": TOKEN, "root_url": self.drive_url, "retry": FAST_RETRY}
        if destination == "dropbox":
            return {
                "access_token": DBX_TOKEN,
                "api_url": self.dropbox_url,
                "content_url": self.dropbox_url,
                "retry": FAST_RETRY,
            }
        return {"path": str(self.tmp / "exports")}

    def build(self, destination: str, config: dict[str, Any], **kwargs: Any) -> Destination:
        built = build_destination(destination, config, **kwargs)
        self.built.append(built)
        return built

    def deps(self, **overrides: Any) -> ExportDeps:
        values: dict[str, Any] = {
            "store": self.store,
            "integrations": self.repo,
            "blobs": self.blobs,
            "publish_sync": self._publish,
            "build_destination": self.build,
        }
        values.update(overrides)
        return ExportDeps(**values)

    def _publish(self, payload: dict[str, Any]) -> str:
        self.published.append(payload)
        return str(len(self.published))

    def setup(
        self,
        destination: str = "google_drive",
        org_id: str = DEMO_ORG_ID,
        integration_id: str = "export-1",
        sync_from: datetime = SYNC_FROM,
    ) -> None:
        setup_export(
            self.deps(), org_id, integration_id, destination, self.config(destination), sync_from
        )

    def sync(
        self,
        org_id: str = DEMO_ORG_ID,
        integration_id: str = "export-1",
        run_id: str | None = None,
        **deps: Any,
    ):
        return sync_integration(self.deps(**deps), org_id, integration_id, run_id)

    def add_receipt(
        self,
        tx_id: str,
        org_id: str = DEMO_ORG_ID,
        supplier: str | None = None,
        data: bytes | None = None,
    ) -> Document:
        data = data or f"%PDF-1.4\n% receipt for {org_id}/{tx_id}\n%%EOF\n".encode()
        uri, checksum = self.blobs.put_document(org_id, data, "application/pdf")
        doc = Document(
            id=f"doc-{tx_id}",
            organization_id=org_id,
            source="test",
            checksum=checksum,
            storage_uri=uri,
            media_type="application/pdf",
            received_at=datetime(2026, 11, 21, 9, tzinfo=PARIS),
            supplier_name=supplier,
        )
        self.store.create_document(doc)
        self.store.attach(org_id, doc.id, tx_id, 0.95, ["test"])
        return doc

    def add_transaction(
        self,
        tx_id: str,
        emitted_at: datetime,
        amount: str = "-10.00",
        account_id: str = DEMO_ACCOUNT_ID,
        org_id: str = DEMO_ORG_ID,
        counterparty: str = "Fournisseur",
    ) -> None:
        self.store.put_transaction(
            Transaction(
                id=tx_id,
                organization_id=org_id,
                account_id=account_id,
                amount=Money.parse(Decimal(amount), "EUR"),
                counterparty=counterparty,
                operation_type=OperationType.CARD,
                emitted_at=emitted_at,
            )
        )

    def receipt(self, tx_id: str, org_id: str = DEMO_ORG_ID) -> Receipt:
        doc = self.store.get_document(org_id, f"doc-{tx_id}")
        tx = self.store.get_transaction(org_id, tx_id)
        accounts = {a.id: a for a in self.store.list_accounts(org_id)}
        return Receipt(doc, tx, accounts.get(tx.account_id))

    def name(self, tx_id: str, org_id: str = DEMO_ORG_ID) -> str:
        return receipt_file_name(self.receipt(tx_id, org_id))

    def md5(self, tx_id: str, org_id: str = DEMO_ORG_ID) -> str:
        return hashlib.md5(
            self.blobs.get(self.receipt(tx_id, org_id).document.storage_uri)
        ).hexdigest()

    def status(self, org_id: str = DEMO_ORG_ID, integration_id: str = "export-1"):
        return self.repo.get_export(org_id, integration_id)

    def ledger(self, org_id: str = DEMO_ORG_ID, integration_id: str = "export-1"):
        integration = self.status(org_id, integration_id)
        return self.repo.ledger(org_id, integration_id, integration.generation)


@pytest.fixture
def world(stack, store, servers, tmp_path) -> World:
    from shared import runtime

    drive_app, drive_server = servers["drive"]
    drive_app.app, drive_app.delay = FakeDrive(token=TOKEN), 0.0
    dbx_app, dbx_server = servers["dropbox"]
    dbx_app.app, dbx_app.delay = FakeDropbox(token=DBX_TOKEN), 0.0
    seed_demo_company(store)
    w = World(
        store=store,
        blobs=runtime.blobs(),
        drive=drive_app.app,
        drive_url=drive_server.base_url + "/",
        dropbox=dbx_app.app,
        dropbox_url=dbx_server.base_url,
        tmp=tmp_path,
    )
    for tx_id in IN_SCOPE + ["tx-rent"]:
        w.add_receipt(tx_id)
    return w


def month_folder(world: World, month: str = "2026-11", account: str = MAIN) -> dict[str, Any]:
    return world.drive.tree()["Receipts"][COMPANY][account][month]


def drive_folder_id(world: World, *names: str) -> str:
    parent = None
    for name in names:
        (match,) = [c for c in world.drive.children(parent) if c["name"] == name]
        parent = match["id"]
    assert parent is not None
    return parent


# ----------------------------------------------------------------------------- names


def test_file_names_are_readable_stable_and_cannot_escape_their_folder(world):
    world.add_transaction(
        "tx-evil", datetime(2026, 11, 22, 23, 30, tzinfo=PARIS), "-7.05", counterparty="x"
    )
    world.add_receipt("tx-evil", supplier='../../etc/passwd\x00 <CON>: "a|b"? *')
    name = world.name("tx-evil")
    assert name == f"2026-11-22_etc passwd CON a b_-7.05 EUR_{short_id('doc-tx-evil')}.pdf"
    assert world.name("tx-evil") == name
    assert world.name("tx-cafe-du-coin").startswith("2026-11-20_SumUp Cafe du Coin_-42.50 EUR_")
    assert safe_name("..") == "unnamed"
    assert safe_name("NUL.txt") == "_NUL.txt"
    assert len(safe_name("x" * 500, 80)) == 80


@pytest.mark.parametrize("destination", ["local_folder", "dropbox", "google_drive"])
def test_long_emoji_and_invisible_characters_make_a_name_every_destination_takes(
    world, destination
):
    # 70 four-byte emoji would be 280 bytes in one name: over ext4's and Dropbox's 255.
    supplier = "\u202e" + "🍕" * 70 + "\u200b Pizzeria\u200d\ufeff"
    world.add_transaction(
        "tx-long", datetime(2026, 11, 22, 12, 0, tzinfo=PARIS), "-18.00", counterparty="x"
    )
    world.add_receipt("tx-long", supplier=supplier)
    world.setup(destination)

    assert world.sync().outcome == "done"

    name = world.name("tx-long")
    assert len(name.encode()) <= 255 and name.endswith(f"_-18.00 EUR_{short_id('doc-tx-long')}.pdf")
    assert name.startswith("2026-11-22_🍕🍕")
    assert not any(c in name for c in "\u202e\u200b\u200d\ufeff")
    if destination == "local_folder":
        folder = world.tmp / "exports" / "Receipts" / COMPANY / MAIN / "2026-11"
        assert (folder / name).read_bytes() == world.blobs.get(
            world.receipt("tx-long").document.storage_uri
        )
    elif destination == "dropbox":
        assert world.dropbox.metadata(f"/Receipts/{COMPANY}/{MAIN}/2026-11/{name}")
    else:
        assert name in month_folder(world)
    assert world.sync().outcome == "done"  # stable: the second run finds it, uploads nothing


def test_setup_refuses_a_malformed_destination_before_storing_anything(world):
    with pytest.raises(DestinationConfigError, match="access_token"):
        setup_export(world.deps(), DEMO_ORG_ID, "export-1", "google_drive", {}, SYNC_FROM)
    assert world.status() is None
    assert world.published == []


@pytest.mark.parametrize(
    ("destination", "config", "env", "message"),
    [
        ("ftp", {}, {}, "destination must be one of"),
        ("local_folder", {}, {}, "'path'"),
        ("google_drive", {"refresh_token": "1//r"}, {}, "GOOGLE_OAUTH_CLIENT_ID"),
        ("google_drive", {"access_token": "t", "retry": {"base_delay": -1}}, {}, "base_delay"),
        ("google_drive", {"access_token": "t", "retry": {"tries": 3}}, {}, "unknown keys"),
        ("dropbox", {"refresh_token": "r"}, {}, "DROPBOX_APP_KEY"),
        ("dropbox", {"access_token": 42}, {}, "'access_token' must be a string"),
    ],
)
def test_destination_settings_errors_name_the_setting(destination, config, env, message):
    with pytest.raises(DestinationConfigError, match=message):
        build_destination(destination, config, env)


def test_refresh_tokens_use_the_deployments_oauth_app_from_the_environment():
    env = {"GOOGLE_OAUTH_CLIENT_ID": "client.apps", "GOOGLE_OAUTH_CLIENT_SECRET": "s3cret"}
    drive = build_destination("google_drive", {"refresh_token": "1//r"}, env)
    credentials = drive.service._http.credentials
    assert (credentials.client_id, credentials.refresh_token) == ("client.apps", "1//r")
    dropbox = build_destination("dropbox", {"refresh_token": "r"}, {"DROPBOX_APP_KEY": "k"})
    assert dropbox.client._app_key == "k"


# ----------------------------------------------------------------------------- backfill


def test_backfill_exports_every_receipt_since_sync_from_filed_by_account_and_month(world):
    world.setup()
    assert world.published == [
        {"organization_id": DEMO_ORG_ID, "integration_id": "export-1", "run_id": "setup-g1"}
    ]

    result = world.sync(run_id="setup-g1")

    assert result.outcome == "done"
    assert (result.uploaded, result.progress.exported, result.progress.total) == (6, 6, 6)
    assert month_folder(world) == {world.name(tx): world.md5(tx) for tx in IN_SCOPE}
    assert list(world.drive.tree()) == ["Receipts"]
    integration = world.status()
    assert integration.status == "ok"
    assert integration.progress.exported == integration.progress.total == 6
    root_id = drive_folder_id(world, "Receipts")
    assert integration.links["root_folder"] == f"https://drive.google.com/drive/folders/{root_id}"
    assert {e.state for e in world.ledger().values()} == {LedgerState.EXPORTED}
    # Pub/Sub redelivers the same run: nothing happens again.
    assert sync_integration(world.deps(), DEMO_ORG_ID, "export-1", "setup-g1").outcome == "skipped"


def test_backfill_shows_progress_in_the_status_document_while_it_runs(world):
    seen: list[tuple[str, int, int]] = []

    class Watching(_Delegate):
        def upload(self, *args: Any, **kwargs: Any) -> str:
            integration = world.status()
            seen.append(
                (integration.status, integration.progress.exported, integration.progress.total)
            )
            return self.inner.upload(*args, **kwargs)

    world.setup()
    world.sync(
        build_destination=lambda k, c, **kw: Watching(world.build(k, c, **kw)), checkpoint_every=2
    )

    assert seen == [("running", 0, 6), ("running", 0, 6), ("running", 2, 6), ("running", 2, 6),
                    ("running", 4, 6), ("running", 4, 6)]  # fmt: skip
    assert world.status().progress.exported == 6


def test_backfill_to_a_local_folder(world):
    world.setup("local_folder")
    assert world.sync().outcome == "done"

    folder = world.tmp / "exports" / "Receipts" / COMPANY / MAIN / "2026-11"
    assert sorted(p.name for p in folder.iterdir()) == sorted(world.name(t) for t in IN_SCOPE)
    for tx_id in IN_SCOPE:
        data = (folder / world.name(tx_id)).read_bytes()
        assert hashlib.md5(data).hexdigest() == world.md5(tx_id)


def test_backfill_to_dropbox(world):
    world.setup("dropbox")
    assert world.sync().outcome == "done"

    tree = world.dropbox.tree()
    expected = {
        world.name(tx): world.dropbox.metadata(
            f"/Receipts/{COMPANY}/{MAIN}/2026-11/{world.name(tx)}"
        )["content_hash"]
        for tx in IN_SCOPE
    }
    assert tree == {"Receipts": {COMPANY: {MAIN: {"2026-11": expected}}}}
    assert world.status().links["root_folder"] == "https://www.dropbox.com/home/Receipts"


def test_large_receipts_go_through_resumable_and_session_uploads(world):
    big = b"%PDF-1.4\n" + os.urandom(700 * 1024) + b"\n%%EOF\n"
    world.add_transaction("tx-big", datetime(2026, 11, 22, 9, tzinfo=PARIS), "-1200.00")
    world.add_receipt("tx-big", data=big)
    small = 256 * 1024
    world.setup()
    config = {**world.config("google_drive"), "resumable_threshold": small, "chunk_size": small}
    world.repo.configure_export(DEMO_ORG_ID, "export-1", "google_drive", config, SYNC_FROM)
    world.setup("dropbox", integration_id="export-dbx")
    dbx_config = {**world.config("dropbox"), "chunk_size": small}
    world.repo.configure_export(DEMO_ORG_ID, "export-dbx", "dropbox", dbx_config, SYNC_FROM)

    assert world.sync().outcome == "done"
    assert world.sync(integration_id="export-dbx").outcome == "done"

    assert world.drive.calls["upload.chunk"] >= 3
    assert month_folder(world)[world.name("tx-big")] == hashlib.md5(big).hexdigest()
    assert world.dropbox.calls["files/upload_session/append_v2"] >= 1
    path = f"/Receipts/{COMPANY}/{MAIN}/2026-11/{world.name('tx-big')}"
    assert world.dropbox.content(path) == big


# ----------------------------------------------------------------------------- self-healing


def test_deleted_file_is_exported_again(world):
    world.setup()
    world.sync()
    name = world.name("tx-sncf")
    (gone,) = [
        c
        for c in world.drive.children(drive_folder_id(world, "Receipts", COMPANY, MAIN, "2026-11"))
        if c["name"] == name
    ]
    world.drive.user_delete(gone["id"])
    trashed = [
        c for c in world.drive.children(gone["parents"][0]) if c["name"] == world.name("tx-uber")
    ]
    world.drive.user_trash(trashed[0]["id"])

    result = world.sync()

    assert result.uploaded == 2
    assert month_folder(world) == {world.name(tx): world.md5(tx) for tx in IN_SCOPE}
    assert world.ledger()["doc-tx-sncf"].file_id != gone["id"]


def test_deleted_folder_is_not_refilled_but_new_receipts_get_a_fresh_one(world):
    world.setup()
    world.sync()
    world.drive.user_delete(drive_folder_id(world, "Receipts", COMPANY, MAIN, "2026-11"))
    world.add_transaction("tx-late", datetime(2026, 11, 23, 10, tzinfo=PARIS), "-5.00")
    world.add_receipt("tx-late")

    result = world.sync()

    assert result.uploaded == 1
    assert month_folder(world) == {world.name("tx-late"): world.md5("tx-late")}
    ledger = world.ledger()
    assert {ledger[f"doc-{tx}"].state for tx in IN_SCOPE} == {LedgerState.FOLDER_DELETED}
    assert result.progress.folder_deleted == 6
    # The decision holds on later runs, and reconfiguring brings the old receipts back.
    assert world.sync().uploaded == 0
    world.setup()
    result = world.sync()
    assert (result.uploaded, result.adopted) == (6, 1)  # tx-late was there already
    assert month_folder(world) == {world.name(tx): world.md5(tx) for tx in IN_SCOPE + ["tx-late"]}


def test_deleted_account_folder_is_respected_in_a_local_folder(world):
    world.setup("local_folder")
    world.sync()
    account_dir = world.tmp / "exports" / "Receipts" / COMPANY / MAIN
    month_dir = account_dir / "2026-11"
    (month_dir / world.name("tx-amazon")).unlink()
    assert world.sync().uploaded == 1  # a deleted file comes back
    shutil.rmtree(account_dir)
    world.add_transaction("tx-late", datetime(2026, 11, 23, 10, tzinfo=PARIS), "-5.00")
    world.add_receipt("tx-late")

    assert world.sync().uploaded == 1
    assert [p.name for p in month_dir.iterdir()] == [world.name("tx-late")]
    # Paths are reused as ids here: the folder epoch keeps old receipts out on later runs.
    assert world.sync().uploaded == 0


def test_dropbox_deleted_file_comes_back_and_deleted_folder_stays_deleted(world):
    world.setup("dropbox")
    world.sync()
    base = f"/Receipts/{COMPANY}/{MAIN}"
    world.dropbox.user_delete(f"{base}/2026-11/{world.name('tx-uber')}")
    assert world.sync().uploaded == 1
    world.dropbox.user_delete(f"{base}/2026-11")
    world.add_transaction("tx-late", datetime(2026, 11, 23, 10, tzinfo=PARIS), "-5.00")
    world.add_receipt("tx-late")

    result = world.sync()

    assert result.uploaded == 1
    assert list(world.dropbox.tree()["Receipts"][COMPANY][MAIN]["2026-11"]) == [
        world.name("tx-late")
    ]
    ledger = world.ledger()
    assert {ledger[f"doc-{tx}"].state for tx in IN_SCOPE} == {LedgerState.FOLDER_DELETED}


def test_new_bank_account_gets_its_own_folder(world):
    world.setup()
    world.sync()
    world.store.put_account(
        BankAccount(
            id="acc-cards",
            organization_id=DEMO_ORG_ID,
            iban="DE89370400440532013000",
            currency="EUR",
            name="Cards / travel",
        )
    )
    world.add_transaction(
        "tx-card", datetime(2026, 12, 1, 0, 30, tzinfo=PARIS), "-99.99", "acc-cards"
    )
    world.add_receipt("tx-card")

    assert world.sync().uploaded == 1

    company = world.drive.tree()["Receipts"][COMPANY]
    assert company["Cards travel (DE89-3000)"] == {
        "2026-12": {world.name("tx-card"): world.md5("tx-card")}
    }
    assert set(company) == {MAIN, "Cards travel (DE89-3000)"}


def test_two_companies_share_one_drive_without_clashing(world):
    other = "org-second-atelier"
    seed_demo_company(world.store, org_id=other, phone="+33698765432")  # same legal name
    for tx_id in ("tx-sncf", "tx-uber"):
        world.add_receipt(tx_id, org_id=other)
    world.setup()
    world.setup(org_id=other, integration_id="export-1")
    world.sync()
    world.sync(org_id=other)

    tree = world.drive.tree()
    other_company = f"Atelier Lumière SAS ({short_id(other, 6)})"
    assert list(tree) == ["Receipts"]
    assert set(tree["Receipts"]) == {COMPANY, other_company}
    assert tree["Receipts"][other_company][MAIN]["2026-11"] == {
        world.name(tx, other): world.md5(tx, other) for tx in ("tx-sncf", "tx-uber")
    }
    assert month_folder(world) == {world.name(tx): world.md5(tx) for tx in IN_SCOPE}


# ----------------------------------------------------------------------------- robustness


class _Delegate:
    """A destination that forwards every call to a real backend (tests add behaviour)."""

    def __init__(self, inner: Destination) -> None:
        self.inner = inner
        self.kind = inner.kind

    def ensure_folder(self, parent_id: str | None, name: str) -> str:
        return self.inner.ensure_folder(parent_id, name)

    def exists(self, item_id: str) -> bool:
        return self.inner.exists(item_id)

    def find_file(self, folder_id: str, name: str) -> str | None:
        return self.inner.find_file(folder_id, name)

    def list_files(self, folder_id: str) -> dict[str, str] | None:
        return self.inner.list_files(folder_id)

    def upload(self, *args: Any, **kwargs: Any) -> str:
        return self.inner.upload(*args, **kwargs)

    def link(self, item_id: str) -> str:
        return self.inner.link(item_id)


class WorkerKilled(BaseException):
    """Stands for SIGKILL: not an Exception, so no handler in the run can absorb it."""


def test_crash_after_an_upload_and_before_its_record_resumes_without_duplicates(world):
    class DiesAfterThirdUpload(_Delegate):
        uploads = 0

        def upload(self, *args: Any, **kwargs: Any) -> str:
            file_id = self.inner.upload(*args, **kwargs)
            DiesAfterThirdUpload.uploads += 1
            if DiesAfterThirdUpload.uploads == 3:
                raise WorkerKilled
            return file_id

    world.setup()
    with pytest.raises(WorkerKilled):
        world.sync(
            build_destination=lambda k, c, **kw: DiesAfterThirdUpload(world.build(k, c, **kw))
        )
    assert world.ledger()[f"doc-{IN_SCOPE[2]}"].state == LedgerState.UPLOADING

    result = world.sync()

    assert (result.uploaded, result.adopted) == (3, 1)
    assert month_folder(world) == {world.name(tx): world.md5(tx) for tx in IN_SCOPE}


_WORKER = """
import sys
from shared import runtime
from shared.store.integrations import IntegrationStore
from shared.usecases.nightly_export import ExportDeps, sync_integration
store = runtime.store()
deps = ExportDeps(store=store, integrations=IntegrationStore(store.db), blobs=runtime.blobs(),
                  publish_sync=lambda payload: "0", lease_seconds=int(sys.argv[3]))
print(sync_integration(deps, sys.argv[1], sys.argv[2], "nightly-test"), flush=True)
"""


def kill_export_worker(world: World, servers: Any, lease_seconds: int, after_creates: int) -> None:
    """Run the export in a worker process and SIGKILL it once the fake Drive has received
    `after_creates` files.create calls (folders included)."""
    servers["drive"][0].delay = 0.02  # slow enough to land the kill in the middle
    worker = subprocess.Popen(
        [sys.executable, "-c", _WORKER, DEMO_ORG_ID, "export-1", str(lease_seconds)],
        cwd=PROJECT_ROOT,
        env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while world.drive.calls["files.create"] < after_creates and time.monotonic() < deadline:
        assert worker.poll() is None, "the worker finished before it could be killed"
        time.sleep(0.002)
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=10)
    servers["drive"][0].delay = 0.0
    # A create the worker sent just before dying still completes on the server: let it
    # land, so that what the next run finds (and must adopt) is settled.
    time.sleep(0.5)


def test_worker_killed_between_uploads_is_resumed_without_duplicates_or_losses(world, servers):
    for i in range(24):
        world.add_transaction(f"tx-bulk-{i:02d}", datetime(2026, 11, 11, 8, i, tzinfo=PARIS))
        world.add_receipt(f"tx-bulk-{i:02d}")
    everything = IN_SCOPE + [f"tx-bulk-{i:02d}" for i in range(24)]
    world.setup()
    kill_export_worker(world, servers, lease_seconds=6, after_creates=12)
    assert world.status().status == "running"
    files_before = len(month_folder(world))
    assert 0 < files_before < len(everything)

    # A delivery that will not wait finds the dead worker's lease; one that comes right
    # after the kill waits for the lease to run out (the dead worker renews it no more)
    # and takes over.
    assert world.sync(lease_wait_seconds=0).outcome == "busy"
    waited: list[float] = []

    def sleep(seconds: float) -> None:
        waited.append(seconds)
        time.sleep(seconds)

    result = world.sync(lease_seconds=6, sleep=sleep)

    assert result.outcome == "done"
    assert len(waited) == 1 and 0 < waited[0] <= 6.5
    assert result.uploaded == len(everything) - files_before  # nothing sent twice
    assert month_folder(world) == {world.name(tx): world.md5(tx) for tx in everything}


def test_a_live_run_keeps_its_lease_and_a_second_delivery_answers_busy(world):
    world.setup()
    now = datetime.now(tz=PARIS)
    # Another worker holds the lease and renews it (its expiry stays a full lease away).
    assert world.repo.acquire_lease(
        DEMO_ORG_ID, "export-1", "live-worker", now + timedelta(seconds=90), now
    )
    slept: list[float] = []

    def renewing_sleep(seconds: float) -> None:
        slept.append(seconds)
        later = datetime.now(tz=PARIS)
        world.repo.renew_lease(
            DEMO_ORG_ID, "export-1", "live-worker", later + timedelta(seconds=90)
        )

    assert world.sync(lease_wait_seconds=10, sleep=renewing_sleep).outcome == "busy"
    assert slept == []  # 90 s away: not worth waiting, Pub/Sub redelivers later
    assert world.sync(lease_wait_seconds=100, sleep=renewing_sleep).outcome == "busy"
    assert len(slept) == 1  # waited once, found it renewed: alive, so busy
    expiry = world.repo.lease_expiry(DEMO_ORG_ID, "export-1")
    assert expiry is not None and expiry > datetime.now(tz=PARIS) + timedelta(seconds=60)
    assert world.drive.calls["files.create"] == 0  # nothing was exported behind its back


def test_a_long_run_renews_its_lease_between_checkpoints(world, servers):
    world.setup()
    servers["drive"][0].delay = 0.4  # each upload is slow, the checkpoint is far away
    renewals: list[datetime] = []
    repo = world.repo
    original = repo.renew_lease

    class CountingRepo:
        def __getattr__(self, name: str) -> Any:
            return getattr(repo, name)

        def renew_lease(self, *args: Any) -> None:
            renewals.append(args[3])
            original(*args)

    try:
        result = world.sync(integrations=CountingRepo(), lease_seconds=3)
    finally:
        servers["drive"][0].delay = 0.0
    assert result.outcome == "done"
    assert len(renewals) >= 2  # 7 uploads of 0.4 s with a 3 s lease: renewed every ~1 s


def test_rate_limit_storm_is_survived_without_duplicates(world):
    world.drive.inject(429, count=4)
    world.drive.inject(403, "userRateLimitExceeded", count=2)
    world.drive.random_faults(0.3, seed=5, statuses=(429, 500, 502, 503))
    world.setup()

    result = world.sync()

    assert result.outcome == "done"
    assert world.built[-1].retries >= 10
    assert month_folder(world) == {world.name(tx): world.md5(tx) for tx in IN_SCOPE}


def test_a_storm_longer_than_the_backoff_stops_the_run_and_the_next_one_resumes(world):
    world.setup()
    # One more 429 in a row than the backend's 7 attempts, on every write.
    world.drive.inject(429, count=7, methods=["files.create"])

    result = world.sync()

    assert result.outcome == "retrying"
    assert world.status().status == "retrying"
    assert world.sync().outcome == "done"
    assert month_folder(world) == {world.name(tx): world.md5(tx) for tx in IN_SCOPE}


def test_revoked_token_sets_reconnect_needed_and_a_later_run_resumes(world):
    world.setup()
    world.drive.revoke_token()

    result = world.sync()

    assert result.outcome == "reconnect_needed"
    integration = world.status()
    assert integration.status == "reconnect_needed"
    assert "reconnect needed" in integration.status_message
    world.drive.grant_token(TOKEN)  # the user reconnected
    assert world.sync().outcome == "done"
    assert world.status().status == "ok"
    assert month_folder(world) == {world.name(tx): world.md5(tx) for tx in IN_SCOPE}


def test_dropbox_revoked_token_sets_reconnect_needed(world):
    world.setup("dropbox")
    world.dropbox.revoke_token()

    assert world.sync().outcome == "reconnect_needed"
    assert world.status().status == "reconnect_needed"


def test_storage_full_sets_the_status_and_a_later_run_finishes(world):
    world.setup()
    size = len(world.blobs.get(world.receipt("tx-sncf").document.storage_uri))
    world.drive.quota_bytes = 3 * size + size // 2

    result = world.sync()

    assert result.outcome == "storage_full"
    integration = world.status()
    assert integration.status == "storage_full"
    assert integration.progress.exported == 3
    world.drive.quota_bytes = None  # the user freed some space
    assert world.sync().outcome == "done"
    assert month_folder(world) == {world.name(tx): world.md5(tx) for tx in IN_SCOPE}


def test_a_run_out_of_time_stops_at_a_checkpoint_and_the_next_message_continues(world):
    world.setup()

    first = world.sync(run_id="setup-g1", time_budget_seconds=0.0, checkpoint_every=2)

    assert first.outcome == "partial"
    assert (first.uploaded, first.progress.exported, first.progress.total) == (2, 2, 6)
    assert world.status().status == "running"
    second = world.sync(run_id="setup-g1")
    assert (second.outcome, second.uploaded) == ("done", 4)
    assert month_folder(world) == {world.name(tx): world.md5(tx) for tx in IN_SCOPE}


def test_a_second_worker_on_the_same_integration_is_turned_away(world):
    world.setup()
    now = datetime.now(tz=PARIS)
    assert world.repo.acquire_lease(
        DEMO_ORG_ID, "export-1", "other-worker", now + timedelta(minutes=5), now
    )

    assert world.sync().outcome == "busy"
    assert world.drive.calls["files.create"] == 0


def test_a_receipt_whose_bytes_are_corrupt_fails_alone(world):
    doc = world.receipt("tx-uber").document
    world.store.save_document(replace(doc, checksum="0" * 64))
    world.setup()

    result = world.sync()

    assert result.outcome == "done"
    assert (result.progress.exported, result.progress.failed) == (5, 1)
    integration = world.status()
    assert integration.status == "error"
    assert "do not match its checksum" in integration.status_message
    assert world.ledger()["doc-tx-uber"].state == LedgerState.FAILED


# ----------------------------------------------------------------------------- functions


def _cloud_event(payload: dict[str, Any], message_id: str) -> tuple[bytes, dict[str, str]]:
    body = {
        "message": {
            "data": base64.b64encode(json.dumps(payload).encode()).decode(),
            "messageId": message_id,
            "attributes": {},
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
    return json.dumps(body).encode(), headers


def test_scheduler_message_fans_out_and_the_worker_function_exports(world):
    import functions_framework
    from google.cloud import pubsub_v1

    from shared.events.pubsub import ensure_topic

    project = os.environ.get("GOOGLE_CLOUD_PROJECT", "demo-local")
    ensure_topic(project, "exports.sync")
    subscriber = pubsub_v1.SubscriberClient()
    subscription = f"projects/{project}/subscriptions/exports.sync-test-{time.time_ns()}"
    subscriber.create_subscription(
        name=subscription, topic=f"projects/{project}/topics/exports.sync"
    )
    world.setup()
    seed_demo_company(world.store, org_id="org-paused", phone="+33611111111")
    world.setup(org_id="org-paused", integration_id="export-paused")
    world.repo.deactivate("org-paused", "export-paused")
    source = str(PROJECT_ROOT / "functions" / "nightly_export.py")

    fanout = functions_framework.create_app(target="nightly_export_fanout", source=source)
    body, headers = _cloud_event({}, "sched-1")
    assert fanout.test_client().post("/", data=body, headers=headers).status_code == 200

    messages = []
    deadline = time.monotonic() + 20
    while not messages and time.monotonic() < deadline:
        pulled = subscriber.pull(subscription=subscription, max_messages=10, timeout=5)
        messages = [json.loads(m.message.data) for m in pulled.received_messages]
    subscriber.close()
    assert len(messages) == 1
    assert messages[0]["organization_id"] == DEMO_ORG_ID
    assert messages[0]["integration_id"] == "export-1"
    assert messages[0]["run_id"].startswith("nightly-")

    worker = functions_framework.create_app(target="nightly_export_worker", source=source)
    body, headers = _cloud_event(messages[0], "sync-1")
    assert worker.test_client().post("/", data=body, headers=headers).status_code == 200
    assert world.status().status == "ok"
    assert month_folder(world) == {world.name(tx): world.md5(tx) for tx in IN_SCOPE}


def test_worker_function_asks_for_redelivery_while_another_worker_runs(world):
    import functions_framework

    world.setup()
    now = datetime.now(tz=PARIS)
    world.repo.acquire_lease(DEMO_ORG_ID, "export-1", "other", now + timedelta(minutes=5), now)
    source = str(PROJECT_ROOT / "functions" / "nightly_export.py")
    worker = functions_framework.create_app(target="nightly_export_worker", source=source)
    payload = {"organization_id": DEMO_ORG_ID, "integration_id": "export-1", "run_id": "r1"}

    body, headers = _cloud_event(payload, "sync-busy")
    assert worker.test_client().post("/", data=body, headers=headers).status_code == 500
    body, headers = _cloud_event({"integration_id": "export-1"}, "sync-malformed")
    assert worker.test_client().post("/", data=body, headers=headers).status_code == 200
    assert world.drive.calls["files.create"] == 0


def test_fan_out_counts_only_active_exports(world):
    world.setup()
    world.setup(integration_id="export-2", destination="local_folder")
    world.repo.deactivate(DEMO_ORG_ID, "export-2")
    world.published.clear()

    assert fan_out(world.deps(), "nightly-2026-11-22") == 1
    assert world.published == [
        {
            "organization_id": DEMO_ORG_ID,
            "integration_id": "export-1",
            "run_id": "nightly-2026-11-22",
        }
    ]


# ----------------------------------------------------------------------------- run records


def run_records(capsys: pytest.CaptureFixture[str]) -> tuple[list[dict[str, Any]], str]:
    """The `export.run` JSON records this test's runs wrote (shared/log.py, on stderr), and
    the whole log output."""
    output = capsys.readouterr().err
    lines = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    return [line for line in lines if line.get("event") == "export.run"], output


def issue_refresh_token(oauth: Any) -> str:
    """A refresh token of a grant the user consented to on a fake authorization server."""
    server = oauth.server
    (client,) = server.clients.values()
    redirect = server.authorize(
        {
            "client_id": client.client_id,
            "redirect_uri": client.redirect_uris[0],
            "response_type": "code",
            "scope": "https://www.googleapis.com/auth/drive.file",
        }
    )
    code = redirect.split("code=")[1].split("&")[0]
    answer = server.token(
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": client.redirect_uris[0],
            "client_id": client.client_id,
            "client_secret": client.client_secret,
        }
    )
    return str(answer["refresh_token"])


@pytest.fixture
def google_oauth(world: World) -> Iterator[tuple[Any, str]]:
    from tests.fakes.google_oauth import FakeGoogleOAuth

    oauth = FakeGoogleOAuth(("http://localhost/callback",), drive=world.drive)
    server = ThreadedServer(oauth).start()
    yield oauth, server.base_url
    server.stop()


def google_refresh_config(world: World, oauth: Any, base_url: str) -> dict[str, Any]:
    config = oauth.client_config(base_url)
    return {
        "refresh_token": issue_refresh_token(oauth),
        "token_uri": config["token_uri"],
        "client_id": config["client_id"],
        "client_secret": config["client_secret"],
        "root_url": world.drive_url,
        "retry": FAST_RETRY,
    }


def test_a_successful_run_logs_one_done_record_without_tokens(world, capsys):
    world.setup()
    capsys.readouterr()

    world.sync(run_id="nightly-2026-11-22")

    (record,), output = run_records(capsys)
    assert record["outcome"] == "done"
    assert record["organization_id"] == DEMO_ORG_ID
    assert record["integration_id"] == "export-1"
    assert record["run_id"] == "nightly-2026-11-22"
    assert record["destination"] == "google_drive"
    assert (record["files_exported"], record["files_failed"]) == (len(IN_SCOPE), 0)
    assert isinstance(record["duration_seconds"], float) and record["duration_seconds"] >= 0
    assert TOKEN not in output


def test_a_5xx_storm_that_stops_a_run_midway_logs_partial(world, capsys):
    class StormAfterThreeUploads(_Delegate):
        uploads = 0

        def upload(self, *args: Any, **kwargs: Any) -> str:
            file_id = self.inner.upload(*args, **kwargs)
            StormAfterThreeUploads.uploads += 1
            if StormAfterThreeUploads.uploads == 3:
                # More 503s in a row than the backend's 7 attempts.
                world.drive.inject(503, count=50, methods=["files.create"])
            return file_id

    world.setup()
    capsys.readouterr()

    result = world.sync(
        build_destination=lambda k, c, **kw: StormAfterThreeUploads(world.build(k, c, **kw))
    )

    assert result.outcome == "retrying"
    (record,), _ = run_records(capsys)
    assert (record["outcome"], record["files_exported"]) == ("partial", 3)
    assert "503" in record["reason"]


def test_a_storm_before_anything_is_exported_logs_failed(world, capsys):
    world.setup()
    world.drive.inject(503, count=50, methods=["files.create"])
    capsys.readouterr()

    assert world.sync().outcome == "retrying"

    (record,), _ = run_records(capsys)
    assert (record["outcome"], record["files_exported"]) == ("failed", 0)


def test_invalid_grant_logs_reconnect_needed_without_the_refresh_token(world, capsys, google_oauth):
    oauth, base_url = google_oauth
    config = google_refresh_config(world, oauth, base_url)
    setup_export(world.deps(), DEMO_ORG_ID, "export-1", "google_drive", config, SYNC_FROM)
    oauth.server.revoke_all()  # the user removed the app's access
    capsys.readouterr()

    assert world.sync().outcome == "reconnect_needed"

    (record,), output = run_records(capsys)
    assert record["outcome"] == "reconnect_needed"
    assert "invalid_grant" in record["reason"]
    assert config["refresh_token"] not in output


@pytest.fixture
def rotating_google_oauth(world: World) -> Iterator[Any]:
    """Google's token endpoint answering each refresh with a new refresh token, and revoking
    the whole grant when a retired one is presented again (reuse detection)."""
    from tests.fakes.google_oauth import FakeGoogleOAuth

    oauth = FakeGoogleOAuth(("http://localhost/callback",), drive=world.drive, rotate=True)
    server = ThreadedServer(oauth).start()
    oauth.base_url = server.base_url
    yield oauth
    server.stop()


def _two_runs_with_a_rotating_grant(world: World, oauth: Any, first_token: str, capsys) -> None:
    capsys.readouterr()
    assert world.sync(run_id="nightly-1").outcome == "done"
    world.add_transaction("tx-later", datetime(2026, 11, 20, 9, 0, tzinfo=PARIS))
    world.add_receipt("tx-later")
    # A new run builds a new client from the store: it must present the rotated token.
    second = world.sync(run_id="nightly-2")
    assert (second.outcome, second.uploaded) == ("done", 1)
    grant = oauth.server.grant_of_refresh_token(first_token)
    assert grant is not None and not grant.revoked  # the retired token was never reused
    assert first_token in grant.retired_refresh_tokens
    output = capsys.readouterr()
    assert grant.refresh_token not in output.out + output.err
    assert "refresh token rotated and kept" in output.out + output.err


def test_a_rotated_refresh_token_is_kept_for_the_next_run(world, capsys, rotating_google_oauth):
    oauth = rotating_google_oauth
    config = google_refresh_config(world, oauth, oauth.base_url)
    setup_export(world.deps(), DEMO_ORG_ID, "export-1", "google_drive", config, SYNC_FROM)

    _two_runs_with_a_rotating_grant(world, oauth, config["refresh_token"], capsys)

    stored = world.repo.get_export(DEMO_ORG_ID, "export-1").destination_config["refresh_token"]
    assert stored == oauth.server.grant_of_refresh_token(stored).refresh_token


def test_a_rotated_refresh_token_of_an_oauth_connection_is_kept_sealed(
    world, capsys, rotating_google_oauth, set_env
):
    from shared.store.connections import ConnectionStore
    from shared.store.token_vault import LOCAL_KEY_ENV, vault_from_env

    set_env(LOCAL_KEY_ENV, base64.b64encode(os.urandom(32)).decode())
    oauth = rotating_google_oauth
    config = google_refresh_config(world, oauth, oauth.base_url)
    first = config.pop("refresh_token")
    # As the API's connect flow does: the export's settings, and the grant sealed apart.
    world.repo.configure_export(DEMO_ORG_ID, "export-1", "google_drive", config, SYNC_FROM)
    connections = ConnectionStore(world.store.db, vault_from_env())
    connections.put_credentials(
        DEMO_ORG_ID, "export-1", "google_drive", first, "camille@example.com", "m-1", SYNC_FROM
    )

    _two_runs_with_a_rotating_grant(world, oauth, first, capsys)

    stored = connections.refresh_token(DEMO_ORG_ID, "export-1")
    assert stored != first
    assert stored == oauth.server.grant_of_refresh_token(stored).refresh_token
    private = (
        world.store.db.collection("organizations")
        .document(DEMO_ORG_ID)
        .collection("integrations")
        .document("export-1")
        .collection("private")
        .document("oauth")
        .get()
        .to_dict()
    )
    assert stored not in json.dumps(private, default=str)  # sealed at rest


def test_storage_quota_logs_storage_full(world, capsys):
    world.setup()
    size = len(world.blobs.get(world.receipt("tx-sncf").document.storage_uri))
    world.drive.quota_bytes = 2 * size + size // 2
    capsys.readouterr()

    assert world.sync().outcome == "storage_full"

    (record,), _ = run_records(capsys)
    assert (record["outcome"], record["files_exported"]) == ("storage_full", 2)


def test_a_run_that_raises_logs_one_failed_record_and_frees_its_lease(world, capsys):
    class Broken(_Delegate):
        def ensure_folder(self, parent_id: str | None, name: str) -> str:
            raise RuntimeError("bug in a backend")

    world.setup()
    capsys.readouterr()

    with pytest.raises(RuntimeError):
        world.sync(build_destination=lambda k, c, **kw: Broken(world.build(k, c, **kw)))

    (record,), _ = run_records(capsys)
    assert record["outcome"] == "failed"
    assert "bug in a backend" in record["reason"]
    assert world.sync().outcome == "done"


def test_deliveries_that_run_nothing_log_no_run_record(world, capsys):
    world.setup()
    world.sync(run_id="r1")
    capsys.readouterr()

    assert world.sync(run_id="r1").outcome == "skipped"

    records, output = run_records(capsys)
    assert records == []
    assert '"export.not_started"' in output
