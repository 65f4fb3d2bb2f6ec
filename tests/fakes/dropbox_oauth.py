"""Dropbox's OAuth 2.0 endpoints, faithful to what the `dropbox` SDK sends:
`GET /oauth2/authorize` (with `token_access_type=offline` for a refresh token, PKCE),
`POST /oauth2/token` (authorization_code, refresh_token; the answer carries `account_id`
and `uid`; errors `{"error", "error_description"}` 400), and the API route
`POST /2/auth/token/revoke` (Bearer access token; answers JSON `null`). Dropbox does not
rotate refresh tokens; `rotate=True` is available for tests. Core rules:
`tests/fakes/oauth_server.py`.
"""

from __future__ import annotations

import json
from typing import Any

from werkzeug.wrappers import Request, Response

from tests.fakes.oauth_server import AuthorizationServer, Client, OAuthError

APP_KEY = "local-dropbox-app"
APP_SECRET = "local-dropbox-secret"  # noqa: S105 - a fake's test credential
ACCOUNT_ID = "dbid:AAH4f99T0taONIb-OurWxbNQ6ywGRopQngc"


def _json(body: Any, status: int = 200) -> Response:
    return Response(json.dumps(body), status=status, content_type="application/json")


class FakeDropboxOAuth:
    def __init__(self, redirect_uris: tuple[str, ...], api: Any = None, **kwargs: Any) -> None:
        self.server = AuthorizationServer(
            [Client(APP_KEY, APP_SECRET, redirect_uris)],
            on_issue=(api.tokens.add if api is not None else None),
            on_revoke=(api.tokens.discard if api is not None else None),
            **kwargs,
        )

    def __call__(self, environ: dict, start_response: Any) -> Any:
        request = Request(environ)
        try:
            response = self._route(request)
        except OAuthError as exc:
            if request.path == "/oauth2/authorize":
                response = Response(f"Error: {exc.error}", status=400)
            else:
                body = {"error": exc.error, "error_description": exc.description}
                response = _json(body, 400 if exc.status == 400 else exc.status)
        return response(environ, start_response)

    def _route(self, request: Request) -> Response:
        if request.method == "GET" and request.path == "/oauth2/authorize":
            params = dict(request.args)
            location = self.server.authorize(params)
            return Response(status=302, headers={"Location": location})
        if request.method == "POST" and request.path == "/oauth2/token":
            auth = request.authorization
            basic = (auth.username or "", auth.password or "") if auth else None
            answer = self.server.token(dict(request.form), basic)
            answer["token_type"] = "bearer"
            answer.update(account_id=ACCOUNT_ID, uid="12345")
            return _json(answer)
        if request.method == "POST" and request.path == "/2/auth/token/revoke":
            header = request.headers.get("Authorization", "")
            token = header[7:] if header.lower().startswith("bearer ") else ""
            if not self.server.access_grant(token):
                body = {
                    "error_summary": "invalid_access_token/",
                    "error": {".tag": "invalid_access_token"},
                }
                return _json(body, 401)
            self.server.revoke(token)
            return _json(None)
        return Response("not found", status=404)
