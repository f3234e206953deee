"""The plan fast path (`api/journeys/fast.py`) answers exactly what the declared route does:
the same status, headers and bytes for ordinary plans in every language, with and without
dates, overdue steps, included journeys and If-None-Match, and every unusual request is left to
the route (so its errors stay FastAPI's)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from api.journeys import fast
from tests.conftest import PublishedTemplates
from tests.fast_paths import Clients, same_answer, with_and_without

MOVING_ABROAD = (
    "moving_to=abroad&moving_destination=other&moving_abroad_length=over_6_months"
    "&moving_finnish_citizen=yes&children=yes&moving_children_ages=under_school_age,school_age"
)
# (query string, headers): answered by the fast path.
ORDINARY: list[tuple[str, str, list[tuple[str, str]]]] = [
    ("moving", MOVING_ABROAD + "&event_date=2027-08-02&today=2027-07-19&lang=en", []),
    ("moving", MOVING_ABROAD + "&event_date=2027-08-02&today=2027-07-19", []),
    ("moving", MOVING_ABROAD + "&event_date=2027-08-02", [("accept-language", "sv-FI,sv;q=0.9")]),
    # Overdue: the event was long ago.
    ("moving", MOVING_ABROAD + "&event_date=2020-01-15&today=2027-07-19&lang=fi", []),
    (
        "moving",
        "moving_to=other_municipality&children=yes&moving_children_ages=school_age"
        "&moving_children_ages=under_school_age&moving_housing_allowance=not_sure&lang=sv",
        [],
    ),
    ("moving", "", []),
    ("moving", "lang=en", [("accept-language", "sv")]),
    ("death-of-a-loved-one", "lang=en&today=2027-01-02", []),
    ("death-of-a-loved-one", "event_date=2026-12-01&today=2027-03-01&lang=sv", []),
    ("having-a-child", "event_date=2027-05-05", [("accept-language", "de, en;q=0.8")]),
    ("starting-a-business", "lang=fi", [("accept-language", "x" * 500)]),
]
# Refused by the engine: answered by the fast path with the route's error.
REFUSED: list[tuple[str, str, list[tuple[str, str]]]] = [
    ("no-such-journey", "lang=en", []),
    ("moving", "moving_to=the-moon", []),
    ("moving", "lang=en&unknown_question=1", []),
    ("moving", "moving_children_ages=teenage,school_age", []),
    ("moving", "event_date=2027-01-01&moving_to=abroad&moving_to=x", [("accept-language", "en")]),
]
# Left to the declared route.
UNUSUAL: list[tuple[str, str, list[tuple[str, str]]]] = [
    ("Moving", "", []),
    ("moving--x", "", []),
    ("a" * 81, "", []),
    ("moving", "lang=de", []),
    ("moving", "lang=", []),
    ("moving", "lang=en&lang=sv", []),
    ("moving", "today=2027-01-01&today=2027-01-02", []),
    ("moving", "event_date=2027-02-30", []),
    ("moving", "event_date=2027-2-3", []),
    ("moving", "event_date=1899-12-31", []),
    ("moving", "today=", []),
    ("moving", "", [("accept-language", "x" * 501)]),
    ("moving", "", [("accept-language", "sv"), ("accept-language", "en")]),
]


@pytest.fixture
def clients(tmp_path: Path, published_templates: PublishedTemplates) -> Iterator[Clients]:
    with with_and_without(fast.PlanFastPath, tmp_path, published_templates) as both:
        both[0].get("/v1/journeys/moving/plan")  # the first goes through the route (see fast.py)
        yield both


@pytest.fixture
def answered(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Whether the fast path answered each request (True) or passed it on (False)."""
    seen: list[bool] = []
    original = fast.PlanFastPath._answer

    def spy(self: fast.PlanFastPath, scope: Any) -> Any:
        response = original(self, scope)
        seen.append(response is not None)
        return response

    monkeypatch.setattr(fast.PlanFastPath, "_answer", spy)
    return seen


def test_ordinary_plans_are_answered_by_the_fast_path_byte_for_byte(
    clients: Clients, answered: list[bool]
) -> None:
    for slug, query, headers in ORDINARY:
        answered.clear()
        path = f"/v1/journeys/{slug}/plan?{query}"
        assert same_answer(clients, "GET", path, headers) == 200
        assert same_answer(clients, "HEAD", path, headers) == 200
        assert answered == [True, True], path
        etag = clients[1].get(path, headers=headers).headers["etag"]
        answered.clear()
        assert same_answer(clients, "GET", path, [*headers, ("if-none-match", etag)]) == 304
        assert answered == [True], path


def test_refused_plans_get_the_routes_error_byte_for_byte(
    clients: Clients, answered: list[bool]
) -> None:
    for slug, query, headers in REFUSED:
        answered.clear()
        path = f"/v1/journeys/{slug}/plan?{query}"
        assert same_answer(clients, "GET", path, headers) in (404, 422), path
        assert answered == [True], path


def test_unusual_requests_are_left_to_the_declared_route(
    clients: Clients, answered: list[bool]
) -> None:
    for slug, query, headers in UNUSUAL:
        answered.clear()
        path = f"/v1/journeys/{slug}/plan?{query}"
        same_answer(clients, "GET", path, headers)  # mostly 404 and 422; a repeated lang is 200
        assert answered == [False], path


def test_the_access_log_names_the_route(clients: Clients, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level("INFO", logger="polku.access"):
        clients[0].get("/v1/journeys/moving/plan?lang=en")
        clients[0].get("/v1/journeys/nowhere/plan?lang=en")
    assert [
        r.getMessage().rsplit(" ", 1)[0] for r in caplog.records if r.name == "polku.access"
    ] == [
        "GET /v1/journeys/{slug}/plan 200",
        "GET /v1/journeys/{slug}/plan 404",
    ]
