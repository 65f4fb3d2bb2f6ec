"""Everything the functions need, on this machine: emulators, fake vendors, one HTTP server.

Dev and test tooling (the `local` package is never deployed).

Used by the local run command and by the test fixtures, so both exercise the
same wiring. All functions are served by one process behind a
DispatcherMiddleware (`/whatsapp_webhook`, `/document_processor`, ...), and
Pub/Sub push subscriptions on the emulator deliver to them over HTTP, as
Eventarc does in production.
"""

from __future__ import annotations

import os
import threading
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests
from werkzeug.middleware.dispatcher import DispatcherMiddleware
from werkzeug.wrappers import Response

from local.emulators import LocalCloud
from shared import runtime
from shared.events.pubsub import ensure_push_subscription, ensure_topic
from tests.fakes.http_server import ThreadedServer
from tests.fakes.id_tokens import BILLING_ACCOUNT
from tests.fakes.twilio import FakeTwilio

PROJECT_ROOT = Path(__file__).resolve().parents[1]
WHATSAPP_NUMBER = "+14155238886"

# (function target, topic it consumes, or None for HTTP and Storage-triggered functions)
FUNCTIONS: list[tuple[str, str | None]] = [
    ("whatsapp_webhook", None),
    ("whatsapp_media_worker", "whatsapp.media"),
    ("receipt_reminders", "reminders.run"),
    ("document_processor", "documents.received"),
    ("rematch_unmatched", "documents.rematch"),
    ("phone_directory_sync", "directory.sync"),
    ("nightly_export_fanout", "exports.nightly"),
    ("nightly_export_worker", "exports.sync"),
    ("dropzone_fanout", "dropzone.run"),
    ("dropzone_worker", "dropzone.sync"),
    ("ebics_statements", "ebics.statements"),
    ("ebics_inbox", None),  # Storage finalize events: the emulator emits none; tests deliver them
    ("integrations_api", None),
    ("transactions_feed", "transactions.events"),
    ("companies_feed", "companies.events"),
    ("partner_dispatch", "documents.approved"),
    ("dead_letter_handler", None),  # pushed by the dead-letter topics below
]

# Topics whose messages are dead-lettered after DEAD_LETTER_ATTEMPTS deliveries to
# `TOPIC.dead-letter`, which pushes to dead_letter_handler (as infra/ sets up in production,
# there with a longer backoff).
DEAD_LETTERED = ("documents.received", "whatsapp.media")
DEAD_LETTER_ATTEMPTS = 5
RETRY_BACKOFF_SECONDS = (1, 4)


class Handled:
    """How many calls each function has answered (evidence for tests: "the redelivered
    message was handled" instead of "some time has passed")."""

    def __init__(self) -> None:
        self._counts: Counter[str] = Counter()
        self._lock = threading.Lock()

    def __getitem__(self, target: str) -> int:
        with self._lock:
            return self._counts[target]

    def counting(self, target: str, app: Any) -> Any:
        def wrapped(environ: dict, start_response: Any) -> Any:
            try:
                return list(app(environ, start_response))  # answered in full
            finally:
                with self._lock:
                    self._counts[target] += 1

        return wrapped


HANDLED = Handled()


def functions_app(extra_mounts: dict | None = None) -> DispatcherMiddleware:
    import functions_framework

    source = str(PROJECT_ROOT / "main.py")
    mounts = {
        f"/{target}": HANDLED.counting(
            target, functions_framework.create_app(target=target, source=source)
        )
        for target, _ in FUNCTIONS
    }
    return DispatcherMiddleware(
        Response("not found", status=404), {**mounts, **(extra_mounts or {})}
    )


