"""Connecting a company's integrations: the catalogue, the OAuth connect flow (start,
callback), disconnect with revocation, reconnect, status and "sync now".

One connection of a kind per company: the integration's id is fixed per kind
(`drive-export`, `drive-dropzone`, `dropbox-export`). Who may connect each kind follows
the product rules (`KINDS`). Nothing is stored when a callback is refused: a bad or
replayed state, a state issued to another company or member, a code the provider
refuses (replayed, wrong PKCE verifier), a role that is not allowed.

Refresh tokens are sealed (shared/store/token_vault.py) and never returned or logged.
A provider's `invalid_grant` on refresh marks the integration "reconnect_needed".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from shared import errors
from shared.domain.entities import Member, Role
from shared.errors import (
    AppError,
    Conflict,
    Forbidden,
    Invalid,
    NeedsReconnect,
    Refused,
    RetryLater,
)
from shared.log import get_logger
from shared.oauth.base import (
    GrantRefused,
    OAuthFailure,
    Provider,
    ProviderError,
    new_code_verifier,
    new_state,
)
from shared.store.connections import ConnectionStore, PendingState

log = get_logger(__name__)


class ConnectError(AppError):
    """Base of the errors a caller can act on; the message says why."""


class NotAllowed(ConnectError, Forbidden):
    pass


class NotFound(ConnectError, errors.NotFound):
    pass


class AlreadyConnected(ConnectError, Conflict):
    pass


class InvalidRequest(ConnectError, Invalid):
    pass


class CallbackRefused(ConnectError, Refused):
    """The callback cannot complete the connection; nothing was stored."""


class ReconnectNeeded(ConnectError, NeedsReconnect):
    pass


class ProviderUnavailable(ConnectError, RetryLater):
    pass


@dataclass(frozen=True)
class IntegrationKind:
    name: str
    label: str
    provider: str | None  # None: not an OAuth connection (EBICS)
    roles: frozenset[Role]
    integration_id: str
    takes_start: bool = False  # an export's "from" date-time


MANAGERS = frozenset({Role.OWNER, Role.ADMIN})
MANAGERS_AND_ACCOUNTANT = frozenset({Role.OWNER, Role.ADMIN, Role.ACCOUNTANT})
KINDS: dict[str, IntegrationKind] = {
    k.name: k
    for k in (
        IntegrationKind(
            "drive_export", "Google Drive export", "google", MANAGERS, "drive-export", True
        ),
        IntegrationKind(
            "drive_dropzone", "Google Drive Dropzone", "google", MANAGERS, "drive-dropzone"
        ),
        IntegrationKind(
            "dropbox_export",
            "Dropbox export",
            "dropbox",
            MANAGERS_AND_ACCOUNTANT,
            "dropbox-export",
            True,
        ),
        IntegrationKind("ebics", "EBICS", None, MANAGERS_AND_ACCOUNTANT, "ebics"),
    )
}
EXPORT_DESTINATIONS = {"drive_export": "google_drive", "dropbox_export": "dropbox"}
MAX_FUTURE_START = timedelta(minutes=5)  # clock skew; a start in the future is refused
DROPZONE_ROOT_NAME = "Receipts Dropzone"


@dataclass
class ConnectDeps:
    store: Any  # FirestoreStore
    connections: ConnectionStore
    integrations: Any  # IntegrationStore
    dropzone: Any  # DropzoneRepository
    providers: dict[str, Provider]
    drive_for_token: Callable[[str], Any]  # access token -> GoogleDrive (Dropzone setup)
    publish_export_sync: Callable[[dict], Any]
    publish_dropzone_sync: Callable[[dict], Any]
    # Public destination settings added to every export of a provider (local servers).
    destination_extras: dict[str, dict[str, Any]] = field(default_factory=dict)
    now: Callable[[], datetime] = lambda: datetime.now(UTC)


def kind_of(name: str) -> IntegrationKind:
    kind = KINDS.get(name)
    if kind is None:
        raise NotFound(f"no integration {name!r}; available: {sorted(KINDS)}")
    return kind


def _require_role(kind: IntegrationKind, member: Member) -> None:
    if member.role not in kind.roles:
        allowed = ", ".join(sorted(r.value for r in kind.roles))
        raise NotAllowed(f"a {member.role.value} cannot manage the {kind.label} ({allowed} only)")


def _provider(deps: ConnectDeps, kind: IntegrationKind) -> Provider:
    provider = deps.providers.get(kind.provider or "")
    if provider is None or not getattr(provider, "configured", True):
        raise ProviderUnavailable(f"{kind.label}: the OAuth client is not configured")
    return provider


def _start_at(kind: IntegrationKind, options: dict[str, Any], now: datetime) -> str | None:
    if not kind.takes_start:
        if options.get("start_at") is not None:
            raise InvalidRequest(f"{kind.label} takes no start_at")
        return None
    raw = options.get("start_at")
    if raw is None:
        return now.isoformat()
    if not isinstance(raw, str) or len(raw) > 40:
        raise InvalidRequest("start_at must be an ISO 8601 date-time with its offset")
    try:
        start = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidRequest("start_at must be an ISO 8601 date-time with its offset") from None
    if start.tzinfo is None:
        raise InvalidRequest("start_at must carry its timezone offset")
    if start > now + MAX_FUTURE_START:
        raise InvalidRequest("start_at must be in the past or now")
    if start.year < 2000:
        raise InvalidRequest("start_at must be in the year 2000 or later")
    return start.astimezone(UTC).isoformat()


# ----------------------------------------------------------------------------- status


def _connected(record: dict[str, Any] | None) -> bool:
    if not record:
        return False
    if record.get("kind") == "export":
        return bool(record.get("active"))
    return record.get("status") not in (None, "disconnected")


def status(deps: ConnectDeps, org_id: str, kind_name: str) -> dict[str, Any]:
    """What the app shows for one integration."""
    kind = kind_of(kind_name)
    record = deps.connections.integration(org_id, kind.integration_id) or {}
    connection = record.get("connection") or {}
    raw = str(record.get("status") or "")
    if not _connected(record):
        state = "disconnected"
    elif raw == "reconnect_needed":
        state = "reconnect_needed"
    elif raw == "storage_full":
        state = "storage_full"
    elif raw == "running":
        state = "syncing"
    elif raw.startswith("broken") or raw == "error":
        state = "broken"
    else:
        state = "connected"
    progress = record.get("progress") or None
    last_run = record.get("last_completed_run") or record.get("last_run") or None
    links = dict(record.get("links") or {})
    return {
        "kind": kind.name,
        "label": kind.label,
        "state": state,
        "account": connection.get("account") or None,
        "connected_at": _iso(connection.get("connected_at")),
        "start_at": _iso(record.get("sync_from")),
        "progress": {k: int(v) for k, v in progress.items()}
        if isinstance(progress, dict)
        else None,
        "last_run": _json_safe(last_run),
        "last_error": (record.get("status_message") or record.get("status_detail") or None)
        if state in ("reconnect_needed", "storage_full", "broken")
        else None,
        "links": {"root_folder": links.get("root_folder") or links.get("root")} if links else {},
    }


def _iso(value: Any) -> str | None:
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).isoformat()
    return value if isinstance(value, str) else None


def _json_safe(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(v) for v in value]
    if isinstance(value, datetime):
        return _iso(value)
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def catalogue(deps: ConnectDeps, org_id: str, member: Member) -> list[dict[str, Any]]:
    out = []
    for kind in KINDS.values():
        if kind.provider is None:
            state = None
        else:
            state = status(deps, org_id, kind.name)["state"]
        out.append(
            {
                "kind": kind.name,
                "label": kind.label,
                "roles": sorted(r.value for r in kind.roles),
                "allowed": member.role in kind.roles,
                "state": state,
            }
        )
    return out


# ----------------------------------------------------------------------------- connect


def start(
    deps: ConnectDeps,
    org_id: str,
    member: Member,
    kind_name: str,
    options: dict[str, Any],
    reconnect: bool = False,
) -> dict[str, str]:
    """Begin the OAuth flow: the URL to send the member's browser to."""
    kind = kind_of(kind_name)
    _require_role(kind, member)
    if kind.provider is None:
        raise InvalidRequest(f"{kind.label} is set up through its own routes")
    provider = _provider(deps, kind)
    now = deps.now()
    record = deps.connections.integration(org_id, kind.integration_id)
    connected = _connected(record)
    if connected and not reconnect:
        raise AlreadyConnected(f"the {kind.label} is already connected: reconnect or disconnect")
    if reconnect and not connected:
        raise NotFound(f"the {kind.label} is not connected")
    options = {"start_at": _start_at(kind, options, now), "reconnect": reconnect}
    if reconnect and options["start_at"] is None and record:
        options["start_at"] = _iso(record.get("sync_from"))
    state = new_state()
    verifier = new_code_verifier()
    deps.connections.put_state(
        state, PendingState(org_id, member.user_id, kind.name, options, verifier, now)
    )
    log.info("oauth flow started", organization_id=org_id, kind=kind.name, member_id=member.user_id)
    return {"authorization_url": provider.authorization_url(state, verifier), "state": state}


