"""The glossary: its file, recognising terms in step texts, and the check that a journey uses a
term alike in every language."""

from __future__ import annotations

import copy
from typing import Any

from api.engine.catalogue import parse_documents
from api.engine.check import CheckResult, check_catalogue
from api.engine.glossary import Glossary, TermUse
from api.engine.model import Term
from tests.engine.conftest import SHARED, errors, journey, step


def term(term_id: str = "estate-inventory", **fields: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "id": term_id,
        "term": {"fi": "perunkirjoitus", "sv": "bouppteckning", "en": "estate inventory"},
        "forms": {"fi": ["perunkirjoituksen", "perunkirjoitukseen"], "sv": ["bouppteckningen"]},
        "explanation": {"fi": "Selitys.", "sv": "Förklaring.", "en": "Explanation."},
        "source": {
            "title": {"fi": "Lähde", "sv": "Källa", "en": "Source"},
            "url": {"fi": "https://law.example/"},
        },
    }
    doc.update(fields)
    return doc


YEL = term(
    "yel",
    term={"fi": "YEL", "sv": "FöPL", "en": "YEL"},
    forms={},
)


def glossary(*terms: dict[str, Any]) -> Glossary:
    return Glossary(Term.model_validate(t) for t in terms)


def check(terms: list[dict[str, Any]], *journeys: dict[str, Any]) -> CheckResult:
    documents = copy.deepcopy(SHARED)
    documents["shared/glossary.yaml"] = {"terms": terms}
    for doc in journeys:
        documents[f"{doc['slug']}.yaml"] = doc
    catalogue, problems = parse_documents(documents)
    return check_catalogue(catalogue, problems)


def body(fi: str, sv: str, en: str) -> dict[str, Any]:
    return step("s", body={"fi": fi, "sv": sv, "en": en})


def test_a_term_is_found_by_its_listed_forms_as_whole_words_in_any_case() -> None:
    found = glossary(term()).first_uses(
        "Perunkirjoituksen jälkeen... perunkirjoitukseen ja perunkirjoitusvieras", "fi"
    )
    assert found == (TermUse("estate-inventory", "Perunkirjoituksen", 0, 17),)
    assert glossary(term()).first_uses("perunkirjoitusvieras", "fi") == ()


def test_the_uses_kept_for_a_text_belong_to_the_glossary_that_found_them() -> None:
    """Uses found in a text are kept for the next glossary with the same forms; the same form
    under another term id, or one form more, is another glossary and finds its own."""
    text = "Perunkirjoituksen jälkeen."
    assert glossary(term()).uses(text, "fi")[0].id == "estate-inventory"
    assert glossary(term("inventory")).uses(text, "fi")[0].id == "inventory"
    assert glossary(term()).uses(text, "fi")[0].id == "estate-inventory"
    more = term(forms={"fi": ["perunkirjoituksen", "jälkeen"]})
    assert [use.text for use in glossary(more).uses(text, "fi")] == ["Perunkirjoituksen", "jälkeen"]


def test_each_term_is_reported_once_at_its_first_use_in_text_order() -> None:
    both = glossary(term(), YEL)
    text = "YEL ensin. Sitten perunkirjoitus, ja taas YEL ja perunkirjoitus."
    assert [(u.id, u.start) for u in both.first_uses(text, "fi")] == [
        ("yel", 0),
        ("estate-inventory", 18),
    ]


def test_an_acronym_matches_only_in_capitals_and_before_a_hyphen() -> None:
    found = glossary(YEL).first_uses("yel ei, mutta YEL-vakuutus kyllä", "fi")
    assert [(u.text, u.start) for u in found] == [("YEL", 14)]


def test_a_multi_word_term_may_break_across_lines_and_the_longest_form_wins() -> None:
    inventory = term(forms={"en": ["estate inventory meeting"]})
    found = glossary(inventory).first_uses("Hold the estate\ninventory meeting soon.", "en")
    assert [u.text for u in found] == ["estate\ninventory meeting"]


