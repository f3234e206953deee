"""The calendar file goes to third-party calendars: it carries the dated steps and the journey's
public start page, and nothing the person told Polku (answers, reasons, a checklist id)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import icalendar
from fastapi.testclient import TestClient

from api.config import Settings
from api.main import create_app
from tests.conftest import PUBLIC_URL
from tests.pages.test_flow import ABROAD_WITH_CHILDREN
from tests.pages.test_saved import save

PAIRS = [
    (question, value)
    for question, answer in ABROAD_WITH_CHILDREN.items()
    for value in (answer if isinstance(answer, list) else [answer])
]
QUERY = urlencode([*PAIRS, ("event_date", "2027-06-18")])


def strings(data: Any, key: str) -> Iterator[str]:
    """Every string under `key`, anywhere in a JSON document."""
    if isinstance(data, dict):
        for k, v in data.items():
            if k == key:
                yield from (v if isinstance(v, list) else [v])
            else:
                yield from strings(v, key)
    elif isinstance(data, list):
        for item in data:
            yield from strings(item, key)


def calendar_text(raw: bytes) -> str:
    """The file as text with folded lines joined (RFC 5545 folds at 75 octets)."""
    return raw.decode().replace("\r\n ", "")


def test_the_calendar_carries_no_answers_no_reasons_and_no_plan_address(
    client: TestClient,
) -> None:
    response = client.get(f"/en/moving/plan.ics?{QUERY}")
    assert response.status_code == 200
    calendar = icalendar.Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    assert events
    # What the person said: question ids, option ids (longer than 3 letters: "no" and "yes"
    # are ordinary words), the query string, and the reasons the plan gives ("You said ...").
    plan = client.get("/v1/journeys/moving/plan", params=[*PAIRS, ("lang", "en")]).json()
    reasons = set(strings(plan, "reasons"))
    assert reasons
    personal = {q for q, _ in PAIRS} | {v for _, v in PAIRS if len(v) > 3} | reasons
    personal |= {QUERY, "/plan", "/checklist/"}
    text = calendar_text(response.content)
    assert [p for p in personal if p in text] == []
    for event in events:
        values = " ".join(str(event.get(name, "")) for name in event)
        assert [p for p in personal if p in values] == []
        assert str(event["url"]) == f"{PUBLIC_URL}/en/moving/"
    # Stable: the same plan gives the same events, one per step.
    uids = [str(e["uid"]) for e in events]
    assert len(set(uids)) == len(uids)
    again = icalendar.Calendar.from_ical(client.get(f"/en/moving/plan.ics?{QUERY}").content)
    assert [str(e["uid"]) for e in again.walk("VEVENT")] == uids


def test_a_saved_checklists_calendar_has_no_checklist_id_and_links_the_public_address(
    client: TestClient, database_url: str
) -> None:
    link = save(client)
    checklist_id = link.rsplit("/", 1)[1]
    page = client.get(link).text
    found = re.search(r'href="([^"]+\.ics[^"]*)"', page)
    assert found is not None
    calendar_link = found.group(1).replace("&amp;", "&")
    assert checklist_id not in calendar_link
    raw = client.get(calendar_link).content
    assert checklist_id not in calendar_text(raw)

    settings = Settings(database_url=database_url, public_url="https://polku.example")
    with TestClient(create_app(settings)) as public:
        calendar = icalendar.Calendar.from_ical(public.get(calendar_link).content)
    assert {str(e["url"]) for e in calendar.walk("VEVENT")} == {"https://polku.example/en/moving/"}
