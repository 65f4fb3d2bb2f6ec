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
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from shared.destinations.base import Destination

KINDS = ("local_folder", "google_drive", "dropbox")


class DestinationConfigError(ValueError):
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


def build_destination(
    destination: str, config: dict[str, Any], env: dict[str, str] | None = None
) -> Destination:
    """A ready-to-use backend for `destination` ("local_folder", "google_drive", "dropbox").

    `env` (default: the process environment) supplies the deployment's OAuth app
    credentials, which are not stored per integration.
    """
    env = dict(os.environ if env is None else env)
    if not isinstance(config, dict):
        raise DestinationConfigError("destination config must be an object")
    if destination == "local_folder":
        from shared.destinations.local_folder import LocalFolder

        return LocalFolder(Path(_text(config, "path", required=True) or ""))
    if destination == "google_drive":
        return _google_drive(config, env)
    if destination == "dropbox":
        return _dropbox(config, env)
    raise DestinationConfigError(f"destination must be one of {KINDS}, not {destination!r}")


def _setting(config: dict[str, Any], key: str, env: dict[str, str], env_key: str) -> str | None:
    return _text(config, key) or env.get(env_key) or None


def _google_drive(config: dict[str, Any], env: dict[str, str]) -> Destination:
    from shared.destinations.google_drive import GoogleDrive, RetryPolicy, build_drive_service

    token = _text(config, "access_token")
    refresh = _text(config, "refresh_token")
    credentials = None
    if refresh:
        from google.oauth2.credentials import Credentials

        credentials = Credentials(
            token=token,
            refresh_token=refresh,
            token_uri=_text(config, "token_uri") or "https://oauth2.googleapis.com/token",
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


def _dropbox(config: dict[str, Any], env: dict[str, str]) -> Destination:
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
