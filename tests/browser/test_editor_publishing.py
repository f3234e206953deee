"""Preview, publish and roll back in Debian's Chromium, scripts off and on: a draft of `moving`
(started and changed through the JSON API: its editing forms are other pages') first blocks
publishing with a failing scenario; fixed, a publisher previews it in Swedish, publishes it
with a change note, sees the citizen page show the change at once, compares the two versions
and rolls back. axe-core finds nothing and the Nu validator no error on the preview, publish
(blocked and ready), compare and rollback pages, in Finnish and in English.

A server of its own (its own SQLite file, with an editor's and a publisher's token)."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page

from api.db import make_engine, make_sessions, transaction
from api.editor import tokens
from tests.browser.conftest import button, go, link, t
from tests.browser.test_editor import LOCALES, check_accessible
from tests.browser.test_validity import report, validate
from tests.conftest import PublishedTemplates
from tests.server import LiveServer, running_server

AINO = "moving_to=same_municipality&children=no&moving_housing_allowance=yes&event_date=2027-03-15"
PAGE_KINDS = ("preview", "plan-preview", "publish-blocked", "publish", "compare", "rollback")


@pytest.fixture(scope="module")
def publishing_server(
    tmp_path_factory: pytest.TempPathFactory, published_templates: PublishedTemplates
) -> Iterator[tuple[LiveServer, str, str]]:
    """Polku with the bundled journeys, an editor's and a publisher's token."""
    directory = tmp_path_factory.mktemp("editor-publishing")
    url = published_templates.sqlite_copy(directory / "polku.sqlite3")
    engine = make_engine(url)
    with transaction(make_sessions(engine)) as session:
        editor = tokens.create(session, name="Eeva Editor", role="editor", days=30)
        publisher = tokens.create(session, name="Paavo Publisher", role="publisher", days=30)
    engine.dispose()
    with running_server(url, directory / "server") as server:
        yield server, editor, publisher


@pytest.fixture(scope="module")
def seen() -> dict[str, str]:
    return {}


def _draft(server: LiveServer, token: str, title: str) -> None:
    """A draft of `moving` with a new Swedish title on its first step and, to begin with, a
    scenario that now fails (then fixed), through the JSON API."""
    auth = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=server.url, headers=auth) as api:
        started = api.post("/v1/editor/drafts", json={"slug": "moving"})
        assert started.status_code == 201, started.text
        content: dict[str, Any] = started.json()["content"]
        content["steps"][0]["title"]["sv"] = title
        broken = copy.deepcopy(content)
        broken["scenarios"][0]["expect"]["due"] = {"notify-dvv": "2027-03-23"}
        put = api.put(
            "/v1/editor/drafts/moving", json=broken, headers={"If-Match": started.json()["etag"]}
        )
        assert put.status_code == 200, put.text


def _fix(server: LiveServer, token: str) -> None:
    auth = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=server.url, headers=auth) as api:
        draft = api.get("/v1/editor/drafts/moving").json()
        content = draft["content"]
        content["scenarios"][0]["expect"]["due"] = {"notify-dvv": "2027-03-22"}
        put = api.put("/v1/editor/drafts/moving", json=content, headers={"If-Match": draft["etag"]})
        assert put.status_code == 200, put.text


def _sign_in(page: Page, lang: str, token: str) -> None:
    page.goto(f"/editor/sign-in?lang={lang}")
    page.get_by_label(t(lang, "Your editor token")).fill(token)
    go(page, button(page, lang, "Sign in").click)
    assert page.url.endswith("/editor/")


def _visit(page: Page, javascript: bool, seen: dict[str, str], name: str, html: str) -> None:
    check_accessible(page, javascript)
    seen[name] = html


@pytest.mark.parametrize("javascript", [False, True], ids=["scripts-off", "scripts-on"])
@pytest.mark.parametrize("lang", ["fi", "en"])
def test_a_publisher_previews_publishes_and_rolls_back(
    browser: Browser,
    publishing_server: tuple[LiveServer, str, str],
    seen: dict[str, str],
    lang: str,
    javascript: bool,
) -> None:
    server, editor, publisher = publishing_server
    title = f"Gör en flyttanmälan ({lang}, {'js' if javascript else 'utan js'})"
    _draft(server, editor, title)
    context = browser.new_context(
        base_url=server.url, java_script_enabled=javascript, locale=LOCALES[lang]
    )
    context.set_default_timeout(15_000)
    try:
        page = context.new_page()
        _sign_in(page, lang, publisher)

        # Blocked: the failing scenario is listed, and there is no publish button.
        response = page.goto("/editor/journeys/moving/publish")
        assert response is not None
        assert response.status == 200
        blocking = page.locator(".blocking")
        assert blocking.is_visible()
        assert "2027-03-23" in blocking.inner_text()
        assert button(page, lang, "Publish").count() == 0
        _visit(page, javascript, seen, f"{lang}-publish-blocked", response.text())
        _fix(server, editor)

        # The preview in Swedish, from the answers form.
        response = page.goto("/editor/journeys/moving/preview")
        assert response is not None
        assert response.status == 200
        _visit(page, javascript, seen, f"{lang}-preview", response.text())
        page.get_by_label(t(lang, "Language of the preview")).select_option("sv")
        page.locator("#q-moving_to").select_option("same_municipality")
        page.locator("#q-children").select_option("no")
        page.locator("#q-moving_housing_allowance").select_option("yes")
        response = go(page, button(page, lang, "Show the preview").click)
        assert response.status == 200
        assert page.locator("html").get_attribute("lang") == "sv"
        assert page.locator(".preview-banner").is_visible()
        assert t("sv", "Preview – not published") in page.locator(".preview-banner").inner_text()
        assert page.get_by_role("heading", name=title).is_visible()
        _visit(page, javascript, seen, f"{lang}-plan-preview", response.text())

        # Publish with a change note; the citizen page shows the change at once.
        response = page.goto("/editor/journeys/moving/publish")
        assert response is not None
        assert page.locator(".ready").is_visible()
        _visit(page, javascript, seen, f"{lang}-publish", response.text())
        page.get_by_label(t(lang, "Change note")).fill(f"Swedish title ({lang})")
        response = go(page, button(page, lang, "Publish").click)
        assert response.status == 200
        assert "/history?published=" in page.url
        citizen = context.new_page()
        citizen.goto(f"/sv/moving/plan?{AINO}")
        assert citizen.get_by_role("heading", name=title).is_visible()

        # Compare the new version with the one before.
        go(
            page,
            page.get_by_role("link", name=t(lang, "Compare with the version before")).first.click,
        )
        assert page.locator("h1").inner_text() == t(lang, "Compare versions")
        _visit(page, javascript, seen, f"{lang}-compare", page.content())

        # Roll back to the version before: asked first, with a note.
        go(page, link(page, lang, "Back to the history").click)
        go(page, page.get_by_role("link", name=t(lang, "Roll back to this version")).first.click)
        assert page.locator("form [name=version]").count() == 1
        _visit(page, javascript, seen, f"{lang}-rollback", page.content())
        page.get_by_label(t(lang, "Change note")).fill("Back again")
        go(page, page.locator("form button.warning").click)
        assert "/history?published=" in page.url
        citizen.goto(f"/sv/moving/plan?{AINO}")
        assert citizen.get_by_role("heading", name=title).count() == 0
    finally:
        context.close()


def test_the_publishing_pages_are_valid_html(
    seen: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> None:
    expected = {f"{lang}-{kind}" for lang in LOCALES for kind in PAGE_KINDS}
    assert set(seen) == expected, "run with the test above: it visits the pages"
    directory: Path = tmp_path_factory.mktemp("editor-publishing-html")
    for name, html in seen.items():
        (directory / f"{name}.html").write_text(html, encoding="utf-8")
    errors = validate(directory)
    assert errors == [], f"{len(errors)} error(s):\n{report(errors)}"
