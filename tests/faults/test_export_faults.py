"""Faults on the nightly export: its worker SIGKILLed at seeded random points then run
again, and 429/5xx storms on Google Drive and Dropbox (the real client libraries against
the fake servers, the real Firestore emulator)."""

from __future__ import annotations

import os
import random
from datetime import datetime

import pytest

from tests.integration.test_nightly_export import (
    COMPANY,
    IN_SCOPE,
    MAIN,
    PARIS,
    kill_export_worker,
    month_folder,
)

SEED = int(os.environ.get("FAULT_SEED", "16"))
BULK = [f"tx-bulk-{i:02d}" for i in range(24)]


def counted(expected: dict[str, str], found: dict[str, str]) -> tuple[int, int]:
    """(duplicates, lost) between the files due and the files in the destination folder."""
    duplicates = max(0, len(found) - len(expected))
    lost = sum(1 for name, md5 in expected.items() if found.get(name) != md5)
    return duplicates, lost


@pytest.mark.parametrize("round_", range(3))
def test_export_worker_killed_at_a_random_point_then_run_again(world, servers, tally, round_):
    rng = random.Random(SEED * 1000 + round_)
    for i, tx_id in enumerate(BULK):
        world.add_transaction(tx_id, datetime(2026, 11, 11, 8, i, tzinfo=PARIS))
        world.add_receipt(tx_id)
    everything = IN_SCOPE + BULK
    world.setup()
    kill_after = rng.randint(1, len(everything) - 2)  # files created before the kill
    # +4: the product, company, account and month folders are created first.
    kill_export_worker(world, servers, lease_seconds=4, after_creates=kill_after + 4)

    result = world.sync(lease_seconds=4)  # waits for the dead worker's lease, takes over

    expected = {world.name(tx): world.md5(tx) for tx in everything}
    duplicates, lost = counted(expected, month_folder(world))
    silent = 0 if result.outcome == "done" else 1
    tally.record(
        f"SIGKILL of the export after {kill_after} files (round {round_})",
        1,
        duplicates,
        lost,
        silent,
    )
    assert (duplicates, lost, silent) == (0, 0, 0)


@pytest.mark.parametrize("destination", ["google_drive", "dropbox"])
def test_export_through_a_429_5xx_storm(world, tally, destination):
    fake = world.drive if destination == "google_drive" else world.dropbox
    fake.random_faults(0.35, seed=SEED, statuses=(429, 500, 502, 503))
    world.setup(destination)

    outcomes = [world.sync().outcome]
    while outcomes[-1] == "retrying" and len(outcomes) < 6:  # Pub/Sub redelivers the run
        outcomes.append(world.sync().outcome)
    fake.random_faults(0.0, seed=SEED)
    faults = world.built[-1].retries if world.built else 0
    for built in world.built[:-1]:
        faults += built.retries

    expected = {world.name(tx): world.md5(tx) for tx in IN_SCOPE}
    if destination == "google_drive":
        found = month_folder(world)
    else:
        tree = world.dropbox.tree()["Receipts"][COMPANY][MAIN]["2026-11"]
        expected = {
            name: world.dropbox.metadata(f"/Receipts/{COMPANY}/{MAIN}/2026-11/{name}")[
                "content_hash"
            ]
            for name in expected
        }
        found = tree
    duplicates, lost = counted(expected, found)
    silent = 0 if outcomes[-1] == "done" else 1
    tally.record(f"429/5xx storm on {destination} export", faults, duplicates, lost, silent)
    assert (duplicates, lost, silent) == (0, 0, 0)
