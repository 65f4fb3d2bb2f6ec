"""The fault suite's tally, printed at the end of the test run (issue 16):

    N faults: D duplicates, L lost, S silent

Each scenario injects faults into the real functions, emulators and fake vendor servers
(redeliveries, SIGKILL of a worker process at a seeded random point, an emulator frozen
mid-run, 429/5xx storms), lets the system recover, then counts what it finds, not what
it expects: duplicates (a second attachment, file, reply or record), losses (a document,
receipt or file that never arrived) and silences (a document left without a final state
or without an answer to its sender). Each scenario also asserts its own zeros.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from tests.e2e.conftest import demo  # noqa: F401 - the end-to-end demo company, reused
from tests.integration.test_nightly_export import (  # noqa: F401 - the export's world, reused
    servers,
    world,
)


@dataclass
class FaultTally:
    faults: int = 0
    duplicates: int = 0
    lost: int = 0
    silent: int = 0
    scenarios: list[str] = field(default_factory=list)

    def record(
        self, scenario: str, faults: int, duplicates: int = 0, lost: int = 0, silent: int = 0
    ) -> None:
        assert faults > 0, "a scenario that injected no fault proves nothing"
        self.faults += faults
        self.duplicates += duplicates
        self.lost += lost
        self.silent += silent
        self.scenarios.append(
            f"  {scenario}: {faults} faults, {duplicates} duplicates, {lost} lost, {silent} silent"
        )

    def line(self) -> str:
        return (
            f"{self.faults} faults: {self.duplicates} duplicates, {self.lost} lost, "
            f"{self.silent} silent"
        )


TALLY = FaultTally()


@pytest.fixture
def tally() -> FaultTally:
    return TALLY


def pytest_terminal_summary(terminalreporter) -> None:
    if TALLY.scenarios:
        terminalreporter.write_sep("-", "fault suite (tests/faults)")
        for scenario in TALLY.scenarios:
            terminalreporter.write_line(scenario)
        terminalreporter.write_line(TALLY.line())
