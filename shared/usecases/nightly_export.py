"""Nightly export of receipts to a Google Drive, a Dropbox or a local folder (issue 5).

Three verbs:
- `setup_export`: connect (or reconfigure) a destination with a "sync from" instant, then
  ask for a first run at once: receipts already in the system are exported right away.
- `fan_out`: the 23:30 Europe/Paris Scheduler message becomes one `exports.sync` message
  per active export integration.
- `sync_integration`: export one integration's receipts, with checkpoints.

What is exported. A receipt is a document attached to a transaction (status `matched`,
`transaction_id` set) whose transaction was emitted at or after `sync_from`.

Layout. `<product>/<company> (<org short id>)/<account> (<IBAN ends>)/<YYYY-MM>/<file>`:
one root folder named after the product, then one folder per company, then one per
bank account, then one per month (the transaction's `emitted_at` month in
Europe/Paris). The company level is ours: it lets several companies (an accountant, a
founder with two companies) export into one Drive or Dropbox without their accounts
mixing, and it keeps the layout the same when a second company joins later. File names
are `YYYY-MM-DD_<counterparty>_<signed amount> <currency>_<short id>.<ext>`, made safe
by `safe_name`; the short id (a hash of the document id) keeps two receipts with the
same date, merchant and amount apart, and makes the name stable across runs.

Self-healing, decided from the ledger (see `shared/store/integrations.py`):
- an exported receipt whose file is gone, in a folder that still exists, is exported again;
- if its folder is gone, the entry becomes `folder_deleted` and is never exported again
  (until the integration is reconfigured); new receipts for that account or month get a
  fresh folder, because they have no ledger entry;
- a folder deletion is recorded on the folder record (its epoch grows), so the decision
  holds in later runs and for backends whose ids are paths that can be reused.

Crash safety. Before each upload the ledger records an `uploading` intent (folder, file
name); a run that finds such an intent looks for that file (`find_file`) and adopts it
instead of uploading again: no duplicate after a crash between the upload and the
record, no loss after a crash before the upload. Folders are find-or-create by name.
Until the first run of a (re)configuration completes, a receipt without a ledger entry
is looked up too (from one listing per folder where the backend can list), so
reconfiguring onto the same storage adopts the files already there instead of
duplicating them.
A lease on the integration keeps two workers (Pub/Sub redelivery) from running at
once; `last_completed_run` makes a redelivered, finished run a no-op.

Failures. `ReconnectNeeded` and `StorageFull` stop the run cleanly and show as the
integration's status ("reconnect_needed", "storage_full"); `RetryableError` (rate limits
that outlived the backend's backoff) stops with status "retrying" and the next run
resumes from the ledger. Any other failure is recorded on the receipt's entry
(`failed`, with the reason) and the run goes on; failed receipts are retried next run.
Progress (exported / total) is written to the status document every
`checkpoint_every` receipts; a run that exceeds `time_budget_seconds` stops at a
checkpoint with outcome "partial", and the caller publishes a continuation.
"""

from __future__ import annotations

import hashlib
import os
import re
import socket
import time
import unicodedata
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from shared.destinations.base import (
    Destination,
    DestinationError,
    ReconnectNeeded,
    RetryableError,
    StorageFull,
)
from shared.destinations.factory import DestinationConfigError, build_destination
from shared.domain.entities import BankAccount, Document, DocumentStatus, Organization, Transaction
from shared.log import get_logger
from shared.store.firestore_store import FirestoreStore
from shared.store.integrations import (
    ExportIntegration,
    FolderRecord,
    IntegrationStore,
    LedgerEntry,
    LedgerState,
    Progress,
)

log = get_logger(__name__)

PARIS = ZoneInfo("Europe/Paris")
DEFAULT_PRODUCT_NAME = "Receipts"

_EXTENSIONS = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/heic": "heic",
    "image/heif": "heif",
    "image/webp": "webp",
    "image/tiff": "tif",
    "image/gif": "gif",
    "application/xml": "xml",
    "text/xml": "xml",
}
# Characters Windows, Drive or Dropbox refuse or treat specially, and control characters.
_FORBIDDEN = re.compile(r'[\x00-\x1f\x7f-\x9f<>:"/\\|?*]')
_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL"}
    | {f"COM{i}" for i in range(1, 10)}
    | {f"LPT{i}" for i in range(1, 10)}
)


