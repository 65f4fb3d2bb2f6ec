"""Build the `Destination` an export integration writes to, from its stored configuration.

`destination` picks the backend; `config` holds its settings:

- `local_folder`: `path` (the directory; created if missing).
- `google_drive`: `access_token`, or `refresh_token` to let google-auth refresh it with
  the deployment's OAuth client (`GOOGLE_OAUTH_CLIENT_ID` / `GOOGLE_OAUTH_CLIENT_SECRET`
  in the environment; `client_id` / `client_secret` / `token_uri` in the config override
  them); `root_url` (optional) points every call, uploads included, at another server
  such as the local fake.
- `dropbox`: `access_token`, or `refresh_token` with the app's `DROPBOX_APP_KEY` /
  `DROPBOX_APP_SECRET` (environment, or `app_key` / `app_secret` in the config);
  `api_url` / `content_url` (optional) redirect the RPC and content hosts.
- any cloud backend: `retry` (optional) `{"max_attempts", "base_delay", "max_delay"}`
  overrides the backend's backoff policy (tests and benchmarks shorten the waits);
  `resumable_threshold` / `chunk_size` (optional, bytes) tune large uploads.

A missing or malformed setting raises `DestinationConfigError` naming the field, so a
broken integration fails with a message an operator can act on, not a vendor stack trace.

This module is the only place that builds vendor credentials (OAuth tokens, app keys);
every token it is handed is registered with the log scrubber.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from shared.destinations.base import Destination, ReconnectNeeded
from shared.errors import Invalid
from shared.log import register_secret

if TYPE_CHECKING:
    from shared.config import Settings
    from shared.destinations.google_drive import GoogleDrive

GOOGLE_TOKEN_URI = "https://oauth2.googleapis.com/token"

KINDS = ("local_folder", "google_drive", "dropbox")


class DestinationConfigError(Invalid):
    """The integration's destination settings are missing or malformed."""


def _text(config: dict[str, Any], key: str, required: bool = False) -> str | None:
    value = config.get(key)
    if value is None or value == "":
        if required:
            raise DestinationConfigError(f"destination config needs {key!r}")
        return None
    if not isinstance(value, str):
        raise DestinationConfigError(f"destination config {key!r} must be a string")
    return value


def _number(config: dict[str, Any], key: str, kind: type) -> Any:
    value = config[key]
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise DestinationConfigError(f"destination config {key!r} must be a positive number")
    return kind(value)


def _retry_kwargs(config: dict[str, Any]) -> dict[str, Any]:
    retry = config.get("retry") or {}
    if not isinstance(retry, dict):
        raise DestinationConfigError("destination config 'retry' must be an object")
    unknown = set(retry) - {"max_attempts", "base_delay", "max_delay"}
    if unknown:
        raise DestinationConfigError(
            f"destination config 'retry' has unknown keys {sorted(unknown)}"
        )
    out: dict[str, Any] = {}
    if "max_attempts" in retry:
        out["max_attempts"] = _number(retry, "max_attempts", int)
    for key in ("base_delay", "max_delay"):
        if key in retry:
            out[key] = _number(retry, key, float)
    return out


def _app_credentials(settings: Settings | None) -> dict[str, str]:
    """The deployment's OAuth app credentials (not stored per integration), by variable."""
    if settings is None:
        from shared.config import settings as current

        settings = current()
    values = {
        "GOOGLE_OAUTH_CLIENT_ID": settings.google_oauth_client_id,
        "GOOGLE_OAUTH_CLIENT_SECRET": settings.google_oauth_client_secret,
        "DROPBOX_APP_KEY": settings.dropbox_app_key,
        "DROPBOX_APP_SECRET": settings.dropbox_app_secret,
    }
    return {k: v for k, v in values.items() if v}


def build_destination(
    destination: str,
    config: dict[str, Any],
    env: Mapping[str, str] | None = None,
    *,
    settings: Settings | None = None,
    on_rotated: Callable[[str], None] | None = None,
) -> Destination:
    """A ready-to-use backend for `destination` ("local_folder", "google_drive", "dropbox").

    The deployment's OAuth app credentials come from `settings` (default: the process's
    `shared.config.settings()`), or from `env` (variable name -> value) when given.
    `on_rotated(new_refresh_token)` is called when the provider answers a refresh with a new
    refresh token (Google may rotate it), so that the caller stores it.
    """
    env = dict(_app_credentials(settings) if env is None else env)
    if not isinstance(config, dict):
        raise DestinationConfigError("destination config must be an object")
    for key in ("access_token", "refresh_token", "client_secret", "app_secret"):
        if isinstance(config.get(key), str):
            register_secret(config[key])
    if destination == "local_folder":
        from shared.destinations.local_folder import LocalFolder

        return LocalFolder(Path(_text(config, "path", required=True) or ""))
    if destination == "google_drive":
        return _google_drive(config, env, on_rotated)
    if destination == "dropbox":
        return _dropbox(config, env)
    raise DestinationConfigError(f"destination must be one of {KINDS}, not {destination!r}")


