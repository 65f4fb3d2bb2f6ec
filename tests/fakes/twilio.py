"""A protocol-faithful fake of the parts of Twilio's REST API the WhatsApp channel uses.

What it reproduces (checked against Twilio's public API reference):
- `POST /2010-04-01/Accounts/{AccountSid}/Messages.json`, form-encoded `To`, `From` (or
  `MessagingServiceSid`), `Body`, repeated `MediaUrl`, `StatusCallback`; answers 201 with the
  Message resource JSON (`sid` "SM" + 32 hex, `status` "queued", RFC 2822 dates, `uri`, ...).
- `GET .../Messages.json` (paged list, newest first, `To`/`From` filters, `PageSize`/`Page`)
  and `GET .../Messages/{Sid}.json`.
- HTTP Basic auth with AccountSid:AuthToken or an API key (SK...:secret); failures answer 401
  with Twilio's error body `{"code": 20003, "message": "Authenticate", ...}`.
- Validation errors as 400 with Twilio's codes (21211 invalid To, 21602 no body, 21603 no
  From, 21604 no To, 21617 body too long, 21910 From/To channel mismatch).
- Media of incoming messages: `.../Messages/{MM}/Media/{ME}` needs Basic auth and answers a
  307 redirect to a short-lived signed CDN URL (served here under `/cdn/`, by default on the
  host name `localhost` so that it is a different host than the API's `127.0.0.1`, as the
  real CDN is). The CDN needs no credentials and records whether it got any.
  `.../Media/{ME}.json` returns the Media resource metadata.
- WhatsApp's 24-hour window, as Twilio reports it: a free-form message (Body/MediaUrl) to a
  WhatsApp user whose last incoming message (`build_incoming_message`, or `set_last_inbound`)
  is more than 24 h old is accepted (201, "queued"), then fails with error 63016: the resource
  turns "failed" with `error_code` 63016 and, when the message asked for a `StatusCallback`,
  Twilio's signed status callback (MessageStatus=failed, ErrorCode=63016) is POSTed to it.
  Approved templates (`add_template`) are sent by `ContentSid` + `ContentVariables` at any
  time; an unknown ContentSid is refused (400, 21655). `clock` can be moved by tests. The
  Content API's `GET /v1/Content/{ContentSid}` (content.twilio.com, same Basic auth with
  the account's SID or an API key) answers the template's resource with its `twilio/text`
  body; a sent template is listed with its variables filled in, as Twilio renders it.
- Fault injection: `fail_next(n, status)` for the messages endpoints or media downloads, with
  Twilio's error body and a `Retry-After` header.
- Incoming webhooks: `build_incoming_message` registers media and returns the form Twilio
  would POST; `signed_webhook` adds the `X-Twilio-Signature` computed with Twilio's own
  `RequestValidator`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import secrets
import threading
import time
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any
from urllib.parse import urlencode

import requests
from twilio.request_validator import RequestValidator
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException, NotFound
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from tests.fakes.http_server import ThreadedServer

API_VERSION = "2010-04-01"
MAX_BODY_CHARS = 1600
_E164 = re.compile(r"^\+[1-9][0-9]{6,14}$")
_ERRORS_URL = "https://www.twilio.com/docs/errors/{code}"

# Refusals a test can attach to a recipient: code -> (HTTP status, Twilio's message).
_RECIPIENT_REFUSALS = {
    21211: (400, "Invalid 'To' Phone Number"),
    21610: (400, "Attempt to send to unsubscribed recipient"),
    21614: (400, "'To' number is not a valid mobile number"),
    63016: (
        400,
        "Failed to send freeform message because you are outside the allowed window. "
        "If you are using WhatsApp, please use a Message Template.",
    ),
}

# Twilio error codes for the faults a test can inject.
_FAULT_CODES = {
    404: (20404, "The requested resource was not found"),
    429: (20429, "Too Many Requests"),
    500: (20500, "Internal Server Error"),
    502: (20500, "Bad Gateway"),
    503: (20503, "Service Unavailable"),
    504: (20500, "Gateway Timeout"),
}


def new_sid(prefix: str) -> str:
    """A Twilio-shaped SID: two-letter prefix + 32 lowercase hex digits."""
    return prefix + secrets.token_hex(16)


def rfc2822(moment: datetime) -> str:
    """Twilio's date format, e.g. 'Sun, 22 Nov 2026 21:42:05 +0000'."""
    return format_datetime(moment.astimezone(UTC))


