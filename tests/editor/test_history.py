"""History: each journey's versions read (JSON or YAML) and compared; the audit log page by
page, newest first."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from api.engine.yamlfile import load_yaml
from tests.editor.conftest import Tokens, bearer
from tests.editor.test_publishing import DRAFT, publish, start_with_title


def test_history_reads_and_diffs_versions(client: TestClient, editor_tokens: Tokens) -> None:
    publish(
        client, editor_tokens.publisher, start_with_title(client, editor_tokens, "Moving house")
    )
    headers = bearer(editor_tokens.editor)
    one = client.get("/v1/editor/journeys/moving/versions/1", headers=headers).json()
    assert one["content"]["title"]["en"] == "Moving home"
    assert not one["published"]
    as_yaml = client.get(
        "/v1/editor/journeys/moving/versions/2", headers=headers | {"Accept": "application/yaml"}
    )
    data, _ = load_yaml(as_yaml.text)
    assert data["title"]["en"] == "Moving house"
    diff = client.get(
        "/v1/editor/journeys/moving/diff", params={"from": 1, "to": 2}, headers=headers
    ).json()
    assert diff["texts"]["en"]["changed"] == ["title"]
    assert diff["steps"] == {"added": [], "removed": [], "changed": [], "reordered": False}
    assert client.get("/v1/editor/journeys/moving/versions/7", headers=headers).status_code == 404
    assert (
        client.get("/v1/editor/journeys/nothing-here/versions", headers=headers).status_code == 404
    )


def test_the_audit_log_reads_page_by_page_newest_first(
    client: TestClient, editor_tokens: Tokens
) -> None:
    etag = start_with_title(client, editor_tokens, "Moving 1")
    for n in range(2, 8):
        etag = client.put(
            f"{DRAFT}/texts/en",
            json={"texts": {"/title": f"Moving {n}"}},
            headers=bearer(editor_tokens.editor) | {"If-Match": etag},
        ).headers["etag"]
    seen: list[dict[str, Any]] = []
    cursor = None
    while True:
        params = {"limit": 3} | ({"cursor": cursor} if cursor else {})
        page = client.get(
            "/v1/editor/audit", params=params, headers=bearer(editor_tokens.editor)
        ).json()
        assert len(page["entries"]) <= 3
        seen += page["entries"]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    ids = [e["id"] for e in seen]
    assert ids == sorted(ids, reverse=True)
    assert len(set(ids)) == len(ids)
    actions = [e["action"] for e in seen]
    # Three tokens made and one revoked by the fixture, a draft started and edited seven times.
    assert actions.count("draft.texts_en") == 7
    assert actions.count("draft.start") == 1
    assert actions.count("token.create") == 3
    assert actions[0] == "draft.texts_en"
    assert {e["actor"] for e in seen if e["action"].startswith("draft.")} == {"Eeva Editor"}
