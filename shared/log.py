"""Structured JSON logs that Cloud Logging understands.

One handler on the root logger writes one JSON object per line to stderr, so every logger
(`shared`, `functions`, a library's) is structured the same way:

- `severity` and `message`, which Cloud Logging reads as the entry's level and summary;
- the fields: `log.info("...", document_id=...)` through `get_logger`, or the standard
  `logging.getLogger(__name__).info("...", extra={"document_id": ...})`;
- the fields bound for the current request or delivery (`bind(...)`), among them
  `logging.googleapis.com/trace` taken from the `X-Cloud-Trace-Context` or `traceparent`
  header, so the console groups a request's lines under its trace.

Secrets never reach the output: a field whose key looks like a secret is redacted, and
secret VALUES are scrubbed wherever they appear (message, fields, exception text): the
values registered with `register_secret` (Settings registers every secret it reads, the
destination factory every token it is handed) and anything shaped like a bearer token,
a Google or Dropbox OAuth token, a credential in a URL query or a PEM private key.
"""

from __future__ import annotations

import contextlib
import contextvars
import json
import logging
import re
import sys
import threading
from collections.abc import Iterator, Mapping
from types import MappingProxyType
from typing import Any

REDACTED = "[redacted]"
TRACE_KEY = "logging.googleapis.com/trace"
SPAN_KEY = "logging.googleapis.com/spanId"
SAMPLED_KEY = "logging.googleapis.com/trace_sampled"

_SECRET_KEYS = (
    "token",
    "secret",
    "password",
    "authorization",
    "signature",
    "api_key",
    "apikey",
    "private_key",
    "credential",
)
# Shapes of secrets, scrubbed even when nobody registered the value: (pattern, replacement).
_SECRET_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}"), rf"\1 {REDACTED}"),
    (
        re.compile(
            r"(?i)\b(access_token|refresh_token|id_token|client_secret|app_secret|password"
            r"|auth_token|token|code)=[^&\s\"']+"
        ),
        rf"\1={REDACTED}",
    ),
    (re.compile(r"\bya29\.[A-Za-z0-9._-]{10,}"), REDACTED),  # Google OAuth access token
    (re.compile(r"\b1//[A-Za-z0-9._-]{20,}"), REDACTED),  # Google OAuth refresh token
    (re.compile(r"\bsl\.[A-Za-z0-9._-]{20,}"), REDACTED),  # Dropbox short-lived token
    (
        re.compile(
            r"-----BEGIN [A-Z ]*PRIVATE KEY-----.*?(-----END [A-Z ]*PRIVATE KEY-----|$)", re.S
        ),
        REDACTED,
    ),
]
# A registered value shorter than this is not scrubbed (it would blank ordinary words).
_MIN_SECRET_CHARS = 8

_secrets: set[str] = set()
_secrets_lock = threading.Lock()
_secret_re: re.Pattern[str] | None = None

# LogRecord attributes that are not `extra=` fields.
_RECORD_ATTRS = frozenset(
    vars(logging.LogRecord("", 0, "", 0, "", None, None)).keys()
    | {"message", "asctime", "fields", "taskName"}
)

_context: contextvars.ContextVar[Mapping[str, Any]] = contextvars.ContextVar(
    "log_context", default=MappingProxyType({})
)


# ------------------------------------------------------------------------------ secrets


def register_secret(value: str | None) -> None:
    """Scrub `value` from every log line from now on (values under 8 characters are kept)."""
    global _secret_re
    if not value or len(value) < _MIN_SECRET_CHARS:
        return
    with _secrets_lock:
        if value in _secrets:
            return
        _secrets.add(value)
        ordered = sorted(_secrets, key=len, reverse=True)
        _secret_re = re.compile("|".join(re.escape(v) for v in ordered))


def _is_secret_key(key: str) -> bool:
    lowered = key.lower()
    return any(s in lowered for s in _SECRET_KEYS)


def scrub_text(text: str) -> str:
    """`text` with registered secret values and secret-shaped substrings replaced."""
    pattern = _secret_re
    if pattern is not None:
        text = pattern.sub(REDACTED, text)
    for shape, replacement in _SECRET_PATTERNS:
        text = shape.sub(replacement, text)
    return text


