"""A person goes through a journey on the pages, by following its forms and links only."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from urllib.parse import urlencode

import icalendar
import pytest
from fastapi.testclient import TestClient

ABROAD_WITH_CHILDREN = {
    "moving_to": "abroad",
    "moving_destination": "other",
    "moving_abroad_length": "over_6_months",
    "moving_finnish_citizen": "yes",
    "children": "yes",
    "moving_children_ages": ["under_school_age", "school_age"],
    "moving_housing_allowance": "no",
}


class Form(HTMLParser):
    """The first GET form of a page: its action, hidden fields and the question asked."""

    def __init__(self) -> None:
        super().__init__()
        self.action = ""
        self.fields: list[tuple[str, str]] = []
        self.asked = ""
        self.in_form = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and not self.action:
            self.action, self.in_form = a["action"], True
        elif tag == "input" and self.in_form and a.get("type") == "hidden":
            self.fields.append((a["name"], a["value"]))
            if a["name"] == "asked":
                self.asked = a["value"]

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.in_form = False


def answer_all(client: TestClient, lang: str, slug: str, answers: dict[str, object]) -> str:
    """Answer every question asked, the event date too (a date's boxes as a dict of day,
    month and year); return the check-your-answers page's HTML."""
    page = client.get(f"/{lang}/{slug}/questions")
    for _ in range(30):
        if "/check" in str(page.url):
            return page.text
        form = Form()
        form.feed(page.text)
        value = answers[form.asked]
        if isinstance(value, dict):
            given = [(f"{form.asked}.{part}", str(v)) for part, v in value.items()]
        else:
            given = [(form.asked, v) for v in (value if isinstance(value, list) else [value])]
        page = client.get(form.action + "?" + urlencode(form.fields + given))
        assert page.status_code == 200, page.text
    raise AssertionError("the questions never ended")


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_moving_abroad_with_children_without_javascript(client: TestClient, lang: str) -> None:
    moving_day = {"day": 18, "month": 6, "year": 2027}
    check = answer_all(client, lang, "moving", ABROAD_WITH_CHILDREN | {"event_date": moving_day})
    changes = re.findall(r'href="(/[^"]+change=[^"]+)"', check)
    # One per answer that applies and one for the date, each a link back to its question.
    assert len(changes) == 7
    plan_url = re.search(r'href="(/' + lang + r'/moving/plan\?[^"]+)"', check).group(1)  # type: ignore[union-attr]
    assert "event_date=2027-06-18" in plan_url  # folded into a clean, shareable address
    plan = client.get(plan_url.replace("&amp;", "&"))
    assert plan.status_code == 200
    html = plan.text
    # 18 June 2027 + 1 week = Midsummer Eve, so the notification is due on Monday 28 June.
    monday = {
        "fi": "maanantaina 28. kesäkuuta 2027",
        "sv": "måndag 28 juni 2027",
        "en": "Monday 28 June 2027",
    }[lang]
    assert monday in html
    assert "<details>" in html  # why each step applies
    for absent in ("voting-after-move",):
        assert absent not in html


def test_death_of_a_close_family_member_in_finnish(client: TestClient) -> None:
    check = answer_all(
        client,
        "fi",
        "death-of-a-loved-one",
        {
            "death_place": "care_facility",
            "relationship_to_deceased": "spouse",
            "children": "no",
            "lived_with_deceased": "yes",
            "survivor_kela_benefits": "no",
            "deceased_working": "no",
            "estate_covers_funeral": "yes",
            "survivor_moves": "no",
            "event_date": {"day": 25, "month": 3, "year": 2027},
        },
    )
    assert "Tarkista vastauksesi" in check
    plan_url = re.search(r'href="(/fi/death-of-a-loved-one/plan\?[^"]+)"', check).group(1)  # type: ignore[union-attr]
    # Death on Thursday 25 March 2027: the estate inventory is due in 3 months, on Friday 25 June,
    # Midsummer Eve. It stays there: the meeting is held among the heirs, so no working-day rule.
    plan = client.get(plan_url.replace("&amp;", "&")).text
    assert "perjantaina 25. kesäkuuta 2027" in plan
    assert "Näitä sinun ei tarvitse tehdä" in plan  # what happens automatically, apart


