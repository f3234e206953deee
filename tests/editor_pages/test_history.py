"""A journey's history (versions with author and note) and the audit log, page by page."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from api.editor_pages import routes
from tests.editor.conftest import bearer
from tests.editor_pages.conftest import Tokens, sign_in


def test_the_history_lists_versions_with_author_and_note(
    client: TestClient, editor_tokens: Tokens
) -> None:
    sign_in(client, editor_tokens.editor, lang="en")
    page = client.get("/editor/journeys/moving/history")
    assert page.status_code == 200
    assert "<h1>History</h1>" in page.text
    assert "Version 1" in page.text
    assert "Published now" in page.text
    assert "Published by tests," in page.text
    assert "imported from" in page.text  # the import's change note


def test_the_audit_log_goes_page_by_page(
    client: TestClient, editor_tokens: Tokens, monkeypatch: pytest.MonkeyPatch
) -> None:
    for slug in ("moving", "having-a-child"):
        started = client.post(
            "/v1/editor/drafts", json={"slug": slug}, headers=bearer(editor_tokens.editor)
        )
        assert started.status_code == 201, started.text
    monkeypatch.setattr(routes, "AUDIT_PAGE", 1)
    sign_in(client, editor_tokens.editor, lang="en")
    first = client.get("/editor/audit").text
    assert "draft.start" in first
    assert "having-a-child" in first
    assert "· moving" not in first
    older = re.search(r'href="(/editor/audit\?before=\d+)">Older entries', first)
    assert older is not None
    second = client.get(older.group(1)).text
    assert "draft.start" in second
    assert "· moving" in second
    assert 'href="/editor/audit">Newest entries' in second
