"""The translators' worklist page: missing and stale translations with links to their fields,
filters, and "still correct" (a form with the session's CSRF token)."""

from __future__ import annotations

import re
from html import unescape

from fastapi.testclient import TestClient

from tests.editor.conftest import bearer
from tests.editor_pages.conftest import Tokens, hidden, sign_in


def _draft_with_work(client: TestClient, token: str) -> None:
    """moving's draft: the first step's Finnish title changed, its English body removed."""
    client.post("/v1/editor/drafts", json={"slug": "moving"}, headers=bearer(token))
    for lang, texts in (
        ("fi", {"/steps/0/title": "Tee muuttoilmoitus ajoissa"}),
        ("en", {"/steps/0/body": None}),
    ):
        etag = client.get("/v1/editor/drafts/moving", headers=bearer(token)).headers["etag"]
        response = client.put(
            f"/v1/editor/drafts/moving/texts/{lang}",
            json={"texts": texts},
            headers=bearer(token) | {"If-Match": etag},
        )
        assert response.status_code == 200, response.text


def _links(html: str) -> set[str]:
    return {unescape(h) for h in re.findall(r'<a class="button" href="([^"]+)"', html)}


def test_the_worklist_lists_stale_and_missing_translations_with_their_fields(
    client: TestClient, editor_tokens: Tokens
) -> None:
    sign_in(client, editor_tokens.editor, lang="en")
    empty = client.get("/editor/translations")
    assert empty.status_code == 200
    assert "Nothing to translate." in empty.text
    _draft_with_work(client, editor_tokens.editor)
    page = client.get("/editor/translations")
    assert page.status_code == 200
    assert page.headers["cache-control"] == "no-store"
    assert "Finnish changed since translated: 2. Missing: 1." in page.text
    assert 'aria-current="page">Translations</a>' in page.text
    assert _links(page.text) == {
        "/editor/journeys/moving/draft/steps/notify-dvv#title-sv",
        "/editor/journeys/moving/draft/steps/notify-dvv#title-en",
        "/editor/journeys/moving/draft/steps/notify-dvv#body-en",
    }
    # Each link names a step the draft has, and the field as `<field>-<language>`.
    draft = client.get("/v1/editor/drafts/moving", headers=bearer(editor_tokens.editor)).json()
    assert draft["content"]["steps"][0]["id"] == "notify-dvv"
    assert "Tee muuttoilmoitus ajoissa" in page.text
    assert '<blockquote lang="sv">Gör en flyttanmälan</blockquote>' in page.text
    # Filters: one language, one kind.
    swedish = client.get("/editor/translations?lang=sv").text
    assert _links(swedish) == {"/editor/journeys/moving/draft/steps/notify-dvv#title-sv"}
    missing = client.get("/editor/translations?state=missing&journey=moving").text
    assert _links(missing) == {"/editor/journeys/moving/draft/steps/notify-dvv#body-en"}
    assert "Still correct" not in missing
    # Unknown filter values are no filter.
    assert len(_links(client.get("/editor/translations?lang=fi&state=x&journey=no").text)) == 3


def test_still_correct_clears_a_stale_translation(
    client: TestClient, editor_tokens: Tokens
) -> None:
    _draft_with_work(client, editor_tokens.editor)
    sign_in(client, editor_tokens.editor, lang="en")
    page = client.get("/editor/translations?lang=sv").text
    fields = {
        name: hidden(page, name, "/editor/translations/confirm")
        for name in ("csrf", "journey", "place", "lang", "source", "back")
    }
    assert fields["place"] == "steps/notify-dvv/title"
    assert fields["back"] == "/editor/translations?lang=sv"
    # Without the session's CSRF token nothing changes.
    refused = client.post("/editor/translations/confirm", data=fields | {"csrf": "x"})
    assert refused.status_code == 400
    assert "Still correct" in client.get("/editor/translations?lang=sv").text
    # With another Finnish than the one shown: nothing changes either.
    changed = client.post("/editor/translations/confirm", data=fields | {"source": "0" * 64})
    assert changed.status_code == 409
    assert "The Finnish text changed again" in changed.text
    done = client.post("/editor/translations/confirm", data=fields, follow_redirects=False)
    assert done.status_code == 303
    assert done.headers["location"] == "/editor/translations?lang=sv&done=confirmed"
    after = client.get(done.headers["location"]).text
    assert "Marked as still correct." in after
    assert "Nothing to translate." in after
    # The English one is still there.
    assert (
        "Finnish changed since translated: 1. Missing: 1."
        in client.get("/editor/translations").text
    )
    # Nonsense fields: nothing changes, a page says so.
    gone = client.post(
        "/editor/translations/confirm", data=fields | {"place": "steps/nowhere/title"}
    )
    assert gone.status_code == 404
    assert "That translation is no longer on the list" in gone.text


def test_the_worklist_speaks_the_editors_language(
    client: TestClient, editor_tokens: Tokens
) -> None:
    _draft_with_work(client, editor_tokens.editor)
    sign_in(client, editor_tokens.editor, lang="fi")
    page = client.get("/editor/translations").text
    assert "<h1>Käännökset</h1>" in page
    assert "Suomi muuttunut käännöksen jälkeen: 2. Puuttuu: 1." in page
