"""The heuristic that finds a deadline stated in a step's body."""

from __future__ import annotations

import pytest

from api.engine.deadline_text import deadline_phrases
from api.engine.model import Step


def body(fi: str = "Tee näin.", sv: str = "", en: str = "") -> Step:
    return Step.model_validate(
        {
            "id": "a",
            "kind": "task",
            "timing": "after",
            "title": {"fi": "A"},
            "body": {k: v for k, v in {"fi": fi, "sv": sv, "en": en}.items() if v},
        }
    )


@pytest.mark.parametrize(
    ("lang", "text", "found"),
    [
        ("fi", "Hae viimeistään kuukauden kuluttua.", "viimeistään"),
        ("fi", "Ilmoita 3 kuukauden kuluessa syntymästä.", "3 kuukauden kuluessa"),
        ("fi", "Ilmoita kuukauden kuluessa.", "kuukauden kuluessa"),
        ("sv", "Ansök senast den första dagen.", "senast"),
        ("sv", "Anmäl inom tre månader.", "inom tre månader"),
        ("en", "Apply no later than 2 weeks before.", "no later than"),
        ("en", "Apply within 3 months of the start.", "within 3 months"),
        ("en", "By week 18 at the latest.", "at the latest"),
    ],
)
def test_a_stated_deadline_is_found(lang: str, text: str, found: str) -> None:
    assert list(deadline_phrases(body(**{lang: text}))) == [(lang, found)]


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("sv", "Kontoutdrag för de två senaste månaderna."),  # "senaste" is "latest", no limit
        ("fi", "Jos et löydä työtä suoja-ajan kuluessa."),  # no length of time
        ("en", "Within the EU you can move freely."),
    ],
)
def test_words_that_state_no_deadline_are_left_alone(lang: str, text: str) -> None:
    assert list(deadline_phrases(body(**{lang: text}))) == []
