"""Tell a WhatsApp sender what became of their document, within WhatsApp's rules.

Statuses, as users learn them:
- 🔎 at once (the webhook's own answer): we are reading it;
- ✅ when the document is in the company's supplier invoices, with its transaction when it is
  matched, or saying it will be matched when the payment arrives;
- ✅ again when a waiting document is matched later (rematch, reminder);
- ❌ only when the file could not be used (wrong type, too large, unreadable, processing failed
  after its retries), with the reason and a request to send it again.

Contract of `send_message` (every message the channel sends by REST goes through it):
- MUST send each message once: an idempotency key is claimed first, and given up when sending
  fails in a way a retry can fix (the error is raised, so Pub/Sub retries). Twilio takes no
  idempotency key, so a delivery that takes over a claim (its holder died, or failed after
  Twilio may have accepted the message) first looks in Twilio's list of messages for the
  one already accepted (`_accepted_already`);
- MUST send nothing to an opted-out number;
- free-form only within the 24-hour window (`Contact.window_open`); outside it, the approved
  template configured for that message and language (ContentSid), else nothing;
- MUST record every outcome in `organizations/{org}/whatsapp_outbound`: sent, sent as a
  template, or not sent with the reason (opted_out, outside_24h_window_no_template,
  invalid_recipient...).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from shared.channels.twilio_whatsapp import (
    ChannelError,
    OutsideSessionWindow,
    WhatsAppChannel,
)
from shared.domain.entities import Document, DocumentStatus
from shared.domain.messages import (
    format_amount,
    format_day,
    language_for,
    reason,
    render,
    template_variables,
)
from shared.domain.whatsapp import zone
from shared.errors import RetryLater
from shared.log import get_logger
from shared.store.firestore_store import FirestoreStore
from shared.store.whatsapp import WhatsAppStore

log = get_logger(__name__)


SEND_LEASE = timedelta(seconds=60)
"""How long a send owns its message: a sender killed between the claim and Twilio's answer
leaves the message to the next delivery after this, which sends it unless Twilio lists it
as accepted already (never lost)."""


TWILIO_CLOCK_SKEW = timedelta(minutes=2)
"""Twilio dates its messages by its own clock: a message accepted this long before our
claim began still counts as the one the claim's first holder sent."""


@dataclass
class NotifyDeps:
    store: FirestoreStore
    wa: WhatsAppStore
    channel: WhatsAppChannel | None
    # message key -> language -> ContentSid of the approved template (per deployment)
    templates: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    status_callback_url: str | None = None
    max_mb: int = 15
    now: Callable[[], datetime] = lambda: datetime.now(UTC)
    send_lease: timedelta = field(default_factory=lambda: SEND_LEASE)


@dataclass(frozen=True)
class Delivery:
    status: str  # sent, template, not_sent, duplicate
    reason: str | None = None
    twilio_sid: str | None = None


@dataclass(frozen=True)
class Recipient:
    phone: str
    language: str
    time_zone: str | None = None


def recipient(store: FirestoreStore, org_id: str, phone: str) -> Recipient:
    """Who gets the message: the language from the member's locale, else the number's country."""
    entry = store.lookup_phone(phone)
    member = store.get_member(org_id, entry.user_id) if entry else None
    return Recipient(
        phone,
        language_for(member.locale if member else None, phone),
        member.time_zone if member else None,
    )


def send_message(
    deps: NotifyDeps,
    *,
    org_id: str,
    to: Recipient,
    key: str,
    params: Mapping[str, Any],
    idempotency_key: str,
) -> Delivery:
    """Send catalogue message `key` once, as the 24-hour window and the opt-out allow."""
    claim = deps.store.claim_for(
        idempotency_key, deps.send_lease, deps.now(), organization_id=org_id
    )
    if claim.state == "done":
        return Delivery("duplicate")
    if claim.state == "busy":
        # Another delivery is sending it, or died doing so: ask again once its claim ran out.
        raise RetryLater(f"message {key} is being sent by another delivery")
    try:
        delivery = None
        if claim.resumed_from is not None:
            # An earlier delivery died or failed after claiming it: Twilio may have
            # accepted its message before it could be recorded.
            delivery = _accepted_already(deps, to, key, params, claim.resumed_from)
        if delivery is None:
            delivery = _deliver(deps, to, key, params)
    except ChannelError as exc:
        if exc.retryable:
            deps.store.expire(idempotency_key)
            raise
        # Twilio refused for good (bad number, sender not allowed...): a retry cannot help.
        delivery = Delivery("not_sent", f"refused by Twilio: code {exc.twilio_code or exc.status}")
    except Exception:
        deps.store.expire(idempotency_key)
        raise
    deps.store.finish(idempotency_key)
    deps.wa.record_outbound(
        org_id,
        idempotency_key,
        {
            "phone": to.phone,
            "message": key,
            "language": to.language,
            "params": {k: str(v) for k, v in params.items()},
            "status": delivery.status,
            "reason": delivery.reason,
            "twilio_sid": delivery.twilio_sid,
            "at": deps.now(),
        },
    )
    log.info(
        "whatsapp notification " + delivery.status,
        organization_id=org_id,
        text_key=key,
        reason=delivery.reason,
    )
    return delivery


