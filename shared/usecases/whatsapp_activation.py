"""Activation links: a member opens wa.me/<our number>?text=ACT-XXXXXXXX, sends that message,
and the webhook links their number to their company (see whatsapp_intake).

`issue_activation` MUST only be called for an existing member (the API checks who asks); each
call makes a new one-time code valid `ACTIVATION_TTL`; older unused codes stay valid until they
expire (a member may open the link on two devices).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import quote

import segno

from shared.domain.chat_commands import new_activation_code
from shared.domain.whatsapp import ACTIVATION_TTL
from shared.errors import NotFound
from shared.store.firestore_store import FirestoreStore
from shared.store.whatsapp import Activation, WhatsAppStore


class MemberNotFound(NotFound):
    pass


@dataclass(frozen=True)
class ActivationLink:
    code: str  # without the ACT- prefix
    text: str  # the message the link pre-fills
    url: str  # https://wa.me/<number>?text=...
    expires_at: datetime

    def qr_png(self, scale: int = 8) -> bytes:
        """The link as a QR code (PNG), to scan from a computer screen with the phone."""
        buffer = io.BytesIO()
        segno.make(self.url, error="m").save(buffer, kind="png", scale=scale, border=4)
        return buffer.getvalue()


@dataclass
class ActivationDeps:
    store: FirestoreStore
    wa: WhatsAppStore
    whatsapp_number: str  # E.164, the number members write to
    now: Callable[[], datetime] = lambda: datetime.now(UTC)


def issue_activation(org_id: str, user_id: str, deps: ActivationDeps) -> ActivationLink:
    if deps.store.get_member(org_id, user_id) is None:
        raise MemberNotFound(f"member {user_id} of organization {org_id} not found")
    now = deps.now()
    code = new_activation_code()
    expires_at = now + ACTIVATION_TTL
    deps.wa.create_activation(Activation(code, org_id, user_id, expires_at), created_at=now)
    text = f"ACT-{code}"
    number = deps.whatsapp_number.removeprefix("whatsapp:").lstrip("+")
    return ActivationLink(code, text, f"https://wa.me/{number}?text={quote(text)}", expires_at)
