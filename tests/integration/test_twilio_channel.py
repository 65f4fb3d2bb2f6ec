"""WhatsAppChannel with the real twilio client, over HTTP, against the fake Twilio server."""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from shared.channels.twilio_whatsapp import (
    AuthenticationFailed,
    ChannelError,
    IncomingMedia,
    InvalidMessage,
    InvalidRecipient,
    MalformedWebhook,
    MediaNotFound,
    MediaTooLarge,
    OutsideSessionWindow,
    TransientChannelError,
    UntrustedMediaUrl,
    WhatsAppChannel,
)
from tests.fakes.twilio import FakeTwilio

SENDER = "+14155238886"
USER = "+33612345678"
WEBHOOK_URL = "https://hooks.example.com/whatsapp/webhook?org=acme"


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeTwilio]:
    with FakeTwilio() as server:
        # USER wrote to us just now: free-form messages to USER are within the 24-hour window.
        server.set_last_inbound(USER, datetime.now(UTC))
        yield server


class SleepRecorder:
    """Stands in for time.sleep: records the delays the channel asked for."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


@pytest.fixture
def sleeps() -> SleepRecorder:
    return SleepRecorder()


@pytest.fixture
def channel(fake: FakeTwilio, sleeps: SleepRecorder) -> WhatsAppChannel:
    return WhatsAppChannel(
        fake.account_sid,
        fake.auth_token,
        sender=f"whatsapp:{SENDER}",
        api_base_url=fake.base_url,
        sleep=sleeps,
        timeout_seconds=5,
    )


def statuses(fake: FakeTwilio, path_part: str, since: int) -> list[int]:
    return [r["status"] for r in fake.requests_log[since:] if path_part in r["path"]]


# -- sending -------------------------------------------------------------------


def test_send_text_is_recorded_by_twilio_with_whatsapp_addresses(
    fake: FakeTwilio, channel: WhatsAppChannel
) -> None:
    sid = channel.send_text(USER, "✅ Receipt matched: 12,40 € at Café <Lumière> & co")

    sent = next(m for m in fake.sent_messages if m["sid"] == sid)
    assert sid.startswith("SM") and len(sid) == 34
    assert sent["To"] == f"whatsapp:{USER}"
    assert sent["From"] == f"whatsapp:{SENDER}"
    assert sent["Body"] == "✅ Receipt matched: 12,40 € at Café <Lumière> & co"
    assert sent["MediaUrl"] == []
    fetched = channel.client().messages(sid).fetch()
    assert fetched.status == "queued"
    assert fetched.date_created is not None and fetched.date_created.tzinfo is not None
    listed = channel.client().messages.list(to=f"whatsapp:{USER}", limit=50)
    assert sid in [m.sid for m in listed]


def test_message_list_pages_through_next_page_uri(
    fake: FakeTwilio, channel: WhatsAppChannel
) -> None:
    number = "+33700000001"
    sids = [channel.send_text(number, f"message {i}") for i in range(5)]
    since = len(fake.requests_log)

    listed = channel.client().messages.list(to=f"whatsapp:{number}", page_size=2)

    assert [m.sid for m in listed] == list(reversed(sids))  # newest first, as Twilio lists
    assert statuses(fake, "/Messages.json", since) == [200, 200, 200]


def test_status_callback_is_passed_to_twilio(fake: FakeTwilio, channel: WhatsAppChannel) -> None:
    sid = channel.send_text(USER, "hello", status_callback="https://hooks.example.com/status")
    sent = next(m for m in fake.sent_messages if m["sid"] == sid)
    assert sent["StatusCallback"] == "https://hooks.example.com/status"


def test_messaging_service_sender_sends_without_from(fake: FakeTwilio, sleeps: SleepRecorder):
    service = "MG" + "a" * 32
    channel = WhatsAppChannel(
        fake.account_sid, fake.auth_token, service, api_base_url=fake.base_url, sleep=sleeps
    )
    sid = channel.send_text(USER, "via service")
    sent = next(m for m in fake.sent_messages if m["sid"] == sid)
    assert sent["MessagingServiceSid"] == service
    assert sent["From"] is None


def test_api_key_authenticates_sends_and_media(sleeps: SleepRecorder) -> None:
    key_sid, key_secret = "SK" + "5" * 32, "key-secret"
    with FakeTwilio(api_keys={key_sid: key_secret}) as fake:
        channel = WhatsAppChannel(
            fake.account_sid,
            fake.auth_token,
            SENDER,
            api_base_url=fake.base_url,
            api_key=(key_sid, key_secret),
            sleep=sleeps,
        )
        sid = channel.send_text(USER, "with an API key")
        assert [m["sid"] for m in fake.sent_messages] == [sid]
        url = fake.add_media(b"keyed", "image/jpeg")
        assert channel.download_media(url, max_bytes=100) == b"keyed"
        revoked = WhatsAppChannel(
            fake.account_sid,
            fake.auth_token,
            SENDER,
            api_base_url=fake.base_url,
            api_key=(key_sid, "revoked"),
            sleep=sleeps,
        )
        with pytest.raises(AuthenticationFailed):
            revoked.send_text(USER, "refused")


def test_wrong_token_is_authentication_failed_and_token_not_in_error(
    fake: FakeTwilio, sleeps: SleepRecorder, caplog: pytest.LogCaptureFixture
) -> None:
    wrong_token = "0123456789abcdef0123456789abcdef"
    channel = WhatsAppChannel(
        fake.account_sid, wrong_token, SENDER, api_base_url=fake.base_url, sleep=sleeps
    )
    before = len(fake.sent_messages)
    with caplog.at_level(logging.DEBUG):
        with pytest.raises(AuthenticationFailed) as info:
            channel.send_text(USER, "hello")
    assert info.value.status == 401
    assert info.value.twilio_code == 20003
    assert not info.value.retryable
    assert len(fake.sent_messages) == before
    assert sleeps.delays == []  # a 401 is not retried
    assert wrong_token not in str(info.value) and wrong_token not in repr(channel)
    assert wrong_token not in caplog.text


def test_the_sdk_does_not_log_each_request_with_the_account_and_number(
    channel: WhatsAppChannel, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO):
        channel.send_text(USER, "hello")
    assert [r.getMessage() for r in caplog.records if r.name.startswith("twilio")] == []
    assert "whatsapp message sent" in caplog.text  # our own line says what was done


def test_server_errors_are_retried_until_success_honouring_retry_after(
    fake: FakeTwilio, channel: WhatsAppChannel, sleeps: SleepRecorder
) -> None:
    since = len(fake.requests_log)
    fake.fail_next(2, 503, retry_after=3)

    sid = channel.send_text(USER, "after two 503s")

    assert sid in [m["sid"] for m in fake.sent_messages]
    assert statuses(fake, "/Messages.json", since) == [503, 503, 201]
    # Retry-After: 3 is honoured, under the 8 s cap.
    assert sleeps.delays == [3.0, 3.0]


def test_rate_limit_is_retried(
    fake: FakeTwilio, channel: WhatsAppChannel, sleeps: SleepRecorder
) -> None:
    since = len(fake.requests_log)
    fake.fail_next(1, 429, retry_after=None)
    channel.send_text(USER, "after a 429")
    assert statuses(fake, "/Messages.json", since) == [429, 201]
    assert len(sleeps.delays) == 1 and 0 <= sleeps.delays[0] <= channel.backoff_seconds


def test_persistent_server_errors_become_transient_error(
    fake: FakeTwilio, channel: WhatsAppChannel
) -> None:
    since = len(fake.requests_log)
    fake.fail_next(channel.max_attempts, 500)
    with pytest.raises(TransientChannelError) as info:
        channel.send_text(USER, "never")
    assert info.value.retryable
    assert info.value.status == 500
    assert info.value.twilio_code == 20500
    assert statuses(fake, "/Messages.json", since) == [500] * channel.max_attempts


@pytest.mark.parametrize(
    ("code", "error_type"),
    [
        (21211, InvalidRecipient),
        (21614, InvalidRecipient),
        (21610, InvalidRecipient),
        (63016, OutsideSessionWindow),
    ],
)
def test_twilio_refusals_map_to_typed_errors(
    fake: FakeTwilio,
    channel: WhatsAppChannel,
    sleeps: SleepRecorder,
    code: int,
    error_type: type[ChannelError],
) -> None:
    number = f"+3361{code:07d}"
    fake.refuse_recipient(number, code)
    before = len(fake.sent_messages)
    with pytest.raises(error_type) as info:
        channel.send_text(number, "hello")
    assert info.value.status == 400 and info.value.twilio_code == code
    assert not info.value.retryable
    assert sleeps.delays == []
    assert len(fake.sent_messages) == before


def test_invalid_input_is_refused_before_calling_twilio(
    fake: FakeTwilio, channel: WhatsAppChannel
) -> None:
    since = len(fake.requests_log)
    with pytest.raises(InvalidRecipient, match="to_e164"):
        channel.send_text("0612345678", "hello")
    with pytest.raises(InvalidMessage, match="empty"):
        channel.send_text(USER, "   ")
    with pytest.raises(InvalidMessage, match="1600"):
        channel.send_text(USER, "x" * 1601)
    assert fake.requests_log[since:] == []


def test_unreachable_api_is_transient_error(sleeps: SleepRecorder) -> None:
    with socket.socket() as probe:  # a port nobody listens on once closed
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    channel = WhatsAppChannel(
        "AC" + "0" * 32, "token", SENDER, api_base_url=f"http://127.0.0.1:{port}", sleep=sleeps
    )
    with pytest.raises(TransientChannelError, match="cannot reach Twilio"):
        channel.send_text(USER, "hello")
    assert len(sleeps.delays) == channel.max_attempts - 1


# -- media -----------------------------------------------------------------------


def test_media_download_follows_redirect_without_leaking_credentials(
    fake: FakeTwilio, channel: WhatsAppChannel
) -> None:
    pdf = b"%PDF-1.7\n" + bytes(range(256)) * 40
    url = fake.add_media(pdf, "application/pdf")
    since_cdn = len(fake.cdn_requests)
    since = len(fake.requests_log)

    assert channel.download_media(url, max_bytes=1_000_000) == pdf

    media_sid = url.rsplit("/", 1)[1]
    assert statuses(fake, media_sid, since) == [307, 200]
    cdn = fake.cdn_requests[since_cdn:]
    assert [r["media_sid"] for r in cdn] == [media_sid]
    assert cdn[0]["host"].startswith("localhost:")  # another host than the API's 127.0.0.1
    assert cdn[0]["authorization"] is None


@pytest.mark.parametrize(("redirect_status", "cdn_host"), [(302, "localhost"), (307, "127.0.0.1")])
def test_media_download_handles_302_and_same_host_cdn(
    sleeps: SleepRecorder, redirect_status: int, cdn_host: str
) -> None:
    with FakeTwilio(redirect_status=redirect_status, cdn_host=cdn_host) as fake:
        channel = WhatsAppChannel(
            fake.account_sid, fake.auth_token, SENDER, api_base_url=fake.base_url, sleep=sleeps
        )
        url = fake.add_media(b"\x89PNG\r\n", "image/png")
        assert channel.download_media(url, max_bytes=100) == b"\x89PNG\r\n"
        media_sid = url.rsplit("/", 1)[1]
        assert statuses(fake, media_sid, 0) == [redirect_status, 200]
        # Credentials go to the CDN only when it is the API's own origin.
        assert (fake.cdn_requests[0]["authorization"] is not None) == (cdn_host == "127.0.0.1")


def test_media_without_credentials_is_refused_by_the_fake(fake: FakeTwilio) -> None:
    import requests

    url = fake.add_media(b"abc", "image/jpeg")
    response = requests.get(url, allow_redirects=False, timeout=5)
    assert response.status_code == 401
    assert response.json()["code"] == 20003


def test_media_download_with_wrong_token_is_authentication_failed(
    fake: FakeTwilio, sleeps: SleepRecorder
) -> None:
    channel = WhatsAppChannel(
        fake.account_sid, "f" * 32, SENDER, api_base_url=fake.base_url, sleep=sleeps
    )
    url = fake.add_media(b"abc", "image/jpeg")
    with pytest.raises(AuthenticationFailed) as info:
        channel.download_media(url, max_bytes=100)
    assert info.value.status == 401 and info.value.twilio_code == 20003


def test_oversize_media_is_aborted(fake: FakeTwilio, channel: WhatsAppChannel) -> None:
    url = fake.add_media(b"\xff\xd8\xff" + b"\0" * 300_000, "image/jpeg")
    with pytest.raises(MediaTooLarge) as info:
        channel.download_media(url, max_bytes=100_000)
    assert info.value.max_bytes == 100_000
    assert info.value.seen_bytes == 300_003


def test_media_exactly_at_the_limit_is_accepted(fake: FakeTwilio, channel: WhatsAppChannel):
    url = fake.add_media(b"x" * 4096, "image/png")
    assert len(channel.download_media(url, max_bytes=4096)) == 4096


def test_media_server_errors_are_retried(
    fake: FakeTwilio, channel: WhatsAppChannel, sleeps: SleepRecorder
) -> None:
    url = fake.add_media(b"receipt", "image/jpeg")
    media_sid = url.rsplit("/", 1)[1]
    since = len(fake.requests_log)
    fake.fail_next(2, 502, endpoint="media", retry_after=1)

    assert channel.download_media(url, max_bytes=100) == b"receipt"

    assert statuses(fake, media_sid, since) == [502, 502, 307, 200]
    assert sleeps.delays == [1.0, 1.0]


def test_media_not_yet_propagated_404_is_retried(
    fake: FakeTwilio, channel: WhatsAppChannel
) -> None:
    url = fake.add_media(b"late", "image/jpeg")
    fake.fail_next(1, 404, endpoint="media", retry_after=None)
    assert channel.download_media(url, max_bytes=100) == b"late"


def test_missing_media_is_media_not_found(fake: FakeTwilio, channel: WhatsAppChannel) -> None:
    url = fake.add_media(b"gone", "image/jpeg")
    unknown = url[: -len("0" * 32)] + "0" * 32
    with pytest.raises(MediaNotFound) as info:
        channel.download_media(unknown, max_bytes=100)
    assert info.value.status == 404 and info.value.twilio_code == 20404


@pytest.mark.parametrize(
    "make_url",
    [
        lambda f, u: u.replace("127.0.0.1", "localhost"),  # another host
        lambda f, u: "https://evil.example.com/2010-04-01/Accounts/x",  # another origin
        lambda f, u: u.replace(f.account_sid, "AC" + "0" * 32),  # another account
        lambda f, u: u.rsplit("/Media/", 1)[0] + ".json",  # not a media path
        lambda f, u: u + "?x=1",  # a query string
        lambda f, u: u.replace("http://", "http://user:pw@"),  # userinfo
    ],
)
def test_untrusted_media_url_gets_no_request(
    fake: FakeTwilio, channel: WhatsAppChannel, make_url
) -> None:
    url = make_url(fake, fake.add_media(b"abc", "image/jpeg"))
    since = len(fake.requests_log)
    with pytest.raises(UntrustedMediaUrl):
        channel.download_media(url, max_bytes=100)
    assert fake.requests_log[since:] == []


# -- webhooks --------------------------------------------------------------------


def test_incoming_webhook_is_parsed(fake: FakeTwilio, channel: WhatsAppChannel) -> None:
    form = fake.build_incoming_message(
        USER,
        SENDER,
        body="Lunch with client",
        media=[(b"\xff\xd8\xffjpeg", "image/jpeg"), (b"%PDF-1.4", "application/pdf")],
        profile_name="Alice",
    )
    message = channel.parse_incoming(form)

    assert message.message_sid == form["MessageSid"]
    assert message.account_sid == fake.account_sid
    assert message.sender == USER
    assert message.recipient == SENDER
    assert message.body == "Lunch with client"
    assert message.profile_name == "Alice"
    assert message.wa_id == "33612345678"
    assert message.channel == "whatsapp"
    assert [m.content_type for m in message.media] == ["image/jpeg", "application/pdf"]
    assert message.media[0] == IncomingMedia(form["MediaUrl0"], "image/jpeg")
    assert channel.download_media(message.media[1].url, max_bytes=100) == b"%PDF-1.4"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"MessageSid": ""}, "MessageSid"),
        ({"AccountSid": "AC" + "1" * 32}, "AccountSid"),
        ({"From": "whatsapp:0612345678"}, "From"),
        ({"NumMedia": "two"}, "NumMedia"),
        ({"NumMedia": "2"}, "MediaUrl1"),
    ],
)
def test_malformed_webhook_names_the_field(
    fake: FakeTwilio, channel: WhatsAppChannel, change: dict[str, str], field: str
) -> None:
    form = fake.build_incoming_message(USER, SENDER, media=[(b"a", "image/png")])
    form.update(change)
    with pytest.raises(MalformedWebhook, match=field):
        channel.parse_incoming(form)


def test_valid_signature_is_accepted(fake: FakeTwilio, channel: WhatsAppChannel) -> None:
    params = fake.build_incoming_message(USER, SENDER, body="hi", media=[(b"a", "image/png")])
    form, headers = fake.signed_webhook(WEBHOOK_URL, params)
    assert channel.is_valid_signature(WEBHOOK_URL, form, headers["X-Twilio-Signature"])


@pytest.mark.parametrize("signature", [None, ""])
def test_missing_signature_is_rejected(
    fake: FakeTwilio, channel: WhatsAppChannel, signature: str | None
) -> None:
    form, _ = fake.signed_webhook(WEBHOOK_URL, fake.build_incoming_message(USER, SENDER))
    assert not channel.is_valid_signature(WEBHOOK_URL, form, signature)


def test_signature_of_another_token_is_rejected(fake: FakeTwilio, channel: WhatsAppChannel) -> None:
    params = fake.build_incoming_message(USER, SENDER, body="hi")
    form, headers = fake.signed_webhook(WEBHOOK_URL, params, auth_token="another-token")
    assert not channel.is_valid_signature(WEBHOOK_URL, form, headers["X-Twilio-Signature"])


@pytest.mark.parametrize(
    "tamper",
    [
        lambda form: form.update(Body="pay me"),
        lambda form: form.update(MediaUrl0="https://evil.example.com/x.jpg"),
        lambda form: form.update(Extra="added"),
        lambda form: form.pop("ProfileName"),
    ],
)
def test_tampered_form_is_rejected(fake: FakeTwilio, channel: WhatsAppChannel, tamper) -> None:
    params = fake.build_incoming_message(USER, SENDER, body="hi", media=[(b"a", "image/png")])
    form, headers = fake.signed_webhook(WEBHOOK_URL, params)
    tamper(form)
    assert not channel.is_valid_signature(WEBHOOK_URL, form, headers["X-Twilio-Signature"])


@pytest.mark.parametrize(
    "other_url",
    [
        "https://hooks.example.com/whatsapp/webhook?org=other",
        "https://hooks.example.com/whatsapp/webhook",
        "http://hooks.example.com/whatsapp/webhook?org=acme",
        "https://attacker.example.com/whatsapp/webhook?org=acme",
    ],
)
def test_signature_for_another_url_is_rejected(
    fake: FakeTwilio, channel: WhatsAppChannel, other_url: str
) -> None:
    form, headers = fake.signed_webhook(WEBHOOK_URL, fake.build_incoming_message(USER, SENDER))
    assert not channel.is_valid_signature(other_url, form, headers["X-Twilio-Signature"])


def test_signature_is_checked_on_the_form_as_posted_over_http(
    fake: FakeTwilio, channel: WhatsAppChannel
) -> None:
    """Round trip through a real HTTP server: what a webhook handler would see."""
    import requests
    from werkzeug.wrappers import Request, Response

    from tests.fakes.http_server import ThreadedServer

    verdicts: list[bool] = []

    @Request.application
    def webhook(request: Request) -> Response:
        public_url = WEBHOOK_URL  # configured, not read from the request
        ok = channel.is_valid_signature(
            public_url, request.form, request.headers.get("X-Twilio-Signature")
        )
        verdicts.append(ok)
        if not ok:
            return Response("forbidden", status=403)
        message = channel.parse_incoming(request.form)
        return Response(
            channel.twiml_reply(f"🔎 got {len(message.media)} file(s)"), mimetype="text/xml"
        )

    params = fake.build_incoming_message(USER, SENDER, body="é & <b>", media=[(b"a", "image/png")])
    form, headers = fake.signed_webhook(WEBHOOK_URL, params)
    with ThreadedServer(webhook) as server:
        good = requests.post(server.base_url, data=form, headers=headers, timeout=5)
        bad = requests.post(
            server.base_url, data={**form, "Body": "other"}, headers=headers, timeout=5
        )
    assert verdicts == [True, False]
    assert good.status_code == 200 and "🔎 got 1 file(s)" in good.text
    assert bad.status_code == 403


# -- TwiML -----------------------------------------------------------------------


def test_twiml_reply_escapes_xml() -> None:
    from defusedxml import ElementTree

    xml = WhatsAppChannel.twiml_reply('Reçu 🔎 <script>&"\x00\x07')
    root = ElementTree.fromstring(xml.encode())
    assert root.tag == "Response"
    assert [m.text for m in root.findall("Message")] == ['Reçu 🔎 <script>&"']


def test_twiml_reply_without_text_is_an_empty_response() -> None:
    from defusedxml import ElementTree

    root = ElementTree.fromstring(WhatsAppChannel.twiml_reply("").encode())
    assert root.tag == "Response" and list(root) == []


def test_constructor_rejects_bad_configuration() -> None:
    with pytest.raises(ValueError, match="account_sid"):
        WhatsAppChannel("AC123", "token", SENDER)
    with pytest.raises(ValueError, match="sender"):
        WhatsAppChannel("AC" + "0" * 32, "token", "0612345678")
    with pytest.raises(ValueError, match="auth_token"):
        WhatsAppChannel("AC" + "0" * 32, "", SENDER)


# -- the 24-hour window ------------------------------------------------------------


class _Callbacks:
    """A real HTTP endpoint that keeps Twilio's status callbacks."""

    def __init__(self) -> None:
        from werkzeug.wrappers import Request, Response

        from tests.fakes.http_server import ThreadedServer

        self.received: list[tuple[dict, str | None]] = []
        self.arrived = threading.Event()

        def app(environ, start_response):
            request = Request(environ)
            self.received.append(
                (request.form.to_dict(), request.headers.get("X-Twilio-Signature"))
            )
            self.arrived.set()
            return Response("")(environ, start_response)

        self.server = ThreadedServer(app).start()
        self.url = f"{self.server.base_url}/status"


