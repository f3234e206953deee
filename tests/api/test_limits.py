"""Per-client rate limits: making checklists, changing them (API and pages), and whom the
address of a request is believed to be."""

from __future__ import annotations

import logging
import os
import re
import socket
import uuid
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from limits.errors import StorageError
from pydantic import ValidationError
from sqlalchemy import func, select

from api.checklists.models import Checklist
from api.config import Settings
from api.db import make_engine, make_sessions
from api.errors import PROBLEM_JSON
from api.limits import FeedbackLimit, RateLimits, client_address
from api.main import create_app
from tests.conftest import (
    GENEROUS_LIMITS,
    PostgresDatabases,
    PublishedTemplates,
    _postgres_available,
    problem,
)
from tests.pages.test_saved import PLAN as PLAN_PAGE
from tests.pages.test_saved import Forms, post
from tests.server import running_server

NEW = {
    "journey": "moving",
    "answers": {
        "moving_to": "other_municipality",
        "children": "no",
        "moving_housing_allowance": "no",
    },
    "event_date": "2027-06-18",
}
TICK = "steps/moving/notify-dvv"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def published(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    postgres: PostgresDatabases | None,
    published_templates: PublishedTemplates,
) -> str:
    """A database of each kind with the bundled journeys, shared by this file's tests (each
    makes its own app, so each has its own counters)."""
    if request.param == "sqlite":
        return published_templates.sqlite_copy(tmp_path_factory.mktemp("limits") / "db.sqlite3")
    if postgres is None:
        pytest.skip(_postgres_available() or "PostgreSQL is not available")
    return published_templates.postgres_copy()


def app_with(url: str, **limits: Any) -> FastAPI:
    return create_app(Settings(database_url=url, **{**GENEROUS_LIMITS, **limits}))


def count_checklists(url: str) -> int:
    engine = make_engine(url)
    with make_sessions(engine)() as session:
        count = session.scalar(select(func.count()).select_from(Checklist))
    engine.dispose()
    return count or 0


def assert_too_many(response: Any, longest: int) -> None:
    """429 with Retry-After: a problem document on the API, the error page on the site."""
    assert response.status_code == 429, response.text
    if response.request.url.path.startswith("/v1/"):
        assert response.headers["content-type"] == PROBLEM_JSON
        assert response.json()["type"] == problem("too-many-requests")
    else:
        assert response.headers["content-type"].startswith("text/html")
        assert "429" in response.text
    assert 1 <= int(response.headers["retry-after"]) <= longest


def test_making_checklists_past_the_limit_is_refused_with_retry_after_and_saves_nothing(
    published: str,
) -> None:
    before = count_checklists(published)
    portal = "https://portal.example"
    app = app_with(published, limit_checklist_create="2/minute", cors_origins=[portal])
    with TestClient(app, headers={"Origin": portal}) as client:
        made = [client.post("/v1/checklists", json=NEW) for _ in range(3)]
        assert [r.status_code for r in made[:2]] == [201, 201]
        assert_too_many(made[2], 60)
        # The window frees when the first of the two leaves it, about a minute from now.
        assert int(made[2].headers["retry-after"]) >= 55
        # A portal's script may read it.
        exposed = made[2].headers["access-control-expose-headers"].lower()
        assert "retry-after" in exposed
        # Changing one is another limit.
        first = made[0].json()["id"]
        assert client.put(f"/v1/checklists/{first}/{TICK}", json={"done": True}).status_code == 200
    assert count_checklists(published) == before + 2


def test_ticks_changes_and_deletes_share_the_write_limit_and_reading_is_not_limited(
    published: str,
) -> None:
    with TestClient(app_with(published, limit_checklist_write="3/minute")) as client:
        checklist = f"/v1/checklists/{client.post('/v1/checklists', json=NEW).json()['id']}"
        assert client.put(f"{checklist}/{TICK}", json={"done": True}).status_code == 200
        assert client.patch(checklist, json={"event_date": "2027-07-01"}).status_code == 200
        # Guessing ids counts too: an unknown checklist is a write attempt all the same.
        assert client.delete("/v1/checklists/" + "x" * 43).status_code == 404
        assert_too_many(client.delete(checklist), 60)
        assert_too_many(client.put(f"{checklist}/{TICK}", json={"done": False}), 60)
        assert_too_many(client.patch(checklist, json={"event_date": "2027-08-01"}), 60)
        for _ in range(5):
            read = client.get(checklist)
            assert read.status_code == 200
        assert read.json()["done"] == ["moving/notify-dvv"]
        assert read.json()["event_date"] == "2027-07-01"


