"""The examples in module docstrings are part of the spec: run them.

(The matching and EBICS-name modules run theirs in their own test packages.)
"""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "shared.domain.money",
    "shared.domain.identifiers",
    "shared.extraction.intake",
    "shared.extraction.pdfscan",
    "shared.extraction.worker",
    "shared.limits",
    "shared.extraction.parsing",
    "shared.formats.transliterate",
    "shared.formats.camt053",
    "shared.formats.ebics_certificates",
    "shared.destinations.google_drive",
    "shared.usecases.nightly_export.naming",
    "shared.domain.business_days",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_hold(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.IGNORE_EXCEPTION_DETAIL)
    assert result.attempted > 0, f"{name} has no docstring examples"
    assert result.failed == 0
