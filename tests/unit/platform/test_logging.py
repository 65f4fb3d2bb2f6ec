"""Logs are JSON Cloud Logging reads: fields, trace, no secrets, from every logger."""

from __future__ import annotations

import json
import logging
import subprocess
import sys

import pytest

from shared.log import bind, get_logger, register_secret, scrub_text, trace_fields
from tests.conftest import PROJECT_ROOT

TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"


def _lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


def test_a_logger_created_in_functions_emits_json_with_its_fields() -> None:
    # A fresh interpreter, as a Cloud Functions instance: nothing configured but the import.
    script = (
        "import logging, functions.dropzone\n"
        "log = logging.getLogger('functions.dropzone')\n"
        "log.info('fan-out done', extra={'integrations': 3, 'organization_id': 'org-1'})\n"
        "functions.dropzone.log.error('worker failed', organization_id='org-2')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=PROJECT_ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    info, error = _lines(done.stderr)
    assert info["severity"] == "INFO" and info["message"] == "fan-out done"
    assert info["integrations"] == 3 and info["organization_id"] == "org-1"
    assert info["logger"] == "functions.dropzone"
    assert error["severity"] == "ERROR" and error["organization_id"] == "org-2"


def test_extra_fields_of_a_plain_logger_are_kept(capsys: pytest.CaptureFixture[str]) -> None:
    get_logger("tests")  # installs the handler, as any shared module does on import
    logging.getLogger("shared.channels.twilio_whatsapp").warning(
        "send retried", extra={"attempt": 2, "status": 503}
    )
    (line,) = _lines(capsys.readouterr().err)
    assert line["attempt"] == 2 and line["status"] == 503


def test_every_line_carries_the_trace_of_the_request(capsys: pytest.CaptureFixture[str]) -> None:
    log = get_logger("tests")
    headers = {"X-Cloud-Trace-Context": f"{TRACE_ID}/123;o=1"}
    with bind(**trace_fields(headers, "proj")):
        log.info("first")
        logging.getLogger("functions.x").info("second")
    log.info("outside")
    first, second, outside = _lines(capsys.readouterr().err)
    expected = f"projects/proj/traces/{TRACE_ID}"
    assert first["logging.googleapis.com/trace"] == expected
    assert second["logging.googleapis.com/trace"] == expected
    assert first["logging.googleapis.com/spanId"] == "123"
    assert "logging.googleapis.com/trace" not in outside


def test_w3c_traceparent_is_read_too() -> None:
    fields = trace_fields({"traceparent": f"00-{TRACE_ID}-00f067aa0ba902b7-00"}, "p")
    assert fields["logging.googleapis.com/trace"] == f"projects/p/traces/{TRACE_ID}"
    assert fields["logging.googleapis.com/trace_sampled"] is False
    assert trace_fields({"traceparent": "garbage"}, "p") == {}


def test_secret_values_are_scrubbed_wherever_they_appear(
    capsys: pytest.CaptureFixture[str],
) -> None:
    token = "f3c9a1b2d4e5f60718293a4b5c6d7e8f"
    register_secret(token)
    log = get_logger("tests")
    log.error(
        f"Twilio refused {token}",
        detail=f"url https://x/?a=1&auth={token}",
        nested={"list": [token]},
        access_token="anything",
    )
    try:
        raise RuntimeError(f"boom {token}")
    except RuntimeError:
        log.exception("failed")
    out = capsys.readouterr().err
    assert token not in out
    first, second = _lines(out)
    assert first["message"] == "Twilio refused [redacted]"
    assert first["nested"] == {"list": ["[redacted]"]}
    assert first["access_token"] == "[redacted]"
    assert "[redacted]" in second["exception"]


def test_secret_shapes_are_scrubbed_without_registration() -> None:
    text = scrub_text(
        "Authorization: Bearer abcdefghijklmnop, ya29.a0AfH6SMBxyzxyzxyz "
        "GET /cb?code=4/0Adeu5BW&state=s refresh 1//0gLongRefreshTokenValue123"
    )
    assert "abcdefghijklmnop" not in text and "ya29." not in text
    assert "4/0Adeu5BW" not in text and "1//0gLong" not in text
    assert "Bearer [redacted]" in text and "state=s" in text


def test_short_values_are_not_registered_as_secrets() -> None:
    register_secret("abc")
    assert scrub_text("abc def") == "abc def"