# ----------------------------------------------------------------------------- names


def safe_name(text: str | None, max_chars: int = 80, fallback: str = "unnamed") -> str:
    """One path component that every backend accepts and no one can use to escape a folder.

    Removes separators, characters Windows/Drive/Dropbox refuse and control characters,
    collapses whitespace, strips leading and trailing dots and spaces (hidden files,
    `..`, Windows), shortens to `max_chars` and prefixes reserved device names.

    >>> safe_name("../../etc/passwd")
    'etc passwd'
    >>> safe_name("SumUp *Cafe du Coin")
    'SumUp Cafe du Coin'
    >>> safe_name("CON")
    '_CON'
    >>> safe_name(" .. ")
    'unnamed'
    """
    value = unicodedata.normalize("NFC", text or "")
    value = _FORBIDDEN.sub(" ", value)
    value = " ".join(value.split()).strip(" .")
    if len(value) > max_chars:
        value = value[:max_chars].rstrip(" .")
    if not value:
        value = fallback
    if value.split(".")[0].upper() in _RESERVED:
        value = "_" + value
    return value


def short_id(value: str, length: int = 8) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:length]


def paris_month(instant: datetime) -> str:
    """`YYYY-MM` of an instant in Europe/Paris (a payment at 23:30 UTC on the 31st is next month)."""
    if instant.tzinfo is None:
        raise ValueError("naive datetime refused: instants must carry their timezone")
    return instant.astimezone(PARIS).strftime("%Y-%m")


@dataclass(frozen=True)
class Receipt:
    document: Document
    transaction: Transaction
    account: BankAccount | None


def extension_for(media_type: str | None) -> str:
    return _EXTENSIONS.get((media_type or "").split(";")[0].strip().lower(), "bin")


def receipt_file_name(receipt: Receipt) -> str:
    """`YYYY-MM-DD_<counterparty>_<amount> <currency>_<short id>.<ext>`, safe and stable.

    The counterparty is the extracted supplier name when there is one (what the user
    recognises), else the bank's counterparty label.
    """
    tx = receipt.transaction
    day = tx.emitted_at.astimezone(PARIS).strftime("%Y-%m-%d")
    who = safe_name(receipt.document.supplier_name or tx.counterparty, 60, "unknown")
    amount = safe_name(f"{tx.amount.amount} {tx.amount.currency}", 30, "0")
    ext = extension_for(receipt.document.media_type)
    return f"{day}_{who}_{amount}_{short_id(receipt.document.id)}.{ext}"


def company_folder_name(org: Organization) -> str:
    return f"{safe_name(org.legal_name, 60, 'Company')} ({short_id(org.id, 6)})"


def account_folder_name(account: BankAccount | None, account_id: str) -> str:
    if account is None:
        return safe_name(account_id, 60, "Account")
    iban = account.iban
    return f"{safe_name(account.name, 60, 'Account')} ({iban[:4]}-{iban[-4:]})"


# ----------------------------------------------------------------------------- deps


class Blobs(Protocol):
    def get(self, uri: str) -> bytes: ...


def _now() -> datetime:
    return datetime.now(UTC)


def _worker_id() -> str:
    return f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:8]}"


@dataclass
class ExportDeps:
    """What the use case needs; `shared.runtime`-style wiring lives in the function module.

    `publish_sync(payload)` publishes one message on `exports.sync`.
    `build_destination(kind, config)` builds the backend (the factory by default).
    """

    store: FirestoreStore
    integrations: IntegrationStore
    blobs: Blobs
    publish_sync: Callable[[dict[str, Any]], str]
    build_destination: Callable[[str, dict[str, Any]], Destination] = build_destination
    product_name: str = DEFAULT_PRODUCT_NAME
    lease_seconds: int = 600
    time_budget_seconds: float = 480.0
    checkpoint_every: int = 25
    clock: Callable[[], datetime] = _now
    worker_id: str = field(default_factory=_worker_id)


