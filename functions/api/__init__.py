"""The one HTTP API of the product (`integrations_api`): what the bank's apps call.

Contract: `functions/api/openapi.yaml` (OpenAPI 3.1), served at `/openapi.json`.
Authentication and roles: `functions/api/auth.py`. Errors: `functions/api/errors.py`.
Routes: one module per area in `functions/api/routes/`.
"""

from __future__ import annotations

from functools import lru_cache

import flask

from functions.api.router import Router
from functions.handlers import http_handler


def _member_store():
    from shared import runtime

    return runtime.store()


@lru_cache(maxsize=1)
def router() -> Router:
    from functions.api.routes import TABLES

    return Router(TABLES, _member_store)


@http_handler()  # the request's trace on every log line; anything the router leaks -> JSON 500
def integrations_api(request: flask.Request) -> flask.Response:
    return router().dispatch(request)
