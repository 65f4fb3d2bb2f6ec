"""End to end over real HTTP, on the emulators and the fake Twilio: what a user meets in the
chat. Activation, opt-out, the 24-hour window, languages, many files in one message."""

from __future__ import annotations

import io
import os
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import numpy as np
import pytest
import requests
from PIL import Image

from local.demo import DEMO_ORG_ID, DEMO_PHONE
from local.samples import SampleReceipt, receipt_pdf
from shared import runtime
from shared.config import settings
from shared.domain.entities import DocumentStatus, Member, Role
from shared.domain.messages import reason, render
from shared.events.pubsub import publish
from shared.usecases.whatsapp_activation import issue_activation
from tests.e2e.helpers import (
    age_window,
    processed,
    replies_to,
    stored_blobs,
    twiml_text,
    wait_replies,
    wait_until,
)

FR = "fr"


def hotel_receipt() -> bytes:
    """A receipt whose payment has not arrived: it waits (✅ "will be matched")."""
    return receipt_pdf(
        SampleReceipt(
            merchant="Hôtel des Arts",
            address="5 place du Marché, 69002 Lyon",
            issued_on=date(2026, 11, 21),
            lines=(
                ("Chambre double 1 nuit", Decimal("118.00")),
                ("Taxe de séjour", Decimal("2.60")),
            ),
        )
    )


def add_hotel_payment() -> None:
    from local.demo import DEMO_ACCOUNT_ID, PARIS
    from shared.domain.entities import OperationType, Transaction
    from shared.domain.money import Money

    posted = datetime(2026, 11, 21, 9, 30, tzinfo=PARIS)
    runtime.store().put_transaction(
        Transaction(
            id="tx-hotel",
            organization_id=DEMO_ORG_ID,
            account_id=DEMO_ACCOUNT_ID,
            amount=Money.parse("-120.60", "EUR"),
            counterparty="HOTEL DES ARTS LYON",
            operation_type=OperationType.CARD,
            emitted_at=posted,
            settled_at=posted + timedelta(days=2),
        )
    )


# -- activation -------------------------------------------------------------------------


def test_activation_link_activates_the_number_for_that_member_and_company(demo):
    import cv2

    store = runtime.store()
    store.put_member(
        Member(user_id="user-lea", organization_id=DEMO_ORG_ID, role=Role.EMPLOYEE, name="Léa")
    )
    link = issue_activation(DEMO_ORG_ID, "user-lea", runtime.activation_deps())

    assert link.url == f"https://wa.me/14155238886?text=ACT-{link.code}"
    image = np.asarray(Image.open(io.BytesIO(link.qr_png())).convert("L"))
    decoded, _, _ = cv2.QRCodeDetectorAruco().detectAndDecode(image)
    assert decoded == link.url

    phone = "+33655501234"
    response, _ = demo.send_whatsapp(phone, body=link.text)

    welcome = twiml_text(response)
    assert welcome == render("welcome", FR, company="Atelier Lumière SAS")
    assert "STOP" in welcome and "sociétés" in welcome  # how to stop, how to switch
    entry = store.lookup_phone(phone)
    assert entry.user_id == "user-lea" and entry.active_organization_id == DEMO_ORG_ID
    assert store.get_member(DEMO_ORG_ID, "user-lea").phone == phone
    assert runtime.wa_store().member_activated(DEMO_ORG_ID, "user-lea")

    # Documents from that number now go to that company.
    sent, form = demo.send_whatsapp(phone, [(receipt_pdf(), "application/pdf")])
    document = wait_until(processed(f"wa-{form['MessageSid']}-0"), what="first document")
    assert document.status == DocumentStatus.MATCHED

    # The code is single-use: another number cannot take it.
    other, _ = demo.send_whatsapp("+33655509999", body=link.text)
    assert twiml_text(other) == render("activation_invalid", FR)
    assert store.lookup_phone("+33655509999") is None


def test_a_receipt_sent_with_the_activation_code_is_read_in_that_company(demo):
    store = runtime.store()
    store.put_member(Member(user_id="user-noe", organization_id=DEMO_ORG_ID, role=Role.EMPLOYEE))
    link = issue_activation(DEMO_ORG_ID, "user-noe", runtime.activation_deps())

    response, form = demo.send_whatsapp(
        "+33655502222", [(receipt_pdf(), "application/pdf")], body=link.text
    )

    assert twiml_text(response) == "\n".join(
        (render("welcome", FR, company="Atelier Lumière SAS"), render("received_one", FR))
    )
    document = wait_until(processed(f"wa-{form['MessageSid']}-0"), what="the first receipt")
    assert document.status == DocumentStatus.MATCHED


