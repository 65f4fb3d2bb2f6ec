"""EBICS routes: connection requests and onboarding (configuration letter, certificates,
bank key hashes, going live), disconnect, the choice after a plan downgrade, payment
request listing and approval. The rules live in `shared/usecases/ebics.py`; roles for
setup are checked by the router first and again by the use case."""

from __future__ import annotations

from typing import Any

import flask

from functions.api.auth import ANY_MEMBER, member
from functions.api.errors import InvalidRequest, NotFound
from functions.api.router import Call, RouteTable
from functions.ebics import ebics_deps
from shared.formats.ebics_certificates import CertificatesRefused
from shared.formats.ebics_letters import Letter, to_pdf
from shared.store.ebics import EbicsConnection, PaymentRequest, RequestStatus
from shared.usecases import ebics as usecase
from shared.usecases.ebics import SETUP_ROLES, money_text

table = RouteTable()
SETUP = member(*SETUP_ROLES)


def connection_json(connection: EbicsConnection) -> dict[str, Any]:
    return {
        "id": connection.id,
        "organization_id": connection.organization_id,
        "status": connection.status.value,
        "status_reason": connection.status_reason,
        "ebics_version": connection.ebics_version,
        "formats": list(connection.formats),
        "bucket_prefix": connection.bucket_prefix,
        "connected_at": connection.connected_at.isoformat() if connection.connected_at else None,
        "live": connection.live,
        "onboarding": connection.onboarding.to_json() if connection.onboarding else None,
    }


def request_json(request: PaymentRequest) -> dict[str, Any]:
    answer: dict[str, Any] = {
        "id": request.id,
        "status": request.status.value,
        "kind": request.kind,
        "connection_id": request.connection_id,
        "message_id": request.message_id,
        "payment_info_id": request.payment_info_id,
        "debtor_name": request.debtor_name,
        "debtor_iban": request.debtor_iban,
        "requested_execution_date": request.requested_execution_date.isoformat(),
        "total": money_text(request.total_minor, request.currency),
        "currency": request.currency,
        "payment_count": request.payment_count,
        "decided_by": request.decided_by,
        "decision_reason": request.decision_reason,
    }
    if request.payments:
        answer["payments"] = [
            {
                "end_to_end_id": p.end_to_end_id,
                "amount": money_text(p.amount_minor, p.currency),
                "currency": p.currency,
                "creditor_name": p.creditor_name,
                "creditor_iban": p.creditor_iban,
                "creditor_bic": p.creditor_bic,
                "remittance": p.remittance,
                "as_received": dict(p.as_received),
            }
            for p in request.payments
        ]
    return answer


@table.route("POST", "/organizations/{org}/ebics/connections", SETUP)
def setup(call: Call) -> tuple[Any, int]:
    """Set up an EBICS connection."""
    body = call.body()
    formats = body.get("formats") or []
    if not isinstance(formats, list):
        raise InvalidRequest("formats must be a list")
    connection_id = body.get("connection_id")
    if connection_id is not None and not isinstance(connection_id, str):
        raise InvalidRequest("connection_id must be a string")
    connection = usecase.setup_connection(
        ebics_deps(),
        call.org,
        call.member.user_id,
        str(body.get("ebics_version", "")),
        [str(f) for f in formats],
        connection_id,
    )
    return connection_json(connection), 201


@table.route("GET", "/organizations/{org}/ebics/connections", ANY_MEMBER)
def connections(call: Call) -> tuple[Any, int]:
    """List the company's EBICS connections."""
    found = ebics_deps().ebics.list_connections(call.org)
    return {"connections": [connection_json(c) for c in found]}, 200


@table.route("POST", "/organizations/{org}/ebics/connections/{connection_id}/disconnect", SETUP)
def disconnect(call: Call) -> tuple[Any, int]:
    """Disconnect an EBICS connection (idempotent)."""
    connection = usecase.disconnect(
        ebics_deps(), call.org, call.params["connection_id"], call.member.user_id
    )
    return connection_json(connection), 200


@table.route("GET", "/organizations/{org}/payment-requests", ANY_MEMBER)
def requests(call: Call) -> tuple[Any, int]:
    """List payment requests, optionally by status."""
    raw_status = call.query("status")
    try:
        status = RequestStatus(raw_status) if raw_status else None
    except ValueError:
        raise InvalidRequest(f"status {raw_status!r} is unknown") from None
    found = ebics_deps().ebics.list_payment_requests(call.org, status)
    return {"payment_requests": [request_json(r) for r in found]}, 200


@table.route("GET", "/organizations/{org}/payment-requests/{request_id}", ANY_MEMBER)
def payment_request(call: Call) -> tuple[Any, int]:
    """One payment request with its payments."""
    found = ebics_deps().ebics.get_payment_request(
        call.org, call.params["request_id"], with_payments=True
    )
    if found is None:
        raise NotFound(f"payment request {call.params['request_id']} not found")
    return request_json(found), 200