def scrub(value: Any, key: str = "") -> Any:
    """A copy of `value` safe to log: secret keys redacted, secret values scrubbed."""
    if key and not key.startswith("logging.googleapis.com/") and _is_secret_key(key):
        return REDACTED
    if isinstance(value, str):
        return scrub_text(value)
    if isinstance(value, Mapping):
        return {str(k): scrub(v, str(k)) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [scrub(v) for v in value]
    if isinstance(value, bool | int | float) or value is None:
        return value
    return scrub_text(str(value))


# ------------------------------------------------------------------------------ context


def trace_fields(headers: Mapping[str, str] | None, project: str) -> dict[str, Any]:
    """Cloud Logging trace fields from `X-Cloud-Trace-Context` or W3C `traceparent`.

    >>> trace_fields({"traceparent": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"},
    ...              "p")["logging.googleapis.com/trace"]
    'projects/p/traces/4bf92f3577b34da6a3ce929d0e0e4736'
    >>> trace_fields({"X-Cloud-Trace-Context": "105445aa7843bc8bf206b12000100000/1;o=1"}, "p")
    ... # doctest: +NORMALIZE_WHITESPACE
    {'logging.googleapis.com/trace': 'projects/p/traces/105445aa7843bc8bf206b12000100000',
     'logging.googleapis.com/spanId': '1', 'logging.googleapis.com/trace_sampled': True}
    """
    if not headers:
        return {}
    lowered = {str(k).lower(): str(v) for k, v in headers.items()}
    trace_id = span_id = None
    sampled = None
    parent = lowered.get("traceparent", "")
    match = re.fullmatch(r"[0-9a-f]{2}-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})", parent.strip())
    if match and set(match.group(1)) != {"0"}:
        trace_id, span_id = match.group(1), match.group(2)
        sampled = bool(int(match.group(3), 16) & 1)
    else:
        cloud = lowered.get("x-cloud-trace-context", "")
        match = re.fullmatch(r"([0-9a-fA-F]{32})(?:/([0-9]+))?(?:;o=([01]))?", cloud.strip())
        if match:
            trace_id, span_id = match.group(1).lower(), match.group(2)
            sampled = match.group(3) == "1" if match.group(3) is not None else None
    if not trace_id:
        return {}
    fields: dict[str, Any] = {TRACE_KEY: f"projects/{project}/traces/{trace_id}"}
    if span_id:
        fields[SPAN_KEY] = span_id
    if sampled is not None:
        fields[SAMPLED_KEY] = sampled
    return fields


@contextlib.contextmanager
def bind(**fields: Any) -> Iterator[None]:
    """Add `fields` to every line logged in this context (this request, this delivery)."""
    added = {k: v for k, v in fields.items() if v is not None}
    token = _context.set(MappingProxyType({**_context.get(), **added}))
    try:
        yield
    finally:
        _context.reset(token)


def bound_fields() -> dict[str, Any]:
    return dict(_context.get())


# ------------------------------------------------------------------------------ output


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {"severity": record.levelname, "message": record.getMessage()}
        entry["logger"] = record.name
        entry.update(_context.get())
        entry.update(getattr(record, "fields", None) or {})
        for key, value in vars(record).items():
            if key not in _RECORD_ATTRS and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(scrub(entry), default=str, ensure_ascii=False)


class _JsonHandler(logging.StreamHandler):
    """Marker class: `configure` installs exactly one."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)
        self.setFormatter(JsonFormatter())

    @property
    def stream(self) -> Any:  # always the current stderr (tests and runners swap it)
        return sys.stderr

    @stream.setter
    def stream(self, value: Any) -> None:
        pass


_configure_lock = threading.Lock()


def configure(level: int = logging.INFO) -> None:
    """Install the JSON handler on the root logger once per process (idempotent)."""
    root = logging.getLogger()
    with _configure_lock:
        if not any(isinstance(h, _JsonHandler) for h in root.handlers):
            root.addHandler(_JsonHandler())
        if root.level == logging.NOTSET or root.level > level:
            root.setLevel(level)


def get_logger(name: str) -> FieldsLogger:
    """A logger whose keyword arguments become fields: `log.info("sent", message_sid=sid)`."""
    configure()
    return FieldsLogger(logging.getLogger(name), {})


class FieldsLogger(logging.LoggerAdapter):
    """`log.info(message, **fields)`; `exc_info`, `stack_info`, `extra` keep their meaning."""

    def debug(self, msg: object, *args: object, **fields: Any) -> None:
        self.log(logging.DEBUG, msg, *args, **fields)

    def info(self, msg: object, *args: object, **fields: Any) -> None:
        self.log(logging.INFO, msg, *args, **fields)

    def warning(self, msg: object, *args: object, **fields: Any) -> None:
        self.log(logging.WARNING, msg, *args, **fields)

    def error(self, msg: object, *args: object, **fields: Any) -> None:
        self.log(logging.ERROR, msg, *args, **fields)

    def exception(self, msg: object, *args: object, **fields: Any) -> None:
        fields.setdefault("exc_info", True)
        self.log(logging.ERROR, msg, *args, **fields)

    def log(self, level: int, msg: object, *args: object, **fields: Any) -> None:
        if self.isEnabledFor(level):
            msg, kwargs = self.process(msg, fields)
            self.logger.log(level, msg, *args, stacklevel=kwargs.pop("stacklevel", 1) + 2, **kwargs)

    def process(self, msg: Any, kwargs: Any) -> tuple[Any, Any]:
        passthrough = ("exc_info", "stack_info", "stacklevel", "extra")
        fields = {k: kwargs.pop(k) for k in list(kwargs) if k not in passthrough}
        extra = dict(kwargs.pop("extra", None) or {})
        extra["fields"] = {**extra.pop("fields", {}), **fields}
        kwargs["extra"] = extra
        return msg, kwargs
