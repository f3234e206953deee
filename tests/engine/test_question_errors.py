"""A question's own error messages in its journey file: checked like every other text."""

from __future__ import annotations

from typing import Any

from tests.engine.conftest import Build, choice, errors, journey, question, step


def with_question(q: dict[str, Any]) -> dict[str, Any]:
    return journey(questions=[q], steps=[step("s", when={"question": q["id"], "answered": True})])


def year(**fields: Any) -> dict[str, Any]:
    return question("born", "number", minimum=1900, maximum=2026, **fields)


def test_a_number_question_may_say_its_range_in_its_own_words(build: Build) -> None:
    own = {
        "missing": {"fi": "Anna vuosi", "sv": "Ange året", "en": "Enter the year"},
        "out_of_range": {
            "fi": "Anna vuosi väliltä {minimum}–{maximum}",
            "sv": "Ange ett år mellan {minimum} och {maximum}",
            "en": "Enter a year between {minimum} and {maximum}",
        },
    }
    assert errors(build(with_question(year(errors=own)))) == []


def test_only_the_questions_own_limits_can_be_filled_in(build: Build) -> None:
    wrong = {"out_of_range": {"fi": "Vuosi {min}", "sv": "År {maximum}", "en": "Year {"}}
    found = errors(build(with_question(year(errors=wrong))))
    assert len(found) == 2
    assert all("errors.out_of_range" in p and "{minimum} and {maximum}" in p for p in found)
    assert any(".fi" in p for p in found)
    assert any(".en" in p for p in found)


def test_a_choice_has_no_invalid_or_out_of_range_answer(build: Build) -> None:
    q = choice("where", "home", "away", errors={"invalid": {"fi": "Väärin"}})
    found = errors(build(with_question(q)))
    assert any("errors.invalid" in p and "only date and number questions" in p for p in found)


def test_a_missing_translation_of_an_error_text_is_reported(build: Build) -> None:
    result = build(with_question(year(errors={"missing": {"fi": "Anna vuosi"}})))
    missing = [p for p in result.problems if p.kind == "translation"]
    assert {p.path[-2:] for p in missing} == {("missing", "sv"), ("missing", "en")}


def test_a_range_error_needs_a_range(build: Build) -> None:
    q = question("n", "number", errors={"out_of_range": {"fi": "x", "sv": "x", "en": "x"}})
    assert any("no minimum or maximum" in p for p in errors(build(with_question(q))))