def test_expired_or_unknown_activation_code_is_refused(demo):
    response, _ = demo.send_whatsapp("+33655501111", body="ACT-ABCDEFGH")

    assert twiml_text(response) == render("activation_invalid", FR)
    assert runtime.store().lookup_phone("+33655501111") is None


# -- opt-out -------------------------------------------------------------------------------


def test_stop_then_a_document_is_ignored_then_start_brings_the_number_back(demo):
    stop, _ = demo.send_whatsapp(DEMO_PHONE, body="ARRÊT")
    assert twiml_text(stop) == render("opted_out", FR)

    ignored, form = demo.send_whatsapp(DEMO_PHONE, [(receipt_pdf(), "application/pdf")])
    assert ignored.status_code == 200 and twiml_text(ignored) == ""
    ignored_text, _ = demo.send_whatsapp(DEMO_PHONE, body="companies")
    assert twiml_text(ignored_text) == ""

    start, _ = demo.send_whatsapp(DEMO_PHONE, body="Start")
    assert twiml_text(start) == render("opted_in", FR)

    # Nothing was processed or sent while opted out.
    assert runtime.store().list_documents(DEMO_ORG_ID) == []
    assert stored_blobs() == []
    assert runtime.wa_store().get_message(form["MessageSid"]).status == "ignored"
    assert replies_to(demo, DEMO_PHONE) == []

    # And after START, documents are read again.
    again, form = demo.send_whatsapp(DEMO_PHONE, [(receipt_pdf(), "application/pdf")])
    assert twiml_text(again) == render("received_one", FR)
    assert wait_until(processed(f"wa-{form['MessageSid']}-0")).status == DocumentStatus.MATCHED


@pytest.mark.parametrize("word", ["STOP", "baja", "Stopp", "unsubscribe", "arret."])
def test_opt_out_words_of_every_language_are_honoured(demo, word):
    response, _ = demo.send_whatsapp(DEMO_PHONE, body=word)

    assert twiml_text(response) == render("opted_out", FR)
    assert runtime.wa_store().get_contact(DEMO_PHONE).opted_out


def test_nothing_is_sent_to_an_opted_out_number_when_a_waiting_document_matches(demo):
    response, form = demo.send_whatsapp(DEMO_PHONE, [(hotel_receipt(), "application/pdf")])
    document_id = f"wa-{form['MessageSid']}-0"
    wait_until(processed(document_id))
    wait_replies(demo, DEMO_PHONE, 1)
    demo.send_whatsapp(DEMO_PHONE, body="STOP")

    add_hotel_payment()
    publish(settings().project, "documents.rematch", {"organization_id": DEMO_ORG_ID})
    wait_until(
        lambda: (
            runtime.store().get_document(DEMO_ORG_ID, document_id).status == DocumentStatus.MATCHED
        ),
        what="rematch",
    )
    outbound = wait_until(
        lambda: [
            r
            for r in runtime.wa_store().list_outbound(DEMO_ORG_ID)
            if r["message"] == "matched_later"
        ],
        what="the outbound record",
    )
    assert outbound[0]["status"] == "not_sent" and outbound[0]["reason"] == "opted_out"
    assert len(replies_to(demo, DEMO_PHONE)) == 1  # the first ✅ only


# -- the 24-hour window ---------------------------------------------------------------------


def outbound_record(message: str) -> dict:
    """The record of the reply `message` to the demo organization, once written."""
    return wait_until(
        lambda: next(
            (r for r in runtime.wa_store().list_outbound(DEMO_ORG_ID) if r["message"] == message),
            None,
        ),
        what=f"the record of {message}",
    )


