"""The core of a protocol-faithful OAuth 2.0 authorization server (RFC 6749 + PKCE RFC 7636
+ revocation RFC 7009), shared by the Google and Dropbox dialects in
`tests/fakes/google_oauth.py` and `tests/fakes/dropbox_oauth.py`.

What it enforces, because our flows depend on it:
- authorize: known `client_id`, the exact registered `redirect_uri` (else an error page,
  never a redirect), `response_type=code`, PKCE `S256` when a challenge is sent; the
  end user consents at once as `user` (or refuses with `consent=False`);
- authorization codes: single use (a replay is `invalid_grant` and revokes what the code
  issued, RFC 6749 §10.5), bound to client and `redirect_uri`, expire after 10 minutes,
  and need the right `code_verifier`;
- confidential clients authenticate with their secret; PKCE public clients need none;
- refresh: a revoked or unknown refresh token is `invalid_grant`; with `rotate=True` every
  refresh issues a new refresh token and the old one stops working (reusing it revokes
  the whole grant, as rotation-with-reuse-detection servers do);
- revocation of an access or refresh token revokes the whole grant.

Issued access tokens are announced to the resource server fakes (`FakeDrive.tokens`,
`FakeDropbox.tokens`) so that the API calls made with them succeed, and withdrawn on
revocation. Test controls: `rotate`, `consent`, `user`, `revoke_all()`, `grants`, `calls`.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

CODE_TTL = 600
ACCESS_TTL = 3600


class OAuthError(Exception):
    def __init__(self, error: str, description: str = "", status: int = 400) -> None:
        super().__init__(description or error)
        self.error, self.description, self.status = error, description, status


@dataclass
class Client:
    client_id: str
    client_secret: str
    redirect_uris: tuple[str, ...]


@dataclass
class Grant:
    client_id: str
    user: str
    scope: str
    refresh_token: str | None
    access_tokens: set[str] = field(default_factory=set)
    revoked: bool = False
    retired_refresh_tokens: set[str] = field(default_factory=set)


@dataclass
class _Code:
    client_id: str
    redirect_uri: str
    challenge: str | None
    scope: str
    user: str
    expires: float
    used: bool = False
    grant: Grant | None = None


def s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


class AuthorizationServer:
    def __init__(
        self,
        clients: list[Client],
        user: str = "camille@example.com",
        rotate: bool = False,
        on_issue: Callable[[str], None] | None = None,
        on_revoke: Callable[[str], None] | None = None,
    ) -> None:
        self.clients = {c.client_id: c for c in clients}
        self.user = user
        self.rotate = rotate
        self.consent = True
        self.on_issue = on_issue or (lambda token: None)
        self.on_revoke = on_revoke or (lambda token: None)
        self.grants: list[Grant] = []
        self.calls: Counter[str] = Counter()
        self._codes: dict[str, _Code] = {}
        self._by_refresh: dict[str, Grant] = {}
        self._by_access: dict[str, Grant] = {}
        self._lock = threading.Lock()

    # -- endpoints (dialect-neutral) -------------------------------------------------
    def authorize(self, params: dict[str, str]) -> str:
        """The redirect URL after consent; OAuthError(status 400) for an error page."""
        with self._lock:
            self.calls["authorize"] += 1
            client = self.clients.get(params.get("client_id", ""))
            if client is None:
                raise OAuthError("invalid_client", "unknown client_id")
            redirect_uri = params.get("redirect_uri", "")
            if redirect_uri not in client.redirect_uris:
                raise OAuthError("redirect_uri_mismatch", "redirect_uri is not registered")
            state = params.get("state")

            def back(**answer: str) -> str:
                if state is not None:
                    answer["state"] = state
                sep = "&" if "?" in redirect_uri else "?"
                return redirect_uri + sep + urlencode(answer)

            if params.get("response_type") != "code":
                return back(error="unsupported_response_type")
            challenge = params.get("code_challenge")
            if challenge and params.get("code_challenge_method", "plain") != "S256":
                return back(error="invalid_request", error_description="use S256")
            if not self.consent:
                return back(error="access_denied")
            code = secrets.token_urlsafe(24)
            self._codes[code] = _Code(
                client.client_id,
                redirect_uri,
                challenge,
                params.get("scope", ""),
                self.user,
                time.monotonic() + CODE_TTL,
            )
            return back(code=code)

    def _client(self, form: dict[str, str], basic: tuple[str, str] | None) -> Client:
        client_id, secret = basic if basic else (form.get("client_id", ""), None)
        secret = secret if secret is not None else form.get("client_secret")
        client = self.clients.get(client_id)
        if client is None:
            raise OAuthError("invalid_client", "unknown client", 401)
        if secret is not None and not secrets.compare_digest(secret, client.client_secret):
            raise OAuthError("invalid_client", "bad client secret", 401)
        if secret is None and not form.get("code_verifier"):
            raise OAuthError("invalid_client", "client authentication missing", 401)
        return client

    def token(self, form: dict[str, str], basic: tuple[str, str] | None = None) -> dict:
        with self._lock:
            grant_type = form.get("grant_type")
            self.calls[f"token:{grant_type}"] += 1
            if grant_type == "authorization_code":
                return self._exchange(form, basic)
            if grant_type == "refresh_token":
                return self._refresh(form, basic)
            raise OAuthError("unsupported_grant_type", str(grant_type))

    def _exchange(self, form: dict[str, str], basic: tuple[str, str] | None) -> dict:
        client = self._client(form, basic)
        code = self._codes.get(form.get("code", ""))
        if code is None or code.client_id != client.client_id:
            raise OAuthError("invalid_grant", "unknown authorization code")
        if code.used:
            if code.grant is not None:
                self._revoke_grant(code.grant)  # RFC 6749 §10.5: a replayed code
            raise OAuthError("invalid_grant", "authorization code already used")
        code.used = True
        if time.monotonic() > code.expires:
            raise OAuthError("invalid_grant", "authorization code expired")
        if form.get("redirect_uri", code.redirect_uri) != code.redirect_uri:
            raise OAuthError("invalid_grant", "redirect_uri does not match")
        if code.challenge is not None:
            verifier = form.get("code_verifier", "")
            if not verifier or not secrets.compare_digest(s256(verifier), code.challenge):
                raise OAuthError("invalid_grant", "code_verifier does not match")
        grant = Grant(client.client_id, code.user, code.scope, secrets.token_urlsafe(32))
        code.grant = grant
        self.grants.append(grant)
        assert grant.refresh_token
        self._by_refresh[grant.refresh_token] = grant
        return self._issue(grant, with_refresh=True)

    def _refresh(self, form: dict[str, str], basic: tuple[str, str] | None) -> dict:
        client = self._client({**form, "code_verifier": "-"}, basic)
        token = form.get("refresh_token", "")
        grant = self._by_refresh.get(token)
        if grant is None or grant.client_id != client.client_id or grant.revoked:
            raise OAuthError("invalid_grant", "Token has been expired or revoked.")
        if token in grant.retired_refresh_tokens:
            self._revoke_grant(grant)  # reuse of a rotated token: someone copied it
            raise OAuthError("invalid_grant", "refresh token reused after rotation")
        if self.rotate:
            grant.retired_refresh_tokens.add(token)
            grant.refresh_token = secrets.token_urlsafe(32)
            self._by_refresh[grant.refresh_token] = grant
            return self._issue(grant, with_refresh=True)
        return self._issue(grant, with_refresh=False)

    def _issue(self, grant: Grant, with_refresh: bool) -> dict:
        access = secrets.token_urlsafe(32)
        grant.access_tokens.add(access)
        self._by_access[access] = grant
        self.on_issue(access)
        answer = {
            "access_token": access,
            "token_type": "Bearer",
            "expires_in": ACCESS_TTL,
            "scope": grant.scope,
        }
        if with_refresh:
            answer["refresh_token"] = grant.refresh_token
        return answer

    def revoke(self, token: str) -> bool:
        """Revoke the grant of an access or refresh token; False if the token is unknown."""
        with self._lock:
            self.calls["revoke"] += 1
            grant = self._by_access.get(token) or self._by_refresh.get(token)
            if grant is None:
                return False
            self._revoke_grant(grant)
            return True

    def revoke_all(self) -> None:
        """The user removed the app's access in their account settings."""
        with self._lock:
            for grant in self.grants:
                self._revoke_grant(grant)

    def _revoke_grant(self, grant: Grant) -> None:
        grant.revoked = True
        for access in grant.access_tokens:
            self.on_revoke(access)

    def grant_of_refresh_token(self, token: str) -> Grant | None:
        return self._by_refresh.get(token)

    def access_grant(self, token: str) -> Grant | None:
        grant = self._by_access.get(token)
        return None if grant is None or grant.revoked else grant
