"""EBICS routes (moved from functions/ebics.py as they were): connection setup and
disconnect, payment request listing and approval. The rules live in
`shared/usecases/ebics.py`; roles for setup are checked by the router first and again by
the use case."""

from __future__ import annotations

from typing import Any

from functions.api.auth import ANY_MEMBER, member
from functions.api.errors import InvalidRequest, NotFound
from functions.api.router import Call, RouteTable
from functions.ebics import ebics_deps
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
