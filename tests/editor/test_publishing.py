"""Publishing: only a valid draft whose scenarios all pass, all or nothing (even when the
database fails half way), served at once; rollback; a draft never silently undoes a newer
version."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event, func, select

from api.catalogue import repository as catalogue_repository
from api.catalogue.models import JourneyVersion
from api.config import Settings
from api.db import make_engine, make_sessions
from api.editor.models import AuditEntry, Draft
from api.main import create_app
from tests.conftest import changed_journeys, problem
from tests.editor.conftest import Tokens, bearer
from tests.server import publish as publish_files

DRAFT = "/v1/editor/drafts/moving"
AINO = "Aino moves to a new rented flat in the same municipality"


def start_with_title(client: TestClient, tokens: Tokens, title: str) -> str:
    started = client.post(
        "/v1/editor/drafts", json={"slug": "moving"}, headers=bearer(tokens.editor)
    )
    assert started.status_code == 201, started.text
    changed = client.put(
        f"{DRAFT}/texts/en",
        json={"texts": {"/title": title}},
        headers=bearer(tokens.editor) | {"If-Match": started.headers["etag"]},
    )
    assert changed.status_code == 200, changed.text
    etag: str = changed.headers["etag"]
    return etag


def publish(client: TestClient, token: str, etag: str, note: str = "New title") -> Any:
    return client.post(
        f"{DRAFT}/publish",
        json={"change_note": note},
        headers=bearer(token) | {"If-Match": etag},
    )


def public_title(client: TestClient) -> str:
    title: str = client.get("/v1/journeys/moving", params={"lang": "en"}).json()["title"]
    return title


def counts(database_url: str) -> tuple[int, int, int, int]:
    """Versions, the generation, audit entries and drafts, straight from the database."""
    engine = make_engine(database_url)
    with make_sessions(engine)() as session:
        out = (
            int(session.scalar(select(func.count()).select_from(JourneyVersion)) or 0),
            catalogue_repository.generation(session),
            int(session.scalar(select(func.count()).select_from(AuditEntry)) or 0),
            int(session.scalar(select(func.count()).select_from(Draft)) or 0),
        )
    engine.dispose()
    return out


def test_publishing_makes_a_new_version_served_at_once(
    client: TestClient, editor_tokens: Tokens, database_url: str
) -> None:
    etag = start_with_title(client, editor_tokens, "Moving house")
    assert public_title(client) == "Moving home"
    published = publish(client, editor_tokens.publisher, etag, "Plainer title")
    assert published.status_code == 200, published.text
    assert published.json()["version"] == 2
    assert public_title(client) == "Moving house"  # this worker reloaded before answering
    assert client.get(DRAFT, headers=bearer(editor_tokens.editor)).status_code == 404

    versions = client.get(
        "/v1/editor/journeys/moving/versions", headers=bearer(editor_tokens.editor)
    ).json()
    latest = versions["versions"][0]
    assert latest["number"] == 2
    assert latest["published"]
    assert latest["created_by"] == "Paavo Publisher"
    assert latest["change_note"] == "Plainer title"
    audit = client.get(
        "/v1/editor/audit", params={"limit": 1}, headers=bearer(editor_tokens.editor)
    ).json()
    (entry,) = audit["entries"]
    assert (
        entry["actor"],
        entry["action"],
        entry["slug"],
        entry["version"],
        entry["change_note"],
    ) == (
        "Paavo Publisher",
        "publish",
        "moving",
        2,
        "Plainer title",
    )


def test_a_publish_is_blocked_by_a_failing_scenario_naming_it(
    client: TestClient, editor_tokens: Tokens, database_url: str
) -> None:
    started = client.post(
        "/v1/editor/drafts", json={"slug": "moving"}, headers=bearer(editor_tokens.editor)
    )
    content = started.json()["content"]
    (step,) = [s for s in content["steps"] if s["id"] == "review-housing-allowance"]
    step["when"] = {"question": "moving_to", "equals": "abroad"}
    changed = client.put(
        DRAFT,
        json=content,
        headers=bearer(editor_tokens.editor) | {"If-Match": started.headers["etag"]},
    )
    assert changed.status_code == 200, changed.text
    assert not changed.json()["ready_to_publish"]
    before = counts(database_url)

    refused = publish(client, editor_tokens.publisher, changed.headers["etag"])
    assert refused.status_code == 409
    body = refused.json()
    assert body["type"] == problem("not-ready-to-publish")
    assert f"'{AINO}" in body["detail"]
    assert (
        "expected the step 'review-housing-allowance', but the plan does not have it"
        in body["detail"]
    )
    assert any(p["pointer"].startswith("/scenarios/0/expect") for p in body["problems"])
    assert counts(database_url) == before
    assert public_title(client) == "Moving home"


@pytest.mark.parametrize("table", [JourneyVersion, AuditEntry], ids=["version", "audit"])
def test_a_database_failure_half_way_publishes_nothing(
    settings: Settings, editor_tokens: Tokens, database_url: str, table: type
) -> None:
    def fail(*_: Any) -> None:
        raise RuntimeError("the database went away")

    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        etag = start_with_title(client, editor_tokens, "Moving house")
        before = counts(database_url)
        event.listen(table, "before_insert", fail)
        try:
            failed = publish(client, editor_tokens.publisher, etag)
        finally:
            event.remove(table, "before_insert", fail)
        assert failed.status_code == 500
        assert counts(database_url) == before  # no version, no generation bump, no audit entry
        assert public_title(client) == "Moving home"
        assert client.get("/readyz").json()["generation"] == before[1]
        # The draft is still there, unchanged: publishing it again works.
        assert publish(client, editor_tokens.publisher, etag).status_code == 200
        assert public_title(client) == "Moving house"


def test_rollback_publishes_an_earlier_version_again(
    client: TestClient, editor_tokens: Tokens
) -> None:
    publish(
        client, editor_tokens.publisher, start_with_title(client, editor_tokens, "Moving house")
    )
    headers = bearer(editor_tokens.publisher)
    rolled = client.post(
        "/v1/editor/journeys/moving/rollback",
        json={"version": 1, "change_note": "Back"},
        headers=headers,
    )
    assert rolled.status_code == 200, rolled.text
    assert rolled.json()["version"] == 3
    assert public_title(client) == "Moving home"
    versions = client.get("/v1/editor/journeys/moving/versions", headers=headers).json()["versions"]
    assert [v["number"] for v in versions] == [3, 2, 1]
    assert versions[0]["content_hash"] == versions[2]["content_hash"]
    again = client.post(
        "/v1/editor/journeys/moving/rollback",
        json={"version": 3, "change_note": "x"},
        headers=headers,
    )
    assert again.status_code == 409
    assert (
        client.post(
            "/v1/editor/journeys/moving/rollback",
            json={"version": 9, "change_note": "x"},
            headers=headers,
        ).status_code
        == 404
    )
    as_editor = client.post(
        "/v1/editor/journeys/moving/rollback",
        json={"version": 2, "change_note": "x"},
        headers=bearer(editor_tokens.editor),
    )
    assert as_editor.status_code == 403


def test_a_draft_does_not_silently_undo_a_version_published_after_it_started(
    client: TestClient, editor_tokens: Tokens, database_url: str, tmp_path: Path
) -> None:
    etag = start_with_title(client, editor_tokens, "Moving house")
    changed = changed_journeys(tmp_path, "moving", "sv: Flytt\n", "sv: Flyttning\n")
    assert publish_files(database_url, changed).published == [("moving", 2)]

    refused = publish(client, editor_tokens.publisher, etag)
    assert refused.status_code == 409
    assert refused.json()["type"] == problem("published-meanwhile")
    assert "replaces_version: 2" in refused.json()["detail"]
    meant = client.post(
        f"{DRAFT}/publish",
        json={"change_note": "Replaces the import", "replaces_version": 2},
        headers=bearer(editor_tokens.publisher) | {"If-Match": etag},
    )
    assert meant.status_code == 200, meant.text
    assert meant.json()["version"] == 3


def test_publish_and_rollback_each_leave_one_audit_entry_with_the_new_content_hash(
    client: TestClient, editor_tokens: Tokens
) -> None:
    """Both go through one path: the same entry, differing only in what was published."""
    etag = start_with_title(client, editor_tokens, "Moving house")
    published = publish(client, editor_tokens.publisher, etag).json()
    rolled = client.post(
        "/v1/editor/journeys/moving/rollback",
        json={"version": 1, "change_note": "Back"},
        headers=bearer(editor_tokens.publisher),
    ).json()
    audit = client.get(
        "/v1/editor/audit", params={"limit": 2}, headers=bearer(editor_tokens.editor)
    ).json()
    rollback_entry, publish_entry = audit["entries"]
    assert (publish_entry["action"], publish_entry["version"]) == ("publish", 2)
    assert publish_entry["detail"] == {
        "content_hash": published["content_hash"],
        "draft_revision": 2,
    }
    assert (rollback_entry["action"], rollback_entry["version"]) == ("rollback", 3)
    assert rollback_entry["change_note"] == "Back"
    assert rollback_entry["detail"] == {
        "content_hash": rolled["content_hash"],
        "content_of_version": 1,
    }