@pytest.mark.parametrize(
    "query",
    [
        "nope=1",  # an unknown question
        "moving_to=mars",  # an option that does not exist
        "moving_to=" + "x" * 5000,  # a very long value
        "moving_to=abroad&moving_destination=other&event_date=2027-02-30",
    ],
)
def test_bad_input_in_the_url_brings_the_person_back_to_a_question(
    client: TestClient, query: str
) -> None:
    page = client.get(f"/en/moving/questions?{query}")
    assert page.status_code == 200
    assert '<form action="/en/moving/questions"' in page.text


def test_a_number_only_in_plain_ascii_digits_is_taken(client: TestClient) -> None:
    asked = {}
    for text in ["１９６０", "1_960", " 1960 ", "+1960", "nan", "inf", "1960"]:
        page = client.get(
            "/en/retirement/questions",
            params={"retirement_birth_year": text, "asked": "retirement_birth_year"},
        )
        again = 'name="asked" value="retirement_birth_year"' in page.text
        asked[text] = (page.status_code, again, again and "There is a problem" in page.text)
    refused = (200, True, True)
    assert asked == dict.fromkeys(asked, refused) | {"1960": (200, False, False)}


def test_an_impossible_date_gets_a_message_on_the_plan_page(client: TestClient) -> None:
    answers = "moving_to=other_municipality&children=no&moving_housing_allowance=no"
    page = client.get(
        f"/en/moving/plan?{answers}&event_date.day=30&event_date.month=2&event_date.year=2027"
    )
    assert page.status_code == 200
    assert "Enter a real date" in page.text


def test_an_empty_answer_is_an_error_with_a_summary_linked_to_the_field(
    client: TestClient,
) -> None:
    page = client.get("/en/moving/questions?asked=moving_to")
    assert "There is a problem" in page.text
    assert 'href="#moving_to"' in page.text
    assert 'id="moving_to"' in page.text


def test_an_unknown_journey_is_a_friendly_404_page(client: TestClient) -> None:
    page = client.get("/sv/no-such-journey/")
    assert page.status_code == 404
    assert "Sidan hittades inte" in page.text


def test_the_calendar_file_has_the_dated_steps_and_parses(client: TestClient) -> None:
    answers = "moving_to=other_municipality&children=no&moving_housing_allowance=no"
    plan = client.get(f"/en/moving/plan?{answers}&event_date=2027-06-18").text
    link = re.search(r'href="(/en/moving/plan\.ics\?[^"]+)"', plan)
    assert link is not None
    response = client.get(link.group(1).replace("&amp;", "&"))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    events = {str(e["summary"]): e.decoded("dtstart") for e in calendar.walk("VEVENT")}
    assert events["Submit a notification of move"] == dt.date(2027, 6, 28)


def test_no_calendar_without_an_event_date(client: TestClient) -> None:
    answers = "moving_to=other_municipality&children=no&moving_housing_allowance=no"
    assert ".ics" not in client.get(f"/en/moving/plan?{answers}").text
    response = client.get(f"/en/moving/plan.ics?{answers}", follow_redirects=False)
    assert response.status_code == 303


def test_back_goes_to_the_question_answered_last(client: TestClient) -> None:
    first = client.get("/en/moving/questions").text
    assert 'class="back" href="/en/moving/"' in first
    second = client.get("/en/moving/questions?moving_to=abroad").text
    back = re.search(r'class="back" href="([^"]+)"', second)
    assert back is not None
    previous = client.get(back.group(1).replace("&amp;", "&")).text
    assert 'name="asked" value="moving_to"' in previous
    assert 'value="abroad" id="moving_to-abroad" checked' in previous


def test_an_invalid_answer_with_an_event_date_outside_the_calendar_is_not_a_server_error(
    client: TestClient,
) -> None:
    # The reproduction of issue 13, item 2, on every page that reads the answers.
    query = "moving_to=bogus&event_date=9999-12-31"
    for root in ("/fi", "/sv", "/en", "/embed/fi"):
        for page in ("questions", "check", "plan", "plan.ics"):
            response = client.get(f"{root}/moving/{page}?{query}", follow_redirects=False)
            assert response.status_code in (200, 303), (root, page, response.status_code)
    question = client.get(f"/en/moving/questions?{query}")
    assert question.status_code == 200
    assert 'id="moving_to"' in question.text
