"""The plan page leads with what to do next: overdue steps, the next dated deadlines and how
many steps in all; then every step in one numbering, under headings written for the event,
each folded under its title, all open with ?all=1. Asserted on step ids and dates."""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest
from fastapi.testclient import TestClient

from api.engine.model import Journey, Text, TimingHeadings
from api.engine.plan import Plan, PlanStep
from api.pages import views
from api.pages.i18n import translations
from tests.engine.conftest import journey

ABROAD_WITH_CHILDREN = urlencode(
    [
        ("moving_to", "abroad"),
        ("moving_destination", "other"),
        ("moving_abroad_length", "over_6_months"),
        ("moving_finnish_citizen", "yes"),
        ("children", "yes"),
        ("moving_children_ages", "under_school_age"),
        ("moving_children_ages", "school_age"),
        ("moving_housing_allowance", "no"),
    ]
)
NEARBY = "moving_to=other_municipality&children=no&moving_housing_allowance=no"


def numbers(html: str) -> list[int]:
    """The numbers the steps show, in page order."""
    return [int(n) for n in re.findall(r'<span class="step-number">(\d+)\.</span>', html)]


def next_block(html: str) -> str:
    match = re.search(r'<section class="next-steps".*?</section>', html, re.S)
    assert match, "no next-steps block"
    return match.group(0)


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_steps_are_numbered_once_through_every_timing(client: TestClient, lang: str) -> None:
    html = client.get(f"/{lang}/moving/plan?{ABROAD_WITH_CHILDREN}").text
    shown = numbers(html)
    assert len(re.findall(r'<li class="step', html)) == len(shown) > 5
    assert shown == list(range(1, len(shown) + 1))  # no restart under a new heading
    starts = [int(s) for s in re.findall(r'<ol class="steps" start="(\d+)">', html)]
    assert len(starts) == 3
    assert starts[0] == 1
    assert starts == sorted(starts)


@pytest.mark.parametrize(
    ("lang", "headings"),
    [
        ("fi", ["Ennen muuttoa", "Muuttopäivänä", "Muuton jälkeen"]),
        ("sv", ["Före flytten", "På flyttdagen", "Efter flytten"]),
        ("en", ["Before you move", "On moving day", "After you move"]),
    ],
)
def test_the_headings_are_the_journeys_own(
    client: TestClient, lang: str, headings: list[str]
) -> None:
    html = client.get(f"/{lang}/moving/plan?{ABROAD_WITH_CHILDREN}").text
    found = re.findall(r'<h2 id="timing-(\w+)">([^<]+)</h2>', html)
    assert found == list(zip(["before", "around", "after"], headings, strict=True))


def test_a_journey_without_headings_gets_general_ones() -> None:
    """The fallback, from the model: a timing the journey leaves out has no heading of its own
    (the template then uses the general wording)."""
    plan = _plan_with_steps(("a", "before"), ("b", "after"), ("c", "after"))
    journey = _journey(TimingHeadings(after=Text(fi="Kuoleman jälkeen", en="After the death")))
    groups = views.step_groups(plan, journey)
    assert [(g.timing, g.heading, g.start, len(g.steps)) for g in groups] == [
        ("before", None, 1, 1),
        ("after", "After the death", 2, 2),
    ]
    assert [g.heading for g in views.step_groups(plan, _journey(None))] == [None, None]


@pytest.mark.parametrize(
    ("lang", "general"), [("fi", "Etukäteen"), ("sv", "I förväg"), ("en", "Beforehand")]
)
def test_the_general_heading_is_words_not_a_bare_preposition(
    client: TestClient, lang: str, general: str
) -> None:
    assert translations(lang).gettext("Beforehand") == general
    assert translations(lang).gettext("At the time") != "Päivän tienoilla"


def test_the_next_deadline_comes_first_with_its_date(client: TestClient) -> None:
    html = client.get(f"/en/moving/plan?{ABROAD_WITH_CHILDREN}&event_date=2027-06-18").text
    block = next_block(html)
    # The notification of move is due within a week, on Midsummer Eve: moved to Monday 28 June.
    assert re.search(r'href="#step-moving-notify-dvv".*?Monday 28 June 2027', block, re.S)
    assert html.index('class="next-steps"') < html.index('class="event-date"')
    total = len(re.findall(r'<li class="step', html))
    assert f"{total} steps in all." in block
    assert "Overdue" not in block


def test_an_overdue_step_is_listed_apart_and_marked(client: TestClient) -> None:
    # Moved a year ago: the notification of move is long overdue.
    html = client.get(f"/en/moving/plan?{ABROAD_WITH_CHILDREN}&event_date=2020-06-18").text
    block = next_block(html)
    assert re.search(r'class="next-list overdue">.*?#step-moving-notify-dvv', block, re.S)
    assert re.search(r'<li class="step overdue" id="step-moving-notify-dvv">', html)


