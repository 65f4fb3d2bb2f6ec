"""Approval or rejection of payment requests by role."""

from __future__ import annotations

from shared.domain.entities import Member, Role
from shared.domain.money import Money
from shared.log import get_logger
from shared.store.ebics import (
    PaymentRequest,
    RequestStatus,
)
from shared.usecases.ebics.common import (
    APPROVER_ROLES,
    EbicsDeps,
    InvalidRequest,
    NotAllowed,
    NotFound,
    RuleRefused,
)
from shared.usecases.ebics.connections import _member

log = get_logger(__name__)


def can_approve(member: Member) -> bool:
    """Owner, Admin, Accountant, or a Manager with transfer permission."""
    return member.role in APPROVER_ROLES or (member.role is Role.MANAGER and member.can_transfer)


def decide_payment_request(
    deps: EbicsDeps,
    org_id: str,
    request_id: str,
    member_id: str,
    decision: str,
    reason: str = "",
) -> PaymentRequest:
    """Approve or reject a request awaiting approval; `decision` is `approve` or `reject`.

    Repeating the same decision is a no-op. Raises InvalidRequest, NotAllowed, NotFound,
    RuleRefused (the connection is disconnected), AlreadyDecided.
    """
    statuses = {"approve": RequestStatus.APPROVED, "reject": RequestStatus.REJECTED}
    if decision not in statuses:
        raise InvalidRequest(f"decision {decision!r} must be 'approve' or 'reject'")
    member = _member(deps, org_id, member_id)
    if not can_approve(member):
        raise NotAllowed(
            f"a {member.role.value}"
            + (" without transfer permission" if member.role is Role.MANAGER else "")
            + " cannot approve or reject payments"
        )

    def check(request: PaymentRequest) -> None:
        connection = deps.ebics.get_connection(org_id, request.connection_id)
        if statuses[decision] is RequestStatus.APPROVED and (
            connection is None or not connection.live
        ):
            raise RuleRefused(f"EBICS connection {request.connection_id} is not live")

    try:
        decided = deps.ebics.decide_payment_request(
            org_id, request_id, statuses[decision], member_id, reason, check=check
        )
    except LookupError as exc:
        raise NotFound(str(exc)) from None
    log.info(
        "payment request decided",
        organization_id=org_id,
        request_id=request_id,
        member_id=member_id,
        status=decided.status.value,
        total_minor=decided.total_minor,
    )
    return decided


def money_text(minor: int, currency: str) -> str:
    """A decimal string of an amount in minor units (for JSON answers)."""
    return f"{Money.from_minor(minor, currency).amount}"
