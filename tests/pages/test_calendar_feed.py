"""A saved checklist's live calendar, as a calendar app sees it: an unguessable address derived
from the private id (that cannot open the checklist), parsed with icalendar; a deadline event
with an alarm and an all-day reminder a week before for each step to do; stable UIDs, so a tick
or a new date changes events in place; and nothing the person told Polku."""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterator
from typing import Any

import icalendar
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from api.checklists.models import Checklist
from api.checklists.service import calendar_token, hash_id
from api.db import make_engine
from tests.conftest import PUBLIC_URL
from tests.pages.conftest import app_client
from tests.pages.test_calendar_privacy import PAIRS, QUERY
from tests.pages.test_saved import Forms, post
from tests.pages.test_saved import save as save_plan

# Moving abroad with children: several dated steps.
PLAN = f"/en/moving/plan?{QUERY}"
# What the person said: question ids and option ids (but "no" and "yes" are ordinary words).
ANSWERS = {q for q, _ in PAIRS} | {v for _, v in PAIRS if len(v) > 3}


def save(client: TestClient) -> str:
    return save_plan(client, PLAN)


@pytest.fixture(scope="module")
def client(shared_database_url: str) -> Iterator[TestClient]:
    with app_client(shared_database_url) as client:
        yield client


def feed_address(page: str) -> str:
    """The https address the checklist page offers to paste, checked against its webcal link."""
    found = re.search(r'id="calendar-link" type="text" value="([^"]+)"', page)
    assert found is not None
    address = html.unescape(found.group(1))
    assert f'href="webcal://{address.split("://", 1)[1]}"' in page
    return address


def read_feed(client: TestClient, address: str) -> icalendar.Calendar:
    assert address.startswith(PUBLIC_URL)
    response = client.get(address.removeprefix(PUBLIC_URL))
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    assert response.headers["cache-control"].startswith("private")
    return icalendar.Calendar.from_ical(response.content)


def events(calendar: icalendar.Calendar) -> dict[str, Any]:
    """Each event by UID: its summary, start day and whether it has an alarm."""
    return {
        str(e["uid"]): (str(e["summary"]), e.decoded("dtstart"), bool(e.walk("VALARM")))
        for e in calendar.walk("VEVENT")
    }


def dated_steps(client: TestClient, checklist_id: str) -> list[dict[str, Any]]:
    read = client.get(f"/v1/checklists/{checklist_id}", params={"lang": "en"}).json()
    return [s for s in read["plan"]["steps"] if s["due"]]


def test_the_feed_has_a_reminded_deadline_and_a_reminder_a_week_before_per_step(
    client: TestClient,
) -> None:
    link = save(client)
    checklist_id = link.rsplit("/", 1)[1]
    page = client.get(link).text
    address = feed_address(page)
    # Unguessable, and derived one-way: the feed's address is not the checklist's.
    token = calendar_token(checklist_id)
    assert address == f"{PUBLIC_URL}/en/checklist/calendar/{token}.ics"
    assert checklist_id not in address
    assert len(token) == 43

    calendar = read_feed(client, address)
    # How often to poll again, in the forms calendar apps read.
    assert calendar["refresh-interval"].to_ical() == b"PT6H"
    assert str(calendar["x-published-ttl"]) == "PT6H"
    steps = dated_steps(client, checklist_id)
    assert steps  # the real journeys have few legal deadlines: this plan has one
    deadlines = [e for e in calendar.walk("VEVENT") if e.walk("VALARM")]
    reminders = [e for e in calendar.walk("VEVENT") if not e.walk("VALARM")]
    assert sorted(str(e["summary"]) for e in deadlines) == sorted(s["title"] for s in steps)
    assert len(reminders) == len(deadlines)
    for step in steps:
        due = dt.date.fromisoformat(step["due"])
        (deadline,) = [e for e in deadlines if str(e["summary"]) == step["title"]]
        assert deadline.decoded("dtstart") == due
        (alarm,) = deadline.walk("VALARM")
        assert alarm["action"] == "DISPLAY"
        assert alarm.decoded("trigger") < dt.timedelta(0)  # before the deadline
        (reminder,) = [
            e for e in reminders if str(e["summary"]).startswith(f"Reminder: {step['title']} by ")
        ]
        assert reminder.decoded("dtstart") == due - dt.timedelta(days=7)
        assert deadline["uid"] != reminder["uid"]

    # Nothing the person said, no private address: the start page is the only link.
    text = calendar.to_ical().decode().replace("\r\n ", "")
    assert [word for word in (checklist_id, "/checklist/", *ANSWERS) if word in text] == []
    assert {str(e["url"]) for e in calendar.walk("VEVENT")} == {f"{PUBLIC_URL}/en/moving/"}


