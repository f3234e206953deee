"""Translation fingerprints: recorded on import and on every draft save; a Finnish change flags
the translations beside it as stale (in the worklist) until a translator saves them again or
confirms them; the API's worklist and confirmation."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from sqlalchemy import delete, func, select

from api.catalogue.models import TranslationFingerprint
from api.catalogue.service import import_directory
from api.cli import main
from api.config import get_settings
from api.db import make_engine, make_sessions, transaction
from tests.conftest import JOURNEYS
from tests.editor.conftest import Tokens, bearer

TITLE = "steps/notify-dvv/title"


def _worklist(client: TestClient, token: str, **query: str) -> dict:  # type: ignore[type-arg]
    response = client.get("/v1/editor/translations/worklist", params=query, headers=bearer(token))
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    return response.json()  # type: ignore[no-any-return]


def _stale(body: dict) -> set[tuple[str, str, str]]:  # type: ignore[type-arg]
    return {
        (journey["journey"], item["place"], item["lang"])
        for journey in body["journeys"]
        for item in journey["items"]
        if item["state"] == "stale"
    }


def _edit(client: TestClient, token: str, lang: str, texts: dict[str, str | None]) -> None:
    etag = client.get("/v1/editor/drafts/moving", headers=bearer(token)).headers["etag"]
    response = client.put(
        f"/v1/editor/drafts/moving/texts/{lang}",
        json={"texts": texts},
        headers=bearer(token) | {"If-Match": etag},
    )
    assert response.status_code == 200, response.text


def test_the_import_records_fingerprints_and_an_unchanged_import_flags_nothing(
    database_url: str,
) -> None:
    engine = make_engine(database_url)
    sessions = make_sessions(engine)
    with sessions() as session:
        count = session.scalar(select(func.count()).where(TranslationFingerprint.slug == "moving"))
        row = session.get(TranslationFingerprint, ("moving", TITLE, "sv"))
    # 164 texts, each in Swedish and English (the title of a shared question is not here).
    assert count is not None
    assert count > 2 * 100
    assert row is not None
    assert row.recorded_by == "tests"
    report = import_directory(sessions, JOURNEYS)
    assert report.published == []
    with sessions() as session:
        again = session.get(TranslationFingerprint, ("moving", TITLE, "sv"))
        assert again is not None
        assert again.recorded_at == row.recorded_at
    engine.dispose()


def test_a_finnish_change_in_an_imported_file_flags_its_translations(
    client: TestClient, editor_tokens: Tokens, database_url: str, tmp_path: Path
) -> None:
    assert _stale(_worklist(client, editor_tokens.editor)) == set()
    changed = tmp_path / "journeys"
    shutil.copytree(JOURNEYS, changed)
    moving = changed / "moving.yaml"
    text = moving.read_text(encoding="utf-8")
    text = text.replace("fi: Tee muuttoilmoitus\n", "fi: Tee muuttoilmoitus ajoissa\n", 1)
    moving.write_text(text, encoding="utf-8")
    engine = make_engine(database_url)
    assert import_directory(make_sessions(engine), changed).published == [("moving", 2)]
    client.app.state.catalogue.load()  # type: ignore[attr-defined]
    assert _stale(_worklist(client, editor_tokens.editor)) == {
        ("moving", TITLE, "sv"),
        ("moving", TITLE, "en"),
    }
    # The file's Swedish is then rewritten: only the English stays stale.
    text = text.replace("sv: Gör en flyttanmälan\n", "sv: Gör en flyttanmälan i tid\n", 1)
    moving.write_text(text, encoding="utf-8")
    assert import_directory(make_sessions(engine), changed).published == [("moving", 3)]
    engine.dispose()
    client.app.state.catalogue.load()  # type: ignore[attr-defined]
    assert _stale(_worklist(client, editor_tokens.editor)) == {("moving", TITLE, "en")}


def test_a_finnish_edit_in_a_draft_flags_until_saved_or_confirmed(
    client: TestClient, editor_tokens: Tokens
) -> None:
    token = editor_tokens.editor
    started = client.post("/v1/editor/drafts", json={"slug": "moving"}, headers=bearer(token))
    assert started.status_code == 201
    _edit(client, token, "fi", {"/steps/0/title": "Tee muuttoilmoitus viikon sisällä"})
    body = _worklist(client, token, journey="moving")
    assert _stale(body) == {("moving", TITLE, "sv"), ("moving", TITLE, "en")}
    assert body["journeys"][0]["in_draft"] is True
    item = body["journeys"][0]["items"][0]
    assert item["finnish"] == "Tee muuttoilmoitus viikon sisällä"
    assert item["translation"] == "Gör en flyttanmälan"
    assert item["field"] == "/editor/journeys/moving/draft/steps/notify-dvv#title-sv"
    # Saving the Swedish clears it; the English stays.
    _edit(client, token, "sv", {"/steps/0/title": "Gör en flyttanmälan inom en vecka"})
    assert _stale(_worklist(client, token)) == {("moving", TITLE, "en")}
    # Filters.
    assert _stale(_worklist(client, token, lang="sv")) == set()
    assert _worklist(client, token, state="missing")["stale"] == 0
    # "Still correct" with the Finnish seen; refused with another Finnish, or no such text.
    source = _worklist(client, token)["journeys"][0]["items"][0]["source"]
    confirm = {"journey": "moving", "place": TITLE, "lang": "en"}
    refused = client.post(
        "/v1/editor/translations/confirmations",
        json=confirm | {"source": "0" * 64},
        headers=bearer(token),
    )
    assert refused.status_code == 409
    assert refused.json()["type"].endswith("/problems/finnish-changed")
    unknown = client.post(
        "/v1/editor/translations/confirmations",
        json=confirm | {"place": "steps/no-such-step/title", "source": source},
        headers=bearer(token),
    )
    assert unknown.status_code == 404
    assert _stale(_worklist(client, token)) == {("moving", TITLE, "en")}
    done = client.post(
        "/v1/editor/translations/confirmations",
        json=confirm | {"source": source},
        headers=bearer(token),
    )
    assert done.status_code == 204, done.text
    assert _stale(_worklist(client, token)) == set()
    # A Finnish change and its translation saved together: nothing stale.
    _edit(client, token, "fi", {"/title": "Muutto uuteen kotiin"})
    _edit(client, token, "sv", {"/title": "Flytt till ett nytt hem"})
    assert _stale(_worklist(client, token)) == {("moving", "title", "en")}


def test_without_a_fingerprint_the_finnish_beside_it_before_the_edit_counts(
    client: TestClient, editor_tokens: Tokens, database_url: str
) -> None:
    """Content from before fingerprints: the first Finnish change still flags it."""
    engine = make_engine(database_url)
    with transaction(make_sessions(engine)) as session:
        session.execute(delete(TranslationFingerprint))
    engine.dispose()
    token = editor_tokens.editor
    client.post("/v1/editor/drafts", json={"slug": "moving"}, headers=bearer(token))
    assert _stale(_worklist(client, token)) == set()
    _edit(client, token, "fi", {"/steps/0/title": "Tee muuttoilmoitus heti"})
    assert _stale(_worklist(client, token)) == {("moving", TITLE, "sv"), ("moving", TITLE, "en")}


def test_missing_translations_are_listed_with_their_field(
    client: TestClient, editor_tokens: Tokens
) -> None:
    token = editor_tokens.editor
    client.post("/v1/editor/drafts", json={"slug": "moving"}, headers=bearer(token))
    _edit(client, token, "en", {"/steps/0/body": None, "/event_date/label": None})
    body = _worklist(client, token, state="missing")
    assert body["missing"] == 2
    fields = {item["field"] for item in body["journeys"][0]["items"]}
    assert fields == {
        "/editor/journeys/moving/draft/steps/notify-dvv#body-en",
        "/editor/journeys/moving/draft#event_date-label-en",
    }


def test_the_command_lists_stale_translations(
    client: TestClient, editor_tokens: Tokens, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("POLKU_DATABASE_URL", database_url)
    get_settings.cache_clear()
    try:
        clean = CliRunner().invoke(main, ["journeys", "translations", "--stale"])
        assert clean.exit_code == 0, clean.output
        assert "no translation is older than its Finnish text" in clean.output
        token = editor_tokens.editor
        client.post("/v1/editor/drafts", json={"slug": "moving"}, headers=bearer(token))
        _edit(client, token, "fi", {"/steps/0/title": "Tee muuttoilmoitus nyt"})
        stale = CliRunner().invoke(main, ["journeys", "translations", "--stale"])
        assert stale.exit_code == 1
        assert (
            "moving (draft): steps/notify-dvv/title: sv: "
            "/editor/journeys/moving/draft/steps/notify-dvv#title-sv"
        ) in stale.output
        assert "2 translation(s) whose Finnish changed since translated" in stale.output
    finally:
        get_settings.cache_clear()
