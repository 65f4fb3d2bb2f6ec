"""OneDrive through Microsoft Graph (tokens by `msal`): the only module that talks to Graph.

- **App folder.** Everything lives under `/me/drive/special/approot` (the app's own folder,
  `Apps/<app name>`, scope `Files.ReadWrite.AppFolder`): the firm grants access to that
  folder only, never to the rest of its drive.
- **Upload sessions.** Every file goes through `createUploadSession` on
  `/me/drive/items/{parent}:/{name}:/createUploadSession` with
  `{"item": {"@microsoft.graph.conflictBehavior": "replace"}}` (re-sending a document
  replaces it, never a "name 1.pdf" copy), then `PUT`s of `chunk_size` bytes (a multiple of
  320 KiB, as Graph requires, except the last) with `Content-Range`, *without* the
  Authorization header (the upload URL is pre-authenticated). A lost answer is recovered
  from the session's `nextExpectedRanges`.
- **Folders.** `POST .../children` with `conflictBehavior: fail`; a 409 `nameAlreadyExists`
  means another run made it: the existing folder is used.
- **Failure mapping (`_classify`):** 401 / `invalid_grant` -> `ReconnectNeeded`; 507 or
  `quotaLimitReached` -> `StorageFull`; 429 and 503 (honouring `Retry-After`), other 5xx
  and connection errors -> retried with the shared `RetryPolicy`, then `RetryableError`;
  404 -> `OneDriveNotFound`; anything else -> `DestinationError` with Graph's error code.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import msal
import requests

from shared.destinations.base import (
    DestinationError,
    ReconnectNeeded,
    RetryableError,
    RetryPolicy,
    StorageFull,
    Transient,
)
from shared.destinations.dropbox_backend import RewriteHostAdapter

GRAPH = "https://graph.microsoft.com/v1.0"
LOGIN = "https://login.microsoftonline.com"
SCOPES = ["Files.ReadWrite.AppFolder"]
CHUNK_UNIT = 320 * 1024
_REFUSED = set('"*:<>?/\\|')


class OneDriveNotFound(DestinationError):
    """The item does not exist (deleted by the user, or never created)."""


class _RangeRefused(DestinationError):
    """416: the session expects other bytes (an earlier answer was lost)."""


class _Status(Exception):
    def __init__(self, response: requests.Response) -> None:
        super().__init__(f"HTTP {response.status_code}")
        self.response = response


def _graph_code(response: requests.Response) -> str:
    try:
        return str(response.json().get("error", {}).get("code", ""))
    except ValueError:
        return ""


def _retry_after(response: requests.Response) -> float | None:
    try:
        return float(response.headers["Retry-After"])
    except (KeyError, ValueError):
        return None


def _classify(exc: Exception, what: str) -> Exception:
    if isinstance(exc, _Status):
        response, code = exc.response, _graph_code(exc.response)
        status = response.status_code
        text = f"OneDrive {what}: HTTP {status} {code}".strip()
        if status == 401:
            return ReconnectNeeded(text)
        if status == 507 or code in ("quotaLimitReached", "insufficientStorage"):
            return StorageFull(text)
        if status in (429, 503) or status >= 500:
            return Transient(RetryableError(text), _retry_after(response))
        if status == 404:
            return OneDriveNotFound(text)
        if status == 416:
            return _RangeRefused(text)
        return DestinationError(text)
    if isinstance(exc, requests.ConnectionError | requests.Timeout):
        return Transient(RetryableError(f"OneDrive {what}: connection failed"))
    if isinstance(exc, DestinationError):
        return exc
    return DestinationError(f"OneDrive {what} failed: {exc!r}")


def check_name(name: str) -> str:
    """A OneDrive item name: no separators, no characters OneDrive refuses, no trailing dot."""
    if not name or name in (".", "..") or set(name) & _REFUSED or name.endswith((".", " ")):
        raise ValueError(f"invalid OneDrive name: {name!r}")
    if any(ord(c) < 32 for c in name) or len(name) > 255:
        raise ValueError(f"invalid OneDrive name: {name!r}")
    return name


class MsalTokens:
    """Access tokens for one firm's connection, refreshed by msal from its refresh token."""

    def __init__(
        self,
        client_id: str,
        client_secret: str,
        refresh_token: str,
        tenant: str = "common",
        http_client: requests.Session | None = None,
        on_rotate: Callable[[str], None] | None = None,
    ) -> None:
        # Microsoft rotates refresh tokens; the old one lapses after its lifetime, so a new
        # one is handed to `on_rotate` to be stored (sealed) in place of the old one.
        self._on_rotate = on_rotate
        self._app = msal.ConfidentialClientApplication(
            client_id,
            client_credential=client_secret,
            authority=f"{LOGIN}/{tenant}",
            http_client=http_client,
        )
        self._refresh = refresh_token
        self._lock = threading.Lock()
        self._token: str | None = None
        self._expires = 0.0

    def __call__(self) -> str:
        with self._lock:
            if self._token and time.monotonic() < self._expires - 60:
                return self._token
            result = self._app.acquire_token_by_refresh_token(self._refresh, scopes=SCOPES)
            if "access_token" not in result:
                error = result.get("error", "unknown")
                if error in ("invalid_grant", "interaction_required", "invalid_client"):
                    raise ReconnectNeeded(f"OneDrive token refused: {error}")
                raise RetryableError(f"OneDrive token endpoint failed: {error}")
            rotated = result.get("refresh_token")
            if rotated and rotated != self._refresh:
                self._refresh = str(rotated)
                if self._on_rotate is not None:
                    self._on_rotate(self._refresh)
            self._token = str(result["access_token"])
            self._expires = time.monotonic() + float(result.get("expires_in", 3600))
            return self._token