def twilio_error(status: int, code: int, message: str, **extra: Any) -> Response:
    body = {
        "code": code,
        "message": message,
        "more_info": _ERRORS_URL.format(code=code),
        "status": status,
    }
    body.update(extra)
    return Response(json.dumps(body), status=status, content_type="application/json")


@dataclass
class _Media:
    sid: str
    message_sid: str
    content: bytes
    content_type: str
    created: datetime


@dataclass
class _Faults:
    """Pending injected failures for one endpoint family."""

    remaining: int = 0
    status: int = 500
    retry_after: int | None = 1
    lock: threading.Lock = field(default_factory=threading.Lock)

    def take(self) -> tuple[int, int | None] | None:
        with self.lock:
            if self.remaining <= 0:
                return None
            self.remaining -= 1
            return self.status, self.retry_after


class FakeTwilioApp:
    """The WSGI app. State is kept in memory and guarded by one lock."""

    def __init__(
        self,
        account_sid: str,
        auth_token: str,
        *,
        api_keys: Mapping[str, str] | None = None,
        redirect_status: int = 307,
        media_url_ttl_seconds: int = 300,
    ) -> None:
        if not re.fullmatch(r"AC[0-9a-f]{32}", account_sid):
            raise ValueError(f"account_sid must be 'AC' + 32 hex digits, got {account_sid!r}")
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.api_keys = dict(api_keys or {})
        self.redirect_status = redirect_status
        self.media_url_ttl_seconds = media_url_ttl_seconds
        # Where media redirects point; FakeTwilio sets it once the port is known.
        self.api_base_url = "https://api.twilio.com"
        self.cdn_base_url = "https://media.twiliocdn.example"
        self.sent_messages: list[dict[str, Any]] = []
        self.cdn_requests: list[dict[str, Any]] = []
        self.requests_log: list[dict[str, Any]] = []
        self._messages: dict[str, dict[str, Any]] = {}
        self._order: list[str] = []
        self._media: dict[str, _Media] = {}
        self._cdn_secret = secrets.token_bytes(32)
        self._faults = {"messages": _Faults(), "media": _Faults()}
        self._refusals: dict[str, int] = {}
        self._templates: dict[str, str] = {}
        self._last_inbound: dict[str, datetime] = {}
        self.clock = lambda: datetime.now(UTC)
        self.status_callbacks: list[dict[str, Any]] = []
        self.status_callback_delay = 0.2
        self._lock = threading.Lock()
        acc = "/<account_sid>"
        base = f"/{API_VERSION}/Accounts"
        self._urls = Map(
            [
                Rule(f"{base}{acc}/Messages.json", endpoint="messages"),
                Rule(f"{base}{acc}/Messages/<message_sid>.json", endpoint="message"),
                Rule(
                    f"{base}{acc}/Messages/<message_sid>/Media/<media_sid>.json",
                    endpoint="media_json",
                ),
                Rule(f"{base}{acc}/Messages/<message_sid>/Media/<media_sid>", endpoint="media"),
                Rule("/cdn/<media_sid>/<int:expires>/<signature>", endpoint="cdn"),
                # Content API (content.twilio.com): a template's definition.
                Rule("/v1/Content/<content_sid>", endpoint="content"),
            ],
            strict_slashes=False,
        )

    # -- test-facing helpers -------------------------------------------------

    def forget_messages(self) -> None:
        """A fresh account: no message resource, no send log (between tests)."""
        with self._lock:
            self._messages.clear()
            self._order.clear()
            self.sent_messages.clear()

    def fail_next(
        self, n: int, status: int, *, endpoint: str = "messages", retry_after: int | None = 1
    ) -> None:
        """Make the next `n` requests to `endpoint` ("messages" or "media") fail with `status`."""
        if endpoint not in self._faults:
            raise ValueError(f"endpoint must be one of {sorted(self._faults)}, got {endpoint!r}")
        if status not in _FAULT_CODES:
            raise ValueError(f"status must be one of {sorted(_FAULT_CODES)}, got {status}")
        faults = self._faults[endpoint]
        with faults.lock:
            faults.remaining, faults.status, faults.retry_after = n, status, retry_after

    def refuse_recipient(self, number: str, code: int = 21211) -> None:
        """Answer Twilio's error `code` to every message sent to `number` (E.164)."""
        if code not in _RECIPIENT_REFUSALS:
            raise ValueError(f"code must be one of {sorted(_RECIPIENT_REFUSALS)}, got {code}")
        with self._lock:
            self._refusals[number] = code

    def add_media(
        self, content: bytes, content_type: str, *, message_sid: str | None = None
    ) -> str:
        """Store media as if it came with an incoming message; return its Twilio media URL."""
        media = _Media(
            sid=new_sid("ME"),
            message_sid=message_sid or new_sid("MM"),
            content=bytes(content),
            content_type=content_type,
            created=datetime.now(UTC),
        )
        with self._lock:
            self._media[media.sid] = media
        return f"{self.api_base_url}{self._media_path(media)}"

    def add_template(self, body: str, *, content_sid: str | None = None) -> str:
        """Register an approved template ("Hello {{1}}"); returns its ContentSid (HX...)."""
        sid = content_sid or new_sid("HX")
        with self._lock:
            self._templates[sid] = body
        return sid

    def set_last_inbound(self, number: str, when: datetime) -> None:
        """Pretend the user `number` (E.164) last wrote to us at `when`."""
        with self._lock:
            self._last_inbound[number.removeprefix("whatsapp:")] = when

    def record_inbound(self, params: Mapping[str, str]) -> None:
        """Keep an incoming message in the Messages list, as Twilio does."""
        now = self.clock()
        with self._lock:
            self._last_inbound[_split_address(params["From"])[1]] = now
        resource = self._resource(
            sid=params["MessageSid"],
            to=params["To"],
            from_=params["From"],
            body=params.get("Body", ""),
            num_media=int(params.get("NumMedia", "0")),
            direction="inbound",
            status="received",
            now=now,
            messaging_service_sid=None,
        )
        with self._lock:
            self._messages[resource["sid"]] = resource
            self._order.append(resource["sid"])

    # -- WSGI ---------------------------------------------------------------

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        request = Request(environ)
        try:
            endpoint, args = self._urls.bind_to_environ(environ).match()
            response = getattr(self, f"_on_{endpoint}")(request, **args)
        except NotFound:
            response = twilio_error(
                404, 20404, f"The requested resource {request.path} was not found"
            )
        except HTTPException as exc:
            response = twilio_error(exc.code or 500, 20001, exc.description or "Bad request")
        with self._lock:
            self.requests_log.append(
                {"method": request.method, "path": request.path, "status": response.status_code}
            )
        return response(environ, start_response)

    # -- auth ---------------------------------------------------------------

    def _authenticate(self, request: Request, account_sid: str) -> Response | None:
        """None when the Basic credentials may act on `account_sid`, else Twilio's 401."""
        auth = request.authorization
        ok = False
        if auth is not None and auth.type == "basic" and account_sid == self.account_sid:
            username, password = auth.username or "", auth.password or ""
            if username == self.account_sid:
                ok = hmac.compare_digest(password, self.auth_token)
            elif username in self.api_keys:
                ok = hmac.compare_digest(password, self.api_keys[username])
        if ok:
            return None
        response = twilio_error(
            401, 20003, "Authenticate", detail="Your AccountSid or AuthToken was incorrect."
        )
        response.headers["WWW-Authenticate"] = 'Basic realm="Twilio API"'
        return response

    def _injected_fault(self, endpoint: str) -> Response | None:
        fault = self._faults[endpoint].take()
        if fault is None:
            return None
        status, retry_after = fault
        code, message = _FAULT_CODES[status]
        response = twilio_error(status, code, message)
        if retry_after is not None:
            response.headers["Retry-After"] = str(retry_after)
        return response

    # -- Content API ----------------------------------------------------------

    def _on_content(self, request: Request, content_sid: str) -> Response:
        if request.method != "GET":
            return twilio_error(405, 20004, "Method not allowed")
        denied = self._authenticate(request, self.account_sid)
        if denied is not None:
            return denied
        with self._lock:
            body = self._templates.get(content_sid)
        if body is None:
            return twilio_error(404, 20404, f"The requested resource {request.path} was not found")
        now = format_datetime(self.clock(), usegmt=True)
        return _json(
            {
                "sid": content_sid,
                "account_sid": self.account_sid,
                "friendly_name": f"template_{content_sid[-6:].lower()}",
                "language": "en",
                "variables": {},
                "types": {"twilio/text": {"body": body}},
                "url": f"https://content.twilio.com/v1/Content/{content_sid}",
                "date_created": now,
                "date_updated": now,
                "links": {},
            }
        )

    # -- Messages -----------------------------------------------------------

    def _on_messages(self, request: Request, account_sid: str) -> Response:
        if request.method not in ("GET", "POST"):
            return twilio_error(405, 20004, "Method not allowed")
        denied = self._authenticate(request, account_sid)
        if denied is not None:
            return denied
        fault = self._injected_fault("messages")
        if fault is not None:
            return fault
        if request.method == "POST":
            return self._create_message(request.form)
        return self._list_messages(request)

    def _create_message(self, form: MultiDict[str, str]) -> Response:
        to = form.get("To", "")
        from_ = form.get("From", "")
        messaging_service_sid = form.get("MessagingServiceSid") or None
        body = form.get("Body", "")
        media_urls = form.getlist("MediaUrl")
        if not to:
            return twilio_error(400, 21604, "A 'To' phone number is required.")
        if not from_ and not messaging_service_sid:
            return twilio_error(400, 21603, "A 'From' phone number is required.")
        content_sid = form.get("ContentSid") or None
        if not body and not media_urls and not content_sid:
            return twilio_error(400, 21602, "Message body is required.")
        if content_sid is not None:
            with self._lock:
                template = self._templates.get(content_sid)
            if template is None:
                return twilio_error(400, 21655, "The ContentSid is Invalid.")
            try:
                variables = json.loads(form.get("ContentVariables") or "{}")
            except ValueError:
                return twilio_error(400, 21656, "The ContentVariables Parameter is invalid.")
            if not isinstance(variables, dict):
                return twilio_error(400, 21656, "The ContentVariables Parameter is invalid.")
            body = re.sub(
                r"\{\{(\d+)\}\}", lambda m: str(variables.get(m.group(1), m.group(0))), template
            )
        to_channel, to_number = _split_address(to)
        if not _E164.match(to_number):
            return twilio_error(400, 21211, f"Invalid 'To' Phone Number: {to_number}")
        if from_:
            from_channel, _ = _split_address(from_)
            if from_channel != to_channel:
                return twilio_error(
                    400,
                    21910,
                    "Invalid From and To pair. From and To should be of the same channel",
                )
        if len(body) > MAX_BODY_CHARS:
            return twilio_error(
                400, 21617, "The concatenated message body exceeds the 1600 character limit."
            )
        with self._lock:
            refusal = self._refusals.get(to_number)
        if refusal is not None:
            status, message = _RECIPIENT_REFUSALS[refusal]
            return twilio_error(status, refusal, message)
        now = self.clock()
        with self._lock:
            last_inbound = self._last_inbound.get(to_number)
        # WhatsApp takes a free-form message only within 24 h of the user's last message;
        # Twilio accepts the request and the message fails afterwards with 63016.
        outside_window = (
            to_channel == "whatsapp"
            and content_sid is None
            and (last_inbound is None or now - last_inbound > timedelta(hours=24))
        )
        resource = self._resource(
            sid=new_sid("MM" if media_urls else "SM"),
            to=to,
            from_=from_ or None,
            body=body,
            num_media=len(media_urls),
            direction="outbound-api",
            status="accepted" if messaging_service_sid and not from_ else "queued",
            now=now,
            messaging_service_sid=messaging_service_sid,
        )
        answer = _json(resource, status=201)  # what the caller sees: accepted, queued
        callback = form.get("StatusCallback") or None
        if outside_window:
            resource = {
                **resource,
                "status": "failed",
                "error_code": 63016,
                "error_message": _RECIPIENT_REFUSALS[63016][1],
            }
        with self._lock:
            self._messages[resource["sid"]] = resource
            self._order.append(resource["sid"])
            self.sent_messages.append(
                {
                    "sid": resource["sid"],
                    "To": to,
                    "From": from_ or None,
                    "MessagingServiceSid": messaging_service_sid,
                    "Body": body,
                    "MediaUrl": media_urls,
                    "ContentSid": content_sid,
                    "ContentVariables": form.get("ContentVariables") or None,
                    "StatusCallback": callback,
                    "status": resource["status"],
                    "ErrorCode": resource["error_code"],
                }
            )
        if outside_window and callback:
            self._post_status_callback(callback, resource)
        return answer

    def _post_status_callback(self, url: str, resource: dict[str, Any]) -> None:
        """Twilio's status callback for a failed message, signed, from another thread (Twilio
        calls back after it answered the create request)."""
        params = {
            "MessageSid": resource["sid"],
            "SmsSid": resource["sid"],
            "MessageStatus": resource["status"],
            "SmsStatus": resource["status"],
            "ErrorCode": str(resource["error_code"]),
            "To": resource["to"],
            "From": resource["from"] or "",
            "AccountSid": self.account_sid,
            "ApiVersion": API_VERSION,
            "ChannelPrefix": "whatsapp",
        }
        signature = RequestValidator(self.auth_token).compute_signature(url, params)

        def post() -> None:
            time.sleep(self.status_callback_delay)  # WhatsApp refuses after Twilio answered
            try:
                answer = requests.post(
                    url, data=params, headers={"X-Twilio-Signature": signature}, timeout=30
                )
                status = answer.status_code
            except requests.RequestException as exc:
                status = type(exc).__name__
            with self._lock:
                self.status_callbacks.append({"url": url, "params": params, "answer": status})

        threading.Thread(target=post, daemon=True).start()

    def _resource(
        self,
        *,
        sid: str,
        to: str,
        from_: str | None,
        body: str,
        num_media: int,
        direction: str,
        status: str,
        now: datetime,
        messaging_service_sid: str | None,
    ) -> dict[str, Any]:
        uri = f"/{API_VERSION}/Accounts/{self.account_sid}/Messages/{sid}.json"
        return {
            "account_sid": self.account_sid,
            "api_version": API_VERSION,
            "body": body,
            "date_created": rfc2822(now),
            "date_sent": None,
            "date_updated": rfc2822(now),
            "direction": direction,
            "error_code": None,
            "error_message": None,
            "from": from_,
            "messaging_service_sid": messaging_service_sid,
            "num_media": str(num_media),
            "num_segments": "1",
            "price": None,
            "price_unit": "USD",
            "sid": sid,
            "status": status,
            "subresource_uris": {"media": uri.removesuffix(".json") + "/Media.json"},
            "to": to,
            "uri": uri,
        }

    def _list_messages(self, request: Request) -> Response:
        try:
            page_size = max(1, min(1000, int(request.args.get("PageSize", "50"))))
            page = max(0, int(request.args.get("Page", "0")))
        except ValueError:
            return twilio_error(400, 20001, "Invalid paging parameter")
        to_filter = request.args.get("To")
        from_filter = request.args.get("From")
        with self._lock:
            records = [self._messages[sid] for sid in reversed(self._order)]
        if to_filter:
            records = [r for r in records if r["to"] == to_filter]
        if from_filter:
            records = [r for r in records if r["from"] == from_filter]
        start = page * page_size
        chunk = records[start : start + page_size]
        path = f"/{API_VERSION}/Accounts/{self.account_sid}/Messages.json"

        def page_uri(number: int) -> str:
            query = {"PageSize": page_size, "Page": number}
            query.update({k: v for k, v in (("To", to_filter), ("From", from_filter)) if v})
            return f"{path}?{urlencode(query)}"

        has_next = start + page_size < len(records)
        return _json(
            {
                "messages": chunk,
                "end": start + max(len(chunk) - 1, 0),
                "first_page_uri": page_uri(0),
                "next_page_uri": page_uri(page + 1) if has_next else None,
                "page": page,
                "page_size": page_size,
                "previous_page_uri": page_uri(page - 1) if page > 0 else None,
                "start": start,
                "uri": page_uri(page),
            }
        )

    def _on_message(self, request: Request, account_sid: str, message_sid: str) -> Response:
        denied = self._authenticate(request, account_sid)
        if denied is not None:
            return denied
        fault = self._injected_fault("messages")
        if fault is not None:
            return fault
        with self._lock:
            resource = self._messages.get(message_sid)
        if resource is None:
            return twilio_error(404, 20404, f"The requested resource {request.path} was not found")
        return _json(resource)

    # -- Media --------------------------------------------------------------

    def _media_path(self, media: _Media) -> str:
        return (
            f"/{API_VERSION}/Accounts/{self.account_sid}/Messages/{media.message_sid}"
            f"/Media/{media.sid}"
        )

    def _find_media(self, message_sid: str, media_sid: str) -> _Media | None:
        with self._lock:
            media = self._media.get(media_sid)
        if media is None or media.message_sid != message_sid:
            return None
        return media

    def _on_media_json(
        self, request: Request, account_sid: str, message_sid: str, media_sid: str
    ) -> Response:
        denied = self._authenticate(request, account_sid)
        if denied is not None:
            return denied
        media = self._find_media(message_sid, media_sid)
        if media is None:
            return twilio_error(404, 20404, f"The requested resource {request.path} was not found")
        return _json(
            {
                "account_sid": self.account_sid,
                "content_type": media.content_type,
                "date_created": rfc2822(media.created),
                "date_updated": rfc2822(media.created),
                "parent_sid": media.message_sid,
                "sid": media.sid,
                "uri": self._media_path(media) + ".json",
            }
        )

    def _on_media(
        self, request: Request, account_sid: str, message_sid: str, media_sid: str
    ) -> Response:
        denied = self._authenticate(request, account_sid)
        if denied is not None:
            return denied
        fault = self._injected_fault("media")
        if fault is not None:
            return fault
        media = self._find_media(message_sid, media_sid)
        if media is None:
            return twilio_error(404, 20404, f"The requested resource {request.path} was not found")
        expires = int(time.time()) + self.media_url_ttl_seconds
        signature = self._cdn_signature(media.sid, expires)
        location = f"{self.cdn_base_url}/cdn/{media.sid}/{expires}/{signature}"
        response = Response(status=self.redirect_status)
        response.headers["Location"] = location
        return response

    def _cdn_signature(self, media_sid: str, expires: int) -> str:
        mac = hmac.new(self._cdn_secret, f"{media_sid}:{expires}".encode(), hashlib.sha256)
        return base64.urlsafe_b64encode(mac.digest()).decode().rstrip("=")

    def _on_cdn(self, request: Request, media_sid: str, expires: int, signature: str) -> Response:
        with self._lock:
            self.cdn_requests.append(
                {
                    "media_sid": media_sid,
                    "host": request.host,
                    "authorization": request.headers.get("Authorization"),
                }
            )
            media = self._media.get(media_sid)
        # Like a signed S3/CloudFront URL: a bad or expired signature is a 403 in XML.
        valid = hmac.compare_digest(signature, self._cdn_signature(media_sid, expires))
        if not valid or media is None or expires < time.time():
            return Response(
                "<?xml version='1.0' encoding='UTF-8'?><Error><Code>AccessDenied</Code>"
                "<Message>Request has expired or signature is invalid</Message></Error>",
                status=403,
                content_type="application/xml",
            )
        response = Response(media.content, status=200, content_type=media.content_type)
        response.headers["Cache-Control"] = "private, max-age=0"
        return response


