"""Databases for tests: every test that touches the database runs on SQLite and on PostgreSQL.

PostgreSQL comes from POLKU_TEST_POSTGRES_URL (an admin URL; default: the local server, user
postgres). Each test session gets a fresh database there, dropped at the end. Without a server
the PostgreSQL half is skipped, unless POLKU_REQUIRE_POSTGRES=1 (set by .ci/run), which turns
the skip into a failure.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[1]
JOURNEYS = ROOT / "journeys"
# Every journey Polku ships: a file that stops parsing or goes missing fails tests/content.
BUNDLED = tuple(sorted(p.stem for p in JOURNEYS.glob("*.yaml")))
ADMIN_URL = os.environ.get(
    "POLKU_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
REQUIRE_POSTGRES = os.environ.get("POLKU_REQUIRE_POSTGRES") == "1"
# Tests not about rate limits send far more from their one address ("testclient") than a person
# would: they run with limits no test reaches (tests/api/test_limits.py sets small ones).
GENEROUS_LIMITS: dict[str, Any] = {
    f"limit_{name}": "100000/minute"
    for name in ("checklist_create", "checklist_write", "feedback", "failed_sign_in")
}


def _postgres_available() -> str | None:
    """Why PostgreSQL cannot be used, or None when it can."""
    try:
        engine = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        engine.dispose()
    except Exception as exc:
        return (
            f"PostgreSQL at {make_url(ADMIN_URL).render_as_string(hide_password=True)} "
            f"is not reachable ({type(exc).__name__})"
        )
    return None


class PostgresDatabases:
    """Creates throwaway databases on the PostgreSQL server and drops them at the end."""

    def __init__(self) -> None:
        self.created: list[str] = []
        self.admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")

    def new(self) -> str:
        name = f"polku_test_{os.getpid()}_{secrets.token_hex(4)}"
        with self.admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        self.created.append(name)
        return make_url(ADMIN_URL).set(database=name).render_as_string(hide_password=False)

    def drop_all(self) -> None:
        with self.admin.connect() as connection:
            for name in self.created:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self.admin.dispose()


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresDatabases | None]:
    reason = _postgres_available()
    if reason is not None:
        if REQUIRE_POSTGRES:
            pytest.fail(f"POLKU_REQUIRE_POSTGRES=1 but {reason}")
        yield None
        return
    databases = PostgresDatabases()
    yield databases
    databases.drop_all()


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database_url(
    request: pytest.FixtureRequest, tmp_path: Path, postgres: PostgresDatabases | None
) -> str:
    """The URL of a new, empty database of each kind."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'polku.sqlite3'}"
    if postgres is None:
        pytest.skip(_postgres_available() or "PostgreSQL is not available")
    return postgres.new()
