"""Finding the journey (issue 11, item 4): what people type, in Finnish, Swedish and English,
inflected or not, and the journey it must find first. Written before the search was."""

from __future__ import annotations

from pathlib import Path

import pytest

from api.engine.check import check_directory
from api.engine.search import SearchIndex, build_index

JOURNEYS = Path(__file__).parents[2] / "journeys"

DEATH = "death-of-a-loved-one"
JOB = "losing-a-job"
MOVING = "moving"
TO_FINLAND = "moving-to-finland"
CHILD = "having-a-child"
DIVORCE = "divorce-or-separation"
RETIREMENT = "retirement"
DEBT = "debt-problems"
ILL = "falling-seriously-ill"
START = "starting-a-business"
CLOSE = "closing-a-business"
REHAB = "rehabilitation-and-returning-to-work"
HOME = "buying-or-building-a-home"
STUDIES = "starting-full-time-studies"
CONSCRIPTION = "conscription"
CARE = "informal-care"
PARENT = "ageing-parent"
EMPLOYER = "becoming-an-employer"
COUPLE = "moving-in-together-or-marrying"

QUERIES = [
    # English
    ("death", DEATH),
    ("died", DEATH),
    ("my father died", DEATH),
    ("funeral", DEATH),
    ("bereavement", DEATH),
    ("unemployed", JOB),
    ("lost my job", JOB),
    ("laid off", JOB),
    ("moving abroad", MOVING),
    ("moving house", MOVING),
    ("change of address", MOVING),
    ("baby", CHILD),
    ("pregnant", CHILD),
    ("parental leave", CHILD),
    ("divorce", DIVORCE),
    ("breaking up", DIVORCE),
    ("pension", RETIREMENT),
    ("retiring", RETIREMENT),
    ("debts", DEBT),
    ("bailiff", DEBT),
    ("sick leave", ILL),
    ("informal carer", CARE),
    ("caregiver", CARE),
    ("elderly parent", PARENT),
    ("guardianship", PARENT),
    ("cancer", ILL),
    ("start a company", START),
    ("sole trader", START),
    ("close my business", CLOSE),
    ("bankruptcy", CLOSE),
    ("hire an employee", EMPLOYER),
    ("first employee", EMPLOYER),
    ("immigrating to Finland", TO_FINLAND),
    ("residence permit", TO_FINLAND),
    ("return to work", REHAB),
    ("work trial", REHAB),
    ("rehabilitation", REHAB),
    ("transfer tax", HOME),
    ("building permit", HOME),
    ("buying a flat", HOME),
    ("student financial aid", STUDIES),
    ("starting university", STUDIES),
    ("military service", CONSCRIPTION),
    ("call-ups", CONSCRIPTION),
    # Finnish
    ("kuolema", DEATH),
    ("kuolemasta", DEATH),
    ("kuollut", DEATH),
    ("isä kuoli", DEATH),
    ("hautajaiset", DEATH),
    ("perunkirjoitus", DEATH),
    ("työtön", JOB),
    ("työttömänä", JOB),
    ("irtisanottu", JOB),
    ("lomautus", JOB),
    ("muuttoilmoitus", MOVING),
    ("muuttoa", MOVING),
    ("muutto ulkomaille", MOVING),
    ("vauva", CHILD),
    ("raskaus", CHILD),
    ("ero", DIVORCE),
    ("avioero", DIVORCE),
    ("eroaminen", DIVORCE),
    ("eläke", RETIREMENT),
    ("eläkkeelle", RETIREMENT),
    ("velat", DEBT),
    ("ulosotto", DEBT),
    ("sairausloma", ILL),
    ("omaishoitaja", CARE),
    ("omaishoidon tuki", CARE),
    ("vanhus", PARENT),
    ("edunvalvontavaltuutus", PARENT),
    ("syöpä", ILL),
    ("yrityksen perustaminen", START),
    ("toiminimi", START),
    ("konkurssi", CLOSE),
    ("työntekijän palkkaaminen", EMPLOYER),
    ("työnantajaksi", EMPLOYER),
    ("oleskelulupa", TO_FINLAND),
    ("muutto Suomeen", TO_FINLAND),
    ("työhön paluu", REHAB),
    ("työkokeilu", REHAB),
    ("kuntoutus", REHAB),
    ("varainsiirtovero", HOME),
    ("lainhuuto", HOME),
    ("asunnon osto", HOME),
    ("opintotuki", STUDIES),
    ("opiskelupaikka", STUDIES),
    ("armeija", CONSCRIPTION),
    ("kutsunnat", CONSCRIPTION),
    ("siviilipalvelus", CONSCRIPTION),
    ("sivari", CONSCRIPTION),
    # Swedish
    ("dödsfall", DEATH),
    ("närståendevårdare", CARE),
    ("intressebevakning", PARENT),
    ("begravning", DEATH),
    ("arbetslös", JOB),
    ("arbetslösheten", JOB),
    ("flyttning", MOVING),
    ("flytta utomlands", MOVING),
    ("bebis", CHILD),
    ("gravid", CHILD),
    ("skilsmässa", DIVORCE),
    ("skilja sig", DIVORCE),
    ("pensionering", RETIREMENT),
    ("skulder", DEBT),
    ("sjukledighet", ILL),
    ("starta företag", START),
    ("lägga ner företaget", CLOSE),
    ("anställa", EMPLOYER),
    ("flytta till Finland", TO_FINLAND),
    ("arbetsprövning", REHAB),
    ("rehabilitering", REHAB),
    ("överlåtelseskatt", HOME),
    ("lagfart", HOME),
    ("studiestöd", STUDIES),
    ("värnplikt", CONSCRIPTION),
    ("civiltjänst", CONSCRIPTION),
    # moving-in-together-or-marrying, in the three languages
    ("getting married", COUPLE),
    ("wedding", COUPLE),
    ("moving in together", COUPLE),
    ("prenuptial agreement", COUPLE),
    ("naimisiin", COUPLE),
    ("häät", COUPLE),
    ("avioehto", COUPLE),
    ("muutto yhteen", COUPLE),
    ("gifta sig", COUPLE),
    ("flytta ihop", COUPLE),
    ("äktenskapsförord", COUPLE),
]