def finish(
    deps: ConnectDeps, org_id: str, member: Member, kind_name: str, state: str, code: str
) -> dict[str, Any]:
    """The callback: exchange the code and store the connection, or refuse with nothing
    stored."""
    if not state or not code or len(state) > 512 or len(code) > 2048:
        raise CallbackRefused("state and code are required")
    pending = deps.connections.peek_state(state)
    if pending is None:
        raise CallbackRefused("unknown, expired or already used state")
    if (
        pending.organization_id != org_id
        or pending.member_id != member.user_id
        or pending.kind != kind_name
    ):
        # Not consumed: the member it was issued to can still finish.
        raise CallbackRefused("this authorization was not started by this member of this company")
    kind = kind_of(pending.kind)
    _require_role(kind, member)  # the role may have changed since the start
    provider = _provider(deps, kind)
    now = deps.now()
    taken = deps.connections.take_state(state, now)
    if taken is None:
        raise CallbackRefused("unknown, expired or already used state")
    try:
        tokens = provider.exchange(code, state, taken.code_verifier)
    except GrantRefused as exc:
        raise CallbackRefused(str(exc)) from None
    except ProviderError as exc:
        raise ProviderUnavailable(str(exc)) from None
    assert tokens.refresh_token
    iid = kind.integration_id
    if kind.name in EXPORT_DESTINATIONS:
        start_at = datetime.fromisoformat(taken.options.get("start_at") or now.isoformat())
        extras = dict(deps.destination_extras.get(kind.provider or "", {}))
        deps.integrations.configure_export(
            org_id, iid, EXPORT_DESTINATIONS[kind.name], extras, start_at
        )
    else:  # the Dropzone: its folders are created in the member's Drive now
        from shared.usecases.dropzone_import import connect_dropzone

        connect_dropzone(
            org_id,
            deps.drive_for_token(tokens.access_token),
            deps.dropzone,
            root_name=DROPZONE_ROOT_NAME,
            oauth=None,
            integration_id=iid,
            now=now,
        )
    deps.connections.put_credentials(
        org_id, iid, provider.name, tokens.refresh_token, tokens.account, member.user_id, now
    )
    deps.connections.update_integration(
        org_id,
        iid,
        {
            "connection": {
                "provider": provider.name,
                "account": tokens.account,
                "connected_by": member.user_id,
                "connected_at": now,
            },
            "api_kind": kind.name,
        },
    )
    log.info(
        "integration connected", organization_id=org_id, kind=kind.name, member_id=member.user_id
    )
    return status(deps, org_id, kind.name)


