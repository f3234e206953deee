"""The app on a migrated database of each kind with the bundled journeys published, and an
editor's and a publisher's token."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient

from api.config import Settings
from api.db import make_engine, make_sessions, transaction
from api.editor import tokens
from api.main import create_app
from tests.conftest import GENEROUS_LIMITS


@dataclass(frozen=True)
class Tokens:
    editor: str
    publisher: str
    revoked: str


@pytest.fixture
def editor_tokens(database_url: str) -> Tokens:
    return make_tokens(database_url)


def make_tokens(database_url: str) -> Tokens:
    """An editor's, a publisher's and a revoked publisher's token on the database."""
    engine = make_engine(database_url)
    with transaction(make_sessions(engine)) as session:
        made = Tokens(
            editor=tokens.create(session, name="Eeva Editor", role="editor", days=30),
            publisher=tokens.create(session, name="Paavo Publisher", role="publisher", days=30),
            revoked=tokens.create(session, name="Former Editor", role="publisher", days=30),
        )
        tokens.revoke(session, "Former Editor")
    engine.dispose()
    return made


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url, **GENEROUS_LIMITS)


@pytest.fixture
def client(settings: Settings, editor_tokens: Tokens) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
