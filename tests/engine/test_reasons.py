"""Reasons read as sentences: several answers behind one step are joined as a person would say
them ("You said A and B."), in each language, in the API's plans and the pages alike."""

from __future__ import annotations

import pytest

from api.engine.check import check_directory
from api.engine.phrases import and_list
from api.engine.planner import Planner
from tests.conftest import JOURNEYS

ABROAD_WITH_CHILDREN = {
    "moving_to": "abroad",
    "moving_destination": "other",
    "moving_abroad_length": "over_6_months",
    "moving_finnish_citizen": "yes",
    "children": "yes",
    "moving_children_ages": ["under_school_age", "school_age"],
    "moving_housing_allowance": "no",
}


@pytest.fixture(scope="module")
def planner() -> Planner:
    checked = check_directory(JOURNEYS)
    assert checked.planner is not None
    return checked.planner


@pytest.mark.parametrize(
    ("lang", "two", "three"),
    [
        ("fi", "A ja B", "A, B ja C"),
        ("sv", "A och B", "A, B och C"),
        ("en", "A and B", "A, B and C"),
    ],
)
def test_a_list_reads_as_the_language_says_it(lang: str, two: str, three: str) -> None:
    assert and_list(["A"], lang) == "A"
    assert and_list(["A", "B"], lang) == two
    assert and_list(["A", "B", "C"], lang) == three


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_answers_in_the_persons_own_words_make_one_sentence(planner: Planner, lang: str) -> None:
    plan = planner.plan("moving", ABROAD_WITH_CHILDREN, lang=lang)
    for step in plan.steps:
        said = [r for r in step.reasons if r.startswith(("Kerroit", "Du berättade", "You said"))]
        assert len(said) <= 1, (step.key, step.reasons)  # one "You said", never two
        for reason in step.reasons:
            # No comma splice: a list of clauses ends with "and", and every reason is a sentence.
            assert reason.endswith("."), (step.key, reason)
    daycare = next(s for s in plan.steps if s.id == "tell-daycare-and-school-leaving")
    joined = " ".join(daycare.reasons)
    word = {"fi": " ja ", "sv": " och ", "en": " and "}[lang]
    assert word in joined, daycare.reasons


def test_the_example_from_the_issue_reads_as_one_sentence(planner: Planner) -> None:
    plan = planner.plan("moving", ABROAD_WITH_CHILDREN, lang="en")
    daycare = next(s for s in plan.steps if s.id == "tell-daycare-and-school-leaving")
    text = " ".join(daycare.reasons)
    assert "under school age in your family and there are children in basic education" in text
    assert "family, there are" not in text
