"""The accountant partner space: what a firm and a company can do, each checked by role and consent.

Firm side (the acting member is a member of the firm):
- an administrator adds members and installs extensions (credentials sealed at rest);
- client managers, administrators and assigned accountants activate extensions per client
  (one client, or in bulk), read each client's delivery status;
- only administrators and assigned accountants read a client's documents;
- a firm's client template (extensions + parameters) is activated for every company
  whose consent becomes active.
Company side (the company's owner or admin): invite a firm, accept its request, revoke.
Revoking cancels what was waiting to be sent, and the dispatch checks consent before
every delivery, so nothing more leaves.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from shared.destinations import partner_factory
from shared.domain import partners as p
from shared.domain.entities import Member, Role
from shared.errors import Conflict, Forbidden, Invalid, NotFound
from shared.store.firestore_store import FirestoreStore
from shared.store.partners import DeliveryRecord, PartnerStore
from shared.usecases.partner_dispatch import APPROVED

MAX_BULK = 200  # clients per bulk activation
MAX_TEMPLATE_ITEMS = 10


@dataclass
class PartnerDeps:
    partners: PartnerStore
    store: FirestoreStore
    clock: Callable[[], datetime]
    new_id: Callable[[], str] = field(default_factory=lambda: lambda: uuid.uuid4().hex[:20])
    # documents.approved (org_id, document_id): a resumed activation catches up through it.
    publish_approved: Callable[[str, str], Any] | None = None


def _member(deps: PartnerDeps, firm_id: str, user_id: str) -> p.FirmMember:
    found = deps.partners.get_member(firm_id, user_id)
    if found is None:
        raise p.NotPermitted(f"{user_id} is not a member of firm {firm_id}")
    return found


def _consented(deps: PartnerDeps, member: p.FirmMember, action: p.Action, company_id: str) -> None:
    p.authorize(member, action, deps.partners.get_consent(member.firm_id, company_id), company_id)


# ---------------------------------------------------------------------- firm and people


def create_firm(deps: PartnerDeps, firm_id: str, name: str, administrator: str) -> p.Firm:
    """The bank backend registers a firm and its first administrator."""
    if not name or len(name) > 200:
        raise p.PartnerInvalid("a firm needs a name of 1 to 200 characters")
    if deps.partners.get_firm(firm_id) is not None:
        raise p.ConsentError(f"firm {firm_id} exists already")
    firm = p.Firm(firm_id, name)
    deps.partners.save_firm(firm)
    deps.partners.save_member(p.FirmMember(administrator, firm_id, p.FirmRole.ADMINISTRATOR))
    return firm


def add_member(
    deps: PartnerDeps,
    firm_id: str,
    actor: str,
    user_id: str,
    role: str,
    assigned_clients: list[str] | None = None,
) -> p.FirmMember:
    p.authorize(_member(deps, firm_id, actor), p.Action.INVITE_MEMBERS)
    try:
        firm_role = p.FirmRole(role)
    except ValueError:
        raise p.PartnerInvalid(f"role must be one of {[r.value for r in p.FirmRole]}") from None
    clients = frozenset(assigned_clients or ())
    if clients and firm_role is not p.FirmRole.ACCOUNTANT:
        raise p.PartnerInvalid("only accountants are assigned clients")
    member = p.FirmMember(user_id, firm_id, firm_role, clients)
    deps.partners.save_member(member)
    return member


# ---------------------------------------------------------------------- consent


def request_consent(deps: PartnerDeps, firm_id: str, actor: str, company_id: str) -> p.Consent:
    member = _member(deps, firm_id, actor)
    if member.role is p.FirmRole.ACCOUNTANT:
        raise p.NotPermitted("an accountant cannot ask for a new client")
    if deps.store.get_organization(company_id) is None:
        raise NotFound(f"company {company_id} not found")
    consent = p.request(firm_id, company_id, deps.partners.get_consent(firm_id, company_id))
    deps.partners.save_consent(consent)
    return consent


def decide_consent(
    deps: PartnerDeps, company_id: str, member: Member, firm_id: str, decision: str
) -> p.Consent:
    """The company's owner or admin invites the firm, accepts its request, or revokes."""
    if member.organization_id != company_id or member.role not in (Role.OWNER, Role.ADMIN):
        raise Forbidden("only the company's owner or admin decides which firms see it")
    if deps.partners.get_firm(firm_id) is None:
        raise NotFound(f"firm {firm_id} not found")
    now = deps.clock()
    current = deps.partners.get_consent(firm_id, company_id)
    if decision == "invite":
        consent = (
            current
            if current and current.active
            else p.invite(firm_id, company_id, member.user_id, now)
        )
    elif decision == "accept":
        consent = p.accept(current, member.user_id, now)
    elif decision == "revoke":
        consent = p.revoke(current, now)
    else:
        raise p.PartnerInvalid("decision must be invite, accept or revoke")
    deps.partners.save_consent(consent)
    if decision == "revoke":
        deps.partners.cancel_pending(firm_id, company_id, now, "consent revoked")
    elif consent.active and (current is None or not current.active):
        _apply_client_template(deps, firm_id, company_id)
    return consent


