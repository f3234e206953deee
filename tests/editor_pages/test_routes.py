"""Every /editor/ route, taken from the app's routing table (not a list kept by hand): without a
session it sends to the sign-in page, a form without this session's CSRF token changes nothing,
a revoked token's cookie is refused, and no malformed form is ever a server error."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import closing
from typing import Any
from urllib.parse import urlencode

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from api.config import Settings
from api.db import make_engine, make_sessions, transaction
from api.editor import tokens
from api.main import create_app
from tests.conftest import GENEROUS_LIMITS
from tests.editor.conftest import make_tokens
from tests.editor_pages.conftest import Tokens, csrf_of, sign_in
from tests.routes import route_table

SIGN_IN = "/editor/sign-in"
EXAMPLE = {
    "{slug}": "moving",
    "{step_id}": "notify-dvv",
    "{question_id}": "moving_to",
    "{number}": "1",
}


def editor_routes() -> list[tuple[str, str]]:
    app = create_app(Settings(database_url="sqlite:///unused.sqlite3"))
    return sorted(
        (path, method)
        for path, methods in route_table(app.routes)
        if path.startswith("/editor/")
        for method in methods
        if method != "HEAD"
    )


ROUTES = editor_routes()
POSTS = [path for path, method in ROUTES if method == "POST"]
GETS = [path for path, method in ROUTES if method == "GET"]


@pytest.fixture(scope="module")
def shared_tokens(shared_database_url: str) -> Tokens:
    return make_tokens(shared_database_url)


@pytest.fixture(scope="module")
def shared_app(shared_database_url: str, shared_tokens: Tokens) -> Iterator[FastAPI]:
    """One running app per module and database kind for the tests that must change nothing
    (each compares the database before and after itself): a new database, tokens and app for
    each of their some 900 cases was most of their time."""
    settings = Settings(database_url=shared_database_url, **GENEROUS_LIMITS)
    with TestClient(create_app(settings)) as started:
        yield started.app


@pytest.fixture
def browser(shared_app: FastAPI) -> Iterator[TestClient]:
    """A new browser (no cookies, no session) on the module's running app."""
    with closing(TestClient(shared_app)) as fresh:
        yield fresh


def address(path: str) -> str:
    for name, value in EXAMPLE.items():
        path = path.replace(name, value)
    assert "{" not in path, f"give {path} an example value"
    return path


def snapshot(database_url: str) -> dict[str, Any]:
    """Everything an editor page could change."""
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            return {
                table: sorted(map(tuple, connection.execute(text(f"SELECT * FROM {table}"))))
                for table in (
                    "editor_sessions",
                    "editor_tokens",
                    "drafts",
                    "audit_log",
                    "translation_fingerprints",
                )
            }
    finally:
        engine.dispose()


