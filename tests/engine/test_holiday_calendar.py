"""The working-day calendar of 2026-2030, pinned to a list checked by hand.

A deadline that ends on a day off moves to the next working day (Act on the calculation of
statutory time limits 150/1930, § 5, https://www.finlex.fi/fi/laki/ajantasa/1930/19300150):
Saturdays, Sundays, the public holidays (New Year's Day, Epiphany, Good Friday, Easter Sunday and
Monday, Ascension Day, Whitsun, Midsummer Day, All Saints' Day, Christmas Day, Boxing Day),
Independence Day, May Day, Christmas Eve and Midsummer Eve. Polku takes these days from the
`holidays` library, so an upgrade of it could move a deadline without any other test noticing.
The dates below were written out by hand, not by that library: Easter from the Gregorian computus
(5 Apr 2026, 28 Mar 2027, 16 Apr 2028, 1 Apr 2029, 21 Apr 2030, also checked against published
tables), Midsummer Eve the Friday between 19 and 25 June, Midsummer Day and All Saints' Day the
Saturdays between 20 and 26 June and between 31 October and 6 November.
"""

from __future__ import annotations

import datetime as dt

import pytest

from api.engine.deadlines import is_working_day

D = dt.date
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

# (date, its weekday as written on the calendar, the day)
DAYS_OFF: list[tuple[dt.date, str, str]] = [
    (D(2026, 1, 1), "Thu", "New Year's Day"),
    (D(2026, 1, 6), "Tue", "Epiphany"),
    (D(2026, 4, 3), "Fri", "Good Friday"),
    (D(2026, 4, 5), "Sun", "Easter Sunday"),
    (D(2026, 4, 6), "Mon", "Easter Monday"),
    (D(2026, 5, 1), "Fri", "May Day"),
    (D(2026, 5, 14), "Thu", "Ascension Day"),
    (D(2026, 5, 24), "Sun", "Whitsun"),
    (D(2026, 6, 19), "Fri", "Midsummer Eve"),
    (D(2026, 6, 20), "Sat", "Midsummer Day"),
    (D(2026, 10, 31), "Sat", "All Saints' Day"),
    (D(2026, 12, 6), "Sun", "Independence Day"),
    (D(2026, 12, 24), "Thu", "Christmas Eve"),
    (D(2026, 12, 25), "Fri", "Christmas Day"),
    (D(2026, 12, 26), "Sat", "Boxing Day"),
    (D(2027, 1, 1), "Fri", "New Year's Day"),
    (D(2027, 1, 6), "Wed", "Epiphany"),
    (D(2027, 3, 26), "Fri", "Good Friday"),
    (D(2027, 3, 28), "Sun", "Easter Sunday"),
    (D(2027, 3, 29), "Mon", "Easter Monday"),
    (D(2027, 5, 1), "Sat", "May Day"),
    (D(2027, 5, 6), "Thu", "Ascension Day"),
    (D(2027, 5, 16), "Sun", "Whitsun"),
    (D(2027, 6, 25), "Fri", "Midsummer Eve"),
    (D(2027, 6, 26), "Sat", "Midsummer Day"),
    (D(2027, 11, 6), "Sat", "All Saints' Day"),
    (D(2027, 12, 6), "Mon", "Independence Day"),
    (D(2027, 12, 24), "Fri", "Christmas Eve"),
    (D(2027, 12, 25), "Sat", "Christmas Day"),
    (D(2027, 12, 26), "Sun", "Boxing Day"),
    (D(2028, 1, 1), "Sat", "New Year's Day"),
    (D(2028, 1, 6), "Thu", "Epiphany"),
    (D(2028, 4, 14), "Fri", "Good Friday"),
    (D(2028, 4, 16), "Sun", "Easter Sunday"),
    (D(2028, 4, 17), "Mon", "Easter Monday"),
    (D(2028, 5, 1), "Mon", "May Day"),
    (D(2028, 5, 25), "Thu", "Ascension Day"),
    (D(2028, 6, 4), "Sun", "Whitsun"),
    (D(2028, 6, 23), "Fri", "Midsummer Eve"),
    (D(2028, 6, 24), "Sat", "Midsummer Day"),
    (D(2028, 11, 4), "Sat", "All Saints' Day"),
    (D(2028, 12, 6), "Wed", "Independence Day"),
    (D(2028, 12, 24), "Sun", "Christmas Eve"),
    (D(2028, 12, 25), "Mon", "Christmas Day"),
    (D(2028, 12, 26), "Tue", "Boxing Day"),
    (D(2029, 1, 1), "Mon", "New Year's Day"),
    (D(2029, 1, 6), "Sat", "Epiphany"),
    (D(2029, 3, 30), "Fri", "Good Friday"),
    (D(2029, 4, 1), "Sun", "Easter Sunday"),
    (D(2029, 4, 2), "Mon", "Easter Monday"),
    (D(2029, 5, 1), "Tue", "May Day"),
    (D(2029, 5, 10), "Thu", "Ascension Day"),
    (D(2029, 5, 20), "Sun", "Whitsun"),
    (D(2029, 6, 22), "Fri", "Midsummer Eve"),
    (D(2029, 6, 23), "Sat", "Midsummer Day"),
    (D(2029, 11, 3), "Sat", "All Saints' Day"),
    (D(2029, 12, 6), "Thu", "Independence Day"),
    (D(2029, 12, 24), "Mon", "Christmas Eve"),
    (D(2029, 12, 25), "Tue", "Christmas Day"),
    (D(2029, 12, 26), "Wed", "Boxing Day"),
    (D(2030, 1, 1), "Tue", "New Year's Day"),
    (D(2030, 1, 6), "Sun", "Epiphany"),
    (D(2030, 4, 19), "Fri", "Good Friday"),
    (D(2030, 4, 21), "Sun", "Easter Sunday"),
    (D(2030, 4, 22), "Mon", "Easter Monday"),
    (D(2030, 5, 1), "Wed", "May Day"),
    (D(2030, 5, 30), "Thu", "Ascension Day"),
    (D(2030, 6, 9), "Sun", "Whitsun"),
    (D(2030, 6, 21), "Fri", "Midsummer Eve"),
    (D(2030, 6, 22), "Sat", "Midsummer Day"),
    (D(2030, 11, 2), "Sat", "All Saints' Day"),
    (D(2030, 12, 6), "Fri", "Independence Day"),
    (D(2030, 12, 24), "Tue", "Christmas Eve"),
    (D(2030, 12, 25), "Wed", "Christmas Day"),
    (D(2030, 12, 26), "Thu", "Boxing Day"),
]
YEARS = range(2026, 2031)


