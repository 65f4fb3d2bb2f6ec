"""WhatsApp intake: a signed Twilio webhook is recorded and answered at once.

Contract of `receive_whatsapp_message`:
- MUST refuse (403, nothing stored) a request whose X-Twilio-Signature does not verify
  against the configured public URL; 400 for a form Twilio would not send.
- MUST answer fast: it reads the number's state, records the message, publishes one event
  and answers. Media are fetched by the worker (`fetch_message_media`), never here: Twilio
  gives a webhook 15 s and does not retry on 429.
- MUST be idempotent by MessageSid: the message is recorded with Firestore `create()`; a
  duplicate delivery answers nothing new (an empty TwiML) and changes nothing (its event is
  published again only if the first attempt seems to have died before publishing).
- Opt-out first: STOP, ARRÊT, BAJA, STOPP, UNSUBSCRIBE... opt the number out (the confirmation
  is the last message it gets) and START brings it back; an opted-out number's messages are
  recorded and ignored (nothing stored, nothing sent).
- An activation code (from the member's wa.me link) links the number to that member's company.
- Text messages: company listing and switching, else the documents-only reply; in the
  member's language (locale, else the number's country).

Contract of `fetch_message_media` (the worker, Pub/Sub `whatsapp.media`):
- each media item is downloaded (bounded by `max_bytes`), sniffed from its bytes, stored
  and becomes a document `wa-{MessageSid}-{i}` (created once) announced on
  `documents.received`; or it is refused with its reason and the sender gets ❌;
- each item's status is kept on the message record; redelivery redoes only what is missing;
- a retryable download failure raises (Pub/Sub retries, then dead-letters).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from shared.channels.twilio_whatsapp import (
    ChannelError,
    IncomingMessage,
    MalformedWebhook,
    MediaTooLarge,
    WhatsAppChannel,
)
from shared.domain.chat_commands import Command, parse
from shared.domain.entities import Document, DocumentStatus
from shared.domain.identifiers import InvalidIdentifier, phone_e164
from shared.domain.messages import language_for, render
from shared.domain.whatsapp import Contact
from shared.extraction.intake import sniff
from shared.log import get_logger
from shared.store.blobs import BlobStore
from shared.store.firestore_store import FirestoreStore, PhoneEntry
from shared.store.whatsapp import ActivationRefused, InboundMessage, WhatsAppStore
from shared.usecases.whatsapp_notify import NotifyDeps, Recipient, notify_media_refused

log = get_logger(__name__)

ACCEPTED_MEDIA = ("image/heic", "image/heif", "image/jpeg", "image/png", "application/pdf")
# A duplicate delivery re-announces a message still waiting for the worker only after this
# long: the first delivery most likely died between recording and publishing.
REPUBLISH_AFTER = timedelta(seconds=30)
# A status callback for a message whose record is not written yet waits at most this long.
STATUS_RECORD_WAITS = 6
STATUS_RECORD_WAIT_SECONDS = 0.25


@dataclass(frozen=True)
class WebhookAnswer:
    status: int
    twiml: str | None


@dataclass
class IntakeDeps:
    store: FirestoreStore
    wa: WhatsAppStore
    channel: WhatsAppChannel
    publish: Callable[[dict], str]  # whatsapp.media: {"message_sid": ...}
    public_url: str
    max_bytes: int = 15 * 1024 * 1024
    now: Callable[[], datetime] = lambda: datetime.now(UTC)
    sleep: Callable[[float], None] = time.sleep


@dataclass(frozen=True)
class _Decision:
    """What to record about a message and what to answer."""

    reply: str
    status: str = "answered"
    note: str | None = None
    organization_id: str | None = None
    contact_updates: dict[str, Any] | None = None
    reminder_transaction_id: str | None = None


def receive_whatsapp_message(
    form: Mapping[str, str], signature: str | None, deps: IntakeDeps
) -> WebhookAnswer:
    if not deps.channel.is_valid_signature(deps.public_url, form, signature):
        log.warning("whatsapp webhook refused: bad signature")
        return WebhookAnswer(403, None)
    try:
        message = deps.channel.parse_incoming(form)
        phone = phone_e164(message.sender)
    except (MalformedWebhook, InvalidIdentifier) as exc:
        log.warning("whatsapp webhook malformed", error=str(exc))
        return WebhookAnswer(400, None)

    now = deps.now()
    contact, entry = deps.wa.lookup(phone)
    language = _language(deps.store, entry, phone)
    command = parse(message.body)
    decision = _decide(message, command, contact, entry, phone, language, now, deps)

    record = InboundMessage(
        message_sid=message.message_sid,
        phone=phone,
        received_at=now,
        status=decision.status,
        organization_id=decision.organization_id,
        language=language,
        body=message.body,
        media=[
            {"url": url, "content_type": content_type[:100], "status": "pending"}
            for url, content_type in message.media
        ]
        if decision.status == "received"
        else [],
        reminder_transaction_id=decision.reminder_transaction_id,
        note=decision.note,
    )
    if not deps.wa.record_inbound(record, decision.contact_updates or {}):
        _republish_if_stuck(message.message_sid, now, deps)
        log.info("whatsapp webhook: duplicate delivery", message_sid=message.message_sid)
        return WebhookAnswer(200, deps.channel.twiml_reply(""))
    if decision.status == "received":
        try:
            deps.publish({"message_sid": message.message_sid})
        except Exception:
            # Forget the record, so that Twilio's retry of this webhook is a first delivery
            # again, rather than a duplicate of a message nobody will ever fetch.
            deps.wa.delete_message(message.message_sid)
            raise
    log.info(
        "whatsapp message recorded",
        message_sid=message.message_sid,
        organization_id=decision.organization_id,
        status=decision.status,
        media=len(record.media),
    )
    return WebhookAnswer(200, deps.channel.twiml_reply(decision.reply))


def _decide(
    message: IncomingMessage,
    command: Command,
    contact: Contact,
    entry: PhoneEntry | None,
    phone: str,
    language: str,
    now: datetime,
    deps: IntakeDeps,
) -> _Decision:
    # Opt-out and opt-in come before anything else, whoever the number belongs to.
    if command.kind == "stop":
        return _Decision(
            render("opted_out", language),
            note="opted out",
            contact_updates={"opted_out": True, "opted_out_at": now},
        )
    if command.kind == "start":
        return _Decision(
            render("opted_in", language),
            note="opted in",
            contact_updates={"opted_out": False, "opted_in_at": now},
        )
    if contact.opted_out:
        return _Decision("", status="ignored", note="opted out")
    if command.kind == "activate" and command.code:
        activated = _activate(command.code, phone, now, deps)
        if message.media and activated.note == "activated":
            # The first message may carry a receipt too: read it in the new company.
            count = len(message.media)
            received = (
                render("received_one", language)
                if count == 1
                else render("received_many", language, count=count)
            )
            return replace(activated, reply=f"{activated.reply}\n{received}", status="received")
        return activated
    if entry is None or not entry.organization_ids:
        return _Decision(render("unknown_number", language), status="ignored", note="unknown")
    if message.media:
        org_id = entry.active_organization_id or entry.organization_ids[0]
        reminder = contact.pending_reminder
        reminder_tx = None
        updates: dict[str, Any] = {}
        if reminder is not None:
            # The next document from a reminded number answers that reminder, in its company.
            updates["pending_reminder"] = None
            if reminder.live(now) and reminder.organization_id in entry.organization_ids:
                org_id, reminder_tx = reminder.organization_id, reminder.transaction_id
        count = len(message.media)
        reply = (
            render("received_one", language)
            if count == 1
            else render("received_many", language, count=count)
        )
        return _Decision(
            reply,
            status="received",
            organization_id=org_id,
            contact_updates=updates,
            reminder_transaction_id=reminder_tx,
        )
    return _Decision(_text_reply(command, entry, phone, language, deps))


def _activate(code: str, phone: str, now: datetime, deps: IntakeDeps) -> _Decision:
    """Link the number to the member and company of the code; both steps are idempotent, so a
    retried webhook (which finds the message already recorded) loses nothing."""
    fallback = language_for(None, phone)
    try:
        activation = deps.wa.consume_activation(code, phone, now)
    except ActivationRefused as exc:
        log.info("whatsapp activation refused", reason=exc.reason)
        return _Decision(render("activation_invalid", fallback), note=f"activation: {exc.reason}")
    member = deps.store.get_member(activation.organization_id, activation.user_id)
    language = language_for(member.locale if member else None, phone)
    try:
        deps.wa.activate_member(activation.organization_id, activation.user_id, phone, now)
    except ActivationRefused as exc:
        log.warning(
            "whatsapp activation refused",
            organization_id=activation.organization_id,
            reason=exc.reason,
        )
        return _Decision(
            render("activation_number_taken", language), note=f"activation: {exc.reason}"
        )
    organization = deps.store.get_organization(activation.organization_id)
    company = organization.legal_name if organization else activation.organization_id
    log.info("whatsapp activated", organization_id=activation.organization_id)
    return _Decision(
        render("welcome", language, company=company),
        note="activated",
        organization_id=activation.organization_id,
    )


def _text_reply(
    command: Command, entry: PhoneEntry, phone: str, language: str, deps: IntakeDeps
) -> str:
    if command.kind not in ("companies", "switch"):
        return render("documents_only", language, max_mb=deps.max_bytes // (1024 * 1024))
    companies = [(org_id, deps.store.get_organization(org_id)) for org_id in entry.organization_ids]
    names = [org.legal_name if org else org_id for org_id, org in companies]
    hint = render("missing_company_hint", language)
    if command.kind == "switch":
        choice = command.choice
        if choice is not None and 1 <= choice <= len(companies):
            deps.store.set_active_organization(phone, companies[choice - 1][0])
            return render("switched", language, company=names[choice - 1])
        return render("switch_out_of_range", language, count=len(companies)) + "\n" + hint
    current = render("companies_current", language)
    listing = "\n".join(
        f"{i}. {name}{current if org_id == entry.active_organization_id else ''}"
        for i, ((org_id, _), name) in enumerate(zip(companies, names, strict=True), start=1)
    )
    return "\n".join(
        (render("companies_header", language), listing, render("companies_footer", language), hint)
    )


def _language(store: FirestoreStore, entry: PhoneEntry | None, phone: str) -> str:
    if entry is None or not entry.organization_ids:
        return language_for(None, phone)
    org_id = entry.active_organization_id or entry.organization_ids[0]
    member = store.get_member(org_id, entry.user_id)
    return language_for(member.locale if member else None, phone)


def _republish_if_stuck(message_sid: str, now: datetime, deps: IntakeDeps) -> None:
    existing = deps.wa.get_message(message_sid)
    if (
        existing is not None
        and existing.status == "received"
        and now - existing.received_at > REPUBLISH_AFTER
    ):
        deps.publish({"message_sid": message_sid})


# -- the worker -------------------------------------------------------------------


@dataclass
class MediaDeps:
    store: FirestoreStore
    wa: WhatsAppStore
    blobs: BlobStore
    channel: WhatsAppChannel
    publish: Callable[[dict], str]  # documents.received
    notify: NotifyDeps
    max_bytes: int = 15 * 1024 * 1024
    now: Callable[[], datetime] = lambda: datetime.now(UTC)


def fetch_message_media(message_sid: str, deps: MediaDeps) -> InboundMessage | None:
    """Download, check and store every media item of a recorded message (see the contract)."""
    message = deps.wa.get_message(message_sid)
    if message is None or message.organization_id is None:
        log.error("whatsapp.media: unknown message", message_sid=message_sid)
        return None
    org_id = message.organization_id
    count = len(message.media)
    to: Recipient | None = None
    for index, item in enumerate(message.media):
        document_id = f"wa-{message_sid}-{index}"
        if item.get("status") == "stored":
            existing = deps.store.get_document(org_id, document_id)
            if existing is not None and existing.status == DocumentStatus.RECEIVED:
                deps.publish({"organization_id": org_id, "document_id": document_id})
            continue
        outcome = _take_media(message, index, item, document_id, deps)
        item.update(outcome)
        deps.wa.update_message(message_sid, media=message.media)
        if outcome["status"] == "refused":
            to = to or Recipient(message.phone, message.language)
            notify_media_refused(
                deps.notify,
                org_id=org_id,
                to=to,
                document_id=document_id,
                number=index + 1 if count > 1 else None,
                code=outcome["reason"],
            )
    message.status = "done"
    deps.wa.update_message(message_sid, status="done")
    return message


def _take_media(
    message: InboundMessage, index: int, item: dict, document_id: str, deps: MediaDeps
) -> dict[str, Any]:
    """One media item: {"status": "stored", "document_id"} or {"status": "refused", "reason"}."""
    org_id = message.organization_id
    assert org_id is not None
    try:
        data = deps.channel.download_media(item["url"], max_bytes=deps.max_bytes)
    except MediaTooLarge:
        return {"status": "refused", "reason": "too_large"}
    except ChannelError as exc:
        log.warning(
            "media download failed",
            message_sid=message.message_sid,
            organization_id=org_id,
            error=str(exc),
            retryable=exc.retryable,
        )
        if exc.retryable:
            raise  # Pub/Sub redelivers; what is stored already stays stored
        return {"status": "refused", "reason": "fetch_failed"}
    # Don't trust the declared content type: the bytes decide.
    media_type = sniff(data)
    if media_type not in ACCEPTED_MEDIA:
        return {"status": "refused", "reason": "unsupported_type" if data else "empty_file"}

    uri, checksum = deps.blobs.put_document(org_id, data, media_type)
    origin: dict[str, Any] = {
        "channel": "whatsapp",
        "phone": message.phone,
        "message_sid": message.message_sid,
        "media_index": index,
        "media_count": len(message.media),
    }
    if message.reminder_transaction_id:
        origin["reminder_transaction_id"] = message.reminder_transaction_id
    document = Document(
        id=document_id,
        organization_id=org_id,
        source="whatsapp",
        checksum=checksum,
        storage_uri=uri,
        media_type=media_type,
        received_at=message.received_at,
        origin=origin,
    )
    deps.store.create_document(document)
    deps.publish({"organization_id": org_id, "document_id": document_id})
    log.info("whatsapp document stored", organization_id=org_id, document_id=document_id)
    return {"status": "stored", "document_id": document_id}


# -- status callbacks ---------------------------------------------------------------


def receive_status_callback(
    form: Mapping[str, str],
    signature: str | None,
    public_url: str,
    deps: IntakeDeps,
    resend_as_template: Callable[[str, dict], object] | None = None,
) -> WebhookAnswer:
    """Twilio's message status callback: record failures; a free-form message WhatsApp refused
    for the 24-hour window (63016) goes again as its template when there is one."""
    if not deps.channel.is_valid_signature(public_url, form, signature):
        return WebhookAnswer(403, None)
    try:
        update = deps.channel.parse_status_callback(form)
    except MalformedWebhook:
        return WebhookAnswer(400, None)
    found = deps.wa.outbound_by_sid(update.message_sid)
    for _ in range(STATUS_RECORD_WAITS):
        if found is not None:
            break
        # The callback can overtake the record of the send (written once Twilio answered).
        deps.sleep(STATUS_RECORD_WAIT_SECONDS)
        found = deps.wa.outbound_by_sid(update.message_sid)
    if found is None:
        return WebhookAnswer(200, "")
    org_id, record = found
    changes: dict[str, Any] = {"delivery_status": update.status}
    if update.status in ("failed", "undelivered"):
        changes["delivery_error"] = update.error_code
        log.warning(
            "whatsapp message not delivered",
            organization_id=org_id,
            text_key=record.get("message"),
            error_code=update.error_code,
        )
    deps.wa.record_outbound(org_id, record["key"], changes)
    if update.error_code == 63016 and resend_as_template is not None:
        resend_as_template(org_id, record)
    return WebhookAnswer(200, "")


def notify_message_failed(message_sid: str, failure: str, deps: MediaDeps) -> int:
    """Dead letter of `whatsapp.media`: every media item of the message that was neither
    stored nor refused gets its ❌ (could not be fetched) and is marked refused. Returns how
    many were answered. Idempotent (each ❌ has its own key)."""
    message = deps.wa.get_message(message_sid)
    if message is None or message.organization_id is None:
        return 0
    log.warning(
        "whatsapp message failed after its retries", message_sid=message_sid, failure=failure[:500]
    )
    count = len(message.media)
    answered = 0
    for index, item in enumerate(message.media):
        if item.get("status") == "stored":
            continue
        item.update({"status": "refused", "reason": item.get("reason") or "fetch_failed"})
        notify_media_refused(
            deps.notify,
            org_id=message.organization_id,
            to=Recipient(message.phone, message.language),
            document_id=f"wa-{message_sid}-{index}",
            number=index + 1 if count > 1 else None,
            code=item["reason"],
        )
        answered += 1
    deps.wa.update_message(message_sid, media=message.media, status="failed")
    return answered
