"""The dashboard: every journey with its published version, its draft (who changed it last),
the draft's problems, missing translations per language and whether a review is due; what
needs work first."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi.testclient import TestClient

from api.editor.models import Draft
from api.editor.translations import service as translations_service
from api.editor_pages import views
from tests.conftest import BUNDLED
from tests.editor.conftest import bearer
from tests.editor_pages.conftest import Tokens, sign_in

CHANGED = dt.datetime(2026, 12, 1, 10, 30, tzinfo=dt.UTC)


def draft(
    slug: str, problems: list[dict[str, Any]], content: dict[str, Any] | None = None
) -> Draft:
    return Draft(
        slug=slug,
        key="k",
        content=content or {},
        problems=problems,
        revision=4,
        based_on_version=1,
        updated_at=CHANGED,
        updated_by="Eeva Editor",
    )


def problem(pointer: str, kind: str = "error") -> dict[str, Any]:
    return {"file": "x.yaml", "pointer": pointer, "message": "m", "kind": kind}


def test_what_needs_work_comes_first(client: TestClient) -> None:
    published = client.app.state.catalogue.current  # type: ignore[attr-defined]
    drafts = [
        draft(
            "moving",
            [
                problem("/steps/0/when"),
                problem("/steps/1/title/sv", "translation"),
                problem("/steps/2/body/sv", "translation"),
                problem("/summary/en", "translation"),
            ],
        ),
        draft(
            "new-thing",
            [],
            {"title": {"fi": "Uusi asia", "en": "A new thing"}, "last_reviewed": "2025-11-01"},
        ),
        draft("death-of-a-loved-one", []),
    ]
    rows = views.dashboard(
        published,
        drafts,
        translations_service.report(published=published),
        {"death-of-a-loved-one": {"en": 2}},
        lang="en",
        today=dt.date(2026, 12, 3),
        review_months=12,
    )
    assert [row.slug for row in rows[:3]] == ["moving", "new-thing", "death-of-a-loved-one"]
    moving, new, death = rows[:3]
    assert moving.attention == ("problems", "translations", "unpublished")
    assert moving.draft is not None
    assert moving.draft.problems == 1
    assert moving.draft.updated_by == "Eeva Editor"
    assert moving.missing == {"sv": 2, "en": 1}
    assert moving.published_version == 1
    assert moving.title == "Moving home"
    assert new.attention == ("review", "unpublished")
    assert (new.title, new.published_version, new.review_due) == ("A new thing", None, True)
    assert death.attention == ("stale", "unpublished")
    assert death.stale == {"sv": 0, "en": 2}
    assert moving.stale == {"sv": 0, "en": 0}
    rest = rows[3:]
    assert {row.slug for row in rest} == set(BUNDLED) - {"moving", "death-of-a-loved-one"}
    assert all(row.attention == () and row.draft is None for row in rest)
    assert [row.title.casefold() for row in rest] == sorted(row.title.casefold() for row in rest)


def test_a_review_is_due_after_the_set_number_of_months(client: TestClient) -> None:
    published = client.app.state.catalogue.current  # type: ignore[attr-defined]
    report = translations_service.report(published=published)

    def due(today: dt.date, months: int) -> set[str]:
        rows = views.dashboard(
            published, [], report, {}, lang="fi", today=today, review_months=months
        )
        return {row.slug for row in rows if row.review_due}

    # The first eleven bundled journeys were last reviewed on 28 November 2026, the eight that
    # issue 12 added on 4 December 2026.
    reviewed = {
        slug: journey.last_reviewed for slug, journey in published.catalogue.journeys.items()
    }
    first = {slug for slug, day in reviewed.items() if day == dt.date(2026, 11, 28)}
    assert len(first) == 11
    assert set(reviewed.values()) == {dt.date(2026, 11, 28), dt.date(2026, 12, 4)}
    assert due(dt.date(2027, 11, 28), 12) == set()
    assert due(dt.date(2027, 11, 29), 12) == first
    assert due(dt.date(2027, 12, 5), 12) == set(reviewed)
    assert due(dt.date(2027, 1, 5), 1) == set(reviewed)


def test_missing_translations_are_read_from_the_drafts_problems() -> None:
    assert views.missing_translations(
        [
            problem("/title/sv", "translation"),
            problem("/steps/3/body/en", "translation"),
            problem("/steps/3/body/en", "error"),  # not a translation
            problem("/steps/4/sv"),
        ]
    ) == {"sv": 1, "en": 1}


def test_the_page_shows_the_draft_and_who_changed_it(
    client: TestClient, editor_tokens: Tokens
) -> None:
    started = client.post(
        "/v1/editor/drafts", json={"slug": "moving"}, headers=bearer(editor_tokens.editor)
    )
    assert started.status_code == 201, started.text
    sign_in(client, editor_tokens.publisher, lang="en")
    page = client.get("/editor/").text
    first = page.index('class="journey-card"')
    assert page.index('id="journey-moving"', first - 50) < page.index(
        'class="journey-card"', first + 1
    )
    # The card holds a list of its links: it ends where the next card begins.
    card = page[first : page.index('class="journey-card"', first + 1)]
    assert "Moving home" in card
    assert "Draft not published" in card
    assert "Changed by Eeva Editor" in card
    assert "Version 1," in card
    assert "Missing translations</dt><dd>Swedish 0, English 0" in card
    assert "Finnish changed since translated</dt><dd>Swedish 0, English 0" in card
    assert 'href="/editor/journeys/moving/history"' in card
    assert "Signed in as Paavo Publisher, publisher" in page


def test_stale_translations_are_counted_per_language_beside_missing_ones(
    client: TestClient, editor_tokens: Tokens
) -> None:
    """The Finnish title of moving's first step changed in its draft (its Swedish and English
    are stale), and its English body removed (missing): the card says so, as the worklist
    does; "still correct" for the Swedish one takes it off the count."""
    headers = bearer(editor_tokens.editor)
    client.post("/v1/editor/drafts", json={"slug": "moving"}, headers=headers)
    for lang, texts in (
        ("fi", {"/steps/0/title": "Tee muuttoilmoitus ajoissa"}),
        ("en", {"/steps/0/body": None}),
    ):
        etag = client.get("/v1/editor/drafts/moving", headers=headers).headers["etag"]
        response = client.put(
            f"/v1/editor/drafts/moving/texts/{lang}",
            json={"texts": texts},
            headers=headers | {"If-Match": etag},
        )
        assert response.status_code == 200, response.text
    sign_in(client, editor_tokens.editor, lang="en")

    def card() -> str:
        page = client.get("/editor/").text
        start = page.index('id="journey-moving"')
        return page[start : page.find('class="journey-card"', start)]

    shown = card()
    assert "Missing translations</dt><dd>Swedish 0, English 1" in shown
    assert "Finnish changed since translated</dt><dd>Swedish 1, English 1" in shown
    assert "Translations out of date" in shown
    worklist = client.get("/v1/editor/translations/worklist", headers=headers).json()
    assert (worklist["stale"], worklist["missing"]) == (2, 1)
    swedish = next(
        item
        for journey in worklist["journeys"]
        for item in journey["items"]
        if item["state"] == "stale" and item["lang"] == "sv"
    )
    confirmed = client.post(
        "/v1/editor/translations/confirmations",
        json={
            "journey": "moving",
            "place": swedish["place"],
            "lang": "sv",
            "source": swedish["source"],
        },
        headers=headers,
    )
    assert confirmed.status_code == 204
    assert "Finnish changed since translated</dt><dd>Swedish 0, English 1" in card()
