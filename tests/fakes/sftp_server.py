"""A real SFTP server (asyncssh) on a loopback port, serving a local directory, with faults.

The client under test speaks real SSH + SFTP to it. The server is asyncssh's own
`SFTPServer` chrooted to `root`, so files land on disk exactly as a client wrote them.

Faults (`SftpFaults`, consumed in order, thread-safe):
- `fail("write"|"open"|"rename"|"mkdir", count)`: answer `SSH_FX_FAILURE`;
- `no_space(count)`: a write answers `SSH_FX_NO_SPACE_ON_FILESYSTEM`;
- `crash_mid_write(count)`: write half of the first chunk, then drop the connection
  (as when the network dies during an upload);
- `random(rate, seed)`: each write fails with probability `rate`;
- `server.rotate_host_key()`: the server now presents another host key (as after a
  reinstall, or a machine in the middle).
"""

from __future__ import annotations

import asyncio
import random
import threading
from collections import Counter
from pathlib import Path
from typing import Any

import asyncssh


class SftpFaults:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._planned: list[list[Any]] = []  # [op, kind, remaining]
        self.fired: Counter[str] = Counter()
        self.renamed: Counter[str] = Counter()  # final path -> completed renames onto it
        self._rate = 0.0
        self._rng = random.Random(0)

    def random(self, rate: float, seed: int) -> None:
        """Fail each write with SSH_FX_FAILURE with probability `rate` (seeded)."""
        with self._lock:
            self._rate, self._rng = rate, random.Random(seed)

    def _add(self, op: str, kind: str, count: int) -> None:
        with self._lock:
            self._planned.append([op, kind, count])

    def fail(self, op: str, count: int = 1) -> None:
        self._add(op, "failure", count)

    def no_space(self, count: int = 1) -> None:
        self._add("write", "no_space", count)

    def crash_mid_write(self, count: int = 1) -> None:
        self._add("write", "crash", count)

    def take(self, op: str) -> str | None:
        with self._lock:
            for fault in self._planned:
                if fault[0] == op and fault[2] > 0:
                    fault[2] -= 1
                    self.fired[fault[1]] += 1
                    return fault[1]
            if op == "write" and self._rate and self._rng.random() < self._rate:
                self.fired["random"] += 1
                return "failure"
        return None


class _Auth(asyncssh.SSHServer):
    def __init__(self, users: dict[str, str]) -> None:
        self._users = users

    def begin_auth(self, username: str) -> bool:
        return True

    def password_auth_supported(self) -> bool:
        return True

    def validate_password(self, username: str, password: str) -> bool:
        return self._users.get(username) == password


def _sftp_class(faults: SftpFaults, root: Path) -> type[asyncssh.SFTPServer]:
    class FaultySftp(asyncssh.SFTPServer):
        def __init__(self, chan: asyncssh.SSHServerChannel) -> None:
            super().__init__(chan, chroot=str(root).encode())

        def _fault(self, op: str) -> str | None:
            kind = faults.take(op)
            if kind == "failure":
                raise asyncssh.SFTPFailure(f"injected failure on {op}")
            if kind == "no_space":
                raise asyncssh.SFTPNoSpaceOnFilesystem("injected: disk full")
            return kind

        def open(self, path: bytes, pflags: int, attrs: Any) -> Any:
            self._fault("open")
            return super().open(path, pflags, attrs)

        def open56(self, path: bytes, desired_access: int, flags: int, attrs: Any) -> Any:
            self._fault("open")
            return super().open56(path, desired_access, flags, attrs)

        def rename(self, oldpath: bytes, newpath: bytes) -> Any:
            self._fault("rename")
            return super().rename(oldpath, newpath)

        def write(self, file_obj: Any, offset: int, data: bytes) -> Any:
            if self._fault("write") == "crash":
                super().write(file_obj, offset, data[: max(1, len(data) // 2)])
                self.connection.abort()
                raise asyncssh.SFTPConnectionLost("injected: connection dropped mid-write")
            return super().write(file_obj, offset, data)

        def mkdir(self, path: bytes, attrs: Any) -> Any:
            self._fault("mkdir")
            return super().mkdir(path, attrs)

        def posix_rename(self, oldpath: bytes, newpath: bytes) -> Any:
            self._fault("rename")
            result = super().posix_rename(oldpath, newpath)
            faults.renamed[newpath.decode()] += 1
            return result

    return FaultySftp


class SftpServer:
    """`with SftpServer(tmp_path) as server:` then `server.host_key` to pin."""

    def __init__(
        self, root: Path, username: str = "firm", password: str = "s3cret", sftp_version: int = 3
    ) -> None:
        # OpenSSH's sftp-server speaks version 3, where "disk full" is a plain failure;
        # versions 5-6 give it its own status code.
        self.sftp_version = sftp_version
        self.root = root
        self.root.mkdir(parents=True, exist_ok=True)
        self.username, self.password = username, password
        self.faults = SftpFaults()
        self._key = asyncssh.generate_private_key("ssh-ed25519")
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._server: asyncssh.SSHAcceptor | None = None
        self.port = 0

    @property
    def host_key(self) -> str:
        """The server's public host key, OpenSSH one-line form (what a firm pins)."""
        return self._key.export_public_key().decode().strip()

    def rotate_host_key(self) -> None:
        self._key = asyncssh.generate_private_key("ssh-ed25519")
        assert self._server is not None
        self._server.update(server_host_keys=[self._key])

    def _run(self, coro: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout=30)

    def start(self) -> SftpServer:
        self._thread.start()
        users = {self.username: self.password}

        async def listen() -> asyncssh.SSHAcceptor:
            return await asyncssh.create_server(
                lambda: _Auth(users),
                "127.0.0.1",
                0,
                server_host_keys=[self._key],
                sftp_factory=_sftp_class(self.faults, self.root),
                allow_scp=False,
                sftp_version=self.sftp_version,
            )

        self._server = self._run(listen())
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    def stop(self) -> None:
        if self._server is not None:
            server = self._server
            self._server = None

            async def close() -> None:
                # asyncio.Server.close is not thread-safe: calling it from the test's thread
                # races the loop's own wakeup (TypeError in _wakeup on Python 3.11).
                server.close()
                await server.wait_closed()

            self._run(close())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)

    def __enter__(self) -> SftpServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def files(self) -> dict[str, bytes]:
        """Every file under the root, by its path relative to the root."""
        return {
            str(p.relative_to(self.root)): p.read_bytes()
            for p in sorted(self.root.rglob("*"))
            if p.is_file()
        }
