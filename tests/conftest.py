"""Databases for tests: every test that touches the database runs on SQLite and on PostgreSQL.

PostgreSQL comes from POLKU_TEST_POSTGRES_URL (an admin URL; default: the local server, user
postgres). Each test gets fresh databases there, dropped at the end of the session. Without a
server the PostgreSQL half is skipped, unless POLKU_REQUIRE_POSTGRES=1 (set by .ci/run), which
turns the skip into a failure.

Migrating a database and importing every journey costs seconds, so it is done once per kind
and session, and each test that wants it gets its own copy (`database_url`): a file copy for
SQLite, `CREATE DATABASE ... TEMPLATE` for PostgreSQL.

`make test` runs the suite in several processes (pytest-xdist): each worker makes its own
templates and copies (PostgreSQL names carry the worker id and process id, SQLite files live in
the worker's own temporary directory), and tests/server.py gives each real server a port of its
own, so no two tests share a database, a file or a port.
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests import shared_routes

# Test apps share their routes' resolved dependencies (tests/shared_routes.py says why).
shared_routes.install()

ROOT = Path(__file__).resolve().parents[1]
JOURNEYS = ROOT / "journeys"
# Every journey Polku ships: a file that stops parsing or goes missing fails tests/content.
BUNDLED = tuple(sorted(p.stem for p in JOURNEYS.glob("*.yaml")))
ADMIN_URL = os.environ.get(
    "POLKU_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
REQUIRE_POSTGRES = os.environ.get("POLKU_REQUIRE_POSTGRES") == "1"
# The pytest-xdist worker this process is (gw0, gw1...), or "main" when the suite runs in one.
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")
# Tests not about rate limits send far more from their one address ("testclient") than a person
# would: they run with limits no test reaches (tests/api/test_limits.py sets small ones).
GENEROUS_LIMITS: dict[str, Any] = {
    f"limit_{name}": "100000/minute"
    for name in ("checklist_create", "checklist_write", "feedback", "failed_sign_in")
}


def read_yaml(path: Path) -> Any:
    """A YAML file's data, parsed by libyaml: PyYAML's pure-Python `safe_load` cost each test
    process about 2 CPU s more for the files the test modules read when they are collected."""
    return yaml.load(path.read_text("utf-8"), Loader=yaml.CSafeLoader)


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

    def new(self, template: str | None = None) -> str:
        """A new database: empty, or a copy of the database named `template` (which nobody
        may be connected to)."""
        name = f"polku_test_{WORKER}_{os.getpid()}_{secrets.token_hex(4)}"
        copy = f' TEMPLATE "{template}"' if template else ""
        with self.admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"{copy}'))
        self.created.append(name)
        return self.url(name)

    @staticmethod
    def url(name: str) -> str:
        return make_url(ADMIN_URL).set(database=name).render_as_string(hide_password=False)

    def drop(self, url: str) -> None:
        """Drop one database as soon as its test is done: each drop takes PostgreSQL tens of
        milliseconds, and a few hundred left to the end of the session made every worker's
        last test wait some 15 s (longer on a busy machine) with nothing else to run."""
        name = make_url(url).database
        with self.admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self.created.remove(name)

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
def database_kind(request: pytest.FixtureRequest) -> str:
    """Each test that touches a database runs once per kind."""
    kind: str = request.param
    return kind


@pytest.fixture
def empty_database_url(
    database_kind: str, tmp_path: Path, postgres: PostgresDatabases | None
) -> Iterator[str]:
    """The URL of a new, empty database of each kind."""
    if database_kind == "sqlite":
        yield f"sqlite:///{tmp_path / 'polku.sqlite3'}"
        return
    if postgres is None:
        pytest.skip(_postgres_available() or "PostgreSQL is not available")
    url = postgres.new()
    yield url
    postgres.drop(url)


class PublishedTemplates:
    """One migrated database per kind with the bundled journeys published, made on first use
    and copied for every test that asks for `database_url`."""

    def __init__(self, directory: Path, postgres: PostgresDatabases | None) -> None:
        self.directory = directory
        self.postgres = postgres
        self._sqlite: Path | None = None
        self._postgres: str | None = None

    def sqlite_copy(self, target: Path) -> str:
        if self._sqlite is None:
            path = self.directory / "published.sqlite3"
            url = f"sqlite:///{path}"
            _publish_bundled(url)
            engine = create_engine(url)
            with engine.connect() as connection:  # fold the WAL into the file before copying
                connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            engine.dispose()
            self._sqlite = path
        shutil.copyfile(self._sqlite, target)
        return f"sqlite:///{target}"

    def postgres_copy(self) -> str:
        assert self.postgres is not None
        if self._postgres is None:
            url = self.postgres.new()
            _publish_bundled(url)
            self._postgres = make_url(url).database
        return self.postgres.new(template=self._postgres)


def _publish_bundled(url: str) -> None:
    # Imported here: the engine-only tests need none of the application.
    from api import migrations
    from api.catalogue.service import import_directory
    from api.db import make_engine, make_sessions

    migrations.upgrade(url)
    engine = make_engine(url)
    import_directory(make_sessions(engine), JOURNEYS, author="tests")
    engine.dispose()


@pytest.fixture(scope="session")
def published_templates(
    tmp_path_factory: pytest.TempPathFactory, postgres: PostgresDatabases | None
) -> PublishedTemplates:
    return PublishedTemplates(tmp_path_factory.mktemp("templates"), postgres)


@pytest.fixture
def database_url(
    database_kind: str,
    tmp_path: Path,
    postgres: PostgresDatabases | None,
    published_templates: PublishedTemplates,
) -> Iterator[str]:
    """A new migrated database of each kind with the bundled journeys published (a copy)."""
    if database_kind == "sqlite":
        yield published_templates.sqlite_copy(tmp_path / "polku.sqlite3")
        return
    if postgres is None:
        pytest.skip(_postgres_available() or "PostgreSQL is not available")
    url = published_templates.postgres_copy()
    yield url
    postgres.drop(url)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def shared_database_url(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    postgres: PostgresDatabases | None,
    published_templates: PublishedTemplates,
) -> str:
    """A migrated database with the bundled journeys, one per module and database kind (and
    xdist worker): for tests that publish nothing (saved checklists they make are their own)."""
    if request.param == "sqlite":
        target = tmp_path_factory.mktemp("shared") / "polku.sqlite3"
        return published_templates.sqlite_copy(target)
    if postgres is None:
        pytest.skip(_postgres_available() or "PostgreSQL is not available")
    return published_templates.postgres_copy()


def every_kind_database_urls(
    directory: Path, postgres: PostgresDatabases | None, published_templates: PublishedTemplates
) -> dict[str, str]:
    """A new copy of the published template of each kind, by kind, for tests that send the
    same generated requests to both (tests/*/test_schemathesis.py: generating them is most of
    the cost). Without a PostgreSQL server only SQLite, unless POLKU_REQUIRE_POSTGRES=1 (the
    `postgres` fixture fails then); such tests have a case that shows the skip."""
    urls = {"sqlite": published_templates.sqlite_copy(directory / "polku.sqlite3")}
    if postgres is not None:
        urls["postgresql"] = published_templates.postgres_copy()
    return urls


def require_every_kind(kinds: Iterable[str]) -> None:
    """Skip (fail under POLKU_REQUIRE_POSTGRES=1, as the `postgres` fixture does) when a test
    that runs on every kind at once could not reach PostgreSQL: the skip shows in the report."""
    if "postgresql" not in kinds:
        pytest.skip(_postgres_available() or "PostgreSQL is not available")


# The public address of every test app: the development default, http://POLKU_HOST:POLKU_PORT.
PUBLIC_URL = "http://127.0.0.1:8000"


def changed_journeys(directory: Path, slug: str, old: str, new: str) -> Path:
    """A copy of the bundled journeys in `directory` with the first `old` in `slug`'s file
    replaced by `new`: what an import then publishes as that journey's next version."""
    changed = directory / "journeys"
    shutil.copytree(JOURNEYS, changed)
    path = changed / f"{slug}.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return changed


def problem(name: str) -> str:
    """A problem document's `type`: the absolute address of the page that explains it."""
    return f"{PUBLIC_URL}/problems/{name}"