def local_session(base_url: str) -> requests.Session:
    """A session whose Graph and login calls go to `base_url` (a local fake)."""
    session = requests.Session()
    adapter = RewriteHostAdapter({GRAPH.rsplit("/", 1)[0]: base_url, LOGIN: base_url})
    session.mount("https://graph.microsoft.com", adapter)
    session.mount("https://login.microsoftonline.com", adapter)
    return session


class OneDrive:
    """The firm's OneDrive app folder as an export `Destination`."""

    kind = "onedrive"

    def __init__(
        self,
        token: Callable[[], str],
        session: requests.Session | None = None,
        retry: RetryPolicy | None = None,
        chunk_size: int = 10 * CHUNK_UNIT,
        conflict_behavior: str = "replace",
        timeout: float = 60.0,
    ) -> None:
        if chunk_size <= 0 or chunk_size % CHUNK_UNIT:
            raise ValueError("chunk_size must be a positive multiple of 320 KiB")
        if conflict_behavior not in ("replace", "fail", "rename"):
            raise ValueError("conflict_behavior is replace, fail or rename")
        self.token = token
        self.session = session or requests.Session()
        self.retry = retry or RetryPolicy(max_attempts=6, max_delay=60.0)
        self.chunk_size = chunk_size
        self.conflict_behavior = conflict_behavior
        self.timeout = timeout
        self.retries = 0
        self._root: str | None = None

    # ------------------------------------------------------------------ plumbing

    def _request(
        self,
        what: str,
        method: str,
        url: str,
        auth: bool = True,
        headers: dict[str, str] | None = None,
        **kw: Any,
    ) -> requests.Response:
        def attempt() -> requests.Response:
            sent = dict(headers or {})
            if auth:
                sent["Authorization"] = f"Bearer {self.token()}"
            response = self.session.request(method, url, headers=sent, timeout=self.timeout, **kw)
            if response.status_code >= 400:
                raise _Status(response)
            return response

        return self.retry.call(attempt, lambda exc: _classify(exc, what), self._count_retry)

    def _count_retry(self) -> None:
        self.retries += 1

    def _root_id(self) -> str:
        if self._root is None:
            self._root = self._request(
                "app folder", "GET", f"{GRAPH}/me/drive/special/approot"
            ).json()["id"]
        return self._root

    def _child(self, parent_id: str, name: str) -> dict[str, Any] | None:
        url = f"{GRAPH}/me/drive/items/{parent_id}:/{quote(name)}:"
        try:
            return self._request(f"lookup {name}", "GET", url).json()
        except OneDriveNotFound:
            return None

    # ------------------------------------------------------------------ Destination

    def ensure_folder(self, parent_id: str | None, name: str) -> str:
        parent = parent_id or self._root_id()
        check_name(name)
        existing = self._child(parent, name)
        if existing is not None:
            if "folder" not in existing:
                raise DestinationError(f"OneDrive: {name} exists and is not a folder")
            return str(existing["id"])
        body = {"name": name, "folder": {}, "@microsoft.graph.conflictBehavior": "fail"}
        try:
            created = self._request(
                f"create folder {name}",
                "POST",
                f"{GRAPH}/me/drive/items/{parent}/children",
                json=body,
            )
            return str(created.json()["id"])
        except DestinationError as exc:
            if "nameAlreadyExists" not in str(exc):
                raise
            found = self._child(parent, name)  # made by an overlapping run
            if found is None:
                raise
            return str(found["id"])

    def exists(self, item_id: str) -> bool:
        try:
            self._request("stat", "GET", f"{GRAPH}/me/drive/items/{item_id}")
            return True
        except OneDriveNotFound:
            return False

    def find_file(self, folder_id: str, name: str) -> str | None:
        found = self._child(folder_id, check_name(name))
        return str(found["id"]) if found and "file" in found else None

    def list_files(self, folder_id: str) -> dict[str, str] | None:
        """`Destination.list_files`: None, so callers ask `find_file` per file (the partner
        dispatch writes one document at a time and never lists)."""
        return None

    def upload(
        self,
        folder_id: str,
        name: str,
        data: bytes,
        mime_type: str,
        properties: dict[str, str] | None = None,
    ) -> str:
        return self._upload(folder_id, name, data, self.conflict_behavior)

    def put_file(self, folder_id: str, name: str, data: bytes, mime_type: str) -> str:
        """Write `name`, replacing the file of that name (an updated index record): Graph
        keeps the item and its id, with the new content."""
        return self._upload(folder_id, name, data, "replace")

    def _upload(self, folder_id: str, name: str, data: bytes, conflict_behavior: str) -> str:
        check_name(name)
        session_url = f"{GRAPH}/me/drive/items/{folder_id}:/{quote(name)}:/createUploadSession"
        body = {"item": {"@microsoft.graph.conflictBehavior": conflict_behavior}}
        upload_url = self._request(f"session {name}", "POST", session_url, json=body).json()[
            "uploadUrl"
        ]
        offset, total = 0, len(data)
        while True:
            end = min(offset + self.chunk_size, total)
            headers = {
                "Content-Range": f"bytes {offset}-{max(end - 1, offset)}/{total}",
                "Content-Length": str(end - offset),
            }
            try:
                response = self._request(
                    f"upload {name}",
                    "PUT",
                    upload_url,
                    auth=False,
                    data=data[offset:end],
                    headers=headers,
                )
            except _RangeRefused:
                response = self._request(f"resume {name}", "GET", upload_url, auth=False)
            payload = response.json()
            if response.status_code in (200, 201) and "id" in payload:
                return str(payload["id"])
            ranges = payload.get("nextExpectedRanges") or []
            if not ranges:
                raise DestinationError(f"OneDrive upload {name}: session answered without ranges")
            offset = int(str(ranges[0]).split("-")[0])

    def link(self, item_id: str) -> str:
        return str(
            self._request("link", "GET", f"{GRAPH}/me/drive/items/{item_id}")
            .json()
            .get("webUrl", "")
        )
