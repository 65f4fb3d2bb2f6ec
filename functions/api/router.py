"""A small router: each route module declares its routes with a path, a method and an
access rule; the dispatcher checks ids and access before the handler runs, and turns
every error into the JSON error answer.

A handler gets a `Call` and returns `(json_body, status)` or a `flask.Response`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import flask
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound
from werkzeug.routing import Map, Rule

from functions.api import auth, errors
from functions.api.ids import check_id
from shared.domain.entities import Member

MAX_JSON_BODY = 64 * 1024  # bytes; uploads have their own limit (multipart)

Handler = Callable[["Call"], Any]


@dataclass
class Call:
    request: flask.Request
    params: dict[str, str]
    member: Member | None = None
    deps: Any = None

    @property
    def org(self) -> str:
        return self.params["org"]

    def body(self) -> dict[str, Any]:
        """The JSON object body ({} when empty); 400 when it is not an object."""
        if self.request.content_length and self.request.content_length > MAX_JSON_BODY:
            raise errors.PayloadTooLarge(f"a JSON body is at most {MAX_JSON_BODY} bytes")
        raw = self.request.get_data(cache=True)
        if not raw:
            return {}
        if len(raw) > MAX_JSON_BODY:
            raise errors.PayloadTooLarge(f"a JSON body is at most {MAX_JSON_BODY} bytes")
        body = self.request.get_json(silent=True, force=True)
        if not isinstance(body, dict):
            raise errors.InvalidRequest("the body must be a JSON object")
        return body

    def query(self, name: str) -> str | None:
        value = self.request.args.get(name)
        if value is not None and len(value) > 256:
            raise errors.InvalidRequest(f"query parameter {name} is too long")
        return value


@dataclass(frozen=True)
class Route:
    method: str
    path: str  # OpenAPI template: /organizations/{org}/plan
    access: auth.Access
    handler: Handler
    summary: str = ""

    @property
    def rule_path(self) -> str:
        return re.sub(r"\{(\w+)\}", r"<\1>", self.path)


@dataclass
class RouteTable:
    """The routes of one area (one module); collected by `functions.api.app`."""

    routes: list[Route] = field(default_factory=list)

    def route(self, method: str, path: str, access: auth.Access) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            doc = (handler.__doc__ or "").strip().splitlines()
            self.routes.append(Route(method.upper(), path, access, handler, doc[0] if doc else ""))
            return handler

        return register


class Router:
    def __init__(self, tables: list[RouteTable], member_store: Callable[[], Any]) -> None:
        self.routes = [route for table in tables for route in table.routes]
        self._member_store = member_store
        seen: set[tuple[str, str]] = set()
        rules = []
        for index, route in enumerate(self.routes):
            key = (route.method, route.path)
            if key in seen:
                raise ValueError(f"route declared twice: {route.method} {route.path}")
            seen.add(key)
            rules.append(Rule(route.rule_path, methods=[route.method], endpoint=index))
        self._map = Map(rules, strict_slashes=False, merge_slashes=False)

    def match(self, request: flask.Request) -> tuple[Route, dict[str, str]]:
        adapter = self._map.bind("api", path_info=request.path)
        try:
            index, params = adapter.match(request.path, method=request.method)
        except MethodNotAllowed:
            raise errors.MethodNotAllowed(f"{request.method} is not allowed on this path") from None
        except NotFound:
            raise errors.NotFound(f"no route {request.method} {request.path[:200]}") from None
        except HTTPException as exc:  # redirects and the like: not part of this API
            raise errors.NotFound(exc.description or "not found") from None
        return self.routes[int(index)], dict(params)

    def authorize(self, call: Call, route: Route) -> None:
        for name, value in call.params.items():
            check_id(name, value)
        if route.access.kind in ("billing", "ops"):
            auth.require_service(call.request, route.access.kind)
        elif route.access.kind == "member":
            call.member = auth.require_member(
                call.request, call.org, route.access, self._member_store()
            )

    def dispatch(self, request: flask.Request) -> flask.Response:
        try:
            route, params = self.match(request)
            call = Call(request, params)
            self.authorize(call, route)  # before anything else
            answer = route.handler(call)
        except Exception as exc:  # every failure is answered in JSON with a stable code
            return error_response(exc)
        if isinstance(answer, flask.Response):
            return answer
        body, status = answer
        return flask.make_response(flask.jsonify(body), status)


def error_response(exc: BaseException) -> flask.Response:
    """`{"error": {"code", "message"}}` with the error's status, as every HTTP function of
    the project answers (shared/errors.py); unclassified exceptions are a 500 whose
    details go to the log only."""
    from shared.errors import AppError, error_code, http_status
    from shared.log import get_logger

    found = errors.mapped(exc)
    if found is None and isinstance(exc, HTTPException) and exc.code and exc.code < 500:
        # Raised by Werkzeug while reading the request (413 too large, 400 bad multipart).
        found = (exc.code, {413: "payload_too_large"}.get(exc.code, "invalid_request"))
    if found is not None:
        status, code = found
        message = str(exc)
    elif isinstance(exc, AppError):
        status, code, message = http_status(exc), error_code(exc), str(exc)
    else:
        get_logger(__name__).exception("integrations api: unexpected error")
        status, code, message = 500, "internal", "internal error"
    body = {"error": {"code": code, "message": message}}
    return flask.make_response(flask.jsonify(body), status)
