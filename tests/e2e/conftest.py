"""Fixtures of the end-to-end tests."""

from __future__ import annotations

import pytest

from local.demo import seed_demo_company
from shared import runtime


@pytest.fixture
def demo(stack):
    seed_demo_company(runtime.store())
    return stack
