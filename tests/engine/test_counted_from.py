"""A limit counted from another day than the event date: the answer to a date question (the day of
an estate inventory meeting), dated only once the person gives that day."""

from __future__ import annotations

import datetime as dt

from tests.engine.conftest import Build, errors, journey, planned, question, step, text

COUNTED_FROM = {
    "question": "meeting_day",
    "after": text("after the meeting"),
    "before": text("before the meeting"),
}


def with_meeting(**deadline: object) -> dict[str, object]:
    return journey(
        questions=[question("meeting_day", "date")],
        steps=[
            step(
                "send-deed",
                deadline={
                    "after": {"months": 1},
                    "counted_from": COUNTED_FROM,
                    "source": "rule",
                    "working_day_rule": False,
                    **deadline,
                },
            )
        ],
    )


def test_the_date_comes_from_the_answer_and_the_rule_names_that_day(build: Build) -> None:
    planner = planned(build(with_meeting()))
    [given] = planner.plan(
        "j", {"meeting_day": "2027-03-15"}, event_date=dt.date(2027, 1, 2), lang="en"
    ).steps
    assert given.due == dt.date(2027, 4, 15)
    assert given.deadline_rule == "within 1 month after the meeting"
    # Without the event date too: the day it is counted from is the meeting.
    assert planner.plan("j", {"meeting_day": "2027-03-15"}).steps[0].due == dt.date(2027, 4, 15)


def test_without_the_answer_there_is_no_date_only_the_rule(build: Build) -> None:
    planner = planned(build(with_meeting()))
    [given] = planner.plan("j", {}, event_date=dt.date(2027, 1, 2), lang="fi").steps
    assert given.due is None
    assert given.deadline_rule == "viimeistään 1 kuukausi after the meeting fi"


def test_the_question_must_be_a_date_question_of_the_journey(build: Build) -> None:
    unknown = with_meeting(counted_from={**COUNTED_FROM, "question": "nowhere"})
    assert errors(build(unknown)) == [
        "j.yaml: questions[0]: no step, chain or question depends on 'meeting_day': asking it "
        "wastes the person's time; use it in a condition or remove it",
        "j.yaml: steps[0].deadline.counted_from.question: unknown question 'nowhere': a limit "
        "is counted from the answer to a date question this journey asks (leave counted_from "
        "out to count from the event date)",
    ]
    number = with_meeting()
    number["questions"] = [question("meeting_day", "number")]
    assert errors(build(number)) == [
        "j.yaml: steps[0].deadline.counted_from.question: 'meeting_day' is not a date "
        "question: a limit needs a date"
    ]
