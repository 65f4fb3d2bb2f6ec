"""Prints the bad-input corpus's counts at the end of the test run (see test_corpus.py)."""

from __future__ import annotations

SUMMARY: list[str] = []


def pytest_terminal_summary(terminalreporter) -> None:
    for line in SUMMARY:
        terminalreporter.write_line(line)
