"""EBICS connections: setup, disconnect, plan changes (see the package docstring)."""

from __future__ import annotations

import uuid
from dataclasses import replace

from shared.domain.ebics_onboarding import (
    Onboarding,
    OnboardingState,
    PlanChoice,
    apply_choice,
    plan_choice,
)
from shared.domain.entities import Member, Organization, Plan
from shared.log import get_logger
from shared.store.ebics import (
    EBICS_VERSIONS,
    STATEMENT_FORMATS,
    AlreadyDecided,
    ConnectionStatus,
    EbicsConnection,
    RequestStatus,
    connection_prefix,
)
from shared.usecases.ebics.common import (
    _CONNECTION_ID_RE,
    COUNTRY,
    PLAN_CONNECTION_LIMITS,
    SETUP_ROLES,
    SYSTEM_ACTOR,
    EbicsDeps,
    InvalidRequest,
    NotAllowed,
    NotFound,
    RuleRefused,
)

log = get_logger(__name__)


def _organization(deps: EbicsDeps, org_id: str) -> Organization:
    org = deps.store.get_organization(org_id)
    if org is None:
        raise NotFound(f"organization {org_id} not found")
    return org


def _member(deps: EbicsDeps, org_id: str, member_id: str) -> Member:
    member = deps.store.get_member(org_id, member_id) if member_id else None
    if member is None:
        raise NotAllowed(f"{member_id or 'anonymous'} is not a member of {org_id}")
    return member


def _require_setup_role(member: Member) -> None:
    if member.role not in SETUP_ROLES:
        raise NotAllowed(
            f"a {member.role.value} cannot manage EBICS connections "
            "(Owner, Admin or Accountant only)"
        )


def plan_limit(plan: Plan) -> int:
    return PLAN_CONNECTION_LIMITS.get(plan, 0)


def setup_connection(
    deps: EbicsDeps,
    org_id: str,
    member_id: str,
    ebics_version: str,
    formats: list[str] | tuple[str, ...],
    connection_id: str | None = None,
) -> EbicsConnection:
    """Create an active EBICS connection for a French company on a plan that has room.

    `connection_id` may be chosen by the caller so that a retried call returns the same
    connection instead of creating a second one. Raises NotFound, RuleRefused (country,
    plan without EBICS), NotAllowed (role), InvalidRequest, PlanLimitReached.
    """
    org = _organization(deps, org_id)
    if org.country.upper() != COUNTRY:
        raise RuleRefused(f"EBICS connections are only offered in France, not {org.country}")
    limit = plan_limit(org.plan)
    if limit == 0:
        raise RuleRefused(
            f"the {org.plan.value} plan has no EBICS connection: Business allows 1, Enterprise 3"
        )
    _require_setup_role(_member(deps, org_id, member_id))
    if ebics_version not in EBICS_VERSIONS:
        raise InvalidRequest(f"ebics_version {ebics_version!r} is not one of {EBICS_VERSIONS}")
    if isinstance(formats, str) or not formats:
        raise InvalidRequest(f"formats must be a non-empty list of {STATEMENT_FORMATS}")
    unknown = [f for f in formats if f not in STATEMENT_FORMATS]
    if unknown:
        raise InvalidRequest(f"unknown statement format(s) {unknown}; use {STATEMENT_FORMATS}")
    if connection_id is None:
        connection_id = f"ebics-{uuid.uuid4().hex[:12]}"
    elif not isinstance(connection_id, str) or not _CONNECTION_ID_RE.fullmatch(connection_id):
        raise InvalidRequest("connection_id must be 1-64 letters, digits, '-' or '_'")
    pending_choice = deps.ebics.get_plan_choice(org_id)
    if pending_choice is not None:
        raise RuleRefused(
            f"choose which of the connections {', '.join(pending_choice.connection_ids)} to "
            f"keep under the {pending_choice.plan} plan before requesting another"
        )
    connection = EbicsConnection(
        organization_id=org_id,
        id=connection_id,
        status=ConnectionStatus.ACTIVE,
        ebics_version=ebics_version,
        formats=tuple(dict.fromkeys(formats)),
        bucket_prefix=connection_prefix(org_id, connection_id),
        created_by=member_id,
        onboarding=Onboarding.request(deps.now()),
    )
    stored = deps.ebics.create_connection(connection, limit)
    log.info(
        "ebics connection requested",
        organization_id=org_id,
        connection_id=connection_id,
        member_id=member_id,
    )
    if deps.bank is not None and stored.onboarding is not None:
        if stored.onboarding.state is OnboardingState.REQUESTED:
            from shared.usecases.ebics.onboarding import issue_configuration_letter

            stored = issue_configuration_letter(deps, org_id, connection_id)
    return stored


