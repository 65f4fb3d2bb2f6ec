"""The contract itself: GET /openapi.json."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import flask
import yaml

from functions.api.auth import INVOKER
from functions.api.router import Call, RouteTable

OPENAPI_PATH = Path(__file__).resolve().parents[1] / "openapi.yaml"
table = RouteTable()


@lru_cache(maxsize=1)
def openapi_document() -> dict[str, Any]:
    return yaml.safe_load(OPENAPI_PATH.read_text(encoding="utf-8"))


@table.route("GET", "/openapi.json", INVOKER)
def openapi(call: Call) -> flask.Response:
    """The OpenAPI 3.1 document of this API."""
    return flask.Response(json.dumps(openapi_document()), mimetype="application/json")
