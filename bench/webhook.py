"""Benchmark of the WhatsApp webhook's acknowledgement (issue 14).

    python bench/webhook.py [--rate 50] [--seconds 60] [--duplicates 0.1] [--with-workers]

Starts the local stack (Firestore and Pub/Sub emulators, Cloud Storage server, fake Twilio,
every function behind one HTTP server) in a child process, seeds the demo company, then drives
`POST /whatsapp_webhook/` over loopback with Twilio-signed incoming messages at RATE per second
for SECONDS, open loop: each request is sent at its scheduled instant whatever the previous
ones are doing, and its latency is counted from that instant (no coordinated omission).

Traffic: messages with one photo each from the demo member (the webhook records the message,
publishes `whatsapp.media` and answers 🔎 with TwiML); a share DUPLICATES of them are sent a
second time, as Twilio's retries are (they must answer nothing new). By default no worker
consumes the events, so the figures are the acknowledgement alone on a machine that does
nothing else; `--with-workers` also runs the media worker and the processor (OCR of the
photos then competes for the same cores).

Prints p50/p90/p99/max of the acknowledgement latency, the errors (non-200 answers,
exceptions, a 🔎 missing from a first delivery or present in a duplicate), and checks that
Firestore holds exactly one message record per distinct MessageSid. Target: p99 <= 300 ms,
0 errors.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def serve(info_path: str, with_workers: bool) -> None:
    """Child process: the local stack with the demo company, until stdin closes."""
    from local.demo import seed_demo_company
    from local.stack import WHATSAPP_NUMBER, LocalStack
    from shared import runtime

    topics = ("whatsapp.media", "documents.received") if with_workers else ()
    stack = LocalStack(log_dir=Path(tempfile.mkdtemp(prefix="bench-webhook-")), push_topics=topics)
    stack.start()
    try:
        from shared.config import settings
        from shared.events.pubsub import ensure_topic

        ensure_topic(stack.project, settings().topic_whatsapp_media)
        seed_demo_company(runtime.store())
        assert stack.twilio is not None
        Path(info_path).write_text(
            json.dumps(
                {
                    "webhook_url": stack.webhook_url,
                    "account_sid": stack.twilio.account_sid,
                    "auth_token": stack.twilio.auth_token,
                    "twilio_url": stack.twilio.base_url,
                    "whatsapp_number": WHATSAPP_NUMBER,
                    "firestore": os.environ["FIRESTORE_EMULATOR_HOST"],
                    "project": stack.project,
                }
            )
        )
        sys.stdin.read()  # the parent closes our stdin when it is done
    finally:
        stack.stop()


def signed_message(info: dict, phone: str) -> tuple[dict[str, str], dict[str, str]]:
    """The form and headers Twilio would POST for one photo from `phone`."""
    from twilio.request_validator import RequestValidator

    sid = "MM" + secrets.token_hex(16)
    media = "ME" + secrets.token_hex(16)
    form = {
        "SmsMessageSid": sid,
        "NumMedia": "1",
        "ProfileName": "Bench",
        "MessageType": "image",
        "SmsSid": sid,
        "WaId": phone.lstrip("+"),
        "SmsStatus": "received",
        "Body": "",
        "To": f"whatsapp:{info['whatsapp_number']}",
        "NumSegments": "1",
        "ReferralNumMedia": "0",
        "MessageSid": sid,
        "AccountSid": info["account_sid"],
        "From": f"whatsapp:{phone}",
        "ApiVersion": "2010-04-01",
        "MediaContentType0": "image/jpeg",
        "MediaUrl0": f"{info['twilio_url']}/2010-04-01/Accounts/{info['account_sid']}"
        f"/Messages/{sid}/Media/{media}",
    }
    signature = RequestValidator(info["auth_token"]).compute_signature(info["webhook_url"], form)
    return form, {"X-Twilio-Signature": signature}


def drive(info: dict, rate: float, seconds: float, duplicates: float) -> dict:
    import requests

    from local.demo import DEMO_PHONE

    total = int(rate * seconds)
    every = round(1 / duplicates) if duplicates > 0 else 0
    plan: list[tuple[dict, dict]] = []
    for i in range(total):
        if every and i % every == every - 1 and i >= 5:
            plan.append(plan[i - 5])  # a redelivery of the message sent 5 requests earlier
        else:
            plan.append(signed_message(info, DEMO_PHONE))

    local = threading.local()
    latencies: list[float] = []
    errors: list[str] = []
    searching: dict[str, int] = {}  # MessageSid -> deliveries answered with 🔎
    lock = threading.Lock()
    start = time.perf_counter() + 0.5

    def send(index: int) -> None:
        form, headers = plan[index]
        due = start + index / rate
        delay = due - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        session = getattr(local, "session", None)
        if session is None:
            session = local.session = requests.Session()
        try:
            answer = session.post(info["webhook_url"], data=form, headers=headers, timeout=15)
            elapsed = time.perf_counter() - due
            problem = None if answer.status_code == 200 else f"HTTP {answer.status_code}"
            answered = "🔎" in answer.text
        except requests.RequestException as exc:
            elapsed, problem, answered = time.perf_counter() - due, type(exc).__name__, False
        with lock:
            latencies.append(elapsed)
            sid = form["MessageSid"]
            searching[sid] = searching.get(sid, 0) + answered
            if problem:
                errors.append(problem)

    with ThreadPoolExecutor(max_workers=64) as pool:
        list(pool.map(send, range(total)))
    wall = time.perf_counter() - start
    distinct = len(searching)
    # Each message answered 🔎 exactly once, however many times it was delivered.
    errors += [f"{n} x 🔎 for one message" for n in searching.values() if n != 1]
    return {
        "latencies": latencies,
        "errors": errors,
        "wall": wall,
        "distinct": distinct,
        "sent": total,
    }


def count_records(info: dict) -> int:
    os.environ["FIRESTORE_EMULATOR_HOST"] = info["firestore"]
    from google.cloud import firestore

    client = firestore.Client(project=info["project"])
    return client.collection("whatsapp_messages").count().get()[0][0].value


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rate", type=float, default=50.0, help="requests per second")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--duplicates", type=float, default=0.1, help="share of redeliveries")
    parser.add_argument("--with-workers", action="store_true")
    parser.add_argument("--serve", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.with_workers)
        return 0

    info_path = Path(tempfile.mkdtemp(prefix="bench-webhook-")) / "stack.json"
    command = [sys.executable, __file__, "--serve", str(info_path)]
    if args.with_workers:
        command.append("--with-workers")
    server = subprocess.Popen(command, stdin=subprocess.PIPE, cwd=ROOT)
    try:
        deadline = time.monotonic() + 120
        while not info_path.exists():
            if server.poll() is not None or time.monotonic() > deadline:
                print("the local stack did not start", file=sys.stderr)
                return 2
            time.sleep(0.2)
        time.sleep(0.2)
        info = json.loads(info_path.read_text())
        # Warm up: first requests build the clients (Firestore, Pub/Sub publisher).
        drive(info, rate=10, seconds=1, duplicates=0)
        before = count_records(info)
        result = drive(info, args.rate, args.seconds, args.duplicates)
        records = count_records(info) - before
    finally:
        if server.stdin:
            server.stdin.close()
        server.wait(timeout=60)

    latencies = result["latencies"]
    ms = [value * 1000 for value in latencies]
    print(
        f"webhook: {result['sent']} signed requests at {args.rate:g}/s for {args.seconds:g} s "
        f"({result['sent'] - result['distinct']} redeliveries), wall {result['wall']:.1f} s, "
        f"workers {'on' if args.with_workers else 'off'}"
    )
    print(
        f"ack latency ms: p50 {statistics.median(ms):.1f}  p90 {percentile(ms, 0.90):.1f}  "
        f"p99 {percentile(ms, 0.99):.1f}  max {max(ms):.1f}"
    )
    kinds: dict[str, int] = {}
    for error in result["errors"]:
        kinds[error] = kinds.get(error, 0) + 1
    print(f"errors: {len(result['errors'])} {kinds if kinds else ''}".rstrip())
    print(f"message records: {records} for {result['distinct']} distinct MessageSids")
    ok = not result["errors"] and records == result["distinct"] and percentile(ms, 0.99) <= 300
    print("target p99 <= 300 ms, 0 errors:", "met" if ok else "NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
