"""Functions of the EBICS file drop (issue 7); the rules live in `shared/usecases/ebics.py`.

- `ebics_statements` (Pub/Sub topic `ebics.statements`, published daily by Cloud Scheduler):
  writes the statements of the previous business day, or of `{"date": "YYYY-MM-DD"}` when
  the message carries one (ops re-running a day).
- `ebics_inbox` (Eventarc `google.cloud.storage.object.v1.finalized` on the drop bucket):
  a pain.001 dropped in a connection's `inbox/` becomes payment requests awaiting approval,
  and a pain.002 status report goes to its `outbox/reports/`.
- `integrations_api` (HTTP): connection setup and disconnect, plan changes, payment
  request listing and approval.

Authentication of `integrations_api`. The function is private: its only `run.invoker` is
the bank app backend's service account (infra/ebics.tf), so Cloud Run rejects any request
without that account's Google-signed ID token before our code runs. The backend has
authenticated the end user; it asserts who acts with the `X-Acting-Member-Id` header (a
user id of `organizations/{org}/members`). This function trusts that assertion, because
only the backend can call it, and authorizes from the member's role stored in Firestore:
Owner/Admin/Accountant manage connections; those and a Manager with `can_transfer`
approve or reject payments. Plan changes come from the backend's billing and carry no
member.

Routes (JSON bodies and answers; errors are `{"error": message}` with 400, 403, 404, 409
or 422):

    POST /organizations/{org}/ebics/connections            {ebics_version, formats, connection_id?}
    GET  /organizations/{org}/ebics/connections
    POST /organizations/{org}/ebics/connections/{id}/disconnect
    PUT  /organizations/{org}/plan                          {plan}
    GET  /organizations/{org}/payment-requests[?status=pending_approval]
    GET  /organizations/{org}/payment-requests/{id}         (with its payments)
    POST /organizations/{org}/payment-requests/{id}/approve
    POST /organizations/{org}/payment-requests/{id}/reject  {reason?}
"""

from __future__ import annotations

import os
from datetime import date
from functools import lru_cache
from typing import Any

import flask
import functions_framework
from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map, Rule

from shared import runtime
from shared.config import settings
from shared.domain.entities import Plan
from shared.events.pubsub import BadEvent, decode_pubsub_cloudevent
from shared.log import get_logger
from shared.store.blobs import storage_client
from shared.store.ebics import (
    DropBucket,
    EbicsConnection,
    EbicsStore,
    PaymentRequest,
    RequestStatus,
)
from shared.usecases import ebics as usecase
from shared.usecases.ebics import (
    AlreadyDecided,
    EbicsDeps,
    InvalidRequest,
    NotAllowed,
    NotFound,
    PlanLimitReached,
    RuleRefused,
    money_text,
)

log = get_logger(__name__)

ACTING_MEMBER_HEADER = "X-Acting-Member-Id"


@lru_cache(maxsize=1)
def ebics_deps() -> EbicsDeps:
    """Built once per instance (clients are reused across invocations)."""
    project = settings().project
    bucket = os.environ.get("EBICS_DROP_BUCKET", f"{project}-ebics-drop")
    store = runtime.store()
    return EbicsDeps(
        store=store,
        ebics=EbicsStore(store.db),
        drop=DropBucket(storage_client(project), bucket),
    )


# ----------------------------------------------------------------------------- events


@functions_framework.cloud_event
def ebics_statements(cloud_event) -> None:
    try:
        delivery = decode_pubsub_cloudevent(cloud_event)
        raw = delivery.payload.get("date")
        day = date.fromisoformat(raw) if raw else None
    except (BadEvent, TypeError, ValueError) as exc:
        # Retrying cannot fix a malformed message: log it and acknowledge.
        log.error("ebics.statements: malformed message dropped", error=str(exc))
        return
    try:
        run = usecase.write_daily_statements(ebics_deps(), day)
    except InvalidRequest as exc:
        log.error("ebics.statements: nothing to do", error=str(exc))
        return
    log.info(
        "ebics statements written",
        day=run.day.isoformat(),
        statements=run.statements,
        entries=run.entries,
        written=len(run.written),
        unchanged=len(run.unchanged),
        failures=run.failures[:20],
    )


@functions_framework.cloud_event
def ebics_inbox(cloud_event) -> None:
    data = cloud_event.data if hasattr(cloud_event, "data") else cloud_event
    if not isinstance(data, dict) or not data.get("bucket") or not data.get("name"):
        log.error("ebics inbox: event without bucket and name dropped")
        return
    outcome = usecase.ingest_inbox_object(ebics_deps(), str(data["bucket"]), str(data["name"]))
    if outcome.outcome != "ignored":
        log.info(
            "ebics inbox object processed",
            object_name=outcome.object_name,
            organization_id=outcome.organization_id,
            connection_id=outcome.connection_id,
            outcome=outcome.outcome,
            payment_requests=len(outcome.request_ids),
        )