def test_a_reply_after_24_hours_goes_out_as_a_template(demo, templates):
    response, form = demo.send_whatsapp(DEMO_PHONE, [(hotel_receipt(), "application/pdf")])
    document_id = f"wa-{form['MessageSid']}-0"
    wait_until(processed(document_id))
    wait_replies(demo, DEMO_PHONE, 1)

    age_window(demo, DEMO_PHONE, hours=30)
    add_hotel_payment()
    publish(settings().project, "documents.rematch", {"organization_id": DEMO_ORG_ID})

    wait_replies(demo, DEMO_PHONE, 2)
    template = demo.twilio.sent_messages[-1]
    assert template["ContentSid"] == templates["matched_later"]
    assert template["status"] == "queued"  # a template is delivered outside the window
    assert "−120,60 €" in template["Body"] and "21 nov." in template["Body"]
    # Twilio holds the message before the sender records it: wait for the record.
    record = outbound_record("matched_later")
    assert record["status"] == "template"


def test_after_24_hours_without_a_template_nothing_is_sent_and_the_reason_is_kept(demo):
    response, form = demo.send_whatsapp(DEMO_PHONE, [(hotel_receipt(), "application/pdf")])
    document_id = f"wa-{form['MessageSid']}-0"
    wait_until(processed(document_id))
    wait_replies(demo, DEMO_PHONE, 1)

    age_window(demo, DEMO_PHONE, hours=30)
    add_hotel_payment()
    publish(settings().project, "documents.rematch", {"organization_id": DEMO_ORG_ID})

    record = outbound_record("matched_later")
    assert record["status"] == "not_sent"
    assert record["reason"] == "outside_24h_window_no_template"
    assert len(replies_to(demo, DEMO_PHONE)) == 1


def test_free_form_refused_by_whatsapp_with_63016_is_sent_again_as_its_template(demo, templates):
    """Our clock says the window is open, WhatsApp's says it is closed: Twilio accepts the
    message, then fails it with 63016 through the status callback; the template goes instead."""
    response, form = demo.send_whatsapp(DEMO_PHONE, [(hotel_receipt(), "application/pdf")])
    wait_until(processed(f"wa-{form['MessageSid']}-0"))
    wait_replies(demo, DEMO_PHONE, 1)

    demo.twilio.set_last_inbound(DEMO_PHONE, datetime.now(UTC) - timedelta(hours=30))
    add_hotel_payment()
    publish(settings().project, "documents.rematch", {"organization_id": DEMO_ORG_ID})

    replies = wait_replies(demo, DEMO_PHONE, 3)
    failed, resent = demo.twilio.sent_messages[1], demo.twilio.sent_messages[2]
    assert failed["status"] == "failed" and failed["ErrorCode"] == 63016
    assert resent["ContentSid"] == templates["matched_later"] and resent["status"] == "queued"
    assert "−120,60 €" in replies[2]
    assert all(c["answer"] == 200 for c in demo.twilio.app.status_callbacks)


# -- languages -----------------------------------------------------------------------------


def test_a_spanish_member_is_answered_in_spanish(demo):
    phone = "+34612345678"
    runtime.store().put_member(
        Member(user_id="user-lucia", organization_id=DEMO_ORG_ID, role=Role.EMPLOYEE, phone=phone)
    )

    text, _ = demo.send_whatsapp(phone, body="Hola, ¿qué tal?")
    assert twiml_text(text) == render("documents_only", "es", max_mb=15)

    response, form = demo.send_whatsapp(phone, [(receipt_pdf(), "application/pdf")])
    assert twiml_text(response) == render("received_one", "es")
    document = wait_until(processed(f"wa-{form['MessageSid']}-0"))
    assert document.status == DocumentStatus.MATCHED
    assert wait_replies(demo, phone, 1)[0] == render(
        "accepted_matched",
        "es",
        document=render("document_plain", "es"),
        company="Atelier Lumière SAS",
        counterparty="Café du Coin",
        amount="−42,50 €",
        day="20 nov",
    )


def test_the_member_locale_wins_over_the_number_country(demo):
    phone = "+33655507777"  # a French number, a German-speaking member
    runtime.store().put_member(
        Member(
            user_id="user-jonas",
            organization_id=DEMO_ORG_ID,
            role=Role.EMPLOYEE,
            phone=phone,
            locale="de-DE",
        )
    )
    response, _ = demo.send_whatsapp(phone, body="STOPP")
    assert twiml_text(response) == render("opted_out", "de")


# -- many files, hostile text --------------------------------------------------------------


