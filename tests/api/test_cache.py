"""Plans serialised from the engine's dataclasses match the contract; repeated GETs are answered
from each worker's memory and never outlive a publish."""

from __future__ import annotations

import datetime as dt
import logging
import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.catalogue.service import import_directory
from api.db import make_engine, make_sessions
from api.engine.check import check_directory
from api.public import routes, views
from api.public.cache import plan_json
from api.public.schemas import PlanRead
from tests.conftest import JOURNEYS

PLAN = "/v1/journeys/moving/plan?moving_to=abroad&lang=en&today=2027-01-01"


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_fast_plan_json_is_exactly_the_documented_plan(lang: str) -> None:
    planner = check_directory(JOURNEYS).planner
    assert planner is not None
    plan = planner.plan(
        "death-of-a-loved-one",
        {"survivor_moves": "not_sure", "children": "yes"},
        event_date=dt.date(2026, 3, 1),
        today=dt.date(2026, 7, 1),
        lang=lang,
    )
    assert PlanRead.model_validate_json(plan_json(plan, 7)) == views.plan_read(plan, 7)


@pytest.fixture
def planned(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Counts how often a plan is really made."""
    calls: list[str] = []
    make = routes._plan

    def counting(*args: object, **kwargs: object) -> bytes:
        calls.append("plan")
        return make(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(routes, "_plan", counting)
    return calls


def test_a_repeated_get_is_answered_from_memory(client: TestClient, planned: list[str]) -> None:
    first = client.get(PLAN)
    again = client.get(PLAN)
    assert planned == ["plan"]
    assert again.content == first.content
    assert again.headers["etag"] == first.headers["etag"]
    assert again.headers["referrer-policy"] == "no-referrer"  # outer middleware still applies
    not_modified = client.get(PLAN, headers={"If-None-Match": first.headers["etag"]})
    assert not_modified.status_code == 304
    assert planned == ["plan"]


def test_language_and_query_are_part_of_the_key(client: TestClient, planned: list[str]) -> None:
    client.get(PLAN)
    client.get(PLAN.replace("lang=en", "lang=sv"))
    client.get(PLAN + "&children=no")
    assert len(planned) == 3


def test_errors_and_posts_are_not_kept(client: TestClient, planned: list[str]) -> None:
    assert client.get("/v1/journeys/moving/plan?moving_to=mars").status_code == 422
    assert client.get("/v1/journeys/moving/plan?moving_to=mars").status_code == 422
    client.post("/v1/journeys/moving/plan", json={"answers": {"moving_to": "abroad"}})
    client.post("/v1/journeys/moving/plan", json={"answers": {"moving_to": "abroad"}})
    assert len(planned) == 4


def test_a_publish_makes_older_responses_unreachable(
    client: TestClient, planned: list[str], database_url: str, tmp_path: Path
) -> None:
    before = client.get("/v1/journeys/moving?lang=en").json()
    changed = tmp_path / "journeys"
    shutil.copytree(JOURNEYS, changed)
    path = changed / "moving.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("en: Moving home", "en: Moving house", 1),
        encoding="utf-8",
    )
    engine = make_engine(database_url)
    try:
        import_directory(make_sessions(engine), changed)
    finally:
        engine.dispose()
    client.app.state.catalogue.refresh()  # type: ignore[attr-defined]
    after = client.get("/v1/journeys/moving?lang=en").json()
    assert (before["version"], before["title"]) == (1, "Moving home")
    assert (after["version"], after["title"]) == (2, "Moving house")


def test_a_cached_answer_is_still_in_the_access_log_by_route(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="polku.access")
    client.get(PLAN)
    client.get(PLAN)
    lines = [r.getMessage() for r in caplog.records if r.name == "polku.access"]
    assert [line.rsplit(" ", 1)[0] for line in lines] == [
        "GET /v1/journeys/{slug}/plan 200",
        "GET /v1/journeys/{slug}/plan 200",
    ]


def test_a_response_from_memory_names_each_vary_value_once_and_no_other_requests_origin(
    client: TestClient,
) -> None:
    """The CORS headers of the request that filled the cache are that request's own: replayed,
    they doubled `Vary: Origin` and offered the first portal's origin to every later caller."""
    portal = {"Origin": "https://portal.example"}
    answers = [client.get(PLAN, headers=headers) for headers in (portal, portal, {}, {})]
    for response in answers:
        values = [v.strip() for v in ",".join(response.headers.get_list("vary")).split(",")]
        assert sorted(values) == ["Accept-Language", "Origin"], response.headers.get_list("vary")
    assert [r.headers.get("access-control-allow-origin") for r in answers] == [
        portal["Origin"],
        portal["Origin"],
        None,
        None,
    ]
