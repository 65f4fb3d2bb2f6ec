"""HTTP function: Twilio's incoming WhatsApp webhook."""

from __future__ import annotations

import flask
import functions_framework

from shared import runtime
from shared.usecases.whatsapp_intake import receive_whatsapp_message


@functions_framework.http
def whatsapp_webhook(request: flask.Request) -> flask.Response:
    if request.method != "POST":
        return flask.Response("method not allowed", status=405)
    answer = receive_whatsapp_message(
        request.form.to_dict(flat=True),
        request.headers.get("X-Twilio-Signature"),
        runtime.intake_deps(),
    )
    if answer.twiml is None:
        text = "forbidden" if answer.status == 403 else "bad request"
        return flask.Response(text, status=answer.status)
    return flask.Response(answer.twiml, status=answer.status, mimetype="application/xml")