def test_ten_files_in_one_message_each_get_their_own_status(demo):
    def receipt(merchant: str, day: int, amount: str) -> bytes:
        return receipt_pdf(
            SampleReceipt(
                merchant=merchant,
                address="1 rue de la Paix, 75002 Paris",
                issued_on=date(2026, 11, day),
                lines=(("Achat", Decimal(amount)),),
                receipt_number=f"T-{day}{amount.replace('.', '')}",
            )
        )

    gif = io.BytesIO()
    Image.new("RGB", (30, 30), "blue").save(gif, format="GIF")
    media = [
        (receipt_pdf(), "application/pdf"),  # Café du Coin, 42.50: matched
        (receipt("SNCF Internet", 18, "87.00"), "application/pdf"),  # matched
        (receipt("Boulangerie du Marché", 21, "12.80"), "application/pdf"),  # matched
        (receipt("Papeterie Rivoli", 14, "23.90"), "application/pdf"),  # waits
        (receipt("Garage Central", 15, "310.00"), "application/pdf"),  # waits
        (receipt("Fleurs & Co", 16, "35.00"), "application/pdf"),  # waits
        (receipt("Pharmacie du Parc", 17, "9.60"), "application/pdf"),  # waits
        (gif.getvalue(), "image/jpeg"),  # ❌ not a photo or PDF
        (b"%PDF-1.7\n" + os.urandom(2048), "application/pdf"),  # ❌ damaged
        (receipt("Librairie Voltaire", 19, "18.00"), "application/pdf"),  # waits
    ]
    response, form = demo.send_whatsapp(DEMO_PHONE, media)
    sid = form["MessageSid"]

    assert twiml_text(response) == render("received_many", FR, count=10)
    replies = wait_replies(demo, DEMO_PHONE, 10, timeout=120)
    assert len(replies) == 10
    assert sum(r.startswith("✅") for r in replies) == 8
    refused = sorted(r for r in replies if r.startswith("❌"))
    assert refused == sorted(
        [
            render(
                "refused",
                FR,
                document=render("document_numbered", FR, number=8),
                reason=reason("unsupported_type", FR),
            ),
            render(
                "refused",
                FR,
                document=render("document_numbered", FR, number=9),
                reason=reason("corrupt_pdf", FR),
            ),
        ]
    )
    record = runtime.wa_store().get_message(sid)
    assert [m["status"] for m in record.media] == ["stored"] * 7 + ["refused"] + ["stored"] * 2
    statuses = [
        runtime.store().get_document(DEMO_ORG_ID, f"wa-{sid}-{i}").status
        for i in (0, 1, 2, 3, 8, 9)
    ]
    assert statuses[:3] == [DocumentStatus.MATCHED] * 3
    assert statuses[3] == DocumentStatus.UNMATCHED
    assert statuses[4] == DocumentStatus.REFUSED


@pytest.mark.parametrize(
    "body", ["switch " + "7" * 5000, "switch" + " " * 100_000, "switch" + " " * 100_000 + "2"]
)
def test_hostile_switch_messages_get_a_clean_fast_answer(demo, body):
    params = demo.twilio.build_incoming_message(DEMO_PHONE, "+14155238886", body)
    form, headers = demo.twilio.signed_webhook(demo.webhook_url, params)

    response = requests.post(demo.webhook_url, data=form, headers=headers, timeout=10)

    assert response.status_code == 200
    text = twiml_text(response)
    assert text.startswith(render("switch_out_of_range", FR, count=1)) or text.startswith(
        render("companies_header", FR)
    )


def test_twenty_parallel_deliveries_of_one_message_answer_once_and_store_once(demo):
    from concurrent.futures import ThreadPoolExecutor

    params = demo.twilio.build_incoming_message(
        DEMO_PHONE, "+14155238886", "", [(receipt_pdf(), "application/pdf")]
    )
    form, headers = demo.twilio.signed_webhook(demo.webhook_url, params)

    def deliver(_: int) -> requests.Response:
        return requests.post(demo.webhook_url, data=form, headers=headers, timeout=60)

    with ThreadPoolExecutor(max_workers=20) as pool:
        answers = list(pool.map(deliver, range(20)))

    assert [a.status_code for a in answers] == [200] * 20
    assert sorted(twiml_text(a) for a in answers) == [""] * 19 + [render("received_one", FR)]
    document = wait_until(processed(f"wa-{form['MessageSid']}-0"))
    assert document.status == DocumentStatus.MATCHED
    assert len(runtime.store().list_documents(DEMO_ORG_ID)) == 1
    assert len(wait_replies(demo, DEMO_PHONE, 1)) == 1
