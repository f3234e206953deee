"""One HTML error page for the site and /embed/, problem documents for the API, the security
headers on every answer (500s too), and problem types that resolve to a page."""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.responses import StreamingResponse
from fastapi.testclient import TestClient
from httpx2 import Response

from api.config import Settings
from api.db import make_engine, make_sessions
from api.errors import PROBLEM_JSON, PROBLEM_TYPES, ApiError
from api.main import create_app
from api.pages.render import static_url
from tests.conftest import PUBLIC_URL, ROOT, problem
from tests.pages.conftest import app_client

SECURITY = ("content-security-policy", "x-content-type-options", "referrer-policy")


@pytest.fixture(scope="module")
def client(shared_database_url: str) -> Iterator[TestClient]:
    with app_client(shared_database_url, frame_origins=["https://portal.example"]) as client:
        yield client


def heading(page: str) -> str:
    found = re.search(r"<h1>(.*?)</h1>", page)
    assert found is not None, page
    return found.group(1)


def assert_page(response: Response, status: int, lang: str, title: str) -> None:
    assert response.status_code == status
    assert response.headers["content-type"].startswith("text/html")
    assert all(name in response.headers for name in SECURITY)
    assert response.headers["cache-control"] == "no-store"
    assert f'<html lang="{lang}">' in response.text
    assert heading(response.text) == title
    assert str(status) in response.text


@pytest.mark.parametrize(
    ("method", "path", "headers", "status", "lang", "title"),
    [
        # A slug that decodes to contain "/" matched no route: it was a JSON problem.
        ("GET", "/fi/a%2Fb/", {}, 404, "fi", "Sivua ei löytynyt"),
        ("GET", "/embed/sv/a%2Fb/", {}, 404, "sv", "Sidan hittades inte"),
        ("GET", "/nowhere", {"Accept-Language": "sv"}, 404, "sv", "Sidan hittades inte"),
        ("GET", "/static/0123456789ab/polku.js", {}, 404, "fi", "Sivua ei löytynyt"),
        ("DELETE", "/en/", {}, 405, "en", "This page cannot be used that way"),
        ("POST", "/en/moving/plan", {}, 405, "en", "This page cannot be used that way"),
        ("GET", "/problems/no-such-problem", {}, 404, "en", "Page not found"),
    ],
)
def test_errors_on_the_site_are_one_html_page_in_the_address_language(
    client: TestClient,
    method: str,
    path: str,
    headers: dict[str, str],
    status: int,
    lang: str,
    title: str,
) -> None:
    response = client.request(method, path, headers=headers)
    assert_page(response, status, lang, title)
    if status == 405:
        assert response.headers["allow"] == "GET"


def test_the_embed_error_page_may_be_framed_by_the_portal_and_keeps_minimal_chrome(
    client: TestClient,
) -> None:
    page = client.get("/embed/en/a%2Fb/")
    assert page.status_code == 404
    assert (
        "frame-ancestors 'self' https://portal.example" in page.headers["content-security-policy"]
    )
    assert 'class="embedded"' in page.text
    assert 'href="/embed/fi/' in page.text  # the language switch stays in the frame


def test_a_body_too_large_for_a_page_form_is_the_error_page(client: TestClient) -> None:
    response = client.post("/en/moving/save", content=b"x" * (65 * 1024))
    assert_page(response, 413, "en", "What was sent is too large")


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/v1/nothing/", 404),
        ("GET", "/v1/journeys/no-such-journey", 404),
        ("DELETE", "/v1/journeys", 405),
        ("POST", "/healthz", 405),
        ("POST", "/readyz", 405),
    ],
)
def test_the_api_and_the_health_checks_keep_problem_documents(
    client: TestClient, method: str, path: str, status: int
) -> None:
    response = client.request(method, path)
    assert response.status_code == status
    assert response.headers["content-type"] == PROBLEM_JSON
    assert all(name in response.headers for name in SECURITY)


def test_the_existing_page_reasons_keep_their_words(client: TestClient) -> None:
    gone = client.get("/en/checklist/no-such-checklist")
    assert_page(gone, 404, "en", "Checklist not found")
    assert "it was deleted, or it was not used for 180 days" in gone.text
    refused = client.post("/sv/moving/save", data={"moving_to": "abroad"})
    assert refused.status_code == 400
    assert heading(refused.text) == "Formuläret har gått ut"
    assert 'href="/sv/moving/"' in refused.text  # the way back to the form's page


class _Limited(ApiError):
    """As a per-client limit would raise it (another part of the hardening work)."""

    status = 429
    type = "/problems/too-many-requests"
    title = "Too many requests"

    def __init__(self) -> None:
        super().__init__("slow down")
        self.headers = {"Retry-After": "30"}


def _raising_app(database_url: str) -> FastAPI:
    app = create_app(Settings(database_url=database_url))
    for prefix in ("/fi/limited", "/v1/limited"):
        app.add_api_route(prefix, _raise_limited)
    return app


async def _raise_limited() -> None:
    raise _Limited()


