"""SFTP backend (asyncssh): the only module that talks SSH.

Folder and file ids are absolute POSIX paths on the server, under the configured `root`.

- **Host key pinned.** The server must present exactly the pinned public key (OpenSSH
  one-line form, `ssh-ed25519 AAAA...`); anything else fails with `HostKeyRefused`, a
  permanent error that names the key the server offered. There is no trust-on-first-use
  and no `known_hosts=None`.
- **Atomic writes.** `upload` writes `.<name>.<random>.part` in the target folder, then
  renames it over `name` with the `posix-rename@openssh.com` extension (plain `rename`
  when the server lacks it). A crash mid-upload leaves only a `.part` file, never a
  truncated document under its real name; the next attempt writes a new `.part`.
- **Failure mapping, in one place (`_classify`):** a refused host key ->
  `HostKeyRefused`; refused credentials -> `ReconnectNeeded`; no space -> `StorageFull`;
  connection lost/refused, timeouts and `SSH_FX_FAILURE` -> retried with the shared
  `RetryPolicy`, then `RetryableError`; any other SFTP status -> `DestinationError`.

asyncssh is asynchronous; `Destination` is not. Each instance runs one event loop in a
daemon thread and keeps one connection, reopened after a failure. Call `close()` when done.
"""

from __future__ import annotations

import asyncio
import logging
import posixpath
import secrets
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import asyncssh

from shared.destinations.base import (
    DestinationError,
    ReconnectNeeded,
    RetryableError,
    RetryPolicy,
    StorageFull,
    Transient,
)
from shared.destinations.network import check_public_host

# asyncssh logs every channel at INFO; our own log says what each delivery did.
logging.getLogger("asyncssh").setLevel(logging.WARNING)

T = TypeVar("T")

# Characters refused in one path segment: the separator, NUL and control characters.
_MAX_SEGMENT = 255


class HostKeyRefused(DestinationError):
    """The server did not present the pinned host key: possibly not the server we know."""

    status = "host_key_refused"


class SftpNotFound(DestinationError):
    """The path does not exist (deleted on the server, or never created)."""


def check_segment(name: str) -> str:
    """One folder or file name; refuses traversal, separators and control characters.

    >>> check_segment("AP")
    'AP'
    >>> check_segment("..")
    Traceback (most recent call last):
    ...
    ValueError: invalid SFTP path segment: '..'
    """
    if (
        not name
        or name in (".", "..")
        or "/" in name
        or "\\" in name
        or any(ord(c) < 32 or ord(c) == 127 for c in name)
        or len(name.encode()) > _MAX_SEGMENT
    ):
        raise ValueError(f"invalid SFTP path segment: {name!r}")
    return name


def parse_host_key(public_key: str) -> asyncssh.SSHKey:
    """The pinned key from its OpenSSH one-line form; a clear error when it is not one."""
    try:
        return asyncssh.import_public_key(public_key.strip())
    except (asyncssh.KeyImportError, ValueError) as exc:
        raise ValueError(f"SFTP host key is not an OpenSSH public key: {exc}") from exc


@dataclass(frozen=True)
class SftpSettings:
    host: str
    port: int
    username: str
    host_key: str  # the pinned public key, OpenSSH one-line form
    password: str | None = field(default=None, repr=False)
    private_key: str | None = field(default=None, repr=False)  # OpenSSH private key text
    root: str = "/"
    connect_timeout: float = 15.0
    allow_local: bool = False  # the deployment's PARTNER_ALLOW_LOCAL_HOSTS, never the firm's

    def __post_init__(self) -> None:
        if not self.host or not (0 < self.port < 65536) or not self.username:
            raise ValueError("SFTP settings need host, port (1-65535) and username")
        check_public_host(self.host, allow_local=self.allow_local, resolve=False)
        if not self.host_key:
            raise ValueError("SFTP settings need the server's host key (it is pinned)")
        parse_host_key(self.host_key)
        if not self.password and not self.private_key:
            raise ValueError("SFTP settings need a password or a private key")
        if not posixpath.isabs(self.root) or ".." in self.root.split("/"):
            raise ValueError("SFTP root must be an absolute path without '..'")


def _classify(exc: BaseException, what: str) -> Exception:
    if isinstance(exc, asyncssh.HostKeyNotVerifiable):
        return HostKeyRefused(f"SFTP {what}: the server's host key is not the pinned one ({exc})")
    if isinstance(exc, asyncssh.PermissionDenied):
        return ReconnectNeeded(f"SFTP {what}: credentials refused")
    if isinstance(exc, asyncssh.SFTPNoSpaceOnFilesystem | asyncssh.SFTPQuotaExceeded):
        return StorageFull(f"SFTP {what}: no space left ({exc.reason})")
    if isinstance(exc, asyncssh.SFTPNoSuchFile):
        return SftpNotFound(f"SFTP {what}: {exc.reason}")
    if isinstance(exc, asyncssh.SFTPFailure | asyncssh.SFTPConnectionLost):
        return Transient(RetryableError(f"SFTP {what}: server failure ({exc.reason})"))
    if isinstance(exc, asyncssh.SFTPError):
        return DestinationError(f"SFTP {what} failed: {exc.reason} (code {exc.code})")
    if isinstance(exc, asyncssh.DisconnectError | asyncssh.ConnectionLost):
        return Transient(RetryableError(f"SFTP {what}: disconnected ({exc.reason})"))
    if isinstance(exc, OSError | asyncio.TimeoutError | EOFError):
        return Transient(RetryableError(f"SFTP {what}: connection failed: {exc!r}"))
    if isinstance(exc, DestinationError):
        return exc
    return DestinationError(f"SFTP {what} failed: {exc!r}")