# ----------------------------------------------------------------------------- HTTP API


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


_ROUTES = Map(
    [
        Rule("/organizations/<org>/ebics/connections", methods=["POST"], endpoint="setup"),
        Rule("/organizations/<org>/ebics/connections", methods=["GET"], endpoint="connections"),
        Rule(
            "/organizations/<org>/ebics/connections/<connection_id>/disconnect",
            methods=["POST"],
            endpoint="disconnect",
        ),
        Rule("/organizations/<org>/plan", methods=["PUT"], endpoint="plan"),
        Rule("/organizations/<org>/payment-requests", methods=["GET"], endpoint="requests"),
        Rule(
            "/organizations/<org>/payment-requests/<request_id>",
            methods=["GET"],
            endpoint="request",
        ),
        Rule(
            "/organizations/<org>/payment-requests/<request_id>/<any(approve, reject):decision>",
            methods=["POST"],
            endpoint="decide",
        ),
    ],
    strict_slashes=False,
)

_STATUS = {
    InvalidRequest: 400,
    NotAllowed: 403,
    NotFound: 404,
    PlanLimitReached: 409,
    AlreadyDecided: 409,
    RuleRefused: 422,
}


def _body(request: flask.Request) -> dict[str, Any]:
    if not request.data:
        return {}
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise InvalidRequest("the body must be a JSON object")
    return body


def _member_id(request: flask.Request) -> str:
    member_id = request.headers.get(ACTING_MEMBER_HEADER, "").strip()
    if not member_id:
        raise NotAllowed(f"the {ACTING_MEMBER_HEADER} header is missing")
    return member_id


def _require_member(deps: EbicsDeps, org: str, request: flask.Request) -> str:
    member_id = _member_id(request)
    if deps.store.get_member(org, member_id) is None:
        raise NotAllowed(f"{member_id} is not a member of {org}")
    return member_id


def _dispatch(request: flask.Request, endpoint: str, args: dict[str, str]) -> tuple[Any, int]:
    deps = ebics_deps()
    org = args["org"]
    if endpoint == "setup":
        body = _body(request)
        connection = usecase.setup_connection(
            deps,
            org,
            _member_id(request),
            str(body.get("ebics_version", "")),
            body.get("formats") or [],
            body.get("connection_id"),
        )
        return connection_json(connection), 201
    if endpoint == "connections":
        _require_member(deps, org, request)
        return {"connections": [connection_json(c) for c in deps.ebics.list_connections(org)]}, 200
    if endpoint == "disconnect":
        connection = usecase.disconnect(deps, org, args["connection_id"], _member_id(request))
        return connection_json(connection), 200
    if endpoint == "plan":
        raw = str(_body(request).get("plan", ""))
        try:
            plan = Plan(raw)
        except ValueError:
            raise InvalidRequest(f"plan {raw!r} is not one of {[p.value for p in Plan]}") from None
        removed = usecase.apply_plan_change(deps, org, plan)
        return {"plan": plan.value, "disconnected": removed}, 200
    if endpoint == "requests":
        _require_member(deps, org, request)
        raw_status = request.args.get("status")
        try:
            status = RequestStatus(raw_status) if raw_status else None
        except ValueError:
            raise InvalidRequest(f"status {raw_status!r} is unknown") from None
        found = deps.ebics.list_payment_requests(org, status)
        return {"payment_requests": [request_json(r) for r in found]}, 200
    if endpoint == "request":
        _require_member(deps, org, request)
        found = deps.ebics.get_payment_request(org, args["request_id"], with_payments=True)
        if found is None:
            raise NotFound(f"payment request {args['request_id']} not found")
        return request_json(found), 200
    # endpoint == "decide"
    reason = str(_body(request).get("reason", "")) if args["decision"] == "reject" else ""
    decided = usecase.decide_payment_request(
        deps, org, args["request_id"], _member_id(request), args["decision"], reason
    )
    return request_json(decided), 200


@functions_framework.http
def integrations_api(request: flask.Request) -> flask.Response:
    adapter = _ROUTES.bind("integrations", path_info=request.path)
    try:
        endpoint, args = adapter.match(request.path, method=request.method)
    except HTTPException as exc:
        return flask.jsonify(error=exc.description or exc.name), exc.code or 404
    try:
        answer, status = _dispatch(request, str(endpoint), dict(args))
    except tuple(_STATUS) as exc:
        return flask.jsonify(error=str(exc)), _STATUS[type(exc)]
    return flask.jsonify(answer), status
