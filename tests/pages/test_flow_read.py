"""Reading the answers in an address (api/pages/flow.py) on the engine's made-up fixture
journeys: whatever is refused is dropped and remembered, and a plan is always made."""

from __future__ import annotations

import datetime as dt
from typing import Any

from api.engine.answers import AnswerProblem, AnswersRefused
from api.engine.check import check_directory
from api.engine.plan import Plan
from api.engine.planner import Planner
from api.pages import flow
from tests.engine.conftest import CATALOGUE


def _planner() -> Planner:
    result = check_directory(CATALOGUE)
    assert result.planner is not None
    return result.planner


def test_an_invalid_answer_with_an_event_date_outside_the_calendar_still_plans() -> None:
    state = flow.read(_planner(), "trip", [("where", "moon"), ("event_date", "9999-12-31")], "en")
    assert state.errors == {"where": "unknown_option", "event_date": "out_of_range"}
    assert state.event_date is None
    assert state.event_date_error
    assert not state.date_given  # so the flow asks for the date again
    assert state.typed["event_date"] == {"day": "31", "month": "12", "year": "9999"}


class _OneProblemAtATime:
    """A planner that refuses one thing per call, as an engine that stops at the first
    problem would."""

    def __init__(self, real: Planner) -> None:
        self.real = real
        self.universe = real.universe

    def plan(self, slug: str, answers: dict[str, Any], **kwargs: Any) -> Plan:
        for qid in ("where", "people"):
            if qid in answers:
                raise AnswersRefused([AnswerProblem(qid, "out_of_range", "refused")])
        if kwargs.get("event_date") is not None:
            raise AnswersRefused([AnswerProblem("event_date", "out_of_range", "refused")])
        return self.real.plan(slug, answers, **kwargs)


def test_reading_keeps_dropping_what_is_refused_until_a_plan_is_made() -> None:
    planner: Any = _OneProblemAtATime(_planner())
    items = [("where", "far"), ("people", "3"), ("event_date", dt.date(2027, 1, 1).isoformat())]
    state = flow.read(planner, "trip", items, "en")
    assert state.errors == {
        "where": "out_of_range",
        "people": "out_of_range",
        "event_date": "out_of_range",
    }
    assert state.event_date is None
    assert state.event_date_error
    assert state.plan.questions  # planned with what was left


def test_what_was_typed_is_kept_for_every_answer_refused() -> None:
    items = [
        ("where", "home"),
        ("people", "99"),  # over the maximum of 20
        ("born.day", "30"),
        ("born.month", "2"),
        ("born.year", "1990"),  # no 30 February
        ("event_date.day", "1"),
        ("event_date.month", "13"),
        ("event_date.year", "2027"),
    ]
    state = flow.read(_planner(), "trip", items, "en")
    assert state.errors == {"people": "out_of_range", "born": "date", "event_date": "date"}
    assert state.typed == {
        "people": "99",
        "born": {"day": "30", "month": "2", "year": "1990"},
        "event_date": {"day": "1", "month": "13", "year": "2027"},
    }
    assert state.answers == {"where": "home"}


def test_the_event_date_is_a_date_or_not_known_yet() -> None:
    planner = _planner()
    given = flow.read(planner, "trip", [("event_date", "2027-01-10")], "en")
    unknown = flow.read(planner, "trip", [("event_date", flow.UNKNOWN_DATE)], "en")
    neither = flow.read(planner, "trip", [], "en")
    assert (given.date_given, given.event_date) == (True, dt.date(2027, 1, 10))
    assert (unknown.date_given, unknown.event_date) == (True, None)
    assert (neither.date_given, neither.event_date) == (False, None)
    assert "event_date=unknown" in unknown.query()
    assert "event_date" not in neither.query()
    assert neither.pending[-1] == "event_date"  # asked after the journey's own questions
    assert "event_date" not in given.pending + unknown.pending
    # A date typed in wins over "I don't know yet" ticked beside it.
    both = [("event_date", "unknown"), ("event_date.day", "2"), ("event_date.month", "3")]
    both.append(("event_date.year", "2027"))
    assert flow.read(planner, "trip", both, "en").event_date == dt.date(2027, 3, 2)
