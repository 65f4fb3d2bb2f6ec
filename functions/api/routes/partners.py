"""Accountant partner space routes. Rules: shared/usecases/partner_space.py.

Firm routes (`/partners/{firm}/...`) are called by the bank backend for a member of the
firm (`X-Acting-Member-Id`); the use case checks that membership, the member's role and
the company's consent. Company routes (`/organizations/{org}/partners/...`) are for the
company's owner or admin: they decide which firms see the company.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from functions.api.auth import INVOKER, acting_member_id, member
from functions.api.errors import InvalidRequest
from functions.api.ids import check_id
from functions.api.router import Call, RouteTable
from shared.domain.entities import Role
from shared.usecases import partner_space as usecase

table = RouteTable()
FIRM = "/partners/{firm}"
CLIENT = FIRM + "/clients/{company}"


def partner_deps() -> usecase.PartnerDeps:
    from shared import runtime

    # Built per call (cheap): the vault reads the key configuration of the moment.
    return usecase.PartnerDeps(
        partners=runtime.partner_store(),
        store=runtime.store(),
        clock=lambda: datetime.now(UTC),
        publish_approved=runtime.publish_document_approved,
    )


def _text(body: dict[str, Any], name: str) -> str:
    value = body.get(name)
    if not isinstance(value, str) or not value:
        raise InvalidRequest(f"'{name}' must be a non-empty string")
    return value


def _object(body: dict[str, Any], name: str) -> dict[str, Any]:
    value = body.get(name, {})
    if not isinstance(value, dict):
        raise InvalidRequest(f"'{name}' must be an object")
    return value


def _time(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def _consent_json(consent: Any) -> dict[str, Any]:
    return {
        "firm_id": consent.firm_id,
        "company_id": consent.company_id,
        "status": consent.status.value,
        "decided_at": _time(consent.decided_at),
        "revoked_at": _time(consent.revoked_at),
    }


def _activation_json(activation: Any) -> dict[str, Any]:
    return {
        "id": activation.id,
        "extension_id": activation.extension_id,
        "company_id": activation.company_id,
        "activated_at": _time(activation.activated_at),
        "params": activation.params,
        "status": activation.status.value,
    }


@table.route("POST", "/partners", INVOKER)
def create_firm(call: Call) -> tuple[Any, int]:
    """Register an accounting firm and its first administrator (the bank backend)."""
    body = call.body()
    firm_id, admin = _text(body, "firm_id"), _text(body, "administrator")
    check_id("firm_id", firm_id)
    check_id("administrator", admin)
    firm = usecase.create_firm(partner_deps(), firm_id, _text(body, "name"), admin)
    return {"id": firm.id, "name": firm.name}, 201


@table.route("POST", FIRM + "/members", INVOKER)
def add_member(call: Call) -> tuple[Any, int]:
    """Add a person to the firm with a role (administrator only)."""
    body = call.body()
    user_id = _text(body, "user_id")
    check_id("user_id", user_id)
    clients = body.get("assigned_clients") or []
    if not isinstance(clients, list) or not all(isinstance(c, str) for c in clients):
        raise InvalidRequest("'assigned_clients' must be a list of company ids")
    added = usecase.add_member(
        partner_deps(),
        call.params["firm"],
        acting_member_id(call.request),
        user_id,
        _text(body, "role"),
        clients,
    )
    return {
        "user_id": added.user_id,
        "role": added.role.value,
        "assigned_clients": sorted(added.assigned_clients),
    }, 201


@table.route("POST", FIRM + "/extensions", INVOKER)
def install_extension(call: Call) -> tuple[Any, int]:
    """Install an extension once for the firm; its secrets are sealed and never returned."""
    body = call.body()
    extension = usecase.install_extension(
        partner_deps(),
        call.params["firm"],
        acting_member_id(call.request),
        _text(body, "kind"),
        str(body.get("name") or ""),
        _object(body, "settings"),
        _object(body, "secrets"),
    )
    return {
        "id": extension.id,
        "kind": extension.kind.value,
        "name": extension.name,
        "settings": extension.settings,
    }, 201


@table.route("PUT", FIRM + "/extensions/{extension_id}", INVOKER)
def update_extension(call: Call) -> tuple[Any, int]:
    """Replace an extension's settings and secrets; its failed deliveries are retried."""
    body = call.body()
    extension, requeued = usecase.update_extension(
        partner_deps(),
        call.params["firm"],
        acting_member_id(call.request),
        call.params["extension_id"],
        _object(body, "settings"),
        _object(body, "secrets"),
    )
    return {
        "id": extension.id,
        "kind": extension.kind.value,
        "name": extension.name,
        "settings": extension.settings,
        "requeued": requeued,
    }, 200


