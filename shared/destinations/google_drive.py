"""Google Drive v3 backend: the only module that talks to the Drive API.

It implements `Destination` for the nightly export, plus the Drive-specific operations
the Dropzone import needs (`list_children`, `get`, `download`, `move`, `set_properties`).

Failure mapping, in one place (`_classify`):
- 401, or a token refresh refused (`invalid_grant`, no refresh token) -> `ReconnectNeeded`;
- 403 `storageQuotaExceeded` -> `StorageFull`;
- 429, 403 `userRateLimitExceeded`/`rateLimitExceeded`, 5xx, connection errors -> retried
  with exponential backoff and full jitter, then `RetryableError`;
- 404 -> `DriveNotFound`; anything else -> `DestinationError` naming the call and reason.

The client library's own retries are off (`num_retries=0`) so that the policy and the
sleep are ours and injectable. A `GoogleDrive` wraps one httplib2 connection, which is
not thread-safe: use one instance per thread.
"""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import google.auth.exceptions
import google_auth_httplib2
import googleapiclient
import httplib2
from google.oauth2.credentials import Credentials
from googleapiclient.discovery import build, build_from_document
from googleapiclient.errors import HttpError
from googleapiclient.http import MediaIoBaseUpload

from shared.destinations.base import (
    DestinationError,
    FileTooLarge,
    ReconnectNeeded,
    RetryableError,
    RetryPolicy,
    StorageFull,
    Transient,
)
from shared.errors import Conflict, NotFound

FOLDER_MIME = "application/vnd.google-apps.folder"
_FILE_FIELDS = (
    "id,name,mimeType,size,md5Checksum,parents,appProperties,trashed,webViewLink,description"
)
_RATE_LIMIT_REASONS = frozenset({"userRateLimitExceeded", "rateLimitExceeded"})
_QUOTA_REASONS = frozenset({"storageQuotaExceeded", "teamDriveFileLimitExceeded"})


class DriveNotFound(DestinationError, NotFound):
    """The file or folder does not exist (deleted for good, or never visible to us)."""


class DriveConflict(DestinationError, Conflict):
    """409: e.g. a create reused an id that already names a file."""


@dataclass(frozen=True)
class DriveFile:
    id: str
    name: str
    mime_type: str
    size: int | None
    md5: str | None
    parents: tuple[str, ...]
    app_properties: dict[str, str]
    trashed: bool
    web_view_link: str | None
    description: str | None = None

    @property
    def is_folder(self) -> bool:
        return self.mime_type == FOLDER_MIME

    @classmethod
    def from_resource(cls, res: dict[str, Any]) -> DriveFile:
        return cls(
            id=res["id"],
            name=res.get("name", ""),
            mime_type=res.get("mimeType", ""),
            size=int(res["size"]) if res.get("size") is not None else None,
            md5=res.get("md5Checksum"),
            parents=tuple(res.get("parents") or ()),
            app_properties=dict(res.get("appProperties") or {}),
            trashed=bool(res.get("trashed", False)),
            web_view_link=res.get("webViewLink"),
            description=res.get("description"),
        )


@dataclass(frozen=True)
class StorageQuota:
    usage: int
    limit: int | None  # None: unlimited


def escape_q(value: str) -> str:
    r"""Quote a string literal for the Drive `q` language (backslash and quote escaped).

    >>> print(escape_q("it's a\\b"))
    'it\'s a\\b'
    """
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def build_drive_service(
    access_token: str | None = None,
    root_url: str | None = None,
    *,
    credentials: Any = None,
    timeout: float = 60.0,
) -> Any:
    """Build a Drive v3 client from the bundled discovery document (no network fetch).

    Pass `access_token` (a bare OAuth token) or `credentials` (any google-auth
    credentials, e.g. with a refresh token). `root_url` points every call, media
    uploads included, at another server such as the local fake: `client_options`
    alone would leave uploads on googleapis.com.
    """
    if credentials is None:
        if not access_token:
            raise ValueError("build_drive_service needs an access_token or credentials")
        credentials = Credentials(token=access_token)
    raw_http = httplib2.Http(timeout=timeout)
    # Drive answers "308 Resume Incomplete" to resumable chunks: httplib2 must not treat
    # it as a redirect (googleapiclient's own build_http does the same).
    raw_http.redirect_codes = raw_http.redirect_codes - {308}
    http = google_auth_httplib2.AuthorizedHttp(credentials, http=raw_http)
    if root_url is None:
        return build("drive", "v3", http=http, static_discovery=True, cache_discovery=False)
    doc_path = (
        Path(googleapiclient.__file__).parent / "discovery_cache" / "documents" / "drive.v3.json"
    )
    doc = json.loads(doc_path.read_text(encoding="utf-8"))
    root = root_url.rstrip("/") + "/"
    doc["rootUrl"] = root
    doc["mtlsRootUrl"] = root
    doc["baseUrl"] = root + doc["servicePath"]
    return build_from_document(doc, http=http)


