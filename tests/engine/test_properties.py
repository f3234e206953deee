"""Properties that hold for any valid answers (hypothesis)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from api.engine.model import TIMING_ORDER
from api.engine.plan import Plan
from api.engine.planner import Planner
from tests.strategies import answers, reference

DATES = st.one_of(st.none(), st.dates(dt.date(2020, 1, 1), dt.date(2035, 12, 31)))


def check_plan_properties(
    planner: Planner,
    slug: str,
    given_answers: dict[str, Any],
    event_date: dt.date | None,
    today: dt.date | None,
) -> Plan:
    plan = planner.plan(slug, given_answers, event_date=event_date, today=today, lang="en")
    # The same inputs give the same plan.
    assert plan == planner.plan(slug, given_answers, event_date=event_date, today=today, lang="en")
    steps = plan.all_steps()
    keys = [s.key for s in steps]
    # No step appears twice.
    assert len(keys) == len(set(keys))
    # Every step's condition holds for the answers, or depends on "not sure" and says so.
    questions = planner.questions
    for step in steps:
        definition = next(s for s in planner.journey(step.journey).steps if s.id == step.id)
        own = step.journey == slug
        context = {**given_answers, "event_date": event_date if own else None}
        outcome = reference(definition.when, context, questions)
        assert outcome in ("true", "unsure"), (step.key, outcome)
        if step.journey == slug:
            assert step.check == (outcome == "unsure"), step.key
    # Every step of the journey itself whose condition holds is in the plan.
    for definition in planner.journey(slug).steps:
        context = {**given_answers, "event_date": event_date}
        if reference(definition.when, context, questions) == "true":
            assert f"{slug}/{definition.id}" in keys, definition.id
    # Timing never goes backwards, and "comes after" is respected.
    for part in (plan.steps, plan.automatic):
        ranks = [TIMING_ORDER[s.timing] for s in part]
        assert ranks == sorted(ranks)
    position = {key: index for index, key in enumerate(keys)}
    for step in steps:
        definition = next(s for s in planner.journey(step.journey).steps if s.id == step.id)
        for ref in definition.after:
            before = ref if "/" in ref else f"{step.journey}/{ref}"
            if before in position and _same_list(plan, before, step.key):
                assert position[before] < position[step.key], (before, step.key)
    # Dates: due dates exist only with an event date; overdue only with today and a past date.
    for step in steps:
        assert (step.due is not None) <= (event_date is not None)
        assert step.overdue == bool(step.due and today and step.due < today)
    return plan


def _same_list(plan: Plan, a: str, b: str) -> bool:
    automatic = {s.key for s in plan.automatic}
    return (a in automatic) == (b in automatic)


@settings(max_examples=300, deadline=None)
@given(data=st.data(), event_date=DATES, today=DATES)
def test_plans_for_any_answers_keep_their_promises(
    planner: Planner, data: st.DataObject, event_date: dt.date | None, today: dt.date | None
) -> None:
    given_answers = data.draw(answers(planner, "trip"))
    check_plan_properties(planner, "trip", given_answers, event_date, today)
