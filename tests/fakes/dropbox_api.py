"""A protocol-faithful fake of the Dropbox API v2 (the subset the `dropbox` SDK uses for us).

`FakeDropbox` is a WSGI app serving both hosts (RPC and content routes share one port);
point the SDK at it with `shared.destinations.dropbox_backend.build_dropbox_client(
token, api_url=server.base_url, content_url=server.base_url)`.

What it reproduces, because the SDK and our backend depend on it:
- RPC routes take a JSON body with `Content-Type: application/json` exactly; upload routes
  take the argument in the `Dropbox-API-Arg` header and the bytes in the body
  (`application/octet-stream`); download routes answer the bytes with the metadata in the
  `Dropbox-API-Result` header;
- results are `application/json` (the SDK asserts the exact value); route errors are 409
  `{"error_summary": "path/not_found/...", "error": {".tag": ...}}` with stone's union
  encoding (a struct variant is inlined next to `.tag`); 400 is plain text; 401 is
  `invalid_access_token`/`expired_access_token`; 429 carries `Retry-After` and
  `{"reason": {".tag": "too_many_requests"|"too_many_write_operations"}, "retry_after": n}`;
- case-insensitive paths (case kept for display), `id:` ids that survive moves, parents
  created implicitly by uploads and `create_folder_v2` as Dropbox does;
- upload sessions with offsets (`incorrect_offset` + `correct_offset`), `close`, and the
  Dropbox content hash (per call, SHA-256 over 4 MiB blocks) checked when sent;
- a storage quota: writes beyond it fail with `insufficient_space`.

Test controls mirror the Drive fake: `inject()`, `random_faults()`, `calls` by route,
`revoke_token()`/`expire_token()`, and user actions (`user_delete`, `user_move`,
`user_rename`, `user_upload`, `user_create_folder`), `children()`, `tree()`.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from werkzeug.wrappers import Request, Response

from tests.fakes.faults import FaultPlan

BLOCK_SIZE = 4 * 1024 * 1024
_RPC_ROUTES = {
    "files/create_folder_v2",
    "files/get_metadata",
    "files/list_folder",
    "files/list_folder/continue",
    "files/delete_v2",
    "users/get_space_usage",
    "users/get_current_account",
}
_UPLOAD_ROUTES = {
    "files/upload",
    "files/upload_session/start",
    "files/upload_session/append_v2",
    "files/upload_session/finish",
}
_DOWNLOAD_ROUTES = {"files/download"}


def content_hash(data: bytes) -> str:
    """Dropbox's content hash: SHA-256 of the concatenated SHA-256s of 4 MiB blocks."""
    digests = b"".join(
        hashlib.sha256(data[i : i + BLOCK_SIZE]).digest() for i in range(0, len(data), BLOCK_SIZE)
    )
    return hashlib.sha256(digests).hexdigest()


class DropboxApiError(Exception):
    """Raised inside the fake; `response()` renders it the way Dropbox does."""

    def __init__(
        self,
        status: int,
        summary: str,
        error: Any = None,
        retry_after: int | None = None,
    ) -> None:
        super().__init__(f"{status} {summary}")
        self.status = status
        self.summary = summary
        self.error = error
        self.retry_after = retry_after

    def response(self) -> Response:
        if self.status in (400,) or self.status >= 500:
            # Dropbox answers bad input and server errors in plain text.
            resp = Response(
                self.summary, status=self.status, content_type="text/plain; charset=utf-8"
            )
        else:
            body = {"error_summary": self.summary + "/...", "error": self.error}
            resp = Response(json.dumps(body), status=self.status, content_type="application/json")
        if self.retry_after is not None:
            resp.headers["Retry-After"] = str(self.retry_after)
        resp.headers["X-Dropbox-Request-Id"] = secrets.token_hex(16)
        return resp


def route_error(summary: str, error: Any) -> DropboxApiError:
    return DropboxApiError(409, summary, error)


def lookup_not_found(tag: str = "path") -> DropboxApiError:
    return route_error(f"{tag}/not_found", {".tag": tag, tag: {".tag": "not_found"}})


def rate_limited(reason: str = "too_many_requests", retry_after: int = 1) -> DropboxApiError:
    return DropboxApiError(
        429, reason, {"reason": {".tag": reason}, "retry_after": retry_after}, retry_after
    )


