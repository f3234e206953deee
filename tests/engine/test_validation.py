"""Cross-file checks: shared questions, broken neighbours, unused and duplicate questions."""

from __future__ import annotations

from api.engine import model as m
from api.engine.check import CheckResult, affected_by, check_catalogue
from api.engine.validate import validate
from tests.engine.conftest import Build, choice, errors, journey, step


def test_a_reference_to_a_journey_that_failed_to_load_says_so(build: Build) -> None:
    broken = journey("b")
    del broken["title"]
    chain = {"journey": "b", "mode": "include", "reason": {"fi": "x", "sv": "x", "en": "x"}}
    result = build(journey("a", chains=[chain]), broken)
    assert errors(result) == [
        "a.yaml: chains[0].journey: the journey 'b' cannot be used until the problems in its "
        "file are fixed",
        "b.yaml: title: 'title' is required here",
    ]


def test_a_shared_question_needs_the_questions_it_depends_on(build: Build) -> None:
    shared = [
        choice("country", "fi", "se"),
        choice("city", "a", "b", asked_when={"question": "country", "equals": "fi"}),
    ]
    uses_city = step("s", when={"question": "city", "equals": "a"})
    result = build(
        journey(questions=[{"shared": "city"}], steps=[uses_city]), shared_questions=shared
    )
    assert errors(result) == [
        "j.yaml: questions[0]: the shared question 'city' is asked only when 'country' is "
        "answered, but this journey does not ask 'country': add '- shared: country' before it"
    ]


def test_a_shared_question_may_depend_only_on_shared_questions(build: Build) -> None:
    shared = [choice("city", "a", "b", asked_when={"question": "nowhere", "equals": "x"})]
    result = build(journey(), shared_questions=shared)
    assert errors(result) == [
        "shared/questions.yaml: questions[0].asked_when.question: unknown question 'nowhere': "
        "a shared question can only depend on other shared questions"
    ]


def with_colour(slug: str, *options: str) -> dict[str, object]:
    return journey(
        slug,
        questions=[choice("colour", *(options or ("red", "blue")))],
        steps=[step("s", when={"question": "colour", "equals": "red"})],
    )


def test_a_question_defined_the_same_in_two_journeys_is_one_question(build: Build) -> None:
    assert errors(build(with_colour("a"), with_colour("b"))) == []


def test_a_question_id_with_two_definitions_is_reported_in_the_newer_file(build: Build) -> None:
    clash = (
        "questions[0].id: the question id 'colour' is already defined differently in {}; "
        "answers are keyed by the id, so give this question another id, make the two "
        "definitions the same, or define it once in shared/questions.yaml and share it"
    )
    # Documents come oldest first (as read_directory orders files): the later one is blamed,
    # whatever its name.
    result = build(with_colour("b"), with_colour("a", "red", "green"))
    assert errors(result) == ["a.yaml: " + clash.format("b.yaml")]
    result = build(with_colour("a", "red", "green"), with_colour("b"))
    assert errors(result) == ["b.yaml: " + clash.format("a.yaml")]


def test_a_draft_brings_the_clash_it_introduces(build: Build) -> None:
    catalogue = build(with_colour("b"), with_colour("a")).catalogue
    draft = m.Journey.model_validate(with_colour("b", "red", "green"))
    problems = [str(p) for p in validate(catalogue.with_journey(draft)) if p.kind != "coverage"]
    assert problems == [
        "b.yaml: questions[0].id: the question id 'colour' is already defined differently in "
        "a.yaml; answers are keyed by the id, so give this question another id, make the two "
        "definitions the same, or define it once in shared/questions.yaml and share it"
    ]


def test_a_step_after_itself_gets_one_message(build: Build) -> None:
    result = build(journey(steps=[step("a", after=["a"])]))
    assert errors(result) == ["j.yaml: steps[0].after[0]: a step cannot come after itself"]


def test_every_circle_in_comes_after_is_reported(build: Build) -> None:
    steps = [
        step("a", after=["b"]),
        step("b", after=["a"]),
        step("c", after=["e"]),
        step("d", after=["c"]),
        step("e", after=["d"]),
        step("f", after=["a"]),
    ]
    result = build(journey(steps=steps))
    assert errors(result) == [
        "j.yaml: steps[0].after: steps cannot come after each other in a circle: j/a -> j/b -> j/a",
        "j.yaml: steps[2].after: steps cannot come after each other in a circle: "
        "j/c -> j/e -> j/d -> j/c",
    ]


def test_a_change_to_a_journey_affects_those_that_chain_to_it_or_order_after_its_steps(
    checked: CheckResult,
) -> None:
    # trip includes paperwork and tidy and suggests holiday; paperwork and tidy include common;
    # a paperwork step comes after trip/unpack. Erring on the safe side, whatever refers to an
    # affected journey is affected too.
    catalogue = checked.catalogue
    assert affected_by(catalogue, "common") == {"common", "paperwork", "tidy", "trip"}
    assert affected_by(catalogue, "holiday") == {"holiday", "trip", "paperwork"}
    assert affected_by(catalogue, "trip") == {"trip", "paperwork"}
    assert affected_by(catalogue, "tidy") == {"tidy", "trip", "paperwork"}


def test_steps_ordered_after_another_journeys_step_make_that_journey_affect_them(
    build: Build,
) -> None:
    later = step("later", after=["a/first"])
    result = build(journey("a", steps=[step("first")]), journey("b", steps=[later]))
    assert affected_by(result.catalogue, "a") == {"a", "b"}


def test_scenarios_run_only_for_the_journeys_asked_for(checked: CheckResult) -> None:
    only = check_catalogue(checked.catalogue, [], scenarios_of={"holiday"})
    assert set(only.scenarios_run) == {"holiday"}
    assert set(check_catalogue(checked.catalogue, []).scenarios_run) == set(
        checked.catalogue.journeys
    )
