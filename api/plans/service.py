"""Making a plan for a request: answers from JSON or from a query string, today's date in
Finland, and engine errors turned into API errors."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from api.clock import today_in_finland
from api.engine import answers as engine_answers
from api.engine.plan import Plan
from api.engine.planner import JourneyNotInCatalogue, Planner
from api.errors import InvalidAnswers, UnknownJourney

PLAN_PARAMETERS = frozenset({"lang", "event_date", "today"})


def make_plan(
    planner: Planner,
    slug: str,
    answers: Mapping[str, Any],
    *,
    event_date: dt.date | None,
    today: dt.date | None,
    lang: str,
) -> Plan:
    try:
        return planner.plan(
            slug, answers, event_date=event_date, today=today or today_in_finland(), lang=lang
        )
    except JourneyNotInCatalogue:
        raise UnknownJourney(f"there is no published journey '{slug}'") from None
    except engine_answers.AnswersRefused as exc:
        raise InvalidAnswers(exc.problems) from None


def answers_from_query(planner: Planner, slug: str, query: list[tuple[str, str]]) -> dict[str, Any]:
    """Answers keyed by question id in a query string (`?moving_to=abroad&children=yes`);
    a multiple-choice answer is comma-separated or repeated."""
    try:
        universe = planner.universe(slug)
    except JourneyNotInCatalogue:
        raise UnknownJourney(f"there is no published journey '{slug}'") from None
    values: dict[str, list[str]] = {}
    for key, value in query:
        if key not in PLAN_PARAMETERS:
            values.setdefault(key, []).append(value)
    out: dict[str, Any] = {}
    for qid, raw in values.items():
        question = universe.get(qid)
        out[qid] = engine_answers.from_text(question, raw) if question else raw[-1]
    return out
