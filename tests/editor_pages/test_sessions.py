"""Signing in on the editors' pages: a server-side session behind a cookie with strict flags,
only its hash stored, ended by idleness, by signing out (everywhere) or by revoking the token;
wrong tokens counted and limited; the interface language kept in the session."""

from __future__ import annotations

import datetime as dt
import hashlib
from contextlib import closing
from http.cookies import SimpleCookie

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from api import metrics
from api.config import Settings
from api.db import make_engine, make_sessions, transaction, utcnow
from api.editor import tokens
from api.editor_pages.models import EditorSession
from api.main import create_app
from tests.conftest import GENEROUS_LIMITS
from tests.editor_pages.conftest import Tokens, csrf_of, hidden, sign_in

COOKIE = "polku-editor"


def stored_sessions(database_url: str) -> list[EditorSession]:
    engine = make_engine(database_url)
    try:
        with make_sessions(engine)() as session:
            return list(session.scalars(select(EditorSession)))
    finally:
        engine.dispose()


def set_cookie_header(response: object) -> SimpleCookie:
    cookie: SimpleCookie = SimpleCookie()
    cookie.load(response.headers["set-cookie"])  # type: ignore[attr-defined]
    return cookie


def test_signing_in_starts_a_session_that_names_the_editor_and_role(
    client: TestClient, editor_tokens: Tokens, database_url: str
) -> None:
    refused = client.get("/editor/", follow_redirects=False)
    assert refused.status_code == 303
    assert refused.headers["location"] == "/editor/sign-in"
    page = client.get("/editor/sign-in?lang=en")
    assert page.status_code == 200
    assert "You are not signed in" in page.text
    assert page.headers["cache-control"] == "no-store"
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["x-frame-options"] == "DENY"

    response = client.post(
        "/editor/sign-in",
        data={"csrf": hidden(page.text, "csrf"), "lang": "en", "token": editor_tokens.editor},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/editor/"
    cookie = set_cookie_header(response)[COOKIE]
    assert cookie["httponly"] is True
    assert cookie["samesite"].lower() == "strict"
    assert cookie["path"] == "/"
    assert not cookie["secure"]  # http://127.0.0.1:8000 in development
    session_id = cookie.value

    dashboard = client.get("/editor/")
    assert dashboard.status_code == 200
    assert "Signed in as Eeva Editor, editor" in dashboard.text
    history = client.get("/editor/journeys/moving/history")
    assert "Signed in as Eeva Editor, editor" in history.text
    # Only the id's SHA-256 is kept; the id itself is nowhere in the database.
    (row,) = stored_sessions(database_url)
    assert row.id_hash == hashlib.sha256(session_id.encode()).hexdigest()
    assert session_id not in repr(vars(row))


def test_a_publisher_sees_their_role(client: TestClient, editor_tokens: Tokens) -> None:
    sign_in(client, editor_tokens.publisher, lang="fi")
    assert "Kirjautuneena: Paavo Publisher, julkaisija" in client.get("/editor/").text


def test_on_https_the_cookie_is_secure_and_host_only(
    database_url: str, editor_tokens: Tokens
) -> None:
    settings = Settings(
        database_url=database_url, public_url="https://polku.example", **GENEROUS_LIMITS
    )
    with TestClient(create_app(settings), base_url="https://polku.example") as client:
        page = client.get("/editor/sign-in").text
        response = client.post(
            "/editor/sign-in",
            data={"csrf": hidden(page, "csrf"), "token": editor_tokens.editor},
            follow_redirects=False,
        )
        cookie = set_cookie_header(response)["__Host-polku-editor"]
        assert cookie["secure"] is True
        assert cookie["httponly"] is True
        assert cookie["samesite"].lower() == "strict"
        assert cookie["path"] == "/"
        assert not cookie["domain"]
        assert client.get("/editor/").status_code == 200


def test_after_signing_in_the_page_asked_for_opens_never_another_site(
    client: TestClient, editor_tokens: Tokens
) -> None:
    refused = client.get("/editor/audit?before=5", follow_redirects=False)
    assert refused.headers["location"] == "/editor/sign-in?next=%2Feditor%2Faudit%3Fbefore%3D5"
    assert sign_in(client, editor_tokens.editor, next_page="/editor/audit?before=5") == (
        "/editor/audit?before=5"
    )
    client.cookies.clear()
    for elsewhere in ("https://evil.example/", "//evil.example/editor/", "/editor/\\evil", "/fi/"):
        assert sign_in(client, editor_tokens.editor, next_page=elsewhere) == "/editor/"
        client.cookies.clear()


def test_a_wrong_token_is_refused_counted_and_soon_limited(
    database_url: str, editor_tokens: Tokens
) -> None:
    settings = Settings(
        database_url=database_url, **(GENEROUS_LIMITS | {"limit_failed_sign_in": "2/minute"})
    )
    failed_before = metrics.EDITOR_SIGN_INS.labels("failed")._value.get()
    with TestClient(create_app(settings)) as client:
        for wrong in ("polku_" + "A" * 43, editor_tokens.revoked):
            page = client.get("/editor/sign-in?lang=en").text
            response = client.post(
                "/editor/sign-in", data={"csrf": hidden(page, "csrf"), "token": wrong, "lang": "en"}
            )
            assert response.status_code == 400
            assert "This token is not known, or it was revoked" in response.text
            assert 'class="error-summary"' in response.text
            assert "set-cookie" not in response.headers
        assert metrics.EDITOR_SIGN_INS.labels("failed")._value.get() == failed_before + 2
        page = client.get("/editor/sign-in?lang=en").text
        # Over the limit: even the right token is not looked at.
        limited = client.post(
            "/editor/sign-in",
            headers={"Accept-Language": "en"},
            data={"csrf": hidden(page, "csrf"), "token": editor_tokens.editor, "lang": "en"},
        )
        assert limited.status_code == 429
        assert 1 <= int(limited.headers["retry-after"]) <= 60
        assert "Too many failed sign-ins" in limited.text
        assert stored_sessions(database_url) == []


def test_an_empty_token_or_an_expired_form_is_said_plainly(
    client: TestClient, editor_tokens: Tokens
) -> None:
    page = client.get("/editor/sign-in?lang=en").text
    empty = client.post(
        "/editor/sign-in", data={"csrf": hidden(page, "csrf"), "token": " ", "lang": "en"}
    )
    assert empty.status_code == 400
    assert "Enter your editor token" in empty.text
    forged = client.post(
        "/editor/sign-in", data={"csrf": "forged", "token": editor_tokens.editor, "lang": "sv"}
    )
    assert forged.status_code == 400
    assert "Formuläret hade gått ut" in forged.text
    assert "set-cookie" not in forged.headers


def test_an_expired_token_is_told_its_date(
    client: TestClient, editor_tokens: Tokens, database_url: str
) -> None:
    engine = make_engine(database_url)
    with transaction(make_sessions(engine)) as session:
        old = tokens.create(session, name="Old Hand", role="editor", days=1)
    with transaction(make_sessions(engine)) as session:
        session.execute(
            update(tokens.EditorToken)
            .where(tokens.EditorToken.name == "Old Hand")
            .values(expires_at=dt.datetime(2026, 1, 2, 12, tzinfo=dt.UTC))
        )
    engine.dispose()
    page = client.get("/editor/sign-in?lang=en").text
    response = client.post(
        "/editor/sign-in", data={"csrf": hidden(page, "csrf"), "token": old, "lang": "en"}
    )
    assert response.status_code == 400
    assert "This token expired on 2 Jan 2026" in response.text


def test_revoking_the_token_ends_its_sessions(
    client: TestClient, editor_tokens: Tokens, database_url: str
) -> None:
    sign_in(client, editor_tokens.publisher)
    assert client.get("/editor/").status_code == 200
    engine = make_engine(database_url)
    with transaction(make_sessions(engine)) as session:
        assert tokens.revoke(session, "Paavo Publisher")
    engine.dispose()
    refused = client.get("/editor/", follow_redirects=False)
    assert refused.status_code == 303
    assert refused.headers["location"] == "/editor/sign-in"
    assert 'polku-editor=""' in refused.headers["set-cookie"]  # the stale cookie is removed
    assert stored_sessions(database_url) == []


def test_a_session_idle_too_long_ends(
    client: TestClient, editor_tokens: Tokens, database_url: str
) -> None:
    sign_in(client, editor_tokens.editor)
    engine = make_engine(database_url)
    with transaction(make_sessions(engine)) as session:
        session.execute(
            update(EditorSession).values(last_seen_at=utcnow() - dt.timedelta(hours=7, minutes=50))
        )
    assert client.get("/editor/", follow_redirects=False).status_code == 200  # and seen again
    with transaction(make_sessions(engine)) as session:
        session.execute(
            update(EditorSession).values(last_seen_at=utcnow() - dt.timedelta(hours=8, minutes=1))
        )
    engine.dispose()
    assert client.get("/editor/", follow_redirects=False).status_code == 303


def test_signing_out_ends_every_session_of_the_token(
    client: TestClient, editor_tokens: Tokens, database_url: str
) -> None:
    sign_in(client, editor_tokens.editor)
    # Other browsers on the same running app (entering a TestClient would start the app again).
    with closing(TestClient(client.app)) as other_browser:
        sign_in(other_browser, editor_tokens.editor)
        with closing(TestClient(client.app)) as someone_else:
            sign_in(someone_else, editor_tokens.publisher)
            response = client.post(
                "/editor/sign-out", data={"csrf": csrf_of(client)}, follow_redirects=False
            )
            assert response.status_code == 303
            assert response.headers["location"] == "/editor/sign-in?signed_out=1&lang=en"
            assert client.get("/editor/", follow_redirects=False).status_code == 303
            assert other_browser.get("/editor/", follow_redirects=False).status_code == 303
            assert someone_else.get("/editor/").status_code == 200
    assert "You have signed out in every browser." in client.get(response.headers["location"]).text
    assert len(stored_sessions(database_url)) == 1


@pytest.mark.parametrize(("lang", "heading"), [("fi", "<h1>Polut</h1>"), ("sv", "<h1>Vägar</h1>")])
def test_the_language_is_kept_in_the_session(
    client: TestClient, editor_tokens: Tokens, lang: str, heading: str
) -> None:
    sign_in(client, editor_tokens.editor, lang="en")
    assert "<h1>Journeys</h1>" in client.get("/editor/").text
    response = client.post(
        "/editor/language",
        data={"csrf": csrf_of(client), "lang": lang, "back": "/editor/audit"},
        follow_redirects=False,
    )
    assert response.headers["location"] == "/editor/audit"
    page = client.get("/editor/")
    assert heading in page.text
    assert f'<html lang="{lang}">' in page.text
    assert page.headers["content-language"] == lang
