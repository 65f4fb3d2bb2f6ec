"""Send an approved document to every partner activation of its company.

Called for each `documents.approved` event (`{"organization_id", "document_id"}`) and by
the retry sweep. For each activation of the company:

1. skip it unless the firm's consent is active and the activation covers the document
   (active, and the document was received at or after `activated_at`: no history);
2. `claim` its delivery record `(document, activation)` in a transaction: a delivered
   or cancelled one is never sent again, one being sent by another run (live lease) is
   left alone, a failed one waits for its backoff;
3. build the parcel (path rendered from the activation's template, the index record),
   send it, and `finish` the record: delivered with its receipt, or failed with the
   reason and the next attempt time (`next_attempt`: doubling, capped). A 410 from an
   HTTP endpoint disables the activation. A failure never stops the other activations;
4. a document delivered already whose index record changed since (matched to its payment
   later by the rematch, the feed, the Dropzone or a person; detached) goes again as an
   update: `update_key(first, n)` is its record, claimed and finished the same way; the
   first delivery keeps the revision last sent (`index_revision`) and the count of
   updates. Every later match publishes `documents.approved` again, so this runs then.

Idempotency: the record makes a redelivered event or an overlapping run a no-op; a
crash after sending but before `finish` leaves a lease that expires, and the resend is
recognised downstream (same file adopted, same Message-ID, same webhook-id).

The outcome says whether anything is left to retry: the Pub/Sub adapter then asks for
redelivery, so the subscription's backoff drives the retries (the sweep catches what
outlives the subscription's attempts).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from shared.destinations.base import DestinationError
from shared.destinations.email_smtp import EmailSender
from shared.destinations.parcel import Parcel, Sender
from shared.destinations.webhook import EndpointGone
from shared.domain.entities import Document, DocumentStatus, Organization
from shared.domain.partner_index import index_record, index_revision, path_values
from shared.domain.partner_paths import DEFAULT_TEMPLATE, render
from shared.domain.partners import (
    PATH_TARGET,
    Activation,
    Extension,
    delivery_key,
    next_attempt,
    update_key,
)
from shared.errors import AppError, NotFound
from shared.store.partners import DeliveryBusy, DeliveryRecord, DeliveryState, PartnerStore

PARIS = ZoneInfo("Europe/Paris")
# Read and kept: what a firm receives (matched to its payment or still waiting for it).
APPROVED = frozenset({DocumentStatus.MATCHED, DocumentStatus.UNMATCHED})
OpenSender = Callable[[Extension, dict[str, str], Activation], AbstractContextManager[Sender]]


@dataclass
class DispatchDeps:
    partners: PartnerStore
    organization: Callable[[str], Organization | None]
    document: Callable[[str, str], Document | None]
    blob: Callable[[str], bytes]
    open_sender: OpenSender
    clock: Callable[[], datetime]
    holder: str = field(default_factory=lambda: uuid.uuid4().hex)
    lease: timedelta = timedelta(minutes=10)


@dataclass
class DispatchOutcome:
    delivered: list[str] = field(default_factory=list)  # activation ids
    failed: dict[str, str] = field(default_factory=dict)  # activation id -> reason
    skipped: dict[str, str] = field(default_factory=dict)  # activation id -> why

    @property
    def retry_later(self) -> bool:
        return bool(self.failed)


def build_parcel(
    document: Document, company: Organization, activation: Activation, kind_target: str, data: bytes
) -> Parcel:
    template = str(activation.params.get("path") or DEFAULT_TEMPLATE)
    values = path_values(document, company, activation.params.get("external_id"))
    segments = render(template, values, kind_target)
    folder = segments[:-1] or ("Invoice_import",)
    return Parcel(
        key=delivery_key(document.id, activation.id),
        folder=folder,
        name=segments[-1],
        data=data,
        mime_type=document.media_type or "application/octet-stream",
        index=index_record(document, company, segments[-1]),
    )


def dispatch_document(org_id: str, document_id: str, deps: DispatchDeps) -> DispatchOutcome:
    document = deps.document(org_id, document_id)
    if document is None:
        raise NotFound(f"document {document_id} not found in {org_id}")
    company = deps.organization(org_id)
    if company is None:
        raise NotFound(f"organization {org_id} not found")
    outcome = DispatchOutcome()
    if document.status not in APPROVED:
        return outcome  # refused, failed or not read yet: nothing to export
    data: list[bytes] = []  # read once, on the first delivery that needs it

    def blob() -> bytes:
        if not data:
            data.append(deps.blob(document.storage_uri))
        return data[0]

    for activation in deps.partners.activations_of_company(org_id):
        reason = _why_not(activation, document, deps)
        if reason:
            outcome.skipped[activation.id] = reason
            continue
        now = deps.clock()
        key = delivery_key(document.id, activation.id)
        digest = activation.params.get("mode") == "digest"
        if digest:
            day = digest_day(now)
            if deps.partners.queue_for_digest(key, document.id, activation, day, now):
                outcome.skipped[activation.id] = "queued for the digest of " + day
                continue
        try:
            # A digest's first delivery is the digest's; its updates go on their own.
            claimed = None
            if not digest:
                claimed = deps.partners.claim(
                    key, document.id, activation, deps.holder, now, now + deps.lease
                )
            if claimed is None:
                _update_if_changed(document, company, activation, blob, deps, outcome)
                continue
            _deliver(document, company, activation, blob, claimed, deps, outcome)
        except DeliveryBusy as exc:  # other runs contend for it, or the outcome could not be
            outcome.failed[activation.id] = str(exc)  # recorded: the lease expires, and the
            # resend is recognised downstream
    return outcome


def _update_if_changed(
    document: Document,
    company: Organization,
    activation: Activation,
    blob: Callable[[], bytes],
    deps: DispatchDeps,
    outcome: DispatchOutcome,
) -> None:
    """The document went out already: send its index record again if it changed since
    (matched to its payment later, detached by a person), as the next update."""
    key = delivery_key(document.id, activation.id)
    first = deps.partners.get_delivery(key)
    if first is None or first.state != DeliveryState.DELIVERED:
        if first is not None and first.state == DeliveryState.SENDING:
            # Another run is sending it, perhaps with the record as it was: look again later.
            outcome.failed[activation.id] = "being sent by another run"
        else:
            outcome.skipped[activation.id] = (
                "queued already"
                if first and first.state == DeliveryState.QUEUED
                else "cancelled or waiting for its backoff"
            )
        return
    extension = deps.partners.get_extension(activation.firm_id, activation.extension_id)
    if extension is None or first.revision is None:
        outcome.skipped[activation.id] = "delivered"
        return
    target = PATH_TARGET.get(extension.kind) or "sftp"
    revision = index_revision(build_parcel(document, company, activation, target, b"").index)
    now = deps.clock()
    update = update_key(key, first.updates + 1)
    if revision == first.revision:
        # Back to the record the firm has (matched, then detached before the update went):
        # an update still waiting to be retried has nothing left to say.
        deps.partners.cancel(update, now, "the record went back to the one delivered")
        outcome.skipped[activation.id] = "delivered"
        return
    claimed = deps.partners.claim(
        update, document.id, activation, deps.holder, now, now + deps.lease, update_of=key
    )
    if claimed is None:
        record = deps.partners.get_delivery(update)
        if record is not None and record.state == DeliveryState.SENDING:
            outcome.failed[activation.id] = "its update is being sent by another run"
        else:
            outcome.skipped[activation.id] = "its update waits for its backoff"
        return
    _deliver(document, company, activation, blob, claimed, deps, outcome, first.receipt)


def _why_not(activation: Activation, document: Document, deps: DispatchDeps) -> str | None:
    consent = deps.partners.get_consent(activation.firm_id, activation.company_id)
    if consent is None or not consent.active:
        return "no active consent"
    if not activation.covers(document.received_at):
        return (
            "received before the activation"
            if activation.status.value == "active"
            else (f"activation {activation.status.value}")
        )
    return None


def _deliver(
    document: Document,
    company: Organization,
    activation: Activation,
    blob: Callable[[], bytes],
    claimed: DeliveryRecord,
    deps: DispatchDeps,
    outcome: DispatchOutcome,
    first_receipt: str | None = None,
) -> None:
    """Send the claimed delivery (a first delivery, or an update of its index record, with
    what the first delivery's sender returned) and record its outcome."""
    key = claimed.key
    extension = deps.partners.get_extension(activation.firm_id, activation.extension_id)
    revision = None
    try:
        if extension is None:
            raise DestinationError("the extension was uninstalled")
        target = PATH_TARGET.get(extension.kind) or "sftp"
        parcel = build_parcel(document, company, activation, target, blob())
        revision = index_revision(parcel.index)
        if claimed.update_of is not None:
            # Its own ids downstream (Message-ID, webhook-id) per content: a resend of the
            # same record is dropped there, a newer record is not.
            parcel = replace(
                parcel,
                key=f"{key}@{revision}",
                update_of=claimed.update_of,
                first_receipt=first_receipt,
            )
        secrets = deps.partners.extension_secrets(activation.firm_id, activation.extension_id)
        with deps.open_sender(extension, secrets, activation) as sender:
            receipt = sender.send(parcel)
    except EndpointGone as exc:
        # The refused delivery is recorded before the activation shows disabled, so that
        # whoever sees it disabled (and resumes it) finds the delivery to send again.
        deps.partners.finish(key, deps.holder, deps.clock(), error=_reason(exc))
        deps.partners.disable_activation(activation.id, str(exc))
        outcome.skipped[activation.id] = "endpoint gone: activation disabled"
        return
    except Exception as exc:  # one failing destination never blocks the others
        now = deps.clock()
        # Our own errors say whether retrying can help; anything else is unclassified: retry.
        retryable = exc.retryable if isinstance(exc, AppError) else True
        due = next_attempt(claimed.attempts + 1, now) if retryable else None
        deps.partners.finish(key, deps.holder, now, error=_reason(exc), next_attempt_at=due)
        if retryable:
            outcome.failed[activation.id] = _reason(exc)
        else:
            outcome.skipped[activation.id] = "permanent error: " + _reason(exc)
        return
    deps.partners.finish(key, deps.holder, deps.clock(), receipt=receipt, revision=revision)
    outcome.delivered.append(activation.id)


def _reason(exc: BaseException) -> str:
    status = getattr(exc, "status", None) or type(exc).__name__
    return f"{status}: {exc}"[:500]


def digest_day(now: datetime) -> str:
    """The digest a delivery belongs to: the calendar day in Paris (firms' working day)."""
    return now.astimezone(PARIS).date().isoformat()


def send_due_digests(deps: DispatchDeps) -> dict[str, int]:
    """Send each digest activation's documents of the days before today, in as few
    messages as fit (EmailSender splits at 18 MB). Idempotent: the Message-IDs derive
    from (activation, day, part), and each delivery record is claimed then finished."""
    sent = {"digests": 0, "digest_documents": 0, "digest_failed": 0}
    today = digest_day(deps.clock())
    groups: dict[tuple[str, str], list[Any]] = defaultdict(list)
    for record in deps.partners.queued_before(today):
        groups[(record.activation_id, record.digest_day or "")].append(record)
    for (activation_id, day), records in sorted(groups.items()):
        activation = deps.partners.get_activation(activation_id)
        if activation is None:
            continue
        result = _send_digest(activation, day, records, deps)
        for key in result:
            sent[key] += result[key]
    return sent


def _send_digest(
    activation: Activation, day: str, records: list[Any], deps: DispatchDeps
) -> dict[str, int]:
    consent = deps.partners.get_consent(activation.firm_id, activation.company_id)
    company = deps.organization(activation.company_id)
    extension = deps.partners.get_extension(activation.firm_id, activation.extension_id)
    if consent is None or not consent.active or company is None or extension is None:
        return {"digests": 0, "digest_documents": 0, "digest_failed": 0}
    now = deps.clock()
    claimed, parcels = [], []
    for record in sorted(records, key=lambda r: r.key):
        if (
            deps.partners.claim(
                record.key, record.document_id, activation, deps.holder, now, now + deps.lease
            )
            is None
        ):
            continue
        document = deps.document(activation.company_id, record.document_id)
        if document is None:
            deps.partners.finish(record.key, deps.holder, now, error="document deleted")
            continue
        target = PATH_TARGET.get(extension.kind) or "sftp"
        parcels.append(
            build_parcel(document, company, activation, target, deps.blob(document.storage_uri))
        )
        claimed.append(record)
    if not parcels:
        return {"digests": 0, "digest_documents": 0, "digest_failed": 0}
    secrets = deps.partners.extension_secrets(activation.firm_id, activation.extension_id)
    try:
        with deps.open_sender(extension, secrets, activation) as sender:
            if not isinstance(sender, EmailSender):
                raise DestinationError("digests are sent by email only")
            ids = sender.send_digest(f"{activation.id}:{day}", parcels, f"Documents of {day}")
    except Exception as exc:
        now = deps.clock()
        due = next_attempt(1, now)
        for record in claimed:
            deps.partners.finish(
                record.key, deps.holder, now, error=_reason(exc), next_attempt_at=due, requeue=True
            )
        return {"digests": 0, "digest_documents": 0, "digest_failed": len(claimed)}
    for record, parcel in zip(claimed, parcels, strict=True):
        deps.partners.finish(
            record.key,
            deps.holder,
            deps.clock(),
            receipt=" ".join(ids),
            revision=index_revision(parcel.index),
        )
    return {"digests": 1, "digest_documents": len(claimed), "digest_failed": 0}


def retry_due(deps: DispatchDeps, limit: int = 200) -> dict[str, Any]:
    """Send the digests that are due, then retry every failed delivery whose backoff has passed."""
    done: dict[str, Any] = {"delivered": 0, "failed": 0, **send_due_digests(deps)}
    seen: set[tuple[str, str]] = set()
    for record in deps.partners.due_deliveries(deps.clock(), limit):
        pair = (record.company_id, record.document_id)
        if pair in seen:
            continue
        seen.add(pair)
        outcome = dispatch_document(record.company_id, record.document_id, deps)
        done["delivered"] += len(outcome.delivered)
        done["failed"] += len(outcome.failed)
    return done
