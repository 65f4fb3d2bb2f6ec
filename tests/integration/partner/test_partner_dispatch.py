"""Partner dispatch on the emulators with real SFTP, SMTP and HTTP peers."""

from __future__ import annotations

import json
import threading
from datetime import timedelta

import pytest

from shared.domain.partners import ExtensionKind, revoke
from shared.usecases.partner_dispatch import dispatch_document, retry_due
from tests.integration.partner.world import (
    ACTIVATED_AT,
    CLIENTS,
    FIRM,
    World,
    activate,
    build_world,
    install,
    peers,
)

A, B = CLIENTS


@pytest.fixture
def world(stack, tmp_path):
    with peers(tmp_path) as p:
        yield build_world(p)


def sftp_documents(world: World) -> dict[str, bytes]:
    return {
        k: v for k, v in world.peers.sftp.files().items() if not k.split("/")[-1].startswith(".")
    }


def test_new_documents_go_to_each_clients_path_and_address_older_ones_do_not(world):
    sftp, email = install(world, ExtensionKind.SFTP), install(world, ExtensionKind.EMAIL)
    activate(
        world,
        sftp,
        A,
        path="clients/{client_siren}/{doc_type}/{year}/{doc_number}_{document_id}.{ext}",
    )
    activate(world, sftp, B)  # the default layout
    activate(world, email, A, to_address="compta-a@cabinet.fr")
    activate(world, email, B, to_address="compta-b@cabinet.fr")
    old_a = world.add_document(A, ACTIVATED_AT - timedelta(days=1), "OLD-1")
    new_a = world.add_document(A, ACTIVATED_AT + timedelta(minutes=5), "F-10")
    new_b = world.add_document(B, ACTIVATED_AT + timedelta(minutes=6), "F-20")
    deps = world.deps()
    for doc in (old_a, new_a, new_b):
        dispatch_document(doc.organization_id, doc.id, deps)

    files = sftp_documents(world)
    a_pdf = f"clients/303265045/AP/2026/F-10_{new_a.id}.pdf"
    b_pdf = f"Invoice_import/Boulangerie Sud_FR83404833048/AP/2026-11-28_F-20_{new_b.id}.pdf"
    assert set(files) == {a_pdf, a_pdf[:-4] + ".json", b_pdf, b_pdf[:-4] + ".json"}
    index = json.loads(files[a_pdf[:-4] + ".json"])
    assert index["total"] == "120.00" and index["vat"] == "20.00" and index["number"] == "F-10"
    assert index["transaction_id"] == "tx-1" and index["file_name"].endswith(".pdf")

    by_rcpt = {tuple(rcpt): m for rcpt, m in world.peers.smtp.messages}
    assert set(by_rcpt) == {("compta-a@cabinet.fr",), ("compta-b@cabinet.fr",)}
    names = [p.get_filename() for p in by_rcpt[("compta-a@cabinet.fr",)].iter_attachments()]
    assert names[0].endswith(f"F-10_{new_a.id}.pdf") and names[1].endswith(".json")
    assert all("OLD-1" not in k for k in files)

    status = world.partners.activation_status(f"act-sftp-{A.id}")
    assert status["delivered"] == 1 and status["last_success_at"] is not None
    log = world.partners.deliveries_of_document(new_a.id)
    assert {r.state for r in log} == {"delivered"} and len(log) == 2
    assert world.partners.deliveries_of_document(old_a.id) == []


def test_redelivered_events_and_overlapping_runs_deliver_once(world):
    hook = install(world, ExtensionKind.HTTP)
    email = install(world, ExtensionKind.EMAIL)
    activate(world, hook, A)
    activate(world, email, A, to_address="compta-a@cabinet.fr")
    doc = world.add_document(A, ACTIVATED_AT + timedelta(minutes=1))
    runs = [
        threading.Thread(target=dispatch_document, args=(A.id, doc.id, world.deps()))
        for _ in range(4)
    ]
    for run in runs:
        run.start()
    for run in runs:
        run.join()
    dispatch_document(A.id, doc.id, world.deps())  # a redelivered event
    assert len(world.peers.hook.deliveries) == 1
    assert len(world.peers.smtp.messages) == 1


def test_a_crash_after_sending_is_recovered_without_a_second_copy(world):
    sftp = install(world, ExtensionKind.SFTP)
    activation = activate(world, sftp, A)
    doc = world.add_document(A, ACTIVATED_AT + timedelta(minutes=1))
    deps = world.deps()
    # A run claimed the delivery and died before recording it: its lease expires.
    claimed = world.partners.claim(
        f"{doc.id}:{activation.id}",
        doc.id,
        activation,
        "dead-run",
        world.clock(),
        world.clock() + timedelta(minutes=10),
    )
    assert claimed is not None
    assert dispatch_document(A.id, doc.id, deps).delivered == []  # lease still held
    world.clock.now += timedelta(minutes=11)
    assert dispatch_document(A.id, doc.id, deps).delivered == [activation.id]
    assert len(sftp_documents(world)) == 2  # the document and its index, once


