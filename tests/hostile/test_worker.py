"""The extraction worker: a budget that runs out, a crash or a kill is a refusal with a
reason, and the next file is read by a fresh worker."""

from __future__ import annotations

import io
import os
import signal
import threading
import time

import pytest
from PIL import Image

from shared.extraction.pipeline import extract
from shared.extraction.worker import ExtractionWorker

from . import files


@pytest.fixture
def worker():
    worker = ExtractionWorker(seconds=60, memory_bytes=1536 * 1024 * 1024)
    yield worker
    worker.close()


def _invoice_pdf() -> bytes:
    return files.text_pdf(
        [files.invoice_page(["FACTURE F-2026-001", "Date 12/03/2026", "Total TTC 42,50 EUR"])]
    )


def test_the_worker_returns_what_extract_returns_in_process(worker):
    data = _invoice_pdf()
    assert worker.extract(data, source_name="x.pdf") == extract(data, source_name="x.pdf")
    assert worker.extract(b"GIF89a....").refusal_code == "unsupported_type"


def test_a_file_that_outlasts_the_time_budget_is_refused_and_the_worker_replaced(worker):
    slow = files.hundred_page_text_pdf()  # seconds of layout work, within every size bound
    worker.seconds = 0.2
    result = worker.extract(slow, source_name="slow.pdf")
    assert result.refusal_code == "over_budget"
    assert "longer than" in (result.refused or "")
    worker.seconds = 60
    assert worker.extract(_invoice_pdf()).documents[0].total is not None


def test_a_file_that_needs_more_memory_than_the_budget_is_refused(worker):
    out = io.BytesIO()
    Image.new("L", (9_000, 8_000), 255).save(out, "PNG")  # 72 MP, 216 MB once in RGB
    worker.memory_bytes = 300 * 1024 * 1024
    result = worker.extract(out.getvalue(), source_name="big.png")
    assert result.refusal_code == "over_budget"
    assert "300 MB" in (result.refused or "")
    worker.memory_bytes = 1536 * 1024 * 1024
    assert worker.extract(_invoice_pdf()).refused is None


def test_a_worker_killed_mid_file_like_the_oom_killer_does_is_a_refusal(worker):
    worker.extract(b"GIF89a")  # started
    pid = worker._process.pid

    def kill_soon() -> None:
        time.sleep(0.5)
        os.kill(pid, signal.SIGKILL)

    killer = threading.Thread(target=kill_soon)
    killer.start()
    result = worker.extract(files.hundred_page_text_pdf(), source_name="killed.pdf")
    killer.join()
    assert result.refusal_code == "over_budget"
    assert "memory" in (result.refused or "")
    assert worker.extract(_invoice_pdf()).refused is None
