"""Functions built with the project's decorators, for tests/unit/platform/test_handlers.py."""

from __future__ import annotations

import flask

from functions.handlers import http_handler, pubsub_job
from shared import errors
from shared.events.pubsub import Delivery
from shared.log import get_logger

log = get_logger(__name__)
ERRORS: dict[str, Exception] = {
    "not_found": errors.NotFound("document d1 gone"),
    "conflict": errors.Conflict("already attached"),
    "reconnect_needed": errors.NeedsReconnect("token revoked"),
    "retry_later": errors.RetryLater("rate limited"),
    "bug": RuntimeError("bug"),
}


@pubsub_job("tests.topic")
def sample_job(delivery: Delivery) -> None:
    log.info("job ran", organization_id=delivery.text("organization_id"))
    failure = delivery.optional_text("raise")
    if failure:
        raise ERRORS[failure]


@http_handler(needs=("twilio_auth_token",))
def sample_http_needing_twilio(request: flask.Request) -> flask.Response:
    return flask.jsonify(ok=True)


@http_handler()
def sample_http(request: flask.Request) -> flask.Response:
    if request.args.get("fail") == "not_found":
        raise errors.NotFound("payment request r1 not found")
    if request.args.get("fail") == "bug":
        raise KeyError("internal detail")
    log.info("handled")
    return flask.jsonify(ok=True)
