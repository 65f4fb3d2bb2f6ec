"""End to end: receipt reminders over the emulators and the fake Twilio.

The reminder job is triggered through Pub/Sub (`reminders.run`), as Cloud Scheduler does.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from local.demo import DEMO_ACCOUNT_ID, DEMO_ORG_ID, DEMO_PHONE
from local.samples import SampleReceipt, receipt_png
from shared import runtime
from shared.config import settings
from shared.domain.entities import DocumentStatus, OperationType, Transaction
from shared.domain.money import Money
from shared.domain.whatsapp import ReminderSettings
from shared.events.pubsub import publish
from shared.usecases.whatsapp_activation import issue_activation
from tests.e2e.helpers import age_window, processed, replies_to, wait_replies, wait_until

PARIS = ZoneInfo("Europe/Paris")


def awake_settings(**overrides) -> ReminderSettings:
    """Reminders on, with quiet hours placed away from the current time in Paris."""
    now = datetime.now(PARIS)
    start = time((now.hour + 6) % 24)
    end = time((now.hour + 8) % 24)
    return ReminderSettings(
        enabled=True, delay_hours=24, quiet_start=start, quiet_end=end, **overrides
    )


def card_payment(tx_id: str, amount: str, merchant: str, *, hours_ago: float, settled=True):
    emitted = datetime.now(UTC) - timedelta(hours=hours_ago)
    return Transaction(
        id=tx_id,
        organization_id=DEMO_ORG_ID,
        account_id=DEMO_ACCOUNT_ID,
        amount=Money.parse(amount, "EUR"),
        counterparty=merchant,
        operation_type=OperationType.CARD,
        emitted_at=emitted,
        settled_at=emitted + timedelta(hours=4) if settled else None,
        initiator_id="user-camille",
    )


def activate_demo_member(stack) -> None:
    link = issue_activation(DEMO_ORG_ID, "user-camille", runtime.activation_deps())
    response, _ = stack.send_whatsapp(DEMO_PHONE, body=link.text)
    assert response.status_code == 200
    assert runtime.wa_store().member_activated(DEMO_ORG_ID, "user-camille")


def run_reminder_job() -> None:
    publish(settings().project, "reminders.run", {"organization_id": DEMO_ORG_ID})


def reminder_record(tx_id: str):
    return runtime.wa_store().get_reminder(DEMO_ORG_ID, tx_id)


def test_a_reminder_answered_with_a_photo_attaches_the_receipt_to_that_payment(demo, templates):
    store, wa = runtime.store(), runtime.wa_store()
    activate_demo_member(demo)
    wa.put_reminder_settings(DEMO_ORG_ID, awake_settings())
    reminded = card_payment("tx-papeterie", "-23.90", "SumUp *Papeterie Rivoli", hours_ago=40)
    # A second, identical purchase the same day, not settled yet (so not reminded): without
    # the reminder, the photo could belong to either payment.
    twin = card_payment(
        "tx-papeterie-2", "-23.90", "SumUp *Papeterie Rivoli", hours_ago=39, settled=False
    )
    store.put_transaction(reminded)
    store.put_transaction(twin)
    age_window(demo, DEMO_PHONE, hours=30)  # the member last wrote yesterday: template only
    before = len(replies_to(demo, DEMO_PHONE))

    run_reminder_job()

    reminder = wait_replies(demo, DEMO_PHONE, before + 1)[-1]
    sent = demo.twilio.sent_messages[-1]
    assert sent["ContentSid"] == templates["receipt_reminder"] and sent["status"] == "queued"
    assert "23,90 €" in reminder and "Papeterie Rivoli" in reminder
    assert wait_until(lambda: (reminder_record("tx-papeterie") or {}).get("status") == "template")
    assert reminder_record("tx-papeterie-2") is None

    # The member answers with a photo of the receipt.
    photo = receipt_png(
        SampleReceipt(
            merchant="Papeterie Rivoli",
            address="88 rue de Rivoli, 75004 Paris",
            issued_on=reminded.emitted_at.astimezone(PARIS).date(),
            lines=(("Cahiers et stylos", Decimal("23.90")),),
        )
    )
    response, form = demo.send_whatsapp(DEMO_PHONE, [(photo, "image/png")])
    assert response.status_code == 200
    document = wait_until(processed(f"wa-{form['MessageSid']}-0"), timeout=120, what="OCR")

    assert document.status == DocumentStatus.MATCHED, document.match_reasons
    assert document.transaction_id == "tx-papeterie"
    assert document.origin["reminder_transaction_id"] == "tx-papeterie"
    assert store.get_transaction(DEMO_ORG_ID, "tx-papeterie").attachment_ids == (document.id,)
    assert wa.get_contact(DEMO_PHONE).pending_reminder is None  # used by that document
    assert wait_replies(demo, DEMO_PHONE, before + 2)[-1].startswith("✅")

    # One reminder per transaction: a second run sends nothing more.
    count = len(demo.twilio.sent_messages)
    assert _run_directly().sent == 0
    assert len(demo.twilio.sent_messages) == count


def test_reminders_respect_opt_out_quiet_hours_and_the_daily_cap(demo):
    store, wa = runtime.store(), runtime.wa_store()
    activate_demo_member(demo)
    for i, hours in enumerate((30, 40, 50)):
        store.put_transaction(
            card_payment(f"tx-due-{i}", f"-1{i}.00", f"SumUp *Shop {i}", hours_ago=hours)
        )
    before = len(replies_to(demo, DEMO_PHONE))

    # Quiet hours now: nothing is sent, nothing is recorded (a later run will send).
    now = datetime.now(PARIS)
    wa.put_reminder_settings(
        DEMO_ORG_ID,
        ReminderSettings(
            enabled=True, quiet_start=time(now.hour), quiet_end=time((now.hour + 1) % 24)
        ),
    )
    report = _run_directly()
    assert report.sent == 0 and report.deferred == {"quiet_hours": 3}
    assert all(reminder_record(f"tx-due-{i}") is None for i in range(3))

    # Awake, with a cap of 2 a day: two reminders, the third waits for tomorrow.
    wa.put_reminder_settings(DEMO_ORG_ID, awake_settings(daily_cap=2))
    report = _run_directly()
    assert report.sent == 2 and report.deferred == {"daily_cap": 1}
    assert len(replies_to(demo, DEMO_PHONE)) == before + 2

    # Opted out: skipped for good, and nothing sent.
    demo.send_whatsapp(DEMO_PHONE, body="STOP")
    wa.put_reminder_settings(DEMO_ORG_ID, awake_settings(daily_cap=5))
    report = _run_directly()
    assert report.sent == 0 and report.skipped == {"opted_out": 1}
    assert len(replies_to(demo, DEMO_PHONE)) == before + 2


def test_reminders_are_off_unless_the_organization_turns_them_on(demo):
    activate_demo_member(demo)
    runtime.store().put_transaction(card_payment("tx-off", "-9.00", "SHOP", hours_ago=30))

    report = _run_directly()

    assert report.sent == 0 and reminder_record("tx-off") is None


def _run_directly():
    from shared.usecases.receipt_reminders import run_reminders

    return run_reminders(runtime.reminder_deps(), [DEMO_ORG_ID])
