"""Build the `Sender` of a partner extension from its settings, secrets and an activation.

Each kind reads (settings are stored in clear, secrets sealed; see shared/store/partners):

| kind         | settings                                                   | secrets                   | activation params |
|--------------|------------------------------------------------------------|---------------------------|-------------------|
| sftp         | host, port, username, host_key (pinned), root              | password or private_key   | path              |
| email        | host, port, from_address, security, username               | password                  | to_address, path  |
| http         | url                                                        | secret (`whsec_...`)      | path              |
| dropbox      | api_url, content_url (optional, local fake)                | access_token / refresh_token | path           |
| google_drive | root_url (optional, local fake)                            | access_token / refresh_token | path           |
| onedrive     | client_id, tenant, local_url (optional, local fake)        | client_secret, refresh_token | path           |
| accounting   | software (`pennylane`), base_url (optional, local fake)    | token                     | external_id (the client's company id there) |

Hosts and URLs must be public (`network.py`); the local-fake settings (`api_url`,
`content_url`, `root_url`, `base_url`, `local_url`) and loopback peers are accepted only
where the deployment sets `PARTNER_ALLOW_LOCAL_HOSTS=1`.

Any kind: `retry` `{"max_attempts", "base_delay", "max_delay"}` in settings shortens or
lengthens the backoff. `validate(kind, settings, secrets)` and `validate_params(kind,
params)` run when a firm installs or activates, so a bad setting is refused when saved.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any

import requests

from shared.config import Settings
from shared.destinations.accounting import PENNYLANE, AccountingSender, Pennylane
from shared.destinations.base import RetryPolicy
from shared.destinations.email_smtp import EmailSender, SmtpSettings, check_address
from shared.destinations.factory import DestinationConfigError, build_destination
from shared.destinations.network import check_public_host
from shared.destinations.onedrive import MsalTokens, OneDrive, local_session
from shared.destinations.parcel import FolderSender, Sender
from shared.destinations.sftp import SftpDestination, SftpSettings
from shared.destinations.webhook import WebhookSender, WebhookSettings
from shared.domain.partner_paths import validate_template
from shared.domain.partners import PATH_TARGET, Activation, Extension, ExtensionKind, PartnerInvalid


def _retry(settings: dict[str, Any]) -> RetryPolicy | None:
    retry = settings.get("retry")
    if retry is None:
        return None
    if not isinstance(retry, dict) or set(retry) - {"max_attempts", "base_delay", "max_delay"}:
        raise PartnerInvalid("settings 'retry' takes max_attempts, base_delay, max_delay")
    return RetryPolicy(**retry)


LOCAL_URL_SETTINGS = ("api_url", "content_url", "root_url", "base_url", "local_url")
"""Settings that point a vendor client at a local fake: honoured only where the deployment
allows local hosts (local runs, tests), refused from a firm elsewhere."""


def local_hosts_allowed() -> bool:
    """The deployment's `PARTNER_ALLOW_LOCAL_HOSTS` (local runs and tests): never a firm's."""
    return Settings.from_env().partner_allow_local_hosts


def _sftp(settings: dict[str, Any], secrets: dict[str, str]) -> SftpSettings:
    return SftpSettings(
        host=str(settings.get("host", "")),
        port=int(settings.get("port", 22)),
        username=str(settings.get("username", "")),
        host_key=str(settings.get("host_key", "")),
        password=secrets.get("password"),
        private_key=secrets.get("private_key"),
        root=str(settings.get("root", "/")),
        allow_local=local_hosts_allowed(),
    )


def _smtp(settings: dict[str, Any], secrets: dict[str, str]) -> SmtpSettings:
    return SmtpSettings(
        host=str(settings.get("host", "")),
        port=int(settings.get("port", 587)),
        from_address=str(settings.get("from_address", "")),
        security=str(settings.get("security", "starttls")),
        username=settings.get("username"),
        password=secrets.get("password"),
        allow_local=local_hosts_allowed(),
    )


def _webhook(settings: dict[str, Any], secrets: dict[str, str]) -> WebhookSettings:
    return WebhookSettings(
        url=str(settings.get("url", "")),
        secret=secrets.get("secret", ""),
        allow_loopback=local_hosts_allowed(),
    )


def validate(kind: ExtensionKind, settings: dict[str, Any], secrets: dict[str, str]) -> None:
    """Refuse an installation whose settings or secrets cannot work (`PartnerInvalid`)."""
    try:
        _retry(settings)
        local = [key for key in (*LOCAL_URL_SETTINGS, "allow_loopback") if key in settings]
        if local and not local_hosts_allowed():
            raise ValueError(f"settings {local} are for local runs only")
        if kind is ExtensionKind.SFTP:
            sftp = _sftp(settings, secrets)
            check_public_host(sftp.host, allow_local=sftp.allow_local)
        elif kind is ExtensionKind.EMAIL:
            smtp = _smtp(settings, secrets)
            check_public_host(smtp.host, allow_local=smtp.allow_local)
        elif kind is ExtensionKind.HTTP:
            _webhook(settings, secrets)
        elif kind in (ExtensionKind.DROPBOX, ExtensionKind.GOOGLE_DRIVE):
            if not (secrets.get("access_token") or secrets.get("refresh_token")):
                raise ValueError("needs an access_token or a refresh_token")
        elif kind is ExtensionKind.ACCOUNTING:
            if settings.get("software") != "pennylane":
                raise ValueError("settings.software must be 'pennylane' (the connector available)")
            if not secrets.get("token"):
                raise ValueError("needs secrets.token")
        elif kind is ExtensionKind.ONEDRIVE:
            if not settings.get("client_id") or not secrets.get("refresh_token"):
                raise ValueError("needs settings.client_id and secrets.refresh_token")
            if not secrets.get("client_secret"):
                raise ValueError("needs secrets.client_secret")
        else:
            raise ValueError("this kind cannot be installed yet")
    except (ValueError, TypeError) as exc:
        raise PartnerInvalid(f"{kind.value} extension: {exc}") from exc


def validate_params(kind: ExtensionKind, params: dict[str, Any]) -> dict[str, Any]:
    """The activation's parameters, checked: the path template, the target address."""
    unknown = set(params) - {"path", "to_address", "external_id", "mode"}
    if unknown:
        raise PartnerInvalid(f"unknown activation parameters {sorted(unknown)}")
    target = PATH_TARGET.get(kind)
    if "path" in params:
        if target is None:
            raise PartnerInvalid(f"{kind.value} activations take no path")
        validate_template(str(params["path"]), target)
    if kind is ExtensionKind.ACCOUNTING and not str(params.get("external_id", "")):
        raise PartnerInvalid("accounting activations need the client's external_id")
    if kind is ExtensionKind.EMAIL:
        try:
            check_address(str(params.get("to_address", "")))
        except ValueError as exc:
            raise PartnerInvalid(str(exc)) from exc
    elif "to_address" in params:
        raise PartnerInvalid("only email activations take a to_address")
    if params.get("mode", "per_document") not in ("per_document", "digest"):
        raise PartnerInvalid("mode must be per_document or digest")
    if params.get("mode") == "digest" and kind is not ExtensionKind.EMAIL:
        raise PartnerInvalid("only email activations send a daily digest")
    return params


