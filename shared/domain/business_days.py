"""Business days of the French banking calendar (Monday to Friday; bank holidays are not
modelled) and the Europe/Paris booking date of a settlement instant.

>>> previous_business_day(date(2026, 11, 23))  # a Monday
datetime.date(2026, 11, 20)
>>> booking_date(datetime(2026, 11, 20, 23, 30, tzinfo=UTC))  # Saturday 00:30 in Paris
datetime.date(2026, 11, 23)
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")


def is_business_day(day: date) -> bool:
    return day.weekday() < 5


def previous_business_day(day: date) -> date:
    """The business day before `day` (Friday for a Monday, a Saturday or a Sunday)."""
    day -= timedelta(days=1)
    while not is_business_day(day):
        day -= timedelta(days=1)
    return day


def booking_date(settled_at: datetime) -> date:
    """The Europe/Paris date of `settled_at`, rolled to the next Monday on weekends."""
    if settled_at.tzinfo is None:
        raise ValueError("settled_at must carry its timezone")
    day = settled_at.astimezone(PARIS).date()
    while not is_business_day(day):
        day += timedelta(days=1)
    return day


def booking_window(day: date) -> tuple[datetime, datetime]:
    """The instants (UTC) whose booking date is `day`: from the day after the previous
    business day, 00:00 Paris, to the day after `day`, 00:00 Paris."""
    start_day = previous_business_day(day) + timedelta(days=1)
    start = datetime.combine(start_day, time(0), tzinfo=PARIS)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=PARIS)
    return start.astimezone(UTC), end.astimezone(UTC)
