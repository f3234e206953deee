"""A page fuzzer: Hypothesis drives every page route of the app (the site and /embed/, GET and
the form posts) with random addresses, query strings, form fields (with and without a valid
form token) and headers. Whatever it sends: never a 5xx, always an HTML page (but for
redirects, the calendar file, static files and the theme), always the security headers."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any
from urllib.parse import quote, unquote, urlencode, urlsplit

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.checklists.service import calendar_token
from api.config import Settings
from api.errors import PROBLEM_JSON, PROBLEM_TYPES, is_api
from api.main import create_app
from api.pages.forms import TOKEN_FIELD, form_token
from api.pages.render import static_url
from tests.conftest import BUNDLED
from tests.pages.conftest import app_client
from tests.pages.test_saved import save

SECURITY = ("content-security-policy", "x-content-type-options", "referrer-policy")
# Not HTML by design (when they succeed).
FILES = re.compile(r"\.ics$|^/static/|^/embed/theme\.css$")
# About 200 requests per database in all, spread over every route.
EXAMPLES_PER_ROUTE = 7


@dataclass(frozen=True)
class Page:
    path: str  # the route's template, e.g. /{lang}/{slug}/plan
    method: str


@dataclass
class Known:
    """Real values to mix with random ones, so that examples reach deep into the pages."""

    slugs: list[str]
    questions: list[str]
    options: list[str]
    checklists: list[str]
    steps: list[tuple[str, str]]
    statics: list[tuple[str, str]]


def page_routes() -> list[Page]:
    """Every page route of the app, from its routing table (not a list kept by hand). FastAPI
    keeps included routers whole; their routes, prefixed, come from effective_route_contexts()
    (the test below fails loudly if that ever changes)."""
    app = create_app(Settings(database_url="sqlite:///unused.sqlite3"))
    pages: set[Page] = set()
    for route in app.routes:
        contexts = getattr(route, "effective_route_contexts", None)
        found = [(c.path, c.original_route) for c in contexts()] if contexts else []
        if isinstance(route, APIRoute):
            found.append((route.path, route))
        for path, original in found:
            for method in getattr(original, "methods", None) or ():
                if method in ("GET", "POST") and not is_api(path):
                    pages.add(Page(path, method))
    return sorted(pages, key=lambda page: (page.path, page.method))


ROUTES = page_routes()


def test_the_fuzzer_covers_the_site_the_embed_pages_and_the_forms() -> None:
    paths = {(page.path, page.method) for page in ROUTES}
    assert ("/{lang}/{slug}/plan", "GET") in paths
    assert ("/embed/{lang}/{slug}/questions", "GET") in paths
    assert ("/{lang}/checklist/{checklist_id}/steps/{journey}/{step}", "POST") in paths
    assert ("/embed/{lang}/{slug}/save", "POST") in paths
    assert ("/problems/{name}", "GET") in paths
    assert len(ROUTES) >= 30


@pytest.fixture(scope="module")
def fuzzed(shared_database_url: str) -> Iterator[tuple[TestClient, Known]]:
    """One app for every example (the database is made once per module)."""
    with app_client(shared_database_url) as client:
        published = client.app.state.catalogue.current  # type: ignore[attr-defined]
        questions = {
            qid: question
            for slug in ("moving", "death-of-a-loved-one")
            for qid, question in published.planner.universe(slug).items()
        }
        checklists = [save(client).rsplit("/", 1)[1] for _ in range(3)]
        page = client.get(f"/en/checklist/{checklists[0]}").text
        known = Known(
            slugs=[*BUNDLED, "checklist"],
            questions=sorted(questions),
            options=sorted({o.id for q in questions.values() for o in q.options}),
            checklists=checklists,
            steps=sorted(set(re.findall(r"/steps/([a-z0-9-]+)/([a-z0-9_-]+)\"", page))),
            statics=[
                tuple(static_url(name).split("/")[2:4])  # type: ignore[misc]
                for name in ("polku.css", "polku.js", "embed.js")
            ],
        )
        assert known.steps
        yield client, known


def text(max_size: int = 40) -> st.SearchStrategy[str]:
    return st.text(max_size=max_size)


def one_of_or_text(values: list[str]) -> st.SearchStrategy[str]:
    """Mostly a real value (to get past the address), sometimes anything."""
    return st.integers(0, 4).flatmap(lambda n: text() if n == 0 else st.sampled_from(values))


def dates() -> st.SearchStrategy[str]:
    return st.one_of(
        st.dates().map(lambda day: day.isoformat()),
        st.sampled_from(["2027-02-30", "9999-12-31", "0001-01-01", "1899-12-31", "2027-6-1"]),
        text(12),
    )


@st.composite
def requests(draw: st.DrawFn, page: Page, known: Known, app: Any) -> dict[str, Any]:
    """One request to `page`: its address, query or form, and headers."""
    params: dict[str, str] = {}
    for name in re.findall(r"{(\w+)}", page.path):
        params[name] = draw(
            {
                "lang": one_of_or_text(["fi", "sv", "en", "v1", "de"]),
                "slug": one_of_or_text(known.slugs),
                "checklist_id": one_of_or_text(known.checklists),
                "token": one_of_or_text([calendar_token(c) for c in known.checklists]),
                "version": one_of_or_text([v for v, _ in known.statics]),
                "name": one_of_or_text(
                    [n for _, n in known.statics] + sorted(PROBLEM_TYPES) + ["theme.css"]
                ),
                "journey": one_of_or_text([j for j, _ in known.steps]),
                "step": one_of_or_text([s for _, s in known.steps]),
                "step_id": one_of_or_text([s for _, s in known.steps]),
                "question_id": one_of_or_text(known.questions),
                "number": one_of_or_text(["1", "2", "0", "-1", "99", "1e3", "٣"]),
            }[name].filter(lambda value: value not in ("", ".", ".."))
        )
    path = page.path
    for name, value in params.items():
        path = path.replace(f"{{{name}}}", value)
    address = page.path
    for name, value in params.items():
        address = address.replace(f"{{{name}}}", quote(value, safe=""))

    keys = st.one_of(
        st.sampled_from(known.questions),
        st.sampled_from(
            [
                *("event_date", "event_date.day", "event_date.month", "event_date.year"),
                *("change", "asked", "q", "life_event", "lang", "today", "done", "v"),
            ]
        ),
        text(20),
    )
    values = st.one_of(st.sampled_from(known.options), dates(), st.integers().map(str), text())
    fields = draw(st.lists(st.tuples(keys, values), max_size=6))
    if draw(st.booleans()):  # most pages plan with the event date: give one often
        fields.append(("event_date", draw(dates())))

    headers: dict[str, str] = {}
    if draw(st.booleans()):
        headers["Accept-Language"] = draw(
            st.sampled_from(["fi", "sv-FI, en;q=0.5", "en-GB", "de", "*", "sv;q=x, en;q=0"])
        )
    host = draw(st.sampled_from(["testserver", "localhost:8000", "127.0.0.1", "LOCALHOST"]))
    headers["Host"] = host
    if draw(st.booleans()):
        headers["Origin"] = draw(
            st.sampled_from([f"http://{host}", "https://evil.example", "null", "garbage"])
        )
    if draw(st.booleans()):
        headers["Sec-Fetch-Site"] = draw(
            st.sampled_from(["same-origin", "none", "cross-site", "same-site", "x"])
        )

    request: dict[str, Any] = {"method": page.method, "url": address, "headers": headers}
    if page.method == "GET":
        request["url"] = f"{address}?{urlencode(fields)}" if fields else address
        return request
    token = draw(
        st.sampled_from(
            [form_token(SimpleNamespace(app=app), path), "forged", None]  # type: ignore[arg-type]
        )
    )
    if token is not None:
        fields.append((TOKEN_FIELD, token))
    headers["Content-Type"] = draw(
        st.sampled_from(
            [
                "application/x-www-form-urlencoded",
                "application/x-www-form-urlencoded; charset=utf-8",
                "multipart/form-data",
                "application/json",
                "text/plain",
                "garbage",
            ]
        )
    )
    request["content"] = urlencode(fields).encode()
    return request


def assert_sound(page: Page, sent: dict[str, Any], response: Any) -> None:
    said = f"{sent['method']} {sent['url']} -> {response.status_code}"
    assert response.status_code < 500, said
    for name in SECURITY:
        assert name in response.headers, f"{said}: no {name}"
    if 300 <= response.status_code < 400 or response.status_code == 204:
        return
    kind = response.headers.get("content-type", "")
    if response.status_code == 200 and FILES.search(page.path):
        return
    if is_api(unquote(urlsplit(sent["url"]).path)):  # e.g. /v1/ drawn as a language
        # /v1/glossary is both a page's path with v1 as its language and a real API read.
        expected = "application/json" if response.status_code == 200 else PROBLEM_JSON
        assert kind == expected, f"{said}: {kind}"
        return
    assert kind.startswith("text/html"), f"{said}: {kind}"


@pytest.mark.parametrize("page", ROUTES, ids=lambda page: f"{page.method} {page.path}")
def test_no_page_answers_with_a_server_error_or_without_its_headers(
    fuzzed: tuple[TestClient, Known], page: Page
) -> None:
    client, known = fuzzed

    @settings(
        max_examples=EXAMPLES_PER_ROUTE,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        sent = data.draw(requests(page, known, client.app))
        response = client.request(**sent, follow_redirects=False)
        assert_sound(page, sent, response)

    run()