def test_the_pages_forms_count_against_the_same_limits(published: str) -> None:
    """Until the site's error page renders it, the refusal is the API's problem document."""
    app = app_with(published, limit_checklist_create="1/minute", limit_checklist_write="2/minute")
    with TestClient(app) as client:
        plan = Forms(client.get(PLAN_PAGE).text).posting_to(r"/save$")
        saved = post(client, plan.action, plan.fields, follow_redirects=False)
        assert saved.status_code == 303
        assert_too_many(post(client, plan.action, plan.fields), 60)
        # A saved checklist's page: tick, change the date, then every form is over the limit.
        here = saved.headers["location"].split("?")[0]  # without the one-time "saved" flag
        page = Forms(client.get(here).text)
        tick = page.posting_to(r"/steps/moving/notify-dvv$")
        dated = page.posting_to(r"/event-date$")
        ticked = post(client, tick.action, tick.fields, follow_redirects=False)  # done=1
        assert ticked.status_code == 303
        date = [("event_date.day", "1"), ("event_date.month", "7"), ("event_date.year", "2027")]
        moved = post(client, dated.action, dated.fields + date, follow_redirects=False)
        assert moved.status_code == 303
        assert_too_many(post(client, tick.action, tick.fields), 60)
        assert_too_many(post(client, dated.action, dated.fields + date), 60)
        # Counted before the form is checked: no token needed to be refused.
        assert_too_many(post(client, f"{here}/upgrade", []), 60)
        assert_too_many(post(client, f"{here}/delete", []), 60)
        # Still there, with its tick.
        assert re.search(
            r'class="step[^"]* done" id="step-moving-notify-dvv"', client.get(here).text
        )


def test_each_client_is_counted_apart(published: str) -> None:
    app = app_with(published, limit_checklist_create="1/minute")
    with TestClient(app, client=("198.51.100.1", 1234)) as first:
        second = TestClient(app, client=("198.51.100.2", 1234))
        assert first.post("/v1/checklists", json=NEW).status_code == 201
        assert first.post("/v1/checklists", json=NEW).status_code == 429
        assert second.post("/v1/checklists", json=NEW).status_code == 201


def test_a_forwarded_address_is_believed_only_from_a_trusted_proxy(published: str) -> None:
    app = app_with(published, limit_checklist_create="2/minute", trusted_proxies=["10.0.0.0/8"])
    with TestClient(app, client=("203.0.113.9", 1234)) as stranger:
        # A client that names a new address each time is still itself.
        statuses = [
            stranger.post(
                "/v1/checklists", json=NEW, headers={"X-Forwarded-For": f"192.0.2.{n}"}
            ).status_code
            for n in range(3)
        ]
        assert statuses == [201, 201, 429]
        proxy = TestClient(app, client=("10.0.0.2", 1234))
        # Behind our proxy, each forwarded client is counted apart, and what a client put in
        # front of the address our proxy appended is not believed.
        for n in range(3):
            made = proxy.post(
                "/v1/checklists", json=NEW, headers={"X-Forwarded-For": f"192.0.2.{n}, 192.0.2.99"}
            )
            assert made.status_code == (201 if n < 2 else 429)
        assert (
            proxy.post(
                "/v1/checklists", json=NEW, headers={"X-Forwarded-For": "192.0.2.98"}
            ).status_code
            == 201
        )


def scope(peer: str | None, *forwarded: str) -> dict[str, Any]:
    return {
        "type": "http",
        "client": (peer, 4321) if peer is not None else None,
        "headers": [(b"x-forwarded-for", value.encode()) for value in forwarded],
    }


@pytest.mark.parametrize(
    ("peer", "forwarded", "client"),
    [
        # Not from a trusted proxy: the header is the client's own words.
        ("203.0.113.7", ["198.51.100.1"], "203.0.113.7"),
        # Through a trusted proxy: the address it appended.
        ("10.0.0.2", ["198.51.100.1"], "198.51.100.1"),
        # ... past our inner proxies, never what the client wrote in front.
        ("10.0.0.2", ["1.2.3.4, 198.51.100.1, 10.0.0.3"], "198.51.100.1"),
        # Several headers are one list, in order.
        ("10.0.0.2", ["1.2.3.4", "198.51.100.1"], "198.51.100.1"),
        ("10.0.0.2", [], "10.0.0.2"),
        ("10.0.0.2", ["10.0.0.9"], "10.0.0.9"),
        # A trusted proxy that wrote something else: counted as the proxy.
        ("10.0.0.2", ["198.51.100.1, unknown"], "10.0.0.2"),
        ("192.168.5.5", ["198.51.100.1"], "198.51.100.1"),
        ("192.168.5.6", ["198.51.100.1"], "192.168.5.6"),
        # One subscriber holds a /64: its addresses are one client.
        ("2001:db8:1:2::1", [], "2001:db8:1:2::/64"),
        ("2001:db8:1:2:aaaa::5", [], "2001:db8:1:2::/64"),
        ("::ffff:198.51.100.1", [], "198.51.100.1"),
        ("testclient", ["198.51.100.1"], "testclient"),
        (None, ["198.51.100.1"], ""),
    ],
)
def test_the_client_address_is_the_one_a_trusted_proxy_saw(
    peer: str | None, forwarded: list[str], client: str
) -> None:
    limits = RateLimits(Settings(trusted_proxies=["10.0.0.0/8", "192.168.5.5"]))
    assert limits.client(scope(peer, *forwarded)) == client