@dataclass(frozen=True)
class SyncResult:
    """outcome: done | partial | busy | skipped | reconnect_needed | storage_full |
    retrying | error. `uploaded` and `adopted` count this run's files."""

    outcome: str
    progress: Progress = Progress()
    uploaded: int = 0
    adopted: int = 0
    message: str = ""


# ----------------------------------------------------------------------------- verbs


def setup_export(
    deps: ExportDeps,
    org_id: str,
    integration_id: str,
    destination: str,
    config: dict[str, Any],
    sync_from: datetime,
) -> ExportIntegration:
    """Connect or reconfigure an export, then publish its first run.

    `sync_from` is an instant (timezone-aware), in the past or now. The destination is
    built once here, so a malformed configuration is refused (`DestinationConfigError`)
    before anything is stored. Reconfiguring resets the ledger.
    """
    if sync_from.tzinfo is None:
        raise ValueError("sync_from must be timezone-aware")
    if sync_from > deps.clock() + timedelta(minutes=5):
        raise ValueError("sync_from must be in the past or now")
    deps.build_destination(destination, config)
    integration = deps.integrations.configure_export(
        org_id, integration_id, destination, config, sync_from
    )
    deps.publish_sync(
        {
            "organization_id": org_id,
            "integration_id": integration_id,
            "run_id": f"setup-g{integration.generation}",
        }
    )
    log.info(
        "export configured",
        organization_id=org_id,
        integration_id=integration_id,
        destination=destination,
        generation=integration.generation,
    )
    return integration


def nightly_run_id(now: datetime) -> str:
    """The run of the Europe/Paris day the Scheduler fired on: `nightly-YYYY-MM-DD`."""
    return "nightly-" + now.astimezone(PARIS).strftime("%Y-%m-%d")


def fan_out(deps: ExportDeps, run_id: str | None = None) -> int:
    """Publish one `exports.sync` message per active export integration; returns the count.

    A redelivered Scheduler message publishes again: harmless, the worker's lease and
    `last_completed_run` make the duplicates no-ops.
    """
    run_id = run_id or nightly_run_id(deps.clock())
    count = 0
    for org_id, integration_id in deps.integrations.list_active_exports():
        deps.publish_sync(
            {"organization_id": org_id, "integration_id": integration_id, "run_id": run_id}
        )
        count += 1
    log.info("nightly export fanned out", run_id=run_id, integrations=count)
    return count


def sync_integration(
    deps: ExportDeps, org_id: str, integration_id: str, run_id: str | None = None
) -> SyncResult:
    """Export one integration's receipts; safe to call again at any time (see module doc)."""
    integration = deps.integrations.get_export(org_id, integration_id)
    if integration is None or not integration.active:
        return SyncResult("skipped", message="no active export integration")
    if run_id and integration.last_completed_run == run_id:
        return SyncResult("skipped", integration.progress, message=f"run {run_id} already done")
    now = deps.clock()
    until = now + timedelta(seconds=deps.lease_seconds)
    if not deps.integrations.acquire_lease(org_id, integration_id, deps.worker_id, until, now):
        return SyncResult("busy", integration.progress, message="another worker holds the lease")
    try:
        return _Run(deps, integration, run_id).execute()
    finally:
        deps.integrations.release_lease(org_id, integration_id, deps.worker_id)


# ----------------------------------------------------------------------------- the run