def _accepted_already(
    deps: NotifyDeps, to: Recipient, key: str, params: Mapping[str, Any], since: datetime
) -> Delivery | None:
    """The message an earlier delivery of this key got accepted by Twilio and died before
    recording, if Twilio lists it: the same text to the same user since that delivery
    began, and recorded under no other key. None: send it (at least once, never zero).

    The text is the catalogue's, or, outside the 24-hour window, the approved template's
    as Twilio renders it (its definition read from the Content API).
    """
    if deps.channel is None:
        return None
    sent = [("sent", render(key, to.language, **params))]
    content_sid = template_for(deps.templates, key, to.language)
    try:
        if content_sid is not None:
            variables = template_variables(key, **params)
            text = deps.channel.template_body(content_sid, variables)
            if text:
                sent.append(("template", text))
        for status, body in sent:
            for sid in deps.channel.find_sent(to.phone, body, since - TWILIO_CLOCK_SKEW):
                if deps.wa.outbound_by_sid(sid) is None:
                    return Delivery(status, "accepted by Twilio before a retry", twilio_sid=sid)
    except ChannelError as exc:
        if exc.retryable:
            raise
    return None


def _deliver(deps: NotifyDeps, to: Recipient, key: str, params: Mapping[str, Any]) -> Delivery:
    if deps.channel is None:
        return Delivery("not_sent", "channel_not_configured")
    contact = deps.wa.get_contact(to.phone)
    if contact.opted_out:
        return Delivery("not_sent", "opted_out")
    if contact.window_open(deps.now()):
        try:
            sid = deps.channel.send_text(
                to.phone,
                render(key, to.language, **params),
                status_callback=deps.status_callback_url,
            )
            return Delivery("sent", twilio_sid=sid)
        except OutsideSessionWindow:
            pass  # our clock and WhatsApp's disagree: a template is still allowed
    content_sid = template_for(deps.templates, key, to.language)
    if content_sid is None:
        return Delivery("not_sent", "outside_24h_window_no_template")
    sid = deps.channel.send_template(
        to.phone,
        content_sid,
        template_variables(key, **params),
        status_callback=deps.status_callback_url,
    )
    return Delivery("template", twilio_sid=sid)


def template_for(templates: Mapping[str, Mapping[str, str]], key: str, language: str) -> str | None:
    """The ContentSid of `key` in `language`, else its English version, else None."""
    by_language = templates.get(key) or {}
    return by_language.get(language) or by_language.get("en")


# -- documents ---------------------------------------------------------------------


def notify_document(document: Document, deps: NotifyDeps) -> Delivery | None:
    """The ✅ or ❌ for a processed document (once per status)."""
    phone = document.origin.get("phone")
    if not phone or document.status == DocumentStatus.RECEIVED:
        return None
    org_id = document.organization_id
    to = recipient(deps.store, org_id, phone)
    name = _document_name(document, to.language)
    key_base = f"notify:{org_id}:{document.id}"
    if document.status == DocumentStatus.REFUSED:
        return send_message(
            deps,
            org_id=org_id,
            to=to,
            key="refused",
            params={
                "document": name,
                "reason": reason(document.refusal_code, to.language, max_mb=deps.max_mb)
                if document.refusal_code
                else document.refusal_reason or reason(None, to.language),
            },
            idempotency_key=f"{key_base}:refused",
        )
    organization = deps.store.get_organization(org_id)
    company = organization.legal_name if organization else org_id
    transaction = (
        deps.store.get_transaction(org_id, document.transaction_id)
        if document.status == DocumentStatus.MATCHED and document.transaction_id
        else None
    )
    if transaction is None:
        # Issued by the company itself: filed with its sales, never matched to a payment.
        sale = "sales_invoice" in document.match_flags
        return send_message(
            deps,
            org_id=org_id,
            to=to,
            key="accepted_sales" if sale else "accepted_waiting",
            params={
                "document": name if sale else _supplier_name(document, to.language) or name,
                "company": company,
            },
            idempotency_key=f"{key_base}:{document.status.value}",
        )
    emitted = transaction.emitted_at.astimezone(zone(to.time_zone)).date()
    params = {
        "document": name,
        "company": company,
        "counterparty": document.supplier_name or transaction.counterparty,
        "amount": format_amount(
            transaction.amount.amount, transaction.amount.currency, to.language
        ),
        "day": format_day(emitted, to.language),
    }
    # Already told it was waiting: this is the later match (rematch, a reminder's answer).
    later = deps.wa.outbound_exists(org_id, f"{key_base}:{DocumentStatus.UNMATCHED.value}")
    if later:
        params["document"] = _supplier_name(document, to.language) or name
    return send_message(
        deps,
        org_id=org_id,
        to=to,
        key="matched_later" if later else "accepted_matched",
        params=params,
        idempotency_key=f"{key_base}:{document.status.value}",
    )


