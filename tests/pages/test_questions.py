"""The question pages: the event date asked in the flow and shown on check answers, errors that
name what to fix and keep what was typed, the start page's count of questions and the place
of each question on the way."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape
from html.parser import HTMLParser
from urllib.parse import urlencode

import pytest
from fastapi.testclient import TestClient

from tests.pages.conftest import app_client

NEARBY = "moving_to=other_municipality&children=no&moving_housing_allowance=no"
TITLES = {
    "fi": "Korjaa seuraavat kohdat",
    "sv": "Det finns ett problem",
    "en": "There is a problem",
}
CHECK = {"fi": "Tarkista vastauksesi", "sv": "Kontrollera dina svar", "en": "Check your answers"}
WHEN_MOVING = {"fi": "Milloin muutat?", "sv": "När flyttar du?", "en": "When are you moving?"}
UNKNOWN = {"fi": "En tiedä vielä", "sv": "Jag vet inte ännu", "en": "I don't know yet"}


@pytest.fixture(scope="module")
def client(shared_database_url: str) -> Iterator[TestClient]:
    with app_client(shared_database_url) as test_client:
        yield test_client


class Fields(HTMLParser):
    """Every input of a page by id, with its attributes; and the ids that name an element."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.inputs: dict[str, dict[str, str]] = {}
        self.ids: set[str] = set()
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "input" and "id" in a:
            self.inputs[a["id"]] = a


def summary(html: str) -> tuple[str, list[tuple[str, str]]]:
    """The error summary's title and its (link, message) lines."""
    box = re.search(r'<div class="error-summary".*?</div>', html, re.S)
    assert box is not None, "no error summary"
    title = re.search(r"<h2[^>]*>(.*?)</h2>", box.group(0))
    assert title is not None
    lines = re.findall(r'<a href="#([^"]+)">([^<]+)</a>', box.group(0))
    return unescape(title.group(1)), [(target, unescape(text)) for target, text in lines]


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_event_date_is_asked_after_the_last_question(client: TestClient, lang: str) -> None:
    page = client.get(f"/{lang}/moving/questions?{NEARBY}")
    html = page.text
    assert page.status_code == 200
    assert 'name="asked" value="event_date"' in html
    assert WHEN_MOVING[lang] in html  # the journey's own question and hint
    hint = {"fi": "lasketaan muuttopäivästä", "sv": "räknas från flyttdagen", "en": "moving day"}
    assert hint[lang] in html
    fields = Fields(html)
    for box in ("event_date", "event_date-month", "event_date-year"):  # the date-input pattern
        assert fields.inputs[box]["inputmode"] == "numeric"
    unknown = fields.inputs["event_date-unknown"]
    assert (unknown["type"], unknown["name"], unknown["value"]) == (
        "checkbox",
        "event_date",
        "unknown",
    )
    assert UNKNOWN[lang] in html


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_date_given_is_on_check_answers_with_a_link_to_change_it(
    client: TestClient, lang: str
) -> None:
    date = {"event_date.day": "18", "event_date.month": "6", "event_date.year": "2027"}
    page = client.get(f"/{lang}/moving/questions?{NEARBY}&asked=event_date&{urlencode(date)}")
    assert f"/{lang}/moving/check?" in str(page.url)
    assert "event_date=2027-06-18" in str(page.url)  # the date travels in the address
    html = page.text
    shown = {"fi": "18.6.2027", "sv": "18.6.2027", "en": "18 June 2027"}[lang]
    row = re.search(
        r"<dt>" + re.escape(WHEN_MOVING[lang]) + r"</dt>\s*<dd>([^<]*)</dd>.*?href=\"([^\"]+)\"",
        html,
        re.S,
    )
    assert row is not None
    assert row.group(1) == shown
    change = row.group(2).replace("&amp;", "&")
    assert "change=event_date" in change
    again = client.get(change).text
    fields = Fields(again)
    assert 'name="asked" value="event_date"' in again
    assert [fields.inputs[b]["value"] for b in ("event_date", "event_date-month")] == ["18", "6"]
    assert fields.inputs["event_date-year"]["value"] == "2027"
    plan = re.search(r'href="(/' + lang + r'/moving/plan\?[^"]+)"', html)
    assert plan is not None
    assert "event_date=2027-06-18" in plan.group(1)


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_i_dont_know_yet_gives_a_plan_without_dates_and_a_form_to_add_it(
    client: TestClient, lang: str
) -> None:
    page = client.get(f"/{lang}/moving/questions?{NEARBY}&asked=event_date&event_date=unknown")
    assert f"/{lang}/moving/check?" in str(page.url)
    row = re.search(r"<dt>" + re.escape(WHEN_MOVING[lang]) + r"</dt>\s*<dd>([^<]*)</dd>", page.text)
    assert row is not None
    assert row.group(1) == UNKNOWN[lang]
    change = client.get(f"/{lang}/moving/questions?{NEARBY}&event_date=unknown&change=event_date")
    assert "checked" in Fields(change.text).inputs["event_date-unknown"]
    plan = client.get(f"/{lang}/moving/plan?{NEARBY}&event_date=unknown").text
    assert ".ics" not in plan  # nothing dated
    assert 'class="change-date"' not in plan  # the date form is open: give the date later
    assert 'name="event_date.day"' in plan