def test_without_a_date_the_first_steps_lead_and_the_date_is_asked(client: TestClient) -> None:
    html = client.get(f"/en/moving/plan?{ABROAD_WITH_CHILDREN}").text
    block = next_block(html)
    first = re.findall(r'<span class="step-number">1\.</span>', html)
    assert first
    ids = re.findall(r'href="#(step-[\w-]+)"', block)
    assert len(ids) == 3
    assert ids == re.findall(r'<li class="step[^"]*" id="(step-[\w-]+)"', html)[:3]
    assert 'href="#event_date"' in block
    assert "Give the date to see the real deadlines" in html
    dated = client.get(f"/en/moving/plan?{ABROAD_WITH_CHILDREN}&event_date=2027-06-18").text
    # Once the date is given, the hint shows it and stops asking for it.
    assert "Give the date to see the real deadlines" not in dated
    assert 'href="#event_date"' not in next_block(dated)


def test_steps_are_folded_and_show_all_opens_them_without_scripts(client: TestClient) -> None:
    url = f"/fi/moving/plan?{NEARBY}"
    html = client.get(url).text
    steps = len(re.findall(r'<li class="step', html))
    assert html.count("<details>") == steps
    assert "<details open>" not in html
    show_all = re.search(r'<p class="show-all"><a href="([^"]+)">', html)
    assert show_all
    assert "all=1" in show_all.group(1)
    opened = client.get(show_all.group(1).replace("&amp;", "&")).text
    assert opened.count("<details open>") == steps
    assert numbers(opened) == numbers(html)
    close = re.search(r'<p class="show-all"><a href="([^"]+)">', opened)
    assert close
    assert "all=1" not in close.group(1)


DEATH = urlencode(
    {
        "death_place": "care_facility",
        "relationship_to_deceased": "spouse",
        "children": "no",
        "lived_with_deceased": "yes",
        "survivor_kela_benefits": "no",
        "deceased_working": "no",
        "estate_covers_funeral": "yes",
        "survivor_moves": "no",
    }
)


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
@pytest.mark.parametrize(
    "plan", [f"moving/plan?{ABROAD_WITH_CHILDREN}", f"death-of-a-loved-one/plan?{DEATH}"]
)
@pytest.mark.parametrize("opened", [False, True])
def test_open_all_steps_is_offered_once_at_the_head_of_the_steps(
    client: TestClient, lang: str, plan: str, opened: bool
) -> None:
    # It was once also in the "What to do next" box: two of the same link at the top.
    html = client.get(f"/{lang}/{plan}" + ("&all=1" if opened else "")).text
    words = translations(lang).gettext("Close all steps" if opened else "Open all steps")
    assert html.count(words) == 1
    assert words not in next_block(html)
    assert re.search(r'<p class="show-all"><a href="[^"]+">' + re.escape(words), html)


def test_the_printed_plan_has_its_date_answers_and_address(client: TestClient) -> None:
    html = client.get(f"/en/moving/plan?{ABROAD_WITH_CHILDREN}&event_date=2027-06-18").text
    header = re.search(r'<section class="print-only print-header".*?</section>', html, re.S)
    assert header
    text = header.group(0)
    assert "Friday 18 June 2027" in text
    assert re.search(r"/en/moving/plan\?[^<]*event_date=2027-06-18", text)
    assert text.count("<dt>") >= 2 + 7  # the facts and the seven answers


def _journey(headings: TimingHeadings | None) -> Journey:
    made = Journey.model_validate(journey())
    return made.model_copy(update={"timing_headings": headings})


def _plan_with_steps(*steps: tuple[str, str]) -> Plan:
    made = tuple(
        PlanStep(
            key=f"x/{step_id}",
            id=step_id,
            journey="x",
            kind="task",
            timing=timing,
            title=step_id,
            body="",
            organisation=None,
            links=(),
            sources=(),
            deadline_rule=None,
            earliest_rule=None,
            due=None,
            opens=None,
            overdue=False,
            check=False,
            reasons=(),
            ptv_service=None,
            terms=(),
        )
        for step_id, timing in steps
    )
    return Plan("x", "en", None, None, (), (), made, (), (), (), False)


@pytest.mark.parametrize(("lang", "word"), [("fi", "ja"), ("sv", "och"), ("en", "and")])
def test_several_answers_read_as_a_list_with_and(client: TestClient, lang: str, word: str) -> None:
    """On check answers and in the printed plan's header: "A ja B", not "A, B"."""
    planner = client.app.state.catalogue.current.planner
    view = planner.question_view("moving_children_ages", lang, "moving")
    labels = {o.id: o.label for o in view.options}
    both = f"{labels['under_school_age']} {word} {labels['school_age']}"
    query = f"{ABROAD_WITH_CHILDREN}&event_date=2027-06-18"
    check = client.get(f"/{lang}/moving/check?{query}").text
    plan = client.get(f"/{lang}/moving/plan?{query}").text
    assert both in check
    assert f"<dd>{both}</dd>" in plan  # the print header's answers
    assert f"{labels['under_school_age']}, {labels['school_age']}" not in check