def notify_failed_document(
    org_id: str, document_id: str, failure: str, deps: NotifyDeps
) -> Delivery | None:
    """The ❌ for a document whose processing failed after its retries (dead-letter handler).

    `failure` is kept in the outbound record for ops; the user reads the catalogue's reason.
    Returns None when the document did not come from WhatsApp (or is gone).
    """
    document = deps.store.get_document(org_id, document_id)
    if document is None or not document.origin.get("phone"):
        return None
    to = recipient(deps.store, org_id, document.origin["phone"])
    log.warning(
        "document failed after its retries",
        organization_id=org_id,
        document_id=document_id,
        failure=failure[:500],
    )
    return send_message(
        deps,
        org_id=org_id,
        to=to,
        key="refused",
        params={
            "document": _document_name(document, to.language),
            "reason": reason("processing_failed", to.language),
        },
        idempotency_key=f"notify:{org_id}:{document_id}:failed",
    )


def notify_media_refused(
    deps: NotifyDeps,
    *,
    org_id: str,
    to: Recipient,
    document_id: str,
    number: int | None,
    code: str,
) -> Delivery:
    """The ❌ for a media item the worker could not take (type, size, download)."""
    name = (
        render("document_numbered", to.language, number=number)
        if number is not None
        else render("document_plain", to.language)
    )
    return send_message(
        deps,
        org_id=org_id,
        to=to,
        key="refused",
        params={"document": name, "reason": reason(code, to.language, max_mb=deps.max_mb)},
        idempotency_key=f"notify:{org_id}:{document_id}:refused",
    )


def _document_name(document: Document, language: str) -> str:
    """'Your document no. 3' when the message carried several files, else 'Your document'."""
    count = document.origin.get("media_count") or 1
    index = document.origin.get("media_index")
    if count > 1 and isinstance(index, int):
        return render("document_numbered", language, number=index + 1)
    return render("document_plain", language)


def _supplier_name(document: Document, language: str) -> str | None:
    if not document.supplier_name:
        return None
    return render("document_named", language, name=document.supplier_name[:80])


def resend_as_template(org_id: str, record: Mapping[str, Any], deps: NotifyDeps) -> Delivery:
    """A free-form message WhatsApp refused for the 24-hour window (63016, reported by the
    status callback): send its template instead, once, or record that it was not sent."""
    key = str(record.get("key") or "")
    message = str(record.get("message") or "")
    idempotency_key = f"{key}:template"
    if not key or not deps.store.claim(idempotency_key, organization_id=org_id):
        return Delivery("duplicate")
    to = Recipient(str(record["phone"]), str(record.get("language") or "en"))
    content_sid = template_for(deps.templates, message, to.language)
    try:
        if deps.channel is None or content_sid is None or deps.wa.get_contact(to.phone).opted_out:
            delivery = Delivery("not_sent", "63016: outside the 24h window, no template")
        else:
            sid = deps.channel.send_template(
                to.phone,
                content_sid,
                template_variables(message, **dict(record.get("params") or {})),
                status_callback=deps.status_callback_url,
            )
            delivery = Delivery("template", "63016: sent again as a template", sid)
    except Exception:
        deps.store.release(idempotency_key)
        raise
    changes: dict[str, Any] = {"status": delivery.status, "reason": delivery.reason}
    if delivery.twilio_sid:
        changes["twilio_sid"] = delivery.twilio_sid
    deps.wa.record_outbound(org_id, key, changes)
    return delivery
