"""The editors' pages in Debian's Chromium, scripts off and on: sign in (a wrong token first),
see the dashboard, sign out. axe-core finds nothing and the Nu validator no error on the
sign-in page, its error state, the dashboard, a journey's history, the feedback and the audit
log, in Finnish and in English; the language switch keeps the page and the session keeps the
language.

The editor pages get a server of their own (its own SQLite file, with an editor token), so
that signing in and out never touches the other browser tests' server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe  # type: ignore[import-untyped]
from playwright.sync_api import Browser, Page

from api.db import make_engine, make_sessions, transaction
from api.editor import tokens
from tests.browser.conftest import AXE_OPTIONS, button, go, t
from tests.browser.test_validity import report, validate
from tests.conftest import PublishedTemplates
from tests.server import LiveServer, running_server

LOCALES = {"fi": "fi-FI", "en": "en-GB"}


@pytest.fixture(scope="module")
def editor_server(
    tmp_path_factory: pytest.TempPathFactory, published_templates: PublishedTemplates
) -> Iterator[tuple[LiveServer, str]]:
    """Polku with the bundled journeys and one editor token (returned with the server)."""
    directory = tmp_path_factory.mktemp("editor-pages")
    url = published_templates.sqlite_copy(directory / "polku.sqlite3")
    engine = make_engine(url)
    with transaction(make_sessions(engine)) as session:
        token = tokens.create(session, name="Eeva Editor", role="editor", days=30)
    engine.dispose()
    with running_server(url, directory / "server") as server:
        yield server, token


@pytest.fixture(scope="module")
def seen() -> dict[str, str]:
    """The HTML of every page the tests below visited, as the server sent it, by name."""
    return {}


def check_accessible(page: Page, javascript: bool) -> None:
    """axe runs in the page: with scripts on (the pages are the same either way)."""
    if not javascript:
        return
    result = Axe().run(page, options=AXE_OPTIONS)
    violations = result.response["violations"]
    assert violations == [], f"{page.url}\n{result.generate_report()}"


@pytest.mark.parametrize("javascript", [False, True], ids=["scripts-off", "scripts-on"])
@pytest.mark.parametrize("lang", ["fi", "en"])
def test_an_editor_signs_in_sees_the_dashboard_and_signs_out(
    browser: Browser,
    editor_server: tuple[LiveServer, str],
    seen: dict[str, str],
    lang: str,
    javascript: bool,
) -> None:
    server, token = editor_server
    context = browser.new_context(
        base_url=server.url, java_script_enabled=javascript, locale=LOCALES[lang]
    )
    context.set_default_timeout(15_000)
    try:
        page = context.new_page()
        response = page.goto("/editor/")
        assert response is not None
        assert page.url.endswith("/editor/sign-in")
        assert page.locator("h1").inner_text() == t(lang, "Sign in to edit journeys")
        check_accessible(page, javascript)
        seen[f"{lang}-sign-in"] = response.text()

        page.get_by_label(t(lang, "Your editor token")).fill("polku_not-a-real-token")
        response = go(page, button(page, lang, "Sign in").click)
        assert response.status == 400
        assert page.locator(".error-summary").is_visible()
        check_accessible(page, javascript)
        seen[f"{lang}-sign-in-error"] = response.text()

        page.get_by_label(t(lang, "Your editor token")).fill(token)
        response = go(page, button(page, lang, "Sign in").click)
        assert response.status == 200
        assert page.url.endswith("/editor/")
        assert page.locator("h1").inner_text() == t(lang, "Journeys")
        who = t(lang, "Signed in as %(name)s, %(role)s", name="Eeva Editor", role=t(lang, "editor"))
        assert page.locator(".who").inner_text() == who
        assert page.locator(".journey-card").count() >= 11
        check_accessible(page, javascript)
        seen[f"{lang}-dashboard"] = response.text()

        for kind, address in (
            ("history", "/editor/journeys/moving/history"),
            ("feedback", "/editor/feedback"),
            ("audit", "/editor/audit"),
        ):
            response = page.goto(address)
            assert response is not None
            assert response.status == 200
            check_accessible(page, javascript)
            seen[f"{lang}-{kind}"] = response.text()

        # The language switch keeps the page, and the session keeps the language.
        other = "en" if lang == "fi" else "fi"
        name = {"fi": "Suomeksi", "en": "In English"}[other]
        go(page, page.get_by_role("button", name=name, exact=True).click)
        assert page.url.endswith("/editor/audit")
        assert page.locator("h1").inner_text() == t(other, "Audit log")
        page.goto("/editor/")
        assert page.locator("h1").inner_text() == t(other, "Journeys")
        go(
            page,
            page.get_by_role("button", name={"fi": "Suomeksi", "en": "In English"}[lang]).click,
        )

        # The cookie: not for scripts, never sent by another site's request.
        (cookie,) = context.cookies()
        assert cookie["httpOnly"] is True
        assert cookie["sameSite"] == "Strict"

        go(page, button(page, lang, "Sign out everywhere").click)
        assert "/editor/sign-in" in page.url
        assert page.get_by_text(t(lang, "You have signed out in every browser.")).is_visible()
        assert context.cookies() == []
        page.goto("/editor/")
        assert page.url.endswith("/editor/sign-in")
    finally:
        context.close()


def test_the_editor_pages_are_valid_html(
    seen: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> None:
    expected = {
        f"{lang}-{kind}"
        for lang in LOCALES
        for kind in ("sign-in", "sign-in-error", "dashboard", "history", "feedback", "audit")
    }
    assert set(seen) == expected, "run with the test above: it visits the pages"
    directory: Path = tmp_path_factory.mktemp("editor-html")
    for name, html in seen.items():
        (directory / f"{name}.html").write_text(html, encoding="utf-8")
    errors = validate(directory)
    assert errors == [], f"{len(errors)} error(s):\n{report(errors)}"
