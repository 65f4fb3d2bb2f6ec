"""Start, probe, reset and stop the local stand-ins for Google Cloud (dev and test tooling).

One code path for the tests (pytest fixtures) and the local run command:
- Firestore: the official emulator jar shipped with the Debian `google-cloud-cli`.
- Pub/Sub: the official emulator jar from the same package.
- Cloud Storage: `gcp-storage-emulator` (PyPI), in memory.

The jars are started with `java` directly, not through the gcloud wrapper
script, because the wrapper leaves an orphan JVM behind when it is killed.
"""

from __future__ import annotations

import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

SDK_PLATFORM = Path(os.environ.get("GCLOUD_SDK_PLATFORM", "/usr/lib/google-cloud-sdk/platform"))
FIRESTORE_JAR = SDK_PLATFORM / "cloud-firestore-emulator" / "cloud-firestore-emulator.jar"
PUBSUB_JAR_GLOB = str(SDK_PLATFORM / "pubsub-emulator" / "lib" / "cloud-pubsub-emulator-*-all.jar")


class EmulatorUnavailable(RuntimeError):
    """An emulator cannot be started on this machine; the message says what is missing."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _http_ok(url: str, expect: Callable[[bytes], bool] = lambda body: True) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as response:  # noqa: S310 - loopback only
            return response.status == 200 and expect(response.read())
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return False


@dataclass
class Emulator:
    """One emulator process, owned by whoever started it."""

    name: str
    command: list[str]
    port: int
    ready_path: str = "/"
    ready_body: bytes | None = None
    log_path: Path | None = None
    process: subprocess.Popen | None = field(default=None, repr=False)

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        return f"http://{self.host}"

    def start(self, timeout: float = 60.0) -> Emulator:
        self.launch()
        return self.wait_ready(timeout)

    def launch(self) -> None:
        log = open(self.log_path, "ab") if self.log_path else subprocess.DEVNULL  # noqa: SIM115
        # A new session so that stop() can signal the whole process group.
        self.process = subprocess.Popen(
            self.command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )

    def wait_ready(self, timeout: float = 60.0) -> Emulator:
        assert self.process is not None, "launch() first"
        deadline = time.monotonic() + timeout
        expect = (lambda body: self.ready_body in body) if self.ready_body else (lambda body: True)
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise EmulatorUnavailable(
                    f"{self.name} emulator exited with code {self.process.returncode}"
                    + (f"; see {self.log_path}" if self.log_path else "")
                )
            if _http_ok(self.url + self.ready_path, expect):
                return self
            time.sleep(0.1)
        self.stop()
        raise EmulatorUnavailable(f"{self.name} emulator not ready after {timeout:.0f}s")

    def stop(self) -> None:
        if not self.process or self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=10)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.process.wait(timeout=5)


def _require_java() -> str:
    java = shutil.which("java")
    if not java:
        raise EmulatorUnavailable(
            "java not found: install a JRE 17 (Debian: openjdk-17-jre-headless)"
        )
    return java


def firestore_emulator(port: int | None = None, log_dir: Path | None = None) -> Emulator:
    if not FIRESTORE_JAR.exists():
        raise EmulatorUnavailable(
            f"Firestore emulator jar missing at {FIRESTORE_JAR}: it ships with the Debian package "
            "google-cloud-cli (component cloud-firestore-emulator)"
        )
    port = port or free_port()
    command = [
        _require_java(),
        "-Duser.language=en",
        "-cp",
        str(FIRESTORE_JAR),
        "com.google.cloud.datastore.emulator.firestore.CloudFirestore",
        "start",
        "--host=127.0.0.1",
        f"--port={port}",
    ]
    return Emulator(
        "firestore",
        command,
        port,
        ready_body=b"Ok",
        log_path=(log_dir / "firestore.log") if log_dir else None,
    )


def pubsub_emulator(port: int | None = None, log_dir: Path | None = None) -> Emulator:
    jars = sorted(glob.glob(PUBSUB_JAR_GLOB))
    if not jars:
        raise EmulatorUnavailable(
            f"Pub/Sub emulator jar missing ({PUBSUB_JAR_GLOB}): it ships with the Debian package "
            "google-cloud-cli (component pubsub-emulator)"
        )
    port = port or free_port()
    command = [_require_java(), "-jar", jars[-1], "--host=127.0.0.1", f"--port={port}"]
    return Emulator("pubsub", command, port, log_path=(log_dir / "pubsub.log") if log_dir else None)


def storage_emulator(port: int | None = None, log_dir: Path | None = None) -> Emulator:
    port = port or free_port()
    command = [
        sys.executable,
        "-c",
        "from gcp_storage_emulator.__main__ import main; main()",
        "start",
        "--host=127.0.0.1",
        f"--port={port}",
        "--in-memory",
    ]
    return Emulator(
        "storage",
        command,
        port,
        ready_path="/storage/v1/b",
        log_path=(log_dir / "storage.log") if log_dir else None,
    )


@dataclass
class LocalCloud:
    """The three emulators together, with the environment the clients read."""

    project: str
    firestore: Emulator
    pubsub: Emulator
    storage: Emulator

    @classmethod
    def start(cls, project: str = "demo-local", log_dir: Path | None = None) -> LocalCloud:
        if log_dir:
            log_dir.mkdir(parents=True, exist_ok=True)
        emulators = [
            firestore_emulator(log_dir=log_dir),
            pubsub_emulator(log_dir=log_dir),
            storage_emulator(log_dir=log_dir),
        ]
        try:
            # Launch all first and probe after: the JVMs boot in parallel.
            for emulator in emulators:
                emulator.launch()
            for emulator in emulators:
                emulator.wait_ready()
        except Exception:
            for emulator in emulators:
                emulator.stop()
            raise
        return cls(project, *emulators)

    def environ(self) -> dict[str, str]:
        return {
            "GOOGLE_CLOUD_PROJECT": self.project,
            "FIRESTORE_EMULATOR_HOST": self.firestore.host,
            "PUBSUB_EMULATOR_HOST": self.pubsub.host,
            "STORAGE_EMULATOR_HOST": self.storage.url,
        }

    def export_environ(self) -> None:
        os.environ.update(self.environ())

    def reset(self) -> None:
        """Empty Firestore and Cloud Storage; Pub/Sub topics are the caller's to recreate."""
        request = urllib.request.Request(
            f"{self.firestore.url}/emulator/v1/projects/{self.project}/databases/(default)/documents",
            method="DELETE",
        )
        urllib.request.urlopen(request, timeout=10).read()  # noqa: S310 - loopback only
        request = urllib.request.Request(f"{self.storage.url}/wipe", method="GET")
        try:
            urllib.request.urlopen(request, timeout=10).read()  # noqa: S310
        except urllib.error.URLError:
            pass

    def stop(self) -> None:
        for emulator in (self.storage, self.pubsub, self.firestore):
            emulator.stop()
