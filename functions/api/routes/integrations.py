"""Integration routes: the catalogue, status, OAuth connect / callback / reconnect,
disconnect (revokes the token) and "sync now". Rules: shared/usecases/connections.py."""

from __future__ import annotations

import os
from functools import lru_cache
from typing import Any

from functions.api.auth import ANY_MEMBER
from functions.api.errors import InvalidRequest
from functions.api.router import Call, RouteTable
from shared.usecases import connections as usecase

table = RouteTable()
BASE = "/organizations/{org}/integrations"


@lru_cache(maxsize=1)
def connect_deps() -> usecase.ConnectDeps:
    """Built once per instance; cleared by tests that change the environment."""
    from shared import runtime
    from shared.config import settings
    from shared.destinations.google_drive import GoogleDrive, build_drive_service
    from shared.events.pubsub import publish
    from shared.oauth.dropbox import DropboxOAuth
    from shared.oauth.google import GoogleOAuth
    from shared.store.connections import ConnectionStore
    from shared.store.dropzone import DropzoneRepository
    from shared.store.integrations import IntegrationStore
    from shared.store.token_vault import vault_from_env

    store = runtime.store()
    project = settings().project
    google, dropbox = GoogleOAuth.from_env(), DropboxOAuth.from_env()
    drive_root = os.environ.get("DRIVE_API_ROOT_URL") or None
    google_extras: dict[str, Any] = {"token_uri": google.token_uri}
    if drive_root:
        google_extras["root_url"] = drive_root
    dropbox_extras: dict[str, Any] = {}
    if os.environ.get("DROPBOX_API_URL"):
        dropbox_extras["api_url"] = os.environ["DROPBOX_API_URL"]
        dropbox_extras["content_url"] = os.environ.get(
            "DROPBOX_CONTENT_URL", os.environ["DROPBOX_API_URL"]
        )
    return usecase.ConnectDeps(
        store=store,
        connections=ConnectionStore(store.db, vault_from_env()),
        integrations=IntegrationStore(store.db),
        dropzone=DropzoneRepository(store),
        providers={"google": google, "dropbox": dropbox},
        drive_for_token=lambda token: GoogleDrive(build_drive_service(token, root_url=drive_root)),
        publish_export_sync=lambda payload: publish(
            project, os.environ.get("TOPIC_EXPORTS_SYNC", "exports.sync"), payload
        ),
        publish_dropzone_sync=lambda payload: publish(
            project, os.environ.get("TOPIC_DROPZONE_SYNC", "dropzone.sync"), payload
        ),
        destination_extras={"google": google_extras, "dropbox": dropbox_extras},
    )


def _kind(call: Call) -> str:
    kind = call.params["kind"]
    usecase.kind_of(kind)
    return kind


@table.route("GET", BASE, ANY_MEMBER)
def available(call: Call) -> tuple[Any, int]:
    """The integrations offered, whether this member may manage each, and their state."""
    return {"integrations": usecase.catalogue(connect_deps(), call.org, call.member)}, 200


@table.route("GET", BASE + "/{kind}", ANY_MEMBER)
def integration_status(call: Call) -> tuple[Any, int]:
    """One integration's state, account, last run and error, progress and links."""
    kind = _kind(call)
    if usecase.KINDS[kind].provider is None:
        raise InvalidRequest("EBICS status: GET /organizations/{org}/ebics/connections")
    return usecase.status(connect_deps(), call.org, kind), 200


def _start(call: Call, reconnect: bool) -> tuple[Any, int]:
    body = call.body()
    answer = usecase.start(
        connect_deps(), call.org, call.member, _kind(call), body, reconnect=reconnect
    )
    return answer, 200


@table.route("POST", BASE + "/{kind}/connect", ANY_MEMBER)
def connect(call: Call) -> tuple[Any, int]:
    """Start connecting: the authorization URL to open in the member's browser."""
    return _start(call, reconnect=False)


@table.route("POST", BASE + "/{kind}/reconnect", ANY_MEMBER)
def reconnect(call: Call) -> tuple[Any, int]:
    """Start reconnecting an integration (e.g. after "reconnect needed")."""
    return _start(call, reconnect=True)


@table.route("POST", BASE + "/{kind}/callback", ANY_MEMBER)
def callback(call: Call) -> tuple[Any, int]:
    """Complete the connection with the provider's `code` and our `state`."""
    body = call.body()
    state, code = body.get("state"), body.get("code")
    if not isinstance(state, str) or not isinstance(code, str):
        raise InvalidRequest("state and code must be strings")
    return usecase.finish(connect_deps(), call.org, call.member, _kind(call), state, code), 200


@table.route("POST", BASE + "/{kind}/disconnect", ANY_MEMBER)
def disconnect(call: Call) -> tuple[Any, int]:
    """Stop the runs and revoke the token; documents already imported stay."""
    return usecase.disconnect(connect_deps(), call.org, call.member, _kind(call)), 200


@table.route("POST", BASE + "/{kind}/sync", ANY_MEMBER)
def sync_now(call: Call) -> tuple[Any, int]:
    """Queue a run now (checks the grant first)."""
    return usecase.sync_now(connect_deps(), call.org, call.member, _kind(call)), 202
