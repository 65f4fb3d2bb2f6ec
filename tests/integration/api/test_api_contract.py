"""The API's contract and its front door: routes and documentation agree, every route
checks authorization first, ids are checked, the plan route is billing's alone, and
company A's members get nothing of company B. Real HTTP, emulators."""

from __future__ import annotations

import re
from typing import Any

import pytest

from functions.api import router as build_router
from functions.api.routes.meta import openapi_document
from shared.domain.entities import Plan, Role
from tests.api_client import ApiClient
from tests.fakes.id_tokens import BACKEND_ACCOUNT, BILLING_ACCOUNT
from tests.integration.api.conftest import ORG_A, ORG_B, member_id

BAD_IDS = ["..", "__x__", "a..b", "x" * 129, "%2Fetc", ".hidden"]


def routes() -> list[Any]:
    return build_router().routes


def concrete(path: str, org: str, other: str = "some-id") -> str:
    return re.sub(r"\{(\w+)\}", lambda m: org if m.group(1) == "org" else other, path)


def test_every_route_is_documented_and_every_documented_route_exists() -> None:
    declared = {(r.method.lower(), r.path) for r in routes()}
    documented = {
        (method, path)
        for path, item in openapi_document()["paths"].items()
        for method in item
        if method in ("get", "put", "post", "delete", "patch")
    }
    assert declared - documented == set(), "routes without documentation"
    assert documented - declared == set(), "documented routes that do not exist"
    assert openapi_document()["openapi"].startswith("3.1")


def test_the_document_is_served_at_openapi_json(client: ApiClient) -> None:
    answer = client.call("GET", "/openapi.json")
    assert answer.status_code == 200
    assert answer.json() == openapi_document()


def test_plan_route_refuses_every_caller_but_billing(
    client: ApiClient, companies: tuple[str, str], store: Any
) -> None:
    path = f"/organizations/{ORG_A}/plan"
    body = {"plan": "essential"}
    refused = [
        client.call("PUT", path, member=member_id(ORG_A, Role.OWNER), json=body),
        client.call("PUT", path, member=member_id(ORG_B, Role.OWNER), json=body),
        client.call("PUT", path, caller=BACKEND_ACCOUNT, json=body),
        client.call("PUT", path, caller=None, json=body),
        client.call("PUT", path, headers={"Authorization": "Bearer not-a-jwt"}, json=body),
    ]
    assert [r.status_code for r in refused] == [403, 403, 403, 403, 401]
    assert store.get_organization(ORG_A).plan is Plan.BUSINESS  # nothing changed
    accepted = client.call("PUT", path, caller=BILLING_ACCOUNT, json=body)
    assert accepted.status_code == 200 and accepted.json()["plan"] == "essential"
    assert store.get_organization(ORG_A).plan is Plan.ESSENTIAL


def test_plan_route_refuses_billing_too_when_no_billing_account_is_configured(
    client: ApiClient, companies: tuple[str, str], set_env: Any, store: Any
) -> None:
    set_env("API_BILLING_SERVICE_ACCOUNT", None)
    answer = client.call(
        "PUT", f"/organizations/{ORG_A}/plan", caller=BILLING_ACCOUNT, json={"plan": "essential"}
    )
    assert answer.status_code == 403 and answer.json()["error"]["code"] == "forbidden"
    assert store.get_organization(ORG_A).plan is Plan.BUSINESS


def test_billing_cannot_act_as_a_member(client: ApiClient, companies: tuple[str, str]) -> None:
    answer = client.call(
        "GET",
        f"/organizations/{ORG_A}/ebics/connections",
        member=member_id(ORG_A, Role.OWNER),
        caller=BILLING_ACCOUNT,
    )
    assert answer.status_code == 403


