"""Firestore state of the WhatsApp channel (see docs/DATA_MODEL.md).

Top level, because they are looked up before the tenant is known (like `phone_directory`):
- `whatsapp_contacts/{phone}`: opt-out, the last inbound message (the 24-hour window), the
  pending receipt reminder, reminders sent per local day.
- `whatsapp_messages/{MessageSid}`: every incoming message once (the webhook's idempotency
  key), with its media and the status of each.
- `whatsapp_activation_codes/{code}`: one-time codes of the wa.me activation links.
- `whatsapp_outbound_sids/{TwilioSid}`: where the record of a sent message lives, for
  Twilio's status callbacks.

Per tenant:
- `organizations/{org}/whatsapp_outbound/{key hash}`: every message we sent, sent as a
  template, or did not send, with the reason.
- `organizations/{org}/settings/whatsapp_reminders`: the reminder policy.
- `organizations/{org}/receipt_reminders/{transaction_id}`: one reminder per transaction.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from google.api_core import exceptions as gexc
from google.cloud import firestore

from shared.domain.whatsapp import Contact, PendingReminder, ReminderSettings
from shared.errors import Refused
from shared.store.firestore_store import PhoneEntry


class ActivationRefused(Refused):
    """The code is unknown, used or expired (`reason` says which)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Activation:
    code: str
    organization_id: str
    user_id: str
    expires_at: datetime


@dataclass
class InboundMessage:
    """An incoming message as we keep it. `media` items: url, content_type, status, reason,
    document_id; status is pending -> stored | refused."""

    message_sid: str
    phone: str
    received_at: datetime
    status: str  # received (media waiting for the worker), answered, ignored, done
    organization_id: str | None = None
    language: str = "en"
    body: str = ""
    media: list[dict[str, Any]] = field(default_factory=list)
    reminder_transaction_id: str | None = None
    note: str | None = None  # why it was ignored, what it did


MAX_STORED_BODY_CHARS = 1600
# Firestore TTL (field `expire_at`): message records outlive Twilio's retries by far; used
# activation codes are kept a while for support questions.
MESSAGE_RECORD_TTL = timedelta(days=35)
ACTIVATION_RECORD_TTL = timedelta(days=30)