def _fault_error(status: int, reason: str | None) -> DropboxApiError:
    if status == 429:
        return rate_limited(reason or "too_many_requests")
    if status == 401:
        tag = reason or "invalid_access_token"
        return DropboxApiError(401, tag, {".tag": tag})
    if status == 409 and reason == "insufficient_space":
        return route_error("path/insufficient_space", {".tag": "path", "path": {".tag": reason}})
    if status >= 500:
        return DropboxApiError(status, reason or "Internal Server Error")
    return DropboxApiError(status, reason or "Error in call to API function")


def _ts(dt: datetime) -> str:
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class _Entry:
    id: str
    path_display: str
    is_folder: bool
    content: bytes = b""
    rev: str = ""
    modified: datetime = field(default_factory=lambda: datetime.now(UTC))

    @property
    def path_lower(self) -> str:
        return self.path_display.lower()

    @property
    def name(self) -> str:
        return self.path_display.rsplit("/", 1)[-1]

    def metadata(self) -> dict[str, Any]:
        md: dict[str, Any] = {
            ".tag": "folder" if self.is_folder else "file",
            "name": self.name,
            "id": self.id,
            "path_lower": self.path_lower,
            "path_display": self.path_display,
        }
        if not self.is_folder:
            md.update(
                {
                    "client_modified": _ts(self.modified),
                    "server_modified": _ts(self.modified),
                    "rev": self.rev,
                    "size": len(self.content),
                    "is_downloadable": True,
                    "content_hash": content_hash(self.content),
                }
            )
        return md


@dataclass
class _Session:
    data: bytearray = field(default_factory=bytearray)
    closed: bool = False


def _parent(path_lower: str) -> str:
    return path_lower.rsplit("/", 1)[0]


