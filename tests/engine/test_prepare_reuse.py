"""A planner for a catalogue with one journey changed (an editor's draft) prepares that journey
alone and reuses the others' preparation (api/engine/prepare.py), and plans exactly as a planner
prepared from scratch; other organisations or another glossary prepare everything again."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import replace

import pytest

from api.engine import prepare
from api.engine.catalogue import Catalogue
from api.engine.check import CheckResult
from api.engine.model import Journey, Term
from api.engine.plan import Plan
from api.engine.planner import Planner
from tests.engine.test_glossary import term


def _plans(planner: Planner, catalogue: Catalogue) -> dict[tuple[str, int, str], Plan]:
    """Every scenario of every journey planned in every language."""
    return {
        (slug, index, lang): planner.plan(
            slug, s.answers, event_date=s.event_date, today=s.today, lang=lang
        )
        for slug, journey in catalogue.journeys.items()
        for index, s in enumerate(journey.scenarios)
        for lang in ("fi", "sv", "en")
    }


def _renamed_first_step(journey: Journey) -> Journey:
    first = journey.steps[0]
    title = first.title.model_copy(update={"fi": "Uusi otsikko"})
    steps = [first.model_copy(update={"title": title}), *journey.steps[1:]]
    return journey.model_copy(update={"steps": steps})


@pytest.fixture
def prepared(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The journeys really prepared from here on."""
    calls: list[str] = []
    real = prepare._prepare

    def counted(*args: object) -> prepare.PreparedJourney:
        result = real(*args)  # type: ignore[arg-type]
        calls.append(result.journey.slug)
        return result

    monkeypatch.setattr(prepare, "_prepare", counted)
    return calls


def test_a_draft_prepares_only_itself_and_plans_as_if_prepared_from_scratch(
    checked: CheckResult, prepared: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    catalogue = checked.catalogue
    Planner(catalogue)
    slug = sorted(catalogue.journeys)[0]
    draft = catalogue.with_journey(_renamed_first_step(catalogue.journeys[slug]))
    prepared.clear()

    reused = Planner(draft)
    assert prepared == [slug]
    first = reused.journey(slug).steps[0].id
    plans = _plans(reused, draft)
    shown = [p for key, p in plans.items() if key[0] == slug and key[2] == "fi"]
    assert any(
        s.title == "Uusi otsikko" for plan in shown for s in plan.all_steps() if s.id == first
    )

    monkeypatch.setattr(prepare, "_prepared_journeys", OrderedDict())
    prepared.clear()
    fresh = Planner(draft)
    assert sorted(prepared) == sorted(catalogue.journeys)
    assert _plans(fresh, draft) == plans


def test_other_organisations_or_another_glossary_prepare_every_journey_again(
    checked: CheckResult, prepared: list[str]
) -> None:
    catalogue = checked.catalogue
    Planner(catalogue)
    organisations = dict(catalogue.organisations)
    for changed in (
        replace(catalogue, organisations=organisations),
        replace(catalogue, glossary=(*catalogue.glossary, Term.model_validate(term()))),
    ):
        prepared.clear()
        Planner(changed)
        assert sorted(prepared) == sorted(catalogue.journeys)
