"""The operator's routes (`/ops/...`), for the ops service identity only.

The same use cases as `python -m shared.cli ops ...` (docs/RUNBOOK.md): list, pause and
resume the product's Scheduler jobs; re-run one integration now; (re)write one day's
EBICS statements. Every action is logged with the caller's identity.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from functions.api.auth import OPS
from functions.api.errors import InvalidRequest, NotFound
from functions.api.router import Call, RouteTable
from shared import runtime
from shared.config import settings
from shared.log import get_logger
from shared.ops.scheduler import ScheduledJob, SchedulerJobs
from shared.usecases import ops

table = RouteTable()
log = get_logger(__name__)


def _schedules() -> SchedulerJobs:
    config = settings()
    return SchedulerJobs(config.project, config.function_region, config.scheduler_api_endpoint)


def _publish(topic: str, payload: dict[str, Any]) -> str:
    return str(runtime.publisher_to(topic)(payload))


def _jobs_json(jobs: list[ScheduledJob]) -> dict[str, Any]:
    return {
        "jobs": [
            {"name": j.name, "state": j.state, "schedule": j.schedule, "time_zone": j.time_zone}
            for j in jobs
        ]
    }


def _job_names(call: Call) -> list[str] | None:
    names = call.body().get("jobs")
    if names is None:
        return None
    if not isinstance(names, list) or not all(isinstance(n, str) and n for n in names):
        raise InvalidRequest("`jobs` must be a list of job names")
    return names


def _set_schedules(call: Call, paused: bool) -> tuple[Any, int]:
    try:
        jobs = ops.set_schedules(_schedules(), paused=paused, names=_job_names(call))
    except ops.UnknownJob as exc:
        raise NotFound(str(exc)) from None
    log.warning(
        "ops: schedules " + ("paused" if paused else "resumed"), jobs=[j.name for j in jobs]
    )
    return _jobs_json(jobs), 200


@table.route("GET", "/ops/schedules", OPS)
def list_schedules(call: Call) -> tuple[Any, int]:
    """The product's Scheduler jobs and their state."""
    return _jobs_json(_schedules().list()), 200


@table.route("POST", "/ops/schedules/pause", OPS)
def pause_schedules(call: Call) -> tuple[Any, int]:
    """Pause the named jobs, or every job of the product."""
    return _set_schedules(call, paused=True)


@table.route("POST", "/ops/schedules/resume", OPS)
def resume_schedules(call: Call) -> tuple[Any, int]:
    """Resume the named jobs, or every job of the product."""
    return _set_schedules(call, paused=False)


@table.route("POST", "/ops/organizations/{org}/integrations/{integration_id}/rerun", OPS)
def rerun_integration(call: Call) -> tuple[Any, int]:
    """Run one export or Dropzone integration now (idempotent: its lease and ledger hold)."""
    kind = call.body().get("kind")
    if kind not in ops.RERUN_TOPICS:
        raise InvalidRequest(f"`kind` must be one of {sorted(ops.RERUN_TOPICS)}")
    message_id = ops.rerun_integration(
        _publish, kind, call.org, call.params["integration_id"], datetime.now(UTC)
    )
    log.warning("ops: integration rerun", organization_id=call.org, kind=kind)
    return {"message_id": message_id}, 202


@table.route("POST", "/ops/ebics/statements/rerun", OPS)
def rerun_statements(call: Call) -> tuple[Any, int]:
    """(Re)write one day's EBICS statements; files are named by day, so a rerun replaces."""
    raw = call.body().get("date")
    try:
        day = date.fromisoformat(raw) if isinstance(raw, str) else None
    except ValueError:
        day = None
    if day is None or not date(2000, 1, 1) <= day <= datetime.now(UTC).date():
        raise InvalidRequest("`date` must be a past day as YYYY-MM-DD (from 2000-01-01)")
    message_id = ops.rerun_statements(_publish, day)
    log.warning("ops: statements rerun", day=day.isoformat())
    return {"message_id": message_id}, 202
