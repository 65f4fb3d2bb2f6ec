"""`python -m local.run`: the WhatsApp receipt flow, end to end, on this machine.

Starts the emulators, the fake Twilio, a local Google authorization server and Drive,
and every function in one process; builds the demo company through the core-banking
feed (`companies.events`, `transactions.events` on the Pub/Sub emulator, no direct
Firestore writes), sends a sample receipt through the signed webhook, prints the
transaction it was attached to, then prints a Google Drive connect URL from the API
that completes against the local authorization server in a browser, and keeps serving.
Send more files with:

    curl -F file=@receipt.jpg http://127.0.0.1:8080/_dev/whatsapp
"""

from __future__ import annotations

import argparse
import json
import logging
import mimetypes
import shutil
import signal
import threading
import time
from datetime import datetime
from pathlib import Path

import flask
import requests

from local.demo import DEMO_ORG_ID, DEMO_PHONE, PARIS, demo_feed_events
from local.samples import receipt_pdf
from local.stack import PROJECT_ROOT, LocalStack
from shared import runtime
from shared.domain.entities import DocumentStatus

EXPORT_ROOT = PROJECT_ROOT / "var" / "local" / "export"
FINAL = (DocumentStatus.MATCHED, DocumentStatus.UNMATCHED, DocumentStatus.REFUSED)


def wait_for_outcome(stack: LocalStack, message_sid: str, count: int, timeout: float = 110) -> list:
    """Poll Firestore until every document of the message is processed."""
    store = runtime.store()
    deadline = time.monotonic() + timeout
    documents = []
    while time.monotonic() < deadline:
        documents = [store.get_document(DEMO_ORG_ID, f"wa-{message_sid}-{i}") for i in range(count)]
        if all(d is not None and d.status in FINAL for d in documents):
            return documents
        time.sleep(0.2)
    raise TimeoutError(f"message {message_sid} not processed after {timeout:.0f}s")


def describe(stack: LocalStack, documents: list) -> str:
    store = runtime.store()
    lines = []
    for document in documents:
        if document.status == DocumentStatus.MATCHED:
            tx = store.get_transaction(DEMO_ORG_ID, document.transaction_id)
            lines.append(
                f"MATCHED {document.id}: attached to transaction {tx.id} "
                f"({tx.counterparty}, {tx.amount}, {tx.emitted_at.date()}) "
                f"score={document.match_score:.2f} reasons={list(document.match_reasons)}"
            )
        elif document.status == DocumentStatus.REFUSED:
            lines.append(f"REFUSED {document.id}: {document.refusal_reason}")
        else:
            lines.append(f"UNMATCHED {document.id}: {list(document.match_reasons)}")
    return "\n".join(lines)


def export_receipts_to_local_folder(timeout: float = 60) -> list[Path]:
    """Connect the embedded default export (a local folder) and wait for its first run.

    The first run goes through Pub/Sub (`exports.sync`) to the worker function, as the
    nightly 23:30 run does after its fan-out.
    """
    from functions.nightly_export import export_deps
    from shared.usecases.nightly_export import setup_export

    # The emulators start empty on every run; so does the demo's export folder.
    shutil.rmtree(EXPORT_ROOT, ignore_errors=True)
    EXPORT_ROOT.mkdir(parents=True)
    setup_export(
        export_deps(),
        DEMO_ORG_ID,
        "export-local-folder",
        "local_folder",
        {"path": str(EXPORT_ROOT)},
        datetime(2026, 11, 1, tzinfo=PARIS),
    )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        files = sorted(
            p for p in EXPORT_ROOT.rglob("*") if p.is_file() and not p.name.startswith(".")
        )
        if files:
            return files
        time.sleep(0.3)
    print(f"no receipt exported to {EXPORT_ROOT} after {timeout:.0f}s", flush=True)
    return []


DEMO_MEMBER = "user-camille"


def api_call(stack: LocalStack, method: str, path: str, **kwargs) -> requests.Response:
    """Call the API as the bank backend does, for the demo's owner."""
    from tests.fakes.id_tokens import BACKEND_ACCOUNT, bearer

    headers = {**bearer(BACKEND_ACCOUNT), "X-Acting-Member-Id": DEMO_MEMBER}
    return requests.request(
        method,
        f"{stack.functions_url}/integrations_api{path}",
        headers=headers,
        timeout=60,
        **kwargs,
    )


def build_demo_through_the_feed(stack: LocalStack, timeout: float = 60) -> None:
    """Publish the demo company and its transactions as the core system would."""
    from shared.events.pubsub import publish

    companies, transactions = demo_feed_events()
    for event in companies:
        publish(stack.project, "companies.events", event)
    store = runtime.store()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and len(store.list_accounts(DEMO_ORG_ID)) < 2:
        time.sleep(0.2)
    for event in transactions:
        publish(stack.project, "transactions.events", event)
    while time.monotonic() < deadline:
        if len(store.list_transactions(DEMO_ORG_ID)) >= len(transactions):
            return
        time.sleep(0.2)
    raise TimeoutError("the demo company did not arrive through the feed")