def disconnect(deps: ConnectDeps, org_id: str, member: Member, kind_name: str) -> dict[str, Any]:
    """Stop the runs, revoke the token at the provider, forget the credentials. Documents
    already imported or exported stay. Idempotent."""
    kind = kind_of(kind_name)
    _require_role(kind, member)
    if kind.provider is None:
        raise InvalidRequest(f"{kind.label} is disconnected through its own routes")
    iid = kind.integration_id
    revoked = True
    refresh = deps.connections.refresh_token(org_id, iid)
    if refresh is not None:
        try:
            _provider(deps, kind).revoke(refresh)
        except (OAuthFailure, ProviderUnavailable) as exc:
            revoked = False  # still disconnected here; the token is forgotten
            log.warning("revoke failed", organization_id=org_id, kind=kind.name, error=str(exc))
    record = deps.connections.integration(org_id, iid)
    if record is not None:
        if kind.name in EXPORT_DESTINATIONS:
            if record.get("kind") == "export":
                deps.integrations.deactivate(org_id, iid)
        else:
            from shared.usecases.dropzone_import import disconnect_dropzone

            disconnect_dropzone(org_id, deps.dropzone, iid)
    deps.connections.delete_credentials(org_id, iid)
    log.info("integration disconnected", organization_id=org_id, kind=kind.name, revoked=revoked)
    return {**status(deps, org_id, kind.name), "revoked": revoked}


def access_token(deps: ConnectDeps, org_id: str, kind_name: str) -> str:
    """A fresh access token; a rotated refresh token is stored; invalid_grant marks the
    integration reconnect_needed."""
    kind = kind_of(kind_name)
    iid = kind.integration_id
    refresh = deps.connections.refresh_token(org_id, iid)
    if refresh is None:
        raise NotFound(f"the {kind.label} is not connected")
    try:
        tokens = _provider(deps, kind).refresh(refresh)
    except GrantRefused as exc:
        deps.connections.update_integration(
            org_id,
            iid,
            {"status": "reconnect_needed", "status_message": "access refused: reconnect needed"},
        )
        log.warning("reconnect needed", organization_id=org_id, kind=kind.name)
        raise ReconnectNeeded(f"the {kind.label} needs reconnecting: {exc}") from None
    except ProviderError as exc:
        raise ProviderUnavailable(str(exc)) from None
    if tokens.refresh_token:
        deps.connections.rotate_refresh_token(org_id, iid, tokens.refresh_token)
    return tokens.access_token


def sync_now(deps: ConnectDeps, org_id: str, member: Member, kind_name: str) -> dict[str, Any]:
    """Check the grant (refresh) and queue one run now."""
    kind = kind_of(kind_name)
    _require_role(kind, member)
    if kind.provider is None:
        raise InvalidRequest(f"{kind.label} has no sync")
    record = deps.connections.integration(org_id, kind.integration_id)
    if not _connected(record):
        raise NotFound(f"the {kind.label} is not connected")
    access_token(deps, org_id, kind.name)  # ReconnectNeeded surfaces now, not tonight
    payload = {"organization_id": org_id, "integration_id": kind.integration_id}
    if kind.name in EXPORT_DESTINATIONS:
        deps.publish_export_sync({**payload, "run_id": f"manual-{deps.now().isoformat()}"})
    else:
        deps.publish_dropzone_sync({**payload, "run_key": f"manual:{deps.now().isoformat()}"})
    return status(deps, org_id, kind.name)