class _Folders:
    """Folder records for one run: find-or-create, each verified at most once per run."""

    def __init__(self, run: _Run, records: dict[str, FolderRecord]) -> None:
        self.run = run
        self.records = records
        self.verified: set[str] = set()
        self.created: set[str] = set()
        self.listings: dict[str, dict[str, str]] = {}  # folder id -> {file name: file id}

    def epoch(self, key: str) -> int:
        record = self.records.get(key)
        return len(record.deleted_ids) if record else 0

    def resolve(self, path: list[tuple[str, str]]) -> str:
        parent: str | None = None
        for key, name in path:
            parent = self._ensure(key, name, parent)
        assert parent is not None
        return parent

    def _ensure(self, key: str, name: str, parent_id: str | None) -> str:
        record = self.records.get(key)
        if record is not None and record.folder_id is not None:
            if key in self.verified and record.parent_id == parent_id:
                return record.folder_id
            if record.parent_id == parent_id and self.run.dest.exists(record.folder_id):
                self.verified.add(key)
                return record.folder_id
            # Gone, or its parent was re-created (so it went with the old parent).
            self._mark_deleted(record)
        folder_id = self.run.dest.ensure_folder(parent_id, name)
        record = FolderRecord(
            key=key,
            folder_id=folder_id,
            parent_id=parent_id,
            name=name,
            generation=self.run.integration.generation,
            deleted_ids=list(record.deleted_ids) if record else [],
        )
        self.records[key] = record
        self.run.record_folder(record)
        self.verified.add(key)
        self.created.add(key)
        return folder_id

    def listing(self, folder_id: str) -> dict[str, str] | None:
        """{file name: file id} of a folder's live files, listed once per run, or None
        when the backend cannot list (then callers ask per file). A folder that cannot
        be listed (deleted) lists as empty: callers then check the folder itself."""
        lister = getattr(self.run.dest, "list_children", None)
        if lister is None:
            return None
        if folder_id not in self.listings:
            try:
                items = lister(folder_id)
            except (ReconnectNeeded, StorageFull, RetryableError):
                raise
            except DestinationError:
                items = []
            self.listings[folder_id] = {
                str(item.name): str(item.id) for item in items if not _is_folder(item)
            }
        return self.listings[folder_id]

    def find_file(self, folder_id: str, name: str) -> str | None:
        """`Destination.find_file`, from the folder's listing where there is one."""
        listing = self.listing(folder_id)
        if listing is None:
            return self.run.dest.find_file(folder_id, name)
        return listing.get(name)

    def file_alive(self, folder_id: str | None, file_id: str) -> bool:
        """Whether an exported file still exists: one listing per folder, and a direct
        check only for files not listed there (moved elsewhere by the user, or gone)."""
        listing = self.listing(folder_id) if folder_id else None
        if listing is not None and file_id in listing.values():
            return True
        return self.run.dest.exists(file_id)

    def uploaded(self, folder_id: str, name: str, file_id: str) -> None:
        if folder_id in self.listings:
            self.listings[folder_id][name] = file_id

    def _mark_deleted(self, record: FolderRecord) -> None:
        assert record.folder_id is not None
        log.info(
            "export folder deleted by the user",
            organization_id=self.run.org_id,
            integration_id=self.run.integration.id,
            folder_key=record.key,
            folder_id=record.folder_id,
        )
        record.deleted_ids.append(record.folder_id)
        record.folder_id = None
        self.verified.discard(record.key)
        self.run.record_folder(record)

    def still_holds(self, entry: LedgerEntry) -> bool:
        """Whether the folder an entry was exported into still exists (checked once per run)."""
        key, folder_id = entry.folder_key, entry.folder_id
        if key is None or folder_id is None:
            return False
        record = self.records.get(key)
        if record is None:
            return self.run.dest.exists(folder_id)
        if entry.folder_epoch < self.epoch(key):
            return False
        if record.folder_id != folder_id:
            return self.run.dest.exists(folder_id)
        if key in self.verified:
            return True
        if self.run.dest.exists(folder_id):
            self.verified.add(key)
            return True
        self._mark_deleted(record)
        return False


class _Stop(Exception):
    """Internal: the run must stop with this outcome (time budget reached)."""


@dataclass
class _Plan:
    """One receipt to write: where, under which name, and the file if it already exists."""

    receipt: Receipt
    folder_id: str
    folder_key: str
    epoch: int
    name: str
    path: str
    file_id: str | None = None
    data: bytes | None = None

    def entry(self, state: LedgerState, generation: int, **extra: Any) -> LedgerEntry:
        return LedgerEntry(
            document_id=self.receipt.document.id,
            state=state,
            generation=generation,
            folder_id=self.folder_id,
            folder_key=self.folder_key,
            folder_epoch=self.epoch,
            name=self.name,
            path=self.path,
            checksum=self.receipt.document.checksum,
            file_id=self.file_id,
            **extra,
        )


_RUN_LEVEL = (ReconnectNeeded, StorageFull, RetryableError)
# Failures that concern one receipt only: recorded on its entry, the run goes on.
_PER_RECEIPT = (DestinationError, OSError, ValueError, LookupError)


