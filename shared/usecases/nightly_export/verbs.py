"""The verbs: `setup_export`, `fan_out`, `sync_integration`."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from shared.domain.statuses import RunOutcome
from shared.log import get_logger
from shared.store.integrations import (
    ExportIntegration,
)
from shared.usecases.nightly_export.deps import ExportDeps, SyncResult
from shared.usecases.nightly_export.naming import PARIS
from shared.usecases.nightly_export.run import _Run

log = get_logger(__name__)


def setup_export(
    deps: ExportDeps,
    org_id: str,
    integration_id: str,
    destination: str,
    config: dict[str, Any],
    sync_from: datetime,
) -> ExportIntegration:
    """Connect or reconfigure an export, then publish its first run.

    `sync_from` is an instant (timezone-aware), in the past or now. The destination is
    built once here, so a malformed configuration is refused (`DestinationConfigError`)
    before anything is stored. Reconfiguring resets the ledger.
    """
    if sync_from.tzinfo is None:
        raise ValueError("sync_from must be timezone-aware")
    if sync_from > deps.clock() + timedelta(minutes=5):
        raise ValueError("sync_from must be in the past or now")
    deps.build_destination(destination, config)
    integration = deps.integrations.configure_export(
        org_id, integration_id, destination, config, sync_from
    )
    deps.publish_sync(
        {
            "organization_id": org_id,
            "integration_id": integration_id,
            "run_id": f"setup-g{integration.generation}",
        }
    )
    log.info(
        "export configured",
        organization_id=org_id,
        integration_id=integration_id,
        destination=destination,
        generation=integration.generation,
    )
    return integration


def nightly_run_id(now: datetime) -> str:
    """The run of the Europe/Paris day the Scheduler fired on: `nightly-YYYY-MM-DD`."""
    return "nightly-" + now.astimezone(PARIS).strftime("%Y-%m-%d")


def fan_out(deps: ExportDeps, run_id: str | None = None) -> int:
    """Publish one `exports.sync` message per active export integration; returns the count.

    A redelivered Scheduler message publishes again: harmless, the worker's lease and
    `last_completed_run` make the duplicates no-ops.
    """
    run_id = run_id or nightly_run_id(deps.clock())
    count = 0
    for org_id, integration_id in deps.integrations.list_active_exports():
        deps.publish_sync(
            {"organization_id": org_id, "integration_id": integration_id, "run_id": run_id}
        )
        count += 1
    log.info("nightly export fanned out", run_id=run_id, integrations=count)
    return count


def sync_integration(
    deps: ExportDeps,
    org_id: str,
    integration_id: str,
    run_id: str | None = None,
    prepare_accounts: tuple[str, ...] = (),
) -> SyncResult:
    """Export one integration's receipts; safe to call again at any time (see module doc).

    `prepare_accounts`: bank accounts just opened (companies feed) whose folder is created
    now, before their first receipt."""
    integration = deps.integrations.get_export(org_id, integration_id)
    if integration is None or not integration.active:
        return SyncResult(RunOutcome.SKIPPED, message="no active export integration")
    if run_id and integration.last_completed_run == run_id:
        return SyncResult(
            RunOutcome.SKIPPED, integration.progress, message=f"run {run_id} already done"
        )
    now = deps.clock()
    until = now + timedelta(seconds=deps.lease_seconds)
    if not deps.integrations.acquire_lease(org_id, integration_id, deps.worker_id, until, now):
        return SyncResult(
            RunOutcome.BUSY, integration.progress, message="another worker holds the lease"
        )
    try:
        return _Run(deps, integration, run_id, prepare_accounts).execute()
    finally:
        deps.integrations.release_lease(org_id, integration_id, deps.worker_id)