def _setting(config: dict[str, Any], key: str, env: Mapping[str, str], env_key: str) -> str | None:
    return _text(config, key) or env.get(env_key) or None


def _google_drive(
    config: dict[str, Any], env: Mapping[str, str], on_rotated: Callable[[str], None] | None
) -> Destination:
    from shared.destinations.google_drive import GoogleDrive, RetryPolicy, build_drive_service

    token = _text(config, "access_token")
    refresh = _text(config, "refresh_token")
    credentials = None
    if refresh:
        credentials = _google_credentials(
            on_rotated,
            token=token,
            refresh_token=refresh,
            token_uri=_text(config, "token_uri") or GOOGLE_TOKEN_URI,
            client_id=_setting(config, "client_id", env, "GOOGLE_OAUTH_CLIENT_ID"),
            client_secret=_setting(config, "client_secret", env, "GOOGLE_OAUTH_CLIENT_SECRET"),
        )
        if not credentials.client_id or not credentials.client_secret:
            raise DestinationConfigError(
                "google_drive 'refresh_token' needs GOOGLE_OAUTH_CLIENT_ID and"
                " GOOGLE_OAUTH_CLIENT_SECRET (or 'client_id' / 'client_secret')"
            )
    elif not token:
        raise DestinationConfigError("google_drive config needs 'access_token' or 'refresh_token'")
    service = build_drive_service(
        access_token=token, root_url=_text(config, "root_url"), credentials=credentials
    )
    kwargs: dict[str, Any] = {"retry": RetryPolicy(**_retry_kwargs(config))}
    for key in ("resumable_threshold", "chunk_size"):
        if key in config:
            kwargs[key] = _number(config, key, int)
    return GoogleDrive(service, **kwargs)


def _dropbox(config: dict[str, Any], env: Mapping[str, str]) -> Destination:
    from shared.destinations.dropbox_backend import (
        DropboxDestination,
        RetryPolicy,
        build_dropbox_client,
    )

    token = _text(config, "access_token")
    refresh = _text(config, "refresh_token")
    if not token and not refresh:
        raise DestinationConfigError("dropbox config needs 'access_token' or 'refresh_token'")
    app_key = _setting(config, "app_key", env, "DROPBOX_APP_KEY")
    if refresh and not app_key:
        raise DestinationConfigError("dropbox 'refresh_token' needs DROPBOX_APP_KEY ('app_key')")
    client = build_dropbox_client(
        token,
        api_url=_text(config, "api_url"),
        content_url=_text(config, "content_url"),
        refresh_token=refresh,
        app_key=app_key,
        app_secret=_setting(config, "app_secret", env, "DROPBOX_APP_SECRET"),
    )
    kwargs: dict[str, Any] = {"retry": RetryPolicy(**_retry_kwargs(config))}
    if "chunk_size" in config:
        kwargs["chunk_size"] = _number(config, "chunk_size", int)
    return DropboxDestination(client, **kwargs)


def _google_credentials(on_rotated: Callable[[str], None] | None, **kwargs: Any) -> Any:
    """google-auth user credentials that report a rotated refresh token to `on_rotated`."""
    from google.oauth2.credentials import Credentials

    class _ReportingCredentials(Credentials):
        def refresh(self, request: Any) -> None:
            before = self.refresh_token
            super().refresh(request)
            after = self.refresh_token
            if after and after != before:
                register_secret(after)
                if on_rotated is not None:
                    on_rotated(after)

    return _ReportingCredentials(**kwargs)


def drive_from_tokens(
    tokens: Mapping[str, Any],
    integration_id: str,
    *,
    settings: Settings | None = None,
    on_rotated: Callable[[str], None] | None = None,
) -> GoogleDrive:
    """A Drive client for a Dropzone integration's stored OAuth tokens.

    Refreshable when a refresh token is stored and the deployment's OAuth client is
    configured; otherwise the stored access token is used as is (it fails with
    `ReconnectNeeded` once it expires). No token at all: `ReconnectNeeded`.
    """
    from shared.destinations.google_drive import GoogleDrive, build_drive_service

    if settings is None:
        from shared.config import settings as current

        settings = current()
    access, refresh = tokens.get("access_token"), tokens.get("refresh_token")
    for value in (access, refresh):
        if isinstance(value, str):
            register_secret(value)
    client_id, client_secret = settings.google_oauth_client_id, settings.google_oauth_client_secret
    root_url = settings.drive_api_root_url
    if refresh and client_id and client_secret:
        credentials = _google_credentials(
            on_rotated,
            token=access,
            refresh_token=refresh,
            # The deployment's token endpoint, as the connect flow uses (a local fake runs).
            token_uri=settings.google_oauth_token_uri or GOOGLE_TOKEN_URI,
            client_id=client_id,
            client_secret=client_secret,
        )
        return GoogleDrive(build_drive_service(credentials=credentials, root_url=root_url))
    if access:
        return GoogleDrive(build_drive_service(str(access), root_url=root_url))
    raise ReconnectNeeded(f"no Drive credentials stored for integration {integration_id}")
