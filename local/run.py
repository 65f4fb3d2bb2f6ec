"""`python -m local.run`: the WhatsApp receipt flow, end to end, on this machine.

Starts the emulators, the fake Twilio and every function in one process, seeds
a demo company, sends a sample receipt through the signed webhook, prints the
transaction it was attached to, then keeps serving. Send more files with:

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

from local.demo import DEMO_ORG_ID, DEMO_PHONE, PARIS, seed_demo_company
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


def dev_app(stack: LocalStack) -> flask.Flask:
    """`POST /_dev/whatsapp` (multipart `file`, optional `phone`, `body`): act as Twilio."""
    app = flask.Flask("dev")

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
    stack.start(functions_port=args.port)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        print(f"emulators up: {json.dumps(stack.cloud.environ())}", flush=True)
        seed_demo_company(runtime.store())
        print(f"seeded demo company {DEMO_ORG_ID} (member phone {DEMO_PHONE})", flush=True)

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


if __name__ == "__main__":
    raise SystemExit(main())
