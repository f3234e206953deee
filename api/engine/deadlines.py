"""Statutory time limits, counted as the Act on the calculation of statutory time limits
(150/1930) says:

- § 2: the named day (the event date) is not counted, so "3 days after" is the event date + 3;
- § 3: weeks, months and years end on the day with the same weekday or number, or on the last day
  of a month that has no such day (31 January + 1 month = 28 or 29 February);
- § 4: limits counted backwards from the named day follow the same rules in reverse;
- § 5: a limit that ends on a Saturday, Sunday or other public holiday, Independence Day, May Day,
  Christmas Eve or Midsummer Eve moves to the next working day.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import NamedTuple

import holidays
from dateutil.relativedelta import relativedelta

from api.engine.model import CountedDay, Deadline, Period


@lru_cache(maxsize=64)
def _finnish_holidays(year: int) -> frozenset[dt.date]:
    # The `holidays` calendar for Finland lists every public holiday of § 5, including
    # Independence Day, May Day, Midsummer Eve and Christmas Eve (tests pin each of them).
    return frozenset(holidays.country_holidays("FI", years=year))


def is_working_day(day: dt.date) -> bool:
    """False on Saturdays, Sundays and the days § 5 of Act 150/1930 names."""
    return day.weekday() < 5 and day not in _finnish_holidays(day.year)


def next_working_day(day: dt.date) -> dt.date:
    """The day itself if it is a working day, else the first working day after it."""
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


class Limit(NamedTuple):
    """A deadline reduced to what counting needs; hashable, so results can be cached."""

    unit: str
    amount: int
    direction: str
    working_day_rule: bool

    @classmethod
    def of(cls, day: CountedDay) -> Limit:
        period = day.period
        # Only a deadline's last day can move; an opening day (`earliest`) never does.
        moves = day.working_day_rule if isinstance(day, Deadline) else False
        return cls(period.unit, period.count, day.direction, moves)


def shift(event: dt.date, period: Period, direction: str) -> dt.date:
    """The named day moved by the period (§§ 2-4), before any working-day rule."""
    return _shift(event, period.unit, period.count, direction)


def _shift(event: dt.date, unit: str, count: int, direction: str) -> dt.date:
    count = count if direction == "after" else -count
    match unit:
        case "days":
            return event + dt.timedelta(days=count)
        case "weeks":
            return event + dt.timedelta(weeks=count)
        case "months":
            # relativedelta clamps to the month's last day, which is exactly § 3.
            return event + relativedelta(months=count)
        case _:
            return event + relativedelta(years=count)


@lru_cache(maxsize=8192)
def last_day(event: dt.date, limit: Limit) -> dt.date:
    """The last day to act, as a real calendar date."""
    day = _shift(event, limit.unit, limit.amount, limit.direction)
    return next_working_day(day) if limit.working_day_rule else day


@lru_cache(maxsize=8192)
def first_day(event: dt.date, limit: Limit) -> dt.date:
    """The first day something can be done. The working-day rule moves only last days, so the
    opening day is not shifted."""
    return _shift(event, limit.unit, limit.amount, limit.direction)


def due_date(event: dt.date, deadline: Deadline) -> dt.date:
    return last_day(event, Limit.of(deadline))


def opening_date(event: dt.date, earliest: CountedDay) -> dt.date:
    return first_day(event, Limit.of(earliest))
