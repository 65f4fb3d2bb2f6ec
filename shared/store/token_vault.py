"""Envelope encryption of stored credentials (OAuth refresh tokens): the only module that
talks to Cloud KMS.

Each secret gets its own random 256-bit data key; the secret is sealed with AES-256-GCM
under that key, with the record's context (organization and integration) as associated
data, so a sealed token copied into another company's record does not open. The data key
is wrapped by the key-encryption key:

- production: Cloud KMS (`TOKEN_KMS_KEY` = the `tokens` key's resource name; KMS keeps
  old key versions to unwrap older records after rotation);
- the embedded default (local run, tests): a local AES key, `TOKEN_LOCAL_KEY`
  (base64 of 32 bytes). Neither configured: sealing fails (never stored in clear).

A sealed record is a plain dict for Firestore: `{"v": 1, "kek": "kms"|"local",
"wrapped_key", "nonce", "ciphertext"}` (bytes). The plaintext is never logged.
"""

from __future__ import annotations

import base64
import os
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from shared.config import settings
from shared.errors import ConfigError

KMS_KEY_ENV = "TOKEN_KMS_KEY"
LOCAL_KEY_ENV = "TOKEN_LOCAL_KEY"


class VaultError(ConfigError):
    """A secret cannot be sealed or opened (no key configured, wrong context, tampered)."""


class KeyWrapper(Protocol):
    @property
    def name(self) -> str: ...

    def wrap(self, key: bytes, context: bytes) -> bytes: ...
    def unwrap(self, wrapped: bytes, context: bytes) -> bytes: ...


@dataclass(frozen=True)
class LocalKey:
    key: bytes
    name: str = "local"

    def wrap(self, key: bytes, context: bytes) -> bytes:
        nonce = os.urandom(12)
        return nonce + AESGCM(self.key).encrypt(nonce, key, context)

    def unwrap(self, wrapped: bytes, context: bytes) -> bytes:
        return AESGCM(self.key).decrypt(wrapped[:12], wrapped[12:], context)


@dataclass(frozen=True)
class KmsKey:
    key_name: str
    name: str = "kms"

    @property
    def _client(self) -> Any:
        from google.cloud import kms

        return _kms_client(kms)

    def wrap(self, key: bytes, context: bytes) -> bytes:
        answer = self._client.encrypt(
            request={
                "name": self.key_name,
                "plaintext": key,
                "additional_authenticated_data": context,
            }
        )
        return bytes(answer.ciphertext)

    def unwrap(self, wrapped: bytes, context: bytes) -> bytes:
        answer = self._client.decrypt(
            request={
                "name": self.key_name,
                "ciphertext": wrapped,
                "additional_authenticated_data": context,
            }
        )
        return bytes(answer.plaintext)


@lru_cache(maxsize=1)
def _kms_client(kms: Any) -> Any:
    return kms.KeyManagementServiceClient()


class TokenVault:
    def __init__(self, kek: KeyWrapper | None) -> None:
        self._kek = kek

    def seal(self, secret: str, context: str) -> dict[str, Any]:
        if self._kek is None:
            raise VaultError(f"no key to seal credentials: set {KMS_KEY_ENV} or {LOCAL_KEY_ENV}")
        data_key = AESGCM.generate_key(bit_length=256)
        nonce = os.urandom(12)
        aad = context.encode()
        return {
            "v": 1,
            "kek": self._kek.name,
            "wrapped_key": self._kek.wrap(data_key, aad),
            "nonce": nonce,
            "ciphertext": AESGCM(data_key).encrypt(nonce, secret.encode(), aad),
        }

    def open(self, sealed: dict[str, Any], context: str) -> str:
        if self._kek is None:
            raise VaultError(f"no key to open credentials: set {KMS_KEY_ENV} or {LOCAL_KEY_ENV}")
        if not isinstance(sealed, dict) or sealed.get("kek") != self._kek.name:
            raise VaultError("the sealed secret is not readable with the configured key")
        aad = context.encode()
        try:
            data_key = self._kek.unwrap(bytes(sealed["wrapped_key"]), aad)
            plain = AESGCM(data_key).decrypt(
                bytes(sealed["nonce"]), bytes(sealed["ciphertext"]), aad
            )
        except (InvalidTag, KeyError, ValueError) as exc:
            raise VaultError("the sealed secret does not open in this context") from exc
        return plain.decode()


def vault_from_env(env: dict[str, str] | None = None) -> TokenVault:
    env = dict(settings().env_view() if env is None else env)
    if env.get(KMS_KEY_ENV):
        return TokenVault(KmsKey(env[KMS_KEY_ENV]))
    if env.get(LOCAL_KEY_ENV):
        try:
            key = base64.b64decode(env[LOCAL_KEY_ENV], validate=True)
        except ValueError:
            raise VaultError(f"{LOCAL_KEY_ENV} is not base64") from None
        if len(key) != 32:
            raise VaultError(f"{LOCAL_KEY_ENV} must be 32 bytes (base64)")
        return TokenVault(LocalKey(key))
    return TokenVault(None)
