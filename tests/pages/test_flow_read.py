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
    assert state.errors == {"where": "unknown_option"}
    assert state.event_date is None
    assert state.event_date_error


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
    assert state.errors == {"where": "out_of_range", "people": "out_of_range"}
    assert state.event_date is None
    assert state.event_date_error
    assert state.plan.questions  # planned with what was left