def _onedrive(
    settings: dict[str, Any],
    secrets: dict[str, str],
    retry: RetryPolicy | None,
    save_secrets: Callable[[dict[str, str]], None] | None = None,
) -> OneDrive:
    local = settings.get("local_url")
    session = local_session(str(local)) if local else requests.Session()
    tokens = MsalTokens(
        str(settings["client_id"]),
        secrets["client_secret"],
        secrets["refresh_token"],
        tenant=str(settings.get("tenant") or "common"),
        http_client=session,
        on_rotate=(lambda token: save_secrets({**secrets, "refresh_token": token}))
        if save_secrets
        else None,
    )
    return OneDrive(tokens, session=session, retry=retry)


@contextmanager
def open_sender(
    kind: ExtensionKind,
    settings: dict[str, Any],
    secrets: dict[str, str],
    params: dict[str, Any],
    save_secrets: Callable[[dict[str, str]], None] | None = None,
) -> Iterator[Sender]:
    """The ready `Sender`; closes its connections when the block ends."""
    retry = _retry(settings)
    if kind is ExtensionKind.SFTP:
        sftp_settings = _sftp(settings, secrets)
        sftp = SftpDestination(sftp_settings, retry=retry)
        try:
            yield FolderSender(sftp, root=sftp_settings.root)
        finally:
            sftp.close()
    elif kind is ExtensionKind.EMAIL:
        yield EmailSender(_smtp(settings, secrets), str(params["to_address"]), retry=retry)
    elif kind is ExtensionKind.HTTP:
        yield WebhookSender(_webhook(settings, secrets), retry=retry)
    elif kind is ExtensionKind.ONEDRIVE:
        yield FolderSender(_onedrive(settings, secrets, retry, save_secrets))
    elif kind is ExtensionKind.ACCOUNTING:
        connector = Pennylane(
            secrets["token"], base_url=str(settings.get("base_url") or PENNYLANE), retry=retry
        )
        yield AccountingSender(connector, str(params.get("external_id", "")))
    elif kind in (ExtensionKind.DROPBOX, ExtensionKind.GOOGLE_DRIVE):
        config = {k: v for k, v in settings.items() if k != "retry"} | dict(secrets)
        if "retry" in settings:
            config["retry"] = settings["retry"]
        try:
            destination = build_destination(kind.value, config)
        except DestinationConfigError as exc:
            raise PartnerInvalid(str(exc)) from exc
        yield FolderSender(destination)
    else:
        raise PartnerInvalid(f"no sender for {kind.value} yet")


def open_for_activation(
    extension: Extension,
    secrets: dict[str, str],
    activation: Activation,
    save_secrets: Callable[[dict[str, str]], None] | None = None,
) -> AbstractContextManager[Sender]:
    """`open_sender` for one activation of an installed extension (the dispatch's factory);
    `save_secrets` stores credentials the vendor rotated (OneDrive refresh tokens)."""
    return open_sender(extension.kind, extension.settings, secrets, activation.params, save_secrets)
