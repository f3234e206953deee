"""Engine tests run on small made-up journeys, never on the real content, so editing real
content never breaks them."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from api.engine.catalogue import parse_documents
from api.engine.check import CheckResult, check_catalogue, check_directory
from api.engine.planner import Planner

FIXTURES = Path(__file__).parent / "fixtures"
CATALOGUE = FIXTURES / "catalogue"


@pytest.fixture(scope="session")
def checked() -> CheckResult:
    result = check_directory(CATALOGUE)
    assert result.ok, "\n".join(map(str, result.problems))
    return result


@pytest.fixture(scope="session")
def planner(checked: CheckResult) -> Planner:
    assert checked.planner is not None
    return checked.planner


def text(word: str) -> dict[str, str]:
    return {"fi": f"{word} fi", "sv": f"{word} sv", "en": word}


SHARED: dict[str, Any] = {
    "shared/questions.yaml": {"questions": []},
    "shared/organisations.yaml": {
        "organisations": [
            {"id": "office", "name": text("Office"), "url": {"fi": "https://office.example/"}}
        ]
    },
    "shared/life-events.yaml": {"life_events": []},
}


def journey(slug: str = "j", **fields: Any) -> dict[str, Any]:
    """A minimal valid journey document; keyword arguments replace or add top-level fields."""
    doc: dict[str, Any] = {
        "slug": slug,
        "kind": "life",
        "title": text(slug.capitalize()),
        "summary": text("Summary"),
        "owner": "office",
        "last_reviewed": "2026-11-28",
        "sources": [{"id": "rule", "title": text("Rule"), "url": "https://law.example/"}],
        "event_date": {
            "label": text("Day"),
            "after": text("after the day"),
            "before": text("before the day"),
        },
        "questions": [],
        "steps": [step("only")],
    }
    doc.update(fields)
    return doc


def step(step_id: str, **fields: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "id": step_id,
        "kind": "task",
        "timing": "after",
        "title": text(step_id),
        "body": text("Do it."),
    }
    doc.update(fields)
    return doc


def choice(qid: str, *options: str, **fields: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "id": qid,
        "type": "choice",
        "label": text(qid),
        "options": [{"id": o, "label": text(o)} for o in options],
    }
    doc.update(fields)
    return doc


def question(qid: str, kind: str, **fields: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {"id": qid, "type": kind, "label": text(qid)}
    doc.update(fields)
    return doc


Build = Callable[..., CheckResult]


@pytest.fixture
def build() -> Build:
    """Check a catalogue made of the given journey documents (and optional shared questions)."""

    def make(
        *journeys: dict[str, Any], shared_questions: list[dict[str, Any]] | None = None
    ) -> CheckResult:
        documents = copy.deepcopy(SHARED)
        if shared_questions is not None:
            documents["shared/questions.yaml"] = {"questions": shared_questions}
        for doc in journeys:
            documents[f"{doc['slug']}.yaml"] = doc
        catalogue, problems = parse_documents(documents)
        return check_catalogue(catalogue, problems)

    return make


def errors(result: CheckResult) -> list[str]:
    """The problems, leaving out scenario coverage (most test journeys have no scenarios)."""
    return [str(p) for p in result.problems if p.kind != "coverage"]


def planned(result: CheckResult) -> Planner:
    assert not errors(result), "\n".join(errors(result))
    assert result.planner is not None
    return result.planner
