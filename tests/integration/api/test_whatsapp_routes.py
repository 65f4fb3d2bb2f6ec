"""WhatsApp routes of the API over real HTTP: activation links, reminder settings."""

from __future__ import annotations

import base64
import io
from typing import Any

import numpy as np
import pytest
from PIL import Image

from shared import runtime
from shared.domain.entities import Role
from tests.api_client import ApiClient
from tests.integration.api.conftest import ORG_A, member_id


def activation_path(user_id: str) -> str:
    return f"/organizations/{ORG_A}/members/{user_id}/whatsapp/activation"


def test_a_member_gets_a_wa_me_link_and_its_qr_code(
    client: ApiClient, companies: tuple[str, str]
) -> None:
    import cv2

    employee = member_id(ORG_A, Role.EMPLOYEE)
    answer = client.call("POST", activation_path(employee), member=employee)

    assert answer.status_code == 201
    link = answer.json()
    assert link["url"].startswith("https://wa.me/14155238886?text=ACT-")
    assert link["text"] == f"ACT-{link['code']}"
    png = base64.b64decode(link["qr_png_base64"])
    image = np.asarray(Image.open(io.BytesIO(png)).convert("L"))
    assert cv2.QRCodeDetectorAruco().detectAndDecode(image)[0] == link["url"]


def test_only_the_member_or_an_admin_may_ask_for_a_members_link(
    client: ApiClient, companies: tuple[str, str]
) -> None:
    employee = member_id(ORG_A, Role.EMPLOYEE)
    by_manager = client.call(
        "POST", activation_path(employee), member=member_id(ORG_A, Role.MANAGER)
    )
    by_admin = client.call("POST", activation_path(employee), member=member_id(ORG_A, Role.ADMIN))
    unknown = client.call("POST", activation_path("nobody"), member=member_id(ORG_A, Role.OWNER))

    assert by_manager.status_code == 403
    assert by_admin.status_code == 201
    assert unknown.status_code == 404 and unknown.json()["error"]["code"] == "not_found"


def test_reminder_settings_are_off_by_default_and_changed_by_admins(
    client: ApiClient, companies: tuple[str, str]
) -> None:
    path = f"/organizations/{ORG_A}/whatsapp/reminders"
    admin = member_id(ORG_A, Role.ADMIN)

    assert client.call("GET", path, member=admin).json()["enabled"] is False
    refused = client.call(
        "PUT", path, member=member_id(ORG_A, Role.EMPLOYEE), json={"enabled": True}
    )
    changed = client.call("PUT", path, member=admin, json={"enabled": True, "delay_hours": 12})

    assert refused.status_code == 403
    assert changed.status_code == 200
    assert changed.json() == {
        "enabled": True,
        "delay_hours": 12,
        "quiet_start": "21:00",
        "quiet_end": "08:00",
        "daily_cap": 3,
        "lookback_days": 7,
    }
    stored = runtime.wa_store().get_reminder_settings(ORG_A)
    assert stored.enabled and stored.delay_hours == 12


@pytest.mark.parametrize(
    "body",
    [
        {"delay_hours": 0},
        {"delay_hours": "12"},
        {"enabled": 1},
        {"daily_cap": 1000},
        {"quiet_start": "25:00"},
        {"quiet_end": "8h"},
        {"volume": 11},
    ],
)
def test_bad_reminder_settings_are_refused_and_nothing_changes(
    client: ApiClient, companies: tuple[str, str], body: dict[str, Any]
) -> None:
    path = f"/organizations/{ORG_A}/whatsapp/reminders"
    answer = client.call("PUT", path, member=member_id(ORG_A, Role.OWNER), json=body)

    assert answer.status_code == 400 and answer.json()["error"]["code"] == "invalid_request"
    assert runtime.wa_store().get_reminder_settings(ORG_A).enabled is False
