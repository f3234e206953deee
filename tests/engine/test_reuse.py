"""A catalogue with one journey changed (an editor's draft) is prepared and checked for that
journey alone, the others' preparation, address checks and glossary checks reused
(api/engine/reuse.py): plans and problems are exactly those of a catalogue done from scratch;
other organisations or another glossary prepare everything again."""

from __future__ import annotations

from dataclasses import replace

import pytest

from api.engine import glossary, links, prepare
from api.engine.catalogue import Catalogue
from api.engine.check import CheckResult
from api.engine.model import Journey, Term
from api.engine.plan import Plan
from api.engine.planner import Planner
from api.engine.reuse import ByIdentity
from api.engine.validate import validate
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

    monkeypatch.setattr(prepare, "_prepared_journeys", ByIdentity(64))
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


def _with_first_body(journey: Journey, lang: str, more: str) -> Journey:
    first = journey.steps[0]
    body = first.body.model_copy(update={lang: (first.body.get(lang) or "") + more})
    steps = [first.model_copy(update={"body": body}), *journey.steps[1:]]
    return journey.model_copy(update={"steps": steps})


def test_a_draft_is_checked_alone_and_the_others_problems_still_come_back(
    checked: CheckResult, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two journeys with an address problem and a glossary problem each (an http link, a term
    used in Finnish only); a draft of the second: the first's problems come back reused, the
    draft's are its own, and both are what a check from scratch finds."""
    catalogue = replace(checked.catalogue, glossary=(Term.model_validate(term()),))
    first, second = sorted(catalogue.journeys)[:2]
    problem = " [sivu](http://example.com/) perunkirjoitus"
    for slug in (first, second):
        catalogue = catalogue.with_journey(
            _with_first_body(catalogue.journeys[slug], "fi", problem)
        )
    validate(catalogue)
    checked_alone: list[str] = []
    for module, name in ((links, "_check_journey_links"), (glossary, "_check_journey_term_use")):
        real = getattr(module, name)

        def counted(*args: object, real: object = real) -> object:
            checked_alone.append(args[1].slug)  # type: ignore[attr-defined]
            return real(*args)  # type: ignore[operator]

        monkeypatch.setattr(module, name, counted)

    draft = catalogue.with_journey(_with_first_body(catalogue.journeys[second], "fi", " YEL"))
    reused = validate(draft)
    assert checked_alone == [second, second]
    for slug in (first, second):
        found = {(p.kind, p.message.split(":")[0]) for p in reused if p.file == f"{slug}.yaml"}
        assert (
            "translation",
            "the Finnish texts use the glossary term 'perunkirjoitus' but the "
            "Swedish ('bouppteckning'), English ('estate inventory') texts do not",
        ) in found
        assert any(
            "use an https:// address" in p.message for p in reused if p.file == f"{slug}.yaml"
        )

    links._journey_links.clear()
    glossary._term_use.clear()
    assert validate(draft) == reused
