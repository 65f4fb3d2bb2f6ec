"""What the connect use case needs from an OAuth provider, and the errors it maps.

`GrantRefused` means the provider said `invalid_grant` (a revoked, expired or replayed
code or refresh token): the integration needs the user to reconnect. `ProviderError` is
anything else (network, 5xx, malformed answer): retry later.
"""

from __future__ import annotations

import base64
import hashlib
import os
import secrets
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from shared.errors import AppError, NeedsReconnect, RetryLater


class OAuthFailure(AppError):
    """Base of the provider errors; messages never contain tokens."""


class GrantRefused(OAuthFailure, NeedsReconnect):
    """invalid_grant: reconnect needed."""


class ProviderError(OAuthFailure, RetryLater):
    """The provider could not be reached or answered something unexpected."""


@dataclass(frozen=True)
class Tokens:
    access_token: str = field(repr=False)
    refresh_token: str | None = field(default=None, repr=False)  # None: unchanged
    expires_at: datetime | None = None
    account: str = ""  # the connected account: email or account id


class Provider(Protocol):
    name: str

    def authorization_url(self, state: str, code_verifier: str) -> str: ...

    def exchange(self, code: str, state: str, code_verifier: str) -> Tokens: ...

    def refresh(self, refresh_token: str) -> Tokens: ...

    def revoke(self, refresh_token: str) -> None: ...


def new_code_verifier() -> str:
    """RFC 7636: 43-128 characters of [A-Za-z0-9-._~]; 64 random bytes, base64url."""
    return base64.urlsafe_b64encode(os.urandom(64)).rstrip(b"=").decode()[:128]


def new_state() -> str:
    return secrets.token_urlsafe(32)


def state_key(state: str) -> str:
    """Firestore id of a pending state: its hash (the state itself is a bearer secret)."""
    return hashlib.sha256(state.encode()).hexdigest()