def _error_reason(exc: HttpError) -> tuple[str | None, str]:
    """(reason, message) from a Drive error body; tolerate HTML bodies (502 pages)."""
    try:
        err = json.loads(exc.content.decode("utf-8"))["error"]
        detail = (err.get("errors") or [{}])[0]
        return detail.get("reason") or err.get("status"), err.get("message", "")
    except (ValueError, KeyError, TypeError, AttributeError, IndexError):
        return None, (exc.content or b"")[:200].decode("utf-8", "replace")


def _classify(exc: BaseException, what: str) -> Exception:
    """Map one vendor failure to a DestinationError, or a `Transient` for transient ones."""
    if isinstance(exc, HttpError):
        status = exc.resp.status
        reason, message = _error_reason(exc)
        text = f"Drive {what} failed: HTTP {status} {reason or ''} {message}".strip()
        if status == 401:
            return ReconnectNeeded(text)
        if status == 403 and reason in _QUOTA_REASONS:
            return StorageFull(text)
        if status == 429 or status >= 500 or (status == 403 and reason in _RATE_LIMIT_REASONS):
            return Transient(RetryableError(text))
        if status == 404:
            return DriveNotFound(text)
        if status == 409:
            return DriveConflict(text)
        return DestinationError(text)
    if isinstance(exc, google.auth.exceptions.RefreshError):
        if getattr(exc, "retryable", False):
            return Transient(RetryableError(f"Drive {what}: token refresh failed: {exc}"))
        return ReconnectNeeded(f"Drive {what}: access was revoked or expired: {exc}")
    if isinstance(exc, google.auth.exceptions.TransportError | httplib2.HttpLib2Error | OSError):
        return Transient(RetryableError(f"Drive {what}: connection failed: {exc!r}"))
    return DestinationError(f"Drive {what} failed: {exc!r}")