def _decide(call: Call, decision: str) -> tuple[Any, int]:
    reason = ""
    if decision == "reject":
        raw = call.body().get("reason", "")
        if not isinstance(raw, str):
            raise InvalidRequest("reason must be a string")
        reason = raw
    decided = usecase.decide_payment_request(
        ebics_deps(), call.org, call.params["request_id"], call.member.user_id, decision, reason
    )
    return request_json(decided), 200


@table.route("POST", "/organizations/{org}/payment-requests/{request_id}/approve", ANY_MEMBER)
def approve(call: Call) -> tuple[Any, int]:
    """Approve a payment request (Owner, Admin, Accountant, or a Manager who may transfer)."""
    return _decide(call, "approve")


@table.route("POST", "/organizations/{org}/payment-requests/{request_id}/reject", ANY_MEMBER)
def reject(call: Call) -> tuple[Any, int]:
    """Reject a payment request, with an optional reason."""
    return _decide(call, "reject")


# ----------------------------------------------------------------------------- onboarding

CONNECTION = "/organizations/{org}/ebics/connections/{connection_id}"


def _letter_answer(call: Call, letter: Letter, name: str) -> Any:
    """JSON by default; `?format=pdf` gives the same letter as a PDF."""
    wanted = call.query("format") or "json"
    if wanted == "pdf":
        response = flask.make_response(to_pdf(letter), 200)
        response.headers["Content-Type"] = "application/pdf"
        response.headers["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
        return response
    if wanted != "json":
        raise InvalidRequest("format must be json or pdf")
    return letter.to_json(), 200


@table.route("GET", CONNECTION, ANY_MEMBER)
def connection(call: Call) -> tuple[Any, int]:
    """One EBICS connection with its onboarding state."""
    found = ebics_deps().ebics.get_connection(call.org, call.params["connection_id"])
    if found is None:
        raise NotFound(f"EBICS connection {call.params['connection_id']} not found")
    return connection_json(found), 200


@table.route("GET", CONNECTION + "/configuration-letter", SETUP)
def configuration_letter(call: Call) -> Any:
    """The configuration letter (host id, partner id, user id, URL), JSON or PDF."""
    connection_id = call.params["connection_id"]
    letter = usecase.configuration_letter(ebics_deps(), call.org, connection_id)
    return _letter_answer(call, letter, f"ebics-configuration-{connection_id}")


@table.route("POST", CONNECTION + "/certificates", SETUP)
def certificates(call: Call) -> tuple[Any, int]:
    """Upload the three certificates; answered with the bank's key hashes, or refused with
    every reason."""
    body = call.body()
    uploads = body.get("certificates")
    versions = body.get("versions") or {}
    if not isinstance(uploads, dict) or not isinstance(versions, dict):
        raise InvalidRequest(
            "certificates must be an object of PEM texts by role (authentication, "
            "encryption, signature); versions an object by role"
        )
    try:
        accepted, letter = usecase.upload_certificates(
            ebics_deps(),
            call.org,
            call.params["connection_id"],
            call.member.user_id,
            uploads,
            versions,
        )
    except CertificatesRefused as refused:
        # The error shape of every answer, with each reason by role for the client.
        return {
            "error": {
                "code": refused.code,
                "message": str(refused),
                "refusals": [r.to_json() for r in refused.refusals],
            }
        }, 422
    return {"connection": connection_json(accepted), "bank_keys": letter.to_json()}, 200


@table.route("GET", CONNECTION + "/bank-keys-letter", SETUP)
def bank_keys_letter(call: Call) -> Any:
    """The bank's key hashes, as the INI letters print them (JSON or PDF)."""
    connection_id = call.params["connection_id"]
    letter = usecase.bank_keys_letter(ebics_deps(), call.org, connection_id)
    return _letter_answer(call, letter, f"ebics-bank-keys-{connection_id}")


@table.route("POST", CONNECTION + "/activate", SETUP)
def activate(call: Call) -> tuple[Any, int]:
    """Go live: the customer confirms the bank key hashes their EBICS client shows."""
    live = usecase.confirm_bank_keys(
        ebics_deps(),
        call.org,
        call.params["connection_id"],
        call.member.user_id,
        call.body().get("bank_key_hashes"),
    )
    return connection_json(live), 200


@table.route("GET", "/organizations/{org}/ebics/plan-choice", ANY_MEMBER)
def plan_choice(call: Call) -> tuple[Any, int]:
    """The choice a plan downgrade left: which connections to keep (404 when none)."""
    choice = ebics_deps().ebics.get_plan_choice(call.org)
    if choice is None:
        raise NotFound("no EBICS connection choice is pending")
    return {
        "plan": choice.plan,
        "allowed": choice.allowed,
        "connection_ids": list(choice.connection_ids),
        "since": choice.since.isoformat(),
    }, 200


@table.route("POST", "/organizations/{org}/ebics/plan-choice", SETUP)
def choose(call: Call) -> tuple[Any, int]:
    """Keep the connections named in `keep`; the others are disconnected."""
    removed = usecase.choose_connections(
        ebics_deps(), call.org, call.member.user_id, call.body().get("keep")
    )
    return {"disconnected": removed}, 200
