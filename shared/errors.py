"""The one error hierarchy of the project.

Every error a caller can act on derives from `AppError` through one of the categories
below. The category decides, in one place, what a function does with it:

| category       | `code`              | HTTP | Pub/Sub job                          |
|----------------|---------------------|------|--------------------------------------|
| Invalid        | `invalid_request`   | 400  | acknowledge (retrying cannot help)   |
| Forbidden      | `forbidden`         | 403  | acknowledge                          |
| NotFound       | `not_found`         | 404  | acknowledge                          |
| Conflict       | `conflict`          | 409  | acknowledge                          |
| NeedsReconnect | `reconnect_needed`  | 409  | acknowledge (the status is recorded) |
| TooLarge       | `payload_too_large` | 413  | acknowledge                          |
| Refused        | `rule_refused`      | 422  | acknowledge                          |
| StorageFull    | `storage_full`      | 507  | acknowledge (the status is recorded) |
| RetryLater     | `retry_later`       | 503  | redeliver (raise to Pub/Sub)         |
| ConfigError    | `misconfigured`     | 500  | redeliver (ops fix the deployment)   |

An exception that is not an `AppError` is a bug or an unclassified infrastructure
failure: HTTP answers 500 with a generic body, a Pub/Sub job lets Pub/Sub redeliver
(and, after the subscription's attempts, dead-letter) the message.

`code` is stable for machines (clients switch on it); the message is for people. A
subclass may refine `code` (e.g. `RefusedFile` carries the refusal's own code). Older
classes keep their names, and `Invalid` is a `ValueError`, `NotFound` a `LookupError`,
so existing `except ValueError` / `except LookupError` clauses keep working.

This module imports nothing: the pure layers (domain, extraction, matching, formats)
use it too.

>>> issubclass(RetryLater, AppError), RetryLater.retryable, NotFound.http_status
(True, True, 404)
>>> error_body(NotFound("payment request r1 not found"))
{'error': {'code': 'not_found', 'message': 'payment request r1 not found'}}
"""

from __future__ import annotations

from typing import Any, ClassVar


class AppError(Exception):
    """Base of every error the application raises on purpose."""

    code: str = "error"  # a subclass or an instance may refine it
    http_status: ClassVar[int] = 500
    # True: the same input may succeed later (a Pub/Sub job asks for redelivery).
    retryable: ClassVar[bool] = False


class Invalid(AppError, ValueError):
    """The input is malformed: a field is missing, of the wrong type or out of range."""

    code = "invalid_request"
    http_status = 400


class Forbidden(AppError):
    """The caller may not do this (role, permission, not a member, bad signature)."""

    code = "forbidden"
    http_status = 403


class NotFound(AppError, LookupError):
    """The addressed record does not exist (or not for this tenant)."""

    code = "not_found"
    http_status = 404


class Conflict(AppError):
    """The request contradicts the record's current state (already decided, attached...)."""

    code = "conflict"
    http_status = 409


class NeedsReconnect(AppError):
    """A stored credential was revoked or expired for good: a person must reconnect."""

    code = "reconnect_needed"
    http_status = 409


class TooLarge(AppError):
    """The input exceeds a documented size limit."""

    code = "payload_too_large"
    http_status = 413


class Refused(AppError):
    """Well-formed, but a product or format rule refuses it; the message says which."""

    code = "rule_refused"
    http_status = 422


class StorageFull(AppError):
    """The destination's storage quota is exhausted."""

    code = "storage_full"
    http_status = 507


class RetryLater(AppError):
    """A transient failure (rate limit, 5xx, a lease held by another run): try again later."""

    code = "retry_later"
    http_status = 503
    retryable = True


class ConfigError(AppError):
    """The deployment's configuration is missing or malformed; the message names the setting."""

    code = "misconfigured"
    http_status = 500
    retryable = True


def error_code(exc: BaseException) -> str:
    """The stable machine code of `exc` (`internal` for an unclassified exception)."""
    if isinstance(exc, AppError):
        code = getattr(exc, "code", None)
        return code if isinstance(code, str) and code else type(exc).code
    return "internal"


def http_status(exc: BaseException) -> int:
    return exc.http_status if isinstance(exc, AppError) else 500


def error_body(exc: BaseException) -> dict[str, Any]:
    """The JSON body of an HTTP error answer: `{"error": {"code", "message"}}`.

    An unclassified exception gets a generic message: its text may carry internals.
    """
    message = str(exc) if isinstance(exc, AppError) else "internal error"
    return {"error": {"code": error_code(exc), "message": message}}


__all__ = [
    "AppError",
    "ConfigError",
    "Conflict",
    "Forbidden",
    "Invalid",
    "NeedsReconnect",
    "NotFound",
    "Refused",
    "RetryLater",
    "StorageFull",
    "TooLarge",
    "error_body",
    "error_code",
    "http_status",
]
