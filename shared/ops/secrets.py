"""Secret Manager versions: add, list, disable (the only module that talks to it).

Values are passed through and never logged or returned.
"""

from __future__ import annotations

from dataclasses import dataclass

import google_crc32c
from google.api_core.client_options import ClientOptions
from google.auth.credentials import AnonymousCredentials
from google.cloud import secretmanager


@dataclass(frozen=True)
class SecretVersion:
    number: int
    state: str  # ENABLED, DISABLED, DESTROYED


class SecretVersions:
    """The versions of the secrets of one project."""

    def __init__(self, project: str, api_endpoint: str | None = None) -> None:
        self.project = project
        if api_endpoint:
            self._client = secretmanager.SecretManagerServiceClient(
                transport="rest",
                client_options=ClientOptions(api_endpoint=api_endpoint),
                credentials=AnonymousCredentials(),
            )
        else:
            self._client = secretmanager.SecretManagerServiceClient()

    def _secret(self, secret_id: str) -> str:
        return f"projects/{self.project}/secrets/{secret_id}"

    def add(self, secret_id: str, value: bytes) -> SecretVersion:
        # The checksum lets Secret Manager refuse a value damaged on the way.
        payload = secretmanager.SecretPayload(data=value, data_crc32c=google_crc32c.value(value))
        version = self._client.add_secret_version(parent=self._secret(secret_id), payload=payload)
        return _version(version)

    def list(self, secret_id: str) -> list[SecretVersion]:
        versions = self._client.list_secret_versions(parent=self._secret(secret_id))
        return sorted((_version(v) for v in versions), key=lambda v: v.number)

    def disable(self, secret_id: str, number: int) -> SecretVersion:
        name = f"{self._secret(secret_id)}/versions/{number}"
        return _version(self._client.disable_secret_version(name=name))


def _version(version: secretmanager.SecretVersion) -> SecretVersion:
    return SecretVersion(
        number=int(version.name.rsplit("/", 1)[-1]),
        state=secretmanager.SecretVersion.State(version.state).name,
    )