@dataclass
class LocalStack:
    project: str = "demo-local"
    log_dir: Path | None = None
    cloud: LocalCloud | None = None
    twilio: FakeTwilio | None = None
    server: ThreadedServer | None = None
    extra_env: dict[str, str] = field(default_factory=dict)
    # Topics whose push subscriptions deliver to the functions; None = all of them. The
    # tests subscribe only documents.received: tests of the other jobs drive their own
    # deliveries and must not race a second consumer.
    push_topics: tuple[str, ...] | None = None
    # More WSGI apps served beside the functions, by path prefix (the local run's /_dev).
    extra_mounts: dict = field(default_factory=dict)

    handled: Handled = field(default_factory=lambda: HANDLED)

    @property
    def functions_url(self) -> str:
        assert self.server is not None
        return self.server.base_url

    @property
    def webhook_url(self) -> str:
        # The trailing slash is the function's root route: no redirect, as Twilio calls it.
        return f"{self.functions_url}/whatsapp_webhook/"

    def start(self, functions_port: int = 0) -> LocalStack:
        self.cloud = LocalCloud.start(self.project, log_dir=self.log_dir)
        try:
            self.cloud.export_environ()
            self.twilio = FakeTwilio().start()
            self.server = ThreadedServer(functions_app(self.extra_mounts), port=functions_port)
            self.extra_env = {
                "DOCUMENTS_BUCKET": f"{self.project}-documents",
                "EBICS_DROP_BUCKET": f"{self.project}-ebics-drop",
                "TWILIO_ACCOUNT_SID": self.twilio.account_sid,
                "TWILIO_AUTH_TOKEN": self.twilio.auth_token,
                "TWILIO_WHATSAPP_NUMBER": WHATSAPP_NUMBER,
                "TWILIO_API_BASE_URL": self.twilio.base_url,
                "WHATSAPP_WEBHOOK_PUBLIC_URL": self.webhook_url,
                # Cloud Run verifies ID tokens in production; locally the API reads the
                # claims of the tokens tests/fakes/id_tokens.py makes.
                "API_BILLING_SERVICE_ACCOUNT": BILLING_ACCOUNT,
            }
            os.environ.update(self.extra_env)
            runtime.reset_for_tests()
            self.server.start()
            self._provision()
        except Exception:
            self.stop()
            raise
        return self

    def _provision(self) -> None:
        """What Terraform creates in production: bucket, topics, push subscriptions."""
        self._ensure_buckets()
        for target, topic in FUNCTIONS:
            if topic is None or (self.push_topics is not None and topic not in self.push_topics):
                continue
            ensure_topic(self.project, topic)
            if topic in DEAD_LETTERED:
                self._dead_lettered_subscription(target, topic)
                continue
            ensure_push_subscription(
                self.project, topic, f"{target}-push", f"{self.functions_url}/{target}/"
            )

    def _dead_lettered_subscription(self, target: str, topic: str) -> None:
        from google.api_core import exceptions as gexc
        from google.cloud import pubsub_v1

        dead = f"{topic}.dead-letter"
        ensure_topic(self.project, dead)
        # The path names the topic, so the handler's CloudEvent `source` does too (Eventarc's).
        handler = f"{self.functions_url}/dead_letter_handler/projects/{self.project}/topics/{dead}"
        ensure_push_subscription(self.project, dead, f"dead_letter_handler-{topic}-push", handler)
        subscriber = pubsub_v1.SubscriberClient()
        low, high = RETRY_BACKOFF_SECONDS
        try:
            # The copy ops replay from (`dead-letters replay`), as infra/modules/topic keeps it.
            subscriber.create_subscription(
                request={
                    "name": f"projects/{self.project}/subscriptions/{dead}.hold",
                    "topic": f"projects/{self.project}/topics/{dead}",
                }
            )
        except gexc.AlreadyExists:
            pass
        try:
            subscriber.create_subscription(
                request={
                    "name": f"projects/{self.project}/subscriptions/{target}-push",
                    "topic": f"projects/{self.project}/topics/{topic}",
                    "push_config": {"push_endpoint": f"{self.functions_url}/{target}/"},
                    "ack_deadline_seconds": 60,
                    "dead_letter_policy": {
                        "dead_letter_topic": f"projects/{self.project}/topics/{dead}",
                        "max_delivery_attempts": DEAD_LETTER_ATTEMPTS,
                    },
                    "retry_policy": {
                        "minimum_backoff": {"seconds": low},
                        "maximum_backoff": {"seconds": high},
                    },
                }
            )
        except gexc.AlreadyExists:
            pass
        finally:
            subscriber.close()

    def reset(self) -> None:
        """Empty Firestore and Storage between tests; topics and subscriptions stay."""
        assert self.cloud is not None
        self.cloud.reset()
        runtime.reset_for_tests()
        self._ensure_buckets()

    def _ensure_buckets(self) -> None:
        from shared.store.blobs import storage_client
        from shared.store.ebics import DropBucket

        runtime.blobs().ensure_bucket()
        DropBucket(storage_client(self.project), os.environ["EBICS_DROP_BUCKET"]).ensure_bucket()

    def send_whatsapp(
        self,
        phone: str,
        media: list[tuple[bytes, str]] = (),  # type: ignore[assignment]
        body: str = "",
        sign_with: str | None = None,
    ) -> tuple[requests.Response, dict[str, str]]:
        """POST a Twilio-signed incoming message to the webhook, like Twilio does."""
        assert self.twilio is not None
        params = self.twilio.build_incoming_message(phone, WHATSAPP_NUMBER, body, media)
        form, headers = self.twilio.signed_webhook(self.webhook_url, params, auth_token=sign_with)
        response = requests.post(self.webhook_url, data=form, headers=headers, timeout=60)
        return response, form

    def stop(self) -> None:
        if self.server:
            self.server.stop()
        if self.twilio:
            self.twilio.stop()
        if self.cloud:
            self.cloud.stop()
