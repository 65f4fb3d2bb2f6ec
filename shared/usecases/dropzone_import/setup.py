"""Connect and disconnect a Dropzone; the every-3-hours fan-out."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from shared.destinations.google_drive import GoogleDrive
from shared.log import get_logger
from shared.store.dropzone import (
    DEFAULT_INTEGRATION_ID,
    DropzoneIntegration,
    DropzoneRepository,
    IntegrationStatus,
)
from shared.usecases.dropzone_import.common import SUBFOLDERS

log = get_logger(__name__)


def connect_dropzone(
    org_id: str,
    drive: GoogleDrive,
    repo: DropzoneRepository,
    *,
    root_name: str,
    oauth: dict[str, str] | None = None,
    integration_id: str = DEFAULT_INTEGRATION_ID,
    now: datetime | None = None,
) -> DropzoneIntegration:
    """Create (or find again) the root folder and its four subfolders; mark the
    integration active. Reconnecting after a broken setup recreates only what is missing;
    files already in the folders and invoices already imported stay."""
    root = drive.ensure_folder(None, root_name)
    folders = {"root": root}
    for role, name in SUBFOLDERS.items():
        folders[role] = drive.ensure_folder(root, name)
    links = {"root": drive.link(root)}
    repo.save_connection(org_id, integration_id, folders, links, oauth, now or datetime.now(UTC))
    integration = repo.get_integration(org_id, integration_id)
    assert integration is not None
    log.info("dropzone connected", organization_id=org_id, integration_id=integration_id)
    return integration


def disconnect_dropzone(
    org_id: str, repo: DropzoneRepository, integration_id: str = DEFAULT_INTEGRATION_ID
) -> None:
    """Stop the runs. Imported documents and supplier invoices stay; Drive is not touched."""
    repo.set_status(org_id, integration_id, IntegrationStatus.DISCONNECTED, "", datetime.now(UTC))


def fan_out(repo: DropzoneRepository, publish: Callable[[dict], Any], slot: datetime) -> int:
    """Publish one run message per active Dropzone integration; returns how many.

    `run_key` is derived from the 3-hour slot, so a redelivered Scheduler message
    produces the same keys and the workers skip the runs already done.
    """
    slot = slot.astimezone(UTC)
    slot = slot.replace(hour=slot.hour - slot.hour % 3, minute=0, second=0, microsecond=0)
    count = 0
    for org_id, integration_id in repo.list_active():
        publish(
            {
                "organization_id": org_id,
                "integration_id": integration_id,
                "run_key": f"scheduled:{slot.isoformat()}",
            }
        )
        count += 1
    return count
