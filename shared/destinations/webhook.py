"""HTTP endpoint destination: a signed POST per document, following Standard Webhooks.

Spec: https://www.standardwebhooks.com (headers `webhook-id`, `webhook-timestamp`,
`webhook-signature: v1,<base64 HMAC-SHA256(secret, "{id}.{timestamp}.{body}")>`, secret
written `whsec_<base64>`). The firm installs the endpoint and its secret once; each
activation may add a path under the endpoint's URL.

- **Idempotency.** `webhook-id` is derived from the parcel's key and stays the same on
  every retry, so the receiver can drop a redelivery. Each attempt is signed again with
  a fresh timestamp (receivers refuse timestamps older than 5 minutes).
- **Body.** `{"type": "document.exported", "timestamp", "data": {"path", "file_name",
  "mime_type", "content_base64", "index"}}`, at most `max_body_bytes` (default 25 MB).
  When the document's index record changes after it was sent (matched to its payment
  later, detached): `{"type": "document.updated", "timestamp", "data": {"path",
  "file_name", "index", "updates": <webhook-id of the first delivery>}}`, without the
  content.
- **Failure mapping (`_classify`):** 2xx delivered; 429 (honouring `Retry-After`), 408,
  5xx, timeouts and connection errors -> retried with the shared `RetryPolicy`, then
  `RetryableError`; **410 Gone -> `EndpointGone`**: the endpoint asked to be disabled,
  the dispatch disables the activation; any other status (redirects included, never
  followed) -> `EndpointRefused`, permanent.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
import json
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urlsplit

import requests

from shared.destinations.base import (
    DestinationError,
    FileTooLarge,
    RetryableError,
    RetryPolicy,
    Transient,
)
from shared.destinations.network import check_public_host
from shared.destinations.parcel import Parcel

MAX_BODY_BYTES = 25 * 1024 * 1024
_SECRET_PREFIX = "whsec_"


class EndpointGone(DestinationError):
    """The endpoint answered 410 Gone: it must not be called again until re-enabled."""

    status = "disabled"


class EndpointRefused(DestinationError):
    """The endpoint refused the delivery for good (4xx other than 408/410/429, 3xx)."""

    status = "endpoint_refused"


def new_secret() -> str:
    """A fresh signing secret in the Standard Webhooks form (`whsec_` + 32 random bytes)."""
    return _SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def secret_bytes(secret: str) -> bytes:
    """The key inside a `whsec_...` secret; refuses a malformed or short one.

    >>> len(secret_bytes(new_secret()))
    32
    """
    if not secret.startswith(_SECRET_PREFIX):
        raise ValueError("webhook secret must start with 'whsec_'")
    try:
        key = base64.b64decode(secret[len(_SECRET_PREFIX) :], validate=True)
    except ValueError as exc:
        raise ValueError("webhook secret is not base64 after 'whsec_'") from exc
    if len(key) < 24:
        raise ValueError("webhook secret must hold at least 24 bytes")
    return key


def sign(secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    """The `webhook-signature` header value for one attempt."""
    to_sign = f"{msg_id}.{timestamp}.".encode() + body
    digest = hmac.new(secret_bytes(secret), to_sign, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def check_url(url: str, allow_loopback: bool = False) -> str:
    """An https URL to a public host (plain http only to loopback, for local runs).

    >>> check_url("https://hooks.cabinet.fr/receipts")
    'https://hooks.cabinet.fr/receipts'
    >>> check_url("http://169.254.169.254/latest")
    Traceback (most recent call last):
    ...
    ValueError: webhook URL must use https: 'http://169.254.169.254/latest'
    """
    parts = urlsplit(url)
    host = parts.hostname or ""
    loopback = host in ("localhost", "127.0.0.1", "::1")
    if parts.scheme != "https" and not (parts.scheme == "http" and loopback and allow_loopback):
        raise ValueError(f"webhook URL must use https: {url!r}")
    if not host or parts.username or parts.password or parts.fragment:
        raise ValueError(f"webhook URL needs a host and no credentials or fragment: {url!r}")
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        address = None
    if address is not None and not (loopback and allow_loopback) and not address.is_global:
        raise ValueError(f"webhook URL must not point to a private address: {url!r}")
    return url


@dataclass(frozen=True)
class WebhookSettings:
    url: str
    secret: str = field(repr=False)
    allow_loopback: bool = False  # local runs and tests only
    timeout: float = 30.0
    max_body_bytes: int = MAX_BODY_BYTES

    def __post_init__(self) -> None:
        check_url(self.url, self.allow_loopback)
        secret_bytes(self.secret)


def _retry_after(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        from email.utils import parsedate_to_datetime

        try:
            return max(0.0, (parsedate_to_datetime(value) - datetime.now(UTC)).total_seconds())
        except (TypeError, ValueError):
            return None


class _Status(Exception):
    def __init__(self, response: requests.Response) -> None:
        super().__init__(f"HTTP {response.status_code}")
        self.response = response


def _classify(exc: Exception) -> Exception:
    if isinstance(exc, _Status):
        code = exc.response.status_code
        text = f"webhook endpoint answered {code}"
        if code == 410:
            return EndpointGone(text + " (Gone): endpoint disabled")
        if code == 429:
            return Transient(RetryableError(text), _retry_after(exc.response))
        if code == 408 or code >= 500:
            return Transient(RetryableError(text), _retry_after(exc.response))
        return EndpointRefused(text)
    if isinstance(exc, requests.ConnectionError | requests.Timeout):
        return Transient(RetryableError(f"webhook endpoint unreachable: {type(exc).__name__}"))
    if isinstance(exc, DestinationError):
        return exc
    return DestinationError(f"webhook delivery failed: {exc!r}")


class WebhookSender:
    kind = "http"

    def __init__(
        self,
        settings: WebhookSettings,
        retry: RetryPolicy | None = None,
        session: requests.Session | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.settings = settings
        self.retry = retry or RetryPolicy(max_attempts=6, max_delay=60.0)
        self.session = session or requests.Session()
        self.clock = clock
        self.retries = 0

    @staticmethod
    def message_id(key: str) -> str:
        return "msg_" + hashlib.sha256(key.encode()).hexdigest()[:32]

    def body(self, parcel: Parcel) -> bytes:
        data: dict[str, object] = {
            "path": "/".join(parcel.folder),
            "file_name": parcel.name,
            "index": parcel.index,
        }
        if parcel.update_of is not None:  # the record changed: the content did not
            data["updates"] = self.message_id(parcel.update_of)
        else:
            data["mime_type"] = parcel.mime_type
            data["content_base64"] = base64.b64encode(parcel.data).decode()
        payload = {
            "type": "document.updated" if parcel.update_of else "document.exported",
            "timestamp": datetime.now(UTC).isoformat(timespec="seconds"),
            "data": data,
        }
        body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
        if len(body) > self.settings.max_body_bytes:
            raise FileTooLarge(
                f"webhook body of {len(body)} bytes exceeds {self.settings.max_body_bytes}"
            )
        return body

    def send(self, parcel: Parcel) -> str:
        msg_id = self.message_id(parcel.key)
        body = self.body(parcel)

        def attempt() -> None:
            # The name may resolve elsewhere than when it was installed (DNS rebinding).
            host = urlsplit(self.settings.url).hostname or ""
            check_public_host(host, allow_local=self.settings.allow_loopback)
            timestamp = int(self.clock())
            response = self.session.post(
                self.settings.url,
                data=body,
                headers={
                    "content-type": "application/json",
                    "webhook-id": msg_id,
                    "webhook-timestamp": str(timestamp),
                    "webhook-signature": sign(self.settings.secret, msg_id, timestamp, body),
                },
                timeout=self.settings.timeout,
                allow_redirects=False,
            )
            if not 200 <= response.status_code < 300:
                raise _Status(response)

        self.retry.call(attempt, _classify, self._count_retry)
        return msg_id

    def _count_retry(self) -> None:
        self.retries += 1
