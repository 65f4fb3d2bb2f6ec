"""The one fixture module for local servers: emulators, fake vendors, functions server.

The stack is started once per session (the JVM emulators take ~2 s) and
emptied before each test that asks for it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from local.stack import LocalStack


# Tests run the matching engine from its sources (they may patch its functions); the compiled
# build is compared with them in tests/unit/matching/test_native.py.
os.environ["MATCHING_NATIVE"] = "0"

PROJECT_ROOT = Path(__file__).resolve().parents[1]
CORPUS = PROJECT_ROOT.parent / "shared" / "corpus"


@pytest.fixture(scope="session")
def local_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalStack]:
    # Imported here so that pure unit tests collect without the whole runtime.
    from local.stack import LocalStack

    stack = LocalStack(
        log_dir=tmp_path_factory.mktemp("emulator-logs"),
        push_topics=(
            "documents.received",
            "documents.rematch",
            "whatsapp.media",
            "transactions.events",
            "companies.events",
            "reminders.run",
            "documents.approved",
        ),
    )
    stack.start()
    yield stack
    stack.stop()


@pytest.fixture
def stack(local_stack: LocalStack) -> LocalStack:
    """The running stack, with Firestore and Storage emptied and the fake Twilio's messages
    forgotten (as our records of them are)."""
    local_stack.reset()
    local_stack.twilio.app.forget_messages()
    return local_stack


@pytest.fixture
def store(stack: LocalStack):
    from shared import runtime

    return runtime.store()


@pytest.fixture
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip(f"shared corpus not found at {CORPUS}")
    return CORPUS


@pytest.fixture
def set_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    """`set_env(NAME, value)`: change a variable (None: unset it) and make Settings read it
    again (settings are read once per instance); restored after the test."""
    from shared import config

    def set_(name: str, value: str | None) -> None:
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
        config.settings.cache_clear()

    yield set_
    config.settings.cache_clear()