# Who may use each route beyond "signed in": every route is in this table (a new one must be
# placed), and an editor is refused every publisher's route.
PUBLISHER_ONLY = {
    ("/editor/journeys/{slug}/publish", "POST"),
    ("/editor/journeys/{slug}/rollback", "GET"),
    ("/editor/journeys/{slug}/rollback", "POST"),
}
EVERY_EDITOR = {
    ("/editor/", "GET"),
    (SIGN_IN, "GET"),
    (SIGN_IN, "POST"),
    ("/editor/sign-out", "POST"),
    ("/editor/language", "POST"),
    ("/editor/audit", "GET"),
    ("/editor/feedback", "GET"),
    ("/editor/journeys/{slug}/history", "GET"),
    ("/editor/journeys/{slug}/compare", "GET"),
    ("/editor/journeys/{slug}/preview", "GET"),
    ("/editor/journeys/{slug}/preview/plan", "GET"),
    ("/editor/journeys/{slug}/publish", "GET"),
    ("/editor/journeys/{slug}/scenarios", "POST"),
    ("/editor/journeys/{slug}/draft", "GET"),
    ("/editor/journeys/{slug}/draft", "POST"),
    ("/editor/journeys/{slug}/draft/new-step", "GET"),
    ("/editor/journeys/{slug}/draft/new-step", "POST"),
    ("/editor/journeys/{slug}/draft/steps/{step_id}", "GET"),
    ("/editor/journeys/{slug}/draft/steps/{step_id}", "POST"),
    ("/editor/journeys/{slug}/draft/steps/{step_id}/delete", "GET"),
    ("/editor/journeys/{slug}/draft/steps/{step_id}/delete", "POST"),
    ("/editor/journeys/{slug}/draft/steps/{step_id}/move", "POST"),
    ("/editor/journeys/{slug}/draft/questions/{question_id}/move", "POST"),
    ("/editor/journeys/{slug}/draft/new-question", "GET"),
    ("/editor/journeys/{slug}/draft/new-question", "POST"),
    ("/editor/journeys/{slug}/draft/questions/{question_id}/delete", "GET"),
    ("/editor/journeys/{slug}/draft/questions/{question_id}/delete", "POST"),
    ("/editor/journeys/{slug}/draft/texts", "GET"),
    ("/editor/journeys/{slug}/draft/texts", "POST"),
    ("/editor/journeys/{slug}/draft/questions/{question_id}", "GET"),
    ("/editor/journeys/{slug}/draft/questions/{question_id}", "POST"),
    ("/editor/translations", "GET"),
    ("/editor/new-journey", "GET"),
    ("/editor/new-journey", "POST"),
    ("/editor/journeys/{slug}/draft/journey", "GET"),
    ("/editor/journeys/{slug}/draft/journey", "POST"),
    ("/editor/journeys/{slug}/draft/new-scenario", "GET"),
    ("/editor/journeys/{slug}/draft/new-scenario", "POST"),
    ("/editor/journeys/{slug}/draft/scenarios/{number}", "GET"),
    ("/editor/journeys/{slug}/draft/scenarios/{number}", "POST"),
    ("/editor/journeys/{slug}/draft/scenarios/{number}/delete", "GET"),
    ("/editor/journeys/{slug}/draft/scenarios/{number}/delete", "POST"),
    ("/editor/translations/confirm", "POST"),
}


def test_every_route_has_a_role() -> None:
    unplaced = set(ROUTES) - PUBLISHER_ONLY - EVERY_EDITOR
    assert unplaced == set(), "place each route in PUBLISHER_ONLY or EVERY_EDITOR"


@pytest.mark.parametrize(("path", "method"), sorted(PUBLISHER_ONLY))
def test_an_editor_is_refused_every_publishers_route(
    client: TestClient, editor_tokens: Tokens, database_url: str, path: str, method: str
) -> None:
    started = client.post(
        "/v1/editor/drafts",
        json={"slug": "moving"},
        headers={"Authorization": f"Bearer {editor_tokens.editor}"},
    )
    assert started.status_code == 201
    sign_in(client, editor_tokens.editor)
    fields = {
        "csrf": csrf_of(client),
        "note": "a note",
        "version": "1",
        "revision": started.json()["etag"],
    }
    before = snapshot(database_url)
    response = client.request(
        method,
        address(path) + ("?version=1" if method == "GET" else ""),
        data=fields if method == "POST" else None,
        follow_redirects=False,
    )
    assert response.status_code == 403
    assert "Only a publisher can do this" in response.text
    assert "Signed in as Eeva Editor, editor" in response.text
    assert snapshot(database_url) == before


def test_the_table_holds_the_editor_pages() -> None:
    assert {
        ("/editor/", "GET"),
        (SIGN_IN, "GET"),
        (SIGN_IN, "POST"),
        ("/editor/sign-out", "POST"),
        ("/editor/language", "POST"),
        ("/editor/audit", "GET"),
        ("/editor/feedback", "GET"),
        ("/editor/journeys/{slug}/history", "GET"),
    } <= set(ROUTES)


