"""A protocol-faithful fake of the Google Drive v3 REST API (the subset we use).

`FakeDrive` is a WSGI app; serve it with `tests.fakes.http_server.ThreadedServer`
and point `google-api-python-client` at it with
`shared.destinations.google_drive.build_drive_service(token, root_url=server.base_url + "/")`.

What it reproduces, because our backend depends on it:
- `files.create` metadata-only, `uploadType=media`, `uploadType=multipart` (the client
  writes bare `\\n` line breaks) and `uploadType=resumable` (200 + `Location` session URI,
  `PUT` chunks with `Content-Range`, `308` + `Range` while incomplete, `bytes */N` status
  queries, 200 with the file at the end);
- `files.get` (with `fields`, `alt=media`), `files.list` with a real parser for the `q`
  language subset, `pageSize`/`pageToken`, `orderBy`; `files.update` (PATCH metadata,
  `appProperties` merge where null deletes a key, `trashed`, `addParents`/`removeParents`,
  media update); `files.delete` (recursive); `about.get` (`storageQuota`);
  `files.generateIds` and creates with a client-chosen id (409 `duplicate` when reused,
  400 when the id was not generated);
- the error JSON shape `{"error": {"code", "message", "errors": [{"domain", "reason",
  "message"}], "status"}}`, a 401 for a missing or revoked Bearer token, a 403
  `storageQuotaExceeded` when a quota is set and an upload would exceed it;
- trashing a folder trashes its descendants (not explicitly), deleting it deletes them.

Test controls: `inject()` (optionally `after_processing`: the change commits, the
response is lost) and `random_faults()` for 429/403/5xx, `calls` (a Counter of
API calls by method id, for "API calls per file"), and user actions (`user_delete`,
`user_trash`, `user_move`, `user_rename`, `user_upload`, `user_create_folder`) plus
`children()` and `tree()` for assertions. One lock guards all state.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import secrets
import threading
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from werkzeug.wrappers import Request, Response

from tests.fakes.faults import FaultPlan

FOLDER_MIME = "application/vnd.google-apps.folder"
CHUNK_GRANULARITY = 256 * 1024  # Drive refuses non-final resumable chunks not a multiple of this
_DEFAULT_FILE_FIELDS = "kind,id,name,mimeType"
_DEFAULT_LIST_FIELDS = "kind,incompleteSearch,nextPageToken,files(kind,id,name,mimeType)"

_REASON_DEFAULTS: dict[int, tuple[str, str, str]] = {
    # status -> (domain, reason, message) as the real API words them
    400: ("global", "badRequest", "Bad Request"),
    401: ("global", "authError", "Invalid Credentials"),
    403: ("usageLimits", "userRateLimitExceeded", "User Rate Limit Exceeded"),
    404: ("global", "notFound", "File not found."),
    409: ("global", "duplicate", "A file already exists with the provided ID."),
    429: ("usageLimits", "rateLimitExceeded", "Rate Limit Exceeded"),
    500: ("global", "backendError", "Backend Error"),
    502: ("global", "badGateway", "Bad Gateway"),
    503: ("global", "backendError", "Service Unavailable"),
}
_REASON_MESSAGES = {
    "storageQuotaExceeded": "The user's Drive storage quota has been exceeded.",
    "userRateLimitExceeded": "User Rate Limit Exceeded",
    "rateLimitExceeded": "Rate Limit Exceeded",
}
_STATUS_NAMES = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    409: "ALREADY_EXISTS",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    502: "UNAVAILABLE",
    503: "UNAVAILABLE",
}


class DriveApiError(Exception):
    """Raised inside the fake; turned into the Drive error JSON by the WSGI layer."""

    def __init__(
        self,
        status: int,
        reason: str | None = None,
        message: str | None = None,
        location: str | None = None,
    ) -> None:
        domain, default_reason, default_message = _REASON_DEFAULTS.get(
            status, ("global", "unknown", "Error")
        )
        self.status = status
        self.reason = reason or default_reason
        if reason in ("storageQuotaExceeded", "userRateLimitExceeded", "rateLimitExceeded"):
            domain = "usageLimits"
        self.domain = domain
        self.message = message or _REASON_MESSAGES.get(self.reason, default_message)
        self.location = location
        super().__init__(f"{status} {self.reason}: {self.message}")

    def to_response(self) -> Response:
        if self.status == 502:
            # Google's front end answers 502 with an HTML page, not JSON: clients must cope.
            return Response(
                "<html><body><h1>502.</h1> That's an error.</body></html>",
                status=502,
                content_type="text/html; charset=UTF-8",
            )
        detail: dict[str, Any] = {
            "domain": self.domain,
            "reason": self.reason,
            "message": self.message,
        }
        if self.location:
            detail["locationType"] = "parameter" if self.location != "Authorization" else "header"
            detail["location"] = self.location
        body = {
            "error": {
                "code": self.status,
                "message": self.message,
                "errors": [detail],
                "status": _STATUS_NAMES.get(self.status, "UNKNOWN"),
            }
        }
        response = _json_response(body, self.status)
        if self.status == 401:
            response.headers["WWW-Authenticate"] = (
                'Bearer realm="https://accounts.google.com/", error="invalid_token"'
            )
        return response


def _json_response(body: Any, status: int = 200) -> Response:
    return Response(json.dumps(body), status=status, content_type="application/json; charset=UTF-8")


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + (
        f"{datetime.now(UTC).microsecond // 1000:03d}Z"
    )


def _new_id() -> str:
    # Real ids are 33 characters of [A-Za-z0-9_-]; callers must treat them as opaque.
    return "1" + secrets.token_urlsafe(24)[:32]


@dataclass
class DriveItem:
    id: str
    name: str
    mime_type: str
    parents: list[str]
    created_time: str
    modified_time: str
    content: bytes | None = None  # None for folders
    description: str | None = None
    app_properties: dict[str, str] = field(default_factory=dict)
    properties: dict[str, str] = field(default_factory=dict)
    trashed: bool = False
    explicitly_trashed: bool = False
    seq: int = 0

    @property
    def is_folder(self) -> bool:
        return self.mime_type == FOLDER_MIME

    def resource(self) -> dict[str, Any]:
        res: dict[str, Any] = {
            "kind": "drive#file",
            "id": self.id,
            "name": self.name,
            "mimeType": self.mime_type,
            "parents": list(self.parents),
            "trashed": self.trashed,
            "explicitlyTrashed": self.explicitly_trashed,
            "createdTime": self.created_time,
            "modifiedTime": self.modified_time,
            "webViewLink": (
                f"https://drive.google.com/drive/folders/{self.id}"
                if self.is_folder
                else f"https://drive.google.com/file/d/{self.id}/view?usp=drivesdk"
            ),
        }
        if self.description is not None:
            res["description"] = self.description
        if self.app_properties:
            res["appProperties"] = dict(self.app_properties)
        if self.properties:
            res["properties"] = dict(self.properties)
        if self.content is not None:
            res["size"] = str(len(self.content))  # int64 fields are JSON strings in Google APIs
            res["md5Checksum"] = hashlib.md5(self.content).hexdigest()
        return res


# ----------------------------------------------------------------------------- fields masks


def parse_fields(mask: str) -> dict[str, Any] | None:
    """Parse a partial-response mask (`files(id,name),nextPageToken`, `a/b`, `*`).

    Returns None for "everything", else {field: sub-mask or None}.
    """
    mask = mask.strip()
    if not mask or mask == "*":
        return None
    result: dict[str, Any] = {}
    depth, start = 0, 0
    items: list[str] = []
    for i, ch in enumerate(mask):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth < 0:
                raise DriveApiError(400, "invalidParameter", "Invalid field selection", "fields")
        elif ch == "," and depth == 0:
            items.append(mask[start:i])
            start = i + 1
    if depth != 0:
        raise DriveApiError(400, "invalidParameter", "Invalid field selection", "fields")
    items.append(mask[start:])
    for raw in items:
        item = raw.strip()
        if not item:
            continue
        if "(" in item and item.endswith(")"):
            name, sub = item.split("(", 1)
            result[name.strip()] = parse_fields(sub[:-1])
        elif "/" in item:
            name, sub = item.split("/", 1)
            result[name.strip()] = parse_fields(sub)
        else:
            result[item] = None
    return result


def project(value: Any, mask: dict[str, Any] | None) -> Any:
    if mask is None or "*" in mask:
        return value
    if isinstance(value, list):
        return [project(v, mask) for v in value]
    if not isinstance(value, dict):
        return value
    return {k: project(value[k], sub) for k, sub in mask.items() if k in value}


# ----------------------------------------------------------------------------- q language


_TOKEN_RE = re.compile(
    r"""\s*(?:
        (?P<string>'(?:[^'\\]|\\.)*')
      | (?P<op>!=|<=|>=|=|<|>)
      | (?P<punct>[(){}])
      | (?P<word>[A-Za-z_][A-Za-z0-9_.]*)
      | (?P<number>-?\d+)
    )""",
    re.VERBOSE,
)


class QuerySyntaxError(DriveApiError):
    def __init__(self, detail: str) -> None:
        super().__init__(400, "invalid", f"Invalid Value ({detail})", "q")


def _tokenize(q: str) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    pos = 0
    while pos < len(q):
        if q[pos:].strip() == "":
            break
        m = _TOKEN_RE.match(q, pos)
        if not m or m.end() == pos:
            raise QuerySyntaxError(f"unexpected character at {pos}")
        kind = m.lastgroup or ""
        text = m.group(kind)
        if kind == "string":
            text = re.sub(r"\\(.)", r"\1", text[1:-1])  # \' and \\ are the only escapes
        tokens.append((kind, text))
        pos = m.end()
    return tokens


Predicate = Callable[[DriveItem], bool]


class _QueryParser:
    """Recursive descent: or > and > not > (group | term)."""

    def __init__(self, q: str, resolve_id: Callable[[str], str]) -> None:
        self.tokens = _tokenize(q)
        self.pos = 0
        self.resolve_id = resolve_id

    def parse(self) -> Predicate:
        pred = self._or()
        if self.pos != len(self.tokens):
            raise QuerySyntaxError(f"unexpected {self.tokens[self.pos][1]!r}")
        return pred

    def _peek(self) -> tuple[str, str] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def _take(self, kind: str | None = None, text: str | None = None) -> str:
        tok = self._peek()
        if tok is None:
            raise QuerySyntaxError("unexpected end of query")
        if (kind and tok[0] != kind) or (text and tok[1].lower() != text):
            raise QuerySyntaxError(f"expected {text or kind}, got {tok[1]!r}")
        self.pos += 1
        return tok[1]

    def _is_word(self, word: str) -> bool:
        tok = self._peek()
        return tok is not None and tok[0] == "word" and tok[1].lower() == word

    def _or(self) -> Predicate:
        preds = [self._and()]
        while self._is_word("or"):
            self.pos += 1
            preds.append(self._and())
        return preds[0] if len(preds) == 1 else (lambda it: any(p(it) for p in preds))

    def _and(self) -> Predicate:
        preds = [self._not()]
        while self._is_word("and"):
            self.pos += 1
            preds.append(self._not())
        return preds[0] if len(preds) == 1 else (lambda it: all(p(it) for p in preds))

    def _not(self) -> Predicate:
        if self._is_word("not"):
            self.pos += 1
            inner = self._not()
            return lambda it: not inner(it)
        tok = self._peek()
        if tok == ("punct", "("):
            self.pos += 1
            inner = self._or()
            self._take("punct", ")")
            return inner
        return self._term()

    def _term(self) -> Predicate:
        tok = self._peek()
        if tok is None:
            raise QuerySyntaxError("unexpected end of query")
        if tok[0] == "string":
            value = self._take("string")
            self._take("word", "in")
            target = self._take("word")
            if target != "parents":
                raise QuerySyntaxError(f"'in {target}' is not supported")
            folder_id = self.resolve_id(value)
            return lambda it: folder_id in it.parents
        name = self._take("word")
        if name in ("appProperties", "properties"):
            self._take("word", "has")
            self._take("punct", "{")
            self._take("word", "key")
            self._take("op", "=")
            key = self._take("string")
            self._take("word", "and")
            self._take("word", "value")
            self._take("op", "=")
            val = self._take("string")
            self._take("punct", "}")
            attr = "app_properties" if name == "appProperties" else "properties"
            return lambda it: getattr(it, attr).get(key) == val
        tok = self._peek()
        if tok is not None and tok[0] == "word" and tok[1] == "contains":
            self.pos += 1
            needle = self._take("string")
            if name not in ("name", "fullText"):
                raise QuerySyntaxError(f"'{name} contains' is not supported")
            return lambda it: needle.lower() in it.name.lower()
        op = self._take("op")
        if name == "trashed":
            literal = self._take("word").lower()
            if literal not in ("true", "false"):
                raise QuerySyntaxError("trashed takes true or false")
            want = literal == "true"
            return _compare(op, lambda it: it.trashed, want, name)
        value = self._take("string")
        getters: dict[str, Callable[[DriveItem], Any]] = {
            "name": lambda it: it.name,
            "mimeType": lambda it: it.mime_type,
            "createdTime": lambda it: it.created_time,
            "modifiedTime": lambda it: it.modified_time,
        }
        if name not in getters:
            raise QuerySyntaxError(f"unknown field {name!r}")
        return _compare(op, getters[name], value, name)


def _compare(op: str, getter: Callable[[DriveItem], Any], value: Any, name: str) -> Predicate:
    if name in ("name", "mimeType", "trashed") and op not in ("=", "!="):
        raise QuerySyntaxError(f"operator {op} not allowed on {name}")
    ops: dict[str, Callable[[Any, Any], bool]] = {
        "=": lambda a, b: a == b,
        "!=": lambda a, b: a != b,
        "<": lambda a, b: a < b,
        "<=": lambda a, b: a <= b,
        ">": lambda a, b: a > b,
        ">=": lambda a, b: a >= b,
    }
    fn = ops[op]
    return lambda it: fn(getter(it), value)


# ----------------------------------------------------------------------------- the fake


@dataclass
class _UploadSession:
    metadata: dict[str, Any]
    mime_type: str
    total: int | None
    fields: str | None
    target_id: str | None  # set for a media update of an existing file
    add_parents: list[str]
    data: bytearray = field(default_factory=bytearray)
    result: dict[str, Any] | None = None


class FakeDrive:
    """In-memory Drive with one user; a WSGI application.

    `token` is the Bearer token the fake accepts; `quota_bytes` (None = unlimited)
    makes uploads fail with 403 storageQuotaExceeded once usage would exceed it.
    """

    def __init__(self, token: str = "test-token", quota_bytes: int | None = None) -> None:
        self._lock = threading.RLock()
        self.tokens: set[str] = {token}
        self.quota_bytes = quota_bytes
        self.calls: Counter[str] = Counter()
        self._items: dict[str, DriveItem] = {}
        self._faults = FaultPlan()
        self._sessions: dict[str, _UploadSession] = {}
        self._generated_ids: set[str] = set()
        self._seq = 0
        now = _now()
        self.root_id = _new_id()
        self._items[self.root_id] = DriveItem(
            id=self.root_id,
            name="My Drive",
            mime_type=FOLDER_MIME,
            parents=[],
            created_time=now,
            modified_time=now,
        )

    # ------------------------------------------------------------------ test controls

    def revoke_token(self) -> None:
        """Every request from now on gets 401 (the user revoked our access)."""
        with self._lock:
            self.tokens.clear()

    def grant_token(self, token: str) -> None:
        with self._lock:
            self.tokens.add(token)

    def inject(
        self,
        status: int,
        reason: str | None = None,
        count: int = 1,
        methods: Iterable[str] | None = None,
        after_processing: bool = False,
    ) -> None:
        """Fail the next `count` matching calls with `status` (and error `reason`).

        `methods` restricts to method ids such as "files.create", "files.list",
        "upload.chunk" (a resumable PUT); None matches every call.
        `after_processing=True` applies the call, then answers the error: the
        response was lost after the change committed.
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
        """Fail each matching call with probability `rate`, reproducibly for a `seed`."""
        with self._lock:
            self._faults.random(rate, seed, statuses, methods)

    def reset_calls(self) -> None:
        with self._lock:
            self.calls.clear()

    def usage_bytes(self) -> int:
        with self._lock:
            return sum(len(it.content) for it in self._items.values() if it.content is not None)

    # ------------------------------------------------------------------ user actions

    def user_create_folder(self, parent_id: str | None, name: str) -> str:
        with self._lock:
            return self._insert(name, FOLDER_MIME, [self._resolve(parent_id or "root")], None).id

    def user_upload(self, parent_id: str | None, name: str, data: bytes, mime: str) -> str:
        with self._lock:
            return self._insert(name, mime, [self._resolve(parent_id or "root")], data).id

    def user_delete(self, item_id: str) -> None:
        """Delete for good (as "delete forever" or a purge of the trash)."""
        with self._lock:
            self._require(item_id)
            self._delete_tree(item_id)

    def user_trash(self, item_id: str) -> None:
        with self._lock:
            self._set_trashed(self._require(item_id), True)

    def user_untrash(self, item_id: str) -> None:
        with self._lock:
            self._set_trashed(self._require(item_id), False)

    def user_move(self, item_id: str, new_parent_id: str) -> None:
        with self._lock:
            item = self._require(item_id)
            item.parents = [self._resolve(new_parent_id)]

    def user_rename(self, item_id: str, name: str) -> None:
        with self._lock:
            self._require(item_id).name = name

    def item(self, item_id: str) -> dict[str, Any] | None:
        """Full resource of an item (trashed included), None once deleted."""
        with self._lock:
            it = self._items.get(item_id)
            return it.resource() if it else None

    def content(self, item_id: str) -> bytes:
        with self._lock:
            data = self._require(item_id).content
            if data is None:
                raise ValueError(f"{item_id} is a folder")
            return data

    def children(self, parent_id: str | None = None, include_trashed: bool = False) -> list[dict]:
        with self._lock:
            pid = self._resolve(parent_id or "root")
            return [
                it.resource()
                for it in sorted(self._items.values(), key=lambda i: i.seq)
                if pid in it.parents and (include_trashed or not it.trashed)
            ]

    def tree(self, parent_id: str | None = None) -> dict[str, Any]:
        """Live (untrashed) items as nested dicts: folder name -> subtree, file name -> md5.

        A repeated name gets a `#2`, `#3` suffix so duplicates stay visible.
        """
        with self._lock:
            out: dict[str, Any] = {}
            for child in self.children(parent_id):
                key = child["name"]
                n = 2
                while key in out:
                    key = f"{child['name']}#{n}"
                    n += 1
                if child["mimeType"] == FOLDER_MIME:
                    out[key] = self.tree(child["id"])
                else:
                    out[key] = child["md5Checksum"]
            return out

    # ------------------------------------------------------------------ state helpers

    def _resolve(self, item_id: str) -> str:
        return self.root_id if item_id == "root" else item_id

    def _require(self, item_id: str) -> DriveItem:
        item = self._items.get(self._resolve(item_id))
        if item is None:
            raise DriveApiError(404, "notFound", f"File not found: {item_id}.", "fileId")
        return item

    def _insert(
        self,
        name: str,
        mime: str,
        parents: list[str],
        content: bytes | None,
        item_id: str | None = None,
    ) -> DriveItem:
        self._seq += 1
        now = _now()
        item = DriveItem(
            id=item_id or _new_id(),
            name=name,
            mime_type=mime,
            parents=parents,
            created_time=now,
            modified_time=now,
            content=content,
            seq=self._seq,
        )
        self._items[item.id] = item
        return item

    def _descendants(self, item_id: str) -> list[DriveItem]:
        out: list[DriveItem] = []
        stack = [item_id]
        while stack:
            pid = stack.pop()
            for it in self._items.values():
                if pid in it.parents:
                    out.append(it)
                    stack.append(it.id)
        return out

    def _delete_tree(self, item_id: str) -> None:
        for it in self._descendants(item_id):
            self._items.pop(it.id, None)
        self._items.pop(item_id, None)

    def _set_trashed(self, item: DriveItem, trashed: bool) -> None:
        item.trashed = trashed
        item.explicitly_trashed = trashed
        for it in self._descendants(item.id):
            if trashed and not it.trashed:
                it.trashed, it.explicitly_trashed = True, False
            elif not trashed and not it.explicitly_trashed:
                it.trashed = False

    def _check_quota(self, extra: int, replacing: int = 0) -> None:
        if self.quota_bytes is None:
            return
        usage = sum(len(it.content) for it in self._items.values() if it.content is not None)
        if usage - replacing + extra > self.quota_bytes:
            raise DriveApiError(403, "storageQuotaExceeded")

    def _check_parents(self, parents: list[str]) -> list[str]:
        resolved = []
        for pid in parents:
            parent = self._require(pid)
            if not parent.is_folder:
                raise DriveApiError(400, "badRequest", f"Parent {pid} is not a folder.")
            resolved.append(parent.id)
        if len(resolved) > 1:
            raise DriveApiError(
                403, "cannotAddParent", "Increasing the number of parents is not allowed."
            )
        return resolved

    # ------------------------------------------------------------------ WSGI

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        request = Request(environ)
        response = self._handle(request)
        return response(environ, start_response)

    def _method_id(self, request: Request) -> str:
        path, verb = request.path, request.method
        if path.startswith(("/upload/", "/resumable/upload/")):
            if verb == "PUT" or request.args.get("upload_id"):
                return "upload.chunk"
            return "files.update" if verb == "PATCH" else "files.create"
        if path.startswith("/drive/v3/about"):
            return "about.get"
        if path.rstrip("/") == "/drive/v3/files":
            return "files.list" if verb == "GET" else "files.create"
        if path == "/drive/v3/files/generateIds":
            return "files.generateIds"
        if path.startswith("/drive/v3/files/"):
            if verb == "GET":
                return "files.download" if request.args.get("alt") == "media" else "files.get"
            return {"PATCH": "files.update", "DELETE": "files.delete"}.get(verb, "unknown")
        return "unknown"

    def _take_fault(self, method_id: str, after: bool) -> DriveApiError | None:
        fault = self._faults.take(method_id, after)
        return DriveApiError(*fault) if fault else None

    def _handle(self, request: Request) -> Response:
        with self._lock:
            method_id = self._method_id(request)
            self.calls[method_id] += 1
            try:
                auth = request.headers.get("Authorization", "")
                if not auth.startswith("Bearer ") or auth[7:] not in self.tokens:
                    raise DriveApiError(
                        401,
                        "authError",
                        "Request had invalid authentication credentials. Expected OAuth 2 "
                        "access token, login cookie or other valid authentication credential.",
                        "Authorization",
                    )
                fault = self._take_fault(method_id, after=False)
                if fault is not None:
                    raise fault
                response = self._route(request, method_id)
                lost = self._take_fault(method_id, after=True)
                return lost.to_response() if lost is not None else response
            except DriveApiError as exc:
                return exc.to_response()

    def _route(self, request: Request, method_id: str) -> Response:
        path = request.path
        if path.startswith("/resumable/"):
            path = path[len("/resumable") :]
        if method_id == "upload.chunk":
            return self._upload_chunk(request)
        if path.startswith("/upload/drive/v3/files"):
            file_id = path[len("/upload/drive/v3/files") :].strip("/") or None
            return self._upload_start(request, file_id)
        if method_id == "about.get":
            return self._about(request)
        if method_id == "files.list":
            return self._list(request)
        if method_id == "files.generateIds":
            return self._generate_ids(request)
        if method_id == "files.create":
            meta = request.get_json(force=True, silent=True) or {}
            item = self._create(meta, None)
            return self._file_response(item, request.args.get("fields"))
        if path.startswith("/drive/v3/files/"):
            file_id = path[len("/drive/v3/files/") :]
            if method_id == "files.get":
                return self._file_response(self._require(file_id), request.args.get("fields"))
            if method_id == "files.download":
                item = self._require(file_id)
                if item.content is None:
                    raise DriveApiError(
                        403,
                        "fileNotDownloadable",
                        "Only files with binary content can be downloaded.",
                        "alt",
                    )
                return Response(item.content, status=200, content_type=item.mime_type)
            if method_id == "files.update":
                meta = request.get_json(force=True, silent=True) or {}
                item = self._update(self._require(file_id), meta, request.args)
                return self._file_response(item, request.args.get("fields"))
            if method_id == "files.delete":
                self._require(file_id)
                self._delete_tree(self._resolve(file_id))
                return Response(b"", status=204)
        raise DriveApiError(404, "notFound", f"Not Found: {request.method} {request.path}")

    def _file_response(self, item: DriveItem, fields: str | None) -> Response:
        return _json_response(
            project(item.resource(), parse_fields(fields or _DEFAULT_FILE_FIELDS))
        )

    # ------------------------------------------------------------------ methods

    def _create(
        self, meta: dict[str, Any], content: bytes | None, mime: str | None = None
    ) -> DriveItem:
        parents = self._check_parents(meta.get("parents") or ["root"])
        mime_type = meta.get("mimeType") or mime or "application/octet-stream"
        if mime_type == FOLDER_MIME and content:
            raise DriveApiError(400, "badRequest", "A folder cannot have content.")
        if mime_type != FOLDER_MIME and content is None:
            content = b""  # a metadata-only file is an empty blob
        item_id = meta.get("id")
        if item_id is not None:
            # Ids chosen by the client must come from generateIds; reusing one is how a
            # client makes a retried create safe (it gets 409 instead of a duplicate).
            if item_id in self._items:
                raise DriveApiError(
                    409, "duplicate", "A file already exists with the provided ID.", "id"
                )
            if item_id not in self._generated_ids:
                raise DriveApiError(400, "invalid", "The provided file ID is not usable.", "id")
        if content is not None:
            self._check_quota(len(content))
        item = self._insert(meta.get("name") or "Untitled", mime_type, parents, content, item_id)
        item.description = meta.get("description")
        item.app_properties = {k: str(v) for k, v in (meta.get("appProperties") or {}).items()}
        item.properties = {k: str(v) for k, v in (meta.get("properties") or {}).items()}
        return item

    def _update(self, item: DriveItem, meta: dict[str, Any], args: Any) -> DriveItem:
        if item.id == self.root_id:
            raise DriveApiError(403, "insufficientFilePermissions", "The root cannot be changed.")
        add = [p for p in (args.get("addParents") or "").split(",") if p]
        remove = [p for p in (args.get("removeParents") or "").split(",") if p]
        if "parents" in meta:
            raise DriveApiError(
                403,
                "fieldNotWritable",
                "The resource body includes fields which are not directly writable.",
            )
        parents = [p for p in item.parents if p not in {self._resolve(r) for r in remove}]
        for pid in add:
            parent = self._require(pid)
            if parent.id not in parents:
                parents.append(parent.id)
        if add or remove:
            item.parents = self._check_parents(parents) if parents else []
        if "name" in meta:
            item.name = meta["name"]
        if "description" in meta:
            item.description = meta["description"]
        if "mimeType" in meta and meta["mimeType"] != item.mime_type:
            raise DriveApiError(400, "badRequest", "The mime type cannot be changed.")
        for key in ("appProperties", "properties"):
            if key in meta:
                target = item.app_properties if key == "appProperties" else item.properties
                for k, v in (meta[key] or {}).items():
                    if v is None:
                        target.pop(k, None)  # null deletes the key, as in the real API
                    else:
                        target[k] = str(v)
        if "trashed" in meta:
            self._set_trashed(item, bool(meta["trashed"]))
        item.modified_time = _now()
        return item

    def _list(self, request: Request) -> Response:
        args = request.args
        try:
            page_size = int(args.get("pageSize", 100))
        except ValueError as exc:
            raise DriveApiError(400, "invalid", "Invalid pageSize", "pageSize") from exc
        if not 1 <= page_size <= 1000:
            raise DriveApiError(400, "invalid", "Invalid pageSize", "pageSize")
        q = args.get("q", "")
        predicate = _QueryParser(q, self._resolve).parse() if q.strip() else (lambda it: True)
        items = [it for it in self._items.values() if it.id != self.root_id and predicate(it)]
        items.sort(key=lambda i: i.seq)
        for part in reversed([p.strip() for p in (args.get("orderBy") or "").split(",") if p]):
            key_name, _, direction = part.partition(" ")
            keys: dict[str, Callable[[DriveItem], Any]] = {
                "createdTime": lambda i: i.created_time,
                "modifiedTime": lambda i: i.modified_time,
                "name": lambda i: i.name,
                "name_natural": lambda i: i.name,
                "folder": lambda i: not i.is_folder,
            }
            if key_name not in keys:
                raise DriveApiError(400, "invalid", f"Invalid orderBy {part}", "orderBy")
            items.sort(key=keys[key_name], reverse=direction.strip().lower() == "desc")
        offset = 0
        token = args.get("pageToken")
        if token:
            try:
                state = json.loads(base64.urlsafe_b64decode(token.encode()))
                offset = int(state["o"])
                if state["q"] != hashlib.sha1(q.encode()).hexdigest():
                    raise ValueError("token is for another query")
            except (ValueError, KeyError, TypeError) as exc:
                raise DriveApiError(400, "invalid", "Invalid pageToken", "pageToken") from exc
        page = items[offset : offset + page_size]
        body: dict[str, Any] = {
            "kind": "drive#fileList",
            "incompleteSearch": False,
            "files": [it.resource() for it in page],
        }
        if offset + page_size < len(items):
            state = {"o": offset + page_size, "q": hashlib.sha1(q.encode()).hexdigest()}
            body["nextPageToken"] = base64.urlsafe_b64encode(json.dumps(state).encode()).decode()
        return _json_response(
            project(body, parse_fields(args.get("fields") or _DEFAULT_LIST_FIELDS))
        )

    def _generate_ids(self, request: Request) -> Response:
        try:
            count = int(request.args.get("count", 10))
        except ValueError as exc:
            raise DriveApiError(400, "invalid", "Invalid count", "count") from exc
        if not 1 <= count <= 1000:
            raise DriveApiError(400, "invalid", "Invalid count", "count")
        ids = [_new_id() for _ in range(count)]
        self._generated_ids.update(ids)
        space = request.args.get("space", "drive")
        return _json_response({"kind": "drive#generatedIds", "space": space, "ids": ids})

    def _about(self, request: Request) -> Response:
        if not request.args.get("fields"):
            raise DriveApiError(
                400, "required", "The 'fields' parameter is required for this method.", "fields"
            )
        usage = sum(len(it.content) for it in self._items.values() if it.content is not None)
        trash = sum(
            len(it.content) for it in self._items.values() if it.content is not None and it.trashed
        )
        quota: dict[str, str] = {
            "usage": str(usage),
            "usageInDrive": str(usage),
            "usageInDriveTrash": str(trash),
        }
        if self.quota_bytes is not None:
            quota["limit"] = str(self.quota_bytes)
        body = {
            "kind": "drive#about",
            "user": {"kind": "drive#user", "displayName": "Test User", "me": True},
            "storageQuota": quota,
        }
        return _json_response(project(body, parse_fields(request.args["fields"])))

    # ------------------------------------------------------------------ uploads

    def _upload_start(self, request: Request, file_id: str | None) -> Response:
        upload_type = request.args.get("uploadType")
        target = self._require(file_id) if file_id else None
        if target is not None and target.is_folder:
            raise DriveApiError(400, "badRequest", "A folder cannot have content.")
        fields = request.args.get("fields")
        if upload_type == "media":
            data = request.get_data()
            mime = request.content_type or "application/octet-stream"
            item = self._store_media(target, {}, data, mime, request.args)
            return self._file_response(item, fields)
        if upload_type == "multipart":
            meta, data, mime = _parse_multipart(request)
            item = self._store_media(target, meta, data, mime, request.args)
            return self._file_response(item, fields)
        if upload_type == "resumable":
            raw = request.get_data()
            meta = json.loads(raw) if raw.strip() else {}
            total_header = request.headers.get("X-Upload-Content-Length")
            total = int(total_header) if total_header else None
            if total is not None:
                self._check_quota(total, len(target.content or b"") if target else 0)
            if target is None:
                self._check_parents(meta.get("parents") or ["root"])
            upload_id = secrets.token_urlsafe(16)
            self._sessions[upload_id] = _UploadSession(
                metadata=meta,
                mime_type=request.headers.get("X-Upload-Content-Type")
                or meta.get("mimeType")
                or "application/octet-stream",
                total=total,
                fields=fields,
                target_id=target.id if target else None,
                add_parents=[],
            )
            location = f"{request.host_url.rstrip('/')}{request.path}?uploadType=resumable&upload_id={upload_id}"
            response = Response(b"", status=200)
            response.headers["Location"] = location
            response.headers["X-GUploader-UploadID"] = upload_id
            return response
        raise DriveApiError(400, "badRequest", f"Invalid uploadType {upload_type!r}", "uploadType")

    def _store_media(
        self,
        target: DriveItem | None,
        meta: dict[str, Any],
        data: bytes,
        mime: str,
        args: Any,
    ) -> DriveItem:
        if target is None:
            return self._create(meta, data, mime)
        self._check_quota(len(data), len(target.content or b""))
        item = self._update(target, meta, args)
        item.content = data
        return item

    def _upload_chunk(self, request: Request) -> Response:
        upload_id = request.args.get("upload_id", "")
        session = self._sessions.get(upload_id)
        if session is None:
            raise DriveApiError(404, "notFound", "No such upload session.", "upload_id")
        if session.result is not None:
            return _json_response(session.result)
        content_range = request.headers.get("Content-Range")
        body = request.get_data()
        if content_range is None:
            start, total = 0, len(body)  # a single PUT of the whole (possibly empty) file
        else:
            m = re.fullmatch(r"bytes (\*|(\d+)-(\d+))/(\*|\d+)", content_range.strip())
            if not m:
                raise DriveApiError(400, "badRequest", f"Invalid Content-Range {content_range!r}")
            total = None if m.group(4) == "*" else int(m.group(4))
            if m.group(1) == "*":
                body = b""
                start = len(session.data)
            else:
                start, end = int(m.group(2)), int(m.group(3))
                if end - start + 1 != len(body):
                    raise DriveApiError(400, "badRequest", "Content-Range does not match body")
        if total is not None:
            if session.total is not None and total != session.total:
                raise DriveApiError(400, "badRequest", "Total size changed during upload")
            session.total = total
        received = len(session.data)
        if start > received:
            raise DriveApiError(400, "badRequest", f"Chunk starts at {start}, have {received}")
        fresh = body[received - start :]
        final = session.total is not None and received + len(fresh) >= session.total
        if fresh and not final and (received + len(fresh)) % CHUNK_GRANULARITY:
            raise DriveApiError(
                400, "badRequest", "Non-final chunks must be a multiple of 256 KiB."
            )
        session.data.extend(fresh)
        if not final:
            response = Response(b"", status=308)
            if session.data:
                response.headers["Range"] = f"bytes=0-{len(session.data) - 1}"
            return response
        target = self._items.get(session.target_id) if session.target_id else None
        if session.target_id and target is None:
            raise DriveApiError(404, "notFound", f"File not found: {session.target_id}.")
        try:
            item = self._store_media(
                target, session.metadata, bytes(session.data), session.mime_type, {}
            )
        except DriveApiError:
            self._sessions.pop(upload_id, None)
            raise
        session.result = project(
            item.resource(), parse_fields(session.fields or _DEFAULT_FILE_FIELDS)
        )
        session.data = bytearray()
        return _json_response(session.result)


