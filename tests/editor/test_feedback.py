"""Feedback for editors: GET /v1/editor/feedback, the counts per journey and version and the
comments a page at a time, newest first; any editor may read, nobody else."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.db import make_engine, make_sessions, transaction
from api.feedback import service as feedback_service
from tests.conftest import problem
from tests.editor.conftest import Tokens, bearer

FEEDBACK = "/v1/editor/feedback"
DEATH = "death-of-a-loved-one"


@pytest.fixture
def answers(database_url: str) -> None:
    """moving 1: three yes, one no, five comments; death 1: one no with a comment."""
    engine = make_engine(database_url)
    try:
        with transaction(make_sessions(engine)) as session:
            for n, useful in enumerate([True, True, True, False]):
                feedback_service.record(
                    session=session,
                    slug="moving",
                    version=1,
                    useful=useful,
                    comment="" if n == 3 else f"moving comment {n}",
                    day=dt.date(2026, 12, 1 + n),
                )
            for n in range(3, 5):  # comments without a count of their own: a second send
                feedback_service.repository.add_comment(
                    session,
                    slug="moving",
                    version=1,
                    useful=False,
                    comment=f"moving comment {n}",
                    day=dt.date(2026, 12, 4),
                )
            feedback_service.record(
                session=session,
                slug=DEATH,
                version=1,
                useful=False,
                comment="death comment",
                day=dt.date(2026, 12, 2),
            )
    finally:
        engine.dispose()


def read(client: TestClient, token: str, **params: Any) -> Any:
    response = client.get(FEEDBACK, params=params, headers=bearer(token))
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    return response.json()


@pytest.mark.usefixtures("answers")
def test_counts_per_journey_and_version_and_comments_newest_first(
    client: TestClient, editor_tokens: Tokens
) -> None:
    everything = read(client, editor_tokens.editor)
    assert {
        (c["journey"], c["version"], c["useful"], c["not_useful"]) for c in everything["counts"]
    } == {
        ("moving", 1, 3, 1),
        (DEATH, 1, 0, 1),
    }
    assert [c["comment"] for c in everything["comments"]] == [
        "death comment",
        "moving comment 4",
        "moving comment 3",
        "moving comment 2",
        "moving comment 1",
        "moving comment 0",
    ]
    first = everything["comments"][-1]
    assert first == {
        "id": first["id"],
        "journey": "moving",
        "version": 1,
        "useful": True,
        "comment": "moving comment 0",
        "day": "2026-12-01",
    }
    assert everything["next_cursor"] is None

    moving = read(client, editor_tokens.publisher, journey="moving", version=1)
    assert [c["journey"] for c in moving["counts"]] == ["moving"]
    assert {c["journey"] for c in moving["comments"]} == {"moving"}
    # A version number alone is that version of every journey; none has a second one yet.
    first_versions = read(client, editor_tokens.editor, version=1)
    assert {c["journey"] for c in first_versions["counts"]} == {"moving", DEATH}
    assert read(client, editor_tokens.editor, version=2)["counts"] == []


@pytest.mark.usefixtures("answers")
def test_comments_read_page_by_page(client: TestClient, editor_tokens: Tokens) -> None:
    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        params: dict[str, Any] = {"journey": "moving", "limit": 2}
        page = read(
            client, editor_tokens.editor, **params, **({"cursor": cursor} if cursor else {})
        )
        pages += 1
        assert len(page["comments"]) <= 2
        assert page["counts"] == [{"journey": "moving", "version": 1, "useful": 3, "not_useful": 1}]
        seen += [c["comment"] for c in page["comments"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert pages == 3
    assert seen == [f"moving comment {n}" for n in (4, 3, 2, 1, 0)]


def test_without_feedback_the_lists_are_empty(client: TestClient, editor_tokens: Tokens) -> None:
    assert read(client, editor_tokens.editor, journey="moving") == {
        "counts": [],
        "comments": [],
        "next_cursor": None,
    }


@pytest.mark.parametrize(
    ("params", "status", "kind"),
    [
        ({"journey": "no-such-journey"}, 404, "unknown-journey"),
        ({"journey": "moving", "version": 7}, 404, "unknown-version"),
        ({"journey": "Not A Slug"}, 422, "invalid-request"),
        ({"limit": 0}, 422, "invalid-request"),
        ({"journey": "moving", "versio": 1}, 422, "invalid-request"),
    ],
)
def test_a_wrong_question_gets_a_problem_that_says_what(
    client: TestClient, editor_tokens: Tokens, params: dict[str, Any], status: int, kind: str
) -> None:
    response = client.get(FEEDBACK, params=params, headers=bearer(editor_tokens.editor))
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"] == problem(kind)


def test_only_editors_read_feedback(client: TestClient, editor_tokens: Tokens) -> None:
    assert client.get(FEEDBACK).status_code == 401
    assert client.get(FEEDBACK, headers=bearer(editor_tokens.revoked)).status_code == 401
    assert client.get(FEEDBACK, headers=bearer("not-a-token")).status_code == 401
    assert client.get(FEEDBACK, headers=bearer(editor_tokens.editor)).status_code == 200


def test_the_version_filter_says_which_versions_exist(
    client: TestClient, editor_tokens: Tokens
) -> None:
    response = client.get(
        FEEDBACK, params={"journey": "moving", "version": 7}, headers=bearer(editor_tokens.editor)
    )
    assert "'moving' has no version 7" in response.json()["detail"]
