"""Google OAuth 2.0 (the only module that talks to Google's authorization server), with
`google-auth-oauthlib`: authorization code + PKCE S256, `access_type=offline` and
`prompt=consent` so that a refresh token is issued every time, scope `drive.file` (only
the files the app creates or the user opens with it) plus `openid email` for the
connected account's address. Refresh goes through `google-auth` Credentials; a rotated
refresh token is returned to the caller to store.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import google.auth.exceptions
import requests
from google.auth.transport.requests import Request as AuthRequest
from google.oauth2.credentials import Credentials
from google_auth_oauthlib.flow import Flow
from oauthlib.oauth2.rfc6749.errors import InvalidGrantError, OAuth2Error

from shared.config import settings
from shared.oauth.base import GrantRefused, ProviderError, Tokens

SCOPES = [
    "https://www.googleapis.com/auth/drive.file",
    "openid",
    "https://www.googleapis.com/auth/userinfo.email",
]
AUTH_URI = "https://accounts.google.com/o/oauth2/auth"
TOKEN_URI = "https://oauth2.googleapis.com/token"
REVOKE_URI = "https://oauth2.googleapis.com/revoke"


@dataclass(frozen=True)
class GoogleOAuth:
    client_id: str
    client_secret: str
    redirect_uri: str
    auth_uri: str = AUTH_URI
    token_uri: str = TOKEN_URI
    revoke_uri: str = REVOKE_URI
    name: str = "google"

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> GoogleOAuth:
        env = dict(settings().env_view() if env is None else env)
        return cls(
            client_id=env.get("GOOGLE_OAUTH_CLIENT_ID", ""),
            client_secret=env.get("GOOGLE_OAUTH_CLIENT_SECRET", ""),
            redirect_uri=env.get("OAUTH_REDIRECT_URI", ""),
            auth_uri=env.get("GOOGLE_OAUTH_AUTH_URI", AUTH_URI),
            token_uri=env.get("GOOGLE_OAUTH_TOKEN_URI", TOKEN_URI),
            revoke_uri=env.get("GOOGLE_OAUTH_REVOKE_URI", REVOKE_URI),
        )

    @property
    def configured(self) -> bool:
        return bool(self.client_id and self.client_secret and self.redirect_uri)

    def _flow(self, state: str, code_verifier: str) -> Flow:
        config = {
            "web": {
                "client_id": self.client_id,
                "client_secret": self.client_secret,
                "auth_uri": self.auth_uri,
                "token_uri": self.token_uri,
                "redirect_uris": [self.redirect_uri],
            }
        }
        return Flow.from_client_config(
            config,
            scopes=SCOPES,
            redirect_uri=self.redirect_uri,
            state=state,
            code_verifier=code_verifier,
            autogenerate_code_verifier=False,
        )

    def authorization_url(self, state: str, code_verifier: str) -> str:
        url, _ = self._flow(state, code_verifier).authorization_url(
            access_type="offline", prompt="consent", include_granted_scopes="false", state=state
        )
        return url

    def exchange(self, code: str, state: str, code_verifier: str) -> Tokens:
        flow = self._flow(state, code_verifier)
        try:
            token = flow.fetch_token(code=code)
        except InvalidGrantError:
            raise GrantRefused("Google refused the authorization code (invalid_grant)") from None
        except (OAuth2Error, requests.RequestException, ValueError) as exc:
            raise ProviderError(f"Google token exchange failed: {type(exc).__name__}") from None
        refresh = token.get("refresh_token")
        if not refresh:
            raise ProviderError("Google issued no refresh token (offline access refused)")
        return Tokens(
            access_token=token["access_token"],
            refresh_token=refresh,
            expires_at=_expiry(token.get("expires_in")),
            account=_email(token.get("id_token")),
        )

    def refresh(self, refresh_token: str) -> Tokens:
        credentials = Credentials(
            token=None,
            refresh_token=refresh_token,
            token_uri=self.token_uri,
            client_id=self.client_id,
            client_secret=self.client_secret,
        )
        try:
            credentials.refresh(AuthRequest())
        except google.auth.exceptions.RefreshError as exc:
            if "invalid_grant" in str(exc):
                raise GrantRefused("Google refused the refresh token (invalid_grant)") from None
            raise ProviderError("Google token refresh failed") from None
        except google.auth.exceptions.TransportError:
            raise ProviderError("Google token endpoint unreachable") from None
        rotated = credentials.refresh_token if credentials.refresh_token != refresh_token else None
        expiry = credentials.expiry.replace(tzinfo=UTC) if credentials.expiry else None
        return Tokens(credentials.token, rotated, expiry)

    def revoke(self, refresh_token: str) -> None:
        """RFC 7009 at Google: revoking the refresh token revokes the whole grant. An
        already invalid token (400 invalid_token) is done too."""
        try:
            answer = requests.post(
                self.revoke_uri,
                data={"token": refresh_token},
                headers={"Content-Type": "application/x-www-form-urlencoded"},
                timeout=15,
            )
        except requests.RequestException:
            raise ProviderError("Google revoke endpoint unreachable") from None
        if answer.status_code >= 500 or answer.status_code in (401, 403, 429):
            raise ProviderError(f"Google revoke answered {answer.status_code}")


def _expiry(expires_in: Any) -> datetime | None:
    try:
        return datetime.now(UTC) + timedelta(seconds=int(expires_in))
    except (TypeError, ValueError):
        return None


def _email(id_token: Any) -> str:
    """The email claim of the ID token received straight from the token endpoint over
    TLS (OpenID Connect Core §3.1.3.7: no signature check needed for that channel)."""
    if not isinstance(id_token, str):
        return ""
    import base64
    import json

    try:
        payload = id_token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (IndexError, ValueError):
        return ""
    email = claims.get("email") if isinstance(claims, dict) else None
    return email if isinstance(email, str) else ""
