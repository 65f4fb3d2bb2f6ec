"""Booking days of a French bank and the Europe/Paris booking date of a settlement instant.

A booking day is a weekday that is neither a French public holiday (jour férié: 1 January,
Easter Monday, 1 and 8 May, Ascension, Whit Monday, 14 July, 15 August, 1 and 11 November,
25 December) nor a TARGET2 closing day (Good Friday, 26 December: no euro interbank
settlement). The dates come from the `holidays` package, cached per year. What settles on
another day is booked on the next booking day.

>>> previous_business_day(date(2026, 11, 23))  # a Monday
datetime.date(2026, 11, 20)
>>> booking_date(datetime(2026, 11, 20, 23, 30, tzinfo=UTC))  # Saturday 00:30 in Paris
datetime.date(2026, 11, 23)
>>> is_business_day(date(2026, 11, 11)), previous_business_day(date(2026, 11, 12))
(False, datetime.date(2026, 11, 10))
>>> booking_date(datetime(2026, 12, 24, 23, 30, tzinfo=UTC))  # Christmas, then a Saturday
datetime.date(2026, 12, 28)
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

PARIS = ZoneInfo("Europe/Paris")


@lru_cache(maxsize=64)
def _closed_days(year: int) -> frozenset[date]:
    french = holidays.country_holidays("FR", years=year)
    target = holidays.financial_holidays("XECB", years=year)
    return frozenset(french) | frozenset(target)


def is_business_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _closed_days(day.year)


def previous_business_day(day: date) -> date:
    """The booking day before `day` (Friday for a Monday, a Saturday or a Sunday; the
    day before a holiday for the day after it)."""
    day -= timedelta(days=1)
    while not is_business_day(day):
        day -= timedelta(days=1)
    return day


def booking_date(settled_at: datetime) -> date:
    """The Europe/Paris date of `settled_at`, rolled to the next booking day (Monday after a
    weekend, the day after a holiday)."""
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