@pytest.fixture(scope="module")
def index() -> SearchIndex:
    result = check_directory(JOURNEYS)
    return build_index(result.catalogue)


@pytest.mark.parametrize(("query", "first"), QUERIES, ids=[q for q, _ in QUERIES])
def test_what_people_type_finds_the_journey_first(
    index: SearchIndex, query: str, first: str
) -> None:
    found = index.search(query)
    assert found, f"{query!r} finds nothing"
    assert found[0] == first, f"{query!r} finds {found} first"


def test_the_table_covers_three_languages_and_every_journey() -> None:
    assert len(QUERIES) >= 40
    assert {slug for _, slug in QUERIES} >= {
        DEATH,
        JOB,
        MOVING,
        TO_FINLAND,
        CHILD,
        DIVORCE,
        RETIREMENT,
        DEBT,
        ILL,
        START,
        CLOSE,
        REHAB,
        HOME,
        CONSCRIPTION,
        CARE,
        PARENT,
        EMPLOYER,
        COUPLE,
        STUDIES,
    }


def test_ero_is_about_separating_not_retiring(index: SearchIndex) -> None:
    assert RETIREMENT not in index.search("ero")


@pytest.mark.parametrize("query", ["zzz", "", "   ", "!!!", "the and of"])
def test_nothing_matches_nonsense_or_only_small_words(index: SearchIndex, query: str) -> None:
    assert index.search(query) == []


def test_case_does_not_matter_nor_missing_accents(index: SearchIndex) -> None:
    assert index.search("TYÖTÖN")[0] == JOB
    assert index.search("Dödsfall")[0] == DEATH
    # Typed on a keyboard without ä and ö.
    assert index.search("tyoton")[0] == JOB
    assert index.search("kuolemasta")[0] == index.search("kuolemasta".upper())[0] == DEATH


def test_moving_abroad_and_moving_to_finland_are_told_apart(index: SearchIndex) -> None:
    assert index.search("ulkomaille")[0] == MOVING
    assert index.search("moving to Finland")[0] == TO_FINLAND
    assert index.search("flyttning utomlands")[0] == MOVING
