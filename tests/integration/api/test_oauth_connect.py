"""The OAuth connect flows end to end over real HTTP: the API, the local Google and
Dropbox authorization servers (driven by google-auth-oauthlib and the Dropbox SDK), the
fake Drive and Dropbox APIs, the emulators. Refresh, rotation, revocation, "reconnect
needed", and every refusal with nothing stored."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from shared.domain.entities import Member, Role
from shared.store.integrations import IntegrationStore
from tests.api_client import ApiClient
from tests.integration.api.conftest import ORG_A, ORG_B, member_id
from tests.integration.api.oauth_world import follow
from tests.integration.api.oauth_world import oauth_world as oauth_world  # noqa: F401

OWNER_A = member_id(ORG_A, Role.OWNER)
ADMIN_A = member_id(ORG_A, Role.ADMIN)
ACCOUNTANT_A = member_id(ORG_A, Role.ACCOUNTANT)


def base(org: str = ORG_A) -> str:
    return f"/organizations/{org}/integrations"


def start(client: ApiClient, kind: str, member: str = ADMIN_A, **body: Any) -> dict[str, str]:
    answer = client.call("POST", f"{base()}/{kind}/connect", member=member, json=body)
    assert answer.status_code == 200, answer.text
    return answer.json()


def callback(
    client: ApiClient, kind: str, state: str, code: str, member: str = ADMIN_A, org: str = ORG_A
) -> Any:
    return client.call(
        "POST", f"{base(org)}/{kind}/callback", member=member, json={"state": state, "code": code}
    )


def connect(client: ApiClient, kind: str, member: str = ADMIN_A, **body: Any) -> dict:
    started = start(client, kind, member, **body)
    redirect = follow(started["authorization_url"])
    assert redirect["state"] == started["state"]
    answer = callback(client, kind, redirect["state"], redirect["code"], member)
    assert answer.status_code == 200, answer.text
    return answer.json()


def all_strings(store: Any, org: str) -> str:
    """Every stored value under the company and in oauth_states, as one text."""
    out: list[str] = []

    def walk(ref: Any) -> None:
        for snap in ref.stream():
            out.append(repr(snap.to_dict()))
            for sub in snap.reference.collections():
                walk(sub)

    for coll in store.db.collection("organizations").document(org).collections():
        walk(coll)
    walk(store.db.collection("oauth_states"))
    return "\n".join(out)


def nothing_stored(store: Any, org: str = ORG_A) -> bool:
    integrations = store.db.collection(f"organizations/{org}/integrations")
    return not list(integrations.stream())


# ----------------------------------------------------------------------------- Google


def test_google_drive_export_connects_with_pkce_and_stores_only_a_sealed_token(
    client: ApiClient, companies: Any, oauth_world: Any, store: Any
) -> None:
    start_at = (datetime.now(UTC) - timedelta(days=30)).replace(microsecond=0)
    started = start(client, "drive_export", start_at=start_at.isoformat())
    query = parse_qs(urlsplit(started["authorization_url"]).query)
    assert query["code_challenge_method"] == ["S256"] and query["code_challenge"]
    assert query["access_type"] == ["offline"]
    assert "https://www.googleapis.com/auth/drive.file" in query["scope"][0].split()
    redirect = follow(started["authorization_url"])
    answer = callback(client, "drive_export", redirect["state"], redirect["code"])
    assert answer.status_code == 200
    status = answer.json()
    assert status["state"] == "connected" and status["account"] == "camille@example.com"
    assert datetime.fromisoformat(status["start_at"]) == start_at
    grant = oauth_world.google.server.grants[-1]
    # The refresh token is never returned, never stored in clear.
    assert grant.refresh_token not in answer.text
    assert grant.refresh_token not in all_strings(store, ORG_A)
    sealed = (
        store.db.document(f"organizations/{ORG_A}/integrations/drive-export/private/oauth")
        .get()
        .to_dict()
    )
    assert isinstance(sealed["refresh_token_sealed"]["ciphertext"], bytes)
    # The export worker opens it and reaches Drive with a refreshed access token.
    export = IntegrationStore(store.db).get_export(ORG_A, "drive-export")
    assert export.destination_config["refresh_token"] == grant.refresh_token
    from shared.destinations.factory import build_destination

    drive = build_destination(export.destination, export.destination_config)
    folder = drive.ensure_folder(None, "Receipts")
    assert oauth_world.drive.calls and folder
    # One connection of a kind per company.
    again = client.call("POST", f"{base()}/drive_export/connect", member=OWNER_A, json={})
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_connected"


def test_sync_now_refreshes_stores_a_rotated_token_and_revocation_means_reconnect(
    client: ApiClient, companies: Any, oauth_world: Any, store: Any
) -> None:
    connect(client, "drive_export")
    oauth_world.google.server.rotate = True
    grant = oauth_world.google.server.grants[-1]
    first = grant.refresh_token
    answer = client.call("POST", f"{base()}/drive_export/sync", member=ADMIN_A)
    assert answer.status_code == 202
    assert grant.refresh_token != first  # rotated at the provider...
    stored = IntegrationStore(store.db).get_export(ORG_A, "drive-export")
    assert stored.destination_config["refresh_token"] == grant.refresh_token  # ...and here
    assert client.call("POST", f"{base()}/drive_export/sync", member=ADMIN_A).status_code == 202
    # The user removes the app's access in their Google account.
    oauth_world.google.server.revoke_all()
    refused = client.call("POST", f"{base()}/drive_export/sync", member=ADMIN_A)
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "reconnect_needed"
    status = client.call("GET", f"{base()}/drive_export", member=ACCOUNTANT_A).json()
    assert status["state"] == "reconnect_needed" and status["last_error"]
    # Reconnect completes a new grant and the integration is connected again.
    started = client.call("POST", f"{base()}/drive_export/reconnect", member=OWNER_A, json={})
    redirect = follow(started.json()["authorization_url"])
    done = callback(client, "drive_export", redirect["state"], redirect["code"], OWNER_A)
    assert done.status_code == 200 and done.json()["state"] == "connected"


def test_disconnect_revokes_the_grant_and_forgets_the_token(
    client: ApiClient, companies: Any, oauth_world: Any, store: Any
) -> None:
    connect(client, "drive_export")
    grant = oauth_world.google.server.grants[-1]
    answer = client.call("POST", f"{base()}/drive_export/disconnect", member=OWNER_A)
    assert answer.status_code == 200
    assert answer.json()["revoked"] is True and answer.json()["state"] == "disconnected"
    assert grant.revoked and oauth_world.google.server.calls["revoke"] == 1
    oauth = store.db.document(f"organizations/{ORG_A}/integrations/drive-export/private/oauth")
    assert not oauth.get().exists
    # Idempotent, and the runs stop (the worker no longer lists it).
    assert client.call("POST", f"{base()}/drive_export/disconnect", member=OWNER_A).ok
    assert (ORG_A, "drive-export") not in set(IntegrationStore(store.db).list_active_exports())


def test_drive_dropzone_connects_and_creates_its_folders(
    client: ApiClient, companies: Any, oauth_world: Any
) -> None:
    status = connect(client, "drive_dropzone", member=OWNER_A)
    assert status["state"] == "connected" and status["links"]["root_folder"]
    tree = oauth_world.drive.tree()
    assert set(tree["Receipts Dropzone"]) >= {"Dropzone", "Processing", "Matched", "Unsupported"}


# ----------------------------------------------------------------------------- Dropbox


def test_dropbox_account_id_stands_in_when_its_email_cannot_be_read(
    client: ApiClient, companies: Any, oauth_world: Any
) -> None:
    oauth_world.dropbox_api.inject(503, count=5, methods=["users/get_current_account"])
    started = start(client, "dropbox_export", member=ACCOUNTANT_A)
    redirect = follow(started["authorization_url"])
    done = callback(client, "dropbox_export", redirect["state"], redirect["code"], ACCOUNTANT_A)
    assert done.status_code == 200  # connected all the same
    assert done.json()["account"].startswith("dbid:")


def test_dropbox_connects_offline_refreshes_and_disconnect_revokes(
    client: ApiClient, companies: Any, oauth_world: Any, store: Any
) -> None:
    started = start(client, "dropbox_export", member=ACCOUNTANT_A)
    query = parse_qs(urlsplit(started["authorization_url"]).query)
    assert query["token_access_type"] == ["offline"]
    assert query["code_challenge_method"] == ["S256"]
    redirect = follow(started["authorization_url"])
    done = callback(client, "dropbox_export", redirect["state"], redirect["code"], ACCOUNTANT_A)
    # The member sees the account's email, not Dropbox's account id.
    assert done.status_code == 200 and done.json()["account"] == "camille@example.com"
    grant = oauth_world.dropbox.server.grants[-1]
    assert grant.refresh_token not in all_strings(store, ORG_A)
    assert (
        client.call("POST", f"{base()}/dropbox_export/sync", member=ACCOUNTANT_A).status_code == 202
    )
    assert oauth_world.dropbox.server.calls["token:refresh_token"] >= 1
    gone = client.call("POST", f"{base()}/dropbox_export/disconnect", member=ACCOUNTANT_A)
    assert gone.json()["revoked"] is True and grant.revoked


def test_dropbox_revoked_by_the_user_means_reconnect_needed(
    client: ApiClient, companies: Any, oauth_world: Any
) -> None:
    connect(client, "dropbox_export")
    oauth_world.dropbox.server.revoke_all()
    refused = client.call("POST", f"{base()}/dropbox_export/sync", member=ADMIN_A)
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "reconnect_needed"
    status = client.call("GET", f"{base()}/dropbox_export", member=ADMIN_A).json()
    assert status["state"] == "reconnect_needed"


# ----------------------------------------------------------------------------- refusals


def test_a_bad_state_is_refused_with_nothing_stored(
    client: ApiClient, companies: Any, oauth_world: Any, store: Any
) -> None:
    started = start(client, "drive_export")
    redirect = follow(started["authorization_url"])
    answer = callback(client, "drive_export", "forged-" + redirect["state"], redirect["code"])
    assert answer.status_code == 400 and answer.json()["error"]["code"] == "callback_refused"
    assert nothing_stored(store)
    assert oauth_world.google.server.calls["token:authorization_code"] == 0


def test_a_replayed_code_is_refused(
    client: ApiClient, companies: Any, oauth_world: Any, store: Any
) -> None:
    started = start(client, "drive_export")
    redirect = follow(started["authorization_url"])
    assert callback(client, "drive_export", redirect["state"], redirect["code"]).status_code == 200
    # The same state and code again: the state is used up.
    again = callback(client, "drive_export", redirect["state"], redirect["code"])
    assert again.status_code == 400 and again.json()["error"]["code"] == "callback_refused"
    # The old code with a fresh state (after a disconnect): the provider refuses it and,
    # as RFC 6749 §10.5 says, revokes what the code had issued.
    client.call("POST", f"{base()}/drive_export/disconnect", member=ADMIN_A)
    fresh = start(client, "drive_export")
    replay = callback(client, "drive_export", fresh["state"], redirect["code"])
    assert replay.status_code == 400 and replay.json()["error"]["code"] == "callback_refused"
    assert status_state(client) == "disconnected"


def status_state(client: ApiClient, kind: str = "drive_export") -> str:
    return client.call("GET", f"{base()}/{kind}", member=ADMIN_A).json()["state"]


def test_a_code_from_another_flow_fails_pkce_with_nothing_stored(
    client: ApiClient, companies: Any, oauth_world: Any, store: Any
) -> None:
    """Code injection: a code obtained for flow B posted with flow A's state carries B's
    challenge; A's verifier does not match it."""
    flow_a = start(client, "drive_export")
    flow_b = start(client, "drive_export")
    code_b = follow(flow_b["authorization_url"])["code"]
    answer = callback(client, "drive_export", flow_a["state"], code_b)
    assert answer.status_code == 400 and answer.json()["error"]["code"] == "callback_refused"
    assert (
        "verifier" in answer.json()["error"]["message"]
        or "invalid_grant" in answer.json()["error"]["message"]
    )
    assert nothing_stored(store)


