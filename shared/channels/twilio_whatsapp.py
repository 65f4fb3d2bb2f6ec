"""Twilio WhatsApp: the one module that talks to Twilio.

Contract:
- `is_valid_signature` MUST be checked before anything in a webhook is trusted; it uses
  twilio's `RequestValidator` over the public URL Twilio called (configure it: Cloud Functions
  sit behind a proxy and the request's own URL is not the one Twilio signed).
- `parse_incoming` turns the webhook form into an `IncomingMessage` or raises
  `MalformedWebhook` naming the field at fault.
- `download_media` fetches a media URL from that webhook. It sends the account credentials
  only to the Twilio API origin and only for a media path of this account; it follows the
  redirect to the CDN without credentials, stops reading past `max_bytes`, and retries
  429/5xx (and the brief 404 Twilio gives before new media has propagated).
- `send_text` sends a WhatsApp message and returns its SID, retrying 429/5xx and connection
  failures with backoff (honouring `Retry-After`). `send_template` sends an approved template
  by its ContentSid, the only kind of message WhatsApp delivers outside the 24-hour window.
  Outside that window a free-form message is accepted (201) and then fails with error 63016,
  reported through the status callback: callers must keep track of the window themselves.
- `parse_status_callback` reads Twilio's message status callback.
- Every failure is a `ChannelError` subclass; no twilio or requests exception leaks out.
- The auth token is never logged nor put in an error message.

Retrying a POST after a 5xx or a dropped connection can send the same message twice if
Twilio had in fact accepted it; for short status replies a duplicate is the lesser harm.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple
from urllib.parse import urljoin, urlsplit

import requests
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http import HttpClient
from twilio.http.http_client import TwilioHttpClient
from twilio.http.response import Response as TwilioResponse
from twilio.request_validator import RequestValidator
from twilio.rest import Client
from twilio.twiml.messaging_response import MessagingResponse

from shared.errors import (
    AppError,
    ConfigError,
    Forbidden,
    Invalid,
    NotFound,
    Refused,
    RetryLater,
    TooLarge,
)
from shared.retry import RetryPolicy, Transient, retry_after_seconds

log = logging.getLogger(__name__)
# The SDK logs every request's URL and headers at INFO (the account SID; the user's
# number when it lists the messages sent to them): our own log says what each did.
logging.getLogger("twilio.http_client").setLevel(logging.WARNING)

DEFAULT_API_BASE_URL = "https://api.twilio.com"
API_VERSION = "2010-04-01"
WHATSAPP_PREFIX = "whatsapp:"
# Twilio refuses longer bodies (error 21617).
MAX_BODY_CHARS = 1600
# Messages to one user looked at, newest first, to learn whether a send was accepted.
FIND_SENT_LIMIT = 50
# Twilio accepts at most 5 MB of media per message; WhatsApp documents go up to 100 MB.
DEFAULT_MAX_MEDIA_BYTES = 25 * 1024 * 1024
# Twilio sends at most 10 media items per message.
MAX_MEDIA_PER_MESSAGE = 10
RETRYABLE_STATUSES = frozenset({429, 500, 502, 503, 504})
# New media can answer 404 for a moment after the webhook (Twilio support article
# "Intermittent 404 Errors When Accessing Media URLs"), so a media 404 is retried too.
RETRYABLE_MEDIA_STATUSES = RETRYABLE_STATUSES | {404}
MAX_REDIRECTS = 5

_E164 = re.compile(r"^\+[1-9][0-9]{6,14}$")
_ACCOUNT_SID = re.compile(r"^AC[0-9a-fA-F]{32}$")
_MESSAGE_SID = re.compile(r"^[A-Z]{2}[0-9a-fA-F]{32}$")
_CONTENT_SID = re.compile(r"^HX[0-9a-fA-F]{32}$")
_PLACEHOLDER = re.compile(r"\{\{(\d+)\}\}")  # a template's variable: {{1}}
# Characters XML 1.0 cannot carry at all; dropped from TwiML text.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

# Twilio error codes grouped by what the caller can do about them.
_RECIPIENT_CODES = frozenset({21211, 21408, 21610, 21612, 21614, 63003, 63024})
_SENDER_CODES = frozenset({21606, 21659, 21910, 63007})
_SESSION_WINDOW_CODES = frozenset({63016})


# -- errors -------------------------------------------------------------------


class ChannelError(AppError):
    """Base of every channel failure. `status` / `twilio_code` are Twilio's when it answered
    (`code` is the project's stable error code, see shared/errors.py)."""

    retryable = False

    def __init__(self, message: str, *, status: int | None = None, code: int | None = None):
        super().__init__(message)
        self.status = status
        self.twilio_code = code


class AuthenticationFailed(ChannelError, ConfigError):
    """Twilio refused the credentials (401 / 20003): the account SID or token is wrong."""


class InvalidRecipient(ChannelError, Invalid):
    """The recipient is not a valid or reachable WhatsApp number (21211, 21614, 63003...)."""


class SenderRejected(ChannelError, ConfigError):
    """The configured sender cannot send WhatsApp messages (21606, 21910, 63007...)."""


class OutsideSessionWindow(ChannelError, Refused):
    """63016: the user's 24 h WhatsApp window is closed; only an approved template may go."""


class InvalidMessage(ChannelError, Invalid):
    """The message we were asked to send is not sendable (empty, too long)."""


class TransientChannelError(ChannelError, RetryLater):
    """Rate limit, server error or network failure that outlived our retries."""

    retryable = True


class MediaTooLarge(ChannelError, TooLarge):
    """The media is bigger than the caller's `max_bytes`; nothing past the limit was read."""

    def __init__(self, url: str, max_bytes: int, seen_bytes: int | None = None):
        size = f"{seen_bytes} bytes" if seen_bytes is not None else "more bytes"
        super().__init__(f"media at {_redact(url)} is larger than {max_bytes} bytes ({size})")
        self.url = url
        self.max_bytes = max_bytes
        self.seen_bytes = seen_bytes


class MediaNotFound(ChannelError, NotFound):
    """The media URL answered 404 even after retries (deleted, or never existed)."""


class UntrustedMediaUrl(ChannelError, Forbidden, ValueError):
    """The URL is not a media URL of this account on the Twilio API; we won't send credentials."""


class MalformedWebhook(ChannelError, Invalid):
    """The webhook form lacks a field or has one we cannot read; the message names it."""


# -- incoming messages ----------------------------------------------------------


class IncomingMedia(NamedTuple):
    """One media item of an incoming message. `content_type` is declared, not verified."""

    url: str
    content_type: str


@dataclass(frozen=True)
class IncomingMessage:
    """An incoming message as Twilio described it in the webhook.

    `sender` and `recipient` are E.164 ("+33612345678"), without the "whatsapp:" prefix;
    `channel` says which prefix they had ("whatsapp", or "sms" when there was none).
    """

    message_sid: str
    account_sid: str
    sender: str
    recipient: str
    body: str
    media: tuple[IncomingMedia, ...]
    profile_name: str | None = None
    wa_id: str | None = None
    channel: str = "whatsapp"


class StatusUpdate(NamedTuple):
    """A message status callback: `status` is queued, sent, delivered, read, failed..."""

    message_sid: str
    status: str
    error_code: int | None


# -- transport ------------------------------------------------------------------


class _RetryingHttpClient(HttpClient):
    """Wraps any twilio HttpClient and retries 429/5xx answers and connection failures.

    It is the library's own extension point (the client only calls `request`); retrying here
    rather than around `messages.create` lets us read `Retry-After`, which twilio's
    exceptions drop.
    """

    def __init__(self, inner: HttpClient, *, policy: RetryPolicy) -> None:
        super().__init__(log, is_async=False, timeout=inner.timeout)
        self.inner = inner
        self.policy = policy

    def request(
        self,
        method: str,
        url: str,
        params: dict[str, object] | None = None,
        data: dict[str, object] | None = None,
        headers: dict[str, str] | None = None,
        auth: tuple[str, str] | None = None,
        timeout: float | None = None,
        allow_redirects: bool = False,
    ) -> TwilioResponse:
        def attempt() -> TwilioResponse:
            response = self.inner.request(
                method,
                url,
                params=params,
                data=data,
                headers=headers,
                auth=auth,
                timeout=timeout,
                allow_redirects=allow_redirects,
            )
            if response.status_code in RETRYABLE_STATUSES:
                raise _RetryableAnswer(response)
            return response

        def classify(exc: Exception) -> Exception:
            if isinstance(exc, _RetryableAnswer):
                after = retry_after_seconds(_header(exc.response.headers, "Retry-After"))
                return Transient(exc, after)
            if isinstance(exc, requests.ConnectionError):
                return Transient(
                    TransientChannelError(
                        f"cannot reach Twilio for {method} {url}: {type(exc).__name__}"
                    )
                )
            return exc

        try:
            return self.policy.call(attempt, classify, what=f"twilio {method} {url}")
        except _RetryableAnswer as last:
            # Out of attempts: the twilio client turns the answer into its own exception,
            # which `_map_rest_error` classifies.
            return last.response


class _RetryableAnswer(Exception):  # noqa: N818 - carries a 429/5xx answer to the policy
    def __init__(self, response: TwilioResponse) -> None:
        super().__init__(f"HTTP {response.status_code}")
        self.response = response


def _header(headers: Any, name: str) -> str | None:
    if headers is None:
        return None
    value = headers.get(name)
    if value is None and isinstance(headers, Mapping):
        lowered = name.lower()
        value = next((v for k, v in headers.items() if k.lower() == lowered), None)
    return value


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    port = parts.port or {"https": 443, "http": 80}.get(scheme)
    return scheme, (parts.hostname or "").lower(), port


def _redact(url: str) -> str:
    """The URL without its query: CDN URLs carry their signature there."""
    parts = urlsplit(url)
    return parts._replace(query="", fragment="").geturl()


# -- the channel ------------------------------------------------------------------


class WhatsAppChannel:
    """Twilio's WhatsApp API for one account and one sender.

    `sender` is the WhatsApp-enabled number in E.164 (with or without "whatsapp:"), or a
    Messaging Service SID ("MG..."). `api_base_url` points the client somewhere else than
    https://api.twilio.com (a fake, a regional edge). `http_client` is a twilio `HttpClient`
    to send through; retries are layered on top of it. `api_key` = (SK..., secret) makes REST
    calls and media downloads authenticate with an API key instead of the auth token.
    The twilio client is created lazily, once per channel, and shared by threads.
    """

    def __init__(
        self,
        account_sid: str,
        auth_token: str,
        sender: str,
        api_base_url: str | None = None,
        http_client: HttpClient | None = None,
        *,
        api_key: tuple[str, str] | None = None,
        max_attempts: int = 4,
        backoff_seconds: float = 0.5,
        max_backoff_seconds: float = 8.0,
        timeout_seconds: float = 20.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not _ACCOUNT_SID.match(account_sid or ""):
            raise ValueError(f"account_sid must be 'AC' + 32 hex digits, got {account_sid!r}")
        if not auth_token:
            raise ValueError("auth_token is empty")
        if max_attempts < 1:
            raise ValueError(f"max_attempts must be at least 1, got {max_attempts}")
        self.account_sid = account_sid
        self._auth_token = auth_token
        if api_key is not None and not (
            re.fullmatch(r"SK[0-9a-fA-F]{32}", api_key[0] or "") and api_key[1]
        ):
            raise ValueError("api_key must be ('SK' + 32 hex digits, secret)")
        # REST calls and media downloads use the API key when given (Twilio's advice for
        # production, and it can be revoked alone); webhook signatures always use the token.
        self._credentials = api_key or (account_sid, auth_token)
        self.sender = self._normalize_sender(sender)
        self.api_base_url = (api_base_url or DEFAULT_API_BASE_URL).rstrip("/")
        if urlsplit(self.api_base_url).scheme not in ("http", "https"):
            raise ValueError(f"api_base_url must be an http(s) URL, got {api_base_url!r}")
        self.max_attempts = max_attempts
        self.backoff_seconds = backoff_seconds
        self.max_backoff_seconds = max_backoff_seconds
        self.timeout_seconds = timeout_seconds
        self._sleep = sleep
        # The project's one retry policy; retry n waits up to backoff_seconds * 2**(n-1).
        self.retry = RetryPolicy(
            max_attempts=max_attempts,
            base_delay=backoff_seconds / 2,
            max_delay=max_backoff_seconds,
            sleep=sleep,
        )
        self._http_client = http_client
        self._client: Client | None = None
        self._session: requests.Session | None = None
        self._template_bodies: dict[str, str] = {}  # ContentSid -> its text ("" if none)
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"WhatsAppChannel(account_sid={self.account_sid!r}, sender={self.sender!r})"

    @staticmethod
    def _normalize_sender(sender: str) -> str:
        if sender.startswith("MG") and re.fullmatch(r"MG[0-9a-fA-F]{32}", sender):
            return sender
        number = sender.removeprefix(WHATSAPP_PREFIX)
        if not _E164.match(number):
            raise ValueError(
                f"sender must be E.164 (+14155238886), whatsapp:+E.164 or an MG... SID, "
                f"got {sender!r}"
            )
        return number

    # -- lazily built clients ------------------------------------------------

    def client(self) -> Client:
        """The twilio REST client, built on first use and then reused."""
        with self._lock:
            if self._client is None:
                inner = self._http_client or TwilioHttpClient(timeout=self.timeout_seconds)
                transport = _RetryingHttpClient(inner, policy=self.retry)
                client = Client(
                    self._credentials[0],
                    self._credentials[1],
                    account_sid=self.account_sid,
                    http_client=transport,
                    # A non-empty environment so stray TWILIO_EDGE/TWILIO_REGION variables
                    # cannot rewrite the host we were configured with.
                    environment={"TWILIO_ACCOUNT_SID": self.account_sid},
                )
                # Domain.base_url is what every api.twilio.com URL is built from.
                client.api.base_url = self.api_base_url
                if self.api_base_url != DEFAULT_API_BASE_URL:  # a fake serves both
                    client.content.base_url = self.api_base_url
                self._client = client
            return self._client

    def _media_session(self) -> requests.Session:
        with self._lock:
            if self._session is None:
                self._session = requests.Session()
            return self._session

    # -- webhooks ---------------------------------------------------------------

    def is_valid_signature(
        self, public_url: str, form: Mapping[str, str], signature: str | None
    ) -> bool:
        """True when `signature` (the X-Twilio-Signature header) signs `form` for `public_url`.

        `public_url` is the full URL Twilio was configured to call, query string included.
        A missing or empty signature is invalid.
        """
        if not signature:
            return False
        return bool(RequestValidator(self._auth_token).validate(public_url, form, signature))

    def parse_incoming(self, form: Mapping[str, str]) -> IncomingMessage:
        """Read a (signature-checked) incoming message webhook form.

        Raises MalformedWebhook naming the field that is missing or unreadable, or when the
        message belongs to another account.
        """

        def required(name: str) -> str:
            value = form.get(name)
            if value is None or value == "":
                raise MalformedWebhook(f"webhook field {name} is missing")
            return str(value)

        message_sid = required("MessageSid")
        if not _MESSAGE_SID.match(message_sid):
            raise MalformedWebhook(
                f"webhook field MessageSid is not a message SID: {message_sid!r}"
            )
        account_sid = required("AccountSid")
        if account_sid != self.account_sid:
            raise MalformedWebhook(
                f"webhook field AccountSid {account_sid!r} is not this channel's account"
            )
        sender, channel = _parse_address(required("From"), "From")
        recipient, _ = _parse_address(required("To"), "To")
        raw_count = form.get("NumMedia") or "0"
        try:
            count = int(raw_count)
        except ValueError:
            raise MalformedWebhook(
                f"webhook field NumMedia is not a number: {raw_count!r}"
            ) from None
        if not 0 <= count <= MAX_MEDIA_PER_MESSAGE:
            raise MalformedWebhook(
                f"webhook field NumMedia must be 0..{MAX_MEDIA_PER_MESSAGE}, got {count}"
            )
        media = tuple(
            IncomingMedia(required(f"MediaUrl{i}"), required(f"MediaContentType{i}"))
            for i in range(count)
        )
        return IncomingMessage(
            message_sid=message_sid,
            account_sid=account_sid,
            sender=sender,
            recipient=recipient,
            body=str(form.get("Body") or ""),
            media=media,
            profile_name=form.get("ProfileName") or None,
            wa_id=form.get("WaId") or None,
            channel=channel,
        )

    def parse_status_callback(self, form: Mapping[str, str]) -> StatusUpdate:
        """Read a (signature-checked) message status callback: sid, status, error code."""
        sid = str(form.get("MessageSid") or "")
        status = str(form.get("MessageStatus") or "")
        if not _MESSAGE_SID.match(sid) or not status:
            raise MalformedWebhook("status callback without a MessageSid or MessageStatus")
        if form.get("AccountSid") != self.account_sid:
            raise MalformedWebhook("status callback for another account")
        raw_code = str(form.get("ErrorCode") or "")
        code = int(raw_code) if raw_code.isdigit() and len(raw_code) <= 6 else None
        return StatusUpdate(sid, status[:32], code)

    @staticmethod
    def twiml_reply(text: str) -> str:
        """The TwiML document that answers a webhook with one message `text`.

        `text` is XML-escaped; characters XML cannot carry (control characters) are dropped.
        An empty `text` gives an empty <Response/> (no reply).
        """
        response = MessagingResponse()
        cleaned = _XML_INVALID.sub("", text)
        if cleaned:
            response.message(cleaned)
        return str(response)

    # -- media ---------------------------------------------------------------------

    def _check_media_url(self, url: str) -> None:
        """Refuse any URL that is not a media URL of this account on the API origin.

        A forged or replayed webhook must not make us send the credentials elsewhere.
        """
        parts = urlsplit(url)
        if _origin(url) != _origin(self.api_base_url) or parts.username or parts.password:
            raise UntrustedMediaUrl(
                f"media URL {_redact(url)} is not on the Twilio API origin {self.api_base_url}"
            )
        base_path = urlsplit(self.api_base_url).path.rstrip("/")
        pattern = (
            re.escape(base_path)
            + rf"/{API_VERSION}/Accounts/{re.escape(self.account_sid)}"
            + r"/Messages/[A-Z]{2}[0-9a-fA-F]{32}/Media/ME[0-9a-fA-F]{32}"
        )
        if not re.fullmatch(pattern, parts.path) or parts.query or parts.fragment:
            raise UntrustedMediaUrl(
                f"media URL {_redact(url)} is not a media resource of account {self.account_sid}"
            )

    def download_media(self, url: str, max_bytes: int = DEFAULT_MAX_MEDIA_BYTES) -> bytes:
        """The bytes of a media item from an incoming message.

        Raises UntrustedMediaUrl before any request when `url` is not this account's media on
        the Twilio API; MediaTooLarge past `max_bytes`; AuthenticationFailed on 401/403 from
        Twilio; MediaNotFound on a lasting 404; TransientChannelError when 429/5xx or network
        failures outlive the retries; ChannelError otherwise.
        """
        if max_bytes <= 0:
            raise ValueError(f"max_bytes must be positive, got {max_bytes}")
        self._check_media_url(url)
        attempts = 0

        def fetch() -> bytes:
            nonlocal attempts
            attempts += 1
            return self._fetch_media(url, max_bytes)

        def classify(exc: Exception) -> Exception:
            if not isinstance(exc, _RetryableFetch):
                return exc
            if exc.status == 404:
                gone: ChannelError = MediaNotFound(
                    f"media at {_redact(url)} not found", status=404, code=exc.code
                )
            else:
                gone = TransientChannelError(
                    f"media download of {_redact(url)} failed after {attempts} attempts: "
                    f"{exc.reason}",
                    status=exc.status,
                    code=exc.code,
                )
            return Transient(gone, retry_after_seconds(exc.retry_after))

        return self.retry.call(fetch, classify, what=f"media download {_redact(url)}")

    def _fetch_media(self, url: str, max_bytes: int) -> bytes:
        """One attempt: follow redirects by hand so credentials never leave the API origin."""
        session = self._media_session()
        trusted = _origin(url)
        current = url
        for _hop in range(MAX_REDIRECTS + 1):
            on_api = _origin(current) == trusted
            try:
                response = session.get(
                    current,
                    auth=self._credentials if on_api else None,
                    stream=True,
                    allow_redirects=False,
                    timeout=self.timeout_seconds,
                )
            except requests.RequestException as exc:
                raise _RetryableFetch(None, None, None, type(exc).__name__) from None
            with response:
                if response.is_redirect:
                    target = urljoin(current, response.headers["Location"])
                    scheme = urlsplit(target).scheme
                    if scheme not in ("http", "https") or (
                        urlsplit(current).scheme == "https" and scheme != "https"
                    ):
                        raise ChannelError(
                            f"media at {_redact(url)} redirects to a {scheme!r} URL; refused",
                            status=response.status_code,
                        )
                    current = target
                    continue
                if response.status_code == 200:
                    return _read_capped(response, url, max_bytes)
                code = _twilio_code(response) if on_api else None
                if response.status_code in RETRYABLE_MEDIA_STATUSES:
                    raise _RetryableFetch(
                        response.status_code,
                        code,
                        response.headers.get("Retry-After"),
                        f"HTTP {response.status_code}",
                    )
                if on_api and response.status_code in (401, 403):
                    raise AuthenticationFailed(
                        f"Twilio refused the credentials for media {_redact(url)}",
                        status=response.status_code,
                        code=code,
                    )
                where = "Twilio" if on_api else "the media CDN"
                raise ChannelError(
                    f"{where} answered HTTP {response.status_code} for media {_redact(url)}",
                    status=response.status_code,
                    code=code,
                )
        raise ChannelError(f"media at {_redact(url)} redirects more than {MAX_REDIRECTS} times")

    # -- sending ------------------------------------------------------------------

    def send_text(self, to_e164: str, body: str, *, status_callback: str | None = None) -> str:
        """Send `body` to the WhatsApp user `to_e164`; return the Twilio message SID.

        Raises InvalidRecipient/InvalidMessage for input we can tell is wrong before sending;
        AuthenticationFailed, InvalidRecipient, SenderRejected, OutsideSessionWindow or
        TransientChannelError as Twilio answers; ChannelError for anything else.
        """
        to = _whatsapp_address(to_e164)
        if not body.strip():
            raise InvalidMessage("body is empty")
        if len(body) > MAX_BODY_CHARS:
            raise InvalidMessage(f"body has {len(body)} characters; Twilio allows {MAX_BODY_CHARS}")
        return self._create({"to": to, "body": body}, status_callback)

    def send_template(
        self,
        to_e164: str,
        content_sid: str,
        variables: Mapping[str, str],
        *,
        status_callback: str | None = None,
    ) -> str:
        """Send the approved template `content_sid` (Twilio Content API, "HX...") with its
        `variables` ({"1": ..., "2": ...}); the only way to write outside the 24-hour window.

        Raises like `send_text`.
        """
        to = _whatsapp_address(to_e164)
        if not _CONTENT_SID.match(content_sid or ""):
            raise InvalidMessage(f"content_sid must be 'HX' + 32 hex digits, got {content_sid!r}")
        payload = json.dumps({str(k): str(v) for k, v in variables.items()}, ensure_ascii=False)
        return self._create(
            {
                "to": to,
                "content_sid": content_sid,
                "content_variables": payload,
            },
            status_callback,
        )

    def template_body(self, content_sid: str, variables: Mapping[str, str]) -> str | None:
        """The text approved template `content_sid` shows with `variables` filled in, as
        Twilio renders it in the message it lists (Content API); None for a template
        without a plain text body. The definition is fetched once per channel."""
        with self._lock:
            template = self._template_bodies.get(content_sid)
        if template is None:
            with _twilio_errors("fetch a content template"):
                content = self.client().content.v1.contents(content_sid).fetch()
            template = str(((content.types or {}).get("twilio/text") or {}).get("body") or "")
            with self._lock:
                self._template_bodies[content_sid] = template
        if not template:
            return None
        return _PLACEHOLDER.sub(lambda m: str(variables.get(m.group(1), m.group(0))), template)

    def find_sent(self, to_e164: str, body: str, since: datetime) -> list[str]:
        """SIDs of the messages with exactly `body` sent to `to_e164` from our sender
        since `since`, newest first (Twilio's list, at most `FIND_SENT_LIMIT` looked at).

        Twilio's Messages API takes no idempotency key: this is how a sender that took
        over a dead one's work learns whether Twilio had accepted its message already.
        """
        to = _whatsapp_address(to_e164)
        filters: dict[str, Any] = {"to": to, "limit": FIND_SENT_LIMIT}
        if not self.sender.startswith("MG"):
            filters["from_"] = WHATSAPP_PREFIX + self.sender
        with _twilio_errors("list WhatsApp messages"):
            messages = self.client().messages.list(**filters)
        return [
            str(m.sid)
            for m in messages
            if m.body == body
            and str(m.direction or "").startswith("outbound")
            and m.date_created is not None
            and m.date_created >= since
        ]

    def _create(self, kwargs: dict[str, Any], status_callback: str | None) -> str:
        if status_callback:
            kwargs["status_callback"] = status_callback
        if self.sender.startswith("MG"):
            kwargs["messaging_service_sid"] = self.sender
        else:
            kwargs["from_"] = WHATSAPP_PREFIX + self.sender
        with _twilio_errors("send a WhatsApp message"):
            message = self.client().messages.create(**kwargs)
        log.info(
            "whatsapp message sent",
            extra={"message_sid": message.sid, "status": str(message.status)},
        )
        return str(message.sid)


def _whatsapp_address(to_e164: str) -> str:
    """`whatsapp:+E164` for Twilio, from an E.164 number (prefixed or not)."""
    number = to_e164.removeprefix(WHATSAPP_PREFIX)
    if not _E164.match(number):
        raise InvalidRecipient(f"to_e164 must be E.164 like +33612345678, got {to_e164!r}")
    return WHATSAPP_PREFIX + number


@contextmanager
def _twilio_errors(action: str) -> Iterator[None]:
    """Twilio's REST answers and transport failures as our channel errors."""
    try:
        yield
    except TwilioRestException as exc:
        raise _map_rest_error(exc, action) from exc
    except TransientChannelError:
        raise
    except requests.RequestException as exc:
        raise TransientChannelError(
            f"cannot reach Twilio to {action}: {type(exc).__name__}"
        ) from exc
    except TwilioException as exc:
        raise ChannelError(f"Twilio client error (to {action}): {exc}") from exc


class _RetryableFetch(Exception):
    def __init__(
        self, status: int | None, code: int | None, retry_after: str | None, reason: str
    ) -> None:
        super().__init__(reason)
        self.status = status
        self.code = code
        self.retry_after = retry_after
        self.reason = reason


def _read_capped(response: requests.Response, url: str, max_bytes: int) -> bytes:
    """The body, refusing it as soon as it is known to exceed `max_bytes`."""
    declared = response.headers.get("Content-Length")
    if declared is not None and declared.isdigit() and int(declared) > max_bytes:
        raise MediaTooLarge(url, max_bytes, int(declared))
    chunks: list[bytes] = []
    total = 0
    try:
        # iter_content decodes any Content-Encoding, so the cap counts the real bytes.
        for chunk in response.iter_content(chunk_size=64 * 1024):
            total += len(chunk)
            if total > max_bytes:
                raise MediaTooLarge(url, max_bytes)
            chunks.append(chunk)
    except requests.RequestException as exc:
        raise _RetryableFetch(None, None, None, type(exc).__name__) from None
    return b"".join(chunks)


def _twilio_code(response: requests.Response) -> int | None:
    try:
        payload = response.json()
    except ValueError:
        return None
    code = payload.get("code") if isinstance(payload, dict) else None
    return code if isinstance(code, int) else None


def _parse_address(value: str, field_name: str) -> tuple[str, str]:
    """('+336...', 'whatsapp') from 'whatsapp:+336...'; an unprefixed number is 'sms'."""
    if value.startswith(WHATSAPP_PREFIX):
        number, channel = value[len(WHATSAPP_PREFIX) :], "whatsapp"
    else:
        number, channel = value, "sms"
    if not _E164.match(number):
        raise MalformedWebhook(f"webhook field {field_name} is not an E.164 number: {value!r}")
    return number, channel


def _map_rest_error(exc: TwilioRestException, action: str) -> ChannelError:
    """The one place Twilio's REST errors become channel errors."""
    status, code = exc.status, exc.code if isinstance(exc.code, int) else None
    message = f"Twilio refused to {action}: HTTP {status}, code {code}: {exc.msg}"
    if status == 401 or code == 20003:
        return AuthenticationFailed(message, status=status, code=code)
    if code in _SESSION_WINDOW_CODES:
        return OutsideSessionWindow(message, status=status, code=code)
    if code in _RECIPIENT_CODES:
        return InvalidRecipient(message, status=status, code=code)
    if code in _SENDER_CODES:
        return SenderRejected(message, status=status, code=code)
    if status in RETRYABLE_STATUSES:
        return TransientChannelError(message, status=status, code=code)
    return ChannelError(message, status=status, code=code)
