"""One export run of one integration: plan, lease, upload, ledger, checkpoints."""

from __future__ import annotations

import hashlib
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any

from shared.destinations.base import (
    Destination,
    DestinationError,
    ReconnectNeeded,
    RetryableError,
    StorageFull,
)
from shared.destinations.factory import DestinationConfigError
from shared.domain.entities import DocumentStatus
from shared.domain.statuses import IntegrationStatus, RunOutcome
from shared.log import get_logger
from shared.store.integrations import (
    ExportIntegration,
    FolderRecord,
    LedgerEntry,
    LedgerState,
    Progress,
)
from shared.usecases.nightly_export.deps import ExportDeps, SyncResult
from shared.usecases.nightly_export.folders import _Folders
from shared.usecases.nightly_export.naming import (
    Receipt,
    account_folder_name,
    company_folder_name,
    paris_month,
    receipt_file_name,
    safe_name,
)

log = get_logger(__name__)


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

    def __init__(
        self,
        deps: ExportDeps,
        integration: ExportIntegration,
        run_id: str | None,
        prepare_accounts: tuple[str, ...] = (),
        started: float | None = None,
    ):
        self.deps = deps
        self.prepare_accounts = prepare_accounts
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
        # The time budget counts from the delivery, a wait for the lease included.
        self.started = time.monotonic() if started is None else started
        self.lease_renewed = time.monotonic()

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

    def _result(self, outcome: RunOutcome, message: str) -> SyncResult:
        return SyncResult(outcome, self.progress(), self.uploaded, self.adopted, message)

    def _stop_with(
        self, status: IntegrationStatus, message: str, outcome: RunOutcome
    ) -> SyncResult:
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

    def _keep_rotated_refresh_token(self, token: str) -> None:
        self.repo.keep_rotated_refresh_token(self.org_id, self.integration.id, token)
        log.info(
            "refresh token rotated and kept",
            organization_id=self.org_id,
            integration_id=self.integration.id,
        )

    # -- the run ------------------------------------------------------------
    def execute(self) -> SyncResult:
        deps = self.deps
        run_started = deps.clock()
        org = deps.store.get_organization(self.org_id)
        if org is None:
            return self._stop_with(
                IntegrationStatus.ERROR, f"organization {self.org_id} not found", RunOutcome.ERROR
            )
        try:
            self.dest = deps.build_destination(
                self.integration.destination,
                self.integration.destination_config,
                on_rotated=self._keep_rotated_refresh_token,
            )
        except DestinationConfigError as exc:
            return self._stop_with(
                IntegrationStatus.ERROR, f"destination settings: {exc}", RunOutcome.ERROR
            )
        receipts = self._receipts()
        ledger = self.repo.ledger(self.org_id, self.integration.id, self.generation)
        self.states = {r.document.id: _state(ledger.get(r.document.id)) for r in receipts}
        folders = _Folders(
            self, self.repo.folders(self.org_id, self.integration.id, self.generation)
        )
        self.repo.set_status(
            self.org_id,
            self.integration.id,
            IntegrationStatus.RUNNING,
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
                self._prepare_account_folders(folders, company)
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
            return self._stop_with(
                IntegrationStatus.RECONNECT_NEEDED,
                f"reconnect needed: {exc}",
                RunOutcome.RECONNECT_NEEDED,
            )
        except StorageFull as exc:
            return self._stop_with(
                IntegrationStatus.STORAGE_FULL, f"storage full: {exc}", RunOutcome.STORAGE_FULL
            )
        except RetryableError as exc:
            return self._stop_with(
                IntegrationStatus.RETRYING, f"will resume: {exc}", RunOutcome.RETRYING
            )
        except _Stop as stop:
            return self._stop_with(IntegrationStatus.RUNNING, str(stop), RunOutcome.PARTIAL)
        except DestinationError as exc:
            # The root folder itself cannot be made: nothing else can go on.
            return self._stop_with(IntegrationStatus.ERROR, str(exc), RunOutcome.ERROR)
        progress = self.progress()
        failed = progress.failed
        status = IntegrationStatus.OK if not failed else IntegrationStatus.ERROR
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
        return self._result(RunOutcome.DONE, message)

    def _checkpoint(self) -> None:
        deps = self.deps
        progress = self.progress()
        self.repo.set_status(
            self.org_id,
            self.integration.id,
            IntegrationStatus.RUNNING,
            f"{progress.exported} of {progress.total} receipts exported",
            progress,
        )
        self._renew_lease()
        if time.monotonic() - self.started > deps.time_budget_seconds:
            raise _Stop(f"time budget reached at {progress.exported} of {progress.total}")

    def _renew_lease(self) -> None:
        deps = self.deps
        self.repo.renew_lease(
            self.org_id,
            self.integration.id,
            deps.worker_id,
            deps.clock() + timedelta(seconds=deps.lease_seconds),
        )
        self.lease_renewed = time.monotonic()

    def _heartbeat(self) -> None:
        """Renew the lease every third of its time, however slow the uploads are."""
        if time.monotonic() - self.lease_renewed >= self.deps.lease_seconds / 3:
            self._renew_lease()

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

    def _prepare_account_folders(self, folders: _Folders, company: list[tuple[str, str]]) -> None:
        """A new bank account gets its folder at once (only when asked: a folder the user
        deleted is otherwise not recreated)."""
        if not self.prepare_accounts:
            return
        accounts = {a.id: a for a in self.deps.store.list_accounts(self.org_id)}
        for account_id in self.prepare_accounts:
            if account_id in accounts:
                name = account_folder_name(accounts[account_id], account_id)
                folders.resolve([*company, (f"acc|{account_id}", name)])

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
            self._heartbeat()

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


def _state(entry: LedgerEntry | None) -> LedgerState | None:
    return entry.state if entry is not None else None