# ---------------------------------------------------------------------- extensions


def install_extension(
    deps: PartnerDeps,
    firm_id: str,
    actor: str,
    kind: str,
    name: str,
    settings: dict[str, Any],
    secrets: dict[str, str],
) -> p.Extension:
    p.authorize(_member(deps, firm_id, actor), p.Action.INSTALL_EXTENSIONS)
    try:
        extension_kind = p.ExtensionKind(kind)
    except ValueError:
        raise p.PartnerInvalid(
            f"kind must be one of {[k.value for k in p.ExtensionKind]}"
        ) from None
    if not isinstance(settings, dict) or not isinstance(secrets, dict):
        raise p.PartnerInvalid("settings and secrets must be objects")
    if not all(isinstance(v, str) for v in secrets.values()):
        raise p.PartnerInvalid("secrets must be strings")
    partner_factory.validate(extension_kind, settings, secrets)
    extension = p.Extension(
        deps.new_id(), firm_id, extension_kind, name or kind, settings, deps.clock()
    )
    deps.partners.save_extension(extension, secrets)
    return extension


def update_extension(
    deps: PartnerDeps,
    firm_id: str,
    actor: str,
    ext_id: str,
    settings: dict[str, Any],
    secrets: dict[str, str],
) -> tuple[p.Extension, int]:
    """Replace an extension's settings and secrets (a new pinned host key, a new password...).

    Its failed deliveries become due at once: what a wrong setting held back is sent by the
    next sweep, once. Returns the extension and how many deliveries were requeued.
    """
    p.authorize(_member(deps, firm_id, actor), p.Action.INSTALL_EXTENSIONS)
    current = _extension(deps, firm_id, ext_id)
    if not isinstance(settings, dict) or not isinstance(secrets, dict):
        raise p.PartnerInvalid("settings and secrets must be objects")
    partner_factory.validate(current.kind, settings, secrets)
    extension = p.Extension(
        ext_id, firm_id, current.kind, current.name, settings, current.installed_at
    )
    deps.partners.save_extension(extension, secrets)
    activations = {a.id for a in deps.partners.activations_of_extension(firm_id, ext_id)}
    return extension, deps.partners.requeue_failed(activations, deps.clock())


def _extension(deps: PartnerDeps, firm_id: str, ext_id: str) -> p.Extension:
    extension = deps.partners.get_extension(firm_id, ext_id)
    if extension is None:
        raise NotFound(f"extension {ext_id} is not installed in firm {firm_id}")
    return extension


# ---------------------------------------------------------------------- activations


def activate(
    deps: PartnerDeps,
    firm_id: str,
    actor: str,
    company_id: str,
    extension_id: str,
    params: dict[str, Any],
) -> p.Activation:
    _consented(deps, _member(deps, firm_id, actor), p.Action.MANAGE_ACTIVATIONS, company_id)
    return _activate(deps, firm_id, company_id, extension_id, params)


def _activate(
    deps: PartnerDeps, firm_id: str, company_id: str, extension_id: str, params: dict[str, Any]
) -> p.Activation:
    extension = _extension(deps, firm_id, extension_id)
    if not isinstance(params, dict):
        raise p.PartnerInvalid("params must be an object")
    partner_factory.validate_params(extension.kind, params)
    activation = p.Activation(
        deps.new_id(), firm_id, extension.id, company_id, deps.clock(), dict(params)
    )
    deps.partners.save_activation(activation)
    return activation


def resume_activation(
    deps: PartnerDeps, firm_id: str, actor: str, company_id: str, activation_id: str
) -> tuple[p.Activation, int]:
    """Send to a disabled activation again (its endpoint answered 410, then was fixed).

    The delivery its endpoint refused is made due for the next retry sweep, and the
    documents it skipped while disabled (approved since it was activated, with no delivery
    for it) are published on documents.approved again; the dispatch sends each once per
    activation, so the documents it already has are not sent twice. Returns the activation
    and how many documents were queued.
    """
    _consented(deps, _member(deps, firm_id, actor), p.Action.MANAGE_ACTIVATIONS, company_id)
    activation = deps.partners.get_activation(activation_id)
    if activation is None or (activation.firm_id, activation.company_id) != (firm_id, company_id):
        raise NotFound(f"activation {activation_id} not found for {company_id}")
    if activation.status is not p.ActivationStatus.DISABLED:
        raise Conflict(f"activation {activation_id} is {activation.status.value}")
    deps.partners.resume_activation(activation_id)
    # The one its endpoint refused goes with the next retry sweep; those it skipped while
    # disabled were never recorded: they are published again.
    requeued = deps.partners.requeue_failed({activation_id}, deps.clock())
    missed = [
        document.id
        for document in deps.store.list_documents(company_id)
        if document.status in APPROVED
        and document.received_at >= activation.activated_at
        and deps.partners.get_delivery(p.delivery_key(document.id, activation_id)) is None
    ]
    if deps.publish_approved is not None:
        for document_id in missed:
            deps.publish_approved(company_id, document_id)
    resumed = deps.partners.get_activation(activation_id) or activation
    return resumed, requeued + len(missed)