def test_every_member_route_checks_membership_first(
    client: ApiClient, companies: tuple[str, str]
) -> None:
    """A member of B, an unknown member, or no member at all: 403 on every route of A,
    whatever the body (authorization comes before validation)."""
    checked = 0
    for route in routes():
        if route.access.kind != "member":
            continue
        path = concrete(route.path, ORG_A)
        for member in (member_id(ORG_B, Role.OWNER), "nobody", None):
            answer = client.call(route.method, path, member=member, json={"junk": [1, 2]})
            assert answer.status_code == 403, (route.path, member, answer.text)
            assert answer.json()["error"]["code"] == "forbidden"
            checked += 1
    assert checked >= 3 * 6


def test_every_route_refuses_role_it_does_not_allow(
    client: ApiClient, companies: tuple[str, str]
) -> None:
    for route in routes():
        if route.access.kind != "member" or route.access.roles is None:
            continue
        for role in set(Role) - route.access.roles:
            answer = client.call(
                route.method, concrete(route.path, ORG_A), member=member_id(ORG_A, role), json={}
            )
            assert answer.status_code == 403, (route.path, role)


@pytest.mark.parametrize("bad", BAD_IDS)
def test_bad_ids_in_paths_get_a_clean_4xx(
    client: ApiClient, companies: tuple[str, str], bad: str
) -> None:
    for route in routes():
        if "{" not in route.path:
            continue
        for path in (concrete(route.path, bad), concrete(route.path, ORG_A, bad)):
            if path == concrete(route.path, ORG_A):
                continue
            answer = client.call(
                route.method,
                path,
                member=member_id(ORG_A, Role.OWNER),
                caller=BILLING_ACCOUNT if route.access.kind == "billing" else BACKEND_ACCOUNT,
                json={},
            )
            assert 400 <= answer.status_code < 500, (path, answer.status_code, answer.text)
            assert answer.json()["error"]["code"] in ("invalid_id", "not_found", "forbidden")


def test_slash_in_an_id_is_not_a_route(client: ApiClient, companies: tuple[str, str]) -> None:
    answer = client.call(
        "GET", f"/organizations/{ORG_A}/payment-requests/a/b", member=member_id(ORG_A, Role.OWNER)
    )
    assert answer.status_code == 404 and answer.json()["error"]["code"] == "not_found"


def test_acting_member_header_with_a_reserved_id_is_refused(
    client: ApiClient, companies: tuple[str, str]
) -> None:
    for bad in ("__x__", "..", "a/b"):
        answer = client.call("GET", f"/organizations/{ORG_A}/ebics/connections", member=bad)
        assert answer.status_code == 403


def test_unknown_route_and_method_answer_json_errors(client: ApiClient) -> None:
    assert client.call("GET", "/nothing/here").json()["error"]["code"] == "not_found"
    answer = client.call("DELETE", f"/organizations/{ORG_A}/plan")
    assert answer.status_code == 405 and answer.json()["error"]["code"] == "method_not_allowed"


def test_oversized_json_body_is_refused(client: ApiClient, companies: tuple[str, str]) -> None:
    answer = client.call(
        "PUT",
        f"/organizations/{ORG_A}/plan",
        caller=BILLING_ACCOUNT,
        data=b"{" + b" " * 70_000 + b"}",
        headers={"Content-Type": "application/json"},
    )
    assert answer.status_code == 413 and answer.json()["error"]["code"] == "payload_too_large"


def test_a_chunked_body_over_the_limit_is_refused_without_being_read_whole(
    client: ApiClient, companies: tuple[str, str]
) -> None:
    def chunks():
        boundary = b'--x\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n\r\n'
        yield boundary
        for _ in range(20):
            yield b"0" * (1024 * 1024)
        yield b"\r\n--x--\r\n"

    answer = client.call(
        "POST",
        f"/organizations/{ORG_A}/documents",
        member=member_id(ORG_A, Role.OWNER),
        data=chunks(),
        headers={"Content-Type": "multipart/form-data; boundary=x"},
    )
    assert answer.status_code in (400, 413), answer.text