def test_any_api_error_on_a_page_is_the_page_with_its_status_and_headers(
    shared_database_url: str,
) -> None:
    with TestClient(_raising_app(shared_database_url)) as client:
        page = client.get("/fi/limited")
        assert_page(page, 429, "fi", "Liian monta pyyntöä")
        assert page.headers["retry-after"] == "30"
        api = client.get("/v1/limited")
        assert api.status_code == 429
        assert api.headers["retry-after"] == "30"
        assert api.json()["type"] == problem("too-many-requests")


def test_a_database_that_is_gone_is_a_503_page_on_the_site_and_a_problem_on_the_api(
    shared_database_url: str,
) -> None:
    with app_client(shared_database_url) as client:
        # Nothing listens on port 1: every connection is refused, as when the database is down.
        client.app.state.sessions = make_sessions(
            make_engine("postgresql+psycopg://polku@127.0.0.1:1/gone?connect_timeout=2")
        )
        page = client.get("/fi/checklist/some-checklist")
        assert_page(page, 503, "fi", "Polku ei ole juuri nyt käytettävissä")
        assert page.headers["retry-after"] == "5"
        api = client.get("/v1/checklists/" + "c" * 43)
        assert api.status_code == 503
        assert api.headers["content-type"] == PROBLEM_JSON
        assert api.json()["type"] == problem("not-ready")


@pytest.fixture
def faulty(shared_database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    """An app whose home page and organisation list fail, and with a page that fails after
    its answer has started."""

    def fail(*args: object, **kwargs: object) -> None:
        said = "-".join(("private", "answer"))  # not in the source lines of the stack
        raise RuntimeError(f"a fault with {said} in its message")

    monkeypatch.setattr("api.pages.views.home", fail)
    monkeypatch.setattr("api.journeys.views.organisation_list", fail)
    app = create_app(Settings(database_url=shared_database_url))

    async def halfway() -> StreamingResponse:
        async def body() -> AsyncIterator[bytes]:
            yield b"<!doctype html>"
            raise RuntimeError("mid-answer")

        return StreamingResponse(body(), media_type="text/html")

    app.add_api_route("/fi/halfway", halfway)
    # The default: an exception that leaves the app fails the test, as it closes the connection.
    with TestClient(app) as client:
        yield client


def test_a_fault_is_a_500_with_the_security_headers_and_the_connection_kept(
    faulty: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="polku.errors"):
        page = faulty.get("/sv/?q=private-query")
        api = faulty.get("/v1/organisations?lang=fi&x=private-query")
    assert_page(page, 500, "sv", "Något gick fel")
    assert api.status_code == 500
    assert api.headers["content-type"] == PROBLEM_JSON
    assert all(name in api.headers for name in SECURITY)
    assert api.json()["type"] == problem("server-error")
    faults = [r for r in caplog.records if r.name == "polku.errors"]
    assert [r.getMessage().split("\n")[0] for r in faults] == [
        "unhandled error on GET /{lang}/: RuntimeError",
        "unhandled error on GET /v1/organisations: RuntimeError",
    ]
    assert "in fail" in faults[0].getMessage()  # where it happened
    assert "private" not in caplog.text  # neither the query nor the exception's message


def test_a_fault_after_the_answer_started_is_not_covered_up(faulty: TestClient) -> None:
    with pytest.raises(RuntimeError, match="mid-answer"):
        faulty.get("/fi/halfway")


def test_every_problem_type_in_the_code_has_a_page() -> None:
    named = set()
    for source in (ROOT / "api").rglob("*.py"):
        named |= set(re.findall(r'"/problems/([a-z0-9-]+)"', source.read_text()))
    assert named, "no problem types found"
    assert sorted(named - set(PROBLEM_TYPES)) == []

    def subclasses(cls: type[ApiError]) -> Iterator[type[ApiError]]:
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    for error in subclasses(ApiError):
        if error.__module__.startswith("api."):
            assert error.type.removeprefix("/problems/") in PROBLEM_TYPES, error


def test_a_problem_type_resolves_to_a_page_that_explains_it(client: TestClient) -> None:
    refused = client.get("/v1/journeys/no-such-journey")
    kind = refused.json()["type"]
    assert kind == f"{PUBLIC_URL}/problems/unknown-journey"
    page = client.get(kind.removeprefix(PUBLIC_URL))
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert heading(page.text) == "Unknown journey"
    assert "GET /v1/journeys" in page.text
    for name, explained in PROBLEM_TYPES.items():
        assert heading(client.get(f"/problems/{name}").text) == explained.title


def test_static_files_are_served_only_under_their_content_hash(client: TestClient) -> None:
    right = client.get(static_url("polku.js"))
    assert right.status_code == 200
    assert "immutable" in right.headers["cache-control"]
    wrong = client.get("/static/anything/polku.js")
    assert wrong.status_code == 404
    assert "immutable" not in wrong.headers["cache-control"]
    assert client.get(static_url("polku.js").replace("/static/", "/static/x")).status_code == 404
    assert Path(ROOT / "static" / "polku.js").is_file()
