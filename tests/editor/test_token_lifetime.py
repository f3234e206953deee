"""Editor tokens expire, record when they were last used (at most once a minute), and a token
revoked or expired while its publish or rollback is under way stops it: nothing is written."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from api.db import make_engine, make_sessions, transaction, utcnow
from api.editor import tokens
from api.editor.models import AuditEntry, EditorToken
from api.editor.publishing import service as publishing_service
from tests.editor.conftest import Tokens, bearer
from tests.editor.test_publishing import counts, public_title, publish, start_with_title

PUBLISHER = "Paavo Publisher"


@contextmanager
def database(url: str) -> Iterator[Session]:
    engine = make_engine(url)
    try:
        with transaction(make_sessions(engine)) as session:
            yield session
    finally:
        engine.dispose()


def token_row(url: str, name: str) -> EditorToken:
    with database(url) as session:
        row = session.scalars(select(EditorToken).where(EditorToken.name == name)).one()
        session.expunge(row)
        return row


def set_token(url: str, name: str, **values: Any) -> None:
    with database(url) as session:
        session.execute(update(EditorToken).where(EditorToken.name == name).values(**values))


def test_an_expired_token_is_refused_saying_it_expired(
    client: TestClient, editor_tokens: Tokens, database_url: str
) -> None:
    made = token_row(database_url, PUBLISHER)
    assert made.expires_at - made.created_at == dt.timedelta(days=30)
    assert client.get("/v1/editor/drafts", headers=bearer(editor_tokens.publisher)).is_success

    set_token(database_url, PUBLISHER, expires_at=utcnow() - dt.timedelta(seconds=1))
    refused = client.get("/v1/editor/drafts", headers=bearer(editor_tokens.publisher))
    assert refused.status_code == 401
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.headers["www-authenticate"].startswith("Bearer")
    assert "expired" in refused.json()["detail"]


def test_the_last_use_is_recorded_at_most_once_a_minute(
    client: TestClient, editor_tokens: Tokens, database_url: str
) -> None:
    assert token_row(database_url, PUBLISHER).last_used_at is None
    writes: list[str] = []

    def count(_: Any, __: Any, statement: str, *args: Any) -> None:
        if statement.lstrip().upper().startswith("UPDATE EDITOR_TOKENS"):
            writes.append(statement)

    event.listen(Engine, "before_cursor_execute", count)
    try:
        started = utcnow()
        for _ in range(5):
            client.get("/v1/editor/drafts", headers=bearer(editor_tokens.publisher))
        first = token_row(database_url, PUBLISHER).last_used_at
        assert first is not None
        assert first >= started - dt.timedelta(seconds=1)
        assert len(writes) == 1  # five requests within a minute: one write

        set_token(database_url, PUBLISHER, last_used_at=first - dt.timedelta(minutes=2))
        client.get("/v1/editor/drafts", headers=bearer(editor_tokens.publisher))
    finally:
        event.remove(Engine, "before_cursor_execute", count)
    assert token_row(database_url, PUBLISHER).last_used_at >= first  # type: ignore[operator]
    assert len(writes) == 3  # the test's own update and the request's


def published(url: str) -> tuple[int, int, int, list[str]]:
    """Versions, the generation, drafts, and every audit action but the token's own."""
    versions, generation, _, drafts = counts(url)
    with database(url) as session:
        actions = session.scalars(
            select(AuditEntry.action).where(AuditEntry.action.not_like("token.%"))
        ).all()
    return versions, generation, drafts, list(actions)


def revoke(url: str) -> None:
    with database(url) as session:
        assert tokens.revoke(session, PUBLISHER)


def expire(url: str) -> None:
    set_token(url, PUBLISHER, expires_at=utcnow() - dt.timedelta(seconds=1))


@pytest.fixture
def meanwhile(monkeypatch: pytest.MonkeyPatch) -> Callable[[Callable[[], None]], None]:
    """Run `change` after the request was let in, as the publish or rollback starts: what a
    `polku token revoke` from another terminal does at that moment."""

    def install(change: Callable[[], None]) -> None:
        original = publishing_service._lock_and_refresh

        def late(*args: Any) -> Any:
            change()
            return original(*args)

        monkeypatch.setattr(publishing_service, "_lock_and_refresh", late)

    return install


@pytest.mark.parametrize("change", [revoke, expire], ids=["revoked", "expired"])
def test_a_token_revoked_or_expired_during_a_publish_publishes_nothing(
    client: TestClient,
    editor_tokens: Tokens,
    database_url: str,
    meanwhile: Callable[[Callable[[], None]], None],
    change: Callable[[str], None],
) -> None:
    etag = start_with_title(client, editor_tokens, "Moving house")
    meanwhile(lambda: change(database_url))
    before = published(database_url)
    refused = publish(client, editor_tokens.publisher, etag)
    assert refused.status_code == 401, refused.text
    assert "nothing was published" in refused.json()["detail"]
    assert published(database_url) == before  # no version, generation or entry; the draft stays
    assert public_title(client) == "Moving home"


def test_a_token_revoked_during_a_rollback_rolls_nothing_back(
    client: TestClient,
    editor_tokens: Tokens,
    database_url: str,
    meanwhile: Callable[[Callable[[], None]], None],
) -> None:
    etag = start_with_title(client, editor_tokens, "Moving house")
    assert publish(client, editor_tokens.publisher, etag).status_code == 200
    meanwhile(lambda: revoke(database_url))
    before = published(database_url)
    refused = client.post(
        "/v1/editor/journeys/moving/rollback",
        json={"version": 1, "change_note": "Back"},
        headers=bearer(editor_tokens.publisher),
    )
    assert refused.status_code == 401, refused.text
    assert published(database_url) == before
    assert public_title(client) == "Moving house"
