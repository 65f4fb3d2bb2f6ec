"""Google's OAuth 2.0 endpoints, faithful to what `google-auth-oauthlib` and `google-auth`
send: `GET /o/oauth2/auth` (consent, then a 302 to the redirect URI), `POST /token`
(authorization_code with PKCE, refresh_token; errors as `{"error", "error_description"}`
400/401), `POST /revoke` (`token` in the form or query; 200 `{}`, 400 `invalid_token`).
With the `openid email` scopes the token answer carries an `id_token` with the user's
email, as Google's does. Core rules: `tests/fakes/oauth_server.py`.
"""

from __future__ import annotations

import json
from typing import Any

from werkzeug.wrappers import Request, Response

from tests.fakes.id_tokens import id_token
from tests.fakes.oauth_server import AuthorizationServer, Client, OAuthError

CLIENT_ID = "local-client.apps.googleusercontent.com"
CLIENT_SECRET = "local-google-secret"  # noqa: S105 - a fake's test credential


def _json(body: Any, status: int = 200) -> Response:
    return Response(json.dumps(body), status=status, content_type="application/json")


class FakeGoogleOAuth:
    def __init__(self, redirect_uris: tuple[str, ...], drive: Any = None, **kwargs: Any) -> None:
        self.server = AuthorizationServer(
            [Client(CLIENT_ID, CLIENT_SECRET, redirect_uris)],
            on_issue=(drive.tokens.add if drive is not None else None),
            on_revoke=(drive.tokens.discard if drive is not None else None),
            **kwargs,
        )

    def client_config(self, base_url: str) -> dict[str, str]:
        return {
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "auth_uri": base_url + "/o/oauth2/auth",
            "token_uri": base_url + "/token",
            "revoke_uri": base_url + "/revoke",
        }

    def __call__(self, environ: dict, start_response: Any) -> Any:
        request = Request(environ)
        try:
            response = self._route(request)
        except OAuthError as exc:
            if request.path.endswith("/auth"):
                response = Response(f"Error 400: {exc.error}", status=400)
            else:
                body = {"error": exc.error, "error_description": exc.description}
                response = _json(body, exc.status)
        return response(environ, start_response)

    def _route(self, request: Request) -> Response:
        if request.method == "GET" and request.path == "/o/oauth2/auth":
            location = self.server.authorize(dict(request.args))
            return Response(status=302, headers={"Location": location})
        if request.method == "POST" and request.path == "/token":
            auth = request.authorization
            basic = (auth.username or "", auth.password or "") if auth else None
            answer = self.server.token(dict(request.form), basic)
            if "openid" in answer.get("scope", "").split() and "refresh_token" in answer:
                answer["id_token"] = id_token(self.server.user, audience=CLIENT_ID)
            return _json(answer)
        if request.method == "POST" and request.path == "/revoke":
            token = request.form.get("token") or request.args.get("token", "")
            if not self.server.revoke(token):
                raise OAuthError("invalid_token", "Token expired or revoked")
            return _json({})
        return Response("not found", status=404)
