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
    """Change the company's plan (billing identity only); connections above the new
    plan's limits are disconnected."""
    raw = call.body().get("plan", "")
    try:
        plan = Plan(raw) if isinstance(raw, str) else None
    except ValueError:
        plan = None
    if plan is None:
        raise InvalidRequest(f"plan {raw!r} is not one of {[p.value for p in Plan]}")
    removed = ebics_usecase.apply_plan_change(ebics_deps(), call.org, plan)
    return {"plan": plan.value, "disconnected": removed}, 200
