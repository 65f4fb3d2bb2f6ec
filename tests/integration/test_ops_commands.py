"""The operator's commands (docs/RUNBOOK.md) against local Scheduler, Secret Manager and
the Pub/Sub emulator, through `python -m shared.cli ops` and the official clients."""

from __future__ import annotations

import json

import pytest
from google.api_core.exceptions import AlreadyExists
from google.cloud import pubsub_v1

from shared.cli import main as cli
from tests.fakes.google_ops import GoogleOpsState, create_app
from tests.fakes.http_server import ThreadedServer

PROJECT = "ops-test"
PARENT = f"projects/{PROJECT}/locations/europe-west1"


@pytest.fixture
def google_ops(monkeypatch: pytest.MonkeyPatch):
    state = GoogleOpsState()
    for name, cron in [("exports-nightly", "30 23 * * *"), ("dropzone-every-3h", "0 */3 * * *")]:
        state.add_job(PARENT, name, cron, "Europe/Paris")
    state.add_job(PARENT, "someone-elses-job", "0 0 * * *", "Etc/UTC")
    state.add_secret(PROJECT, "twilio-auth-token")
    with ThreadedServer(create_app(state)) as server:
        monkeypatch.setenv("SCHEDULER_API_ENDPOINT", server.base_url)
        monkeypatch.setenv("SECRET_MANAGER_API_ENDPOINT", server.base_url)
        monkeypatch.setenv("GOOGLE_CLOUD_PROJECT", PROJECT)
        yield state


def test_pause_and_resume_only_the_products_jobs(google_ops, capsys):
    assert cli(["ops", "schedules", "--pause"]) == 0
    states = {name.rsplit("/", 1)[-1]: job["state"] for name, job in google_ops.jobs.items()}
    assert states == {
        "exports-nightly": "PAUSED",
        "dropzone-every-3h": "PAUSED",
        "someone-elses-job": "ENABLED",
    }
    assert cli(["ops", "schedules", "--resume", "exports-nightly"]) == 0
    assert google_ops.jobs[f"{PARENT}/jobs/exports-nightly"]["state"] == "ENABLED"
    assert google_ops.jobs[f"{PARENT}/jobs/dropzone-every-3h"]["state"] == "PAUSED"
    capsys.readouterr()
    assert cli(["ops", "schedules"]) == 0
    listing = capsys.readouterr().out
    assert "exports-nightly\tENABLED" in listing and "someone-elses-job" not in listing


def test_unknown_job_is_refused_and_nothing_changes(google_ops, capsys):
    assert cli(["ops", "schedules", "--pause", "exports-nightly", "no-such-job"]) == 2
    assert "not a job of this product: no-such-job" in capsys.readouterr().err
    assert all(job["state"] == "ENABLED" for job in google_ops.jobs.values())


def test_scheduler_unavailable_is_retried_by_the_client(google_ops):
    google_ops.fail_next = 1
    assert cli(["ops", "schedules", "--pause", "exports-nightly"]) == 0
    assert google_ops.jobs[f"{PARENT}/jobs/exports-nightly"]["state"] == "PAUSED"
    assert google_ops.requests.count(f"GET /v1/{PARENT}/jobs") == 2


def test_rotation_keeps_the_previous_version_then_retires_it(google_ops, tmp_path, capsys):
    secret = f"projects/{PROJECT}/secrets/twilio-auth-token"
    values = [b"first-token-value", b"second-token-value", b"third-token-value"]
    for value in values:
        path = tmp_path / "value"
        path.write_bytes(value + b"\n")
        assert cli(["ops", "rotate-secret", "twilio-auth-token", "--from-file", str(path)]) == 0
    output = capsys.readouterr().out
    assert all(value.decode() not in output for value in values)
    assert [google_ops.payload(secret, n) for n in (1, 2, 3)] == values  # newline stripped
    assert [v["state"] for v in google_ops.secrets[secret]] == ["DISABLED", "ENABLED", "ENABLED"]
    assert "latest version 3; still enabled [2]; disabled [1]" in output.splitlines()[-1]

    assert cli(["ops", "retire-secret", "twilio-auth-token"]) == 0
    assert [v["state"] for v in google_ops.secrets[secret]] == ["DISABLED", "DISABLED", "ENABLED"]


def test_empty_secret_value_is_refused(google_ops, tmp_path, capsys):
    path = tmp_path / "empty"
    path.write_bytes(b"\n")
    assert cli(["ops", "rotate-secret", "twilio-auth-token", "--from-file", str(path)]) == 2
    assert "empty secret" in capsys.readouterr().err
    assert google_ops.secrets[f"projects/{PROJECT}/secrets/twilio-auth-token"] == []


def _pull(project: str, subscription: str) -> list[dict]:
    subscriber = pubsub_v1.SubscriberClient()
    try:
        response = subscriber.pull(
            request={"subscription": subscription, "max_messages": 10}, timeout=10
        )
        return [json.loads(m.message.data) for m in response.received_messages]
    finally:
        subscriber.close()


@pytest.mark.parametrize(
    ("argv", "topic", "expected"),
    [
        (
            ["rerun-integration", "org-1", "int-9", "--kind", "export"],
            "exports.sync",
            {"organization_id": "org-1", "integration_id": "int-9"},
        ),
        (
            ["rerun-integration", "org-1", "dz-1", "--kind", "drive_dropzone"],
            "dropzone.sync",
            {"organization_id": "org-1", "integration_id": "dz-1"},
        ),
        (["rerun-statements", "2026-11-30"], "ebics.statements", {"date": "2026-11-30"}),
    ],
)
def test_reruns_publish_what_the_worker_takes(local_stack, monkeypatch, argv, topic, expected):
    project = local_stack.project
    monkeypatch.setenv("GOOGLE_CLOUD_PROJECT", project)
    publisher = pubsub_v1.PublisherClient()
    subscriber = pubsub_v1.SubscriberClient()
    topic_path = publisher.topic_path(project, topic)
    subscription = subscriber.subscription_path(project, f"ops-test-{topic}")
    try:
        publisher.create_topic(name=topic_path)
    except AlreadyExists:  # another test made it
        pass
    try:
        subscriber.create_subscription(name=subscription, topic=topic_path)
    except AlreadyExists:  # another case of this test made it
        pass
    subscriber.close()
    assert cli(["ops", *argv]) == 0
    messages = _pull(project, subscription)
    assert len(messages) == 1
    assert expected.items() <= messages[0].items()
    if topic == "exports.sync":
        assert messages[0]["run_id"].startswith("manual-")
    if topic == "dropzone.sync":
        assert messages[0]["run_key"].startswith("manual:")
