"""End to end over real HTTP: signed Twilio webhook -> media from the fake Twilio ->
Cloud Storage emulator -> Pub/Sub emulator push -> processor -> Firestore emulator ->
WhatsApp reply recorded by the fake Twilio."""

from __future__ import annotations

import io

from PIL import Image

from local.demo import DEMO_ORG_ID, DEMO_PHONE
from local.samples import receipt_pdf, receipt_png
from shared import runtime
from shared.config import settings
from shared.domain.entities import DocumentStatus
from shared.domain.messages import reason, render
from shared.events.pubsub import publish
from tests.e2e.helpers import (
    processed,
    replies_to,
    stored_blobs,
    twiml_text,
    wait_handled,
    wait_replies,
    wait_until,
)

# The demo member has a French number and no locale: the chat is in French.
LANG = "fr"


def test_signed_receipt_is_attached_to_its_transaction_and_confirmed(demo):
    response, form = demo.send_whatsapp(DEMO_PHONE, [(receipt_pdf(), "application/pdf")])

    assert response.status_code == 200
    assert "🔎" in response.text
    document_id = f"wa-{form['MessageSid']}-0"
    document = wait_until(processed(document_id), what="document processed")
    assert document.status == DocumentStatus.MATCHED, document.match_reasons
    assert document.transaction_id == "tx-cafe-du-coin"
    assert str(document.total) == "42.50 EUR"
    transaction = runtime.store().get_transaction(DEMO_ORG_ID, "tx-cafe-du-coin")
    assert transaction.attachment_ids == (document_id,)
    assert runtime.blobs().get(document.storage_uri) == receipt_pdf()
    assert stored_blobs() == [f"organizations/{DEMO_ORG_ID}/documents/{document.checksum}"]
    replies = wait_replies(demo, DEMO_PHONE, 1)
    assert replies[0] == render(
        "accepted_matched",
        LANG,
        document=render("document_plain", LANG),
        company="Atelier Lumière SAS",
        counterparty="Café du Coin",
        amount="−42,50 €",
        day="20 nov.",
    )


def test_photo_receipt_is_read_by_ocr_and_attached(demo):
    response, form = demo.send_whatsapp(DEMO_PHONE, [(receipt_png(), "image/png")])

    assert response.status_code == 200
    document = wait_until(processed(f"wa-{form['MessageSid']}-0"), timeout=90, what="OCR")
    assert document.status == DocumentStatus.MATCHED, document.match_reasons
    assert document.transaction_id == "tx-cafe-du-coin"


def test_bad_signature_is_refused_and_stores_nothing(demo):
    response, _ = demo.send_whatsapp(
        DEMO_PHONE, [(receipt_pdf(), "application/pdf")], sign_with="not-the-auth-token"
    )

    assert response.status_code == 403
    assert runtime.store().list_documents(DEMO_ORG_ID) == []
    assert stored_blobs() == []


def test_missing_signature_is_refused(demo):
    import requests

    params = demo.twilio.build_incoming_message(
        DEMO_PHONE, "+14155238886", "", [(receipt_pdf(), "application/pdf")]
    )
    response = requests.post(demo.webhook_url, data=params, timeout=30)

    assert response.status_code == 403
    assert runtime.store().list_documents(DEMO_ORG_ID) == []


def test_unknown_number_gets_a_polite_reply_and_nothing_is_stored(demo):
    response, _ = demo.send_whatsapp("+33699999999", [(receipt_pdf(), "application/pdf")])

    assert response.status_code == 200
    assert twiml_text(response) == render("unknown_number", LANG)
    assert runtime.store().list_documents(DEMO_ORG_ID) == []
    assert stored_blobs() == []


