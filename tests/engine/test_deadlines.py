"""Deadlines follow the Act on the calculation of statutory time limits (150/1930)."""

from __future__ import annotations

import datetime as dt

import pytest

from api.engine.deadlines import due_date, is_working_day, next_working_day, opening_date
from api.engine.model import CountedDay, Deadline, Journey
from api.engine.texts import TextLookup, rule_in_words

D = dt.date


def limit(direction: str = "after", working_day_rule: bool = True, **period: int) -> Deadline:
    return Deadline.model_validate(
        {direction: period, "source": "rule", "working_day_rule": working_day_rule}
    )


def test_the_named_day_is_not_counted() -> None:
    # Wednesday 6 Jan 2027 is Epiphany; counting starts the day after the named day.
    assert due_date(D(2027, 1, 11), limit(days=3)) == D(2027, 1, 14)


def test_a_week_ends_on_the_same_weekday() -> None:
    assert due_date(D(2027, 3, 3), limit(weeks=1)) == D(2027, 3, 10)


def test_a_month_ends_on_the_same_numbered_day() -> None:
    assert due_date(D(2027, 3, 15), limit(months=1)) == D(2027, 4, 15)


def test_31_january_plus_one_month_is_the_last_day_of_february() -> None:
    # 28 Feb 2026 is a Saturday, so the working-day rule then moves it to Monday 2 March.
    assert due_date(D(2026, 1, 31), limit(months=1, working_day_rule=False)) == D(2026, 2, 28)
    assert due_date(D(2026, 1, 31), limit(months=1)) == D(2026, 3, 2)


def test_a_leap_year_february_has_29_days() -> None:
    assert due_date(D(2028, 1, 31), limit(months=1)) == D(2028, 2, 29)  # Tuesday


def test_a_year_from_29_february_ends_on_28_february() -> None:
    assert due_date(D(2028, 2, 29), limit(years=1, working_day_rule=False)) == D(2029, 2, 28)


def test_counting_backwards_uses_the_same_rules() -> None:
    assert due_date(D(2027, 6, 30), limit("before", months=2)) == D(2027, 4, 30)
    # 31 May minus 3 months has no 31 February: the last day of February.
    assert due_date(D(2027, 5, 31), limit("before", months=3, working_day_rule=False)) == D(
        2027, 2, 28
    )


def test_counting_backwards_onto_a_sunday_moves_to_the_next_working_day() -> None:
    # 14 March 2027 is a Sunday.
    assert due_date(D(2027, 3, 21), limit("before", weeks=1)) == D(2027, 3, 15)


@pytest.mark.parametrize(
    ("named_day", "period", "expected", "why"),
    [
        (D(2027, 3, 3), {"days": 3}, D(2027, 3, 8), "Saturday 6 March -> Monday"),
        (D(2027, 3, 4), {"days": 3}, D(2027, 3, 8), "Sunday 7 March -> Monday"),
        (D(2027, 3, 22), {"weeks": 1}, D(2027, 3, 30), "Easter Monday 29 March -> Tuesday"),
        (D(2027, 3, 19), {"weeks": 1}, D(2027, 3, 30), "Good Friday 26 March -> Tuesday"),
        (D(2026, 4, 1), {"months": 1}, D(2026, 5, 4), "May Day, Friday 1 May 2026 -> Monday"),
        (D(2026, 5, 19), {"months": 1}, D(2026, 6, 22), "Midsummer Eve, Friday 19 June 2026"),
        (D(2027, 11, 6), {"months": 1}, D(2027, 12, 7), "Independence Day, Monday 6 Dec 2027"),
        (D(2026, 12, 17), {"weeks": 1}, D(2026, 12, 28), "Christmas Eve 24 Dec 2026 -> 28 Dec"),
        (D(2027, 5, 5), {"days": 1}, D(2027, 5, 7), "Ascension Day, Thursday 6 May 2027"),
        (D(2026, 12, 30), {"days": 2}, D(2027, 1, 4), "New Year's Day, Friday 1 January 2027"),
    ],
)
def test_a_deadline_on_a_day_off_moves_to_the_next_working_day(
    named_day: dt.date, period: dict[str, int], expected: dt.date, why: str
) -> None:
    assert due_date(named_day, limit(**period)) == expected, why


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (D(2027, 1, 1), "New Year's Day"),
        (D(2027, 1, 6), "Epiphany"),
        (D(2027, 3, 26), "Good Friday"),
        (D(2027, 3, 29), "Easter Monday"),
        (D(2026, 5, 1), "May Day"),
        (D(2027, 5, 6), "Ascension Day"),
        (D(2026, 6, 19), "Midsummer Eve"),
        (D(2027, 6, 25), "Midsummer Eve"),
        (D(2027, 12, 6), "Independence Day"),
        (D(2026, 12, 24), "Christmas Eve"),
        (D(2027, 12, 24), "Christmas Eve"),
        (D(2026, 12, 25), "Christmas Day"),
        (D(2027, 12, 27), "not a holiday: Monday 27 December 2027 is a working day"),
    ],
)
def test_the_days_off_of_section_5_are_known(day: dt.date, name: str) -> None:
    assert is_working_day(day) is name.startswith("not"), name


