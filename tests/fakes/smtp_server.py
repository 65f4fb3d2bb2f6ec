"""A real SMTP server (aiosmtpd) on a loopback port that keeps what it accepts, with faults.

`messages` holds every accepted message, parsed (`email.message.EmailMessage`), with
its envelope recipients. Faults (consumed in order, thread-safe):
- `refuse_rcpt(code, text, count)`: answer RCPT TO with `code` (452 mailbox full, 550...);
- `refuse_data(code, text, count)`: answer the end of DATA with `code` (552 storage...);
- `lose_answer(count)`: accept and keep the message, then answer 451 as if the answer was
  lost (the client retries: a resend must carry the same Message-ID).
`data_size_limit` bounds a message like a real relay (SIZE extension, 552 beyond it).
"""

from __future__ import annotations

import logging
import random
import socket
import threading
from collections import Counter
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP

# aiosmtpd logs every connection at INFO.
logging.getLogger("mail.log").setLevel(logging.WARNING)


class SmtpFaults:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._planned: list[list[Any]] = []  # [stage, reply, remaining]
        self.fired: Counter[str] = Counter()
        self._rate = 0.0
        self._rng = random.Random(0)

    def random(self, rate: float, seed: int) -> None:
        """Answer RCPT with 452 (mailbox full) with probability `rate` (seeded)."""
        with self._lock:
            self._rate, self._rng = rate, random.Random(seed)

    def refuse_rcpt(self, code: int, text: str = "4.2.2 Mailbox full", count: int = 1) -> None:
        with self._lock:
            self._planned.append(["rcpt", f"{code} {text}", count])

    def refuse_data(self, code: int, text: str = "5.2.2 Mailbox full", count: int = 1) -> None:
        with self._lock:
            self._planned.append(["data", f"{code} {text}", count])

    def lose_answer(self, count: int = 1) -> None:
        with self._lock:
            self._planned.append(["lost", "451 4.4.2 Timeout (answer lost)", count])

    def take(self, stage: str) -> str | None:
        with self._lock:
            for fault in self._planned:
                if fault[0] == stage and fault[2] > 0:
                    fault[2] -= 1
                    self.fired[stage] += 1
                    return fault[1]
            if stage == "rcpt" and self._rate and self._rng.random() < self._rate:
                self.fired["random"] += 1
                return "452 4.2.2 Mailbox full"
        return None


class _Handler:
    def __init__(self, server: SmtpServer) -> None:
        self.server = server

    async def handle_RCPT(
        self, smtp: SMTP, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        reply = self.server.faults.take("rcpt")
        if reply:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, smtp: SMTP, session: Any, envelope: Any) -> str:
        reply = self.server.faults.take("data")
        if reply:
            return reply
        parsed = message_from_bytes(envelope.content, policy=policy.default)
        with self.server.lock:
            self.server.messages.append((list(envelope.rcpt_tos), parsed))  # type: ignore[arg-type]
        lost = self.server.faults.take("lost")
        return lost or "250 OK queued"


class SmtpServer:
    def __init__(self, data_size_limit: int = 20 * 1024 * 1024) -> None:
        self.faults = SmtpFaults()
        self.lock = threading.Lock()
        self.messages: list[tuple[list[str], EmailMessage]] = []
        # aiosmtpd's start-up check connects to the configured port: give it a free one.
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self._controller = Controller(
            _Handler(self), hostname="127.0.0.1", port=self.port, data_size_limit=data_size_limit
        )

    def start(self) -> SmtpServer:
        self._controller.start()
        return self

    def stop(self) -> None:
        self._controller.stop()

    def __enter__(self) -> SmtpServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def message_ids(self) -> list[str]:
        with self.lock:
            return [str(m["Message-ID"]) for _rcpt, m in self.messages]