def test_a_failing_destination_retries_with_backoff_and_never_blocks_the_others(world):
    hook, email = install(world, ExtensionKind.HTTP), install(world, ExtensionKind.EMAIL)
    activate(world, hook, A)
    activate(world, email, A, to_address="compta-a@cabinet.fr")
    world.peers.smtp.faults.refuse_rcpt(452, count=3)  # outlives the sender's 3 attempts
    world.peers.hook.faults.inject(429)  # recovered within the sender's attempts
    doc = world.add_document(A, ACTIVATED_AT + timedelta(minutes=1))
    deps = world.deps()
    outcome = dispatch_document(A.id, doc.id, deps)
    assert outcome.delivered == [f"act-http-{A.id}"]
    assert "mailbox_full" in outcome.failed[f"act-email-{A.id}"] and outcome.retry_later
    status = world.partners.activation_status(f"act-email-{A.id}")
    assert status["failed"] == 1 and "mailbox_full" in status["last_error"]
    # Not due yet: a redelivery right away changes nothing.
    assert retry_due(deps) | {"digests": 0} == {
        "delivered": 0,
        "failed": 0,
        "digests": 0,
        "digest_documents": 0,
        "digest_failed": 0,
    }
    world.clock.now += timedelta(minutes=2)
    assert (retry_due(deps)["delivered"], retry_due(deps)["delivered"]) == (1, 0)
    assert len(world.peers.smtp.messages) == 1 and len(world.peers.hook.deliveries) == 1
    states = {r.activation_id: r.state for r in world.partners.deliveries_of_document(doc.id)}
    assert set(states.values()) == {"delivered"}


def test_refused_host_key_is_recorded_and_nothing_is_lost(world):
    sftp = install(world, ExtensionKind.SFTP)
    activate(world, sftp, A)
    world.peers.sftp.rotate_host_key()
    doc = world.add_document(A, ACTIVATED_AT + timedelta(minutes=1))
    outcome = dispatch_document(A.id, doc.id, world.deps())
    assert "host_key_refused" in outcome.skipped[f"act-sftp-{A.id}"]
    (record,) = world.partners.deliveries_of_document(doc.id)
    assert record.state == "failed" and "host_key_refused" in (record.error or "")
    assert sftp_documents(world) == {}


def test_revoked_consent_stops_exports(world):
    email = install(world, ExtensionKind.EMAIL)
    activate(world, email, A, to_address="compta-a@cabinet.fr")
    consent = world.partners.get_consent(FIRM.id, A.id)
    world.partners.save_consent(revoke(consent, at=world.clock()))
    doc = world.add_document(A, ACTIVATED_AT + timedelta(minutes=1))
    outcome = dispatch_document(A.id, doc.id, world.deps())
    assert outcome.skipped == {f"act-email-{A.id}": "no active consent"}
    assert world.peers.smtp.messages == []


def test_410_disables_the_http_activation(world):
    hook = install(world, ExtensionKind.HTTP)
    activate(world, hook, A)
    world.peers.hook.gone()
    doc = world.add_document(A, ACTIVATED_AT + timedelta(minutes=1))
    dispatch_document(A.id, doc.id, world.deps())
    status = world.partners.activation_status(f"act-http-{A.id}")
    assert status["status"] == "disabled" and "410" in status["disabled_reason"]
    later = world.add_document(A, ACTIVATED_AT + timedelta(minutes=2))
    assert dispatch_document(A.id, later.id, world.deps()).skipped
    assert len(world.peers.hook.attempts) == 1


def test_digest_activations_send_the_days_documents_in_one_message_the_next_day(world):
    email = install(world, ExtensionKind.EMAIL)
    activate(world, email, A, to_address="compta-a@cabinet.fr", mode="digest")
    docs = [world.add_document(A, ACTIVATED_AT + timedelta(minutes=n)) for n in (1, 2, 3)]
    deps = world.deps()
    for doc in docs:
        outcome = dispatch_document(A.id, doc.id, deps)
        assert outcome.skipped[f"act-email-{A.id}"].startswith("queued for the digest")
    dispatch_document(A.id, docs[0].id, deps)  # a redelivered event queues nothing more
    assert retry_due(deps)["digests"] == 0 and world.peers.smtp.messages == []  # same day
    world.peers.smtp.faults.refuse_rcpt(452, count=3)  # the first try: mailbox full
    world.clock.now += timedelta(days=1)
    assert retry_due(deps)["digest_failed"] == 3 and world.peers.smtp.messages == []
    assert retry_due(deps)["digests"] == 1  # the next sweep sends it
    ((rcpt, message),) = world.peers.smtp.messages
    names = [p.get_filename() for p in message.iter_attachments()]
    assert rcpt == ["compta-a@cabinet.fr"] and len(names) == 6  # 3 documents + 3 index records
    assert retry_due(deps)["digests"] == 0 and len(world.peers.smtp.messages) == 1
    assert {r.state for r in world.partners.deliveries_of_document(docs[1].id)} == {"delivered"}


def test_rotated_credentials_are_sealed_in_place_of_the_old_ones(world):
    hook = install(world, ExtensionKind.HTTP)
    old = world.partners.extension_secrets(FIRM.id, hook.id)
    world.partners.save_secrets(FIRM.id, hook.id, {"secret": "whsec_rotated"})
    assert world.partners.extension_secrets(FIRM.id, hook.id) == {"secret": "whsec_rotated"} != old
    raw = (
        world.partners._extension(FIRM.id, hook.id)
        .collection("private")
        .document("credentials")
        .get()
    )
    assert b"whsec_rotated" not in repr(raw.to_dict()).encode()  # sealed, never in clear