def test_nothing_inside_a_link_code_or_an_address_is_a_use() -> None:
    text = (
        "[perunkirjoitus](https://vero.fi/perunkirjoitus) `perunkirjoitus` "
        "<https://x.fi/perunkirjoitus> https://y.fi/perunkirjoitus and perunkirjoitus"
    )
    (use,) = glossary(term()).first_uses(text, "fi")
    assert text[use.start : use.end] == "perunkirjoitus"
    assert use.start == len(text) - len("perunkirjoitus")


def test_a_glossary_file_loads_and_its_problems_are_the_journeys_kind() -> None:
    result = check([term(), YEL], journey())
    assert errors(result) == []
    assert [t.id for t in result.catalogue.glossary] == ["estate-inventory", "yel"]

    missing_sv = term(explanation={"fi": "Selitys.", "en": "Explanation."})
    twice = term("other", term={"fi": "perunkirjoituksen", "sv": "x", "en": "y"}, forms={})
    assert errors(check([missing_sv, twice], journey())) == [
        "shared/glossary.yaml: terms[0].explanation.sv: the Swedish text is missing",
        "shared/glossary.yaml: terms[1].term.fi: 'perunkirjoituksen' is also a form of the "
        "term 'estate-inventory': a form names one term",
    ]


def test_a_term_used_in_one_language_but_not_another_is_a_translation_problem() -> None:
    uneven = journey(
        steps=[body("Tee perunkirjoitus.", "Gör bokslutet.", "Hold the estate inventory.")]
    )
    result = check([term()], uneven)
    (problem,) = [p for p in result.problems if p.kind != "coverage"]
    assert problem.kind == "translation"
    assert str(problem) == (
        "j.yaml: steps[0].body.fi: the Finnish texts use the glossary term 'perunkirjoitus' but "
        "the Swedish ('bouppteckning') texts do not: use the term there too, or add the form "
        "they use to the term 'estate-inventory' in shared/glossary.yaml"
    )


def test_a_term_used_alike_in_every_language_anywhere_in_the_journey_is_fine() -> None:
    # The Swedish uses the term in another text of the journey: the journey as a whole counts.
    even = journey(
        summary={"fi": "Yhteenveto", "sv": "Om bouppteckningen", "en": "Summary"},
        steps=[body("Tee perunkirjoitus.", "Gör det.", "Hold the estate inventory.")],
    )
    assert errors(check([term()], even)) == []


def test_plan_steps_flag_the_first_use_of_each_term_in_their_body() -> None:
    doc = journey(steps=[body("Perunkirjoitus ja perunkirjoitus.", "Bouppteckningen.", "None.")])
    result = check([term()], doc)
    assert result.planner is not None
    fi = result.planner.plan("j", {}, lang="fi").steps[0]
    sv = result.planner.plan("j", {}, lang="sv").steps[0]
    assert fi.terms == (TermUse("estate-inventory", "Perunkirjoitus", 0, 14),)
    assert sv.terms == (TermUse("estate-inventory", "Bouppteckningen", 0, 15),)


def test_the_link_check_covers_the_glossarys_sources() -> None:
    documents = copy.deepcopy(SHARED)
    documents["shared/domains.yaml"] = {
        "domains": [
            {"domain": d, "owner": "Owner", "kind": "authority"}
            for d in ("law.example", "office.example")
        ]
    }
    insecure = term(
        source={
            "title": {"fi": "L", "sv": "K", "en": "S"},
            "url": {"fi": "http://law.example/", "en": "https://elsewhere.example/"},
        }
    )
    documents["shared/glossary.yaml"] = {"terms": [insecure]}
    documents["j.yaml"] = journey()
    catalogue, problems = parse_documents(documents)
    assert [str(p) for p in check_catalogue(catalogue, problems).problems if p.kind == "error"] == [
        "shared/glossary.yaml: terms[0].source.url.en: term 'estate-inventory', English source: "
        "elsewhere.example is not on the domain list (shared/domains.yaml): link an official "
        "page, or list the domain with its owner (a non-official one as non_official with a "
        "reason)",
        "shared/glossary.yaml: terms[0].source.url.fi: term 'estate-inventory', Finnish source: "
        "use an https:// address, not http://",
    ]