def test_a_callback_for_another_company_or_member_is_refused(
    client: ApiClient, companies: Any, oauth_world: Any, store: Any
) -> None:
    started = start(client, "drive_export")  # by A's admin
    redirect = follow(started["authorization_url"])
    owner_b = member_id(ORG_B, Role.OWNER)
    other_org = callback(
        client, "drive_export", redirect["state"], redirect["code"], owner_b, ORG_B
    )
    assert other_org.status_code == 400 and other_org.json()["error"]["code"] == "callback_refused"
    cross = callback(client, "drive_export", redirect["state"], redirect["code"], owner_b, ORG_A)
    assert cross.status_code == 403  # not a member of A
    other_member = callback(client, "drive_export", redirect["state"], redirect["code"], OWNER_A)
    assert other_member.status_code == 400
    other_kind = callback(client, "drive_dropzone", redirect["state"], redirect["code"])
    assert other_kind.status_code == 400
    assert nothing_stored(store, ORG_A) and nothing_stored(store, ORG_B)
    # The member it was issued to can still finish.
    assert callback(client, "drive_export", redirect["state"], redirect["code"]).status_code == 200


@pytest.mark.parametrize(
    ("kind", "role"),
    [
        ("drive_export", Role.ACCOUNTANT),
        ("drive_export", Role.EMPLOYEE),
        ("drive_dropzone", Role.MANAGER),
        ("dropbox_export", Role.EMPLOYEE),
    ],
)
def test_a_role_that_may_not_connect_is_refused(
    client: ApiClient, companies: Any, oauth_world: Any, store: Any, kind: str, role: Role
) -> None:
    answer = client.call("POST", f"{base()}/{kind}/connect", member=member_id(ORG_A, role), json={})
    assert answer.status_code == 403
    assert not list(store.db.collection("oauth_states").stream())


