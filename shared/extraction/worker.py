"""Extraction in a separate worker process, under a time and a memory budget.

The decoders (PDFium, libjpeg, libheif, onnxruntime) are C code reading hostile bytes. Bounds
(`shared.limits`) refuse the attacks we know of; this process boundary is for the ones we do
not: whatever happens in the worker (a budget exhausted, a segfault, the kernel's OOM killer),
the function that called it gets an `Extraction` refused with a reason, and lives on.

- Memory: the worker sets `RLIMIT_DATA` (and a looser `RLIMIT_AS`) on itself at start, so an
  allocation beyond the budget fails in the worker (`MemoryError` or a C allocator abort).
- Time: the caller waits at most the budget, then kills the worker (SIGKILL).
- The worker is spawned (never forked: the caller holds gRPC channels and threads) and kept for
  the next file, so imports and the OCR models load once per instance; one that died or was
  killed is replaced on the next call.

    >>> worker = ExtractionWorker(seconds=30)
    >>> worker.extract(b"GIF89a...").refusal_code
    'unsupported_type'
    >>> worker.close()
"""

from __future__ import annotations

import logging
import multiprocessing
import signal
import threading
import time
import traceback
from multiprocessing.connection import Connection
from typing import Any

from shared import limits

from .model import Extraction

log = logging.getLogger(__name__)

# RLIMIT_AS counts reserved address space (thread stacks, allocator arenas, PDFium's
# partitions), which is several times what is used: it only stops runaway mappings.
_ADDRESS_SPACE_FACTOR = 4


def _serve(conn: Connection, memory_bytes: int) -> None:
    """The worker's loop: one (data, kwargs) in, one Extraction (or error text) out."""
    import resource

    for kind, value in (
        (resource.RLIMIT_DATA, memory_bytes),
        (resource.RLIMIT_AS, memory_bytes * _ADDRESS_SPACE_FACTOR),
    ):
        try:
            resource.setrlimit(kind, (value, value))
        except (ValueError, OSError):  # pragma: no cover - a platform without this limit
            pass
    from .pipeline import extract

    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        data, kwargs = message
        try:
            result: Any = ("ok", extract(data, **kwargs))
        except MemoryError:
            result = ("memory", "")
        except BaseException:  # noqa: BLE001 - reported to the caller, who refuses the file
            result = ("error", traceback.format_exc(limit=5))
        del data
        try:
            conn.send(result)
        except MemoryError:
            conn.send(("memory", ""))


class ExtractionWorker:
    """One worker process at a time, used by one caller at a time (calls are serialised)."""

    def __init__(
        self,
        *,
        seconds: float = limits.EXTRACTION_SECONDS,
        memory_bytes: int = limits.EXTRACTION_MEMORY_BYTES,
    ) -> None:
        self.seconds = seconds
        self.memory_bytes = memory_bytes
        self._lock = threading.Lock()
        self._process: multiprocessing.process.BaseProcess | None = None
        self._conn: Connection | None = None

    def extract(self, data: bytes, **kwargs: Any) -> Extraction:
        """`pipeline.extract(data, **kwargs)` in the worker; never raises on what the file
        does to the worker: an exhausted budget or a crash is a refusal with a reason."""
        import hashlib

        with self._lock:
            conn = self._ensure_started()
            try:
                conn.send((data, kwargs))
                status, value = self._wait(conn)
            except (EOFError, OSError, BrokenPipeError):
                status, value = "died", ""
            if status == "ok":
                return value
            exitcode = self._stop()
        checksum = hashlib.sha256(data).hexdigest()
        code, reason = _refusal(status, exitcode, self.seconds, self.memory_bytes)
        log.error(
            "extraction worker: %s (exit code %s) for %s",
            status,
            exitcode,
            kwargs.get("source_name") or checksum[:12],
            extra={"detail": value[-2000:]} if value else None,
        )
        return Extraction(
            media_type=None, pages=0, checksum=checksum, refused=reason, refusal_code=code
        )

    def _wait(self, conn: Connection) -> tuple[str, Any]:
        """The worker's answer, "timeout" at the deadline, or "died" as soon as it dies."""
        deadline = time.monotonic() + self.seconds
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return "timeout", ""
            if conn.poll(min(left, 0.5)):
                return conn.recv()
            if self._process is None or not self._process.is_alive():
                return "died", ""

    def close(self) -> None:
        with self._lock:
            if self._conn is not None and self._process is not None and self._process.is_alive():
                try:
                    self._conn.send(None)
                except (OSError, BrokenPipeError):
                    pass
                self._process.join(5)
            self._stop()

    def _ensure_started(self) -> Connection:
        if self._process is not None and self._process.is_alive() and self._conn is not None:
            return self._conn
        self._stop()
        context = multiprocessing.get_context("spawn")
        parent, child = context.Pipe()
        process = context.Process(
            target=_serve, args=(child, self.memory_bytes), name="extraction-worker", daemon=True
        )
        process.start()
        child.close()
        self._process, self._conn = process, parent
        return parent

    def _stop(self) -> int | None:
        """Kill the worker if it lives; its exit code (negative = killed by that signal)."""
        process, conn = self._process, self._conn
        self._process = self._conn = None
        if conn is not None:
            conn.close()
        if process is None:
            return None
        if process.is_alive():
            process.kill()
        process.join(10)
        return process.exitcode


def _refusal(status: str, exitcode: int | None, seconds: float, memory: int) -> tuple[str, str]:
    if status == "timeout":
        return (
            "over_budget",
            f"Reading the file took longer than {seconds:.0f} s; send a simpler file "
            "(one invoice, or a photo instead of a scan of many pages).",
        )
    if status == "memory" or exitcode in (-signal.SIGKILL, -signal.SIGABRT):
        return (
            "over_budget",
            f"Reading the file needed more than {memory // 1_048_576} MB of memory; send a "
            "smaller photo or PDF.",
        )
    return ("unreadable", "The file could not be read; send a clearer photo or the original PDF.")


_default: ExtractionWorker | None = None
_default_lock = threading.Lock()


def default_worker() -> ExtractionWorker:
    """The instance's worker, created on first use (budgets from `shared.limits`)."""
    global _default
    with _default_lock:
        if _default is None:
            _default = ExtractionWorker()
        return _default


def extract_in_worker(data: bytes, **kwargs: Any) -> Extraction:
    """`pipeline.extract` in the instance's worker process, under the budgets."""
    return default_worker().extract(data, **kwargs)
