from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api import migrations
from api.catalogue.service import import_directory
from api.config import Settings
from api.db import make_engine, make_sessions
from api.main import create_app
from tests.api.conftest import client, database_url, settings  # noqa: F401  (same app fixtures)
from tests.conftest import JOURNEYS, PostgresDatabases, _postgres_available


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def shared_database_url(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    postgres: PostgresDatabases | None,
) -> str:
    """A migrated database with the bundled journeys, made once per module and database kind:
    for tests that publish nothing (saved checklists they make are their own)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('shared') / 'polku.sqlite3'}"
    elif postgres is None:
        pytest.skip(_postgres_available() or "PostgreSQL is not available")
    else:
        url = postgres.new()
    migrations.upgrade(url)
    engine = make_engine(url)
    import_directory(make_sessions(engine), JOURNEYS, author="tests")
    engine.dispose()
    return url


@contextmanager
def app_client(url: str, **overrides: Any) -> Iterator[TestClient]:
    """A started app on the database at `url`, with these settings."""
    with TestClient(create_app(Settings(database_url=url, **overrides))) as test_client:
        yield test_client
