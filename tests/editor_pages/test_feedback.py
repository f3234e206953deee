"""Feedback on the editors' pages: the counts per journey and version and the comments, newest
first, a page at a time, one journey's or all; escaped, and only for the signed in."""

from __future__ import annotations

import re
from html import unescape

import pytest
from fastapi.testclient import TestClient

from api.editor_pages import feedback as feedback_page
from tests.editor.test_feedback import DEATH, answers  # noqa: F401  (the fixture)
from tests.editor_pages.conftest import Tokens, sign_in


@pytest.mark.usefixtures("answers")
def test_feedback_shows_counts_and_comments_page_by_page(
    client: TestClient, editor_tokens: Tokens, monkeypatch: pytest.MonkeyPatch
) -> None:
    sign_in(client, editor_tokens.editor, lang="en")
    everything = client.get("/editor/feedback")
    assert everything.status_code == 200
    assert "<h1>Feedback</h1>" in everything.text
    row = r"<tr><td>([^<]+)</td><td>(\d+)</td><td>(\d+)</td><td>(\d+)</td></tr>"
    rows = re.findall(row, everything.text)
    assert set(rows) == {("moving", "1", "3", "1"), (DEATH, "1", "0", "1")}
    assert "death comment" in everything.text
    assert 'aria-current="page">Feedback' in everything.text

    monkeypatch.setattr(feedback_page, "FEEDBACK_PAGE", 2)
    first = client.get("/editor/feedback?journey=moving").text
    assert re.findall(r'<p class="feedback-comment">([^<]+)</p>', first) == [
        "moving comment 4",
        "moving comment 3",
    ]
    assert "death comment" not in first
    older = re.search(r'href="([^"]+)">Older comments', first)
    assert older is not None
    second = client.get(unescape(older.group(1))).text
    assert re.findall(r'<p class="feedback-comment">([^<]+)</p>', second) == [
        "moving comment 2",
        "moving comment 1",
    ]
    assert 'href="/editor/feedback?journey=moving">Newest comments' in second


def test_feedback_is_escaped_and_unknown_filters_are_no_filter(
    client: TestClient, editor_tokens: Tokens
) -> None:
    sign_in(client, editor_tokens.editor, lang="fi")
    page = client.get("/editor/feedback?journey=<script>&before=x")
    assert page.status_code == 200
    assert "<script>" not in page.text.split("<main", 1)[1]
    assert "<h1>Palaute</h1>" in page.text


def test_feedback_needs_signing_in(client: TestClient) -> None:
    response = client.get("/editor/feedback", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/editor/sign-in")