def test_twilio_retry_of_the_same_message_gives_one_document(demo):
    import requests

    params = demo.twilio.build_incoming_message(
        DEMO_PHONE, "+14155238886", "", [(receipt_pdf(), "application/pdf")]
    )
    form, headers = demo.twilio.signed_webhook(demo.webhook_url, params)
    media_jobs, processor_jobs = (
        demo.handled["whatsapp_media_worker"],
        demo.handled["document_processor"],
    )
    first = requests.post(demo.webhook_url, data=form, headers=headers, timeout=60)
    second = requests.post(demo.webhook_url, data=form, headers=headers, timeout=60)

    assert first.status_code == second.status_code == 200
    assert twiml_text(first) == render("received_one", LANG)
    assert twiml_text(second) == ""  # a duplicate delivery answers nothing new
    document = wait_until(processed(f"wa-{form['MessageSid']}-0"), what="document processed")
    # Evidence instead of a sleep: the one media job and the one processing are answered (a
    # duplicate published by the second webhook call would be a second job of each).
    wait_handled(demo, "whatsapp_media_worker", media_jobs + 1)
    wait_handled(demo, "document_processor", processor_jobs + 1)
    assert len(runtime.store().list_documents(DEMO_ORG_ID)) == 1
    assert document.status == DocumentStatus.MATCHED
    assert runtime.store().get_transaction(DEMO_ORG_ID, "tx-cafe-du-coin").attachment_ids == (
        document.id,
    )
    assert len(replies_to(demo, DEMO_PHONE)) == 1


def test_pubsub_redelivery_does_not_attach_or_notify_twice(demo):
    handled = demo.handled["document_processor"]
    response, form = demo.send_whatsapp(DEMO_PHONE, [(receipt_pdf(), "application/pdf")])
    document_id = f"wa-{form['MessageSid']}-0"
    wait_until(processed(document_id), what="document processed")
    wait_until(lambda: replies_to(demo, DEMO_PHONE), what="first reply")

    config = settings()
    payload = {"organization_id": DEMO_ORG_ID, "document_id": document_id}
    publish(config.project, config.topic_documents_received, payload)
    publish(config.project, config.topic_documents_received, payload)
    # The first delivery and both redeliveries answered: a second ✅ would be sent by now.
    wait_handled(demo, "document_processor", handled + 3)

    transaction = runtime.store().get_transaction(DEMO_ORG_ID, "tx-cafe-du-coin")
    assert transaction.attachment_ids == (document_id,)
    assert len(replies_to(demo, DEMO_PHONE)) == 1


def test_text_message_gets_the_documents_only_reply(demo):
    response, _ = demo.send_whatsapp(DEMO_PHONE, body="Hello, how are you?")

    assert response.status_code == 200
    assert twiml_text(response) == render("documents_only", LANG, max_mb=15)
    assert runtime.store().list_documents(DEMO_ORG_ID) == []


def test_gif_declared_as_jpeg_is_refused_with_a_reason(demo):
    buffer = io.BytesIO()
    Image.new("RGB", (40, 40), "red").save(buffer, format="GIF")
    response, _ = demo.send_whatsapp(DEMO_PHONE, [(buffer.getvalue(), "image/jpeg")])

    assert response.status_code == 200 and "🔎" in response.text
    replies = wait_replies(demo, DEMO_PHONE, 1)
    assert replies == [
        render(
            "refused",
            LANG,
            document=render("document_plain", LANG),
            reason=reason("unsupported_type", LANG),
        )
    ]
    assert runtime.store().list_documents(DEMO_ORG_ID) == []
    assert stored_blobs() == []


def test_user_switches_company_and_documents_follow(demo):
    from shared.domain.entities import Member, Organization, Plan, Role

    store = runtime.store()
    store.put_organization(
        Organization(
            id="org-second", legal_name="Second Shop SARL", country="FR", plan=Plan.ESSENTIAL
        )
    )
    store.put_member(
        Member(
            user_id="user-camille", organization_id="org-second", role=Role.ADMIN, phone=DEMO_PHONE
        )
    )

    listing, _ = demo.send_whatsapp(DEMO_PHONE, body="companies")
    assert f"1. Atelier Lumière SAS{render('companies_current', LANG)}" in listing.text
    assert "2. Second Shop SARL" in listing.text
    assert render("missing_company_hint", LANG) in twiml_text(listing)
    switched, _ = demo.send_whatsapp(DEMO_PHONE, body="switch 2")
    assert twiml_text(switched) == render("switched", LANG, company="Second Shop SARL")

    response, form = demo.send_whatsapp(DEMO_PHONE, [(receipt_pdf(), "application/pdf")])
    assert response.status_code == 200
    document_id = f"wa-{form['MessageSid']}-0"
    document = wait_until(
        processed(document_id, "org-second"), what="document processed in the second company"
    )
    assert document.status == DocumentStatus.UNMATCHED  # the second company has no transactions
    assert store.get_document(DEMO_ORG_ID, document_id) is None


