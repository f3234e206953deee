"""The most questions a journey asks anyone (`Planner.most_questions`), for the start page's
"at most N questions": checked against walking every answer there is on the fixture journeys,
and on made-up journeys whose longest way is known."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest

from api.engine.model import NOT_SURE, QuestionType
from api.engine.planner import Planner
from tests.engine.conftest import Build, choice, journey, planned, question, step, text

# Dates to try where a brute force cannot try them all: 1 January and 1 July every 25 years.
DATES = [dt.date(y, m, 1).isoformat() for y in range(1900, 2101, 25) for m in (1, 7)]


def every_answer(planner: Planner, qid: str) -> list[Any]:
    """Every answer the pages take to a question (numbers within their limits)."""
    q = planner.questions[qid]
    ids = ["yes", "no"] if q.type is QuestionType.yes_no else [o.id for o in q.options]
    answers: list[Any]
    if q.type is QuestionType.multiple:
        answers = [list(c) for n in range(1, len(ids) + 1) for c in itertools.combinations(ids, n)]
    elif q.type is QuestionType.number:
        answers = list(range(int(q.minimum or 0), int(q.maximum or 100) + 1))
    elif q.type is QuestionType.date:
        answers = DATES
    else:
        answers = list(ids)
    if q.not_sure and q.type is not QuestionType.multiple:
        answers.append(NOT_SURE)
    return answers


def longest_by_walking(planner: Planner, slug: str, answers: dict[str, Any]) -> int:
    plan = planner.plan(slug, answers)
    if not plan.questions:
        return len(plan.answered)
    qid = plan.questions[0].id
    return max(
        longest_by_walking(planner, slug, {**answers, qid: a}) for a in every_answer(planner, qid)
    )


def using(*qids: str) -> list[dict[str, Any]]:
    """A step for each question, so that every question is used (the check insists)."""
    return [step(f"s-{q.replace('_', '-')}", when={"question": q, "answered": True}) for q in qids]


def test_the_count_is_the_longest_way_through_every_answer_there_is(planner: Planner) -> None:
    for slug in planner.slugs:
        assert planner.most_questions(slug) == longest_by_walking(planner, slug, {}), slug


def test_questions_on_ways_that_exclude_each_other_are_not_added_up(build: Build) -> None:
    j = journey(
        questions=[
            choice("a", "x", "y"),
            question("b", "yes_no", asked_when={"question": "a", "equals": "x"}),
            question("c", "yes_no", asked_when={"question": "a", "equals": "y"}),
            question("d", "yes_no", asked_when={"question": "c", "equals": "yes"}),
        ],
        steps=using("b", "d"),
    )
    planner = planned(build(j))
    assert len(planner.universe("j")) == 4
    assert planner.most_questions("j") == 3  # a, c, d


def test_a_number_is_tried_on_both_sides_of_every_limit_compared_with(build: Build) -> None:
    j = journey(
        questions=[
            question("age", "number", minimum=0, maximum=120),
            question("adult", "yes_no", asked_when={"question": "age", "at_least": 18}),
            question("senior", "yes_no", asked_when={"question": "age", "more_than": 64}),
            question("child", "yes_no", asked_when={"question": "age", "less_than": 18}),
        ],
        steps=using("adult", "senior", "child"),
    )
    assert planned(build(j)).most_questions("j") == 3  # age, adult, senior


def test_not_sure_can_ask_both_ways_at_once(build: Build) -> None:
    j = journey(
        questions=[
            choice("a", "x", "y", not_sure=True),
            question("b", "yes_no", asked_when={"question": "a", "equals": "x"}),
            question("c", "yes_no", asked_when={"question": "a", "equals": "y"}),
        ],
        steps=using("b", "c"),
    )
    assert planned(build(j)).most_questions("j") == 3


def test_several_options_of_a_multiple_choice_can_open_several_questions(build: Build) -> None:
    j = journey(
        questions=[
            choice("m", "p", "q", "r", "s", type="multiple"),
            question("pp", "yes_no", asked_when={"question": "m", "includes": "p"}),
            question("qq", "yes_no", asked_when={"question": "m", "one_of": ["q"]}),
        ],
        steps=using("pp", "qq"),
    )
    assert planned(build(j)).most_questions("j") == 3


def test_an_included_journeys_questions_count_when_it_may_be_included(build: Build) -> None:
    outer = journey(
        "outer",
        questions=[
            choice("a", "x", "y"),
            question("only_y", "yes_no", asked_when={"question": "a", "equals": "y"}),
        ],
        chains=[
            {
                "journey": "inner",
                "mode": "include",
                "when": {"question": "a", "equals": "x"},
                "reason": text("Because"),
            }
        ],
        steps=using("only_y"),
    )
    inner = journey(
        "inner",
        questions=[question("i1", "yes_no"), question("i2", "yes_no")],
        steps=using("i1", "i2"),
    )
    planner = planned(build(outer, inner))
    assert planner.most_questions("outer") == 3  # a, i1, i2
    assert planner.most_questions("inner") == 2


@pytest.mark.parametrize("slug", ["trip", "holiday"])
def test_the_count_is_kept_once_worked_out(planner: Planner, slug: str) -> None:
    assert planner.most_questions(slug) == planner.most_questions(slug)
    assert slug in planner._most_questions
