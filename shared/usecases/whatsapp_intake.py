"""WhatsApp intake: a signed Twilio webhook becomes stored documents and events.

Contract of `receive_whatsapp_message`:
- MUST refuse (403, nothing stored) a request whose X-Twilio-Signature does not
  verify against the configured public URL.
- MUST store nothing for a sender whose phone belongs to no company, and answer
  politely.
- MUST be idempotent under Twilio's retries: documents are keyed by
  MessageSid + media index and created with Firestore `create()`; a retry
  republishes the event of a document still waiting, so nothing is lost if the
  first attempt died between storing and publishing.
- answers at once with a TwiML reply (🔎 while documents are being read).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from shared.channels.twilio_whatsapp import (
    ChannelError,
    MalformedWebhook,
    MediaTooLarge,
    WhatsAppChannel,
)
from shared.domain.entities import Document, DocumentStatus
from shared.domain.identifiers import InvalidIdentifier, phone_e164
from shared.extraction.intake import sniff
from shared.log import get_logger
from shared.store.blobs import BlobStore
from shared.store.firestore_store import FirestoreStore

log = get_logger(__name__)

ACCEPTED_MEDIA = ("image/heic", "image/heif", "image/jpeg", "image/png", "application/pdf")

REPLY_UNKNOWN_NUMBER = (
    "Hello! This number is not linked to any company yet. Ask an admin of your company "
    "to add your phone number to your member profile, then send your receipts here."
)
REPLY_DOCUMENTS_ONLY = (
    "Thanks for your message! I can only read receipts and invoices: send a photo or a PDF "
    '(JPEG, PNG, HEIC or PDF, 15 MB at most). Send "companies" to choose the company.'
)
REPLY_RECEIVED = "🔎 Got it, reading {count}…"


@dataclass(frozen=True)
class WebhookAnswer:
    status: int
    twiml: str | None


@dataclass
class IntakeDeps:
    store: FirestoreStore
    blobs: BlobStore
    channel: WhatsAppChannel
    publish: Callable[[dict], str]  # documents.received
    public_url: str
    max_bytes: int = 15 * 1024 * 1024
    now: Callable[[], datetime] = lambda: datetime.now(UTC)


_SWITCH = re.compile(r"^\s*(?:switch|company|companies|société|societe|empresa)\s*(\d+)?\s*$", re.I)


def receive_whatsapp_message(
    form: Mapping[str, str], signature: str | None, deps: IntakeDeps
) -> WebhookAnswer:
    if not deps.channel.is_valid_signature(deps.public_url, form, signature):
        log.warning("whatsapp webhook refused: bad signature")
        return WebhookAnswer(403, None)

    try:
        message = deps.channel.parse_incoming(form)
    except MalformedWebhook as exc:
        log.warning("whatsapp webhook malformed", error=str(exc))
        return WebhookAnswer(400, None)
    try:
        phone = phone_e164(message.sender)
    except InvalidIdentifier:
        return WebhookAnswer(200, deps.channel.twiml_reply(REPLY_UNKNOWN_NUMBER))
    entry = deps.store.lookup_phone(phone)
    if entry is None or not entry.organization_ids:
        log.info("whatsapp message from an unknown number", message_sid=message.message_sid)
        return WebhookAnswer(200, deps.channel.twiml_reply(REPLY_UNKNOWN_NUMBER))

    if not message.media:
        return WebhookAnswer(200, deps.channel.twiml_reply(_text_reply(message.body, phone, deps)))

    org_id = entry.active_organization_id or entry.organization_ids[0]
    problems: list[str] = []
    accepted = 0
    for index, (url, declared_type) in enumerate(message.media):
        outcome = _store_media(message.message_sid, index, url, declared_type, phone, org_id, deps)
        if outcome is None:
            accepted += 1
        else:
            problems.append(outcome)

    lines = []
    if accepted:
        lines.append(
            REPLY_RECEIVED.format(
                count="your document" if accepted == 1 else f"{accepted} documents"
            )
        )
    lines.extend(f"❌ {problem}" for problem in problems)
    return WebhookAnswer(200, deps.channel.twiml_reply("\n".join(lines)))


def _store_media(
    message_sid: str,
    index: int,
    url: str,
    declared_type: str,
    phone: str,
    org_id: str,
    deps: IntakeDeps,
) -> str | None:
    """Store one media file and publish its event; returns a refusal text or None."""
    document_id = f"wa-{message_sid}-{index}"
    existing = deps.store.get_document(org_id, document_id)
    if existing is not None:
        if existing.status == DocumentStatus.RECEIVED:
            deps.publish({"organization_id": org_id, "document_id": document_id})
        return None

    try:
        data = deps.channel.download_media(url, max_bytes=deps.max_bytes)
    except MediaTooLarge:
        return f"File {index + 1} is over {deps.max_bytes // (1024 * 1024)} MB: please send a smaller file."
    except ChannelError as exc:
        log.warning(
            "media download failed",
            message_sid=message_sid,
            organization_id=org_id,
            error=str(exc),
            retryable=exc.retryable,
        )
        if exc.retryable:
            raise  # Twilio retries the webhook on a 5xx; nothing was stored yet.
        return f"File {index + 1} could not be fetched from WhatsApp: please send it again."

    # Don't trust the declared content type: the bytes decide.
    media_type = sniff(data)
    if media_type not in ACCEPTED_MEDIA:
        return (
            f"File {index + 1} is not a photo or a PDF ({declared_type or 'unknown type'}): "
            "send JPEG, PNG, HEIC or PDF."
        )

    uri, checksum = deps.blobs.put_document(org_id, data, media_type)
    document = Document(
        id=document_id,
        organization_id=org_id,
        source="whatsapp",
        checksum=checksum,
        storage_uri=uri,
        media_type=media_type,
        received_at=deps.now(),
        origin={
            "channel": "whatsapp",
            "phone": phone,
            "message_sid": message_sid,
            "media_index": index,
        },
    )
    deps.store.create_document(document)
    deps.publish({"organization_id": org_id, "document_id": document_id})
    log.info("whatsapp document stored", organization_id=org_id, document_id=document_id)
    return None


def _text_reply(body: str, phone: str, deps: IntakeDeps) -> str:
    """Company switching (`companies`, `switch 2`); anything else gets the documents-only reply."""
    match = _SWITCH.match(body or "")
    if not match:
        return REPLY_DOCUMENTS_ONLY
    entry = deps.store.lookup_phone(phone)
    assert entry is not None
    companies = [(org_id, deps.store.get_organization(org_id)) for org_id in entry.organization_ids]
    names = [org.legal_name if org else org_id for org_id, org in companies]
    if match.group(1):
        choice = int(match.group(1))
        if 1 <= choice <= len(companies):
            deps.store.set_active_organization(phone, companies[choice - 1][0])
            return f"✅ Documents you send now go to {names[choice - 1]}."
        return f"Choose a number between 1 and {len(companies)}."
    active = entry.active_organization_id
    listing = "\n".join(
        f"{i}. {name}{' (current)' if org_id == active else ''}"
        for i, ((org_id, _), name) in enumerate(zip(companies, names, strict=True), start=1)
    )
    return f'Your companies:\n{listing}\nReply "switch N" to send documents to company N.'
