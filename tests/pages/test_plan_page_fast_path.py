"""The plan page's fast path (`api/pages/fast.py`) answers exactly what the router does: the
same status, headers and bytes (form tokens aside: they are signed with the time) for plan pages
in every language, embedded, with every step open, overdue, incomplete (a redirect) and refused;
unknown journeys and languages are left to the router."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from api.pages import fast
from tests.conftest import PublishedTemplates
from tests.fast_paths import Clients, same_answer, with_and_without

MOVING_ABROAD = (
    "moving_to=abroad&moving_destination=other&moving_abroad_length=over_6_months"
    "&moving_finnish_citizen=yes&children=yes"
    "&moving_children_ages=under_school_age&moving_children_ages=school_age"
)
WITHIN = "moving_to=other_municipality&children=no&moving_housing_allowance=no"
# Answered by the fast path (the route's function, called directly).
ORDINARY = [
    f"/en/moving/plan?{MOVING_ABROAD}&event_date=2027-08-02",
    f"/fi/moving/plan?{MOVING_ABROAD}&event_date=2027-08-02",
    f"/sv/moving/plan?{MOVING_ABROAD}&event_date=2027-08-02&all=1",
    f"/embed/en/moving/plan?{MOVING_ABROAD}&event_date=2027-08-02",
    f"/embed/fi/moving/plan?{WITHIN}&event_date=2020-01-15",  # overdue
    f"/en/moving/plan?{WITHIN}&event_date=",
    f"/en/moving/plan?{WITHIN}&event_date.day=3&event_date.month=2&event_date.year=2027",
    f"/fi/moving/plan?{WITHIN}&event_date=2027-02-30",
    "/en/moving/plan?moving_to=abroad",  # questions left: a redirect
    "/en/moving/plan?moving_to=the-moon",
    "/en/moving/plan",
    "/sv/death-of-a-loved-one/plan?lang=en",
]
# Left to the router.
UNUSUAL = [
    "/en/no-such-journey/plan",
    "/de/moving/plan",
    "/v1/moving/plan",
    "/en/moving/x/plan",
    "/en//plan",
    "/embed/embed/en/moving/plan",
]


def _unsigned(body: bytes) -> bytes:
    return re.sub(rb'name="csrf" value="[^"]*"', b'name="csrf" value=""', body)


@pytest.fixture
def clients(tmp_path: Path, published_templates: PublishedTemplates) -> Iterator[Clients]:
    with with_and_without(fast.PlanPageFastPath, tmp_path, published_templates) as both:
        # The first of each goes through the router (see fast.py).
        both[0].get(f"/en/moving/plan?{WITHIN}")
        both[0].get(f"/embed/en/moving/plan?{WITHIN}")
        yield both


@pytest.fixture
def answered(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The plan pages the fast path rendered itself."""
    seen: list[str] = []
    original = fast.routes.plan_page

    async def spy(request: Any, lang: str, slug: str) -> Any:
        seen.append(request.url.path)
        return await original(request, lang, slug)

    monkeypatch.setattr(fast.routes, "plan_page", spy)
    return seen


def _same(clients: Clients, method: str, path: str) -> int:
    return same_answer(
        clients,
        method,
        path,
        [("accept-language", "sv")],
        body=_unsigned,
        follow_redirects=False,
    )


def test_plan_pages_are_answered_by_the_fast_path_byte_for_byte(
    clients: Clients, answered: list[str]
) -> None:
    statuses = set()
    for path in ORDINARY:
        answered.clear()
        statuses.add(_same(clients, "GET", path))
        statuses.add(_same(clients, "HEAD", path))
        assert len(answered) == 2, path
    assert statuses == {200, 303}


def test_unusual_addresses_are_left_to_the_router(clients: Clients, answered: list[str]) -> None:
    for path in UNUSUAL:
        answered.clear()
        assert _same(clients, "GET", path) == 404, path
        assert answered == [], path


def test_the_access_log_names_the_route(clients: Clients, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level("INFO", logger="polku.access"):
        clients[0].get(f"/en/moving/plan?{WITHIN}")
        clients[0].get(f"/embed/sv/moving/plan?{WITHIN}")
    assert [
        r.getMessage().rsplit(" ", 1)[0] for r in caplog.records if r.name == "polku.access"
    ] == [
        "GET /{lang}/{slug}/plan 200",
        "GET /{lang}/{slug}/plan 200",
    ]