def _parse_multipart(request: Request) -> tuple[dict[str, Any], bytes, str]:
    """Split a multipart/related body into (metadata JSON, media bytes, media type).

    Accepts both `\\r\\n` and the bare `\\n` that google-api-python-client writes.
    """
    ctype = request.headers.get("Content-Type", "")
    m = re.search(r'boundary="?([^";]+)"?', ctype)
    if not ctype.startswith("multipart/related") or not m:
        raise DriveApiError(400, "badRequest", "Expected multipart/related with a boundary")
    delim = b"--" + m.group(1).encode()
    body = request.get_data()
    if not body.startswith(delim):
        raise DriveApiError(400, "badRequest", "Multipart body does not start with the boundary")
    # The line break style is set by the first delimiter line. It matters: with bare
    # `\n` a `\r` ending the media is data, not half of a CRLF.
    eol = b"\r\n" if body[len(delim) : len(delim) + 2] == b"\r\n" else b"\n"
    parts: list[tuple[dict[str, str], bytes]] = []
    pos = len(delim)
    while True:
        if body[pos : pos + 2] == b"--":
            break
        if body[pos : pos + len(eol)] != eol:
            raise DriveApiError(400, "badRequest", "Malformed multipart delimiter line")
        pos += len(eol)
        nxt = body.find(eol + delim, pos)
        if nxt < 0:
            raise DriveApiError(400, "badRequest", "Unterminated multipart body")
        raw = body[pos:nxt]
        head_end = raw.find(eol + eol)
        if head_end < 0:
            raise DriveApiError(400, "badRequest", "Multipart part without headers")
        headers = {}
        for line in raw[:head_end].decode("latin-1").splitlines():
            if ":" in line:
                k, v = line.split(":", 1)
                headers[k.strip().lower()] = v.strip()
        parts.append((headers, raw[head_end + 2 * len(eol) :]))
        pos = nxt + len(eol) + len(delim)
    if len(parts) != 2:
        raise DriveApiError(400, "badRequest", f"Expected 2 multipart parts, got {len(parts)}")
    try:
        meta = json.loads(parts[0][1].decode("utf-8"))
    except ValueError as exc:
        raise DriveApiError(400, "badRequest", "Metadata part is not JSON") from exc
    return meta, parts[1][1], parts[1][0].get("content-type", "application/octet-stream")
