"""HTTP behaviour every route shares: caching, errors, limits, headers, CORS, health."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from starlette.types import Message

from api import migrations
from api.config import Settings
from api.http.numbers import whole_number
from api.main import create_app
from tests.conftest import problem


class TestCaching:
    def test_published_reads_carry_an_etag_and_answer_304_when_unchanged(
        self, client: TestClient
    ) -> None:
        first = client.get("/v1/journeys/moving?lang=en")
        assert first.headers["cache-control"] == "public, max-age=300"
        etag = first.headers["etag"]
        again = client.get("/v1/journeys/moving?lang=en", headers={"If-None-Match": etag})
        assert again.status_code == 304
        assert again.content == b""
        assert again.headers["etag"] == etag
        other_language = client.get("/v1/journeys/moving?lang=fi", headers={"If-None-Match": etag})
        assert other_language.status_code == 200
        assert "Accept-Language" in first.headers["vary"]

    def test_a_plan_url_is_cacheable_by_the_browser_only(self, client: TestClient) -> None:
        url = "/v1/journeys/moving/plan?moving_to=abroad&today=2027-01-01"
        first = client.get(url)
        assert first.headers["cache-control"] == "private, max-age=300"
        assert client.get(url, headers={"If-None-Match": first.headers["etag"]}).status_code == 304


class TestErrors:
    def test_malformed_json_is_a_documented_400_problem(self, client: TestClient) -> None:
        response = client.post(
            "/v1/journeys/moving/plan",
            content=b"{not json",
            headers={"Content-Type": "application/json"},
        )
        assert response.status_code == 400
        assert response.json()["type"] == problem("malformed-json")

    def test_a_body_that_breaks_the_schema_lists_every_problem(self, client: TestClient) -> None:
        response = client.post(
            "/v1/journeys/moving/plan", json={"answers": [], "event_date": 0, "colour": "red"}
        )
        assert response.status_code == 422
        locations = sorted(tuple(e["location"]) for e in response.json()["errors"])
        assert locations == [("body", "answers"), ("body", "colour"), ("body", "event_date")]

    def test_an_oversized_body_is_refused_with_413(self, client: TestClient) -> None:
        big = {"answers": {"moving_to": "x" * 70_000}}
        response = client.post("/v1/journeys/moving/plan", json=big)
        assert response.status_code == 413
        assert response.headers["content-type"] == "application/problem+json"

    def test_an_oversized_streamed_body_is_refused_with_413(self, client: TestClient) -> None:
        def chunks() -> Iterator[bytes]:
            yield b'{"answers": {"moving_to": "'
            for _ in range(100):
                yield b"x" * 1000
            yield b'"}}'

        response = client.post(
            "/v1/journeys/moving/plan",
            content=chunks(),
            headers={"Content-Type": "application/json"},
        )
        assert response.status_code == 413

    def test_unknown_routes_and_methods_are_problems_not_html(self, client: TestClient) -> None:
        missing = client.get("/v1/nothing-here")
        assert missing.status_code == 404
        assert missing.headers["content-type"] == "application/problem+json"
        wrong = client.delete("/v1/journeys")
        assert wrong.status_code == 405
        assert wrong.headers["content-type"] == "application/problem+json"
        assert "GET" in wrong.headers["allow"]

    def test_an_invalid_slug_or_date_in_the_url_is_a_422(self, client: TestClient) -> None:
        assert client.get("/v1/journeys/Not_A_Slug").status_code == 422
        assert client.get("/v1/journeys/moving/plan?event_date=2027-02-30").status_code == 422
        assert client.get("/v1/journeys/moving/plan?event_date=1700000000").status_code == 422


class TestHeaders:
    def test_every_response_has_strict_security_headers(self, client: TestClient) -> None:
        for response in (
            client.get("/v1/journeys"),
            client.get("/v1/journeys/nope"),
            client.get("/healthz"),
        ):
            assert response.headers["x-content-type-options"] == "nosniff"
            assert response.headers["referrer-policy"] == "no-referrer"
            assert "frame-ancestors 'none'" in response.headers["content-security-policy"]

    def test_configured_portals_may_call_the_api_from_browsers(self, client: TestClient) -> None:
        allowed = client.options(
            "/v1/journeys/moving/plan",
            headers={
                "Origin": "https://portal.example",
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "content-type",
            },
        )
        assert allowed.status_code == 200
        assert allowed.headers["access-control-allow-origin"] == "https://portal.example"
        other = client.get("/v1/journeys", headers={"Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in other.headers


class TestHealth:
    def test_health_and_readiness(self, client: TestClient) -> None:
        assert client.get("/healthz").json() == {"status": "ok"}
        ready = client.get("/readyz").json()
        assert ready["status"] == "ready"
        assert ready["journeys"] >= 2

    def test_not_ready_without_published_journeys(self, empty_database_url: str) -> None:
        migrations.upgrade(empty_database_url)
        with TestClient(create_app(Settings(database_url=empty_database_url))) as client:
            response = client.get("/readyz")
            assert response.status_code == 503
            assert "polku journeys import" in response.json()["detail"]
            assert client.get("/v1/journeys").status_code == 503
            assert client.get("/healthz").status_code == 200

    def test_not_ready_on_an_unmigrated_database(self, empty_database_url: str) -> None:
        with TestClient(create_app(Settings(database_url=empty_database_url))) as client:
            assert client.get("/readyz").status_code == 503


@pytest.mark.parametrize("origin", ["*"])
def test_production_refuses_any_origin(origin: str) -> None:
    with pytest.raises(ValueError, match="not allowed in production"):
        Settings(environment="production", cors_origins=[origin])


async def call_raw(app: Any, body: list[bytes | None], path: str = "/v1/checklists") -> Any:
    """POST through the whole app, the body in `body`'s messages; None: a message that never
    comes. Returns the response start, its body and how long the answer took."""
    messages = iter(body)

    async def receive() -> Message:
        chunk = next(messages, None)
        if chunk is None:
            await asyncio.Event().wait()  # the client says nothing more
        return {"type": "http.request", "body": chunk, "more_body": True}

    sent: list[Message] = []

    async def send(message: Message) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"testserver"), (b"content-type", b"application/json")],
        "client": ("198.51.100.1", 1234),
        "server": ("testserver", 80),
        "state": {},
    }
    started = time.perf_counter()
    await asyncio.wait_for(app(scope, receive, send), timeout=5)
    return sent[0], b"".join(m.get("body", b"") for m in sent[1:]), time.perf_counter() - started


@pytest.mark.parametrize("path", ["/v1/checklists", "/fi/moving/save", "/v1/editor/drafts"])
@pytest.mark.parametrize("body", [[None], [b'{"journey": ', None], [b"{"] * 3 + [None]])
def test_a_body_that_does_not_arrive_in_time_is_refused_with_408(
    tmp_path: Path, body: list[bytes | None], path: str
) -> None:
    """Waiting for ever would let slow clients hold every connection. No database is needed:
    the body is awaited before anything else happens."""
    app = create_app(
        Settings(database_url=f"sqlite:///{tmp_path / 'unused.sqlite3'}", body_timeout_seconds=0.2)
    )
    start, content, took = asyncio.run(call_raw(app, body, path))
    assert start["status"] == 408
    assert (b"connection", b"close") in start["headers"]
    if path.startswith("/v1/"):
        assert (b"content-type", b"application/problem+json") in start["headers"]
        assert json.loads(content)["type"] == problem("request-timeout")
    else:  # a page's form: the error page
        assert (b"content-type", b"text/html; charset=utf-8") in start["headers"]
    assert 0.2 <= took < 2


@pytest.mark.parametrize(
    ("text", "number"),
    [("0", 0), ("42", 42), ("007", 7), (b"123", 123), ("123456789", 123456789)]
    + [(odd, None) for odd in ("", None, "¹", "٣", "1234567890", "9" * 5000, " 1", "-1", "1_0")],
)
def test_whole_numbers_are_ascii_digits_only(text: str | bytes | None, number: int | None) -> None:
    assert whole_number(text) == number


def test_a_whole_number_may_be_given_a_length() -> None:
    assert whole_number("12345", digits=4) is None
    assert whole_number("1234", digits=4) == 1234
