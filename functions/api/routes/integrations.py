"""Integration routes: the catalogue, status, OAuth connect / callback / reconnect,
disconnect (revokes the token) and "sync now". Rules: shared/usecases/connections.py."""

from __future__ import annotations

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
    from shared.destinations.factory import drive_from_tokens
    from shared.oauth.dropbox import DropboxOAuth
    from shared.oauth.google import GoogleOAuth
    from shared.store.connections import ConnectionStore
    from shared.store.dropzone import DropzoneRepository
    from shared.store.integrations import IntegrationStore
    from shared.store.token_vault import vault_from_env

    store = runtime.store()
    config = settings()
    google, dropbox = GoogleOAuth.from_env(), DropboxOAuth.from_env()
    drive_root = config.drive_api_root_url
    google_extras: dict[str, Any] = {"token_uri": google.token_uri}
    if drive_root:
        google_extras["root_url"] = drive_root
    dropbox_extras: dict[str, Any] = {}
    if config.dropbox_api_url:
        dropbox_extras["api_url"] = config.dropbox_api_url
        dropbox_extras["content_url"] = config.dropbox_content_url or config.dropbox_api_url
    return usecase.ConnectDeps(
        store=store,
        connections=ConnectionStore(store.db, vault_from_env()),
        integrations=IntegrationStore(store.db),
        dropzone=DropzoneRepository(store),
        providers={"google": google, "dropbox": dropbox},
        drive_for_token=lambda token: drive_from_tokens(
            {"access_token": token}, "connect", settings=config
        ),
        publish_export_sync=runtime.publisher_to(config.topic_exports_sync),
        publish_dropzone_sync=runtime.publisher_to(config.topic_dropzone_sync),
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