def _disconnect(deps: EbicsDeps, connection: EbicsConnection, reason: str) -> None:
    org_id = connection.organization_id
    deps.ebics.set_connection_status(org_id, connection.id, ConnectionStatus.DISCONNECTED, reason)
    # No payment leaves a disconnected connection: what still awaits approval is rejected.
    for request in deps.ebics.list_payment_requests(
        org_id, RequestStatus.PENDING_APPROVAL, connection.id
    ):
        try:
            deps.ebics.decide_payment_request(
                org_id, request.id, RequestStatus.REJECTED, SYSTEM_ACTOR, reason
            )
        except AlreadyDecided:
            pass  # decided by a member meanwhile
    log.info(
        "ebics connection disconnected",
        organization_id=org_id,
        connection_id=connection.id,
        reason=reason,
    )


def disconnect(deps: EbicsDeps, org_id: str, connection_id: str, member_id: str) -> EbicsConnection:
    """Disconnect (idempotent). Raises NotFound, NotAllowed."""
    _require_setup_role(_member(deps, org_id, member_id))
    connection = deps.ebics.get_connection(org_id, connection_id)
    if connection is None:
        raise NotFound(f"EBICS connection {connection_id} not found in {org_id}")
    if connection.active:
        _disconnect(deps, connection, f"disconnected by {member_id}")
    stored = deps.ebics.get_connection(org_id, connection_id)
    assert stored is not None
    return stored


def apply_plan_change(deps: EbicsDeps, org_id: str, new_plan: Plan) -> PlanChoice | None:
    """Record the company's new plan. When more connections are active than it allows,
    record and return the choice the company must make (nothing is disconnected: the bank
    contacts the customer); None when every connection fits."""
    org = _organization(deps, org_id)
    if org.plan is not new_plan:
        deps.store.put_organization(replace(org, plan=new_plan))
    limit = plan_limit(new_plan)
    active = [c.id for c in deps.ebics.list_connections(org_id, active_only=True)]
    choice = plan_choice(new_plan.value, limit, active, deps.now())
    deps.ebics.set_plan_choice(org_id, choice)
    if choice is not None:
        log.warning(
            "ebics plan choice required",
            organization_id=org_id,
            plan=new_plan.value,
            allowed=limit,
            connection_ids=active,
        )
    return choice


def choose_connections(deps: EbicsDeps, org_id: str, member_id: str, keep: object) -> list[str]:
    """Apply the company's choice after a downgrade: disconnect the connections not kept.
    Returns their ids. Raises RuleRefused (no choice pending), InvalidRequest (bad choice)."""
    _require_setup_role(_member(deps, org_id, member_id))
    choice = deps.ebics.get_plan_choice(org_id)
    if choice is None:
        raise RuleRefused("no connection choice is pending for this company")
    if not isinstance(keep, list) or not all(isinstance(k, str) for k in keep):
        raise InvalidRequest("keep must be a list of connection ids")
    try:
        removed = apply_choice(choice, keep)
    except ValueError as exc:
        raise InvalidRequest(str(exc)) from None
    for connection_id in removed:
        connection = deps.ebics.get_connection(org_id, connection_id)
        if connection is not None and connection.active:
            _disconnect(
                deps,
                connection,
                f"not kept by {member_id} under the {choice.plan} plan, which allows "
                f"{choice.allowed} EBICS connection(s)",
            )
    deps.ebics.set_plan_choice(org_id, None)
    return removed