def test_a_tick_and_a_new_date_change_the_feed_in_place(client: TestClient) -> None:
    link = save(client)
    checklist_id = link.rsplit("/", 1)[1]
    address = feed_address(client.get(link).text)
    before = events(read_feed(client, address))
    assert read_feed(client, address).to_ical() != b""
    assert events(read_feed(client, address)) == before  # polling again changes nothing

    step = dated_steps(client, checklist_id)[0]
    journey, step_id = step["key"].split("/")
    tick = Forms(client.get(link).text).posting_to(rf"/steps/{journey}/{step_id}$")
    post(client, tick.action, tick.fields)
    ticked = events(read_feed(client, address))
    changed = {uid for uid in before if ticked.get(uid) != before[uid]}
    # The step's deadline stays, marked done and without its alarm; its reminder goes.
    (done_uid,) = [uid for uid in changed if uid in ticked]
    assert ticked[done_uid] == (f"Done: {step['title']}", before[done_uid][1], False)
    (gone,) = [uid for uid in changed if uid not in ticked]
    assert before[gone][0].startswith(f"Reminder: {step['title']} ")
    assert set(ticked) == set(before) - {gone}

    form = Forms(client.get(link).text).posting_to(r"/event-date$")
    later = [("event_date.day", "16"), ("event_date.month", "7"), ("event_date.year", "2027")]
    post(client, form.action, [*form.fields, *later])
    moved = events(read_feed(client, address))
    assert set(moved) == set(ticked)  # the same events, updated: nothing doubles
    assert sum(moved[uid][1] != ticked[uid][1] for uid in moved) >= len(moved) // 2
    assert all(moved[uid][1] > ticked[uid][1] for uid in moved if moved[uid][1] != ticked[uid][1])


def test_the_feed_speaks_the_language_it_was_offered_in(client: TestClient) -> None:
    link = save(client)
    page = client.get(link.replace("/en/", "/fi/", 1)).text
    address = feed_address(page)
    assert "/fi/checklist/calendar/" in address
    summaries = [str(e["summary"]) for e in read_feed(client, address).walk("VEVENT")]
    assert any(s.startswith("Muistutus: ") and " viimeistään " in s for s in summaries)


def test_an_unknown_or_deleted_checklists_feed_is_not_found(client: TestClient) -> None:
    assert client.get(f"/en/checklist/calendar/{'a' * 43}.ics").status_code == 404
    assert client.get(f"/en/checklist/calendar/{'a' * 400}.ics").status_code == 404
    link = save(client)
    address = feed_address(client.get(link).text)
    # The private id itself is no feed token.
    assert client.get(f"/en/checklist/calendar/{link.rsplit('/', 1)[1]}.ics").status_code == 404
    form = Forms(client.get(f"{link}/delete").text).posting_to(r"/delete$")
    post(client, form.action, form.fields)
    assert client.get(address.removeprefix(PUBLIC_URL)).status_code == 404


def test_an_older_checklist_gets_its_feed_when_opened_and_polling_does_not_keep_it(
    client: TestClient, shared_database_url: str
) -> None:
    link = save(client)
    checklist_id = link.rsplit("/", 1)[1]
    address = f"{PUBLIC_URL}/en/checklist/calendar/{calendar_token(checklist_id)}.ics"
    path = address.removeprefix(PUBLIC_URL)
    engine = make_engine(shared_database_url)
    row = Checklist.id_hash == hash_id(checklist_id)
    try:
        with engine.begin() as connection:  # as saved before feeds existed
            connection.execute(update(Checklist).where(row).values(calendar_hash=None))
        assert client.get(path).status_code == 404
        assert feed_address(client.get(link).text) == address  # opening the page sets it
        with engine.begin() as connection:
            used = connection.execute(select(Checklist.last_used_at).where(row)).scalar_one()
        read_feed(client, address)
        with engine.begin() as connection:
            after = connection.execute(select(Checklist.last_used_at).where(row)).scalar_one()
        assert after == used  # a calendar app polling is not the person using the checklist
    finally:
        engine.dispose()
