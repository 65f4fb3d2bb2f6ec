"""A local Microsoft Graph (OneDrive app folder) and Microsoft identity token endpoint.

Served as one WSGI app; the client reaches it through `onedrive.local_session(base_url)`,
which rewrites https://graph.microsoft.com and https://login.microsoftonline.com.

Graph behaviour kept (as documented for driveItem):
- `/me/drive/special/approot`, items by id and by path (`/items/{id}:/{name}:`), children;
- `POST .../children` with `@microsoft.graph.conflictBehavior: fail` -> 409
  `nameAlreadyExists` when the name is taken;
- `createUploadSession` -> `uploadUrl`; PUTs with `Content-Range`; every fragment but the
  last must be a multiple of 320 KiB (else 400 `invalidRange`); out-of-order bytes -> 416;
  202 with `nextExpectedRanges` until the last byte, then 201 (new) / 200 (replaced)
  with the item; `conflictBehavior` replace / fail (409) / rename (`name 1.pdf`);
  the upload URL refuses an Authorization header (it is pre-authenticated);
- every other call needs `Authorization: Bearer <token issued here>` (401 otherwise).
Token endpoint: OpenID configuration per tenant, `grant_type=refresh_token` -> a new
access token (and a rotated refresh token); an unknown refresh token -> `invalid_grant`.
Faults (`faults`, a `FaultPlan`): planned 429 carry `Retry-After: retry_after`.
"""

from __future__ import annotations

import json
import secrets
import threading
from collections import Counter
from typing import Any
from urllib.parse import parse_qs, unquote

from werkzeug.wrappers import Request, Response

from tests.fakes.faults import FaultPlan

UNIT = 320 * 1024


