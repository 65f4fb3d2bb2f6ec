"""Dead letters: a message that failed all its deliveries still gets an answer.

Pub/Sub moves a message to `TOPIC.dead-letter` after the subscription's last attempt; the
dead-letter handler receives it with the source topic. Contract of `handle_dead_letter`:
- MUST mark the record failed with its reason (a document becomes `failed`; ops replay it
  after a fix, and the processor then starts it again);
- MUST answer the user once: ❌ on WhatsApp ("processing failed after several attempts,
  please send it again"), a pain.002 RJCT in the EBICS outbox for a payment file, the
  integration's status (shown in the app) for an export or Dropzone run; other topics are
  logged and held for replay;
- MUST be idempotent (the dead letter itself may be delivered more than once);
- a document still being processed (live lease) is not failed: `DocumentBusy` is raised
  so the dead letter is retried later, when that run has ended one way or the other;
- logs `event="dead_letter.handled"` with `source_topic` (counted by infra/monitoring.tf).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from shared.domain.statuses import IntegrationStatus
from shared.log import get_logger
from shared.store.dropzone import DropzoneRepository
from shared.store.firestore_store import FirestoreStore
from shared.store.integrations import IntegrationStore
from shared.usecases.ebics import EbicsDeps, refuse_after_failures
from shared.usecases.whatsapp_intake import MediaDeps, notify_message_failed
from shared.usecases.whatsapp_notify import NotifyDeps, notify_document, notify_failed_document

log = get_logger(__name__)

DEAD_LETTER_SUFFIX = ".dead-letter"
MAX_REASON_CHARS = 500


@dataclass
class DeadLetterDeps:
    store: FirestoreStore
    notify: NotifyDeps
    media: Callable[[], MediaDeps]  # built only for whatsapp.media dead letters
    ebics: Callable[[], EbicsDeps] | None = None  # built only for ebics.inbox dead letters


def source_topic(dead_letter_topic: str) -> str:
    """'documents.received' from 'documents.received.dead-letter' (or a topic path)."""
    name = dead_letter_topic.rsplit("/", 1)[-1]
    return name.removesuffix(DEAD_LETTER_SUFFIX)


def topic_from_payload(payload: dict[str, Any]) -> str | None:
    """The source topic a dead letter came from, by the shape of its payload."""
    if payload.get("organization_id") and payload.get("document_id"):
        return "documents.received"
    if payload.get("message_sid"):
        return "whatsapp.media"
    if payload.get("bucket") and payload.get("name"):
        return "ebics.inbox"  # a Storage notification: the drop bucket's only subscriber
    return None


def failure_reason(attributes: dict[str, str]) -> str:
    count = attributes.get("CloudPubSubDeadLetterSourceDeliveryCount", "?")
    subscription = attributes.get("CloudPubSubDeadLetterSourceSubscription", "?")
    return f"failed after {count} deliveries on subscription {subscription}"[:MAX_REASON_CHARS]


def _document(payload: dict[str, Any], reason: str, deps: DeadLetterDeps) -> str:
    org_id = str(payload.get("organization_id") or "")
    document_id = str(payload.get("document_id") or "")
    if not org_id or not document_id:
        return "malformed"
    try:
        failed = deps.store.mark_failed(org_id, document_id, reason)
    except LookupError:
        return "document_gone"
    if failed is None:
        # Matched, waiting or refused in the meantime: nothing failed. The run that settled
        # it may have died before its answer went out; the answer is idempotent, so send it.
        settled = deps.store.get_document(org_id, document_id)
        if settled is not None:
            notify_document(settled, deps.notify)
        return "already_settled"
    notify_failed_document(org_id, document_id, reason, deps.notify)
    return "document_failed"


def _whatsapp_media(payload: dict[str, Any], reason: str, deps: DeadLetterDeps) -> str:
    sid = str(payload.get("message_sid") or "")
    if not sid:
        return "malformed"
    answered = notify_message_failed(sid, reason, deps.media())
    return f"media_failed:{answered}"


def _ebics_inbox(payload: dict[str, Any], reason: str, deps: DeadLetterDeps) -> str:
    bucket, name = str(payload.get("bucket") or ""), str(payload.get("name") or "")
    if not bucket or not name or deps.ebics is None:
        return "malformed"
    outcome = refuse_after_failures(deps.ebics(), bucket, name, reason)
    return f"payment_file_{outcome.outcome}"


# Statuses that already tell the user more than "the run failed": left as they are.
_KEEP_STATUSES = frozenset(
    {
        IntegrationStatus.BROKEN,
        IntegrationStatus.DISCONNECTED,
        IntegrationStatus.RECONNECT_NEEDED,
        IntegrationStatus.STORAGE_FULL,
    }
)


def _answer_run(
    payload: dict[str, Any],
    reason: str,
    status_of: Callable[[str, str], str | None],
    show: Callable[[str, str, str], None],
    next_run: str,
) -> str:
    """A run of one integration failed every delivery: its status says so (what the app
    shows), unless it already says more."""
    org_id = str(payload.get("organization_id") or "")
    integration_id = str(payload.get("integration_id") or "")
    if not org_id or not integration_id:
        return "malformed"
    status = status_of(org_id, integration_id)
    if status is None:
        return "integration_gone"
    if status in _KEEP_STATUSES:
        return "status_kept"
    text = f"The last run failed ({reason}); nothing was lost, {next_run} tries again."
    show(org_id, integration_id, text)
    return "integration_error"


def _dropzone_run(payload: dict[str, Any], reason: str, deps: DeadLetterDeps) -> str:
    repo = DropzoneRepository(deps.store)

    def status_of(org_id: str, integration_id: str) -> str | None:
        integration = repo.get_integration(org_id, integration_id)
        return integration.status if integration else None

    def show(org_id: str, integration_id: str, text: str) -> None:
        repo.set_status(org_id, integration_id, IntegrationStatus.ERROR, text, datetime.now(UTC))

    return _answer_run(payload, reason, status_of, show, "the next run (every 3 hours)")


def _export_run(payload: dict[str, Any], reason: str, deps: DeadLetterDeps) -> str:
    repo = IntegrationStore(deps.store.db)

    def status_of(org_id: str, integration_id: str) -> str | None:
        integration = repo.get_export(org_id, integration_id)
        return integration.status if integration else None

    def show(org_id: str, integration_id: str, text: str) -> None:
        repo.set_status(org_id, integration_id, IntegrationStatus.ERROR, text)

    return _answer_run(payload, reason, status_of, show, "tonight's export (23:30 Paris)")


# Source topic -> what to do with its dead letters. Other channels add theirs here.
ROUTES: dict[str, Callable[[dict[str, Any], str, DeadLetterDeps], str]] = {
    "documents.received": _document,
    "whatsapp.media": _whatsapp_media,
    "ebics.inbox": _ebics_inbox,
    "dropzone.sync": _dropzone_run,
    "exports.sync": _export_run,
}


def handle_dead_letter(
    topic: str, payload: dict[str, Any], attributes: dict[str, str], deps: DeadLetterDeps
) -> str:
    """Answer one dead letter of `topic` (the source topic); returns the outcome."""
    reason = failure_reason(attributes)
    route = ROUTES.get(topic)
    outcome = route(payload, reason, deps) if route else "no_route"
    log.warning(
        "dead letter handled",
        event="dead_letter.handled",
        source_topic=topic,
        outcome=outcome,
        reason=reason,
    )
    return outcome
