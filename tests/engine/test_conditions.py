"""Every condition operator, in four-valued logic, on made-up journeys."""

from __future__ import annotations

from typing import Any

import pytest

from tests.engine.conftest import Build, choice, journey, planned, question, step

QUESTIONS = [
    choice("colour", "red", "green", "blue", not_sure=True),
    {
        **question("extras", "multiple"),
        "options": [{"id": o, "label": {"fi": o, "sv": o, "en": o}} for o in ("a", "b", "c")],
    },
    question("ok", "yes_no", not_sure=True),
    question("count", "number", minimum=0, maximum=100),
    question("born", "date"),
]


def applies(build: Build, condition: dict[str, Any], answers: dict[str, Any]) -> str:
    """'yes', 'check' (depends on 'not sure') or 'no' for a step with the condition."""
    result = build(
        journey(
            questions=QUESTIONS,
            steps=[
                step("s", when=condition),
                step(
                    "all-five",
                    when={"all": [{"question": q["id"], "answered": True} for q in QUESTIONS]},
                ),
            ],
        )
    )
    plan = planned(result).plan("j", answers)
    found = [s for s in plan.steps if s.id == "s"]
    return "no" if not found else ("check" if found[0].check else "yes")


@pytest.mark.parametrize(
    ("condition", "answers", "expected"),
    [
        ({"question": "colour", "equals": "red"}, {"colour": "red"}, "yes"),
        ({"question": "colour", "equals": "red"}, {"colour": "blue"}, "no"),
        ({"question": "colour", "equals": "red"}, {"colour": "not_sure"}, "check"),
        ({"question": "colour", "one_of": ["red", "green"]}, {"colour": "green"}, "yes"),
        ({"question": "colour", "one_of": ["red", "green"]}, {"colour": "blue"}, "no"),
        ({"question": "extras", "includes": "b"}, {"extras": ["a", "b"]}, "yes"),
        ({"question": "extras", "includes": "b"}, {"extras": ["a"]}, "no"),
        ({"question": "extras", "includes": "b"}, {"extras": []}, "no"),
        ({"question": "extras", "one_of": ["b", "c"]}, {"extras": ["c"]}, "yes"),
        ({"question": "extras", "one_of": ["b", "c"]}, {"extras": ["a"]}, "no"),
        ({"question": "ok", "equals": "yes"}, {"ok": "yes"}, "yes"),
        ({"question": "ok", "equals": "no"}, {"ok": "yes"}, "no"),
        ({"question": "ok", "answered": True}, {"ok": "no"}, "yes"),
        ({"question": "ok", "answered": True}, {"ok": "not_sure"}, "check"),
        ({"question": "count", "less_than": 3}, {"count": 2}, "yes"),
        ({"question": "count", "less_than": 3}, {"count": 3}, "no"),
        ({"question": "count", "at_most": 3}, {"count": 3}, "yes"),
        ({"question": "count", "at_most": 3}, {"count": 4}, "no"),
        ({"question": "count", "more_than": 3}, {"count": 4}, "yes"),
        ({"question": "count", "more_than": 3}, {"count": 3}, "no"),
        ({"question": "count", "at_least": 3}, {"count": 3}, "yes"),
        ({"question": "count", "at_least": 3}, {"count": 2}, "no"),
        ({"question": "count", "equals": 7}, {"count": 7}, "yes"),
        ({"question": "born", "before": "1975-01-01"}, {"born": "1974-12-31"}, "yes"),
        ({"question": "born", "before": "1975-01-01"}, {"born": "1975-01-01"}, "no"),
        ({"question": "born", "on_or_before": "1975-01-01"}, {"born": "1975-01-01"}, "yes"),
        ({"question": "born", "after": "1975-01-01"}, {"born": "1975-01-02"}, "yes"),
        ({"question": "born", "after": "1975-01-01"}, {"born": "1975-01-01"}, "no"),
        ({"question": "born", "on_or_after": "1975-01-01"}, {"born": "1975-01-01"}, "yes"),
        ({"question": "born", "on_or_after": "1975-01-01"}, {"born": "1974-01-01"}, "no"),
    ],
)
def test_each_comparison(
    build: Build, condition: dict[str, Any], answers: dict[str, Any], expected: str
) -> None:
    assert applies(build, condition, answers) == expected


RED = {"question": "colour", "equals": "red"}
OK = {"question": "ok", "equals": "yes"}


@pytest.mark.parametrize(
    ("condition", "answers", "expected"),
    [
        ({"all": [RED, OK]}, {"colour": "red", "ok": "yes"}, "yes"),
        ({"all": [RED, OK]}, {"colour": "red", "ok": "no"}, "no"),
        ({"all": [RED, OK]}, {"colour": "red", "ok": "not_sure"}, "check"),
        ({"all": [RED, OK]}, {"colour": "blue", "ok": "not_sure"}, "no"),
        ({"any": [RED, OK]}, {"colour": "blue", "ok": "yes"}, "yes"),
        ({"any": [RED, OK]}, {"colour": "blue", "ok": "no"}, "no"),
        ({"any": [RED, OK]}, {"colour": "blue", "ok": "not_sure"}, "check"),
        ({"any": [RED, OK]}, {"colour": "red", "ok": "not_sure"}, "yes"),
        ({"not": RED}, {"colour": "blue"}, "yes"),
        ({"not": RED}, {"colour": "red"}, "no"),
        ({"not": RED}, {"colour": "not_sure"}, "check"),
        ({"not": {"any": [RED, OK]}}, {"colour": "blue", "ok": "no"}, "yes"),
    ],
)
def test_all_any_and_not(
    build: Build, condition: dict[str, Any], answers: dict[str, Any], expected: str
) -> None:
    answers = {"extras": [], "count": 1, "born": "2000-01-01", **answers}
    answers.setdefault("ok", "no")
    assert applies(build, condition, answers) == expected


def test_a_condition_on_an_unanswered_question_waits(build: Build) -> None:
    result = build(journey(questions=QUESTIONS[:1], steps=[step("s", when=RED)]))
    plan = planned(result).plan("j", {})
    assert plan.steps == ()
    assert [q.id for q in plan.questions] == ["colour"]


def test_a_condition_on_a_question_that_is_not_asked_is_false(build: Build) -> None:
    questions = [choice("colour", "red", "blue"), choice("shade", "dark", "light", asked_when=RED)]
    dark = {"question": "shade", "equals": "dark"}
    result = build(
        journey(
            questions=questions,
            steps=[step("dark", when=dark), step("not-dark", when={"not": dark})],
        )
    )
    plan = planned(result).plan("j", {"colour": "blue", "shade": "dark"})
    # The stale answer to 'shade' does not count: 'shade' is not asked of someone who said blue.
    assert [s.id for s in plan.steps] == ["not-dark"]
    assert plan.answered == ("colour",)
