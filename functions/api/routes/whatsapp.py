"""WhatsApp routes: a member's activation link (wa.me + QR code), the reminder settings."""

from __future__ import annotations

import base64
from datetime import time
from typing import Any

from functions.api.auth import ANY_MEMBER, member
from functions.api.errors import Forbidden, InvalidRequest, NotFound
from functions.api.router import Call, RouteTable
from shared import runtime
from shared.domain.entities import Role
from shared.domain.whatsapp import ReminderSettings
from shared.usecases.whatsapp_activation import MemberNotFound, issue_activation

table = RouteTable()

ADMINS = (Role.OWNER, Role.ADMIN)
SETTINGS_FIELDS = (
    "enabled",
    "delay_hours",
    "quiet_start",
    "quiet_end",
    "daily_cap",
    "lookback_days",
)


@table.route("POST", "/organizations/{org}/members/{user_id}/whatsapp/activation", ANY_MEMBER)
def create_activation(call: Call) -> tuple[Any, int]:
    """A one-time activation link for the member (themselves, or an owner/admin for them)."""
    user_id = call.params["user_id"]
    assert call.member is not None
    if call.member.user_id != user_id and call.member.role not in ADMINS:
        raise Forbidden("only the member, an owner or an admin may activate WhatsApp for them")
    try:
        link = issue_activation(call.org, user_id, runtime.activation_deps())
    except MemberNotFound as exc:
        raise NotFound(str(exc)) from None
    return {
        "code": link.code,
        "text": link.text,
        "url": link.url,
        "expires_at": link.expires_at.isoformat(),
        "qr_png_base64": base64.b64encode(link.qr_png()).decode(),
    }, 201


@table.route("GET", "/organizations/{org}/whatsapp/reminders", member(*ADMINS))
def get_reminders(call: Call) -> tuple[Any, int]:
    """The company's receipt reminder settings (off by default)."""
    return _settings_json(runtime.wa_store().get_reminder_settings(call.org)), 200


@table.route("PUT", "/organizations/{org}/whatsapp/reminders", member(*ADMINS))
def put_reminders(call: Call) -> tuple[Any, int]:
    """Turn receipt reminders on or off and choose after how many hours, quiet hours, cap."""
    body = call.body()
    unknown = sorted(set(body) - set(SETTINGS_FIELDS))
    if unknown:
        raise InvalidRequest(f"unknown fields {unknown}; settings are {list(SETTINGS_FIELDS)}")
    current = runtime.wa_store().get_reminder_settings(call.org)
    try:
        settings = ReminderSettings(
            enabled=_typed(body, "enabled", bool, current.enabled),
            delay_hours=_typed(body, "delay_hours", int, current.delay_hours),
            quiet_start=_clock(body, "quiet_start", current.quiet_start),
            quiet_end=_clock(body, "quiet_end", current.quiet_end),
            daily_cap=_typed(body, "daily_cap", int, current.daily_cap),
            lookback_days=_typed(body, "lookback_days", int, current.lookback_days),
        )
    except ValueError as exc:
        raise InvalidRequest(str(exc)) from None
    runtime.wa_store().put_reminder_settings(call.org, settings)
    return _settings_json(settings), 200


def _typed(body: dict, name: str, kind: type, default: Any) -> Any:
    value = body.get(name, default)
    # bool is an int in Python: refuse true for a number and 1 for a flag.
    if type(value) is not kind:
        raise ValueError(f"{name} must be a {kind.__name__}")
    return value


def _clock(body: dict, name: str, default: time) -> time:
    value = body.get(name)
    if value is None:
        return default
    if not isinstance(value, str) or len(value) != 5:
        raise ValueError(f"{name} must be HH:MM")
    return time.fromisoformat(value)


def _settings_json(settings: ReminderSettings) -> dict[str, Any]:
    return {
        "enabled": settings.enabled,
        "delay_hours": settings.delay_hours,
        "quiet_start": settings.quiet_start.strftime("%H:%M"),
        "quiet_end": settings.quiet_end.strftime("%H:%M"),
        "daily_cap": settings.daily_cap,
        "lookback_days": settings.lookback_days,
    }
