"""How an organization pays a supplier: the days from an invoice's date to its payment,
read from the supplier's invoices matched already. A monthly fee of one amount leaves
two payments in reach of each invoice (paid at issue, or at the due date a month
later); the supplier's habit picks the month."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable

# A habit needs this many of the supplier's invoices matched ...
HABIT_MIN_INVOICES = 3
# ... and this share of them paid within `HABIT_TOLERANCE_DAYS` of their median delay.
HABIT_MIN_SHARE = 0.75
HABIT_TOLERANCE_DAYS = 7
# The payments it tells apart are this many days from the habit at least (another
# month's), not a debit presented twice in a week.
HABIT_APART_DAYS = 14


def payment_habits(delays: Iterable[tuple[Hashable, int]]) -> dict[Hashable, int]:
    """The habitual delay (days from invoice date to payment, the median) of each
    supplier key whose matched invoices show one.

    >>> payment_habits([("A", 34), ("A", 35), ("A", 28), ("A", 31), ("B", 3), ("B", 30), ("B", 60)])
    {'A': 34}
    """
    by_key: dict[Hashable, list[int]] = defaultdict(list)
    for key, delay in delays:
        by_key[key].append(delay)
    habits: dict[Hashable, int] = {}
    for key, days in by_key.items():
        if len(days) < HABIT_MIN_INVOICES:
            continue
        days.sort()
        median = days[len(days) // 2]
        near = sum(1 for d in days if abs(d - median) <= HABIT_TOLERANCE_DAYS)
        if near >= HABIT_MIN_SHARE * len(days):
            habits[key] = median
    return habits


def fits_habit(days: int, habit: int) -> bool:
    """A payment `days` after the invoice date is the supplier's habit."""
    return abs(days - habit) <= HABIT_TOLERANCE_DAYS
