"""A document sent unmatched, then matched to its payment (or detached): the firm's index
record follows it, once per change, on the emulators with real SFTP, SMTP and HTTP peers."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from shared import runtime
from shared.domain.entities import Document, OperationType, Transaction
from shared.domain.money import Money
from shared.domain.partners import ExtensionKind
from shared.store.manual_matches import ManualMatchStore
from shared.usecases.partner_dispatch import dispatch_document, retry_due
from tests.integration.partner.world import (
    ACTIVATED_AT,
    CLIENTS,
    World,
    activate,
    build_world,
    install,
    peers,
)

A, _ = CLIENTS


@pytest.fixture
def world(stack, tmp_path):
    with peers(tmp_path) as p:
        yield build_world(p)


def waiting_document(world: World) -> Document:
    """A document read and kept, still waiting for its payment."""
    return world.add_document(A, ACTIVATED_AT + timedelta(minutes=1), transaction_id=None)


def match(document: Document, transaction_id: str | None) -> None:
    """Attach the document to a new debit of its amount (as the rematch does), or detach
    it by hand (None)."""
    store = runtime.store()
    if transaction_id is None:
        ManualMatchStore(store.db).detach(A.id, document.id, "member-1", ACTIVATED_AT)
        return
    store.put_transaction(
        Transaction(
            transaction_id,
            A.id,
            "acc-1",
            Money.parse("-120.00", "EUR"),
            "PAPETERIE LYON",
            OperationType.CARD,
            ACTIVATED_AT,
        )
    )
    store.attach(A.id, document.id, transaction_id, 0.97, ["amount and name"])


def index_files(world: World) -> dict[str, dict]:
    return {
        path: json.loads(data)
        for path, data in world.peers.sftp.files().items()
        if path.endswith(".json") and not path.split("/")[-1].startswith(".")
    }


def test_a_later_match_replaces_the_index_beside_the_file_replies_to_the_mail_and_posts_an_update(
    world,
):
    sftp, email, hook = (
        install(world, kind)
        for kind in (ExtensionKind.SFTP, ExtensionKind.EMAIL, ExtensionKind.HTTP)
    )
    activate(world, sftp, A)
    activate(world, email, A, to_address="compta-a@cabinet.fr")
    activate(world, hook, A)
    document = waiting_document(world)
    deps = world.deps()
    assert len(dispatch_document(A.id, document.id, deps).delivered) == 3
    ((path, first_index),) = index_files(world).items()
    assert first_index["transaction_id"] is None

    match(document, "tx-42")  # the rematch found its payment
    outcome = dispatch_document(A.id, document.id, deps)
    assert sorted(outcome.delivered) == sorted(
        [f"act-sftp-{A.id}", f"act-email-{A.id}", f"act-http-{A.id}"]
    )
    files = world.peers.sftp.files()
    assert index_files(world) == {path: {**first_index, "transaction_id": "tx-42"}}
    assert len([p for p in files if not p.split("/")[-1].startswith(".")]) == 2  # no copy

    (_, first_mail), (_, update_mail) = world.peers.smtp.messages
    assert update_mail["In-Reply-To"] == first_mail["Message-ID"] != update_mail["Message-ID"]
    (attachment,) = update_mail.iter_attachments()  # the record alone, not the document again
    assert attachment.get_filename().endswith(".json")
    assert json.loads(attachment.get_content())["transaction_id"] == "tx-42"
    assert "tx-42" in update_mail.get_body(("plain",)).get_content()

    first_id, update_id = world.peers.hook.deliveries
    update = world.peers.hook.received[update_id]
    assert update["type"] == "document.updated" and update["data"]["updates"] == first_id
    assert update["data"]["index"]["transaction_id"] == "tx-42"
    assert "content_base64" not in update["data"]

    # Redelivered events and the sweep send nothing more: the record has not changed.
    for _ in range(2):
        assert dispatch_document(A.id, document.id, deps).delivered == []
    assert retry_due(deps)["delivered"] == 0
    assert (len(world.peers.smtp.messages), len(world.peers.hook.deliveries)) == (2, 2)


def test_each_change_goes_once_and_detaching_sends_the_record_without_the_transaction(world):
    hook = install(world, ExtensionKind.HTTP)
    activate(world, hook, A)
    document = waiting_document(world)
    deps = world.deps()
    dispatch_document(A.id, document.id, deps)
    sent = []
    for transaction in ("tx-1", None, "tx-2"):  # matched, detached by a person, matched again
        match(document, transaction)
        dispatch_document(A.id, document.id, deps)
        dispatch_document(A.id, document.id, deps)  # a redelivery
        latest = world.peers.hook.received[world.peers.hook.deliveries[-1]]
        sent.append(latest["data"]["index"]["transaction_id"])
    assert sent == ["tx-1", None, "tx-2"] and len(world.peers.hook.deliveries) == 4
    (first,) = [r for r in world.partners.deliveries_of_document(document.id) if not r.update_of]
    assert first.updates == 3


def test_a_failed_update_is_retried_by_the_sweep_and_a_match_before_delivery_sends_once(world):
    hook, email = install(world, ExtensionKind.HTTP), install(world, ExtensionKind.EMAIL)
    activate(world, hook, A)
    activate(world, email, A, to_address="compta-a@cabinet.fr")
    sent_first = waiting_document(world)
    world.peers.smtp.faults.refuse_rcpt(452, count=3)  # the first delivery by mail fails
    deps = world.deps()
    dispatch_document(A.id, sent_first.id, deps)
    match(sent_first, "tx-7")  # matched before the mail went
    world.peers.hook.faults.inject(503, count=3)  # the update outlives the sender's 3 attempts
    outcome = dispatch_document(A.id, sent_first.id, deps)
    assert outcome.retry_later and f"act-http-{A.id}" in outcome.failed
    world.clock.now += timedelta(minutes=5)
    assert retry_due(deps)["delivered"] == 2  # the update, and the mail with the match in it
    ((_, mail),) = world.peers.smtp.messages  # one mail: the first, carrying the match
    index = [a for a in mail.iter_attachments() if a.get_filename().endswith(".json")]
    assert json.loads(index[0].get_content())["transaction_id"] == "tx-7"
    first_id, update_id = world.peers.hook.deliveries
    assert world.peers.hook.received[update_id]["data"]["index"]["transaction_id"] == "tx-7"
    assert retry_due(deps)["delivered"] == 0


def test_a_digest_activation_gets_a_later_match_as_its_own_reply(world):
    email = install(world, ExtensionKind.EMAIL)
    activate(world, email, A, to_address="compta-a@cabinet.fr", mode="digest")
    document = waiting_document(world)
    deps = world.deps()
    dispatch_document(A.id, document.id, deps)
    match(document, "tx-3")  # matched before the digest went: the digest carries it
    assert dispatch_document(A.id, document.id, deps).skipped == {
        f"act-email-{A.id}": "queued already"
    }
    world.clock.now += timedelta(days=1)
    assert retry_due(deps)["digests"] == 1
    match(document, None)  # detached after the digest went
    assert dispatch_document(A.id, document.id, deps).delivered == [f"act-email-{A.id}"]
    (_, digest), (_, update) = world.peers.smtp.messages
    assert update["In-Reply-To"] == digest["Message-ID"] and update["Subject"].startswith("Re: ")
    records = [a for a in digest.iter_attachments() if a.get_filename().endswith(".json")]
    assert json.loads(records[0].get_content())["transaction_id"] == "tx-3"
    (record,) = update.iter_attachments()
    assert json.loads(record.get_content())["transaction_id"] is None


def test_an_update_waiting_for_its_retry_is_cancelled_when_the_record_goes_back(world):
    hook = install(world, ExtensionKind.HTTP)
    activate(world, hook, A)
    document = waiting_document(world)
    deps = world.deps()
    dispatch_document(A.id, document.id, deps)
    match(document, "tx-8")
    world.peers.hook.faults.inject(503, count=3)  # the update outlives the sender's attempts
    assert dispatch_document(A.id, document.id, deps).retry_later
    match(document, None)  # detached before the retry: the firm's record is right again
    assert dispatch_document(A.id, document.id, deps).skipped == {f"act-http-{A.id}": "delivered"}
    world.clock.now += timedelta(hours=1)
    assert retry_due(deps)["delivered"] == 0 and len(world.peers.hook.deliveries) == 1
    states = {r.key: r.state for r in world.partners.deliveries_of_document(document.id)}
    assert states == {
        f"{document.id}:act-http-{A.id}": "delivered",
        f"{document.id}:act-http-{A.id}#1": "cancelled",
    }
