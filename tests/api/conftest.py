"""An app per database kind, migrated and loaded with the real bundled journeys."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.config import Settings
from api.main import create_app
from tests.conftest import GENEROUS_LIMITS


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(
        database_url=database_url, cors_origins=["https://portal.example"], **GENEROUS_LIMITS
    )


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as test_client:
        yield test_client
