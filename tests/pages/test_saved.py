"""Keeping track on the pages: save a plan, come back through the private link, tick steps,
change the date, delete; forms that did not come from our pages change nothing."""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

import pytest
from fastapi.testclient import TestClient
from httpx2 import Response

from api.catalogue.service import import_directory
from api.db import make_engine, make_sessions
from tests.conftest import JOURNEYS, PUBLIC_URL

PLAN = (
    "/en/moving/plan?moving_to=other_municipality&children=no&moving_housing_allowance=no"
    "&event_date=2027-06-18"
)


@dataclass
class PageForm:
    action: str
    method: str
    fields: list[tuple[str, str]] = field(default_factory=list)


class Forms(HTMLParser):
    """Every form of a page with its hidden fields."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.forms: list[PageForm] = []
        self.open = False
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append(PageForm(a["action"], a.get("method", "get")))
            self.open = True
        elif tag == "input" and self.open and a.get("type") == "hidden":
            self.forms[-1].fields.append((a["name"], a["value"]))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.open = False

    def posting_to(self, pattern: str) -> PageForm:
        return next(f for f in self.forms if f.method == "post" and re.search(pattern, f.action))


def post(
    client: TestClient,
    action: str,
    fields: list[tuple[str, str]],
    headers: dict[str, str] | None = None,
    follow_redirects: bool = True,
) -> Response:
    """Send a form as a browser does (urlencoded; a field may repeat)."""
    return client.post(
        action,
        content=urlencode(fields),
        headers={"Content-Type": "application/x-www-form-urlencoded", **(headers or {})},
        follow_redirects=follow_redirects,
    )


def save(client: TestClient, plan: str = PLAN) -> str:
    """Save the plan page's checklist; return the private link's path."""
    form = Forms(client.get(plan).text).posting_to(r"/save$")
    response = post(client, form.action, form.fields, follow_redirects=False)
    assert response.status_code == 303
    location = response.headers["location"]
    # The checklist's address, flagged once to say it was saved.
    assert re.fullmatch(r"/en/checklist/[A-Za-z0-9_-]{43}\?saved=1", location)
    return location.removesuffix("?saved=1")


def test_a_saved_checklist_keeps_ticks_and_comes_back_through_its_private_link(
    client: TestClient,
) -> None:
    link = save(client)
    page = client.get(link)
    assert page.status_code == 200
    assert page.headers["cache-control"] == "no-store"
    assert "noindex" in page.headers["x-robots-tag"]
    total = int(re.search(r"0 of (\d+) steps done", page.text).group(1))  # type: ignore[union-attr]
    assert total > 3
    assert f"{PUBLIC_URL}{link}" in page.text  # the private link, to copy
    assert "Monday 28 June 2027" in page.text  # the date came along
    assert "after 180 days without use" in page.text  # the privacy notice

    tick = Forms(page.text).posting_to(r"/steps/moving/")
    response = post(client, tick.action, tick.fields, follow_redirects=False)
    assert response.status_code == 303
    step = tick.action.rsplit("/", 1)[1]
    assert response.headers["location"] == f"{link}#step-moving-{step}"

    again = client.get(link).text  # leaving and coming back
    assert f"1 of {total} steps done" in again
    assert re.search(rf'class="step[^"]* done" id="step-moving-{step}"', again)

    untick = Forms(again).posting_to(rf"/steps/moving/{step}$")
    assert ("done", "0") in untick.fields
    post(client, untick.action, untick.fields)
    assert f"0 of {total} steps done" in client.get(link).text


def test_ticking_from_a_script_gets_no_content_back(client: TestClient) -> None:
    link = save(client)
    tick = Forms(client.get(link).text).posting_to(r"/steps/moving/")
    response = post(client, tick.action, tick.fields, headers={"Polku-Enhanced": "1"})
    assert response.status_code == 204
    assert "1 of" in client.get(link).text


def test_the_date_can_be_changed_and_a_wrong_one_is_explained(client: TestClient) -> None:
    link = save(client)
    form = Forms(client.get(link).text).posting_to(r"/event-date$")
    wrong = post(
        client,
        form.action,
        [
            *form.fields,
            ("event_date.day", "30"),
            ("event_date.month", "2"),
            ("event_date.year", "2027"),
        ],
    )
    assert wrong.status_code == 400
    assert "There is a problem" in wrong.text
    assert 'value="30"' in wrong.text  # what was typed is kept
    assert '<a href="#event_date">Enter a real date, for example 27 3 2027</a>' in wrong.text
    assert wrong.text.count('aria-invalid="true"') == 3  # the three boxes, marked
    assert 'aria-describedby="event-date-hint event-date-error"' in wrong.text
    right = post(
        client,
        form.action,
        [
            *form.fields,
            ("event_date.day", "1"),
            ("event_date.month", "3"),
            ("event_date.year", "2027"),
        ],
        follow_redirects=False,
    )
    assert right.status_code == 303
    assert "Monday 1 March 2027" in client.get(link).text


@pytest.mark.parametrize("year", ["1850", "2200"])
def test_a_date_outside_the_plannable_years_is_explained_and_changes_nothing(
    client: TestClient, year: str
) -> None:
    """It used to be a server error (the date was refused while making the change)."""
    link = save(client)
    form = Forms(client.get(link).text).posting_to(r"/event-date$")
    date = [("event_date.day", "1"), ("event_date.month", "3"), ("event_date.year", year)]
    wrong = post(client, form.action, [*form.fields, *date])
    assert wrong.status_code == 400
    assert "There is a problem" in wrong.text
    # The range is named, and the year comes back as typed.
    assert "Enter a date between 1 January 1900 and 31 December 2199" in wrong.text
    assert f'value="{year}"' in wrong.text
    assert "Monday 28 June 2027" in client.get(link).text  # the date saved before stays


def test_an_upgrade_that_the_answers_no_longer_fit_changes_nothing(
    client: TestClient, database_url: str, tmp_path: Path
) -> None:
    """The page keeps the notice and the checklist its version. (The refused upgrade used to be
    stored anyway, because the row was changed before planning refused it.)"""
    link = save(client)  # moving_to=other_municipality
    changed = tmp_path / "journeys"
    shutil.copytree(JOURNEYS, changed)
    # The option is renamed in every journey that asks the question (one shared definition).
    for path in changed.glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("other_municipality", "elsewhere"), encoding="utf-8")
    engine = make_engine(database_url)
    try:
        assert ("moving", 2) in import_directory(make_sessions(engine), changed).published
    finally:
        engine.dispose()
    client.app.state.catalogue.refresh()  # type: ignore[attr-defined]
    form = Forms(client.get(link).text).posting_to(r"/upgrade$")
    response = post(client, form.action, form.fields, follow_redirects=False)
    assert response.status_code == 303
    assert client.get(link).status_code == 200
    checklist = client.get(f"/v1/checklists/{link.rsplit('/', 1)[1]}").json()
    assert checklist["version"] == 1
    assert checklist["answers"]["moving_to"] == "other_municipality"


def test_deleting_asks_first_then_nothing_is_left(client: TestClient) -> None:
    link = save(client)
    page = client.get(link).text
    confirm = client.get(f"{link}/delete")
    assert confirm.status_code == 200
    assert "cannot be brought back" in confirm.text
    assert f'href="{link}/delete"' in page
    form = Forms(confirm.text).posting_to(r"/delete$")
    deleted = post(client, form.action, form.fields)
    assert deleted.status_code == 200
    assert "Your checklist was deleted" in deleted.text
    gone = client.get(link)
    assert gone.status_code == 404
    assert "Checklist not found" in gone.text
    assert post(client, form.action, form.fields).status_code == 404


@pytest.mark.parametrize(
    "tamper",
    [
        lambda fields: [(k, v) for k, v in fields if k != "csrf"],  # no token
        lambda fields: [(k, "x" + v if k == "csrf" else v) for k, v in fields],  # forged
    ],
)
def test_a_form_without_our_token_changes_nothing(client: TestClient, tamper: object) -> None:
    link = save(client)
    tick = Forms(client.get(link).text).posting_to(r"/steps/moving/")
    refused = post(client, tick.action, tamper(tick.fields))  # type: ignore[operator]
    assert refused.status_code == 400
    assert "The form has expired" in refused.text
    assert f'href="{link}"' in refused.text  # a way back
    assert "0 of" in client.get(link).text


def test_a_token_only_works_for_its_own_form(client: TestClient) -> None:
    link = save(client)
    forms = Forms(client.get(link).text)
    tick = forms.posting_to(r"/steps/moving/")
    delete = Forms(client.get(f"{link}/delete").text).posting_to(r"/delete$")
    refused = post(client, delete.action, tick.fields)
    assert refused.status_code == 400
    assert client.get(link).status_code == 200


@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "cross-site"},
        {"Origin": "https://evil.example"},
        {"Origin": "null", "Sec-Fetch-Site": "cross-site"},
    ],
)
def test_a_form_sent_from_another_site_is_refused(
    client: TestClient, headers: dict[str, str]
) -> None:
    link = save(client)
    tick = Forms(client.get(link).text).posting_to(r"/steps/moving/")
    assert post(client, tick.action, tick.fields, headers=headers).status_code == 400
    same = {"Sec-Fetch-Site": "same-origin", "Origin": "http://testserver"}
    assert post(client, tick.action, tick.fields, headers=same).status_code == 200
    # Chromium's own form posts from our no-referrer pages: Origin "null", same-origin.
    null = {"Sec-Fetch-Site": "same-origin", "Origin": "null"}
    assert post(client, tick.action, tick.fields, headers=null).status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/en/checklist/" + "a" * 43,
        "/en/checklist/short",
        "/en/checklist/" + "a" * 300,
        "/en/checklist/" + "a" * 43 + "/delete",
    ],
)
def test_an_unknown_checklist_is_a_friendly_page(client: TestClient, path: str) -> None:
    page = client.get(path)
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert "Checklist not found" in page.text


def test_saving_unfinished_answers_goes_back_to_the_questions(client: TestClient) -> None:
    form = Forms(client.get(PLAN).text).posting_to(r"/save$")
    fields = [(k, v) for k, v in form.fields if k != "children"]
    response = post(client, form.action, fields, follow_redirects=False)
    assert response.status_code == 303
    assert "/en/moving/questions" in response.headers["location"]


def test_a_saved_checklist_still_offers_the_journeys_that_may_come_next(
    client: TestClient,
) -> None:
    plan = (
        "/en/losing-a-job/plan?job_fund_member=yes&job_resigned=no&job_work_permit=no"
        "&job_money_worries=yes&job_business_idea=yes&event_date=2027-03-01"
    )
    page = client.get(link := save(client, plan)).text
    assert link.startswith("/en/checklist/")
    assert 'href="/en/debt-problems/questions' in page
    assert 'href="/en/starting-a-business/questions' in page


def test_a_new_checklist_says_once_that_it_was_saved(client: TestClient) -> None:
    form = Forms(client.get(PLAN).text).posting_to(r"/save$")
    location = post(client, form.action, form.fields, follow_redirects=False).headers["location"]
    assert 'class="banner success"' in client.get(location).text
    assert 'class="banner success"' not in client.get(location.removesuffix("?saved=1")).text


def test_a_done_step_is_tagged_and_no_longer_overdue_or_next(client: TestClient) -> None:
    # Moved a year ago: the notification of move is overdue until it is ticked off.
    link = save(client, PLAN.replace("event_date=2027-06-18", "event_date=2020-06-18"))
    html = client.get(link).text
    assert '<li class="step overdue" id="step-moving-notify-dvv">' in html
    assert "#step-moving-notify-dvv" in html.split('class="next-list overdue"')[1].split("</ul>")[0]
    form = Forms(html).posting_to(r"/steps/moving/notify-dvv$")
    post(client, form.action, form.fields)  # its form ticks it off (done=1)
    ticked = client.get(link).text
    assert '<li class="step done" id="step-moving-notify-dvv">' in ticked  # not red any more
    assert 'class="next-list overdue"' not in ticked
    step = ticked.split('id="step-moving-notify-dvv">')[1].split("</li>")[0]
    assert '<strong class="tag status"' in step
    assert "<details>" in step


def test_a_saved_checklist_offers_open_all_steps_once(client: TestClient) -> None:
    link = save(client)
    for url, words in ((link, "Open all steps"), (f"{link}?all=1", "Close all steps")):
        html = client.get(url).text
        assert html.count(words) == 1
        assert re.search(r'<p class="show-all"><a href="[^"]+">' + words, html)
