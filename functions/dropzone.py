"""Pub/Sub functions of the Drive Dropzone import.

- `dropzone_fanout` (topic `dropzone.run`, published by Cloud Scheduler every 3 hours):
  one message per active Dropzone integration on `dropzone.sync`.
- `dropzone_worker` (topic `dropzone.sync`): one run for one integration. A run that ran
  out of its time budget publishes a continuation message for the files left.

Configuration (environment): `TOPIC_DROPZONE_SYNC` (default `dropzone.sync`),
`DRIVE_API_ROOT_URL` (unset in production; a local fake's URL otherwise),
`GOOGLE_OAUTH_CLIENT_ID` / `GOOGLE_OAUTH_CLIENT_SECRET` (to refresh stored tokens).
"""

from __future__ import annotations

import os
from datetime import UTC, datetime

import functions_framework
from google.oauth2.credentials import Credentials

from shared import runtime
from shared.config import settings
from shared.destinations.base import ReconnectNeeded
from shared.destinations.google_drive import GoogleDrive, build_drive_service
from shared.events.pubsub import BadEvent, decode_pubsub_cloudevent, publish
from shared.log import get_logger
from shared.store.dropzone import DropzoneIntegration, DropzoneRepository
from shared.usecases.dropzone_import import DropzoneDeps, fan_out, run_dropzone

log = get_logger(__name__)

GOOGLE_TOKEN_URI = "https://oauth2.googleapis.com/token"


def _sync_topic() -> str:
    return os.environ.get("TOPIC_DROPZONE_SYNC", "dropzone.sync")


def _publish_sync(payload: dict) -> str:
    return publish(settings().project, _sync_topic(), payload)


def drive_for(repo: DropzoneRepository, integration: DropzoneIntegration) -> GoogleDrive:
    """A Drive client with the integration's stored OAuth tokens (refreshable when the
    OAuth client id and secret are configured)."""
    oauth = repo.get_oauth(integration.organization_id, integration.id)
    client_id = os.environ.get("GOOGLE_OAUTH_CLIENT_ID")
    client_secret = os.environ.get("GOOGLE_OAUTH_CLIENT_SECRET")
    root_url = os.environ.get("DRIVE_API_ROOT_URL") or None
    if oauth.get("refresh_token") and client_id and client_secret:
        credentials = Credentials(
            token=oauth.get("access_token"),
            refresh_token=oauth["refresh_token"],
            token_uri=GOOGLE_TOKEN_URI,
            client_id=client_id,
            client_secret=client_secret,
        )
        return GoogleDrive(build_drive_service(credentials=credentials, root_url=root_url))
    if oauth.get("access_token"):
        return GoogleDrive(build_drive_service(oauth["access_token"], root_url=root_url))
    raise ReconnectNeeded(f"no Drive credentials stored for integration {integration.id}")


def dropzone_deps() -> DropzoneDeps:
    # runtime caches the clients per instance; this object is cheap to rebuild.
    store = runtime.store()
    repo = DropzoneRepository(store)
    return DropzoneDeps(
        store=store,
        repo=repo,
        blobs=runtime.blobs(),
        drive_for=lambda integration: drive_for(repo, integration),
    )


@functions_framework.cloud_event
def dropzone_fanout(cloud_event) -> None:
    try:
        delivery = decode_pubsub_cloudevent(cloud_event)
    except BadEvent as exc:
        log.error("dropzone.run: malformed message dropped", error=str(exc))
        return
    published = _publish_time(cloud_event) or datetime.now(UTC)
    deps = dropzone_deps()
    count = fan_out(deps.repo, _publish_sync, published)
    log.info("dropzone fan-out", integrations=count, message_id=delivery.message_id)


@functions_framework.cloud_event
def dropzone_worker(cloud_event) -> None:
    try:
        delivery = decode_pubsub_cloudevent(cloud_event)
        org_id = str(delivery.payload["organization_id"])
        integration_id = str(delivery.payload["integration_id"])
        run_key = str(delivery.payload.get("run_key") or f"message:{delivery.message_id}")
    except (BadEvent, KeyError) as exc:
        log.error("dropzone.sync: malformed message dropped", error=str(exc))
        return
    try:
        report = run_dropzone(org_id, integration_id, dropzone_deps(), run_key=run_key)
    except LookupError as exc:
        log.error("dropzone.sync: integration not found", error=str(exc), organization_id=org_id)
        return
    # RetryableError (Drive 429/5xx after our own retries) propagates: Pub/Sub redelivers.
    if report.remaining:
        # Keyed by this message: a redelivery publishes the same continuation key.
        _publish_sync(
            {
                "organization_id": org_id,
                "integration_id": integration_id,
                "run_key": f"continue:{delivery.message_id}",
            }
        )


def _publish_time(cloud_event) -> datetime | None:
    data = cloud_event.data if hasattr(cloud_event, "data") else cloud_event
    try:
        raw = (data.get("message") or {}).get("publishTime") or (data.get("message") or {}).get(
            "publish_time"
        )
        return datetime.fromisoformat(raw.replace("Z", "+00:00")) if raw else None
    except (AttributeError, TypeError, ValueError):
        return None
