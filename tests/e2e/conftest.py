"""Fixtures of the end-to-end tests."""

from __future__ import annotations

import json

import pytest

from local.demo import seed_demo_company
from shared import runtime


@pytest.fixture
def demo(stack):
    seed_demo_company(runtime.store())
    return stack


@pytest.fixture
def templates(demo, monkeypatch):
    """Approved templates registered on the fake Twilio and configured for this deployment."""
    sids = {
        "matched_later": demo.twilio.add_template(
            "✅ {{1}} est maintenant rattaché à {{2}} {{3}} du {{4}}."
        ),
        "receipt_reminder": demo.twilio.add_template(
            "Vous avez payé {{1}} chez {{2}} le {{3}} : répondez avec une photo du justificatif."
        ),
    }
    monkeypatch.setenv(
        "WHATSAPP_TEMPLATES",
        json.dumps({key: {"fr": sid} for key, sid in sids.items()}),
    )
    runtime.reset_for_tests()
    yield sids
    monkeypatch.delenv("WHATSAPP_TEMPLATES")
    runtime.reset_for_tests()