def test_without_trusted_proxies_no_forwarded_address_is_believed() -> None:
    assert client_address(scope("127.0.0.1", "198.51.100.1"), []) == "127.0.0.1"


def test_serve_does_not_let_uvicorn_rewrite_the_client_address(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from click.testing import CliRunner

    from api import cli

    seen: dict[str, Any] = {}
    monkeypatch.setattr(cli.uvicorn, "run", lambda *args, **kwargs: seen.update(kwargs))
    monkeypatch.setenv("POLKU_DATABASE_URL", f"sqlite:///{tmp_path / 'polku.sqlite3'}")
    cli.get_settings.cache_clear()
    try:
        result = CliRunner().invoke(cli.main, ["serve"])
    finally:
        cli.get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    assert seen["proxy_headers"] is False


def test_a_new_limit_is_one_line_in_a_routes_signature(tmp_path: Path) -> None:
    """The feedback limit has no route yet: any route that names it is limited."""
    app = create_app(
        Settings(database_url=f"sqlite:///{tmp_path / 'unused.sqlite3'}", limit_feedback="1/hour")
    )

    @app.post("/v1/feedback-for-test", status_code=204)
    def feedback(limited: FeedbackLimit) -> None:
        return None

    client = TestClient(app)
    assert client.post("/v1/feedback-for-test").status_code == 204
    refused = client.post("/v1/feedback-for-test")
    assert_too_many(refused, 3600)
    assert int(refused.headers["retry-after"]) > 3500


def test_a_counter_storage_that_does_not_answer_lets_requests_through(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    limits = RateLimits(Settings(limit_checklist_create="1/minute"))

    def away(*args: object, **kwargs: object) -> bool:
        raise StorageError(ConnectionError("redis is away"))

    monkeypatch.setattr(limits.limiter, "hit", away)
    monkeypatch.setattr(limits.limiter, "test", away)
    with caplog.at_level(logging.WARNING, logger="polku.limits"):
        for _ in range(3):
            limits.hit("checklist_create", "198.51.100.1")
    assert "rate limit storage unavailable" in caplog.text


@pytest.mark.parametrize(
    "setting",
    [
        {"trusted_proxies": ["proxy.example"]},
        {"trusted_proxies": ["10.0.0.0/33"]},
        {"limit_checklist_create": "lots"},
        {"limit_checklist_write": "20 per fortnight"},
        {"rate_limit_storage": "memcached://127.0.0.1"},
        {"rate_limit_storage": "redis:/127.0.0.1"},
    ],
)
def test_limit_settings_that_cannot_work_stop_the_start(setting: dict[str, Any]) -> None:
    with pytest.raises(ValidationError, match="POLKU_"):
        Settings(**setting)


# .ci/run starts Redis and sets this: there a missing Redis fails instead of skipping.
REQUIRE_REDIS = os.environ.get("POLKU_REQUIRE_REDIS") == "1"


def _redis() -> str | None:
    """Why the shared counters cannot be tried here, or None."""
    try:
        import redis  # noqa: F401
    except ImportError:
        return "the redis package is not installed (it is optional)"
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return "no Redis server on 127.0.0.1:6379"
    return None


@pytest.mark.skipif(not REQUIRE_REDIS and _redis() is not None, reason=_redis() or "")
def test_workers_share_their_counters_through_redis() -> None:
    assert _redis() is None, f"POLKU_REQUIRE_REDIS=1 but {_redis()}"
    settings = Settings(
        rate_limit_storage="redis://127.0.0.1:6379",
        limit_failed_sign_in="2/minute",
    )
    first, second = RateLimits(settings), RateLimits(settings)  # as two workers would
    client = f"test-{uuid.uuid4()}"
    first.count("failed_sign_in", client)
    second.count("failed_sign_in", client)
    with pytest.raises(Exception, match="too many requests"):
        first.check("failed_sign_in", client)


def test_a_real_server_behind_a_trusted_proxy_limits_each_forwarded_client(
    published: str, tmp_path: Path
) -> None:
    """uvicorn as `polku serve` runs it: the app, not the server, reads X-Forwarded-For."""
    env = {"POLKU_TRUSTED_PROXIES": '["127.0.0.1"]', "POLKU_LIMIT_CHECKLIST_CREATE": "2/minute"}
    with running_server(published, tmp_path / "server", env=env) as server:

        def create(forwarded: str) -> int:
            headers = {"X-Forwarded-For": forwarded}
            return server.request("POST", "/v1/checklists", body=NEW, headers=headers).status

        assert [create("192.0.2.1") for _ in range(3)] == [201, 201, 429]
        assert create("192.0.2.2") == 201
        # Written by the client in front of what our proxy appended: not believed.
        assert create("192.0.2.3, 192.0.2.1") == 429
