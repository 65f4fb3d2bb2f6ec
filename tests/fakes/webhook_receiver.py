"""An HTTP endpoint that verifies Standard Webhooks signatures with the independent
`standardwebhooks` package, keeps each message once by `webhook-id`, and injects faults.

Faults come from a `FaultPlan`: a planned 429 carries `Retry-After` (`retry_after`
seconds); `gone()` makes every later call answer 410. Each call is logged in `attempts`
(`webhook-id`, status answered) so tests can count retries and duplicates.
"""

from __future__ import annotations

import threading
from typing import Any

from standardwebhooks.webhooks import Webhook, WebhookVerificationError
from werkzeug.wrappers import Request, Response

from tests.fakes.faults import FaultPlan


class WebhookReceiver:
    def __init__(self, secret: str, retry_after: int = 1) -> None:
        self._verifier = Webhook(secret)
        self.faults = FaultPlan()
        self.retry_after = retry_after
        self.lock = threading.Lock()
        self.received: dict[str, dict[str, Any]] = {}  # webhook-id -> payload
        self.deliveries: list[str] = []  # every accepted POST's webhook-id, duplicates included
        self.attempts: list[tuple[str, int]] = []
        self.is_gone = False

    def gone(self) -> None:
        self.is_gone = True

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        request = Request(environ)
        msg_id = request.headers.get("webhook-id", "")
        response = self._answer(request, msg_id)
        with self.lock:
            self.attempts.append((msg_id, response.status_code))
        return response(environ, start_response)

    def _answer(self, request: Request, msg_id: str) -> Response:
        if self.is_gone:
            return Response("gone", status=410)
        with self.lock:
            fault = self.faults.take("POST", after=False)
        if fault:
            status = fault[0]
            headers = {"Retry-After": str(self.retry_after)} if status == 429 else {}
            return Response("fault", status=status, headers=headers)
        body = request.get_data()
        try:
            payload = self._verifier.verify(body, dict(request.headers))
        except WebhookVerificationError as exc:
            return Response(f"bad signature: {exc}", status=401)
        with self.lock:
            self.deliveries.append(msg_id)
            self.received.setdefault(msg_id, payload)
            lost = self.faults.take("POST", after=True)
        if lost:  # processed, but the answer is lost on the way back
            return Response("lost", status=lost[0])
        return Response("", status=204)
