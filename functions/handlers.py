"""The two decorators every function uses: one for Pub/Sub jobs, one for HTTP handlers.

They do, once for all functions, what each function used to repeat:

- at cold start (the instance's first invocation): check the settings the function
  cannot run without (`needs`), so a missing variable fails with its name;
- bind the request's trace (`X-Cloud-Trace-Context` / `traceparent`) and the function's
  name to every log line written while it runs;
- `pubsub_job`: decode the Pub/Sub CloudEvent into a `Delivery` and decide acknowledge vs
  redeliver from the error class (shared/errors.py): a malformed message or any
  non-retryable `AppError` is logged and acknowledged (retrying cannot fix it); a
  `RetryLater` (or an unclassified exception) propagates, so Pub/Sub redelivers with its
  backoff and dead-letters after the subscription's attempts;
- `http_handler`: answer an `AppError` with its status and `{"error": {"code", "message"}}`,
  and anything else with 500 and a generic body (the details go to the log only).

    @pubsub_job("documents.received", needs=("twilio_auth_token",))
    def document_processor(delivery: Delivery) -> None:
        process_document(delivery.text("organization_id"), ...)
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import Any

import flask
import functions_framework

from shared.config import settings
from shared.errors import AppError, ConfigError, error_body, error_code, http_status
from shared.events.pubsub import Delivery, decode_pubsub_cloudevent
from shared.log import bind, get_logger, trace_fields

log = get_logger(__name__)

_checked: set[str] = set()
_checked_lock = threading.Lock()


def cold_start(name: str, needs: tuple[str, ...]) -> None:
    """Validate the settings once per instance and function (raises `ConfigError`)."""
    if name in _checked:
        return
    with _checked_lock:
        settings().require(*needs, needed_by=name)
        _checked.add(name)


def reset_for_tests() -> None:
    _checked.clear()


def _event_trace(cloud_event: Any) -> dict[str, Any]:
    headers: dict[str, str] = {}
    if flask.has_request_context():
        headers.update(flask.request.headers.items())
    if "traceparent" not in {k.lower() for k in headers}:
        try:
            parent = cloud_event["traceparent"]  # the CloudEvent distributed-tracing extension
        except (KeyError, TypeError, AttributeError):
            parent = None
        if parent:
            headers["traceparent"] = str(parent)
    return trace_fields(headers, _project())


def _project() -> str:
    try:
        return settings().project
    except ConfigError:  # reported by cold_start, inside the error handling
        return "unknown"


def settle(exc: Exception, where: str, **fields: Any) -> None:
    """Acknowledge vs redeliver for a Pub/Sub delivery: return to acknowledge, raise to retry."""
    if isinstance(exc, AppError) and not exc.retryable:
        log.error(f"{where}: {error_code(exc)}, acknowledged", error=str(exc), **fields)
        return
    if isinstance(exc, AppError):
        log.warning(f"{where}: {error_code(exc)}, redelivery asked", error=str(exc), **fields)
    else:
        log.exception(f"{where}: unexpected failure, redelivery asked", **fields)
    raise exc


def event_job(
    trigger: str,
    *,
    needs: tuple[str, ...] = (),
    decode: Callable[[Any], Any] | None = None,
) -> Callable[[Callable[[Any], None]], Callable[[Any], None]]:
    """Make `job(event)` a CloudEvent function (Storage, Eventarc...): `job` receives the
    CloudEvent itself, or what `decode` makes of it; errors are settled as for `pubsub_job`."""

    def decorate(job: Callable[[Any], None]) -> Callable[[Any], None]:
        @functools.wraps(job)
        def entry(cloud_event: Any) -> None:
            with bind(function=job.__name__, trigger=trigger, **_event_trace(cloud_event)):
                try:
                    cold_start(job.__name__, needs)
                    event = decode(cloud_event) if decode else cloud_event
                except Exception as exc:
                    settle(exc, trigger)
                    return
                with bind(message_id=getattr(event, "message_id", None)):
                    try:
                        job(event)
                    except Exception as exc:
                        settle(exc, trigger)

        return functions_framework.cloud_event(entry)

    return decorate


def pubsub_job(
    topic: str, *, needs: tuple[str, ...] = ()
) -> Callable[[Callable[[Delivery], None]], Callable[[Any], None]]:
    """Make `job(delivery)` a Pub/Sub CloudEvent function of `topic` (see module docstring)."""
    return event_job(topic, needs=needs, decode=decode_pubsub_cloudevent)


ResponseLike = flask.Response | tuple[Any, int] | dict[str, Any]


def error_response(exc: Exception) -> tuple[flask.Response, int]:
    """The HTTP answer of an error: its status and `{"error": {"code", "message"}}`."""
    status = http_status(exc)
    if status >= 500:
        log.error("request failed", error=str(exc), code=error_code(exc), exc_info=exc)
    else:
        log.warning("request refused", error=str(exc), code=error_code(exc), status=status)
    return flask.jsonify(error_body(exc)), status


def http_handler(
    *, needs: tuple[str, ...] = ()
) -> Callable[[Callable[[flask.Request], Any]], Callable[[flask.Request], Any]]:
    """Make `handler(request)` an HTTP function whose errors become JSON answers."""

    def decorate(handler: Callable[[flask.Request], Any]) -> Callable[[flask.Request], Any]:
        @functools.wraps(handler)
        def entry(request: flask.Request) -> Any:
            trace = trace_fields(dict(request.headers.items()), _project())
            with bind(function=handler.__name__, **trace):
                try:
                    cold_start(handler.__name__, needs)
                    return handler(request)
                except Exception as exc:
                    return error_response(exc)

        return functions_framework.http(entry)

    return decorate