def test_a_member_demoted_before_the_callback_is_refused(
    client: ApiClient, companies: Any, oauth_world: Any, store: Any
) -> None:
    started = start(client, "drive_export", member=ADMIN_A)
    redirect = follow(started["authorization_url"])
    store.put_member(Member(ADMIN_A, ORG_A, Role.EMPLOYEE))
    answer = callback(client, "drive_export", redirect["state"], redirect["code"])
    assert answer.status_code == 403 and nothing_stored(store)


def test_start_at_in_the_future_or_without_offset_is_refused(
    client: ApiClient, companies: Any, oauth_world: Any
) -> None:
    for bad in ("2999-01-01T00:00:00+00:00", "2026-01-01T00:00:00", "yesterday", 5):
        answer = client.call(
            "POST", f"{base()}/drive_export/connect", member=ADMIN_A, json={"start_at": bad}
        )
        assert answer.status_code == 400, bad


def test_catalogue_says_who_may_manage_what(
    client: ApiClient, companies: Any, oauth_world: Any
) -> None:
    listed = client.call("GET", base(), member=ACCOUNTANT_A).json()["integrations"]
    allowed = {i["kind"]: i["allowed"] for i in listed}
    assert allowed == {
        "drive_export": False,
        "drive_dropzone": False,
        "dropbox_export": True,
        "ebics": True,
    }
    assert client.call("GET", f"{base()}/nope", member=ADMIN_A).status_code in (400, 404)
