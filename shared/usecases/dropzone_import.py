"""Google Drive Dropzone import: supplier invoices dropped in a folder, matched every 3 hours.

Setup (`connect_dropzone`) creates one folder with four subfolders: Dropzone, Processing,
Matched and Unsupported. Each run (`run_dropzone`) takes the files in Dropzone and
Processing and, for each file:

- sorts it to **Unsupported** when it is over `max_bytes` (judged from Drive's metadata,
  before any download) or is not a JPEG, PNG or PDF (judged from its bytes by the
  extraction engine's intake, without OCR); the reason goes in the file's description and
  in its `dropzone_reason` appProperty;
- otherwise extracts every invoice in it (a file may hold several), records each one as a
  document and, for invoices issued to the company, as a supplier invoice awaiting payment;
- matches all the run's unmatched documents in ONE call to the matching engine, so that
  assignment is global ("two files for one transaction" attaches one of them);
- moves the file to **Matched** once every invoice in it is attached, else to **Processing**
  (where it is tried again on the next run; its transaction may not exist yet). Sales
  invoices (issued by the company itself) are never matched and stay in Processing. The
  partial state ("1 of 2 invoices matched") is written on the file and in its record.

Contract:
- MUST NOT crash or guess on a broken setup: if any of the integration's folders is gone,
  trashed or moved away, the status becomes "broken: disconnect and reconnect" and the run
  stops touching that integration (later runs do not start until it is reconnected).
- MUST be idempotent: a per-integration lease (Firestore transaction with expiry) keeps two
  runs apart, a redelivered run message with the same `run_key` is skipped once that run
  completed, documents are keyed by Drive file id + md5 + invoice index, attachment is
  transactional and refuses a second attachment, and every move re-reads the file's
  current parents first (never a double move). A file deleted, moved away or replaced by
  the user mid-run is recorded as such and not touched; a renamed file is just a name.
- MUST NOT lose a file: nothing is ever deleted, and a file's record is saved before the
  file is moved, so a crash at any point is repaired by the next run.
- Drive failures: `ReconnectNeeded` sets status `reconnect_needed` and ends the run
  cleanly; `RetryableError` propagates (the Pub/Sub message is redelivered, the lease is
  released); any other failure on one file is recorded on that file and the run goes on.
- Disconnecting (`disconnect_dropzone`) stops the runs; imported invoices stay.
- A run stops starting new files after `time_budget` (the function's timeout is finite);
  the report's `remaining` says how many were left for a continuation run.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from shared.destinations.base import DestinationError, ReconnectNeeded, RetryableError
from shared.destinations.google_drive import DriveFile, FileTooLarge, GoogleDrive
from shared.domain.entities import Document, DocumentStatus, DocumentType
from shared.domain.money import InvalidMoney, Money
from shared.errors import NotFound
from shared.extraction.intake import MAX_BYTES, check
from shared.extraction.model import ExtractedDocument
from shared.extraction.pipeline import extract
from shared.log import get_logger
from shared.matching.engine import match
from shared.matching.model import (
    DocumentLine,
    MalformedLine,
    OrganizationProfile,
    TransactionLine,
    normalize_vat,
)
from shared.matching.policy import MatchingPolicy
from shared.store.blobs import BlobStore
from shared.store.dropzone import (
    DEFAULT_INTEGRATION_ID,
    DropzoneIntegration,
    DropzoneRepository,
    FileRecord,
    FileState,
    IntegrationStatus,
    InvoiceStatus,
    SupplierInvoice,
)
from shared.store.firestore_store import AlreadyAttached, FirestoreStore
from shared.store.leases import LeaseLost
from shared.usecases.process_document import LOOKAHEAD, LOOKBACK, transaction_json

log = get_logger(__name__)

SOURCE = "drive_dropzone"
SUBFOLDERS = {
    "dropzone": "Dropzone",
    "processing": "Processing",
    "matched": "Matched",
    "unsupported": "Unsupported",
}
# The issue's list, narrower than the extraction engine's intake (which also takes HEIC).
SUPPORTED_TYPES = frozenset({"image/jpeg", "image/png", "application/pdf"})
GOOGLE_APPS_PREFIX = "application/vnd.google-apps."
# appProperties written on the user's files (private to our OAuth client).
PROP_STATE = "dropzone_state"
PROP_REASON = "dropzone_reason"
PROP_MATCHED = "dropzone_matched"  # "1/2": invoices attached / invoices in the file
_PROP_LIMIT = 100  # Drive: key + value of one property must fit in 124 bytes


@dataclass
class DropzoneDeps:
    """What a run needs. `drive_for` builds a Drive client for the integration (one per
    run: a `GoogleDrive` is not thread-safe); `blobs` keeps a copy of each supported file
    (documents must outlive the user's Drive)."""

    store: FirestoreStore
    repo: DropzoneRepository
    blobs: BlobStore
    drive_for: Callable[[DropzoneIntegration], GoogleDrive]
    now: Callable[[], datetime] = lambda: datetime.now(UTC)
    policy: MatchingPolicy = field(default_factory=MatchingPolicy)
    max_bytes: int = MAX_BYTES
    lease_ttl: timedelta = timedelta(minutes=12)  # above the worker's 9-minute timeout
    # Seconds spent reading files before matching and moving what was read: leaves the
    # match and the moves (a few Drive calls per file) well inside the 540 s timeout.
    time_budget: float = 360.0
    clock: Callable[[], float] = time.monotonic


@dataclass
class RunReport:
    organization_id: str
    integration_id: str
    outcome: str  # completed | skipped | broken | reconnect_needed | lease_lost
    detail: str = ""
    seen: int = 0
    unsupported: int = 0
    matched: int = 0  # files moved (or kept) in Matched this run
    processing: int = 0  # files left in Processing
    partial: int = 0  # files with some but not all invoices attached
    attached: int = 0  # documents attached this run
    user_changed: int = 0  # files deleted, moved away or replaced mid-run
    errors: int = 0
    remaining: int = 0  # files not reached within the time budget

    def summary(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k not in ("organization_id",)}


# ----------------------------------------------------------------------------- setup


def connect_dropzone(
    org_id: str,
    drive: GoogleDrive,
    repo: DropzoneRepository,
    *,
    root_name: str,
    oauth: dict[str, str] | None = None,
    integration_id: str = DEFAULT_INTEGRATION_ID,
    now: datetime | None = None,
) -> DropzoneIntegration:
    """Create (or find again) the root folder and its four subfolders; mark the
    integration active. Reconnecting after a broken setup recreates only what is missing;
    files already in the folders and invoices already imported stay."""
    root = drive.ensure_folder(None, root_name)
    folders = {"root": root}
    for role, name in SUBFOLDERS.items():
        folders[role] = drive.ensure_folder(root, name)
    links = {"root": drive.link(root)}
    repo.save_connection(org_id, integration_id, folders, links, oauth, now or datetime.now(UTC))
    integration = repo.get_integration(org_id, integration_id)
    assert integration is not None
    log.info("dropzone connected", organization_id=org_id, integration_id=integration_id)
    return integration


def disconnect_dropzone(
    org_id: str, repo: DropzoneRepository, integration_id: str = DEFAULT_INTEGRATION_ID
) -> None:
    """Stop the runs. Imported documents and supplier invoices stay; Drive is not touched."""
    repo.set_status(org_id, integration_id, IntegrationStatus.DISCONNECTED, "", datetime.now(UTC))


# ----------------------------------------------------------------------------- fan-out


def fan_out(repo: DropzoneRepository, publish: Callable[[dict], Any], slot: datetime) -> int:
    """Publish one run message per active Dropzone integration; returns how many.

    `run_key` is derived from the 3-hour slot, so a redelivered Scheduler message
    produces the same keys and the workers skip the runs already done.
    """
    slot = slot.astimezone(UTC)
    slot = slot.replace(hour=slot.hour - slot.hour % 3, minute=0, second=0, microsecond=0)
    count = 0
    for org_id, integration_id in repo.list_active():
        publish(
            {
                "organization_id": org_id,
                "integration_id": integration_id,
                "run_key": f"scheduled:{slot.isoformat()}",
            }
        )
        count += 1
    return count


# ----------------------------------------------------------------------------- one run


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
    report = RunReport(org_id, integration_id, "skipped")
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
        report.outcome, report.detail = "reconnect_needed", str(exc)
    except LeaseLost as exc:
        report.outcome, report.detail = "lease_lost", str(exc)
    finally:
        deps.repo.release_lease(org_id, integration_id, holder)
    if report.outcome == "completed" and done_key and report.remaining == 0:
        deps.repo.mark_run_done(done_key, organization_id=org_id)
    if report.outcome in ("completed", "broken"):
        deps.repo.record_run(
            org_id, integration_id, {**report.summary(), "finished_at": deps.now()}
        )
    log.info("dropzone run finished", organization_id=org_id, **report.summary())
    return report


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
        self.report = RunReport(self.org_id, self.iid, "completed")
        self.started = deps.clock()
        self.renewed = self.started
        self._profile_cache: OrganizationProfile | None = None

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
            self.report.outcome, self.report.detail = "broken", detail
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
        if same and record.state in (FileState.PROCESSING, FileState.MATCHED):
            # Read on an earlier run: no download, no extraction; just try matching again.
            record.name = file.name
            return _Work(file, role, record)
        if same and record.state == FileState.UNSUPPORTED:
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
        extraction = extract(data, source_name=file.name, max_bytes=self.deps.max_bytes)
        if extraction.refused:
            return self._unsupported(file, role, extraction.refused, extraction.refusal_code)

        uri, checksum = self.deps.blobs.put_document(self.org_id, data, intake.media_type)
        md5_part = (file.md5 or checksum)[:8]
        now = self.deps.now()
        doc_ids = []
        for n, extracted in enumerate(extraction.documents, start=1):
            doc_id = f"dz-{file.id}-{md5_part}-{n}"
            doc_ids.append(doc_id)
            self.deps.store.create_document(
                _document(
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
            )
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

        lines: list[DocumentLine] = []
        for doc in docs.values():
            if doc.status == DocumentStatus.MATCHED or doc.total is None:
                continue
            line = _document_line(doc)
            if line is not None:
                lines.append(line)
        results = {}
        if lines:
            transactions = self._transactions(lines)
            results = {
                r.document_id: r
                for r in match(self._profile(), transactions, lines, self.deps.policy)
            }

        now = self.deps.now()
        for doc_id, doc in docs.items():
            result = results.get(doc_id)
            sales = result is not None and "sales_invoice" in result.flags
            if doc.document_type == DocumentType.INVOICE and not sales and not self._ours(doc):
                self.repo.create_supplier_invoice(_supplier_invoice(doc, self.iid), now)
            if doc.status == DocumentStatus.MATCHED:
                # Attached by an earlier run that died before settling the invoice or file.
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
        return vat is not None and vat == self._profile().vat

    def _profile(self) -> OrganizationProfile:
        if self._profile_cache is None:
            org = self.deps.store.get_organization(self.org_id)
            accounts = self.deps.store.list_accounts(self.org_id)
            self._profile_cache = OrganizationProfile.from_json(
                {
                    "name": org.legal_name if org else self.org_id,
                    "vat": org.vat if org else None,
                    "siren": org.siren if org else None,
                    "ibans": [a.iban for a in accounts],
                }
            )
        return self._profile_cache

    def _transactions(self, lines: list[DocumentLine]) -> list[TransactionLine]:
        anchors = [
            datetime.combine(line.issue_date, datetime.min.time(), tzinfo=UTC)
            if line.issue_date
            else (line.received_at or self.deps.now())
            for line in lines
        ]
        stored = self.deps.store.list_transactions(
            self.org_id, since=min(anchors) - LOOKBACK, until=max(anchors) + LOOKAHEAD
        )
        return [TransactionLine.from_json(transaction_json(tx)) for tx in stored]

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


# ----------------------------------------------------------------------------- helpers


def _too_large_reason(limit: int, size: int | None = None) -> str:
    mb = f"{size / 1_048_576:.1f} MB" if size is not None else "over the limit"
    return f"The file is {mb}; the limit is {limit / 1_048_576:.0f} MB."


def _clip(text: str) -> str:
    encoded = text.encode("utf-8")
    if len(encoded) <= _PROP_LIMIT:
        return text
    return encoded[: _PROP_LIMIT - 3].decode("utf-8", "ignore") + "..."


def _first_reason(snapshot: Any) -> str:
    reasons = (snapshot.get("match_reasons") if snapshot is not None else None) or []
    return reasons[0] if reasons else "no matching transaction yet"


def _money(extracted: ExtractedDocument) -> Money | None:
    if extracted.total is None:
        return None
    try:
        return Money.parse(extracted.total, extracted.currency or "EUR")
    except InvalidMoney:
        return None


def _document(
    org_id: str,
    doc_id: str,
    extracted: ExtractedDocument,
    file: DriveFile,
    integration_id: str,
    uri: str,
    checksum: str,
    media_type: str,
    now: datetime,
    index: int,
    count: int,
) -> Document:
    return Document(
        id=doc_id,
        organization_id=org_id,
        source=SOURCE,
        checksum=checksum,
        storage_uri=uri,
        media_type=media_type,
        received_at=now,
        status=DocumentStatus.UNMATCHED,
        document_type=DocumentType(extracted.document_type),
        supplier_name=extracted.supplier_name,
        issue_date=extracted.issue_date,
        due_date=extracted.due_date,
        total=_money(extracted),
        invoice_number=extracted.invoice_number,
        fields={"documents": [extracted.to_json(file.name, checksum)]},
        origin={
            "integration_id": integration_id,
            "drive_file_id": file.id,
            "drive_file_name": file.name,
            "drive_md5": file.md5,
            "invoice_index": index,
            "invoices_in_file": count,
            "pages": list(extracted.pages),
        },
    )


def _document_line(doc: Document) -> DocumentLine | None:
    """The matching engine's line for a stored document (None if it cannot be built)."""
    stored = (doc.fields.get("documents") or [{}])[0]
    try:
        return DocumentLine.from_json(
            {
                **stored,
                "id": doc.id,
                "received_at": doc.received_at.isoformat(),
                # The engine drops a second document with the same checksum as a copy; the
                # invoices of one file share the file's checksum, so add the invoice index.
                "checksum": f"{doc.checksum}#{doc.origin.get('invoice_index', 1)}",
            }
        )
    except MalformedLine as exc:
        log.warning("dropzone document not matchable", document_id=doc.id, error=str(exc))
        return None


def _supplier_invoice(doc: Document, integration_id: str) -> SupplierInvoice:
    stored = (doc.fields.get("documents") or [{}])[0]
    return SupplierInvoice(
        document_id=doc.id,
        organization_id=doc.organization_id,
        supplier_name=doc.supplier_name,
        supplier_vat=stored.get("supplier_vat"),
        invoice_number=doc.invoice_number,
        issue_date=doc.issue_date,
        due_date=doc.due_date,
        total=doc.total,
        status=InvoiceStatus.AWAITING_PAYMENT,
        integration_id=integration_id,
        drive_file_id=doc.origin.get("drive_file_id"),
        drive_file_name=doc.origin.get("drive_file_name"),
        pages=tuple(doc.origin.get("pages", [])),
    )
