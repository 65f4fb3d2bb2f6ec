"""The Pub/Sub and HTTP decorators: acknowledge vs redeliver, error bodies, trace, cold start."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from typing import Any

import functions_framework
import pytest

from tests.unit.platform import sample_functions as sample

SOURCE = sample.__file__
TRACE_ID = "105445aa7843bc8bf206b12000100000"


def _event(payload: Any, message_id: str = "m-1") -> tuple[dict, dict]:
    data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    body = {"message": {"data": base64.b64encode(data).decode(), "messageId": message_id}}
    headers = {
        "ce-id": message_id,
        "ce-specversion": "1.0",
        "ce-source": "//pubsub.googleapis.com/projects/p/topics/tests.topic",
        "ce-type": "google.cloud.pubsub.topic.v1.messagePublished",
        "X-Cloud-Trace-Context": f"{TRACE_ID}/7;o=1",
    }
    return body, headers


@pytest.fixture
def job() -> Iterator[Any]:
    yield functions_framework.create_app(target="sample_job", source=SOURCE).test_client()


def _post(client: Any, payload: Any) -> int:
    body, headers = _event(payload)
    return client.post("/", json=body, headers=headers).status_code


def test_malformed_message_is_acknowledged(job: Any, capsys: pytest.CaptureFixture) -> None:
    assert _post(job, b"not json") == 200
    assert _post(job, {"other": 1}) == 200  # no organization_id
    err = capsys.readouterr().err
    assert err.count("invalid_request, acknowledged") == 2 and "job ran" not in err


@pytest.mark.parametrize("error", ["not_found", "conflict", "reconnect_needed"])
def test_settled_errors_are_acknowledged(
    job: Any, error: str, capsys: pytest.CaptureFixture
) -> None:
    assert _post(job, {"organization_id": "org-1", "raise": error}) == 200
    assert f"{error}, acknowledged" in capsys.readouterr().err


@pytest.mark.parametrize("error", ["retry_later", "bug"])
def test_transient_and_unknown_errors_ask_for_redelivery(job: Any, error: str) -> None:
    # Pub/Sub redelivers a delivery answered with a non-2xx status.
    assert _post(job, {"organization_id": "org-1", "raise": error}) == 500


def test_job_lines_carry_trace_and_message_id(job: Any, capsys: pytest.CaptureFixture) -> None:
    assert _post(job, {"organization_id": "org-1"}) == 200
    lines = [json.loads(x) for x in capsys.readouterr().err.splitlines() if x.startswith("{")]
    (ran,) = [line for line in lines if line["message"] == "job ran"]
    assert ran["logging.googleapis.com/trace"].endswith(f"/traces/{TRACE_ID}")
    assert ran["message_id"] == "m-1" and ran["organization_id"] == "org-1"
    assert ran["function"] == "sample_job"


def test_http_errors_become_status_and_json_body() -> None:
    client = functions_framework.create_app(target="sample_http", source=SOURCE).test_client()
    missing = client.get("/?fail=not_found")
    assert missing.status_code == 404
    assert missing.get_json() == {
        "error": {"code": "not_found", "message": "payment request r1 not found"}
    }
    bug = client.get("/?fail=bug")
    assert bug.status_code == 500
    assert bug.get_json() == {"error": {"code": "internal", "message": "internal error"}}
    assert client.get("/").get_json() == {"ok": True}


def test_missing_setting_is_named_at_cold_start(monkeypatch: pytest.MonkeyPatch) -> None:
    from functions import handlers
    from shared import config

    monkeypatch.delenv("TWILIO_AUTH_TOKEN", raising=False)
    config.settings.cache_clear()
    handlers.reset_for_tests()
    try:
        client = functions_framework.create_app(
            target="sample_http_needing_twilio", source=SOURCE
        ).test_client()
        answer = client.get("/")
        assert answer.status_code == 500
        assert answer.get_json()["error"]["code"] == "misconfigured"
        assert "TWILIO_AUTH_TOKEN" in answer.get_json()["error"]["message"]
    finally:
        config.settings.cache_clear()
        handlers.reset_for_tests()