class SftpDestination:
    """An SFTP server directory tree as an export `Destination`."""

    kind = "sftp"

    def __init__(self, settings: SftpSettings, retry: RetryPolicy | None = None) -> None:
        self.settings = settings
        self.retry = retry or RetryPolicy(max_attempts=5, max_delay=30.0)
        self.retries = 0
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()
        self._conn: asyncssh.SSHClientConnection | None = None
        self._sftp: asyncssh.SFTPClient | None = None

    # ------------------------------------------------------------------ plumbing

    def _run(self, coro: Awaitable[T]) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result()  # type: ignore[arg-type]

    async def _client(self) -> asyncssh.SFTPClient:
        if self._sftp is not None:
            return self._sftp
        s = self.settings
        options: dict[str, Any] = {
            "known_hosts": ([parse_host_key(s.host_key)], [], []),
            "username": s.username,
            "connect_timeout": s.connect_timeout,
            "client_keys": [asyncssh.import_private_key(s.private_key)] if s.private_key else (),
            "password": s.password,
            "agent_path": None,
        }
        check_public_host(s.host, allow_local=s.allow_local)  # DNS may answer otherwise now
        self._conn = await asyncssh.connect(s.host, s.port, **options)
        # Version 6 when the server speaks it: "no space" and "exists" get their own codes.
        self._sftp = await self._conn.start_sftp_client(sftp_version=6)
        return self._sftp

    async def _drop(self) -> None:
        conn, self._conn, self._sftp = self._conn, None, None
        if conn is not None:
            conn.abort()

    def _call(self, what: str, op: Callable[[asyncssh.SFTPClient], Awaitable[T]]) -> T:
        async def attempt() -> T:
            try:
                return await op(await self._client())
            except BaseException:
                await self._drop()  # never reuse a connection that failed
                raise

        def classify(exc: Exception) -> Exception:
            return _classify(exc, what)

        return self.retry.call(lambda: self._run(attempt()), classify, self._count_retry)

    def _count_retry(self) -> None:
        self.retries += 1

    def close(self) -> None:
        if self._loop.is_closed():
            return
        self._run(self._drop())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)
        self._loop.close()

    def __enter__(self) -> SftpDestination:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ Destination

    def ensure_folder(self, parent_id: str | None, name: str) -> str:
        path = posixpath.join(parent_id or self.settings.root, check_segment(name))

        async def op(sftp: asyncssh.SFTPClient) -> str:
            try:
                await sftp.mkdir(path)
            except asyncssh.SFTPFailure:
                # SFTP v3 answers a generic failure when the directory exists.
                if not await sftp.isdir(path):
                    raise
            except asyncssh.SFTPFileAlreadyExists:
                if not await sftp.isdir(path):
                    raise DestinationError(f"SFTP: {path} exists and is not a folder") from None
            return path

        return self._call(f"mkdir {path}", op)

    def exists(self, item_id: str) -> bool:
        return self._call(f"stat {item_id}", lambda sftp: sftp.exists(item_id))

    def find_file(self, folder_id: str, name: str) -> str | None:
        path = posixpath.join(folder_id, check_segment(name))

        async def op(sftp: asyncssh.SFTPClient) -> str | None:
            return path if await sftp.isfile(path) else None

        return self._call(f"stat {path}", op)

    def list_files(self, folder_id: str) -> dict[str, str]:
        """`Destination.list_files`: {name: path} of the regular files (temporaries excluded)."""

        async def op(sftp: asyncssh.SFTPClient) -> dict[str, str]:
            out: dict[str, str] = {}
            for entry in await sftp.readdir(folder_id):
                # str, as the path asked for is (asyncssh answers bytes for a bytes path).
                name = (
                    entry.filename if isinstance(entry.filename, str) else entry.filename.decode()
                )
                if name.startswith(".") or entry.attrs.type != asyncssh.FILEXFER_TYPE_REGULAR:
                    continue
                out[name] = posixpath.join(folder_id, name)
            return out

        return self._call(f"list {folder_id}", op)

    def upload(
        self,
        folder_id: str,
        name: str,
        data: bytes,
        mime_type: str,
        properties: dict[str, str] | None = None,
    ) -> str:
        """Write `data` as `folder_id/name` atomically (temporary name, then rename)."""
        path = posixpath.join(folder_id, check_segment(name))

        async def op(sftp: asyncssh.SFTPClient) -> str:
            part = posixpath.join(folder_id, f".{name[:200]}.{secrets.token_hex(6)}.part")
            try:
                async with sftp.open(part, "wb") as handle:
                    await handle.write(data)
                try:
                    await sftp.posix_rename(part, path)
                except asyncssh.SFTPOpUnsupported:
                    # Without the extension, rename refuses an existing target.
                    if await sftp.exists(path):
                        await sftp.remove(path)
                    await sftp.rename(part, path)
            except asyncssh.SFTPError:
                # A refused write cleans up after itself; a lost connection cannot.
                try:
                    await sftp.remove(part)
                except (asyncssh.SFTPError, OSError):
                    pass
                raise
            return path

        return self._call(f"upload {path}", op)

    def put_file(self, folder_id: str, name: str, data: bytes, mime_type: str) -> str:
        """Write `folder_id/name`, replacing the file there (an updated index record):
        `upload` renames over the target already, atomically."""
        return self.upload(folder_id, name, data, mime_type)

    def link(self, item_id: str) -> str:
        s = self.settings
        return f"sftp://{s.username}@{s.host}:{s.port}{item_id}"
