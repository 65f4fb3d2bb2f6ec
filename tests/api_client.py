"""A client of the integrations API over real HTTP that checks every answer against the
OpenAPI document: the status must be documented for the matched operation, and the JSON
body must validate against its schema (JSON Schema 2020-12, as OpenAPI 3.1 uses).

Use it in every API test so that the contract is checked on every call:

    client = ApiClient(stack.functions_url + "/integrations_api")
    answer = client.call("GET", f"/organizations/{org}/documents", member="user-1")
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import requests
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from functions.api.auth import ACTING_MEMBER_HEADER
from functions.api.routes.meta import openapi_document
from tests.fakes.id_tokens import BACKEND_ACCOUNT, bearer

SPEC_URI = "urn:integrations-api:openapi"


class ContractError(AssertionError):
    pass


@lru_cache(maxsize=1)
def _registry() -> Registry:
    resource = Resource.from_contents(openapi_document(), default_specification=DRAFT202012)
    return Registry().with_resource(SPEC_URI, resource)


def _pointer(*parts: str) -> str:
    return "/".join(p.replace("~", "~0").replace("/", "~1") for p in parts)


def _template_regex(template: str) -> re.Pattern[str]:
    return re.compile("^" + re.sub(r"\\\{\w+\\\}", "[^/]+", re.escape(template)) + "/?$")


def find_operation(method: str, path: str) -> tuple[str, dict[str, Any]] | None:
    paths = openapi_document()["paths"]
    # Literal templates first (e.g. /documents/upload before /documents/{id}).
    for template in sorted(paths, key=lambda t: (t.count("{"), -len(t))):
        if _template_regex(template).match(path) and method.lower() in paths[template]:
            return template, paths[template][method.lower()]
    return None


def check_response(method: str, path: str, response: requests.Response) -> None:
    body = response.json() if response.headers.get("Content-Type") == "application/json" else {}
    error = body.get("error") if isinstance(body, dict) else None
    error = error if isinstance(error, dict) else {}
    if response.status_code == 405 and error.get("code") == "method_not_allowed":
        return
    if response.status_code == 404 and str(error.get("message", "")).startswith("no route"):
        return  # the path (as the client normalised it) matches no route at all
    found = find_operation(method, path.split("?")[0])
    if found is None:
        raise ContractError(f"{method} {path} is not documented")
    template, operation = found
    status = str(response.status_code)
    if status not in operation["responses"]:
        raise ContractError(
            f"{method} {template} answered {status}, not documented: {response.text[:300]}"
        )
    content = operation["responses"][status]
    if "$ref" in content:
        content = _registry().resolver().lookup(SPEC_URI + content["$ref"]).contents
    documented = content.get("content") or {}
    kind = (response.headers.get("Content-Type") or "").split(";")[0].strip()
    if kind != "application/json" and kind in documented:
        return  # a documented non-JSON answer (a PDF letter)
    media = documented.get("application/json")
    if media is None:
        return
    ref = SPEC_URI + "#/" + _pointer("paths", template, method.lower(), "responses", status)
    resolved = _registry().resolver().lookup(ref).contents
    if "$ref" in resolved:
        ref = SPEC_URI + resolved["$ref"]
    validator = Draft202012Validator(
        {"$ref": ref + "/" + _pointer("content", "application/json", "schema")},
        registry=_registry(),
    )
    errors = sorted(validator.iter_errors(response.json()), key=lambda e: e.path)
    if errors:
        raise ContractError(
            f"{method} {template} {status}: {errors[0].message} at {list(errors[0].path)}"
        )


class ApiClient:
    def __init__(self, base_url: str) -> None:
        self.base_url = base_url.rstrip("/")
        self.session = requests.Session()

    def call(
        self,
        method: str,
        path: str,
        member: str | None = None,
        caller: str | None = BACKEND_ACCOUNT,
        json: Any = None,
        headers: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> requests.Response:
        sent = {**(bearer(caller) if caller else {}), **(headers or {})}
        if member is not None:
            sent[ACTING_MEMBER_HEADER] = member
        response = self.session.request(
            method, self.base_url + path, json=json, headers=sent, timeout=60, **kwargs
        )
        check_response(method, path, response)
        return response
