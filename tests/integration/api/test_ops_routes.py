"""The `/ops/...` routes: only the ops identity reaches them, and they drive the same use
cases as `python -m shared.cli ops` (local Cloud Scheduler server, Pub/Sub emulator)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from google.api_core.exceptions import AlreadyExists
from google.cloud import pubsub_v1

from shared.domain.entities import Role
from tests.api_client import ApiClient
from tests.fakes.google_ops import GoogleOpsState, create_app
from tests.fakes.http_server import ThreadedServer
from tests.fakes.id_tokens import BACKEND_ACCOUNT, BILLING_ACCOUNT
from tests.integration.api.conftest import ORG_A, member_id

OPS_ACCOUNT = "ops-tools@bank-ops.iam.gserviceaccount.com"


@pytest.fixture
def scheduler(stack: Any, set_env: Any):
    state = GoogleOpsState()
    parent = f"projects/{stack.project}/locations/europe-west1"
    for name in ("exports-nightly", "dropzone-every-3h", "ebics-statements-daily"):
        state.add_job(parent, name, "0 * * * *", "Europe/Paris")
    with ThreadedServer(create_app(state)) as server:
        set_env("SCHEDULER_API_ENDPOINT", server.base_url)
        set_env("FUNCTION_REGION", "europe-west1")
        set_env("API_OPS_SERVICE_ACCOUNT", OPS_ACCOUNT)
        yield state


def _states(state: GoogleOpsState) -> dict[str, str]:
    return {name.rsplit("/", 1)[-1]: job["state"] for name, job in state.jobs.items()}


def test_only_the_ops_identity_reaches_ops_routes(
    client: ApiClient, companies: tuple[str, str], scheduler: GoogleOpsState
) -> None:
    refused = [
        client.call("POST", "/ops/schedules/pause", caller=BACKEND_ACCOUNT, json={}),
        client.call("POST", "/ops/schedules/pause", member=member_id(ORG_A, Role.OWNER), json={}),
        client.call("POST", "/ops/schedules/pause", caller=BILLING_ACCOUNT, json={}),
        client.call("POST", "/ops/schedules/pause", caller=None, json={}),
    ]
    assert [r.status_code for r in refused] == [403, 403, 403, 403]
    assert set(_states(scheduler).values()) == {"ENABLED"}  # nothing changed


def test_ops_identity_cannot_act_as_a_member(
    client: ApiClient, companies: tuple[str, str], scheduler: GoogleOpsState
) -> None:
    answer = client.call(
        "GET",
        f"/organizations/{ORG_A}/integrations",
        caller=OPS_ACCOUNT,
        member=member_id(ORG_A, Role.OWNER),
    )
    assert answer.status_code == 403
    assert "ops identity cannot act as a member" in answer.json()["error"]["message"]


def test_pause_and_resume_from_the_api(client: ApiClient, scheduler: GoogleOpsState) -> None:
    paused = client.call("POST", "/ops/schedules/pause", caller=OPS_ACCOUNT, json={})
    assert paused.status_code == 200
    assert {job["state"] for job in paused.json()["jobs"]} == {"PAUSED"}
    assert set(_states(scheduler).values()) == {"PAUSED"}

    resumed = client.call(
        "POST", "/ops/schedules/resume", caller=OPS_ACCOUNT, json={"jobs": ["exports-nightly"]}
    )
    assert resumed.status_code == 200
    assert _states(scheduler)["exports-nightly"] == "ENABLED"
    assert _states(scheduler)["dropzone-every-3h"] == "PAUSED"

    unknown = client.call(
        "POST", "/ops/schedules/pause", caller=OPS_ACCOUNT, json={"jobs": ["nope"]}
    )
    assert unknown.status_code == 404
    listed = client.call("GET", "/ops/schedules", caller=OPS_ACCOUNT)
    assert {j["name"]: j["state"] for j in listed.json()["jobs"]} == _states(scheduler)


def test_statements_rerun_publishes_the_day_and_refuses_bad_dates(
    client: ApiClient, stack: Any, scheduler: GoogleOpsState
) -> None:
    publisher = pubsub_v1.PublisherClient()
    subscriber = pubsub_v1.SubscriberClient()
    topic = publisher.topic_path(stack.project, "ebics.statements")
    subscription = subscriber.subscription_path(stack.project, "ops-api-test-statements")
    for create in (
        lambda: publisher.create_topic(name=topic),
        lambda: subscriber.create_subscription(name=subscription, topic=topic),
    ):
        try:
            create()
        except AlreadyExists:
            pass
    for bad in ({}, {"date": "2026-13-01"}, {"date": "1999-12-31"}, {"date": "2999-01-01"}):
        answer = client.call("POST", "/ops/ebics/statements/rerun", caller=OPS_ACCOUNT, json=bad)
        assert answer.status_code == 400, bad
    answer = client.call(
        "POST", "/ops/ebics/statements/rerun", caller=OPS_ACCOUNT, json={"date": "2026-11-30"}
    )
    assert answer.status_code == 202
    pulled = subscriber.pull(request={"subscription": subscription, "max_messages": 10}, timeout=10)
    assert [json.loads(m.message.data) for m in pulled.received_messages] == [
        {"date": "2026-11-30"}
    ]
    subscriber.close()
