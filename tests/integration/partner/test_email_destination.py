"""Email over SMTP against a real aiosmtpd server: attachments, size, Message-ID, full mailbox."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from shared.destinations.base import FileTooLarge, RetryPolicy
from shared.destinations.email_smtp import (
    EmailSender,
    MailboxFull,
    RecipientRefused,
    SmtpSettings,
    encoded_size,
)
from shared.destinations.parcel import Parcel, Sender
from tests.fakes.smtp_server import SmtpServer

FAST = RetryPolicy(max_attempts=4, base_delay=0.0, max_delay=0.0, sleep=lambda _s: None)


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    with SmtpServer() as server:
        yield server


def sender(smtp: SmtpServer, to: str = "ap@client-one.fr", **kw: object) -> EmailSender:
    settings = SmtpSettings(
        host="127.0.0.1",
        port=smtp.port,
        from_address="exports@firm.fr",
        security="none",
        allow_local=True,
        **kw,
    )  # type: ignore[arg-type]
    return EmailSender(settings, to, retry=FAST)


def parcel(
    key: str = "doc1:act1", size: int = 2000, name: str = "2026-11-20_F-1_doc1.pdf"
) -> Parcel:
    return Parcel(
        key=key,
        folder=("Invoice_import", "Client_FR1", "AP"),
        name=name,
        data=b"%PDF" + bytes(size),
        mime_type="application/pdf",
        index={"document_id": key.split(":")[0], "total": "42.50", "currency": "EUR"},
    )


def attachments(message) -> dict[str, bytes]:
    return {part.get_filename(): part.get_content() for part in message.iter_attachments()}


def test_one_message_per_document_with_its_index_record(smtp):
    email = sender(smtp)
    assert isinstance(email, Sender)
    message_id = email.send(parcel())
    ((rcpt, message),) = smtp.messages
    assert rcpt == ["ap@client-one.fr"] and message["Message-ID"] == message_id
    files = attachments(message)
    assert files["2026-11-20_F-1_doc1.pdf"] == b"%PDF" + bytes(2000)
    assert json.loads(files["2026-11-20_F-1_doc1.json"])["total"] == "42.50"


def test_message_id_is_stable_so_a_resend_is_recognised(smtp):
    email = sender(smtp)
    assert email.send(parcel()) == email.send(parcel())
    assert email.send(parcel(key="doc2:act1")) != email.message_id("doc1:act1")
    assert len(set(smtp.message_ids())) == 2


def test_full_mailbox_is_retried_then_reported(smtp):
    smtp.faults.refuse_rcpt(452, count=2)
    smtp.faults.refuse_data(552, count=1)
    email = sender(smtp)
    email.send(parcel())
    assert len(smtp.messages) == 1 and email.retries == 3
    smtp.faults.refuse_rcpt(452, count=10)
    with pytest.raises(MailboxFull) as err:
        email.send(parcel(key="doc2:act1"))
    assert err.value.status == "mailbox_full" and len(smtp.messages) == 1


def test_lost_answer_resends_with_the_same_message_id(smtp):
    smtp.faults.lose_answer()
    email = sender(smtp)
    email.send(parcel())
    ids = smtp.message_ids()
    assert len(ids) == 2 and len(set(ids)) == 1  # the receiver can drop the second copy


def test_unknown_recipient_is_permanent(smtp):
    smtp.faults.refuse_rcpt(550, "5.1.1 No such user")
    with pytest.raises(RecipientRefused):
        sender(smtp).send(parcel())
    assert smtp.messages == []


def test_digest_is_split_to_stay_under_the_size_limit(smtp):
    limit = 1024 * 1024
    email = sender(smtp, max_message_bytes=limit)
    parcels = [parcel(key=f"doc{i}:act1", size=300_000, name=f"doc{i}.pdf") for i in range(6)]
    ids = email.send_digest("act1:2026-11-20", parcels, "Documents of 20 Nov")
    assert len(ids) == len(smtp.messages) >= 3
    delivered = {}
    for _rcpt, message in smtp.messages:
        assert len(message.as_bytes()) < limit
        assert "part" in message["Subject"]
        delivered.update(attachments(message))
    assert sorted(n for n in delivered if n.endswith(".pdf")) == sorted(p.name for p in parcels)
    # Same digest, same order: same ids (a resend is recognised).
    assert email.send_digest("act1:2026-11-20", parcels, "Documents of 20 Nov") == ids


def test_a_document_that_cannot_fit_is_refused_before_sending(smtp):
    email = sender(smtp, max_message_bytes=1024 * 1024)
    with pytest.raises(FileTooLarge):
        email.send(parcel(size=900_000))
    assert smtp.messages == []


def test_default_limit_is_18_mb_encoded():
    settings = SmtpSettings(host="h", port=25, from_address="a@b.fr")
    assert settings.max_message_bytes == 18 * 1024 * 1024
    assert encoded_size(3 * 1024 * 1024) > 4 * 1024 * 1024


@pytest.mark.parametrize("address", ["no-at-sign", "a@b.fr\r\nBcc: x@y.z", "Name <a@b.fr>", "a@b"])
def test_bad_addresses_are_refused(smtp, address):
    with pytest.raises(ValueError):
        sender(smtp, to=address)
