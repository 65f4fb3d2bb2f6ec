"""Dropbox OAuth 2.0 (the only module that talks to Dropbox's authorization server), with
the SDK's `DropboxOAuth2Flow`: authorization code + PKCE, `token_access_type=offline`
for a long-lived refresh token. Our own state travels as the flow's `url_state` after
the SDK's CSRF token; both are checked. Refresh and revoke use the SDK's `Dropbox`
client. `web_url` / `api_url` point the flow at another server (the local fake).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import parse_qsl, urlencode, urlsplit

import dropbox
import requests
from dropbox.exceptions import AuthError, DropboxException
from dropbox.oauth import (
    BadRequestException,
    BadStateException,
    CsrfException,
    DropboxOAuth2Flow,
    NotApprovedException,
    ProviderException,
)

from shared.config import settings
from shared.destinations.dropbox_backend import RewriteHostAdapter
from shared.log import get_logger
from shared.oauth.base import GrantRefused, ProviderError, Tokens

log = get_logger(__name__)

WEB_URL = "https://www.dropbox.com"
API_URL = "https://api.dropboxapi.com"
_CSRF_KEY = "csrf"


@dataclass(frozen=True)
class DropboxOAuth:
    app_key: str
    app_secret: str
    redirect_uri: str
    web_url: str = WEB_URL
    api_url: str = API_URL
    name: str = "dropbox"

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> DropboxOAuth:
        env = dict(settings().env_view() if env is None else env)
        return cls(
            app_key=env.get("DROPBOX_APP_KEY", ""),
            app_secret=env.get("DROPBOX_APP_SECRET", ""),
            redirect_uri=env.get("OAUTH_REDIRECT_URI", ""),
            web_url=env.get("DROPBOX_OAUTH_WEB_URL", WEB_URL),
            api_url=env.get("DROPBOX_OAUTH_API_URL", API_URL),
        )

    @property
    def configured(self) -> bool:
        return bool(self.app_key and self.redirect_uri)

    def _session(self) -> requests.Session:
        session = requests.Session()
        if self.api_url != API_URL:
            session.mount("https://", RewriteHostAdapter({API_URL: self.api_url}))
        return session

    def _flow(self, csrf: str, code_verifier: str) -> DropboxOAuth2Flow:
        flow = DropboxOAuth2Flow(
            self.app_key,
            self.redirect_uri,
            {_CSRF_KEY: csrf},
            _CSRF_KEY,
            consumer_secret=self.app_secret or None,
            token_access_type="offline",
            use_pkce=True,
        )
        # Our verifier (kept with the pending state), not the one the SDK drew.
        from dropbox.oauth import _generate_pkce_code_challenge

        flow.code_verifier = code_verifier
        flow.code_challenge = _generate_pkce_code_challenge(code_verifier)
        flow.requests_session = self._session()
        return flow

    def authorization_url(self, state: str, code_verifier: str) -> str:
        # The SDK puts "<csrf>|<url_state>" in `state`; our state is both (checked twice).
        flow = self._flow(state, code_verifier)
        flow.session = {}
        parts = urlsplit(flow.start(url_state=None))
        # The SDK drew its own CSRF token as `state`; ours replaces it (finish() checks
        # the state against the one we give it back).
        query = [(k, state if k == "state" else v) for k, v in parse_qsl(parts.query)]
        base = self.web_url if self.web_url != WEB_URL else f"{parts.scheme}://{parts.netloc}"
        return f"{base}{parts.path}?{urlencode(query)}"

    def exchange(self, code: str, state: str, code_verifier: str) -> Tokens:
        flow = self._flow(state, code_verifier)
        try:
            result = flow.finish({"state": state, "code": code})
        except requests.HTTPError as exc:
            body = exc.response.text if exc.response is not None else ""
            if "invalid_grant" in body:
                raise GrantRefused(
                    "Dropbox refused the authorization code (invalid_grant)"
                ) from None
            raise ProviderError(
                f"Dropbox token exchange failed ({exc.response.status_code if exc.response is not None else '?'})"
            ) from None
        except (BadRequestException, BadStateException, CsrfException) as exc:
            raise GrantRefused(f"Dropbox callback refused: {type(exc).__name__}") from None
        except NotApprovedException:
            raise GrantRefused("the user did not approve the Dropbox connection") from None
        except (ProviderException, requests.RequestException, KeyError, ValueError) as exc:
            raise ProviderError(f"Dropbox token exchange failed: {type(exc).__name__}") from None
        if not result.refresh_token:
            raise ProviderError("Dropbox issued no refresh token (offline access refused)")
        expires = result.expires_at
        return Tokens(
            result.access_token,
            result.refresh_token,
            expires.replace(tzinfo=UTC) if isinstance(expires, datetime) else None,
            account=self._account_email(result.access_token) or result.account_id,
        )

    def _account_email(self, access_token: str) -> str | None:
        """The connected account's email address, which the member recognises (the token
        answer names the account by its id only); None if Dropbox does not say."""
        client = dropbox.Dropbox(oauth2_access_token=access_token, session=self._session_for_api())
        try:
            account = client.users_get_current_account()
        except (DropboxException, requests.RequestException) as exc:
            log.warning("Dropbox account name unavailable", error=type(exc).__name__)
            return None
        return str(account.email) if account.email else None

    def _client(self, refresh_token: str) -> dropbox.Dropbox:
        return dropbox.Dropbox(
            oauth2_refresh_token=refresh_token,
            app_key=self.app_key,
            app_secret=self.app_secret or None,
            session=self._session_for_api(),
        )

    def _session_for_api(self) -> requests.Session:
        session = requests.Session()
        if self.api_url != API_URL:
            session.mount(
                "https://",
                RewriteHostAdapter(
                    {API_URL: self.api_url, "https://content.dropboxapi.com": self.api_url}
                ),
            )
        return session

    def refresh(self, refresh_token: str) -> Tokens:
        client = self._client(refresh_token)
        try:
            client.refresh_access_token()
        except AuthError:
            raise GrantRefused("Dropbox refused the refresh token (invalid_grant)") from None
        except (DropboxException, requests.RequestException) as exc:
            raise ProviderError(f"Dropbox token refresh failed: {type(exc).__name__}") from None
        expires = client._oauth2_access_token_expiration  # noqa: SLF001 - SDK has no getter
        return Tokens(
            client._oauth2_access_token,  # noqa: SLF001
            None,
            expires.replace(tzinfo=UTC) if isinstance(expires, datetime) else None,
        )

    def revoke(self, refresh_token: str) -> None:
        """Dropbox revokes through /2/auth/token/revoke with an access token of the grant,
        which disables the refresh token too. A grant already refused is done."""
        try:
            client = self._client(refresh_token)
            client.refresh_access_token()
            client.auth_token_revoke()
        except AuthError:
            return
        except (DropboxException, requests.RequestException) as exc:
            raise ProviderError(f"Dropbox revoke failed: {type(exc).__name__}") from None