def test_a_working_day_stays_where_it_is() -> None:
    assert next_working_day(D(2027, 3, 10)) == D(2027, 3, 10)


def test_a_long_weekend_is_skipped_whole() -> None:
    # Christmas Eve (Thu) to Boxing Day (Sat) and Sunday 27 Dec 2026.
    assert next_working_day(D(2026, 12, 24)) == D(2026, 12, 28)


def test_the_working_day_rule_can_be_turned_off_for_private_limits() -> None:
    assert due_date(D(2027, 3, 3), limit(days=3, working_day_rule=False)) == D(2027, 3, 6)


def test_the_opening_day_is_not_moved() -> None:
    # "at the earliest one month before" 15 March 2026 is Sunday 15 February: it stays.
    assert opening_date(D(2026, 3, 15), limit("before", months=1)) == D(2026, 2, 15)


def test_a_last_day_on_a_weekend_moves_only_with_the_working_day_rule() -> None:
    event = D(2027, 3, 1)  # a Monday
    saturday = event + dt.timedelta(days=5)
    monday = saturday + dt.timedelta(days=2)
    assert (saturday.weekday(), monday.weekday()) == (5, 0)
    assert due_date(event, limit(days=5, working_day_rule=True)) == monday
    assert due_date(event, limit(days=5, working_day_rule=False)) == saturday
    # An opening day is never moved, whatever the deadline beside it does.
    opening = CountedDay.model_validate({"after": {"days": 5}, "source": "rule"})
    assert opening_date(event, opening) == saturday


def test_a_deadline_of_0_days_is_the_event_date_itself_and_said_so() -> None:
    # Sunday 6 Sep 2026: the day stays without the working-day rule and moves with it.
    assert due_date(D(2026, 9, 6), limit(days=0, working_day_rule=False)) == D(2026, 9, 6)
    assert due_date(D(2026, 9, 6), limit(days=0)) == D(2026, 9, 7)
    journey = Journey.model_validate(
        {
            "slug": "j",
            "kind": "life",
            "title": {"fi": "T"},
            "summary": {"fi": "S"},
            "owner": "o",
            "last_reviewed": "2026-12-01",
            "sources": [{"id": "rule", "title": {"fi": "R"}, "url": "https://law.example/"}],
            "event_date": {
                "label": {"fi": "Ensimmäinen työttömyyspäivä", "en": "First day"},
                "after": {"fi": "jälkeen", "en": "after"},
                "before": {"fi": "ennen", "en": "before"},
            },
            "steps": [{"id": "a", "kind": "task", "timing": "before", "title": {"fi": "A"},
                       "body": {"fi": "A"}}],
        }
    )  # fmt: skip
    zero = limit(days=0, working_day_rule=False)
    assert (
        rule_in_words(journey, zero, TextLookup("fi"), earliest=False)
        == "viimeistään päivänä ”Ensimmäinen työttömyyspäivä”"
    )
    assert (
        rule_in_words(journey, zero, TextLookup("en"), earliest=False)
        == "no later than the day “First day”"
    )
    with pytest.raises(ValueError, match="greater than or equal to 1"):
        limit(weeks=0)
