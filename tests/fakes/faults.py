"""Fault injection shared by the fake vendor servers.

A `FaultPlan` answers one question per call: should this call fail, and how?
Planned faults (`inject`) fire first, in order, for the next `count` matching calls;
random faults (`random`) fire with a seeded probability, so a failing run can be
replayed. `after_processing` faults apply the call and then lose the response, as
when a proxy times out after the write committed. The owner serialises access.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass
class _Planned:
    status: int
    reason: str | None
    remaining: int
    methods: frozenset[str] | None
    after_processing: bool


@dataclass
class FaultPlan:
    _planned: list[_Planned] = field(default_factory=list)
    _rate: float = 0.0
    _rng: random.Random = field(default_factory=lambda: random.Random(0))
    _statuses: tuple[int, ...] = ()
    _random_methods: frozenset[str] | None = None

    def inject(
        self,
        status: int,
        reason: str | None = None,
        count: int = 1,
        methods: Iterable[str] | None = None,
        after_processing: bool = False,
    ) -> None:
        self._planned.append(
            _Planned(
                status, reason, count, frozenset(methods) if methods else None, after_processing
            )
        )

    def random(
        self,
        rate: float,
        seed: int,
        statuses: tuple[int, ...] = (429, 500, 503),
        methods: Iterable[str] | None = None,
    ) -> None:
        self._rate, self._rng, self._statuses = rate, random.Random(seed), statuses
        self._random_methods = frozenset(methods) if methods else None

    def take(self, method: str, after: bool) -> tuple[int, str | None] | None:
        """The (status, reason) this call must fail with, or None."""
        for fault in self._planned:
            if (
                fault.remaining > 0
                and fault.after_processing == after
                and (fault.methods is None or method in fault.methods)
            ):
                fault.remaining -= 1
                return fault.status, fault.reason
        self._planned = [f for f in self._planned if f.remaining > 0]
        if (
            not after
            and self._rate > 0
            and (self._random_methods is None or method in self._random_methods)
            and self._rng.random() < self._rate
        ):
            return self._rng.choice(self._statuses), None
        return None