@pytest.mark.parametrize(("path", "method"), ROUTES)
def test_without_a_session_every_page_sends_to_sign_in(
    browser: TestClient, shared_database_url: str, path: str, method: str
) -> None:
    before = snapshot(shared_database_url)
    response = browser.request(method, address(path), follow_redirects=False)
    if path == SIGN_IN:
        # The sign-in page itself: shown, or (a form without its token) refused.
        assert response.status_code == (200 if method == "GET" else 400)
    else:
        assert response.status_code == 303
        assert response.headers["location"].startswith(SIGN_IN)
        assert response.headers["cache-control"] == "no-store"
    assert snapshot(shared_database_url) == before


@pytest.mark.parametrize("path", POSTS)
@pytest.mark.parametrize("csrf", [None, "", "0" * 64, "forged"])
def test_a_form_without_the_sessions_csrf_token_changes_nothing(
    browser: TestClient,
    shared_tokens: Tokens,
    shared_database_url: str,
    path: str,
    csrf: str | None,
) -> None:
    sign_in(browser, shared_tokens.publisher)
    fields = {"lang": "sv", "back": "/editor/audit", "token": shared_tokens.editor}
    if csrf is not None:
        fields["csrf"] = csrf
    before = snapshot(shared_database_url)
    response = browser.post(address(path), data=fields, follow_redirects=False)
    assert response.status_code == 400
    assert snapshot(shared_database_url) == before
    # Another session's token is no better.
    with closing(TestClient(browser.app)) as other:  # another browser, the same running app
        sign_in(other, shared_tokens.editor)
        fields["csrf"] = csrf_of(other)
    before = snapshot(shared_database_url)
    assert browser.post(address(path), data=fields).status_code == 400
    assert snapshot(shared_database_url) == before


UNKNOWN = {"{slug}": "Not-A-Slug", "{step_id}": "Bad-Step", "{question_id}": "Bad", "{number}": "0"}


@pytest.mark.parametrize("path", [path for path in POSTS if "{" in path])
def test_a_form_without_the_token_is_refused_before_its_address_is_read(
    browser: TestClient, shared_tokens: Tokens, shared_database_url: str, path: str
) -> None:
    """The token is checked first (api.editor_pages.page resolves it before the slug and the
    item): a form without it is refused the same whatever its address names."""
    sign_in(browser, shared_tokens.publisher)
    for name, value in UNKNOWN.items():
        path = path.replace(name, value)
    before = snapshot(shared_database_url)
    response = browser.post(path, data={"note": "a note"}, follow_redirects=False)
    assert response.status_code == 400
    assert snapshot(shared_database_url) == before
    response = browser.post(path, data={"csrf": csrf_of(browser)}, follow_redirects=False)
    assert response.status_code == 404  # with the token, the unknown address is not found


def test_the_right_csrf_token_is_taken(client: TestClient, editor_tokens: Tokens) -> None:
    """The check above refuses for want of the token, not for anything else."""
    sign_in(client, editor_tokens.publisher)
    csrf = csrf_of(client)
    response = client.post(
        "/editor/language", data={"csrf": csrf, "lang": "sv"}, follow_redirects=False
    )
    assert response.status_code == 303
    response = client.post("/editor/sign-out", data={"csrf": csrf}, follow_redirects=False)
    assert response.status_code == 303