def test_free_form_outside_the_window_is_accepted_then_fails_with_63016(
    fake: FakeTwilio, channel: WhatsAppChannel
) -> None:
    number = "+33700000063"
    fake.set_last_inbound(number, datetime.now(UTC) - timedelta(hours=25))
    callbacks = _Callbacks()
    try:
        sid = channel.send_text(number, "too late", status_callback=callbacks.url)

        assert callbacks.arrived.wait(10)
        form, signature = callbacks.received[0]
        assert form["MessageSid"] == sid
        assert form["MessageStatus"] == "failed" and form["ErrorCode"] == "63016"
        assert channel.is_valid_signature(callbacks.url, form, signature)
        assert channel.parse_status_callback(form).error_code == 63016
        fetched = channel.client().messages(sid).fetch()
        assert fetched.status == "failed" and fetched.error_code == 63016
    finally:
        callbacks.server.stop()


def test_template_goes_outside_the_window(fake: FakeTwilio, channel: WhatsAppChannel) -> None:
    number = "+33700000064"
    content_sid = fake.add_template("You paid {{1}} at {{2}} on {{3}}: reply with a photo.")

    sid = channel.send_template(number, content_sid, {"1": "42,50 €", "2": "Café", "3": "20 Nov"})

    sent = next(m for m in fake.sent_messages if m["sid"] == sid)
    assert sent["ContentSid"] == content_sid
    assert sent["Body"] == "You paid 42,50 € at Café on 20 Nov: reply with a photo."
    time.sleep(0.2)
    assert channel.client().messages(sid).fetch().status == "queued"