def start_oauth_servers(port: int) -> list:
    """A local Google authorization server and Drive; the API is pointed at them."""
    import base64
    import os

    from tests.fakes.google_drive import FakeDrive
    from tests.fakes.google_oauth import CLIENT_ID, CLIENT_SECRET, FakeGoogleOAuth
    from tests.fakes.http_server import ThreadedServer

    redirect = f"http://127.0.0.1:{port}/_dev/oauth/callback"
    drive = FakeDrive(token="no-static-token")
    google = ThreadedServer(FakeGoogleOAuth((redirect,), drive=drive)).start()
    drive_server = ThreadedServer(drive).start()
    os.environ.update(
        {
            "OAUTH_REDIRECT_URI": redirect,
            "GOOGLE_OAUTH_CLIENT_ID": CLIENT_ID,
            "GOOGLE_OAUTH_CLIENT_SECRET": CLIENT_SECRET,
            "GOOGLE_OAUTH_AUTH_URI": google.base_url + "/o/oauth2/auth",
            "GOOGLE_OAUTH_TOKEN_URI": google.base_url + "/token",
            "GOOGLE_OAUTH_REVOKE_URI": google.base_url + "/revoke",
            "DRIVE_API_ROOT_URL": drive_server.base_url + "/",
            "TOKEN_LOCAL_KEY": base64.b64encode(os.urandom(32)).decode(),
            # Local plain-HTTP authorization server: oauthlib must be told.
            "OAUTHLIB_INSECURE_TRANSPORT": "1",
        }
    )
    from shared import config

    config.settings.cache_clear()  # settings are read once: read these again
    return [google, drive_server]


def dev_app(stack: LocalStack) -> flask.Flask:
    """`POST /_dev/whatsapp` (multipart `file`, optional `phone`, `body`): act as Twilio.
    `GET /_dev/oauth/callback`: the bank app's OAuth redirect page, which completes the
    connection through the API (as the demo's owner)."""
    app = flask.Flask("dev")

    @app.get("/oauth/callback")
    def oauth_callback() -> flask.Response:
        args = flask.request.args
        if args.get("error"):
            return flask.jsonify(error=args["error"]), 400
        answer = api_call(
            stack,
            "POST",
            f"/organizations/{DEMO_ORG_ID}/integrations/drive_export/callback",
            json={"state": args.get("state", ""), "code": args.get("code", "")},
        )
        return flask.Response(answer.text, status=answer.status_code, mimetype="application/json")

    @app.post("/whatsapp")
    def send() -> flask.Response:
        phone = flask.request.form.get("phone", DEMO_PHONE)
        body = flask.request.form.get("body", "")
        files = flask.request.files.getlist("file")
        media = [
            (
                f.read(),
                f.mimetype
                or mimetypes.guess_type(f.filename or "")[0]
                or "application/octet-stream",
            )
            for f in files
        ]
        response, form = stack.send_whatsapp(phone, media, body=body)
        result = {"webhook_status": response.status_code, "webhook_reply": response.text}
        if media and response.status_code == 200 and phone == DEMO_PHONE:
            try:
                documents = wait_for_outcome(stack, form["MessageSid"], len(media))
                result["outcome"] = describe(stack, [d for d in documents if d])
            except TimeoutError as exc:
                result["outcome"] = str(exc)
        sent = [m for m in stack.twilio.sent_messages if m.get("To") == f"whatsapp:{phone}"]
        result["last_whatsapp_message"] = sent[-1]["Body"] if sent else None
        return flask.jsonify(result)

    return app


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--port", type=int, default=8080, help="port of the functions server")
    parser.add_argument("--once", action="store_true", help="exit after the sample receipt")
    args = parser.parse_args(argv)

    started = time.monotonic()
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    stack = LocalStack(log_dir=PROJECT_ROOT / "var" / "local")
    # The dev sender is served beside the functions, on the same port.
    stack.extra_mounts["/_dev"] = dev_app(stack)
    oauth_servers = start_oauth_servers(args.port)
    stack.start(functions_port=args.port)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        print(f"emulators up: {json.dumps(stack.cloud.environ())}", flush=True)
        build_demo_through_the_feed(stack)
        print(
            f"demo company {DEMO_ORG_ID} built through the feed (member phone {DEMO_PHONE})",
            flush=True,
        )

        response, form = stack.send_whatsapp(DEMO_PHONE, [(receipt_pdf(), "application/pdf")])
        print(f"webhook answered {response.status_code}: {response.text}", flush=True)
        documents = wait_for_outcome(stack, form["MessageSid"], 1)
        print(describe(stack, documents), flush=True)
        deadline = time.monotonic() + 10
        while not stack.twilio.sent_messages and time.monotonic() < deadline:
            time.sleep(0.1)
        sent = stack.twilio.sent_messages
        print(f"WhatsApp reply sent: {sent[-1]['Body'] if sent else None}", flush=True)
        for path in export_receipts_to_local_folder():
            print(f"exported: {path}", flush=True)
        connect = api_call(
            stack,
            "POST",
            f"/organizations/{DEMO_ORG_ID}/integrations/drive_export/connect",
            json={"start_at": "2026-11-01T00:00:00+01:00"},
        )
        if connect.ok:
            print(
                "Connect Google Drive (local authorization server): open\n  "
                + connect.json()["authorization_url"],
                flush=True,
            )
        else:
            print(f"connect URL not available: {connect.status_code} {connect.text}", flush=True)
        print(f"done in {time.monotonic() - started:.1f}s", flush=True)
        if args.once:
            return 0 if documents[0].status == DocumentStatus.MATCHED else 1
        print(
            "\nServing. Send more files (JPEG, PNG, HEIC, PDF) as the demo member:\n"
            f"  curl -F file=@receipt.jpg http://127.0.0.1:{args.port}/_dev/whatsapp\n"
            "Stop with Ctrl-C.",
            flush=True,
        )
        try:
            while not stop.wait(1):
                pass
        except KeyboardInterrupt:
            pass
        return 0
    finally:
        stack.stop()
        for server in oauth_servers:
            server.stop()


if __name__ == "__main__":
    raise SystemExit(main())