def test_a_revoked_tokens_cookie_is_refused_everywhere(
    client: TestClient, editor_tokens: Tokens, database_url: str
) -> None:
    sign_in(client, editor_tokens.publisher)
    csrf = csrf_of(client)
    engine = make_engine(database_url)
    with transaction(make_sessions(engine)) as session:
        tokens.revoke(session, "Paavo Publisher")
    engine.dispose()
    cookies = dict(client.cookies)
    before = snapshot(database_url)
    for path, method in ROUTES:
        if path == SIGN_IN:
            continue
        client.cookies.update(cookies)  # as a browser that kept it would send it
        response = client.request(
            method,
            address(path),
            data={"csrf": csrf, "lang": "sv"} if method == "POST" else None,
            follow_redirects=False,
        )
        assert response.status_code == 303, (method, path)
        assert response.headers["location"].startswith(SIGN_IN)
    after = snapshot(database_url)
    assert after["editor_sessions"] == []  # the revoked token's session is gone
    assert {k: v for k, v in after.items() if k != "editor_sessions"} == {
        k: v for k, v in before.items() if k != "editor_sessions"
    }


FIELD_NAMES = st.sampled_from(["csrf", "lang", "back", "next", "token", "x", ""]) | st.text(
    max_size=20
)
FIELD_VALUES = (
    st.text(max_size=300)
    | st.sampled_from(["fi", "sv", "en", "/editor/", "//evil.example", "/editor/\x00", "polku_"])
    | st.text(min_size=1000, max_size=3000)
)
BODIES = st.binary(max_size=2000)
CONTENT_TYPES = st.sampled_from(
    [
        "application/x-www-form-urlencoded",
        "multipart/form-data",
        "multipart/form-data; boundary=x",
        "application/json",
        "text/plain",
    ]
)


@pytest.mark.parametrize("path", POSTS)
def test_no_form_answers_with_a_server_error(
    client: TestClient, editor_tokens: Tokens, path: str
) -> None:
    """Random and missing fields, with and without a session and its CSRF token, and bodies
    that are not forms at all."""
    kept: list[tuple[dict[str, str], str]] = []

    def signed_in() -> str:
        """Sign in (once, and again after each sign-out, the one form that ends the session:
        signing in was three of an example's four requests); the session's CSRF token."""
        if not kept or path == "/editor/sign-out":
            client.cookies.clear()
            sign_in(client, editor_tokens.editor)
            kept[:] = [(dict(client.cookies), csrf_of(client))]
        cookies, csrf = kept[0]
        client.cookies.clear()
        client.cookies.update(cookies)
        return csrf

    @settings(
        max_examples=25,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(
        fields=st.lists(st.tuples(FIELD_NAMES, FIELD_VALUES), max_size=6),
        with_session=st.booleans(),
        with_csrf=st.booleans(),
        body=st.none() | st.tuples(BODIES, CONTENT_TYPES),
    )
    def run(
        fields: list[tuple[str, str]],
        with_session: bool,
        with_csrf: bool,
        body: tuple[bytes, str] | None,
    ) -> None:
        client.cookies.clear()
        if with_session:
            csrf = signed_in()
            if with_csrf:
                fields = [*fields, ("csrf", csrf)]
        if body is None:
            body = (urlencode(fields).encode(), "application/x-www-form-urlencoded")
        response = client.post(
            address(path),
            content=body[0],
            headers={"Content-Type": body[1]},
            follow_redirects=False,
        )
        assert response.status_code < 500, response.text[:2000]
        if response.status_code != 303:
            assert response.headers["content-type"].startswith("text/html")

    run()


@pytest.mark.parametrize("path", GETS)
def test_no_page_answers_a_strange_query_with_a_server_error(
    browser: TestClient, shared_tokens: Tokens, path: str
) -> None:
    sign_in(browser, shared_tokens.editor)
    for query in (
        "before=x",
        "before=-1",
        "before=99999999999999999999",
        "next=//x&lang=de",
        "lang=%00",
    ):
        response = browser.get(f"{address(path)}?{query}", follow_redirects=False)
        assert response.status_code < 500, (path, query)
    for unknown in ("/editor/journeys/no-such-journey/history", "/editor/journeys/A%20B/history"):
        response = browser.get(unknown)
        assert response.status_code == 404
        assert "Signed in as Eeva Editor" in response.text
