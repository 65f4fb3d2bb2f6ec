"""Receipt reminders: ask the cardholder for the receipt of a card payment still without one.

Run hourly (Cloud Scheduler -> Pub/Sub `reminders.run` -> `receipt_reminders`). For each
organization that turned reminders on (`ReminderSettings`), a card payment (money out) of a
member who activated WhatsApp, settled more than `delay_hours` ago (and less than
`lookback_days`), with no attachment, gets one message: "You paid 42,50 € at Café du Coin on
20 Nov: reply with a photo of the receipt" (the approved template outside the 24-hour window).
The next document from that number is matched to that transaction first.

Contract:
- one reminder per transaction, ever (`receipt_reminders/{transaction_id}` created once);
- nothing to an opted-out number (recorded as skipped); nothing during quiet hours in the
  member's time zone, nor past the daily cap per member: those wait for a later run;
- idempotent under redelivery and overlapping runs (the record and the message's idempotency
  key are both created with Firestore `create()`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from shared.domain.entities import Member, OperationType, Transaction
from shared.domain.messages import format_amount, format_day, language_for
from shared.domain.whatsapp import PendingReminder, ReminderSettings, zone
from shared.log import get_logger
from shared.store.firestore_store import FirestoreStore
from shared.store.whatsapp import WhatsAppStore
from shared.usecases.whatsapp_notify import NotifyDeps, Recipient, send_message

log = get_logger(__name__)

# Card payments settle within days of the purchase: transactions are loaded by their
# emission date from this long before the oldest settlement we chase.
SETTLEMENT_SLACK = timedelta(days=30)
MAX_MERCHANT_CHARS = 60


@dataclass
class ReminderDeps:
    store: FirestoreStore
    wa: WhatsAppStore
    notify: NotifyDeps
    now: Callable[[], datetime] = lambda: datetime.now(UTC)


@dataclass
class ReminderReport:
    sent: int = 0
    skipped: dict[str, int] = field(default_factory=dict)  # reason -> count
    deferred: dict[str, int] = field(default_factory=dict)  # quiet_hours, daily_cap

    def count(self, bucket: dict[str, int], reason: str) -> None:
        bucket[reason] = bucket.get(reason, 0) + 1


def run_reminders(deps: ReminderDeps, org_ids: list[str] | None = None) -> ReminderReport:
    report = ReminderReport()
    for org_id in org_ids if org_ids is not None else deps.wa.organizations_with_reminders():
        remind_organization(org_id, deps, report)
    log.info(
        "receipt reminders done",
        sent=report.sent,
        skipped=report.skipped,
        deferred=report.deferred,
    )
    return report


def remind_organization(
    org_id: str, deps: ReminderDeps, report: ReminderReport | None = None
) -> ReminderReport:
    report = report or ReminderReport()
    settings = deps.wa.get_reminder_settings(org_id)
    if not settings.enabled:
        return report
    now = deps.now()
    for transaction in due_transactions(deps.store, org_id, settings, now):
        _remind(org_id, transaction, settings, now, deps, report)
    return report


def due_transactions(
    store: FirestoreStore, org_id: str, settings: ReminderSettings, now: datetime
) -> list[Transaction]:
    """Card payments settled between `lookback_days` and `delay_hours` ago, without receipt."""
    latest = now - timedelta(hours=settings.delay_hours)
    oldest = now - timedelta(days=settings.lookback_days)
    return [
        tx
        for tx in store.list_transactions(org_id, since=oldest - SETTLEMENT_SLACK, until=latest)
        if tx.operation_type == OperationType.CARD
        and tx.amount.amount < 0
        and tx.settled_at is not None
        and oldest <= tx.settled_at <= latest
        and not tx.has_attachment
        and tx.initiator_id
    ]


def _remind(
    org_id: str,
    tx: Transaction,
    settings: ReminderSettings,
    now: datetime,
    deps: ReminderDeps,
    report: ReminderReport,
) -> None:
    if deps.wa.get_reminder(org_id, tx.id) is not None:
        return  # reminded (or skipped for good) by an earlier run
    member = deps.store.get_member(org_id, tx.initiator_id or "")
    if member is None or not member.phone or not deps.wa.member_activated(org_id, member.user_id):
        report.count(report.skipped, "not_activated")
        return
    contact = deps.wa.get_contact(member.phone)
    if contact.opted_out:
        _skip(org_id, tx, member, "opted_out", now, deps, report)
        return
    if settings.quiet_at(now, member.time_zone):
        report.count(report.deferred, "quiet_hours")
        return
    if not deps.wa.create_reminder(
        org_id,
        tx.id,
        {"user_id": member.user_id, "phone": member.phone, "status": "sending", "at": now},
    ):
        return  # an overlapping run took it
    if not deps.wa.count_reminder(
        member.phone, settings.local_day(now, member.time_zone), settings.daily_cap
    ):
        deps.wa.delete_reminder(org_id, tx.id)  # not this transaction's fault: try tomorrow
        report.count(report.deferred, "daily_cap")
        return
    language = language_for(member.locale, member.phone)
    local_day = tx.emitted_at.astimezone(zone(member.time_zone)).date()
    try:
        delivery = send_message(
            deps.notify,
            org_id=org_id,
            to=Recipient(member.phone, language, member.time_zone),
            key="receipt_reminder",
            params={
                "amount": format_amount(-tx.amount.amount, tx.amount.currency, language),
                "merchant": merchant_name(tx.counterparty),
                "day": format_day(local_day, language),
            },
            idempotency_key=f"reminder:{org_id}:{tx.id}",
        )
    except Exception:
        deps.wa.delete_reminder(org_id, tx.id)  # the next run tries again
        raise
    if delivery.status in ("sent", "template"):
        deps.wa.set_pending_reminder(member.phone, PendingReminder(org_id, tx.id, now))
        deps.wa.update_reminder(org_id, tx.id, status=delivery.status)
        report.sent += 1
    else:
        deps.wa.update_reminder(org_id, tx.id, status="not_sent", reason=delivery.reason)
        report.count(report.skipped, delivery.reason or delivery.status)


def _skip(
    org_id: str,
    tx: Transaction,
    member: Member,
    reason: str,
    now: datetime,
    deps: ReminderDeps,
    report: ReminderReport,
) -> None:
    deps.wa.create_reminder(
        org_id,
        tx.id,
        {"user_id": member.user_id, "status": "skipped", "reason": reason, "at": now},
    )
    report.count(report.skipped, reason)


def merchant_name(counterparty: str) -> str:
    """The merchant as a person reads it: 'SumUp *Cafe du Coin' -> 'Cafe du Coin'.

    Card processors prefix the merchant with their own name and a '*'.
    """
    name = counterparty.rsplit("*", 1)[-1].strip() or counterparty.strip()
    return name[:MAX_MERCHANT_CHARS]