def test_check_answers_asks_for_the_date_first_when_it_was_never_given(
    client: TestClient,
) -> None:
    page = client.get(f"/en/moving/check?{NEARBY}", follow_redirects=False)
    assert page.status_code == 303
    assert page.headers["location"].startswith("/en/moving/questions?")
    assert 'name="asked" value="event_date"' in client.get(page.headers["location"]).text


@pytest.mark.parametrize(
    ("lang", "typed", "message"),
    [
        ("en", ("30", "2", "2027"), "Enter a real date, for example 27 3 2027"),
        ("fi", ("30", "2", "2027"), "Anna oikea päivämäärä, esimerkiksi 27 3 2027"),
        ("sv", ("30", "2", "2027"), "Ange ett riktigt datum, till exempel 27 3 2027"),
        ("en", ("1", "3", "1850"), "Enter a date between 1 January 1900 and 31 December 2199"),
        ("fi", ("1", "3", "1850"), "Anna päivämäärä väliltä 1.1.1900–31.12.2199"),
        ("en", ("", "", ""), "Enter the date, or choose “I don't know yet”"),
        ("sv", ("", "", ""), "Ange datumet eller välj ”Jag vet inte ännu”"),
    ],
)
def test_a_wrong_date_keeps_every_box_and_says_what_to_fix(
    client: TestClient, lang: str, typed: tuple[str, str, str], message: str
) -> None:
    boxes = dict(zip(("event_date.day", "event_date.month", "event_date.year"), typed, strict=True))
    page = client.get(f"/{lang}/moving/questions?{NEARBY}&asked=event_date&{urlencode(boxes)}")
    assert page.status_code == 200
    title, lines = summary(page.text)
    assert title == TITLES[lang]
    assert lines == [("event_date", message)]
    fields = Fields(page.text)
    for box, value in zip(
        ("event_date", "event_date-month", "event_date-year"), typed, strict=True
    ):
        assert fields.inputs[box]["value"] == value
        assert fields.inputs[box]["aria-invalid"] == "true"
        assert "input-error" in fields.inputs[box]["class"]
    assert 'aria-describedby="event_date-hint event_date-error"' in page.text
    assert "event_date-error" in fields.ids