def test_receipt_sent_before_its_payment_is_matched_when_the_payment_arrives(demo):
    from datetime import datetime, timedelta
    from decimal import Decimal

    from local.demo import DEMO_ACCOUNT_ID, PARIS
    from local.samples import SampleReceipt
    from shared.domain.entities import OperationType, Transaction
    from shared.domain.money import Money

    hotel = SampleReceipt(
        merchant="Hôtel des Arts",
        address="5 place du Marché, 69002 Lyon",
        issued_on=datetime(2026, 11, 21).date(),
        lines=(("Chambre double 1 nuit", Decimal("118.00")), ("Taxe de séjour", Decimal("2.60"))),
    )
    response, form = demo.send_whatsapp(DEMO_PHONE, [(receipt_pdf(hotel), "application/pdf")])
    document_id = f"wa-{form['MessageSid']}-0"
    waiting = wait_until(processed(document_id), what="first processing")
    assert waiting.status == DocumentStatus.UNMATCHED
    assert waiting.match_flags == ("no_candidate",), waiting.match_flags
    # ✅: the receipt is in the supplier invoices; matching happens behind it.
    named = (
        render("document_named", LANG, name=waiting.supplier_name)
        if waiting.supplier_name
        else render("document_plain", LANG)
    )
    assert wait_replies(demo, DEMO_PHONE, 1)[0] == render(
        "accepted_waiting", LANG, document=named, company="Atelier Lumière SAS"
    )

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
    config = settings()
    publish(config.project, "documents.rematch", {})

    def matched():
        document = runtime.store().get_document(DEMO_ORG_ID, document_id)
        return document if document.status == DocumentStatus.MATCHED else None

    document = wait_until(matched, what="rematch")
    assert document.transaction_id == "tx-hotel"
    assert document.match_flags == ()  # the waiting one's flags do not outlive the match
    replies = wait_replies(demo, DEMO_PHONE, 2)
    assert replies[1].startswith("✅") and "−120,60 €" in replies[1]
    assert "21 nov." in replies[1]

    handled = demo.handled["rematch_unmatched"]
    publish(config.project, "documents.rematch", {"organization_id": DEMO_ORG_ID})
    wait_handled(demo, "rematch_unmatched", handled + 1)  # the second rematch ran to its end
    assert len(replies_to(demo, DEMO_PHONE)) == 2


def test_heic_photo_from_an_iphone_is_accepted_and_attached(demo):
    import pillow_heif

    photo = Image.open(io.BytesIO(receipt_png()))
    heif = pillow_heif.from_pillow(photo)
    buffer = io.BytesIO()
    heif.save(buffer, quality=90)
    response, form = demo.send_whatsapp(DEMO_PHONE, [(buffer.getvalue(), "image/heic")])

    assert response.status_code == 200 and "🔎" in response.text
    document = wait_until(processed(f"wa-{form['MessageSid']}-0"), timeout=90, what="HEIC OCR")
    assert document.media_type == "image/heic"
    assert document.status == DocumentStatus.MATCHED, document.match_reasons
    assert document.transaction_id == "tx-cafe-du-coin"


def test_file_over_15_mb_is_refused_with_a_reason_and_not_stored(demo):
    big = receipt_pdf() + b"%" + b"0" * (15 * 1024 * 1024)
    response, _ = demo.send_whatsapp(DEMO_PHONE, [(big, "application/pdf")])

    assert response.status_code == 200 and "🔎" in response.text
    replies = wait_replies(demo, DEMO_PHONE, 1)
    assert replies[0].startswith("❌") and reason("too_large", LANG, max_mb=15) in replies[0]
    assert runtime.store().list_documents(DEMO_ORG_ID) == []
    assert stored_blobs() == []