@dataclass
class GoogleDrive:
    """A Drive account as an export `Destination` and as the Dropzone's file store.

    `service` comes from `build_drive_service`. Uploads above `resumable_threshold`
    bytes use a resumable session in `chunk_size` pieces (a multiple of 256 KiB).
    New files get ids reserved with `files.generateIds` (`id_batch` at a time), so a
    create retried after a lost response gets 409 instead of making a duplicate.
    `retries` counts the transient failures this instance has retried.
    """

    service: Any
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    resumable_threshold: int = 5 * 1024 * 1024
    chunk_size: int = 8 * 1024 * 1024
    id_batch: int = 100
    retries: int = 0
    kind: str = "google_drive"
    _id_pool: list[str] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        if self.chunk_size <= 0 or self.chunk_size % (256 * 1024):
            raise ValueError("chunk_size must be a positive multiple of 256 KiB")
        if not 1 <= self.id_batch <= 1000:
            raise ValueError("id_batch must be between 1 and 1000")

    def _reserve_id(self) -> str:
        if not self._id_pool:
            request = self._files().generateIds(count=self.id_batch, space="drive", type="files")
            self._id_pool = list(self._call("files.generateIds", request)["ids"])
        return self._id_pool.pop()

    # ------------------------------------------------------------------ plumbing

    def _call(self, what: str, request: Any) -> Any:
        """Execute one API request with our retry policy; return its parsed body."""
        return self.retry.call(
            lambda: request.execute(num_retries=0),
            lambda exc: _classify(exc, what),
            self._count_retry,
        )

    def _count_retry(self) -> None:
        self.retries += 1

    def _files(self) -> Any:
        return self.service.files()

    def _list_all(self, q: str, fields: str, order_by: str | None = None) -> list[dict]:
        out: list[dict] = []
        token: str | None = None
        while True:
            kwargs: dict[str, Any] = {
                "q": q,
                "fields": f"nextPageToken,files({fields})",
                "pageSize": 1000,
                "supportsAllDrives": True,
                "includeItemsFromAllDrives": True,
            }
            if order_by:
                kwargs["orderBy"] = order_by
            if token:
                kwargs["pageToken"] = token
            page = self._call("files.list", self._files().list(**kwargs))
            out.extend(page.get("files", []))
            token = page.get("nextPageToken")
            if not token:
                return out

    # ------------------------------------------------------------------ Destination

    def ensure_folder(self, parent_id: str | None, name: str) -> str:
        """Return the id of folder `name` under `parent_id` (None = My Drive), creating it.

        Drive allows duplicate names, so after creating we list again and keep the
        oldest folder: two racing runs converge on one folder and drop their extra.
        A parent that is deleted or in the trash raises `DriveNotFound`.
        """
        if not name or not name.strip():
            raise ValueError("folder name must not be empty")
        parent = parent_id or "root"
        q = (
            f"name = {escape_q(name)} and {escape_q(parent)} in parents "
            f"and mimeType = '{FOLDER_MIME}' and trashed = false"
        )
        found = self._list_all(q, "id,createdTime", order_by="createdTime")
        if found:
            return found[0]["id"]
        if parent_id is not None and self.get(parent_id) is None:
            # Drive would happily create inside a trashed folder: the user deleted it.
            raise DriveNotFound(f"Drive folder {parent_id} is deleted or trashed")
        body = {"name": name, "mimeType": FOLDER_MIME, "parents": [parent]}
        created = self._call(
            "files.create", self._files().create(body=body, fields="id", supportsAllDrives=True)
        )["id"]
        found = self._list_all(q, "id,createdTime", order_by="createdTime")
        winner = found[0]["id"] if found else created
        if winner != created:
            self._call("files.delete", self._files().delete(fileId=created, supportsAllDrives=True))
        return winner

    def exists(self, item_id: str) -> bool:
        return self.get(item_id) is not None

    def find_file(self, folder_id: str, name: str) -> str | None:
        q = (
            f"name = {escape_q(name)} and {escape_q(folder_id)} in parents "
            f"and mimeType != '{FOLDER_MIME}' and trashed = false"
        )
        found = self._list_all(q, "id", order_by="createdTime")
        return found[0]["id"] if found else None

    def put_file(self, folder_id: str, name: str, data: bytes, mime_type: str) -> str:
        """Write `name`, replacing the content of the live file of that name (an updated
        index record; same id, a new revision), or create it."""
        file_id = self.find_file(folder_id, name)
        if file_id is None:
            return self.upload(folder_id, name, data, mime_type)
        media = MediaIoBaseUpload(io.BytesIO(data), mimetype=mime_type, resumable=False)
        request = self._files().update(
            fileId=file_id, media_body=media, fields="id", supportsAllDrives=True
        )
        return str(self._call("files.update", request)["id"])

    def upload(
        self,
        folder_id: str,
        name: str,
        data: bytes,
        mime_type: str,
        properties: dict[str, str] | None = None,
    ) -> str:
        """Create file `name` in `folder_id`; `properties` become private appProperties.

        One API call. A deleted folder raises `DriveNotFound`; a trashed one is not
        detected here (that would double the cost): check `exists(folder_id)` once per
        folder and run, as the export's self-healing rules do anyway.
        """
        file_id = self._reserve_id()
        body: dict[str, Any] = {
            "id": file_id,
            "name": name,
            "parents": [folder_id],
            "mimeType": mime_type,
        }
        if properties:
            body["appProperties"] = dict(properties)
        try:
            if len(data) <= self.resumable_threshold:
                media = MediaIoBaseUpload(io.BytesIO(data), mimetype=mime_type, resumable=False)
                request = self._files().create(
                    body=body, media_body=media, fields="id", supportsAllDrives=True
                )
                return self._call("files.create", request)["id"]
            return self._resumable_create(body, data, mime_type)
        except DriveConflict:
            # Our id is taken: an earlier attempt of this very call committed and only
            # its response was lost. Adopt it if it holds these bytes.
            existing = self.get(file_id)
            if existing is None or existing.md5 != hashlib.md5(data).hexdigest():
                raise
            return file_id

    def _resumable_create(self, body: dict[str, Any], data: bytes, mime_type: str) -> str:
        def new_request() -> Any:
            media = MediaIoBaseUpload(
                io.BytesIO(data), mimetype=mime_type, chunksize=self.chunk_size, resumable=True
            )
            return self._files().create(
                body=body, media_body=media, fields="id", supportsAllDrives=True
            )

        request = new_request()
        attempt = 0
        response = None
        while response is None:
            progress_before = request.resumable_progress
            try:
                _status, response = request.next_chunk(num_retries=0)
            except Exception as exc:  # mapped by _classify
                mapped = _classify(exc, "resumable upload")
                if isinstance(mapped, DriveNotFound) and request.resumable_uri:
                    # The session expired or was lost: Drive says start over.
                    mapped = Transient(RetryableError(str(mapped)))
                    request = new_request()
                if not isinstance(mapped, Transient):
                    raise mapped from exc
                attempt += 1
                if attempt >= self.retry.max_attempts:
                    raise mapped.error from exc
                self.retries += 1
                self.retry.sleep(self.retry.delay(attempt))
                continue
            if request.resumable_progress > progress_before:
                attempt = 0  # progress resets the budget: a long upload may see many blips
        return response["id"]

    def link(self, item_id: str) -> str:
        res = self._call(
            "files.get",
            self._files().get(fileId=item_id, fields="webViewLink", supportsAllDrives=True),
        )
        return res.get("webViewLink") or f"https://drive.google.com/open?id={item_id}"

    # ------------------------------------------------------------------ Dropzone ops

    def get(self, file_id: str) -> DriveFile | None:
        """Metadata of a live item; None if it was deleted or is in the trash."""
        try:
            res = self._call(
                "files.get",
                self._files().get(fileId=file_id, fields=_FILE_FIELDS, supportsAllDrives=True),
            )
        except DriveNotFound:
            return None
        item = DriveFile.from_resource(res)
        return None if item.trashed else item

    def list_files(self, folder_id: str) -> dict[str, str]:
        """`Destination.list_files`: {name: id} of the live files in the folder."""
        return {f.name: f.id for f in self.list_children(folder_id) if not f.is_folder}

    def list_children(self, folder_id: str) -> list[DriveFile]:
        """Every untrashed child of `folder_id` (all pages), oldest first."""
        q = f"{escape_q(folder_id)} in parents and trashed = false"
        return [
            DriveFile.from_resource(r)
            for r in self._list_all(q, _FILE_FIELDS, order_by="createdTime")
        ]

    def download(self, file_id: str, max_bytes: int, known: DriveFile | None = None) -> bytes:
        """The file's bytes; `FileTooLarge` above `max_bytes`, `DriveNotFound` if gone.

        `known` is metadata the caller has just listed: it saves a metadata read. The
        size is checked again on the bytes received, so stale metadata cannot overflow.
        """
        meta = known if known is not None and known.id == file_id else self.get(file_id)
        if meta is None:
            raise DriveNotFound(f"Drive file {file_id} is deleted or trashed")
        if meta.is_folder or meta.size is None:
            raise DestinationError(
                f"Drive file {file_id} ({meta.mime_type}) has no binary content to download"
            )
        if meta.size > max_bytes:
            raise FileTooLarge(f"Drive file {file_id} is {meta.size} bytes, limit {max_bytes}")
        data = self._call(
            "files.download",
            self._files().get_media(fileId=file_id, supportsAllDrives=True),
        )
        if len(data) > max_bytes:
            raise FileTooLarge(f"Drive file {file_id} sent {len(data)} bytes, limit {max_bytes}")
        return data

    def move(
        self,
        file_id: str,
        from_folder_id: str,
        to_folder_id: str,
        app_properties: dict[str, str] | None = None,
        description: str | None = None,
    ) -> None:
        """Move a file; optionally merge `app_properties` / set `description` in the same call."""
        body: dict[str, Any] = {}
        if app_properties:
            body["appProperties"] = dict(app_properties)
        if description is not None:
            body["description"] = description
        self._call(
            "files.update",
            self._files().update(
                fileId=file_id,
                addParents=to_folder_id,
                removeParents=from_folder_id,
                body=body,
                fields="id,parents",
                supportsAllDrives=True,
            ),
        )

    def set_properties(
        self, file_id: str, app_properties: dict[str, str], description: str | None = None
    ) -> None:
        """Merge `app_properties` into the file's (a None value deletes a key); set description."""
        body: dict[str, Any] = {"appProperties": dict(app_properties)}
        if description is not None:
            body["description"] = description
        self._call(
            "files.update",
            self._files().update(fileId=file_id, body=body, fields="id", supportsAllDrives=True),
        )

    def storage_quota(self) -> StorageQuota:
        res = self._call("about.get", self.service.about().get(fields="storageQuota"))
        quota = res.get("storageQuota", {})
        limit = quota.get("limit")
        return StorageQuota(usage=int(quota.get("usage", 0)), limit=int(limit) if limit else None)
