"""Repeated GETs are answered from each worker's memory and never outlive a publish."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.config import Settings
from api.http.cache import GetCache
from api.journeys import routes, views
from api.main import create_app
from tests.conftest import PublishedTemplates, changed_journeys
from tests.server import publish

PLAN = "/v1/journeys/moving/plan?moving_to=abroad&lang=en&today=2027-01-01"
JOURNEYS_EN = "/v1/journeys?lang=en"
JOURNEY = "/v1/journeys/moving?lang=en"


def cache_of(client: TestClient) -> GetCache:
    """The app's response cache (a layer of its middleware, built by the first request)."""
    layer: Any = client.app.middleware_stack  # type: ignore[attr-defined]
    while not isinstance(layer, GetCache):
        layer = layer.app
    return layer


def counted(monkeypatch: pytest.MonkeyPatch, module: object, *names: str) -> list[str]:
    """Replace functions of `module` by ones that note each call, then do the same."""
    calls: list[str] = []

    def counting(name: str, make: Any) -> Any:
        def call(*args: object, **kwargs: object) -> Any:
            calls.append(name)
            return make(*args, **kwargs)

        return call

    for name in names:
        monkeypatch.setattr(module, name, counting(name, getattr(module, name)))
    return calls


@pytest.fixture
def planned(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Counts how often a plan is really made."""
    return counted(monkeypatch, routes, "_plan")


@pytest.fixture
def read(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Counts how often the list of journeys and a journey's definition are really made."""
    return counted(monkeypatch, views, "journey_list", "journey_definition")


def test_a_repeated_public_read_is_answered_from_memory(
    client: TestClient, read: list[str]
) -> None:
    first = client.get(JOURNEY)
    again = client.get(JOURNEY)
    assert first.headers["cache-control"] == "public, max-age=300"
    assert read == ["journey_definition"]
    assert again.content == first.content
    assert again.headers["etag"] == first.headers["etag"]
    assert again.headers["referrer-policy"] == "no-referrer"  # outer middleware still applies
    not_modified = client.get(JOURNEY, headers={"If-None-Match": first.headers["etag"]})
    assert not_modified.status_code == 304
    assert read == ["journey_definition"]


def test_language_and_query_are_part_of_the_key(client: TestClient, read: list[str]) -> None:
    client.get("/v1/journeys?lang=en")
    client.get("/v1/journeys?lang=sv")
    client.get("/v1/journeys?lang=en&kind=life")
    client.get("/v1/journeys", headers={"Accept-Language": "sv"})
    assert len(read) == 4


def test_a_plan_is_never_answered_from_memory(client: TestClient, planned: list[str]) -> None:
    """Its answers are in its address: a fast repeat would tell that someone asked them."""
    first = client.get(PLAN)
    again = client.get(PLAN)
    assert first.headers["cache-control"].startswith("private")
    assert again.content == first.content
    assert planned == ["_plan", "_plan"]
    assert len(cache_of(client)) == 0


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
    publish(
        database_url, changed_journeys(tmp_path, "moving", "en: Moving home", "en: Moving house")
    )
    client.app.state.catalogue.refresh()  # type: ignore[attr-defined]
    after = client.get("/v1/journeys/moving?lang=en").json()
    assert (before["version"], before["title"]) == (1, "Moving home")
    assert (after["version"], after["title"]) == (2, "Moving house")


def test_a_cached_answer_is_still_in_the_access_log_by_route(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="polku.access")
    client.get(JOURNEY)
    client.get(JOURNEY)
    assert len(cache_of(client)) == 1
    lines = [r.getMessage() for r in caplog.records if r.name == "polku.access"]
    assert [line.rsplit(" ", 1)[0] for line in lines] == [
        "GET /v1/journeys/{slug} 200",
        "GET /v1/journeys/{slug} 200",
    ]


@pytest.fixture(scope="module")
def published_sqlite(
    tmp_path_factory: pytest.TempPathFactory, published_templates: PublishedTemplates
) -> str:
    """One SQLite database with the bundled journeys for the tests below, which need their own
    settings but nothing of the database (the cache sits in front of it)."""
    return published_templates.sqlite_copy(tmp_path_factory.mktemp("cache") / "polku.sqlite3")


@pytest.fixture
def small_cache(published_sqlite: str) -> Iterator[TestClient]:
    """An app whose cache keeps at most 20 kB."""
    settings = Settings(database_url=published_sqlite, cache_max_bytes=20_000)
    with TestClient(create_app(settings)) as client:
        yield client


def test_a_flood_of_long_addresses_leaves_the_cache_empty(small_cache: TestClient) -> None:
    for n in range(50):
        assert small_cache.get(f"/fi/?q={n}{'x' * 60_000}").status_code == 200
        assert small_cache.get(f"/v1/journeys?pad={n}{'x' * 600}").status_code == 200
    assert (len(cache_of(small_cache)), cache_of(small_cache).bytes) == (0, 0)


def test_the_cache_never_holds_more_bytes_than_its_bound(small_cache: TestClient) -> None:
    cache = cache_of(small_cache)
    sizes = []
    for n in range(40):
        response = small_cache.get(f"/v1/journeys?lang=en&pad={n}")
        assert response.headers["cache-control"] == "public, max-age=300"
        sizes.append(len(response.content))
        assert cache.bytes <= 20_000
    assert 1 <= len(cache) < 40
    assert cache.bytes > 20_000 - 2 * max(sizes)  # full, not emptied
    # Its count is of what it really holds.
    assert cache.bytes == sum(entry.size for entry in cache._entries.values())
    # The newest is kept (the oldest went first).
    before = len(cache)
    small_cache.get("/v1/journeys?lang=en&pad=39")
    assert len(cache) == before


def test_a_response_larger_than_the_whole_bound_is_not_kept(published_sqlite: str) -> None:
    settings = Settings(database_url=published_sqlite, cache_max_bytes=1000)
    with TestClient(create_app(settings)) as client:
        assert len(client.get("/v1/journeys?lang=en").content) > 1000
        assert (len(cache_of(client)), cache_of(client).bytes) == (0, 0)


@pytest.mark.parametrize("root", ["/fi", "/embed/sv"])
def test_pages_without_a_person_in_them_are_kept_and_public(
    published_sqlite: str, root: str
) -> None:
    with TestClient(create_app(Settings(database_url=published_sqlite))) as client:
        pages = [f"{root}/moving/", f"{root}/moving/questions"]
        if not root.startswith("/embed"):
            pages.append(f"{root}/")  # the embed pages have no home page
        for address in pages:
            first, again = client.get(address), client.get(address)
            assert (first.status_code, first.history) == (200, []), address
            assert first.headers["cache-control"] == "public, max-age=300", address
            assert again.text == first.text
        assert len(cache_of(client)) == len(pages)


@pytest.mark.parametrize("root", ["/fi", "/embed/sv"])
def test_pages_with_answers_in_their_address_are_never_kept(
    published_sqlite: str, root: str
) -> None:
    answers = (
        "moving_to=abroad&moving_destination=nordic&moving_abroad_length=over_6_months"
        "&moving_finnish_citizen=yes&children=no&event_date=2027-03-01"
    )
    with TestClient(create_app(Settings(database_url=published_sqlite))) as client:
        pages = [
            f"{root}/moving/questions?moving_to=abroad",
            f"{root}/moving/check?{answers}",
            f"{root}/moving/plan?{answers}",
            f"{root}/moving/plan.ics?{answers}",
        ]
        for address in pages:
            for _ in range(2):
                response = client.get(address)
                assert (response.status_code, response.history) == (200, []), address
                assert response.headers["cache-control"] == "private, no-store", address
        # A search is no answer, but it is not kept either.
        assert "public" not in client.get("/fi/?q=moving").headers["cache-control"]
        assert len(cache_of(client)) == 0


def test_a_response_from_memory_names_each_vary_value_once_and_no_other_requests_origin(
    client: TestClient,
) -> None:
    """The CORS headers of the request that filled the cache are that request's own: replayed,
    they doubled `Vary: Origin` and offered the first portal's origin to every later caller.
    (A public read: plans are never kept.)"""
    portal = {"Origin": "https://portal.example"}
    answers = [client.get(JOURNEYS_EN, headers=headers) for headers in (portal, portal, {}, {})]
    for response in answers:
        values = [v.strip() for v in ",".join(response.headers.get_list("vary")).split(",")]
        assert sorted(values) == ["Accept-Language", "Origin"], response.headers.get_list("vary")
    assert [r.headers.get("access-control-allow-origin") for r in answers] == [
        portal["Origin"],
        portal["Origin"],
        None,
        None,
    ]