def invoice_page(supplier: str, number: str, issued: str, due: str, total: str) -> list[str]:
    return [
        supplier,
        "8 avenue des Canuts, 69003 Lyon",
        "FACTURE",
        f"Numéro de facture: {number}",
        f"Date de facture: {issued}",
        f"Date d'échéance: {due}",
        "",
        "Client:",
        "Atelier Lumière SAS",
        "",
        f"{'Prestation de services':<30}{total} EUR",
        f"{'TOTAL TTC':<30}{total} EUR",
        f"{'Net à payer':<30}{total} EUR",
        "",
        "Page 1/1",
    ]


def test_a_pdf_with_two_invoices_attaches_each_to_its_own_transfer(demo):
    from datetime import datetime

    from local.demo import DEMO_ACCOUNT_ID, PARIS
    from local.samples import text_pdf
    from shared.domain.entities import OperationType, Transaction
    from shared.domain.money import Money

    store = runtime.store()
    for tx_id, amount, counterparty, reference in (
        ("tx-dubois", "-1440.00", "IMPRIMERIE DUBOIS SARL", "F-2026-0412"),
        ("tx-legrand", "-386.40", "TRANSPORTS LEGRAND SAS", "TL-88213"),
    ):
        when = datetime(2026, 11, 19, 10, tzinfo=PARIS)
        store.put_transaction(
            Transaction(
                id=tx_id,
                organization_id=DEMO_ORG_ID,
                account_id=DEMO_ACCOUNT_ID,
                amount=Money.parse(amount, "EUR"),
                counterparty=counterparty,
                operation_type=OperationType.TRANSFER,
                emitted_at=when,
                settled_at=when,
                reference=reference,
            )
        )
    pdf = text_pdf(
        [
            invoice_page(
                "Imprimerie Dubois SARL", "F-2026-0412", "02/11/2026", "02/12/2026", "1 440,00"
            ),
            invoice_page(
                "Transports Legrand SAS", "TL-88213", "05/11/2026", "05/12/2026", "386,40"
            ),
        ]
    )
    response, form = demo.send_whatsapp(DEMO_PHONE, [(pdf, "application/pdf")])
    first_id = f"wa-{form['MessageSid']}-0"

    first = wait_until(processed(first_id), what="first invoice")
    second = wait_until(processed(f"{first_id}-2"), what="second invoice")
    assert {first.transaction_id, second.transaction_id} == {"tx-dubois", "tx-legrand"}
    assert first.storage_uri == second.storage_uri
    replies = wait_replies(demo, DEMO_PHONE, 2)
    assert all(reply.startswith("✅") for reply in replies)


def test_the_companys_own_sales_invoice_is_filed_as_a_sale_and_never_matched(demo):
    from local.samples import text_pdf

    pdf = text_pdf(
        [
            [
                "Atelier Lumière SAS",
                "12 rue des Lilas, 75011 Paris",
                "TVA intracommunautaire : FR40303265045",
                "FACTURE",
                "Numéro de facture: V-2026-0077",
                "Date de facture: 10/11/2026",
                "",
                "Client:",
                "Boulangerie Martin SARL",
                "3 place du Marché, 69002 Lyon",
                "",
                f"{'Prestation de services':<30}960,00 EUR",
                f"{'TOTAL TTC':<30}960,00 EUR",
                f"{'Net à payer':<30}960,00 EUR",
                "IBAN : FR76 3000 6000 0112 3456 7890 189",
            ]
        ]
    )
    response, form = demo.send_whatsapp(DEMO_PHONE, [(pdf, "application/pdf")])
    document = wait_until(processed(f"wa-{form['MessageSid']}-0"), what="sales invoice")
    assert document.status == DocumentStatus.UNMATCHED
    assert "sales_invoice" in document.match_flags, document.match_reasons
    assert document.transaction_id is None
    (reply,) = wait_replies(demo, DEMO_PHONE, 1)
    # Not "in the supplier invoices, matched when the payment arrives": it is a sale.
    assert reply.startswith("✅") and "factures de vente de Atelier Lumière SAS" in reply
    assert "fournisseurs" not in reply and "paiement dès" not in reply
