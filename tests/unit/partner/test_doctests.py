"""The docstring examples of the partner destinations and domain are part of their spec."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "shared.destinations.sftp",
    "shared.destinations.email_smtp",
    "shared.destinations.webhook",
    "shared.destinations.accounting",
    "shared.domain.partners",
    "shared.domain.partner_paths",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_hold(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name))
    assert result.attempted > 0, f"{name} has no docstring examples"
    assert result.failed == 0
