"""The search on made-up journeys: stemming per language, keywords, ranking, the common list."""

from __future__ import annotations

import copy
from typing import Any

from api.engine.catalogue import Catalogue, parse_documents
from api.engine.check import check_catalogue
from api.engine.search import build_index
from tests.engine.conftest import SHARED, errors, journey


def catalogue(*journeys: dict[str, Any], common: list[str] | None = None) -> Catalogue:
    documents = copy.deepcopy(SHARED)
    if common is not None:
        documents["shared/life-events.yaml"]["common"] = common
    for doc in journeys:
        documents[f"{doc['slug']}.yaml"] = doc
    parsed, problems = parse_documents(documents)
    assert problems == []
    return parsed


def titled(slug: str, fi: str, sv: str, en: str, **fields: Any) -> dict[str, Any]:
    return journey(slug, title={"fi": fi, "sv": sv, "en": en}, **fields)


def test_each_language_is_stemmed_with_its_own_stemmer() -> None:
    index = build_index(
        catalogue(titled("death", "Läheisen kuolema", "När en närstående dör", "Someone dies"))
    )
    assert index.search("kuolemasta") == ["death"]  # Finnish: kuolem
    assert index.search("died") == ["death"]  # English: die
    assert index.search("döda") == []  # no Swedish word here stems to död


def test_keywords_count_as_much_as_the_title_and_only_in_their_language() -> None:
    keywords = {"fi": ["ero"], "en": ["split up"]}
    index = build_index(
        catalogue(
            titled("divorce", "Avioero", "Skilsmässa", "Divorce", keywords=keywords),
            titled("pension", "Eläke", "Pension", "Pension"),
        )
    )
    assert index.search("ero") == ["divorce"]
    assert index.search("split up") == ["divorce"]


def test_more_words_matched_first_then_words_together_then_a_fuller_match() -> None:
    index = build_index(
        catalogue(
            titled("abroad", "Muutto", "Flytt", "Moving", keywords={"en": ["moving abroad"]}),
            titled("here", "Muutto Suomeen", "Flytt till Finland", "Moving to Finland"),
            titled("other", "Jotain", "Något", "Something abroad moving"),
        )
    )
    # "abroad" and "other" both match two words; only "abroad" has them together.
    assert index.search("moving abroad") == ["abroad", "other", "here"]
    assert index.search("moving to Finland")[0] == "here"
    # One word each: the title that is only that word before the one that says more.
    assert index.search("muuttoa") == ["abroad", "here"]


def test_a_beginning_of_four_letters_finds_a_word_at_half_weight() -> None:
    index = build_index(
        catalogue(
            titled("move", "Muuttoilmoitus", "Flyttanmälan", "Notification"),
            titled("ill", "Sairaus", "Sjukdom", "Illness"),
        )
    )
    assert index.search("muuttoilm") == ["move"]
    assert index.search("sai") == []  # too short to be a beginning


def test_a_word_found_whole_somewhere_is_not_also_taken_as_a_beginning() -> None:
    changes = {"fi": "Muutokset", "sv": "Ändringar", "en": "Changes"}
    index = build_index(
        catalogue(
            titled("move", "Muutto", "Flytt", "Moving"),
            titled("job", "Työ", "Arbete", "Work", summary=changes),
        )
    )
    # Finnish stems: muutto -> muuto, muutokset -> muutoks.
    assert index.search("muutto") == ["move"]


def test_a_journey_written_only_in_finnish_is_found_by_its_finnish_words() -> None:
    index = build_index(catalogue(journey("j", title={"fi": "Kuolema"})))
    assert index.search("kuolemasta") == ["j"]


def test_the_common_list_must_name_journeys_once() -> None:
    documents = copy.deepcopy(SHARED)
    documents["shared/life-events.yaml"]["common"] = ["a", "nowhere", "a"]
    documents["a.yaml"] = journey("a")
    parsed, problems = parse_documents(documents)
    assert parsed.common == ("a", "nowhere", "a")
    assert errors(check_catalogue(parsed, problems)) == [
        "shared/life-events.yaml: common[1]: unknown journey 'nowhere'",
        "shared/life-events.yaml: common[2]: the journey 'a' is listed twice",
    ]