class _Run:
    """One run over one integration. Receipts go in chunks of `checkpoint_every`: plan
    (folders, names, what already exists), record every intent in one batch, upload one
    by one while the bytes are read ahead in parallel, record the results in one batch."""

    def __init__(self, deps: ExportDeps, integration: ExportIntegration, run_id: str | None):
        self.deps = deps
        self.repo = deps.integrations
        self.integration = integration
        self.generation = integration.generation
        self.org_id = integration.organization_id
        self.run_id = run_id
        self.dest: Destination
        self.states: dict[str, LedgerState | None] = {}
        self.pending: list[LedgerEntry] = []
        self.pending_folders: dict[str, FolderRecord] = {}
        self.written: dict[str, LedgerEntry] = {}  # latest entry per document, this run
        self.uploaded = 0
        self.adopted = 0
        self.first_error: str | None = None
        self.started = time.monotonic()

    # -- bookkeeping --------------------------------------------------------
    def progress(self) -> Progress:
        values = list(self.states.values())
        return Progress(
            exported=values.count(LedgerState.EXPORTED),
            total=len(values),
            folder_deleted=values.count(LedgerState.FOLDER_DELETED),
            failed=values.count(LedgerState.FAILED),
        )

    def _log_fields(self) -> dict[str, Any]:
        return {"organization_id": self.org_id, "integration_id": self.integration.id}

    def _result(self, outcome: str, message: str) -> SyncResult:
        return SyncResult(outcome, self.progress(), self.uploaded, self.adopted, message)

    def _stop_with(self, status: str, message: str, outcome: str) -> SyncResult:
        self.repo.set_status(self.org_id, self.integration.id, status, message, self.progress())
        log.warning("export run stopped", status=status, reason=message, **self._log_fields())
        return self._result(outcome, message)

    def _record(self, entry: LedgerEntry) -> None:
        self.pending.append(entry)
        self.states[entry.document_id] = entry.state
        self.written[entry.document_id] = entry

    def record_folder(self, record: FolderRecord) -> None:
        # Written with the next ledger batch: a lost folder record is rebuilt from the
        # storage (find-or-create by name, or the folder is gone again).
        self.pending_folders[record.key] = replace(record, deleted_ids=list(record.deleted_ids))

    def _flush(self) -> None:
        if self.pending or self.pending_folders:
            entries, self.pending = self.pending, []
            records, self.pending_folders = list(self.pending_folders.values()), {}
            self.repo.put_entries(self.org_id, self.integration.id, entries, records)

    def _fail(self, receipt: Receipt, plan: _Plan | None, exc: BaseException) -> None:
        doc = receipt.document
        reason = f"{type(exc).__name__}: {exc}"
        self.first_error = self.first_error or reason
        log.error("receipt not exported", document_id=doc.id, error=reason, **self._log_fields())
        # Keep the intent's folder and name: the upload may have landed before failing,
        # and the next run must find it rather than upload a duplicate.
        latest = self.written.get(doc.id)
        if plan is not None:
            failed = plan.entry(LedgerState.FAILED, self.generation)
        elif latest is not None and latest.state == LedgerState.UPLOADING:
            failed = replace(latest, state=LedgerState.FAILED)
        else:
            failed = LedgerEntry(doc.id, LedgerState.FAILED, self.generation)
        failed.error = reason[:500]
        self._record(failed)

    # -- the run ------------------------------------------------------------
    def execute(self) -> SyncResult:
        deps = self.deps
        run_started = deps.clock()
        org = deps.store.get_organization(self.org_id)
        if org is None:
            return self._stop_with("error", f"organization {self.org_id} not found", "error")
        try:
            self.dest = deps.build_destination(
                self.integration.destination, self.integration.destination_config
            )
        except DestinationConfigError as exc:
            return self._stop_with("error", f"destination settings: {exc}", "error")
        receipts = self._receipts()
        ledger = self.repo.ledger(self.org_id, self.integration.id, self.generation)
        self.states = {r.document.id: _state(ledger.get(r.document.id)) for r in receipts}
        folders = _Folders(
            self, self.repo.folders(self.org_id, self.integration.id, self.generation)
        )
        self.repo.set_status(
            self.org_id,
            self.integration.id,
            "running",
            f"exporting {len(receipts)} receipts",
            self.progress(),
            last_run_id=self.run_id,
            last_run_at=run_started,
        )
        company = [("root", safe_name(deps.product_name)), ("org", company_folder_name(org))]
        step = max(1, deps.checkpoint_every)
        try:
            with ThreadPoolExecutor(max_workers=8) as pool:
                root_id = folders.resolve(company[:1])
                if "root" in folders.created or "root_folder" not in self.integration.links:
                    self.repo.set_link(
                        self.org_id, self.integration.id, "root_folder", self.dest.link(root_id)
                    )
                for start in range(0, len(receipts), step):
                    chunk = receipts[start : start + step]
                    try:
                        self._export_chunk(chunk, ledger, folders, company, pool)
                    finally:
                        self._flush()  # what is done is recorded, even when the run stops
                    if start + step < len(receipts):
                        self._checkpoint()
                self._flush()  # folder records of a run with nothing to upload
        except ReconnectNeeded as exc:
            return self._stop_with(exc.status, f"reconnect needed: {exc}", exc.status)
        except StorageFull as exc:
            return self._stop_with(exc.status, f"storage full: {exc}", exc.status)
        except RetryableError as exc:
            return self._stop_with(exc.status, f"will resume: {exc}", exc.status)
        except _Stop as stop:
            return self._stop_with("running", str(stop), "partial")
        except DestinationError as exc:
            # The root folder itself cannot be made: nothing else can go on.
            return self._stop_with("error", str(exc), "error")
        progress = self.progress()
        failed = progress.failed
        status = "ok" if not failed else "error"
        message = (
            f"{progress.exported} of {progress.total} receipts exported"
            if not failed
            else f"{failed} receipts could not be exported; first error: {self.first_error}"
        )
        self.repo.set_status(
            self.org_id,
            self.integration.id,
            status,
            message,
            progress,
            # A run without an id (ops, tests) still marks the generation's first run done.
            last_completed_run=self.run_id or f"manual-{run_started.isoformat()}",
            last_success_at=deps.clock(),
        )
        log.info(
            "export run finished",
            uploaded=self.uploaded,
            adopted=self.adopted,
            **progress.as_dict(),
            **self._log_fields(),
        )
        return self._result("done", message)

    def _checkpoint(self) -> None:
        deps = self.deps
        progress = self.progress()
        self.repo.set_status(
            self.org_id,
            self.integration.id,
            "running",
            f"{progress.exported} of {progress.total} receipts exported",
            progress,
        )
        self.repo.renew_lease(
            self.org_id,
            self.integration.id,
            deps.worker_id,
            deps.clock() + timedelta(seconds=deps.lease_seconds),
        )
        if time.monotonic() - self.started > deps.time_budget_seconds:
            raise _Stop(f"time budget reached at {progress.exported} of {progress.total}")

    def _receipts(self) -> list[Receipt]:
        store = self.deps.store
        txs = {
            tx.id: tx
            for tx in store.list_transactions(self.org_id, since=self.integration.sync_from)
        }
        accounts = {a.id: a for a in store.list_accounts(self.org_id)}
        receipts = [
            Receipt(doc, txs[doc.transaction_id], accounts.get(txs[doc.transaction_id].account_id))
            for doc in store.list_documents(self.org_id, DocumentStatus.MATCHED)
            if doc.transaction_id in txs
        ]
        receipts.sort(key=lambda r: (r.transaction.emitted_at, r.document.id))
        return receipts

    def _path(self, receipt: Receipt, company: list[tuple[str, str]]) -> list[tuple[str, str]]:
        tx = receipt.transaction
        month = paris_month(tx.emitted_at)
        return [
            *company,
            (f"acc|{tx.account_id}", account_folder_name(receipt.account, tx.account_id)),
            (f"month|{tx.account_id}|{month}", month),
        ]

    # -- one chunk ----------------------------------------------------------
    def _export_chunk(
        self,
        chunk: list[Receipt],
        ledger: dict[str, LedgerEntry],
        folders: _Folders,
        company: list[tuple[str, str]],
        pool: ThreadPoolExecutor,
    ) -> None:
        plans: list[_Plan] = []
        for receipt in chunk:
            try:
                plan = self._plan(receipt, ledger.get(receipt.document.id), folders, company)
            except _RUN_LEVEL:
                raise
            except _PER_RECEIPT as exc:
                self._fail(receipt, None, exc)
                continue
            if plan is None:
                continue
            if plan.file_id is not None:
                self.adopted += 1
                self._record(plan.entry(LedgerState.EXPORTED, self.generation))
            else:
                plans.append(plan)
        # Every intent is durable before its upload starts. An intent whose bytes then
        # cannot be read only costs the next run one lookup.
        for plan in plans:
            self._record(plan.entry(LedgerState.UPLOADING, self.generation))
        self._flush()
        # Reads run ahead in parallel while the uploads go one by one, in order.
        fetches = [pool.submit(self._fetch, plan) for plan in plans]
        for plan, fetch in zip(plans, fetches, strict=True):
            doc = plan.receipt.document
            error = fetch.result()
            if error is not None:
                self._fail(plan.receipt, plan, error)
                continue
            assert plan.data is not None
            try:
                plan.file_id = self.dest.upload(
                    plan.folder_id,
                    plan.name,
                    plan.data,
                    doc.media_type or "application/octet-stream",
                    {"receipt_id": doc.id[:100], "sha256": doc.checksum},
                )
            except _RUN_LEVEL:
                for pending in fetches:
                    pending.cancel()
                raise
            except _PER_RECEIPT as exc:
                self._fail(plan.receipt, plan, exc)
                continue
            finally:
                plan.data = None
            self.uploaded += 1
            folders.uploaded(plan.folder_id, plan.name, plan.file_id)
            self._record(plan.entry(LedgerState.EXPORTED, self.generation))

    def _fetch(self, plan: _Plan) -> BaseException | None:
        doc = plan.receipt.document
        try:
            data = self.deps.blobs.get(doc.storage_uri)
        except Exception as exc:  # noqa: BLE001 - any storage failure is this receipt's
            return exc
        if hashlib.sha256(data).hexdigest() != doc.checksum:
            return ValueError(f"stored bytes of {doc.id} do not match its checksum")
        plan.data = data
        return None

    def _plan(
        self,
        receipt: Receipt,
        entry: LedgerEntry | None,
        folders: _Folders,
        company: list[tuple[str, str]],
    ) -> _Plan | None:
        """What to do with one receipt; None when there is nothing to write."""
        if entry is not None and entry.state == LedgerState.FOLDER_DELETED:
            return None
        if entry is not None and entry.state == LedgerState.EXPORTED:
            if entry.file_id and folders.file_alive(entry.folder_id, entry.file_id):
                return None
            if not folders.still_holds(entry):
                self._record(replace(entry, state=LedgerState.FOLDER_DELETED))
                return None
            entry = None  # the user deleted the file but kept its folder: export it again
        path = self._path(receipt, company)
        folder_key = path[-1][0]
        folder_id = folders.resolve(path)
        epoch = folders.epoch(folder_key)
        name = receipt_file_name(receipt)
        file_id: str | None = None
        if (
            entry is not None
            and entry.state in (LedgerState.UPLOADING, LedgerState.FAILED)
            and entry.folder_id == folder_id
            and entry.folder_epoch == epoch
            and entry.name
        ):
            # An earlier run may have uploaded it and died before recording the id.
            name = entry.name
            file_id = folders.find_file(folder_id, name)
        elif entry is None and self.integration.last_completed_run is None:
            # First run after a (re)configuration: the ledger was reset, but the folder
            # may hold this file already (exported before the reset).
            file_id = folders.find_file(folder_id, name)
        display_path = "/".join([*(n for _, n in path), name])
        return _Plan(receipt, folder_id, folder_key, epoch, name, display_path, file_id)


def _is_folder(item: Any) -> bool:
    """Folder test for listing items of any backend (Drive `DriveFile`, Dropbox metadata)."""
    flag = getattr(item, "is_folder", None)
    return bool(flag) if flag is not None else "Folder" in type(item).__name__


def _state(entry: LedgerEntry | None) -> LedgerState | None:
    return entry.state if entry is not None else None
