"""The API's errors: each has an HTTP status and a stable `code` that clients can rely on.

Answer shape, on every error (as every HTTP function of the project, shared/errors.py):
`{"error": {"code": "<stable code>", "message": "<human message>"}}`.
Codes are part of the contract (listed in openapi.yaml, `components/schemas/Error`); the
message is for people and may change.

Use-case exceptions are mapped to these in one table (`EXCEPTION_MAP`), so a handler
never builds an error answer itself.
"""

from __future__ import annotations

from shared.store.ebics import AlreadyDecided, PlanLimitReached
from shared.store.token_vault import VaultError
from shared.usecases import connections as connections_usecase
from shared.usecases import documents as documents_usecase
from shared.usecases import ebics as ebics_usecase


class ApiError(Exception):
    status = 400
    code = "invalid_request"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code


class InvalidRequest(ApiError):
    status, code = 400, "invalid_request"


class InvalidId(ApiError):
    status, code = 400, "invalid_id"


class Unauthenticated(ApiError):
    status, code = 401, "unauthenticated"


class Forbidden(ApiError):
    status, code = 403, "forbidden"


class NotFound(ApiError):
    status, code = 404, "not_found"


class MethodNotAllowed(ApiError):
    status, code = 405, "method_not_allowed"


class Conflict(ApiError):
    status, code = 409, "conflict"


class PayloadTooLarge(ApiError):
    status, code = 413, "payload_too_large"


class Unprocessable(ApiError):
    status, code = 422, "rule_refused"


# Exceptions raised by use cases -> (status, code). Subclasses are looked up by MRO.
EXCEPTION_MAP: dict[type[BaseException], tuple[int, str]] = {
    ebics_usecase.InvalidRequest: (400, "invalid_request"),
    ebics_usecase.NotAllowed: (403, "forbidden"),
    ebics_usecase.NotFound: (404, "not_found"),
    PlanLimitReached: (409, "plan_limit_reached"),
    AlreadyDecided: (409, "already_decided"),
    ebics_usecase.RuleRefused: (422, "rule_refused"),
    ebics_usecase.OnboardingStepRefused: (409, "onboarding_step_refused"),
    ebics_usecase.CertificatesRefused: (422, "certificates_refused"),
    connections_usecase.InvalidRequest: (400, "invalid_request"),
    connections_usecase.CallbackRefused: (400, "callback_refused"),
    connections_usecase.NotAllowed: (403, "forbidden"),
    connections_usecase.NotFound: (404, "not_found"),
    connections_usecase.AlreadyConnected: (409, "already_connected"),
    connections_usecase.ReconnectNeeded: (409, "reconnect_needed"),
    connections_usecase.ProviderUnavailable: (503, "provider_unavailable"),
    VaultError: (503, "credentials_unavailable"),
    documents_usecase.InvalidRequest: (400, "invalid_request"),
    documents_usecase.NotAllowed: (403, "forbidden"),
    documents_usecase.NotFound: (404, "not_found"),
    documents_usecase.Conflict: (409, "conflict"),
    documents_usecase.TooLarge: (413, "payload_too_large"),
    documents_usecase.Refused: (422, "document_refused"),
}

CODES = (
    "invalid_request",
    "invalid_id",
    "unauthenticated",
    "forbidden",
    "not_found",
    "method_not_allowed",
    "conflict",
    "plan_limit_reached",
    "already_decided",
    "payload_too_large",
    "rule_refused",
    "reconnect_needed",
    "callback_refused",
    "already_connected",
    "provider_unavailable",
    "credentials_unavailable",
    "document_refused",
    "onboarding_step_refused",
    "certificates_refused",
    "internal",
)


def mapped(exc: BaseException) -> tuple[int, str] | None:
    if isinstance(exc, ApiError):
        return exc.status, exc.code
    for klass in type(exc).__mro__:
        if klass in EXCEPTION_MAP:
            return EXCEPTION_MAP[klass]
    return None
