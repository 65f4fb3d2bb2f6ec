"""The verbs: `setup_export`, `fan_out`, `sync_integration`."""

from __future__ import annotations

import time
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
    started = time.monotonic()
    integration = deps.integrations.get_export(org_id, integration_id)
    if integration is None or not integration.active:
        return _not_run(
            SyncResult(RunOutcome.SKIPPED, message="no active export integration"),
            org_id,
            integration_id,
            run_id,
        )
    if run_id and integration.last_completed_run == run_id:
        return _not_run(
            SyncResult(
                RunOutcome.SKIPPED, integration.progress, message=f"run {run_id} already done"
            ),
            org_id,
            integration_id,
            run_id,
        )
    if not _take_lease(deps, org_id, integration_id):
        return _not_run(
            SyncResult(
                RunOutcome.BUSY, integration.progress, message="another worker holds the lease"
            ),
            org_id,
            integration_id,
            run_id,
        )
    run = _Run(deps, integration, run_id, prepare_accounts, started=started)
    try:
        result = run.execute()
    except BaseException as exc:
        _log_run(run, RunOutcome.ERROR, started, f"{type(exc).__name__}: {exc}")
        raise
    finally:
        deps.integrations.release_lease(org_id, integration_id, deps.worker_id)
    _log_run(run, result.outcome, started, result.message)
    return result


def _take_lease(deps: ExportDeps, org_id: str, integration_id: str) -> bool:
    """Take the run lease; if it is held but runs out soon, wait for it once and take over.

    Holders renew their lease every third of `lease_seconds`, so a lease that is about to
    run out belongs to a run that has stopped renewing it (killed, or its instance gone):
    waiting for it beats a redelivery minutes later. A holder that is alive renews it
    meanwhile, and the second attempt answers `busy`.
    """

    def attempt() -> bool:
        now = deps.clock()
        until = now + timedelta(seconds=deps.lease_seconds)
        return deps.integrations.acquire_lease(org_id, integration_id, deps.worker_id, until, now)

    if attempt():
        return True
    expiry = deps.integrations.lease_expiry(org_id, integration_id)
    if expiry is None:
        return attempt()  # released between the two reads
    wait = (expiry - deps.clock()).total_seconds() + 0.5
    if wait > deps.lease_wait_seconds:
        return False
    log.info(
        "export lease held: waiting for it to run out",
        organization_id=org_id,
        integration_id=integration_id,
        wait_seconds=round(max(wait, 0.0), 1),
    )
    deps.sleep(max(wait, 0.0))
    return attempt()


# The one record per run that infra/monitoring.tf counts (`jsonPayload.event="export.run"`):
# done and partial count as succeeded, the others as failed.
RUN_EVENT = "export.run"
LOGGED_OUTCOMES = ("done", "partial", "failed", "reconnect_needed", "storage_full")


def logged_outcome(outcome: RunOutcome, exported: int, failed: int) -> str:
    """What the monitoring sees of a run's outcome.

    A finished run with failed files, a run stopped by its time budget and a rate-limit
    or 5xx storm that stopped a run after it exported something are "partial": the run
    moved forward and the next one resumes. A storm before anything was exported, and a
    run that stopped on an error or raised, are "failed".

    >>> logged_outcome(RunOutcome.DONE, 6, 0), logged_outcome(RunOutcome.DONE, 5, 1)
    ('done', 'partial')
    >>> logged_outcome(RunOutcome.RETRYING, 3, 0), logged_outcome(RunOutcome.RETRYING, 0, 0)
    ('partial', 'failed')
    """
    if outcome == RunOutcome.DONE:
        return "partial" if failed else "done"
    if outcome == RunOutcome.PARTIAL:
        return "partial"
    if outcome == RunOutcome.RETRYING:
        return "partial" if exported else "failed"
    if outcome in (RunOutcome.RECONNECT_NEEDED, RunOutcome.STORAGE_FULL):
        return outcome.value
    return "failed"


def _log_run(run: _Run, outcome: RunOutcome, started: float, reason: str) -> None:
    progress = run.progress()
    exported = run.uploaded + run.adopted
    logged = logged_outcome(outcome, exported, progress.failed)
    fields: dict[str, Any] = {
        "event": RUN_EVENT,
        "outcome": logged,
        "run_outcome": outcome.value,
        "organization_id": run.org_id,
        "integration_id": run.integration.id,
        "destination": run.integration.destination,
        "run_id": run.run_id,
        "files_exported": exported,
        "files_uploaded": run.uploaded,
        "files_adopted": run.adopted,
        "files_failed": progress.failed,
        "files_total": progress.total,
        "duration_seconds": round(time.monotonic() - started, 3),
    }
    if logged != "done":
        fields["reason"] = reason[:500]
    level = {"done": log.info, "partial": log.info, "failed": log.error}.get(logged, log.warning)
    level("export run " + logged, **fields)


def _not_run(
    result: SyncResult, org_id: str, integration_id: str, run_id: str | None
) -> SyncResult:
    """A delivery that did not start a run (inactive, already done, lease held): logged,
    but not as an `export.run` (nothing ran, so nothing succeeded or failed)."""
    log.info(
        "export run not started",
        event="export.not_started",
        outcome=result.outcome.value,
        organization_id=org_id,
        integration_id=integration_id,
        run_id=run_id,
        reason=result.message,
    )
    return result
