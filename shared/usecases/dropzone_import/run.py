"""One Dropzone run: intake of new files, extraction, matching, settling (moves and statuses)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from shared.destinations.base import DestinationError, ReconnectNeeded, RetryableError
from shared.destinations.google_drive import DriveFile, FileTooLarge, GoogleDrive
from shared.domain.entities import Document, DocumentStatus, DocumentType
from shared.domain.statuses import RunOutcome
from shared.errors import NotFound
from shared.extraction.intake import check
from shared.extraction.worker import extract_in_worker
from shared.log import get_logger
from shared.matching.model import normalize_vat
from shared.store.dropzone import (
    DropzoneIntegration,
    FileRecord,
    FileState,
    IntegrationStatus,
)
from shared.store.firestore_store import AlreadyAttached
from shared.store.leases import LeaseLost
from shared.store.transient import transient
from shared.usecases.dropzone_import.common import (
    GOOGLE_APPS_PREFIX,
    PROP_MATCHED,
    PROP_REASON,
    PROP_STATE,
    SUBFOLDERS,
    SUPPORTED_TYPES,
    DropzoneDeps,
    RunReport,
)
from shared.usecases.dropzone_import.documents import (
    _clip,
    _document,
    _first_reason,
    _supplier_invoice,
    _too_large_reason,
)
from shared.usecases.matching_service import OrganizationIdentity

log = get_logger(__name__)


def run_dropzone(
    org_id: str,
    integration_id: str,
    deps: DropzoneDeps,
    run_key: str | None = None,
) -> RunReport:
    """One run over one integration (see the module docstring for the contract)."""
    integration = deps.repo.get_integration(org_id, integration_id)
    if integration is None:
        raise NotFound(f"Dropzone integration {integration_id} of {org_id} not found")
    report = RunReport(org_id, integration_id, RunOutcome.SKIPPED)
    if integration.status != IntegrationStatus.ACTIVE:
        report.detail = f"integration is {integration.status.value}"
        return report
    done_key = f"dropzone-run:{org_id}:{integration_id}:{run_key}" if run_key else None
    if done_key and deps.repo.run_done(done_key):
        report.detail = f"run {run_key} already completed"
        return report
    holder = uuid.uuid4().hex
    if not deps.repo.acquire_lease(org_id, integration_id, holder, deps.now(), deps.lease_ttl):
        report.detail = "another run holds the lease (or the integration is no longer active)"
        return report
    try:
        drive = deps.drive_for(integration)
        report = _Run(integration, drive, deps, holder).execute()
    except ReconnectNeeded as exc:
        deps.repo.set_status(
            org_id, integration_id, IntegrationStatus.RECONNECT_NEEDED, str(exc), deps.now()
        )
        report.outcome, report.detail = RunOutcome.RECONNECT_NEEDED, str(exc)
    except LeaseLost as exc:
        report.outcome, report.detail = RunOutcome.LEASE_LOST, str(exc)
    finally:
        deps.repo.release_lease(org_id, integration_id, holder)
    if report.outcome == RunOutcome.DONE and done_key and report.remaining == 0:
        deps.repo.mark_run_done(done_key, organization_id=org_id)
    if report.outcome in (RunOutcome.DONE, RunOutcome.BROKEN):
        deps.repo.record_run(
            org_id, integration_id, {**report.summary(), "finished_at": deps.now()}
        )
    log.info("dropzone run finished", organization_id=org_id, **report.summary())
    return report


# Runs that may fail on one file before it is set aside in Unsupported.
MAX_FILE_FAILURES = 3


@dataclass
class _Work:
    """One file in this run: what we know, and where it must go."""

    file: DriveFile
    folder: str  # role of the folder it was listed in: dropzone | processing
    record: FileRecord
    target: str | None = None  # role of the folder it must end in
    props: dict[str, str] = field(default_factory=dict)
    description: str | None = None


class _Run:
    def __init__(
        self, integration: DropzoneIntegration, drive: GoogleDrive, deps: DropzoneDeps, holder: str
    ) -> None:
        self.integration = integration
        self.org_id = integration.organization_id
        self.iid = integration.id
        self.drive = drive
        self.deps = deps
        self.repo = deps.repo
        self.holder = holder
        self.report = RunReport(self.org_id, self.iid, RunOutcome.DONE)
        self.started = deps.clock()
        self.renewed = self.started
        self._identity_cache: OrganizationIdentity | None = None

    def _identity(self) -> OrganizationIdentity:
        """The organization and its accounts, read once per run (extraction's own party,
        the sales check, the engine's profile)."""
        if self._identity_cache is None:
            self._identity_cache = self.deps.matcher().identity(self.org_id)
        return self._identity_cache

    # -- lease --------------------------------------------------------------
    def _keep_lease(self) -> None:
        """Renew the lease once a third of its life is spent; stop if another run has it."""
        if self.deps.clock() - self.renewed >= self.deps.lease_ttl.total_seconds() / 3:
            self.repo.renew_lease(
                self.org_id, self.iid, self.holder, self.deps.now(), self.deps.lease_ttl
            )
            self.renewed = self.deps.clock()

    # -- steps --------------------------------------------------------------
    def execute(self) -> RunReport:
        broken = self._broken_folder()
        if broken:
            detail = f"the {broken} folder was deleted, trashed or moved"
            self.repo.set_status(
                self.org_id, self.iid, IntegrationStatus.BROKEN, detail, self.deps.now()
            )
            log.warning(
                "dropzone broken",
                organization_id=self.org_id,
                integration_id=self.iid,
                detail=detail,
            )
            self.report.outcome, self.report.detail = RunOutcome.BROKEN, detail
            return self.report

        listed = [
            (f, role)
            for role in ("dropzone", "processing")
            for f in self.drive.list_children(self.integration.folder(role))
            if not f.is_folder  # subfolders the user made are left alone
        ]
        records = self.repo.get_files(self.org_id, self.iid, [f.id for f, _ in listed])
        self.report.seen = len(listed)

        work: list[_Work] = []
        for index, (file, role) in enumerate(listed):
            if self.deps.clock() - self.started > self.deps.time_budget:
                self.report.remaining = len(listed) - index
                break
            self._keep_lease()
            try:
                work.append(self._intake(file, role, records.get(file.id)))
            except (ReconnectNeeded, RetryableError):
                raise
            except DestinationError as exc:
                self._file_error(file, role, records.get(file.id), exc)
            except Exception as exc:
                if transient(exc):
                    raise  # the infrastructure, not this file: the whole run is retried
                set_aside = self._file_failed(file, role, records.get(file.id), exc)
                if set_aside is not None:
                    work.append(set_aside)

        self._keep_lease()
        self._match([w for w in work if w.target is None])
        for w in work:
            self._keep_lease()
            try:
                self._settle(w)
            except (ReconnectNeeded, RetryableError):
                raise
            except DestinationError as exc:
                self._file_error(w.file, w.folder, w.record, exc)
            except Exception as exc:
                if transient(exc):
                    raise  # the infrastructure: the whole run is retried
                # A defect met while moving one file must not leave the others unmoved: its
                # record is saved before any move, so the next run settles it again.
                log.exception(
                    "dropzone file could not be settled",
                    organization_id=self.org_id,
                    integration_id=self.iid,
                    file_id=w.file.id,
                )
                self._file_error(w.file, w.folder, w.record, exc)
        return self.report

    def _broken_folder(self) -> str | None:
        """The first integration folder that is gone, trashed or no longer in the root."""
        folders = self.integration.folders
        root = self.drive.get(folders["root"])
        if root is None or not root.is_folder:
            return "root"
        children = {f.id for f in self.drive.list_children(folders["root"]) if f.is_folder}
        for role, name in SUBFOLDERS.items():
            if folders.get(role) not in children:
                return name
        return None

    # -- intake: sort to Unsupported, or extract --------------------------------
    def _intake(self, file: DriveFile, role: str, record: FileRecord | None) -> _Work:
        same = record is not None and file.md5 is not None and record.md5 == file.md5
        if (
            record is not None
            and same
            and record.state in (FileState.PROCESSING, FileState.MATCHED)
        ):
            # Read on an earlier run: no download, no extraction; just try matching again.
            record.name = file.name
            return _Work(file, role, record)
        if record is not None and same and record.state == FileState.UNSUPPORTED:
            return self._unsupported(file, role, record.reason, record.refusal_code)

        refusal = self._refusal_from_metadata(file)
        if refusal:
            return self._unsupported(file, role, *refusal)
        try:
            data = self.drive.download(file.id, self.deps.max_bytes, known=file)
        except FileTooLarge as exc:
            return self._unsupported(
                file, role, _too_large_reason(self.deps.max_bytes), "too_large", str(exc)
            )
        intake = check(data, self.deps.max_bytes)
        if not intake.accepted:
            return self._unsupported(file, role, intake.refused or "", intake.refusal_code)
        if intake.media_type not in SUPPORTED_TYPES:
            return self._unsupported(
                file,
                role,
                f"This kind of file ({intake.media_type}) is not supported in the Dropzone; "
                "use a PDF, JPEG or PNG.",
                "unsupported_type",
            )
        extraction = extract_in_worker(
            data,
            source_name=file.name,
            max_bytes=self.deps.max_bytes,
            own=self._identity().own_party(),
        )
        if extraction.refused:
            return self._unsupported(file, role, extraction.refused, extraction.refusal_code)

        uri, checksum = self.deps.blobs.put_document(self.org_id, data, intake.media_type)
        md5_part = (file.md5 or checksum)[:8]
        now = self.deps.now()
        doc_ids = []
        for n, extracted in enumerate(extraction.documents, start=1):
            doc_id = f"dz-{file.id}-{md5_part}-{n}"
            doc_ids.append(doc_id)
            document = _document(
                self.org_id,
                doc_id,
                extracted,
                file,
                self.iid,
                uri,
                checksum,
                intake.media_type,
                now,
                n,
                len(extraction.documents),
            )
            self.deps.store.create_document(document)
            if self.deps.approved is not None:
                self.deps.approved(document)
        record = FileRecord(
            file_id=file.id,
            name=file.name,
            md5=file.md5,
            size=file.size,
            state=FileState.PROCESSING,
            reason="read; waiting for its transaction",
            document_ids=doc_ids,
            checksum=checksum,
            storage_uri=uri,
            media_type=intake.media_type,
            folder=role,
            attempts=(record.attempts if record else 0),
        )
        self.repo.save_file(self.org_id, self.iid, record)
        return _Work(file, role, record)

    def _refusal_from_metadata(self, file: DriveFile) -> tuple[str, str] | None:
        """Refuse without downloading: Google Docs have no bytes, and a size over the limit
        is known from the listing."""
        if file.mime_type.startswith(GOOGLE_APPS_PREFIX) or file.size is None:
            return (
                "Google Docs, Sheets and other Drive-native files are not supported; "
                "drop a PDF, JPEG or PNG.",
                "unsupported_type",
            )
        if file.size == 0:
            return "The file is empty.", "empty_file"
        if file.size > self.deps.max_bytes:
            return _too_large_reason(self.deps.max_bytes, file.size), "too_large"
        return None

    def _unsupported(
        self, file: DriveFile, role: str, reason: str, code: str | None, detail: str = ""
    ) -> _Work:
        record = FileRecord(
            file_id=file.id,
            name=file.name,
            md5=file.md5,
            size=file.size,
            state=FileState.UNSUPPORTED,
            reason=reason,
            refusal_code=code,
            folder=role,
        )
        self.repo.save_file(self.org_id, self.iid, record)
        self.report.unsupported += 1
        work = _Work(file, role, record, target="unsupported")
        work.props = {PROP_STATE: "unsupported", PROP_REASON: _clip(reason)}
        work.description = f"Unsupported: {reason}"
        log.info(
            "dropzone file unsupported",
            organization_id=self.org_id,
            integration_id=self.iid,
            file_id=file.id,
            refusal_code=code,
            detail=detail,
        )
        return work

    # -- matching: one global call for the whole run ------------------------------
    def _match(self, work: list[_Work]) -> None:
        doc_ids = [d for w in work for d in w.record.document_ids]
        docs = self.repo.get_documents(self.org_id, doc_ids)

        waiting = [
            doc
            for doc in docs.values()
            if doc.status != DocumentStatus.MATCHED and doc.total is not None
        ]
        results = (
            self.deps.matcher().match(self.org_id, waiting, self._identity()) if waiting else {}
        )

        now = self.deps.now()
        for doc_id, doc in docs.items():
            result = results.get(doc_id)
            sales = result is not None and "sales_invoice" in result.flags
            if doc.document_type == DocumentType.INVOICE and not sales and not self._ours(doc):
                self.repo.create_supplier_invoice(_supplier_invoice(doc, self.iid), now)
            if doc.status == DocumentStatus.MATCHED:
                # Attached by an earlier run that died before settling the invoice or file.
                if doc.transaction_id:
                    self.repo.mark_invoice_paid(self.org_id, doc_id, doc.transaction_id, now)
                continue
            if result is None:
                reason = "no total amount could be read on the document"
                self.repo.set_match_outcome(self.org_id, doc_id, None, [reason], ["no_total"])
                continue
            if result.transaction_id:
                try:
                    self.deps.store.attach(
                        self.org_id, doc_id, result.transaction_id, result.score, result.reasons
                    )
                except AlreadyAttached as exc:
                    self.repo.set_match_outcome(
                        self.org_id, doc_id, result.score, [str(exc)], ["already_attached"]
                    )
                    continue
                self.repo.mark_invoice_paid(self.org_id, doc_id, result.transaction_id, now)
                self.report.attached += 1
                if self.deps.approved is not None:  # the firms' index record follows the match
                    self.deps.approved(doc)
            else:
                self.repo.set_match_outcome(
                    self.org_id, doc_id, result.score, result.reasons, result.flags
                )

        outcomes = {
            d: snap.to_dict()
            for d, snap in self.repo.get_document_snapshots(self.org_id, doc_ids).items()
        }
        for w in work:
            self._decide(w, outcomes)

    def _ours(self, doc: Document) -> bool:
        """Sales check for documents the engine did not see (no total): our VAT on it."""
        vat = normalize_vat((doc.fields.get("documents") or [{}])[0].get("supplier_vat"))
        return vat is not None and vat == self._identity().profile().vat

    def _decide(self, w: _Work, outcomes: dict[str, Any]) -> None:
        """Target folder and the state written on the file, from the documents' outcomes."""
        ids = w.record.document_ids
        matched = [d for d in ids if d in outcomes and outcomes[d].get("status") == "matched"]
        sales = [
            d
            for d in ids
            if "sales_invoice" in (outcomes.get(d) and outcomes[d].get("match_flags") or [])
        ]
        w.record.matched_document_ids = matched
        if ids and len(matched) == len(ids):
            w.target, state = "matched", FileState.MATCHED
            reason = "every invoice in the file is attached to its transaction"
            self.report.matched += 1
        else:
            w.target, state = "processing", FileState.PROCESSING
            if sales and len(sales) == len(ids):
                reason = "sales invoice (issued by the company): never matched"
            elif matched:
                reason = f"{len(matched)} of {len(ids)} invoices matched; the others wait for their transaction"
                self.report.partial += 1
            else:
                reason = _first_reason(outcomes.get(ids[0]) if ids else None)
            self.report.processing += 1
        w.record.state = state
        w.record.reason = reason
        w.record.attempts += 1
        w.props = {
            PROP_STATE: state.value,
            PROP_MATCHED: f"{len(matched)}/{len(ids)}",
            PROP_REASON: _clip(reason),
        }
        w.description = None  # the description is the user's, except for Unsupported
        # Saved before any move: a crash between here and the move is repaired next run.
        self.repo.save_file(self.org_id, self.iid, w.record)

    # -- settle: move and label, after re-reading the file ------------------------
    def _settle(self, w: _Work) -> None:
        assert w.target is not None
        target_id = self.integration.folder(w.target)
        ours = {self.integration.folder(role): role for role in SUBFOLDERS}
        needs_move = w.folder != w.target
        needs_props = any(w.file.app_properties.get(k) != v for k, v in w.props.items()) or (
            w.description is not None and w.file.description != w.description
        )
        if not needs_move and not needs_props:
            return
        current = self.drive.get(w.file.id)  # re-read: the user may have acted mid-run
        if current is None:
            self._user_changed(w, FileState.GONE, "deleted or trashed by the user during the run")
            return
        if current.md5 != w.file.md5:
            # Replaced mid-run: what we read is not what is there now. Next run reads it again.
            w.record.md5 = None
            self._user_changed(
                w, w.record.state, "content replaced during the run; read again next run"
            )
            return
        where = [ours[p] for p in current.parents if p in ours]
        props_differ = needs_props or any(
            current.app_properties.get(k) != v for k, v in w.props.items()
        )
        if target_id in current.parents:
            # Already there (a double move is a no-op, not an error); label it if needed.
            if props_differ:
                self.drive.set_properties(w.file.id, w.props, w.description)
        elif where:
            # One update moves and labels the file.
            self.drive.move(
                w.file.id,
                self.integration.folder(where[0]),
                target_id,
                app_properties=w.props if props_differ else None,
                description=w.description if props_differ else None,
            )
        else:
            self._user_changed(
                w, FileState.MOVED_OUT, "moved out of the Dropzone folders by the user"
            )
            return
        if w.record.folder != w.target:
            w.record.folder = w.target
            self.repo.save_file(self.org_id, self.iid, w.record)

    def _user_changed(self, w: _Work, state: FileState, reason: str) -> None:
        w.record.state = state
        w.record.reason = reason
        self.repo.save_file(self.org_id, self.iid, w.record)
        self.report.user_changed += 1
        log.info(
            "dropzone file changed by the user mid-run",
            organization_id=self.org_id,
            integration_id=self.iid,
            file_id=w.file.id,
            reason=reason,
        )

    def _file_failed(
        self, file: DriveFile, role: str, record: FileRecord | None, exc: Exception
    ) -> _Work | None:
        """A file this code could not handle (a defect, or an input nobody foresaw) stays in
        place and is tried again at the next runs; after `MAX_FILE_FAILURES` runs it is set
        aside in Unsupported with a description, so that it never blocks the others and the
        user is told."""
        log.exception(
            "dropzone file could not be processed",
            organization_id=self.org_id,
            integration_id=self.iid,
            file_id=file.id,
        )
        failures = (record.attempts if record else 0) + 1
        if failures >= MAX_FILE_FAILURES:
            return self._unsupported(
                file,
                role,
                f"This file could not be processed ({failures} attempts failed); it was set "
                "aside so that the others go on. Drop it again, or send it another way.",
                "processing_failed",
                f"{type(exc).__name__}: {exc}",
            )
        self._file_error(file, role, record, exc)
        return None

    def _file_error(
        self, file: DriveFile, role: str, record: FileRecord | None, exc: Exception
    ) -> None:
        self.report.errors += 1
        log.error(
            "dropzone file failed",
            organization_id=self.org_id,
            integration_id=self.iid,
            file_id=file.id,
            error=str(exc),
        )
        record = record or FileRecord(
            file.id, file.name, None, file.size, FileState.PROCESSING, folder=role
        )
        record.reason = f"could not be handled this run: {exc}"
        record.attempts += 1
        self.repo.save_file(self.org_id, self.iid, record)