class FakeTwilio:
    """The fake served on a loopback port. Use as a context manager or start()/stop().

    `base_url` is what the channel takes as `api_base_url`. Media redirects go to the same
    server under the host name `cdn_host` (default `localhost`), so that the CDN is a
    different host than the API (`127.0.0.1`), as with the real service.
    """

    def __init__(
        self,
        account_sid: str | None = None,
        auth_token: str | None = None,
        *,
        api_keys: Mapping[str, str] | None = None,
        redirect_status: int = 307,
        cdn_host: str = "localhost",
        media_url_ttl_seconds: int = 300,
    ) -> None:
        self.app = FakeTwilioApp(
            account_sid or new_sid("AC"),
            auth_token or secrets.token_hex(16),
            api_keys=api_keys,
            redirect_status=redirect_status,
            media_url_ttl_seconds=media_url_ttl_seconds,
        )
        self._server = ThreadedServer(self.app)
        port = self._server.base_url.rsplit(":", 1)[1]
        self.app.api_base_url = self._server.base_url
        self.app.cdn_base_url = f"http://{cdn_host}:{port}"

    # -- lifecycle ----------------------------------------------------------

    def start(self) -> FakeTwilio:
        self._server.start()
        return self

    def stop(self) -> None:
        self._server.stop()

    def __enter__(self) -> FakeTwilio:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- state --------------------------------------------------------------

    @property
    def base_url(self) -> str:
        return self._server.base_url

    @property
    def account_sid(self) -> str:
        return self.app.account_sid

    @property
    def auth_token(self) -> str:
        return self.app.auth_token

    @property
    def sent_messages(self) -> list[dict[str, Any]]:
        """Every message created through the API: To, From, Body, MediaUrl, sid, ..."""
        return self.app.sent_messages

    @property
    def cdn_requests(self) -> list[dict[str, Any]]:
        """Every request the CDN got, with the `authorization` header it carried (or None)."""
        return self.app.cdn_requests

    @property
    def requests_log(self) -> list[dict[str, Any]]:
        """Method, path and answered status of every request, in order."""
        return self.app.requests_log

    def fail_next(
        self, n: int, status: int, *, endpoint: str = "messages", retry_after: int | None = 1
    ) -> None:
        """Fail the next `n` requests to "messages" (list/create/fetch) or "media" downloads."""
        self.app.fail_next(n, status, endpoint=endpoint, retry_after=retry_after)

    def refuse_recipient(self, number: str, code: int = 21211) -> None:
        """Refuse messages to `number` with Twilio's `code` (21211, 21610, 21614, 63016)."""
        self.app.refuse_recipient(number, code)

    def add_template(self, body: str, *, content_sid: str | None = None) -> str:
        """Register an approved WhatsApp template ("You paid {{1}}..."); returns its ContentSid."""
        return self.app.add_template(body, content_sid=content_sid)

    def set_last_inbound(self, number: str, when: datetime) -> None:
        """Move the 24-hour window of `number`: its last incoming message was at `when`."""
        self.app.set_last_inbound(number, when)

    @property
    def delivered_messages(self) -> list[dict[str, Any]]:
        """The sent messages that did not fail (what the users' phones show)."""
        return [m for m in self.app.sent_messages if m["status"] != "failed"]

    def add_media(
        self, content: bytes, content_type: str, *, message_sid: str | None = None
    ) -> str:
        """Register media; return its URL (`.../Messages/MM.../Media/ME...`) on this fake."""
        return self.app.add_media(content, content_type, message_sid=message_sid)

    # -- incoming webhooks --------------------------------------------------

    def build_incoming_message(
        self,
        from_number: str,
        to_number: str,
        body: str = "",
        media: Iterable[tuple[bytes, str]] = (),
        *,
        profile_name: str = "Test User",
    ) -> dict[str, str]:
        """Form params of the webhook Twilio POSTs for an incoming WhatsApp message.

        Numbers may be given as E.164 ("+33612345678") or with the "whatsapp:" prefix.
        Each media item is registered on the fake and listed as MediaUrl{i}/MediaContentType{i}.
        """
        media = list(media)
        message_sid = new_sid("MM" if media else "SM")
        sender = _whatsapp_address(from_number)
        params: dict[str, str] = {
            "SmsMessageSid": message_sid,
            "NumMedia": str(len(media)),
            "ProfileName": profile_name,
            "MessageType": _message_type(media),
            "SmsSid": message_sid,
            "WaId": sender.removeprefix("whatsapp:+"),
            "SmsStatus": "received",
            "Body": body,
            "To": _whatsapp_address(to_number),
            "NumSegments": "1",
            "ReferralNumMedia": "0",
            "MessageSid": message_sid,
            "AccountSid": self.account_sid,
            "From": sender,
            "ApiVersion": API_VERSION,
        }
        for index, (content, content_type) in enumerate(media):
            params[f"MediaContentType{index}"] = content_type
            params[f"MediaUrl{index}"] = self.add_media(
                content, content_type, message_sid=message_sid
            )
        self.app.record_inbound(params)
        return params

    def signed_webhook(
        self, url: str, params: Mapping[str, str], auth_token: str | None = None
    ) -> tuple[dict[str, str], dict[str, str]]:
        """The form and headers of Twilio's POST of `params` to the public `url`.

        `X-Twilio-Signature` is computed by twilio's RequestValidator with this account's
        auth token (or `auth_token`, to sign like a different account would).
        """
        form = dict(params)
        validator = RequestValidator(auth_token if auth_token is not None else self.auth_token)
        headers = {
            "X-Twilio-Signature": validator.compute_signature(url, form),
            "Content-Type": "application/x-www-form-urlencoded",
            "I-Twilio-Idempotency-Token": str(uuid.uuid4()),
            "User-Agent": "TwilioProxy/1.1",
        }
        return form, headers


def _split_address(address: str) -> tuple[str, str]:
    """('whatsapp', '+336...') for 'whatsapp:+336...'; ('sms', number) without a prefix."""
    channel, sep, number = address.partition(":")
    if not sep:
        return "sms", address
    return channel, number


def _whatsapp_address(number: str) -> str:
    number = number.removeprefix("whatsapp:")
    if not _E164.match(number):
        raise ValueError(f"phone number must be E.164 like +33612345678, got {number!r}")
    return f"whatsapp:{number}"


def _message_type(media: list[tuple[bytes, str]]) -> str:
    if not media:
        return "text"
    major = media[0][1].split("/", 1)[0]
    return {"image": "image", "video": "video", "audio": "audio"}.get(major, "document")


def _json(payload: Any, status: int = 200) -> Response:
    return Response(json.dumps(payload), status=status, content_type="application/json")
