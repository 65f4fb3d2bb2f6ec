"""HTTP destination against a receiver that verifies with the `standardwebhooks` package."""

from __future__ import annotations

import base64
from collections.abc import Iterator

import pytest

from shared.destinations.base import RetryableError, RetryPolicy
from shared.destinations.parcel import Parcel
from shared.destinations.webhook import (
    EndpointGone,
    EndpointRefused,
    WebhookSender,
    WebhookSettings,
    new_secret,
)
from tests.fakes.http_server import ThreadedServer
from tests.fakes.webhook_receiver import WebhookReceiver

SECRET = new_secret()


class RecordingSleep:
    def __init__(self) -> None:
        self.waits: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


@pytest.fixture
def receiver() -> Iterator[tuple[WebhookReceiver, str]]:
    app = WebhookReceiver(SECRET, retry_after=7)
    with ThreadedServer(app) as server:
        yield app, server.base_url + "/hooks/receipts"


def sender(url: str, secret: str = SECRET, sleep: RecordingSleep | None = None) -> WebhookSender:
    retry = RetryPolicy(
        max_attempts=4, base_delay=0.01, max_delay=30, sleep=sleep or RecordingSleep()
    )
    return WebhookSender(WebhookSettings(url, secret, allow_loopback=True), retry=retry)


def parcel(key: str = "doc1:act1") -> Parcel:
    return Parcel(
        key=key,
        folder=("Invoice_import", "Client_FR1", "AR"),
        name="2026-11-20_F-9_doc1.pdf",
        data=b"%PDF-1.7 body",
        mime_type="application/pdf",
        index={"document_id": "doc1", "number": "F-9"},
    )


def test_signed_post_is_verified_by_the_standard_library(receiver):
    app, url = receiver
    msg_id = sender(url).send(parcel())
    payload = app.received[msg_id]
    assert payload["type"] == "document.exported"
    data = payload["data"]
    assert data["path"] == "Invoice_import/Client_FR1/AR"
    assert base64.b64decode(data["content_base64"]) == b"%PDF-1.7 body"
    assert data["index"]["number"] == "F-9"


def test_a_wrong_secret_is_refused_by_the_receiver(receiver):
    app, url = receiver
    with pytest.raises(EndpointRefused):
        sender(url, secret=new_secret()).send(parcel())
    assert app.received == {}


def test_429_waits_retry_after_and_5xx_backs_off_without_duplicates(receiver):
    app, url = receiver
    app.faults.inject(429)
    app.faults.inject(503, count=2)
    sleep = RecordingSleep()
    hook = sender(url, sleep=sleep)
    msg_id = hook.send(parcel())
    assert hook.retries == 3 and sleep.waits[0] == 7  # the server's Retry-After wins
    assert app.deliveries == [msg_id]
    assert {m for m, _ in app.attempts} == {msg_id}  # one webhook-id across every attempt


def test_lost_answer_redelivers_with_the_same_webhook_id(receiver):
    app, url = receiver
    app.faults.inject(502, after_processing=True)
    msg_id = sender(url).send(parcel())
    assert app.deliveries == [msg_id, msg_id] and len(app.received) == 1


def test_persistent_5xx_is_retryable_for_the_dispatch(receiver):
    app, url = receiver
    app.faults.inject(500, count=10)
    with pytest.raises(RetryableError):
        sender(url).send(parcel())
    assert app.received == {}


def test_410_disables_the_endpoint_at_once(receiver):
    app, url = receiver
    app.gone()
    with pytest.raises(EndpointGone) as err:
        sender(url).send(parcel())
    assert err.value.status == "disabled" and len(app.attempts) == 1


@pytest.mark.parametrize(
    "url",
    [
        "http://hooks.example.com/x",
        "https://10.0.0.5/x",
        "https://169.254.169.254/latest/meta-data",
        "https://user:pw@hooks.example.com/x",
        "ftp://hooks.example.com/x",
    ],
)
def test_unsafe_urls_are_refused_when_saved(url):
    with pytest.raises(ValueError):
        WebhookSettings(url, SECRET)


@pytest.mark.parametrize(
    "secret", ["", "plain", "whsec_!!!", "whsec_" + base64.b64encode(b"short").decode()]
)
def test_bad_secrets_are_refused(secret):
    with pytest.raises(ValueError):
        WebhookSettings("https://hooks.example.com/x", secret)
