"""The assignment solver finds a maximum-weight matching."""

from __future__ import annotations

import itertools
import random

from shared.matching.assignment import max_weight_assignment


def brute_force(weights: list[list[int]]) -> int:
    rows, cols = len(weights), len(weights[0])
    best = 0
    # Pad with "unassigned" columns so every row may stay unmatched.
    for perm in itertools.permutations(range(cols + rows), rows):
        best = max(best, sum(weights[r][c] for r, c in enumerate(perm) if c < cols))
    return best


def test_solver_equals_brute_force_on_random_blocks():
    rng = random.Random(11)
    for _ in range(200):
        rows, cols = rng.randint(1, 4), rng.randint(1, 4)
        weights = [
            [rng.choice([0, 0, rng.randint(1, 50)]) for _ in range(cols)] for _ in range(rows)
        ]
        total, assigned = max_weight_assignment(weights)
        assert total == brute_force(weights)
        used = [c for c in assigned if c >= 0]
        assert len(used) == len(set(used))
        assert total == sum(weights[r][c] for r, c in enumerate(assigned) if c >= 0)


def test_zero_weight_means_no_edge():
    total, assigned = max_weight_assignment([[0, 0], [0, 5]])
    assert (total, assigned) == (5, [-1, 1])


def test_empty_input():
    assert max_weight_assignment([]) == (0, [])
