"""Hypothesis strategies for answers to any journey, and an independent reference evaluator of
conditions to check the engine against."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from hypothesis import strategies as st

from api.engine.model import EVENT_DATE, NOT_SURE, Condition, Question, QuestionType
from api.engine.planner import Planner


def answer_for(question: Question) -> st.SearchStrategy[Any]:
    options = [o.id for o in question.options] or ["yes", "no"]
    match question.type:
        case QuestionType.choice | QuestionType.yes_no:
            value: st.SearchStrategy[Any] = st.sampled_from(options)
        case QuestionType.multiple:
            value = st.lists(st.sampled_from(options), unique=True)
        case QuestionType.date:
            low = question.minimum if isinstance(question.minimum, dt.date) else dt.date(1900, 1, 1)
            high = (
                question.maximum if isinstance(question.maximum, dt.date) else dt.date(2100, 1, 1)
            )
            value = st.dates(low, high).map(dt.date.isoformat)
        case _:
            low_n = question.minimum if isinstance(question.minimum, int | float) else -1000
            high_n = question.maximum if isinstance(question.maximum, int | float) else 1000
            value = st.integers(int(low_n), int(high_n))
    return st.one_of(value, st.just(NOT_SURE)) if question.not_sure else value


@st.composite
def answers(draw: st.DrawFn, planner: Planner, slug: str) -> dict[str, Any]:
    """Any valid answers to any subset of a journey's questions."""
    out: dict[str, Any] = {}
    for qid, question in planner.universe(slug).items():
        if draw(st.booleans()) or draw(st.booleans()):
            out[qid] = draw(answer_for(question))
    return out


# The reference evaluator returns "true", "false", "unsure" or "pending", written from the rules
# in journeys/README.md rather than from the engine's code.
def reference(
    condition: Condition | None, answers: Mapping[str, Any], questions: Mapping[str, Question]
) -> str:
    if condition is None:
        return "true"
    if condition.all is not None:
        results = [reference(c, answers, questions) for c in condition.all]
        for outcome in ("false", "pending", "unsure"):
            if outcome in results:
                return outcome
        return "true"
    if condition.any is not None:
        results = [reference(c, answers, questions) for c in condition.any]
        for outcome in ("true", "unsure", "pending"):
            if outcome in results:
                return outcome
        return "false"
    if condition.not_ is not None:
        inner = reference(condition.not_, answers, questions)
        return {"true": "false", "false": "true"}.get(inner, inner)
    qid = condition.question
    assert qid is not None
    if qid == EVENT_DATE:  # the event date: "unsure" when not given
        if answers.get(EVENT_DATE) is None:
            return "unsure"
        asked = "true"
    else:
        asked = reference(questions[qid].asked_when, answers, questions)
    if asked == "false":
        return "false"
    if asked == "pending" or qid not in answers:
        return "pending"
    answer = answers[qid]
    if answer == NOT_SURE:
        return "unsure"
    if isinstance(answer, str) and (qid == EVENT_DATE or questions[qid].type is QuestionType.date):
        answer = dt.date.fromisoformat(answer)
    name = condition.comparison
    wanted = getattr(condition, name)
    holds = {
        "equals": lambda: answer == wanted,
        "one_of": lambda: (
            bool(set(answer) & set(wanted)) if isinstance(answer, list) else answer in wanted
        ),
        "includes": lambda: wanted in answer,
        "answered": lambda: True,
        "less_than": lambda: answer < wanted,
        "at_most": lambda: answer <= wanted,
        "more_than": lambda: answer > wanted,
        "at_least": lambda: answer >= wanted,
        "before": lambda: answer < wanted,
        "on_or_before": lambda: answer <= wanted,
        "after": lambda: answer > wanted,
        "on_or_after": lambda: answer >= wanted,
    }[name]()
    return "true" if holds else "false"