def bulk_activate(
    deps: PartnerDeps,
    firm_id: str,
    actor: str,
    extension_id: str,
    clients: list[str],
    params: dict[str, Any],
) -> dict[str, dict[str, str]]:
    """Activate one extension for many clients; each client answers on its own."""
    if not isinstance(clients, list) or not 0 < len(clients) <= MAX_BULK:
        raise p.PartnerInvalid(f"clients must be a list of 1 to {MAX_BULK} company ids")
    results: dict[str, dict[str, str]] = {}
    for company_id in clients:
        try:
            activation = activate(deps, firm_id, actor, str(company_id), extension_id, params)
            results[str(company_id)] = {"activation_id": activation.id}
        except (Forbidden, Invalid, NotFound) as exc:
            results[str(company_id)] = {"error": str(exc)}
    return results


def set_client_template(
    deps: PartnerDeps, firm_id: str, actor: str, items: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The extensions (with parameters) activated for every company that gives consent."""
    p.authorize(_member(deps, firm_id, actor), p.Action.INSTALL_EXTENSIONS)
    if not isinstance(items, list) or len(items) > MAX_TEMPLATE_ITEMS:
        raise p.PartnerInvalid(f"a client template has at most {MAX_TEMPLATE_ITEMS} items")
    clean = []
    for item in items:
        if not isinstance(item, dict) or set(item) - {"extension_id", "params"}:
            raise p.PartnerInvalid("each template item is {extension_id, params}")
        extension = _extension(deps, firm_id, str(item.get("extension_id", "")))
        params = dict(item.get("params") or {})
        partner_factory.validate_params(extension.kind, params)
        clean.append({"extension_id": extension.id, "params": params})
    deps.partners.save_client_template(firm_id, clean)
    return clean


def _apply_client_template(deps: PartnerDeps, firm_id: str, company_id: str) -> None:
    for item in deps.partners.get_client_template(firm_id):
        _activate(deps, firm_id, company_id, item["extension_id"], item.get("params") or {})


# ---------------------------------------------------------------------- reading


def client_status(
    deps: PartnerDeps, firm_id: str, actor: str, company_id: str
) -> list[dict[str, Any]]:
    _consented(deps, _member(deps, firm_id, actor), p.Action.READ_STATUS, company_id)
    out = []
    for activation in deps.partners.activations_of_company(company_id):
        if activation.firm_id != firm_id:
            continue  # another firm's activation of the same company
        extension = deps.partners.get_extension(firm_id, activation.extension_id)
        out.append(
            {
                "activation_id": activation.id,
                "extension_id": activation.extension_id,
                "kind": extension.kind.value if extension else None,
                "activated_at": activation.activated_at,
                "params": activation.params,
                **deps.partners.activation_status(activation.id),
            }
        )
    return out


def read_document(
    deps: PartnerDeps, firm_id: str, actor: str, company_id: str, document_id: str
) -> dict[str, Any]:
    _consented(deps, _member(deps, firm_id, actor), p.Action.READ_DOCUMENTS, company_id)
    document = deps.store.get_document(company_id, document_id)
    if document is None:
        raise NotFound(f"document {document_id} not found")
    deliveries = [
        d for d in deps.partners.deliveries_of_document(document_id) if d.company_id == company_id
    ]
    return {
        "id": document.id,
        "status": document.status.value,
        "received_at": document.received_at,
        "supplier": document.supplier_name,
        "number": document.invoice_number,
        "total": str(document.total.amount) if document.total else None,
        "currency": document.total.currency if document.total else None,
        "transaction_id": document.transaction_id,
        "deliveries": [_delivery_json(d) for d in deliveries],
    }


def _delivery_json(record: DeliveryRecord) -> dict[str, Any]:
    return {
        "activation_id": record.activation_id,
        "state": record.state,
        "attempts": record.attempts,
        "receipt": record.receipt,
        "error": record.error,
        "log": record.log,
        # An update of the index record sent by that delivery (matched or detached later).
        "update_of": record.update_of,
        "updates": record.updates,
    }