def test_unknown_template_is_refused(fake: FakeTwilio, channel: WhatsAppChannel) -> None:
    with pytest.raises(ChannelError) as refused:
        channel.send_template(USER, "HX" + "0" * 32, {"1": "x"})
    assert refused.value.twilio_code == 21655


def test_a_templates_text_is_read_once_from_the_content_api(
    fake: FakeTwilio, channel: WhatsAppChannel
) -> None:
    content_sid = fake.add_template("You paid {{1}} at {{2}}.")
    variables = {"1": "42,50 €", "2": "Café"}
    assert channel.template_body(content_sid, variables) == "You paid 42,50 € at Café."
    assert channel.template_body(content_sid, {"1": "3 €"}) == "You paid 3 € at {{2}}."
    fetches = [r for r in fake.requests_log if r["path"].startswith("/v1/Content/")]
    assert fetches == [{"method": "GET", "path": f"/v1/Content/{content_sid}", "status": 200}]
    # As Twilio lists the message it sent: the same text, so a lost send is recognised.
    sid = channel.send_template(USER, content_sid, variables)
    since = datetime.now(UTC) - timedelta(minutes=5)
    assert channel.find_sent(USER, "You paid 42,50 € at Café.", since) == [sid]
    with pytest.raises(ChannelError) as unknown:
        channel.template_body("HX" + "0" * 32, variables)
    assert unknown.value.status == 404 and not unknown.value.retryable
