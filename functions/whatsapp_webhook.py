"""HTTP function: Twilio's incoming WhatsApp webhook, and its message status callbacks (/status)."""

from __future__ import annotations

import flask

from functions.document_processor import TWILIO
from functions.handlers import http_handler
from shared import runtime
from shared.config import settings
from shared.usecases.whatsapp_intake import receive_status_callback, receive_whatsapp_message
from shared.usecases.whatsapp_notify import resend_as_template

# Twilio's forms are a few KB (WhatsApp bodies stop at 4,096 characters); anything past 1 MB is
# not from Twilio and is refused before it is parsed.
MAX_FORM_BYTES = 1024 * 1024


@http_handler(needs=(*TWILIO, "whatsapp_webhook_public_url"))
def whatsapp_webhook(request: flask.Request) -> flask.Response:
    if request.method != "POST":
        return flask.Response("method not allowed", status=405)
    if (request.content_length or 0) > MAX_FORM_BYTES:
        return flask.Response("request too large", status=413)
    form = request.form.to_dict(flat=True)
    signature = request.headers.get("X-Twilio-Signature")
    deps = runtime.intake_deps()
    if request.path.rstrip("/").endswith("/status"):
        notify = runtime.notify_deps()
        answer = receive_status_callback(
            form,
            signature,
            settings().whatsapp_status_callback_url,
            deps,
            resend_as_template=lambda org_id, record: resend_as_template(org_id, record, notify),
        )
    else:
        answer = receive_whatsapp_message(form, signature, deps)
    if answer.twiml is None:
        text = "forbidden" if answer.status == 403 else "bad request"
        return flask.Response(text, status=answer.status)
    return flask.Response(answer.twiml, status=answer.status, mimetype="application/xml")
