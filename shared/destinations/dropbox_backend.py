"""Dropbox API v2 backend: the only module that talks to Dropbox.

Folder and file ids are Dropbox `id:` ids, which survive a move or rename by the user.
Dropbox addresses writes by path, so each write first resolves the folder id to its
current path (`get_metadata`); a folder the user deleted then fails as
`DropboxNotFound` instead of being silently re-created by an upload (Dropbox creates
missing parents implicitly).

Failure mapping, in one place (`_classify`):
- `AuthError` (401 invalid/expired token, `invalid_grant` on refresh) -> `ReconnectNeeded`;
- `insufficient_space` anywhere in a route error -> `StorageFull`;
- 429 (honouring `Retry-After`), `too_many_write_operations`, 5xx, connection errors ->
  retried with exponential backoff and jitter, then `RetryableError`;
- `not_found` -> `DropboxNotFound`; any other route error -> `DestinationError`
  carrying Dropbox's error summary.

The SDK's own retries (which sleep with `time.sleep`) are turned off in
`build_dropbox_client`; the policy and the sleep are ours and injectable.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import dropbox
import requests
from dropbox import files as dbx_files
from dropbox.content_hash import content_hash
from dropbox.exceptions import (
    ApiError,
    AuthError,
    BadInputError,
    HttpError,
    InternalServerError,
    RateLimitError,
)
from dropbox.session import API_CONTENT_HOST, API_HOST
from requests.adapters import HTTPAdapter

from shared.destinations.base import (
    DestinationError,
    FileTooLarge,
    ReconnectNeeded,
    RetryableError,
    RetryPolicy,
    StorageFull,
    Transient,
)
from shared.errors import NotFound

_RETRYABLE_TAGS = frozenset({"too_many_write_operations", "too_many_requests", "internal_error"})


class DropboxNotFound(DestinationError, NotFound):
    """The path or id does not exist (deleted by the user, or never existed)."""


class RewriteHostAdapter(HTTPAdapter):
    """Send requests for Dropbox's https hosts to other base URLs (a local fake).

    The SDK builds `https://{host}/2/...` from hosts read at import time; mounting this
    adapter on the session it is given is the supported way to point it elsewhere.
    """

    def __init__(self, rewrites: dict[str, str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._rewrites = {k.rstrip("/"): v.rstrip("/") for k, v in rewrites.items()}

    def send(
        self,
        request: requests.PreparedRequest,
        stream: bool = False,
        timeout: float | tuple[float | None, float | None] | None = None,
        verify: bool | str = True,
        cert: str | tuple[str, str] | None = None,
        proxies: dict[str, str] | None = None,
    ) -> requests.Response:
        url = request.url or ""
        for prefix, target in self._rewrites.items():
            if url == prefix or url.startswith(prefix + "/"):
                request.url = target + url[len(prefix) :]
                break
        return super().send(
            request, stream=stream, timeout=timeout, verify=verify, cert=cert, proxies=proxies
        )


def build_dropbox_client(
    access_token: str | None,
    api_url: str | None = None,
    content_url: str | None = None,
    *,
    refresh_token: str | None = None,
    app_key: str | None = None,
    app_secret: str | None = None,
    timeout: float = 60.0,
) -> dropbox.Dropbox:
    """A `dropbox.Dropbox` client with the SDK's sleeping retries disabled.

    `api_url`/`content_url` (e.g. a local fake's `http://127.0.0.1:PORT`) redirect the
    RPC and content hosts; `content_url` defaults to `api_url`. Give `refresh_token` and
    `app_key` to let the SDK refresh short-lived access tokens.
    """
    session = requests.Session()
    if api_url or content_url:
        api = (api_url or content_url or "").rstrip("/")
        content = (content_url or api).rstrip("/")
        adapter = RewriteHostAdapter(
            {f"https://{API_HOST}": api, f"https://{API_CONTENT_HOST}": content}
        )
        session.mount(f"https://{API_HOST}", adapter)
        session.mount(f"https://{API_CONTENT_HOST}", adapter)
    return dropbox.Dropbox(
        oauth2_access_token=access_token,
        oauth2_refresh_token=refresh_token,
        app_key=app_key,
        app_secret=app_secret,
        max_retries_on_error=0,
        max_retries_on_rate_limit=0,
        session=session,
        timeout=timeout,
    )


def _tags(value: Any, depth: int = 0) -> Iterator[str]:
    """Every union tag inside a stone error value (unions nest unions and structs)."""
    if value is None or depth > 8:
        return
    tag = getattr(value, "_tag", None)
    if tag is not None:
        yield tag
        yield from _tags(getattr(value, "_value", None), depth + 1)
        return
    for name in getattr(value, "_all_field_names_", ()):
        yield from _tags(getattr(value, name, None), depth + 1)


def _correct_offset(value: Any, depth: int = 0) -> int | None:
    """The `correct_offset` of an `incorrect_offset` error, wherever it is nested."""
    if value is None or depth > 8:
        return None
    if hasattr(value, "correct_offset"):
        return int(value.correct_offset)
    return _correct_offset(getattr(value, "_value", None), depth + 1)


def _classify(exc: BaseException, what: str) -> Exception:
    """Map one vendor failure to a DestinationError, or a `Transient` for transient ones."""
    if isinstance(exc, AuthError):
        return ReconnectNeeded(f"Dropbox {what}: access token refused ({exc.error})")
    if isinstance(exc, RateLimitError):
        return Transient(RetryableError(f"Dropbox {what}: rate limited"), exc.backoff)
    if isinstance(exc, InternalServerError):
        return Transient(RetryableError(f"Dropbox {what}: server error {exc.status_code}"))
    if isinstance(exc, ApiError):
        tags = set(_tags(exc.error))
        text = f"Dropbox {what} failed: {'/'.join(_tags(exc.error)) or exc.error}"
        if "insufficient_space" in tags:
            return StorageFull(text)
        if tags & _RETRYABLE_TAGS:
            return Transient(RetryableError(text))
        if "not_found" in tags:
            return DropboxNotFound(text)
        return DestinationError(text)
    if isinstance(exc, BadInputError | HttpError):
        return DestinationError(f"Dropbox {what} failed: {exc}")
    if isinstance(exc, requests.exceptions.ConnectionError | requests.exceptions.Timeout):
        return Transient(RetryableError(f"Dropbox {what}: connection failed: {exc!r}"))
    return DestinationError(f"Dropbox {what} failed: {exc!r}")


def _check_name(name: str) -> None:
    if not name or name in (".", "..") or "/" in name or any(ord(c) < 32 for c in name):
        raise ValueError(f"invalid Dropbox file or folder name: {name!r}")


@dataclass
class DropboxDestination:
    """A Dropbox account as an export `Destination`.

    Uploads larger than `chunk_size` bytes go through an upload session in
    `chunk_size` pieces; a lost response is recovered from the `correct_offset`
    Dropbox reports. `retries` counts the transient failures this instance retried.
    Dropbox has no per-file app properties: `properties` is accepted and ignored.
    """

    client: dropbox.Dropbox
    # Dropbox asks for longer pauses (Retry-After up to a minute) than Drive.
    retry: RetryPolicy = field(default_factory=lambda: RetryPolicy(max_delay=60.0))
    chunk_size: int = 8 * 1024 * 1024
    retries: int = 0
    kind: str = "dropbox"

    def __post_init__(self) -> None:
        if self.chunk_size <= 0:
            raise ValueError("chunk_size must be positive")

    # ------------------------------------------------------------------ plumbing

    def _call(self, what: str, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        return self.retry.call(
            lambda: fn(*args, **kwargs), lambda exc: _classify(exc, what), self._count_retry
        )

    def _count_retry(self) -> None:
        self.retries += 1

    def _metadata(self, path_or_id: str) -> Any:
        return self._call("get_metadata", self.client.files_get_metadata, path_or_id)

    def _folder_path(self, folder_id: str | None) -> str:
        """Current display path of a folder ("" for the root); DropboxNotFound if gone."""
        if folder_id is None or folder_id in ("", "/"):
            return ""
        md = self._metadata(folder_id)
        if not isinstance(md, dbx_files.FolderMetadata):
            raise DestinationError(f"Dropbox item {folder_id} is not a folder")
        return md.path_display or md.path_lower

    # ------------------------------------------------------------------ Destination

    def ensure_folder(self, parent_id: str | None, name: str) -> str:
        _check_name(name)
        path = f"{self._folder_path(parent_id)}/{name}"
        try:
            result = self._call(
                "create_folder", self.client.files_create_folder_v2, path, autorename=False
            )
            return result.metadata.id
        except DestinationError as exc:
            cause = exc.__cause__
            if not (isinstance(cause, ApiError) and "conflict" in set(_tags(cause.error))):
                raise
        existing = self._metadata(path)
        if not isinstance(existing, dbx_files.FolderMetadata):
            raise DestinationError(f"Dropbox {path!r} exists and is a file, not a folder")
        return existing.id

    def exists(self, item_id: str) -> bool:
        try:
            self._metadata(item_id)
        except DropboxNotFound:
            return False
        return True

    def find_file(self, folder_id: str, name: str) -> str | None:
        _check_name(name)
        try:
            md = self._metadata(f"{self._folder_path(folder_id)}/{name}")
        except DropboxNotFound:
            return None
        return md.id if isinstance(md, dbx_files.FileMetadata) else None

    def upload(
        self,
        folder_id: str,
        name: str,
        data: bytes,
        mime_type: str,
        properties: dict[str, str] | None = None,
    ) -> str:
        """Create `name` in `folder_id`; if that name is taken by other content, Dropbox
        renames ours ("name (1).pdf"). Identical content already there is adopted, which
        also makes a retry after a lost response harmless."""
        _check_name(name)
        path = f"{self._folder_path(folder_id)}/{name}"
        try:
            return self._write(path, data, autorename=False)
        except DestinationError as exc:
            cause = exc.__cause__
            if not (isinstance(cause, ApiError) and "conflict" in set(_tags(cause.error))):
                raise
        existing = self._metadata(path)
        if isinstance(existing, dbx_files.FileMetadata) and existing.content_hash == content_hash(
            data
        ):
            return existing.id
        return self._write(path, data, autorename=True)

    def put_file(self, folder_id: str, name: str, data: bytes, mime_type: str) -> str:
        """Write `name`, replacing the file of that name (an updated index record):
        Dropbox's overwrite mode keeps the path and adds a revision."""
        _check_name(name)
        path = f"{self._folder_path(folder_id)}/{name}"
        return self._write(path, data, autorename=False, mode=dbx_files.WriteMode.overwrite)

    def _write(
        self,
        path: str,
        data: bytes,
        autorename: bool,
        mode: dbx_files.WriteMode = dbx_files.WriteMode.add,
    ) -> str:
        if len(data) <= self.chunk_size:
            md = self._call(
                "upload", self.client.files_upload, data, path, mode=mode, autorename=autorename
            )
            return md.id
        commit = dbx_files.CommitInfo(path=path, mode=mode, autorename=autorename)
        return self._session_upload(data, commit)

    def _session_upload(self, data: bytes, commit: dbx_files.CommitInfo) -> str:
        size = self.chunk_size
        start = self._call(
            "upload_session/start", self.client.files_upload_session_start, data[:size]
        )
        offset = len(data[:size])
        fixes = 0
        while True:
            last = len(data) - offset <= size
            cursor = dbx_files.UploadSessionCursor(session_id=start.session_id, offset=offset)
            try:
                if last:
                    md = self._call(
                        "upload_session/finish",
                        self.client.files_upload_session_finish,
                        data[offset:],
                        cursor,
                        commit,
                    )
                    return md.id
                self._call(
                    "upload_session/append",
                    self.client.files_upload_session_append_v2,
                    data[offset : offset + size],
                    cursor,
                )
                offset += size
            except DestinationError as exc:
                error = getattr(exc.__cause__, "error", None)
                if (
                    last
                    and isinstance(exc, DropboxNotFound)
                    and "lookup_failed" in set(_tags(error))
                ):
                    # The finish committed but its response was lost, so the retry found
                    # no session: adopt the file if it is ours.
                    adopted = self._adopt(commit.path, data)
                    if adopted:
                        return adopted
                    raise
                # A retried call whose first attempt did reach Dropbox: resume where the
                # server says the session is, rather than failing the whole upload.
                correct = _correct_offset(error)
                if correct is None or fixes >= 3 or not 0 <= correct <= len(data):
                    raise
                fixes += 1
                offset = correct

    def _adopt(self, path: str, data: bytes) -> str | None:
        try:
            md = self._metadata(path)
        except DropboxNotFound:
            return None
        if isinstance(md, dbx_files.FileMetadata) and md.content_hash == content_hash(data):
            return md.id
        return None

    def link(self, item_id: str) -> str:
        """The Dropbox web page of the item, for its owner (no public link is created:
        these are financial documents)."""
        md = self._metadata(item_id)
        path = md.path_display or md.path_lower or ""
        if isinstance(md, dbx_files.FolderMetadata):
            return "https://www.dropbox.com/home" + quote(path)
        folder, _, name = path.rpartition("/")
        return f"https://www.dropbox.com/home{quote(folder)}?preview={quote(name)}"

    # ------------------------------------------------------------------ extras

    def list_files(self, folder_id: str) -> dict[str, str]:
        """`Destination.list_files`: {name: id} of the files in the folder."""
        return {
            str(md.name): str(md.id)
            for md in self.list_children(folder_id)
            if isinstance(md, dbx_files.FileMetadata)
        }

    def list_children(self, folder_id: str | None) -> list[Any]:
        """Metadata (SDK objects) of every direct child of a folder, all pages."""
        path = folder_id or ""
        result = self._call("list_folder", self.client.files_list_folder, path)
        entries = list(result.entries)
        while result.has_more:
            result = self._call(
                "list_folder/continue", self.client.files_list_folder_continue, result.cursor
            )
            entries.extend(result.entries)
        return entries

    def download(self, file_id: str, max_bytes: int) -> bytes:
        md = self._metadata(file_id)
        if not isinstance(md, dbx_files.FileMetadata):
            raise DestinationError(f"Dropbox item {file_id} is not a file")
        if md.size > max_bytes:
            raise FileTooLarge(f"Dropbox file {file_id} is {md.size} bytes, limit {max_bytes}")
        _md, response = self._call("download", self.client.files_download, file_id)
        with response:
            data = response.content
        if len(data) > max_bytes:
            raise FileTooLarge(f"Dropbox file {file_id} sent {len(data)} bytes, limit {max_bytes}")
        return data

    def space_usage(self) -> tuple[int, int | None]:
        """(used, allocated) in bytes; allocated is None when Dropbox does not say."""
        usage = self._call("get_space_usage", self.client.users_get_space_usage)
        allocation = usage.allocation
        allocated = None
        if allocation.is_individual():
            allocated = allocation.get_individual().allocated
        elif allocation.is_team():
            allocated = allocation.get_team().allocated
        return usage.used, allocated