def _json(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(json.dumps(body), status=status, headers=headers, mimetype="application/json")


def _error(status: int, code: str, headers: dict[str, str] | None = None) -> Response:
    return _json({"error": {"code": code, "message": code}}, status, headers)


class FakeOneDrive:
    def __init__(self, refresh_token: str = "firm-refresh-token", retry_after: int = 0) -> None:
        self.lock = threading.RLock()
        self.base_url = ""  # set by the test once the server listens
        self.faults = FaultPlan()
        self.retry_after = retry_after
        self.refresh_tokens = {refresh_token}
        self.access_tokens: set[str] = set()
        self.items: dict[str, dict[str, Any]] = {
            "approot": {"id": "approot", "name": "Receipts", "parent": None, "folder": True}
        }
        self.sessions: dict[str, dict[str, Any]] = {}
        self.calls: Counter[str] = Counter()
        self.fragment_sizes: list[int] = []

    # ------------------------------------------------------------------ helpers

    def files(self) -> dict[str, bytes]:
        """Every file by its path under the app folder."""
        with self.lock:
            return {self._path(i): i["content"] for i in self.items.values() if not i["folder"]}

    def _path(self, item: dict[str, Any]) -> str:
        parts = []
        while item["parent"] is not None:
            parts.append(item["name"])
            item = self.items[item["parent"]]
        return "/".join(reversed(parts))

    def _child(self, parent: str, name: str) -> dict[str, Any] | None:
        for item in self.items.values():
            if item["parent"] == parent and item["name"].lower() == name.lower():
                return item
        return None

    def _view(self, item: dict[str, Any]) -> dict[str, Any]:
        out = {
            "id": item["id"],
            "name": item["name"],
            "webUrl": f"https://onedrive.live.com/?id={item['id']}",
        }
        if item["folder"]:
            out["folder"] = {
                "childCount": sum(1 for i in self.items.values() if i["parent"] == item["id"])
            }
        else:
            out["file"] = {"mimeType": "application/octet-stream"}
            out["size"] = len(item["content"])
        return out

    def _new_id(self) -> str:
        return "item-" + secrets.token_hex(6)

    # ------------------------------------------------------------------ WSGI

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        request = Request(environ)
        with self.lock:
            response = self._route(request)
        return response(environ, start_response)

    def _route(self, request: Request) -> Response:
        path = unquote(request.path)
        self.calls[f"{request.method} {path.split(':')[0][:40]}"] += 1
        fault = self.faults.take(request.method, after=False)
        if fault:
            status = fault[0]
            headers = {"Retry-After": str(self.retry_after)} if status in (429, 503) else None
            return _error(
                status, "activityLimitReached" if status == 429 else "serviceNotAvailable", headers
            )
        if "/oauth2/v2.0/token" in path:
            return self._token(request)
        if path.endswith("/.well-known/openid-configuration"):
            tenant = path.strip("/").split("/")[0]
            base = "https://login.microsoftonline.com/" + tenant
            return _json(
                {
                    "issuer": f"https://login.microsoftonline.com/{tenant}/v2.0",
                    "authorization_endpoint": base + "/oauth2/v2.0/authorize",
                    "token_endpoint": base + "/oauth2/v2.0/token",
                }
            )
        if path.startswith("/common/discovery/instance"):
            return _json(
                {
                    "tenant_discovery_endpoint": "https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration",
                    "metadata": [],
                }
            )
        if path.startswith("/upload/"):
            return self._upload(request, path.split("/")[2])
        bearer = request.headers.get("Authorization", "")[7:]
        if bearer not in self.access_tokens:
            return _error(401, "InvalidAuthenticationToken")
        return self._graph(request, path.removeprefix("/v1.0"))

    def _token(self, request: Request) -> Response:
        form = parse_qs(request.get_data(as_text=True))
        refresh = (form.get("refresh_token") or [""])[0]
        if (form.get("grant_type") or [""])[
            0
        ] != "refresh_token" or refresh not in self.refresh_tokens:
            return _json({"error": "invalid_grant", "error_description": "AADSTS70000"}, 400)
        access = "at-" + secrets.token_hex(8)
        rotated = "rt-" + secrets.token_hex(8)
        self.access_tokens.add(access)
        self.refresh_tokens.add(rotated)  # the old one stays valid until it expires
        return _json(
            {
                "token_type": "Bearer",
                "scope": "Files.ReadWrite.AppFolder",
                "expires_in": 3600,
                "access_token": access,
                "refresh_token": rotated,
            }
        )

    def _graph(self, request: Request, path: str) -> Response:
        if path == "/me/drive/special/approot" and request.method == "GET":
            return _json(self._view(self.items["approot"]))
        if not path.startswith("/me/drive/items/"):
            return _error(400, "invalidRequest")
        rest = path[len("/me/drive/items/") :]
        if ":" in rest:  # /items/{id}:/{name}: or /items/{id}:/{name}:/createUploadSession
            item_id, _, tail = rest.partition(":/")
            name, _, action = tail.partition(":")
            parent = self.items.get(item_id)
            if parent is None:
                return _error(404, "itemNotFound")
            if action == "/createUploadSession" and request.method == "POST":
                body = request.get_json(silent=True) or {}
                behavior = (body.get("item") or {}).get(
                    "@microsoft.graph.conflictBehavior", "replace"
                )
                session = secrets.token_hex(8)
                self.sessions[session] = {
                    "parent": item_id,
                    "name": name,
                    "behavior": behavior,
                    "data": b"",
                    "total": None,
                }
                return _json(
                    {
                        "uploadUrl": f"{self.base_url}/upload/{session}",
                        "expirationDateTime": "2030-01-01T00:00:00Z",
                        "nextExpectedRanges": ["0-"],
                    }
                )
            child = self._child(item_id, name)
            return _json(self._view(child)) if child else _error(404, "itemNotFound")
        item_id, _, action = rest.partition("/")
        item = self.items.get(item_id)
        if item is None:
            return _error(404, "itemNotFound")
        if action == "children" and request.method == "POST":
            body = request.get_json(silent=True) or {}
            name = str(body.get("name", ""))
            if self._child(item_id, name):
                if body.get("@microsoft.graph.conflictBehavior") == "fail":
                    return _error(409, "nameAlreadyExists")
            new = {"id": self._new_id(), "name": name, "parent": item_id, "folder": True}
            self.items[new["id"]] = new
            return _json(self._view(new), 201)
        if action == "" and request.method == "GET":
            return _json(self._view(item))
        if action == "" and request.method == "DELETE":
            del self.items[item_id]
            return Response(status=204)
        return _error(400, "invalidRequest")

    def _upload(self, request: Request, session_id: str) -> Response:
        if "Authorization" in request.headers:
            return _error(401, "unauthenticated")  # the upload URL carries its own auth
        session = self.sessions.get(session_id)
        if session is None:
            return _error(404, "itemNotFound")
        received = len(session["data"])
        if request.method == "GET":
            return _json({"nextExpectedRanges": [f"{received}-"]})
        unit, _, spec = request.headers.get("Content-Range", "").partition(" ")
        span, _, total = spec.partition("/")
        start, _, end = span.partition("-")
        chunk = request.get_data()
        try:
            start_i, end_i, total_i = int(start), int(end), int(total)
        except ValueError:
            return _error(400, "invalidRange")
        if start_i != received:
            return _error(416, "invalidRange")
        last = end_i + 1 == total_i
        if len(chunk) != end_i - start_i + 1 or (not last and len(chunk) % UNIT):
            return _error(400, "invalidRange")
        self.fragment_sizes.append(len(chunk))
        session["data"] += chunk
        if not last:
            return _json({"nextExpectedRanges": [f"{len(session['data'])}-"]}, 202)
        del self.sessions[session_id]
        existing = self._child(session["parent"], session["name"])
        name = session["name"]
        if existing is not None:
            if session["behavior"] == "fail":
                return _error(409, "nameAlreadyExists")
            if session["behavior"] == "replace":
                existing["content"] = session["data"]
                return _json(self._view(existing), 200)
            stem, dot, ext = name.rpartition(".")
            n = 1
            while self._child(session["parent"], f"{stem} {n}{dot}{ext}"):
                n += 1
            name = f"{stem} {n}{dot}{ext}"
        new = {
            "id": self._new_id(),
            "name": name,
            "parent": session["parent"],
            "folder": False,
            "content": session["data"],
        }
        self.items[new["id"]] = new
        return _json(self._view(new), 201)