@table.route("PUT", FIRM + "/client-template", INVOKER)
def put_client_template(call: Call) -> tuple[Any, int]:
    """Extensions activated for every company that gives the firm its consent (administrator)."""
    items = call.body().get("activations")
    if not isinstance(items, list):
        raise InvalidRequest("'activations' must be a list")
    saved = usecase.set_client_template(
        partner_deps(), call.params["firm"], acting_member_id(call.request), items
    )
    return {"activations": saved}, 200


@table.route("POST", FIRM + "/activations", INVOKER)
def bulk_activate(call: Call) -> tuple[Any, int]:
    """Activate one extension for a list of clients; each client gets its own answer."""
    body = call.body()
    clients = body.get("clients")
    if not isinstance(clients, list) or not all(isinstance(c, str) for c in clients):
        raise InvalidRequest("'clients' must be a list of company ids")
    for company in clients:
        check_id("clients", company)
    results = usecase.bulk_activate(
        partner_deps(),
        call.params["firm"],
        acting_member_id(call.request),
        _text(body, "extension_id"),
        clients,
        _object(body, "params"),
    )
    return {"results": results}, 200


@table.route("POST", CLIENT + "/consent-request", INVOKER)
def request_consent(call: Call) -> tuple[Any, int]:
    """Ask a company to let the firm manage it; its owner or admin accepts or not."""
    consent = usecase.request_consent(
        partner_deps(), call.params["firm"], acting_member_id(call.request), call.params["company"]
    )
    return _consent_json(consent), 200


@table.route("POST", CLIENT + "/activations", INVOKER)
def activate(call: Call) -> tuple[Any, int]:
    """Activate an installed extension for one client, with the client's parameters."""
    body = call.body()
    activation = usecase.activate(
        partner_deps(),
        call.params["firm"],
        acting_member_id(call.request),
        call.params["company"],
        _text(body, "extension_id"),
        _object(body, "params"),
    )
    return _activation_json(activation), 201


@table.route("POST", CLIENT + "/activations/{activation_id}/resume", INVOKER)
def resume_activation(call: Call) -> tuple[Any, int]:
    """Send to a disabled activation again; the documents it missed are queued once."""
    activation, queued = usecase.resume_activation(
        partner_deps(),
        call.params["firm"],
        acting_member_id(call.request),
        call.params["company"],
        call.params["activation_id"],
    )
    return {**_activation_json(activation), "queued_documents": queued}, 200


@table.route("GET", CLIENT + "/status", INVOKER)
def client_status(call: Call) -> tuple[Any, int]:
    """Each activation of the client: last success, last error with its reason, counts."""
    rows = usecase.client_status(
        partner_deps(), call.params["firm"], acting_member_id(call.request), call.params["company"]
    )
    return {"activations": [{k: _time(v) for k, v in row.items()} for row in rows]}, 200


@table.route("GET", CLIENT + "/documents/{document_id}", INVOKER)
def read_document(call: Call) -> tuple[Any, int]:
    """One of the client's documents and its delivery log (not for client managers)."""
    answer = usecase.read_document(
        partner_deps(),
        call.params["firm"],
        acting_member_id(call.request),
        call.params["company"],
        call.params["document_id"],
    )
    answer["received_at"] = _time(answer["received_at"])
    for delivery in answer["deliveries"]:
        delivery["log"] = [{k: _time(v) for k, v in e.items()} for e in delivery["log"]]
    return answer, 200


@table.route("PUT", "/organizations/{org}/partners/{firm}/consent", member(Role.OWNER, Role.ADMIN))
def decide_consent(call: Call) -> tuple[Any, int]:
    """Invite a firm, accept its request, or revoke its access (owner, admin)."""
    decision = _text(call.body(), "decision")
    assert call.member is not None
    consent = usecase.decide_consent(
        partner_deps(), call.org, call.member, call.params["firm"], decision
    )
    return _consent_json(consent), 200