def _key_id(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class WhatsAppStore:
    def __init__(self, client: firestore.Client) -> None:
        self.db = client

    def _contact_ref(self, phone: str) -> firestore.DocumentReference:
        return self.db.collection("whatsapp_contacts").document(phone)

    def _message_ref(self, sid: str) -> firestore.DocumentReference:
        return self.db.collection("whatsapp_messages").document(sid)

    def _org(self, org_id: str) -> firestore.DocumentReference:
        return self.db.collection("organizations").document(org_id)

    # -- contacts ---------------------------------------------------------------

    @staticmethod
    def _contact(phone: str, data: dict[str, Any] | None) -> Contact:
        data = data or {}
        pending = data.get("pending_reminder")
        return Contact(
            phone=phone,
            opted_out=bool(data.get("opted_out")),
            last_inbound_at=data.get("last_inbound_at"),
            pending_reminder=PendingReminder(
                pending["organization_id"], pending["transaction_id"], pending["sent_at"]
            )
            if pending
            else None,
            reminders_by_day=dict(data.get("reminders_by_day") or {}),
        )

    def get_contact(self, phone: str) -> Contact:
        snap = self._contact_ref(phone).get()
        return self._contact(phone, snap.to_dict() if snap.exists else None)

    def lookup(self, phone: str) -> tuple[Contact, PhoneEntry | None]:
        """The contact and the phone directory entry of `phone`, in one round trip."""
        directory_ref = self.db.collection("phone_directory").document(phone)
        contact_ref = self._contact_ref(phone)
        snaps = {
            snap.reference.path: snap for snap in self.db.get_all([contact_ref, directory_ref])
        }
        contact_snap = snaps[contact_ref.path]
        directory_snap = snaps[directory_ref.path]
        contact = self._contact(phone, contact_snap.to_dict() if contact_snap.exists else None)
        entry = None
        if directory_snap.exists:
            d = directory_snap.to_dict() or {}
            entry = PhoneEntry(
                phone=phone,
                user_id=d["user_id"],
                organization_ids=tuple(d.get("organization_ids", [])),
                active_organization_id=d.get("active_organization_id"),
            )
        return contact, entry

    def set_opted_out(self, phone: str, opted_out: bool, at: datetime) -> None:
        self._contact_ref(phone).set(
            {"opted_out": opted_out, "opted_out_at" if opted_out else "opted_in_at": at},
            merge=True,
        )

    def set_last_inbound(self, phone: str, at: datetime) -> None:
        self._contact_ref(phone).set({"last_inbound_at": at}, merge=True)

    def set_pending_reminder(self, phone: str, reminder: PendingReminder | None) -> None:
        value = (
            None
            if reminder is None
            else {
                "organization_id": reminder.organization_id,
                "transaction_id": reminder.transaction_id,
                "sent_at": reminder.sent_at,
            }
        )
        self._contact_ref(phone).set({"pending_reminder": value}, merge=True)

    def count_reminder(self, phone: str, day: str, cap: int) -> bool:
        """Count one reminder for `phone` on local `day`; False (nothing counted) at the cap."""
        ref = self._contact_ref(phone)

        @firestore.transactional
        def run(transaction: firestore.Transaction) -> bool:
            snap = ref.get(transaction=transaction)
            counts = (
                dict((snap.to_dict() or {}).get("reminders_by_day") or {}) if snap.exists else {}
            )
            if counts.get(day, 0) >= cap:
                return False
            # Keep the last week only: the map must not grow without bound.
            kept = {d: n for d, n in counts.items() if d >= _days_before(day, 7)}
            kept[day] = kept.get(day, 0) + 1
            transaction.set(ref, {"reminders_by_day": kept}, merge=True)
            return True

        return run(self.db.transaction())

    # -- incoming messages ------------------------------------------------------

    def record_inbound(self, message: InboundMessage, contact_updates: dict[str, Any]) -> bool:
        """Create the message record and update the contact in one commit.

        False when the MessageSid was already recorded (a redelivery): nothing is written.
        """
        batch = self.db.batch()
        batch.create(self._message_ref(message.message_sid), _message_data(message))
        batch.set(
            self._contact_ref(message.phone),
            {"last_inbound_at": message.received_at, **contact_updates},
            merge=True,
        )
        try:
            batch.commit()
        except gexc.AlreadyExists:
            return False
        return True

    def get_message(self, sid: str) -> InboundMessage | None:
        snap = self._message_ref(sid).get()
        if not snap.exists:
            return None
        d = snap.to_dict() or {}
        return InboundMessage(
            message_sid=sid,
            phone=d["phone"],
            received_at=d["received_at"],
            status=d["status"],
            organization_id=d.get("organization_id"),
            language=d.get("language", "en"),
            body=d.get("body", ""),
            media=list(d.get("media") or []),
            reminder_transaction_id=d.get("reminder_transaction_id"),
            note=d.get("note"),
        )

    def delete_message(self, sid: str) -> None:
        self._message_ref(sid).delete()

    def update_message(self, sid: str, **changes: Any) -> None:
        self._message_ref(sid).update(changes)

    # -- activation ------------------------------------------------------------

    def create_activation(self, activation: Activation, created_at: datetime) -> None:
        self.db.collection("whatsapp_activation_codes").document(activation.code).create(
            {
                "organization_id": activation.organization_id,
                "user_id": activation.user_id,
                "created_at": created_at,
                "expires_at": activation.expires_at,
                "used_at": None,
                "used_by_phone": None,
                "expire_at": activation.expires_at + ACTIVATION_RECORD_TTL,
            }
        )

    def consume_activation(self, code: str, phone: str, now: datetime) -> Activation:
        """Mark the code used by `phone` (once). The same phone using it again gets it back
        (a retried webhook); anyone else, an expired or an unknown code raise ActivationRefused."""
        ref = self.db.collection("whatsapp_activation_codes").document(code)

        @firestore.transactional
        def run(transaction: firestore.Transaction) -> Activation:
            snap = ref.get(transaction=transaction)
            if not snap.exists:
                raise ActivationRefused("unknown code")
            d = snap.to_dict() or {}
            activation = Activation(code, d["organization_id"], d["user_id"], d["expires_at"])
            if d.get("used_at") is not None:
                if d.get("used_by_phone") == phone:
                    return activation
                raise ActivationRefused("code already used")
            if d["expires_at"] <= now:
                raise ActivationRefused("code expired")
            transaction.update(ref, {"used_at": now, "used_by_phone": phone})
            return activation

        return run(self.db.transaction())

    def activate_member(self, org_id: str, user_id: str, phone: str, now: datetime) -> None:
        """Set the member's WhatsApp number (so the nightly directory sync keeps it) and add
        the company to the number's directory entry, making it the active one."""
        member_ref = self._org(org_id).collection("members").document(user_id)
        directory_ref = self.db.collection("phone_directory").document(phone)

        @firestore.transactional
        def run(transaction: firestore.Transaction) -> None:
            member = member_ref.get(transaction=transaction)
            entry = directory_ref.get(transaction=transaction)
            if not member.exists:
                raise ActivationRefused("member not found")
            data = entry.to_dict() or {}
            if data and data.get("user_id") != user_id:
                raise ActivationRefused("number used by another member")
            orgs = list(data.get("organization_ids", []))
            if org_id not in orgs:
                orgs.append(org_id)
            transaction.update(member_ref, {"phone": phone, "whatsapp_activated_at": now})
            transaction.set(
                directory_ref,
                {"user_id": user_id, "organization_ids": orgs, "active_organization_id": org_id},
            )

        run(self.db.transaction())

    def member_activated(self, org_id: str, user_id: str) -> bool:
        snap = self._org(org_id).collection("members").document(user_id).get()
        return bool(snap.exists and (snap.to_dict() or {}).get("whatsapp_activated_at"))

    # -- outbound ----------------------------------------------------------------

    def record_outbound(self, org_id: str, key: str, record: dict[str, Any]) -> None:
        ref = self._org(org_id).collection("whatsapp_outbound").document(_key_id(key))
        ref.set({"key": key, **record}, merge=True)
        sid = record.get("twilio_sid")
        if sid:
            self.db.collection("whatsapp_outbound_sids").document(sid).set(
                {
                    "organization_id": org_id,
                    "record": ref.path,
                    # Status callbacks come within hours; the pointer is not needed for long.
                    "expire_at": datetime.now(UTC) + MESSAGE_RECORD_TTL,
                }
            )

    def outbound_exists(self, org_id: str, key: str) -> bool:
        ref = self._org(org_id).collection("whatsapp_outbound").document(_key_id(key))
        return ref.get().exists

    def outbound_by_sid(self, sid: str) -> tuple[str, dict[str, Any]] | None:
        """(organization id, record) of the message Twilio knows as `sid`."""
        snap = self.db.collection("whatsapp_outbound_sids").document(sid).get()
        if not snap.exists:
            return None
        pointer = snap.to_dict() or {}
        record = self.db.document(pointer["record"]).get()
        return (pointer["organization_id"], record.to_dict() or {}) if record.exists else None

    def list_outbound(self, org_id: str) -> list[dict[str, Any]]:
        return [
            snap.to_dict() for snap in self._org(org_id).collection("whatsapp_outbound").stream()
        ]

    # -- reminders ---------------------------------------------------------------

    def get_reminder_settings(self, org_id: str) -> ReminderSettings:
        snap = self._org(org_id).collection("settings").document("whatsapp_reminders").get()
        if not snap.exists:
            return ReminderSettings()
        d = snap.to_dict() or {}
        return ReminderSettings(
            enabled=bool(d.get("enabled")),
            delay_hours=int(d.get("delay_hours", 24)),
            quiet_start=time.fromisoformat(d.get("quiet_start", "21:00")),
            quiet_end=time.fromisoformat(d.get("quiet_end", "08:00")),
            daily_cap=int(d.get("daily_cap", 3)),
            lookback_days=int(d.get("lookback_days", 7)),
        )

    def put_reminder_settings(self, org_id: str, settings: ReminderSettings) -> None:
        self._org(org_id).collection("settings").document("whatsapp_reminders").set(
            {
                "enabled": settings.enabled,
                "delay_hours": settings.delay_hours,
                "quiet_start": settings.quiet_start.strftime("%H:%M"),
                "quiet_end": settings.quiet_end.strftime("%H:%M"),
                "daily_cap": settings.daily_cap,
                "lookback_days": settings.lookback_days,
            }
        )

    def organizations_with_reminders(self) -> list[str]:
        query = self.db.collection_group("settings").where(
            filter=firestore.FieldFilter("enabled", "==", True)
        )
        return sorted(
            snap.reference.parent.parent.id
            for snap in query.stream()
            if snap.id == "whatsapp_reminders"
        )

    def create_reminder(self, org_id: str, transaction_id: str, record: dict[str, Any]) -> bool:
        """Record the one reminder of a transaction; False if there already is one."""
        try:
            self._org(org_id).collection("receipt_reminders").document(transaction_id).create(
                record
            )
            return True
        except gexc.AlreadyExists:
            return False

    def update_reminder(self, org_id: str, transaction_id: str, **changes: Any) -> None:
        self._org(org_id).collection("receipt_reminders").document(transaction_id).update(changes)

    def delete_reminder(self, org_id: str, transaction_id: str) -> None:
        self._org(org_id).collection("receipt_reminders").document(transaction_id).delete()

    def get_reminder(self, org_id: str, transaction_id: str) -> dict[str, Any] | None:
        snap = self._org(org_id).collection("receipt_reminders").document(transaction_id).get()
        return snap.to_dict() if snap.exists else None


def _message_data(message: InboundMessage) -> dict[str, Any]:
    return {
        "phone": message.phone,
        "received_at": message.received_at,
        "status": message.status,
        "organization_id": message.organization_id,
        "language": message.language,
        "body": message.body[:MAX_STORED_BODY_CHARS],
        "media": message.media,
        "reminder_transaction_id": message.reminder_transaction_id,
        "note": message.note,
        "expire_at": message.received_at + MESSAGE_RECORD_TTL,
    }


def _days_before(day: str, days: int) -> str:
    return (date.fromisoformat(day) - timedelta(days=days)).isoformat()