@pytest.mark.parametrize(
    ("lang", "typed", "message"),
    [
        ("en", "1800", "Enter a year between 1950 and 2010"),
        ("fi", "1800", "Anna vuosi väliltä 1950–2010"),
        ("sv", "2030", "Ange ett år mellan 1950 och 2010"),
        ("en", "nineteen", "Enter the year you were born in numbers, for example 1962"),
        ("fi", "19.5", "Anna syntymävuotesi numeroina, esimerkiksi 1962"),
        ("en", "", "Enter the year you were born"),
    ],
)
def test_a_wrong_birth_year_comes_back_as_typed_with_the_questions_own_message(
    client: TestClient, lang: str, typed: str, message: str
) -> None:
    query = urlencode({"retirement_birth_year": typed, "asked": "retirement_birth_year"})
    page = client.get(f"/{lang}/retirement/questions?{query}")
    assert page.status_code == 200
    title, lines = summary(page.text)
    assert (title, lines) == (TITLES[lang], [("retirement_birth_year", message)])
    field = Fields(page.text).inputs["retirement_birth_year"]
    assert field["value"] == typed
    assert field["aria-invalid"] == "true"
    assert field["class"] == "input-error"
    described = field["aria-describedby"].split()
    assert described == ["retirement_birth_year-hint", "retirement_birth_year-error"]
    assert set(described) <= Fields(page.text).ids
    assert f"<title>{ {'fi': 'Virhe', 'sv': 'Fel', 'en': 'Error'}[lang] }:" in page.text


def test_a_question_without_its_own_error_text_gets_a_general_one_naming_the_fix(
    client: TestClient,
) -> None:
    page = client.get("/en/moving/questions?asked=moving_to")
    assert summary(page.text) == ("There is a problem", [("moving_to", "Select an answer")])
    assert 'class="field field-error"' in page.text
    assert 'aria-describedby="moving_to-error"' in page.text


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_error_summary_title_is_not_the_check_answers_heading(lang: str) -> None:
    from api.pages.i18n import translations

    title = translations(lang).gettext("There is a problem")
    assert title == TITLES[lang]
    assert title != translations(lang).gettext("Check your answers") == CHECK[lang]


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_an_impossible_date_on_the_plan_keeps_the_three_boxes_with_a_summary(
    client: TestClient, lang: str
) -> None:
    boxes = urlencode({"event_date.day": "31", "event_date.month": "4", "event_date.year": "2027"})
    page = client.get(f"/{lang}/moving/plan?{NEARBY}&{boxes}")
    assert page.status_code == 200
    title, lines = summary(page.text)
    assert title == TITLES[lang]
    assert [target for target, _ in lines] == ["event_date"]
    fields = Fields(page.text)
    assert [fields.inputs[b]["value"] for b in ("event_date", "event_date-month")] == ["31", "4"]
    assert fields.inputs["event_date-year"]["value"] == "2027"
    assert all(
        fields.inputs[b]["aria-invalid"] == "true" for b in ("event_date", "event_date-year")
    )
    assert 'aria-describedby="event-date-hint event-date-error"' in page.text


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_start_page_says_how_many_questions_at_most_and_how_long(
    client: TestClient, lang: str
) -> None:
    html = client.get(f"/{lang}/moving/").text
    # Moving abroad asks six questions (tests/pages/test_flow.py), and the date makes seven.
    said = {
        "fi": "Kysymyksiä on enintään 7. Siihen menee noin 4 minuuttia.",
        "sv": "Det finns högst 7 frågor.\nDet tar ungefär 4 minuter.",
        "en": "There are at most 7 questions.\nIt takes about 4 minutes.",
    }[lang]
    assert said.replace("\n", " ") in html.replace("\n", " ")


def test_each_question_says_where_the_person_is_and_the_count_is_honest(
    client: TestClient,
) -> None:
    """Moving abroad with children takes the longest way: its last question is the seventh of
    at most seven, so "at most" is never less than a real way, nor more than the longest."""
    assert "Question 1 of at most 7" in client.get("/en/moving/questions").text
    abroad = [
        ("moving_to", "abroad"),
        ("moving_destination", "other"),
        ("moving_abroad_length", "over_6_months"),
        ("moving_finnish_citizen", "yes"),
        ("children", "yes"),
        ("moving_children_ages", "school_age"),
    ]
    page = client.get(f"/en/moving/questions?{urlencode(abroad)}")
    assert 'name="asked" value="event_date"' in page.text
    assert "Question 7 of at most 7" in page.text
    nearby = client.get(f"/sv/moving/questions?{NEARBY}").text
    assert "Fråga 4 av högst 7" in nearby
    change = client.get(f"/fi/moving/questions?{NEARBY}&event_date=unknown&change=children").text
    assert "Kysymys 2, kysymyksiä enintään 7" in change
