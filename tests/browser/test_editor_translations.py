"""The translation worklist in Debian's Chromium, scripts off and on, in Finnish and English: a
draft with a Finnish title changed (two stale translations) and an English body removed (one
missing); the links lead to the fields' addresses; "still correct" clears one. axe-core finds
nothing and the Nu validator no error on the worklist, its filtered view and the page after a
confirmation."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from api.db import make_engine, make_sessions, transaction
from api.editor import tokens
from tests.browser.conftest import button, go, t
from tests.browser.test_editor import LOCALES, check_accessible
from tests.browser.test_validity import report, validate
from tests.conftest import PublishedTemplates
from tests.server import LiveServer, running_server


@pytest.fixture(scope="module")
def translations_server(
    tmp_path_factory: pytest.TempPathFactory, published_templates: PublishedTemplates
) -> Iterator[tuple[LiveServer, str]]:

    directory = tmp_path_factory.mktemp("editor-translations")
    url = published_templates.sqlite_copy(directory / "polku.sqlite3")
    engine = make_engine(url)
    with transaction(make_sessions(engine)) as session:
        token = tokens.create(session, name="Tiina Translator", role="editor", days=30)
    engine.dispose()
    with running_server(url, directory / "server") as server:
        yield server, token


@pytest.fixture(scope="module")
def seen() -> dict[str, str]:
    return {}


def _start_draft(browser: Browser, server: LiveServer, token: str) -> None:
    """moving's draft, through the API: a new Finnish title on the first step, no English body."""
    context = browser.new_context(base_url=server.url)
    api = context.request
    auth = {"Authorization": f"Bearer {token}"}
    try:
        api.post("/v1/editor/drafts", data={"slug": "moving"}, headers=auth)
        for lang, texts in (
            ("fi", {"/steps/0/title": "Tee muuttoilmoitus ajoissa"}),
            ("en", {"/steps/0/body": None}),
        ):
            etag = api.get("/v1/editor/drafts/moving", headers=auth).headers["etag"]
            response = api.put(
                f"/v1/editor/drafts/moving/texts/{lang}",
                data={"texts": texts},
                headers=auth | {"If-Match": etag},
            )
            assert response.status == 200, response.text()
    finally:
        context.close()


@pytest.mark.parametrize("javascript", [False, True], ids=["scripts-off", "scripts-on"])
@pytest.mark.parametrize("lang", ["fi", "en"])
def test_a_translator_opens_the_worklist(
    browser: Browser,
    translations_server: tuple[LiveServer, str],
    seen: dict[str, str],
    lang: str,
    javascript: bool,
) -> None:
    server, token = translations_server
    _start_draft(browser, server, token)  # the second time: the draft exists, nothing changes
    context = browser.new_context(
        base_url=server.url, java_script_enabled=javascript, locale=LOCALES[lang]
    )
    context.set_default_timeout(15_000)
    try:
        page = context.new_page()
        page.goto("/editor/translations")
        page.get_by_label(t(lang, "Your editor token")).fill(token)
        response = go(page, button(page, lang, "Sign in").click)
        assert page.url.endswith("/editor/translations")
        assert page.locator("h1").inner_text() == t(lang, "Translations")
        items = page.locator(".worklist-item")
        stale = items.filter(has_text=t(lang, "Finnish changed since translated"))
        # The first run confirms the Swedish one (below); the English one stays.
        assert stale.count() in (1, 2)
        assert items.filter(has_text=t(lang, "Missing")).count() == 1
        hrefs = {
            items.nth(i).locator("a.button").get_attribute("href") for i in range(items.count())
        }
        assert "/editor/journeys/moving/draft/steps/notify-dvv#title-en" in hrefs
        assert "/editor/journeys/moving/draft/steps/notify-dvv#body-en" in hrefs
        check_accessible(page, javascript)
        seen[f"{lang}-worklist"] = response.text()

        # Filters by form: Swedish only.
        page.get_by_role("combobox", name=t(lang, "Language")).select_option("sv")
        response = go(page, button(page, lang, "Show").click)
        assert "lang=sv" in page.url
        check_accessible(page, javascript)
        seen[f"{lang}-worklist-sv"] = response.text()
        if page.locator(".worklist-item").count():
            still = page.get_by_role(
                "button", name=re.compile("^" + re.escape(t(lang, "Still correct")))
            )
            response = go(page, still.first.click)
            assert response.status == 200
            assert page.get_by_text(t(lang, "Marked as still correct.")).is_visible()
            assert page.get_by_text(t(lang, "Nothing to translate.")).is_visible()
            check_accessible(page, javascript)
            seen[f"{lang}-confirmed"] = response.text()
    finally:
        context.close()


def test_the_worklist_pages_are_valid_html(
    seen: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> None:
    assert {"fi-worklist", "en-worklist", "fi-worklist-sv", "en-worklist-sv"} <= set(seen)
    assert any(name.endswith("-confirmed") for name in seen)
    directory: Path = tmp_path_factory.mktemp("translations-html")
    for name, html in seen.items():
        (directory / f"{name}.html").write_text(html, encoding="utf-8")
    errors = validate(directory)
    assert errors == [], f"{len(errors)} error(s):\n{report(errors)}"