class FakeDropbox:
    """One Dropbox account in memory; a WSGI application.

    `quota_bytes` is the allocation reported by `get_space_usage` and enforced on writes.
    `list_page_size` bounds one `list_folder` page, to exercise `has_more` paging.
    """

    def __init__(
        self,
        token: str = "test-token",
        quota_bytes: int = 2 * 1024**3,
        list_page_size: int = 500,
        account_id: str = "dbid:AAH4f99T0taONIb-OurWxbNQ6ywGRopQngc",
        email: str = "camille@example.com",
    ) -> None:
        self._lock = threading.RLock()
        self.account_id = account_id
        self.email = email
        self.tokens: set[str] = {token}
        self._expired = False
        self.quota_bytes = quota_bytes
        self.list_page_size = list_page_size
        self.calls: Counter[str] = Counter()
        self._entries: dict[str, _Entry] = {}  # by path_lower
        self._sessions: dict[str, _Session] = {}
        self._faults = FaultPlan()

    # ------------------------------------------------------------------ test controls

    def revoke_token(self) -> None:
        """The user unlinked the app: every call gets 401 invalid_access_token."""
        with self._lock:
            self.tokens.clear()

    def expire_token(self) -> None:
        """The short-lived token expired: every call gets 401 expired_access_token."""
        with self._lock:
            self._expired = True

    def inject(
        self,
        status: int,
        reason: str | None = None,
        count: int = 1,
        methods: Iterable[str] | None = None,
        after_processing: bool = False,
    ) -> None:
        """Fail the next `count` calls to `methods` (routes such as "files/upload") with
        `status`; `reason` picks the 429 kind or the 401 tag.

        `after_processing=True` applies the call and then answers the error: the
        response was lost, as when a proxy times out after the write committed.
        """
        with self._lock:
            self._faults.inject(status, reason, count, methods, after_processing)

    def random_faults(
        self,
        rate: float,
        seed: int,
        statuses: tuple[int, ...] = (429, 500, 503),
        methods: Iterable[str] | None = None,
    ) -> None:
        with self._lock:
            self._faults.random(rate, seed, statuses, methods)

    def reset_calls(self) -> None:
        with self._lock:
            self.calls.clear()

    def usage_bytes(self) -> int:
        with self._lock:
            return sum(len(e.content) for e in self._entries.values())

    # ------------------------------------------------------------------ user actions

    def user_create_folder(self, path: str) -> str:
        with self._lock:
            return self._make_folders(self._normalize(path)).id

    def user_upload(self, path: str, data: bytes) -> str:
        with self._lock:
            return self._write_file(self._normalize(path), data, autorename=False).id

    def user_delete(self, path_or_id: str) -> None:
        with self._lock:
            self._delete(self._lookup(path_or_id, "path_lookup"))

    def user_move(self, path_or_id: str, new_parent: str) -> None:
        with self._lock:
            entry = self._lookup(path_or_id, "from_lookup")
            parent = self._lookup(new_parent, "to") if new_parent not in ("", "/") else None
            base = parent.path_display if parent else ""
            self._relocate(entry, f"{base}/{entry.name}")

    def user_rename(self, path_or_id: str, name: str) -> None:
        with self._lock:
            entry = self._lookup(path_or_id, "from_lookup")
            parent = entry.path_display.rsplit("/", 1)[0]
            self._relocate(entry, f"{parent}/{name}")

    def metadata(self, path_or_id: str) -> dict[str, Any] | None:
        with self._lock:
            try:
                return self._lookup(path_or_id, "path").metadata()
            except DropboxApiError:
                return None

    def content(self, path_or_id: str) -> bytes:
        with self._lock:
            return self._lookup(path_or_id, "path").content

    def children(self, path: str = "") -> list[dict[str, Any]]:
        """Metadata of the direct children of `path` ("" = root; an `id:` works too)."""
        with self._lock:
            base = "" if path in ("", "/") else self._lookup(path, "path").path_lower
            return [
                e.metadata() for key, e in sorted(self._entries.items()) if _parent(key) == base
            ]

    def tree(self, path: str = "") -> dict[str, Any]:
        """Nested dicts: folder name -> subtree, file name -> content hash."""
        with self._lock:
            out: dict[str, Any] = {}
            for md in self.children(path):
                out[md["name"]] = (
                    self.tree(md["path_lower"]) if md[".tag"] == "folder" else md["content_hash"]
                )
            return out

    # ------------------------------------------------------------------ state helpers

    @staticmethod
    def _normalize(path: str) -> str:
        # Dropbox refuses a component over 255 characters as a malformed path.
        too_long = any(len(part) > 255 for part in path.split("/"))
        if not path.startswith("/") or path.endswith("/") or "//" in path or too_long:
            raise route_error(
                "path/malformed_path", {".tag": "path", "path": {".tag": "malformed_path"}}
            )
        return path

    def _lookup(self, path_or_id: str, tag: str) -> _Entry:
        if path_or_id.startswith("id:"):
            for entry in self._entries.values():
                if entry.id == path_or_id:
                    return entry
        elif path_or_id.startswith("/"):
            entry = self._entries.get(path_or_id.lower().rstrip("/"))
            if entry is not None:
                return entry
        else:
            raise route_error(
                f"{tag}/malformed_path", {".tag": tag, tag: {".tag": "malformed_path"}}
            )
        raise lookup_not_found(tag)

    def _make_folders(self, path: str) -> _Entry:
        """Create `path` and any missing ancestors (Dropbox does the same implicitly)."""
        parts = path.strip("/").split("/")
        current = ""
        entry: _Entry | None = None
        for part in parts:
            current = f"{current}/{part}"
            entry = self._entries.get(current.lower())
            if entry is None:
                entry = _Entry(
                    id="id:" + secrets.token_urlsafe(16), path_display=current, is_folder=True
                )
                self._entries[current.lower()] = entry
            elif not entry.is_folder:
                raise route_error(
                    "path/conflict/file",
                    {".tag": "path", "path": {".tag": "conflict", "conflict": {".tag": "file"}}},
                )
            current = entry.path_display  # keep the existing case of ancestors
        assert entry is not None
        return entry

    def _write_file(
        self, path: str, data: bytes, autorename: bool, mode: str = "add", error_tag: str = "path"
    ) -> _Entry:
        parent, _, name = path.rpartition("/")
        existing = self._entries.get(path.lower())
        replacing = len(existing.content) if existing and mode == "overwrite" else 0
        if self.usage_bytes() - replacing + len(data) > self.quota_bytes:
            raise self._write_error(error_tag, "insufficient_space")
        if existing is not None:
            if mode == "overwrite" and not existing.is_folder:
                existing.content = data
                existing.rev = secrets.token_hex(8)
                existing.modified = datetime.now(UTC)
                return existing
            if not autorename:
                kind = "folder" if existing.is_folder else "file"
                raise self._write_error(error_tag, "conflict", kind)
            stem, dot, ext = name.rpartition(".")
            if not dot:
                stem, ext = name, ""
            n = 1
            while path.lower() in self._entries:
                path = f"{parent}/{stem} ({n}){dot}{ext}"
                n += 1
        if parent:
            parent_entry = self._entries.get(parent.lower())
            if parent_entry is None:
                parent_entry = self._make_folders(parent)
            if not parent_entry.is_folder:
                raise self._write_error(error_tag, "conflict", "file_ancestor")
            path = f"{parent_entry.path_display}/{path.rpartition('/')[2]}"
        entry = _Entry(
            id="id:" + secrets.token_urlsafe(16),
            path_display=path,
            is_folder=False,
            content=data,
            rev=secrets.token_hex(8),
        )
        self._entries[path.lower()] = entry
        return entry

    @staticmethod
    def _write_error(tag: str, reason: str, conflict: str | None = None) -> DropboxApiError:
        write_error: dict[str, Any] = {".tag": reason}
        if conflict:
            write_error["conflict"] = {".tag": conflict}
        summary = f"{tag}/{reason}" + (f"/{conflict}" if conflict else "")
        if tag == "upload":  # files/upload: UploadError.path is the UploadWriteFailed struct
            return route_error(
                "path/" + summary.split("/", 1)[1],
                {".tag": "path", "reason": write_error, "upload_session_id": secrets.token_hex(8)},
            )
        return route_error(summary, {".tag": tag, tag: write_error})

    def _delete(self, entry: _Entry) -> None:
        prefix = entry.path_lower + "/"
        for key in [k for k in self._entries if k == entry.path_lower or k.startswith(prefix)]:
            del self._entries[key]

    def _relocate(self, entry: _Entry, new_path: str) -> None:
        if new_path.lower() in self._entries:
            raise route_error("to/conflict", {".tag": "to", "to": {".tag": "conflict"}})
        old = entry.path_lower
        moved = {k: e for k, e in self._entries.items() if k == old or k.startswith(old + "/")}
        for key, e in moved.items():
            del self._entries[key]
            e.path_display = new_path + e.path_display[len(old) :]
            self._entries[e.path_lower] = e

    # ------------------------------------------------------------------ WSGI

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        request = Request(environ)
        return self._handle(request)(environ, start_response)

    def _take_fault(self, route: str, after: bool) -> DropboxApiError | None:
        fault = self._faults.take(route, after)
        return _fault_error(*fault) if fault else None

    def _handle(self, request: Request) -> Response:
        route = request.path.removeprefix("/2/")
        with self._lock:
            self.calls[route] += 1
            try:
                if request.method != "POST" or not request.path.startswith("/2/"):
                    raise DropboxApiError(404, "Unknown API function")
                auth = request.headers.get("Authorization", "")
                if self._expired:
                    raise DropboxApiError(
                        401, "expired_access_token", {".tag": "expired_access_token"}
                    )
                if not auth.startswith("Bearer ") or auth[7:] not in self.tokens:
                    raise DropboxApiError(
                        401, "invalid_access_token", {".tag": "invalid_access_token"}
                    )
                fault = self._take_fault(route, after=False)
                if fault is not None:
                    raise fault
                response = self._route(request, route)
                lost = self._take_fault(route, after=True)
                return lost.response() if lost is not None else response
            except DropboxApiError as exc:
                return exc.response()

    def _route(self, request: Request, route: str) -> Response:
        if route in _RPC_ROUTES:
            if request.headers.get("Content-Type", "").split(";")[0].strip() != "application/json":
                raise DropboxApiError(
                    400,
                    f'Error in call to API function "{route}": Bad HTTP "Content-Type" header: '
                    f'"{request.headers.get("Content-Type")}". Expecting "application/json".',
                )
            try:
                arg = json.loads(request.get_data() or b"null")
            except ValueError as exc:
                raise DropboxApiError(
                    400, f"Error in call to API function {route}: bad JSON"
                ) from exc
            return _json(getattr(self, "_" + route.replace("/", "_"))(arg))
        if route in _UPLOAD_ROUTES or route in _DOWNLOAD_ROUTES:
            raw_arg = request.headers.get("Dropbox-API-Arg")
            if raw_arg is None:
                raise DropboxApiError(
                    400, f'Error in call to API function "{route}": Missing Dropbox-API-Arg header'
                )
            try:
                arg = json.loads(raw_arg)
            except ValueError as exc:
                raise DropboxApiError(400, "Dropbox-API-Arg is not valid JSON") from exc
            if route in _DOWNLOAD_ROUTES:
                entry = self._lookup(arg.get("path", ""), "path")
                if entry.is_folder:
                    raise route_error(
                        "path/not_file", {".tag": "path", "path": {".tag": "not_file"}}
                    )
                resp = Response(entry.content, status=200, content_type="application/octet-stream")
                resp.headers["Dropbox-API-Result"] = json.dumps(entry.metadata())
                return resp
            ctype = request.headers.get("Content-Type", "")
            if ctype != "application/octet-stream":
                raise DropboxApiError(
                    400,
                    f'Error in call to API function "{route}": Bad HTTP "Content-Type" header: '
                    f'"{ctype}". Expecting "application/octet-stream".',
                )
            data = request.get_data()
            expected_hash = arg.get("content_hash")
            if expected_hash and expected_hash != content_hash(data):
                raise route_error("content_hash_mismatch", {".tag": "content_hash_mismatch"})
            handler = getattr(self, "_" + route.replace("/", "_"))
            return _json(handler(arg, data))
        raise DropboxApiError(400, f"Unknown API function: {route!r}")

    # ------------------------------------------------------------------ RPC routes

    def _files_create_folder_v2(self, arg: dict[str, Any]) -> dict[str, Any]:
        path = self._normalize(arg.get("path", ""))
        if path.lower() in self._entries:
            existing = self._entries[path.lower()]
            if not arg.get("autorename"):
                kind = "folder" if existing.is_folder else "file"
                raise route_error(
                    f"path/conflict/{kind}",
                    {".tag": "path", "path": {".tag": "conflict", "conflict": {".tag": kind}}},
                )
            n = 1
            while f"{path} ({n})".lower() in self._entries:
                n += 1
            path = f"{path} ({n})"
        return {
            "metadata": {
                k: v for k, v in self._make_folders(path).metadata().items() if k != ".tag"
            }
        }

    def _files_get_metadata(self, arg: dict[str, Any]) -> dict[str, Any]:
        path = arg.get("path", "")
        if path == "":
            raise route_error(
                "path/malformed_path", {".tag": "path", "path": {".tag": "malformed_path"}}
            )
        return self._lookup(path, "path").metadata()

    def _files_list_folder(self, arg: dict[str, Any]) -> dict[str, Any]:
        path = arg.get("path", "")
        if path in ("", "/"):
            base = ""
        else:
            folder = self._lookup(path, "path")
            if not folder.is_folder:
                raise route_error(
                    "path/not_folder", {".tag": "path", "path": {".tag": "not_folder"}}
                )
            base = folder.path_lower
        limit = int(arg.get("limit") or self.list_page_size)
        return self._page(base, bool(arg.get("recursive")), 0, min(limit, self.list_page_size))

    def _page(self, base: str, recursive: bool, offset: int, limit: int) -> dict[str, Any]:
        keys = sorted(
            k
            for k in self._entries
            if (k.startswith(base + "/") if recursive else _parent(k) == base)
        )
        page = keys[offset : offset + limit]
        state = {"b": base, "r": recursive, "o": offset + len(page), "l": limit}
        return {
            "entries": [self._entries[k].metadata() for k in page],
            "cursor": base64.urlsafe_b64encode(json.dumps(state).encode()).decode(),
            "has_more": offset + len(page) < len(keys),
        }

    def _files_list_folder_continue(self, arg: dict[str, Any]) -> dict[str, Any]:
        try:
            state = json.loads(base64.urlsafe_b64decode(arg["cursor"].encode()))
            base, recursive, offset, limit = state["b"], state["r"], state["o"], state["l"]
        except (KeyError, ValueError, TypeError) as exc:
            raise DropboxApiError(400, 'Invalid "cursor" parameter') from exc
        if base and base not in self._entries:
            raise lookup_not_found("path")
        return self._page(base, recursive, offset, limit)

    def _files_delete_v2(self, arg: dict[str, Any]) -> dict[str, Any]:
        entry = self._lookup(arg.get("path", ""), "path_lookup")
        metadata = entry.metadata()
        self._delete(entry)
        return {"metadata": metadata}

    def _users_get_space_usage(self, arg: Any) -> dict[str, Any]:
        return {
            "used": self.usage_bytes(),
            "allocation": {".tag": "individual", "allocated": self.quota_bytes},
        }

    def _users_get_current_account(self, arg: Any) -> dict[str, Any]:
        if arg is not None:
            raise DropboxApiError(
                400, 'Error in call to API function "users/get_current_account": no argument'
            )
        given, _, surname = self.email.split("@")[0].partition(".")
        display = f"{given.title()} {surname.title()}".strip()
        return {
            "account_id": self.account_id,
            "name": {
                "given_name": given.title(),
                "surname": surname.title(),
                "familiar_name": given.title(),
                "display_name": display,
                "abbreviated_name": "".join(w[0] for w in display.split()).upper(),
            },
            "email": self.email,
            "email_verified": True,
            "disabled": False,
            "locale": "fr",
            "referral_link": "https://db.tt/fake",
            "is_paired": False,
            "account_type": {".tag": "basic"},
            "root_info": {
                ".tag": "user",
                "root_namespace_id": "3235641",
                "home_namespace_id": "3235641",
            },
            "country": "FR",
        }

    # ------------------------------------------------------------------ content routes

    def _files_upload(self, arg: dict[str, Any], data: bytes) -> dict[str, Any]:
        if len(data) > 150 * 1024 * 1024:
            raise route_error("payload_too_large", {".tag": "payload_too_large"})
        path = arg.get("path", "")
        if path.startswith("id:"):
            target = self._lookup(path, "path")
            path = target.path_display
        mode = arg.get("mode", "add")
        mode_tag = mode.get(".tag") if isinstance(mode, dict) else mode
        entry = self._write_file(
            self._normalize(path), data, bool(arg.get("autorename")), mode_tag, error_tag="upload"
        )
        return entry.metadata()

    def _files_upload_session_start(self, arg: dict[str, Any], data: bytes) -> dict[str, Any]:
        session_id = secrets.token_urlsafe(24)
        self._sessions[session_id] = _Session(bytearray(data), closed=bool(arg.get("close")))
        return {"session_id": session_id}

    def _session_for(self, cursor: dict[str, Any], data: bytes, wrap: str | None) -> _Session:
        def err(tag: str, extra: dict[str, Any] | None = None) -> DropboxApiError:
            inner = {".tag": tag, **(extra or {})}
            if wrap:
                return route_error(f"{wrap}/{tag}", {".tag": wrap, wrap: inner})
            return route_error(tag, inner)

        session = self._sessions.get(cursor.get("session_id", ""))
        if session is None:
            raise err("not_found")
        if session.closed and data:
            raise err("closed")
        if int(cursor.get("offset", -1)) != len(session.data):
            raise err("incorrect_offset", {"correct_offset": len(session.data)})
        return session

    def _files_upload_session_append_v2(self, arg: dict[str, Any], data: bytes) -> None:
        session = self._session_for(arg.get("cursor", {}), data, wrap=None)
        session.data.extend(data)
        session.closed = bool(arg.get("close"))
        return None

    def _files_upload_session_finish(self, arg: dict[str, Any], data: bytes) -> dict[str, Any]:
        cursor = arg.get("cursor", {})
        session = self._session_for(cursor, data, wrap="lookup_failed")
        commit = arg.get("commit", {})
        mode = commit.get("mode", "add")
        mode_tag = mode.get(".tag") if isinstance(mode, dict) else mode
        path = commit.get("path", "")
        if path.startswith("id:"):
            path = self._lookup(path, "path").path_display
        entry = self._write_file(
            self._normalize(path),
            bytes(session.data) + data,
            bool(commit.get("autorename")),
            mode_tag,
            error_tag="path",
        )
        del self._sessions[cursor["session_id"]]
        return entry.metadata()


def _json(body: Any) -> Response:
    # The SDK asserts the exact value "application/json": no charset parameter.
    return Response(json.dumps(body), status=200, content_type="application/json")
