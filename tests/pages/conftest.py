from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.config import Settings
from api.main import create_app
from tests.api.conftest import client, settings  # noqa: F401  (same app fixtures)
from tests.conftest import (
    GENEROUS_LIMITS,
    PostgresDatabases,
    PublishedTemplates,
    _postgres_available,
)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def shared_database_url(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    postgres: PostgresDatabases | None,
    published_templates: PublishedTemplates,
) -> str:
    """A migrated database with the bundled journeys, one per module and database kind: for
    tests that publish nothing (saved checklists they make are their own)."""
    if request.param == "sqlite":
        target = tmp_path_factory.mktemp("shared") / "polku.sqlite3"
        return published_templates.sqlite_copy(target)
    if postgres is None:
        pytest.skip(_postgres_available() or "PostgreSQL is not available")
    return published_templates.postgres_copy()


@contextmanager
def app_client(url: str, **overrides: Any) -> Iterator[TestClient]:
    """A started app on the database at `url`, with these settings."""
    chosen = Settings(database_url=url, **(GENEROUS_LIMITS | overrides))
    with TestClient(create_app(chosen)) as test_client:
        yield test_client
