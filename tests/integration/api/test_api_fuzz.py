"""A property-based run against the live local stack: schemathesis generates requests
from the OpenAPI document for every operation; the API must never answer a server error,
and every answer must follow the document. Kept short for the test command (a few
examples per operation); raise FUZZ_EXAMPLES locally for a longer run."""

from __future__ import annotations

import os
from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, settings

from functions.api.routes.meta import openapi_document
from shared.domain.entities import Role
from tests.api_client import check_response
from tests.fakes.id_tokens import BACKEND_ACCOUNT, BILLING_ACCOUNT, bearer
from tests.integration.api.conftest import ORG_A, member_id
from tests.integration.api.oauth_world import oauth_world as oauth_world  # noqa: F401

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "6"))


def test_generated_requests_get_no_server_error_and_follow_the_contract(
    client: Any, companies: Any, oauth_world: Any
) -> None:
    schema = schemathesis.openapi.from_dict(openapi_document())
    base_url = client.base_url
    counts = {"requests": 0, "server_errors": 0}
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def run(case: Any) -> None:
            # Half of the requests reach the handlers (a real member of a real company),
            # the other half exercise the refusals with generated ids and members.
            if case.path_parameters and "org" in case.path_parameters and hash(str(case.body)) % 2:
                case.path_parameters["org"] = ORG_A
                headers = {"X-Acting-Member-Id": member_id(ORG_A, Role.OWNER)}
            else:
                headers = {}
            billing = case.path.endswith("/plan")
            headers.update(bearer(BILLING_ACCOUNT if billing else BACKEND_ACCOUNT))
            response = case.call(base_url=base_url, headers=headers, timeout=60)
            counts["requests"] += 1
            if response.status_code >= 500:
                counts["server_errors"] += 1
                failures.append(
                    f"{case.method} {case.formatted_path} -> {response.status_code}: {response.text[:200]}"
                )
                return
            try:
                check_response(case.method, case.formatted_path, response)
            except AssertionError as exc:
                failures.append(str(exc)[:300])

        run()
    print(f"schemathesis: {counts['requests']} requests, {counts['server_errors']} server errors")
    assert counts["server_errors"] == 0, failures[:5]
    assert failures == [], failures[:5]
    assert counts["requests"] >= len(openapi_document()["paths"])
