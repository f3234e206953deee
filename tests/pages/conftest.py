from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fastapi.testclient import TestClient

from api.config import Settings
from api.main import create_app
from tests.api.conftest import client, settings  # noqa: F401  (same app fixtures)
from tests.conftest import GENEROUS_LIMITS


@contextmanager
def app_client(url: str, **overrides: Any) -> Iterator[TestClient]:
    """A started app on the database at `url`, with these settings."""
    chosen = Settings(database_url=url, **(GENEROUS_LIMITS | overrides))
    with TestClient(create_app(chosen)) as test_client:
        yield test_client
