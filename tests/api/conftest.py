"""An app per database kind, migrated and loaded with the real bundled journeys."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api import migrations
from api.catalogue.service import import_directory
from api.config import Settings
from api.db import make_engine, make_sessions
from api.main import create_app
from tests.conftest import GENEROUS_LIMITS, JOURNEYS


@pytest.fixture
def database_url(empty_database_url: str) -> str:
    """A migrated database with the bundled journeys published."""
    migrations.upgrade(empty_database_url)
    engine = make_engine(empty_database_url)
    import_directory(make_sessions(engine), JOURNEYS, author="tests")
    engine.dispose()
    return empty_database_url


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(
        database_url=database_url, cors_origins=["https://portal.example"], **GENEROUS_LIMITS
    )


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as test_client:
        yield test_client