def test_the_checked_list_has_the_fifteen_days_of_the_act_in_every_year() -> None:
    # Guards the list itself: a typo in a date shows up here or in the weekday check below.
    for year in YEARS:
        names = [name for day, _, name in DAYS_OFF if day.year == year]
        assert len(names) == len(set(names)) == 15, year


@pytest.mark.parametrize(("day", "weekday", "name"), DAYS_OFF, ids=lambda v: str(v))
def test_each_listed_holiday_and_eve_is_a_day_off(day: dt.date, weekday: str, name: str) -> None:
    assert WEEKDAYS[day.weekday()] == weekday, f"the list has the wrong weekday for {name}"
    assert not is_working_day(day), f"{name} {day} counts as a working day"


@pytest.mark.parametrize("year", YEARS)
def test_the_weekdays_off_of_a_year_are_exactly_the_listed_ones(year: int) -> None:
    listed = {day: name for day, _, name in DAYS_OFF if day.year == year and day.weekday() < 5}
    every_day = (D(year, 1, 1) + dt.timedelta(days=n) for n in range(366))
    weekdays = [day for day in every_day if day.year == year and day.weekday() < 5]
    off = {day for day in weekdays if not is_working_day(day)}
    assert sorted(off - listed.keys()) == [], "days off that the Act does not name"
    assert sorted(listed.keys() - off) == [], "days the Act names that count as working days"
