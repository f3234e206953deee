"""Migrations are reviewed code: they build the schema the models describe, on both databases."""

from __future__ import annotations

from alembic import command
from sqlalchemy import inspect

from api import migrations
from api.db import make_engine


def tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_upgrade_on_an_empty_database_creates_every_table(empty_database_url: str) -> None:
    migrations.upgrade(empty_database_url)
    assert tables(empty_database_url) >= {
        "journeys",
        "journey_versions",
        "shared_documents",
        "catalogue_state",
        "checklists",
        "alembic_version",
    }


def test_the_models_and_the_migrations_agree(empty_database_url: str) -> None:
    migrations.upgrade(empty_database_url)
    # `alembic check` fails when autogenerate would produce a new migration.
    command.check(migrations.alembic_config(empty_database_url))


def test_downgrade_to_base_and_upgrade_again(empty_database_url: str) -> None:
    migrations.upgrade(empty_database_url)
    migrations.downgrade(empty_database_url, "base")
    assert tables(empty_database_url) <= {"alembic_version"}
    migrations.upgrade(empty_database_url)
    command.check(migrations.alembic_config(empty_database_url))
