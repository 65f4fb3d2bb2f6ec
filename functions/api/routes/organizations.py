"""Organization-level routes: the plan, changed by billing only."""

from __future__ import annotations

from typing import Any

from functions.api.auth import BILLING
from functions.api.errors import InvalidRequest
from functions.api.router import Call, RouteTable
from functions.ebics import ebics_deps
from shared.domain.entities import Plan
from shared.usecases import ebics as ebics_usecase

table = RouteTable()


@table.route("PUT", "/organizations/{org}/plan", BILLING)
def change_plan(call: Call) -> tuple[Any, int]:
    """Change the company's plan (billing identity only). When more EBICS connections are
    active than the new plan allows, nothing is disconnected: the company must choose
    which to keep (`choice_required`), and the bank contacts it."""
    raw = call.body().get("plan", "")
    try:
        plan = Plan(raw) if isinstance(raw, str) else None
    except ValueError:
        plan = None
    if plan is None:
        raise InvalidRequest(f"plan {raw!r} is not one of {[p.value for p in Plan]}")
    choice = ebics_usecase.apply_plan_change(ebics_deps(), call.org, plan)
    required = None
    if choice is not None:
        required = {"allowed": choice.allowed, "connection_ids": list(choice.connection_ids)}
    return {"plan": plan.value, "disconnected": [], "choice_required": required}, 200
